//! Attachments: `media.upload` (simple, multipart and resumable), `media.download`,
//! `spaces.messages.attachments.get`, and attaching uploads to new messages.

use axum::http::header;
use serde_json::{Map, Value, json};

use super::{Ctx, parse_object};
use crate::Identity;
use crate::error::{ApiError, ApiResult};
use crate::reply::Reply;
use crate::store::{Attachment, Blob, State, Upload};

/// "You can upload attachments up to 200 MB" (`media.upload`'s reference page).
const MAX_SIZE: u64 = 200 * 1024 * 1024;

/// `media.upload`
/// (<https://developers.google.com/workspace/chat/api/reference/rest/v1/media/upload>):
/// "Requires user authentication"; the caller must be a member; `filename` is
/// "Required"; up to 200 MB; served as simple (`uploadType=media`), multipart
/// (`multipart/related`: JSON metadata, then the media) and resumable (a session URI in
/// `Location`, chunks `PUT` with `Content-Range`, `308` with `Range` until the last),
/// the protocols of <https://developers.google.com/workspace/chat/upload-media-attachments>;
/// counts as a write.
pub(super) fn upload(state: &mut State, ctx: &Ctx<'_>, space: &str) -> ApiResult<Reply> {
    if matches!(ctx.identity, Identity::App(_)) {
        return Err(ApiError::permission_denied(
            "media.upload requires user authentication.",
        ));
    }
    state.member_space(space, &ctx.identity)?;
    let header = |name: &str| ctx.headers.get(name).and_then(|v| v.to_str().ok());
    match ctx.upload_type.unwrap_or("media") {
        "resumable" => {
            let meta = parse_object(ctx.body)?;
            let filename = filename(&meta)?;
            let total =
                match header("x-upload-content-length") {
                    Some(len) => Some(len.parse::<u64>().map_err(|_| {
                        ApiError::invalid("X-Upload-Content-Length is not a number.")
                    })?),
                    None => None,
                };
            if total.is_some_and(|t| t > MAX_SIZE) {
                return Err(too_big());
            }
            let id = state.next_id("U");
            state.uploads.insert(
                id.clone(),
                Upload {
                    space: space.to_owned(),
                    identity: ctx.identity.clone(),
                    filename,
                    content_type: header("x-upload-content-type")
                        .unwrap_or("application/octet-stream")
                        .to_owned(),
                    total,
                    data: Vec::new(),
                },
            );
            Ok(Reply::Empty {
                status: 200,
                headers: vec![(
                    header::LOCATION,
                    format!("{}upload/sessions/{id}", ctx.base_url),
                )],
            })
        }
        "multipart" => {
            let content_type = header("content-type").unwrap_or("");
            let (meta, media_type, data) = multipart(content_type, ctx.body)?;
            let filename = filename(&meta)?;
            finish(state, space, filename, media_type, data.to_vec())
        }
        "media" => Err(ApiError::invalid(
            "media.upload needs the filename: use uploadType=multipart or resumable.",
        )),
        other => Err(ApiError::invalid(format!("Invalid uploadType '{other}'."))),
    }
}

fn filename(meta: &Map<String, Value>) -> ApiResult<String> {
    meta.get("filename")
        .and_then(Value::as_str)
        .filter(|f| !f.is_empty())
        .map(str::to_owned)
        .ok_or_else(|| ApiError::invalid("UploadAttachmentRequest.filename is required."))
}

fn too_big() -> ApiError {
    ApiError::invalid("Attachments can be at most 200 MB.")
}

/// Stores an uploaded file and answers `UploadAttachmentResponse`.
fn finish(
    state: &mut State,
    space: &str,
    filename: String,
    content_type: String,
    data: Vec<u8>,
) -> ApiResult<Reply> {
    if data.len() as u64 > MAX_SIZE {
        return Err(too_big());
    }
    state.count_write(space)?;
    let resource = state.next_id("ATT");
    let token = state.next_id("TOK");
    state.blobs.insert(
        resource.clone(),
        Blob {
            content_type,
            filename,
            data,
            space: space.to_owned(),
            upload_token: token.clone(),
        },
    );
    Ok(Reply::Json(json!({
        "attachmentDataRef": {"resourceName": resource, "attachmentUploadToken": token}
    })))
}

/// Splits a `multipart/related` body into its JSON metadata and its media.
fn multipart<'a>(
    content_type: &str,
    body: &'a [u8],
) -> ApiResult<(Map<String, Value>, String, &'a [u8])> {
    let bad = |why: &str| ApiError::invalid(format!("Invalid multipart request: {why}."));
    let boundary = content_type
        .split(';')
        .filter_map(|p| p.trim().strip_prefix("boundary="))
        .next()
        .map(|b| b.trim_matches('"'))
        .filter(|_| content_type.trim_start().starts_with("multipart/related"))
        .ok_or_else(|| bad("Content-Type must be multipart/related with a boundary"))?;
    let delimiter = format!("--{boundary}");
    let mut parts = Vec::new();
    let mut rest = body;
    let first = find(rest, delimiter.as_bytes()).ok_or_else(|| bad("no boundary"))?;
    rest = &rest[first + delimiter.len()..];
    loop {
        if rest.starts_with(b"--") {
            break;
        }
        let rest_trim = rest
            .strip_prefix(b"\r\n")
            .ok_or_else(|| bad("a boundary is not followed by a line break"))?;
        let end_marker = format!("\r\n{delimiter}");
        let end =
            find(rest_trim, end_marker.as_bytes()).ok_or_else(|| bad("a part is not closed"))?;
        parts.push(&rest_trim[..end]);
        rest = &rest_trim[end + end_marker.len()..];
    }
    let [meta, media] = parts.as_slice() else {
        return Err(bad("expected two parts, metadata then media"));
    };
    let split = |part: &'a [u8]| -> ApiResult<(String, &'a [u8])> {
        let at = find(part, b"\r\n\r\n").ok_or_else(|| bad("a part has no headers"))?;
        let head = String::from_utf8_lossy(&part[..at]).to_string();
        let content_type = head
            .lines()
            .filter_map(|l| l.split_once(':'))
            .find(|(k, _)| k.trim().eq_ignore_ascii_case("content-type"))
            .map_or_else(
                || "application/octet-stream".to_owned(),
                |(_, v)| v.trim().to_owned(),
            );
        Ok((content_type, &part[at + 4..]))
    };
    let (_, meta_body) = split(meta)?;
    let (media_type, media_body) = split(media)?;
    Ok((parse_object(meta_body)?, media_type, media_body))
}

fn find(haystack: &[u8], needle: &[u8]) -> Option<usize> {
    haystack.windows(needle.len()).position(|w| w == needle)
}

/// One `PUT` to a resumable session: `Content-Range: bytes a-b/total` with the bytes,
/// or `bytes */total` (asks where the upload stands). Answers 308 with `Range:
/// bytes=0-N` until every byte is there, then the upload's response.
pub(crate) fn chunk(
    state: &mut State,
    _base_url: &str,
    session: &str,
    range: Option<&str>,
    body: &[u8],
) -> ApiResult<(Option<Identity>, Reply)> {
    let upload = state
        .uploads
        .get_mut(session)
        .ok_or_else(|| ApiError::not_found_because("No such upload session."))?;
    let who = Some(upload.identity.clone());
    let range = range.unwrap_or("bytes */*");
    let spec = range
        .trim()
        .strip_prefix("bytes ")
        .ok_or_else(|| ApiError::invalid("Invalid Content-Range."))?;
    let (span, total) = spec
        .split_once('/')
        .ok_or_else(|| ApiError::invalid("Invalid Content-Range."))?;
    if total != "*" {
        let t: u64 = total
            .parse()
            .map_err(|_| ApiError::invalid("Invalid Content-Range total."))?;
        if t > MAX_SIZE {
            return Err(too_big());
        }
        upload.total = Some(t);
    }
    if span != "*" {
        let (a, b) = span
            .split_once('-')
            .ok_or_else(|| ApiError::invalid("Invalid Content-Range."))?;
        let (a, b): (u64, u64) = match (a.parse(), b.parse()) {
            (Ok(a), Ok(b)) if b >= a && b - a + 1 == body.len() as u64 => (a, b),
            _ => return Err(ApiError::invalid("Content-Range does not match the body.")),
        };
        let have = upload.data.len() as u64;
        if b >= MAX_SIZE {
            return Err(too_big());
        }
        // Bytes already stored are skipped; a gap is refused by answering where we are.
        if a <= have && b >= have {
            let skip = usize::try_from(have - a).unwrap_or(usize::MAX);
            upload
                .data
                .extend_from_slice(body.get(skip..).unwrap_or_default());
        }
    }
    if upload.total == Some(upload.data.len() as u64) {
        let Some(done) = state.uploads.remove(session) else {
            return Err(ApiError::not_found_because("No such upload session."));
        };
        let reply = finish(
            state,
            &done.space,
            done.filename,
            done.content_type,
            done.data,
        )?;
        return Ok((who, reply));
    }
    let headers = match upload.data.len() {
        0 => Vec::new(),
        n => vec![(header::RANGE, format!("bytes=0-{}", n - 1))],
    };
    Ok((
        who,
        Reply::Empty {
            status: 308,
            headers,
        },
    ))
}

/// Turns the `attachment` list of a new message into attachments: each upload is found
/// by its `attachmentDataRef.attachmentUploadToken`, which must come from an upload to
/// the same space (<https://developers.google.com/workspace/chat/upload-media-attachments>:
/// upload, then create the message with the returned `attachmentDataRef`).
pub(crate) fn attach(
    state: &mut State,
    space: &str,
    message: &str,
    list: Option<Value>,
) -> ApiResult<Vec<Attachment>> {
    let items = match list {
        None | Some(Value::Null) => return Ok(Vec::new()),
        Some(Value::Array(items)) => items,
        Some(_) => return Err(ApiError::invalid("Message.attachment must be a list.")),
    };
    let mut out = Vec::new();
    for item in items {
        let Value::Object(mut json) = item else {
            return Err(ApiError::invalid("Each attachment must be an object."));
        };
        let token = json.pointer_str("/attachmentDataRef/attachmentUploadToken");
        let Some(token) = token else {
            return Err(ApiError::invalid(
                "Attachments need attachmentDataRef.attachmentUploadToken from media.upload.",
            ));
        };
        let (resource, blob) = state
            .blobs
            .iter()
            .find(|(_, b)| b.upload_token == token && b.space == space)
            .ok_or_else(|| {
                ApiError::invalid("The attachment upload token is not valid for this space.")
            })?;
        let id = format!("A{}", out.len() + 1);
        json.insert(
            "name".into(),
            json!(format!(
                "spaces/{space}/messages/{message}/attachments/{id}"
            )),
        );
        json.insert("contentName".into(), json!(blob.filename));
        json.insert("contentType".into(), json!(blob.content_type));
        json.insert(
            "attachmentDataRef".into(),
            json!({"resourceName": resource, "attachmentUploadToken": token}),
        );
        json.insert("source".into(), json!("UPLOADED_CONTENT"));
        out.push(Attachment { id, json });
    }
    Ok(out)
}

trait PointerStr {
    fn pointer_str(&self, pointer: &str) -> Option<String>;
}

impl PointerStr for Map<String, Value> {
    fn pointer_str(&self, pointer: &str) -> Option<String> {
        let mut parts = pointer.trim_start_matches('/').splitn(2, '/');
        let first = self.get(parts.next()?)?;
        match parts.next() {
            Some(rest) => first
                .pointer(&format!("/{rest}"))?
                .as_str()
                .map(str::to_owned),
            None => first.as_str().map(str::to_owned),
        }
    }
}

/// `spaces.messages.attachments.get`
/// (<https://developers.google.com/workspace/chat/api/reference/rest/v1/spaces.messages.attachments/get>):
/// "Requires app authentication"; the app must be a member of the space.
pub(super) fn attachment(
    state: &mut State,
    ctx: &Ctx<'_>,
    space: &str,
    message: &str,
    id: &str,
) -> ApiResult<Value> {
    if !matches!(ctx.identity, Identity::App(_)) {
        return Err(ApiError::permission_denied(
            "attachments.get requires app authentication.",
        ));
    }
    let s = state.member_space(space, &ctx.identity)?;
    let m = s.message(message).ok_or_else(ApiError::not_found)?;
    m.attachments
        .iter()
        .find(|a| a.id == id)
        .map(|a| Value::Object(a.json.clone()))
        .ok_or_else(ApiError::not_found)
}

/// `media.download`
/// (<https://developers.google.com/workspace/chat/api/reference/rest/v1/media/download>):
/// `resourceName` is an attachment's `attachmentDataRef.resourceName`; with `alt=media`
/// the content, else the `Media` resource; the caller must be a member of the space.
pub(super) fn download(state: &mut State, ctx: &Ctx<'_>, resource: &str) -> ApiResult<Reply> {
    let blob = state.blobs.get(resource).ok_or_else(ApiError::not_found)?;
    let space = blob.space.clone();
    state.member_space(&space, &ctx.identity)?;
    let blob = state.blobs.get(resource).ok_or_else(ApiError::not_found)?;
    if ctx.query.get("alt") == Some("media") {
        Ok(Reply::Media {
            content_type: blob.content_type.clone(),
            data: blob.data.clone(),
        })
    } else {
        Ok(Reply::Json(json!({"resourceName": resource})))
    }
}
