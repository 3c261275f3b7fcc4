//! The client: configuration, auth, and request execution. (Issue 4 completes this.)

use serde::de::DeserializeOwned;

use crate::error::Result;
use crate::media::{Download, UploadMedia};
use crate::rt::ApiRequest;

/// A Google Chat API client. Cheap to clone; `Send + Sync`.
#[derive(Debug, Clone)]
pub struct Client {
    _private: (),
}

/// Builds a [`Client`].
#[derive(Debug, Default)]
pub struct ClientBuilder {
    _private: (),
}

impl Client {
    /// Starts building a client.
    pub fn builder() -> ClientBuilder {
        ClientBuilder::default()
    }

    /// Sends a request and decodes its JSON response (an empty body decodes as `{}`).
    pub(crate) async fn execute<T: DeserializeOwned>(&self, request: ApiRequest) -> Result<T> {
        let _ = request;
        unimplemented!("issue 4")
    }

    /// Sends a request whose response has no body the caller needs.
    pub(crate) async fn execute_empty(&self, request: ApiRequest) -> Result<()> {
        let _ = request;
        unimplemented!("issue 4")
    }

    /// Sends a media upload request.
    pub(crate) async fn execute_upload<T: DeserializeOwned>(
        &self,
        request: ApiRequest,
        media: UploadMedia,
    ) -> Result<T> {
        let _ = (request, media);
        unimplemented!("issue 4")
    }

    /// Sends an `alt=media` download request.
    pub(crate) async fn execute_download(&self, request: ApiRequest) -> Result<Download> {
        let _ = request;
        unimplemented!("issue 4")
    }
}
