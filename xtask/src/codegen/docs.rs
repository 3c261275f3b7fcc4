//! Discovery descriptions -> valid rustdoc.
//!
//! Descriptions are Markdown written for Google's website, and rustdoc reads some of it
//! differently: `[text]` becomes a (broken) intra-doc link, bare URLs trip
//! `rustdoc::bare_urls`, `<word>` is an HTML tag, indented lines and fences are code
//! blocks that doctests try to compile, and a lone backtick opens a code span that never
//! closes. [`rustdoc`] rewrites exactly those constructs and leaves the rest alone.

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
pub fn doc_attrs(text: &str) -> TokenStream {
    let lines = text.lines().map(|line| {
        let line = if line.is_empty() {
            String::new()
        } else {
            format!(" {line}")
        };
        quote!(#[doc = #line])
    });
    quote!(#(#lines)*)
}

/// A description rewritten as rustdoc that renders as meant and passes
/// `RUSTDOCFLAGS=-D warnings` (and never becomes a doctest).
pub fn rustdoc(text: &str, ctx: &DocContext) -> String {
    let text = text.replace("\r\n", "\n").replace('\r', "\n");
    let mut out = Vec::new();
    let mut in_fence: Option<String> = None;
    for raw in text.lines() {
        let line = raw.trim_start();
        if let Some(fence) = &in_fence {
            if line.starts_with(fence.as_str()) && line.trim_start_matches('`').trim().is_empty() {
                out.push(fence.clone());
                in_fence = None;
            } else {
                out.push(raw.trim_end().to_owned());
            }
            continue;
        }
        let ticks = line.bytes().take_while(|&b| b == b'`').count();
        if ticks >= 3 && !line[ticks..].contains('`') {
            // A fenced block: never a doctest.
            let fence = "`".repeat(ticks);
            out.push(format!("{fence}text"));
            in_fence = Some(fence);
            continue;
        }
        // Leading whitespace would make an indented code block (a doctest).
        out.push(inline(line.trim_end(), ctx));
    }
    if let Some(fence) = in_fence {
        out.push(fence);
    }
    while out.last().is_some_and(|l| l.is_empty()) {
        out.pop();
    }
    while out.first().is_some_and(|l| l.is_empty()) {
        out.remove(0);
    }
    out.join("\n")
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
fn markdown_link(s: &str) -> Option<(&str, &str, usize)> {
    let close = s.find(']')?;
    let text = &s[1..close];
    if text.contains('[') || text.is_empty() {
        return None;
    }
    let after = &s[close + 1..];
    let inner = after.strip_prefix('(')?;
    let end = inner.find(')')?;
    let dest = &inner[..end];
    if dest.is_empty() || dest.contains(char::is_whitespace) {
        return None;
    }
    Some((text, dest, close + 1 + 1 + end + 1))
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

    #[test]
    fn blank_edges_are_trimmed() {
        assert_eq!(doc("\n\nhello\r\n\n"), "hello");
        assert_eq!(doc("escaped \\[x\\] stays"), "escaped \\[x\\] stays");
    }
}
