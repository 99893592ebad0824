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
//! state:   { projectId?,
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

use std::collections::HashMap;

use serde_json::{json, Map, Value};

use super::{Context, Op, Request};
use crate::error::GroupgateError;
use crate::files::{rule_issues, Action, FilePolicy, PolicyOptions};
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
    groups: Vec<Obj<'a>>,
    /// Index of `groups` by id (the first group of an id), so looking up
    /// 10,000 caller groups is linear.
    by_id: HashMap<&'a str, usize>,
    members: Vec<(&'a str, Vec<&'a str>)>,
}

impl<'a> State<'a> {
    /// The group with this id, in whichever project.
    fn group(&self, id: &str) -> Option<&Obj<'a>> {
        self.by_id.get(id).map(|&i| &self.groups[i])
    }

    /// The group with this id when it belongs to `project` (a group without
    /// `projectId` belongs to the state's project). The one resolution rule
    /// for targets, caller groups and `permissionsOf`: by id, in the project.
    fn group_in(&self, id: &str, project: Option<&str>) -> Option<&Obj<'a>> {
        self.group(id).filter(|g| in_project(g.map, project))
    }
}

/// True when a group (as the state holds it) belongs to `project`.
fn in_project(group: &Map<String, Value>, project: Option<&str>) -> bool {
    group
        .get("projectId")
        .and_then(Value::as_str)
        .is_none_or(|p| Some(p) == project)
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
    let caller = caller_permissions(ctx.caller, state.as_ref(), project_id, &mut r);
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
            let found = st.group_in(id, project_id);
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
            if existing.is_some() && !r.has(Class::CallerForbidden) {
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
        .map(|items| read_permissions(items, &mut r));
    if let Some(granted) = &permissions {
        let before_known = req.op == Op::Create || existing.is_some();
        escalation(granted, caller, before, before_known, &mut r);
    }
    // The product stops at a refusal: the expensive analyses (rule lint,
    // file flips) do not run for a refused caller.
    let refused = r.has(Class::CallerForbidden);

    let rules = b.get("filePermissions");
    let mut rules_ok = true;
    if let Some(rules) = rules {
        rules_ok = check_rules(rules, files.as_deref(), refused, &mut r);
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
        Some(list) => list.iter().map(|(_, p)| json!(p)).collect(),
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
    let mut by_id = HashMap::with_capacity(groups.len());
    for (i, g) in groups.iter().enumerate() {
        if let Some(id) = g.get("id").and_then(Value::as_str) {
            by_id.entry(id).or_insert(i);
        }
    }
    (r.errors().count() == before).then(|| State {
        groups_value: s.get("groups"),
        groups,
        by_id,
        members,
    })
}

/// The caller's permissions, or None when unknown or malformed. A caller
/// group counts only where it belongs to the project of the request.
fn caller_permissions(
    caller: Option<&Value>,
    state: Option<&State>,
    project: Option<&str>,
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
        match (
            state.and_then(|s| s.group_in(gid, project)),
            state.and_then(|s| s.group(gid)),
        ) {
            (Some(g), _) => perms = perms.union(closure(perm_names(g.get("permissions")))),
            (None, Some(_)) => r.warn(
                path,
                "other_project",
                format!("group {gid} belongs to another project; it grants nothing in this one"),
            ),
            (None, None) => r.warn(
                path,
                "unknown_group",
                format!("group {gid} is not in context.state.groups; it grants nothing"),
            ),
        }
    }
    (r.errors().count() == before).then(|| perms.closure())
}

/// Reads `permissions`: enum values; duplicates and redundancy are
/// warnings. Returns each kept permission with its pointer.
fn read_permissions(items: &[Value], r: &mut Report) -> Vec<(String, String)> {
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
    paths.into_iter().zip(out).collect()
}

/// Checks `filePermissions` of the body: its shape and globs (the file
/// engine's codes), `patterns` a string as the API says, then (unless the
/// caller is refused) the lint findings as warnings. True when the rules
/// compile.
fn check_rules(rules: &Value, files: Option<&[&str]>, refused: bool, r: &mut Report) -> bool {
    let base = "/body/filePermissions";
    // The GoRules API types `patterns` as a string; a `FilePolicy` accepts
    // arrays as a convenience, the server would not. The arrays are
    // reported here and left out of the engine's checks.
    let mut strings_only: Option<Value> = None;
    for (i, rule) in rules.as_array().into_iter().flatten().enumerate() {
        if let Some(Value::Array(_)) = rule.get("patterns") {
            r.bad(
                ptr(&ptr(base, i), "patterns"),
                "type",
                "patterns is a string in the GoRules API (globs separated by commas or newlines), not an array",
            );
            strings_only.get_or_insert_with(|| rules.clone())[i]["patterns"] = Value::Null;
        }
    }
    let checked = strings_only.as_ref().unwrap_or(rules);
    let mut ok = strings_only.is_none();
    for issue in rule_issues(checked, base, &r.limits()) {
        ok = false;
        r.push(Class::BadRequest, issue);
    }
    if !ok || refused {
        return ok;
    }
    let list = rules.as_array().map_or(&[][..], Vec::as_slice);
    let allows = list
        .iter()
        .any(|rule| rule.get("effect").and_then(Value::as_str) == Some("allow"));
    if !list.is_empty() && !allows {
        r.warn(
            base,
            "rules.deny_only",
            "every rule denies: once a member's groups have file rules, files no rule allows are denied (default deny), so members see only what another of their groups allows",
        );
    }
    let group = json!([{"id": "_", "filePermissions": rules}]);
    let options = PolicyOptions {
        limits: r.limits(),
        ..Default::default()
    };
    for issue in FilePolicy::lint_json(&group, options, files) {
        let path = match issue.path.strip_prefix("/0/filePermissions") {
            Some(rest) => format!("{base}{rest}"),
            None => base.to_string(),
        };
        // Lint findings are warnings; anything else is the rules failing
        // to compile (a limit: `limit.rules`), an error (found by the
        // hostile-input tests: 100,001 rules were a warning and a 201).
        if issue.code.starts_with("lint.") {
            r.warn(path, issue.code, issue.message);
        } else {
            ok = false;
            r.bad(path, issue.code, issue.message);
        }
    }
    ok
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
            beyond.join(", ")
        );
        if before_known {
            r.error(Class::CallerForbidden, path, "escalation", message);
        } else {
            r.warn(path, "escalation", message);
        }
    }
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
/// permissions of its `groups` and of its roles (from
/// `context.catalog.roles`); sorted. Groups resolve as in `validate`: by
/// id only (never by name: a group named like a stale id must not grant),
/// and only in the state's project (`state.projectId`, when given).
pub fn permissions_of(subject: &Value, ctx: &Context) -> Result<Vec<String>, GroupgateError> {
    let catalog = gorules_catalog().merged(ctx.catalog)?;
    let mut s = Subject::from_json(subject)?;
    let project = ctx
        .state
        .and_then(|st| st.get("projectId"))
        .and_then(Value::as_str);
    let mut by_id: HashMap<&str, &Map<String, Value>> = HashMap::new();
    let groups = ctx
        .state
        .and_then(|st| st.get("groups"))
        .and_then(Value::as_array);
    for g in groups.into_iter().flatten().filter_map(Value::as_object) {
        if let Some(id) = g.get("id").and_then(Value::as_str) {
            by_id.entry(id).or_insert(g);
        }
    }
    let mut issues = Vec::new();
    for (path, gid) in &s.groups {
        let g = by_id.get(gid.as_str()).copied();
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
mod tests;
