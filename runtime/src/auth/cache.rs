//! The client's access token cache over its [`Credentials`]: one token request however
//! many calls wait, a refresh shortly before expiry, and a forgotten token after a 401.

use std::fmt;
use std::time::{Duration, SystemTime};

use super::http::TokenHttp;
use super::{AccessToken, Credentials};
use crate::error::Result;
use crate::retry::RetryPolicy;

/// The client's token cache over its [`Credentials`].
pub(crate) struct Auth {
    credentials: Credentials,
    /// The client's retry policy and request timeout, for token requests too.
    retry: RetryPolicy,
    timeout: Option<Duration>,
    /// The current token; read without waiting on the common path.
    cache: std::sync::RwLock<Option<AccessToken>>,
    /// Held across a refresh, so concurrent calls wait for one token request.
    refresh: tokio::sync::Mutex<()>,
}

impl fmt::Debug for Auth {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        self.credentials.fmt(f)
    }
}

impl Auth {
    /// Token requests use `retry` and `timeout`, like API calls.
    pub(crate) fn new(
        credentials: Credentials,
        retry: RetryPolicy,
        timeout: Option<Duration>,
    ) -> Self {
        let cache = credentials
            .provider
            .as_ref()
            .and_then(|p| p.fixed_token().cloned());
        Self {
            credentials,
            retry,
            timeout,
            cache: std::sync::RwLock::new(cache),
            refresh: tokio::sync::Mutex::new(()),
        }
    }

    /// Whether a 401 is worth a refresh (a fixed token would come back the same).
    pub(crate) fn can_refresh(&self) -> bool {
        self.credentials
            .provider
            .as_ref()
            .is_some_and(|p| p.fixed_token().is_none())
    }

    /// The cached token if it is not about to expire.
    fn fresh(&self) -> Option<AccessToken> {
        // A poisoned lock only means a panic elsewhere while holding it; the value
        // (an Option of an immutable token) is still consistent.
        let cache = self.cache.read().unwrap_or_else(|e| e.into_inner());
        cache
            .as_ref()
            .filter(|t| t.is_fresh(SystemTime::now()))
            .cloned()
    }

    /// The token to send, fetching a new one when there is none or it is about to
    /// expire; `None` without credentials.
    pub(crate) async fn token(&self, http: &reqwest::Client) -> Result<Option<AccessToken>> {
        let Some(provider) = &self.credentials.provider else {
            return Ok(None);
        };
        if let Some(token) = self.fresh() {
            return Ok(Some(token));
        }
        let _refreshing = self.refresh.lock().await;
        // Another call may have refreshed while this one waited.
        if let Some(token) = self.fresh() {
            return Ok(Some(token));
        }
        let http = TokenHttp {
            http,
            retry: &self.retry,
            timeout: self.timeout,
        };
        let token = provider.fetch(http, &self.credentials.scopes).await?;
        tracing::debug!(kind = provider.kind(), "fetched a new access token");
        *self.cache.write().unwrap_or_else(|e| e.into_inner()) = Some(token.clone());
        Ok(Some(token))
    }

    /// Forgets `rejected` (the API answered 401 to it) unless another call already
    /// replaced it, so many rejected calls cause one refresh.
    pub(crate) async fn invalidate(&self, rejected: &AccessToken) {
        if !self.can_refresh() {
            return;
        }
        let _refreshing = self.refresh.lock().await;
        let mut cache = self.cache.write().unwrap_or_else(|e| e.into_inner());
        if cache.as_ref().is_some_and(|t| t.secret == rejected.secret) {
            *cache = None;
        }
    }
}
