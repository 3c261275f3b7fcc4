//! The normalized model of small hand-written documents, one construct each, with exact
//! names.

use codegen::model::{
    Availability, Field, Method, Model, ParamLocation, Resource, TypeDef, TypeKind, TypeRef,
};
use discovery::{Document, Error};

mod model_common;

fn fixture_value(name: &str) -> serde_json::Value {
    let path = format!("{}/tests/fixtures/model/{name}", env!("CARGO_MANIFEST_DIR"));
    let bytes = std::fs::read(&path).unwrap_or_else(|e| panic!("{path}: {e}"));
    serde_json::from_slice(&bytes).unwrap_or_else(|e| panic!("{path}: {e}"))
}

fn doc(value: serde_json::Value) -> Document {
    serde_json::from_value(value).expect("a document")
}

fn build(name: &str) -> Model {
    let model = Model::build(&doc(fixture_value(name)), None).expect("builds");
    model_common::check_identifiers(&model);
    model
}

fn ty<'m>(model: &'m Model, rust_name: &str) -> &'m TypeDef {
    model
        .types
        .iter()
        .find(|t| t.rust_name == rust_name)
        .unwrap_or_else(|| panic!("no type {rust_name}"))
}

fn fields<'m>(model: &'m Model, rust_name: &str) -> &'m [Field] {
    match &ty(model, rust_name).kind {
        TypeKind::Struct(fields) => fields,
        other => panic!("{rust_name} is not a struct: {other:?}"),
    }
}

fn field<'m>(model: &'m Model, type_name: &str, wire: &str) -> &'m Field {
    fields(model, type_name)
        .iter()
        .find(|f| f.wire_name == wire)
        .unwrap_or_else(|| panic!("no field {type_name}.{wire}"))
}

fn variants(model: &Model, rust_name: &str) -> Vec<(String, String, Availability)> {
    match &ty(model, rust_name).kind {
        TypeKind::Enum(values) => values
            .iter()
            .map(|v| (v.wire_value.clone(), v.rust_name.clone(), v.availability))
            .collect(),
        other => panic!("{rust_name} is not an enum: {other:?}"),
    }
}

fn resource<'m>(resources: &'m [Resource], path: &[&str]) -> &'m Resource {
    let (first, rest) = path.split_first().expect("non-empty path");
    let r = resources
        .iter()
        .find(|r| r.wire_name == *first)
        .unwrap_or_else(|| panic!("no resource {first}"));
    if rest.is_empty() {
        r
    } else {
        resource(&r.resources, rest)
    }
}

fn method<'m>(model: &'m Model, path: &[&str], name: &str) -> &'m Method {
    resource(&model.resources, path)
        .methods
        .iter()
        .find(|m| m.wire_name == name)
        .unwrap_or_else(|| panic!("no method {name}"))
}

fn named(name: &str) -> TypeRef {
    TypeRef::Named(name.to_owned())
}

#[test]
fn type_names_avoid_the_prelude_and_collide_deterministically() {
    let model = build("names.json");
    let pairs: Vec<(&str, &str)> = model
        .types
        .iter()
        .map(|t| (t.wire_name.as_str(), t.rust_name.as_str()))
        .collect();
    assert_eq!(
        pairs,
        [
            ("ClientSchema", "ClientSchema"),
            ("Client", "ClientSchema2"),
            ("Error", "ErrorSchema"),
            ("FooBar", "FooBar"),
            ("foo_bar", "FooBar2"),
            ("Option", "OptionSchema"),
            ("Result", "ResultSchema"),
            ("self", "SelfSchema"),
            ("String", "StringSchema"),
            (
                "resources.type.methods.get.parameters.enumParam",
                "TypeGetEnumParam"
            ),
        ]
    );
    assert_eq!(
        ty(&model, "StringSchema").kind,
        TypeKind::Alias(TypeRef::String)
    );
    assert_eq!(
        ty(&model, "ClientSchema2").kind,
        TypeKind::Struct(Vec::new())
    );
    assert_eq!(field(&model, "ErrorSchema", "code").ty, TypeRef::I32);
}

#[test]
fn field_names_escape_keywords_and_collisions() {
    let model = build("names.json");
    let names: Vec<(&str, &str)> = fields(&model, "OptionSchema")
        .iter()
        .map(|f| (f.wire_name.as_str(), f.rust_name.as_str()))
        .collect();
    assert_eq!(
        names,
        [
            ("", "unnamed"),
            ("1st", "v1st"),
            ("@type", "at_type"),
            ("Self", "self_"),
            ("async", "async_"),
            ("crate", "crate_"),
            ("fooBar", "foo_bar_2"),
            ("foo_bar", "foo_bar"),
            ("gen", "gen_"),
            ("self", "self_2"),
            ("type", "type_"),
            ("union", "union"),
        ]
    );
}

#[test]
fn enum_variants_are_readable_and_never_unknown() {
    let model = build("names.json");
    let got: Vec<(String, String)> = variants(&model, "ResultSchema")
        .into_iter()
        .map(|(w, r, _)| (w, r))
        .collect();
    let want = [
        ("1", "V1"),
        ("@type", "AtType"),
        ("TYPE_UNSPECIFIED", "TypeUnspecified"),
        ("foo-bar", "FooBar2"),
        ("FOO_BAR", "FooBar"),
        ("", "Empty"),
        ("application/json", "ApplicationJson"),
        ("*", "Star"),
        ("UNKNOWN", "UnknownValue"),
        ("unknown-value", "UnknownValue2"),
        ("Self", "SelfValue"),
    ];
    let want: Vec<(String, String)> = want
        .iter()
        .map(|(w, r)| ((*w).to_owned(), (*r).to_owned()))
        .collect();
    assert_eq!(got, want, "document order, the duplicate `1` dropped");
    let TypeKind::Enum(values) = &ty(&model, "ResultSchema").kind else {
        unreachable!()
    };
    let unknown = values.iter().find(|v| v.wire_value == "UNKNOWN").unwrap();
    assert!(unknown.deprecated);
    assert_eq!(unknown.description.as_deref(), Some("unknown"));
}

#[test]
fn resources_methods_and_parameters_are_named_per_scope() {
    let model = build("names.json");
    let top: Vec<(&str, &str, &str, Vec<String>)> = model
        .resources
        .iter()
        .map(|r| {
            (
                r.wire_name.as_str(),
                r.rust_name.as_str(),
                r.type_name.as_str(),
                r.module_path.clone(),
            )
        })
        .collect();
    let strings = |v: &[&str]| v.iter().map(|s| (*s).to_owned()).collect::<Vec<_>>();
    assert_eq!(
        top,
        [
            ("", "", "RootResource", vec![]),
            (
                "builder",
                "builder_resource",
                "BuilderResource",
                strings(&["builder_resource"])
            ),
            (
                "fooBar",
                "foo_bar_2",
                "FooBarResource",
                strings(&["foo_bar_2"])
            ),
            (
                "foo_bar",
                "foo_bar",
                "FooBarResource2",
                strings(&["foo_bar"])
            ),
            ("type", "type_", "TypeResource", strings(&["type_"])),
        ]
    );
    let root: Vec<(&str, &str)> = model.resources[0]
        .methods
        .iter()
        .map(|m| (m.rust_name.as_str(), m.builder_name.as_str()))
        .collect();
    assert_eq!(
        root,
        [
            ("builder_method", "BuilderRequest"),
            // `execute` is no member of the generated client since the runtime split
            // (calls go through `google_api_runtime::contract::execute`).
            ("execute", "ExecuteRequest")
        ]
    );

    let handle = resource(&model.resources, &["type"]);
    let members: Vec<(&str, &str, &str)> = handle
        .methods
        .iter()
        .map(|m| {
            (
                m.wire_name.as_str(),
                m.rust_name.as_str(),
                m.builder_name.as_str(),
            )
        })
        .collect();
    assert_eq!(
        members,
        [
            ("clone", "clone_method", "TypeCloneRequest"),
            ("get", "get", "TypeGetRequest"),
            ("list", "list_2", "TypeListRequest"),
            ("move", "move_", "TypeMoveRequest"),
        ]
    );
    let sub = &handle.resources[0];
    assert_eq!(
        (sub.rust_name.as_str(), sub.type_name.as_str()),
        ("list", "TypeListResource")
    );
    assert_eq!(sub.module_path, ["type_", "list"]);
    assert_eq!(sub.wire_path, ["type", "list"]);
    assert_eq!(sub.methods[0].builder_name, "TypeListGetRequest");

    let get = method(&model, &["type"], "get");
    assert_eq!(get.http_method, "GET");
    assert_eq!(get.response, Some(named("OptionSchema")));
    let params: Vec<(&str, &str, bool, &TypeRef)> = get
        .parameters
        .iter()
        .map(|p| {
            (
                p.wire_name.as_str(),
                p.rust_name.as_str(),
                p.required,
                &p.ty,
            )
        })
        .collect();
    assert_eq!(
        params,
        [
            ("name", "name", true, &TypeRef::String),
            ("id", "id", true, &TypeRef::String),
            ("$.xgafv", "xgafv_2", false, &TypeRef::String),
            ("body", "body_param", false, &TypeRef::String),
            ("count", "count", false, &TypeRef::U32),
            ("enumParam", "enum_param", false, &named("TypeGetEnumParam")),
            ("self", "self_", false, &TypeRef::String),
            ("send", "send_param", false, &TypeRef::Bool),
            ("since", "since", false, &TypeRef::DateTime),
            ("tags", "tags", false, &TypeRef::String),
            ("xgafv", "xgafv", false, &TypeRef::String),
        ]
    );
    assert!(
        get.parameters
            .iter()
            .find(|p| p.wire_name == "tags")
            .unwrap()
            .repeated
    );
    assert_eq!(get.parameters[0].location, ParamLocation::Path);
    assert_eq!(get.parameters[2].location, ParamLocation::Query);
    let variants: Vec<String> = variants(&model, "TypeGetEnumParam")
        .into_iter()
        .map(|v| v.1)
        .collect();
    assert_eq!(variants, ["AB", "AB2"]);

    let standard: Vec<(&str, &str, &TypeRef)> = model
        .standard_parameters
        .iter()
        .map(|p| (p.wire_name.as_str(), p.rust_name.as_str(), &p.ty))
        .collect();
    assert_eq!(
        standard,
        [
            ("$.xgafv", "xgafv", &TypeRef::String),
            ("quotaUser", "quota_user", &TypeRef::String)
        ]
    );
}

#[test]
fn recursion_is_boxed_exactly_where_needed() {
    let model = build("recursion.json");
    let boxed = |t: &str, f: &str| field(&model, t, f).boxed;
    assert!(boxed("Node", "parent"), "self reference");
    assert!(!boxed("Node", "children"), "Vec already indirects");
    assert!(!boxed("Node", "byName"), "BTreeMap already indirects");
    assert!(!boxed("Node", "leaf"));
    assert!(boxed("A", "b") && boxed("B", "a"), "mutual recursion");
    assert!(!boxed("B", "leaf"));
    assert!(!boxed("Outer", "list"), "through an alias of a Vec");
    assert_eq!(
        ty(&model, "OuterList").kind,
        TypeKind::Alias(TypeRef::Array(Box::new(named("Outer"))))
    );
    assert_eq!(ty(&model, "Ptr").kind, TypeKind::Alias(named("Cyc")));
    assert!(
        boxed("Cyc", "next"),
        "through an alias of the struct itself"
    );
    assert_eq!(field(&model, "Tree", "child").ty, named("TreeChild"));
    assert!(
        boxed("Tree", "child") && boxed("TreeChild", "parent"),
        "through an inline type"
    );
    assert!(!boxed("TreeChild", "name"));
}

#[test]
fn inline_objects_maps_and_formats() {
    let model = build("inline.json");
    let f = |name: &str| field(&model, "Event", name).ty.clone();
    let arr = |t: TypeRef| TypeRef::Array(Box::new(t));
    assert_eq!(
        f("creator"),
        named("EventCreator2"),
        "the schema EventCreator keeps its name"
    );
    let creator = ty(&model, "EventCreator2");
    assert_eq!(creator.wire_name, "Event.properties.creator");
    assert_eq!(creator.description.as_deref(), Some("Who made it."));
    assert_eq!(field(&model, "EventCreator2", "self").rust_name, "self_");
    assert_eq!(f("attendees"), arr(named("EventAttendees")));
    assert_eq!(
        ty(&model, "EventAttendees").wire_name,
        "Event.properties.attendees.items"
    );
    assert_eq!(
        field(&model, "EventAttendees", "responseStatus").ty,
        named("EventAttendeesResponseStatus")
    );
    let status: Vec<String> = variants(&model, "EventAttendeesResponseStatus")
        .into_iter()
        .map(|v| v.1)
        .collect();
    assert_eq!(status, ["Accepted", "Declined"]);
    assert_eq!(f("labels"), TypeRef::Map(Box::new(TypeRef::String)));
    assert_eq!(
        f("metadata"),
        TypeRef::Map(Box::new(named("EventMetadata")))
    );
    assert_eq!(f("anything"), TypeRef::Any);
    assert_eq!(f("blob"), TypeRef::Any);
    assert_eq!(f("empty"), named("Empty"));
    assert_eq!(ty(&model, "Empty").kind, TypeKind::Struct(Vec::new()));
    let formats = [
        ("i64", TypeRef::I64),
        ("u64", TypeRef::U64),
        ("i32", TypeRef::I32),
        ("u32", TypeRef::U32),
        ("int", TypeRef::I32),
        ("double", TypeRef::F64),
        ("float", TypeRef::F32),
        ("number", TypeRef::F64),
        ("bytes", TypeRef::Bytes),
        ("gdt", TypeRef::DateTime),
        ("dt", TypeRef::DateTime),
        ("date", TypeRef::Date),
        ("duration", TypeRef::Duration),
        ("mask", TypeRef::FieldMask),
        ("flag", TypeRef::Bool),
        ("uri", TypeRef::String),
        ("matrix", arr(arr(TypeRef::I64))),
        ("statuses", arr(named("EventStatuses"))),
    ];
    for (name, want) in formats {
        assert_eq!(f(name), want, "Event.{name}");
    }
    assert!(field(&model, "Event", "i64").read_only);
    assert!(field(&model, "Event", "mask").deprecated);
    assert_eq!(
        field(&model, "Event", "flag").required_for,
        ["inline.events.a", "inline.events.insert"]
    );
    assert_eq!(
        ty(&model, "Labels").kind,
        TypeKind::Alias(TypeRef::Map(Box::new(TypeRef::String)))
    );
    assert_eq!(
        ty(&model, "Ids").kind,
        TypeKind::Alias(arr(named("IdsItem")))
    );
    assert_eq!(field(&model, "IdsItem", "id").ty, TypeRef::String);
    assert_eq!(ty(&model, "Anything").kind, TypeKind::Alias(TypeRef::Any));
    // Sorted by Rust name.
    let names: Vec<&str> = model.types.iter().map(|t| t.rust_name.as_str()).collect();
    let mut sorted = names.clone();
    sorted.sort();
    assert_eq!(names, sorted);
}

#[test]
fn methods_pagination_media_and_scopes() {
    let model = build("inline.json");
    assert_eq!(model.service_path, "inline/v1/");
    let list = method(&model, &["events"], "list");
    let pagination = list.pagination.as_ref().expect("list pages");
    assert_eq!(pagination.page_token_param, "page_token");
    assert_eq!(pagination.next_page_token_field, "next_page_token");
    let items = pagination
        .items
        .as_ref()
        .expect("one array field: stream()");
    assert_eq!(items.field, "items");
    assert_eq!(items.item_type, named("Event"));
    // Two array fields, neither named like the resource: pages() only.
    let two = method(&model, &["events"], "listTwo");
    let two = two.pagination.as_ref().expect("pages even with two arrays");
    assert!(two.items.is_none(), "two array fields: no stream()");
    let insert = method(&model, &["events"], "insert");
    assert!(insert.pagination.is_none());
    assert_eq!(insert.request, Some(named("Event")));
    assert_eq!(
        insert.scopes,
        ["https://a.example/scope", "https://b.example/scope"]
    );
    let media = insert.media_upload.as_ref().expect("uploads");
    assert_eq!(media.accept, ["image/*"]);
    assert_eq!(media.max_size, Some(10 << 20));
    assert_eq!(
        media.simple_path.as_deref(),
        Some("/upload/inline/v1/events")
    );
    assert!(media.simple_multipart);
    assert_eq!(
        media.resumable_path.as_deref(),
        Some("/resumable/upload/inline/v1/events")
    );
    assert!(insert.supports_media_download && insert.use_media_download_service);
    assert!(list.media_upload.is_none());
}

fn merged() -> (Document, Document, Model) {
    let stable = doc(fixture_value("merge_stable.json"));
    let preview = doc(fixture_value("merge_preview.json"));
    let model = Model::build(&stable, Some(&preview)).expect("merges");
    model_common::check_identifiers(&model);
    (stable, preview, model)
}

#[test]
fn merge_tags_every_kind_of_item() {
    use Availability::{PreviewOnly, Stable, StableOnly};
    let (stable, preview, model) = merged();
    assert!(Model::merge_conflicts(&stable, &preview).is_empty());
    assert_eq!(model.revision, "100");
    assert_eq!(model.preview_revision.as_deref(), Some("101"));
    let avail = |t: &str| ty(&model, t).availability;
    assert_eq!(avail("Msg"), Stable);
    assert_eq!(avail("Gone"), StableOnly);
    assert_eq!(avail("New"), PreviewOnly);
    assert_eq!(avail("ListMsgs"), Stable);
    let msg: Vec<(&str, Availability)> = fields(&model, "Msg")
        .iter()
        .map(|f| (f.wire_name.as_str(), f.availability))
        .collect();
    assert_eq!(
        msg,
        [
            ("kind", Stable),
            ("newField", PreviewOnly),
            ("oldField", StableOnly),
            ("text", Stable)
        ]
    );
    assert_eq!(avail("MsgNewField"), PreviewOnly);
    assert_eq!(
        field(&model, "MsgNewField", "deep").availability,
        PreviewOnly
    );
    let kind = variants(&model, "MsgKind");
    let kind: Vec<(&str, &str, Availability)> = kind
        .iter()
        .map(|(w, r, a)| (w.as_str(), r.as_str(), *a))
        .collect();
    assert_eq!(
        kind,
        [
            ("A", "A", Stable),
            ("B", "B", Stable),
            ("OLD", "Old", StableOnly),
            ("NEW", "New", PreviewOnly)
        ]
    );
    let TypeKind::Enum(values) = &ty(&model, "MsgKind").kind else {
        unreachable!()
    };
    assert_eq!(
        values[3].description.as_deref(),
        Some("new"),
        "descriptions follow their value"
    );
    assert_eq!(values[1].description.as_deref(), Some("b"));

    let items = resource(&model.resources, &["items"]);
    assert_eq!(items.availability, Stable);
    let methods: Vec<(&str, Availability)> = items
        .methods
        .iter()
        .map(|m| (m.wire_name.as_str(), m.availability))
        .collect();
    assert_eq!(
        methods,
        [
            ("create", PreviewOnly),
            ("delete", StableOnly),
            ("list", Stable)
        ]
    );
    let list = method(&model, &["items"], "list");
    let params: Vec<(&str, Availability)> = list
        .parameters
        .iter()
        .map(|p| (p.wire_name.as_str(), p.availability))
        .collect();
    assert_eq!(
        params,
        [
            ("newParam", PreviewOnly),
            ("pageToken", Stable),
            ("view", Stable)
        ]
    );
    assert_eq!(
        list.pagination
            .as_ref()
            .unwrap()
            .items
            .as_ref()
            .unwrap()
            .item_type,
        named("Msg")
    );
    let view: Vec<(String, Availability)> = variants(&model, "ItemsListView")
        .into_iter()
        .map(|v| (v.0, v.2))
        .collect();
    assert_eq!(
        view,
        [
            ("FULL".to_owned(), Stable),
            ("OLD".to_owned(), StableOnly),
            ("NEW".to_owned(), PreviewOnly)
        ]
    );

    let extras = resource(&model.resources, &["extras"]);
    assert_eq!(extras.availability, PreviewOnly);
    let get = method(&model, &["extras"], "get");
    assert_eq!(get.availability, PreviewOnly);
    assert_eq!(get.parameters[0].availability, PreviewOnly);
    assert_eq!(avail("ExtrasGetMode"), PreviewOnly);
    assert_eq!(variants(&model, "ExtrasGetMode")[0].2, PreviewOnly);
    let deeper = resource(&model.resources, &["extras", "deeper"]);
    assert_eq!(deeper.availability, PreviewOnly);
    assert_eq!(deeper.methods[0].availability, PreviewOnly);
    assert_eq!(deeper.type_name, "ExtrasDeeperResource");

    let scopes: Vec<(&str, Availability)> = model
        .scopes
        .iter()
        .map(|s| (s.url.as_str(), s.availability))
        .collect();
    assert_eq!(
        scopes,
        [
            ("https://example.com/auth/one", Stable),
            ("https://example.com/auth/three", PreviewOnly),
            ("https://example.com/auth/two", StableOnly),
        ]
    );
}

#[test]
fn preview_items_never_take_a_stable_name() {
    let (stable, _, model) = merged();
    // `FooBar` is an exact name, but only in the preview: the stable `foo_bar` keeps the
    // name it has without the preview.
    assert_eq!(ty(&model, "FooBar").wire_name, "foo_bar");
    assert_eq!(ty(&model, "FooBar2").wire_name, "FooBar");
    let alone = Model::build(&stable, None).unwrap();
    for t in &alone.types {
        let merged = model
            .types
            .iter()
            .find(|m| m.wire_name == t.wire_name)
            .unwrap();
        assert_eq!(merged.rust_name, t.rust_name);
    }
}

#[test]
fn merge_conflicts_keep_the_stable_definition() {
    let stable = doc(fixture_value("merge_stable.json"));
    let mut preview = fixture_value("merge_preview.json");
    preview["schemas"]["Msg"]["properties"]["text"] = serde_json::json!({"type": "integer"});
    preview["resources"]["items"]["methods"]["list"]["httpMethod"] = "POST".into();
    let preview = doc(preview);
    assert_eq!(
        Model::merge_conflicts(&stable, &preview),
        [
            "resources.items.methods.list: httpMethod differs",
            "schemas.Msg.properties.text: type differs",
        ]
    );
    let model = Model::build(&stable, Some(&preview)).unwrap();
    assert_eq!(field(&model, "Msg", "text").ty, TypeRef::String);
    assert_eq!(method(&model, &["items"], "list").http_method, "GET");
}

fn invalid(value: serde_json::Value) -> (String, String, String) {
    match Model::build(&doc(value), None) {
        Err(Error::Invalid {
            origin,
            path,
            message,
        }) => (origin, path, message),
        other => panic!("expected Invalid, got {other:?}"),
    }
}

#[test]
fn bad_documents_get_errors_naming_where() {
    let base = fixture_value("bad.json");
    let cases: Vec<(&str, serde_json::Value, &str, &str)> = vec![
        (
            "/schemas/Ok1/properties/a",
            serde_json::json!({"$ref": "Nope"}),
            "schemas.Ok1.properties.a",
            "unknown schema `Nope`",
        ),
        (
            "/schemas/Ok1/properties/a",
            serde_json::json!({"type": "strange"}),
            "schemas.Ok1.properties.a",
            "unknown schema type `strange`",
        ),
        (
            "/schemas/Ok1/properties/a",
            serde_json::json!({"type": "array"}),
            "schemas.Ok1.properties.a",
            "without `items`",
        ),
        (
            "/resources/things/methods/get/parameters",
            serde_json::json!({"x": {"type": "string", "location": "header"}}),
            "resources.things.methods.get.parameters.x.location",
            "`header`",
        ),
        (
            "/resources/things/methods/get/parameters",
            serde_json::json!({"x": {"type": "object", "location": "query"}}),
            "resources.things.methods.get.parameters.x",
            "unsupported parameter type `object`",
        ),
        (
            "/resources/things/methods/get/parameterOrder",
            serde_json::json!(["missing"]),
            "resources.things.methods.get.parameterOrder[0]",
            "`missing`",
        ),
        (
            "/resources/things/methods/get/mediaUpload",
            serde_json::json!({"maxSize": "lots", "protocols": {"simple": {"path": "/u"}}}),
            "resources.things.methods.get.mediaUpload.maxSize",
            "`lots`",
        ),
        (
            "/resources/things/methods/get/response",
            serde_json::json!({"$ref": "Nope"}),
            "resources.things.methods.get.response",
            "unknown schema `Nope`",
        ),
        (
            "/schemas/Loop",
            serde_json::json!({"id": "Loop", "type": "array", "items": {"$ref": "Loop"}}),
            "schemas",
            "`Loop` is an alias of itself",
        ),
    ];
    for (pointer, replacement, want_path, want_message) in cases {
        let mut value = base.clone();
        let (parent, key) = pointer.rsplit_once('/').unwrap();
        value.pointer_mut(parent).unwrap()[key] = replacement;
        let (origin, path, message) = invalid(value);
        assert_eq!(origin, "bad:v1 revision 7", "{pointer}");
        assert_eq!(path, want_path, "{pointer}");
        assert!(message.contains(want_message), "{pointer}: {message}");
    }
}

#[test]
fn preview_of_another_api_is_refused() {
    let stable = doc(fixture_value("merge_stable.json"));
    let mut other = fixture_value("merge_preview.json");
    other["id"] = "other:v1".into();
    let err = Model::build(&stable, Some(&doc(other))).unwrap_err();
    let text = err.to_string();
    assert!(
        text.contains("other:v1") && text.contains("merge:v1"),
        "{text}"
    );
}
