//! The runtime's modules are layered: no module refers to one that refers back to it
//! (directly or through others). Read from the sources: every `crate::module` path
//! outside tests, with the crate root's re-exports (`crate::Error`) mapped to their
//! modules.

use std::collections::{BTreeMap, BTreeSet};
use std::path::Path;

/// The top-level module a source file belongs to (`auth/http.rs` -> `auth`).
fn module_of(src: &Path, file: &Path) -> String {
    let rel = file.strip_prefix(src).unwrap();
    let first = rel
        .components()
        .next()
        .unwrap()
        .as_os_str()
        .to_string_lossy();
    first.trim_end_matches(".rs").to_owned()
}

fn rust_files(dir: &Path, out: &mut Vec<std::path::PathBuf>) {
    for entry in std::fs::read_dir(dir).unwrap() {
        let path = entry.unwrap().path();
        if path.is_dir() {
            rust_files(&path, out);
        } else if path.extension().is_some_and(|x| x == "rs") {
            out.push(path);
        }
    }
}

/// The code of a file before its `#[cfg(test)]` part, without comment lines.
fn code(text: &str) -> String {
    let end = text.find("#[cfg(test)]").unwrap_or(text.len());
    text[..end]
        .lines()
        .filter(|l| !l.trim_start().starts_with("//"))
        .collect::<Vec<_>>()
        .join("\n")
}

/// `crate::x` names in `code`. `$crate::` paths are left out: they are in macro bodies,
/// expanded in generated crates (through the contract), not module references here.
fn crate_paths(code: &str) -> BTreeSet<String> {
    let mut out = BTreeSet::new();
    let mut rest = code;
    while let Some(i) = rest.find("crate::") {
        let in_macro = rest[..i].ends_with('$');
        rest = &rest[i + "crate::".len()..];
        if in_macro {
            continue;
        }
        let name: String = rest
            .chars()
            .take_while(|c| c.is_ascii_alphanumeric() || *c == '_')
            .collect();
        if !name.is_empty() {
            out.insert(name);
        }
    }
    out
}

#[test]
fn runtime_modules_have_no_import_cycles() {
    let src = Path::new(env!("CARGO_MANIFEST_DIR")).join("src");
    // Root re-exports: `pub use module::{A, B};` / `pub use module::A;`.
    let lib = std::fs::read_to_string(src.join("lib.rs")).unwrap();
    let mut reexport: BTreeMap<String, String> = BTreeMap::new();
    for stmt in lib.split(';') {
        let Some(rest) = stmt.trim().strip_prefix("pub use ") else {
            continue;
        };
        let Some((module, names)) = rest.split_once("::") else {
            continue;
        };
        for name in names.trim_matches(|c| c == '{' || c == '}').split(',') {
            let name = name.trim();
            if !name.is_empty() {
                reexport.insert(name.to_owned(), module.trim().to_owned());
            }
        }
    }
    let mut files = Vec::new();
    rust_files(&src, &mut files);
    let mut edges: BTreeMap<String, BTreeSet<String>> = BTreeMap::new();
    for file in &files {
        if file
            .file_name()
            .is_some_and(|n| n == "tests.rs" || n == "lib.rs")
        {
            continue;
        }
        let from = module_of(&src, file);
        let text = std::fs::read_to_string(file).unwrap();
        for name in crate_paths(&code(&text)) {
            let to = reexport.get(&name).cloned().unwrap_or(name);
            if to != from && !to.starts_with("__") {
                edges.entry(from.clone()).or_default().insert(to);
            }
        }
    }
    // Depth-first search for a cycle.
    fn visit(
        node: &str,
        edges: &BTreeMap<String, BTreeSet<String>>,
        stack: &mut Vec<String>,
        done: &mut BTreeSet<String>,
    ) -> Option<Vec<String>> {
        if let Some(at) = stack.iter().position(|n| n == node) {
            let mut cycle = stack[at..].to_vec();
            cycle.push(node.to_owned());
            return Some(cycle);
        }
        if done.contains(node) {
            return None;
        }
        stack.push(node.to_owned());
        for next in edges.get(node).into_iter().flatten() {
            if let Some(cycle) = visit(next, edges, stack, done) {
                return Some(cycle);
            }
        }
        stack.pop();
        done.insert(node.to_owned());
        None
    }
    let mut done = BTreeSet::new();
    for node in edges.keys() {
        if let Some(cycle) = visit(node, &edges, &mut Vec::new(), &mut done) {
            panic!(
                "import cycle: {}\n(all edges: {edges:?})",
                cycle.join(" -> ")
            );
        }
    }
    // The facade is on top of the transport, never the other way.
    assert!(edges["client"].contains("transport"));
    assert!(!edges["transport"].contains("client"), "{edges:?}");
}

#[test]
fn the_cycle_search_sees_paths() {
    assert_eq!(
        crate_paths("use crate::error::{Error};\nlet x = crate::upload::go(); $crate::contract::x"),
        BTreeSet::from(["error".to_owned(), "upload".to_owned()])
    );
    assert_eq!(code("a\n// crate::x\n#[cfg(test)]\ncrate::y"), "a");
}

/// Retrying lives in one place: no module but the retry loop (and the policy it asks)
/// reads `Retry-After`, asks for a delay or sleeps between attempts; the three senders
/// (API calls, token requests, upload chunks) go through the loop.
#[test]
fn retries_happen_in_the_one_retry_loop_only() {
    let src = Path::new(env!("CARGO_MANIFEST_DIR")).join("src");
    let mut files = Vec::new();
    rust_files(&src, &mut files);
    let mut callers = BTreeSet::new();
    for file in &files {
        let module = module_of(&src, file);
        let rel = file
            .strip_prefix(&src)
            .unwrap()
            .to_string_lossy()
            .replace('\\', "/");
        if module == "retry_loop" || module == "retry" || rel.ends_with("tests.rs") {
            continue;
        }
        let code = code(&std::fs::read_to_string(file).unwrap());
        for retry_logic in ["RETRY_AFTER", "next_delay(", "time::sleep("] {
            // The download's stall timer is a sleep, not a wait between attempts.
            if retry_logic == "time::sleep(" && rel == "media.rs" {
                continue;
            }
            assert!(
                !code.contains(retry_logic),
                "{rel} has retry logic of its own (`{retry_logic}`): use retry_loop"
            );
        }
        if code.contains("retry_loop(") {
            callers.insert(rel);
        }
    }
    assert_eq!(
        callers,
        BTreeSet::from(["auth/http.rs", "fetch.rs", "transport.rs", "upload.rs"].map(String::from))
    );
}
