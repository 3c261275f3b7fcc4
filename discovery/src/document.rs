//! The serde model of a Discovery REST description, exactly as Google serves it.
//!
//! Every key the generator relies on is typed; keys this model does not know are
//! ignored so that a new key in tomorrow's document never breaks loading. Maps are
//! `BTreeMap`s so that iteration order, and so everything generated from it, is
//! deterministic.

use std::collections::BTreeMap;
use std::path::Path;

use serde::{Deserialize, Serialize};

use crate::error::{Error, Result};

mod load;
mod validate;

pub use validate::path_template_vars;

/// The `kind` of every Discovery REST description.
pub const KIND: &str = "discovery#restDescription";

impl Document {
    /// Parses and validates a Discovery document.
    ///
    /// `origin` names where the bytes came from (a file name or a URL) and starts every
    /// error message. Parse errors name the JSON path of the offending item and the line
    /// and column; a document that parses is then checked (see the module
    /// `validate`): the right `kind`, every `$ref` resolving, path templates agreeing with
    /// path parameters, and so on. Keys this model does not know are ignored.
    ///
    /// # Errors
    ///
    /// [`Error::Parse`] when the bytes are not JSON, are truncated or have a value of the
    /// wrong type; [`Error::Invalid`] when the document breaks a rule the generator relies
    /// on.
    pub fn from_slice(bytes: &[u8], origin: &str) -> Result<Document> {
        let document = load::parse(bytes, origin)?;
        validate::validate(&document, origin)?;
        Ok(document)
    }

    /// Reads, parses and validates the Discovery document in the file at `path`.
    ///
    /// Errors name the file as given.
    ///
    /// # Errors
    ///
    /// [`Error::Io`] when the file cannot be read, otherwise as [`Document::from_slice`].
    pub fn from_file(path: &Path) -> Result<Document> {
        let origin = path.display().to_string();
        let bytes = std::fs::read(path).map_err(|source| Error::Io {
            origin: origin.clone(),
            source,
        })?;
        Document::from_slice(&bytes, &origin)
    }

    /// Every method of the document with its dotted key path (e.g.
    /// `resources.spaces.resources.messages.methods.create`), top-level methods first,
    /// then resources depth first in key order.
    pub fn methods_with_paths(&self) -> Vec<(String, &Method)> {
        let mut out = Vec::new();
        collect_methods(&self.methods, &self.resources, String::new(), &mut out);
        out
    }
}

/// Collects methods and nested resources' methods under the JSON path `prefix`.
fn collect_methods<'a>(
    methods: &'a BTreeMap<String, Method>,
    resources: &'a BTreeMap<String, Resource>,
    prefix: String,
    out: &mut Vec<(String, &'a Method)>,
) {
    for (name, method) in methods {
        out.push((format!("{prefix}methods.{name}"), method));
    }
    for (name, resource) in resources {
        collect_methods(
            &resource.methods,
            &resource.resources,
            format!("{prefix}resources.{name}."),
            out,
        );
    }
}

/// A whole Discovery document (`discovery#restDescription`).
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Document {
    /// Always `discovery#restDescription`.
    #[serde(default)]
    pub kind: String,
    /// The Discovery format version, `v1`.
    #[serde(default)]
    pub discovery_version: Option<String>,
    /// The API id, e.g. `chat:v1`.
    #[serde(default)]
    pub id: String,
    /// The API name, e.g. `chat`.
    #[serde(default)]
    pub name: String,
    /// The API version, e.g. `v1`.
    #[serde(default)]
    pub version: String,
    /// The revision of the document, e.g. `20260405`.
    #[serde(default)]
    pub revision: String,
    /// Human-readable title.
    #[serde(default)]
    pub title: Option<String>,
    /// Description of the API.
    #[serde(default)]
    pub description: Option<String>,
    /// Link to the API's documentation.
    #[serde(default)]
    pub documentation_link: Option<String>,
    /// Root URL of the service, e.g. `https://chat.googleapis.com/`.
    #[serde(default)]
    pub root_url: String,
    /// mTLS root URL.
    #[serde(default)]
    pub mtls_root_url: Option<String>,
    /// Path under the root URL that methods' paths are relative to.
    #[serde(default)]
    pub service_path: String,
    /// Deprecated base path.
    #[serde(default)]
    pub base_path: Option<String>,
    /// Deprecated base URL.
    #[serde(default)]
    pub base_url: Option<String>,
    /// Path of the batch endpoint.
    #[serde(default)]
    pub batch_path: Option<String>,
    /// Protocol, `rest`.
    #[serde(default)]
    pub protocol: Option<String>,
    /// Canonical name of the API.
    #[serde(default)]
    pub canonical_name: Option<String>,
    /// Owner domain.
    #[serde(default)]
    pub owner_domain: Option<String>,
    /// Owner name.
    #[serde(default)]
    pub owner_name: Option<String>,
    /// Whether reserved expansion (`{+name}`) must encode reserved characters.
    #[serde(default)]
    pub fully_encode_reserved_expansion: Option<bool>,
    /// Labels, e.g. `DEVELOPER_PREVIEW`.
    #[serde(default)]
    pub labels: Vec<String>,
    /// Authentication information (OAuth 2.0 scopes).
    #[serde(default)]
    pub auth: Option<Auth>,
    /// Parameters common to every method (`fields`, `quotaUser`, ...).
    #[serde(default)]
    pub parameters: BTreeMap<String, Parameter>,
    /// Schemas, keyed by id.
    #[serde(default)]
    pub schemas: BTreeMap<String, Schema>,
    /// Methods at the top level (rare; most APIs nest them in resources).
    #[serde(default)]
    pub methods: BTreeMap<String, Method>,
    /// Top-level resources.
    #[serde(default)]
    pub resources: BTreeMap<String, Resource>,
}

/// The `auth` section.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Auth {
    /// OAuth 2.0 information.
    #[serde(default)]
    pub oauth2: Option<OAuth2>,
}

/// OAuth 2.0 scopes of the API.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct OAuth2 {
    /// Scopes keyed by their URL.
    #[serde(default)]
    pub scopes: BTreeMap<String, ScopeInfo>,
}

/// One OAuth 2.0 scope.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct ScopeInfo {
    /// What the scope grants.
    #[serde(default)]
    pub description: Option<String>,
}

/// A resource: methods and nested resources.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Resource {
    /// Methods of this resource.
    #[serde(default)]
    pub methods: BTreeMap<String, Method>,
    /// Nested resources.
    #[serde(default)]
    pub resources: BTreeMap<String, Resource>,
    /// Whether the resource is deprecated.
    #[serde(default)]
    pub deprecated: bool,
}

/// One API method.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Method {
    /// Fully qualified id, e.g. `chat.spaces.messages.create`.
    #[serde(default)]
    pub id: String,
    /// URI template relative to `rootUrl + servicePath`, e.g. `v1/{+parent}/messages`.
    #[serde(default)]
    pub path: String,
    /// The same path with every path segment as a simple variable.
    #[serde(default)]
    pub flat_path: Option<String>,
    /// HTTP method, e.g. `POST`.
    #[serde(default)]
    pub http_method: String,
    /// Description of the method.
    #[serde(default)]
    pub description: Option<String>,
    /// Parameters keyed by wire name.
    #[serde(default)]
    pub parameters: BTreeMap<String, Parameter>,
    /// Order of the required parameters.
    #[serde(default)]
    pub parameter_order: Vec<String>,
    /// Request body schema. An empty object (`"request": {}`, seen in a few of Google's
    /// documents) names no schema and reads as `None`.
    #[serde(default, deserialize_with = "load::optional_schema_ref")]
    pub request: Option<SchemaRef>,
    /// Response body schema; an empty object reads as `None`, as for `request`.
    #[serde(default, deserialize_with = "load::optional_schema_ref")]
    pub response: Option<SchemaRef>,
    /// OAuth 2.0 scopes, any one of which is enough.
    #[serde(default)]
    pub scopes: Vec<String>,
    /// Whether media upload is supported.
    #[serde(default)]
    pub supports_media_upload: bool,
    /// Media upload parameters.
    #[serde(default)]
    pub media_upload: Option<MediaUpload>,
    /// Whether `alt=media` download is supported.
    #[serde(default)]
    pub supports_media_download: bool,
    /// Whether downloads go through the `/download` service path.
    #[serde(default)]
    pub use_media_download_service: bool,
    /// Whether the method supports subscriptions (watch).
    #[serde(default)]
    pub supports_subscription: bool,
    /// Whether the method is deprecated.
    #[serde(default)]
    pub deprecated: bool,
    /// API version override for this method.
    #[serde(default)]
    pub api_version: Option<String>,
}

/// A reference to a schema in a method's `request` or `response`.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct SchemaRef {
    /// Id of the referenced schema.
    #[serde(rename = "$ref")]
    pub reference: String,
    /// Name of the body parameter (legacy documents).
    #[serde(
        rename = "parameterName",
        default,
        skip_serializing_if = "Option::is_none"
    )]
    pub parameter_name: Option<String>,
}

/// Media upload parameters of a method.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct MediaUpload {
    /// Accepted MIME ranges, e.g. `*/*`.
    #[serde(default)]
    pub accept: Vec<String>,
    /// Maximum size, as a string with an optional unit (`209715200`, `5120GB`).
    #[serde(default)]
    pub max_size: Option<String>,
    /// Supported upload protocols.
    #[serde(default)]
    pub protocols: MediaUploadProtocols,
}

/// Upload protocols of a method.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct MediaUploadProtocols {
    /// Simple (and multipart) upload.
    #[serde(default)]
    pub simple: Option<MediaUploadProtocol>,
    /// Resumable upload.
    #[serde(default)]
    pub resumable: Option<MediaUploadProtocol>,
}

/// One upload protocol.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct MediaUploadProtocol {
    /// Whether metadata may be sent along with the media (multipart).
    #[serde(default)]
    pub multipart: bool,
    /// Absolute path template of the upload endpoint, e.g. `/upload/v1/{+parent}/attachments:upload`.
    #[serde(default)]
    pub path: String,
}

/// A method or global parameter.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Parameter {
    /// JSON type: `string`, `integer`, `number`, `boolean`.
    #[serde(rename = "type", default)]
    pub type_: Option<String>,
    /// Format refining the type: `int64`, `google-datetime`, ...
    #[serde(default)]
    pub format: Option<String>,
    /// Where the parameter goes: `path` or `query`.
    #[serde(default)]
    pub location: String,
    /// Whether the parameter is required.
    #[serde(default)]
    pub required: bool,
    /// Whether the parameter may repeat.
    #[serde(default)]
    pub repeated: bool,
    /// Description.
    #[serde(default)]
    pub description: Option<String>,
    /// Regular expression values must match.
    #[serde(default)]
    pub pattern: Option<String>,
    /// Allowed values.
    #[serde(rename = "enum", default)]
    pub enum_: Vec<String>,
    /// Descriptions of the allowed values, index for index.
    #[serde(default)]
    pub enum_descriptions: Vec<String>,
    /// Deprecation flags of the allowed values, index for index.
    #[serde(default)]
    pub enum_deprecated: Vec<bool>,
    /// Default value.
    #[serde(default)]
    pub default: Option<String>,
    /// Minimum value (as a string).
    #[serde(default)]
    pub minimum: Option<String>,
    /// Maximum value (as a string).
    #[serde(default)]
    pub maximum: Option<String>,
    /// Whether the parameter is deprecated.
    #[serde(default)]
    pub deprecated: bool,
}

/// A JSON schema, as used in `schemas`, `properties`, `items` and `additionalProperties`.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Schema {
    /// Id of a top-level schema.
    #[serde(default)]
    pub id: Option<String>,
    /// Reference to another schema by id.
    #[serde(rename = "$ref", default)]
    pub reference: Option<String>,
    /// JSON type: `object`, `array`, `string`, `integer`, `number`, `boolean`, `any`.
    #[serde(rename = "type", default)]
    pub type_: Option<String>,
    /// Format refining the type.
    #[serde(default)]
    pub format: Option<String>,
    /// Description.
    #[serde(default)]
    pub description: Option<String>,
    /// Properties of an object.
    #[serde(default)]
    pub properties: BTreeMap<String, Schema>,
    /// Item schema of an array.
    #[serde(default)]
    pub items: Option<Box<Schema>>,
    /// Value schema of a map-like object.
    #[serde(default)]
    pub additional_properties: Option<Box<Schema>>,
    /// Allowed values.
    #[serde(rename = "enum", default)]
    pub enum_: Vec<String>,
    /// Descriptions of the allowed values, index for index.
    #[serde(default)]
    pub enum_descriptions: Vec<String>,
    /// Deprecation flags of the allowed values, index for index.
    #[serde(default)]
    pub enum_deprecated: Vec<bool>,
    /// Whether the server sets this field and ignores it in requests.
    #[serde(default)]
    pub read_only: bool,
    /// Whether the field is deprecated.
    #[serde(default)]
    pub deprecated: bool,
    /// Annotations (methods for which a property is required).
    #[serde(default)]
    pub annotations: Option<Annotations>,
    /// Default value.
    #[serde(default)]
    pub default: Option<String>,
    /// Regular expression values must match.
    #[serde(default)]
    pub pattern: Option<String>,
    /// Minimum value (as a string).
    #[serde(default)]
    pub minimum: Option<String>,
    /// Maximum value (as a string).
    #[serde(default)]
    pub maximum: Option<String>,
}

/// Schema annotations.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Annotations {
    /// Method ids for which the property is required.
    #[serde(default)]
    pub required: Vec<String>,
}

/// Orders two revisions (strings of digits, as validation requires) as numbers:
/// `"0" < "9" < "20261107"`, where comparing the text would put `"9"` last.
///
/// ```
/// use std::cmp::Ordering;
/// assert_eq!(discovery::revision_order("9", "20261107"), Ordering::Less);
/// assert_eq!(discovery::revision_order("020261107", "20261107"), Ordering::Equal);
/// ```
pub fn revision_order(a: &str, b: &str) -> std::cmp::Ordering {
    let a = a.trim_start_matches('0');
    let b = b.trim_start_matches('0');
    a.len().cmp(&b.len()).then_with(|| a.cmp(b))
}
