//! The JSON path of the value at a position in a JSON text: what a decode error names.
//!
//! Why not `serde_path_to_error`: it wraps the deserializer, so every `Deserialize` impl
//! of a response's type tree is instantiated a second time, with the wrapper, in the crate
//! that sends the request. For a Chat `Message` that was ~8,000 extra monomorphised items
//! in a user's binary (`-Z print-mono-items`), a large part of its debug build. serde_json
//! already reports where it failed (line and column); walking the text up to that point
//! recovers the path with one non-generic function, and only when decoding has failed.

/// One open container on the way to the position.
enum Level {
    /// An object, and the member whose value the walk is in (set after its `:`).
    Object { key: Option<String>, in_value: bool },
    /// An array, and the index of the element the walk is in.
    Array { index: usize },
}

/// The byte offset of serde_json's error position (`line` from 1; `column` counts the
/// bytes of that line it had read, so it is the index of the next byte) in `json`,
/// clamped to its length. `None` for line 0, serde_json's "no position".
pub(crate) fn offset_of(json: &[u8], line: usize, column: usize) -> Option<usize> {
    if line == 0 {
        return None;
    }
    let mut start = 0;
    for _ in 1..line {
        let newline = json[start..].iter().position(|&b| b == b'\n')?;
        start += newline + 1;
    }
    Some((start + column).min(json.len()))
}

/// The path of the value a decoder was at when it stopped before byte `offset` of
/// `json`, written as `a.b[2].c` (`.` for the document itself): the scalar that ends
/// there, or the object or array that starts there. Never fails: text that is not JSON
/// yields the path as far as it could be followed.
pub(crate) fn path_at(json: &[u8], offset: usize) -> String {
    let offset = offset.min(json.len());
    let mut stack: Vec<Level> = Vec::new();
    let mut i = 0;
    while i < offset {
        match json[i] {
            b'"' => {
                let end = string_end(json, i);
                if let Some(Level::Object {
                    key,
                    in_value: false,
                }) = stack.last_mut()
                {
                    *key = Some(unescape(&json[i + 1..end.saturating_sub(1).max(i + 1)]));
                }
                i = end;
                continue;
            }
            b'{' => stack.push(Level::Object {
                key: None,
                in_value: false,
            }),
            b'[' => stack.push(Level::Array { index: 0 }),
            b'}' | b']' => {
                stack.pop();
            }
            b':' => {
                if let Some(Level::Object { in_value, .. }) = stack.last_mut() {
                    *in_value = true;
                }
            }
            b',' => match stack.last_mut() {
                Some(Level::Object { key, in_value }) => {
                    *key = None;
                    *in_value = false;
                }
                Some(Level::Array { index }) => *index += 1,
                None => {}
            },
            _ => {}
        }
        i += 1;
    }
    render(&stack)
}

/// Writes the path through `levels`, outermost first.
fn render(levels: &[Level]) -> String {
    let mut path = String::new();
    for level in levels {
        match level {
            Level::Object {
                key: Some(key),
                in_value: true,
            } => {
                if !path.is_empty() {
                    path.push('.');
                }
                path.push_str(key);
            }
            Level::Object { .. } => break,
            Level::Array { index } => {
                path.push('[');
                path.push_str(&index.to_string());
                path.push(']');
            }
        }
    }
    if path.is_empty() {
        path.push('.');
    }
    path
}

/// The index just past the string that starts with the quote at `start` (or the end of
/// `json` when it is not closed).
fn string_end(json: &[u8], start: usize) -> usize {
    let mut i = start + 1;
    while i < json.len() {
        match json[i] {
            b'\\' => i += 2,
            b'"' => return i + 1,
            _ => i += 1,
        }
    }
    json.len()
}

/// A member name as it reads: JSON escapes decoded where they are valid, kept otherwise.
fn unescape(raw: &[u8]) -> String {
    let quoted = [b"\"".as_slice(), raw, b"\""].concat();
    serde_json::from_slice::<String>(&quoted)
        .unwrap_or_else(|_| String::from_utf8_lossy(raw).into_owned())
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The path serde_json's own error position leads to, for `T` decoded from `json`.
    fn located<T: serde::de::DeserializeOwned + std::fmt::Debug>(json: &str) -> String {
        let e = serde_json::from_str::<T>(json).unwrap_err();
        let offset = offset_of(json.as_bytes(), e.line(), e.column()).unwrap();
        path_at(json.as_bytes(), offset)
    }

    /// What serde_path_to_error says for the same input: the reference.
    fn reference<T: serde::de::DeserializeOwned + std::fmt::Debug>(json: &str) -> String {
        let mut de = serde_json::Deserializer::from_str(json);
        let e = serde_path_to_error::deserialize::<_, T>(&mut de).unwrap_err();
        e.path().to_string()
    }

    #[derive(serde::Deserialize, Debug)]
    #[allow(dead_code)]
    struct Outer {
        #[serde(default)]
        name: Option<String>,
        #[serde(default)]
        inner: Option<Inner>,
        #[serde(default)]
        list: Vec<Inner>,
        #[serde(default)]
        map: std::collections::BTreeMap<String, i64>,
    }

    #[derive(serde::Deserialize, Debug)]
    #[allow(dead_code)]
    struct Inner {
        #[serde(default)]
        count: Option<i64>,
        #[serde(default)]
        flags: Vec<bool>,
    }

    #[test]
    fn agrees_with_serde_path_to_error_on_type_errors() {
        let cases = [
            r#"{"name": 5}"#,
            r#"{"inner": {"count": "x"}}"#,
            r#"{"name": "a", "inner": {"flags": [true, 3]}}"#,
            r#"{"list": [{"count": 1}, {"count": 2}, {"flags": [false, "no"]}]}"#,
            "{\n  \"list\": [\n    {},\n    {\"count\": true}\n  ]\n}",
            r#"{"map": {"a": 1, "b": "two"}}"#,
            r#"{"inner": 7}"#,
            r#"{"list": {"count": 1}}"#,
            r#"{"na\"me": 1, "inner": {"count": [1]}}"#,
            r#"{"inner": {"count": 1, "flags": {"x": 1}}}"#,
            r#"[1]"#,
            r#"{"list": [{}, {"count": 9999999999999999999999}]}"#,
        ];
        for json in cases {
            assert_eq!(
                located::<Outer>(json),
                reference::<Outer>(json),
                "for {json}"
            );
        }
    }

    #[test]
    fn syntax_errors_name_where_the_text_broke_off() {
        // serde_path_to_error says `?` where it has no member name; this says the last
        // name it read, or the container.
        for (json, expected) in [
            (r#"{"inner": {"count": 1"#, "inner.count"),
            (r#"{"list": [{}, {"count": }]}"#, "list[1]"),
            (r#"{"list": [{}, {"count": 1,}]}"#, "list[1]"),
            (r#"{"list": [{}, {"count": 1} {}]}"#, "list[1]"),
            ("not json", "."),
        ] {
            assert_eq!(located::<Outer>(json), expected, "for {json}");
        }
    }

    #[test]
    fn member_names_are_unescaped() {
        let json = br#"{"a\u0062": {"c": 1}}"#;
        assert_eq!(path_at(json, json.len() - 2), "ab.c");
    }

    #[test]
    fn offsets_follow_lines_and_clamp() {
        let json = b"{\n\"a\": 1\n}";
        assert_eq!(offset_of(json, 2, 6), Some(8));
        assert_eq!(offset_of(json, 0, 0), None);
        assert_eq!(offset_of(json, 9, 1), None);
        assert_eq!(offset_of(json, 3, 50), Some(json.len()));
        assert_eq!(path_at(json, 1000), ".");
    }
}
