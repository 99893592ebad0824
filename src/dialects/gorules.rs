//! The `gorules` dialect: GoRules BRMS project groups (SPEC §1.5).
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
//! caller:  { permissions?: [permission], groups?: [groupId] }   // groups: looked up in state.groups
//! files:   [path]                                                // project files, for changes.files
//! catalog: { roles?: {NAME: [permission]} }                      // only for permissionsOf roles
//! ```
//!
//! The caller's permissions are the closure (SPEC §1.5 tree) of its own
//! permissions and those of its groups. Creating, updating and deleting a
//! group needs `project:manage` (which `owner` implies).
//!
//! Decisions (SPEC is silent):
//! * `projectId`/`groupId` must be UUIDs (400 `format`).
//! * A blank `name` is `required`. Another group with the same name is a
//!   warning (`duplicate_name`).
//! * Update follows the OpenAPI schema literally: an omitted `description`
//!   or `permissions` is unchanged; an omitted `filePermissions` takes the
//!   schema default `[]`, i.e. clears the rules (warning `cleared` when the
//!   group had some). Send them again to keep them.
//! * A permission implied by another one of the list is a warning
//!   (`redundant`); a repeated one a warning (`duplicate`). Granting `owner`
//!   without holding it is a warning (`escalation`).
//! * File-rule lint findings (dead, shadowed, matching none of
//!   `context.files`) are warnings at `/body/filePermissions/...`; so is a
//!   rule list with no allow (`rules.deny_only`): with rules present, SPEC §2
//!   default-denies every file no rule allows.
//! * A group (or the state) of another project is not found (404).
//! * `changes`: `{permissions: {gained, lost}, files?: [{member, path, action,
//!   before, after}]}`; permissions are closures, sorted. `files` is there
//!   when `context.files` is given: every (member of the group, file,
//!   action) whose decision flips, members in state order, files in the
//!   given order, actions visible/modify/write/delete. A created group has
//!   no members yet.

use serde_json::{json, Map, Value};

use super::{Context, Op, Request};
use crate::error::GroupgateError;
use crate::files::{rule_issues, Action, FilePolicy, PolicyOptions, ProjectVersion};
use crate::glob::normalize_path;
use crate::input::{object, strings, Obj, Optional, Required};
use crate::permissions::{gorules_catalog, GoRulesPerms, Subject, GORULES_PERMISSIONS};
use crate::verdict::{ptr, Class, Issue, Report, Verdict};

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
    v.sort_unstable();
    v
}

struct State<'a> {
    /// `state.groups`, whole (for the file policy) and read.
    groups_value: Option<&'a Value>,
    /// `state.projectVersion` ("v1" by default): which permissions gate
    /// file actions in `changes.files` (see `files::ProjectVersion`).
    project_version: ProjectVersion,
    groups: Vec<Obj<'a>>,
    members: Vec<(&'a str, Vec<&'a str>)>,
}

impl<'a> State<'a> {
    fn group(&self, id: &str) -> Option<&Obj<'a>> {
        self.groups
            .iter()
            .find(|g| g.get("id").and_then(Value::as_str) == Some(id))
    }
}

pub fn validate(req: &Request, ctx: &Context) -> Verdict {
    let mut r = Report::with_limits(ctx.limits);
    let params = Obj {
        map: req.params,
        path: "/params".into(),
    };
    let project_id = uuid_param(&params, "projectId", &mut r);
    let group_id = if req.op == Op::Create {
        None
    } else {
        uuid_param(&params, "groupId", &mut r)
    };

    let state = match ctx.state {
        None => {
            r.skip("state");
            None
        }
        Some(s) => read_state(s, project_id, &mut r),
    };
    let caller = caller_permissions(ctx.caller, state.as_ref(), &mut r);
    if let Some(perms) = caller {
        if !perms.has(MANAGE) {
            r.error(
                Class::CallerForbidden,
                "",
                "forbidden",
                format!("the caller needs {MANAGE} (or owner) to manage the project's groups"),
            );
        }
    }

    let existing = match (&state, group_id) {
        (Some(st), Some(id)) => {
            let found = st.group(id).filter(|g| {
                g.get("projectId")
                    .and_then(Value::as_str)
                    .is_none_or(|p| Some(p) == project_id)
            });
            if found.is_none() {
                r.error(
                    Class::NotFound,
                    "/params/groupId",
                    "not_found",
                    format!("group {id} not found in the project"),
                );
            }
            found.cloned()
        }
        _ => None,
    };
    let before = existing.as_ref().map_or(GoRulesPerms::EMPTY, |g| {
        closure(perm_names(g.get("permissions")))
    });

    let files = read_files(ctx.files, &mut r);

    if req.op == Op::Delete {
        if req.body.is_some() {
            r.warn("/body", "ignored", "DELETE has no body; it is ignored");
        }
        let mut changes = json!({
            "permissions": {"gained": [], "lost": sorted_names(before)},
        });
        if let (Some(st), Some(id), Some(files)) = (&state, group_id, &files) {
            if existing.is_some() {
                if let Some(flips) = file_flips(st, id, None, files, &mut r) {
                    changes["files"] = Value::Array(flips);
                }
            }
        }
        return r.finish(200, None, existing.is_some().then_some(changes));
    }

    let Some(body) = req.body else {
        r.bad("/body", "required", "body is required");
        return r.finish(req.op.success(), None, None);
    };
    let Some(b) = object(body, "/body", &mut r) else {
        return r.finish(req.op.success(), None, None);
    };
    b.warn_unknown(
        &["name", "description", "permissions", "filePermissions"],
        &mut r,
    );
    let name = b.string("name", Required, &mut r);
    if name.is_some_and(|n| n.trim().is_empty()) {
        r.bad("/body/name", "required", "name can not be empty");
    }
    let description = b.string("description", Optional, &mut r);
    let permissions = b
        .array("permissions", Optional, &mut r)
        .map(|items| read_permissions(items, caller, &mut r));

    let rules = b.get("filePermissions");
    let mut rules_ok = true;
    if let Some(rules) = rules {
        for issue in rule_issues(rules, "/body/filePermissions", &r.limits()) {
            rules_ok = false;
            r.push(Class::BadRequest, issue);
        }
        if rules_ok {
            let group = json!([{"id": "_", "filePermissions": rules}]);
            let valid: Vec<&str> = files.as_deref().unwrap_or_default().to_vec();
            let lint = FilePolicy::lint_json(
                &group,
                PolicyOptions {
                    limits: r.limits(),
                    ..Default::default()
                },
                files.as_ref().map(|_| valid.as_slice()),
            );
            let list = rules.as_array().map_or(&[][..], Vec::as_slice);
            let allows = list
                .iter()
                .any(|rule| rule.get("effect").and_then(Value::as_str) == Some("allow"));
            if !list.is_empty() && !allows {
                r.warn(
                    "/body/filePermissions",
                    "rules.deny_only",
                    "every rule denies: once a member's groups have file rules, files no rule allows are denied (default deny), so members see only what another of their groups allows",
                );
            }
            for issue in lint {
                let path = match issue.path.strip_prefix("/0/filePermissions") {
                    Some(rest) => format!("/body/filePermissions{rest}"),
                    None => "/body/filePermissions".to_string(),
                };
                // Lint findings are warnings; anything else is the rules
                // failing to compile (a limit: `limit.rules`), an error
                // (found by the hostile-input tests: 100,001 rules were a
                // warning and a 201).
                if issue.code.starts_with("lint.") {
                    r.warn(path, issue.code, issue.message);
                } else {
                    r.bad(path, issue.code, issue.message);
                }
            }
        }
    } else if let Some(g) = &existing {
        let had = g
            .get("filePermissions")
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

    if let (Some(st), Some(n)) = (&state, name) {
        let dup = st.groups.iter().any(|g| {
            g.get("name").and_then(Value::as_str) == Some(n)
                && g.get("id").and_then(Value::as_str) != group_id
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
        Some(list) => list.iter().map(|p| json!(p)).collect(),
        None => existing
            .as_ref()
            .and_then(|g| g.get("permissions"))
            .and_then(Value::as_array)
            .cloned()
            .unwrap_or_default(),
    };
    let new_rules = rules.cloned().unwrap_or_else(|| json!([]));
    let mut next = Map::new();
    if let Some(id) = group_id {
        next.insert("id".into(), json!(id));
    }
    next.insert("name".into(), json!(name));
    let description = description.map(str::to_string).or_else(|| {
        existing
            .as_ref()
            .and_then(|g| g.get("description"))
            .and_then(Value::as_str)
            .map(str::to_string)
    });
    if let Some(d) = description {
        next.insert("description".into(), json!(d));
    }
    if let Some(p) = project_id {
        next.insert("projectId".into(), json!(p));
    }
    next.insert("permissions".into(), Value::Array(new_perms.clone()));
    next.insert("filePermissions".into(), new_rules.clone());
    for key in ["roleId", "role"] {
        // `role` may be null in the API; keep it as the state has it.
        if let Some(v) = existing.as_ref().and_then(|g| g.map.get(key)) {
            next.insert(key.into(), v.clone());
        }
    }

    let after = closure(new_perms.iter().filter_map(Value::as_str));
    let gained: Vec<&str> = sorted_names(after)
        .into_iter()
        .filter(|p| !before.has(p))
        .collect();
    let lost: Vec<&str> = sorted_names(before)
        .into_iter()
        .filter(|p| !after.has(p))
        .collect();
    let mut changes = json!({"permissions": {"gained": gained, "lost": lost}});
    if let Some(files) = &files {
        let flips = match (&state, group_id) {
            (Some(st), Some(id)) if existing.is_some() && rules_ok && !r.has_errors() => {
                let replacement =
                    json!({"id": id, "permissions": new_perms, "filePermissions": new_rules});
                file_flips(st, id, Some(replacement), files, &mut r)
            }
            _ => Some(Vec::new()),
        };
        if let Some(flips) = flips {
            changes["files"] = Value::Array(flips);
        }
    }
    r.finish(req.op.success(), Some(Value::Object(next)), Some(changes))
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

/// `context.files`: project paths; bad ones are reported.
fn read_files<'a>(files: Option<&'a Value>, r: &mut Report) -> Option<Vec<&'a str>> {
    let files = files?;
    let Value::Array(items) = files else {
        crate::input::type_error(r, "/context/files", "an array of paths", files);
        return None;
    };
    let max = r.limits().max_path_bytes;
    let mut out = Vec::with_capacity(items.len());
    for (path, f) in strings(items, "/context/files", r) {
        match normalize_path(f, max) {
            Ok(_) => out.push(f),
            Err(k) => r.bad(path, k.code(), k.message()),
        }
    }
    Some(out)
}

fn read_state<'a>(state: &'a Value, project_id: Option<&str>, r: &mut Report) -> Option<State<'a>> {
    let before = r.errors().count();
    let s = object(state, "/context/state", r)?;
    if let (Some(p), Some(want)) = (s.string("projectId", Optional, r), project_id) {
        if p != want {
            r.error(
                Class::NotFound,
                "/params/projectId",
                "not_found",
                format!("project {want} not found (the state describes project {p})"),
            );
        }
    }
    let project_version = match s.string("projectVersion", Optional, r) {
        None | Some("v1") => ProjectVersion::V1,
        Some("v2") => ProjectVersion::V2,
        Some(other) => {
            r.bad(
                "/context/state/projectVersion",
                "enum",
                format!("projectVersion must be v1 or v2, got {other:?}"),
            );
            ProjectVersion::V1
        }
    };
    let mut groups = Vec::new();
    for (i, g) in s
        .array("groups", Optional, r)
        .into_iter()
        .flatten()
        .enumerate()
    {
        let Some(g) = object(g, &ptr("/context/state/groups", i), r) else {
            continue;
        };
        let id = g.string("id", Required, r).is_some();
        if let Some(perms) = g.array("permissions", Optional, r) {
            for (path, p) in strings(perms, &g.at("permissions"), r) {
                if GoRulesPerms::of(p).is_none() {
                    r.bad(path, "enum", format!("unknown permission {p:?}"));
                }
            }
        }
        if let Some(rules) = g.get("filePermissions") {
            for issue in rule_issues(rules, &g.at("filePermissions"), &r.limits()) {
                r.push(Class::BadRequest, issue);
            }
        }
        if id {
            groups.push(g);
        }
    }
    let mut members = Vec::new();
    for (i, m) in s
        .array("members", Optional, r)
        .into_iter()
        .flatten()
        .enumerate()
    {
        let Some(m) = object(m, &ptr("/context/state/members", i), r) else {
            continue;
        };
        let id = m.string("id", Required, r);
        let gs = m
            .array("groups", Required, r)
            .map(|a| strings(a, &m.at("groups"), r))
            .unwrap_or_default();
        if let Some(id) = id {
            members.push((id, gs.into_iter().map(|(_, g)| g).collect()));
        }
    }
    (r.errors().count() == before).then(|| State {
        groups_value: s.get("groups"),
        project_version,
        groups,
        members,
    })
}

/// The caller's permissions, or None when unknown or malformed.
fn caller_permissions(
    caller: Option<&Value>,
    state: Option<&State>,
    r: &mut Report,
) -> Option<GoRulesPerms> {
    let Some(caller) = caller else {
        r.skip("caller");
        return None;
    };
    let before = r.errors().count();
    let c = object(caller, "/context/caller", r)?;
    c.warn_unknown(&["permissions", "groups"], r);
    let mut perms = GoRulesPerms::EMPTY;
    for (path, p) in c
        .array("permissions", Optional, r)
        .map(|a| strings(a, &c.at("permissions"), r))
        .unwrap_or_default()
    {
        match GoRulesPerms::of(p) {
            Some(bit) => perms = perms.union(bit),
            None => r.warn(
                path,
                "unknown_permission",
                format!("unknown permission {p:?}; it grants nothing"),
            ),
        }
    }
    for (path, gid) in c
        .array("groups", Optional, r)
        .map(|a| strings(a, &c.at("groups"), r))
        .unwrap_or_default()
    {
        match state.and_then(|s| s.group(gid)) {
            Some(g) => perms = perms.union(closure(perm_names(g.get("permissions")))),
            None => r.warn(
                path,
                "unknown_group",
                format!("group {gid} is not in context.state.groups; it grants nothing"),
            ),
        }
    }
    (r.errors().count() == before).then(|| perms.closure())
}

/// Reads `permissions`: enum values; duplicates and redundancy are warnings.
fn read_permissions(items: &[Value], caller: Option<GoRulesPerms>, r: &mut Report) -> Vec<String> {
    let mut out: Vec<String> = Vec::new();
    let mut paths: Vec<String> = Vec::new();
    for (path, p) in strings(items, "/body/permissions", r) {
        if GoRulesPerms::of(p).is_none() {
            r.bad(
                path,
                "enum",
                format!(
                    "unknown permission {p:?}; expected one of {}",
                    GORULES_PERMISSIONS.join(", ")
                ),
            );
        } else if out.iter().any(|o| o == p) {
            r.warn(path, "duplicate", format!("permission {p} is listed twice"));
        } else {
            if p == "owner" && caller.is_some_and(|c| !c.has("owner")) {
                r.warn(
                    &path,
                    "escalation",
                    "the caller grants owner without holding it",
                );
            }
            out.push(p.to_string());
            paths.push(path);
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
    out
}

/// Decisions that flip for the members of group `id` when it is replaced by
/// `replacement` (None: deleted). None when the state's policy is invalid.
fn file_flips(
    st: &State,
    id: &str,
    replacement: Option<Value>,
    files: &[&str],
    r: &mut Report,
) -> Option<Vec<Value>> {
    let members: Vec<&(&str, Vec<&str>)> = st
        .members
        .iter()
        .filter(|(_, gs)| gs.contains(&id))
        .collect();
    if members.is_empty() || files.is_empty() {
        return Some(Vec::new());
    }
    let old_groups = st.groups_value.cloned().unwrap_or_else(|| json!([]));
    let mut new_groups: Vec<Value> = Vec::new();
    for g in old_groups.as_array().into_iter().flatten() {
        if g.get("id").and_then(Value::as_str) == Some(id) {
            if let Some(rep) = &replacement {
                new_groups.push(rep.clone());
            }
        } else {
            new_groups.push(g.clone());
        }
    }
    let compile = |groups: &Value, r: &mut Report| match FilePolicy::from_json(
        groups,
        PolicyOptions {
            limits: r.limits(),
            project_version: st.project_version,
            ..Default::default()
        },
    ) {
        Ok(p) => Some(p),
        Err(e) => {
            for issue in e.issues {
                r.push(
                    Class::BadRequest,
                    Issue::new(
                        format!("/context/state/groups{}", issue.path),
                        issue.code,
                        issue.message,
                    ),
                );
            }
            None
        }
    };
    let before = compile(&old_groups, r)?;
    let after = compile(&Value::Array(new_groups), r)?;
    let mut out = Vec::new();
    for (member, groups) in members {
        let (m0, m1) = (before.member(groups), after.member(groups));
        for f in files {
            for action in Action::ALL {
                let (Ok(a), Ok(b)) = (
                    before.check_member(&m0, f, action),
                    after.check_member(&m1, f, action),
                ) else {
                    continue;
                };
                if a != b {
                    out.push(json!({"member": member, "path": f, "action": action.name(), "before": a, "after": b}));
                }
            }
        }
    }
    Some(out)
}

/// Permissions of a subject: the closure of its permissions, of the
/// permissions of its `groups` (ids or names in `context.state.groups`)
/// and of its roles (from `context.catalog.roles`); sorted.
pub fn permissions_of(subject: &Value, ctx: &Context) -> Result<Vec<String>, GroupgateError> {
    let catalog = gorules_catalog().merged(ctx.catalog)?;
    let mut s = Subject::from_json(subject)?;
    let groups = ctx
        .state
        .and_then(|st| st.get("groups"))
        .and_then(Value::as_array);
    let mut issues = Vec::new();
    for (path, gid) in &s.groups {
        let g = groups.and_then(|gs| {
            gs.iter()
                .find(|g| g.get("id").and_then(Value::as_str) == Some(gid.as_str()))
                .or_else(|| {
                    gs.iter()
                        .find(|g| g.get("name").and_then(Value::as_str) == Some(gid.as_str()))
                })
        });
        match g {
            None => issues.push(Issue::new(
                path.clone(),
                "not_found",
                format!("group {gid:?} is not in context.state.groups"),
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
                "enum",
                format!("unknown GoRules permission {p:?}"),
            )
        })
        .collect();
    if !bad.is_empty() {
        return Err(GroupgateError::new(bad));
    }
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::dialects::validate as run;

    const P: &str = "11111111-1111-4111-8111-111111111111";
    const G1: &str = "aaaaaaaa-aaaa-4aaa-8aaa-aaaaaaaaaaaa";
    const G2: &str = "bbbbbbbb-bbbb-4bbb-8bbb-bbbbbbbbbbbb";
    const NEW: &str = "cccccccc-cccc-4ccc-8ccc-cccccccccccc";

    fn v(req: Value, ctx: Value) -> Verdict {
        run("gorules", &req, &ctx)
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

    fn manager() -> Value {
        json!({"caller": {"permissions": ["project:manage"]}, "state": state()})
    }

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
                update(json!({"name": ""})),
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
                "enum",
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
                "enum",
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
            (create(ok.clone()), manager(), 201),
            (
                create(
                    json!({"name": "x", "description": "", "permissions": [], "filePermissions": null}),
                ),
                json!({}),
                201,
            ),
            (
                update(json!({"name": "a", "permissions": GORULES_PERMISSIONS})),
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
        let got: Vec<_> = verdict
            .errors
            .iter()
            .map(|e| (e.path.as_str(), e.code))
            .collect();
        assert_eq!(
            got,
            [
                ("/params/projectId", "format"),
                ("", "forbidden"),
                ("/body/name", "required"),
                ("/body/permissions/1", "type"),
                ("/body/permissions/2", "enum"),
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
            json!({"caller": {"permissions": ["project:manage"]}, "state": state()}),
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
        let w: Vec<_> = verdict
            .warnings
            .iter()
            .map(|w| (w.path.as_str(), w.code))
            .collect();
        assert_eq!(
            w,
            [
                ("/body/permissions/2", "duplicate"),
                ("/body/permissions/1", "redundant"),
                ("/body/filePermissions", "cleared"),
            ]
        );

        let verdict = v(
            update(
                json!({"name": "a", "permissions": ["owner"], "filePermissions": [{"effect": "allow", "actions": [], "patterns": "*"}]}),
            ),
            json!({"caller": {"permissions": ["project:manage"]}}),
        );
        let w: Vec<_> = verdict
            .warnings
            .iter()
            .map(|w| (w.path.as_str(), w.code))
            .collect();
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
        let got = permissions_of(
            &json!({"groups": ["authors"], "permissions": ["releases"]}),
            &ctx,
        )
        .unwrap();
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
        let err =
            permissions_of(&json!({"permissions": ["documents", "admin"]}), &ctx).unwrap_err();
        assert_eq!(
            (err.issues[0].path.as_str(), err.code()),
            ("/permissions/1", "enum")
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
                        let verdict = run(dialect, &req, &ctx);
                        assert!([200, 201, 400, 403, 404, 409].contains(&verdict.status));
                        let req = json!({"op": op, "params": {"projectId": P, "groupId": G1, "org_id": "o", "id": "g", "projectName": "p"}, "body": b});
                        let ctx = json!({"state": b, "caller": a, "files": a});
                        run(dialect, &req, &ctx);
                        let _ = crate::dialects::permissions_of(dialect, a, &ctx);
                    }
                }
            }
        }
    }
}
