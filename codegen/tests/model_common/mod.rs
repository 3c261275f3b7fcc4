//! Checks shared by the model tests.

// Each test crate that includes this module uses a different subset of it.
#![allow(dead_code)]

use std::collections::BTreeSet;

use codegen::model::{Method, Model, Resource, TypeKind};

/// Every Rust keyword, written out here independently of the crate's own list.
const KEYWORDS: &[&str] = &[
    "as", "break", "const", "continue", "crate", "else", "enum", "extern", "false", "fn", "for",
    "if", "impl", "in", "let", "loop", "match", "mod", "move", "mut", "pub", "ref", "return",
    "self", "Self", "static", "struct", "super", "trait", "true", "type", "unsafe", "use", "where",
    "while", "async", "await", "dyn", "abstract", "become", "box", "do", "final", "macro",
    "override", "priv", "typeof", "unsized", "virtual", "yield", "try", "gen",
];

/// Names generated code uses unqualified, which a model type must never shadow.
const PRELUDE: &[&str] = &[
    "Option",
    "Result",
    "String",
    "Vec",
    "Box",
    "Some",
    "None",
    "Ok",
    "Err",
    "Default",
    "Clone",
    "Debug",
    "Copy",
    "Send",
    "Sync",
    "Sized",
    "Iterator",
    "ToString",
    "From",
    "Into",
    "Client",
    "Error",
    "BTreeMap",
    "Value",
    "Bytes",
    "Timestamp",
    "Date",
    "Duration",
    "FieldMask",
    "StandardParams",
];

/// Panics unless `name` is a plain (non-raw) Rust identifier in the given case.
pub fn assert_ident(name: &str, snake: bool, what: &str) {
    let mut chars = name.chars();
    let first = chars.next().unwrap_or_else(|| panic!("{what}: empty name"));
    let first_ok = if snake {
        first.is_ascii_lowercase()
    } else {
        first.is_ascii_uppercase()
    };
    assert!(first_ok, "{what}: `{name}` starts badly");
    assert!(
        name.chars().all(|c| c.is_ascii_alphanumeric() || c == '_'),
        "{what}: `{name}` has a character that is not allowed"
    );
    if snake {
        assert!(
            !name.chars().any(|c| c.is_ascii_uppercase()),
            "{what}: `{name}` not snake_case"
        );
    }
    assert!(!KEYWORDS.contains(&name), "{what}: `{name}` is a keyword");
    assert!(
        !name.contains("__"),
        "{what}: `{name}` has a double underscore"
    );
}

fn assert_unique<'a>(names: impl IntoIterator<Item = &'a str>, what: &str) {
    let mut seen = BTreeSet::new();
    for name in names {
        assert!(seen.insert(name), "{what}: `{name}` appears twice");
    }
}

/// Calls `f` for every method with its resource.
pub fn walk_methods<'m>(resources: &'m [Resource], f: &mut dyn FnMut(&'m Resource, &'m Method)) {
    for r in resources {
        for m in &r.methods {
            f(r, m);
        }
        walk_methods(&r.resources, f);
    }
}

fn walk_resources<'m>(resources: &'m [Resource], f: &mut dyn FnMut(&'m Resource)) {
    for r in resources {
        f(r);
        walk_resources(&r.resources, f);
    }
}

/// Every name of the model is a valid identifier, unique in its scope, and no type
/// shadows a prelude or runtime name.
pub fn check_identifiers(model: &Model) {
    let types: BTreeSet<&str> = model.types.iter().map(|t| t.rust_name.as_str()).collect();
    assert_unique(model.types.iter().map(|t| t.rust_name.as_str()), "types");
    for t in &model.types {
        assert_ident(t.name(), false, "type");
        if let Some(module) = t.module() {
            assert_ident(module, true, "type module");
        }
        assert!(
            !PRELUDE.contains(&t.rust_name.as_str()),
            "type {} shadows the prelude",
            t.rust_name
        );
        match &t.kind {
            TypeKind::Struct(fields) => {
                for f in fields {
                    assert_ident(&f.rust_name, true, &format!("field of {}", t.rust_name));
                    check_refs(&f.ty, &types);
                }
                assert_unique(fields.iter().map(|f| f.rust_name.as_str()), &t.rust_name);
            }
            TypeKind::Enum(values) => {
                for v in values {
                    assert_ident(&v.rust_name, false, &format!("variant of {}", t.rust_name));
                    assert_ne!(
                        v.rust_name, "Unknown",
                        "{}: Unknown is reserved",
                        t.rust_name
                    );
                }
                assert_unique(values.iter().map(|v| v.rust_name.as_str()), &t.rust_name);
            }
            TypeKind::Alias(ty) => check_refs(ty, &types),
        }
    }
    let mut crate_wide = Vec::new();
    walk_resources(&model.resources, &mut |r| {
        if !r.wire_path.is_empty() {
            assert_ident(&r.rust_name, true, "resource accessor");
            for m in &r.module_path {
                assert_ident(m, true, "module");
            }
        }
        assert_ident(&r.type_name, false, "resource type");
        crate_wide.push(r.type_name.clone());
        let members: Vec<&str> = r
            .resources
            .iter()
            .map(|s| s.rust_name.as_str())
            .chain(r.methods.iter().map(|m| m.rust_name.as_str()))
            .collect();
        assert_unique(members, &r.type_name);
        for m in &r.methods {
            assert_ident(&m.rust_name, true, "method");
            assert_ident(&m.builder_name, false, "builder");
            crate_wide.push(m.builder_name.clone());
            for p in &m.parameters {
                assert_ident(&p.rust_name, true, &format!("parameter of {}", m.id));
                check_refs(&p.ty, &types);
            }
            assert_unique(m.parameters.iter().map(|p| p.rust_name.as_str()), &m.id);
            for ty in m.request.iter().chain(m.response.iter()) {
                check_refs(ty, &types);
            }
        }
    });
    let top: Vec<&str> = model
        .resources
        .iter()
        .filter(|r| !r.wire_path.is_empty())
        .map(|r| r.rust_name.as_str())
        .collect();
    assert_unique(top, "client accessors");
    assert_unique(
        crate_wide.iter().map(String::as_str),
        "handles and builders",
    );
    for p in &model.standard_parameters {
        assert_ident(&p.rust_name, true, "standard parameter");
    }
}

fn check_refs(ty: &codegen::model::TypeRef, types: &BTreeSet<&str>) {
    use codegen::model::TypeRef;
    match ty {
        TypeRef::Named(name) => assert!(types.contains(name.as_str()), "dangling type {name}"),
        TypeRef::Array(inner) | TypeRef::Map(inner) => check_refs(inner, types),
        _ => {}
    }
}
