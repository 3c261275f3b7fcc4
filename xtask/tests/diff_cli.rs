//! `cargo xtask diff` end to end (the built binary), and the regen summary functions.

use std::path::{Path, PathBuf};
use std::process::{Command, Output};

use codegen::Model;
use discovery::Document;
use discovery::testing::real_documents_dir;

fn xtask(args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_xtask"))
        .args(args)
        // Tests choose their documents explicitly.
        .env_remove(discovery::testing::DISCOVERY_DIR_VAR)
        .output()
        .expect("xtask runs")
}

fn stdout(output: &Output) -> String {
    String::from_utf8_lossy(&output.stdout).into_owned()
}

fn stderr(output: &Output) -> String {
    String::from_utf8_lossy(&output.stderr).into_owned()
}

fn chat(dir: &Path, file: &str) -> String {
    dir.join("chat").join(file).display().to_string()
}

/// A fresh scratch folder for one test.
fn scratch(test: &str) -> PathBuf {
    let dir = std::env::temp_dir().join(format!("xtask-diff-{}-{test}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).expect("scratch dir");
    dir
}

#[test]
fn additive_revision_passes_fail_on_breaking() {
    let dir = real_documents_dir();
    let old = chat(&dir, "chat.v1.20260120.json");
    let new = chat(&dir, "chat.v1.20260405.json");
    let out = xtask(&["diff", &old, &new, "--fail-on", "breaking"]);
    assert!(out.status.success(), "{}", stderr(&out));
    let text = stdout(&out);
    assert!(text.starts_with("API surface changes: chat:v1 20260120 -> chat:v1 20260405\n"));
    assert!(text.contains("0 breaking, 25 additive, 0 compatible changes"));
    assert!(text.contains("  + [additive] method spaces.findGroupChats"));
    // Description-only changes are counted, listed only on request.
    assert!(text.contains("9 description-only changes (list them with --descriptions)"));
    assert!(!text.contains("description-only changes\n  ~"));
    let loud = stdout(&xtask(&["diff", &old, &new, "--descriptions"]));
    assert!(loud.contains("\ndescription-only changes\n  ~ method spaces.messages.get\n"));

    // `--fail-on any` fails on additions too.
    let any = xtask(&["diff", &old, &new, "--fail-on", "any"]);
    assert_eq!(any.status.code(), Some(1));
}

#[test]
fn breaking_revision_fails_fail_on_breaking() {
    let dir = real_documents_dir();
    let old = chat(&dir, "chat.v1.20210314.json");
    let new = chat(&dir, "chat.v1.20260405.json");
    let out = xtask(&["diff", &old, &new, "--fail-on", "breaking"]);
    assert_eq!(out.status.code(), Some(1), "{}", stderr(&out));
    assert!(
        stderr(&out).contains("8 breaking change(s)"),
        "{}",
        stderr(&out)
    );
    // The report is still printed in full.
    assert!(stdout(&out).contains("  - [breaking] field Message.previewText"));
    // Without --fail-on the same diff exits 0.
    assert!(xtask(&["diff", &old, &new]).status.success());
}

#[test]
fn json_and_markdown_formats() {
    let dir = real_documents_dir();
    let old = chat(&dir, "chat.v1.20210314.json");
    let new = chat(&dir, "chat.v1.20260405.json");
    let out = xtask(&["diff", &old, &new, "--format", "json"]);
    assert!(out.status.success(), "{}", stderr(&out));
    let json: serde_json::Value = serde_json::from_slice(&out.stdout).expect("valid JSON");
    // 4 removed resources/methods/fields, and the 4 resource name types of `dms` and `rooms`.
    assert_eq!(json["breaking"], 8);
    assert_eq!(json["bump"], "major");
    assert_eq!(json["old"]["revision"], "20210314");
    assert_eq!(json["counts"]["removed"]["method"], 7);
    assert!(json.get("description_changes").is_none());
    let markdown = stdout(&xtask(&["diff", &old, &new, "--format", "markdown"]));
    assert!(
        markdown.starts_with("## API surface changes: `chat:v1 20210314` → `chat:v1 20260405`")
    );
    assert!(markdown.contains("\n### Breaking changes\n"));
    assert!(markdown.contains("- removed field `Message.previewText`: removed from the crate\n"));
}

#[test]
fn stable_and_preview_come_from_the_lock() {
    let dir = real_documents_dir();
    let scratch = scratch("lock");
    let lock = scratch.join("lock.json");
    std::fs::write(
        &lock,
        r#"{"documents": [
            {"role": "stable", "file": "chat.v1.20260405.json", "id": "chat:v1", "revision": "20260405", "sha256": "x"},
            {"role": "preview", "file": "chat.v1.preview.20260405.json", "id": "chat:v1", "revision": "20260405", "sha256": "x"}
        ]}"#,
    )
    .expect("lock written");
    let documents = dir.join("chat").display().to_string();
    let lock_arg = lock.display().to_string();
    let common = [
        "--documents",
        documents.as_str(),
        "--lock",
        lock_arg.as_str(),
    ];

    // No OLD/NEW: stable against preview.
    let out = xtask(&[&["diff"][..], &common[..]].concat());
    assert!(out.status.success(), "{}", stderr(&out));
    let text = stdout(&out);
    assert!(
        text.starts_with("API surface changes: chat:v1 20260405 -> chat:v1 20260405 (preview)\n")
    );
    assert!(text.contains("0 breaking, 3 additive, 0 compatible changes"));
    assert!(text.contains("+ [additive] method spaces.messages.replaceCards [preview]"));

    // In Markdown it is exactly the committed preview-vs-stable report.
    let md = stdout(&xtask(
        &[&["diff", "--format", "markdown"][..], &common[..]].concat(),
    ));
    assert!(md.starts_with("# Developer Preview vs stable: chat:v1\n"));
    assert!(!md.contains("version bump"));

    // One argument: that file against stable.
    let old = chat(&dir, "chat.v1.20260120.json");
    let out = xtask(&[&["diff", old.as_str()][..], &common[..]].concat());
    assert!(
        stdout(&out).starts_with("API surface changes: chat:v1 20260120 -> chat:v1 20260405\n")
    );

    // preview -> stable reverses the report: removing a preview method is breaking for
    // preview users.
    let out = xtask(
        &[
            &["diff", "preview", "stable", "--fail-on", "breaking"][..],
            &common[..],
        ]
        .concat(),
    );
    assert_eq!(out.status.code(), Some(1));
    assert!(stdout(&out).contains("- [breaking] method spaces.messages.replaceCards"));

    // Without a preview document, `preview` is an error that says what to do.
    std::fs::write(
        &lock,
        r#"{"documents": [{"role": "stable", "file": "chat.v1.20260405.json", "id": "chat:v1", "revision": "20260405", "sha256": "x"}]}"#,
    )
    .expect("lock written");
    let out = xtask(&[&["diff"][..], &common[..]].concat());
    assert_eq!(out.status.code(), Some(1));
    assert!(
        stderr(&out).contains("no preview document"),
        "{}",
        stderr(&out)
    );
    let _ = std::fs::remove_dir_all(&scratch);
}

#[test]
fn bad_inputs_get_clear_errors() {
    let scratch = scratch("bad");
    let missing = scratch.join("missing.json").display().to_string();
    let out = xtask(&["diff", &missing, &missing]);
    assert_eq!(out.status.code(), Some(1));
    assert!(stderr(&out).contains(&missing), "{}", stderr(&out));
    assert!(stdout(&out).is_empty());

    let broken = scratch.join("broken.json");
    std::fs::write(
        &broken,
        br#"{"kind": "discovery#restDescription", "schemas": {"A": {"type": 5}}}"#,
    )
    .expect("written");
    let broken = broken.display().to_string();
    let out = xtask(&["diff", &broken, &broken]);
    assert_eq!(out.status.code(), Some(1));
    let err = stderr(&out);
    assert!(err.contains(&broken), "{err}");
    assert!(err.contains("schemas"), "the JSON path is named: {err}");

    let lock = scratch.join("lock.json");
    std::fs::write(&lock, "{not json").expect("written");
    let lock_arg = lock.display().to_string();
    let out = xtask(&[
        "diff",
        "--lock",
        &lock_arg,
        "--documents",
        &scratch.display().to_string(),
    ]);
    assert_eq!(out.status.code(), Some(1));
    assert!(stderr(&out).contains("not a lock file"), "{}", stderr(&out));

    std::fs::write(
        &lock,
        r#"{"documents": [{"role": "stable", "file": "../escape.json", "id": "", "revision": "", "sha256": ""}]}"#,
    )
    .expect("written");
    let out = xtask(&[
        "diff",
        "--lock",
        &lock_arg,
        "--documents",
        &scratch.display().to_string(),
    ]);
    assert_eq!(out.status.code(), Some(1));
    assert!(
        stderr(&out).contains("not a plain file name"),
        "{}",
        stderr(&out)
    );
    let _ = std::fs::remove_dir_all(&scratch);
}

fn model(dir: &Path, stable: &str, preview: Option<&str>) -> Model {
    let load = |f: &str| Document::from_file(&dir.join("chat").join(f)).expect("document");
    let preview = preview.map(load);
    Model::build(&load(stable), preview.as_ref()).expect("model")
}

#[test]
fn regen_summary_reports_revisions_counts_breaking_changes_and_bump() {
    let dir = real_documents_dir();
    let old = model(&dir, "chat.v1.20210314.json", None);
    let new = model(
        &dir,
        "chat.v1.20260405.json",
        Some("chat.v1.preview.20260405.json"),
    );
    let summary = xtask::diff::regen_summary(Some(&old), &new);
    assert!(
        summary.starts_with("chat:v1: revision 20210314 -> 20260405 + preview 20260405\n"),
        "{summary}"
    );
    assert!(summary.contains("stable surface: 8 breaking, "));
    assert!(
        summary.contains(
            "  removed: 4 resources, 7 methods, 14 parameters, 1 field, 4 resource names\n"
        )
    );
    assert!(
        summary.contains("  BREAKING: removed field Message.previewText: removed from the crate\n")
    );
    assert!(summary.contains("preview (feature developer-preview) surface: 8 breaking, "));
    assert!(summary.contains("chat-api version bump: major"));
    assert!(summary.contains("cargo insta review"));

    let same = xtask::diff::regen_summary(Some(&new), &new);
    assert!(same.contains("stable surface: 0 breaking, 0 additive, 0 compatible changes"));
    assert!(same.contains("chat-api version bump: none"));

    let first = xtask::diff::regen_summary(None, &new);
    assert!(
        first.starts_with("chat:v1: first generation from revision 20260405 + preview 20260405")
    );
}

#[test]
fn preview_vs_stable_markdown_lists_the_preview_additions() {
    let dir = real_documents_dir();
    let merged = model(
        &dir,
        "chat.v1.20260405.json",
        Some("chat.v1.preview.20260405.json"),
    );
    let md = xtask::diff::preview_vs_stable_markdown(&merged);
    assert!(md.contains("added method `spaces.messages.replaceCards` (preview)"));
    assert!(md.contains("added type `ReplaceMessageCardsRequest` (preview)"));
    assert!(md.contains("added type `ReplaceMessageCardsResponse` (preview)"));
    assert!(md.contains("0 breaking, 3 additive, 0 compatible changes"));

    let stable_only = model(&dir, "chat.v1.20260405.json", None);
    let md = xtask::diff::preview_vs_stable_markdown(&stable_only);
    assert!(md.contains("The preview surface equals the stable surface."));
    assert!(md.contains("(none: no preview document was merged)"));
}
