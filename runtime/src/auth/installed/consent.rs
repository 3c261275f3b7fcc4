//! The consent itself: the consent URL with a PKCE (S256) challenge and a random
//! `state`, the wait for the browser (or the presenter) to bring the code back, and the
//! code exchanged at the client's `token_uri`.

use base64::Engine as _;

use super::InstalledSource;
use super::loopback::{from_pasted, loopback, serve};
use super::presenters::ConsentRequest;
use crate::AccessToken;
use crate::auth::http::{Target, TokenHttp, one_line};
use crate::error::{Error, Result};

impl InstalledSource {
    /// Runs the consent flow and exchanges the code: the access token and the refresh
    /// token, if the endpoint sent one.
    pub(super) async fn consent(
        &self,
        http: TokenHttp<'_>,
        who: &str,
        scopes: &[String],
    ) -> Result<(AccessToken, Option<String>)> {
        let client = &*self.flow.client;
        let (listener, redirect_uri, path) = loopback(client, who).await?;
        let verifier = random_token(32)?;
        let state = random_token(16)?;
        let challenge = base64::engine::general_purpose::URL_SAFE_NO_PAD.encode(
            ring::digest::digest(&ring::digest::SHA256, verifier.as_bytes()),
        );
        let mut url = reqwest::Url::parse(&client.auth_uri)
            .map_err(|_| Error::auth(format!("{who}: auth_uri is not a URL"), None))?;
        url.query_pairs_mut()
            .append_pair("response_type", "code")
            .append_pair("client_id", &client.client_id)
            .append_pair("redirect_uri", &redirect_uri)
            .append_pair("scope", &scopes.join(" "))
            .append_pair("state", &state)
            .append_pair("code_challenge", &challenge)
            .append_pair("code_challenge_method", "S256")
            .append_pair("access_type", "offline")
            .append_pair("prompt", "consent");
        let request = ConsentRequest {
            url: url.to_string(),
            redirect_uri: redirect_uri.clone(),
        };
        tracing::debug!(redirect_uri = %redirect_uri, "waiting for consent");
        let waiting = async {
            let presented = self.flow.presenter.present(&request);
            let served = std::pin::pin!(serve(&listener, &path, &state, who));
            match futures_util::future::select(presented, served).await {
                futures_util::future::Either::Left((Ok(Some(pasted)), _)) => {
                    from_pasted(&pasted, &state, who)
                }
                futures_util::future::Either::Left((Ok(None), served)) => served.await,
                futures_util::future::Either::Left((Err(e), _)) => Err(Error::auth(
                    format!(
                        "{who}: the consent presenter failed: {}",
                        one_line(&e.to_string())
                    ),
                    Some(e),
                )),
                futures_util::future::Either::Right((code, _)) => code,
            }
        };
        let code = tokio::time::timeout(self.flow.consent_timeout, waiting)
            .await
            .map_err(|_| {
                Error::auth(
                    format!(
                        "{who}: no consent within {:?}: the browser never came back to {redirect_uri}",
                        self.flow.consent_timeout
                    ),
                    None,
                )
            })??;
        drop(listener);
        let mut form = vec![
            ("grant_type", "authorization_code"),
            ("code", code.as_str()),
            ("redirect_uri", redirect_uri.as_str()),
            ("client_id", client.client_id.as_str()),
            ("code_verifier", verifier.as_str()),
        ];
        if let Some(secret) = &client.client_secret {
            form.push(("client_secret", secret));
        }
        let mut secrets = vec![code.as_str(), verifier.as_str()];
        secrets.extend(client.client_secret.as_deref());
        let target = Target {
            who,
            what: "token request",
            url: &client.token_uri,
            secrets: &secrets,
        };
        match http.post_form(&target, &form, None).await? {
            Ok(answer) => answer.into_token(&target),
            Err(refusal) => Err(refusal.into_error(&target)),
        }
    }
}

/// `bytes` random bytes, base64url: PKCE verifiers (43 characters for 32 bytes) and
/// states.
fn random_token(bytes: usize) -> Result<String> {
    use ring::rand::SecureRandom as _;
    let mut buf = vec![0u8; bytes];
    ring::rand::SystemRandom::new()
        .fill(&mut buf)
        .map_err(|_| Error::auth("the system random number generator failed", None))?;
    Ok(base64::engine::general_purpose::URL_SAFE_NO_PAD.encode(buf))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn pkce_verifier_is_43_url_safe_characters() {
        let v = random_token(32).unwrap();
        assert_eq!(v.len(), 43);
        assert!(
            v.chars()
                .all(|c| c.is_ascii_alphanumeric() || c == '-' || c == '_')
        );
        assert_ne!(v, random_token(32).unwrap());
    }
}
