//! Baseten preview in 1,000- and 10,000-group, depth-5 CASCADING workspaces
//! (SPEC §5: ≤ 5 ms at 10,000). Run: `cargo bench --bench preview`. Prints
//! medians; with `GROUPGATE_BENCH_OUT=file` also writes them as JSON (read by
//! `./dev bench`, benches/run.mjs). `cargo bench --bench preview -- 10000`
//! runs one size.
//!
//! Shape: 1 root → 10 → 100 → 1,000 → 9 leaves per level-4 group, cut at
//! n groups (at 10,000: depth 5 throughout the first 9 subtrees), one key
//! per group. Every group has org/a, org/b, org/c; the root sets org/a
//! TOKEN/MINUTE and TOKEN/DAY, level 2 sets org/a TOKEN/MINUTE, leaves set
//! org/b REQUEST/SECOND. So a limit change on the root or a level-2 group
//! moves the binding limit of its whole subtree.

use std::hint::black_box;
use std::time::{Duration, Instant};

use groupgate::Workspace;
use serde_json::{json, Value};

fn limit(t: &str, u: &str, n: u64) -> Value {
    json!({"type": t, "unit": u, "threshold": n})
}

fn models(level: usize, tpm: u64, day: u64) -> Value {
    let a = match level {
        1 => {
            json!({"slug": "org/a", "rate_limits": [limit("TOKEN", "MINUTE", tpm)], "usage_limits": [limit("TOKEN", "DAY", day)]})
        }
        2 => json!({"slug": "org/a", "rate_limits": [limit("TOKEN", "MINUTE", tpm)]}),
        _ => json!({"slug": "org/a"}),
    };
    let b = if level == 5 {
        json!({"slug": "org/b", "rate_limits": [limit("REQUEST", "SECOND", 10)]})
    } else {
        json!({"slug": "org/b"})
    };
    json!([a, b, {"slug": "org/c"}])
}

/// The workspace cut at `size` groups, and its last group (a leaf).
fn state(size: usize) -> (Value, String) {
    let mut groups = Vec::with_capacity(size);
    let mut keys = Vec::with_capacity(size);
    let mut push = |id: String, parent: Option<String>, level: usize| {
        groups.push(json!({
            "id": id,
            "metadata": {"name": id, "external_entity_id": format!("ext-{id}")},
            "models": models(level, if level == 1 { 100_000 } else { 50_000 }, 1_000_000_000),
            "hierarchy": {"limit_enforcement": "CASCADING", "parent_group_id": parent},
        }));
        keys.push(json!({"prefix": format!("k-{id}"), "group_id": id}));
    };
    push("r".into(), None, 1);
    let mut n = 1;
    'outer: for a in 0..10 {
        push(format!("r.{a}"), Some("r".into()), 2);
        n += 1;
        for b in 0..10 {
            if n == size {
                break 'outer;
            }
            push(format!("r.{a}.{b}"), Some(format!("r.{a}")), 3);
            n += 1;
            for c in 0..10 {
                if n == size {
                    break 'outer;
                }
                push(format!("r.{a}.{b}.{c}"), Some(format!("r.{a}.{b}")), 4);
                n += 1;
                for d in 0..9 {
                    if n == size {
                        break 'outer;
                    }
                    push(
                        format!("r.{a}.{b}.{c}.{d}"),
                        Some(format!("r.{a}.{b}.{c}")),
                        5,
                    );
                    n += 1;
                }
            }
        }
    }
    assert_eq!(groups.len(), size);
    let last = groups[size - 1]["id"].as_str().unwrap().to_string();
    (json!({"groups": groups, "keys": keys}), last)
}

fn update(id: &str, models: Value) -> Value {
    json!({"op": "update", "params": {"group_id": id}, "body": {"models": models}})
}

fn median(mut f: impl FnMut(), runs: usize) -> Duration {
    for _ in 0..runs.min(5) {
        f();
    }
    let mut times: Vec<Duration> = (0..runs)
        .map(|_| {
            let t = Instant::now();
            f();
            t.elapsed()
        })
        .collect();
    times.sort();
    times[runs / 2]
}

fn main() {
    let sizes: Vec<usize> = match std::env::args().skip(1).find_map(|a| a.parse().ok()) {
        Some(n) => vec![n],
        None => vec![1_000, 10_000],
    };
    let mut out = Vec::new();
    for size in sizes {
        out.push(bench(size));
    }
    if let Ok(file) = std::env::var("GROUPGATE_BENCH_OUT") {
        std::fs::write(file, Value::Array(out).to_string()).unwrap();
    }
}

fn bench(size: usize) -> Value {
    let (st, leaf) = state(size);
    if let Ok(n) = std::env::var("GROUPGATE_PROFILE_PREVIEW") {
        // A profiling loop: one level-2 preview, n times (perf record).
        let ws = Workspace::from_json(&st).unwrap();
        let req = update("r.0", json!([{"slug": "org/a"}, {"slug": "org/c"}]));
        for _ in 0..n.parse().unwrap_or(100) {
            drop(black_box(ws.preview(&req)));
        }
        std::process::exit(0);
    }
    let leaf = leaf.as_str();
    let build = median(|| drop(black_box(Workspace::from_json(&st).unwrap())), 21);
    let ws = Workspace::from_json(&st).unwrap();
    println!("Workspace::from_json, {size} groups + {size} keys: {build:?}");
    let mut results = vec![json!({"name": "Workspace::from_json", "ns": build.as_nanos() as u64})];

    let cases = [
        (
            "level-2 limit change (its subtree re-bound)",
            update("r.0", models(2, 40_000, 0)),
        ),
        (
            "root usage limit change (all groups re-bound)",
            update("r", models(1, 100_000, 500_000_000)),
        ),
        (
            "root models: [] (all groups and keys lose access)",
            update("r", json!([])),
        ),
        (
            "root, same models (no change)",
            update("r", models(1, 100_000, 1_000_000_000)),
        ),
        (
            "leaf limit change",
            update(
                leaf,
                json!([{"slug": "org/a"}, {"slug": "org/b", "rate_limits": [limit("REQUEST", "SECOND", 5)]}, {"slug": "org/c"}]),
            ),
        ),
        (
            "leaf rejected (above ancestor)",
            update(
                leaf,
                json!([{"slug": "org/a", "rate_limits": [limit("TOKEN", "MINUTE", 60_000)]}]),
            ),
        ),
    ];
    for (name, req) in &cases {
        let v = ws.preview(req);
        let groups = v
            .changes
            .as_ref()
            .and_then(|c| c["groups"].as_array())
            .map_or(0, Vec::len);
        let t = median(|| drop(black_box(ws.preview(black_box(req)))), 101);
        println!(
            "preview: {name}: median {t:?} (status {}, {groups} groups in changes)",
            v.status
        );
        results.push(
            json!({"name": name, "ns": t.as_nanos() as u64, "status": v.status, "changed": groups}),
        );
    }
    results.extend(issue17(&ws, &st, size));
    json!({"groups": size, "results": results})
}

/// The issue-17 figures: construction from text, snapshot load, `apply`,
/// and previews by number of groups changed, with and without the summary
/// form (first 100 entries per list).
fn issue17(ws: &Workspace, st: &Value, size: usize) -> Vec<Value> {
    let mut out = Vec::new();
    let mut row = |name: String, t: Duration| {
        println!("{name}: median {t:?}");
        out.push(json!({"name": name, "ns": t.as_nanos() as u64}));
    };
    let text = st.to_string();
    let limits = groupgate::Limits::DEFAULT;
    row(
        format!("Workspace::from_json_text ({} bytes)", text.len()),
        median(
            || drop(black_box(Workspace::from_json_text(&text, limits).unwrap())),
            21,
        ),
    );
    let bytes = ws.to_bytes();
    row(
        format!("to_bytes ({} bytes)", bytes.len()),
        median(|| drop(black_box(ws.to_bytes())), 21),
    );
    row(
        "Workspace::from_bytes (snapshot load)".into(),
        median(
            || drop(black_box(Workspace::from_bytes(&bytes).unwrap())),
            21,
        ),
    );
    // apply, alternating between two accepted versions so every call changes.
    let leaf = ws.groups().last().unwrap().id.clone();
    let leaf_models = |n: u64| json!([{"slug": "org/a"}, {"slug": "org/b", "rate_limits": [limit("REQUEST", "SECOND", n)]}, {"slug": "org/c"}]);
    for (name, id, a, b) in [
        (
            "apply: leaf limit change (1 group)",
            leaf.as_str(),
            leaf_models(5),
            leaf_models(6),
        ),
        (
            "apply: level-2 limit change (its subtree)",
            "r.0",
            models(2, 40_000, 0),
            models(2, 45_000, 0),
        ),
    ] {
        let mut w = ws.clone();
        let (ra, rb) = (update(id, a), update(id, b));
        let mut flip = false;
        let t = median(
            || {
                flip = !flip;
                let v = w
                    .apply(if flip { &ra } else { &rb }, Default::default())
                    .unwrap();
                assert!(v.ok, "{name}: {:?}", v.errors);
            },
            21,
        );
        row(name.into(), t);
    }
    // Previews by blast radius: a leaf (1), a level-3 (≈100), a level-2
    // (≈1,000) group, the root (all).
    let level = |l: usize| {
        ws.groups()
            .iter()
            .find(|g| g.id.matches('.').count() == l - 1)
            .map(|g| g.id.clone())
    };
    for (l, new) in [
        (5usize, leaf_models(5)),
        (3, json!([{"slug": "org/a"}, {"slug": "org/c"}])),
        (2, json!([{"slug": "org/a"}, {"slug": "org/c"}])),
        (1, json!([{"slug": "org/a"}, {"slug": "org/c"}])),
    ] {
        let Some(id) = (if l == 5 { Some(leaf.clone()) } else { level(l) }) else {
            continue;
        };
        let req = update(&id, new);
        let v = ws.preview(&req);
        let changed = v
            .changes
            .as_ref()
            .map_or(0, |c| c["groups"].as_array().map_or(0, Vec::len));
        for (form, cap) in [("full", None), ("summary 100", Some(100))] {
            let t = median(
                || drop(black_box(ws.preview_with(black_box(&req), None, cap))),
                21,
            );
            row(format!("preview, {changed} groups changed ({form})"), t);
            // The package's path: the verdict as JSON text, no Value tree.
            let t = median(
                || drop(black_box(ws.preview_json(black_box(&req), None, cap))),
                21,
            );
            row(
                format!("preview_json, {changed} groups changed ({form})"),
                t,
            );
        }
    }
    let _ = size;
    out
}
