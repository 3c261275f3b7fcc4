//! Changing messages: `spaces.messages.patch`/`update` (updateMask, allowMissing),
//! `delete`, and `replaceCards` with its three rules.

use serde_json::{Value, json};

use super::messages::{CreateOptions, create_message, valid_client_id};
use super::{Ctx, update_mask};
use crate::Identity;
use crate::error::{ApiError, ApiResult};
use crate::store::{State, app_user_name};

/// The fields `updateMask` may name ("Currently supported field paths: `text`,
/// `attachment`, `cards`, `cards_v2`, `accessory_widgets`, `quoted_message_metadata`").
const UPDATABLE: [&str; 6] = [
    "text",
    "attachment",
    "cards",
    "cardsV2",
    "accessoryWidgets",
    "quotedMessageMetadata",
];

/// `spaces.messages.patch` and `.update`
/// (<https://developers.google.com/workspace/chat/api/reference/rest/v1/spaces.messages/patch>):
/// `updateMask` is required; `cards`, `cards_v2` and `accessory_widgets` "Require app
/// authentication"; `quoted_message_metadata` "Only allows removal"; `allowMissing`:
/// "If `true` and the message isn't found, a new message is created and `updateMask`
/// is ignored. The specified message ID must be client-assigned or the request fails";
/// only the sender may change a message; a user who edits the text of a message that
/// carries a Chat app's cards removes those cards ("If a user edits the message text,
/// the app-owned cards are removed", create-update-cards guide); counts as a write.
pub(super) fn update(
    state: &mut State,
    ctx: &Ctx<'_>,
    space: &str,
    id: &str,
    _put: bool,
) -> ApiResult<Value> {
    let body = ctx.json()?;
    let allow_missing = ctx.query.flag("allowMissing")?;
    let exists = state
        .member_space(space, &ctx.identity)?
        .message(id)
        .is_some();
    if !exists {
        if !allow_missing {
            return Err(ApiError::not_found());
        }
        if !valid_client_id(id) {
            return Err(ApiError::invalid(format!(
                "allowMissing creates a message only under a client-assigned ID (client-...), not '{id}'."
            )));
        }
        let options = CreateOptions {
            message_id: Some(id.to_owned()),
            ..CreateOptions::default()
        };
        return create_message(state, &ctx.identity, space, body, &options);
    }
    let paths = update_mask(ctx, &UPDATABLE)?;
    let is_user = matches!(ctx.identity, Identity::User { .. });
    if is_user {
        if let Some(p) = paths
            .iter()
            .find(|p| ["cards", "cardsV2", "accessoryWidgets"].contains(&p.as_str()))
        {
            return Err(ApiError::permission_denied(format!(
                "Updating {p} requires app authentication."
            )));
        }
    }
    if paths.iter().any(|p| p == "quotedMessageMetadata")
        && body.contains_key("quotedMessageMetadata")
    {
        return Err(ApiError::invalid(
            "quoted_message_metadata can only be removed.",
        ));
    }
    {
        let message = state
            .space(space)?
            .message(id)
            .ok_or_else(ApiError::not_found)?;
        if message.sender != ctx.identity {
            return Err(ApiError::permission_denied(
                "Only the sender of a message can update it.",
            ));
        }
    }
    state.count_write(space)?;
    let now = state.next_time();
    let s = state.space_mut(space)?;
    let message = s.message_mut(id).ok_or_else(ApiError::not_found)?;
    let user_edits_text = is_user && paths.iter().any(|p| p == "text");
    let drop_attachments = paths.iter().any(|p| p == "attachment")
        && body
            .get("attachment")
            .and_then(Value::as_array)
            .is_none_or(Vec::is_empty);
    if drop_attachments {
        // Attachments are kept apart; an update can only drop them.
        message.attachments.clear();
    }
    message.edit(|fields| {
        for path in paths.iter().filter(|p| *p != "attachment") {
            match body.get(path) {
                Some(v) => fields.insert(path.clone(), v.clone()),
                None => fields.remove(path),
            };
            if path == "text" {
                fields.remove("argumentText");
            }
        }
        if user_edits_text {
            fields.remove("cardsV2");
            fields.remove("cards");
        }
    });
    if user_edits_text {
        message.card_owner = None;
    }
    if let Identity::App(app) = &ctx.identity {
        if paths.iter().any(|p| p == "cardsV2" || p == "cards") {
            message.card_owner = message.has_cards().then(|| app.clone());
        }
    }
    message.last_update = Some(now);
    Ok(message.to_json())
}

/// `spaces.messages.delete`
/// (<https://developers.google.com/workspace/chat/api/reference/rest/v1/spaces.messages/delete>):
/// only the sender deletes a message (apps "can only delete messages they create");
/// with user authentication, `force` is needed to delete a thread's first message that
/// has replies ("When `false`, if a message has threaded replies, deletion fails");
/// counts as a write.
pub(super) fn delete(state: &mut State, ctx: &Ctx<'_>, space: &str, id: &str) -> ApiResult<Value> {
    let force = ctx.query.flag("force")?;
    let s = state.member_space(space, &ctx.identity)?;
    let message = s.message(id).ok_or_else(ApiError::not_found)?;
    if message.sender != ctx.identity {
        return Err(ApiError::permission_denied(
            "Only the sender of a message can delete it.",
        ));
    }
    let seq = message.seq;
    let thread = message.thread.clone();
    let first = s
        .messages
        .values()
        .find(|m| m.thread == thread)
        .is_some_and(|m| m.seq == seq);
    let replies: Vec<u64> = s
        .messages
        .values()
        .filter(|m| m.thread == thread && m.seq != seq)
        .map(|m| m.seq)
        .collect();
    if first && !replies.is_empty() && !force && matches!(ctx.identity, Identity::User { .. }) {
        return Err(ApiError::failed_precondition(
            "The message has threaded replies; set force to delete them too.",
        ));
    }
    state.count_write(space)?;
    let s = state.space_mut(space)?;
    s.remove_message(seq);
    if first && force {
        for r in replies {
            s.remove_message(r);
        }
    }
    Ok(json!({}))
}

/// `spaces.messages.replaceCards`
/// (<https://developers.google.com/workspace/chat/api/reference/rest/v1/spaces.messages/replaceCards>):
/// "Requires app authentication"; the app must be a member of the space (Limitations of
/// <https://developers.google.com/workspace/chat/create-update-cards>); and the three
/// rules: "A Chat app can only replace cards on a human-created message if the message
/// already contains cards, and the cards were created by the app" (so another app's
/// cards are refused with PERMISSION_DENIED); "you can't add cards to a message that
/// doesn't already have cards" ("After removing the cards, the app cannot add cards back
/// to the message", FAILED_PRECONDITION); once a user edited the text, the app's cards
/// are gone (see [`update`]) and so cannot be replaced. An empty list removes the cards.
/// "If successful, the response body is empty."
pub(super) fn replace_cards(
    state: &mut State,
    ctx: &Ctx<'_>,
    space: &str,
    id: &str,
) -> ApiResult<Value> {
    let Identity::App(app) = &ctx.identity else {
        return Err(ApiError::permission_denied(
            "replaceCards requires app authentication.",
        ));
    };
    let body = ctx.json()?;
    let cards = match body.get("cardsV2") {
        None | Some(Value::Null) => Vec::new(),
        Some(Value::Array(a)) => a.clone(),
        Some(_) => return Err(ApiError::invalid("cardsV2 must be a list of CardWithId.")),
    };
    let s = state.member_space_mut(space, &ctx.identity)?;
    let message = s.message_mut(id).ok_or_else(ApiError::not_found)?;
    if !message.has_cards() {
        if cards.is_empty() {
            return Ok(json!({}));
        }
        return Err(ApiError::failed_precondition(
            "Cards can't be added to a message that doesn't already have cards.",
        ));
    }
    if message.card_owner.as_deref() != Some(app.as_str()) {
        return Err(ApiError::permission_denied(format!(
            "The cards of {} were not attached by this Chat app ({}); only the app that added them can replace them.",
            message.name(),
            app_user_name(app)
        )));
    }
    let empty = cards.is_empty();
    message.edit(|fields| {
        fields.remove("cards");
        if empty {
            fields.remove("cardsV2");
        } else {
            fields.insert("cardsV2".into(), Value::Array(cards));
        }
    });
    if empty {
        message.card_owner = None;
    }
    Ok(json!({}))
}
