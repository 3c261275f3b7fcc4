//! No import cycles in any crate of the workspace: at every level of every crate's module
//! tree, the sibling modules refer to each other without a cycle (`regen` using `diff`
//! while `diff` uses `regen`, or `emit/enums.rs` and `emit/models.rs` using each other,
//! would fail). A child using its parent (`super::Ctx`) is the usual Rust shape and is
//! not counted. Read from the sources: `crate::`, `super::` and `self::` paths and
//! `use` of child modules, outside `#[cfg(test)]` parts and comments. (The runtime's own
//! layering, stricter, is `runtime/tests/layers.rs`.)

use std::collections::{BTreeMap, BTreeSet};
use std::path::{Path, PathBuf};

fn rust_files(dir: &Path, out: &mut Vec<PathBuf>) {
    let Ok(entries) = std::fs::read_dir(dir) else {
        return;
    };
    for entry in entries.flatten() {
        let path = entry.path();
        if path.is_dir() {
            rust_files(&path, out);
        } else if path.extension().is_some_and(|x| x == "rs") {
            out.push(path);
        }
    }
}

/// The module path of a source file (`a/b.rs` and `a/b/mod.rs` -> `[a, b]`).
fn module_path(src: &Path, file: &Path) -> Vec<String> {
    let rel = file.strip_prefix(src).unwrap();
    let mut parts: Vec<String> = rel
        .components()
        .map(|c| c.as_os_str().to_string_lossy().into_owned())
        .collect();
    let last = parts.pop().unwrap_or_default();
    let stem = last.trim_end_matches(".rs");
    if !matches!(stem, "mod" | "lib" | "main") {
        parts.push(stem.to_owned());
    }
    parts
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

/// The identifier segments of a path starting at `rest` (`a::b::C` -> `[a, b, C]`).
fn segments(rest: &str) -> Vec<String> {
    let mut out = Vec::new();
    let mut rest = rest;
    loop {
        let name: String = rest
            .chars()
            .take_while(|c| c.is_ascii_alphanumeric() || *c == '_')
            .collect();
        if name.is_empty() {
            break;
        }
        rest = &rest[name.len()..];
        out.push(name);
        match rest.strip_prefix("::") {
            Some(r) => rest = r,
            None => break,
        }
    }
    out
}

/// The absolute module paths `code` (in module `here`) refers to, unresolved.
fn references(code: &str, here: &[String], children: &BTreeSet<String>) -> Vec<Vec<String>> {
    let mut out = Vec::new();
    let bytes = code.as_bytes();
    for (i, _) in code.match_indices("::") {
        // The start of the path this `::` belongs to.
        let mut start = i;
        while start > 0 && (bytes[start - 1].is_ascii_alphanumeric() || bytes[start - 1] == b'_') {
            start -= 1;
        }
        if start > 0 && (bytes[start - 1] == b':' || bytes[start - 1] == b'$') {
            continue; // not the first segment (or a macro's `$crate`)
        }
        let path = segments(&code[start..]);
        let Some(first) = path.first() else { continue };
        let mut base: Vec<String> = match first.as_str() {
            "crate" => Vec::new(),
            "self" => here.to_vec(),
            "super" => here.to_vec(),
            name if children.contains(name) => here.to_vec(),
            _ => continue,
        };
        let mut rest = &path[..];
        if first == "crate" || first == "self" {
            rest = &path[1..];
        }
        while rest.first().is_some_and(|s| s == "super") {
            base.pop();
            rest = &rest[1..];
        }
        base.extend(rest.iter().cloned());
        out.push(base);
    }
    out
}

/// Cycles among the sibling modules of each level of `src`'s crate.
fn cycles(src: &Path) -> Vec<String> {
    let mut files = Vec::new();
    rust_files(src, &mut files);
    // A `tests.rs` file is a `#[cfg(test)] mod tests;`: test code, like the parts after
    // `#[cfg(test)]` that `code` drops.
    files.retain(|f| f.file_stem().is_none_or(|s| s != "tests"));
    let modules: BTreeSet<Vec<String>> = files.iter().map(|f| module_path(src, f)).collect();
    // (parent, from child, to child)
    let mut edges: BTreeMap<Vec<String>, BTreeSet<(String, String)>> = BTreeMap::new();
    for file in &files {
        let here = module_path(src, file);
        let children: BTreeSet<String> = modules
            .iter()
            .filter(|m| m.len() == here.len() + 1 && m.starts_with(&here))
            .map(|m| m[here.len()].clone())
            .collect();
        let text = std::fs::read_to_string(file).unwrap();
        for target in references(&code(&text), &here, &children) {
            // The longest prefix that is a module.
            let Some(target) = (0..=target.len())
                .rev()
                .map(|n| target[..n].to_vec())
                .find(|p| modules.contains(p))
            else {
                continue;
            };
            let common = here.iter().zip(&target).take_while(|(a, b)| a == b).count();
            if common < here.len() && common < target.len() {
                edges
                    .entry(here[..common].to_vec())
                    .or_default()
                    .insert((here[common].clone(), target[common].clone()));
            }
        }
    }
    let mut found = Vec::new();
    for (parent, edges) in &edges {
        let mut graph: BTreeMap<&str, Vec<&str>> = BTreeMap::new();
        for (a, b) in edges {
            graph.entry(a).or_default().push(b);
        }
        for start in graph.keys() {
            // A path from `start` back to itself.
            let mut stack = vec![(*start, vec![*start])];
            let mut seen = BTreeSet::new();
            while let Some((node, path)) = stack.pop() {
                for next in graph.get(node).into_iter().flatten() {
                    if next == start {
                        let mut cycle = path.clone();
                        cycle.push(next);
                        found.push(format!(
                            "{}: {}",
                            if parent.is_empty() {
                                "crate".to_owned()
                            } else {
                                parent.join("::")
                            },
                            cycle.join(" -> ")
                        ));
                    } else if seen.insert(*next) {
                        let mut p = path.clone();
                        p.push(next);
                        stack.push((next, p));
                    }
                }
            }
        }
    }
    found.sort();
    found.dedup();
    found
}

#[test]
fn no_crate_has_an_import_cycle() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("..");
    let mut checked = Vec::new();
    let mut found = Vec::new();
    for entry in std::fs::read_dir(&root).unwrap().flatten() {
        let src = entry.path().join("src");
        if !entry.path().join("Cargo.toml").is_file() || !src.is_dir() {
            continue;
        }
        checked.push(entry.file_name().to_string_lossy().into_owned());
        for cycle in cycles(&src) {
            found.push(format!("{}: {cycle}", entry.file_name().to_string_lossy()));
        }
    }
    checked.sort();
    for needed in ["chat-api", "codegen", "discovery", "runtime", "xtask"] {
        assert!(
            checked.iter().any(|c| c == needed),
            "{needed} not checked: {checked:?}"
        );
    }
    assert!(found.is_empty(), "import cycles:\n{}", found.join("\n"));
}

#[test]
fn the_check_finds_a_cycle() {
    let dir = std::env::temp_dir().join(format!("module-cycles-{}", std::process::id()));
    let src = dir.join("src");
    std::fs::create_dir_all(src.join("a")).unwrap();
    std::fs::write(src.join("lib.rs"), "mod a;\nmod b;\n").unwrap();
    std::fs::write(src.join("a/mod.rs"), "mod x;\nmod y;\nuse crate::b::B;\n").unwrap();
    std::fs::write(src.join("a/x.rs"), "use super::y::Y;\npub struct X;\n").unwrap();
    std::fs::write(src.join("a/y.rs"), "use super::x::X;\npub struct Y;\n").unwrap();
    std::fs::write(src.join("b.rs"), "use crate::a::A;\n").unwrap();
    let found = cycles(&src);
    let _ = std::fs::remove_dir_all(&dir);
    assert!(
        found.contains(&"crate: a -> b -> a".to_owned()),
        "{found:?}"
    );
    assert!(found.contains(&"a: x -> y -> x".to_owned()), "{found:?}");
}
