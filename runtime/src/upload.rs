//! Media upload protocols: simple (`uploadType=media`), multipart (`multipart/related`:
//! JSON metadata then the media) and resumable (a session URI, chunks with
//! `Content-Range`, `308` answers with the committed `Range`, and resuming from the
//! server's committed offset after a failure).

use std::hash::{BuildHasher, Hasher, RandomState};

use bytes::Bytes;
use futures_util::StreamExt as _;
use reqwest::header::{CONTENT_TYPE, HeaderName, HeaderValue};

use crate::error::{Error, Result};
use crate::media::{MediaReader, Mode, RESUMABLE_THRESHOLD, UploadMedia, UploadSession};
use crate::request::{ApiRequest, expand_path};
use crate::retry::retryable_status;
use crate::retry_loop::{Attempt, Cause, retry_loop};
use crate::stream_body::StreamBody;
use crate::transport::{BodyFuture, Outgoing, Transport, is_idempotent, read_body};

/// Uploads `media` for `request` and returns the final response body.
pub(crate) async fn upload(
    client: &Transport,
    request: ApiRequest,
    media: UploadMedia,
) -> Result<Bytes> {
    let info = request.method;
    let endpoints = info
        .upload
        .as_ref()
        .ok_or_else(|| Error::invalid(info.id, "this method does not support media upload"))?;
    if let (Some(max), Some(len)) = (endpoints.max_size, media.len()) {
        if len > max {
            return Err(Error::invalid(
                info.id,
                format!("the media has {len} bytes; this method accepts at most {max}"),
            ));
        }
    }
    if !endpoints.accept.is_empty()
        && !endpoints
            .accept
            .iter()
            .any(|range| mime_matches(range, &media.content_type))
    {
        return Err(Error::invalid(
            info.id,
            format!(
                "content type `{}` is not accepted (accepted: {})",
                media.content_type,
                endpoints.accept.join(", ")
            ),
        ));
    }
    let resumable = match media.mode {
        Mode::Resumable => true,
        Mode::Simple => false,
        Mode::Auto => {
            endpoints.resumable_path.is_some()
                && (endpoints.simple_path.is_none()
                    || media.len().is_none_or(|len| len > RESUMABLE_THRESHOLD))
        }
    };
    if resumable {
        // A resumable session starts at the simple path with `uploadType=resumable`, as
        // Google's documentation and its Go, Python, Java and .NET clients do
        // (https://developers.google.com/workspace/drive/api/guides/manage-uploads#resumable:
        // `POST https://www.googleapis.com/upload/drive/v3/files?uploadType=resumable`).
        // The documents' `/resumable/upload/...` path is one Google's clients left in
        // 2012 (google-api-java-client#429) and Drive has answered 404 on
        // (google-api-objectivec-client-for-rest#580), so it only says that the method
        // takes resumable uploads, and is used only by a method with no simple path.
        let template = endpoints
            .resumable_path
            .map(|resumable| endpoints.simple_path.unwrap_or(resumable))
            .ok_or_else(|| {
                Error::invalid(info.id, "this method has no resumable upload endpoint")
            })?;
        start_resumable(client, request, template, media).await
    } else {
        let template = endpoints
            .simple_path
            .ok_or_else(|| Error::invalid(info.id, "this method has no simple upload endpoint"))?;
        simple(client, request, template, media).await
    }
}

/// The JSON metadata of an upload call, if it has a body.
fn metadata(request: &mut ApiRequest) -> Result<Option<Bytes>> {
    match request.body.take() {
        None => Ok(None),
        Some(Ok(bytes)) => Ok(Some(Bytes::from(bytes))),
        Some(Err(e)) => Err(Error::invalid(
            request.method.id,
            format!("the request body could not be serialized: {e}"),
        )),
    }
}

/// One request carrying the media (and the metadata, as `multipart/related`), streamed.
async fn simple(
    client: &Transport,
    mut request: ApiRequest,
    template: &str,
    media: UploadMedia,
) -> Result<Bytes> {
    let info = request.method;
    let metadata = metadata(&mut request)?;
    let path = expand_path(info, template, &request.path_params)?;
    let (prefix, suffix, content_type, upload_type) = match &metadata {
        Some(json) => {
            let boundary = boundary();
            let mut prefix =
                format!("--{boundary}\r\nContent-Type: application/json; charset=UTF-8\r\n\r\n")
                    .into_bytes();
            prefix.extend_from_slice(json);
            prefix.extend_from_slice(
                format!(
                    "\r\n--{boundary}\r\nContent-Type: {}\r\n\r\n",
                    media.content_type
                )
                .as_bytes(),
            );
            let suffix = format!("\r\n--{boundary}--\r\n");
            (
                Bytes::from(prefix),
                Bytes::from(suffix),
                format!("multipart/related; boundary={boundary}"),
                "multipart",
            )
        }
        None => (
            Bytes::new(),
            Bytes::new(),
            media.content_type.clone(),
            "media",
        ),
    };
    let mut query = request.query.clone();
    query.push(("uploadType", upload_type.to_owned()));
    let url = client.url(info.id, &path, &query)?;
    let mut headers = vec![(CONTENT_TYPE, header_value(info.id, &content_type)?)];
    if let Some(len) = media.len() {
        let total = prefix.len() as u64 + len + suffix.len() as u64;
        headers.push((reqwest::header::CONTENT_LENGTH, HeaderValue::from(total)));
    }
    let replayable = media.replayable();
    let out = Outgoing {
        id: info.id,
        scopes: info.scopes,
        method: reqwest::Method::POST,
        url: &url,
        headers,
        retryable: replayable && is_idempotent(&request),
        replayable,
        timeout: false,
        accept: &[],
    };
    let media = tokio::sync::Mutex::new(media);
    let response = client
        .send(&out, &|| -> BodyFuture<'_> {
            Box::pin(async {
                let reader = media.lock().await.open().await?;
                let parts = futures_util::stream::iter([Ok(prefix.clone())])
                    .chain(reader.into_stream())
                    .chain(futures_util::stream::iter([Ok(suffix.clone())]))
                    .filter(|part| std::future::ready(!matches!(part, Ok(b) if b.is_empty())));
                Ok(Some(StreamBody::body(parts)))
            })
        })
        .await?;
    read_body(info.id, response).await
}

/// Opens a resumable session and uploads through it.
async fn start_resumable(
    client: &Transport,
    mut request: ApiRequest,
    template: &str,
    mut media: UploadMedia,
) -> Result<Bytes> {
    let info = request.method;
    let metadata = metadata(&mut request)?;
    let path = expand_path(info, template, &request.path_params)?;
    let mut query = request.query.clone();
    query.push(("uploadType", "resumable".to_owned()));
    let url = client.url(info.id, &path, &query)?;
    let mut headers = vec![(
        HeaderName::from_static("x-upload-content-type"),
        header_value(info.id, &media.content_type)?,
    )];
    if let Some(len) = media.len() {
        headers.push((
            HeaderName::from_static("x-upload-content-length"),
            HeaderValue::from(len),
        ));
    }
    if metadata.is_some() {
        headers.push((
            CONTENT_TYPE,
            HeaderValue::from_static("application/json; charset=UTF-8"),
        ));
    }
    // Opening a session changes nothing on the server, so it is safe to retry.
    let out = Outgoing {
        id: info.id,
        scopes: info.scopes,
        method: reqwest::Method::POST,
        url: &url,
        headers,
        retryable: true,
        replayable: true,
        timeout: true,
        accept: &[],
    };
    let response = client
        .send(&out, &|| -> BodyFuture<'_> {
            let body = metadata.clone();
            Box::pin(async move { Ok(body.map(reqwest::Body::from)) })
        })
        .await?;
    let location = response
        .headers()
        .get(reqwest::header::LOCATION)
        .and_then(|v| v.to_str().ok())
        .ok_or_else(|| Error::Transport {
            method: info.id,
            message: "the resumable upload answer has no Location header".to_owned(),
            source: "missing Location".into(),
        })?;
    // A relative Location is resolved against the URL that was asked.
    let session_uri = url
        .join(location)
        .map_err(|e| Error::invalid(info.id, format!("bad Location of the upload session: {e}")))?;
    let session = UploadSession {
        method: info.id,
        uri: session_uri.to_string(),
        committed: 0,
        total: media.len(),
    };
    let reader = match media.open().await {
        Ok(reader) => reader,
        Err(e) => return Err(incomplete(session, e)),
    };
    drive(client, session, reader, media.chunk_size).await
}

/// Continues the resumable upload of `session` with `media` (from the server's
/// committed offset) and returns the final response body.
pub(crate) async fn resume(
    client: &Transport,
    session: &UploadSession,
    mut media: UploadMedia,
) -> Result<Bytes> {
    let mut session = session.clone();
    if session.total.is_none() {
        session.total = media.len();
    }
    match status(client, &session)
        .await
        .map_err(|e| incomplete(session.clone(), e))?
    {
        Put::Done(body) => Ok(body),
        Put::Incomplete(committed) => {
            session.committed = committed;
            let mut reader = media
                .open()
                .await
                .map_err(|e| incomplete(session.clone(), e))?;
            reader
                .seek_to(committed)
                .await
                .map_err(|e| incomplete(session.clone(), e))?;
            drive(client, session, reader, media.chunk_size).await
        }
    }
}

/// The answer to a chunk or a status query.
enum Put {
    /// The upload is complete; the final response body.
    Done(Bytes),
    /// The server has this many bytes and wants the rest.
    Incomplete(u64),
}

/// Sends the chunks from `session.committed` on; `reader` is positioned there.
async fn drive(
    client: &Transport,
    mut session: UploadSession,
    mut reader: MediaReader,
    chunk_size: usize,
) -> Result<Bytes> {
    // Whether the last answer came from a status query after a failed chunk.
    let mut after_failure = false;
    let mut chunk = Bytes::new();
    let mut chunk_start = session.committed;
    let mut eof = false;
    loop {
        if chunk.is_empty() && !eof {
            chunk_start = session.committed;
            chunk = match reader.next_chunk(chunk_size).await {
                Ok(chunk) => chunk,
                Err(e) => return Err(incomplete(session, e)),
            };
            let end = chunk_start + chunk.len() as u64;
            if chunk.len() < chunk_size || session.total == Some(end) {
                eof = true;
                session.total = Some(end);
            }
        } else if chunk.is_empty() && session.total == Some(session.committed) && !after_failure {
            // Everything was sent and stored, yet the server did not finish.
            return Err(incomplete(
                session,
                Error::invalid(
                    "resumable upload",
                    "the server has every byte but did not complete the upload",
                ),
            ));
        }
        let answer = match send_chunk(client, &session, chunk_start, &chunk).await {
            Ok((answer, recovered)) => {
                after_failure = recovered;
                answer
            }
            Err(e) if session_gone(&e) => return Err(e),
            Err(e) => return Err(incomplete(session, e)),
        };
        match answer {
            Put::Done(body) => return Ok(body),
            Put::Incomplete(committed) => {
                let chunk_end = chunk_start + chunk.len() as u64;
                if committed < chunk_start {
                    // The server lost bytes of an earlier chunk: go back for them.
                    if let Err(e) = reader.seek_to(committed).await {
                        return Err(incomplete(session, e));
                    }
                    session.committed = committed;
                    chunk = Bytes::new();
                    eof = false;
                } else if committed <= chunk_end {
                    chunk = chunk.slice((committed - chunk_start) as usize..);
                    chunk_start = committed;
                    session.committed = committed;
                } else {
                    return Err(incomplete(
                        session,
                        Error::invalid(
                            "resumable upload",
                            format!(
                                "the server reports {committed} bytes stored but only {chunk_end} were sent"
                            ),
                        ),
                    ));
                }
            }
        }
    }
}

/// Sends the chunk that starts at `start` through the one retry loop, and returns the
/// server's answer and whether it came after a failure. The first attempt PUTs the
/// chunk; after a transient failure each further attempt asks the server where it
/// stands (a status query) and PUTs only what it lacks of the chunk. An answer that
/// leaves the chunk (done, or an offset outside it) ends the loop: [`drive`] takes it
/// from there. The policy's limits count per chunk.
async fn send_chunk(
    client: &Transport,
    session: &UploadSession,
    start: u64,
    chunk: &Bytes,
) -> Result<(Put, bool)> {
    let end = start + chunk.len() as u64;
    retry_loop(
        client.retry_policy(),
        session.method,
        move |number| async move {
            let mut from = start;
            // An empty chunk's PUT is itself a status query.
            if number > 1 && !chunk.is_empty() {
                match status(client, session).await {
                    Ok(Put::Incomplete(committed)) if (start..end).contains(&committed) => {
                        from = committed;
                    }
                    Ok(answer) => return Attempt::Done(Ok((answer, true))),
                    Err(e) => return chunk_failure(e),
                }
            }
            let part = chunk.slice((from - start) as usize..);
            let range = content_range(from, part.len() as u64, session.total);
            tracing::debug!(method = session.method, range = %range, "upload chunk");
            match put(client, session, &range, part).await {
                Ok(answer) => Attempt::Done(Ok((answer, number > 1))),
                Err(e) => chunk_failure(e),
            }
        },
    )
    .await
}

/// A failed chunk PUT or status query: worth another attempt when transient.
fn chunk_failure<T>(e: Error) -> Attempt<T, Error> {
    if !is_transient(&e) {
        return Attempt::Done(Err(e));
    }
    let cause = match e.http_status() {
        Some(status) => Cause::Status(status),
        None => Cause::Transport,
    };
    Attempt::Failed {
        error: e,
        cause,
        retry_after: None,
    }
}

/// `bytes START-END/TOTAL` for `len` bytes from `start`, or `bytes */TOTAL` for none;
/// `*` for an unknown total.
fn content_range(start: u64, len: u64, total: Option<u64>) -> String {
    let total = total.map_or_else(|| "*".to_owned(), |t| t.to_string());
    if len == 0 {
        format!("bytes */{total}")
    } else {
        format!("bytes {start}-{}/{total}", start + len - 1)
    }
}

/// PUTs one chunk (or, empty, finishes an upload of known size).
async fn put(
    client: &Transport,
    session: &UploadSession,
    range: &str,
    chunk: Bytes,
) -> Result<Put> {
    let url = reqwest::Url::parse(&session.uri)
        .map_err(|e| Error::invalid(session.method, format!("bad upload session URI: {e}")))?;
    let out = Outgoing {
        id: session.method,
        scopes: &[],
        method: reqwest::Method::PUT,
        url: &url,
        headers: vec![(
            reqwest::header::CONTENT_RANGE,
            header_value(session.method, range)?,
        )],
        // `send_chunk` retries, after asking the server what it has.
        retryable: false,
        replayable: true,
        timeout: true,
        accept: &[308],
    };
    let response = client
        .send(&out, &|| -> BodyFuture<'_> {
            let chunk = chunk.clone();
            Box::pin(async move { Ok((!chunk.is_empty()).then(|| reqwest::Body::from(chunk))) })
        })
        .await?;
    if response.status().as_u16() == 308 {
        // `Range: bytes=0-N` means N+1 bytes are stored; no header means none.
        let committed = response
            .headers()
            .get(reqwest::header::RANGE)
            .and_then(|v| v.to_str().ok())
            .and_then(|v| v.trim().strip_prefix("bytes=0-"))
            .and_then(|end| end.parse::<u64>().ok())
            .map_or(0, |end| end + 1);
        return Ok(Put::Incomplete(committed));
    }
    Ok(Put::Done(read_body(session.method, response).await?))
}

/// Asks the server how many bytes of the session it has.
async fn status(client: &Transport, session: &UploadSession) -> Result<Put> {
    let range = content_range(0, 0, session.total);
    put(client, session, &range, Bytes::new()).await
}

/// Errors after which sending again may work.
fn is_transient(e: &Error) -> bool {
    match e {
        Error::Api(api) => retryable_status(api.http_status) || api.http_status == 408,
        Error::Transport { .. } | Error::Timeout { .. } => true,
        _ => false,
    }
}

/// The session expired or was cancelled: resuming cannot work.
fn session_gone(e: &Error) -> bool {
    matches!(e, Error::Api(api) if matches!(api.http_status, 404 | 410))
}

fn incomplete(session: UploadSession, source: Error) -> Error {
    if let Error::UploadIncomplete { .. } = source {
        return source;
    }
    Error::UploadIncomplete {
        session,
        source: Box::new(source),
    }
}

fn header_value(method: &'static str, value: &str) -> Result<HeaderValue> {
    HeaderValue::from_str(value)
        .map_err(|_| Error::invalid(method, format!("`{value}` cannot be sent in a header")))
}

/// A multipart boundary that cannot occur by chance in the metadata or media.
fn boundary() -> String {
    let a = RandomState::new().build_hasher().finish();
    let b = RandomState::new().build_hasher().finish();
    format!("google_api_{a:016x}{b:016x}")
}

/// Whether `content_type` falls in the MIME range `range` (`*/*`, `image/*`, `image/png`).
fn mime_matches(range: &str, content_type: &str) -> bool {
    let essence = content_type.split(';').next().unwrap_or_default().trim();
    match range.strip_suffix("/*") {
        Some("*") => true,
        Some(kind) => essence
            .split_once('/')
            .is_some_and(|(k, _)| k.eq_ignore_ascii_case(kind)),
        None => essence.eq_ignore_ascii_case(range),
    }
}

#[cfg(test)]
mod tests {
    use super::mime_matches;

    #[test]
    fn mime_ranges() {
        assert!(mime_matches("*/*", "video/mp4"));
        assert!(mime_matches("image/*", "IMAGE/png; q=1"));
        assert!(!mime_matches("image/*", "video/mp4"));
        assert!(mime_matches("text/plain", "text/plain; charset=utf-8"));
        assert!(!mime_matches("text/plain", "text/html"));
    }
}
