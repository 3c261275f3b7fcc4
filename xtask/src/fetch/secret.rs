//! The API key for the DEVELOPER_PREVIEW document, and scrubbing it from text.
//!
//! The key is a secret: it goes into one query string and nowhere else. Its `Debug`
//! hides it, and every message `fetch` prints passes through [`Redactor`], which removes
//! the key itself (raw and percent-encoded) and any `key=` query value, so that neither a
//! URL in a library error nor a server echoing the key can leak it.

use std::path::{Path, PathBuf};

use anyhow::{Context as _, bail};

/// The environment variable holding the API key.
pub const API_KEY_VAR: &str = "GOOGLE_API_KEY";

/// What is shown in place of a secret.
const REDACTED: &str = "***";

/// A Google API key; `Debug` never shows it.
#[derive(Clone)]
pub struct ApiKey(String);

impl std::fmt::Debug for ApiKey {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("ApiKey(***)")
    }
}

impl ApiKey {
    /// The key itself, for the one query string that needs it.
    pub fn expose(&self) -> &str {
        &self.0
    }

    /// Checks a key read from `source` (which is shown in errors; the key never is).
    fn new(raw: &str, source: &str) -> anyhow::Result<Self> {
        let key = raw.trim();
        if key.is_empty() {
            bail!("{source} is empty: expected a Google API key");
        }
        if key.chars().any(|c| c.is_whitespace() || c.is_control()) {
            bail!("{source} holds more than one word: expected a single Google API key");
        }
        Ok(ApiKey(key.to_owned()))
    }
}

/// Where the key came from, for messages.
#[derive(Debug, Clone)]
pub enum KeySource {
    /// `--api-key-file PATH`.
    File(PathBuf),
    /// The `GOOGLE_API_KEY` variable.
    Env,
}

impl std::fmt::Display for KeySource {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            KeySource::File(path) => write!(f, "--api-key-file {}", path.display()),
            KeySource::Env => f.write_str(API_KEY_VAR),
        }
    }
}

/// Finds the key: `--api-key-file` first, then `GOOGLE_API_KEY`; `None` when neither is
/// given (an empty variable counts as not given).
pub fn load_key(file: Option<&Path>) -> anyhow::Result<Option<(ApiKey, KeySource)>> {
    if let Some(path) = file {
        let raw = std::fs::read_to_string(path)
            .with_context(|| format!("cannot read the API key file {}", path.display()))?;
        let source = KeySource::File(path.to_owned());
        return Ok(Some((ApiKey::new(&raw, &source.to_string())?, source)));
    }
    match std::env::var(API_KEY_VAR) {
        Ok(raw) if raw.trim().is_empty() => Ok(None),
        Ok(raw) => Ok(Some((ApiKey::new(&raw, API_KEY_VAR)?, KeySource::Env))),
        Err(std::env::VarError::NotPresent) => Ok(None),
        Err(std::env::VarError::NotUnicode(_)) => {
            bail!("{API_KEY_VAR} is not valid UTF-8: expected a Google API key")
        }
    }
}

/// Removes secrets from text meant for people.
#[derive(Debug, Clone, Default)]
pub struct Redactor {
    key: Option<ApiKey>,
}

impl Redactor {
    /// A redactor for `key` (which may be absent: `key=` values are still scrubbed).
    pub fn new(key: Option<&ApiKey>) -> Self {
        Redactor { key: key.cloned() }
    }

    /// `text` with the key and every `key=` query value replaced by `***`.
    pub fn scrub(&self, text: &str) -> String {
        let mut out = scrub_key_params(text);
        if let Some(key) = &self.key {
            let raw = key.expose();
            out = out.replace(raw, REDACTED);
            let encoded: String = reqwest::Url::parse_with_params("x:", [("k", raw)])
                .ok()
                .and_then(|url| url.query().map(|q| q.trim_start_matches("k=").to_owned()))
                .unwrap_or_default();
            if !encoded.is_empty() && encoded != raw {
                out = out.replace(&encoded, REDACTED);
            }
        }
        out
    }
}

/// Replaces the value of every `key=` query parameter (after `?` or `&`) by `***`.
fn scrub_key_params(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    let mut rest = text;
    while let Some(at) = find_key_param(rest) {
        let value_start = at + "key=".len();
        out.push_str(&rest[..value_start]);
        let value = &rest[value_start..];
        let end = value
            .find(|c: char| c == '&' || c == '#' || c.is_whitespace() || "\"'<>)]}".contains(c))
            .unwrap_or(value.len());
        if end > 0 {
            out.push_str(REDACTED);
        }
        rest = &value[end..];
    }
    out.push_str(rest);
    out
}

/// The position of the next `key=` that starts a query parameter.
fn find_key_param(text: &str) -> Option<usize> {
    text.match_indices("key=")
        .map(|(at, _)| at)
        .find(|&at| at > 0 && matches!(text.as_bytes()[at - 1], b'?' | b'&'))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn debug_hides_the_key() {
        let key = ApiKey::new("  AIzaCANARY123\n", "test").unwrap();
        assert_eq!(key.expose(), "AIzaCANARY123");
        assert_eq!(format!("{key:?}"), "ApiKey(***)");
    }

    #[test]
    fn bad_keys_are_rejected_without_showing_them() {
        let err = ApiKey::new(" \n", "GOOGLE_API_KEY")
            .unwrap_err()
            .to_string();
        assert!(err.contains("GOOGLE_API_KEY is empty"), "{err}");
        let err = ApiKey::new("abc def", "f").unwrap_err().to_string();
        assert!(!err.contains("abc"), "{err}");
    }

    #[test]
    fn scrubs_key_params_and_the_key_itself() {
        let key = ApiKey::new("s3cr+t/=", "t").unwrap();
        let redactor = Redactor::new(Some(&key));
        let text = "GET https://h/$discovery/rest?version=v1&key=anything&labels=X \
                    echo s3cr+t/= and s3cr%2Bt%2F%3D; monkey=ok ?key=z";
        let out = redactor.scrub(text);
        assert_eq!(
            out,
            "GET https://h/$discovery/rest?version=v1&key=***&labels=X \
             echo *** and ***; monkey=ok ?key=***"
        );
        assert_eq!(Redactor::default().scrub("a?key=b"), "a?key=***");
        assert_eq!(Redactor::default().scrub("key= ?key="), "key= ?key=");
    }
}
