//! A fake Google Chat server: Chat's REST API in memory, behind real HTTP on 127.0.0.1,
//! for testing Chat apps offline.
//!
//! [`FakeChat::start`] listens on a free port of 127.0.0.1 and hands out
//! [`chat_api::Client`]s acting as the Chat app or as a user. Seeding (apps, users,
//! spaces, members, messages) and inspection (what is in a space, what was called) are
//! plain Rust calls. The fake keeps Google's documented rules (membership, `requestId`,
//! threads, `replaceCards`' rules, `updateMask`, pagination and filters) and answers
//! with Google's error envelope; each rule's doc comment cites the page it comes from.
//! Methods it does not implement answer 501 UNIMPLEMENTED naming the method
//! ([`unimplemented_methods`]).
//!
//! # Coverage (Chat API v1, 55 methods)
//!
//! Implemented (26): `media.upload` (multipart and resumable, on `/upload/v1/...` and
//! `/resumable/upload/v1/...`), `media.download`; `spaces.create`, `.setup`, `.get`,
//! `.list`, `.search`, `.patch`, `.delete`, `.findDirectMessage`;
//! `spaces.members.create`, `.get`, `.list`, `.patch`, `.delete`;
//! `spaces.messages.create`, `.get`, `.list`, `.patch`, `.update`, `.delete`,
//! `.replaceCards`; `spaces.messages.attachments.get`;
//! `spaces.messages.reactions.create`, `.list`, `.delete`.
//!
//! 501 UNIMPLEMENTED (29): `customEmojis.*` (4), `spaces.completeImport`,
//! `spaces.findGroupChats`, `spaces.messagePins.*` (3), `spaces.messages.search`,
//! `spaces.spaceEvents.*` (2), `users.availability.*` (5), `users.sections.*` (5),
//! `users.sections.items.*` (2), `users.spaces.*` (4), `users.spaces.threads.*` (1).
//!
//! # Events to the app under test
//!
//! [`events`]: a user's message, a slash command, a card click or the app being added,
//! sent to the app's endpoint signed as Chat signs them; see [`FakeChat::set_app_endpoint`].
//!
//! It also plays Google's OAuth endpoints, so the real credential flows work against it:
//! a service-account key file ([`FakeChat::service_account_json`]) whose JWT grant it
//! verifies, authorized-user credentials whose refresh token it honours, and an OAuth
//! client for the installed-app flow whose consent it grants at once.
//!
//! ```
//! use chat_api::models::Message;
//! use chat_api_fake::FakeChat;
//!
//! # #[tokio::main(flavor = "current_thread")]
//! # async fn main() -> Result<(), Box<dyn std::error::Error>> {
//! let fake = FakeChat::start().await?;
//! let space = fake.add_space("AAAA", "Team")?;
//! fake.add_app_to_space(&space)?;
//!
//! let app = fake.app_client()?;
//! let sent = app
//!     .spaces()
//!     .messages()
//!     .create(&space, Message::new().set_text("Hello"))
//!     .send()
//!     .await?;
//! assert_eq!(fake.messages(&space)?[0].name, sent.name);
//! # Ok(())
//! # }
//! ```

// Layers, bottom up; a module uses only modules of the layers below it (no import
// cycles, `xtask/tests/module_cycles.rs`): `time`, `reply`, `routes`; `error`, `keys`;
// `query`, `store`; `shared`; `api`, `auth`; `server`; `fake`; `events`.
mod api;
mod auth;
mod error;
pub mod events;
mod fake;
mod keys;
mod query;
mod reply;
mod routes;
mod server;
mod shared;
mod store;
mod time;

use std::time::Duration;

pub use error::FakeError;
pub use fake::{FakeChat, FakeChatBuilder};
pub use routes::{implemented_methods, unimplemented_methods};

/// Who makes a call: a Chat app (app authentication, a service account) or a user
/// (user authentication, through the OAuth client of a Chat app's project).
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord)]
#[non_exhaustive]
pub enum Identity {
    /// The Chat app with this id (its user name is `users/{id}`).
    App(String),
    /// The user `user` (`users/...`), through the OAuth client of the Chat app `app`.
    User {
        /// `users/{user}`.
        user: String,
        /// The Chat app whose OAuth client the user authorized (cards the user creates
        /// belong to it).
        app: String,
    },
}

/// One call the fake answered, for inspection ([`FakeChat::calls`]).
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub struct Call {
    /// The method id without `chat.` (`spaces.messages.create`), or the OAuth endpoint
    /// (`oauth.token`, `oauth.authorize`), or `unknown`.
    pub method: String,
    /// Who called, when the credentials were valid.
    pub identity: Option<Identity>,
    /// The HTTP status answered.
    pub status: u16,
}

/// An injected failure: the next calls of a method answer `status` (429 or 503, ...)
/// with Google's envelope and, if set, a `Retry-After` header.
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub struct Fault {
    /// The HTTP status (429 RESOURCE_EXHAUSTED, 503 UNAVAILABLE, 500 INTERNAL, ...).
    pub status: u16,
    /// `Retry-After`, in whole seconds.
    pub retry_after: Option<Duration>,
}

impl Fault {
    /// A fault answering `status`.
    pub fn status(status: u16) -> Self {
        Self {
            status,
            retry_after: None,
        }
    }

    /// 503 UNAVAILABLE.
    pub fn unavailable() -> Self {
        Self::status(503)
    }

    /// 429 RESOURCE_EXHAUSTED.
    pub fn too_many_requests() -> Self {
        Self::status(429)
    }

    /// Adds a `Retry-After` header (rounded up to whole seconds).
    pub fn retry_after(mut self, after: Duration) -> Self {
        self.retry_after = Some(after);
        self
    }
}

/// A per-space write quota: at most `limit` writes in any `window`, shared by every
/// caller in the space; past it, writes answer 429 RESOURCE_EXHAUSTED.
///
/// Chat's usage limits page (<https://developers.google.com/workspace/chat/limits>,
/// "Per-space quotas") listed 60 writes per 60 seconds per space
/// ([`WriteQuota::per_minute`]`(60)`); its newest revision states the per-space limits
/// per second (reads 15 per second, the same rate as the former 900 per minute). The
/// fake enforces whatever limit and window are set here.
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub struct WriteQuota {
    /// Writes allowed per window.
    pub limit: u32,
    /// The sliding window.
    pub window: Duration,
}

impl WriteQuota {
    /// `limit` writes in any `window`.
    pub fn new(limit: u32, window: Duration) -> Self {
        Self { limit, window }
    }

    /// `limit` writes per 60 seconds (Chat's documented per-space figure is 60).
    pub fn per_minute(limit: u32) -> Self {
        Self::new(limit, Duration::from_secs(60))
    }
}
