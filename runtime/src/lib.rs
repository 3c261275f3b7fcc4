//! The runtime of generated Google API clients (such as `chat-api`): the client and its
//! builder, authentication, the transport (retries, one token refresh on 401, error
//! mapping), media upload and download, pagination, and the wire types models use.
//!
//! It knows no API: a generated crate describes its API with a [`contract::Service`]
//! (root URL, service path, default scopes, error hints) and its methods with
//! [`contract::MethodInfo`]s. Users normally depend on the generated crate, which
//! re-exports what they need from here.
//!
//! Layers, bottom up, each using only those below it (`tests/layers.rs` checks that
//! no module refers back to one that refers to it): `service` (what an API is),
//! `request` (method descriptions, one call's values, path expansion), `error`,
//! `retry` (the policy) and `retry_loop` (the one send-and-retry loop), `params`
//! (standard parameters and per-call options), `auth` (credentials and the token cache),
//! `transport` (one call sent), `upload` / `download` / `media`, then the [`Client`]
//! facade and its [`ClientBuilder`]. [`contract`] is what generated code calls.

pub mod auth;
mod builder;
mod client;
#[doc(hidden)]
pub mod contract;
mod download;
mod error;
#[cfg(feature = "id-token")]
mod fetch;
#[cfg(feature = "id-token")]
pub mod id_token;
mod json_object;
mod json_path;
pub mod media;
mod pagination;
mod params;
mod request;
mod resource_name;
mod retry;
mod retry_loop;
mod service;
mod stream_body;
mod transport;
pub mod types;
mod upload;
mod upload_session;
mod wire;

pub use auth::{AccessToken, Credentials, TokenProvider};
pub use builder::ClientBuilder;
pub use client::Client;
pub use error::{ApiError, Error, INSUFFICIENT_SCOPES_HINT, Result};
pub use pagination::{PageItems, PageStream, Pageable};

/// The futures of [`PageStream`]'s methods.
pub mod stream {
    pub use crate::pagination::{Next, TryNext};
}
pub use params::{RequestOptions, StandardParams, WithStandardParams};
pub use resource_name::InvalidName;
pub use retry::RetryPolicy;
