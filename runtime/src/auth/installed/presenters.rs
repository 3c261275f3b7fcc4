//! Who shows the consent URL to the user: the [`ConsentPresenter`] trait, and the two
//! presenters the crate offers ([`OpenBrowser`], [`PasteRedirect`]).

use std::fmt;
use std::future::Future;
use std::pin::Pin;

use crate::error::BoxError;

/// What a [`ConsentPresenter`] shows the user.
#[derive(Debug, Clone)]
pub struct ConsentRequest {
    pub(super) url: String,
    pub(super) redirect_uri: String,
}

impl ConsentRequest {
    /// The consent page to open in a browser.
    pub fn url(&self) -> &str {
        &self.url
    }

    /// Where the browser is sent after consent (`http://127.0.0.1:PORT/`); the
    /// address it ends on starts with this.
    pub fn redirect_uri(&self) -> &str {
        &self.redirect_uri
    }
}

/// The future a [`ConsentPresenter`] returns: the final redirect URL when the presenter
/// got it itself (pasted by the user), or `None` to wait for the browser to reach the
/// loopback address.
pub type PresentFuture<'a> =
    Pin<Box<dyn Future<Output = std::result::Result<Option<String>, BoxError>> + Send + 'a>>;

/// Shows the consent URL to the user: opens a browser, prints it, sends it to a chat,
/// or (in tests) plays the browser.
///
/// The flow waits for whichever comes first: the browser reaching the loopback
/// redirect, or the presenter's future resolving to `Some(final_url)`; a future that
/// resolves to `None` leaves the loopback redirect as the only way.
pub trait ConsentPresenter: Send + Sync + fmt::Debug {
    /// Shows `consent` to the user.
    fn present<'a>(&'a self, consent: &'a ConsentRequest) -> PresentFuture<'a>;
}

/// The default presenter: prints the consent URL on stderr and opens it in the default
/// browser (`xdg-open`, `open`, or the Windows URL handler) when one can be started;
/// then waits for the loopback redirect.
#[derive(Debug, Clone, Copy, Default)]
pub struct OpenBrowser;

impl ConsentPresenter for OpenBrowser {
    fn present<'a>(&'a self, consent: &'a ConsentRequest) -> PresentFuture<'a> {
        eprintln!(
            "To authorize this application, open this address in a browser:\n\n    {}\n",
            consent.url
        );
        if open_browser(&consent.url) {
            eprintln!("(a browser window should have opened; waiting for the redirect)");
        }
        Box::pin(async { Ok(None) })
    }
}

/// For machines without a browser: prints the consent URL on stderr and reads the
/// address the browser ended on from stdin. Open the URL on any machine; after
/// consent the browser goes to `http://127.0.0.1:PORT/?code=...`, a page that does not
/// load there; copy that whole address and paste it. The loopback redirect still works
/// when the browser runs on this machine (the stdin reader then stays blocked until
/// the next line or the end of input).
#[derive(Debug, Clone, Copy, Default)]
pub struct PasteRedirect;

impl ConsentPresenter for PasteRedirect {
    fn present<'a>(&'a self, consent: &'a ConsentRequest) -> PresentFuture<'a> {
        eprintln!(
            "To authorize this application, open this address in a browser (on any machine):\n\n    {}\n\n\
             After you allow access the browser goes to {}... If that page does not load,\n\
             copy the whole address from the browser's address bar, paste it here and press Enter:",
            consent.url, consent.redirect_uri
        );
        let (tx, rx) = tokio::sync::oneshot::channel();
        std::thread::spawn(move || {
            let mut line = String::new();
            let read = std::io::stdin().read_line(&mut line);
            let _ = tx.send(read.map(|_| line));
        });
        Box::pin(async move {
            match rx.await {
                Ok(Ok(line)) if !line.trim().is_empty() => Ok(Some(line.trim().to_owned())),
                // End of input: only the loopback redirect is left.
                Ok(Ok(_)) | Err(_) => Ok(None),
                Ok(Err(e)) => Err(Box::new(e) as BoxError),
            }
        })
    }
}

/// Starts the system's URL handler; false when there is none.
fn open_browser(url: &str) -> bool {
    use std::process::{Command, Stdio};
    let mut command = if cfg!(target_os = "macos") {
        Command::new("open")
    } else if cfg!(windows) {
        // Not `cmd /c start`: cmd would read the `&`s of the URL as command separators.
        let mut c = Command::new("rundll32");
        c.arg("url.dll,FileProtocolHandler");
        c
    } else {
        if std::env::var_os("DISPLAY").is_none() && std::env::var_os("WAYLAND_DISPLAY").is_none() {
            return false;
        }
        Command::new("xdg-open")
    };
    let child = command
        .arg(url)
        .stdin(Stdio::null())
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .spawn();
    match child {
        Ok(mut child) => {
            // Reap it without blocking the flow.
            std::thread::spawn(move || child.wait());
            true
        }
        Err(_) => false,
    }
}
