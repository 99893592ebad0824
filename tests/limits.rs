//! SPEC §4 limits: each is enforced where it applies, with an error naming
//! it, and each is configurable: `options.limits` of a `FilePolicy`,
//! `Workspace::from_json_with` (JS: `Workspace.from(state, {limits})`), and
//! `context.limits` of `validate`. Cycles are named.

use groupgate::files::{Action, FilePolicy, PolicyOptions};
use groupgate::{validate, Limits, Workspace};
use serde_json::{json, Value};

fn group(id: &str, parent: Option<&str>) -> Value {
    json!({
        "id": id,
        "metadata": {"external_entity_id": format!("ext-{id}")},
        "models": [{"slug": "a/b"}],
        "hierarchy": {"limit_enforcement": "CASCADING", "parent_group_id": parent},
    })
}

/// A chain g1 ← g2 ← … ← gN.
fn chain(n: usize) -> Value {
    let groups: Vec<Value> = (1..=n)
        .map(|i| {
            group(
                &format!("g{i}"),
                (i > 1).then(|| format!("g{}", i - 1)).as_deref(),
            )
        })
        .collect();
    json!({ "groups": groups })
}

fn codes(v: &groupgate::Verdict) -> Vec<(&str, &str)> {
    v.errors.iter().map(|i| (i.path.as_str(), i.code)).collect()
}

fn policy_with(rules: Value, limits: Limits) -> Result<FilePolicy, groupgate::GroupgateError> {
    FilePolicy::from_json(
        &json!([{"id": "g", "permissions": ["documents"], "filePermissions": rules}]),
        PolicyOptions {
            limits,
            ..Default::default()
        },
    )
}

fn allow(patterns: Value) -> Value {
    json!({"effect": "allow", "actions": ["visible"], "patterns": patterns})
}

#[test]
fn defaults_are_the_spec_values() {
    let l = Limits::DEFAULT;
    assert_eq!(
        (
            l.max_depth,
            l.max_groups,
            l.max_rules,
            l.max_glob_bytes,
            l.max_path_bytes,
            l.max_string_bytes,
            l.max_match_work,
            l.max_automaton_states
        ),
        (5, 10_000, 100_000, 1024, 4096, 65_536, 384, 4_000_000)
    );
}

#[test]
fn depth_is_enforced_named_and_configurable() {
    assert!(Workspace::from_json(&chain(5)).is_ok());
    let e = Workspace::from_json(&chain(6)).unwrap_err();
    assert_eq!(e.code(), "state.depth");
    assert_eq!(e.issues[0].path, "/groups/5/hierarchy/parent_group_id");
    assert!(e.issues[0].message.contains("max_depth (5)"), "{e}");

    let two = Limits {
        max_depth: 2,
        ..Limits::DEFAULT
    };
    assert_eq!(
        Workspace::from_json_with(&chain(3), two)
            .unwrap_err()
            .code(),
        "state.depth"
    );
    let seven = Limits {
        max_depth: 7,
        ..Limits::DEFAULT
    };
    assert!(Workspace::from_json_with(&chain(7), seven).is_ok());

    // validate: the state's depth, and a create under the deepest group.
    let create = |parent: &str| {
        json!({"op": "create", "body": {"metadata": {"external_entity_id": "new"},
            "models": [{"slug": "a/b"}],
            "hierarchy": {"limit_enforcement": "CASCADING", "parent_group_id": parent}}})
    };
    let v = validate("baseten", &create("g5"), &json!({"state": chain(5)})).unwrap();
    assert_eq!(v.status, 400);
    assert!(
        v.errors.iter().any(|i| i.message.contains("max_depth (5)")),
        "{v:?}"
    );
    let v = validate(
        "baseten",
        &create("g5"),
        &json!({"state": chain(5), "limits": {"maxDepth": 6}}),
    )
    .unwrap();
    assert!(v.ok, "{v:?}");
    let v = validate(
        "baseten",
        &create("g1"),
        &json!({"state": chain(5), "limits": {"maxDepth": 1}}),
    )
    .unwrap();
    // The state itself is over the limit now.
    assert_eq!(v.status, 400);
    assert!(
        codes(&v).contains(&(
            "/context/state/groups/1/hierarchy/parent_group_id",
            "state.depth"
        )),
        "{v:?}"
    );
    let v = validate(
        "baseten",
        &create("g1"),
        &json!({"state": chain(1), "limits": {"maxDepth": 1}}),
    )
    .unwrap();
    assert_eq!(
        codes(&v),
        [("/body/hierarchy/parent_group_id", "depth")],
        "{v:?}"
    );
}

#[test]
fn group_count_is_enforced_named_and_configurable() {
    let three = Limits {
        max_groups: 3,
        ..Limits::DEFAULT
    };
    // Workspace.
    let four = json!({"groups": (0..4).map(|i| group(&format!("r{i}"), None)).collect::<Vec<_>>()});
    assert!(Workspace::from_json(&four).is_ok());
    let e = Workspace::from_json_with(&four, three).unwrap_err();
    assert_eq!(
        (e.code(), e.issues[0].path.as_str()),
        ("limit.groups", "/groups")
    );
    assert!(e.issues[0].message.contains("max_groups (3)"));
    // The typed and the detailed reader agree (a bad group forces the latter).
    let mut bad = four.clone();
    bad["groups"][0]["models"] = json!("x");
    assert_eq!(
        Workspace::from_json_with(&bad, three).unwrap_err().code(),
        "limit.groups"
    );
    // validate("baseten", …, {state, limits}).unwrap().
    let req =
        json!({"op": "update", "params": {"group_id": "r0"}, "body": {"metadata": {"name": "n"}}});
    assert!(
        validate("baseten", &req, &json!({"state": four}))
            .unwrap()
            .ok
    );
    let v = validate(
        "baseten",
        &req,
        &json!({"state": four, "limits": {"maxGroups": 3}}),
    )
    .unwrap();
    assert_eq!(codes(&v), [("/context/state/groups", "limit.groups")]);
    // FilePolicy.
    let groups: Vec<Value> = (0..4).map(|i| json!({"id": format!("g{i}")})).collect();
    let opts = PolicyOptions {
        limits: three,
        ..Default::default()
    };
    let e = FilePolicy::from_json(&json!(groups), opts).unwrap_err();
    assert_eq!(e.code(), "limit.groups");
    assert!(FilePolicy::from_json(&json!(groups[..3]), opts).is_ok());
    // The default: 10,000 groups compile, 10,001 do not.
    let many: Vec<Value> = (0..10_001)
        .map(|i| json!({"id": format!("g{i}")}))
        .collect();
    assert!(FilePolicy::from_json(&json!(many[..10_000]), PolicyOptions::default()).is_ok());
    let e = FilePolicy::from_json(&json!(many), PolicyOptions::default()).unwrap_err();
    assert_eq!(e.code(), "limit.groups");
}

/// A Frontier state's `orgs` are capped as a Baseten state's groups are
/// (`maxGroups`, `limit.groups` at the list): no limit capped them, and
/// 300,000 orgs took 0.7 s (session 19).
#[test]
fn frontier_org_count_is_enforced_named_and_configurable() {
    let orgs = |n: usize| -> Vec<Value> {
        (0..n)
            .map(|i| json!({"id": format!("o{i}"), "name": format!("org{i}")}))
            .collect()
    };
    let req = json!({"op": "create", "params": {"org_id": "o0"}, "body": {"name": "team"}});
    let run = |state: Value, limits: Value| {
        let caller = json!({"orgRoles": ["app_organization_owner"]});
        validate(
            "frontier",
            &req,
            &json!({"caller": caller, "state": state, "limits": limits}),
        )
        .unwrap()
    };
    let v = run(json!({"orgs": orgs(3)}), json!({"maxGroups": 3}));
    assert!(v.ok, "{v:?}");
    let v = run(json!({"orgs": orgs(4)}), json!({"maxGroups": 3}));
    assert_eq!(codes(&v), [("/context/state/orgs", "limit.groups")]);
    assert_eq!(
        v.errors[0].message,
        "the state has 4 orgs, over the limit max_groups (3)"
    );
    assert_eq!(v.status, 400);
    // Refused before any org is read: a bad org past the limit is not named.
    let mut bad = orgs(4);
    bad[0] = json!(5);
    let v = run(json!({"orgs": bad}), json!({"maxGroups": 3}));
    assert_eq!(codes(&v), [("/context/state/orgs", "limit.groups")]);
    // The default: 10,000 orgs are read, 10,001 are not.
    assert!(run(json!({"orgs": orgs(10_000)}), json!({})).ok);
    let v = run(json!({"orgs": orgs(10_001)}), json!({}));
    assert_eq!(codes(&v), [("/context/state/orgs", "limit.groups")]);
    assert!(v.errors[0].message.contains("max_groups (10000)"));
}

#[test]
fn rule_count_is_enforced_named_and_configurable() {
    let rules: Vec<Value> = (0..5).map(|i| allow(json!(format!("d{i}/**")))).collect();
    let four = Limits {
        max_rules: 4,
        ..Limits::DEFAULT
    };
    assert!(policy_with(json!(rules[..4]), four).is_ok());
    let e = policy_with(json!(rules), four).unwrap_err();
    assert_eq!(e.code(), "limit.rules");
    assert!(e.issues[0].message.contains("max_rules (4)"));
    // Counted across groups.
    let groups = json!([
        {"id": "a", "filePermissions": rules[..3]},
        {"id": "b", "filePermissions": rules[..2]},
    ]);
    let opts = PolicyOptions {
        limits: four,
        ..Default::default()
    };
    assert_eq!(
        FilePolicy::from_json(&groups, opts).unwrap_err().code(),
        "limit.rules"
    );
    // The default: 100,000 rules compile (one per group is the cheap way to
    // reach it), 100,001 do not.
    let rule = allow(json!("x/**"));
    let at_limit = json!([{"id": "g", "filePermissions": vec![rule.clone(); 100_000]}]);
    let p = FilePolicy::from_json(&at_limit, PolicyOptions::default()).unwrap();
    assert_eq!(p.len(), (1, 100_000));
    let over = json!([{"id": "g", "filePermissions": vec![rule; 100_001]}]);
    assert_eq!(
        FilePolicy::from_json(&over, PolicyOptions::default())
            .unwrap_err()
            .code(),
        "limit.rules"
    );
}

#[test]
fn glob_length_is_enforced_named_and_configurable() {
    let at = "a".repeat(1024);
    let over = "a".repeat(1025);
    assert!(policy_with(json!([allow(json!(at))]), Limits::DEFAULT).is_ok());
    let e = policy_with(json!([allow(json!(over))]), Limits::DEFAULT).unwrap_err();
    assert_eq!(
        (e.code(), e.issues[0].path.as_str()),
        ("glob.too_long", "/0/filePermissions/0/patterns")
    );
    assert!(e.issues[0].message.contains("max_glob_bytes (1024"), "{e}");
    let small = Limits {
        max_glob_bytes: 8,
        ..Limits::DEFAULT
    };
    assert_eq!(
        policy_with(json!([allow(json!("abcdefghi"))]), small)
            .unwrap_err()
            .code(),
        "glob.too_long"
    );
    let big = Limits {
        max_glob_bytes: 2048,
        ..Limits::DEFAULT
    };
    assert!(policy_with(json!([allow(json!(over))]), big).is_ok());
    assert_eq!(
        groupgate::glob_match(&over, "a").unwrap_err().code(),
        "glob.too_long"
    );

    // gorules: body rules under context.limits.
    let req = |patterns: &str| {
        json!({"op": "create", "params": {"projectId": "6f1c2a7e-4b1d-4a8e-9c3f-0d2b5e7a9c11"},
            "body": {"name": "n", "filePermissions": [allow(json!(patterns))]}})
    };
    let v = validate(
        "gorules",
        &req("abcdefghi"),
        &json!({"limits": {"maxGlobBytes": 8}}),
    )
    .unwrap();
    assert_eq!(
        codes(&v),
        [("/body/filePermissions/0/patterns", "glob.too_long")]
    );
    assert!(
        validate("gorules", &req("abcdefghi"), &Value::Null)
            .unwrap()
            .ok
    );
}

#[test]
fn path_length_is_enforced_named_and_configurable() {
    let p = policy_with(json!([allow(json!("**"))]), Limits::DEFAULT).unwrap();
    let at = "a/".repeat(2047) + "ab"; // 4,096 bytes
    assert_eq!(at.len(), 4096);
    assert!(p.check(&["g"], &at, Action::Visible).unwrap());
    let over = at.clone() + "c";
    let e = p.check(&["g"], &over, Action::Visible).unwrap_err();
    assert_eq!(
        (e.code(), e.issues[0].path.as_str()),
        ("path.too_long", "/path")
    );
    assert!(e.issues[0].message.contains("max_path_bytes (4096"));
    assert_eq!(
        p.check_many(&["g"], &["a", &over], Action::Visible)
            .unwrap_err()
            .issues[0]
            .path,
        "/paths/1"
    );
    assert_eq!(
        p.explain(&["g"], &over, Action::Visible)
            .unwrap_err()
            .code(),
        "path.too_long"
    );
    assert_eq!(
        groupgate::glob_match("**", &over).unwrap_err().code(),
        "path.too_long"
    );
    // The policy keeps answering.
    assert!(p.check(&["g"], "x", Action::Visible).unwrap());

    let short = policy_with(
        json!([allow(json!("**"))]),
        Limits {
            max_path_bytes: 3,
            ..Limits::DEFAULT
        },
    )
    .unwrap();
    assert!(short.check(&["g"], "abc", Action::Visible).unwrap());
    assert_eq!(
        short
            .check(&["g"], "abcd", Action::Visible)
            .unwrap_err()
            .code(),
        "path.too_long"
    );

    // gorules: context.files under context.limits.
    let req = json!({"op": "create", "params": {"projectId": "6f1c2a7e-4b1d-4a8e-9c3f-0d2b5e7a9c11"},
        "body": {"name": "n"}});
    let v = validate(
        "gorules",
        &req,
        &json!({"files": ["abcd"], "limits": {"maxPathBytes": 3}}),
    )
    .unwrap();
    assert_eq!(codes(&v), [("/context/files/0", "path.too_long")]);
    assert!(
        validate("gorules", &req, &json!({"files": ["abcd"]}))
            .unwrap()
            .ok
    );
}

#[test]
fn string_length_is_enforced_named_and_configurable() {
    let big = "x".repeat(64 * 1024 + 1);
    // Request fields, every dialect: the name is a string field.
    let v = validate(
        "conductor",
        &json!({"op": "create", "params": {"id": "g"},
        "body": {"description": big, "roles": []}}),
        &json!({"caller": {"admin": true}}),
    )
    .unwrap();
    assert_eq!(codes(&v), [("/body/description", "max_length")]);
    assert!(v.errors[0].message.contains("max_string_bytes (65536)"));
    let req = json!({"op": "create", "params": {"id": "g"}, "body": {"description": "abcdef", "roles": []}});
    assert!(validate("conductor", &req, &Value::Null).unwrap().ok);
    let v = validate("conductor", &req, &json!({"limits": {"maxStringBytes": 5}})).unwrap();
    assert_eq!(codes(&v), [("/body/description", "max_length")]);
    let v = validate(
        "conductor",
        &json!({"op": "create", "params": {"id": "g"},
        "body": {"description": big, "roles": []}}),
        &json!({"limits": {"maxStringBytes": 100_000}}),
    )
    .unwrap();
    assert!(v.ok, "{v:?}");
    // Workspace state strings: the typed and the detailed readers agree.
    let mut st = chain(1);
    st["groups"][0]["metadata"]["name"] = json!("abcdef");
    let five = Limits {
        max_string_bytes: 5,
        ..Limits::DEFAULT
    };
    assert!(Workspace::from_json(&st).is_ok());
    let e = Workspace::from_json_with(&st, five).unwrap_err();
    assert!(e.issues.iter().all(|i| i.code == "max_length"), "{e}");
    // FilePolicy ids.
    let e = FilePolicy::from_json(&json!([{"id": big}]), PolicyOptions::default()).unwrap_err();
    assert_eq!(
        (e.code(), e.issues[0].path.as_str()),
        ("max_length", "/0/id")
    );
    let e = policy_with(json!([{"id": big, "effect": "deny"}]), Limits::DEFAULT).unwrap_err();
    assert_eq!(
        (e.code(), e.issues[0].path.as_str()),
        ("max_length", "/0/filePermissions/0/id")
    );
}

fn pairs(e: &groupgate::GroupgateError) -> Vec<(&str, &str)> {
    e.issues.iter().map(|i| (i.path.as_str(), i.code)).collect()
}

#[test]
fn bad_context_limits_are_an_error_at_their_path() {
    let req =
        json!({"op": "create", "params": {"id": "g"}, "body": {"description": "d", "roles": []}});
    for (bad, at, code) in [
        (json!({"maxDepth": -1}), "/context/limits/maxDepth", "type"),
        (json!({"maxDepth": 1.5}), "/context/limits/maxDepth", "type"),
        // Not a limit: a member the API does not have, as `/context/caler`.
        (json!({"nope": 1}), "/context/limits/nope", "unknown_field"),
        (json!({"a/b": 1}), "/context/limits/a~1b", "unknown_field"),
        (json!("x"), "/context/limits", "type"),
        (
            json!({"maxGroups": "3"}),
            "/context/limits/maxGroups",
            "type",
        ),
    ] {
        // decided: README §Codes — context is the engine's input: an error,
        // at the member at fault.
        let e = validate("conductor", &req, &json!({"limits": bad})).unwrap_err();
        assert_eq!(pairs(&e), [(at, code)], "{bad}");
    }
}

#[test]
fn cycles_are_named() {
    let st = json!({"groups": [group("a", Some("c")), group("b", Some("a")), group("c", Some("b")), group("d", Some("d"))]});
    let e = Workspace::from_json(&st).unwrap_err();
    let cycles: Vec<&str> = e
        .issues
        .iter()
        .filter(|i| i.code == "state.cycle")
        .map(|i| i.message.as_str())
        .collect();
    assert_eq!(cycles.len(), 2, "{e}");
    assert!(
        cycles
            .iter()
            .any(|m| m.contains('a') && m.contains('b') && m.contains('c')),
        "{cycles:?}"
    );
    assert!(cycles.iter().any(|m| m.contains("d → d")), "{cycles:?}");
    let v = validate(
        "baseten",
        &json!({"op": "delete", "params": {"group_id": "a"}}),
        &json!({"state": st}),
    )
    .unwrap();
    assert_eq!(v.status, 400);
    assert!(v
        .errors
        .iter()
        .any(|i| i.code == "state.cycle" && i.path.starts_with("/context/state/groups/")));
}

/// Hostile-input finding: a GoRules request body whose rules fail to
/// compile for a limit (`limit.rules`) was a warning and a 201.
#[test]
fn gorules_body_over_the_rule_limit_is_an_error() {
    let rules: Vec<Value> = (0..5).map(|i| allow(json!(format!("d{i}/**")))).collect();
    let req = json!({"op": "create", "params": {"projectId": "6f1c2a7e-4b1d-4a8e-9c3f-0d2b5e7a9c11"},
        "body": {"name": "n", "filePermissions": rules}});
    assert!(validate("gorules", &req, &Value::Null).unwrap().ok);
    let v = validate("gorules", &req, &json!({"limits": {"maxRules": 4}})).unwrap();
    assert_eq!(codes(&v), [("/body/filePermissions", "limit.rules")]);
    assert_eq!(v.status, 400);
}

/// Hostile-input finding: serde reads a struct from an array, positionally,
/// so `limits: [1, 1, 1, 1, 1, 1]` set every limit to 1. Limits are objects.
#[test]
fn limits_are_objects_never_arrays() {
    assert!(Limits::from_json(&json!([1, 1, 1, 1, 1, 1])).is_err());
    assert!(Limits::from_json(&json!([])).is_err());
    assert_eq!(Limits::from_json(&json!({})).unwrap(), Limits::DEFAULT);
    let req =
        json!({"op": "create", "params": {"id": "g"}, "body": {"description": "d", "roles": []}});
    let e = validate("conductor", &req, &json!({"limits": [1, 1, 1, 1, 1, 1]})).unwrap_err();
    assert_eq!(pairs(&e), [("/context/limits", "type")]);
}

/// Hostile-input finding: a `patterns` string escaped the string-length
/// limit (a megabyte of `a,a,…` compiled).
#[test]
fn a_patterns_string_is_a_string_field() {
    let big = "a,".repeat(40_000);
    let e = policy_with(json!([allow(json!(big))]), Limits::DEFAULT).unwrap_err();
    assert_eq!(
        (e.code(), e.issues[0].path.as_str()),
        ("max_length", "/0/filePermissions/0/patterns")
    );
    let roomy = Limits {
        max_string_bytes: 100_000,
        ..Limits::DEFAULT
    };
    assert!(policy_with(json!([allow(json!(big))]), roomy).is_ok());
}

/// Everything allowed, then `k` denies `*NNN*` + 1,000 `a`s + `?`: a path
/// naming them, then `a`s, keeps one 1,000-state run per name active.
fn loops(k: usize, max_match_work: usize) -> FilePolicy {
    let mut rules =
        vec![json!({"effect": "allow", "actions": ["visible", "modify"], "patterns": "**"})];
    for i in 0..k {
        let p = format!("*{i:03}*{}?", "a".repeat(1000));
        rules.push(json!({"effect": "deny", "actions": ["visible", "modify"], "patterns": p}));
    }
    let limits = Limits {
        max_match_work,
        ..Limits::DEFAULT
    };
    policy_with(json!(rules), limits).unwrap()
}

fn names_then_a(k: usize, len: usize) -> String {
    let names: String = (0..k).map(|i| format!("{i:03}")).collect();
    format!("{names}{}", "a".repeat(len - names.len()))
}

/// README "Limits" (`maxMatchWork`) and "Security": a path whose match keeps
/// too many patterns' states active is refused with `path.too_complex` at
/// the path's pointer, by check, explain, checkMany and lint alike, never
/// answered; the policy keeps answering; a raised limit answers it; and
/// every path the default answers gets the answer an unlimited policy gives.
#[test]
fn match_work_is_enforced_named_and_configurable() {
    let k = 64;
    let p = loops(k, Limits::DEFAULT.max_match_work);
    let path = names_then_a(k, 4096);
    let e = p.check(&["g"], &path, Action::Modify).unwrap_err();
    assert_eq!(
        (e.code(), e.issues[0].path.as_str()),
        ("path.too_complex", "/path")
    );
    let msg = &e.issues[0].message;
    assert!(msg.contains("maxMatchWork (384)"), "{msg}");
    assert!(msg.contains("raise limits.maxMatchWork"), "{msg}");
    let e = p.explain(&["g"], &path, Action::Modify).unwrap_err();
    assert_eq!(e.code(), "path.too_complex");
    let e = p
        .check_many(&["g"], &["x", path.as_str()], Action::Modify)
        .unwrap_err();
    assert_eq!(
        (e.code(), e.issues[0].path.as_str()),
        ("path.too_complex", "/paths/1")
    );
    let lint = p.lint(Some(&["x".to_string(), path.clone()]));
    assert!(
        lint.iter()
            .any(|i| i.code == "path.too_complex" && i.path == "/files/1"),
        "{lint:?}"
    );
    // No "matches nothing" guess when a file could not be matched.
    assert!(
        !lint.iter().any(|i| i.code == "lint.matches_nothing"),
        "{lint:?}"
    );
    // The policy keeps answering, and refuses the same path again (the
    // refusal does not depend on what its automaton cache holds).
    assert!(p.check(&["g"], "x", Action::Modify).unwrap());
    assert!(!p
        .check(&["g"], &names_then_a(1, 1100), Action::Modify)
        .unwrap());
    assert_eq!(
        p.check(&["g"], &path, Action::Modify).unwrap_err().code(),
        "path.too_complex"
    );

    // Raised, the same path is answered: a deny matches.
    let wide = loops(k, 1 << 20);
    assert!(!wide.check(&["g"], &path, Action::Modify).unwrap());
    // Read back from a snapshot, a policy keeps its limit.
    let back = FilePolicy::from_bytes(&p.to_bytes()).unwrap();
    assert_eq!(
        back.check(&["g"], &path, Action::Modify)
            .unwrap_err()
            .code(),
        "path.too_complex"
    );
    let back = FilePolicy::from_bytes(&wide.to_bytes()).unwrap();
    assert!(!back.check(&["g"], &path, Action::Modify).unwrap());

    // Every path the default limit answers, it answers as the unlimited
    // policy does (fewer names, shorter runs, other bytes).
    let mut answered = 0;
    for names in [0, 1, 2, 4, 8, 16, 64] {
        for len in [200, 1001, 1300, 2500, 4000] {
            for tail in ["", "b", "/x"] {
                let path = names_then_a(names, len.max(3 * names)) + tail;
                let want = wide.check(&["g"], &path, Action::Modify).unwrap();
                match p.check(&["g"], &path, Action::Modify) {
                    Ok(got) => {
                        assert_eq!(got, want, "{names} names, {len} bytes, {tail:?}");
                        answered += 1;
                    }
                    Err(e) => assert_eq!(e.code(), "path.too_complex"),
                }
            }
        }
    }
    assert!(answered >= 40, "{answered}");

    // Zero refuses every path the automaton has to read; the trie needs
    // no automaton.
    let zero = loops(1, 0);
    assert_eq!(
        zero.check(&["g"], "a", Action::Modify).unwrap_err().code(),
        "path.too_complex"
    );
    let trie_only = policy_with(
        json!([allow(json!("src/**"))]),
        Limits {
            max_match_work: 0,
            ..Limits::DEFAULT
        },
    )
    .unwrap();
    assert!(trie_only.check(&["g"], "src/a", Action::Visible).unwrap());

    // In JSON: `maxMatchWork`.
    let l = Limits::from_json(&json!({"maxMatchWork": 10})).unwrap();
    assert_eq!(l.max_match_work, 10);
}

/// README "Limits" (`maxMatchWork`): the limit is work per byte of the
/// path with a burst allowance, not a cap on each step, so a policy of
/// thousands of different patterns (a start set with thousands of edges)
/// answers short paths, as the unlimited policy does. (Found by an
/// attacker's pass: 2,500 generated patterns refused 95% of paths, `a`
/// included, under a per-step cap.)
#[test]
fn many_different_patterns_answer_short_paths() {
    let letters: Vec<char> = ('a'..='z').collect();
    let mut rules = Vec::new();
    // 2,600 distinct first classes, each its own first state.
    for (i, a) in letters.iter().enumerate() {
        for b in &letters[i + 1..] {
            for c in letters.iter().take(8) {
                if rules.len() < 2_600 && c != a && c != b {
                    let p = format!("[{a}{b}{c}]*{}", rules.len());
                    rules.push(allow(json!(p)));
                }
            }
        }
    }
    let p = policy_with(json!(rules), Limits::DEFAULT).unwrap();
    let unlimited = Limits {
        max_match_work: usize::MAX,
        ..Limits::DEFAULT
    };
    let wide = policy_with(json!(rules), unlimited).unwrap();
    for path in ["a", "b12", "q", "src/app/index.js", "x/y", "ab99"] {
        let want = wide.check(&["g"], path, Action::Visible).unwrap();
        assert_eq!(
            p.check(&["g"], path, Action::Visible).unwrap(),
            want,
            "{path}"
        );
    }
}

/// README "Limits" (`maxAutomatonStates`) and "Security" (issue #11, the
/// construction bound): globs that share nothing grow the pattern automaton
/// by a state a byte; past the limit the policy is refused with
/// `limit.automaton` at the glob that crossed it, in both readers, and a
/// raised limit builds the same rules.
#[test]
fn automaton_states_are_limited_named_and_configurable() {
    // 20 rules `*` + 50 letters + `*` + 50 letters (no index holds them),
    // each its own letters: about 2,000 states.
    let body = |i: usize| -> String {
        let letters: String = (0..100)
            .map(|k| char::from(b'a' + ((i * 7 + k * 13 + k * k) % 26) as u8))
            .collect();
        format!("{}*{}", &letters[..50], &letters[50..])
    };
    let rules = json!((0..20)
        .map(|i| allow(json!(format!("*{}", body(i)))))
        .collect::<Vec<_>>());
    let small = Limits {
        max_automaton_states: 1000,
        ..Limits::DEFAULT
    };
    let e = policy_with(rules.clone(), small).unwrap_err();
    assert_eq!(e.issues.len(), 1, "{e:?}");
    let issue = &e.issues[0];
    assert_eq!(issue.code, "limit.automaton");
    // Just over 100 states a rule (a letter each, and each star's loop):
    // the 10th crosses 1,000.
    assert_eq!(issue.path, "/0/filePermissions/9/patterns");
    assert!(
        issue.message.contains("maxAutomatonStates (1000"),
        "{}",
        issue.message
    );
    assert!(
        issue.message.contains("raise limits.maxAutomatonStates"),
        "{}",
        issue.message
    );
    // The text reader (the package's path) refuses alike.
    let text =
        json!([{"id": "g", "permissions": ["documents"], "filePermissions": rules}]).to_string();
    let options = PolicyOptions {
        limits: small,
        ..Default::default()
    };
    let e2 = FilePolicy::from_json_text(&text, options).unwrap_err();
    assert_eq!(e2.issues, e.issues);
    // In an array of patterns, the pointer names the glob.
    let arr = json!([allow(json!(["a/**", format!("*{}", body(0))]))]);
    let tiny = Limits {
        max_automaton_states: 50,
        ..Limits::DEFAULT
    };
    let e = policy_with(arr, tiny).unwrap_err();
    assert_eq!(e.issues[0].path, "/0/filePermissions/0/patterns/1");
    // The same glob twice costs its states once; the defaults build all of it.
    let twice = json!([
        allow(json!(format!("*{}", body(0)))),
        allow(json!(format!("*{}", body(0))))
    ]);
    assert!(policy_with(
        twice,
        Limits {
            max_automaton_states: 150,
            ..Limits::DEFAULT
        }
    )
    .is_ok());
    let p = policy_with(rules, Limits::DEFAULT).unwrap();
    let path = format!("x{}", body(10).replace('*', "y"));
    assert!(p.check(&["g"], &path, Action::Visible).unwrap());
    assert!(!p.check(&["g"], "x", Action::Visible).unwrap());
    // A snapshot keeps the limit the policy was built under.
    let p = policy_with(json!([allow(json!("*a*b"))]), small).unwrap();
    let back = FilePolicy::from_bytes(&p.to_bytes()).unwrap();
    assert_eq!(back.options().limits.max_automaton_states, 1000);
    // In JSON: `maxAutomatonStates`.
    let l = Limits::from_json(&json!({"maxAutomatonStates": 10})).unwrap();
    assert_eq!(l.max_automaton_states, 10);
}

/// README "Security" (issue #11, the construction bound): what
/// `maxAutomatonStates` counts is the builder's work, not the states alone.
/// Lists of names after a `*` that rules share add few states, but each
/// rule steps through the states its names branch from (and joins its own
/// set of them): 10,000 such 1 KB lists took 7 s in the package with 3.2
/// million states. Each step from a state with several edges, and each
/// edge into a join, counts as a state does.
#[test]
fn automaton_limit_counts_branching_work() {
    // `*{` 26 names `aa`…`az` `}` then the rule's own 4 digits: the names
    // are shared by every rule (their states are built once), the digits
    // are not.
    let names: Vec<String> = (b'a'..=b'z')
        .map(|c| format!("a{}", char::from(c)))
        .collect();
    let rule = |i: usize| allow(json!(format!("*{{{}}}{i:04}", names.join(","))));
    let rules = |n: usize| json!((0..n).map(rule).collect::<Vec<_>>());
    let limit = Limits {
        max_automaton_states: 1000,
        ..Limits::DEFAULT
    };
    // About 60 units a rule (26 branching steps twice, a digit chain), 4
    // new states a rule past the first: 30 rules are 200 states, over
    // 1,000 units.
    let e = policy_with(rules(30), limit).unwrap_err();
    assert_eq!(e.issues.len(), 1, "{e:?}");
    assert_eq!(e.issues[0].code, "limit.automaton");
    let at: usize = e.issues[0].path["/0/filePermissions/".len()..]
        .trim_end_matches("/patterns")
        .parse()
        .unwrap();
    assert!((10..20).contains(&at), "crossed at rule {at}");
    // Fewer rules build, and match as written.
    let p = policy_with(rules(5), limit).unwrap();
    assert!(p.check(&["g"], "yaq0003", Action::Visible).unwrap());
    assert!(!p.check(&["g"], "ya0003", Action::Visible).unwrap());
    assert!(!p.check(&["g"], "yaq0009", Action::Visible).unwrap());
}

/// README "Limits" (`maxAutomatonStates`; atk11): each `/` of a glob
/// counts a unit, a repeated glob's too, and each directory new to the
/// trie three. Literal globs went to the directory trie with no limit:
/// 1 KB globs 500 directories deep, each rule its own (`eN/a/a/…/x`),
/// took 4 s a 10,000-rule policy in the package, 24 s and 3.9 GB of WASM
/// memory at 40,000 (a trap before 100,000); 100,000 rules of one such
/// glob 5 s, of globs sharing its directories 10 s (README: 2 s).
#[test]
fn automaton_limit_counts_directories() {
    let limit = Limits {
        max_automaton_states: 1000,
        ..Limits::DEFAULT
    };
    let refused_at = |rules: Value| {
        let e = policy_with(rules, limit).unwrap_err();
        assert_eq!(e.issues.len(), 1, "{e:?}");
        assert_eq!(e.issues[0].code, "limit.automaton");
        let at = &e.issues[0].path["/0/filePermissions/".len()..];
        at.trim_end_matches("/patterns").parse::<usize>().unwrap()
    };
    let rules = |n: usize, glob: &dyn Fn(usize) -> String| {
        json!((0..n).map(|i| allow(json!(glob(i)))).collect::<Vec<_>>())
    };
    // Each its own 51 directories: 51 `/`s and 51 new directories, 204
    // units a rule; the fifth crosses 1,000.
    let own = |i: usize| format!("e{i}/{}x", "a/".repeat(50));
    assert_eq!(refused_at(rules(10, &own)), 4);
    // Directories shared: the first rule 200 units, each later one its 50
    // `/`s; one glob repeated costs the same.
    let shared = |i: usize| format!("{}x{i}", "a/".repeat(50));
    let same = |_: usize| format!("{}x", "a/".repeat(50));
    assert_eq!(refused_at(rules(40, &shared)), 16);
    assert_eq!(refused_at(rules(40, &same)), 16);
    // `.` segments and `//` are read before they are dropped: they count.
    let dots = |i: usize| format!("{}x{i}", "./".repeat(50));
    assert_eq!(refused_at(rules(40, &dots)), 19);
    // Fewer build, and match as written; the defaults build them all.
    let p = policy_with(rules(4, &own), limit).unwrap();
    assert!(p.check(&["g"], &own(3), Action::Visible).unwrap());
    assert!(!p.check(&["g"], &own(4), Action::Visible).unwrap());
    assert!(policy_with(rules(40, &shared), Limits::DEFAULT).is_ok());
}

/// README Security (atk11): the directory trie finds a directory by an Fx
/// hash of (parent, name) and compares the nodes of that hash one by one.
/// Fx is no defence against chosen collisions: 16-byte names whose second
/// word undoes the first's hash come by the thousand a second
/// (`js/fixtures/fx-colliding-dirs.txt`, 3,000 of them), and each new one
/// compared every earlier one: 20,000 took 4.4 s to build in the package
/// (100,000, within maxRules: minutes). A node passed over now counts as
/// a unit of `maxAutomatonStates`: such names are refused near 2,830,
/// and names of distinct hashes pass over nothing.
#[test]
fn automaton_limit_counts_colliding_directories() {
    let names: Vec<&str> = include_str!("js/fixtures/fx-colliding-dirs.txt")
        .lines()
        .collect();
    assert_eq!(names.len(), 3000);
    let rules = |names: &[String]| {
        json!(names
            .iter()
            .map(|n| allow(json!([format!("{n}/x")])))
            .collect::<Vec<_>>())
    };
    let colliding: Vec<String> = names.iter().map(|n| n.to_string()).collect();
    let e = policy_with(rules(&colliding), Limits::DEFAULT).unwrap_err();
    assert_eq!(e.issues[0].code, "limit.automaton", "{e:?}");
    let at: usize = e.issues[0].path["/0/filePermissions/".len()..]
        .trim_end_matches("/patterns/0")
        .parse()
        .unwrap();
    // n names pass over n (n - 1) / 2 nodes, and build 3 n units more.
    assert!((2700..2900).contains(&at), "refused at rule {at}");
    // As many names of distinct hashes build, and fewer colliding ones.
    let distinct: Vec<String> = (0..3000).map(|i| format!("d{i:015}")).collect();
    assert!(policy_with(rules(&distinct), Limits::DEFAULT).is_ok());
    let p = policy_with(rules(&colliding[..1000]), Limits::DEFAULT).unwrap();
    assert!(p
        .check(&["g"], &format!("{}/x", names[7]), Action::Visible)
        .unwrap());
    assert!(!p
        .check(&["g"], &format!("{}/y", names[7]), Action::Visible)
        .unwrap());
}

/// README § Security: a step's work "depends on the set of active states
/// and the byte's class only, … so the same path is refused or answered
/// whatever the cache holds". It did not (atk19, session 19): a step
/// queued for the epsilon closure every state of an NFA word no earlier
/// path had reached (their epsilon states unknown until then), so the
/// same step cost more on a fresh policy. At `maxMatchWork` 6, `x yZSRC`
/// was refused (`path.too_complex`) on a fresh policy and answered after
/// a check of `Kx ` (which reached those words first). Now each word's
/// epsilon states are read from the NFA before the word is first queued.
/// Found by a differential asking each policy its paths in three orders
/// and on fresh copies (globs from tests/glob_differential.rs's grammar).
#[test]
fn match_work_does_not_depend_on_earlier_paths() {
    let pats = [
        "{bLLLLLLLLLLLLLLLLLLLLLLLLLLLLLLLLLLLLLLLLLLLLL,,/*}x y{,{*,\\*\u{1}}}[^.]SR",
        "\\\\\\}{,K-?!}a]",
        "[!}]...\\{\\}{,*{,},ÿ}*",
        "\\\\e\\}{,K-?!}]",
    ];
    let limits = Limits {
        max_match_work: 6,
        ..Limits::DEFAULT
    };
    let fresh = || policy_with(json!([allow(json!(pats))]), limits).unwrap();
    let paths = [
        "x yZSRC",
        "Kx ",
        "Kx y*SRC/z",
        "\\éa//{/}a!.xza",
        "ſ...{}x",
        "x y",
    ];
    let code = |r: Result<bool, groupgate::GroupgateError>| r.map_err(|e| e.code());
    for target in paths {
        let want = code(fresh().check(&["g"], target, Action::Visible));
        for warm in paths {
            let p = fresh();
            let _ = p.check(&["g"], warm, Action::Visible);
            let got = code(p.check(&["g"], target, Action::Visible));
            assert_eq!(got, want, "{target:?} after {warm:?}");
        }
    }
    // The path of the finding is answered (its work is within the limit
    // when counted as a warm policy counts it).
    assert_eq!(
        code(fresh().check(&["g"], "x yZSRC", Action::Visible)),
        Ok(false)
    );
}

/// README "Limits" (atk22): `maxGlobs` counts every glob of a policy as it
/// is read, across rules and groups, in `patterns` strings and arrays, and
/// refused globs too: a 1 KB `patterns` string holds 512 one-byte globs,
/// each read for about a microsecond in the package, so `maxRules` alone
/// let 100,000 such rules (109 MB) take about 45 s.
#[test]
fn glob_limit_counts_every_glob_read() {
    let small = Limits {
        max_globs: 10,
        ..Limits::DEFAULT
    };
    // Four a rule: the third rule's third glob is the 11th.
    let rules = json!([
        allow(json!("a,b,c,d")),
        allow(json!(["e", "f", "g", "h"])),
        allow(json!("i\nj\nk\nl"))
    ]);
    let e = policy_with(rules.clone(), small).unwrap_err();
    assert_eq!(e.issues.len(), 1, "{e:?}");
    assert_eq!(e.issues[0].code, "limit.globs");
    assert_eq!(e.issues[0].path, "/0/filePermissions/2/patterns");
    assert!(
        e.issues[0].message.contains("max_globs (10)"),
        "{}",
        e.issues[0].message
    );
    // The text reader (the package's path) refuses alike.
    let text =
        json!([{"id": "g", "permissions": ["documents"], "filePermissions": rules}]).to_string();
    let options = PolicyOptions {
        limits: small,
        ..Default::default()
    };
    assert_eq!(
        FilePolicy::from_json_text(&text, options)
            .unwrap_err()
            .issues,
        e.issues
    );
    // Across groups, and an array's pointer names the glob.
    let groups = json!([
        {"id": "a", "permissions": ["documents"], "filePermissions": [allow(json!("a,b,c,d,e,f"))]},
        {"id": "b", "permissions": ["documents"], "filePermissions": [allow(json!(["g", "h", "i", "j", "k"]))]},
    ]);
    let e = FilePolicy::from_json(&groups, options).unwrap_err();
    assert_eq!(
        (e.issues[0].code, e.issues[0].path.as_str()),
        ("limit.globs", "/1/filePermissions/0/patterns/4")
    );
    // Refused globs count: ten `!a` are ten glob errors, the 11th glob is the limit's.
    let refused = json!([allow(json!("!a,".repeat(10) + "b"))]);
    let e = policy_with(refused, small).unwrap_err();
    let codes: Vec<&str> = e.issues.iter().map(|i| i.code).collect();
    assert_eq!(
        codes,
        [vec!["glob.negation"; 10], vec!["limit.globs"]].concat()
    );
    // Exactly at the limit: built, and it answers.
    let p = policy_with(json!([allow(json!("a,b,c,d,e,f,g,h,i,j"))]), small).unwrap();
    assert!(p.check(&["g"], "j", Action::Visible).unwrap());
    // In JSON: `maxGlobs`; the default holds 500,000.
    assert_eq!(
        Limits::from_json(&json!({"maxGlobs": 7}))
            .unwrap()
            .max_globs,
        7
    );
    assert_eq!(Limits::DEFAULT.max_globs, 500_000);
}

/// README "Security" (`maxMatchWork`, nested braces): nested braces end in
/// a chain of joins, one epsilon state a `}`, and a path through the
/// innermost alternative closes over all of them, paying its word's
/// epsilon masks at each (an attacker's pass, session 31). So the deepest
/// nesting `maxGlobBytes` lets through (255 levels) refuses such a path at
/// the default limit, for every member (the automaton is the policy's),
/// and never answers it wrongly; 128 levels are answered; a raised limit
/// answers 255, with the answers an unlimited policy gives.
#[test]
fn nested_braces_cost_their_joins_and_are_refused_not_answered() {
    let nest = |depth: usize| format!("{}b{}", "{a,".repeat(depth), "}".repeat(depth));
    assert!(nest(255).len() <= Limits::DEFAULT.max_glob_bytes);
    let build = |depth: usize, max_match_work| {
        let groups = json!([
            {"id": "g", "permissions": ["documents"], "filePermissions": [allow(json!("**"))]},
            {"id": "other", "permissions": ["documents"], "filePermissions": [
                {"effect": "deny", "actions": ["visible"], "patterns": nest(depth)}]},
        ]);
        let limits = Limits {
            max_match_work,
            ..Limits::DEFAULT
        };
        let options = PolicyOptions {
            limits,
            ..Default::default()
        };
        FilePolicy::from_json(&groups, options).unwrap()
    };
    let default = Limits::DEFAULT.max_match_work;
    let answers = |p: &FilePolicy| -> Vec<Option<bool>> {
        let members: [&[&str]; 2] = [&["g"], &["g", "other"]];
        let paths = ["b", "b/x", "a", "src/b", "ab"];
        let all = members
            .iter()
            .flat_map(|m| paths.iter().map(move |p| (*m, *p)));
        all.map(|(m, path)| p.check(m, path, Action::Visible).ok())
            .collect()
    };
    // What the glob names, and only that, is denied.
    let want = [true, true, true, true, true, false, true, false, true, true].map(Some);
    assert_eq!(answers(&build(255, 1 << 30)), want);
    assert_eq!(answers(&build(255, 512)), want);
    assert_eq!(answers(&build(128, default)), want);
    let deep = build(255, default);
    for member in [&["g"][..], &["g", "other"]] {
        let e = deep.check(member, "b", Action::Visible).unwrap_err();
        assert_eq!(e.code(), "path.too_complex", "{member:?}");
    }
    // Paths the chain does not close over are answered, and the policy
    // keeps answering.
    assert!(!deep.check(&["g", "other"], "a", Action::Visible).unwrap());
    assert!(deep
        .check(&["g", "other"], "src/b", Action::Visible)
        .unwrap());
}

/// README "Worst case, stated": `glob_match` runs a policy's automaton under
/// the default `maxMatchWork`, so it answers or refuses (`path.too_complex`,
/// at `/path`) exactly as a one-rule policy of its glob does, at the work
/// limit too: wide globs of alternations holding `**/` (the attacker's shape
/// of session 37) against `a/b/…` paths up to 1.5 KB, some refused.
#[test]
fn glob_match_answers_and_refuses_as_a_one_rule_policy() {
    const PIECES: [&str; 16] = [
        "{*/**/,b/}",
        "{**/,a/,b/}",
        "{**/,a/}",
        "{**/,a/}",
        "{*/**/,b/}",
        "*a",
        "?",
        "[ab]",
        "a/",
        "b/",
        "**/",
        "{a,b/}",
        "{,a/}",
        "*/",
        "{*,a/**}/",
        "{a*,*b}/",
    ];
    let mut x: u64 = 0x9e37_79b9_7f4a_7c15;
    let mut r = move |n: usize| {
        x ^= x << 13;
        x ^= x >> 7;
        x ^= x << 17;
        (x % n as u64) as usize
    };
    let (mut answered, mut refused) = (0, 0);
    for _ in 0..400 {
        let mut glob: String = (0..1 + r(110)).map(|_| PIECES[r(PIECES.len())]).collect();
        glob.truncate(1000);
        let path: String = (0..1 + r(1500))
            .map(|i| if i % 2 == 1 { '/' } else { ['a', 'b'][r(2)] })
            .collect();
        let path = path.trim_end_matches('/');
        let Ok(policy) = policy_with(json!([allow(json!([glob]))]), Limits::DEFAULT) else {
            continue;
        };
        let by_policy = policy
            .check(&["g"], path, Action::Visible)
            .map_err(|e| (e.code(), e.issues[0].path.clone()));
        let by_glob =
            groupgate::glob_match(&glob, path).map_err(|e| (e.code(), e.issues[0].path.clone()));
        assert_eq!(by_glob, by_policy, "{glob} against {} bytes", path.len());
        match by_policy {
            Ok(_) => answered += 1,
            Err(_) => refused += 1,
        }
    }
    assert!(
        answered > 300 && refused > 0,
        "{answered} answered, {refused} refused"
    );
}
