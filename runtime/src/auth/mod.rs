//! Credentials and access tokens.
//!
//! [`Credentials`] says how the client authenticates:
//!
//! | you have | use |
//! |---|---|
//! | a service account key file (an app acting as itself, e.g. a Chat app) | [`Credentials::service_account_file`] |
//! | an OAuth client ID file (`{"installed": ...}` or `{"web": ...}`, the guides' `credentials.json`) | [`Credentials::oauth_client_file`], or [`InstalledFlow`] for its settings |
//! | authorized-user credentials (a refresh token, as `gcloud auth application-default login` writes) | [`Credentials::authorized_user_file`] |
//! | an `external_account` file (workload identity federation) | [`Credentials::external_account_file`] |
//! | an `impersonated_service_account` file (`gcloud auth application-default login --impersonate-service-account`) | [`Credentials::impersonated_service_account_file`] |
//! | any of these, told apart by their content | [`Credentials::from_file`] |
//! | whatever the environment provides | [`Credentials::application_default`] |
//! | a token, or a token source of your own | [`Credentials::bearer_token`], [`Credentials::from_provider`] |
//!
//! The client caches the token, refreshes it shortly before it expires with a single
//! token request however many calls are waiting, and refreshes once more when the API
//! answers 401.
//!
//! Every token request (JWT grant, refresh token, authorization code, STS exchange,
//! IAM `generateAccessToken`) goes through the client's own HTTP pool with the client's
//! [`RetryPolicy`] and request timeout, to the endpoint the
//! credentials file names (`token_uri`, `token_url`, ...). A failure is an
//! [`Error::Auth`] whose text names the credentials, the endpoint and the cause on one
//! line, e.g. `authentication failed: service account app@p.iam.gserviceaccount.com:
//! token request to https://oauth2.googleapis.com/token failed: connection refused`.
//! Secrets (private keys, client secrets, refresh and access tokens, subject tokens)
//! never appear in `Display`, `Debug` or logs.

use std::fmt;
use std::future::Future;
use std::path::{Path, PathBuf};
use std::pin::Pin;
use std::sync::Arc;
use std::time::{Duration, SystemTime};

use crate::error::{Error, Result};
use crate::retry::RetryPolicy;

mod ambient;
mod authorized_user;
mod external_account;
mod http;
mod impersonated;
mod installed;
mod service_account;
mod token_cache;

use authorized_user::AuthorizedUser;
use external_account::ExternalAccount;
use http::{TokenHttp, one_line};
use impersonated::Impersonated;
use installed::InstalledSource;
pub use installed::{
    ConsentPresenter, ConsentRequest, InstalledFlow, OpenBrowser, PasteRedirect, PresentFuture,
};
use service_account::ServiceAccount;

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
/// use google_api_runtime::{AccessToken, Credentials, TokenProvider, auth::TokenFuture};
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
    /// Whether `scopes` is still to be filled with the API's default scopes.
    api_default_scopes: bool,
}

#[derive(Clone)]
enum Source {
    None,
    Static(AccessToken),
    ServiceAccount(Arc<ServiceAccount>),
    AuthorizedUser(Arc<AuthorizedUser>),
    Installed(Arc<InstalledSource>),
    External(Arc<ExternalAccount>),
    Impersonated(Arc<Impersonated>),
    /// Metadata server or `gcloud`, found at the first request.
    Ambient(Arc<ambient::Ambient>),
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
    /// the API's default scopes (for Chat, `chat.bot`) unless
    /// [`with_scopes`](Self::with_scopes) says otherwise. This is how a Chat app
    /// authenticates. The token is asked for at the file's
    /// `token_uri`.
    pub fn service_account_file(path: impl AsRef<Path>) -> Result<Self> {
        let path = path.as_ref();
        let json = read_file(path)?;
        expect_kind(&json, &[FileKind::ServiceAccount], Some(path))?;
        Self::service_account(&json).map_err(|e| in_file(e, path))
    }

    /// A service account key, as the JSON text of its key file.
    pub fn service_account_json(json: &str) -> Result<Self> {
        expect_kind(json, &[FileKind::ServiceAccount], None)?;
        Self::service_account(json)
    }

    fn service_account(json: &str) -> Result<Self> {
        Ok(
            Self::with_source(Source::ServiceAccount(Arc::new(ServiceAccount::parse(
                json,
            )?)))
            .with_api_default_scopes(),
        )
    }

    /// Authorized-user credentials (client id and secret plus a refresh token, as
    /// written by `gcloud auth application-default login`): calls act as that user.
    /// The refresh token is exchanged at the file's `token_uri` (Google's endpoint when
    /// it names none).
    pub fn authorized_user_file(path: impl AsRef<Path>) -> Result<Self> {
        let path = path.as_ref();
        let json = read_file(path)?;
        expect_kind(&json, &[FileKind::AuthorizedUser], Some(path))?;
        Self::authorized_user(&json).map_err(|e| in_file(e, path))
    }

    /// Authorized-user credentials, as JSON text.
    pub fn authorized_user_json(json: &str) -> Result<Self> {
        expect_kind(json, &[FileKind::AuthorizedUser], None)?;
        Self::authorized_user(json)
    }

    fn authorized_user(json: &str) -> Result<Self> {
        Ok(Self::with_source(Source::AuthorizedUser(Arc::new(
            AuthorizedUser::parse(json)?,
        ))))
    }

    /// An OAuth client ID file (`{"installed": ...}` or `{"web": ...}`, what the Cloud
    /// console downloads for "Create credentials > OAuth client ID" and the Chat guides
    /// call `credentials.json`): calls act as the user who consents in a browser. Set
    /// the scopes with [`with_scopes`](Self::with_scopes). See [`InstalledFlow`] for
    /// the flow, its refresh-token cache and headless use.
    pub fn oauth_client_file(path: impl AsRef<Path>) -> Result<Self> {
        InstalledFlow::from_file(path).map(InstalledFlow::into_credentials)
    }

    /// An OAuth client ID, as the JSON text of its file.
    pub fn oauth_client_json(json: &str) -> Result<Self> {
        InstalledFlow::from_json(json).map(InstalledFlow::into_credentials)
    }

    /// Workload identity federation (an `external_account` file): a subject token read
    /// from a file or a URL (`credential_source.file` / `.url`, text or JSON `format`)
    /// is exchanged at the file's `token_url` (Google's STS), then, when the file has a
    /// `service_account_impersonation_url`, for a service account's token. Scopes
    /// default to the API's default scopes. Executable-sourced and AWS credentials are refused.
    pub fn external_account_file(path: impl AsRef<Path>) -> Result<Self> {
        let path = path.as_ref();
        let json = read_file(path)?;
        expect_kind(&json, &[FileKind::ExternalAccount], Some(path))?;
        Self::external_account(&json).map_err(|e| in_file(e, path))
    }

    /// Workload identity federation, as the JSON text of an `external_account` file.
    pub fn external_account_json(json: &str) -> Result<Self> {
        expect_kind(json, &[FileKind::ExternalAccount], None)?;
        Self::external_account(json)
    }

    fn external_account(json: &str) -> Result<Self> {
        Ok(
            Self::with_source(Source::External(Arc::new(ExternalAccount::parse(json)?)))
                .with_api_default_scopes(),
        )
    }

    /// Service-account impersonation (an `impersonated_service_account` file, as
    /// `gcloud auth application-default login --impersonate-service-account=SA`
    /// writes): a token of the `source_credentials` (authorized user or service
    /// account) buys a token of the target service account at the file's
    /// `service_account_impersonation_url`. Scopes default to the API's default scopes.
    pub fn impersonated_service_account_file(path: impl AsRef<Path>) -> Result<Self> {
        let path = path.as_ref();
        let json = read_file(path)?;
        expect_kind(&json, &[FileKind::Impersonated], Some(path))?;
        Self::impersonated(&json).map_err(|e| in_file(e, path))
    }

    /// Service-account impersonation, as the JSON text of its file.
    pub fn impersonated_service_account_json(json: &str) -> Result<Self> {
        expect_kind(json, &[FileKind::Impersonated], None)?;
        Self::impersonated(json)
    }

    fn impersonated(json: &str) -> Result<Self> {
        Ok(
            Self::with_source(Source::Impersonated(Arc::new(Impersonated::parse(json)?)))
                .with_api_default_scopes(),
        )
    }

    /// Any credentials file this crate reads, told apart by its content (`type`, or
    /// the `installed`/`web` object of an OAuth client ID file).
    pub fn from_file(path: impl AsRef<Path>) -> Result<Self> {
        let path = path.as_ref();
        let json = read_file(path)?;
        match detect(&json) {
            Detected::Known(FileKind::Installed | FileKind::Web) => Self::oauth_client_file(path),
            Detected::Known(kind) => Self::of_kind(kind, &json).map_err(|e| in_file(e, path)),
            Detected::Other(kind) => Err(unsupported_type(&kind, Some(path))),
            Detected::Unknown => Err(Error::auth(
                format!(
                    "{}: credentials have no `type` field (nor an \"installed\" or \"web\" object)",
                    path.display()
                ),
                None,
            )),
        }
    }

    /// Application Default Credentials: the file named by `GOOGLE_APPLICATION_CREDENTIALS`,
    /// else gcloud's well-known `application_default_credentials.json`, else (at the
    /// first request) the metadata server or the `gcloud` CLI. The file may be a service
    /// account key, authorized-user, `external_account` or
    /// `impersonated_service_account` credentials.
    pub fn application_default() -> Result<Self> {
        // An empty variable counts as unset, as in Google's other client libraries.
        let env = std::env::var_os("GOOGLE_APPLICATION_CREDENTIALS")
            .filter(|v| !v.is_empty())
            .map(PathBuf::from);
        Self::application_default_from(env, well_known_file())
    }

    fn application_default_from(env: Option<PathBuf>, well_known: Option<PathBuf>) -> Result<Self> {
        if let Some(path) = env {
            return Self::adc_file(&path).map_err(|e| match e {
                Error::Auth { message, source } => Error::Auth {
                    message: format!("GOOGLE_APPLICATION_CREDENTIALS: {message}"),
                    source,
                },
                other => other,
            });
        }
        if let Some(path) = well_known.filter(|p| p.is_file()) {
            return Self::adc_file(&path);
        }
        Ok(
            Self::with_source(Source::Ambient(Arc::new(ambient::Ambient::from_env())))
                .with_api_default_scopes(),
        )
    }

    /// A credentials file ADC accepts: every kind but OAuth client ID files, which need
    /// a consent flow.
    fn adc_file(path: &Path) -> Result<Self> {
        let json = read_file(path)?;
        match detect(&json) {
            Detected::Known(kind @ (FileKind::Installed | FileKind::Web)) => Err(Error::auth(
                format!(
                    "{} is {}: Application Default Credentials do not run a consent flow; use {}",
                    path.display(),
                    kind.describe(),
                    kind.file_constructor()
                ),
                None,
            )),
            Detected::Known(kind) => Self::of_kind(kind, &json).map_err(|e| in_file(e, path)),
            Detected::Other(kind) => Err(unsupported_type(&kind, Some(path))),
            Detected::Unknown => Err(Error::auth(
                format!("{}: credentials have no `type` field", path.display()),
                None,
            )),
        }
    }

    fn of_kind(kind: FileKind, json: &str) -> Result<Self> {
        match kind {
            FileKind::ServiceAccount => Self::service_account(json),
            FileKind::AuthorizedUser => Self::authorized_user(json),
            FileKind::ExternalAccount => Self::external_account(json),
            FileKind::Impersonated => Self::impersonated(json),
            FileKind::Installed | FileKind::Web => Self::oauth_client_json(json),
        }
    }

    /// Any token provider of your own.
    pub fn from_provider(provider: impl TokenProvider + 'static) -> Self {
        Self::with_source(Source::Custom(Arc::new(provider)))
    }

    /// Replaces the scopes asked for (service accounts, OAuth client ID flows, external
    /// accounts, impersonation, ADC, custom providers; authorized-user tokens carry the
    /// scopes they were granted).
    pub fn with_scopes<S: Into<String>>(mut self, scopes: impl IntoIterator<Item = S>) -> Self {
        self.scopes = scopes.into_iter().map(Into::into).collect();
        self.api_default_scopes = false;
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

    /// The scopes asked for; empty when they are the API's default scopes, which the
    /// client fills in when it is built.
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
            Source::ServiceAccount(sa) => sa.quota_project_id.as_deref(),
            Source::External(ext) => ext.quota_project_id.as_deref(),
            Source::Impersonated(imp) => imp.quota_project_id.as_deref(),
            _ => None,
        }
    }

    fn with_source(source: Source) -> Self {
        Self {
            source,
            scopes: Vec::new(),
            api_default_scopes: false,
        }
    }

    /// Asks for the API's default scopes (the generated crate's choice, e.g. `chat.bot`
    /// for Chat) unless [`with_scopes`](Self::with_scopes) says otherwise.
    fn with_api_default_scopes(mut self) -> Self {
        self.api_default_scopes = true;
        self
    }

    /// The credentials a client of an API whose default scopes are `defaults` uses.
    pub(crate) fn for_api(mut self, defaults: &[&str]) -> Self {
        if self.api_default_scopes {
            self.scopes = defaults.iter().map(|s| (*s).to_owned()).collect();
            self.api_default_scopes = false;
        }
        self
    }

    fn kind(&self) -> &'static str {
        match &self.source {
            Source::None => "none",
            Source::Static(_) => "bearer token",
            Source::ServiceAccount(_) => "service account",
            Source::AuthorizedUser(_) => "authorized user",
            Source::Installed(_) => "OAuth client ID (installed-app flow)",
            Source::External(_) => "external account",
            Source::Impersonated(_) => "impersonated service account",
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
            Source::Installed(i) => {
                d.field("flow", &i.flow);
            }
            Source::External(e) => {
                d.field("audience", &e.audience);
                d.field("token_url", &e.token_url);
                d.field("service_account_impersonation_url", &e.impersonation_url);
            }
            Source::Impersonated(i) => {
                d.field("target", &i.target);
                d.field("url", &i.url);
            }
            Source::Custom(p) => {
                d.field("provider", p);
            }
            Source::None | Source::Static(_) | Source::Ambient(_) => {}
        }
        d.field("scopes", &self.scopes).finish()
    }
}

/// The kinds of credentials files.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum FileKind {
    ServiceAccount,
    AuthorizedUser,
    ExternalAccount,
    Impersonated,
    Installed,
    Web,
}

impl FileKind {
    /// What the file is, for errors.
    fn describe(self) -> &'static str {
        match self {
            FileKind::ServiceAccount => "a service account key (\"type\": \"service_account\")",
            FileKind::AuthorizedUser => {
                "authorized-user credentials (\"type\": \"authorized_user\")"
            }
            FileKind::ExternalAccount => {
                "workload identity federation credentials (\"type\": \"external_account\")"
            }
            FileKind::Impersonated => {
                "service-account impersonation credentials (\"type\": \"impersonated_service_account\")"
            }
            FileKind::Installed => "an OAuth client ID file (\"installed\")",
            FileKind::Web => "an OAuth client ID file (\"web\")",
        }
    }

    /// The constructor that reads such a file.
    fn file_constructor(self) -> &'static str {
        match self {
            FileKind::ServiceAccount => "Credentials::service_account_file(path)",
            FileKind::AuthorizedUser => "Credentials::authorized_user_file(path)",
            FileKind::ExternalAccount => "Credentials::external_account_file(path)",
            FileKind::Impersonated => "Credentials::impersonated_service_account_file(path)",
            FileKind::Installed | FileKind::Web => "Credentials::oauth_client_file(path)",
        }
    }

    /// The constructor that reads such JSON text.
    fn json_constructor(self) -> &'static str {
        match self {
            FileKind::ServiceAccount => "Credentials::service_account_json(json)",
            FileKind::AuthorizedUser => "Credentials::authorized_user_json(json)",
            FileKind::ExternalAccount => "Credentials::external_account_json(json)",
            FileKind::Impersonated => "Credentials::impersonated_service_account_json(json)",
            FileKind::Installed | FileKind::Web => "Credentials::oauth_client_json(json)",
        }
    }
}

/// What a credentials file's content says it is.
enum Detected {
    Known(FileKind),
    /// A `type` this crate does not read.
    Other(String),
    /// Not a JSON object with a `type` (the kind's own parser says what is wrong).
    Unknown,
}

fn detect(json: &str) -> Detected {
    let Ok(serde_json::Value::Object(map)) = serde_json::from_str::<serde_json::Value>(json) else {
        return Detected::Unknown;
    };
    match map.get("type").and_then(|t| t.as_str()) {
        Some("service_account") => Detected::Known(FileKind::ServiceAccount),
        Some("authorized_user") => Detected::Known(FileKind::AuthorizedUser),
        Some("external_account") => Detected::Known(FileKind::ExternalAccount),
        Some("impersonated_service_account") => Detected::Known(FileKind::Impersonated),
        Some(other) => Detected::Other(other.to_owned()),
        None if map.get("installed").is_some_and(|v| v.is_object()) => {
            Detected::Known(FileKind::Installed)
        }
        None if map.get("web").is_some_and(|v| v.is_object()) => Detected::Known(FileKind::Web),
        None => Detected::Unknown,
    }
}

/// Refuses a file of another kind than `expected`, naming its kind and the call that
/// reads it: `credentials.json is an OAuth client ID file ("installed"); use
/// Credentials::oauth_client_file(path)`.
fn expect_kind(json: &str, expected: &[FileKind], path: Option<&Path>) -> Result<()> {
    match detect(json) {
        Detected::Known(kind) if expected.contains(&kind) => Ok(()),
        Detected::Known(kind) => {
            let (subject, call) = match path {
                Some(path) => (path.display().to_string(), kind.file_constructor()),
                None => ("the JSON".to_owned(), kind.json_constructor()),
            };
            Err(Error::auth(
                format!("{subject} is {}; use {call}", kind.describe()),
                None,
            ))
        }
        Detected::Other(kind) => Err(unsupported_type(&kind, path)),
        Detected::Unknown => Ok(()),
    }
}

fn unsupported_type(kind: &str, path: Option<&Path>) -> Error {
    let subject = path.map_or_else(|| "the JSON".to_owned(), |p| p.display().to_string());
    let kind: String = one_line(kind).chars().take(60).collect();
    Error::auth(
        format!(
            "{subject} holds credentials of type \"{kind}\", which this crate does not read \
             (it reads service_account, authorized_user, external_account, \
             impersonated_service_account and OAuth client ID files)"
        ),
        None,
    )
}

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
        let cache = match &credentials.source {
            Source::Static(token) => Some(token.clone()),
            _ => None,
        };
        Self {
            credentials,
            retry,
            timeout,
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
        let http = TokenHttp {
            http,
            retry: &self.retry,
            timeout: self.timeout,
        };
        match &self.credentials.source {
            Source::None => Err(Error::auth("no credentials configured", None)),
            Source::Static(token) => Ok(token.clone()),
            Source::ServiceAccount(sa) => sa.fetch(http, scopes).await,
            Source::AuthorizedUser(user) => user.fetch(http).await,
            Source::Installed(flow) => flow.fetch(http, scopes).await,
            Source::External(ext) => ext.fetch(http, scopes).await,
            Source::Impersonated(imp) => imp.fetch(http, scopes).await,
            Source::Custom(provider) => provider.fetch_token(scopes).await.map_err(|e| {
                Error::auth(
                    format!("the token provider failed: {}", chain_text(&*e)),
                    Some(e),
                )
            }),
            Source::Ambient(ambient) => ambient.fetch(http, scopes).await,
        }
    }
}

/// An error and its sources on one line, each level once.
fn chain_text(e: &(dyn std::error::Error + 'static)) -> String {
    let mut text = e.to_string();
    let mut next = e.source();
    while let Some(source) = next {
        let part = source.to_string();
        if !text.contains(&part) {
            text.push_str(": ");
            text.push_str(&part);
        }
        next = source.source();
    }
    let text: String = one_line(&text).chars().take(300).collect();
    text
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
    fn a_file_of_another_kind_names_its_kind_and_the_call_to_use() {
        let client = r#"{"installed":{"client_id":"cid.apps","client_secret":"CSECRET","auth_uri":"https://a/auth","token_uri":"https://a/token","redirect_uris":["http://localhost"]}}"#;
        let e = Credentials::service_account_json(client)
            .unwrap_err()
            .to_string();
        assert_eq!(
            e,
            "authentication failed: the JSON is an OAuth client ID file (\"installed\"); use Credentials::oauth_client_json(json)"
        );
        let user = r#"{"type":"authorized_user","client_id":"cid","client_secret":"CSECRET","refresh_token":"RSECRET"}"#;
        let e = Credentials::service_account_json(user)
            .unwrap_err()
            .to_string();
        assert_eq!(
            e,
            "authentication failed: the JSON is authorized-user credentials (\"type\": \"authorized_user\"); use Credentials::authorized_user_json(json)"
        );
        let e = Credentials::oauth_client_json(user)
            .unwrap_err()
            .to_string();
        assert!(
            e.ends_with("use Credentials::authorized_user_json(json)"),
            "{e}"
        );
        let e = Credentials::authorized_user_json(r#"{"web":{"client_id":"c"}}"#)
            .unwrap_err()
            .to_string();
        assert!(
            e.contains(
                "is an OAuth client ID file (\"web\"); use Credentials::oauth_client_json(json)"
            ),
            "{e}"
        );
        assert!(Credentials::oauth_client_json(client).is_ok());
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
        std::fs::write(&other, r#"{"type":"gdch_service_account"}"#).unwrap();
        let e = Credentials::application_default_from(Some(other.clone()), None)
            .unwrap_err()
            .to_string();
        assert!(
            e.starts_with("authentication failed: GOOGLE_APPLICATION_CREDENTIALS: "),
            "{e}"
        );
        assert!(
            e.contains("type \"gdch_service_account\", which this crate does not read"),
            "{e}"
        );

        // ADC reads federation and impersonation files too, but runs no consent flow.
        let external = dir.join("external.json");
        std::fs::write(
            &external,
            r#"{"type":"external_account","audience":"//iam/aud","subject_token_type":"urn:ietf:params:oauth:token-type:jwt","credential_source":{"file":"/tmp/t"}}"#,
        )
        .unwrap();
        let c = Credentials::application_default_from(Some(external), None).unwrap();
        assert_eq!(c.kind(), "external account");
        let imp = dir.join("imp.json");
        std::fs::write(
            &imp,
            r#"{"type":"impersonated_service_account","service_account_impersonation_url":"https://iam/v1/projects/-/serviceAccounts/sa@p.iam.gserviceaccount.com:generateAccessToken","source_credentials":{"type":"authorized_user","client_id":"c","client_secret":"CS","refresh_token":"RT"}}"#,
        )
        .unwrap();
        let c = Credentials::application_default_from(None, Some(imp)).unwrap();
        assert_eq!(c.kind(), "impersonated service account");
        assert!(format!("{c:?}").contains("sa@p.iam.gserviceaccount.com"));
        let client = dir.join("client.json");
        std::fs::write(
            &client,
            r#"{"installed":{"client_id":"c","client_secret":"CS"}}"#,
        )
        .unwrap();
        let e = Credentials::application_default_from(Some(client.clone()), None)
            .unwrap_err()
            .to_string();
        assert_eq!(
            e,
            format!(
                "authentication failed: GOOGLE_APPLICATION_CREDENTIALS: {} is an OAuth client ID file (\"installed\"): \
                 Application Default Credentials do not run a consent flow; use Credentials::oauth_client_file(path)",
                client.display()
            )
        );
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
