//! One request as generated request builders describe it: a static description of the
//! method ([`MethodInfo`]), the values of one call ([`ApiRequest`]), and how those
//! values become the URL's path ([`expand_path`]) and query ([`append_query`]).
//!
//! (Formerly `rt.rs`.) Part of the contract with generated code, which
//! [`contract`](crate::contract) lists whole; the transport sends what is built here.

use percent_encoding::{AsciiSet, NON_ALPHANUMERIC, utf8_percent_encode};

use crate::error::{Error, Result};
use crate::params::{RequestOptions, StandardParams};

/// Static description of one API method, emitted as a `const` by the generator.
#[derive(Debug)]
pub struct MethodInfo {
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
    /// The resource name form of path parameters that have one: `(parameter, form)`,
    /// e.g. `("parent", "spaces/{space}")`. Values are checked against it before sending.
    pub name_forms: &'static [(&'static str, &'static str)],
}

/// Media upload endpoints of a method.
#[derive(Debug)]
pub struct UploadInfo {
    /// Absolute path template of the simple/multipart endpoint, e.g.
    /// `/upload/v1/{+parent}/attachments:upload`.
    pub simple_path: Option<&'static str>,
    /// Absolute path template of the resumable endpoint the document lists
    /// (`/resumable/upload/...`). Its presence says the method takes resumable uploads;
    /// sessions start at `simple_path` with `uploadType=resumable`, as Google's clients
    /// do, and at this path only when there is no simple path.
    pub resumable_path: Option<&'static str>,
    /// Largest accepted upload, in bytes.
    pub max_size: Option<u64>,
    /// Accepted MIME ranges.
    pub accept: &'static [&'static str],
}

/// The values of one call: path parameters, query parameters and body.
#[derive(Debug)]
pub struct ApiRequest {
    pub(crate) method: &'static MethodInfo,
    pub(crate) path_params: Vec<(&'static str, String)>,
    pub(crate) query: Vec<(&'static str, String)>,
    /// The JSON body, serialized when the builder is sent.
    pub(crate) body: Option<Result<Vec<u8>, serde_json::Error>>,
    /// Per-call timeout and retry policy.
    pub(crate) options: RequestOptions,
}

impl ApiRequest {
    /// Starts a call of `method`.
    pub fn new(method: &'static MethodInfo) -> Self {
        Self {
            method,
            path_params: Vec::new(),
            query: Vec::new(),
            body: None,
            options: RequestOptions::default(),
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

    /// Adds the standard parameters that are set, and takes the per-call options the
    /// builder keeps beside them ([`StandardParams::options`]).
    pub fn standard(&mut self, params: &StandardParams) {
        self.query.extend(params.query_pairs());
        self.options = params.options.clone();
    }

    /// Takes per-call options kept apart from the standard parameters (for builders
    /// that hold a [`RequestOptions`] of their own; replaces those `standard` took).
    pub fn request_options(&mut self, options: &RequestOptions) {
        self.options = options.clone();
    }

    /// Serializes `body` as the JSON request body; `None` fields are omitted by the models.
    pub fn json_body(&mut self, body: &impl serde::Serialize) {
        self.body = Some(serde_json::to_vec(body));
    }
}

/// How a value is written in a query string.
pub trait QueryValue {
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

/// Everything but RFC 3986 unreserved characters: what `{name}` and query values encode.
const UNRESERVED_ONLY: &AsciiSet = &NON_ALPHANUMERIC
    .remove(b'-')
    .remove(b'.')
    .remove(b'_')
    .remove(b'~');

/// What `{+name}` encodes: unreserved and reserved characters (RFC 6570 reserved
/// expansion) stay as they are, so `spaces/AAA/messages/BBB` keeps its slashes. `?` and
/// `#` are encoded even so: in a resource name they can only be a mistake, and kept they
/// would end the path and smuggle in a query or fragment.
///
/// `%` is always encoded (`%25`), unlike RFC 6570, which keeps a `%XX` triplet: a value
/// is the literal resource name, never text encoded in advance. So `spaces/A%2fB` goes
/// out as `spaces/A%252fB` (a server that decodes once sees the segment `A%2fB`, never
/// `spaces/A/B`), `%zz` is no malformed escape, and a literal `%` can be expressed. The
/// only `/` a server sees in a value is one the value spells as `/`.
const RESERVED_KEPT: &AsciiSet = &UNRESERVED_ONLY
    .remove(b':')
    .remove(b'/')
    .remove(b'[')
    .remove(b']')
    .remove(b'@')
    .remove(b'!')
    .remove(b'$')
    .remove(b'&')
    .remove(b'\'')
    .remove(b'(')
    .remove(b')')
    .remove(b'*')
    .remove(b'+')
    .remove(b',')
    .remove(b';')
    .remove(b'=');

/// Expands a Discovery path template of `info`'s method with the call's path parameters.
///
/// `{+name}` keeps reserved characters (including `/`) but encodes `%`, `?` and `#`;
/// `{name}` percent-encodes everything but unreserved characters. Either way a value is
/// literal text: whatever it holds, it names only itself. A missing or empty parameter, a value not of
/// the parameter's resource name form, and a value with empty or `.`/`..` segments are
/// errors naming the method and the parameter, so a call never silently goes to another
/// path.
pub(crate) fn expand_path(
    info: &MethodInfo,
    template: &str,
    params: &[(&'static str, String)],
) -> Result<String> {
    let method = info.id;
    let mut out = String::with_capacity(template.len() + 32);
    let mut rest = template;
    while let Some(open) = rest.find('{') {
        out.push_str(&rest[..open]);
        let after = &rest[open + 1..];
        let close = after.find('}').ok_or_else(|| {
            Error::invalid(
                method,
                format!("unterminated `{{` in path template `{template}`"),
            )
        })?;
        let var = &after[..close];
        let (reserved, name) = match var.strip_prefix('+') {
            Some(name) => (true, name),
            None => (false, var),
        };
        let value = params
            .iter()
            .find(|(n, _)| *n == name)
            .map(|(_, v)| v.as_str())
            .ok_or_else(|| Error::invalid(method, format!("missing path parameter `{name}`")))?;
        if value.is_empty() {
            return Err(Error::invalid(
                method,
                format!("path parameter `{name}` is empty"),
            ));
        }
        check_path_value(info, name, reserved, value)?;
        let set = if reserved {
            RESERVED_KEPT
        } else {
            UNRESERVED_ONLY
        };
        out.extend(utf8_percent_encode(value, set));
        rest = &after[close + 1..];
    }
    out.push_str(rest);
    Ok(out)
}

/// Checks one path parameter value against its resource name form, or at least for
/// segments a URL parser would resolve (`.`, `..`) or that name nothing (empty).
fn check_path_value(info: &MethodInfo, name: &str, reserved: bool, value: &str) -> Result<()> {
    let form = info
        .name_forms
        .iter()
        .find(|(param, _)| *param == name)
        .map(|(_, form)| *form);
    let problem = match form {
        Some(form) => crate::resource_name::check(form, value)
            .err()
            .map(|e| e.to_string()),
        None if reserved => crate::resource_name::check_segments(value)
            .err()
            .map(|reason| format!("`{value}`: {reason}")),
        // `{name}` encodes `/`, so only a whole `.`/`..` value is a dot segment.
        None => crate::resource_name::check_segments(value)
            .err()
            .filter(|_| !value.contains('/'))
            .map(|reason| format!("`{value}`: {reason}")),
    };
    match problem {
        Some(problem) => Err(Error::invalid(
            info.id,
            format!("path parameter `{name}`: {problem}"),
        )),
        None => Ok(()),
    }
}

/// Appends `pairs` to `url` as a query string (values percent-encoded, names as is).
pub(crate) fn append_query<'a>(
    url: &mut String,
    pairs: impl IntoIterator<Item = (&'a str, &'a str)>,
) {
    let mut sep = if url.contains('?') { '&' } else { '?' };
    for (name, value) in pairs {
        url.push(sep);
        url.extend(utf8_percent_encode(name, UNRESERVED_ONLY));
        url.push('=');
        url.extend(utf8_percent_encode(value, UNRESERVED_ONLY));
        sep = '&';
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn p(pairs: &[(&'static str, &str)]) -> Vec<(&'static str, String)> {
        pairs.iter().map(|(k, v)| (*k, v.to_string())).collect()
    }

    fn info(id: &'static str, name_forms: &'static [(&'static str, &'static str)]) -> MethodInfo {
        MethodInfo {
            id,
            http_method: reqwest::Method::GET,
            path: "",
            scopes: &[],
            upload: None,
            supports_download: false,
            use_download_service: false,
            name_forms,
        }
    }

    #[test]
    fn reserved_expansion_keeps_slashes() {
        let got = expand_path(
            &info("m", &[]),
            "v1/{+parent}/messages",
            &p(&[("parent", "spaces/AAA b/x:y?q#f")]),
        )
        .unwrap();
        assert_eq!(got, "v1/spaces/AAA%20b/x:y%3Fq%23f/messages");
    }

    #[test]
    fn simple_expansion_encodes_everything_reserved() {
        let got = expand_path(&info("m", &[]), "v1/{id}:get", &p(&[("id", "a/b c?é")])).unwrap();
        assert_eq!(got, "v1/a%2Fb%20c%3F%C3%A9:get");
    }

    #[test]
    fn missing_or_empty_parameter_is_an_error_naming_it() {
        let e = expand_path(&info("chat.spaces.get", &[]), "v1/{+name}", &[]).unwrap_err();
        assert_eq!(
            e.to_string(),
            "chat.spaces.get: invalid argument: missing path parameter `name`"
        );
        let e = expand_path(
            &info("chat.spaces.get", &[]),
            "v1/{+name}",
            &p(&[("name", "")]),
        )
        .unwrap_err();
        assert!(e.to_string().contains("path parameter `name` is empty"));
        let e = expand_path(&info("m", &[]), "v1/{+name", &p(&[("name", "x")])).unwrap_err();
        assert!(e.to_string().contains("unterminated"));
    }

    #[test]
    fn values_not_of_the_form_or_with_dot_segments_are_refused() {
        let create = info(
            "chat.spaces.messages.create",
            &[("parent", "spaces/{space}")],
        );
        let template = "v1/{+parent}/messages";
        let ok = expand_path(&create, template, &p(&[("parent", "spaces/AAAA")])).unwrap();
        assert_eq!(ok, "v1/spaces/AAAA/messages");
        let e = expand_path(&create, template, &p(&[("parent", "AAAA")])).unwrap_err();
        assert_eq!(
            e.to_string(),
            "chat.spaces.messages.create: invalid argument: path parameter `parent`: `AAAA` is \
             not a resource name of the form `spaces/{space}`: it has 1 segment, the form has 2"
        );
        let e = expand_path(
            &create,
            template,
            &p(&[("parent", "spaces/AAAA/../NOTMEMBER")]),
        )
        .unwrap_err();
        assert!(e.to_string().contains("`spaces/{space}`"), "{e}");
        // Without a form: dot and empty segments are still refused.
        let any = info("chat.media.download", &[]);
        for bad in ["a/../b", "a/%2e%2E/b", "a//b", "./a"] {
            let e = expand_path(
                &any,
                "v1/media/{+resourceName}",
                &p(&[("resourceName", bad)]),
            )
            .unwrap_err();
            assert!(
                e.to_string().contains("path parameter `resourceName`"),
                "{e}"
            );
        }
        let e = expand_path(&any, "v1/files/{fileId}", &p(&[("fileId", "..")])).unwrap_err();
        assert!(e.to_string().contains("`..`"), "{e}");
        // `{name}` encodes slashes, so `a/..` is one opaque segment.
        let ok = expand_path(&any, "v1/files/{fileId}", &p(&[("fileId", "a/..")])).unwrap();
        assert_eq!(ok, "v1/files/a%2F..");
    }

    #[test]
    fn a_percent_in_a_value_is_literal_text() {
        let get = info("chat.spaces.get", &[("name", "spaces/{space}")]);
        let expand = |value: &str| expand_path(&get, "v1/{+name}", &p(&[("name", value)]));
        // An encoded `/` never reaches the server as a separator.
        assert_eq!(expand("spaces/A%2fB").unwrap(), "v1/spaces/A%252fB");
        assert_eq!(
            expand("spaces/A%2F..%2F..%2FC").unwrap(),
            "v1/spaces/A%252F..%252F..%252FC"
        );
        // A malformed escape and a literal `%` are encoded, not sent as they are.
        assert_eq!(expand("spaces/A%zz").unwrap(), "v1/spaces/A%25zz");
        assert_eq!(expand("spaces/100%").unwrap(), "v1/spaces/100%25");
        // `{name}` encodes `%` too.
        let any = info("x.files.get", &[]);
        let ok = expand_path(&any, "v1/files/{fileId}", &p(&[("fileId", "a%2fb")])).unwrap();
        assert_eq!(ok, "v1/files/a%252fb");
    }

    #[test]
    fn query_values_are_encoded_and_repeat() {
        let mut url = String::from("http://h/v1/x");
        append_query(
            &mut url,
            [("a", "1 2&3"), ("a", "é"), ("updateMask", "text,cardsV2")],
        );
        assert_eq!(
            url,
            "http://h/v1/x?a=1%202%263&a=%C3%A9&updateMask=text%2CcardsV2"
        );
    }
}
