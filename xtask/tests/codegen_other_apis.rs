//! Not Chat-specific: `cargo xtask generate` makes a whole crate for every document in
//! `testdata/discovery/other/` (Drive, Gmail, Calendar, Storage, four more, and any file
//! placed there) and for every snapshot fixture (with and without `developer-preview`), on the
//! `google-api-runtime` crate; they compile with zero warnings anywhere (runtime
//! included), their docs build with `RUSTDOCFLAGS=-D warnings`, and the wire check
//! (`fixtures/wire_check/main.rs`) proves Drive, Storage, Gmail and Calendar calls on the
//! wire against a local server: exact method, path and query.
//!
//! All crates sit in one scratch workspace (with this workspace's `Cargo.lock`), checked
//! with `cargo check`. It takes minutes (a dependency build plus a dozen crates), so it
//! runs only when `CHAT_API_CHECK_OTHER=1` (`scripts/test.sh` sets it).

use std::path::{Path, PathBuf};
use std::process::Command;
use std::time::Instant;

use xtask::regen::{self, Input};

/// The generated crates the wire check uses.
const WIRE_CHECKED: &[&str] = &[
    "google-drive-v3",
    "google-storage-v1",
    "google-gmail-v1",
    "google-calendar-v3",
];

#[test]
fn other_google_apis_compile_without_warnings_and_are_right_on_the_wire() {
    if std::env::var("CHAT_API_CHECK_OTHER").as_deref() != Ok("1") {
        eprintln!("skipped other_google_apis_compile_without_warnings: set CHAT_API_CHECK_OTHER=1");
        return;
    }
    let root = regen::workspace_root();
    let runtime = root.join("runtime");
    let scratch = std::env::temp_dir().join(format!("chat-api-other-apis-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&scratch);
    std::fs::create_dir_all(&scratch).unwrap();

    // (stable document, preview document, crate name or None for the default)
    let mut inputs: Vec<(PathBuf, Option<PathBuf>, Option<String>)> = Vec::new();
    // Every document in other/: one placed there is generated and compiled too (15 today:
    // 8 APIs, and the 7 documents once refused or miscompiled).
    let others = discovery::testing::other_documents();
    assert!(others.len() >= 15, "{others:?}");
    inputs.extend(others.into_iter().map(|p| (p, None, None)));
    let fixtures = Path::new(env!("CARGO_MANIFEST_DIR")).join("../codegen/tests/fixtures/codegen");
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
        let name = format!("fixture-{}", stem.replace('_', "-"));
        inputs.push((path, preview, Some(name)));
    }

    let started = Instant::now();
    let mut members = Vec::new();
    for (stable, preview, name) in &inputs {
        let stable_input = Input::read(stable).unwrap();
        let preview_input = preview.as_deref().map(|p| Input::read(p).unwrap());
        let model = regen::build_model(&stable_input, preview_input.as_ref())
            .unwrap_or_else(|e| panic!("{}: {e:#}", stable.display()));
        let name = name
            .clone()
            .unwrap_or_else(|| xtask::generate::default_package_name(&model));
        xtask::generate::write_crate(&model, &scratch.join(&name), &name, &runtime)
            .unwrap_or_else(|e| panic!("{}: {e:#}", stable.display()));
        members.push(name);
    }
    let generated = started.elapsed();
    for needed in WIRE_CHECKED {
        assert!(members.iter().any(|m| m == needed), "no crate {needed}");
    }

    // The wire check: a binary using four of them against wiremock.
    let wire = scratch.join("wire-check");
    std::fs::create_dir_all(wire.join("src")).unwrap();
    std::fs::copy(
        Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/wire_check/main.rs"),
        wire.join("src/main.rs"),
    )
    .unwrap();
    let deps: String = WIRE_CHECKED
        .iter()
        .map(|c| format!("{c} = {{ path = \"../{c}\" }}\n"))
        .collect();
    std::fs::write(
        wire.join("Cargo.toml"),
        format!(
            "[package]\nname = \"wire-check\"\nversion = \"0.1.0\"\nedition = \"2024\"\npublish = false\n\n\
             [dependencies]\n{deps}futures-util = {{ version = \"0.3\", default-features = false }}\n\
             serde_json = \"1\"\ntokio = {{ version = \"1\", features = [\"rt-multi-thread\", \"macros\"] }}\n\
             wiremock = \"0.6\"\n"
        ),
    )
    .unwrap();
    members.push("wire-check".to_owned());
    let members: Vec<String> = members.iter().map(|m| format!("{m:?}")).collect();
    std::fs::write(
        scratch.join("Cargo.toml"),
        format!(
            "[workspace]\nresolver = \"3\"\nmembers = [{}]\n",
            members.join(", ")
        ),
    )
    .unwrap();
    std::fs::copy(root.join("Cargo.lock"), scratch.join("Cargo.lock")).unwrap();

    // Its own target dir (RUSTFLAGS differ from the normal build's).
    let target: PathBuf = match std::env::var_os("CARGO_TARGET_DIR") {
        Some(dir) => PathBuf::from(dir).join("other-apis"),
        None => root.join("target").join("other-apis"),
    };
    let cargo = || Command::new(std::env::var("CARGO").unwrap_or_else(|_| "cargo".to_owned()));
    let started = Instant::now();
    // With every feature (the preview surface), then without (the stable one).
    for features in [&["--all-features"][..], &[]] {
        let output = cargo()
            .args(["check", "--workspace", "--message-format=json"])
            .args(features)
            .current_dir(&scratch)
            .env("CARGO_TARGET_DIR", &target)
            .output()
            .unwrap();
        let found = diagnostics(&output.stdout);
        assert!(
            found.is_empty() && output.status.success(),
            "cargo check {features:?} of the generated crates failed or warned (scratch workspace kept at {}):\n{}\n{}",
            scratch.display(),
            found.join("\n"),
            String::from_utf8_lossy(&output.stderr)
        );
    }
    // The doc comments are valid rustdoc (no broken links, HTML or doctests).
    let output = cargo()
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
    // And the calls are right on the wire.
    let output = cargo()
        .args(["run", "--quiet", "-p", "wire-check"])
        .current_dir(&scratch)
        .env("CARGO_TARGET_DIR", &target)
        .output()
        .unwrap();
    let stdout = String::from_utf8_lossy(&output.stdout);
    assert!(
        output.status.success() && stdout.contains("wire check: ok"),
        "the wire check failed (scratch workspace kept at {}):\n{stdout}\n{}",
        scratch.display(),
        String::from_utf8_lossy(&output.stderr)
    );
    eprint!("{stdout}");
    eprintln!(
        "generated {} crates in {:.2?}; cargo check (twice), doc and the wire check took {:.1?}",
        inputs.len(),
        generated,
        started.elapsed()
    );
    std::fs::remove_dir_all(&scratch).unwrap();
}

/// Every compiler warning and error in cargo's JSON messages, wherever it is (generated
/// code, the runtime, the wire check); summary lines ("N warnings emitted") are left out.
fn diagnostics(stdout: &[u8]) -> Vec<String> {
    let mut found = Vec::new();
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
        let summary = message["spans"].as_array().is_none_or(|s| s.is_empty())
            && message["code"].is_null()
            && level == "warning";
        if !summary {
            found.push(message["rendered"].as_str().unwrap_or_default().to_owned());
        }
    }
    found
}
