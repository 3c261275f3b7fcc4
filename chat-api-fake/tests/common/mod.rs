//! Shared setup of the fake's tests: a fake with an app, two users and a space.

#![allow(dead_code, reason = "each test binary uses a different subset")]

use chat_api_fake::FakeChat;

/// A fake with `spaces/AAAA` ("Team") holding the app, alice and bob; carol exists but
/// is in no space.
pub async fn team() -> (FakeChat, String) {
    let fake = FakeChat::start().await.unwrap();
    let space = fake.add_space("AAAA", "Team").unwrap();
    for (user, display) in [("alice", "Alice"), ("bob", "Bob"), ("carol", "Carol")] {
        fake.add_user(user, display).unwrap();
    }
    fake.add_manager(&space, "alice").unwrap();
    fake.add_member(&space, "bob").unwrap();
    fake.add_app_to_space(&space).unwrap();
    (fake, space)
}
