//! Google's OAuth endpoints, played by the fake: the token endpoint (JWT-bearer grant
//! of a service account, refresh-token grant, authorization-code grant with PKCE) and
//! the consent endpoint of the installed-app flow, which consents at once.

use axum::body::Bytes;
use axum::http::header;
use base64::Engine as _;
use ring::digest;
use serde_json::{Value, json};

use crate::error::ApiError;
use crate::query::Query;
use crate::reply::Reply;
use crate::shared::Shared;
use crate::{Identity, time};

/// How long an access token lives, as Google's answers say (`expires_in`).
const TOKEN_LIFETIME: u64 = 3600;
/// Clock skew allowed on a JWT's `iat` and `exp`.
const SKEW_SECS: i64 = 300;

/// An OAuth error answer (`{"error": "invalid_grant", "error_description": ...}`,
/// RFC 6749 section 5.2, which Google's token endpoint follows) with status 400 or 401.
fn oauth_error(status: u16, error: &str, description: &str) -> ApiError {
    ApiError {
        code: status,
        status: crate::error::OAUTH,
        message: json!({"error": error, "error_description": description}).to_string(),
        retry_after: None,
    }
}

/// Issues an access token for `identity`.
fn issue(shared: &Shared, identity: Identity, refresh: Option<String>) -> Reply {
    let mut state = shared.lock();
    let token = format!("ya29.fake-{}", state.next_id(""));
    state.tokens.insert(token.clone(), identity.clone());
    let mut answer = json!({
        "access_token": token,
        "expires_in": TOKEN_LIFETIME,
        "token_type": "Bearer",
    });
    if let Some(refresh) = refresh {
        state.refresh_tokens.insert(refresh.clone(), identity);
        answer["refresh_token"] = json!(refresh);
    }
    Reply::Json(answer)
}

/// `POST /token`.
pub(crate) fn token(shared: &Shared, body: &Bytes) -> Result<Reply, ApiError> {
    let form = Query::parse(&String::from_utf8_lossy(body));
    match form.get("grant_type") {
        Some("urn:ietf:params:oauth:grant-type:jwt-bearer") => {
            jwt_grant(shared, form.get("assertion").unwrap_or(""))
        }
        Some("refresh_token") => {
            let refresh = form.get("refresh_token").unwrap_or("");
            let identity = shared.lock().refresh_tokens.get(refresh).cloned();
            match identity {
                Some(identity) => Ok(issue(shared, identity, None)),
                None => Err(oauth_error(
                    400,
                    "invalid_grant",
                    "Token has been expired or revoked.",
                )),
            }
        }
        Some("authorization_code") => {
            let code = form.get("code").unwrap_or("");
            let entry = shared.lock().auth_codes.remove(code);
            let Some((identity, challenge)) = entry else {
                return Err(oauth_error(400, "invalid_grant", "Malformed auth code."));
            };
            if let Some(challenge) = challenge {
                let verifier = form.get("code_verifier").unwrap_or("");
                let digest = digest::digest(&digest::SHA256, verifier.as_bytes());
                let computed =
                    base64::engine::general_purpose::URL_SAFE_NO_PAD.encode(digest.as_ref());
                if computed != challenge {
                    return Err(oauth_error(400, "invalid_grant", "Invalid code verifier."));
                }
            }
            let refresh = format!("1//fake-refresh-{}", shared.lock().next_id(""));
            Ok(issue(shared, identity, Some(refresh)))
        }
        Some(other) => Err(oauth_error(
            400,
            "unsupported_grant_type",
            &format!("Invalid grant_type: {other}"),
        )),
        None => Err(oauth_error(
            400,
            "invalid_request",
            "Missing required parameter: grant_type",
        )),
    }
}

/// The JWT-bearer grant of a service account (<https://developers.google.com/identity/protocols/oauth2/service-account>,
/// "Preparing to make an authorized API call"): an RS256 JWT signed with the key of the
/// key file, `iss` the service account's email, `aud` this token endpoint, `exp` at most
/// an hour after `iat`, and a `scope`.
fn jwt_grant(shared: &Shared, assertion: &str) -> Result<Reply, ApiError> {
    let claims = shared
        .keys
        .verify_service_account_jwt(assertion)
        .map_err(|why| oauth_error(400, "invalid_grant", &format!("Invalid JWT: {why}.")))?;
    let iss = claims.get("iss").and_then(Value::as_str).unwrap_or("");
    let app = shared.lock().service_accounts.get(iss).cloned();
    let Some(app) = app else {
        return Err(oauth_error(
            400,
            "invalid_grant",
            "Invalid JWT: the issuer is not a service account of this fake.",
        ));
    };
    let aud = claims.get("aud").and_then(Value::as_str).unwrap_or("");
    if aud != format!("{}token", shared.base_url) {
        return Err(oauth_error(
            400,
            "invalid_grant",
            "Invalid JWT: the audience is not this token endpoint.",
        ));
    }
    let now = time::now() / 1_000_000;
    let iat = claims
        .get("iat")
        .and_then(Value::as_i64)
        .unwrap_or(i64::MAX);
    let exp = claims.get("exp").and_then(Value::as_i64).unwrap_or(0);
    if iat > now + SKEW_SECS || exp < now - SKEW_SECS || exp - iat > 3600 {
        return Err(oauth_error(
            400,
            "invalid_grant",
            "Invalid JWT: Token must be a short-lived token (60 minutes) and in a reasonable timeframe.",
        ));
    }
    if claims
        .get("scope")
        .and_then(Value::as_str)
        .is_none_or(str::is_empty)
    {
        return Err(oauth_error(
            400,
            "invalid_scope",
            "Invalid OAuth scope or ID token audience provided.",
        ));
    }
    Ok(issue(shared, Identity::App(app), None))
}

/// `GET /o/oauth2/auth`: the consent screen, answered at once for the user the OAuth
/// client was made for, by redirecting to `redirect_uri` with `code` and `state`.
pub(crate) fn authorize(shared: &Shared, query: &Query) -> Result<Reply, ApiError> {
    let client = query.get("client_id").unwrap_or("");
    let redirect = query.get("redirect_uri").unwrap_or("");
    let identity = shared.lock().oauth_clients.get(client).cloned();
    let Some(identity) = identity else {
        return Err(oauth_error(
            401,
            "invalid_client",
            "The OAuth client was not found.",
        ));
    };
    if !(redirect.starts_with("http://127.0.0.1") || redirect.starts_with("http://localhost")) {
        return Err(oauth_error(
            400,
            "invalid_request",
            "redirect_uri must be a loopback address.",
        ));
    }
    if query.get("code_challenge").is_some() && query.get("code_challenge_method") != Some("S256") {
        return Err(oauth_error(
            400,
            "invalid_request",
            "code_challenge_method must be S256.",
        ));
    }
    let code = format!("4/fake-code-{}", shared.lock().next_id(""));
    shared.lock().auth_codes.insert(
        code.clone(),
        (identity, query.get("code_challenge").map(str::to_owned)),
    );
    let mut location = format!(
        "{redirect}{}",
        if redirect.contains('?') { '&' } else { '?' }
    );
    location.push_str(
        &form_urlencoded::Serializer::new(String::new())
            .append_pair("code", &code)
            .append_pair("state", query.get("state").unwrap_or(""))
            .finish(),
    );
    Ok(Reply::Empty {
        status: 302,
        headers: vec![(header::LOCATION, location)],
    })
}
