//! What changed between two surfaces, and what it breaks for users of the generated crate.
//!
//! # How changes are classified
//!
//! [`Impact::Breaking`] means code that compiled and worked against the crate generated
//! from the old surface may stop compiling or start failing against the new one. The
//! rules assume what the generator promises:
//!
//! - Generated structs are `#[non_exhaustive]`: code outside the crate cannot write a
//!   struct literal, only `new()` + setters or field access, so the compiler guarantees
//!   that **a new field is additive**.
//! - Generated enums are `#[non_exhaustive]` and keep unknown values (an
//!   `Unknown(UnknownValue)` catch-all), so decoding never breaks and user `match`es
//!   need a wildcard arm: **a new enum value is additive**.
//! - Typed resource names (`names::MessageName`) are items of their own: a new form is
//!   additive, a removed one breaking; a parameter's changed form is compatible (builders
//!   take strings; values are checked against the new form).
//! - List methods have `.pages()` whenever they have a page token, and `.stream()` when
//!   their items field can be picked (see `codegen::model::Pagination`): a response
//!   gaining a second array keeps `.stream()`.
//! - A method's required parameters (and its request body) are constructor arguments of
//!   its request builder; optional ones are setters. So **a new required parameter of an
//!   existing method is breaking**, a new optional one is additive, and switching a
//!   parameter between required and optional, or single and repeated, is breaking.
//! - **Anything removed is breaking**, and so is any change of a Rust name or a Rust type
//!   (including a wire format change, e.g. `int32` -> `int64`, since the Rust type follows
//!   the format), of a request or response type, or of a type's shape.
//! - **Removing a scope from a method is breaking**: a token carrying only that scope is
//!   refused. Adding one is additive. **A field becoming required for an existing method is
//!   breaking** at run time (requests without it are refused), though it still compiles.
//! - A changed HTTP method, path or parameter location is [`Impact::Compatible`]: the
//!   regenerated builder sends the new request and calling code does not change. So is a
//!   new or dropped deprecation (a warning, not an error), and a changed `readOnly`.
//!
//! Items inside an added or removed item (the parameters of a new method, the fields of a
//! removed type) are folded into it: reported once, counted by kind.

use std::collections::{BTreeMap, BTreeSet};

use serde::Serialize;

use super::{AttrName, AttrValue, Item, ItemKey, ItemKind, Origin, Surface};

/// What a change means for users of the generated crate.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Impact {
    /// Nothing new and nothing broken: behaviour or documentation changed.
    Compatible,
    /// Something new; existing code keeps compiling and working.
    Additive,
    /// Existing code may stop compiling or start failing.
    Breaking,
}

impl Impact {
    /// `breaking`, `additive` or `compatible`.
    pub fn as_str(self) -> &'static str {
        match self {
            Impact::Compatible => "compatible",
            Impact::Additive => "additive",
            Impact::Breaking => "breaking",
        }
    }
}

/// The version bump a set of changes calls for.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Bump {
    /// No surface change.
    None,
    /// Only compatible changes.
    Patch,
    /// Additions.
    Minor,
    /// Breaking changes.
    Major,
}

impl Bump {
    /// The bump in words, following Cargo's semver rules, which shift one place for 0.x
    /// versions (0.y.z: breaking bumps y, everything else bumps z).
    pub fn advice(self) -> &'static str {
        match self {
            Bump::None => "none (the surface did not change)",
            Bump::Patch => "patch (compatible changes only)",
            Bump::Minor => {
                "minor (additions; while chat-api is 0.x, a patch bump 0.y.z -> 0.y.z+1)"
            }
            Bump::Major => {
                "major (breaking changes; while chat-api is 0.x, a minor bump 0.y.z -> 0.y+1.0)"
            }
        }
    }
}

/// Whether an item was added, removed or changed.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum ChangeKind {
    /// Only in the new surface.
    Added,
    /// Only in the old surface.
    Removed,
    /// In both, with different attributes.
    Changed,
}

/// Where a report lists a change.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
#[serde(tag = "group", content = "name", rename_all = "snake_case")]
pub enum Group {
    /// The API itself: scopes, standard parameters, URLs.
    Api,
    /// A resource, by dotted wire path.
    Resource(String),
    /// A schema (named type), by wire name.
    Schema(String),
}

impl std::fmt::Display for Group {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            Group::Api => f.write_str("API"),
            Group::Resource(path) if path.is_empty() => f.write_str("resource (top level)"),
            Group::Resource(path) => write!(f, "resource {path}"),
            Group::Schema(name) => write!(f, "schema {name}"),
        }
    }
}

/// One changed attribute of an item in both surfaces.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct AttrChange {
    /// Which attribute.
    pub name: AttrName,
    /// What changed, in the words: `type`, `format`, `required`, `scopes`, ...
    pub aspect: &'static str,
    /// The old value, if the old item had the attribute.
    pub old: Option<AttrValue>,
    /// The new value, if the new item has the attribute.
    pub new: Option<AttrValue>,
    /// What it means for users.
    pub impact: Impact,
    /// Why it has that impact.
    pub reason: &'static str,
}

/// One reported change.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Change {
    /// Added, removed or changed.
    pub kind: ChangeKind,
    /// Where a report lists it.
    pub group: Group,
    /// The item (the new one, or the old one when removed).
    pub item: Item,
    /// Items inside an added or removed item, added or removed with it.
    pub contains: Vec<Item>,
    /// For a changed item, each attribute that changed.
    pub attrs: Vec<AttrChange>,
    /// Whether the description changed too.
    pub description_changed: bool,
    /// The strongest impact of the change.
    pub impact: Impact,
    /// Why it has that impact.
    pub reason: &'static str,
}

/// An item whose description changed and nothing else.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct DescriptionChange {
    /// The item.
    pub key: ItemKey,
    /// The old description.
    pub old: Option<String>,
    /// The new description.
    pub new: Option<String>,
}

/// How many items of each kind were added and removed (folded ones included).
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
pub struct Counts {
    /// Added items by kind.
    pub added: BTreeMap<ItemKind, usize>,
    /// Removed items by kind.
    pub removed: BTreeMap<ItemKind, usize>,
    /// Changed items by kind (description-only changes not included).
    pub changed: BTreeMap<ItemKind, usize>,
}

/// What changed from one surface to another.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct SurfaceDiff {
    /// The old surface's origin.
    pub old: Origin,
    /// The new surface's origin.
    pub new: Origin,
    /// The changes, sorted by group, then item.
    pub changes: Vec<Change>,
    /// Items whose description alone changed.
    pub description_changes: Vec<DescriptionChange>,
    /// Counts by kind.
    pub counts: Counts,
}

impl SurfaceDiff {
    /// Whether nothing but descriptions changed.
    pub fn is_empty(&self) -> bool {
        self.changes.is_empty()
    }

    /// The changes with `impact`.
    pub fn with_impact(&self, impact: Impact) -> impl Iterator<Item = &Change> {
        self.changes.iter().filter(move |c| c.impact == impact)
    }

    /// Whether any change is breaking.
    pub fn has_breaking(&self) -> bool {
        self.with_impact(Impact::Breaking).next().is_some()
    }

    /// The version bump the changes call for.
    pub fn bump(&self) -> Bump {
        match self.changes.iter().map(|c| c.impact).max() {
            None => Bump::None,
            Some(Impact::Compatible) => Bump::Patch,
            Some(Impact::Additive) => Bump::Minor,
            Some(Impact::Breaking) => Bump::Major,
        }
    }
}

/// Compares `old` with `new`.
pub(super) fn diff(old: &Surface, new: &Surface) -> SurfaceDiff {
    let mut added = Vec::new();
    let mut removed = Vec::new();
    let mut changes = Vec::new();
    let mut description_changes = Vec::new();
    let mut counts = Counts::default();

    let old_methods: BTreeSet<&str> = old
        .items
        .iter()
        .filter_map(|item| match item.attr(AttrName::Id) {
            Some(AttrValue::Text(id)) if item.kind() == ItemKind::Method => Some(id.as_str()),
            _ => None,
        })
        .collect();
    // Both item lists are sorted by key: walk them together.
    let (mut i, mut j) = (0, 0);
    while i < old.items.len() || j < new.items.len() {
        let order = match (old.items.get(i), new.items.get(j)) {
            (Some(a), Some(b)) => a.key.cmp(&b.key),
            (Some(_), None) => std::cmp::Ordering::Less,
            (None, _) => std::cmp::Ordering::Greater,
        };
        match order {
            std::cmp::Ordering::Less => {
                removed.push(&old.items[i]);
                i += 1;
            }
            std::cmp::Ordering::Greater => {
                added.push(&new.items[j]);
                j += 1;
            }
            std::cmp::Ordering::Equal => {
                let (a, b) = (&old.items[i], &new.items[j]);
                let attrs = compare(a, b, &old_methods);
                let description_changed = a.description != b.description;
                if !attrs.is_empty() {
                    *counts.changed.entry(b.kind()).or_default() += 1;
                    let (impact, reason) = strongest(&attrs);
                    changes.push(Change {
                        kind: ChangeKind::Changed,
                        group: b.key.group(),
                        item: b.clone(),
                        contains: Vec::new(),
                        attrs,
                        description_changed,
                        impact,
                        reason,
                    });
                } else if description_changed {
                    description_changes.push(DescriptionChange {
                        key: b.key.clone(),
                        old: a.description.clone(),
                        new: b.description.clone(),
                    });
                }
                i += 1;
                j += 1;
            }
        }
    }
    for item in &added {
        *counts.added.entry(item.kind()).or_default() += 1;
    }
    for item in &removed {
        *counts.removed.entry(item.kind()).or_default() += 1;
    }
    changes.extend(fold(&added, ChangeKind::Added, old));
    changes.extend(fold(&removed, ChangeKind::Removed, new));
    changes.sort_by(|a, b| (&a.group, &a.item.key, a.kind).cmp(&(&b.group, &b.item.key, b.kind)));
    SurfaceDiff {
        old: old.origin.clone(),
        new: new.origin.clone(),
        changes,
        description_changes,
        counts,
    }
}

/// Turns added (or removed) items into changes, folding each item whose parent was
/// added (removed) too into its topmost added (removed) ancestor. `other` is the surface
/// the items are missing from.
fn fold(items: &[&Item], kind: ChangeKind, other: &Surface) -> Vec<Change> {
    let keys: BTreeSet<&ItemKey> = items.iter().map(|item| &item.key).collect();
    let mut tops: BTreeMap<ItemKey, Change> = BTreeMap::new();
    let mut children: Vec<(ItemKey, &Item)> = Vec::new();
    for item in items {
        let mut top = None;
        let mut cursor = item.key.parent();
        while let Some(parent) = cursor {
            if keys.contains(&parent) {
                cursor = parent.parent();
                top = Some(parent);
            } else {
                break;
            }
        }
        match top {
            Some(top) => children.push((top, item)),
            None => {
                let (impact, reason) = match kind {
                    ChangeKind::Removed => (Impact::Breaking, "removed from the crate"),
                    _ => added_impact(item, other),
                };
                tops.insert(
                    item.key.clone(),
                    Change {
                        kind,
                        group: item.key.group(),
                        item: (*item).clone(),
                        contains: Vec::new(),
                        attrs: Vec::new(),
                        description_changed: false,
                        impact,
                        reason,
                    },
                );
            }
        }
    }
    for (top, item) in children {
        if let Some(change) = tops.get_mut(&top) {
            change.contains.push(item.clone());
        }
    }
    tops.into_values().collect()
}

/// The impact of adding `item` to a surface that lacked it (but has its parent).
fn added_impact(item: &Item, old: &Surface) -> (Impact, &'static str) {
    match item.kind() {
        ItemKind::Parameter
            if matches!(item.attr(AttrName::Required), Some(AttrValue::Flag(true))) =>
        {
            // The method itself exists in the old surface, or the parameter would be folded.
            let method_exists = item.key.parent().is_some_and(|m| old.get(&m).is_some());
            if method_exists {
                (
                    Impact::Breaking,
                    "a new required parameter is a new constructor argument of the request builder",
                )
            } else {
                (Impact::Additive, "new")
            }
        }
        ItemKind::Field => (
            Impact::Additive,
            "new field (structs are #[non_exhaustive], built with new() and setters)",
        ),
        ItemKind::EnumValue => (
            Impact::Additive,
            "new variant (generated enums keep unknown values and are #[non_exhaustive])",
        ),
        _ => (Impact::Additive, "new"),
    }
}

/// The attribute changes between `old` and `new` versions of one item.
fn compare(old: &Item, new: &Item, old_methods: &BTreeSet<&str>) -> Vec<AttrChange> {
    let mut names: Vec<AttrName> = old.attrs.iter().map(|a| a.name).collect();
    for attr in &new.attrs {
        if !names.contains(&attr.name) {
            names.push(attr.name);
        }
    }
    names.sort();
    let mut out = Vec::new();
    for name in names {
        let a = old.attr(name);
        let b = new.attr(name);
        if normalized(a) == normalized(b) {
            continue;
        }
        let (aspect, impact, reason) = classify(new, name, a, b, old_methods);
        out.push(AttrChange {
            name,
            aspect,
            old: a.cloned(),
            new: b.cloned(),
            impact,
            reason,
        });
    }
    out
}

/// A missing flag or list means the same as an unset flag or an empty list.
fn normalized(value: Option<&AttrValue>) -> Option<&AttrValue> {
    match value {
        Some(AttrValue::Flag(false)) => None,
        Some(AttrValue::List(items)) if items.is_empty() => None,
        other => other,
    }
}

fn is_set(value: Option<&AttrValue>) -> bool {
    normalized(value).is_some()
}

fn list(value: Option<&AttrValue>) -> BTreeSet<&str> {
    match value {
        Some(AttrValue::List(items)) => items.iter().map(String::as_str).collect(),
        _ => BTreeSet::new(),
    }
}

/// The aspect, impact and reason of one attribute change.
fn classify(
    item: &Item,
    name: AttrName,
    old: Option<&AttrValue>,
    new: Option<&AttrValue>,
    old_methods: &BTreeSet<&str>,
) -> (&'static str, Impact, &'static str) {
    use Impact::{Additive, Breaking, Compatible};
    match name {
        AttrName::Rust | AttrName::Handle | AttrName::Builder => {
            ("rust name", Breaking, "the Rust name changed")
        }
        AttrName::Id => (
            "method id",
            Compatible,
            "the method id is not part of the Rust API",
        ),
        AttrName::Http => (
            "http method",
            Compatible,
            "the regenerated builder sends the new HTTP method; calling code is unchanged",
        ),
        AttrName::Path => (
            "path",
            Compatible,
            "the regenerated builder sends the new path; calling code is unchanged",
        ),
        AttrName::Location => (
            "location",
            Compatible,
            "the builder's signature does not depend on where a parameter goes",
        ),
        AttrName::Shape => (
            "shape",
            Breaking,
            "the type changed between struct, enum and alias",
        ),
        AttrName::Type => match (old, new) {
            (Some(AttrValue::Type(a)), Some(AttrValue::Type(b))) if a.rust == b.rust => {
                ("wire type", Compatible, "the Rust type is unchanged")
            }
            (Some(AttrValue::Type(a)), Some(AttrValue::Type(b))) if a.wire == b.wire => (
                "rust type",
                Breaking,
                "the Rust type changed (boxing or naming) though the wire type did not",
            ),
            (Some(AttrValue::Type(a)), Some(AttrValue::Type(b)))
                if a.wire_shape() == b.wire_shape() =>
            {
                (
                    "format",
                    Breaking,
                    "the format changed, and with it the Rust type",
                )
            }
            _ => ("type", Breaking, "the Rust type changed"),
        },
        AttrName::Required => (
            "required",
            Breaking,
            "required parameters are constructor arguments, optional ones setters",
        ),
        AttrName::Repeated => (
            "repeated",
            Breaking,
            "the setter changes between one value and many",
        ),
        AttrName::RequiredFor => {
            let old_set = list(old);
            let new_set = list(new);
            // Only methods of the old surface matter: a new method's requirements break
            // nobody.
            let newly_required = new_set
                .difference(&old_set)
                .any(|id| old_methods.contains(id));
            if newly_required && item.kind() == ItemKind::Field {
                (
                    "required",
                    Breaking,
                    "the server now refuses requests of an existing method without this field",
                )
            } else {
                (
                    "required",
                    Compatible,
                    "no method of the old surface newly requires the field",
                )
            }
        }
        AttrName::ReadOnly => (
            "read-only",
            Compatible,
            "fields stay optional whether or not the server ignores them",
        ),
        AttrName::Request => match (is_set(old), is_set(new)) {
            (false, true) => (
                "request",
                Breaking,
                "a new request body is a new constructor argument",
            ),
            (true, false) => ("request", Breaking, "the request body argument is gone"),
            _ => ("request", Breaking, "the request body type changed"),
        },
        AttrName::Response => ("response", Breaking, "the response type changed"),
        AttrName::Scopes => {
            if list(old).is_subset(&list(new)) {
                ("scopes", Additive, "more scopes are accepted")
            } else {
                (
                    "scopes",
                    Breaking,
                    "a token carrying only a removed scope is refused",
                )
            }
        }
        AttrName::Upload => match (is_set(old), is_set(new)) {
            (false, true) => ("media upload", Additive, "new upload() method"),
            (true, false) => ("media upload", Breaking, "the upload() method is gone"),
            _ => (
                "media upload",
                Compatible,
                "upload() stays; the runtime picks a supported protocol",
            ),
        },
        AttrName::Download => match (is_set(old), is_set(new)) {
            (false, true) => ("media download", Additive, "new download() method"),
            (true, false) => ("media download", Breaking, "the download() method is gone"),
            _ => (
                "media download",
                Compatible,
                "download() stays; only the endpoint changed",
            ),
        },
        AttrName::Pages => {
            let pages_only = |v: Option<&AttrValue>| matches!(v, Some(AttrValue::Text(t)) if t == super::PAGES_ONLY);
            match (is_set(old), is_set(new)) {
                (false, true) => ("pagination", Additive, "new pages() (and stream()) methods"),
                (true, false) => ("pagination", Breaking, "pages() and stream() are gone"),
                _ if pages_only(old) => ("pagination", Additive, "new stream() method"),
                _ if pages_only(new) => ("pagination", Breaking, "stream() is gone"),
                _ => ("pagination", Breaking, "the item type of stream() changed"),
            }
        }
        AttrName::Form => (
            "resource name form",
            Compatible,
            "calling code is unchanged; values are checked against the new form before sending",
        ),
        AttrName::Deprecated => (
            "deprecation",
            Compatible,
            "deprecation changes warnings, not whether code compiles",
        ),
        AttrName::RootUrl | AttrName::ServicePath | AttrName::BatchPath => (
            "endpoint",
            Compatible,
            "the client's default endpoint changes; calling code is unchanged",
        ),
    }
}

/// The strongest impact among `attrs`, with its reason.
fn strongest(attrs: &[AttrChange]) -> (Impact, &'static str) {
    attrs
        .iter()
        .max_by_key(|a| a.impact)
        .map(|a| (a.impact, a.reason))
        .unwrap_or((Impact::Compatible, "no attribute changed"))
}
