//! The core's modules depend on each other in one direction only: a module that names
//! `crate::other` depends on it, and no chain of such names comes back. A ring (journal →
//! settings → journal, say) is a failure that names it. `model` names nothing of the crate.

use std::collections::{BTreeMap, BTreeSet};
use std::path::Path;

/// Each top-level module and the modules its files name (`crate::x`), read from the sources.
fn dependencies() -> BTreeMap<String, BTreeSet<String>> {
    let src = Path::new(env!("CARGO_MANIFEST_DIR")).join("src");
    let mut graph: BTreeMap<String, BTreeSet<String>> = BTreeMap::new();
    let mut files = vec![src.clone()];
    while let Some(path) = files.pop() {
        if path.is_dir() {
            files.extend(std::fs::read_dir(&path).unwrap().map(|e| e.unwrap().path()));
            continue;
        }
        if path.extension().is_none_or(|e| e != "rs") {
            continue;
        }
        let relative = path.strip_prefix(&src).unwrap();
        let first = relative.components().next().unwrap().as_os_str();
        let module = first.to_string_lossy().trim_end_matches(".rs").to_owned();
        if module == "lib" {
            continue;
        }
        let text = std::fs::read_to_string(&path).unwrap();
        let named = graph.entry(module.clone()).or_default();
        for (at, _) in text.match_indices("crate::") {
            let rest = &text[at + "crate::".len()..];
            let name: String = rest
                .chars()
                .take_while(|c| c.is_ascii_lowercase() || *c == '_')
                .collect();
            if !name.is_empty() && name != module {
                named.insert(name);
            }
        }
    }
    graph
}

/// A chain from `from` back to itself, if there is one.
fn ring_through(
    graph: &BTreeMap<String, BTreeSet<String>>,
    from: &str,
    path: &mut Vec<String>,
) -> Option<Vec<String>> {
    let last = path.last().unwrap().clone();
    for next in graph.get(&last).into_iter().flatten() {
        if next == from {
            let mut ring = path.clone();
            ring.push(next.clone());
            return Some(ring);
        }
        if !path.contains(next) {
            path.push(next.clone());
            if let Some(ring) = ring_through(graph, from, path) {
                return Some(ring);
            }
            path.pop();
        }
    }
    None
}

#[test]
fn no_module_of_the_core_depends_on_itself_through_others() {
    let graph = dependencies();
    assert!(graph.len() > 8, "the sources were read: {graph:?}");
    for module in graph.keys() {
        if let Some(ring) = ring_through(&graph, module, &mut vec![module.clone()]) {
            panic!("a ring of modules: {}", ring.join(" → "));
        }
    }
}

#[test]
fn the_shared_words_name_nothing_of_the_crate() {
    assert_eq!(dependencies()["model"], BTreeSet::new());
}
