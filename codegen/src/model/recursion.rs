//! Boxing exactly the fields that make a type recursive.
//!
//! A field of type `Named(T)` stores `T` inline; inside `Vec` or `BTreeMap` it is already
//! behind a pointer. So the graph whose nodes are named types and whose edges are "direct"
//! references (struct fields and alias targets that are `Named` outside any `Array`/`Map`)
//! has a cycle exactly where a type would have infinite size. A struct field is boxed when
//! its target lies in the struct's own strongly connected component (self-reference
//! included), which breaks every such cycle with the fewest boxes this rule allows.

use std::collections::BTreeMap;

use super::{TypeDef, TypeKind, TypeRef};

/// Strongly connected components of a directed graph given as adjacency lists
/// (Tarjan's algorithm, iterative so that deep graphs cannot overflow the stack).
/// Returns the component index of every node.
pub fn components(edges: &[Vec<usize>]) -> Vec<usize> {
    const UNVISITED: usize = usize::MAX;
    let n = edges.len();
    let mut index = vec![UNVISITED; n];
    let mut low = vec![0; n];
    let mut on_stack = vec![false; n];
    let mut stack = Vec::new();
    let mut component = vec![UNVISITED; n];
    let mut next_index = 0;
    let mut next_component = 0;
    for root in 0..n {
        if index[root] != UNVISITED {
            continue;
        }
        // (node, position of the next edge to look at)
        let mut work = vec![(root, 0usize)];
        index[root] = next_index;
        low[root] = next_index;
        next_index += 1;
        stack.push(root);
        on_stack[root] = true;
        while let Some(&mut (node, ref mut edge)) = work.last_mut() {
            if let Some(&next) = edges[node].get(*edge) {
                *edge += 1;
                if index[next] == UNVISITED {
                    index[next] = next_index;
                    low[next] = next_index;
                    next_index += 1;
                    stack.push(next);
                    on_stack[next] = true;
                    work.push((next, 0));
                } else if on_stack[next] {
                    low[node] = low[node].min(index[next]);
                }
                continue;
            }
            work.pop();
            if let Some(&(parent, _)) = work.last() {
                low[parent] = low[parent].min(low[node]);
            }
            if low[node] == index[node] {
                while let Some(member) = stack.pop() {
                    on_stack[member] = false;
                    component[member] = next_component;
                    if member == node {
                        break;
                    }
                }
                next_component += 1;
            }
        }
    }
    component
}

fn direct_target(ty: &TypeRef) -> Option<&str> {
    match ty {
        TypeRef::Named(name) => Some(name),
        _ => None,
    }
}

fn all_targets<'t>(ty: &'t TypeRef, out: &mut Vec<&'t str>) {
    match ty {
        TypeRef::Named(name) => out.push(name),
        TypeRef::Array(inner) | TypeRef::Map(inner) => all_targets(inner, out),
        _ => {}
    }
}

/// Sets [`super::Field::boxed`] on the fields that need it.
pub fn box_recursive_fields(types: &mut [TypeDef]) {
    let index: BTreeMap<&str, usize> = types
        .iter()
        .enumerate()
        .map(|(i, t)| (t.rust_name.as_str(), i))
        .collect();
    let edges: Vec<Vec<usize>> = types
        .iter()
        .map(|t| match &t.kind {
            TypeKind::Struct(fields) => fields
                .iter()
                .filter_map(|f| direct_target(&f.ty))
                .filter_map(|name| index.get(name).copied())
                .collect(),
            TypeKind::Alias(ty) => direct_target(ty)
                .and_then(|name| index.get(name).copied())
                .into_iter()
                .collect(),
            TypeKind::Enum(_) => Vec::new(),
        })
        .collect();
    let component = components(&edges);
    let targets: Vec<Vec<Option<usize>>> = types
        .iter()
        .map(|t| match &t.kind {
            TypeKind::Struct(fields) => fields
                .iter()
                .map(|f| direct_target(&f.ty).and_then(|name| index.get(name).copied()))
                .collect(),
            _ => Vec::new(),
        })
        .collect();
    for (i, def) in types.iter_mut().enumerate() {
        if let TypeKind::Struct(fields) = &mut def.kind {
            for (field, target) in fields.iter_mut().zip(&targets[i]) {
                field.boxed = target.is_some_and(|t| component[t] == component[i]);
            }
        }
    }
}

/// Names of type aliases that refer to themselves through other aliases only (a Rust type
/// alias cannot be recursive, even through `Vec`), or `None` when there are none.
pub fn recursive_alias(types: &[TypeDef]) -> Option<String> {
    let index: BTreeMap<&str, usize> = types
        .iter()
        .enumerate()
        .map(|(i, t)| (t.rust_name.as_str(), i))
        .collect();
    let edges: Vec<Vec<usize>> = types
        .iter()
        .map(|t| match &t.kind {
            TypeKind::Alias(ty) => {
                let mut names = Vec::new();
                all_targets(ty, &mut names);
                names
                    .into_iter()
                    .filter_map(|name| index.get(name).copied())
                    .filter(|&j| matches!(types[j].kind, TypeKind::Alias(_)))
                    .collect()
            }
            _ => Vec::new(),
        })
        .collect();
    let component = components(&edges);
    for (i, targets) in edges.iter().enumerate() {
        if targets.iter().any(|&j| component[j] == component[i]) {
            return Some(types[i].rust_name.clone());
        }
    }
    None
}

#[cfg(test)]
mod tests {
    use super::components;

    #[test]
    fn tarjan_finds_cycles_and_singletons() {
        // 0 -> 1 -> 2 -> 0, 3 -> 3, 4 -> 0
        let c = components(&[vec![1], vec![2], vec![0], vec![3], vec![0]]);
        assert_eq!(c[0], c[1]);
        assert_eq!(c[1], c[2]);
        assert_ne!(c[3], c[0]);
        assert_ne!(c[4], c[0]);
        assert_ne!(c[4], c[3]);
    }
}
