mod common;

use chat_api::models::Message;

#[tokio::test]
async fn app_posts_and_lists() {
    let (fake, space) = common::team().await;
    let app = fake.app_client().unwrap();
    let sent = app
        .spaces()
        .messages()
        .create(&space, Message::new().set_text("hi"))
        .send()
        .await
        .unwrap();
    assert!(sent.name().starts_with("spaces/AAAA/messages/"));
    let alice = fake.user_client("alice").unwrap();
    let list = alice.spaces().messages().list(&space).send().await.unwrap();
    assert_eq!(list.messages.len(), 1);
    assert_eq!(list.messages[0].text(), "hi");
}
