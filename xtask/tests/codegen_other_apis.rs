//! Not Chat-specific: the generator's output for Drive v3, Gmail v1, Calendar v3 and
//! Storage v1 (and for every snapshot fixture, with and without `developer-preview`)
//! compiles without warnings against the chat-api runtime, and its docs build with
//! `RUSTDOCFLAGS=-D warnings`.
//!
//! Each API is generated into a scratch copy of the chat-api crate (its hand-written
//! runtime with `src/gen` replaced) inside one scratch workspace, then checked with
//! `cargo check`; any warning or error in generated code fails. It takes minutes (a dependency build plus
//! four crates), so it runs only when `CHAT_API_CHECK_OTHER=1` (CI sets it).

use std::path::{Path, PathBuf};
use std::process::Command;
use std::time::Instant;

use xtask::regen::{self, Input};

mod scratch;
use scratch::copy_dir;

const APIS: &[(&str, &str)] = &[
    ("drive.v3.json", "gen-drive"),
    ("gmail.v1.json", "gen-gmail"),
    ("calendar.v3.json", "gen-calendar"),
    ("storage.v1.json", "gen-storage"),
];

/// Hand-written modules of chat-api that are Chat's own (they name Chat's models), not
/// part of the API-agnostic runtime: removed from the copy of another API's crate.
const CHAT_MODULES: &[&str] = &["cards"];

fn drop_chat_modules(krate: &Path) {
    let lib = krate.join("src").join("lib.rs");
    let mut text = std::fs::read_to_string(&lib).unwrap();
    for module in CHAT_MODULES {
        let line = format!("pub mod {module};\n");
        assert!(
            text.contains(&line),
            "chat-api/src/lib.rs no longer has {line:?}"
        );
        text = text.replacen(&line, "", 1);
        std::fs::remove_file(krate.join("src").join(format!("{module}.rs"))).unwrap();
    }
    std::fs::write(&lib, text).unwrap();
}

#[test]
fn other_google_apis_compile_without_warnings() {
    if std::env::var("CHAT_API_CHECK_OTHER").as_deref() != Ok("1") {
        eprintln!("skipped other_google_apis_compile_without_warnings: set CHAT_API_CHECK_OTHER=1");
        return;
    }
    let Some(docs) =
        discovery::testing::real_documents_dir("other_google_apis_compile_without_warnings")
    else {
        return;
    };
    let root = regen::workspace_root();
    let scratch = std::env::temp_dir().join(format!("chat-api-other-apis-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&scratch);
    std::fs::create_dir_all(&scratch).unwrap();

    // A workspace with the real one's shared settings and lock, holding one crate per API.
    let manifest = std::fs::read_to_string(root.join("Cargo.toml")).unwrap();
    // (crate name, stable document, preview document)
    let fixtures = Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("tests")
        .join("fixtures")
        .join("codegen");
    let mut crates: Vec<(String, PathBuf, Option<PathBuf>)> = APIS
        .iter()
        .map(|(file, name)| (name.to_string(), docs.join("other").join(file), None))
        .collect();
    for entry in std::fs::read_dir(&fixtures).unwrap() {
        let path = entry.unwrap().path();
        if path.extension().is_none_or(|x| x != "json") {
            continue;
        }
        let stem = path.file_stem().unwrap().to_string_lossy().into_owned();
        if stem.ends_with("_preview") {
            continue;
        }
        let preview = fixtures.join(format!("{}_preview.json", stem.trim_end_matches("_stable")));
        let preview = (stem.ends_with("_stable") && preview.is_file()).then_some(preview);
        crates.push((format!("fixture-{}", stem.replace('_', "-")), path, preview));
    }
    crates.sort();
    let members: Vec<String> = crates
        .iter()
        .map(|(name, ..)| format!("{name:?}"))
        .collect();
    let start = manifest.find("members").expect("workspace members");
    let end = start + manifest[start..].find(']').expect("end of members") + 1;
    let manifest = format!(
        "{}members = [{}]{}",
        &manifest[..start],
        members.join(", "),
        &manifest[end..]
    );
    std::fs::write(scratch.join("Cargo.toml"), manifest).unwrap();
    std::fs::copy(root.join("Cargo.lock"), scratch.join("Cargo.lock")).unwrap();

    let started = Instant::now();
    for (name, stable, preview) in &crates {
        let input = Input::read(stable).unwrap();
        let preview = preview.as_deref().map(|p| Input::read(p).unwrap());
        let rendered = regen::render(&input, preview.as_ref())
            .unwrap_or_else(|e| panic!("{}: {e:#}", stable.display()));
        let krate = scratch.join(name);
        copy_dir(&root.join("chat-api"), &krate, &["target"]);
        let cargo_toml = krate.join("Cargo.toml");
        let text = std::fs::read_to_string(&cargo_toml).unwrap();
        std::fs::write(
            &cargo_toml,
            text.replacen("name = \"chat-api\"", &format!("name = {name:?}"), 1),
        )
        .unwrap();
        regen::write_tree(&krate.join("src").join("gen"), &rendered.gen_files).unwrap();
        drop_chat_modules(&krate);
    }
    let generated = started.elapsed();

    // Its own target dir (RUSTFLAGS differ from the normal build's).
    let target: PathBuf = match std::env::var_os("CARGO_TARGET_DIR") {
        Some(dir) => PathBuf::from(dir).join("other-apis"),
        None => root.join("target").join("other-apis"),
    };
    let started = Instant::now();
    // With every feature (the preview surface), then without (the stable one).
    for features in [&["--all-features"][..], &[]] {
        let output = Command::new(std::env::var("CARGO").unwrap_or_else(|_| "cargo".to_owned()))
            .args(["check", "--workspace", "--lib", "--message-format=json"])
            .args(features)
            .current_dir(&scratch)
            .env("CARGO_TARGET_DIR", &target)
            .output()
            .unwrap();
        let (in_generated, in_runtime) = diagnostics(&output.stdout);
        for d in &in_runtime {
            eprintln!("note (hand-written runtime, not generated code): {d}");
        }
        assert!(
            in_generated.is_empty() && output.status.success(),
            "cargo check {features:?} of the generated crates failed or warned (scratch workspace kept at {}):\n{}\n{}",
            scratch.display(),
            in_generated.join("\n"),
            String::from_utf8_lossy(&output.stderr)
        );
    }
    // And the doc comments are valid rustdoc (no broken links, HTML or doctests).
    let output = Command::new(std::env::var("CARGO").unwrap_or_else(|_| "cargo".to_owned()))
        .args([
            "doc",
            "--workspace",
            "--no-deps",
            "--all-features",
            "--quiet",
        ])
        .current_dir(&scratch)
        .env("CARGO_TARGET_DIR", &target)
        .env("RUSTDOCFLAGS", "-D warnings")
        .output()
        .unwrap();
    assert!(
        output.status.success(),
        "cargo doc of the generated crates warned (scratch workspace kept at {}):\n{}",
        scratch.display(),
        String::from_utf8_lossy(&output.stderr)
    );
    eprintln!(
        "generated {} crates in {:.2?}; cargo check (twice) and doc took {:.1?}",
        crates.len(),
        generated,
        started.elapsed()
    );
    std::fs::remove_dir_all(&scratch).unwrap();
}

/// Compiler warnings and errors from cargo's JSON messages: those located in generated
/// code (or without a location), and those in the hand-written runtime. The runtime's
/// dead-code warnings depend on which features an API uses (Gmail has no media
/// download), so they are reported, not failed on, here; chat-api's own build keeps the
/// runtime warning-free.
fn diagnostics(stdout: &[u8]) -> (Vec<String>, Vec<String>) {
    let mut in_generated = Vec::new();
    let mut in_runtime = Vec::new();
    for line in stdout.split(|&b| b == b'\n').filter(|l| !l.is_empty()) {
        let Ok(msg) = serde_json::from_slice::<serde_json::Value>(line) else {
            continue;
        };
        if msg["reason"] != "compiler-message" {
            continue;
        }
        let message = &msg["message"];
        let level = message["level"].as_str().unwrap_or_default();
        if level != "warning" && level != "error" {
            continue;
        }
        let file = message["spans"]
            .as_array()
            .and_then(|spans| spans.iter().find(|s| s["is_primary"] == true))
            .and_then(|s| s["file_name"].as_str())
            .unwrap_or_default()
            .to_owned();
        let rendered = message["rendered"].as_str().unwrap_or_default().to_owned();
        if level == "error" || file.is_empty() || file.contains("/src/gen/") {
            // Summary lines ("N warnings emitted") have no span and no code.
            if !(file.is_empty() && message["code"].is_null() && level == "warning") {
                in_generated.push(rendered);
            }
        } else {
            in_runtime.push(format!(
                "{file}: {}",
                message["message"].as_str().unwrap_or_default()
            ));
        }
    }
    (in_generated, in_runtime)
}
