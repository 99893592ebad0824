//! The `frontier` dialect: Raystack Frontier groups, as the server at
//! HEAD `670a8fe6` (2026, ConnectRPC only) answers `CreateGroup`,
//! `UpdateGroup` and `DeleteGroup`.
//!
//! Request: `{op, params: {org_id (create) | id (update, delete)}, body: {name, title?, metadata?}}`.
//! `UpdateGroupRequest` has no `org_id` (field 3 is reserved): an update
//! finds its group by id alone; an `org_id` there is dropped with a warning.
//!
//! Context (every member optional):
//!
//! ```text
//! state:   { org?: {id, name?, disabled?, state?}, orgs?: [...],
//!            groups?: [ {id, name, title?, metadata?, org_id?, state?: "enabled"|"disabled"} ],
//!            metaschema?: <the platform's "group" metaschema; default: Frontier's group.json> }
//! caller:  { superuser?, orgId?: <org the orgRoles/permissions are held in>,
//!            orgRoles?: [role] | {orgIdOrName: [role]}, permissions?: [permission],
//!            groupRoles?: {groupId: [role]} }
//! catalog: { roles?: {NAME: [permission]}, permissions?: {NAME: [implied]} }
//! ```
//!
//! The server's order (README "frontier" fidelity table, each with its
//! source): the body is decoded (wrong JSON types 400; unknown fields
//! dropped: a warning here) → field rules (protovalidate: `body` required on
//! create, `name` matches `^[A-Za-z0-9-_]+$`) 400 → authorization: an empty
//! id 400, an unknown org *name* 404, then the permission (403; an unknown
//! UUID org or any unknown group has no relation, so 403 for everyone) → the
//! disabled-org gate 400 (superusers pass) → the handler: create reads the
//! org (disabled 400), then the metadata 400, then the write (U+0000, or a
//! name too long for the unique index: 400, [`store`]), then the name 409,
//! then makes the creator the group's owner
//! (a superuser with no role in the org: 403); update checks the metadata
//! 400, then the group (missing or disabled 404), then the write, then the
//! name 409. The status is the first failing step's; every error is still
//! listed. Authorization: [`caller`].

mod caller;
mod next;
mod state;
mod store;

use serde_json::Value;

use super::{common, Context, Op, Request};
use crate::error::GroupgateError;
use crate::json::object as json_object;
use crate::json::read::{object, Obj, Optional};
use crate::permissions::{frontier_catalog, RoleCatalog};
use crate::schema;
use crate::verdict::{FailureRank, Report, Verdict};

use state::{OrgLookup, State};

const ORG_DISABLED: &str = "org is disabled. Please contact your administrator to enable it";

/// core/group/service.go:66-87 → core/membership/group.go:264-279 (the
/// creator becomes the group's owner) → principal.go:83-103.
const NOT_A_MEMBER: &str = "the creator holds no role in the organization: Frontier makes the creator the group's owner, fails (principal is not a member of the organization) and answers 500";

/// Frontier's default group metaschema (core/metaschema/metaschemas/group.json).
pub fn default_metaschema() -> Value {
    let of_type = |t: &str| json_object([("type", t.into())]);
    let properties = [
        ("label", of_type("object")),
        ("description", of_type("string")),
    ];
    json_object([
        ("type", "object".into()),
        ("properties", json_object(properties)),
        ("additionalProperties", Value::Bool(true)),
    ])
}

/// True when `name` matches `^[A-Za-z0-9-_]+$` (proton frontier.proto).
pub fn valid_name(name: &str) -> bool {
    !name.is_empty()
        && name
            .bytes()
            .all(|b| b.is_ascii_alphanumeric() || b == b'_' || b == b'-')
}

/// The server's checks after the decode and the field rules (those are
/// recorded straight in the report and come before all of these).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Step {
    EmptyId,
    OrgName,
    Permission,
    OrgGate,
    HandlerOrg,
    Metadata,
    Group,
    Store,
    Conflict,
    Owner,
}

/// Frontier's order (module doc): authorization (empty id, org name,
/// permission), the disabled-org gate, then the handler (org, metadata,
/// group, the write: what Postgres cannot store, then the name; last, a
/// create makes its creator the owner, who must be an org member).
const ORDER: &[Step] = &[
    Step::EmptyId,
    Step::OrgName,
    Step::Permission,
    Step::OrgGate,
    Step::HandlerOrg,
    Step::Metadata,
    Step::Group,
    Step::Store,
    Step::Conflict,
    Step::Owner,
];

type Steps = common::Staged<Step>;

/// The decoded body.
struct Body<'a> {
    obj: Obj<'a>,
    name: Option<&'a str>,
    title: Option<&'a str>,
    metadata: Option<&'a Value>,
}

/// Frontier's pipeline: params, body (decode and field rules), state, then
/// the staged checks in [`ORDER`] (authorization, org gate, handler), then
/// `next` and `changes`.
pub fn validate(req: &Request, ctx: &Context) -> Verdict {
    let mut r = Report::with_limits(ctx.limits);
    let catalog = frontier_catalog().with_context(ctx.catalog, &mut r);
    let (target, key_path) = read_params(req, &mut r);
    let body = read_body(req, &mut r);
    let state = common::state(ctx.state, &mut r).and_then(|s| state::read(s, &mut r));
    let mut steps = Steps::default();
    let ask = Ask {
        op: req.op,
        target,
        key_path,
    };
    let found = authorize(
        ask,
        state.as_ref(),
        ctx.caller,
        &catalog,
        &mut steps,
        &mut r,
    );
    if req.op == Op::Delete {
        disabled_group(&found, &mut steps);
        steps.into_report(ORDER, &mut r);
        // DeleteGroupResponse has no fields: `{}` (group.go:432).
        return r.finish(200, None, None).with_response(json_object([]));
    }
    let Some(body) = body else {
        if req.op == Op::Update && req.body.is_none() {
            steps.add(
                Step::HandlerOrg,
                FailureRank::BadRequest,
                "/body",
                "required",
                format!("{} (invalid syntax in body)", common::BODY_REQUIRED),
            );
        }
        steps.into_report(ORDER, &mut r);
        return r.finish(200, None, None);
    };
    handler(ask, &body, state.as_ref(), &found, &mut steps, &mut r);
    steps.into_report(ORDER, &mut r);
    let (next, changes) = next::next_and_changes(target, &body, &found, req.op);
    let response = next.as_ref().map(next::response);
    let verdict = r.finish(200, next, changes);
    match response {
        Some(body) => verdict.with_response(body),
        None => verdict,
    }
}

/// The request's one param (`org_id` on create, `id` otherwise; `""` when
/// absent) and its pointer; any other param is dropped with a warning.
fn read_params<'a>(req: &Request<'a>, r: &mut Report) -> (&'a str, &'static str) {
    let (mut key, mut key_path) = match req.op {
        Op::Create => ("org_id", "/params/org_id"),
        _ => ("id", "/params/id"),
    };
    let params = common::params(req.params);
    // protojson also reads a field by its JSON name (`orgId`); both
    // spellings at once are one field twice: "duplicate field".
    let alias = (req.op == Op::Create).then_some("orgId");
    if alias.is_some_and(|a| req.params.contains_key(a)) {
        if req.params.contains_key(key) {
            r.bad("/params/orgId", "duplicate", "org_id and orgId are the same field of CreateGroupRequest: the server refuses a field given twice (protojson: duplicate field)");
        } else {
            (key, key_path) = ("orgId", "/params/orgId");
        }
    }
    for other in req
        .params
        .keys()
        .filter(|k| *k != key && Some(k.as_str()) != alias)
    {
        let why = if other == "org_id" {
            "the request has no org_id (field 3 is reserved): the server drops it and finds the group by id"
        } else {
            "not a field of the request: the server drops it"
        };
        r.warn(params.at(other), "ignored", why);
    }
    (params.string(key, Optional, r).unwrap_or(""), key_path)
}

/// Decodes the body (protojson: wrong types 400, unknown fields dropped)
/// and applies the field rules. None when there is no usable body.
fn read_body<'a>(req: &Request<'a>, r: &mut Report) -> Option<Body<'a>> {
    let Some(raw) = req.body else {
        match req.op {
            // protovalidate: CreateGroupRequest.body is required.
            Op::Create => r.bad(
                "/body",
                "required",
                "validation error:\n - body: value is required [required]",
            ),
            // UpdateGroup's handler refuses it, after authorization (below).
            Op::Update | Op::Delete => {}
        }
        return None;
    };
    if req.op == Op::Delete {
        common::warn_body_on_delete(req.op, req.body, r);
        return None;
    }
    let obj = object(raw, "/body", r)?;
    for k in obj
        .map
        .keys()
        .filter(|k| !["name", "title", "metadata"].contains(&k.as_str()))
    {
        let why = if ["parent", "parent_id", "parentId", "groups"].contains(&k.as_str()) {
            format!("{k} is not a field of GroupRequestBody (Frontier groups do not nest): the server drops it")
        } else {
            format!("unknown field {k}: the server drops it (protojson DiscardUnknown)")
        };
        r.warn(obj.at(k), "unknown_field", why);
    }
    let name = obj.string("name", Optional, r);
    let title = obj.string("title", Optional, r);
    let metadata = obj.get("metadata");
    if let Some(m) = metadata.filter(|m| !m.is_object()) {
        crate::json::read::type_error(r, "/body/metadata", "an object", m);
    }
    let given = obj.get("name").is_some();
    // protovalidate's own words (proto3 reads an absent name as "", which
    // fails the same pattern): connect answers them as the message.
    const NAME: &str = "validation error:\n - body.name: value does not match regex pattern `^[A-Za-z0-9-_]+$` [string.pattern]";
    match name {
        None if !given => r.bad("/body/name", "required", NAME),
        Some(n) if !valid_name(n) => r.bad("/body/name", "pattern", NAME),
        _ => {}
    }
    Some(Body {
        obj,
        name,
        title,
        metadata,
    })
}

/// What the request asks: the operation, its target id (`org_id` on
/// create, the group id otherwise; `""` when absent) and that id's pointer.
#[derive(Clone, Copy)]
struct Ask<'q> {
    op: Op,
    target: &'q str,
    key_path: &'static str,
}

/// What authorization resolved: the org and the target group.
#[derive(Default)]
struct Found<'s, 'a> {
    org: Option<&'s state::Org<'a>>,
    group: Option<&'s state::Group<'a>>,
    superuser: bool,
}

/// `IsAuthorized` and the org gate: empty id 400, unknown org name 404,
/// permission 403, disabled org 400.
fn authorize<'s, 'a>(
    ask: Ask,
    state: Option<&'s State<'a>>,
    caller: Option<&Value>,
    catalog: &RoleCatalog,
    steps: &mut Steps,
    r: &mut Report,
) -> Found<'s, 'a> {
    let Ask {
        op,
        target,
        key_path,
    } = ask;
    let (mut found, known) = resolve(ask, state, steps, r);
    let mut keys: Vec<&str> = match found.org {
        // Its id and name, each only if the one lookup rule reads it as
        // this org: a UUID names an org by id alone (row 10b), so another
        // org's id given as this org's name never counts here.
        Some(o) => [Some(o.id()), o.name()]
            .into_iter()
            .flatten()
            .filter(|k| {
                state
                    .and_then(|s| s.find(k))
                    .is_some_and(|f| std::ptr::eq(f.map, o.map))
            })
            .collect(),
        // Not described: the group's own org_id (its `org` relation).
        None => found.group.and_then(|g| g.org_id()).into_iter().collect(),
    };
    let undescribed = op == Op::Create
        && found.org.is_none()
        && !target.is_empty()
        && state.is_none_or(|s| s.orgs.is_none());
    if undescribed {
        keys.push(target);
    }
    let who = caller::Target {
        // An update or delete whose group's org nobody can tell: the
        // roles of any org may be that org's (the `org` check is skipped).
        org_unknown: op != Op::Create && keys.is_empty(),
        // A create naming an org nobody describes: a UUID key may be the
        // id of the org it names by name, and the other way round.
        other_spelling: undescribed.then(|| state::is_uuid(target)),
        org_keys: keys,
        group: (op != Op::Create).then_some(target),
    };
    if let Some(g) = caller::read(caller, &who, catalog, r) {
        found.superuser = g.superuser;
        if known && !g.allows(op) {
            steps.add(
                Step::Permission,
                FailureRank::CallerForbidden,
                "",
                "forbidden",
                denial(op, &g),
            );
        }
        if known && op == Op::Create && g.superuser && !g.member() {
            steps.add(
                Step::Owner,
                FailureRank::CallerForbidden,
                "",
                "forbidden",
                NOT_A_MEMBER,
            );
        }
    }
    if let Some(o) = found.org.filter(|o| o.disabled() && known) {
        // The gate lets superusers through; CreateGroup reads the org itself.
        let step = match (found.superuser, op) {
            (false, _) => Some(Step::OrgGate),
            (true, Op::Create) => Some(Step::HandlerOrg),
            _ => None,
        };
        if let Some(step) = step {
            steps.add(
                step,
                FailureRank::BadRequest,
                key_path,
                "failed_precondition",
                format!("{ORG_DISABLED} (organization {})", o.id()),
            );
        }
    }
    found
}

/// The request's target as the server resolves it before the permission
/// check; `known` is false when no permission can be checked.
fn resolve<'s, 'a>(
    ask: Ask,
    state: Option<&'s State<'a>>,
    steps: &mut Steps,
    r: &mut Report,
) -> (Found<'s, 'a>, bool) {
    let Ask {
        op,
        target,
        key_path,
    } = ask;
    let mut found = Found::default();
    let missing = |steps: &mut Steps, what: &str| {
        steps.add(Step::Permission, FailureRank::CallerForbidden, key_path, "not_found",
            format!("not authorized: {what} {target} does not exist, so the permission check finds no relation"));
    };
    if let Some((code, why)) = id_fault(op, target) {
        steps.add(Step::EmptyId, FailureRank::BadRequest, key_path, code, why);
        return (found, false);
    }
    let Some(s) = state else { return (found, true) };
    if op == Op::Create {
        match s.org(target) {
            OrgLookup::Found(o) => found.org = Some(o),
            OrgLookup::UnknownName => {
                steps.add(
                    Step::OrgName,
                    FailureRank::NotFound,
                    key_path,
                    "not_found",
                    format!("not found (no organization named {target:?})"),
                );
                return (found, false);
            }
            OrgLookup::UnknownUuid(None) => {
                missing(steps, "organization");
                return (found, false);
            }
            OrgLookup::UnknownUuid(Some(id)) => {
                steps.add(Step::Permission, FailureRank::CallerForbidden, key_path, "not_found",
                    format!("not authorized: the permission check compares ids as written, and {target} is not {id}"));
                return (found, false);
            }
            OrgLookup::Unknown => r.skip("org"),
        }
        return (found, true);
    }
    match s.group(target) {
        Some(g) => {
            found.group = Some(g);
            found.org = s.org_of(g);
            // Nobody can tell the org (no orgs described, or a group
            // without `org_id` among several): roles of any org count.
            if found.org.is_none() && (s.orgs.is_none() || g.org_id().is_none()) {
                r.skip("org");
            }
            (found, true)
        }
        None => {
            missing(steps, "group");
            (found, false)
        }
    }
}

/// What is wrong with the target id before any lookup: empty (400, the
/// server's own answer), blank, or refused by SpiceDB when it goes to the
/// permission check as written (a UUID org, any group). For the last two
/// the server answers 500; a form needs the input error (README, rows 9, 9b).
fn id_fault(op: Op, target: &str) -> Option<(&'static str, &'static str)> {
    if target.is_empty() {
        Some(("required", "namespace and ID cannot be empty"))
    } else if target.trim().is_empty() {
        Some((
            "required",
            "the id is blank (the server answers 500 internal server error for it)",
        ))
    } else if !state::spicedb_id(target) && (op != Op::Create || state::is_uuid(target)) {
        Some(("pattern", "not an id the permission check accepts (letters, digits and /_|-=+, at most 1024 bytes): the server answers 500"))
    } else {
        None
    }
}

fn denial(op: Op, g: &caller::Grants) -> String {
    let need = match op {
        Op::Create => "groupcreate on the organization (app_organization_administer or app_organization_groupcreate)",
        Op::Update => "update on the group (app_organization_administer or app_group_update on the organization; app_group_administer or app_group_update on the group)",
        Op::Delete => "delete on the group (app_organization_administer or app_group_delete on the organization; app_group_administer or app_group_delete on the group)",
    };
    let elsewhere = if g.elsewhere {
        "; organization roles held in another organization do not count"
    } else {
        ""
    };
    format!("not authorized: the caller lacks {need}{elsewhere}")
}

/// The handler's checks: metadata, the group itself, the unique name.
fn handler(
    ask: Ask,
    body: &Body,
    state: Option<&State>,
    found: &Found,
    steps: &mut Steps,
    r: &mut Report,
) {
    metadata(body, state, steps, r);
    disabled_group(found, steps);
    let md = body.metadata.filter(|m| m.is_object());
    for (at, code, why) in store::unstorable(body.name, body.title, md) {
        steps.add(Step::Store, FailureRank::BadRequest, at, code, why);
    }
    let (Some(s), Some(name)) = (state, body.name) else {
        return;
    };
    let op = ask.op;
    // A create's org: the one found, or (orgs not described) the org the
    // request names, which holds the groups whose org_id names it.
    let org = match op {
        Op::Create => found
            .org
            .map(|o| o.id())
            .or((s.orgs.is_none() && !ask.target.is_empty()).then_some(ask.target)),
        _ => found
            .org
            .map(|o| o.id())
            .or(found.group.and_then(|g| g.org_id())),
    };
    let me = found.group.and_then(|g| g.str("id"));
    let alias = org.and_then(|o| s.org_name(o));
    let clash = s.groups.iter().any(|g| {
        g.str("name") == Some(name)
            && g.str("id") != me
            && org.is_none_or(|o| g.org_id().is_none_or(|k| k == o || Some(k) == alias))
    });
    if clash && (op == Op::Create && org.is_some() || op == Op::Update && found.group.is_some()) {
        steps.add(
            Step::Conflict,
            FailureRank::Conflict,
            "/body/name",
            "already_exists",
            format!("already exist: a group named {name} exists in the organization"),
        );
    }
    if let Some(g) = found.group {
        if body.title.is_none() && g.str("title").is_some_and(|t| !t.is_empty()) {
            r.warn(
                "/body/title",
                "cleared",
                "title is omitted: the update replaces the group, so its title becomes empty",
            );
        }
        if body.metadata.is_none()
            && g.obj
                .get("metadata")
                .and_then(Value::as_object)
                .is_some_and(|m| !m.is_empty())
        {
            r.warn(
                "/body/metadata",
                "cleared",
                "metadata is omitted: the update replaces the group, so its metadata becomes {}",
            );
        }
    }
}

/// `getGroup` filters disabled groups: "group doesn't exist" (404).
fn disabled_group(found: &Found, steps: &mut Steps) {
    if let Some(g) = found.group.filter(|g| g.disabled()) {
        let id = g.str("id").unwrap_or("");
        steps.add(
            Step::Group,
            FailureRank::NotFound,
            "/params/id",
            "not_found",
            format!("group doesn't exist (group {id} is disabled)"),
        );
    }
}

/// `metaSchemaService.Validate`: the metadata (`{}` when absent) against
/// the platform's group metaschema.
fn metadata(body: &Body, state: Option<&State>, steps: &mut Steps, r: &mut Report) {
    let empty = Value::Object(serde_json::Map::new());
    let md = match body.metadata {
        Some(m) if !m.is_object() => return, // a decode error already
        Some(m) => m,
        None => &empty,
    };
    let compiled = match state.and_then(|s| s.metaschema) {
        Some(ms) => schema::compile(ms, "/context/state/metaschema"),
        None => schema::compile(&default_metaschema(), ""),
    };
    for w in compiled.warnings {
        r.warn(w.path, w.code, w.message);
    }
    for e in compiled.errors {
        steps.add(Step::Metadata, FailureRank::BadRequest, e.path, e.code,
            format!("invalid syntax in body : metadata schema validation failed (the metaschema itself is invalid: {})", e.message));
    }
    let Some(s) = compiled.schema else { return };
    for e in s.validate(md, "/body/metadata") {
        steps.add(
            Step::Metadata,
            FailureRank::BadRequest,
            e.path,
            e.code,
            format!(
                "invalid syntax in body : metadata schema validation failed: {}",
                e.detail
            ),
        );
    }
    let _ = &body.obj;
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
    use serde_json::json;
    use state::is_uuid;

    #[test]
    fn name_pattern_and_uuids() {
        for ok in ["a", "A-b_9", "---", "_"] {
            assert!(valid_name(ok), "{ok}");
        }
        for bad in ["", "a b", "é", "a.b", "a/b", "a\u{0}"] {
            assert!(!valid_name(bad), "{bad:?}");
        }
        for ok in [
            "6b1f3a2e-0000-4000-8000-000000000001",
            "6B1F3A2E-0000-4000-8000-000000000001",
            "6b1f3a2e000040008000000000000001",
            "{6b1f3a2e-0000-4000-8000-000000000001}",
            "urn:uuid:6b1f3a2e-0000-4000-8000-000000000001",
        ] {
            assert!(is_uuid(ok), "{ok}");
        }
        for bad in [
            "acme",
            "not-uuid",
            "6b1f3a2e-0000-4000-8000-00000000000g",
            "6b1f3a2e-00000-400-8000-000000000001",
            "",
        ] {
            assert!(!is_uuid(bad), "{bad}");
        }
    }

    #[test]
    fn permissions_of_expands_roles() {
        let ctx = Context::default();
        let got = permissions_of(&json!({"roles": ["app_group_member"]}), &ctx).unwrap();
        assert_eq!(got, ["app_group_get"]);
        let err = permissions_of(&json!({"roles": ["root"]}), &ctx).unwrap_err();
        assert_eq!(
            (err.issues[0].path.as_str(), err.code()),
            ("/roles/0", "unknown_role")
        );
    }
}
