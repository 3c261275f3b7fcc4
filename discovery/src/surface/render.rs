//! Reports of a [`SurfaceDiff`]: plain text for terminals, Markdown for pull requests and
//! JSON for tools.
//!
//! Every line names the item by its wire key (the path a reviewer follows in the
//! Discovery document) and shows the attributes exactly as the surface listing does.

use std::collections::BTreeMap;
use std::fmt::Write as _;

use serde::Serialize;

use super::diff::{AttrChange, Change, ChangeKind, Counts, Group, Impact, SurfaceDiff};
use super::{AttrName, AttrValue, Item, ItemKey, ItemKind};

/// What to include in a report.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Options {
    /// List description-only changes (otherwise they are only counted).
    pub descriptions: bool,
}

/// `3 methods, 1 field`, in listing order of kinds, or `none`.
pub fn counts_phrase(counts: &BTreeMap<ItemKind, usize>) -> String {
    let parts: Vec<String> = ItemKind::ALL
        .iter()
        .filter_map(|kind| counts.get(kind).map(|n| (kind, *n)))
        .filter(|(_, n)| *n > 0)
        .map(|(kind, n)| {
            let noun = if n == 1 {
                kind.singular()
            } else {
                kind.plural()
            };
            format!("{n} {noun}")
        })
        .collect();
    if parts.is_empty() {
        "none".to_owned()
    } else {
        parts.join(", ")
    }
}

/// `1 change`, `2 changes`.
fn plural(n: usize, noun: &str) -> String {
    if n == 1 {
        format!("{n} {noun}")
    } else {
        format!("{n} {noun}s")
    }
}

/// `2 breaking, 5 additive, 1 compatible`.
pub fn impact_phrase(diff: &SurfaceDiff) -> String {
    let n = |impact| diff.with_impact(impact).count();
    format!(
        "{} breaking, {} additive, {} compatible",
        n(Impact::Breaking),
        n(Impact::Additive),
        n(Impact::Compatible)
    )
}

/// The count lines shared by the text report and the regen summary.
pub fn counts_lines(counts: &Counts) -> Vec<String> {
    vec![
        format!("added: {}", counts_phrase(&counts.added)),
        format!("removed: {}", counts_phrase(&counts.removed)),
        format!("changed: {}", counts_phrase(&counts.changed)),
    ]
}

fn sign(kind: ChangeKind) -> char {
    match kind {
        ChangeKind::Added => '+',
        ChangeKind::Removed => '-',
        ChangeKind::Changed => '~',
    }
}

fn verb(kind: ChangeKind) -> &'static str {
    match kind {
        ChangeKind::Added => "added",
        ChangeKind::Removed => "removed",
        ChangeKind::Changed => "changed",
    }
}

fn value_text(name: AttrName, value: Option<&AttrValue>) -> String {
    match value {
        None => "(none)".to_owned(),
        Some(AttrValue::Type(ty)) => format!("{} ({})", ty.rust, ty.wire),
        Some(AttrValue::List(items)) if items.is_empty() => "(none)".to_owned(),
        Some(value) => value.display_for(name),
    }
}

/// What an attribute change did, for display.
enum Delta {
    /// A set attribute (scopes, required-for): the elements added and removed.
    Set {
        added: Vec<String>,
        removed: Vec<String>,
    },
    /// Any other attribute: old and new values.
    Pair { old: String, new: String },
}

fn delta(change: &AttrChange) -> Delta {
    let list = |value: Option<&AttrValue>| -> Option<Vec<String>> {
        match value {
            None => Some(Vec::new()),
            Some(AttrValue::List(items)) => Some(items.clone()),
            Some(_) => None,
        }
    };
    if let (Some(old), Some(new)) = (list(change.old.as_ref()), list(change.new.as_ref())) {
        let shown = |item: &String| AttrValue::List(vec![item.clone()]).display_for(change.name);
        return Delta::Set {
            added: new.iter().filter(|i| !old.contains(i)).map(shown).collect(),
            removed: old.iter().filter(|i| !new.contains(i)).map(shown).collect(),
        };
    }
    Delta::Pair {
        old: value_text(change.name, change.old.as_ref()),
        new: value_text(change.name, change.new.as_ref()),
    }
}

/// `scopes: +chat.spaces -chat.bot` or `type: i32 (integer(int32)) -> i64 (string(int64))`,
/// with each value passed through `wrap` (a code span in Markdown).
fn attr_change_text(change: &AttrChange, wrap: fn(&str) -> String, arrow: &str) -> String {
    match delta(change) {
        Delta::Set { added, removed } => {
            let mut parts: Vec<String> = added.iter().map(|a| wrap(&format!("+{a}"))).collect();
            parts.extend(removed.iter().map(|r| wrap(&format!("-{r}"))));
            format!("{}: {}", change.name, parts.join(" "))
        }
        Delta::Pair { old, new } => {
            format!("{}: {} {arrow} {}", change.name, wrap(&old), wrap(&new))
        }
    }
}

fn plain(text: &str) -> String {
    text.to_owned()
}

/// The items folded into an added or removed `top`, as a tree: containers (resources,
/// methods, types) one per line, the parameters, fields and values of each on one line.
/// Each entry is (depth, text), depth 0 being directly under `top`.
fn contains_lines(top: &ItemKey, items: &[Item], wrap: fn(&str) -> String) -> Vec<(usize, String)> {
    let mut out = Vec::new();
    contains_under(top, items, 0, wrap, &mut out);
    out
}

fn contains_under(
    parent: &ItemKey,
    items: &[Item],
    depth: usize,
    wrap: fn(&str) -> String,
    out: &mut Vec<(usize, String)>,
) {
    let children: Vec<&Item> = items
        .iter()
        .filter(|i| i.key.parent().as_ref() == Some(parent))
        .collect();
    let mut leaves: BTreeMap<ItemKind, Vec<String>> = BTreeMap::new();
    for item in &children {
        match &item.key {
            ItemKey::Parameter { name, .. } | ItemKey::Field { name, .. } => {
                leaves.entry(item.kind()).or_default().push(wrap(name));
            }
            ItemKey::EnumValue { value, .. } => {
                leaves.entry(item.kind()).or_default().push(wrap(value));
            }
            _ => {}
        }
    }
    for (kind, names) in &leaves {
        let noun = if names.len() == 1 {
            kind.singular()
        } else {
            kind.plural()
        };
        out.push((
            depth,
            format!("{} {noun}: {}", names.len(), names.join(", ")),
        ));
    }
    for item in children {
        if matches!(
            item.kind(),
            ItemKind::Parameter | ItemKind::Field | ItemKind::EnumValue
        ) {
            continue;
        }
        out.push((
            depth,
            format!(
                "{} {}  {}",
                item.kind(),
                wrap(&item.key.to_string()),
                wrap(&item.attrs_text())
            ),
        ));
        contains_under(&item.key, items, depth + 1, wrap, out);
    }
}

/// Whether an addition or removal needs its reason spelled out: removals are always
/// breaking and most additions always additive (the [`ASSUMPTIONS`] say why), so only an
/// addition that breaks (a new required parameter) gets one.
fn needs_reason(change: &Change) -> bool {
    change.kind == ChangeKind::Added && change.impact == Impact::Breaking
}

/// What the classification assumes about the generated crate, printed with every report
/// that has changes.
pub const ASSUMPTIONS: &str = "Classified for code using the generated crate: anything removed \
    or renamed and any Rust type change is breaking; new fields are additive (structs are \
    `#[non_exhaustive]`, built with `new()` and setters); new enum values are additive \
    (generated enums keep unknown values and are `#[non_exhaustive]`); a new required parameter is breaking (a \
    new constructor argument), a new optional one additive.";

fn header(diff: &SurfaceDiff) -> String {
    format!("{} -> {}", diff.old, diff.new)
}

/// The plain-text report.
pub fn text(diff: &SurfaceDiff, options: Options) -> String {
    let mut out = String::new();
    let _ = writeln!(out, "API surface changes: {}", header(diff));
    let _ = writeln!(
        out,
        "{} changes; {}{}",
        impact_phrase(diff),
        plural(diff.description_changes.len(), "description-only change"),
        if options.descriptions {
            ""
        } else {
            " (list them with --descriptions)"
        }
    );
    for line in counts_lines(&diff.counts) {
        let _ = writeln!(out, "{line}");
    }
    let _ = writeln!(out, "version bump: {}", diff.bump().advice());
    if !diff.changes.is_empty() {
        let _ = writeln!(out, "note: {}", ASSUMPTIONS.replace('`', ""));
    }
    let mut group: Option<&Group> = None;
    for change in &diff.changes {
        if group != Some(&change.group) {
            let _ = writeln!(out, "\n{}", change.group);
            group = Some(&change.group);
        }
        text_change(&mut out, change);
    }
    if options.descriptions && !diff.description_changes.is_empty() {
        let _ = writeln!(out, "\ndescription-only changes");
        for change in &diff.description_changes {
            let _ = writeln!(out, "  ~ {} {}", change.key.kind(), change.key);
            let _ = writeln!(out, "      old: {}", one_line(change.old.as_deref()));
            let _ = writeln!(out, "      new: {}", one_line(change.new.as_deref()));
        }
    }
    out
}

fn one_line(text: Option<&str>) -> String {
    match text {
        None => "(none)".to_owned(),
        Some(text) => text.split_whitespace().collect::<Vec<_>>().join(" "),
    }
}

fn text_change(out: &mut String, change: &Change) {
    let item = &change.item;
    let _ = write!(
        out,
        "  {} [{}] {} {}",
        sign(change.kind),
        change.impact.as_str(),
        item.kind(),
        item.key
    );
    if item.preview_only {
        out.push_str(" [preview]");
    }
    match change.kind {
        ChangeKind::Added | ChangeKind::Removed => {
            let attrs = item.attrs_text();
            if !attrs.is_empty() {
                let _ = write!(out, "  {attrs}");
            }
            out.push('\n');
            for (depth, line) in contains_lines(&item.key, &change.contains, plain) {
                let _ = writeln!(out, "      {}{line}", "  ".repeat(depth));
            }
            if needs_reason(change) {
                let _ = writeln!(out, "      ({})", change.reason);
            }
        }
        ChangeKind::Changed => {
            out.push('\n');
            for attr in &change.attrs {
                let _ = writeln!(
                    out,
                    "      {}  [{}: {}]",
                    attr_change_text(attr, plain, "->"),
                    attr.impact.as_str(),
                    attr.reason
                );
            }
            if change.description_changed {
                let _ = writeln!(out, "      description changed");
            }
        }
    }
}

/// Escapes text for a Markdown code span (backticks cannot appear inside one).
fn code(text: &str) -> String {
    format!("`{}`", text.replace('`', "'"))
}

/// The Markdown report.
pub fn markdown(diff: &SurfaceDiff, options: Options) -> String {
    let mut out = String::new();
    let _ = writeln!(
        out,
        "## API surface changes: {} → {}\n",
        code(&diff.old.to_string()),
        code(&diff.new.to_string())
    );
    let _ = writeln!(
        out,
        "{} changes; {}{}.\n",
        impact_phrase(diff),
        plural(diff.description_changes.len(), "description-only change"),
        if options.descriptions {
            " (listed at the end)"
        } else {
            " (not listed)"
        }
    );
    let _ = writeln!(out, "| | |\n|---|---|");
    let _ = writeln!(out, "| added | {} |", counts_phrase(&diff.counts.added));
    let _ = writeln!(out, "| removed | {} |", counts_phrase(&diff.counts.removed));
    let _ = writeln!(out, "| changed | {} |", counts_phrase(&diff.counts.changed));
    let _ = writeln!(out, "| version bump | {} |", diff.bump().advice());
    if !diff.changes.is_empty() {
        let _ = writeln!(out, "\n_{ASSUMPTIONS}_");
    }
    let breaking: Vec<&Change> = diff.with_impact(Impact::Breaking).collect();
    if !breaking.is_empty() {
        let _ = writeln!(out, "\n### Breaking changes\n");
        for change in breaking {
            let _ = writeln!(
                out,
                "- {} {} {}: {}",
                verb(change.kind),
                change.item.kind(),
                code(&change.item.key.to_string()),
                change.reason
            );
        }
    }
    let mut group: Option<&Group> = None;
    for change in &diff.changes {
        if group != Some(&change.group) {
            let title = match &change.group {
                Group::Api => "API".to_owned(),
                Group::Resource(path) if path.is_empty() => "Resource (top level)".to_owned(),
                Group::Resource(path) => format!("Resource {}", code(path)),
                Group::Schema(name) => format!("Schema {}", code(name)),
            };
            let _ = writeln!(out, "\n### {title}\n");
            group = Some(&change.group);
        }
        markdown_change(&mut out, change);
    }
    if options.descriptions && !diff.description_changes.is_empty() {
        let _ = writeln!(out, "\n### Description-only changes\n");
        for change in &diff.description_changes {
            let _ = writeln!(
                out,
                "- {} {}\n  - old: {}\n  - new: {}",
                change.key.kind(),
                code(&change.key.to_string()),
                one_line(change.old.as_deref()),
                one_line(change.new.as_deref())
            );
        }
    }
    out
}

fn markdown_change(out: &mut String, change: &Change) {
    let item = &change.item;
    let impact = match change.impact {
        Impact::Breaking => "**breaking**",
        Impact::Additive => "additive",
        Impact::Compatible => "compatible",
    };
    let _ = write!(
        out,
        "- {impact}: {} {} {}",
        verb(change.kind),
        item.kind(),
        code(&item.key.to_string())
    );
    if item.preview_only {
        out.push_str(" (preview)");
    }
    match change.kind {
        ChangeKind::Added | ChangeKind::Removed => {
            let attrs = item.attrs_text();
            if !attrs.is_empty() {
                let _ = write!(out, " — {}", code(&attrs));
            }
            out.push('\n');
            for (depth, line) in contains_lines(&item.key, &change.contains, code) {
                let _ = writeln!(out, "  {}- {line}", "  ".repeat(depth));
            }
            if needs_reason(change) {
                let _ = writeln!(out, "  - {}", change.reason);
            }
        }
        ChangeKind::Changed => {
            out.push('\n');
            for attr in &change.attrs {
                let _ = writeln!(
                    out,
                    "  - {} ({}: {})",
                    attr_change_text(attr, code, "→"),
                    attr.impact.as_str(),
                    attr.reason
                );
            }
            if change.description_changed {
                let _ = writeln!(out, "  - description changed");
            }
        }
    }
}

/// The JSON report: the whole diff, plus the bump and impact counts; description-only
/// changes are listed only when `options.descriptions` is set (always counted).
pub fn json(diff: &SurfaceDiff, options: Options) -> String {
    #[derive(Serialize)]
    struct Report<'a> {
        old: &'a super::Origin,
        new: &'a super::Origin,
        bump: super::diff::Bump,
        breaking: usize,
        additive: usize,
        compatible: usize,
        counts: &'a Counts,
        changes: &'a [Change],
        description_change_count: usize,
        #[serde(skip_serializing_if = "Option::is_none")]
        description_changes: Option<&'a [super::diff::DescriptionChange]>,
    }
    let report = Report {
        old: &diff.old,
        new: &diff.new,
        bump: diff.bump(),
        breaking: diff.with_impact(Impact::Breaking).count(),
        additive: diff.with_impact(Impact::Additive).count(),
        compatible: diff.with_impact(Impact::Compatible).count(),
        counts: &diff.counts,
        changes: &diff.changes,
        description_change_count: diff.description_changes.len(),
        description_changes: options
            .descriptions
            .then_some(diff.description_changes.as_slice()),
    };
    // Serializing plain structs with string keys cannot fail; fall back to an error
    // object rather than panic if it ever did.
    serde_json::to_string_pretty(&report)
        .unwrap_or_else(|err| format!("{{\"error\": {:?}}}", err.to_string()))
        + "\n"
}
