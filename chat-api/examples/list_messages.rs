//! Pages through every message of a space with `.stream()`, one page in flight.
//!
//! ```text
//! cargo run -p chat-api --example list_messages -- spaces/AAAA
//! ```
//!
//! Uses Application Default Credentials (`GOOGLE_APPLICATION_CREDENTIALS`, or
//! `gcloud auth application-default login` with a `chat.messages.readonly` scope);
//! `CHAT_API_BASE_URL` points the client at an emulator or test server.

// `PageStream` gives `.stream()` its `try_next()`; no futures crate needed.
use chat_api::{Client, Credentials, PageStream};

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
    let space = std::env::args()
        .nth(1)
        .or_else(|| std::env::var("CHAT_SPACE").ok())
        .ok_or("usage: list_messages <spaces/SPACE>")?;
    let credentials = Credentials::application_default()?
        .with_scopes(["https://www.googleapis.com/auth/chat.messages.readonly"]);
    let mut builder = Client::builder().credentials(credentials);
    if let Ok(url) = std::env::var("CHAT_API_BASE_URL") {
        builder = builder.base_url(url);
    }
    let client = builder.build()?;

    let mut messages = client
        .spaces()
        .messages()
        .list(&space)
        .page_size(100)
        .stream();
    let mut count = 0usize;
    while let Some(message) = messages.try_next().await? {
        count += 1;
        let first_line = message.text().lines().next().unwrap_or_default();
        println!("{}\t{first_line}", message.name());
    }
    println!("{count} messages");
    Ok(())
}
