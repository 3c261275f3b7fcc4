//! The real credential flows pointed at the fake: a service account's JWT grant, an
//! authorized user's refresh token, the installed-app flow's consent and code
//! exchange, plain test tokens, and refusals.

mod common;

use chat_api::auth::{ConsentPresenter, ConsentRequest, InstalledFlow, PresentFuture};
use chat_api::models::Message;
use chat_api::{Client, Credentials};
use chat_api_fake::{FakeChat, Identity};

fn client(fake: &FakeChat, credentials: Credentials) -> Client {
    Client::builder()
        .base_url(fake.url())
        .credentials(credentials)
        .build()
        .unwrap()
}

#[tokio::test]
async fn service_account_key_file_gets_an_app_token() {
    let (fake, space) = common::team().await;
    let credentials = Credentials::service_account_json(&fake.service_account_json()).unwrap();
    let sent = client(&fake, credentials)
        .spaces()
        .messages()
        .create(&space, Message::new().set_text("Test message"))
        .send()
        .await
        .unwrap();
    assert_eq!(sent.sender.as_ref().unwrap().name(), "users/app");
    assert_eq!(
        sent.sender.as_ref().unwrap().type_,
        Some(chat_api::models::UserType::Bot)
    );
    let calls = fake.calls();
    assert_eq!(calls[0].method, "oauth.token");
    assert_eq!(calls[0].status, 200);
    assert_eq!(calls[1].method, "spaces.messages.create");
    assert_eq!(calls[1].identity, Some(Identity::App("app".into())));
}

#[tokio::test]
async fn a_jwt_signed_with_another_key_is_refused() {
    let (fake, space) = common::team().await;
    let mut key: serde_json::Value = serde_json::from_str(&fake.service_account_json()).unwrap();
    key["private_key"] = include_str!("../../runtime/tests/fixtures/test_rsa_key.pem").into();
    let credentials = Credentials::service_account_json(&key.to_string()).unwrap();
    let err = client(&fake, credentials)
        .spaces()
        .messages()
        .create(&space, Message::new().set_text("x"))
        .send()
        .await
        .unwrap_err();
    let text = err.to_string();
    assert!(text.contains("invalid_grant"), "{text}");
    assert!(text.contains("signature does not verify"), "{text}");
    assert_eq!(fake.message_count(&space).unwrap(), 0);
}

#[tokio::test]
async fn authorized_user_refresh_token_acts_as_the_user() {
    let (fake, space) = common::team().await;
    let credentials =
        Credentials::authorized_user_json(&fake.authorized_user_json("alice").unwrap()).unwrap();
    let sent = client(&fake, credentials)
        .spaces()
        .messages()
        .create(&space, Message::new().set_text("from alice"))
        .send()
        .await
        .unwrap();
    assert_eq!(sent.sender.unwrap().name(), "users/alice");
}

#[tokio::test]
async fn unknown_token_is_401_with_googles_text() {
    let (fake, space) = common::team().await;
    let err = fake
        .client_builder("not-a-token")
        .build()
        .unwrap()
        .spaces()
        .get(&space)
        .send()
        .await
        .unwrap_err();
    let api = err.api().unwrap();
    assert_eq!(api.http_status, 401);
    assert_eq!(api.status.as_deref(), Some("UNAUTHENTICATED"));
    assert!(
        api.message
            .starts_with("Request had invalid authentication credentials.")
    );
}

/// Plays the browser: asks the consent URL (which the fake answers with a redirect at
/// once) and hands the address it redirects to back to the flow.
#[derive(Debug)]
struct Browser;

impl ConsentPresenter for Browser {
    fn present<'a>(&'a self, consent: &'a ConsentRequest) -> PresentFuture<'a> {
        Box::pin(async move {
            let http = reqwest::Client::builder()
                .redirect(reqwest::redirect::Policy::none())
                .build()?;
            let answer = http.get(consent.url()).send().await?;
            let location = answer.headers()["location"].to_str()?.to_owned();
            assert!(location.starts_with(consent.redirect_uri()), "{location}");
            Ok(Some(location))
        })
    }
}

#[tokio::test]
async fn installed_app_flow_consents_and_exchanges_the_code_with_pkce() {
    let (fake, space) = common::team().await;
    let dir = std::env::temp_dir().join(format!("fake-chat-installed-{}", std::process::id()));
    let flow = InstalledFlow::from_json(&fake.oauth_client_json("bob").unwrap())
        .unwrap()
        .token_cache_dir(&dir)
        .presenter(Browser);
    let user = client(
        &fake,
        flow.into_credentials()
            .with_scopes(["https://www.googleapis.com/auth/chat.messages.create"]),
    );
    user.authorize().await.unwrap();
    let sent = user
        .spaces()
        .messages()
        .create(&space, Message::new().set_text("hi"))
        .send()
        .await
        .unwrap();
    assert_eq!(sent.sender.unwrap().name(), "users/bob");
    let methods: Vec<String> = fake.calls().into_iter().map(|c| c.method).collect();
    assert_eq!(
        methods,
        ["oauth.authorize", "oauth.token", "spaces.messages.create"]
    );
    let _ = std::fs::remove_dir_all(dir);
}

#[tokio::test]
async fn token_endpoint_faults_are_retried_by_the_client() {
    let (fake, space) = common::team().await;
    fake.fail_next("oauth.token", 2, chat_api_fake::Fault::unavailable());
    let credentials = Credentials::service_account_json(&fake.service_account_json()).unwrap();
    let app = Client::builder()
        .base_url(fake.url())
        .credentials(credentials)
        .retry_policy(
            chat_api::RetryPolicy::default().initial_backoff(std::time::Duration::from_millis(1)),
        )
        .build()
        .unwrap();
    app.spaces().get(&space).send().await.unwrap();
    let token_statuses: Vec<u16> = fake
        .calls()
        .iter()
        .filter(|c| c.method == "oauth.token")
        .map(|c| c.status)
        .collect();
    assert_eq!(token_statuses, [503, 503, 200]);
}
