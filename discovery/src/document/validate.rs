//! The rules a parsed [`Document`] must follow before anything is generated from it.
//!
//! Serde checks shapes; these checks catch the cross-references serde cannot see: a
//! `$ref` to a schema that does not exist, a `{name}` in a path template with no path
//! parameter behind it, a `parameterOrder` naming nothing. Catching them here, with the
//! JSON path of the culprit, means the generator downstream never has to guess or panic.
//! Checks run in key order (the maps are `BTreeMap`s), so the first error reported for a
//! given document is always the same one.
//!
//! Two families of checks guard what the generator pastes into code and URLs:
//!
//! - **Metadata** (`id`, `name`, `version`, `revision`, `title`, ...) ends up in the
//!   `// @generated` header and in doc comments of every generated file, so it must not
//!   hold a line break or any other control character (a newline would end the comment
//!   and let the document inject code), nor a bidirectional-text control (rustc denies
//!   them in comments). `revision` must be a `YYYYMMDD` date and `id` must be
//!   `name:version`.
//! - **URLs**: `rootUrl` must be an absolute `https://` URL, and `servicePath`, method
//!   paths and upload paths are checked segment by segment: no dot segments (`..`, also
//!   percent-encoded), no empty segments (`//`, which at the start would name another
//!   host), no `?`, `#`, backslashes, percent-encoding, whitespace or characters outside
//!   RFC 3986's path characters. A URL parser would otherwise normalise `..` away or cut
//!   the path at `#`, and the request would go somewhere the document does not say.

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
    check_metadata(document).map_err(|(p, m)| invalid(p, m))?;
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
    for (index, scope) in method.scopes.iter().enumerate() {
        check_scope(scope, &format!("{path}.scopes[{index}]"))?;
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
    check_url_path(&method.path, UrlPath::Method)
        .map_err(|message| (format!("{path}.path"), message))?;
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
            check_url_path(&protocol.path, UrlPath::Upload).map_err(|message| (at, message))?;
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

/// Checks the document's metadata and base URL (see the module documentation).
fn check_metadata(document: &Document) -> Result<(), Violation> {
    check_revision(&document.revision).map_err(at("revision"))?;
    check_plain_name(&document.name).map_err(at("name"))?;
    check_plain_name(&document.version).map_err(at("version"))?;
    check_id(document).map_err(at("id"))?;
    let single_line = [
        ("title", document.title.as_deref()),
        ("discoveryVersion", document.discovery_version.as_deref()),
        ("documentationLink", document.documentation_link.as_deref()),
        ("canonicalName", document.canonical_name.as_deref()),
        ("ownerDomain", document.owner_domain.as_deref()),
        ("ownerName", document.owner_name.as_deref()),
        ("protocol", document.protocol.as_deref()),
        ("basePath", document.base_path.as_deref()),
        ("baseUrl", document.base_url.as_deref()),
        ("batchPath", document.batch_path.as_deref()),
    ];
    for (key, value) in single_line {
        if let Some(value) = value {
            check_text(value, false).map_err(at(key))?;
        }
    }
    if let Some(description) = &document.description {
        check_text(description, true).map_err(at("description"))?;
    }
    for (index, label) in document.labels.iter().enumerate() {
        check_text(label, false).map_err(|m| (format!("labels[{index}]"), m))?;
    }
    check_root_url(&document.root_url).map_err(at("rootUrl"))?;
    if let Some(mtls) = &document.mtls_root_url {
        check_root_url(mtls).map_err(at("mtlsRootUrl"))?;
    }
    check_url_path(&document.service_path, UrlPath::Service).map_err(at("servicePath"))?;
    if let Some(oauth2) = document.auth.as_ref().and_then(|a| a.oauth2.as_ref()) {
        for (scope, info) in &oauth2.scopes {
            let path = format!("auth.oauth2.scopes.{}", scope.escape_debug());
            check_scope(scope, &path)?;
            if let Some(description) = &info.description {
                check_text(description, true).map_err(|m| (format!("{path}.description"), m))?;
            }
        }
    }
    Ok(())
}

/// Attaches the JSON path `key` to a message.
fn at(key: &'static str) -> impl Fn(String) -> Violation {
    move |message| (key.to_owned(), message)
}

/// `value` for messages: quoted, with control characters escaped, so that a hostile
/// value cannot forge lines of its own in the error output either.
fn shown(value: &str) -> String {
    format!("{value:?}")
}

/// A revision: 1 to 16 ASCII digits. Google's revisions are `YYYYMMDD` dates, but not
/// all (securesourcemanager v1 is served with `"revision": "0"`); what the tools need is
/// a value safe in a file name (`chat.v1.20261107.json`) and in a comment, that orders
/// as a number (see `revision_order`).
fn check_revision(revision: &str) -> Result<(), String> {
    if revision.is_empty() || revision.len() > 16 || !revision.bytes().all(|b| b.is_ascii_digit()) {
        return Err(format!(
            "must be 1 to 16 digits (Google's are YYYYMMDD dates), got {}",
            shown(revision)
        ));
    }
    Ok(())
}

/// Whether `c` may appear in a name, a version or an id (`:` only in ids).
fn is_name_char(c: char) -> bool {
    // Google's names are lower case, but a few are not (`youtubeAnalytics:v2`).
    c.is_ascii_alphanumeric() || matches!(c, '_' | '.' | '-')
}

/// A non-empty name or version of `[A-Za-z0-9_.-]`.
fn check_plain_name(value: &str) -> Result<(), String> {
    if value.is_empty() {
        return Err("missing or empty".to_owned());
    }
    match value.chars().find(|&c| !is_name_char(c)) {
        None => Ok(()),
        Some(c) => Err(format!(
            "{} contains {}: only letters, digits, `_`, `.` and `-` are allowed",
            shown(value),
            describe(c)
        )),
    }
}

/// `id` is `name:version`.
fn check_id(document: &Document) -> Result<(), String> {
    let id = &document.id;
    if let Some(c) = id.chars().find(|&c| !is_name_char(c) && c != ':') {
        return Err(format!(
            "{} contains {}: only letters, digits, `_`, `.`, `-` and `:` are allowed",
            shown(id),
            describe(c)
        ));
    }
    let expected = format!("{}:{}", document.name, document.version);
    if *id != expected {
        return Err(format!(
            "{} is not `name:version` ({})",
            shown(id),
            shown(&expected)
        ));
    }
    Ok(())
}

/// Whether `c` is a bidirectional-text control (rustc denies these in comments and
/// literals: they can make code read differently from how it compiles).
fn is_bidi_control(c: char) -> bool {
    matches!(c, '\u{202A}'..='\u{202E}' | '\u{2066}'..='\u{2069}')
}

/// `c` for messages, e.g. `a line break (U+000A)` or `` `?` ``.
fn describe(c: char) -> String {
    match c {
        '\n' | '\r' => format!("a line break (U+{:04X})", u32::from(c)),
        c if c.is_control() => format!("a control character (U+{:04X})", u32::from(c)),
        c if is_bidi_control(c) => {
            format!("a bidirectional-text control (U+{:04X})", u32::from(c))
        }
        c if c.is_whitespace() => format!("whitespace (U+{:04X})", u32::from(c)),
        c => format!("`{c}`"),
    }
}

/// Text without control characters (except line breaks and tabs when `multiline`) and
/// bidirectional-text controls.
fn check_text(value: &str, multiline: bool) -> Result<(), String> {
    let bad = value.chars().find(|&c| {
        let allowed = multiline && matches!(c, '\n' | '\r' | '\t');
        (c.is_control() && !allowed) || is_bidi_control(c)
    });
    match bad {
        None => Ok(()),
        Some(c) => Err(format!(
            "contains {}, which is not allowed here{}",
            describe(c),
            if multiline {
                ""
            } else {
                " (the value goes into generated comments)"
            }
        )),
    }
}

/// A scope: a URL or a bare word such as `openid`, with no whitespace or controls.
fn check_scope(scope: &str, path: &str) -> Result<(), Violation> {
    let bad = if scope.is_empty() {
        Some("empty scope".to_owned())
    } else {
        scope
            .chars()
            .find(|&c| c.is_whitespace() || c.is_control() || is_bidi_control(c))
            .map(|c| format!("scope {} contains {}", shown(scope), describe(c)))
    };
    match bad {
        None => Ok(()),
        Some(message) => Err((path.to_owned(), message)),
    }
}

/// `rootUrl` (or `mtlsRootUrl`): `https://host[:port]/[path/]`.
fn check_root_url(url: &str) -> Result<(), String> {
    let Some(rest) = url.strip_prefix("https://") else {
        return Err(format!(
            "must be an absolute https:// URL ending with `/`, got {}",
            shown(url)
        ));
    };
    let (authority, path) = rest.split_at(rest.find('/').unwrap_or(rest.len()));
    let (host, port) = match authority.split_once(':') {
        Some((host, port)) => (host, Some(port)),
        None => (authority, None),
    };
    let host_ok = !host.is_empty()
        && !host.starts_with(['.', '-'])
        && host
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || matches!(c, '.' | '-'));
    // A host whose last label is numeric is an IPv4 address to a URL parser
    // (WHATWG URL, "ends in a number"), not a DNS name.
    let ip_literal = host
        .trim_end_matches('.')
        .rsplit('.')
        .next()
        .is_some_and(|label| label.bytes().all(|b| b.is_ascii_digit()) || label.starts_with("0x"));
    let host_ok = host_ok && !ip_literal;
    let port_ok = port.is_none_or(|p| {
        !p.is_empty()
            && p.bytes().all(|b| b.is_ascii_digit())
            && p.parse::<u16>().is_ok_and(|n| n > 0)
    });
    if !host_ok || !port_ok {
        return Err(format!(
            "{}: the host must be a plain DNS name (letters, digits, `.`, `-`) with an \
             optional port; no user info, IP literal syntax or other characters",
            shown(url)
        ));
    }
    if path.is_empty() {
        return Err(format!("{} must end with `/`", shown(url)));
    }
    check_url_path(path, UrlPath::Root).map_err(|message| format!("{}: {message}", shown(url)))
}

/// Which part of a request URL a path is.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum UrlPath {
    /// The path of `rootUrl`: absolute, ends with `/`, no template.
    Root,
    /// `servicePath`: relative, empty or ending with `/`, no template.
    Service,
    /// A method's `path`: a template relative to `rootUrl + servicePath`.
    Method,
    /// A `mediaUpload` protocol's `path`: a template absolute on the root URL's host.
    Upload,
}

/// Checks a URL path (or path template) segment by segment: see the module
/// documentation. Template expressions (`{+name}`) are checked elsewhere and skipped
/// here; the message says what is wrong.
fn check_url_path(path: &str, part: UrlPath) -> Result<(), String> {
    let templated = matches!(part, UrlPath::Method | UrlPath::Upload);
    // The literal text, with each template expression replaced by one `{}` marker.
    let mut literal = String::with_capacity(path.len());
    let mut rest = path;
    while let Some(open) = rest.find('{').filter(|_| templated) {
        literal.push_str(&rest[..open]);
        literal.push_str("{}");
        rest = rest[open..]
            .find('}')
            .map_or("", |close| &rest[open + close + 1..]);
    }
    literal.push_str(rest);

    let relative = matches!(part, UrlPath::Service | UrlPath::Method);
    if relative {
        if literal.starts_with("//") {
            return Err(
                "starts with `//`, which names another host (a network-path reference)".to_owned(),
            );
        }
        if literal.starts_with('/') {
            return Err(format!(
                "must be relative (no leading `/`): it is appended to {}",
                if part == UrlPath::Service {
                    "rootUrl"
                } else {
                    "rootUrl + servicePath"
                }
            ));
        }
        // A `:` in the first segment (`v1:provideValidationFeedback`, addressvalidation
        // v1) is fine: the runtime appends the path to rootUrl + servicePath as text, so
        // it never stands alone where `v1:` could read as a URL scheme.
    } else if literal.starts_with("//") {
        return Err(
            "starts with `//`, which names another host (a network-path reference)".to_owned(),
        );
    } else if !literal.starts_with('/') {
        return Err("must be an absolute path (start with `/`)".to_owned());
    }
    let must_end_with_slash = matches!(part, UrlPath::Root | UrlPath::Service);
    if must_end_with_slash && !literal.is_empty() && !literal.ends_with('/') {
        return Err("must end with `/` (method paths are appended to it)".to_owned());
    }

    // One trailing `/` is an empty last segment that resolves to nothing surprising.
    let body = literal.strip_prefix('/').unwrap_or(&literal);
    let body = body.strip_suffix('/').unwrap_or(body);
    if !body.is_empty() {
        for segment in body.split('/') {
            check_segment(segment)?;
        }
    }
    match literal.chars().find(|&c| !is_path_char(c, templated)) {
        None => Ok(()),
        Some(c) => Err(match c {
            '?' => "`?` is not allowed: a query string belongs in query parameters".to_owned(),
            '#' => "`#` is not allowed: a fragment would cut the path".to_owned(),
            '\\' => "a backslash is not allowed (URL parsers read it as `/`)".to_owned(),
            '%' => "percent-encoding (`%`) is not allowed in a path".to_owned(),
            '{' | '}' => "a template expression is not allowed here".to_owned(),
            c => format!("{} is not allowed in a path", describe(c)),
        }),
    }
}

/// One literal segment: not empty, not a dot segment (plain or percent-encoded).
fn check_segment(segment: &str) -> Result<(), String> {
    if segment.is_empty() {
        return Err("empty path segment (`//`) is not allowed".to_owned());
    }
    let decoded = segment.replace("%2e", ".").replace("%2E", ".");
    if decoded == "." || decoded == ".." {
        return Err(if decoded == segment {
            format!("dot segment `{segment}` is not allowed")
        } else {
            format!("percent-encoded dot segment `{segment}` (`{decoded}`) is not allowed")
        });
    }
    Ok(())
}

/// RFC 3986 path characters (unreserved, sub-delims, `:`, `@`, `/`), and the template
/// marker `{}` in templates.
fn is_path_char(c: char, templated: bool) -> bool {
    c.is_ascii_alphanumeric()
        || matches!(
            c,
            '-' | '.'
                | '_'
                | '~'
                | '!'
                | '$'
                | '&'
                | '\''
                | '('
                | ')'
                | '*'
                | '+'
                | ','
                | ';'
                | '='
                | ':'
                | '@'
                | '/'
        )
        || (templated && matches!(c, '{' | '}'))
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

    #[test]
    fn revisions_are_digits_not_necessarily_dates() {
        for ok in ["20261107", "0", "1234567890123456"] {
            assert_eq!(check_revision(ok), Ok(()), "{ok}");
        }
        for bad in [
            "",
            "2026-11-07",
            "12345678901234567",
            "20260405\npub fn x() {}",
            "../x",
        ] {
            assert!(check_revision(bad).is_err(), "{bad:?}");
        }
    }

    #[test]
    fn a_custom_verb_in_the_first_segment_is_a_method_path() {
        // addressvalidation v1, areainsights v1, cloudsearch v1.
        for ok in [
            "v1:provideValidationFeedback",
            "v1:computeInsights",
            "v1/{+name}:undelete",
        ] {
            assert_eq!(check_url_path(ok, UrlPath::Method), Ok(()), "{ok}");
        }
        for bad in [
            "//evil.example/x",
            "/v1/x",
            "v1/../x",
            "v1/x#y",
            "v1/%2e%2e/x",
        ] {
            assert!(check_url_path(bad, UrlPath::Method).is_err(), "{bad}");
        }
    }

    #[test]
    fn root_url_ports_and_ip_literals() {
        for ok in [
            "https://chat.googleapis.com/",
            "https://localhost:8080/",
            "https://a.b:65535/x/",
        ] {
            assert_eq!(check_root_url(ok), Ok(()), "{ok}");
        }
        for bad in [
            "https://a.b:99999/",
            "https://a.b:0/",
            "https://a.b:/",
            "https://127.0.0.1/",
            "https://10.0.0.1:443/",
            "https://a.1/",
            "https://a.0x7f/",
            "https://[::1]/",
            "https://user@a.b/",
        ] {
            assert!(check_root_url(bad).is_err(), "{bad}");
        }
    }
}
