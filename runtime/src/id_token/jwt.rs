//! Splitting a compact JWS (RFC 7515 §7.1) into its header, claims and signature, and
//! reading the header. Nothing here trusts the token: it only finds the parts the checks
//! need, and refuses every algorithm but RS256 before any key is looked up.

use base64::Engine as _;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;

use super::error::IdTokenError;
use crate::json_object::json_object;

/// Longest token accepted (Google's ID tokens are about 1 kB; this bounds the work an
/// attacker can cause before the signature is checked).
pub(crate) const MAX_TOKEN_LEN: usize = 16 * 1024;

json_object! {
    /// The JOSE header members the verifier reads.
    struct Header {
        alg: Option<String> = "alg",
        kid: Option<String> = "kid",
        crit: Option<serde_json::Value> = "crit",
    }
}

/// A token split and decoded, not yet verified.
#[derive(Debug)]
pub(crate) struct Parsed<'t> {
    /// `header.payload`, the bytes the signature covers.
    pub signed: &'t [u8],
    pub kid: String,
    pub signature: Vec<u8>,
    pub claims: serde_json::Map<String, serde_json::Value>,
}

/// Splits and decodes `token`; refuses anything but an RS256 JWS with a key id.
pub(crate) fn parse(token: &str) -> Result<Parsed<'_>, IdTokenError> {
    let malformed = |reason: &'static str| IdTokenError::Malformed { reason };
    if token.len() > MAX_TOKEN_LEN {
        return Err(malformed("the token is longer than 16 KiB"));
    }
    let mut parts = token.split('.');
    let (Some(header), Some(payload), Some(signature), None) =
        (parts.next(), parts.next(), parts.next(), parts.next())
    else {
        return Err(malformed("a JWT has three dot-separated parts"));
    };
    let header_json = URL_SAFE_NO_PAD
        .decode(header)
        .map_err(|_| malformed("the header is not base64url"))?;
    let jose: Header = serde_json::from_slice(&header_json)
        .map_err(|_| malformed("the header is not a JSON object"))?;
    match jose.alg.as_deref() {
        Some("RS256") => {}
        Some(other) => {
            return Err(IdTokenError::Algorithm {
                alg: super::error::clip(other),
            });
        }
        None => return Err(malformed("the header has no `alg`")),
    }
    if jose.crit.is_some() {
        // RFC 7515 §4.1.11: extensions the verifier does not understand must be refused.
        return Err(malformed("the header has `crit` extensions"));
    }
    let kid = jose.kid.ok_or(IdTokenError::MissingKeyId)?;
    let claims_json = URL_SAFE_NO_PAD
        .decode(payload)
        .map_err(|_| malformed("the payload is not base64url"))?;
    let claims = serde_json::from_slice(&claims_json)
        .map_err(|_| malformed("the payload is not a JSON object"))?;
    let signature = URL_SAFE_NO_PAD
        .decode(signature)
        .map_err(|_| malformed("the signature is not base64url"))?;
    let signed_len = header.len() + 1 + payload.len();
    Ok(Parsed {
        signed: &token.as_bytes()[..signed_len],
        kid,
        signature,
        claims,
    })
}
