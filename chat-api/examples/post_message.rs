//! The "Authenticate as a Chat app" seed: a service account posts "Test message" in a
//! space the Chat app is a member of.
//!
//! ```text
//! cargo run -p chat-api --example post_message -- service_account.json spaces/AAAA
//! ```
//!
//! The key file and space may also come from `CHAT_SERVICE_ACCOUNT` and `CHAT_SPACE`;
//! `CHAT_API_BASE_URL` points the client at an emulator or test server.

use chat_api::models::Message;
use chat_api::{Client, Credentials};

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
    let mut args = std::env::args().skip(1);
    let key_file = args
        .next()
        .or_else(|| std::env::var("CHAT_SERVICE_ACCOUNT").ok())
        .ok_or("usage: post_message <service_account.json> <spaces/SPACE>")?;
    let space = args
        .next()
        .or_else(|| std::env::var("CHAT_SPACE").ok())
        .ok_or("usage: post_message <service_account.json> <spaces/SPACE>")?;

    // The `chat.bot` scope is the default for service accounts.
    let mut builder = Client::builder().credentials(Credentials::service_account_file(&key_file)?);
    if let Ok(url) = std::env::var("CHAT_API_BASE_URL") {
        builder = builder.base_url(url);
    }
    let client = builder.build()?;

    let message = Message::new().set_text("Test message");
    // A 403 "You are not permitted to use this app" comes back with a hint: add the
    // Chat app to the space.
    let sent = client
        .spaces()
        .messages()
        .create(&space, message)
        .send()
        .await?;
    println!("created {}", sent.name.unwrap_or_default());
    Ok(())
}
