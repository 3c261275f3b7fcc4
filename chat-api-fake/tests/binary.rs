//! The `fake-chat` binary: serves on the address asked, prints its URL and tokens, and
//! writes credential files that the real flows accept.

use std::io::{BufRead as _, BufReader};
use std::process::{Command, Stdio};

use chat_api::models::Message;
use chat_api::{Client, Credentials};

#[tokio::test(flavor = "multi_thread")]
async fn serves_what_it_prints() {
    let dir = std::env::temp_dir().join(format!("fake-chat-bin-{}", std::process::id()));
    let mut child = Command::new(env!("CARGO_BIN_EXE_fake-chat"))
        .args([
            "--addr",
            "127.0.0.1:0",
            "--space",
            "AAAA=Team",
            "--user",
            "alice",
            "--credentials-dir",
        ])
        .arg(&dir)
        .stdout(Stdio::piped())
        .spawn()
        .unwrap();
    let stdout = child.stdout.take().unwrap();
    let lines: Vec<String> = tokio::task::spawn_blocking(move || {
        BufReader::new(stdout)
            .lines()
            .map(Result::unwrap)
            .take_while(|l| !l.starts_with("credentials_dir="))
            .collect()
    })
    .await
    .unwrap();
    let value = |key: &str| {
        lines
            .iter()
            .find_map(|l| l.strip_prefix(&format!("{key}=")))
            .unwrap()
            .to_owned()
    };
    let url = value("url");
    assert!(url.starts_with("http://127.0.0.1:"), "{url}");

    let app = Client::builder()
        .base_url(&url)
        .credentials(Credentials::bearer_token(value("app_token")))
        .build()
        .unwrap();
    app.spaces()
        .messages()
        .create("spaces/AAAA", Message::new().set_text("from the app"))
        .send()
        .await
        .unwrap();
    let key = Credentials::service_account_file(dir.join("service_account.json")).unwrap();
    let sa = Client::builder()
        .base_url(&url)
        .credentials(key)
        .build()
        .unwrap();
    sa.spaces()
        .messages()
        .create("spaces/AAAA", Message::new().set_text("via the key file"))
        .send()
        .await
        .unwrap();
    let alice = Credentials::authorized_user_file(dir.join("user-alice.json")).unwrap();
    let alice = Client::builder()
        .base_url(&url)
        .credentials(alice)
        .build()
        .unwrap();
    let listed = alice
        .spaces()
        .messages()
        .list("spaces/AAAA")
        .send()
        .await
        .unwrap();
    assert_eq!(
        listed.messages.iter().map(|m| m.text()).collect::<Vec<_>>(),
        ["from the app", "via the key file"]
    );

    child.kill().unwrap();
    child.wait().unwrap();
    let _ = std::fs::remove_dir_all(dir);
}
