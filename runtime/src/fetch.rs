//! A plain GET of a public URL through a client's connection pool, timeouts and retry
//! policy, without its credentials: what the ID-token verifier fetches Google's signing
//! keys with. Crate-visible only.
//!
//! Why not `Transport::send`: that attaches the client's access token (and would run an
//! OAuth consent flow to get one), its API key and quota project; a key set is public and
//! must be fetched anonymously. The retry rules are the client's: 429 and 5xx, and
//! connection failures, with the policy's backoff and `Retry-After`.

use std::time::Duration;

use bytes::Bytes;

use crate::client::Client;
use crate::error::{Error, Result, api_error, transport_error};
use crate::retry::retryable_status;
use crate::retry_loop::{Attempt, retry_loop};
use crate::transport::read_body;

/// A fetched document: its body and the `Cache-Control: max-age` it came with.
#[derive(Debug)]
pub(crate) struct Fetched {
    pub body: Bytes,
    /// `max-age` of `Cache-Control`; `None` when absent (or `no-cache` / `no-store`,
    /// which are read as zero).
    pub max_age: Option<Duration>,
}

impl Client {
    /// GETs `url` without credentials, retrying through the crate's one retry loop as
    /// the client's policy says; a non-2xx final answer is an [`Error::Api`]. `id` names
    /// the operation in errors and spans.
    pub(crate) async fn get_public(&self, id: &'static str, url: &reqwest::Url) -> Result<Fetched> {
        let inner = self.transport.inner();
        retry_loop(&inner.retry, id, |attempt| async move {
            let mut request = inner.http.get(url.clone());
            if let Some(t) = inner.request_timeout {
                request = request.timeout(t);
            }
            let response = match request.send().await {
                Ok(response) => response,
                Err(e) if e.is_timeout() || e.is_connect() || e.is_request() => {
                    return Attempt::transport(transport_error(id, e));
                }
                Err(e) => return Attempt::Done(Err(transport_error(id, e))),
            };
            let status = response.status().as_u16();
            tracing::debug!(operation = id, attempt, status, "GET");
            if response.status().is_success() {
                let max_age = response
                    .headers()
                    .get(reqwest::header::CACHE_CONTROL)
                    .and_then(|v| v.to_str().ok())
                    .and_then(parse_max_age);
                return Attempt::Done(
                    read_body(id, response)
                        .await
                        .map(|body| Fetched { body, max_age }),
                );
            }
            let headers = response.headers().clone();
            let body = response.bytes().await.unwrap_or_default();
            let error = Error::Api(Box::new(api_error(None, id, &[], status, None, &body)));
            if retryable_status(status) {
                Attempt::status(error, status, &headers)
            } else {
                Attempt::Done(Err(error))
            }
        })
        .await
    }
}

/// The `max-age` of a `Cache-Control` value (`public, max-age=19845, must-revalidate,
/// no-transform` as Google serves its keys); `no-cache` and `no-store` mean zero.
pub(crate) fn parse_max_age(value: &str) -> Option<Duration> {
    let mut max_age = None;
    for directive in value.split(',') {
        let directive = directive.trim();
        let lower = directive.to_ascii_lowercase();
        if lower == "no-cache" || lower == "no-store" {
            return Some(Duration::ZERO);
        }
        if let Some(seconds) = lower.strip_prefix("max-age=") {
            max_age = seconds
                .trim_matches('"')
                .parse::<u64>()
                .ok()
                .map(Duration::from_secs);
        }
    }
    max_age
}

#[cfg(test)]
mod tests {
    use super::parse_max_age;
    use std::time::Duration;

    #[test]
    fn max_age_is_read_from_googles_header() {
        let google = "public, max-age=19845, must-revalidate, no-transform";
        assert_eq!(parse_max_age(google), Some(Duration::from_secs(19845)));
        assert_eq!(parse_max_age("Max-Age=\"5\""), Some(Duration::from_secs(5)));
        assert_eq!(parse_max_age("no-store, max-age=60"), Some(Duration::ZERO));
        assert_eq!(parse_max_age("public"), None);
        assert_eq!(parse_max_age("max-age=soon"), None);
    }
}
