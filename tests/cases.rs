//! The shared case tables of `tests/cases/<dialect>.json`, run through the
//! public API (`groupgate::validate`). `tests/js/cases.test.mjs` runs the very
//! same files through the npm package, so both languages answer one table.
//!
//! A file is an array of cases:
//!
//! ```json
//! { "name": "unique in the file",
//!   "rule": "the rule the case exercises (a short id)",
//!   "source": "where the expected answer comes from: a URL, a repo path:line,
//!              shared/reference/… § or \"decided: README …\"",
//!   "request": {...}, "context": {...},
//!   "expect": { "status": 400,
//!               "errors": [["/body/name", "pattern"]],
//!               "warnings": [["/body/title", "cleared"]],
//!               "messages": [["/body/name", "required", "name value can not be empty!"]],
//!               "next": {...}, "changes": {...}, "response": {...},
//!               "skipped": ["caller"] } }
//! ```
//!
//! What is compared:
//! * `status` always, and `ok` must equal `status < 300`;
//! * `errors` always (absent means `[]`): the exact list of `[path, code]`
//!   pairs, **order-insensitive** (compared as sorted multisets);
//! * `warnings`, when given: the exact list of `[path, code]`, order-insensitive;
//! * `messages`, when given: each `[path, code, message]` must be among the
//!   errors or warnings, the message verbatim;
//! * `next`, `changes`, `response`, when given: deep equality with the
//!   verdict's (`null` means the verdict has none); `skipped`, when given:
//!   exact list.
//!
//! Every case names its `source` (a non-empty string): a test row encodes a
//! product's behaviour only with the place that says so. A row without one
//! fails [`every_rule_has_a_passing_and_a_failing_case`].
//!
//! Coverage: every `rule` of a file has at least one passing case (status
//! < 300) and one failing case (status ≥ 400). A rule whose outcome is a
//! warning (the tag starts with `warning:`) needs instead a case that expects
//! `"warnings": []` and one that expects a non-empty `warnings` list.

use std::collections::{BTreeMap, BTreeSet};
use std::path::PathBuf;

use groupgate::{validate, Verdict};
use serde_json::Value;

/// Case files; a file named `<dialect>-<topic>.json` is run as `<dialect>`.
const DIALECTS: [&str; 6] = [
    "baseten",
    "frontier",
    "apinizer",
    "conductor",
    "gorules",
    "frontier-server",
];
const CASE_KEYS: [&str; 6] = ["name", "rule", "source", "request", "context", "expect"];
const EXPECT_KEYS: [&str; 8] = [
    "status", "errors", "warnings", "messages", "next", "changes", "response", "skipped",
];

fn load(dialect: &str) -> Vec<Value> {
    let path: PathBuf = [env!("CARGO_MANIFEST_DIR"), "tests", "cases"]
        .iter()
        .collect::<PathBuf>()
        .join(format!("{dialect}.json"));
    let text = std::fs::read_to_string(&path)
        .unwrap_or_else(|e| panic!("cannot read {}: {e}", path.display()));
    match serde_json::from_str(&text) {
        Ok(Value::Array(cases)) => cases,
        Ok(_) => panic!("{}: expected an array of cases", path.display()),
        Err(e) => panic!("{}: {e}", path.display()),
    }
}

fn str_of<'a>(case: &'a Value, key: &str) -> &'a str {
    case.get(key).and_then(Value::as_str).unwrap_or("")
}

/// `[[path, code], ...]` as a sorted list of pairs.
fn expected_pairs(v: Option<&Value>) -> Result<Vec<(String, String)>, String> {
    let Some(v) = v else { return Ok(Vec::new()) };
    let items = v.as_array().ok_or("expected an array of [path, code]")?;
    let mut out = Vec::with_capacity(items.len());
    for item in items {
        match item.as_array().map(Vec::as_slice) {
            Some([Value::String(p), Value::String(c)]) => out.push((p.clone(), c.clone())),
            _ => return Err(format!("expected [path, code], got {item}")),
        }
    }
    out.sort();
    Ok(out)
}

fn actual_pairs(issues: &[groupgate::Issue]) -> Vec<(String, String)> {
    let mut out: Vec<(String, String)> = issues
        .iter()
        .map(|i| (i.path.clone(), i.code.to_string()))
        .collect();
    out.sort();
    out
}

/// The differences between a verdict and a case's expectations, empty when
/// the case passes.
fn check(case: &Value, got: &Verdict) -> Vec<String> {
    let mut problems = Vec::new();
    let expect = &case["expect"];
    let status = expect["status"].as_u64().unwrap_or(0);
    if u64::from(got.status) != status {
        problems.push(format!("status: expected {status}, got {}", got.status));
    }
    if got.ok != (got.status < 300) {
        problems.push(format!("ok is {} with status {}", got.ok, got.status));
    }
    match expected_pairs(expect.get("errors")) {
        Err(e) => problems.push(format!("expect.errors: {e}")),
        Ok(want) => {
            let have = actual_pairs(&got.errors);
            if have != want {
                problems.push(format!("errors: expected {want:?}, got {have:?}"));
            }
        }
    }
    if let Some(w) = expect.get("warnings") {
        match expected_pairs(Some(w)) {
            Err(e) => problems.push(format!("expect.warnings: {e}")),
            Ok(want) => {
                let have = actual_pairs(&got.warnings);
                if have != want {
                    problems.push(format!("warnings: expected {want:?}, got {have:?}"));
                }
            }
        }
    }
    for m in expect
        .get("messages")
        .and_then(Value::as_array)
        .into_iter()
        .flatten()
    {
        let triple = m.as_array().map(Vec::as_slice);
        let Some([Value::String(p), Value::String(c), Value::String(msg)]) = triple else {
            problems.push(format!(
                "expect.messages: expected [path, code, message], got {m}"
            ));
            continue;
        };
        let found = got
            .errors
            .iter()
            .chain(&got.warnings)
            .any(|i| &i.path == p && i.code == c && &i.message == msg);
        if !found {
            let near: Vec<&str> = got
                .errors
                .iter()
                .chain(&got.warnings)
                .filter(|i| &i.path == p && i.code == c)
                .map(|i| i.message.as_str())
                .collect();
            problems.push(format!(
                "message at {p} ({c}): expected {msg:?}, got {near:?}"
            ));
        }
    }
    for (key, have) in [
        ("next", &got.next),
        ("changes", &got.changes),
        ("response", &got.response),
    ] {
        if let Some(want) = expect.get(key) {
            let have = have.clone().unwrap_or(Value::Null);
            if &have != want {
                problems.push(format!("{key}: expected {want}, got {have}"));
            }
        }
    }
    if let Some(want) = expect.get("skipped") {
        let have: Vec<&str> = got.skipped.clone();
        let want: Vec<&str> = want
            .as_array()
            .into_iter()
            .flatten()
            .filter_map(Value::as_str)
            .collect();
        if have != want {
            problems.push(format!("skipped: expected {want:?}, got {have:?}"));
        }
    }
    problems
}

fn run(dialect: &str) {
    let cases = load(dialect);
    assert!(!cases.is_empty(), "{dialect}: no cases");
    let mut failures = Vec::new();
    for case in &cases {
        let name = str_of(case, "name");
        let context = case.get("context").cloned().unwrap_or(Value::Null);
        let got = validate(
            dialect.split('-').next().unwrap_or(dialect),
            &case["request"],
            &context,
        )
        .unwrap_or_else(|e| panic!("{dialect} / {name}: the context is unusable: {e}"));
        let problems = check(case, &got);
        if !problems.is_empty() {
            failures.push(format!(
                "{dialect} / {name} [{}]:\n    {}\n    verdict: {}",
                str_of(case, "rule"),
                problems.join("\n    "),
                serde_json::to_string(&got).unwrap_or_default()
            ));
        }
    }
    assert!(
        failures.is_empty(),
        "{} of {} {dialect} cases failed:\n{}",
        failures.len(),
        cases.len(),
        failures.join("\n")
    );
}

#[test]
fn baseten() {
    run("baseten");
}

#[test]
fn frontier() {
    run("frontier");
}

#[test]
fn apinizer() {
    run("apinizer");
}

#[test]
fn conductor() {
    run("conductor");
}

#[test]
fn gorules() {
    run("gorules");
}

#[test]
fn frontier_server() {
    run("frontier-server");
}

/// Names are unique, keys are known, every case names its source, and
/// every rule has both sides.
#[test]
fn every_rule_has_a_passing_and_a_failing_case() {
    let mut problems = Vec::new();
    for dialect in DIALECTS {
        let cases = load(dialect);
        let mut names = BTreeSet::new();
        // rule → (has a passing side, has a failing side)
        let mut sides: BTreeMap<&str, (bool, bool)> = BTreeMap::new();
        for case in &cases {
            let name = str_of(case, "name");
            let rule = str_of(case, "rule");
            if name.is_empty() || rule.is_empty() {
                problems.push(format!("{dialect}: a case lacks a name or a rule: {case}"));
            }
            if str_of(case, "source").trim().is_empty() {
                problems.push(format!(
                    "{dialect} / {name}: no source (a URL, a repo path:line, or \"decided: README …\")"
                ));
            }
            if !names.insert(name) {
                problems.push(format!("{dialect}: duplicate case name {name:?}"));
            }
            for key in case.as_object().into_iter().flat_map(|o| o.keys()) {
                if !CASE_KEYS.contains(&key.as_str()) {
                    problems.push(format!("{dialect} / {name}: unknown key {key:?}"));
                }
            }
            let expect = &case["expect"];
            for key in expect.as_object().into_iter().flat_map(|o| o.keys()) {
                if !EXPECT_KEYS.contains(&key.as_str()) {
                    problems.push(format!("{dialect} / {name}: unknown expect key {key:?}"));
                }
            }
            let Some(status) = expect["status"].as_u64() else {
                problems.push(format!("{dialect} / {name}: expect.status is required"));
                continue;
            };
            let side = sides.entry(rule).or_default();
            if rule.starts_with("warning:") {
                match expect.get("warnings").and_then(Value::as_array) {
                    Some(w) if w.is_empty() => side.0 = true,
                    Some(_) => side.1 = true,
                    None => {}
                }
            } else if status < 300 {
                side.0 = true;
            } else if status >= 400 {
                side.1 = true;
            }
        }
        for (rule, (pass, fail)) in sides {
            if !pass {
                problems.push(format!("{dialect}: rule {rule:?} has no passing case"));
            }
            if !fail {
                problems.push(format!("{dialect}: rule {rule:?} has no failing case"));
            }
        }
    }
    assert!(problems.is_empty(), "{}", problems.join("\n"));
}

/// The README's "Codes" section, from its heading to the next one.
fn readme_codes() -> String {
    let path: PathBuf = [env!("CARGO_MANIFEST_DIR"), "README.md"].iter().collect();
    let text = std::fs::read_to_string(&path).expect("README.md");
    let start = text
        .find("\n## Codes\n")
        .expect("README has a Codes section");
    let rest = &text[start + 1..];
    let end = rest[3..].find("\n## ").map_or(rest.len(), |i| i + 3);
    rest[..end].to_string()
}

/// One vocabulary, written down: every code a case-table verdict carries is
/// listed in README "Codes" (literally, or by its family `glob.*`).
#[test]
fn every_code_the_cases_meet_is_in_the_readme() {
    let codes_section = readme_codes();
    let listed = |code: &str| {
        codes_section.contains(&format!("`{code}`"))
            || code
                .split_once('.')
                .is_some_and(|(family, _)| codes_section.contains(&format!("`{family}.*`")))
    };
    let mut missing = BTreeMap::<String, BTreeSet<&str>>::new();
    for dialect in DIALECTS {
        for case in load(dialect) {
            let context = case.get("context").cloned().unwrap_or(Value::Null);
            let name = dialect.split('-').next().unwrap_or(dialect);
            let Ok(v) = validate(name, &case["request"], &context) else {
                continue;
            };
            for issue in v.errors.iter().chain(&v.warnings) {
                if !listed(issue.code) {
                    missing
                        .entry(issue.code.to_string())
                        .or_default()
                        .insert(name);
                }
            }
        }
    }
    assert!(
        missing.is_empty(),
        "codes missing from README Codes: {missing:?}"
    );
}
