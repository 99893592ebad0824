//! The shape of the crate, checked on every `./dev test` (`cargo test`):
//!
//! - **No import cycles.** Every module's `crate::…` and `super::…` paths
//!   (outside its `#[cfg(test)] mod tests`) are resolved to the module they
//!   name; the graph of those edges must have no cycle. A parent reaching a
//!   child by its relative name (`child::f`, `pub use child::T`) is how a
//!   folder exposes its parts and is not an edge.
//! - **No arrow running up.** Every top module sits in a layer of
//!   `LAYERS`; a module uses only its own layer and those below.
//! - **Size limits.** A module over 600 non-test lines or a function over 80
//!   lines fails the test: split it into named steps.

use std::collections::{BTreeMap, BTreeSet};
use std::fs;
use std::path::{Path, PathBuf};

const MAX_MODULE_LINES: usize = 600;
const MAX_FN_LINES: usize = 80;

fn rust_files(dir: &Path, out: &mut Vec<PathBuf>) {
    let mut entries: Vec<_> = fs::read_dir(dir)
        .unwrap()
        .flatten()
        .map(|e| e.path())
        .collect();
    entries.sort();
    for p in entries {
        if p.is_dir() {
            rust_files(&p, out);
        } else if p.extension().is_some_and(|e| e == "rs") {
            out.push(p);
        }
    }
}

/// `src/a/b.rs` → `a::b`, `src/a/mod.rs` → `a`, `src/lib.rs` → `` (the root).
fn module_of(src: &Path, file: &Path) -> String {
    let rel = file.strip_prefix(src).unwrap().with_extension("");
    let mut parts: Vec<String> = rel
        .components()
        .map(|c| c.as_os_str().to_string_lossy().into_owned())
        .collect();
    if matches!(parts.last().map(String::as_str), Some("mod" | "lib")) {
        parts.pop();
    }
    parts.join("::")
}

/// The text without `#[cfg(test)]` items (a `mod tests { … }` or a
/// `mod tests;` declaration) and without `//` comments.
fn non_test_lines(text: &str) -> Vec<&str> {
    let lines: Vec<&str> = text.lines().collect();
    let mut out = Vec::new();
    let mut i = 0;
    while i < lines.len() {
        let t = lines[i].trim();
        if t == "#[cfg(test)]" {
            // Skip the attribute and the item after it (to its closing brace).
            i += 1;
            let mut depth = 0i32;
            let mut opened = false;
            while i < lines.len() {
                let (o, c) = braces(lines[i]);
                depth += o - c;
                opened |= o > 0;
                let end = (opened && depth <= 0) || (!opened && lines[i].trim_end().ends_with(';'));
                i += 1;
                if end {
                    break;
                }
            }
            continue;
        }
        if !t.starts_with("//") && !t.is_empty() {
            out.push(lines[i]);
        }
        i += 1;
    }
    out
}

/// Opening and closing braces of a line, outside string and char literals
/// and `//` comments (good enough for this code base's formatting).
fn braces(line: &str) -> (i32, i32) {
    let (mut open, mut close) = (0, 0);
    let mut chars = line.chars().peekable();
    let mut in_str = false;
    while let Some(c) = chars.next() {
        match c {
            '\\' if in_str => {
                chars.next();
            }
            '"' => in_str = !in_str,
            '\'' if !in_str => {
                // A char literal such as '{' (not a lifetime): skip it.
                let rest: String = chars.clone().take(3).collect();
                if rest.chars().nth(1) == Some('\'') {
                    chars.next();
                    chars.next();
                } else if rest.starts_with('\\') {
                    for c in chars.by_ref() {
                        if c == '\'' {
                            break;
                        }
                    }
                }
            }
            '/' if !in_str && chars.peek() == Some(&'/') => break,
            '{' if !in_str => open += 1,
            '}' if !in_str => close += 1,
            _ => {}
        }
    }
    (open, close)
}

fn ident_segments(s: &str) -> Vec<String> {
    let mut out = Vec::new();
    for seg in s.split("::") {
        let seg: String = seg
            .chars()
            .take_while(|c| c.is_alphanumeric() || *c == '_')
            .collect();
        if seg.is_empty() {
            break;
        }
        out.push(seg);
    }
    out
}

/// Every path a line names through `crate::` or `super::`, as segments from
/// the crate root (`use crate::{a::X, b}` gives `a::X` and `b`).
fn referenced(module: &str, line: &str) -> Vec<Vec<String>> {
    let line = line.split(" //").next().unwrap_or("");
    let mut out = Vec::new();
    for (prefix, base) in [("crate::", Vec::new()), ("super::", parent(module))] {
        let mut rest = line;
        while let Some(at) = rest.find(prefix) {
            let before = rest[..at].chars().last();
            let after = &rest[at + prefix.len()..];
            rest = after;
            if before.is_some_and(|c| c.is_alphanumeric() || c == '_' || c == ':') {
                continue;
            }
            let mut base = base.clone();
            let mut after = after;
            // super::super::…
            while prefix == "super::" && after.starts_with("super::") {
                base.pop();
                after = &after["super::".len()..];
            }
            if let Some(group) = after.strip_prefix('{') {
                let group = group.split('}').next().unwrap_or("");
                for item in group.split(',') {
                    let mut p = base.clone();
                    p.extend(ident_segments(item.trim()));
                    out.push(p);
                }
            } else {
                let mut p = base;
                p.extend(ident_segments(after));
                out.push(p);
            }
        }
    }
    out
}

fn parent(module: &str) -> Vec<String> {
    let mut parts: Vec<String> = module
        .split("::")
        .filter(|s| !s.is_empty())
        .map(String::from)
        .collect();
    parts.pop();
    parts
}

/// The deepest module a path names.
fn resolve(modules: &BTreeSet<String>, path: &[String]) -> String {
    (0..=path.len())
        .rev()
        .map(|n| path[..n].join("::"))
        .find(|m| modules.contains(m))
        .unwrap_or_default()
}

struct Crate {
    edges: BTreeMap<String, BTreeSet<String>>,
    sizes: Vec<(String, usize)>,
    long_fns: Vec<(String, String, usize)>,
}

fn scan() -> Crate {
    let src = Path::new(env!("CARGO_MANIFEST_DIR")).join("src");
    let mut files = Vec::new();
    rust_files(&src, &mut files);
    // Only modules declared outside `#[cfg(test)]` (test-only files such as
    // `dialects/gorules/tests.rs` are not part of the architecture).
    let declared: BTreeSet<String> = files
        .iter()
        .flat_map(|f| {
            let module = module_of(&src, f);
            let text = fs::read_to_string(f).unwrap();
            non_test_lines(&text)
                .into_iter()
                .filter_map(|l| {
                    let t = l.trim_start();
                    let t = t
                        .strip_prefix("pub(crate) ")
                        .or_else(|| t.strip_prefix("pub "))
                        .unwrap_or(t);
                    let name = t.strip_prefix("mod ")?.strip_suffix(';')?;
                    Some(if module.is_empty() {
                        name.to_string()
                    } else {
                        format!("{module}::{name}")
                    })
                })
                .collect::<Vec<_>>()
        })
        .collect();
    files.retain(|f| {
        let m = module_of(&src, f);
        m.is_empty() || declared.contains(&m)
    });
    let modules: BTreeSet<String> = files.iter().map(|f| module_of(&src, f)).collect();
    let mut c = Crate {
        edges: BTreeMap::new(),
        sizes: Vec::new(),
        long_fns: Vec::new(),
    };
    for file in &files {
        let module = module_of(&src, file);
        let text = fs::read_to_string(file).unwrap();
        let lines = non_test_lines(&text);
        c.sizes.push((
            file.strip_prefix(&src).unwrap().display().to_string(),
            lines.len(),
        ));
        let edges = c.edges.entry(module.clone()).or_default();
        for line in &lines {
            for path in referenced(&module, line) {
                let target = resolve(&modules, &path);
                // A module may use its own ancestors' children freely, but
                // naming itself or its own descendants is no dependency.
                if target != module && !target.starts_with(&format!("{module}::")) {
                    edges.insert(target);
                }
            }
        }
        long_functions(&file.display().to_string(), &lines, &mut c.long_fns);
    }
    c
}

fn long_functions(file: &str, lines: &[&str], out: &mut Vec<(String, String, usize)>) {
    let mut i = 0;
    while i < lines.len() {
        let t = lines[i].trim_start();
        let is_fn = [
            "fn ",
            "pub fn ",
            "pub(crate) fn ",
            "pub(super) fn ",
            "const fn ",
            "pub const fn ",
        ]
        .iter()
        .any(|p| t.starts_with(p));
        if !is_fn {
            i += 1;
            continue;
        }
        let name: String = t[t.find("fn ").unwrap() + 3..]
            .chars()
            .take_while(|c| c.is_alphanumeric() || *c == '_')
            .collect();
        let (mut depth, mut opened, start) = (0i32, false, i);
        while i < lines.len() {
            let (o, c) = braces(lines[i]);
            depth += o - c;
            opened |= o > 0;
            i += 1;
            if (opened && depth <= 0) || (!opened && lines[i - 1].trim_end().ends_with(';')) {
                break;
            }
        }
        let len = i - start;
        if len > MAX_FN_LINES {
            out.push((file.to_string(), name, len));
        }
    }
}

/// A cycle of the graph, if any (depth-first search).
fn find_cycle(edges: &BTreeMap<String, BTreeSet<String>>) -> Option<Vec<String>> {
    fn visit(
        n: &str,
        edges: &BTreeMap<String, BTreeSet<String>>,
        state: &mut BTreeMap<String, u8>,
        stack: &mut Vec<String>,
    ) -> Option<Vec<String>> {
        const ON_STACK: u8 = 1;
        const DONE: u8 = 2;
        state.insert(n.to_string(), ON_STACK);
        stack.push(n.to_string());
        for m in edges.get(n).into_iter().flatten() {
            match state.get(m.as_str()) {
                Some(&ON_STACK) => {
                    let from = stack.iter().position(|s| s == m).unwrap_or(0);
                    let mut cycle = stack[from..].to_vec();
                    cycle.push(m.clone());
                    return Some(cycle);
                }
                Some(&DONE) => {}
                _ => {
                    if let Some(c) = visit(m, edges, state, stack) {
                        return Some(c);
                    }
                }
            }
        }
        stack.pop();
        state.insert(n.to_string(), DONE);
        None
    }
    let mut state = BTreeMap::new();
    for n in edges.keys() {
        if !state.contains_key(n) {
            if let Some(c) = visit(n, edges, &mut state, &mut Vec::new()) {
                return Some(c);
            }
        }
    }
    None
}

fn name(m: &str) -> &str {
    if m.is_empty() {
        "crate"
    } else {
        m
    }
}

#[test]
fn the_module_graph_has_no_cycle() {
    let c = scan();
    assert!(c.edges.len() > 20, "the scan found the modules");
    assert!(
        c.edges["dialects"].contains("verdict"),
        "the scan sees `use crate::` edges"
    );
    if let Some(cycle) = find_cycle(&c.edges) {
        let names: Vec<&str> = cycle.iter().map(|m| name(m)).collect();
        panic!("import cycle: {}", names.join(" -> "));
    }
}

#[test]
fn the_cycle_finder_finds_cycles() {
    let mut edges: BTreeMap<String, BTreeSet<String>> = BTreeMap::new();
    edges.entry("a".into()).or_default().insert("b".into());
    edges.entry("b".into()).or_default().insert("c".into());
    assert_eq!(find_cycle(&edges), None);
    edges.entry("c".into()).or_default().insert("a".into());
    assert_eq!(find_cycle(&edges).unwrap(), ["a", "b", "c", "a"]);
    // References resolve to the deepest module and read grouped imports.
    let modules: BTreeSet<String> = ["", "x", "x::y", "z"]
        .iter()
        .map(|s| s.to_string())
        .collect();
    let refs = referenced(
        "x::y",
        "use crate::{z::T, x::y::Q}; use super::f; // crate::nope",
    );
    let got: Vec<String> = refs.iter().map(|p| resolve(&modules, p)).collect();
    assert_eq!(got, ["z", "x::y", "x"]);
}

#[test]
fn size_limits() {
    let c = scan();
    let big: Vec<String> = c
        .sizes
        .iter()
        .filter(|(_, n)| *n > MAX_MODULE_LINES)
        .map(|(f, n)| format!("  module src/{f}: {n} non-test lines (limit {MAX_MODULE_LINES})"))
        .collect();
    let long: Vec<String> = c
        .long_fns
        .iter()
        .map(|(f, name, n)| format!("  fn {name} in {f}: {n} lines (limit {MAX_FN_LINES})"))
        .collect();
    let report = [big, long].concat();
    assert!(
        report.is_empty(),
        "over the size limits:\n{}",
        report.join("\n")
    );
}

/// The public surface stays small and documented: `lib.rs` keeps its lints,
/// and only the modules whose types belong to the surface are `pub mod`
/// (the crate doc says why for each); everything else is re-exported.
#[test]
fn the_public_surface_is_the_documented_one() {
    let lib = std::fs::read_to_string(Path::new(env!("CARGO_MANIFEST_DIR")).join("src/lib.rs"))
        .expect("src/lib.rs");
    for lint in ["#![deny(unsafe_code)]", "#![deny(missing_docs)]"] {
        assert!(lib.contains(lint), "src/lib.rs lost {lint}");
    }
    // The one module allowed `unsafe`: the WASM allocator shim (src/js/grow.rs).
    let mut files = Vec::new();
    rust_files(
        &Path::new(env!("CARGO_MANIFEST_DIR")).join("src"),
        &mut files,
    );
    let allowing: Vec<String> = files
        .into_iter()
        .filter(|f| {
            std::fs::read_to_string(f)
                .map(|t| t.contains("allow(unsafe_code)"))
                .unwrap_or(false)
        })
        .map(|f| f.to_string_lossy().replace('\\', "/"))
        .collect();
    assert!(
        allowing.len() == 1 && allowing[0].ends_with("src/js/grow.rs"),
        "only src/js/grow.rs may allow unsafe code: {allowing:?}"
    );
    let public: Vec<&str> = lib
        .lines()
        .filter_map(|l| l.trim().strip_prefix("pub mod "))
        .map(|m| m.trim_end_matches(';'))
        .collect();
    assert_eq!(
        public,
        ["baseten", "files", "glob", "snapshot"],
        "a new public module needs a reason in the crate doc (src/lib.rs) and here"
    );
    for m in &public {
        assert!(
            lib.contains(&format!("[`{m}`]")),
            "the crate doc does not say why {m} is public"
        );
    }
}

/// The layers, lowest first: a module may use its own layer and those below,
/// never one above ("no arrows running back up"). The crate root and the
/// JavaScript adapter sit on top.
const LAYERS: &[&[&str]] = &[
    &["keyed", "limits", "sort", "strset", "substr"],
    &["json", "verdict", "input"],
    &["error", "snapshot"],
    &["glob", "schema", "catalogs"],
    &["patterns", "permissions"],
    &["files", "baseten"],
    &["dialects"],
    &["js", ""],
];

fn layer(module: &str) -> Option<usize> {
    let top = module.split("::").next().unwrap_or("");
    LAYERS.iter().position(|l| l.contains(&top))
}

#[test]
fn arrows_only_run_downwards() {
    let c = scan();
    let mut up = Vec::new();
    for (from, tos) in &c.edges {
        let f = layer(from).unwrap_or_else(|| panic!("module {from} is in no layer of LAYERS"));
        for to in tos {
            let t = layer(to).unwrap_or_else(|| panic!("module {to} is in no layer of LAYERS"));
            if t > f {
                up.push(format!("  {} -> {}", name(from), name(to)));
            }
        }
    }
    assert!(
        up.is_empty(),
        "arrows running up the layers:\n{}",
        up.join("\n")
    );
    assert_eq!(
        layer("dialects::gorules"),
        Some(6),
        "layers are found by top module"
    );
}
