//! Resources, methods and parameters, with their Rust names.

use std::collections::{BTreeMap, BTreeSet};

use super::merge::Marks;
use super::naming::{self, Candidate};
use super::types::{TypeBuilder, scalar};
use super::{Availability, MediaUpload, Method, ParamLocation, Parameter, Resource, TypeRef};
use discovery::document::{self, Document};
use discovery::error::{Error, Result};

/// Names a resource accessor may not take on `Client` (its own members), and gets the
/// suffix `_resource` (methods: `_method`) instead.
const CLIENT_RESERVED: &[&str] = super::reserved::CLIENT_MEMBERS;

/// Names a handle method or accessor may not take on a resource handle.
const HANDLE_RESERVED: &[&str] = super::reserved::HANDLE_MEMBERS;

/// Names a parameter may not take on a request builder (its fields, its other methods and
/// those of `WithStandardParams`/`Pageable`), and gets the suffix `_param` instead.
const BUILDER_RESERVED: &[&str] = super::reserved::BUILDER_MEMBERS;

/// Builds the resource tree of a merged document.
pub struct ResourceBuilder<'a, 'b> {
    doc: &'a Document,
    marks: &'a Marks,
    origin: &'a str,
    types: &'b mut TypeBuilder<'a>,
    /// Crate-wide names of handle types and builders, by JSON path of the resource/method.
    type_names: BTreeMap<String, String>,
}

fn with_reserved(base: String, reserved: &[&str], suffix: &str) -> String {
    if reserved.contains(&base.as_str()) {
        base + suffix
    } else {
        base
    }
}

fn camel_path(wire_path: &[String]) -> String {
    wire_path.iter().map(|s| naming::camel(s)).collect()
}

impl<'a, 'b> ResourceBuilder<'a, 'b> {
    /// A builder over `doc`, registering parameter enums with `types`.
    pub fn new(
        doc: &'a Document,
        marks: &'a Marks,
        origin: &'a str,
        types: &'b mut TypeBuilder<'a>,
    ) -> Self {
        let mut candidates = Vec::new();
        if !doc.methods.is_empty() {
            candidates.push(Candidate::new("", "RootResource"));
        }
        for name in doc.methods.keys() {
            let key = format!("methods.{name}");
            let availability = marks.of(Availability::Stable, &key);
            candidates.push(
                Candidate::new(key, format!("{}Request", naming::camel(name)))
                    .available(availability),
            );
        }
        let root = Owner {
            json_path: "",
            availability: Availability::Stable,
        };
        collect_type_candidates(&doc.resources, root, &[], marks, &mut candidates);
        let mut taken: BTreeSet<String> = naming::RESERVED_TYPE_NAMES
            .iter()
            .map(|s| (*s).to_owned())
            .collect();
        let names = naming::assign(&candidates, &mut taken);
        let type_names = candidates.into_iter().map(|c| c.wire).zip(names).collect();
        ResourceBuilder {
            doc,
            marks,
            origin,
            types,
            type_names,
        }
    }

    fn invalid(&self, path: &str, message: impl Into<String>) -> Error {
        Error::Invalid {
            origin: self.origin.to_owned(),
            path: path.to_owned(),
            message: message.into(),
        }
    }

    /// The top-level resources (and the root resource of top-level methods, if any).
    pub fn build(mut self) -> Result<Vec<Resource>> {
        let doc = self.doc;
        let root = Owner {
            json_path: "",
            availability: Availability::Stable,
        };
        let accessors = accessor_names(
            &doc.resources,
            &doc.methods,
            CLIENT_RESERVED,
            root,
            self.marks,
        );
        let mut out = Vec::new();
        if !doc.methods.is_empty() {
            let root = document::Resource {
                methods: doc.methods.clone(),
                resources: BTreeMap::new(),
                deprecated: false,
            };
            let place = Place {
                json_path: String::new(),
                wire_path: Vec::new(),
                module_path: Vec::new(),
                rust_name: String::new(),
                inherited: Availability::Stable,
                method_names: Some(accessors.1),
            };
            out.push(self.resource(place, &root)?);
        }
        for (name, res) in &doc.resources {
            let rust_name = accessors.0.get(name).cloned().unwrap_or_default();
            let place = Place {
                json_path: format!("resources.{name}"),
                wire_path: vec![name.clone()],
                module_path: vec![rust_name.clone()],
                rust_name,
                inherited: Availability::Stable,
                method_names: None,
            };
            out.push(self.resource(place, res)?);
        }
        Ok(out)
    }

    /// One resource, at `place`.
    fn resource(&mut self, place: Place, res: &document::Resource) -> Result<Resource> {
        let json_path = place.json_path.as_str();
        let availability = if json_path.is_empty() {
            place.inherited
        } else {
            self.marks.of(place.inherited, json_path)
        };
        let (sub_names, own_method_names) = match place.method_names {
            Some(method_names) => (BTreeMap::new(), method_names),
            None => {
                let owner = Owner {
                    json_path,
                    availability,
                };
                accessor_names(
                    &res.resources,
                    &res.methods,
                    HANDLE_RESERVED,
                    owner,
                    self.marks,
                )
            }
        };
        let owner = Owner {
            json_path,
            availability,
        };
        let mut methods = Vec::with_capacity(res.methods.len());
        for (name, method) in &res.methods {
            let method_path = owner.child("methods", name);
            let rust = own_method_names.get(name).cloned().unwrap_or_default();
            methods.push(self.method(name, &method_path, rust, method, availability)?);
        }
        let mut resources = Vec::with_capacity(res.resources.len());
        for (name, sub) in &res.resources {
            let rust = sub_names.get(name).cloned().unwrap_or_default();
            let mut wire_path = place.wire_path.clone();
            wire_path.push(name.clone());
            let mut module_path = place.module_path.clone();
            module_path.push(rust.clone());
            let sub_place = Place {
                json_path: owner.child("resources", name),
                wire_path,
                module_path,
                rust_name: rust,
                inherited: availability,
                method_names: None,
            };
            resources.push(self.resource(sub_place, sub)?);
        }
        Ok(Resource {
            wire_name: place.wire_path.last().cloned().unwrap_or_default(),
            type_name: self.type_names.get(json_path).cloned().unwrap_or_default(),
            wire_path: place.wire_path,
            rust_name: place.rust_name,
            module_path: place.module_path,
            description: None,
            deprecated: res.deprecated,
            availability,
            methods,
            resources,
        })
    }

    fn method(
        &mut self,
        wire_name: &str,
        json_path: &str,
        rust_name: String,
        method: &document::Method,
        inherited: Availability,
    ) -> Result<Method> {
        let availability = self.marks.of(inherited, json_path);
        let builder_name = self.type_names.get(json_path).cloned().unwrap_or_default();
        let stem = builder_name
            .strip_suffix("Request")
            .unwrap_or(&builder_name)
            .to_owned();
        let parameters = self.parameters(method, json_path, &stem, availability)?;
        let request = match &method.request {
            Some(r) => Some(
                self.types
                    .resolve(&r.reference, &format!("{json_path}.request"))?,
            ),
            None => None,
        };
        let response = match &method.response {
            Some(r) => Some(
                self.types
                    .resolve(&r.reference, &format!("{json_path}.response"))?,
            ),
            None => None,
        };
        let mut scopes = method.scopes.clone();
        scopes.sort();
        scopes.dedup();
        let media_upload = match &method.media_upload {
            Some(upload)
                if method.supports_media_upload
                    || upload.protocols.simple.is_some()
                    || upload.protocols.resumable.is_some() =>
            {
                let max_size = match &upload.max_size {
                    Some(size) => Some(parse_size(size).ok_or_else(|| {
                        self.invalid(
                            &format!("{json_path}.mediaUpload.maxSize"),
                            format!("cannot read `{size}` as a size (digits, then KB/MB/GB/TB)"),
                        )
                    })?),
                    None => None,
                };
                Some(MediaUpload {
                    accept: upload.accept.clone(),
                    max_size,
                    simple_path: upload.protocols.simple.as_ref().map(|p| p.path.clone()),
                    simple_multipart: upload
                        .protocols
                        .simple
                        .as_ref()
                        .is_some_and(|p| p.multipart),
                    resumable_path: upload.protocols.resumable.as_ref().map(|p| p.path.clone()),
                })
            }
            _ => None,
        };
        Ok(Method {
            id: method.id.clone(),
            wire_name: wire_name.to_owned(),
            rust_name,
            builder_name,
            description: method.description.clone(),
            http_method: method.http_method.to_ascii_uppercase(),
            path: method.path.clone(),
            flat_path: method.flat_path.clone(),
            parameters,
            request,
            response,
            scopes,
            deprecated: method.deprecated,
            media_upload,
            supports_media_download: method.supports_media_download,
            use_media_download_service: method.use_media_download_service,
            pagination: None,
            availability,
        })
    }

    fn parameters(
        &mut self,
        method: &document::Method,
        json_path: &str,
        stem: &str,
        availability: Availability,
    ) -> Result<Vec<Parameter>> {
        for (i, name) in method.parameter_order.iter().enumerate() {
            if !method.parameters.contains_key(name) {
                return Err(self.invalid(
                    &format!("{json_path}.parameterOrder[{i}]"),
                    format!("names `{name}`, which is not a parameter of the method"),
                ));
            }
        }
        let mut out = Vec::with_capacity(method.parameters.len());
        for (name, p) in &method.parameters {
            let path = format!("{json_path}.parameters.{name}");
            let param_availability = self.marks.of(availability, &path);
            let ty = if p.enum_.is_empty() {
                parameter_scalar(p).ok_or_else(|| self.unsupported(&path, p))?
            } else {
                self.types
                    .parameter_enum(&path, stem, name, p, param_availability)?
            };
            out.push(self.parameter(name, &path, p, ty, param_availability)?);
        }
        let position = |name: &str| method.parameter_order.iter().position(|n| n == name);
        out.sort_by(|a, b| {
            let key = |p: &Parameter| {
                (
                    !p.required,
                    if p.required {
                        position(&p.wire_name)
                    } else {
                        None
                    }
                    .unwrap_or(usize::MAX),
                    p.wire_name.clone(),
                )
            };
            key(a).cmp(&key(b))
        });
        let candidates: Vec<Candidate> = out
            .iter()
            .map(|p| {
                let base = with_reserved(naming::snake(&p.wire_name), BUILDER_RESERVED, "_param");
                Candidate::new(p.wire_name.clone(), base).available(p.availability)
            })
            .collect();
        for (p, name) in out
            .iter_mut()
            .zip(naming::assign(&candidates, &mut BTreeSet::new()))
        {
            p.rust_name = name;
        }
        Ok(out)
    }

    fn unsupported(&self, path: &str, p: &document::Parameter) -> Error {
        self.invalid(
            path,
            format!(
                "unsupported parameter type `{}`",
                p.type_.as_deref().unwrap_or("")
            ),
        )
    }

    fn parameter(
        &self,
        name: &str,
        path: &str,
        p: &document::Parameter,
        ty: TypeRef,
        availability: Availability,
    ) -> Result<Parameter> {
        let location = match p.location.as_str() {
            "path" => ParamLocation::Path,
            "query" => ParamLocation::Query,
            other => {
                return Err(self.invalid(
                    &format!("{path}.location"),
                    format!(
                        "unsupported parameter location `{other}` (expected `path` or `query`)"
                    ),
                ));
            }
        };
        Ok(Parameter {
            wire_name: name.to_owned(),
            rust_name: String::new(),
            location,
            required: p.required,
            repeated: p.repeated,
            ty,
            description: p.description.clone(),
            pattern: p.pattern.clone(),
            name_template: None,
            name_type: None,
            default: p.default.clone(),
            deprecated: p.deprecated,
            availability,
        })
    }

    /// The parameters every method accepts, sorted by wire name. Their enums stay
    /// [`TypeRef::String`]: the runtime's hand-written `StandardParams` owns them.
    pub fn standard_parameters(&self) -> Result<Vec<Parameter>> {
        let mut out = Vec::new();
        for (name, p) in &self.doc.parameters {
            let path = format!("parameters.{name}");
            let availability = self.marks.of(Availability::Stable, &path);
            let ty = parameter_scalar(p).ok_or_else(|| self.unsupported(&path, p))?;
            out.push(self.parameter(name, &path, p, ty, availability)?);
        }
        let candidates: Vec<Candidate> = out
            .iter()
            .map(|p| {
                Candidate::new(p.wire_name.clone(), naming::snake(&p.wire_name))
                    .available(p.availability)
            })
            .collect();
        for (p, name) in out
            .iter_mut()
            .zip(naming::assign(&candidates, &mut BTreeSet::new()))
        {
            p.rust_name = name;
        }
        Ok(out)
    }
}

fn parameter_scalar(p: &document::Parameter) -> Option<TypeRef> {
    let ty = p.type_.as_deref().unwrap_or("string");
    match ty {
        "object" | "array" => None,
        _ => scalar(ty, p.format.as_deref()),
    }
}

/// Where a resource sits in the tree, and what its parent decided for it.
struct Place {
    /// JSON path (`resources.spaces.resources.messages`; empty for the root resource).
    json_path: String,
    wire_path: Vec<String>,
    module_path: Vec<String>,
    /// Its accessor name, decided in the parent's scope.
    rust_name: String,
    /// The parent's availability.
    inherited: Availability,
    /// Names of its methods when a scope other than its own decides them (the root
    /// resource's methods share the `Client` scope with the top-level accessors).
    method_names: Option<BTreeMap<String, String>>,
}

/// Where a handle's members sit: the JSON path of the resource (empty for the root) and
/// its availability.
#[derive(Clone, Copy)]
struct Owner<'p> {
    json_path: &'p str,
    availability: Availability,
}

impl Owner<'_> {
    fn child(&self, kind: &str, name: &str) -> String {
        if self.json_path.is_empty() {
            format!("{kind}.{name}")
        } else {
            format!("{}.{kind}.{name}", self.json_path)
        }
    }
}

/// Accessor names of sub-resources and method names of one handle (one scope: resources
/// rank first), by wire name.
fn accessor_names(
    resources: &BTreeMap<String, document::Resource>,
    methods: &BTreeMap<String, document::Method>,
    reserved: &[&str],
    owner: Owner<'_>,
    marks: &Marks,
) -> (BTreeMap<String, String>, BTreeMap<String, String>) {
    let mut candidates = Vec::new();
    for name in resources.keys() {
        let base = with_reserved(naming::snake(name), reserved, "_resource");
        let availability = marks.of(owner.availability, &owner.child("resources", name));
        candidates.push(Candidate::new(name.clone(), base).available(availability));
    }
    for name in methods.keys() {
        let base = with_reserved(naming::snake(name), reserved, "_method");
        let availability = marks.of(owner.availability, &owner.child("methods", name));
        candidates.push(
            Candidate::new(name.clone(), base)
                .available(availability)
                .priority(1),
        );
    }
    let names = naming::assign(&candidates, &mut BTreeSet::new());
    let mut res = BTreeMap::new();
    let mut meth = BTreeMap::new();
    for (c, name) in candidates.into_iter().zip(names) {
        if c.priority == 0 {
            res.insert(c.wire, name);
        } else {
            meth.insert(c.wire, name);
        }
    }
    (res, meth)
}

/// Candidates for the crate-wide names of handle types and builders, keyed by JSON path.
fn collect_type_candidates(
    resources: &BTreeMap<String, document::Resource>,
    owner: Owner<'_>,
    wire_path: &[String],
    marks: &Marks,
    out: &mut Vec<Candidate>,
) {
    for (name, res) in resources {
        let key = owner.child("resources", name);
        let availability = marks.of(owner.availability, &key);
        let mut path = wire_path.to_vec();
        path.push(name.clone());
        let stem = camel_path(&path);
        out.push(Candidate::new(key.clone(), format!("{stem}Resource")).available(availability));
        let this = Owner {
            json_path: &key,
            availability,
        };
        for method in res.methods.keys() {
            let method_key = this.child("methods", method);
            let method_availability = marks.of(availability, &method_key);
            out.push(
                Candidate::new(
                    method_key,
                    format!("{stem}{}Request", naming::camel(method)),
                )
                .available(method_availability),
            );
        }
        collect_type_candidates(&res.resources, this, &path, marks, out);
    }
}

/// Parses a Discovery `maxSize` (`209715200`, `10MB`, `5120GB`; binary units).
pub fn parse_size(text: &str) -> Option<u64> {
    let text = text.trim();
    let digits_end = text
        .find(|c: char| !c.is_ascii_digit())
        .unwrap_or(text.len());
    let (digits, unit) = text.split_at(digits_end);
    let number: u64 = digits.parse().ok()?;
    let shift = match unit.trim().to_ascii_uppercase().as_str() {
        "" | "B" => 0,
        "KB" | "K" => 10,
        "MB" | "M" => 20,
        "GB" | "G" => 30,
        "TB" | "T" => 40,
        _ => return None,
    };
    number.checked_mul(1u64 << shift)
}

#[cfg(test)]
mod tests {
    use super::parse_size;

    #[test]
    fn sizes() {
        assert_eq!(parse_size("209715200"), Some(209_715_200));
        assert_eq!(parse_size("10MB"), Some(10 << 20));
        assert_eq!(parse_size("5120GB"), Some(5120u64 << 30));
        assert_eq!(parse_size("lots"), None);
        assert_eq!(parse_size(""), None);
    }
}
