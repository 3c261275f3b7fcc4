//! A typed, async client for the Google Chat API.
//!
//! Generated from the API's Discovery document by this repository's `cargo xtask regen`;
//! see the README for the seed flows (post a message as a Chat app, create and replace
//! cards) and the regeneration workflow.

// Hand-written runtime.
mod client;
mod error;
pub mod media;
mod pagination;
mod params;
mod rt;

// Wire types and serde helpers the generated models use.
pub mod types;
mod wire;

// Generated from the Discovery documents into `src/gen/`: never edit by hand.
// (`gen` is a reserved word in edition 2024, hence the module name.)
#[path = "gen/mod.rs"]
mod generated;

pub use client::{Client, ClientBuilder};
pub use error::{Error, Result};
pub use pagination::Pageable;
pub use params::{StandardParams, WithStandardParams};
