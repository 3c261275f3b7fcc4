//! `spaces.*`: create, setup, get, list, search, patch, delete, findDirectMessage.

use serde_json::{Map, Value, json};

use super::{Ctx, filter, update_mask};
use crate::Identity;
use crate::error::{ApiError, ApiResult};
use crate::query::page_token;
use crate::store::{MemberKey, State, check_member};

/// The role a human gets in a space they create.
const MANAGER: &str = "ROLE_MANAGER";

/// `spaces.create`
/// (<https://developers.google.com/workspace/chat/api/reference/rest/v1/spaces/create>):
/// the caller becomes a member (a user as space manager; "When authenticating as an
/// app, the Chat app is added as a member of the space", and "the `space.customer`
/// field must be set"); a named space needs a `displayName`; `requestId` returns the
/// space already created with that id ("Specifying an existing request ID returns the
/// space created with that ID instead of creating a new space").
pub(super) fn create(state: &mut State, ctx: &Ctx<'_>) -> ApiResult<Value> {
    let body = ctx.json()?;
    let request = ctx.query.get("requestId").filter(|r| !r.is_empty());
    if let Some(existing) = request.and_then(|r| {
        state
            .space_requests
            .get(&(ctx.identity.clone(), r.to_owned()))
    }) {
        return Ok(Value::Object(state.space(&existing.clone())?.json.clone()));
    }
    let space_type = body
        .get("spaceType")
        .and_then(Value::as_str)
        .unwrap_or("SPACE");
    if space_type != "SPACE" {
        return Err(ApiError::invalid(format!(
            "spaces.create creates named spaces (spaceType SPACE), not {space_type}; \
             use spaces.setup for group chats and direct messages"
        )));
    }
    let display = body
        .get("displayName")
        .and_then(Value::as_str)
        .unwrap_or("");
    if display.trim().is_empty() {
        return Err(ApiError::invalid("A named space needs a displayName."));
    }
    if matches!(ctx.identity, Identity::App(_)) && !body.contains_key("customer") {
        return Err(ApiError::invalid(
            "When authenticating as an app, the space.customer field must be set.",
        ));
    }
    let duplicate = state.spaces.values().any(|s| {
        s.json.get("displayName").and_then(Value::as_str) == Some(display)
            && s.space_type() == "SPACE"
    });
    if duplicate {
        return Err(ApiError::already_exists(format!(
            "A space named '{display}' already exists; try a different displayName."
        )));
    }
    let id = state.next_id("S");
    let mut json = body;
    json.insert("spaceType".into(), json!("SPACE"));
    json.insert("singleUserBotDm".into(), json!(false));
    let value = state.insert_space(id.clone(), json)?;
    state.add_member(&id, MemberKey::of(&ctx.identity), MANAGER)?;
    if let Some(r) = request {
        state
            .space_requests
            .insert((ctx.identity.clone(), r.to_owned()), id);
    }
    Ok(value)
}

/// `spaces.setup`
/// (<https://developers.google.com/workspace/chat/api/reference/rest/v1/spaces/setup>):
/// user authentication only; creates the space with the caller ("automatically added")
/// and the given human memberships; a `DIRECT_MESSAGE` with one membership returns the
/// existing DM between the two users if there is one; `singleUserBotDm` sets up a DM
/// with the calling app.
pub(super) fn setup(state: &mut State, ctx: &Ctx<'_>) -> ApiResult<Value> {
    let Identity::User { user, app } = &ctx.identity else {
        return Err(ApiError::permission_denied(
            "spaces.setup requires user authentication.",
        ));
    };
    let body = ctx.json()?;
    let space = match body.get("space") {
        Some(Value::Object(s)) => s.clone(),
        _ => return Err(ApiError::invalid("SetUpSpaceRequest.space is required.")),
    };
    let request = body
        .get("requestId")
        .and_then(Value::as_str)
        .filter(|r| !r.is_empty());
    if let Some(existing) = request.and_then(|r| {
        state
            .space_requests
            .get(&(ctx.identity.clone(), r.to_owned()))
    }) {
        return Ok(Value::Object(state.space(&existing.clone())?.json.clone()));
    }
    let mut others = Vec::new();
    for m in body
        .get("memberships")
        .and_then(Value::as_array)
        .into_iter()
        .flatten()
    {
        let name = m
            .pointer("/member/name")
            .and_then(Value::as_str)
            .ok_or_else(|| {
                ApiError::invalid("Each membership needs member.name (users/{user}).")
            })?;
        if !name.starts_with("users/") || name == "users/app" {
            return Err(ApiError::invalid(format!(
                "Only human users (users/{{user}}) can be added through spaces.setup, not {name}."
            )));
        }
        if name != user {
            others.push(name.to_owned());
        }
    }
    let space_type = space
        .get("spaceType")
        .and_then(Value::as_str)
        .unwrap_or("SPACE")
        .to_owned();
    let bot_dm = space.get("singleUserBotDm").and_then(Value::as_bool) == Some(true);
    if space_type == "DIRECT_MESSAGE" {
        if bot_dm {
            if !others.is_empty() {
                return Err(ApiError::invalid(
                    "A DM with the calling app takes no memberships.",
                ));
            }
            if let Some(found) = find_dm(state, user, &MemberKey::App(app.clone())) {
                return Ok(found);
            }
        } else {
            if others.len() != 1 {
                return Err(ApiError::invalid(
                    "A direct message needs exactly one membership: the other human user.",
                ));
            }
            if let Some(found) = find_dm(state, user, &MemberKey::Human(others[0].clone())) {
                return Ok(found);
            }
        }
    } else if space_type == "SPACE"
        && space
            .get("displayName")
            .and_then(Value::as_str)
            .is_none_or(|d| d.trim().is_empty())
    {
        return Err(ApiError::invalid("A named space needs a displayName."));
    }
    let id = state.next_id("S");
    let value = state.insert_space(id.clone(), space)?;
    let role = if space_type == "SPACE" {
        MANAGER
    } else {
        "ROLE_MEMBER"
    };
    state.add_member(&id, MemberKey::Human(user.clone()), role)?;
    for other in others {
        state.add_member(&id, MemberKey::Human(other), "ROLE_MEMBER")?;
    }
    if bot_dm {
        state.add_member(&id, MemberKey::App(app.clone()), "ROLE_MEMBER")?;
    }
    if let Some(r) = request {
        state
            .space_requests
            .insert((ctx.identity.clone(), r.to_owned()), id);
    }
    Ok(value)
}

/// The DM between human `user` and `other`, if one exists.
fn find_dm(state: &State, user: &str, other: &MemberKey) -> Option<Value> {
    state
        .spaces
        .values()
        .find(|s| {
            s.space_type() == "DIRECT_MESSAGE"
                && s.members.len() == 2
                && s.is_member(&Identity::User {
                    user: user.to_owned(),
                    app: String::new(),
                })
                && s.members.values().any(|m| &m.identity_key == other)
        })
        .map(|s| Value::Object(s.json.clone()))
}

/// Whether the caller asks for and has administrator access (`useAdminAccess`): only
/// a user who is a Workspace administrator, never an app (the reference pages: "Requires
/// user authentication with administrator privileges").
fn admin_access(state: &State, ctx: &Ctx<'_>) -> ApiResult<bool> {
    if !ctx.query.flag("useAdminAccess")? {
        return Ok(false);
    }
    match &ctx.identity {
        Identity::User { user, .. } if state.admins.contains(user) => Ok(true),
        _ => Err(ApiError::permission_denied(
            "useAdminAccess requires user authentication with administrator privileges.",
        )),
    }
}

/// `spaces.get`
/// (<https://developers.google.com/workspace/chat/api/reference/rest/v1/spaces/get>):
/// the caller must be a member, unless an administrator uses `useAdminAccess`.
pub(super) fn get(state: &mut State, ctx: &Ctx<'_>, id: &str) -> ApiResult<Value> {
    let admin = admin_access(state, ctx)?;
    let space = state.space(id)?;
    if !admin {
        check_member(space, &ctx.identity)?;
    }
    Ok(Value::Object(space.json.clone()))
}

/// `spaces.list`
/// (<https://developers.google.com/workspace/chat/api/reference/rest/v1/spaces/list>):
/// the spaces the caller is a member of; `pageSize` "If unspecified, at most 100 spaces
/// are returned. The maximum value is 1000"; negative is INVALID_ARGUMENT; `filter` on
/// `space_type`/`spaceType` with `=` joined by `OR`.
pub(super) fn list(state: &mut State, ctx: &Ctx<'_>) -> ApiResult<Value> {
    let size = ctx.query.page_size(100, 1000)?;
    let after = ctx.query.page_cursor("spaces")?;
    let types = match ctx.query.get("filter").filter(|f| !f.trim().is_empty()) {
        None => None,
        Some(text) => Some(space_type_filter(text)?),
    };
    let mut items: Vec<(&String, Value)> = Vec::new();
    let mut more = false;
    for (id, space) in &state.spaces {
        if after.as_ref().is_some_and(|a| id <= a) || !space.is_member(&ctx.identity) {
            continue;
        }
        if types
            .as_ref()
            .is_some_and(|t| !t.iter().any(|t| t == space.space_type()))
        {
            continue;
        }
        if items.len() == size {
            more = true;
            break;
        }
        items.push((id, Value::Object(space.json.clone())));
    }
    let mut out = Map::new();
    let next = more.then(|| items.last().map(|(id, _)| page_token("spaces", id)));
    out.insert(
        "spaces".into(),
        Value::Array(items.into_iter().map(|(_, v)| v).collect()),
    );
    if let Some(Some(token)) = next {
        out.insert("nextPageToken".into(), json!(token));
    }
    Ok(Value::Object(out))
}

/// The space types of a `spaces.list` filter (`spaceType = "SPACE" OR ...`).
fn space_type_filter(text: &str) -> ApiResult<Vec<String>> {
    let expr = filter::parse(text)?;
    if matches!(expr, filter::Expr::And(_)) {
        return Err(ApiError::invalid("Space types can only be joined with OR."));
    }
    expr.terms()
        .into_iter()
        .map(|t| {
            let ok = matches!(t.field.as_str(), "space_type" | "spaceType") && t.op == "=";
            if !ok || !["SPACE", "GROUP_CHAT", "DIRECT_MESSAGE"].contains(&t.value.as_str()) {
                return Err(ApiError::invalid(format!(
                    "Invalid filter term '{} {} {}': only space_type = SPACE, GROUP_CHAT or DIRECT_MESSAGE.",
                    t.field, t.op, t.value
                )));
            }
            Ok(t.value.clone())
        })
        .collect()
}

/// `spaces.search`
/// (<https://developers.google.com/workspace/chat/api/reference/rest/v1/spaces/search>):
/// administrators only (`useAdminAccess` must be true); `query` must name
/// `customer = "customers/my_customer"` and `spaceType = "SPACE"`; the fake also
/// understands `display_name:"text"` (contains, case-insensitive). `pageSize` default
/// 100, maximum 1000 with admin access.
pub(super) fn search(state: &mut State, ctx: &Ctx<'_>) -> ApiResult<Value> {
    if !admin_access(state, ctx)? {
        return Err(ApiError::invalid(
            "spaces.search requires useAdminAccess = true.",
        ));
    }
    let size = ctx.query.page_size(100, 1000)?;
    let after = ctx.query.page_cursor("search")?;
    let query = ctx.query.get("query").unwrap_or("");
    let expr = filter::parse(query)?;
    if expr.has_or() {
        return Err(ApiError::invalid(
            "The fake's spaces.search joins terms with AND only.",
        ));
    }
    let terms = expr.terms();
    let has = |f: &str, v: &str| {
        terms
            .iter()
            .any(|t| t.field == f && t.op == "=" && t.value == v)
    };
    if !has("customer", "customers/my_customer") {
        return Err(ApiError::invalid(
            "query must include customer = \"customers/my_customer\".",
        ));
    }
    if !has("spaceType", "SPACE") && !has("space_type", "SPACE") {
        return Err(ApiError::invalid(
            "query must include spaceType = \"SPACE\".",
        ));
    }
    let mut needles = Vec::new();
    for t in &terms {
        match (t.field.as_str(), t.op.as_str()) {
            ("customer" | "spaceType" | "space_type", "=") => {}
            ("display_name" | "displayName", ":") => needles.push(t.value.to_lowercase()),
            _ => {
                return Err(ApiError::invalid(format!(
                    "The fake Chat server does not support the search term '{} {} {}'.",
                    t.field, t.op, t.value
                )));
            }
        }
    }
    let mut spaces: Vec<&crate::store::Space> = state
        .spaces
        .values()
        .filter(|s| s.space_type() == "SPACE")
        .filter(|s| {
            let name = s
                .json
                .get("displayName")
                .and_then(Value::as_str)
                .unwrap_or("")
                .to_lowercase();
            needles.iter().all(|n| name.contains(n))
        })
        .collect();
    let desc = match ctx
        .query
        .get("orderBy")
        .map(|o| o.trim().to_ascii_lowercase())
    {
        None => false,
        Some(o) if o == "create_time asc" || o == "create_time" => false,
        Some(o) if o == "create_time desc" => true,
        Some(o) => {
            return Err(ApiError::invalid(format!(
                "The fake Chat server orders searches by create_time only, not '{o}'."
            )));
        }
    };
    spaces.sort_by_key(|s| (s.create_time, s.id.clone()));
    if desc {
        spaces.reverse();
    }
    let start: usize = after.and_then(|a| a.parse().ok()).unwrap_or(0);
    let page: Vec<Value> = spaces
        .iter()
        .skip(start)
        .take(size)
        .map(|s| Value::Object(s.json.clone()))
        .collect();
    let mut out = Map::new();
    out.insert("totalSize".into(), json!(spaces.len()));
    if start + page.len() < spaces.len() {
        out.insert(
            "nextPageToken".into(),
            json!(page_token("search", &(start + page.len()).to_string())),
        );
    }
    out.insert("spaces".into(), Value::Array(page));
    Ok(Value::Object(out))
}

/// `spaces.patch`
/// (<https://developers.google.com/workspace/chat/api/reference/rest/v1/spaces/patch>):
/// `updateMask` is required and names the fields to change (the fake supports
/// `display_name`, `space_type` (only GROUP_CHAT to SPACE), `space_details`,
/// `space_history_state`, `access_settings.audience` as `access_settings` and
/// `permission_settings`); a named space keeps a non-empty `displayName`; counts as a
/// write for the per-space quota.
pub(super) fn patch(state: &mut State, ctx: &Ctx<'_>, id: &str) -> ApiResult<Value> {
    let admin = admin_access(state, ctx)?;
    let body = ctx.json()?;
    let paths = update_mask(
        ctx,
        &[
            "displayName",
            "spaceType",
            "spaceDetails",
            "spaceHistoryState",
            "accessSettings",
            "permissionSettings",
        ],
    )?;
    {
        let space = state.space(id)?;
        if !admin {
            check_member(space, &ctx.identity)?;
        }
        if paths.iter().any(|p| p == "spaceType") {
            let to = body.get("spaceType").and_then(Value::as_str).unwrap_or("");
            if !(space.space_type() == "GROUP_CHAT" && to == "SPACE") {
                return Err(ApiError::invalid(
                    "space_type can only be changed from GROUP_CHAT to SPACE.",
                ));
            }
        }
    }
    state.count_write(id)?;
    let space = state.space_mut(id)?;
    for path in &paths {
        match body.get(path) {
            Some(v) => {
                space.json.insert(path.clone(), v.clone());
            }
            None => {
                space.json.remove(path);
            }
        }
    }
    if space.space_type() == "SPACE"
        && space
            .json
            .get("displayName")
            .and_then(Value::as_str)
            .is_none_or(|d| d.trim().is_empty())
    {
        return Err(ApiError::invalid("A named space needs a displayName."));
    }
    space.refresh_message_space();
    Ok(Value::Object(space.json.clone()))
}

/// `spaces.delete`
/// (<https://developers.google.com/workspace/chat/api/reference/rest/v1/spaces/delete>):
/// deletes the space with its members and messages; a user must be a space manager
/// (or an administrator with `useAdminAccess`), an app must be a member (it deletes
/// spaces it created with `chat.app.delete`); counts as a write.
pub(super) fn delete(state: &mut State, ctx: &Ctx<'_>, id: &str) -> ApiResult<Value> {
    let admin = admin_access(state, ctx)?;
    let space = state.space(id)?;
    if !admin {
        check_member(space, &ctx.identity)?;
        if let Identity::User { user, .. } = &ctx.identity {
            let key = MemberKey::Human(user.clone());
            let manager = space
                .members
                .get(key.member_id())
                .is_some_and(|m| m.json.get("role").and_then(Value::as_str) == Some(MANAGER));
            if !manager && space.space_type() == "SPACE" {
                return Err(ApiError::permission_denied(
                    "Only space managers can delete a space.",
                ));
            }
        }
    }
    state.count_write(id)?;
    state.spaces.remove(id);
    state.blobs.retain(|_, b| b.space != id);
    Ok(json!({}))
}

/// `spaces.findDirectMessage`
/// (<https://developers.google.com/workspace/chat/api/reference/rest/v1/spaces/findDirectMessage>):
/// the DM between the caller and `name` (`users/{user}`); with app authentication, the
/// DM between the user and the calling app; NOT_FOUND when there is none.
pub(super) fn find_direct_message(state: &mut State, ctx: &Ctx<'_>) -> ApiResult<Value> {
    let name = ctx
        .query
        .get("name")
        .filter(|n| n.starts_with("users/"))
        .ok_or_else(|| ApiError::invalid("name must be users/{user}."))?;
    let found = match &ctx.identity {
        Identity::App(app) => find_dm(state, name, &MemberKey::App(app.clone())),
        Identity::User { user, .. } => find_dm(state, user, &MemberKey::Human(name.to_owned())),
    };
    found.ok_or_else(ApiError::not_found)
}
