//! OAuth client ID files (`{"installed": ...}` or `{"web": ...}`, what the Cloud
//! console's "Create OAuth client ID" downloads) and the installed-app flow:
//! consent in a browser, a loopback redirect on 127.0.0.1, PKCE (S256) and a checked
//! `state`, the code exchanged at the file's `token_uri`, and the refresh token kept
//! in a per-user cache file for the next run (see [`InstalledFlow`]).

use std::fmt;
use std::future::Future;
use std::path::{Path, PathBuf};
use std::pin::Pin;
use std::sync::{Arc, Mutex};
use std::time::Duration;

use crate::json_object::json_object;
use base64::Engine as _;
use tokio::io::{AsyncReadExt as _, AsyncWriteExt as _};
use tokio::net::{TcpListener, TcpStream};

use super::authorized_user::refresh_grant;
use super::http::{Target, TokenHttp, display_url, io_cause, one_line};
use super::token_cache::{self, CacheEntry};
use super::{Credentials, FileKind, GOOGLE_TOKEN_URI, Source, expect_kind, json_error, read_file};
use crate::AccessToken;
use crate::error::{BoxError, Error, Result};

/// Google's consent endpoint, for files that name none.
const GOOGLE_AUTH_URI: &str = "https://accounts.google.com/o/oauth2/auth";
/// How long the flow waits for the user by default.
const DEFAULT_CONSENT_TIMEOUT: Duration = Duration::from_secs(300);
/// Longest request head the loopback server reads.
const MAX_HEAD: usize = 16 * 1024;
/// How long one browser connection may take to send its request.
const READ_TIMEOUT: Duration = Duration::from_secs(10);

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
    /// [`token_cache::default_dir`].
    Default,
    Dir(PathBuf),
    File(PathBuf),
    Off,
}

impl InstalledFlow {
    /// The flow of an OAuth client ID file (`installed` or `web`).
    pub fn from_file(path: impl AsRef<Path>) -> Result<Self> {
        let path = path.as_ref();
        let json = read_file(path)?;
        expect_kind(&json, &[FileKind::Installed, FileKind::Web], Some(path))?;
        Self::parse(&json).map_err(|e| super::in_file(e, path))
    }

    /// The flow of an OAuth client ID, as the JSON text of its file.
    pub fn from_json(json: &str) -> Result<Self> {
        expect_kind(json, &[FileKind::Installed, FileKind::Web], None)?;
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
        Credentials::with_source(Source::Installed(Arc::new(InstalledSource {
            flow: self,
            refresh_token: Mutex::new(None),
        })))
    }

    fn cache_path(&self, scopes: &[String]) -> Option<PathBuf> {
        let name = || token_cache::file_name(&self.client.client_id, scopes);
        match &self.cache {
            CacheSetting::Default => token_cache::default_dir().map(|d| d.join(name())),
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

/// What a [`ConsentPresenter`] shows the user.
#[derive(Debug, Clone)]
pub struct ConsentRequest {
    url: String,
    redirect_uri: String,
}

impl ConsentRequest {
    /// The consent page to open in a browser.
    pub fn url(&self) -> &str {
        &self.url
    }

    /// Where the browser is sent after consent (`http://127.0.0.1:PORT/`); the
    /// address it ends on starts with this.
    pub fn redirect_uri(&self) -> &str {
        &self.redirect_uri
    }
}

/// The future a [`ConsentPresenter`] returns: the final redirect URL when the presenter
/// got it itself (pasted by the user), or `None` to wait for the browser to reach the
/// loopback address.
pub type PresentFuture<'a> =
    Pin<Box<dyn Future<Output = std::result::Result<Option<String>, BoxError>> + Send + 'a>>;

/// Shows the consent URL to the user: opens a browser, prints it, sends it to a chat,
/// or (in tests) plays the browser.
///
/// The flow waits for whichever comes first: the browser reaching the loopback
/// redirect, or the presenter's future resolving to `Some(final_url)`; a future that
/// resolves to `None` leaves the loopback redirect as the only way.
pub trait ConsentPresenter: Send + Sync + fmt::Debug {
    /// Shows `consent` to the user.
    fn present<'a>(&'a self, consent: &'a ConsentRequest) -> PresentFuture<'a>;
}

/// The default presenter: prints the consent URL on stderr and opens it in the default
/// browser (`xdg-open`, `open`, or the Windows URL handler) when one can be started;
/// then waits for the loopback redirect.
#[derive(Debug, Clone, Copy, Default)]
pub struct OpenBrowser;

impl ConsentPresenter for OpenBrowser {
    fn present<'a>(&'a self, consent: &'a ConsentRequest) -> PresentFuture<'a> {
        eprintln!(
            "To authorize this application, open this address in a browser:\n\n    {}\n",
            consent.url
        );
        if open_browser(&consent.url) {
            eprintln!("(a browser window should have opened; waiting for the redirect)");
        }
        Box::pin(async { Ok(None) })
    }
}

/// For machines without a browser: prints the consent URL on stderr and reads the
/// address the browser ended on from stdin. Open the URL on any machine; after
/// consent the browser goes to `http://127.0.0.1:PORT/?code=...`, a page that does not
/// load there; copy that whole address and paste it. The loopback redirect still works
/// when the browser runs on this machine (the stdin reader then stays blocked until
/// the next line or the end of input).
#[derive(Debug, Clone, Copy, Default)]
pub struct PasteRedirect;

impl ConsentPresenter for PasteRedirect {
    fn present<'a>(&'a self, consent: &'a ConsentRequest) -> PresentFuture<'a> {
        eprintln!(
            "To authorize this application, open this address in a browser (on any machine):\n\n    {}\n\n\
             After you allow access the browser goes to {}... If that page does not load,\n\
             copy the whole address from the browser's address bar, paste it here and press Enter:",
            consent.url, consent.redirect_uri
        );
        let (tx, rx) = tokio::sync::oneshot::channel();
        std::thread::spawn(move || {
            let mut line = String::new();
            let read = std::io::stdin().read_line(&mut line);
            let _ = tx.send(read.map(|_| line));
        });
        Box::pin(async move {
            match rx.await {
                Ok(Ok(line)) if !line.trim().is_empty() => Ok(Some(line.trim().to_owned())),
                // End of input: only the loopback redirect is left.
                Ok(Ok(_)) | Err(_) => Ok(None),
                Ok(Err(e)) => Err(Box::new(e) as BoxError),
            }
        })
    }
}

/// Starts the system's URL handler; false when there is none.
fn open_browser(url: &str) -> bool {
    use std::process::{Command, Stdio};
    let mut command = if cfg!(target_os = "macos") {
        Command::new("open")
    } else if cfg!(windows) {
        // Not `cmd /c start`: cmd would read the `&`s of the URL as command separators.
        let mut c = Command::new("rundll32");
        c.arg("url.dll,FileProtocolHandler");
        c
    } else {
        if std::env::var_os("DISPLAY").is_none() && std::env::var_os("WAYLAND_DISPLAY").is_none() {
            return false;
        }
        Command::new("xdg-open")
    };
    let child = command
        .arg(url)
        .stdin(Stdio::null())
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .spawn();
    match child {
        Ok(mut child) => {
            // Reap it without blocking the flow.
            std::thread::spawn(move || child.wait());
            true
        }
        Err(_) => false,
    }
}

/// The installed-app flow inside [`Credentials`], with the refresh token of this
/// process.
pub(super) struct InstalledSource {
    pub flow: InstalledFlow,
    refresh_token: Mutex<Option<String>>,
}

impl InstalledSource {
    pub(super) async fn fetch(
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
            token_cache::load(path, &client.client_id, scopes, &client.token_uri)
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
                        token_cache::remove(path);
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
                scopes: token_cache::normalized_scopes(scopes),
                token_uri: client.token_uri.clone(),
                refresh_token: refresh.clone(),
            };
            if let Err(e) = token_cache::store(path, &entry) {
                tracing::warn!(path = %path.display(), error = %io_cause(&e), "could not write the token cache file; the next run asks for consent again");
            }
        }
        self.remember(Some(refresh));
    }

    /// Runs the consent flow and exchanges the code: the access token and the refresh
    /// token, if the endpoint sent one.
    async fn consent(
        &self,
        http: TokenHttp<'_>,
        who: &str,
        scopes: &[String],
    ) -> Result<(AccessToken, Option<String>)> {
        let client = &*self.flow.client;
        let (listener, redirect_uri, path) = loopback(client, who).await?;
        let verifier = random_token(32)?;
        let state = random_token(16)?;
        let challenge = base64::engine::general_purpose::URL_SAFE_NO_PAD.encode(
            ring::digest::digest(&ring::digest::SHA256, verifier.as_bytes()),
        );
        let mut url = reqwest::Url::parse(&client.auth_uri)
            .map_err(|_| Error::auth(format!("{who}: auth_uri is not a URL"), None))?;
        url.query_pairs_mut()
            .append_pair("response_type", "code")
            .append_pair("client_id", &client.client_id)
            .append_pair("redirect_uri", &redirect_uri)
            .append_pair("scope", &scopes.join(" "))
            .append_pair("state", &state)
            .append_pair("code_challenge", &challenge)
            .append_pair("code_challenge_method", "S256")
            .append_pair("access_type", "offline")
            .append_pair("prompt", "consent");
        let request = ConsentRequest {
            url: url.to_string(),
            redirect_uri: redirect_uri.clone(),
        };
        tracing::debug!(redirect_uri = %redirect_uri, "waiting for consent");
        let waiting = async {
            let presented = self.flow.presenter.present(&request);
            let served = std::pin::pin!(serve(&listener, &path, &state, who));
            match futures_util::future::select(presented, served).await {
                futures_util::future::Either::Left((Ok(Some(pasted)), _)) => {
                    from_pasted(&pasted, &state, who)
                }
                futures_util::future::Either::Left((Ok(None), served)) => served.await,
                futures_util::future::Either::Left((Err(e), _)) => Err(Error::auth(
                    format!(
                        "{who}: the consent presenter failed: {}",
                        one_line(&e.to_string())
                    ),
                    Some(e),
                )),
                futures_util::future::Either::Right((code, _)) => code,
            }
        };
        let code = tokio::time::timeout(self.flow.consent_timeout, waiting)
            .await
            .map_err(|_| {
                Error::auth(
                    format!(
                        "{who}: no consent within {:?}: the browser never came back to {redirect_uri}",
                        self.flow.consent_timeout
                    ),
                    None,
                )
            })??;
        drop(listener);
        let mut form = vec![
            ("grant_type", "authorization_code"),
            ("code", code.as_str()),
            ("redirect_uri", redirect_uri.as_str()),
            ("client_id", client.client_id.as_str()),
            ("code_verifier", verifier.as_str()),
        ];
        if let Some(secret) = &client.client_secret {
            form.push(("client_secret", secret));
        }
        let mut secrets = vec![code.as_str(), verifier.as_str()];
        secrets.extend(client.client_secret.as_deref());
        let target = Target {
            who,
            what: "token request",
            url: &client.token_uri,
            secrets: &secrets,
        };
        match http.post_form(&target, &form, None).await? {
            Ok(answer) => answer.into_token(&target),
            Err(refusal) => Err(refusal.into_error(&target)),
        }
    }
}

/// The listener, the redirect URI to send and the path the browser comes back to.
async fn loopback(client: &OAuthClient, who: &str) -> Result<(TcpListener, String, String)> {
    if client.kind == "installed" {
        let listener = TcpListener::bind(("127.0.0.1", 0)).await.map_err(|e| {
            Error::auth(
                format!(
                    "{who}: cannot listen on 127.0.0.1 for the redirect: {}",
                    io_cause(&e)
                ),
                Some(Box::new(e)),
            )
        })?;
        let port = listener
            .local_addr()
            .map_err(|e| Error::auth(format!("{who}: {}", io_cause(&e)), Some(Box::new(e))))?
            .port();
        return Ok((
            listener,
            format!("http://127.0.0.1:{port}/"),
            "/".to_owned(),
        ));
    }
    // A web client's redirect URI must be registered: use its loopback one.
    let registered = client.redirect_uris.iter().find_map(|uri| {
        let url = reqwest::Url::parse(uri).ok()?;
        let loopback =
            url.scheme() == "http" && matches!(url.host_str(), Some("localhost" | "127.0.0.1"));
        loopback.then(|| {
            Some((
                uri.clone(),
                url.port_or_known_default()?,
                url.path().to_owned(),
            ))
        })?
    });
    let Some((uri, port, path)) = registered else {
        return Err(Error::auth(
            format!(
                "{who}: none of the web client's redirect_uris is a loopback address \
                 (http://localhost:PORT/ or http://127.0.0.1:PORT/); add one in the Cloud console, \
                 or create a \"Desktop app\" OAuth client"
            ),
            None,
        ));
    };
    let listener = TcpListener::bind(("127.0.0.1", port)).await.map_err(|e| {
        Error::auth(
            format!(
                "{who}: cannot listen on 127.0.0.1:{port} for the redirect URI {uri}: {}",
                io_cause(&e)
            ),
            Some(Box::new(e)),
        )
    })?;
    Ok((listener, uri, path))
}

/// `bytes` random bytes, base64url: PKCE verifiers (43 characters for 32 bytes) and
/// states.
fn random_token(bytes: usize) -> Result<String> {
    use ring::rand::SecureRandom as _;
    let mut buf = vec![0u8; bytes];
    ring::rand::SystemRandom::new()
        .fill(&mut buf)
        .map_err(|_| Error::auth("the system random number generator failed", None))?;
    Ok(base64::engine::general_purpose::URL_SAFE_NO_PAD.encode(buf))
}

/// What the browser brought back.
struct Callback {
    state: Option<String>,
    code: Option<String>,
    error: Option<String>,
}

impl Callback {
    /// The callback in a query, if it is one (it has a code or an error).
    fn from_url(url: &reqwest::Url) -> Option<Self> {
        let mut cb = Callback {
            state: None,
            code: None,
            error: None,
        };
        for (name, value) in url.query_pairs() {
            match &*name {
                "state" => cb.state = Some(value.into_owned()),
                "code" => cb.code = Some(value.into_owned()),
                "error" => cb.error = Some(value.into_owned()),
                _ => {}
            }
        }
        (cb.code.is_some() || cb.error.is_some()).then_some(cb)
    }

    /// The code, if the state is this request's and consent was given.
    fn check(self, state: &str) -> std::result::Result<String, Refused> {
        if self.state.as_deref() != Some(state) {
            return Err(Refused::State);
        }
        if let Some(error) = self.error {
            return Err(Refused::Denied(
                one_line(&error).chars().take(100).collect(),
            ));
        }
        match self.code {
            Some(code) if !code.is_empty() => Ok(code),
            _ => Err(Refused::EmptyCode),
        }
    }
}

/// Why a redirect brought no usable code.
enum Refused {
    State,
    Denied(String),
    EmptyCode,
}

impl Refused {
    fn into_error(self, who: &str) -> Error {
        let why = match self {
            Refused::State => "the redirect's state does not match this consent request \
                 (a stale or forged redirect); the code was not used, start again"
                .to_owned(),
            Refused::Denied(error) => format!("consent was not given: {error}"),
            Refused::EmptyCode => "the redirect has an empty code".to_owned(),
        };
        Error::auth(format!("{who}: {why}"), None)
    }
}

/// The code in a pasted final redirect URL (or its query string).
fn from_pasted(pasted: &str, state: &str, who: &str) -> Result<String> {
    let pasted = pasted.trim();
    let url = if pasted.contains("://") {
        reqwest::Url::parse(pasted).ok()
    } else {
        let query = pasted.rsplit_once('?').map_or(pasted, |(_, q)| q);
        reqwest::Url::parse(&format!("http://127.0.0.1/?{query}")).ok()
    };
    match url.as_ref().and_then(Callback::from_url) {
        Some(callback) => callback.check(state).map_err(|r| r.into_error(who)),
        None => Err(Error::auth(
            format!(
                "{who}: the pasted text is not the address the browser ended on \
                 (http://127.0.0.1:PORT/?state=...&code=...)"
            ),
            None,
        )),
    }
}

/// Answers browser requests on the loopback listener until one brings the callback.
/// Connections are read concurrently: a browser's idle speculative connection must not
/// hold up the one that carries the redirect.
async fn serve(listener: &TcpListener, path: &str, state: &str, who: &str) -> Result<String> {
    let (tx, mut heads) = tokio::sync::mpsc::channel::<(TcpStream, String)>(8);
    loop {
        let accepted = std::pin::pin!(listener.accept());
        let read = std::pin::pin!(heads.recv());
        let (mut stream, head) = match futures_util::future::select(accepted, read).await {
            futures_util::future::Either::Left((accepted, _)) => {
                let (mut stream, _) = accepted.map_err(|e| {
                    Error::auth(
                        format!("{who}: the redirect listener failed: {}", io_cause(&e)),
                        Some(Box::new(e)),
                    )
                })?;
                let tx = tx.clone();
                tokio::spawn(async move {
                    if let Ok(Ok(head)) =
                        tokio::time::timeout(READ_TIMEOUT, read_head(&mut stream)).await
                    {
                        let _ = tx.send((stream, head)).await;
                    }
                });
                continue;
            }
            futures_util::future::Either::Right((Some(read), _)) => read,
            // `tx` lives as long as this loop.
            futures_util::future::Either::Right((None, _)) => continue,
        };
        let target = head
            .lines()
            .next()
            .and_then(|line| line.split_whitespace().nth(1))
            .filter(|t| t.starts_with('/'))
            .and_then(|t| reqwest::Url::parse(&format!("http://127.0.0.1{t}")).ok());
        let Some(url) = target else {
            respond(&mut stream, 400, "Bad request.").await;
            continue;
        };
        if url.path() != path {
            respond(&mut stream, 404, "Not found.").await;
            continue;
        }
        let Some(callback) = Callback::from_url(&url) else {
            respond(&mut stream, 400, "This address expects the OAuth redirect.").await;
            continue;
        };
        let result = callback.check(state);
        let page = match &result {
            Ok(_) => (
                200,
                "Authorization complete. You can close this window and return to the application.",
            ),
            Err(Refused::State) => (
                400,
                "This authorization was refused: its state does not match the request. Start again.",
            ),
            Err(_) => (
                200,
                "Authorization was not granted. You can close this window.",
            ),
        };
        respond(&mut stream, page.0, page.1).await;
        return result.map_err(|r| r.into_error(who));
    }
}

/// Reads an HTTP request head (up to the blank line).
async fn read_head(stream: &mut TcpStream) -> std::io::Result<String> {
    let mut buf = Vec::with_capacity(1024);
    let mut chunk = [0u8; 1024];
    while !buf.windows(4).any(|w| w == b"\r\n\r\n") && buf.len() < MAX_HEAD {
        let n = stream.read(&mut chunk).await?;
        if n == 0 {
            break;
        }
        buf.extend_from_slice(&chunk[..n]);
    }
    Ok(String::from_utf8_lossy(&buf).into_owned())
}

/// A small HTML page; failures to answer the browser do not matter to the flow.
async fn respond(stream: &mut TcpStream, status: u16, text: &str) {
    let reason = match status {
        200 => "OK",
        404 => "Not Found",
        _ => "Bad Request",
    };
    let body = format!(
        "<!doctype html><html><head><meta charset=\"utf-8\"><title>Sign-in</title></head><body><p>{text}</p></body></html>"
    );
    let response = format!(
        "HTTP/1.1 {status} {reason}\r\nContent-Type: text/html; charset=utf-8\r\nContent-Length: {}\r\nConnection: close\r\nCache-Control: no-store\r\n\r\n{body}",
        body.len()
    );
    let _ = stream.write_all(response.as_bytes()).await;
    let _ = stream.shutdown().await;
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn pasted_redirects_are_checked_like_loopback_ones() {
        let ok = from_pasted(
            "  http://127.0.0.1:5555/?state=S1&code=C%2F1&scope=x \n",
            "S1",
            "w",
        );
        assert_eq!(ok.unwrap(), "C/1");
        assert_eq!(from_pasted("?code=C&state=S1", "S1", "w").unwrap(), "C");
        assert_eq!(from_pasted("code=C&state=S1", "S1", "w").unwrap(), "C");
        let e = from_pasted("http://127.0.0.1:5555/?state=S2&code=C", "S1", "w").unwrap_err();
        assert!(e.to_string().contains("state does not match"), "{e}");
        let e =
            from_pasted("http://127.0.0.1/?state=S1&error=access_denied", "S1", "w").unwrap_err();
        assert_eq!(
            e.to_string(),
            "authentication failed: w: consent was not given: access_denied"
        );
        let e = from_pasted("C0DE", "S1", "w").unwrap_err();
        assert!(e.to_string().contains("not the address"), "{e}");
    }

    #[test]
    fn pkce_verifier_is_43_url_safe_characters() {
        let v = random_token(32).unwrap();
        assert_eq!(v.len(), 43);
        assert!(
            v.chars()
                .all(|c| c.is_ascii_alphanumeric() || c == '-' || c == '_')
        );
        assert_ne!(v, random_token(32).unwrap());
    }

    #[test]
    fn web_clients_need_a_loopback_redirect_uri() {
        let json = r#"{"web":{"client_id":"w.apps","client_secret":"CS","redirect_uris":["https://example.com/cb"]}}"#;
        let flow = InstalledFlow::from_json(json).unwrap();
        let rt = tokio::runtime::Builder::new_current_thread()
            .enable_all()
            .build()
            .unwrap();
        let e = rt
            .block_on(loopback(&flow.client, &flow.client.who()))
            .unwrap_err()
            .to_string();
        assert!(
            e.contains("OAuth client w.apps (\"web\"): none of the web client's redirect_uris"),
            "{e}"
        );
        assert!(!e.contains("CS"));
    }
}
