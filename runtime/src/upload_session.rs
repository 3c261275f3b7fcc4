//! The state of a resumable upload, kept in [`Error::UploadIncomplete`](crate::Error::UploadIncomplete)
//! so that it can be resumed.

use std::fmt;

/// A resumable upload session: its URI and how many bytes the server had last time we
/// asked. Returned inside [`Error::UploadIncomplete`](crate::Error::UploadIncomplete); continue with
/// [`Client::resume_upload`](crate::Client::resume_upload).
///
/// The URI lets anyone append to the upload, so `Debug` and `Display` hide its query
/// (the upload id); [`uri`](Self::uri) gives it whole, to store it deliberately.
#[derive(Clone, PartialEq, Eq)]
pub struct UploadSession {
    pub(crate) method: &'static str,
    pub(crate) uri: String,
    pub(crate) committed: u64,
    pub(crate) total: Option<u64>,
}

impl UploadSession {
    /// A session known only by its URI (for example stored before a restart). `method`
    /// is the upload's method id, used in error messages.
    pub fn from_uri(method: &'static str, uri: impl Into<String>) -> Self {
        Self {
            method,
            uri: uri.into(),
            committed: 0,
            total: None,
        }
    }

    /// The session URI. Treat it as a secret.
    pub fn uri(&self) -> &str {
        &self.uri
    }

    /// Bytes the server had stored when last asked.
    pub fn committed(&self) -> u64 {
        self.committed
    }

    /// The upload's total size, when known.
    pub fn total(&self) -> Option<u64> {
        self.total
    }

    fn redacted_uri(&self) -> &str {
        self.uri.split('?').next().unwrap_or_default()
    }
}

impl fmt::Display for UploadSession {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "{} session {}?…: {} bytes stored",
            self.method,
            self.redacted_uri(),
            self.committed
        )?;
        if let Some(total) = self.total {
            write!(f, " of {total}")?;
        }
        Ok(())
    }
}

impl fmt::Debug for UploadSession {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("UploadSession")
            .field("method", &self.method)
            .field("uri", &format_args!("{}?<redacted>", self.redacted_uri()))
            .field("committed", &self.committed)
            .field("total", &self.total)
            .finish()
    }
}
