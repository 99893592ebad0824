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
        assert!(
            errors(&v).contains(&(format!("/context/state/{member}"), "unknown_field".into())),
            "{member}: {:?}",
            errors(&v)
        );
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
        assert!(
            errors(&verdict).contains(&(format!("/context/state/{to}"), "unknown_field".into())),
            "{to}: {:?}",
            errors(&verdict)
        );
        assert!(!verdict.ok, "{to}");
    }
    let mut st = state;
    st["project_id"] = json!("other");
    let verdict = validate("gorules", &request, &context(st)).unwrap();
    assert!(
        errors(&verdict).contains(&("/context/state/project_id".into(), "unknown_field".into())),
        "{:?}",
        errors(&verdict)
    );
}
