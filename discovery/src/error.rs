//! Errors of loading, validating and normalizing Discovery documents.
//!
//! Every error names the file (or other origin) and the JSON path of the offending
//! item, e.g. `resources.spaces.methods.get.parameters.name`.

/// A `Result` with this crate's [`Error`].
pub type Result<T, E = Error> = std::result::Result<T, E>;

/// What went wrong, and where.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum Error {
    /// The file could not be read.
    #[error("{origin}: cannot read the file")]
    Io {
        /// The file.
        origin: String,
        /// The underlying error.
        #[source]
        source: std::io::Error,
    },
    /// The bytes are not JSON, or JSON of the wrong shape.
    #[error("{origin}: {path}: {message}")]
    Parse {
        /// The file.
        origin: String,
        /// JSON path of the item that failed to parse (`.` for the root).
        path: String,
        /// What the parser said, with line and column.
        message: String,
    },
    /// The document parsed but breaks a rule the generator relies on.
    #[error("{origin}: {path}: {message}")]
    Invalid {
        /// The file.
        origin: String,
        /// JSON path of the offending item.
        path: String,
        /// What is wrong.
        message: String,
    },
}
