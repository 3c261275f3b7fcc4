//! The normalized API: resources, methods, parameters and types with their final Rust
//! names, every item tagged with its [`Availability`] (stable, or preview-only).
//!
//! Naming decisions (snake_case, keywords, collisions, prelude clashes, enum variants)
//! are made here, once, so that code generation and surface listings never re-derive
//! them. Every list is in a deterministic order.
//!
//! Build one with [`Model::build`].
//!
//! # Naming rules
//!
//! Every `rust_name` (and `type_name`, `builder_name`, `module_path` element) is final
//! identifier text: emit it as is, never as a raw identifier.
//!
//! - **Words.** A wire name is split into words at case changes and at every character
//!   that is not an ASCII letter or digit; `@ * + # % & = < >` become the words `at star
//!   plus hash percent and eq lt gt` (`@type` -> `at_type` / `AtType`), every other such
//!   character (`$ . - _ /` space, non-ASCII) is only a break (`$.xgafv` -> `xgafv`).
//!   Words are joined with [`heck`]: snake_case for fields, parameters, methods, resource
//!   accessors and modules; UpperCamelCase for types and enum variants.
//! - **Empty and digits.** A name with no words is `unnamed` / `Unnamed` (an empty enum
//!   value is `Empty`); a name starting with a digit gets the prefix `v` / `V` (`1` ->
//!   `V1`, `3d` -> `v3d`).
//! - **Keywords.** A snake_case name that is a Rust keyword (strict, reserved, 2018+ and
//!   2024 `gen`; see [`naming::KEYWORDS`]) gets the suffix `_`: `type_`, `ref_`, `self_`,
//!   `crate_`, `move_`, `gen_`. No raw identifiers are ever used.
//! - **Types.** A type name that would be a prelude/std/serde name or one of the runtime's
//!   (`Option`, `String`, `Error`, `Client`, `Value`, `Duration`, `Self`...; see
//!   [`naming::RESERVED_TYPE_NAMES`]) gets the suffix `Schema`: `OptionSchema`. Schemas are
//!   named from their id. An inline object schema or a string enum of a property is named
//!   parent type's final Rust name + property name (`Message` + `matchedUrl` ->
//!   `MessageMatchedUrl`; array items and map values of a property take the property's
//!   name too); the items of a top-level array schema `{Schema}Item`, the values of a
//!   top-level map schema `{Schema}Value`. A method parameter's enum is the method's
//!   builder name without `Request` + parameter name (`SpacesMessagesList` + `view`).
//!   Types are named level by level (schemas first, then what they promote, then
//!   parameter enums), so a schema's name never depends on an inline type. Standard
//!   (global) parameters keep their enums as `String`: the runtime's `StandardParams`
//!   owns them.
//! - **Enum variants.** UpperCamelCase of the value (`TYPE_UNSPECIFIED` ->
//!   `TypeUnspecified`, `application/json` -> `ApplicationJson`, `*` -> `Star`). `Unknown`
//!   is reserved for the catch-all variant codegen adds: a value named so (or `Self`) gets
//!   the suffix `Value` (`UNKNOWN` -> `UnknownValue`). Values keep document order
//!   (stable first, then preview-only ones); duplicate values are dropped.
//! - **Resources and methods.** Resource accessors and methods of one handle share one
//!   scope (a method `messages` next to a resource `messages` is renamed, the resource
//!   keeps its name); accessors of top-level resources and top-level methods share the
//!   `Client` scope. Handle types are `{CamelPath}Resource` (`SpacesMessagesResource`)
//!   and builders `{CamelPath}{Method}Request` (`SpacesMessagesCreateRequest`), unique
//!   crate-wide in one scope that also excludes the reserved type names. Module paths are
//!   the accessor names from the top. Top-level methods sit in a resource with empty
//!   wire name, rust name and module path, whose type name is `RootResource`.
//! - **Reserved member names.** A top-level accessor/method may not be a `Client` method
//!   name (`builder`, `clone`, `execute*`, `new`), a handle member may not be `clone`, and
//!   a parameter may not be a builder member (`body`, `client`, `standard`, `send`,
//!   `upload`, `download`, `pages`, `stream`, `into_request`, `new`, `clone`, and the
//!   `WithStandardParams` / `Pageable` methods `fields`, `quota_user`, `pretty_print`,
//!   `standard_params_mut`, `set_page_token`, `fetch_page`, `next_page_token`,
//!   `page_items`): such a name gets the suffix `_resource`, `_method` or `_param`, so
//!   the model's names are final and code generation never renames anything.
//! - **Collisions.** Within one scope (fields of a struct, parameters of a method,
//!   variants of an enum, members of a handle, all types, all handle/builder types),
//!   candidates are ranked by (preview-only, kind, wire name differs from its base name,
//!   wire name).
//!   In rank order every candidate whose base name is free takes it; the rest then take
//!   base + the smallest free number from 2: `foo_bar_2`, `type_2`, `FooBar2`, `V1_2` (`_`
//!   before the number for snake_case bases and bases ending in a digit). So `foo_bar`
//!   keeps `foo_bar` and `fooBar` becomes `foo_bar_2`.
//! - **Preview.** Names are decided over the union of the stable and preview documents,
//!   so one model serves both feature settings and turning the feature on renames
//!   nothing. Preview-only items rank after all others in every scope (and preview-only
//!   types are named after all stable ones), so a stable item has the same name whether
//!   or not a preview document was merged.
//! - **Shapes.** An object schema with properties is a struct (`additionalProperties`
//!   next to properties is ignored); with only `additionalProperties` a map; with
//!   neither a struct without fields when it is a named schema, and [`TypeRef::Any`]
//!   inline.
//!
//! # Types
//!
//! While the model is built, [`TypeRef::Named`] holds a type's key; in the finished model
//! it holds the Rust name of a [`TypeDef`] in [`Model::types`]. [`Field::boxed`] is set on
//! exactly the struct fields whose direct (not inside `Vec`/`BTreeMap`) target lies in
//! the struct's own strongly connected component.

mod build;
mod merge;
mod names;
pub mod naming;
mod recursion;
pub mod reserved;
mod resources;
mod types;

use discovery::document::Document;
use discovery::error::{Error, Result};

/// Whether an item exists in the stable document, the preview document, or both.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Default)]
pub enum Availability {
    /// In the stable document (and in the preview one, when there is one).
    #[default]
    Stable,
    /// Only in the DEVELOPER_PREVIEW document: generated behind the
    /// `developer-preview` feature.
    PreviewOnly,
    /// In the stable document but dropped from the preview one: generated behind
    /// `not(feature = "developer-preview")` so that the feature gives exactly the preview
    /// surface.
    StableOnly,
}

/// The whole normalized API.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Model {
    /// The API id, e.g. `chat:v1`.
    pub id: String,
    /// The API name, e.g. `chat`.
    pub name: String,
    /// The API version, e.g. `v1`.
    pub version: String,
    /// Revision of the stable document.
    pub revision: String,
    /// Revision of the preview document, when one was merged.
    pub preview_revision: Option<String>,
    /// Human-readable title.
    pub title: Option<String>,
    /// Description of the API.
    pub description: Option<String>,
    /// Link to the API's documentation.
    pub documentation_link: Option<String>,
    /// Root URL, e.g. `https://chat.googleapis.com/`.
    pub root_url: String,
    /// Service path under the root URL.
    pub service_path: String,
    /// The mTLS root URL (`mtlsRootUrl`), if the document has one.
    pub mtls_root_url: Option<String>,
    /// Batch path.
    pub batch_path: Option<String>,
    /// OAuth 2.0 scopes, sorted by URL.
    pub scopes: Vec<Scope>,
    /// Parameters every method accepts (`fields`, `quotaUser`, ...), sorted by wire name.
    pub standard_parameters: Vec<Parameter>,
    /// Top-level resources, sorted by wire name. Top-level methods, if a document has any,
    /// sit in a resource with an empty wire name.
    pub resources: Vec<Resource>,
    /// Every named type (schemas, inline object schemas promoted to named types, enums
    /// of schema properties and of parameters), sorted by Rust name.
    pub types: Vec<TypeDef>,
    /// Typed resource names from the path parameters' patterns, sorted by Rust name.
    pub resource_names: Vec<ResourceName>,
}

/// An OAuth 2.0 scope.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Scope {
    /// The scope URL.
    pub url: String,
    /// The name of its constant in the generated `scopes` module:
    /// `https://www.googleapis.com/auth/chat.bot` -> `CHAT_BOT` (see
    /// [`naming::scope_const`]).
    pub rust_name: String,
    /// What it grants.
    pub description: Option<String>,
    /// Stable or preview-only.
    pub availability: Availability,
}

/// A resource and what it nests.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Resource {
    /// Wire name, e.g. `messages`.
    pub wire_name: String,
    /// Wire names from the top, e.g. `["spaces", "messages"]`.
    pub wire_path: Vec<String>,
    /// snake_case accessor name, e.g. `messages` (`client.spaces().messages()`).
    pub rust_name: String,
    /// UpperCamelCase name of the resource handle type, e.g. `SpacesMessagesResource`.
    pub type_name: String,
    /// snake_case module path from the top, e.g. `["spaces", "messages"]`.
    pub module_path: Vec<String>,
    /// Description, when the document has one.
    pub description: Option<String>,
    /// Whether the resource is deprecated.
    pub deprecated: bool,
    /// Stable or preview-only.
    pub availability: Availability,
    /// Methods, sorted by wire name.
    pub methods: Vec<Method>,
    /// Nested resources, sorted by wire name.
    pub resources: Vec<Resource>,
}

/// One method.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Method {
    /// Fully qualified id, e.g. `chat.spaces.messages.create`.
    pub id: String,
    /// Wire name, e.g. `create`.
    pub wire_name: String,
    /// snake_case name of the handle's method, e.g. `create`.
    pub rust_name: String,
    /// UpperCamelCase name of the request builder, e.g. `SpacesMessagesCreateRequest`.
    pub builder_name: String,
    /// Description, when the document has one.
    pub description: Option<String>,
    /// HTTP method, upper case.
    pub http_method: String,
    /// Path template relative to root URL + service path, e.g. `v1/{+parent}/messages`.
    pub path: String,
    /// The flat path, when the document has one.
    pub flat_path: Option<String>,
    /// Parameters: the required ones first in `parameterOrder`, then the rest sorted by
    /// wire name.
    pub parameters: Vec<Parameter>,
    /// The request body type.
    pub request: Option<TypeRef>,
    /// The response body type (`None` when the document names none).
    pub response: Option<TypeRef>,
    /// OAuth 2.0 scopes, any one of which is enough, sorted.
    pub scopes: Vec<String>,
    /// Whether the method is deprecated.
    pub deprecated: bool,
    /// Media upload, when the method supports it.
    pub media_upload: Option<MediaUpload>,
    /// Whether `alt=media` download is supported.
    pub supports_media_download: bool,
    /// Whether downloads go through the `/download/` service path.
    pub use_media_download_service: bool,
    /// Pagination, when this is a list method (a `pageToken` query parameter and a
    /// response with a `nextPageToken` field).
    pub pagination: Option<Pagination>,
    /// Stable or preview-only.
    pub availability: Availability,
}

/// Media upload details of a method.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct MediaUpload {
    /// Accepted MIME ranges.
    pub accept: Vec<String>,
    /// Maximum size in bytes, when the document gives one.
    pub max_size: Option<u64>,
    /// Absolute path template of the simple/multipart upload endpoint.
    pub simple_path: Option<String>,
    /// Whether the simple endpoint accepts multipart (metadata + media).
    pub simple_multipart: bool,
    /// Absolute path template of the resumable upload endpoint.
    pub resumable_path: Option<String>,
}

/// Pagination details of a list method: every method with a `pageToken` query parameter
/// whose response has a `nextPageToken` field is paged (`.pages()`).
///
/// Page tokens are opaque strings: a token declared `format: byte` is kept as a `String`
/// (parameter and response field), since decoding it would only have to encode it again.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Pagination {
    /// snake_case name of the builder's page token setter field (`page_token`).
    pub page_token_param: String,
    /// snake_case name of the response's next page token field (`next_page_token`).
    pub next_page_token_field: String,
    /// The items `.stream()` yields, chosen by this rule: the response's only array
    /// field; or, when it has several, the one named like the method's resource
    /// (`spaces.search` -> `spaces`, `spaces.messages.list` -> `messages`); otherwise
    /// `None`, and the method has `.pages()` only.
    pub items: Option<PageItems>,
}

/// The array field of a page that `.stream()` yields.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct PageItems {
    /// snake_case name of the response's array field holding the items.
    pub field: String,
    /// Type of one item.
    pub item_type: TypeRef,
}

/// A typed resource name, derived from the `pattern` of path parameters such as
/// `^spaces/[^/]+/messages/[^/]+$`.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct ResourceName {
    /// UpperCamelCase type name, e.g. `MessageName`.
    pub rust_name: String,
    /// The pattern it comes from, as in the document.
    pub pattern: String,
    /// The form of the name, e.g. `spaces/{space}/messages/{message}`: literal segments
    /// and one `{variable}` per `[^/]+` segment.
    pub template: String,
    /// The variable segments in order, as snake_case names (`space`, `message`).
    pub variables: Vec<String>,
    /// Stable or preview-only (stable when any stable method uses it).
    pub availability: Availability,
}

/// Where a parameter goes.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Default)]
pub enum ParamLocation {
    /// In the path template.
    #[default]
    Path,
    /// In the query string.
    Query,
}

/// A method or standard parameter.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Parameter {
    /// Wire name, e.g. `pageSize`.
    pub wire_name: String,
    /// snake_case Rust name, e.g. `page_size`.
    pub rust_name: String,
    /// Path or query.
    pub location: ParamLocation,
    /// Whether it is required (a constructor argument of the builder).
    pub required: bool,
    /// Whether it may repeat (`ty` is then the element type, and the setter takes many).
    pub repeated: bool,
    /// Type of one value.
    pub ty: TypeRef,
    /// Description.
    pub description: Option<String>,
    /// Regular expression values must match.
    pub pattern: Option<String>,
    /// The form values must have (`spaces/{space}`), when `pattern` is a resource name
    /// pattern (see [`ResourceName`]).
    pub name_template: Option<String>,
    /// The Rust name of the [`ResourceName`] type of that form (`SpaceName`).
    pub name_type: Option<String>,
    /// Default value.
    pub default: Option<String>,
    /// Whether it is deprecated.
    pub deprecated: bool,
    /// Stable or preview-only.
    pub availability: Availability,
}

/// A Rust type as a field, parameter or body refers to it.
#[derive(Debug, Clone, Default, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum TypeRef {
    /// `String`.
    #[default]
    String,
    /// `bool`.
    Bool,
    /// `i32` (`integer`/`int32`).
    I32,
    /// `u32` (`integer`/`uint32`).
    U32,
    /// `i64`, a JSON string on the wire (`int64`).
    I64,
    /// `u64`, a JSON string on the wire (`uint64`).
    U64,
    /// `f32` (`number`/`float`).
    F32,
    /// `f64` (`number`/`double`).
    F64,
    /// Bytes, base64 on the wire (`byte`).
    Bytes,
    /// A timestamp, RFC 3339 on the wire (`google-datetime`, `date-time`).
    DateTime,
    /// A calendar date, `YYYY-MM-DD` on the wire (`date`).
    Date,
    /// A duration, `"3.5s"` on the wire (`google-duration`).
    Duration,
    /// A field mask, comma-separated paths on the wire (`google-fieldmask`).
    FieldMask,
    /// Any JSON value (`any`, or an object with neither properties nor a value schema).
    Any,
    /// A named type from [`Model::types`], by Rust name.
    Named(String),
    /// `Vec<T>`.
    Array(Box<TypeRef>),
    /// `BTreeMap<String, T>` (`additionalProperties`).
    Map(Box<TypeRef>),
}

/// A named type.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct TypeDef {
    /// Where it comes from: the schema id, or for a promoted inline schema or enum the
    /// JSON path that defines it (e.g. `Message.properties.matchedUrl`).
    pub wire_name: String,
    /// UpperCamelCase Rust name; never a prelude name. A type of a module of its own
    /// (see [`TypeDef::module`]) has it in front: `cards::Card`. This path is what
    /// [`TypeRef::Named`] holds.
    pub rust_name: String,
    /// Description.
    pub description: Option<String>,
    /// Whether it is deprecated.
    pub deprecated: bool,
    /// Stable or preview-only.
    pub availability: Availability,
    /// What kind of type it is.
    pub kind: TypeKind,
}

impl TypeDef {
    /// The module the type is generated in besides `models`, if any (`cards` for Chat's
    /// `GoogleAppsCardV1*` schemas, see [`type_modules`]).
    pub fn module(&self) -> Option<&str> {
        self.rust_name.rsplit_once("::").map(|(module, _)| module)
    }

    /// The type's own name, without its module (`Card` of `cards::Card`).
    pub fn name(&self) -> &str {
        self.rust_name
            .rsplit_once("::")
            .map_or(self.rust_name.as_str(), |(_, name)| name)
    }
}

/// A module of its own for a family of schemas: the schemas whose id starts with
/// `prefix` (and what they promote) are generated in `module` under their id without
/// the prefix, together with the schemas named in `also`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct TypeModule {
    /// The module, e.g. `cards`.
    pub module: &'static str,
    /// The common prefix of the schema ids, e.g. `GoogleAppsCardV1`.
    pub prefix: &'static str,
    /// Schemas without the prefix that belong there too, e.g. `CardWithId`.
    pub also: &'static [&'static str],
}

/// The type modules of the API `id` (`name:version`). Chat's card schemas, all named
/// `GoogleAppsCardV1*` because Google shares them with Workspace add-ons, are what a
/// Chat app writes most: in `cards` they read `cards::Card`, `cards::Section`, and
/// rustdoc and compiler errors show those names (aliases would show the long ones).
/// Names within a module are unique within it (`models::Card`, the legacy card, stays).
pub fn type_modules(id: &str) -> &'static [TypeModule] {
    match id {
        "chat:v1" => &[TypeModule {
            module: "cards",
            prefix: "GoogleAppsCardV1",
            also: &["CardWithId"],
        }],
        _ => &[],
    }
}

/// The shape of a named type.
#[derive(Debug, Clone, PartialEq)]
pub enum TypeKind {
    /// A struct with optional fields, sorted by wire name.
    Struct(Vec<Field>),
    /// A string enum keeping unknown values.
    Enum(Vec<EnumValue>),
    /// A schema that is not an object (an array, a string, ...): a type alias.
    Alias(TypeRef),
}

impl Default for TypeKind {
    fn default() -> Self {
        TypeKind::Struct(Vec::new())
    }
}

/// A struct field.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Field {
    /// Wire name, e.g. `createTime`.
    pub wire_name: String,
    /// snake_case Rust name, keywords escaped, collisions disambiguated.
    pub rust_name: String,
    /// Its type (a list is a `Vec` and a map a `BTreeMap` in the generated struct, empty
    /// when absent; anything else is wrapped in `Option`).
    pub ty: TypeRef,
    /// Whether the value must be boxed to break a recursive cycle.
    pub boxed: bool,
    /// Description.
    pub description: Option<String>,
    /// Whether the server sets it and ignores it in requests.
    pub read_only: bool,
    /// Whether it is deprecated.
    pub deprecated: bool,
    /// Method ids for which it is required (`annotations.required`).
    pub required_for: Vec<String>,
    /// Stable or preview-only.
    pub availability: Availability,
}

/// One enum value.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct EnumValue {
    /// The value on the wire, e.g. `TYPE_UNSPECIFIED` or `@type`.
    pub wire_value: String,
    /// UpperCamelCase variant name, e.g. `TypeUnspecified`.
    pub rust_name: String,
    /// Description.
    pub description: Option<String>,
    /// Whether it is deprecated (`enumDeprecated`).
    pub deprecated: bool,
    /// Stable or preview-only.
    pub availability: Availability,
}

impl Model {
    /// Normalizes a stable document, merged with its preview document when given.
    ///
    /// Items present in both are [`Availability::Stable`]; items only in the preview are
    /// [`Availability::PreviewOnly`]; items only in the stable one are
    /// [`Availability::StableOnly`]. An item in both keeps its stable definition.
    ///
    /// # Errors
    ///
    /// [`Error::Invalid`] when the documents are for different APIs, or a `$ref` names no
    /// schema, or a schema, parameter or upload size cannot be mapped to a Rust type, or a
    /// type alias refers to itself.
    pub fn build(stable: &Document, preview: Option<&Document>) -> Result<Model> {
        let origin = match preview {
            Some(p) => format!(
                "{} revision {} merged with preview revision {}",
                stable.id, stable.revision, p.revision
            ),
            None => format!("{} revision {}", stable.id, stable.revision),
        };
        if let Some(p) = preview
            && p.id != stable.id
        {
            return Err(Error::Invalid {
                origin,
                path: "id".to_owned(),
                message: format!(
                    "the preview document is for `{}`, the stable one for `{}`",
                    p.id, stable.id
                ),
            });
        }
        let merged = merge::merge(stable, preview);
        let mut model = build::build_merged(&merged, &origin)?;
        model.preview_revision = preview.map(|p| p.revision.clone());
        Ok(model)
    }

    /// Items present in both documents whose definitions disagree in shape (type, format,
    /// `$ref`, enum-ness, path, HTTP method, bodies, parameter location/required/repeated),
    /// as `JSON path: what differs`, sorted. [`Model::build`] keeps the stable definition
    /// of such items; callers may warn about them.
    pub fn merge_conflicts(stable: &Document, preview: &Document) -> Vec<String> {
        let mut conflicts = merge::merge(stable, Some(preview)).conflicts;
        conflicts.sort();
        conflicts
    }
}
