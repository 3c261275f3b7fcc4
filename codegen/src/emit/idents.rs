//! Identifiers, Rust types of [`TypeRef`]s and `cfg` attributes of [`Availability`].
//!
//! Names themselves are decided in `crate::model`; this only turns them into tokens.

use std::collections::BTreeMap;

use crate::model::{Availability, TypeDef, TypeKind, TypeRef};
use proc_macro2::{Ident, Span, TokenStream};
use quote::quote;

/// Keywords that need `r#` when a name from the model is one (the model normally
/// suffixes them with `_`; this keeps generation safe either way).
const KEYWORDS: &[&str] = &[
    "as", "async", "await", "break", "const", "continue", "dyn", "else", "enum", "extern", "false",
    "fn", "for", "gen", "if", "impl", "in", "let", "loop", "match", "mod", "move", "mut", "pub",
    "ref", "return", "static", "struct", "trait", "true", "type", "unsafe", "use", "where",
    "while", "abstract", "become", "box", "do", "final", "macro", "override", "priv", "try",
    "typeof", "unsized", "virtual", "yield",
];

/// Names that cannot be raw identifiers.
const NOT_RAW: &[&str] = &["self", "Self", "super", "crate", "_"];

/// An identifier for a name the model decided; a keyword becomes a raw identifier.
///
/// # Errors
///
/// When `name` is not an identifier at all (a bug in the model, reported instead of a
/// panic inside `proc_macro2`).
pub fn ident(name: &str) -> anyhow::Result<Ident> {
    let bare = name.strip_prefix("r#").unwrap_or(name);
    let valid = bare
        .chars()
        .next()
        .is_some_and(|c| c.is_ascii_alphabetic() || c == '_')
        && bare.chars().all(|c| c.is_ascii_alphanumeric() || c == '_')
        && !NOT_RAW.contains(&bare);
    anyhow::ensure!(
        valid,
        "the model named an item {name:?}, which is not a Rust identifier"
    );
    Ok(if KEYWORDS.contains(&bare) {
        Ident::new_raw(bare, Span::call_site())
    } else {
        Ident::new(bare, Span::call_site())
    })
}

/// The file/module spelling of a name (without `r#`).
pub fn file_stem(name: &str) -> &str {
    name.strip_prefix("r#").unwrap_or(name)
}

/// The `cfg` attribute of an item with this availability: preview-only items need the
/// `developer-preview` feature; everything else is always there.
///
/// Stable-only items (in the stable document, dropped from the preview one) are *not*
/// removed by the feature: Cargo features must be additive, and a dependency turning
/// the feature on must not take away an item another crate in the same build uses. Their
/// docs say that the preview no longer has them.
pub fn cfg_attr(availability: Availability) -> TokenStream {
    match availability {
        Availability::Stable | Availability::StableOnly => TokenStream::new(),
        Availability::PreviewOnly => quote!(#[cfg(feature = "developer-preview")]),
    }
}

/// The `cfg` attribute of an item inside a parent item that already carries its own:
/// nothing when both have the same availability.
pub fn cfg_within(parent: Availability, child: Availability) -> TokenStream {
    if parent == child || parent == Availability::PreviewOnly {
        TokenStream::new()
    } else {
        cfg_attr(child)
    }
}

/// How named types are written where a [`TypeRef`] appears.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Scope<'a> {
    /// Inside the file of a types module: `None` for `models`, `Some("cards")` for a
    /// module of its own (see [`crate::model::TypeDef::module`]). A type of the same
    /// module is written bare (`Message`), others by path (`crate::cards::Card`).
    Types(Option<&'a str>),
    /// Anywhere else: `crate::models::Message`, `crate::cards::Card`.
    Elsewhere,
}

/// Lookup of named types, for alias resolution.
#[derive(Debug)]
pub struct Types<'a> {
    by_name: BTreeMap<&'a str, &'a TypeDef>,
}

impl<'a> Types<'a> {
    /// Indexes `types` by Rust name.
    pub fn new(types: &'a [TypeDef]) -> Self {
        Self {
            by_name: types.iter().map(|t| (t.rust_name.as_str(), t)).collect(),
        }
    }

    /// The type named `name`.
    pub fn get(&self, name: &str) -> Option<&'a TypeDef> {
        self.by_name.get(name).copied()
    }

    /// Whether `ty`'s integers travel as JSON strings (`int64`/`uint64`, possibly in
    /// arrays, maps or through aliases), needing `::google_api_runtime::contract::wire::int64`.
    pub fn has_string_ints(&self, ty: &TypeRef) -> bool {
        self.has_string_ints_depth(ty, 0)
    }

    fn has_string_ints_depth(&self, ty: &TypeRef, depth: usize) -> bool {
        match ty {
            TypeRef::I64 | TypeRef::U64 => true,
            TypeRef::Array(inner) | TypeRef::Map(inner) => self.has_string_ints_depth(inner, depth),
            TypeRef::Named(name) if depth < 16 => match self.get(name).map(|t| &t.kind) {
                Some(TypeKind::Alias(inner)) => self.has_string_ints_depth(inner, depth + 1),
                _ => false,
            },
            _ => false,
        }
    }

    /// Whether `ty` is (an alias of) `String`, so setters can take `impl Into<String>`.
    pub fn is_string(&self, ty: &TypeRef) -> bool {
        match ty {
            TypeRef::String => true,
            TypeRef::Named(name) => {
                matches!(
                    self.get(name).map(|t| &t.kind),
                    Some(TypeKind::Alias(TypeRef::String))
                )
            }
            _ => false,
        }
    }
}

/// The Rust type of `ty`.
pub fn rust_type(ty: &TypeRef, scope: Scope<'_>) -> anyhow::Result<TokenStream> {
    Ok(match ty {
        TypeRef::String => quote!(String),
        TypeRef::Bool => quote!(bool),
        TypeRef::I32 => quote!(i32),
        TypeRef::U32 => quote!(u32),
        TypeRef::I64 => quote!(i64),
        TypeRef::U64 => quote!(u64),
        TypeRef::F32 => quote!(f32),
        TypeRef::F64 => quote!(f64),
        TypeRef::Bytes => quote!(::google_api_runtime::types::Bytes),
        TypeRef::DateTime => quote!(::google_api_runtime::types::Timestamp),
        TypeRef::Date => quote!(::google_api_runtime::types::Date),
        TypeRef::Duration => quote!(::google_api_runtime::types::Duration),
        TypeRef::FieldMask => quote!(::google_api_runtime::types::FieldMask),
        TypeRef::Any => quote!(serde_json::Value),
        TypeRef::Named(path) => {
            let (module, name) = match path.rsplit_once("::") {
                Some((module, name)) => (Some(module), name),
                None => (None, path.as_str()),
            };
            let name = ident(name)?;
            let module_ident = ident(module.unwrap_or("models"))?;
            match scope {
                Scope::Types(here) if here == module => quote!(#name),
                _ => quote!(crate::#module_ident::#name),
            }
        }
        TypeRef::Array(inner) => {
            let inner = rust_type(inner, scope)?;
            quote!(Vec<#inner>)
        }
        TypeRef::Map(inner) => {
            let inner = rust_type(inner, scope)?;
            quote!(std::collections::BTreeMap<String, #inner>)
        }
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn idents() {
        assert_eq!(ident("type").unwrap().to_string(), "r#type");
        assert_eq!(ident("r#move").unwrap().to_string(), "r#move");
        assert_eq!(ident("type_").unwrap().to_string(), "type_");
        assert!(ident("self").is_err());
        assert!(ident("9a").is_err());
        assert!(ident("a-b").is_err());
        assert!(ident("").is_err());
    }

    #[test]
    fn types() {
        let ty = TypeRef::Map(Box::new(TypeRef::Array(Box::new(TypeRef::Named(
            "Foo".into(),
        )))));
        assert_eq!(
            rust_type(&ty, Scope::Elsewhere).unwrap().to_string(),
            "std :: collections :: BTreeMap < String , Vec < crate :: models :: Foo > >"
        );
        let defs = [TypeDef {
            rust_name: "Id".into(),
            kind: TypeKind::Alias(TypeRef::Array(Box::new(TypeRef::U64))),
            ..TypeDef::default()
        }];
        let types = Types::new(&defs);
        assert!(types.has_string_ints(&TypeRef::Map(Box::new(TypeRef::Named("Id".into())))));
        assert!(!types.has_string_ints(&TypeRef::I32));
    }
}
