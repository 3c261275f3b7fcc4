//! Request execution through `ApiRequest` and hand-built `MethodInfo`s, against a
//! wiremock server on 127.0.0.1: wire format, auth, retries, errors, media.

use std::sync::Arc;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::time::{Duration, SystemTime};

use base64::Engine as _;
use serde_json::{Value, json};
use wiremock::matchers::{body_json, header, method, path, query_param};
use wiremock::{Mock, MockServer, Request, ResponseTemplate};

use super::*;
use crate::auth::{AccessToken, TokenFuture, TokenProvider};
use crate::builder::API_CLIENT_HEADER;
use crate::media::UploadMedia;
use crate::request::{ApiRequest, MethodInfo, UploadInfo};
use crate::service::Service;
use crate::{ClientBuilder, Credentials, Error, RetryPolicy};

/// An API as a generated crate would describe it, with an empty service path (as
/// Chat's): the paths below are relative to the root.
static TEST_SERVICE: Service = Service::new("test", "v1", "https://test.example/", "")
    .user_agent("test-client/1")
    .default_scopes(&[TEST_SCOPE])
    .hint(test_hint);

/// The test service's default scope.
const TEST_SCOPE: &str = "https://www.googleapis.com/auth/test.default";

/// The test service's own error hint.
fn test_hint(status: u16, _: Option<&str>, message: &str) -> Option<&'static str> {
    (status == 403 && message.contains("not permitted to use this app")).then_some("add the app")
}

/// The `User-Agent` the test service's clients send.
const DEFAULT_USER_AGENT: &str = "test-client/1";

const CREATE: MethodInfo = MethodInfo {
    id: "chat.spaces.messages.create",
    http_method: reqwest::Method::POST,
    path: "v1/{+parent}/messages",
    scopes: &[],
    upload: None,
    supports_download: false,
    use_download_service: false,
    name_forms: &[],
};

const GET: MethodInfo = MethodInfo {
    id: "chat.spaces.messages.get",
    http_method: reqwest::Method::GET,
    path: "v1/{+name}",
    scopes: &[],
    upload: None,
    supports_download: false,
    use_download_service: false,
    name_forms: &[],
};

const DELETE: MethodInfo = MethodInfo {
    id: "chat.spaces.messages.delete",
    http_method: reqwest::Method::DELETE,
    path: "v1/{+name}",
    scopes: &[],
    upload: None,
    supports_download: false,
    use_download_service: false,
    name_forms: &[],
};

const UPLOAD: MethodInfo = MethodInfo {
    id: "chat.media.upload",
    http_method: reqwest::Method::POST,
    path: "v1/{+parent}/attachments:upload",
    scopes: &[],
    upload: Some(UploadInfo {
        simple_path: Some("/upload/v1/{+parent}/attachments:upload"),
        resumable_path: Some("/resumable/upload/v1/{+parent}/attachments:upload"),
        max_size: Some(200 * 1024 * 1024),
        accept: &["*/*"],
    }),
    supports_download: false,
    use_download_service: false,
    name_forms: &[],
};

const DOWNLOAD: MethodInfo = MethodInfo {
    id: "chat.media.download",
    http_method: reqwest::Method::GET,
    path: "v1/media/{+resourceName}",
    scopes: &[],
    upload: None,
    supports_download: true,
    use_download_service: true,
    name_forms: &[],
};

fn fast_retries() -> RetryPolicy {
    RetryPolicy::default()
        .initial_backoff(Duration::from_millis(1))
        .max_backoff(Duration::from_millis(5))
}

fn client(server: &MockServer, credentials: Credentials) -> Client {
    Client::builder(&TEST_SERVICE)
        .base_url(server.uri())
        .credentials(credentials)
        .retry_policy(fast_retries())
        .build()
        .unwrap()
}

fn req(info: &'static MethodInfo, path_params: &[(&'static str, &str)]) -> ApiRequest {
    let mut r = ApiRequest::new(info);
    for (k, v) in path_params {
        r.path_param(k, *v);
    }
    r
}

#[tokio::test]
async fn json_call_sends_exact_request() {
    let server = MockServer::start().await;
    Mock::given(method("POST"))
        .and(path("/v1/spaces/AAA/messages"))
        .and(header("authorization", "Bearer tok"))
        .and(header("content-type", "application/json"))
        .and(header("user-agent", DEFAULT_USER_AGENT))
        .and(header("x-goog-api-client", API_CLIENT_HEADER))
        .and(body_json(json!({"text": "Test message"})))
        .respond_with(
            ResponseTemplate::new(200).set_body_json(json!({"name": "spaces/AAA/messages/1"})),
        )
        .expect(1)
        .mount(&server)
        .await;
    let c = client(&server, Credentials::bearer_token("tok"));
    let mut r = req(&CREATE, &[("parent", "spaces/AAA")]);
    r.query("threadKey", &"a b&c".to_owned());
    r.query("fields", &"name".to_owned());
    r.query("fields", &"text".to_owned());
    r.json_body(&json!({"text": "Test message"}));
    let v: Value = c.execute(r).await.unwrap();
    assert_eq!(v["name"], "spaces/AAA/messages/1");
    let got = &server.received_requests().await.unwrap()[0];
    assert_eq!(
        got.url.query(),
        Some("threadKey=a%20b%26c&fields=name&fields=text")
    );
    assert_eq!(got.url.as_str().len(), got.url.as_str().trim().len());
}

#[tokio::test]
async fn empty_response_decodes_as_empty_object() {
    let server = MockServer::start().await;
    Mock::given(method("DELETE"))
        .and(path("/v1/spaces/A/messages/B"))
        .respond_with(ResponseTemplate::new(200))
        .expect(2)
        .mount(&server)
        .await;
    let c = client(&server, Credentials::none());
    c.execute_empty(req(&DELETE, &[("name", "spaces/A/messages/B")]))
        .await
        .unwrap();
    let v: Value = c
        .execute(req(&DELETE, &[("name", "spaces/A/messages/B")]))
        .await
        .unwrap();
    assert_eq!(v, json!({}));
    let got = &server.received_requests().await.unwrap()[0];
    assert!(got.headers.get("authorization").is_none());
}

#[tokio::test]
async fn missing_path_parameter_is_a_clear_error_and_sends_nothing() {
    let server = MockServer::start().await;
    let c = client(&server, Credentials::none());
    let e = c.execute::<Value>(req(&GET, &[])).await.unwrap_err();
    assert_eq!(
        e.to_string(),
        "chat.spaces.messages.get: invalid argument: missing path parameter `name`"
    );
    assert!(server.received_requests().await.unwrap().is_empty());
}

#[tokio::test]
async fn retries_503_then_succeeds() {
    let server = MockServer::start().await;
    Mock::given(method("GET"))
        .respond_with(ResponseTemplate::new(503))
        .up_to_n_times(2)
        .mount(&server)
        .await;
    Mock::given(method("GET"))
        .respond_with(ResponseTemplate::new(200).set_body_json(json!({"name": "n"})))
        .mount(&server)
        .await;
    let c = client(&server, Credentials::none());
    let v: Value = c.execute(req(&GET, &[("name", "spaces/A")])).await.unwrap();
    assert_eq!(v["name"], "n");
    assert_eq!(server.received_requests().await.unwrap().len(), 3);
}

#[tokio::test]
async fn gives_up_after_max_attempts_with_the_last_error() {
    let server = MockServer::start().await;
    Mock::given(method("GET"))
        .respond_with(ResponseTemplate::new(429).insert_header("retry-after", "0"))
        .mount(&server)
        .await;
    let c = Client::builder(&TEST_SERVICE)
        .base_url(server.uri())
        .retry_policy(fast_retries().max_attempts(3))
        .build()
        .unwrap();
    let e = c
        .execute::<Value>(req(&GET, &[("name", "spaces/A")]))
        .await
        .unwrap_err();
    assert_eq!(e.http_status(), Some(429));
    assert_eq!(server.received_requests().await.unwrap().len(), 3);
}

#[tokio::test]
async fn no_retry_on_400_nor_on_a_post_without_request_id() {
    let server = MockServer::start().await;
    Mock::given(method("GET"))
        .respond_with(ResponseTemplate::new(400).set_body_json(json!({
            "error": {"code": 400, "message": "Invalid name", "status": "INVALID_ARGUMENT"}
        })))
        .mount(&server)
        .await;
    Mock::given(method("POST"))
        .respond_with(ResponseTemplate::new(503))
        .mount(&server)
        .await;
    let c = client(&server, Credentials::none());
    let e = c
        .execute::<Value>(req(&GET, &[("name", "x")]))
        .await
        .unwrap_err();
    let api = e.api().unwrap();
    assert_eq!(
        (api.http_status, api.status.as_deref()),
        (400, Some("INVALID_ARGUMENT"))
    );
    assert_eq!(server.received_requests().await.unwrap().len(), 1);

    let mut r = req(&CREATE, &[("parent", "spaces/A")]);
    r.json_body(&json!({}));
    assert_eq!(
        c.execute::<Value>(r).await.unwrap_err().http_status(),
        Some(503)
    );
    assert_eq!(server.received_requests().await.unwrap().len(), 2);

    // With a requestId the server deduplicates, so the POST is retried.
    let mut r = req(&CREATE, &[("parent", "spaces/A")]);
    r.query("requestId", &"req-1".to_owned());
    r.json_body(&json!({}));
    assert_eq!(
        c.execute::<Value>(r).await.unwrap_err().http_status(),
        Some(503)
    );
    assert_eq!(server.received_requests().await.unwrap().len(), 2 + 5);
}

#[tokio::test]
async fn permission_denied_gets_the_service_hint_and_request_id() {
    let server = MockServer::start().await;
    Mock::given(method("POST"))
        .respond_with(
            ResponseTemplate::new(403)
                .insert_header("x-goog-request-id", "rid-7")
                .set_body_json(json!({"error": {
                    "code": 403,
                    "message": "You are not permitted to use this app",
                    "status": "PERMISSION_DENIED"
                }})),
        )
        .mount(&server)
        .await;
    let c = client(&server, Credentials::bearer_token("tok"));
    let mut r = req(&CREATE, &[("parent", "spaces/A")]);
    r.json_body(&json!({"text": "Test message"}));
    let e = c.execute::<Value>(r).await.unwrap_err();
    let text = e.to_string();
    assert!(text.starts_with(
        "chat.spaces.messages.create: HTTP 403 PERMISSION_DENIED: You are not permitted to use this app (request id rid-7)\nhint: add the app"
    ), "{text}");
    assert!(!text.contains("tok"));
}

#[tokio::test]
async fn undecodable_response_names_method_and_json_path() {
    let server = MockServer::start().await;
    Mock::given(method("GET"))
        .respond_with(ResponseTemplate::new(200).set_body_string(r#"{"a": {"b": "not a number"}}"#))
        .mount(&server)
        .await;
    #[derive(serde::Deserialize, Debug)]
    struct A {
        #[allow(dead_code)]
        a: B,
    }
    #[derive(serde::Deserialize, Debug)]
    struct B {
        #[allow(dead_code)]
        b: i64,
    }
    let c = client(&server, Credentials::none());
    let e = c
        .execute::<A>(req(&GET, &[("name", "x")]))
        .await
        .unwrap_err();
    match &e {
        Error::Decode {
            method,
            path,
            snippet,
            ..
        } => {
            assert_eq!(*method, "chat.spaces.messages.get");
            assert_eq!(path, "a.b");
            assert!(snippet.contains("not a number"));
        }
        other => panic!("{other:?}"),
    }
}

#[tokio::test]
async fn request_timeout_is_a_timeout_error() {
    let server = MockServer::start().await;
    Mock::given(method("GET"))
        .respond_with(ResponseTemplate::new(200).set_delay(Duration::from_secs(5)))
        .mount(&server)
        .await;
    let c = Client::builder(&TEST_SERVICE)
        .base_url(server.uri())
        .request_timeout(Duration::from_millis(200))
        .retry_policy(RetryPolicy::none())
        .build()
        .unwrap();
    let e = c
        .execute::<Value>(req(&GET, &[("name", "x")]))
        .await
        .unwrap_err();
    assert!(
        matches!(
            e,
            Error::Timeout {
                method: "chat.spaces.messages.get"
            }
        ),
        "{e:?}"
    );
}

#[tokio::test]
async fn connection_refused_is_a_transport_error_without_the_url() {
    // Bind then drop a listener: nothing listens on that port any more.
    let port = std::net::TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap()
        .port();
    let c = Client::builder(&TEST_SERVICE)
        .base_url(format!("http://127.0.0.1:{port}/"))
        .retry_policy(fast_retries().max_attempts(2))
        .build()
        .unwrap();
    let mut r = req(&GET, &[("name", "x")]);
    r.query("pageToken", &"SECRET-TOKEN".to_owned());
    let e = c.execute::<Value>(r).await.unwrap_err();
    assert!(matches!(e, Error::Transport { .. }), "{e:?}");
    let mut chain = e.to_string();
    let mut source = std::error::Error::source(&e);
    while let Some(s) = source {
        chain.push_str(&s.to_string());
        source = s.source();
    }
    assert!(!chain.contains("SECRET-TOKEN"), "{chain}");
}

/// Hands out `tok1`, `tok2`, ... and counts calls.
#[derive(Debug, Default)]
struct Counting {
    calls: AtomicUsize,
    lifetime: Option<Duration>,
}

impl TokenProvider for Counting {
    fn fetch_token<'a>(&'a self, scopes: &'a [String]) -> TokenFuture<'a> {
        Box::pin(async move {
            assert_eq!(scopes, ["https://example.com/scope"]);
            // Give concurrent callers time to pile up behind this refresh.
            tokio::time::sleep(Duration::from_millis(20)).await;
            let n = self.calls.fetch_add(1, Ordering::SeqCst) + 1;
            Ok(AccessToken::new(
                format!("tok{n}"),
                self.lifetime.map(|l| SystemTime::now() + l),
            ))
        })
    }
}

fn counting(provider: Counting) -> (Arc<Counting>, Credentials) {
    let provider = Arc::new(provider);
    #[derive(Debug)]
    struct Shared(Arc<Counting>);
    impl TokenProvider for Shared {
        fn fetch_token<'a>(&'a self, scopes: &'a [String]) -> TokenFuture<'a> {
            self.0.fetch_token(scopes)
        }
    }
    let creds = Credentials::from_provider(Shared(provider.clone()))
        .with_scopes(["https://example.com/scope"]);
    (provider, creds)
}

#[tokio::test]
async fn one_token_fetch_for_many_concurrent_calls() {
    let server = MockServer::start().await;
    Mock::given(method("GET"))
        .and(header("authorization", "Bearer tok1"))
        .respond_with(ResponseTemplate::new(200).set_body_json(json!({})))
        .expect(20)
        .mount(&server)
        .await;
    let (provider, creds) = counting(Counting {
        lifetime: Some(Duration::from_secs(3600)),
        ..Counting::default()
    });
    let c = client(&server, creds);
    let calls = (0..20).map(|_| {
        let c = c.clone();
        tokio::spawn(async move { c.execute::<Value>(req(&GET, &[("name", "x")])).await })
    });
    for call in calls {
        call.await.unwrap().unwrap();
    }
    assert_eq!(provider.calls.load(Ordering::SeqCst), 1);
}

#[tokio::test]
async fn tokens_close_to_expiry_are_refreshed() {
    let server = MockServer::start().await;
    Mock::given(method("GET"))
        .respond_with(ResponseTemplate::new(200))
        .mount(&server)
        .await;
    // 30 s left is inside the refresh margin: every call needs a new token.
    let (provider, creds) = counting(Counting {
        lifetime: Some(Duration::from_secs(30)),
        ..Counting::default()
    });
    let c = client(&server, creds);
    c.execute_empty(req(&GET, &[("name", "x")])).await.unwrap();
    c.execute_empty(req(&GET, &[("name", "x")])).await.unwrap();
    assert_eq!(provider.calls.load(Ordering::SeqCst), 2);
    let auth: Vec<_> = server
        .received_requests()
        .await
        .unwrap()
        .iter()
        .map(|r| r.headers["authorization"].to_str().unwrap().to_owned())
        .collect();
    assert_eq!(auth, ["Bearer tok1", "Bearer tok2"]);
}

#[tokio::test]
async fn a_401_refreshes_the_token_once_and_retries_once() {
    let server = MockServer::start().await;
    Mock::given(method("POST"))
        .and(header("authorization", "Bearer tok1"))
        .respond_with(ResponseTemplate::new(401))
        .mount(&server)
        .await;
    Mock::given(method("POST"))
        .and(header("authorization", "Bearer tok2"))
        .respond_with(ResponseTemplate::new(200).set_body_json(json!({"name": "m"})))
        .mount(&server)
        .await;
    let (provider, creds) = counting(Counting {
        lifetime: Some(Duration::from_secs(3600)),
        ..Counting::default()
    });
    let c = client(&server, creds);
    let mut r = req(&CREATE, &[("parent", "spaces/A")]);
    r.json_body(&json!({"text": "hi"}));
    let v: Value = c.execute(r).await.unwrap();
    assert_eq!(v["name"], "m");
    assert_eq!(provider.calls.load(Ordering::SeqCst), 2);
    let bodies: Vec<_> = server
        .received_requests()
        .await
        .unwrap()
        .into_iter()
        .map(|r| r.body)
        .collect();
    assert_eq!(
        bodies,
        [br#"{"text":"hi"}"#.to_vec(), br#"{"text":"hi"}"#.to_vec()]
    );

    // A second 401 in a row is returned, not retried forever.
    server.reset().await;
    Mock::given(method("GET"))
        .respond_with(ResponseTemplate::new(401))
        .mount(&server)
        .await;
    let e = c
        .execute::<Value>(req(&GET, &[("name", "x")]))
        .await
        .unwrap_err();
    assert_eq!(e.http_status(), Some(401));
    assert_eq!(server.received_requests().await.unwrap().len(), 2);
    // tok2 (cached) was refused, tok3 fetched and refused too.
    assert_eq!(provider.calls.load(Ordering::SeqCst), 3);
}

/// A service-account key file for the test key pair, its `token_uri` on `server`.
fn service_account_json(server: &MockServer) -> String {
    json!({
        "type": "service_account",
        "project_id": "test-project",
        "private_key_id": "kid-1",
        "private_key": include_str!("../../tests/fixtures/test_rsa_key.pem"),
        "client_email": "chat-app@test-project.iam.gserviceaccount.com",
        "client_id": "1234",
        "token_uri": format!("{}/token", server.uri()),
    })
    .to_string()
}

/// Checks the JWT bearer assertion: signed with the test key, for the service's default scope, to the
/// key file's `token_uri`.
fn check_assertion(request: &Request, token_uri: &str) {
    let form: Vec<(String, String)> = url_pairs(&request.body);
    assert_eq!(
        form[0],
        (
            "grant_type".into(),
            "urn:ietf:params:oauth:grant-type:jwt-bearer".into()
        )
    );
    assert_eq!(form[1].0, "assertion");
    let jwt = &form[1].1;
    let (signed, signature) = jwt.rsplit_once('.').unwrap();
    let b64 = base64::engine::general_purpose::URL_SAFE_NO_PAD;
    let public = include_bytes!("../../tests/fixtures/test_rsa_public_key.der");
    ring::signature::UnparsedPublicKey::new(&ring::signature::RSA_PKCS1_2048_8192_SHA256, public)
        .verify(
            signed.as_bytes(),
            &b64.decode(signature.trim_end_matches('=')).unwrap(),
        )
        .expect("JWT signed with the test key");
    let claims: Value = serde_json::from_slice(
        &b64.decode(signed.split('.').nth(1).unwrap().trim_end_matches('='))
            .unwrap(),
    )
    .unwrap();
    assert_eq!(
        claims["iss"],
        "chat-app@test-project.iam.gserviceaccount.com"
    );
    assert_eq!(claims["scope"], TEST_SCOPE);
    assert_eq!(claims["aud"], token_uri);
}

fn url_pairs(body: &[u8]) -> Vec<(String, String)> {
    let text = std::str::from_utf8(body).unwrap();
    text.split('&')
        .map(|pair| {
            let (k, v) = pair.split_once('=').unwrap();
            let decode = |s: &str| {
                percent_encoding::percent_decode_str(&s.replace('+', " "))
                    .decode_utf8()
                    .unwrap()
                    .into_owned()
            };
            (decode(k), decode(v))
        })
        .collect()
}

#[tokio::test]
async fn service_account_uses_its_token_uri_once_for_concurrent_calls() {
    let server = MockServer::start().await;
    let token_uri = format!("{}/token", server.uri());
    let seen = Arc::new(AtomicUsize::new(0));
    let seen2 = seen.clone();
    let uri2 = token_uri.clone();
    Mock::given(method("POST"))
        .and(path("/token"))
        .and(header("content-type", "application/x-www-form-urlencoded"))
        .respond_with(move |r: &Request| {
            check_assertion(r, &uri2);
            seen2.fetch_add(1, Ordering::SeqCst);
            ResponseTemplate::new(200)
                .set_body_json(
                    json!({"access_token": "sa-token", "expires_in": 3600, "token_type": "Bearer"}),
                )
                .set_delay(Duration::from_millis(50))
        })
        .expect(1)
        .mount(&server)
        .await;
    Mock::given(method("POST"))
        .and(path("/v1/spaces/AAA/messages"))
        .and(header("authorization", "Bearer sa-token"))
        .respond_with(
            ResponseTemplate::new(200).set_body_json(json!({"name": "spaces/AAA/messages/1"})),
        )
        .expect(10)
        .mount(&server)
        .await;
    let creds = Credentials::service_account_json(&service_account_json(&server)).unwrap();
    let dbg = format!("{creds:?}");
    assert!(
        dbg.contains("chat-app@test-project") && !dbg.contains("PRIVATE KEY"),
        "{dbg}"
    );
    let c = client(&server, creds);
    assert!(!format!("{c:?}").contains("PRIVATE KEY"));
    let calls = (0..10).map(|_| {
        let c = c.clone();
        tokio::spawn(async move {
            let mut r = req(&CREATE, &[("parent", "spaces/AAA")]);
            r.json_body(&json!({"text": "Test message"}));
            c.execute::<Value>(r).await
        })
    });
    for call in calls {
        call.await.unwrap().unwrap();
    }
    assert_eq!(seen.load(Ordering::SeqCst), 1);
}

#[tokio::test]
async fn authorized_user_exchanges_its_refresh_token() {
    let server = MockServer::start().await;
    Mock::given(method("POST"))
        .and(path("/token"))
        .respond_with(|r: &Request| {
            let form = url_pairs(&r.body);
            let get = |k: &str| form.iter().find(|(n, _)| n == k).map(|(_, v)| v.as_str());
            if get("refresh_token") == Some("REFRESH-SECRET") {
                assert_eq!(get("grant_type"), Some("refresh_token"));
                assert_eq!(get("client_id"), Some("cid"));
                assert_eq!(get("client_secret"), Some("CLIENT-SECRET"));
                ResponseTemplate::new(200).set_body_json(json!({"access_token": "user-token", "expires_in": 3599}))
            } else {
                ResponseTemplate::new(400)
                    .set_body_json(json!({"error": "invalid_grant", "error_description": "Token has been expired or revoked."}))
            }
        })
        .mount(&server)
        .await;
    Mock::given(method("GET"))
        .and(header("authorization", "Bearer user-token"))
        .and(header("x-goog-user-project", "billed-project"))
        .respond_with(ResponseTemplate::new(200).set_body_json(json!({})))
        .expect(1)
        .mount(&server)
        .await;
    let user = |refresh: &str| {
        json!({
            "type": "authorized_user",
            "quota_project_id": "billed-project",
            "client_id": "cid",
            "client_secret": "CLIENT-SECRET",
            "refresh_token": refresh,
            "token_uri": format!("{}/token", server.uri()),
        })
        .to_string()
    };
    let c = client(
        &server,
        Credentials::authorized_user_json(&user("REFRESH-SECRET")).unwrap(),
    );
    c.execute_empty(req(&GET, &[("name", "x")])).await.unwrap();

    let c = client(
        &server,
        Credentials::authorized_user_json(&user("REVOKED-SECRET")).unwrap(),
    );
    let e = c
        .execute_empty(req(&GET, &[("name", "x")]))
        .await
        .unwrap_err();
    let text = format!("{e} {e:?}");
    assert!(
        text.contains("invalid_grant: Token has been expired or revoked."),
        "{text}"
    );
    assert!(!text.contains("SECRET"), "{text}");
}

#[tokio::test]
async fn api_key_goes_in_a_header_and_never_in_debug() {
    let server = MockServer::start().await;
    Mock::given(method("GET"))
        .and(header("x-goog-api-key", "KEY-SECRET"))
        .respond_with(ResponseTemplate::new(200))
        .expect(1)
        .mount(&server)
        .await;
    let c = Client::builder(&TEST_SERVICE)
        .base_url(server.uri())
        .api_key("KEY-SECRET")
        .credentials(Credentials::bearer_token("TOKEN-SECRET"))
        .build()
        .unwrap();
    assert!(!format!("{c:?}").contains("SECRET"));
    c.execute_empty(req(&GET, &[("name", "x")])).await.unwrap();
    let got = &server.received_requests().await.unwrap()[0];
    assert!(got.url.query().is_none());
    assert!(got.headers.get("x-goog-user-project").is_none());
}

#[test]
fn bad_base_url_is_rejected() {
    let e = Client::builder(&TEST_SERVICE)
        .base_url("not a url")
        .build()
        .unwrap_err();
    assert!(
        e.to_string()
            .starts_with("ClientBuilder::base_url: invalid argument: `not a url/` is not a URL"),
        "{e}"
    );
    let e = Client::builder(&TEST_SERVICE)
        .base_url("ftp://x/")
        .build()
        .unwrap_err();
    assert!(e.to_string().contains("must be an http(s) URL"), "{e}");
}

#[tokio::test]
async fn multipart_upload_sends_metadata_then_media() {
    let server = MockServer::start().await;
    Mock::given(method("POST"))
        .and(path("/upload/v1/spaces/A/attachments:upload"))
        .and(query_param("uploadType", "multipart"))
        .respond_with(
            ResponseTemplate::new(200)
                .set_body_json(json!({"attachmentDataRef": {"resourceName": "r"}})),
        )
        .expect(1)
        .mount(&server)
        .await;
    let c = client(&server, Credentials::bearer_token("tok"));
    let mut r = req(&UPLOAD, &[("parent", "spaces/A")]);
    r.json_body(&json!({"filename": "a.txt"}));
    let media = UploadMedia::from_bytes(b"hello media".to_vec(), "text/plain");
    let v: Value = c.execute_upload(r, media).await.unwrap();
    assert_eq!(v["attachmentDataRef"]["resourceName"], "r");
    let got = &server.received_requests().await.unwrap()[0];
    let ct = got.headers["content-type"].to_str().unwrap();
    let boundary = ct.strip_prefix("multipart/related; boundary=").unwrap();
    let expected = format!(
        "--{boundary}\r\nContent-Type: application/json; charset=UTF-8\r\n\r\n{{\"filename\":\"a.txt\"}}\r\n--{boundary}\r\nContent-Type: text/plain\r\n\r\nhello media\r\n--{boundary}--\r\n"
    );
    assert_eq!(String::from_utf8(got.body.clone()).unwrap(), expected);
    assert_eq!(
        got.headers["content-length"].to_str().unwrap(),
        expected.len().to_string()
    );
}

#[tokio::test]
async fn simple_upload_from_a_file_without_metadata() {
    let server = MockServer::start().await;
    Mock::given(method("POST"))
        .and(path("/upload/v1/spaces/A/attachments:upload"))
        .and(query_param("uploadType", "media"))
        .and(header("content-type", "application/octet-stream"))
        .respond_with(ResponseTemplate::new(200).set_body_json(json!({})))
        .expect(1)
        .mount(&server)
        .await;
    let file = std::env::temp_dir().join(format!("chat-api-simple-{}.bin", std::process::id()));
    let data: Vec<u8> = (0..200_000u32).map(|i| (i % 251) as u8).collect();
    std::fs::write(&file, &data).unwrap();
    let c = client(&server, Credentials::none());
    let media = UploadMedia::from_file(&file, "application/octet-stream")
        .await
        .unwrap();
    let _: Value = c
        .execute_upload(req(&UPLOAD, &[("parent", "spaces/A")]), media)
        .await
        .unwrap();
    assert_eq!(server.received_requests().await.unwrap()[0].body, data);
    std::fs::remove_file(&file).unwrap();
}

/// A resumable-upload server: stores chunks, answers 308 with the committed range, and
/// can be made to fail chunk PUTs (storing only part of the chunk first).
#[derive(Default)]
struct Resumable {
    stored: std::sync::Mutex<Vec<u8>>,
    /// While > 0, chunk PUTs fail with 503 after storing `partial` bytes of the chunk.
    failures_left: AtomicUsize,
    partial: usize,
    /// Chunk PUTs starting at or after this offset fail with 503, storing nothing.
    fail_from: std::sync::Mutex<Option<usize>>,
    log: std::sync::Mutex<Vec<String>>,
}

impl Resumable {
    fn respond(&self, r: &Request) -> ResponseTemplate {
        let range = r.headers["content-range"].to_str().unwrap().to_owned();
        self.log.lock().unwrap().push(range.clone());
        let mut stored = self.stored.lock().unwrap();
        let (span, total) = range
            .strip_prefix("bytes ")
            .unwrap()
            .split_once('/')
            .unwrap();
        if span != "*" {
            let (start, end) = span.split_once('-').unwrap();
            let (start, end): (usize, usize) = (start.parse().unwrap(), end.parse().unwrap());
            assert_eq!(
                start,
                stored.len(),
                "chunk must start at the committed offset"
            );
            assert_eq!(end + 1 - start, r.body.len());
            if self
                .fail_from
                .lock()
                .unwrap()
                .is_some_and(|from| start >= from)
            {
                return ResponseTemplate::new(503);
            }
            if self.failures_left.load(Ordering::SeqCst) > 0 {
                self.failures_left.fetch_sub(1, Ordering::SeqCst);
                stored.extend_from_slice(&r.body[..self.partial.min(r.body.len())]);
                return ResponseTemplate::new(503);
            }
            stored.extend_from_slice(&r.body);
        }
        if total != "*" && total.parse::<usize>().unwrap() == stored.len() {
            return ResponseTemplate::new(200).set_body_json(
                json!({"attachmentDataRef": {"resourceName": format!("bytes-{}", stored.len())}}),
            );
        }
        let t = ResponseTemplate::new(308);
        if stored.is_empty() {
            t
        } else {
            t.insert_header("range", format!("bytes=0-{}", stored.len() - 1))
        }
    }
}

async fn resumable_server(state: Arc<Resumable>) -> MockServer {
    let server = MockServer::start().await;
    let session = format!("{}/session/xyz?upload_id=SECRET-ID", server.uri());
    Mock::given(method("POST"))
        .and(path("/upload/v1/spaces/A/attachments:upload"))
        .and(query_param("uploadType", "resumable"))
        .and(header("x-upload-content-type", "video/mp4"))
        .and(body_json(json!({"filename": "v.mp4"})))
        .respond_with(ResponseTemplate::new(200).insert_header("location", session.as_str()))
        .expect(1)
        .mount(&server)
        .await;
    Mock::given(method("PUT"))
        .and(path("/session/xyz"))
        .and(query_param("upload_id", "SECRET-ID"))
        .respond_with(move |r: &Request| state.respond(r))
        .mount(&server)
        .await;
    server
}

fn upload_request() -> ApiRequest {
    let mut r = req(&UPLOAD, &[("parent", "spaces/A")]);
    r.json_body(&json!({"filename": "v.mp4"}));
    r
}

const KIB256: usize = 256 * 1024;

#[tokio::test]
async fn resumable_upload_recovers_from_a_failed_chunk_by_asking_the_server() {
    let data: Vec<u8> = (0..(2 * KIB256 + 1000)).map(|i| (i % 253) as u8).collect();
    let state = Arc::new(Resumable {
        failures_left: AtomicUsize::new(1),
        partial: 1000,
        ..Resumable::default()
    });
    let server = resumable_server(state.clone()).await;
    let c = client(&server, Credentials::bearer_token("tok"));
    let media = UploadMedia::from_bytes(data.clone(), "video/mp4")
        .resumable()
        .chunk_size(KIB256);
    let v: Value = c.execute_upload(upload_request(), media).await.unwrap();
    assert_eq!(
        v["attachmentDataRef"]["resourceName"],
        format!("bytes-{}", data.len())
    );
    assert_eq!(*state.stored.lock().unwrap(), data);
    let total = data.len();
    assert_eq!(
        *state.log.lock().unwrap(),
        [
            format!("bytes 0-262143/{total}"),
            format!("bytes */{total}"),
            format!("bytes 1000-262143/{total}"),
            format!("bytes 262144-524287/{total}"),
            format!("bytes 524288-525287/{total}"),
        ]
    );
}

#[tokio::test]
async fn interrupted_resumable_upload_resumes_from_the_committed_offset() {
    let dir = std::env::temp_dir().join(format!("chat-api-resume-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let file = dir.join("v.mp4");
    let data: Vec<u8> = (0..(3 * KIB256 + 5)).map(|i| (i % 241) as u8).collect();
    std::fs::write(&file, &data).unwrap();
    // The second chunk fails and retries are off: the upload stops midway.
    let state = Arc::new(Resumable::default());
    let server = resumable_server(state.clone()).await;
    let c = Client::builder(&TEST_SERVICE)
        .base_url(server.uri())
        .retry_policy(RetryPolicy::none())
        .build()
        .unwrap();
    let media = || async {
        UploadMedia::from_file(&file, "video/mp4")
            .await
            .unwrap()
            .resumable()
            .chunk_size(KIB256)
    };
    *state.fail_from.lock().unwrap() = Some(KIB256);
    let e = c
        .execute_upload::<Value>(upload_request(), media().await)
        .await
        .unwrap_err();
    let session = e
        .upload_session()
        .expect("an interrupted upload carries its session")
        .clone();
    assert_eq!(session.committed(), KIB256 as u64);
    assert_eq!(session.total(), Some(data.len() as u64));
    let shown = format!("{e} {e:?} {session:?}");
    assert!(!shown.contains("SECRET-ID"), "{shown}");
    assert!(shown.contains("503"), "{shown}");

    *state.fail_from.lock().unwrap() = None;
    let v: Value = c.resume_upload(&session, media().await).await.unwrap();
    assert_eq!(
        v["attachmentDataRef"]["resourceName"],
        format!("bytes-{}", data.len())
    );
    assert_eq!(*state.stored.lock().unwrap(), data);
    let log = state.log.lock().unwrap().clone();
    let total = data.len();
    assert_eq!(
        log[log.len() - 4..],
        [
            format!("bytes */{total}"),
            format!("bytes 262144-524287/{total}"),
            format!("bytes 524288-786431/{total}"),
            format!("bytes 786432-786436/{total}"),
        ]
    );
    std::fs::remove_dir_all(&dir).unwrap();
}

#[tokio::test]
async fn resumable_upload_of_unknown_length_declares_the_total_at_the_end() {
    let data: Vec<u8> = (0..(KIB256 + 10)).map(|i| (i % 239) as u8).collect();
    let state = Arc::new(Resumable::default());
    let server = resumable_server(state.clone()).await;
    let c = client(&server, Credentials::none());
    let reader = std::io::Cursor::new(data.clone());
    let media = UploadMedia::from_reader(reader, None, "video/mp4").chunk_size(KIB256);
    let _: Value = c.execute_upload(upload_request(), media).await.unwrap();
    assert_eq!(*state.stored.lock().unwrap(), data);
    assert_eq!(
        *state.log.lock().unwrap(),
        [
            "bytes 0-262143/*".to_owned(),
            format!("bytes 262144-262153/{}", data.len())
        ]
    );
    let first = &server.received_requests().await.unwrap()[0];
    assert!(first.headers.get("x-upload-content-length").is_none());
}

#[tokio::test]
async fn download_uses_the_download_service_path_and_streams() {
    let server = MockServer::start().await;
    let data: Vec<u8> = (0..300_000u32).map(|i| (i % 7) as u8).collect();
    Mock::given(method("GET"))
        .and(path("/download/v1/media/spaces/A/messages/B/attachments/C"))
        .and(query_param("alt", "media"))
        .respond_with(ResponseTemplate::new(200).set_body_raw(data.clone(), "image/png"))
        .expect(1)
        .mount(&server)
        .await;
    let c = client(&server, Credentials::bearer_token("tok"));
    let d = c
        .execute_download(req(
            &DOWNLOAD,
            &[("resourceName", "spaces/A/messages/B/attachments/C")],
        ))
        .await
        .unwrap();
    assert_eq!(d.content_type(), Some("image/png"));
    assert_eq!(d.content_length(), Some(data.len() as u64));
    let mut out = Vec::new();
    assert_eq!(d.write_to(&mut out).await.unwrap(), data.len() as u64);
    assert_eq!(out, data);
}

#[tokio::test]
async fn a_stalled_download_times_out_between_chunks() {
    use futures_util::StreamExt as _;
    use tokio::io::{AsyncReadExt as _, AsyncWriteExt as _};
    // A server that sends the headers and 10 of 100 bytes, then stalls.
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let base = format!("http://{}/", listener.local_addr().unwrap());
    tokio::spawn(async move {
        let (mut socket, _) = listener.accept().await.unwrap();
        let mut buf = [0u8; 4096];
        let _ = socket.read(&mut buf).await.unwrap();
        socket
            .write_all(b"HTTP/1.1 200 OK\r\ncontent-length: 100\r\n\r\n0123456789")
            .await
            .unwrap();
        tokio::time::sleep(Duration::from_secs(5)).await;
    });
    let c = Client::builder(&TEST_SERVICE)
        .base_url(base)
        .request_timeout(Duration::from_millis(300))
        .build()
        .unwrap();
    let mut d = c
        .execute_download(req(&DOWNLOAD, &[("resourceName", "x")]))
        .await
        .unwrap();
    assert_eq!(&d.next().await.unwrap().unwrap()[..], b"0123456789");
    let e = d.next().await.unwrap().unwrap_err();
    assert!(
        matches!(
            e,
            Error::Timeout {
                method: "chat.media.download"
            }
        ),
        "{e:?}"
    );
    assert!(d.next().await.is_none());
}

/// Records every span and event field, to check what reaches the logs.
#[derive(Clone, Default)]
struct Capture(Arc<std::sync::Mutex<String>>, Arc<AtomicUsize>);

impl tracing::field::Visit for &Capture {
    fn record_debug(&mut self, field: &tracing::field::Field, value: &dyn std::fmt::Debug) {
        let line = format!("{}={value:?} ", field.name());
        self.0.lock().unwrap().push_str(&line);
    }
}

impl tracing::Subscriber for Capture {
    fn enabled(&self, _: &tracing::Metadata<'_>) -> bool {
        true
    }
    fn new_span(&self, span: &tracing::span::Attributes<'_>) -> tracing::span::Id {
        self.0
            .lock()
            .unwrap()
            .push_str(&format!("\n{} ", span.metadata().name()));
        span.record(&mut &*self);
        tracing::span::Id::from_u64(self.1.fetch_add(1, Ordering::SeqCst) as u64 + 1)
    }
    fn record(&self, _: &tracing::span::Id, values: &tracing::span::Record<'_>) {
        values.record(&mut &*self);
    }
    fn record_follows_from(&self, _: &tracing::span::Id, _: &tracing::span::Id) {}
    fn event(&self, event: &tracing::Event<'_>) {
        self.0.lock().unwrap().push('\n');
        event.record(&mut &*self);
    }
    fn enter(&self, _: &tracing::span::Id) {}
    fn exit(&self, _: &tracing::span::Id) {}
}

#[tokio::test]
async fn logs_carry_method_status_attempt_and_no_secrets() {
    let capture = Capture::default();
    let _guard = tracing::subscriber::set_default(capture.clone());
    let server = MockServer::start().await;
    Mock::given(method("POST"))
        .and(path("/token"))
        .respond_with(
            ResponseTemplate::new(200)
                .set_body_json(json!({"access_token": "ya29.SECRET-ACCESS", "expires_in": 3600})),
        )
        .mount(&server)
        .await;
    Mock::given(method("GET"))
        .respond_with(ResponseTemplate::new(503))
        .up_to_n_times(1)
        .mount(&server)
        .await;
    Mock::given(method("GET"))
        .respond_with(ResponseTemplate::new(200).set_body_json(json!({})))
        .mount(&server)
        .await;
    let c = Client::builder(&TEST_SERVICE)
        .base_url(server.uri())
        .api_key("SECRET-API-KEY")
        .credentials(Credentials::service_account_json(&service_account_json(&server)).unwrap())
        .retry_policy(fast_retries())
        .build()
        .unwrap();
    let mut r = req(&GET, &[("name", "spaces/A")]);
    r.query("pageToken", &"SECRET-PAGE".to_owned());
    c.execute_empty(r).await.unwrap();
    let logs = capture.0.lock().unwrap().clone();
    assert!(
        logs.contains(
            "google_api.request method=\"chat.spaces.messages.get\" http_method=GET attempt=2"
        ),
        "{logs}"
    );
    assert!(
        logs.contains("status=503") && logs.contains("status=200"),
        "{logs}"
    );
    let private_key_line = include_str!("../../tests/fixtures/test_rsa_key.pem")
        .lines()
        .nth(1)
        .unwrap();
    for secret in [
        "SECRET-ACCESS",
        "SECRET-API-KEY",
        "SECRET-PAGE",
        private_key_line,
    ] {
        assert!(!logs.contains(secret), "{secret} logged:\n{logs}");
    }
}

#[test]
fn public_types_are_thread_safe_and_debug() {
    fn send_sync_clone_debug<T: Send + Sync + Clone + std::fmt::Debug>() {}
    fn send_debug<T: Send + std::fmt::Debug>() {}
    fn error<T: std::error::Error + Send + Sync + 'static>() {}
    send_sync_clone_debug::<Client>();
    send_sync_clone_debug::<ClientBuilder>();
    send_sync_clone_debug::<Credentials>();
    send_sync_clone_debug::<RetryPolicy>();
    send_sync_clone_debug::<crate::media::UploadSession>();
    send_debug::<UploadMedia>();
    send_debug::<Download>();
    error::<Error>();
}

const IMAGE_UPLOAD: MethodInfo = MethodInfo {
    id: "test.images.upload",
    http_method: reqwest::Method::POST,
    path: "v1/{+parent}/images",
    scopes: &[],
    upload: Some(UploadInfo {
        simple_path: Some("/upload/v1/{+parent}/images"),
        resumable_path: None,
        max_size: Some(10),
        accept: &["image/*"],
    }),
    supports_download: false,
    use_download_service: false,
    name_forms: &[],
};

#[tokio::test]
async fn uploads_are_checked_before_anything_is_sent() {
    let server = MockServer::start().await;
    let c = client(&server, Credentials::none());
    let up = |media| c.execute_upload::<Value>(req(&IMAGE_UPLOAD, &[("parent", "p")]), media);

    let e = up(UploadMedia::from_bytes(vec![0u8; 11], "image/png"))
        .await
        .unwrap_err();
    assert_eq!(
        e.to_string(),
        "test.images.upload: invalid argument: the media has 11 bytes; this method accepts at most 10"
    );
    let e = up(UploadMedia::from_bytes(vec![0u8; 3], "text/plain"))
        .await
        .unwrap_err();
    assert_eq!(
        e.to_string(),
        "test.images.upload: invalid argument: content type `text/plain` is not accepted (accepted: image/*)"
    );
    let e = up(UploadMedia::from_bytes(vec![0u8; 3], "image/png").resumable())
        .await
        .unwrap_err();
    assert!(
        e.to_string()
            .ends_with("this method has no resumable upload endpoint"),
        "{e}"
    );
    let e = c.execute_upload::<Value>(
        req(&GET, &[("name", "x")]),
        UploadMedia::from_bytes(vec![1], "image/png"),
    );
    assert!(
        e.await
            .unwrap_err()
            .to_string()
            .ends_with("this method does not support media upload")
    );
    let e = c
        .execute_download(req(&GET, &[("name", "x")]))
        .await
        .unwrap_err();
    assert!(
        e.to_string()
            .ends_with("this method does not support media download"),
        "{e}"
    );
    let e = UploadMedia::from_file("/nonexistent/chat-api-file", "image/png")
        .await
        .unwrap_err();
    assert!(
        e.to_string()
            .starts_with("reading upload file /nonexistent/chat-api-file: "),
        "{e}"
    );
    assert!(server.received_requests().await.unwrap().is_empty());
}

#[test]
fn chunk_sizes_round_up_to_256_kib() {
    let m = UploadMedia::from_bytes(Vec::new(), "a/b");
    assert_eq!(m.chunk_size(1).chunk_size, 256 * 1024);
    let m = UploadMedia::from_bytes(Vec::new(), "a/b");
    assert_eq!(m.chunk_size(256 * 1024 + 1).chunk_size, 512 * 1024);
    let m = UploadMedia::from_bytes(Vec::new(), "a/b");
    assert_eq!(m.chunk_size, crate::media::DEFAULT_CHUNK_SIZE);
}

#[tokio::test]
async fn a_401_gets_the_service_account_a_really_new_token() {
    let server = MockServer::start().await;
    let issued = Arc::new(AtomicUsize::new(0));
    let counter = issued.clone();
    Mock::given(method("POST"))
        .and(path("/token"))
        .respond_with(move |_: &Request| {
            let n = counter.fetch_add(1, Ordering::SeqCst) + 1;
            ResponseTemplate::new(200)
                .set_body_json(json!({"access_token": format!("sa-{n}"), "expires_in": 3600}))
        })
        .mount(&server)
        .await;
    Mock::given(method("GET"))
        .and(header("authorization", "Bearer sa-1"))
        .respond_with(ResponseTemplate::new(401))
        .expect(1)
        .mount(&server)
        .await;
    Mock::given(method("GET"))
        .and(header("authorization", "Bearer sa-2"))
        .respond_with(ResponseTemplate::new(200).set_body_json(json!({})))
        .expect(2)
        .mount(&server)
        .await;
    let creds = Credentials::service_account_json(&service_account_json(&server)).unwrap();
    let c = client(&server, creds);
    c.execute_empty(req(&GET, &[("name", "x")])).await.unwrap();
    // The new token is cached for the next call.
    c.execute_empty(req(&GET, &[("name", "x")])).await.unwrap();
    assert_eq!(issued.load(Ordering::SeqCst), 2);
}
