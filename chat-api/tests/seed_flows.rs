//! The two seed flows, end to end through the generated builders, against a server on
//! 127.0.0.1 that also plays the OAuth token endpoint.

mod common;

use chat_api::models::Message;
use chat_api::{Client, Credentials};
use common::*;
use serde_json::json;
use wiremock::matchers::{body_json, header, method, path};
use wiremock::{Mock, MockServer, ResponseTemplate};

/// "Authenticate as a Chat app": a service account key file, the `chat.bot` scope, and
/// "Test message" posted to a space.
#[tokio::test]
async fn service_account_posts_test_message() {
    let server = MockServer::start().await;
    mount_token_endpoint(&server).await;
    Mock::given(method("POST"))
        .and(path("/v1/spaces/AAAA/messages"))
        .and(header(
            "authorization",
            format!("Bearer {APP_TOKEN}").as_str(),
        ))
        .and(header("content-type", "application/json"))
        .and(header("user-agent", USER_AGENT))
        .and(header("x-goog-api-client", API_CLIENT))
        .and(body_json(json!({"text": "Test message"})))
        .respond_with(ResponseTemplate::new(200).set_body_json(json!({
            "name": "spaces/AAAA/messages/M1",
            "text": "Test message",
            "sender": {"name": "users/app", "type": "BOT"}
        })))
        .expect(1)
        .mount(&server)
        .await;
    let dir = temp_dir("seed-sa");

    let client = Client::builder()
        .base_url(server.uri())
        .credentials(
            Credentials::service_account_file(service_account_file(&server, &dir)).unwrap(),
        )
        .build()
        .unwrap();
    let message = Message::new().set_text("Test message");
    let sent = client
        .spaces()
        .messages()
        .create("spaces/AAAA", message)
        .send()
        .await
        .unwrap();

    assert_eq!(sent.name.as_deref(), Some("spaces/AAAA/messages/M1"));
    let requests = server.received_requests().await.unwrap();
    let call = requests
        .iter()
        .find(|r| r.url.path() == "/v1/spaces/AAAA/messages")
        .unwrap();
    assert_eq!(call.url.query(), None);
    assert_eq!(call.body, br#"{"text":"Test message"}"#);
    // The JWT grant asked for the seed's scope (the assertion is checked in the unit tests).
    let grant = requests.iter().find(|r| r.url.path() == "/token").unwrap();
    assert!(String::from_utf8_lossy(&grant.body).starts_with("grant_type=urn%3Aietf"));
    std::fs::remove_dir_all(dir).unwrap();
}

/// The seed's troubleshooting case: the app is not in the space.
#[tokio::test]
async fn not_a_member_403_explains_the_fix() {
    let server = MockServer::start().await;
    Mock::given(method("POST"))
        .and(path("/v1/spaces/AAAA/messages"))
        .respond_with(ResponseTemplate::new(403).set_body_json(json!({"error": {
            "code": 403,
            "message": "You are not permitted to use this app",
            "status": "PERMISSION_DENIED",
            "details": [{"@type": "type.googleapis.com/google.rpc.ErrorInfo", "reason": "X"}]
        }})))
        .expect(1)
        .mount(&server)
        .await;
    let message = Message::new().set_text("Test message");
    let err = client(&server)
        .spaces()
        .messages()
        .create("spaces/AAAA", message)
        .send()
        .await
        .unwrap_err();
    let api = err.api().unwrap();
    assert_eq!(api.http_status, 403);
    assert_eq!(api.status.as_deref(), Some("PERMISSION_DENIED"));
    assert_eq!(api.details[0]["reason"], "X");
    assert_eq!(
        err.to_string(),
        "chat.spaces.messages.create: HTTP 403 PERMISSION_DENIED: You are not permitted to use this app\n\
         hint: the Chat app is not a member of this space: add the Chat app (the one behind these \
         service-account credentials) to the space, then retry"
    );
}

/// "Create and update interactive cards": a card message created as a user, then its
/// cards replaced by the app (`replaceCards`, stable since revision 20261107).
#[tokio::test]
async fn user_creates_card_message_then_app_replaces_cards() {
    use chat_api::cards::{Card, CardHeader, CardWithId, Section, TextParagraph};
    use chat_api::models::ReplaceMessageCardsRequest;

    fn card(title: &str, text: &str) -> CardWithId {
        CardWithId::new().set_card_id("unique-card-id").set_card(
            Card::new()
                .set_header(
                    CardHeader::new()
                        .set_title(title)
                        .set_subtitle("Card Subtitle"),
                )
                .set_sections([Section::new().set_widgets([TextParagraph::new().set_text(text)])]),
        )
    }
    let card_json = |title: &str, text: &str| {
        json!({
            "cardId": "unique-card-id",
            "card": {
                "header": {"title": title, "subtitle": "Card Subtitle"},
                "sections": [{"widgets": [{"textParagraph": {"text": text}}]}]
            }
        })
    };

    let server = MockServer::start().await;
    mount_token_endpoint(&server).await;
    Mock::given(method("POST"))
        .and(path("/v1/spaces/SPACE_NAME/messages"))
        .and(header(
            "authorization",
            format!("Bearer {USER_TOKEN}").as_str(),
        ))
        .and(body_json(json!({
            "text": "Here is a card created on my behalf:",
            "cardsV2": [card_json("Card Title", "This card is attached to a user message.")]
        })))
        .respond_with(ResponseTemplate::new(200).set_body_json(json!({
            "name": "spaces/SPACE_NAME/messages/MSG.1",
            "cardsV2": [card_json("Card Title", "This card is attached to a user message.")]
        })))
        .expect(1)
        .mount(&server)
        .await;
    Mock::given(method("POST"))
        .and(path("/v1/spaces/SPACE_NAME/messages/MSG.1:replaceCards"))
        .and(header(
            "authorization",
            format!("Bearer {APP_TOKEN}").as_str(),
        ))
        .and(header("content-type", "application/json"))
        .and(body_json(
            json!({"cardsV2": [card_json("Updated Card Title", "Status: Completed")]}),
        ))
        // The document's ReplaceMessageCardsResponse has no message fields; an empty
        // answer decodes to its default.
        .respond_with(ResponseTemplate::new(200).set_body_json(json!({})))
        .expect(1)
        .mount(&server)
        .await;
    let dir = temp_dir("seed-cards");

    // As the user.
    let user = Client::builder()
        .base_url(server.uri())
        .credentials(
            Credentials::authorized_user_file(authorized_user_file(&server, &dir)).unwrap(),
        )
        .build()
        .unwrap();
    let message = Message::new()
        .set_text("Here is a card created on my behalf:")
        .set_cards_v2([card(
            "Card Title",
            "This card is attached to a user message.",
        )]);
    let created = user
        .spaces()
        .messages()
        .create("spaces/SPACE_NAME", message)
        .send()
        .await
        .unwrap();
    let name = created.name.unwrap();

    // As the app.
    let app = Client::builder()
        .base_url(server.uri())
        .credentials(
            Credentials::service_account_file(service_account_file(&server, &dir)).unwrap(),
        )
        .build()
        .unwrap();
    let replaced = app
        .spaces()
        .messages()
        .replace_cards(
            name.as_str(),
            ReplaceMessageCardsRequest::new()
                .set_cards_v2([card("Updated Card Title", "Status: Completed")]),
        )
        .send()
        .await
        .unwrap();
    assert_eq!(
        replaced,
        chat_api::models::ReplaceMessageCardsResponse::new()
    );
    let paths: Vec<String> = server
        .received_requests()
        .await
        .unwrap()
        .iter()
        .map(|r| format!("{} {}", r.method, r.url.path()))
        .collect();
    assert_eq!(
        paths,
        [
            "POST /token",
            "POST /v1/spaces/SPACE_NAME/messages",
            "POST /token",
            "POST /v1/spaces/SPACE_NAME/messages/MSG.1:replaceCards"
        ]
    );
    std::fs::remove_dir_all(dir).unwrap();
}
