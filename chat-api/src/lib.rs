//! A typed, async client for the Google Chat API.
//!
//! Generated from the API's Discovery document by this repository's `cargo xtask regen`;
//! see the README for the seed flows (post a message as a Chat app, create and replace
//! cards) and the regeneration workflow.

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
#[path = "gen/mod.rs"]
mod generated;
pub use generated::{models, resources};

pub use auth::{AccessToken, Credentials, TokenProvider};
pub use client::{Client, ClientBuilder, DEFAULT_BASE_URL, DEFAULT_USER_AGENT};
pub use error::ApiError;
pub use retry::RetryPolicy;
pub use error::{Error, Result};
pub use pagination::Pageable;
pub use params::{StandardParams, WithStandardParams};
