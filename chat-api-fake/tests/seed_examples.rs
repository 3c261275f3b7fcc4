//! The guides' flows, as chat-api's own examples, run as processes against the fake:
//! `post_message` ("Authenticate as a Chat app"), `card_message` and the interactive
//! `card_message_user` ("Create and update interactive cards", consent included).
//! The examples are built with the workspace's cargo into the workspace's target
//! directory first (once per test binary).

mod common;

use std::io::{BufRead as _, BufReader, Write as _};
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::sync::OnceLock;

/// Builds chat-api's three seed examples; their directory.
fn examples_dir() -> &'static Path {
    static DIR: OnceLock<PathBuf> = OnceLock::new();
    DIR.get_or_init(|| {
        let root = Path::new(env!("CARGO_MANIFEST_DIR"))
            .parent()
            .unwrap()
            .to_owned();
        let status = Command::new(env!("CARGO"))
            .current_dir(&root)
            .args([
                "build",
                "-q",
                "-p",
                "chat-api",
                "--example",
                "post_message",
                "--example",
                "card_message",
                "--example",
                "card_message_user",
            ])
            .status()
            .unwrap();
        assert!(status.success(), "building the examples failed");
        let target =
            std::env::var_os("CARGO_TARGET_DIR").map_or_else(|| root.join("target"), PathBuf::from);
        target.join("debug").join("examples")
    })
}

fn scratch(name: &str) -> PathBuf {
    let dir = std::env::temp_dir().join(format!("fake-chat-seed-{name}-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    dir
}

fn example(name: &str, base_url: &str, home: &Path) -> Command {
    let mut command = Command::new(examples_dir().join(name));
    command
        .env("CHAT_API_BASE_URL", base_url)
        .env("HOME", home)
        .env("XDG_CACHE_HOME", home.join("cache"))
        .env_remove("CHAT_API_KEY");
    command
}

#[tokio::test(flavor = "multi_thread")]
async fn post_message_as_the_app() {
    let (fake, space) = common::team().await;
    let dir = scratch("post");
    let key = dir.join("service_account.json");
    std::fs::write(&key, fake.service_account_json()).unwrap();
    let out = tokio::task::spawn_blocking({
        let mut c = example("post_message", fake.url(), &dir);
        c.arg(&key).arg(&space);
        move || c.output().unwrap()
    })
    .await
    .unwrap();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let stored = fake.messages(&space).unwrap();
    assert_eq!(
        String::from_utf8_lossy(&out.stdout).trim(),
        format!("created {}", stored[0].name())
    );
    assert_eq!(
        (stored[0].text(), stored[0].sender.as_ref().unwrap().name()),
        ("Test message", "users/app")
    );
    // Outside the space the example prints Google's refusal with the hint.
    let other = fake.add_space("BBBB", "No app").unwrap();
    let out = example("post_message", fake.url(), &dir)
        .arg(&key)
        .arg(&other)
        .output()
        .unwrap();
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(!out.status.success());
    assert!(
        stderr.contains("403 PERMISSION_DENIED: You are not permitted to use this app"),
        "{stderr}"
    );
    let _ = std::fs::remove_dir_all(dir);
}

#[tokio::test(flavor = "multi_thread")]
async fn card_message_by_the_user_then_cards_replaced_by_the_app() {
    let (fake, space) = common::team().await;
    let dir = scratch("cards");
    let user = dir.join("credentials.json");
    let key = dir.join("service_account.json");
    std::fs::write(&user, fake.authorized_user_json("alice").unwrap()).unwrap();
    std::fs::write(&key, fake.service_account_json()).unwrap();
    let out = tokio::task::spawn_blocking({
        let mut c = example("card_message", fake.url(), &dir);
        c.arg(&user).arg(&key).arg(&space);
        move || c.output().unwrap()
    })
    .await
    .unwrap();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let stored = fake.messages(&space).unwrap();
    assert_eq!(stored.len(), 1);
    assert_eq!(stored[0].sender.as_ref().unwrap().name(), "users/alice");
    let header = stored[0].cards_v2[0]
        .card
        .as_ref()
        .unwrap()
        .header
        .as_ref()
        .unwrap();
    assert_eq!(header.title(), "Updated Card Title");
    let _ = std::fs::remove_dir_all(dir);
}

#[tokio::test(flavor = "multi_thread")]
async fn interactive_card_message_user_consents_through_the_fake() {
    let (fake, space) = common::team().await;
    let dir = scratch("installed");
    let client_file = dir.join("client.json");
    std::fs::write(&client_file, fake.oauth_client_json("alice").unwrap()).unwrap();
    let mut child = example("card_message_user", fake.url(), &dir)
        .arg(&client_file)
        .arg(&space)
        .arg("--paste")
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    // Read stderr until the consent URL, as a user would, and keep draining it.
    let stderr = child.stderr.take().unwrap();
    let (url_tx, url_rx) = std::sync::mpsc::channel();
    let drain = std::thread::spawn(move || {
        let mut all = String::new();
        for line in BufReader::new(stderr).lines() {
            let line = line.unwrap();
            if line.trim().starts_with("http://") {
                let _ = url_tx.send(line.trim().to_owned());
            }
            all.push_str(&line);
            all.push('\n');
        }
        all
    });
    let consent = tokio::task::spawn_blocking(move || url_rx.recv().unwrap())
        .await
        .unwrap();
    // Play the browser: the fake consents at once and redirects.
    let http = reqwest::Client::builder()
        .redirect(reqwest::redirect::Policy::none())
        .build()
        .unwrap();
    let answer = http.get(&consent).send().await.unwrap();
    let redirect = answer.headers()["location"].to_str().unwrap().to_owned();
    writeln!(child.stdin.take().unwrap(), "{redirect}").unwrap();
    let out = tokio::task::spawn_blocking(move || child.wait_with_output().unwrap())
        .await
        .unwrap();
    let errors = drain.join().unwrap();
    assert!(out.status.success(), "{errors}");
    let stored = fake.messages(&space).unwrap();
    assert_eq!(
        String::from_utf8_lossy(&out.stdout).trim(),
        format!("created {}", stored[0].name())
    );
    assert_eq!(stored[0].sender.as_ref().unwrap().name(), "users/alice");
    assert_eq!(stored[0].cards_v2[0].card_id(), "unique-card-id");
    let _ = std::fs::remove_dir_all(dir);
}
