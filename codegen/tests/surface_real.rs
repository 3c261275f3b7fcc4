//! Surface diffs of the real Chat documents, against facts read straight from the JSON
//! documents (with a throwaway script walking `resources`, `schemas` and `auth`, not with
//! this crate), so that the diff code is checked by something other than itself.

use std::collections::{BTreeMap, BTreeSet};
use std::path::Path;

use codegen::Model;
use discovery::Document;
use discovery::surface::render::{self, Options};
use discovery::surface::{
    AttrName, AttrValue, Change, ChangeKind, Impact, Item, ItemKey, ItemKind, Surface, SurfaceDiff,
    View,
};
use discovery::testing::real_documents_dir;

fn document(dir: &Path, file: &str) -> Document {
    Document::from_file(&dir.join("chat").join(file)).expect("document loads")
}

fn stable_surface(dir: &Path, file: &str) -> Surface {
    let model = Model::build(&document(dir, file), None).expect("model builds");
    codegen::surface(&model, View::Stable)
}

fn revision_diff(dir: &Path, old: &str, new: &str) -> SurfaceDiff {
    stable_surface(dir, old).diff(&stable_surface(dir, new))
}

/// Every item of `kind` that the diff reports as `change`, folded ones included.
fn items(diff: &SurfaceDiff, change: ChangeKind, kind: ItemKind) -> Vec<&Item> {
    diff.changes
        .iter()
        .filter(|c| c.kind == change)
        .flat_map(|c| std::iter::once(&c.item).chain(c.contains.iter()))
        .filter(|i| i.kind() == kind)
        .collect()
}

fn keys(diff: &SurfaceDiff, change: ChangeKind, kind: ItemKind) -> BTreeSet<String> {
    items(diff, change, kind)
        .iter()
        .map(|i| i.key.to_string())
        .collect()
}

fn method_ids(diff: &SurfaceDiff, change: ChangeKind) -> BTreeSet<String> {
    items(diff, change, ItemKind::Method)
        .iter()
        .map(|i| match i.attr(AttrName::Id) {
            Some(AttrValue::Text(id)) => id.clone(),
            other => panic!("method without id: {other:?}"),
        })
        .collect()
}

fn set(items: &[&str]) -> BTreeSet<String> {
    items.iter().map(|s| (*s).to_owned()).collect()
}

fn changed<'d>(diff: &'d SurfaceDiff, key: &str) -> &'d Change {
    diff.changes
        .iter()
        .find(|c| c.kind == ChangeKind::Changed && c.item.key.to_string() == key)
        .unwrap_or_else(|| panic!("no change of {key}"))
}

fn scope_delta(change: &Change) -> (BTreeSet<String>, BTreeSet<String>) {
    let attr = change
        .attrs
        .iter()
        .find(|a| a.name == AttrName::Scopes)
        .expect("scopes changed");
    let list = |v: &Option<AttrValue>| -> BTreeSet<String> {
        match v {
            Some(AttrValue::List(l)) => l.iter().cloned().collect(),
            _ => BTreeSet::new(),
        }
    };
    let (old, new) = (list(&attr.old), list(&attr.new));
    (
        new.difference(&old).cloned().collect(),
        old.difference(&new).cloned().collect(),
    )
}

fn auth(scope: &str) -> String {
    format!("https://www.googleapis.com/auth/{scope}")
}

#[test]
fn stable_vs_preview_is_exactly_replace_cards_and_its_two_schemas() {
    let dir = real_documents_dir();
    let model = Model::build(
        &document(&dir, "chat.v1.20260405.json"),
        Some(&document(&dir, "chat.v1.preview.20260405.json")),
    )
    .expect("merged model builds");
    let diff =
        codegen::surface(&model, View::Stable).diff(&codegen::surface(&model, View::Preview));
    let top: Vec<(ChangeKind, String)> = diff
        .changes
        .iter()
        .map(|c| (c.kind, c.item.key.to_string()))
        .collect();
    assert_eq!(
        top,
        vec![
            (ChangeKind::Added, "spaces.messages.replaceCards".to_owned()),
            (ChangeKind::Added, "ReplaceMessageCardsRequest".to_owned()),
            (ChangeKind::Added, "ReplaceMessageCardsResponse".to_owned()),
        ]
    );
    assert!(diff.description_changes.is_empty());
    assert!(
        diff.changes
            .iter()
            .all(|c| c.impact == Impact::Additive && c.item.preview_only)
    );

    let method = &diff.changes[0];
    let text = |name| match method.item.attr(name) {
        Some(AttrValue::Text(t)) => t.clone(),
        other => panic!("{name}: {other:?}"),
    };
    assert_eq!(text(AttrName::Id), "chat.spaces.messages.replaceCards");
    assert_eq!(text(AttrName::Http), "POST");
    assert_eq!(text(AttrName::Path), "v1/{+name}:replaceCards");
    assert_eq!(text(AttrName::Request), "ReplaceMessageCardsRequest");
    assert_eq!(text(AttrName::Response), "ReplaceMessageCardsResponse");
    assert_eq!(
        method.item.attr(AttrName::Scopes),
        Some(&AttrValue::List(vec![auth("chat.bot")]))
    );
    let params: Vec<String> = method.contains.iter().map(|i| i.key.to_string()).collect();
    assert_eq!(params, vec!["spaces.messages.replaceCards.name"]);

    let request = &diff.changes[1];
    let fields: Vec<String> = request.contains.iter().map(|i| i.key.to_string()).collect();
    assert_eq!(fields, vec!["ReplaceMessageCardsRequest.cardsV2"]);
    match request.contains[0].attr(AttrName::Type) {
        Some(AttrValue::Type(ty)) => {
            assert_eq!(ty.rust, "Vec<cards::CardWithId>");
            assert_eq!(ty.wire, "array<$ref:CardWithId>");
        }
        other => panic!("cardsV2 type: {other:?}"),
    }
    assert!(
        diff.changes[2].contains.is_empty(),
        "the response schema is empty"
    );

    insta::assert_snapshot!(
        "preview_vs_stable_text",
        render::text(&diff, Options::default())
    );
    insta::assert_snapshot!(
        "preview_vs_stable_markdown",
        render::markdown(&diff, Options::default())
    );
}

#[test]
fn revision_20260120_to_20260405() {
    let dir = real_documents_dir();
    let diff = revision_diff(&dir, "chat.v1.20260120.json", "chat.v1.20260405.json");

    // Methods: 8 added, none removed.
    assert_eq!(
        method_ids(&diff, ChangeKind::Added),
        set(&[
            "chat.spaces.findGroupChats",
            "chat.users.sections.create",
            "chat.users.sections.delete",
            "chat.users.sections.items.list",
            "chat.users.sections.items.move",
            "chat.users.sections.list",
            "chat.users.sections.patch",
            "chat.users.sections.position",
        ])
    );
    assert!(method_ids(&diff, ChangeKind::Removed).is_empty());
    // The new methods live in two new resources.
    assert_eq!(
        keys(&diff, ChangeKind::Added, ItemKind::Resource),
        set(&["users.sections", "users.sections.items"])
    );

    // Schemas: 9 added, none removed; plus the enums of new properties and parameters.
    assert_eq!(
        keys(&diff, ChangeKind::Added, ItemKind::Type),
        set(&[
            "FindGroupChatsResponse",
            "GoogleChatV1Section",
            "GoogleChatV1Section.properties.type",
            "ListSectionItemsResponse",
            "ListSectionsResponse",
            "MoveSectionItemRequest",
            "MoveSectionItemResponse",
            "PositionSectionRequest",
            "PositionSectionRequest.properties.relativePosition",
            "PositionSectionResponse",
            "SectionItem",
            // findGroupChats' `spaceView` query parameter has an enum.
            "resources.spaces.methods.findGroupChats.parameters.spaceView",
        ])
    );
    assert!(keys(&diff, ChangeKind::Removed, ItemKind::Type).is_empty());

    // One field added to an existing schema, an int32.
    let new_field = diff
        .changes
        .iter()
        .find(|c| c.item.key.to_string() == "GoogleAppsCardV1DataSourceConfig.minCharactersTrigger")
        .expect("minCharactersTrigger added");
    assert_eq!(
        (new_field.kind, new_field.impact),
        (ChangeKind::Added, Impact::Additive)
    );
    match new_field.item.attr(AttrName::Type) {
        Some(AttrValue::Type(ty)) => assert_eq!(ty.wire, "integer(int32)"),
        other => panic!("{other:?}"),
    }
    let fields_in_old_schemas: Vec<&Change> = diff
        .changes
        .iter()
        .filter(|c| c.kind == ChangeKind::Added && c.item.kind() == ItemKind::Field)
        .collect();
    assert_eq!(fields_in_old_schemas.len(), 1);

    // Enum values: only the 5 + 3 + 3 of the three new enums; none added to old enums.
    assert_eq!(
        items(&diff, ChangeKind::Added, ItemKind::EnumValue).len(),
        11
    );
    assert!(
        diff.changes
            .iter()
            .all(|c| c.item.kind() != ItemKind::EnumValue)
    );
    assert_eq!(
        keys(&diff, ChangeKind::Added, ItemKind::EnumValue)
            .into_iter()
            .filter(|k| k.starts_with("PositionSectionRequest."))
            .collect::<BTreeSet<_>>(),
        set(&[
            "PositionSectionRequest.properties.relativePosition::END",
            "PositionSectionRequest.properties.relativePosition::POSITION_UNSPECIFIED",
            "PositionSectionRequest.properties.relativePosition::START",
        ])
    );

    // Scopes: 4 new API scopes; three methods accept more scopes, none fewer.
    assert_eq!(
        keys(&diff, ChangeKind::Added, ItemKind::Scope),
        [
            "chat.app.memberships.readonly",
            "chat.app.spaces.readonly",
            "chat.users.sections",
            "chat.users.sections.readonly",
        ]
        .iter()
        .map(|s| auth(s))
        .collect()
    );
    let search = changed(&diff, "spaces.search");
    assert_eq!(
        scope_delta(search),
        (
            [auth("chat.spaces"), auth("chat.spaces.readonly")].into(),
            BTreeSet::new()
        )
    );
    assert_eq!(search.impact, Impact::Additive);
    for method in ["spaces.spaceEvents.get", "spaces.spaceEvents.list"] {
        let change = changed(&diff, method);
        assert_eq!(
            scope_delta(change),
            (
                [
                    auth("chat.app.memberships.readonly"),
                    auth("chat.app.spaces.readonly")
                ]
                .into(),
                BTreeSet::new()
            ),
            "{method}"
        );
        // Their descriptions changed too (reported with the scope change).
        assert!(change.description_changed, "{method}");
    }
    let changed_items: BTreeSet<String> = diff
        .changes
        .iter()
        .filter(|c| c.kind == ChangeKind::Changed)
        .map(|c| c.item.key.to_string())
        .collect();
    assert_eq!(
        changed_items,
        set(&[
            "spaces.search",
            "spaces.spaceEvents.get",
            "spaces.spaceEvents.list"
        ])
    );

    // Nothing breaking: the bump is a minor one.
    assert!(!diff.has_breaking());
    assert_eq!(diff.bump(), discovery::surface::Bump::Minor);

    // Descriptions: 11 items' descriptions changed; 2 are the spaceEvents methods above,
    // so 9 are description-only.
    let description_only: BTreeSet<String> = diff
        .description_changes
        .iter()
        .map(|d| d.key.to_string())
        .collect();
    assert_eq!(
        description_only,
        set(&[
            "spaces.messages.get",
            "spaces.messages.list",
            "CardWithId",
            "GoogleAppsCardV1Card",
            "GoogleAppsCardV1SelectionInput.dataSourceConfigs",
            "GoogleAppsCardV1SelectionInput.properties.type::DROPDOWN",
            "Message.cardsV2",
            "Message.formattedText",
            "Message.matchedUrl",
        ])
    );

    // Counts, folded items included: 17 parameters (4 of findGroupChats, 13 of the
    // sections methods), 18 fields (1 + the 17 of the new schemas).
    let expected_added: BTreeMap<ItemKind, usize> = [
        (ItemKind::Scope, 4),
        (ItemKind::Resource, 2),
        (ItemKind::Method, 8),
        (ItemKind::Parameter, 17),
        (ItemKind::Type, 12),
        (ItemKind::Field, 18),
        (ItemKind::EnumValue, 11),
        // The path patterns of the new `users.sections` methods: `^users/[^/]+$`,
        // `^users/[^/]+/sections/[^/]+$`, `^users/[^/]+/sections/[^/]+/items/[^/]+$`.
        (ItemKind::ResourceName, 3),
    ]
    .into();
    assert_eq!(diff.counts.added, expected_added);
    assert_eq!(
        keys(&diff, ChangeKind::Added, ItemKind::ResourceName),
        set(&[
            "users/{user}",
            "users/{user}/sections/{section}",
            "users/{user}/sections/{section}/items/{item}"
        ])
    );
    assert!(diff.counts.removed.is_empty());

    insta::assert_snapshot!(
        "revision_20260120_20260405_text",
        render::text(&diff, Options::default())
    );
    insta::assert_snapshot!(
        "revision_20260120_20260405_markdown",
        render::markdown(&diff, Options::default())
    );
}

#[test]
fn revision_20210314_to_20260405() {
    let dir = real_documents_dir();
    let diff = revision_diff(&dir, "chat.v1.20210314.json", "chat.v1.20260405.json");

    // The old room/dm surface is gone, and so is spaces.webhooks.
    assert_eq!(
        method_ids(&diff, ChangeKind::Removed),
        set(&[
            "chat.dms.conversations.messages",
            "chat.dms.messages",
            "chat.dms.webhooks",
            "chat.rooms.conversations.messages",
            "chat.rooms.messages",
            "chat.rooms.webhooks",
            "chat.spaces.webhooks",
        ])
    );
    // Each removed method had exactly `parent` and `threadKey`.
    assert_eq!(
        items(&diff, ChangeKind::Removed, ItemKind::Parameter).len(),
        14
    );
    assert_eq!(
        keys(&diff, ChangeKind::Removed, ItemKind::Resource),
        set(&["dms", "dms.conversations", "rooms", "rooms.conversations"])
    );
    assert_eq!(
        method_ids(&diff, ChangeKind::Added),
        set(&[
            "chat.customEmojis.create",
            "chat.customEmojis.delete",
            "chat.customEmojis.get",
            "chat.customEmojis.list",
            "chat.media.upload",
            "chat.spaces.completeImport",
            "chat.spaces.create",
            "chat.spaces.delete",
            "chat.spaces.findDirectMessage",
            "chat.spaces.findGroupChats",
            "chat.spaces.members.create",
            "chat.spaces.members.delete",
            "chat.spaces.members.patch",
            "chat.spaces.messages.list",
            "chat.spaces.messages.patch",
            "chat.spaces.messages.reactions.create",
            "chat.spaces.messages.reactions.delete",
            "chat.spaces.messages.reactions.list",
            "chat.spaces.patch",
            "chat.spaces.search",
            "chat.spaces.setup",
            "chat.spaces.spaceEvents.get",
            "chat.spaces.spaceEvents.list",
            "chat.users.sections.create",
            "chat.users.sections.delete",
            "chat.users.sections.items.list",
            "chat.users.sections.items.move",
            "chat.users.sections.list",
            "chat.users.sections.patch",
            "chat.users.sections.position",
            "chat.users.spaces.getSpaceReadState",
            "chat.users.spaces.spaceNotificationSetting.get",
            "chat.users.spaces.spaceNotificationSetting.patch",
            "chat.users.spaces.threads.getThreadReadState",
            "chat.users.spaces.updateSpaceReadState",
        ])
    );

    // Exactly eight breaking changes, all removals: the name types of the `dms` and
    // `rooms` patterns, then the resources, method and field.
    let breaking: Vec<(ChangeKind, String)> = diff
        .with_impact(Impact::Breaking)
        .map(|c| (c.kind, c.item.key.to_string()))
        .collect();
    assert_eq!(
        breaking,
        vec![
            (ChangeKind::Removed, "dms/{dm}".to_owned()),
            (
                ChangeKind::Removed,
                "dms/{dm}/conversations/{conversation}".to_owned()
            ),
            (ChangeKind::Removed, "rooms/{room}".to_owned()),
            (
                ChangeKind::Removed,
                "rooms/{room}/conversations/{conversation}".to_owned()
            ),
            (ChangeKind::Removed, "dms".to_owned()),
            (ChangeKind::Removed, "rooms".to_owned()),
            (ChangeKind::Removed, "spaces.webhooks".to_owned()),
            (ChangeKind::Removed, "Message.previewText".to_owned()),
        ]
    );
    assert_eq!(diff.bump(), discovery::surface::Bump::Major);

    // Twelve optional parameters added to methods that already existed: additive.
    let new_params: BTreeSet<String> = diff
        .changes
        .iter()
        .filter(|c| c.kind == ChangeKind::Added && c.item.kind() == ItemKind::Parameter)
        .map(|c| {
            assert_eq!(c.impact, Impact::Additive, "{}", c.item.key);
            c.item.key.to_string()
        })
        .collect();
    assert_eq!(
        new_params,
        set(&[
            "spaces.get.useAdminAccess",
            "spaces.list.filter",
            "spaces.members.get.useAdminAccess",
            "spaces.members.list.filter",
            "spaces.members.list.showGroups",
            "spaces.members.list.showInvited",
            "spaces.members.list.useAdminAccess",
            "spaces.messages.create.messageId",
            "spaces.messages.create.messageReplyOption",
            "spaces.messages.create.requestId",
            "spaces.messages.delete.force",
            "spaces.messages.update.allowMissing",
        ])
    );
    // threadKey became deprecated: compatible.
    let thread_key = changed(&diff, "spaces.messages.create.threadKey");
    assert_eq!(thread_key.attrs.len(), 1);
    assert_eq!(thread_key.attrs[0].aspect, "deprecation");
    assert_eq!(thread_key.impact, Impact::Compatible);

    // The 2021 document had no scopes at all: ten surviving methods gained theirs.
    let gained_scopes: BTreeSet<String> = diff
        .changes
        .iter()
        .filter(|c| c.kind == ChangeKind::Changed && c.item.kind() == ItemKind::Method)
        .map(|c| {
            assert_eq!(
                scope_delta(c).1,
                BTreeSet::new(),
                "{} lost no scope",
                c.item.key
            );
            c.item.key.to_string()
        })
        .collect();
    assert_eq!(
        gained_scopes,
        set(&[
            "media.download",
            "spaces.get",
            "spaces.list",
            "spaces.members.get",
            "spaces.members.list",
            "spaces.messages.attachments.get",
            "spaces.messages.create",
            "spaces.messages.delete",
            "spaces.messages.get",
            "spaces.messages.update",
        ])
    );
    assert_eq!(
        scope_delta(changed(&diff, "spaces.messages.attachments.get")).0,
        [auth("chat.bot")].into()
    );

    // Fields that became read-only and/or deprecated: compatible.
    let field_changes: BTreeMap<String, Vec<&str>> = diff
        .changes
        .iter()
        .filter(|c| c.kind == ChangeKind::Changed && c.item.kind() == ItemKind::Field)
        .map(|c| {
            assert_eq!(c.impact, Impact::Compatible, "{}", c.item.key);
            (
                c.item.key.to_string(),
                c.attrs.iter().map(|a| a.aspect).collect(),
            )
        })
        .collect();
    let ro = vec!["read-only"];
    let expected: BTreeMap<String, Vec<&str>> = [
        ("Attachment.contentName", ro.clone()),
        ("Attachment.contentType", ro.clone()),
        ("Attachment.downloadUri", ro.clone()),
        ("Attachment.driveDataRef", ro.clone()),
        ("Attachment.source", ro.clone()),
        ("Attachment.thumbnailUri", ro.clone()),
        ("Membership.state", ro.clone()),
        ("Message.annotations", ro.clone()),
        ("Message.argumentText", ro.clone()),
        ("Message.cards", vec!["deprecation"]),
        ("Message.sender", ro.clone()),
        ("Message.slashCommand", ro.clone()),
        ("Message.space", ro.clone()),
        ("Space.threaded", vec!["read-only", "deprecation"]),
        ("Space.type", vec!["read-only", "deprecation"]),
        ("User.displayName", ro.clone()),
        ("User.isAnonymous", ro),
    ]
    .into_iter()
    .map(|(k, v)| (k.to_owned(), v))
    .collect();
    assert_eq!(field_changes, expected);

    // Values added to enums that already existed.
    let new_values: BTreeSet<String> = diff
        .changes
        .iter()
        .filter(|c| c.kind == ChangeKind::Added && c.item.kind() == ItemKind::EnumValue)
        .map(|c| c.item.key.to_string())
        .collect();
    assert_eq!(
        new_values,
        set(&[
            "ActionResponse.properties.type::DIALOG",
            "ActionResponse.properties.type::UPDATE_USER_MESSAGE_CARDS",
            "ActionResponse.properties.type::UPDATE_WIDGET",
            "Annotation.properties.type::CUSTOM_EMOJI",
            "Annotation.properties.type::RICH_LINK",
            "DeprecatedEvent.properties.type::APP_COMMAND",
            "DeprecatedEvent.properties.type::WIDGET_UPDATED",
        ])
    );

    // 137 new schemas, 50 enums of schema properties, 2 enums of query parameters.
    let types = keys(&diff, ChangeKind::Added, ItemKind::Type);
    assert_eq!(types.len(), 189);
    for schema in [
        "CardWithId",
        "SpaceEvent",
        "Reaction",
        "GoogleAppsCardV1Widget",
    ] {
        assert!(types.contains(schema), "{schema}");
    }
    assert!(types.contains("Space.properties.spaceType"));
    assert!(types.contains("Membership.properties.role"));
    assert!(types.contains("resources.spaces.methods.findGroupChats.parameters.spaceView"));
    assert!(keys(&diff, ChangeKind::Removed, ItemKind::Type).is_empty());

    insta::assert_snapshot!(
        "revision_20210314_20260405_text",
        render::text(&diff, Options::default())
    );
    insta::assert_snapshot!(
        "revision_20210314_20260405_markdown",
        render::markdown(&diff, Options::default())
    );
}

#[test]
fn listings_of_the_locked_documents() {
    let dir = real_documents_dir();
    let model = Model::build(
        &document(&dir, "chat.v1.20260405.json"),
        Some(&document(&dir, "chat.v1.preview.20260405.json")),
    )
    .expect("merged model builds");
    let stable = codegen::surface(&model, View::Stable).listing();
    let preview = codegen::surface(&model, View::Preview).listing();
    // The preview listing is the stable one plus five preview-only lines: the method, its
    // `name` parameter, the two schemas and the request's `cardsV2` field.
    let stable_lines: BTreeSet<&str> = stable.lines().collect();
    let extra: Vec<&str> = preview
        .lines()
        .filter(|l| !stable_lines.contains(l))
        .collect();
    assert_eq!(extra.len(), 5, "{extra:#?}");
    assert!(extra.iter().all(|l| l.contains(" [preview]")));
    assert_eq!(preview.lines().count(), stable.lines().count() + 5);
    // The 20260405 document has 45 methods (counted in the JSON).
    assert_eq!(
        stable.lines().filter(|l| l.starts_with("method ")).count(),
        45
    );
    insta::assert_snapshot!("chat_stable_listing", stable);
    // The preview listing is stable + these lines, so its snapshot is the delta.
    insta::assert_snapshot!("chat_preview_only_listing_lines", extra.join("\n"));
}

#[test]
fn parameters_and_keys_round_trip_in_order() {
    let dir = real_documents_dir();
    let surface = stable_surface(&dir, "chat.v1.20260405.json");
    for item in &surface.items {
        assert_eq!(surface.get(&item.key).map(|i| &i.key), Some(&item.key));
    }
    let create = ItemKey::Method {
        resource: "spaces.messages".into(),
        name: "create".into(),
    };
    assert!(surface.get(&create).is_some());
}
