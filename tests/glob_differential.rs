//! A seeded differential test of every route a glob's answer can take,
//! against an oracle built independently of our parser: globs are generated
//! as syntax trees from README's grammar ("The glob dialect"), rendered
//! twice: once in our dialect (with its spellings: escapes, `]` first,
//! ranges, `[!`/`[^`, redundant escapes) and once in globset's syntax with
//! README's decisions applied by rule (alternatives holding `/` or `**`
//! spelled out, `**` a globstar only alone in its segment and `*`
//! otherwise, `dir/**` also `dir`, `.` and empty segments dropped, a class
//! never `/`, ASCII-only case folding).
//!
//! Each glob is asked, for paths drawn from its own shape and mutated (and
//! written with a leading `/` or `./`, or a trailing `/`, at times):
//! `glob_match_with`; a one-rule allow policy; allow `**` + deny the glob;
//! the automaton (a letter written `[c]`, which no simple shape holds);
//! one policy of every glob of the batch plus 24 or 300 fillers (a group
//! each: shared automaton states and trie prefixes), from objects, from
//! JSON text, from JSON text whose strings are all `\uXXXX` escapes, with
//! `patterns` a string, and after `to_bytes`/`from_bytes`; the batch as deny
//! rules; `check_many`; `explain`; and one rule holding the whole batch (a
//! comma string, a newline string, an array; allow and deny); `lint` with
//! the batch's paths flags a glob's rule `lint.matches_nothing` exactly when
//! globset matches none of them. Refusals
//! must be README's (`glob.empty`, `glob.range`, `glob.parent_segment`,
//! `glob.extglob`, and `glob.class_escape`, `glob.range_after_range`,
//! `glob.single_alternative` where the renderer wrote a spelling the
//! engines read apart, each for its reason). The WASM half is
//! tests/js/glob-differential.test.mjs (`wasm_corpus` writes its questions).
//!
//! `GLOB_DIFF_BATCHES` (default 300 batches of 6 globs × 16 paths) and
//! `GLOB_DIFF_SEED` (default 11) run more by hand, `GLOB_DIFF_CASEI` and
//! `GLOB_DIFF_SHAPES` steer them (session 11: 54.7 million questions, 57
//! seeds, release build). A path the policies with 300 fillers refuse as
//! `path.too_complex` (README § Security: never a grant) is counted, not
//! compared, when every one of them refuses it.

use groupgate::files::{Action, FilePolicy, PolicyOptions};
use groupgate::{glob_match_with, GlobOptions};
use serde_json::{json, Value};

#[path = "support/glob_gen.rs"]
mod gen;
use gen::*;

/// JSON text with every character of its strings but letters and digits
/// written as a `\\uXXXX` escape (`/` as `\\/`): the text reader must
/// unescape before it splits and parses globs.
fn escaped_json(text: &str) -> String {
    let mut out = String::new();
    let (mut in_str, mut chars) = (false, text.chars());
    while let Some(c) = chars.next() {
        match c {
            '"' => {
                in_str = !in_str;
                out.push(c);
            }
            '\\' if in_str => {
                let e = chars.next().unwrap();
                match e {
                    'u' => {
                        out.push_str("\\u");
                        out.extend(chars.by_ref().take(4));
                    }
                    _ => {
                        let u = match e {
                            'n' => '\n',
                            't' => '\t',
                            'r' => '\r',
                            'b' => '\u{8}',
                            'f' => '\u{c}',
                            c => c,
                        };
                        out.push_str(&format!("\\u{:04x}", u as u32));
                    }
                }
            }
            '/' if in_str => out.push_str("\\/"),
            c if in_str && !c.is_ascii_alphanumeric() => {
                let mut buf = [0u16; 2];
                for u in c.encode_utf16(&mut buf) {
                    out.push_str(&format!("\\u{u:04X}"));
                }
            }
            c => out.push(c),
        }
    }
    out
}

/// A percentage set by hand (`GLOB_DIFF_CASEI`: batches case-insensitive;
/// `GLOB_DIFF_SHAPES`: globs of a simple shape), else `default`.
fn knob(name: &str, default: usize) -> usize {
    std::env::var(name)
        .ok()
        .and_then(|s| s.parse().ok())
        .unwrap_or(default)
}

/// A group per glob (`g0`, `g1`, …): allow it, or allow `**` and deny it;
/// `as_string`: `patterns` is the glob as a string (split on commas outside
/// `{}`/`[]`), not an array of it.
fn groups_of(globs: &[String], deny: bool, as_string: bool) -> Value {
    let gs: Vec<Value> = globs
        .iter()
        .enumerate()
        .map(|(i, g)| {
            let g = if as_string { json!(g) } else { json!([g]) };
            let rules = if deny {
                json!([{"effect": "allow", "actions": ["visible"], "patterns": ["**"]},
                       {"effect": "deny", "actions": ["visible"], "patterns": g}])
            } else {
                json!([{"effect": "allow", "actions": ["visible"], "patterns": g}])
            };
            json!({"id": format!("g{i}"), "permissions": ["documents"], "filePermissions": rules})
        })
        .collect();
    json!(gs)
}

/// Runs `batches` batches from `seed`; returns (questions asked, answers
/// true, failures), and pushes each batch with globset's answers (a row per
/// glob, a column per path) into `corpus`.
fn run(seed: u64, batches: usize, corpus: &mut Vec<Value>) -> (usize, usize, Vec<String>) {
    let mut r = Rng(seed);
    let (mut asked, mut matched, mut too_complex) = (0, 0, 0);
    let mut fails = Vec::new();
    // The refusals of spellings the engines read apart, by code.
    let mut apart_refused = std::collections::BTreeMap::<&str, usize>::new();
    for _ in 0..batches {
        let fold = r.chance(knob("GLOB_DIFF_CASEI", 30));
        let options = GlobOptions {
            case_insensitive: fold,
        };
        let popts = PolicyOptions {
            case_insensitive: fold,
            ..Default::default()
        };
        let mut trees = Vec::new();
        let mut globs = Vec::new();
        let mut oracles = Vec::new();
        while trees.len() < 6 {
            let len = 1 + r.below(6);
            let mut tree = if r.chance(knob("GLOB_DIFF_SHAPES", 40)) {
                gen_shape(&mut r)
            } else {
                gen_seq(&mut r, 0, len)
            };
            if !trees.is_empty() && r.chance(40) {
                // A start shared with an earlier glob of the batch (the
                // automaton shares states by meaning, the trie prefixes).
                let base: &Vec<Node> = r.pick(&trees);
                let cut = r.below(base.len() + 1);
                tree = base[..cut].iter().cloned().chain(tree).collect();
            }
            if tree
                .windows(2)
                .any(|w| matches!(w, [Node::Star | Node::Stars, Node::Star | Node::Stars]))
            {
                continue;
            }
            let mut g = String::new();
            let apart = render(&mut r, &tree, false, &mut g);
            if g.contains("***") || g.len() > 200 {
                continue;
            }
            let Some(oracle) = Oracle::new(&tree, fold) else {
                continue;
            };
            match glob_match_with(&g, "a", options) {
                Ok(_) if has_extglob(&g) => fails.push(format!("{g:?} accepted, an extglob")),
                Ok(_) if !apart.is_empty() => fails.push(format!("{g:?} accepted, {apart:?}")),
                Ok(_) => {}
                Err(e) => {
                    // Only README's refusals of such a tree: it normalizes
                    // to nothing, a `{x..y}` reads as a range, or a
                    // spelling the engines read apart (`render` says which).
                    let empty = e.code() == "glob.empty" && oracle.globs.is_empty();
                    let range = e.code() == "glob.range" && g.contains("..");
                    let parent = e.code() == "glob.parent_segment" && oracle.parent;
                    let extglob = e.code() == "glob.extglob" && has_extglob(&g);
                    let apart = apart.contains(&e.code());
                    if apart {
                        *apart_refused.entry(e.code()).or_default() += 1;
                    }
                    if !empty && !range && !parent && !extglob && !apart {
                        fails.push(format!("{g:?} refused: {}", e.code()));
                    }
                    continue;
                }
            }
            trees.push(tree);
            globs.push(g);
            oracles.push(oracle);
        }
        let (paths, norm) = paths_for(&mut r, &trees, 16);
        // The shared policy also holds fillers (never asked): more shared
        // automaton states and trie prefixes.
        let mut all = globs.clone();
        let fillers = if r.chance(3) { 300 } else { 24 };
        while all.len() < globs.len() + fillers {
            let tree = if r.chance(50) {
                gen_shape(&mut r)
            } else {
                let len = 1 + r.below(6);
                gen_seq(&mut r, 0, len)
            };
            let mut g = String::new();
            render(&mut r, &tree, false, &mut g);
            if glob_match_with(&g, "a", options).is_ok() && g.len() <= 200 {
                all.push(g);
            }
        }
        let shared = FilePolicy::from_json(&groups_of(&all, false, false), popts).unwrap();
        let shared_deny = FilePolicy::from_json(&groups_of(&globs, true, false), popts).unwrap();
        let text = groups_of(&all, false, false).to_string();
        let from_text = FilePolicy::from_json_text(&text, popts).unwrap();
        let escaped = FilePolicy::from_json_text(&escaped_json(&text), popts).unwrap();
        let strings = FilePolicy::from_json(&groups_of(&globs, false, true), popts).unwrap();
        // lint with the batch's paths: a glob's rule matches nothing
        // exactly when globset matches none of them.
        let nothing: Vec<String> = strings
            .lint(Some(&paths))
            .into_iter()
            .filter(|i| i.code == "lint.matches_nothing")
            .map(|i| i.path)
            .collect();
        for (i, o) in oracles.iter().enumerate() {
            let none = !norm.iter().any(|n| o.matches(n));
            let flagged = nothing.contains(&format!("/{i}/filePermissions/0/patterns"));
            if none != flagged {
                fails.push(format!(
                    "{:?} on {paths:?}: lint matches_nothing {flagged}",
                    globs[i]
                ));
            }
        }
        let reread = FilePolicy::from_bytes(&shared.to_bytes()).unwrap();
        // One rule holding every glob of the batch, as a string: commas
        // and newlines between them; the answer is any glob's.
        // One rule holding every glob of the batch (a string joined by
        // commas or newlines, or an array), allowed or denied under `**`:
        // the answer is any glob's.
        let union = |patterns: Value, deny: bool| {
            let rule = json!({"effect": if deny { "deny" } else { "allow" }, "actions": ["visible"], "patterns": patterns});
            let mut rules = vec![rule];
            if deny {
                rules.insert(
                    0,
                    json!({"effect": "allow", "actions": ["visible"], "patterns": "**"}),
                );
            }
            let groups =
                json!([{"id": "u", "permissions": ["documents"], "filePermissions": rules}]);
            FilePolicy::from_json(&groups, popts).unwrap()
        };
        let mut unions = Vec::new();
        for deny in [false, true] {
            unions.push((union(json!(globs.join(",")), deny), "comma", deny));
            unions.push((union(json!(globs.join("\n")), deny), "newline", deny));
            unions.push((union(json!(globs), deny), "array", deny));
        }
        for (p, n) in paths.iter().zip(&norm) {
            let want = oracles.iter().any(|o| o.matches(n));
            for (u, how, deny) in &unions {
                if u.check(&["u"], p, Action::Visible).unwrap() != (want != *deny) {
                    fails.push(format!(
                        "{globs:?} in one rule ({how}, deny {deny}), {p:?}: globset {want}"
                    ));
                }
                // The deciding glob, as written, is one that matches.
                let e = u.explain(&["u"], p, Action::Visible).unwrap();
                let named = e.pattern.as_deref().unwrap_or("");
                let matching = (0..globs.len()).any(|j| globs[j] == named && oracles[j].matches(n));
                if want && (e.rule_index != Some(usize::from(*deny)) || !matching) {
                    fails.push(format!(
                        "{globs:?} in one rule ({how}, deny {deny}), {p:?}: explain names rule {:?} glob {named:?}",
                        e.rule_index
                    ));
                }
            }
        }
        let answers: Vec<Vec<bool>> = oracles
            .iter()
            .map(|o| norm.iter().map(|p| o.matches(p)).collect())
            .collect();
        corpus.push(
            json!({"globs": globs, "paths": paths, "caseInsensitive": fold, "answers": answers}),
        );
        for (i, g) in globs.iter().enumerate() {
            let alone = |deny| groups_of(std::slice::from_ref(g), deny, false);
            let one = FilePolicy::from_json(&alone(false), popts).unwrap();
            let deny = FilePolicy::from_json(&alone(true), popts).unwrap();
            let auto = classed(g);
            let id = [format!("g{i}")];
            // `None`: a path of the batch is refused as too complex for the
            // policy with fillers (README: `path.too_complex`, never a grant).
            let many = shared.check_many(&id, &paths, Action::Visible).ok();
            for (k, p) in paths.iter().enumerate() {
                asked += 1;
                let want = oracles[i].matches(&norm[k]);
                matched += usize::from(want);
                if std::env::var_os("GLOB_DIFF_SHOW").is_some() && k == 0 {
                    eprintln!("{g:?} {p:?} {want}");
                }
                let mut got = vec![
                    ("glob_match", glob_match_with(g, p, options).unwrap()),
                    ("one-rule", one.check(&["g0"], p, Action::Visible).unwrap()),
                    ("deny", !deny.check(&["g0"], p, Action::Visible).unwrap()),
                    (
                        "shared deny",
                        !shared_deny.check(&id, p, Action::Visible).unwrap(),
                    ),
                    ("string", strings.check(&id, p, Action::Visible).unwrap()),
                ];
                // The policies with fillers: every one answers, or every one
                // refuses the path as too complex.
                let filled = [
                    ("shared", &shared),
                    ("text", &from_text),
                    ("escaped text", &escaped),
                    ("bytes", &reread),
                ]
                .map(|(name, pol)| (name, pol.check(&id, p, Action::Visible)));
                let complex = |r: &Result<bool, _>| matches!(r, Err(e) if groupgate::GroupgateError::code(e) == "path.too_complex");
                if filled.iter().all(|(_, r)| complex(r)) {
                    too_complex += 1;
                    if std::env::var_os("GLOB_DIFF_SHOW_COMPLEX").is_some() {
                        eprintln!("COMPLEX {p:?} ({} globs in the policy)", all.len());
                    }
                } else {
                    for (name, r) in filled {
                        got.push((name, r.unwrap()));
                    }
                    if let Some(m) = &many {
                        got.push(("check_many", m[k]));
                    }
                    // Allowed by this group's one glob, named as written.
                    let e = shared.explain(&id, p, Action::Visible).unwrap();
                    let named = e.group_id.as_deref() == Some(id[0].as_str())
                        && e.pattern.as_deref() == Some(g.as_str());
                    if e.allowed && !named {
                        fails.push(format!("{g:?} {p:?}: explain names {e:?}"));
                    }
                    got.push(("explain", e.allowed));
                }
                if let Some(a) = &auto {
                    got.push(("automaton", glob_match_with(a, p, options).unwrap()));
                }
                let bad: Vec<_> = got.iter().filter(|(_, b)| *b != want).collect();
                if !bad.is_empty() {
                    fails.push(format!(
                        "{g:?} {p:?} casei {fold}: globset {want}, wrong: {bad:?}"
                    ));
                }
            }
        }
    }
    if too_complex > 0 {
        eprintln!("{too_complex} questions refused as too complex by the policies with fillers");
    }
    eprintln!("globs refused as spellings the engines read apart: {apart_refused:?}");
    // The renderer keeps writing each (a run of the default size does).
    if batches >= 300 && apart_refused.len() < 3 {
        fails.push(format!(
            "not every read-apart spelling was written: {apart_refused:?}"
        ));
    }
    (asked, matched, fails)
}

#[test]
fn every_route_agrees_with_globset_on_generated_globs() {
    let seed = std::env::var("GLOB_DIFF_SEED")
        .ok()
        .and_then(|s| s.parse().ok())
        .unwrap_or(11);
    let batches = std::env::var("GLOB_DIFF_BATCHES")
        .ok()
        .and_then(|s| s.parse().ok())
        .unwrap_or(300);
    let mut corpus = Vec::new();
    let (asked, matched, fails) = run(seed, batches, &mut corpus);
    eprintln!(
        "seed {seed}: {asked} questions ({matched} match), {} failures",
        fails.len()
    );
    assert!(
        fails.is_empty(),
        "{} of {asked} disagree:\n{}",
        fails.len(),
        fails[..fails.len().min(40)].join("\n")
    );
}

/// The fixed-seed batches with globset's answers, for
/// tests/js/glob-differential.test.mjs (the WASM package's routes);
/// `GLOB_DIFF_WASM_BATCHES` writes more by hand.
#[test]
fn wasm_corpus() {
    let mut corpus = Vec::new();
    let batches = std::env::var("GLOB_DIFF_WASM_BATCHES")
        .ok()
        .and_then(|s| s.parse().ok())
        .unwrap_or(150);
    let (_, _, fails) = run(12, batches, &mut corpus);
    assert!(fails.is_empty(), "{fails:?}");
    let out = concat!(env!("CARGO_MANIFEST_DIR"), "/tests/out");
    std::fs::create_dir_all(out).unwrap();
    let tmp = format!("{out}/glob-differential.json.{}", std::process::id());
    std::fs::write(&tmp, serde_json::to_string(&json!(corpus)).unwrap()).unwrap();
    std::fs::rename(&tmp, format!("{out}/glob-differential.json")).unwrap();
}

/// README: a `patterns` string is split "by commas outside `{}` and `[]`",
/// and a `]` right after `[`, `[!` or `[^` is a member of the class (the
/// class `[],]` holds `]` and `,`). The splitter closed the class at that
/// `]`: `[],]` was split into `[]` and `]` (refused: unclosed class), and
/// `[]{],x` was not split at all (the `{` inside the class counted as an
/// alternation), so a deny of `x` written that way denied `{,x` and `],x`
/// instead, and left `x` allowed. Found by this file's union route.
#[test]
fn a_patterns_string_reads_a_leading_bracket_as_a_class_member() {
    let check = |patterns: &str, path: &str| {
        let groups = json!([{"id": "g", "permissions": ["documents"], "filePermissions": [
            {"effect": "allow", "actions": ["visible"], "patterns": "**"},
            {"effect": "deny", "actions": ["visible"], "patterns": patterns}]}]);
        let p = FilePolicy::from_json(&groups, PolicyOptions::default())
            .unwrap_or_else(|e| panic!("{patterns:?}: {e:?}"));
        let text = FilePolicy::from_json_text(&groups.to_string(), PolicyOptions::default())
            .unwrap_or_else(|e| panic!("{patterns:?} as text: {e:?}"));
        let allowed = p.check(&["g"], path, Action::Visible).unwrap();
        assert_eq!(text.check(&["g"], path, Action::Visible).unwrap(), allowed);
        allowed
    };
    // One glob each: the class holds the comma.
    for (patterns, denied, allowed) in [
        ("[],]", ",", "a"),
        ("[!],]x", "ax", ",x"),
        ("[^],]x", "ax", "]x"),
        ("a[]a,b]", "a,", "ab,"),
    ] {
        assert!(!check(patterns, denied), "{patterns:?} denies {denied:?}");
        assert!(check(patterns, allowed), "{patterns:?} allows {allowed:?}");
    }
    // Two globs: the comma is outside the class `[]{]`.
    for path in ["x", "]", "{"] {
        assert!(!check("[]{],x", path), "[]{{],x denies {path:?}");
    }
    assert!(check("[]{],x", "],x"), "`],x` is no glob of `[]{{],x`");
}
