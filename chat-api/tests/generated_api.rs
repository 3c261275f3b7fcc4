//! The generated API as a user sees it: call shapes compile, futures are `Send`, and
//! models decode the wire formats (unknown enum values, int64 strings, timestamps).

use chat_api::models::{self, Message, Space};
use chat_api::{Client, WithStandardParams};

fn assert_send<T: Send>(_: &T) {}

/// The seed flows' call shapes. Never run (there is no server here); compiling is the test.
fn call_shapes(client: &Client) {
    let message = Message::new().set_text("Hello");
    let create = client
        .spaces()
        .messages()
        .create("spaces/AAA", message)
        .message_id("client-hello")
        .fields("name,text")
        .send();
    assert_send(&create);

    let list = client
        .spaces()
        .messages()
        .list("spaces/AAA")
        .page_size(10)
        .filter("createTime > \"2024-01-01T00:00:00Z\"");
    assert_send(&list.clone().send());
    assert_send(&list.clone().pages());
    assert_send(&list.stream());

    let patch = client
        .spaces()
        .messages()
        .patch("spaces/AAA/messages/BBB", Message::default())
        .update_mask("text,cardsV2")
        .allow_missing(true)
        .send();
    assert_send(&patch);

    let download = client
        .media()
        .download("spaces/AAA/messages/BBB/attachments/CCC")
        .fetch_media();
    assert_send(&download);
    let get = client.spaces().get("spaces/AAA").send();
    assert_send(&get);
    let _: Option<Space> = None;
}

#[cfg(feature = "developer-preview")]
fn preview_call_shapes(client: &Client) {
    let replace = client
        .spaces()
        .messages()
        .replace_cards(
            "spaces/AAA/messages/BBB",
            models::ReplaceMessageCardsRequest::default(),
        )
        .send();
    assert_send(&replace);
}

#[test]
fn call_shapes_compile() {
    let _: fn(&Client) = call_shapes;
    #[cfg(feature = "developer-preview")]
    let _: fn(&Client) = preview_call_shapes;
}

#[test]
fn models_decode_wire_formats_and_keep_unknown_values() {
    let json = r#"{
        "name": "spaces/AAA/messages/BBB",
        "createTime": "2024-05-01T12:30:00.125Z",
        "text": "hi",
        "space": {"name": "spaces/AAA", "spaceType": "SOMETHING_NEW", "type": "ROOM"},
        "somethingTheServerAddedLater": {"x": 1}
    }"#;
    let message: Message = serde_json::from_str(json).unwrap();
    let space = message.space.as_ref().unwrap();
    assert_eq!(space.space_type.as_ref().unwrap().as_str(), "SOMETHING_NEW");
    assert_eq!(
        message.create_time.unwrap().to_string(),
        "2024-05-01T12:30:00.125Z"
    );
    let back = serde_json::to_value(&message).unwrap();
    assert_eq!(back["space"]["spaceType"], "SOMETHING_NEW");
    assert_eq!(back["createTime"], "2024-05-01T12:30:00.125Z");
    assert!(back.get("thread").is_none(), "None fields are skipped");
}

#[test]
fn enums_default_to_the_unspecified_value() {
    assert_eq!(
        models::SpaceSpaceType::default().as_str(),
        "SPACE_TYPE_UNSPECIFIED"
    );
    assert_eq!(
        models::SpaceSpaceType::from("SPACE"),
        models::SpaceSpaceType::Space
    );
    assert_eq!(models::SpaceSpaceType::Space.to_string(), "SPACE");
}
