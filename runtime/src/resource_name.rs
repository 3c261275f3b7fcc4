//! Resource names checked against their form (`spaces/{space}/messages/{message}`).
//!
//! The generated `names` module has one type per form the API's path parameters use
//! (`SpaceName`, `MessageName`, ...); request builders still take strings, and every
//! path parameter value, typed or not, is checked here before anything is sent: a value
//! of the wrong form, with an empty segment, or with a `.`/`..` segment (which a URL
//! parser would normalise into another resource's path) is refused.

/// A value that is not a resource name of the expected form.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("`{value}` is not a resource name of the form `{template}`: {reason}")]
pub struct InvalidName {
    value: String,
    template: &'static str,
    reason: String,
}

impl InvalidName {
    fn new(value: &str, template: &'static str, reason: impl Into<String>) -> Self {
        // Enough of the value to recognise it.
        let value = match value.char_indices().nth(120) {
            Some((end, _)) => format!("{}...", &value[..end]),
            None => value.to_owned(),
        };
        Self {
            value,
            template,
            reason: reason.into(),
        }
    }

    /// The expected form, e.g. `spaces/{space}`.
    pub fn template(&self) -> &'static str {
        self.template
    }
}

/// Why `segment` cannot be one segment of a resource name, if it cannot.
fn bad_segment(segment: &str) -> Option<&'static str> {
    if segment.is_empty() {
        return Some("it has an empty segment");
    }
    // `%2e` is a dot to a server that decodes the path before resolving it.
    let decoded = segment.to_ascii_lowercase().replace("%2e", ".");
    if decoded == "." || decoded == ".." {
        return Some("`.` and `..` segments are not allowed");
    }
    None
}

/// Checks `value` against `template` (literal segments and `{variable}` segments).
pub fn check(template: &'static str, value: &str) -> Result<(), InvalidName> {
    let expected: Vec<&str> = template.split('/').collect();
    let got: Vec<&str> = value.split('/').collect();
    if expected.len() != got.len() {
        return Err(InvalidName::new(
            value,
            template,
            format!(
                "it has {} segment{}, the form has {}",
                got.len(),
                if got.len() == 1 { "" } else { "s" },
                expected.len()
            ),
        ));
    }
    for (want, have) in expected.iter().zip(&got) {
        if want.starts_with('{') {
            if let Some(reason) = bad_segment(have) {
                return Err(InvalidName::new(value, template, reason));
            }
        } else if want != have {
            return Err(InvalidName::new(
                value,
                template,
                format!("expected `{want}` where it has `{have}`"),
            ));
        }
    }
    Ok(())
}

/// Checks a value substituted for a `{+name}` path variable that has no known form: no
/// empty and no dot segments.
pub fn check_segments(value: &str) -> Result<(), &'static str> {
    value.split('/').try_for_each(|s| match bad_segment(s) {
        Some(reason) => Err(reason),
        None => Ok(()),
    })
}

/// Builds a name of `template` from its variable segments, in order.
pub fn build(template: &'static str, parts: &[&str]) -> Result<String, InvalidName> {
    let mut out =
        String::with_capacity(template.len() + parts.iter().map(|p| p.len()).sum::<usize>());
    let mut parts = parts.iter();
    for (i, segment) in template.split('/').enumerate() {
        if i > 0 {
            out.push('/');
        }
        if segment.starts_with('{') {
            let part = parts.next().copied().unwrap_or_default();
            if part.contains('/') {
                return Err(InvalidName::new(
                    part,
                    template,
                    format!(
                        "a segment cannot contain `/` (to use a whole name, parse it: `{part:?}.parse()`)"
                    ),
                ));
            }
            if let Some(reason) = bad_segment(part) {
                return Err(InvalidName::new(part, template, reason));
            }
            out.push_str(part);
        } else {
            out.push_str(segment);
        }
    }
    Ok(out)
}

/// Segment `index` of a name already checked against its form.
pub fn segment(name: &str, index: usize) -> &str {
    name.split('/').nth(index).unwrap_or_default()
}

/// The impls every generated resource name type shares: parsing (`FromStr`,
/// `TryFrom<&str>`, `TryFrom<String>`), `Display`, `AsRef<str>`, `as_str`, and the
/// conversions to `String` that let builders take a typed name wherever they take a
/// string.
#[doc(hidden)]
#[macro_export]
macro_rules! __resource_name {
    ($name:ident, $template:literal) => {
        impl $name {
            /// The form of this name.
            pub const TEMPLATE: &'static str = $template;

            /// The whole name.
            pub fn as_str(&self) -> &str {
                &self.0
            }
        }

        impl ::std::str::FromStr for $name {
            type Err = $crate::InvalidName;

            fn from_str(value: &str) -> ::std::result::Result<Self, Self::Err> {
                $crate::contract::resource_name::check($template, value)?;
                Ok(Self(value.to_owned()))
            }
        }

        impl ::std::convert::TryFrom<&str> for $name {
            type Error = $crate::InvalidName;

            fn try_from(value: &str) -> ::std::result::Result<Self, Self::Error> {
                value.parse()
            }
        }

        impl ::std::convert::TryFrom<::std::string::String> for $name {
            type Error = $crate::InvalidName;

            fn try_from(value: ::std::string::String) -> ::std::result::Result<Self, Self::Error> {
                $crate::contract::resource_name::check($template, &value)?;
                Ok(Self(value))
            }
        }

        impl ::std::fmt::Display for $name {
            fn fmt(&self, f: &mut ::std::fmt::Formatter<'_>) -> ::std::fmt::Result {
                f.write_str(&self.0)
            }
        }

        impl ::std::convert::AsRef<str> for $name {
            fn as_ref(&self) -> &str {
                &self.0
            }
        }

        impl ::std::convert::From<$name> for ::std::string::String {
            fn from(value: $name) -> Self {
                value.0
            }
        }

        impl ::std::convert::From<&$name> for ::std::string::String {
            fn from(value: &$name) -> Self {
                value.0.clone()
            }
        }
    };
}

pub use crate::__resource_name as resource_name;

#[cfg(test)]
mod tests {
    use super::*;

    const MESSAGE: &str = "spaces/{space}/messages/{message}";

    #[test]
    fn names_of_the_form_pass() {
        check("spaces/{space}", "spaces/AAAA").unwrap();
        check(MESSAGE, "spaces/AAAA/messages/client-x.y").unwrap();
        check("users/{user}/availability", "users/me/availability").unwrap();
        assert_eq!(build(MESSAGE, &["A", "B"]).unwrap(), "spaces/A/messages/B");
        assert_eq!(segment("spaces/A/messages/B", 3), "B");
    }

    #[test]
    fn other_forms_empty_and_dot_segments_are_refused() {
        for (value, why) in [
            ("AAAA", "it has 1 segment, the form has 2"),
            ("spaces/AAAA/../NOTMEMBER", "it has 4 segments"),
            ("spaces/..", "`.` and `..` segments"),
            ("spaces/.", "`.` and `..` segments"),
            ("spaces/%2E%2e", "`.` and `..` segments"),
            ("spaces/", "empty segment"),
            ("rooms/AAAA", "expected `spaces` where it has `rooms`"),
        ] {
            let err = check("spaces/{space}", value).unwrap_err();
            let text = err.to_string();
            assert!(text.contains(why), "{value}: {text}");
            assert!(text.contains("of the form `spaces/{space}`"), "{text}");
        }
        let err = build(MESSAGE, &["spaces/A", "B"]).unwrap_err();
        assert!(err.to_string().contains("cannot contain `/`"), "{err}");
        assert!(build(MESSAGE, &["A", ".."]).is_err());
        assert!(build(MESSAGE, &["", "B"]).is_err());
        assert!(check_segments("spaces/A/attachments/B").is_ok());
        assert!(check_segments("spaces/A/../B").is_err());
        assert!(check_segments("spaces//B").is_err());
    }
}
