//! Renames between two surface listings: items (same kind and key) whose Rust name
//! changed. The surface diff compares documents through one generator, so a rename the
//! generator itself makes (a naming rule changed) shows only here; code using the old
//! name breaks, so regen names each one.

use std::collections::BTreeMap;

/// `KIND KEY` -> its `rust=` attribute, for every line of a listing that has one.
fn rust_names(listing: &str) -> BTreeMap<&str, &str> {
    listing
        .lines()
        .filter_map(|line| {
            let (head, attrs) = line.split_once("  ")?;
            let rust = attrs
                .split(' ')
                .find_map(|attr| attr.strip_prefix("rust="))?;
            Some((head, rust))
        })
        .collect()
}

/// One line per item of both listings whose Rust name differs:
/// `enum value SpaceSpaceType::SPACE_TYPE_UNSPECIFIED: SpaceTypeUnspecified -> Unspecified`.
pub fn renames(old: &str, new: &str) -> Vec<String> {
    let old = rust_names(old);
    rust_names(new)
        .into_iter()
        .filter_map(|(head, rust)| {
            let before = old.get(head)?;
            (*before != rust).then(|| format!("{head}: {before} -> {rust}"))
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_changed_rust_names_of_items_in_both() {
        let old = "type Space  rust=Space\nenum value Space.t::A_B  rust=AB\nfield X.y  rust=y type=String\n";
        let new = "type Space  rust=Space\nenum value Space.t::A_B  rust=B\nfield X.z  rust=z\nfield X.y  rust=y_2 type=String\n";
        assert_eq!(
            renames(old, new),
            ["enum value Space.t::A_B: AB -> B", "field X.y: y -> y_2"]
        );
        assert!(renames(old, old).is_empty());
    }
}
