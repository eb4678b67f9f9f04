//! The shape of the code: each file uses only files of its own layer or the layers below, and no
//! two files use each other, directly or through others. Read from the `crate::` and `super::`
//! paths of `src/`, so a new import that breaks either fails here.

use std::collections::{BTreeMap, BTreeSet};
use std::path::{Path, PathBuf};

/// The layers, top first, by top-level module (or file of `src/`). A file may use its own layer
/// and every layer after it in this list.
const LAYERS: &[(&str, &[&str])] = &[
    ("entry points", &["main", "lib", "cli", "startup"]),
    ("web", &["web", "api", "wire", "assets"]),
    ("application", &["app", "state", "error"]),
    ("domain", &["domain"]),
    ("storage, mail and language", &["db", "mail", "i18n"]),
    (
        "foundations",
        &["crypto", "config", "clock", "time_zone", "telemetry"],
    ),
];

fn layer_of(module: &[String]) -> usize {
    let top = module.first().map_or("lib", String::as_str);
    LAYERS
        .iter()
        .position(|(_, members)| members.contains(&top))
        .unwrap_or_else(|| panic!("src/{top}: add it to a layer in LAYERS"))
}

/// Every `.rs` file under `dir`.
fn rust_files(dir: &Path, found: &mut Vec<PathBuf>) {
    for entry in std::fs::read_dir(dir).unwrap() {
        let path = entry.unwrap().path();
        if path.is_dir() {
            rust_files(&path, found);
        } else if path.extension().is_some_and(|ext| ext == "rs") {
            found.push(path);
        }
    }
}

/// The module path of a file: `src/web/users.rs` → web::users, `src/web/mod.rs` → web.
fn module_of(src: &Path, file: &Path) -> Vec<String> {
    let relative = file.strip_prefix(src).unwrap().with_extension("");
    let mut parts: Vec<String> = relative
        .components()
        .map(|part| part.as_os_str().to_string_lossy().into_owned())
        .collect();
    if parts.last().is_some_and(|last| last == "mod") {
        parts.pop();
    }
    if parts == ["lib"] {
        parts.clear();
    }
    parts
}

/// The text without comments, so that paths in docs do not count.
fn code_of(text: &str) -> String {
    text.lines()
        .map(|line| match line.find("//") {
            Some(at) if !line[..at].contains('"') => &line[..at],
            _ => line,
        })
        .collect::<Vec<_>>()
        .join("\n")
}

/// The paths a `use` tree or expression names after `crate::` at `at`: `a::b`, `a::{b, c::{d}}`.
fn paths_at(code: &[u8], mut at: usize, prefix: Vec<String>, out: &mut Vec<Vec<String>>) -> usize {
    let mut path = prefix;
    loop {
        let start = at;
        while at < code.len() && (code[at].is_ascii_alphanumeric() || code[at] == b'_') {
            at += 1;
        }
        if at > start {
            path.push(String::from_utf8_lossy(&code[start..at]).into_owned());
        }
        if code[at..].starts_with(b"::{") {
            at += 3;
            loop {
                while at < code.len() && code[at].is_ascii_whitespace() {
                    at += 1;
                }
                if at >= code.len() || code[at] == b'}' {
                    at += 1;
                    return at;
                }
                at = paths_at(code, at, path.clone(), out);
                while at < code.len() && code[at] != b',' && code[at] != b'}' {
                    at += 1;
                }
                if at < code.len() && code[at] == b',' {
                    at += 1;
                }
            }
        } else if code[at..].starts_with(b"::") {
            at += 2;
        } else {
            out.push(path);
            return at;
        }
    }
}

struct Graph {
    modules: BTreeMap<Vec<String>, PathBuf>,
    uses: BTreeMap<Vec<String>, BTreeSet<Vec<String>>>,
}

fn read_graph() -> Graph {
    let src = Path::new(env!("CARGO_MANIFEST_DIR")).join("src");
    let mut files = Vec::new();
    rust_files(&src, &mut files);
    let modules: BTreeMap<Vec<String>, PathBuf> = files
        .iter()
        .map(|file| (module_of(&src, file), file.clone()))
        .collect();
    let resolve = |path: &[String]| -> Option<Vec<String>> {
        (1..=path.len())
            .rev()
            .map(|len| path[..len].to_vec())
            .find(|candidate| modules.contains_key(candidate))
    };
    let mut uses: BTreeMap<Vec<String>, BTreeSet<Vec<String>>> = BTreeMap::new();
    for (module, file) in &modules {
        let code = code_of(&std::fs::read_to_string(file).unwrap());
        let bytes = code.as_bytes();
        let mut named = Vec::new();
        for (at, _) in code.match_indices("crate::") {
            let before = at.checked_sub(1).map(|i| bytes[i]);
            if before.is_some_and(|b| b.is_ascii_alphanumeric() || b == b'_' || b == b'$') {
                continue;
            }
            paths_at(bytes, at + "crate::".len(), Vec::new(), &mut named);
        }
        for (at, _) in code.match_indices("super::") {
            if at > 0 && bytes[at - 1] == b':' {
                continue;
            }
            // `super` of `web::users` (users.rs) and of `web` (web/mod.rs) alike is the parent.
            let parent = module[..module.len().saturating_sub(1)].to_vec();
            paths_at(bytes, at + "super::".len(), parent, &mut named);
        }
        let targets = uses.entry(module.clone()).or_default();
        for path in named {
            // `use crate::a::{self, B}` names `a` itself as well.
            let path: Vec<String> = path.into_iter().filter(|part| part != "self").collect();
            if let Some(target) = resolve(&path)
                && &target != module
            {
                targets.insert(target);
            }
        }
    }
    Graph { modules, uses }
}

fn name(module: &[String]) -> String {
    if module.is_empty() {
        "lib".to_owned()
    } else {
        module.join("::")
    }
}

#[test]
fn every_file_uses_only_its_own_layer_and_the_layers_below() {
    let graph = read_graph();
    let mut upward = Vec::new();
    for (module, targets) in &graph.uses {
        for target in targets {
            let (from, to) = (layer_of(module), layer_of(target));
            if to < from {
                upward.push(format!(
                    "{} ({}) uses {} ({})",
                    name(module),
                    LAYERS[from].0,
                    name(target),
                    LAYERS[to].0
                ));
            }
        }
    }
    assert!(
        upward.is_empty(),
        "imports against the layer order:\n{}",
        upward.join("\n")
    );
}

#[test]
fn no_files_use_each_other() {
    let graph = read_graph();
    // Tarjan's strongly connected components; any with two files or more is a cycle.
    struct Walk<'g> {
        graph: &'g Graph,
        index: BTreeMap<&'g Vec<String>, usize>,
        low: BTreeMap<&'g Vec<String>, usize>,
        stack: Vec<&'g Vec<String>>,
        cycles: Vec<Vec<String>>,
    }
    fn visit<'g>(walk: &mut Walk<'g>, module: &'g Vec<String>) {
        let next = walk.index.len();
        walk.index.insert(module, next);
        walk.low.insert(module, next);
        walk.stack.push(module);
        for target in walk.graph.uses.get(module).into_iter().flatten() {
            if !walk.index.contains_key(target) {
                visit(walk, target);
                let low = walk.low[target].min(walk.low[module]);
                walk.low.insert(module, low);
            } else if walk.stack.contains(&target) {
                let low = walk.index[target].min(walk.low[module]);
                walk.low.insert(module, low);
            }
        }
        if walk.low[module] == walk.index[module] {
            let mut component = Vec::new();
            while let Some(member) = walk.stack.pop() {
                component.push(name(member));
                if member == module {
                    break;
                }
            }
            if component.len() > 1 {
                component.sort();
                walk.cycles.push(component);
            }
        }
    }
    let mut walk = Walk {
        graph: &graph,
        index: BTreeMap::new(),
        low: BTreeMap::new(),
        stack: Vec::new(),
        cycles: Vec::new(),
    };
    for module in graph.modules.keys() {
        if !walk.index.contains_key(module) {
            visit(&mut walk, module);
        }
    }
    assert!(
        walk.cycles.is_empty(),
        "files that use each other:\n{}",
        walk.cycles
            .iter()
            .map(|cycle| cycle.join(" ↔ "))
            .collect::<Vec<_>>()
            .join("\n")
    );
}

#[test]
fn the_reader_sees_grouped_and_nested_paths() {
    let code = b"use crate::domain::{self, membership::{self, Added}, role};";
    let mut named = Vec::new();
    paths_at(code, "use crate::".len(), Vec::new(), &mut named);
    let named: Vec<String> = named.iter().map(|path| path.join("::")).collect();
    assert_eq!(
        named,
        vec![
            "domain::self",
            "domain::membership::self",
            "domain::membership::Added",
            "domain::role"
        ]
    );
    let graph = read_graph();
    let users = graph
        .uses
        .get(&vec!["web".to_owned(), "users".to_owned()])
        .expect("web::users is read");
    assert!(users.contains(&vec!["web".to_owned(), "htmx".to_owned()]));
}
