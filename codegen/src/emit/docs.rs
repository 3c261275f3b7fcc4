//! Discovery descriptions -> valid rustdoc.
//!
//! Descriptions are Markdown written for Google's website, and rustdoc reads some of it
//! differently: `[text]` becomes a (broken) intra-doc link, bare URLs trip
//! `rustdoc::bare_urls`, `<word>` is an HTML tag, indented lines and fences are code
//! blocks that doctests try to compile, and a lone backtick opens a code span that never
//! closes. [`rustdoc`] rewrites exactly those constructs and leaves the rest alone.
//! Link destinations get their parentheses percent-encoded (an unbalanced `(` in one
//! would turn the link into a broken intra-doc link), and bidirectional-text controls
//! are dropped (rustc denies them in comments).
//!
//! [`doc_attrs`] is the last step for every doc comment, including the text the
//! generator writes itself: there an autolink whose target is not a URL (a bare-word
//! scope such as `<openid>`) would be an unclosed HTML tag, so it becomes a code span.

use proc_macro2::TokenStream;
use quote::quote;

/// Where relative links (`/chat/api/guides/...`) in descriptions point.
#[derive(Debug, Clone, Default)]
pub struct DocContext {
    /// `https://host` of the API's documentation, if known.
    pub link_origin: Option<String>,
}

impl DocContext {
    /// The origin of `documentation_link`, e.g. `https://developers.google.com`.
    pub fn from_documentation_link(link: Option<&str>) -> Self {
        let link_origin = link.and_then(|l| {
            let rest = l
                .strip_prefix("https://")
                .or_else(|| l.strip_prefix("http://"))?;
            let host = rest.split('/').next().filter(|h| !h.is_empty())?;
            let scheme = if l.starts_with("https://") {
                "https"
            } else {
                "http"
            };
            Some(format!("{scheme}://{host}"))
        });
        Self { link_origin }
    }
}

/// `#[doc = " line"]` attributes, one per line of `text` (already rustdoc).
///
/// Outside code spans and fenced blocks, `<target>` where the target is not a URL (such
/// as the bare-word scope `openid`) is written `` `target` ``: rustdoc would read it as
/// an unclosed HTML tag.
pub fn doc_attrs(text: &str) -> TokenStream {
    let mut in_fence: Option<Fence> = None;
    let mut lines = Vec::new();
    for line in text.lines() {
        let line = match in_fence {
            Some(fence) => {
                if fence.closed_by(line.trim_start()) {
                    in_fence = None;
                }
                line.to_owned()
            }
            None => {
                in_fence = Fence::opened_by(line.trim_start());
                match in_fence {
                    // The last gate: the only fences rustdoc gets are `text` blocks, so a
                    // fence that text composed around a description happens to open
                    // (say, in a list item) is escaped into text, never a doctest.
                    Some(fence) if !fence.is_text(line.trim_start()) => {
                        in_fence = None;
                        let indent = line.len() - line.trim_start().len();
                        format!("{}\\{}", &line[..indent], &line[indent..])
                    }
                    Some(_) => line.to_owned(),
                    None => non_url_autolinks_as_code(line),
                }
            }
        };
        let line = if line.is_empty() {
            line
        } else {
            format!(" {line}")
        };
        lines.push(quote!(#[doc = #line]));
    }
    quote!(#(#lines)*)
}

/// `line` with every `<target>` whose target is not a URL (and that starts a word)
/// turned into `` `target` ``; code spans and escapes are left alone.
fn non_url_autolinks_as_code(line: &str) -> String {
    let mut out = String::with_capacity(line.len());
    let mut rest = line;
    while let Some(c) = rest.chars().next() {
        match c {
            '\\' => {
                let len = 1 + rest[1..].chars().next().map_or(0, char::len_utf8);
                out.push_str(&rest[..len]);
                rest = &rest[len..];
            }
            '`' => {
                let n = rest.bytes().take_while(|&b| b == b'`').count();
                let len = closing_ticks(&rest[n..], n).map_or(n, |end| n + end + n);
                out.push_str(&rest[..len]);
                rest = &rest[len..];
            }
            '<' if !prev_is_word(&out) => {
                let target = rest[1..].find('>').map(|end| &rest[1..1 + end]);
                match target {
                    Some(target)
                        if autolink(rest).is_none()
                            && !target.is_empty()
                            && target.chars().all(is_scope_char) =>
                    {
                        out.push('`');
                        out.push_str(target);
                        out.push('`');
                        rest = &rest[target.len() + 2..];
                    }
                    _ => {
                        out.push('<');
                        rest = &rest[1..];
                    }
                }
            }
            _ => {
                out.push(c);
                rest = &rest[c.len_utf8()..];
            }
        }
    }
    out
}

/// Characters of a bare-word scope or a URL without a scheme.
fn is_scope_char(c: char) -> bool {
    c.is_ascii_alphanumeric() || matches!(c, '.' | '_' | '-' | ':' | '/' | '+')
}

/// Whether `c` is a bidirectional-text control (rustc denies these in comments).
fn is_bidi_control(c: char) -> bool {
    matches!(c, '\u{202A}'..='\u{202E}' | '\u{2066}'..='\u{2069}')
}

/// A description rewritten as rustdoc that renders as meant and passes
/// `RUSTDOCFLAGS=-D warnings`, and never holds a code block that rustdoc would test.
///
/// The rule for blocks, decided once for every description: rustdoc (pulldown-cmark)
/// makes a code block of a fence (three or more `` ` `` or `~`) and of a line indented
/// four columns past where its container's text starts. So every line loses its leading
/// whitespace, every container marker (`-`, `*`, `+`, `1.`, `1)`) is followed by exactly
/// one space (`-     code` would otherwise be an indented block inside a list item),
/// block quotes are escaped (`\>`), a fence at the top level becomes a ```` ```text ````
/// block kept verbatim, and a fence inside a list item is escaped into plain text.
/// Everything else is inline Markdown, rewritten line by line.
pub fn rustdoc(text: &str, ctx: &DocContext) -> String {
    let text: String = text
        .replace("\r\n", "\n")
        .replace('\r', "\n")
        .chars()
        .filter(|&c| !is_bidi_control(c) && (!c.is_control() || matches!(c, '\n' | '\t')))
        .collect();
    let mut out = Vec::new();
    let mut in_fence: Option<Fence> = None;
    for raw in text.lines() {
        let line = raw.trim_start();
        if let Some(fence) = &in_fence {
            if fence.closed_by(line) {
                out.push(fence.marker());
                in_fence = None;
            } else {
                out.push(raw.trim_end().to_owned());
            }
            continue;
        }
        if let Some(fence) = Fence::opened_by(line) {
            // A fenced block: kept verbatim, and never a doctest.
            out.push(format!("{}text", fence.marker()));
            in_fence = Some(fence);
            continue;
        }
        let (markers, content) = container_markers(line.trim_end());
        let content = if !markers.is_empty() && Fence::opened_by(content).is_some() {
            // A fence inside a list item: its first character escaped, it is text.
            format!("\\{content}")
        } else {
            content.to_owned()
        };
        let mut rewritten = markers;
        rewritten.push_str(&inline(&content, ctx));
        out.push(rewritten);
    }
    if let Some(fence) = in_fence {
        out.push(fence.marker());
    }
    while out.last().is_some_and(|l| l.is_empty()) {
        out.pop();
    }
    while out.first().is_some_and(|l| l.is_empty()) {
        out.remove(0);
    }
    out.join("\n")
}

/// An open fenced code block: its character and length.
#[derive(Debug, Clone, Copy)]
struct Fence {
    char: char,
    len: usize,
}

impl Fence {
    /// The fence `line` (without leading whitespace) opens, if any. A backtick fence's
    /// info string cannot hold a backtick (CommonMark 4.5), a tilde fence's can.
    fn opened_by(line: &str) -> Option<Fence> {
        let char = line.chars().next().filter(|c| matches!(c, '`' | '~'))?;
        let len = line.chars().take_while(|&c| c == char).count();
        let info = &line[len..];
        (len >= 3 && (char == '~' || !info.contains('`'))).then_some(Fence { char, len })
    }

    /// Whether `line` (without leading whitespace) closes this fence: at least as many of
    /// the same character, then only whitespace.
    fn closed_by(&self, line: &str) -> bool {
        let n = line.chars().take_while(|&c| c == self.char).count();
        n >= self.len && line[n * self.char.len_utf8()..].trim().is_empty()
    }

    /// Whether the opening line `line` declares a `text` block (rustdoc does not test
    /// those).
    fn is_text(&self, line: &str) -> bool {
        line[self.len * self.char.len_utf8()..].trim() == "text"
    }

    /// The fence as written when it is opened and closed.
    fn marker(&self) -> String {
        self.char.to_string().repeat(self.len)
    }
}

/// Splits the list-item markers off the start of `line`: the markers, each followed by
/// exactly one space, and the content after them with its leading whitespace removed.
fn container_markers(line: &str) -> (String, &str) {
    let mut markers = String::new();
    let mut rest = line;
    while let Some(len) = list_marker(rest) {
        markers.push_str(&rest[..len]);
        markers.push(' ');
        rest = rest[len..].trim_start();
    }
    (markers, rest)
}

/// The length of a list-item marker at the start of `s` (`-`, `*`, `+`, or up to nine
/// digits and `.` or `)`), when whitespace follows it (CommonMark 5.2).
fn list_marker(s: &str) -> Option<usize> {
    let bytes = s.as_bytes();
    let len = match bytes.first()? {
        b'-' | b'*' | b'+' => 1,
        b'0'..=b'9' => {
            let digits = bytes.iter().take_while(|b| b.is_ascii_digit()).count();
            (digits <= 9 && matches!(bytes.get(digits), Some(b'.' | b')'))).then_some(digits + 1)?
        }
        _ => return None,
    };
    bytes
        .get(len)
        .is_some_and(|b| b.is_ascii_whitespace())
        .then_some(len)
}

/// `text` (a name or value from a document) as a code span on one line: a line break or
/// other control character is shown as its escape, and a backtick (which would end the
/// span) as `'`.
pub fn code_span(text: &str) -> String {
    let mut out = String::with_capacity(text.len() + 2);
    out.push('`');
    for c in text.chars() {
        match c {
            '`' => out.push('\''),
            c if c.is_control() || is_bidi_control(c) || matches!(c, '\u{2028}' | '\u{2029}') => {
                out.extend(c.escape_default())
            }
            c => out.push(c),
        }
    }
    out.push('`');
    out
}

/// A Markdown list item `- {label}: {doc}` whose continuation lines are indented into
/// the item. A `doc` that starts with a fenced block starts on the next line, so that
/// its fence opens at the start of a line of the item (inline, the item's later
/// `` ``` `` line would open an untyped block instead of closing a `text` one).
pub fn list_item(label: &str, doc: &str) -> String {
    let starts_with_fence = doc
        .lines()
        .next()
        .is_some_and(|first| Fence::opened_by(first.trim_start()).is_some());
    let doc = doc.replace('\n', "\n  ");
    if starts_with_fence {
        format!("- {label}:\n\n  {doc}")
    } else {
        format!("- {label}: {doc}")
    }
}

/// Rewrites one line outside code blocks.
fn inline(line: &str, ctx: &DocContext) -> String {
    let mut out = String::with_capacity(line.len() + 16);
    let mut rest = line;
    while let Some(c) = rest.chars().next() {
        match c {
            '`' => {
                let n = rest.bytes().take_while(|&b| b == b'`').count();
                let run = &rest[..n];
                match closing_ticks(&rest[n..], n) {
                    Some(end) => {
                        let span = n + end + n;
                        out.push_str(&rest[..span]);
                        rest = &rest[span..];
                    }
                    None => {
                        // Unbalanced: literal backticks.
                        for _ in 0..n {
                            out.push_str("\\`");
                        }
                        rest = &rest[run.len()..];
                    }
                }
            }
            '[' => match markdown_link(rest) {
                Some((text, dest, len)) => {
                    push_link(&mut out, text, dest, ctx);
                    rest = &rest[len..];
                }
                None => {
                    out.push_str("\\[");
                    rest = &rest[1..];
                }
            },
            ']' => {
                out.push_str("\\]");
                rest = &rest[1..];
            }
            '<' => match autolink(rest) {
                Some(len) => {
                    out.push_str(&rest[..len]);
                    rest = &rest[len..];
                }
                None => {
                    out.push_str("\\<");
                    rest = &rest[1..];
                }
            },
            '>' if out.is_empty() => {
                // A leading `>` would make a block quote of the line.
                out.push_str("\\>");
                rest = &rest[1..];
            }
            '\\' => {
                // Keep an existing escape (and what it escapes) as it is.
                let len = 1 + rest[1..].chars().next().map_or(0, char::len_utf8);
                out.push_str(&rest[..len]);
                rest = &rest[len..];
            }
            'h' if starts_url(rest) && !prev_is_word(&out) => {
                let len = url_len(rest);
                out.push('<');
                out.push_str(&rest[..len]);
                out.push('>');
                rest = &rest[len..];
            }
            _ => {
                out.push(c);
                rest = &rest[c.len_utf8()..];
            }
        }
    }
    out
}

/// The offset (in `s`) of a run of exactly `n` backticks closing a code span.
fn closing_ticks(s: &str, n: usize) -> Option<usize> {
    let bytes = s.as_bytes();
    let mut i = 0;
    while i < bytes.len() {
        if bytes[i] == b'`' {
            let run = bytes[i..].iter().take_while(|&&b| b == b'`').count();
            if run == n {
                return Some(i);
            }
            i += run;
        } else {
            i += 1;
        }
    }
    None
}

/// `[text](dest)` at the start of `s`: the text, the destination and the total length.
///
/// Parentheses nest in the destination, as in CommonMark
/// (`[x](https://en.wikipedia.org/wiki/Shebang_(Unix))`); when they do not balance, the
/// destination ends at the first `)`.
fn markdown_link(s: &str) -> Option<(&str, &str, usize)> {
    let close = s.find(']')?;
    let text = &s[1..close];
    if text.contains('[') || text.is_empty() {
        return None;
    }
    let after = &s[close + 1..];
    let inner = after.strip_prefix('(')?;
    let end = balanced_end(inner).or_else(|| inner.find(')'))?;
    let dest = &inner[..end];
    if dest.is_empty() || dest.contains(char::is_whitespace) {
        return None;
    }
    Some((text, dest, close + 1 + 1 + end + 1))
}

/// The offset of the `)` closing a destination whose `(` was just read, counting nested
/// parentheses; `None` when there is none at depth 0 before a space.
fn balanced_end(s: &str) -> Option<usize> {
    let mut depth = 0usize;
    for (i, c) in s.char_indices() {
        match c {
            '(' => depth += 1,
            ')' if depth == 0 => return Some(i),
            ')' => depth -= 1,
            c if c.is_whitespace() => return None,
            _ => {}
        }
    }
    None
}

/// Writes a Markdown link, making site-relative destinations absolute. A destination
/// that looks like a Rust path would be an intra-doc link, so such links become text.
fn push_link(out: &mut String, text: &str, dest: &str, ctx: &DocContext) {
    let dest = match (
        &ctx.link_origin,
        dest.starts_with('/') && !dest.starts_with("//"),
    ) {
        (Some(origin), true) => format!("{origin}{dest}"),
        _ => dest.to_owned(),
    };
    // Encoded, parentheses can never unbalance the destination (same URL).
    let dest = dest.replace('(', "%28").replace(')', "%29");
    let text = inline_text(text);
    if dest.contains(['/', ':', '#', '.']) {
        out.push('[');
        out.push_str(&text);
        out.push_str("](");
        out.push_str(&dest);
        out.push(')');
    } else {
        out.push_str("\\[");
        out.push_str(&text);
        out.push_str("\\](");
        out.push_str(&dest);
        out.push(')');
    }
}

/// The text of a link: only `<` needs care (an HTML tag inside the link).
fn inline_text(text: &str) -> String {
    text.replace('<', "\\<")
}

/// `<scheme://...>` at the start of `s`: its length.
fn autolink(s: &str) -> Option<usize> {
    let end = s.find('>')?;
    let inner = &s[1..end];
    let is_url = inner.starts_with("http://")
        || inner.starts_with("https://")
        || inner.starts_with("mailto:");
    (is_url && !inner.contains(char::is_whitespace) && !inner.contains('<')).then_some(end + 1)
}

fn starts_url(s: &str) -> bool {
    (s.starts_with("https://") && s.len() > 8) || (s.starts_with("http://") && s.len() > 7)
}

fn prev_is_word(out: &str) -> bool {
    out.chars()
        .next_back()
        .is_some_and(|c| c.is_alphanumeric() || c == '_')
}

/// The length of a bare URL at the start of `s`, without trailing punctuation and
/// without a closing parenthesis that belongs to the surrounding text.
fn url_len(s: &str) -> usize {
    let mut end = s
        .find(|c: char| c.is_whitespace() || matches!(c, '<' | '>' | '"' | '`' | '[' | ']'))
        .unwrap_or(s.len());
    loop {
        let url = &s[..end];
        let Some(last) = url.chars().next_back() else {
            return end;
        };
        let unbalanced_paren = last == ')' && url.matches('(').count() < url.matches(')').count();
        if matches!(last, '.' | ',' | ';' | ':' | '!' | '?' | '\'' | '*' | '_') || unbalanced_paren
        {
            end -= last.len_utf8();
        } else {
            return end;
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn doc(text: &str) -> String {
        let ctx = DocContext::from_documentation_link(Some(
            "https://developers.google.com/workspace/chat",
        ));
        rustdoc(text, &ctx)
    }

    #[test]
    fn bare_urls_are_autolinks() {
        assert_eq!(
            doc("See https://example.com/a_(b)."),
            "See <https://example.com/a_(b)>."
        );
        assert_eq!(doc("(https://x.dev/p)"), "(<https://x.dev/p>)");
        assert_eq!(doc("<https://x.dev> stays"), "<https://x.dev> stays");
        assert_eq!(
            doc("[t](https://x.dev/a) stays"),
            "[t](https://x.dev/a) stays"
        );
        assert_eq!(doc("`https://x.dev` stays"), "`https://x.dev` stays");
    }

    #[test]
    fn brackets_that_are_not_links_are_escaped() {
        assert_eq!(
            doc("the [`historyState`] (https://a.b/c) field"),
            "the \\[`historyState`\\] (<https://a.b/c>) field"
        );
        assert_eq!(doc("a[0] and [x][y]"), "a\\[0\\] and \\[x\\]\\[y\\]");
        assert_eq!(doc("[Space](Space)"), "\\[Space\\](Space)");
    }

    #[test]
    fn relative_links_become_absolute() {
        assert_eq!(
            doc("see [Find](/chat/api/find)."),
            "see [Find](https://developers.google.com/chat/api/find)."
        );
    }

    #[test]
    fn html_and_quotes_are_escaped() {
        assert_eq!(doc("a <b>bold</b> value"), "a \\<b>bold\\</b> value");
        assert_eq!(doc("> quoted"), "\\> quoted");
        assert_eq!(doc("x > y"), "x > y");
    }

    #[test]
    fn code_spans_and_unbalanced_backticks() {
        assert_eq!(doc("use ``` a `b` ``` here"), "use ``` a `b` ``` here");
        assert_eq!(doc("a ` lone"), "a \\` lone");
        assert_eq!(doc("`[x]` <y>"), "`[x]` \\<y>");
    }

    #[test]
    fn code_blocks_never_become_doctests() {
        assert_eq!(doc("a\n    indented\n  b"), "a\nindented\nb");
        assert_eq!(
            doc("x\n```\nlet a = 1;\n```\ny"),
            "x\n```text\nlet a = 1;\n```\ny"
        );
        assert_eq!(doc("```json\n{}"), "```text\n{}\n```");
    }

    /// Every code block pulldown-cmark (rustdoc's parser) finds in `doc`: `(fenced, info)`.
    fn code_blocks(doc: &str) -> Vec<(bool, String)> {
        use pulldown_cmark::{CodeBlockKind, Event, Parser, Tag};
        Parser::new(doc)
            .filter_map(|event| match event {
                Event::Start(Tag::CodeBlock(CodeBlockKind::Fenced(info))) => {
                    Some((true, info.to_string()))
                }
                Event::Start(Tag::CodeBlock(CodeBlockKind::Indented)) => {
                    Some((false, String::new()))
                }
                _ => None,
            })
            .collect()
    }

    /// Whether rustdoc would leave `doc`'s code blocks untested: all fenced as `text`.
    fn no_doctest(doc: &str) -> bool {
        code_blocks(doc)
            .iter()
            .all(|(fenced, info)| *fenced && info == "text")
    }

    const HOSTILE: &[&str] = &[
        "Series.\n~~~\nstd::fs::write(\"DOCTEST_RAN\", \"x\").unwrap();\n~~~",
        "~~~rust\nfn main() {}\n~~~",
        "~~~~\nx\n~~~\ny\n~~~~",
        "-     std::fs::write(\"DOCTEST_RAN\", \"x\").unwrap();",
        "1.     code();",
        "12)      code();",
        "* a\n*      code();",
        "- >     code();",
        "- - -     code();",
        "-\t\tcode();",
        "+ ~~~\ncode();\n~~~",
        "1. ```\ncode();\n```",
        "> ```\n> code();",
        "text\n\n    indented();",
        "```rust\nfn f() {}\n```",
        "``` ```\n    code();",
    ];

    #[test]
    fn no_description_becomes_a_doctest() {
        for text in HOSTILE {
            let out = doc(text);
            assert!(
                no_doctest(&out),
                "{text:?} -> {out:?}: {:?}",
                code_blocks(&out)
            );
            // And the check is real: most of these are code blocks as written.
        }
        let raw_blocks = HOSTILE.iter().filter(|t| !no_doctest(t)).count();
        assert!(
            raw_blocks >= 12,
            "only {raw_blocks} raw texts hold a code block"
        );
        assert_eq!(doc("~~~\nkept  as is\n~~~"), "~~~text\nkept  as is\n~~~");
        assert_eq!(doc("-     code"), "- code");
        assert_eq!(doc("1.     a\n2)  b"), "1. a\n2) b");
        assert_eq!(doc("- ~~~\nx"), "- \\~~~\nx");
        assert_eq!(doc("- > q"), "- \\> q");
        assert_eq!(doc("-not a list"), "-not a list");
    }

    /// Random descriptions made of the pieces Markdown blocks are made of: no output ever
    /// holds a code block rustdoc would test, and rendering never panics.
    #[test]
    fn random_descriptions_never_become_doctests() {
        const PIECES: &[&str] = &[
            "```",
            "~~~",
            "~~~~",
            "``",
            "`",
            "    ",
            "\t",
            "     ",
            "- ",
            "* ",
            "+ ",
            "1. ",
            "2) ",
            "> ",
            ">",
            "\n",
            "\n\n",
            "code();",
            "text",
            "<pre>",
            "[a](b)",
            "\\",
            "#",
            "rust",
            " ",
            "-",
            "1.",
            "|a|b|",
            "\r",
            "<https://x.dev>",
        ];
        let mut seed: u64 = 0x9e37_79b9_7f4a_7c15;
        let mut next = || {
            seed ^= seed << 13;
            seed ^= seed >> 7;
            seed ^= seed << 17;
            seed
        };
        for _ in 0..20_000 {
            let len = (next() % 24) as usize;
            let text: String = (0..len)
                .map(|_| PIECES[(next() % PIECES.len() as u64) as usize])
                .collect();
            let out = doc(&text);
            assert!(
                no_doctest(&out),
                "{text:?} -> {out:?}: {:?}",
                code_blocks(&out)
            );
            let attrs = doc_attrs(&out).to_string();
            assert!(!attrs.is_empty() || out.is_empty());
        }
    }

    #[test]
    fn rustdoc_runs_no_doctest_from_a_description() {
        let texts: Vec<String> = HOSTILE.iter().map(|t| doc(t)).collect();
        let dir = std::env::temp_dir().join(format!("xtask-doctest-{}", std::process::id()));
        let _ = std::fs::remove_dir_all(&dir);
        std::fs::create_dir_all(&dir).unwrap();
        let file = dir.join("lib.rs");
        std::fs::write(&file, documented(&texts)).unwrap();
        let rustdoc = std::env::var_os("RUSTDOC").unwrap_or_else(|| "rustdoc".into());
        let out = std::process::Command::new(rustdoc)
            .args(["--test", "--edition", "2024", "--crate-name", "fixture"])
            .arg(&file)
            .current_dir(&dir)
            .output()
            .expect("rustdoc runs (it ships with every toolchain)");
        let ran = dir.join("DOCTEST_RAN").exists();
        let _ = std::fs::remove_dir_all(&dir);
        let stdout = String::from_utf8_lossy(&out.stdout);
        assert!(
            out.status.success(),
            "{stdout}{}",
            String::from_utf8_lossy(&out.stderr)
        );
        assert!(stdout.contains("running 0 tests"), "{stdout}");
        assert!(!ran);
    }

    #[test]
    fn blank_edges_are_trimmed() {
        assert_eq!(doc("\n\nhello\r\n\n"), "hello");
        assert_eq!(doc("escaped \\[x\\] stays"), "escaped \\[x\\] stays");
    }

    #[test]
    fn link_destinations_keep_their_parentheses_balanced() {
        // Batch v1 (`Script.path`): nested parentheses in a Wikipedia link.
        assert_eq!(
            doc(
                "a `#!`(also known as [shebang line](https://en.wikipedia.org/wiki/Shebang_(Unix))) as"
            ),
            "a `#!`(also known as [shebang line](https://en.wikipedia.org/wiki/Shebang_%28Unix%29)) as"
        );
        // An unbalanced `(`: the destination ends at the first `)`, and stays a link.
        assert_eq!(
            doc("[link](https://x.dev/a_(b)"),
            "[link](https://x.dev/a_%28b)"
        );
        assert_eq!(
            doc("see [x](https://x.dev/a_(b) and more)"),
            "see [x](https://x.dev/a_%28b) and more)"
        );
        assert_eq!(
            doc("[t](/chat/(x)/y)"),
            "[t](https://developers.google.com/chat/%28x%29/y)"
        );
        // Parentheses in the text are fine as they are.
        assert_eq!(doc("[a (b](https://x.dev/c)"), "[a (b](https://x.dev/c)");
    }

    #[test]
    fn bare_word_autolinks_become_code_spans() {
        // pagespeedonline v5: the scope `openid` is not a URL.
        assert_eq!(non_url_autolinks_as_code("- <openid>"), "- `openid`");
        assert_eq!(
            non_url_autolinks_as_code("- <https://www.googleapis.com/auth/chat.bot>"),
            "- <https://www.googleapis.com/auth/chat.bot>"
        );
        for same in [
            "`<openid>` in code",
            "escaped \\<b> tag",
            "Vec<T> is left to rustdoc",
            "a < b and c > d",
            "<not a target>",
        ] {
            assert_eq!(non_url_autolinks_as_code(same), same);
        }
        let tokens = doc_attrs("- <email>\n```text\n<kept>\n```").to_string();
        assert!(tokens.contains("\" - `email`\""), "{tokens}");
        assert!(tokens.contains("\" <kept>\""), "{tokens}");
    }

    #[test]
    fn control_and_bidi_characters_are_dropped() {
        assert_eq!(doc("a\u{202E}b\u{2066}c\u{0}d\u{1b}e\tf"), "abcde\tf");
    }

    /// Runs the real `rustdoc` with `-D warnings` on `source`; its stderr when it fails.
    fn rustdoc_errors(name: &str, source: &str) -> Option<String> {
        let dir = std::env::temp_dir().join(format!("xtask-rustdoc-{name}-{}", std::process::id()));
        let _ = std::fs::remove_dir_all(&dir);
        std::fs::create_dir_all(&dir).unwrap();
        let file = dir.join("lib.rs");
        std::fs::write(&file, source).unwrap();
        let rustdoc = std::env::var_os("RUSTDOC").unwrap_or_else(|| "rustdoc".into());
        let out = std::process::Command::new(rustdoc)
            .args([
                "--edition",
                "2024",
                "--crate-type",
                "lib",
                "--crate-name",
                "fixture",
            ])
            .args(["-D", "warnings", "-o"])
            .arg(dir.join("doc"))
            .arg(&file)
            .output()
            .expect("rustdoc runs (it ships with every toolchain)");
        let _ = std::fs::remove_dir_all(&dir);
        (!out.status.success()).then(|| String::from_utf8_lossy(&out.stderr).into_owned())
    }

    /// A file of one unit struct per text, documented through `doc_attrs` and printed by
    /// prettyplease, as generated files are.
    fn documented(texts: &[String]) -> String {
        let items = texts.iter().enumerate().map(|(i, text)| {
            let docs = doc_attrs(text);
            let name = quote::format_ident!("S{i}");
            quote!(#docs pub struct #name;)
        });
        prettyplease::unparse(&syn::parse2(quote!(#(#items)*)).unwrap())
    }

    #[test]
    fn rendered_docs_pass_rustdoc_with_deny_warnings() {
        // Descriptions from batch v1, and the scope list of a method accepting `openid`
        // (pagespeedonline v5), in the form the method docs use.
        let descriptions = [
            "Script file path on the host VM. To specify an interpreter, please add a `#!`(also known as [shebang line](https://en.wikipedia.org/wiki/Shebang_(Unix))) as the first line of the file.(For example, to execute the script using bash, `#!/bin/bash` should be the first line of the file.) Otherwise, the file will by default be executed by `/bin/sh`.",
            "A variant with an unbalanced parenthesis: [shebang line](https://en.wikipedia.org/wiki/Shebang_(Unix) as the first line.",
            "see [x](https://x.dev/a_(b) and more)",
            "Priority of the Job. The valid value range is [0, 100). Default value is 0.",
            "The valid value range for max_run_duration in seconds is [0, 315576000000.999999999],",
            "Labels could be user provided. [Google Compute Engine label restrictions](https://cloud.google.com/compute/docs/labeling-resources#restrictions) apply.",
            "mount options are the options supported by the gcsfuse tool (https://github.com/GoogleCloudPlatform/gcsfuse).",
            "Runs pagespeed analysis on the page at the specified URL, and returns \u{202E}PageSpeed scores.",
        ];
        let mut texts: Vec<String> = descriptions.iter().map(|d| doc(d)).collect();
        let scopes = "# Scopes\n\nAny one of:\n\n- <openid>\n- <https://www.googleapis.com/auth/cloud-platform>";
        texts.push(scopes.to_owned());
        let errors = rustdoc_errors("fixed", &documented(&texts));
        assert!(errors.is_none(), "{}", errors.unwrap_or_default());

        // The check is real: the same texts unprocessed do warn, for both reasons.
        let raw = format!(
            "/// {}\npub struct Raw;\n/// - <openid>\npub struct Scope;\n",
            descriptions[2]
        );
        let errors = rustdoc_errors("raw", &raw).expect("rustdoc warns on the raw texts");
        assert!(errors.contains("unresolved link to `x`"), "{errors}");
        assert!(errors.contains("unclosed HTML tag `openid`"), "{errors}");
    }
}
