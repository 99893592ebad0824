//! One reader for `context` behind `validate` and `permissions_of`: the
//! engine's own input, so an unusable context is an error (never a verdict
//! that silently skipped checks).
//! decided: README §Codes (context errors).

use groupgate::{permissions_of, validate};
use serde_json::{json, Value};

fn pairs(e: &groupgate::GroupgateError) -> Vec<(&str, &str)> {
    e.issues.iter().map(|i| (i.path.as_str(), i.code)).collect()
}

const DIALECTS: [&str; 5] = ["baseten", "frontier", "apinizer", "conductor", "gorules"];

fn request() -> Value {
    json!({"op": "delete", "params": {"group_id": "g", "id": "g", "org_id": "o", "projectName": "p",
           "projectId": "11111111-1111-4111-8111-111111111111", "groupId": "11111111-1111-4111-8111-111111111111"}})
}

#[test]
fn a_typo_in_context_is_an_unknown_field_for_both_entry_points() {
    let ctx = json!({"caler": {"admin": true}, "state": null});
    for d in DIALECTS {
        let e = validate(d, &request(), &ctx).unwrap_err();
        assert_eq!(pairs(&e), [("/context/caler", "unknown_field")], "{d}");
        let e = permissions_of(d, &json!({}), &ctx).unwrap_err();
        assert_eq!(pairs(&e), [("/context/caler", "unknown_field")], "{d}");
    }
}

#[test]
fn ill_typed_members_are_all_reported_at_their_pointers() {
    let ctx =
        json!({"state": 5, "caller": "x", "catalog": [], "files": {}, "limits": {"maxDepth": -1}});
    for d in DIALECTS {
        let e = validate(d, &request(), &ctx).unwrap_err();
        let mut got = pairs(&e);
        got.sort_unstable();
        assert_eq!(
            got,
            [
                ("/context/caller", "type"),
                ("/context/catalog", "type"),
                ("/context/files", "type"),
                ("/context/limits/maxDepth", "type"),
                ("/context/state", "type"),
            ],
            "{d}"
        );
    }
    for bad in [json!(5), json!("ctx"), json!([])] {
        let e = validate("conductor", &request(), &bad).unwrap_err();
        assert_eq!(pairs(&e), [("/context", "type")]);
    }
}

#[test]
fn permissions_of_reads_context_limits_too() {
    // Before the one reader, permissions_of ignored context.limits entirely.
    let e = permissions_of(
        "conductor",
        &json!({"roles": ["USER"]}),
        &json!({"limits": [1]}),
    )
    .unwrap_err();
    assert_eq!(pairs(&e), [("/context/limits", "type")]);
    let ok = permissions_of(
        "conductor",
        &json!({"roles": ["USER"]}),
        &json!({"limits": {"maxDepth": 3}, "caller": null}),
    );
    assert!(ok.is_ok());
}

#[test]
fn null_members_are_absent_and_an_unknown_dialect_is_an_error() {
    let ctx =
        json!({"state": null, "caller": null, "catalog": null, "files": null, "limits": null});
    for d in DIALECTS {
        assert!(validate(d, &request(), &ctx).is_ok(), "{d}");
    }
    let e = validate("nope", &request(), &Value::Null).unwrap_err();
    assert_eq!(pairs(&e), [("/dialect", "unknown_dialect")]);
    let e = permissions_of("nope", &json!({}), &Value::Null).unwrap_err();
    assert_eq!(pairs(&e), [("/dialect", "unknown_dialect")]);
}

/// A thrown error lists issues as a verdict does (README "Verdicts": 100 of
/// a code, then one summary counting the rest): 1,000 bad catalog entries
/// are 101 issues, not 1,000.
#[test]
fn a_thrown_error_lists_100_issues_of_a_code_then_a_summary() {
    let roles: serde_json::Map<String, Value> =
        (0..1000).map(|i| (format!("r{i}"), json!(5))).collect();
    let ctx = json!({"catalog": {"roles": roles}});
    for d in ["frontier", "apinizer", "conductor"] {
        let e = permissions_of(d, &json!({"roles": ["r1"]}), &ctx).unwrap_err();
        assert_eq!(e.issues.len(), 101, "{d}");
        assert!(e.issues.iter().all(|i| i.code == "type"), "{d}");
        assert!(e.issues[..100].iter().all(|i| i.omitted.is_none()), "{d}");
        assert_eq!(e.issues[100].omitted, Some(900), "{d}");
        assert!(e.to_string().ends_with("(and 999 more)"), "{d}: {e}");
    }
}

/// A Conductor state group whose `roles` is one name, not a list: `validate`
/// refuses it (`type`), and so does `permissions_of` (it read the group as
/// holding no role: an ADMIN group granted nothing, silently). Found by
/// atk3 (session 11).
#[test]
fn a_conductor_state_role_list_is_read_alike_by_both_entry_points() {
    let state = json!({"groups": [{"id": "w", "description": "x", "roles": "ADMIN"}]});
    let at = ("/context/state/groups/0/roles", "type");
    let req = json!({"op": "update", "params": {"id": "w"}, "body": {"description": "d"}});
    let v = validate(
        "conductor",
        &req,
        &json!({"state": state, "caller": {"admin": true}}),
    )
    .unwrap();
    let got: Vec<_> = v.errors.iter().map(|i| (i.path.as_str(), i.code)).collect();
    assert_eq!(got, [at]);
    let e = permissions_of(
        "conductor",
        &json!({"groups": ["w"]}),
        &json!({"state": state}),
    )
    .unwrap_err();
    assert_eq!(pairs(&e), [at]);
    let listed = json!({"state": {"groups": [{"id": "w", "roles": ["METADATA_API"]}]}});
    let p = permissions_of("conductor", &json!({"groups": ["w"]}), &listed).unwrap();
    assert!(!p.is_empty());
}
