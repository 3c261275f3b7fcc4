//! Google's key sets, in the two forms it serves them:
//!
//! - a JSON object of X.509 certificates in PEM by key id, as at
//!   `https://www.googleapis.com/service_accounts/v1/metadata/x509/chat@system.gserviceaccount.com`
//!   (the URL Google's Chat samples verify project-number tokens with, see
//!   <https://developers.google.com/workspace/chat/verify-requests-from-chat>);
//! - a JWK set (RFC 7517 §5), as at `https://www.googleapis.com/oauth2/v3/certs` (Google's
//!   OIDC signing keys, named by `jwks_uri` in
//!   <https://accounts.google.com/.well-known/openid-configuration>) and
//!   `https://www.googleapis.com/service_accounts/v1/jwk/{account}`.
//!
//! Which form a document is in is read off the document: a JWK set has a `keys` array.

use std::collections::HashMap;

use base64::Engine as _;
use base64::engine::general_purpose::{STANDARD, URL_SAFE_NO_PAD};
use ring::signature::{RSA_PKCS1_2048_8192_SHA256, RsaPublicKeyComponents};

use super::der;
use crate::json_object::json_object;

/// One RSA public key.
pub(crate) struct RsaKey {
    components: RsaPublicKeyComponents<Vec<u8>>,
}

impl RsaKey {
    /// A key from its big-endian modulus and exponent.
    pub(crate) fn new(n: &[u8], e: &[u8]) -> Result<Self, String> {
        let n = der::unsigned(n);
        let e = der::unsigned(e);
        if n.len() * 8 < 2048 {
            return Err("an RSA key is shorter than 2048 bits".into());
        }
        Ok(Self {
            components: RsaPublicKeyComponents {
                n: n.to_vec(),
                e: e.to_vec(),
            },
        })
    }

    /// Whether `signature` is an RS256 signature of `message` by this key.
    pub(crate) fn verify(&self, message: &[u8], signature: &[u8]) -> bool {
        self.components
            .verify(&RSA_PKCS1_2048_8192_SHA256, message, signature)
            .is_ok()
    }
}

/// Keys by key id.
pub(crate) type KeyMap = HashMap<String, RsaKey>;

json_object! {
    struct JwkSet {
        keys: Vec<Jwk> = "keys" (required),
    }
}

json_object! {
    struct Jwk {
        kty: Option<String> = "kty",
        kid: Option<String> = "kid",
        alg: Option<String> = "alg",
        use_: Option<String> = "use",
        n: Option<String> = "n",
        e: Option<String> = "e",
    }
}

/// Reads a key set in either form. Keys that cannot sign RS256 (other key types, other
/// algorithms, encryption keys) are skipped; a key that claims to be RS256 but cannot be
/// read is an error.
pub(crate) fn parse_key_set(body: &[u8]) -> Result<KeyMap, String> {
    let value: serde_json::Value =
        serde_json::from_slice(body).map_err(|e| format!("the key set is not JSON: {e}"))?;
    let serde_json::Value::Object(object) = &value else {
        return Err("the key set is not a JSON object".into());
    };
    if object.contains_key("keys") {
        let set: JwkSet = serde_json::from_value(value)
            .map_err(|e| format!("the JWK set cannot be read: {e}"))?;
        parse_jwks(set)
    } else {
        let mut keys = KeyMap::new();
        for (kid, pem) in object {
            let pem = pem
                .as_str()
                .ok_or_else(|| format!("certificate `{kid}` is not a string"))?;
            let key = certificate_key(pem).map_err(|e| format!("certificate `{kid}`: {e}"))?;
            keys.insert(kid.clone(), key);
        }
        Ok(keys)
    }
}

fn parse_jwks(set: JwkSet) -> Result<KeyMap, String> {
    let mut keys = KeyMap::new();
    for jwk in set.keys {
        let usable = jwk.kty.as_deref() == Some("RSA")
            && jwk.alg.as_deref().is_none_or(|a| a == "RS256")
            && jwk.use_.as_deref().is_none_or(|u| u == "sig");
        if !usable {
            continue;
        }
        let kid = jwk.kid.ok_or("an RSA key has no `kid`")?;
        let decode = |part: Option<String>, name: &str| {
            let text = part.ok_or_else(|| format!("key `{kid}` has no `{name}`"))?;
            URL_SAFE_NO_PAD
                .decode(text.trim_end_matches('='))
                .map_err(|_| format!("key `{kid}`: `{name}` is not base64url"))
        };
        let n = decode(jwk.n, "n")?;
        let e = decode(jwk.e, "e")?;
        let key = RsaKey::new(&n, &e).map_err(|e| format!("key `{kid}`: {e}"))?;
        keys.insert(kid, key);
    }
    Ok(keys)
}

/// The RSA key of a PEM certificate.
pub(crate) fn certificate_key(pem: &str) -> Result<RsaKey, String> {
    const BEGIN: &str = "-----BEGIN CERTIFICATE-----";
    const END: &str = "-----END CERTIFICATE-----";
    let start = pem.find(BEGIN).ok_or("no BEGIN CERTIFICATE line")? + BEGIN.len();
    let end = pem[start..].find(END).ok_or("no END CERTIFICATE line")? + start;
    let base64: String = pem[start..end]
        .chars()
        .filter(|c| !c.is_ascii_whitespace())
        .collect();
    let der = STANDARD
        .decode(base64)
        .map_err(|_| "the certificate is not base64")?;
    let spki = der::certificate_spki(&der)?;
    let (n, e) = der::spki_rsa(spki)?;
    RsaKey::new(&n, &e)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn other_key_types_are_skipped_broken_rsa_keys_refused() {
        let n = URL_SAFE_NO_PAD.encode([0xc5u8; 256]);
        let set = format!(
            r#"{{"keys": [
                {{"kty": "EC", "kid": "ec", "crv": "P-256", "x": "AA", "y": "AA"}},
                {{"kty": "RSA", "kid": "enc", "use": "enc", "n": "{n}", "e": "AQAB"}},
                {{"kty": "RSA", "kid": "ps", "alg": "PS256", "n": "{n}", "e": "AQAB"}},
                {{"kty": "RSA", "kid": "good", "alg": "RS256", "use": "sig", "n": "{n}", "e": "AQAB"}}
            ]}}"#
        );
        let keys = parse_key_set(set.as_bytes()).unwrap();
        assert_eq!(keys.keys().collect::<Vec<_>>(), ["good"]);

        let short = URL_SAFE_NO_PAD.encode([0xc5u8; 128]);
        let bad =
            format!(r#"{{"keys": [{{"kty": "RSA", "kid": "k", "n": "{short}", "e": "AQAB"}}]}}"#);
        let err = parse_key_set(bad.as_bytes()).err().unwrap();
        assert!(err.contains("shorter than 2048 bits"), "{err}");
        let no_n = parse_key_set(br#"{"keys": [{"kty": "RSA", "kid": "k", "e": "AQAB"}]}"#);
        assert_eq!(no_n.err().unwrap(), "key `k` has no `n`");
        assert!(parse_key_set(b"[]").is_err());
        assert!(
            parse_key_set(b"{\"k\": 1}")
                .err()
                .unwrap()
                .contains("not a string")
        );
        let not_pem = parse_key_set(b"{\"k\": \"hello\"}").err().unwrap();
        assert_eq!(not_pem, "certificate `k`: no BEGIN CERTIFICATE line");
    }

    /// A certificate made by OpenSSL (`openssl req -x509 -newkey rsa:2048 -days 3650
    /// -subj /CN=fixture -nodes`): a v3 certificate with extensions, as real ones are. Its
    /// modulus (from `openssl x509 -noout -modulus`) is checked against the walk's.
    #[test]
    fn an_openssl_certificate_reads() {
        let pem = include_str!("testdata/openssl_cert.pem");
        let modulus = include_str!("testdata/openssl_cert.modulus").trim();
        let key = certificate_key(pem).unwrap();
        let hex: String = key
            .components
            .n
            .iter()
            .map(|b| format!("{b:02X}"))
            .collect();
        assert_eq!(format!("Modulus={hex}"), modulus);
        assert_eq!(key.components.e, [1, 0, 1]);
    }
}
