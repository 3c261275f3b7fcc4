//! An interactive Chat app (features `axum`): the card of the guide "Create and update
//! interactive cards", with a button; a click updates the card in place; a slash command;
//! a dialog that opens, validates its input and closes.
//!
//! Against Google (the endpoint must be reachable over HTTPS, e.g. behind a proxy):
//!
//! ```text
//! CHAT_PROJECT_NUMBER=1234567890 cargo run -p chat-api --features axum --example interactive_app
//! CHAT_ENDPOINT_URL=https://example.com/ cargo run -p chat-api --features axum --example interactive_app
//! ```
//!
//! (the first when the Chat API configuration page's "Authentication audience" is
//! "Project number", the second for "HTTP endpoint URL"). `PORT` (default 8080) is the
//! port; `CHAT_KEYS_URL` replaces Google's key URL (an emulator's).
//!
//! Locally, without Google: `-- --local` makes a signing key, serves it at `/keys` on the
//! same server, and prints a `curl` command that posts a signed `CARD_CLICKED` event.

use std::time::{SystemTime, UNIX_EPOCH};

use axum::Router;
use chat_api::app::{Answer, ChatAuth, Endpoint, Event};
use chat_api::cards::{
    Action, ActionParameter, Button, ButtonList, Card, CardHeader, CardWithId, OnClick, Section,
    TextInput, TextParagraph, Widget,
};
use chat_api::models::Message;

/// The slash command `/about` (its id in the Chat API configuration page).
pub const ABOUT_COMMAND: i64 = 1;
/// The slash command `/feedback`, which opens the dialog.
pub const FEEDBACK_COMMAND: i64 = 2;

/// The guide's card (`unique-card-id`, "Card Title" / "Card Subtitle"), with a button
/// whose click updates it; `clicks` counts the clicks so far.
pub fn guide_card(clicks: u32) -> CardWithId {
    let (title, subtitle, text) = if clicks == 0 {
        (
            "Card Title".to_owned(),
            "Card Subtitle".to_owned(),
            "This card is attached to a user message.".to_owned(),
        )
    } else {
        (
            "Updated Card Title".to_owned(),
            "Updated Card Subtitle".to_owned(),
            format!("The card content has been updated {clicks} time(s)."),
        )
    };
    let update = Action::new()
        .set_function("update_card")
        .set_parameters([ActionParameter::new()
            .set_key("clicks")
            .set_value(clicks.to_string())]);
    CardWithId::new().set_card_id("unique-card-id").set_card(
        Card::new()
            .set_header(CardHeader::new().set_title(title).set_subtitle(subtitle))
            .set_sections([Section::new().set_widgets([
                Widget::from(TextParagraph::new().set_text(text)),
                Widget::from(
                    ButtonList::new().set_buttons([Button::new()
                        .set_text("Update")
                        .set_on_click(OnClick::new().set_action(update))]),
                ),
            ])]),
    )
}

/// The feedback dialog; `error` is shown above the input after a failed validation.
pub fn feedback_dialog(error: Option<&str>) -> Card {
    let mut widgets = Vec::new();
    if let Some(error) = error {
        widgets.push(Widget::from(
            TextParagraph::new().set_text(format!("<font color=\"#d93025\">{error}</font>")),
        ));
    }
    widgets.push(Widget::from(
        TextInput::new()
            .set_name("feedback")
            .set_label("Your feedback"),
    ));
    widgets.push(Widget::from(ButtonList::new().set_buttons(
        [
            Button::new().set_text("Send").set_on_click(
                OnClick::new().set_action(Action::new().set_function("send_feedback")),
            ),
        ],
    )));
    Card::new()
        .set_header(CardHeader::new().set_title("Send feedback"))
        .set_sections([Section::new().set_widgets(widgets)])
}

/// The app: one answer per event.
pub async fn answer(event: Event) -> Answer {
    match event {
        Event::AddedToSpace(_) => Answer::text(
            "Thanks for adding me! Send me a message for a card; /feedback opens a dialog.",
        ),
        Event::Message(message) => Answer::message(
            Message::new()
                .set_text(format!("You said: {}", message.text()))
                .set_cards_v2([guide_card(0)]),
        ),
        Event::CardClicked(click) if click.action_name() == Some("update_card") => {
            let clicks: u32 = click
                .parameter("clicks")
                .and_then(|c| c.parse().ok())
                .unwrap_or(0);
            Answer::update_message(Message::new().set_cards_v2([guide_card(clicks + 1)]))
        }
        Event::AppCommand(command) => match command.command_id() {
            Some(ABOUT_COMMAND) => Answer::text("An interactive card, a slash command, a dialog."),
            Some(FEEDBACK_COMMAND) => Answer::open_dialog(feedback_dialog(None)),
            _ => Answer::text("I do not know that command."),
        },
        Event::DialogRequested(_) => Answer::open_dialog(feedback_dialog(None)),
        Event::DialogSubmitted(dialog) => match dialog.form_input("feedback").map(str::trim) {
            Some(text) if !text.is_empty() => {
                Answer::close_dialog_with_notice("Thanks for your feedback!")
            }
            _ => Answer::update_dialog(feedback_dialog(Some("Please write some feedback."))),
        },
        Event::DialogCancelled(_) => Answer::close_dialog(),
        _ => Answer::empty(),
    }
}

/// The app's routes: Chat posts to `/`.
pub fn router(endpoint: Endpoint) -> Router {
    Router::new().route("/", chat_api::app::axum::post(endpoint, answer))
}

#[allow(
    dead_code,
    reason = "the end-to-end test includes this file and has its own main"
)]
#[tokio::main]
async fn main() -> Result<(), Box<dyn std::error::Error>> {
    let port: u16 = std::env::var("PORT")
        .ok()
        .and_then(|p| p.parse().ok())
        .unwrap_or(8080);
    let local = std::env::args().any(|a| a == "--local");
    let listener = tokio::net::TcpListener::bind(if local {
        format!("127.0.0.1:{port}")
    } else {
        format!("0.0.0.0:{port}")
    })
    .await?;
    let address = listener.local_addr()?;
    let (auth, extra) = if local {
        local_mode(address)?
    } else if let Ok(number) = std::env::var("CHAT_PROJECT_NUMBER") {
        (ChatAuth::project_number(number), Router::new())
    } else if let Ok(url) = std::env::var("CHAT_ENDPOINT_URL") {
        (ChatAuth::endpoint_url(url), Router::new())
    } else {
        return Err("set CHAT_PROJECT_NUMBER or CHAT_ENDPOINT_URL, or pass --local".into());
    };
    let auth = match std::env::var("CHAT_KEYS_URL") {
        Ok(url) if !local => auth.keys_url(url),
        _ => auth,
    };
    let app = router(Endpoint::new(auth)?).merge(extra);
    println!("listening on http://{address}/");
    axum::serve(listener, app).await?;
    Ok(())
}

/// `--local`: a test key served at `/keys`, and a signed sample request to try.
#[allow(dead_code, reason = "used by main only")]
fn local_mode(
    address: std::net::SocketAddr,
) -> Result<(ChatAuth, Router), Box<dyn std::error::Error>> {
    use chat_api::app::CHAT_ISSUER;
    use chat_api::app::id_token::{Signer, jwk_set};
    use rsa::pkcs8::EncodePrivateKey as _;

    const PROJECT: &str = "1234567890";
    let key = rsa::RsaPrivateKey::new(&mut rsa::rand_core::OsRng, 2048)?;
    let signer = Signer::from_pkcs8("local-key", key.to_pkcs8_der()?.as_bytes())?;
    let keys = jwk_set(&[&signer]);
    let now = SystemTime::now().duration_since(UNIX_EPOCH)?.as_secs();
    let token = signer.sign(&serde_json::json!({
        "iss": CHAT_ISSUER, "aud": PROJECT, "iat": now, "exp": now + 3600,
    }));
    let event = serde_json::json!({
        "type": "CARD_CLICKED",
        "space": {"name": "spaces/AAAA"},
        "user": {"name": "users/123", "displayName": "Tester"},
        "message": {"name": "spaces/AAAA/messages/BBBB"},
        "common": {"invokedFunction": "update_card", "parameters": {"clicks": "0"}},
    });
    println!(
        "try:\ncurl -s -H 'Authorization: Bearer {token}' -H 'Content-Type: application/json' \\\n  -d '{event}' http://{address}/"
    );
    let auth = ChatAuth::project_number(PROJECT).keys_url(format!("http://{address}/keys"));
    let routes = Router::new().route("/keys", axum::routing::get(move || async move { keys }));
    Ok((auth, routes))
}
