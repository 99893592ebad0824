//! The verdict's listing cap (README "Verdicts"): a request with thousands of
//! failing items of one kind lists the first `ISSUES_PER_CODE` of that code
//! and one summary issue counting the rest; status, `ok`, `complete` and the
//! first error are those of the uncapped answer (the same request with few
//! items fails the same way).

use groupgate::ISSUES_PER_CODE;
use groupgate::{validate, Issue, Verdict};
use serde_json::{json, Value};

const MANY: usize = ISSUES_PER_CODE * 3 + 7;

fn conductor(roles: usize) -> Verdict {
    let roles: Vec<String> = (0..roles).map(|i| format!("X{i}")).collect();
    let request = json!({"op": "create", "params": {"id": "g"}, "body": {"description": "d", "roles": roles}});
    validate("conductor", &request, &json!({"caller": {"admin": true}})).unwrap()
}

fn apinizer(paths: usize) -> Verdict {
    let list: Vec<String> = (0..paths).map(|i| format!("/p{}", i % 2)).collect();
    let request = json!({"op": "update", "params": {"projectName": "shop"},
        "body": {"name": "orders", "description": "d", "clientRoute": {"relativePathList": list}}});
    let state =
        json!({"groups": [{"name": "orders", "clientRoute": {"relativePathList": ["/orders"]}}]});
    let ctx = json!({"caller": {"permissions": ["API_MANAGEMENT+MANAGE"]}, "state": state});
    validate("apinizer", &request, &ctx).unwrap()
}

fn frontier(tags: usize) -> Verdict {
    let tags: Vec<String> = (0..tags).map(|i| format!("t{i}")).collect();
    let schema = json!({"type": "object", "properties": {"tags": {"type": "array", "items": {"enum": ["a", "b"]}}}});
    let request = json!({"op": "create", "params": {"org_id": "acme"},
        "body": {"name": "team", "metadata": {"tags": tags}}});
    let ctx = json!({"caller": {"orgRoles": ["app_organization_owner"]},
        "state": {"org": {"id": "acme"}, "metaschema": schema}});
    validate("frontier", &request, &ctx).unwrap()
}

/// The issues of `code` in `list`: the listed ones, then the summary.
fn of<'a>(list: &'a [Issue], code: &str) -> (Vec<&'a Issue>, Option<&'a Issue>) {
    let all: Vec<&Issue> = list.iter().filter(|i| i.code == code).collect();
    let summary = all.iter().copied().find(|i| i.omitted.is_some());
    (
        all.into_iter().filter(|i| i.omitted.is_none()).collect(),
        summary,
    )
}

fn same_answer(few: &Verdict, many: &Verdict) {
    assert_eq!(
        (few.ok, few.status, few.complete),
        (many.ok, many.status, many.complete)
    );
    let first = |v: &Verdict| {
        v.errors
            .first()
            .map(|i| (i.path.clone(), i.code, i.message.clone()))
    };
    assert_eq!(
        first(few),
        first(many),
        "the first error is the product's answer"
    );
}

/// `n` issues of `code` at `pointer(i)`, listed up to the cap, then counted.
fn capped(list: &[Issue], code: &str, n: usize, pointer: impl Fn(usize) -> String) {
    let (listed, summary) = of(list, code);
    assert_eq!(listed.len(), ISSUES_PER_CODE, "{code}: listed");
    let summary = summary.unwrap_or_else(|| panic!("{code}: no summary issue"));
    assert_eq!(
        summary.omitted,
        Some(n - ISSUES_PER_CODE),
        "{code}: counted"
    );
    assert_eq!(
        summary.path,
        pointer(ISSUES_PER_CODE),
        "{code}: where the unlisted ones start"
    );
    assert_eq!(summary.severity, listed[0].severity);
    for (i, issue) in listed.iter().enumerate() {
        assert_eq!(issue.path, pointer(i));
    }
}

#[test]
fn unknown_conductor_roles_are_listed_up_to_the_cap() {
    let (few, many) = (conductor(3), conductor(MANY));
    same_answer(&few, &many);
    assert_eq!(of(&few.errors, "unknown_role").0.len(), 3);
    assert!(
        of(&few.errors, "unknown_role").1.is_none(),
        "no summary under the cap"
    );
    capped(&many.errors, "unknown_role", MANY, |i| {
        format!("/body/roles/{i}")
    });
}

#[test]
fn duplicate_apinizer_paths_are_listed_up_to_the_cap() {
    let (few, many) = (apinizer(4), apinizer(MANY));
    same_answer(&few, &many);
    assert!(many.ok && many.next.is_some(), "warnings never refuse");
    capped(&many.warnings, "duplicate", MANY - 2, |i| {
        format!("/body/clientRoute/relativePathList/{}", i + 2)
    });
}

#[test]
fn frontier_metadata_failures_are_listed_up_to_the_cap() {
    let (few, many) = (frontier(2), frontier(MANY));
    same_answer(&few, &many);
    assert_eq!(many.status, 400);
    capped(&many.errors, "schema.enum", MANY, |i| {
        format!("/body/metadata/tags/{i}")
    });
    let as_json: Value = serde_json::to_value(&many).unwrap();
    let last = as_json["errors"].as_array().unwrap().last().unwrap();
    assert_eq!(
        last["omitted"],
        json!(MANY - ISSUES_PER_CODE),
        "the count crosses as `omitted`"
    );
    assert!(
        as_json["errors"][0].get("omitted").is_none(),
        "listed issues carry no `omitted`"
    );
}

/// A message quotes names from the caller's catalog or state cut to 64
/// bytes and "…" (atk21: 16 catalog names of 60 KB made each unknown
/// role's message 1 MB; three group names of 60 KB each overlap warning
/// 180 KB). Short names are quoted whole.
#[test]
fn messages_quote_long_catalog_and_state_names_cut() {
    let long = |c: &str, k: usize| format!("{}{k}", c.repeat(60_000 / c.len()));
    let roles: serde_json::Map<String, Value> = (0..2).map(|k| (long("A", k), json!([]))).collect();
    let request = json!({"op": "create", "params": {"id": "g"}, "body": {"description": "d", "roles": ["X"]}});
    let ctx = json!({"caller": {"admin": true}, "catalog": {"roles": roles}});
    let v = validate("conductor", &request, &ctx).unwrap();
    let m = &v.errors[0].message;
    assert_eq!(v.errors[0].code, "unknown_role");
    let cut = format!("{}…", "A".repeat(64));
    assert!(m.len() < 600 && m.matches(&cut).count() == 2, "{m}");
    assert!(m.contains("ADMIN, "), "{m}");

    let groups: Vec<Value> = (0..4)
        .map(|k| json!({"name": if k == 3 { "short".into() } else { long("é", k) }, "clientRoute": {"relativePathList": ["/x"]}}))
        .collect();
    let request = json!({"op": "create", "params": {"projectName": "p"},
        "body": {"name": "new", "clientRoute": {"relativePathList": ["/x"]}}});
    let ctx =
        json!({"caller": {"permissions": ["API_MANAGEMENT+MANAGE"]}, "state": {"groups": groups}});
    let v = validate("apinizer", &request, &ctx).unwrap();
    let w = v
        .warnings
        .iter()
        .find(|w| w.code == "route_overlap")
        .expect("an overlap");
    // 64 bytes of two-byte letters: 32 of them, then "…".
    let cut = format!("{}…", "é".repeat(32));
    assert_eq!(
        w.message,
        format!("API Proxy Group {cut}, {cut}, {cut} and 1 more also route /x")
    );
}

/// `changes.files` holds at most 2 MiB of member ids and paths: each flip
/// repeats its member's id, and one member of a 60 KB id over 2,500 files
/// listed 600 MB (atk21). Past it the list is cut, as past its count.
#[test]
fn gorules_flips_are_cut_at_their_text() {
    let p = "6f1c2a7e-4b1d-4a8e-9c3f-0d2b5e7a9c11";
    let g = "0b9d4e2f-7a6c-4f1e-8d3b-5c2a1e9f7d44";
    let request = json!({"op": "update", "params": {"projectId": p, "groupId": g},
        "body": {"name": "a", "permissions": ["documents"], "filePermissions": [{"effect": "deny", "actions": ["visible"], "patterns": "**"}]}});
    let files: Vec<String> = (0..1000).map(|i| format!("f{i}")).collect();
    let state = |member: String| json!({"projectId": p, "groups": [{"id": g, "name": "a", "permissions": ["documents"]}], "members": [{"id": member, "groups": [g]}]});
    let ctx = |member: String| json!({"caller": {"permissions": ["owner"]}, "files": files, "state": state(member)});
    let short = validate("gorules", &request, &ctx("m".into())).unwrap();
    let flips = |v: &Verdict| {
        v.changes
            .as_ref()
            .and_then(|c| c["files"].as_array().map(Vec::len))
    };
    // A visible flip per file, then each of the other actions (no longer visible).
    assert_eq!((flips(&short), short.complete), (Some(4000), true));
    let long = validate("gorules", &request, &ctx("m".repeat(60_000))).unwrap();
    assert_eq!(flips(&long), Some((2 << 20) / 60_001));
    assert!(
        long.skipped.contains(&"changes.files"),
        "{:?}",
        long.skipped
    );
    assert!(long.warnings.iter().any(|w| w.code == "changes.truncated"));
}
