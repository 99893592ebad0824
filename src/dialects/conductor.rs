//! The `conductor` dialect: Orkes Conductor groups (README "conductor",
//! whose fidelity table gives the source of every rule).
//!
//! `PUT /api/groups/{id}` creates or updates (`op: "create"` and
//! `op: "update"` both mean that PUT); `DELETE /api/groups/{id}` deletes.
//!
//! Request: `{op, params: {id}, body: {description, roles?, defaultAccess?}}`
//! (the server's OpenAPI requires only `description`); `roles` may be one
//! name, as the official JavaScript SDK sends it.
//! `params.id` is the group's name.
//!
//! Context shapes (every member optional):
//!
//! ```text
//! state:   { groups: [ { id, description?, roles?: [name | {name, permissions?: [{name}|name]}],
//!                        defaultAccess?, contactInformation? } ] }
//! caller:  { admin?: boolean, roles?: [name], groups?: [id] }
//!          // admin = admin:true, roles contains "ADMIN", or a group of state.groups holds it
//! catalog: { roles?: { NAME: [permission, ...] } }  // custom roles; replaces a built-in of that name
//! ```
//!
//! From the sources: success is 200 (the OpenAPI lists only 200); a group
//! with `USER_READ_ONLY` may hold no other role and no default access (the
//! Java SDK's check and messages); `WORKER` and `METADATA_API` are
//! application roles, a warning on a group; delete answers
//! `response = {"message": "Deleted group 'ID'"}`; each `defaultAccess`
//! list comes back sorted (create-group.mdx sends `["READ", "EXECUTE"]`
//! and reads back `["EXECUTE", "READ"]`).
//!
//! Decisions (the sources are silent):
//! * A `create` of an existing group or an `update` of a missing one is a
//!   warning (`exists` / `created`), since PUT is an upsert.
//! * PUT replaces: an omitted `defaultAccess` becomes `{}`, omitted `roles`
//!   `[]` (warning `cleared` when they were not empty); `contactInformation`
//!   is kept from state.
//! * Duplicate roles or access kinds are kept once, with a `duplicate` warning.
//! * `changes` (when state is known, or on a create):
//!   `{roles: {added, removed}, permissions: {gained, lost}}`, sorted.

use std::collections::BTreeSet;

use crate::keyed::HashMap;

use crate::strset::StrSet;

use serde_json::{Map, Value};

use super::common::{self, str_array};
use super::{Context, Op, Request};
use crate::error::GroupgateError;
use crate::json::object as json_object;
use crate::json::read::{object, strings, Item, Obj, Optional, Required};
use crate::permissions::{
    conductor_catalog, RoleCatalog, Subject, CONDUCTOR_ACCESS_KINDS, CONDUCTOR_ACCESS_TARGETS,
};
use crate::verdict::{ptr, FailureRank, Report, Verdict, SPEC_ORDER};

/// The read-only role: exclusive on a group (Java SDK).
const READ_ONLY: &str = "USER_READ_ONLY";

/// Roles the docs list only under "Application Roles", not under
/// "User/Group Roles" (orkes-io/docs `docs/access-control-and-security/rbac-overview.mdx:57-80`;
/// "Application API" is `APPLICATION_CREATOR`, which the Java SDK's
/// `RoleValidation` also lists as assignable to applications): accepted
/// on a group (the Java SDK's group enum holds them), with a warning.
const APPLICATION_ONLY_ROLES: [&str; 5] = [
    "WORKER",
    "METADATA_API",
    "UNRESTRICTED_WORKER",
    "APPLICATION_MANAGER",
    "APPLICATION_CREATOR",
];

/// A group as the state describes it.
struct Existing<'a> {
    roles: Vec<String>,
    /// Permissions per role when the state lists them (server truth).
    given: Vec<(String, Vec<String>)>,
    default_access: Option<&'a Map<String, Value>>,
    contact: Option<&'a Value>,
}

/// The order in which Conductor refuses, as data: the first failure of this
/// list present decides the status. SPEC §3's order until the fidelity
/// tables show Conductor's own (then list it here, as Frontier does).
const ORDER: &[FailureRank] = SPEC_ORDER;

/// Conductor's pipeline: params (`id`), caller (admin), state (the group
/// named `id`), then the delete or the PUT (body, roles, default access,
/// `next` and `changes`).
pub fn validate(req: &Request, ctx: &Context) -> Verdict {
    let mut r = Report::with_limits(ctx.limits).in_order(ORDER);
    let catalog = conductor_catalog().with_context(ctx.catalog, &mut r);
    let params = common::params(req.params);
    let id = params.string("id", Required, &mut r);
    if id.is_some_and(|s| s.trim().is_empty()) {
        r.bad(
            "/params/id",
            "required",
            "id (the group name) can not be empty",
        );
    } else if id.is_some_and(|s| {
        s.bytes().any(|b| matches!(b, b'/' | b'\\' | 0)) || matches!(s, "." | "..")
    }) {
        // No request carries these in /api/groups/{id}: the SDKs send them
        // %-encoded, which the server's Tomcat refuses (400), and resolve
        // `.`, `..` away.
        r.bad(
            "/params/id",
            "pattern",
            "id is a path segment: no '/', '\\' or U+0000, not . or ..",
        );
    }
    check_caller(ctx.caller, ctx.state, id, &catalog, &mut r);
    // None: state unknown; Some(None): the group does not exist.
    let existing: Option<Option<Existing>> =
        common::state(ctx.state, &mut r).map(|state| find_group(state, id.unwrap_or(""), &mut r));
    if req.op == Op::Delete {
        return delete(req, id, existing.as_ref(), &catalog, r);
    }
    upsert(req, id, existing.as_ref(), &catalog, r)
}

fn delete(
    req: &Request,
    id: Option<&str>,
    existing: Option<&Option<Existing>>,
    catalog: &RoleCatalog,
    mut r: Report,
) -> Verdict {
    common::warn_body_on_delete(req.op, req.body, &mut r);
    if matches!(existing, Some(None)) {
        r.error(
            FailureRank::NotFound,
            "/params/id",
            "not_found",
            format!("group {} not found", id.unwrap_or("")),
        );
    }
    let changes = existing.and_then(Option::as_ref).map(|e| {
        let before = before_permissions(e, catalog);
        json_object([
            (
                "roles",
                json_object([
                    ("added", Value::Array(Vec::new())),
                    ("removed", str_array(sorted(e.roles.iter().cloned()))),
                ]),
            ),
            (
                "permissions",
                json_object([
                    ("gained", Value::Array(Vec::new())),
                    ("lost", str_array(before)),
                ]),
            ),
        ])
    });
    let response = json_object([(
        "message",
        Value::String(format!("Deleted group '{}'", id.unwrap_or(""))),
    )]);
    r.finish(200, None, changes).with_response(response)
}

/// Whether the PUT creates the group; warns when `op` says otherwise
/// (PUT is an upsert, so both answer 200).
fn creates(op: Op, id: Option<&str>, existing: Option<&Option<Existing>>, r: &mut Report) -> bool {
    let id = id.unwrap_or("");
    match existing.map(Option::is_some) {
        Some(true) => {
            if op == Op::Create {
                r.warn(
                    "/params/id",
                    "exists",
                    format!("group {id} exists; PUT /api/groups/{{id}} replaces it"),
                );
            }
            false
        }
        Some(false) => {
            if op == Op::Update {
                r.warn(
                    "/params/id",
                    "created",
                    format!("group {id} does not exist; PUT /api/groups/{{id}} creates it"),
                );
            }
            true
        }
        None => op == Op::Create,
    }
}

fn upsert(
    req: &Request,
    id: Option<&str>,
    existing: Option<&Option<Existing>>,
    catalog: &RoleCatalog,
    mut r: Report,
) -> Verdict {
    let created = creates(req.op, id, existing, &mut r);
    let Some(b) = common::require_body(req.body, &mut r) else {
        return r.finish(200, None, None);
    };
    b.warn_unknown(&["description", "roles", "defaultAccess"], &mut r);
    let old = existing.and_then(Option::as_ref);
    let description = b.string("description", Required, &mut r);
    let roles = match b.get("roles") {
        // One role name for the list: the official JavaScript SDK sends
        // `roles: "USER"` (its integration tests, against the server).
        Some(Value::String(one)) => Some(read_roles(
            vec![(Item("/body/roles", None), one.as_str())],
            catalog,
            &mut r,
        )),
        _ => read_role_list(&b, old, catalog, &mut r),
    };
    read_only_exclusive(b.get("roles"), b.get("defaultAccess"), &mut r);
    let access = match b.object("defaultAccess", Optional, &mut r) {
        Some(o) => Some(read_access(&o, &mut r)),
        None => {
            if old.is_some_and(|e| e.default_access.is_some_and(|m| !m.is_empty())) {
                r.warn(
                    "/body/defaultAccess",
                    "cleared",
                    "defaultAccess is omitted: PUT replaces the group, so its default access becomes {}",
                );
            }
            Some(Map::new())
        }
    };
    let (Some(id), Some(description), Some(roles), Some(access)) = (id, description, roles, access)
    else {
        return r.finish(200, None, None);
    };
    let contact = old
        .and_then(|e| e.contact.cloned())
        .unwrap_or_else(|| Value::Object(Map::new()));
    let role_values = roles.iter().map(|role| {
        let perms: Vec<Value> = catalog
            .expand([role.as_str()])
            .into_iter()
            .map(|p| json_object([("name", Value::String(p))]))
            .collect();
        json_object([
            ("name", role.as_str().into()),
            ("permissions", Value::Array(perms)),
        ])
    });
    let next = json_object([
        ("id", id.into()),
        ("description", description.into()),
        ("roles", Value::Array(role_values.collect())),
        ("defaultAccess", Value::Object(access)),
        ("contactInformation", contact),
    ]);
    // Known when the state is given, or when the PUT creates the group.
    let changes = (existing.is_some() || created).then(|| diff(old, &roles, catalog));
    r.finish(req.op.success(), Some(next), changes)
}

/// `roles` as a list (`None` when it is of the wrong type); omitted or
/// `null` is `[]`, PUT replacing the group's roles (warning `cleared`).
fn read_role_list(
    b: &Obj,
    old: Option<&Existing>,
    catalog: &RoleCatalog,
    r: &mut Report,
) -> Option<Vec<String>> {
    match b.array("roles", Optional, r) {
        Some(items) => Some(read_roles(strings(items, "/body/roles", r), catalog, r)),
        None if b.get("roles").is_some_and(|v| !v.is_null()) => None,
        None => {
            if old.is_some_and(|e| !e.roles.is_empty()) {
                r.warn(
                    "/body/roles",
                    "cleared",
                    "roles is omitted: PUT replaces the group, so it keeps no role",
                );
            }
            Some(Vec::new())
        }
    }
}

/// The Java SDK's early validation (`OrkesAuthorizationClient.upsertGroup`):
/// a group holding `USER_READ_ONLY` may hold no other role (the raw list is
/// counted, as the SDK does) and no default access.
fn read_only_exclusive(roles: Option<&Value>, access: Option<&Value>, r: &mut Report) {
    let roles = match roles {
        Some(Value::Array(roles)) => roles.as_slice(),
        Some(one @ Value::String(_)) => std::slice::from_ref(one),
        _ => return,
    };
    if !roles.iter().any(|v| v.as_str() == Some(READ_ONLY)) {
        return;
    }
    if roles.len() > 1 {
        r.bad(
            "/body/roles",
            "read_only_exclusive",
            "Group with role 'USER_READ_ONLY' cannot be assigned any other roles",
        );
    }
    if access
        .and_then(Value::as_object)
        .is_some_and(|m| !m.is_empty())
    {
        r.bad(
            "/body/defaultAccess",
            "read_only_exclusive",
            "Group with role 'USER_READ_ONLY' cannot have default permissions configured",
        );
    }
}

fn sorted(names: impl IntoIterator<Item = String>) -> Vec<String> {
    set(names).into_iter().collect()
}

/// `extend`, not `collect`: BTreeSet's `FromIterator` sorts with std's
/// sort, which the WASM then carries (issue 12: package size).
fn set(names: impl IntoIterator<Item = String>) -> BTreeSet<String> {
    let mut out = BTreeSet::new();
    out.extend(names);
    out
}

/// The names of `a` not in `b`, in order (as `a.difference(b)`: the
/// set-difference iterator is 1.7 KB of WASM the crate needs nowhere else;
/// `contains` is the lookup every set already carries).
fn minus<'a>(a: &'a BTreeSet<String>, b: &'a BTreeSet<String>) -> impl Iterator<Item = &'a String> {
    a.iter().filter(move |x| !b.contains(*x))
}

fn before_permissions(e: &Existing, catalog: &RoleCatalog) -> BTreeSet<String> {
    // Indexed (first listing wins) and each role read once: linear in the
    // state's roles and permissions.
    // Positions in `e.given`, not slices: one map type for the crate's
    // `&str` indexes, one hash table less in the WASM (issue 12: size).
    let mut given: HashMap<&str, usize> = HashMap::default();
    for (i, (name, _)) in e.given.iter().enumerate() {
        given.entry(name.as_str()).or_insert(i);
    }
    let mut out = BTreeSet::new();
    let mut seen = StrSet::new();
    for role in &e.roles {
        if !seen.insert(role.as_str()) {
            continue;
        }
        match given.get(role.as_str()) {
            Some(&i) => out.extend(e.given[i].1.iter().cloned()),
            None => out.extend(catalog.expand([role.as_str()])),
        }
    }
    out
}

fn diff(before: Option<&Existing>, roles: &[String], catalog: &RoleCatalog) -> Value {
    let old_roles = before.map_or_else(BTreeSet::new, |e| set(e.roles.iter().cloned()));
    let new_roles = set(roles.iter().cloned());
    let old = before.map_or_else(BTreeSet::new, |e| before_permissions(e, catalog));
    let new = set(catalog.expand(roles.iter().map(String::as_str)));
    json_object([
        (
            "roles",
            json_object([
                ("added", str_array(minus(&new_roles, &old_roles))),
                ("removed", str_array(minus(&old_roles, &new_roles))),
            ]),
        ),
        (
            "permissions",
            json_object([
                ("gained", str_array(minus(&new, &old))),
                ("lost", str_array(minus(&old, &new))),
            ]),
        ),
    ])
}

/// The caller must be an admin; reports 403 otherwise. Its `groups`
/// (ids of `state.groups`) give their roles: "When a user is added to a
/// group, the user automatically inherits the group's roles"
/// (orkes-io/docs rbac-overview.mdx:36), so a member of an ADMIN group is
/// an admin, in `validate` as in `permissionsOf`. Without state those
/// roles are unknown: the check is skipped (`caller`), never a 403.
fn check_caller(
    caller: Option<&Value>,
    state: Option<&Value>,
    target: Option<&str>,
    catalog: &RoleCatalog,
    r: &mut Report,
) {
    let before = r.checkpoint();
    let Some(c) = common::read_caller(caller, r) else {
        return;
    };
    // A misspelled member (`Admin`) or role (`admin`) says why the 403.
    c.warn_unknown(&["admin", "roles", "groups"], r);
    let flag = c.boolean("admin", Optional, r).unwrap_or(false);
    let (roles_at, groups_at) = (c.at("roles"), c.at("groups"));
    let roles = c
        .array("roles", Optional, r)
        .map(|items| strings(items, &roles_at, r))
        .unwrap_or_default();
    for (path, role) in &roles {
        if catalog.role(role).is_none() {
            common::caller::unknown(path.path(), role, " (names are case-sensitive)", r);
        }
    }
    let groups = c
        .array("groups", Optional, r)
        .map(|items| strings(items, &groups_at, r))
        .unwrap_or_default();
    let mut by_group = false;
    // A caller group whose roles are unknown (no state) or unreadable.
    let mut unread = !groups.is_empty() && state.is_none();
    if !groups.is_empty() && state.is_some() {
        let listed = state_groups(state);
        let (by_id, _) = index_groups(listed);
        let mut seen = StrSet::new();
        for (path, gid) in &groups {
            if !seen.insert(gid) {
                continue;
            }
            let Some(&i) = by_id.get(gid) else {
                common::caller::unknown_group(path.path(), gid, r);
                continue;
            };
            let g = &listed[i];
            // Roles that are not a list: a 400 at them, as `permissionsOf`
            // and `find_group` (which reports the target's) read them.
            if let Some(v) = g.get("roles").filter(|v| !v.is_null() && !v.is_array()) {
                unread = true;
                if Some(*gid) != target {
                    let at = ptr("/context/state/groups", i) + "/roles";
                    crate::json::read::type_error(r, &at, "an array", v);
                }
            }
            by_group |= group_roles(g).any(|role| role == "ADMIN");
        }
    }
    // A malformed caller is reported as such, not as a refusal.
    let admin = flag || by_group || roles.iter().any(|(_, role)| *role == "ADMIN");
    if unread && !admin {
        if state.is_none() {
            r.skip("caller");
        }
        return;
    }
    if !r.failed_since(before) && !admin {
        r.error(
            FailureRank::CallerForbidden,
            "",
            "forbidden",
            "only an admin may create, update or delete groups",
        );
    }
}

/// `state.groups`, or none.
fn state_groups(state: Option<&Value>) -> &[Value] {
    state
        .and_then(|st| st.get("groups"))
        .and_then(Value::as_array)
        .map_or(&[][..], Vec::as_slice)
}

/// `state.groups` by id (the first of an id) and the positions of repeated
/// ids: one index for the caller's groups and `permissionsOf`, so 10,000
/// groups stay linear.
fn index_groups(groups: &[Value]) -> (HashMap<&str, usize>, Vec<usize>) {
    let mut by_id: HashMap<&str, usize> = HashMap::default();
    let mut repeated = Vec::new();
    for (i, g) in groups.iter().enumerate() {
        if let Some(id) = g.get("id").and_then(Value::as_str) {
            if by_id.contains_key(id) {
                repeated.push(i);
            } else {
                by_id.insert(id, i);
            }
        }
    }
    (by_id, repeated)
}

/// The role names of a state group (names, or `{name, permissions}` as
/// the API answers).
fn group_roles(g: &Value) -> impl Iterator<Item = &str> {
    (g.get("roles")
        .and_then(Value::as_array)
        .into_iter()
        .flatten())
    .filter_map(|role| role.as_str().or_else(|| role.get("name")?.as_str()))
}

/// Reads `state.groups` and finds the group named `id`.
fn find_group<'a>(state: &'a Value, id: &str, r: &mut Report) -> Option<Existing<'a>> {
    let s = object(state, "/context/state", r)?;
    // Skipped, a misspelled `groups` made every group new.
    s.refuse_near_misses(&["groups"], r);
    let groups = s.array("groups", Optional, r)?;
    let mut found = None;
    let mut seen = StrSet::new();
    for (i, g) in groups.iter().enumerate() {
        let Some(g) = object(g, &ptr("/context/state/groups", i), r) else {
            continue;
        };
        let Some(gid) = g.string("id", Required, r) else {
            continue;
        };
        if !seen.insert(gid) {
            r.push(
                FailureRank::BadRequest,
                common::duplicate_id(g.at("id"), gid),
            );
        }
        if gid != id || found.is_some() {
            continue;
        }
        let mut e = Existing {
            roles: Vec::new(),
            given: Vec::new(),
            default_access: g.get("defaultAccess").and_then(Value::as_object),
            contact: g.get("contactInformation"),
        };
        for (j, role) in g
            .array("roles", Optional, r)
            .into_iter()
            .flatten()
            .enumerate()
        {
            let at = ptr(&g.at("roles"), j);
            match role {
                Value::String(name) => e.roles.push(name.clone()),
                Value::Object(_) => {
                    let Some(ro) = object(role, &at, r) else {
                        continue;
                    };
                    let Some(name) = ro.string("name", Required, r) else {
                        continue;
                    };
                    e.roles.push(name.to_string());
                    if let Some(perms) = ro.array("permissions", Optional, r) {
                        let names = perms
                            .iter()
                            .filter_map(|p| match p {
                                Value::String(s) => Some(s.clone()),
                                Value::Object(o) => {
                                    o.get("name").and_then(Value::as_str).map(str::to_string)
                                }
                                _ => None,
                            })
                            .collect();
                        e.given.push((name.to_string(), names));
                    }
                }
                _ => crate::json::read::type_error(
                    r,
                    &at,
                    "a role name or {name, permissions}",
                    role,
                ),
            }
        }
        found = Some(e);
    }
    found
}

/// Reads the role names (with their pointers): each a known role; duplicates
/// are dropped with a warning.
fn read_roles(named: Vec<(Item, &str)>, catalog: &RoleCatalog, r: &mut Report) -> Vec<String> {
    let mut out: Vec<String> = Vec::new();
    let mut seen = StrSet::new();
    for (path, role) in named {
        match catalog.role(role) {
            None => common::unknown_role_in(
                path.path(),
                role,
                &format!("{} or a role of context.catalog", catalog.expected_roles()),
                r,
            ),
            Some(expansion) => {
                if !seen.insert(role) {
                    r.warn(
                        path.path(),
                        "duplicate",
                        format!("role {role} is listed twice"),
                    );
                    continue;
                }
                if APPLICATION_ONLY_ROLES.contains(&role) {
                    r.warn(
                        path.path(),
                        "application_role",
                        format!("{role} is documented as an application role, not a group role; the server may refuse or ignore it on a group"),
                    );
                }
                if expansion.is_none() {
                    r.warn(
                        path.path(),
                        "unknown_expansion",
                        format!(
                            "role {role} is valid but its permissions are not public: it expands to nothing here (describe it in context.catalog.roles)"
                        ),
                    );
                }
                out.push(role.to_string());
            }
        }
    }
    out
}

/// Reads `defaultAccess`: `{WORKFLOW_DEF|TASK_DEF|WORKFLOW_SCHEDULE: [CREATE|READ|UPDATE|EXECUTE|DELETE]}`,
/// each list sorted (as the server answers it) and without repeats.
/// Errors make the verdict fail, so what is returned then does not matter.
fn read_access(o: &Obj, r: &mut Report) -> Map<String, Value> {
    let mut out = Map::new();
    for key in o.map.keys() {
        let at = o.at(key);
        if !CONDUCTOR_ACCESS_TARGETS.contains(&key.as_str()) {
            // The Java SDK's message, which it says matches the server's.
            r.bad(
                &at,
                "enum",
                format!(
                    "Unsupported target type {key}, supported: {}",
                    crate::substr::join(CONDUCTOR_ACCESS_TARGETS, ", ")
                ),
            );
            continue;
        }
        // A null list is a `type` error, not an absent key: the OpenAPI's
        // `defaultAccess` values are arrays (no null), and dropping the key
        // would answer a `next` without the entry the server was sent.
        let Value::Array(items) = &o.map[key] else {
            crate::json::read::type_error(r, &at, "an array", &o.map[key]);
            continue;
        };
        let mut kinds: Vec<&str> = Vec::new();
        for (path, kind) in strings(items, &at, r) {
            if !CONDUCTOR_ACCESS_KINDS.contains(&kind) {
                r.bad(
                    path.path(),
                    "enum",
                    format!(
                        "unknown access {kind:?}; expected one of {}",
                        crate::substr::join(CONDUCTOR_ACCESS_KINDS, ", ")
                    ),
                );
            } else if kinds.contains(&kind) {
                r.warn(
                    path.path(),
                    "duplicate",
                    format!("access {kind} is listed twice"),
                );
            } else {
                kinds.push(kind);
            }
        }
        // The server keeps a set and answers it sorted: create-group.mdx
        // sends `["READ", "EXECUTE"]` and reads back `["EXECUTE", "READ"]`.
        crate::sort::sort(&mut kinds);
        out.insert(key.clone(), str_array(kinds));
    }
    out
}

/// Permissions of a subject: its roles (and the roles of its `groups`, found
/// in `context.state.groups` by id) expanded, plus its permissions; sorted.
pub fn permissions_of(subject: &Value, ctx: &Context) -> Result<Vec<String>, GroupgateError> {
    let catalog = conductor_catalog().merged(ctx.catalog)?;
    let mut s = Subject::from_json(subject)?;
    let mut issues = Vec::new();
    if !s.groups.is_empty() {
        let groups = state_groups(ctx.state);
        let (by_id, repeated) = index_groups(groups);
        for i in repeated {
            if let Some(id) = groups[i].get("id").and_then(Value::as_str) {
                issues.push(common::duplicate_id(
                    format!("/context/state/groups/{i}/id"),
                    id,
                ));
            }
        }
        let mut seen = StrSet::new();
        for (path, gid) in &s.groups {
            if !seen.insert(gid) {
                continue;
            }
            match by_id.get(gid.as_str()).map(|&i| (i, &groups[i])) {
                None => issues.push(crate::verdict::Issue::new(
                    path.clone(),
                    "not_found",
                    format!("group {gid:?} is not in context.state.groups"),
                )),
                Some((i, g)) => {
                    let roles = g.get("roles").filter(|v| !v.is_null());
                    if roles.is_some_and(|v| !v.is_array()) {
                        // As `validate` reads the state: a list (one name
                        // read as no role at all granted nothing silently).
                        let at = ptr("/context/state/groups", i) + "/roles";
                        issues.push(crate::verdict::Issue::new(
                            at,
                            "type",
                            "expected an array of role names",
                        ));
                    }
                    for name in group_roles(g) {
                        s.roles.push((path.clone(), name.to_string()));
                    }
                }
            }
        }
    }
    if !issues.is_empty() {
        return Err(GroupgateError::new(issues));
    }
    catalog.resolve(&s.roles, &s.permissions)
}

#[cfg(test)]
mod tests;
