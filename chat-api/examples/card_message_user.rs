//! "Create a card message on behalf of a user" from the guide "Create and update
//! interactive cards", signed in the way the guide says: with the OAuth client ID file
//! (`credentials.json`, "Desktop app") downloaded from the Cloud console.
//!
//! ```text
//! cargo run -p chat-api --example card_message_user -- credentials.json spaces/SPACE_NAME
//! cargo run -p chat-api --example card_message_user -- credentials.json spaces/SPACE_NAME --paste
//! ```
//!
//! The first run prints a consent URL (and opens the browser where there is one); after
//! you allow access, the browser comes back to a loopback address this program listens
//! on, and the refresh token is cached (`~/.cache/chat-api/oauth-*.json`, mode 0600), so
//! the next runs need no browser. With `--paste` (a machine without a browser), open the
//! URL anywhere and paste the address the browser ends on. Outside the Developer Preview
//! Program, messages created as a user can only hold text; `CHAT_API_KEY` (optional) is
//! sent as the Developer Preview API key, `CHAT_API_BASE_URL` points at an emulator.

use chat_api::auth::{InstalledFlow, PasteRedirect};
use chat_api::cards::{Card, CardHeader, CardWithId, Section, TextParagraph};
use chat_api::models::Message;
use chat_api::{Client, Credentials};

/// The scope of the guide's sample.
const SCOPE: &str = "https://www.googleapis.com/auth/chat.messages.create";

/// The guide's card: a header and one text paragraph, with the id a later
/// `replaceCards` finds it by.
fn card() -> CardWithId {
    CardWithId::new().set_card_id("unique-card-id").set_card(
        Card::new()
            .set_header(
                CardHeader::new()
                    .set_title("Card Title")
                    .set_subtitle("Card Subtitle"),
            )
            .set_sections([Section::new().set_widgets([
                TextParagraph::new().set_text("This card is attached to a user message.")
            ])]),
    )
}

#[tokio::main]
async fn main() -> std::process::ExitCode {
    match run().await {
        Ok(()) => std::process::ExitCode::SUCCESS,
        Err(e) => {
            // Display: auth errors say which credentials, which endpoint and why.
            eprintln!("error: {e}");
            std::process::ExitCode::FAILURE
        }
    }
}

async fn run() -> Result<(), Box<dyn std::error::Error>> {
    let usage = "usage: card_message_user <credentials.json> <spaces/SPACE> [--paste]";
    let mut args = std::env::args().skip(1);
    let client_file = args.next().ok_or(usage)?;
    let space = args.next().ok_or(usage)?;
    let paste = args.next().as_deref() == Some("--paste");

    let mut flow = InstalledFlow::from_file(&client_file)?;
    if paste {
        flow = flow.presenter(PasteRedirect);
    }
    if let Some(path) = flow.token_cache_path(&[SCOPE]) {
        eprintln!("refresh token cache: {}", path.display());
    }
    let credentials: Credentials = flow.into_credentials().with_scopes([SCOPE]);
    let mut builder = Client::builder().credentials(credentials);
    if let Ok(url) = std::env::var("CHAT_API_BASE_URL") {
        builder = builder.base_url(url);
    }
    if let Ok(key) = std::env::var("CHAT_API_KEY") {
        builder = builder.api_key(key);
    }
    let client = builder.build()?;
    // Consent (or the cached refresh token) now, before the call.
    client.authorize().await?;

    let message = Message::new()
        .set_text("Here is a card created on my behalf:")
        .set_cards_v2([card()]);
    let created = client
        .spaces()
        .messages()
        .create(&space, message)
        .send()
        .await?;
    println!("created {}", created.name());
    Ok(())
}
