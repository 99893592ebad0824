//! The `gorules` dialect: GoRules BRMS project groups (README "gorules",
//! whose fidelity table gives the source of every rule).
//!
//! Create `POST /api/projects/{projectId}/groups`, update
//! `PUT /api/projects/{projectId}/groups/{groupId}`, delete
//! `DELETE /api/projects/{projectId}/groups/{groupId}` (UUIDs).
//!
//! Request: `{op, params: {projectId, groupId? (update, delete)},
//! body: {name, description?, permissions?, filePermissions?}}`.
//!
//! Context shapes (every member optional):
//!
//! ```text
//! state:   { projectId?, projectVersion?: "v1" | "v2",              // v1 by default
//!            groups?:  [ {id, name, description?, permissions?, filePermissions?,
//!                         projectId?, roleId?, role?} ],
//!            members?: [ {id, groups: [groupId]} ] }
//! caller:  { admin?: boolean, permissions?: [permission], groups?: [groupId] }
//!          // admin: the member's project Admin flag (every permission); groups: by id, in the request's project
//! files:   [path]                                                // project files, for changes.files
//! catalog: { roles?: {NAME: [permission]} }                      // only for permissionsOf roles; permissions: refused
//! ```
//!
//! The caller's permissions are the closure (the permission tree of
//! [`crate::permissions::GORULES_TREE`]) of its own permissions and those of
//! its groups in the request's project. Creating, updating and deleting a
//! group needs `project:manage` (which `owner` implies). `patterns` is a
//! string (the API's type): an array is a 400.
//!
//! Decisions (the sources are silent):
//! * `projectId`/`groupId` must be UUIDs (400 `format`).
//! * A blank `name` is a warning (`blank_name`: the OpenAPI has no
//!   `minLength`). Another group with the same name is a
//!   warning (`duplicate_name`).
//! * U+0000 in `name` or `description` is 400 `pattern`: the BRMS stores
//!   them in PostgreSQL, which cannot hold it (the write fails).
//! * Update follows the OpenAPI schema literally: an omitted `description`
//!   or `permissions` is unchanged; an omitted `filePermissions` takes the
//!   schema default `[]`, i.e. clears the rules (warning `cleared` when the
//!   group had some). Send them again to keep them.
//! * A permission implied by another one of the list is a warning
//!   (`redundant`); a repeated one a warning (`duplicate`).
//! * A caller grants only what it holds: a permission the group gains and
//!   the caller lacks is 403 `escalation` (a warning when, without state,
//!   an update's old permissions are unknown).
//! * Groups resolve by id only (a UUID in any case: `state::id_key`), in
//!   the request's project, for the target,
//!   the caller's groups and `permissionsOf` alike.
//! * A refused (403) request gets no rule lint and no file flips.
//! * File-rule lint findings (dead, shadowed, matching none of
//!   `context.files`) are warnings at `/body/filePermissions/...`; so is a
//!   rule list with no allow (`rules.deny_only`): with rules present, the
//!   file decision default-denies every file no rule allows.
//! * A group (or the state) of another project is not found (404).
//! * `changes`: `{permissions: {gained, lost}, files?: [{member, path, action,
//!   before, after}]}`; permissions are closures, sorted. `files` is there
//!   when `context.files` is given: every (member of the group, file,
//!   action) whose decision flips, members in state order, files in the
//!   given order, actions visible/modify/write/delete. A created group has
//!   no members yet.

use crate::keyed::HashMap;

use crate::strset::StrSet;

use serde_json::{Map, Value};

use super::common::{self, str_array};
use super::{Context, Op, Request};
use crate::error::GroupgateError;
use crate::json::read::{strings, NonNull, Obj, Optional, Required};
use crate::permissions::{gorules_catalog, GoRulesPerms, Subject, GORULES_PERMISSIONS};
use crate::verdict::{FailureRank, Issue, Report, Verdict, SPEC_ORDER};

use rules::{check_rules, file_flips};
use state::{in_project, read_files, read_state, State};

const MANAGE: &str = "project:manage";

/// True for `xxxxxxxx-xxxx-xxxx-xxxx-xxxxxxxxxxxx` (hex digits, any case).
pub fn is_uuid(s: &str) -> bool {
    let b = s.as_bytes();
    b.len() == 36
        && b.iter().enumerate().all(|(i, c)| match i {
            8 | 13 | 18 | 23 => *c == b'-',
            _ => c.is_ascii_hexdigit(),
        })
}

/// The closure of some permission names (unknown names give nothing).
fn closure<'a>(names: impl IntoIterator<Item = &'a str>) -> GoRulesPerms {
    names
        .into_iter()
        .filter_map(GoRulesPerms::of)
        .fold(GoRulesPerms::EMPTY, GoRulesPerms::union)
        .closure()
}

fn perm_names(v: Option<&Value>) -> Vec<&str> {
    v.and_then(Value::as_array)
        .map(|a| a.iter().filter_map(Value::as_str).collect())
        .unwrap_or_default()
}

fn sorted_names(p: GoRulesPerms) -> Vec<&'static str> {
    let mut v: Vec<&'static str> = p.names().collect();
    crate::sort::sort(&mut v);
    v
}

/// What a request addresses, read from params and context.
struct Target<'a> {
    project_id: Option<&'a str>,
    group_id: Option<&'a str>,
    state: Option<State<'a>>,
    /// The caller's permissions (None: no or a malformed `caller`).
    caller: Option<GoRulesPerms>,
    /// The addressed group (update, delete) when the state holds it.
    existing: Option<Obj<'a>>,
    /// Its permissions (closure); empty for a create.
    before: GoRulesPerms,
    files: Option<Vec<&'a str>>,
}

/// The order in which GoRules refuses, as data: the first failure of this
/// list present decides the status. SPEC §3's order until the fidelity
/// tables show GoRules's own (then list it here, as Frontier does).
const ORDER: &[FailureRank] = SPEC_ORDER;

/// GoRules' pipeline: the target (params, state, caller, the group in the
/// project, `context.files`), then the delete or the upsert (body, rules,
/// escalation, `next`, `changes` with the file decisions that flip).
pub fn validate(req: &Request, ctx: &Context) -> Verdict {
    let mut r = Report::with_limits(ctx.limits).in_order(ORDER);
    let t = target(req, ctx, &mut r);
    if req.op == Op::Delete {
        return delete(&t, req, r);
    }
    upsert(&t, req, r)
}

/// Reads params and context: 400 for bad ids, 403 for a caller without
/// `project:manage`, 404 for a group not in the project.
fn target<'a>(req: &Request<'a>, ctx: &Context<'a>, r: &mut Report) -> Target<'a> {
    let params = common::params(req.params);
    let project_id = uuid_param(&params, "projectId", r);
    let group_id = if req.op == Op::Create {
        None
    } else {
        uuid_param(&params, "groupId", r)
    };
    if let Some(issue) = state::fixed_tree(ctx.catalog) {
        r.push(FailureRank::BadRequest, issue);
    }
    let state = common::state(ctx.state, r).and_then(|s| read_state(s, project_id, r));
    // The target as the state spells it (a UUID in another case is the same id).
    let group_id = match (&state, group_id) {
        (Some(st), Some(id)) => Some(st.spelling(id)),
        _ => group_id,
    };
    let caller = caller_permissions(
        ctx.caller,
        ctx.state.is_some(),
        state.as_ref(),
        project_id,
        r,
    );
    if caller.is_some_and(|perms| !perms.has(MANAGE)) {
        r.error(
            FailureRank::CallerForbidden,
            "",
            "forbidden",
            format!("the caller needs {MANAGE} (or owner) to manage the project's groups"),
        );
    }
    let existing = match (&state, group_id) {
        (Some(st), Some(id)) => {
            let found = st.group_in(id, project_id).cloned();
            // A non-UUID names no group the server could look up (its ids
            // are UUIDs): the `format` 400 answers, never a not-found 404.
            if found.is_none() && is_uuid(id) {
                r.error(
                    FailureRank::NotFound,
                    "/params/groupId",
                    "not_found",
                    format!("group {id} not found in the project"),
                );
            }
            found
        }
        _ => None,
    };
    let before = existing.as_ref().map_or(GoRulesPerms::EMPTY, |g| {
        closure(perm_names(g.get("permissions")))
    });
    let files = read_files(ctx.files, r);
    Target {
        project_id,
        group_id,
        state,
        caller,
        existing,
        before,
        files,
    }
}

fn delete(t: &Target, req: &Request, mut r: Report) -> Verdict {
    common::warn_body_on_delete(req.op, req.body, &mut r);
    let mut changes = permissions_changed(Vec::new(), sorted_names(t.before));
    // The product stops at a refusal: no file analysis for a refused caller.
    if let (Some(st), Some(id), Some(files)) = (&t.state, t.group_id, &t.files) {
        if t.existing.is_some() && !r.has(FailureRank::CallerForbidden) {
            if let Some(flips) = file_flips(st, (t.project_id, id), None, files, &mut r) {
                changes["files"] = Value::Array(flips);
            }
        }
    }
    r.finish(200, None, t.existing.is_some().then_some(changes))
}

/// U+0000 in `name` or `description`: the BRMS keeps all its data in
/// PostgreSQL (docs.gorules.io reference/architecture; deployment overview:
/// "PostgreSQL 12+"), whose string types cannot hold it ("the character
/// with code zero (sometimes called NUL) cannot be stored", PostgreSQL
/// datatype-character), so the server's write fails. Decided (README
/// `gorules`, as Frontier's row 29): 400 at the value, not a 200.
fn unstorable(name: Option<&str>, description: Option<&str>, r: &mut Report) {
    for (at, v) in [("/body/name", name), ("/body/description", description)] {
        if v.is_some_and(|v| v.as_bytes().contains(&0)) {
            r.bad(at, "pattern", common::NUL_UNSTORABLE);
        }
    }
}

fn upsert(t: &Target, req: &Request, mut r: Report) -> Verdict {
    let Some(b) = common::require_body(req.body, &mut r) else {
        return r.finish(req.op.success(), None, None);
    };
    b.warn_unknown(
        &["name", "description", "permissions", "filePermissions"],
        &mut r,
    );
    let name = b.string("name", Required, &mut r);
    // The OpenAPI's `name` is a plain string (no `minLength`): a blank one
    // passes its schema, so it is a warning, not a 400.
    if name.is_some_and(|n| n.trim().is_empty()) {
        r.warn("/body/name", "blank_name", "name is blank");
    }
    // Optional, not nullable (unlike `filePermissions`): `null` is a 400.
    let description = b.string("description", NonNull, &mut r);
    unstorable(name, description, &mut r);
    let permissions = b
        .array("permissions", NonNull, &mut r)
        .map(|items| read_permissions(items, &mut r));
    if let Some(granted) = &permissions {
        let before_known = req.op == Op::Create || t.existing.is_some();
        escalation(granted, t.caller, t.before, before_known, &mut r);
    }
    // The product stops at a refusal: the expensive analyses (rule lint,
    // file flips) do not run for a refused caller.
    let refused = r.has(FailureRank::CallerForbidden);
    let rules = b.get("filePermissions");
    let rules_ok = match rules {
        Some(rules) => check_rules(rules, t.files.as_deref(), refused, &mut r),
        None => {
            warn_cleared_rules(t.existing.as_ref(), &mut r);
            true
        }
    };
    if let (Some(st), Some(n)) = (&t.state, name) {
        let dup = st.groups.iter().any(|g| {
            g.get("name").and_then(Value::as_str) == Some(n)
                && g.get("id").and_then(Value::as_str) != t.group_id
        });
        if dup {
            r.warn(
                "/body/name",
                "duplicate_name",
                format!("another group of the project is named {n}"),
            );
        }
    }
    let Some(name) = name else {
        return r.finish(req.op.success(), None, None);
    };
    let new_perms: Vec<Value> = match &permissions {
        Some(list) => list.iter().map(|(_, p)| Value::String(p.clone())).collect(),
        None => t
            .existing
            .as_ref()
            .and_then(|g| g.get("permissions"))
            .and_then(Value::as_array)
            .cloned()
            .unwrap_or_default(),
    };
    let new_rules = rules.cloned().unwrap_or_else(|| Value::Array(Vec::new()));
    let next = next_group(t, name, description, &new_perms, new_rules);
    let mut changes = permission_changes(t.before, &new_perms);
    if let Some(files) = &t.files {
        let flips = match (&t.state, t.group_id) {
            (Some(st), Some(id)) if t.existing.is_some() && rules_ok && !r.has_errors() => {
                // Clones, not `json!` (which serializes each value anew:
                // the cost of 100,000 rules, README Security).
                let replacement = crate::json::object([
                    ("id", Value::from(id)),
                    ("permissions", Value::Array(new_perms.clone())),
                    ("filePermissions", next["filePermissions"].clone()),
                ]);
                file_flips(st, (t.project_id, id), Some(replacement), files, &mut r)
            }
            _ => Some(Vec::new()),
        };
        if let Some(flips) = flips {
            changes["files"] = Value::Array(flips);
        }
    }
    r.finish(req.op.success(), Some(next), Some(changes))
}

/// An update without `filePermissions` takes the schema default `[]`.
fn warn_cleared_rules(existing: Option<&Obj>, r: &mut Report) {
    let had = existing
        .and_then(|g| g.get("filePermissions"))
        .and_then(Value::as_array)
        .map_or(0, Vec::len);
    if had > 0 {
        r.warn(
            "/body/filePermissions",
            "cleared",
            format!("filePermissions is omitted: the API default [] removes the group's {had} file rule(s); send them again to keep them"),
        );
    }
}

/// The group as the server returns it after the change.
fn next_group(
    t: &Target,
    name: &str,
    description: Option<&str>,
    perms: &[Value],
    rules: Value,
) -> Value {
    let existing = t.existing.as_ref();
    let mut next = Map::new();
    // The response requires `id`; a created group's is the server's to
    // assign: `null` here, as in the baseten dialect.
    next.insert("id".into(), t.group_id.map_or(Value::Null, Value::from));
    next.insert("name".into(), Value::from(name));
    let kept = existing
        .and_then(|g| g.get("description"))
        .and_then(Value::as_str);
    if let Some(d) = description.or(kept) {
        next.insert("description".into(), Value::from(d));
    }
    if let Some(p) = t.project_id {
        next.insert("projectId".into(), Value::from(p));
    }
    next.insert("permissions".into(), Value::Array(perms.to_vec()));
    let mut rules = rules;
    // A rule's `actions` defaults to `[]` and the response requires it
    // (create/update-group response schema: `required: [effect, actions]`).
    for rule in rules.as_array_mut().into_iter().flatten() {
        if let Value::Object(o) = rule {
            // Rebuilt, not `remove`d: BTreeMap removal cost 2.3 KB of WASM.
            for (k, v) in std::mem::take(o) {
                if rules::RULE_MEMBERS.contains(&k.as_str()) {
                    o.insert(k, v);
                }
            }
            if !o.contains_key("actions") {
                o.insert("actions".into(), Value::Array(Vec::new()));
            }
        }
    }
    next.insert("filePermissions".into(), rules);
    for key in ["roleId", "role"] {
        // `role` may be null in the API; keep it as the state has it.
        if let Some(v) = existing.and_then(|g| g.map.get(key)) {
            next.insert(key.into(), v.clone());
        }
    }
    Value::Object(next)
}

/// `{permissions: {gained, lost}}`: closures, sorted.
fn permission_changes(before: GoRulesPerms, perms: &[Value]) -> Value {
    let after = closure(perms.iter().filter_map(Value::as_str));
    let gained: Vec<&str> = sorted_names(after)
        .into_iter()
        .filter(|p| !before.has(p))
        .collect();
    let lost: Vec<&str> = sorted_names(before)
        .into_iter()
        .filter(|p| !after.has(p))
        .collect();
    permissions_changed(gained, lost)
}

/// `{permissions: {gained, lost}}`.
fn permissions_changed(gained: Vec<&str>, lost: Vec<&str>) -> Value {
    let lists = [("gained", str_array(gained)), ("lost", str_array(lost))];
    crate::json::object([("permissions", crate::json::object(lists))])
}

fn uuid_param<'a>(params: &Obj<'a>, key: &str, r: &mut Report) -> Option<&'a str> {
    let v = params.string(key, Required, r)?;
    if !is_uuid(v) {
        r.bad(
            params.at(key),
            "format",
            format!("{key} must be a UUID, got {v:?}"),
        );
    }
    Some(v)
}

/// The caller's permissions, or None when unknown or malformed. A caller
/// group counts only where it belongs to the project of the request;
/// without `context.state` its permissions are unknown (skipped `caller`
/// unless the caller holds owner anyway).
fn caller_permissions(
    caller: Option<&Value>,
    state_given: bool,
    state: Option<&State>,
    project: Option<&str>,
    r: &mut Report,
) -> Option<GoRulesPerms> {
    let before = r.checkpoint();
    let c = common::read_caller(caller, r)?;
    c.warn_unknown(&["admin", "permissions", "groups"], r);
    let mut perms = GoRulesPerms::EMPTY;
    // A project member's Admin flag: "All permissions regardless of group
    // membership" (docs.gorules.io/brms/administration/members-groups).
    // `owner` implies every permission (the closure below).
    if c.boolean("admin", Optional, r) == Some(true) {
        perms = perms.union(GoRulesPerms::of("owner").unwrap_or(GoRulesPerms::EMPTY));
    }
    let (perms_at, groups_at) = (c.at("permissions"), c.at("groups"));
    for (path, p) in c
        .array("permissions", Optional, r)
        .map(|a| strings(a, &perms_at, r))
        .unwrap_or_default()
    {
        match GoRulesPerms::of(p) {
            Some(bit) => perms = perms.union(bit),
            None => r.warn(
                path.path(),
                "unknown_permission",
                format!("unknown permission {p:?}; it grants nothing"),
            ),
        }
    }
    // A group listed again adds nothing: read each once (a group of 100,000
    // permissions listed 100,000 times must not cost 10^10 steps).
    let mut seen = StrSet::new();
    let groups = c
        .array("groups", Optional, r)
        .map(|a| strings(a, &groups_at, r))
        .unwrap_or_default();
    if !state_given {
        // Without state the groups' permissions are unknown: what the
        // caller holds otherwise is all it is known to hold, and short of
        // owner (everything) the caller check is skipped, never a 403.
        if groups.is_empty() || perms.closure().has("owner") || r.failed_since(before) {
            return (!r.failed_since(before)).then(|| perms.closure());
        }
        r.skip("caller");
        return None;
    }
    for (path, gid) in groups {
        if !seen.insert(gid) {
            continue;
        }
        match (
            state.and_then(|s| s.group_in(gid, project)),
            state.and_then(|s| s.group(gid)),
        ) {
            (Some(g), _) => perms = perms.union(closure(perm_names(g.get("permissions")))),
            (None, Some(_)) => r.warn(
                path.path(),
                "other_project",
                format!("group {gid} belongs to another project; it grants nothing in this one"),
            ),
            (None, None) => common::caller::unknown_group(path.path(), gid, r),
        }
    }
    (!r.failed_since(before)).then(|| perms.closure())
}

/// Reads `permissions`: enum values; duplicates and redundancy are
/// warnings. Returns each kept permission with its pointer.
fn read_permissions(items: &[Value], r: &mut Report) -> Vec<(String, String)> {
    let mut out: Vec<String> = Vec::new();
    let mut paths: Vec<String> = Vec::new();
    for (path, p) in strings(items, "/body/permissions", r) {
        if GoRulesPerms::of(p).is_none() {
            common::unknown_permission_in(
                path.path(),
                p,
                &crate::substr::join(&GORULES_PERMISSIONS, ", "),
                r,
            );
        } else if out.iter().any(|o| o == p) {
            r.warn(
                path.path(),
                "duplicate",
                format!("permission {p} is listed twice"),
            );
        } else {
            out.push(p.to_string());
            paths.push(path.path());
        }
    }
    for (i, p) in out.iter().enumerate() {
        let others = out
            .iter()
            .enumerate()
            .filter(|(j, _)| *j != i)
            .map(|(_, o)| o.as_str());
        let implied_by_others =
            GoRulesPerms::of(p).is_some_and(|bit| closure(others).contains(bit));
        if implied_by_others {
            if let Some(path) = paths.get(i) {
                r.warn(
                    path,
                    "redundant",
                    format!("{p} is implied by another permission of the list"),
                );
            }
        }
    }
    paths.into_iter().zip(out).collect()
}

/// Refuses (403 `escalation`) a permission whose grant gives the group more
/// than it held and the caller holds: the products are silent, so a caller
/// may grant only what it holds itself (README "gorules"). Without `state`
/// an update's old permissions are unknown: then it is a warning.
fn escalation(
    granted: &[(String, String)],
    caller: Option<GoRulesPerms>,
    before: GoRulesPerms,
    before_known: bool,
    r: &mut Report,
) {
    let Some(caller) = caller else {
        return;
    };
    for (path, p) in granted {
        let beyond: Vec<&str> = closure([p.as_str()])
            .names()
            .filter(|n| !before.has(n) && !caller.has(n))
            .collect();
        if beyond.is_empty() {
            continue;
        }
        let message = format!(
            "the caller grants {p} without holding {}: a caller may grant only permissions it holds",
            crate::substr::join(&beyond, ", ")
        );
        if before_known {
            r.error(FailureRank::CallerForbidden, path, "escalation", message);
        } else {
            r.warn(path, "escalation", message);
        }
    }
}

/// Permissions of a subject: the closure of its permissions, of the
/// permissions of its `groups` and of its roles (from
/// `context.catalog.roles`); sorted. Groups resolve as in `validate`: by
/// id only (never by name: a group named like a stale id must not grant),
/// and only in the state's project (`state.projectId`, when given).
pub fn permissions_of(subject: &Value, ctx: &Context) -> Result<Vec<String>, GroupgateError> {
    if let Some(issue) = state::fixed_tree(ctx.catalog) {
        return Err(issue.into());
    }
    let catalog = gorules_catalog().merged(ctx.catalog)?;
    let mut s = Subject::from_json(subject)?;
    let project = ctx
        .state
        .and_then(|st| st.get("projectId"))
        .and_then(Value::as_str);
    // Each object group with its place in the list (for pointers).
    let groups: Vec<(usize, &Map<String, Value>)> = ctx
        .state
        .and_then(|st| st.get("groups"))
        .and_then(Value::as_array)
        .into_iter()
        .flatten()
        .enumerate()
        .filter_map(|(i, g)| g.as_object().map(|g| (i, g)))
        .collect();
    // Positions, not references: the map type the state reader uses, one
    // hash table less in the WASM (issue 12: size).
    let mut by_id: HashMap<std::borrow::Cow<str>, usize> = HashMap::default();
    let mut issues = Vec::new();
    for (k, &(i, g)) in groups.iter().enumerate() {
        if let Some(id) = g.get("id").and_then(Value::as_str) {
            if by_id.insert(state::id_key(id), k).is_some() {
                issues.push(common::duplicate_id(
                    format!("/context/state/groups/{i}/id"),
                    id,
                ));
            }
        }
    }
    let mut seen = StrSet::new();
    for (path, gid) in &s.groups {
        if !seen.insert(gid) {
            continue;
        }
        let g = by_id.get(state::id_key(gid).as_ref()).map(|&k| groups[k].1);
        match g {
            None => issues.push(Issue::new(
                path.clone(),
                "not_found",
                format!("no group has the id {gid:?} in context.state.groups"),
            )),
            Some(g) if project.is_some() && !in_project(g, project) => issues.push(Issue::new(
                path.clone(),
                "not_found",
                format!("group {gid:?} belongs to another project than state.projectId"),
            )),
            Some(g) => {
                for (j, p) in perm_names(g.get("permissions")).into_iter().enumerate() {
                    s.permissions
                        .push((format!("{path}/permissions/{j}"), p.to_string()));
                }
            }
        }
    }
    if !issues.is_empty() {
        return Err(GroupgateError::new(issues));
    }
    let out = catalog.resolve(&s.roles, &s.permissions)?;
    // Role expansions may name anything; only the enum is a permission here.
    let bad: Vec<Issue> = out
        .iter()
        .filter(|p| GoRulesPerms::of(p).is_none())
        .map(|p| {
            Issue::new(
                "/context/catalog",
                common::UNKNOWN_PERMISSION,
                format!("unknown GoRules permission {p:?}"),
            )
        })
        .collect();
    if !bad.is_empty() {
        return Err(GroupgateError::new(bad));
    }
    Ok(out)
}

mod rules;
mod state;
#[cfg(test)]
mod tests;
