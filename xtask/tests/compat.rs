//! The promise of `cargo xtask diff`: a regeneration it calls safe never breaks a user's
//! build, and one it calls breaking does break one. Checked with the compiler on real
//! revisions, in both directions:
//!
//! - a user program written against the crate generated from Chat 20260920 compiles,
//!   unchanged, against the crate generated from 20261107, and the diff 20260920 ->
//!   20261107 has no breaking change (`--fail-on breaking` exits 0);
//! - a program using what 20261107 added does not compile against the 20260920 crate,
//!   and the diff 20261107 -> 20260920 is breaking (`--fail-on breaking` exits 1).
//!
//! It builds a scratch workspace (a copy of chat-api plus the user crate), so it takes a
//! minute or two; it runs when `CHAT_API_CHECK_OTHER=1` (`scripts/test.sh` sets it), on
//! the real documents committed in `testdata/discovery/chat/`.

use std::path::{Path, PathBuf};
use std::process::{Command, Output};

use xtask::regen::{self, Input};

mod scratch;
use scratch::copy_dir;

const OLD: &str = "chat.v1.20260920.json";
const NEW: &str = "chat.v1.20261107.json";
const NEW_PREVIEW: &str = "chat.v1.preview.20261107.json";

struct Scratch {
    dir: PathBuf,
    target: PathBuf,
    docs: PathBuf,
}

impl Scratch {
    /// Regenerates the scratch chat-api from `stable` (and `preview`).
    fn generate(&self, stable: &str, preview: Option<&str>) {
        let input = Input::read(&self.docs.join(stable)).unwrap();
        let preview = preview.map(|p| Input::read(&self.docs.join(p)).unwrap());
        let rendered = regen::render(&input, preview.as_ref()).unwrap();
        let gen_dir = self.dir.join("chat-api").join("src").join("gen");
        let _ = std::fs::remove_dir_all(&gen_dir);
        regen::write_tree(&gen_dir, &rendered.gen_files).unwrap();
    }

    /// `cargo check` of the user crate holding `program`.
    fn check(&self, program: &str) -> Output {
        let source = Path::new(env!("CARGO_MANIFEST_DIR"))
            .join("tests/fixtures/compat")
            .join(program);
        std::fs::copy(source, self.dir.join("user-app/src/lib.rs")).unwrap();
        Command::new(std::env::var("CARGO").unwrap_or_else(|_| "cargo".to_owned()))
            .args(["check", "-p", "user-app", "--all-features"])
            .current_dir(&self.dir)
            .env("CARGO_TARGET_DIR", &self.target)
            .output()
            .unwrap()
    }

    /// `cargo xtask diff OLD NEW --fail-on breaking`.
    fn diff(&self, old: &str, new: &str) -> Output {
        Command::new(env!("CARGO_BIN_EXE_xtask"))
            .arg("diff")
            .arg(self.docs.join(old))
            .arg(self.docs.join(new))
            .args(["--fail-on", "breaking"])
            .output()
            .unwrap()
    }
}

fn text(out: &Output) -> String {
    format!(
        "{}{}",
        String::from_utf8_lossy(&out.stdout),
        String::from_utf8_lossy(&out.stderr)
    )
}

#[test]
fn diff_verdicts_agree_with_the_compiler_on_real_revisions() {
    if std::env::var("CHAT_API_CHECK_OTHER").as_deref() != Ok("1") {
        eprintln!("skipped diff_verdicts_agree_with_the_compiler: set CHAT_API_CHECK_OTHER=1");
        return;
    }
    let docs = discovery::testing::real_documents_dir();
    let root = regen::workspace_root();
    let dir = std::env::temp_dir().join(format!("chat-api-compat-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(dir.join("user-app/src")).unwrap();
    copy_dir(&root.join("chat-api"), &dir.join("chat-api"), &["target"]);
    copy_dir(&root.join("runtime"), &dir.join("runtime"), &["target"]);
    let manifest = std::fs::read_to_string(root.join("Cargo.toml")).unwrap();
    let start = manifest.find("members").unwrap();
    let end = start + manifest[start..].find(']').unwrap() + 1;
    std::fs::write(
        dir.join("Cargo.toml"),
        format!(
            "{}members = [\"runtime\", \"chat-api\", \"user-app\"]{}",
            &manifest[..start],
            &manifest[end..]
        ),
    )
    .unwrap();
    std::fs::copy(root.join("Cargo.lock"), dir.join("Cargo.lock")).unwrap();
    std::fs::write(
        dir.join("user-app/Cargo.toml"),
        "[package]\nname = \"user-app\"\nversion = \"0.1.0\"\nedition = \"2024\"\npublish = false\n\n\
         [dependencies]\nchat-api = { path = \"../chat-api\" }\nfutures-util = { version = \"0.3\", default-features = false }\n",
    )
    .unwrap();
    let target = match std::env::var_os("CARGO_TARGET_DIR") {
        Some(t) => PathBuf::from(t).join("compat"),
        None => root.join("target").join("compat"),
    };
    let s = Scratch {
        dir: dir.clone(),
        target,
        docs: docs.join("chat"),
    };

    // Written against 20260920: compiles there...
    s.generate(OLD, None);
    let out = s.check("user_20260920.rs");
    assert!(out.status.success(), "against {OLD}:\n{}", text(&out));
    // ...the diff calls 20261107 safe...
    let verdict = s.diff(OLD, NEW);
    assert_eq!(verdict.status.code(), Some(0), "{}", text(&verdict));
    assert!(text(&verdict).contains("0 breaking"), "{}", text(&verdict));
    // ...and it compiles, unchanged, against 20261107.
    s.generate(NEW, Some(NEW_PREVIEW));
    let out = s.check("user_20260920.rs");
    assert!(out.status.success(), "against {NEW}:\n{}", text(&out));

    // Written against 20261107 (it compiles there)...
    let out = s.check("user_20261107.rs");
    assert!(out.status.success(), "against {NEW}:\n{}", text(&out));
    // ...the diff back to 20260920 is breaking, naming what the program uses...
    let verdict = s.diff(NEW, OLD);
    assert_eq!(verdict.status.code(), Some(1), "{}", text(&verdict));
    for line in [
        "[breaking] method spaces.messages.replaceCards",
        "[breaking] field CardWithId.ownerUser",
    ] {
        assert!(text(&verdict).contains(line), "{line}: {}", text(&verdict));
    }
    // ...and the compiler agrees.
    s.generate(OLD, None);
    let out = s.check("user_20261107.rs");
    assert!(!out.status.success(), "compiled against {OLD}");
    let errors = text(&out);
    assert!(errors.contains("replace_cards"), "{errors}");
    assert!(errors.contains("owner_user"), "{errors}");
    std::fs::remove_dir_all(&dir).unwrap();
}
