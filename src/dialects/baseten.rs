//! The `baseten` dialect: Baseten Frontier Gateway groups (SPEC §1.1).
//!
//! Shapes (documented in the README):
//! * `context.state`: `{ groups: BasetenGroup[], keys?: ApiKey[] }`, read by
//!   [`Workspace::from_json`]; an invalid state makes the verdict a 400 with
//!   the state's issues under `/context/state`.
//! * `context.caller`: `{ scope?: string | string[], workspace_id?: string }`.
//!   Without `management` in `scope` → 403 `forbidden` at `""` (the
//!   request as a whole, as in every dialect). A target group whose `workspace_id` differs from
//!   the caller's → 403 `other_workspace`.
//! * `params.group_id` (update, delete): missing or deleted → 404 `not_found`.
//!   A body reference (`hierarchy.parent_group_id` on create) that is missing,
//!   deleted or in another workspace is a 400 `not_found` at its pointer: the
//!   request is malformed, the target itself is not missing; one in another
//!   workspace than the caller's is a 403 `other_workspace`.
//! * A duplicate `external_entity_id` on create → 400 `already_exists`.
//!
//! Without `state` (or `caller`) the checks that need it are skipped and
//! listed in `skipped`; `next`/`changes` need the state, except the `next`
//! of a root group's create (its effective models are its own). A delete
//! answers `response = {id, metadata, deleted_at: null}` (delete-a-group).

use serde_json::Value;

use super::{common, Context, Op, Request};
use crate::baseten::{
    enum_of, parse_models, BasetenGroup, Changes, Enforcement, HierarchyConfig, LimitKey, Metadata,
    ModelConfig, Workspace,
};
use crate::input::{strings, type_error, Obj, Optional, Required};
use crate::permissions::Quoted;
use crate::verdict::{Class, Report};

mod outcome;
mod permissions;
mod workspace;

pub(super) use outcome::Outcome;

pub use permissions::permissions_of;

/// The longest `metadata.name` / `metadata.external_entity_id`, in characters.
pub const MAX_NAME_CHARS: usize = 255;

/// Baseten API-key scopes and the permissions each grants (the
/// `permissionsOf("baseten", {roles})` table). Group membership grants
/// `model:<slug>` for each effective model instead.
pub const SCOPES: &[(&str, &[&str])] = &[
    ("management", MANAGE_ALL.split_at(7).0),
    ("inference", &["models:invoke"]),
    // The API key types of BT-OAS `APIKeyCategory` that these scopes are:
    // a "manage all" workspace key manages groups and keys and invokes; an
    // "invoke" key only invokes.
    ("WORKSPACE_MANAGE_ALL", MANAGE_ALL),
    ("WORKSPACE_INVOKE", &["models:invoke"]),
];

/// What a "manage all" key may do: the `management` scope (the first
/// seven) and invoking models.
const MANAGE_ALL: &[&str] = &[
    "groups:create",
    "groups:read",
    "groups:update",
    "groups:delete",
    "api_keys:create",
    "api_keys:read",
    "api_keys:revoke",
    "models:invoke",
];

/// Whether an API key scope (or key type) manages groups.
fn manages_groups(scope: &str) -> bool {
    SCOPES
        .iter()
        .any(|(name, perms)| *name == scope && perms.contains(&"groups:update"))
}

/// Validates a baseten request (called by [`super::validate`]).
/// `render` gives the verdict its form: a [`Verdict`] or JSON text.
/// `state_text`: the state as JSON text, when the context's was read apart.
pub(super) fn validate<T>(
    req: &Request,
    ctx: &Context,
    state_text: Option<&str>,
    render: impl FnOnce(Outcome<'_>) -> T,
) -> T {
    let mut r = Report::with_limits(ctx.limits);
    let mut state_bad = false;
    let read = match (state_text, ctx.state) {
        (Some(text), _) => Some(Workspace::from_json_text(text, ctx.limits)),
        (None, state) => state.map(|s| Workspace::from_json_with(s, ctx.limits)),
    };
    let ws = match read {
        None => None,
        Some(Ok(ws)) => Some(ws),
        Some(Err(e)) => {
            state_bad = true;
            for i in e.issues {
                r.bad(format!("/context/state{}", i.path), i.code, i.message);
            }
            None
        }
    };
    render(run(req, ws.as_ref(), ctx.caller, state_bad, None, r))
}

/// [`Workspace::preview`]: the envelope is read here, the state is the
/// workspace's.
fn preview<'w>(
    ws: &'w Workspace,
    request: &Value,
    caller: Option<&Value>,
    cap: Option<usize>,
) -> Outcome<'w> {
    let mut r = Report::with_limits(ws.limits());
    let Some(req) = super::envelope(request, &mut r) else {
        return Outcome {
            verdict: r.finish(200, None, None),
            changes: None,
        };
    };
    run(&req, Some(ws), caller, false, cap, r)
}

fn run<'w>(
    req: &Request,
    ws: Option<&'w Workspace>,
    caller: Option<&Value>,
    state_bad: bool,
    cap: Option<usize>,
    mut r: Report,
) -> Outcome<'w> {
    if ws.is_none() && !state_bad {
        r.skip("state");
    }
    let caller = common::read_caller(caller, &mut r).map(|o| read_caller(&o, &mut r));
    let mut response = None;
    let (next, changes) = match req.op {
        Op::Create => create(req, ws, caller.as_ref(), cap, &mut r),
        Op::Update => update(req, ws, caller.as_ref(), cap, &mut r),
        Op::Delete => delete(req, ws, caller.as_ref(), cap, &mut response, &mut r),
    };
    // `changes` stands as `null` until rendered (kept only when ok).
    let hole = changes.as_ref().map(|_| Value::Null);
    let mut verdict = r.finish(req.op.success(), next, hole);
    if let Some(body) = response {
        verdict = verdict.with_response(body);
    }
    Outcome { verdict, changes }
}

type Effects<'w> = (Option<Value>, Option<Changes<'w>>);

// ---------------------------------------------------------------------------
// Caller and target.

struct Caller {
    workspace_id: Option<String>,
}

/// The caller's scopes (403 without `management` or `WORKSPACE_MANAGE_ALL`)
/// and workspace.
fn read_caller(o: &Obj, r: &mut Report) -> Caller {
    o.warn_unknown(&["scope", "workspace_id"], r);
    let scopes: Option<Vec<(String, &str)>> = match o.get("scope") {
        None => Some(Vec::new()),
        Some(Value::String(s)) => Some(vec![(o.at("scope"), s.as_str())]),
        Some(Value::Array(a)) => {
            let before = r.checkpoint();
            let at = o.at("scope");
            let s = strings(a, &at, r);
            (!r.failed_since(before)).then(|| s.into_iter().map(|(p, s)| (p.path(), s)).collect())
        }
        Some(other) => {
            type_error(r, &o.at("scope"), "a string or an array of strings", other);
            None
        }
    };
    if let Some(scopes) = scopes {
        // An unknown scope (`Management`) grants nothing, and says so.
        for (at, s) in scopes
            .iter()
            .filter(|(_, s)| SCOPES.iter().all(|(n, _)| n != s))
        {
            common::caller::unknown(at.clone(), s, " (names are case-sensitive)", r);
        }
        if !scopes.iter().any(|(_, s)| manages_groups(s)) {
            r.error(
                Class::CallerForbidden,
                // Like every dialect's caller 403: the request as a whole.
                "",
                "forbidden",
                "the caller's API key lacks management scope, which managing groups requires",
            );
        }
    }
    let workspace_id = o.string("workspace_id", Optional, r).map(str::to_string);
    Caller { workspace_id }
}

/// The group named by `params.group_id`: 404 when missing or deleted, 403
/// when in another workspace than the caller's.
fn target(
    req: &Request,
    ws: Option<&Workspace>,
    caller: Option<&Caller>,
    r: &mut Report,
) -> Option<u32> {
    let p = common::params(req.params);
    p.warn_unknown(&["group_id"], r);
    let id = p.string("group_id", Required, r)?;
    if id.is_empty() {
        r.bad(p.at("group_id"), "min_length", "group_id must not be empty");
        return None;
    }
    let ws = ws?;
    let at = p.at("group_id");
    match ws.lookup(id) {
        None => {
            r.error(
                Class::NotFound,
                at,
                "not_found",
                format!("no group {id} in this workspace"),
            );
            None
        }
        Some(i) if ws.get(i).deleted() => {
            r.error(
                Class::NotFound,
                at,
                "not_found",
                format!("group {id} has been deleted"),
            );
            None
        }
        Some(i) => {
            let mine = caller.and_then(|c| c.workspace_id.as_deref());
            match (mine, ws.get(i).workspace_id()) {
                (Some(c), Some(g)) if c != g => {
                    r.error(
                        Class::OtherWorkspace,
                        at,
                        "other_workspace",
                        format!("group {id} exists but is not in your workspace ({c})"),
                    );
                    None
                }
                // The group names a workspace the caller does not: the
                // other_workspace check could not run (no complete 200).
                (None, Some(_)) if caller.is_some() => {
                    r.skip("workspace");
                    Some(i)
                }
                _ => Some(i),
            }
        }
    }
}

/// A `metadata` string field with a 1–255 character length (`name` may be empty).
fn bounded<'a>(
    md: &Obj<'a>,
    key: &str,
    need: crate::input::Need,
    min: usize,
    r: &mut Report,
) -> Option<&'a str> {
    let s = md.string(key, need, r)?;
    let n = s.chars().count();
    if n < min {
        r.bad(md.at(key), "min_length", format!("{key} must not be empty"));
        None
    } else if n > MAX_NAME_CHARS {
        r.bad(
            md.at(key),
            "max_length",
            format!("{key} is {n} characters, over the maximum of {MAX_NAME_CHARS}"),
        );
        None
    } else {
        Some(s)
    }
}

// ---------------------------------------------------------------------------
// Rules shared by create and update.

/// CASCADING: this group's thresholds must not be above an ancestor's, nor
/// below an existing descendant's, for the same (slug, kind, type, unit).
fn cascade(
    ws: &Workspace,
    parent: Option<u32>,
    me: Option<u32>,
    models: &[ModelConfig],
    r: &mut Report,
) {
    for (mi, m) in models.iter().enumerate() {
        let Some(s) = ws.slug_id(&m.slug) else {
            continue;
        };
        for (kind, li, l) in m.limits() {
            let key = (s, LimitKey::new(kind, l.limit_type, l.unit));
            let at = format!("/body/models/{mi}/{}/{li}/threshold", kind.field());
            let above = parent.and_then(|p| ws.path_bound(p, key));
            if let Some(b) = above.filter(|b| l.threshold > b.threshold) {
                r.bad(
                    at.clone(),
                    "cascade.above_ancestor",
                    format!(
                        "{} {}: threshold {} is above ancestor group {}'s {} (CASCADING); raise the ancestor first",
                        m.slug,
                        key.1.describe(),
                        l.threshold,
                        Quoted(ws.name_of(b.source).unwrap_or("")),
                        b.threshold
                    ),
                );
            }
            let below = me.and_then(|me| ws.below(me, key));
            if let Some(b) = below.filter(|b| l.threshold < b.threshold) {
                r.bad(
                    at,
                    "cascade.below_descendant",
                    format!(
                        "{} {}: threshold {} is below descendant group {}'s {} (CASCADING); lower the descendant first",
                        m.slug,
                        key.1.describe(),
                        l.threshold,
                        Quoted(ws.name_of(b.source).unwrap_or("")),
                        b.threshold
                    ),
                );
            }
        }
    }
}

/// Warns about slugs the parent does not have effectively.
fn not_effective(ws: &Workspace, parent: Option<u32>, models: &[ModelConfig], r: &mut Report) {
    let Some(p) = parent else { return };
    let pe = ws.effective_of(p);
    for (mi, m) in models.iter().enumerate() {
        if !ws.slug_id(&m.slug).is_some_and(|s| pe.has_slug(s)) {
            r.warn(
                format!("/body/models/{mi}/slug"),
                "not_effective",
                format!(
                    "parent group {} does not have {}; it will not be effective for this group or its keys",
                    Quoted(ws.name_of(p).unwrap_or("")),
                    m.slug
                ),
            );
        }
    }
}

// ---------------------------------------------------------------------------
// Operations.

/// A create body as read: every member that passed its checks.
struct CreateBody<'a> {
    name: Option<&'a str>,
    ext: Option<&'a str>,
    models: Option<Vec<ModelConfig>>,
    mode: Option<Enforcement>,
    parent_id: Option<&'a str>,
}

/// The create pipeline: body, parent (placement), external id, limits, effects.
fn create<'w>(
    req: &Request,
    ws: Option<&'w Workspace>,
    caller: Option<&Caller>,
    cap: Option<usize>,
    r: &mut Report,
) -> Effects<'w> {
    common::params(req.params).warn_unknown(&[], r);
    let Some(mut body) = create_body(req, r) else {
        return (None, None);
    };
    let Some(ws) = ws else {
        return (root_without_state(body, caller, r), None);
    };
    let mine = caller.and_then(|c| c.workspace_id.as_deref());
    let (parent, mode) = placement(ws, &body, caller.map(|_| mine), r);
    let workspace_id = mine
        .or_else(|| parent.and_then(|p| ws.get(p).workspace_id()))
        .map(str::to_string);
    if let Some(ext) = body.ext {
        external_id_free(ws, ext, workspace_id.as_deref(), caller.is_some(), r);
    }
    let Some(models) = body.models.take() else {
        return (None, None);
    };
    if mode == Enforcement::Cascading {
        cascade(ws, parent, None, &models, r);
    }
    not_effective(ws, parent, &models, r);
    if r.has_errors() {
        return (None, None);
    }
    let group = new_group(&body, models, mode, workspace_id);
    let (next, changes) = ws.create_effects(&group, parent, cap);
    (Some(next), Some(changes))
}

/// The group a create body describes (id and `created_at`: the server's).
fn new_group(
    body: &CreateBody,
    models: Vec<ModelConfig>,
    mode: Enforcement,
    workspace_id: Option<String>,
) -> BasetenGroup {
    BasetenGroup {
        id: String::new(),
        metadata: Metadata {
            name: body.name.map(str::to_string),
            external_entity_id: body.ext.unwrap_or_default().to_string(),
        },
        models,
        hierarchy: HierarchyConfig {
            limit_enforcement: mode,
            parent_group_id: body.parent_id.map(str::to_string),
        },
        workspace_id,
        deleted: false,
    }
}

/// `next` of a create without state: a root group's effective models are
/// its own, whatever the workspace holds (create-a-group's response), so
/// it is computed over an empty workspace; a child's need its parent's
/// (none without state). `changes` need the state.
fn root_without_state(mut body: CreateBody, caller: Option<&Caller>, r: &Report) -> Option<Value> {
    if body.parent_id.is_some() || r.has_errors() {
        return None;
    }
    let models = body.models.take()?;
    let mode = body.mode.unwrap_or(Enforcement::Independent);
    let workspace_id = caller.and_then(|c| c.workspace_id.clone());
    let group = new_group(&body, models, mode, workspace_id);
    let none = crate::json::object([("groups", Value::Array(Vec::new()))]);
    let empty = Workspace::from_json_with(&none, r.limits()).ok()?;
    Some(empty.create_effects(&group, None, Some(0)).0)
}

/// Reads a create body: metadata, a non-empty `models`, and `hierarchy`.
fn create_body<'a>(req: &Request<'a>, r: &mut Report) -> Option<CreateBody<'a>> {
    let b = common::require_body(req.body, r)?;
    b.warn_unknown(&["metadata", "models", "hierarchy"], r);
    let md = b.object("metadata", Required, r);
    if let Some(md) = &md {
        md.warn_unknown(&["name", "external_entity_id"], r);
    }
    let name = md.as_ref().and_then(|m| bounded(m, "name", Optional, 0, r));
    let ext = md
        .as_ref()
        .and_then(|m| bounded(m, "external_entity_id", Required, 1, r));
    let models = match b.get("models") {
        None => {
            r.bad(b.at("models"), "required", "models is required");
            None
        }
        Some(v) => {
            null_limit_lists(v, &b.at("models"), r);
            parse_models(v, &b.at("models"), r)
        }
    };
    if models.as_ref().is_some_and(Vec::is_empty) {
        r.bad(
            b.at("models"),
            "min_items",
            "models must not be empty on create",
        );
    }
    // Required, as the OpenAPI's CreateGroupRequestV1 says; its members are
    // nullable (mode: the parent's, a root INDEPENDENT).
    let h = b.object("hierarchy", Required, r);
    if let Some(h) = &h {
        h.warn_unknown(&["limit_enforcement", "parent_group_id"], r);
    }
    let mode = h
        .as_ref()
        .and_then(|h| enum_of(h, "limit_enforcement", Optional, Enforcement::TABLE, r));
    let parent_id = h
        .as_ref()
        .and_then(|h| h.string("parent_group_id", Optional, r));
    Some(CreateBody {
        name,
        ext,
        models,
        mode,
        parent_id,
    })
}

/// `rate_limits: null` / `usage_limits: null` in a request's models: BT-OAS
/// `ModelConfigV1` types both as arrays, not nullable (where a member may be
/// null the schema says so: `anyOf [..., {type: null}]`), so the server's
/// request model refuses null. The state reader keeps reading null as none.
fn null_limit_lists(models: &Value, path: &str, r: &mut Report) {
    let Value::Array(items) = models else { return };
    for (i, m) in items.iter().enumerate() {
        for list in ["rate_limits", "usage_limits"] {
            if m.get(list).is_some_and(Value::is_null) {
                type_error(r, &format!("{path}/{i}/{list}"), "an array", &Value::Null);
            }
        }
    }
}

/// Where a created group goes: its parent (live, in the caller's workspace,
/// same mode, within `max_depth`) and its mode (the parent's when not given,
/// a root's INDEPENDENT).
fn placement(
    ws: &Workspace,
    body: &CreateBody,
    caller: Option<Option<&str>>,
    r: &mut Report,
) -> (Option<u32>, Enforcement) {
    let mine = caller.flatten();
    let mode = body.mode.unwrap_or(Enforcement::Independent);
    let Some(pid) = body.parent_id else {
        return (None, mode);
    };
    let at = "/body/hierarchy/parent_group_id";
    let Some(p) = ws.lookup(pid) else {
        r.bad(
            at,
            "not_found",
            format!("parent group {pid} does not exist"),
        );
        return (None, mode);
    };
    let g = ws.get(p);
    if g.deleted() {
        r.bad(
            at,
            "not_found",
            format!("parent group {pid} has been deleted"),
        );
        return (None, mode);
    }
    if mine.zip(g.workspace_id()).is_some_and(|(a, b)| a != b) {
        // As for a target in another workspace: 403, never a parent (and
        // its models) borrowed from another workspace.
        r.error(
            Class::OtherWorkspace,
            at,
            "other_workspace",
            format!("parent group {pid} exists but is not in your workspace"),
        );
        return (None, mode);
    }
    if caller == Some(None) && g.workspace_id().is_some() {
        // As for a target: a parent of a named workspace under a caller
        // that names none, other_workspace could not run.
        r.skip("workspace");
    }
    let pm = g.limit_enforcement();
    if let Some(m) = body.mode.filter(|&m| m != pm) {
        r.bad(
            "/body/hierarchy/limit_enforcement",
            "mixed_enforcement",
            format!(
                "limit_enforcement {} differs from parent group {pid}'s {}; a child's mode must equal its parent's",
                m.name(),
                pm.name()
            ),
        );
    }
    let level = ws.level_of(p).saturating_add(1);
    let max = ws.limits().max_depth;
    if level > max {
        r.bad(
            at,
            "depth",
            format!("the group would be at level {level}, over the limit max_depth ({max}); a root is level 1"),
        );
    }
    (Some(p), body.mode.unwrap_or(pm))
}

/// `external_entity_id` is free among the live groups of the workspace:
/// "Unique within the caller's org" (BT-OAS `GroupMetadataV1`). When
/// neither the caller nor the parent names the workspace, a group of a
/// named workspace holding it may be another's: the check is `skipped`
/// (`workspace`), as for the target, not a 400. Without a caller the
/// state stands for the caller's workspace, as when finding a target.
fn external_id_free(
    ws: &Workspace,
    ext: &str,
    workspace_id: Option<&str>,
    caller_given: bool,
    r: &mut Report,
) {
    let Some((g, sure)) = ws.external_id_taken(ext, workspace_id) else {
        return;
    };
    if !sure && caller_given {
        r.skip("workspace");
        return;
    }
    // 400, as Baseten's create-a-group errors list "duplicate
    // external_entity_id" under 400 Bad Request.
    r.bad(
        "/body/metadata/external_entity_id",
        "already_exists",
        format!(
            "external_entity_id {ext} is already used by group {}",
            g.id()
        ),
    );
}

fn update<'w>(
    req: &Request,
    ws: Option<&'w Workspace>,
    caller: Option<&Caller>,
    cap: Option<usize>,
    r: &mut Report,
) -> Effects<'w> {
    let target = target(req, ws, caller, r);
    let Some(b) = common::require_body(req.body, r) else {
        return (None, None);
    };
    b.warn_unknown(&["metadata", "models", "hierarchy"], r);
    let mut name = None;
    if let Some(md) = b.object("metadata", Optional, r) {
        md.warn_unknown(&["name", "external_entity_id"], r);
        name = bounded(&md, "name", Optional, 0, r);
        // Ignored, not refused: UpdateGroupMetadataV1 has no such member and,
        // unlike the API's request models that refuse unknown members, no
        // `additionalProperties: false` (BT-OAS).
        if md.has("external_entity_id") {
            r.warn(
                md.at("external_entity_id"),
                "immutable",
                "metadata.external_entity_id cannot be changed; the server ignores it (to re-key a group, delete it and create a fresh one)",
            );
        }
    }
    if b.has("hierarchy") {
        r.warn(
            b.at("hierarchy"),
            "immutable",
            "hierarchy (parent and limit_enforcement) is immutable after creation; the server ignores it",
        );
    }
    let models = b.get("models").and_then(|v| {
        null_limit_lists(v, &b.at("models"), r);
        parse_models(v, &b.at("models"), r)
    });
    if !b.has("metadata") && !b.has("models") {
        r.bad(
            "/body",
            "required",
            "at least one of metadata, models must be provided",
        );
    }
    let (Some(ws), Some(i)) = (ws, target) else {
        return (None, None);
    };
    if let Some(models) = &models {
        let parent = ws.parent_of(i);
        if ws.get(i).limit_enforcement() == Enforcement::Cascading {
            cascade(ws, parent, Some(i), models, r);
        }
        not_effective(ws, parent, models, r);
    }
    if r.has_errors() {
        return (None, None);
    }
    let (next, changes) = ws.update_effects(i, models.as_deref(), name, cap);
    (Some(next), Some(changes))
}

fn delete<'w>(
    req: &Request,
    ws: Option<&'w Workspace>,
    caller: Option<&Caller>,
    cap: Option<usize>,
    response: &mut Option<Value>,
    r: &mut Report,
) -> Effects<'w> {
    let target = target(req, ws, caller, r);
    common::warn_body_on_delete(req.op, req.body, r);
    let (Some(ws), Some(i)) = (ws, target) else {
        return (None, None);
    };
    if r.has_errors() {
        return (None, None);
    }
    *response = Some(deleted(ws, i));
    (None, Some(ws.delete_effects(i, cap)))
}

/// Delete-a-group's response: `{id, metadata, deleted_at}`, the metadata
/// "at the time of deletion"; `deleted_at` is the server's clock: `null`.
fn deleted(ws: &Workspace, i: u32) -> Value {
    let g = ws.get(i);
    let metadata = crate::json::object([
        ("name", g.name().map_or(Value::Null, Value::from)),
        ("external_entity_id", g.external_entity_id().into()),
    ]);
    crate::json::object([
        ("id", g.id().into()),
        ("metadata", metadata),
        ("deleted_at", Value::Null),
    ])
}
