//! A request body fed by a stream of chunks: the content of a simple or multipart upload.
//!
//! Why not `reqwest::Body::wrap_stream`: it needs reqwest's `stream` feature, which brings
//! tokio-util and more into every user's build for this one call (measured by
//! `cargo xtask bench-build`). `reqwest::Body::wrap` takes any `http_body::Body`, and
//! this is one.

use std::pin::Pin;
use std::sync::Mutex;
use std::task::{Context, Poll};

use bytes::Bytes;
use futures_core::Stream;

use crate::error::Error;

/// The chunks still to send.
type Chunks = Pin<Box<dyn Stream<Item = Result<Bytes, Error>> + Send>>;

/// An `http_body::Body` over a stream of chunks.
pub(crate) struct StreamBody {
    /// A `Mutex` only to be `Sync`, as `reqwest::Body::wrap` asks; polling has `&mut`
    /// access, so it is never locked.
    chunks: Mutex<Chunks>,
}

impl StreamBody {
    /// A reqwest body that sends `chunks` in order; an error ends the request with it.
    pub(crate) fn body(
        chunks: impl Stream<Item = Result<Bytes, Error>> + Send + 'static,
    ) -> reqwest::Body {
        reqwest::Body::wrap(Self {
            chunks: Mutex::new(Box::pin(chunks)),
        })
    }
}

impl http_body::Body for StreamBody {
    type Data = Bytes;
    type Error = Error;

    fn poll_frame(
        self: Pin<&mut Self>,
        cx: &mut Context<'_>,
    ) -> Poll<Option<Result<http_body::Frame<Bytes>, Error>>> {
        let chunks = match self.get_mut().chunks.get_mut() {
            Ok(chunks) => chunks,
            // Poisoned only if a poll panicked; the stream is still usable.
            Err(poisoned) => poisoned.into_inner(),
        };
        chunks
            .as_mut()
            .poll_next(cx)
            .map(|chunk| chunk.map(|chunk| chunk.map(http_body::Frame::data)))
    }
}

#[cfg(test)]
mod tests {
    use http_body_util::BodyExt as _;

    use super::*;

    /// The whole body, as hyper would read it, or the text of the error that ended it.
    async fn collect(body: reqwest::Body) -> Result<Vec<u8>, String> {
        match body.collect().await {
            Ok(collected) => Ok(collected.to_bytes().to_vec()),
            Err(e) => {
                let mut text = e.to_string();
                let mut source = std::error::Error::source(&e);
                while let Some(s) = source {
                    text.push_str(&format!(": {s}"));
                    source = s.source();
                }
                Err(text)
            }
        }
    }

    #[tokio::test]
    async fn sends_the_chunks_in_order_and_stops_at_an_error() {
        let ok = futures_util::stream::iter([Ok(Bytes::from("ab")), Ok(Bytes::from("cd"))]);
        assert_eq!(collect(StreamBody::body(ok)).await.unwrap(), b"abcd");
        let failing = futures_util::stream::iter([
            Ok(Bytes::from("ab")),
            Err(Error::Io {
                context: "reading broken source".into(),
                source: std::io::Error::other("disk gone"),
            }),
        ]);
        let e = collect(StreamBody::body(failing)).await.unwrap_err();
        assert!(e.contains("disk gone"), "{e}");
    }
}
