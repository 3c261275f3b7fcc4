//! The fake's RSA keys: the service account's (whose JWT grants the token endpoint
//! verifies) and Chat's signing key (which signs the events sent to the app, published
//! as x509 certificates and as a JWK set). Both are test keys, generated for this crate
//! and public in its source: they protect nothing but the fake.

use axum::http::{HeaderValue, header};
use axum::response::Response;
use base64::Engine as _;
use base64::engine::general_purpose::{STANDARD, URL_SAFE_NO_PAD};
use ring::rand::SystemRandom;
use ring::signature::{self, KeyPair as _, RsaKeyPair, RsaPublicKeyComponents};
use serde_json::{Value, json};

/// The service account's private key (PKCS#8 PEM), written into key files.
pub(crate) const SERVICE_ACCOUNT_PEM: &str = include_str!("../keys/service_account.pem");
/// Chat's signing key (PKCS#8 PEM).
const CHAT_SIGNER_PEM: &str = include_str!("../keys/chat_signer.pem");
/// Chat's signing certificate (self-signed, for the x509 endpoint).
const CHAT_SIGNER_CERT: &str = include_str!("../keys/chat_signer.crt");
/// The key id of Chat's signing key.
pub(crate) const CHAT_KEY_ID: &str = "fake-chat-signer-1";

/// The fake's keys, parsed once.
pub(crate) struct Keys {
    service_account: RsaKeyPair,
    chat_signer: RsaKeyPair,
    rng: SystemRandom,
}

impl std::fmt::Debug for Keys {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("Keys { .. }")
    }
}

/// The DER inside a PEM block.
fn pem_der(pem: &str) -> Vec<u8> {
    let body: String = pem.lines().filter(|l| !l.starts_with("-----")).collect();
    STANDARD.decode(body).unwrap_or_default()
}

impl Keys {
    /// Parses the embedded keys. They are constants of this crate, checked by its tests,
    /// so a failure here is a broken build of the crate, not bad input.
    pub fn load() -> Self {
        let parse = |pem: &str| {
            RsaKeyPair::from_pkcs8(&pem_der(pem))
                .unwrap_or_else(|e| panic!("embedded test key: {e}"))
        };
        Self {
            service_account: parse(SERVICE_ACCOUNT_PEM),
            chat_signer: parse(CHAT_SIGNER_PEM),
            rng: SystemRandom::new(),
        }
    }

    /// Verifies an RS256 JWT signed by the service-account key; its claims on success.
    pub fn verify_service_account_jwt(&self, jwt: &str) -> Result<Value, &'static str> {
        let mut parts = jwt.split('.');
        let (Some(head), Some(claims), Some(sig), None) =
            (parts.next(), parts.next(), parts.next(), parts.next())
        else {
            return Err("the assertion is not a JWT (three dot-separated parts)");
        };
        let decode = |s: &str| {
            URL_SAFE_NO_PAD
                .decode(s)
                .map_err(|_| "the assertion is not base64url")
        };
        let header: Value =
            serde_json::from_slice(&decode(head)?).map_err(|_| "the JWT header is not JSON")?;
        if header.get("alg").and_then(Value::as_str) != Some("RS256") {
            return Err("the JWT is not signed with RS256");
        }
        let public = self.service_account.public_key().as_ref();
        signature::UnparsedPublicKey::new(&signature::RSA_PKCS1_2048_8192_SHA256, public)
            .verify(format!("{head}.{claims}").as_bytes(), &decode(sig)?)
            .map_err(|_| "the JWT signature does not verify with the service account's key")?;
        serde_json::from_slice(&decode(claims)?).map_err(|_| "the JWT claims are not JSON")
    }

    /// Signs `claims` as Chat does: RS256 with the signing key, `kid` in the header.
    pub fn sign_chat_jwt(&self, claims: &Value) -> String {
        let head = URL_SAFE_NO_PAD
            .encode(json!({"alg": "RS256", "typ": "JWT", "kid": CHAT_KEY_ID}).to_string());
        let body = URL_SAFE_NO_PAD.encode(claims.to_string());
        let input = format!("{head}.{body}");
        let mut sig = vec![0; self.chat_signer.public().modulus_len()];
        // Signing with a valid key into a buffer of the modulus' length cannot fail.
        if self
            .chat_signer
            .sign(
                &signature::RSA_PKCS1_SHA256,
                &self.rng,
                input.as_bytes(),
                &mut sig,
            )
            .is_err()
        {
            sig.clear();
        }
        format!("{input}.{}", URL_SAFE_NO_PAD.encode(sig))
    }

    /// Chat's signing certificates by key id, as Google's x509 endpoint serves them
    /// (`https://www.googleapis.com/service_accounts/v1/metadata/x509/chat@system.gserviceaccount.com`).
    pub fn x509_response(&self) -> Response {
        cached(json!({ CHAT_KEY_ID: CHAT_SIGNER_CERT }))
    }

    /// Chat's signing key as a JWK set (`.../service_accounts/v1/jwk/...`).
    pub fn jwk_response(&self) -> Response {
        let parts = RsaPublicKeyComponents::<Vec<u8>>::from(self.chat_signer.public());
        cached(json!({"keys": [{
            "kty": "RSA",
            "alg": "RS256",
            "use": "sig",
            "kid": CHAT_KEY_ID,
            "n": URL_SAFE_NO_PAD.encode(&parts.n),
            "e": URL_SAFE_NO_PAD.encode(&parts.e),
        }]}))
    }
}

/// A JSON answer with a `Cache-Control: max-age`, as Google's key endpoints send.
fn cached(value: Value) -> Response {
    let mut response = crate::reply::json_body(&value);
    response.headers_mut().insert(
        header::CACHE_CONTROL,
        HeaderValue::from_static("public, max-age=3600, must-revalidate, no-transform"),
    );
    response
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn embedded_keys_parse_and_sign() {
        let keys = Keys::load();
        let jwt = keys.sign_chat_jwt(&json!({"iss": "chat@system.gserviceaccount.com"}));
        let [_, _, sig] = jwt.split('.').collect::<Vec<_>>()[..] else {
            panic!("{jwt}")
        };
        assert_eq!(URL_SAFE_NO_PAD.decode(sig).unwrap().len(), 256);
        assert_eq!(
            keys.verify_service_account_jwt("a.b"),
            Err("the assertion is not a JWT (three dot-separated parts)")
        );
        assert!(
            keys.verify_service_account_jwt(&jwt).is_err(),
            "signed by the other key"
        );
    }
}
