//! The work of the pattern automaton per path byte (`maxMatchWork`, README
//! "Limits"): for each corpus, the least limit under which every query is
//! answered, and the CPU time of the first check on a fresh policy.
//! `cargo run --release --example match_work -- CORPUS.json...` (corpora of
//! benches/shapes.mjs written as `{groups, members, queries}`); with no
//! argument, the bounds suite's check shapes at 1,000 and 100,000 rules.

use groupgate::{Action, FilePolicy, Limits, PolicyOptions};
use serde_json::{json, Value};

struct Corpus {
    name: String,
    groups: Value,
    /// (groups of the member, path, action)
    queries: Vec<(Vec<String>, String, Action)>,
}

#[path = "../tests/support/cpu.rs"]
mod cpu;
#[path = "../tests/support/shapes.rs"]
mod shapes;
use cpu::cpu_ms;
use shapes::shape;

fn main() {
    let files: Vec<String> = std::env::args().skip(1).collect();
    let corpora: Vec<Corpus> = if files.first().map(String::as_str) == Some("sweep") {
        sweep()
    } else if files.is_empty() {
        bounds_shapes()
    } else {
        files.iter().map(|f| read(f)).collect()
    };
    for c in &corpora {
        let least = if std::env::var("NOLEAST").is_ok() {
            0
        } else {
            least_limit(c)
        };
        let t = first_checks(
            c,
            std::env::var("LIMIT")
                .ok()
                .and_then(|l| l.parse().ok())
                .unwrap_or(Limits::DEFAULT.max_match_work),
        );
        println!(
            "{:40} least maxMatchWork {:>8}  first check (default limit) max {:>9.3} ms, mean {:.4} ms",
            c.name, least, t.0, t.1
        );
    }
}

fn policy(c: &Corpus, work: usize) -> FilePolicy {
    let limits = Limits {
        max_match_work: work,
        ..Limits::DEFAULT
    };
    let opts = PolicyOptions {
        limits,
        ..PolicyOptions::default()
    };
    FilePolicy::from_json(&c.groups, opts).expect("the corpus compiles")
}

/// Does every query of `c` answer (on one policy, in order)?
fn answers(c: &Corpus, work: usize) -> bool {
    let p = policy(c, work);
    c.queries
        .iter()
        .all(|(g, path, a)| p.check(g, path, *a).is_ok())
}

fn least_limit(c: &Corpus) -> usize {
    if !answers(c, 1 << 16) {
        return usize::MAX;
    }
    let (mut lo, mut hi) = (0usize, 1usize << 16);
    while lo + 1 < hi {
        let mid = (lo + hi) / 2;
        if answers(c, mid) {
            hi = mid;
        } else {
            lo = mid;
        }
    }
    hi
}

/// The CPU time of each query as the first check of a fresh policy:
/// (max, mean) in ms.
fn first_checks(c: &Corpus, work: usize) -> (f64, f64) {
    let bytes = policy(c, work).to_bytes();
    let (mut max, mut sum) = (0f64, 0f64);
    let n = c.queries.len().min(64);
    let reps: usize = std::env::var("REPS")
        .ok()
        .and_then(|r| r.parse().ok())
        .unwrap_or(1);
    for (g, path, a) in c.queries.iter().take(n).cycle().take(n * reps) {
        let p = FilePolicy::from_bytes(&bytes).expect("loads");
        let t = cpu_ms();
        let _ = std::hint::black_box(p.check(g, path, *a));
        let ms = cpu_ms() - t;
        max = max.max(ms);
        sum += ms;
    }
    (max, sum / (n * reps) as f64)
}

fn read(file: &str) -> Corpus {
    let v: Value =
        serde_json::from_str(&std::fs::read_to_string(file).expect("read")).expect("JSON");
    let members: Vec<Vec<String>> = serde_json::from_value(v["members"].clone()).expect("members");
    let queries = v["queries"]
        .as_array()
        .expect("queries")
        .iter()
        .map(|q| {
            let m = q["member"].as_u64().expect("member") as usize;
            let a = match q["action"].as_str() {
                Some("modify") => Action::Modify,
                _ => Action::Visible,
            };
            (
                members[m].clone(),
                q["path"].as_str().expect("path").to_string(),
                a,
            )
        })
        .collect();
    Corpus {
        name: file.rsplit('/').next().unwrap_or(file).to_string(),
        groups: v["groups"].clone(),
        queries,
    }
}

fn random_ab(n: usize) -> String {
    (0..n)
        .map(|i| {
            if ((i as u32).wrapping_mul(2_654_435_761) >> 7) & 1 == 1 {
                'a'
            } else {
                'b'
            }
        })
        .collect()
}

fn bounds_shapes() -> Vec<Corpus> {
    let names: String = (0..300).map(|i| format!("{i:03}")).collect();
    let loops_path = format!("{names}{}", "a".repeat(4096 - names.len()));
    let cases: [(&str, bool, String); 5] = [
        ("star", true, "a".repeat(4096)),
        ("marks", true, random_ab(4096)),
        ("loops", true, loops_path),
        ("braces", false, format!("{}x", "a/".repeat(2047))),
        ("nontrie", false, format!("src/{}m1", "x1/".repeat(1363))),
    ];
    let mut out = Vec::new();
    let only = std::env::var("ONLY").unwrap_or_default();
    let sizes: Vec<usize> = std::env::var("SIZES").map_or(vec![1000, 100_000], |s| {
        s.split(',').filter_map(|x| x.parse().ok()).collect()
    });
    for n in sizes {
        for (name, denies, path) in cases.iter().filter(|c| c.0.contains(only.as_str())) {
            let mut rules = Vec::new();
            if *denies {
                rules.push(
                    json!({"effect": "allow", "actions": ["visible", "modify"], "patterns": "**"}),
                );
            }
            for i in 0..n - usize::from(*denies) {
                let effect = if *denies || i % 2 == 1 {
                    "deny"
                } else {
                    "allow"
                };
                rules.push(json!({"effect": effect, "actions": ["visible", "modify"], "patterns": shape(name, i)}));
            }
            out.push(Corpus {
                name: format!("bounds {name} {n}"),
                groups: json!([{"id": "g", "permissions": ["documents"], "filePermissions": rules}]),
                queries: vec![(vec!["g".to_string()], path.clone(), Action::Modify)],
            });
        }
    }
    out
}

/// `*NNN*aaa…a?` rules, k of them named by the path, then `a`s: the work
/// per byte grows with k (one chain of 1,000 states per name).
fn sweep() -> Vec<Corpus> {
    std::env::var("KS").map_or(vec![1usize, 2, 4, 8, 16, 32, 64, 128], |s| s.split(',').filter_map(|x| x.parse().ok()).collect::<Vec<usize>>())
        .iter()
        .map(|&k| {
            let mut rules = vec![json!({"effect": "allow", "actions": ["visible", "modify"], "patterns": "**"})];
            for i in 0..k {
                rules.push(json!({"effect": "deny", "actions": ["visible", "modify"], "patterns": format!("*{i:03}*{}?", "a".repeat(1000))}));
            }
            let names: String = (0..k).map(|i| format!("{i:03}")).collect();
            let path = format!("{names}{}", "a".repeat(4096 - names.len()));
            Corpus {
                name: format!("sweep {k} names"),
                groups: json!([{"id": "g", "permissions": ["documents"], "filePermissions": rules}]),
                queries: vec![(vec!["g".to_string()], path, Action::Modify)],
            }
        })
        .collect()
}
