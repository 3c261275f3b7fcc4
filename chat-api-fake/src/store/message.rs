//! A message: its resource, who sent it, its thread, and who owns its cards.

use std::collections::BTreeMap;

use serde_json::{Map, Value};

use crate::Identity;
use crate::time::Micros;

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
    pub sender: Identity,
    /// The thread id (`spaces/S/threads/{thread}`).
    pub thread: String,
    /// The Chat app whose cards the message carries (the app that created the message,
    /// or the app of the OAuth client a user created it through).
    pub card_owner: Option<String>,
    /// The `Message` resource as stored (fields the caller sent, unknown ones included,
    /// plus the ones Chat sets), without `attachment` and reactions, kept apart.
    pub json: Map<String, Value>,
    pub attachments: Vec<Attachment>,
    /// Reaction id -> (who, `Reaction` resource).
    pub reactions: BTreeMap<String, (Identity, Map<String, Value>)>,
}

impl Message {
    /// Whether the message has cards (`cardsV2` or the deprecated `cards`).
    pub fn has_cards(&self) -> bool {
        ["cardsV2", "cards"].iter().any(|k| {
            self.json
                .get(*k)
                .and_then(Value::as_array)
                .is_some_and(|a| !a.is_empty())
        })
    }

    /// The resource as Chat returns it.
    pub fn to_json(&self) -> Value {
        let mut json = self.json.clone();
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
