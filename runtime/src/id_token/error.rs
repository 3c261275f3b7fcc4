//! Why a token was refused: one variant per check, so that a server can log the reason
//! (and a test can assert it). No variant ever holds the token, its signature or a key;
//! values taken from the token (an issuer, an audience) are clipped to 100 characters.

use std::time::Duration;

/// A token that did not verify, or a key set that could not be had.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum IdTokenError {
    /// The token is not a well-formed compact JWS (three base64url parts, JSON header and
    /// payload).
    #[error("malformed token: {reason}")]
    Malformed {
        /// What is wrong with it.
        reason: &'static str,
    },
    /// The header's `alg` is not `RS256` (`none`, `HS256` and every other algorithm are
    /// refused).
    #[error("algorithm `{alg}` is not accepted (only RS256 is)")]
    Algorithm {
        /// The algorithm the token named.
        alg: String,
    },
    /// The header has no `kid`.
    #[error("the token names no signing key (`kid`)")]
    MissingKeyId,
    /// No key of the key set has the token's `kid`, even after fetching the set again.
    #[error("unknown signing key `{kid}`")]
    UnknownKeyId {
        /// The key id the token named.
        kid: String,
    },
    /// The RS256 signature does not verify with the named key.
    #[error("the signature does not verify")]
    BadSignature,
    /// A claim the checks need is absent or not of its type.
    #[error("claim `{claim}` is missing or not of its type")]
    MissingClaim {
        /// The claim's name.
        claim: &'static str,
    },
    /// `iss` is not one of the accepted issuers.
    #[error("wrong issuer `{got}`")]
    Issuer {
        /// The token's issuer.
        got: String,
    },
    /// `aud` does not contain the expected audience.
    #[error("wrong audience {got:?} (expected `{expected}`)")]
    Audience {
        /// The token's audiences.
        got: Vec<String>,
        /// The audience the verifier expects.
        expected: String,
    },
    /// `email` is not the expected account.
    #[error("wrong email {got:?}")]
    Email {
        /// The token's email, if it has one.
        got: Option<String>,
    },
    /// `email_verified` is not true.
    #[error("the email is not verified")]
    EmailNotVerified,
    /// `exp` is in the past (beyond the allowed clock skew).
    #[error("the token expired {ago:?} ago")]
    Expired {
        /// How long ago it expired (skew not counted).
        ago: Duration,
    },
    /// `iat` or `nbf` is in the future (beyond the allowed clock skew).
    #[error("the token is not valid for another {wait:?} (`{claim}` in the future)")]
    NotYetValid {
        /// `iat` or `nbf`.
        claim: &'static str,
        /// How far in the future.
        wait: Duration,
    },
    /// `exp - iat` is longer than the allowed lifetime (one day, as Google's libraries).
    #[error("the token's lifetime is longer than {max:?}")]
    LifetimeTooLong {
        /// The longest lifetime allowed.
        max: Duration,
    },
    /// The key set could not be fetched or read.
    #[error("signing keys at {url}: {message}")]
    Keys {
        /// Where the keys were fetched from.
        url: String,
        /// What went wrong.
        message: String,
    },
}

impl IdTokenError {
    /// A short, stable name of the failed check (`"signature"`, `"audience"`, ...), for
    /// logs and metrics.
    pub fn check(&self) -> &'static str {
        match self {
            Self::Malformed { .. } => "format",
            Self::Algorithm { .. } => "algorithm",
            Self::MissingKeyId | Self::UnknownKeyId { .. } => "key_id",
            Self::BadSignature => "signature",
            Self::MissingClaim { .. } => "claims",
            Self::Issuer { .. } => "issuer",
            Self::Audience { .. } => "audience",
            Self::Email { .. } => "email",
            Self::EmailNotVerified => "email_verified",
            Self::Expired { .. } => "expiry",
            Self::NotYetValid { .. } => "not_before",
            Self::LifetimeTooLong { .. } => "lifetime",
            Self::Keys { .. } => "keys",
        }
    }

    /// Whether the token itself is bad (a 401), rather than the keys unavailable (a
    /// server-side failure the caller may answer with 503).
    pub fn is_token_error(&self) -> bool {
        !matches!(self, Self::Keys { .. })
    }
}

/// At most 100 characters of a value taken from a token.
pub(crate) fn clip(value: &str) -> String {
    const MAX: usize = 100;
    if value.chars().count() <= MAX {
        value.to_owned()
    } else {
        let mut out: String = value.chars().take(MAX).collect();
        out.push('…');
        out
    }
}
