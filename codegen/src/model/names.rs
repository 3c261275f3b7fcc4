//! Typed resource names from path parameter patterns.
//!
//! A pattern such as `^spaces/[^/]+/messages/[^/]+$` (literal segments and `[^/]+`
//! segments, anchored at both ends) is a resource name of the form
//! `spaces/{space}/messages/{message}`: each variable is named after the collection
//! before it, singular (`spaces` -> `space`, `customEmojis` -> `custom_emoji`), and the
//! type after the last collection (`MessageName`) or, for a singleton name such as
//! `users/{user}/availability`, after its last segment (`AvailabilityName`). Two forms
//! that would share a type name are told apart by the collections before them
//! (`SectionItemName`), then by number. Any other pattern (`^.*$`) is not a resource
//! name form: its values are still checked for empty and dot segments at run time.

use std::collections::{BTreeMap, BTreeSet};

use super::naming::{self, Candidate};
use super::{Availability, ParamLocation, Resource, ResourceName};

/// One segment of a resource name form.
#[derive(Debug, Clone, PartialEq, Eq)]
enum Segment {
    Literal(String),
    Variable,
}

/// The segments of a resource name pattern, or `None` when it is not one.
fn parse(pattern: &str) -> Option<Vec<Segment>> {
    let body = pattern.strip_prefix('^')?.strip_suffix('$')?;
    // `[^/]+` holds a slash itself: mark it before splitting at slashes.
    let body = body.replace("[^/]+", "\0");
    let mut segments = Vec::new();
    for part in body.split('/') {
        if part == "\0" {
            segments.push(Segment::Variable);
        } else if !part.is_empty()
            && part != "."
            && part != ".."
            && part
                .chars()
                .all(|c| c.is_ascii_alphanumeric() || matches!(c, '_' | '-'))
        {
            segments.push(Segment::Literal(part.to_owned()));
        } else {
            return None;
        }
    }
    // A form starts with a literal and has at least one variable.
    match segments.first() {
        Some(Segment::Literal(_)) if segments.contains(&Segment::Variable) => Some(segments),
        _ => None,
    }
}

/// `spaces` -> `space`, `customEmojis` -> `customEmoji`, `policies` -> `policy`.
fn singular(word: &str) -> String {
    if let Some(stem) = word.strip_suffix("ies") {
        format!("{stem}y")
    } else if word.ends_with("ss") {
        word.to_owned()
    } else if let Some(stem) = word.strip_suffix('s') {
        stem.to_owned()
    } else {
        word.to_owned()
    }
}

/// A parsed form: its template, variables and the words its type name may use, from
/// the last segment backwards.
#[derive(Debug, Clone)]
struct Form {
    pattern: String,
    template: String,
    variables: Vec<String>,
    /// UpperCamelCase words for the type name, most specific first (`Message`, `Space`).
    words: Vec<String>,
}

fn form(pattern: &str) -> Option<Form> {
    let segments = parse(pattern)?;
    let mut template = Vec::new();
    let mut variables: Vec<String> = Vec::new();
    let mut collection_words = Vec::new();
    let mut previous: Option<&str> = None;
    for segment in &segments {
        match segment {
            Segment::Literal(lit) => {
                template.push(lit.clone());
                previous = Some(lit);
            }
            Segment::Variable => {
                let base = naming::snake(&singular(previous.unwrap_or("id")));
                let mut name = base.clone();
                let mut n = 2;
                while variables.contains(&name) || naming::is_keyword(&name) {
                    name = format!("{base}_{n}");
                    n += 1;
                }
                template.push(format!("{{{name}}}"));
                variables.push(name);
                collection_words.push(naming::camel(&singular(previous.unwrap_or("id"))));
                previous = None;
            }
        }
    }
    let mut words: Vec<String> = collection_words.into_iter().rev().collect();
    if let Some(Segment::Literal(last)) = segments.last() {
        // A singleton (`.../availability`): named after itself first.
        words.insert(0, naming::camel(last));
    }
    Some(Form {
        pattern: pattern.to_owned(),
        template: template.join("/"),
        variables,
        words,
    })
}

/// Derives the resource name types of every path parameter with a resource name
/// pattern, and records each parameter's form and type; returns the types sorted by
/// Rust name.
pub fn assign(resources: &mut [Resource]) -> Vec<ResourceName> {
    // Every distinct pattern, with the best availability of the methods using it.
    let mut uses: BTreeMap<String, Availability> = BTreeMap::new();
    collect(resources, &mut uses);
    let forms: Vec<(Form, Availability)> = uses
        .iter()
        .filter_map(|(pattern, availability)| form(pattern).map(|f| (f, *availability)))
        .collect();
    // Shortest distinguishing name: as many words (from the most specific) as needed so
    // that no other form wants the same name.
    let name_with = |f: &Form, n: usize| -> String {
        let take = n.min(f.words.len());
        let mut words: Vec<&str> = f.words[..take].iter().map(String::as_str).collect();
        words.reverse();
        format!("{}Name", words.concat())
    };
    let mut chosen: Vec<String> = Vec::with_capacity(forms.len());
    for (i, (f, _)) in forms.iter().enumerate() {
        let mut n = 1;
        let name = loop {
            let name = name_with(f, n);
            let clash = forms
                .iter()
                .enumerate()
                .any(|(j, (g, _))| j != i && name_with(g, n) == name);
            if !clash || n >= f.words.len() {
                break name;
            }
            n += 1;
        };
        chosen.push(name);
    }
    let candidates: Vec<Candidate> = forms
        .iter()
        .zip(&chosen)
        .map(|((f, availability), name)| {
            Candidate::new(f.pattern.clone(), name.clone()).available(*availability)
        })
        .collect();
    let names = naming::assign(&candidates, &mut BTreeSet::new());
    let mut out: Vec<ResourceName> = forms
        .into_iter()
        .zip(names)
        .map(|((f, availability), rust_name)| ResourceName {
            rust_name,
            pattern: f.pattern,
            template: f.template,
            variables: f.variables,
            availability,
        })
        .collect();
    let by_pattern: BTreeMap<&str, &ResourceName> =
        out.iter().map(|n| (n.pattern.as_str(), n)).collect();
    record(resources, &by_pattern);
    out.sort_by(|a, b| a.rust_name.cmp(&b.rust_name));
    out
}

fn collect(resources: &[Resource], uses: &mut BTreeMap<String, Availability>) {
    for r in resources {
        for m in &r.methods {
            for p in &m.parameters {
                if p.location != ParamLocation::Path {
                    continue;
                }
                if let Some(pattern) = &p.pattern {
                    let availability = if m.availability == Availability::PreviewOnly
                        || p.availability == Availability::PreviewOnly
                    {
                        Availability::PreviewOnly
                    } else {
                        Availability::Stable
                    };
                    uses.entry(pattern.clone())
                        .and_modify(|a| *a = (*a).min(availability))
                        .or_insert(availability);
                }
            }
        }
        collect(&r.resources, uses);
    }
}

fn record(resources: &mut [Resource], by_pattern: &BTreeMap<&str, &ResourceName>) {
    for r in resources {
        for m in &mut r.methods {
            for p in &mut m.parameters {
                if p.location != ParamLocation::Path {
                    continue;
                }
                if let Some(name) = p.pattern.as_deref().and_then(|pat| by_pattern.get(pat)) {
                    p.name_template = Some(name.template.clone());
                    p.name_type = Some(name.rust_name.clone());
                }
            }
        }
        record(&mut r.resources, by_pattern);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn forms_of_patterns() {
        let f = form("^spaces/[^/]+/messages/[^/]+$").unwrap();
        assert_eq!(f.template, "spaces/{space}/messages/{message}");
        assert_eq!(f.variables, ["space", "message"]);
        let f = form("^customEmojis/[^/]+$").unwrap();
        assert_eq!(f.template, "customEmojis/{custom_emoji}");
        let f = form("^users/[^/]+/spaces/[^/]+/spaceReadState$").unwrap();
        assert_eq!(f.template, "users/{user}/spaces/{space}/spaceReadState");
        assert_eq!(f.words[0], "SpaceReadState");
        for not_a_form in [
            "^.*$",
            "spaces/[^/]+",
            "^spaces/[^/]*$",
            "^[^/]+$",
            "^spaces$",
            "^spaces/../[^/]+$",
        ] {
            assert!(form(not_a_form).is_none(), "{not_a_form}");
        }
        assert_eq!(singular("policies"), "policy");
        assert_eq!(singular("access"), "access");
    }
}
