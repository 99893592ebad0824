//! The `frontier` dialect: Raystack Frontier groups (SPEC §1.2).
//!
//! Create `POST /v1beta1/organizations/{org_id}/groups`, update
//! `PUT /v1beta1/organizations/{org_id}/groups/{id}`, delete
//! `DELETE /v1beta1/organizations/{org_id}/groups/{id}`.
//!
//! Request: `{op, params: {org_id, id? (update, delete)}, body: {name, title?, metadata?}}`.
//!
//! Context shapes (every member optional):
//!
//! ```text
//! state:   { org?:  {id, disabled?: boolean, state?: "enabled"|"disabled"},
//!            orgs?: [ {id, disabled?, state?} ],          // instead of org: every known org
//!            groups?: [ {id, name, title?, metadata?, org_id?} ],
//!            metaschema?: <JSON Schema of group metadata> }
//! caller:  { superuser?: boolean,
//!            orgRoles?: [role],                  // roles on the organization
//!            permissions?: [permission],         // permissions on the organization
//!            groupRoles?: { groupId: [role] } }  // roles on single groups
//! catalog: { roles?: {NAME: [permission]}, permissions?: {NAME: [implied]} }
//! ```
//!
//! Built-in roles and permissions: [`crate::permissions::FRONTIER_ROLES`] and
//! [`crate::permissions::FRONTIER_PERMISSIONS`]. Create needs
//! `app_organization_groupcreate`; update `app_group_update`; delete
//! `app_group_delete` (on the organization, which `app_organization_administer`
//! gives for every group, or through `groupRoles[id]`: `app_group_owner`).
//! A superuser may do everything.
//!
//! The metadata is validated against `state.metaschema`, or the default
//! group metaschema ([`default_metaschema`]); see [`crate::schema`] for the
//! supported keywords.
//!
//! Decisions (SPEC is silent):
//! * Without `state.org`/`state.orgs` the organization is not checked
//!   (`skipped: ["org"]`). A group of `state.groups` with another `org_id`
//!   belongs to another organization: it is not found and does not clash.
//! * Update is a PUT: `title` and `metadata` are replaced; omitting them
//!   clears them (warning `cleared` when they were not empty). The name may
//!   change, and must stay unique.
//! * Metadata failures: message `metadata schema validation failed: <detail>`
//!   (Frontier's words first), code `schema.<keyword>`, path of the value.
//! * `parent`/`parent_id`/`groups` in the body: 400 `unsupported` (nested
//!   groups are not supported).
//! * Unknown caller roles are warnings and grant nothing.
//! * `changes`: `{fields: [members that change]}`.

use std::collections::BTreeSet;

use serde_json::{json, Map, Value};

use super::{Context, Op, Request};
use crate::error::GroupgateError;
use crate::input::{object, strings, type_error, Obj, Optional, Required};
use crate::permissions::{frontier_catalog, RoleCatalog};
use crate::schema;
use crate::verdict::{ptr, Class, Report, Verdict};

/// Frontier's default group metaschema (SPEC §1.2).
pub fn default_metaschema() -> Value {
    json!({
        "type": "object",
        "properties": {
            "label": {"type": "object"},
            "description": {"type": "string"}
        },
        "additionalProperties": true
    })
}

/// True when `name` matches `^[A-Za-z0-9_-]+$`.
pub fn valid_name(name: &str) -> bool {
    !name.is_empty()
        && name
            .bytes()
            .all(|b| b.is_ascii_alphanumeric() || b == b'_' || b == b'-')
}

struct State<'a> {
    /// The known organizations (`org` and `orgs`); None: not described.
    orgs: Option<Vec<&'a Map<String, Value>>>,
    groups: Vec<Obj<'a>>,
    metaschema: Option<&'a Value>,
}

pub fn validate(req: &Request, ctx: &Context) -> Verdict {
    let mut r = Report::with_limits(ctx.limits);
    let catalog = frontier_catalog().with_context(ctx.catalog, &mut r);
    let params = Obj {
        map: req.params,
        path: "/params".into(),
    };
    let org_id = params.string("org_id", Required, &mut r);
    if org_id.is_some_and(|s| s.trim().is_empty()) {
        r.bad("/params/org_id", "required", "org_id can not be empty");
    }
    let group_id = if req.op == Op::Create {
        None
    } else {
        let id = params.string("id", Required, &mut r);
        if id.is_some_and(|s| s.trim().is_empty()) {
            r.bad("/params/id", "required", "id can not be empty");
        }
        id
    };

    check_caller(ctx.caller, req.op, group_id, &catalog, &mut r);

    let state = match ctx.state {
        None => {
            r.skip("state");
            None
        }
        Some(s) => read_state(s, &mut r),
    };
    // Without an org id (already reported) the org cannot be looked up.
    let existing = match (&state, org_id) {
        (Some(s), Some(org_id)) => check_org_and_group(s, org_id, req.op, group_id, &mut r),
        _ => None,
    };
    let org_id = org_id.unwrap_or("");

    if req.op == Op::Delete {
        if req.body.is_some() {
            r.warn("/body", "ignored", "DELETE has no body; it is ignored");
        }
        return r.finish(200, None, None);
    }

    let Some(body) = req.body else {
        r.bad("/body", "required", "body is required");
        return r.finish(req.op.success(), None, None);
    };
    let Some(b) = object(body, "/body", &mut r) else {
        return r.finish(req.op.success(), None, None);
    };
    for key in ["parent", "parent_id", "parentId", "groups"] {
        if b.has(key) {
            r.bad(
                b.at(key),
                "unsupported",
                "nested groups are not supported by Frontier",
            );
        }
    }
    b.warn_unknown(
        &[
            "name",
            "title",
            "metadata",
            "parent",
            "parent_id",
            "parentId",
            "groups",
        ],
        &mut r,
    );
    let name = b.string("name", Required, &mut r);
    if let Some(n) = name {
        if !valid_name(n) {
            r.bad(
                "/body/name",
                "pattern",
                "name must match ^[A-Za-z0-9_-]+$: only letters, digits, dashes and underscores, at least one",
            );
        }
    }
    let title = b.string("title", Optional, &mut r);

    let metaschema = match state.as_ref().and_then(|s| s.metaschema) {
        Some(ms) => {
            let (errors, warnings) = schema::check_schema(ms, "/context/state/metaschema");
            let usable = errors.is_empty();
            for e in errors {
                r.push(Class::BadRequest, e);
            }
            for w in warnings {
                r.warn(w.path, w.code, w.message);
            }
            usable.then(|| ms.clone())
        }
        None => Some(default_metaschema()),
    };
    let metadata = b.get("metadata");
    if let (Some(ms), Some(md)) = (&metaschema, metadata) {
        for e in schema::validate(ms, md, "/body/metadata") {
            r.bad(
                e.path,
                e.code,
                format!("metadata schema validation failed: {}", e.detail),
            );
        }
    }

    if let (Some(state), Some(n)) = (&state, name) {
        let clash = state.groups.iter().find(|g| {
            g.get("name").and_then(Value::as_str) == Some(n)
                && same_org(g, org_id)
                && (group_id.is_none() || g.get("id").and_then(Value::as_str) != group_id)
        });
        if clash.is_some() {
            r.error(
                Class::Conflict,
                "/body/name",
                "already_exists",
                format!("group already exists: the name {n} is taken in organization {org_id}"),
            );
        }
    }

    if let Some(g) = &existing {
        let had_title = g.get("title").and_then(Value::as_str).unwrap_or("");
        if title.is_none() && !had_title.is_empty() {
            r.warn(
                "/body/title",
                "cleared",
                "title is omitted: the update replaces the group, so its title becomes empty",
            );
        }
        let had_metadata = g.get("metadata").and_then(Value::as_object);
        if metadata.is_none() && had_metadata.is_some_and(|m| !m.is_empty()) {
            r.warn(
                "/body/metadata",
                "cleared",
                "metadata is omitted: the update replaces the group, so its metadata becomes {}",
            );
        }
    }

    let Some(name) = name else {
        return r.finish(req.op.success(), None, None);
    };
    let mut next = Map::new();
    if let Some(id) = group_id {
        next.insert("id".into(), json!(id));
    }
    next.insert("name".into(), json!(name));
    next.insert("title".into(), json!(title.unwrap_or("")));
    next.insert("org_id".into(), json!(org_id));
    next.insert(
        "metadata".into(),
        metadata.cloned().unwrap_or_else(|| json!({})),
    );
    let fields: Vec<&str> = match &existing {
        Some(g) => ["name", "title", "metadata"]
            .into_iter()
            .filter(|k| {
                let before = match g.get(k) {
                    Some(v) => v.clone(),
                    None if *k == "metadata" => json!({}),
                    None => json!(""),
                };
                next.get(*k) != Some(&before)
            })
            .collect(),
        None => ["metadata", "name", "title"]
            .into_iter()
            .filter(|k| b.has(k))
            .collect(),
    };
    r.finish(
        req.op.success(),
        Some(Value::Object(next)),
        Some(json!({ "fields": fields })),
    )
}

fn same_org(g: &Obj, org_id: &str) -> bool {
    g.get("org_id")
        .and_then(Value::as_str)
        .is_none_or(|o| o == org_id)
}

/// Checks the organization (404, disabled 400) and, for update/delete,
/// that the group exists in it (404). Returns the existing group.
fn check_org_and_group<'a>(
    state: &State<'a>,
    org_id: &str,
    op: Op,
    group_id: Option<&str>,
    r: &mut Report,
) -> Option<Obj<'a>> {
    match &state.orgs {
        None => r.skip("org"),
        Some(orgs) => match orgs
            .iter()
            .find(|o| o.get("id").and_then(Value::as_str) == Some(org_id))
        {
            None => r.error(
                Class::NotFound,
                "/params/org_id",
                "not_found",
                format!("organization {org_id} not found"),
            ),
            Some(org) => {
                let disabled = org.get("disabled") == Some(&Value::Bool(true))
                    || org.get("state").and_then(Value::as_str) == Some("disabled");
                if disabled {
                    r.bad(
                        "/params/org_id",
                        "failed_precondition",
                        format!("organization {org_id} is disabled"),
                    );
                }
            }
        },
    }
    if op == Op::Create {
        return None;
    }
    let id = group_id?;
    let found = state
        .groups
        .iter()
        .find(|g| g.get("id").and_then(Value::as_str) == Some(id) && same_org(g, org_id))
        .cloned();
    if found.is_none() {
        r.error(
            Class::NotFound,
            "/params/id",
            "not_found",
            format!("group {id} not found in organization {org_id}"),
        );
    }
    found
}

fn read_state<'a>(state: &'a Value, r: &mut Report) -> Option<State<'a>> {
    let before = r.errors().count();
    let s = object(state, "/context/state", r)?;
    let mut orgs: Option<Vec<&'a Map<String, Value>>> = None;
    let mut add_org = |o: Option<Obj<'a>>, r: &mut Report| {
        let list = orgs.get_or_insert_with(Vec::new);
        if let Some(o) = o {
            if o.string("id", Required, r).is_some() {
                list.push(o.map);
            }
        }
    };
    if let Some(one) = s.get("org") {
        add_org(object(one, "/context/state/org", r), r);
    }
    if let Some(list) = s.array("orgs", Optional, r) {
        add_org(None, r);
        for (i, o) in list.iter().enumerate() {
            add_org(object(o, &ptr("/context/state/orgs", i), r), r);
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
        let name = g.string("name", Required, r).is_some();
        if id && name {
            groups.push(g);
        }
    }
    (r.errors().count() == before).then(|| State {
        orgs,
        groups,
        metaschema: s.get("metaschema"),
    })
}

/// Checks the caller may perform `op`; reports 403 otherwise.
fn check_caller(
    caller: Option<&Value>,
    op: Op,
    group_id: Option<&str>,
    catalog: &RoleCatalog,
    r: &mut Report,
) {
    let Some(caller) = caller else {
        r.skip("caller");
        return;
    };
    let before = r.errors().count();
    let Some(c) = object(caller, "/context/caller", r) else {
        return;
    };
    c.warn_unknown(&["superuser", "orgRoles", "permissions", "groupRoles"], r);
    let superuser = c.boolean("superuser", Optional, r).unwrap_or(false);
    let mut org_start: Vec<String> = Vec::new();
    for (path, role) in c
        .array("orgRoles", Optional, r)
        .map(|a| strings(a, &c.at("orgRoles"), r))
        .unwrap_or_default()
    {
        role_grants(catalog, &path, role, &mut org_start, r);
    }
    for (path, p) in c
        .array("permissions", Optional, r)
        .map(|a| strings(a, &c.at("permissions"), r))
        .unwrap_or_default()
    {
        if !catalog.is_permission(p) {
            r.warn(
                path,
                "unknown_permission",
                format!("unknown permission {p:?}; it grants nothing"),
            );
        }
        org_start.push(p.to_string());
    }
    let mut group_start: Vec<String> = Vec::new();
    if let Some(gr) = c.object("groupRoles", Optional, r) {
        for (gid, roles) in gr.map {
            let at = gr.at(gid);
            let Value::Array(roles) = roles else {
                if !roles.is_null() {
                    type_error(r, &at, "an array of role names", roles);
                }
                continue;
            };
            for (path, role) in strings(roles, &at, r) {
                if Some(gid.as_str()) == group_id {
                    role_grants(catalog, &path, role, &mut group_start, r);
                } else if !catalog.is_role(role) {
                    r.warn(
                        path,
                        "unknown_role",
                        format!("unknown role {role:?}; it grants nothing"),
                    );
                }
            }
        }
    }
    if r.errors().count() != before || superuser {
        return;
    }
    let org: BTreeSet<String> = catalog.closure(org_start.iter().map(String::as_str));
    let group: BTreeSet<String> = catalog.closure(group_start.iter().map(String::as_str));
    let (needed, on) = match op {
        Op::Create => ("app_organization_groupcreate", "organization"),
        Op::Update => ("app_group_update", "group"),
        Op::Delete => ("app_group_delete", "group"),
    };
    let allowed = match op {
        Op::Create => org.contains(needed),
        _ => org.contains(needed) || group.contains(needed),
    };
    if !allowed {
        r.error(
            Class::CallerForbidden,
            "",
            "forbidden",
            format!("the caller lacks {needed} on the {on}"),
        );
    }
}

fn role_grants(
    catalog: &RoleCatalog,
    path: &str,
    role: &str,
    out: &mut Vec<String>,
    r: &mut Report,
) {
    if catalog.is_role(role) {
        out.extend(catalog.expand([role]));
    } else if catalog.is_permission(role) {
        // A permission given where a role was expected still means it.
        out.push(role.to_string());
    } else {
        r.warn(
            path,
            "unknown_role",
            format!("unknown role {role:?}; it grants nothing"),
        );
    }
}

/// Permissions of a subject: its roles expanded plus its permissions, with
/// implications (`app_organization_administer` ⇒ group administration ⇒
/// update/delete/get); sorted.
pub fn permissions_of(subject: &Value, ctx: &Context) -> Result<Vec<String>, GroupgateError> {
    frontier_catalog()
        .merged(ctx.catalog)?
        .permissions_of_roles(
            subject,
            "Frontier permissions come from roles and permissions; give group roles as roles",
        )
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::dialects::validate as run;

    fn v(req: Value, ctx: Value) -> Verdict {
        run("frontier", &req, &ctx).expect("a usable context")
    }

    fn create(body: Value) -> Value {
        json!({"op": "create", "params": {"org_id": "acme"}, "body": body})
    }

    fn update(id: &str, body: Value) -> Value {
        json!({"op": "update", "params": {"org_id": "acme", "id": id}, "body": body})
    }

    fn state() -> Value {
        json!({
            "org": {"id": "acme"},
            "groups": [
                {"id": "g1", "name": "eng", "title": "Engineering", "metadata": {"description": "builders"}},
                {"id": "g2", "name": "ops", "org_id": "acme"},
                {"id": "g9", "name": "sales", "org_id": "other"}
            ]
        })
    }

    fn admin() -> Value {
        json!({"caller": {"orgRoles": ["app_organization_owner"]}, "state": state()})
    }

    #[test]
    fn name_pattern_is_checked_by_hand() {
        for ok in ["a", "A-b_9", "---", "_"] {
            assert!(valid_name(ok), "{ok}");
        }
        for bad in ["", "a b", "é", "a.b", "a/b", "a\u{0}"] {
            assert!(!valid_name(bad), "{bad:?}");
        }
    }

    #[test]
    fn one_failing_and_one_passing_case_per_rule() {
        let ok = json!({"name": "data-team"});
        // (request, context, status, path, code)
        let cases: Vec<(Value, Value, u16, &str, &str)> = vec![
            // params
            (
                json!({"op": "create", "body": ok}),
                admin(),
                400,
                "/params/org_id",
                "required",
            ),
            (
                json!({"op": "update", "params": {"org_id": "acme"}, "body": ok}),
                admin(),
                400,
                "/params/id",
                "required",
            ),
            // name: required, a string, the pattern, unique in the org
            (
                create(json!({"title": "x"})),
                admin(),
                400,
                "/body/name",
                "required",
            ),
            (
                create(json!({"name": 1})),
                admin(),
                400,
                "/body/name",
                "type",
            ),
            (
                create(json!({"name": "data team"})),
                admin(),
                400,
                "/body/name",
                "pattern",
            ),
            (
                create(json!({"name": ""})),
                admin(),
                400,
                "/body/name",
                "pattern",
            ),
            (
                create(json!({"name": "eng"})),
                admin(),
                409,
                "/body/name",
                "already_exists",
            ),
            (
                update("g2", json!({"name": "eng"})),
                admin(),
                409,
                "/body/name",
                "already_exists",
            ),
            // title: a string
            (
                create(json!({"name": "x", "title": false})),
                admin(),
                400,
                "/body/title",
                "type",
            ),
            // metadata: the default metaschema
            (
                create(json!({"name": "x", "metadata": []})),
                admin(),
                400,
                "/body/metadata",
                "schema.type",
            ),
            (
                create(json!({"name": "x", "metadata": {"label": "l"}})),
                admin(),
                400,
                "/body/metadata/label",
                "schema.type",
            ),
            (
                create(json!({"name": "x", "metadata": {"description": 3}})),
                admin(),
                400,
                "/body/metadata/description",
                "schema.type",
            ),
            // metadata: a custom metaschema
            (
                create(json!({"name": "x", "metadata": {"team": "a"}})),
                json!({"state": {"metaschema": {"type": "object", "properties": {"team": {"enum": ["b"]}}}}}),
                400,
                "/body/metadata/team",
                "schema.enum",
            ),
            (
                create(json!({"name": "x", "metadata": {}})),
                json!({"state": {"metaschema": {"type": "object", "required": ["cost_center"]}}}),
                400,
                "/body/metadata/cost_center",
                "schema.required",
            ),
            (
                create(json!({"name": "x", "metadata": {"k": 1}})),
                json!({"state": {"metaschema": {"type": "object", "additionalProperties": false}}}),
                400,
                "/body/metadata/k",
                "schema.additional_properties",
            ),
            (
                create(ok.clone()),
                json!({"state": {"metaschema": {"type": "thing"}}}),
                400,
                "/context/state/metaschema/type",
                "schema.invalid",
            ),
            // nested groups
            (
                create(json!({"name": "x", "parent_id": "g1"})),
                admin(),
                400,
                "/body/parent_id",
                "unsupported",
            ),
            // organization: missing 404, disabled 400
            (
                create(ok.clone()),
                json!({"state": {"org": {"id": "other"}}}),
                404,
                "/params/org_id",
                "not_found",
            ),
            (
                create(ok.clone()),
                json!({"state": {"orgs": []}}),
                404,
                "/params/org_id",
                "not_found",
            ),
            (
                create(ok.clone()),
                json!({"state": {"org": {"id": "acme", "disabled": true}}}),
                400,
                "/params/org_id",
                "failed_precondition",
            ),
            (
                create(ok.clone()),
                json!({"state": {"orgs": [{"id": "acme", "state": "disabled"}]}}),
                400,
                "/params/org_id",
                "failed_precondition",
            ),
            // group: exists in this org
            (
                update("nope", ok.clone()),
                admin(),
                404,
                "/params/id",
                "not_found",
            ),
            (
                update("g9", ok.clone()),
                admin(),
                404,
                "/params/id",
                "not_found",
            ),
            (
                json!({"op": "delete", "params": {"org_id": "acme", "id": "nope"}}),
                admin(),
                404,
                "/params/id",
                "not_found",
            ),
            // caller
            (
                create(ok.clone()),
                json!({"caller": {"orgRoles": ["app_organization_viewer"]}}),
                403,
                "",
                "forbidden",
            ),
            (
                create(ok.clone()),
                json!({"caller": {"groupRoles": {"g1": ["app_group_owner"]}}}),
                403,
                "",
                "forbidden",
            ),
            (
                update("g1", ok.clone()),
                json!({"caller": {"groupRoles": {"g1": ["app_group_member"]}}}),
                403,
                "",
                "forbidden",
            ),
            (
                update("g1", ok.clone()),
                json!({"caller": {"groupRoles": {"g2": ["app_group_owner"]}}}),
                403,
                "",
                "forbidden",
            ),
            (
                json!({"op": "delete", "params": {"org_id": "acme", "id": "g1"}}),
                json!({"caller": {"permissions": ["app_group_update"]}}),
                403,
                "",
                "forbidden",
            ),
            (
                create(ok.clone()),
                json!({"caller": {"superuser": 1}}),
                400,
                "/context/caller/superuser",
                "type",
            ),
            (
                create(ok.clone()),
                json!({"state": {"groups": [{"id": "a"}]}}),
                400,
                "/context/state/groups/0/name",
                "required",
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
            (create(ok.clone()), admin(), 201),
            (
                create(
                    json!({"name": "A_b-9", "title": "", "metadata": {"label": {"k": "v"}, "description": "d", "extra": [1]}}),
                ),
                admin(),
                201,
            ),
            (create(json!({"name": "sales"})), admin(), 201),
            (
                create(ok.clone()),
                json!({"caller": {"superuser": true}, "state": {"orgs": [{"id": "zzz"}, {"id": "acme", "state": "enabled"}]}}),
                201,
            ),
            (
                create(ok.clone()),
                json!({"caller": {"orgRoles": ["app_organization_manager"]}}),
                201,
            ),
            (
                update(
                    "g1",
                    json!({"name": "eng", "title": "Engineering", "metadata": {"description": "builders"}}),
                ),
                admin(),
                200,
            ),
            (
                update("g1", json!({"name": "eng2"})),
                json!({"caller": {"groupRoles": {"g1": ["app_group_owner"]}}, "state": state()}),
                200,
            ),
            (
                update("g1", ok.clone()),
                json!({"caller": {"permissions": ["app_organization_administer"]}}),
                200,
            ),
            (
                json!({"op": "delete", "params": {"org_id": "acme", "id": "g1"}}),
                json!({"caller": {"groupRoles": {"g1": ["app_group_owner"]}}, "state": state()}),
                200,
            ),
            (
                create(json!({"name": "x", "metadata": {"team": "b"}})),
                json!({"state": {"metaschema": {"type": "object", "properties": {"team": {"enum": ["b"]}}}}}),
                201,
            ),
        ];
        for (request, ctx, status) in passing {
            let verdict = v(request.clone(), ctx.clone());
            assert!(verdict.ok, "{request} {ctx}: {verdict:?}");
            assert_eq!(verdict.status, status, "{request}");
        }
    }

    #[test]
    fn metadata_failures_use_frontiers_message() {
        let verdict = v(
            create(json!({"name": "x", "metadata": {"label": 1}})),
            json!({}),
        );
        assert!(verdict.errors[0]
            .message
            .starts_with("metadata schema validation failed"));
        assert_eq!(
            verdict.errors[0].message,
            "metadata schema validation failed: expected object, got number"
        );
    }

    #[test]
    fn several_faults_are_all_reported() {
        let verdict = v(
            json!({"op": "update", "params": {"org_id": "acme", "id": "g2"},
                   "body": {"name": "eng!", "title": 3, "metadata": {"label": [], "description": {}}, "colour": "red"}}),
            json!({"caller": {"orgRoles": ["app_organization_viewer", "boss"]}, "state": state()}),
        );
        let got: Vec<_> = verdict
            .errors
            .iter()
            .map(|e| (e.path.as_str(), e.code))
            .collect();
        assert_eq!(
            got,
            [
                ("", "forbidden"),
                ("/body/name", "pattern"),
                ("/body/title", "type"),
                ("/body/metadata/description", "schema.type"),
                ("/body/metadata/label", "schema.type"),
            ]
        );
        assert_eq!(verdict.status, 403);
        let w: Vec<_> = verdict
            .warnings
            .iter()
            .map(|w| (w.path.as_str(), w.code))
            .collect();
        assert_eq!(
            w,
            [
                ("/context/caller/orgRoles/1", "unknown_role"),
                ("/body/colour", "unknown_field")
            ]
        );
    }

    #[test]
    fn next_changes_and_cleared_fields() {
        let verdict = v(update("g1", json!({"name": "platform"})), admin());
        assert!(verdict.ok, "{verdict:?}");
        assert_eq!(
            verdict.next,
            Some(
                json!({"id": "g1", "name": "platform", "title": "", "org_id": "acme", "metadata": {}})
            )
        );
        assert_eq!(
            verdict.changes,
            Some(json!({"fields": ["name", "title", "metadata"]}))
        );
        let w: Vec<_> = verdict
            .warnings
            .iter()
            .map(|w| (w.path.as_str(), w.code))
            .collect();
        assert_eq!(
            w,
            [("/body/title", "cleared"), ("/body/metadata", "cleared")]
        );

        let verdict = v(create(json!({"name": "x", "title": "X"})), json!({}));
        assert_eq!(verdict.status, 201);
        assert_eq!(
            verdict.next,
            Some(json!({"name": "x", "title": "X", "org_id": "acme", "metadata": {}}))
        );
        assert_eq!(verdict.changes, Some(json!({"fields": ["name", "title"]})));
        assert_eq!(verdict.skipped, ["caller", "state"]);

        let verdict = v(
            create(json!({"name": "x"})),
            json!({"state": {"groups": []}}),
        );
        assert_eq!(verdict.skipped, ["caller", "org"]);

        let verdict = v(
            create(json!({"name": "x", "metadata": {"a": "b"}})),
            json!({"state": {"metaschema": {"type": "object", "properties": {"a": {"pattern": "^b$"}}}}}),
        );
        assert!(verdict.ok);
        assert_eq!(verdict.warnings[0].code, "schema.unsupported");
    }

    #[test]
    fn permissions_of_expands_roles() {
        let ctx = Context::default();
        let got = permissions_of(&json!({"roles": ["app_group_owner"]}), &ctx).unwrap();
        assert_eq!(
            got,
            [
                "app_group_administer",
                "app_group_delete",
                "app_group_get",
                "app_group_update"
            ]
        );
        let got = permissions_of(&json!({"roles": ["app_group_member"]}), &ctx).unwrap();
        assert_eq!(got, ["app_group_get"]);
        let got = permissions_of(
            &json!({"permissions": ["app_organization_administer"]}),
            &ctx,
        )
        .unwrap();
        assert!(got.contains(&"app_organization_groupcreate".to_string()));
        let err = permissions_of(&json!({"roles": ["root"]}), &ctx).unwrap_err();
        assert_eq!(
            (err.issues[0].path.as_str(), err.code()),
            ("/roles/0", "unknown_role")
        );
    }
}
