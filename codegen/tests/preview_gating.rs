//! With the real Chat documents: every item the model marks preview-only (or stable-only)
//! is generated behind the matching `cfg`, so the crate without `developer-preview` is
//! exactly the stable surface, and with it the preview one.

use codegen::Model;
use codegen::model::{Availability, Resource};
use discovery::Document;
use quote::ToTokens;

/// The `cfg` of an item, as tokens text (empty when it has none).
fn cfg_of(attrs: &[syn::Attribute]) -> String {
    attrs
        .iter()
        .filter(|a| a.path().is_ident("cfg"))
        .map(|a| a.to_token_stream().to_string())
        .collect()
}

fn expected_cfg(availability: Availability) -> &'static str {
    match availability {
        Availability::Stable => "",
        Availability::PreviewOnly => "# [cfg (feature = \"developer-preview\")]",
        Availability::StableOnly => "# [cfg (not (feature = \"developer-preview\"))]",
    }
}

/// (builder name, availability) of every method.
fn methods(resources: &[Resource], out: &mut Vec<(String, Availability)>) {
    for r in resources {
        for m in &r.methods {
            out.push((m.builder_name.clone(), m.availability));
        }
        methods(&r.resources, out);
    }
}

#[test]
fn preview_only_items_are_gated() {
    let docs = discovery::testing::real_documents_dir();
    let chat = docs.join("chat");
    let stable = Document::from_file(&chat.join("chat.v1.20260405.json")).unwrap();
    let preview = Document::from_file(&chat.join("chat.v1.preview.20260405.json")).unwrap();
    let model = Model::build(&stable, Some(&preview)).unwrap();
    let gen_files = codegen::generate(&model).unwrap();

    // Every top-level item (struct, enum, alias, static) of every generated file, by name.
    let mut items = std::collections::BTreeMap::new();
    for f in &gen_files {
        // Types of a module of their own (`cards.rs`) are named by path (`cards::Card`).
        let stem = f.path.trim_end_matches(".rs");
        let module = model
            .types
            .iter()
            .find_map(|t| t.module().filter(|m| *m == stem));
        let prefix = module.map(|m| format!("{m}::")).unwrap_or_default();
        let file: syn::File = syn::parse_str(&f.contents).unwrap();
        for item in file.items {
            let (name, attrs) = match &item {
                syn::Item::Struct(s) => (s.ident.to_string(), &s.attrs),
                syn::Item::Enum(e) => (e.ident.to_string(), &e.attrs),
                syn::Item::Type(t) => (t.ident.to_string(), &t.attrs),
                _ => continue,
            };
            items.insert(format!("{prefix}{name}"), cfg_of(attrs));
        }
    }

    let mut checked = [0usize; 3];
    for td in &model.types {
        let cfg = items
            .get(&td.rust_name)
            .unwrap_or_else(|| panic!("{} not generated", td.rust_name));
        assert_eq!(cfg, expected_cfg(td.availability), "type {}", td.rust_name);
        checked[td.availability as usize] += 1;
    }
    let mut all = Vec::new();
    methods(&model.resources, &mut all);
    for (builder, availability) in &all {
        let cfg = items
            .get(builder)
            .unwrap_or_else(|| panic!("{builder} not generated"));
        assert_eq!(cfg, expected_cfg(*availability), "builder {builder}");
        checked[*availability as usize] += 1;
    }
    // The preview document adds replaceCards and its two schemas.
    assert_eq!(
        items
            .get("SpacesMessagesReplaceCardsRequest")
            .map(String::as_str),
        Some(expected_cfg(Availability::PreviewOnly))
    );
    assert!(
        checked[Availability::PreviewOnly as usize] >= 3,
        "{checked:?}"
    );
    assert_eq!(all.len(), 46);
    assert!(model.types.len() >= 172);
}
