//! Token requests: the one place that sends them (repeated by the crate's one retry
//! loop) and words their failures.
//!
//! Every token request of every kind of credentials (JWT grant, refresh token,
//! authorization code, STS exchange, IAM `generateAccessToken`, URL-sourced subject
//! tokens) goes through [`TokenHttp::send`]: the client's connection pool, its
//! [`RetryPolicy`] (connection failures, timeouts, 429 and 5xx are retried) and its
//! request timeout. A failure reads
//! `{credentials}: token request to {url} failed: {cause}`, on one line, with no
//! secret in it: the cause comes from the error chain (`connection refused`) or from
//! the server's OAuth/Google error body, scrubbed of every secret the request carried.

use std::error::Error as StdError;
use std::time::{Duration, SystemTime};

use crate::json_object::json_object;
use bytes::Bytes;

use crate::error::{Error, Result};
use crate::retry::{RetryPolicy, retryable_status};
use crate::retry_loop::{Attempt, retry_loop};

/// Longest part of a server's error text quoted in an error.
const DETAIL_CHARS: usize = 200;

/// How token requests are sent: the client's pool, retry policy and request timeout.
#[derive(Clone, Copy)]
pub(crate) struct TokenHttp<'a> {
    pub http: &'a reqwest::Client,
    pub retry: &'a RetryPolicy,
    pub timeout: Option<Duration>,
}

/// Why a token request attempt failed.
enum Failure {
    /// Not worth another attempt.
    Fatal(Error),
    /// No (complete) answer.
    Transport(reqwest::Error),
    /// A retryable status; its answer is the call's if no attempt follows.
    Status((u16, Bytes)),
}

/// What one request is, for its errors.
pub(crate) struct Target<'a> {
    /// Which credentials, e.g. `service account app@p.iam.gserviceaccount.com`.
    pub who: &'a str,
    /// What is asked, e.g. `token request`.
    pub what: &'a str,
    /// Where it goes (shown without query or user info).
    pub url: &'a str,
    /// Values the request carries that must never show in an error, even when the
    /// server echoes them.
    pub secrets: &'a [&'a str],
}

impl Target<'_> {
    /// `{who}: {what} to {url} failed: {cause}`.
    pub(crate) fn failed(&self, cause: &str) -> Error {
        Error::auth(
            format!(
                "{}: {} to {} failed: {}",
                self.who,
                self.what,
                display_url(self.url),
                one_line(&scrub(cause, self.secrets))
            ),
            None,
        )
    }

    /// Like [`failed`](Self::failed), keeping `source` for programs that inspect it.
    fn failed_with(&self, cause: &str, source: reqwest::Error) -> Error {
        match self.failed(cause) {
            Error::Auth { message, .. } => Error::auth(message, Some(Box::new(source))),
            other => other,
        }
    }
}

json_object! {
    /// The answer of an OAuth 2.0 token endpoint (also STS).
    #[derive(Default)]
    pub(crate) struct TokenAnswer {
        pub access_token: Option<String> = "access_token",
        pub expires_in: Option<serde_json::Value> = "expires_in",
        pub refresh_token: Option<String> = "refresh_token",
    }
}

impl TokenAnswer {
    /// The access token, or an error saying the endpoint sent none.
    pub(crate) fn into_token(
        self,
        target: &Target<'_>,
    ) -> Result<(crate::AccessToken, Option<String>)> {
        let expires_at = self
            .expires_in
            .as_ref()
            .and_then(|v| v.as_u64().or_else(|| v.as_str()?.parse().ok()))
            .map(|s| SystemTime::now() + Duration::from_secs(s));
        match self.access_token {
            Some(token) if !token.is_empty() => Ok((
                crate::AccessToken::new(token, expires_at),
                self.refresh_token.filter(|t| !t.is_empty()),
            )),
            _ => Err(target.failed("the answer has no access_token")),
        }
    }
}

/// An error answer of a token endpoint.
pub(crate) struct Refusal {
    pub status: u16,
    /// The OAuth `error` code (`invalid_grant`) or Google's `status` (`PERMISSION_DENIED`).
    pub code: Option<String>,
    detail: Option<String>,
}

impl Refusal {
    /// Reads an error body: OAuth's `{"error": "...", "error_description": "..."}` or
    /// Google's `{"error": {"code", "message", "status"}}`; anything else is not quoted.
    pub(crate) fn parse(status: u16, body: &[u8]) -> Self {
        json_object! {
            struct OAuth {
                error: String = "error" (required),
                error_description: Option<String> = "error_description",
            }
        }
        if let Ok(e) = serde_json::from_slice::<OAuth>(body) {
            return Self {
                status,
                code: Some(e.error),
                detail: e.error_description,
            };
        }
        if let Some(error) = crate::error::GoogleError::parse(body) {
            return Self {
                status,
                code: error.status,
                detail: error.message,
            };
        }
        Self {
            status,
            code: None,
            detail: None,
        }
    }

    /// `HTTP 400 invalid_grant: Token has been expired or revoked.`
    pub(crate) fn describe(&self) -> String {
        let mut text = format!("HTTP {}", self.status);
        if let Some(code) = &self.code {
            text.push(' ');
            text.push_str(code);
        }
        if let Some(detail) = self.detail.as_deref().filter(|d| !d.is_empty()) {
            text.push_str(": ");
            let mut short: String = detail.chars().take(DETAIL_CHARS).collect();
            if short.len() < detail.len() {
                short.push('…');
            }
            text.push_str(&short);
        }
        text
    }

    /// The refusal as an error of `target`.
    pub(crate) fn into_error(self, target: &Target<'_>) -> Error {
        target.failed(&self.describe())
    }
}

impl TokenHttp<'_> {
    /// Sends the request `build` makes (again for each attempt, through the one
    /// [`retry_loop`]), retrying connection failures, timeouts, 429 and 5xx as the
    /// client's [`RetryPolicy`] says, and returns the status and body of the last answer.
    pub(crate) async fn send(
        &self,
        target: &Target<'_>,
        // A trait object: the attempt is compiled once, not once per caller.
        build: &(dyn Fn(&reqwest::Client) -> reqwest::RequestBuilder + Send + Sync),
    ) -> Result<(u16, Bytes)> {
        let outcome = retry_loop(self.retry, target.who, move |_| async move {
            self.attempt(target, build).await
        })
        .await;
        match outcome {
            Ok(answer) | Err(Failure::Status(answer)) => Ok(answer),
            Err(Failure::Fatal(e)) => Err(e),
            Err(Failure::Transport(e)) => {
                let text = cause(&e, self.timeout);
                Err(target.failed_with(&text, e.without_url()))
            }
        }
    }

    /// One token request and its answer read to the end.
    async fn attempt(
        &self,
        target: &Target<'_>,
        build: &(dyn Fn(&reqwest::Client) -> reqwest::RequestBuilder + Send + Sync),
    ) -> Attempt<(u16, Bytes), Failure> {
        let mut request = build(self.http);
        if let Some(t) = self.timeout {
            request = request.timeout(t);
        }
        let response = match request.send().await {
            Ok(response) => response,
            Err(e) if e.is_builder() => {
                return Attempt::Done(Err(Failure::Fatal(target.failed(&format!(
                    "the request could not be built: {}",
                    cause(&e, self.timeout)
                )))));
            }
            Err(e) => return Attempt::transport(Failure::Transport(e)),
        };
        let status = response.status().as_u16();
        let headers = response.headers().clone();
        match response.bytes().await {
            Ok(body) if retryable_status(status) => {
                Attempt::status(Failure::Status((status, body)), status, &headers)
            }
            Ok(body) => Attempt::Done(Ok((status, body))),
            Err(e) => Attempt::transport(Failure::Transport(e)),
        }
    }

    /// POSTs an OAuth form and reads the token answer; an error status is a
    /// [`Refusal`] (the caller may act on `invalid_grant`).
    pub(crate) async fn post_form(
        &self,
        target: &Target<'_>,
        form: &[(&str, &str)],
        basic_auth: Option<(&str, &str)>,
    ) -> Result<std::result::Result<TokenAnswer, Refusal>> {
        let (status, body) = self
            .send(target, &|http| {
                let request = http
                    .post(target.url)
                    .header(reqwest::header::ACCEPT, "application/json")
                    .form(form);
                match basic_auth {
                    Some((id, secret)) => request.basic_auth(id, Some(secret)),
                    None => request,
                }
            })
            .await?;
        if !(200..300).contains(&status) {
            return Ok(Err(Refusal::parse(status, &body)));
        }
        serde_json::from_slice(&body).map(Ok).map_err(|_| {
            target.failed(&format!(
                "HTTP {status} with an answer that is not a JSON token response"
            ))
        })
    }
}

/// The cause of a transport failure in a few words: the deepest I/O error of the chain
/// (`connection refused`), a timeout, or the innermost message. Never contains a URL.
pub(crate) fn cause(e: &reqwest::Error, timeout: Option<Duration>) -> String {
    if e.is_timeout() {
        return match timeout {
            Some(t) => format!("timed out after {t:?}"),
            None => "timed out".to_owned(),
        };
    }
    let mut innermost: Option<&(dyn StdError + 'static)> = None;
    let mut next = e.source();
    while let Some(err) = next {
        // The deepest I/O error names the cause (a TLS error is wrapped in one too).
        if let Some(io) = err.downcast_ref::<std::io::Error>() {
            return io_cause(io);
        }
        innermost = Some(err);
        next = err.source();
    }
    match innermost {
        Some(err) => lowercase_first(&err.to_string()),
        None if e.is_connect() => "could not connect".to_owned(),
        None if e.is_body() || e.is_decode() => "reading the answer failed".to_owned(),
        None => "sending the request failed".to_owned(),
    }
}

/// An I/O error in a few words.
pub(crate) fn io_cause(io: &std::io::Error) -> String {
    use std::io::ErrorKind;
    match io.kind() {
        ErrorKind::ConnectionRefused => "connection refused".to_owned(),
        ErrorKind::ConnectionReset => "connection reset".to_owned(),
        ErrorKind::ConnectionAborted => "connection aborted".to_owned(),
        ErrorKind::TimedOut => "timed out".to_owned(),
        ErrorKind::NotFound => "not found".to_owned(),
        ErrorKind::PermissionDenied => "permission denied".to_owned(),
        _ => lowercase_first(&strip_os_error(&io.to_string())),
    }
}

/// `Connection refused (os error 111)` -> `Connection refused`.
fn strip_os_error(text: &str) -> String {
    match text.find(" (os error ") {
        Some(at) => text[..at].to_owned(),
        None => text.to_owned(),
    }
}

fn lowercase_first(text: &str) -> String {
    let mut chars = text.chars();
    match chars.next() {
        Some(first) if chars.clone().next().is_some_and(char::is_lowercase) => {
            first.to_lowercase().chain(chars).collect()
        }
        _ => text.to_owned(),
    }
}

/// A URL as errors show it: no user info, query or fragment (they may hold secrets).
pub(crate) fn display_url(url: &str) -> String {
    match reqwest::Url::parse(url) {
        Ok(mut parsed) => {
            let _ = parsed.set_username("");
            let _ = parsed.set_password(None);
            parsed.set_query(None);
            parsed.set_fragment(None);
            parsed.to_string()
        }
        Err(_) => url
            .split(['?', '#'])
            .next()
            .unwrap_or_default()
            .chars()
            .take(DETAIL_CHARS)
            .collect(),
    }
}

/// Replaces every secret (of a useful length) in `text`.
pub(crate) fn scrub(text: &str, secrets: &[&str]) -> String {
    let mut out = text.to_owned();
    for secret in secrets.iter().filter(|s| s.len() >= 4) {
        if out.contains(secret) {
            out = out.replace(secret, "<redacted>");
        }
    }
    out
}

/// Newlines and other control characters become spaces.
pub(crate) fn one_line(text: &str) -> String {
    text.chars()
        .map(|c| if c.is_control() { ' ' } else { c })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn urls_lose_query_and_user_info() {
        assert_eq!(
            display_url("https://user:pw@sts.example/v1/token?key=SECRET#x"),
            "https://sts.example/v1/token"
        );
        assert_eq!(display_url("not a url?key=SECRET"), "not a url");
    }

    #[test]
    fn refusals_quote_oauth_and_google_errors_only() {
        let r = Refusal::parse(
            400,
            br#"{"error":"invalid_grant","error_description":"Token has been expired or revoked."}"#,
        );
        assert_eq!(r.code.as_deref(), Some("invalid_grant"));
        assert_eq!(
            r.describe(),
            "HTTP 400 invalid_grant: Token has been expired or revoked."
        );
        let r = Refusal::parse(
            403,
            br#"{"error":{"code":403,"message":"Permission denied","status":"PERMISSION_DENIED"}}"#,
        );
        assert_eq!(
            r.describe(),
            "HTTP 403 PERMISSION_DENIED: Permission denied"
        );
        let r = Refusal::parse(400, b"refresh_token=ECHOED-SECRET");
        assert_eq!(r.describe(), "HTTP 400");
    }

    #[test]
    fn secrets_are_scrubbed_and_text_is_one_line() {
        let target = Target {
            who: "w",
            what: "token request",
            url: "http://h/t",
            secrets: &["REFRESH-SECRET"],
        };
        let e = target.failed("HTTP 400 bad: got REFRESH-SECRET\nline two");
        assert_eq!(
            e.to_string(),
            "authentication failed: w: token request to http://h/t failed: HTTP 400 bad: got <redacted> line two"
        );
        assert_eq!(
            strip_os_error("Connection refused (os error 111)"),
            "Connection refused"
        );
        assert_eq!(lowercase_first("Connection refused"), "connection refused");
        assert_eq!(lowercase_first("HTTP 400"), "HTTP 400");
    }
}
