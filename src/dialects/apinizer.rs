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

use std::collections::BTreeSet;

use crate::keyed::HashMap;

use crate::strset::StrSet;

use serde_json::{Map, Value};

use super::common::{self, caller, caller::RoleList, str_array};
use super::{Context, Op, Request};
use crate::error::GroupgateError;
use crate::json::object as json_object;
use crate::json::read::{object, string, strings, type_error, NonNull, Obj, Optional, Required};
use crate::permissions::{apinizer_catalog, join_quoted, RoleCatalog, Subject};
use crate::verdict::{ptr, FailureRank, Report, Verdict, SPEC_ORDER};

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

/// The order in which Apinizer refuses, as data: the first failure of this
/// list present decides the status. SPEC §3's order until the fidelity
/// tables show Apinizer's own (then list it here, as Frontier does).
const ORDER: &[FailureRank] = SPEC_ORDER;

/// Apinizer's pipeline: params (`projectName`), caller (`MANAGE`), state,
/// then the delete (`apiProxyGroupName`) or the upsert (body, deploy
/// permission, target by name, `next` and `changes`).
pub fn validate(req: &Request, ctx: &Context) -> Verdict {
    let mut r = Report::with_limits(ctx.limits).in_order(ORDER);
    let catalog = apinizer_catalog().with_context(ctx.catalog, &mut r);
    let params = common::params(req.params);
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
    if caller.as_ref().is_some_and(|perms| !perms.contains(MANAGE)) {
        r.error(
            FailureRank::CallerForbidden,
            "",
            "forbidden",
            format!("the caller needs {MANAGE} in the project"),
        );
    }
    let state = common::state(ctx.state, &mut r).and_then(|s| read_state(s, &mut r));
    if req.op == Op::Delete {
        return delete(req, &params, state.as_ref(), r);
    }
    upsert(req, caller.as_ref(), state.as_ref(), r)
}

fn delete(req: &Request, params: &Obj, state: Option<&State>, mut r: Report) -> Verdict {
    common::warn_body_on_delete(req.op, req.body, &mut r);
    let name = params.string("apiProxyGroupName", Required, &mut r);
    if let (Some(name), Some(state)) = (name, state) {
        if state.group(name).is_none() {
            r.bad(
                "/params/apiProxyGroupName",
                "not_found",
                group_not_found(name),
            );
        }
    }
    r.finish(200, None, None)
        .with_response(json_object([("success", Value::Bool(true))]))
}

/// The members of a create or update body that were read without error.
struct Body<'a> {
    name: Option<&'a str>,
    description: Option<&'a str>,
    route: Option<Map<String, Value>>,
    environment: Option<&'a str>,
}

fn read_body<'a>(b: &Obj<'a>, r: &mut Report) -> Body<'a> {
    b.warn_unknown(
        &["name", "description", "clientRoute", "environmentName"],
        r,
    );
    let name = match b.get("name") {
        Some(Value::String(n)) if n.trim().is_empty() => None,
        Some(_) => b.string("name", Required, r),
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
    let description = b.string("description", Optional, r);
    let route = match b.get("clientRoute") {
        None => {
            r.bad(
                "/body/clientRoute",
                "required",
                "clientRoute value can not be empty!",
            );
            None
        }
        Some(v) => object(v, "/body/clientRoute", r).map(|o| read_route(&o, r)),
    };
    let environment = match b.string("environmentName", Optional, r) {
        Some(e) if !e.trim().is_empty() => Some(e),
        _ => None,
    };
    Body {
        name,
        description,
        route,
        environment,
    }
}

fn upsert(
    req: &Request,
    caller: Option<&BTreeSet<String>>,
    state: Option<&State>,
    mut r: Report,
) -> Verdict {
    let Some(b) = common::require_body(req.body, &mut r) else {
        return r.finish(req.op.success(), None, None);
    };
    let body = read_body(&b, &mut r);
    if let Some(env) = body.environment {
        if caller.is_some_and(|perms| !perms.contains(DEPLOY)) {
            r.error(
                FailureRank::CallerForbidden,
                "/body/environmentName",
                "forbidden",
                format!("deploying with environmentName needs {DEPLOY}"),
            );
        }
        if state.is_some_and(|s| !s.environments.contains(&env)) {
            r.bad(
                "/body/environmentName",
                "not_found",
                environment_not_found(env),
            );
        }
    }
    let existing = match (state, body.name) {
        (Some(state), Some(name)) => {
            let found = state.group(name);
            match (req.op, found) {
                (Op::Update, None) => r.bad("/body/name", "not_found", group_not_found(name)),
                (Op::Create, Some(_)) => {
                    r.bad("/body/name", "already_exists", already_created(name))
                }
                _ => {}
            }
            if let Some(route) = &body.route {
                overlap_warnings(state, name, route, &mut r);
            }
            found
        }
        _ => None,
    };
    if let Some(g) = existing {
        let had = g.get("description").and_then(Value::as_str).unwrap_or("");
        if body.description.is_none() && !had.is_empty() {
            r.warn(
                "/body/description",
                "cleared",
                "description is omitted: PUT replaces the group, so its description is cleared",
            );
        }
    }
    let (Some(name), Some(route)) = (body.name, &body.route) else {
        return r.finish(req.op.success(), None, None);
    };
    let next = next_group(existing, name, &body, route);
    let changes = changes_of(existing, &body, route);
    r.finish(req.op.success(), Some(next), Some(changes))
        .with_response(response(body.environment))
}

/// The group after the change: defaults filled, deployments kept and
/// `environmentName` added.
fn next_group(
    existing: Option<&Map<String, Value>>,
    name: &str,
    body: &Body,
    route: &Map<String, Value>,
) -> Value {
    let mut deployments: Vec<&str> = existing
        .and_then(|g| g.get("deployments"))
        .and_then(Value::as_array)
        .map(|a| a.iter().filter_map(Value::as_str).collect())
        .unwrap_or_default();
    if let Some(env) = body.environment {
        if !deployments.contains(&env) {
            deployments.push(env);
        }
    }
    let mut next = Map::new();
    next.insert("name".into(), Value::from(name));
    if let Some(d) = body.description {
        next.insert("description".into(), Value::from(d));
    }
    next.insert("clientRoute".into(), Value::Object(route.clone()));
    next.insert("deployments".into(), str_array(deployments));
    Value::Object(next)
}

/// `{fields: [changed members], deployTo?}`.
fn changes_of(
    existing: Option<&Map<String, Value>>,
    body: &Body,
    route: &Map<String, Value>,
) -> Value {
    let mut fields: Vec<&str> = Vec::new();
    match existing {
        Some(g) => {
            if g.get("description").and_then(Value::as_str).unwrap_or("")
                != body.description.unwrap_or("")
            {
                fields.push("description");
            }
            let old_route = g
                .get("clientRoute")
                .and_then(Value::as_object)
                .map(normalized_route);
            if old_route.as_ref() != Some(route) {
                fields.push("clientRoute");
            }
        }
        None => {
            fields.push("clientRoute");
            if body.description.is_some() {
                fields.push("description");
            }
            fields.push("name");
            crate::sort::sort(&mut fields);
        }
    }
    let mut changes = json_object([("fields", str_array(fields))]);
    if let (Some(env), Value::Object(c)) = (body.environment, &mut changes) {
        c.insert("deployTo".into(), Value::from(env));
    }
    changes
}

/// The server's response body: `{"success": true}`, plus the deployment
/// result when `environmentName` deploys the group (shape of Apinizer's
/// deploy page example; the messages are the documented example text).
fn response(environment: Option<&str>) -> Value {
    match environment {
        None => json_object([("success", Value::Bool(true))]),
        Some(env) => json_object([
            ("success", Value::Bool(true)),
            (
                "deploymentResult",
                json_object([
                    ("success", Value::Bool(true)),
                    ("message", "Deployment completed successfully".into()),
                    (
                        "environmentResults",
                        Value::Array(vec![json_object([
                            ("environmentName", env.into()),
                            ("success", Value::Bool(true)),
                            ("message", "Deployed successfully".into()),
                        ])]),
                    ),
                ]),
            ),
        ]),
    }
}

/// How Apinizer reads the caller's roles: only roles (from the defaults
/// or `context.catalog.roles`) grant.
const ROLES: RoleList = RoleList {
    permissions_as_roles: false,
    hint: " (describe it in context.catalog.roles)",
};

/// The caller's permissions (closure), or None when unknown or malformed.
fn caller_permissions(
    caller: Option<&Value>,
    catalog: &RoleCatalog,
    r: &mut Report,
) -> Option<BTreeSet<String>> {
    let before = r.checkpoint();
    let c = common::read_caller(caller, r)?;
    c.warn_unknown(&["permissions", "roles"], r);
    let legacy = |p: &str| legacy_role(catalog, p);
    let mut start: Vec<String> = Vec::new();
    for p in caller::permissions(
        &c,
        |p| catalog.is_permission(p) || legacy(p),
        " (permissions are CATEGORY+ACTION)",
        r,
    ) {
        if legacy(p) {
            start.extend(catalog.expand([p]));
        } else {
            start.push(p.to_string());
        }
    }
    if let Some(roles) = c.array("roles", Optional, r) {
        start.extend(caller::role_grants(
            roles,
            &c.at("roles"),
            catalog,
            ROLES,
            r,
        ));
    }
    (!r.failed_since(before)).then(|| catalog.closure(start.iter().map(String::as_str)))
}

fn read_state<'a>(state: &'a Value, r: &mut Report) -> Option<State<'a>> {
    let before = r.checkpoint();
    let s = object(state, "/context/state", r)?;
    // Skipped, a misspelled `groups` let a taken name pass (the server: 400).
    s.refuse_near_misses(&["groups", "environments"], r);
    let mut out = State::default();
    // A name is the group's id (unique in a project).
    let mut names = crate::strset::StrSet::new();
    for g in crate::dialects::common::state_groups(&s, r) {
        if let Some(name) = g.string("name", Required, r) {
            if !names.insert(name) {
                let issue = crate::dialects::common::duplicate_id(g.at("name"), name);
                r.push(crate::verdict::FailureRank::BadRequest, issue);
            }
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
    (!r.failed_since(before)).then_some(out)
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
    read_paths(o, r);
    read_methods(o, r);
    if let Some(hosts) = o.array("hostList", Optional, r) {
        for (path, h) in strings(hosts, &o.at("hostList"), r) {
            if h.trim().is_empty() {
                r.bad(path.path(), "required", "host can not be empty");
            }
        }
    }
    read_headers(o, r);
    // `null` is no boolean: the documented default is `true`, which a null
    // cannot stand for (Java reads it as null, or false), unlike the lists'.
    o.boolean("bufferRequest", NonNull, r);
    o.boolean("bufferResponse", NonNull, r);
    normalized_route(o.map)
}

/// `relativePathList`: at least one path, none empty, each ≥ 2 characters.
fn read_paths(o: &Obj, r: &mut Report) {
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
            let mut seen = StrSet::with_capacity(paths.len());
            for (i, v) in paths.iter().enumerate() {
                let path = ptr(&list_at, i);
                // A `null` path is an empty one: the product's message for both.
                let Some(p) = (if v.is_null() {
                    Some("")
                } else {
                    string(v, &path, r)
                }) else {
                    continue;
                };
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
}

/// `methodList`: Apinizer's `EnumHttpRequestMethod`.
fn read_methods(o: &Obj, r: &mut Report) {
    if let Some(methods) = o.array("methodList", Optional, r) {
        let mut seen: Vec<&str> = Vec::new();
        for (path, m) in strings(methods, &o.at("methodList"), r) {
            if !APINIZER_METHODS.contains(&m) {
                r.bad(
                    path.path(),
                    "enum",
                    format!(
                        "unknown method {m:?}; expected one of {}",
                        crate::substr::join(&APINIZER_METHODS, ", ")
                    ),
                );
            } else if seen.contains(&m) {
                r.warn(
                    path.path(),
                    "duplicate",
                    format!("method {m} is listed twice"),
                );
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
}

/// `headerList`: `[{name, value}]`, names case-insensitive and distinct.
fn read_headers(o: &Obj, r: &mut Report) {
    if let Some(headers) = o.array("headerList", Optional, r) {
        // A map with unused values, not a `HashSet<String>`: the crate's
        // `String` to `u32` table type, one hash table less in the WASM.
        let mut seen: HashMap<String, u32> = crate::keyed::with_capacity(headers.len());
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
                Some(n) if seen.insert(n.to_ascii_lowercase(), 0).is_some() => r.bad(
                    h.at("name"),
                    "duplicate",
                    format!("header {n} is listed twice (header names are case-insensitive; all conditions must match)"),
                ),
                _ => {}
            }
        }
    }
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
    // Each path's groups, by position in `lists`: one map type for the
    // crate's `&str` indexes, one hash table less in the WASM (issue 12: size).
    let mut routed: HashMap<&str, usize> = HashMap::default();
    let mut lists: Vec<Vec<&str>> = Vec::new();
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
            let at = *routed.entry(q).or_insert_with(|| {
                lists.push(Vec::new());
                lists.len() - 1
            });
            let groups = &mut lists[at];
            // The same group (names are unique in a read state) by identity:
            // comparing names cost their shared prefix for every path (three
            // 60 KB names differing in their last byte over 100,000 paths:
            // 2.2 s in the package at 50,000).
            if !groups.last().is_some_and(|g| std::ptr::eq(*g, other)) {
                groups.push(other);
            }
        }
    }
    let mut warned = StrSet::new();
    for (i, p) in paths.iter().enumerate() {
        let Some(p) = p.as_str().filter(|p| !p.is_empty()) else {
            continue;
        };
        let Some(groups) = routed.get(p).map(|&at| &lists[at]) else {
            continue;
        };
        if !warned.insert(p) {
            continue;
        }
        // Names cut as every message quotes them: three 60 KB names made
        // each of 100,000 warnings 180 KB, built even past the 100 listed.
        let mut who = join_quoted(&groups[..groups.len().min(3)]);
        if groups.len() > 3 {
            who.push_str(&format!(" and {} more", groups.len() - 3));
        }
        let verb = if groups.len() == 1 { "routes" } else { "route" };
        r.warn(
            ptr("/body/clientRoute/relativePathList", i),
            "route_overlap",
            format!("API Proxy Group {who} also {verb} {p}"),
        );
    }
}

/// The `ROLE_*` names of the API docs ("Requires `ROLE_MANAGE_PROXY_GROUPS`
/// permission") are catalog roles: given as a permission, they grant
/// theirs, in `validate`'s caller as in `permissionsOf`.
fn legacy_role(catalog: &RoleCatalog, p: &str) -> bool {
    p.starts_with("ROLE_") && catalog.role(p).is_some()
}

/// Permissions of a subject: its permissions and the permissions of its
/// roles (from `context.catalog.roles`), with implications; sorted. A
/// `ROLE_*` name among the permissions is read as its role, as `validate`
/// reads a caller (it threw `unknown_permission`).
pub fn permissions_of(subject: &Value, ctx: &Context) -> Result<Vec<String>, GroupgateError> {
    let catalog = apinizer_catalog().merged(ctx.catalog)?;
    let mut s = Subject::from_json(subject)?;
    for (path, p) in std::mem::take(&mut s.permissions) {
        let to = if legacy_role(&catalog, &p) {
            &mut s.roles
        } else {
            &mut s.permissions
        };
        to.push((path, p));
    }
    catalog.subject_permissions(
        s,
        "Apinizer permissions come from roles and permissions, not groups",
    )
}

#[cfg(test)]
mod tests;
