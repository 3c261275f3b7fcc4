//! The HTTP side: one axum fallback handler that sends each request to the OAuth
//! endpoints, the key endpoints, the upload endpoints or the API dispatcher, applies
//! injected faults, checks the bearer token and logs the call.

use std::sync::Arc;

use axum::body::Bytes;
use axum::extract::{DefaultBodyLimit, State as AxumState};
use axum::http::{HeaderMap, Method, StatusCode, Uri, header};
use axum::response::{IntoResponse, Response};

use crate::api::{self, Ctx};
use crate::error::ApiError;
use crate::query::Query;
use crate::reply::Reply;
use crate::shared::Shared;
use crate::store::State;
use crate::{Call, Identity, auth, routes};

/// Largest body accepted: Chat's 200 MB attachment limit and some room for metadata.
const MAX_BODY: usize = 201 * 1024 * 1024;

/// The router: everything through [`handle`].
pub(crate) fn router(shared: Arc<Shared>) -> axum::Router {
    axum::Router::new()
        .fallback(handle)
        .layer(DefaultBodyLimit::max(MAX_BODY))
        .with_state(shared)
}

async fn handle(
    AxumState(shared): AxumState<Arc<Shared>>,
    method: Method,
    uri: Uri,
    headers: HeaderMap,
    body: Bytes,
) -> Response {
    let path = uri.path();
    let query = Query::parse(uri.query().unwrap_or(""));
    // OAuth and keys: no bearer token.
    match (&method, path) {
        (&Method::POST, "/token") => {
            let fault = take_fault(&mut shared.lock(), "oauth.token");
            if let Some(fault) = fault {
                return log(&shared, "oauth.token", None, Err(fault));
            }
            return log(&shared, "oauth.token", None, auth::token(&shared, &body));
        }
        (&Method::GET, "/o/oauth2/auth") => {
            return log(
                &shared,
                "oauth.authorize",
                None,
                auth::authorize(&shared, &query),
            );
        }
        (&Method::GET, "/keys/x509") => return shared.keys.x509_response(),
        (&Method::GET, "/keys/jwk") => return shared.keys.jwk_response(),
        _ => {}
    }
    if let Some(session) = path.strip_prefix("/upload/sessions/") {
        return upload_chunk(&shared, &method, session, &headers, &body);
    }
    let (rest, upload) = if let Some(rest) = path.strip_prefix("/v1/") {
        (rest, None)
    } else if let Some(rest) = path.strip_prefix("/upload/v1/") {
        let kind = query.get("uploadType").unwrap_or("media").to_owned();
        (rest, Some(kind))
    } else if let Some(rest) = path.strip_prefix("/resumable/upload/v1/") {
        (rest, Some("resumable".to_owned()))
    } else {
        return log(
            &shared,
            "unknown",
            None,
            Err(ApiError::not_found_because(format!(
                "The fake Chat server has no endpoint {method} {path}"
            ))),
        );
    };
    let decoded = percent_decode(rest);
    let Some(matched) = routes::find(&method, &decoded) else {
        return log(
            &shared,
            "unknown",
            None,
            Err(ApiError::not_found_because(format!(
                "The fake Chat server has no method at {method} /v1/{decoded}"
            ))),
        );
    };
    let id = matched.route.id;
    if upload.is_some() != (id == "media.upload") {
        return log(
            &shared,
            id,
            None,
            Err(ApiError::invalid(format!(
                "{id}: media uploads go to /upload/v1/ (or /resumable/upload/v1/), other calls to /v1/"
            ))),
        );
    }
    let identity = {
        let mut state = shared.lock();
        if let Some(fault) = take_fault(&mut state, id) {
            drop(state);
            return log(&shared, id, None, Err(fault));
        }
        bearer(&headers).and_then(|token| state.tokens.get(token).cloned())
    };
    let Some(identity) = identity else {
        return log(&shared, id, None, Err(ApiError::unauthenticated()));
    };
    if !matched.route.implemented {
        return log(
            &shared,
            id,
            Some(identity),
            Err(ApiError::unimplemented(&format!("chat.{id}"))),
        );
    }
    let ctx = Ctx {
        identity: identity.clone(),
        query,
        body: &body,
        headers: &headers,
        base_url: &shared.base_url,
        upload_type: upload.as_deref(),
    };
    let result = {
        let mut state = shared.lock();
        api::dispatch(&mut state, id, &matched.args, &ctx)
    };
    log(&shared, id, Some(identity), result)
}

/// The next fault queued for `id`, if any.
fn take_fault(state: &mut State, id: &str) -> Option<ApiError> {
    let queue = state.faults.get_mut(id)?;
    let fault = queue.pop_front()?;
    let retry_after = fault
        .retry_after
        .map(|d| d.as_secs() + u64::from(d.subsec_nanos() > 0));
    Some(ApiError::fault(fault.status, retry_after))
}

/// The bearer token of a request.
fn bearer(headers: &HeaderMap) -> Option<&str> {
    let value = headers.get(header::AUTHORIZATION)?.to_str().ok()?;
    let (scheme, token) = value.split_once(' ')?;
    scheme
        .eq_ignore_ascii_case("bearer")
        .then_some(token.trim())
}

/// Records the call and turns the result into a response.
fn log(
    shared: &Shared,
    method: &str,
    identity: Option<Identity>,
    result: Result<Reply, ApiError>,
) -> Response {
    let response = match result {
        Ok(reply) => reply.into_response(),
        Err(e) => e.into_response(),
    };
    shared.lock().calls.push(Call {
        method: method.to_owned(),
        identity,
        status: response.status().as_u16(),
    });
    response
}

/// A chunk of a resumable upload (`PUT /upload/sessions/{id}`).
fn upload_chunk(
    shared: &Shared,
    method: &Method,
    session: &str,
    headers: &HeaderMap,
    body: &Bytes,
) -> Response {
    if method != Method::PUT && method != Method::POST {
        return StatusCode::METHOD_NOT_ALLOWED.into_response();
    }
    let range = headers
        .get(header::CONTENT_RANGE)
        .and_then(|v| v.to_str().ok())
        .map(str::to_owned);
    let result = {
        let mut state = shared.lock();
        api::media::chunk(
            &mut state,
            &shared.base_url,
            session,
            range.as_deref(),
            body,
        )
    };
    let identity = result.as_ref().ok().and_then(|(who, _)| who.clone());
    log(
        shared,
        "media.upload",
        identity,
        result.map(|(_, reply)| reply),
    )
}

/// Decodes `%XX` escapes (names are sent with `{+name}` expansion, but a client may
/// escape more than it must).
fn percent_decode(text: &str) -> String {
    let bytes: Vec<u8> =
        form_urlencoded::parse(format!("x={}", text.replace('+', "%2B")).as_bytes())
            .next()
            .map(|(_, v)| v.into_owned().into_bytes())
            .unwrap_or_default();
    String::from_utf8(bytes).unwrap_or_else(|_| text.to_owned())
}
