//! `spaces.messages.*`: create (requestId, client-assigned ids, threads), get, list
//! (pagination, filter, order); the edits are in `edit.rs`.

use serde_json::{Map, Value, json};

use super::{Ctx, filter, media};
use crate::Identity;
use crate::error::{ApiError, ApiResult};
use crate::query::page_token;
use crate::store::{Message, NewMessage, State, check_member};
use crate::time;

/// Reference page of `spaces.messages.create`.
const CREATE_DOC: &str =
    "https://developers.google.com/workspace/chat/api/reference/rest/v1/spaces.messages/create";

/// How a new message joins a thread (`messageReplyOption`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub(crate) enum ReplyOption {
    /// "Default. Starts a new thread. Using this option ignores any thread ID or
    /// `thread_key` that's included."
    #[default]
    NewThread,
    /// "Creates the message as a reply to the thread specified by thread ID or
    /// `thread_key`. If it fails, the message starts a new thread instead."
    FallbackToNewThread,
    /// "... If a new `thread_key` is used, a new thread is created. If the message
    /// creation fails, a `NOT_FOUND` error is returned instead."
    OrFail,
}

/// The query parameters of `spaces.messages.create`.
#[derive(Debug, Clone, Default)]
pub(crate) struct CreateOptions {
    pub request_id: Option<String>,
    pub message_id: Option<String>,
    pub reply: ReplyOption,
    /// The deprecated `threadKey` query parameter.
    pub thread_key: Option<String>,
}

impl CreateOptions {
    fn from_query(ctx: &Ctx<'_>) -> ApiResult<Self> {
        let reply = match ctx.query.get("messageReplyOption") {
            None | Some("MESSAGE_REPLY_OPTION_UNSPECIFIED") => ReplyOption::NewThread,
            Some("REPLY_MESSAGE_FALLBACK_TO_NEW_THREAD") => ReplyOption::FallbackToNewThread,
            Some("REPLY_MESSAGE_OR_FAIL") => ReplyOption::OrFail,
            Some(other) => {
                return Err(ApiError::invalid(format!(
                    "Invalid value at 'message_reply_option' (type.googleapis.com/google.chat.v1.CreateMessageRequest.MessageReplyOption), \"{other}\""
                )));
            }
        };
        let get = |n: &str| {
            ctx.query
                .get(n)
                .filter(|v| !v.is_empty())
                .map(str::to_owned)
        };
        Ok(Self {
            request_id: get("requestId"),
            message_id: get("messageId"),
            reply,
            thread_key: get("threadKey"),
        })
    }
}

/// The Chat app behind a caller: the app itself, or the app of the user's OAuth client.
pub(crate) fn app_of(identity: &Identity) -> &str {
    match identity {
        Identity::App(app) | Identity::User { app, .. } => app,
    }
}

/// `spaces.messages.create` (see [`create_message`]).
pub(super) fn create(state: &mut State, ctx: &Ctx<'_>, space: &str) -> ApiResult<Value> {
    let options = CreateOptions::from_query(ctx)?;
    create_message(state, &ctx.identity, space, ctx.json()?, &options)
}

/// Whether `messageId` is a valid client-assigned id: "Begins with `client-`",
/// "Contains up to 63 characters and only lowercase letters, numbers, and hyphens"
/// (`CreateMessageRequest.messageId`, [`CREATE_DOC`]).
pub(super) fn valid_client_id(id: &str) -> bool {
    id.starts_with("client-")
        && id.len() <= 63
        && id
            .bytes()
            .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'-')
}

/// Creates a message in `space` as `identity`
/// (<https://developers.google.com/workspace/chat/api/reference/rest/v1/spaces.messages/create>):
///
/// - the caller must be a member of the space (an app not in it gets 403 "You are not
///   permitted to use this app");
/// - a message with cards created with user authentication needs the Chat app in the
///   space too ("When creating messages with cards on behalf of a user or updating
///   cards, the Chat app must be a member of the space", Limitations of
///   <https://developers.google.com/workspace/chat/create-update-cards>);
/// - `requestId`: "Specifying an existing request ID returns the message created with
///   that ID instead of creating a new message";
/// - `messageId`: a client-assigned id, "Is unique within a space";
/// - threads per `messageReplyOption` ([`ReplyOption`]); thread keys are per app ("if
///   multiple Chat apps create a message using the same thread key, the messages are
///   posted in different threads", `Thread.threadKey`);
/// - counts as a write for the per-space quota.
pub(crate) fn create_message(
    state: &mut State,
    identity: &Identity,
    space_id: &str,
    mut body: Map<String, Value>,
    options: &CreateOptions,
) -> ApiResult<Value> {
    let space = state.space(space_id)?;
    check_member(space, identity)?;
    if let Some(seq) = options
        .request_id
        .as_ref()
        .and_then(|r| space.request_ids.get(&(identity.clone(), r.clone())))
    {
        if let Some(existing) = space.messages.get(seq) {
            return Ok(existing.to_json());
        }
    }
    let app = app_of(identity).to_owned();
    let cards = ["cardsV2", "cards"].iter().any(|k| {
        body.get(*k)
            .and_then(Value::as_array)
            .is_some_and(|a| !a.is_empty())
    });
    if cards && matches!(identity, Identity::User { .. }) && !space.has_app(&app) {
        return Err(ApiError::permission_denied(format!(
            "{} To create a message with cards on behalf of a user, the Chat app must be a member of the space.",
            crate::error::NOT_PERMITTED_TEXT
        )));
    }
    if let Some(id) = &options.message_id {
        if !valid_client_id(id) {
            return Err(ApiError::invalid(format!(
                "Invalid message_id '{id}': a custom ID begins with client- and has up to 63 lowercase letters, numbers and hyphens ({CREATE_DOC})."
            )));
        }
        if space.by_id.contains_key(id) {
            return Err(ApiError::already_exists(format!(
                "A message with ID {id} already exists in spaces/{space_id}."
            )));
        }
    }
    let thread_in = body.remove("thread");
    let thread_name = thread_in
        .as_ref()
        .and_then(|t| t.get("name"))
        .and_then(Value::as_str)
        .filter(|n| !n.is_empty())
        .map(str::to_owned);
    let thread_key = thread_in
        .as_ref()
        .and_then(|t| t.get("threadKey"))
        .and_then(Value::as_str)
        .filter(|k| !k.is_empty())
        .map(str::to_owned)
        .or_else(|| options.thread_key.clone());
    // Which thread: (existing thread id, key to register for a new one).
    let prefix = format!("spaces/{space_id}/threads/");
    let existing = match options.reply {
        ReplyOption::NewThread => None,
        _ => match (&thread_name, &thread_key) {
            (Some(name), _) => {
                let found = name
                    .strip_prefix(&prefix)
                    .filter(|t| space.threads.contains(*t));
                if found.is_none() && options.reply == ReplyOption::OrFail {
                    return Err(ApiError::not_found_because(format!(
                        "Thread {name} not found."
                    )));
                }
                found.map(str::to_owned)
            }
            (None, Some(key)) => space.thread_keys.get(&(app.clone(), key.clone())).cloned(),
            (None, None) => None,
        },
    };
    let register_key = match (options.reply, &existing, &thread_name) {
        (ReplyOption::NewThread, _, _) | (_, Some(_), _) | (_, None, Some(_)) => None,
        _ => thread_key.clone(),
    };
    state.count_write(space_id)?;
    let system_id = state.next_id("M");
    let thread_id = existing.clone().unwrap_or_else(|| state.next_id("T"));
    let create_time = state.next_time();
    let sender_json = state.sender_json(identity);
    let attachments = media::attach(state, space_id, &system_id, body.remove("attachment"))?;
    // Output-only fields a caller may have copied from another message.
    for key in [
        "name",
        "sender",
        "createTime",
        "lastUpdateTime",
        "deleteTime",
        "space",
        "threadReply",
        "clientAssignedMessageId",
        "emojiReactionSummaries",
        "formattedText",
    ] {
        body.remove(key);
    }
    let space = state.space_mut(space_id)?;
    if let Some(key) = &register_key {
        space
            .thread_keys
            .insert((app.clone(), key.clone()), thread_id.clone());
    }
    space.threads.insert(thread_id.clone());
    let seq = space.next_seq;
    space.next_seq += 1;
    let message = Message::new(
        NewMessage {
            id: system_id.clone(),
            client_id: options.message_id.clone(),
            seq,
            create_time,
            sender: identity.clone(),
            sender_json,
            space_json: space.message_space.clone(),
            thread: thread_id,
            thread_key: thread_key.filter(|_| existing.is_some() || register_key.is_some()),
            thread_reply: existing.is_some(),
            card_owner: cards.then_some(app),
            attachments,
        },
        &body,
    );
    let value = message.to_json();
    space.by_id.insert(system_id, seq);
    if let Some(client) = &options.message_id {
        space.by_id.insert(client.clone(), seq);
    }
    if let Some(r) = &options.request_id {
        space.request_ids.insert((identity.clone(), r.clone()), seq);
    }
    space.messages.insert(seq, message);
    Ok(value)
}

/// `spaces.messages.get`
/// (<https://developers.google.com/workspace/chat/api/reference/rest/v1/spaces.messages/get>):
/// by system id or by client-assigned id ("you can use this ID to specify the message
/// in a request"); the caller must be a member.
pub(super) fn get(state: &mut State, ctx: &Ctx<'_>, space: &str, id: &str) -> ApiResult<Value> {
    let s = state.member_space(space, &ctx.identity)?;
    s.message(id)
        .map(Message::to_json)
        .ok_or_else(ApiError::not_found)
}

/// A parsed `spaces.messages.list` filter.
#[derive(Debug, Default)]
struct ListFilter {
    after: Option<i64>,
    before: Option<i64>,
    thread: Option<String>,
}

/// The filter of `spaces.messages.list`: "You can filter messages by date
/// (`create_time`) and thread (`thread.name`)"; `>` and `<` on an RFC 3339 timestamp
/// "and double quotation marks", `AND` between them; "You can only specify one
/// `thread.name` per query"; "Invalid queries are rejected by the server with an
/// `INVALID_ARGUMENT` error" (the list reference page).
fn list_filter(text: &str) -> ApiResult<ListFilter> {
    let expr = filter::parse(text)?;
    if expr.has_or() {
        return Err(ApiError::invalid(format!(
            "Invalid filter '{text}': only AND joins terms."
        )));
    }
    let mut out = ListFilter::default();
    for t in expr.terms() {
        match (t.field.as_str(), t.op.as_str()) {
            ("create_time" | "createTime", op @ (">" | "<")) => {
                let at = time::parse(&t.value).ok_or_else(|| {
                    ApiError::invalid(format!(
                        "Invalid filter '{text}': '{}' is not an RFC 3339 timestamp.",
                        t.value
                    ))
                })?;
                let slot = if op == ">" {
                    &mut out.after
                } else {
                    &mut out.before
                };
                if slot.is_some() {
                    return Err(ApiError::invalid(format!(
                        "Invalid filter '{text}': create_time {op} given twice."
                    )));
                }
                *slot = Some(at);
            }
            ("thread.name", "=") if out.thread.is_none() => out.thread = Some(t.value.clone()),
            ("thread.name", "=") => {
                return Err(ApiError::invalid(format!(
                    "Invalid filter '{text}': only one thread.name per query."
                )));
            }
            _ => {
                return Err(ApiError::invalid(format!(
                    "Invalid filter '{text}': '{} {}' is not supported (create_time > / <, thread.name =).",
                    t.field, t.op
                )));
            }
        }
    }
    Ok(out)
}

/// `spaces.messages.list`
/// (<https://developers.google.com/workspace/chat/api/reference/rest/v1/spaces.messages/list>):
/// "If unspecified, at most 25 are returned. The maximum value is 1000. If you use a
/// value more than 1000, it's automatically changed to 1000. Negative values return an
/// `INVALID_ARGUMENT` error"; `orderBy` "`ASC` for ascending. `DESC` for descending.
/// The default ordering is `create_time ASC`"; the filter of [`list_filter`]. Page
/// tokens hold the position of the last message returned, so messages created while
/// paging never make one appear twice.
pub(super) fn list(state: &mut State, ctx: &Ctx<'_>, space: &str) -> ApiResult<Value> {
    let size = ctx.query.page_size(25, 1000)?;
    let desc = match ctx
        .query
        .get("orderBy")
        .map(|o| o.trim().to_ascii_lowercase())
    {
        None => false,
        Some(o) => match o.rsplit(' ').next() {
            Some("asc") if matches!(o.as_str(), "asc" | "create_time asc" | "createtime asc") => {
                false
            }
            Some("desc")
                if matches!(o.as_str(), "desc" | "create_time desc" | "createtime desc") =>
            {
                true
            }
            _ => {
                return Err(ApiError::invalid(format!(
                    "Invalid order_by '{o}': use create_time ASC or create_time DESC."
                )));
            }
        },
    };
    let f = match ctx.query.get("filter").filter(|f| !f.trim().is_empty()) {
        Some(text) => list_filter(text)?,
        None => ListFilter::default(),
    };
    let cursor: Option<u64> = match ctx.query.page_cursor(if desc {
        "messages-desc"
    } else {
        "messages-asc"
    })? {
        None => None,
        Some(c) => Some(
            c.parse()
                .map_err(|_| ApiError::invalid("The page token is invalid."))?,
        ),
    };
    let s = state.member_space(space, &ctx.identity)?;
    let prefix = format!("spaces/{space}/threads/");
    let thread = match &f.thread {
        Some(name) => match name.strip_prefix(&prefix) {
            Some(t) => Some(t),
            None => {
                return Err(ApiError::invalid(format!(
                    "thread.name {name} is not a thread of spaces/{space}."
                )));
            }
        },
        None => None,
    };
    let keep = |m: &&Message| {
        f.after.is_none_or(|a| m.create_time > a)
            && f.before.is_none_or(|b| m.create_time < b)
            && thread.is_none_or(|t| m.thread == t)
    };
    let iter: Box<dyn Iterator<Item = &Message>> = match (desc, cursor) {
        (false, None) => Box::new(s.messages.values()),
        (false, Some(c)) => Box::new(s.messages.range(c + 1..).map(|(_, m)| m)),
        (true, None) => Box::new(s.messages.values().rev()),
        (true, Some(c)) => Box::new(s.messages.range(..c).rev().map(|(_, m)| m)),
    };
    let mut page: Vec<&Message> = iter.filter(keep).take(size + 1).collect();
    let more = page.len() > size;
    page.truncate(size);
    let mut out = Map::new();
    if more {
        if let Some(last) = page.last() {
            let kind = if desc {
                "messages-desc"
            } else {
                "messages-asc"
            };
            out.insert(
                "nextPageToken".into(),
                json!(page_token(kind, &last.seq.to_string())),
            );
        }
    }
    out.insert(
        "messages".into(),
        Value::Array(page.into_iter().map(Message::to_json).collect()),
    );
    Ok(Value::Object(out))
}
