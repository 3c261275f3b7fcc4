//! A space: its resource, its members, its messages in creation order, and the indexes
//! that make `requestId`, client-assigned ids and thread keys work.

use std::collections::{BTreeMap, HashMap, HashSet};

use serde_json::{Map, Value};

use super::Message;
use crate::Identity;
use crate::time::Micros;

/// One membership: who, and the `Membership` resource Chat returns.
#[derive(Debug, Clone)]
pub(crate) struct Membership {
    pub identity_key: MemberKey,
    pub json: Map<String, Value>,
}

/// Who a membership is for: a human (`users/alice`) or a Chat app (its id).
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub(crate) enum MemberKey {
    Human(String),
    App(String),
}

impl MemberKey {
    /// The key of a caller.
    pub fn of(identity: &Identity) -> Self {
        match identity {
            Identity::App(app) => Self::App(app.clone()),
            Identity::User { user, .. } => Self::Human(user.clone()),
        }
    }

    /// The last segment of the membership's name (`spaces/S/members/{this}`).
    pub fn member_id(&self) -> &str {
        match self {
            Self::Human(user) => user.trim_start_matches("users/"),
            Self::App(app) => app,
        }
    }
}

/// A space and everything in it.
#[derive(Debug)]
pub(crate) struct Space {
    pub id: String,
    /// The `Space` resource as Chat returns it.
    pub json: Map<String, Value>,
    pub create_time: Micros,
    /// Member id (`spaces/S/members/{id}`) -> membership.
    pub members: BTreeMap<String, Membership>,
    /// Messages by creation sequence: the order of `createTime`.
    pub messages: BTreeMap<u64, Message>,
    /// System id and client-assigned id -> sequence.
    pub by_id: HashMap<String, u64>,
    /// (caller, requestId) -> message sequence.
    pub request_ids: HashMap<(Identity, String), u64>,
    /// (app, threadKey) -> thread id: thread keys are per app.
    pub thread_keys: HashMap<(String, String), String>,
    pub threads: HashSet<String>,
    pub next_seq: u64,
    /// The `space` object of its messages, shared by them.
    pub message_space: std::sync::Arc<Value>,
}

impl Space {
    /// An empty space.
    pub fn new(id: String, json: Map<String, Value>, create_time: Micros) -> Self {
        let message_space = std::sync::Arc::new(message_space(&id, &json));
        Self {
            message_space,
            id,
            json,
            create_time,
            members: BTreeMap::new(),
            messages: BTreeMap::new(),
            by_id: HashMap::new(),
            request_ids: HashMap::new(),
            thread_keys: HashMap::new(),
            threads: HashSet::new(),
            next_seq: 0,
        }
    }

    /// Refreshes the `space` object of messages after a change of the space.
    pub fn refresh_message_space(&mut self) {
        self.message_space = std::sync::Arc::new(message_space(&self.id, &self.json));
        for m in self.messages.values_mut() {
            m.space_json = self.message_space.clone();
        }
    }

    /// Whether `identity` is a member.
    pub fn is_member(&self, identity: &Identity) -> bool {
        let key = MemberKey::of(identity);
        self.members
            .get(key.member_id())
            .is_some_and(|m| m.identity_key == key)
    }

    /// Whether the Chat app `app` is a member.
    pub fn has_app(&self, app: &str) -> bool {
        self.is_member(&Identity::App(app.to_owned()))
    }

    /// The message with system or client-assigned id `id`.
    pub fn message(&self, id: &str) -> Option<&Message> {
        self.by_id.get(id).and_then(|seq| self.messages.get(seq))
    }

    /// The message with system or client-assigned id `id`, for a change.
    pub fn message_mut(&mut self, id: &str) -> Option<&mut Message> {
        let seq = *self.by_id.get(id)?;
        self.messages.get_mut(&seq)
    }

    /// Removes a message and its index entries.
    pub fn remove_message(&mut self, seq: u64) -> Option<Message> {
        let message = self.messages.remove(&seq)?;
        self.by_id.remove(&message.id);
        if let Some(client) = &message.client_id {
            self.by_id.remove(client);
        }
        self.request_ids.retain(|_, s| *s != seq);
        Some(message)
    }

    /// The space type (`SPACE`, `GROUP_CHAT`, `DIRECT_MESSAGE`).
    pub fn space_type(&self) -> &str {
        self.json
            .get("spaceType")
            .and_then(Value::as_str)
            .unwrap_or("SPACE")
    }
}

/// The `space` object a message carries.
fn message_space(id: &str, json: &Map<String, Value>) -> Value {
    let space_type = json
        .get("spaceType")
        .and_then(Value::as_str)
        .unwrap_or("SPACE");
    let kind = if space_type == "DIRECT_MESSAGE" {
        "DM"
    } else {
        "ROOM"
    };
    serde_json::json!({"name": format!("spaces/{id}"), "type": kind, "spaceType": space_type})
}
