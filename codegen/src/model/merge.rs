//! Merging a stable document with its preview document into one union document, with the
//! [`Availability`] of every item that is not in both.
//!
//! Items in both keep the STABLE definition; where the two definitions of such an item
//! disagree in shape (type, format, `$ref`, path, HTTP method, bodies, location), the
//! disagreement is listed in [`Merged::conflicts`] so that tests can prove there is none.

use std::collections::{BTreeMap, BTreeSet};

use super::Availability;
use discovery::document::{Document, Method, Parameter, Resource, Schema};

/// Availability of the items that are not in both documents, keyed by JSON path
/// (`schemas.Message.properties.text`, `resources.spaces.methods.list.parameters.view`,
/// `...enum.VALUE`, `auth.oauth2.scopes.URL`, `parameters.alt`).
#[derive(Debug, Default, Clone)]
pub struct Marks(BTreeMap<String, Availability>);

impl Marks {
    /// The availability of the item at `path` inside an item that has `inherited`: an item
    /// inside a preview-only (or stable-only) item is that too.
    pub fn of(&self, inherited: Availability, path: &str) -> Availability {
        if inherited != Availability::Stable {
            return inherited;
        }
        self.0.get(path).copied().unwrap_or(Availability::Stable)
    }

    fn set(&mut self, path: String, availability: Availability) {
        self.0.insert(path, availability);
    }
}

/// The union document and what the merge found.
#[derive(Debug, Clone)]
pub struct Merged {
    /// The stable document plus everything only the preview one has.
    pub doc: Document,
    /// Items that are not in both.
    pub marks: Marks,
    /// Items in both whose definitions disagree (the stable one was kept), by JSON path.
    pub conflicts: Vec<String>,
}

#[derive(Default)]
struct Ctx {
    marks: Marks,
    conflicts: Vec<String>,
}

/// Merges `stable` with `preview` (when given).
pub fn merge(stable: &Document, preview: Option<&Document>) -> Merged {
    let Some(preview) = preview else {
        return Merged {
            doc: stable.clone(),
            marks: Marks::default(),
            conflicts: Vec::new(),
        };
    };
    let mut ctx = Ctx::default();
    let mut doc = stable.clone();
    doc.parameters = merge_map(
        &stable.parameters,
        &preview.parameters,
        "parameters",
        &mut ctx,
        merge_parameter,
    );
    doc.schemas = merge_map(
        &stable.schemas,
        &preview.schemas,
        "schemas",
        &mut ctx,
        merge_schema,
    );
    doc.methods = merge_map(
        &stable.methods,
        &preview.methods,
        "methods",
        &mut ctx,
        merge_method,
    );
    doc.resources = merge_map(
        &stable.resources,
        &preview.resources,
        "resources",
        &mut ctx,
        merge_resource,
    );
    let stable_scopes = scopes(stable);
    let preview_scopes = scopes(preview);
    if let Some(preview_oauth) = preview.auth.as_ref().and_then(|a| a.oauth2.as_ref()) {
        let auth = doc.auth.get_or_insert_with(Default::default);
        let oauth = auth.oauth2.get_or_insert_with(Default::default);
        for (url, info) in &preview_oauth.scopes {
            if !stable_scopes.contains(url.as_str()) {
                oauth.scopes.insert(url.clone(), info.clone());
                ctx.marks.set(
                    format!("auth.oauth2.scopes.{url}"),
                    Availability::PreviewOnly,
                );
            }
        }
    }
    for url in stable_scopes.difference(&preview_scopes) {
        ctx.marks.set(
            format!("auth.oauth2.scopes.{url}"),
            Availability::StableOnly,
        );
    }
    Merged {
        doc,
        marks: ctx.marks,
        conflicts: ctx.conflicts,
    }
}

fn scopes(doc: &Document) -> BTreeSet<&str> {
    doc.auth
        .iter()
        .filter_map(|a| a.oauth2.as_ref())
        .flat_map(|o| o.scopes.keys().map(String::as_str))
        .collect()
}

fn merge_map<T: Clone>(
    stable: &BTreeMap<String, T>,
    preview: &BTreeMap<String, T>,
    prefix: &str,
    ctx: &mut Ctx,
    merge_one: fn(&T, &T, &str, &mut Ctx) -> T,
) -> BTreeMap<String, T> {
    let mut out = BTreeMap::new();
    for (key, s) in stable {
        let path = format!("{prefix}.{key}");
        match preview.get(key) {
            Some(p) => {
                out.insert(key.clone(), merge_one(s, p, &path, ctx));
            }
            None => {
                ctx.marks.set(path, Availability::StableOnly);
                out.insert(key.clone(), s.clone());
            }
        }
    }
    for (key, p) in preview {
        if !stable.contains_key(key) {
            ctx.marks
                .set(format!("{prefix}.{key}"), Availability::PreviewOnly);
            out.insert(key.clone(), p.clone());
        }
    }
    out
}

fn conflict_if<T: PartialEq>(stable: &T, preview: &T, path: &str, what: &str, ctx: &mut Ctx) {
    if stable != preview {
        ctx.conflicts.push(format!("{path}: {what} differs"));
    }
}

/// The values of an enum with their descriptions and deprecation flags, padded so that
/// the three lists line up.
struct EnumLists<'a> {
    values: &'a [String],
    descriptions: &'a [String],
    deprecated: &'a [bool],
}

/// Items that carry an enum (`enum`, `enumDescriptions`, `enumDeprecated`): schemas and
/// parameters, whose enums merge the same way.
trait WithEnum {
    fn enum_lists(&self) -> EnumLists<'_>;
    fn set_enum(&mut self, values: Vec<String>, descriptions: Vec<String>, deprecated: Vec<bool>);
}

// Schemas and parameters spell their enum fields the same way.
macro_rules! impl_with_enum {
    ($($item:ty),*) => {$(
        impl WithEnum for $item {
            fn enum_lists(&self) -> EnumLists<'_> {
                EnumLists {
                    values: &self.enum_,
                    descriptions: &self.enum_descriptions,
                    deprecated: &self.enum_deprecated,
                }
            }
            fn set_enum(
                &mut self,
                values: Vec<String>,
                descriptions: Vec<String>,
                deprecated: Vec<bool>,
            ) {
                self.enum_ = values;
                self.enum_descriptions = descriptions;
                self.enum_deprecated = deprecated;
            }
        }
    )*};
}

impl_with_enum!(Schema, Parameter);

/// Merges the enum of `preview` into `out` (a copy of `stable`), when `stable` has one.
fn merge_enum_into<T: WithEnum>(out: &mut T, stable: &T, preview: &T, path: &str, ctx: &mut Ctx) {
    let (values, descriptions, deprecated) =
        merge_enum(stable.enum_lists(), preview.enum_lists(), path, ctx);
    if !stable.enum_lists().values.is_empty() {
        out.set_enum(values, descriptions, deprecated);
    }
}

fn merge_enum(
    stable: EnumLists<'_>,
    preview: EnumLists<'_>,
    path: &str,
    ctx: &mut Ctx,
) -> (Vec<String>, Vec<String>, Vec<bool>) {
    let mut values = stable.values.to_vec();
    let mut descriptions = stable.descriptions.to_vec();
    let mut deprecated = stable.deprecated.to_vec();
    descriptions.resize(values.len(), String::new());
    deprecated.resize(values.len(), false);
    if stable.values.is_empty() || preview.values.is_empty() {
        // One side is not an enum at all: a shape conflict, not a per-value difference.
        if stable.values.is_empty() != preview.values.is_empty() {
            ctx.conflicts.push(format!("{path}: enum differs"));
        }
        return (values, descriptions, deprecated);
    }
    for value in stable.values {
        if !preview.values.contains(value) {
            ctx.marks
                .set(format!("{path}.enum.{value}"), Availability::StableOnly);
        }
    }
    for (i, value) in preview.values.iter().enumerate() {
        if !values.contains(value) {
            ctx.marks
                .set(format!("{path}.enum.{value}"), Availability::PreviewOnly);
            values.push(value.clone());
            descriptions.push(preview.descriptions.get(i).cloned().unwrap_or_default());
            deprecated.push(preview.deprecated.get(i).copied().unwrap_or(false));
        }
    }
    (values, descriptions, deprecated)
}

fn merge_schema(stable: &Schema, preview: &Schema, path: &str, ctx: &mut Ctx) -> Schema {
    let mut out = stable.clone();
    conflict_if(&stable.type_, &preview.type_, path, "type", ctx);
    conflict_if(&stable.format, &preview.format, path, "format", ctx);
    conflict_if(&stable.reference, &preview.reference, path, "$ref", ctx);
    out.properties = merge_map(
        &stable.properties,
        &preview.properties,
        &format!("{path}.properties"),
        ctx,
        merge_schema,
    );
    match (&stable.items, &preview.items) {
        (Some(s), Some(p)) => {
            out.items = Some(Box::new(merge_schema(s, p, &format!("{path}.items"), ctx)));
        }
        (None, None) => {}
        _ => ctx.conflicts.push(format!("{path}: items differ")),
    }
    match (
        &stable.additional_properties,
        &preview.additional_properties,
    ) {
        (Some(s), Some(p)) => {
            let merged = merge_schema(s, p, &format!("{path}.additionalProperties"), ctx);
            out.additional_properties = Some(Box::new(merged));
        }
        (None, None) => {}
        _ => ctx
            .conflicts
            .push(format!("{path}: additionalProperties differ")),
    }
    merge_enum_into(&mut out, stable, preview, path, ctx);
    out
}

fn merge_parameter(
    stable: &Parameter,
    preview: &Parameter,
    path: &str,
    ctx: &mut Ctx,
) -> Parameter {
    let mut out = stable.clone();
    conflict_if(&stable.type_, &preview.type_, path, "type", ctx);
    conflict_if(&stable.format, &preview.format, path, "format", ctx);
    conflict_if(&stable.location, &preview.location, path, "location", ctx);
    conflict_if(&stable.required, &preview.required, path, "required", ctx);
    conflict_if(&stable.repeated, &preview.repeated, path, "repeated", ctx);
    merge_enum_into(&mut out, stable, preview, path, ctx);
    out
}

fn merge_method(stable: &Method, preview: &Method, path: &str, ctx: &mut Ctx) -> Method {
    let mut out = stable.clone();
    conflict_if(&stable.path, &preview.path, path, "path", ctx);
    conflict_if(
        &stable.http_method,
        &preview.http_method,
        path,
        "httpMethod",
        ctx,
    );
    conflict_if(
        &stable.request.as_ref().map(|r| &r.reference),
        &preview.request.as_ref().map(|r| &r.reference),
        path,
        "request",
        ctx,
    );
    conflict_if(
        &stable.response.as_ref().map(|r| &r.reference),
        &preview.response.as_ref().map(|r| &r.reference),
        path,
        "response",
        ctx,
    );
    out.parameters = merge_map(
        &stable.parameters,
        &preview.parameters,
        &format!("{path}.parameters"),
        ctx,
        merge_parameter,
    );
    out
}

fn merge_resource(stable: &Resource, preview: &Resource, path: &str, ctx: &mut Ctx) -> Resource {
    let mut out = stable.clone();
    out.methods = merge_map(
        &stable.methods,
        &preview.methods,
        &format!("{path}.methods"),
        ctx,
        merge_method,
    );
    out.resources = merge_map(
        &stable.resources,
        &preview.resources,
        &format!("{path}.resources"),
        ctx,
        merge_resource,
    );
    out
}
