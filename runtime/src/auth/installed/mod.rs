//! OAuth client ID files (`{"installed": ...}` or `{"web": ...}`, what the Cloud
//! console's "Create OAuth client ID" downloads) and the installed-app flow:
//! consent in a browser, a loopback redirect on 127.0.0.1, PKCE (S256) and a checked
//! `state`, the code exchanged at the file's `token_uri`, and the refresh token kept
//! in a per-user cache file for the next run (see [`InstalledFlow`]).
//!
//! Here: the client ID file, the flow's settings and the refresh-then-consent logic;
//! `consent.rs` runs the consent itself, `loopback.rs` the redirect listener,
//! `presenters.rs` shows the URL, `refresh_cache.rs` keeps refresh tokens.

use std::fmt;
use std::path::{Path, PathBuf};
use std::sync::{Arc, Mutex};
use std::time::Duration;

use crate::json_object::json_object;

use super::authorized_user::refresh_grant;
use super::file::{self, FileKind, Tag};
use super::http::{Target, TokenHttp, display_url, io_cause};
use super::provider::{FetchFuture, Provider};
use super::{Credentials, GOOGLE_TOKEN_URI, json_error};
use crate::AccessToken;
use crate::error::{Error, Result};

mod consent;
mod loopback;
mod presenters;
mod refresh_cache;

pub use presenters::{ConsentPresenter, ConsentRequest, OpenBrowser, PasteRedirect, PresentFuture};
use refresh_cache::CacheEntry;

/// Google's consent endpoint, for files that name none.
const GOOGLE_AUTH_URI: &str = "https://accounts.google.com/o/oauth2/auth";
/// How long the flow waits for the user by default.
const DEFAULT_CONSENT_TIMEOUT: Duration = Duration::from_secs(300);

/// Why Application Default Credentials refuse OAuth client ID files.
const NO_CONSENT_IN_ADC: &str = "Application Default Credentials do not run a consent flow";

/// OAuth client ID files of a Desktop app, as [`KINDS`](super::KINDS) lists them.
pub(super) static INSTALLED_FILE: FileKind = FileKind {
    tag: Tag::Object("installed"),
    noun: "an OAuth client ID file",
    stem: "oauth_client",
    adc_refusal: Some(NO_CONSENT_IN_ADC),
    parse: credentials,
};

/// OAuth client ID files of a Web application, as [`KINDS`](super::KINDS) lists them.
pub(super) static WEB_FILE: FileKind = FileKind {
    tag: Tag::Object("web"),
    noun: "an OAuth client ID file",
    stem: "oauth_client",
    adc_refusal: Some(NO_CONSENT_IN_ADC),
    parse: credentials,
};

fn credentials(json: &str) -> Result<Credentials> {
    InstalledFlow::parse(json).map(InstalledFlow::into_credentials)
}

impl Credentials {
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
}

impl Provider for InstalledSource {
    fn kind(&self) -> &'static str {
        "OAuth client ID (installed-app flow)"
    }

    fn fetch<'a>(&'a self, http: TokenHttp<'a>, scopes: &'a [String]) -> FetchFuture<'a> {
        Box::pin(self.token(http, scopes))
    }

    fn debug_fields(&self, d: &mut fmt::DebugStruct<'_, '_>) {
        d.field("flow", &self.flow);
    }
}

/// An OAuth client ID: a Desktop app (`installed`) or a Web application (`web`).
pub(super) struct OAuthClient {
    kind: &'static str,
    pub client_id: String,
    client_secret: Option<String>,
    auth_uri: String,
    pub token_uri: String,
    redirect_uris: Vec<String>,
}

impl OAuthClient {
    fn parse(json: &str) -> Result<Self> {
        json_object! {
            struct File {
                installed: Option<Client> = "installed",
                web: Option<Client> = "web",
            }
        }
        json_object! {
            struct Client {
                client_id: String = "client_id" (required),
                client_secret: Option<String> = "client_secret",
                auth_uri: Option<String> = "auth_uri",
                token_uri: Option<String> = "token_uri",
                redirect_uris: Vec<String> = "redirect_uris",
            }
        }
        let f: File = serde_json::from_str(json).map_err(|e| json_error("OAuth client ID", &e))?;
        let (kind, c) = match (f.installed, f.web) {
            (Some(c), _) => ("installed", c),
            (None, Some(c)) => ("web", c),
            (None, None) => {
                return Err(Error::auth(
                    "an OAuth client ID file has an \"installed\" or a \"web\" object; this has neither",
                    None,
                ));
            }
        };
        let client = Self {
            kind,
            client_id: c.client_id,
            client_secret: c.client_secret.filter(|s| !s.is_empty()),
            auth_uri: c
                .auth_uri
                .filter(|u| !u.is_empty())
                .unwrap_or_else(|| GOOGLE_AUTH_URI.to_owned()),
            token_uri: c
                .token_uri
                .filter(|u| !u.is_empty())
                .unwrap_or_else(|| GOOGLE_TOKEN_URI.to_owned()),
            redirect_uris: c.redirect_uris,
        };
        if reqwest::Url::parse(&client.auth_uri).is_err() {
            return Err(Error::auth(
                format!(
                    "{}: auth_uri `{}` is not a URL",
                    client.who(),
                    display_url(&client.auth_uri)
                ),
                None,
            ));
        }
        Ok(client)
    }

    /// `OAuth client 123.apps.googleusercontent.com ("installed")`.
    pub(super) fn who(&self) -> String {
        format!("OAuth client {} (\"{}\")", self.client_id, self.kind)
    }
}

/// The installed-app flow of an OAuth client ID file, with its settings; turn it into
/// [`Credentials`] with [`into_credentials`](Self::into_credentials) (or
/// [`Credentials::from`]). [`Credentials::oauth_client_file`] is this with every
/// setting at its default.
///
/// At the first request (or [`Client::authorize`](crate::Client::authorize)) the
/// client looks for a cached refresh token for this client id and these scopes and
/// uses it; without one (or when Google answers `invalid_grant`, which removes the
/// cached one) it runs the consent flow:
///
/// 1. it listens on `127.0.0.1` (a random port for a Desktop app client; for a Web
///    client, the port of its first `http://localhost:PORT/...` or
///    `http://127.0.0.1:PORT/...` redirect URI, which must be registered);
/// 2. it hands the consent URL (with a PKCE S256 challenge and a random `state`) to
///    the [`ConsentPresenter`], by default [`OpenBrowser`]: printed on stderr and
///    opened in the browser where there is one;
/// 3. the browser comes back to the loopback address with a code; a redirect whose
///    `state` is not this request's is refused and ends the flow;
/// 4. the code is exchanged at the file's `token_uri`, and the refresh token is stored
///    in the cache file (created with mode 0600; it holds the refresh token, client
///    id, scopes and token URI, never the client secret).
///
/// Without a browser on this machine use [`PasteRedirect`]: open the printed URL on
/// any machine, and paste the address the browser ends on (the loopback page that
/// does not load there) back into the terminal.
///
/// ```no_run
/// use google_api_runtime::auth::{InstalledFlow, PasteRedirect};
///
/// # async fn run() -> google_api_runtime::Result<()> {
/// let credentials = InstalledFlow::from_file("credentials.json")?
///     .presenter(PasteRedirect)
///     .token_cache_dir("/var/lib/my-bot")
///     .into_credentials()
///     .with_scopes(["https://www.googleapis.com/auth/chat.messages.create"]);
/// // Then, e.g. with the Chat API's crate: `chat_api::Client::new(credentials)?`, and
/// // `client.authorize().await?` to consent now (or use the cached refresh token)
/// // rather than at the first call.
/// # let _ = credentials;
/// # Ok(()) }
/// ```
#[derive(Clone)]
pub struct InstalledFlow {
    client: Arc<OAuthClient>,
    cache: CacheSetting,
    presenter: Arc<dyn ConsentPresenter>,
    consent_timeout: Duration,
}

/// Where the refresh token is kept.
#[derive(Clone, Debug)]
enum CacheSetting {
    /// [`refresh_cache::default_dir`].
    Default,
    Dir(PathBuf),
    File(PathBuf),
    Off,
}

impl InstalledFlow {
    /// The flow of an OAuth client ID file (`installed` or `web`).
    pub fn from_file(path: impl AsRef<Path>) -> Result<Self> {
        let path = path.as_ref();
        let json = file::read_file(path)?;
        file::expect_kind(&json, &[&INSTALLED_FILE, &WEB_FILE], Some(path))?;
        Self::parse(&json).map_err(|e| file::in_file(e, path))
    }

    /// The flow of an OAuth client ID, as the JSON text of its file.
    pub fn from_json(json: &str) -> Result<Self> {
        file::expect_kind(json, &[&INSTALLED_FILE, &WEB_FILE], None)?;
        Self::parse(json)
    }

    fn parse(json: &str) -> Result<Self> {
        Ok(Self {
            client: Arc::new(OAuthClient::parse(json)?),
            cache: CacheSetting::Default,
            presenter: Arc::new(OpenBrowser),
            consent_timeout: DEFAULT_CONSENT_TIMEOUT,
        })
    }

    /// Keeps the cache file in `dir` (default: `$XDG_CACHE_HOME/google-api-rs`, else
    /// `~/.cache/google-api-rs`; `%LOCALAPPDATA%\google-api-rs` on Windows), named after a hash
    /// of the client id and the sorted scopes.
    pub fn token_cache_dir(mut self, dir: impl Into<PathBuf>) -> Self {
        self.cache = CacheSetting::Dir(dir.into());
        self
    }

    /// Keeps the refresh token in exactly this file (for one set of scopes).
    pub fn token_cache_file(mut self, path: impl Into<PathBuf>) -> Self {
        self.cache = CacheSetting::File(path.into());
        self
    }

    /// Keeps the refresh token in memory only: every new process asks for consent.
    pub fn no_token_cache(mut self) -> Self {
        self.cache = CacheSetting::Off;
        self
    }

    /// Who shows the consent URL to the user (default [`OpenBrowser`]).
    pub fn presenter(mut self, presenter: impl ConsentPresenter + 'static) -> Self {
        self.presenter = Arc::new(presenter);
        self
    }

    /// How long to wait for the user to consent (default 5 minutes).
    pub fn consent_timeout(mut self, timeout: Duration) -> Self {
        self.consent_timeout = timeout;
        self
    }

    /// The cache file used for `scopes`, if any (no user cache directory and no
    /// setting means none).
    pub fn token_cache_path<S: AsRef<str>>(&self, scopes: &[S]) -> Option<PathBuf> {
        let scopes: Vec<String> = scopes.iter().map(|s| s.as_ref().to_owned()).collect();
        self.cache_path(&scopes)
    }

    /// Credentials that run this flow; set the scopes with
    /// [`Credentials::with_scopes`].
    pub fn into_credentials(self) -> Credentials {
        Credentials::with_provider(InstalledSource {
            flow: self,
            refresh_token: Mutex::new(None),
        })
    }

    fn cache_path(&self, scopes: &[String]) -> Option<PathBuf> {
        let name = || refresh_cache::file_name(&self.client.client_id, scopes);
        match &self.cache {
            CacheSetting::Default => refresh_cache::default_dir().map(|d| d.join(name())),
            CacheSetting::Dir(dir) => Some(dir.join(name())),
            CacheSetting::File(path) => Some(path.clone()),
            CacheSetting::Off => None,
        }
    }
}

impl From<InstalledFlow> for Credentials {
    fn from(flow: InstalledFlow) -> Self {
        flow.into_credentials()
    }
}

impl fmt::Debug for InstalledFlow {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("InstalledFlow")
            .field("client_id", &self.client.client_id)
            .field("kind", &self.client.kind)
            .field("auth_uri", &self.client.auth_uri)
            .field("token_uri", &self.client.token_uri)
            .field("cache", &self.cache)
            .field("presenter", &self.presenter)
            .field("consent_timeout", &self.consent_timeout)
            .finish()
    }
}

/// The installed-app flow inside [`Credentials`], with the refresh token of this
/// process.
pub(super) struct InstalledSource {
    pub flow: InstalledFlow,
    refresh_token: Mutex<Option<String>>,
}

impl InstalledSource {
    pub(super) async fn token(
        &self,
        http: TokenHttp<'_>,
        scopes: &[String],
    ) -> Result<AccessToken> {
        let client = &*self.flow.client;
        let who = client.who();
        if scopes.is_empty() {
            return Err(Error::auth(
                format!(
                    "{who}: no scopes to ask consent for; add them with Credentials::with_scopes (from the API crate's `scopes` module)"
                ),
                None,
            ));
        }
        let cache = self.flow.cache_path(scopes);
        let remembered = self.remembered().or_else(|| {
            let path = cache.as_deref()?;
            refresh_cache::load(path, &client.client_id, scopes, &client.token_uri)
        });
        if let Some(refresh) = remembered {
            let mut secrets = vec![refresh.as_str()];
            secrets.extend(client.client_secret.as_deref());
            let target = Target {
                who: &who,
                what: "token request",
                url: &client.token_uri,
                secrets: &secrets,
            };
            let answer = refresh_grant(
                http,
                &target,
                &client.client_id,
                client.client_secret.as_deref(),
                &refresh,
            )
            .await?;
            match answer {
                Ok(answer) => {
                    let (token, rotated) = answer.into_token(&target)?;
                    match rotated.filter(|new| *new != refresh) {
                        Some(new) => self.keep(cache.as_deref(), scopes, new),
                        None => self.remember(Some(refresh.clone())),
                    }
                    return Ok(token);
                }
                Err(refusal) if refusal.code.as_deref() == Some("invalid_grant") => {
                    tracing::info!(client_id = %client.client_id, "the refresh token was refused (invalid_grant); asking for consent again");
                    self.remember(None);
                    if let Some(path) = &cache {
                        refresh_cache::remove(path);
                    }
                }
                Err(refusal) => return Err(refusal.into_error(&target)),
            }
        }
        let (token, refresh) = self.consent(http, &who, scopes).await?;
        match refresh {
            Some(refresh) => self.keep(cache.as_deref(), scopes, refresh),
            None => {
                tracing::warn!(client_id = %client.client_id, "the token endpoint sent no refresh token; the next run asks for consent again")
            }
        }
        Ok(token)
    }

    fn remembered(&self) -> Option<String> {
        self.refresh_token
            .lock()
            .unwrap_or_else(|e| e.into_inner())
            .clone()
    }

    fn remember(&self, token: Option<String>) {
        *self.refresh_token.lock().unwrap_or_else(|e| e.into_inner()) = token;
    }

    /// Keeps a new refresh token in memory and in the cache file.
    fn keep(&self, cache: Option<&Path>, scopes: &[String], refresh: String) {
        let client = &*self.flow.client;
        if let Some(path) = cache {
            let entry = CacheEntry {
                client_id: client.client_id.clone(),
                scopes: refresh_cache::normalized_scopes(scopes),
                token_uri: client.token_uri.clone(),
                refresh_token: refresh.clone(),
            };
            if let Err(e) = refresh_cache::store(path, &entry) {
                tracing::warn!(path = %path.display(), error = %io_cause(&e), "could not write the token cache file; the next run asks for consent again");
            }
        }
        self.remember(Some(refresh));
    }
}
