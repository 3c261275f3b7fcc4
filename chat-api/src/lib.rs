//! A typed, async client for the Google Chat API.
//!
//! Every schema of the API is a type in [`models`]; every method is a request builder
//! reached from [`Client`] through its resources (`client.spaces().messages()`), with
//! required arguments in the constructor, optional parameters as setters, and
//! `.send().await`. List methods also give `.pages()` (and `.stream()`, every item
//! across pages); upload and download methods give `.send_media(media)` and `.fetch_media()`.
//! Both are generated from Google's Discovery document by this repository's
//! `cargo xtask regen`; the runtime (auth, retries, errors, media) is hand-written.
//!
//! # Post a message as a Chat app
//!
//! ```no_run
//! use chat_api::{Client, Credentials, models::Message};
//!
//! # async fn run() -> chat_api::Result<()> {
//! // A service account key file; the `chat.bot` scope is the default.
//! let client = Client::new(Credentials::service_account_file("service_account.json")?)?;
//! let message = Message::new().set_text("Test message");
//! let sent = client.spaces().messages().create("spaces/AAAA", message).send().await?;
//! println!("created {}", sent.name());
//! # Ok(())
//! # }
//! ```
//!
//! A 403 "You are not permitted to use this app" comes back as [`Error::Api`] whose
//! message says to add the Chat app to the space.
//!
//! # Models: built with `new()` and setters, safe to regenerate
//!
//! Every model is a `#[non_exhaustive]` struct: build it with `new()` and the chained
//! `set_*` setters (`Message::new().set_text("hi")`), change it through its public
//! fields (`message.text = Some("hi".into())`). A field Google adds in a later revision
//! then never breaks code that compiles today, and neither does a new enum value (enums
//! are `#[non_exhaustive]` too) or a new method. Lists and maps are plain `Vec` /
//! `BTreeMap` (empty when absent on the wire); other fields are `Option`s, and strings,
//! numbers, booleans and enums also have a getter with the default filled in
//! (`message.text()` is a `&str`). `Debug` shows only the fields that are set.
//!
//! Nothing the server sends is lost: members this version of the crate does not know are
//! kept (`unknown_fields()`) and written back when the
//! value is sent again (get, change, `update`), and enum values it does not know are kept
//! as `Unknown` and sent back as they came. `Unknown` cannot hold a known value:
//!
//! ```compile_fail
//! // `UnknownValue` has no public constructor.
//! let _ = chat_api::models::SpaceSpaceType::Unknown(chat_api::types::UnknownValue("SPACE".into()));
//! ```
//!
//! # Resource names
//!
//! [`names`] has a type per resource name form (`SpaceName`, `MessageName`, ...), made
//! from its segments or parsed, and accepted wherever a builder takes a name. Every name
//! given to a builder, typed or a string, is checked against the parameter's form before
//! anything is sent, so `"spaces/AAAA/../OTHER"` or `"AAAA"` is an [`Error::InvalidArgument`]
//! naming the method, the parameter and the form (`spaces/{space}`):
//!
//! ```
//! use chat_api::names::{MessageName, SpaceName};
//!
//! let space = SpaceName::new("AAAA")?;
//! let message: MessageName = "spaces/AAAA/messages/BBBB".parse()?;
//! assert_eq!(message.space(), space.space());
//! assert!("spaces/AAAA/../OTHER".parse::<SpaceName>().is_err());
//! # Ok::<(), chat_api::InvalidName>(())
//! ```
//!
//! # Cards
//!
//! [`cards`] has the card types under their short names (`cards::Card`,
//! `cards::Section`, `cards::TextParagraph`, ...: Google's `GoogleAppsCardV1*` schemas,
//! generated there), and every kind of widget converts into a `cards::Widget`, so the
//! guide's card takes a few lines:
//!
//! ```
//! use chat_api::cards::{Card, CardHeader, CardWithId, Divider, Section, TextParagraph, Widget};
//!
//! let card = CardWithId::new().set_card_id("unique-card-id").set_card(
//!     Card::new()
//!         .set_header(CardHeader::new().set_title("Card Title").set_subtitle("Card Subtitle"))
//!         .set_sections([Section::new()
//!             .set_widgets([TextParagraph::new().set_text("This card is attached to a user message.")])]),
//! );
//! assert_eq!(card.card_id(), "unique-card-id");
//! // Widgets of different kinds in one list: convert each with `Widget::from`.
//! let mixed = Section::new().set_widgets([
//!     Widget::from(TextParagraph::new().set_text("Above the line")),
//!     Widget::from(Divider::new()),
//! ]);
//! assert_eq!(mixed.widgets.len(), 2);
//! ```
//!
//! # Features
//!
//! - `developer-preview`: items that exist only in the DEVELOPER_PREVIEW Discovery
//!   document. At revision 20261107 the preview document equals the stable one
//!   (`spaces.messages.replaceCards` graduated to stable), so the feature adds nothing;
//!   it is kept so that code enabling it keeps building. Features are additive: turning
//!   it on never removes an item.

// Chat's own: the service description (defaults the document cannot say), error hints,
// widgets converting into `cards::Widget`.
mod hints;
mod widgets;

// Answering Chat's interaction events (features `app`, `axum`): hand-written.
#[cfg(feature = "app")]
pub mod app;

// Generated from the Discovery documents into `src/gen/`: never edit by hand.
// (`gen` is a reserved word in edition 2024, hence the module name.)
// prettyplease formats it, so rustfmt must leave it alone.
#[rustfmt::skip]
#[path = "gen/mod.rs"]
mod generated;
// The generated modules (`models`, `cards`, `names`, `resources`, `scopes`), `Client`,
// and what users need from the runtime, under this crate's name: the generator writes
// the list (`generated::exports`), the same for every generated crate.
pub use generated::exports::*;

/// The repository's README (`README.md` here is a link to it, so the packaged crate has
/// it too): every Rust snippet in it is compiled as a doctest, so none can drift from
/// the API. (Its "Answer Chat" snippet needs the `axum` feature, so the README is
/// compiled in the `--all-features` run that `scripts/test.sh` makes.)
#[cfg(all(doctest, feature = "axum"))]
#[doc = include_str!("../README.md")]
pub struct ReadmeSnippets;

/// The scope a Chat app (service account) asks for by default.
pub const CHAT_BOT_SCOPE: &str = scopes::CHAT_BOT;

/// The production endpoint (the document's `rootUrl`).
pub const DEFAULT_BASE_URL: &str = ROOT_URL;

/// `chat-api-rs/<version>`, the default `User-Agent`.
pub const DEFAULT_USER_AGENT: &str = concat!("chat-api-rs/", env!("CARGO_PKG_VERSION"));

/// The Chat API as the runtime sees it: where the document says it is, and Chat's
/// defaults: a service account asks for `chat.bot`, and Chat's error messages get hints
/// (the app is not a member of the space).
static SERVICE: google_api_runtime::contract::Service = generated::DOCUMENT_SERVICE
    .default_scopes(&[CHAT_BOT_SCOPE])
    .user_agent(DEFAULT_USER_AGENT)
    .hint(hints::hint);
