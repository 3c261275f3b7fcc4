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
//! [`RetryPolicy`](crate::RetryPolicy) and request timeout, to the endpoint the
//! credentials file names (`token_uri`, `token_url`, ...). A failure is an
//! [`Error::Auth`] whose text names the credentials, the endpoint and the cause on one
//! line, e.g. `authentication failed: service account app@p.iam.gserviceaccount.com:
//! token request to https://oauth2.googleapis.com/token failed: connection refused`.
//! Secrets (private keys, client secrets, refresh and access tokens, subject tokens)
//! never appear in `Display`, `Debug` or logs.

//!
//! Each kind of credentials is a module of its own: its file's fields, its
//! `Credentials::*_file` / `*_json` constructors, and its `Provider` (how it fetches a
//! token). A kind read from a file also has a `FileKind` static, listed in `KINDS`:
//! what [`Credentials::from_file`] and [`Credentials::application_default`] recognize.
//! Adding a kind is one new module and one line in `KINDS` (besides its `mod` line).

use std::fmt;
use std::future::Future;
use std::path::{Path, PathBuf};
use std::pin::Pin;
use std::sync::Arc;
use std::time::{Duration, SystemTime};

use crate::error::{Error, Result};

mod ambient;
mod authorized_user;
mod cache;
mod external_account;
mod file;
mod http;
mod impersonated;
mod installed;
mod provider;
mod service_account;

pub(crate) use cache::Auth;
use file::{FileKind, json_error};
pub use installed::{
    ConsentPresenter, ConsentRequest, InstalledFlow, OpenBrowser, PasteRedirect, PresentFuture,
};
use provider::Provider;

/// Every kind of credentials file, in the order they are tried: what
/// [`Credentials::from_file`] and Application Default Credentials tell apart by content.
/// A new kind of file is a module with its `FileKind` static, and one line here.
static KINDS: &[&FileKind] = &[
    &service_account::FILE,
    &authorized_user::FILE,
    &external_account::FILE,
    &impersonated::FILE,
    &installed::INSTALLED_FILE,
    &installed::WEB_FILE,
];

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
///
/// The constructors of each kind of credentials file (`service_account_file`,
/// `authorized_user_file`, ...) are in that kind's module.
#[derive(Clone)]
pub struct Credentials {
    /// `None`: no `Authorization` header.
    provider: Option<Arc<dyn Provider>>,
    scopes: Vec<String>,
    /// Whether `scopes` is still to be filled with the API's default scopes.
    api_default_scopes: bool,
}

impl Credentials {
    /// No `Authorization` header (for emulators, or with an API key only).
    pub fn none() -> Self {
        Self {
            provider: None,
            scopes: Vec::new(),
            api_default_scopes: false,
        }
    }

    /// A fixed bearer token; never refreshed.
    pub fn bearer_token(token: impl Into<String>) -> Self {
        Self::with_provider(provider::Fixed(AccessToken::new(token, None)))
    }

    /// Any token provider of your own.
    pub fn from_provider(provider: impl TokenProvider + 'static) -> Self {
        Self::with_provider(provider::Custom(Arc::new(provider)))
    }

    /// Any credentials file this crate reads, told apart by its content (`type`, or
    /// the `installed`/`web` object of an OAuth client ID file).
    pub fn from_file(path: impl AsRef<Path>) -> Result<Self> {
        file::read_any(path.as_ref(), false)
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
        Self::application_default_from(env, file::well_known_file())
    }

    fn application_default_from(env: Option<PathBuf>, well_known: Option<PathBuf>) -> Result<Self> {
        if let Some(path) = env {
            return file::read_any(&path, true).map_err(|e| match e {
                Error::Auth { message, source } => Error::Auth {
                    message: format!("GOOGLE_APPLICATION_CREDENTIALS: {message}"),
                    source,
                },
                other => other,
            });
        }
        if let Some(path) = well_known.filter(|p| p.is_file()) {
            return file::read_any(&path, true);
        }
        Ok(Self::with_provider(ambient::Ambient::from_env()).with_api_default_scopes())
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
        if let Some(provider) = self
            .provider
            .as_ref()
            .and_then(|p| p.with_subject(subject.into()))
        {
            self.provider = Some(provider);
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
        self.provider.as_ref().and_then(|p| p.quota_project())
    }

    /// Credentials of `provider`'s kind, with no scopes yet.
    fn with_provider(provider: impl Provider + 'static) -> Self {
        Self {
            provider: Some(Arc::new(provider)),
            ..Self::none()
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
        self.provider.as_ref().map_or("none", |p| p.kind())
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
        if let Some(provider) = &self.provider {
            provider.debug_fields(&mut d);
        }
        d.field("scopes", &self.scopes).finish()
    }
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
