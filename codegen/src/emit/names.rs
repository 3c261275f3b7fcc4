//! Resource name forms -> the `names` module: one newtype per form, with a checked
//! constructor from its segments, segment accessors, and (from the runtime's
//! `::google_api_runtime::contract::resource_name::resource_name!`) parsing, `Display` and conversions to `String`.

use crate::model::ResourceName;
use proc_macro2::TokenStream;
use quote::quote;

use super::docs::doc_attrs;
use super::idents::{cfg_attr, ident};

/// Members every name type has; a segment accessor with one of these names gets the
/// suffix `_segment`.
const RESERVED: &[&str] = &["new", "as_str", "to_string", "clone", "parse"];

/// The items of one resource name type.
pub fn name_def(name: &ResourceName, used_by: &[String]) -> anyhow::Result<TokenStream> {
    let ty = ident(&name.rust_name)?;
    let cfg = cfg_attr(name.availability);
    let template = &name.template;
    let mut text = format!(
        "A resource name of the form `{template}`, checked when it is made.\n\nRequest builders take it wherever they take the name as a string; a string is checked against the same form before the request is sent."
    );
    if !used_by.is_empty() {
        let shown: Vec<String> = used_by.iter().take(6).map(|m| format!("`{m}`")).collect();
        let more = if used_by.len() > 6 { ", ..." } else { "" };
        text.push_str(&format!("\n\nUsed by {}{more}.", shown.join(", ")));
    }
    let doc = doc_attrs(&text);
    let args: Vec<TokenStream> = name
        .variables
        .iter()
        .map(|v| {
            let v = ident(v)?;
            Ok(quote!(#v: impl AsRef<str>))
        })
        .collect::<anyhow::Result<_>>()?;
    let parts: Vec<TokenStream> = name
        .variables
        .iter()
        .map(|v| {
            let v = ident(v)?;
            Ok(quote!(#v.as_ref()))
        })
        .collect::<anyhow::Result<_>>()?;
    let ctor_doc = doc_attrs(&format!(
        "`{template}` from its segments.\n\n# Errors\n\nWhen a segment is empty, is `.` or `..`, or contains `/`."
    ));
    let mut accessors = Vec::new();
    for (index, segment) in template.split('/').enumerate() {
        if let Some(var) = segment.strip_prefix('{').and_then(|s| s.strip_suffix('}')) {
            let fn_name = if RESERVED.contains(&var) {
                format!("{var}_segment")
            } else {
                var.to_owned()
            };
            let f = ident(&fn_name)?;
            let d = doc_attrs(&format!("The `{{{var}}}` segment."));
            accessors.push(quote! {
                #d
                pub fn #f(&self) -> &str {
                    ::google_api_runtime::contract::resource_name::segment(&self.0, #index)
                }
            });
        }
    }
    Ok(quote! {
        #doc
        #cfg
        #[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Hash)]
        pub struct #ty(String);
        #cfg
        ::google_api_runtime::contract::resource_name::resource_name!(#ty, #template);
        #cfg
        impl #ty {
            #ctor_doc
            pub fn new(#(#args),*) -> Result<Self, ::google_api_runtime::InvalidName> {
                ::google_api_runtime::contract::resource_name::build(Self::TEMPLATE, &[#(#parts),*]).map(Self)
            }
            #(#accessors)*
        }
    })
}
