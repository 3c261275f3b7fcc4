//! Assembling the model from a merged document: types, resources, boxing, pagination.

use std::collections::BTreeMap;

use super::{
    Availability, Method, Model, PageItems, Pagination, ParamLocation, Resource, Scope, TypeDef,
    TypeKind, TypeRef, merge, recursion, resources, types,
};
use discovery::error::{Error, Result};

/// The model of a merged document; `origin` names it in errors.
pub fn build_merged(merged: &merge::Merged, origin: &str) -> Result<Model> {
    let doc = &merged.doc;
    let marks = &merged.marks;
    let mut types = types::TypeBuilder::new(doc, marks, origin)?;
    let (mut resources, standard_parameters) = {
        let builder = resources::ResourceBuilder::new(doc, marks, origin, &mut types);
        let standard = builder.standard_parameters()?;
        (builder.build()?, standard)
    };
    let (mut type_defs, names) = types.finish();
    if let Some(name) = recursion::recursive_alias(&type_defs) {
        return Err(Error::Invalid {
            origin: origin.to_owned(),
            path: "schemas".to_owned(),
            message: format!("type `{name}` is an alias of itself (through other aliases)"),
        });
    }
    recursion::box_recursive_fields(&mut type_defs);
    let by_name: BTreeMap<&str, &TypeDef> = type_defs
        .iter()
        .map(|t| (t.rust_name.as_str(), t))
        .collect();
    for resource in &mut resources {
        finish_resource(resource, &names, &by_name);
    }
    let byte_tokens = byte_page_tokens(&mut resources, &by_name);
    retype_byte_tokens(&mut type_defs, &byte_tokens);
    let resource_names = super::names::assign(&mut resources);
    let mut scopes: Vec<Scope> = doc
        .auth
        .iter()
        .filter_map(|a| a.oauth2.as_ref())
        .flat_map(|o| o.scopes.iter())
        .map(|(url, info)| Scope {
            url: url.clone(),
            rust_name: String::new(),
            description: info.description.clone(),
            availability: marks.of(Availability::Stable, &format!("auth.oauth2.scopes.{url}")),
        })
        .collect();
    scopes.sort_by(|a, b| a.url.cmp(&b.url));
    super::naming::name_scopes(&mut scopes);
    Ok(Model {
        id: doc.id.clone(),
        name: doc.name.clone(),
        version: doc.version.clone(),
        revision: doc.revision.clone(),
        preview_revision: None,
        title: doc.title.clone(),
        description: doc.description.clone(),
        documentation_link: doc.documentation_link.clone(),
        root_url: doc.root_url.clone(),
        service_path: doc.service_path.clone(),
        mtls_root_url: doc.mtls_root_url.clone(),
        batch_path: doc.batch_path.clone(),
        scopes,
        standard_parameters,
        resources,
        types: type_defs,
        resource_names,
    })
}

/// Rewrites type keys to Rust names and detects pagination, through a resource tree.
fn finish_resource(
    resource: &mut Resource,
    names: &BTreeMap<String, String>,
    types: &BTreeMap<&str, &TypeDef>,
) {
    for method in &mut resource.methods {
        for ty in method
            .request
            .iter_mut()
            .chain(method.response.iter_mut())
            .chain(method.parameters.iter_mut().map(|p| &mut p.ty))
        {
            types::rename(ty, names);
        }
        method.pagination = pagination(method, &resource.wire_name, types);
    }
    for sub in &mut resource.resources {
        finish_resource(sub, names, types);
    }
}

/// A list method: a `pageToken` query parameter and a response struct with
/// `nextPageToken`; its items are chosen by the rule documented on [`Pagination::items`].
fn pagination(
    method: &Method,
    resource: &str,
    types: &BTreeMap<&str, &TypeDef>,
) -> Option<Pagination> {
    let token = method
        .parameters
        .iter()
        .find(|p| p.wire_name == "pageToken" && p.location == ParamLocation::Query)?;
    let Some(TypeRef::Named(response)) = &method.response else {
        return None;
    };
    let TypeKind::Struct(fields) = &types.get(response.as_str())?.kind else {
        return None;
    };
    let next = fields.iter().find(|f| f.wire_name == "nextPageToken")?;
    let arrays: Vec<&super::Field> = fields
        .iter()
        .filter(|f| matches!(f.ty, TypeRef::Array(_)))
        .collect();
    let items = match arrays.as_slice() {
        [only] => Some(*only),
        several => several.iter().copied().find(|f| f.wire_name == resource),
    };
    let items = items.and_then(|f| match &f.ty {
        TypeRef::Array(item_type) => Some(PageItems {
            field: f.rust_name.clone(),
            item_type: (**item_type).clone(),
        }),
        _ => None,
    });
    Some(Pagination {
        page_token_param: token.rust_name.clone(),
        next_page_token_field: next.rust_name.clone(),
        items,
    })
}

/// Makes `format: byte` page tokens plain strings (they are opaque; see
/// [`Pagination`]): the page token parameters here, and returns the `(response type,
/// field)` pairs whose `nextPageToken` must change too.
fn byte_page_tokens(
    resources: &mut [Resource],
    types: &BTreeMap<&str, &TypeDef>,
) -> Vec<(String, String)> {
    let mut fields = Vec::new();
    for resource in resources {
        for method in &mut resource.methods {
            let Some(pg) = &method.pagination else {
                continue;
            };
            let token = pg.page_token_param.clone();
            let next = pg.next_page_token_field.clone();
            for p in &mut method.parameters {
                if p.rust_name == token && p.ty == TypeRef::Bytes {
                    p.ty = TypeRef::String;
                }
            }
            if let Some(TypeRef::Named(response)) = &method.response
                && let Some(TypeKind::Struct(fs)) = types.get(response.as_str()).map(|t| &t.kind)
                && fs
                    .iter()
                    .any(|f| f.rust_name == next && f.ty == TypeRef::Bytes)
            {
                fields.push((response.clone(), next));
            }
        }
        fields.extend(byte_page_tokens(&mut resource.resources, types));
    }
    fields
}

fn retype_byte_tokens(types: &mut [TypeDef], fields: &[(String, String)]) {
    for td in types {
        if let TypeKind::Struct(fs) = &mut td.kind {
            for f in fs {
                if fields
                    .iter()
                    .any(|(t, name)| *t == td.rust_name && *name == f.rust_name)
                {
                    f.ty = TypeRef::String;
                }
            }
        }
    }
}
