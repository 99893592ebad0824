//! Unit tests of the `apinizer` validator.
use super::*;
use crate::dialects::validate as run;
use serde_json::json;

use crate::test_cpu as cpu;

/// `(path, code)` of some issues, in order.
fn pairs(issues: &[crate::verdict::Issue]) -> Vec<(&str, &'static str)> {
    issues.iter().map(|i| (i.path.as_str(), i.code)).collect()
}

fn v(req: Value, ctx: Value) -> Verdict {
    run("apinizer", &req, &ctx).expect("a usable context")
}

fn body() -> Value {
    json!({"name": "orders", "description": "d", "clientRoute": {"relativePathList": ["/orders"]}})
}

fn req(op: &str, body: Value) -> Value {
    json!({"op": op, "params": {"projectName": "shop"}, "body": body})
}

fn full() -> Value {
    json!({
        "caller": {"permissions": [MANAGE, DEPLOY]},
        "state": {
            "groups": [{"name": "orders", "description": "old", "clientRoute": {"relativePathList": ["/orders"]}, "deployments": ["test"]},
                       {"name": "legacy", "clientRoute": {"relativePathList": ["/v1"]}}],
            "environments": ["test", {"name": "prod"}]
        }
    })
}

fn with_route(route: Value) -> Value {
    json!({"name": "orders", "clientRoute": route})
}

#[test]
fn every_message_is_apinizers_own_wording() {
    // (body, path, code, message)
    let cases: Vec<(Value, &str, &str, &str)> = vec![
        (
            json!({"clientRoute": {"relativePathList": ["/a"]}}),
            "/body/name",
            "required",
            "name value can not be empty!",
        ),
        (
            json!({"name": "  ", "clientRoute": {"relativePathList": ["/a"]}}),
            "/body/name",
            "required",
            "name value can not be empty!",
        ),
        (
            json!({"name": "orders"}),
            "/body/clientRoute",
            "required",
            "clientRoute value can not be empty!",
        ),
        (
            with_route(json!({})),
            "/body/clientRoute/relativePathList",
            "required",
            "clientRoute value needs at least one relativePath!",
        ),
        (
            with_route(json!({"relativePathList": []})),
            "/body/clientRoute/relativePathList",
            "min_items",
            "clientRoute value needs at least one relativePath!",
        ),
        (
            with_route(json!({"relativePathList": [""]})),
            "/body/clientRoute/relativePathList/0",
            "required",
            "relativePath value in clientRoute object can not be empty!",
        ),
        (
            with_route(json!({"relativePathList": ["/a", ""]})),
            "/body/clientRoute/relativePathList/1",
            "required",
            "relativePath value in clientRoute object can not be empty!",
        ),
    ];
    for (body, path, code, message) in cases {
        let verdict = v(req("update", body.clone()), full());
        assert_eq!(verdict.status, 400, "{body}");
        let e = &verdict.errors[0];
        assert_eq!(
            (e.path.as_str(), e.code, e.message.as_str()),
            (path, code, message),
            "{body}"
        );
    }
    let verdict = v(
        req(
            "update",
            json!({"name": "nope", "clientRoute": {"relativePathList": ["/a"]}}),
        ),
        full(),
    );
    assert_eq!(verdict.status, 400, "AP-DOC update page: 400, not 404");
    assert_eq!(
        verdict.errors[0].message,
        "API Proxy Group (nope) is not found or user does not have privilege to access it!"
    );
    let verdict = v(req("create", body()), full());
    assert_eq!(verdict.status, 400, "AP-DOC create page: 400, not 409");
    assert_eq!(
        (verdict.errors[0].code, verdict.errors[0].message.as_str()),
        (
            "already_exists",
            "ApiProxyGroup: (orders) is already created! If you want to udate it use update endpoint!"
        )
    );
    let mut b = body();
    b["environmentName"] = json!("staging");
    let verdict = v(req("update", b), full());
    assert_eq!(verdict.status, 400);
    assert_eq!(
        (
            verdict.errors[0].path.as_str(),
            verdict.errors[0].message.as_str()
        ),
        (
            "/body/environmentName",
            "Environment (staging) is not found or user does not have privilege to access it!"
        )
    );
}

#[test]
fn one_failing_and_one_passing_case_per_rule() {
    // (request, context, status, path, code)
    let cases: Vec<(Value, Value, u16, &str, &str)> = vec![
        (
            json!({"op": "update", "body": body()}),
            full(),
            400,
            "/params/projectName",
            "required",
        ),
        (
            req(
                "update",
                json!({"name": 7, "clientRoute": {"relativePathList": ["/a"]}}),
            ),
            full(),
            400,
            "/body/name",
            "type",
        ),
        (
            req(
                "update",
                json!({"name": "orders", "description": 1, "clientRoute": {"relativePathList": ["/a"]}}),
            ),
            full(),
            400,
            "/body/description",
            "type",
        ),
        (
            req("update", with_route(json!("x"))),
            full(),
            400,
            "/body/clientRoute",
            "type",
        ),
        (
            req("update", with_route(json!({"relativePathList": "/a"}))),
            full(),
            400,
            "/body/clientRoute/relativePathList",
            "type",
        ),
        (
            req("update", with_route(json!({"relativePathList": ["/"]}))),
            full(),
            400,
            "/body/clientRoute/relativePathList/0",
            "min_length",
        ),
        (
            req(
                "update",
                with_route(json!({"relativePathList": ["/a"], "methodList": ["GET", "FETCH"]})),
            ),
            full(),
            400,
            "/body/clientRoute/methodList/1",
            "enum",
        ),
        (
            req(
                "update",
                with_route(json!({"relativePathList": ["/a"], "hostList": [""]})),
            ),
            full(),
            400,
            "/body/clientRoute/hostList/0",
            "required",
        ),
        (
            req(
                "update",
                with_route(
                    json!({"relativePathList": ["/a"], "headerList": [{"name": "X-A", "value": "1"}, {"name": "x-a", "value": "2"}]}),
                ),
            ),
            full(),
            400,
            "/body/clientRoute/headerList/1/name",
            "duplicate",
        ),
        (
            req(
                "update",
                with_route(json!({"relativePathList": ["/a"], "headerList": [{"value": "1"}]})),
            ),
            full(),
            400,
            "/body/clientRoute/headerList/0/name",
            "required",
        ),
        (
            req(
                "update",
                with_route(json!({"relativePathList": ["/a"], "bufferRequest": "no"})),
            ),
            full(),
            400,
            "/body/clientRoute/bufferRequest",
            "type",
        ),
        (
            req("create", body()),
            full(),
            400,
            "/body/name",
            "already_exists",
        ),
        (
            req("update", body()),
            json!({"caller": {"permissions": ["API_MANAGEMENT+VIEW"]}}),
            403,
            "",
            "forbidden",
        ),
        (
            req("update", {
                let mut b = body();
                b["environmentName"] = json!("prod");
                b
            }),
            json!({"caller": {"permissions": [MANAGE]}}),
            403,
            "/body/environmentName",
            "forbidden",
        ),
        (
            json!({"op": "delete", "params": {"projectName": "shop"}}),
            full(),
            400,
            "/params/apiProxyGroupName",
            "required",
        ),
        (
            json!({"op": "delete", "params": {"projectName": "shop", "apiProxyGroupName": "gone"}}),
            full(),
            400,
            "/params/apiProxyGroupName",
            "not_found",
        ),
        (
            req("update", body()),
            json!({"state": {"environments": [3]}}),
            400,
            "/context/state/environments/0",
            "type",
        ),
    ];
    for (request, ctx, status, path, code) in cases {
        let verdict = v(request.clone(), ctx.clone());
        let e = verdict
            .errors
            .first()
            .unwrap_or_else(|| panic!("{request}: no error"));
        assert_eq!(
            (verdict.status, e.path.as_str(), e.code),
            (status, path, code),
            "{request} {ctx}: {verdict:?}"
        );
    }
    let passing: Vec<(Value, Value, u16)> = vec![
        (req("update", body()), full(), 200),
        (
            req(
                "create",
                json!({"name": "billing", "clientRoute": {"relativePathList": ["/billing", "/pay"],
            "methodList": ["GET", "POST"], "hostList": ["api.example.com"],
            "headerList": [{"name": "X-A", "value": ""}], "bufferRequest": false}}),
            ),
            full(),
            200,
        ),
        (
            req("update", {
                let mut b = body();
                b["environmentName"] = json!("prod");
                b
            }),
            full(),
            200,
        ),
        (
            json!({"op": "delete", "params": {"projectName": "shop", "apiProxyGroupName": "orders"}}),
            full(),
            200,
        ),
        (
            req("update", body()),
            json!({"caller": {"permissions": ["X+Y"]}, "catalog": {"permissions": {"X+Y": [MANAGE]}}}),
            200,
        ),
        (
            req("update", body()),
            json!({"caller": {"roles": ["dev"]}, "catalog": {"roles": {"dev": [MANAGE]}}}),
            200,
        ),
    ];
    for (request, ctx, status) in passing {
        let verdict = v(request.clone(), ctx.clone());
        assert!(verdict.ok, "{request} {ctx}: {verdict:?}");
        assert_eq!(verdict.status, status);
    }
}

#[test]
fn next_and_changes_keep_deployments_and_fill_defaults() {
    let mut b = body();
    b["environmentName"] = json!("prod");
    b["clientRoute"]["relativePathList"] = json!(["/orders", "/v1", "x1"]);
    let verdict = v(req("update", b), full());
    assert!(verdict.ok, "{verdict:?}");
    assert_eq!(
        verdict.next,
        Some(json!({
            "name": "orders", "description": "d",
            "clientRoute": {"relativePathList": ["/orders", "/v1", "x1"], "bufferRequest": true, "bufferResponse": true},
            "deployments": ["test", "prod"]
        }))
    );
    assert_eq!(
        verdict.changes,
        Some(json!({"fields": ["description", "clientRoute"], "deployTo": "prod"}))
    );
    let w: Vec<_> = pairs(&verdict.warnings);
    assert_eq!(
        w,
        [
            ("/body/clientRoute/relativePathList/2", "pattern"),
            ("/body/clientRoute/relativePathList/1", "route_overlap"),
        ]
    );
    let verdict = v(
        req(
            "update",
            with_route(json!({"relativePathList": ["/orders"]})),
        ),
        full(),
    );
    assert_eq!(verdict.warnings[0].code, "cleared");
    assert_eq!(verdict.changes, Some(json!({"fields": ["description"]})));
}

#[test]
fn response_is_the_servers_body() {
    let verdict = v(req("update", body()), full());
    assert_eq!(verdict.response, Some(json!({"success": true})));
    let verdict = v(
        json!({"op": "delete", "params": {"projectName": "shop", "apiProxyGroupName": "orders"}}),
        full(),
    );
    assert_eq!(verdict.response, Some(json!({"success": true})));
    let mut b = body();
    b["environmentName"] = json!("prod");
    let verdict = v(req("update", b), full());
    let response = verdict.response.expect("a response");
    assert_eq!(response["success"], json!(true));
    assert_eq!(
        response["deploymentResult"]["environmentResults"][0]["environmentName"],
        json!("prod")
    );
    let refused = v(req("create", body()), full());
    assert_eq!(
        refused.response, None,
        "a refused request has no success body"
    );
}

/// 100,000 paths or headers (inside the limits) used to take 17-19 s in
/// release builds (a Vec scan per entry, and per path a scan of every
/// group's routes); hashing keeps them linear.
#[test]
fn duplicate_checks_are_linear() {
    let n = 100_000;
    let paths: Vec<Value> = (0..n).map(|i| json!(format!("/p{i}"))).collect();
    let headers: Vec<Value> = (0..n)
        .map(|i| json!({"name": format!("X-H{i}"), "value": ""}))
        .collect();
    let mut state = full();
    state["state"]["groups"][1]["clientRoute"]["relativePathList"] = json!(paths.clone());
    let started = cpu::cpu_ms();
    let verdict = v(
        req(
            "update",
            with_route(json!({"relativePathList": paths, "headerList": headers})),
        ),
        state,
    );
    let took = (cpu::cpu_ms() - started) / 1e3;
    assert!(verdict.ok, "{:?}", verdict.errors.first());
    let overlaps = verdict
        .warnings
        .iter()
        .filter(|w| w.code == "route_overlap")
        // Listed or counted in the summary (README "Verdicts").
        .map(|w| w.omitted.unwrap_or(1))
        .sum::<usize>();
    assert_eq!(overlaps, n, "one route_overlap per path");
    // Linear is ~1-5 s in a debug build on a loaded machine; the old
    // quadratic scans took minutes here.
    assert!(took < 30.0, "took {took:.2} s CPU");
}

#[test]
fn route_overlap_names_up_to_three_groups_once_per_path() {
    let groups: Vec<Value> = (0..5)
        .map(|i| json!({"name": format!("g{i}"), "clientRoute": {"relativePathList": ["/x"]}}))
        .collect();
    let verdict = v(
        req(
            "create",
            json!({"name": "new", "clientRoute": {"relativePathList": ["/x", "/x"]}}),
        ),
        json!({"state": {"groups": groups}}),
    );
    let overlaps: Vec<_> = verdict
        .warnings
        .iter()
        .filter(|w| w.code == "route_overlap")
        .map(|w| (w.path.as_str(), w.message.as_str()))
        .collect();
    assert_eq!(
        overlaps,
        [(
            "/body/clientRoute/relativePathList/0",
            "API Proxy Group g0, g1, g2 and 2 more also route /x"
        )]
    );
}

/// Apinizer's default roles are built in: a Project Owner (or API
/// Developer, API Manager) may manage and deploy proxy groups; this was
/// a false 403 with an `unknown_role` warning.
#[test]
fn default_roles_are_built_in() {
    let mut b = body();
    b["environmentName"] = json!("prod");
    for role in ["Project Owner", "API Developer", "API Manager"] {
        let mut ctx = full();
        ctx["caller"] = json!({"roles": [role]});
        let verdict = v(req("update", b.clone()), ctx);
        assert!(verdict.ok, "{role}: {verdict:?}");
        assert!(verdict.warnings.iter().all(|w| w.code != "unknown_role"));
    }
    let mut ctx = full();
    ctx["caller"] = json!({"roles": ["API Analytics"]});
    let verdict = v(req("update", body()), ctx);
    assert_eq!(verdict.status, 403);
    assert_eq!(verdict.warnings[0].code, "unknown_expansion");
    let owner = permissions_of(&json!({"roles": ["Project Owner"]}), &Context::default()).unwrap();
    let every = apinizer_catalog().closure(
        crate::permissions::APINIZER_CATEGORIES
            .iter()
            .flat_map(|(c, actions)| actions.iter().map(move |a| format!("{c}+{a}")))
            .collect::<Vec<_>>()
            .iter()
            .map(String::as_str),
    );
    assert_eq!(
        owner,
        every.into_iter().collect::<Vec<_>>(),
        "all actions in all categories"
    );
}

/// The API Developer's matrix (docs.apinizer.com role-permission-details)
/// has the Project Owner's rows, all twelve: the rows past Monitoring were
/// read as "not shown" and granted nothing (no Testing, Audit, Analytics or
/// Project Management). The page's text rendering without the check marks
/// gives each row's count of "-" cells, the same as the Project Owner's:
/// "Analytics & Reports----", "Audit & Application Logs----", "Testing---",
/// "Project Management--" (one, one, two and three actions: every action
/// those categories have, Analytics' View as in the Owner's row).
#[test]
fn the_api_developer_holds_every_row_of_its_matrix() {
    let of = |role: &str| permissions_of(&json!({"roles": [role]}), &Context::default()).unwrap();
    let dev = of("API Developer");
    // The Owner's table: every action but the two only its description
    // grants (it was 23 actions, through MONITORING+MANAGE).
    let table: Vec<String> = of("Project Owner")
        .into_iter()
        .filter(|p| p != "ANALYTICS+MANAGE" && p != "IDENTITY+EXPORT_IMPORT")
        .collect();
    assert_eq!(dev, table);
    assert!(dev.iter().any(|p| p == "PROJECT_MANAGEMENT+EXPORT_IMPORT"));
}

#[test]
fn several_faults_are_all_reported() {
    let verdict = v(
        json!({"op": "create", "params": {}, "body": {"name": "", "clientRoute": {"relativePathList": ["", "/"], "methodList": ["GRAB"]}}}),
        json!({}),
    );
    let got: Vec<_> = pairs(&verdict.errors);
    assert_eq!(
        got,
        [
            ("/params/projectName", "required"),
            ("/body/name", "required"),
            ("/body/clientRoute/relativePathList/0", "required"),
            ("/body/clientRoute/relativePathList/1", "min_length"),
            ("/body/clientRoute/methodList/0", "enum"),
        ]
    );
    assert_eq!(verdict.skipped, ["caller", "state"]);
}

/// A `ROLE_*` name of the API docs given as a permission grants its role in
/// `permissionsOf` as in `validate`'s caller (it threw `unknown_permission`
/// there while `validate` answered 200; apinizer/management-api-docs@319c71d
/// create-api-proxy-group.md:280 "Requires `ROLE_MANAGE_PROXY_GROUPS` permission").
#[test]
fn permissions_of_reads_a_role_name_among_permissions_as_validate_does() {
    let ctx = Context::default();
    let as_permission =
        permissions_of(&json!({"permissions": ["ROLE_MANAGE_PROXY_GROUPS"]}), &ctx).unwrap();
    let as_role = permissions_of(&json!({"roles": ["ROLE_MANAGE_PROXY_GROUPS"]}), &ctx).unwrap();
    assert_eq!(as_permission, as_role);
    assert!(as_permission.contains(&MANAGE.to_string()));
    // The same caller passes validate's check.
    let req = json!({"op": "create", "params": {"projectName": "P"},
        "body": {"name": "g", "clientRoute": {"relativePathList": ["/ab"]}}});
    let ctx =
        json!({"caller": {"permissions": ["ROLE_MANAGE_PROXY_GROUPS"]}, "state": {"groups": []}});
    let verdict = v(req, ctx);
    assert_eq!(verdict.status, 200);
    // Not a role of the catalog: still an unknown permission.
    let err = permissions_of(
        &json!({"permissions": ["ROLE_MANAGE_PROXIES"]}),
        &Context::default(),
    )
    .unwrap_err();
    assert_eq!(err.code(), "unknown_permission");
}

#[test]
fn permissions_of_applies_implications() {
    let ctx = Context::default();
    let got = permissions_of(
        &json!({"permissions": ["API_MANAGEMENT+DEPLOY_UNDEPLOY", "AUDIT+VIEW"]}),
        &ctx,
    )
    .unwrap();
    assert_eq!(
        got,
        [
            "API_MANAGEMENT+DEPLOY_UNDEPLOY",
            "API_MANAGEMENT+VIEW",
            "AUDIT+VIEW"
        ]
    );
    let got = permissions_of(&json!({"permissions": [MANAGE]}), &ctx).unwrap();
    assert!(got.contains(&"API_MANAGEMENT+VIEW".to_string()));
    let err = permissions_of(&json!({"permissions": ["AUDIT+MANAGE"]}), &ctx).unwrap_err();
    assert_eq!(
        (err.issues[0].path.as_str(), err.code()),
        ("/permissions/0", "unknown_permission")
    );
    assert_eq!(
        permissions_of(&json!({"groups": ["g"]}), &ctx)
            .unwrap_err()
            .code(),
        "unsupported"
    );
}

/// The `ROLE_*` names of apinizer/management-api-docs@319c71d ("Requires
/// `ROLE_MANAGE_PROXY_GROUPS` permission", create-api-proxy-group.md:280)
/// are roles (`permissionsOf` takes them as roles); `validate` also takes
/// them in `caller.permissions`.
#[test]
fn the_api_docs_role_names_grant_as_roles_and_permissions() {
    let ctx = Context::default();
    let as_role = permissions_of(&json!({"roles": ["ROLE_MANAGE_PROXY_GROUPS"]}), &ctx).unwrap();
    assert!(as_role.contains(&MANAGE.to_string()));
    assert!(!as_role.iter().any(|p| p.starts_with("ROLE_")));
    let admin = permissions_of(&json!({"roles": ["ROLE_ADMIN"]}), &ctx).unwrap();
    let owner = permissions_of(&json!({"roles": ["Project Owner"]}), &ctx).unwrap();
    assert_eq!(admin, owner);
    // The proxies' name (authentication.md:144) stays unknown: in the
    // category model it would grant group management (README).
    let err = permissions_of(&json!({"roles": ["ROLE_MANAGE_PROXIES"]}), &ctx).unwrap_err();
    assert_eq!(err.code(), "unknown_role");
    let verdict = v(
        req("update", body()),
        json!({"caller": {"permissions": ["ROLE_MANAGE_PROXY_GROUPS"]}}),
    );
    assert!(verdict.ok, "{:?}", verdict.errors.first());
}

/// A catalog role of 100,000 permissions held 100,000 times is expanded
/// once (10^10 steps before: a Vec scan per permission, per listing).
#[test]
fn repeated_caller_roles_are_expanded_once() {
    let n = 100_000;
    let perms: Vec<String> = (0..n).map(|i| format!("X{i}+VIEW")).collect();
    let mut perms_with_manage = perms.clone();
    perms_with_manage.push(MANAGE.to_string());
    let ctx = json!({
        "caller": {"roles": vec!["big"; n]},
        "catalog": {"roles": {"big": perms_with_manage}},
    });
    let started = cpu::cpu_ms();
    let verdict = v(req("update", body()), ctx);
    let took = (cpu::cpu_ms() - started) / 1e3;
    assert!(verdict.ok, "{:?}", verdict.errors.first());
    assert!(took < 30.0, "took {took:.2} s CPU");
}
