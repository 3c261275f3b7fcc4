//! The `app` feature without a web framework: both event formats decoded from the
//! payload shapes of Google's reference and samples, unknown kinds kept, every answer in
//! both envelopes, and the endpoint core's refusals.

use std::sync::OnceLock;
use std::time::{SystemTime, UNIX_EPOCH};

use chat_api::app::id_token::{IdTokenError, Signer, jwk_set};
use chat_api::app::{
    Answer, CHAT_ISSUER, ChatAuth, Endpoint, Event, Format, RawEvent, Rejection, parse_event,
};
use chat_api::cards::{Card, CardHeader, CardWithId, SelectionItem};
use chat_api::models::Message;
use rsa::pkcs8::EncodePrivateKey as _;
use serde_json::{Value, json};
use wiremock::matchers::path;
use wiremock::{Mock, MockServer, ResponseTemplate};

fn event(value: Value) -> Event {
    parse_event(value.to_string().as_bytes()).unwrap()
}

/// The MESSAGE event of Google's event format reference ("Chris Corgi" @mentions the app;
/// developers.google.com/workspace/chat/receive-respond-interactions, formerly
/// /chat/api/guides/message-formats/events), unchanged.
fn google_message_event() -> Value {
    json!({
      "type": "MESSAGE",
      "eventTime": "2017-03-02T19:02:59.910959Z",
      "space": {"name": "spaces/AAAAAAAAAAA", "displayName": "Chuck Norris Discussion Room", "type": "ROOM"},
      "message": {
        "name": "spaces/AAAAAAAAAAA/messages/CCCCCCCCCCC",
        "sender": {"name": "users/12345678901234567890", "displayName": "Chris Corgi",
                   "avatarUrl": "https://lh3.googleusercontent.com/.../photo.jpg", "email": "chriscorgi@example.com"},
        "createTime": "2017-03-02T19:02:59.910959Z",
        "text": "@TestBot Violence is my last option.",
        "argumentText": " Violence is my last option.",
        "thread": {"name": "spaces/AAAAAAAAAAA/threads/BBBBBBBBBBB"},
        "annotations": [{"length": 8, "startIndex": 0, "type": "USER_MENTION",
          "userMention": {"type": "MENTION", "user": {"avatarUrl": "https://.../avatar.png",
            "displayName": "TestBot", "name": "users/1234567890987654321", "type": "BOT"}}}]
      },
      "user": {"name": "users/12345678901234567890", "displayName": "Chris Corgi",
               "avatarUrl": "https://lh3.googleusercontent.com/.../photo.jpg", "email": "chriscorgi@example.com"}
    })
}

#[test]
fn classic_events_decode_by_kind() {
    let Event::Message(m) = event(google_message_event()) else {
        panic!("a message")
    };
    assert_eq!(m.text(), "Violence is my last option.");
    assert_eq!(m.user().unwrap().display_name(), "Chris Corgi");
    assert_eq!(m.space().unwrap().name(), "spaces/AAAAAAAAAAA");
    assert_eq!(m.event_type(), "MESSAGE");
    assert_eq!(m.format(), Format::Classic);
    let RawEvent::Classic(raw) = m.raw() else {
        panic!("classic")
    };
    // `space.type` (deprecated, not in the current model) is kept, not lost.
    assert!(
        raw.space
            .as_ref()
            .unwrap()
            .unknown_fields()
            .contains("type")
            || raw.space.as_ref().unwrap().type_.is_some()
    );

    // A card click: action name and parameters, from `action` and `common` alike.
    let click = event(json!({
        "type": "CARD_CLICKED",
        "action": {"actionMethodName": "vote", "parameters": [{"key": "choice", "value": "yes"}]},
        "common": {"invokedFunction": "vote", "parameters": {"choice": "yes", "round": "2"}},
        "message": {"name": "spaces/A/messages/B"}
    }));
    let Event::CardClicked(c) = &click else {
        panic!("{click:?}")
    };
    assert_eq!(c.action_name(), Some("vote"));
    assert_eq!(c.parameter("choice"), Some("yes"));
    assert_eq!(c.parameter("round"), Some("2"));
    assert_eq!(c.parameter("none"), None);
    assert_eq!(c.parameters().len(), 2);
    // Only `action` (older events).
    let old = event(
        json!({"type": "CARD_CLICKED", "action": {"actionMethodName": "a", "parameters": [{"key": "k", "value": "v"}]}}),
    );
    assert_eq!(old.interaction().action_name(), Some("a"));
    assert_eq!(old.interaction().parameter("k"), Some("v"));

    // Slash commands: APP_COMMAND with metadata, or a MESSAGE with `slashCommand` (the
    // shape of "Respond to slash commands": commandId is an int64, sent as a string).
    let command = event(
        json!({"type": "APP_COMMAND", "appCommandMetadata": {"appCommandId": 4, "appCommandType": "SLASH_COMMAND"}}),
    );
    assert!(matches!(&command, Event::AppCommand(c) if c.command_id() == Some(4)));
    let slash = event(
        json!({"type": "MESSAGE", "message": {"text": "/about", "argumentText": "",
        "slashCommand": {"commandId": "4"},
        "annotations": [{"type": "SLASH_COMMAND", "startIndex": 0, "length": 6,
            "slashCommand": {"commandName": "/about", "commandId": "4", "type": "INVOKE", "bot": {"name": "users/1", "type": "BOT"}}}]}}),
    );
    assert!(
        matches!(&slash, Event::AppCommand(c) if c.command_id() == Some(4)),
        "{slash:?}"
    );

    // Dialog steps.
    let dialog = |step: &str| {
        json!({"type": "CARD_CLICKED", "isDialogEvent": true, "dialogEventType": step,
        "common": {"formInputs": {"name": {"stringInputs": {"value": ["Ada"]}},
                                  "tags": {"stringInputs": {"value": ["a", "b"]}}}}})
    };
    assert!(matches!(
        event(dialog("REQUEST_DIALOG")),
        Event::DialogRequested(_)
    ));
    assert!(matches!(
        event(dialog("CANCEL_DIALOG")),
        Event::DialogCancelled(_)
    ));
    let Event::DialogSubmitted(s) = event(dialog("SUBMIT_DIALOG")) else {
        panic!("submit")
    };
    assert_eq!(s.form_input("name"), Some("Ada"));
    assert_eq!(s.form_inputs("tags"), ["a", "b"]);
    assert_eq!(s.form_input("missing"), None);
    // A slash command that opens a dialog (MESSAGE + REQUEST_DIALOG).
    let opens = event(
        json!({"type": "MESSAGE", "isDialogEvent": true, "dialogEventType": "REQUEST_DIALOG",
        "message": {"slashCommand": {"commandId": "2"}}}),
    );
    assert!(matches!(&opens, Event::DialogRequested(c) if c.command_id() == Some(2)));

    for (kind, check) in [
        (
            "ADDED_TO_SPACE",
            matches!(
                event(json!({"type": "ADDED_TO_SPACE"})),
                Event::AddedToSpace(_)
            ),
        ),
        (
            "REMOVED_FROM_SPACE",
            matches!(
                event(json!({"type": "REMOVED_FROM_SPACE"})),
                Event::RemovedFromSpace(_)
            ),
        ),
        (
            "WIDGET_UPDATED",
            matches!(
                event(json!({"type": "WIDGET_UPDATED"})),
                Event::WidgetUpdated(_)
            ),
        ),
    ] {
        assert!(check, "{kind}");
    }
}

#[test]
fn unknown_event_kinds_and_members_are_kept() {
    // APP_HOME exists in Google's EventType reference but not in this crate's kinds.
    let home = event(json!({"type": "APP_HOME", "futureMember": {"x": 1}}));
    let Event::Unknown(i) = &home else {
        panic!("{home:?}")
    };
    assert_eq!(i.event_type(), "APP_HOME");
    let RawEvent::Classic(raw) = i.raw() else {
        panic!("classic")
    };
    assert_eq!(
        raw.unknown_fields()
            .decode::<serde_json::Value>("futureMember")
            .map(Result::unwrap),
        Some(json!({"x": 1}))
    );
    // An add-on payload kind added after this crate (a made-up name) is kept too.
    let future = event(json!({"chat": {"someFuturePayload": {"space": {"name": "spaces/A"}}}}));
    let Event::Unknown(i) = &future else {
        panic!("{future:?}")
    };
    assert_eq!(i.event_type(), "someFuturePayload");
    assert_eq!(i.format(), Format::AddOn);
}

#[test]
fn add_on_events_decode_by_kind() {
    // The shape of the add-ons reference's Chat event object (commonEventObject,
    // authorizationEventObject, chat with one payload) and the add-on samples.
    let message = json!({
        "commonEventObject": {"userLocale": "en", "hostApp": "CHAT", "platform": "WEB",
                              "timeZone": {"id": "America/New_York", "offset": -14400000}},
        "authorizationEventObject": {"systemIdToken": "secret-system-token", "userOAuthToken": "secret-user-token"},
        "chat": {
            "user": {"name": "users/1", "displayName": "Ada", "type": "HUMAN"},
            "eventTime": "2026-12-06T10:00:00.000Z",
            "messagePayload": {
                "space": {"name": "spaces/AAAA", "spaceType": "DIRECT_MESSAGE"},
                "message": {"name": "spaces/AAAA/messages/M", "text": "hello", "argumentText": "hello"},
                "configCompleteRedirectUri": "https://chat.google.com/api/bot_config_complete?token=x"
            }
        }
    });
    let parsed = event(message);
    let Event::Message(m) = &parsed else {
        panic!("{parsed:?}")
    };
    assert_eq!(m.text(), "hello");
    assert_eq!(m.space().unwrap().name(), "spaces/AAAA");
    assert_eq!(m.user().unwrap().display_name(), "Ada");
    assert_eq!(m.common().unwrap().user_locale(), "en");
    assert_eq!(m.event_type(), "messagePayload");
    // Tokens never show in Debug.
    let shown = format!("{parsed:?}");
    assert!(
        !shown.contains("secret-system-token") && !shown.contains("secret-user-token"),
        "{shown}"
    );
    let RawEvent::AddOn(raw) = m.raw() else {
        panic!("add-on")
    };
    assert_eq!(
        raw.authorization_event_object
            .as_ref()
            .unwrap()
            .system_id_token
            .as_deref(),
        Some("secret-system-token")
    );

    let click = event(json!({
        "commonEventObject": {"hostApp": "CHAT", "invokedFunction": "update_card", "parameters": {"clicks": "3"}},
        "chat": {"user": {"name": "users/1"}, "buttonClickedPayload": {
            "space": {"name": "spaces/AAAA"}, "message": {"name": "spaces/AAAA/messages/CARD"}}}
    }));
    let Event::CardClicked(c) = &click else {
        panic!("{click:?}")
    };
    assert_eq!(
        (c.action_name(), c.parameter("clicks")),
        (Some("update_card"), Some("3"))
    );
    assert_eq!(c.message().unwrap().name(), "spaces/AAAA/messages/CARD");
    assert_eq!(c.space().unwrap().name(), "spaces/AAAA");

    let submit = event(json!({
        "commonEventObject": {"invokedFunction": "send", "formInputs": {"feedback": {"stringInputs": {"value": ["ok"]}}}},
        "chat": {"buttonClickedPayload": {"isDialogEvent": true, "dialogEventType": "SUBMIT_DIALOG", "space": {"name": "spaces/A"}}}
    }));
    assert!(matches!(&submit, Event::DialogSubmitted(s) if s.form_input("feedback") == Some("ok")));
    let command = event(json!({"chat": {"appCommandPayload": {
        "appCommandMetadata": {"appCommandId": 2, "appCommandType": "SLASH_COMMAND"},
        "space": {"name": "spaces/A"}, "isDialogEvent": true, "dialogEventType": "REQUEST_DIALOG"}}}));
    assert!(matches!(&command, Event::DialogRequested(c) if c.command_id() == Some(2)));
    let plain =
        event(json!({"chat": {"appCommandPayload": {"appCommandMetadata": {"appCommandId": 1}}}}));
    assert!(matches!(&plain, Event::AppCommand(c) if c.command_id() == Some(1)));
    assert!(matches!(
        event(
            json!({"chat": {"addedToSpacePayload": {"space": {"name": "spaces/A"}, "interactionAdd": false}}})
        ),
        Event::AddedToSpace(_)
    ));
    assert!(matches!(
        event(json!({"chat": {"removedFromSpacePayload": {"space": {"name": "spaces/A"}}}})),
        Event::RemovedFromSpace(_)
    ));
    assert!(matches!(
        event(json!({"chat": {"widgetUpdatedPayload": {"space": {"name": "spaces/A"}}}})),
        Event::WidgetUpdated(_)
    ));
}

fn card() -> Card {
    Card::new().set_header(CardHeader::new().set_title("T"))
}

#[test]
fn answers_take_each_envelope() {
    let card_json = json!({"header": {"title": "T"}});
    let message = Message::new().set_text("hi");
    let cases = [
        (Answer::empty(), json!({}), json!({})),
        (
            Answer::message(message.clone()),
            json!({"text": "hi"}),
            json!({"hostAppDataAction": {"chatDataAction": {"createMessageAction": {"message": {"text": "hi"}}}}}),
        ),
        (
            Answer::text("hi"),
            json!({"text": "hi"}),
            json!({"hostAppDataAction": {"chatDataAction": {"createMessageAction": {"message": {"text": "hi"}}}}}),
        ),
        (
            Answer::update_message(message),
            json!({"text": "hi", "actionResponse": {"type": "UPDATE_MESSAGE"}}),
            json!({"hostAppDataAction": {"chatDataAction": {"updateMessageAction": {"message": {"text": "hi"}}}}}),
        ),
        (
            Answer::update_user_message_cards([CardWithId::new()
                .set_card_id("c")
                .set_card(card())]),
            json!({"actionResponse": {"type": "UPDATE_USER_MESSAGE_CARDS"}, "cardsV2": [{"cardId": "c", "card": card_json}]}),
            json!({"hostAppDataAction": {"chatDataAction": {"updateInlinePreviewAction": {"cardsV2": [{"cardId": "c", "card": card_json}]}}}}),
        ),
        (
            Answer::request_config("https://example.com/auth", "My App"),
            json!({"actionResponse": {"type": "REQUEST_CONFIG", "url": "https://example.com/auth"}}),
            json!({"basicAuthorizationPrompt": {"authorizationUrl": "https://example.com/auth", "resource": "My App"}}),
        ),
        (
            Answer::open_dialog(card()),
            json!({"actionResponse": {"type": "DIALOG", "dialogAction": {"dialog": {"body": card_json}}}}),
            json!({"action": {"navigations": [{"pushCard": card_json}]}}),
        ),
        (
            Answer::update_dialog(card()),
            json!({"actionResponse": {"type": "DIALOG", "dialogAction": {"dialog": {"body": card_json}}}}),
            json!({"action": {"navigations": [{"updateCard": card_json}]}}),
        ),
        (
            Answer::close_dialog(),
            json!({"actionResponse": {"type": "DIALOG", "dialogAction": {"actionStatus": {"statusCode": "OK"}}}}),
            json!({"action": {"navigations": [{"endNavigation": {"action": "CLOSE_DIALOG"}}]}}),
        ),
        (
            Answer::close_dialog_with_notice("Saved"),
            json!({"actionResponse": {"type": "DIALOG", "dialogAction": {"actionStatus": {"statusCode": "OK", "userFacingMessage": "Saved"}}}}),
            json!({"action": {"navigations": [{"endNavigation": {"action": "CLOSE_DIALOG"}}], "notification": {"text": "Saved"}}}),
        ),
        (
            Answer::suggestions(
                "contacts",
                [SelectionItem::new().set_text("Ada").set_value("ada")],
            ),
            json!({"actionResponse": {"type": "UPDATE_WIDGET", "updatedWidget": {"widget": "contacts",
                "suggestions": {"items": [{"text": "Ada", "value": "ada"}]}}}}),
            json!({"action": {"modifyOperations": [{"updateWidget": {"selectionInputWidgetSuggestions":
                {"suggestions": [{"text": "Ada", "value": "ada"}]}}}]}}),
        ),
    ];
    for (answer, classic, add_on) in cases {
        assert_eq!(answer.to_json(Format::Classic), classic, "{answer:?}");
        assert_eq!(answer.to_json(Format::AddOn), add_on, "{answer:?}");
    }
}

fn signer() -> &'static Signer {
    static SIGNER: OnceLock<Signer> = OnceLock::new();
    SIGNER.get_or_init(|| {
        let key = rsa::RsaPrivateKey::new(&mut rsa::rand_core::OsRng, 2048).unwrap();
        Signer::from_pkcs8("k", key.to_pkcs8_der().unwrap().as_bytes()).unwrap()
    })
}

fn token() -> String {
    let t = SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .unwrap()
        .as_secs();
    signer().sign(&json!({"iss": CHAT_ISSUER, "aud": "42", "iat": t, "exp": t + 600}))
}

#[tokio::test]
async fn the_endpoint_core_maps_each_refusal_to_its_status() {
    let server = MockServer::start().await;
    Mock::given(path("/keys"))
        .respond_with(ResponseTemplate::new(200).set_body_string(jwk_set(&[signer()])))
        .mount(&server)
        .await;
    let endpoint =
        Endpoint::new(ChatAuth::project_number("42").keys_url(format!("{}/keys", server.uri())))
            .unwrap()
            .body_limit(1000);
    let good = format!("Bearer {}", token());
    let body = br#"{"type": "MESSAGE", "message": {"text": "hi"}}"#;

    let e = endpoint.receive(Some(good.as_bytes()), body).await.unwrap();
    assert!(matches!(e, Event::Message(_)));
    // The scheme is case-insensitive.
    let lower = good.replacen("Bearer", "bearer", 1);
    assert!(endpoint.receive(Some(lower.as_bytes()), body).await.is_ok());

    // (Authorization header, body, expected status)
    type Case<'a> = (Option<&'a [u8]>, Vec<u8>, u16);
    let cases: Vec<Case> = vec![
        (None, body.to_vec(), 401),
        (Some(b"Basic dXNlcjpwYXNz"), body.to_vec(), 401),
        (Some(b"Bearer"), body.to_vec(), 401),
        (Some(b"Bearer \xff\xfe"), body.to_vec(), 401),
        (Some(b"Bearer a.b.c"), body.to_vec(), 401),
        (Some(good.as_bytes()), vec![b' '; 1001], 413),
        (Some(good.as_bytes()), b"{\"type\": ".to_vec(), 400),
        (Some(good.as_bytes()), b"[1, 2]".to_vec(), 400),
        (
            Some(good.as_bytes()),
            br#"{"type": "MESSAGE", "message": "eyJsecret"}"#.to_vec(),
            400,
        ),
    ];
    for (header, body, status) in cases {
        let rejection = endpoint.receive(header, &body).await.unwrap_err();
        assert_eq!(rejection.status(), status, "{rejection}");
        let reply = rejection.reply();
        assert_eq!(reply.status, status);
        let text = String::from_utf8(reply.body).unwrap();
        assert!(
            !text.contains("eyJsecret") && !text.contains(&good[7..]),
            "{text}"
        );
    }
    let wrong = endpoint
        .receive(Some(b"Bearer a.b.c"), body)
        .await
        .unwrap_err();
    assert!(
        matches!(wrong, Rejection::Token(IdTokenError::Malformed { .. })),
        "{wrong:?}"
    );

    // The whole exchange: the handler's answer in the event's envelope.
    let reply = endpoint
        .handle(Some(good.as_bytes()), body, |e| async move {
            Answer::text(format!("got {}", e.interaction().text()))
        })
        .await;
    assert_eq!(reply.status, 200);
    assert_eq!(
        serde_json::from_slice::<Value>(&reply.body).unwrap(),
        json!({"text": "got hi"})
    );

    // Keys that cannot be fetched: 503, not 401.
    let down =
        Endpoint::new(ChatAuth::project_number("42").keys_url(format!("{}/missing", server.uri())))
            .unwrap();
    let rejection = down.receive(Some(good.as_bytes()), body).await.unwrap_err();
    assert_eq!(rejection.status(), 503, "{rejection}");
}

#[test]
fn app_types_are_send_sync() {
    fn send_sync<T: Send + Sync + std::fmt::Debug>() {}
    send_sync::<Endpoint>();
    send_sync::<Event>();
    send_sync::<Answer>();
    send_sync::<Rejection>();
    send_sync::<ChatAuth>();
}
