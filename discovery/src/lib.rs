//! Google API Discovery documents and everything derived from them.
//!
//! Data flows one way: bytes -> [`document::Document`] (exactly what Google serves,
//! validated) -> [`model::Model`] (the normalized API with final Rust names, stable and
//! preview merged) -> [`surface::Surface`] (a flat listing, and diffs of two).

pub mod document;
pub mod error;
pub mod model;
pub mod surface;
pub mod testing;

pub use document::{Document, revision_order};
pub use error::{Error, Result};
pub use model::Model;
