//! The ID-token verifier against a key server on 127.0.0.1 that serves test-made keys in
//! both of Google's forms (a JWK set, X.509 certificates by key id), with every refusal
//! the verifier must make, key rotation, and the bound on key fetches.

use std::sync::{Arc, Mutex, OnceLock};
use std::time::{Duration, SystemTime, UNIX_EPOCH};

use base64::Engine as _;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use google_api_runtime::RetryPolicy;
use google_api_runtime::id_token::{
    GOOGLE_ISSUERS, IdTokenError, IdTokenVerifier, Signer, jwk_set, x509_set,
};
use rsa::pkcs8::EncodePrivateKey as _;
use serde_json::{Value, json};
use wiremock::matchers::{method, path};
use wiremock::{Mock, MockServer, Request, Respond, ResponseTemplate};

const CHAT: &str = "chat@system.gserviceaccount.com";
const PROJECT: &str = "1234567890";
const ENDPOINT: &str = "https://example.com/chat";

/// A fresh 2048-bit RSA key from the `rsa` crate, as PKCS #8 DER.
fn new_key() -> Vec<u8> {
    let key = rsa::RsaPrivateKey::new(&mut rsa::rand_core::OsRng, 2048).unwrap();
    key.to_pkcs8_der().unwrap().as_bytes().to_vec()
}

/// Two keys made once per test binary (key generation takes a moment).
fn keys() -> &'static (Vec<u8>, Vec<u8>) {
    static KEYS: OnceLock<(Vec<u8>, Vec<u8>)> = OnceLock::new();
    KEYS.get_or_init(|| (new_key(), new_key()))
}

fn signer_a() -> Signer {
    Signer::from_pkcs8("key-a", &keys().0).unwrap()
}

fn signer_b() -> Signer {
    Signer::from_pkcs8("key-b", &keys().1).unwrap()
}

fn now() -> u64 {
    SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .unwrap()
        .as_secs()
}

/// Claims of a project-number token, as Chat sends (iss and aud per
/// https://developers.google.com/workspace/chat/verify-requests-from-chat).
fn project_claims() -> Value {
    let t = now();
    json!({"iss": CHAT, "aud": PROJECT, "iat": t, "exp": t + 3600})
}

/// Claims of an endpoint-URL ID token (Google OIDC issuer, Chat's email, verified).
fn endpoint_claims() -> Value {
    let t = now();
    json!({
        "iss": "https://accounts.google.com", "aud": ENDPOINT, "iat": t, "exp": t + 3600,
        "email": CHAT, "email_verified": true, "sub": "1234"
    })
}

/// A key server whose document can be changed while it runs.
#[derive(Clone)]
struct KeyDoc {
    body: Arc<Mutex<String>>,
    cache_control: &'static str,
}

impl Respond for KeyDoc {
    fn respond(&self, _: &Request) -> ResponseTemplate {
        ResponseTemplate::new(200)
            .insert_header("cache-control", self.cache_control)
            .insert_header("content-type", "application/json")
            .set_body_string(self.body.lock().unwrap().clone())
    }
}

async fn key_server(body: String, cache_control: &'static str) -> (MockServer, KeyDoc) {
    let server = MockServer::start().await;
    let doc = KeyDoc {
        body: Arc::new(Mutex::new(body)),
        cache_control,
    };
    Mock::given(method("GET"))
        .and(path("/keys"))
        .respond_with(doc.clone())
        .mount(&server)
        .await;
    (server, doc)
}

fn project_verifier(server: &MockServer) -> IdTokenVerifier {
    IdTokenVerifier::builder(format!("{}/keys", server.uri()))
        .issuer(CHAT)
        .audience(PROJECT)
        .build()
        .unwrap()
}

fn endpoint_verifier(server: &MockServer, email: &str) -> IdTokenVerifier {
    IdTokenVerifier::builder(format!("{}/keys", server.uri()))
        .issuers(GOOGLE_ISSUERS)
        .audience(ENDPOINT)
        .email(email)
        .build()
        .unwrap()
}

/// Verifies, expecting a refusal; checks that the error never quotes the token.
async fn refused(verifier: &IdTokenVerifier, token: &str) -> IdTokenError {
    let err = verifier
        .verify(token)
        .await
        .expect_err("the token must be refused");
    let shown = format!("{err} {err:?}");
    for part in token.split('.').filter(|p| p.len() > 8) {
        assert!(!shown.contains(part), "the error quotes the token: {shown}");
    }
    err
}

#[tokio::test]
async fn good_tokens_verify_with_both_key_forms_and_all_three_cases() {
    let (a, b) = (signer_a(), signer_b());
    for body in [jwk_set(&[&a, &b]), x509_set(&[&a, &b])] {
        let (server, _) = key_server(body, "public, max-age=3600").await;
        // Project number: iss chat@, aud the project number.
        let claims = project_verifier(&server)
            .verify(&a.sign(&project_claims()))
            .await
            .unwrap();
        assert_eq!(claims.issuer(), Some(CHAT));
        assert_eq!(claims.audiences(), [PROJECT]);
        // Endpoint URL: Google's OIDC issuer (both spellings), email chat@, verified.
        let verifier = endpoint_verifier(&server, CHAT);
        let claims = verifier.verify(&b.sign(&endpoint_claims())).await.unwrap();
        assert_eq!(claims.email(), Some(CHAT));
        let mut bare = endpoint_claims();
        bare["iss"] = json!("accounts.google.com");
        bare["email_verified"] = json!("true");
        verifier.verify(&a.sign(&bare)).await.unwrap();
        // Add-on: the add-on service agent's email; `aud` may be a list.
        let agent = "service-1234567890@gcp-sa-gsuiteaddons.iam.gserviceaccount.com";
        let mut addon = endpoint_claims();
        addon["email"] = json!(agent);
        addon["aud"] = json!(["other", ENDPOINT]);
        endpoint_verifier(&server, agent)
            .verify(&a.sign(&addon))
            .await
            .unwrap();
    }
}

#[tokio::test]
async fn each_bad_token_is_refused_with_its_reason() {
    let (a, b) = (signer_a(), signer_b());
    let (server, _) = key_server(jwk_set(&[&a]), "max-age=3600").await;
    let project = project_verifier(&server);
    let endpoint = endpoint_verifier(&server, CHAT);
    let t = now();

    // alg none, with and without a signature.
    let none = a.sign_with_header(&json!({"alg": "none", "kid": "key-a"}), &project_claims());
    let unsigned = format!("{}.", none.rsplit_once('.').unwrap().0);
    for token in [&none, &unsigned] {
        let err = refused(&project, token).await;
        assert_eq!(err, IdTokenError::Algorithm { alg: "none".into() });
    }

    // HS256 with the public key (as a verifier that trusts `alg` would read it) as secret.
    let header = URL_SAFE_NO_PAD.encode(r#"{"alg":"HS256","kid":"key-a","typ":"JWT"}"#);
    let payload = URL_SAFE_NO_PAD.encode(project_claims().to_string());
    let signed = format!("{header}.{payload}");
    for secret in [a.x509_pem().into_bytes(), a.modulus().to_vec()] {
        let mac = ring::hmac::sign(
            &ring::hmac::Key::new(ring::hmac::HMAC_SHA256, &secret),
            signed.as_bytes(),
        );
        let token = format!("{signed}.{}", URL_SAFE_NO_PAD.encode(mac.as_ref()));
        assert_eq!(
            refused(&project, &token).await,
            IdTokenError::Algorithm {
                alg: "HS256".into()
            }
        );
    }

    // Unknown key id; missing key id.
    let err = refused(&project, &b.sign(&project_claims())).await;
    assert_eq!(
        err,
        IdTokenError::UnknownKeyId {
            kid: "key-b".into()
        }
    );
    let no_kid = a.sign_with_header(&json!({"alg": "RS256"}), &project_claims());
    assert_eq!(refused(&project, &no_kid).await, IdTokenError::MissingKeyId);

    // Bad signature: signed by B under A's key id; a payload changed after signing.
    let forged = Signer::from_pkcs8("key-a", &keys().1).unwrap();
    let err = refused(&project, &forged.sign(&project_claims())).await;
    assert_eq!(err, IdTokenError::BadSignature);
    let good = a.sign(&project_claims());
    let mut parts: Vec<&str> = good.split('.').collect();
    let mut other = project_claims();
    other["aud"] = json!("999");
    let tampered_payload = URL_SAFE_NO_PAD.encode(other.to_string());
    parts[1] = &tampered_payload;
    assert_eq!(
        refused(&project, &parts.join(".")).await,
        IdTokenError::BadSignature
    );

    // Wrong audience (another project); wrong issuer.
    let mut claims = project_claims();
    claims["aud"] = json!("999999");
    let err = refused(&project, &a.sign(&claims)).await;
    assert!(
        matches!(&err, IdTokenError::Audience { got, expected } if got == &["999999"] && expected == PROJECT),
        "{err:?}"
    );
    assert_eq!(err.check(), "audience");
    let mut claims = project_claims();
    claims["iss"] = json!("https://accounts.google.com");
    let err = refused(&project, &a.sign(&claims)).await;
    assert_eq!(
        err,
        IdTokenError::Issuer {
            got: "https://accounts.google.com".into()
        }
    );
    // An ID token for the endpoint is not a project-number token, and the reverse.
    assert!(matches!(
        refused(&project, &a.sign(&endpoint_claims())).await,
        IdTokenError::Issuer { .. }
    ));
    assert!(matches!(
        refused(&endpoint, &a.sign(&project_claims())).await,
        IdTokenError::Issuer { .. }
    ));

    // Wrong email; email not verified; no email.
    let mut claims = endpoint_claims();
    claims["email"] = json!("attacker@example.com");
    let err = refused(&endpoint, &a.sign(&claims)).await;
    assert_eq!(
        err,
        IdTokenError::Email {
            got: Some("attacker@example.com".into())
        }
    );
    let mut claims = endpoint_claims();
    claims["email_verified"] = json!(false);
    assert_eq!(
        refused(&endpoint, &a.sign(&claims)).await,
        IdTokenError::EmailNotVerified
    );
    let mut claims = endpoint_claims();
    claims.as_object_mut().unwrap().remove("email");
    assert_eq!(
        refused(&endpoint, &a.sign(&claims)).await,
        IdTokenError::Email { got: None }
    );

    // Expired beyond the 300 s skew; within it, accepted.
    let mut claims = project_claims();
    claims["iat"] = json!(t - 4000);
    claims["exp"] = json!(t - 400);
    let err = refused(&project, &a.sign(&claims)).await;
    assert!(
        matches!(err, IdTokenError::Expired { ago } if ago >= Duration::from_secs(400)),
        "{err:?}"
    );
    claims["exp"] = json!(t - 200);
    project.verify(&a.sign(&claims)).await.unwrap();

    // Issued in the future beyond the skew; `nbf` likewise; within it, accepted.
    let mut claims = project_claims();
    claims["iat"] = json!(t + 400);
    claims["exp"] = json!(t + 4000);
    let err = refused(&project, &a.sign(&claims)).await;
    assert!(
        matches!(err, IdTokenError::NotYetValid { claim: "iat", .. }),
        "{err:?}"
    );
    let mut claims = project_claims();
    claims["nbf"] = json!(t + 400);
    let err = refused(&project, &a.sign(&claims)).await;
    assert!(
        matches!(err, IdTokenError::NotYetValid { claim: "nbf", .. }),
        "{err:?}"
    );
    claims["nbf"] = json!(t + 200);
    project.verify(&a.sign(&claims)).await.unwrap();

    // The skew is settable: with none, 200 s late is expired.
    let strict = IdTokenVerifier::builder(format!("{}/keys", server.uri()))
        .issuer(CHAT)
        .audience(PROJECT)
        .clock_skew(Duration::ZERO)
        .build()
        .unwrap();
    let mut claims = project_claims();
    claims["exp"] = json!(t - 200);
    assert!(matches!(
        refused(&strict, &a.sign(&claims)).await,
        IdTokenError::Expired { .. }
    ));

    // A lifetime over a day; missing `exp`.
    let mut claims = project_claims();
    claims["exp"] = json!(t + 2 * 86_400);
    assert!(matches!(
        refused(&project, &a.sign(&claims)).await,
        IdTokenError::LifetimeTooLong { .. }
    ));
    let mut claims = project_claims();
    claims.as_object_mut().unwrap().remove("exp");
    assert_eq!(
        refused(&project, &a.sign(&claims)).await,
        IdTokenError::MissingClaim { claim: "exp" }
    );
}

#[tokio::test]
async fn malformed_tokens_are_refused_without_a_panic() {
    let a = signer_a();
    let (server, _) = key_server(jwk_set(&[&a]), "max-age=3600").await;
    let verifier = project_verifier(&server);
    let good = a.sign(&project_claims());
    let (head, rest) = good.split_once('.').unwrap();
    let long = "a".repeat(20_000);
    let bad_payload_b64 = format!("{head}.!!.c");
    for (token, reason) in [
        ("", "a JWT has three dot-separated parts"),
        ("abc", "a JWT has three dot-separated parts"),
        ("a.b", "a JWT has three dot-separated parts"),
        ("a.b.c.d", "a JWT has three dot-separated parts"),
        ("!!.b.c", "the header is not base64url"),
        (&bad_payload_b64, "the payload is not base64url"),
        ("e30.e30.", "the header has no `alg`"),
        ("W10.e30.", "the header is not a JSON object"),
        (&long, "the token is longer than 16 KiB"),
    ] {
        let err = refused(&verifier, token).await;
        assert_eq!(err, IdTokenError::Malformed { reason }, "{token:.40}");
    }
    let bad_payload = format!("{head}.bm90IGpzb24.{}", rest.split_once('.').unwrap().1);
    assert_eq!(
        refused(&verifier, &bad_payload).await,
        IdTokenError::Malformed {
            reason: "the payload is not a JSON object"
        }
    );
    // Every truncation of a good token is refused, none panics.
    for end in 0..good.len() - 1 {
        assert!(verifier.verify(&good[..end]).await.is_err());
    }
    assert_eq!(verifier.key_fetches(), 1);
}

#[tokio::test]
async fn a_rotated_key_is_fetched_once_and_bogus_key_ids_are_bounded() {
    let (a, b) = (signer_a(), signer_b());
    let (server, doc) = key_server(x509_set(&[&a]), "public, max-age=3600").await;
    let interval = Duration::from_millis(300);
    let verifier = IdTokenVerifier::builder(format!("{}/keys", server.uri()))
        .issuer(CHAT)
        .audience(PROJECT)
        .min_refetch_interval(interval)
        .build()
        .unwrap();
    verifier.verify(&a.sign(&project_claims())).await.unwrap();
    verifier.verify(&a.sign(&project_claims())).await.unwrap();
    assert_eq!(
        verifier.key_fetches(),
        1,
        "a fresh cache is not fetched again"
    );

    // Google publishes key B; a token signed with it makes the verifier fetch once.
    *doc.body.lock().unwrap() = x509_set(&[&a, &b]);
    tokio::time::sleep(interval).await;
    verifier.verify(&b.sign(&project_claims())).await.unwrap();
    assert_eq!(verifier.key_fetches(), 2);
    verifier.verify(&b.sign(&project_claims())).await.unwrap();
    assert_eq!(verifier.key_fetches(), 2);

    // 1,000 tokens with bogus key ids, 100 at a time: at most one fetch per interval.
    tokio::time::sleep(interval).await;
    let started = std::time::Instant::now();
    let bogus = |i: usize| {
        a.sign_with_header(
            &json!({"alg": "RS256", "kid": format!("bogus-{i}")}),
            &project_claims(),
        )
    };
    for round in 0..10 {
        let tokens: Vec<String> = (0..100).map(|i| bogus(round * 100 + i)).collect();
        let results =
            futures_util::future::join_all(tokens.iter().map(|t| verifier.verify(t))).await;
        for r in results {
            assert!(matches!(r, Err(IdTokenError::UnknownKeyId { .. })), "{r:?}");
        }
    }
    let elapsed = started.elapsed();
    let allowed = 1 + (elapsed.as_millis() / interval.as_millis()) as u64 + 1;
    let fetched = verifier.key_fetches() - 2;
    assert!(
        fetched >= 1 && fetched <= allowed,
        "{fetched} fetches in {elapsed:?}"
    );
    assert!(server.received_requests().await.unwrap().len() as u64 == verifier.key_fetches());
}

#[tokio::test]
async fn concurrent_first_requests_share_one_fetch_and_max_age_is_honoured() {
    let a = signer_a();
    let (server, _) = key_server(jwk_set(&[&a]), "public, max-age=1, must-revalidate").await;
    let token = a.sign(&project_claims());
    // Default refetch interval: requests that arrive while the first fetch is under way
    // wait for it rather than fail.
    let verifier = project_verifier(&server);
    let results = futures_util::future::join_all((0..50).map(|_| verifier.verify(&token))).await;
    for r in &results {
        assert!(r.is_ok(), "{r:?}");
    }
    assert_eq!(verifier.key_fetches(), 1);

    let verifier = IdTokenVerifier::builder(format!("{}/keys", server.uri()))
        .issuer(CHAT)
        .audience(PROJECT)
        .min_refetch_interval(Duration::ZERO)
        .build()
        .unwrap();
    verifier.verify(&token).await.unwrap();
    verifier.verify(&token).await.unwrap();
    assert_eq!(
        verifier.key_fetches(),
        1,
        "within max-age: not fetched again"
    );
    tokio::time::sleep(Duration::from_millis(1100)).await;
    verifier.verify(&token).await.unwrap();
    assert_eq!(
        verifier.key_fetches(),
        2,
        "max-age=1 expired: fetched again"
    );
}

#[tokio::test]
async fn a_request_dropped_during_the_first_fetch_does_not_block_the_next() {
    let a = signer_a();
    let server = MockServer::start().await;
    Mock::given(method("GET"))
        .and(path("/keys"))
        .respond_with(
            ResponseTemplate::new(200)
                .set_body_string(jwk_set(&[&a]))
                .set_delay(Duration::from_millis(500)),
        )
        .mount(&server)
        .await;
    let verifier = project_verifier(&server);
    let token = a.sign(&project_claims());
    // The caller gives up (a client disconnected) while the keys are being fetched.
    let gave_up = tokio::time::timeout(Duration::from_millis(100), verifier.verify(&token)).await;
    assert!(gave_up.is_err());
    // The next request fetches again rather than wait out the refetch interval.
    verifier.verify(&token).await.unwrap();
    assert_eq!(verifier.key_fetches(), 2);
}

#[tokio::test]
async fn unreachable_or_broken_key_sets_are_key_errors_not_token_errors() {
    let a = signer_a();
    let server = MockServer::start().await;
    Mock::given(method("GET"))
        .and(path("/keys"))
        .respond_with(ResponseTemplate::new(503))
        .mount(&server)
        .await;
    Mock::given(method("GET"))
        .and(path("/broken"))
        .respond_with(ResponseTemplate::new(200).set_body_string(r#"{"k": "not a certificate"}"#))
        .mount(&server)
        .await;
    let client = google_api_runtime::Client::builder(&SERVICE)
        .retry_policy(
            RetryPolicy::default()
                .max_attempts(2)
                .initial_backoff(Duration::from_millis(1)),
        )
        .build()
        .unwrap();
    for (p, expect) in [("keys", "503"), ("broken", "no BEGIN CERTIFICATE line")] {
        let verifier = IdTokenVerifier::builder(format!("{}/{p}", server.uri()))
            .issuer(CHAT)
            .audience(PROJECT)
            .client(client.clone())
            .build()
            .unwrap();
        let err = refused(&verifier, &a.sign(&project_claims())).await;
        assert!(
            matches!(&err, IdTokenError::Keys { message, .. } if message.contains(expect)),
            "{err:?}"
        );
        assert!(!err.is_token_error());
    }
    // The 503 was retried per the client's policy (2 attempts).
    let hits = server.received_requests().await.unwrap();
    assert_eq!(hits.iter().filter(|r| r.url.path() == "/keys").count(), 2);
    assert!(
        hits.iter()
            .all(|r| !r.headers.contains_key("authorization"))
    );
}

static SERVICE: google_api_runtime::contract::Service =
    google_api_runtime::contract::Service::new("test", "v1", "https://example.com/", "");

#[test]
fn the_builder_refuses_incomplete_settings() {
    let err = IdTokenVerifier::builder("ftp://x")
        .issuer(CHAT)
        .audience("1")
        .build()
        .unwrap_err();
    assert!(err.to_string().contains("is not an http(s) URL"), "{err}");
    let err = IdTokenVerifier::builder("https://x/k")
        .audience("1")
        .build()
        .unwrap_err();
    assert!(err.to_string().contains("no issuer"), "{err}");
    let err = IdTokenVerifier::builder("https://x/k")
        .issuer(CHAT)
        .build()
        .unwrap_err();
    assert!(err.to_string().contains("no audience"), "{err}");
}

#[test]
fn verifier_types_are_send_sync_and_debug_shows_no_key_material() {
    fn send_sync<T: Send + Sync + std::fmt::Debug>() {}
    send_sync::<IdTokenVerifier>();
    send_sync::<Signer>();
    send_sync::<IdTokenError>();
    let shown = format!("{:?}", signer_a());
    assert_eq!(shown, "Signer { kid: \"key-a\", .. }");
}
