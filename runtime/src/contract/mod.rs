//! The contract between generated code and this runtime. Not for users: no
//! compatibility promise beyond "the generator of the same version emits code that uses
//! it"; hidden from the docs.
//!
//! What a generated crate consists of, and what it uses from here:
//!
//! - A `static SERVICE: Service` (root URL, service path and mTLS root URL from the
//!   document; default scopes, user agent and error hints chosen by the crate).
//! - A `Client` newtype over [`crate::Client`] implementing [`ApiClient`]; its
//!   `builder()` is [`ClientBuilder::new(&SERVICE)`](crate::ClientBuilder::new).
//! - Per method a `static` [`MethodInfo`] and a request builder that fills an
//!   [`ApiRequest`] and hands it to [`execute`], [`execute_empty`], [`execute_upload`]
//!   or [`execute_download`]; list builders implement [`Pageable`](crate::Pageable)
//!   (and [`PageItems`](crate::PageItems)) and call [`pagination::pages`] /
//!   [`pagination::items`].
//! - Models with serde impls written over [`wire`], enums with [`wire::string_enum!`]
//!   and [`unknown_value`], resource name types with [`resource_name::resource_name!`].
//! - Names it must not take (the members of the types above that generated items share
//!   a scope with) are listed by the generator, which decides every name: the `codegen`
//!   crate's `model::reserved`. A member added here that generated code could collide
//!   with belongs there too.

use serde::de::DeserializeOwned;

pub use crate::client::ApiClient;
pub use crate::request::{ApiRequest, MethodInfo, QueryValue, UploadInfo};
pub use crate::service::{HintFn, Service};
pub use futures_core::Stream;
pub use reqwest::Method;

/// What generated models' serde and `Debug` impls call.
pub mod wire {
    pub use crate::wire::*;
}

/// What generated resource name types call.
pub mod resource_name {
    pub use crate::resource_name::{build, check, resource_name, segment};
}

/// The streams behind `.pages()` and `.stream()`.
pub mod pagination {
    pub use crate::pagination::{items, pages};
}

use crate::client::Client;
use crate::error::Result;
use crate::media::{Download, UploadMedia};
use crate::types::UnknownValue;

/// Sends `request` and decodes its JSON response.
pub async fn execute<T: DeserializeOwned>(client: &Client, request: ApiRequest) -> Result<T> {
    client.execute(request).await
}

/// Sends `request`, whose response has no body.
pub async fn execute_empty(client: &Client, request: ApiRequest) -> Result<()> {
    client.execute_empty(request).await
}

/// Sends `request` with `media` uploaded.
pub async fn execute_upload<T: DeserializeOwned>(
    client: &Client,
    request: ApiRequest,
    media: UploadMedia,
) -> Result<T> {
    client.execute_upload(request, media).await
}

/// Sends `request` with `alt=media`, streaming the content.
pub async fn execute_download(client: &Client, request: ApiRequest) -> Result<Download> {
    client.execute_download(request).await
}

/// An enum's catch-all value; generated `From<&str>` calls it only for values that are
/// none of the enum's known ones.
pub fn unknown_value(value: &str) -> UnknownValue {
    UnknownValue::new(value)
}
