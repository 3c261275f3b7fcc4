//! Verifying Google-signed JWTs and OIDC ID tokens (feature `id-token`): what a server
//! does with the `Authorization: Bearer` token Google sends it (Chat's interaction events,
//! Pub/Sub push, Cloud Tasks, ...).
//!
//! An [`IdTokenVerifier`] is built for one key set URL and one expected audience, and
//! checks, in this order: the token's form and size; `alg` is `RS256` (`none`, `HS256`
//! and all else refused); the `kid` names a key of the set; the RS256 signature; `iss` is
//! one of the accepted issuers; `aud` contains the audience; `exp`, `iat` and `nbf`
//! against the clock with [`DEFAULT_CLOCK_SKEW`] (300 s, settable) either way; the
//! lifetime `exp - iat` is at most a day; and, when asked, `email` is the expected account
//! with `email_verified` true. Each failure is an [`IdTokenError`] naming the check.
//!
//! These are the checks of Google's own verifiers: google-auth-library-nodejs
//! (`OAuth2Client.verifySignedJwtWithCertsAsync`: RS256, `CLOCK_SKEW_SECS_ = 300`,
//! `DEFAULT_MAX_TOKEN_LIFETIME_SECS_ = 86400`, issuers `accounts.google.com` and
//! `https://accounts.google.com`) and google-api-java-client (`IdTokenVerifier`,
//! `DEFAULT_TIME_SKEW_SECONDS = 300`). The cases Chat uses are described in
//! <https://developers.google.com/workspace/chat/verify-requests-from-chat>.
//!
//! Keys are fetched with a [`Client`]'s connection pool, timeouts and retry policy (but
//! never its credentials) and cached as the `cache` module describes: for the answer's
//! `max-age`; once more when an unknown key id arrives; at most once per
//! [`min_refetch_interval`](IdTokenVerifierBuilder::min_refetch_interval).
//!
//! ```no_run
//! use google_api_runtime::id_token::{GOOGLE_ISSUERS, GOOGLE_OIDC_KEYS_URL, IdTokenVerifier};
//!
//! # async fn run(token: &str) -> Result<(), Box<dyn std::error::Error>> {
//! let verifier = IdTokenVerifier::builder(GOOGLE_OIDC_KEYS_URL)
//!     .issuers(GOOGLE_ISSUERS)
//!     .audience("https://example.com/chat")
//!     .email("chat@system.gserviceaccount.com")
//!     .build()?;
//! let claims = verifier.verify(token).await?;
//! println!("from {}", claims.email().unwrap_or_default());
//! # Ok(())
//! # }
//! ```
//!
//! Tests and emulators point the verifier at their own key server
//! (`IdTokenVerifier::builder("http://127.0.0.1:PORT/keys")`) and sign tokens with a
//! [`Signer`], whose [`jwk_set`] or [`x509_set`] that server serves.

mod cache;
mod claims;
mod der;
mod error;
mod jwt;
mod keys;
mod signer;

use std::fmt;
use std::sync::Arc;
use std::time::Duration;

pub use cache::DEFAULT_MAX_AGE;
pub use claims::Claims;
pub use error::IdTokenError;
pub use signer::{Signer, SignerError, jwk_set, x509_set};

use crate::client::Client;
use crate::error::{Error, Result};
use crate::service::Service;

/// Google's OIDC signing keys, a JWK set (the `jwks_uri` of
/// `https://accounts.google.com/.well-known/openid-configuration`).
pub const GOOGLE_OIDC_KEYS_URL: &str = "https://www.googleapis.com/oauth2/v3/certs";

/// The issuers of Google's OIDC ID tokens (Google's libraries accept both).
pub const GOOGLE_ISSUERS: [&str; 2] = ["https://accounts.google.com", "accounts.google.com"];

/// Clock skew allowed by default either way on `exp`, `iat` and `nbf`: 300 s, as Google's
/// Node and Java libraries allow.
pub const DEFAULT_CLOCK_SKEW: Duration = Duration::from_secs(300);

/// Longest token lifetime (`exp - iat`) accepted by default: one day, as Google's Node
/// library.
pub const DEFAULT_MAX_LIFETIME: Duration = Duration::from_secs(86_400);

/// Shortest time between two fetches of the key set by default.
pub const DEFAULT_MIN_REFETCH_INTERVAL: Duration = Duration::from_secs(30);

/// The X.509 certificates (by key id) of a Google service account's signing keys, e.g.
/// `chat@system.gserviceaccount.com`'s.
pub fn service_account_x509_url(account: &str) -> String {
    format!("https://www.googleapis.com/service_accounts/v1/metadata/x509/{account}")
}

/// The JWK set of a Google service account's signing keys.
pub fn service_account_jwk_url(account: &str) -> String {
    format!("https://www.googleapis.com/service_accounts/v1/jwk/{account}")
}

/// The client keys are fetched with when none is given: no credentials, default
/// timeouts and retries.
static KEYS_SERVICE: Service = Service::new("id_token", "v1", "https://www.googleapis.com/", "");

/// Verifies Google-signed RS256 tokens for one audience. Cheap to clone (one `Arc`);
/// `Send + Sync`; clones share the key cache.
#[derive(Clone)]
pub struct IdTokenVerifier {
    inner: Arc<Inner>,
}

struct Inner {
    keys: cache::KeyCache,
    issuers: Vec<String>,
    audience: String,
    email: Option<String>,
    clock_skew: Duration,
    max_lifetime: Option<Duration>,
}

impl fmt::Debug for IdTokenVerifier {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let i = &self.inner;
        f.debug_struct("IdTokenVerifier")
            .field("keys_url", &i.keys.url().as_str())
            .field("issuers", &i.issuers)
            .field("audience", &i.audience)
            .field("email", &i.email)
            .field("clock_skew", &i.clock_skew)
            .field("max_lifetime", &i.max_lifetime)
            .finish()
    }
}

impl IdTokenVerifier {
    /// Starts a verifier whose keys are at `keys_url` (either form: a JWK set or X.509
    /// certificates by key id). Set the issuers and the audience before building.
    pub fn builder(keys_url: impl Into<String>) -> IdTokenVerifierBuilder {
        IdTokenVerifierBuilder {
            keys_url: keys_url.into(),
            issuers: Vec::new(),
            audience: None,
            email: None,
            clock_skew: DEFAULT_CLOCK_SKEW,
            max_lifetime: Some(DEFAULT_MAX_LIFETIME),
            min_refetch_interval: DEFAULT_MIN_REFETCH_INTERVAL,
            client: None,
        }
    }

    /// Verifies `token` (the JWT alone, without `Bearer `) and returns its claims.
    pub async fn verify(&self, token: &str) -> std::result::Result<Claims, IdTokenError> {
        let parsed = jwt::parse(token)?;
        let signed = parsed.signed;
        let signature = &parsed.signature;
        let valid = self
            .inner
            .keys
            .with_key(&parsed.kid, |key| key.verify(signed, signature))
            .await?;
        if !valid {
            return Err(IdTokenError::BadSignature);
        }
        let claims = Claims::new(parsed.claims);
        let i = &self.inner;
        claims.check(
            &i.issuers,
            &i.audience,
            i.email.as_deref(),
            i.clock_skew,
            i.max_lifetime,
            std::time::SystemTime::now(),
        )?;
        Ok(claims)
    }

    /// How many times the key set has been fetched (for monitoring and tests).
    pub fn key_fetches(&self) -> u64 {
        self.inner.keys.fetches()
    }

    /// The audience tokens must carry.
    pub fn audience(&self) -> &str {
        &self.inner.audience
    }
}

/// Settings of an [`IdTokenVerifier`].
#[derive(Debug, Clone)]
#[must_use]
pub struct IdTokenVerifierBuilder {
    keys_url: String,
    issuers: Vec<String>,
    audience: Option<String>,
    email: Option<String>,
    clock_skew: Duration,
    max_lifetime: Option<Duration>,
    min_refetch_interval: Duration,
    client: Option<Client>,
}

impl IdTokenVerifierBuilder {
    /// Fetches the keys from `url` instead (a test's or emulator's key server).
    pub fn keys_url(mut self, url: impl Into<String>) -> Self {
        self.keys_url = url.into();
        self
    }

    /// Accepts tokens whose `iss` is `issuer` (may be called again to accept several).
    pub fn issuer(mut self, issuer: impl Into<String>) -> Self {
        self.issuers.push(issuer.into());
        self
    }

    /// Accepts tokens whose `iss` is any of `issuers`.
    pub fn issuers<S: Into<String>>(mut self, issuers: impl IntoIterator<Item = S>) -> Self {
        self.issuers.extend(issuers.into_iter().map(Into::into));
        self
    }

    /// The audience (`aud`) tokens must carry: a project number, an endpoint URL, a
    /// client id. Required.
    pub fn audience(mut self, audience: impl Into<String>) -> Self {
        self.audience = Some(audience.into());
        self
    }

    /// Requires `email` to be this account, with `email_verified` true.
    pub fn email(mut self, email: impl Into<String>) -> Self {
        self.email = Some(email.into());
        self
    }

    /// Clock skew allowed either way on `exp`, `iat` and `nbf` (default
    /// [`DEFAULT_CLOCK_SKEW`], 300 s).
    pub fn clock_skew(mut self, skew: Duration) -> Self {
        self.clock_skew = skew;
        self
    }

    /// Longest `exp - iat` accepted (default [`DEFAULT_MAX_LIFETIME`], one day); `None`
    /// lifts the limit.
    pub fn max_lifetime(mut self, lifetime: Option<Duration>) -> Self {
        self.max_lifetime = lifetime;
        self
    }

    /// Shortest time between two fetches of the key set, whatever asks for it (default
    /// [`DEFAULT_MIN_REFETCH_INTERVAL`], 30 s): bounds what unknown key ids can cost.
    pub fn min_refetch_interval(mut self, interval: Duration) -> Self {
        self.min_refetch_interval = interval;
        self
    }

    /// Fetches keys with this client's connection pool, timeouts and retry policy (its
    /// credentials are never sent). By default a client with default settings.
    pub fn client(mut self, client: Client) -> Self {
        self.client = Some(client);
        self
    }

    /// Builds the verifier; fails when the key URL is not an http(s) URL, or no issuer or
    /// audience is set.
    pub fn build(self) -> Result<IdTokenVerifier> {
        const CONTEXT: &str = "IdTokenVerifier::builder";
        let url = reqwest::Url::parse(&self.keys_url)
            .ok()
            .filter(|u| matches!(u.scheme(), "http" | "https"))
            .ok_or_else(|| {
                Error::invalid(
                    CONTEXT,
                    format!("`{}` is not an http(s) URL", self.keys_url),
                )
            })?;
        if self.issuers.is_empty() {
            return Err(Error::invalid(
                CONTEXT,
                "no issuer is accepted: set `issuer`",
            ));
        }
        let audience = self
            .audience
            .filter(|a| !a.is_empty())
            .ok_or_else(|| Error::invalid(CONTEXT, "no audience: set `audience`"))?;
        let client = match self.client {
            Some(client) => client,
            None => Client::builder(&KEYS_SERVICE).build()?,
        };
        Ok(IdTokenVerifier {
            inner: Arc::new(Inner {
                keys: cache::KeyCache::new(url, client, self.min_refetch_interval),
                issuers: self.issuers,
                audience,
                email: self.email,
                clock_skew: self.clock_skew,
                max_lifetime: self.max_lifetime,
            }),
        })
    }
}
