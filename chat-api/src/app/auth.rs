//! Who may call the app's endpoint: the three kinds of bearer token Chat sends, set by the
//! "Authentication audience" of the Chat API configuration page. From
//! <https://developers.google.com/workspace/chat/verify-requests-from-chat>:
//!
//! - **Project number**: a JWT signed by `chat@system.gserviceaccount.com`, `iss` that
//!   account, `aud` the Cloud project number; keys are that account's X.509 certificates
//!   (`https://www.googleapis.com/service_accounts/v1/metadata/x509/chat@system.gserviceaccount.com`).
//! - **HTTP endpoint URL**: a Google OIDC ID token, `iss` `https://accounts.google.com`
//!   (or `accounts.google.com`), `aud` the endpoint URL, `email`
//!   `chat@system.gserviceaccount.com` with `email_verified` true; Google's OIDC keys.
//! - **Google Workspace add-on**: an OIDC ID token as above whose `email` is the add-on's
//!   service agent, `service-PROJECT_NUMBER@gcp-sa-gsuiteaddons.iam.gserviceaccount.com`
//!   (the same token is in the body as `authorizationEventObject.systemIdToken`).

use std::time::Duration;

use google_api_runtime::id_token::{
    self, GOOGLE_ISSUERS, GOOGLE_OIDC_KEYS_URL, IdTokenVerifier, IdTokenVerifierBuilder,
};

/// The account that signs Chat's tokens.
pub const CHAT_ISSUER: &str = "chat@system.gserviceaccount.com";

/// The add-on service agent of project `project_number`, whose email add-on events carry.
pub fn add_on_service_agent(project_number: &str) -> String {
    format!("service-{project_number}@gcp-sa-gsuiteaddons.iam.gserviceaccount.com")
}

/// How the app's endpoint authenticates Chat: pick the case that matches the
/// "Authentication audience" of the Chat API configuration page. Then adjust (key URL for
/// tests and emulators, clock skew, HTTP client) and [`build`](Self::build).
#[derive(Debug, Clone)]
#[must_use]
pub struct ChatAuth {
    builder: IdTokenVerifierBuilder,
}

impl ChatAuth {
    /// Audience "Project number": tokens from `chat@system.gserviceaccount.com` for
    /// `project_number` (the Cloud project's number, not its id).
    pub fn project_number(project_number: impl Into<String>) -> Self {
        IdTokenVerifier::builder(id_token::service_account_x509_url(CHAT_ISSUER))
            .issuer(CHAT_ISSUER)
            .audience(project_number)
            .into()
    }

    /// Audience "HTTP endpoint URL": Google ID tokens for `endpoint_url` (exactly as
    /// entered in the configuration page) whose email is Chat's.
    pub fn endpoint_url(endpoint_url: impl Into<String>) -> Self {
        IdTokenVerifier::builder(GOOGLE_OIDC_KEYS_URL)
            .issuers(GOOGLE_ISSUERS)
            .audience(endpoint_url)
            .email(CHAT_ISSUER)
            .into()
    }

    /// A Chat app built as a Google Workspace add-on: Google ID tokens for `endpoint_url`
    /// whose email is the add-on service agent of `project_number`.
    pub fn add_on(endpoint_url: impl Into<String>, project_number: &str) -> Self {
        IdTokenVerifier::builder(GOOGLE_OIDC_KEYS_URL)
            .issuers(GOOGLE_ISSUERS)
            .audience(endpoint_url)
            .email(add_on_service_agent(project_number))
            .into()
    }

    /// Fetches the signing keys from `url` instead of Google (a test's or emulator's key
    /// server; a JWK set or X.509 certificates by key id). The other checks stay.
    pub fn keys_url(self, url: impl Into<String>) -> Self {
        Self {
            builder: self.builder.keys_url(url),
        }
    }

    /// Clock skew allowed on `exp`, `iat`, `nbf` (default 300 s, as Google's libraries).
    pub fn clock_skew(self, skew: Duration) -> Self {
        Self {
            builder: self.builder.clock_skew(skew),
        }
    }

    /// Shortest time between two fetches of the key set (default 30 s).
    pub fn min_refetch_interval(self, interval: Duration) -> Self {
        Self {
            builder: self.builder.min_refetch_interval(interval),
        }
    }

    /// Fetches keys with this client's pool, timeouts and retries (never its
    /// credentials), e.g. `chat_api::Client::runtime().clone()`.
    pub fn client(self, client: google_api_runtime::Client) -> Self {
        Self {
            builder: self.builder.client(client),
        }
    }

    /// The verifier.
    pub fn build(self) -> crate::Result<IdTokenVerifier> {
        self.builder.build()
    }
}

/// Any verifier settings (for a case this type has no constructor for).
impl From<IdTokenVerifierBuilder> for ChatAuth {
    fn from(builder: IdTokenVerifierBuilder) -> Self {
        Self { builder }
    }
}
