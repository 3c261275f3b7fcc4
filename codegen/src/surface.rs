//! Flattening a [`Model`] into the items of a [`Surface`] (the listing format and diffs
//! belong to `discovery::surface`; which Rust names an item has is the generator's).

use std::collections::BTreeMap;

use crate::model::{
    Availability, Method, Model, ParamLocation, Parameter, Resource, TypeDef, TypeKind, TypeRef,
};
use discovery::surface::{
    Attr, AttrName, AttrValue, Item, ItemKey, Origin, Surface, TypeText, View,
};

/// Whether an item with `availability` is part of `view`.
fn visible(availability: Availability, view: View) -> bool {
    match (availability, view) {
        (Availability::Stable, _) => true,
        (Availability::PreviewOnly, View::Preview) => true,
        (Availability::StableOnly, View::Stable) => true,
        (Availability::PreviewOnly, View::Stable) | (Availability::StableOnly, View::Preview) => {
            false
        }
    }
}

/// The surface of `model` seen through `view`.
///
/// [`View::Stable`] leaves out preview-only items, [`View::Preview`] leaves out
/// stable-only ones; an item left out takes everything it contains with it.
pub fn surface(model: &Model, view: View) -> Surface {
    let types: BTreeMap<&str, &TypeDef> = model
        .types
        .iter()
        .map(|t| (t.rust_name.as_str(), t))
        .collect();
    let mut cx = Builder {
        view,
        types,
        items: Vec::new(),
    };
    cx.api(model);
    for scope in &model.scopes {
        if visible(scope.availability, view) {
            cx.push(
                ItemKey::Scope {
                    url: scope.url.clone(),
                },
                scope.availability,
                Vec::new(),
                scope.description.clone(),
            );
        }
    }
    for param in &model.standard_parameters {
        if visible(param.availability, view) {
            let key = ItemKey::StandardParameter {
                name: param.wire_name.clone(),
            };
            let attrs = cx.parameter_attrs(param);
            cx.push(key, param.availability, attrs, param.description.clone());
        }
    }
    for resource in &model.resources {
        cx.resource(resource);
    }
    for ty in &model.types {
        cx.type_def(ty);
    }
    for name in &model.resource_names {
        if visible(name.availability, view) {
            cx.push(
                ItemKey::ResourceName {
                    template: name.template.clone(),
                },
                name.availability,
                vec![text(AttrName::Rust, name.rust_name.clone())],
                None,
            );
        }
    }
    let mut items = cx.items;
    items.sort_by(|a, b| a.key.cmp(&b.key));
    // A model never has two items with one key; if a malformed one did, keeping the first
    // keeps lookups and diffs well defined.
    items.dedup_by(|later, earlier| later.key == earlier.key);
    Surface {
        origin: Origin {
            id: model.id.clone(),
            revision: model.revision.clone(),
            preview_revision: match view {
                View::Preview => model.preview_revision.clone(),
                View::Stable => None,
            },
            view: Some(view),
        },
        items,
    }
}

/// Collects items while walking a model.
struct Builder<'m> {
    view: View,
    /// Named types by Rust name, to spell the wire type of a [`TypeRef::Named`].
    types: BTreeMap<&'m str, &'m TypeDef>,
    items: Vec<Item>,
}

fn attr(name: AttrName, value: AttrValue) -> Attr {
    Attr { name, value }
}

fn text(name: AttrName, value: impl Into<String>) -> Attr {
    attr(name, AttrValue::Text(value.into()))
}

fn flag(name: AttrName, value: bool) -> Attr {
    attr(name, AttrValue::Flag(value))
}

impl<'m> Builder<'m> {
    fn push(
        &mut self,
        key: ItemKey,
        availability: Availability,
        attrs: Vec<Attr>,
        description: Option<String>,
    ) {
        self.items.push(Item {
            key,
            preview_only: availability == Availability::PreviewOnly,
            attrs,
            description,
        });
    }

    fn api(&mut self, model: &Model) {
        let mut attrs = vec![
            text(AttrName::RootUrl, model.root_url.clone()),
            text(AttrName::ServicePath, model.service_path.clone()),
        ];
        if let Some(batch) = &model.batch_path {
            attrs.push(text(AttrName::BatchPath, batch.clone()));
        }
        self.push(
            ItemKey::Api {
                id: model.id.clone(),
            },
            Availability::Stable,
            attrs,
            model.description.clone(),
        );
    }

    fn resource(&mut self, resource: &Resource) {
        if !visible(resource.availability, self.view) {
            return;
        }
        let path = resource.wire_path.join(".");
        let accessor: Vec<String> = resource
            .module_path
            .iter()
            .map(|m| format!("{m}()"))
            .collect();
        // The top-level pseudo-resource (top-level methods) has no handle to list.
        if !path.is_empty() {
            let attrs = vec![
                text(AttrName::Rust, accessor.join(".")),
                text(AttrName::Handle, resource.type_name.clone()),
                flag(AttrName::Deprecated, resource.deprecated),
            ];
            self.push(
                ItemKey::Resource { path: path.clone() },
                resource.availability,
                attrs,
                resource.description.clone(),
            );
        }
        for method in &resource.methods {
            self.method(&path, method);
        }
        for child in &resource.resources {
            self.resource(child);
        }
    }

    fn method(&mut self, resource: &str, method: &Method) {
        if !visible(method.availability, self.view) {
            return;
        }
        let mut attrs = vec![
            text(AttrName::Id, method.id.clone()),
            text(AttrName::Rust, method.rust_name.clone()),
            text(AttrName::Builder, method.builder_name.clone()),
            text(AttrName::Http, method.http_method.clone()),
            text(AttrName::Path, method.path.clone()),
        ];
        if let Some(request) = &method.request {
            attrs.push(text(AttrName::Request, self.rust_type(request)));
        }
        if let Some(response) = &method.response {
            attrs.push(text(AttrName::Response, self.rust_type(response)));
        }
        let mut scopes = method.scopes.clone();
        scopes.sort();
        attrs.push(attr(AttrName::Scopes, AttrValue::List(scopes)));
        if let Some(upload) = &method.media_upload {
            let mut protocols = Vec::new();
            if upload.simple_path.is_some() {
                protocols.push(if upload.simple_multipart {
                    "simple+multipart"
                } else {
                    "simple"
                });
            }
            if upload.resumable_path.is_some() {
                protocols.push("resumable");
            }
            attrs.push(text(AttrName::Upload, protocols.join(",")));
        }
        if method.supports_media_download {
            attrs.push(text(
                AttrName::Download,
                if method.use_media_download_service {
                    "download-service"
                } else {
                    "alt=media"
                },
            ));
        }
        if let Some(pages) = &method.pagination {
            attrs.push(text(
                AttrName::Pages,
                match &pages.items {
                    Some(items) => self.rust_type(&items.item_type),
                    None => discovery::surface::PAGES_ONLY.to_owned(),
                },
            ));
        }
        attrs.push(flag(AttrName::Deprecated, method.deprecated));
        self.push(
            ItemKey::Method {
                resource: resource.to_owned(),
                name: method.wire_name.clone(),
            },
            method.availability,
            attrs,
            method.description.clone(),
        );
        for param in &method.parameters {
            if !visible(param.availability, self.view) {
                continue;
            }
            let attrs = self.parameter_attrs(param);
            self.push(
                ItemKey::Parameter {
                    resource: resource.to_owned(),
                    method: method.wire_name.clone(),
                    name: param.wire_name.clone(),
                },
                param.availability,
                attrs,
                param.description.clone(),
            );
        }
    }

    fn parameter_attrs(&self, param: &Parameter) -> Vec<Attr> {
        vec![
            text(AttrName::Rust, param.rust_name.clone()),
            text(
                AttrName::Location,
                match param.location {
                    ParamLocation::Path => "path",
                    ParamLocation::Query => "query",
                },
            ),
            attr(
                AttrName::Type,
                AttrValue::Type(TypeText {
                    rust: self.rust_type(&param.ty),
                    wire: self.wire_type(&param.ty),
                }),
            ),
            flag(AttrName::Required, param.required),
            flag(AttrName::Repeated, param.repeated),
            flag(AttrName::Deprecated, param.deprecated),
        ]
        .into_iter()
        .chain(
            param
                .name_template
                .as_ref()
                .map(|form| text(AttrName::Form, form.clone())),
        )
        .collect()
    }

    fn type_def(&mut self, ty: &TypeDef) {
        if !visible(ty.availability, self.view) {
            return;
        }
        let type_name = ty.wire_name.clone();
        let mut attrs = vec![text(AttrName::Rust, ty.rust_name.clone())];
        match &ty.kind {
            TypeKind::Struct(_) => attrs.push(text(AttrName::Shape, "struct")),
            TypeKind::Enum(_) => attrs.push(text(AttrName::Shape, "enum")),
            TypeKind::Alias(target) => {
                attrs.push(text(AttrName::Shape, "alias"));
                attrs.push(attr(
                    AttrName::Type,
                    AttrValue::Type(TypeText {
                        rust: self.rust_type(target),
                        wire: self.wire_type(target),
                    }),
                ));
            }
        }
        attrs.push(flag(AttrName::Deprecated, ty.deprecated));
        self.push(
            ItemKey::Type {
                name: type_name.clone(),
            },
            ty.availability,
            attrs,
            ty.description.clone(),
        );
        match &ty.kind {
            TypeKind::Struct(fields) => {
                for field in fields {
                    if !visible(field.availability, self.view) {
                        continue;
                    }
                    let mut inner = self.rust_type(&field.ty);
                    if field.boxed {
                        inner = format!("Box<{inner}>");
                    }
                    let mut required_for = field.required_for.clone();
                    required_for.sort();
                    let attrs = vec![
                        text(AttrName::Rust, field.rust_name.clone()),
                        attr(
                            AttrName::Type,
                            AttrValue::Type(TypeText {
                                rust: match &field.ty {
                                    TypeRef::Array(_) | TypeRef::Map(_) => inner,
                                    _ => format!("Option<{inner}>"),
                                },
                                wire: self.wire_type(&field.ty),
                            }),
                        ),
                        attr(AttrName::RequiredFor, AttrValue::List(required_for)),
                        flag(AttrName::ReadOnly, field.read_only),
                        flag(AttrName::Deprecated, field.deprecated),
                    ];
                    self.push(
                        ItemKey::Field {
                            type_name: type_name.clone(),
                            name: field.wire_name.clone(),
                        },
                        field.availability,
                        attrs,
                        field.description.clone(),
                    );
                }
            }
            TypeKind::Enum(values) => {
                for value in values {
                    if !visible(value.availability, self.view) {
                        continue;
                    }
                    let attrs = vec![
                        text(AttrName::Rust, value.rust_name.clone()),
                        flag(AttrName::Deprecated, value.deprecated),
                    ];
                    self.push(
                        ItemKey::EnumValue {
                            type_name: type_name.clone(),
                            value: value.wire_value.clone(),
                        },
                        value.availability,
                        attrs,
                        value.description.clone(),
                    );
                }
            }
            TypeKind::Alias(_) => {}
        }
    }

    /// The type as generated code spells it (wire types from `chat_api::types`).
    fn rust_type(&self, ty: &TypeRef) -> String {
        match ty {
            TypeRef::String => "String".to_owned(),
            TypeRef::Bool => "bool".to_owned(),
            TypeRef::I32 => "i32".to_owned(),
            TypeRef::U32 => "u32".to_owned(),
            TypeRef::I64 => "i64".to_owned(),
            TypeRef::U64 => "u64".to_owned(),
            TypeRef::F32 => "f32".to_owned(),
            TypeRef::F64 => "f64".to_owned(),
            TypeRef::Bytes => "Bytes".to_owned(),
            TypeRef::DateTime => "Timestamp".to_owned(),
            TypeRef::Date => "Date".to_owned(),
            TypeRef::Duration => "Duration".to_owned(),
            TypeRef::FieldMask => "FieldMask".to_owned(),
            TypeRef::Any => "serde_json::Value".to_owned(),
            TypeRef::Named(name) => name.clone(),
            TypeRef::Array(inner) => format!("Vec<{}>", self.rust_type(inner)),
            TypeRef::Map(inner) => format!("BTreeMap<String,{}>", self.rust_type(inner)),
        }
    }

    /// The JSON type and format on the wire, as the document writes them.
    fn wire_type(&self, ty: &TypeRef) -> String {
        match ty {
            TypeRef::String => "string".to_owned(),
            TypeRef::Bool => "boolean".to_owned(),
            TypeRef::I32 => "integer(int32)".to_owned(),
            TypeRef::U32 => "integer(uint32)".to_owned(),
            TypeRef::I64 => "string(int64)".to_owned(),
            TypeRef::U64 => "string(uint64)".to_owned(),
            TypeRef::F32 => "number(float)".to_owned(),
            TypeRef::F64 => "number(double)".to_owned(),
            TypeRef::Bytes => "string(byte)".to_owned(),
            TypeRef::DateTime => "string(google-datetime)".to_owned(),
            TypeRef::Date => "string(date)".to_owned(),
            TypeRef::Duration => "string(google-duration)".to_owned(),
            TypeRef::FieldMask => "string(google-fieldmask)".to_owned(),
            TypeRef::Any => "any".to_owned(),
            TypeRef::Named(name) => match self.types.get(name.as_str()) {
                Some(def) => match def.kind {
                    TypeKind::Enum(_) => format!("enum:{}", def.wire_name),
                    TypeKind::Struct(_) | TypeKind::Alias(_) => format!("$ref:{}", def.wire_name),
                },
                None => format!("$ref:{name}"),
            },
            TypeRef::Array(inner) => format!("array<{}>", self.wire_type(inner)),
            TypeRef::Map(inner) => format!("map<{}>", self.wire_type(inner)),
        }
    }
}

/// What changed from `old` to `new`, both seen through `view`.
pub fn diff_models(old: &Model, new: &Model, view: View) -> discovery::surface::SurfaceDiff {
    surface(old, view).diff(&surface(new, view))
}
