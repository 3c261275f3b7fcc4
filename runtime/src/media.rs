//! Media upload and download: what to upload ([`UploadMedia`]), where an interrupted
//! resumable upload stands ([`UploadSession`]), and a streaming download ([`Download`]).
//!
//! Memory stays bounded whatever the size: uploads read at most one chunk (resumable)
//! or a small buffer (simple) at a time, downloads hand out the body as it arrives.

use std::fmt;
use std::future::Future as _;
use std::path::{Path, PathBuf};
use std::pin::Pin;
use std::task::{Context, Poll};
use std::time::Duration;

use bytes::Bytes;
use futures_core::Stream;
use tokio::io::{AsyncRead, AsyncReadExt, AsyncSeekExt, AsyncWrite, AsyncWriteExt};

use crate::error::{Error, Result};
pub use crate::upload_session::UploadSession;

/// Resumable chunks must be multiples of this (Google's rule for all but the last).
pub const CHUNK_GRANULARITY: usize = 256 * 1024;

/// Default resumable chunk size: 8 MiB.
pub const DEFAULT_CHUNK_SIZE: usize = 32 * CHUNK_GRANULARITY;

/// Above this size, uploads are resumable unless [`UploadMedia::simple`] says otherwise.
pub const RESUMABLE_THRESHOLD: u64 = 5 * 1024 * 1024;

/// The bytes to upload, their content type, and the protocol to use.
///
/// ```no_run
/// # async fn run() -> google_api_runtime::Result<()> {
/// use google_api_runtime::media::UploadMedia;
/// let small = UploadMedia::from_bytes(b"hello".to_vec(), "text/plain");
/// let big = UploadMedia::from_file("video.mp4", "video/mp4").await?.resumable();
/// # let _ = (small, big); Ok(()) }
/// ```
pub struct UploadMedia {
    pub(crate) source: Source,
    pub(crate) content_type: String,
    pub(crate) mode: Mode,
    pub(crate) chunk_size: usize,
}

/// Where upload bytes come from.
pub(crate) enum Source {
    Bytes(Bytes),
    File {
        path: PathBuf,
        len: u64,
    },
    Reader {
        reader: Box<dyn AsyncRead + Send + Unpin>,
        len: Option<u64>,
    },
}

/// Which upload protocol to use.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Mode {
    /// Resumable for large or unknown sizes, else simple.
    Auto,
    Simple,
    Resumable,
}

impl UploadMedia {
    /// Bytes already in memory.
    pub fn from_bytes(data: impl Into<Bytes>, content_type: impl Into<String>) -> Self {
        Self::new(Source::Bytes(data.into()), content_type)
    }

    /// A file, read in chunks (never whole into memory).
    pub async fn from_file(
        path: impl AsRef<Path>,
        content_type: impl Into<String>,
    ) -> Result<Self> {
        let path = path.as_ref().to_path_buf();
        let meta = tokio::fs::metadata(&path)
            .await
            .map_err(|source| Error::Io {
                context: format!("reading upload file {}", path.display()),
                source,
            })?;
        if !meta.is_file() {
            return Err(Error::invalid(
                "UploadMedia::from_file",
                format!("{} is not a file", path.display()),
            ));
        }
        Ok(Self::new(
            Source::File {
                path,
                len: meta.len(),
            },
            content_type,
        ))
    }

    /// Any async reader; `len` is its length when known. A reader of unknown length is
    /// uploaded with the resumable protocol. A reader is read once, so a failed simple
    /// upload from it is not retried.
    pub fn from_reader(
        reader: impl AsyncRead + Send + Unpin + 'static,
        len: Option<u64>,
        content_type: impl Into<String>,
    ) -> Self {
        Self::new(
            Source::Reader {
                reader: Box::new(reader),
                len,
            },
            content_type,
        )
    }

    fn new(source: Source, content_type: impl Into<String>) -> Self {
        Self {
            source,
            content_type: content_type.into(),
            mode: Mode::Auto,
            chunk_size: DEFAULT_CHUNK_SIZE,
        }
    }

    /// Uses the resumable protocol whatever the size.
    pub fn resumable(mut self) -> Self {
        self.mode = Mode::Resumable;
        self
    }

    /// Uses one simple (or multipart) request whatever the size.
    pub fn simple(mut self) -> Self {
        self.mode = Mode::Simple;
        self
    }

    /// Bytes per resumable request (default [`DEFAULT_CHUNK_SIZE`]); rounded up to a
    /// multiple of [`CHUNK_GRANULARITY`]. Memory use of an upload is about one chunk.
    pub fn chunk_size(mut self, bytes: usize) -> Self {
        self.chunk_size = bytes.max(1).div_ceil(CHUNK_GRANULARITY) * CHUNK_GRANULARITY;
        self
    }

    /// The length in bytes, when known.
    pub fn len(&self) -> Option<u64> {
        match &self.source {
            Source::Bytes(b) => Some(b.len() as u64),
            Source::File { len, .. } => Some(*len),
            Source::Reader { len, .. } => *len,
        }
    }

    /// Whether the media is known to be empty.
    pub fn is_empty(&self) -> bool {
        self.len() == Some(0)
    }

    /// The content type.
    pub fn content_type(&self) -> &str {
        &self.content_type
    }

    /// Whether a reader over these bytes can be opened more than once.
    pub(crate) fn replayable(&self) -> bool {
        !matches!(self.source, Source::Reader { .. })
    }

    /// A reader at the start (for a reader source: the reader itself, once).
    pub(crate) async fn open(&mut self) -> Result<MediaReader> {
        match &mut self.source {
            Source::Bytes(b) => Ok(MediaReader::Bytes {
                data: b.clone(),
                pos: 0,
            }),
            Source::File { path, .. } => {
                let file = tokio::fs::File::open(&*path)
                    .await
                    .map_err(|source| Error::Io {
                        context: format!("opening upload file {}", path.display()),
                        source,
                    })?;
                Ok(MediaReader::File {
                    file,
                    path: path.clone(),
                    pos: 0,
                })
            }
            Source::Reader { reader, .. } => {
                let reader = std::mem::replace(reader, Box::new(tokio::io::empty()));
                Ok(MediaReader::Reader { reader, pos: 0 })
            }
        }
    }
}

impl fmt::Debug for UploadMedia {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let source = match &self.source {
            Source::Bytes(_) => "bytes".to_owned(),
            Source::File { path, .. } => format!("file {}", path.display()),
            Source::Reader { .. } => "reader".to_owned(),
        };
        f.debug_struct("UploadMedia")
            .field("source", &source)
            .field("len", &self.len())
            .field("content_type", &self.content_type)
            .field("mode", &self.mode)
            .field("chunk_size", &self.chunk_size)
            .finish()
    }
}

/// Reads upload bytes chunk by chunk.
pub(crate) enum MediaReader {
    Bytes {
        data: Bytes,
        pos: usize,
    },
    File {
        file: tokio::fs::File,
        path: PathBuf,
        pos: u64,
    },
    Reader {
        reader: Box<dyn AsyncRead + Send + Unpin>,
        pos: u64,
    },
}

impl MediaReader {
    /// Up to `max` next bytes; fewer only at the end.
    pub(crate) async fn next_chunk(&mut self, max: usize) -> Result<Bytes> {
        match self {
            MediaReader::Bytes { data, pos } => {
                let end = (*pos + max).min(data.len());
                let chunk = data.slice(*pos..end);
                *pos = end;
                Ok(chunk)
            }
            MediaReader::File { file, path, pos } => {
                let chunk = fill(file, max).await.map_err(|source| Error::Io {
                    context: format!("reading upload file {}", path.display()),
                    source,
                })?;
                *pos += chunk.len() as u64;
                Ok(chunk)
            }
            MediaReader::Reader { reader, pos } => {
                let chunk = fill(reader, max).await.map_err(|source| Error::Io {
                    context: "reading the upload reader".to_owned(),
                    source,
                })?;
                *pos += chunk.len() as u64;
                Ok(chunk)
            }
        }
    }

    /// Moves to `offset`: seeks a file, skips forward in a reader.
    pub(crate) async fn seek_to(&mut self, offset: u64) -> Result<()> {
        match self {
            MediaReader::Bytes { data, pos } => {
                if offset > data.len() as u64 {
                    return Err(Error::invalid(
                        "resuming an upload",
                        format!(
                            "the server has {offset} bytes but the media has {}",
                            data.len()
                        ),
                    ));
                }
                *pos = offset as usize;
            }
            MediaReader::File { file, path, pos } => {
                file.seek(std::io::SeekFrom::Start(offset))
                    .await
                    .map_err(|source| Error::Io {
                        context: format!("seeking in upload file {}", path.display()),
                        source,
                    })?;
                *pos = offset;
            }
            MediaReader::Reader { reader, pos } => {
                if offset < *pos {
                    return Err(Error::invalid(
                        "resuming an upload",
                        format!("a reader cannot go back from byte {pos} to byte {offset}"),
                    ));
                }
                let skip = offset - *pos;
                let copied =
                    tokio::io::copy(&mut (&mut *reader).take(skip), &mut tokio::io::sink())
                        .await
                        .map_err(|source| Error::Io {
                            context: "skipping in the upload reader".to_owned(),
                            source,
                        })?;
                if copied < skip {
                    return Err(Error::invalid(
                        "resuming an upload",
                        format!(
                            "the reader ended at byte {} before byte {offset}",
                            *pos + copied
                        ),
                    ));
                }
                *pos = offset;
            }
        }
        Ok(())
    }

    /// The body stream of a simple upload: the rest of the bytes, 64 KiB at a time.
    pub(crate) fn into_stream(self) -> impl Stream<Item = Result<Bytes>> + Send + 'static {
        const STREAM_CHUNK: usize = 64 * 1024;
        futures_util::stream::unfold(Some(self), |state| async move {
            let mut reader = state?;
            match reader.next_chunk(STREAM_CHUNK).await {
                Ok(chunk) if chunk.is_empty() => None,
                Ok(chunk) => Some((Ok(chunk), Some(reader))),
                Err(e) => Some((Err(e), None)),
            }
        })
    }
}

/// Reads until `max` bytes or the end.
async fn fill(reader: &mut (impl AsyncRead + Unpin), max: usize) -> std::io::Result<Bytes> {
    let mut buf = Vec::with_capacity(max);
    while buf.len() < max {
        let n = (&mut *reader)
            .take((max - buf.len()) as u64)
            .read_buf(&mut buf)
            .await?;
        if n == 0 {
            break;
        }
    }
    Ok(Bytes::from(buf))
}

/// A media download in progress: a [`Stream`] of body chunks as they arrive.
///
/// ```no_run
/// # async fn run(d: google_api_runtime::media::Download) -> google_api_runtime::Result<()> {
/// let mut file = tokio::fs::File::create("attachment.bin").await.unwrap();
/// let written = d.write_to(&mut file).await?;
/// # let _ = written; Ok(()) }
/// ```
pub struct Download {
    method: &'static str,
    content_type: Option<String>,
    content_length: Option<u64>,
    body: Pin<Box<dyn Stream<Item = reqwest::Result<Bytes>> + Send>>,
    /// Fires when no bytes arrived for `idle_timeout`; reset at every chunk.
    idle: Option<(Duration, Pin<Box<tokio::time::Sleep>>)>,
}

impl Download {
    /// A download of `response`'s body; `idle_timeout` bounds the silence between chunks.
    pub(crate) fn new(
        method: &'static str,
        response: reqwest::Response,
        idle_timeout: Option<Duration>,
    ) -> Self {
        let content_type = response
            .headers()
            .get(reqwest::header::CONTENT_TYPE)
            .and_then(|v| v.to_str().ok())
            .map(str::to_owned);
        Self {
            method,
            content_type,
            content_length: response.content_length(),
            // `Response::chunk` rather than `bytes_stream`, which needs reqwest's `stream`
            // feature (tokio-util and more in every user's build).
            body: Box::pin(futures_util::stream::unfold(
                Some(response),
                |response| async move {
                    let mut response = response?;
                    match response.chunk().await {
                        Ok(Some(chunk)) => Some((Ok(chunk), Some(response))),
                        Ok(None) => None,
                        Err(e) => Some((Err(e), None)),
                    }
                },
            )),
            idle: idle_timeout.map(|d| (d, Box::pin(tokio::time::sleep(d)))),
        }
    }

    /// The `Content-Type` of the media.
    pub fn content_type(&self) -> Option<&str> {
        self.content_type.as_deref()
    }

    /// The length announced by the server, when it did.
    pub fn content_length(&self) -> Option<u64> {
        self.content_length
    }

    /// Writes the whole body to `writer` and flushes it; returns the bytes written.
    pub async fn write_to<W: AsyncWrite + Unpin + ?Sized>(mut self, writer: &mut W) -> Result<u64> {
        use futures_util::StreamExt as _;
        let mut written = 0u64;
        while let Some(chunk) = self.next().await {
            let chunk = chunk?;
            writer.write_all(&chunk).await.map_err(|source| Error::Io {
                context: format!("{}: writing the download", self.method),
                source,
            })?;
            written += chunk.len() as u64;
        }
        writer.flush().await.map_err(|source| Error::Io {
            context: format!("{}: writing the download", self.method),
            source,
        })?;
        Ok(written)
    }
}

impl Stream for Download {
    type Item = Result<Bytes>;

    fn poll_next(mut self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<Option<Self::Item>> {
        let this = &mut *self;
        let method = this.method;
        match this.body.as_mut().poll_next(cx) {
            Poll::Ready(item) => {
                if let Some((timeout, sleep)) = &mut this.idle {
                    sleep.as_mut().reset(tokio::time::Instant::now() + *timeout);
                }
                Poll::Ready(item.map(|r| r.map_err(|e| crate::error::transport_error(method, e))))
            }
            Poll::Pending => {
                let idle_fired = match &mut this.idle {
                    Some((_, sleep)) => sleep.as_mut().poll(cx).is_ready(),
                    None => false,
                };
                if !idle_fired {
                    return Poll::Pending;
                }
                // Stop here: the body is abandoned, the stream ends after this error.
                this.body = Box::pin(futures_util::stream::empty());
                this.idle = None;
                Poll::Ready(Some(Err(Error::Timeout { method })))
            }
        }
    }
}

impl fmt::Debug for Download {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Download")
            .field("method", &self.method)
            .field("content_type", &self.content_type)
            .field("content_length", &self.content_length)
            .finish_non_exhaustive()
    }
}
