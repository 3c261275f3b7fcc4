//! Building a client: [`ClientBuilder`], generic over the generated crate's own client
//! type so that every API's `Client::builder()` shares these settings.

use std::fmt;
use std::marker::PhantomData;
use std::time::Duration;

use reqwest::header::{HeaderMap, HeaderName, HeaderValue};

use crate::auth::{Auth, Credentials};
use crate::client::{ApiClient, Client};
use crate::error::{Error, Result};
use crate::retry::RetryPolicy;
use crate::service::Service;
use crate::transport::{Inner, Transport};

/// The `x-goog-api-client` header Google uses to tell client libraries apart.
pub(crate) const API_CLIENT_HEADER: &str = concat!("gl-rust gdcl/", env!("CARGO_PKG_VERSION"));

/// Builds a client of one API: `C` is the generated crate's `Client` (its
/// `Client::builder()` starts one), or this crate's [`Client`] itself.
pub struct ClientBuilder<C = Client> {
    service: &'static Service,
    credentials: Credentials,
    root_url: Option<String>,
    user_agent: Option<String>,
    api_key: Option<ApiKey>,
    quota_project: Option<String>,
    connect_timeout: Option<Duration>,
    request_timeout: Option<Duration>,
    retry: RetryPolicy,
    client: PhantomData<fn() -> C>,
}

impl<C> Clone for ClientBuilder<C> {
    fn clone(&self) -> Self {
        Self {
            service: self.service,
            credentials: self.credentials.clone(),
            root_url: self.root_url.clone(),
            user_agent: self.user_agent.clone(),
            api_key: self.api_key.clone(),
            quota_project: self.quota_project.clone(),
            connect_timeout: self.connect_timeout,
            request_timeout: self.request_timeout,
            retry: self.retry.clone(),
            client: PhantomData,
        }
    }
}

impl<C> fmt::Debug for ClientBuilder<C> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("ClientBuilder")
            .field(
                "service",
                &format_args!("{}:{}", self.service.name, self.service.version),
            )
            .field("credentials", &self.credentials)
            .field("root_url", &self.root_url)
            .field("user_agent", &self.user_agent)
            .field("api_key", &self.api_key)
            .field("quota_project", &self.quota_project)
            .field("connect_timeout", &self.connect_timeout)
            .field("request_timeout", &self.request_timeout)
            .field("retry", &self.retry)
            .finish()
    }
}

impl Client {
    /// Starts building a client of `service` (part of the contract: users start from
    /// their API crate's `Client::builder()`).
    #[doc(hidden)]
    pub fn builder(service: &'static Service) -> ClientBuilder<Client> {
        ClientBuilder::new(service)
    }
}

/// An API key, redacted in `Debug`.
#[derive(Clone)]
struct ApiKey(String);

impl fmt::Debug for ApiKey {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("<redacted>")
    }
}

impl<C: ApiClient> ClientBuilder<C> {
    /// A builder for a client of `service`, every setting at its default. Generated
    /// crates call this from their `Client::builder()` (part of the contract).
    #[doc(hidden)]
    pub fn new(service: &'static Service) -> Self {
        Self {
            service,
            credentials: Credentials::none(),
            root_url: None,
            user_agent: None,
            api_key: None,
            quota_project: None,
            connect_timeout: Some(Duration::from_secs(10)),
            request_timeout: Some(Duration::from_secs(60)),
            retry: RetryPolicy::default(),
            client: PhantomData,
        }
    }

    /// How to authenticate (default: no credentials).
    pub fn credentials(mut self, credentials: Credentials) -> Self {
        self.credentials = credentials;
        self
    }

    /// Replaces the API's root URL (the document's `rootUrl`, e.g.
    /// `https://www.googleapis.com/`), for tests, emulators and private endpoints. Only
    /// the root changes: the service path (`drive/v3/`), method paths and the `upload/`
    /// and `download/` paths stay as the API defines them, relative to the new root.
    pub fn base_url(mut self, url: impl Into<String>) -> Self {
        self.root_url = Some(url.into());
        self
    }

    /// The `User-Agent` header (default: the generated crate's name and version).
    pub fn user_agent(mut self, user_agent: impl Into<String>) -> Self {
        self.user_agent = Some(user_agent.into());
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
    pub fn build(self) -> Result<C> {
        let service = self.service;
        let mut base_url = self.root_url.unwrap_or_else(|| service.root_url.to_owned());
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
        let user_agent = self
            .user_agent
            .unwrap_or_else(|| service.user_agent.to_owned());
        let mut http = reqwest::Client::builder()
            .user_agent(user_agent.clone())
            .default_headers(headers);
        if let Some(t) = self.connect_timeout {
            http = http.connect_timeout(t);
        }
        let http = http.build().map_err(|e| Error::Transport {
            method: "ClientBuilder::build",
            message: "could not set up the HTTP client".into(),
            source: Box::new(e),
        })?;
        let credentials = self.credentials.for_api(service.default_scopes);
        let transport = Transport::new(Inner {
            service,
            http,
            root_url: base_url,
            auth: Auth::new(credentials, self.retry.clone(), self.request_timeout),
            api_key,
            quota_project,
            retry: self.retry,
            request_timeout: self.request_timeout,
            user_agent,
        });
        Ok(C::from_runtime(Client { transport }))
    }
}
