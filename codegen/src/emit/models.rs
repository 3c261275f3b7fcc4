//! Named types -> Rust items: structs (with serde), aliases, and (via [`super::enums`])
//! string enums.

use crate::model::{Availability, Field, TypeDef, TypeKind, TypeRef, naming};
use proc_macro2::TokenStream;
use quote::quote;

use super::Ctx;
use super::docs::{code_span, doc_attrs, rustdoc};
use super::idents::{Scope, cfg_attr, cfg_within, ident, rust_type};

/// The items of one named type.
pub fn type_def(ctx: &Ctx<'_>, td: &TypeDef) -> anyhow::Result<TokenStream> {
    match &td.kind {
        TypeKind::Struct(fields) => struct_def(ctx, td, fields),
        TypeKind::Enum(values) => super::enums::enum_def(ctx, td, values),
        TypeKind::Alias(ty) => {
            let docs = super::type_docs(ctx, td);
            let cfg = cfg_attr(td.availability);
            let name = ident(td.name())?;
            let ty = rust_type(ty, Scope::Types(td.module()))?;
            Ok(quote! {
                #docs
                #cfg
                pub type #name = #ty;
            })
        }
    }
}

fn struct_def(ctx: &Ctx<'_>, td: &TypeDef, fields: &[Field]) -> anyhow::Result<TokenStream> {
    let docs = super::type_docs(ctx, td);
    let cfg = cfg_attr(td.availability);
    let name = ident(td.name())?;
    let mut decls = Vec::new();
    let mut puts = Vec::new();
    let mut arms = Vec::new();
    let mut debugs = Vec::new();
    let mut accessors = Vec::new();
    for f in fields {
        let field = field(ctx, td, f)?;
        decls.push(field.decl);
        puts.push(field.put);
        arms.push(field.arm);
        debugs.push(field.debug);
        accessors.push(field.accessors);
    }
    let wire_name = &td.wire_name;
    let type_name = &td.rust_name;
    // When every field is feature-gated, one configuration has none of them.
    let all_gated = !fields.is_empty()
        && td.availability != Availability::PreviewOnly
        && fields
            .iter()
            .all(|f| f.availability == Availability::PreviewOnly);
    let allow = all_gated.then(|| {
        quote!(#[allow(unused_mut, clippy::match_single_binding, reason = "every field is feature-gated")])
    });
    let mut_d = if fields.is_empty() {
        quote!(d)
    } else {
        quote!(mut d)
    };
    let decode = if fields.is_empty() {
        quote!(wire::keep(&mut self.unknown_fields, key, map)?;)
    } else {
        quote! {
            match key {
                #(#arms)*
                _ => wire::keep(&mut self.unknown_fields, key, map)?,
            }
        }
    };
    let impls = quote! {
        impl #name {
            /// An empty value: set fields with the `set_*` methods.
            #[inline]
            pub fn new() -> Self {
                Self::default()
            }
            /// Members the server sent that this version of the crate does not know; they
            /// are written back unchanged when the value is sent again.
            #[inline]
            pub fn unknown_fields(&self) -> &::google_api_runtime::types::UnknownFields {
                &self.unknown_fields
            }
            #(#accessors)*
        }
        impl std::fmt::Debug for #name {
            #allow
            fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
                let #mut_d = wire::DebugObject::new(f, #type_name);
                #(#debugs)*
                d.finish(&self.unknown_fields)
            }
        }
        impl serde::Serialize for #name {
            #allow
            fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
                use serde::ser::SerializeMap as _;
                let mut map = serializer.serialize_map(None)?;
                #(#puts)*
                wire::put_unknown(&mut map, &self.unknown_fields)?;
                map.end()
            }
        }
        impl wire::Object for #name {
            const NAME: &'static str = #wire_name;
            #allow
            fn field<'de, A: serde::de::MapAccess<'de>>(&mut self, key: &str, map: &mut A) -> Result<(), A::Error> {
                #decode
                Ok(())
            }
        }
        impl<'de> serde::Deserialize<'de> for #name {
            fn deserialize<D: serde::Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
                wire::deserialize_object(deserializer)
            }
        }
    };
    // Each impl carries the type's cfg.
    let impls = gate_items(&cfg, impls)?;
    Ok(quote! {
        #docs
        #cfg
        #[derive(Clone, Default, PartialEq)]
        #[non_exhaustive]
        pub struct #name {
            #(#decls)*
            unknown_fields: ::google_api_runtime::types::UnknownFields,
        }
        #impls
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

/// The pieces of one field: its declaration, its `Serialize` statement, its
/// `Object::field` match arm, its `Debug` statement, and its setter (and getter).
struct FieldParts {
    decl: TokenStream,
    put: TokenStream,
    arm: TokenStream,
    debug: TokenStream,
    accessors: TokenStream,
}

/// How a field is held: lists and maps plainly (empty = absent), the rest in `Option`.
enum Holder {
    List(TokenStream),
    Map(TokenStream),
    Optional,
}

fn field(ctx: &Ctx<'_>, td: &TypeDef, f: &Field) -> anyhow::Result<FieldParts> {
    let mut text = match &f.description {
        Some(d) if !d.trim().is_empty() => rustdoc(d, &ctx.docs),
        _ => format!("The {} field.", code_span(&f.wire_name)),
    };
    if !f.required_for.is_empty() {
        let ids: Vec<String> = f.required_for.iter().map(|id| code_span(id)).collect();
        text.push_str(&format!("\n\nRequired by {}.", ids.join(", ")));
    }
    if f.deprecated {
        text.push_str("\n\n**Deprecated** by the API.");
    }
    let docs = doc_attrs(&text);
    let cfg = cfg_within(td.availability, f.availability);
    let name = ident(&f.rust_name)?;
    let setter = ident(&naming::setter_name(&f.rust_name))?;
    let holder = match &f.ty {
        TypeRef::Array(inner) => Holder::List(rust_type(inner, Scope::Types(td.module()))?),
        TypeRef::Map(inner) => Holder::Map(rust_type(inner, Scope::Types(td.module()))?),
        _ => Holder::Optional,
    };
    let mut ty = rust_type(&f.ty, Scope::Types(td.module()))?;
    if f.boxed {
        ty = quote!(Box<#ty>);
    }
    let decl_ty = match holder {
        Holder::Optional => quote!(Option<#ty>),
        _ => ty.clone(),
    };
    let wire = &f.wire_name;
    let rust = &f.rust_name;
    let string_ints = ctx.types.has_string_ints(&f.ty);
    let put = if string_ints {
        quote!(wire::put_int64)
    } else {
        quote!(wire::put)
    };
    let next = match (&holder, string_ints) {
        (Holder::Optional, false) => quote!(map.next_value()?),
        (Holder::Optional, true) => quote!(wire::next_int64(map)?),
        (_, false) => quote!(wire::next_or_default(map)?),
        (_, true) => quote!(wire::next_int64_or_default(map)?),
    };
    let set_doc = doc_attrs(&format!("Sets `{rust}` ({} on the wire).", code_span(wire)));
    let setter_fn = match &holder {
        Holder::List(item) => quote! {
            #set_doc
            #cfg
            pub fn #setter(mut self, values: impl IntoIterator<Item = impl Into<#item>>) -> Self {
                self.#name = values.into_iter().map(Into::into).collect();
                self
            }
        },
        Holder::Map(value) => quote! {
            #set_doc
            #cfg
            pub fn #setter(mut self, entries: impl IntoIterator<Item = (impl Into<String>, impl Into<#value>)>) -> Self {
                self.#name = entries.into_iter().map(|(k, v)| (k.into(), v.into())).collect();
                self
            }
        },
        Holder::Optional => {
            let plain = rust_type(&f.ty, Scope::Types(td.module()))?;
            // Numbers and `bool` are taken as they are, so literals infer their type.
            let (arg, value) = if is_copy_scalar(&f.ty) {
                (quote!(#plain), quote!(value))
            } else {
                (quote!(impl Into<#plain>), quote!(value.into()))
            };
            let value = if f.boxed {
                quote!(Box::new(#value))
            } else {
                value
            };
            quote! {
                #set_doc
                #cfg
                pub fn #setter(mut self, value: #arg) -> Self {
                    self.#name = Some(#value);
                    self
                }
            }
        }
    };
    let getter = match (&holder, &f.ty) {
        (Holder::Optional, ty) if ctx.types.is_string(ty) => {
            let doc = doc_attrs(&format!("`{rust}`, or `\"\"` when it is not set."));
            Some(quote! {
                #doc
                #cfg
                #[inline]
                pub fn #name(&self) -> &str {
                    self.#name.as_deref().unwrap_or_default()
                }
            })
        }
        (Holder::Optional, ty) if is_copy_scalar(ty) => {
            let ty = rust_type(ty, Scope::Types(td.module()))?;
            let doc = doc_attrs(&format!(
                "`{rust}`, or {} when it is not set.",
                if f.ty == TypeRef::Bool {
                    "`false`"
                } else {
                    "`0`"
                }
            ));
            Some(quote! {
                #doc
                #cfg
                #[inline]
                pub fn #name(&self) -> #ty {
                    self.#name.unwrap_or_default()
                }
            })
        }
        (Holder::Optional, TypeRef::Named(n))
            if !f.boxed && matches!(ctx.types.get(n).map(|t| &t.kind), Some(TypeKind::Enum(_))) =>
        {
            let doc = doc_attrs(&format!(
                "`{rust}`, or the enum's default value when it is not set."
            ));
            Some(quote! {
                #doc
                #cfg
                #[inline]
                pub fn #name(&self) -> #ty {
                    self.#name.clone().unwrap_or_default()
                }
            })
        }
        _ => None,
    };
    Ok(FieldParts {
        decl: quote! {
            #docs
            #cfg
            pub #name: #decl_ty,
        },
        put: quote!(#cfg #put(&mut map, #wire, &self.#name)?;),
        arm: quote!(#cfg #wire => self.#name = #next,),
        debug: quote!(#cfg d.field(#rust, &self.#name);),
        accessors: quote!(#getter #setter_fn),
    })
}

/// Whether `ty` is a number or `bool`: taken by value, read as a copy.
fn is_copy_scalar(ty: &TypeRef) -> bool {
    matches!(
        ty,
        TypeRef::Bool
            | TypeRef::I32
            | TypeRef::U32
            | TypeRef::I64
            | TypeRef::U64
            | TypeRef::F32
            | TypeRef::F64
    )
}
