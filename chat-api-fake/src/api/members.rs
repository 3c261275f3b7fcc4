//! `spaces.members.*`: create, get, list, patch (role), delete.

use serde_json::{Map, Value, json};

use super::{Ctx, filter, update_mask};
use crate::Identity;
use crate::error::{ApiError, ApiResult};
use crate::query::page_token;
use crate::store::{MemberKey, State};

/// The member id a path names: `app` is the calling app (`spaces/{space}/members/app`),
/// an email or id is a user.
fn member_id<'a>(ctx: &'a Ctx<'_>, member: &'a str) -> &'a str {
    match (&ctx.identity, member) {
        (Identity::App(app), "app") => app,
        _ => member,
    }
}

/// `spaces.members.create`
/// (<https://developers.google.com/workspace/chat/api/reference/rest/v1/spaces.members/create>):
/// adds a human (`member.name` = `users/{user}`, type HUMAN) or the calling app
/// (`users/app`, type BOT, which only a user can do); the caller must be a member;
/// ALREADY_EXISTS if the membership exists.
pub(super) fn create(state: &mut State, ctx: &Ctx<'_>, space: &str) -> ApiResult<Value> {
    let body = ctx.json()?;
    state.member_space(space, &ctx.identity)?;
    let member = body.get("member").cloned().unwrap_or_default();
    let name = member
        .pointer("/name")
        .and_then(Value::as_str)
        .ok_or_else(|| {
            ApiError::invalid("Membership.member.name is required (users/{user} or users/app).")
        })?;
    let kind = member
        .pointer("/type")
        .and_then(Value::as_str)
        .unwrap_or("HUMAN");
    let key = match (name, kind, &ctx.identity) {
        ("users/app", "BOT", Identity::User { app, .. }) => MemberKey::App(app.clone()),
        ("users/app", _, Identity::App(_)) => {
            return Err(ApiError::permission_denied(
                "A Chat app cannot add itself to a space; a user adds it.",
            ));
        }
        (n, "HUMAN", _) if n.starts_with("users/") && n != "users/app" => {
            MemberKey::Human(n.to_owned())
        }
        _ => {
            return Err(ApiError::invalid(format!(
                "Cannot add member {name} of type {kind}: add users/{{user}} (HUMAN) or users/app (BOT)."
            )));
        }
    };
    let role = body
        .get("role")
        .and_then(Value::as_str)
        .unwrap_or("ROLE_MEMBER")
        .to_owned();
    state.add_member(space, key, &role)
}

/// `spaces.members.get`
/// (<https://developers.google.com/workspace/chat/api/reference/rest/v1/spaces.members/get>):
/// the caller must be a member; `spaces/{space}/members/app` is the calling app.
pub(super) fn get(state: &mut State, ctx: &Ctx<'_>, space: &str, member: &str) -> ApiResult<Value> {
    let s = state.member_space(space, &ctx.identity)?;
    s.members
        .get(member_id(ctx, member))
        .map(|m| Value::Object(m.json.clone()))
        .ok_or_else(crate::error::ApiError::not_found)
}

/// `spaces.members.list`
/// (<https://developers.google.com/workspace/chat/api/reference/rest/v1/spaces.members/list>):
/// `pageSize` "If unspecified, at most 100 memberships are returned. The maximum value
/// is 1000"; with app authentication the list "excludes Chat app memberships, including
/// its own"; `filter` on `role` and `member.type` (`=`, `!=` for the type) joined by
/// `AND`/`OR`.
pub(super) fn list(state: &mut State, ctx: &Ctx<'_>, space: &str) -> ApiResult<Value> {
    let size = ctx.query.page_size(100, 1000)?;
    let after = ctx.query.page_cursor("members")?;
    let expr = match ctx.query.get("filter").filter(|f| !f.trim().is_empty()) {
        None => None,
        Some(text) => {
            let e = filter::parse(text)?;
            for t in e.terms() {
                let ok = match t.field.as_str() {
                    "role" => {
                        t.op == "=" && ["ROLE_MEMBER", "ROLE_MANAGER"].contains(&t.value.as_str())
                    }
                    "member.type" => {
                        ["=", "!="].contains(&t.op.as_str())
                            && ["HUMAN", "BOT"].contains(&t.value.as_str())
                    }
                    _ => false,
                };
                if !ok {
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
    let as_app = matches!(ctx.identity, Identity::App(_));
    let mut page = Vec::new();
    let mut last = None;
    let mut more = false;
    for (id, m) in &s.members {
        if after.as_ref().is_some_and(|a| id <= a) {
            continue;
        }
        let is_app = matches!(m.identity_key, MemberKey::App(_));
        if as_app && is_app {
            continue;
        }
        if let Some(e) = &expr {
            let role = m.json.get("role").and_then(Value::as_str).unwrap_or("");
            let kind = if is_app { "BOT" } else { "HUMAN" };
            let keep = e.eval(&mut |t| match (t.field.as_str(), t.op.as_str()) {
                ("role", _) => role == t.value,
                ("member.type", "!=") => kind != t.value,
                _ => kind == t.value,
            });
            if !keep {
                continue;
            }
        }
        if page.len() == size {
            more = true;
            break;
        }
        page.push(Value::Object(m.json.clone()));
        last = Some(id.clone());
    }
    let mut out = Map::new();
    out.insert("memberships".into(), Value::Array(page));
    if let (true, Some(last)) = (more, last) {
        out.insert("nextPageToken".into(), json!(page_token("members", &last)));
    }
    Ok(Value::Object(out))
}

/// `spaces.members.patch`
/// (<https://developers.google.com/workspace/chat/api/reference/rest/v1/spaces.members/patch>):
/// "Currently supported field paths: `role`"; only a space manager may change roles.
pub(super) fn patch(
    state: &mut State,
    ctx: &Ctx<'_>,
    space: &str,
    member: &str,
) -> ApiResult<Value> {
    let body = ctx.json()?;
    update_mask(ctx, &["role"])?;
    let role = body
        .get("role")
        .and_then(Value::as_str)
        .filter(|r| ["ROLE_MEMBER", "ROLE_MANAGER"].contains(r))
        .ok_or_else(|| ApiError::invalid("role must be ROLE_MEMBER or ROLE_MANAGER."))?
        .to_owned();
    let caller = MemberKey::of(&ctx.identity);
    let member = member_id(ctx, member).to_owned();
    let s = state.member_space_mut(space, &ctx.identity)?;
    let manager = s
        .members
        .get(caller.member_id())
        .is_some_and(|m| m.json.get("role").and_then(Value::as_str) == Some("ROLE_MANAGER"));
    if !manager {
        return Err(ApiError::permission_denied(
            "Only space managers can change roles.",
        ));
    }
    let m = s.members.get_mut(&member).ok_or_else(ApiError::not_found)?;
    if matches!(m.identity_key, MemberKey::App(_)) {
        return Err(ApiError::invalid("Chat apps have no role in a space."));
    }
    m.json.insert("role".into(), json!(role));
    Ok(Value::Object(m.json.clone()))
}

/// `spaces.members.delete`
/// (<https://developers.google.com/workspace/chat/api/reference/rest/v1/spaces.members/delete>):
/// removes a membership and returns it; `spaces/{space}/members/app` removes the
/// calling app.
pub(super) fn delete(
    state: &mut State,
    ctx: &Ctx<'_>,
    space: &str,
    member: &str,
) -> ApiResult<Value> {
    let member = member_id(ctx, member).to_owned();
    let s = state.member_space_mut(space, &ctx.identity)?;
    s.members
        .remove(&member)
        .map(|m| Value::Object(m.json))
        .ok_or_else(ApiError::not_found)
}
