//! What a handler returns: an [`Answer`], written in the envelope of the event it answers.
//!
//! - Classic events are answered with a `Message`, carrying an `actionResponse` for
//!   anything but a new message
//!   (<https://developers.google.com/workspace/chat/api/reference/rest/v1/spaces.messages#actionresponse>):
//!   `UPDATE_MESSAGE`, `UPDATE_USER_MESSAGE_CARDS`, `REQUEST_CONFIG` with `url`, `DIALOG`
//!   with a `dialogAction` (a dialog, or an `actionStatus` that closes it), and
//!   `UPDATE_WIDGET` with autocomplete suggestions.
//! - Add-on events are answered with the add-on envelopes
//!   (<https://developers.google.com/workspace/add-ons/chat/build>, and the add-on
//!   samples): `hostAppDataAction.chatDataAction.{createMessageAction,
//!   updateMessageAction, updateInlinePreviewAction}`, `action.navigations` with
//!   `pushCard`, `updateCard` or `endNavigation: {action: CLOSE_DIALOG}`,
//!   `action.modifyOperations[].updateWidget.selectionInputWidgetSuggestions`, and
//!   `basicAuthorizationPrompt` for a configuration request.

use serde_json::{Value, json};

use super::event::Format;
use crate::cards::{Card, CardWithId, SelectionItem};
use crate::models::{
    ActionResponse, ActionResponseType, ActionStatus, ActionStatusStatusCode, Dialog, DialogAction,
    Message, SelectionItems, UpdatedWidget,
};

/// An answer to an interaction event. Made by one of the constructors; turned into the
/// right JSON for the event's [`Format`] by [`to_json`](Self::to_json) (the endpoint
/// does it).
#[derive(Debug, Clone, PartialEq)]
pub struct Answer {
    kind: Kind,
}

#[derive(Debug, Clone, PartialEq)]
enum Kind {
    Empty,
    NewMessage(Box<Message>),
    UpdateMessage(Box<Message>),
    UpdateCards(Vec<CardWithId>),
    RequestConfig {
        url: String,
        resource: String,
    },
    OpenDialog(Box<Card>),
    UpdateDialog(Box<Card>),
    CloseDialog {
        notice: Option<String>,
    },
    Suggestions {
        widget: String,
        items: Vec<SelectionItem>,
    },
}

impl Answer {
    /// No answer: HTTP 200 with `{}` (for `REMOVED_FROM_SPACE`, or when the app answers
    /// later through the API).
    pub fn empty() -> Self {
        Self { kind: Kind::Empty }
    }

    /// A new message in the space.
    pub fn message(message: impl Into<Message>) -> Self {
        Self {
            kind: Kind::NewMessage(Box::new(message.into())),
        }
    }

    /// A new text message.
    pub fn text(text: impl Into<String>) -> Self {
        Self::message(Message::new().set_text(text))
    }

    /// Replaces the message whose card was clicked (only a message the app sent):
    /// `UPDATE_MESSAGE`, or the add-on `updateMessageAction`.
    pub fn update_message(message: impl Into<Message>) -> Self {
        Self {
            kind: Kind::UpdateMessage(Box::new(message.into())),
        }
    }

    /// Replaces the cards of a user's message (link previews):
    /// `UPDATE_USER_MESSAGE_CARDS`, or the add-on `updateInlinePreviewAction`.
    pub fn update_user_message_cards(cards: impl IntoIterator<Item = CardWithId>) -> Self {
        Self {
            kind: Kind::UpdateCards(cards.into_iter().collect()),
        }
    }

    /// Asks the user to configure the app (sign in elsewhere) at `url`: `REQUEST_CONFIG`,
    /// or the add-on `basicAuthorizationPrompt` naming `resource`.
    pub fn request_config(url: impl Into<String>, resource: impl Into<String>) -> Self {
        Self {
            kind: Kind::RequestConfig {
                url: url.into(),
                resource: resource.into(),
            },
        }
    }

    /// Opens a dialog showing `card` (answer to [`Event::DialogRequested`](super::Event)).
    pub fn open_dialog(card: impl Into<Card>) -> Self {
        Self {
            kind: Kind::OpenDialog(Box::new(card.into())),
        }
    }

    /// Shows `card` in the open dialog instead (for example the same form with an error
    /// message after a failed validation).
    pub fn update_dialog(card: impl Into<Card>) -> Self {
        Self {
            kind: Kind::UpdateDialog(Box::new(card.into())),
        }
    }

    /// Closes the dialog.
    pub fn close_dialog() -> Self {
        Self {
            kind: Kind::CloseDialog { notice: None },
        }
    }

    /// Closes the dialog and shows `notice` to the user.
    pub fn close_dialog_with_notice(notice: impl Into<String>) -> Self {
        Self {
            kind: Kind::CloseDialog {
                notice: Some(notice.into()),
            },
        }
    }

    /// Autocomplete suggestions for the selection input `widget` (answer to
    /// [`Event::WidgetUpdated`](super::Event)).
    pub fn suggestions(
        widget: impl Into<String>,
        items: impl IntoIterator<Item = SelectionItem>,
    ) -> Self {
        Self {
            kind: Kind::Suggestions {
                widget: widget.into(),
                items: items.into_iter().collect(),
            },
        }
    }

    /// The JSON body of this answer in `format`'s envelope.
    pub fn to_json(&self, format: Format) -> Value {
        match format {
            Format::Classic => self.classic(),
            Format::AddOn => self.add_on(),
        }
    }

    fn classic(&self) -> Value {
        let response = |r: ActionResponse| Message::new().set_action_response(r);
        let of = |t: ActionResponseType| ActionResponse::new().set_type(t);
        let message = match &self.kind {
            Kind::Empty => return json!({}),
            Kind::NewMessage(m) => (**m).clone(),
            Kind::UpdateMessage(m) => {
                let mut m = (**m).clone();
                m.action_response = Some(of(ActionResponseType::UpdateMessage));
                m
            }
            Kind::UpdateCards(cards) => response(of(ActionResponseType::UpdateUserMessageCards))
                .set_cards_v2(cards.iter().cloned()),
            Kind::RequestConfig { url, .. } => {
                response(of(ActionResponseType::RequestConfig).set_url(url.as_str()))
            }
            Kind::OpenDialog(card) | Kind::UpdateDialog(card) => {
                response(of(ActionResponseType::Dialog).set_dialog_action(
                    DialogAction::new().set_dialog(Dialog::new().set_body((**card).clone())),
                ))
            }
            Kind::CloseDialog { notice } => {
                let mut status = ActionStatus::new().set_status_code(ActionStatusStatusCode::Ok);
                status.user_facing_message = notice.clone();
                response(
                    of(ActionResponseType::Dialog)
                        .set_dialog_action(DialogAction::new().set_action_status(status)),
                )
            }
            Kind::Suggestions { widget, items } => response(
                of(ActionResponseType::UpdateWidget).set_updated_widget(
                    UpdatedWidget::new()
                        .set_widget(widget.as_str())
                        .set_suggestions(SelectionItems::new().set_items(items.iter().cloned())),
                ),
            ),
        };
        to_value(&message)
    }

    fn add_on(&self) -> Value {
        let chat_data = |action: &str, value: Value| json!({"hostAppDataAction": {"chatDataAction": {action: value}}});
        let navigate = |step: Value| json!({"action": {"navigations": [step]}});
        match &self.kind {
            Kind::Empty => json!({}),
            Kind::NewMessage(m) => {
                chat_data("createMessageAction", json!({"message": to_value(m)}))
            }
            Kind::UpdateMessage(m) => {
                chat_data("updateMessageAction", json!({"message": to_value(m)}))
            }
            Kind::UpdateCards(cards) => chat_data(
                "updateInlinePreviewAction",
                json!({"cardsV2": to_value(cards)}),
            ),
            Kind::RequestConfig { url, resource } => json!({
                "basicAuthorizationPrompt": {"authorizationUrl": url, "resource": resource}
            }),
            Kind::OpenDialog(card) => navigate(json!({"pushCard": to_value(card)})),
            Kind::UpdateDialog(card) => navigate(json!({"updateCard": to_value(card)})),
            Kind::CloseDialog { notice } => {
                let mut body = navigate(json!({"endNavigation": {"action": "CLOSE_DIALOG"}}));
                if let Some(text) = notice {
                    body["action"]["notification"] = json!({"text": text});
                }
                body
            }
            Kind::Suggestions { items, .. } => json!({"action": {"modifyOperations": [
                {"updateWidget": {"selectionInputWidgetSuggestions": {"suggestions": to_value(items)}}}
            ]}}),
        }
    }
}

/// A model as JSON. Models serialize to JSON objects with string keys, which cannot fail.
fn to_value<T: serde::Serialize>(value: &T) -> Value {
    serde_json::to_value(value).unwrap_or(Value::Null)
}
