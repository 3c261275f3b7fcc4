//! Authorized-user credentials: a refresh token and the OAuth client it belongs to,
//! exchanged at the file's `token_uri` (Google's endpoint when the file names none).

use std::fmt;
use std::path::Path;

use crate::json_object::json_object;

use super::file::{FileKind, Tag};
use super::http::{Refusal, Target, TokenAnswer, TokenHttp};
use super::provider::{FetchFuture, Provider};
use super::{Credentials, GOOGLE_TOKEN_URI, json_error};
use crate::AccessToken;
use crate::error::Result;

/// Authorized-user files, as [`KINDS`](super::KINDS) lists them.
pub(super) static FILE: FileKind = FileKind {
    tag: Tag::Type("authorized_user"),
    noun: "authorized-user credentials",
    stem: "authorized_user",
    adc_refusal: None,
    parse: credentials,
};

fn credentials(json: &str) -> Result<Credentials> {
    Ok(Credentials::with_provider(AuthorizedUser::parse(json)?))
}

impl Credentials {
    /// Authorized-user credentials (client id and secret plus a refresh token, as
    /// written by `gcloud auth application-default login`): calls act as that user.
    /// The refresh token is exchanged at the file's `token_uri` (Google's endpoint when
    /// it names none).
    pub fn authorized_user_file(path: impl AsRef<Path>) -> Result<Self> {
        FILE.read(path.as_ref())
    }

    /// Authorized-user credentials, as JSON text.
    pub fn authorized_user_json(json: &str) -> Result<Self> {
        FILE.read_json(json)
    }
}

impl Provider for AuthorizedUser {
    fn kind(&self) -> &'static str {
        "authorized user"
    }

    /// The token carries the scopes the user granted; `scopes` are not asked for.
    fn fetch<'a>(&'a self, http: TokenHttp<'a>, _scopes: &'a [String]) -> FetchFuture<'a> {
        Box::pin(self.token(http))
    }

    fn debug_fields(&self, d: &mut fmt::DebugStruct<'_, '_>) {
        d.field("client_id", &self.client_id);
        d.field("token_uri", &self.token_uri);
    }

    fn quota_project(&self) -> Option<&str> {
        self.quota_project_id.as_deref()
    }
}

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

    pub(super) async fn token(&self, http: TokenHttp<'_>) -> Result<AccessToken> {
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
