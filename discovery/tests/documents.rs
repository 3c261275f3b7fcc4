//! Loading and validating Discovery documents: every real document loads with the facts
//! we rely on, and every kind of bad document gets an error naming the file and the JSON
//! path, never a panic.

use std::path::{Path, PathBuf};

use discovery::document::path_template_vars;
use discovery::{Document, Error};
use serde_json::{Value, json};

fn fixture(name: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("tests/fixtures/bad")
        .join(name)
}

/// A small valid document with a nested resource, a media upload and body schemas; the
/// bad cases below each break one thing in it.
fn tiny() -> Value {
    json!({
        "kind": "discovery#restDescription",
        "id": "tiny:v1",
        "name": "tiny",
        "version": "v1",
        "revision": "20260101",
        "rootUrl": "https://tiny.example.com/",
        "servicePath": "",
        "futureKeyNobodyKnows": {"anything": [1, 2, 3]},
        "parameters": {
            "fields": {"type": "string", "location": "query"}
        },
        "schemas": {
            "Message": {
                "id": "Message",
                "type": "object",
                "properties": {
                    "text": {"type": "string"},
                    "labels": {"type": "object", "additionalProperties": {"$ref": "Label"}},
                    "cards": {"type": "array", "items": {"$ref": "Label"}}
                }
            },
            "Label": {"id": "Label", "type": "object", "properties": {"x": {"type": "string"}}}
        },
        "resources": {
            "spaces": {
                "resources": {
                    "messages": {
                        "methods": {
                            "create": {
                                "id": "tiny.spaces.messages.create",
                                "path": "v1/{+parent}/messages",
                                "httpMethod": "POST",
                                "parameters": {
                                    "parent": {"type": "string", "location": "path", "required": true},
                                    "requestId": {"type": "string", "location": "query"}
                                },
                                "parameterOrder": ["parent"],
                                "request": {"$ref": "Message"},
                                "response": {"$ref": "Message"},
                                "supportsMediaUpload": true,
                                "mediaUpload": {
                                    "accept": ["*/*"],
                                    "protocols": {
                                        "simple": {"multipart": true, "path": "/upload/v1/{+parent}/messages"}
                                    }
                                }
                            }
                        }
                    }
                }
            }
        }
    })
}

const CREATE: &str = "/resources/spaces/resources/messages/methods/create";

fn load_value(value: &Value, origin: &str) -> discovery::Result<Document> {
    let bytes = serde_json::to_vec_pretty(value).unwrap();
    Document::from_slice(&bytes, origin)
}

/// Asserts that loading fails with an error whose Display names `origin` and `path`.
fn assert_error(result: discovery::Result<Document>, origin: &str, path: &str, words: &str) {
    let err = result.expect_err("the document must be rejected");
    let shown = err.to_string();
    assert!(shown.contains(origin), "no origin `{origin}` in: {shown}");
    assert!(
        shown.contains(&format!(": {path}: ")),
        "no JSON path `{path}` in: {shown}"
    );
    assert!(shown.contains(words), "no `{words}` in: {shown}");
}

#[test]
fn tiny_document_loads_and_ignores_unknown_keys() {
    let doc = load_value(&tiny(), "tiny.json").unwrap();
    assert_eq!(doc.id, "tiny:v1");
    let methods = doc.methods_with_paths();
    assert_eq!(methods.len(), 1);
    assert_eq!(
        methods[0].0,
        "resources.spaces.resources.messages.methods.create"
    );
}

#[test]
fn byte_order_mark_is_skipped() {
    let mut bytes = b"\xEF\xBB\xBF".to_vec();
    bytes.extend(serde_json::to_vec(&tiny()).unwrap());
    assert_eq!(
        Document::from_slice(&bytes, "bom.json").unwrap().id,
        "tiny:v1"
    );
}

#[test]
fn real_documents_load_with_expected_facts() {
    let dir = discovery::testing::real_documents_dir();
    let mut loaded = std::collections::BTreeMap::new();
    for sub in ["chat", "other"] {
        let mut entries: Vec<_> = std::fs::read_dir(dir.join(sub))
            .unwrap()
            .map(|e| e.unwrap().path())
            .filter(|p| p.extension().is_some_and(|e| e == "json"))
            .collect();
        entries.sort();
        for path in entries {
            let doc = Document::from_file(&path).unwrap_or_else(|e| panic!("{e}"));
            let file = path.file_name().unwrap().to_str().unwrap();
            // File names are `{name}.{version}[.preview][.{revision}].json`.
            assert!(
                file.starts_with(&format!("{}.{}.", doc.name, doc.version)),
                "{file}: id {}",
                doc.id
            );
            assert_eq!(doc.id, format!("{}:{}", doc.name, doc.version));
            if sub == "chat" {
                let revision = file.trim_end_matches(".json").rsplit('.').next().unwrap();
                assert_eq!(doc.revision, revision, "{file}");
            }
            assert!(!doc.methods_with_paths().is_empty(), "{file}");
            *loaded.entry(sub).or_insert(0) += 1;
        }
    }
    // chat/: 7 stable revisions and 2 preview stand-ins; other/: 15 APIs (8, and the 7
    // once refused or miscompiled: a `v1:verb` path, revision "0", a field `default`),
    // and any document added there is loaded too.
    assert_eq!(loaded["chat"], 9);
    assert!(loaded["other"] >= 15, "{loaded:?}");

    // The newest revision: 55 methods, 194 schemas, `replaceCards` graduated to stable.
    let newest = Document::from_file(&dir.join("chat/chat.v1.20261107.json")).unwrap();
    assert_eq!(newest.methods_with_paths().len(), 55);
    assert_eq!(newest.schemas.len(), 194);
    assert!(
        newest
            .methods_with_paths()
            .iter()
            .any(|(_, m)| m.id == "chat.spaces.messages.replaceCards")
    );
    // A `request: {}` (no `$ref`) names no schema.
    let lineage = Document::from_file(&dir.join("other/datalineage.v1.json")).unwrap();
    let run_event = lineage
        .methods_with_paths()
        .into_iter()
        .find(|(_, m)| m.id.ends_with("processOpenLineageRunEvent"))
        .unwrap();
    assert!(run_event.1.request.is_none());

    let chat = Document::from_file(&dir.join("chat/chat.v1.20260405.json")).unwrap();
    let methods = chat.methods_with_paths();
    assert_eq!(methods.len(), 45);
    assert_eq!(chat.schemas.len(), 170);
    assert_eq!(chat.root_url, "https://chat.googleapis.com/");
    let create = methods
        .iter()
        .find(|(_, m)| m.id == "chat.spaces.messages.create")
        .unwrap();
    assert_eq!(
        create.0,
        "resources.spaces.resources.messages.methods.create"
    );
    assert_eq!(create.1.request.as_ref().unwrap().reference, "Message");

    let preview = Document::from_file(&dir.join("chat/chat.v1.preview.20260405.json")).unwrap();
    assert_eq!(preview.revision, "20260405");
    let preview_methods = preview.methods_with_paths();
    assert_eq!(preview_methods.len(), 46);
    let replace = preview_methods
        .iter()
        .find(|(_, m)| m.id == "chat.spaces.messages.replaceCards")
        .unwrap();
    assert_eq!(path_template_vars(&replace.1.path), vec![("name", true)]);
}

#[test]
fn not_json_names_file() {
    let path = fixture("not_json.json");
    let err = Document::from_file(&path).unwrap_err();
    assert!(matches!(err, Error::Parse { .. }), "{err:?}");
    let shown = err.to_string();
    assert!(shown.contains("not_json.json"), "{shown}");
    assert!(shown.contains("not JSON"), "{shown}");
    assert!(shown.contains("line 1 column 1"), "{shown}");
}

#[test]
fn wrong_kind_is_rejected() {
    assert_error(
        Document::from_file(&fixture("wrong_kind.json")),
        "wrong_kind.json",
        "kind",
        "discovery#directoryList",
    );
    let mut doc = tiny();
    doc.as_object_mut().unwrap().remove("kind");
    assert_error(
        load_value(&doc, "nokind.json"),
        "nokind.json",
        "kind",
        "missing",
    );
    // A Google error body is JSON, but not a document; the message must say so even
    // though `error` would also have failed on a type mismatch elsewhere.
    let body = br#"{"error": {"code": 403, "message": "denied", "status": "PERMISSION_DENIED"}, "revision": 5}"#;
    assert_error(
        Document::from_slice(body, "https://x/$discovery"),
        "https://x/$discovery",
        "kind",
        "not a Discovery document",
    );
    assert_error(
        Document::from_slice(b"[1, 2]", "array.json"),
        "array.json",
        ".",
        "expected a JSON object",
    );
}

#[test]
fn dangling_ref_deep_in_a_property() {
    assert_error(
        Document::from_file(&fixture("dangling_ref.json")),
        "dangling_ref.json",
        "schemas.Message.properties.cardsV2.items.properties.card.$ref",
        "\"GoogleAppsCardV1Card\"",
    );
}

#[test]
fn dangling_refs_in_maps_and_bodies() {
    let mut doc = tiny();
    doc["schemas"]["Message"]["properties"]["labels"]["additionalProperties"]["$ref"] =
        json!("Nope");
    assert_error(
        load_value(&doc, "t.json"),
        "t.json",
        "schemas.Message.properties.labels.additionalProperties.$ref",
        "Nope",
    );
    let mut doc = tiny();
    doc.pointer_mut(&format!("{CREATE}/request/$ref"))
        .map(|v| *v = json!("Missing"))
        .unwrap();
    assert_error(
        load_value(&doc, "t.json"),
        "t.json",
        "resources.spaces.resources.messages.methods.create.request.$ref",
        "Missing",
    );
}

#[test]
fn path_template_naming_a_missing_parameter() {
    assert_error(
        Document::from_file(&fixture("path_missing_param.json")),
        "path_missing_param.json",
        "resources.spaces.resources.messages.methods.get.path",
        "`{messageId}`",
    );
}

#[test]
fn parameter_order_naming_a_missing_parameter() {
    assert_error(
        Document::from_file(&fixture("parameter_order_missing.json")),
        "parameter_order_missing.json",
        "resources.spaces.methods.get.parameterOrder[1]",
        "`spaceId`",
    );
}

#[test]
fn type_error_names_the_json_path_and_position() {
    let path = fixture("type_error.json");
    let err = Document::from_file(&path).unwrap_err();
    assert!(matches!(err, Error::Parse { .. }), "{err:?}");
    assert_error(
        Err(err),
        "type_error.json",
        "resources.spaces.methods.get.parameters.name.required",
        "expected a boolean at line 20 column 77",
    );
}

#[test]
fn truncated_document() {
    let dir = discovery::testing::real_documents_dir();
    let bytes = std::fs::read(dir.join("chat/chat.v1.20260405.json")).unwrap();
    let origin = "chat.v1.20260405.json (first half)";
    let half = &bytes[..bytes.len() / 2];
    let err = Document::from_slice(half, origin).unwrap_err();
    let shown = err.to_string();
    assert!(matches!(err, Error::Parse { .. }), "{err:?}");
    assert!(shown.starts_with(origin), "{shown}");
    assert!(shown.contains("truncated"), "{shown}");
    assert!(shown.contains("EOF while parsing"), "{shown}");
    // The path says how far the parser got, e.g. `resources.spaces...` or `schemas.X...`.
    let Error::Parse { path, .. } = &err else {
        unreachable!()
    };
    assert_ne!(path, ".", "{shown}");
    assert!(!path.ends_with('?'), "{shown}");
    // The middle of the chat document falls inside `schemas`.
    assert!(path.starts_with("schemas"), "{shown}");
    // Every other prefix length must fail cleanly too (a sample, to stay fast).
    for cut in (0..bytes.len()).step_by(bytes.len() / 97 + 1) {
        assert!(Document::from_slice(&bytes[..cut], origin).is_err());
    }
}

#[test]
fn trailing_garbage_is_rejected() {
    let mut bytes = serde_json::to_vec(&tiny()).unwrap();
    bytes.extend_from_slice(b" {\"again\": 1}");
    let shown = Document::from_slice(&bytes, "twice.json")
        .unwrap_err()
        .to_string();
    assert!(shown.starts_with("twice.json: .: "), "{shown}");
    assert!(shown.contains("trailing characters"), "{shown}");
}

#[test]
fn path_parameter_missing_from_the_template() {
    let mut doc = tiny();
    doc.pointer_mut(&format!("{CREATE}/parameters"))
        .unwrap()
        .as_object_mut()
        .unwrap()
        .insert(
            "spaceId".into(),
            json!({"type": "string", "location": "path"}),
        );
    assert_error(
        load_value(&doc, "t.json"),
        "t.json",
        "resources.spaces.resources.messages.methods.create.parameters.spaceId",
        "does not appear in the path template",
    );
}

#[test]
fn template_variable_that_is_a_query_parameter() {
    let mut doc = tiny();
    *doc.pointer_mut(&format!("{CREATE}/path")).unwrap() =
        json!("v1/{+parent}/messages/{requestId}");
    assert_error(
        load_value(&doc, "t.json"),
        "t.json",
        "resources.spaces.resources.messages.methods.create.path",
        "location \"query\", expected \"path\"",
    );
}

#[test]
fn unsupported_template_expression() {
    let mut doc = tiny();
    *doc.pointer_mut(&format!("{CREATE}/path")).unwrap() = json!("v1/{+parent}/messages{?x}");
    assert_error(
        load_value(&doc, "t.json"),
        "t.json",
        "resources.spaces.resources.messages.methods.create.path",
        "unsupported expression `{?x}`",
    );
}

#[test]
fn upload_path_naming_a_missing_parameter() {
    let mut doc = tiny();
    *doc.pointer_mut(&format!("{CREATE}/mediaUpload/protocols/simple/path"))
        .unwrap() = json!("/upload/v1/{+space}/messages");
    assert_error(
        load_value(&doc, "t.json"),
        "t.json",
        "resources.spaces.resources.messages.methods.create.mediaUpload.protocols.simple.path",
        "no parameter `space`",
    );
}

#[test]
fn bad_parameter_location() {
    let mut doc = tiny();
    *doc.pointer_mut(&format!("{CREATE}/parameters/requestId/location"))
        .unwrap() = json!("header");
    assert_error(
        load_value(&doc, "t.json"),
        "t.json",
        "resources.spaces.resources.messages.methods.create.parameters.requestId.location",
        "\"header\", expected \"path\" or \"query\"",
    );
    let mut doc = tiny();
    doc["parameters"]["fields"]
        .as_object_mut()
        .unwrap()
        .remove("location");
    assert_error(
        load_value(&doc, "t.json"),
        "t.json",
        "parameters.fields.location",
        "missing location",
    );
}

#[test]
fn empty_http_method() {
    let mut doc = tiny();
    *doc.pointer_mut(&format!("{CREATE}/httpMethod")).unwrap() = json!("");
    assert_error(
        load_value(&doc, "t.json"),
        "t.json",
        "resources.spaces.resources.messages.methods.create.httpMethod",
        "httpMethod",
    );
}

#[test]
fn missing_file_names_it() {
    let err = Document::from_file(Path::new("/nonexistent/chat.v1.json")).unwrap_err();
    assert!(matches!(err, Error::Io { .. }));
    assert!(
        err.to_string()
            .starts_with("/nonexistent/chat.v1.json: cannot read")
    );
}
