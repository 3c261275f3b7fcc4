//! Google's documented rules, one test each, through the real `chat_api::Client`
//! against the fake (each rule's source is cited on the fake's code).

mod common;

use std::time::{Duration, Instant};

use chat_api::cards::{Card, CardHeader, CardWithId};
use chat_api::models::{
    Message, ReplaceMessageCardsRequest, SpacesMessagesCreateMessageReplyOption as Reply, Thread,
};
use chat_api::{ApiError, Error, RetryPolicy};
use chat_api_fake::{Fault, WriteQuota};

fn api(err: &Error) -> &ApiError {
    err.api()
        .unwrap_or_else(|| panic!("not an API error: {err}"))
}

fn card(title: &str) -> CardWithId {
    CardWithId::new()
        .set_card_id("c1")
        .set_card(Card::new().set_header(CardHeader::new().set_title(title)))
}

fn text(t: &str) -> Message {
    Message::new().set_text(t)
}

#[tokio::test]
async fn app_outside_the_space_gets_googles_403_text_and_the_hint() {
    let (fake, _) = common::team().await;
    let other = fake.add_space("BBBB", "No app here").unwrap();
    fake.add_member(&other, "alice").unwrap();
    let err = fake
        .app_client()
        .unwrap()
        .spaces()
        .messages()
        .create(&other, text("x"))
        .send()
        .await
        .unwrap_err();
    let e = api(&err);
    assert_eq!(
        (e.http_status, e.status.as_deref()),
        (403, Some("PERMISSION_DENIED"))
    );
    assert_eq!(e.message, "You are not permitted to use this app");
    assert!(
        err.to_string()
            .contains("hint: the Chat app is not a member of this space"),
        "{err}"
    );
    // A user outside the space is refused too; a member is not.
    let carol = fake.user_client("carol").unwrap();
    let e = carol
        .spaces()
        .messages()
        .list(&other)
        .send()
        .await
        .unwrap_err();
    assert_eq!(api(&e).http_status, 403);
    fake.user_client("alice")
        .unwrap()
        .spaces()
        .messages()
        .list(&other)
        .send()
        .await
        .unwrap();
}

#[tokio::test]
async fn a_card_message_created_as_a_user_needs_the_app_in_the_space() {
    let (fake, _) = common::team().await;
    let other = fake.add_space("BBBB", "No app here").unwrap();
    fake.add_member(&other, "alice").unwrap();
    let alice = fake.user_client("alice").unwrap();
    let with_card = text("card").set_cards_v2([card("t")]);
    let err = alice
        .spaces()
        .messages()
        .create(&other, with_card.clone())
        .send()
        .await
        .unwrap_err();
    assert_eq!(api(&err).http_status, 403);
    // Text alone is fine; with the app added, cards are too.
    alice
        .spaces()
        .messages()
        .create(&other, text("plain"))
        .send()
        .await
        .unwrap();
    fake.add_app_to_space(&other).unwrap();
    alice
        .spaces()
        .messages()
        .create(&other, with_card)
        .send()
        .await
        .unwrap();
}

#[tokio::test]
async fn request_id_returns_the_message_already_created() {
    let (fake, space) = common::team().await;
    let app = fake.app_client().unwrap();
    let first = app
        .spaces()
        .messages()
        .create(&space, text("once"))
        .request_id("r-1")
        .send()
        .await
        .unwrap();
    let again = app
        .spaces()
        .messages()
        .create(&space, text("twice?"))
        .request_id("r-1")
        .send()
        .await
        .unwrap();
    assert_eq!(first.name, again.name);
    assert_eq!(again.text(), "once");
    let other = app
        .spaces()
        .messages()
        .create(&space, text("new"))
        .request_id("r-2")
        .send()
        .await
        .unwrap();
    assert_ne!(first.name, other.name);
    assert_eq!(fake.message_count(&space).unwrap(), 2);
}

#[tokio::test]
async fn client_assigned_message_ids() {
    let (fake, space) = common::team().await;
    let app = fake.app_client().unwrap();
    let sent = app
        .spaces()
        .messages()
        .create(&space, text("named"))
        .message_id("client-deploy-42")
        .send()
        .await
        .unwrap();
    assert_eq!(
        sent.client_assigned_message_id.as_deref(),
        Some("client-deploy-42")
    );
    let got = app
        .spaces()
        .messages()
        .get("spaces/AAAA/messages/client-deploy-42")
        .send()
        .await
        .unwrap();
    assert_eq!(got.name, sent.name);
    let dup = app
        .spaces()
        .messages()
        .create(&space, text("again"))
        .message_id("client-deploy-42")
        .send()
        .await
        .unwrap_err();
    assert_eq!(api(&dup).status.as_deref(), Some("ALREADY_EXISTS"));
    let bad = app
        .spaces()
        .messages()
        .create(&space, text("bad"))
        .message_id("deploy-42")
        .send()
        .await
        .unwrap_err();
    assert_eq!(api(&bad).status.as_deref(), Some("INVALID_ARGUMENT"));
}

#[tokio::test]
async fn threads_follow_the_reply_option_and_keys_are_per_app() {
    let (fake, space) = common::team().await;
    fake.add_app("other", "Other app").unwrap();
    fake.add_app_to_space_as(&space, "other").unwrap();
    let app = fake.app_client().unwrap();
    let keyed = || text("t").set_thread(Thread::new().set_thread_key("deploys"));
    let m = app.spaces().messages();
    let a = m
        .create(&space, keyed())
        .message_reply_option(Reply::ReplyMessageFallbackToNewThread)
        .send()
        .await
        .unwrap();
    let b = m
        .create(&space, keyed())
        .message_reply_option(Reply::ReplyMessageFallbackToNewThread)
        .send()
        .await
        .unwrap();
    assert_eq!(
        a.thread.as_ref().unwrap().name,
        b.thread.as_ref().unwrap().name
    );
    assert_eq!((a.thread_reply, b.thread_reply), (Some(false), Some(true)));
    // Without a reply option the key is ignored: a new thread.
    let c = m.create(&space, keyed()).send().await.unwrap();
    assert_ne!(
        c.thread.as_ref().unwrap().name,
        a.thread.as_ref().unwrap().name
    );
    // Another app's key of the same text is another thread.
    let other = fake.app_client_for("other").unwrap();
    let d = other
        .spaces()
        .messages()
        .create(&space, keyed())
        .message_reply_option(Reply::ReplyMessageOrFail)
        .send()
        .await
        .unwrap();
    assert_ne!(
        d.thread.as_ref().unwrap().name,
        a.thread.as_ref().unwrap().name
    );
    // By thread name: OR_FAIL on an unknown thread is NOT_FOUND, FALLBACK starts one.
    let by_name = |n: &str| text("r").set_thread(Thread::new().set_name(n));
    let reply = m
        .create(&space, by_name(a.thread.as_ref().unwrap().name()))
        .message_reply_option(Reply::ReplyMessageOrFail)
        .send()
        .await
        .unwrap();
    assert_eq!(reply.thread.unwrap().name, a.thread.as_ref().unwrap().name);
    let err = m
        .create(&space, by_name("spaces/AAAA/threads/nope"))
        .message_reply_option(Reply::ReplyMessageOrFail)
        .send()
        .await
        .unwrap_err();
    assert_eq!(api(&err).http_status, 404);
    let fresh = m
        .create(&space, by_name("spaces/AAAA/threads/nope"))
        .message_reply_option(Reply::ReplyMessageFallbackToNewThread)
        .send()
        .await
        .unwrap();
    assert_eq!(fresh.thread_reply, Some(false));
}

#[tokio::test]
async fn replace_cards_only_the_apps_own_cards() {
    let (fake, space) = common::team().await;
    fake.add_app("other", "Other app").unwrap();
    fake.add_app_to_space_as(&space, "other").unwrap();
    let created = fake
        .user_client("alice")
        .unwrap()
        .spaces()
        .messages()
        .create(&space, text("mine").set_cards_v2([card("v1")]))
        .send()
        .await
        .unwrap();
    let replace = ReplaceMessageCardsRequest::new().set_cards_v2([card("v2")]);
    let other = fake.app_client_for("other").unwrap();
    let err = other
        .spaces()
        .messages()
        .replace_cards(created.name(), replace.clone())
        .send()
        .await
        .unwrap_err();
    assert_eq!(api(&err).status.as_deref(), Some("PERMISSION_DENIED"));
    // The app whose OAuth client alice used owns them.
    let app = fake.app_client().unwrap();
    app.spaces()
        .messages()
        .replace_cards(created.name(), replace)
        .send()
        .await
        .unwrap();
    let now = &fake.messages(&space).unwrap()[0];
    assert_eq!(
        now.cards_v2[0]
            .card
            .as_ref()
            .unwrap()
            .header
            .as_ref()
            .unwrap()
            .title(),
        "v2"
    );
    assert_eq!(now.text(), "mine");
}

#[tokio::test]
async fn replace_cards_cannot_add_cards_to_a_message_without_them() {
    let (fake, space) = common::team().await;
    let app = fake.app_client().unwrap();
    let plain = fake
        .user_client("alice")
        .unwrap()
        .spaces()
        .messages()
        .create(&space, text("no cards"))
        .send()
        .await
        .unwrap();
    let add = ReplaceMessageCardsRequest::new().set_cards_v2([card("new")]);
    let err = app
        .spaces()
        .messages()
        .replace_cards(plain.name(), add.clone())
        .send()
        .await
        .unwrap_err();
    assert_eq!(
        (api(&err).http_status, api(&err).status.as_deref()),
        (400, Some("FAILED_PRECONDITION"))
    );
    // Removing with an empty list works, and then cards cannot come back.
    let with = app
        .spaces()
        .messages()
        .create(&space, text("c").set_cards_v2([card("v1")]))
        .send()
        .await
        .unwrap();
    app.spaces()
        .messages()
        .replace_cards(with.name(), ReplaceMessageCardsRequest::new())
        .send()
        .await
        .unwrap();
    assert!(fake.messages(&space).unwrap()[1].cards_v2.is_empty());
    let err = app
        .spaces()
        .messages()
        .replace_cards(with.name(), add)
        .send()
        .await
        .unwrap_err();
    assert_eq!(api(&err).status.as_deref(), Some("FAILED_PRECONDITION"));
}

#[tokio::test]
async fn a_user_editing_the_text_removes_the_apps_cards() {
    let (fake, space) = common::team().await;
    let alice = fake.user_client("alice").unwrap();
    let created = alice
        .spaces()
        .messages()
        .create(&space, text("v1").set_cards_v2([card("c")]))
        .send()
        .await
        .unwrap();
    let edited = alice
        .spaces()
        .messages()
        .patch(created.name(), text("v2"))
        .update_mask("text")
        .send()
        .await
        .unwrap();
    assert_eq!(edited.text(), "v2");
    assert!(edited.cards_v2.is_empty(), "the app's cards are gone");
    let err = fake
        .app_client()
        .unwrap()
        .spaces()
        .messages()
        .replace_cards(
            created.name(),
            ReplaceMessageCardsRequest::new().set_cards_v2([card("back")]),
        )
        .send()
        .await
        .unwrap_err();
    assert_eq!(api(&err).status.as_deref(), Some("FAILED_PRECONDITION"));
}

#[tokio::test]
async fn update_mask_changes_only_the_named_fields() {
    let (fake, space) = common::team().await;
    let app = fake.app_client().unwrap();
    let m = app.spaces().messages();
    let sent = m
        .create(&space, text("before").set_cards_v2([card("kept")]))
        .send()
        .await
        .unwrap();
    let patched = m
        .patch(sent.name(), text("after").set_cards_v2([card("ignored")]))
        .update_mask("text")
        .send()
        .await
        .unwrap();
    assert_eq!(patched.text(), "after");
    assert_eq!(
        patched.cards_v2[0]
            .card
            .as_ref()
            .unwrap()
            .header
            .as_ref()
            .unwrap()
            .title(),
        "kept"
    );
    assert!(patched.last_update_time.is_some());
    let both = m
        .update(sent.name(), text("x").set_cards_v2([card("new")]))
        .update_mask("text,cards_v2")
        .send()
        .await
        .unwrap();
    assert_eq!(
        both.cards_v2[0]
            .card
            .as_ref()
            .unwrap()
            .header
            .as_ref()
            .unwrap()
            .title(),
        "new"
    );
    for mask in ["", "sender"] {
        let mut call = m.patch(sent.name(), text("y"));
        if !mask.is_empty() {
            call = call.update_mask(mask);
        }
        let err = call.send().await.unwrap_err();
        assert_eq!(
            api(&err).status.as_deref(),
            Some("INVALID_ARGUMENT"),
            "mask {mask:?}"
        );
    }
    // Users cannot set cards; nobody edits another's message.
    let alice = fake.user_client("alice").unwrap();
    let err = alice
        .spaces()
        .messages()
        .patch(sent.name(), text("z"))
        .update_mask("text")
        .send()
        .await
        .unwrap_err();
    assert_eq!(api(&err).http_status, 403);
    let own = alice
        .spaces()
        .messages()
        .create(&space, text("a"))
        .send()
        .await
        .unwrap();
    let err = alice
        .spaces()
        .messages()
        .patch(own.name(), text("a").set_cards_v2([card("c")]))
        .update_mask("cards_v2")
        .send()
        .await
        .unwrap_err();
    assert_eq!(api(&err).http_status, 403);
}

#[tokio::test]
async fn allow_missing_creates_under_a_client_assigned_id() {
    let (fake, space) = common::team().await;
    let m = fake.app_client().unwrap().spaces().messages();
    let created = m
        .patch("spaces/AAAA/messages/client-status", text("up"))
        .update_mask("text")
        .allow_missing(true)
        .send()
        .await
        .unwrap();
    assert_eq!(
        created.client_assigned_message_id.as_deref(),
        Some("client-status")
    );
    let again = m
        .patch("spaces/AAAA/messages/client-status", text("down"))
        .update_mask("text")
        .allow_missing(true)
        .send()
        .await
        .unwrap();
    assert_eq!(
        (again.name.as_deref(), again.text()),
        (created.name.as_deref(), "down")
    );
    let err = m
        .patch("spaces/AAAA/messages/nope", text("x"))
        .update_mask("text")
        .send()
        .await
        .unwrap_err();
    assert_eq!(api(&err).http_status, 404);
    let err = m
        .patch("spaces/AAAA/messages/nope", text("x"))
        .update_mask("text")
        .allow_missing(true)
        .send()
        .await
        .unwrap_err();
    assert_eq!(api(&err).http_status, 400);
    assert_eq!(fake.message_count(&space).unwrap(), 1);
}

#[tokio::test]
async fn list_pages_with_filter_and_order() {
    let (fake, space) = common::team().await;
    let app = fake.app_client().unwrap();
    let m = app.spaces().messages();
    let keyed = |t: &str| text(t).set_thread(Thread::new().set_thread_key("k"));
    let mut names = Vec::new();
    let mut thread = String::new();
    for i in 0..7 {
        let sent = if i % 2 == 0 {
            let s = m
                .create(&space, keyed(&format!("t{i}")))
                .message_reply_option(Reply::ReplyMessageFallbackToNewThread)
                .send()
                .await
                .unwrap();
            thread = s.thread.clone().unwrap().name.unwrap();
            s
        } else {
            m.create(&space, text(&format!("m{i}")))
                .send()
                .await
                .unwrap()
        };
        names.push(sent);
    }
    let alice = fake.user_client("alice").unwrap();
    let list = alice.spaces().messages();
    // Default page size (25) returns all 7; pageSize 3 pages in creation order.
    assert_eq!(list.list(&space).send().await.unwrap().messages.len(), 7);
    let first = list.list(&space).page_size(3).send().await.unwrap();
    assert_eq!(
        first.messages.iter().map(|m| m.text()).collect::<Vec<_>>(),
        ["t0", "m1", "t2"]
    );
    let second = list
        .list(&space)
        .page_size(3)
        .page_token(first.next_page_token.unwrap())
        .send()
        .await
        .unwrap();
    assert_eq!(
        second.messages.iter().map(|m| m.text()).collect::<Vec<_>>(),
        ["m3", "t4", "m5"]
    );
    // Filter on the thread and createTime, newest first, two per page.
    let after = names[1].create_time.unwrap();
    let filter = format!("thread.name = {thread} AND create_time > \"{after}\"");
    let texts: Vec<String> = {
        use futures_util::StreamExt as _;
        list.list(&space)
            .filter(filter.as_str())
            .order_by("create_time desc")
            .page_size(2)
            .stream()
            .map(|m| m.unwrap().text().to_owned())
            .collect()
            .await
    };
    assert_eq!(texts, ["t6", "t4", "t2"]);
    for bad in [
        "create_time > yesterday",
        "sender = users/a",
        "thread.name = a OR thread.name = b",
    ] {
        let err = list.list(&space).filter(bad).send().await.unwrap_err();
        assert_eq!(
            api(&err).status.as_deref(),
            Some("INVALID_ARGUMENT"),
            "{bad}"
        );
    }
    let err = list.list(&space).page_size(-1).send().await.unwrap_err();
    assert_eq!(api(&err).status.as_deref(), Some("INVALID_ARGUMENT"));
}

#[tokio::test]
async fn page_size_defaults_to_25_and_caps_at_1000() {
    let (fake, space) = common::team().await;
    let app = fake.app_client().unwrap();
    for i in 0..1001 {
        fake.post(
            &space,
            &chat_api_fake::Identity::App("app".into()),
            &text(&i.to_string()),
        )
        .unwrap();
    }
    let m = app.spaces().messages();
    assert_eq!(m.list(&space).send().await.unwrap().messages.len(), 25);
    let big = m.list(&space).page_size(5000).send().await.unwrap();
    assert_eq!(big.messages.len(), 1000);
    assert!(big.next_page_token.is_some());
}

#[tokio::test]
async fn retry_after_of_a_429_is_honoured_by_the_clients_retries() {
    let (fake, space) = common::team().await;
    fake.fail_next(
        "spaces.messages.create",
        1,
        Fault::too_many_requests().retry_after(Duration::from_secs(1)),
    );
    let app = fake
        .client_builder(&fake.app_token())
        .retry_policy(
            RetryPolicy::default()
                .initial_backoff(Duration::from_millis(1))
                .max_backoff(Duration::from_secs(5)),
        )
        .build()
        .unwrap();
    let started = Instant::now();
    // The client retries a POST only when a requestId makes it safe.
    app.spaces()
        .messages()
        .create(&space, text("eventually"))
        .request_id("retry-1")
        .send()
        .await
        .unwrap();
    assert!(
        started.elapsed() >= Duration::from_secs(1),
        "waited {:?}",
        started.elapsed()
    );
    let statuses: Vec<u16> = fake.calls().iter().map(|c| c.status).collect();
    assert_eq!(statuses, [429, 200]);
    assert_eq!(fake.message_count(&space).unwrap(), 1);
}

#[tokio::test]
async fn injected_503s_are_retried_or_reported() {
    let (fake, space) = common::team().await;
    fake.fail_next("chat.spaces.messages.list", 2, Fault::unavailable());
    fake.app_client()
        .unwrap()
        .spaces()
        .messages()
        .list(&space)
        .send()
        .await
        .unwrap();
    fake.fail_next(
        "spaces.messages.list",
        1,
        Fault::unavailable().retry_after(Duration::from_secs(3)),
    );
    let once = fake
        .client_builder(&fake.app_token())
        .retry_policy(RetryPolicy::none())
        .build()
        .unwrap();
    let err = once
        .spaces()
        .messages()
        .list(&space)
        .send()
        .await
        .unwrap_err();
    assert_eq!(
        (api(&err).http_status, api(&err).status.as_deref()),
        (503, Some("UNAVAILABLE"))
    );
}

#[tokio::test]
async fn per_space_write_quota_answers_resource_exhausted() {
    let (fake, space) = common::team().await;
    let other = fake.add_space("BBBB", "Other").unwrap();
    fake.add_app_to_space(&other).unwrap();
    fake.set_write_quota(Some(WriteQuota::per_minute(3)));
    let app = fake
        .client_builder(&fake.app_token())
        .retry_policy(RetryPolicy::none())
        .build()
        .unwrap();
    for i in 0..3 {
        app.spaces()
            .messages()
            .create(&space, text(&i.to_string()))
            .send()
            .await
            .unwrap();
    }
    let err = app
        .spaces()
        .messages()
        .create(&space, text("4th"))
        .send()
        .await
        .unwrap_err();
    assert_eq!(
        (api(&err).http_status, api(&err).status.as_deref()),
        (429, Some("RESOURCE_EXHAUSTED"))
    );
    // Reads are not writes; another space has its own quota.
    app.spaces().messages().list(&space).send().await.unwrap();
    app.spaces()
        .messages()
        .create(&other, text("elsewhere"))
        .send()
        .await
        .unwrap();
    fake.set_write_quota(None);
    app.spaces()
        .messages()
        .create(&space, text("free again"))
        .send()
        .await
        .unwrap();
}
