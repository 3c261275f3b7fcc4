//! Per-call options through the generated builders: a timeout and a retry policy for
//! one call, the client's settings untouched for the next.

mod common;

use std::time::{Duration, Instant};

use chat_api::{Error, RetryPolicy, WithStandardParams};
use common::*;
use serde_json::json;
use wiremock::matchers::{method, path};
use wiremock::{Mock, MockServer, ResponseTemplate};

#[tokio::test]
async fn a_per_call_timeout_fires_while_the_client_default_waits() {
    let server = MockServer::start().await;
    Mock::given(method("GET"))
        .and(path("/v1/spaces/AAAA"))
        .respond_with(
            ResponseTemplate::new(200)
                .set_body_json(json!({"name": "spaces/AAAA"}))
                .set_delay(Duration::from_millis(400)),
        )
        .mount(&server)
        .await;
    let client = client(&server);

    let started = Instant::now();
    let e = client
        .spaces()
        .get("spaces/AAAA")
        .timeout(Duration::from_millis(50))
        .retry_policy(RetryPolicy::none())
        .send()
        .await
        .unwrap_err();
    assert!(
        matches!(
            e,
            Error::Timeout {
                method: "chat.spaces.get",
                ..
            }
        ),
        "{e:?}"
    );
    assert_eq!(e.to_string(), "chat.spaces.get: timed out");
    assert!(
        started.elapsed() < Duration::from_millis(350),
        "{:?}",
        started.elapsed()
    );

    // The same client, no per-call option: its 60 s default lets the slow answer arrive.
    let space = client.spaces().get("spaces/AAAA").send().await.unwrap();
    assert_eq!(space.name.as_deref(), Some("spaces/AAAA"));
    // One request per call: the timed-out one was not retried.
    assert_eq!(server.received_requests().await.unwrap().len(), 2);
}

#[tokio::test]
async fn a_per_call_retry_policy_returns_the_503_the_client_would_retry() {
    let server = MockServer::start().await;
    Mock::given(method("GET"))
        .and(path("/v1/spaces/AAAA"))
        .respond_with(ResponseTemplate::new(503).set_body_json(json!({"error": {
            "code": 503, "message": "The service is currently unavailable.", "status": "UNAVAILABLE"
        }})))
        .up_to_n_times(2)
        .mount(&server)
        .await;
    Mock::given(method("GET"))
        .and(path("/v1/spaces/AAAA"))
        .respond_with(ResponseTemplate::new(200).set_body_json(json!({"name": "spaces/AAAA"})))
        .mount(&server)
        .await;
    let client = client(&server);

    let e = client
        .spaces()
        .get("spaces/AAAA")
        .retry_policy(RetryPolicy::none())
        .send()
        .await
        .unwrap_err();
    assert_eq!(e.http_status(), Some(503));
    assert_eq!(server.received_requests().await.unwrap().len(), 1);

    // The next call has the client's policy: the second 503 is retried.
    let space = client.spaces().get("spaces/AAAA").send().await.unwrap();
    assert_eq!(space.name.as_deref(), Some("spaces/AAAA"));
    assert_eq!(server.received_requests().await.unwrap().len(), 3);
}

#[tokio::test]
async fn per_call_options_are_never_sent() {
    let server = MockServer::start().await;
    Mock::given(method("GET"))
        .respond_with(ResponseTemplate::new(200).set_body_json(json!({})))
        .mount(&server)
        .await;
    client(&server)
        .spaces()
        .get("spaces/AAAA")
        .fields("name")
        .timeout(Duration::from_secs(5))
        .retry_policy(RetryPolicy::none())
        .send()
        .await
        .unwrap();
    let got = &server.received_requests().await.unwrap()[0];
    assert_eq!(got.url.query(), Some("fields=name"));
}
