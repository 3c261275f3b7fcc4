//! [`Shared`]: what the HTTP handlers and the [`FakeChat`](crate::FakeChat) handle share
//! (the state behind its lock, the base URL, the keys, the default app, the HTTP client
//! that delivers events).

use std::sync::{Mutex, MutexGuard};

use crate::keys::Keys;
use crate::store::State;

/// What every request handler shares.
#[derive(Debug)]
pub(crate) struct Shared {
    pub state: Mutex<State>,
    /// `http://127.0.0.1:PORT/`.
    pub base_url: String,
    pub keys: Keys,
    /// The app that `app_client()` and test tokens default to.
    pub default_app: String,
    /// The HTTP client that delivers events to apps.
    pub http: reqwest::Client,
}

impl Shared {
    /// The state, even if a panicking thread poisoned the lock (a fake must keep serving).
    pub fn lock(&self) -> MutexGuard<'_, State> {
        self.state.lock().unwrap_or_else(|e| e.into_inner())
    }
}
