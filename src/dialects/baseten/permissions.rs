//! `permissionsOf("baseten", subject)`.

use std::collections::BTreeSet;

use serde_json::Value;

use super::super::Context;
use super::SCOPES;
use crate::baseten::Workspace;
use crate::error::GroupgateError;
use crate::input::{object, strings, Optional};
use crate::verdict::Report;

/// `permissionsOf("baseten", subject)`: `roles` are API-key scopes (see
/// [`SCOPES`]), `permissions` must be names from that table, and `groups`
/// (with `context.state`) grant `model:<slug>` for each effective model.
pub fn permissions_of(subject: &Value, ctx: &Context) -> Result<Vec<String>, GroupgateError> {
    let mut r = Report::new();
    let fail = |r: Report| GroupgateError::new(r.errors().cloned().collect());
    let Some(o) = object(subject, "", &mut r) else {
        return Err(fail(r));
    };
    let mut out = BTreeSet::new();
    if let Some(roles) = o.array("roles", Optional, &mut r) {
        for (p, role) in strings(roles, &o.at("roles"), &mut r) {
            match SCOPES.iter().find(|(n, _)| *n == role) {
                Some((_, perms)) => out.extend(perms.iter().map(|s| s.to_string())),
                None => r.bad(
                    p,
                    "unknown_role",
                    format!("unknown baseten scope {role:?}; expected management or inference"),
                ),
            }
        }
    }
    if let Some(perms) = o.array("permissions", Optional, &mut r) {
        for (p, perm) in strings(perms, &o.at("permissions"), &mut r) {
            if SCOPES.iter().any(|(_, ps)| ps.contains(&perm)) || perm.starts_with("model:") {
                out.insert(perm.to_string());
            } else {
                r.bad(
                    p,
                    "unknown_permission",
                    format!("unknown baseten permission {perm:?}"),
                );
            }
        }
    }
    if let Some(groups) = o.array("groups", Optional, &mut r) {
        let ids = strings(groups, &o.at("groups"), &mut r);
        if !ids.is_empty() {
            match ctx.state.map(Workspace::from_json) {
                None => r.bad(
                    o.at("groups"),
                    "state_required",
                    "groups need context.state to resolve their effective models",
                ),
                Some(Err(e)) => {
                    for i in e.issues {
                        r.bad(format!("/context/state{}", i.path), i.code, i.message);
                    }
                }
                Some(Ok(ws)) => {
                    // Groups grant only in the subject's workspace (its own
                    // `workspace_id`, else the caller's): never a grant from
                    // another workspace.
                    let mine = o.string("workspace_id", Optional, &mut r).or_else(|| {
                        ctx.caller
                            .and_then(|c| c.get("workspace_id"))
                            .and_then(Value::as_str)
                    });
                    for (p, id) in ids {
                        let theirs = ws.group(id).and_then(|g| g.workspace_id.as_deref());
                        if let Some((a, b)) = mine.zip(theirs).filter(|(a, b)| a != b) {
                            r.bad(
                                p,
                                "other_workspace",
                                format!("group {id} is in workspace {b}, not {a}: it grants nothing here"),
                            );
                            continue;
                        }
                        match ws.effective_models(id) {
                            Ok(models) => {
                                out.extend(models.into_iter().map(|m| format!("model:{}", m.slug)))
                            }
                            Err(e) => {
                                for i in e.issues {
                                    r.bad(p.clone(), i.code, i.message);
                                }
                            }
                        }
                    }
                }
            }
        }
    }
    if r.has_errors() {
        return Err(fail(r));
    }
    Ok(out.into_iter().collect())
}
