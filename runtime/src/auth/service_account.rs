//! Service account keys: a JWT signed with the key (RS256, `ring`) exchanged at the key
//! file's `token_uri` for an access token (RFC 7523 JWT bearer grant).

use std::fmt;
use std::path::Path;
use std::sync::Arc;
use std::time::{SystemTime, UNIX_EPOCH};

use crate::json_object::json_object;
use base64::Engine as _;

use super::file::{FileKind, Tag};
use super::http::{Target, TokenHttp};
use super::provider::{FetchFuture, Provider};
use super::{Credentials, GOOGLE_TOKEN_URI, json_error};
use crate::AccessToken;
use crate::error::{Error, Result};

/// Service account key files, as [`KINDS`](super::KINDS) lists them.
pub(super) static FILE: FileKind = FileKind {
    tag: Tag::Type("service_account"),
    noun: "a service account key",
    stem: "service_account",
    adc_refusal: None,
    parse: credentials,
};

fn credentials(json: &str) -> Result<Credentials> {
    Ok(Credentials::with_provider(ServiceAccount::parse(json)?).with_api_default_scopes())
}

impl Credentials {
    /// A service account key file (the JSON downloaded from the Cloud console), with
    /// the API's default scopes (for Chat, `chat.bot`) unless
    /// [`with_scopes`](Self::with_scopes) says otherwise. This is how a Chat app
    /// authenticates. The token is asked for at the file's
    /// `token_uri`.
    pub fn service_account_file(path: impl AsRef<Path>) -> Result<Self> {
        FILE.read(path.as_ref())
    }

    /// A service account key, as the JSON text of its key file.
    pub fn service_account_json(json: &str) -> Result<Self> {
        FILE.read_json(json)
    }
}

impl Provider for ServiceAccount {
    fn kind(&self) -> &'static str {
        "service account"
    }

    fn fetch<'a>(&'a self, http: TokenHttp<'a>, scopes: &'a [String]) -> FetchFuture<'a> {
        Box::pin(self.token(http, scopes))
    }

    fn debug_fields(&self, d: &mut fmt::DebugStruct<'_, '_>) {
        d.field("client_email", &self.client_email);
        d.field("token_uri", &self.token_uri);
    }

    fn quota_project(&self) -> Option<&str> {
        self.quota_project_id.as_deref()
    }

    fn with_subject(&self, subject: String) -> Option<Arc<dyn Provider>> {
        Some(Arc::new(Self {
            subject: Some(subject),
            ..self.clone()
        }))
    }
}

/// The grant type of the JWT bearer flow.
const JWT_BEARER: &str = "urn:ietf:params:oauth:grant-type:jwt-bearer";

/// A parsed service account key. The private key stays in here.
#[derive(Clone)]
pub(super) struct ServiceAccount {
    pub client_email: String,
    pub token_uri: String,
    pub quota_project_id: Option<String>,
    private_key_id: Option<String>,
    key: Arc<ring::rsa::KeyPair>,
    /// The user to act as (domain-wide delegation).
    pub subject: Option<String>,
}

impl ServiceAccount {
    pub(super) fn parse(json: &str) -> Result<Self> {
        json_object! {
            struct Key {
                client_email: String = "client_email" (required),
                private_key: String = "private_key" (required),
                private_key_id: Option<String> = "private_key_id",
                token_uri: Option<String> = "token_uri",
                quota_project_id: Option<String> = "quota_project_id",
            }
        }
        let key: Key =
            serde_json::from_str(json).map_err(|e| json_error("service account key", &e))?;
        // Check the key now, so a bad file fails at startup rather than at the first call.
        let pair = parse_private_key(&key.private_key).map_err(|why| {
            Error::auth(
                format!(
                    "service account {}: the private_key is not usable: {why}",
                    key.client_email
                ),
                None,
            )
        })?;
        Ok(Self {
            client_email: key.client_email,
            token_uri: key
                .token_uri
                .filter(|u| !u.is_empty())
                .unwrap_or_else(|| GOOGLE_TOKEN_URI.to_owned()),
            quota_project_id: key.quota_project_id.filter(|p| !p.is_empty()),
            private_key_id: key.private_key_id.filter(|k| !k.is_empty()),
            key: Arc::new(pair),
            subject: None,
        })
    }

    /// `service account app@project.iam.gserviceaccount.com`.
    pub(super) fn who(&self) -> String {
        match &self.subject {
            Some(subject) => format!("service account {} (as {subject})", self.client_email),
            None => format!("service account {}", self.client_email),
        }
    }

    pub(super) async fn token(
        &self,
        http: TokenHttp<'_>,
        scopes: &[String],
    ) -> Result<AccessToken> {
        let who = self.who();
        let jwt = self.assertion(scopes).map_err(|why| {
            Error::auth(
                format!("{who}: signing the JWT assertion failed: {why}"),
                None,
            )
        })?;
        let target = Target {
            who: &who,
            what: "token request",
            url: &self.token_uri,
            secrets: &[&jwt],
        };
        let form = [("grant_type", JWT_BEARER), ("assertion", jwt.as_str())];
        match http.post_form(&target, &form, None).await? {
            Ok(answer) => answer.into_token(&target).map(|(token, _)| token),
            Err(refusal) => Err(refusal.into_error(&target)),
        }
    }

    /// The signed JWT: issued by the service account, for `scopes`, to the token URI,
    /// valid one hour.
    fn assertion(&self, scopes: &[String]) -> std::result::Result<String, String> {
        let now = SystemTime::now()
            .duration_since(UNIX_EPOCH)
            .map_err(|_| "the system clock is before 1970".to_owned())?
            .as_secs();
        let mut header = serde_json::json!({"alg": "RS256", "typ": "JWT"});
        if let Some(kid) = &self.private_key_id {
            header["kid"] = kid.as_str().into();
        }
        let mut claims = serde_json::json!({
            "iss": self.client_email,
            "scope": scopes.join(" "),
            "aud": self.token_uri,
            "iat": now,
            "exp": now + 3600,
        });
        if let Some(subject) = &self.subject {
            claims["sub"] = subject.as_str().into();
        }
        let b64 = base64::engine::general_purpose::URL_SAFE_NO_PAD;
        let signed = format!(
            "{}.{}",
            b64.encode(header.to_string()),
            b64.encode(claims.to_string())
        );
        let mut signature = vec![0; self.key.public().modulus_len()];
        self.key
            .sign(
                &ring::signature::RSA_PKCS1_SHA256,
                &ring::rand::SystemRandom::new(),
                signed.as_bytes(),
                &mut signature,
            )
            .map_err(|_| "ring refused to sign".to_owned())?;
        Ok(format!("{signed}.{}", b64.encode(signature)))
    }
}

/// An RSA key from PEM: PKCS#8 (`BEGIN PRIVATE KEY`, what Google issues) or PKCS#1
/// (`BEGIN RSA PRIVATE KEY`). The error never quotes the key.
fn parse_private_key(pem: &str) -> std::result::Result<ring::rsa::KeyPair, String> {
    let (label, body) = pem_body(pem).ok_or("no PEM block (-----BEGIN PRIVATE KEY-----)")?;
    let der = base64::engine::general_purpose::STANDARD
        .decode(body)
        .map_err(|_| "the PEM block is not base64".to_owned())?;
    let pair = match label {
        "PRIVATE KEY" => ring::rsa::KeyPair::from_pkcs8(&der),
        "RSA PRIVATE KEY" => ring::rsa::KeyPair::from_der(&der),
        other => {
            return Err(format!(
                "a PEM block of type `{other}` is not an RSA private key"
            ));
        }
    };
    pair.map_err(|e| format!("not an RSA private key ring accepts ({e})"))
}

/// The label and the base64 text (whitespace removed) of the first PEM block.
fn pem_body(pem: &str) -> Option<(&str, String)> {
    let start = pem.find("-----BEGIN ")?;
    let rest = &pem[start + "-----BEGIN ".len()..];
    let label_end = rest.find("-----")?;
    let label = &rest[..label_end];
    let rest = &rest[label_end + 5..];
    let end = rest.find("-----END ")?;
    let body = rest[..end].chars().filter(|c| !c.is_whitespace()).collect();
    Some((label, body))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn pem_errors_never_quote_the_key() {
        let e = parse_private_key("SECRETSTUFF").unwrap_err();
        assert!(!e.contains("SECRETSTUFF"), "{e}");
        let e = parse_private_key(
            "-----BEGIN PRIVATE KEY-----\nU0VDUkVUU1RVRkY=\n-----END PRIVATE KEY-----\n",
        )
        .unwrap_err();
        assert!(e.starts_with("not an RSA private key"), "{e}");
        assert!(!e.contains("U0VDUkVU"), "{e}");
        let e =
            parse_private_key("-----BEGIN EC PRIVATE KEY-----\nAAAA\n-----END EC PRIVATE KEY-----")
                .unwrap_err();
        assert!(e.contains("`EC PRIVATE KEY`"), "{e}");
        assert!(parse_private_key(include_str!("../../tests/fixtures/test_rsa_key.pem")).is_ok());
    }
}
