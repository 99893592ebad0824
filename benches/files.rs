//! Native file-permission benchmarks (issue 7): compile time and check time of
//! policies of 10, 100, 1,000 and 10,000 rules. Run: `cargo bench --features bench --bench files`
//! (or `./dev bench`, which also runs the Node side-by-side and writes
//! BENCHMARKS.md). Kept quick: small samples, short measurement times.
//!
//! The corpus is benches/corpus.mjs ported exactly (same PRNG, same draws):
//! `GROUPGATE_CORPUS_DUMP=dir cargo bench --features bench --bench files` writes the
//! generated groups and queries as JSON and exits, and benches/run.mjs checks
//! that they equal the JavaScript corpus.

use std::hint::black_box;
use std::time::Duration;

use criterion::{criterion_group, BenchmarkId, Criterion, SamplingMode, Throughput};
use groupgate::{Action, FilePolicy, PolicyOptions};
use serde_json::{json, Value};

const SIZES: [usize; 4] = [10, 100, 1_000, 10_000];
const GROUPS: [&str; 10] = [
    "core", "web", "mobile", "data", "infra", "billing", "search", "auth", "docs", "ops",
];
const ACTIONS: [&str; 2] = ["visible", "modify"];
const EXTS: [&str; 10] = [
    "rs", "ts", "js", "py", "go", "md", "json", "yml", "sql", "txt",
];
const SECRET_EXTS: [&str; 3] = ["pem", "key", "env"];
const DOC_EXTS: [&str; 3] = ["md", "txt", "json"];
const AREAS: [&str; 8] = [
    "api",
    "guides",
    "ops",
    "design",
    "legal",
    "release",
    "onboarding",
    "security",
];
const NAMES: [&str; 10] = [
    "index", "main", "lib", "util", "handler", "model", "view", "test", "schema", "readme",
];
const SUBS: [&str; 5] = ["internal", "tests", "gen", "bin", "fixtures"];
const SECRETS: [&str; 6] = [
    ".env",
    "prod.pem",
    "deploy.key",
    "api-token.txt",
    ".htpasswd",
    "db.env",
];
const DOTFILES: [&str; 5] = [
    ".gitignore",
    ".editorconfig",
    ".github/workflows/ci.yml",
    ".github/CODEOWNERS",
    ".npmrc",
];

/// mulberry32, as in benches/corpus.mjs.
struct Rng(u32);

impl Rng {
    fn next(&mut self) -> u32 {
        self.0 = self.0.wrapping_add(0x6d2b_79f5);
        let mut t = self.0;
        t = (t ^ (t >> 15)).wrapping_mul(t | 1);
        t ^= t.wrapping_add((t ^ (t >> 7)).wrapping_mul(t | 61));
        t ^ (t >> 14)
    }
    /// floor(u32 * n / 2^32), what the JavaScript computes exactly.
    fn int(&mut self, n: usize) -> usize {
        ((u64::from(self.next()) * n as u64) >> 32) as usize
    }
    fn pick<'a>(&mut self, xs: &[&'a str]) -> &'a str {
        xs[self.int(xs.len())]
    }
}

fn dir(r: &mut Rng, mods: usize) -> String {
    match r.int(8) {
        0 | 1 => format!("src/m{}", r.int(mods)),
        2 => {
            let m = r.int(mods);
            format!("src/m{m}/{}", r.pick(&SUBS))
        }
        3 => format!("docs/{}", r.pick(&AREAS)),
        4 => format!("rules/{}", r.pick(&GROUPS)),
        5 => {
            let g = r.pick(&GROUPS);
            format!("rules/{g}/{}", r.pick(&AREAS))
        }
        6 => "config".into(),
        _ => (if r.int(2) == 1 { "secrets" } else { ".github" }).into(),
    }
}

fn file(r: &mut Rng, mods: usize) -> String {
    match r.int(10) {
        0..=2 => {
            let m = r.int(mods);
            let n = r.pick(&NAMES);
            format!("src/m{m}/{n}.{}", r.pick(&EXTS))
        }
        3 => {
            let m = r.int(mods);
            let s = r.pick(&SUBS);
            let n = r.pick(&NAMES);
            format!("src/m{m}/{s}/{n}.{}", r.pick(&EXTS))
        }
        4 => format!("docs/{}/{}.md", r.pick(&AREAS), r.pick(&NAMES)),
        5 => {
            let g = r.pick(&GROUPS);
            let a = r.pick(&AREAS);
            format!("rules/{g}/{a}/{}.json", r.pick(&NAMES))
        }
        6 => {
            let n = r.pick(&NAMES);
            format!("config/{n}.{}", if r.int(2) == 1 { "yml" } else { "json" })
        }
        7 => format!("secrets/{}", r.pick(&SECRETS)),
        8 => {
            if r.int(2) == 1 {
                r.pick(&DOTFILES).into()
            } else {
                format!("src/m{}/.env", r.int(mods))
            }
        }
        _ => {
            let m = r.int(mods);
            let n = r.pick(&NAMES);
            format!("src/m{m}/{n}.{}", r.pick(&SECRET_EXTS))
        }
    }
}

struct Corpus {
    groups: Value,
    members: Vec<Vec<&'static str>>,
    /// (member index, path, action)
    queries: Vec<(usize, String, Action)>,
}

fn corpus(n: usize) -> Corpus {
    let seed = 7u32.wrapping_mul(1_000_003).wrapping_add(n as u32);
    let r = &mut Rng(seed);
    let mods = (n / 8).max(8);
    let mut rules: Vec<(&str, bool, &[&str], String)> = Vec::with_capacity(n);
    for i in 0..n {
        let group = GROUPS[i % GROUPS.len()];
        let deny = r.int(4) == 0;
        let actions: &[&str] = match r.int(4) {
            0 => &["visible"],
            1 | 2 => &["visible", "modify"],
            _ => &["modify"],
        };
        let k = r.int(100);
        let glob = if k < 3 {
            let ext = r.pick(if deny { &SECRET_EXTS } else { &DOC_EXTS });
            format!("**/*.{ext}")
        } else if k < 45 {
            format!("{}/**", dir(r, mods))
        } else if k < 75 {
            let d = dir(r, mods);
            format!("{d}/**/*.{}", r.pick(&EXTS))
        } else {
            file(r, mods)
        };
        rules.push((group, deny, actions, glob));
    }
    let groups: Vec<Value> = GROUPS
        .iter()
        .map(|&id| {
            let fp: Vec<Value> = rules
                .iter()
                .filter(|x| x.0 == id)
                .map(|(_, deny, actions, glob)| {
                    json!({"effect": if *deny { "deny" } else { "allow" }, "actions": actions, "patterns": [glob]})
                })
                .collect();
            json!({"id": id, "permissions": ["documents:full"], "filePermissions": fp})
        })
        .collect();
    let mut members = Vec::new();
    for _ in 0..8 {
        let count = 2 + r.int(3);
        let mut gs: Vec<&'static str> = Vec::new();
        while gs.len() < count {
            let g = r.pick(&GROUPS);
            if !gs.contains(&g) {
                gs.push(g);
            }
        }
        members.push(gs);
    }
    // Literal rules: patterns without a `*`.
    let literals: Vec<&str> = rules
        .iter()
        .map(|x| x.3.as_str())
        .filter(|g| !g.contains('*'))
        .collect();
    let mut paths = Vec::new();
    for _ in 0..16 {
        if !literals.is_empty() && r.int(4) == 0 {
            paths.push(literals[r.int(literals.len())].to_string());
        } else {
            paths.push(file(r, mods));
        }
    }
    let mut queries = Vec::new();
    for m in 0..members.len() {
        for p in &paths {
            for a in ACTIONS {
                queries.push((m, p.clone(), Action::parse(a).unwrap()));
            }
        }
    }
    Corpus {
        groups: Value::Array(groups),
        members,
        queries,
    }
}

fn dump(dir: &str) {
    std::fs::create_dir_all(dir).unwrap();
    for n in SIZES {
        let c = corpus(n);
        let queries: Vec<Value> = c
            .queries
            .iter()
            .map(|(m, p, a)| json!({"member": m, "path": p, "action": a.name()}))
            .collect();
        let v = json!({"groups": c.groups, "members": c.members, "queries": queries});
        std::fs::write(format!("{dir}/corpus-{n}.json"), v.to_string()).unwrap();
    }
}

fn files(c: &mut Criterion) {
    let corpora: Vec<(usize, Corpus)> = SIZES.iter().map(|&n| (n, corpus(n))).collect();

    let mut g = c.benchmark_group("compile");
    g.sampling_mode(SamplingMode::Flat)
        .sample_size(10)
        .warm_up_time(Duration::from_millis(300))
        .measurement_time(Duration::from_secs(1));
    for (n, corpus) in &corpora {
        g.throughput(Throughput::Elements(*n as u64));
        g.bench_with_input(BenchmarkId::from_parameter(n), corpus, |b, c| {
            b.iter(|| {
                FilePolicy::from_json(black_box(&c.groups), PolicyOptions::default()).unwrap()
            })
        });
    }
    g.finish();

    let mut g = c.benchmark_group("check");
    g.sample_size(20)
        .warm_up_time(Duration::from_millis(300))
        .measurement_time(Duration::from_secs(1));
    for (n, corpus) in &corpora {
        let policy = FilePolicy::from_json(&corpus.groups, PolicyOptions::default()).unwrap();
        let qs = &corpus.queries;
        // Every iteration is one check, cycling through the corpus queries.
        g.bench_function(BenchmarkId::from_parameter(n), |b| {
            let mut i = 0;
            b.iter(|| {
                let (m, p, a) = &qs[i];
                i = (i + 1) % qs.len();
                policy
                    .check(black_box(&corpus.members[*m]), black_box(p), *a)
                    .unwrap()
            })
        });
    }
    g.finish();
}

criterion_group!(benches, files);

fn main() {
    if let Ok(dir) = std::env::var("GROUPGATE_CORPUS_DUMP") {
        dump(&dir);
        return;
    }
    benches();
    Criterion::default().configure_from_args().final_summary();
}
