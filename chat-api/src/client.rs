//! The client: configuration, and sending one API call with auth, retries and tracing.
//!
//! Generated request builders turn into an [`ApiRequest`]; this module turns that into
//! HTTP (URL from the path template, query, JSON body, headers), sends it through one
//! shared `reqwest` connection pool, and turns the answer into a typed value or an
//! [`Error`]. Media protocols live in `upload.rs` and `media.rs` and use [`Client::send`].

use std::fmt;
use std::future::Future;
use std::sync::Arc;
use std::time::{Duration, Instant};

use bytes::Bytes;
use reqwest::header::{CONTENT_TYPE, HeaderMap, HeaderName, HeaderValue};
use serde::de::DeserializeOwned;
use tracing::Instrument;

use crate::auth::{Auth, Credentials};
use crate::error::{Error, Result, api_error, snippet};
use crate::media::{Download, UploadMedia};
use crate::params::CallOptions;
use crate::retry::{RetryPolicy, parse_retry_after, retryable_status};
use crate::rt::{ApiRequest, append_query, expand_path};

/// The production endpoint.
pub const DEFAULT_BASE_URL: &str = "https://chat.googleapis.com/";

/// `chat-api-rs/<version>`, the default `User-Agent`.
pub const DEFAULT_USER_AGENT: &str = concat!("chat-api-rs/", env!("CARGO_PKG_VERSION"));

/// The `x-goog-api-client` header Google uses to tell client libraries apart.
const API_CLIENT_HEADER: &str = concat!("gl-rust gdcl/", env!("CARGO_PKG_VERSION"));

/// A Google Chat API client. Cheap to clone (one `Arc`); `Send + Sync`; all clones share
/// one connection pool and one token cache.
///
/// ```no_run
/// # async fn run() -> chat_api::Result<()> {
/// use chat_api::{Client, Credentials};
/// let client = Client::builder()
///     .credentials(Credentials::service_account_file("service_account.json")?)
///     .build()?;
/// # let _ = client; Ok(()) }
/// ```
#[derive(Clone)]
pub struct Client {
    inner: Arc<Inner>,
}

struct Inner {
    http: reqwest::Client,
    base_url: String,
    auth: Auth,
    api_key: Option<HeaderValue>,
    quota_project: Option<HeaderValue>,
    retry: RetryPolicy,
    request_timeout: Option<Duration>,
    user_agent: String,
}

impl fmt::Debug for Client {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let i = &self.inner;
        f.debug_struct("Client")
            .field("base_url", &i.base_url)
            .field("user_agent", &i.user_agent)
            .field("credentials", &i.auth)
            .field("api_key", &i.api_key.as_ref().map(|_| "<redacted>"))
            .field("quota_project", &i.quota_project)
            .field("retry", &i.retry)
            .field("request_timeout", &i.request_timeout)
            .finish()
    }
}

/// Builds a [`Client`].
#[derive(Debug, Clone)]
pub struct ClientBuilder {
    credentials: Credentials,
    base_url: String,
    user_agent: String,
    api_key: Option<ApiKey>,
    quota_project: Option<String>,
    connect_timeout: Option<Duration>,
    request_timeout: Option<Duration>,
    retry: RetryPolicy,
}

/// An API key, redacted in `Debug`.
#[derive(Clone)]
struct ApiKey(String);

impl fmt::Debug for ApiKey {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("<redacted>")
    }
}

impl Default for ClientBuilder {
    fn default() -> Self {
        Self {
            credentials: Credentials::none(),
            base_url: DEFAULT_BASE_URL.to_owned(),
            user_agent: DEFAULT_USER_AGENT.to_owned(),
            api_key: None,
            quota_project: None,
            connect_timeout: Some(Duration::from_secs(10)),
            request_timeout: Some(Duration::from_secs(60)),
            retry: RetryPolicy::default(),
        }
    }
}

impl ClientBuilder {
    /// How to authenticate (default: no credentials).
    pub fn credentials(mut self, credentials: Credentials) -> Self {
        self.credentials = credentials;
        self
    }

    /// The root URL requests go to (default [`DEFAULT_BASE_URL`]); method paths and the
    /// `upload/` and `download/` paths are relative to it. For tests and emulators.
    pub fn base_url(mut self, url: impl Into<String>) -> Self {
        self.base_url = url.into();
        self
    }

    /// The `User-Agent` header (default [`DEFAULT_USER_AGENT`]).
    pub fn user_agent(mut self, user_agent: impl Into<String>) -> Self {
        self.user_agent = user_agent.into();
        self
    }

    /// An API key, sent in the `x-goog-api-key` header (never in the URL, so it cannot
    /// leak into logs). Developer Preview calls need one besides the credentials.
    pub fn api_key(mut self, key: impl Into<String>) -> Self {
        self.api_key = Some(ApiKey(key.into()));
        self
    }

    /// The project billed for quota, sent as `x-goog-user-project` (default: the
    /// credentials' [`quota_project`](Credentials::quota_project), if any).
    pub fn quota_project(mut self, project: impl Into<String>) -> Self {
        self.quota_project = Some(project.into());
        self
    }

    /// Time allowed to open a connection (default 10 s).
    pub fn connect_timeout(mut self, timeout: Duration) -> Self {
        self.connect_timeout = Some(timeout);
        self
    }

    /// Time allowed for one request and its response, and the longest silence while
    /// streaming a download (default 60 s).
    pub fn request_timeout(mut self, timeout: Duration) -> Self {
        self.request_timeout = Some(timeout);
        self
    }

    /// Removes the request timeout.
    pub fn no_request_timeout(mut self) -> Self {
        self.request_timeout = None;
        self
    }

    /// When to retry (default [`RetryPolicy::default`]; [`RetryPolicy::none`] turns it off).
    pub fn retry_policy(mut self, policy: RetryPolicy) -> Self {
        self.retry = policy;
        self
    }

    /// Builds the client.
    pub fn build(self) -> Result<Client> {
        let mut base_url = self.base_url;
        if !base_url.ends_with('/') {
            base_url.push('/');
        }
        let parsed = reqwest::Url::parse(&base_url).map_err(|e| {
            Error::invalid(
                "ClientBuilder::base_url",
                format!("`{base_url}` is not a URL: {e}"),
            )
        })?;
        if !matches!(parsed.scheme(), "http" | "https") || parsed.query().is_some() {
            return Err(Error::invalid(
                "ClientBuilder::base_url",
                format!("`{base_url}` must be an http(s) URL without a query"),
            ));
        }
        let mut headers = HeaderMap::new();
        headers.insert(
            HeaderName::from_static("x-goog-api-client"),
            HeaderValue::from_static(API_CLIENT_HEADER),
        );
        let api_key = match self.api_key {
            Some(ApiKey(key)) => {
                let mut value = HeaderValue::from_str(&key).map_err(|_| {
                    Error::invalid(
                        "ClientBuilder::api_key",
                        "the key has characters a header cannot carry",
                    )
                })?;
                value.set_sensitive(true);
                Some(value)
            }
            None => None,
        };
        let quota_project = match self
            .quota_project
            .as_deref()
            .or(self.credentials.quota_project())
        {
            Some(project) => Some(HeaderValue::from_str(project).map_err(|_| {
                Error::invalid(
                    "ClientBuilder::quota_project",
                    format!("`{project}` cannot be sent in a header"),
                )
            })?),
            None => None,
        };
        let mut http = reqwest::Client::builder()
            .user_agent(self.user_agent.clone())
            .default_headers(headers);
        if let Some(t) = self.connect_timeout {
            http = http.connect_timeout(t);
        }
        let http = http.build().map_err(|e| Error::Transport {
            method: "ClientBuilder::build",
            message: "could not set up the HTTP client".into(),
            source: Box::new(e),
        })?;
        Ok(Client {
            inner: Arc::new(Inner {
                http,
                base_url,
                auth: Auth::new(self.credentials, self.retry.clone(), self.request_timeout),
                api_key,
                quota_project,
                retry: self.retry,
                request_timeout: self.request_timeout,
                user_agent: self.user_agent,
            }),
        })
    }
}

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
}

impl Client {
    /// Starts building a client.
    pub fn builder() -> ClientBuilder {
        ClientBuilder::default()
    }

    /// A client with these credentials and every other setting at its default.
    pub fn new(credentials: Credentials) -> Result<Self> {
        Self::builder().credentials(credentials).build()
    }

    /// Gets an access token now rather than at the first call: runs the consent flow of
    /// [`Credentials::oauth_client_file`] (unless a cached refresh token works), and
    /// reports bad credentials or an unreachable token endpoint before any call is made.
    pub async fn authorize(&self) -> Result<()> {
        self.inner.auth.token(&self.inner.http).await.map(drop)
    }

    /// Sends a request and decodes its JSON response (an empty body decodes as `{}`).
    pub(crate) async fn execute<T: DeserializeOwned>(&self, request: ApiRequest) -> Result<T> {
        let info = request.method;
        let body = self.execute_bytes(request).await?;
        decode(info.id, &body)
    }

    /// Sends a request whose response has no body the caller needs.
    #[allow(
        dead_code,
        reason = "runtime contract for methods without a response type; every Chat method has one today"
    )]
    pub(crate) async fn execute_empty(&self, request: ApiRequest) -> Result<()> {
        self.execute_bytes(request).await.map(drop)
    }

    /// Sends a media upload request.
    pub(crate) async fn execute_upload<T: DeserializeOwned>(
        &self,
        request: ApiRequest,
        media: UploadMedia,
    ) -> Result<T> {
        let info = request.method;
        let body = crate::upload::upload(self, request, media).await?;
        decode(info.id, &body)
    }

    /// Sends an `alt=media` download request.
    pub(crate) async fn execute_download(&self, mut request: ApiRequest) -> Result<Download> {
        let info = request.method;
        if !info.supports_download {
            return Err(Error::invalid(
                info.id,
                "this method does not support media download",
            ));
        }
        request.query.retain(|(name, _)| *name != "alt");
        request.query.push(("alt", "media".to_owned()));
        let path = expand_path(info, info.path, &request.path_params)?;
        let path = if info.use_download_service {
            format!("download/{path}")
        } else {
            path
        };
        let url = self.url(info.id, &path, &request.query)?;
        let out = Outgoing {
            id: info.id,
            scopes: info.scopes,
            method: info.http_method.clone(),
            url: &url,
            headers: Vec::new(),
            retryable: is_idempotent(&request),
            replayable: true,
            timeout: false,
            accept: &[],
        };
        let response = self
            .send_headers_timeout(&out, &request.options, || async { Ok(None) })
            .await?;
        let timeout = request.options.timeout.or(self.inner.request_timeout);
        Ok(Download::new(info.id, response, timeout))
    }

    /// The retry policy.
    pub(crate) fn retry_policy(&self) -> &RetryPolicy {
        &self.inner.retry
    }

    /// Builds the URL of `path` (relative to the base URL) with `query`.
    pub(crate) fn url(
        &self,
        method: &'static str,
        path: &str,
        query: &[(&'static str, String)],
    ) -> Result<reqwest::Url> {
        let mut url = String::with_capacity(self.inner.base_url.len() + path.len() + 64);
        url.push_str(&self.inner.base_url);
        url.push_str(path.trim_start_matches('/'));
        append_query(&mut url, query.iter().map(|(n, v)| (*n, v.as_str())));
        reqwest::Url::parse(&url)
            .map_err(|e| Error::invalid(method, format!("the request URL is invalid: {e}")))
    }

    /// The URL, method and JSON body of a plain call, sent and read to the end.
    async fn execute_bytes(&self, mut request: ApiRequest) -> Result<Bytes> {
        let info = request.method;
        let path = expand_path(info, info.path, &request.path_params)?;
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
            .send_with(&out, &request.options, || {
                let body = body.clone();
                async move { Ok(body.map(reqwest::Body::from)) }
            })
            .await?;
        read_body(info.id, response).await
    }

    /// Like [`send`](Self::send), with the request timeout bounding only the wait for
    /// the response headers (the body may stream for longer).
    async fn send_headers_timeout<F, Fut>(
        &self,
        out: &Outgoing<'_>,
        options: &CallOptions,
        body: F,
    ) -> Result<reqwest::Response>
    where
        F: Fn() -> Fut,
        Fut: Future<Output = Result<Option<reqwest::Body>>>,
    {
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
    pub(crate) async fn send<F, Fut>(
        &self,
        out: &Outgoing<'_>,
        body: F,
    ) -> Result<reqwest::Response>
    where
        F: Fn() -> Fut,
        Fut: Future<Output = Result<Option<reqwest::Body>>>,
    {
        self.send_with(out, &CallOptions::default(), body).await
    }

    /// [`send`](Self::send) with one call's timeout and retry policy, where set,
    /// instead of the client's.
    async fn send_with<F, Fut>(
        &self,
        out: &Outgoing<'_>,
        options: &CallOptions,
        body: F,
    ) -> Result<reqwest::Response>
    where
        F: Fn() -> Fut,
        Fut: Future<Output = Result<Option<reqwest::Body>>>,
    {
        let inner = &*self.inner;
        let retry = options.retry.as_ref().unwrap_or(&inner.retry);
        let timeout = options.timeout.or(inner.request_timeout);
        let started = Instant::now();
        let mut attempt = 0u32;
        let mut refreshed = false;
        loop {
            attempt += 1;
            let span = tracing::debug_span!(
                "chat_api.request",
                method = out.id,
                http_method = %out.method,
                attempt,
                status = tracing::field::Empty,
            );
            let token = inner.auth.token(&inner.http).await?;
            let result = self
                .attempt(
                    out,
                    timeout,
                    token.as_ref().map(|t| t.secret()),
                    body().await?,
                )
                .instrument(span.clone())
                .await;
            let retry_after;
            match result {
                Ok(response) => {
                    let status = response.status().as_u16();
                    span.record("status", status);
                    if response.status().is_success() || out.accept.contains(&status) {
                        return Ok(response);
                    }
                    if status == 401 && !refreshed && inner.auth.can_refresh() && out.replayable {
                        if let Some(token) = &token {
                            refreshed = true;
                            inner.auth.invalidate(token).await;
                            attempt -= 1;
                            tracing::debug!(parent: &span, "401: refreshing the token and retrying");
                            continue;
                        }
                    }
                    retry_after = response
                        .headers()
                        .get(reqwest::header::RETRY_AFTER)
                        .and_then(|v| v.to_str().ok())
                        .and_then(parse_retry_after);
                    if !(out.retryable && retryable_status(status)) {
                        return Err(error_response(out.id, out.scopes, response).await);
                    }
                    match retry.next_delay(attempt, started.elapsed(), retry_after) {
                        Some(delay) => {
                            tracing::debug!(parent: &span, ?delay, "retryable status; waiting");
                            drop(response);
                            tokio::time::sleep(delay).await;
                        }
                        None => return Err(error_response(out.id, out.scopes, response).await),
                    }
                }
                Err(Failure::Fatal(e)) => return Err(e),
                Err(Failure::Transient(e)) => {
                    let delay = if out.retryable {
                        retry.next_delay(attempt, started.elapsed(), None)
                    } else {
                        None
                    };
                    match delay {
                        Some(delay) => {
                            tracing::debug!(parent: &span, ?delay, "transport error; waiting");
                            tokio::time::sleep(delay).await;
                        }
                        None => return Err(transport_error(out.id, e)),
                    }
                }
            }
        }
    }

    /// One HTTP exchange.
    async fn attempt(
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
        method, scopes, status, request_id, &body,
    )))
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

/// Decodes a JSON response; an empty body is `{}`.
pub(crate) fn decode<T: DeserializeOwned>(method: &'static str, body: &[u8]) -> Result<T> {
    let json: &[u8] = if body.iter().all(u8::is_ascii_whitespace) {
        b"{}"
    } else {
        body
    };
    // The fast decoder first; the path-tracking one (slower) only to explain a failure.
    if let Ok(value) = serde_json::from_slice(json) {
        return Ok(value);
    }
    let mut de = serde_json::Deserializer::from_slice(json);
    serde_path_to_error::deserialize(&mut de).map_err(|e| Error::Decode {
        method,
        path: e.path().to_string(),
        message: e.inner().to_string(),
        snippet: snippet(body),
    })
}

#[cfg(test)]
mod tests;
