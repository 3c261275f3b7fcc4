//! A request's query string (and form bodies, which share its encoding): typed reads of
//! its parameters, and the opaque page tokens that `pageToken` carries.

use base64::Engine as _;

use crate::error::{ApiError, ApiResult};

/// The query string's parameters.
#[derive(Debug, Default, Clone)]
pub(crate) struct Query(Vec<(String, String)>);

impl Query {
    /// Parses `a=1&b=2`.
    pub fn parse(query: &str) -> Self {
        Self(
            form_urlencoded::parse(query.as_bytes())
                .into_owned()
                .collect(),
        )
    }

    /// The first value of `name`.
    pub fn get(&self, name: &str) -> Option<&str> {
        self.0
            .iter()
            .find(|(k, _)| k == name)
            .map(|(_, v)| v.as_str())
    }

    /// A boolean parameter (absent is false).
    pub fn flag(&self, name: &str) -> ApiResult<bool> {
        match self.get(name) {
            None => Ok(false),
            Some("true") => Ok(true),
            Some("false") => Ok(false),
            Some(other) => Err(ApiError::invalid(format!(
                "Invalid value at '{name}' (TYPE_BOOL), \"{other}\""
            ))),
        }
    }

    /// `pageSize`: absent or 0 is `default`, above `max` is `max`, negative is 400.
    pub fn page_size(&self, default: usize, max: usize) -> ApiResult<usize> {
        let Some(text) = self.get("pageSize") else {
            return Ok(default);
        };
        let size: i64 = text.parse().map_err(|_| {
            ApiError::invalid(format!(
                "Invalid value at 'page_size' (TYPE_INT32), \"{text}\""
            ))
        })?;
        match size {
            s if s < 0 => Err(ApiError::invalid("page_size must not be negative")),
            0 => Ok(default),
            s => Ok(usize::try_from(s).map_or(max, |s| s.min(max))),
        }
    }

    /// The cursor inside `pageToken` (`kind` guards against a token of another list).
    pub fn page_cursor(&self, kind: &str) -> ApiResult<Option<String>> {
        match self.get("pageToken") {
            None | Some("") => Ok(None),
            Some(token) => decode_token(kind, token)
                .map(Some)
                .ok_or_else(|| ApiError::invalid("The page token is invalid.")),
        }
    }
}

/// An opaque page token around `cursor`.
pub(crate) fn page_token(kind: &str, cursor: &str) -> String {
    base64::engine::general_purpose::URL_SAFE_NO_PAD.encode(format!("{kind}|{cursor}"))
}

fn decode_token(kind: &str, token: &str) -> Option<String> {
    let bytes = base64::engine::general_purpose::URL_SAFE_NO_PAD
        .decode(token)
        .ok()?;
    let text = String::from_utf8(bytes).ok()?;
    let (k, cursor) = text.split_once('|')?;
    (k == kind).then(|| cursor.to_owned())
}
