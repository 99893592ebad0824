//! atk29: a seeded differential test of whole policies. Random groups (1–7,
//! 0–200 rules each, mixed shapes, repeated globs across groups, effects
//! and actions), random members (1–4 groups, sometimes an unknown id), random
//! paths drawn from the rules' own shapes, every action; `check` (built from
//! objects, from JSON text, after `to_bytes`/`from_bytes`), `check_many` and
//! `explain` against the documented decision (README "The decision") with
//! each glob matched by the globset oracle of tests/support/glob_gen.rs.
//!
//! `ATK29_CASES` (default 300 policies; 30 in a debug build, which `cargo
//! test` in `./dev test` is: 190 s there at 300) and `ATK29_SEED` (default
//! 29); `cargo test --release --test atk29` runs the full default in ≈ 25 s.

// `*r.pick(..)` names the element type `pick`'s generic needs (`&str`).
#![allow(clippy::explicit_auto_deref)]

use groupgate::files::{Action, FilePolicy, PolicyOptions, ProjectVersion, Reason};
use groupgate::{glob_match_with, GlobOptions};
use serde_json::{json, Value};

#[allow(dead_code)]
#[path = "support/glob_gen.rs"]
mod gen;
use gen::*;

const NAMES: &[&str] = &[
    "a",
    "b",
    "src",
    "docs",
    "secret",
    ".env",
    "x.md",
    "lib",
    "A",
    "Src",
    "ab",
    "aab",
    ".git",
    "é",
    "x.MD",
    "node_modules",
    "b.js",
    "a.rs",
];
const EXTS: &[&str] = &["md", "rs", "js", "env", "MD", "Js", "", "tar.gz", "a"];

fn lit(s: &str) -> Node {
    Node::Lit(s.to_string())
}

fn name(r: &mut Rng) -> Node {
    lit(*r.pick(NAMES))
}

fn dir(r: &mut Rng, max: usize) -> Vec<Node> {
    let mut t = Vec::new();
    for i in 0..1 + r.below(max) {
        if i > 0 {
            t.push(Node::Sep);
        }
        t.push(name(r));
    }
    t
}

fn ext(r: &mut Rng) -> Node {
    lit(&format!(".{}", *r.pick(EXTS)))
}

fn alt_lits(r: &mut Rng, pool: &[&str], empty: bool) -> Node {
    let k = 2 + r.below(3);
    let mut bs: Vec<Vec<Node>> = (0..k).map(|_| vec![lit(*r.pick(pool))]).collect();
    if empty {
        let at = r.below(bs.len());
        bs[at] = vec![];
    }
    Node::Alt(bs)
}

fn class(r: &mut Rng) -> Node {
    if r.chance(50) {
        gen_class(r)
    } else {
        let mut set = 0u128;
        for _ in 0..1 + r.below(3) {
            set |= 1 << *r.pick(b"absx.ASe");
        }
        Node::Class {
            negated: r.chance(25),
            set,
        }
    }
}

/// Templates of the shapes the brief names.
fn template(r: &mut Rng) -> Vec<Node> {
    let sep = Node::Sep;
    let mut t: Vec<Node> = match r.below(24) {
        0 => {
            let mut t = dir(r, 4);
            t.extend([sep.clone(), name(r)]);
            t
        }
        1 => {
            let mut t = dir(r, 3);
            t.extend([sep.clone(), Node::Stars]);
            t
        }
        2 => vec![Node::Stars, sep.clone(), name(r)],
        3 => vec![Node::Stars, sep.clone(), Node::Star, ext(r)],
        4 => {
            let mut t = dir(r, 2);
            t.extend([sep.clone(), Node::Star, ext(r)]);
            t
        }
        5 => {
            let mut t = dir(r, 2);
            t.extend([sep.clone(), Node::Stars, sep.clone(), Node::Star, ext(r)]);
            t
        }
        6 => vec![Node::Star, lit("."), alt_lits(r, EXTS, false)],
        7 => {
            let e = r.chance(30);
            vec![
                Node::Stars,
                sep.clone(),
                Node::Star,
                lit("."),
                alt_lits(r, EXTS, e),
            ]
        }
        8 => vec![alt_lits(r, NAMES, false), sep.clone(), Node::Stars],
        9 => {
            let mut t = dir(r, 2);
            t.extend([sep.clone(), Node::Stars, sep.clone(), name(r)]);
            t
        }
        10 => vec![name(r), alt_lits(r, &[".bak", "~", ".old", "x"], true)],
        11 => vec![name(r), Node::Star],
        12 => vec![Node::Star, name(r), Node::Star],
        13 => vec![name(r), sep.clone(), Node::Star, sep.clone(), name(r)],
        14 => vec![name(r), Node::Any, name(r)],
        15 => vec![class(r), Node::Star],
        16 => vec![
            Node::Alt(vec![
                vec![name(r)],
                vec![Node::Alt(vec![vec![name(r)], vec![name(r)]]), name(r)],
            ]),
            sep.clone(),
            name(r),
        ],
        17 => vec![
            Node::Alt(vec![vec![name(r), sep.clone(), name(r)], vec![name(r)]]),
            sep.clone(),
            Node::Stars,
        ],
        18 => vec![
            Node::Stars,
            sep.clone(),
            alt_lits(r, NAMES, false),
            sep.clone(),
            Node::Stars,
        ],
        19 => vec![
            Node::Alt(vec![vec![Node::Stars], vec![name(r)]]),
            sep.clone(),
            name(r),
        ],
        20 => {
            let mut t = dir(r, 2);
            t.extend([
                sep.clone(),
                Node::Alt(vec![vec![name(r)], vec![name(r), sep.clone(), Node::Stars]]),
            ]);
            t
        }
        21 => vec![Node::Stars, sep.clone(), Node::Star, name(r), Node::Star],
        22 => vec![Node::Stars, sep.clone(), name(r), Node::Any, Node::Any],
        _ => vec![Node::Stars, sep.clone(), class(r), name(r)],
    };
    if r.chance(15) {
        let at = r.below(t.len() + 1);
        let extra = gen_seq(r, 1, 1);
        for (k, n) in extra.into_iter().enumerate() {
            t.insert(at + k, n);
        }
    }
    t
}

const SUFFIXES: &[&str] = &[
    "s", ".js", "b.js", "ab.js", ".b.js", "x.ab.js", "js", ".JS", "", ".", "a", "aa", "b.JS",
    ".ab.js",
];
const DIRS: &[&str] = &["a", "b", "a/b", "A", "a/b/c", ".x"];

fn sfx(r: &mut Rng) -> Node {
    lit(*r.pick(SUFFIXES))
}

fn dir_nodes(r: &mut Rng) -> Vec<Node> {
    let d = *r.pick(DIRS);
    let mut t = Vec::new();
    for (i, s) in d.split('/').enumerate() {
        if i > 0 {
            t.push(Node::Sep);
        }
        t.push(lit(s));
    }
    t
}

/// Mode 1: the trie's suffix buckets and chains (suffixes that end with one
/// another, equal suffixes from distinct globs).
fn suffix_template(r: &mut Rng) -> Vec<Node> {
    let sep = Node::Sep;
    match r.below(9) {
        0 => vec![Node::Stars, sep, Node::Star, sfx(r)],
        1 => vec![Node::Star, sfx(r)],
        2 => {
            let mut t = dir_nodes(r);
            t.extend([sep, Node::Star, sfx(r)]);
            t
        }
        3 => {
            let mut t = dir_nodes(r);
            t.extend([sep.clone(), Node::Stars, sep, Node::Star, sfx(r)]);
            t
        }
        4 => vec![
            Node::Stars,
            sep,
            Node::Star,
            Node::Alt(vec![vec![sfx(r)], vec![sfx(r)], vec![sfx(r)]]),
        ],
        5 => vec![Node::Alt(vec![
            vec![Node::Stars, sep.clone(), Node::Star, sfx(r)],
            vec![lit(&format!("n{}", r.below(9)))],
        ])],
        6 => vec![
            Node::Alt(vec![vec![Node::Stars], vec![lit("z")]]),
            sep,
            Node::Star,
            sfx(r),
        ],
        7 => {
            // Automaton: a class somewhere.
            vec![
                Node::Stars,
                sep,
                Node::Star,
                Node::Class {
                    negated: false,
                    set: 1 << b'b',
                },
                sfx(r),
            ]
        }
        _ => {
            let mut t = dir_nodes(r);
            t.extend([
                sep,
                Node::Alt(vec![vec![Node::Star, sfx(r)], vec![Node::Stars]]),
            ]);
            t
        }
    }
}

/// Mode 2: directories (`dir/**` ranges, literal files, basenames), and
/// rules of several patterns one under another (domination).
fn dir_template(r: &mut Rng) -> Vec<Node> {
    let sep = Node::Sep;
    match r.below(8) {
        0 => vec![Node::Stars],
        1 | 2 => {
            let mut t = dir_nodes(r);
            t.extend([sep, Node::Stars]);
            t
        }
        3 => {
            let mut t = dir_nodes(r);
            t.extend([sep, lit(*r.pick(&["x", "y.md", ".env", "b", "c"]))]);
            t
        }
        4 => vec![
            Node::Stars,
            sep,
            lit(*r.pick(&["x", "y.md", ".env", "b", "c", "a"])),
        ],
        5 => dir_nodes(r),
        6 => vec![
            Node::Alt(vec![dir_nodes(r), dir_nodes(r)]),
            sep,
            Node::Stars,
        ],
        _ => {
            let mut t = dir_nodes(r);
            t.extend([sep.clone(), Node::Star, sep, Node::Stars]);
            t
        }
    }
}

struct Glob {
    text: String,
    tree: Vec<Node>,
    oracle: Oracle,
}

fn new_glob(r: &mut Rng, fold: bool, globs: &[Glob], mode: usize) -> Option<Glob> {
    let tree = match r.below(100) {
        _ if mode == 1 => suffix_template(r),
        _ if mode == 2 => dir_template(r),
        0..=24 => gen_shape(r),
        25..=44 => {
            let len = 1 + r.below(5);
            gen_seq(r, 0, len)
        }
        45..=54 if !globs.is_empty() => {
            // A prefix of another glob, then something else.
            let base = &globs[r.below(globs.len())].tree;
            let cut = r.below(base.len() + 1);
            base[..cut].iter().cloned().chain(template(r)).collect()
        }
        _ => template(r),
    };
    if tree
        .windows(2)
        .any(|w| matches!(w, [Node::Star | Node::Stars, Node::Star | Node::Stars]))
    {
        return None;
    }
    let mut g = String::new();
    let apart = render(r, &tree, false, &mut g);
    if !apart.is_empty() || g.contains("***") || g.len() > 200 || has_extglob(&g) {
        return None;
    }
    // Pieces of a patterns string are trimmed; keep globs the same either way.
    if g.trim() != g {
        return None;
    }
    let oracle = Oracle::new(&tree, fold)?;
    let opts = GlobOptions {
        case_insensitive: fold,
    };
    glob_match_with(&g, "a", opts).ok()?;
    Some(Glob {
        text: g,
        tree,
        oracle,
    })
}

#[derive(Clone)]
struct RuleM {
    deny: bool,
    actions: u8,
    globs: Vec<usize>,
    /// How the patterns are written: 0 array, 1 comma string, 2 newline string.
    how: u8,
    dead_null: bool,
}

struct GroupM {
    id: String,
    perms: Vec<&'static str>,
    /// None: no filePermissions member; Some(vec![]): an empty list.
    rules: Option<Vec<RuleM>>,
}

const PERMS: &[&[&str]] = &[
    &["documents"],
    &["documents"],
    &["documents"],
    &["documents:full"],
    &["documents:edit-content"],
    &["documents:view-content"],
    &[],
    &["branches"],
    &["documents:view-content", "releases"],
];

fn closure(perms: &[&str], v2: bool) -> (bool, [bool; 4]) {
    let owner = perms.contains(&"owner");
    let has = |p: &str| owner || perms.contains(&p);
    if v2 {
        let b = has("branches") || has("branches:create");
        return (owner, [true, b, b, b]);
    }
    let full = has("documents") || has("documents:full");
    let edit = full || has("documents:edit-content");
    let view = edit || has("documents:view-content");
    (owner, [view, edit, full, full])
}

fn act_index(a: Action) -> usize {
    match a {
        Action::Visible => 0,
        Action::Modify => 1,
        Action::Write => 2,
        Action::Delete => 3,
    }
}

/// (allowed, reason, group index, rule index)
type Want = (bool, Reason, Option<(usize, usize)>);

fn model(
    groups: &[GroupM],
    v2: bool,
    member: &[usize],
    hit: &dyn Fn(usize) -> bool,
    action: Action,
) -> Want {
    let mut perms: Vec<&str> = Vec::new();
    let mut has_rules = false;
    for &g in member {
        perms.extend(groups[g].perms.iter().copied());
        has_rules |= groups[g].rules.as_ref().is_some_and(|r| !r.is_empty());
    }
    let (owner, coarse) = closure(&perms, v2);
    if owner {
        return (true, Reason::Owner, None);
    }
    let rules = |a: Action| -> Want {
        let bit = 1u8 << act_index(a);
        let first = |deny: bool| {
            for (gi, g) in groups.iter().enumerate() {
                if !member.contains(&gi) {
                    continue;
                }
                for (ri, rule) in g.rules.iter().flatten().enumerate() {
                    if rule.deny == deny
                        && rule.actions & bit != 0
                        && rule.globs.iter().any(|&x| hit(x))
                    {
                        return Some((gi, ri));
                    }
                }
            }
            None
        };
        match (first(true), first(false)) {
            (Some(d), _) => (false, Reason::Deny, Some(d)),
            (None, Some(a)) => (true, Reason::Allow, Some(a)),
            _ => (false, Reason::DefaultDeny, None),
        }
    };
    let one = |a: Action| -> Want {
        if !coarse[act_index(a)] {
            return (false, Reason::MissingPermission, None);
        }
        if !has_rules {
            return (true, Reason::Permission, None);
        }
        rules(a)
    };
    if action != Action::Visible {
        let v = one(Action::Visible);
        if !v.0 {
            return (false, Reason::NotVisible, None);
        }
    }
    one(action)
}

fn groups_json(groups: &[GroupM], globs: &[Glob]) -> Value {
    let gs: Vec<Value> = groups
        .iter()
        .map(|g| {
            let mut o = json!({"id": g.id, "permissions": g.perms});
            if let Some(rules) = &g.rules {
                let rs: Vec<Value> = rules
                    .iter()
                    .map(|r| {
                        let actions: Vec<&str> = Action::ALL
                            .iter()
                            .filter(|a| r.actions & (1 << act_index(**a)) != 0)
                            .map(|a| a.name())
                            .collect();
                        let texts: Vec<&str> = r.globs.iter().map(|&i| globs[i].text.as_str()).collect();
                        let patterns = if r.globs.is_empty() && r.dead_null {
                            Value::Null
                        } else {
                            match r.how {
                                0 => json!(texts),
                                1 => json!(texts.join(",")),
                                _ => json!(texts.join("\n")),
                            }
                        };
                        let actions = if actions.is_empty() && r.dead_null { Value::Null } else { json!(actions) };
                        json!({"effect": if r.deny {"deny"} else {"allow"}, "actions": actions, "patterns": patterns})
                    })
                    .collect();
                o["filePermissions"] = json!(rs);
            }
            o
        })
        .collect();
    json!(gs)
}

struct Case {
    v2: bool,
    groups: Vec<GroupM>,
    globs: Vec<Glob>,
    fold: bool,
}

fn gen_case(r: &mut Rng) -> Case {
    let fold = r.chance(knob("ATK29_CASEI", 35) as usize);
    let mut globs: Vec<Glob> = Vec::new();
    // Heavy reuse: few distinct globs standing for many rules of many
    // groups (a glob of more than 32 sources is read by group).
    let heavy = r.chance(knob("ATK29_HEAVY", 30) as usize);
    let ng = if heavy {
        10 + r.below(130)
    } else {
        1 + r.below(7)
    };
    let pool = 3 + r.below(10);
    let mode = match knob("ATK29_MODE", 9) {
        9 => r.below(4).saturating_sub(1),
        m => m as usize,
    };
    let mut groups = Vec::new();
    let big = r.chance(knob("ATK29_BIG", 25) as usize);
    let big_rules = knob("ATK29_BIG_RULES", 200) as usize;
    for gi in 0..ng {
        let perms = r.pick(PERMS).to_vec();
        let perms = if r.chance(3) { vec!["owner"] } else { perms };
        let rules = if r.chance(10) {
            if r.chance(50) {
                None
            } else {
                Some(vec![])
            }
        } else {
            let n = if heavy {
                5 + r.below(40)
            } else if big {
                1 + r.below(big_rules)
            } else {
                1 + r.below(12)
            };
            let mut rs = Vec::new();
            for _ in 0..n {
                let mut actions = 0u8;
                if r.chance(95) {
                    while actions == 0 {
                        actions = r.below(16) as u8;
                    }
                    if r.chance(40) {
                        actions = 15;
                    }
                }
                let k = if r.chance(4) { 0 } else { 1 + r.below(3) };
                let mut gl = Vec::new();
                while gl.len() < k {
                    if !globs.is_empty() && (r.chance(30) || (heavy && globs.len() >= pool)) {
                        gl.push(r.below(globs.len()));
                    } else if let Some(g) = new_glob(r, fold, &globs, mode) {
                        globs.push(g);
                        gl.push(globs.len() - 1);
                    }
                }
                // A comma string only when each glob is one glob when split.
                let how = r.below(3) as u8;
                rs.push(RuleM {
                    deny: r.chance(knob("ATK29_DENY", 35) as usize),
                    actions,
                    globs: gl,
                    how,
                    dead_null: r.chance(50),
                });
            }
            if r.chance(20) {
                // allow ** first or last
                let g = globs
                    .iter()
                    .position(|g| g.text == "**")
                    .unwrap_or_else(|| {
                        globs.push(Glob {
                            text: "**".into(),
                            tree: vec![Node::Stars],
                            oracle: Oracle::new(&[Node::Stars], fold).unwrap(),
                        });
                        globs.len() - 1
                    });
                let at = if r.chance(50) { 0 } else { rs.len() };
                rs.insert(
                    at,
                    RuleM {
                        deny: false,
                        actions: 15,
                        globs: vec![g],
                        how: 0,
                        dead_null: false,
                    },
                );
            }
            Some(rs)
        };
        groups.push(GroupM {
            id: format!("g{gi}"),
            perms,
            rules,
        });
    }
    Case {
        v2: r.chance(15),
        groups,
        globs,
        fold,
    }
}

fn mutate_path(r: &mut Rng, p: &str) -> String {
    match r.below(10) {
        0 => p.to_ascii_uppercase(),
        1 => format!("{}/{p}", r.pick(NAMES)),
        2 => format!("{p}/{}", r.pick(NAMES)),
        3 => {
            let mut s = p.to_string();
            s.pop();
            s
        }
        4 => format!("{p}.bak"),
        5 => p.replacen('a', "A", 1),
        6 => format!("d/e/f/g/{p}"),
        7 => p.replace('/', "//"),
        8 => p.replace('/', "/./"),
        _ => p.to_string(),
    }
}

fn paths(r: &mut Rng, c: &Case, n: usize) -> (Vec<String>, Vec<String>) {
    let mut trees: Vec<Vec<Node>> = c.globs.iter().map(|g| desugar(&g.tree)).collect();
    if trees.is_empty() {
        trees.push(vec![lit("src"), Node::Sep, lit("a.rs")]);
    }
    let (mut raw, mut norm) = paths_for(r, &trees, n);
    for _ in 0..n / 2 {
        let k = r.below(raw.len());
        let p = mutate_path(r, &norm[k]);
        if let Some(np) = normalized_path(&p) {
            raw.push(p);
            norm.push(np);
        }
    }
    for _ in 0..12 {
        let mut p = String::new();
        if r.chance(70) {
            p.push_str(*r.pick(DIRS));
            p.push('/');
            if r.chance(30) {
                p.push_str(*r.pick(&["x/", "a/", "b/c/"]));
            }
        }
        for _ in 0..1 + r.below(3) {
            p.push_str(*r.pick(SUFFIXES));
        }
        if let Some(np) = normalized_path(&p) {
            raw.push(p);
            norm.push(np);
        }
    }
    for p in [
        "a",
        ".env",
        "secret/.env",
        "src/a.rs",
        "docs/x.md",
        "A/B/C",
        "node_modules/x/b.js",
    ] {
        raw.push(p.to_string());
        norm.push(p.to_string());
    }
    (raw, norm)
}

fn run(seed: u64, cases: usize) -> (usize, usize, usize, Vec<String>) {
    let mut r = Rng(seed);
    let mut fails = Vec::new();
    let (mut asked, mut allowed, mut complex) = (0usize, 0usize, 0usize);
    let mut reasons = std::collections::BTreeMap::<String, usize>::new();
    let (mut pairs, mut pair_hits, mut wide_globs) = (0usize, 0usize, 0usize);
    for case_no in 0..cases {
        let c = gen_case(&mut r);
        let mut limits = groupgate::Limits::DEFAULT;
        if let Ok(w) = std::env::var("ATK29_WORK") {
            limits.max_match_work = w.parse().unwrap();
        }
        let popts = PolicyOptions {
            case_insensitive: c.fold,
            project_version: if c.v2 {
                ProjectVersion::V2
            } else {
                ProjectVersion::V1
            },
            limits,
        };
        let gj = groups_json(&c.groups, &c.globs);
        let built = match FilePolicy::from_json(&gj, popts) {
            Ok(p) => p,
            Err(e) => {
                fails.push(format!("case {case_no}: refused {e:?}\n{gj}"));
                continue;
            }
        };
        let text = FilePolicy::from_json_text(&gj.to_string(), popts).unwrap();
        // Every character of every string (keys too) as a `\uXXXX` escape.
        let escaped = FilePolicy::from_json_text(&all_escaped(&gj.to_string()), popts).unwrap();
        let loaded = FilePolicy::from_bytes(&built.to_bytes()).unwrap();
        let loaded2 = FilePolicy::from_bytes(&text.to_bytes()).unwrap();
        // Twice round: the bytes of a loaded policy.
        let loaded3 = FilePolicy::from_bytes(&loaded2.to_bytes()).unwrap();
        {
            // Globs whose narrowed sources (first per group, effect and
            // actions) are more than 32: read by group (sources.rs).
            let mut keys: Vec<std::collections::BTreeSet<(usize, bool, u8)>> =
                vec![Default::default(); c.globs.len()];
            for (gi, g) in c.groups.iter().enumerate() {
                for rule in g.rules.iter().flatten() {
                    for &x in &rule.globs {
                        keys[x].insert((gi, rule.deny, rule.actions));
                    }
                }
            }
            wide_globs += keys.iter().filter(|k| k.len() > 32).count();
        }
        let (raw, norm) = paths(&mut r, &c, 40);
        let hits: Vec<Vec<bool>> = norm
            .iter()
            .map(|p| c.globs.iter().map(|g| g.oracle.matches(p)).collect())
            .collect();
        for h in &hits {
            pairs += h.len();
            pair_hits += h.iter().filter(|b| **b).count();
        }
        let ng = c.groups.len();
        let mut members: Vec<Vec<usize>> = Vec::new();
        for _ in 0..8 {
            let k = 1 + r.below(4.min(ng));
            let mut m: Vec<usize> = Vec::new();
            while m.len() < k {
                let g = r.below(ng);
                if !m.contains(&g) {
                    m.push(g);
                }
            }
            members.push(m);
        }
        members.push((0..ng).collect());
        for m in &members {
            let mut ids: Vec<String> = m.iter().map(|&g| c.groups[g].id.clone()).collect();
            if r.chance(20) {
                ids.insert(r.below(ids.len() + 1), "unknown".into());
            }
            if r.chance(20) {
                let d = ids[0].clone();
                ids.push(d);
            }
            let member = loaded.member(&ids);
            let all: Vec<_> = raw
                .iter()
                .map(|p| built.check_member_all(&built.member(&ids), p))
                .collect();
            let all_loaded: Vec<_> = raw
                .iter()
                .map(|p| loaded.check_member_all(&member, p))
                .collect();
            for a in Action::ALL {
                let many = built.check_many(&ids, &raw, a);
                for (k, p) in raw.iter().enumerate() {
                    let hit = |x: usize| hits[k][x];
                    let want = model(&c.groups, c.v2, m, &hit, a);
                    let results = [
                        ("built", built.check(&ids, p, a)),
                        ("text", text.check(&ids, p, a)),
                        ("escaped text", escaped.check(&ids, p, a)),
                        ("bytes", loaded.check(&ids, p, a)),
                        ("text-bytes", loaded2.check(&ids, p, a)),
                        ("bytes-bytes", loaded3.check(&ids, p, a)),
                    ];
                    let is_complex = |r: &Result<bool, groupgate::GroupgateError>| matches!(r, Err(e) if e.code() == "path.too_complex");
                    if results.iter().all(|(_, r)| is_complex(r)) {
                        complex += 1;
                        continue;
                    }
                    asked += 1;
                    allowed += usize::from(want.0);
                    *reasons.entry(format!("{:?}", want.1)).or_default() += 1;
                    let mut bad = Vec::new();
                    for (name, res) in &results {
                        match res {
                            Ok(b) if *b == want.0 => {}
                            other => bad.push(format!("{name}: {other:?}")),
                        }
                    }
                    for (name, r) in [
                        ("check_member_all", &all[k]),
                        ("check_member_all bytes", &all_loaded[k]),
                    ] {
                        if let Ok(v) = r {
                            if v[act_index(a)] != want.0 {
                                bad.push(format!("{name}: {v:?}"));
                            }
                        }
                    }
                    if let Ok(v) = &many {
                        if v[k] != want.0 {
                            bad.push(format!("check_many: {}", v[k]));
                        }
                    }
                    match built.explain(&ids, p, a) {
                        Ok(e) => {
                            if e.allowed != want.0 {
                                bad.push(format!("explain: {e:?}"));
                            } else if matches!(want.1, Reason::Deny | Reason::Allow) {
                                let (gi, ri) = want.2.unwrap();
                                let named_ok = e.reason == want.1
                                    && e.group_id.as_deref() == Some(c.groups[gi].id.as_str())
                                    && e.rule_index == Some(ri);
                                let pat_ok = e.pattern.as_deref().is_some_and(|pt| {
                                    c.groups[gi].rules.as_ref().unwrap()[ri]
                                        .globs
                                        .iter()
                                        .any(|&x| c.globs[x].text == pt && hits[k][x])
                                });
                                if !named_ok || !pat_ok {
                                    bad.push(format!(
                                        "explain names {:?} {:?} {:?} {:?}, want {:?} g{gi} rule {ri}",
                                        e.reason, e.group_id, e.rule_index, e.pattern, want.1
                                    ));
                                }
                            } else if e.reason != want.1 {
                                bad.push(format!(
                                    "explain reason {:?}, want {:?}",
                                    e.reason, want.1
                                ));
                            }
                        }
                        Err(e) => {
                            if e.code() != "path.too_complex" {
                                bad.push(format!("explain: {e:?}"));
                            }
                        }
                    }
                    if !bad.is_empty() {
                        fails.push(format!(
                            "case {case_no} fold {} member {ids:?} path {p:?} ({}) action {}: want {:?}; {}\nmatching globs: {:?}\npolicy: {}",
                            c.fold,
                            norm[k],
                            a.name(),
                            want,
                            bad.join("; "),
                            c.globs.iter().enumerate().filter(|(x, _)| hits[k][*x]).map(|(_, g)| g.text.clone()).collect::<Vec<_>>(),
                            if gj.to_string().len() < 4000 { gj.to_string() } else { format!("({} bytes)", gj.to_string().len()) },
                        ));
                    }
                }
            }
        }
        if fails.len() > 20 {
            break;
        }
    }
    eprintln!("reasons {reasons:?}; glob/path pairs {pairs}, matching {pair_hits}; globs of > 32 narrowed sources {wide_globs}");
    (asked, allowed, complex, fails)
}

/// JSON text with every character of its strings written `\uXXXX`.
fn all_escaped(text: &str) -> String {
    let v: Value = serde_json::from_str(text).unwrap();
    fn walk(v: &Value, out: &mut String) {
        let s = |t: &str, out: &mut String| {
            out.push('"');
            for u in t.encode_utf16() {
                out.push_str(&format!("\\u{u:04x}"));
            }
            out.push('"');
        };
        match v {
            Value::String(t) => s(t, out),
            Value::Array(a) => {
                out.push_str("[ ");
                for (i, x) in a.iter().enumerate() {
                    if i > 0 {
                        out.push_str(" ,\n");
                    }
                    walk(x, out);
                }
                out.push(']');
            }
            Value::Object(o) => {
                out.push('{');
                for (i, (k, x)) in o.iter().enumerate() {
                    if i > 0 {
                        out.push(',');
                    }
                    s(k, out);
                    out.push_str(" : ");
                    walk(x, out);
                }
                out.push('}');
            }
            other => out.push_str(&other.to_string()),
        }
    }
    let mut out = String::new();
    walk(&v, &mut out);
    out
}

/// An unoptimized build runs a tenth of the default cases.
const DEBUG: bool = cfg!(debug_assertions);

fn knob(name: &str, default: u64) -> u64 {
    std::env::var(name)
        .ok()
        .and_then(|s| s.parse().ok())
        .unwrap_or(default)
}

#[test]
fn whole_policies_agree_with_the_documented_decision() {
    let seed = knob("ATK29_SEED", 29);
    let cases = knob("ATK29_CASES", if DEBUG { 30 } else { 300 }) as usize;
    let (asked, allowed, complex, fails) = run(seed, cases);
    eprintln!(
        "seed {seed}: {cases} policies, {asked} decisions ({allowed} allowed), {complex} too complex, {} failures",
        fails.len()
    );
    assert!(
        fails.is_empty(),
        "{} failures:\n{}",
        fails.len(),
        fails[..fails.len().min(5)].join("\n\n")
    );
}

/// Words over a small alphabet, so that many globs are alive at once and
/// the lazy DFA meets many states (its cache cleared when full).
fn word(r: &mut Rng) -> String {
    let n = 2 + r.below(4);
    (0..n).map(|_| *r.pick(&['a', 'b', 'c', 'B'])).collect()
}

fn dense_glob(r: &mut Rng) -> Vec<Node> {
    let mut t = Vec::new();
    if r.chance(50) {
        t.extend([Node::Stars, Node::Sep]);
    }
    for i in 0..1 + r.below(4) {
        if i > 0 && r.chance(15) {
            t.push(Node::Sep);
        }
        match r.below(6) {
            0 => t.push(Node::Any),
            1 => t.push(Node::Class {
                negated: r.chance(30),
                set: (1 << b'a') | (1 << b'c'),
            }),
            2 => t.push(Node::Alt(vec![vec![lit(&word(r))], vec![lit(&word(r))]])),
            _ => t.push(lit(&word(r))),
        }
        if !matches!(t.last(), Some(Node::Star | Node::Stars)) {
            t.push(Node::Star);
        }
    }
    if r.chance(50) && !matches!(t.first(), Some(Node::Star | Node::Stars)) {
        t.insert(0, Node::Star);
    }
    t
}

#[test]
fn dense_automata_agree_under_cache_pressure() {
    let seed = knob("ATK29_SEED", 29);
    let cases = knob("ATK29_DENSE_CASES", if DEBUG { 1 } else { 4 }) as usize;
    let mut r = Rng(seed ^ 0xD3);
    let mut fails = Vec::new();
    let (mut asked, mut allowed, mut complex) = (0usize, 0usize, 0usize);
    for case_no in 0..cases {
        let fold = r.chance(40);
        let n = 200 + r.below(1500);
        let mut globs: Vec<(String, Oracle, bool, usize)> = Vec::new();
        while globs.len() < n {
            let tree = dense_glob(&mut r);
            if tree
                .windows(2)
                .any(|w| matches!(w, [Node::Star | Node::Stars, Node::Star | Node::Stars]))
            {
                continue;
            }
            let mut g = String::new();
            if !render(&mut r, &tree, false, &mut g).is_empty() || g.contains("***") {
                continue;
            }
            let Some(o) = Oracle::new(&tree, fold) else {
                continue;
            };
            if glob_match_with(
                &g,
                "a",
                GlobOptions {
                    case_insensitive: fold,
                },
            )
            .is_err()
            {
                continue;
            }
            let deny = r.chance(8);
            let group = r.below(3);
            globs.push((g, o, deny, group));
        }
        let gj: Vec<Value> = (0..3)
            .map(|gi| {
                let rules: Vec<Value> = globs
                    .iter()
                    .filter(|x| x.3 == gi)
                    .map(|(g, _, deny, _)| json!({"effect": if *deny {"deny"} else {"allow"}, "actions": ["visible"], "patterns": [g]}))
                    .collect();
                json!({"id": format!("g{gi}"), "permissions": ["documents"], "filePermissions": rules})
            })
            .collect();
        let mut limits = groupgate::Limits::DEFAULT;
        limits.max_match_work = 1 << 20;
        let popts = PolicyOptions {
            case_insensitive: fold,
            limits,
            ..Default::default()
        };
        let gj = json!(gj);
        let built = FilePolicy::from_json(&gj, popts).unwrap();
        let loaded = FilePolicy::from_bytes(&built.to_bytes()).unwrap();
        let mut paths = Vec::new();
        for _ in 0..1000 {
            let top = if r.chance(70) { 40 } else { 250 };
            let len = 5 + r.below(top);
            let mut p = String::new();
            for _ in 0..len {
                p.push(*r.pick(&['a', 'b', 'c', 'B', 'A', '/', 'a', 'b', '.']));
            }
            if let Some(np) = normalized_path(&p) {
                paths.push((p, np));
            }
        }
        let members: [&[&str]; 3] = [&["g0", "g1", "g2"], &["g0"], &["g1", "g2"]];
        for round in 0..2 {
            for (p, np) in &paths {
                let hits: Vec<bool> = globs.iter().map(|g| g.1.matches(np)).collect();
                for m in members {
                    let holds = |gi: usize| m.contains(&format!("g{gi}").as_str());
                    let any = |deny: bool| {
                        globs
                            .iter()
                            .zip(&hits)
                            .any(|(g, h)| *h && g.2 == deny && holds(g.3))
                    };
                    let want = !any(true) && any(false);
                    for (name, pol) in [("built", &built), ("bytes", &loaded)] {
                        match pol.check(m, p, Action::Visible) {
                            Ok(b) => {
                                asked += 1;
                                allowed += usize::from(b);
                                if b != want {
                                    fails.push(format!(
                                        "dense case {case_no} round {round} fold {fold} {name} member {m:?} path {p:?}: got {b}, want {want}; matching: {:?}",
                                        globs.iter().zip(&hits).filter(|(_, h)| **h).map(|(g, _)| (&g.0, g.2, g.3)).collect::<Vec<_>>()
                                    ));
                                }
                            }
                            Err(e) if e.code() == "path.too_complex" => complex += 1,
                            Err(e) => fails.push(format!("{name} {p:?}: {e:?}")),
                        }
                    }
                }
            }
            // The second round asks in another order.
            paths.reverse();
        }
        if fails.len() > 10 {
            break;
        }
    }
    eprintln!(
        "dense: {asked} decisions ({allowed} allowed), {complex} too complex, {} failures",
        fails.len()
    );
    assert!(
        fails.is_empty(),
        "{}",
        fails[..fails.len().min(5)].join("\n")
    );
}

/// Two threads checking one policy at once (the DFA cache is taken out of
/// its lock by one; the other builds its own) answer as one thread does.
#[test]
fn threads_sharing_a_policy_answer_alike() {
    let mut r = Rng(knob("ATK29_SEED", 29) ^ 0x7E);
    let mut globs = Vec::new();
    while globs.len() < 800 {
        let tree = dense_glob(&mut r);
        let mut g = String::new();
        if !render(&mut r, &tree, false, &mut g).is_empty() || g.contains("***") {
            continue;
        }
        if glob_match_with(&g, "a", GlobOptions::default()).is_err() {
            continue;
        }
        globs.push(json!({"effect": if r.chance(8) {"deny"} else {"allow"}, "actions": ["visible"], "patterns": [g]}));
    }
    let gj = json!([{"id": "g", "permissions": ["documents"], "filePermissions": globs}]);
    let mut limits = groupgate::Limits::DEFAULT;
    limits.max_match_work = 1 << 20;
    let popts = PolicyOptions {
        limits,
        ..Default::default()
    };
    let alone = FilePolicy::from_json(&gj, popts).unwrap();
    let shared = std::sync::Arc::new(FilePolicy::from_json(&gj, popts).unwrap());
    let mut paths = Vec::new();
    for _ in 0..3000 {
        let len = 5 + r.below(60);
        let p: String = (0..len)
            .map(|_| *r.pick(&['a', 'b', 'c', 'B', '/', '.']))
            .collect();
        if normalized_path(&p).is_some() {
            paths.push(p);
        }
    }
    let want: Vec<bool> = paths
        .iter()
        .map(|p| alone.check(&["g"], p, Action::Visible).unwrap())
        .collect();
    let paths = std::sync::Arc::new(paths);
    let handles: Vec<_> = (0..3)
        .map(|t| {
            let (pol, paths) = (shared.clone(), paths.clone());
            std::thread::spawn(move || {
                let mut got = vec![false; paths.len()];
                for round in 0..3 {
                    for k in 0..paths.len() {
                        let i = if (t + round) % 2 == 0 {
                            k
                        } else {
                            paths.len() - 1 - k
                        };
                        got[i] = pol.check(&["g"], &paths[i], Action::Visible).unwrap();
                    }
                }
                got
            })
        })
        .collect();
    for h in handles {
        assert_eq!(h.join().unwrap(), want);
    }
}
