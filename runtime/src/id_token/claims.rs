//! A verified token's claims, and the claim checks.

use std::time::{Duration, SystemTime, UNIX_EPOCH};

use super::error::{IdTokenError, clip};

/// The claims of a token that verified. The common ones have getters; [`get`](Self::get)
/// reads any other.
#[derive(Debug, Clone, PartialEq)]
pub struct Claims {
    map: serde_json::Map<String, serde_json::Value>,
}

impl Claims {
    pub(crate) fn new(map: serde_json::Map<String, serde_json::Value>) -> Self {
        Self { map }
    }

    /// Any claim.
    pub fn get(&self, name: &str) -> Option<&serde_json::Value> {
        self.map.get(name)
    }

    /// All claims.
    pub fn as_map(&self) -> &serde_json::Map<String, serde_json::Value> {
        &self.map
    }

    fn str(&self, name: &str) -> Option<&str> {
        self.map.get(name).and_then(serde_json::Value::as_str)
    }

    /// `iss`.
    pub fn issuer(&self) -> Option<&str> {
        self.str("iss")
    }

    /// `sub`.
    pub fn subject(&self) -> Option<&str> {
        self.str("sub")
    }

    /// `email`.
    pub fn email(&self) -> Option<&str> {
        self.str("email")
    }

    /// `aud`: one audience or several.
    pub fn audiences(&self) -> Vec<&str> {
        match self.map.get("aud") {
            Some(serde_json::Value::String(one)) => vec![one.as_str()],
            Some(serde_json::Value::Array(many)) => {
                many.iter().filter_map(|v| v.as_str()).collect()
            }
            _ => Vec::new(),
        }
    }

    /// `exp` as a time.
    pub fn expires_at(&self) -> Option<SystemTime> {
        self.time("exp")
    }

    /// `iat` as a time.
    pub fn issued_at(&self) -> Option<SystemTime> {
        self.time("iat")
    }

    fn seconds(&self, name: &str) -> Option<u64> {
        let value = self.map.get(name)?;
        // NumericDate may carry a fraction (RFC 7519 §2); whole seconds are enough here.
        value
            .as_u64()
            .or_else(|| value.as_f64().filter(|f| *f >= 0.0).map(|f| f as u64))
    }

    fn time(&self, name: &str) -> Option<SystemTime> {
        UNIX_EPOCH.checked_add(Duration::from_secs(self.seconds(name)?))
    }

    /// `email_verified`: a boolean, or the string `"true"` some Google tokens carry.
    fn email_verified(&self) -> bool {
        match self.map.get("email_verified") {
            Some(serde_json::Value::Bool(b)) => *b,
            Some(serde_json::Value::String(s)) => s == "true",
            _ => false,
        }
    }

    /// Runs the claim checks (the signature has been checked already).
    pub(crate) fn check(
        &self,
        issuers: &[String],
        audience: &str,
        email: Option<&str>,
        skew: Duration,
        max_lifetime: Option<Duration>,
        now: SystemTime,
    ) -> Result<(), IdTokenError> {
        let now = now.duration_since(UNIX_EPOCH).unwrap_or_default().as_secs();
        let skew = skew.as_secs();
        let iss = self
            .issuer()
            .ok_or(IdTokenError::MissingClaim { claim: "iss" })?;
        if !issuers.iter().any(|i| i == iss) {
            return Err(IdTokenError::Issuer { got: clip(iss) });
        }
        let audiences = self.audiences();
        if !audiences.contains(&audience) {
            if audiences.is_empty() {
                return Err(IdTokenError::MissingClaim { claim: "aud" });
            }
            return Err(IdTokenError::Audience {
                got: audiences.iter().take(5).map(|a| clip(a)).collect(),
                expected: audience.to_owned(),
            });
        }
        let exp = self
            .seconds("exp")
            .ok_or(IdTokenError::MissingClaim { claim: "exp" })?;
        let iat = self
            .seconds("iat")
            .ok_or(IdTokenError::MissingClaim { claim: "iat" })?;
        if now > exp.saturating_add(skew) {
            return Err(IdTokenError::Expired {
                ago: Duration::from_secs(now - exp),
            });
        }
        for (claim, at) in [("iat", Some(iat)), ("nbf", self.seconds("nbf"))] {
            if let Some(at) = at {
                if at > now.saturating_add(skew) {
                    return Err(IdTokenError::NotYetValid {
                        claim,
                        wait: Duration::from_secs(at - now),
                    });
                }
            }
        }
        if let Some(max) = max_lifetime {
            if exp.saturating_sub(iat) > max.as_secs() {
                return Err(IdTokenError::LifetimeTooLong { max });
            }
        }
        if let Some(expected) = email {
            if self.email() != Some(expected) {
                return Err(IdTokenError::Email {
                    got: self.email().map(clip),
                });
            }
            if !self.email_verified() {
                return Err(IdTokenError::EmailNotVerified);
            }
        }
        Ok(())
    }
}
