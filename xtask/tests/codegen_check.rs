//! The committed `chat-api/src/gen` and `generated/` equal what the generator writes from
//! the locked documents (`cargo xtask check`), whenever the real documents are present.

use std::path::Path;

#[test]
fn committed_output_matches_the_locked_documents() {
    let docs = discovery::testing::real_documents_dir();
    let root = xtask::regen::workspace_root();
    let diffs =
        xtask::check::differences(&root, Path::new("chat-api"), &docs.join("chat")).unwrap();
    assert!(
        diffs.is_empty(),
        "committed generated output differs from the locked documents; run `cargo xtask regen` \
         (see README) and review:\n{}",
        diffs.join("\n")
    );
}

#[test]
fn check_names_the_files_that_differ() {
    let docs = discovery::testing::real_documents_dir();
    // A copy of the committed output with one generated file changed, one removed and
    // one stale file added.
    let root = xtask::regen::workspace_root();
    let scratch = std::env::temp_dir().join(format!("chat-api-check-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&scratch);
    let copy = |rel: &str| {
        let from = root.join(rel);
        let to = scratch.join(rel);
        std::fs::create_dir_all(to.parent().unwrap()).unwrap();
        std::fs::copy(from, to).unwrap();
    };
    for rel in [
        "generated/lock.json",
        "generated/surface-stable.txt",
        "generated/surface-preview.txt",
        "generated/preview-vs-stable.md",
        "generated/documents/chat.v1.20261107.json",
        "generated/documents/chat.v1.preview.20261107.json",
        "chat-api/src/gen/mod.rs",
        "chat-api/src/gen/client.rs",
        "chat-api/src/gen/scopes.rs",
        "chat-api/src/gen/models.rs",
        "chat-api/src/gen/cards.rs",
        "chat-api/src/gen/names.rs",
        "chat-api/src/gen/resources/mod.rs",
        "chat-api/src/gen/resources/spaces.rs",
        "chat-api/src/gen/resources/users.rs",
        "chat-api/src/gen/resources/media.rs",
    ] {
        copy(rel);
    }
    let models = scratch.join("chat-api/src/gen/models.rs");
    let text = std::fs::read_to_string(&models).unwrap();
    std::fs::write(&models, text.replacen("pub struct", "pub struct Edited", 1)).unwrap();
    std::fs::write(
        scratch.join("chat-api/src/gen/resources/old.rs"),
        "// stale\n",
    )
    .unwrap();

    let diffs =
        xtask::check::differences(&scratch, Path::new("chat-api"), &docs.join("chat")).unwrap();
    assert_eq!(
        diffs,
        [
            "chat-api/src/gen/models.rs",
            "chat-api/src/gen/resources/custom_emojis.rs",
            "chat-api/src/gen/resources/old.rs (stale)",
        ]
    );

    // A documents folder without the locked bytes is a clear error naming the sha256.
    let empty = scratch.join("no-documents");
    std::fs::create_dir_all(&empty).unwrap();
    let err = xtask::check::differences(&scratch, Path::new("chat-api"), &empty).unwrap_err();
    let message = format!("{err:#}");
    assert!(message.contains("no document with sha256"), "{message}");
    assert!(message.contains("chat.v1.20261107.json"), "{message}");
    std::fs::remove_dir_all(&scratch).unwrap();
}
