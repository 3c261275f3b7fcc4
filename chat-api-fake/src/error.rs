//! Errors: what the fake answers over HTTP (Google's error envelope) and what its Rust
//! API returns to the test that drives it.

use axum::http::{HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Response};
use serde_json::json;

/// An error the fake answers with, in Google's envelope:
/// `{"error": {"code": 403, "message": "...", "status": "PERMISSION_DENIED"}}`.
///
/// The envelope and the status names are those of Google's API design guide,
/// <https://cloud.google.com/apis/design/errors> ("HTTP mapping": 400 INVALID_ARGUMENT
/// and FAILED_PRECONDITION, 401 UNAUTHENTICATED, 403 PERMISSION_DENIED, 404 NOT_FOUND,
/// 409 ALREADY_EXISTS, 429 RESOURCE_EXHAUSTED, 501 UNIMPLEMENTED, 503 UNAVAILABLE).
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct ApiError {
    pub code: u16,
    pub status: &'static str,
    pub message: String,
    /// Seconds for a `Retry-After` header (faults only).
    pub retry_after: Option<u64>,
}

/// The `status` of an OAuth endpoint's error, whose `message` is the whole JSON answer.
pub(crate) const OAUTH: &str = "OAUTH";

/// What a handler returns.
pub(crate) type ApiResult<T> = Result<T, ApiError>;

/// Google's text for a request whose resource does not exist.
pub(crate) const NOT_FOUND_TEXT: &str = "Requested entity was not found.";

/// Google's text for a call by a Chat app that is not a member of the space (the
/// troubleshooting section of
/// <https://developers.google.com/workspace/chat/authenticate-authorize-chat-app>, and the
/// text quoted by issue reports against the Chat API).
pub(crate) const NOT_PERMITTED_TEXT: &str = "You are not permitted to use this app";

/// Google's generic text for PERMISSION_DENIED.
pub(crate) const CALLER_NOT_PERMITTED_TEXT: &str = "The caller does not have permission";

/// Google's text for a request without valid credentials.
pub(crate) const UNAUTHENTICATED_TEXT: &str = "Request had invalid authentication credentials. \
     Expected OAuth 2 access token, login cookie or other valid authentication credential. \
     See https://developers.google.com/identity/sign-in/web/devconsole-project.";

impl ApiError {
    fn new(code: u16, status: &'static str, message: impl Into<String>) -> Self {
        Self {
            code,
            status,
            message: message.into(),
            retry_after: None,
        }
    }

    /// 400 INVALID_ARGUMENT.
    pub fn invalid(message: impl Into<String>) -> Self {
        Self::new(400, "INVALID_ARGUMENT", message)
    }

    /// 400 FAILED_PRECONDITION.
    pub fn failed_precondition(message: impl Into<String>) -> Self {
        Self::new(400, "FAILED_PRECONDITION", message)
    }

    /// 401 UNAUTHENTICATED.
    pub fn unauthenticated() -> Self {
        Self::new(401, "UNAUTHENTICATED", UNAUTHENTICATED_TEXT)
    }

    /// 403 PERMISSION_DENIED.
    pub fn permission_denied(message: impl Into<String>) -> Self {
        Self::new(403, "PERMISSION_DENIED", message)
    }

    /// 403 PERMISSION_DENIED "You are not permitted to use this app".
    pub fn app_not_member() -> Self {
        Self::permission_denied(NOT_PERMITTED_TEXT)
    }

    /// 404 NOT_FOUND "Requested entity was not found.".
    pub fn not_found() -> Self {
        Self::new(404, "NOT_FOUND", NOT_FOUND_TEXT)
    }

    /// 404 NOT_FOUND with a message of its own.
    pub fn not_found_because(message: impl Into<String>) -> Self {
        Self::new(404, "NOT_FOUND", message)
    }

    /// 409 ALREADY_EXISTS.
    pub fn already_exists(message: impl Into<String>) -> Self {
        Self::new(409, "ALREADY_EXISTS", message)
    }

    /// 429 RESOURCE_EXHAUSTED.
    pub fn resource_exhausted(message: impl Into<String>) -> Self {
        Self::new(429, "RESOURCE_EXHAUSTED", message)
    }

    /// 501 UNIMPLEMENTED naming the method.
    pub fn unimplemented(method: &str) -> Self {
        Self::new(
            501,
            "UNIMPLEMENTED",
            format!("{method} is not implemented by the fake Chat server"),
        )
    }

    /// An injected fault: 429 RESOURCE_EXHAUSTED or 503 UNAVAILABLE (or any status).
    pub fn fault(code: u16, retry_after: Option<u64>) -> Self {
        let (status, message) = match code {
            429 => (
                "RESOURCE_EXHAUSTED",
                "Resource has been exhausted (e.g. check quota).",
            ),
            503 => ("UNAVAILABLE", "The service is currently unavailable."),
            500 => ("INTERNAL", "Internal error encountered."),
            _ => ("UNKNOWN", "Injected fault."),
        };
        Self {
            retry_after,
            ..Self::new(code, status, message)
        }
    }

    /// The envelope as JSON.
    pub fn body(&self) -> serde_json::Value {
        json!({"error": {"code": self.code, "message": self.message, "status": self.status}})
    }
}

impl IntoResponse for ApiError {
    fn into_response(self) -> Response {
        let code = StatusCode::from_u16(self.code).unwrap_or(StatusCode::INTERNAL_SERVER_ERROR);
        // OAuth endpoints answer in OAuth's own form (RFC 6749 section 5.2), kept
        // ready-made in `message`.
        let body = if self.status == OAUTH {
            serde_json::from_str(&self.message).unwrap_or_else(|_| self.body())
        } else {
            self.body()
        };
        let mut response = (code, crate::reply::json_body(&body)).into_response();
        if let Some(seconds) = self.retry_after {
            response
                .headers_mut()
                .insert(header::RETRY_AFTER, HeaderValue::from(seconds));
        }
        response
    }
}

/// An error of the fake's Rust API (starting it, seeding it, reading it back).
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum FakeError {
    /// The listener could not be bound.
    #[error("the fake Chat server could not listen on {addr}: {source}")]
    Bind {
        /// The address asked for.
        addr: String,
        /// Why.
        #[source]
        source: std::io::Error,
    },
    /// A name given to a seeding call is not of the form it needs.
    #[error("`{name}` is not a valid {what} (expected {form})")]
    InvalidName {
        /// The name given.
        name: String,
        /// What it should name.
        what: &'static str,
        /// The form it should have.
        form: &'static str,
    },
    /// A seeding call names something the fake does not have.
    #[error("{what} `{name}` does not exist in the fake")]
    NotFound {
        /// What kind of thing.
        what: &'static str,
        /// Its name.
        name: String,
    },
    /// A seeding call would create something that exists already.
    #[error("{what} `{name}` already exists in the fake")]
    AlreadyExists {
        /// What kind of thing.
        what: &'static str,
        /// Its name.
        name: String,
    },
    /// A client for the fake could not be built.
    #[error("could not build a client for the fake: {0}")]
    Client(#[from] chat_api::Error),
    /// Stored JSON did not decode as the model asked for.
    #[error("the fake's {what} does not decode as the model: {source}")]
    Decode {
        /// What was decoded.
        what: &'static str,
        /// Why.
        #[source]
        source: serde_json::Error,
    },
    /// A seeding call broke one of Chat's rules (the answer the API would give).
    #[error("refused as the API would refuse it: HTTP {code} {status}: {message}")]
    Refused {
        /// The HTTP status.
        code: u16,
        /// Google's status name (`PERMISSION_DENIED`, ...).
        status: &'static str,
        /// Google's message.
        message: String,
    },
    /// An event could not be delivered to the app under test.
    #[error("the event could not be delivered to {url}: {message}")]
    Event {
        /// The app's endpoint.
        url: String,
        /// What went wrong.
        message: String,
    },
}

impl From<ApiError> for FakeError {
    fn from(e: ApiError) -> Self {
        Self::Refused {
            code: e.code,
            status: e.status,
            message: e.message,
        }
    }
}
