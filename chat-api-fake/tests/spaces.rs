//! Spaces, members and reactions: creation with requestId, setup of DMs, list with
//! filter and pages, patch's updateMask, delete by managers, findDirectMessage, member
//! lists as app and as user, reactions with filters; and seeding under the same rules.

mod common;

use chat_api::models::*;
use chat_api::{ApiError, Error};
use chat_api_fake::{FakeError, Identity};

fn api(err: &Error) -> &ApiError {
    err.api()
        .unwrap_or_else(|| panic!("not an API error: {err}"))
}

fn human(name: &str) -> Membership {
    Membership::new().set_member(User::new().set_name(name).set_type(UserType::Human))
}

#[tokio::test]
async fn create_setup_list_patch_delete() {
    let (fake, _) = common::team().await;
    let alice = fake.user_client("alice").unwrap();
    let s = alice.spaces();
    let named = || {
        Space::new()
            .set_display_name("Launch")
            .set_space_type(SpaceSpaceType::Space)
    };
    let a = s.create(named()).request_id("r1").send().await.unwrap();
    let b = s.create(named()).request_id("r1").send().await.unwrap();
    assert_eq!(
        a.name, b.name,
        "requestId returns the space already created"
    );
    let dup = s.create(named()).send().await.unwrap_err();
    assert_eq!(api(&dup).status.as_deref(), Some("ALREADY_EXISTS"));
    let no_name = s
        .create(Space::new().set_space_type(SpaceSpaceType::Space))
        .send()
        .await
        .unwrap_err();
    assert_eq!(api(&no_name).status.as_deref(), Some("INVALID_ARGUMENT"));

    // A DM with bob: set up once, found again, found by findDirectMessage.
    let dm = || {
        SetUpSpaceRequest::new()
            .set_space(Space::new().set_space_type(SpaceSpaceType::DirectMessage))
            .set_memberships([human("users/bob")])
    };
    let first = s.setup(dm()).send().await.unwrap();
    let again = s.setup(dm()).send().await.unwrap();
    assert_eq!(first.name, again.name);
    let found = s
        .find_direct_message()
        .name("users/bob")
        .send()
        .await
        .unwrap();
    assert_eq!(found.name, first.name);
    let none = s
        .find_direct_message()
        .name("users/carol")
        .send()
        .await
        .unwrap_err();
    assert_eq!(api(&none).http_status, 404);

    // alice is in AAAA, Launch and the DM; pages of 2, then a filter.
    let page = s.list().page_size(2).send().await.unwrap();
    assert_eq!(page.spaces.len(), 2);
    let rest = s
        .list()
        .page_size(2)
        .page_token(page.next_page_token.unwrap())
        .send()
        .await
        .unwrap();
    assert_eq!(rest.spaces.len(), 1);
    assert!(rest.next_page_token.is_none());
    let dms = s
        .list()
        .filter("spaceType = \"DIRECT_MESSAGE\"")
        .send()
        .await
        .unwrap();
    assert_eq!(dms.spaces.len(), 1);
    let bad = s
        .list()
        .filter("displayName = \"x\"")
        .send()
        .await
        .unwrap_err();
    assert_eq!(api(&bad).status.as_deref(), Some("INVALID_ARGUMENT"));

    // updateMask: only the named field changes.
    let patched = s
        .patch(
            a.name(),
            Space::new()
                .set_display_name("Launch 2")
                .set_space_details(SpaceDetails::new().set_description("d")),
        )
        .update_mask("displayName")
        .send()
        .await
        .unwrap();
    assert_eq!(patched.display_name(), "Launch 2");
    assert!(patched.space_details.is_none());
    let err = s
        .patch(a.name(), Space::new())
        .update_mask("name")
        .send()
        .await
        .unwrap_err();
    assert_eq!(api(&err).status.as_deref(), Some("INVALID_ARGUMENT"));

    // Only a manager deletes a named space.
    fake.add_member(a.name(), "bob").unwrap();
    let bob = fake.user_client("bob").unwrap();
    let err = bob.spaces().delete(a.name()).send().await.unwrap_err();
    assert_eq!(api(&err).http_status, 403);
    s.delete(a.name()).send().await.unwrap();
    assert_eq!(
        api(&s.get(a.name()).send().await.unwrap_err()).http_status,
        404
    );
}

#[tokio::test]
async fn member_lists_and_filters() {
    let (fake, space) = common::team().await;
    let alice = fake.user_client("alice").unwrap();
    let as_user = alice.spaces().members().list(&space).send().await.unwrap();
    assert_eq!(as_user.memberships.len(), 3, "alice, bob and the app");
    // With app authentication the list "excludes Chat app memberships".
    let as_app = fake
        .app_client()
        .unwrap()
        .spaces()
        .members()
        .list(&space)
        .send()
        .await
        .unwrap();
    assert_eq!(as_app.memberships.len(), 2);
    let managers = alice
        .spaces()
        .members()
        .list(&space)
        .filter("role = \"ROLE_MANAGER\"")
        .send()
        .await
        .unwrap();
    assert_eq!(managers.memberships.len(), 1);
    assert_eq!(
        managers.memberships[0].member.as_ref().unwrap().name(),
        "users/alice"
    );
    let bots = alice
        .spaces()
        .members()
        .list(&space)
        .filter("member.type != \"HUMAN\"")
        .send()
        .await
        .unwrap();
    assert_eq!(bots.memberships.len(), 1);
    let paged = alice
        .spaces()
        .members()
        .list(&space)
        .page_size(2)
        .send()
        .await
        .unwrap();
    assert!(paged.next_page_token.is_some());
    // The calling app is `members/app`; adding someone twice is ALREADY_EXISTS.
    let me = fake
        .app_client()
        .unwrap()
        .spaces()
        .members()
        .get("spaces/AAAA/members/app")
        .send()
        .await
        .unwrap();
    assert_eq!(me.member.unwrap().name(), "users/app");
    let err = alice
        .spaces()
        .members()
        .create(&space, human("users/bob"))
        .send()
        .await
        .unwrap_err();
    assert_eq!(api(&err).status.as_deref(), Some("ALREADY_EXISTS"));
}

#[tokio::test]
async fn reactions_by_users_with_filters() {
    let (fake, space) = common::team().await;
    let m = fake
        .app_client()
        .unwrap()
        .spaces()
        .messages()
        .create(&space, Message::new().set_text("ship it"))
        .send()
        .await
        .unwrap();
    let react = |user: &str, emoji: &str| {
        let client = fake.user_client(user).unwrap();
        let name = m.name().to_owned();
        let emoji = emoji.to_owned();
        async move {
            client
                .spaces()
                .messages()
                .reactions()
                .create(
                    name,
                    Reaction::new().set_emoji(Emoji::new().set_unicode(emoji)),
                )
                .send()
                .await
        }
    };
    react("alice", "🙂").await.unwrap();
    react("alice", "👍").await.unwrap();
    react("bob", "👍").await.unwrap();
    let again = react("bob", "👍").await.unwrap();
    let r = fake.user_client("alice").unwrap();
    let list = |filter: &str| {
        r.spaces()
            .messages()
            .reactions()
            .list(m.name())
            .filter(filter)
            .send()
    };
    assert_eq!(
        list("emoji.unicode = \"👍\"")
            .await
            .unwrap()
            .reactions
            .len(),
        2,
        "bob's second 👍 is the first"
    );
    assert_eq!(
        list("user.name = \"users/alice\"")
            .await
            .unwrap()
            .reactions
            .len(),
        2
    );
    assert_eq!(
        list("emoji.unicode = \"👍\" AND user.name = \"users/bob\"")
            .await
            .unwrap()
            .reactions[0]
            .name,
        again.name
    );
    assert_eq!(
        list("(emoji.unicode = \"🙂\" OR emoji.unicode = \"👍\") AND user.name = \"users/alice\"")
            .await
            .unwrap()
            .reactions
            .len(),
        2
    );
    // Apps cannot react; a user deletes only their own reactions.
    let err = fake
        .app_client()
        .unwrap()
        .spaces()
        .messages()
        .reactions()
        .list(m.name())
        .send()
        .await
        .unwrap_err();
    assert_eq!(api(&err).http_status, 403);
    let err = r
        .spaces()
        .messages()
        .reactions()
        .delete(again.name())
        .send()
        .await
        .unwrap_err();
    assert_eq!(api(&err).http_status, 403);
}

#[tokio::test]
async fn seeding_follows_the_same_rules() {
    let (fake, _) = common::team().await;
    let other = fake.add_space("BBBB", "No app").unwrap();
    let refused = fake
        .post(
            &other,
            &Identity::App("app".into()),
            &Message::new().set_text("x"),
        )
        .unwrap_err();
    match refused {
        FakeError::Refused {
            code,
            status,
            message,
        } => {
            assert_eq!(
                (code, status, message.as_str()),
                (
                    403,
                    "PERMISSION_DENIED",
                    "You are not permitted to use this app"
                )
            );
        }
        other => panic!("{other}"),
    }
    assert!(matches!(
        fake.add_member(&other, "nobody"),
        Err(FakeError::NotFound { .. })
    ));
    assert!(matches!(
        fake.add_space("BBBB", "again"),
        Err(FakeError::AlreadyExists { .. })
    ));
    assert!(matches!(
        fake.add_space("a/b", "bad"),
        Err(FakeError::InvalidName { .. })
    ));
}
