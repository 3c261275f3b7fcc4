//! Turning bytes into a [`Document`], with errors that say where the bytes went wrong.
//!
//! serde_path_to_error tracks the JSON path while serde_json parses, so a value of the
//! wrong type is reported as e.g. `resources.spaces.methods.get.parameters.name.required`
//! rather than only as a line and column in a 400 KB file.

use serde::Deserialize;
use serde::de::{self, IgnoredAny, MapAccess, Visitor};
use serde_json::error::Category;

use super::{Document, KIND, SchemaRef};
use crate::error::{Error, Result};

/// Parses `bytes` as a Discovery document and checks its `kind`; `origin` names the
/// source in errors.
pub(super) fn parse(bytes: &[u8], origin: &str) -> Result<Document> {
    // A byte-order mark is not JSON, but editors add it; it hides nothing, so skip it.
    let bytes = bytes.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(bytes);
    let mut deserializer = serde_json::Deserializer::from_slice(bytes);
    let document = serde_path_to_error::deserialize::<_, Document>(&mut deserializer)
        .map_err(|err| parse_error(bytes, origin, tidy_path(err.path()), err.inner()))?;
    // Trailing garbage after the document is as wrong as a syntax error inside it.
    deserializer
        .end()
        .map_err(|err| parse_error(bytes, origin, ".".to_owned(), &err))?;
    check_kind(&document.kind, origin)?;
    Ok(document)
}

/// The path as text, without the `?` segments serde_path_to_error adds for a key it had
/// not read yet (as at the end of a truncated file): `a.b.?` says no more than `a.b`.
fn tidy_path(path: &serde_path_to_error::Path) -> String {
    let text = path.to_string();
    let mut tidy = text.as_str();
    while let Some(shorter) = tidy.strip_suffix(".?") {
        tidy = shorter;
    }
    if tidy == "?" || tidy.is_empty() {
        ".".to_owned()
    } else {
        tidy.to_owned()
    }
}

/// Rejects a document whose `kind` is missing or is not a REST description.
fn check_kind(kind: &str, origin: &str) -> Result<()> {
    if kind == KIND {
        return Ok(());
    }
    let message = if kind.is_empty() {
        format!("missing; expected \"{KIND}\": this is not a Discovery document")
    } else {
        format!("is \"{kind}\", expected \"{KIND}\": this is not a Discovery REST description")
    };
    Err(Error::Invalid {
        origin: origin.to_owned(),
        path: "kind".to_owned(),
        message,
    })
}

/// Explains a parse failure: truncated input, not JSON at all, or a value of the wrong
/// type at a JSON path.
fn parse_error(bytes: &[u8], origin: &str, path: String, inner: &serde_json::Error) -> Error {
    let message = match inner.classify() {
        Category::Eof => format!(
            "the JSON ends early ({inner}): the file is truncated or incomplete \
             (an interrupted download?)"
        ),
        Category::Syntax if !looks_like_json(bytes) => {
            format!("not JSON ({inner})")
        }
        Category::Syntax => format!("invalid JSON: {inner}"),
        Category::Data => {
            // A JSON value of another kind (an error body, a config file) fails on its
            // first mistyped key; saying "not a Discovery document" is more helpful then.
            if let Err(kind_error) = probe_kind(bytes, origin) {
                return kind_error;
            }
            inner.to_string()
        }
        Category::Io => format!("cannot read: {inner}"),
    };
    Error::Parse {
        origin: origin.to_owned(),
        path,
        message,
    }
}

/// Whether the first non-blank byte can start a JSON object or array.
fn looks_like_json(bytes: &[u8]) -> bool {
    let first = bytes.iter().copied().find(|b| !b.is_ascii_whitespace());
    matches!(first, Some(b'{' | b'['))
}

/// Reads only the top-level `kind` of a syntactically valid JSON value and checks it.
fn probe_kind(bytes: &[u8], origin: &str) -> Result<()> {
    #[derive(Deserialize)]
    struct Probe {
        #[serde(default)]
        kind: Option<serde_json::Value>,
    }
    match serde_json::from_slice::<Probe>(bytes) {
        Ok(Probe {
            kind: Some(serde_json::Value::String(kind)),
        }) => check_kind(&kind, origin),
        Ok(Probe { kind: None }) => check_kind("", origin),
        Ok(Probe { kind: Some(other) }) => check_kind(&other.to_string(), origin),
        Err(_) => Err(Error::Parse {
            origin: origin.to_owned(),
            path: ".".to_owned(),
            message: "expected a JSON object: this is not a Discovery document".to_owned(),
        }),
    }
}

/// A method's `request` or `response`: `{"$ref": ..}` as a [`SchemaRef`], `null` or an
/// empty object `{}` (which names no schema) as `None`. An object with other keys but no
/// `$ref` is still an error (``missing field `$ref` ``), so a misspelt key is caught.
pub(super) fn optional_schema_ref<'de, D>(deserializer: D) -> Result<Option<SchemaRef>, D::Error>
where
    D: de::Deserializer<'de>,
{
    struct RefVisitor;

    impl<'de> Visitor<'de> for RefVisitor {
        type Value = Option<SchemaRef>;

        fn expecting(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
            f.write_str("an object with a `$ref`, an empty object, or null")
        }

        fn visit_unit<E: de::Error>(self) -> Result<Self::Value, E> {
            Ok(None)
        }

        fn visit_none<E: de::Error>(self) -> Result<Self::Value, E> {
            Ok(None)
        }

        fn visit_some<D: de::Deserializer<'de>>(
            self,
            deserializer: D,
        ) -> Result<Self::Value, D::Error> {
            deserializer.deserialize_map(self)
        }

        fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<Self::Value, A::Error> {
            let (mut reference, mut parameter_name, mut keys) = (None, None, 0usize);
            while let Some(key) = map.next_key::<String>()? {
                keys += 1;
                match key.as_str() {
                    "$ref" => reference = Some(map.next_value::<String>()?),
                    "parameterName" => parameter_name = map.next_value::<Option<String>>()?,
                    _ => {
                        map.next_value::<IgnoredAny>()?;
                    }
                }
            }
            match reference {
                Some(reference) => Ok(Some(SchemaRef {
                    reference,
                    parameter_name,
                })),
                None if keys == 0 => Ok(None),
                None => Err(de::Error::missing_field("$ref")),
            }
        }
    }

    deserializer.deserialize_option(RefVisitor)
}
