//! One GET with timeouts, bounded retries and errors that say what went wrong.
//!
//! Retries are a small loop rather than the `backon` crate: the decision to retry
//! depends on the response (429/5xx), the wait can come from the server (`Retry-After`),
//! and connection failures get fewer attempts than server hiccups. Expressing that in
//! `backon` needs its `adjust`/`when` hooks plus our own classification anyway, so the
//! loop is shorter and adds no dependency. Jitter comes from std's randomly keyed hasher.

use std::hash::{BuildHasher as _, RandomState};
use std::io::Read as _;
use std::time::Duration;

use reqwest::StatusCode;
use reqwest::blocking::{Client, Response};
use reqwest::header::RETRY_AFTER;

use super::google_error;
use super::secret::Redactor;

/// Discovery documents are a few hundred KB; anything far larger is not one.
const MAX_BODY: u64 = 64 << 20;

/// Connection failures (DNS, refused) rarely heal in seconds: retry at most this often.
const MAX_CONNECT_RETRIES: u32 = 1;

/// How hard to try.
#[derive(Debug, Clone)]
pub struct RetryPolicy {
    /// Retries after the first attempt, for 429, 5xx, timeouts and dropped connections.
    pub retries: u32,
    /// The first backoff; it doubles each retry.
    pub initial_backoff: Duration,
    /// The longest backoff, and the longest `Retry-After` we agree to wait.
    pub max_backoff: Duration,
}

impl RetryPolicy {
    /// The wait before retry number `retry` (0-based): exponential, capped, with the
    /// upper half jittered so that parallel clients spread out.
    fn backoff(&self, retry: u32) -> Duration {
        let exp = self
            .initial_backoff
            .saturating_mul(2u32.saturating_pow(retry.min(16)));
        let capped = exp.min(self.max_backoff);
        let random = RandomState::new().hash_one(retry);
        let fraction = (random % 1000) as u32;
        capped / 2 + (capped / 2) * fraction / 1000
    }
}

/// What a request needs besides the retry policy. `Debug` shows only `shown_url`: `url`
/// may hold the API key.
pub struct Request<'a> {
    /// The client (timeouts configured).
    pub client: &'a Client,
    /// The URL with the key, if any.
    pub url: reqwest::Url,
    /// The URL to show people: no key.
    pub shown_url: String,
    /// Whether this is the DEVELOPER_PREVIEW request (for the 403 explanation).
    pub preview: bool,
    /// The timeout, for messages.
    pub timeout: Duration,
    /// Scrubs the key from retry notices (a server may echo it back).
    pub redactor: &'a Redactor,
}

impl std::fmt::Debug for Request<'_> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Request")
            .field("url", &self.shown_url)
            .field("preview", &self.preview)
            .field("timeout", &self.timeout)
            .finish_non_exhaustive()
    }
}

/// GETs `request.url` with retries; returns the body of a 2xx response.
pub fn get(request: &Request<'_>, policy: &RetryPolicy) -> anyhow::Result<Vec<u8>> {
    let mut retry = 0;
    let mut connect_retries = 0;
    loop {
        let failure = match attempt(request) {
            Ok(body) => return Ok(body),
            Err(failure) => failure,
        };
        let allowed = match &failure {
            Failure::Fatal(_) => false,
            Failure::Connect(_) => connect_retries < MAX_CONNECT_RETRIES,
            Failure::Transient { .. } => true,
        } && retry < policy.retries;
        if !allowed {
            return Err(failure.into_error(request, retry + 1));
        }
        let mut wait = policy.backoff(retry);
        if let Failure::Transient {
            retry_after: Some(after),
            ..
        } = &failure
        {
            if *after > policy.max_backoff {
                let message = failure.message(request);
                anyhow::bail!(
                    "{message}; the server asked to retry after {} s, longer than \
                     --max-backoff {} s: try again later",
                    after.as_secs(),
                    policy.max_backoff.as_secs_f64()
                );
            }
            wait = *after;
        }
        if matches!(failure, Failure::Connect(_)) {
            connect_retries += 1;
        }
        let notice = format!(
            "{}; retrying in {} ms",
            failure.message(request),
            wait.as_millis()
        );
        eprintln!("{}", request.redactor.scrub(&notice));
        std::thread::sleep(wait);
        retry += 1;
    }
}

/// Why one attempt failed.
#[derive(Debug)]
enum Failure {
    /// Could not connect at all (DNS, refused, unreachable).
    Connect(String),
    /// Worth retrying: 429, 5xx, a timeout or a connection dropped mid-way.
    Transient {
        /// What happened.
        message: String,
        /// The server's `Retry-After`, in seconds.
        retry_after: Option<Duration>,
    },
    /// Retrying cannot help: 4xx, a redirect, a body too large.
    Fatal(String),
}

impl Failure {
    /// What happened, for a retry notice.
    fn message(&self, request: &Request<'_>) -> String {
        match self {
            Failure::Connect(cause) => {
                format!("GET {}: cannot connect: {cause}", request.shown_url)
            }
            Failure::Transient { message, .. } | Failure::Fatal(message) => message.clone(),
        }
    }

    /// The final error after `attempts` attempts.
    fn into_error(self, request: &Request<'_>, attempts: u32) -> anyhow::Error {
        let tries = if attempts > 1 {
            format!(" (after {attempts} attempts)")
        } else {
            String::new()
        };
        match self {
            Failure::Connect(cause) => {
                let host = request
                    .url
                    .host_str()
                    .map(|host| match request.url.port() {
                        Some(port) => format!("{host}:{port}"),
                        None => host.to_owned(),
                    })
                    .unwrap_or_default();
                anyhow::anyhow!(
                    "cannot reach {host}{tries}: {cause}\n\
                     No network? Work from local files instead: \
                     cargo xtask regen --stable FILE --preview FILE (or --no-preview)"
                )
            }
            Failure::Transient { message, .. } => anyhow::anyhow!("{message}{tries}"),
            Failure::Fatal(message) => anyhow::anyhow!("{message}"),
        }
    }
}

/// One GET.
fn attempt(request: &Request<'_>) -> Result<Vec<u8>, Failure> {
    let response = request
        .client
        .get(request.url.clone())
        .send()
        .map_err(|err| classify_send_error(err, request))?;
    let status = response.status();
    if status.is_success() {
        return read_body(response, request).map_err(|message| Failure::Transient {
            message,
            retry_after: None,
        });
    }
    let retry_after = retry_after(&response);
    let location = response
        .headers()
        .get(reqwest::header::LOCATION)
        .and_then(|value| value.to_str().ok())
        .map(str::to_owned);
    // An error body is small; a failure to read it only loses detail.
    let body = read_body(response, request).unwrap_or_default();
    let asked = google_error::Asked {
        shown_url: &request.shown_url,
        preview: request.preview,
    };
    let explained = google_error::explain(status, &body, asked);
    if status == StatusCode::TOO_MANY_REQUESTS || status.is_server_error() {
        return Err(Failure::Transient {
            message: explained,
            retry_after,
        });
    }
    if status.is_redirection() {
        // Redirects are not followed: the key must not travel to another URL.
        let to = location.unwrap_or_else(|| "nowhere".to_owned());
        return Err(Failure::Fatal(format!(
            "{explained}: unexpected redirect to {to}; check --root-url"
        )));
    }
    Err(Failure::Fatal(explained))
}

/// Sorts a transport error into connect / timeout / other, without its URL (which holds
/// the key).
fn classify_send_error(err: reqwest::Error, request: &Request<'_>) -> Failure {
    let is_connect = err.is_connect();
    let is_timeout = err.is_timeout();
    let cause = error_chain(&err.without_url());
    if is_timeout {
        Failure::Transient {
            message: format!(
                "GET {}: no response within --timeout {} s ({cause})",
                request.shown_url,
                request.timeout.as_secs_f64()
            ),
            retry_after: None,
        }
    } else if is_connect {
        Failure::Connect(cause)
    } else {
        Failure::Transient {
            message: format!("GET {}: {cause}", request.shown_url),
            retry_after: None,
        }
    }
}

/// Reads at most [`MAX_BODY`] bytes.
fn read_body(response: Response, request: &Request<'_>) -> Result<Vec<u8>, String> {
    let mut body = Vec::new();
    response
        .take(MAX_BODY + 1)
        .read_to_end(&mut body)
        .map_err(|err| {
            let cause = match err
                .into_inner()
                .map(|inner| inner.downcast::<reqwest::Error>())
            {
                Some(Ok(reqwest_err)) if reqwest_err.is_timeout() => format!(
                    "no complete response within --timeout {} s",
                    request.timeout.as_secs_f64()
                ),
                Some(Ok(reqwest_err)) => error_chain(&reqwest_err.without_url()),
                Some(Err(other)) => error_chain(other.as_ref()),
                None => "the connection failed".to_owned(),
            };
            format!("GET {}: reading the body: {cause}", request.shown_url)
        })?;
    if body.len() as u64 > MAX_BODY {
        return Err(format!(
            "GET {}: the body is larger than {} MiB: not a Discovery document",
            request.shown_url,
            MAX_BODY >> 20
        ));
    }
    Ok(body)
}

/// `Retry-After` in seconds (the HTTP-date form is rare for this API and ignored).
fn retry_after(response: &Response) -> Option<Duration> {
    let value = response.headers().get(RETRY_AFTER)?.to_str().ok()?;
    value.trim().parse::<u64>().ok().map(Duration::from_secs)
}

/// An error and its sources, joined by `: ` (URL-free: callers strip reqwest's first).
fn error_chain(err: &(dyn std::error::Error + 'static)) -> String {
    let mut out = err.to_string();
    let mut source = err.source();
    while let Some(cause) = source {
        let text = cause.to_string();
        if !out.contains(&text) {
            out.push_str(": ");
            out.push_str(&text);
        }
        source = cause.source();
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn debug_never_shows_the_url_with_the_key() {
        let client = Client::new();
        let redactor = Redactor::default();
        let request = Request {
            client: &client,
            url: reqwest::Url::parse("https://h/$discovery/rest?key=CANARY").unwrap(),
            shown_url: "https://h/$discovery/rest?key=***".to_owned(),
            preview: true,
            timeout: Duration::from_secs(1),
            redactor: &redactor,
        };
        let shown = format!("{request:?}");
        assert!(!shown.contains("CANARY"), "{shown}");
        assert!(shown.contains("key=***"), "{shown}");
    }

    #[test]
    fn backoff_grows_is_capped_and_jittered_within_bounds() {
        let policy = RetryPolicy {
            retries: 5,
            initial_backoff: Duration::from_millis(100),
            max_backoff: Duration::from_millis(350),
        };
        for _ in 0..50 {
            let first = policy.backoff(0);
            assert!(first >= Duration::from_millis(50) && first <= Duration::from_millis(100));
            let second = policy.backoff(1);
            assert!(second >= Duration::from_millis(100) && second <= Duration::from_millis(200));
            let late = policy.backoff(30);
            assert!(late >= Duration::from_millis(175) && late <= Duration::from_millis(350));
        }
    }
}
