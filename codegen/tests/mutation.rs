//! A structured mutation test of the Chat document: seeded, bounded in time. Each
//! mutant (a deleted member, a changed type, a hostile name or text, deep nesting, an
//! odd path) goes through the whole generator (`Document` -> `Model` -> files) and must
//! give either an error naming where it is (the file and a JSON path or position), or
//! files that parse back, whose doc comments hold no code block rustdoc would run, and
//! where no document text stands in a code position.
//!
//! Set `MUTATION_SECONDS` (default 20) and `MUTATION_SEED` to explore further.

use std::path::Path;
use std::time::{Duration, Instant};

use codegen::Model;
use discovery::Document;
use serde_json::{Value, json};

/// The marker put in texts: it must never become an identifier.
const PAYLOAD: &str = "PAYLOADXQ";

/// Hostile descriptions: fences, indented list items, quotes, HTML, a fake comment end.
const TEXTS: &[&str] = &[
    "Series.\n~~~\nPAYLOADXQ();\n~~~",
    "-     PAYLOADXQ();",
    "1.     PAYLOADXQ();",
    "```rust\nPAYLOADXQ();\n```",
    "a\n\n    PAYLOADXQ();",
    "- > ```\n- >     PAYLOADXQ();",
    "*/ PAYLOADXQ(); /*",
    "\"] PAYLOADXQ(); #[doc = \"",
    "<pre>PAYLOADXQ();</pre> [PAYLOADXQ] `PAYLOADXQ",
];

/// Hostile names: keywords, reserved members, odd characters, line breaks, fences. (A
/// name becomes an identifier by design, made of its letters and digits, so names do not
/// carry the text marker.)
const NAMES: &[&str] = &[
    "type",
    "self",
    "Self",
    "default",
    "clone",
    "new",
    "send",
    "fn",
    "r#fn",
    "_",
    "__",
    "1abc",
    "a-b",
    "a.b",
    "a b",
    "ß",
    "🙂",
    "a\nb",
    "x\"); y(\"",
    "unknown_fields",
    "Default",
    "Vec",
    "Option",
    "String",
    "Result",
    "a\n```\nname_in_a_fence();\n```",
    "a`\n~~~\nname_in_a_fence();",
];

/// Odd method paths.
const PATHS: &[&str] = &[
    "v1/{+name}/../x",
    "//evil.example/x",
    "v1:verb",
    "v1/{/x}",
    "v1/{name",
    "v1/%2e%2e/x",
    "v1/x?y=1",
    "v1/x#y",
    "v1/{+name}:replaceCards",
    "",
];

struct Rng(u64);

impl Rng {
    fn next(&mut self) -> u64 {
        self.0 ^= self.0 << 13;
        self.0 ^= self.0 >> 7;
        self.0 ^= self.0 << 17;
        self.0
    }

    fn below(&mut self, n: usize) -> usize {
        (self.next() % n.max(1) as u64) as usize
    }

    fn pick<'a, T>(&mut self, items: &'a [T]) -> &'a T {
        &items[self.below(items.len())]
    }
}

/// Every JSON pointer in `value`, parents before children.
fn pointers(value: &Value, at: String, out: &mut Vec<String>) {
    match value {
        Value::Object(map) => {
            for (k, v) in map {
                let p = format!("{at}/{}", k.replace('~', "~0").replace('/', "~1"));
                out.push(p.clone());
                pointers(v, p, out);
            }
        }
        Value::Array(items) => {
            for (i, v) in items.iter().enumerate() {
                let p = format!("{at}/{i}");
                out.push(p.clone());
                pointers(v, p, out);
            }
        }
        _ => {}
    }
}

/// Splits a pointer into its parent and last key.
fn split(pointer: &str) -> (&str, String) {
    let (parent, last) = pointer.rsplit_once('/').unwrap_or(("", pointer));
    (parent, last.replace("~1", "/").replace("~0", "~"))
}

/// Applies one random mutation to `doc`; what it did, for messages.
fn mutate(doc: &mut Value, rng: &mut Rng, all: &[String]) -> String {
    let pointer = rng.pick(all).clone();
    let (parent, key) = split(&pointer);
    match rng.below(7) {
        0 => {
            // Delete the member or element.
            match doc.pointer_mut(parent) {
                Some(Value::Object(map)) => {
                    map.remove(&key);
                }
                Some(Value::Array(items)) => {
                    if let Ok(i) = key.parse::<usize>()
                        && i < items.len()
                    {
                        items.remove(i);
                    }
                }
                _ => {}
            }
            format!("delete {pointer}")
        }
        1 => {
            // Change the value's type.
            let replacement = rng
                .pick(&[
                    json!(null),
                    json!(7),
                    json!(-1.5),
                    json!(true),
                    json!("x"),
                    json!([]),
                    json!({}),
                    json!([{"type": "string"}]),
                ])
                .clone();
            if let Some(v) = doc.pointer_mut(&pointer) {
                *v = replacement.clone();
            }
            format!("set {pointer} = {replacement}")
        }
        2 => {
            // Rename the member to a hostile name.
            let name = rng.pick(NAMES).to_string();
            if let Some(Value::Object(map)) = doc.pointer_mut(parent)
                && let Some(v) = map.remove(&key)
            {
                map.insert(name.clone(), v);
            }
            format!("rename {pointer} -> {name:?}")
        }
        3 => {
            // A hostile text in every description and enum description under the node.
            let text = rng.pick(TEXTS).to_string();
            if let Some(v) = doc.pointer_mut(&pointer) {
                set_texts(v, &text);
            }
            format!("texts under {pointer} = {text:?}")
        }
        4 => {
            // Deep nesting: an array property nested 100 deep.
            let mut ty = json!({"type": "string"});
            for _ in 0..100 {
                ty = json!({"type": "array", "items": ty});
            }
            if let Some(Value::Object(schemas)) = doc.pointer_mut("/schemas")
                && let Some(Value::Object(message)) = schemas.get_mut("Message")
                && let Some(Value::Object(props)) = message.get_mut("properties")
            {
                props.insert("deep".to_owned(), ty);
            }
            "deep nesting in Message.deep".to_owned()
        }
        5 => {
            // An odd path on the method `spaces.messages.get`.
            let path = rng.pick(PATHS).to_string();
            if let Some(v) =
                doc.pointer_mut("/resources/spaces/resources/messages/methods/get/path")
            {
                *v = json!(path);
            }
            format!("spaces.messages.get path = {path:?}")
        }
        _ => {
            // A hostile enum value beside the others.
            let name = rng.pick(NAMES).to_string();
            let text = rng.pick(TEXTS).to_string();
            if let Some(Value::Object(p)) = doc.pointer_mut("/schemas/Space/properties/spaceType") {
                if let Some(Value::Array(values)) = p.get_mut("enum") {
                    values.push(json!(name));
                }
                if let Some(Value::Array(d)) = p.get_mut("enumDescriptions") {
                    d.push(json!(text));
                }
            }
            format!("enum value {name:?} described {text:?}")
        }
    }
}

/// Sets every `description` string under `value` to `text`.
fn set_texts(value: &mut Value, text: &str) {
    match value {
        Value::Object(map) => {
            for (k, v) in map.iter_mut() {
                if k == "description" && v.is_string() {
                    *v = json!(text);
                } else if k == "enumDescriptions" {
                    if let Value::Array(items) = v {
                        items.iter_mut().for_each(|d| *d = json!(text));
                    }
                } else {
                    set_texts(v, text);
                }
            }
        }
        Value::Array(items) => items.iter_mut().for_each(|v| set_texts(v, text)),
        _ => {}
    }
}

/// Every identifier in `tokens`, recursively (literals, doc strings included, are not).
fn idents(tokens: proc_macro2::TokenStream, out: &mut Vec<String>) {
    for token in tokens {
        match token {
            proc_macro2::TokenTree::Ident(i) => out.push(i.to_string()),
            proc_macro2::TokenTree::Group(g) => idents(g.stream(), out),
            _ => {}
        }
    }
}

/// The doc comments of a file, one text per run of consecutive `///` or `//!` lines.
fn doc_blocks(code: &str) -> Vec<String> {
    let mut blocks = Vec::new();
    let mut current: Option<String> = None;
    for line in code.lines() {
        let t = line.trim_start();
        let doc = t.strip_prefix("///").or_else(|| t.strip_prefix("//!"));
        match (doc, &mut current) {
            (Some(d), Some(c)) => {
                c.push('\n');
                c.push_str(d.strip_prefix(' ').unwrap_or(d));
            }
            (Some(d), None) => current = Some(d.strip_prefix(' ').unwrap_or(d).to_owned()),
            (None, _) => blocks.extend(current.take()),
        }
    }
    blocks.extend(current);
    blocks
}

/// Code blocks rustdoc would test: any not fenced as `text`.
fn testable_blocks(doc: &str) -> Vec<String> {
    use pulldown_cmark::{CodeBlockKind, Event, Parser, Tag};
    Parser::new(doc)
        .filter_map(|event| match event {
            Event::Start(Tag::CodeBlock(CodeBlockKind::Fenced(info))) if &*info != "text" => {
                Some(format!("fenced {info:?}"))
            }
            Event::Start(Tag::CodeBlock(CodeBlockKind::Indented)) => Some("indented".to_owned()),
            _ => None,
        })
        .collect()
}

/// What one mutant gave.
enum Outcome {
    Generated(Vec<codegen::GeneratedFile>),
    Refused(String),
}

/// The whole generator on `bytes`; a panic is returned as `Err`.
fn run(bytes: Vec<u8>) -> Result<Outcome, String> {
    std::panic::catch_unwind(move || {
        let doc = match Document::from_slice(&bytes, "mutant.json") {
            Ok(doc) => doc,
            Err(e) => return Outcome::Refused(e.to_string()),
        };
        let model = match Model::build(&doc, None) {
            Ok(model) => model,
            Err(e) => return Outcome::Refused(e.to_string()),
        };
        match codegen::generate(&model) {
            Ok(files) => Outcome::Generated(files),
            Err(e) => Outcome::Refused(format!("{e:#}")),
        }
    })
    .map_err(|panic| {
        panic
            .downcast_ref::<String>()
            .cloned()
            .or_else(|| panic.downcast_ref::<&str>().map(|s| (*s).to_owned()))
            .unwrap_or_default()
    })
}

/// Runs `test` on a thread with the stack of a main thread (8 MiB, as `cargo xtask` has):
/// the checks below walk the syntax trees of types nested 100 deep.
fn on_main_sized_stack(test: fn()) {
    let outcome = std::thread::Builder::new()
        .stack_size(8 << 20)
        .spawn(test)
        .unwrap()
        .join();
    if let Err(panic) = outcome {
        std::panic::resume_unwind(panic);
    }
}

#[test]
fn mutants_of_the_chat_document_are_refused_with_a_path_or_generate_safe_code() {
    on_main_sized_stack(mutants);
}

fn mutants() {
    let path =
        Path::new(env!("CARGO_MANIFEST_DIR")).join("../generated/documents/chat.v1.20261107.json");
    let original: Value = serde_json::from_slice(&std::fs::read(&path).unwrap()).unwrap();
    let mut all = Vec::new();
    pointers(&original, String::new(), &mut all);
    let seconds = std::env::var("MUTATION_SECONDS")
        .ok()
        .and_then(|s| s.parse().ok())
        .unwrap_or(20);
    let seed = std::env::var("MUTATION_SEED")
        .ok()
        .and_then(|s| s.parse().ok())
        .unwrap_or(0x5eed_cafe_f00d_u64);
    let mut rng = Rng(seed | 1);
    let deadline = Instant::now() + Duration::from_secs(seconds);
    let (mut generated, mut refused) = (0usize, 0usize);
    let mut mutant_index = 0usize;
    while Instant::now() < deadline || mutant_index < 8 {
        mutant_index += 1;
        let mut doc = original.clone();
        // One to three mutations (hostile texts alone: the test below).
        let mut done = Vec::new();
        for _ in 0..1 + rng.below(3) {
            done.push(mutate(&mut doc, &mut rng, &all));
        }
        let bytes = serde_json::to_vec(&doc).unwrap();
        let what = format!("mutant {mutant_index} (seed {seed}): {}", done.join("; "));
        match run(bytes) {
            Err(panic) => panic!("{what}: the generator panicked: {panic}"),
            Ok(Outcome::Refused(error)) => {
                refused += 1;
                // The error names the document (the file when it is read, its id and
                // revision when the model is built from it) and where in it.
                assert!(
                    error.starts_with("mutant.json") || error.starts_with("chat:v1 revision"),
                    "{what}: {error}"
                );
                let located = error.contains(": schemas")
                    || error.contains(": resources")
                    || error.contains(": auth")
                    || error.contains(": parameters")
                    || error.contains("line ")
                    || error.split(": ").nth(1).is_some_and(|p| !p.contains(' '));
                assert!(located, "{what}: no JSON path in: {error}");
            }
            Ok(Outcome::Generated(files)) => {
                generated += 1;
                for file in files {
                    let parsed = syn::parse_file(&file.contents)
                        .unwrap_or_else(|e| panic!("{what}: {} does not parse: {e}", file.path));
                    let mut found = Vec::new();
                    idents(quote::quote!(#parsed), &mut found);
                    assert!(
                        !found.iter().any(|i| i.contains(PAYLOAD)),
                        "{what}: document text in a code position of {}",
                        file.path
                    );
                    for block in doc_blocks(&file.contents) {
                        let testable = testable_blocks(&block);
                        assert!(
                            testable.is_empty(),
                            "{what}: {} holds a doctest ({testable:?}):\n{block}",
                            file.path
                        );
                    }
                }
            }
        }
    }
    eprintln!("{mutant_index} mutants in {seconds} s: {generated} generated, {refused} refused");
    assert!(
        generated > 0 && refused > 0,
        "{generated} generated, {refused} refused"
    );
}

/// Texts alone never stop a generation, and none of them becomes a doctest or code.
#[test]
fn hostile_texts_everywhere_generate_safe_docs() {
    on_main_sized_stack(hostile_texts);
}

fn hostile_texts() {
    let path =
        Path::new(env!("CARGO_MANIFEST_DIR")).join("../generated/documents/chat.v1.20261107.json");
    let original: Value = serde_json::from_slice(&std::fs::read(&path).unwrap()).unwrap();
    for text in TEXTS {
        let mut doc = original.clone();
        set_texts(&mut doc, text);
        let files = match run(serde_json::to_vec(&doc).unwrap()) {
            Ok(Outcome::Generated(files)) => files,
            Ok(Outcome::Refused(error)) => panic!("texts {text:?}: refused: {error}"),
            Err(panic) => panic!("texts {text:?}: panicked: {panic}"),
        };
        let mut blocks = 0;
        for file in files {
            for block in doc_blocks(&file.contents) {
                blocks += 1;
                assert!(
                    testable_blocks(&block).is_empty(),
                    "{text:?}: {:?}:\n{block}",
                    testable_blocks(&block)
                );
            }
            let parsed = syn::parse_file(&file.contents).unwrap();
            let mut found = Vec::new();
            idents(quote::quote!(#parsed), &mut found);
            assert!(!found.iter().any(|i| i.contains(PAYLOAD)), "{text:?}");
        }
        assert!(blocks > 100, "{text:?}: {blocks} doc blocks");
    }
}
