//! The GoRules context: `state` (groups indexed by id, members) and
//! `context.files`, read with every problem at its pointer.

use crate::keyed::HashMap;
use std::borrow::Cow;

use serde_json::{Map, Value};

use crate::dialects::common;
use crate::files::{rule_issues, ProjectVersion};
use crate::glob::normalize_path;
use crate::json::read::{object, strings, Obj, Optional, Required};
use crate::permissions::GoRulesPerms;
use crate::verdict::{ptr, FailureRank, Report};

pub(super) struct State<'a> {
    /// `state.groups`, whole (for the file policy) and read.
    pub(super) groups_value: Option<&'a Value>,
    /// `state.projectVersion` ("v1" by default): which permissions gate
    /// file actions in `changes.files` (see `files::ProjectVersion`).
    pub(super) project_version: ProjectVersion,
    pub(super) groups: Vec<Obj<'a>>,
    /// Index of `groups` by [`id_key`] (the first group of an id), so
    /// looking up 10,000 caller groups is linear.
    pub(super) by_id: HashMap<Cow<'a, str>, usize>,
    pub(super) members: Vec<(&'a str, Vec<&'a str>)>,
}

impl<'a> State<'a> {
    /// The group with this id, in whichever project (a UUID in any case).
    pub(super) fn group(&self, id: &str) -> Option<&Obj<'a>> {
        self.by_id
            .get(id_key(id).as_ref())
            .map(|&i| &self.groups[i])
    }

    /// The group with this id when it belongs to `project` (a group without
    /// `projectId` belongs to the state's project). The one resolution rule
    /// for targets, caller groups and `permissionsOf`: by id, in the project.
    pub(super) fn group_in(&self, id: &str, project: Option<&str>) -> Option<&Obj<'a>> {
        self.group(id).filter(|g| in_project(g.map, project))
    }

    /// The state's spelling of an id the request names (a UUID maybe in
    /// another case): the one form targets, caller groups and members'
    /// groups are compared in.
    pub(super) fn spelling(&self, id: &'a str) -> &'a str {
        self.group(id)
            .and_then(|g| g.map.get("id"))
            .and_then(Value::as_str)
            .unwrap_or(id)
    }
}

/// The key a group id is indexed by: a UUID in lower case (UUIDs are "case
/// insensitive on input", RFC 9562 §4, and GoRules keeps them in
/// PostgreSQL, whose `uuid` type compares values, not spellings), any other
/// id as written. The one rule for the target, the caller's groups, the
/// members' groups and `permissionsOf`.
pub(super) fn id_key(id: &str) -> Cow<'_, str> {
    if super::is_uuid(id) && id.bytes().any(|b| b.is_ascii_uppercase()) {
        Cow::Owned(id.to_ascii_lowercase())
    } else {
        Cow::Borrowed(id)
    }
}

/// True when a group (as the state holds it) belongs to `project`.
pub(super) fn in_project(group: &Map<String, Value>, project: Option<&str>) -> bool {
    group
        .get("projectId")
        .and_then(Value::as_str)
        .is_none_or(|p| project.is_some_and(|want| p.eq_ignore_ascii_case(want)))
}

/// `context.files`: project paths; bad ones are reported.
pub(super) fn read_files<'a>(files: Option<&'a Value>, r: &mut Report) -> Option<Vec<&'a str>> {
    let files = files?;
    let Value::Array(items) = files else {
        crate::json::read::type_error(r, "/context/files", "an array of paths", files);
        return None;
    };
    let max = r.limits().max_path_bytes;
    let mut out = Vec::with_capacity(items.len());
    for (path, f) in strings(items, "/context/files", r) {
        match normalize_path(f, max) {
            Ok(_) => out.push(f),
            Err(k) => r.bad(path.path(), k.code(), k.message()),
        }
    }
    Some(out)
}

/// `state.projectVersion`: v1 (the default) or v2.
fn read_version(s: &Obj, r: &mut Report) -> ProjectVersion {
    match s.string("projectVersion", Optional, r) {
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
    }
}

/// Checks one state group (id, permissions, file rules); true when it has
/// an id, so it can be looked up.
/// The members a state group is read for. Others (an API group carries
/// `roleId`, `role`) are skipped; a near miss of one of these is refused
/// (skipped, a `project_id` put another project's owner group in this one).
const GROUP_MEMBERS: [&str; 6] = [
    "id",
    "name",
    "description",
    "permissions",
    "filePermissions",
    "projectId",
];

fn read_group(g: &Obj, r: &mut Report) -> bool {
    g.refuse_near_misses(&GROUP_MEMBERS, r);
    let id = g.string("id", Required, r).is_some();
    if let Some(perms) = g.array("permissions", Optional, r) {
        for (path, p) in strings(perms, &g.at("permissions"), r) {
            if GoRulesPerms::of(p).is_none() {
                common::unknown_permission(path.path(), p, r);
            }
        }
    }
    if let Some(rules) = g.get("filePermissions") {
        for issue in rule_issues(rules, &g.at("filePermissions"), &r.limits()) {
            r.push(FailureRank::BadRequest, issue);
        }
    }
    id
}

/// GoRules' permissions and what they imply are the product's own (a
/// closed list, `GORULES_TREE`): `context.catalog.permissions` cannot change
/// them, in `validate` as in `permissionsOf` (roles may be described).
pub(super) fn fixed_tree(catalog: Option<&Value>) -> Option<crate::verdict::Issue> {
    let given = catalog?.get("permissions")?;
    (!given.is_null()).then(|| {
        crate::verdict::Issue::new(
            "/context/catalog/permissions",
            "unsupported",
            "GoRules permissions and what they imply are the product's own: \
             context.catalog.permissions cannot change them (describe roles in context.catalog.roles)",
        )
    })
}

pub(super) fn read_state<'a>(
    state: &'a Value,
    project_id: Option<&str>,
    r: &mut Report,
) -> Option<State<'a>> {
    let before = r.checkpoint();
    let s = object(state, "/context/state", r)?;
    if let (Some(p), Some(want)) = (s.string("projectId", Optional, r), project_id) {
        // A non-UUID `projectId` is the `format` 400 alone (see `target`).
        if !p.eq_ignore_ascii_case(want) && super::is_uuid(want) {
            r.error(
                FailureRank::NotFound,
                "/params/projectId",
                "not_found",
                format!("project {want} not found (the state describes project {p})"),
            );
        }
    }
    // Skipped, `project_version` read a v2 project as v1 and `member`
    // dropped every member: `changes.files` then said no decision flips.
    s.refuse_near_misses(&["projectId", "projectVersion", "groups", "members"], r);
    let project_version = read_version(&s, r);
    let groups: Vec<Obj<'a>> = common::state_groups(&s, r)
        .into_iter()
        .filter(|g| read_group(g, r))
        .collect();
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
        m.refuse_near_misses(&["id", "groups"], r);
        let id = m.string("id", Required, r);
        let at = m.at("groups");
        let gs = m
            .array("groups", Required, r)
            .map(|a| strings(a, &at, r))
            .unwrap_or_default();
        if let Some(id) = id {
            members.push((id, gs.into_iter().map(|(_, g)| g).collect()));
        }
    }
    let mut by_id = crate::keyed::with_capacity(groups.len());
    for (i, g) in groups.iter().enumerate() {
        if let Some(id) = g.get("id").and_then(Value::as_str) {
            if by_id.insert(id_key(id), i).is_some() {
                r.push(
                    FailureRank::BadRequest,
                    common::duplicate_id(g.at("id"), id),
                );
            }
        }
    }
    (!r.failed_since(before)).then(|| State {
        groups_value: s.get("groups"),
        project_version,
        groups,
        by_id,
        members,
    })
}
