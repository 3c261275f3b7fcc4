//! The last resort of Application Default Credentials, when no credentials file is set
//! or found: the metadata server (on Google Cloud: Compute Engine, GKE, Cloud Run,
//! Functions) or, off Google Cloud, the `gcloud` CLI's own login
//! (`gcloud auth print-access-token`). Which one answers is found at the first token
//! request and kept.
//!
//! Both are a few lines on the client's own HTTP pool and retry policy, so the crate
//! needs no separate auth library (with its own HTTP stack) for them.

use std::time::{Duration, SystemTime};

use tokio::sync::OnceCell;

use super::http::{Target, TokenAnswer, TokenHttp};
use super::provider::{FetchFuture, Provider};
use crate::AccessToken;
use crate::error::{Error, Result};

/// Where the metadata server is, unless `GCE_METADATA_HOST` says otherwise.
const METADATA_HOST: &str = "metadata.google.internal";

/// How long a `gcloud` token is used: gcloud prints no expiry; its tokens last an hour.
const GCLOUD_TOKEN_LIFETIME: Duration = Duration::from_secs(45 * 60);

/// The metadata server, or gcloud: found at the first request.
#[derive(Debug)]
pub(crate) struct Ambient {
    /// `host[:port]` of the metadata server.
    metadata_host: String,
    /// The `gcloud` program.
    gcloud: String,
    found: OnceCell<Found>,
}

#[derive(Debug, Clone, Copy)]
enum Found {
    Metadata,
    Gcloud,
}

impl Provider for Ambient {
    fn kind(&self) -> &'static str {
        "application default (metadata server or gcloud)"
    }

    fn fetch<'a>(&'a self, http: TokenHttp<'a>, scopes: &'a [String]) -> FetchFuture<'a> {
        Box::pin(self.token(http, scopes))
    }
}

impl Ambient {
    /// The metadata server of `GCE_METADATA_HOST` (else the standard one), and `gcloud`
    /// on the `PATH`.
    pub(crate) fn from_env() -> Self {
        let metadata_host = std::env::var("GCE_METADATA_HOST")
            .ok()
            .filter(|h| !h.is_empty())
            .unwrap_or_else(|| METADATA_HOST.to_owned());
        Self::new(metadata_host, "gcloud")
    }

    /// A metadata server at `metadata_host` and the `gcloud` program at `gcloud`.
    pub(crate) fn new(metadata_host: impl Into<String>, gcloud: impl Into<String>) -> Self {
        Self {
            metadata_host: metadata_host.into(),
            gcloud: gcloud.into(),
            found: OnceCell::new(),
        }
    }

    /// A token for `scopes`.
    pub(crate) async fn token(
        &self,
        http: TokenHttp<'_>,
        scopes: &[String],
    ) -> Result<AccessToken> {
        match self.found.get() {
            Some(Found::Metadata) => return self.metadata(http, scopes).await,
            Some(Found::Gcloud) => return self.gcloud().await,
            None => {}
        }
        let metadata_error = match self.metadata(http, scopes).await {
            Ok(token) => {
                let _ = self.found.set(Found::Metadata);
                return Ok(token);
            }
            Err(e) => e,
        };
        match self.gcloud().await {
            Ok(token) => {
                let _ = self.found.set(Found::Gcloud);
                Ok(token)
            }
            Err(gcloud_error) => Err(Error::auth(
                format!(
                    "no Application Default Credentials: set GOOGLE_APPLICATION_CREDENTIALS to a \
                     credentials file, run `gcloud auth application-default login`, or run on \
                     Google Cloud (metadata server: {}; gcloud: {})",
                    message(&metadata_error),
                    message(&gcloud_error)
                ),
                None,
            )),
        }
    }

    /// The default service account's token from the metadata server.
    async fn metadata(&self, http: TokenHttp<'_>, scopes: &[String]) -> Result<AccessToken> {
        let url = format!(
            "http://{}/computeMetadata/v1/instance/service-accounts/default/token",
            self.metadata_host
        );
        let target = Target {
            who: "application default credentials (metadata server)",
            what: "token request",
            url: &url,
            secrets: &[],
        };
        // Off Google Cloud the name does not resolve or nobody answers: do not wait
        // through the whole retry policy for that.
        let quick = TokenHttp {
            timeout: Some(
                http.timeout
                    .map_or(Duration::from_secs(5), |t| t.min(Duration::from_secs(5))),
            ),
            ..http
        };
        let joined = scopes.join(",");
        let (status, body) = quick
            .send(&target, &|client| {
                let request = client.get(&url).header("Metadata-Flavor", "Google");
                if joined.is_empty() {
                    request
                } else {
                    request.query(&[("scopes", joined.as_str())])
                }
            })
            .await?;
        if !(200..300).contains(&status) {
            return Err(target.failed(&format!("HTTP {status}")));
        }
        let answer: TokenAnswer = serde_json::from_slice(&body)
            .map_err(|_| target.failed("the answer is not a JSON token response"))?;
        answer.into_token(&target).map(|(token, _)| token)
    }

    /// The token `gcloud auth print-access-token` prints.
    async fn gcloud(&self) -> Result<AccessToken> {
        let program = self.gcloud.clone();
        let output = tokio::task::spawn_blocking(move || {
            std::process::Command::new(program)
                .args(["auth", "print-access-token", "--quiet"])
                .stdin(std::process::Stdio::null())
                .output()
        })
        .await
        .map_err(|e| Error::auth(format!("gcloud could not be run: {e}"), None))?
        .map_err(|e| Error::auth(format!("gcloud could not be run: {e}"), None))?;
        if !output.status.success() {
            // gcloud's message ("You do not currently have an active account selected")
            // carries no secret; its first line is enough.
            let stderr = String::from_utf8_lossy(&output.stderr);
            let first = stderr.lines().find(|l| !l.trim().is_empty()).unwrap_or("");
            return Err(Error::auth(
                format!(
                    "`gcloud auth print-access-token` failed ({}): {}",
                    output.status,
                    first.chars().take(200).collect::<String>()
                ),
                None,
            ));
        }
        let token = String::from_utf8_lossy(&output.stdout).trim().to_owned();
        if token.is_empty() || token.contains(char::is_whitespace) {
            return Err(Error::auth(
                "`gcloud auth print-access-token` printed no token",
                None,
            ));
        }
        Ok(AccessToken::new(
            token,
            Some(SystemTime::now() + GCLOUD_TOKEN_LIFETIME),
        ))
    }
}

/// The message of an auth error, without its `authentication failed:` prefix.
fn message(e: &Error) -> String {
    match e {
        Error::Auth { message, .. } => message.clone(),
        other => other.to_string(),
    }
}

#[cfg(test)]
mod tests {
    use wiremock::matchers::{header, method, path, query_param};
    use wiremock::{Mock, MockServer, ResponseTemplate};

    use super::*;
    use crate::retry::RetryPolicy;

    fn http<'a>(client: &'a reqwest::Client, retry: &'a RetryPolicy) -> TokenHttp<'a> {
        TokenHttp {
            http: client,
            retry,
            timeout: Some(Duration::from_secs(5)),
        }
    }

    #[tokio::test]
    async fn the_metadata_server_gives_the_token_for_the_scopes() {
        let server = MockServer::start().await;
        Mock::given(method("GET"))
            .and(path(
                "/computeMetadata/v1/instance/service-accounts/default/token",
            ))
            .and(header("metadata-flavor", "Google"))
            .and(query_param("scopes", "https://a,https://b"))
            .respond_with(ResponseTemplate::new(200).set_body_json(serde_json::json!({
                "access_token": "md-token", "expires_in": 3599, "token_type": "Bearer"
            })))
            .expect(2)
            .mount(&server)
            .await;
        let host = server.uri().trim_start_matches("http://").to_owned();
        let ambient = Ambient::new(host, "/nonexistent/gcloud");
        let client = reqwest::Client::new();
        let retry = RetryPolicy::none();
        let scopes = ["https://a".to_owned(), "https://b".to_owned()];
        for _ in 0..2 {
            let token = ambient.token(http(&client, &retry), &scopes).await.unwrap();
            assert_eq!(token.secret(), "md-token");
            assert!(token.expires_at().is_some());
        }
    }

    #[tokio::test]
    async fn with_neither_the_error_says_what_to_do_and_why_both_failed() {
        // A port nobody listens on, and no gcloud.
        let listener = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
        let host = listener.local_addr().unwrap().to_string();
        drop(listener);
        let ambient = Ambient::new(host, "/nonexistent/gcloud");
        let client = reqwest::Client::new();
        let retry = RetryPolicy::none();
        let e = ambient
            .token(http(&client, &retry), &[])
            .await
            .unwrap_err()
            .to_string();
        assert!(
            e.contains("no Application Default Credentials: set GOOGLE_APPLICATION_CREDENTIALS"),
            "{e}"
        );
        assert!(e.contains("metadata server: application default credentials (metadata server): token request to http://127.0.0.1:"), "{e}");
        assert!(e.contains("gcloud: gcloud could not be run"), "{e}");
    }

    #[cfg(unix)]
    #[tokio::test]
    async fn off_google_cloud_the_gcloud_token_is_used() {
        use std::os::unix::fs::PermissionsExt as _;
        let dir = std::env::temp_dir().join(format!("gapi-gcloud-{}", std::process::id()));
        std::fs::create_dir_all(&dir).unwrap();
        let gcloud = dir.join("gcloud");
        std::fs::write(&gcloud, "#!/bin/sh\necho ya29.from-gcloud\n").unwrap();
        std::fs::set_permissions(&gcloud, std::fs::Permissions::from_mode(0o755)).unwrap();
        let listener = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
        let host = listener.local_addr().unwrap().to_string();
        drop(listener);
        let ambient = Ambient::new(host, gcloud.display().to_string());
        let client = reqwest::Client::new();
        let retry = RetryPolicy::none();
        let token = ambient.token(http(&client, &retry), &[]).await.unwrap();
        assert_eq!(token.secret(), "ya29.from-gcloud");
        std::fs::remove_dir_all(dir).unwrap();
    }
}
