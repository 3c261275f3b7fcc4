//! Schemas to [`TypeDef`]s: top-level schemas, inline object schemas and enums promoted to
//! named types, formats to [`TypeRef`]s.
//!
//! While the model is being built, [`TypeRef::Named`] holds the type's *key* (its
//! [`TypeDef::wire_name`]: a schema id or a JSON path); [`TypeBuilder::finish`] names every
//! type and rewrites the keys to Rust names.

use std::collections::{BTreeMap, BTreeSet};

use super::merge::Marks;
use super::naming::{self, Candidate};
use super::{Availability, EnumValue, Field, TypeDef, TypeKind, TypeModule, TypeRef};
use discovery::document::{self, Document, Schema};
use discovery::error::{Error, Result};

/// How a type's name is derived.
#[derive(Debug, Clone)]
enum Naming {
    /// A top-level schema: from its id.
    Schema,
    /// An inline schema or enum: the parent type's Rust name + the segment in UpperCamelCase.
    Child { parent: String, segment: String },
    /// A parameter enum: a fixed prefix (the method's builder stem) + the parameter name.
    Prefixed { prefix: String, segment: String },
}

#[derive(Debug)]
struct Draft {
    def: TypeDef,
    naming: Naming,
    depth: usize,
}

/// Where an inline schema sits, for naming what it promotes.
#[derive(Debug, Clone, Copy)]
struct Site<'p> {
    /// Key of the type whose field (or items/values) this is.
    parent: &'p str,
    /// The field name (or `Item`/`Value` for a top-level array/map schema).
    segment: &'p str,
    availability: Availability,
    depth: usize,
}

/// Collects every named type of a document.
#[derive(Debug)]
pub struct TypeBuilder<'a> {
    doc: &'a Document,
    marks: &'a Marks,
    origin: &'a str,
    drafts: Vec<Draft>,
    keys: BTreeSet<String>,
    /// The document's type modules ([`super::type_modules`]).
    modules: &'static [TypeModule],
}

impl<'a> TypeBuilder<'a> {
    /// Converts every schema of `doc` (with everything they promote).
    pub fn new(doc: &'a Document, marks: &'a Marks, origin: &'a str) -> Result<Self> {
        let mut builder = TypeBuilder {
            doc,
            marks,
            origin,
            drafts: Vec::new(),
            keys: BTreeSet::new(),
            modules: super::type_modules(&doc.id),
        };
        for (id, schema) in &doc.schemas {
            builder.add_schema(id, schema)?;
        }
        Ok(builder)
    }

    fn invalid(&self, path: &str, message: impl Into<String>) -> Error {
        Error::Invalid {
            origin: self.origin.to_owned(),
            path: path.to_owned(),
            message: message.into(),
        }
    }

    fn push(&mut self, draft: Draft, path: &str) -> Result<()> {
        if !self.keys.insert(draft.def.wire_name.clone()) {
            return Err(self.invalid(
                path,
                format!("two types share the key `{}`", draft.def.wire_name),
            ));
        }
        self.drafts.push(draft);
        Ok(())
    }

    /// The key of a `$ref`erenced schema, or an error when there is no such schema.
    pub fn resolve(&self, reference: &str, path: &str) -> Result<TypeRef> {
        if self.doc.schemas.contains_key(reference) {
            Ok(TypeRef::Named(reference.to_owned()))
        } else {
            Err(self.invalid(path, format!("`$ref` names unknown schema `{reference}`")))
        }
    }

    fn add_schema(&mut self, id: &str, schema: &Schema) -> Result<()> {
        let json_path = format!("schemas.{id}");
        let availability = self.marks.of(Availability::Stable, &json_path);
        let kind = self.top_kind(schema, id, &json_path, availability)?;
        let def = TypeDef {
            wire_name: id.to_owned(),
            rust_name: String::new(),
            description: schema.description.clone(),
            deprecated: schema.deprecated,
            availability,
            kind,
        };
        self.push(
            Draft {
                def,
                naming: Naming::Schema,
                depth: 0,
            },
            &json_path,
        )
    }

    fn top_kind(
        &mut self,
        schema: &Schema,
        key: &str,
        json_path: &str,
        availability: Availability,
    ) -> Result<TypeKind> {
        if let Some(reference) = &schema.reference {
            return Ok(TypeKind::Alias(self.resolve(reference, json_path)?));
        }
        let site = |segment| Site {
            parent: key,
            segment,
            availability,
            depth: 1,
        };
        match schema.type_.as_deref() {
            Some("string") | None if !schema.enum_.is_empty() => {
                Ok(TypeKind::Enum(self.enum_values(
                    &schema.enum_,
                    &schema.enum_descriptions,
                    &schema.enum_deprecated,
                    json_path,
                    availability,
                )))
            }
            Some("object") | None => {
                if !schema.properties.is_empty() {
                    Ok(TypeKind::Struct(self.fields(
                        schema,
                        key,
                        availability,
                        0,
                    )?))
                } else if let Some(values) = &schema.additional_properties {
                    let path = format!("{key}.additionalProperties");
                    let ty = self.type_ref(values, &path, site("Value"))?;
                    Ok(TypeKind::Alias(TypeRef::Map(Box::new(ty))))
                } else {
                    Ok(TypeKind::Struct(Vec::new()))
                }
            }
            Some(_) => Ok(TypeKind::Alias(self.type_ref(schema, key, site("Item"))?)),
        }
    }

    fn enum_values(
        &self,
        values: &[String],
        descriptions: &[String],
        deprecated: &[bool],
        json_path: &str,
        availability: Availability,
    ) -> Vec<EnumValue> {
        let mut seen = BTreeSet::new();
        let mut out = Vec::new();
        for (i, value) in values.iter().enumerate() {
            if !seen.insert(value.as_str()) {
                continue;
            }
            out.push(EnumValue {
                wire_value: value.clone(),
                rust_name: String::new(),
                description: descriptions.get(i).filter(|d| !d.is_empty()).cloned(),
                deprecated: deprecated.get(i).copied().unwrap_or(false),
                availability: self
                    .marks
                    .of(availability, &format!("{json_path}.enum.{value}")),
            });
        }
        // Named in `finish`, once the enum's own name is known.
        out
    }

    /// The fields of an object schema whose key is `key`; `depth` is the key's depth.
    fn fields(
        &mut self,
        schema: &Schema,
        key: &str,
        availability: Availability,
        depth: usize,
    ) -> Result<Vec<Field>> {
        let mut fields = Vec::with_capacity(schema.properties.len());
        for (name, property) in &schema.properties {
            let path = format!("{key}.properties.{name}");
            let field_availability = self.marks.of(availability, &format!("schemas.{path}"));
            let site = Site {
                parent: key,
                segment: name,
                availability: field_availability,
                depth: depth + 1,
            };
            let ty = self.type_ref(property, &path, site)?;
            let mut required_for = property
                .annotations
                .as_ref()
                .map(|a| a.required.clone())
                .unwrap_or_default();
            required_for.sort();
            required_for.dedup();
            fields.push(Field {
                wire_name: name.clone(),
                rust_name: String::new(),
                ty,
                boxed: false,
                description: property.description.clone(),
                read_only: property.read_only,
                deprecated: property.deprecated,
                required_for,
                availability: field_availability,
            });
        }
        let candidates: Vec<Candidate> = fields
            .iter()
            .map(|f| {
                Candidate::new(f.wire_name.clone(), naming::snake(&f.wire_name))
                    .available(f.availability)
            })
            .collect();
        let mut taken: BTreeSet<String> = naming::RESERVED_FIELD_NAMES
            .iter()
            .map(|s| (*s).to_owned())
            .collect();
        let names = naming::assign(&candidates, &mut taken);
        for (field, name) in fields.iter_mut().zip(names) {
            field.rust_name = name;
        }
        naming::free_setter_names(&mut fields);
        Ok(fields)
    }

    /// The type of an inline schema at `path` (a key: `Parent.properties.field...`),
    /// promoting inline objects and enums to named types.
    fn type_ref(&mut self, schema: &Schema, path: &str, site: Site<'_>) -> Result<TypeRef> {
        let json_path = format!("schemas.{path}");
        if let Some(reference) = &schema.reference {
            return self.resolve(reference, &json_path);
        }
        let ty = schema.type_.as_deref();
        if matches!(ty, Some("string") | None) && !schema.enum_.is_empty() {
            let values = self.enum_values(
                &schema.enum_,
                &schema.enum_descriptions,
                &schema.enum_deprecated,
                &json_path,
                site.availability,
            );
            self.promote(schema, path, site, TypeKind::Enum(values))?;
            return Ok(TypeRef::Named(path.to_owned()));
        }
        match ty {
            Some("array") => {
                let Some(items) = &schema.items else {
                    return Err(self.invalid(&json_path, "array schema without `items`"));
                };
                let inner = self.type_ref(items, &format!("{path}.items"), site)?;
                Ok(TypeRef::Array(Box::new(inner)))
            }
            Some("object") | None => {
                if !schema.properties.is_empty() {
                    let fields = self.fields(schema, path, site.availability, site.depth)?;
                    self.promote(schema, path, site, TypeKind::Struct(fields))?;
                    Ok(TypeRef::Named(path.to_owned()))
                } else if let Some(values) = &schema.additional_properties {
                    let inner =
                        self.type_ref(values, &format!("{path}.additionalProperties"), site)?;
                    Ok(TypeRef::Map(Box::new(inner)))
                } else {
                    Ok(TypeRef::Any)
                }
            }
            Some(other) => scalar(other, schema.format.as_deref())
                .ok_or_else(|| self.invalid(&json_path, format!("unknown schema type `{other}`"))),
        }
    }

    fn promote(
        &mut self,
        schema: &Schema,
        key: &str,
        site: Site<'_>,
        kind: TypeKind,
    ) -> Result<()> {
        let def = TypeDef {
            wire_name: key.to_owned(),
            rust_name: String::new(),
            description: schema.description.clone(),
            deprecated: schema.deprecated,
            availability: site.availability,
            kind,
        };
        let draft = Draft {
            def,
            naming: Naming::Child {
                parent: site.parent.to_owned(),
                segment: site.segment.to_owned(),
            },
            depth: site.depth,
        };
        self.push(draft, &format!("schemas.{key}"))
    }

    /// Registers the enum of method parameter `parameter` (`p`) as a named type keyed by
    /// `json_path`, named `prefix` + the parameter name in UpperCamelCase.
    pub fn parameter_enum(
        &mut self,
        json_path: &str,
        prefix: &str,
        parameter: &str,
        p: &document::Parameter,
        availability: Availability,
    ) -> Result<TypeRef> {
        let values = self.enum_values(
            &p.enum_,
            &p.enum_descriptions,
            &p.enum_deprecated,
            json_path,
            availability,
        );
        let def = TypeDef {
            wire_name: json_path.to_owned(),
            rust_name: String::new(),
            description: p.description.clone(),
            deprecated: false,
            availability,
            kind: TypeKind::Enum(values),
        };
        let draft = Draft {
            def,
            naming: Naming::Prefixed {
                prefix: prefix.to_owned(),
                segment: parameter.to_owned(),
            },
            depth: usize::MAX,
        };
        self.push(draft, json_path)?;
        Ok(TypeRef::Named(json_path.to_owned()))
    }

    /// Names every type (level by level, so a child's name builds on its parent's final
    /// name) and returns them with the map from key to Rust name.
    pub fn finish(self) -> (Vec<TypeDef>, BTreeMap<String, String>) {
        let mut drafts = self.drafts;
        // Stable items first, so that a preview-only type never takes a name a stable one
        // would have had without the preview document; then level by level.
        let level_of = |d: &Draft| (d.def.availability == Availability::PreviewOnly, d.depth);
        let mut levels: Vec<(bool, usize)> = drafts.iter().map(level_of).collect();
        levels.sort_unstable();
        levels.dedup();
        let mut names: BTreeMap<String, String> = BTreeMap::new();
        let mut taken: BTreeSet<String> = BTreeSet::new();
        for key in levels {
            let level: Vec<usize> = (0..drafts.len())
                .filter(|&i| level_of(&drafts[i]) == key)
                .collect();
            let raws: Vec<(String, Option<String>)> = level
                .iter()
                .map(|&i| {
                    let draft = &drafts[i];
                    match &draft.naming {
                        Naming::Schema => {
                            let id = &draft.def.wire_name;
                            match self.modules.iter().find(|m| in_module(m, id)) {
                                // `GoogleAppsCardV1Card` is `cards::Card`.
                                Some(m) => {
                                    let short = id.strip_prefix(m.prefix).unwrap_or(id);
                                    (format!("{}::{}", m.module, naming::camel(short)), None)
                                }
                                None => (naming::camel(id), None),
                            }
                        }
                        Naming::Child { parent, segment } => {
                            let parent = names.get(parent).map(String::as_str).unwrap_or("");
                            // A child is in its parent's module: `cards::Button` +
                            // `type` is `cards::ButtonType`.
                            let (module, parent) = match parent.rsplit_once("::") {
                                Some((module, name)) => (format!("{module}::"), name),
                                None => (String::new(), parent),
                            };
                            let segment = naming::camel(segment);
                            // `Space.spaceType` is `SpaceType`, not `SpaceSpaceType`.
                            let short = (segment.len() > parent.len()
                                && !parent.is_empty()
                                && segment.starts_with(parent))
                            .then(|| format!("{module}{}", naming::type_name(segment.clone())));
                            (format!("{module}{parent}{segment}"), short)
                        }
                        Naming::Prefixed { prefix, segment } => {
                            (format!("{prefix}{}", naming::camel(segment)), None)
                        }
                    }
                })
                .collect();
            // A short name is used only when nothing else (in this level or before) has
            // or wants it; otherwise the type keeps its full `{Parent}{Field}` name.
            let mut wanted: BTreeMap<String, usize> = BTreeMap::new();
            for (long, short) in &raws {
                *wanted.entry(naming::type_name(long.clone())).or_default() += 1;
                if let Some(short) = short {
                    *wanted.entry(short.clone()).or_default() += 1;
                }
            }
            let candidates: Vec<Candidate> = level
                .iter()
                .zip(raws)
                .map(|(&i, (long, short))| {
                    let draft = &drafts[i];
                    let name = match short {
                        Some(short)
                            if !taken.contains(&short) && wanted.get(&short) == Some(&1) =>
                        {
                            short
                        }
                        _ => naming::type_name(long),
                    };
                    Candidate::new(draft.def.wire_name.clone(), name)
                        .available(draft.def.availability)
                })
                .collect();
            let assigned = naming::assign(&candidates, &mut taken);
            for (&i, name) in level.iter().zip(assigned) {
                names.insert(drafts[i].def.wire_name.clone(), name.clone());
                drafts[i].def.rust_name = name;
            }
        }
        let mut types: Vec<TypeDef> = drafts.into_iter().map(|d| d.def).collect();
        for def in &mut types {
            if let TypeKind::Enum(values) = &mut def.kind {
                name_variants(&def.rust_name, values);
            }
            match &mut def.kind {
                TypeKind::Struct(fields) => {
                    for field in fields {
                        rename(&mut field.ty, &names);
                    }
                }
                TypeKind::Alias(ty) => rename(ty, &names),
                TypeKind::Enum(_) => {}
            }
        }
        types.sort_by(|a, b| a.rust_name.cmp(&b.rust_name));
        (types, names)
    }
}

/// Names the variants of the enum `enum_name`: each value's UpperCamelCase name, without
/// a leading part that repeats the enum's name (`SpaceSpaceType::SpaceTypeUnspecified`
/// is `SpaceSpaceType::Unspecified`, `UserType::TypeUnspecified` is
/// `UserType::Unspecified`), unless that would give two values one name; then both keep
/// their full names.
fn name_variants(enum_name: &str, values: &mut [EnumValue]) {
    let bases: Vec<String> = values
        .iter()
        .map(|v| naming::variant(&v.wire_value))
        .collect();
    let short: Vec<Option<String>> = bases
        .iter()
        .map(|base| naming::without_repeated_prefix(enum_name, base))
        .collect();
    let mut wanted: BTreeMap<String, usize> = BTreeMap::new();
    for (base, short) in bases.iter().zip(&short) {
        *wanted
            .entry(short.clone().unwrap_or_else(|| base.clone()))
            .or_default() += 1;
        if short.is_some() {
            *wanted.entry(base.clone()).or_default() += 1;
        }
    }
    let candidates: Vec<Candidate> = values
        .iter()
        .zip(bases.iter().zip(short))
        .map(|(v, (base, short))| {
            let name = match short {
                Some(short) if wanted.get(short.as_str()) == Some(&1) => short,
                _ => base.clone(),
            };
            Candidate::new(v.wire_value.clone(), name).available(v.availability)
        })
        .collect();
    let mut taken = BTreeSet::from([naming::UNKNOWN_VARIANT.to_owned()]);
    for (value, name) in values
        .iter_mut()
        .zip(naming::assign(&candidates, &mut taken))
    {
        value.rust_name = name;
    }
}

/// Whether the schema `id` belongs in the type module `m`.
fn in_module(m: &TypeModule, id: &str) -> bool {
    (id.len() > m.prefix.len() && id.starts_with(m.prefix)) || m.also.contains(&id)
}

/// Rewrites the keys in [`TypeRef::Named`] to Rust names.
pub fn rename(ty: &mut TypeRef, names: &BTreeMap<String, String>) {
    match ty {
        TypeRef::Named(key) => {
            if let Some(name) = names.get(key) {
                *key = name.clone();
            }
        }
        TypeRef::Array(inner) | TypeRef::Map(inner) => rename(inner, names),
        _ => {}
    }
}

/// The type of a scalar JSON type with a format; `None` for an unknown JSON type.
pub fn scalar(json_type: &str, format: Option<&str>) -> Option<TypeRef> {
    Some(match (json_type, format) {
        (_, Some("int64")) => TypeRef::I64,
        (_, Some("uint64")) => TypeRef::U64,
        ("integer", Some("uint32")) => TypeRef::U32,
        ("integer", _) => TypeRef::I32,
        ("number", Some("float")) => TypeRef::F32,
        ("number", _) => TypeRef::F64,
        ("boolean", _) => TypeRef::Bool,
        ("any", _) => TypeRef::Any,
        ("string", Some("byte")) => TypeRef::Bytes,
        ("string", Some("google-datetime" | "date-time")) => TypeRef::DateTime,
        ("string", Some("date")) => TypeRef::Date,
        ("string", Some("google-duration")) => TypeRef::Duration,
        ("string", Some("google-fieldmask")) => TypeRef::FieldMask,
        ("string", _) => TypeRef::String,
        _ => return None,
    })
}
