//! The `apinizer` dialect: Apinizer API Proxy Groups (README "apinizer",
//! whose fidelity table gives the source of every rule).
//!
//! Create `POST`, update `PUT /apiops/projects/{projectName}/apiProxyGroups/`,
//! delete `DELETE /apiops/projects/{projectName}/apiProxyGroups/{apiProxyGroupName}/`.
//!
//! Request: `{op, params: {projectName, apiProxyGroupName? (delete)},
//! body: {name, description?, clientRoute, environmentName?}}` with
//! `clientRoute = {relativePathList, methodList?, hostList?, headerList?,
//! bufferRequest?, bufferResponse?}`.
//!
//! Context shapes (every member optional):
//!
//! ```text
//! state:   { groups?: [ { name, description?, clientRoute?, deployments?: [environmentName] } ],
//!            environments?: [ name | {name} ] }
//! caller:  { permissions?: ["API_MANAGEMENT+MANAGE", ...], roles?: [name] }  // default roles or context.catalog
//! catalog: { roles?: { NAME: ["CATEGORY+ACTION", ...] },
//!            permissions?: { "CATEGORY+ACTION": [implied, ...] } }
//! ```
//!
//! Permissions are `CATEGORY+ACTION` (see [`crate::permissions::APINIZER_CATEGORIES`]);
//! every action implies its category's `VIEW`. The default roles (Project
//! Owner, API Developer, API Manager; [`crate::permissions::APINIZER_ROLES`])
//! are built in, so a Project Owner is never refused.
//!
//! From the product's endpoint pages: a missing group (update, delete,
//! deploy) and a duplicate name on create are 400 with Apinizer's messages;
//! success is 200 with `response = {"success": true}`.
//!
//! Decisions (the sources are silent):
//! * A blank name (only spaces) is empty. Names compare exactly (case matters).
//! * An empty `relativePath` at any index gets Apinizer's message; a path of
//!   one character is `min_length`; a path not starting with `/` and a
//!   duplicate path are warnings.
//! * Header names compare case-insensitively; a repeated name is a 400
//!   (`duplicate`): both conditions must match, so the route could only
//!   match requests carrying the header twice.
//! * Duplicate checks (paths, headers, routes of other groups) hash, so they
//!   stay linear at 100,000 entries.
//! * PUT replaces: an omitted `description` is cleared (warning `cleared`
//!   when it was not empty). Existing deployments are kept; `environmentName`
//!   adds one.
//! * Another group with the same relative path is a warning (`route_overlap`,
//!   once per distinct path, naming up to three groups).
//! * `next`: the group with `bufferRequest`/`bufferResponse` defaulted to
//!   `true` and `deployments`; `changes`: `{fields: [changed members], deployTo?}`.

use std::collections::{BTreeSet, HashMap, HashSet};

use serde_json::{json, Map, Value};

use super::{Context, Op, Request};
use crate::error::GroupgateError;
use crate::input::{object, strings, type_error, Obj, Optional, Required};
use crate::permissions::{apinizer_catalog, RoleCatalog};
use crate::verdict::{ptr, Class, Report, Verdict};

/// Methods a client route may list.
pub const APINIZER_METHODS: [&str; 9] = [
    "GET", "POST", "PUT", "HEAD", "OPTIONS", "DELETE", "PATCH", "TRACE", "ALL",
];

const MANAGE: &str = "API_MANAGEMENT+MANAGE";
const DEPLOY: &str = "API_MANAGEMENT+DEPLOY_UNDEPLOY";

fn group_not_found(name: &str) -> String {
    format!("API Proxy Group ({name}) is not found or user does not have privilege to access it!")
}

/// Apinizer's own wording, typo included ("udate"): AP-DOC create page.
fn already_created(name: &str) -> String {
    format!(
        "ApiProxyGroup: ({name}) is already created! If you want to udate it use update endpoint!"
    )
}

fn environment_not_found(name: &str) -> String {
    format!("Environment ({name}) is not found or user does not have privilege to access it!")
}

/// What the state says.
#[derive(Default)]
struct State<'a> {
    groups: Vec<&'a Map<String, Value>>,
    environments: Vec<&'a str>,
}

impl<'a> State<'a> {
    fn group(&self, name: &str) -> Option<&'a Map<String, Value>> {
        self.groups
            .iter()
            .copied()
            .find(|g| g.get("name").and_then(Value::as_str) == Some(name))
    }
}

pub fn validate(req: &Request, ctx: &Context) -> Verdict {
    let mut r = Report::with_limits(ctx.limits);
    let catalog = apinizer_catalog().with_context(ctx.catalog, &mut r);
    let params = Obj {
        map: req.params,
        path: "/params".into(),
    };
    if let Some(p) = params.string("projectName", Required, &mut r) {
        if p.trim().is_empty() {
            r.bad(
                "/params/projectName",
                "required",
                "projectName value can not be empty!",
            );
        }
    }
    let caller = caller_permissions(ctx.caller, &catalog, &mut r);
    if let Some(perms) = &caller {
        if !perms.contains(MANAGE) {
            r.error(
                Class::CallerForbidden,
                "",
                "forbidden",
                format!("the caller needs {MANAGE} in the project"),
            );
        }
    }
    let state = match ctx.state {
        None => {
            r.skip("state");
            None
        }
        Some(s) => read_state(s, &mut r),
    };

    if req.op == Op::Delete {
        if req.body.is_some() {
            r.warn("/body", "ignored", "DELETE has no body; it is ignored");
        }
        let name = params.string("apiProxyGroupName", Required, &mut r);
        if let (Some(name), Some(state)) = (name, &state) {
            if state.group(name).is_none() {
                r.bad(
                    "/params/apiProxyGroupName",
                    "not_found",
                    group_not_found(name),
                );
            }
        }
        return r
            .finish(200, None, None)
            .with_response(json!({"success": true}));
    }

    let Some(body) = req.body else {
        r.bad("/body", "required", "body is required");
        return r.finish(req.op.success(), None, None);
    };
    let Some(b) = object(body, "/body", &mut r) else {
        return r.finish(req.op.success(), None, None);
    };
    b.warn_unknown(
        &["name", "description", "clientRoute", "environmentName"],
        &mut r,
    );

    let name = match b.get("name") {
        Some(Value::String(n)) if n.trim().is_empty() => None,
        Some(_) => b.string("name", Required, &mut r),
        None => None,
    };
    let blank = match b.get("name") {
        None => true,
        Some(Value::String(n)) => n.trim().is_empty(),
        Some(_) => false,
    };
    if blank {
        r.bad("/body/name", "required", "name value can not be empty!");
    }
    let description = b.string("description", Optional, &mut r);
    let route = match b.get("clientRoute") {
        None => {
            r.bad(
                "/body/clientRoute",
                "required",
                "clientRoute value can not be empty!",
            );
            None
        }
        Some(v) => object(v, "/body/clientRoute", &mut r).map(|o| read_route(&o, &mut r)),
    };
    let environment = match b.string("environmentName", Optional, &mut r) {
        Some(e) if !e.trim().is_empty() => Some(e),
        _ => None,
    };

    if let Some(env) = environment {
        if let Some(perms) = &caller {
            if !perms.contains(DEPLOY) {
                r.error(
                    Class::CallerForbidden,
                    "/body/environmentName",
                    "forbidden",
                    format!("deploying with environmentName needs {DEPLOY}"),
                );
            }
        }
        if let Some(state) = &state {
            if !state.environments.contains(&env) {
                r.bad(
                    "/body/environmentName",
                    "not_found",
                    environment_not_found(env),
                );
            }
        }
    }

    let existing = match (&state, name) {
        (Some(state), Some(name)) => {
            let found = state.group(name);
            match (req.op, found) {
                (Op::Update, None) => r.bad("/body/name", "not_found", group_not_found(name)),
                (Op::Create, Some(_)) => {
                    r.bad("/body/name", "already_exists", already_created(name))
                }
                _ => {}
            }
            if let Some(route) = &route {
                overlap_warnings(state, name, route, &mut r);
            }
            found
        }
        _ => None,
    };
    if let Some(g) = existing {
        let had = g.get("description").and_then(Value::as_str).unwrap_or("");
        if description.is_none() && !had.is_empty() {
            r.warn(
                "/body/description",
                "cleared",
                "description is omitted: PUT replaces the group, so its description is cleared",
            );
        }
    }

    let (Some(name), Some(route)) = (name, route) else {
        return r.finish(req.op.success(), None, None);
    };
    let mut deployments: Vec<String> = existing
        .and_then(|g| g.get("deployments"))
        .and_then(Value::as_array)
        .map(|a| {
            a.iter()
                .filter_map(Value::as_str)
                .map(str::to_string)
                .collect()
        })
        .unwrap_or_default();
    if let Some(env) = environment {
        if !deployments.iter().any(|d| d == env) {
            deployments.push(env.to_string());
        }
    }
    let mut next = Map::new();
    next.insert("name".into(), json!(name));
    if let Some(d) = description {
        next.insert("description".into(), json!(d));
    }
    next.insert("clientRoute".into(), Value::Object(route.clone()));
    next.insert("deployments".into(), json!(deployments));

    let mut fields: Vec<&str> = Vec::new();
    match existing {
        Some(g) => {
            if g.get("description").and_then(Value::as_str).unwrap_or("")
                != description.unwrap_or("")
            {
                fields.push("description");
            }
            let old_route = g
                .get("clientRoute")
                .and_then(Value::as_object)
                .map(normalized_route);
            if old_route.as_ref() != Some(&route) {
                fields.push("clientRoute");
            }
        }
        None => {
            fields.push("clientRoute");
            if description.is_some() {
                fields.push("description");
            }
            fields.push("name");
            fields.sort_unstable();
        }
    }
    let mut changes = json!({ "fields": fields });
    if let Some(env) = environment {
        changes["deployTo"] = json!(env);
    }
    r.finish(req.op.success(), Some(Value::Object(next)), Some(changes))
        .with_response(response(environment))
}

/// The server's response body: `{"success": true}`, plus the deployment
/// result when `environmentName` deploys the group (shape of Apinizer's
/// deploy page example; the messages are the documented example text).
fn response(environment: Option<&str>) -> Value {
    match environment {
        None => json!({"success": true}),
        Some(env) => json!({
            "success": true,
            "deploymentResult": {
                "success": true,
                "message": "Deployment completed successfully",
                "environmentResults": [
                    {"environmentName": env, "success": true, "message": "Deployed successfully"}
                ]
            }
        }),
    }
}

/// The caller's permissions (closure), or None when unknown or malformed.
fn caller_permissions(
    caller: Option<&Value>,
    catalog: &RoleCatalog,
    r: &mut Report,
) -> Option<BTreeSet<String>> {
    let Some(caller) = caller else {
        r.skip("caller");
        return None;
    };
    let before = r.errors().count();
    let c = object(caller, "/context/caller", r)?;
    let mut start: Vec<String> = Vec::new();
    for (path, p) in c
        .array("permissions", Optional, r)
        .map(|a| strings(a, &c.at("permissions"), r))
        .unwrap_or_default()
    {
        if !catalog.is_permission(p) {
            r.warn(
                path,
                "unknown_permission",
                format!(
                    "unknown permission {p:?}; it grants nothing (permissions are CATEGORY+ACTION)"
                ),
            );
        }
        start.push(p.to_string());
    }
    for (path, role) in c
        .array("roles", Optional, r)
        .map(|a| strings(a, &c.at("roles"), r))
        .unwrap_or_default()
    {
        match catalog.role(role) {
            None => r.warn(
                path,
                "unknown_role",
                format!("unknown role {role:?}; describe it in context.catalog.roles"),
            ),
            Some(None) => r.warn(
                path,
                "unknown_expansion",
                format!("{role} is a default Apinizer role whose permissions are not public: it grants nothing here (describe it in context.catalog.roles)"),
            ),
            Some(Some(_)) => {}
        }
        start.extend(catalog.expand([role]));
    }
    (r.errors().count() == before).then(|| catalog.closure(start.iter().map(String::as_str)))
}

fn read_state<'a>(state: &'a Value, r: &mut Report) -> Option<State<'a>> {
    let before = r.errors().count();
    let s = object(state, "/context/state", r)?;
    let mut out = State::default();
    for (i, g) in s
        .array("groups", Optional, r)
        .into_iter()
        .flatten()
        .enumerate()
    {
        let Some(g) = object(g, &ptr("/context/state/groups", i), r) else {
            continue;
        };
        if g.string("name", Required, r).is_some() {
            out.groups.push(g.map);
        }
    }
    for (i, e) in s
        .array("environments", Optional, r)
        .into_iter()
        .flatten()
        .enumerate()
    {
        let at = ptr("/context/state/environments", i);
        match e {
            Value::String(name) => out.environments.push(name),
            Value::Object(_) => {
                if let Some(name) = object(e, &at, r).and_then(|o| o.string("name", Required, r)) {
                    out.environments.push(name);
                }
            }
            other => type_error(r, &at, "an environment name or {name}", other),
        }
    }
    (r.errors().count() == before).then_some(out)
}

/// Reads `clientRoute`; returns it normalized (defaults filled).
fn read_route(o: &Obj, r: &mut Report) -> Map<String, Value> {
    o.warn_unknown(
        &[
            "relativePathList",
            "methodList",
            "hostList",
            "headerList",
            "bufferRequest",
            "bufferResponse",
        ],
        r,
    );
    let list_at = o.at("relativePathList");
    match o.get("relativePathList") {
        None => r.bad(
            &list_at,
            "required",
            "clientRoute value needs at least one relativePath!",
        ),
        Some(Value::Array(a)) if a.is_empty() => r.bad(
            &list_at,
            "min_items",
            "clientRoute value needs at least one relativePath!",
        ),
        Some(Value::Array(paths)) => {
            // Hashing keeps 100,000 paths linear (a Vec scan was quadratic).
            let mut seen: HashSet<&str> = HashSet::with_capacity(paths.len());
            for (path, p) in strings(paths, &list_at, r) {
                if p.trim().is_empty() {
                    r.bad(
                        path,
                        "required",
                        "relativePath value in clientRoute object can not be empty!",
                    );
                } else if p.chars().count() < 2 {
                    r.bad(
                        path,
                        "min_length",
                        format!("relativePath {p:?} must be at least 2 characters"),
                    );
                } else {
                    if !p.starts_with('/') {
                        r.warn(
                            &path,
                            "pattern",
                            format!("relativePath {p:?} does not start with /"),
                        );
                    }
                    if !seen.insert(p) {
                        r.warn(
                            &path,
                            "duplicate",
                            format!("relativePath {p} is listed twice"),
                        );
                    }
                }
            }
        }
        Some(other) => type_error(r, &list_at, "an array", other),
    }
    if let Some(methods) = o.array("methodList", Optional, r) {
        let mut seen: Vec<&str> = Vec::new();
        for (path, m) in strings(methods, &o.at("methodList"), r) {
            if !APINIZER_METHODS.contains(&m) {
                r.bad(
                    path,
                    "enum",
                    format!(
                        "unknown method {m:?}; expected one of {}",
                        APINIZER_METHODS.join(", ")
                    ),
                );
            } else if seen.contains(&m) {
                r.warn(path, "duplicate", format!("method {m} is listed twice"));
            } else {
                seen.push(m);
            }
        }
        if seen.contains(&"ALL") && seen.len() > 1 {
            r.warn(
                o.at("methodList"),
                "redundant",
                "ALL already covers every method",
            );
        }
    }
    if let Some(hosts) = o.array("hostList", Optional, r) {
        for (path, h) in strings(hosts, &o.at("hostList"), r) {
            if h.trim().is_empty() {
                r.bad(path, "required", "host can not be empty");
            }
        }
    }
    if let Some(headers) = o.array("headerList", Optional, r) {
        let mut seen: HashSet<String> = HashSet::with_capacity(headers.len());
        for (i, h) in headers.iter().enumerate() {
            let Some(h) = object(h, &ptr(&o.at("headerList"), i), r) else {
                continue;
            };
            h.warn_unknown(&["name", "value"], r);
            h.string("value", Required, r);
            match h.string("name", Required, r) {
                Some(n) if n.trim().is_empty() => {
                    r.bad(h.at("name"), "required", "header name can not be empty")
                }
                Some(n) if !seen.insert(n.to_ascii_lowercase()) => r.bad(
                    h.at("name"),
                    "duplicate",
                    format!("header {n} is listed twice (header names are case-insensitive; all conditions must match)"),
                ),
                _ => {}
            }
        }
    }
    o.boolean("bufferRequest", Optional, r);
    o.boolean("bufferResponse", Optional, r);
    normalized_route(o.map)
}

/// A route with the buffer defaults filled in, for `next` and comparisons.
fn normalized_route(route: &Map<String, Value>) -> Map<String, Value> {
    let mut out = Map::new();
    for (k, v) in route {
        if !v.is_null() {
            out.insert(k.clone(), v.clone());
        }
    }
    for key in ["bufferRequest", "bufferResponse"] {
        out.entry(key).or_insert(Value::Bool(true));
    }
    out
}

/// One warning per distinct path another group of the state also routes,
/// naming up to three of those groups. The index (path → groups) is built
/// once, so the work is linear in the paths of the request and the state.
fn overlap_warnings(state: &State, name: &str, route: &Map<String, Value>, r: &mut Report) {
    let Some(Value::Array(paths)) = route.get("relativePathList") else {
        return;
    };
    let mut routed: HashMap<&str, Vec<&str>> = HashMap::new();
    for g in &state.groups {
        let other = g.get("name").and_then(Value::as_str).unwrap_or("");
        if other == name {
            continue;
        }
        let list = g
            .get("clientRoute")
            .and_then(|c| c.get("relativePathList"))
            .and_then(Value::as_array);
        for q in list.into_iter().flatten().filter_map(Value::as_str) {
            let groups = routed.entry(q).or_default();
            if groups.last() != Some(&other) {
                groups.push(other);
            }
        }
    }
    let mut warned: HashSet<&str> = HashSet::new();
    for (i, p) in paths.iter().enumerate() {
        let Some(p) = p.as_str().filter(|p| !p.is_empty()) else {
            continue;
        };
        let Some(groups) = routed.get(p) else {
            continue;
        };
        if !warned.insert(p) {
            continue;
        }
        let mut who = groups
            .iter()
            .take(3)
            .copied()
            .collect::<Vec<_>>()
            .join(", ");
        if groups.len() > 3 {
            who.push_str(&format!(" and {} more", groups.len() - 3));
        }
        let verb = if groups.len() == 1 { "routes" } else { "route" };
        r.warn(
            format!("/body/clientRoute/relativePathList/{i}"),
            "route_overlap",
            format!("API Proxy Group {who} also {verb} {p}"),
        );
    }
}

/// Permissions of a subject: its permissions and the permissions of its
/// roles (from `context.catalog.roles`), with implications; sorted.
pub fn permissions_of(subject: &Value, ctx: &Context) -> Result<Vec<String>, GroupgateError> {
    apinizer_catalog()
        .merged(ctx.catalog)?
        .permissions_of_roles(
            subject,
            "Apinizer permissions come from roles and permissions, not groups",
        )
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::dialects::validate as run;

    /// `(path, code)` of some issues, in order.
    fn pairs(issues: &[crate::verdict::Issue]) -> Vec<(&str, &'static str)> {
        issues.iter().map(|i| (i.path.as_str(), i.code)).collect()
    }

    fn v(req: Value, ctx: Value) -> Verdict {
        run("apinizer", &req, &ctx)
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
        let started = std::time::Instant::now();
        let verdict = v(
            req(
                "update",
                with_route(json!({"relativePathList": paths, "headerList": headers})),
            ),
            state,
        );
        let took = started.elapsed();
        assert!(verdict.ok, "{:?}", verdict.errors.first());
        let overlaps = verdict
            .warnings
            .iter()
            .filter(|w| w.code == "route_overlap")
            .count();
        assert_eq!(overlaps, n, "one route_overlap per path");
        // Linear is ~1-5 s in a debug build on a loaded machine; the old
        // quadratic scans took minutes here.
        assert!(took.as_secs_f64() < 30.0, "took {took:?}");
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
        let owner =
            permissions_of(&json!({"roles": ["Project Owner"]}), &Context::default()).unwrap();
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
            ("/permissions/0", "enum")
        );
        assert_eq!(
            permissions_of(&json!({"groups": ["g"]}), &ctx)
                .unwrap_err()
                .code(),
            "unsupported"
        );
    }
}
