//! `cargo xtask fetch` end to end: the real binary against an HTTP server on 127.0.0.1
//! that this test starts.
//!
//! The server is a few dozen lines over `std::net::TcpListener` rather than a crate:
//! the tests need odd behaviour (stalling, scripted failures, echoing the key back), which
//! is easier to write directly than to bend a server library into, and it costs no build
//! time. It answers one request per connection (`Connection: close`).

use std::io::{Read as _, Write as _};
use std::net::{SocketAddr, TcpListener, TcpStream};
use std::path::{Path, PathBuf};
use std::process::{Command, Output};
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

/// A fake API key: it must reach the server and nothing else.
const CANARY: &str = "AIzaCANARY-0123456789_secret";

/// What the server answers.
struct Reply {
    status: u16,
    headers: Vec<(&'static str, String)>,
    body: Vec<u8>,
    delay: Duration,
}

impl Reply {
    fn new(status: u16, body: impl Into<Vec<u8>>) -> Self {
        Reply {
            status,
            headers: vec![("Content-Type", "application/json".to_owned())],
            body: body.into(),
            delay: Duration::ZERO,
        }
    }

    fn header(mut self, name: &'static str, value: impl Into<String>) -> Self {
        self.headers.push((name, value.into()));
        self
    }
}

/// The request target and its 0-based number, to a reply.
type Handler = dyn Fn(&str, usize) -> Reply + Send + Sync;

/// A running test server.
struct Server {
    addr: SocketAddr,
    /// Request targets (path and query), in arrival order.
    requests: Arc<Mutex<Vec<String>>>,
}

impl Server {
    fn start(handler: impl Fn(&str, usize) -> Reply + Send + Sync + 'static) -> Server {
        let listener = TcpListener::bind("127.0.0.1:0").unwrap();
        let addr = listener.local_addr().unwrap();
        let requests = Arc::new(Mutex::new(Vec::new()));
        let handler: Arc<Handler> = Arc::new(handler);
        let count = Arc::new(AtomicUsize::new(0));
        let log = Arc::clone(&requests);
        std::thread::spawn(move || {
            for stream in listener.incoming() {
                let Ok(stream) = stream else { continue };
                let (handler, log, count) =
                    (Arc::clone(&handler), Arc::clone(&log), Arc::clone(&count));
                std::thread::spawn(move || serve_one(stream, &*handler, &log, &count));
            }
        });
        Server { addr, requests }
    }

    fn url(&self) -> String {
        format!("http://{}/", self.addr)
    }

    fn requests(&self) -> Vec<String> {
        self.requests.lock().unwrap().clone()
    }
}

fn serve_one(
    mut stream: TcpStream,
    handler: &Handler,
    log: &Mutex<Vec<String>>,
    count: &AtomicUsize,
) {
    stream
        .set_read_timeout(Some(Duration::from_secs(5)))
        .unwrap();
    let mut head = Vec::new();
    let mut buf = [0u8; 1024];
    while !head.windows(4).any(|w| w == b"\r\n\r\n") {
        match stream.read(&mut buf) {
            Ok(0) | Err(_) => return,
            Ok(n) => head.extend_from_slice(&buf[..n]),
        }
    }
    let head = String::from_utf8_lossy(&head);
    let target = head.split(' ').nth(1).unwrap_or_default().to_owned();
    log.lock().unwrap().push(target.clone());
    let reply = handler(&target, count.fetch_add(1, Ordering::SeqCst));
    std::thread::sleep(reply.delay);
    let mut out = format!(
        "HTTP/1.1 {} X\r\nContent-Length: {}\r\nConnection: close\r\n",
        reply.status,
        reply.body.len()
    );
    for (name, value) in &reply.headers {
        out.push_str(&format!("{name}: {value}\r\n"));
    }
    out.push_str("\r\n");
    // The client may have given up (timeout tests): write errors are expected then.
    let _ = stream.write_all(out.as_bytes());
    let _ = stream.write_all(&reply.body);
}

/// The stable and preview documents to serve: the real ones (committed in
/// `testdata/discovery/`).
fn documents() -> (Vec<u8>, Vec<u8>, &'static str) {
    let dir = discovery::testing::real_documents_dir();
    let stable = std::fs::read(dir.join("chat/chat.v1.20260405.json")).unwrap();
    let preview = std::fs::read(dir.join("chat/chat.v1.preview.20260405.json")).unwrap();
    (stable, preview, "20260405")
}

/// Serves the stable document, or the preview one when the request asks for it.
fn serve_documents(stable: Vec<u8>, preview: Vec<u8>) -> impl Fn(&str, usize) -> Reply {
    move |target, _| {
        if target.contains("labels=DEVELOPER_PREVIEW") {
            Reply::new(200, preview.clone())
        } else {
            Reply::new(200, stable.clone())
        }
    }
}

fn google_error(code: u16, status: &str, reason: &str, message: &str) -> Vec<u8> {
    format!(
        r#"{{"error": {{"code": {code}, "message": "{message}", "status": "{status}",
        "details": [{{"@type": "type.googleapis.com/google.rpc.ErrorInfo",
        "reason": "{reason}", "domain": "googleapis.com"}}]}}}}"#
    )
    .into_bytes()
}

/// A fresh output folder for `test`.
fn out_dir(test: &str) -> PathBuf {
    let dir = Path::new(env!("CARGO_TARGET_TMPDIR")).join(format!("fetch-{test}"));
    let _ = std::fs::remove_dir_all(&dir);
    dir
}

/// How to pass the key.
enum Key<'a> {
    None,
    Env(&'a str),
    File(&'a Path),
}

struct Run {
    output: Output,
    stdout: String,
    stderr: String,
    elapsed: Duration,
}

/// Runs `xtask fetch` with quick timeouts and backoffs, plus `extra` flags.
fn fetch(root: &str, out: &Path, key: Key<'_>, extra: &[&str]) -> Run {
    let mut command = Command::new(env!("CARGO_BIN_EXE_xtask"));
    command
        .args(["fetch", "--root-url", root, "--out"])
        .arg(out)
        .args(["--connect-timeout", "2s", "--timeout", "10s"])
        .args(["--backoff", "1ms", "--max-backoff", "20ms"])
        .args(extra)
        .env_remove("GOOGLE_API_KEY");
    match key {
        Key::None => {}
        Key::Env(value) => {
            command.env("GOOGLE_API_KEY", value);
        }
        Key::File(path) => {
            command.arg("--api-key-file").arg(path);
        }
    }
    let started = Instant::now();
    let output = command.output().unwrap();
    let elapsed = started.elapsed();
    Run {
        stdout: String::from_utf8_lossy(&output.stdout).into_owned(),
        stderr: String::from_utf8_lossy(&output.stderr).into_owned(),
        output,
        elapsed,
    }
}

impl Run {
    fn assert_success(&self) {
        assert!(
            self.output.status.success(),
            "stdout:\n{}\nstderr:\n{}",
            self.stdout,
            self.stderr
        );
    }

    fn assert_failure(&self) {
        assert!(
            !self.output.status.success(),
            "expected failure\nstdout:\n{}",
            self.stdout
        );
        let last = self.stderr.lines().find(|l| l.starts_with("error: "));
        assert!(last.is_some(), "no `error: ` line in: {}", self.stderr);
    }

    /// The key appears in no output.
    fn assert_no_canary(&self) {
        assert!(
            !self.stdout.contains(CANARY),
            "key in stdout: {}",
            self.stdout
        );
        assert!(
            !self.stderr.contains(CANARY),
            "key in stderr: {}",
            self.stderr
        );
    }
}

fn files_in(dir: &Path) -> Vec<String> {
    let mut names: Vec<String> = match std::fs::read_dir(dir) {
        Ok(entries) => entries
            .map(|e| e.unwrap().file_name().into_string().unwrap())
            .collect(),
        Err(_) => Vec::new(),
    };
    names.sort();
    names
}

fn assert_no_canary_in_files(dir: &Path) {
    for name in files_in(dir) {
        let bytes = std::fs::read(dir.join(&name)).unwrap();
        assert!(
            !String::from_utf8_lossy(&bytes).contains(CANARY),
            "key written to {name}"
        );
    }
}

#[test]
fn fetches_both_documents_then_reports_unchanged() {
    let (stable, preview, revision) = documents();
    let server = Server::start(serve_documents(stable.clone(), preview.clone()));
    let out = out_dir("both");
    let run = fetch(&server.url(), &out, Key::Env(CANARY), &[]);
    run.assert_success();
    run.assert_no_canary();

    let stable_name = format!("chat.v1.{revision}.json");
    let preview_name = format!("chat.v1.preview.{revision}.json");
    assert_eq!(
        files_in(&out),
        vec![stable_name.clone(), preview_name.clone()]
    );
    assert_eq!(std::fs::read(out.join(&stable_name)).unwrap(), stable);
    assert_eq!(std::fs::read(out.join(&preview_name)).unwrap(), preview);
    assert_no_canary_in_files(&out);
    assert!(
        run.stdout.contains(&format!(
            "stable: chat:v1 revision {revision} -> {} (new)",
            out.join(&stable_name).display()
        )),
        "{}",
        run.stdout
    );
    assert!(
        run.stdout.contains(&format!(
            "preview: chat:v1 revision {revision} -> {} (new)",
            out.join(&preview_name).display()
        )),
        "{}",
        run.stdout
    );
    assert!(
        run.stdout.contains("API key from GOOGLE_API_KEY"),
        "{}",
        run.stdout
    );

    // The key went to the server in the preview query, and only there.
    let requests = server.requests();
    assert_eq!(requests.len(), 2, "{requests:?}");
    assert_eq!(requests[0], "/$discovery/rest?version=v1");
    assert_eq!(
        requests[1],
        format!("/$discovery/rest?version=v1&labels=DEVELOPER_PREVIEW&key={CANARY}")
    );

    let again = fetch(&server.url(), &out, Key::Env(CANARY), &[]);
    again.assert_success();
    again.assert_no_canary();
    assert_eq!(
        again.stdout.matches("(unchanged)").count(),
        2,
        "{}",
        again.stdout
    );
    assert_eq!(files_in(&out).len(), 2);
}

#[test]
fn notes_a_new_revision() {
    let (stable, preview, revision) = documents();
    let server = Server::start(serve_documents(stable, preview));
    let out = out_dir("new-revision");
    std::fs::create_dir_all(&out).unwrap();
    std::fs::write(out.join("chat.v1.20200101.json"), b"{}").unwrap();
    std::fs::write(out.join("chat.v1.20210314.json"), b"{}").unwrap();
    let run = fetch(&server.url(), &out, Key::None, &[]);
    run.assert_success();
    assert!(
        run.stdout.contains(&format!(
            "revision {revision} -> {} (new revision; previous 20210314)",
            out.join(format!("chat.v1.{revision}.json")).display()
        )),
        "{}",
        run.stdout
    );
}

#[test]
fn without_a_key_the_preview_is_skipped_plainly() {
    let (stable, preview, revision) = documents();
    let server = Server::start(serve_documents(stable, preview));
    let out = out_dir("no-key");
    let run = fetch(&server.url(), &out, Key::None, &[]);
    run.assert_success();
    assert!(
        run.stdout.contains("preview: skipped: no API key"),
        "{}",
        run.stdout
    );
    assert!(run.stdout.contains("GOOGLE_API_KEY"), "{}", run.stdout);
    assert!(run.stdout.contains("--api-key-file PATH"), "{}", run.stdout);
    assert_eq!(files_in(&out), vec![format!("chat.v1.{revision}.json")]);
    assert_eq!(server.requests().len(), 1);
}

#[test]
fn key_file_is_trimmed_and_used() {
    let (stable, preview, _) = documents();
    let server = Server::start(serve_documents(stable, preview));
    let out = out_dir("key-file");
    let key_dir = out_dir("key-file-secret");
    std::fs::create_dir_all(&key_dir).unwrap();
    let key_file = key_dir.join("key.txt");
    std::fs::write(&key_file, format!("  {CANARY}\n\n")).unwrap();
    let run = fetch(&server.url(), &out, Key::File(&key_file), &[]);
    run.assert_success();
    run.assert_no_canary();
    assert_no_canary_in_files(&out);
    assert!(
        server.requests()[1].ends_with(&format!("&key={CANARY}")),
        "{:?}",
        server.requests()
    );
    assert!(
        run.stdout.contains("API key from --api-key-file"),
        "{}",
        run.stdout
    );
}

#[test]
fn preview_403_names_the_cause_and_hides_the_key() {
    let (stable, _, revision) = documents();
    let server = Server::start(move |target, _| {
        if target.contains("labels=") {
            // A server that echoes the key must not make us print it.
            let message = format!("The caller does not have permission (key {CANARY})");
            Reply::new(403, google_error(403, "PERMISSION_DENIED", "", &message))
        } else {
            Reply::new(200, stable.clone())
        }
    });
    let out = out_dir("preview-403");
    let run = fetch(&server.url(), &out, Key::Env(CANARY), &[]);
    run.assert_failure();
    run.assert_no_canary();
    assert!(run.stderr.contains("HTTP 403"), "{}", run.stderr);
    assert!(run.stderr.contains("PERMISSION_DENIED"), "{}", run.stderr);
    assert!(
        run.stderr
            .contains("not enrolled in the Google Workspace Developer Preview Program"),
        "{}",
        run.stderr
    );
    assert!(run.stderr.contains("key=***"), "{}", run.stderr);
    // The stable document was fetched and written before the preview failed.
    assert_eq!(files_in(&out), vec![format!("chat.v1.{revision}.json")]);
    assert_no_canary_in_files(&out);
    assert_eq!(server.requests().len(), 2, "a 403 is not retried");
}

#[test]
fn api_not_enabled_and_restricted_key_are_told_apart() {
    for (reason, expected) in [
        ("SERVICE_DISABLED", "not enabled for the API key's project"),
        (
            "API_KEY_SERVICE_BLOCKED",
            "not allowed to make this request",
        ),
    ] {
        let server = Server::start(move |_, _| {
            Reply::new(
                403,
                google_error(403, "PERMISSION_DENIED", reason, "denied"),
            )
        });
        let out = out_dir(&format!("403-{reason}"));
        let run = fetch(&server.url(), &out, Key::Env(CANARY), &[]);
        run.assert_failure();
        run.assert_no_canary();
        assert!(run.stderr.contains(expected), "{reason}: {}", run.stderr);
        assert!(run.stderr.contains(reason), "{}", run.stderr);
        assert!(files_in(&out).is_empty());
    }
}

#[test]
fn invalid_key_400() {
    let (stable, _, _) = documents();
    let server = Server::start(move |target, _| {
        if target.contains("key=") {
            Reply::new(
                400,
                google_error(
                    400,
                    "INVALID_ARGUMENT",
                    "API_KEY_INVALID",
                    "API key not valid. Please pass a valid API key.",
                ),
            )
        } else {
            Reply::new(200, stable.clone())
        }
    });
    let out = out_dir("invalid-key");
    let run = fetch(&server.url(), &out, Key::Env(CANARY), &[]);
    run.assert_failure();
    run.assert_no_canary();
    assert!(run.stderr.contains("HTTP 400"), "{}", run.stderr);
    assert!(
        run.stderr.contains("the API key is not valid"),
        "{}",
        run.stderr
    );
    assert!(run.stderr.contains("API_KEY_INVALID"), "{}", run.stderr);
}

#[test]
fn not_found_404() {
    let server = Server::start(|_, _| {
        Reply::new(404, "<html>Not Found</html>").header("X-Note", "html body")
    });
    let out = out_dir("404");
    let run = fetch(&server.url(), &out, Key::None, &[]);
    run.assert_failure();
    assert!(run.stderr.contains("HTTP 404"), "{}", run.stderr);
    assert!(
        run.stderr
            .contains("no Discovery document here: check --root-url"),
        "{}",
        run.stderr
    );
    assert!(
        run.stderr.contains("<html>Not Found</html>"),
        "{}",
        run.stderr
    );
    assert_eq!(server.requests().len(), 1, "a 404 is not retried");
    assert!(files_in(&out).is_empty());
}

#[test]
fn retries_503_then_succeeds() {
    let (stable, _, revision) = documents();
    let server = Server::start(move |_, n| {
        if n < 2 {
            let message = format!("backend unavailable for key {CANARY}");
            Reply::new(503, google_error(503, "UNAVAILABLE", "", &message))
        } else {
            Reply::new(200, stable.clone())
        }
    });
    let out = out_dir("retry-503");
    let run = fetch(&server.url(), &out, Key::Env(CANARY), &[]);
    run.assert_success();
    // The retry notices quote the server's message, scrubbed of the echoed key.
    run.assert_no_canary();
    assert!(
        run.stderr.contains("backend unavailable for key ***"),
        "{}",
        run.stderr
    );
    // Two failures, the stable document, then the preview request (served the same
    // bytes here, which fetch points out).
    assert_eq!(server.requests().len(), 4);
    assert_eq!(run.stderr.matches("HTTP 503").count(), 2, "{}", run.stderr);
    assert!(run.stderr.contains("retrying in"), "{}", run.stderr);
    assert_eq!(
        files_in(&out),
        vec![
            format!("chat.v1.{revision}.json"),
            format!("chat.v1.preview.{revision}.json")
        ]
    );
    assert!(
        run.stdout.contains("identical to the stable one"),
        "{}",
        run.stdout
    );
}

#[test]
fn gives_up_after_the_allowed_retries() {
    let server = Server::start(|_, _| Reply::new(500, "oops"));
    let out = out_dir("retry-exhausted");
    let run = fetch(&server.url(), &out, Key::None, &["--retries", "2"]);
    run.assert_failure();
    assert_eq!(server.requests().len(), 3);
    assert!(
        run.stderr.contains("HTTP 500: server error"),
        "{}",
        run.stderr
    );
    assert!(run.stderr.contains("(after 3 attempts)"), "{}", run.stderr);
}

#[test]
fn honours_retry_after() {
    let (stable, _, _) = documents();
    let server = Server::start(move |_, n| {
        if n == 0 {
            Reply::new(
                429,
                google_error(429, "RESOURCE_EXHAUSTED", "", "slow down"),
            )
            .header("Retry-After", "1")
        } else {
            Reply::new(200, stable.clone())
        }
    });
    let out = out_dir("retry-after");
    let run = fetch(&server.url(), &out, Key::None, &["--max-backoff", "5s"]);
    run.assert_success();
    assert_eq!(server.requests().len(), 2);
    assert!(run.elapsed >= Duration::from_secs(1), "{:?}", run.elapsed);
    assert!(run.stderr.contains("retrying in 1000 ms"), "{}", run.stderr);

    // A Retry-After beyond --max-backoff is not waited for.
    let server = Server::start(|_, _| Reply::new(429, "").header("Retry-After", "3600"));
    let run = fetch(&server.url(), &out_dir("retry-after-long"), Key::None, &[]);
    run.assert_failure();
    assert!(run.stderr.contains("retry after 3600 s"), "{}", run.stderr);
    assert!(run.elapsed < Duration::from_secs(5), "{:?}", run.elapsed);
}

#[test]
fn slow_server_times_out() {
    let server = Server::start(|_, _| {
        let mut reply = Reply::new(200, "{}");
        reply.delay = Duration::from_secs(3);
        reply
    });
    let out = out_dir("slow");
    let run = fetch(
        &server.url(),
        &out,
        Key::None,
        &["--timeout", "200ms", "--retries", "1"],
    );
    run.assert_failure();
    assert!(
        run.stderr.contains("no response within --timeout 0.2 s"),
        "{}",
        run.stderr
    );
    assert!(run.stderr.contains("(after 2 attempts)"), "{}", run.stderr);
    assert!(run.elapsed < Duration::from_secs(3), "{:?}", run.elapsed);
    assert!(files_in(&out).is_empty());
}

#[test]
fn json_that_is_not_a_discovery_document() {
    let server = Server::start(|_, _| {
        Reply::new(200, r#"{"kind": "discovery#directoryList", "items": []}"#)
    });
    let out = out_dir("not-discovery");
    let run = fetch(&server.url(), &out, Key::None, &[]);
    run.assert_failure();
    assert!(
        run.stderr.contains("not a valid Discovery document"),
        "{}",
        run.stderr
    );
    assert!(
        run.stderr
            .contains(": kind: is \"discovery#directoryList\""),
        "{}",
        run.stderr
    );
    assert!(files_in(&out).is_empty(), "nothing is written");
}

#[test]
fn body_that_is_not_json() {
    let server = Server::start(|_, _| {
        Reply::new(200, "<!DOCTYPE html><p>captive portal</p>").header("X-Kind", "html")
    });
    let out = out_dir("not-json");
    let run = fetch(&server.url(), &out, Key::None, &[]);
    run.assert_failure();
    assert!(run.stderr.contains("not JSON"), "{}", run.stderr);
    assert!(
        run.stderr.contains("$discovery/rest?version=v1"),
        "{}",
        run.stderr
    );
    assert!(files_in(&out).is_empty());
}

#[test]
fn redirects_are_not_followed() {
    let server = Server::start(|_, _| {
        Reply::new(302, "").header("Location", "http://elsewhere.invalid/doc")
    });
    let run = fetch(&server.url(), &out_dir("redirect"), Key::Env(CANARY), &[]);
    run.assert_failure();
    run.assert_no_canary();
    assert!(
        run.stderr
            .contains("unexpected redirect to http://elsewhere.invalid/doc"),
        "{}",
        run.stderr
    );
    assert_eq!(server.requests().len(), 1);
}

#[test]
fn connection_refused_fails_fast_with_the_local_files_hint() {
    // A port that was just free: nobody listens there.
    let port = TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap()
        .port();
    let out = out_dir("refused");
    let root = format!("http://127.0.0.1:{port}/");
    // Even with many retries allowed, a refused connection is retried once at most.
    let run = fetch(
        &root,
        &out,
        Key::Env(CANARY),
        &["--retries", "10", "--backoff", "50ms"],
    );
    run.assert_failure();
    run.assert_no_canary();
    assert!(
        run.stderr
            .contains(&format!("cannot reach 127.0.0.1:{port} (after 2 attempts)")),
        "{}",
        run.stderr
    );
    assert!(
        run.stderr.contains("cargo xtask regen --stable FILE"),
        "{}",
        run.stderr
    );
    assert!(run.elapsed < Duration::from_secs(3), "{:?}", run.elapsed);
    assert!(files_in(&out).is_empty());
}

#[test]
fn bad_flags_and_key_files_are_reported() {
    let out = out_dir("bad-flags");
    let run = fetch("not a url", &out, Key::None, &[]);
    run.assert_failure();
    assert!(
        run.stderr.contains("--root-url \"not a url\""),
        "{}",
        run.stderr
    );

    let missing = out.join("no-such-key-file");
    let run = fetch("http://127.0.0.1:9/", &out, Key::File(&missing), &[]);
    run.assert_failure();
    assert!(
        run.stderr.contains("cannot read the API key file"),
        "{}",
        run.stderr
    );

    let run = fetch(
        "http://127.0.0.1:9/",
        &out,
        Key::None,
        &["--timeout", "soon"],
    );
    assert!(!run.output.status.success());
    assert!(run.stderr.contains("not a duration"), "{}", run.stderr);
}
