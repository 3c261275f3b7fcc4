//! Authorized-user credentials: a refresh token and the OAuth client it belongs to,
//! exchanged at the file's `token_uri` (Google's endpoint when the file names none).

use crate::json_object::json_object;

use super::http::{Refusal, Target, TokenAnswer, TokenHttp};
use super::{GOOGLE_TOKEN_URI, json_error};
use crate::AccessToken;
use crate::error::Result;

/// Authorized-user credentials.
#[derive(Clone)]
pub(super) struct AuthorizedUser {
    pub client_id: String,
    client_secret: String,
    refresh_token: String,
    pub token_uri: String,
    pub quota_project_id: Option<String>,
}

impl AuthorizedUser {
    pub(super) fn parse(json: &str) -> Result<Self> {
        json_object! {
            struct File {
                client_id: String = "client_id" (required),
                client_secret: String = "client_secret" (required),
                refresh_token: String = "refresh_token" (required),
                token_uri: Option<String> = "token_uri",
                quota_project_id: Option<String> = "quota_project_id",
            }
        }
        let f: File = serde_json::from_str(json)
            .map_err(|e| json_error("authorized user credentials", &e))?;
        Ok(Self {
            client_id: f.client_id,
            client_secret: f.client_secret,
            refresh_token: f.refresh_token,
            token_uri: f
                .token_uri
                .filter(|u| !u.is_empty())
                .unwrap_or_else(|| GOOGLE_TOKEN_URI.to_owned()),
            quota_project_id: f.quota_project_id.filter(|p| !p.is_empty()),
        })
    }

    /// `authorized user (OAuth client 123.apps.googleusercontent.com)`.
    pub(super) fn who(&self) -> String {
        format!("authorized user (OAuth client {})", self.client_id)
    }

    pub(super) async fn fetch(&self, http: TokenHttp<'_>) -> Result<AccessToken> {
        let who = self.who();
        let target = Target {
            who: &who,
            what: "token request",
            url: &self.token_uri,
            secrets: &[&self.client_secret, &self.refresh_token],
        };
        let answer = refresh_grant(
            http,
            &target,
            &self.client_id,
            Some(&self.client_secret),
            &self.refresh_token,
        )
        .await?;
        match answer {
            Ok(answer) => answer.into_token(&target).map(|(token, _)| token),
            Err(refusal) => Err(refusal.into_error(&target)),
        }
    }
}

/// The refresh-token grant (RFC 6749 section 6) at `target.url`.
pub(super) async fn refresh_grant(
    http: TokenHttp<'_>,
    target: &Target<'_>,
    client_id: &str,
    client_secret: Option<&str>,
    refresh_token: &str,
) -> Result<std::result::Result<TokenAnswer, Refusal>> {
    let mut form = vec![
        ("grant_type", "refresh_token"),
        ("client_id", client_id),
        ("refresh_token", refresh_token),
    ];
    if let Some(secret) = client_secret {
        form.insert(2, ("client_secret", secret));
    }
    http.post_form(target, &form, None).await
}
