//! A group's own members read from a `Value` (the detailed reader's): the
//! groups array within the limits, a group's `id` and its `permissions`.

use serde_json::Value;

use super::rules::short;
use crate::input::{Obj, Optional};
use crate::limits::Limits;
use crate::permissions::{GoRulesPerms, GORULES_PERMISSIONS};
use crate::verdict::{ptr, Report};

/// The groups array, when it is one within the group and rule limits
/// (the rules are counted before any is read: over the limit fails at once).
pub(super) fn within_limits<'v>(
    groups: &'v Value,
    limits: &Limits,
    r: &mut Report,
) -> Option<&'v Vec<Value>> {
    let Value::Array(items) = groups else {
        crate::input::type_error(r, "", "an array of groups", groups);
        return None;
    };
    if items.len() > limits.max_groups {
        let message = format!(
            "{} groups is over the limit max_groups ({})",
            items.len(),
            limits.max_groups
        );
        r.bad("", "limit.groups", message);
        return None;
    }
    let total: usize = items
        .iter()
        .filter_map(|g| g.get("filePermissions")?.as_array().map(Vec::len))
        .sum();
    if total > limits.max_rules {
        let message = format!(
            "{total} file rules is over the limit max_rules ({})",
            limits.max_rules
        );
        r.bad("", "limit.rules", message);
        return None;
    }
    Some(items)
}

/// A group's `id`: a non-empty string within the length limit, without NUL.
pub(super) fn group_id(
    v: Option<&Value>,
    at: &str,
    limits: &Limits,
    r: &mut Report,
) -> Option<String> {
    match v {
        Some(Value::String(s)) if s.is_empty() => r.bad(at, "required", "id must not be empty"),
        Some(Value::String(s)) if s.len() > limits.max_string_bytes => r.bad(
            at,
            "max_length",
            format!(
                "string is {} bytes, over the limit max_string_bytes ({})",
                s.len(),
                limits.max_string_bytes
            ),
        ),
        Some(Value::String(s)) if s.as_bytes().contains(&b'\0') => {
            r.bad(at, "pattern", "id must not contain NUL")
        }
        Some(Value::String(s)) => return Some(s.clone()),
        Some(other) => crate::input::type_error(r, at, "a string", other),
        None => r.bad(at, "required", "id is required"),
    }
    None
}

/// A group's `permissions` (before their closure).
pub(super) fn group_permissions(o: &Obj, r: &mut Report) -> GoRulesPerms {
    let mut perms = GoRulesPerms::EMPTY;
    let Some(list) = o.array("permissions", Optional, r) else {
        return perms;
    };
    for (k, p) in list.iter().enumerate() {
        match p.as_str().and_then(GoRulesPerms::of) {
            Some(bit) => perms = perms.union(bit),
            None => r.bad(
                ptr(&o.at("permissions"), k),
                "enum",
                format!(
                    "unknown permission {}; expected one of {}",
                    short(p),
                    crate::substr::join(&GORULES_PERMISSIONS, ", ")
                ),
            ),
        }
    }
    perms
}
