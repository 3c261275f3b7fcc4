//! The generator of Google API client crates, as a library: what `cargo xtask regen`
//! (chat-api) and `cargo xtask generate` (any other API) call.
//!
//! Data flows one way: a validated [`discovery::Document`] -> [`model::Model`] (the
//! normalized API, stable and preview merged, every Rust name decided once, avoiding
//! the [`model::reserved`] names) -> Rust tokens -> `syn::File` -> prettyplease ->
//! [`GeneratedFile`]s ([`generate`]), and `Model` -> [`discovery::surface::Surface`]
//! ([`surface()`]) for listings and diffs.

pub mod emit;
pub mod model;
pub mod surface;

pub use emit::{DocContext, GeneratedFile, generate, rustdoc};
pub use model::Model;
pub use surface::{diff_models, surface};
