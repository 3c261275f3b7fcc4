//! String enums that keep unknown values.
//!
//! Each enum gets its variants plus `Unknown(UnknownValue)` (the name the model
//! reserves), so a value the server adds later still decodes and is sent back as it came;
//! `UnknownValue` has no public constructor, so `Unknown` never spells a known value.
//! `as_str`, `From<&str>` and `Default` (the first stable value, usually
//! `*_UNSPECIFIED`) are generated, and the serde/`Display` impls come from the runtime's
//! `wire::string_enum!`.

use crate::model::{Availability, EnumValue, TypeDef};
use proc_macro2::TokenStream;
use quote::quote;

use super::Ctx;
use super::docs::{code_span, doc_attrs, rustdoc};
use super::idents::{cfg_attr, cfg_within, ident};
use super::type_docs;

/// The catch-all variant, as `crate::model` reserves it.
pub const UNKNOWN: &str = "Unknown";

/// The enum `td` with `values`.
pub fn enum_def(ctx: &Ctx<'_>, td: &TypeDef, values: &[EnumValue]) -> anyhow::Result<TokenStream> {
    let docs = type_docs(ctx, td);
    let cfg = cfg_attr(td.availability);
    let name = ident(td.name())?;
    let unknown = ident(UNKNOWN)?;
    let mut variants = Vec::new();
    let mut to_str = Vec::new();
    let mut from_str = Vec::new();
    for v in values {
        anyhow::ensure!(
            v.rust_name != UNKNOWN,
            "{}: enum value {:?} is named {UNKNOWN}, which is reserved for unknown values",
            td.wire_name,
            v.wire_value
        );
        let variant = ident(&v.rust_name)?;
        let value_cfg = cfg_within(td.availability, v.availability);
        let wire = &v.wire_value;
        let text = match &v.description {
            Some(d) if !d.trim().is_empty() => rustdoc(d, &ctx.docs),
            _ => format!("{}.", code_span(wire)),
        };
        let doc = doc_attrs(&text);
        let deprecated = v.deprecated.then(|| quote!(#[deprecated]));
        variants.push((doc, quote!(#value_cfg #deprecated #variant,)));
        to_str.push(quote!(#value_cfg Self::#variant => #wire,));
        from_str.push(quote!(#value_cfg #wire => Self::#variant,));
    }
    // Generated code names deprecated variants itself; users still get the warning.
    let allow = values
        .iter()
        .any(|v| v.deprecated)
        .then(|| quote!(#[allow(deprecated, reason = "the generated impls name every variant")]));
    // `#[derive(Default)]` on the first stable value; hand-written when there is none
    // (then the default is an empty unknown value) or when it is deprecated (a derived
    // default would warn in every build).
    let default_index = values
        .iter()
        .position(|v| v.availability == Availability::Stable);
    let derived = default_index.filter(|&i| !values[i].deprecated);
    let variants = variants.into_iter().enumerate().map(|(i, (doc, v))| {
        let default = (Some(i) == derived).then(|| quote!(#[default]));
        quote!(#doc #default #v)
    });
    let derive_default = derived.map(|_| quote!(Default,));
    let default_impl = match (derived, default_index) {
        (Some(_), _) => None,
        (None, Some(i)) => {
            let variant = ident(&values[i].rust_name)?;
            Some(quote! {
                #cfg
                #[allow(deprecated, reason = "the API's default value is deprecated")]
                impl Default for #name {
                    fn default() -> Self {
                        Self::#variant
                    }
                }
            })
        }
        (None, None) => Some(quote! {
            #cfg
            impl Default for #name {
                fn default() -> Self {
                    Self::#unknown(::google_api_runtime::contract::unknown_value(""))
                }
            }
        }),
    };
    // Only enums that method parameters use go into query strings.
    let query_value = ctx.parameter_types.contains(&td.rust_name).then(|| {
        quote! {
            #cfg
            impl ::google_api_runtime::contract::QueryValue for #name {
                fn to_query_value(&self) -> String {
                    self.as_str().to_owned()
                }
            }
        }
    });
    Ok(quote! {
        #docs
        #cfg
        #[derive(Debug, Clone, #derive_default PartialEq, Eq, Hash)]
        #[non_exhaustive]
        pub enum #name {
            #(#variants)*
            /// A value this version of the crate does not know, kept as sent.
            #unknown(::google_api_runtime::types::UnknownValue),
        }
        #cfg
        #allow
        impl #name {
            /// The value on the wire.
            pub fn as_str(&self) -> &str {
                match self {
                    #(#to_str)*
                    Self::#unknown(value) => value.as_str(),
                }
            }
        }
        #cfg
        #allow
        impl From<&str> for #name {
            fn from(value: &str) -> Self {
                match value {
                    #(#from_str)*
                    _ => Self::#unknown(::google_api_runtime::contract::unknown_value(value)),
                }
            }
        }
        #default_impl
        #cfg
        wire::string_enum!(#name);
        #query_value
    })
}
