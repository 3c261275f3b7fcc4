//! The README's "Test against a fake Chat" snippet is this file's test, verbatim (the
//! second test checks that the README still holds it).

// README:start
use chat_api::models::Message;
use chat_api_fake::{FakeChat, Fault};

#[tokio::test]
async fn my_app_posts_a_status() -> Result<(), Box<dyn std::error::Error>> {
    let fake = FakeChat::start().await?;
    let space = fake.add_space("AAAA", "Team")?;
    fake.add_app_to_space(&space)?;
    fake.fail_next("spaces.messages.create", 1, Fault::unavailable());

    // Or any client built with .base_url(fake.url()) and fake.service_account_json().
    let app = fake.app_client()?;
    app.spaces()
        .messages()
        .create(&space, Message::new().set_text("Deployed"))
        .request_id("deploy-42") // makes the retry after the 503 safe
        .send()
        .await?;

    assert_eq!(fake.messages(&space)?[0].text(), "Deployed");
    Ok(())
}
// README:end

#[test]
fn the_readme_shows_this_snippet() {
    let this = include_str!("readme.rs");
    let start = this.find("// README:start\n").unwrap() + "// README:start\n".len();
    let end = this.find("// README:end").unwrap();
    let snippet = &this[start..end];
    let readme = include_str!("../../README.md");
    assert!(
        readme.contains(&format!("```rust,ignore\n{snippet}```")),
        "README.md must show tests/readme.rs's snippet verbatim"
    );
}
