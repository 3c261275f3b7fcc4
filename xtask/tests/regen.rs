//! `cargo xtask regen` end to end: the built binary, regenerating into a temporary copy
//! of the committed `chat-api/src/gen` and `generated/` (never the real tree), from the
//! real documents, from local files or from a server on 127.0.0.1 this test starts.

use std::collections::BTreeMap;
use std::io::{Read as _, Write as _};
use std::net::TcpListener;
use std::path::{Path, PathBuf};
use std::process::Command;
use std::time::SystemTime;

use discovery::testing::real_documents_dir;

/// A fake API key: it must reach the server and never the output.
const CANARY: &str = "AIzaREGEN-CANARY-0123456789";

/// A scratch copy of the committed outputs.
struct Scratch {
    dir: PathBuf,
}

impl Scratch {
    /// Copies `chat-api/src/gen` and `generated/` of the workspace into a fresh folder.
    fn new(test: &str) -> Scratch {
        let dir = Path::new(env!("CARGO_TARGET_TMPDIR")).join(format!("regen-{test}"));
        let _ = std::fs::remove_dir_all(&dir);
        let root = xtask::regen::workspace_root();
        copy_tree(
            &root.join("chat-api/src/gen"),
            &dir.join("chat-api/src/gen"),
        );
        copy_tree(&root.join("generated"), &dir.join("generated"));
        std::fs::create_dir_all(dir.join("documents")).unwrap();
        Scratch { dir }
    }

    /// `xtask regen` into this copy, with `extra` arguments.
    fn regen(&self, extra: &[&str]) -> Run {
        Run::of(&mut self.regen_command(extra))
    }

    /// The command of [`Scratch::regen`], to add environment variables or spawn it.
    fn regen_command(&self, extra: &[&str]) -> Command {
        let mut command = Command::new(env!("CARGO_BIN_EXE_xtask"));
        command
            .arg("regen")
            .arg("--out-crate")
            .arg(self.dir.join("chat-api"))
            .arg("--generated-dir")
            .arg(self.dir.join("generated"))
            .arg("--documents")
            .arg(self.dir.join("documents"))
            .args(extra)
            .env_remove("GOOGLE_API_KEY");
        command
    }

    /// `xtask check` of this copy against the documents in `documents`, with `extra`
    /// arguments.
    fn check(&self, documents: &Path, extra: &[&str]) -> Run {
        let mut command = Command::new(env!("CARGO_BIN_EXE_xtask"));
        command
            .arg("check")
            .arg("--out-crate")
            .arg(self.dir.join("chat-api"))
            .arg("--generated-dir")
            .arg(self.dir.join("generated"))
            .arg("--documents")
            .arg(documents)
            .args(extra);
        Run::of(&mut command)
    }

    /// Every file of the outputs (documents aside) with its bytes and mtime, plus the
    /// names of every entry beside the output folders (to catch leftover staging dirs).
    fn state(&self) -> BTreeMap<String, (Vec<u8>, SystemTime)> {
        let mut out = BTreeMap::new();
        for (rel, path) in files_under(&self.dir) {
            if rel.starts_with("documents/") {
                continue;
            }
            let meta = std::fs::metadata(&path).unwrap();
            out.insert(
                rel,
                (std::fs::read(&path).unwrap(), meta.modified().unwrap()),
            );
        }
        for dir in ["", "chat-api", "chat-api/src"] {
            for entry in std::fs::read_dir(self.dir.join(dir)).unwrap() {
                let name = entry.unwrap().file_name().into_string().unwrap();
                out.insert(
                    format!("{dir}/{name} (entry)"),
                    (Vec::new(), SystemTime::UNIX_EPOCH),
                );
            }
        }
        out
    }
}

impl Drop for Scratch {
    fn drop(&mut self) {
        let _ = std::fs::remove_dir_all(&self.dir);
    }
}

fn copy_tree(from: &Path, to: &Path) {
    for (rel, path) in files_under(from) {
        let dest = to.join(rel);
        std::fs::create_dir_all(dest.parent().unwrap()).unwrap();
        std::fs::copy(path, dest).unwrap();
    }
}

/// Files under `dir` as (relative path with `/`, full path), sorted.
fn files_under(dir: &Path) -> Vec<(String, PathBuf)> {
    let mut out = Vec::new();
    let mut stack = vec![dir.to_path_buf()];
    while let Some(here) = stack.pop() {
        for entry in std::fs::read_dir(&here).unwrap() {
            let path = entry.unwrap().path();
            if path.is_dir() {
                stack.push(path);
            } else {
                let rel = path
                    .strip_prefix(dir)
                    .unwrap()
                    .to_string_lossy()
                    .replace('\\', "/");
                out.push((rel, path));
            }
        }
    }
    out.sort();
    out
}

struct Run {
    ok: bool,
    /// The exit code (`None` when killed by a signal).
    code: Option<i32>,
    /// stdout then stderr.
    output: String,
}

impl Run {
    fn of(command: &mut Command) -> Run {
        let out = command.output().unwrap();
        Run {
            ok: out.status.success(),
            code: out.status.code(),
            output: format!(
                "{}{}",
                String::from_utf8_lossy(&out.stdout),
                String::from_utf8_lossy(&out.stderr)
            ),
        }
    }

    fn assert_ok(&self) -> &str {
        assert!(self.ok, "regen failed:\n{}", self.output);
        assert!(!self.output.contains(CANARY), "{}", self.output);
        &self.output
    }

    fn assert_failed(&self) -> &str {
        assert!(!self.ok, "regen succeeded:\n{}", self.output);
        assert!(!self.output.contains(CANARY), "{}", self.output);
        &self.output
    }
}

fn chat(dir: &Path, file: &str) -> String {
    dir.join("chat").join(file).display().to_string()
}

#[test]
fn regen_from_the_locked_documents_rewrites_nothing() {
    let docs = real_documents_dir();
    let scratch = Scratch::new("idempotent");
    let before = scratch.state();
    let run = scratch.regen(&[
        "--stable",
        &chat(&docs, "chat.v1.20261107.json"),
        "--preview",
        &chat(&docs, "chat.v1.preview.20261107.json"),
    ]);
    let out = run.assert_ok();
    assert!(out.contains("no changes:"), "{out}");
    assert!(out.contains("nothing was written"), "{out}");
    assert_eq!(scratch.state(), before, "files, bytes or mtimes changed");
}

/// Method ids of a document, walked from the raw JSON (independently of the
/// `discovery` crate).
fn method_ids(path: &str) -> Vec<String> {
    fn walk(resources: &serde_json::Value, out: &mut Vec<String>) {
        let Some(map) = resources.as_object() else {
            return;
        };
        for resource in map.values() {
            if let Some(methods) = resource["methods"].as_object() {
                out.extend(
                    methods
                        .values()
                        .filter_map(|m| m["id"].as_str().map(str::to_owned)),
                );
            }
            walk(&resource["resources"], out);
        }
    }
    let doc: serde_json::Value = serde_json::from_slice(&std::fs::read(path).unwrap()).unwrap();
    let mut out = Vec::new();
    walk(&doc["resources"], &mut out);
    out
}

#[test]
fn regen_to_an_older_revision_shows_the_breaking_changes_and_round_trips() {
    let docs = real_documents_dir();
    let (older, newer) = (
        chat(&docs, "chat.v1.20260920.json"),
        chat(&docs, "chat.v1.20261107.json"),
    );
    // Facts read from the documents: 20261107 added `spaces.messages.replaceCards` (out of
    // the Developer Preview) and the fields `Message.elements` and `CardWithId.ownerUser`;
    // 20260920 has none of them.
    let (old_methods, new_methods) = (method_ids(&older), method_ids(&newer));
    let id = "chat.spaces.messages.replaceCards";
    assert!(new_methods.iter().any(|m| m == id) && !old_methods.iter().any(|m| m == id));
    let field = |path: &str, schema: &str, name: &str| -> bool {
        let doc: serde_json::Value = serde_json::from_slice(&std::fs::read(path).unwrap()).unwrap();
        doc["schemas"][schema]["properties"][name].is_object()
    };
    assert!(field(&newer, "Message", "elements") && !field(&older, "Message", "elements"));
    assert!(field(&newer, "CardWithId", "ownerUser") && !field(&older, "CardWithId", "ownerUser"));

    let scratch = Scratch::new("older");
    let before = scratch.state();
    let out = scratch
        .regen(&["--stable", &older, "--no-preview"])
        .assert_ok()
        .to_owned();
    assert!(
        out.contains("chat:v1: revision 20261107 + preview 20261107 -> 20260920\n"),
        "{out}"
    );
    for line in [
        "BREAKING: removed method spaces.messages.replaceCards",
        "BREAKING: removed field Message.elements",
        "BREAKING: removed field CardWithId.ownerUser",
        "chat-api version bump: major",
        "changed  ",
        "cargo insta review",
        "cargo xtask check",
    ] {
        assert!(out.contains(line), "missing {line:?} in:\n{out}");
    }
    let generated = scratch.dir.join("generated");
    let lock = std::fs::read_to_string(generated.join("lock.json")).unwrap();
    assert!(lock.contains("\"revision\": \"20260920\""), "{lock}");
    assert!(!lock.contains("preview"), "{lock}");
    let report = std::fs::read_to_string(generated.join("preview-vs-stable.md")).unwrap();
    assert!(
        report.contains("The preview surface equals the stable surface."),
        "{report}"
    );

    // Going back to the locked documents restores the committed files byte for byte,
    // and the summary is against 20260920 (found beside the new files).
    let back = scratch
        .regen(&[
            "--stable",
            &newer,
            "--preview",
            &chat(&docs, "chat.v1.preview.20261107.json"),
        ])
        .assert_ok()
        .to_owned();
    assert!(
        back.contains("chat:v1: revision 20260920 -> 20261107 + preview 20261107\n"),
        "{back}"
    );
    assert!(back.contains("additive"), "{back}");
    let bytes = |state: BTreeMap<String, (Vec<u8>, SystemTime)>| -> BTreeMap<String, Vec<u8>> {
        state.into_iter().map(|(k, (b, _))| (k, b)).collect()
    };
    assert_eq!(bytes(scratch.state()), bytes(before));
}

#[test]
fn a_failing_regen_leaves_every_file_as_it_was() {
    let docs = real_documents_dir();
    let scratch = Scratch::new("failing");
    let before = scratch.state();
    let stable = chat(&docs, "chat.v1.20210314.json");
    let truncated = scratch.dir.join("documents/truncated.json");
    std::fs::write(&truncated, "{\"kind\": \"discovery#restDescription\",").unwrap();
    let other_api = docs.join("other/drive.v3.json").display().to_string();
    let cases: [(&[&str], &str); 3] = [
        (
            &["--preview", truncated.to_str().unwrap()],
            "truncated.json",
        ),
        (&["--preview", &other_api], "drive:v3"),
        (&[], "--no-preview"),
    ];
    for (extra, expected) in cases {
        let mut args = vec!["--stable", stable.as_str()];
        args.extend_from_slice(extra);
        let out = scratch.regen(&args).assert_failed().to_owned();
        assert!(out.contains(expected), "missing {expected:?} in:\n{out}");
        assert_eq!(scratch.state(), before, "after {extra:?}");
    }
}

/// A port on 127.0.0.1 with nothing listening.
fn closed_port() -> u16 {
    let listener = TcpListener::bind("127.0.0.1:0").unwrap();
    listener.local_addr().unwrap().port()
}

#[test]
fn without_network_it_fails_fast_with_the_local_files_hint() {
    let scratch = Scratch::new("offline");
    let before = scratch.state();
    let root = format!("http://127.0.0.1:{}/", closed_port());
    let out = scratch
        .regen(&[
            "--root-url",
            &root,
            "--retries",
            "0",
            "--connect-timeout",
            "2s",
        ])
        .assert_failed()
        .to_owned();
    assert!(
        out.contains("cannot fetch the Discovery documents"),
        "{out}"
    );
    assert!(out.contains("cargo xtask regen --stable FILE"), "{out}");
    assert!(out.contains("nothing was changed"), "{out}");
    assert_eq!(scratch.state(), before);
    assert!(files_under(&scratch.dir.join("documents")).is_empty());
}

/// Serves `stable` for plain requests and `preview` for DEVELOPER_PREVIEW ones (404
/// when there is none), one request per connection, until the test ends.
fn serve(stable: Vec<u8>, preview: Option<Vec<u8>>) -> String {
    let listener = TcpListener::bind("127.0.0.1:0").unwrap();
    let url = format!("http://{}/", listener.local_addr().unwrap());
    std::thread::spawn(move || {
        for stream in listener.incoming() {
            let Ok(mut stream) = stream else { continue };
            let mut head = Vec::new();
            let mut buf = [0u8; 1024];
            while !head.windows(4).any(|w| w == b"\r\n\r\n") {
                match stream.read(&mut buf) {
                    Ok(0) | Err(_) => break,
                    Ok(n) => head.extend_from_slice(&buf[..n]),
                }
            }
            let target = String::from_utf8_lossy(&head);
            let body = if target.contains("labels=DEVELOPER_PREVIEW") {
                assert!(target.contains(CANARY), "the key reaches the server");
                preview.clone()
            } else {
                Some(stable.clone())
            };
            let (status, body) = match body {
                Some(body) => ("200 OK", body),
                None => ("404 Not Found", b"{}".to_vec()),
            };
            let _ = write!(
                stream,
                "HTTP/1.1 {status}\r\nContent-Type: application/json\r\nContent-Length: {}\r\n\
                 Connection: close\r\n\r\n",
                body.len()
            );
            let _ = stream.write_all(&body);
        }
    });
    url
}

#[test]
fn fetching_with_a_key_regenerates_from_the_fetched_documents() {
    let docs = real_documents_dir();
    let stable = std::fs::read(chat(&docs, "chat.v1.20261107.json")).unwrap();
    let preview = std::fs::read(chat(&docs, "chat.v1.preview.20261107.json")).unwrap();
    let url = serve(stable.clone(), Some(preview.clone()));
    let scratch = Scratch::new("fetch-key");
    let before = scratch.state();
    let mut command = Command::new(env!("CARGO_BIN_EXE_xtask"));
    command
        .arg("regen")
        .arg("--out-crate")
        .arg(scratch.dir.join("chat-api"))
        .arg("--generated-dir")
        .arg(scratch.dir.join("generated"))
        .arg("--documents")
        .arg(scratch.dir.join("documents"))
        .args(["--root-url", &url])
        .env("GOOGLE_API_KEY", CANARY);
    let out = Run::of(&mut command).assert_ok().to_owned();
    assert!(
        out.contains("preview: using the API key from GOOGLE_API_KEY"),
        "{out}"
    );
    assert!(out.contains("no changes:"), "{out}");
    assert_eq!(scratch.state(), before);
    let documents = scratch.dir.join("documents");
    assert_eq!(
        std::fs::read(documents.join("chat.v1.20261107.json")).unwrap(),
        stable
    );
    assert_eq!(
        std::fs::read(documents.join("chat.v1.preview.20261107.json")).unwrap(),
        preview
    );
}

#[test]
fn without_a_key_the_locked_preview_is_reused_only_for_the_same_stable_revision() {
    let docs = real_documents_dir();
    // Same stable revision as the lock: the locked preview (found by sha256 among the
    // committed documents) stands in, and nothing changes.
    let url = serve(
        std::fs::read(chat(&docs, "chat.v1.20261107.json")).unwrap(),
        None,
    );
    let scratch = Scratch::new("no-key");
    let before = scratch.state();
    let out = scratch.regen(&["--root-url", &url]).assert_ok().to_owned();
    assert!(
        out.contains("DEVELOPER_PREVIEW document was NOT refreshed"),
        "{out}"
    );
    assert!(out.contains("reusing the locked preview document"), "{out}");
    assert!(out.contains("no changes:"), "{out}");
    assert_eq!(scratch.state(), before);

    // Another stable revision: the locked preview belongs to the old one, so regen
    // refuses and says what to pass.
    let url = serve(
        std::fs::read(chat(&docs, "chat.v1.20260120.json")).unwrap(),
        None,
    );
    let out = scratch
        .regen(&["--root-url", &url])
        .assert_failed()
        .to_owned();
    assert!(out.contains("goes with stable revision 20261107"), "{out}");
    assert!(out.contains("--no-preview"), "{out}");
    assert_eq!(scratch.state(), before);

    // --no-preview makes it explicit: the stable surface alone, from the fetched file.
    let out = scratch
        .regen(&["--root-url", &url, "--no-preview"])
        .assert_ok()
        .to_owned();
    assert!(out.contains("-> 20260120\n"), "{out}");
    let lock = std::fs::read_to_string(scratch.dir.join("generated/lock.json")).unwrap();
    assert!(
        lock.contains("\"file\": \"chat.v1.20260120.json\""),
        "{lock}"
    );
}

#[test]
fn without_the_locked_documents_the_summary_says_the_diff_is_unavailable() {
    let docs = real_documents_dir();
    let scratch = Scratch::new("unknown-old");
    let lock_path = scratch.dir.join("generated/lock.json");
    let committed = std::fs::read_to_string(&lock_path).unwrap();
    // A lock naming a stable document that exists nowhere.
    let mut lock: serde_json::Value = serde_json::from_str(&committed).unwrap();
    lock["documents"][0]["revision"] = "20250101".into();
    lock["documents"][0]["sha256"] = "0".repeat(64).into();
    std::fs::write(&lock_path, serde_json::to_string_pretty(&lock).unwrap()).unwrap();
    let out = scratch
        .regen(&[
            "--stable",
            &chat(&docs, "chat.v1.20261107.json"),
            "--preview",
            &chat(&docs, "chat.v1.preview.20261107.json"),
        ])
        .assert_ok()
        .to_owned();
    assert!(
        out.contains(
            "chat:v1: revision 20250101 + preview 20261107 (from the lock) -> 20261107 + preview \
             20261107\n"
        ),
        "{out}"
    );
    assert!(
        out.contains("no detailed diff: the locked stable document"),
        "{out}"
    );
    assert!(out.contains("chat-api version bump: unknown"), "{out}");
    assert!(
        out.contains("1 file changed (0 added, 1 changed, 0 removed)"),
        "{out}"
    );
    assert_eq!(std::fs::read_to_string(&lock_path).unwrap(), committed);
}

/// The bytes of every file (and the entries beside the output folders) of a state.
fn bytes_of(state: BTreeMap<String, (Vec<u8>, SystemTime)>) -> BTreeMap<String, Vec<u8>> {
    state.into_iter().map(|(k, (b, _))| (k, b)).collect()
}

/// The regen arguments that go from the committed generation (20261107 + preview) to
/// 20260120 alone: every generated and review file changes.
fn to_older(docs: &Path) -> Vec<String> {
    vec![
        "--stable".to_owned(),
        chat(docs, "chat.v1.20260120.json"),
        "--no-preview".to_owned(),
    ]
}

/// A codegen fixture document.
fn fixture(name: &str) -> String {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("../codegen/tests/fixtures/codegen")
        .join(name)
        .display()
        .to_string()
}

/// The crash tests go from a small API's stable + preview generation to its stable one
/// alone: every file changes and the preview-only resource file goes (a removal), and
/// each run takes milliseconds, so that a crash can be tried before every rename. They
/// need no real documents.
fn fixture_to_stable_only() -> Vec<String> {
    vec![
        "--stable".to_owned(),
        fixture("preview_stable.json"),
        "--no-preview".to_owned(),
    ]
}

/// A scratch tree holding the fixture's stable + preview generation.
fn fixture_scratch(test: &str) -> Scratch {
    let dir = Path::new(env!("CARGO_TARGET_TMPDIR")).join(format!("regen-{test}"));
    let _ = std::fs::remove_dir_all(&dir);
    for sub in ["chat-api/src", "generated", "documents"] {
        std::fs::create_dir_all(dir.join(sub)).unwrap();
    }
    let scratch = Scratch { dir };
    let preview = fixture("preview_preview.json");
    let stable = fixture("preview_stable.json");
    scratch
        .regen(&["--stable", &stable, "--preview", &preview])
        .assert_ok();
    scratch
}

/// The state a clean regen with `args` gives from [`fixture_scratch`], and how many files
/// it writes (added or changed: one rename each) and removes.
fn reference(test: &str, args: &[String]) -> (BTreeMap<String, Vec<u8>>, usize, usize) {
    let scratch = fixture_scratch(test);
    let args: Vec<&str> = args.iter().map(String::as_str).collect();
    let out = scratch.regen(&args).assert_ok().to_owned();
    let count = |prefixes: &[&str]| {
        out.lines()
            .filter(|l| prefixes.iter().any(|p| l.starts_with(p)))
            .count()
    };
    let renames = count(&["  added ", "  changed "]);
    let removals = count(&["  removed "]);
    (bytes_of(scratch.state()), renames, removals)
}

/// The paths of temporary files (`.NAME.regen-tmp-PID`) under the scratch copy.
fn temporary_files(scratch: &Scratch) -> Vec<String> {
    files_under(&scratch.dir)
        .into_iter()
        .map(|(rel, _)| rel)
        .filter(|rel| rel.contains(".regen-tmp-"))
        .collect()
}

/// Every fault point of the writer: a crash before each rename (the lock's last) and
/// before each removal of a stale file (after the lock). `check` names every such tree,
/// `check --fix` repairs every one to a whole generation (the locked one), and running
/// the regen again finishes it.
#[test]
fn a_crash_at_each_step_is_seen_by_check_and_repaired_by_check_fix_and_the_next_run() {
    let args = fixture_to_stable_only();
    let arg_refs: Vec<&str> = args.iter().map(String::as_str).collect();
    let (target, renames, removals) = reference("crash-reference", &args);
    // Several files change and one goes, so a crash can fall between any two of them.
    assert!(
        renames >= 4 && removals >= 1,
        "{renames} renames, {removals} removals"
    );
    let documents = PathBuf::from(fixture(""));
    for after in 0..renames + removals {
        let scratch = fixture_scratch(&format!("crash-{after}"));
        let before = bytes_of(scratch.state());

        let mut command = scratch.regen_command(&arg_refs);
        command.env("XTASK_FAULT_AFTER_WRITES", after.to_string());
        let crashed = Run::of(&mut command);
        assert_eq!(crashed.code, Some(86), "{}", crashed.output);
        assert!(
            crashed.output.contains("exiting as if killed"),
            "{}",
            crashed.output
        );
        let now = bytes_of(scratch.state());
        let lock_renamed = after >= renames;
        if lock_renamed {
            // The lock new, every file written, and stale files not all removed yet.
            assert_eq!(
                now.get("generated/lock.json"),
                target.get("generated/lock.json")
            );
            assert!(temporary_files(&scratch).is_empty(), "after {after}");
            let stale = now.keys().filter(|k| !target.contains_key(*k)).count();
            assert_eq!(
                stale,
                renames + removals - after,
                "after {after}: stale files"
            );
        } else {
            // The lock old, `after` files new, nothing removed (stale files go after the
            // lock), and the temporary files of the renames not made yet.
            assert_eq!(
                now.get("generated/lock.json"),
                before.get("generated/lock.json")
            );
            let new_files = now
                .iter()
                .filter(|(k, v)| before.get(*k) != Some(*v) && !k.contains(".regen-tmp-"))
                .count();
            assert_eq!(new_files, after, "after {after}: files written");
            assert!(
                before.keys().all(|k| now.contains_key(k)),
                "after {after}: removed early"
            );
            assert_eq!(
                temporary_files(&scratch).len(),
                renames - after,
                "after {after}"
            );
        }

        // `check` sees it and says how to repair.
        let checked = scratch.check(&documents, &[]);
        let out = checked.assert_failed();
        assert!(out.contains("cargo xtask check --fix"), "{out}");
        if !lock_renamed {
            assert!(out.contains("(leftover of an interrupted regen)"), "{out}");
            assert!(
                out.contains("looks like an interrupted `cargo xtask regen`"),
                "{out}"
            );
        }

        // `check --fix` brings back the locked generation, byte for byte.
        let out = scratch.check(&documents, &["--fix"]).assert_ok().to_owned();
        assert!(out.contains("repaired:"), "{out}");
        let locked = if lock_renamed { &target } else { &before };
        assert_eq!(&bytes_of(scratch.state()), locked, "after {after}");
        assert!(temporary_files(&scratch).is_empty());
        let out = scratch.check(&documents, &[]).assert_ok().to_owned();
        assert!(out.contains("up to date"), "{out}");

        // And from a crashed tree, running the regen again finishes it.
        if after % 2 == 0 {
            let again = fixture_scratch(&format!("crash-again-{after}"));
            let mut command = again.regen_command(&arg_refs);
            command.env("XTASK_FAULT_AFTER_WRITES", after.to_string());
            assert_eq!(Run::of(&mut command).code, Some(86));
            again.regen(&arg_refs).assert_ok();
            assert_eq!(
                bytes_of(again.state()),
                target,
                "after {after}: regen again"
            );
            assert!(temporary_files(&again).is_empty());
        }
    }
}

/// The reproducer on Chat's own documents: regen to 20260920, then a crash at
/// step 15 of the regen back to 20261107 (some generated files new, the lock and the
/// locked documents old): `check --fix` repairs it to the locked 20260920 generation.
#[test]
fn a_crash_going_back_to_the_newest_chat_revision_is_repaired_by_check_fix() {
    let docs = real_documents_dir();
    let scratch = Scratch::new("crash-chat");
    scratch
        .regen(&[
            "--stable",
            &chat(&docs, "chat.v1.20260920.json"),
            "--no-preview",
        ])
        .assert_ok();
    let locked = bytes_of(scratch.state());
    let newer = chat(&docs, "chat.v1.20261107.json");
    let mut command = scratch.regen_command(&["--stable", &newer, "--no-preview"]);
    command.env("XTASK_FAULT_AFTER_WRITES", "15");
    assert_eq!(Run::of(&mut command).code, Some(86));
    let documents = scratch.dir.join("generated/documents");
    scratch.check(&documents, &[]).assert_failed();
    let out = scratch.check(&documents, &["--fix"]).assert_ok().to_owned();
    assert!(out.contains("repaired:"), "{out}");
    assert_eq!(bytes_of(scratch.state()), locked);
    scratch.check(&documents, &[]).assert_ok();
}

#[cfg(unix)]
#[test]
fn a_real_kill_9_during_the_renames_is_repaired_by_the_next_regen() {
    use std::io::BufRead as _;
    use std::os::unix::process::ExitStatusExt as _;

    let args = fixture_to_stable_only();
    let arg_refs: Vec<&str> = args.iter().map(String::as_str).collect();
    let (target, renames, _) = reference("kill-reference", &args);
    let scratch = fixture_scratch("kill");
    let before = bytes_of(scratch.state());

    // The child stops between two renames and says so; then it gets a real SIGKILL.
    let mut command = scratch.regen_command(&arg_refs);
    command
        .env("XTASK_FAULT_PAUSE_AFTER_WRITES", (renames / 2).to_string())
        .stdout(std::process::Stdio::null())
        .stderr(std::process::Stdio::piped());
    let mut child = command.spawn().unwrap();
    let stderr = child.stderr.take().unwrap();
    let mut lines = std::io::BufReader::new(stderr).lines();
    let paused = lines
        .by_ref()
        .map_while(Result::ok)
        .any(|line| line.contains("paused, waiting to be killed"));
    assert!(paused, "the child never reached the pause");
    child.kill().unwrap();
    let status = child.wait().unwrap();
    assert_eq!(status.signal(), Some(9), "{status:?}");

    let mixed = bytes_of(scratch.state());
    assert_ne!(mixed, before);
    assert_ne!(mixed, target);
    assert_eq!(
        mixed.get("generated/lock.json"),
        before.get("generated/lock.json")
    );
    let left = temporary_files(&scratch).len();
    assert_eq!(left, renames - renames / 2);

    let out = scratch.regen(&arg_refs).assert_ok().to_owned();
    assert!(out.contains(&format!("removing {left} leftovers")), "{out}");
    assert!(out.contains("different generations"), "{out}");
    assert_eq!(bytes_of(scratch.state()), target);
    let out = scratch
        .check(&PathBuf::from(fixture("")), &[])
        .assert_ok()
        .to_owned();
    assert!(out.contains("up to date"), "{out}");
}

#[test]
fn an_io_error_during_the_writes_puts_the_files_back() {
    let docs = real_documents_dir();
    let args = to_older(&docs);
    let arg_refs: Vec<&str> = args.iter().map(String::as_str).collect();
    let scratch = Scratch::new("io-error");
    let before = scratch.state();
    let mut command = scratch.regen_command(&arg_refs);
    command.env("XTASK_FAULT_ERROR_AFTER_WRITES", "3");
    let run = Run::of(&mut command);
    let out = run.assert_failed();
    assert!(out.contains("simulated I/O error"), "{out}");
    assert!(
        out.contains("nothing was changed (every file written so far was put back)"),
        "{out}"
    );
    // Byte for byte as it was, and nothing left behind. (The three files renamed and put
    // back have new mtimes: the undo rewrites them.)
    assert_eq!(bytes_of(scratch.state()), bytes_of(before));
}

#[test]
fn leftovers_of_interrupted_runs_are_removed_and_nothing_else_is_touched() {
    let docs = real_documents_dir();
    let scratch = Scratch::new("leftovers");
    let before = scratch.state();
    // What the earlier writer's crashes left (staging folders beside both outputs), and a
    // temporary file of the current writer; the process ids are beyond any pid_max.
    for (dir, file) in [
        ("chat-api/src/.gen.regen-4000000001/new", "mod.rs"),
        (".generated.regen-4000000002/old", "lock.json"),
        (
            "chat-api/src/gen/resources",
            ".spaces.rs.regen-tmp-4000000003",
        ),
    ] {
        std::fs::create_dir_all(scratch.dir.join(dir)).unwrap();
        std::fs::write(scratch.dir.join(dir).join(file), "half").unwrap();
    }
    let out = scratch
        .check(&docs.join("chat"), &[])
        .assert_failed()
        .to_owned();
    assert!(
        out.contains("chat-api/src/gen/resources/.spaces.rs.regen-tmp-4000000003 (leftover"),
        "{out}"
    );
    let out = scratch
        .regen(&[
            "--stable",
            &chat(&docs, "chat.v1.20261107.json"),
            "--preview",
            &chat(&docs, "chat.v1.preview.20261107.json"),
        ])
        .assert_ok()
        .to_owned();
    assert!(
        out.contains("removing 3 leftovers of an interrupted regen"),
        "{out}"
    );
    assert!(out.contains("no changes:"), "{out}");
    // Every file keeps its bytes and mtime; the leftovers are gone.
    assert_eq!(scratch.state(), before);
}

#[test]
fn leftover_names_are_git_ignored() {
    let root = xtask::regen::workspace_root();
    let names = [
        "chat-api/src/gen/.models.rs.regen-tmp-123",
        "chat-api/src/gen/resources/.spaces.rs.regen-tmp-123",
        "generated/.lock.json.regen-tmp-123",
        "chat-api/src/.gen.regen-123/new/mod.rs",
        ".generated.regen-123/old/lock.json",
    ];
    let out = Command::new("git")
        .arg("-C")
        .arg(&root)
        .args(["check-ignore", "--no-index", "--verbose", "--non-matching"])
        .args(names)
        .output();
    let out = match out {
        Ok(out) if out.status.code() != Some(128) => out,
        other => {
            eprintln!("skipped leftover_names_are_git_ignored: no git work tree ({other:?})");
            return;
        }
    };
    let text = String::from_utf8_lossy(&out.stdout);
    for line in text.lines() {
        // `::\tPATH` is a path no pattern matched.
        assert!(!line.starts_with("::"), "not ignored: {line}\n{text}");
    }
    assert_eq!(text.lines().count(), names.len(), "{text}");
    // Generated files themselves are not ignored.
    let tracked = Command::new("git")
        .arg("-C")
        .arg(&root)
        .args([
            "check-ignore",
            "--no-index",
            "-q",
            "chat-api/src/gen/models.rs",
        ])
        .status()
        .unwrap();
    assert_eq!(tracked.code(), Some(1));
}

#[test]
fn a_document_whose_metadata_or_paths_would_inject_code_is_refused() {
    let docs = real_documents_dir();
    let scratch = Scratch::new("inject");
    let before = scratch.state();
    let original: serde_json::Value =
        serde_json::from_slice(&std::fs::read(chat(&docs, "chat.v1.20260405.json")).unwrap())
            .unwrap();
    let cases: [(&str, serde_json::Value, &str); 3] = [
        (
            "/revision",
            "20260405\n\npub fn injected() {}".into(),
            "crafted.json: revision: must be 1 to 16 digits (Google's are YYYYMMDD dates), got \"20260405\\n\\npub fn \
             injected() {}\"",
        ),
        (
            "/id",
            "chat:v1\n#![doc = \"x\"]".into(),
            "crafted.json: id: \"chat:v1\\n#![doc = \\\"x\\\"]\" contains a line break",
        ),
        (
            "/resources/spaces/methods/get/path",
            "v1/../{+name}".into(),
            "crafted.json: resources.spaces.methods.get.path: dot segment `..` is not allowed",
        ),
    ];
    for (pointer, value, expected) in cases {
        let mut doc = original.clone();
        *doc.pointer_mut(pointer).unwrap() = value;
        let file = scratch.dir.join("documents/crafted.json");
        std::fs::write(&file, serde_json::to_vec(&doc).unwrap()).unwrap();
        let out = scratch
            .regen(&["--stable", file.to_str().unwrap(), "--no-preview"])
            .assert_failed()
            .to_owned();
        assert!(out.contains(expected), "missing {expected:?} in:\n{out}");
        assert_eq!(scratch.state(), before, "after {pointer}");
    }
}
