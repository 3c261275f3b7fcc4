//! Sending one API call: URL from the service's root and the method's path template,
//! query, JSON body, headers, auth (with one token refresh on 401), tracing, and the
//! answer turned into bytes or an [`Error`]; its attempts are repeated by the one
//! retry loop (`retry_loop.rs`). The bottom layer: upload, download
//! and the [`Client`](crate::Client) facade are built on it.

use std::fmt;
use std::future::Future;
use std::pin::Pin;
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};
use std::time::Duration;

use bytes::Bytes;
use reqwest::header::{CONTENT_TYPE, HeaderName, HeaderValue};
use serde::de::DeserializeOwned;
use tracing::Instrument;

use crate::auth::Auth;
use crate::error::{Error, Result, api_error, snippet, transport_error};
use crate::json_path;
use crate::params::RequestOptions;
use crate::request::{ApiRequest, append_query, expand_path};
use crate::retry::{RetryPolicy, retryable_status};
use crate::retry_loop::{Attempt, retry_loop};
use crate::service::Service;

/// The HTTP connection pool, credentials and settings every call of one client shares.
/// Cheap to clone (one `Arc`).
#[derive(Clone)]
pub(crate) struct Transport {
    inner: Arc<Inner>,
}

/// The settings of a transport, fixed when the client is built.
pub(crate) struct Inner {
    pub service: &'static Service,
    pub http: reqwest::Client,
    /// The root URL (the service's, or the override): ends with `/`.
    pub root_url: String,
    pub auth: Auth,
    pub api_key: Option<HeaderValue>,
    pub quota_project: Option<HeaderValue>,
    pub retry: RetryPolicy,
    pub request_timeout: Option<Duration>,
    pub user_agent: String,
}

impl fmt::Debug for Transport {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let i = &self.inner;
        f.debug_struct("Client")
            .field(
                "service",
                &format_args!("{}:{}", i.service.name, i.service.version),
            )
            .field("root_url", &i.root_url)
            .field("user_agent", &i.user_agent)
            .field("credentials", &i.auth)
            .field("api_key", &i.api_key.as_ref().map(|_| "<redacted>"))
            .field("quota_project", &i.quota_project)
            .field("retry", &i.retry)
            .field("request_timeout", &i.request_timeout)
            .finish()
    }
}

/// The body of one attempt, being made.
pub(crate) type BodyFuture<'a> =
    Pin<Box<dyn Future<Output = Result<Option<reqwest::Body>>> + Send + 'a>>;

/// Makes the body of each attempt. A trait object, so that the send loop (retries, auth,
/// 401 refresh, error mapping) is compiled once rather than once per caller.
pub(crate) type MakeBody<'a> = dyn Fn() -> BodyFuture<'a> + Send + Sync + 'a;

/// One HTTP exchange the send loop can repeat.
pub(crate) struct Outgoing<'a> {
    /// Method id, for spans and errors.
    pub id: &'static str,
    /// Scopes the method accepts, for errors.
    pub scopes: &'static [&'static str],
    pub method: reqwest::Method,
    pub url: &'a reqwest::Url,
    pub headers: Vec<(HeaderName, HeaderValue)>,
    /// Whether a failed attempt may be repeated (the call is idempotent and the body
    /// can be made again).
    pub retryable: bool,
    /// Whether the body can be made again (needed to answer a 401 with a retry).
    pub replayable: bool,
    /// Whether the per-request timeout applies (not to streamed uploads).
    pub timeout: bool,
    /// Status codes besides 2xx handed back to the caller (308 for resumable uploads).
    pub accept: &'static [u16],
}

/// Why one attempt failed.
enum Failure {
    /// Do not retry this.
    Fatal(Error),
    /// A transport error a retry may cure.
    Transient(reqwest::Error),
    /// An answer with an error status (read into [`Error::Api`] when the call ends).
    Status(reqwest::Response),
}

impl Transport {
    /// A transport with these settings.
    pub(crate) fn new(inner: Inner) -> Self {
        Self {
            inner: Arc::new(inner),
        }
    }

    /// The settings.
    pub(crate) fn inner(&self) -> &Inner {
        &self.inner
    }

    /// The retry policy.
    pub(crate) fn retry_policy(&self) -> &RetryPolicy {
        &self.inner.retry
    }

    /// Builds the URL of `path` (relative to the root URL: a method's path needs the
    /// service path in front, see [`method_path`](Self::method_path)) with `query`.
    pub(crate) fn url(
        &self,
        method: &'static str,
        path: &str,
        query: &[(&'static str, String)],
    ) -> Result<reqwest::Url> {
        let mut url = String::with_capacity(self.inner.root_url.len() + path.len() + 64);
        url.push_str(&self.inner.root_url);
        url.push_str(path.trim_start_matches('/'));
        append_query(&mut url, query.iter().map(|(n, v)| (*n, v.as_str())));
        reqwest::Url::parse(&url)
            .map_err(|e| Error::invalid(method, format!("the request URL is invalid: {e}")))
    }

    /// A method's expanded path relative to the root URL: the service path, then the
    /// method's (`drive/v3/` + `files/ID`). A template that starts with `/` is already
    /// relative to the root (as media upload paths are).
    pub(crate) fn method_path(&self, template: &str, expanded: &str) -> String {
        if template.starts_with('/') {
            expanded.to_owned()
        } else {
            format!("{}{expanded}", self.inner.service.service_path)
        }
    }

    /// The URL, method and JSON body of a plain call, sent and read to the end.
    pub(crate) async fn execute_bytes(&self, mut request: ApiRequest) -> Result<Bytes> {
        let info = request.method;
        let path = self.method_path(
            info.path,
            &expand_path(info, info.path, &request.path_params)?,
        );
        let url = self.url(info.id, &path, &request.query)?;
        let body = match request.body.take() {
            None => None,
            Some(Ok(bytes)) => Some(Bytes::from(bytes)),
            Some(Err(e)) => {
                return Err(Error::invalid(
                    info.id,
                    format!("the request body could not be serialized: {e}"),
                ));
            }
        };
        let mut headers = Vec::new();
        if body.is_some() {
            headers.push((CONTENT_TYPE, HeaderValue::from_static("application/json")));
        }
        let out = Outgoing {
            id: info.id,
            scopes: info.scopes,
            method: info.http_method.clone(),
            url: &url,
            headers,
            retryable: is_idempotent(&request),
            replayable: true,
            timeout: true,
            accept: &[],
        };
        let response = self
            .send_with(&out, &request.options, &|| -> BodyFuture<'_> {
                let body = body.clone();
                Box::pin(async move { Ok(body.map(reqwest::Body::from)) })
            })
            .await?;
        read_body(info.id, response).await
    }

    /// Like [`send`](Self::send), with the request timeout bounding only the wait for
    /// the response headers (the body may stream for longer).
    pub(crate) async fn send_headers_timeout(
        &self,
        out: &Outgoing<'_>,
        options: &RequestOptions,
        body: &MakeBody<'_>,
    ) -> Result<reqwest::Response> {
        match options.timeout.or(self.inner.request_timeout) {
            Some(t) => tokio::time::timeout(t, self.send_with(out, options, body))
                .await
                .map_err(|_| Error::Timeout { method: out.id })?,
            None => self.send_with(out, options, body).await,
        }
    }

    /// Sends `out`, with auth, retries and one token refresh on 401, and returns a
    /// response whose status is 2xx or in `out.accept`; other statuses become
    /// [`Error::Api`]. `body` makes the body of each attempt.
    pub(crate) async fn send(
        &self,
        out: &Outgoing<'_>,
        body: &MakeBody<'_>,
    ) -> Result<reqwest::Response> {
        self.send_with(out, &RequestOptions::default(), body).await
    }

    /// [`send`](Self::send) with one call's timeout and retry policy, where set,
    /// instead of the client's. The attempts go through the one [`retry_loop`].
    async fn send_with(
        &self,
        out: &Outgoing<'_>,
        options: &RequestOptions,
        body: &MakeBody<'_>,
    ) -> Result<reqwest::Response> {
        let inner = &*self.inner;
        let retry = options.retry_policy.as_ref().unwrap_or(&inner.retry);
        let timeout = options.timeout.or(inner.request_timeout);
        // One token refresh per call, whichever attempt meets the 401.
        let refreshed = AtomicBool::new(false);
        let refreshed = &refreshed;
        let outcome = retry_loop(retry, out.id, move |number| async move {
            self.attempt(out, timeout, body, number, refreshed).await
        })
        .await;
        match outcome {
            Ok(response) => Ok(response),
            Err(Failure::Fatal(e)) => Err(e),
            Err(Failure::Transient(e)) => Err(transport_error(out.id, e)),
            Err(Failure::Status(response)) => {
                Err(error_response(inner.service, out.id, out.scopes, response).await)
            }
        }
    }

    /// One attempt: a token, the body, the exchange, and what its answer means. A 401
    /// is answered here, once per call, with a new token and the same exchange again:
    /// a refresh, not a retry.
    async fn attempt(
        &self,
        out: &Outgoing<'_>,
        timeout: Option<Duration>,
        body: &MakeBody<'_>,
        number: u32,
        refreshed: &AtomicBool,
    ) -> Attempt<reqwest::Response, Failure> {
        let inner = &*self.inner;
        loop {
            let span = tracing::debug_span!(
                "google_api.request",
                method = out.id,
                http_method = %out.method,
                attempt = number,
                status = tracing::field::Empty,
            );
            let token = match inner.auth.token(&inner.http).await {
                Ok(token) => token,
                Err(e) => return Attempt::Done(Err(Failure::Fatal(e))),
            };
            let body = match body().await {
                Ok(body) => body,
                Err(e) => return Attempt::Done(Err(Failure::Fatal(e))),
            };
            let response = match self
                .exchange(out, timeout, token.as_ref().map(|t| t.secret()), body)
                .instrument(span.clone())
                .await
            {
                Ok(response) => response,
                Err(Failure::Transient(e)) if out.retryable => {
                    return Attempt::transport(Failure::Transient(e));
                }
                Err(failure) => return Attempt::Done(Err(failure)),
            };
            let status = response.status().as_u16();
            span.record("status", status);
            if response.status().is_success() || out.accept.contains(&status) {
                return Attempt::Done(Ok(response));
            }
            if status == 401 && inner.auth.can_refresh() && out.replayable {
                if let Some(token) = &token {
                    if !refreshed.swap(true, Ordering::Relaxed) {
                        inner.auth.invalidate(token).await;
                        tracing::debug!(parent: &span, "401: refreshing the token and sending again");
                        continue;
                    }
                }
            }
            if out.retryable && retryable_status(status) {
                let headers = response.headers().clone();
                return Attempt::status(Failure::Status(response), status, &headers);
            }
            return Attempt::Done(Err(Failure::Status(response)));
        }
    }

    /// One HTTP exchange.
    async fn exchange(
        &self,
        out: &Outgoing<'_>,
        timeout: Option<Duration>,
        token: Option<&str>,
        body: Option<reqwest::Body>,
    ) -> Result<reqwest::Response, Failure> {
        let inner = &*self.inner;
        let mut rb = inner.http.request(out.method.clone(), out.url.clone());
        for (name, value) in &out.headers {
            rb = rb.header(name, value);
        }
        if let Some(token) = token {
            rb = rb.bearer_auth(token);
        }
        if let Some(project) = &inner.quota_project {
            rb = rb.header(
                HeaderName::from_static("x-goog-user-project"),
                project.clone(),
            );
        }
        if let Some(key) = &inner.api_key {
            rb = rb.header(HeaderName::from_static("x-goog-api-key"), key.clone());
        }
        if let Some(body) = body {
            rb = rb.body(body);
        } else if matches!(out.method, reqwest::Method::POST | reqwest::Method::PUT) {
            // Google front ends answer 411 to a bodiless POST without a length.
            rb = rb.header(reqwest::header::CONTENT_LENGTH, 0);
        }
        if out.timeout {
            if let Some(t) = timeout {
                rb = rb.timeout(t);
            }
        }
        match rb.send().await {
            Ok(response) => Ok(response),
            Err(e) if e.is_builder() => Err(Failure::Fatal(Error::invalid(
                out.id,
                format!("the request could not be built: {}", e.without_url()),
            ))),
            Err(e) if e.is_timeout() || e.is_connect() || e.is_request() => {
                Err(Failure::Transient(e))
            }
            Err(e) => Err(Failure::Fatal(transport_error(out.id, e))),
        }
    }
}

/// GET, PUT, DELETE and HEAD are idempotent; a POST is when it carries a `requestId`
/// (the server then deduplicates, as `messages.create` does).
pub(crate) fn is_idempotent(request: &ApiRequest) -> bool {
    use reqwest::Method;
    let m = &request.method.http_method;
    *m == Method::GET
        || *m == Method::PUT
        || *m == Method::DELETE
        || *m == Method::HEAD
        || (*m == Method::POST
            && request
                .query
                .iter()
                .any(|(n, v)| *n == "requestId" && !v.is_empty()))
}

/// Reads a whole (JSON) response body.
pub(crate) async fn read_body(method: &'static str, response: reqwest::Response) -> Result<Bytes> {
    response.bytes().await.map_err(|e| {
        if e.is_timeout() {
            Error::Timeout { method }
        } else {
            transport_error(method, e)
        }
    })
}

/// Turns an error status into [`Error::Api`].
pub(crate) async fn error_response(
    service: &Service,
    method: &'static str,
    scopes: &'static [&'static str],
    response: reqwest::Response,
) -> Error {
    let status = response.status().as_u16();
    let request_id = ["x-request-id", "x-goog-request-id"]
        .iter()
        .find_map(|h| response.headers().get(*h))
        .and_then(|v| v.to_str().ok())
        .map(str::to_owned);
    let body = response.bytes().await.unwrap_or_default();
    Error::Api(Box::new(api_error(
        service.hint,
        method,
        scopes,
        status,
        request_id,
        &body,
    )))
}

/// Decodes a JSON response; an empty body is `{}`.
pub(crate) fn decode<T: DeserializeOwned>(method: &'static str, body: &[u8]) -> Result<T> {
    let json: &[u8] = if body.iter().all(u8::is_ascii_whitespace) {
        b"{}"
    } else {
        body
    };
    // serde_json says where it failed; the path is read off the text only then.
    serde_json::from_slice(json).map_err(|e| {
        let path = json_path::offset_of(json, e.line(), e.column())
            .map_or_else(|| ".".to_owned(), |offset| json_path::path_at(json, offset));
        Error::Decode {
            method,
            path,
            message: e.to_string(),
            snippet: snippet(body),
        }
    })
}
