//! Google API Discovery documents: the format and what reviews read.
//!
//! - [`document::Document`]: exactly what Google serves, parsed and validated (every
//!   error names the file and the JSON path).
//! - [`surface::Surface`]: a flat line-per-item listing of an API, its diffs and their
//!   reports. Surfaces are built from the generator's model (the `codegen` crate, which
//!   owns every Rust name); this crate knows nothing of Rust naming.

pub mod document;
pub mod error;
pub mod surface;
pub mod testing;

pub use document::{Document, revision_order};
pub use error::{Error, Result};
