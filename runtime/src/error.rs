//! The one error type of the crate.
//!
//! Every failure a call can meet ends up here: an error answer from the API (parsed
//! from Google's error body), a transport failure, a timeout, an authentication
//! failure, an undecodable response, a bad argument, or an interrupted resumable
//! upload that can be resumed. Messages never contain tokens, keys or query strings.

use std::fmt;

use crate::json_object::json_object;
use crate::service::HintFn;
use crate::upload_session::UploadSession;

/// A `Result` with this crate's [`Error`].
pub type Result<T, E = Error> = std::result::Result<T, E>;

/// A boxed error source; keeps third-party error types out of the public API.
pub(crate) type BoxError = Box<dyn std::error::Error + Send + Sync + 'static>;

/// Everything that can go wrong calling the API.
///
/// The enum and each struct-like variant are `#[non_exhaustive]`, so that a new kind of
/// failure or a new field is not a breaking change: match with `..`
/// (`Error::Timeout { method, .. }`), or use the accessors ([`api`](Self::api),
/// [`http_status`](Self::http_status), [`method`](Self::method),
/// [`upload_session`](Self::upload_session)).
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum Error {
    /// The API answered with an error status.
    #[error(transparent)]
    Api(Box<ApiError>),

    /// The request could not be sent or the response could not be read.
    #[error("{method}: transport error: {message}")]
    #[non_exhaustive]
    Transport {
        /// Method id, e.g. `chat.spaces.messages.create`.
        method: &'static str,
        /// What failed.
        message: String,
        /// The underlying error (its text never contains the request URL).
        #[source]
        source: BoxError,
    },

    /// The request or its connection attempt took longer than the configured timeout.
    #[error("{method}: timed out")]
    #[non_exhaustive]
    Timeout {
        /// Method id.
        method: &'static str,
    },

    /// Credentials could not be loaded or a token could not be obtained.
    #[error("authentication failed: {message}")]
    #[non_exhaustive]
    Auth {
        /// What failed (never contains a key or token).
        message: String,
        /// The underlying error, when there is one.
        #[source]
        source: Option<BoxError>,
    },

    /// A successful response could not be decoded into the expected type.
    #[error(
        "{method}: could not decode the response at `{path}`: {message}; body starts with: {snippet}"
    )]
    #[non_exhaustive]
    Decode {
        /// Method id.
        method: &'static str,
        /// JSON path of the value that failed (`.` for the whole body).
        path: String,
        /// The decoder's message.
        message: String,
        /// The first characters of the body.
        snippet: String,
    },

    /// An argument given to the client or a request was invalid (for example a missing
    /// path parameter or a malformed base URL).
    #[error("{context}: invalid argument: {message}")]
    #[non_exhaustive]
    InvalidArgument {
        /// Method id, or the builder/constructor that rejected the argument.
        context: String,
        /// What is wrong.
        message: String,
    },

    /// A local file or reader could not be read.
    #[error("{context}: {source}")]
    #[non_exhaustive]
    Io {
        /// What was being read, e.g. the file path.
        context: String,
        /// The I/O error.
        #[source]
        source: std::io::Error,
    },

    /// A resumable upload stopped before the server had all bytes. The
    /// [`UploadSession`] tells how far it got; pass it to
    /// [`Client::resume_upload`](crate::Client::resume_upload) to continue.
    #[error("upload incomplete ({session}): {source}")]
    #[non_exhaustive]
    UploadIncomplete {
        /// The resumable session to continue.
        session: UploadSession,
        /// Why the upload stopped.
        #[source]
        source: Box<Error>,
    },
}

impl Error {
    /// The API error, if the server answered with an error status.
    pub fn api(&self) -> Option<&ApiError> {
        match self {
            Error::Api(e) => Some(e),
            Error::UploadIncomplete { source, .. } => source.api(),
            _ => None,
        }
    }

    /// The HTTP status of an API error.
    pub fn http_status(&self) -> Option<u16> {
        self.api().map(|e| e.http_status)
    }

    /// The id of the method that failed (`chat.spaces.messages.create`), when the
    /// failure belongs to a call.
    pub fn method(&self) -> Option<&'static str> {
        match self {
            Error::Api(e) => Some(e.method),
            Error::Transport { method, .. }
            | Error::Timeout { method }
            | Error::Decode { method, .. } => Some(method),
            Error::UploadIncomplete { session, .. } => Some(session.method),
            Error::Auth { .. } | Error::InvalidArgument { .. } | Error::Io { .. } => None,
        }
    }

    /// The resumable upload session of an interrupted upload.
    pub fn upload_session(&self) -> Option<&UploadSession> {
        match self {
            Error::UploadIncomplete { session, .. } => Some(session),
            _ => None,
        }
    }

    pub(crate) fn invalid(context: impl Into<String>, message: impl Into<String>) -> Self {
        Error::InvalidArgument {
            context: context.into(),
            message: message.into(),
        }
    }

    pub(crate) fn auth(message: impl Into<String>, source: Option<BoxError>) -> Self {
        Error::Auth {
            message: message.into(),
            source,
        }
    }
}

/// An error answer of the API, parsed from Google's error body
/// (`{"error": {"code", "message", "status", "details"}}`).
///
/// Its `Debug` shows the fields that are set, and the accepted scopes only when they are
/// the fix (a token without any of them).
#[derive(Clone, PartialEq)]
#[non_exhaustive]
pub struct ApiError {
    /// Method id, e.g. `chat.spaces.messages.create`.
    pub method: &'static str,
    /// HTTP status code of the response.
    pub http_status: u16,
    /// The `code` of the error body (usually equal to the HTTP status).
    pub code: Option<i64>,
    /// The canonical status, e.g. `PERMISSION_DENIED`.
    pub status: Option<String>,
    /// The server's message (or the start of a non-JSON body).
    pub message: String,
    /// The `details` list of the error body, as JSON.
    pub details: Vec<serde_json::Value>,
    /// The request id from `x-request-id` / `x-goog-request-id`, when the server sent one.
    pub request_id: Option<String>,
    /// What usually causes this error and how to fix it, for known cases.
    pub hint: Option<&'static str>,
    /// The OAuth scopes the method accepts (any one is enough); shown when the token
    /// lacked them.
    pub scopes: &'static [&'static str],
}

impl fmt::Display for ApiError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}: HTTP {}", self.method, self.http_status)?;
        if let Some(status) = &self.status {
            write!(f, " {status}")?;
        }
        write!(f, ": {}", self.message)?;
        if let Some(id) = &self.request_id {
            write!(f, " (request id {id})")?;
        }
        if let Some(hint) = self.hint {
            write!(f, "\nhint: {hint}")?;
        }
        if self.hint == Some(INSUFFICIENT_SCOPES_HINT) && !self.scopes.is_empty() {
            write!(f, "\nthis method accepts: {}", self.scopes.join(", "))?;
        }
        Ok(())
    }
}

impl std::error::Error for ApiError {}

impl fmt::Debug for ApiError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let mut out = f.debug_struct("ApiError");
        out.field("method", &self.method)
            .field("http_status", &self.http_status);
        // What is absent or empty says nothing; a method's scopes can be a dozen URLs,
        // worth reading only when the token lacked them.
        if let Some(code) = self.code.filter(|&c| c != i64::from(self.http_status)) {
            out.field("code", &code);
        }
        if let Some(status) = &self.status {
            out.field("status", status);
        }
        out.field("message", &self.message);
        if !self.details.is_empty() {
            out.field("details", &self.details);
        }
        if let Some(id) = &self.request_id {
            out.field("request_id", id);
        }
        if let Some(hint) = self.hint {
            out.field("hint", &hint);
        }
        if self.hint == Some(INSUFFICIENT_SCOPES_HINT) && !self.scopes.is_empty() {
            out.field("scopes", &self.scopes);
        }
        out.finish_non_exhaustive()
    }
}

/// Longest part of a response body quoted in an error.
const SNIPPET_CHARS: usize = 300;

/// The first characters of `body`, lossily decoded, for error messages.
pub(crate) fn snippet(body: &[u8]) -> String {
    let text = String::from_utf8_lossy(&body[..body.len().min(SNIPPET_CHARS * 4)]);
    let mut out: String = text.chars().take(SNIPPET_CHARS).collect();
    if out.len() < text.len() || body.len() > SNIPPET_CHARS * 4 {
        out.push('…');
    }
    out
}

json_object! {
    /// Google's error envelope, `{"error": {...}}`.
    struct GoogleErrorEnvelope {
        error: GoogleError = "error" (required),
    }
}

json_object! {
    /// The `error` of Google's error answers (APIs, IAM, STS and token endpoints alike).
    pub(crate) struct GoogleError {
        pub(crate) code: Option<i64> = "code",
        pub(crate) message: Option<String> = "message",
        pub(crate) status: Option<String> = "status",
        pub(crate) details: Vec<serde_json::Value> = "details",
    }
}

impl GoogleError {
    /// The error of a `{"error": {...}}` body; `None` for any other body.
    pub(crate) fn parse(body: &[u8]) -> Option<Self> {
        serde_json::from_slice::<GoogleErrorEnvelope>(body)
            .ok()
            .map(|envelope| envelope.error)
    }
}

/// Builds an [`ApiError`] from an error response.
pub(crate) fn api_error(
    service_hint: Option<HintFn>,
    method: &'static str,
    scopes: &'static [&'static str],
    http_status: u16,
    request_id: Option<String>,
    body: &[u8],
) -> ApiError {
    let (code, message, status, details) = match GoogleError::parse(body) {
        Some(error) => (
            error.code,
            error.message.unwrap_or_default(),
            error.status,
            error.details,
        ),
        None => (None, snippet(body), None, Vec::new()),
    };
    let hint = service_hint
        .and_then(|hint| hint(http_status, status.as_deref(), &message))
        .or_else(|| hint_for(http_status, status.as_deref(), &message));
    ApiError {
        method,
        http_status,
        code,
        status,
        message,
        details,
        request_id,
        hint,
        scopes,
    }
}

/// The hint of a 403 for a token without any of the method's scopes; the error then also
/// lists the scopes.
pub const INSUFFICIENT_SCOPES_HINT: &str = "the access token lacks a scope this method needs: request one of the \
     method's scopes (`Credentials::with_scopes`)";

/// Hints for errors of any Google API whose message alone does not tell the fix (the
/// service's own hints are asked first).
fn hint_for(http_status: u16, status: Option<&str>, message: &str) -> Option<&'static str> {
    let lower = message.to_ascii_lowercase();
    if http_status == 403 && lower.contains("insufficient authentication scopes") {
        return Some(INSUFFICIENT_SCOPES_HINT);
    }
    if http_status == 401 || status == Some("UNAUTHENTICATED") {
        return Some("the credentials were rejected: check that they are valid and not revoked");
    }
    if http_status == 429 || status == Some("RESOURCE_EXHAUSTED") {
        return Some("a quota was exceeded: slow down or raise the quota");
    }
    None
}

/// Turns a transport error into [`Error`], dropping the URL from its text.
pub(crate) fn transport_error(method: &'static str, e: reqwest::Error) -> Error {
    if e.is_timeout() {
        return Error::Timeout { method };
    }
    let message = if e.is_connect() {
        "could not connect"
    } else if e.is_body() || e.is_decode() {
        "reading the response failed"
    } else {
        "sending the request failed"
    };
    Error::Transport {
        method,
        message: message.to_owned(),
        source: Box::new(e.without_url()),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_google_error_body_and_asks_the_service_for_a_hint() {
        let body = br#"{"error":{"code":403,"message":"You are not permitted to use this app","status":"PERMISSION_DENIED","details":[{"@type":"x"}]}}"#;
        fn service_hint(status: u16, _: Option<&str>, message: &str) -> Option<&'static str> {
            (status == 403 && message.contains("not permitted")).then_some("add the app")
        }
        let e = api_error(
            Some(service_hint),
            "x.spaces.messages.create",
            &[],
            403,
            Some("abc".into()),
            body,
        );
        assert_eq!(e.code, Some(403));
        assert_eq!(e.status.as_deref(), Some("PERMISSION_DENIED"));
        assert_eq!(e.details.len(), 1);
        let text = Error::Api(Box::new(e)).to_string();
        assert_eq!(
            text,
            "x.spaces.messages.create: HTTP 403 PERMISSION_DENIED: You are not permitted to \
             use this app (request id abc)\nhint: add the app"
        );
        // Without the service's hint, nothing API-specific is said.
        assert_eq!(api_error(None, "m", &[], 403, None, body).hint, None);
    }

    #[test]
    fn non_json_error_body_becomes_the_message() {
        let e = api_error(None, "m", &[], 502, None, b"<html>Bad Gateway</html>");
        assert_eq!(e.message, "<html>Bad Gateway</html>");
        assert_eq!(e.status, None);
        assert_eq!(e.hint, None);
    }

    #[test]
    fn insufficient_scopes_lists_the_method_scopes() {
        let body = br#"{"error":{"code":403,"message":"Request had insufficient authentication scopes.","status":"PERMISSION_DENIED"}}"#;
        let e = api_error(None, "m", &["https://a", "https://b"], 403, None, body);
        assert!(
            e.to_string()
                .ends_with("\nthis method accepts: https://a, https://b"),
            "{e}"
        );
        assert!(
            format!("{e:?}").contains(r#"scopes: ["https://a", "https://b"]"#),
            "{e:?}"
        );
    }

    #[test]
    fn debug_is_short_and_lists_scopes_only_when_they_are_the_fix() {
        let body = br#"{"error":{"code":403,"message":"The caller does not have permission","status":"PERMISSION_DENIED"}}"#;
        let scopes = &[
            "https://www.googleapis.com/auth/chat.bot",
            "https://b",
            "https://c",
        ];
        let e = api_error(None, "chat.spaces.get", scopes, 403, None, body);
        assert_eq!(
            format!("{e:?}"),
            r#"ApiError { method: "chat.spaces.get", http_status: 403, status: "PERMISSION_DENIED", message: "The caller does not have permission", .. }"#
        );
        // A `code` that differs from the HTTP status is shown.
        let body = br#"{"error":{"code":7,"message":"no"}}"#;
        let e = api_error(None, "m", scopes, 403, None, body);
        assert!(format!("{e:?}").contains("code: 7"), "{e:?}");
        assert!(!format!("{e:?}").contains("scopes"), "{e:?}");
    }

    #[test]
    fn the_method_is_read_without_matching_fields() {
        let api = Error::Api(Box::new(api_error(None, "m.get", &[], 500, None, b"")));
        assert_eq!(api.method(), Some("m.get"));
        assert_eq!(Error::Timeout { method: "m.list" }.method(), Some("m.list"));
        let session = UploadSession::from_uri("m.upload", "https://u/s?upload_id=X");
        let stopped = Error::UploadIncomplete {
            session,
            source: Box::new(Error::Timeout { method: "m.upload" }),
        };
        assert_eq!(stopped.method(), Some("m.upload"));
        assert_eq!(Error::auth("no", None).method(), None);
    }

    #[test]
    fn snippet_is_bounded() {
        let long = "é".repeat(1000);
        let s = snippet(long.as_bytes());
        assert_eq!(s.chars().count(), SNIPPET_CHARS + 1);
        assert!(s.ends_with('…'));
        assert_eq!(snippet(b"{}"), "{}");
    }
}
