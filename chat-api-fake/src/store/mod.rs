//! The fake's state: apps (with where their events go and which token they carry,
//! [`Audience`]), users, spaces with their members and messages, attachments, tokens,
//! the call log, faults and the write quota. One `Mutex` guards it all: every
//! request holds it for a few microseconds, so 1,000 concurrent writers are serialized
//! in a consistent order (no message lost, none duplicated).

mod message;
mod space;

use std::collections::{BTreeMap, HashMap, VecDeque};
use std::time::{Duration, Instant};

use serde_json::{Map, Value, json};

pub(crate) use message::{Attachment, Message, NewMessage};
pub(crate) use space::{MemberKey, Membership, Space};

use crate::error::{ApiError, ApiResult};
use crate::time::{self, Micros};
use crate::{Call, Fault, Identity, WriteQuota};

/// Which token Chat sends: the "Authentication audience" of the Chat API configuration.
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub enum Audience {
    /// "Project number": `aud` is this project number.
    ProjectNumber(String),
    /// "HTTP endpoint URL": `aud` is the endpoint URL.
    EndpointUrl,
}

/// A Chat app known to the fake (a Cloud project with the Chat API configured).
#[derive(Debug, Clone)]
pub(crate) struct App {
    pub display_name: String,
    /// Where Chat sends this app's interaction events, and which token it sends.
    pub endpoint: Option<(String, Audience)>,
}

/// Bytes uploaded through `media.upload`, waiting for (or referenced by) a message.
#[derive(Debug, Clone)]
pub(crate) struct Blob {
    pub content_type: String,
    pub filename: String,
    pub data: Vec<u8>,
    pub space: String,
    pub upload_token: String,
}

/// A resumable upload in progress.
#[derive(Debug)]
pub(crate) struct Upload {
    pub space: String,
    pub identity: Identity,
    pub filename: String,
    pub content_type: String,
    pub total: Option<u64>,
    pub data: Vec<u8>,
}

/// Everything the fake holds.
#[derive(Debug, Default)]
pub(crate) struct State {
    pub apps: BTreeMap<String, App>,
    /// `users/alice` -> display name.
    pub users: BTreeMap<String, String>,
    /// Space id -> space.
    pub spaces: BTreeMap<String, Space>,
    /// Access tokens handed out by the token endpoint or registered as test tokens.
    pub tokens: HashMap<String, Identity>,
    pub refresh_tokens: HashMap<String, Identity>,
    /// Authorization codes of the consent endpoint: code -> (identity, PKCE challenge).
    pub auth_codes: HashMap<String, (Identity, Option<String>)>,
    /// OAuth client ids of the installed-app flow -> who consents through them.
    pub oauth_clients: HashMap<String, Identity>,
    /// Service-account emails -> app id.
    pub service_accounts: HashMap<String, String>,
    /// Attachment resource name -> content.
    pub blobs: HashMap<String, Blob>,
    pub uploads: HashMap<String, Upload>,
    pub calls: Vec<Call>,
    pub faults: HashMap<String, VecDeque<Fault>>,
    pub quota: Option<WriteQuota>,
    /// Space id -> times of its recent writes (for the quota).
    pub writes: HashMap<String, VecDeque<Instant>>,
    /// (caller, requestId) of `spaces.create` and `spaces.setup` -> space id.
    pub space_requests: HashMap<(Identity, String), String>,
    /// Users who are Workspace administrators (`useAdminAccess`).
    pub admins: std::collections::HashSet<String>,
    /// The `sender` object of each caller, shared by their messages.
    senders: HashMap<Identity, std::sync::Arc<Value>>,
    counter: u64,
    last_time: Micros,
}

impl State {
    /// A fresh id: `prefix` and a counter, unique within this fake.
    pub fn next_id(&mut self, prefix: &str) -> String {
        self.counter += 1;
        format!("{prefix}{:08X}", self.counter)
    }

    /// A creation time later than every one handed out before, so that the order of
    /// creation and the order of `createTime` agree (list's `orderBy`, filters, tokens).
    pub fn next_time(&mut self) -> Micros {
        let t = time::now().max(self.last_time + 1);
        self.last_time = t;
        t
    }

    /// The display name of `user` (`users/...`), or the id when it was never seeded.
    pub fn user_display(&self, user: &str) -> String {
        self.users
            .get(user)
            .cloned()
            .unwrap_or_else(|| user.trim_start_matches("users/").to_owned())
    }

    /// The `User` object of a caller, as Chat writes it in `sender`, `member`, `user`.
    pub fn user_json(&self, identity: &Identity) -> Value {
        match identity {
            Identity::App(app) => json!({
                "name": app_user_name(app),
                "displayName": self.apps.get(app).map_or(app.as_str(), |a| a.display_name.as_str()),
                "type": "BOT",
            }),
            Identity::User { user, .. } => json!({
                "name": user,
                "displayName": self.user_display(user),
                "type": "HUMAN",
            }),
        }
    }

    /// The `sender` object of `identity`, shared by all its messages.
    pub fn sender_json(&mut self, identity: &Identity) -> std::sync::Arc<Value> {
        if let Some(json) = self.senders.get(identity) {
            return json.clone();
        }
        let json = std::sync::Arc::new(self.user_json(identity));
        self.senders.insert(identity.clone(), json.clone());
        json
    }

    /// The space `id`, or 404.
    pub fn space(&self, id: &str) -> ApiResult<&Space> {
        self.spaces.get(id).ok_or_else(ApiError::not_found)
    }

    /// The space `id` for a change, or 404.
    pub fn space_mut(&mut self, id: &str) -> ApiResult<&mut Space> {
        self.spaces.get_mut(id).ok_or_else(ApiError::not_found)
    }

    /// The space `id` where `identity` may act: it exists and the caller is a member.
    ///
    /// A Chat app must be a member of the space, else Chat answers 403
    /// "You are not permitted to use this app"
    /// (<https://developers.google.com/workspace/chat/authenticate-authorize-chat-app>:
    /// "to get data about or perform actions in a Chat space, Chat apps must have
    /// membership in the space ... The only exception is when a Chat app creates a
    /// space with app authentication"); a user must be a member too (e.g.
    /// `spaces.messages.list` "Lists messages in a space that the caller is a member
    /// of"). A user who is not a member gets 403 PERMISSION_DENIED with Google's
    /// generic text "The caller does not have permission".
    pub fn member_space(&self, id: &str, identity: &Identity) -> ApiResult<&Space> {
        let space = self.space(id)?;
        check_member(space, identity)?;
        Ok(space)
    }

    /// [`member_space`](Self::member_space), for a change.
    pub fn member_space_mut(&mut self, id: &str, identity: &Identity) -> ApiResult<&mut Space> {
        let space = self.space_mut(id)?;
        check_member(space, identity)?;
        Ok(space)
    }

    /// Counts one write in space `id` against the per-space write quota, if one is set.
    ///
    /// Chat's usage limits (<https://developers.google.com/workspace/chat/limits>, "Per-space
    /// quotas") limit writes per space, shared among all apps in the space, for
    /// `media.upload`, `spaces.delete`, `spaces.patch`, `spaces.messages.create`,
    /// `.delete`, `.patch` (and `update`), `spaces.messages.reactions.create` and
    /// `.delete`; exceeding it answers "429: Too many requests".
    pub fn count_write(&mut self, id: &str) -> ApiResult<()> {
        let Some(quota) = self.quota.clone() else {
            return Ok(());
        };
        let now = Instant::now();
        let log = self.writes.entry(id.to_owned()).or_default();
        while log
            .front()
            .is_some_and(|t| now.duration_since(*t) >= quota.window)
        {
            log.pop_front();
        }
        if log.len() >= quota.limit as usize {
            return Err(ApiError::resource_exhausted(format!(
                "Quota exceeded for quota metric 'Write requests' and limit 'Write requests per {} per space' \
                 of service 'chat.googleapis.com' for space 'spaces/{id}' ({} allowed).",
                window_text(quota.window),
                quota.limit
            )));
        }
        log.push_back(now);
        Ok(())
    }
}

fn window_text(window: Duration) -> String {
    match window.as_secs() {
        60 => "minute".to_owned(),
        1 => "second".to_owned(),
        s => format!("{s} seconds"),
    }
}

/// Whether `identity` is a member of `space` (403 either way, with the app's own text).
pub(crate) fn check_member(space: &Space, identity: &Identity) -> ApiResult<()> {
    if space.is_member(identity) {
        return Ok(());
    }
    match identity {
        Identity::App(_) => Err(ApiError::app_not_member()),
        Identity::User { .. } => Err(ApiError::permission_denied(
            crate::error::CALLER_NOT_PERMITTED_TEXT,
        )),
    }
}

/// The user name a Chat app appears under in members and senders.
pub(crate) fn app_user_name(app: &str) -> String {
    format!("users/{app}")
}

/// Sets `key` of a JSON object (the caller guarantees `value` is an object).
pub(crate) fn set(object: &mut Map<String, Value>, key: &str, value: Value) {
    object.insert(key.to_owned(), value);
}

impl State {
    /// Adds `key` to space `id` with `role` (`ROLE_MEMBER`, `ROLE_MANAGER`); 409 if it
    /// is a member already. Returns the `Membership` resource.
    pub fn add_member(&mut self, id: &str, key: space::MemberKey, role: &str) -> ApiResult<Value> {
        let create_time = self.next_time();
        let member = match &key {
            space::MemberKey::App(app) => self.user_json(&Identity::App(app.clone())),
            space::MemberKey::Human(user) => json!({
                "name": user,
                "displayName": self.user_display(user),
                "type": "HUMAN",
            }),
        };
        let space = self.space_mut(id)?;
        let member_id = key.member_id().to_owned();
        if space.members.contains_key(&member_id) {
            return Err(ApiError::already_exists(format!(
                "Membership spaces/{id}/members/{member_id} already exists."
            )));
        }
        let mut json = Map::new();
        set(
            &mut json,
            "name",
            json!(format!("spaces/{id}/members/{member_id}")),
        );
        set(&mut json, "state", json!("JOINED"));
        // Chat apps have no role in a space; humans do.
        if matches!(key, space::MemberKey::Human(_)) {
            set(&mut json, "role", json!(role));
        }
        set(&mut json, "member", member);
        set(&mut json, "createTime", json!(time::format(create_time)));
        space.members.insert(
            member_id,
            Membership {
                identity_key: key,
                json: json.clone(),
            },
        );
        Ok(Value::Object(json))
    }

    /// Creates a space from a `Space` resource (`name` and `createTime` are set here).
    pub fn insert_space(&mut self, id: String, mut json: Map<String, Value>) -> ApiResult<Value> {
        if self.spaces.contains_key(&id) {
            return Err(ApiError::already_exists(format!(
                "Space spaces/{id} already exists."
            )));
        }
        let create_time = self.next_time();
        set(&mut json, "name", json!(format!("spaces/{id}")));
        set(&mut json, "createTime", json!(time::format(create_time)));
        json.entry("spaceType").or_insert(json!("SPACE"));
        json.entry("spaceThreadingState")
            .or_insert(json!("THREADED_MESSAGES"));
        json.entry("spaceHistoryState")
            .or_insert(json!("HISTORY_ON"));
        let value = Value::Object(json.clone());
        self.spaces
            .insert(id.clone(), Space::new(id, json, create_time));
        Ok(value)
    }
}
