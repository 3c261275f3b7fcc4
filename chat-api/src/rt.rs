//! What generated request builders hand to the runtime: a static description of the
//! method ([`MethodInfo`]) and the values of one call ([`ApiRequest`]).
//!
//! This is the whole contract between `src/gen` and the hand-written runtime: generated
//! code builds an [`ApiRequest`] and calls `Client::execute`, `Client::execute_upload`
//! or `Client::execute_download`.

use crate::params::StandardParams;

/// Static description of one API method, emitted as a `const` by the generator.
#[derive(Debug)]
pub(crate) struct MethodInfo {
    /// Method id, e.g. `chat.spaces.messages.create`.
    pub id: &'static str,
    /// HTTP method.
    pub http_method: reqwest::Method,
    /// Path template relative to the base URL, e.g. `v1/{+parent}/messages`.
    pub path: &'static str,
    /// OAuth 2.0 scopes, any one of which is enough.
    pub scopes: &'static [&'static str],
    /// Media upload endpoints, for methods that support upload.
    pub upload: Option<UploadInfo>,
    /// Whether `alt=media` download is supported.
    pub supports_download: bool,
    /// Whether downloads go through the `download/` service path.
    pub use_download_service: bool,
}

/// Media upload endpoints of a method.
#[derive(Debug)]
pub(crate) struct UploadInfo {
    /// Absolute path template of the simple/multipart endpoint, e.g.
    /// `/upload/v1/{+parent}/attachments:upload`.
    pub simple_path: Option<&'static str>,
    /// Absolute path template of the resumable endpoint.
    pub resumable_path: Option<&'static str>,
    /// Largest accepted upload, in bytes.
    pub max_size: Option<u64>,
    /// Accepted MIME ranges.
    pub accept: &'static [&'static str],
}

/// The values of one call: path parameters, query parameters and body.
#[derive(Debug)]
pub(crate) struct ApiRequest {
    pub method: &'static MethodInfo,
    pub path_params: Vec<(&'static str, String)>,
    pub query: Vec<(&'static str, String)>,
    /// The JSON body, serialized when the builder is sent.
    pub body: Option<Result<Vec<u8>, serde_json::Error>>,
}

impl ApiRequest {
    /// Starts a call of `method`.
    pub fn new(method: &'static MethodInfo) -> Self {
        Self {
            method,
            path_params: Vec::new(),
            query: Vec::new(),
            body: None,
        }
    }

    /// Sets the value of the path template variable `name`.
    pub fn path_param(&mut self, name: &'static str, value: impl Into<String>) {
        self.path_params.push((name, value.into()));
    }

    /// Adds one query parameter; repeated parameters call this once per value.
    pub fn query(&mut self, name: &'static str, value: &impl QueryValue) {
        self.query.push((name, value.to_query_value()));
    }

    /// Adds the standard parameters that are set.
    pub fn standard(&mut self, params: &StandardParams) {
        self.query.extend(params.query_pairs());
    }

    /// Serializes `body` as the JSON request body; `None` fields are omitted by the models.
    pub fn json_body(&mut self, body: &impl serde::Serialize) {
        self.body = Some(serde_json::to_vec(body));
    }
}

/// How a value is written in a query string.
pub(crate) trait QueryValue {
    /// The value as it appears (before percent-encoding) in the query string.
    fn to_query_value(&self) -> String;
}

macro_rules! display_query_value {
    ($($t:ty),*) => {$(
        impl QueryValue for $t {
            fn to_query_value(&self) -> String {
                self.to_string()
            }
        }
    )*};
}

display_query_value!(String, bool, i32, u32, i64, u64, f32, f64);
