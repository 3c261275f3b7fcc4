//! The event an app matches on: [`Event`], one variant per kind of interaction, each
//! holding an [`Interaction`] with accessors that read the same in both formats Chat
//! sends: the classic interaction event (`DeprecatedEvent`, see
//! <https://developers.google.com/workspace/chat/api/reference/rest/v1/Event>) and the
//! add-on event object ([`EventObject`]).

use std::collections::BTreeMap;

use super::addon::EventObject;
use crate::models::{
    CommonEventObject, DeprecatedEvent, DeprecatedEventDialogEventType, DeprecatedEventType,
    Message, Space, User,
};

/// One interaction event, by kind. Every variant holds the [`Interaction`]; a kind this
/// version of the crate does not know is [`Event::Unknown`], never an error.
#[derive(Debug, Clone, PartialEq)]
#[non_exhaustive]
pub enum Event {
    /// A message to the app (a direct message, an @mention).
    Message(Interaction),
    /// The app was added to a space.
    AddedToSpace(Interaction),
    /// The app was removed from a space (Chat ignores any message in the answer).
    RemovedFromSpace(Interaction),
    /// A card button was clicked: [`Interaction::action_name`] and
    /// [`Interaction::parameter`] say which.
    CardClicked(Interaction),
    /// A slash command or quick command: [`Interaction::command_id`] says which.
    AppCommand(Interaction),
    /// A click or command that asks for a dialog (`REQUEST_DIALOG`).
    DialogRequested(Interaction),
    /// A dialog's submit button (`SUBMIT_DIALOG`): read [`Interaction::form_input`].
    DialogSubmitted(Interaction),
    /// A dialog was cancelled (`CANCEL_DIALOG`).
    DialogCancelled(Interaction),
    /// A widget was updated (autocomplete of a selection input).
    WidgetUpdated(Interaction),
    /// A kind this version does not know: [`Interaction::event_type`] names it.
    Unknown(Interaction),
}

/// The event as it came: classic or add-on.
#[derive(Debug, Clone, PartialEq)]
#[non_exhaustive]
pub enum RawEvent {
    /// A classic Chat app interaction event.
    Classic(Box<DeprecatedEvent>),
    /// A Google Workspace add-on event object.
    AddOn(Box<EventObject>),
}

/// Which envelope an event came in, and so which envelope its answer takes.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Format {
    /// The classic event; the answer is a `Message`.
    Classic,
    /// The add-on event object; the answer is a `RenderActions` envelope.
    AddOn,
}

/// One interaction: the event, with accessors that read both formats alike.
#[derive(Debug, Clone, PartialEq)]
pub struct Interaction {
    raw: RawEvent,
}

impl Event {
    /// Types an event.
    pub fn new(raw: RawEvent) -> Self {
        let interaction = Interaction { raw };
        let kind = interaction.kind();
        kind(interaction)
    }

    /// The interaction, whatever its kind.
    pub fn interaction(&self) -> &Interaction {
        match self {
            Event::Message(i)
            | Event::AddedToSpace(i)
            | Event::RemovedFromSpace(i)
            | Event::CardClicked(i)
            | Event::AppCommand(i)
            | Event::DialogRequested(i)
            | Event::DialogSubmitted(i)
            | Event::DialogCancelled(i)
            | Event::WidgetUpdated(i)
            | Event::Unknown(i) => i,
        }
    }

    /// The envelope the event came in.
    pub fn format(&self) -> Format {
        self.interaction().format()
    }
}

/// The dialog step, if the event is a dialog event.
fn dialog_kind(
    is_dialog: Option<bool>,
    step: Option<&DeprecatedEventDialogEventType>,
) -> Option<fn(Interaction) -> Event> {
    if is_dialog != Some(true) {
        return None;
    }
    match step? {
        DeprecatedEventDialogEventType::RequestDialog => Some(Event::DialogRequested),
        DeprecatedEventDialogEventType::SubmitDialog => Some(Event::DialogSubmitted),
        DeprecatedEventDialogEventType::CancelDialog => Some(Event::DialogCancelled),
        _ => None,
    }
}

impl Interaction {
    fn kind(&self) -> fn(Interaction) -> Event {
        match &self.raw {
            RawEvent::Classic(e) => {
                if let Some(kind) = dialog_kind(e.is_dialog_event, e.dialog_event_type.as_ref()) {
                    return kind;
                }
                match &e.type_ {
                    // A slash command arrives as a MESSAGE carrying `slashCommand`.
                    Some(DeprecatedEventType::Message)
                        if e.message
                            .as_ref()
                            .is_some_and(|m| m.slash_command.is_some()) =>
                    {
                        Event::AppCommand
                    }
                    Some(DeprecatedEventType::Message) => Event::Message,
                    Some(DeprecatedEventType::AddedToSpace) => Event::AddedToSpace,
                    Some(DeprecatedEventType::RemovedFromSpace) => Event::RemovedFromSpace,
                    Some(DeprecatedEventType::CardClicked) => Event::CardClicked,
                    Some(DeprecatedEventType::WidgetUpdated) => Event::WidgetUpdated,
                    Some(DeprecatedEventType::AppCommand) => Event::AppCommand,
                    _ => Event::Unknown,
                }
            }
            RawEvent::AddOn(e) => {
                let Some(chat) = &e.chat else {
                    return Event::Unknown;
                };
                if let Some(p) = &chat.button_clicked_payload {
                    dialog_kind(p.is_dialog_event, p.dialog_event_type.as_ref())
                        .unwrap_or(Event::CardClicked)
                } else if let Some(p) = &chat.app_command_payload {
                    dialog_kind(p.is_dialog_event, p.dialog_event_type.as_ref())
                        .unwrap_or(Event::AppCommand)
                } else if chat.message_payload.is_some() {
                    Event::Message
                } else if chat.added_to_space_payload.is_some() {
                    Event::AddedToSpace
                } else if chat.removed_from_space_payload.is_some() {
                    Event::RemovedFromSpace
                } else if chat.widget_updated_payload.is_some() {
                    Event::WidgetUpdated
                } else {
                    Event::Unknown
                }
            }
        }
    }

    /// The event as it came, with every field Google sent.
    pub fn raw(&self) -> &RawEvent {
        &self.raw
    }

    /// The envelope the event came in.
    pub fn format(&self) -> Format {
        match self.raw {
            RawEvent::Classic(_) => Format::Classic,
            RawEvent::AddOn(_) => Format::AddOn,
        }
    }

    /// The event type as Google names it (`MESSAGE`, `CARD_CLICKED`, ...; for add-on
    /// events, the name of the payload present, such as `buttonClickedPayload`, or the
    /// first member of `chat` this crate does not know).
    pub fn event_type(&self) -> &str {
        match &self.raw {
            RawEvent::Classic(e) => e.type_.as_ref().map_or("", |t| t.as_str()),
            RawEvent::AddOn(e) => {
                let Some(chat) = &e.chat else { return "" };
                let known = [
                    (chat.message_payload.is_some(), "messagePayload"),
                    (chat.added_to_space_payload.is_some(), "addedToSpacePayload"),
                    (
                        chat.removed_from_space_payload.is_some(),
                        "removedFromSpacePayload",
                    ),
                    (
                        chat.button_clicked_payload.is_some(),
                        "buttonClickedPayload",
                    ),
                    (
                        chat.widget_updated_payload.is_some(),
                        "widgetUpdatedPayload",
                    ),
                    (chat.app_command_payload.is_some(), "appCommandPayload"),
                ];
                known
                    .iter()
                    .find(|(present, _)| *present)
                    .map(|(_, name)| *name)
                    .or_else(|| {
                        chat.unknown_fields()
                            .iter()
                            .map(|(name, _)| name)
                            .find(|name| name.ends_with("Payload"))
                    })
                    .unwrap_or("")
            }
        }
    }

    /// The user who interacted.
    pub fn user(&self) -> Option<&User> {
        match &self.raw {
            RawEvent::Classic(e) => e.user.as_ref(),
            RawEvent::AddOn(e) => e.chat.as_ref()?.user.as_ref(),
        }
    }

    /// The space of the interaction.
    pub fn space(&self) -> Option<&Space> {
        match &self.raw {
            RawEvent::Classic(e) => e.space.as_ref(),
            RawEvent::AddOn(e) => {
                let chat = e.chat.as_ref()?;
                chat.space.as_ref().or_else(|| {
                    let p = chat;
                    p.message_payload
                        .as_ref()
                        .and_then(|p| p.space.as_ref())
                        .or_else(|| {
                            p.added_to_space_payload
                                .as_ref()
                                .and_then(|p| p.space.as_ref())
                        })
                        .or_else(|| {
                            p.removed_from_space_payload
                                .as_ref()
                                .and_then(|p| p.space.as_ref())
                        })
                        .or_else(|| {
                            p.button_clicked_payload
                                .as_ref()
                                .and_then(|p| p.space.as_ref())
                        })
                        .or_else(|| {
                            p.widget_updated_payload
                                .as_ref()
                                .and_then(|p| p.space.as_ref())
                        })
                        .or_else(|| {
                            p.app_command_payload
                                .as_ref()
                                .and_then(|p| p.space.as_ref())
                        })
                })
            }
        }
    }

    /// The message the interaction is about (the message sent, the card's message).
    pub fn message(&self) -> Option<&Message> {
        match &self.raw {
            RawEvent::Classic(e) => e.message.as_ref(),
            RawEvent::AddOn(e) => {
                let p = e.chat.as_ref()?;
                p.message_payload
                    .as_ref()
                    .and_then(|p| p.message.as_ref())
                    .or_else(|| {
                        p.button_clicked_payload
                            .as_ref()
                            .and_then(|p| p.message.as_ref())
                    })
                    .or_else(|| {
                        p.widget_updated_payload
                            .as_ref()
                            .and_then(|p| p.message.as_ref())
                    })
                    .or_else(|| {
                        p.app_command_payload
                            .as_ref()
                            .and_then(|p| p.message.as_ref())
                    })
            }
        }
    }

    /// The message's text without the app's @mention (`argumentText`), or its text.
    pub fn text(&self) -> &str {
        self.message()
            .map(|m| {
                m.argument_text
                    .as_deref()
                    .or(m.text.as_deref())
                    .unwrap_or_default()
            })
            .unwrap_or_default()
            .trim()
    }

    /// The common event object: form inputs, parameters, invoked function, locale.
    pub fn common(&self) -> Option<&CommonEventObject> {
        match &self.raw {
            RawEvent::Classic(e) => e.common.as_ref(),
            RawEvent::AddOn(e) => e.common_event_object.as_ref(),
        }
    }

    /// The action a click invoked: the button's `function` (classic events fill
    /// `action.actionMethodName` and `common.invokedFunction` alike).
    pub fn action_name(&self) -> Option<&str> {
        if let RawEvent::Classic(e) = &self.raw {
            if let Some(name) = e
                .action
                .as_ref()
                .and_then(|a| a.action_method_name.as_deref())
            {
                return Some(name);
            }
        }
        self.common()?.invoked_function.as_deref()
    }

    /// One parameter of the clicked action.
    pub fn parameter(&self, key: &str) -> Option<&str> {
        if let Some(value) = self.common().and_then(|c| c.parameters.get(key)) {
            return Some(value);
        }
        match &self.raw {
            RawEvent::Classic(e) => e
                .action
                .as_ref()?
                .parameters
                .iter()
                .find(|p| p.key.as_deref() == Some(key))
                .and_then(|p| p.value.as_deref()),
            RawEvent::AddOn(_) => None,
        }
    }

    /// All parameters of the clicked action.
    pub fn parameters(&self) -> BTreeMap<&str, &str> {
        let mut all = BTreeMap::new();
        if let RawEvent::Classic(e) = &self.raw {
            for p in e.action.iter().flat_map(|a| &a.parameters) {
                if let (Some(k), Some(v)) = (&p.key, &p.value) {
                    all.insert(k.as_str(), v.as_str());
                }
            }
        }
        for (k, v) in self.common().map(|c| &c.parameters).into_iter().flatten() {
            all.insert(k.as_str(), v.as_str());
        }
        all
    }

    /// The first value a user entered or chose in the form input `name` (a text input, a
    /// selection), if any.
    pub fn form_input(&self, name: &str) -> Option<&str> {
        self.form_inputs(name).first().map(String::as_str)
    }

    /// Every value of the form input `name` (a multi-select has several).
    pub fn form_inputs(&self, name: &str) -> &[String] {
        self.common()
            .and_then(|c| c.form_inputs.get(name))
            .and_then(|i| i.string_inputs.as_ref())
            .map_or(&[], |s| s.value.as_slice())
    }

    /// The id of the slash command or quick command, as configured in the Chat API
    /// configuration page.
    pub fn command_id(&self) -> Option<i64> {
        let metadata = match &self.raw {
            RawEvent::Classic(e) => e.app_command_metadata.as_ref(),
            RawEvent::AddOn(e) => e
                .chat
                .as_ref()?
                .app_command_payload
                .as_ref()?
                .app_command_metadata
                .as_ref(),
        };
        if let Some(id) = metadata.and_then(|m| m.app_command_id) {
            return Some(i64::from(id));
        }
        self.message()?.slash_command.as_ref()?.command_id
    }
}
