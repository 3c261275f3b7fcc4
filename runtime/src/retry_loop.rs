//! The one send-and-retry loop of the crate: API calls (`transport.rs`), token
//! requests (`auth/http.rs`) and resumable upload chunks (`upload.rs`) all repeat their
//! attempts through [`retry_loop`].
//!
//! A caller says what one attempt is and whether its failure is worth another attempt
//! ([`Attempt`]); the loop counts the attempts, reads the server's `Retry-After`, asks
//! the [`RetryPolicy`] for the wait (backoff, attempt limit, time limit), logs, and
//! sleeps. So the callers hold no counter, clock or sleep of their own. (The same split
//! as gax's `retry_loop_internal.rs` in google-cloud-rust.)

use std::fmt;
use std::future::Future;
use std::time::Duration;

use reqwest::header::{HeaderMap, RETRY_AFTER};

use crate::retry::RetryPolicy;

/// What one attempt came to.
pub(crate) enum Attempt<T, E> {
    /// The call is over: a success, or a failure another attempt would not cure.
    Done(Result<T, E>),
    /// A failure another attempt may cure.
    Failed {
        /// Returned if no attempt follows.
        error: E,
        /// Why, for the log (never holds a secret).
        cause: Cause,
        /// The server's `Retry-After`, when it sent one (see [`retry_after`]).
        retry_after: Option<Duration>,
    },
}

impl<T, E> Attempt<T, E> {
    /// A retryable HTTP status; `headers` may carry `Retry-After`.
    pub(crate) fn status(error: E, status: u16, headers: &HeaderMap) -> Self {
        Attempt::Failed {
            error,
            cause: Cause::Status(status),
            retry_after: retry_after(headers),
        }
    }

    /// A connection failure, a timeout, or an interrupted answer.
    pub(crate) fn transport(error: E) -> Self {
        Attempt::Failed {
            error,
            cause: Cause::Transport,
            retry_after: None,
        }
    }
}

/// Why an attempt failed, as the log says it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Cause {
    /// The server answered this status.
    Status(u16),
    /// No (complete) answer.
    Transport,
}

impl fmt::Display for Cause {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Cause::Status(status) => write!(f, "HTTP {status}"),
            Cause::Transport => f.write_str("transport error"),
        }
    }
}

/// Runs `attempt` (given the attempt number, from 1) until it is [`Attempt::Done`] or
/// `policy` allows no further attempt; then returns the last error.
///
/// Between attempts it waits what the policy says: the server's `Retry-After` (capped
/// at the policy's largest backoff) or a jittered exponential backoff, and never past
/// the policy's time limit counted from the first attempt. Each wait is logged at
/// `debug` with `what` (a method id or the credentials' name), the attempt, the cause
/// and the delay.
pub(crate) async fn retry_loop<T, E, F, Fut>(
    policy: &RetryPolicy,
    what: &str,
    mut attempt: F,
) -> Result<T, E>
where
    F: FnMut(u32) -> Fut,
    Fut: Future<Output = Attempt<T, E>>,
{
    // tokio's clock, so that tests with a paused clock see the waits they cause.
    let started = tokio::time::Instant::now();
    let mut number = 0u32;
    loop {
        number += 1;
        let (error, cause, retry_after) = match attempt(number).await {
            Attempt::Done(result) => return result,
            Attempt::Failed {
                error,
                cause,
                retry_after,
            } => (error, cause, retry_after),
        };
        let Some(delay) = policy.next_delay(number, started.elapsed(), retry_after) else {
            tracing::debug!(what, attempt = number, %cause, "giving up");
            return Err(error);
        };
        // Let go of the failed answer (and its connection) before waiting.
        drop(error);
        tracing::debug!(what, attempt = number, %cause, ?retry_after, ?delay, "waiting to retry");
        tokio::time::sleep(delay).await;
    }
}

/// The wait a `Retry-After` header asks for, in seconds (the form Google sends; an
/// HTTP date is ignored, and the policy's backoff applies instead).
pub(crate) fn retry_after(headers: &HeaderMap) -> Option<Duration> {
    let value = headers.get(RETRY_AFTER)?.to_str().ok()?;
    value.trim().parse::<u64>().ok().map(Duration::from_secs)
}

#[cfg(test)]
mod tests {
    use std::sync::Mutex;

    use reqwest::header::HeaderValue;
    use tokio::time::Instant;

    use super::*;

    /// Runs the loop over scripted attempts and returns its result and, per attempt,
    /// the time since the first one.
    async fn run(
        policy: &RetryPolicy,
        script: impl Fn(u32) -> Attempt<&'static str, u32>,
    ) -> (Result<&'static str, u32>, Vec<Duration>) {
        let start = Instant::now();
        let times = Mutex::new(Vec::new());
        let result = retry_loop(policy, "test", |n| {
            times.lock().unwrap().push(start.elapsed());
            std::future::ready(script(n))
        })
        .await;
        (result, times.into_inner().unwrap())
    }

    fn headers(retry_after: &str) -> HeaderMap {
        let mut h = HeaderMap::new();
        h.insert(RETRY_AFTER, HeaderValue::from_str(retry_after).unwrap());
        h
    }

    fn secs(s: f64) -> Duration {
        Duration::from_secs_f64(s)
    }

    #[tokio::test(start_paused = true)]
    async fn backoff_grows_within_bounds_until_the_attempt_limit() {
        let policy = RetryPolicy::default()
            .max_attempts(5)
            .initial_backoff(secs(1.0))
            .max_backoff(secs(3.0));
        let (result, times) = run(&policy, Attempt::transport).await;
        // Five attempts, then the last error.
        assert_eq!(result, Err(5));
        assert_eq!(times.len(), 5);
        // Waits are jittered below 1 s, 2 s, then 3 s (the cap) twice.
        let bounds = [1.0, 2.0, 3.0, 3.0];
        for (gap, bound) in times.windows(2).map(|w| w[1] - w[0]).zip(bounds) {
            assert!(gap <= secs(bound), "{gap:?} > {bound} s in {times:?}");
        }
    }

    #[tokio::test(start_paused = true)]
    async fn backoff_is_random() {
        let policy = RetryPolicy::default().max_attempts(12);
        let (_, times) = run(&policy, Attempt::transport).await;
        let gaps: Vec<Duration> = times.windows(2).map(|w| w[1] - w[0]).collect();
        assert!(gaps.windows(2).any(|w| w[0] != w[1]), "{gaps:?}");
    }

    #[tokio::test(start_paused = true)]
    async fn retry_after_in_seconds_is_waited_for_and_capped() {
        let policy = RetryPolicy::default().max_backoff(secs(5.0));
        let (result, times) = run(&policy, |n| match n {
            1 => Attempt::status(n, 503, &headers("2")),
            2 => Attempt::status(n, 429, &headers(" 60 ")),
            _ => Attempt::Done(Ok("ok")),
        })
        .await;
        assert_eq!(result, Ok("ok"));
        // 2 s as asked, then 60 s capped at the 5 s largest backoff.
        assert_eq!(times, [secs(0.0), secs(2.0), secs(7.0)]);
    }

    #[tokio::test(start_paused = true)]
    async fn an_http_date_or_garbage_retry_after_falls_back_to_backoff() {
        let policy = RetryPolicy::default()
            .initial_backoff(secs(1.0))
            .max_attempts(3);
        let (_, times) = run(&policy, |n| match n {
            1 => Attempt::status(n, 503, &headers("Wed, 21 Oct 2015 07:28:00 GMT")),
            _ => Attempt::status(n, 503, &headers("-3")),
        })
        .await;
        assert!(times[1] <= secs(1.0), "{times:?}");
        assert!(times[2] - times[1] <= secs(2.0), "{times:?}");
        assert_eq!(retry_after(&headers("7")), Some(secs(7.0)));
        assert_eq!(retry_after(&HeaderMap::new()), None);
    }

    #[tokio::test(start_paused = true)]
    async fn no_attempt_starts_past_the_time_limit() {
        let policy = RetryPolicy::default()
            .max_attempts(100)
            .max_elapsed(secs(10.0));
        let (result, times) = run(&policy, |n| Attempt::status(n, 503, &headers("4"))).await;
        // 0, 4, 8; a fourth at 12 s would be past 10 s: the third error is returned
        // at once, without waiting.
        assert_eq!(result, Err(3));
        assert_eq!(times, [secs(0.0), secs(4.0), secs(8.0)]);
        // A wait the server asks for that alone exceeds the limit ends the call too.
        let (result, times) = run(&policy, |n| Attempt::status(n, 503, &headers("3600"))).await;
        assert_eq!((result, times.len()), (Err(1), 1));
    }

    #[tokio::test(start_paused = true)]
    async fn done_ends_the_loop_whatever_the_result() {
        let policy = RetryPolicy::default();
        let (result, times) = run(&policy, |n| Attempt::Done(Err(n))).await;
        assert_eq!((result, times.len()), (Err(1), 1));
        let (result, times) = run(&policy, |n| match n {
            1 => Attempt::transport(n),
            _ => Attempt::Done(Ok("second")),
        })
        .await;
        assert_eq!((result, times.len()), (Ok("second"), 2));
        let (result, times) = run(&RetryPolicy::none(), Attempt::transport).await;
        assert_eq!((result, times.len()), (Err(1), 1));
    }
}
