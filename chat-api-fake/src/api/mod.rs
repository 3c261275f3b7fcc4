//! The API's methods: one function per implemented method, over the state, behind one
//! dispatcher keyed by the method id.

mod edit;
mod filter;
pub(crate) mod media;
pub(crate) mod members;
pub(crate) mod messages;
mod reactions;
mod spaces;

use axum::body::Body;
use axum::http::{HeaderMap, HeaderName, HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Response};
use base64::Engine as _;
use serde_json::{Map, Value};

use crate::Identity;
use crate::error::{ApiError, ApiResult};
use crate::store::State;

/// One request, as the handlers see it.
#[derive(Debug)]
pub(crate) struct Ctx<'a> {
    pub identity: Identity,
    pub query: Query,
    pub body: &'a [u8],
    pub headers: &'a HeaderMap,
    pub base_url: &'a str,
    /// `media`, `multipart` or `resumable` for `media.upload`.
    pub upload_type: Option<&'a str>,
}

impl Ctx<'_> {
    /// The body as a JSON object (an empty body is `{}`), or 400 as Google words it.
    pub fn json(&self) -> ApiResult<Map<String, Value>> {
        parse_object(self.body)
    }
}

/// Parses a JSON object body.
pub(crate) fn parse_object(body: &[u8]) -> ApiResult<Map<String, Value>> {
    if body.iter().all(u8::is_ascii_whitespace) {
        return Ok(Map::new());
    }
    match serde_json::from_slice::<Value>(body) {
        Ok(Value::Object(map)) => Ok(map),
        Ok(_) => Err(ApiError::invalid(
            "Invalid JSON payload received. Expected an object.",
        )),
        Err(e) => Err(ApiError::invalid(format!(
            "Invalid JSON payload received. {e}"
        ))),
    }
}

/// The query string's parameters.
#[derive(Debug, Default, Clone)]
pub(crate) struct Query(Vec<(String, String)>);

impl Query {
    /// Parses `a=1&b=2`.
    pub fn parse(query: &str) -> Self {
        Self(
            form_urlencoded::parse(query.as_bytes())
                .into_owned()
                .collect(),
        )
    }

    /// The first value of `name`.
    pub fn get(&self, name: &str) -> Option<&str> {
        self.0
            .iter()
            .find(|(k, _)| k == name)
            .map(|(_, v)| v.as_str())
    }

    /// A boolean parameter (absent is false).
    pub fn flag(&self, name: &str) -> ApiResult<bool> {
        match self.get(name) {
            None => Ok(false),
            Some("true") => Ok(true),
            Some("false") => Ok(false),
            Some(other) => Err(ApiError::invalid(format!(
                "Invalid value at '{name}' (TYPE_BOOL), \"{other}\""
            ))),
        }
    }

    /// `pageSize`: absent or 0 is `default`, above `max` is `max`, negative is 400.
    pub fn page_size(&self, default: usize, max: usize) -> ApiResult<usize> {
        let Some(text) = self.get("pageSize") else {
            return Ok(default);
        };
        let size: i64 = text.parse().map_err(|_| {
            ApiError::invalid(format!(
                "Invalid value at 'page_size' (TYPE_INT32), \"{text}\""
            ))
        })?;
        match size {
            s if s < 0 => Err(ApiError::invalid("page_size must not be negative")),
            0 => Ok(default),
            s => Ok(usize::try_from(s).map_or(max, |s| s.min(max))),
        }
    }

    /// The cursor inside `pageToken` (`kind` guards against a token of another list).
    pub fn page_cursor(&self, kind: &str) -> ApiResult<Option<String>> {
        match self.get("pageToken") {
            None | Some("") => Ok(None),
            Some(token) => decode_token(kind, token)
                .map(Some)
                .ok_or_else(|| ApiError::invalid("The page token is invalid.")),
        }
    }
}

/// An opaque page token around `cursor`.
pub(crate) fn page_token(kind: &str, cursor: &str) -> String {
    base64::engine::general_purpose::URL_SAFE_NO_PAD.encode(format!("{kind}|{cursor}"))
}

fn decode_token(kind: &str, token: &str) -> Option<String> {
    let bytes = base64::engine::general_purpose::URL_SAFE_NO_PAD
        .decode(token)
        .ok()?;
    let text = String::from_utf8(bytes).ok()?;
    let (k, cursor) = text.split_once('|')?;
    (k == kind).then(|| cursor.to_owned())
}

/// The paths of an `updateMask` (`text,cardsV2` or `text, cards_v2`), in camelCase.
pub(crate) fn update_mask(ctx: &Ctx<'_>, allowed: &[&str]) -> ApiResult<Vec<String>> {
    let Some(mask) = ctx.query.get("updateMask").filter(|m| !m.trim().is_empty()) else {
        return Err(ApiError::invalid("update_mask is required."));
    };
    let mut paths = Vec::new();
    for path in mask.split(',').map(str::trim) {
        if path == "*" {
            paths.extend(allowed.iter().map(|p| (*p).to_owned()));
            continue;
        }
        let camel = snake_to_camel(path);
        if !allowed.contains(&camel.as_str()) {
            return Err(ApiError::invalid(format!(
                "Invalid field mask path: '{path}'. Supported paths: {}.",
                allowed.join(", ")
            )));
        }
        paths.push(camel);
    }
    Ok(paths)
}

/// `cards_v2` -> `cardsV2`.
fn snake_to_camel(path: &str) -> String {
    let mut out = String::with_capacity(path.len());
    let mut upper = false;
    for c in path.chars() {
        if c == '_' {
            upper = true;
        } else if upper {
            out.extend(c.to_uppercase());
            upper = false;
        } else {
            out.push(c);
        }
    }
    out
}

/// What a handler answers.
#[derive(Debug)]
pub(crate) enum Reply {
    /// 200 with a JSON body.
    Json(Value),
    /// 200 with media.
    Media { content_type: String, data: Vec<u8> },
    /// A status with headers and no body (resumable sessions: 200 + `Location`, 308 +
    /// `Range`).
    Empty {
        status: u16,
        headers: Vec<(HeaderName, String)>,
    },
}

impl IntoResponse for Reply {
    fn into_response(self) -> Response {
        match self {
            Self::Json(value) => crate::server::json_body(&value),
            Self::Media { content_type, data } => {
                let mut response = Response::new(Body::from(data));
                if let Ok(v) = HeaderValue::from_str(&content_type) {
                    response.headers_mut().insert(header::CONTENT_TYPE, v);
                }
                response
            }
            Self::Empty { status, headers } => {
                let mut response = Response::new(Body::empty());
                *response.status_mut() = StatusCode::from_u16(status).unwrap_or(StatusCode::OK);
                for (name, value) in headers {
                    if let Ok(v) = HeaderValue::from_str(&value) {
                        response.headers_mut().insert(name, v);
                    }
                }
                response
            }
        }
    }
}

/// Runs the implemented method `id` with the path's `args`.
pub(crate) fn dispatch(
    state: &mut State,
    id: &str,
    args: &[String],
    ctx: &Ctx<'_>,
) -> ApiResult<Reply> {
    let arg = |i: usize| args.get(i).map_or("", String::as_str);
    let json = match id {
        "spaces.create" => spaces::create(state, ctx)?,
        "spaces.setup" => spaces::setup(state, ctx)?,
        "spaces.get" => spaces::get(state, ctx, arg(0))?,
        "spaces.list" => spaces::list(state, ctx)?,
        "spaces.search" => spaces::search(state, ctx)?,
        "spaces.patch" => spaces::patch(state, ctx, arg(0))?,
        "spaces.delete" => spaces::delete(state, ctx, arg(0))?,
        "spaces.findDirectMessage" => spaces::find_direct_message(state, ctx)?,
        "spaces.members.create" => members::create(state, ctx, arg(0))?,
        "spaces.members.get" => members::get(state, ctx, arg(0), arg(1))?,
        "spaces.members.list" => members::list(state, ctx, arg(0))?,
        "spaces.members.patch" => members::patch(state, ctx, arg(0), arg(1))?,
        "spaces.members.delete" => members::delete(state, ctx, arg(0), arg(1))?,
        "spaces.messages.create" => messages::create(state, ctx, arg(0))?,
        "spaces.messages.get" => messages::get(state, ctx, arg(0), arg(1))?,
        "spaces.messages.list" => messages::list(state, ctx, arg(0))?,
        "spaces.messages.patch" | "spaces.messages.update" => {
            edit::update(state, ctx, arg(0), arg(1), id == "spaces.messages.update")?
        }
        "spaces.messages.delete" => edit::delete(state, ctx, arg(0), arg(1))?,
        "spaces.messages.replaceCards" => edit::replace_cards(state, ctx, arg(0), arg(1))?,
        "spaces.messages.attachments.get" => media::attachment(state, ctx, arg(0), arg(1), arg(2))?,
        "spaces.messages.reactions.create" => reactions::create(state, ctx, arg(0), arg(1))?,
        "spaces.messages.reactions.list" => reactions::list(state, ctx, arg(0), arg(1))?,
        "spaces.messages.reactions.delete" => {
            reactions::delete(state, ctx, arg(0), arg(1), arg(2))?
        }
        "media.upload" => return media::upload(state, ctx, arg(0)),
        "media.download" => return media::download(state, ctx, arg(0)),
        other => return Err(ApiError::unimplemented(&format!("chat.{other}"))),
    };
    Ok(Reply::Json(json))
}
