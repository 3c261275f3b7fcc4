//! Tokens -> formatted text that is checked to be exactly those tokens, on every core.
//!
//! A file is made of pieces, each a run of whole items (the first one also carries the
//! file's inner attributes and the `@generated` header). Each piece is parsed into a
//! `syn::File`, printed by prettyplease, and its text (header included) parsed back and
//! checked to be the same code. A piece ends between
//! two items, so the pieces' texts, one after the other, are the file: parsing them one by
//! one is parsing the file, and a comment left open in one (a header that is not only a
//! comment, say) makes that piece fail to parse back.
//!
//! Why pieces and threads: printing and parsing back Chat's `models.rs` (24k lines) are
//! most of a regeneration's time, and are independent per item.

use std::collections::VecDeque;
use std::sync::Mutex;

use anyhow::Context as _;
use proc_macro2::TokenStream;

use super::GeneratedFile;

/// Makes the tokens of one piece. Run on a worker thread: proc-macro2's tokens cannot be
/// sent between threads, so each is made where it is printed.
pub(super) type Piece<'a> = Box<dyn FnOnce() -> anyhow::Result<TokenStream> + Send + 'a>;

/// One file to render: its path under the generated directory, and its pieces in order.
pub(super) struct FileJob<'a> {
    pub(super) path: String,
    pub(super) pieces: Vec<Piece<'a>>,
}

impl<'a> FileJob<'a> {
    /// A file of one piece.
    pub(super) fn whole(
        path: impl Into<String>,
        tokens: impl FnOnce() -> anyhow::Result<TokenStream> + Send + 'a,
    ) -> Self {
        Self {
            path: path.into(),
            pieces: vec![Box::new(tokens)],
        }
    }
}

/// One piece to do, and where its text goes.
struct Task<'a> {
    file: usize,
    piece: usize,
    path: String,
    make: Piece<'a>,
}

/// The stack of a rendering thread. Rendering, syn's parse and prettyplease's printer
/// recurse once per level of a nested type (`items` of `items` ...), and a debug build
/// (the one `cargo xtask` runs) takes ~25 KiB a level. The deepest document serde_json
/// reads (its recursion limit is 128 levels) nests ~123 levels of `items`, so the bound
/// comes from the input's own limit: 64 KiB a level for 128 levels, doubled for margin.
/// The memory is reserved, not committed: a thread touches only what it uses.
const RENDER_STACK_BYTES: usize = 2 * 128 * 64 * 1024;

/// Renders every file of `jobs`, each starting with `header`, using up to as many threads
/// as there are cores. The files come back in the order of `jobs`.
pub(super) fn render_files(
    header: &str,
    jobs: Vec<FileJob<'_>>,
) -> anyhow::Result<Vec<GeneratedFile>> {
    let paths: Vec<String> = jobs.iter().map(|j| j.path.clone()).collect();
    let mut texts: Vec<Vec<Option<String>>> =
        jobs.iter().map(|j| vec![None; j.pieces.len()]).collect();
    let mut tasks = VecDeque::new();
    for (file, job) in jobs.into_iter().enumerate() {
        for (piece, make) in job.pieces.into_iter().enumerate() {
            tasks.push_back(Task {
                file,
                piece,
                path: job.path.clone(),
                make,
            });
        }
    }
    let workers = std::thread::available_parallelism()
        .map_or(1, |n| n.get())
        .min(tasks.len())
        .max(1);
    let queue = Mutex::new(tasks);
    let done: Mutex<Vec<(usize, usize, anyhow::Result<String>)>> = Mutex::new(Vec::new());
    let mut spawn_error = None;
    std::thread::scope(|scope| {
        for worker in 0..workers {
            let spawned = std::thread::Builder::new()
                .name(format!("render-{worker}"))
                .stack_size(RENDER_STACK_BYTES)
                .spawn_scoped(scope, || {
                    loop {
                        let next = queue.lock().map(|mut q| q.pop_front());
                        let Ok(Some(task)) = next else { break };
                        let prefix = if task.piece == 0 { header } else { "" };
                        // Every piece runs even after one failed, so that the error reported
                        // (the first in file order) does not depend on the threads' timing.
                        let result = (task.make)()
                            .and_then(|tokens| render_piece(prefix, &task.path, tokens));
                        if let Ok(mut done) = done.lock() {
                            done.push((task.file, task.piece, result));
                        }
                    }
                });
            if let Err(e) = spawned {
                spawn_error.get_or_insert(e);
            }
        }
    });
    if let Some(e) = spawn_error {
        return Err(anyhow::anyhow!("cannot start a generator thread: {e}"));
    }
    let done = done
        .into_inner()
        .map_err(|_| anyhow::anyhow!("a generator thread panicked"))?;
    let mut errors = Vec::new();
    for (file, piece, result) in done {
        match result {
            Ok(text) => texts[file][piece] = Some(text),
            Err(e) => errors.push((file, piece, e)),
        }
    }
    // The error of the first failing piece in file order.
    if let Some((_, _, e)) = errors.into_iter().min_by_key(|(f, p, _)| (*f, *p)) {
        return Err(e);
    }
    paths
        .into_iter()
        .zip(texts)
        .map(|(path, pieces)| {
            let contents = pieces
                .into_iter()
                .collect::<Option<Vec<String>>>()
                .with_context(|| format!("generated {path}: a piece was not rendered"))?
                .concat();
            Ok(GeneratedFile { path, contents })
        })
        .collect()
}

/// `prefix` (the header, or nothing) followed by `tokens` as prettyplease prints them,
/// after checking that this text parses back to the same syntax tree.
pub(super) fn render_piece(
    prefix: &str,
    path: &str,
    tokens: TokenStream,
) -> anyhow::Result<String> {
    let parsed: syn::File = syn::parse2(tokens)
        .with_context(|| format!("generated {path} does not parse (a generator bug)"))?;
    let body = prettyplease::unparse(&parsed);
    drop(parsed);
    let text = format!("{prefix}{body}");
    check_parses_back(path, &text, &body)?;
    Ok(text)
}

/// Parses `text` (`body` after the header, if any) and checks that it is the code of
/// `body`: so text that is not a comment can never slip into a file (through the header
/// or anything else pasted into it), and a file that would not parse is never written.
fn check_parses_back(path: &str, text: &str, body: &str) -> anyhow::Result<()> {
    let first_line = text.lines().next().unwrap_or_default();
    let reparsed = syn::parse_file(text).with_context(|| {
        format!("the text of generated {path} does not parse back (first line: {first_line:?})")
    })?;
    if reparsed.shebang.is_some() || !same_code(&reparsed, body) {
        anyhow::bail!(
            "the text of generated {path} parses back to other code than was generated ({} \
             attributes and {} items): something that is not a comment was pasted into it \
             (first line: {first_line:?})",
            reparsed.attrs.len(),
            reparsed.items.len(),
        );
    }
    Ok(())
}

/// Whether `reparsed` (the whole text, header included) is the code of `body` (the text
/// after the header). Printing it back is the fast check. (Comparing syntax trees is not
/// one: prettyplease adds and drops trailing commas as it wraps lines, and writes the
/// generator's `///` doc strings, raw in its tokens, as plain ones.) prettyplease does not
/// always print its own output the same way again either (a long line it wrapped once may
/// wrap differently), so a mismatch there is settled by comparing tokens.
fn same_code(reparsed: &syn::File, body: &str) -> bool {
    use quote::ToTokens as _;
    if prettyplease::unparse(reparsed) == body {
        return true;
    }
    match syn::parse_file(body) {
        Ok(alone) => alone.to_token_stream().to_string() == reparsed.to_token_stream().to_string(),
        Err(_) => false,
    }
}
