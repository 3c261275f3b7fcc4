//! A message: who sent it, its thread, who owns its cards, and the fields its sender
//! wrote, kept compact (serialized JSON) so that 100,000 messages stay small; the
//! resource Chat returns is rendered from them on read.

use std::collections::BTreeMap;
use std::sync::Arc;

use serde_json::{Map, Value, json};

use crate::Identity;
use crate::time::{self, Micros};

/// An attachment of a message (uploaded content).
#[derive(Debug, Clone)]
pub(crate) struct Attachment {
    pub id: String,
    pub json: Map<String, Value>,
}

/// One message.
#[derive(Debug, Clone)]
pub(crate) struct Message {
    /// The system-assigned id (`spaces/S/messages/{id}`).
    pub id: String,
    /// The client-assigned id (`client-...`), if any.
    pub client_id: Option<String>,
    pub seq: u64,
    pub create_time: Micros,
    pub last_update: Option<Micros>,
    pub sender: Identity,
    /// The `sender` object, shared by every message of the same sender.
    pub sender_json: Arc<Value>,
    /// The `space` object (`name`, `type`, `spaceType`), shared within the space.
    pub space_json: Arc<Value>,
    /// The thread id (`spaces/S/threads/{thread}`) and the key it was reached by.
    pub thread: String,
    pub thread_key: Option<String>,
    pub thread_reply: bool,
    /// The Chat app whose cards the message carries (the app that created the message,
    /// or the app of the OAuth client a user created it through).
    pub card_owner: Option<String>,
    /// The fields the sender wrote (unknown ones included), as compact JSON.
    body: Box<str>,
    has_cards: bool,
    pub attachments: Vec<Attachment>,
    /// Reaction id -> (who, `Reaction` resource).
    pub reactions: BTreeMap<String, (Identity, Map<String, Value>)>,
}

/// Whether a message's fields hold cards (`cardsV2` or the deprecated `cards`).
pub(crate) fn has_cards(fields: &Map<String, Value>) -> bool {
    ["cardsV2", "cards"].iter().any(|k| {
        fields
            .get(*k)
            .and_then(Value::as_array)
            .is_some_and(|a| !a.is_empty())
    })
}

/// What a new message is made of, besides its fields.
#[derive(Debug)]
pub(crate) struct NewMessage {
    pub id: String,
    pub client_id: Option<String>,
    pub seq: u64,
    pub create_time: Micros,
    pub sender: Identity,
    pub sender_json: Arc<Value>,
    pub space_json: Arc<Value>,
    pub thread: String,
    pub thread_key: Option<String>,
    pub thread_reply: bool,
    pub card_owner: Option<String>,
    pub attachments: Vec<Attachment>,
}

impl Message {
    /// A message with `fields`.
    pub fn new(new: NewMessage, fields: &Map<String, Value>) -> Self {
        Self {
            id: new.id,
            client_id: new.client_id,
            seq: new.seq,
            create_time: new.create_time,
            last_update: None,
            sender: new.sender,
            sender_json: new.sender_json,
            space_json: new.space_json,
            thread: new.thread,
            thread_key: new.thread_key,
            thread_reply: new.thread_reply,
            card_owner: new.card_owner,
            body: Value::Object(fields.clone()).to_string().into_boxed_str(),
            has_cards: has_cards(fields),
            attachments: new.attachments,
            reactions: BTreeMap::new(),
        }
    }

    /// Whether the message has cards.
    pub fn has_cards(&self) -> bool {
        self.has_cards
    }

    /// `spaces/{space}/messages/{id}`.
    pub fn name(&self) -> String {
        let space = self
            .space_json
            .get("name")
            .and_then(Value::as_str)
            .unwrap_or("spaces/-");
        format!("{space}/messages/{}", self.id)
    }

    /// The fields the sender wrote.
    pub fn fields(&self) -> Map<String, Value> {
        match serde_json::from_str(&self.body) {
            Ok(Value::Object(map)) => map,
            // The body was written from a map by `new` or `edit`.
            _ => Map::new(),
        }
    }

    /// Changes the fields.
    pub fn edit(&mut self, change: impl FnOnce(&mut Map<String, Value>)) {
        let mut fields = self.fields();
        change(&mut fields);
        self.has_cards = has_cards(&fields);
        self.body = Value::Object(fields).to_string().into_boxed_str();
    }

    /// The resource as Chat returns it.
    pub fn to_json(&self) -> Value {
        let mut json = self.fields();
        let space = self
            .space_json
            .get("name")
            .and_then(Value::as_str)
            .unwrap_or("spaces/-");
        let mut thread = Map::new();
        thread.insert(
            "name".into(),
            json!(format!("{space}/threads/{}", self.thread)),
        );
        if let Some(key) = &self.thread_key {
            thread.insert("threadKey".into(), json!(key));
        }
        json.insert("name".into(), json!(self.name()));
        json.insert("sender".into(), (*self.sender_json).clone());
        json.insert("createTime".into(), json!(time::format(self.create_time)));
        if let Some(t) = self.last_update {
            json.insert("lastUpdateTime".into(), json!(time::format(t)));
        }
        json.insert("thread".into(), Value::Object(thread));
        json.insert("space".into(), (*self.space_json).clone());
        json.insert("threadReply".into(), json!(self.thread_reply));
        if let Some(text) = json.get("text").cloned() {
            json.entry("argumentText").or_insert_with(|| text.clone());
            json.entry("formattedText").or_insert(text);
        }
        if let Some(client) = &self.client_id {
            json.insert("clientAssignedMessageId".into(), json!(client));
        }
        if !self.attachments.is_empty() {
            json.insert(
                "attachment".to_owned(),
                Value::Array(
                    self.attachments
                        .iter()
                        .map(|a| Value::Object(a.json.clone()))
                        .collect(),
                ),
            );
        }
        Value::Object(json)
    }
}
