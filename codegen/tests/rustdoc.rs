//! Doc comments of constructs that once made rustdoc warn, through the whole generator:
//! a link destination with parentheses (batch v1) and the bare-word scope `openid`
//! (pagespeedonline v5), from the fixture `rustdoc_edge_cases.json`. (With
//! `CHAT_API_CHECK_OTHER=1`, `codegen_other_apis` also builds this fixture's docs with
//! `RUSTDOCFLAGS=-D warnings`.)

use std::path::Path;

use codegen::Model;
use discovery::Document;

fn generated() -> String {
    let path = Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("tests/fixtures/codegen/rustdoc_edge_cases.json");
    let doc = Document::from_file(&path).unwrap_or_else(|e| panic!("{e}"));
    let model = Model::build(&doc, None).unwrap_or_else(|e| panic!("{e}"));
    codegen::generate(&model)
        .unwrap_or_else(|e| panic!("{e:#}"))
        .into_iter()
        .map(|f| f.contents)
        .collect()
}

/// The doc comment lines of the generated code.
fn doc_lines(code: &str) -> Vec<&str> {
    code.lines()
        .map(str::trim_start)
        .filter(|l| l.starts_with("///") || l.starts_with("//!"))
        .collect()
}

#[test]
fn link_destinations_with_parentheses_stay_links() {
    let code = generated();
    let docs = doc_lines(&code).join("\n");
    assert!(
        docs.contains(
            "[shebang line](https://en.wikipedia.org/wiki/Shebang_%28Unix%29)) as the first line"
        ),
        "{docs}"
    );
    assert!(
        docs.contains("An unbalanced one: [shebang line](https://en.wikipedia.org/wiki/Shebang_%28Unix) and see [x](https://x.example.com/a_%28b) too)."),
        "{docs}"
    );
    // No destination is left with a raw parenthesis.
    for line in doc_lines(&code) {
        for (at, _) in line.match_indices("](") {
            let dest: String = line[at + 2..].chars().take_while(|&c| c != ')').collect();
            assert!(!dest.contains('('), "{line}");
        }
    }
}

#[test]
fn a_bare_word_scope_is_code_not_an_html_tag() {
    let code = generated();
    let docs = doc_lines(&code);
    assert!(docs.iter().any(|l| l.ends_with("- `openid`")), "{docs:#?}");
    assert!(
        docs.iter()
            .any(|l| l.ends_with("- <https://www.googleapis.com/auth/cloud-platform>")),
        "{docs:#?}"
    );
    assert!(!code.contains("<openid>"), "{code}");
}
