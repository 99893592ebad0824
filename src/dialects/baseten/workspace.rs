//! `Workspace::preview`, `preview_as`, `preview_with` and `apply`: they live
//! with the validator (not in `crate::baseten`), so that the tree never calls
//! back into the dialect: `baseten` ← `dialects::baseten`.

use serde_json::Value;

use super::outcome::Rendered;
use super::preview;
use crate::baseten::model::MAX_ID_BYTES;
use crate::baseten::{group_of, ApplyOptions, Workspace};
use crate::error::GroupgateError;
use crate::input::type_name;
use crate::verdict::Verdict;

/// The one rule for a caller that is not an object (nor `null`, which is
/// no caller): a thrown `type` error at `at`, as `validate` throws for
/// `context.caller`, never a verdict that reads on without a caller.
fn check_caller(caller: Option<&Value>, at: &str) -> Result<(), GroupgateError> {
    match caller {
        None | Some(Value::Null) | Some(Value::Object(_)) => Ok(()),
        Some(other) => Err(GroupgateError::one(
            at,
            "type",
            format!("expected an object, got {}", type_name(other)),
        )),
    }
}

impl Workspace {
    /// Previews a request against this state: the same verdict as
    /// `validate("baseten", request, {state})`.
    pub fn preview(&self, request: &Value) -> Verdict {
        preview(self, request, None, None).verdict()
    }

    /// Like [`Workspace::preview`], with a caller (`{scope, workspace_id?}`)
    /// so that the 403 checks run too.
    pub fn preview_as(&self, request: &Value, caller: &Value) -> Verdict {
        preview(self, request, Some(caller), None).verdict()
    }

    /// [`Workspace::preview`] with an optional caller and the summary form:
    /// with `summary: Some(n)`, each `changes` list holds its first `n`
    /// entries and `changes.summary` counts them all (`truncated` says
    /// whether any were left out). Entries past `n` are never built.
    pub fn preview_with(
        &self,
        request: &Value,
        caller: Option<&Value>,
        summary: Option<usize>,
    ) -> Verdict {
        preview(self, request, caller, summary).verdict()
    }

    /// [`Workspace::preview_with`] as JSON text (what the package returns),
    /// written without building `changes` as a `Value`: the same text as
    /// serializing the verdict, in a third of the time for large changes.
    /// A caller that is neither an object nor `null` (no caller) is an
    /// error at `/context/caller`, as `validate` throws for it.
    pub fn preview_json(
        &self,
        request: &Value,
        caller: Option<&Value>,
        summary: Option<usize>,
    ) -> Result<String, GroupgateError> {
        check_caller(caller, "/context/caller")?;
        let caller = caller.filter(|c| !c.is_null());
        Ok(preview(self, request, caller, summary).into_json())
    }
}

impl Workspace {
    /// Previews `request` and, when the verdict is `ok`, applies it to this
    /// workspace **in place** (keep [`Workspace::to_bytes`] to undo). The
    /// verdict is the preview's; on a create its `next.id` is the id the
    /// group got (`options.id`, or `new-<n>`). Afterwards the workspace
    /// answers as a fresh build of the changed state would. An `options.id`
    /// that is empty, too long or already used is an error (nothing applied),
    /// and so is a caller that is neither an object nor `null`.
    pub fn apply(
        &mut self,
        request: &Value,
        options: ApplyOptions,
    ) -> Result<Verdict, GroupgateError> {
        self.apply_rendered(request, options)
            .map(Rendered::into_verdict)
    }

    /// [`Workspace::apply`] as JSON text (what the package returns), the
    /// `changes` written without a `Value` tree (see `preview_json`).
    pub fn apply_json(
        &mut self,
        request: &Value,
        options: ApplyOptions,
    ) -> Result<String, GroupgateError> {
        self.apply_rendered(request, options).map(|r| r.to_json())
    }

    fn apply_rendered(
        &mut self,
        request: &Value,
        options: ApplyOptions,
    ) -> Result<Rendered, GroupgateError> {
        check_caller(options.caller, "/options/caller")?;
        if let Some(id) = options.id {
            let max = MAX_ID_BYTES;
            if id.is_empty() || id.len() > max || self.lookup(id).is_some() {
                return Err(GroupgateError::one(
                    "/options/id",
                    "invalid_id",
                    format!("id must be a new group id of 1 to {max} bytes, got {id:?}"),
                ));
            }
        }
        // Rendered before the workspace changes: they describe the preview.
        let mut out = preview(self, request, options.caller, options.summary).render();
        if !out.verdict.ok {
            return Ok(out);
        }
        let v = &mut out.verdict;
        let group_id = request
            .get("params")
            .and_then(|p| p.get("group_id"))
            .and_then(Value::as_str)
            .and_then(|id| self.lookup(id));
        let next_group = || {
            let next = v.next.clone().unwrap_or(Value::Null);
            group_of(&next, self.limits())
        };
        match request.get("op").and_then(Value::as_str) {
            Some("update") => {
                if let (Some(i), Some(g)) = (group_id, next_group()) {
                    self.set_group(i, g.models, g.metadata.name);
                }
            }
            Some("delete") => {
                if let Some(i) = group_id {
                    self.remove_subtree(i);
                }
            }
            _ => {
                // A create: its `next` is the new group, the id ours to give.
                let id = options.id.map_or_else(|| self.fresh_id(), str::to_string);
                let mut next = v.next.take().unwrap_or(Value::Null);
                own_limits(&mut next, &id);
                next["id"] = Value::from(id);
                if let Some(g) = group_of(&next, self.limits()) {
                    self.add_group(g);
                }
                v.next = Some(next);
            }
        }
        Ok(out)
    }

    /// `new-<n>`, n from the group count + 1 (deleted groups included) to
    /// the first id no group has, live or deleted: never another group's
    /// id, nor a deleted one's again (README "workspace.apply"). At most
    /// count + 1 tries: only the groups can hold ids past the count.
    fn fresh_id(&self) -> String {
        (self.group_count() + 1..)
            .map(|n| format!("new-{n}"))
            .find(|id| self.lookup(id).is_none())
            .unwrap_or_default()
    }
}

/// A create's own binding limits name it once it has an id (`null` in the
/// preview: "the group being created"), as `effectiveModels` answers next.
fn own_limits(next: &mut Value, id: &str) {
    let Some(models) = next
        .get_mut("effective_models")
        .and_then(Value::as_array_mut)
    else {
        return;
    };
    for model in models {
        for kind in ["rate_limits", "usage_limits"] {
            let Some(limits) = model.get_mut(kind).and_then(Value::as_array_mut) else {
                continue;
            };
            for limit in limits {
                if limit.get("source_group") == Some(&Value::Null) {
                    limit["source_group"] = Value::from(id);
                }
            }
        }
    }
}
