//! The one trait every kind of credentials implements, and the kinds that read no file:
//! a fixed bearer token and a user's own [`TokenProvider`].

use std::fmt;
use std::future::Future;
use std::pin::Pin;
use std::sync::Arc;

use super::http::{TokenHttp, one_line};
use super::{AccessToken, TokenProvider};
use crate::error::{Error, Result};

/// The future [`Provider::fetch`] returns.
pub(crate) type FetchFuture<'a> = Pin<Box<dyn Future<Output = Result<AccessToken>> + Send + 'a>>;

/// A kind of credentials, as [`Credentials`](super::Credentials) holds it. The client's
/// token cache (`cache.rs`) calls [`fetch`](Self::fetch) only when it needs a new token,
/// never concurrently.
pub(crate) trait Provider: Send + Sync {
    /// The kind, as `Debug` and the logs name it (`service account`).
    fn kind(&self) -> &'static str;

    /// Fetches a new token for `scopes`, sending token requests through `http` (the
    /// client's pool, retry policy and timeout).
    fn fetch<'a>(&'a self, http: TokenHttp<'a>, scopes: &'a [String]) -> FetchFuture<'a>;

    /// Adds what identifies these credentials, never a secret, to their `Debug`.
    fn debug_fields(&self, _d: &mut fmt::DebugStruct<'_, '_>) {}

    /// The project billed for quota, when the credentials name one.
    fn quota_project(&self) -> Option<&str> {
        None
    }

    /// The token these credentials always give, if fixed: the cache starts with it and a
    /// 401 does not ask for another.
    fn fixed_token(&self) -> Option<&AccessToken> {
        None
    }

    /// These credentials acting as `subject` (domain-wide delegation), for the kinds
    /// that can; `None` for the others.
    fn with_subject(&self, _subject: String) -> Option<Arc<dyn Provider>> {
        None
    }
}

/// A fixed bearer token.
pub(super) struct Fixed(pub AccessToken);

impl Provider for Fixed {
    fn kind(&self) -> &'static str {
        "bearer token"
    }

    fn fetch<'a>(&'a self, _: TokenHttp<'a>, _: &'a [String]) -> FetchFuture<'a> {
        Box::pin(async { Ok(self.0.clone()) })
    }

    fn fixed_token(&self) -> Option<&AccessToken> {
        Some(&self.0)
    }
}

/// A [`TokenProvider`] of the user's.
pub(super) struct Custom(pub Arc<dyn TokenProvider>);

impl Provider for Custom {
    fn kind(&self) -> &'static str {
        "custom provider"
    }

    fn fetch<'a>(&'a self, _: TokenHttp<'a>, scopes: &'a [String]) -> FetchFuture<'a> {
        Box::pin(async move {
            self.0.fetch_token(scopes).await.map_err(|e| {
                Error::auth(
                    format!("the token provider failed: {}", chain_text(&*e)),
                    Some(e),
                )
            })
        })
    }

    fn debug_fields(&self, d: &mut fmt::DebugStruct<'_, '_>) {
        d.field("provider", &self.0);
    }
}

/// An error and its sources on one line, each level once.
fn chain_text(e: &(dyn std::error::Error + 'static)) -> String {
    let mut text = e.to_string();
    let mut next = e.source();
    while let Some(source) = next {
        let part = source.to_string();
        if !text.contains(&part) {
            text.push_str(": ");
            text.push_str(&part);
        }
        next = source.source();
    }
    let text: String = one_line(&text).chars().take(300).collect();
    text
}
