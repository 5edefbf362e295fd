//! The modules of the core, the gateway client and the demo gateway depend on each other in one
//! direction only: a module that names `crate::other` depends on it, and no chain of such names
//! comes back. A ring (journal → settings → journal, say) is a failure that names it. `model`
//! names nothing of the core; no route of the demo gateway reaches into another.

use std::collections::{BTreeMap, BTreeSet};
use std::path::Path;

/// The sources of a crate of this workspace (`desk-core`, `vpws`, `vpws-sim`).
fn sources_of(krate: &str) -> std::path::PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("..")
        .join(krate)
        .join("src")
}

/// Each top-level module and the modules its files name (`crate::x`), read from the sources.
fn dependencies(krate: &str) -> BTreeMap<String, BTreeSet<String>> {
    let src = sources_of(krate);
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
        if module == "lib" || module == "main" {
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

fn assert_no_ring(krate: &str) {
    let graph = dependencies(krate);
    assert!(graph.len() > 5, "the sources were read: {graph:?}");
    for module in graph.keys() {
        if let Some(ring) = ring_through(&graph, module, &mut vec![module.clone()]) {
            panic!("a ring of modules in {krate}: {}", ring.join(" → "));
        }
    }
}

#[test]
fn no_module_of_the_core_depends_on_itself_through_others() {
    assert_no_ring("desk-core");
}

#[test]
fn no_module_of_the_gateway_client_depends_on_itself_through_others() {
    assert_no_ring("vpws");
}

#[test]
fn no_module_of_the_demo_gateway_depends_on_itself_through_others() {
    assert_no_ring("vpws-sim");
}

#[test]
fn the_shared_words_name_nothing_of_the_crate() {
    assert_eq!(dependencies("desk-core")["model"], BTreeSet::new());
}

/// Each route answers its own endpoints; what two routes share lives in the gateway's state.
#[test]
fn no_route_of_the_demo_gateway_reaches_into_another() {
    let routes = sources_of("vpws-sim").join("routes");
    let mut read = 0;
    for entry in std::fs::read_dir(&routes).unwrap() {
        let path = entry.unwrap().path();
        let name = path.file_stem().unwrap().to_string_lossy().into_owned();
        if name == "mod" {
            continue;
        }
        read += 1;
        let text = std::fs::read_to_string(&path).unwrap();
        for (at, _) in text.match_indices("routes::") {
            let other: String = text[at + "routes::".len()..]
                .chars()
                .take_while(|c| c.is_ascii_lowercase() || *c == '_')
                .collect();
            let shared = ["json_body"].contains(&other.as_str());
            assert!(
                other == name || shared,
                "routes/{name}.rs reaches into routes::{other}"
            );
        }
    }
    assert!(read > 5, "the routes were read");
}

/// Small modules with one job each: no source file of the core, the gateway client or the demo
/// gateway is over 500 lines (a longer one is two jobs, or tests that want their own file).
#[test]
fn no_source_file_is_over_500_lines() {
    let mut long = Vec::new();
    for krate in ["desk-core", "vpws", "vpws-sim"] {
        let mut files = vec![sources_of(krate)];
        while let Some(path) = files.pop() {
            if path.is_dir() {
                files.extend(std::fs::read_dir(&path).unwrap().map(|e| e.unwrap().path()));
            } else if path.extension().is_some_and(|e| e == "rs") {
                let lines = std::fs::read_to_string(&path).unwrap().lines().count();
                if lines > 500 {
                    long.push(format!("{} ({lines} lines)", path.display()));
                }
            }
        }
    }
    assert!(long.is_empty(), "over 500 lines: {long:#?}");
}
