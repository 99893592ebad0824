//! `permissionsOf("baseten", subject)`.

use std::collections::BTreeSet;

use serde_json::Value;

use super::super::{common, Context};
use super::SCOPES;
use crate::baseten::Workspace;
use crate::error::GroupgateError;
use crate::input::{object, strings, Obj, Optional};
use crate::verdict::Report;

/// `permissionsOf("baseten", subject)`: `roles` are API-key scopes (see
/// [`SCOPES`]), `permissions` must be names from that table, and `groups`
/// (with `context.state`) grant `model:<slug>` for each effective model.
pub fn permissions_of(subject: &Value, ctx: &Context) -> Result<Vec<String>, GroupgateError> {
    let mut r = Report::with_limits(ctx.limits);
    let fail = |r: Report| GroupgateError::new(r.into_issues());
    let Some(o) = object(subject, "", &mut r) else {
        return Err(fail(r));
    };
    // A misspelled member (`workspaceId`) must not switch a check off.
    for key in o
        .map
        .keys()
        .filter(|k| !SUBJECT_MEMBERS.contains(&k.as_str()))
    {
        let message = format!(
            "unknown subject member {key}; expected {}",
            crate::substr::join(&SUBJECT_MEMBERS, ", ")
        );
        r.bad(o.at(key), "unknown_field", message);
    }
    let mut out = BTreeSet::new();
    scopes(&o, &mut out, &mut r);
    named(&o, &mut out, &mut r);
    group_models(&o, ctx, &mut out, &mut r);
    if r.has_errors() {
        return Err(fail(r));
    }
    Ok(out.into_iter().collect())
}

/// What a Baseten subject may hold.
const SUBJECT_MEMBERS: [&str; 4] = ["groups", "roles", "permissions", "workspace_id"];

/// `roles`: each scope's permissions.
fn scopes(o: &Obj, out: &mut BTreeSet<String>, r: &mut Report) {
    let Some(roles) = o.array("roles", Optional, r) else {
        return;
    };
    let known: Vec<&str> = SCOPES.iter().map(|(n, _)| *n).collect();
    for (p, role) in strings(roles, &o.at("roles"), r) {
        match SCOPES.iter().find(|(n, _)| *n == role) {
            Some((_, perms)) => out.extend(perms.iter().map(|s| s.to_string())),
            None => common::unknown_role(p.path(), role, &known, r),
        }
    }
}

/// `permissions`: names from the scopes table, or `model:<slug>`.
fn named(o: &Obj, out: &mut BTreeSet<String>, r: &mut Report) {
    let Some(perms) = o.array("permissions", Optional, r) else {
        return;
    };
    for (p, perm) in strings(perms, &o.at("permissions"), r) {
        if SCOPES.iter().any(|(_, ps)| ps.contains(&perm)) || perm.starts_with("model:") {
            out.insert(perm.to_string());
        } else {
            common::unknown_permission(p.path(), perm, r);
        }
    }
}

/// `groups`: `model:<slug>` for each effective model of each group, read
/// from `context.state` under the context's limits.
fn group_models(o: &Obj, ctx: &Context, out: &mut BTreeSet<String>, r: &mut Report) {
    let Some(groups) = o.array("groups", Optional, r) else {
        return;
    };
    let at = o.at("groups");
    let ids = strings(groups, &at, r);
    if ids.is_empty() {
        return;
    }
    let ws = match ctx.state.map(|s| Workspace::from_json_with(s, ctx.limits)) {
        None => {
            r.bad(
                o.at("groups"),
                "state_required",
                "groups need context.state to resolve their effective models",
            );
            return;
        }
        Some(Err(e)) => {
            for i in e.issues {
                r.bad(format!("/context/state{}", i.path), i.code, i.message);
            }
            return;
        }
        Some(Ok(ws)) => ws,
    };
    // Groups grant only in the subject's workspace (its own `workspace_id`,
    // else the caller's): never a grant from another workspace.
    let caller = ctx.caller.and_then(|c| object(c, "/context/caller", r));
    let mine = o
        .string("workspace_id", Optional, r)
        .or_else(|| caller.and_then(|c| c.string("workspace_id", Optional, r)));
    // Each group once: a repeated id would rebuild its effective models.
    let mut seen = crate::strset::StrSet::new();
    for (p, id) in ids {
        if !seen.insert(id) {
            continue;
        }
        let theirs = ws.group(id).and_then(|g| g.workspace_id());
        if let Some((a, b)) = mine.zip(theirs).filter(|(a, b)| a != b) {
            r.bad(
                p.path(),
                "other_workspace",
                format!("group {id} is in workspace {b}, not {a}: it grants nothing here"),
            );
            continue;
        }
        match ws.effective_models(id) {
            Ok(models) => out.extend(models.into_iter().map(|m| format!("model:{}", m.slug))),
            Err(e) => {
                for i in e.issues {
                    r.bad(p.path(), i.code, i.message);
                }
            }
        }
    }
}
