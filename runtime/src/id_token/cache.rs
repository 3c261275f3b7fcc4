//! The key set of one URL, cached.
//!
//! - Kept for the `Cache-Control: max-age` of the answer that brought it, as Google's
//!   Node library does (`OAuth2Client.getFederatedSignonCertsAsync` in
//!   google-auth-library-nodejs reads `cache-control` to set the certificates' expiry);
//!   [`DEFAULT_MAX_AGE`] when the header is absent.
//! - A token naming a key id the set does not have makes it fetch the set again, once:
//!   keys rotate, and a new one may have been published since the last fetch.
//! - But never more than one fetch per `min_refetch_interval` (whatever the reason: an
//!   expired set, an unknown key id, a failed fetch), so that a flood of tokens with bogus
//!   key ids costs Google (and the app) one request per interval, not one per token.
//! - One fetch at a time: concurrent requests that need a fetch wait for the same one.

use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Arc, RwLock};
use std::time::{Duration, Instant};

use super::error::{IdTokenError, clip};
use super::keys::{KeyMap, RsaKey, parse_key_set};
use crate::client::Client;

/// How long a key set is kept when its answer has no `max-age`.
pub const DEFAULT_MAX_AGE: Duration = Duration::from_secs(300);

/// The cached key set of one URL.
pub(crate) struct KeyCache {
    url: reqwest::Url,
    client: Client,
    min_refetch_interval: Duration,
    state: RwLock<State>,
    fetching: tokio::sync::Mutex<()>,
    fetches: AtomicU64,
}

#[derive(Default)]
struct State {
    keys: Arc<KeyMap>,
    expires_at: Option<Instant>,
    /// When the last fetch started (successful or not).
    last_fetch: Option<Instant>,
    /// Why the last fetch failed, if it did.
    last_error: Option<String>,
    /// Whether a fetch is under way (requests that need it wait for it).
    in_flight: bool,
}

impl State {
    fn fresh(&self, now: Instant) -> bool {
        self.expires_at.is_some_and(|t| now < t)
    }

    fn may_fetch(&self, now: Instant, interval: Duration) -> bool {
        self.last_fetch
            .is_none_or(|t| now.saturating_duration_since(t) >= interval)
    }
}

impl KeyCache {
    pub(crate) fn new(url: reqwest::Url, client: Client, min_refetch_interval: Duration) -> Self {
        Self {
            url,
            client,
            min_refetch_interval,
            state: RwLock::new(State::default()),
            fetching: tokio::sync::Mutex::new(()),
            fetches: AtomicU64::new(0),
        }
    }

    /// How many times the key set was fetched.
    pub(crate) fn fetches(&self) -> u64 {
        self.fetches.load(Ordering::Relaxed)
    }

    pub(crate) fn url(&self) -> &reqwest::Url {
        &self.url
    }

    /// Runs `f` with the key named `kid`, fetching the set first when it is stale or lacks
    /// the key (within the refetch limit).
    pub(crate) async fn with_key<R>(
        &self,
        kid: &str,
        f: impl FnOnce(&RsaKey) -> R,
    ) -> Result<R, IdTokenError> {
        let keys = match self.lookup(kid, false) {
            Lookup::Found(keys) => keys,
            Lookup::Unknown => return Err(self.unknown(kid)),
            Lookup::Fetch => {
                let _one_at_a_time = self.fetching.lock().await;
                // Another request may have fetched while this one waited.
                match self.lookup(kid, true) {
                    Lookup::Found(keys) => keys,
                    Lookup::Unknown => return Err(self.unknown(kid)),
                    Lookup::Fetch => match self.fetch().await {
                        Ok(keys) => keys,
                        // Google unreachable: a key already known stays usable.
                        Err(e) => {
                            let state = self.state.read().unwrap_or_else(|e| e.into_inner());
                            if !state.keys.contains_key(kid) {
                                return Err(e);
                            }
                            state.keys.clone()
                        }
                    },
                }
            }
        };
        keys.get(kid).map(f).ok_or_else(|| self.unknown(kid))
    }

    fn unknown(&self, kid: &str) -> IdTokenError {
        let state = self.state.read().unwrap_or_else(|e| e.into_inner());
        match &state.last_error {
            // The set could not be fetched: say so rather than blame the token.
            Some(message) if state.keys.is_empty() => IdTokenError::Keys {
                url: self.url.to_string(),
                message: message.clone(),
            },
            _ => IdTokenError::UnknownKeyId { kid: clip(kid) },
        }
    }

    /// What to do for `kid`. `holding_lock`: the caller holds the fetch lock, so no fetch
    /// is under way (an `in_flight` left by a cancelled fetch is ignored).
    fn lookup(&self, kid: &str, holding_lock: bool) -> Lookup {
        let now = Instant::now();
        let state = self.state.read().unwrap_or_else(|e| e.into_inner());
        let may_fetch = state.may_fetch(now, self.min_refetch_interval);
        let has = state.keys.contains_key(kid);
        if has && (state.fresh(now) || !may_fetch) {
            Lookup::Found(state.keys.clone())
        } else if may_fetch || (state.in_flight && !holding_lock) {
            // Due, or under way: wait for it (then look again).
            Lookup::Fetch
        } else {
            Lookup::Unknown
        }
    }

    /// Fetches the set; the new keys replace the old ones only if the fetch succeeds.
    async fn fetch(&self) -> Result<Arc<KeyMap>, IdTokenError> {
        let started = Instant::now();
        self.fetches.fetch_add(1, Ordering::Relaxed);
        let previous = {
            let mut state = self.state.write().unwrap_or_else(|e| e.into_inner());
            state.in_flight = true;
            state.last_fetch.replace(started)
        };
        // Clears `in_flight` however the fetch ends; if the request is dropped mid-fetch,
        // the fetch does not count against the refetch interval either.
        let mut in_flight = InFlight {
            state: &self.state,
            previous,
            done: false,
        };
        tracing::debug!(url = %self.url, "fetching signing keys");
        let result = match self.client.get_public("id_token.keys", &self.url).await {
            Ok(fetched) => parse_key_set(&fetched.body).map(|keys| (keys, fetched.max_age)),
            Err(e) => Err(e.to_string()),
        };
        in_flight.done = true;
        let mut state = self.state.write().unwrap_or_else(|e| e.into_inner());
        match result {
            Ok((keys, max_age)) => {
                let keys = Arc::new(keys);
                state.keys = keys.clone();
                state.expires_at = Some(started + max_age.unwrap_or(DEFAULT_MAX_AGE));
                state.last_error = None;
                Ok(keys)
            }
            Err(message) => {
                tracing::warn!(url = %self.url, %message, "could not fetch signing keys");
                state.last_error = Some(message.clone());
                Err(IdTokenError::Keys {
                    url: self.url.to_string(),
                    message,
                })
            }
        }
    }
}

/// Marks the end of a fetch, however it ends.
struct InFlight<'a> {
    state: &'a RwLock<State>,
    /// `last_fetch` before this fetch, restored if it never completes.
    previous: Option<Instant>,
    done: bool,
}

impl Drop for InFlight<'_> {
    fn drop(&mut self) {
        let mut state = self.state.write().unwrap_or_else(|e| e.into_inner());
        state.in_flight = false;
        if !self.done {
            state.last_fetch = self.previous;
        }
    }
}

enum Lookup {
    /// The key is in this (fresh enough) set.
    Found(Arc<KeyMap>),
    /// Not there, and no fetch is allowed yet.
    Unknown,
    /// A fetch is due.
    Fetch,
}
