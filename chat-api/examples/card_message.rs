//! The "Create and update interactive cards" seed: a user creates a message with a card,
//! then the Chat app replaces the card (`replaceCards` is a Developer Preview method, so
//! this example needs `--features developer-preview`).
//!
//! ```text
//! cargo run -p chat-api --features developer-preview --example card_message -- \
//!     credentials.json service_account.json spaces/SPACE_NAME
//! ```
//!
//! `credentials.json` holds authorized-user credentials (what
//! `gcloud auth application-default login --scopes=...chat.messages.create` writes);
//! `service_account.json` is the Chat app's key. `CHAT_API_KEY` (optional) is sent as
//! the Developer Preview API key; `CHAT_API_BASE_URL` points at an emulator.

use chat_api::models::{
    CardWithId, GoogleAppsCardV1Card, GoogleAppsCardV1CardHeader, GoogleAppsCardV1Section,
    GoogleAppsCardV1TextParagraph, GoogleAppsCardV1Widget, Message, ReplaceMessageCardsRequest,
};
use chat_api::{Client, ClientBuilder, Credentials};

/// A card with one text paragraph; `card_id` lets the app find and replace it later.
fn card(title: &str, text: &str) -> CardWithId {
    CardWithId {
        card_id: Some("unique-card-id".into()),
        card: Some(GoogleAppsCardV1Card {
            header: Some(GoogleAppsCardV1CardHeader {
                title: Some(title.into()),
                subtitle: Some("Card Subtitle".into()),
                ..Default::default()
            }),
            sections: Some(vec![GoogleAppsCardV1Section {
                widgets: Some(vec![GoogleAppsCardV1Widget {
                    text_paragraph: Some(GoogleAppsCardV1TextParagraph {
                        text: Some(text.into()),
                        ..Default::default()
                    }),
                    ..Default::default()
                }]),
                ..Default::default()
            }]),
            ..Default::default()
        }),
    }
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
    let message = Message {
        text: Some("Here is a card created on my behalf:".into()),
        cards_v2: Some(vec![card(
            "Card Title",
            "This card is attached to a user message.",
        )]),
        ..Default::default()
    };
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
    let request = ReplaceMessageCardsRequest {
        cards_v2: Some(vec![card("Updated Card Title", "Status: Completed")]),
    };
    app.spaces()
        .messages()
        .replace_cards(&name, request)
        .send()
        .await?;
    println!("replaced the cards of {name}");
    Ok(())
}
