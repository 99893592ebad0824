//! Native file-check benchmarks (issue 12): groupgate's `FilePolicy` and
//! globset's `GlobSet` on the corpora of benches/shapes.mjs (one corpus per
//! pattern shape and the mixed corpus, at 100 / 1,000 / 10,000 rules).
//!
//! The corpora are not ported: `node benches/run.mjs --dump` writes each one as
//! JSON with groupgate's decisions (from the built WASM package) into
//! `target/bench/corpora/`, and this bench reads them (`GROUPGATE_BENCH_CORPORA`
//! overrides the directory). Before timing, groupgate native and the globset
//! peer must give those decisions on every query, or the bench exits 1.
//!
//! The globset peer is what a Rust user would write: one `GlobSet` of every
//! pattern (`literal_separator`, the semantics groupgate's glob table follows),
//! `matches_into` per path, then the decision over the matched rules: the
//! member's groups, any deny > any allow > default deny; `modify` also needs
//! `visible`. Run: `cargo bench --features bench --bench files` (or `./dev bench`).

use std::hint::black_box;
use std::path::PathBuf;
use std::time::Duration;

use criterion::{criterion_group, BenchmarkId, Criterion, SamplingMode};
use globset::{Glob, GlobBuilder, GlobSet, GlobSetBuilder};
use groupgate::{Action, FilePolicy, PolicyOptions};
use serde_json::Value;

struct Corpus {
    id: String,
    groups: Value,
    members: Vec<Vec<String>>,
    /// (member index, path, action)
    queries: Vec<(usize, String, Action)>,
    expect: Vec<bool>,
}

fn load(file: &PathBuf) -> Corpus {
    let v: Value = serde_json::from_str(&std::fs::read_to_string(file).unwrap()).unwrap();
    let strs = |v: &Value| -> Vec<String> {
        let a = v.as_array().unwrap();
        a.iter().map(|s| s.as_str().unwrap().to_string()).collect()
    };
    let queries = v["queries"].as_array().unwrap().iter();
    Corpus {
        id: v["id"].as_str().unwrap().to_string(),
        groups: v["groups"].clone(),
        members: v["members"].as_array().unwrap().iter().map(strs).collect(),
        queries: queries
            .map(|q| {
                let m = q["member"].as_u64().unwrap() as usize;
                let a = Action::parse(q["action"].as_str().unwrap()).unwrap();
                (m, q["path"].as_str().unwrap().to_string(), a)
            })
            .collect(),
        expect: v["expect"]
            .as_array()
            .unwrap()
            .iter()
            .map(|b| b.as_bool().unwrap())
            .collect(),
    }
}

/// One rule's pattern in the set: its group, effect and actions.
struct Meta {
    group: usize,
    deny: bool,
    /// [visible, modify]
    actions: [bool; 2],
}

struct GlobPeer {
    set: GlobSet,
    meta: Vec<Meta>,
    /// Per member, which groups it holds.
    members: Vec<Vec<bool>>,
}

fn glob(p: &str) -> Glob {
    GlobBuilder::new(p)
        .literal_separator(true)
        .backslash_escape(true)
        .empty_alternates(true)
        .build()
        .unwrap()
}

impl GlobPeer {
    /// Err: globset could not build the set (its regex size limits).
    fn build(c: &Corpus) -> Result<GlobPeer, globset::Error> {
        let groups = c.groups.as_array().unwrap();
        let mut b = GlobSetBuilder::new();
        let mut meta = Vec::new();
        for (gi, g) in groups.iter().enumerate() {
            for rule in g["filePermissions"].as_array().unwrap() {
                let acts = rule["actions"].as_array().unwrap();
                let has = |a: &str| acts.iter().any(|x| x == a);
                for p in rule["patterns"].as_array().unwrap() {
                    b.add(glob(p.as_str().unwrap()));
                    meta.push(Meta {
                        group: gi,
                        deny: rule["effect"] == "deny",
                        actions: [has("visible"), has("modify")],
                    });
                }
            }
        }
        let ids: Vec<&str> = groups.iter().map(|g| g["id"].as_str().unwrap()).collect();
        let members = c
            .members
            .iter()
            .map(|gs| ids.iter().map(|id| gs.iter().any(|g| g == id)).collect())
            .collect();
        Ok(GlobPeer {
            set: b.build()?,
            meta,
            members,
        })
    }

    fn check(&self, m: usize, path: &str, action: Action, hits: &mut Vec<usize>) -> bool {
        self.set.matches_into(path, hits);
        let (mut deny, mut allow) = ([false; 2], [false; 2]);
        for &h in hits.iter() {
            let r = &self.meta[h];
            if !self.members[m][r.group] {
                continue;
            }
            for a in 0..2 {
                if r.actions[a] {
                    if r.deny {
                        deny[a] = true;
                    } else {
                        allow[a] = true;
                    }
                }
            }
        }
        let visible = !deny[0] && allow[0];
        match action {
            Action::Visible => visible,
            _ => visible && !deny[1] && allow[1],
        }
    }
}

fn corpora() -> Vec<Corpus> {
    let dir = std::env::var("GROUPGATE_BENCH_CORPORA").unwrap_or_else(|_| {
        let target = std::env::var("CARGO_TARGET_DIR").unwrap_or_else(|_| "target".into());
        format!("{target}/bench/corpora")
    });
    let mut files: Vec<PathBuf> = std::fs::read_dir(&dir)
        .unwrap_or_else(|e| panic!("{dir}: {e} (run `node benches/run.mjs --dump` first)"))
        .map(|e| e.unwrap().path())
        .filter(|p| p.extension().is_some_and(|x| x == "json"))
        .collect();
    files.sort();
    files.iter().map(load).collect()
}

/// Both engines must give the decisions groupgate gave in Node.
fn agree(c: &Corpus, policy: &FilePolicy, peer: Option<&GlobPeer>) {
    let mut hits = Vec::new();
    for (k, (m, p, a)) in c.queries.iter().enumerate() {
        let native = policy.check(&c.members[*m], p, *a).unwrap();
        let globset = peer.map_or(c.expect[k], |peer| peer.check(*m, p, *a, &mut hits));
        if native != c.expect[k] || globset != c.expect[k] {
            eprintln!(
                "FAIL {}: query {k} ({p}, {}): WASM {}, native {native}, globset {globset}",
                c.id,
                a.name(),
                c.expect[k]
            );
            std::process::exit(1);
        }
    }
}

/// Where the globset peer cannot be built: written for benches/run.mjs.
fn record_failures(failures: &[(String, String)]) {
    let target = std::env::var("CARGO_TARGET_DIR").unwrap_or_else(|_| "target".into());
    let map: serde_json::Map<String, Value> = failures
        .iter()
        .map(|(id, e)| (id.clone(), Value::String(e.clone())))
        .collect();
    let file = format!("{target}/bench/globset-failures.json");
    std::fs::write(&file, Value::Object(map).to_string()).unwrap();
}

fn files(c: &mut Criterion) {
    let all = corpora();
    let mut failures = Vec::new();
    let mut g = c.benchmark_group("check");
    g.sample_size(10)
        .warm_up_time(Duration::from_millis(100))
        .measurement_time(Duration::from_millis(300));
    for corpus in &all {
        let policy = FilePolicy::from_json(&corpus.groups, PolicyOptions::default()).unwrap();
        let peer = match GlobPeer::build(corpus) {
            Ok(peer) => Some(peer),
            Err(e) => {
                eprintln!("globset cannot build {}: {e}", corpus.id);
                failures.push((corpus.id.clone(), e.to_string()));
                None
            }
        };
        agree(corpus, &policy, peer.as_ref());
        let qs = &corpus.queries;
        // Every iteration is one check, cycling through the corpus queries.
        g.bench_function(BenchmarkId::new("groupgate", &corpus.id), |b| {
            let mut i = 0;
            b.iter(|| {
                let (m, p, a) = &qs[i];
                i = (i + 1) % qs.len();
                policy
                    .check(black_box(&corpus.members[*m]), black_box(p), *a)
                    .unwrap()
            })
        });
        let Some(peer) = peer else { continue };
        let mut hits = Vec::new();
        g.bench_function(BenchmarkId::new("globset", &corpus.id), |b| {
            let mut i = 0;
            b.iter(|| {
                let (m, p, a) = &qs[i];
                i = (i + 1) % qs.len();
                peer.check(*m, black_box(p), *a, &mut hits)
            })
        });
    }
    g.finish();
    record_failures(&failures);

    // Building, on the mixed corpus only: FilePolicy::from_json vs GlobSet build.
    let mut g = c.benchmark_group("build");
    g.sampling_mode(SamplingMode::Flat)
        .sample_size(10)
        .warm_up_time(Duration::from_millis(100))
        .measurement_time(Duration::from_millis(500));
    for corpus in all.iter().filter(|c| c.id.starts_with("mixed-")) {
        g.bench_function(BenchmarkId::new("groupgate", &corpus.id), |b| {
            b.iter(|| {
                FilePolicy::from_json(black_box(&corpus.groups), PolicyOptions::default()).unwrap()
            })
        });
        if GlobPeer::build(corpus).is_ok() {
            g.bench_function(BenchmarkId::new("globset", &corpus.id), |b| {
                b.iter(|| GlobPeer::build(black_box(corpus)).is_ok())
            });
        }
    }
    g.finish();
}

criterion_group!(benches, files);

fn main() {
    benches();
    Criterion::default().configure_from_args().final_summary();
}
