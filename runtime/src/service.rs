//! What a generated crate tells the runtime about its API.

/// A hint for an error answer: `(http_status, status, message)` to a line telling what
/// usually causes it and how to fix it, for errors the API's messages leave unclear.
pub type HintFn = fn(u16, Option<&str>, &str) -> Option<&'static str>;

/// One API as the runtime needs to know it: where it lives (from its Discovery
/// document), and the choices of the crate generated for it (default scopes, user
/// agent, error hints). Generated crates define one `static` and hand it to
/// [`ClientBuilder::new`](crate::ClientBuilder::new).
#[derive(Debug)]
#[non_exhaustive]
pub struct Service {
    /// The API's name, e.g. `chat`.
    pub name: &'static str,
    /// The API's version, e.g. `v1`.
    pub version: &'static str,
    /// The document's `rootUrl`, ending with `/`: what
    /// [`ClientBuilder::base_url`](crate::ClientBuilder::base_url) replaces.
    pub root_url: &'static str,
    /// The document's `servicePath` (e.g. `drive/v3/`, often empty), between the root
    /// URL and every method's path.
    pub service_path: &'static str,
    /// The document's `mtlsRootUrl`, if any. For reference: this client does not present
    /// client certificates, so it never switches to it by itself.
    pub mtls_root_url: Option<&'static str>,
    /// The scopes credentials ask for when they are not given any.
    pub default_scopes: &'static [&'static str],
    /// The default `User-Agent`.
    pub user_agent: &'static str,
    /// The API's own error hints, asked before the runtime's general ones.
    pub hint: Option<HintFn>,
}

impl Service {
    /// An API at `root_url` + `service_path`, with no default scopes, no hints and a
    /// generic user agent.
    pub const fn new(
        name: &'static str,
        version: &'static str,
        root_url: &'static str,
        service_path: &'static str,
    ) -> Self {
        Self {
            name,
            version,
            root_url,
            service_path,
            mtls_root_url: None,
            default_scopes: &[],
            user_agent: concat!("google-api-runtime/", env!("CARGO_PKG_VERSION")),
            hint: None,
        }
    }

    /// Sets the mTLS root URL.
    pub const fn mtls_root_url(mut self, url: &'static str) -> Self {
        self.mtls_root_url = Some(url);
        self
    }

    /// Sets the default scopes.
    pub const fn default_scopes(mut self, scopes: &'static [&'static str]) -> Self {
        self.default_scopes = scopes;
        self
    }

    /// Sets the default `User-Agent`.
    pub const fn user_agent(mut self, user_agent: &'static str) -> Self {
        self.user_agent = user_agent;
        self
    }

    /// Sets the API's error hints.
    pub const fn hint(mut self, hint: HintFn) -> Self {
        self.hint = Some(hint);
        self
    }
}
