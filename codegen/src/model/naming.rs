//! Turning wire names into Rust identifiers, and keeping them unique within a scope.
//!
//! The rules are documented on the [`crate::model`] module; this file implements them.
//! The model already holds every final name; the public helpers here are for code that
//! needs the same spelling for a name of its own (e.g. a local variable).

use std::collections::BTreeSet;

use heck::{ToSnakeCase, ToUpperCamelCase};

use super::Availability;

/// Every Rust keyword (strict, reserved, and edition-2018+/2024 ones). Weak keywords
/// (`union`, `raw`, `safe`, `macro_rules`) are valid identifiers and are left alone.
pub const KEYWORDS: &[&str] = &[
    "Self", "abstract", "as", "async", "await", "become", "box", "break", "const", "continue",
    "crate", "do", "dyn", "else", "enum", "extern", "false", "final", "fn", "for", "gen", "if",
    "impl", "in", "let", "loop", "macro", "match", "mod", "move", "mut", "override", "priv", "pub",
    "ref", "return", "self", "static", "struct", "super", "trait", "true", "try", "type", "typeof",
    "unsafe", "unsized", "use", "virtual", "where", "while", "yield",
];

/// Type names generated code relies on (prelude, std, serde derives, the runtime's own
/// types). A named type whose name would be one of these gets the suffix `Schema`.
pub const RESERVED_TYPE_NAMES: &[&str] = &[
    "AsMut",
    "AsRef",
    "BTreeMap",
    "Box",
    "Bytes",
    "Client",
    "Clone",
    "Copy",
    "Date",
    "Debug",
    "Default",
    "Deserialize",
    "DoubleEndedIterator",
    "Drop",
    "Duration",
    "Eq",
    "Err",
    "Error",
    "ExactSizeIterator",
    "Extend",
    "FieldMask",
    "Fn",
    "FnMut",
    "FnOnce",
    "From",
    "FromIterator",
    "Hash",
    "Into",
    "IntoIterator",
    "Iterator",
    "None",
    "Ok",
    "Option",
    "Ord",
    "PartialEq",
    "PartialOrd",
    "Result",
    "Self",
    "Send",
    "Serialize",
    "Sized",
    "Some",
    "StandardParams",
    "String",
    "Sync",
    "Timestamp",
    "ToOwned",
    "ToString",
    "TryFrom",
    "TryInto",
    "Unpin",
    "Value",
    "Vec",
];

/// Names a struct field may not take, because generated code gives every struct members
/// of its own: `new()` and the private `unknown_fields` (members the server sent that the
/// model does not know, with its `unknown_fields()` getter). A field with one of these
/// names is numbered (`new_2`).
pub const RESERVED_FIELD_NAMES: &[&str] = reserved::MODEL_MEMBERS;

use super::reserved;

/// The constant name of a scope URL: the part after `https://www.googleapis.com/auth/`
/// (else after the scheme), in SHOUTY_SNAKE_CASE (`CHAT_BOT`, `CLOUD_PLATFORM`,
/// `MAIL_GOOGLE_COM`); a name that would start with a digit or be empty gets `SCOPE_` in
/// front.
pub fn scope_const(url: &str) -> String {
    let rest = url
        .strip_prefix("https://www.googleapis.com/auth/")
        .or_else(|| url.split_once("://").map(|(_, rest)| rest))
        .unwrap_or(url);
    let mut name = String::new();
    for c in rest.chars() {
        if c.is_ascii_alphanumeric() {
            name.push(c.to_ascii_uppercase());
        } else if !name.is_empty() && !name.ends_with('_') {
            name.push('_');
        }
    }
    let name = name.trim_end_matches('_').to_owned();
    if name.is_empty() || name.starts_with(|c: char| c.is_ascii_digit()) {
        format!("SCOPE_{name}").trim_end_matches('_').to_owned()
    } else {
        name
    }
}

/// Gives every scope (sorted by URL) its constant name, numbering collisions
/// (`FOO_2`) in URL order.
pub fn name_scopes(scopes: &mut [super::Scope]) {
    let mut taken = std::collections::BTreeSet::new();
    for scope in scopes {
        let base = scope_const(&scope.url);
        let mut name = base.clone();
        let mut n = 2;
        while !taken.insert(name.clone()) {
            name = format!("{base}_{n}");
            n += 1;
        }
        scope.rust_name = name;
    }
}

/// The prefix of a field's setter: field `text` has the getter `text()` and the setter
/// `set_text(..)` (a keyword-escaped `type_` has `set_type(..)`).
pub const SETTER_PREFIX: &str = "set_";

/// The setter name of a struct field named `rust_name`.
pub fn setter_name(rust_name: &str) -> String {
    format!(
        "{SETTER_PREFIX}{}",
        rust_name.strip_suffix('_').unwrap_or(rust_name)
    )
}

/// Renames fields whose getter would be another field's setter (`set_x` next to `x`):
/// such a field gets the suffix `_field`, so every getter and setter of a struct is
/// unique.
pub(crate) fn free_setter_names(fields: &mut [super::Field]) {
    let setters: BTreeSet<String> = fields.iter().map(|f| setter_name(&f.rust_name)).collect();
    for field in fields.iter_mut() {
        if setters.contains(&field.rust_name) {
            field.rust_name.push_str("_field");
        }
    }
}

/// The enum variant name generated code uses for values it does not know.
pub const UNKNOWN_VARIANT: &str = "Unknown";

/// Whether `name` is a Rust keyword that cannot be used as a plain identifier.
pub fn is_keyword(name: &str) -> bool {
    KEYWORDS.contains(&name)
}

/// Spells out the punctuation that carries meaning in wire names and values, and turns
/// every other non-ASCII-alphanumeric character into a word break.
fn words(wire: &str) -> String {
    let mut out = String::with_capacity(wire.len() + 8);
    for c in wire.chars() {
        if c.is_ascii_alphanumeric() {
            out.push(c);
            continue;
        }
        let word = match c {
            '@' => "at",
            '*' => "star",
            '+' => "plus",
            '#' => "hash",
            '%' => "percent",
            '&' => "and",
            '=' => "eq",
            '<' => "lt",
            '>' => "gt",
            _ => "",
        };
        out.push(' ');
        out.push_str(word);
        out.push(' ');
    }
    out
}

/// The snake_case identifier for a field, parameter, method or resource accessor.
///
/// Empty results become `unnamed`, a leading digit gets the prefix `v`, and keywords get
/// the suffix `_`.
pub fn snake(wire: &str) -> String {
    let mut name = words(wire).to_snake_case();
    if name.is_empty() {
        name = "unnamed".to_owned();
    }
    if name.starts_with(|c: char| c.is_ascii_digit()) {
        name.insert(0, 'v');
    }
    if is_keyword(&name) {
        name.push('_');
    }
    name
}

/// The UpperCamelCase spelling of a wire name, before any scope-specific rule.
///
/// Empty results become `Unnamed`; a leading digit gets the prefix `V`.
pub fn camel(wire: &str) -> String {
    let mut name = words(wire).to_upper_camel_case();
    if name.is_empty() {
        name = "Unnamed".to_owned();
    }
    if name.starts_with(|c: char| c.is_ascii_digit()) {
        name.insert(0, 'V');
    }
    name
}

/// A named type's base name: `raw` unless that is a reserved name, then `raw` + `Schema`.
pub fn type_name(raw: String) -> String {
    if RESERVED_TYPE_NAMES.contains(&raw.as_str()) {
        raw + "Schema"
    } else {
        raw
    }
}

/// An enum variant's base name for a wire value: `""` is `Empty`; a value that would be
/// `Unknown` (kept for unknown values) or `Self` gets the suffix `Value`.
pub fn variant(wire: &str) -> String {
    if wire.is_empty() {
        return "Empty".to_owned();
    }
    let name = camel(wire);
    if name == UNKNOWN_VARIANT || name == "Self" {
        name + "Value"
    } else {
        name
    }
}

/// `variant` without a leading part that repeats `enum_name` or one of its trailing
/// words (`SpaceType` and `Type` of `SpaceSpaceType`), longest first: `None` when there
/// is none, or when what is left would not be a name of its own (empty, not starting a
/// word, a digit, `Unknown`, `Self`, or a name of the prelude's variants).
pub fn without_repeated_prefix(enum_name: &str, variant: &str) -> Option<String> {
    let starts: Vec<usize> = enum_name
        .char_indices()
        .filter(|&(_, c)| c.is_ascii_uppercase())
        .map(|(i, _)| i)
        .collect();
    starts.iter().find_map(|&start| {
        let rest = variant.strip_prefix(&enum_name[start..])?;
        // `None`, `Some`, `Ok` and `Err` would read as the prelude's in a pattern.
        let ok = rest.starts_with(|c: char| c.is_ascii_uppercase())
            && !matches!(
                rest,
                UNKNOWN_VARIANT | "Self" | "Value" | "None" | "Some" | "Ok" | "Err"
            );
        ok.then(|| rest.to_owned())
    })
}

/// One name to be made unique within a scope.
#[derive(Debug, Clone)]
pub(crate) struct Candidate {
    /// What the item is called on the wire (or another stable key): the tie-breaker.
    pub wire: String,
    /// The name it gets when nothing else in the scope wants it.
    pub base: String,
    /// Lower wins: lets one kind of item keep its name over another kind.
    pub priority: u8,
    /// Whether the item is only in the preview document: such items rank after every
    /// other item, so that a preview document never changes a stable item's name.
    pub preview_only: bool,
}

impl Candidate {
    /// A candidate with the default priority.
    pub fn new(wire: impl Into<String>, base: impl Into<String>) -> Self {
        Candidate {
            wire: wire.into(),
            base: base.into(),
            priority: 0,
            preview_only: false,
        }
    }

    /// The same candidate, ranked after stable items when `availability` is preview-only.
    pub fn available(mut self, availability: Availability) -> Self {
        self.preview_only = availability == Availability::PreviewOnly;
        self
    }

    /// The same candidate with `priority`.
    pub fn priority(mut self, priority: u8) -> Self {
        self.priority = priority;
        self
    }
}

/// Gives every candidate a name unique within `taken` (which is updated), returned in
/// the candidates' order.
///
/// Candidates are ranked by (preview-only, priority, whether the wire name differs from
/// the base name, wire name): in rank order, every candidate whose base name is still free takes
/// it; then the others, in rank order, take `base` + `n` for the smallest `n >= 2` that
/// is free. `n` is preceded by `_` when the base is snake_case or ends with a digit (so
/// `foo_2`, `type_2`, `V1_2`, but `FooBar2`).
pub(crate) fn assign(candidates: &[Candidate], taken: &mut BTreeSet<String>) -> Vec<String> {
    let mut order: Vec<usize> = (0..candidates.len()).collect();
    order.sort_by(|&a, &b| {
        let ka = &candidates[a];
        let kb = &candidates[b];
        (
            ka.preview_only,
            ka.priority,
            ka.wire != ka.base,
            &ka.wire,
            a,
        )
            .cmp(&(
                kb.preview_only,
                kb.priority,
                kb.wire != kb.base,
                &kb.wire,
                b,
            ))
    });
    let mut names: Vec<Option<String>> = vec![None; candidates.len()];
    for &i in &order {
        let base = &candidates[i].base;
        if !taken.contains(base) {
            taken.insert(base.clone());
            names[i] = Some(base.clone());
        }
    }
    for &i in &order {
        if names[i].is_some() {
            continue;
        }
        let base = &candidates[i].base;
        let snake_like = base.starts_with(|c: char| c.is_ascii_lowercase());
        let sep = if base.ends_with('_') {
            ""
        } else if snake_like || base.ends_with(|c: char| c.is_ascii_digit()) {
            "_"
        } else {
            ""
        };
        let mut n = 2usize;
        let name = loop {
            let name = format!("{base}{sep}{n}");
            if !taken.contains(&name) {
                break name;
            }
            n += 1;
        };
        taken.insert(name.clone());
        names[i] = Some(name);
    }
    names.into_iter().map(Option::unwrap_or_default).collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn snake_names() {
        assert_eq!(snake("createTime"), "create_time");
        assert_eq!(snake("type"), "type_");
        assert_eq!(snake("self"), "self_");
        assert_eq!(snake("gen"), "gen_");
        assert_eq!(snake("$.xgafv"), "xgafv");
        assert_eq!(snake("@type"), "at_type");
        assert_eq!(snake("1p"), "v1p");
        assert_eq!(snake(""), "unnamed");
        assert_eq!(snake("union"), "union");
        assert_eq!(snake("HTMLBody"), "html_body");
    }

    #[test]
    fn variants_lose_a_prefix_that_repeats_the_enum() {
        let short = |e: &str, v: &str| without_repeated_prefix(e, v);
        assert_eq!(
            short("SpaceSpaceType", "SpaceTypeUnspecified").as_deref(),
            Some("Unspecified")
        );
        assert_eq!(
            short("UserType", "TypeUnspecified").as_deref(),
            Some("Unspecified")
        );
        assert_eq!(
            short("AnnotationType", "AnnotationTypeUnspecified").as_deref(),
            Some("Unspecified")
        );
        assert_eq!(short("UserType", "Human"), None);
        assert_eq!(short("UserType", "Typed"), None);
        assert_eq!(short("UserType", "Type"), None);
        assert_eq!(short("UserType", "TypeUnknown"), None);
        assert_eq!(short("UserType", "Type1"), None);
        assert_eq!(short("NotificationType", "NotificationTypeNone"), None);
    }

    #[test]
    fn camel_and_variants() {
        assert_eq!(variant("TYPE_UNSPECIFIED"), "TypeUnspecified");
        assert_eq!(variant("1"), "V1");
        assert_eq!(variant("@type"), "AtType");
        assert_eq!(variant("foo-bar"), "FooBar");
        assert_eq!(variant(""), "Empty");
        assert_eq!(variant("application/json"), "ApplicationJson");
        assert_eq!(variant("*"), "Star");
        assert_eq!(variant("UNKNOWN"), "UnknownValue");
        assert_eq!(type_name(camel("option")), "OptionSchema");
        assert_eq!(type_name(camel("Message")), "Message");
    }

    #[test]
    fn collisions_are_numbered_exact_match_first() {
        let mut taken = BTreeSet::new();
        let names = assign(
            &[
                Candidate::new("fooBar", "foo_bar"),
                Candidate::new("foo_bar", "foo_bar"),
                Candidate::new("foo-bar", "foo_bar"),
            ],
            &mut taken,
        );
        // `foo_bar` is already snake_case and keeps it; the rest go by wire name
        // (`-` sorts before `B`).
        assert_eq!(names, ["foo_bar_3", "foo_bar", "foo_bar_2"]);

        let mut taken = BTreeSet::new();
        let names = assign(
            &[
                Candidate::new("foo-bar", "FooBar"),
                Candidate::new("FOO_BAR", "FooBar"),
                Candidate::new("2", "V1"),
                Candidate::new("1", "V1"),
            ],
            &mut taken,
        );
        assert_eq!(names, ["FooBar2", "FooBar", "V1_2", "V1"]);
    }

    #[test]
    fn numbered_names_never_steal_a_free_base() {
        let mut taken = BTreeSet::new();
        let names = assign(
            &[
                Candidate::new("a", "x"),
                Candidate::new("b", "x"),
                Candidate::new("c", "x_2"),
            ],
            &mut taken,
        );
        assert_eq!(names, ["x", "x_3", "x_2"]);
    }
}
