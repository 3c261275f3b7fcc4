//! The rules a parsed [`Document`] must follow before anything is generated from it.
//!
//! Serde checks shapes; these checks catch the cross-references serde cannot see: a
//! `$ref` to a schema that does not exist, a `{name}` in a path template with no path
//! parameter behind it, a `parameterOrder` naming nothing. Catching them here, with the
//! JSON path of the culprit, means the generator downstream never has to guess or panic.
//! Checks run in key order (the maps are `BTreeMap`s), so the first error reported for a
//! given document is always the same one.

use std::collections::BTreeMap;

use super::{Document, MediaUpload, Method, Parameter, Schema, SchemaRef};
use crate::error::{Error, Result};

/// The variables of a path template, in order, as `(name, reserved)`.
///
/// `{name}` gives `("name", false)` (the value is percent-encoded when expanded);
/// `{+name}` gives `("name", true)` (reserved characters such as `/` are kept).
/// Templates of a loaded [`Document`] are checked to use only these two forms; in any
/// other string, expressions of other forms (`{/x}`, `{?x}`, `{x*}`) and unbalanced
/// braces are skipped.
///
/// ```
/// use discovery::document::path_template_vars;
/// assert_eq!(
///     path_template_vars("v1/{+parent}/messages/{messageId}"),
///     vec![("parent", true), ("messageId", false)],
/// );
/// ```
pub fn path_template_vars(template: &str) -> Vec<(&str, bool)> {
    parse_template(template)
        .into_iter()
        .filter_map(|part| part.ok())
        .collect()
}

/// Splits a template into its variables, each either `(name, reserved)` or a message
/// saying why the expression is not supported.
fn parse_template(template: &str) -> Vec<Result<(&str, bool), String>> {
    let mut vars = Vec::new();
    let mut rest = template;
    while let Some(open) = rest.find(['{', '}']) {
        if rest[open..].starts_with('}') {
            vars.push(Err(format!("stray `}}` in path template `{template}`")));
            rest = &rest[open + 1..];
            continue;
        }
        let after = &rest[open + 1..];
        let Some(close) = after.find('}') else {
            vars.push(Err(format!("unclosed `{{` in path template `{template}`")));
            break;
        };
        let expression = &after[..close];
        let (name, reserved) = match expression.strip_prefix('+') {
            Some(name) => (name, true),
            None => (expression, false),
        };
        let valid_name = !name.is_empty()
            && name
                .chars()
                .all(|c| c.is_ascii_alphanumeric() || c == '_' || c == '.');
        vars.push(if valid_name {
            Ok((name, reserved))
        } else {
            Err(format!(
                "unsupported expression `{{{expression}}}` in path template `{template}` \
                 (only {{name}} and {{+name}} are supported)"
            ))
        });
        rest = &after[close + 1..];
    }
    vars
}

/// Checks every rule; the error names `origin` and the JSON path of the first offender.
pub(super) fn validate(document: &Document, origin: &str) -> Result<()> {
    let invalid = |path: String, message: String| Error::Invalid {
        origin: origin.to_owned(),
        path,
        message,
    };
    let schemas = &document.schemas;
    for (name, parameter) in &document.parameters {
        check_location(parameter, &format!("parameters.{name}")).map_err(|(p, m)| invalid(p, m))?;
    }
    for (id, schema) in schemas {
        check_schema(schema, schemas, &format!("schemas.{id}")).map_err(|(p, m)| invalid(p, m))?;
    }
    for (path, method) in document.methods_with_paths() {
        check_method(method, schemas, &path).map_err(|(p, m)| invalid(p, m))?;
    }
    Ok(())
}

/// A rule broken: the JSON path and what is wrong.
type Violation = (String, String);

/// Checks that every `$ref` inside `schema` (recursively) names a schema.
fn check_schema(
    schema: &Schema,
    schemas: &BTreeMap<String, Schema>,
    path: &str,
) -> Result<(), Violation> {
    if let Some(reference) = &schema.reference {
        check_ref(reference, schemas, &format!("{path}.$ref"))?;
    }
    for (name, property) in &schema.properties {
        check_schema(property, schemas, &format!("{path}.properties.{name}"))?;
    }
    if let Some(items) = &schema.items {
        check_schema(items, schemas, &format!("{path}.items"))?;
    }
    if let Some(values) = &schema.additional_properties {
        check_schema(values, schemas, &format!("{path}.additionalProperties"))?;
    }
    Ok(())
}

/// Checks that `reference` is the id of a schema of the document.
fn check_ref(
    reference: &str,
    schemas: &BTreeMap<String, Schema>,
    path: &str,
) -> Result<(), Violation> {
    if schemas.contains_key(reference) {
        return Ok(());
    }
    let message = if reference.is_empty() {
        "empty $ref".to_owned()
    } else {
        format!("$ref \"{reference}\" names no schema of the document")
    };
    Err((path.to_owned(), message))
}

/// Checks one method: HTTP method, body schemas, parameters against the path templates.
fn check_method(
    method: &Method,
    schemas: &BTreeMap<String, Schema>,
    path: &str,
) -> Result<(), Violation> {
    if method.http_method.trim().is_empty() {
        return Err((
            format!("{path}.httpMethod"),
            "missing or empty httpMethod".to_owned(),
        ));
    }
    if method.path.trim().is_empty() {
        return Err((format!("{path}.path"), "missing or empty path".to_owned()));
    }
    for (key, body) in [("request", &method.request), ("response", &method.response)] {
        // `{}` (no `$ref`) is a body of any JSON: nothing to resolve.
        if let Some(SchemaRef { reference, .. }) = body
            && !reference.is_empty()
        {
            check_ref(reference, schemas, &format!("{path}.{key}.$ref"))?;
        }
    }
    for (name, parameter) in &method.parameters {
        check_location(parameter, &format!("{path}.parameters.{name}"))?;
    }
    let path_vars = check_template(&method.path, &method.parameters, &format!("{path}.path"))?;
    for (name, parameter) in &method.parameters {
        if parameter.location == "path" && !path_vars.iter().any(|var| var == name) {
            return Err((
                format!("{path}.parameters.{name}"),
                format!(
                    "path parameter `{name}` does not appear in the path template `{}`",
                    method.path
                ),
            ));
        }
    }
    for (index, name) in method.parameter_order.iter().enumerate() {
        if !method.parameters.contains_key(name) {
            return Err((
                format!("{path}.parameterOrder[{index}]"),
                format!("parameterOrder names `{name}`, which is not a parameter of the method"),
            ));
        }
    }
    if let Some(upload) = &method.media_upload {
        check_upload(upload, &method.parameters, &format!("{path}.mediaUpload"))?;
    }
    Ok(())
}

/// Checks the upload protocols' path templates against the method's parameters.
fn check_upload(
    upload: &MediaUpload,
    parameters: &BTreeMap<String, Parameter>,
    path: &str,
) -> Result<(), Violation> {
    let protocols = [
        ("simple", &upload.protocols.simple),
        ("resumable", &upload.protocols.resumable),
    ];
    for (key, protocol) in protocols {
        if let Some(protocol) = protocol {
            let at = format!("{path}.protocols.{key}.path");
            if protocol.path.trim().is_empty() {
                return Err((at, "missing or empty upload path".to_owned()));
            }
            check_template(&protocol.path, parameters, &at)?;
        }
    }
    Ok(())
}

/// Checks that every variable of `template` is a path parameter; returns the variables.
fn check_template<'t>(
    template: &'t str,
    parameters: &BTreeMap<String, Parameter>,
    path: &str,
) -> Result<Vec<&'t str>, Violation> {
    let mut names = Vec::new();
    for var in parse_template(template) {
        let (name, reserved) = var.map_err(|message| (path.to_owned(), message))?;
        let shown = if reserved {
            format!("{{+{name}}}")
        } else {
            format!("{{{name}}}")
        };
        match parameters.get(name) {
            None => {
                return Err((
                    path.to_owned(),
                    format!(
                        "path template `{template}` uses `{shown}` but the method has no \
                         parameter `{name}`"
                    ),
                ));
            }
            Some(parameter) if parameter.location != "path" => {
                return Err((
                    path.to_owned(),
                    format!(
                        "path template `{template}` uses `{shown}` but parameter `{name}` has \
                         location \"{}\", expected \"path\"",
                        parameter.location
                    ),
                ));
            }
            Some(_) => names.push(name),
        }
    }
    Ok(names)
}

/// Checks that a parameter goes in the path or the query.
fn check_location(parameter: &Parameter, path: &str) -> Result<(), Violation> {
    match parameter.location.as_str() {
        "path" | "query" => Ok(()),
        "" => Err((
            format!("{path}.location"),
            "missing location; expected \"path\" or \"query\"".to_owned(),
        )),
        other => Err((
            format!("{path}.location"),
            format!("location is \"{other}\", expected \"path\" or \"query\""),
        )),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn template_vars_simple_and_reserved() {
        assert_eq!(
            path_template_vars("v1/{+name}:replaceCards"),
            vec![("name", true)]
        );
        assert_eq!(
            path_template_vars("b/{bucket}/o/{object}"),
            vec![("bucket", false), ("object", false)]
        );
        assert!(path_template_vars("v1/spaces").is_empty());
    }

    #[test]
    fn template_errors_are_reported_not_skipped_by_the_parser() {
        let parts = parse_template("v1/{/x}/{y");
        assert_eq!(parts.len(), 2);
        assert!(
            parts[0]
                .as_ref()
                .unwrap_err()
                .contains("unsupported expression `{/x}`")
        );
        assert!(parts[1].as_ref().unwrap_err().contains("unclosed"));
        assert!(parse_template("a}b")[0].is_err());
        assert!(parse_template("{}")[0].is_err());
        // The public helper skips what it cannot read rather than inventing names.
        assert_eq!(path_template_vars("{/x}/{ok}"), vec![("ok", false)]);
    }
}
