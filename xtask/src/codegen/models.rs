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
    let mut decls = Vec::new();
    let mut puts = Vec::new();
    let mut arms = Vec::new();
    for f in fields {
        let field = field(ctx, td, f)?;
        decls.push(field.decl);
        puts.push(field.put);
        arms.push(field.arm);
    }
    let wire_name = &td.wire_name;
    let serde_impls = if fields.is_empty() {
        quote! {
            impl serde::Serialize for #name {
                fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
                    use serde::ser::SerializeMap as _;
                    serializer.serialize_map(Some(0))?.end()
                }
            }
            impl crate::wire::Object for #name {
                const NAME: &'static str = #wire_name;
                fn field<'de, A: serde::de::MapAccess<'de>>(&mut self, key: &str, map: &mut A) -> Result<(), A::Error> {
                    let _ = key;
                    crate::wire::skip(map)
                }
            }
        }
    } else {
        // When every field is feature-gated, one configuration has none of them.
        let all_gated = fields.iter().all(|f| f.availability != td.availability);
        let allow = all_gated.then(|| {
            quote!(#[allow(unused_mut, clippy::match_single_binding, reason = "every field is feature-gated")])
        });
        quote! {
            impl serde::Serialize for #name {
                #allow
                fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
                    use serde::ser::SerializeMap as _;
                    let mut map = serializer.serialize_map(None)?;
                    #(#puts)*
                    map.end()
                }
            }
            impl crate::wire::Object for #name {
                const NAME: &'static str = #wire_name;
                #allow
                fn field<'de, A: serde::de::MapAccess<'de>>(&mut self, key: &str, map: &mut A) -> Result<(), A::Error> {
                    match key {
                        #(#arms)*
                        _ => crate::wire::skip(map)?,
                    }
                    Ok(())
                }
            }
        }
    };
    // Each impl carries the type's cfg.
    let serde_impls = gate_items(&cfg, serde_impls)?;
    Ok(quote! {
        #docs
        #cfg
        #[derive(Debug, Clone, Default, PartialEq)]
        pub struct #name {
            #(#decls)*
        }
        #serde_impls
        #cfg
        impl<'de> serde::Deserialize<'de> for #name {
            fn deserialize<D: serde::Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
                crate::wire::deserialize_object(deserializer)
            }
        }
    })
}

/// Puts `cfg` on every item of `items`.
fn gate_items(cfg: &TokenStream, items: TokenStream) -> anyhow::Result<TokenStream> {
    if cfg.is_empty() {
        return Ok(items);
    }
    let file: syn::File = syn::parse2(items)?;
    let gated = file.items.iter().map(|item| quote!(#cfg #item));
    Ok(quote!(#(#gated)*))
}

/// The pieces of one field: its declaration, its `Serialize` statement and its
/// `Object::field` match arm.
struct FieldParts {
    decl: TokenStream,
    put: TokenStream,
    arm: TokenStream,
}

fn field(ctx: &Ctx<'_>, td: &TypeDef, f: &Field) -> anyhow::Result<FieldParts> {
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
    let wire = &f.wire_name;
    let (put, next) = if ctx.types.has_string_ints(&f.ty) {
        (
            quote!(crate::wire::put_int64),
            quote!(crate::wire::next_int64(map)?),
        )
    } else {
        (quote!(crate::wire::put), quote!(map.next_value()?))
    };
    Ok(FieldParts {
        decl: quote! {
            #docs
            #cfg
            pub #name: Option<#ty>,
        },
        put: quote!(#cfg #put(&mut map, #wire, &self.#name)?;),
        arm: quote!(#cfg #wire => self.#name = #next,),
    })
}
