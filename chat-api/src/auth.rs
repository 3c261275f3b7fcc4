//! Credentials and access tokens.
//!
//! [`Credentials`] says how the client authenticates: a service account key file (a Chat
//! app), authorized-user credentials (acting as a user), Application Default
//! Credentials, a static bearer token, or any [`TokenProvider`]. The client caches the
//! token, refreshes it shortly before it expires with a single token request however
//! many calls are waiting, and refreshes once more when the API answers 401.
//!
//! Service-account tokens come from `gcp_auth` (JWT signed with `ring`, posted to the
//! key file's `token_uri`); refresh-token exchange for authorized users is one form
//! POST done on the client's own HTTP pool, because `gcp_auth` hard-codes Google's token
//! endpoint for that kind. Secrets are never printed: every type here has a redacting
//! `Debug`.

use std::fmt;
use std::future::Future;
use std::path::{Path, PathBuf};
use std::pin::Pin;
use std::sync::Arc;
use std::time::{Duration, SystemTime};

use gcp_auth::TokenProvider as _;
use serde::Deserialize;

use crate::error::{BoxError, Error, Result};

/// The scope a Chat app (service account) asks for by default.
pub const CHAT_BOT_SCOPE: &str = "https://www.googleapis.com/auth/chat.bot";

/// Google's OAuth 2.0 token endpoint, for credentials files that do not name one.
const GOOGLE_TOKEN_URI: &str = "https://oauth2.googleapis.com/token";

/// A token is refreshed when it has less than this left, so a request never carries a
/// token that expires in flight.
const REFRESH_MARGIN: Duration = Duration::from_secs(60);

/// An OAuth 2.0 access token and when it expires.
#[derive(Clone, PartialEq, Eq)]
pub struct AccessToken {
    secret: Arc<str>,
    expires_at: Option<SystemTime>,
}

impl AccessToken {
    /// A token; `expires_at: None` means it is used until the API rejects it.
    pub fn new(secret: impl Into<String>, expires_at: Option<SystemTime>) -> Self {
        Self {
            secret: Arc::from(secret.into()),
            expires_at,
        }
    }

    /// The token itself. Treat it as a secret.
    pub fn secret(&self) -> &str {
        &self.secret
    }

    /// When the token expires, if known.
    pub fn expires_at(&self) -> Option<SystemTime> {
        self.expires_at
    }

    fn is_fresh(&self, now: SystemTime) -> bool {
        match self.expires_at {
            Some(at) => now + REFRESH_MARGIN < at,
            None => true,
        }
    }
}

impl fmt::Debug for AccessToken {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("AccessToken")
            .field("secret", &"<redacted>")
            .field("expires_at", &self.expires_at)
            .finish()
    }
}

/// The future a [`TokenProvider`] returns.
pub type TokenFuture<'a> = Pin<
    Box<
        dyn Future<
                Output = std::result::Result<AccessToken, Box<dyn std::error::Error + Send + Sync>>,
            > + Send
            + 'a,
    >,
>;

/// A source of access tokens you can plug in with [`Credentials::from_provider`].
///
/// The client calls [`fetch_token`](TokenProvider::fetch_token) only when it needs a new
/// token (none yet, the cached one about to expire, or the API answered 401), never
/// concurrently, and caches the result; so a provider just fetches. Error messages must
/// not contain secrets: they end up in [`Error::Auth`].
///
/// ```
/// use std::time::{Duration, SystemTime};
/// use chat_api::{AccessToken, Credentials, TokenProvider, auth::TokenFuture};
///
/// /// Tokens from a vault, a sidecar, another auth library...
/// #[derive(Debug)]
/// struct FromVault;
///
/// impl TokenProvider for FromVault {
///     fn fetch_token<'a>(&'a self, _scopes: &'a [String]) -> TokenFuture<'a> {
///         Box::pin(async {
///             let expires = SystemTime::now() + Duration::from_secs(3600);
///             Ok(AccessToken::new("ya29.from-the-vault", Some(expires)))
///         })
///     }
/// }
///
/// let credentials = Credentials::from_provider(FromVault)
///     .with_scopes(["https://www.googleapis.com/auth/chat.messages"]);
/// # let _ = credentials;
/// ```
pub trait TokenProvider: Send + Sync + fmt::Debug {
    /// Fetches a new token for `scopes`.
    fn fetch_token<'a>(&'a self, scopes: &'a [String]) -> TokenFuture<'a>;
}

/// How the client authenticates. Build one with a constructor, then hand it to
/// [`ClientBuilder::credentials`](crate::ClientBuilder::credentials).
#[derive(Clone)]
pub struct Credentials {
    source: Source,
    scopes: Vec<String>,
}

#[derive(Clone)]
enum Source {
    None,
    Static(AccessToken),
    ServiceAccount(Arc<ServiceAccount>),
    AuthorizedUser(Arc<AuthorizedUser>),
    /// Metadata server or `gcloud`, found by `gcp_auth` at the first request.
    Ambient(Arc<tokio::sync::OnceCell<Arc<dyn gcp_auth::TokenProvider>>>),
    Custom(Arc<dyn TokenProvider>),
}

impl Credentials {
    /// No `Authorization` header (for emulators, or with an API key only).
    pub fn none() -> Self {
        Self::with_source(Source::None)
    }

    /// A fixed bearer token; never refreshed.
    pub fn bearer_token(token: impl Into<String>) -> Self {
        Self::with_source(Source::Static(AccessToken::new(token, None)))
    }

    /// A service account key file (the JSON downloaded from the Cloud console), with
    /// the `chat.bot` scope unless [`with_scopes`](Self::with_scopes) says otherwise.
    /// This is how a Chat app authenticates.
    pub fn service_account_file(path: impl AsRef<Path>) -> Result<Self> {
        let path = path.as_ref();
        let json = read_file(path)?;
        Self::service_account_json(&json).map_err(|e| in_file(e, path))
    }

    /// A service account key, as the JSON text of its key file.
    pub fn service_account_json(json: &str) -> Result<Self> {
        Ok(
            Self::with_source(Source::ServiceAccount(Arc::new(ServiceAccount::parse(
                json,
            )?)))
            .with_scopes([CHAT_BOT_SCOPE]),
        )
    }

    /// Authorized-user credentials (client id and secret plus a refresh token, as
    /// written by `gcloud auth application-default login`): calls act as that user.
    pub fn authorized_user_file(path: impl AsRef<Path>) -> Result<Self> {
        let path = path.as_ref();
        let json = read_file(path)?;
        Self::authorized_user_json(&json).map_err(|e| in_file(e, path))
    }

    /// Authorized-user credentials, as JSON text.
    pub fn authorized_user_json(json: &str) -> Result<Self> {
        Ok(Self::with_source(Source::AuthorizedUser(Arc::new(
            AuthorizedUser::parse(json)?,
        ))))
    }

    /// Application Default Credentials: the file named by `GOOGLE_APPLICATION_CREDENTIALS`,
    /// else gcloud's well-known `application_default_credentials.json`, else (at the
    /// first request) the metadata server or the `gcloud` CLI.
    pub fn application_default() -> Result<Self> {
        // An empty variable counts as unset, as in Google's other client libraries.
        let env = std::env::var_os("GOOGLE_APPLICATION_CREDENTIALS")
            .filter(|v| !v.is_empty())
            .map(PathBuf::from);
        Self::application_default_from(env, well_known_file())
    }

    fn application_default_from(env: Option<PathBuf>, well_known: Option<PathBuf>) -> Result<Self> {
        if let Some(path) = env {
            return Self::any_file(&path).map_err(|e| match e {
                Error::Auth { message, source } => Error::Auth {
                    message: format!("GOOGLE_APPLICATION_CREDENTIALS: {message}"),
                    source,
                },
                other => other,
            });
        }
        if let Some(path) = well_known.filter(|p| p.is_file()) {
            return Self::any_file(&path);
        }
        Ok(Self::with_source(Source::Ambient(Arc::default())).with_scopes([CHAT_BOT_SCOPE]))
    }

    /// A credentials file of either kind, told apart by its `type` field.
    fn any_file(path: &Path) -> Result<Self> {
        #[derive(Deserialize)]
        struct Kind {
            #[serde(rename = "type")]
            kind: Option<String>,
        }
        let json = read_file(path)?;
        let kind = serde_json::from_str::<Kind>(&json)
            .map_err(|e| in_file(json_error("credentials", &e), path))?;
        match kind.kind.as_deref() {
            Some("service_account") => Self::service_account_json(&json),
            Some("authorized_user") => Self::authorized_user_json(&json),
            Some(other) => Err(Error::auth(
                format!("credentials type `{other}` is not supported (expected `service_account` or `authorized_user`)"),
                None,
            )),
            None => Err(Error::auth("credentials have no `type` field", None)),
        }
        .map_err(|e| in_file(e, path))
    }

    /// Any token provider of your own.
    pub fn from_provider(provider: impl TokenProvider + 'static) -> Self {
        Self::with_source(Source::Custom(Arc::new(provider)))
    }

    /// Replaces the scopes asked for (service accounts, ADC, custom providers;
    /// authorized-user tokens carry the scopes they were granted).
    pub fn with_scopes<S: Into<String>>(mut self, scopes: impl IntoIterator<Item = S>) -> Self {
        self.scopes = scopes.into_iter().map(Into::into).collect();
        self
    }

    /// For a service account with domain-wide delegation: act as this user.
    /// Has no effect on other kinds of credentials.
    pub fn with_subject(mut self, subject: impl Into<String>) -> Self {
        if let Source::ServiceAccount(sa) = &self.source {
            let mut sa = (**sa).clone();
            sa.subject = Some(subject.into());
            self.source = Source::ServiceAccount(Arc::new(sa));
        }
        self
    }

    /// The scopes asked for.
    pub fn scopes(&self) -> &[String] {
        &self.scopes
    }

    /// The project billed for quota, from the credentials file's `quota_project_id`
    /// (authorized-user files written by gcloud have one). The client sends it as
    /// `x-goog-user-project` unless [`ClientBuilder::quota_project`](crate::ClientBuilder::quota_project)
    /// says otherwise.
    pub fn quota_project(&self) -> Option<&str> {
        match &self.source {
            Source::AuthorizedUser(user) => user.quota_project_id.as_deref(),
            _ => None,
        }
    }

    fn with_source(source: Source) -> Self {
        Self {
            source,
            scopes: Vec::new(),
        }
    }

    fn kind(&self) -> &'static str {
        match &self.source {
            Source::None => "none",
            Source::Static(_) => "bearer token",
            Source::ServiceAccount(_) => "service account",
            Source::AuthorizedUser(_) => "authorized user",
            Source::Ambient(_) => "application default (metadata server or gcloud)",
            Source::Custom(_) => "custom provider",
        }
    }
}

impl Default for Credentials {
    fn default() -> Self {
        Self::none()
    }
}

impl fmt::Debug for Credentials {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let mut d = f.debug_struct("Credentials");
        d.field("kind", &self.kind());
        match &self.source {
            Source::ServiceAccount(sa) => {
                d.field("client_email", &sa.client_email);
                d.field("token_uri", &sa.token_uri);
            }
            Source::AuthorizedUser(u) => {
                d.field("client_id", &u.client_id);
                d.field("token_uri", &u.token_uri);
            }
            Source::Custom(p) => {
                d.field("provider", p);
            }
            Source::None | Source::Static(_) | Source::Ambient(_) => {}
        }
        d.field("scopes", &self.scopes).finish()
    }
}

/// A parsed service account key. The private key stays in here.
#[derive(Clone)]
struct ServiceAccount {
    /// The key file's JSON, handed to `gcp_auth` at each refresh.
    json: Arc<str>,
    client_email: String,
    token_uri: String,
    subject: Option<String>,
}

impl ServiceAccount {
    fn parse(json: &str) -> Result<Self> {
        #[derive(Deserialize)]
        struct Key {
            client_email: String,
            #[serde(rename = "private_key")]
            _private_key: String,
            token_uri: Option<String>,
        }
        let key: Key =
            serde_json::from_str(json).map_err(|e| json_error("service account key", &e))?;
        // gcp_auth needs `token_uri`; older key files may lack it.
        let (json, token_uri) = match key.token_uri {
            Some(uri) => (Arc::from(json), uri),
            None => {
                let mut value: serde_json::Value = serde_json::from_str(json)
                    .map_err(|e| json_error("service account key", &e))?;
                value["token_uri"] = GOOGLE_TOKEN_URI.into();
                (Arc::from(value.to_string()), GOOGLE_TOKEN_URI.to_owned())
            }
        };
        // Check the key now, so a bad file fails at startup rather than at the first call.
        gcp_auth::CustomServiceAccount::from_json(&json).map_err(|e| {
            Error::auth(
                format!("service account key of {}: {e}", key.client_email),
                None,
            )
        })?;
        Ok(Self {
            json,
            client_email: key.client_email,
            token_uri,
            subject: None,
        })
    }

    async fn fetch(&self, scopes: &[String]) -> Result<AccessToken> {
        // A fresh gcp_auth account per refresh: this client caches tokens itself and must
        // be able to force a new one after a 401, which gcp_auth's own cache would not do.
        let mut sa = gcp_auth::CustomServiceAccount::from_json(&self.json).map_err(|e| {
            Error::auth(format!("service account {}: {e}", self.client_email), None)
        })?;
        if let Some(subject) = &self.subject {
            sa = sa.with_subject(subject.clone());
        }
        let scopes: Vec<&str> = scopes.iter().map(String::as_str).collect();
        let token = sa.token(&scopes).await.map_err(|e| {
            Error::auth(
                format!(
                    "service account {}: token request to {} failed",
                    self.client_email, self.token_uri
                ),
                Some(Box::new(e)),
            )
        })?;
        Ok(AccessToken::new(
            token.as_str(),
            Some(token.expires_at().into()),
        ))
    }
}

/// Authorized-user credentials: a refresh token and the OAuth client it belongs to.
#[derive(Clone)]
struct AuthorizedUser {
    client_id: String,
    client_secret: String,
    refresh_token: String,
    token_uri: String,
    quota_project_id: Option<String>,
}

impl AuthorizedUser {
    fn parse(json: &str) -> Result<Self> {
        #[derive(Deserialize)]
        struct File {
            client_id: String,
            client_secret: String,
            refresh_token: String,
            token_uri: Option<String>,
            quota_project_id: Option<String>,
        }
        let f: File = serde_json::from_str(json)
            .map_err(|e| json_error("authorized user credentials", &e))?;
        Ok(Self {
            client_id: f.client_id,
            client_secret: f.client_secret,
            refresh_token: f.refresh_token,
            token_uri: f.token_uri.unwrap_or_else(|| GOOGLE_TOKEN_URI.to_owned()),
            quota_project_id: f.quota_project_id.filter(|p| !p.is_empty()),
        })
    }

    async fn fetch(&self, http: &reqwest::Client) -> Result<AccessToken> {
        #[derive(Deserialize)]
        struct Answer {
            access_token: Option<String>,
            expires_in: Option<u64>,
            error: Option<String>,
            error_description: Option<String>,
        }
        let form = [
            ("grant_type", "refresh_token"),
            ("client_id", self.client_id.as_str()),
            ("client_secret", self.client_secret.as_str()),
            ("refresh_token", self.refresh_token.as_str()),
        ];
        let failed = |what: String, source: Option<BoxError>| {
            Error::auth(
                format!("refresh-token exchange at {} {what}", self.token_uri),
                source,
            )
        };
        let response = http
            .post(&self.token_uri)
            .form(&form)
            .send()
            .await
            .map_err(|e| failed("failed".into(), Some(Box::new(e.without_url()))))?;
        let status = response.status();
        let body = response
            .bytes()
            .await
            .map_err(|e| failed("failed".into(), Some(Box::new(e.without_url()))))?;
        let answer: Option<Answer> = serde_json::from_slice(&body).ok();
        match answer {
            Some(Answer {
                access_token: Some(token),
                expires_in,
                ..
            }) if status.is_success() => Ok(AccessToken::new(
                token,
                expires_in.map(|s| SystemTime::now() + Duration::from_secs(s)),
            )),
            Some(Answer {
                error: Some(error),
                error_description,
                ..
            }) => Err(failed(
                format!(
                    "was refused (HTTP {}): {error}{}",
                    status.as_u16(),
                    error_description
                        .map(|d| format!(": {d}"))
                        .unwrap_or_default()
                ),
                None,
            )),
            _ => Err(failed(
                format!("answered HTTP {} without an access token", status.as_u16()),
                None,
            )),
        }
    }
}

/// The client's token cache over its [`Credentials`].
pub(crate) struct Auth {
    credentials: Credentials,
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
    pub(crate) fn new(credentials: Credentials) -> Self {
        let cache = match &credentials.source {
            Source::Static(token) => Some(token.clone()),
            _ => None,
        };
        Self {
            credentials,
            cache: std::sync::RwLock::new(cache),
            refresh: tokio::sync::Mutex::new(()),
        }
    }

    /// Whether a 401 is worth a refresh (a static token would come back the same).
    pub(crate) fn can_refresh(&self) -> bool {
        !matches!(self.credentials.source, Source::None | Source::Static(_))
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

    /// The token to send, fetching a new one when there is none or it is about to expire.
    pub(crate) async fn token(&self, http: &reqwest::Client) -> Result<Option<AccessToken>> {
        if matches!(self.credentials.source, Source::None) {
            return Ok(None);
        }
        if let Some(token) = self.fresh() {
            return Ok(Some(token));
        }
        let _refreshing = self.refresh.lock().await;
        // Another call may have refreshed while this one waited.
        if let Some(token) = self.fresh() {
            return Ok(Some(token));
        }
        let token = self.fetch(http).await?;
        tracing::debug!(kind = self.credentials.kind(), "fetched a new access token");
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

    async fn fetch(&self, http: &reqwest::Client) -> Result<AccessToken> {
        let scopes = &self.credentials.scopes;
        match &self.credentials.source {
            Source::None => Err(Error::auth("no credentials configured", None)),
            Source::Static(token) => Ok(token.clone()),
            Source::ServiceAccount(sa) => sa.fetch(scopes).await,
            Source::AuthorizedUser(user) => user.fetch(http).await,
            Source::Custom(provider) => provider
                .fetch_token(scopes)
                .await
                .map_err(|e| Error::auth("the token provider failed", Some(e))),
            Source::Ambient(cell) => {
                let provider = cell
                    .get_or_try_init(|| async { gcp_auth::provider().await })
                    .await
                    .map_err(|e| {
                        Error::auth(
                            "no Application Default Credentials: set GOOGLE_APPLICATION_CREDENTIALS \
                             to a key file, run `gcloud auth application-default login`, or run on \
                             Google Cloud",
                            Some(Box::new(e)),
                        )
                    })?;
                let scopes: Vec<&str> = scopes.iter().map(String::as_str).collect();
                let token = provider.token(&scopes).await.map_err(|e| {
                    Error::auth("application default credentials failed", Some(Box::new(e)))
                })?;
                Ok(AccessToken::new(
                    token.as_str(),
                    Some(token.expires_at().into()),
                ))
            }
        }
    }
}

/// gcloud's well-known ADC file for this user.
fn well_known_file() -> Option<PathBuf> {
    let base = if cfg!(windows) {
        PathBuf::from(std::env::var_os("APPDATA")?)
    } else {
        PathBuf::from(std::env::var_os("HOME")?).join(".config")
    };
    Some(
        base.join("gcloud")
            .join("application_default_credentials.json"),
    )
}

fn read_file(path: &Path) -> Result<String> {
    std::fs::read_to_string(path).map_err(|source| Error::Io {
        context: format!("reading credentials file {}", path.display()),
        source,
    })
}

/// Prefixes an auth error with the file it came from.
fn in_file(e: Error, path: &Path) -> Error {
    match e {
        Error::Auth { message, source } => Error::Auth {
            message: format!("{}: {message}", path.display()),
            source,
        },
        other => other,
    }
}

/// A JSON error about credentials, without quoting any of their values: serde's own
/// message can quote the input, which here may be a private key.
fn json_error(what: &str, e: &serde_json::Error) -> Error {
    let msg = e.to_string();
    let detail = if msg.starts_with("missing field") || msg.starts_with("unknown field") {
        msg.split(" at line").next().unwrap_or_default().to_owned()
    } else {
        format!("{:?} error", e.classify()).to_lowercase()
    };
    Error::auth(
        format!(
            "invalid {what} JSON: {detail} at line {} column {}",
            e.line(),
            e.column()
        ),
        None,
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn debug_and_errors_never_show_secrets() {
        let c = Credentials::bearer_token("ya29.SECRET");
        assert!(!format!("{c:?}").contains("SECRET"));
        let t = AccessToken::new("ya29.SECRET", None);
        assert!(!format!("{t:?}").contains("SECRET"));

        let user = r#"{"type":"authorized_user","client_id":"cid","client_secret":"CSECRET","refresh_token":"RSECRET"}"#;
        let c = Credentials::authorized_user_json(user).unwrap();
        let dbg = format!("{c:?}");
        assert!(dbg.contains("cid") && !dbg.contains("SECRET"), "{dbg}");

        // A wrong type on the key field must not echo the value.
        let bad = r#"{"client_email":"a@b","private_key":12345678901234,"token_uri":"x"}"#;
        let e = Credentials::service_account_json(bad)
            .unwrap_err()
            .to_string();
        assert!(!e.contains("12345678901234"), "{e}");
        assert!(e.contains("invalid service account key JSON"), "{e}");
        let bad = r#"{"client_email":"a@b","private_key":"-----BEGIN PRIVATE KEY-----\nSECRETSTUFF\n-----END PRIVATE KEY-----\n","token_uri":"x"}"#;
        let e = Credentials::service_account_json(bad).unwrap_err();
        assert!(!format!("{e} {e:?}").contains("SECRETSTUFF"), "{e}");
    }

    #[test]
    fn missing_fields_are_named() {
        let e = Credentials::authorized_user_json(r#"{"client_id":"a","client_secret":"b"}"#)
            .unwrap_err()
            .to_string();
        assert_eq!(
            e,
            "authentication failed: invalid authorized user credentials JSON: missing field `refresh_token` at line 1 column 37"
        );
    }

    #[test]
    fn adc_reads_the_env_file_then_the_well_known_file() {
        let dir = std::env::temp_dir().join(format!("chat-api-adc-{}", std::process::id()));
        std::fs::create_dir_all(&dir).unwrap();
        let user = dir.join("user.json");
        std::fs::write(
            &user,
            r#"{"type":"authorized_user","client_id":"cid","client_secret":"s","refresh_token":"r"}"#,
        )
        .unwrap();
        let c = Credentials::application_default_from(Some(user.clone()), None).unwrap();
        assert_eq!(c.kind(), "authorized user");
        let c = Credentials::application_default_from(None, Some(user.clone())).unwrap();
        assert_eq!(c.kind(), "authorized user");
        let c = Credentials::application_default_from(None, Some(dir.join("absent.json"))).unwrap();
        assert_eq!(c.kind(), "application default (metadata server or gcloud)");

        let other = dir.join("other.json");
        std::fs::write(&other, r#"{"type":"external_account"}"#).unwrap();
        let e = Credentials::application_default_from(Some(other.clone()), None)
            .unwrap_err()
            .to_string();
        assert!(
            e.starts_with("authentication failed: GOOGLE_APPLICATION_CREDENTIALS: "),
            "{e}"
        );
        assert!(e.contains("`external_account` is not supported"), "{e}");
        let e = Credentials::application_default_from(Some(dir.join("nope.json")), None)
            .unwrap_err()
            .to_string();
        assert!(
            e.contains("reading credentials file") && e.contains("nope.json"),
            "{e}"
        );
        std::fs::remove_dir_all(&dir).unwrap();
    }
}
