//! Snapshots of the generator's output on small fixture documents, one construct each.
//! Any change to the output fails here until reviewed (`cargo insta review`, or
//! `INSTA_UPDATE=always` and a look at the diff).

use std::path::Path;

use codegen::Model;
use discovery::Document;

/// The fixture's generated files, concatenated with their paths.
fn generated(stable: &str, preview: Option<&str>) -> String {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("tests")
        .join("fixtures")
        .join("codegen");
    let load = |name: &str| Document::from_file(&dir.join(name)).unwrap_or_else(|e| panic!("{e}"));
    let stable = load(stable);
    let preview = preview.map(load);
    let model = Model::build(&stable, preview.as_ref()).unwrap_or_else(|e| panic!("{e}"));
    let files = codegen::generate(&model).unwrap_or_else(|e| panic!("{e:#}"));
    let again = codegen::generate(&model).unwrap();
    assert_eq!(files, again, "generation must be deterministic");
    files
        .iter()
        .map(|f| format!("===== {} =====\n{}", f.path, f.contents))
        .collect()
}

macro_rules! snapshot {
    ($name:ident, $stable:literal $(, $preview:literal)?) => {
        #[test]
        fn $name() {
            let preview: Option<&str> = None $(.or(Some($preview)))?;
            insta::assert_snapshot!(generated($stable, preview));
        }
    };
}

snapshot!(nested_resources, "nested_resources.json");
snapshot!(type_mappings, "type_mappings.json");
snapshot!(enums_with_odd_values, "enums.json");
snapshot!(maps, "maps.json");
snapshot!(recursion, "recursion.json");
snapshot!(names_keywords_and_collisions, "names.json");
snapshot!(media_upload_and_download, "media.json");
snapshot!(path_templates, "paths.json");
snapshot!(repeated_parameters_and_pagination, "repeated.json");
snapshot!(
    preview_only_items,
    "preview_stable.json",
    "preview_preview.json"
);
snapshot!(doc_comments, "docs.json");
