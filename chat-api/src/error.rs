//! The one error type of the crate. (Issue 4 completes this.)

/// A `Result` with this crate's [`Error`].
pub type Result<T, E = Error> = std::result::Result<T, E>;

/// Everything that can go wrong calling the API.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum Error {
    /// Placeholder until the runtime lands.
    #[error("not implemented")]
    Unimplemented,
}
