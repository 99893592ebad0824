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
//! listed in `skipped`; `next`/`changes` need the state.

use serde_json::Value;

use super::{Context, Op, Request};
use crate::baseten::{
    enum_of, parse_models, BasetenGroup, Enforcement, HierarchyConfig, LimitKey, Metadata,
    ModelConfig, Workspace,
};
use crate::input::{object, strings, type_error, Obj, Optional, Required};
use crate::verdict::{Class, Report, Verdict};

mod permissions;
mod workspace;

pub use permissions::permissions_of;

/// The longest `metadata.name` / `metadata.external_entity_id`, in characters.
pub const MAX_NAME_CHARS: usize = 255;

/// Baseten API-key scopes and the permissions each grants (the
/// `permissionsOf("baseten", {roles})` table). Group membership grants
/// `model:<slug>` for each effective model instead.
pub const SCOPES: &[(&str, &[&str])] = &[
    (
        "management",
        &[
            "groups:create",
            "groups:read",
            "groups:update",
            "groups:delete",
            "api_keys:create",
            "api_keys:read",
            "api_keys:revoke",
        ],
    ),
    ("inference", &["models:invoke"]),
];

/// Validates a baseten request (called by [`super::validate`]).
pub fn validate(req: &Request, ctx: &Context) -> Verdict {
    let mut r = Report::with_limits(ctx.limits);
    let mut state_bad = false;
    let ws = match ctx.state {
        None => None,
        Some(state) => match Workspace::from_json_with(state, ctx.limits) {
            Ok(ws) => Some(ws),
            Err(e) => {
                state_bad = true;
                for i in e.issues {
                    r.bad(format!("/context/state{}", i.path), i.code, i.message);
                }
                None
            }
        },
    };
    run(req, ws.as_ref(), ctx.caller, state_bad, None, r)
}

/// [`Workspace::preview`]: the envelope is read here, the state is the
/// workspace's.
fn preview(ws: &Workspace, request: &Value, caller: Option<&Value>, cap: Option<usize>) -> Verdict {
    let mut r = Report::with_limits(ws.limits());
    let Some(req) = super::envelope(request, &mut r) else {
        return r.finish(200, None, None);
    };
    run(&req, Some(ws), caller, false, cap, r)
}

fn run(
    req: &Request,
    ws: Option<&Workspace>,
    caller: Option<&Value>,
    state_bad: bool,
    cap: Option<usize>,
    mut r: Report,
) -> Verdict {
    if ws.is_none() && !state_bad {
        r.skip("state");
    }
    let caller = match caller {
        None => {
            r.skip("caller");
            None
        }
        Some(c) => read_caller(c, &mut r),
    };
    let (next, changes) = match req.op {
        Op::Create => create(req, ws, caller.as_ref(), cap, &mut r),
        Op::Update => update(req, ws, caller.as_ref(), cap, &mut r),
        Op::Delete => delete(req, ws, caller.as_ref(), cap, &mut r),
    };
    r.finish(req.op.success(), next, changes)
}

type Effects = (Option<Value>, Option<Value>);

// ---------------------------------------------------------------------------
// Caller and target.

struct Caller {
    workspace_id: Option<String>,
}

fn read_caller(v: &Value, r: &mut Report) -> Option<Caller> {
    let o = object(v, "/context/caller", r)?;
    o.warn_unknown(&["scope", "workspace_id"], r);
    let scopes: Option<Vec<&str>> = match o.get("scope") {
        None => Some(Vec::new()),
        Some(Value::String(s)) => Some(vec![s.as_str()]),
        Some(Value::Array(a)) => {
            let before = r.checkpoint();
            let s: Vec<&str> = strings(a, &o.at("scope"), r)
                .into_iter()
                .map(|(_, s)| s)
                .collect();
            (!r.failed_since(before)).then_some(s)
        }
        Some(other) => {
            type_error(r, &o.at("scope"), "a string or an array of strings", other);
            None
        }
    };
    if let Some(scopes) = scopes {
        if !scopes.contains(&"management") {
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
    Some(Caller { workspace_id })
}

fn params<'a>(req: &Request<'a>) -> Obj<'a> {
    Obj {
        map: req.params,
        path: "/params".to_string(),
    }
}

/// The group named by `params.group_id`: 404 when missing or deleted, 403
/// when in another workspace than the caller's.
fn target(
    req: &Request,
    ws: Option<&Workspace>,
    caller: Option<&Caller>,
    r: &mut Report,
) -> Option<u32> {
    let p = params(req);
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
        Some(i) if ws.get(i).deleted => {
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
            match (mine, ws.get(i).workspace_id.as_deref()) {
                (Some(c), Some(g)) if c != g => {
                    r.error(
                        Class::OtherWorkspace,
                        at,
                        "other_workspace",
                        format!("group {id} exists but is not in your workspace ({c})"),
                    );
                    None
                }
                _ => Some(i),
            }
        }
    }
}

fn body<'a>(req: &Request<'a>, r: &mut Report) -> Option<Obj<'a>> {
    match req.body {
        None => {
            r.bad("/body", "required", "a body is required");
            None
        }
        Some(b) => object(b, "/body", r),
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
            let above = parent.and_then(|p| ws.effective_of(p).bound(key));
            if let Some(b) = above.filter(|b| l.threshold > b.threshold) {
                r.bad(
                    at.clone(),
                    "cascade.above_ancestor",
                    format!(
                        "{} {}: threshold {} is above ancestor group {}'s {} (CASCADING); raise the ancestor first",
                        m.slug,
                        key.1.describe(),
                        l.threshold,
                        ws.name_of(b.source).unwrap_or(""),
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
                        ws.name_of(b.source).unwrap_or(""),
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
                    ws.name_of(p).unwrap_or(""),
                    m.slug
                ),
            );
        }
    }
}

// ---------------------------------------------------------------------------
// Operations.

fn create(
    req: &Request,
    ws: Option<&Workspace>,
    caller: Option<&Caller>,
    cap: Option<usize>,
    r: &mut Report,
) -> Effects {
    params(req).warn_unknown(&[], r);
    let Some(b) = body(req, r) else {
        return (None, None);
    };
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
        Some(v) => parse_models(v, &b.at("models"), r),
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
    let pid = h
        .as_ref()
        .and_then(|h| h.string("parent_group_id", Optional, r));

    let Some(ws) = ws else { return (None, None) };
    let mine = caller.and_then(|c| c.workspace_id.as_deref());
    let mut parent = None;
    let mut mode_final = mode.unwrap_or(Enforcement::Independent);
    if let Some(pid) = pid {
        let at = "/body/hierarchy/parent_group_id";
        match ws.lookup(pid).map(|p| (p, ws.get(p))) {
            None => r.bad(
                at,
                "not_found",
                format!("parent group {pid} does not exist"),
            ),
            Some((_, g)) if g.deleted => r.bad(
                at,
                "not_found",
                format!("parent group {pid} has been deleted"),
            ),
            Some((_, g))
                if mine
                    .zip(g.workspace_id.as_deref())
                    .is_some_and(|(a, b)| a != b) =>
            {
                // As for a target in another workspace: 403, never a parent
                // (and its models) borrowed from another workspace.
                r.error(
                    Class::OtherWorkspace,
                    at,
                    "other_workspace",
                    format!("parent group {pid} exists but is not in your workspace"),
                )
            }
            Some((p, g)) => {
                parent = Some(p);
                let pm = g.hierarchy.limit_enforcement;
                match mode {
                    Some(m) if m != pm => r.bad(
                        "/body/hierarchy/limit_enforcement",
                        "mixed_enforcement",
                        format!(
                            "limit_enforcement {} differs from parent group {pid}'s {}; a child's mode must equal its parent's",
                            m.name(),
                            pm.name()
                        ),
                    ),
                    _ => mode_final = pm,
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
            }
        }
    }
    let workspace_id = mine
        .or_else(|| parent.and_then(|p| ws.get(p).workspace_id.as_deref()))
        .map(str::to_string);
    if let Some(ext) = ext {
        if let Some(g) = ws.external_id_taken(ext, workspace_id.as_deref()) {
            // 400, as Baseten's create-a-group errors list "duplicate
            // external_entity_id" under 400 Bad Request.
            r.bad(
                "/body/metadata/external_entity_id",
                "already_exists",
                format!("external_entity_id {ext} is already used by group {}", g.id),
            );
        }
    }
    let Some(models) = models else {
        return (None, None);
    };
    if mode_final == Enforcement::Cascading {
        cascade(ws, parent, None, &models, r);
    }
    not_effective(ws, parent, &models, r);
    if r.has_errors() {
        return (None, None);
    }
    let group = BasetenGroup {
        id: String::new(),
        metadata: Metadata {
            name: name.map(str::to_string),
            external_entity_id: ext.unwrap_or_default().to_string(),
        },
        models,
        hierarchy: HierarchyConfig {
            limit_enforcement: mode_final,
            parent_group_id: pid.map(str::to_string),
        },
        workspace_id,
        deleted: false,
    };
    let (next, changes) = ws.create_effects(&group, parent, cap);
    (Some(next), Some(changes))
}

fn update(
    req: &Request,
    ws: Option<&Workspace>,
    caller: Option<&Caller>,
    cap: Option<usize>,
    r: &mut Report,
) -> Effects {
    let target = target(req, ws, caller, r);
    let Some(b) = body(req, r) else {
        return (None, None);
    };
    b.warn_unknown(&["metadata", "models", "hierarchy"], r);
    let mut name = None;
    if let Some(md) = b.object("metadata", Optional, r) {
        md.warn_unknown(&["name", "external_entity_id"], r);
        name = bounded(&md, "name", Optional, 0, r);
        if md.has("external_entity_id") {
            r.bad(
                md.at("external_entity_id"),
                "immutable",
                "metadata.external_entity_id cannot be changed; to re-key a group, delete it and create a fresh one",
            );
        }
    }
    if b.has("hierarchy") {
        r.bad(
            b.at("hierarchy"),
            "immutable",
            "hierarchy (parent and limit_enforcement) is immutable after creation",
        );
    }
    let models = b
        .get("models")
        .and_then(|v| parse_models(v, &b.at("models"), r));
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
        if ws.get(i).hierarchy.limit_enforcement == Enforcement::Cascading {
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

fn delete(
    req: &Request,
    ws: Option<&Workspace>,
    caller: Option<&Caller>,
    cap: Option<usize>,
    r: &mut Report,
) -> Effects {
    let target = target(req, ws, caller, r);
    if req.body.is_some() {
        r.warn(
            "/body",
            "ignored",
            "delete takes no body; the server ignores it",
        );
    }
    let (Some(ws), Some(i)) = (ws, target) else {
        return (None, None);
    };
    if r.has_errors() {
        return (None, None);
    }
    (None, Some(ws.delete_effects(i, cap)))
}
