//! `cargo xtask generate` (the debug build, as `cargo xtask` runs it) renders a property
//! whose `items` or `additionalProperties` nest 120 deep: rendering depth is bounded by
//! serde_json's own nesting limit (128 levels), not by a thread's stack.

use std::process::Command;

use serde_json::{Value, json};

/// A document whose schema `S` has `deep` (arrays) and `map` (maps) nested `depth` deep.
fn document(depth: usize) -> Value {
    let (mut items, mut map) = (json!({"type": "string"}), json!({"type": "string"}));
    for _ in 0..depth {
        items = json!({"type": "array", "items": items});
        map = json!({"type": "object", "additionalProperties": map});
    }
    json!({
        "kind": "discovery#restDescription",
        "id": "deep:v1", "name": "deep", "version": "v1", "revision": "20260101",
        "rootUrl": "https://deep.example.com/", "servicePath": "",
        "schemas": {"S": {"id": "S", "type": "object", "properties": {"deep": items, "map": map}}},
        "resources": {}
    })
}

#[test]
fn items_and_maps_nested_120_deep_render_in_the_debug_build() {
    let dir = std::env::temp_dir().join(format!("xtask-deep-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).unwrap();
    let doc = dir.join("deep.json");
    std::fs::write(&doc, serde_json::to_vec(&document(120)).unwrap()).unwrap();
    let out = Command::new(env!("CARGO_BIN_EXE_xtask"))
        .arg("generate")
        .arg(&doc)
        .arg("--out")
        .arg(dir.join("crate"))
        .output()
        .unwrap();
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(out.status.success(), "{stderr}");
    let models = std::fs::read_to_string(dir.join("crate/src/gen/models.rs")).unwrap();
    let vecs = format!("{}String{}", "Vec<".repeat(120), ">".repeat(120));
    let maps = format!(
        "{}String{}",
        "std::collections::BTreeMap<String, ".repeat(120),
        ">".repeat(120)
    );
    // prettyplease breaks long generic lists over lines, with trailing commas.
    let flat = |text: &str| -> String {
        text.chars()
            .filter(|c| !c.is_whitespace() && *c != ',')
            .collect()
    };
    let models = flat(&models);
    assert!(models.contains(&flat(&vecs)), "no Vec nested 120 deep");
    assert!(models.contains(&flat(&maps)), "no map nested 120 deep");
    let _ = std::fs::remove_dir_all(&dir);
}
