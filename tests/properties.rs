//! Security invariants of file decisions (issue 8), as proptest properties
//! over random policies, members, paths and actions:
//!
//! * adding a deny never grants;
//! * removing an allow never grants (while the group keeps a rule: removing a
//!   group's last rule takes it out of rule mode, SPEC §2 step 4, which is
//!   pinned by `removing_the_last_rule_leaves_rule_mode`);
//! * a member holding `owner` is allowed everything;
//! * decisions do not depend on rule order or group order;
//! * `check`, `check_many` and `explain` agree.
//!
//! It also writes the native half of the native-vs-WASM comparison:
//! `native_corpus` generates a corpus with a fixed seed (policies, members,
//! paths, actions, globs, dialect requests) with the native answers into
//! `tests/out/corpus.json`; `tests/js/native-wasm.test.mjs` asks the WASM
//! package the same questions and wants the same answers. `./dev test` runs
//! `cargo test` before the JS tests, so the corpus is always fresh.

use std::path::PathBuf;

use groupgate::files::{Action, FilePolicy, PolicyOptions};
use groupgate::{glob_match, validate, Workspace};
use proptest::prelude::*;
use proptest::strategy::ValueTree;
use proptest::test_runner::{Config, RngAlgorithm, TestRng, TestRunner};
use serde_json::{json, Value};

const PATTERNS: &[&str] = &[
    "**",
    "*",
    "a/**",
    "a/*",
    "*.js",
    "**/*.js",
    "a/**/*.js",
    "**/x",
    "a/b.js",
    "{a,b}/**",
    "a/{b,c/**}",
    "[ab]*",
    "?",
    ".env",
    "*/b",
    "a/**/b",
    "x{,.bak}",
    "A/**",
    "b/[!a]*",
    "secrets/*",
    "**/.env",
    "c.js",
];

const PATHS: &[&str] = &[
    "a",
    "a/b.js",
    "a/c/d.js",
    "a/c",
    "b/x",
    "b/a",
    ".env",
    "secrets/.env",
    "x",
    "x.bak",
    "A/b",
    "a/b",
    "q/r/x",
    "c.js",
    "/a/./b.js",
    "b//bb",
];

const PERMISSIONS: &[&[&str]] = &[
    &[],
    &["documents"],
    &["documents:view-content"],
    &["documents:edit-content"],
    &["documents:full"],
    &["documents:edit-view"],
    &["releases"],
    &["owner"],
];

const GROUPS: &[&str] = &["g0", "g1", "g2", "g3"];

fn action_name(a: Action) -> &'static str {
    a.name()
}

fn rule() -> impl Strategy<Value = Value> {
    (
        any::<bool>(),
        proptest::sample::subsequence(vec!["visible", "modify", "write", "delete"], 0..=4),
        proptest::sample::subsequence(PATTERNS.to_vec(), 0..=3),
        any::<bool>(),
    )
        .prop_map(|(deny, actions, patterns, as_string)| {
            let patterns = if as_string {
                json!(patterns.join(","))
            } else {
                json!(patterns)
            };
            json!({"effect": if deny { "deny" } else { "allow" }, "actions": actions, "patterns": patterns})
        })
}

/// 1 to 4 groups `g0…`, each with permissions and 0 to 4 rules.
fn groups() -> impl Strategy<Value = Vec<Value>> {
    proptest::collection::vec(
        (
            proptest::sample::select(PERMISSIONS),
            proptest::collection::vec(rule(), 0..=4),
        ),
        1..=4,
    )
    .prop_map(|gs| {
        gs.into_iter()
            .enumerate()
            .map(|(i, (perms, rules))| {
                json!({"id": GROUPS[i], "permissions": perms, "filePermissions": rules})
            })
            .collect()
    })
}

/// A member: some of the groups, maybe an unknown id.
fn member() -> impl Strategy<Value = Vec<&'static str>> {
    proptest::sample::subsequence(vec!["g0", "g1", "g2", "g3", "nobody"], 0..=5)
}

fn compile(groups: &[Value]) -> FilePolicy {
    FilePolicy::from_json(&json!(groups), PolicyOptions::default())
        .unwrap_or_else(|e| panic!("{e}: {}", json!(groups)))
}

/// Every decision of a policy: (member, path, action) → allowed.
fn decisions(p: &FilePolicy, members: &[Vec<&str>]) -> Vec<bool> {
    let mut out = Vec::new();
    for m in members {
        for a in Action::ALL {
            for path in PATHS {
                out.push(p.check(m, path, a).unwrap());
            }
        }
    }
    out
}

fn all_members() -> Vec<Vec<&'static str>> {
    // Every subset of the four groups, plus an unknown id.
    let mut out = Vec::new();
    for mask in 0u32..16 {
        let m: Vec<&str> = (0..4)
            .filter(|i| mask & (1 << i) != 0)
            .map(|i| GROUPS[i])
            .collect();
        out.push(m);
    }
    out.push(vec!["nobody"]);
    out
}

/// `after` grants nothing that `before` does not.
fn never_grants(before: &[bool], after: &[bool]) -> Result<(), TestCaseError> {
    for (i, (b, a)) in before.iter().zip(after).enumerate() {
        prop_assert!(!a || *b, "decision {i} went from denied to allowed");
    }
    Ok(())
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(256))]

    #[test]
    fn adding_a_deny_never_grants(gs in groups(), at in 0usize..4, deny in rule()) {
        let members = all_members();
        let before = decisions(&compile(&gs), &members);
        let mut after = gs.clone();
        let g = at % after.len();
        let mut deny = deny;
        deny["effect"] = json!("deny");
        after[g]["filePermissions"].as_array_mut().unwrap().push(deny);
        never_grants(&before, &decisions(&compile(&after), &members))?;
    }

    #[test]
    fn removing_an_allow_never_grants_while_the_group_keeps_a_rule(gs in groups(), at in 0usize..16) {
        let members = all_members();
        let before = decisions(&compile(&gs), &members);
        // The allows of groups with at least two rules.
        let mut allows = Vec::new();
        for (g, group) in gs.iter().enumerate() {
            let rules = group["filePermissions"].as_array().unwrap();
            if rules.len() >= 2 {
                for (r, rule) in rules.iter().enumerate() {
                    if rule["effect"] == "allow" {
                        allows.push((g, r));
                    }
                }
            }
        }
        prop_assume!(!allows.is_empty());
        let (g, r) = allows[at % allows.len()];
        let mut after = gs.clone();
        after[g]["filePermissions"].as_array_mut().unwrap().remove(r);
        never_grants(&before, &decisions(&compile(&after), &members))?;
    }

    #[test]
    fn owner_is_allowed_everything(gs in groups(), m in member(), owner in 0usize..4) {
        let mut gs = gs;
        let g = owner % gs.len();
        gs[g]["permissions"] = json!(["owner"]);
        let p = compile(&gs);
        let mut m = m;
        m.push(GROUPS[g]);
        for a in Action::ALL {
            for path in PATHS {
                let e = p.explain(&m, path, a).unwrap();
                prop_assert!(e.allowed, "{} {path}: {e:?}", action_name(a));
                prop_assert_eq!(e.reason, groupgate::files::Reason::Owner);
            }
        }
    }

    #[test]
    fn decisions_do_not_depend_on_rule_or_group_order(gs in groups(), seed in any::<u64>()) {
        let members = all_members();
        let p = compile(&gs);
        // Reverse the groups and rotate each group's rules by a seed-chosen amount.
        let mut shuffled: Vec<Value> = gs.iter().rev().cloned().collect();
        for (i, g) in shuffled.iter_mut().enumerate() {
            let rules = g["filePermissions"].as_array_mut().unwrap();
            if !rules.is_empty() {
                let k = (seed as usize).wrapping_add(i) % rules.len();
                rules.rotate_left(k);
                if seed & 1 == 1 {
                    rules.reverse();
                }
            }
        }
        let q = compile(&shuffled);
        prop_assert_eq!(decisions(&p, &members), decisions(&q, &members));
        // The reason too (the deciding rule may differ: it is the first in policy order).
        for m in &members {
            for a in Action::ALL {
                for path in PATHS {
                    let (x, y) = (p.explain(m, path, a).unwrap(), q.explain(m, path, a).unwrap());
                    prop_assert_eq!(x.reason, y.reason, "{:?} {} {}", m, path, action_name(a));
                }
            }
        }
    }

    #[test]
    fn check_check_many_and_explain_agree(gs in groups(), m in member()) {
        let p = compile(&gs);
        for a in Action::ALL {
            let batch = p.check_many(&m, PATHS, a).unwrap();
            for (i, path) in PATHS.iter().enumerate() {
                let c = p.check(&m, path, a).unwrap();
                prop_assert_eq!(c, batch[i]);
                prop_assert_eq!(c, p.explain(&m, path, a).unwrap().allowed);
                if c && a != Action::Visible {
                    prop_assert!(p.check(&m, path, Action::Visible).unwrap(), "{} needs visible", action_name(a));
                }
            }
        }
    }
}

/// The exception to "removing an allow never grants": a group whose last
/// rule goes away has no file rules any more, so its coarse permission alone
/// decides again (SPEC §2 step 4). To revoke, keep a rule (a deny, or any
/// rule: even a dead one keeps the group in rule mode).
#[test]
fn removing_the_last_rule_leaves_rule_mode() {
    let with = |rules: Value| {
        compile(&[json!({"id": "g", "permissions": ["documents"], "filePermissions": rules})])
    };
    let one = with(json!([{"effect": "allow", "actions": ["visible"], "patterns": "a/**"}]));
    assert!(!one.check(&["g"], "b", Action::Visible).unwrap());
    assert!(with(json!([])).check(&["g"], "b", Action::Visible).unwrap());
    let dead = with(json!([{"effect": "allow", "actions": [], "patterns": "a/**"}]));
    assert!(!dead.check(&["g"], "b", Action::Visible).unwrap());
}

// ---------------------------------------------------------------------------
// The native half of the native-vs-WASM comparison.

fn repo(rel: &str) -> PathBuf {
    [env!("CARGO_MANIFEST_DIR"), rel].iter().collect()
}

fn sample<S: Strategy>(s: &S, runner: &mut TestRunner) -> S::Value {
    s.new_tree(runner).expect("strategy").current()
}

/// A JSON answer: the value, or the error's code.
fn answer<T: serde::Serialize>(r: Result<T, groupgate::GroupgateError>) -> Value {
    match r {
        Ok(v) => json!({ "ok": v }),
        Err(e) => json!({ "error": e.code() }),
    }
}

#[test]
fn native_corpus() {
    let seed = [7u8; 32];
    let mut runner = TestRunner::new_with_rng(
        Config::default(),
        TestRng::from_seed(RngAlgorithm::ChaCha, &seed),
    );

    // File policies: random groups, members, paths (some invalid) and actions.
    let extra_paths = ["a/../b", "", "a\0b", "ü/ä.js", "A/B", "./.env", "a/b/"];
    let mut policies = Vec::new();
    for i in 0..300 {
        let gs = sample(&groups(), &mut runner);
        let case_insensitive = i % 5 == 0;
        let options = json!({ "caseInsensitive": case_insensitive });
        let p = FilePolicy::from_json(
            &json!(gs),
            PolicyOptions {
                case_insensitive,
                ..Default::default()
            },
        )
        .unwrap();
        let mut queries = Vec::new();
        for _ in 0..40 {
            let m = sample(&member(), &mut runner);
            let k = sample(&(0usize..PATHS.len() + extra_paths.len()), &mut runner);
            let path = PATHS
                .get(k)
                .copied()
                .unwrap_or_else(|| extra_paths[k - PATHS.len()]);
            let a = Action::ALL[sample(&(0usize..4), &mut runner)];
            queries.push(json!({
                "member": m, "path": path, "action": a.name(),
                "explain": answer(p.explain(&m, path, a)),
            }));
        }
        let lint = p.lint(Some(PATHS));
        policies
            .push(json!({ "groups": gs, "options": options, "queries": queries, "lint": lint }));
    }

    // Globs: every pattern of the pool and some broken ones, on every path.
    let mut globs = Vec::new();
    let broken = [
        "!a",
        "@(a)",
        "{1..3}",
        "[[:alpha:]]",
        "[abc",
        "{a,b",
        "a}",
        "a\\",
        "[z-a]",
        "a/../b",
        "",
        "[\\]]",
        "[a-c-e]",
        "users/{id}/**",
    ];
    for pattern in PATTERNS.iter().chain(&broken) {
        for path in PATHS.iter().chain(&extra_paths) {
            globs.push(json!({ "pattern": pattern, "path": path, "match": answer(glob_match(pattern, path)) }));
        }
    }

    // Dialects: every case of the shared tables, and each with its request
    // mangled in a few ways, with the whole native verdict.
    let mut verdicts = Vec::new();
    let mut workspaces = Vec::new();
    for dialect in ["baseten", "frontier", "apinizer", "conductor", "gorules"] {
        let text = std::fs::read_to_string(repo(&format!("tests/cases/{dialect}.json"))).unwrap();
        let cases: Vec<Value> = serde_json::from_str(&text).unwrap();
        for (i, c) in cases.iter().enumerate() {
            let context = c.get("context").cloned().unwrap_or(Value::Null);
            let mut requests = vec![c["request"].clone()];
            if i % 4 == 0 {
                let mut r = c["request"].clone();
                r["body"] = json!([r["body"].clone()]);
                requests.push(r);
                let mut r = c["request"].clone();
                r["params"] = json!("x");
                requests.push(r);
                requests.push(json!([]));
            }
            for request in requests {
                let verdict = validate(dialect, &request, &context).unwrap();
                verdicts.push(json!({ "dialect": dialect, "request": request, "context": context, "verdict": verdict }));
            }
            if dialect == "baseten" {
                if let Some(state) = context.get("state") {
                    if let Ok(ws) = Workspace::from_json(state) {
                        let models: Vec<Value> = ws
                            .groups()
                            .iter()
                            .map(|g| json!({ "group": g.id, "models": answer(ws.effective_models(&g.id)) }))
                            .collect();
                        workspaces.push(json!({ "state": state, "request": c["request"], "preview": ws.preview(&c["request"]), "models": models }));
                    }
                }
            }
        }
    }

    let corpus = json!({
        "about": "native answers (tests/properties.rs, fixed seed) for tests/js/native-wasm.test.mjs",
        "policies": policies,
        "globs": globs,
        "verdicts": verdicts,
        "workspaces": workspaces,
    });
    let out = repo("tests/out");
    std::fs::create_dir_all(&out).unwrap();
    // Written whole, then renamed, so a reader never sees half a file.
    let tmp = out.join(format!("corpus.json.{}", std::process::id()));
    std::fs::write(&tmp, serde_json::to_string(&corpus).unwrap()).unwrap();
    std::fs::rename(&tmp, out.join("corpus.json")).unwrap();
}
