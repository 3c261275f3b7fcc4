//! A flat, sorted, line-per-item listing of an API surface, and diffs of two.
//!
//! A [`Surface`] is what a user of the generated crate can touch, one [`Item`] per API,
//! scope, standard parameter, resource, method, parameter, type, field and enum value.
//! Each item carries a structured [`ItemKey`] (its identity across revisions: wire names,
//! because those are what Google keeps stable) and a list of [`Attr`]ibutes (Rust names,
//! types, HTTP method, path, scopes, flags), so that a diff can say which attribute
//! changed instead of comparing strings. The listing shows Rust names and wire names side
//! by side so a reviewer can check every line against the Discovery document.
//!
//! [`Surface::diff`] compares two surfaces; see [`diff`] for how changes are classified
//! and [`render`] for the text, Markdown and JSON reports.

pub mod diff;
pub mod render;

use std::fmt;

use serde::Serialize;

pub use diff::{
    AttrChange, Bump, Change, ChangeKind, DescriptionChange, Group, Impact, SurfaceDiff,
};

/// Which surface of a merged model (stable and preview) to list.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum View {
    /// What the crate exposes without the `developer-preview` feature.
    Stable,
    /// What the crate exposes with the `developer-preview` feature.
    Preview,
}

impl fmt::Display for View {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            View::Stable => "stable",
            View::Preview => "preview",
        })
    }
}

/// Which API and revision a surface was taken from.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
pub struct Origin {
    /// The API id, e.g. `chat:v1`.
    pub id: String,
    /// The stable document's revision.
    pub revision: String,
    /// The preview document's revision, when the model merged one and the view is
    /// [`View::Preview`].
    pub preview_revision: Option<String>,
    /// The view, when the surface came from a model.
    pub view: Option<View>,
}

impl fmt::Display for Origin {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{} {}", self.id, self.revision)?;
        match (&self.view, &self.preview_revision) {
            (Some(View::Preview), Some(rev)) if *rev != self.revision => {
                write!(f, " (preview {rev})")
            }
            (Some(View::Preview), Some(_)) => f.write_str(" (preview)"),
            _ => Ok(()),
        }
    }
}

/// The surface of an API: one item per resource, method, parameter, type, field and
/// enum value, sorted.
#[derive(Debug, Clone, Default, PartialEq, Serialize)]
pub struct Surface {
    /// Where the surface came from.
    pub origin: Origin,
    /// The items, sorted by key, keys unique.
    pub items: Vec<Item>,
}

impl Surface {
    /// The listing: one line per item, sorted, ending in a newline.
    ///
    /// Each line is `KIND KEY  ATTRIBUTES`, e.g.
    /// `method spaces.messages.create  id=chat.spaces.messages.create http=POST ...`.
    /// Flags appear as bare words only when set; scopes inside method lines drop the
    /// common `https://www.googleapis.com/auth/` prefix (the `scope` lines keep it).
    pub fn listing(&self) -> String {
        let mut out = String::new();
        for item in &self.items {
            out.push_str(&item.line());
            out.push('\n');
        }
        out
    }

    /// The item with `key`, if any.
    pub fn get(&self, key: &ItemKey) -> Option<&Item> {
        self.items
            .binary_search_by(|item| item.key.cmp(key))
            .ok()
            .map(|i| &self.items[i])
    }

    /// What changed from `self` (old) to `new`.
    pub fn diff(&self, new: &Surface) -> SurfaceDiff {
        diff::diff(self, new)
    }
}

/// The identity of an item: what a diff matches old and new items by.
///
/// Keys use wire names (schema ids, property names, method names), which are what a
/// Discovery document keeps from one revision to the next; Rust names are attributes, so
/// a renamed Rust item shows up as a changed `rust` attribute.
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum ItemKey {
    /// The API itself (root URL, service path).
    Api {
        /// The API id, e.g. `chat:v1`.
        id: String,
    },
    /// An OAuth 2.0 scope of the API.
    Scope {
        /// The scope URL.
        url: String,
    },
    /// A parameter every method accepts.
    StandardParameter {
        /// Wire name, e.g. `quotaUser`.
        name: String,
    },
    /// A resource.
    Resource {
        /// Dotted wire path, e.g. `spaces.messages` (empty for top-level methods).
        path: String,
    },
    /// A method.
    Method {
        /// Dotted wire path of its resource.
        resource: String,
        /// Wire name, e.g. `create`.
        name: String,
    },
    /// A method parameter.
    Parameter {
        /// Dotted wire path of the method's resource.
        resource: String,
        /// Wire name of the method.
        method: String,
        /// Wire name of the parameter, e.g. `pageSize`.
        name: String,
    },
    /// A named type (schema, promoted inline schema or enum).
    Type {
        /// Wire name: the schema id, or the JSON path of a promoted inline schema.
        name: String,
    },
    /// A struct field.
    Field {
        /// Wire name of the type.
        type_name: String,
        /// Wire name of the field, e.g. `createTime`.
        name: String,
    },
    /// An enum value.
    EnumValue {
        /// Wire name of the enum type.
        type_name: String,
        /// The value on the wire, e.g. `ROOM`.
        value: String,
    },
    /// A typed resource name (`names::MessageName`), from a path parameter pattern.
    ResourceName {
        /// The form, e.g. `spaces/{space}/messages/{message}`.
        template: String,
    },
}

impl ItemKey {
    /// The kind of item, as the listing spells it (`method`, `field`, ...).
    pub fn kind(&self) -> ItemKind {
        match self {
            ItemKey::Api { .. } => ItemKind::Api,
            ItemKey::Scope { .. } => ItemKind::Scope,
            ItemKey::StandardParameter { .. } => ItemKind::StandardParameter,
            ItemKey::Resource { .. } => ItemKind::Resource,
            ItemKey::Method { .. } => ItemKind::Method,
            ItemKey::Parameter { .. } => ItemKind::Parameter,
            ItemKey::Type { .. } => ItemKind::Type,
            ItemKey::Field { .. } => ItemKind::Field,
            ItemKey::EnumValue { .. } => ItemKind::EnumValue,
            ItemKey::ResourceName { .. } => ItemKind::ResourceName,
        }
    }

    /// The key of the item that contains this one (a method's resource, a field's type).
    pub fn parent(&self) -> Option<ItemKey> {
        match self {
            ItemKey::Resource { path } => {
                path.rsplit_once('.').map(|(parent, _)| ItemKey::Resource {
                    path: parent.to_owned(),
                })
            }
            ItemKey::Method { resource, .. } => Some(ItemKey::Resource {
                path: resource.clone(),
            }),
            ItemKey::Parameter {
                resource, method, ..
            } => Some(ItemKey::Method {
                resource: resource.clone(),
                name: method.clone(),
            }),
            ItemKey::Field { type_name, .. } | ItemKey::EnumValue { type_name, .. } => {
                Some(ItemKey::Type {
                    name: type_name.clone(),
                })
            }
            ItemKey::Api { .. } | ItemKey::Scope { .. } | ItemKey::StandardParameter { .. } => None,
            ItemKey::Type { .. } | ItemKey::ResourceName { .. } => None,
        }
    }

    /// The group a report lists this item under: its resource, its schema, or the API.
    pub fn group(&self) -> Group {
        match self {
            ItemKey::Api { .. }
            | ItemKey::Scope { .. }
            | ItemKey::StandardParameter { .. }
            | ItemKey::ResourceName { .. } => Group::Api,
            ItemKey::Resource { path } => Group::Resource(path.clone()),
            ItemKey::Method { resource, .. } | ItemKey::Parameter { resource, .. } => {
                Group::Resource(resource.clone())
            }
            ItemKey::Type { name } => Group::Schema(name.clone()),
            ItemKey::Field { type_name, .. } | ItemKey::EnumValue { type_name, .. } => {
                Group::Schema(type_name.clone())
            }
        }
    }

    /// Sections and path segments, so that sorting lists each resource's methods right
    /// after it, each method's parameters right after the method, and each type's fields
    /// or values right after the type.
    fn sort_key(&self) -> (u8, &str, &str, &str, u8) {
        match self {
            ItemKey::Api { id } => (0, id, "", "", 0),
            ItemKey::Scope { url } => (1, url, "", "", 0),
            ItemKey::StandardParameter { name } => (2, name, "", "", 0),
            ItemKey::Resource { path } => (3, path, "", "", 0),
            ItemKey::Method { resource, name } => (3, resource, name, "", 1),
            ItemKey::Parameter {
                resource,
                method,
                name,
            } => (3, resource, method, name, 2),
            ItemKey::Type { name } => (4, name, "", "", 0),
            ItemKey::Field { type_name, name } => (4, type_name, name, "", 1),
            ItemKey::EnumValue { type_name, value } => (4, type_name, value, "", 2),
            ItemKey::ResourceName { template } => (5, template, "", "", 0),
        }
    }
}

impl PartialOrd for ItemKey {
    fn partial_cmp(&self, other: &Self) -> Option<std::cmp::Ordering> {
        Some(self.cmp(other))
    }
}

impl Ord for ItemKey {
    fn cmp(&self, other: &Self) -> std::cmp::Ordering {
        self.sort_key().cmp(&other.sort_key())
    }
}

/// Joins a non-empty prefix and a name with a dot.
fn dotted(prefix: &str, name: &str) -> String {
    if prefix.is_empty() {
        name.to_owned()
    } else {
        format!("{prefix}.{name}")
    }
}

impl fmt::Display for ItemKey {
    /// The key as the listing shows it, e.g. `spaces.messages.list.pageSize` or
    /// `Message.createTime`, on one line: see [`one_line_text`].
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let key = match self {
            ItemKey::Api { id } => id.clone(),
            ItemKey::Scope { url } => url.clone(),
            ItemKey::StandardParameter { name } => name.clone(),
            ItemKey::Resource { path } if path.is_empty() => "(top level)".to_owned(),
            ItemKey::Resource { path } => path.clone(),
            ItemKey::Method { resource, name } => dotted(resource, name),
            ItemKey::Parameter {
                resource,
                method,
                name,
            } => format!("{}.{name}", dotted(resource, method)),
            ItemKey::Type { name } => name.clone(),
            ItemKey::Field { type_name, name } => format!("{type_name}.{name}"),
            ItemKey::EnumValue { type_name, value } => format!("{type_name}::{value}"),
            ItemKey::ResourceName { template } => template.clone(),
        };
        f.write_str(&one_line_text(&key))
    }
}

/// Text from a document as one line of a listing or report: a backslash, a control
/// character (line breaks included), a Unicode line or paragraph separator or a
/// bidirectional-text control is written as a Rust escape (`\\`, `\n`, `\u{2028}`).
/// A name or enum value holding a line break can then never forge a line of its own (a
/// fake item, a fake "0 breaking" summary) in `surface-*.txt` or a diff report.
pub fn one_line_text(text: &str) -> std::borrow::Cow<'_, str> {
    let needs_escape = |c: char| {
        c == '\\'
            || c.is_control()
            || matches!(c, '\u{2028}' | '\u{2029}' | '\u{202A}'..='\u{202E}' | '\u{2066}'..='\u{2069}')
    };
    if !text.contains(needs_escape) {
        return std::borrow::Cow::Borrowed(text);
    }
    let mut out = String::with_capacity(text.len() + 8);
    for c in text.chars() {
        match c {
            '\\' => out.push_str("\\\\"),
            '\n' => out.push_str("\\n"),
            '\r' => out.push_str("\\r"),
            '\t' => out.push_str("\\t"),
            c if needs_escape(c) => out.push_str(&format!("\\u{{{:x}}}", u32::from(c))),
            c => out.push(c),
        }
    }
    std::borrow::Cow::Owned(out)
}

/// The kind of an item.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum ItemKind {
    /// The API.
    Api,
    /// An OAuth 2.0 scope.
    Scope,
    /// A standard parameter.
    StandardParameter,
    /// A resource.
    Resource,
    /// A method.
    Method,
    /// A method parameter.
    Parameter,
    /// A named type.
    Type,
    /// A struct field.
    Field,
    /// An enum value.
    EnumValue,
    /// A typed resource name.
    ResourceName,
}

impl ItemKind {
    /// Every kind, in listing order.
    pub const ALL: [ItemKind; 10] = [
        ItemKind::Api,
        ItemKind::Scope,
        ItemKind::StandardParameter,
        ItemKind::Resource,
        ItemKind::Method,
        ItemKind::Parameter,
        ItemKind::Type,
        ItemKind::Field,
        ItemKind::EnumValue,
        ItemKind::ResourceName,
    ];

    /// The word the listing uses, e.g. `enum-value`.
    pub fn as_str(self) -> &'static str {
        match self {
            ItemKind::Api => "api",
            ItemKind::Scope => "scope",
            ItemKind::StandardParameter => "standard-param",
            ItemKind::Resource => "resource",
            ItemKind::Method => "method",
            ItemKind::Parameter => "param",
            ItemKind::Type => "type",
            ItemKind::Field => "field",
            ItemKind::EnumValue => "enum-value",
            ItemKind::ResourceName => "name",
        }
    }

    /// Plural noun for counts, e.g. `enum values`.
    pub fn plural(self) -> &'static str {
        match self {
            ItemKind::Api => "APIs",
            ItemKind::Scope => "scopes",
            ItemKind::StandardParameter => "standard parameters",
            ItemKind::Resource => "resources",
            ItemKind::Method => "methods",
            ItemKind::Parameter => "parameters",
            ItemKind::Type => "types",
            ItemKind::Field => "fields",
            ItemKind::EnumValue => "enum values",
            ItemKind::ResourceName => "resource names",
        }
    }

    /// Singular noun, e.g. `enum value`.
    pub fn singular(self) -> &'static str {
        match self {
            ItemKind::Api => "API",
            ItemKind::Scope => "scope",
            ItemKind::StandardParameter => "standard parameter",
            ItemKind::Resource => "resource",
            ItemKind::Method => "method",
            ItemKind::Parameter => "parameter",
            ItemKind::Type => "type",
            ItemKind::Field => "field",
            ItemKind::EnumValue => "enum value",
            ItemKind::ResourceName => "resource name",
        }
    }
}

impl fmt::Display for ItemKind {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// One item of a surface.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Item {
    /// Its identity.
    pub key: ItemKey,
    /// Whether it exists only in the preview document (shown as `[preview]`).
    pub preview_only: bool,
    /// Its attributes, in a fixed order per kind, each name at most once.
    pub attrs: Vec<Attr>,
    /// Its description, compared separately from the attributes.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub description: Option<String>,
}

impl Item {
    /// The kind of item.
    pub fn kind(&self) -> ItemKind {
        self.key.kind()
    }

    /// The attribute `name`, if the item has it.
    pub fn attr(&self, name: AttrName) -> Option<&AttrValue> {
        self.attrs.iter().find(|a| a.name == name).map(|a| &a.value)
    }

    /// The listing line (without newline).
    pub fn line(&self) -> String {
        let mut line = format!("{} {}", self.kind(), self.key);
        if self.preview_only {
            line.push_str(" [preview]");
        }
        let attrs = self.attrs_text();
        if !attrs.is_empty() {
            line.push_str("  ");
            line.push_str(&attrs);
        }
        line
    }

    /// The attributes as the listing shows them, space-separated.
    pub fn attrs_text(&self) -> String {
        let mut out = String::new();
        for attr in &self.attrs {
            let text = attr.to_string();
            if text.is_empty() {
                continue;
            }
            if !out.is_empty() {
                out.push(' ');
            }
            out.push_str(&text);
        }
        out
    }
}

/// A named attribute of an item.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Attr {
    /// Which attribute.
    pub name: AttrName,
    /// Its value.
    pub value: AttrValue,
}

impl fmt::Display for Attr {
    /// `name=value`, a bare `name` for a set flag, nothing for an unset flag or an empty
    /// list.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match &self.value {
            AttrValue::Flag(false) => Ok(()),
            AttrValue::Flag(true) => f.write_str(self.name.as_str()),
            AttrValue::List(items) if items.is_empty() => Ok(()),
            AttrValue::Text(text) if text.is_empty() => Ok(()),
            AttrValue::Type(ty) => write!(
                f,
                "{}={} wire={}",
                self.name.as_str(),
                one_line_text(&ty.rust),
                one_line_text(&ty.wire)
            ),
            value => write!(f, "{}={}", self.name.as_str(), value.display_for(self.name)),
        }
    }
}

/// Which attribute.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum AttrName {
    /// The Rust name (a snake_case accessor, method, parameter or field name, or an
    /// UpperCamelCase type or variant name).
    Rust,
    /// The UpperCamelCase handle type of a resource.
    Handle,
    /// The UpperCamelCase request builder of a method.
    Builder,
    /// The method id, e.g. `chat.spaces.messages.create`.
    Id,
    /// The HTTP method.
    Http,
    /// The path template.
    Path,
    /// Where a parameter goes (path or query).
    Location,
    /// The shape of a type: struct, enum or alias.
    Shape,
    /// The Rust type (of a parameter, field or alias), with its wire type.
    Type,
    /// Whether a parameter is required.
    Required,
    /// Whether a parameter repeats.
    Repeated,
    /// Methods a field is required for.
    RequiredFor,
    /// Whether a field is read-only.
    ReadOnly,
    /// The request body type of a method.
    Request,
    /// The response body type of a method.
    Response,
    /// OAuth 2.0 scopes of a method.
    Scopes,
    /// Media upload support of a method.
    Upload,
    /// Media download support of a method.
    Download,
    /// The item type of a list method's `.stream()` (or [`PAGES_ONLY`]).
    Pages,
    /// The resource name form a path parameter's values must have.
    Form,
    /// Whether the item is deprecated.
    Deprecated,
    /// The API's root URL.
    RootUrl,
    /// The API's service path.
    ServicePath,
    /// The API's batch path.
    BatchPath,
}

impl AttrName {
    /// The name as the listing spells it.
    pub fn as_str(self) -> &'static str {
        match self {
            AttrName::Rust => "rust",
            AttrName::Handle => "handle",
            AttrName::Builder => "builder",
            AttrName::Id => "id",
            AttrName::Http => "http",
            AttrName::Path => "path",
            AttrName::Location => "in",
            AttrName::Shape => "shape",
            AttrName::Type => "type",
            AttrName::Required => "required",
            AttrName::Repeated => "repeated",
            AttrName::RequiredFor => "required-for",
            AttrName::ReadOnly => "read-only",
            AttrName::Request => "request",
            AttrName::Response => "response",
            AttrName::Scopes => "scopes",
            AttrName::Upload => "upload",
            AttrName::Download => "download",
            AttrName::Form => "form",
            AttrName::Pages => "pages",
            AttrName::Deprecated => "deprecated",
            AttrName::RootUrl => "root-url",
            AttrName::ServicePath => "service-path",
            AttrName::BatchPath => "batch-path",
        }
    }
}

impl fmt::Display for AttrName {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// The prefix method lines drop from scope URLs to stay readable.
pub const SCOPE_PREFIX: &str = "https://www.googleapis.com/auth/";

/// The [`AttrName::Pages`] value of a method with `.pages()` but no `.stream()`.
pub const PAGES_ONLY: &str = "pages-only";

/// The value of an attribute.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(tag = "kind", content = "value", rename_all = "snake_case")]
pub enum AttrValue {
    /// A yes/no property.
    Flag(bool),
    /// A name, path or other text.
    Text(String),
    /// A set of names (scopes, method ids), sorted.
    List(Vec<String>),
    /// A type.
    Type(TypeText),
}

impl AttrValue {
    /// The value as the listing shows it for attribute `name`.
    pub fn display_for(&self, name: AttrName) -> String {
        match self {
            AttrValue::Flag(flag) => flag.to_string(),
            AttrValue::Text(text) => one_line_text(text).into_owned(),
            AttrValue::List(items) => {
                let mut out = String::new();
                for (i, item) in items.iter().enumerate() {
                    if i > 0 {
                        out.push(',');
                    }
                    let shown = match name {
                        AttrName::Scopes => item.strip_prefix(SCOPE_PREFIX).unwrap_or(item),
                        _ => item,
                    };
                    out.push_str(&one_line_text(shown));
                }
                out
            }
            AttrValue::Type(ty) => ty.to_string(),
        }
    }
}

impl fmt::Display for AttrValue {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.display_for(AttrName::Rust))
    }
}

/// A type as the generated Rust code spells it and as the wire carries it, e.g.
/// `Option<i64>` / `string(int64)`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct TypeText {
    /// The Rust type.
    pub rust: String,
    /// The JSON type and format, e.g. `string(google-datetime)`, `array<$ref:Message>`,
    /// `enum:Message.properties.matchedUrl`.
    pub wire: String,
}

impl TypeText {
    /// The wire type with formats dropped: two types with the same shape differ only in
    /// format.
    pub fn wire_shape(&self) -> String {
        let mut out = String::with_capacity(self.wire.len());
        let mut depth = 0usize;
        for c in self.wire.chars() {
            match c {
                '(' => depth += 1,
                ')' => depth = depth.saturating_sub(1),
                _ if depth == 0 => out.push(c),
                _ => {}
            }
        }
        out
    }
}

impl fmt::Display for TypeText {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "{} [{}]",
            one_line_text(&self.rust),
            one_line_text(&self.wire)
        )
    }
}
