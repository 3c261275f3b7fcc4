//! A typed, async client for the Google Chat API.
//!
//! Every schema of the API is a type in [`models`]; every method is a request builder
//! reached from [`Client`] through its resources (`client.spaces().messages()`), with
//! required arguments in the constructor, optional parameters as setters, and
//! `.send().await`. List methods also give `.stream()` (every item across pages) and
//! `.pages()`; upload and download methods give `.upload(media)` and `.download()`.
//! Both are generated from Google's Discovery document by this repository's
//! `cargo xtask regen`; the runtime (auth, retries, errors, media) is hand-written.
//!
//! # Post a message as a Chat app
//!
//! ```no_run
//! use chat_api::{Client, Credentials, models::Message};
//!
//! # async fn run() -> chat_api::Result<()> {
//! // A service account key file; the `chat.bot` scope is the default.
//! let client = Client::new(Credentials::service_account_file("service_account.json")?)?;
//! let message = Message { text: Some("Test message".into()), ..Default::default() };
//! let sent = client.spaces().messages().create("spaces/AAAA", message).send().await?;
//! println!("created {}", sent.name.unwrap_or_default());
//! # Ok(())
//! # }
//! ```
//!
//! A 403 "You are not permitted to use this app" comes back as [`Error::Api`] whose
//! message says to add the Chat app to the space.
//!
//! # Features
//!
//! - `developer-preview`: items that exist only in the DEVELOPER_PREVIEW Discovery
//!   document, such as `client.spaces().messages().replace_cards(name, body)`. Without it
//!   the crate is exactly the stable surface.

// Hand-written runtime.
pub mod auth;
mod client;
mod error;
pub mod media;
mod pagination;
mod params;
mod retry;
mod rt;
mod upload;

// Wire types and serde helpers the generated models use.
pub mod types;
mod wire;

// Generated from the Discovery documents into `src/gen/`: never edit by hand.
// (`gen` is a reserved word in edition 2024, hence the module name.)
// prettyplease formats it, so rustfmt must leave it alone.
#[rustfmt::skip]
#[path = "gen/mod.rs"]
mod generated;
pub use generated::{models, resources};

pub use auth::{AccessToken, Credentials, TokenProvider};
pub use client::{Client, ClientBuilder, DEFAULT_BASE_URL, DEFAULT_USER_AGENT};
pub use error::ApiError;
pub use error::{Error, Result};
pub use pagination::Pageable;
pub use params::{StandardParams, WithStandardParams};
pub use retry::RetryPolicy;
