//! Every one of the API's 55 methods, called through the generated builders: the
//! implemented ones succeed, the others answer 501 UNIMPLEMENTED naming the method;
//! none panics the server or hangs (each call has a deadline).

mod common;

use std::collections::BTreeSet;
use std::future::Future;
use std::time::Duration;

use chat_api::media::UploadMedia;
use chat_api::models::*;
use chat_api_fake::{implemented_methods, unimplemented_methods};

/// The outcome of one call, recorded under its method id.
struct Calls {
    seen: BTreeSet<&'static str>,
}

impl Calls {
    /// An implemented method: must succeed within the deadline.
    async fn ok<T>(
        &mut self,
        id: &'static str,
        call: impl Future<Output = chat_api::Result<T>>,
    ) -> T {
        assert!(
            implemented_methods().any(|m| m == id),
            "{id} is not listed as implemented"
        );
        assert!(self.seen.insert(id), "{id} called twice");
        match tokio::time::timeout(Duration::from_secs(10), call).await {
            Ok(Ok(value)) => value,
            Ok(Err(e)) => panic!("{id}: {e}"),
            Err(_) => panic!("{id} hung"),
        }
    }

    /// An unimplemented method: 501 UNIMPLEMENTED naming it.
    async fn unimplemented<T: std::fmt::Debug>(
        &mut self,
        id: &'static str,
        call: impl Future<Output = chat_api::Result<T>>,
    ) {
        assert!(
            unimplemented_methods().any(|m| m == id),
            "{id} is not listed as unimplemented"
        );
        assert!(self.seen.insert(id), "{id} called twice");
        let err = match tokio::time::timeout(Duration::from_secs(10), call).await {
            Ok(result) => result.expect_err(id),
            Err(_) => panic!("{id} hung"),
        };
        let api = err.api().unwrap_or_else(|| panic!("{id}: {err}"));
        assert_eq!(
            (api.http_status, api.status.as_deref()),
            (501, Some("UNIMPLEMENTED")),
            "{id}"
        );
        assert!(
            api.message.contains(&format!("chat.{id} ")),
            "{id}: {}",
            api.message
        );
    }
}

#[tokio::test]
async fn all_55_methods_answer() {
    let (fake, space) = common::team().await;
    fake.make_admin("alice").unwrap();
    let alice = fake.user_client("alice").unwrap();
    let app = fake.app_client().unwrap();
    let mut c = Calls {
        seen: BTreeSet::new(),
    };

    // customEmojis
    c.unimplemented(
        "customEmojis.create",
        alice.custom_emojis().create(CustomEmoji::new()).send(),
    )
    .await;
    c.unimplemented(
        "customEmojis.delete",
        alice.custom_emojis().delete("customEmojis/x").send(),
    )
    .await;
    c.unimplemented(
        "customEmojis.get",
        alice.custom_emojis().get("customEmojis/x").send(),
    )
    .await;
    c.unimplemented("customEmojis.list", alice.custom_emojis().list().send())
        .await;

    // spaces
    let s = alice.spaces();
    let created = c
        .ok(
            "spaces.create",
            s.create(
                Space::new()
                    .set_display_name("New")
                    .set_space_type(SpaceSpaceType::Space),
            )
            .send(),
        )
        .await;
    let new_space = created.name().to_owned();
    let bob =
        Membership::new().set_member(User::new().set_name("users/bob").set_type(UserType::Human));
    c.ok(
        "spaces.setup",
        s.setup(
            SetUpSpaceRequest::new()
                .set_space(Space::new().set_space_type(SpaceSpaceType::DirectMessage))
                .set_memberships([bob.clone()]),
        )
        .send(),
    )
    .await;
    c.ok("spaces.get", s.get(&space).send()).await;
    let listed = c.ok("spaces.list", s.list().send()).await;
    assert_eq!(listed.spaces.len(), 3);
    let found = c
        .ok(
            "spaces.search",
            s.search()
                .use_admin_access(true)
                .query("customer = \"customers/my_customer\" AND spaceType = \"SPACE\"")
                .send(),
        )
        .await;
    assert_eq!(found.spaces.len(), 2);
    c.ok(
        "spaces.patch",
        s.patch(&new_space, Space::new().set_display_name("Renamed"))
            .update_mask("displayName")
            .send(),
    )
    .await;
    c.ok(
        "spaces.findDirectMessage",
        s.find_direct_message().name("users/bob").send(),
    )
    .await;
    c.unimplemented("spaces.findGroupChats", s.find_group_chats().send())
        .await;
    c.unimplemented(
        "spaces.completeImport",
        s.complete_import(&space, CompleteImportSpaceRequest::new())
            .send(),
    )
    .await;

    // members
    let m = alice.spaces().members();
    c.ok("spaces.members.create", m.create(&new_space, bob).send())
        .await;
    let bob_member = format!("{new_space}/members/bob");
    c.ok("spaces.members.get", m.get(&bob_member).send()).await;
    let members = c.ok("spaces.members.list", m.list(&new_space).send()).await;
    assert_eq!(members.memberships.len(), 2);
    c.ok(
        "spaces.members.patch",
        m.patch(
            &bob_member,
            Membership::new().set_role(MembershipRole::Manager),
        )
        .update_mask("role")
        .send(),
    )
    .await;
    c.ok("spaces.members.delete", m.delete(&bob_member).send())
        .await;

    // messagePins
    let pins = alice.spaces().message_pins();
    c.unimplemented(
        "spaces.messagePins.create",
        pins.create(&space, MessagePin::new()).send(),
    )
    .await;
    c.unimplemented(
        "spaces.messagePins.delete",
        pins.delete("spaces/AAAA/messagePins/p").send(),
    )
    .await;
    c.unimplemented("spaces.messagePins.list", pins.list(&space).send())
        .await;

    // messages
    let card = chat_api::cards::CardWithId::new()
        .set_card_id("c")
        .set_card(chat_api::cards::Card::new());
    let am = app.spaces().messages();
    let sent = c
        .ok(
            "spaces.messages.create",
            am.create(
                &space,
                Message::new().set_text("hi").set_cards_v2([card.clone()]),
            )
            .send(),
        )
        .await;
    let name = sent.name().to_owned();
    c.ok("spaces.messages.get", am.get(&name).send()).await;
    c.ok("spaces.messages.list", am.list(&space).send()).await;
    c.ok(
        "spaces.messages.patch",
        am.patch(&name, Message::new().set_text("patched"))
            .update_mask("text")
            .send(),
    )
    .await;
    c.ok(
        "spaces.messages.update",
        am.update(&name, Message::new().set_text("updated"))
            .update_mask("text")
            .send(),
    )
    .await;
    c.ok(
        "spaces.messages.replaceCards",
        am.replace_cards(
            &name,
            ReplaceMessageCardsRequest::new().set_cards_v2([card]),
        )
        .send(),
    )
    .await;
    c.unimplemented(
        "spaces.messages.search",
        alice
            .spaces()
            .messages()
            .search(&space, SearchMessagesRequest::new())
            .send(),
    )
    .await;

    // reactions
    let r = alice.spaces().messages().reactions();
    let reaction = c
        .ok(
            "spaces.messages.reactions.create",
            r.create(
                &name,
                Reaction::new().set_emoji(Emoji::new().set_unicode("🙂")),
            )
            .send(),
        )
        .await;
    let reactions = c
        .ok("spaces.messages.reactions.list", r.list(&name).send())
        .await;
    assert_eq!(reactions.reactions.len(), 1);
    c.ok(
        "spaces.messages.reactions.delete",
        r.delete(reaction.name()).send(),
    )
    .await;

    // media and attachments
    let uploaded = c
        .ok(
            "media.upload",
            alice
                .media()
                .upload(
                    &space,
                    UploadAttachmentRequest::new().set_filename("notes.txt"),
                )
                .send_media(UploadMedia::from_bytes(&b"hello"[..], "text/plain")),
        )
        .await;
    let data_ref = uploaded.attachment_data_ref.clone().unwrap();
    let with_file = alice
        .spaces()
        .messages()
        .create(
            &space,
            Message::new()
                .set_text("file")
                .set_attachment([Attachment::new().set_attachment_data_ref(data_ref.clone())]),
        )
        .send()
        .await
        .unwrap();
    let attachment = &with_file.attachment[0];
    let got = c
        .ok(
            "spaces.messages.attachments.get",
            app.spaces()
                .messages()
                .attachments()
                .get(attachment.name())
                .send(),
        )
        .await;
    assert_eq!(got.content_name(), "notes.txt");
    let download = c
        .ok(
            "media.download",
            alice
                .media()
                .download(data_ref.resource_name())
                .fetch_media(),
        )
        .await;
    let mut bytes = Vec::new();
    download.write_to(&mut bytes).await.unwrap();
    assert_eq!(bytes, b"hello");
    c.ok("spaces.messages.delete", am.delete(&name).send())
        .await;

    // spaceEvents
    let ev = alice.spaces().space_events();
    c.unimplemented(
        "spaces.spaceEvents.get",
        ev.get("spaces/AAAA/spaceEvents/e").send(),
    )
    .await;
    c.unimplemented(
        "spaces.spaceEvents.list",
        ev.list(&space).filter("event_types:\"x\"").send(),
    )
    .await;

    // users
    let u = alice.users();
    let av = "users/alice/availability";
    c.unimplemented("users.availability.get", u.availability().get(av).send())
        .await;
    c.unimplemented(
        "users.availability.markAsActive",
        u.availability()
            .mark_as_active(av, MarkAsActiveRequest::new())
            .send(),
    )
    .await;
    c.unimplemented(
        "users.availability.markAsAway",
        u.availability()
            .mark_as_away(av, MarkAsAwayRequest::new())
            .send(),
    )
    .await;
    c.unimplemented(
        "users.availability.markAsDoNotDisturb",
        u.availability()
            .mark_as_do_not_disturb(av, MarkAsDoNotDisturbRequest::new())
            .send(),
    )
    .await;
    c.unimplemented(
        "users.availability.patch",
        u.availability().patch(av, Availability::new()).send(),
    )
    .await;
    let sec = "users/alice/sections/s";
    c.unimplemented(
        "users.sections.create",
        u.sections()
            .create("users/alice", GoogleChatV1Section::new())
            .send(),
    )
    .await;
    c.unimplemented("users.sections.delete", u.sections().delete(sec).send())
        .await;
    c.unimplemented(
        "users.sections.list",
        u.sections().list("users/alice").send(),
    )
    .await;
    c.unimplemented(
        "users.sections.patch",
        u.sections().patch(sec, GoogleChatV1Section::new()).send(),
    )
    .await;
    c.unimplemented(
        "users.sections.position",
        u.sections()
            .position(sec, PositionSectionRequest::new())
            .send(),
    )
    .await;
    c.unimplemented(
        "users.sections.items.list",
        u.sections().items().list(sec).send(),
    )
    .await;
    c.unimplemented(
        "users.sections.items.move",
        u.sections()
            .items()
            .move_(
                "users/alice/sections/s/items/i",
                MoveSectionItemRequest::new(),
            )
            .send(),
    )
    .await;
    let rs = "users/alice/spaces/AAAA/spaceReadState";
    c.unimplemented(
        "users.spaces.getSpaceReadState",
        u.spaces().get_space_read_state(rs).send(),
    )
    .await;
    c.unimplemented(
        "users.spaces.updateSpaceReadState",
        u.spaces()
            .update_space_read_state(rs, SpaceReadState::new())
            .send(),
    )
    .await;
    let ns = "users/alice/spaces/AAAA/spaceNotificationSetting";
    c.unimplemented(
        "users.spaces.spaceNotificationSetting.get",
        u.spaces().space_notification_setting().get(ns).send(),
    )
    .await;
    c.unimplemented(
        "users.spaces.spaceNotificationSetting.patch",
        u.spaces()
            .space_notification_setting()
            .patch(ns, SpaceNotificationSetting::new())
            .send(),
    )
    .await;
    c.unimplemented(
        "users.spaces.threads.getThreadReadState",
        u.spaces()
            .threads()
            .get_thread_read_state("users/alice/spaces/AAAA/threads/t/threadReadState")
            .send(),
    )
    .await;

    c.ok("spaces.delete", s.delete(&new_space).send()).await;

    let all: BTreeSet<&str> = implemented_methods()
        .chain(unimplemented_methods())
        .collect();
    assert_eq!(all.len(), 55);
    assert_eq!(c.seen, all);
    // The server still answers after all of it.
    app.spaces().get(&space).send().await.unwrap();
}
