//! Signing RS256 tokens and publishing their keys, for tests, fakes and emulators that
//! play Google: a [`Signer`] signs claims with an RSA key, and serves its public key in
//! both of Google's forms ([`jwk_set`], [`x509_set`]) so that an
//! [`IdTokenVerifier`](super::IdTokenVerifier) pointed at the fake's URL accepts the
//! tokens. Uses `ring` (already the runtime's): no dependency is added.

use std::fmt;

use base64::Engine as _;
use base64::engine::general_purpose::{STANDARD, URL_SAFE_NO_PAD};
use ring::rand::SystemRandom;
use ring::signature::{KeyPair as _, RSA_PKCS1_SHA256, RsaKeyPair};

use super::der;

/// A key that could not be used to sign.
#[derive(Debug, Clone, thiserror::Error)]
#[error("signing key: {0}")]
pub struct SignerError(String);

/// An RSA private key with a key id, signing RS256 JWTs. `Debug` shows only the key id.
pub struct Signer {
    kid: String,
    key: RsaKeyPair,
    n: Vec<u8>,
    e: Vec<u8>,
}

impl fmt::Debug for Signer {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Signer")
            .field("kid", &self.kid)
            .finish_non_exhaustive()
    }
}

impl Signer {
    /// A signer from an RSA private key in PKCS #8 DER (2048 to 8192 bits), published
    /// under `kid`.
    pub fn from_pkcs8(kid: impl Into<String>, pkcs8_der: &[u8]) -> Result<Self, SignerError> {
        let key = RsaKeyPair::from_pkcs8(pkcs8_der)
            .map_err(|e| SignerError(format!("not an RSA PKCS #8 key: {e}")))?;
        let (n, e) =
            der::rsa_public_key(key.public_key().as_ref()).map_err(|e| SignerError(e.into()))?;
        Ok(Self {
            kid: kid.into(),
            key,
            n,
            e,
        })
    }

    /// The key id tokens name in their header.
    pub fn kid(&self) -> &str {
        &self.kid
    }

    /// A compact JWT of `claims` (a JSON object), with header
    /// `{"alg":"RS256","kid":<kid>,"typ":"JWT"}`.
    pub fn sign(&self, claims: &serde_json::Value) -> String {
        let header = serde_json::json!({"alg": "RS256", "kid": self.kid, "typ": "JWT"});
        sign_parts(&self.key, &header.to_string(), &claims.to_string())
    }

    /// Like [`sign`](Self::sign), with the header given whole (to make tokens a verifier
    /// must refuse: another `alg`, no `kid`, ...).
    pub fn sign_with_header(
        &self,
        header: &serde_json::Value,
        claims: &serde_json::Value,
    ) -> String {
        sign_parts(&self.key, &header.to_string(), &claims.to_string())
    }

    /// The public key as a JWK (RFC 7517): `kty`, `alg`, `use`, `kid`, `n`, `e`.
    pub fn jwk(&self) -> serde_json::Value {
        serde_json::json!({
            "kty": "RSA",
            "alg": "RS256",
            "use": "sig",
            "kid": self.kid,
            "n": URL_SAFE_NO_PAD.encode(&self.n),
            "e": URL_SAFE_NO_PAD.encode(&self.e),
        })
    }

    /// The public key as a self-signed X.509 certificate in PEM.
    pub fn x509_pem(&self) -> String {
        let spki = der::write_spki(&self.n, &self.e);
        let tbs = der::write_tbs(&self.kid, &spki);
        let signature = sign_bytes(&self.key, &tbs);
        let cert = STANDARD.encode(der::write_certificate(&tbs, &signature));
        let mut pem = String::from("-----BEGIN CERTIFICATE-----\n");
        for line in cert.as_bytes().chunks(64) {
            pem.push_str(&String::from_utf8_lossy(line));
            pem.push('\n');
        }
        pem.push_str("-----END CERTIFICATE-----\n");
        pem
    }

    /// The modulus, big-endian (for tests that need the raw key).
    pub fn modulus(&self) -> &[u8] {
        &self.n
    }
}

/// A JWK set of the signers' keys, as `https://www.googleapis.com/oauth2/v3/certs` serves.
pub fn jwk_set(signers: &[&Signer]) -> String {
    let keys: Vec<_> = signers.iter().map(|s| s.jwk()).collect();
    serde_json::json!({ "keys": keys }).to_string()
}

/// The signers' certificates by key id, as
/// `https://www.googleapis.com/service_accounts/v1/metadata/x509/{account}` serves.
pub fn x509_set(signers: &[&Signer]) -> String {
    let map: serde_json::Map<_, _> = signers
        .iter()
        .map(|s| (s.kid.clone(), serde_json::Value::String(s.x509_pem())))
        .collect();
    serde_json::Value::Object(map).to_string()
}

fn sign_parts(key: &RsaKeyPair, header: &str, claims: &str) -> String {
    let mut token = URL_SAFE_NO_PAD.encode(header);
    token.push('.');
    token.push_str(&URL_SAFE_NO_PAD.encode(claims));
    let signature = sign_bytes(key, token.as_bytes());
    token.push('.');
    token.push_str(&URL_SAFE_NO_PAD.encode(signature));
    token
}

fn sign_bytes(key: &RsaKeyPair, message: &[u8]) -> Vec<u8> {
    let mut signature = vec![0; key.public().modulus_len()];
    // Fails only when the buffer has the wrong length, which it cannot have here.
    if key
        .sign(
            &RSA_PKCS1_SHA256,
            &SystemRandom::new(),
            message,
            &mut signature,
        )
        .is_err()
    {
        signature.clear();
    }
    signature
}
