//! What a request carries besides its own parameters: the standard query parameters
//! every method accepts ([`StandardParams`]), and the per-call options that are not
//! sent but change how the call is made ([`RequestOptions`]).

use std::time::Duration;

use crate::retry::RetryPolicy;

/// Standard query parameters every Google API method accepts (`fields`, `quotaUser`,
/// `prettyPrint`), and, apart from them, the request builder's [`RequestOptions`].
///
/// `#[non_exhaustive]`: build it with `StandardParams::default()` and set fields.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
#[non_exhaustive]
pub struct StandardParams {
    /// Selector specifying which fields to include in a partial response.
    pub fields: Option<String>,
    /// Quota user: an arbitrary string identifying a user for quota purposes.
    pub quota_user: Option<String>,
    /// Returns the response with indentations and line breaks.
    pub pretty_print: Option<bool>,
    /// Not parameters (never sent): how this call is made. Kept here because request
    /// builders hold one `StandardParams`.
    pub options: RequestOptions,
}

/// Per-call options: settings of one call that override the client's, never sent.
///
/// `#[non_exhaustive]`: build it with `RequestOptions::default()` and its setters.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
#[non_exhaustive]
pub struct RequestOptions {
    /// For this call only, instead of
    /// [`ClientBuilder::request_timeout`](crate::ClientBuilder::request_timeout).
    pub timeout: Option<Duration>,
    /// For this call only, instead of
    /// [`ClientBuilder::retry_policy`](crate::ClientBuilder::retry_policy).
    pub retry_policy: Option<RetryPolicy>,
}

impl RequestOptions {
    /// Sets [`timeout`](Self::timeout).
    pub fn with_timeout(mut self, timeout: Duration) -> Self {
        self.timeout = Some(timeout);
        self
    }

    /// Sets [`retry_policy`](Self::retry_policy).
    pub fn with_retry_policy(mut self, policy: RetryPolicy) -> Self {
        self.retry_policy = Some(policy);
        self
    }
}

impl StandardParams {
    /// The parameters as `(wire name, value)` pairs, in a fixed order.
    pub(crate) fn query_pairs(&self) -> impl Iterator<Item = (&'static str, String)> + '_ {
        [
            ("fields", self.fields.clone()),
            ("quotaUser", self.quota_user.clone()),
            ("prettyPrint", self.pretty_print.map(|b| b.to_string())),
        ]
        .into_iter()
        .filter_map(|(name, value)| value.map(|v| (name, v)))
    }
}

/// Setters for the [`StandardParams`] of any request builder.
///
/// Every generated request builder implements this trait, so `fields`, `quota_user` and
/// the per-call [`RequestOptions`] ([`timeout`](Self::timeout) and
/// [`retry_policy`](Self::retry_policy)) are available on every request once the trait
/// is in scope (generated crates re-export it: `use chat_api::WithStandardParams;`).
/// (A new method here is a name generated builders must not take: add it to
/// the generator's reserved names, `codegen/src/model/reserved.rs`.)
///
/// ```
/// use std::time::Duration;
/// use google_api_runtime::{RetryPolicy, WithStandardParams};
///
/// /// This call only: 5 s per attempt and no retry; the client's settings stay as they
/// /// are. (`B` is any request builder, e.g. `client.spaces().get("spaces/AAAA")`.)
/// fn fail_fast<B: WithStandardParams>(request: B) -> B {
///     request
///         .timeout(Duration::from_secs(5))
///         .retry_policy(RetryPolicy::none())
/// }
/// ```
pub trait WithStandardParams: Sized {
    /// The builder's standard parameters.
    fn standard_params_mut(&mut self) -> &mut StandardParams;

    /// Selects which fields to include in a partial response (`fields`).
    fn fields(mut self, fields: impl Into<String>) -> Self {
        self.standard_params_mut().fields = Some(fields.into());
        self
    }

    /// Sets the `quotaUser` used for quota accounting.
    fn quota_user(mut self, quota_user: impl Into<String>) -> Self {
        self.standard_params_mut().quota_user = Some(quota_user.into());
        self
    }

    /// Asks the server to pretty-print the response (`prettyPrint`).
    fn pretty_print(mut self, pretty_print: bool) -> Self {
        self.standard_params_mut().pretty_print = Some(pretty_print);
        self
    }

    /// The request timeout of this call, instead of the client's
    /// [`request_timeout`](crate::ClientBuilder::request_timeout): the time allowed for
    /// each attempt and its response (for a download, the wait for the response and the
    /// longest silence between chunks). Uploads keep the client's settings.
    fn timeout(mut self, timeout: Duration) -> Self {
        self.standard_params_mut().options.timeout = Some(timeout);
        self
    }

    /// The retry policy of this call, instead of the client's
    /// [`retry_policy`](crate::ClientBuilder::retry_policy): e.g. [`RetryPolicy::none`]
    /// for a call that must fail fast, or a shorter `max_elapsed` to bound the whole
    /// call. Token requests and uploads keep the client's policy.
    fn retry_policy(mut self, policy: RetryPolicy) -> Self {
        self.standard_params_mut().options.retry_policy = Some(policy);
        self
    }
}
