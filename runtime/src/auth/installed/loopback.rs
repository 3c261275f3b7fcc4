//! The loopback redirect: a listener on 127.0.0.1 that answers the browser's
//! requests until one brings the OAuth callback, and the checks (its `state`, a code or
//! an error) that a pasted redirect address gets too.

use std::time::Duration;

use tokio::io::{AsyncReadExt as _, AsyncWriteExt as _};
use tokio::net::{TcpListener, TcpStream};

use super::OAuthClient;
use crate::auth::http::{io_cause, one_line};
use crate::error::{Error, Result};

/// Longest request head the loopback server reads.
const MAX_HEAD: usize = 16 * 1024;
/// How long one browser connection may take to send its request.
const READ_TIMEOUT: Duration = Duration::from_secs(10);

/// The listener, the redirect URI to send and the path the browser comes back to.
pub(super) async fn loopback(
    client: &OAuthClient,
    who: &str,
) -> Result<(TcpListener, String, String)> {
    if client.kind == "installed" {
        let listener = TcpListener::bind(("127.0.0.1", 0)).await.map_err(|e| {
            Error::auth(
                format!(
                    "{who}: cannot listen on 127.0.0.1 for the redirect: {}",
                    io_cause(&e)
                ),
                Some(Box::new(e)),
            )
        })?;
        let port = listener
            .local_addr()
            .map_err(|e| Error::auth(format!("{who}: {}", io_cause(&e)), Some(Box::new(e))))?
            .port();
        return Ok((
            listener,
            format!("http://127.0.0.1:{port}/"),
            "/".to_owned(),
        ));
    }
    // A web client's redirect URI must be registered: use its loopback one.
    let registered = client.redirect_uris.iter().find_map(|uri| {
        let url = reqwest::Url::parse(uri).ok()?;
        let loopback =
            url.scheme() == "http" && matches!(url.host_str(), Some("localhost" | "127.0.0.1"));
        loopback.then(|| {
            Some((
                uri.clone(),
                url.port_or_known_default()?,
                url.path().to_owned(),
            ))
        })?
    });
    let Some((uri, port, path)) = registered else {
        return Err(Error::auth(
            format!(
                "{who}: none of the web client's redirect_uris is a loopback address \
                 (http://localhost:PORT/ or http://127.0.0.1:PORT/); add one in the Cloud console, \
                 or create a \"Desktop app\" OAuth client"
            ),
            None,
        ));
    };
    let listener = TcpListener::bind(("127.0.0.1", port)).await.map_err(|e| {
        Error::auth(
            format!(
                "{who}: cannot listen on 127.0.0.1:{port} for the redirect URI {uri}: {}",
                io_cause(&e)
            ),
            Some(Box::new(e)),
        )
    })?;
    Ok((listener, uri, path))
}

/// What the browser brought back.
struct Callback {
    state: Option<String>,
    code: Option<String>,
    error: Option<String>,
}

impl Callback {
    /// The callback in a query, if it is one (it has a code or an error).
    fn from_url(url: &reqwest::Url) -> Option<Self> {
        let mut cb = Callback {
            state: None,
            code: None,
            error: None,
        };
        for (name, value) in url.query_pairs() {
            match &*name {
                "state" => cb.state = Some(value.into_owned()),
                "code" => cb.code = Some(value.into_owned()),
                "error" => cb.error = Some(value.into_owned()),
                _ => {}
            }
        }
        (cb.code.is_some() || cb.error.is_some()).then_some(cb)
    }

    /// The code, if the state is this request's and consent was given.
    fn check(self, state: &str) -> std::result::Result<String, Refused> {
        if self.state.as_deref() != Some(state) {
            return Err(Refused::State);
        }
        if let Some(error) = self.error {
            return Err(Refused::Denied(
                one_line(&error).chars().take(100).collect(),
            ));
        }
        match self.code {
            Some(code) if !code.is_empty() => Ok(code),
            _ => Err(Refused::EmptyCode),
        }
    }
}

/// Why a redirect brought no usable code.
enum Refused {
    State,
    Denied(String),
    EmptyCode,
}

impl Refused {
    fn into_error(self, who: &str) -> Error {
        let why = match self {
            Refused::State => "the redirect's state does not match this consent request \
                 (a stale or forged redirect); the code was not used, start again"
                .to_owned(),
            Refused::Denied(error) => format!("consent was not given: {error}"),
            Refused::EmptyCode => "the redirect has an empty code".to_owned(),
        };
        Error::auth(format!("{who}: {why}"), None)
    }
}

/// The code in a pasted final redirect URL (or its query string).
pub(super) fn from_pasted(pasted: &str, state: &str, who: &str) -> Result<String> {
    let pasted = pasted.trim();
    let url = if pasted.contains("://") {
        reqwest::Url::parse(pasted).ok()
    } else {
        let query = pasted.rsplit_once('?').map_or(pasted, |(_, q)| q);
        reqwest::Url::parse(&format!("http://127.0.0.1/?{query}")).ok()
    };
    match url.as_ref().and_then(Callback::from_url) {
        Some(callback) => callback.check(state).map_err(|r| r.into_error(who)),
        None => Err(Error::auth(
            format!(
                "{who}: the pasted text is not the address the browser ended on \
                 (http://127.0.0.1:PORT/?state=...&code=...)"
            ),
            None,
        )),
    }
}

/// Answers browser requests on the loopback listener until one brings the callback.
/// Connections are read concurrently: a browser's idle speculative connection must not
/// hold up the one that carries the redirect.
pub(super) async fn serve(
    listener: &TcpListener,
    path: &str,
    state: &str,
    who: &str,
) -> Result<String> {
    let (tx, mut heads) = tokio::sync::mpsc::channel::<(TcpStream, String)>(8);
    loop {
        let accepted = std::pin::pin!(listener.accept());
        let read = std::pin::pin!(heads.recv());
        let (mut stream, head) = match futures_util::future::select(accepted, read).await {
            futures_util::future::Either::Left((accepted, _)) => {
                let (mut stream, _) = accepted.map_err(|e| {
                    Error::auth(
                        format!("{who}: the redirect listener failed: {}", io_cause(&e)),
                        Some(Box::new(e)),
                    )
                })?;
                let tx = tx.clone();
                tokio::spawn(async move {
                    if let Ok(Ok(head)) =
                        tokio::time::timeout(READ_TIMEOUT, read_head(&mut stream)).await
                    {
                        let _ = tx.send((stream, head)).await;
                    }
                });
                continue;
            }
            futures_util::future::Either::Right((Some(read), _)) => read,
            // `tx` lives as long as this loop.
            futures_util::future::Either::Right((None, _)) => continue,
        };
        let target = head
            .lines()
            .next()
            .and_then(|line| line.split_whitespace().nth(1))
            .filter(|t| t.starts_with('/'))
            .and_then(|t| reqwest::Url::parse(&format!("http://127.0.0.1{t}")).ok());
        let Some(url) = target else {
            respond(&mut stream, 400, "Bad request.").await;
            continue;
        };
        if url.path() != path {
            respond(&mut stream, 404, "Not found.").await;
            continue;
        }
        let Some(callback) = Callback::from_url(&url) else {
            respond(&mut stream, 400, "This address expects the OAuth redirect.").await;
            continue;
        };
        let result = callback.check(state);
        let page = match &result {
            Ok(_) => (
                200,
                "Authorization complete. You can close this window and return to the application.",
            ),
            Err(Refused::State) => (
                400,
                "This authorization was refused: its state does not match the request. Start again.",
            ),
            Err(_) => (
                200,
                "Authorization was not granted. You can close this window.",
            ),
        };
        respond(&mut stream, page.0, page.1).await;
        return result.map_err(|r| r.into_error(who));
    }
}

/// Reads an HTTP request head (up to the blank line).
async fn read_head(stream: &mut TcpStream) -> std::io::Result<String> {
    let mut buf = Vec::with_capacity(1024);
    let mut chunk = [0u8; 1024];
    while !buf.windows(4).any(|w| w == b"\r\n\r\n") && buf.len() < MAX_HEAD {
        let n = stream.read(&mut chunk).await?;
        if n == 0 {
            break;
        }
        buf.extend_from_slice(&chunk[..n]);
    }
    Ok(String::from_utf8_lossy(&buf).into_owned())
}

/// A small HTML page; failures to answer the browser do not matter to the flow.
async fn respond(stream: &mut TcpStream, status: u16, text: &str) {
    let reason = match status {
        200 => "OK",
        404 => "Not Found",
        _ => "Bad Request",
    };
    let body = format!(
        "<!doctype html><html><head><meta charset=\"utf-8\"><title>Sign-in</title></head><body><p>{text}</p></body></html>"
    );
    let response = format!(
        "HTTP/1.1 {status} {reason}\r\nContent-Type: text/html; charset=utf-8\r\nContent-Length: {}\r\nConnection: close\r\nCache-Control: no-store\r\n\r\n{body}",
        body.len()
    );
    let _ = stream.write_all(response.as_bytes()).await;
    let _ = stream.shutdown().await;
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn pasted_redirects_are_checked_like_loopback_ones() {
        let ok = from_pasted(
            "  http://127.0.0.1:5555/?state=S1&code=C%2F1&scope=x \n",
            "S1",
            "w",
        );
        assert_eq!(ok.unwrap(), "C/1");
        assert_eq!(from_pasted("?code=C&state=S1", "S1", "w").unwrap(), "C");
        assert_eq!(from_pasted("code=C&state=S1", "S1", "w").unwrap(), "C");
        let e = from_pasted("http://127.0.0.1:5555/?state=S2&code=C", "S1", "w").unwrap_err();
        assert!(e.to_string().contains("state does not match"), "{e}");
        let e =
            from_pasted("http://127.0.0.1/?state=S1&error=access_denied", "S1", "w").unwrap_err();
        assert_eq!(
            e.to_string(),
            "authentication failed: w: consent was not given: access_denied"
        );
        let e = from_pasted("C0DE", "S1", "w").unwrap_err();
        assert!(e.to_string().contains("not the address"), "{e}");
    }

    #[test]
    fn web_clients_need_a_loopback_redirect_uri() {
        let json = r#"{"web":{"client_id":"w.apps","client_secret":"CS","redirect_uris":["https://example.com/cb"]}}"#;
        let flow = super::super::InstalledFlow::from_json(json).unwrap();
        let rt = tokio::runtime::Builder::new_current_thread()
            .enable_all()
            .build()
            .unwrap();
        let e = rt
            .block_on(loopback(&flow.client, &flow.client.who()))
            .unwrap_err()
            .to_string();
        assert!(
            e.contains("OAuth client w.apps (\"web\"): none of the web client's redirect_uris"),
            "{e}"
        );
        assert!(!e.contains("CS"));
    }
}
