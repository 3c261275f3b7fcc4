//! Named types -> Rust items: structs (with serde), aliases, and (via [`super::enums`])
//! string enums.

use discovery::model::{Field, TypeDef, TypeKind};
use proc_macro2::TokenStream;
use quote::quote;

use super::Ctx;
use super::docs::{doc_attrs, rustdoc};
use super::idents::{Scope, cfg_attr, cfg_within, ident, rust_type};

/// The items of one named type.
pub fn type_def(ctx: &Ctx<'_>, td: &TypeDef) -> anyhow::Result<TokenStream> {
    match &td.kind {
        TypeKind::Struct(fields) => struct_def(ctx, td, fields),
        TypeKind::Enum(values) => super::enums::enum_def(ctx, td, values),
        TypeKind::Alias(ty) => {
            let docs = type_docs(ctx, td);
            let cfg = cfg_attr(td.availability);
            let name = ident(&td.rust_name)?;
            let ty = rust_type(ty, Scope::Models)?;
            Ok(quote! {
                #docs
                #cfg
                pub type #name = #ty;
            })
        }
    }
}

/// The doc comment of a named type: its description, where it comes from, deprecation.
pub fn type_docs(ctx: &Ctx<'_>, td: &TypeDef) -> TokenStream {
    let mut text = match &td.description {
        Some(d) if !d.trim().is_empty() => rustdoc(d, &ctx.docs),
        _ => format!("The `{}` schema.", td.wire_name),
    };
    if td.deprecated {
        text.push_str("\n\n**Deprecated** by the API.");
    }
    doc_attrs(&text)
}

fn struct_def(ctx: &Ctx<'_>, td: &TypeDef, fields: &[Field]) -> anyhow::Result<TokenStream> {
    let docs = type_docs(ctx, td);
    let cfg = cfg_attr(td.availability);
    let name = ident(&td.rust_name)?;
    let fields = fields
        .iter()
        .map(|f| field(ctx, td, f))
        .collect::<anyhow::Result<Vec<_>>>()?;
    Ok(quote! {
        #docs
        #cfg
        #[derive(Debug, Clone, Default, PartialEq, serde::Serialize, serde::Deserialize)]
        pub struct #name {
            #(#fields)*
        }
    })
}

fn field(ctx: &Ctx<'_>, td: &TypeDef, f: &Field) -> anyhow::Result<TokenStream> {
    let mut text = match &f.description {
        Some(d) if !d.trim().is_empty() => rustdoc(d, &ctx.docs),
        _ => format!("The `{}` field.", f.wire_name),
    };
    if !f.required_for.is_empty() {
        let ids: Vec<String> = f.required_for.iter().map(|id| format!("`{id}`")).collect();
        text.push_str(&format!("\n\nRequired by {}.", ids.join(", ")));
    }
    if f.deprecated {
        text.push_str("\n\n**Deprecated** by the API.");
    }
    let docs = doc_attrs(&text);
    let cfg = cfg_within(td.availability, f.availability);
    let name = ident(&f.rust_name)?;
    let mut ty = rust_type(&f.ty, Scope::Models)?;
    if f.boxed {
        ty = quote!(Box<#ty>);
    }
    let bare = name.to_string();
    let bare = bare.strip_prefix("r#").unwrap_or(&bare);
    let rename = (bare != f.wire_name).then(|| {
        let wire = &f.wire_name;
        quote!(rename = #wire,)
    });
    let with = ctx
        .types
        .has_string_ints(&f.ty)
        .then(|| quote!(default, with = "crate::wire::int64",));
    Ok(quote! {
        #docs
        #cfg
        #[serde(#rename #with skip_serializing_if = "Option::is_none")]
        pub #name: Option<#ty>,
    })
}
