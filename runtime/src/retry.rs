//! When and how long to wait before sending a request again: the [`RetryPolicy`] the
//! one retry loop (`retry_loop.rs`) asks.
//!
//! Exponential backoff with "full jitter" (a random wait between zero and the current
//! bound), honouring `Retry-After`. The randomness comes from std's randomly keyed
//! `RandomState`; the whole policy is a few lines, so no retry crate is pulled in (the
//! available ones would not know about `Retry-After`, the 401 refresh or resumable
//! uploads anyway).

use std::hash::{BuildHasher, Hasher, RandomState};
use std::time::Duration;

/// How the client retries failed requests.
///
/// Only idempotent requests are retried (GET, PUT, DELETE, HEAD, and POSTs that carry
/// a `requestId`, such as `messages.create` with a request id), on HTTP 429, 500, 502,
/// 503, 504 and on connection failures. On by default.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RetryPolicy {
    max_attempts: u32,
    initial_backoff: Duration,
    max_backoff: Duration,
    max_elapsed: Duration,
}

impl Default for RetryPolicy {
    /// Up to 5 attempts, backoff from 500 ms doubling up to 16 s, within 60 s in total.
    fn default() -> Self {
        Self {
            max_attempts: 5,
            initial_backoff: Duration::from_millis(500),
            max_backoff: Duration::from_secs(16),
            max_elapsed: Duration::from_secs(60),
        }
    }
}

impl RetryPolicy {
    /// Never retry.
    pub fn none() -> Self {
        Self {
            max_attempts: 1,
            ..Self::default()
        }
    }

    /// Total attempts, the first included (at least 1).
    pub fn max_attempts(mut self, attempts: u32) -> Self {
        self.max_attempts = attempts.max(1);
        self
    }

    /// Upper bound of the first wait; it doubles after each attempt.
    pub fn initial_backoff(mut self, backoff: Duration) -> Self {
        self.initial_backoff = backoff;
        self
    }

    /// Largest wait between two attempts (also caps `Retry-After`).
    pub fn max_backoff(mut self, backoff: Duration) -> Self {
        self.max_backoff = backoff;
        self
    }

    /// No new attempt starts after this much time since the first one.
    pub fn max_elapsed(mut self, elapsed: Duration) -> Self {
        self.max_elapsed = elapsed;
        self
    }

    /// The wait before attempt `attempt + 1` (attempts count from 1), or `None` when
    /// the budget of attempts or time is spent.
    pub(crate) fn next_delay(
        &self,
        attempt: u32,
        elapsed: Duration,
        retry_after: Option<Duration>,
    ) -> Option<Duration> {
        if attempt >= self.max_attempts {
            return None;
        }
        let delay = match retry_after {
            Some(wait) => wait.min(self.max_backoff),
            None => {
                let bound = self
                    .initial_backoff
                    .saturating_mul(1u32 << (attempt - 1).min(20))
                    .min(self.max_backoff);
                bound.mul_f64(random_unit())
            }
        };
        (elapsed + delay <= self.max_elapsed).then_some(delay)
    }
}

/// Whether an HTTP status is worth another attempt.
pub(crate) fn retryable_status(status: u16) -> bool {
    matches!(status, 429 | 500 | 502 | 503 | 504)
}

/// A random number in `[0, 1)`.
fn random_unit() -> f64 {
    let bits = RandomState::new().build_hasher().finish() >> 11;
    bits as f64 / (1u64 << 53) as f64
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn delays_grow_stay_bounded_and_stop() {
        let p = RetryPolicy::default()
            .max_attempts(4)
            .initial_backoff(Duration::from_millis(100))
            .max_backoff(Duration::from_millis(250));
        for _ in 0..50 {
            let d1 = p.next_delay(1, Duration::ZERO, None).unwrap();
            assert!(d1 <= Duration::from_millis(100));
            let d3 = p.next_delay(3, Duration::ZERO, None).unwrap();
            assert!(d3 <= Duration::from_millis(250));
        }
        assert_eq!(p.next_delay(4, Duration::ZERO, None), None);
        assert_eq!(
            RetryPolicy::none().next_delay(1, Duration::ZERO, None),
            None
        );
    }

    #[test]
    fn retry_after_is_honoured_within_limits() {
        let p = RetryPolicy::default().max_elapsed(Duration::from_secs(10));
        let two = Some(Duration::from_secs(2));
        assert_eq!(p.next_delay(1, Duration::ZERO, two), two);
        assert_eq!(p.next_delay(1, Duration::from_secs(9), two), None);
        let huge = Some(Duration::from_secs(3600));
        assert_eq!(p.next_delay(1, Duration::ZERO, huge), None);
    }

    #[test]
    fn jitter_varies() {
        let a: Vec<f64> = (0..20).map(|_| random_unit()).collect();
        assert!(a.iter().all(|x| (0.0..1.0).contains(x)));
        assert!(a.windows(2).any(|w| w[0] != w[1]));
    }
}
