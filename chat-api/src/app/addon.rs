//! The event object Chat sends to a Chat app built as a Google Workspace add-on, which
//! the Chat API's Discovery document does not describe (it describes only the classic
//! `DeprecatedEvent`). Shapes from Google's reference, "Event objects" and its "Chat
//! event object" section
//! (<https://developers.google.com/workspace/add-ons/concepts/event-objects#chat-event-object>)
//! and the add-on samples in googleworkspace/add-ons-samples. `commonEventObject` is the
//! same schema as the Chat API's [`CommonEventObject`].

use std::fmt;

use super::object::app_object;
use crate::models::{
    AppCommandMetadata, CommonEventObject, DeprecatedEventDialogEventType, Message, Space, Thread,
    User,
};
use google_api_runtime::types::Timestamp;

app_object! {
    /// An add-on event: what the add-on's HTTP endpoint receives.
    pub struct EventObject {
        /// The host, platform, locale, form inputs, the invoked function and its parameters.
        pub common_event_object: Option<CommonEventObject> = "commonEventObject",
        /// Tokens Google sends with the event (never shown by `Debug`).
        pub authorization_event_object: Option<AuthorizationEventObject> = "authorizationEventObject",
        /// What happened in Chat.
        pub chat: Option<ChatEventObject> = "chat",
    }
}

/// The tokens of an add-on event. `Debug` never shows them.
#[derive(Clone, Default, PartialEq)]
#[non_exhaustive]
pub struct AuthorizationEventObject {
    /// An OAuth access token of the user, when the add-on asked for scopes.
    pub user_oauth_token: Option<String>,
    /// The Google-signed ID token of the add-on's service agent (the same token as the
    /// `Authorization` header).
    pub system_id_token: Option<String>,
    /// An ID token of the user.
    pub user_id_token: Option<String>,
    unknown_fields: google_api_runtime::types::UnknownFields,
}

impl fmt::Debug for AuthorizationEventObject {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let shown = |t: &Option<String>| t.as_ref().map(|_| "<redacted>");
        f.debug_struct("AuthorizationEventObject")
            .field("user_oauth_token", &shown(&self.user_oauth_token))
            .field("system_id_token", &shown(&self.system_id_token))
            .field("user_id_token", &shown(&self.user_id_token))
            .finish_non_exhaustive()
    }
}

impl serde::Serialize for AuthorizationEventObject {
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        use google_api_runtime::contract::wire;
        use serde::ser::SerializeMap as _;
        let mut map = serializer.serialize_map(None)?;
        wire::put(&mut map, "userOAuthToken", &self.user_oauth_token)?;
        wire::put(&mut map, "systemIdToken", &self.system_id_token)?;
        wire::put(&mut map, "userIdToken", &self.user_id_token)?;
        wire::put_unknown(&mut map, &self.unknown_fields)?;
        map.end()
    }
}

impl google_api_runtime::contract::wire::Object for AuthorizationEventObject {
    const NAME: &'static str = "AuthorizationEventObject";

    fn field<'de, A: serde::de::MapAccess<'de>>(
        &mut self,
        key: &str,
        map: &mut A,
    ) -> Result<(), A::Error> {
        use google_api_runtime::contract::wire;
        match key {
            "userOAuthToken" => self.user_oauth_token = wire::next_or_default(map)?,
            "systemIdToken" => self.system_id_token = wire::next_or_default(map)?,
            "userIdToken" => self.user_id_token = wire::next_or_default(map)?,
            _ => wire::keep(&mut self.unknown_fields, key, map)?,
        }
        Ok(())
    }
}

impl<'de> serde::Deserialize<'de> for AuthorizationEventObject {
    fn deserialize<D: serde::Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        google_api_runtime::contract::wire::deserialize_object(deserializer)
    }
}

app_object! {
    /// The Chat part of an add-on event: who, where, when, and one payload saying what.
    pub struct ChatEventObject {
        /// The user who interacted.
        pub user: Option<User> = "user",
        /// The space of the interaction.
        pub space: Option<Space> = "space",
        /// When it happened.
        pub event_time: Option<Timestamp> = "eventTime",
        /// A message to the app (`MESSAGE`).
        pub message_payload: Option<MessagePayload> = "messagePayload",
        /// The app was added to a space (`ADDED_TO_SPACE`).
        pub added_to_space_payload: Option<AddedToSpacePayload> = "addedToSpacePayload",
        /// The app was removed from a space (`REMOVED_FROM_SPACE`).
        pub removed_from_space_payload: Option<RemovedFromSpacePayload> = "removedFromSpacePayload",
        /// A card button was clicked (`CARD_CLICKED`, dialogs included).
        pub button_clicked_payload: Option<ButtonClickedPayload> = "buttonClickedPayload",
        /// A widget was updated (`WIDGET_UPDATED`, autocomplete).
        pub widget_updated_payload: Option<WidgetUpdatedPayload> = "widgetUpdatedPayload",
        /// A slash or quick command (`APP_COMMAND`).
        pub app_command_payload: Option<AppCommandPayload> = "appCommandPayload",
    }
}

app_object! {
    /// A message sent to the app.
    pub struct MessagePayload {
        /// The message.
        pub message: Option<Message> = "message",
        /// Its space.
        pub space: Option<Space> = "space",
        /// Where to send the user back after a configuration flow.
        pub config_complete_redirect_uri: Option<String> = "configCompleteRedirectUri",
    }
}

app_object! {
    /// The app was added to a space.
    pub struct AddedToSpacePayload {
        /// The space.
        pub space: Option<Space> = "space",
        /// Whether the app was added by an interaction (a message mentioning it).
        pub interaction_add: Option<bool> = "interactionAdd",
        /// Where to send the user back after a configuration flow.
        pub config_complete_redirect_uri: Option<String> = "configCompleteRedirectUri",
    }
}

app_object! {
    /// The app was removed from a space.
    pub struct RemovedFromSpacePayload {
        /// The space.
        pub space: Option<Space> = "space",
    }
}

app_object! {
    /// A card button was clicked.
    pub struct ButtonClickedPayload {
        /// The message of the card (absent for a dialog).
        pub message: Option<Message> = "message",
        /// The space.
        pub space: Option<Space> = "space",
        /// Whether the click belongs to a dialog.
        pub is_dialog_event: Option<bool> = "isDialogEvent",
        /// Which dialog step.
        pub dialog_event_type: Option<DeprecatedEventDialogEventType> = "dialogEventType",
    }
}

app_object! {
    /// A widget was updated.
    pub struct WidgetUpdatedPayload {
        /// The space.
        pub space: Option<Space> = "space",
        /// The message of the card.
        pub message: Option<Message> = "message",
    }
}

app_object! {
    /// A slash command or quick command.
    pub struct AppCommandPayload {
        /// Which command.
        pub app_command_metadata: Option<AppCommandMetadata> = "appCommandMetadata",
        /// The space.
        pub space: Option<Space> = "space",
        /// The thread.
        pub thread: Option<Thread> = "thread",
        /// The message that invoked it (slash commands).
        pub message: Option<Message> = "message",
        /// Where to send the user back after a configuration flow.
        pub config_complete_redirect_uri: Option<String> = "configCompleteRedirectUri",
        /// Whether the command opens a dialog.
        pub is_dialog_event: Option<bool> = "isDialogEvent",
        /// Which dialog step.
        pub dialog_event_type: Option<DeprecatedEventDialogEventType> = "dialogEventType",
    }
}
