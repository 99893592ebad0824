//! A state's own members misspelled (atk7, session 13). The readers refused
//! near misses of a state group's and a member's members, but skipped those
//! of the state itself: Baseten `"Keys"` or `"key"` dropped every API key,
//! so a `models: []` update reported no key losing access; GoRules
//! `"project_version": "v2"` read the project as v1 and `"member"` dropped
//! every member, so `changes.files` said no file decision flips for a change
//! that lets a member modify every file. Each is now 400 `unknown_field` at
//! the member (thrown by `Workspace`), as a group's near misses are.

use groupgate::{validate, Workspace};
use serde_json::{json, Value};

fn baseten_state(keys_member: &str) -> Value {
    let mut st = json!({"groups": [{
        "id": "t",
        "metadata": {"external_entity_id": "t"},
        "hierarchy": {"limit_enforcement": "INDEPENDENT", "parent_group_id": null},
        "models": [{"slug": "m/a"}],
    }]});
    st[keys_member] = json!([{"prefix": "k", "group_id": "t"}]);
    st
}

/// Asserts that `v` refuses with `unknown_field` at `path`.
#[track_caller]
fn refused(v: &groupgate::Verdict, path: &str) {
    assert!(
        v.errors
            .iter()
            .any(|i| i.path == path && i.code == "unknown_field"),
        "{path}: {:?}",
        errors(v)
    );
}

fn errors(v: &groupgate::Verdict) -> Vec<(String, String)> {
    v.errors
        .iter()
        .map(|i| (i.path.clone(), i.code.to_string()))
        .collect()
}

#[test]
fn baseten_state_members_misspelled_are_refused() {
    let request = json!({"op": "update", "params": {"group_id": "t"}, "body": {"models": []}});
    let caller = json!({"scope": "management"});
    let right = validate(
        "baseten",
        &request,
        &json!({"caller": caller, "state": baseten_state("keys")}),
    )
    .unwrap();
    assert_eq!(right.status, 200);
    let keys = right.changes.as_ref().unwrap()["keys"].clone();
    assert_eq!(keys[0]["lost"], json!(["m/a"]), "{keys}");
    for member in ["Keys", "key", "KEYS", "Group", "groups_"] {
        let mut st = baseten_state(member);
        if member.starts_with('G') || member.starts_with('g') {
            st[member] = json!([]);
            st["keys"] = json!([]);
        }
        let v = validate("baseten", &request, &json!({"caller": caller, "state": st})).unwrap();
        assert_eq!(v.status, 400, "{member}: {:?}", errors(&v));
        refused(&v, &format!("/context/state/{member}"));
        let e = Workspace::from_json(&st).expect_err(member);
        assert!(
            e.issues
                .iter()
                .any(|i| i.path == format!("/{member}") && i.code == "unknown_field"),
            "{member}: {:?}",
            e.issues
        );
        let e = Workspace::from_json_text(&st.to_string(), Default::default()).err();
        assert!(e.is_some(), "{member}: the text reader skipped it");
    }
    // Other members are still skipped (a saved API answer carries more).
    let mut st = baseten_state("keys");
    st["next_page"] = json!("x");
    assert!(Workspace::from_json(&st).is_ok());
    assert!(Workspace::from_json_text(&st.to_string(), Default::default()).is_ok());
}

#[test]
fn gorules_state_members_misspelled_are_refused() {
    const P: &str = "6f1c2a7e-4b1d-4a8e-9c3f-0d2b5e7a9c11";
    const G: &str = "0b9d4e2f-7a6c-4f1e-8d3b-5c2a1e9f7d44";
    let request = json!({"op": "update", "params": {"projectId": P, "groupId": G}, "body": {
        "name": "a", "permissions": ["branches"],
        "filePermissions": [{"effect": "allow", "actions": ["visible", "modify"], "patterns": "**"}]}});
    let context = |state: Value| json!({"caller": {"admin": true}, "files": ["x"], "state": state});
    let state = json!({"projectVersion": "v2", "groups": [{"id": G, "name": "a"}], "members": [{"id": "m", "groups": [G]}]});
    let right = validate("gorules", &request, &context(state.clone())).unwrap();
    assert_eq!(right.status, 200);
    assert_eq!(
        right.changes.as_ref().unwrap()["files"]
            .as_array()
            .map(Vec::len),
        Some(1)
    );
    for (from, to) in [
        ("projectVersion", "project_version"),
        ("projectVersion", "ProjectVersion"),
        ("members", "member"),
        ("members", "Members"),
        ("groups", "Groups"),
    ] {
        let mut st = state.clone();
        let v = st.as_object_mut().unwrap().remove(from).unwrap();
        st[to] = v;
        let verdict = validate("gorules", &request, &context(st)).unwrap();
        refused(&verdict, &format!("/context/state/{to}"));
        assert!(!verdict.ok, "{to}");
    }
    let mut st = state;
    st["project_id"] = json!("other");
    let verdict = validate("gorules", &request, &context(st)).unwrap();
    refused(&verdict, "/context/state/project_id");
}

/// Frontier: a misspelled `metaschema` validated metadata against the
/// default schema (a complete 200 where the org's schema, and so the
/// server, refuses it: 400 "metadata schema validation failed"), and a
/// misspelled `groups` let a taken name pass (200 where the server answers
/// 409). Apinizer: a misspelled `groups` let a taken name pass (200 where
/// the server answers 400 "is already created").
#[test]
fn frontier_and_apinizer_state_members_misspelled_are_refused() {
    let schema = json!({"type": "object", "required": ["label"], "properties": {"label": {"type": "string"}}});
    let create = json!({"op": "create", "params": {"org_id": "acme"}, "body": {"name": "x", "metadata": {}}});
    let caller = json!({"orgRoles": ["app_organization_owner"]});
    let frontier = |state: Value| {
        validate(
            "frontier",
            &create,
            &json!({"caller": caller, "state": state}),
        )
        .unwrap()
    };
    let right = frontier(json!({"org": {"id": "acme"}, "groups": [], "metaschema": schema}));
    assert_eq!(right.status, 400);
    let taken = frontier(json!({"org": {"id": "acme"}, "groups": [{"id": "1", "name": "x"}]}));
    assert_eq!(taken.status, 409);
    for (member, state) in [
        (
            "metaSchema",
            json!({"org": {"id": "acme"}, "groups": [], "metaSchema": schema}),
        ),
        (
            "meta_schema",
            json!({"org": {"id": "acme"}, "groups": [], "meta_schema": schema}),
        ),
        (
            "Groups",
            json!({"org": {"id": "acme"}, "Groups": [{"id": "1", "name": "x"}]}),
        ),
        (
            "Org",
            json!({"Org": {"id": "acme", "disabled": true}, "groups": []}),
        ),
    ] {
        let v = frontier(state);
        assert!(!v.ok, "{member}");
        refused(&v, &format!("/context/state/{member}"));
    }
    let apinizer = |state: Value| {
        validate(
            "apinizer",
            &json!({"op": "create", "params": {"projectName": "p"}, "body": {"name": "o", "clientRoute": {"relativePathList": ["/a"]}}}),
            &json!({"caller": {"roles": ["Project Owner"]}, "state": state}),
        )
        .unwrap()
    };
    assert_eq!(apinizer(json!({"groups": [{"name": "o"}]})).status, 400);
    for member in ["Groups", "group", "Environment"] {
        let mut state = json!({"groups": []});
        state[member] = json!([{"name": "o"}]);
        let v = apinizer(state);
        assert!(!v.ok, "{member}");
        refused(&v, &format!("/context/state/{member}"));
    }
}

/// Conductor: a misspelled `groups` made every group new (an update of an
/// existing group warned `created`, and its `next` dropped what the PUT
/// keeps).
#[test]
fn conductor_state_groups_misspelled_is_refused() {
    let v = validate(
        "conductor",
        &json!({"op": "update", "params": {"id": "a"}, "body": {"description": "d"}}),
        &json!({"caller": {"admin": true}, "state": {"Groups": [{"id": "a", "description": "old"}]}}),
    )
    .unwrap();
    refused(&v, "/context/state/Groups");
}

/// Frontier: a state org's or group's `Disabled` or `State` (a near miss of
/// `disabled`, `state`) was skipped, so a disabled org or group counted as
/// enabled: a complete 200 where the server answers 400 (disabled org) or
/// 404 (disabled group).
#[test]
fn frontier_state_org_and_group_members_misspelled_are_refused() {
    const U: &str = "9a0c0000-0000-4000-8000-000000000009";
    const O: &str = "1a0c0000-0000-4000-8000-000000000001";
    let create = |org: Value| {
        validate(
            "frontier",
            &json!({"op": "create", "params": {"org_id": O}, "body": {"name": "x"}}),
            &json!({"caller": {"orgRoles": ["app_organization_owner"]}, "state": {"org": org, "groups": []}}),
        )
        .unwrap()
    };
    let update = |group: Value| {
        validate(
            "frontier",
            &json!({"op": "update", "params": {"id": U}, "body": {"name": "x"}}),
            &json!({"caller": {"superuser": true}, "state": {"org": {"id": O}, "groups": [group]}}),
        )
        .unwrap()
    };
    assert_eq!(create(json!({"id": O, "disabled": true})).status, 400);
    assert_eq!(
        update(json!({"id": U, "name": "x", "org_id": O, "state": "disabled"})).status,
        404
    );
    for (member, value) in [("Disabled", json!(true)), ("State", json!("disabled"))] {
        let mut org = json!({"id": O});
        org[member] = value.clone();
        let v = create(org);
        refused(&v, &format!("/context/state/org/{member}"));
        let mut group = json!({"id": U, "name": "x", "org_id": O});
        group[member] = value;
        let v = update(group);
        refused(&v, &format!("/context/state/groups/0/{member}"));
    }
    // Members read by no check stay skipped (a group saved from the API).
    assert_eq!(
        update(json!({"id": U, "name": "x", "org_id": O, "created_at": "t"})).status,
        200
    );
}
