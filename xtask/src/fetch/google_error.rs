//! Turning a non-2xx response into a sentence that says what to do.
//!
//! Google APIs answer errors with `{"error": {"code", "message", "status", "details":
//! [{"@type": ".../google.rpc.ErrorInfo", "reason": "API_KEY_INVALID", ...}]}}` (older
//! front ends use `errors: [{"reason": "keyInvalid"}]`). The reason tells an invalid key
//! from a restricted one, or from an API not enabled for the key's project.

use reqwest::StatusCode;
use serde::Deserialize;

/// The top level of Google's error body.
#[derive(Debug, Deserialize)]
struct Body {
    error: GoogleError,
}

/// `error` in Google's error body.
#[derive(Debug, Default, Deserialize)]
struct GoogleError {
    #[serde(default)]
    message: Option<String>,
    #[serde(default)]
    status: Option<String>,
    #[serde(default)]
    details: Vec<Reason>,
    #[serde(default)]
    errors: Vec<Reason>,
}

/// An entry of `details` or the legacy `errors`; only the reason matters here.
#[derive(Debug, Default, Deserialize)]
struct Reason {
    #[serde(default)]
    reason: Option<String>,
}

/// What the explanation says of the request an error answered.
#[derive(Debug, Clone, Copy)]
pub struct Asked<'a> {
    /// The URL as shown to people (no key).
    pub shown_url: &'a str,
    /// Whether it was the DEVELOPER_PREVIEW request (for the 403 explanation).
    pub preview: bool,
}

/// One line explaining an error response to `request`.
pub fn explain(status: StatusCode, body: &[u8], request: Asked<'_>) -> String {
    let parsed = serde_json::from_slice::<Body>(body).ok().map(|b| b.error);
    let reasons: Vec<&str> = parsed
        .iter()
        .flat_map(|e| e.details.iter().chain(&e.errors))
        .filter_map(|r| r.reason.as_deref())
        .filter(|r| !r.is_empty())
        .collect();
    let has = |wanted: &[&str]| reasons.iter().any(|r| wanted.contains(r));
    let server_said = match &parsed {
        Some(error) => {
            let mut parts = Vec::new();
            if let Some(status) = &error.status {
                parts.push(status.clone());
            }
            if !reasons.is_empty() {
                parts.push(reasons.join(", "));
            }
            if let Some(message) = &error.message {
                parts.push(format!("\"{}\"", one_line(message, 300)));
            }
            parts.join(": ")
        }
        None if body.is_empty() => "empty body".to_owned(),
        None => format!(
            "body is not a Google JSON error: {}",
            one_line(&String::from_utf8_lossy(body), 120)
        ),
    };
    let message_mentions = |needle: &str| {
        parsed
            .as_ref()
            .and_then(|e| e.message.as_deref())
            .is_some_and(|m| m.contains(needle))
    };

    let hint = if has(&["API_KEY_INVALID", "keyInvalid"]) || message_mentions("API key not valid") {
        "the API key is not valid: check GOOGLE_API_KEY or --api-key-file".to_owned()
    } else if has(&[
        "API_KEY_SERVICE_BLOCKED",
        "API_KEY_HTTP_REFERRER_BLOCKED",
        "API_KEY_IP_ADDRESS_BLOCKED",
        "API_KEY_ANDROID_APP_BLOCKED",
        "API_KEY_IOS_APP_BLOCKED",
    ]) {
        "the API key is not allowed to make this request: check its API and application \
         restrictions in the Google Cloud console"
            .to_owned()
    } else if has(&["SERVICE_DISABLED", "accessNotConfigured"]) {
        "the API is not enabled for the API key's project: enable the Google Chat API in \
         that project"
            .to_owned()
    } else {
        match status {
            StatusCode::NOT_FOUND => {
                "no Discovery document here: check --root-url and --api-version".to_owned()
            }
            StatusCode::FORBIDDEN if request.preview => {
                "the DEVELOPER_PREVIEW document was refused: the API key's project is probably \
                 not enrolled in the Google Workspace Developer Preview Program"
                    .to_owned()
            }
            StatusCode::FORBIDDEN => "access denied".to_owned(),
            StatusCode::UNAUTHORIZED => "not authorized".to_owned(),
            StatusCode::BAD_REQUEST => "the server rejected the request".to_owned(),
            StatusCode::TOO_MANY_REQUESTS => "rate limited".to_owned(),
            s if s.is_server_error() => "server error".to_owned(),
            _ => "unexpected response".to_owned(),
        }
    };
    format!(
        "GET {}: HTTP {}: {hint} ({server_said})",
        request.shown_url,
        status.as_u16()
    )
}

/// `text` on one line, at most `max` characters.
fn one_line(text: &str, max: usize) -> String {
    let flat: String = text.split_whitespace().collect::<Vec<_>>().join(" ");
    if flat.chars().count() <= max {
        flat
    } else {
        let cut: String = flat.chars().take(max).collect();
        format!("{cut}...")
    }
}
