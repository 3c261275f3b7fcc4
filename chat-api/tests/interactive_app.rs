//! The `interactive_app` example end to end on 127.0.0.1: a key server with a test-made
//! key, the example's axum app, and signed requests posted to it as Chat would.

#[path = "../examples/interactive_app.rs"]
#[allow(dead_code)]
mod interactive_app;

use std::sync::OnceLock;
use std::time::{SystemTime, UNIX_EPOCH};

use chat_api::app::id_token::{Signer, jwk_set, x509_set};
use chat_api::app::{CHAT_ISSUER, ChatAuth, Endpoint, add_on_service_agent};
use rsa::pkcs8::EncodePrivateKey as _;
use serde_json::{Value, json};
use wiremock::matchers::path;
use wiremock::{Mock, MockServer, ResponseTemplate};

const PROJECT: &str = "1234567890";

fn signer() -> &'static Signer {
    static SIGNER: OnceLock<Signer> = OnceLock::new();
    SIGNER.get_or_init(|| {
        let key = rsa::RsaPrivateKey::new(&mut rsa::rand_core::OsRng, 2048).unwrap();
        Signer::from_pkcs8("test-key", key.to_pkcs8_der().unwrap().as_bytes()).unwrap()
    })
}

fn now() -> u64 {
    SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .unwrap()
        .as_secs()
}

fn project_token() -> String {
    let t = now();
    signer().sign(&json!({"iss": CHAT_ISSUER, "aud": PROJECT, "iat": t, "exp": t + 600}))
}

/// Serves `keys` at `/keys`; returns the server (keep it alive).
async fn key_server(keys: String) -> MockServer {
    let server = MockServer::start().await;
    Mock::given(path("/keys"))
        .respond_with(
            ResponseTemplate::new(200)
                .insert_header("cache-control", "public, max-age=3600")
                .set_body_string(keys),
        )
        .mount(&server)
        .await;
    server
}

/// Starts the example's app for `auth` on 127.0.0.1; returns its URL.
async fn start_app(auth: ChatAuth) -> String {
    let app = interactive_app::router(Endpoint::new(auth).unwrap().body_limit(64 * 1024));
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let url = format!("http://{}/", listener.local_addr().unwrap());
    tokio::spawn(async move { axum::serve(listener, app).await.unwrap() });
    url
}

async fn post(url: &str, token: Option<&str>, body: impl Into<reqwest::Body>) -> (u16, Value) {
    let mut request = reqwest::Client::new()
        .post(url)
        .header("content-type", "application/json")
        .body(body);
    if let Some(token) = token {
        request = request.bearer_auth(token);
    }
    let response = request.send().await.unwrap();
    let status = response.status().as_u16();
    assert_eq!(response.headers()["content-type"], "application/json");
    (
        status,
        serde_json::from_slice(&response.bytes().await.unwrap()).unwrap(),
    )
}

/// A classic `CARD_CLICKED` event for the card's button, as Chat sends it (shape from
/// https://developers.google.com/workspace/chat/api/reference/rest/v1/Event and the
/// guide "Receive and respond to interaction events").
fn card_click(clicks: &str) -> Value {
    json!({
        "type": "CARD_CLICKED",
        "eventTime": "2026-12-06T10:00:00.123456Z",
        "space": {"name": "spaces/AAAA", "spaceType": "SPACE"},
        "user": {"name": "users/123", "displayName": "Tester", "type": "HUMAN"},
        "message": {"name": "spaces/AAAA/messages/BBBB", "cardsV2": [interactive_app::guide_card(0)]},
        "action": {"actionMethodName": "update_card", "parameters": [{"key": "clicks", "value": clicks}]},
        "common": {"invokedFunction": "update_card", "parameters": {"clicks": clicks}, "hostApp": "CHAT"}
    })
}

#[tokio::test]
async fn a_signed_card_click_updates_the_card_in_place() {
    let keys = key_server(x509_set(&[signer()])).await;
    let url =
        start_app(ChatAuth::project_number(PROJECT).keys_url(format!("{}/keys", keys.uri()))).await;

    let (status, body) = post(&url, Some(&project_token()), card_click("0").to_string()).await;
    assert_eq!(status, 200, "{body}");
    assert_eq!(body["actionResponse"]["type"], "UPDATE_MESSAGE");
    let card = &body["cardsV2"][0];
    assert_eq!(card["cardId"], "unique-card-id");
    assert_eq!(card["card"]["header"]["title"], "Updated Card Title");
    assert_eq!(card["card"]["header"]["subtitle"], "Updated Card Subtitle");
    let widgets = &card["card"]["sections"][0]["widgets"];
    assert_eq!(
        widgets[0]["textParagraph"]["text"],
        "The card content has been updated 1 time(s)."
    );
    let button = &widgets[1]["buttonList"]["buttons"][0];
    assert_eq!(button["onClick"]["action"]["function"], "update_card");
    assert_eq!(
        button["onClick"]["action"]["parameters"][0],
        json!({"key": "clicks", "value": "1"})
    );

    // A second click counts on.
    let (_, body) = post(&url, Some(&project_token()), card_click("1").to_string()).await;
    assert_eq!(
        body["cardsV2"][0]["card"]["sections"][0]["widgets"][0]["textParagraph"]["text"],
        "The card content has been updated 2 time(s)."
    );
}

#[tokio::test]
async fn the_app_refuses_bad_requests_with_their_status() {
    let keys = key_server(jwk_set(&[signer()])).await;
    let url =
        start_app(ChatAuth::project_number(PROJECT).keys_url(format!("{}/keys", keys.uri()))).await;
    let click = card_click("0").to_string();

    let (status, body) = post(&url, None, click.clone()).await;
    assert_eq!(
        (status, body["error"].as_str()),
        (401, Some("no Authorization header"))
    );
    let (status, _) = post(&url, Some("not-a-jwt"), click.clone()).await;
    assert_eq!(status, 401);
    // A token for another project.
    let t = now();
    let other = signer().sign(&json!({"iss": CHAT_ISSUER, "aud": "999", "iat": t, "exp": t + 600}));
    let (status, body) = post(&url, Some(&other), click.clone()).await;
    assert_eq!(status, 401);
    // The body names the failed check, not the expected audience.
    assert_eq!(body["error"], "the bearer token was refused (audience)");
    assert!(!body.to_string().contains(PROJECT));
    assert!(!body.to_string().contains(&other));

    let token = project_token();
    let (status, body) = post(&url, Some(&token), "{\"type\": ").await;
    assert_eq!(status, 400, "{body}");
    let (status, _) = post(&url, Some(&token), vec![b' '; 65 * 1024]).await;
    assert_eq!(status, 413);
}

#[tokio::test]
async fn slash_command_and_dialog_open_validate_and_close() {
    let keys = key_server(jwk_set(&[signer()])).await;
    let url =
        start_app(ChatAuth::project_number(PROJECT).keys_url(format!("{}/keys", keys.uri()))).await;
    let token = project_token();

    // `/feedback` (command 2) opens the dialog.
    let command = json!({
        "type": "APP_COMMAND", "space": {"name": "spaces/AAAA"}, "user": {"name": "users/1"},
        "appCommandMetadata": {"appCommandId": 2, "appCommandType": "SLASH_COMMAND"}
    });
    let (status, body) = post(&url, Some(&token), command.to_string()).await;
    assert_eq!(status, 200);
    assert_eq!(body["actionResponse"]["type"], "DIALOG");
    let dialog = &body["actionResponse"]["dialogAction"]["dialog"]["body"];
    assert_eq!(dialog["header"]["title"], "Send feedback");

    // Submitted empty: the dialog comes back with an error.
    let submit = |text: &str| {
        json!({
            "type": "CARD_CLICKED", "isDialogEvent": true, "dialogEventType": "SUBMIT_DIALOG",
            "space": {"name": "spaces/AAAA"}, "user": {"name": "users/1"},
            "common": {"invokedFunction": "send_feedback",
                       "formInputs": {"feedback": {"stringInputs": {"value": [text]}}}}
        })
        .to_string()
    };
    let (_, body) = post(&url, Some(&token), submit("  ")).await;
    let widgets =
        &body["actionResponse"]["dialogAction"]["dialog"]["body"]["sections"][0]["widgets"];
    assert!(
        widgets[0]["textParagraph"]["text"]
            .as_str()
            .unwrap()
            .contains("Please write some feedback.")
    );

    // Submitted with text: closed, with a notice.
    let (_, body) = post(&url, Some(&token), submit("Great app")).await;
    assert_eq!(
        body["actionResponse"],
        json!({"type": "DIALOG", "dialogAction": {"actionStatus": {"statusCode": "OK", "userFacingMessage": "Thanks for your feedback!"}}})
    );
}

#[tokio::test]
async fn an_add_on_click_is_answered_in_the_add_on_envelope() {
    let keys = key_server(jwk_set(&[signer()])).await;
    let endpoint = "https://example.com/chat";
    let auth = ChatAuth::add_on(endpoint, PROJECT).keys_url(format!("{}/keys", keys.uri()));
    let url = start_app(auth).await;
    let t = now();
    let token = signer().sign(&json!({
        "iss": "https://accounts.google.com", "aud": endpoint, "iat": t, "exp": t + 600,
        "email": add_on_service_agent(PROJECT), "email_verified": true
    }));
    let click = json!({
        "commonEventObject": {"hostApp": "CHAT", "invokedFunction": "update_card", "parameters": {"clicks": "4"}},
        "authorizationEventObject": {"systemIdToken": token},
        "chat": {
            "user": {"name": "users/1"}, "eventTime": "2026-12-06T10:00:00Z",
            "buttonClickedPayload": {"space": {"name": "spaces/AAAA"}, "message": {"name": "spaces/AAAA/messages/BBBB"}}
        }
    });
    let (status, body) = post(&url, Some(&token), click.to_string()).await;
    assert_eq!(status, 200, "{body}");
    let message = &body["hostAppDataAction"]["chatDataAction"]["updateMessageAction"]["message"];
    assert_eq!(
        message["cardsV2"][0]["card"]["header"]["title"],
        "Updated Card Title"
    );
    assert_eq!(
        message["cardsV2"][0]["card"]["sections"][0]["widgets"][0]["textParagraph"]["text"],
        "The card content has been updated 5 time(s)."
    );
    // A Chat-app (not add-on) token is refused by the add-on endpoint.
    let (status, _) = post(&url, Some(&project_token()), click.to_string()).await;
    assert_eq!(status, 401);
}
