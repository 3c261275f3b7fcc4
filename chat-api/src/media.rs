//! Media upload and download. (Issue 4 completes this.)

/// The bytes to upload, and how.
#[derive(Debug)]
pub struct UploadMedia {
    _private: (),
}

/// A streaming media download.
#[derive(Debug)]
pub struct Download {
    _private: (),
}
