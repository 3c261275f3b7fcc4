//! Interaction events sent to the app under test, as Chat sends them: a user's message,
//! a slash command, a card click, POSTed to the app's endpoint with a bearer token the
//! fake signs with the keys it serves (`{url}keys/x509`, `{url}keys/jwk`); the app's
//! answer lands in the fake's state (a new message in the thread, an updated card).
//!
//! The token follows <https://developers.google.com/workspace/chat/verify-requests-from-chat>:
//! with the "Project number" audience, a JWT from `chat@system.gserviceaccount.com`
//! (`iss` that account, `aud` the project number); with the "HTTP endpoint URL"
//! audience, an ID token (`iss` `https://accounts.google.com`, `aud` the endpoint URL,
//! `email` `chat@system.gserviceaccount.com`, `email_verified` true). The event is the
//! classic `DeprecatedEvent` and the answer a `Message` whose `actionResponse.type` says
//! what to do (<https://developers.google.com/workspace/chat/api/reference/rest/v1/spaces.messages#actionresponse>).

use serde_json::{Map, Value, json};

use crate::api::messages::{CreateOptions, ReplyOption, create_message};
use crate::error::FakeError;
use crate::fake::FakeChat;
use crate::store::State;
// Defined with the state that stores it (an app's endpoint), public here.
pub use crate::store::Audience;
use crate::{Identity, time};

/// The account whose key signs Chat's tokens.
pub const CHAT_ISSUER: &str = "chat@system.gserviceaccount.com";

/// What the app answered to an event, and what the fake did with it.
#[derive(Debug, Clone)]
#[non_exhaustive]
pub struct EventOutcome {
    /// The app's HTTP status.
    pub status: u16,
    /// The app's JSON answer (`{}` when it answered nothing).
    pub answer: Value,
    /// The message the event was about (the user's new message, or the clicked one).
    pub event_message: Option<chat_api::models::Message>,
    /// A message the answer created (`NEW_MESSAGE` or no `actionResponse`).
    pub created: Option<chat_api::models::Message>,
    /// A message the answer changed (`UPDATE_MESSAGE`, `UPDATE_USER_MESSAGE_CARDS`).
    pub updated: Option<chat_api::models::Message>,
}

fn err(url: &str, message: impl Into<String>) -> FakeError {
    FakeError::Event {
        url: url.to_owned(),
        message: message.into(),
    }
}

impl FakeChat {
    /// The URL of Chat's signing certificates (x509, by key id) on this fake: give it to
    /// the verifier as its keys URL (audience "Project number").
    pub fn x509_keys_url(&self) -> String {
        format!("{}keys/x509", self.url())
    }

    /// The URL of Chat's signing keys as a JWK set (audience "HTTP endpoint URL").
    pub fn jwk_keys_url(&self) -> String {
        format!("{}keys/jwk", self.url())
    }

    /// Sets where Chat sends the default app's events, and which token it sends.
    pub fn set_app_endpoint(&self, url: &str, audience: Audience) {
        let mut state = self.shared.lock();
        let app = self.shared.default_app.clone();
        if let Some(a) = state.apps.get_mut(&app) {
            a.endpoint = Some((url.to_owned(), audience));
        }
    }

    /// `user` posts `text` in `space` (a message stored as Chat would) and Chat sends
    /// the app a `MESSAGE` event.
    pub async fn send_message(
        &self,
        space: &str,
        user: &str,
        text: &str,
    ) -> Result<EventOutcome, FakeError> {
        self.user_message(space, user, json!({"text": text}), "MESSAGE")
            .await
    }

    /// `user` runs the slash command `command_id` (`/name args`) in `space`: a message
    /// carrying `slashCommand`, sent as a `MESSAGE` event.
    pub async fn send_slash_command(
        &self,
        space: &str,
        user: &str,
        command_id: i64,
        text: &str,
    ) -> Result<EventOutcome, FakeError> {
        let name = text.split_whitespace().next().unwrap_or("").to_owned();
        let args = text[name.len()..].trim_start().to_owned();
        let app_user = self
            .shared
            .lock()
            .user_json(&Identity::App(self.shared.default_app.clone()));
        let message = json!({
            "text": text,
            "argumentText": args,
            "slashCommand": {"commandId": command_id.to_string()},
            "annotations": [{"type": "SLASH_COMMAND", "startIndex": 0, "length": name.chars().count(),
                "slashCommand": {"bot": app_user, "type": "INVOKE", "commandName": name, "commandId": command_id.to_string()}}],
        });
        self.user_message(space, user, message, "MESSAGE").await
    }

    /// `user` clicks a button of `message` (a message name) whose action calls
    /// `function` with `parameters`: a `CARD_CLICKED` event.
    pub async fn click_card(
        &self,
        message: &str,
        user: &str,
        function: &str,
        parameters: &[(&str, &str)],
    ) -> Result<EventOutcome, FakeError> {
        let (space_id, message_id) = split_message(message)?;
        let identity = self.identity_of(user)?;
        let (space_json, message_json, user_json) = {
            let state = self.shared.lock();
            let space = state
                .spaces
                .get(space_id)
                .ok_or_else(|| FakeError::NotFound {
                    what: "space",
                    name: space_id.to_owned(),
                })?;
            let m = space
                .message(message_id)
                .ok_or_else(|| FakeError::NotFound {
                    what: "message",
                    name: message.to_owned(),
                })?;
            (
                Value::Object(space.json.clone()),
                m.to_json(),
                state.user_json(&identity),
            )
        };
        let params: Vec<Value> = parameters
            .iter()
            .map(|(k, v)| json!({"key": k, "value": v}))
            .collect();
        let common: Map<String, Value> = parameters
            .iter()
            .map(|(k, v)| ((*k).to_owned(), json!(v)))
            .collect();
        let event = json!({
            "type": "CARD_CLICKED",
            "eventTime": time::format(time::now()),
            "space": space_json,
            "user": user_json,
            "message": message_json,
            "action": {"actionMethodName": function, "parameters": params},
            "common": {"hostApp": "CHAT", "userLocale": "en", "invokedFunction": function, "parameters": common},
        });
        self.deliver(space_id, message_id, event, true).await
    }

    /// `user` (a member of `space`) adds the app to the space, and Chat sends the app an
    /// `ADDED_TO_SPACE` event; a message in the answer is posted in the space.
    pub async fn send_added_to_space(
        &self,
        space: &str,
        user: &str,
    ) -> Result<EventOutcome, FakeError> {
        let space_id = space.strip_prefix("spaces/").unwrap_or(space);
        let identity = self.identity_of(user)?;
        let app = self.shared.default_app.clone();
        let (space_json, user_json) = {
            let mut state = self.shared.lock();
            state.member_space(space_id, &identity)?;
            state.add_member(space_id, crate::store::MemberKey::App(app), "ROLE_MEMBER")?;
            let space_json = Value::Object(
                state
                    .spaces
                    .get(space_id)
                    .map(|s| s.json.clone())
                    .unwrap_or_default(),
            );
            (space_json, state.user_json(&identity))
        };
        let event = json!({
            "type": "ADDED_TO_SPACE",
            "eventTime": time::format(time::now()),
            "space": space_json,
            "user": user_json,
            "common": {"hostApp": "CHAT", "userLocale": "en"},
        });
        self.deliver(space_id, "", event, false).await
    }

    fn identity_of(&self, user: &str) -> Result<Identity, FakeError> {
        let name = if user.starts_with("users/") {
            user.to_owned()
        } else {
            format!("users/{user}")
        };
        if !self.shared.lock().users.contains_key(&name) {
            return Err(FakeError::NotFound { what: "user", name });
        }
        Ok(Identity::User {
            user: name,
            app: self.shared.default_app.clone(),
        })
    }

    async fn user_message(
        &self,
        space: &str,
        user: &str,
        body: Value,
        kind: &str,
    ) -> Result<EventOutcome, FakeError> {
        let space_id = space.strip_prefix("spaces/").unwrap_or(space);
        let identity = self.identity_of(user)?;
        let Value::Object(body) = body else {
            return Err(err("", "the message is not an object"));
        };
        let (message, space_json, user_json) = {
            let mut state = self.shared.lock();
            let message = create_message(
                &mut state,
                &identity,
                space_id,
                body,
                &CreateOptions::default(),
            )
            .map_err(FakeError::from)?;
            let space_json = Value::Object(
                state
                    .spaces
                    .get(space_id)
                    .map(|s| s.json.clone())
                    .unwrap_or_default(),
            );
            (message, space_json, state.user_json(&identity))
        };
        let message_id = message["name"]
            .as_str()
            .and_then(|n| n.rsplit('/').next())
            .unwrap_or("")
            .to_owned();
        let event = json!({
            "type": kind,
            "eventTime": time::format(time::now()),
            "space": space_json,
            "user": user_json,
            "message": message,
            "common": {"hostApp": "CHAT", "userLocale": "en"},
        });
        self.deliver(space_id, &message_id, event, false).await
    }

    /// Signs and POSTs `event` to the app, then applies its answer.
    async fn deliver(
        &self,
        space: &str,
        message_id: &str,
        event: Value,
        clicked: bool,
    ) -> Result<EventOutcome, FakeError> {
        let app = self.shared.default_app.clone();
        let endpoint = self
            .shared
            .lock()
            .apps
            .get(&app)
            .and_then(|a| a.endpoint.clone());
        let Some((url, audience)) = endpoint else {
            return Err(err(
                "(none)",
                format!("the app {app} has no endpoint: call set_app_endpoint"),
            ));
        };
        let now = time::now() / 1_000_000;
        let claims = match &audience {
            Audience::ProjectNumber(n) => {
                json!({"iss": CHAT_ISSUER, "aud": n, "iat": now, "exp": now + 3600})
            }
            Audience::EndpointUrl => json!({
                "iss": "https://accounts.google.com", "aud": url, "iat": now, "exp": now + 3600,
                "email": CHAT_ISSUER, "email_verified": true, "sub": "113000000000000000000",
            }),
        };
        let token = self.shared.keys.sign_chat_jwt(&claims);
        let response = self
            .shared
            .http
            .post(&url)
            .bearer_auth(token)
            .header("content-type", "application/json")
            .body(event.to_string())
            .send()
            .await
            .map_err(|e| err(&url, e.to_string()))?;
        let status = response.status().as_u16();
        let bytes = response
            .bytes()
            .await
            .map_err(|e| err(&url, e.to_string()))?;
        let answer: Value = if bytes.is_empty() {
            json!({})
        } else {
            serde_json::from_slice(&bytes)
                .map_err(|e| err(&url, format!("the answer is not JSON: {e}")))?
        };
        let event_message = match event.get("message") {
            Some(m) => Some(decode(m)?),
            None => None,
        };
        if status != 200 {
            return Ok(EventOutcome {
                status,
                answer,
                event_message,
                created: None,
                updated: None,
            });
        }
        let (created, updated) = apply(
            &mut self.shared.lock(),
            &app,
            space,
            message_id,
            &answer,
            clicked,
        )
        .map_err(|m| err(&url, m))?;
        Ok(EventOutcome {
            status,
            answer,
            event_message,
            created: created.as_ref().map(decode).transpose()?,
            updated: updated.as_ref().map(decode).transpose()?,
        })
    }
}

fn decode(value: &Value) -> Result<chat_api::models::Message, FakeError> {
    serde_json::from_value(value.clone()).map_err(|source| FakeError::Decode {
        what: "message",
        source,
    })
}

fn split_message(name: &str) -> Result<(&str, &str), FakeError> {
    match name.split('/').collect::<Vec<_>>()[..] {
        ["spaces", space, "messages", message] => Ok((space, message)),
        _ => Err(FakeError::InvalidName {
            name: name.to_owned(),
            what: "message",
            form: "spaces/{space}/messages/{message}",
        }),
    }
}

/// Applies the app's answer: a new message in the event's thread, or an update of the
/// clicked message (only the app's own, `UPDATE_MESSAGE` "only for CARD_CLICKED events
/// ... the message was created by the app") or of the user's message cards.
fn apply(
    state: &mut State,
    app: &str,
    space: &str,
    message_id: &str,
    answer: &Value,
    clicked: bool,
) -> Result<(Option<Value>, Option<Value>), String> {
    let Value::Object(answer) = answer else {
        return Err("the answer is not a JSON object".into());
    };
    if answer.is_empty() {
        return Ok((None, None));
    }
    let kind = answer
        .get("actionResponse")
        .and_then(|r| r.get("type"))
        .and_then(Value::as_str)
        .unwrap_or("NEW_MESSAGE");
    let mut fields = answer.clone();
    fields.remove("actionResponse");
    match kind {
        "NEW_MESSAGE" | "TYPE_UNSPECIFIED" => {
            let thread = state
                .spaces
                .get(space)
                .and_then(|s| s.message(message_id))
                .map(|m| m.thread.clone());
            if let Some(thread) = thread {
                fields.insert(
                    "thread".into(),
                    json!({"name": format!("spaces/{space}/threads/{thread}")}),
                );
            }
            let options = CreateOptions {
                reply: ReplyOption::FallbackToNewThread,
                ..CreateOptions::default()
            };
            let created = create_message(
                state,
                &Identity::App(app.to_owned()),
                space,
                fields,
                &options,
            )
            .map_err(|e| e.message)?;
            Ok((Some(created), None))
        }
        "UPDATE_MESSAGE" | "UPDATE_USER_MESSAGE_CARDS" => {
            let now = state.next_time();
            let s = state.spaces.get_mut(space).ok_or("the space is gone")?;
            let m = s.message_mut(message_id).ok_or("the message is gone")?;
            if kind == "UPDATE_MESSAGE" && !(clicked && m.sender == Identity::App(app.to_owned())) {
                return Err("UPDATE_MESSAGE answers only a click on the app's own message".into());
            }
            if kind == "UPDATE_USER_MESSAGE_CARDS" && matches!(m.sender, Identity::App(_)) {
                return Err("UPDATE_USER_MESSAGE_CARDS answers only a user's message".into());
            }
            let keys: &[&str] = if kind == "UPDATE_MESSAGE" {
                &["text", "cardsV2", "cards", "accessoryWidgets"]
            } else {
                &["cardsV2"]
            };
            m.edit(|stored| {
                for key in keys {
                    if let Some(v) = fields.get(*key) {
                        stored.insert((*key).to_owned(), v.clone());
                        if *key == "text" {
                            stored.remove("argumentText");
                        }
                    }
                }
            });
            if m.has_cards() {
                m.card_owner = Some(app.to_owned());
            }
            m.last_update = Some(now);
            Ok((None, Some(m.to_json())))
        }
        // Dialogs, configuration requests and autocomplete change nothing stored.
        _ => Ok((None, None)),
    }
}
