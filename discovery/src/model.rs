//! The normalized API: resources, methods, parameters and types with their final Rust
//! names, every item tagged with its [`Availability`] (stable, or preview-only).
//!
//! Naming decisions (snake_case, keywords, collisions, prelude clashes, enum variants)
//! are made here, once, so that code generation and surface listings never re-derive
//! them. Every list is in a deterministic order.
//!
//! Build one with [`Model::build`].

use crate::document::Document;
use crate::error::Result;

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
}

/// An OAuth 2.0 scope.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Scope {
    /// The scope URL.
    pub url: String,
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
    /// Pagination, when this is a list method (a `pageToken` query parameter, and a
    /// response with `nextPageToken` and exactly one array field).
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

/// Pagination details of a list method.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Pagination {
    /// snake_case name of the builder's page token setter field (`page_token`).
    pub page_token_param: String,
    /// snake_case name of the response's next page token field (`next_page_token`).
    pub next_page_token_field: String,
    /// snake_case name of the response's array field holding the items.
    pub items_field: String,
    /// Type of one item.
    pub item_type: TypeRef,
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
    /// UpperCamelCase Rust name; never a prelude name.
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
    /// Its type (always wrapped in `Option` in the generated struct).
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
    /// [`Availability::StableOnly`].
    pub fn build(stable: &Document, preview: Option<&Document>) -> Result<Model> {
        let _ = (stable, preview);
        unimplemented!("issue 3: the normalized model")
    }
}
