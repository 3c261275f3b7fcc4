//! The API's methods: one function per implemented method, over the state, behind one
//! dispatcher keyed by the method id.

mod edit;
mod filter;
pub(crate) mod media;
pub(crate) mod members;
pub(crate) mod messages;
mod reactions;
mod spaces;

use axum::http::HeaderMap;
use serde_json::{Map, Value};

use crate::Identity;
use crate::error::{ApiError, ApiResult};
use crate::query::Query;
use crate::reply::Reply;
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
