//! The client facade: what generated request builders send through. It owns a
//! [`Transport`] and adds the call shapes on top of it: JSON calls, media upload
//! (`upload.rs`) and download (`download.rs`).

use std::fmt;

use serde::de::DeserializeOwned;

use crate::error::Result;
use crate::media::{Download, UploadMedia, UploadSession};
use crate::request::ApiRequest;
use crate::transport::{Transport, decode};

/// A client of one Google API. Cheap to clone (one `Arc`); `Send + Sync`; all clones
/// share one connection pool and one token cache.
///
/// Generated crates wrap it in their own `Client` (with the API's resources and its
/// defaults); reach it with their `Client::runtime()`.
#[derive(Clone)]
pub struct Client {
    pub(crate) transport: Transport,
}

impl fmt::Debug for Client {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        fmt::Debug::fmt(&self.transport, f)
    }
}

/// A generated crate's `Client`: a newtype over the runtime's [`Client`] (part of the
/// [`contract`](crate::contract)).
pub trait ApiClient: Sized {
    /// Wraps a client built by [`ClientBuilder`](crate::ClientBuilder).
    fn from_runtime(client: Client) -> Self;
    /// The runtime client inside.
    fn runtime(&self) -> &Client;
}

impl ApiClient for Client {
    fn from_runtime(client: Client) -> Self {
        client
    }

    fn runtime(&self) -> &Client {
        self
    }
}

impl Client {
    /// Gets an access token now rather than at the first call: runs the consent flow of
    /// [`Credentials::oauth_client_file`](crate::Credentials::oauth_client_file) (unless a
    /// cached refresh token works), and reports bad credentials or an unreachable token
    /// endpoint before any call is made.
    pub async fn authorize(&self) -> Result<()> {
        let inner = self.transport.inner();
        inner.auth.token(&inner.http).await.map(drop)
    }

    /// Continues a resumable upload that stopped with
    /// [`Error::UploadIncomplete`](crate::Error::UploadIncomplete): asks the server how
    /// many bytes it has, then sends the rest of `media` (the same bytes as the first
    /// time, from the start: files are sought, readers skipped forward). `T` is the
    /// upload method's response type.
    pub async fn resume_upload<T: DeserializeOwned>(
        &self,
        session: &UploadSession,
        media: UploadMedia,
    ) -> Result<T> {
        let body = crate::upload::resume(&self.transport, session, media).await?;
        decode(session.method, &body)
    }

    /// Sends a request and decodes its JSON response (an empty body decodes as `{}`).
    pub(crate) async fn execute<T: DeserializeOwned>(&self, request: ApiRequest) -> Result<T> {
        let info = request.method;
        let body = self.transport.execute_bytes(request).await?;
        decode(info.id, &body)
    }

    /// Sends a request whose response has no body the caller needs.
    pub(crate) async fn execute_empty(&self, request: ApiRequest) -> Result<()> {
        self.transport.execute_bytes(request).await.map(drop)
    }

    /// Sends a media upload request.
    pub(crate) async fn execute_upload<T: DeserializeOwned>(
        &self,
        request: ApiRequest,
        media: UploadMedia,
    ) -> Result<T> {
        let info = request.method;
        let body = crate::upload::upload(&self.transport, request, media).await?;
        decode(info.id, &body)
    }

    /// Sends an `alt=media` download request.
    pub(crate) async fn execute_download(&self, request: ApiRequest) -> Result<Download> {
        crate::download::download(&self.transport, request).await
    }
}

#[cfg(test)]
mod tests;
