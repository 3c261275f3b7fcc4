//! The sign-in flows of the guides and Google's other libraries, end to end against a
//! local stand-in of Google's endpoints on 127.0.0.1: the installed-app flow of an
//! OAuth client ID file (a test presenter plays the browser), workload identity
//! federation through STS, service-account impersonation through IAM Credentials, and
//! the errors a new user meets (their text, and that no secret is in it).

mod common;

use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Arc, Mutex};

use base64::Engine as _;
use chat_api::auth::{ConsentPresenter, ConsentRequest, InstalledFlow, PresentFuture};
use chat_api::models::Message;
use chat_api::{Client, Credentials, Error};
use common::*;
use serde_json::{Value, json};
use wiremock::matchers::{body_string_contains, header, method, path, path_regex};
use wiremock::{Mock, MockServer, Request, ResponseTemplate};

const MESSAGES_CREATE: &str = "https://www.googleapis.com/auth/chat.messages.create";
const CLIENT_ID: &str = "desktop-client.apps.googleusercontent.com";
const CLIENT_SECRET: &str = "GOCSPX-CLIENT-SECRET";

/// Every secret the tests hand out; none may show in an error or a log.
const SECRETS: &[&str] = &[
    CLIENT_SECRET,
    "client-secret",
    "REFRESH-SECRET",
    "ACCESS-SECRET",
    "SUBJECT-SECRET",
    "STS-SECRET",
    "IMPERSONATED-SECRET",
    "PRIVATE KEY",
    "CODE-SECRET",
];

fn assert_no_secret(text: &str) {
    for secret in SECRETS {
        assert!(!text.contains(secret), "`{secret}` leaked: {text}");
    }
}

/// The form fields of a token request.
fn form(request: &Request) -> Vec<(String, String)> {
    reqwest::Url::parse(&format!(
        "http://x/?{}",
        String::from_utf8_lossy(&request.body)
    ))
    .unwrap()
    .query_pairs()
    .map(|(k, v)| (k.into_owned(), v.into_owned()))
    .collect()
}

fn field<'a>(form: &'a [(String, String)], name: &str) -> Option<&'a str> {
    form.iter()
        .find(|(k, _)| k == name)
        .map(|(_, v)| v.as_str())
}

fn message() -> Message {
    Message::new().set_text("Hello from the installed app")
}

/// Mounts `POST /v1/spaces/AAAA/messages` for requests carrying `token`.
async fn mount_messages(server: &MockServer, token: &str) {
    Mock::given(method("POST"))
        .and(path("/v1/spaces/AAAA/messages"))
        .and(header("authorization", format!("Bearer {token}").as_str()))
        .respond_with(
            ResponseTemplate::new(200).set_body_json(json!({"name": "spaces/AAAA/messages/M1"})),
        )
        .mount(server)
        .await;
}

async fn post_message(client: &Client) -> chat_api::Result<Message> {
    client
        .spaces()
        .messages()
        .create("spaces/AAAA", message())
        .send()
        .await
}

fn client_for(server: &MockServer, credentials: Credentials) -> Client {
    Client::builder()
        .base_url(server.uri())
        .credentials(credentials)
        .retry_policy(fast_retries())
        .build()
        .unwrap()
}

/// An OAuth client ID file (Desktop app) whose endpoints are on `server`.
fn client_id_file(server: &MockServer, dir: &Path) -> PathBuf {
    let file = dir.join("credentials.json");
    let json = json!({"installed": {
        "client_id": CLIENT_ID,
        "project_id": "test-project",
        "auth_uri": format!("{}/o/oauth2/auth", server.uri()),
        "token_uri": format!("{}/token", server.uri()),
        "auth_provider_x509_cert_url": "https://www.googleapis.com/oauth2/v1/certs",
        "client_secret": CLIENT_SECRET,
        "redirect_uris": ["http://localhost"],
    }});
    std::fs::write(&file, json.to_string()).unwrap();
    file
}

/// Google's consent page, played by the server: checks the request and sends the
/// browser to the redirect URI with `code` and the request's state. Remembers the PKCE
/// challenge for the token endpoint to check.
async fn mount_consent(server: &MockServer, code: &'static str) -> Arc<Mutex<Option<String>>> {
    let challenge = Arc::new(Mutex::new(None));
    let seen = challenge.clone();
    Mock::given(method("GET"))
        .and(path("/o/oauth2/auth"))
        .respond_with(move |r: &Request| {
            let q: Vec<(String, String)> = r
                .url
                .query_pairs()
                .map(|(k, v)| (k.into_owned(), v.into_owned()))
                .collect();
            assert_eq!(field(&q, "response_type"), Some("code"));
            assert_eq!(field(&q, "client_id"), Some(CLIENT_ID));
            assert_eq!(field(&q, "scope"), Some(MESSAGES_CREATE));
            assert_eq!(field(&q, "code_challenge_method"), Some("S256"));
            assert_eq!(field(&q, "access_type"), Some("offline"));
            let redirect = field(&q, "redirect_uri").unwrap();
            assert!(redirect.starts_with("http://127.0.0.1:"), "{redirect}");
            *seen.lock().unwrap() = Some(field(&q, "code_challenge").unwrap().to_owned());
            let state = field(&q, "state").unwrap();
            ResponseTemplate::new(302).insert_header(
                "location",
                format!("{redirect}?state={state}&code={code}&scope={MESSAGES_CREATE}").as_str(),
            )
        })
        .mount(server)
        .await;
    challenge
}

/// The token endpoint of the installed flow: `code` (with the right PKCE verifier)
/// gets `access` and `refresh`; each refresh token in `refreshes` gets its access
/// token; anything else is `invalid_grant`. Counts the requests it sees.
async fn mount_user_token_endpoint(
    server: &MockServer,
    challenge: Arc<Mutex<Option<String>>>,
    code: &'static str,
    access: &'static str,
    refresh: &'static str,
    refreshes: &'static [(&'static str, &'static str)],
) -> Arc<AtomicUsize> {
    let count = Arc::new(AtomicUsize::new(0));
    let seen = count.clone();
    Mock::given(method("POST"))
        .and(path("/token"))
        .respond_with(move |r: &Request| {
            seen.fetch_add(1, Ordering::SeqCst);
            let f = form(r);
            assert_eq!(field(&f, "client_id"), Some(CLIENT_ID));
            assert_eq!(field(&f, "client_secret"), Some(CLIENT_SECRET));
            match field(&f, "grant_type") {
                Some("authorization_code") if field(&f, "code") == Some(code) => {
                    let verifier = field(&f, "code_verifier").unwrap();
                    let digest =
                        ring::digest::digest(&ring::digest::SHA256, verifier.as_bytes());
                    let expected =
                        base64::engine::general_purpose::URL_SAFE_NO_PAD.encode(digest);
                    assert_eq!(challenge.lock().unwrap().as_deref(), Some(expected.as_str()));
                    assert!(field(&f, "redirect_uri").unwrap().starts_with("http://127.0.0.1:"));
                    ResponseTemplate::new(200).set_body_json(json!({
                        "access_token": access, "expires_in": 3599, "refresh_token": refresh,
                        "scope": MESSAGES_CREATE, "token_type": "Bearer"
                    }))
                }
                Some("refresh_token") => {
                    let given = field(&f, "refresh_token").unwrap();
                    match refreshes.iter().find(|(r, _)| *r == given) {
                        Some((_, access)) => ResponseTemplate::new(200).set_body_json(
                            json!({"access_token": access, "expires_in": 3599, "token_type": "Bearer"}),
                        ),
                        None => ResponseTemplate::new(400).set_body_json(json!({
                            "error": "invalid_grant",
                            "error_description": "Token has been expired or revoked."
                        })),
                    }
                }
                _ => ResponseTemplate::new(400).set_body_json(json!({
                    "error": "invalid_grant", "error_description": "Malformed auth code."
                })),
            }
        })
        .mount(server)
        .await;
    count
}

/// How the test browser ends the consent.
#[derive(Debug, Clone, Copy, PartialEq)]
enum Ending {
    /// Follows the redirect to the loopback address.
    Loopback,
    /// Follows it with a forged state.
    ForgedState,
    /// Does not reach the loopback address; the user pastes the final URL.
    Paste,
}

/// Plays the browser: opens the consent URL, lets the consent page redirect, and ends
/// as `ending` says. Records the loopback page's status.
#[derive(Debug)]
struct Browser {
    ending: Ending,
    visits: AtomicUsize,
    loopback_status: Arc<Mutex<Vec<u16>>>,
}

impl Browser {
    fn new(ending: Ending) -> Arc<Self> {
        Arc::new(Self {
            ending,
            visits: AtomicUsize::new(0),
            loopback_status: Arc::default(),
        })
    }
}

/// Lets the test keep a handle on the presenter it gives away.
#[derive(Debug)]
struct Shared(Arc<Browser>);

impl ConsentPresenter for Shared {
    fn present<'a>(&'a self, consent: &'a ConsentRequest) -> PresentFuture<'a> {
        let browser = self.0.clone();
        browser.visits.fetch_add(1, Ordering::SeqCst);
        let url = consent.url().to_owned();
        let redirect_uri = consent.redirect_uri().to_owned();
        Box::pin(async move {
            let http = reqwest::Client::builder()
                .redirect(reqwest::redirect::Policy::none())
                .build()?;
            let page = http.get(&url).send().await?;
            assert_eq!(page.status(), 302);
            let mut location = page.headers()["location"].to_str()?.to_owned();
            assert!(location.starts_with(&redirect_uri), "{location}");
            match browser.ending {
                Ending::Paste => return Ok(Some(location)),
                Ending::ForgedState => {
                    location = location.replace("?state=", "?state=forged");
                }
                Ending::Loopback => {}
            }
            // Browsers open speculative connections and leave them idle: one such
            // connection must not hold up the redirect.
            let port = reqwest::Url::parse(&redirect_uri)?.port().unwrap();
            let idle = tokio::net::TcpStream::connect(("127.0.0.1", port)).await?;
            // The browser runs on its own: the flow may finish before it reads the page.
            let status = browser.loopback_status.clone();
            tokio::spawn(async move {
                let _idle = idle;
                let page = http.get(&location).send().await.unwrap();
                status.lock().unwrap().push(page.status().as_u16());
            });
            Ok(None)
        })
    }
}

/// A presenter for runs that must not need a browser.
#[derive(Debug)]
struct NoBrowser;

impl ConsentPresenter for NoBrowser {
    fn present<'a>(&'a self, _: &'a ConsentRequest) -> PresentFuture<'a> {
        Box::pin(async { Err("this run must use the cached refresh token".into()) })
    }
}

fn installed(
    file: &Path,
    cache: &Path,
    presenter: impl ConsentPresenter + 'static,
) -> InstalledFlow {
    InstalledFlow::from_file(file)
        .unwrap()
        .token_cache_dir(cache)
        .presenter(presenter)
        // Well below the loopback server's 10 s read timeout: a browser's idle
        // connection must not make the flow wait for it.
        .consent_timeout(std::time::Duration::from_secs(5))
}

#[tokio::test]
async fn installed_flow_consents_once_then_reuses_the_cached_refresh_token() {
    let server = MockServer::start().await;
    let challenge = mount_consent(&server, "CODE-SECRET-1").await;
    let token_requests = mount_user_token_endpoint(
        &server,
        challenge,
        "CODE-SECRET-1",
        "ACCESS-SECRET-1",
        "REFRESH-SECRET-1",
        &[("REFRESH-SECRET-1", "ACCESS-SECRET-2")],
    )
    .await;
    mount_messages(&server, "ACCESS-SECRET-1").await;
    mount_messages(&server, "ACCESS-SECRET-2").await;
    let dir = temp_dir("installed-flow");
    let file = client_id_file(&server, &dir);
    let cache_dir = dir.join("cache");

    // First run: consent in the (test) browser, then the message is posted as the user.
    let browser = Browser::new(Ending::Loopback);
    let flow = installed(&file, &cache_dir, Shared(browser.clone()));
    let cache_file = flow.token_cache_path(&[MESSAGES_CREATE]).unwrap();
    assert!(cache_file.starts_with(&cache_dir));
    let client = client_for(
        &server,
        flow.into_credentials().with_scopes([MESSAGES_CREATE]),
    );
    client.authorize().await.unwrap();
    let sent = post_message(&client).await.unwrap();
    assert_eq!(sent.name.as_deref(), Some("spaces/AAAA/messages/M1"));
    assert_eq!(browser.visits.load(Ordering::SeqCst), 1);
    assert_eq!(token_requests.load(Ordering::SeqCst), 1);

    // The cache holds the refresh token, for the owner only, and never the client secret.
    let cached = std::fs::read_to_string(&cache_file).unwrap();
    let cached_json: Value = serde_json::from_str(&cached).unwrap();
    assert_eq!(cached_json["refresh_token"], "REFRESH-SECRET-1");
    assert_eq!(cached_json["client_id"], CLIENT_ID);
    assert_eq!(cached_json["scopes"], json!([MESSAGES_CREATE]));
    assert!(
        !cached.contains(CLIENT_SECRET) && !cached.contains("ACCESS-SECRET"),
        "{cached}"
    );
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt as _;
        let mode = std::fs::metadata(&cache_file).unwrap().permissions().mode();
        assert_eq!(mode & 0o777, 0o600, "{mode:o}");
    }

    // Second run (a new process would do the same): the cached refresh token, no browser.
    let client = client_for(
        &server,
        installed(&file, &cache_dir, NoBrowser)
            .into_credentials()
            .with_scopes([MESSAGES_CREATE]),
    );
    post_message(&client).await.unwrap();
    assert_eq!(token_requests.load(Ordering::SeqCst), 2);
    let calls: Vec<String> = server
        .received_requests()
        .await
        .unwrap()
        .iter()
        .filter(|r| r.url.path() == "/v1/spaces/AAAA/messages")
        .map(|r| r.headers["authorization"].to_str().unwrap().to_owned())
        .collect();
    assert_eq!(calls, ["Bearer ACCESS-SECRET-1", "Bearer ACCESS-SECRET-2"]);

    // Other scopes are another cache entry: that run would need consent again.
    let e = client_for(
        &server,
        installed(&file, &cache_dir, NoBrowser)
            .into_credentials()
            .with_scopes(["https://www.googleapis.com/auth/chat.messages"]),
    )
    .authorize()
    .await
    .unwrap_err();
    let text = e.to_string();
    assert!(
        text.contains("the consent presenter failed: this run must use the cached refresh token"),
        "{text}"
    );
    assert_eq!(browser.loopback_status.lock().unwrap().as_slice(), [200]);
    std::fs::remove_dir_all(dir).unwrap();
}

#[tokio::test]
async fn a_revoked_cached_refresh_token_is_removed_and_consent_asked_again() {
    let server = MockServer::start().await;
    let challenge = mount_consent(&server, "CODE-SECRET-2").await;
    mount_user_token_endpoint(
        &server,
        challenge,
        "CODE-SECRET-2",
        "ACCESS-SECRET-3",
        "REFRESH-SECRET-NEW",
        &[],
    )
    .await;
    mount_messages(&server, "ACCESS-SECRET-3").await;
    let dir = temp_dir("installed-revoked");
    let file = client_id_file(&server, &dir);
    let browser = Browser::new(Ending::Loopback);
    let flow = installed(&file, &dir.join("cache"), Shared(browser.clone()));
    let cache_file = flow.token_cache_path(&[MESSAGES_CREATE]).unwrap();
    std::fs::create_dir_all(cache_file.parent().unwrap()).unwrap();
    std::fs::write(
        &cache_file,
        json!({"client_id": CLIENT_ID, "scopes": [MESSAGES_CREATE],
               "token_uri": format!("{}/token", server.uri()), "refresh_token": "REFRESH-SECRET-REVOKED"})
        .to_string(),
    )
    .unwrap();

    let client = client_for(
        &server,
        flow.into_credentials().with_scopes([MESSAGES_CREATE]),
    );
    post_message(&client).await.unwrap();
    assert_eq!(browser.visits.load(Ordering::SeqCst), 1);
    let cached: Value =
        serde_json::from_str(&std::fs::read_to_string(&cache_file).unwrap()).unwrap();
    assert_eq!(cached["refresh_token"], "REFRESH-SECRET-NEW");
    std::fs::remove_dir_all(dir).unwrap();
}

#[tokio::test]
async fn a_redirect_with_a_forged_state_is_refused() {
    let server = MockServer::start().await;
    let challenge = mount_consent(&server, "CODE-SECRET-3").await;
    let token_requests = mount_user_token_endpoint(
        &server,
        challenge,
        "CODE-SECRET-3",
        "ACCESS-SECRET-4",
        "REFRESH-SECRET-4",
        &[],
    )
    .await;
    let dir = temp_dir("installed-state");
    let file = client_id_file(&server, &dir);
    let browser = Browser::new(Ending::ForgedState);
    let flow = installed(&file, &dir.join("cache"), Shared(browser.clone()));
    let cache_file = flow.token_cache_path(&[MESSAGES_CREATE]).unwrap();
    let client = client_for(
        &server,
        flow.into_credentials().with_scopes([MESSAGES_CREATE]),
    );

    let e = post_message(&client).await.unwrap_err();
    let text = format!("{e}");
    assert_eq!(
        text,
        format!(
            "authentication failed: OAuth client {CLIENT_ID} (\"installed\"): the redirect's state does not \
             match this consent request (a stale or forged redirect); the code was not used, start again"
        )
    );
    assert_no_secret(&format!("{e} {e:?}"));
    // The code was never exchanged, nothing was cached, no message was sent.
    assert_eq!(token_requests.load(Ordering::SeqCst), 0);
    assert!(!cache_file.exists());
    assert!(
        server
            .received_requests()
            .await
            .unwrap()
            .iter()
            .all(|r| r.url.path() != "/v1/spaces/AAAA/messages")
    );
    // The browser was told too (its request may finish just after the flow).
    for _ in 0..100 {
        if !browser.loopback_status.lock().unwrap().is_empty() {
            break;
        }
        tokio::time::sleep(std::time::Duration::from_millis(10)).await;
    }
    assert_eq!(browser.loopback_status.lock().unwrap().as_slice(), [400]);
    std::fs::remove_dir_all(dir).unwrap();
}

#[tokio::test]
async fn headless_consent_completes_with_the_pasted_final_url() {
    let server = MockServer::start().await;
    let challenge = mount_consent(&server, "CODE-SECRET-5").await;
    mount_user_token_endpoint(
        &server,
        challenge,
        "CODE-SECRET-5",
        "ACCESS-SECRET-5",
        "REFRESH-SECRET-5",
        &[],
    )
    .await;
    mount_messages(&server, "ACCESS-SECRET-5").await;
    let dir = temp_dir("installed-paste");
    let file = client_id_file(&server, &dir);
    let browser = Browser::new(Ending::Paste);
    let client = client_for(
        &server,
        installed(&file, &dir.join("cache"), Shared(browser.clone()))
            .into_credentials()
            .with_scopes([MESSAGES_CREATE]),
    );
    post_message(&client).await.unwrap();
    // The loopback address was never visited.
    assert!(browser.loopback_status.lock().unwrap().is_empty());
    std::fs::remove_dir_all(dir).unwrap();
}

#[tokio::test]
async fn installed_flow_without_scopes_says_how_to_add_them() {
    let server = MockServer::start().await;
    let dir = temp_dir("installed-noscope");
    let file = client_id_file(&server, &dir);
    let e = client_for(&server, Credentials::oauth_client_file(&file).unwrap())
        .authorize()
        .await
        .unwrap_err();
    assert_eq!(
        e.to_string(),
        format!(
            "authentication failed: OAuth client {CLIENT_ID} (\"installed\"): no scopes to ask consent for; \
             add them with Credentials::with_scopes (from the API crate's `scopes` module)"
        )
    );
    std::fs::remove_dir_all(dir).unwrap();
}

/// `external_account` with a file-sourced subject token: exchanged at STS, the STS
/// token used directly.
#[tokio::test]
async fn external_account_exchanges_a_file_subject_token_at_sts() {
    let server = MockServer::start().await;
    Mock::given(method("POST"))
        .and(path("/v1/token"))
        .respond_with(|r: &Request| {
            let f = form(r);
            assert_eq!(
                field(&f, "grant_type"),
                Some("urn:ietf:params:oauth:grant-type:token-exchange")
            );
            assert_eq!(
                field(&f, "audience"),
                Some("//iam.googleapis.com/projects/1/locations/global/workloadIdentityPools/p/providers/gh")
            );
            assert_eq!(field(&f, "subject_token"), Some("SUBJECT-SECRET-FILE"));
            assert_eq!(
                field(&f, "subject_token_type"),
                Some("urn:ietf:params:oauth:token-type:jwt")
            );
            assert_eq!(
                field(&f, "requested_token_type"),
                Some("urn:ietf:params:oauth:token-type:access_token")
            );
            assert_eq!(field(&f, "scope"), Some("https://www.googleapis.com/auth/chat.bot"));
            ResponseTemplate::new(200).set_body_json(json!({
                "access_token": "STS-SECRET-1",
                "issued_token_type": "urn:ietf:params:oauth:token-type:access_token",
                "token_type": "Bearer", "expires_in": 3600
            }))
        })
        .expect(1)
        .mount(&server)
        .await;
    mount_messages(&server, "STS-SECRET-1").await;
    let dir = temp_dir("external-file");
    let subject = dir.join("token.jwt");
    std::fs::write(&subject, "SUBJECT-SECRET-FILE\n").unwrap();
    let file = dir.join("external.json");
    std::fs::write(
        &file,
        json!({
            "type": "external_account",
            "audience": "//iam.googleapis.com/projects/1/locations/global/workloadIdentityPools/p/providers/gh",
            "subject_token_type": "urn:ietf:params:oauth:token-type:jwt",
            "token_url": format!("{}/v1/token", server.uri()),
            "credential_source": {"file": subject, "format": {"type": "text"}}
        })
        .to_string(),
    )
    .unwrap();
    // Application Default Credentials read it as well.
    let creds = Credentials::external_account_file(&file).unwrap();
    assert_no_secret(&format!("{creds:?}"));
    post_message(&client_for(&server, creds)).await.unwrap();
    std::fs::remove_dir_all(dir).unwrap();
}

/// `external_account` with a URL-sourced JSON subject token (headers sent), then
/// service-account impersonation with the STS token.
#[tokio::test]
async fn external_account_with_a_url_subject_token_and_impersonation() {
    let server = MockServer::start().await;
    Mock::given(method("GET"))
        .and(path("/subject"))
        .and(header("metadata-flavor", "Google"))
        .respond_with(
            ResponseTemplate::new(200).set_body_json(json!({"id_token": "SUBJECT-SECRET-URL"})),
        )
        .expect(1)
        .mount(&server)
        .await;
    Mock::given(method("POST"))
        .and(path("/v1/token"))
        .and(body_string_contains("subject_token=SUBJECT-SECRET-URL"))
        // Impersonation needs an STS token for IAM only.
        .and(body_string_contains(
            "scope=https%3A%2F%2Fwww.googleapis.com%2Fauth%2Fcloud-platform",
        ))
        .respond_with(
            ResponseTemplate::new(200)
                .set_body_json(json!({"access_token": "STS-SECRET-2", "expires_in": 3600})),
        )
        .expect(1)
        .mount(&server)
        .await;
    Mock::given(method("POST"))
        .and(path_regex(
            r"/serviceAccounts/fed-sa@p\.iam\.gserviceaccount\.com:generateAccessToken$",
        ))
        .and(header("authorization", "Bearer STS-SECRET-2"))
        .respond_with(|r: &Request| {
            let body: Value = serde_json::from_slice(&r.body).unwrap();
            assert_eq!(
                body,
                json!({"scope": [MESSAGES_CREATE], "lifetime": "600s"})
            );
            ResponseTemplate::new(200).set_body_json(json!({
                "accessToken": "IMPERSONATED-SECRET-1", "expireTime": "2099-01-01T00:00:00Z"
            }))
        })
        .expect(1)
        .mount(&server)
        .await;
    mount_messages(&server, "IMPERSONATED-SECRET-1").await;
    let json = json!({
        "type": "external_account",
        "audience": "//iam.googleapis.com/projects/1/locations/global/workloadIdentityPools/p/providers/azure",
        "subject_token_type": "urn:ietf:params:oauth:token-type:jwt",
        "token_url": format!("{}/v1/token", server.uri()),
        "service_account_impersonation_url": format!(
            "{}/v1/projects/-/serviceAccounts/fed-sa@p.iam.gserviceaccount.com:generateAccessToken",
            server.uri()
        ),
        "service_account_impersonation": {"token_lifetime_seconds": 600},
        "credential_source": {
            "url": format!("{}/subject", server.uri()),
            "headers": {"Metadata-Flavor": "Google"},
            "format": {"type": "json", "subject_token_field_name": "id_token"}
        }
    });
    let creds = Credentials::external_account_json(&json.to_string())
        .unwrap()
        .with_scopes([MESSAGES_CREATE]);
    post_message(&client_for(&server, creds)).await.unwrap();
}

#[test]
fn external_account_sources_not_supported_yet_are_named() {
    let dir = temp_dir("external-exec");
    let file = dir.join("exec.json");
    std::fs::write(
        &file,
        json!({
            "type": "external_account", "audience": "//iam/aud",
            "subject_token_type": "urn:ietf:params:oauth:token-type:id_token",
            "credential_source": {"executable": {"command": "/bin/get-token --secret SUBJECT-SECRET"}}
        })
        .to_string(),
    )
    .unwrap();
    let e = Credentials::from_file(&file).unwrap_err();
    let text = e.to_string();
    assert_eq!(
        text,
        format!(
            "authentication failed: {}: external account (audience //iam/aud): executable-sourced subject \
             tokens are not supported yet (file- and URL-sourced ones are); get the token yourself and \
             plug it in with Credentials::from_provider",
            file.display()
        )
    );
    assert_no_secret(&text);
    std::fs::remove_dir_all(dir).unwrap();
}

/// `impersonated_service_account` (what `gcloud auth application-default login
/// --impersonate-service-account` writes): the source user's token buys the target's.
#[tokio::test]
async fn impersonated_service_account_calls_iam_with_the_source_token() {
    let server = MockServer::start().await;
    mount_token_endpoint(&server).await;
    Mock::given(method("POST"))
        .and(path(
            "/v1/projects/-/serviceAccounts/target@p.iam.gserviceaccount.com:generateAccessToken",
        ))
        .and(header(
            "authorization",
            format!("Bearer {USER_TOKEN}").as_str(),
        ))
        .respond_with(|r: &Request| {
            let body: Value = serde_json::from_slice(&r.body).unwrap();
            assert_eq!(
                body,
                json!({
                    "scope": ["https://www.googleapis.com/auth/chat.bot"],
                    "lifetime": "3600s",
                    "delegates": ["projects/-/serviceAccounts/middle@p.iam.gserviceaccount.com"]
                })
            );
            ResponseTemplate::new(200).set_body_json(json!({
                "accessToken": "IMPERSONATED-SECRET-2", "expireTime": "2099-01-01T00:00:00.5Z"
            }))
        })
        .expect(1)
        .mount(&server)
        .await;
    mount_messages(&server, "IMPERSONATED-SECRET-2").await;
    let dir = temp_dir("impersonated");
    let file = dir.join("application_default_credentials.json");
    std::fs::write(&file, impersonated_json(&server).to_string()).unwrap();
    let creds = Credentials::from_file(&file).unwrap();
    assert!(format!("{creds:?}").contains("target@p.iam.gserviceaccount.com"));
    assert_no_secret(&format!("{creds:?}"));
    let client = client_for(&server, creds);
    post_message(&client).await.unwrap();
    post_message(&client).await.unwrap();
    std::fs::remove_dir_all(dir).unwrap();
}

fn impersonated_json(server: &MockServer) -> Value {
    json!({
        "type": "impersonated_service_account",
        "service_account_impersonation_url": format!(
            "{}/v1/projects/-/serviceAccounts/target@p.iam.gserviceaccount.com:generateAccessToken",
            server.uri()
        ),
        "delegates": ["middle@p.iam.gserviceaccount.com"],
        "source_credentials": {
            "type": "authorized_user",
            "client_id": "client-id.apps.googleusercontent.com",
            "client_secret": "client-secret",
            "refresh_token": "REFRESH-SECRET-SOURCE",
            "token_uri": format!("{}/token", server.uri()),
        }
    })
}

#[tokio::test]
async fn impersonation_refused_by_iam_says_who_where_and_why() {
    let server = MockServer::start().await;
    mount_token_endpoint(&server).await;
    Mock::given(method("POST"))
        .and(path_regex(":generateAccessToken$"))
        .respond_with(ResponseTemplate::new(403).set_body_json(json!({"error": {
            "code": 403,
            "message": "Permission 'iam.serviceAccounts.getAccessToken' denied on resource (or it may not exist).",
            "status": "PERMISSION_DENIED"
        }})))
        .mount(&server)
        .await;
    let creds =
        Credentials::impersonated_service_account_json(&impersonated_json(&server).to_string())
            .unwrap();
    let e = client_for(&server, creds).authorize().await.unwrap_err();
    assert_eq!(
        e.to_string(),
        format!(
            "authentication failed: impersonated service account target@p.iam.gserviceaccount.com \
             (source: authorized user (OAuth client client-id.apps.googleusercontent.com)): token request to \
             {}/v1/projects/-/serviceAccounts/target@p.iam.gserviceaccount.com:generateAccessToken failed: \
             HTTP 403 PERMISSION_DENIED: Permission 'iam.serviceAccounts.getAccessToken' denied on resource \
             (or it may not exist).",
            server.uri()
        )
    );
    assert_no_secret(&format!("{e} {e:?}"));
}

/// How many requests `server` got at `endpoint`.
async fn requests_to(server: &MockServer, endpoint: &str) -> usize {
    server
        .received_requests()
        .await
        .unwrap()
        .iter()
        .filter(|r| r.url.path() == endpoint)
        .count()
}

/// A port nothing listens on.
fn closed_port() -> u16 {
    let listener = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
    listener.local_addr().unwrap().port()
}

#[tokio::test]
async fn token_endpoint_down_says_which_credentials_which_endpoint_and_why() {
    let port = closed_port();
    let token_uri = format!("http://127.0.0.1:{port}/token");
    let server = MockServer::start().await;
    let dir = temp_dir("endpoint-down");

    let key = service_account_file(&server, &dir);
    let mut json: Value = serde_json::from_str(&std::fs::read_to_string(&key).unwrap()).unwrap();
    json["token_uri"] = token_uri.clone().into();
    std::fs::write(&key, json.to_string()).unwrap();
    let e = client_for(&server, Credentials::service_account_file(&key).unwrap())
        .authorize()
        .await
        .unwrap_err();
    assert_eq!(
        e.to_string(),
        format!(
            "authentication failed: service account chat-app@test-project.iam.gserviceaccount.com: \
             token request to {token_uri} failed: connection refused"
        )
    );
    assert!(matches!(e, Error::Auth { .. }));
    assert!(std::error::Error::source(&e).is_some());
    assert_no_secret(&format!("{e} {e:?}"));

    let user = authorized_user_file(&server, &dir);
    let mut json: Value = serde_json::from_str(&std::fs::read_to_string(&user).unwrap()).unwrap();
    json["token_uri"] = token_uri.clone().into();
    std::fs::write(&user, json.to_string()).unwrap();
    let e = post_message(&client_for(
        &server,
        Credentials::authorized_user_file(&user).unwrap(),
    ))
    .await
    .unwrap_err();
    assert_eq!(
        e.to_string(),
        format!(
            "authentication failed: authorized user (OAuth client client-id.apps.googleusercontent.com): \
             token request to {token_uri} failed: connection refused"
        )
    );
    assert_no_secret(&format!("{e} {e:?}"));
    std::fs::remove_dir_all(dir).unwrap();
}

/// Every kind of token request retries a 503 with the client's policy.
#[tokio::test]
async fn every_token_request_retries_with_the_client_policy() {
    let server = MockServer::start().await;
    // Two 503s first for each endpoint, then the real answers.
    for endpoint in ["/token", "/v1/token"] {
        Mock::given(method("POST"))
            .and(path(endpoint))
            .respond_with(ResponseTemplate::new(503))
            .up_to_n_times(2)
            .mount(&server)
            .await;
    }
    mount_token_endpoint(&server).await;
    Mock::given(method("POST"))
        .and(path("/v1/token"))
        .respond_with(
            ResponseTemplate::new(200)
                .set_body_json(json!({"access_token": "STS-SECRET-3", "expires_in": 3600})),
        )
        .mount(&server)
        .await;
    mount_messages(&server, APP_TOKEN).await;
    mount_messages(&server, USER_TOKEN).await;
    mount_messages(&server, "STS-SECRET-3").await;
    let dir = temp_dir("token-retries");
    let subject = dir.join("subject");
    std::fs::write(&subject, "SUBJECT-SECRET").unwrap();
    let external = json!({
        "type": "external_account", "audience": "//iam/aud",
        "subject_token_type": "urn:ietf:params:oauth:token-type:jwt",
        "token_url": format!("{}/v1/token", server.uri()),
        "credential_source": {"file": subject}
    });

    post_message(&client_for(
        &server,
        Credentials::service_account_file(service_account_file(&server, &dir)).unwrap(),
    ))
    .await
    .unwrap();
    assert_eq!(requests_to(&server, "/token").await, 3);
    post_message(&client_for(
        &server,
        Credentials::external_account_json(&external.to_string()).unwrap(),
    ))
    .await
    .unwrap();
    assert_eq!(requests_to(&server, "/v1/token").await, 3);

    // A token endpoint that keeps failing: the last status is the cause.
    let failing = MockServer::start().await;
    Mock::given(method("POST"))
        .respond_with(
            ResponseTemplate::new(503).set_body_string("refresh_token=REFRESH-SECRET echoed"),
        )
        .mount(&failing)
        .await;
    let e = post_message(&client_for(
        &server,
        Credentials::authorized_user_file(authorized_user_file(&failing, &dir)).unwrap(),
    ))
    .await
    .unwrap_err();
    assert_eq!(
        e.to_string(),
        format!(
            "authentication failed: authorized user (OAuth client client-id.apps.googleusercontent.com): \
             token request to {}/token failed: HTTP 503",
            failing.uri()
        )
    );
    assert_eq!(failing.received_requests().await.unwrap().len(), 5);
    std::fs::remove_dir_all(dir).unwrap();
}

#[tokio::test]
async fn a_refused_refresh_token_says_why_without_secrets() {
    let server = MockServer::start().await;
    Mock::given(method("POST"))
        .and(path("/token"))
        .respond_with(ResponseTemplate::new(400).set_body_json(json!({
            "error": "invalid_grant",
            "error_description": "Token has been expired or revoked."
        })))
        .expect(1)
        .mount(&server)
        .await;
    let dir = temp_dir("refused");
    let e = post_message(&client_for(
        &server,
        Credentials::authorized_user_file(authorized_user_file(&server, &dir)).unwrap(),
    ))
    .await
    .unwrap_err();
    assert_eq!(
        e.to_string(),
        format!(
            "authentication failed: authorized user (OAuth client client-id.apps.googleusercontent.com): \
             token request to {}/token failed: HTTP 400 invalid_grant: Token has been expired or revoked.",
            server.uri()
        )
    );
    assert_no_secret(&format!("{e} {e:?}"));
    std::fs::remove_dir_all(dir).unwrap();
}

#[test]
fn a_credentials_file_of_another_kind_names_its_kind_and_the_call_to_use() {
    let server_uri = "http://127.0.0.1:9";
    let dir = temp_dir("wrong-kind");
    let client_file = dir.join("credentials.json");
    std::fs::write(
        &client_file,
        json!({"installed": {"client_id": CLIENT_ID, "client_secret": CLIENT_SECRET,
               "auth_uri": format!("{server_uri}/auth"), "token_uri": format!("{server_uri}/token"),
               "redirect_uris": ["http://localhost"]}})
        .to_string(),
    )
    .unwrap();
    let e = Credentials::service_account_file(&client_file).unwrap_err();
    assert_eq!(
        e.to_string(),
        format!(
            "authentication failed: {} is an OAuth client ID file (\"installed\"); use Credentials::oauth_client_file(path)",
            client_file.display()
        )
    );
    assert_no_secret(&format!("{e} {e:?}"));
    let e = Credentials::authorized_user_file(&client_file).unwrap_err();
    assert!(
        e.to_string()
            .ends_with("use Credentials::oauth_client_file(path)"),
        "{e}"
    );

    let user_file = dir.join("user.json");
    std::fs::write(
        &user_file,
        json!({"type": "authorized_user", "client_id": "c", "client_secret": "client-secret",
               "refresh_token": "REFRESH-SECRET-X"})
        .to_string(),
    )
    .unwrap();
    for e in [
        Credentials::service_account_file(&user_file).unwrap_err(),
        Credentials::oauth_client_file(&user_file).unwrap_err(),
        Credentials::external_account_file(&user_file).unwrap_err(),
    ] {
        assert_eq!(
            e.to_string(),
            format!(
                "authentication failed: {} is authorized-user credentials (\"type\": \"authorized_user\"); \
                 use Credentials::authorized_user_file(path)",
                user_file.display()
            )
        );
        assert_no_secret(&format!("{e} {e:?}"));
    }
    // The file of any kind: told apart by its content.
    assert!(format!("{:?}", Credentials::from_file(&client_file).unwrap()).contains(CLIENT_ID));
    std::fs::remove_dir_all(dir).unwrap();
}

/// A token source of the user's own that fails: its error is in the Display.
#[derive(Debug)]
struct FailingVault;

impl chat_api::TokenProvider for FailingVault {
    fn fetch_token<'a>(&'a self, _: &'a [String]) -> chat_api::auth::TokenFuture<'a> {
        Box::pin(async { Err("vault unreachable".into()) })
    }
}

#[tokio::test]
async fn a_failing_token_provider_shows_its_cause() {
    let server = MockServer::start().await;
    let e = client_for(&server, Credentials::from_provider(FailingVault))
        .authorize()
        .await
        .unwrap_err();
    assert_eq!(
        e.to_string(),
        "authentication failed: the token provider failed: vault unreachable"
    );
}
