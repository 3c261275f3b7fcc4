//! [`FakeChat`]: starting the server, handing out clients and credentials, seeding and
//! inspecting its state, faults and quotas.

use std::net::SocketAddr;
use std::sync::{Arc, Mutex};
use std::time::Duration;

use chat_api::{Client, ClientBuilder, Credentials};
use serde_json::{Map, Value, json};
use tokio::sync::oneshot;

use crate::api::messages::{CreateOptions, create_message};
use crate::error::FakeError;
use crate::keys::{Keys, SERVICE_ACCOUNT_PEM};
use crate::server;
use crate::shared::Shared;
use crate::store::{App, MemberKey, State};
use crate::{Call, Fault, Identity, WriteQuota};

/// The id of the Chat app a fake starts with.
pub const DEFAULT_APP: &str = "app";

/// Builds a [`FakeChat`]: where it listens and which Chat app it starts with.
#[derive(Debug, Clone)]
pub struct FakeChatBuilder {
    addr: SocketAddr,
    app: String,
    app_display_name: String,
}

impl Default for FakeChatBuilder {
    fn default() -> Self {
        Self {
            addr: SocketAddr::from(([127, 0, 0, 1], 0)),
            app: DEFAULT_APP.to_owned(),
            app_display_name: "Chat app".to_owned(),
        }
    }
}

impl FakeChatBuilder {
    /// The address to listen on (default `127.0.0.1:0`, a free port).
    pub fn addr(mut self, addr: SocketAddr) -> Self {
        self.addr = addr;
        self
    }

    /// The default Chat app's id (its user is `users/{id}`) and display name.
    pub fn app(mut self, id: impl Into<String>, display_name: impl Into<String>) -> Self {
        self.app = id.into();
        self.app_display_name = display_name.into();
        self
    }

    /// Starts serving.
    pub async fn start(self) -> Result<FakeChat, FakeError> {
        let listener = tokio::net::TcpListener::bind(self.addr)
            .await
            .map_err(|source| FakeError::Bind {
                addr: self.addr.to_string(),
                source,
            })?;
        let addr = listener.local_addr().map_err(|source| FakeError::Bind {
            addr: self.addr.to_string(),
            source,
        })?;
        let shared = Arc::new(Shared {
            state: Mutex::new(State::default()),
            base_url: format!("http://{addr}/"),
            keys: Keys::load(),
            default_app: self.app.clone(),
            http: reqwest::Client::new(),
        });
        let mut fake = FakeChat {
            shared: shared.clone(),
            addr,
            stop: None,
        };
        fake.add_app(&self.app, &self.app_display_name)?;
        let (stop, stopped) = oneshot::channel::<()>();
        let app = server::router(shared);
        tokio::spawn(async move {
            let serve = axum::serve(listener, app).with_graceful_shutdown(async {
                let _ = stopped.await;
            });
            if let Err(e) = serve.await {
                eprintln!("fake Chat server stopped: {e}");
            }
        });
        fake.stop = Some(stop);
        Ok(fake)
    }
}

/// A fake Chat server on 127.0.0.1 (see the crate docs). Stops when dropped.
#[derive(Debug)]
pub struct FakeChat {
    pub(crate) shared: Arc<Shared>,
    addr: SocketAddr,
    stop: Option<oneshot::Sender<()>>,
}

impl Drop for FakeChat {
    fn drop(&mut self) {
        if let Some(stop) = self.stop.take() {
            let _ = stop.send(());
        }
    }
}

/// `users/{x}` for `x` or `users/x`.
fn user_name(user: &str) -> String {
    if user.starts_with("users/") {
        user.to_owned()
    } else {
        format!("users/{user}")
    }
}

/// The space id of `spaces/{id}` or `{id}`.
fn space_id(space: &str) -> Result<&str, FakeError> {
    let id = space.strip_prefix("spaces/").unwrap_or(space);
    if id.is_empty() || id.contains('/') {
        return Err(FakeError::InvalidName {
            name: space.to_owned(),
            what: "space",
            form: "spaces/{space}",
        });
    }
    Ok(id)
}

impl FakeChat {
    /// Starts a fake on a free port of 127.0.0.1 with one Chat app, `users/app`.
    pub async fn start() -> Result<Self, FakeError> {
        FakeChatBuilder::default().start().await
    }

    /// A builder, to choose the address or the app.
    pub fn builder() -> FakeChatBuilder {
        FakeChatBuilder::default()
    }

    /// The base URL to give `ClientBuilder::base_url` (`http://127.0.0.1:PORT/`).
    pub fn url(&self) -> &str {
        &self.shared.base_url
    }

    /// The address it listens on.
    pub fn addr(&self) -> SocketAddr {
        self.addr
    }

    /// The default Chat app's id.
    pub fn app(&self) -> &str {
        &self.shared.default_app
    }

    /// Registers another Chat app (another Cloud project), with its own tokens and
    /// service account (`{id}@fake-project.iam.gserviceaccount.com`).
    pub fn add_app(&self, id: &str, display_name: &str) -> Result<(), FakeError> {
        if id.is_empty() || id.contains('/') {
            return Err(FakeError::InvalidName {
                name: id.to_owned(),
                what: "app id",
                form: "a name without '/'",
            });
        }
        let mut state = self.shared.lock();
        if state.apps.contains_key(id) {
            return Err(FakeError::AlreadyExists {
                what: "app",
                name: id.to_owned(),
            });
        }
        state.apps.insert(
            id.to_owned(),
            App {
                display_name: display_name.to_owned(),
                endpoint: None,
            },
        );
        state
            .tokens
            .insert(app_token(id), Identity::App(id.to_owned()));
        state
            .service_accounts
            .insert(service_account_email(id), id.to_owned());
        Ok(())
    }

    /// Adds a user (`alice` or `users/alice`) and returns their name (`users/alice`).
    pub fn add_user(&self, user: &str, display_name: &str) -> Result<String, FakeError> {
        let name = user_name(user);
        if name.len() <= "users/".len() || name[6..].contains('/') || name == "users/app" {
            return Err(FakeError::InvalidName {
                name: user.to_owned(),
                what: "user",
                form: "users/{user}",
            });
        }
        let mut state = self.shared.lock();
        if state.users.contains_key(&name) {
            return Err(FakeError::AlreadyExists { what: "user", name });
        }
        state.users.insert(name.clone(), display_name.to_owned());
        Ok(name)
    }

    /// Makes `user` a Workspace administrator (for `useAdminAccess` and `spaces.search`).
    pub fn make_admin(&self, user: &str) -> Result<(), FakeError> {
        let name = self.known_user(user)?;
        self.shared.lock().admins.insert(name);
        Ok(())
    }

    fn known_user(&self, user: &str) -> Result<String, FakeError> {
        let name = user_name(user);
        if !self.shared.lock().users.contains_key(&name) {
            return Err(FakeError::NotFound { what: "user", name });
        }
        Ok(name)
    }

    fn known_app(&self, app: &str) -> Result<(), FakeError> {
        if !self.shared.lock().apps.contains_key(app) {
            return Err(FakeError::NotFound {
                what: "app",
                name: app.to_owned(),
            });
        }
        Ok(())
    }

    /// Adds a named space (`spaceType` SPACE) with id `id` and no members; returns
    /// `spaces/{id}`.
    pub fn add_space(&self, id: &str, display_name: &str) -> Result<String, FakeError> {
        let mut json = Map::new();
        json.insert("displayName".into(), json!(display_name));
        json.insert("spaceType".into(), json!("SPACE"));
        self.add_space_json(id, json)
    }

    /// Adds a space from a `Space` resource (any fields, unknown ones included).
    pub fn add_space_json(&self, id: &str, space: Map<String, Value>) -> Result<String, FakeError> {
        let id = space_id(id)?;
        self.shared
            .lock()
            .insert_space(id.to_owned(), space)
            .map_err(|_| FakeError::AlreadyExists {
                what: "space",
                name: format!("spaces/{id}"),
            })?;
        Ok(format!("spaces/{id}"))
    }

    /// Adds a user (seeded with [`add_user`](Self::add_user)) to a space.
    pub fn add_member(&self, space: &str, user: &str) -> Result<(), FakeError> {
        let name = self.known_user(user)?;
        self.add_key(space, MemberKey::Human(name), "ROLE_MEMBER")
    }

    /// Adds a user to a space as a space manager.
    pub fn add_manager(&self, space: &str, user: &str) -> Result<(), FakeError> {
        let name = self.known_user(user)?;
        self.add_key(space, MemberKey::Human(name), "ROLE_MANAGER")
    }

    /// Adds the default Chat app to a space.
    pub fn add_app_to_space(&self, space: &str) -> Result<(), FakeError> {
        let app = self.shared.default_app.clone();
        self.add_app_to_space_as(space, &app)
    }

    /// Adds the Chat app `app` to a space.
    pub fn add_app_to_space_as(&self, space: &str, app: &str) -> Result<(), FakeError> {
        self.known_app(app)?;
        self.add_key(space, MemberKey::App(app.to_owned()), "ROLE_MEMBER")
    }

    fn add_key(&self, space: &str, key: MemberKey, role: &str) -> Result<(), FakeError> {
        let id = space_id(space)?;
        let mut state = self.shared.lock();
        if !state.spaces.contains_key(id) {
            return Err(FakeError::NotFound {
                what: "space",
                name: format!("spaces/{id}"),
            });
        }
        let member = key.member_id().to_owned();
        state
            .add_member(id, key, role)
            .map(|_| ())
            .map_err(|_| FakeError::AlreadyExists {
                what: "membership",
                name: format!("spaces/{id}/members/{member}"),
            })
    }

    /// Posts a message as `identity`, under the same rules as `spaces.messages.create`
    /// (membership, cards, threads); returns it.
    pub fn post(
        &self,
        space: &str,
        identity: &Identity,
        message: &chat_api::models::Message,
    ) -> Result<chat_api::models::Message, FakeError> {
        let id = space_id(space)?;
        let body = match serde_json::to_value(message) {
            Ok(Value::Object(map)) => map,
            Ok(_) => Map::new(),
            Err(source) => {
                return Err(FakeError::Decode {
                    what: "message",
                    source,
                });
            }
        };
        let value = create_message(
            &mut self.shared.lock(),
            identity,
            id,
            body,
            &CreateOptions::default(),
        )
        .map_err(FakeError::from)?;
        decode("message", value)
    }

    /// The messages of a space, oldest first.
    pub fn messages(&self, space: &str) -> Result<Vec<chat_api::models::Message>, FakeError> {
        let id = space_id(space)?;
        let values: Vec<Value> = {
            let state = self.shared.lock();
            let s = state.spaces.get(id).ok_or_else(|| FakeError::NotFound {
                what: "space",
                name: format!("spaces/{id}"),
            })?;
            s.messages
                .values()
                .map(crate::store::Message::to_json)
                .collect()
        };
        values.into_iter().map(|v| decode("message", v)).collect()
    }

    /// The number of messages in a space (cheap, for large tests).
    pub fn message_count(&self, space: &str) -> Result<usize, FakeError> {
        let id = space_id(space)?;
        let state = self.shared.lock();
        state
            .spaces
            .get(id)
            .map(|s| s.messages.len())
            .ok_or_else(|| FakeError::NotFound {
                what: "space",
                name: format!("spaces/{id}"),
            })
    }

    /// A space as `spaces.get` returns it.
    pub fn space(&self, space: &str) -> Result<chat_api::models::Space, FakeError> {
        let id = space_id(space)?;
        let value = {
            let state = self.shared.lock();
            let s = state.spaces.get(id).ok_or_else(|| FakeError::NotFound {
                what: "space",
                name: format!("spaces/{id}"),
            })?;
            Value::Object(s.json.clone())
        };
        decode("space", value)
    }

    /// The memberships of a space.
    pub fn members(&self, space: &str) -> Result<Vec<chat_api::models::Membership>, FakeError> {
        let id = space_id(space)?;
        let values: Vec<Value> = {
            let state = self.shared.lock();
            let s = state.spaces.get(id).ok_or_else(|| FakeError::NotFound {
                what: "space",
                name: format!("spaces/{id}"),
            })?;
            s.members
                .values()
                .map(|m| Value::Object(m.json.clone()))
                .collect()
        };
        values
            .into_iter()
            .map(|v| decode("membership", v))
            .collect()
    }

    /// Every call answered so far, in order.
    pub fn calls(&self) -> Vec<Call> {
        self.shared.lock().calls.clone()
    }

    /// Forgets the calls answered so far.
    pub fn clear_calls(&self) {
        self.shared.lock().calls.clear();
    }

    /// Makes the next `times` calls of `method` (`spaces.messages.create`; the
    /// Discovery id with or without `chat.`) fail with `fault`.
    pub fn fail_next(&self, method: &str, times: usize, fault: Fault) {
        let method = method.strip_prefix("chat.").unwrap_or(method).to_owned();
        let mut state = self.shared.lock();
        let queue = state.faults.entry(method).or_default();
        queue.extend(std::iter::repeat_n(fault, times));
    }

    /// Sets (or, with `None`, removes) the per-space write quota.
    pub fn set_write_quota(&self, quota: Option<WriteQuota>) {
        let mut state = self.shared.lock();
        state.quota = quota;
        state.writes.clear();
    }

    /// The test token of Chat app `app` (a plain bearer token the fake accepts).
    pub fn app_token(&self) -> String {
        app_token(&self.shared.default_app)
    }

    /// A plain bearer token for `user` (through the default app's OAuth client).
    pub fn user_token(&self, user: &str) -> Result<String, FakeError> {
        let app = self.shared.default_app.clone();
        self.user_token_via(user, &app)
    }

    /// A plain bearer token for `user` through the OAuth client of Chat app `app`.
    pub fn user_token_via(&self, user: &str, app: &str) -> Result<String, FakeError> {
        let user = self.known_user(user)?;
        self.known_app(app)?;
        let token = format!("fake-user-token.{app}.{}", &user[6..]);
        self.shared.lock().tokens.insert(
            token.clone(),
            Identity::User {
                user,
                app: app.to_owned(),
            },
        );
        Ok(token)
    }

    /// A client builder pointed at the fake with `token`, and quick retries (1 ms to
    /// 50 ms backoff) so that tests of faults do not sleep.
    pub fn client_builder(&self, token: &str) -> ClientBuilder {
        Client::builder()
            .base_url(self.url())
            .credentials(Credentials::bearer_token(token))
            .retry_policy(
                chat_api::RetryPolicy::default()
                    .initial_backoff(Duration::from_millis(1))
                    .max_backoff(Duration::from_millis(50)),
            )
    }

    /// A client acting as the default Chat app (app authentication).
    pub fn app_client(&self) -> Result<Client, FakeError> {
        Ok(self.client_builder(&self.app_token()).build()?)
    }

    /// A client acting as Chat app `app`.
    pub fn app_client_for(&self, app: &str) -> Result<Client, FakeError> {
        self.known_app(app)?;
        Ok(self.client_builder(&app_token(app)).build()?)
    }

    /// A client acting as `user` (user authentication through the default app's OAuth
    /// client).
    pub fn user_client(&self, user: &str) -> Result<Client, FakeError> {
        let token = self.user_token(user)?;
        Ok(self.client_builder(&token).build()?)
    }

    /// A service-account key file (JSON) of the default app whose `token_uri` is the
    /// fake's token endpoint: `Credentials::service_account_json` accepts it, and the
    /// fake verifies the JWT grant it signs.
    pub fn service_account_json(&self) -> String {
        let app = self.shared.default_app.clone();
        self.service_account_json_for(&app)
    }

    /// The service-account key file of Chat app `app`.
    pub fn service_account_json_for(&self, app: &str) -> String {
        json!({
            "type": "service_account",
            "project_id": "fake-project",
            "private_key_id": "fake-key-1",
            "private_key": SERVICE_ACCOUNT_PEM,
            "client_email": service_account_email(app),
            "client_id": "100000000000000000001",
            "token_uri": format!("{}token", self.url()),
        })
        .to_string()
    }

    /// Authorized-user credentials (JSON, what `gcloud auth application-default login`
    /// writes) of `user` through the default app's OAuth client; the fake honours the
    /// refresh token.
    pub fn authorized_user_json(&self, user: &str) -> Result<String, FakeError> {
        let user = self.known_user(user)?;
        let app = self.shared.default_app.clone();
        let refresh = format!("1//fake-refresh.{app}.{}", &user[6..]);
        self.shared
            .lock()
            .refresh_tokens
            .insert(refresh.clone(), Identity::User { user, app });
        Ok(json!({
            "type": "authorized_user",
            "client_id": "fake-client.apps.googleusercontent.com",
            "client_secret": "fake-secret",
            "refresh_token": refresh,
            "token_uri": format!("{}token", self.url()),
        })
        .to_string())
    }

    /// An OAuth client ID file (`{"installed": ...}`, what the Cloud console downloads
    /// for a Desktop app) for the installed-app flow: the fake's consent endpoint
    /// grants consent for `user` at once and redirects to the flow's loopback address.
    pub fn oauth_client_json(&self, user: &str) -> Result<String, FakeError> {
        let user = self.known_user(user)?;
        let app = self.shared.default_app.clone();
        let client_id = format!("fake-installed-{}.apps.googleusercontent.com", &user[6..]);
        self.shared
            .lock()
            .oauth_clients
            .insert(client_id.clone(), Identity::User { user, app });
        Ok(json!({"installed": {
            "client_id": client_id,
            "client_secret": "fake-secret",
            "auth_uri": format!("{}o/oauth2/auth", self.url()),
            "token_uri": format!("{}token", self.url()),
            "redirect_uris": ["http://localhost"],
        }})
        .to_string())
    }
}

fn app_token(app: &str) -> String {
    format!("fake-app-token.{app}")
}

fn service_account_email(app: &str) -> String {
    format!("{app}@fake-project.iam.gserviceaccount.com")
}

fn decode<T: serde::de::DeserializeOwned>(
    what: &'static str,
    value: Value,
) -> Result<T, FakeError> {
    serde_json::from_value(value).map_err(|source| FakeError::Decode { what, source })
}
