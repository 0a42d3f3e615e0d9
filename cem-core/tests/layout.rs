//! The house rules of `cem-core/src` (docs/src/architecture.md), checked on the sources: each room (a
//! folder) imports only from the ground and the rooms it may use, no file imports itself back through
//! another (no circle), and no file passes about a thousand lines.
//!
//! An import is any `crate::room::file` path in code (comments and docs are not read).

use std::collections::{BTreeMap, BTreeSet};
use std::path::Path;

/// What each room may use besides the ground (the files at the top of src/) and itself. A new room is
/// added here, with the rooms it needs (all of them below it).
const ROOMS: &[(&str, &[&str])] = &[
    ("inference", &[]),
    ("score", &["inference"]),
    ("segments", &["inference", "score"]),
    ("drivers", &["inference", "score"]),
    // The rooms of the next operations: data-driven segments, comment keyness, raking.
    ("discover", &["inference", "score", "segments"]),
    ("text", &["inference", "score"]),
    ("weighting", &["inference", "score", "segments"]),
    ("api", &["inference", "score", "segments", "drivers", "discover", "text", "weighting"]),
];

/// Longest file, in lines.
const MAX_LINES: usize = 1000;

/// Every .rs file under src/, by its path from src/ without `.rs` (`score/tally`, `drivers/mod`, `error`).
fn sources(dir: &Path, prefix: &str, out: &mut BTreeMap<String, String>) {
    for entry in std::fs::read_dir(dir).unwrap() {
        let path = entry.unwrap().path();
        let name = path.file_name().unwrap().to_str().unwrap().to_string();
        if path.is_dir() {
            sources(&path, &format!("{prefix}{name}/"), out);
        } else if let Some(stem) = name.strip_suffix(".rs") {
            out.insert(format!("{prefix}{stem}"), std::fs::read_to_string(&path).unwrap());
        }
    }
}

/// The code of a file: each line up to a `//` comment (docs included), string contents kept (paths in
/// strings are rare and harmless here).
fn code(text: &str) -> impl Iterator<Item = &str> {
    text.lines().map(|l| l.find("//").map_or(l, |i| &l[..i]))
}

/// The files a file's code names by `crate::…` paths (`use crate::score::{tally::Tally, …}` is not
/// written in this crate; each path is spelled from `crate::`).
fn imports(text: &str, files: &BTreeMap<String, String>) -> BTreeSet<String> {
    let mut out = BTreeSet::new();
    for line in code(text) {
        for (i, _) in line.match_indices("crate::") {
            let path: Vec<&str> = line[i + 7..]
                .split("::")
                .map(|s| s.split(|c: char| !(c.is_alphanumeric() || c == '_')).next().unwrap_or(""))
                .take_while(|s| !s.is_empty())
                .collect();
            // The longest prefix that is a file: `score::tally::Tally` → score/tally; `drivers::gram` → drivers/gram.
            let found = (1..=path.len().min(2)).rev().find_map(|k| {
                let p = path[..k].join("/");
                [p.clone(), format!("{p}/mod")].into_iter().find(|f| files.contains_key(f))
            });
            if let Some(f) = found {
                out.insert(f);
            }
        }
    }
    out
}

fn room(file: &str) -> Option<&str> {
    file.split_once('/').map(|(r, _)| r)
}

#[test]
fn rooms_import_only_downward_and_no_file_imports_itself_back() {
    let src = Path::new(env!("CARGO_MANIFEST_DIR")).join("src");
    let mut files = BTreeMap::new();
    sources(&src, "", &mut files);
    let rules: BTreeMap<&str, &[&str]> = ROOMS.iter().copied().collect();
    let mut graph: BTreeMap<String, BTreeSet<String>> = BTreeMap::new();
    let mut wrong = Vec::new();
    for (file, text) in &files {
        if file == "lib" {
            continue; // the root declares the rooms and re-exports the public names
        }
        let lines = text.lines().count();
        if lines > MAX_LINES {
            wrong.push(format!("{file}.rs has {lines} lines (at most {MAX_LINES}): split it by concept"));
        }
        let from = room(file);
        if let Some(r) = from {
            if !rules.contains_key(r) {
                wrong.push(format!("room {r}/ is not in ROOMS (cem-core/tests/layout.rs): say what it may use"));
                continue;
            }
        }
        let targets = imports(text, &files);
        for to in &targets {
            let allowed = match (from, room(to)) {
                (_, None) => true, // the ground: every file may use it
                (Some(a), Some(b)) => a == b || rules[a].contains(&b),
                (None, Some(_)) => false, // the ground uses no room
            };
            if !allowed {
                wrong.push(format!("{file}.rs imports {to}.rs: not allowed (see ROOMS)"));
            }
        }
        graph.insert(file.clone(), targets.into_iter().filter(|t| t != file).collect());
    }
    // A circle of files: depth-first search for a back edge.
    fn visit(
        f: &str,
        graph: &BTreeMap<String, BTreeSet<String>>,
        state: &mut BTreeMap<String, u8>,
        stack: &mut Vec<String>,
        wrong: &mut Vec<String>,
    ) {
        state.insert(f.to_string(), 1);
        stack.push(f.to_string());
        for t in graph.get(f).into_iter().flatten() {
            match state.get(t.as_str()).copied().unwrap_or(0) {
                0 => visit(t, graph, state, stack, wrong),
                1 => {
                    let start = stack.iter().position(|s| s == t).unwrap();
                    wrong.push(format!("import circle: {} → {t}", stack[start..].join(" → ")));
                }
                _ => {}
            }
        }
        stack.pop();
        state.insert(f.to_string(), 2);
    }
    let mut state = BTreeMap::new();
    for f in graph.keys() {
        if !state.contains_key(f.as_str()) {
            visit(f, &graph, &mut state, &mut Vec::new(), &mut wrong);
        }
    }
    assert!(wrong.is_empty(), "{}", wrong.join("\n"));
    // The check reads real imports: tally is used by metric, and api sees drivers.
    assert!(graph["score/metric"].contains("score/tally"));
    assert!(graph["api/operations/mod"].contains("drivers/columns"));
}
