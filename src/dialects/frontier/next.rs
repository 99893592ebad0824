//! The `next` resource (Frontier's `Group` after the change), the
//! `changes` (which fields change) of a create or update, and the
//! server's `response` body.

use serde_json::{Map, Value};

use super::{Body, Found};
use crate::dialects::common::str_array;
use crate::dialects::Op;

pub(super) fn next_and_changes(
    target: &str,
    body: &Body,
    found: &Found,
    op: Op,
) -> (Option<Value>, Option<Value>) {
    let Some(name) = body.name else {
        return (None, None);
    };
    let mut next = Map::new();
    if op == Op::Update {
        next.insert("id".into(), Value::from(target));
    }
    next.insert("name".into(), Value::from(name));
    next.insert("title".into(), Value::from(body.title.unwrap_or("")));
    let org = match op {
        Op::Create => Some(found.org.map_or(target, |o| o.id())),
        _ => found
            .org
            .map(|o| o.id())
            .or(found.group.and_then(|g| g.org_id())),
    };
    if let Some(o) = org {
        next.insert("org_id".into(), Value::from(o));
    }
    next.insert(
        "metadata".into(),
        body.metadata
            .cloned()
            .unwrap_or_else(|| Value::Object(Map::new())),
    );
    let fields: Vec<&str> = match found.group {
        Some(g) => ["name", "title", "metadata"]
            .into_iter()
            .filter(|k| {
                let before = match g.obj.get(k) {
                    Some(v) => v.clone(),
                    None if *k == "metadata" => Value::Object(Map::new()),
                    None => Value::from(""),
                };
                next.get(*k) != Some(&before)
            })
            .collect(),
        None => ["metadata", "name", "title"]
            .into_iter()
            .filter(|k| body.obj.has(k))
            .collect(),
    };
    let changes = crate::json::object([("fields", str_array(fields))]);
    (Some(Value::Object(next)), Some(changes))
}

/// The server's body for a create or update whose group is `next`:
/// `{group: …}` (F:internal/api/v1beta1connect/group.go:191, 274), the
/// group as protojson writes it with proto names, zero scalars left out
/// (F:pkg/server/codecs.go:28-33): an empty `title` is not sent; what the
/// server assigns (a created group's `id`, `created_at`, `updated_at`,
/// an `org_id` the state does not give) is null. `members_count` is 0 in
/// both answers (counted only when groups are listed), so it is not sent.
pub(super) fn response(next: &Value) -> Value {
    let mut group = Map::new();
    for (k, v) in next.as_object().into_iter().flatten() {
        if k != "title" || v.as_str() != Some("") {
            group.insert(k.clone(), v.clone());
        }
    }
    for key in ["id", "org_id", "created_at", "updated_at"] {
        if !group.contains_key(key) {
            group.insert(key.into(), Value::Null);
        }
    }
    crate::json::object([("group", Value::Object(group))])
}
