//! The "Create and update interactive cards" seed: a user creates a message with a card,
//! then the Chat app replaces the card (`replaceCards`, stable since revision 20261107).
//!
//! ```text
//! cargo run -p chat-api --example card_message -- \
//!     credentials.json service_account.json spaces/SPACE_NAME
//! ```
//!
//! `credentials.json` holds authorized-user credentials (what
//! `gcloud auth application-default login --scopes=...chat.messages.create` writes);
//! `service_account.json` is the Chat app's key. `CHAT_API_KEY` (optional) is sent as
//! the Developer Preview API key; `CHAT_API_BASE_URL` points at an emulator.

use chat_api::cards::{Card, CardHeader, CardWithId, Section, TextParagraph};
use chat_api::models::{Message, ReplaceMessageCardsRequest};
use chat_api::{Client, ClientBuilder, Credentials};

/// A card with one text paragraph; `card_id` lets the app find and replace it later.
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

fn builder(credentials: Credentials) -> ClientBuilder {
    let mut builder = Client::builder().credentials(credentials);
    if let Ok(url) = std::env::var("CHAT_API_BASE_URL") {
        builder = builder.base_url(url);
    }
    if let Ok(key) = std::env::var("CHAT_API_KEY") {
        builder = builder.api_key(key);
    }
    builder
}

#[tokio::main]
async fn main() -> std::process::ExitCode {
    match run().await {
        Ok(()) => std::process::ExitCode::SUCCESS,
        Err(e) => {
            // Display, not Debug: API errors print their status, message and hint.
            eprintln!("error: {e}");
            std::process::ExitCode::FAILURE
        }
    }
}

async fn run() -> Result<(), Box<dyn std::error::Error>> {
    let usage = "usage: card_message <credentials.json> <service_account.json> <spaces/SPACE>";
    let mut args = std::env::args().skip(1);
    let user_credentials = args.next().ok_or(usage)?;
    let app_key = args.next().ok_or(usage)?;
    let space = args.next().ok_or(usage)?;

    // 1. As the user: create a message with a card.
    let user = builder(Credentials::authorized_user_file(&user_credentials)?).build()?;
    let message = Message::new()
        .set_text("Here is a card created on my behalf:")
        .set_cards_v2([card(
            "Card Title",
            "This card is attached to a user message.",
        )]);
    let created = user
        .spaces()
        .messages()
        .create(&space, message)
        .send()
        .await?;
    let name = created.name.ok_or("the created message has no name")?;
    println!("created {name}");

    // 2. As the app: replace the card.
    let app = builder(Credentials::service_account_file(&app_key)?).build()?;
    let request = ReplaceMessageCardsRequest::new()
        .set_cards_v2([card("Updated Card Title", "Status: Completed")]);
    app.spaces()
        .messages()
        .replace_cards(&name, request)
        .send()
        .await?;
    println!("replaced the cards of {name}");
    Ok(())
}
