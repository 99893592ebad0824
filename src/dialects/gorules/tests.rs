//! Unit tests of the `gorules` validator (moved out of gorules.rs to keep
//! the module small).
use super::*;
use crate::dialects::validate as run;
use serde_json::json;

use crate::test_cpu as cpu;

const P: &str = "11111111-1111-4111-8111-111111111111";
const G1: &str = "aaaaaaaa-aaaa-4aaa-8aaa-aaaaaaaaaaaa";
const G2: &str = "bbbbbbbb-bbbb-4bbb-8bbb-bbbbbbbbbbbb";
const NEW: &str = "cccccccc-cccc-4ccc-8ccc-cccccccccccc";

/// `(path, code)` of some issues, in order.
fn pairs(issues: &[Issue]) -> Vec<(&str, &'static str)> {
    issues.iter().map(|i| (i.path.as_str(), i.code)).collect()
}

fn v(req: Value, ctx: Value) -> Verdict {
    run("gorules", &req, &ctx).expect("a usable context")
}

fn update(body: Value) -> Value {
    json!({"op": "update", "params": {"projectId": P, "groupId": G1}, "body": body})
}

fn create(body: Value) -> Value {
    json!({"op": "create", "params": {"projectId": P}, "body": body})
}

fn state() -> Value {
    json!({
        "projectId": P,
        "groups": [
            {"id": G1, "name": "authors", "description": "writes rules", "projectId": P,
             "permissions": ["documents:edit-content"], "roleId": NEW, "role": null,
             "filePermissions": [{"effect": "deny", "actions": ["visible"], "patterns": "secrets/**"}]},
            {"id": G2, "name": "admins", "permissions": ["owner"]}
        ],
        "members": [{"id": "ann", "groups": [G1]}, {"id": "bob", "groups": [G1, G2]}, {"id": "cy", "groups": [G2]}]
    })
}

/// A caller who may manage groups and holds every permission but `owner`
/// (so it may grant them: see `escalation`).
fn manager() -> Value {
    json!({"caller": {"permissions": MANAGER}, "state": state()})
}

const MANAGER: [&str; 6] = [
    "project:manage",
    "documents",
    "releases",
    "branches",
    "environments",
    "integrations:manage",
];

#[test]
fn uuids_are_checked_by_hand() {
    assert!(is_uuid(P) && is_uuid("ABCDEF00-0000-0000-0000-000000000000"));
    for bad in [
        "",
        "x",
        "11111111-1111-1111-1111-11111111111",
        "11111111_1111-1111-1111-111111111111",
        "g111111-1111-1111-1111-111111111111x",
    ] {
        assert!(!is_uuid(bad), "{bad}");
    }
}

#[test]
fn one_failing_and_one_passing_case_per_rule() {
    let ok = json!({"name": "reviewers"});
    // (request, context, status, path, code)
    let cases: Vec<(Value, Value, u16, &str, &str)> = vec![
        (
            json!({"op": "create", "body": ok}),
            manager(),
            400,
            "/params/projectId",
            "required",
        ),
        (
            json!({"op": "create", "params": {"projectId": "p1"}, "body": ok}),
            json!({}),
            400,
            "/params/projectId",
            "format",
        ),
        (
            json!({"op": "update", "params": {"projectId": P}, "body": ok}),
            json!({}),
            400,
            "/params/groupId",
            "required",
        ),
        (
            json!({"op": "update", "params": {"projectId": P, "groupId": "g1"}, "body": ok}),
            json!({}),
            400,
            "/params/groupId",
            "format",
        ),
        (
            json!({"op": "update", "params": {"projectId": P, "groupId": G1}}),
            json!({}),
            400,
            "/body",
            "required",
        ),
        // name
        (
            update(json!({"description": "d"})),
            manager(),
            400,
            "/body/name",
            "required",
        ),
        (
            update(json!({"name": 1})),
            manager(),
            400,
            "/body/name",
            "type",
        ),
        (
            update(json!({"name": "a", "description": []})),
            manager(),
            400,
            "/body/description",
            "type",
        ),
        // permissions enum
        (
            update(json!({"name": "a", "permissions": ["documents", "docs:all"]})),
            manager(),
            400,
            "/body/permissions/1",
            "unknown_permission",
        ),
        (
            update(json!({"name": "a", "permissions": "owner"})),
            manager(),
            400,
            "/body/permissions",
            "type",
        ),
        // file permissions (the file-permission engine's codes)
        (
            update(
                json!({"name": "a", "filePermissions": [{"effect": "maybe", "actions": ["visible"], "patterns": "*"}]}),
            ),
            manager(),
            400,
            "/body/filePermissions/0/effect",
            "enum",
        ),
        (
            update(
                json!({"name": "a", "filePermissions": [{"actions": ["visible"], "patterns": "*"}]}),
            ),
            manager(),
            400,
            "/body/filePermissions/0/effect",
            "required",
        ),
        (
            update(
                json!({"name": "a", "filePermissions": [{"effect": "allow", "actions": ["read"], "patterns": "*"}]}),
            ),
            manager(),
            400,
            "/body/filePermissions/0/actions/0",
            "enum",
        ),
        (
            update(
                json!({"name": "a", "filePermissions": [{"effect": "allow", "actions": ["visible"], "patterns": "*"}, {"effect": "deny", "actions": ["visible"], "patterns": "src/[a-z"}]}),
            ),
            manager(),
            400,
            "/body/filePermissions/1/patterns",
            "glob.unclosed_class",
        ),
        (
            update(json!({"name": "a", "filePermissions": {}})),
            manager(),
            400,
            "/body/filePermissions",
            "type",
        ),
        // existence
        (
            json!({"op": "update", "params": {"projectId": P, "groupId": NEW}, "body": ok}),
            manager(),
            404,
            "/params/groupId",
            "not_found",
        ),
        (
            json!({"op": "delete", "params": {"projectId": P, "groupId": NEW}}),
            manager(),
            404,
            "/params/groupId",
            "not_found",
        ),
        (
            json!({"op": "create", "params": {"projectId": NEW}, "body": ok}),
            manager(),
            404,
            "/params/projectId",
            "not_found",
        ),
        // caller
        (
            update(ok.clone()),
            json!({"caller": {"permissions": ["documents"]}, "state": state()}),
            403,
            "",
            "forbidden",
        ),
        (
            update(ok.clone()),
            json!({"caller": {"groups": [G1]}, "state": state()}),
            403,
            "",
            "forbidden",
        ),
        (
            update(ok.clone()),
            json!({"caller": {"permissions": "owner"}}),
            400,
            "/context/caller/permissions",
            "type",
        ),
        // context
        (
            update(ok.clone()),
            json!({"state": {"groups": [{"id": G1, "permissions": ["root"]}]}}),
            400,
            "/context/state/groups/0/permissions/0",
            "unknown_permission",
        ),
        (
            update(ok.clone()),
            json!({"state": {"groups": [{"id": G1, "filePermissions": [{"effect": "allow", "patterns": "!x"}]}]}}),
            400,
            "/context/state/groups/0/filePermissions/0/patterns",
            "glob.negation",
        ),
        (
            update(ok.clone()),
            json!({"state": {"members": [{"id": "m"}]}}),
            400,
            "/context/state/members/0/groups",
            "required",
        ),
        (
            update(ok.clone()),
            json!({"files": ["a/../b"]}),
            400,
            "/context/files/0",
            "path.parent_segment",
        ),
    ];
    for (request, ctx, status, path, code) in cases {
        let verdict = v(request.clone(), ctx.clone());
        let e = verdict
            .errors
            .first()
            .unwrap_or_else(|| panic!("{request} {ctx}: no error"));
        assert_eq!(
            (verdict.status, e.path.as_str(), e.code),
            (status, path, code),
            "{request} {ctx}: {verdict:?}"
        );
    }
    let passing: Vec<(Value, Value, u16)> = vec![
        (create(ok.clone()), manager(), 200),
        (
            create(
                json!({"name": "x", "description": "", "permissions": [], "filePermissions": null}),
            ),
            json!({}),
            200,
        ),
        (
            update(json!({"name": "a", "permissions": GORULES_PERMISSIONS})),
            json!({"caller": {"groups": [G2]}, "state": state()}),
            200,
        ),
        (
            update(json!({"name": "a", "permissions": MANAGER})),
            manager(),
            200,
        ),
        (
            update(
                json!({"name": "a", "filePermissions": [{"id": "r1", "effect": "allow", "actions": ["visible", "modify"], "patterns": "src/**,docs/*.json"}]}),
            ),
            manager(),
            200,
        ),
        (
            update(ok.clone()),
            json!({"caller": {"groups": [G2]}, "state": state()}),
            200,
        ),
        (
            update(ok.clone()),
            json!({"caller": {"permissions": ["owner"]}}),
            200,
        ),
        (
            json!({"op": "delete", "params": {"projectId": P, "groupId": G2}}),
            manager(),
            200,
        ),
    ];
    for (request, ctx, status) in passing {
        let verdict = v(request.clone(), ctx.clone());
        assert!(verdict.ok, "{request} {ctx}: {verdict:?}");
        assert_eq!(verdict.status, status, "{request}");
    }
}

#[test]
fn several_faults_are_all_reported() {
    let verdict = v(
        json!({"op": "update", "params": {"projectId": "nope", "groupId": G1},
               "body": {"name": " ", "permissions": ["owner", 3, "x"],
                        "filePermissions": [{"effect": "allow", "actions": ["visible"], "patterns": "@(a|b)"}, {"effect": "deny", "actions": ["fly"]}]}}),
        json!({"caller": {"permissions": ["documents"]}}),
    );
    let got: Vec<_> = pairs(&verdict.errors);
    assert_eq!(
        got,
        [
            ("/params/projectId", "format"),
            ("", "forbidden"),
            ("/body/permissions/1", "type"),
            ("/body/permissions/2", "unknown_permission"),
            ("/body/filePermissions/0/patterns", "glob.extglob"),
            ("/body/filePermissions/1/actions/0", "enum"),
        ]
    );
    assert_eq!(verdict.status, 403);
}

#[test]
fn next_changes_and_warnings() {
    let verdict = v(
        update(
            json!({"name": "editors", "permissions": ["documents:full", "documents:view-content", "documents:full"]}),
        ),
        manager(),
    );
    assert!(verdict.ok, "{verdict:?}");
    assert_eq!(
        verdict.next,
        Some(json!({
            "id": G1, "name": "editors", "description": "writes rules", "projectId": P,
            "permissions": ["documents:full", "documents:view-content"],
            "filePermissions": [], "roleId": NEW, "role": null
        }))
    );
    assert_eq!(
        verdict.changes,
        Some(
            json!({"permissions": {"gained": ["documents:edit-view", "documents:full"], "lost": []}})
        )
    );
    let w: Vec<_> = pairs(&verdict.warnings);
    assert_eq!(
        w,
        [
            ("/body/permissions/2", "duplicate"),
            ("/body/permissions/1", "redundant"),
            ("/body/filePermissions", "cleared"),
        ]
    );

    // Without state an update's old permissions are unknown: escalation
    // is a warning then (the group may already hold owner).
    let verdict = v(
        update(
            json!({"name": "a", "permissions": ["owner"], "filePermissions": [{"effect": "allow", "actions": [], "patterns": "*"}]}),
        ),
        json!({"caller": {"permissions": ["project:manage"]}}),
    );
    let w: Vec<_> = pairs(&verdict.warnings);
    assert_eq!(
        w,
        [
            ("/body/permissions/0", "escalation"),
            ("/body/filePermissions/0", "lint.dead")
        ]
    );
    assert_eq!(verdict.skipped, ["state"]);

    let verdict = v(
        update(
            json!({"name": "a", "filePermissions": [{"effect": "deny", "actions": ["visible"], "patterns": "secrets/**"}]}),
        ),
        json!({}),
    );
    assert!(verdict.ok);
    assert_eq!(verdict.warnings[0].code, "rules.deny_only");
}

#[test]
fn files_whose_decision_flips_for_the_members() {
    let files = json!(["secrets/.env", "src/a.json", "README.md"]);
    // Before, G1's only rule is a deny, so ann (G1) sees nothing (default
    // deny). After, she may see everything and modify all but README.md;
    // write/delete still need documents:full. Bob is owner through G2:
    // nothing flips for him.
    let mut ctx = manager();
    ctx["files"] = files.clone();
    let verdict = v(
        update(json!({"name": "authors", "filePermissions": [
            {"effect": "allow", "actions": ["visible", "modify"], "patterns": "**"},
            {"effect": "deny", "actions": ["modify"], "patterns": "README.md"}
        ]})),
        ctx.clone(),
    );
    assert!(verdict.ok, "{verdict:?}");
    assert_eq!(
        verdict.changes.unwrap()["files"],
        json!([
            {"member": "ann", "path": "secrets/.env", "action": "visible", "before": false, "after": true},
            {"member": "ann", "path": "secrets/.env", "action": "modify", "before": false, "after": true},
            {"member": "ann", "path": "src/a.json", "action": "visible", "before": false, "after": true},
            {"member": "ann", "path": "src/a.json", "action": "modify", "before": false, "after": true},
            {"member": "ann", "path": "README.md", "action": "visible", "before": false, "after": true},
        ])
    );
    // Deleting the owners' group: bob and cy lose everything they could do
    // (bob keeps G1, whose lone deny rule now default-denies).
    let verdict = v(
        json!({"op": "delete", "params": {"projectId": P, "groupId": G2}}),
        ctx.clone(),
    );
    let changes = verdict.changes.unwrap();
    assert_eq!(
        changes["permissions"]["lost"].as_array().unwrap().len(),
        GORULES_PERMISSIONS.len()
    );
    let flips = changes["files"].as_array().unwrap();
    assert_eq!(flips.len(), 24, "{flips:?}");
    assert!(flips
        .iter()
        .all(|f| f["member"] != "ann" && f["before"] == true && f["after"] == false));
    assert_eq!(
        flips[0],
        json!({"member": "bob", "path": "secrets/.env", "action": "visible", "before": true, "after": false})
    );
    // A created group has no members yet.
    let verdict = v(
        create(json!({"name": "n", "permissions": ["documents"]})),
        ctx,
    );
    assert_eq!(verdict.changes.unwrap()["files"], json!([]));
}

#[test]
fn permissions_of_closes_over_groups_and_the_tree() {
    let st = state();
    let ctx = Context {
        state: Some(&st),
        ..Context::default()
    };
    let got = permissions_of(&json!({"groups": [G1], "permissions": ["releases"]}), &ctx).unwrap();
    assert_eq!(
        got,
        [
            "documents:edit-content",
            "documents:view-content",
            "releases",
            "releases:delete",
            "releases:deploy",
            "releases:manage"
        ]
    );
    assert_eq!(
        permissions_of(&json!({"groups": [G2]}), &ctx)
            .unwrap()
            .len(),
        GORULES_PERMISSIONS.len()
    );
    let err = permissions_of(&json!({"permissions": ["documents", "admin"]}), &ctx).unwrap_err();
    assert_eq!(
        (err.issues[0].path.as_str(), err.code()),
        ("/permissions/1", "unknown_permission")
    );
    let err = permissions_of(&json!({"groups": ["ghosts"]}), &ctx).unwrap_err();
    assert_eq!(err.code(), "not_found");
}

/// Junk at every position of the envelope and context never panics in
/// the four dialects of this family, and always gives a status.
#[test]
fn junk_never_panics() {
    let junk = [
        json!(null),
        json!(true),
        json!(-1.5),
        json!("x"),
        json!([]),
        json!({}),
        json!([null, 1, "a", {"name": []}]),
        json!({"name": {"a": [1]}, "id": 3, "groups": "x", "roles": {}, "permissions": [[]]}),
        json!({"groups": [{"id": G1, "name": 1, "filePermissions": [{"effect": "deny", "patterns": [1, "[", "**"]}]}], "members": [{"id": 1, "groups": [G1]}]}),
    ];
    for dialect in ["frontier", "apinizer", "conductor", "gorules"] {
        for op in ["create", "update", "delete"] {
            for a in &junk {
                for b in &junk {
                    let req = json!({"op": op, "params": a, "body": b});
                    let ctx = json!({"state": a, "caller": b, "catalog": a, "files": b});
                    // Ill-typed context members are an error, never a panic.
                    if let Ok(verdict) = run(dialect, &req, &ctx) {
                        assert!([200, 201, 400, 403, 404, 409].contains(&verdict.status));
                    }
                    let req = json!({"op": op, "params": {"projectId": P, "groupId": G1, "org_id": "o", "id": "g", "projectName": "p"}, "body": b});
                    let ctx = json!({"state": b, "caller": a, "files": a});
                    let _ = run(dialect, &req, &ctx);
                    let _ = crate::dialects::permissions_of(dialect, a, &ctx);
                }
            }
        }
    }
}

/// The API types `patterns` as a string: an array is a 400 in `validate`
/// (a `FilePolicy` still accepts arrays); other faults are still reported.
#[test]
fn pattern_arrays_are_a_400() {
    let verdict = v(
        update(json!({"name": "a", "filePermissions": [
            {"effect": "allow", "actions": ["visible"], "patterns": ["rules/**"]},
            {"effect": "maybe", "actions": ["visible"], "patterns": "x/**"}
        ]})),
        manager(),
    );
    let got: Vec<_> = pairs(&verdict.errors);
    assert_eq!(
        got,
        [
            ("/body/filePermissions/0/patterns", "type"),
            ("/body/filePermissions/1/effect", "enum"),
        ]
    );
    assert_eq!(verdict.status, 400);
}

/// Issue 11.1: a caller group of project B (with `owner`) granted an update
/// and a delete of a group of project A.
#[test]
fn caller_groups_count_only_in_the_project_of_the_request() {
    const B: &str = "22222222-2222-4222-8222-222222222222";
    const GB: &str = "dddddddd-dddd-4ddd-8ddd-dddddddddddd";
    let mut st = state();
    st["groups"]
        .as_array_mut()
        .unwrap()
        .push(json!({"id": GB, "name": "b-owners", "projectId": B, "permissions": ["owner"]}));
    let ctx = json!({"caller": {"groups": [GB]}, "state": st});
    for request in [
        update(json!({"name": "a"})),
        json!({"op": "delete", "params": {"projectId": P, "groupId": G1}}),
    ] {
        let verdict = v(request.clone(), ctx.clone());
        assert_eq!(verdict.status, 403, "{request}: {verdict:?}");
        assert_eq!(verdict.warnings[0].code, "other_project");
    }
    // The same group in the request's project grants.
    let verdict = v(
        update(json!({"name": "a"})),
        json!({"caller": {"groups": [G2]}, "state": state()}),
    );
    assert!(verdict.ok, "{verdict:?}");
    // permissionsOf applies the same rule.
    let st2 = ctx["state"].clone();
    let c = Context {
        state: Some(&st2),
        ..Context::default()
    };
    let err = permissions_of(&json!({"groups": [GB]}), &c).unwrap_err();
    assert_eq!(err.code(), "not_found");
}

/// Issue 11.3: `permissionsOf` resolved an unknown id by group *name*.
#[test]
fn permissions_of_resolves_groups_by_id_only() {
    let st = json!({"groups": [{"id": G1, "name": G2, "permissions": ["owner"]}]});
    let ctx = Context {
        state: Some(&st),
        ..Context::default()
    };
    let err = permissions_of(&json!({"groups": [G2]}), &ctx).unwrap_err();
    assert_eq!(
        (err.issues[0].path.as_str(), err.code()),
        ("/groups/0", "not_found")
    );
    assert_eq!(
        permissions_of(&json!({"groups": [G1]}), &ctx)
            .unwrap()
            .len(),
        GORULES_PERMISSIONS.len()
    );
}

/// A UUID names one group in any case, in `permissionsOf` as in
/// `validate` (target, caller groups, members): an upper-case caller group
/// granted nothing in both (a false 403), where the target was found.
#[test]
fn permissions_of_reads_a_uuid_in_any_case() {
    let st = state();
    let ctx = Context {
        state: Some(&st),
        ..Context::default()
    };
    let upper = G2.to_ascii_uppercase();
    assert_eq!(
        permissions_of(&json!({"groups": [upper]}), &ctx).unwrap(),
        permissions_of(&json!({"groups": [G2]}), &ctx).unwrap()
    );
    // Not a UUID: written as given (a product id is a UUID; nothing else folds).
    let st = json!({"groups": [{"id": "g", "permissions": ["owner"]}]});
    let ctx = Context {
        state: Some(&st),
        ..Context::default()
    };
    assert_eq!(
        permissions_of(&json!({"groups": ["G"]}), &ctx)
            .unwrap_err()
            .code(),
        "not_found"
    );
}

/// Issue 11.4: a `project:manage` caller giving a group `owner` was only a
/// warning. The products are silent; groupgate refuses a grant beyond what
/// the caller holds (403 `escalation`), and allows re-sending what the
/// group already has.
#[test]
fn a_caller_grants_only_what_it_holds() {
    let only_manage = json!({"caller": {"permissions": ["project:manage"]}, "state": state()});
    let verdict = v(
        update(json!({"name": "a", "permissions": ["owner"]})),
        only_manage.clone(),
    );
    assert_eq!(verdict.status, 403);
    assert_eq!(
        (verdict.errors[0].path.as_str(), verdict.errors[0].code),
        ("/body/permissions/0", "escalation")
    );
    let verdict = v(
        create(json!({"name": "n", "permissions": ["documents:view-content"]})),
        only_manage.clone(),
    );
    assert_eq!(verdict.status, 403, "{verdict:?}");
    // G1 already holds documents:edit-content: keeping it is no grant.
    let verdict = v(
        update(json!({"name": "a", "permissions": ["documents:edit-content", "project:manage"]})),
        only_manage,
    );
    assert!(verdict.ok, "{verdict:?}");
    let verdict = v(
        create(json!({"name": "n", "permissions": ["owner"]})),
        json!({"caller": {"groups": [G2]}, "state": state()}),
    );
    assert!(verdict.ok, "an owner may grant owner: {verdict:?}");
}

/// Issue 11.6: a refused caller made the validator lint 100,000 rules (47 s).
/// The product stops at the refusal; so does the lint.
#[test]
fn a_refused_caller_gets_no_rule_lint() {
    let rules: Vec<Value> = (0..100_000)
        .map(|i| json!({"effect": "allow", "actions": ["visible"], "patterns": format!("d{i}/**")}))
        .collect();
    let started = cpu::cpu_ms();
    let verdict = v(
        update(json!({"name": "a", "filePermissions": rules})),
        json!({"caller": {"permissions": ["documents"]}, "state": state(), "files": ["d1/a.json"]}),
    );
    let took = (cpu::cpu_ms() - started) / 1e3;
    assert_eq!(verdict.status, 403);
    assert!(
        verdict
            .warnings
            .iter()
            .all(|w| !w.code.starts_with("lint.")),
        "{:?}",
        verdict.warnings.first()
    );
    assert!(took < 30.0, "took {took:.2} s CPU");
    // A dead rule is reported for a permitted caller, not for a refused one.
    let dead = json!({"name": "a", "filePermissions": [{"effect": "allow", "actions": [], "patterns": "*"}]});
    let permitted = v(update(dead.clone()), manager());
    assert!(permitted.warnings.iter().any(|w| w.code == "lint.dead"));
    let refused = v(
        update(dead),
        json!({"caller": {"permissions": []}, "state": state()}),
    );
    assert!(refused.warnings.iter().all(|w| w.code != "lint.dead"));
}

/// A group of 100,000 permissions listed 100,000 times by the caller (or a
/// `permissionsOf` subject) is read once: 10^10 steps before.
#[test]
fn repeated_caller_groups_are_read_once() {
    let n = 100_000;
    let st =
        json!({"groups": [{"id": G2, "name": "big", "permissions": vec!["project:manage"; n]}]});
    let ids = vec![G2; n];
    let started = cpu::cpu_ms();
    let verdict = v(
        update(json!({"name": "a"})),
        json!({"caller": {"groups": ids.clone()}, "state": st.clone()}),
    );
    assert_eq!(verdict.status, 404, "G1 is not in this state: {verdict:?}");
    assert!(verdict.errors.iter().all(|e| e.code != "forbidden"));
    let c = Context {
        state: Some(&st),
        ..Context::default()
    };
    let got = permissions_of(&json!({"groups": ids}), &c).unwrap();
    assert_eq!(got, ["project:manage"]);
    let took = (cpu::cpu_ms() - started) / 1e3;
    assert!(took < 30.0, "took {took:.2} s CPU");
}

#[test]
fn file_flips_are_bounded_and_members_with_the_same_groups_are_checked_once() {
    // 2,000 members of the owners' group × 50 files × 4 actions would list
    // 400,000 flips (members × files: a product of two request sizes). The
    // list stops at MAX_FLIPS and says so; the 2,000 identical group lists
    // are one check per file.
    let mut st = state();
    st["members"] = json!((0..2_000)
        .map(|i| json!({"id": format!("m{i}"), "groups": [G2]}))
        .collect::<Vec<_>>());
    let files: Vec<String> = (0..50).map(|i| format!("src/f{i}.json")).collect();
    let ctx = json!({"caller": {"permissions": MANAGER}, "state": st, "files": files});
    let verdict = v(
        json!({"op": "delete", "params": {"projectId": P, "groupId": G2}}),
        ctx,
    );
    let changes = verdict.changes.expect("changes");
    let flips = changes["files"].as_array().unwrap();
    assert_eq!(flips.len(), super::rules::MAX_FLIPS);
    assert_eq!(
        flips[0],
        json!({"member": "m0", "path": "src/f0.json", "action": "visible", "before": true, "after": false})
    );
    assert_eq!(flips[200]["member"], "m1");
    assert_eq!(verdict.skipped, ["changes.files"]);
    assert!(!verdict.complete);
    assert!(verdict
        .warnings
        .iter()
        .any(|w| w.code == "changes.truncated"));
}
