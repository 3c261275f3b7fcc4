//! `spaces.messages.reactions.*`: create, list (filter, pagination), delete.

use serde_json::{Map, Value, json};

use super::{Ctx, filter};
use crate::Identity;
use crate::error::{ApiError, ApiResult};
use crate::query::page_token;
use crate::store::State;

/// Reactions need user authentication ("Requires user authentication" on each of the
/// three reference pages under
/// <https://developers.google.com/workspace/chat/api/reference/rest/v1/spaces.messages.reactions>).
fn user_only(ctx: &Ctx<'_>) -> ApiResult<()> {
    match ctx.identity {
        Identity::User { .. } => Ok(()),
        Identity::App(_) => Err(ApiError::permission_denied(
            "Reactions require user authentication.",
        )),
    }
}

/// `spaces.messages.reactions.create`
/// (<https://developers.google.com/workspace/chat/api/reference/rest/v1/spaces.messages.reactions/create>):
/// `emoji.unicode` or `emoji.customEmoji.uid`; the same user reacting twice with the
/// same emoji gets the existing reaction; counts as a write.
pub(super) fn create(
    state: &mut State,
    ctx: &Ctx<'_>,
    space: &str,
    message: &str,
) -> ApiResult<Value> {
    user_only(ctx)?;
    let body = ctx.json()?;
    let emoji = match body.get("emoji") {
        Some(Value::Object(e))
            if e.get("unicode")
                .and_then(Value::as_str)
                .is_some_and(|u| !u.is_empty())
                || e.get("customEmoji")
                    .and_then(|c| c.get("uid"))
                    .and_then(Value::as_str)
                    .is_some() =>
        {
            e.clone()
        }
        _ => {
            return Err(ApiError::invalid(
                "Reaction.emoji needs unicode or customEmoji.uid.",
            ));
        }
    };
    let user = state.user_json(&ctx.identity);
    {
        let s = state.member_space(space, &ctx.identity)?;
        let m = s.message(message).ok_or_else(ApiError::not_found)?;
        if let Some((_, r)) = m.reactions.values().find(|(who, r)| {
            *who == ctx.identity && r.get("emoji") == Some(&Value::Object(emoji.clone()))
        }) {
            return Ok(Value::Object(r.clone()));
        }
    }
    state.count_write(space)?;
    let id = state.next_id("R");
    let s = state.space_mut(space)?;
    let m = s.message_mut(message).ok_or_else(ApiError::not_found)?;
    let name = format!("{}/reactions/{id}", m.name());
    let mut json = Map::new();
    json.insert("name".into(), json!(name));
    json.insert("user".into(), user);
    json.insert("emoji".into(), Value::Object(emoji));
    m.reactions.insert(id, (ctx.identity.clone(), json.clone()));
    Ok(Value::Object(json))
}

/// `spaces.messages.reactions.list`
/// (<https://developers.google.com/workspace/chat/api/reference/rest/v1/spaces.messages.reactions/list>):
/// "If unspecified, the default value is 25. The maximum value is 200"; `filter` on
/// `emoji.unicode`, `emoji.custom_emoji.uid` and `user.name`, "join similar fields with
/// the `OR` operator", emoji and user with `AND`.
pub(super) fn list(
    state: &mut State,
    ctx: &Ctx<'_>,
    space: &str,
    message: &str,
) -> ApiResult<Value> {
    user_only(ctx)?;
    let size = ctx.query.page_size(25, 200)?;
    let after = ctx.query.page_cursor("reactions")?;
    let expr = match ctx.query.get("filter").filter(|f| !f.trim().is_empty()) {
        None => None,
        Some(text) => {
            let e = filter::parse(text)?;
            for t in e.terms() {
                if t.op != "="
                    || !["emoji.unicode", "emoji.custom_emoji.uid", "user.name"]
                        .contains(&t.field.as_str())
                {
                    return Err(ApiError::invalid(format!(
                        "Invalid filter term '{} {} {}'.",
                        t.field, t.op, t.value
                    )));
                }
            }
            Some(e)
        }
    };
    let s = state.member_space(space, &ctx.identity)?;
    let m = s.message(message).ok_or_else(ApiError::not_found)?;
    let mut page = Vec::new();
    let mut last = None;
    let mut more = false;
    for (id, (_, r)) in &m.reactions {
        if after.as_ref().is_some_and(|a| id <= a) {
            continue;
        }
        if let Some(e) = &expr {
            let keep = e.eval(&mut |t| {
                let pointer = match t.field.as_str() {
                    "emoji.unicode" => "/emoji/unicode",
                    "emoji.custom_emoji.uid" => "/emoji/customEmoji/uid",
                    _ => "/user/name",
                };
                let value = Value::Object(r.clone());
                value.pointer(pointer).and_then(Value::as_str) == Some(t.value.as_str())
            });
            if !keep {
                continue;
            }
        }
        if page.len() == size {
            more = true;
            break;
        }
        page.push(Value::Object(r.clone()));
        last = Some(id.clone());
    }
    let mut out = Map::new();
    out.insert("reactions".into(), Value::Array(page));
    if let (true, Some(last)) = (more, last) {
        out.insert(
            "nextPageToken".into(),
            json!(page_token("reactions", &last)),
        );
    }
    Ok(Value::Object(out))
}

/// `spaces.messages.reactions.delete`
/// (<https://developers.google.com/workspace/chat/api/reference/rest/v1/spaces.messages.reactions/delete>):
/// a user deletes their own reactions; counts as a write.
pub(super) fn delete(
    state: &mut State,
    ctx: &Ctx<'_>,
    space: &str,
    message: &str,
    id: &str,
) -> ApiResult<Value> {
    user_only(ctx)?;
    {
        let s = state.member_space(space, &ctx.identity)?;
        let m = s.message(message).ok_or_else(ApiError::not_found)?;
        let (who, _) = m.reactions.get(id).ok_or_else(ApiError::not_found)?;
        if *who != ctx.identity {
            return Err(ApiError::permission_denied(
                "Only the user who reacted can delete the reaction.",
            ));
        }
    }
    state.count_write(space)?;
    let s = state.space_mut(space)?;
    if let Some(m) = s.message_mut(message) {
        m.reactions.remove(id);
    }
    Ok(json!({}))
}
