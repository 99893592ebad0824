//! The steps every dialect's validator shares, and the one vocabulary of
//! codes and wordings they report with.
//!
//! A validator is a short pipeline of named steps over these helpers; each
//! helper reports through the [`Report`] at the pointer of the value it
//! reads, so a step never builds a pointer or a message by hand.
//!
//! # Codes
//!
//! One code per situation, whatever the dialect. The list lives in one
//! place, README "Codes" (`tests/cases.rs` fails when a verdict carries a
//! code it does not list); the shared wordings are here: [`BODY_REQUIRED`],
//! [`warn_body_on_delete`], [`unknown_role`], [`unknown_permission`], and
//! [`caller`]'s "unknown role/permission …; it grants nothing".

pub mod caller;
pub mod order;

pub use order::Staged;

use serde_json::{Map, Value};

use super::Op;
use crate::json::pointer::ptr;
use crate::json::read::{object, Obj};
use crate::verdict::{Issue, Report};

/// The code of an unknown role, in every dialect.
pub const UNKNOWN_ROLE: &str = "unknown_role";
/// The code of an unknown permission, in every dialect.
pub const UNKNOWN_PERMISSION: &str = "unknown_permission";

/// The request's `params` as an object being read at `/params`.
pub fn params<'a>(params: &'a Map<String, Value>) -> Obj<'a> {
    Obj {
        map: params,
        path: "/params".to_string(),
    }
}

/// A DELETE's body is ignored by every product: a warning, never an error.
pub fn warn_body_on_delete(op: Op, body: Option<&Value>, r: &mut Report) {
    if op == Op::Delete && body.is_some() {
        r.warn("/body", "ignored", "DELETE has no body; it is ignored");
    }
}

/// The body as an object at `/body`; `required` when it is absent, `type`
/// when it is not an object.
pub fn require_body<'a>(body: Option<&'a Value>, r: &mut Report) -> Option<Obj<'a>> {
    let Some(body) = body else {
        r.bad("/body", "required", BODY_REQUIRED);
        return None;
    };
    object(body, "/body", r)
}

/// `context.caller` as an object at `/context/caller`, or `None` with the
/// `caller` check marked as skipped when there is no caller.
pub fn read_caller<'a>(caller: Option<&'a Value>, r: &mut Report) -> Option<Obj<'a>> {
    let Some(caller) = caller else {
        r.skip("caller");
        return None;
    };
    object(caller, "/context/caller", r)
}

/// `context.state` when given, or `None` with the `state` check marked as
/// skipped.
pub fn state<'a>(state: Option<&'a Value>, r: &mut Report) -> Option<&'a Value> {
    if state.is_none() {
        r.skip("state");
    }
    state
}

/// The objects of `state.groups` (read at `/context/state/groups/i`), each
/// with its pointer; members that are not objects are `type` errors.
pub fn state_groups<'a>(state: &Obj<'a>, r: &mut Report) -> Vec<Obj<'a>> {
    let Some(items) = state.array("groups", crate::json::read::Optional, r) else {
        return Vec::new();
    };
    let base = state.at("groups");
    items
        .iter()
        .enumerate()
        .filter_map(|(i, g)| object(g, &ptr(&base, i), r))
        .collect()
}

/// Reports a role the catalog does not know (`known`: the names to suggest).
pub fn unknown_role(path: impl Into<String>, role: &str, known: &[&str], r: &mut Report) {
    unknown_role_in(path, role, &crate::substr::join(known, ", "), r);
}

/// [`unknown_role`] with what is allowed already joined (e.g.
/// [`crate::permissions::RoleCatalog::expected_roles`]).
pub fn unknown_role_in(path: impl Into<String>, role: &str, expected: &str, r: &mut Report) {
    r.bad(
        path,
        UNKNOWN_ROLE,
        format!("unknown role {role:?}; expected one of {expected}"),
    );
}

/// A group id the state lists twice (`path`: its second `id`): the state is
/// ambiguous, and taking either entry would make an answer depend on the
/// order of the list (a second entry with `owner` turning it on or off).
pub fn duplicate_id(path: impl Into<String>, id: &str) -> Issue {
    Issue::new(
        path,
        "state.duplicate_id",
        format!("{id:?} is listed twice in context.state: the state is ambiguous"),
    )
}

/// Reports a permission the catalog does not know.
pub fn unknown_permission(path: impl Into<String>, permission: &str, r: &mut Report) {
    r.bad(
        path,
        UNKNOWN_PERMISSION,
        format!("unknown permission {permission:?}"),
    );
}

/// [`unknown_permission`] with what is allowed, already joined.
pub fn unknown_permission_in(
    path: impl Into<String>,
    permission: &str,
    expected: &str,
    r: &mut Report,
) {
    r.bad(
        path,
        UNKNOWN_PERMISSION,
        format!("unknown permission {permission:?}; expected one of {expected}"),
    );
}

/// A JSON array of strings (what `json!` makes of a list of strings).
pub fn str_array<S: AsRef<str>>(items: impl IntoIterator<Item = S>) -> Value {
    Value::Array(
        items
            .into_iter()
            .map(|s| Value::String(s.as_ref().to_string()))
            .collect(),
    )
}

/// The wording of a missing body (a product may add its own words after it).
pub const BODY_REQUIRED: &str = "body is required";

/// The wording of a string PostgreSQL cannot store (U+0000), after its
/// name; Frontier adds the status its source shows, " (500)".
pub const NUL_UNSTORABLE: &str =
    "contains U+0000, which PostgreSQL cannot store: the server's write fails";

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn shared_steps_report_one_code_and_wording_each() {
        let mut r = Report::new();
        assert!(require_body(None, &mut r).is_none());
        assert!(require_body(Some(&json!(3)), &mut r).is_none());
        warn_body_on_delete(Op::Delete, Some(&json!({})), &mut r);
        warn_body_on_delete(Op::Update, Some(&json!({})), &mut r);
        assert!(read_caller(None, &mut r).is_none());
        assert!(state(None, &mut r).is_none());
        unknown_role("/roles/0", "X", &["A", "B"], &mut r);
        unknown_permission("/permissions/0", "p", &mut r);
        let errors: Vec<_> = r.errors().map(|i| (i.path.as_str(), i.code)).collect();
        assert_eq!(
            errors,
            [
                ("/body", "required"),
                ("/body", "type"),
                ("/roles/0", "unknown_role"),
                ("/permissions/0", "unknown_permission")
            ]
        );
        let v = r.finish(200, None, None);
        assert_eq!(v.warnings.len(), 1, "only the DELETE warns");
        assert_eq!(v.skipped, ["caller", "state"]);
    }

    #[test]
    fn state_groups_are_read_with_their_pointers() {
        let st = json!({"groups": [{"id": "a"}, 5, {"id": "b/c"}]});
        let mut r = Report::new();
        let o = object(&st, "/context/state", &mut r).unwrap();
        let groups = state_groups(&o, &mut r);
        let paths: Vec<&str> = groups.iter().map(|g| g.path.as_str()).collect();
        assert_eq!(
            paths,
            ["/context/state/groups/0", "/context/state/groups/2"]
        );
        let errors: Vec<_> = r.errors().map(|i| i.path.as_str()).collect();
        assert_eq!(errors, ["/context/state/groups/1"]);
    }
}
