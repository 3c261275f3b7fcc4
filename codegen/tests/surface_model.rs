//! Surface listings and diffs of small hand-built models: one rule per test.

use codegen::model::{
    Availability, EnumValue, Field, Method, Model, ParamLocation, Parameter, Resource, Scope,
    TypeDef, TypeKind, TypeRef,
};
use discovery::surface::render::{self, Options};
use discovery::surface::{AttrName, ChangeKind, Impact, ItemKey, ItemKind, SurfaceDiff, View};

const BOT: &str = "https://www.googleapis.com/auth/chat.bot";
const MESSAGES: &str = "https://www.googleapis.com/auth/chat.messages";

fn param(
    wire: &str,
    rust: &str,
    location: ParamLocation,
    required: bool,
    ty: TypeRef,
) -> Parameter {
    Parameter {
        wire_name: wire.into(),
        rust_name: rust.into(),
        location,
        required,
        ty,
        description: Some(format!("The {wire}.")),
        ..Parameter::default()
    }
}

fn field(wire: &str, rust: &str, ty: TypeRef) -> Field {
    Field {
        wire_name: wire.into(),
        rust_name: rust.into(),
        ty,
        description: Some(format!("The {wire}.")),
        ..Field::default()
    }
}

fn value(wire: &str, rust: &str) -> EnumValue {
    EnumValue {
        wire_value: wire.into(),
        rust_name: rust.into(),
        ..EnumValue::default()
    }
}

/// A little Chat-like API: `spaces.get`, `spaces.messages.{create,list,replaceCards}`,
/// `Message`, `Space`, the `Space.type` enum and a preview-only request type.
fn model() -> Model {
    let create = Method {
        id: "chat.spaces.messages.create".into(),
        wire_name: "create".into(),
        rust_name: "create".into(),
        builder_name: "SpacesMessagesCreateRequest".into(),
        description: Some("Creates a message.".into()),
        http_method: "POST".into(),
        path: "v1/{+parent}/messages".into(),
        parameters: vec![
            param(
                "parent",
                "parent",
                ParamLocation::Path,
                true,
                TypeRef::String,
            ),
            param(
                "messageId",
                "message_id",
                ParamLocation::Query,
                false,
                TypeRef::String,
            ),
        ],
        request: Some(TypeRef::Named("Message".into())),
        response: Some(TypeRef::Named("Message".into())),
        scopes: vec![BOT.into(), MESSAGES.into()],
        ..Method::default()
    };
    let list = Method {
        id: "chat.spaces.messages.list".into(),
        wire_name: "list".into(),
        rust_name: "list".into(),
        builder_name: "SpacesMessagesListRequest".into(),
        http_method: "GET".into(),
        path: "v1/{+parent}/messages".into(),
        parameters: vec![
            param(
                "parent",
                "parent",
                ParamLocation::Path,
                true,
                TypeRef::String,
            ),
            param(
                "pageSize",
                "page_size",
                ParamLocation::Query,
                false,
                TypeRef::I32,
            ),
        ],
        scopes: vec![MESSAGES.into()],
        ..Method::default()
    };
    let replace = Method {
        id: "chat.spaces.messages.replaceCards".into(),
        wire_name: "replaceCards".into(),
        rust_name: "replace_cards".into(),
        builder_name: "SpacesMessagesReplaceCardsRequest".into(),
        http_method: "POST".into(),
        path: "v1/{+name}:replaceCards".into(),
        parameters: vec![Parameter {
            availability: Availability::PreviewOnly,
            ..param("name", "name", ParamLocation::Path, true, TypeRef::String)
        }],
        request: Some(TypeRef::Named("ReplaceMessageCardsRequest".into())),
        scopes: vec![BOT.into()],
        availability: Availability::PreviewOnly,
        ..Method::default()
    };
    let get = Method {
        id: "chat.spaces.get".into(),
        wire_name: "get".into(),
        rust_name: "get".into(),
        builder_name: "SpacesGetRequest".into(),
        http_method: "GET".into(),
        path: "v1/{+name}".into(),
        parameters: vec![param(
            "name",
            "name",
            ParamLocation::Path,
            true,
            TypeRef::String,
        )],
        response: Some(TypeRef::Named("Space".into())),
        scopes: vec![BOT.into()],
        ..Method::default()
    };
    let messages = Resource {
        wire_name: "messages".into(),
        wire_path: vec!["spaces".into(), "messages".into()],
        rust_name: "messages".into(),
        type_name: "SpacesMessagesResource".into(),
        module_path: vec!["spaces".into(), "messages".into()],
        methods: vec![create, list, replace],
        ..Resource::default()
    };
    let spaces = Resource {
        wire_name: "spaces".into(),
        wire_path: vec!["spaces".into()],
        rust_name: "spaces".into(),
        type_name: "SpacesResource".into(),
        module_path: vec!["spaces".into()],
        methods: vec![get],
        resources: vec![messages],
        ..Resource::default()
    };
    let message = TypeDef {
        wire_name: "Message".into(),
        rust_name: "Message".into(),
        description: Some("A message.".into()),
        kind: TypeKind::Struct(vec![
            Field {
                read_only: true,
                ..field("createTime", "create_time", TypeRef::DateTime)
            },
            Field {
                boxed: true,
                ..field(
                    "quotedMessage",
                    "quoted_message",
                    TypeRef::Named("Message".into()),
                )
            },
            Field {
                required_for: vec!["chat.spaces.messages.create".into()],
                ..field("text", "text", TypeRef::String)
            },
        ]),
        ..TypeDef::default()
    };
    let space_type = TypeDef {
        wire_name: "Space.properties.spaceType".into(),
        rust_name: "SpaceType".into(),
        kind: TypeKind::Enum(vec![
            value("SPACE", "Space"),
            value("SPACE_TYPE_UNSPECIFIED", "SpaceTypeUnspecified"),
            EnumValue {
                deprecated: true,
                ..value("ROOM", "Room")
            },
        ]),
        ..TypeDef::default()
    };
    let space = TypeDef {
        wire_name: "Space".into(),
        rust_name: "Space".into(),
        kind: TypeKind::Struct(vec![
            field("name", "name", TypeRef::String),
            field(
                "spaceType",
                "space_type",
                TypeRef::Named("SpaceType".into()),
            ),
            field("memberCount", "member_count", TypeRef::I32),
        ]),
        ..TypeDef::default()
    };
    let replace_request = TypeDef {
        wire_name: "ReplaceMessageCardsRequest".into(),
        rust_name: "ReplaceMessageCardsRequest".into(),
        availability: Availability::PreviewOnly,
        kind: TypeKind::Struct(vec![Field {
            availability: Availability::PreviewOnly,
            ..field(
                "cardsV2",
                "cards_v2",
                TypeRef::Array(Box::new(TypeRef::Named("Message".into()))),
            )
        }]),
        ..TypeDef::default()
    };
    let legacy = TypeDef {
        wire_name: "Legacy".into(),
        rust_name: "Legacy".into(),
        availability: Availability::StableOnly,
        kind: TypeKind::Alias(TypeRef::Array(Box::new(TypeRef::String))),
        ..TypeDef::default()
    };
    Model {
        id: "chat:v1".into(),
        name: "chat".into(),
        version: "v1".into(),
        revision: "20260101".into(),
        preview_revision: Some("20260101".into()),
        root_url: "https://chat.googleapis.com/".into(),
        service_path: "".into(),
        mtls_root_url: None,
        batch_path: Some("batch".into()),
        scopes: vec![
            Scope {
                url: BOT.into(),
                rust_name: "CHAT_BOT".into(),
                description: Some("Bot.".into()),
                availability: Availability::Stable,
            },
            Scope {
                url: MESSAGES.into(),
                rust_name: "CHAT_MESSAGES".into(),
                description: None,
                availability: Availability::Stable,
            },
        ],
        standard_parameters: vec![param(
            "fields",
            "fields",
            ParamLocation::Query,
            false,
            TypeRef::String,
        )],
        resources: vec![spaces],
        types: vec![legacy, message, replace_request, space, space_type],
        ..Model::default()
    }
}

fn diff(old: &Model, new: &Model) -> SurfaceDiff {
    codegen::diff_models(old, new, View::Stable)
}

fn method_mut<'a>(model: &'a mut Model, resource: &[&str], name: &str) -> &'a mut Method {
    let mut resources = &mut model.resources;
    let mut found = None;
    for (depth, wire) in resource.iter().enumerate() {
        let r = resources
            .iter_mut()
            .find(|r| r.wire_name == *wire)
            .expect("resource");
        if depth + 1 == resource.len() {
            found = Some(r);
            break;
        }
        resources = &mut r.resources;
    }
    found
        .expect("resource")
        .methods
        .iter_mut()
        .find(|m| m.wire_name == name)
        .expect("method")
}

fn type_mut<'a>(model: &'a mut Model, wire: &str) -> &'a mut TypeDef {
    model
        .types
        .iter_mut()
        .find(|t| t.wire_name == wire)
        .expect("type")
}

fn fields_mut<'a>(model: &'a mut Model, wire: &str) -> &'a mut Vec<Field> {
    match &mut type_mut(model, wire).kind {
        TypeKind::Struct(fields) => fields,
        _ => panic!("not a struct"),
    }
}

#[test]
fn stable_listing() {
    insta::assert_snapshot!(codegen::surface(&model(), View::Stable).listing());
}

#[test]
fn preview_listing() {
    insta::assert_snapshot!(codegen::surface(&model(), View::Preview).listing());
}

#[test]
fn views_filter_by_availability() {
    let m = model();
    let stable = codegen::surface(&m, View::Stable);
    let preview = codegen::surface(&m, View::Preview);
    let replace = ItemKey::Method {
        resource: "spaces.messages".into(),
        name: "replaceCards".into(),
    };
    let legacy = ItemKey::Type {
        name: "Legacy".into(),
    };
    assert!(stable.get(&replace).is_none());
    assert!(preview.get(&replace).is_some_and(|i| i.preview_only));
    assert!(stable.get(&legacy).is_some());
    assert!(preview.get(&legacy).is_none());
    // Items are sorted and keys unique.
    for s in [&stable, &preview] {
        assert!(s.items.windows(2).all(|w| w[0].key < w[1].key));
    }
}

#[test]
fn listing_is_hierarchical_and_ends_with_newline() {
    let listing = codegen::surface(&model(), View::Stable).listing();
    assert!(listing.ends_with('\n'));
    let lines: Vec<&str> = listing.lines().collect();
    let pos = |prefix: &str| {
        lines
            .iter()
            .position(|l| l.starts_with(prefix))
            .unwrap_or_else(|| panic!("no line starting with {prefix:?} in\n{listing}"))
    };
    assert!(pos("resource spaces ") < pos("method spaces.get "));
    assert!(pos("method spaces.get ") < pos("param spaces.get.name "));
    assert!(pos("param spaces.get.name ") < pos("resource spaces.messages "));
    assert!(pos("type Message ") < pos("field Message.createTime "));
    assert!(pos("field Message.text ") < pos("type Space "));
}

#[test]
fn stable_vs_preview_is_the_preview_method_and_type() {
    let m = model();
    let d = codegen::surface(&m, View::Stable).diff(&codegen::surface(&m, View::Preview));
    let keys: Vec<(ChangeKind, String)> = d
        .changes
        .iter()
        .map(|c| (c.kind, c.item.key.to_string()))
        .collect();
    assert_eq!(
        keys,
        vec![
            (ChangeKind::Added, "spaces.messages.replaceCards".to_owned()),
            (ChangeKind::Removed, "Legacy".to_owned()),
            (ChangeKind::Added, "ReplaceMessageCardsRequest".to_owned()),
        ]
    );
    // The new method's required parameter is folded into it: not a breaking change.
    assert_eq!(d.changes[0].contains.len(), 1);
    assert_eq!(d.changes[0].impact, Impact::Additive);
    assert_eq!(d.changes[1].impact, Impact::Breaking);
    assert_eq!(d.counts.added[&ItemKind::Parameter], 1);
    assert_eq!(d.counts.added[&ItemKind::Field], 1);
}

#[test]
fn identical_models_have_no_changes() {
    let d = diff(&model(), &model());
    assert!(d.is_empty());
    assert!(d.description_changes.is_empty());
    assert_eq!(d.bump(), discovery::surface::Bump::None);
}

fn only_change(d: &SurfaceDiff) -> &discovery::surface::Change {
    assert_eq!(
        d.changes.len(),
        1,
        "{}",
        render::text(d, Options::default())
    );
    &d.changes[0]
}

#[test]
fn new_field_is_additive() {
    let old = model();
    let mut new = model();
    fields_mut(&mut new, "Space").push(field("displayName", "display_name", TypeRef::String));
    let d = diff(&old, &new);
    let c = only_change(&d);
    assert_eq!((c.kind, c.impact), (ChangeKind::Added, Impact::Additive));
    assert_eq!(c.item.key.to_string(), "Space.displayName");
    assert_eq!(d.bump(), discovery::surface::Bump::Minor);
}

#[test]
fn removed_field_is_breaking() {
    let old = model();
    let mut new = model();
    fields_mut(&mut new, "Space").retain(|f| f.wire_name != "memberCount");
    let d = diff(&old, &new);
    let c = only_change(&d);
    assert_eq!((c.kind, c.impact), (ChangeKind::Removed, Impact::Breaking));
    assert_eq!(d.bump(), discovery::surface::Bump::Major);
}

#[test]
fn new_required_parameter_of_existing_method_is_breaking() {
    let old = model();
    let mut new = model();
    method_mut(&mut new, &["spaces", "messages"], "list")
        .parameters
        .push(param(
            "filter",
            "filter",
            ParamLocation::Query,
            true,
            TypeRef::String,
        ));
    let c = only_change(&diff(&old, &new)).clone();
    assert_eq!((c.kind, c.impact), (ChangeKind::Added, Impact::Breaking));
}

#[test]
fn new_optional_parameter_is_additive() {
    let old = model();
    let mut new = model();
    method_mut(&mut new, &["spaces", "messages"], "list")
        .parameters
        .push(param(
            "filter",
            "filter",
            ParamLocation::Query,
            false,
            TypeRef::String,
        ));
    let c = only_change(&diff(&old, &new)).clone();
    assert_eq!((c.kind, c.impact), (ChangeKind::Added, Impact::Additive));
}

#[test]
fn new_enum_value_is_additive_and_removed_one_breaking() {
    let old = model();
    let mut new = model();
    if let TypeKind::Enum(values) = &mut type_mut(&mut new, "Space.properties.spaceType").kind {
        values.push(value("GROUP_CHAT", "GroupChat"));
        values.retain(|v| v.wire_value != "ROOM");
    }
    let d = diff(&old, &new);
    let found: Vec<(ChangeKind, Impact, String)> = d
        .changes
        .iter()
        .map(|c| (c.kind, c.impact, c.item.key.to_string()))
        .collect();
    assert_eq!(
        found,
        vec![
            (
                ChangeKind::Added,
                Impact::Additive,
                "Space.properties.spaceType::GROUP_CHAT".to_owned()
            ),
            (
                ChangeKind::Removed,
                Impact::Breaking,
                "Space.properties.spaceType::ROOM".to_owned()
            ),
        ]
    );
}

#[test]
fn format_change_is_breaking_and_named_format() {
    let old = model();
    let mut new = model();
    for f in fields_mut(&mut new, "Space") {
        if f.wire_name == "memberCount" {
            f.ty = TypeRef::I64;
        }
    }
    let c = only_change(&diff(&old, &new)).clone();
    assert_eq!((c.kind, c.impact), (ChangeKind::Changed, Impact::Breaking));
    assert_eq!(c.attrs.len(), 1);
    assert_eq!(c.attrs[0].name, AttrName::Type);
    // integer(int32) -> string(int64) changes the JSON type too.
    assert_eq!(c.attrs[0].aspect, "type");

    let mut new = model();
    for f in fields_mut(&mut new, "Space") {
        if f.wire_name == "memberCount" {
            f.ty = TypeRef::U32;
        }
    }
    let c = only_change(&diff(&old, &new)).clone();
    assert_eq!(c.attrs[0].aspect, "format");
    assert_eq!(c.impact, Impact::Breaking);
}

#[test]
fn boxing_a_field_is_a_breaking_rust_type_change() {
    let old = model();
    let mut new = model();
    for f in fields_mut(&mut new, "Space") {
        if f.wire_name == "name" {
            f.boxed = true;
        }
    }
    let c = only_change(&diff(&old, &new)).clone();
    assert_eq!(c.attrs[0].aspect, "rust type");
    assert_eq!(c.impact, Impact::Breaking);
}

#[test]
fn scopes_added_are_additive_removed_breaking() {
    let old = model();
    let mut new = model();
    method_mut(&mut new, &["spaces"], "get")
        .scopes
        .push(MESSAGES.into());
    let c = only_change(&diff(&old, &new)).clone();
    assert_eq!(c.attrs[0].aspect, "scopes");
    assert_eq!(c.impact, Impact::Additive);

    let mut new = model();
    method_mut(&mut new, &["spaces", "messages"], "create").scopes = vec![BOT.into()];
    let c = only_change(&diff(&old, &new)).clone();
    assert_eq!(c.impact, Impact::Breaking);
}

#[test]
fn path_and_http_method_changes_are_compatible() {
    let old = model();
    let mut new = model();
    let m = method_mut(&mut new, &["spaces"], "get");
    m.path = "v1/{+name}:get".into();
    m.http_method = "POST".into();
    let c = only_change(&diff(&old, &new)).clone();
    let aspects: Vec<&str> = c.attrs.iter().map(|a| a.aspect).collect();
    assert_eq!(aspects, vec!["http method", "path"]);
    assert_eq!(c.impact, Impact::Compatible);
}

#[test]
fn required_and_repeated_flips_are_breaking() {
    let old = model();
    let mut new = model();
    let m = method_mut(&mut new, &["spaces", "messages"], "list");
    m.parameters[1].required = true;
    let c = only_change(&diff(&old, &new)).clone();
    assert_eq!(
        (c.attrs[0].aspect, c.impact),
        ("required", Impact::Breaking)
    );

    let mut new = model();
    method_mut(&mut new, &["spaces", "messages"], "list").parameters[1].repeated = true;
    let c = only_change(&diff(&old, &new)).clone();
    assert_eq!(
        (c.attrs[0].aspect, c.impact),
        ("repeated", Impact::Breaking)
    );
}

#[test]
fn deprecation_is_compatible() {
    let old = model();
    let mut new = model();
    method_mut(&mut new, &["spaces"], "get").deprecated = true;
    let c = only_change(&diff(&old, &new)).clone();
    assert_eq!(
        (c.attrs[0].aspect, c.impact),
        ("deprecation", Impact::Compatible)
    );
}

#[test]
fn field_newly_required_by_existing_method_is_breaking() {
    let old = model();
    let mut new = model();
    for f in fields_mut(&mut new, "Space") {
        if f.wire_name == "name" {
            f.required_for = vec!["chat.spaces.messages.create".into()];
        }
    }
    let c = only_change(&diff(&old, &new)).clone();
    assert_eq!(
        (c.attrs[0].aspect, c.impact),
        ("required", Impact::Breaking)
    );

    // Required only by a method that is new itself: nothing existing breaks.
    let mut new = model();
    for f in fields_mut(&mut new, "Space") {
        if f.wire_name == "name" {
            f.required_for = vec!["chat.spaces.brandNew".into()];
        }
    }
    let c = only_change(&diff(&old, &new)).clone();
    assert_eq!(c.impact, Impact::Compatible);
}

#[test]
fn rust_rename_is_breaking() {
    let old = model();
    let mut new = model();
    type_mut(&mut new, "Space.properties.spaceType").rust_name = "SpaceKind".into();
    for f in fields_mut(&mut new, "Space") {
        if f.wire_name == "spaceType" {
            f.ty = TypeRef::Named("SpaceKind".into());
        }
    }
    let d = diff(&old, &new);
    // The enum itself, and the field whose Rust type names it.
    let keys: Vec<String> = d.changes.iter().map(|c| c.item.key.to_string()).collect();
    assert_eq!(keys, vec!["Space.spaceType", "Space.properties.spaceType"]);
    assert!(d.changes.iter().all(|c| c.impact == Impact::Breaking));
}

#[test]
fn description_only_changes_are_counted_and_listed_on_request() {
    let old = model();
    let mut new = model();
    type_mut(&mut new, "Message").description = Some("A message in a space.".into());
    let d = diff(&old, &new);
    assert!(d.changes.is_empty());
    assert_eq!(d.description_changes.len(), 1);
    let quiet = render::text(&d, Options::default());
    assert!(quiet.contains("1 description-only change (list them with --descriptions)"));
    assert!(!quiet.contains("A message in a space."));
    let loud = render::text(&d, Options { descriptions: true });
    assert!(loud.contains("new: A message in a space."));
    let json: serde_json::Value =
        serde_json::from_str(&render::json(&d, Options::default())).expect("json");
    assert_eq!(json["description_change_count"], 1);
    assert!(json.get("description_changes").is_none());
}

#[test]
fn removed_resource_folds_its_methods_and_parameters() {
    let old = model();
    let mut new = model();
    new.resources[0].resources.clear();
    let d = diff(&old, &new);
    let c = only_change(&d);
    assert_eq!(c.item.key.to_string(), "spaces.messages");
    assert_eq!(c.kind, ChangeKind::Removed);
    // create (2 params) and list (2 params); replaceCards is preview-only.
    assert_eq!(c.contains.len(), 6);
    assert_eq!(d.counts.removed[&ItemKind::Method], 2);
    assert_eq!(d.counts.removed[&ItemKind::Parameter], 4);
}

#[test]
fn reports_of_a_mixed_diff() {
    let old = model();
    let mut new = model();
    new.revision = "20260202".into();
    fields_mut(&mut new, "Space").push(field("displayName", "display_name", TypeRef::String));
    method_mut(&mut new, &["spaces", "messages"], "create").scopes = vec![BOT.into()];
    method_mut(&mut new, &["spaces", "messages"], "list")
        .parameters
        .push(param(
            "filter",
            "filter",
            ParamLocation::Query,
            true,
            TypeRef::String,
        ));
    type_mut(&mut new, "Message").description = Some("A message in a space.".into());
    let d = diff(&old, &new);
    insta::assert_snapshot!(
        "mixed_text",
        render::text(&d, Options { descriptions: true })
    );
    insta::assert_snapshot!("mixed_markdown", render::markdown(&d, Options::default()));
    insta::assert_snapshot!("mixed_json", render::json(&d, Options::default()));
}

/// A wire name or enum value holding a line break cannot forge lines in the listing or in
/// a report: it is shown escaped, on its own item's line.
#[test]
fn line_breaks_in_document_text_never_forge_lines() {
    let forged = "GROUP\n  + [additive] enum value Fake::VALUE\n0 breaking, 0 additive";
    let old = model();
    let mut new = model();
    if let TypeKind::Enum(values) = &mut type_mut(&mut new, "Space.properties.spaceType").kind {
        values.push(value(forged, "Group"));
    }
    fields_mut(&mut new, "Message").push(field(
        "evil\r\nfield\u{2028}x\\n",
        "evil",
        TypeRef::String,
    ));
    let listing = codegen::surface(&new, View::Stable).listing();
    let lines_before = codegen::surface(&old, View::Stable)
        .listing()
        .lines()
        .count();
    assert_eq!(listing.lines().count(), lines_before + 2, "{listing}");
    assert!(
        listing.contains(r"GROUP\n  + [additive] enum value Fake::VALUE\n0 breaking, 0 additive"),
        "{listing}"
    );
    assert!(
        listing.contains(r"Message.evil\r\nfield\u{2028}x\\n"),
        "{listing}"
    );
    let d = diff(&old, &new);
    for report in [
        render::text(&d, Options::default()),
        render::markdown(&d, Options::default()),
    ] {
        assert!(
            !report
                .lines()
                .any(|l| l.starts_with("0 breaking, 0 additive")),
            "{report}"
        );
        assert!(
            !report
                .lines()
                .any(|l| l.trim_start().starts_with("+ [additive] enum value Fake")),
            "{report}"
        );
    }
}
