//! The framework-agnostic endpoint: the `Authorization` header and the body of Chat's
//! request in, a verified, typed [`Event`] out; an [`Answer`] in, a status and JSON body
//! out. Web framework integrations (the `axum` feature) are thin wrappers around it.
//!
//! Statuses: 401 when the bearer token is missing or does not verify (as
//! <https://developers.google.com/workspace/chat/verify-requests-from-chat> asks), 413
//! when the body is over the limit, 400 when it is not an event, 503 when Google's keys
//! cannot be fetched (Chat retries), 200 with the answer otherwise.

use std::future::Future;

use google_api_runtime::id_token::{IdTokenError, IdTokenVerifier};
use serde_json::Value;

use super::addon::EventObject;
use super::answer::Answer;
use super::auth::ChatAuth;
use super::event::{Event, RawEvent};
use crate::models::DeprecatedEvent;

/// Largest request body accepted by default: 1 MiB (Chat's events are a few kB; a
/// message with cards stays far below).
pub const DEFAULT_BODY_LIMIT: usize = 1024 * 1024;

/// A Chat app's endpoint: verifies requests and types events. Cheap to clone.
#[derive(Debug, Clone)]
pub struct Endpoint {
    verifier: IdTokenVerifier,
    body_limit: usize,
}

/// An HTTP answer: a status and a JSON body (`Content-Type: application/json`).
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub struct Reply {
    /// The HTTP status.
    pub status: u16,
    /// The JSON body.
    pub body: Vec<u8>,
}

/// Why a request was refused. Never holds the token.
#[derive(Debug, Clone, PartialEq, thiserror::Error)]
#[non_exhaustive]
pub enum Rejection {
    /// No `Authorization` header.
    #[error("no Authorization header")]
    MissingAuthorization,
    /// The header is not `Bearer <token>`.
    #[error("the Authorization header is not `Bearer <token>`")]
    MalformedAuthorization,
    /// The token did not verify.
    #[error("the bearer token was refused: {0}")]
    Token(IdTokenError),
    /// The signing keys could not be fetched: not the caller's fault.
    #[error("cannot verify tokens now: {0}")]
    KeysUnavailable(IdTokenError),
    /// The body is longer than the endpoint's limit.
    #[error("the body is longer than {limit} bytes")]
    BodyTooLarge {
        /// The limit.
        limit: usize,
    },
    /// The body is not a JSON interaction event.
    #[error("the body is not an interaction event: {reason}")]
    BadBody {
        /// What is wrong (where the JSON broke; never a quote of the body, which can
        /// carry tokens).
        reason: String,
    },
}

impl Rejection {
    /// The HTTP status of this refusal.
    pub fn status(&self) -> u16 {
        match self {
            Self::MissingAuthorization | Self::MalformedAuthorization | Self::Token(_) => 401,
            Self::KeysUnavailable(_) => 503,
            Self::BodyTooLarge { .. } => 413,
            Self::BadBody { .. } => 400,
        }
    }

    /// The refusal as an HTTP answer: its status, and `{"error": "<reason>"}`. For a
    /// refused token the reason names only the failed check (`audience`, `signature`,
    /// ...): the expected audience or issuer is configuration an unauthenticated caller
    /// need not learn. The whole reason is in the `Display` (and the log).
    pub fn reply(&self) -> Reply {
        let reason = match self {
            Self::Token(e) => format!("the bearer token was refused ({})", e.check()),
            Self::KeysUnavailable(_) => "cannot verify tokens now".to_owned(),
            other => other.to_string(),
        };
        Reply {
            status: self.status(),
            body: serde_json::json!({ "error": reason })
                .to_string()
                .into_bytes(),
        }
    }
}

impl Endpoint {
    /// An endpoint authenticating Chat as `auth` says.
    pub fn new(auth: ChatAuth) -> crate::Result<Self> {
        Ok(Self::from_verifier(auth.build()?))
    }

    /// An endpoint with a verifier configured by hand.
    pub fn from_verifier(verifier: IdTokenVerifier) -> Self {
        Self {
            verifier,
            body_limit: DEFAULT_BODY_LIMIT,
        }
    }

    /// Largest body accepted (default [`DEFAULT_BODY_LIMIT`]).
    #[must_use]
    pub fn body_limit(mut self, bytes: usize) -> Self {
        self.body_limit = bytes;
        self
    }

    /// The body limit in bytes (integrations read at most this much).
    pub fn max_body_bytes(&self) -> usize {
        self.body_limit
    }

    /// The verifier.
    pub fn verifier(&self) -> &IdTokenVerifier {
        &self.verifier
    }

    /// Verifies a request (its `Authorization` header value and body) and types its event.
    pub async fn receive(
        &self,
        authorization: Option<&[u8]>,
        body: &[u8],
    ) -> Result<Event, Rejection> {
        if body.len() > self.body_limit {
            return Err(Rejection::BodyTooLarge {
                limit: self.body_limit,
            });
        }
        let header = authorization.ok_or(Rejection::MissingAuthorization)?;
        let token = bearer(header).ok_or(Rejection::MalformedAuthorization)?;
        self.verifier.verify(token).await.map_err(|e| {
            if e.is_token_error() {
                Rejection::Token(e)
            } else {
                Rejection::KeysUnavailable(e)
            }
        })?;
        parse_event(body)
    }

    /// The whole exchange: verifies and types the event, runs `handler`, and writes its
    /// answer in the event's envelope; a refusal becomes its status.
    pub async fn handle<F, Fut>(
        &self,
        authorization: Option<&[u8]>,
        body: &[u8],
        handler: F,
    ) -> Reply
    where
        F: FnOnce(Event) -> Fut,
        Fut: Future<Output = Answer>,
    {
        match self.receive(authorization, body).await {
            Ok(event) => {
                let format = event.format();
                tracing::debug!(
                    event_type = event.interaction().event_type(),
                    ?format,
                    "Chat event verified"
                );
                let answer = handler(event).await;
                Reply {
                    status: 200,
                    body: answer.to_json(format).to_string().into_bytes(),
                }
            }
            Err(rejection) => {
                tracing::warn!(status = rejection.status(), reason = %rejection, "Chat request refused");
                rejection.reply()
            }
        }
    }
}

/// The token of `Bearer <token>` (the scheme is case-insensitive, RFC 7235 §2.1).
fn bearer(header: &[u8]) -> Option<&str> {
    let header = std::str::from_utf8(header).ok()?.trim();
    let (scheme, token) = header.split_once(' ')?;
    let token = token.trim();
    (scheme.eq_ignore_ascii_case("bearer") && !token.is_empty() && !token.contains(' '))
        .then_some(token)
}

/// Types a body: an add-on event object when it has `chat` or `commonEventObject` and no
/// `type`, a classic event otherwise.
pub fn parse_event(body: &[u8]) -> Result<Event, Rejection> {
    let bad = |e: serde_json::Error| Rejection::BadBody {
        reason: format!(
            "{} at line {} column {}",
            match e.classify() {
                serde_json::error::Category::Syntax => "invalid JSON",
                serde_json::error::Category::Eof => "JSON ends early",
                serde_json::error::Category::Data => "a member has the wrong type",
                serde_json::error::Category::Io => "unreadable",
            },
            e.line(),
            e.column()
        ),
    };
    let value: Value = serde_json::from_slice(body).map_err(bad)?;
    let Value::Object(object) = &value else {
        return Err(Rejection::BadBody {
            reason: "the body is not a JSON object".into(),
        });
    };
    let add_on = !object.contains_key("type")
        && (object.contains_key("chat") || object.contains_key("commonEventObject"));
    let raw = if add_on {
        RawEvent::AddOn(Box::new(
            serde_json::from_value::<EventObject>(value).map_err(bad_value)?,
        ))
    } else {
        RawEvent::Classic(Box::new(
            serde_json::from_value::<DeprecatedEvent>(value).map_err(bad_value)?,
        ))
    };
    Ok(Event::new(raw))
}

/// A decoding error of a value (no line or column to give; no value is quoted).
fn bad_value(e: serde_json::Error) -> Rejection {
    let message = e.to_string();
    // serde's messages start with the category ("invalid type: string \"…\", expected…");
    // keep only what follows the quoted value, which may be a token.
    let expected = message
        .rsplit_once("expected ")
        .map_or("a valid event", |(_, tail)| tail);
    Rejection::BadBody {
        reason: format!("a member has the wrong type (expected {expected})"),
    }
}
