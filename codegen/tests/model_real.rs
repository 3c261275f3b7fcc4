//! The normalized model of the real documents (committed in `testdata/discovery/`).

use std::collections::BTreeSet;
use std::path::Path;

use codegen::model::{Availability, Model, Resource, TypeKind, TypeRef};
use discovery::{Document, testing};

mod model_common;
use model_common::walk_methods;

fn load(path: &Path) -> Document {
    Document::from_file(path).unwrap_or_else(|e| panic!("{e}"))
}

fn chat(dir: &Path) -> Document {
    load(&dir.join("chat").join("chat.v1.20260405.json"))
}

fn chat_preview(dir: &Path) -> Document {
    load(&dir.join("chat").join("chat.v1.preview.20260405.json"))
}

fn find<'m>(resources: &'m [Resource], path: &[&str]) -> &'m Resource {
    let (first, rest) = path.split_first().expect("non-empty path");
    let r = resources
        .iter()
        .find(|r| r.wire_name == *first)
        .unwrap_or_else(|| panic!("no resource {first}"));
    if rest.is_empty() {
        r
    } else {
        find(&r.resources, rest)
    }
}

#[test]
fn chat_stable_model() {
    let dir = testing::real_documents_dir();
    let doc = chat(&dir);
    let model = Model::build(&doc, None).expect("chat builds");
    let mut methods = Vec::new();
    walk_methods(&model.resources, &mut |_, m| methods.push(m.clone()));
    assert_eq!(methods.len(), 45);
    assert!(
        methods
            .iter()
            .all(|m| m.availability == Availability::Stable)
    );

    // Every schema is a type, under its own name (none of Chat's clash with a reserved one).
    let names: BTreeSet<&str> = model.types.iter().map(|t| t.rust_name.as_str()).collect();
    assert_eq!(doc.schemas.len(), 170);
    for id in doc.schemas.keys() {
        let def = model
            .types
            .iter()
            .find(|t| &t.wire_name == id)
            .unwrap_or_else(|| panic!("schema {id} missing"));
        // Card schemas are in `cards` without their prefix (`cards::Card`).
        let expected = match id.strip_prefix("GoogleAppsCardV1") {
            Some(short) => format!("cards::{short}"),
            None if id == "CardWithId" => "cards::CardWithId".to_owned(),
            None => id.clone(),
        };
        assert_eq!(def.rust_name, expected);
    }
    // Chat has no inline objects; its property enums and parameter enums are promoted.
    let promoted = model.types.len() - 170;
    assert_eq!(promoted, 62 + 2, "62 property enums + 2 parameter enums");
    let space_type = model
        .types
        .iter()
        .find(|t| t.rust_name == "SpaceSpaceType")
        .unwrap();
    assert_eq!(space_type.wire_name, "Space.properties.spaceType");
    let TypeKind::Enum(values) = &space_type.kind else {
        panic!("SpaceSpaceType is an enum");
    };
    let variants: Vec<&str> = values.iter().map(|v| v.rust_name.as_str()).collect();
    assert_eq!(
        variants,
        // `SPACE_TYPE_UNSPECIFIED` without the part that repeats the enum's name.
        ["Unspecified", "Space", "GroupChat", "DirectMessage"]
    );
    assert!(names.contains("SpacesMessagesCreateMessageReplyOption"));
    assert!(names.contains("SpacesFindGroupChatsSpaceView"));

    let messages = find(&model.resources, &["spaces", "messages"]);
    assert_eq!(messages.type_name, "SpacesMessagesResource");
    assert_eq!(messages.module_path, ["spaces", "messages"]);
    let list = messages
        .methods
        .iter()
        .find(|m| m.wire_name == "list")
        .unwrap();
    assert_eq!(list.builder_name, "SpacesMessagesListRequest");
    let pagination = list.pagination.as_ref().expect("messages.list pages");
    let items = pagination.items.as_ref().expect("messages.list streams");
    assert_eq!(items.item_type, TypeRef::Named("Message".into()));
    assert_eq!(items.field, "messages");
    assert_eq!(pagination.page_token_param, "page_token");
    assert_eq!(pagination.next_page_token_field, "next_page_token");
    assert_eq!(list.parameters[0].wire_name, "parent");
    assert!(list.parameters[0].required);

    let create = messages
        .methods
        .iter()
        .find(|m| m.wire_name == "create")
        .unwrap();
    assert_eq!(create.request, Some(TypeRef::Named("Message".into())));
    assert!(create.pagination.is_none());

    let upload = find(&model.resources, &["media"])
        .methods
        .iter()
        .find(|m| m.wire_name == "upload")
        .unwrap();
    let media = upload.media_upload.as_ref().expect("media.upload uploads");
    assert_eq!(media.max_size, Some(209_715_200));
    assert!(media.simple_multipart);

    // The cards' cycle (Card -> fixedFooter -> Button -> onClick -> Card) is boxed on every
    // edge inside it, and nowhere else.
    let mut boxed = Vec::new();
    for t in &model.types {
        if let TypeKind::Struct(fields) = &t.kind {
            for f in fields.iter().filter(|f| f.boxed) {
                boxed.push(format!("{}.{}", t.rust_name, f.rust_name));
            }
        }
    }
    assert_eq!(
        boxed,
        [
            "cards::Button.on_click",
            "cards::Card.fixed_footer",
            "cards::CardFixedFooter.primary_button",
            "cards::CardFixedFooter.secondary_button",
            "cards::OnClick.card",
        ]
    );

    // Deterministic.
    assert_eq!(Model::build(&doc, None).unwrap(), model);
    // Standard parameters come from the document's global `parameters`.
    let std_names: Vec<&str> = model
        .standard_parameters
        .iter()
        .map(|p| p.rust_name.as_str())
        .collect();
    assert!(std_names.contains(&"xgafv") && std_names.contains(&"quota_user"));
    model_common::check_identifiers(&model);
}

#[test]
fn chat_preview_merge() {
    let dir = testing::real_documents_dir();
    let stable = chat(&dir);
    let preview = chat_preview(&dir);
    assert!(Model::merge_conflicts(&stable, &preview).is_empty());
    let model = Model::build(&stable, Some(&preview)).expect("merged chat builds");
    assert_eq!(model.preview_revision.as_deref(), Some("20260405"));
    let mut not_stable = Vec::new();
    walk_methods(&model.resources, &mut |r, m| {
        if r.availability != Availability::Stable {
            not_stable.push(format!("resource {}", r.wire_path.join(".")));
        }
        if m.availability != Availability::Stable {
            not_stable.push(format!("method {}", m.id));
        }
        for p in &m.parameters {
            if p.availability != m.availability {
                not_stable.push(format!("parameter {}.{}", m.id, p.wire_name));
            }
        }
    });
    for t in &model.types {
        if t.availability != Availability::Stable {
            not_stable.push(format!("type {}", t.rust_name));
        }
        match &t.kind {
            TypeKind::Struct(fields) => {
                for f in fields.iter().filter(|f| f.availability != t.availability) {
                    not_stable.push(format!("field {}.{}", t.rust_name, f.wire_name));
                }
            }
            TypeKind::Enum(values) => {
                for v in values.iter().filter(|v| v.availability != t.availability) {
                    not_stable.push(format!("value {}.{}", t.rust_name, v.wire_value));
                }
            }
            TypeKind::Alias(_) => {}
        }
    }
    for s in model
        .scopes
        .iter()
        .filter(|s| s.availability != Availability::Stable)
    {
        not_stable.push(format!("scope {}", s.url));
    }
    not_stable.sort();
    assert_eq!(
        not_stable,
        [
            "method chat.spaces.messages.replaceCards",
            "type ReplaceMessageCardsRequest",
            "type ReplaceMessageCardsResponse",
        ]
    );
    let replace = find(&model.resources, &["spaces", "messages"])
        .methods
        .iter()
        .find(|m| m.wire_name == "replaceCards")
        .unwrap();
    assert_eq!(replace.availability, Availability::PreviewOnly);
    assert_eq!(replace.rust_name, "replace_cards");
    assert_eq!(replace.builder_name, "SpacesMessagesReplaceCardsRequest");

    // Turning the preview on renames nothing that is stable.
    let stable_model = Model::build(&stable, None).unwrap();
    let stable_names: BTreeSet<String> = stable_model
        .types
        .iter()
        .map(|t| t.rust_name.clone())
        .collect();
    let merged_names: BTreeSet<String> = model.types.iter().map(|t| t.rust_name.clone()).collect();
    assert!(stable_names.is_subset(&merged_names));
    model_common::check_identifiers(&model);
}

#[test]
fn every_chat_revision_builds_and_merges_with_the_next() {
    let dir = testing::real_documents_dir();
    let revisions = ["20210314", "20230406", "20240709", "20260120", "20260405"];
    let docs: Vec<Document> = revisions
        .iter()
        .map(|r| load(&dir.join("chat").join(format!("chat.v1.{r}.json"))))
        .collect();
    for doc in &docs {
        let model = Model::build(doc, None).unwrap_or_else(|e| panic!("{e}"));
        model_common::check_identifiers(&model);
    }
    for pair in docs.windows(2) {
        // Using the newer revision as the "preview" exercises the merge on real changes:
        // no item changes shape, and names stay valid and unique over the union.
        assert_eq!(
            Model::merge_conflicts(&pair[0], &pair[1]),
            Vec::<String>::new()
        );
        let model = Model::build(&pair[0], Some(&pair[1])).unwrap_or_else(|e| panic!("{e}"));
        model_common::check_identifiers(&model);
        assert!(
            model
                .types
                .iter()
                .any(|t| t.availability == Availability::PreviewOnly)
        );
    }
}

#[test]
fn other_apis_build_with_valid_unique_names() {
    // Every document in other/, so one placed there is checked too.
    for path in testing::other_documents() {
        let name = path.display();
        let doc = load(&path);
        let model = Model::build(&doc, None).unwrap_or_else(|e| panic!("{name}: {e}"));
        assert_eq!(
            Model::build(&doc, None).unwrap(),
            model,
            "{name} is deterministic"
        );
        model_common::check_identifiers(&model);
        // Every schema is a type.
        for id in doc.schemas.keys() {
            assert!(
                model.types.iter().any(|t| &t.wire_name == id),
                "{name}: {id}"
            );
        }
    }
}

/// At 20261107 `SearchSpacesResponse` has two arrays (`spaces`, `results`): `spaces.search`
/// still streams, picking the array named like its resource. Typed names come from the
/// path patterns, one per form.
#[test]
fn chat_20261107_pages_search_and_names_resources() {
    let dir = testing::real_documents_dir();
    let model = Model::build(&load(&dir.join("chat").join("chat.v1.20261107.json")), None).unwrap();
    let search = find(&model.resources, &["spaces"])
        .methods
        .iter()
        .find(|m| m.wire_name == "search")
        .unwrap();
    let pagination = search.pagination.as_ref().expect("spaces.search pages");
    let items = pagination.items.as_ref().expect("spaces.search streams");
    assert_eq!(items.field, "spaces");
    assert_eq!(items.item_type, TypeRef::Named("Space".into()));
    let mut paged = 0;
    walk_methods(&model.resources, &mut |_, m| {
        if let Some(p) = &m.pagination {
            paged += 1;
            assert!(p.items.is_some(), "{} pages but does not stream", m.id);
        }
    });
    // Every method with a `pageToken` parameter (counted in the JSON: 11).
    assert_eq!(paged, 11);

    let names: Vec<(&str, &str)> = model
        .resource_names
        .iter()
        .map(|n| (n.rust_name.as_str(), n.template.as_str()))
        .collect();
    for expected in [
        ("SpaceName", "spaces/{space}"),
        ("MessageName", "spaces/{space}/messages/{message}"),
        ("MemberName", "spaces/{space}/members/{member}"),
        ("CustomEmojiName", "customEmojis/{custom_emoji}"),
        ("AvailabilityName", "users/{user}/availability"),
        (
            "ThreadReadStateName",
            "users/{user}/spaces/{space}/threads/{thread}/threadReadState",
        ),
    ] {
        assert!(names.contains(&expected), "{expected:?} in {names:?}");
    }
    // `media.download`'s `^.*$` is not a form; `spaces.messages.create`'s parent is.
    walk_methods(&model.resources, &mut |_, m| {
        for p in &m.parameters {
            match (m.id.as_str(), p.wire_name.as_str()) {
                ("chat.media.download", "resourceName") => assert_eq!(p.name_template, None),
                ("chat.spaces.messages.create", "parent") => {
                    assert_eq!(p.name_template.as_deref(), Some("spaces/{space}"));
                    assert_eq!(p.name_type.as_deref(), Some("SpaceName"));
                }
                _ => {}
            }
        }
    });
}
