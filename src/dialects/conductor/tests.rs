//! Unit tests of the `conductor` validator.
use super::*;
use crate::dialects::validate as run;
use serde_json::json;

/// `(path, code)` of some issues, in order.
fn pairs(issues: &[crate::verdict::Issue]) -> Vec<(&str, &'static str)> {
    issues.iter().map(|i| (i.path.as_str(), i.code)).collect()
}

fn v(req: Value, ctx: Value) -> Verdict {
    run("conductor", &req, &ctx).expect("a usable context")
}

fn admin() -> Value {
    json!({"caller": {"admin": true}})
}

fn first(verdict: &Verdict) -> (u16, &str, &str) {
    let e = verdict.errors.first().expect("an error");
    (verdict.status, e.path.as_str(), e.code)
}

#[test]
fn seed_create_example_gives_the_seed_response() {
    let verdict = v(
        json!({"op": "create", "params": {"id": "TechWriters"},
               "body": {"description": "A dedicated group for testing", "roles": ["ADMIN"]}}),
        admin(),
    );
    assert!(verdict.ok, "{verdict:?}");
    assert_eq!(verdict.status, 200, "ORK-OAS upsertGroup lists only 200");
    let want = json!({
        "id": "TechWriters",
        "description": "A dedicated group for testing",
        "roles": [{"name": "ADMIN", "permissions": [
            {"name": "AUTHORIZATION_MANAGEMENT"}, {"name": "WORKFLOW_SEARCH"},
            {"name": "PUBLISHER_MANAGEMENT"}, {"name": "API_GATEWAY_VIEW"},
            {"name": "API_GATEWAY_MANAGEMENT"}, {"name": "WORKFLOW_MANAGEMENT"},
            {"name": "PROMPT_MANAGEMENT"}, {"name": "EVENT_HANDLER_MANAGEMENT"},
            {"name": "USER_MANAGEMENT"}, {"name": "PERMISSION_MANAGEMENT"},
            {"name": "METADATA_VIEW"}, {"name": "ADMIN_MANAGEMENT"},
            {"name": "METADATA_MANAGEMENT"}, {"name": "APPLICATION_MANAGEMENT"},
            {"name": "BULK_MANAGEMENT"}, {"name": "SCHEDULE_MANAGEMENT"}
        ]}],
        "defaultAccess": {},
        "contactInformation": {}
    });
    assert_eq!(verdict.next, Some(want));
    assert_eq!(verdict.skipped, ["state"]);
}

#[test]
fn seed_update_example_gives_the_seed_response_and_changes() {
    let state = json!({"groups": [{"id": "TechWriters", "description": "A dedicated group for testing", "roles": ["ADMIN"]}]});
    let verdict = v(
        json!({"op": "update", "params": {"id": "TechWriters"},
               "body": {"description": "A dedicated group for testing for tech writers", "roles": ["METADATA_MANAGER"]}}),
        json!({"caller": {"roles": ["ADMIN"]}, "state": state}),
    );
    assert!(verdict.ok, "{verdict:?}");
    assert_eq!(verdict.status, 200);
    let want = json!({
        "id": "TechWriters",
        "description": "A dedicated group for testing for tech writers",
        "roles": [{"name": "METADATA_MANAGER", "permissions": [
            {"name": "API_GATEWAY_VIEW"}, {"name": "API_GATEWAY_MANAGEMENT"},
            {"name": "CREATE_INTEGRATION"}, {"name": "CREATE_SECRET"},
            {"name": "METADATA_VIEW"}, {"name": "METADATA_MANAGEMENT"}
        ]}],
        "defaultAccess": {},
        "contactInformation": {}
    });
    assert_eq!(verdict.next, Some(want));
    let changes = verdict.changes.unwrap();
    assert_eq!(
        changes["roles"],
        json!({"added": ["METADATA_MANAGER"], "removed": ["ADMIN"]})
    );
    assert_eq!(
        changes["permissions"]["gained"],
        json!(["CREATE_INTEGRATION", "CREATE_SECRET"])
    );
    assert_eq!(changes["permissions"]["lost"].as_array().unwrap().len(), 12);
}

#[test]
fn one_failing_and_one_passing_case_per_rule() {
    let ok_body = json!({"description": "d", "roles": ["USER"]});
    // (request, context, status, path, code)
    let cases: Vec<(Value, Value, u16, &str, &str)> = vec![
        // admin only
        (
            json!({"op": "create", "params": {"id": "g"}, "body": ok_body}),
            json!({"caller": {"admin": false, "roles": ["USER"]}}),
            403,
            "",
            "forbidden",
        ),
        // id required
        (
            json!({"op": "create", "body": ok_body}),
            admin(),
            400,
            "/params/id",
            "required",
        ),
        (
            json!({"op": "create", "params": {"id": " "}, "body": ok_body}),
            admin(),
            400,
            "/params/id",
            "required",
        ),
        // body required
        (
            json!({"op": "create", "params": {"id": "g"}}),
            admin(),
            400,
            "/body",
            "required",
        ),
        (
            json!({"op": "create", "params": {"id": "g"}, "body": []}),
            admin(),
            400,
            "/body",
            "type",
        ),
        // description required, a string
        (
            json!({"op": "create", "params": {"id": "g"}, "body": {"roles": []}}),
            admin(),
            400,
            "/body/description",
            "required",
        ),
        (
            json!({"op": "create", "params": {"id": "g"}, "body": {"description": 1, "roles": []}}),
            admin(),
            400,
            "/body/description",
            "type",
        ),
        // roles optional, an array of known names (or one name)
        (
            json!({"op": "create", "params": {"id": "g"}, "body": {"description": "d", "roles": {"ADMIN": true}}}),
            admin(),
            400,
            "/body/roles",
            "type",
        ),
        (
            json!({"op": "create", "params": {"id": "g"}, "body": {"description": "d", "roles": ["USER", "ROOT"]}}),
            admin(),
            400,
            "/body/roles/1",
            "unknown_role",
        ),
        (
            json!({"op": "create", "params": {"id": "g"}, "body": {"description": "d", "roles": [3]}}),
            admin(),
            400,
            "/body/roles/0",
            "type",
        ),
        // defaultAccess targets and kinds
        (
            json!({"op": "create", "params": {"id": "g"}, "body": {"description": "d", "roles": [], "defaultAccess": {"WORKFLOW": ["READ"]}}}),
            admin(),
            400,
            "/body/defaultAccess/WORKFLOW",
            "enum",
        ),
        (
            json!({"op": "create", "params": {"id": "g"}, "body": {"description": "d", "roles": [], "defaultAccess": {"TASK_DEF": ["READ", "RUN"]}}}),
            admin(),
            400,
            "/body/defaultAccess/TASK_DEF/1",
            "enum",
        ),
        (
            json!({"op": "create", "params": {"id": "g"}, "body": {"description": "d", "roles": [], "defaultAccess": {"TASK_DEF": "READ"}}}),
            admin(),
            400,
            "/body/defaultAccess/TASK_DEF",
            "type",
        ),
        (
            json!({"op": "create", "params": {"id": "g"}, "body": {"description": "d", "roles": [], "defaultAccess": []}}),
            admin(),
            400,
            "/body/defaultAccess",
            "type",
        ),
        // delete of a missing group
        (
            json!({"op": "delete", "params": {"id": "nope"}}),
            json!({"caller": {"admin": true}, "state": {"groups": []}}),
            404,
            "/params/id",
            "not_found",
        ),
        // malformed context
        (
            json!({"op": "create", "params": {"id": "g"}, "body": ok_body}),
            json!({"caller": {"admin": "yes"}}),
            400,
            "/context/caller/admin",
            "type",
        ),
        (
            json!({"op": "create", "params": {"id": "g"}, "body": ok_body}),
            json!({"state": {"groups": [{"name": "x"}]}}),
            400,
            "/context/state/groups/0/id",
            "required",
        ),
        (
            json!({"op": "create", "params": {"id": "g"}, "body": ok_body}),
            json!({"catalog": {"roles": {"R": "x"}}}),
            400,
            "/context/catalog/roles/R",
            "type",
        ),
    ];
    for (req, ctx, status, path, code) in cases {
        let verdict = v(req.clone(), ctx.clone());
        assert_eq!(
            first(&verdict),
            (status, path, code),
            "{req} {ctx}: {verdict:?}"
        );
        assert!(!verdict.ok && verdict.next.is_none());
    }
    let passing: Vec<(Value, Value, u16)> = vec![
        (
            json!({"op": "create", "params": {"id": "g"}, "body": ok_body}),
            admin(),
            200,
        ),
        (
            json!({"op": "update", "params": {"id": "g"}, "body": {"description": "", "roles": []}}),
            admin(),
            200,
        ),
        (
            json!({"op": "create", "params": {"id": "g"}, "body": {"description": "d", "roles": ["WORKER", "METADATA_API"], "defaultAccess": {"WORKFLOW_DEF": ["READ", "EXECUTE"], "TASK_DEF": []}}}),
            admin(),
            200,
        ),
        (
            json!({"op": "delete", "params": {"id": "g"}}),
            json!({"caller": {"admin": true}, "state": {"groups": [{"id": "g", "roles": ["USER"]}]}}),
            200,
        ),
        // one role name, as the official JavaScript SDK sends it
        (
            json!({"op": "create", "params": {"id": "g"}, "body": {"description": "d", "roles": "ADMIN"}}),
            admin(),
            200,
        ),
        (
            json!({"op": "create", "params": {"id": "g"}, "body": {"description": "d", "roles": ["MY_ROLE"]}}),
            json!({"caller": {"admin": true}, "catalog": {"roles": {"MY_ROLE": ["CREATE_SECRET"]}}}),
            200,
        ),
    ];
    for (req, ctx, status) in passing {
        let verdict = v(req.clone(), ctx.clone());
        assert!(verdict.ok, "{req} {ctx}: {verdict:?}");
        assert_eq!(verdict.status, status, "{req}");
    }
}

#[test]
fn roles_are_optional_and_user_read_only_is_exclusive() {
    let verdict = v(
        json!({"op": "create", "params": {"id": "G"}, "body": {"description": "d"}}),
        admin(),
    );
    assert!(verdict.ok, "ORK-OAS requires only description: {verdict:?}");
    assert_eq!(verdict.next.unwrap()["roles"], json!([]));
    let state = json!({"groups": [{"id": "G", "roles": ["USER"]}]});
    let verdict = v(
        json!({"op": "update", "params": {"id": "G"}, "body": {"description": "d"}}),
        json!({"caller": {"admin": true}, "state": state}),
    );
    assert_eq!((verdict.status, verdict.warnings[0].code), (200, "cleared"));
    let verdict = v(
        json!({"op": "create", "params": {"id": "G"}, "body": {"description": "d",
            "roles": ["USER_READ_ONLY", "USER"], "defaultAccess": {"WORKFLOW_DEF": ["READ"]}}}),
        admin(),
    );
    let got: Vec<_> = verdict
        .errors
        .iter()
        .map(|e| (e.path.as_str(), e.code, e.message.as_str()))
        .collect();
    assert_eq!(
        got,
        [
            (
                "/body/roles",
                "read_only_exclusive",
                "Group with role 'USER_READ_ONLY' cannot be assigned any other roles"
            ),
            (
                "/body/defaultAccess",
                "read_only_exclusive",
                "Group with role 'USER_READ_ONLY' cannot have default permissions configured"
            ),
        ]
    );
    let verdict = v(
        json!({"op": "create", "params": {"id": "G"}, "body": {"description": "d",
            "roles": ["USER_READ_ONLY"], "defaultAccess": {}}}),
        admin(),
    );
    assert!(verdict.ok, "{verdict:?}");
}

#[test]
fn application_roles_warn_and_delete_answers_the_servers_message() {
    let verdict = v(
        json!({"op": "create", "params": {"id": "G"}, "body": {"description": "d", "roles": ["METADATA_API", "USER", "WORKER"]}}),
        admin(),
    );
    assert!(verdict.ok);
    let w: Vec<_> = pairs(&verdict.warnings);
    assert_eq!(
        w,
        [
            ("/body/roles/0", "application_role"),
            ("/body/roles/2", "application_role")
        ]
    );
    assert_eq!(verdict.response, None, "the response is next itself");
    let verdict = v(
        json!({"op": "delete", "params": {"id": "Writers"}}),
        json!({"caller": {"admin": true}, "state": {"groups": [{"id": "Writers"}]}}),
    );
    assert_eq!(
        verdict.response,
        Some(json!({"message": "Deleted group 'Writers'"}))
    );
}

#[test]
fn several_faults_are_all_reported_and_403_comes_first() {
    let verdict = v(
        json!({"op": "update", "params": {},
               "body": {"description": 5, "roles": ["ADMIN", "NOPE"], "defaultAccess": {"X": ["READ"]}}}),
        json!({"caller": {"roles": ["USER"]}}),
    );
    let got: Vec<_> = pairs(&verdict.errors);
    assert_eq!(
        got,
        [
            ("/params/id", "required"),
            ("", "forbidden"),
            ("/body/description", "type"),
            ("/body/roles/1", "unknown_role"),
            ("/body/defaultAccess/X", "enum"),
        ]
    );
    assert_eq!(verdict.status, 403);
}

#[test]
fn warnings_for_opaque_roles_duplicates_upserts_and_cleared_access() {
    let state = json!({"groups": [{"id": "g", "roles": [{"name": "USER"}],
        "defaultAccess": {"WORKFLOW_DEF": ["READ"]}, "contactInformation": {"email": "a@b"}}]});
    let verdict = v(
        json!({"op": "create", "params": {"id": "g"},
               "body": {"description": "d", "roles": ["WORKFLOW_MANAGER", "USER", "USER"]}}),
        json!({"caller": {"admin": true}, "state": state}),
    );
    assert!(verdict.ok, "{verdict:?}");
    assert_eq!(verdict.status, 200, "the PUT replaces an existing group");
    let w: Vec<_> = pairs(&verdict.warnings);
    assert_eq!(
        w,
        [
            ("/params/id", "exists"),
            ("/body/roles/0", "unknown_expansion"),
            ("/body/roles/2", "duplicate"),
            ("/body/defaultAccess", "cleared"),
        ]
    );
    let next = verdict.next.unwrap();
    assert_eq!(
        next["roles"][0],
        json!({"name": "WORKFLOW_MANAGER", "permissions": []})
    );
    assert_eq!(next["roles"].as_array().unwrap().len(), 2);
    assert_eq!(next["contactInformation"], json!({"email": "a@b"}));
    assert_eq!(
        verdict.changes.unwrap()["permissions"],
        json!({"gained": [], "lost": []})
    );

    let verdict = v(
        json!({"op": "update", "params": {"id": "new"}, "body": {"description": "d", "roles": []}}),
        json!({"state": {"groups": []}}),
    );
    assert_eq!(verdict.status, 200, "a PUT that creates is 200 too");
    assert_eq!(verdict.warnings[0].code, "created");
    assert_eq!(verdict.skipped, ["caller"]);
}

#[test]
fn permissions_of_expands_roles_groups_and_catalog() {
    let ctx_v = json!({"state": {"groups": [{"id": "writers", "roles": ["METADATA_API"]}]},
                       "catalog": {"roles": {"WORKFLOW_MANAGER": ["WORKFLOW_MANAGEMENT"]}}});
    let ctx = Context {
        state: ctx_v.get("state"),
        catalog: ctx_v.get("catalog"),
        ..Context::default()
    };
    let got = permissions_of(
        &json!({"groups": ["writers"], "roles": ["WORKER", "WORKFLOW_MANAGER"], "permissions": ["CREATE_SECRET"]}),
        &ctx,
    )
    .unwrap();
    assert_eq!(
        got,
        [
            "CREATE_SECRET",
            "CREATE_TASK_DEF",
            "CREATE_USER_FORM_TEMPLATE",
            "CREATE_WORKFLOW_DEF",
            "WORKFLOW_MANAGEMENT"
        ]
    );
    let none = Context::default();
    assert_eq!(
        permissions_of(&json!({"roles": ["USER_READ_ONLY"]}), &none).unwrap(),
        Vec::<String>::new()
    );
    let err = permissions_of(&json!({"roles": ["GOD"]}), &none).unwrap_err();
    assert_eq!(
        (err.issues[0].path.as_str(), err.code()),
        ("/roles/0", "unknown_role")
    );
    let err = permissions_of(&json!({"groups": ["x"]}), &none).unwrap_err();
    assert_eq!(err.code(), "not_found");
}

/// A context whose `catalog` has `n` roles `R0..`.
fn big_catalog_ctx(n: usize) -> Value {
    let roles: Map<String, Value> = (0..n).map(|i| (format!("R{i}"), json!(["P"]))).collect();
    json!({"caller": {"admin": true}, "catalog": {"roles": roles}})
}

fn roles_request(roles: Vec<String>) -> Value {
    json!({"op": "update", "params": {"id": "g"}, "body": {"description": "d", "roles": roles}})
}

#[test]
fn unknown_role_messages_quote_a_few_roles_whatever_the_catalog() {
    // 97 unknown roles against 10,000 catalog roles listed every role per
    // message (+32 MB); now each quotes 16 and counts the rest.
    let unknown = (0..97).map(|i| format!("X{i}")).collect::<Vec<_>>();
    let bytes = |n| -> usize {
        let verdict = v(roles_request(unknown.clone()), big_catalog_ctx(n));
        assert_eq!(verdict.errors.len(), 97, "{verdict:?}");
        assert!(verdict.errors.iter().all(|e| e.code == "unknown_role"));
        verdict.errors.iter().map(|e| e.message.len()).sum()
    };
    // Ten times the catalog: the same 16 names quoted (a digit longer).
    let (small, large) = (bytes(1_000), bytes(10_000));
    assert!(large * 10 <= small * 11, "{small} -> {large}");
    assert!(large < 97 * 400, "{large}");
    let verdict = v(roles_request(vec!["X".into()]), big_catalog_ctx(10_000));
    let message = &verdict.errors[0].message;
    // 10,000 catalog roles and 11 built-in ones: 16 quoted.
    assert!(
        message.contains("R1005 and 9995 more or a role"),
        "{message}"
    );
    assert!(message.len() < 400, "{message}");
}

#[test]
fn roles_cycling_over_a_large_catalog_are_read_in_linear_work() {
    // 2n roles cycling over an n-role catalog: every repeat is one
    // `duplicate` warning and `next` lists each role once (hashed reads).
    let n = 10_000;
    let roles = (0..2 * n)
        .map(|i| format!("R{}", i % n))
        .collect::<Vec<_>>();
    let verdict = v(roles_request(roles), big_catalog_ctx(n));
    assert!(verdict.ok, "{:?}", verdict.errors.first());
    let duplicates = verdict
        .warnings
        .iter()
        .filter(|w| w.code == "duplicate")
        // Listed or counted in the summary (README "Verdicts").
        .map(|w| w.omitted.unwrap_or(1))
        .sum::<usize>();
    assert_eq!(duplicates, n);
    let next = verdict.next.as_ref().expect("next");
    assert_eq!(next["roles"].as_array().map(Vec::len), Some(n));
}
