//! Answering Chat (feature `app`): the other half of a Chat app. Chat calls the app's
//! HTTPS endpoint with an interaction event (a message, a card click, a slash command, a
//! dialog step) and a bearer token; the app verifies the token, reads the event and
//! answers within seconds with a message or an action (update the card in place, open or
//! close a dialog, ...).
//!
//! - [`ChatAuth`] says which token to expect (the "Authentication audience" of the Chat
//!   API configuration page) and builds the verifier
//!   ([`google_api_runtime::id_token`], RS256 only, keys cached).
//! - [`Event`] is what a handler matches on, in both formats Chat sends (classic
//!   `DeprecatedEvent`, add-on [`EventObject`]), with the full models underneath
//!   ([`Interaction::raw`]).
//! - [`Answer`] is what it returns, written in the event's envelope.
//! - [`Endpoint`] joins them for any web framework; the `axum` feature adds
//!   `app::axum::post`, a route.
//!
//! Tests, fakes and emulators point the endpoint at their own key server with
//! [`ChatAuth::keys_url`], and sign events' tokens with [`id_token::Signer`] (an RSA key
//! in PKCS #8), serving [`id_token::jwk_set`] or [`id_token::x509_set`] at that URL.
//!
//! ```
//! use chat_api::app::{Answer, Event};
//! use chat_api::cards::{Button, ButtonList, Card, CardWithId, OnClick, Section, TextParagraph, Widget};
//! use chat_api::models::Message;
//!
//! fn counter_card(count: u32) -> CardWithId {
//!     let click = chat_api::cards::Action::new()
//!         .set_function("increment")
//!         .set_parameters([chat_api::cards::ActionParameter::new()
//!             .set_key("count")
//!             .set_value(count.to_string())]);
//!     CardWithId::new().set_card_id("counter").set_card(Card::new().set_sections([
//!         Section::new().set_widgets([
//!             Widget::from(TextParagraph::new().set_text(format!("Clicked {count} times"))),
//!             Widget::from(ButtonList::new().set_buttons([
//!                 Button::new().set_text("+1").set_on_click(OnClick::new().set_action(click)),
//!             ])),
//!         ]),
//!     ]))
//! }
//!
//! async fn answer(event: Event) -> Answer {
//!     match event {
//!         Event::Message(_) => Answer::message(Message::new().set_cards_v2([counter_card(0)])),
//!         Event::CardClicked(click) if click.action_name() == Some("increment") => {
//!             let count: u32 = click.parameter("count").and_then(|c| c.parse().ok()).unwrap_or(0);
//!             Answer::update_message(Message::new().set_cards_v2([counter_card(count + 1)]))
//!         }
//!         _ => Answer::empty(),
//!     }
//! }
//! ```

mod addon;
mod answer;
mod auth;
#[cfg(feature = "axum")]
pub mod axum;
mod endpoint;
mod event;
mod object;

pub use addon::{
    AddedToSpacePayload, AppCommandPayload, AuthorizationEventObject, ButtonClickedPayload,
    ChatEventObject, EventObject, MessagePayload, RemovedFromSpacePayload, WidgetUpdatedPayload,
};
pub use answer::Answer;
pub use auth::{CHAT_ISSUER, ChatAuth, add_on_service_agent};
pub use endpoint::{DEFAULT_BODY_LIMIT, Endpoint, Rejection, Reply, parse_event};
pub use event::{Event, Format, Interaction, RawEvent};
pub use google_api_runtime::id_token::{self, IdTokenError, IdTokenVerifier};
