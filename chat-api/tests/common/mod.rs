//! Shared helpers of the end-to-end tests: a wiremock server on 127.0.0.1 that is both
//! the Chat API and the OAuth token endpoint, and credentials files pointing at it.

#![allow(dead_code, reason = "each test binary uses a different subset")]

use std::path::PathBuf;
use std::time::Duration;

use chat_api::{Client, Credentials, RetryPolicy};
use serde_json::json;
use wiremock::matchers::{body_string_contains, method, path};
use wiremock::{Mock, MockServer, ResponseTemplate};

/// `x-goog-api-client` as the client sends it.
pub const API_CLIENT: &str = concat!("gl-rust gdcl/", env!("CARGO_PKG_VERSION"));
/// `User-Agent` as the client sends it by default.
pub const USER_AGENT: &str = concat!("chat-api-rs/", env!("CARGO_PKG_VERSION"));

/// The token the test token endpoint gives the service account.
pub const APP_TOKEN: &str = "app-token";
/// The token the test token endpoint gives the authorized user.
pub const USER_TOKEN: &str = "user-token";

/// Mounts the token endpoint: JWT-bearer grants get [`APP_TOKEN`], refresh-token
/// grants [`USER_TOKEN`].
pub async fn mount_token_endpoint(server: &MockServer) {
    Mock::given(method("POST"))
        .and(path("/token"))
        .and(body_string_contains(
            "grant_type=urn%3Aietf%3Aparams%3Aoauth%3Agrant-type%3Ajwt-bearer",
        ))
        .respond_with(ResponseTemplate::new(200).set_body_json(
            json!({"access_token": APP_TOKEN, "expires_in": 3600, "token_type": "Bearer"}),
        ))
        .mount(server)
        .await;
    Mock::given(method("POST"))
        .and(path("/token"))
        .and(body_string_contains("grant_type=refresh_token"))
        .respond_with(ResponseTemplate::new(200).set_body_json(
            json!({"access_token": USER_TOKEN, "expires_in": 3600, "token_type": "Bearer"}),
        ))
        .mount(server)
        .await;
}

/// A scratch directory for one test.
pub fn temp_dir(test: &str) -> PathBuf {
    let dir = std::env::temp_dir().join(format!("chat-api-{test}-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    dir
}

/// Writes a service-account key file (test key pair) whose `token_uri` is on `server`.
pub fn service_account_file(server: &MockServer, dir: &std::path::Path) -> PathBuf {
    let file = dir.join("service_account.json");
    let key = json!({
        "type": "service_account",
        "project_id": "test-project",
        "private_key_id": "kid",
        "private_key": include_str!("../../../runtime/tests/fixtures/test_rsa_key.pem"),
        "client_email": "chat-app@test-project.iam.gserviceaccount.com",
        "client_id": "1",
        "token_uri": format!("{}/token", server.uri()),
    });
    std::fs::write(&file, key.to_string()).unwrap();
    file
}

/// Writes authorized-user credentials whose `token_uri` is on `server`.
pub fn authorized_user_file(server: &MockServer, dir: &std::path::Path) -> PathBuf {
    let file = dir.join("credentials.json");
    let creds = json!({
        "type": "authorized_user",
        "client_id": "client-id.apps.googleusercontent.com",
        "client_secret": "client-secret",
        "refresh_token": "refresh-token",
        "token_uri": format!("{}/token", server.uri()),
    });
    std::fs::write(&file, creds.to_string()).unwrap();
    file
}

/// Fast retries so the tests do not sleep.
pub fn fast_retries() -> RetryPolicy {
    RetryPolicy::default()
        .initial_backoff(Duration::from_millis(1))
        .max_backoff(Duration::from_millis(5))
}

/// A client for `server` with a static token.
pub fn client(server: &MockServer) -> Client {
    Client::builder()
        .base_url(server.uri())
        .credentials(Credentials::bearer_token("tok"))
        .retry_policy(fast_retries())
        .build()
        .unwrap()
}
