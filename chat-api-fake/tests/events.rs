//! Events to the app under test, end to end: the fake signs them as Chat does, the
//! app verifies them with `chat_api::app` pointed at the fake's keys, and the app's
//! answers (a new message, an updated card) land in the fake.

mod common;

use chat_api::app::{Answer, ChatAuth, Endpoint, Event};
use chat_api::cards::{
    Action, ActionParameter, Button, ButtonList, Card, CardWithId, OnClick, Section, TextParagraph,
    Widget,
};
use chat_api::models::Message;
use chat_api_fake::events::Audience;

fn counter_card(count: u32) -> CardWithId {
    let click = Action::new()
        .set_function("increment")
        .set_parameters([ActionParameter::new()
            .set_key("count")
            .set_value(count.to_string())]);
    CardWithId::new().set_card_id("counter").set_card(
        Card::new().set_sections([Section::new().set_widgets([
            Widget::from(TextParagraph::new().set_text(format!("Clicked {count} times"))),
            Widget::from(
                ButtonList::new().set_buttons([Button::new()
                    .set_text("+1")
                    .set_on_click(OnClick::new().set_action(click))]),
            ),
        ])]),
    )
}

async fn answer(event: Event) -> Answer {
    match event {
        Event::Message(_) => Answer::message(
            Message::new()
                .set_text("counter")
                .set_cards_v2([counter_card(0)]),
        ),
        Event::CardClicked(click) if click.action_name() == Some("increment") => {
            let count: u32 = click
                .parameter("count")
                .and_then(|c| c.parse().ok())
                .unwrap_or(0);
            Answer::update_message(Message::new().set_cards_v2([counter_card(count + 1)]))
        }
        Event::AddedToSpace(_) => Answer::text("Thanks for adding me"),
        Event::AppCommand(command) => Answer::text(format!(
            "command {:?}: {}",
            command.command_id(),
            command.text()
        )),
        _ => Answer::empty(),
    }
}

/// Serves the app on 127.0.0.1 with `auth`; returns its URL.
async fn serve_app(auth: ChatAuth) -> String {
    let endpoint = Endpoint::new(auth).unwrap();
    let router = axum::Router::new().route("/chat", chat_api::app::axum::post(endpoint, answer));
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let url = format!("http://{}/chat", listener.local_addr().unwrap());
    tokio::spawn(async move { axum::serve(listener, router).await.unwrap() });
    url
}

fn card_text(m: &Message) -> String {
    let w = &m.cards_v2[0].card.as_ref().unwrap().sections[0].widgets[0];
    w.text_paragraph.as_ref().unwrap().text().to_owned()
}

#[tokio::test]
async fn message_then_click_updates_the_card_in_place() {
    let (fake, space) = common::team().await;
    let url = serve_app(ChatAuth::project_number("123456789").keys_url(fake.x509_keys_url())).await;
    fake.set_app_endpoint(&url, Audience::ProjectNumber("123456789".into()));

    let outcome = fake
        .send_message(&space, "alice", "hello app")
        .await
        .unwrap();
    assert_eq!(outcome.status, 200);
    let card_message = outcome.created.unwrap();
    assert_eq!(card_message.sender.as_ref().unwrap().name(), "users/app");
    // The answer is a reply in the user's thread.
    assert_eq!(card_message.thread, outcome.event_message.unwrap().thread);
    assert_eq!(card_text(&card_message), "Clicked 0 times");

    for expected in ["Clicked 1 times", "Clicked 2 times"] {
        let current = fake.messages(&space).unwrap().pop().unwrap();
        let count = current.cards_v2[0].card.as_ref().unwrap().sections[0].widgets[1]
            .button_list
            .as_ref()
            .unwrap()
            .buttons[0]
            .on_click
            .as_ref()
            .unwrap()
            .action
            .as_ref()
            .unwrap()
            .parameters[0]
            .value()
            .to_owned();
        let clicked = fake
            .click_card(current.name(), "bob", "increment", &[("count", &count)])
            .await
            .unwrap();
        assert_eq!(card_text(clicked.updated.as_ref().unwrap()), expected);
    }
    let stored = fake.messages(&space).unwrap();
    assert_eq!(
        stored.len(),
        2,
        "the user's message and the app's card, updated in place"
    );
    assert_eq!(card_text(&stored[1]), "Clicked 2 times");
}

#[tokio::test]
async fn slash_command_with_the_endpoint_url_audience() {
    let (fake, space) = common::team().await;
    let url = {
        // The endpoint URL is known once the app listens; the verifier needs it.
        let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
        let url = format!("http://{}/chat", listener.local_addr().unwrap());
        let endpoint =
            Endpoint::new(ChatAuth::endpoint_url(url.clone()).keys_url(fake.jwk_keys_url()))
                .unwrap();
        let router =
            axum::Router::new().route("/chat", chat_api::app::axum::post(endpoint, answer));
        tokio::spawn(async move { axum::serve(listener, router).await.unwrap() });
        url
    };
    fake.set_app_endpoint(&url, Audience::EndpointUrl);
    let outcome = fake
        .send_slash_command(&space, "alice", 7, "/deploy prod")
        .await
        .unwrap();
    // The app reads `argumentText`: the command's arguments, as Chat sends them.
    assert_eq!(outcome.created.unwrap().text(), "command Some(7): prod");
    assert_eq!(outcome.event_message.unwrap().text(), "/deploy prod");
}

#[tokio::test]
async fn a_token_for_another_audience_is_refused_by_the_app_and_changes_nothing() {
    let (fake, space) = common::team().await;
    let url = serve_app(ChatAuth::project_number("123456789").keys_url(fake.x509_keys_url())).await;
    fake.set_app_endpoint(&url, Audience::ProjectNumber("999".into()));
    let outcome = fake.send_message(&space, "alice", "hello").await.unwrap();
    assert_eq!(outcome.status, 401);
    assert!(outcome.created.is_none());
    assert_eq!(
        fake.messages(&space).unwrap().len(),
        1,
        "only the user's message"
    );
}

#[tokio::test]
async fn adding_the_app_sends_added_to_space_and_its_welcome_is_posted() {
    let fake = chat_api_fake::FakeChat::start().await.unwrap();
    let space = fake.add_space("NEW", "New space").unwrap();
    fake.add_user("alice", "Alice").unwrap();
    fake.add_member(&space, "alice").unwrap();
    let url = serve_app(ChatAuth::project_number("42").keys_url(fake.jwk_keys_url())).await;
    fake.set_app_endpoint(&url, Audience::ProjectNumber("42".into()));
    let outcome = fake.send_added_to_space(&space, "alice").await.unwrap();
    assert!(outcome.event_message.is_none());
    assert_eq!(outcome.created.unwrap().text(), "Thanks for adding me");
    assert_eq!(fake.members(&space).unwrap().len(), 2);
    // Adding it twice is refused as members.create would refuse it.
    let again = fake.send_added_to_space(&space, "alice").await.unwrap_err();
    assert!(
        matches!(again, chat_api_fake::FakeError::Refused { code: 409, .. }),
        "{again}"
    );
}
