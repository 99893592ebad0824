//! The one reader of Baseten state: JSON (text or value) and typed groups
//! all go through the same checks, each problem at its JSON Pointer.
//!
//! `parse_*` read untyped JSON (the state and request bodies share
//! [`parse_models`]); [`Workspace::from_json_with`] takes a fast typed path
//! first and falls back to them for the issues.

use crate::keyed::HashMap;

use serde_json::Value;

use super::model::{
    self, is_slug, ApiKey, BasetenGroup, Enforcement, HierarchyConfig, Limit, LimitKind, LimitType,
    LimitUnit, Metadata, ModelConfig,
};
use super::scan;
use super::store::State;
use super::tree::Workspace;
use crate::error::GroupgateError;
use crate::input::{object, type_error, Obj, Optional, Required};
use crate::limits::Limits;
use crate::verdict::{ptr, Report};

pub(crate) fn enum_of<T: Copy>(
    o: &Obj,
    key: &str,
    need: crate::input::Need,
    table: &[(&str, T)],
    r: &mut Report,
) -> Option<T> {
    let s = o.string(key, need, r)?;
    match table.iter().find(|(n, _)| *n == s) {
        Some((_, v)) => Some(*v),
        None => {
            let names: Vec<&str> = table.iter().map(|(n, _)| *n).collect();
            r.bad(
                o.at(key),
                "enum",
                format!(
                    "{key} must be one of {}, got {s:?}",
                    crate::substr::join(&names, ", ")
                ),
            );
            None
        }
    }
}

fn parse_limits(v: &Value, path: &str, kind: LimitKind, r: &mut Report) -> Option<Vec<Limit>> {
    let Value::Array(items) = v else {
        type_error(r, path, "an array", v);
        return None;
    };
    let before = r.checkpoint();
    let mut out = Vec::with_capacity(items.len());
    let mut seen: Vec<(LimitType, LimitUnit, usize)> = Vec::new();
    for (i, item) in items.iter().enumerate() {
        let p = ptr(path, i);
        let Some(o) = object(item, &p, r) else {
            continue;
        };
        o.warn_unknown(&["type", "unit", "threshold"], r);
        let t = enum_of(&o, "type", Required, LimitType::TABLE, r);
        let u = enum_of(&o, "unit", Required, kind.units(), r);
        // Minimum 0, as Baseten's OpenAPI (`RateLimitV1`/`UsageLimitV1`
        // `minimum: 0`), the schema the server validates with; the docs'
        // prose says >= 1, so 0 is a warning (README, Baseten fidelity).
        let threshold = match o.integer("threshold", Required, r) {
            Some(0) => {
                r.warn(
                    o.at("threshold"),
                    "threshold_zero",
                    "threshold 0 allows nothing; the API accepts it (OpenAPI minimum 0), the docs ask for at least 1",
                );
                Some(0)
            }
            Some(n) if n >= 1 => Some(n as u64),
            Some(n) => {
                r.bad(
                    o.at("threshold"),
                    "minimum",
                    format!("threshold must be at least 0, got {n}"),
                );
                None
            }
            None => None,
        };
        if let (Some(t), Some(u)) = (t, u) {
            // Rate limits: one per type; usage limits: one per (type, unit).
            let dup = seen
                .iter()
                .find(|(st, su, _)| *st == t && (kind == LimitKind::Rate || *su == u));
            if let Some((_, _, first)) = dup {
                let what = match kind {
                    LimitKind::Rate => format!("a {} rate limit", t.name()),
                    LimitKind::Usage => format!("a {}/{} usage limit", t.name(), u.name()),
                };
                r.bad(
                    o.at("type"),
                    "duplicate",
                    format!("{what} is already set at {}", ptr(path, first)),
                );
            } else {
                seen.push((t, u, i));
            }
            if let Some(threshold) = threshold {
                out.push(Limit {
                    limit_type: t,
                    unit: u,
                    threshold,
                });
            }
        }
    }
    (!r.failed_since(before)).then_some(out)
}

/// Reads a `models` list at `path`: slugs (`pattern`, `duplicate`) and limit
/// shapes. `None` when any error was reported.
pub(crate) fn parse_models(v: &Value, path: &str, r: &mut Report) -> Option<Vec<ModelConfig>> {
    let Value::Array(items) = v else {
        type_error(r, path, "an array", v);
        return None;
    };
    let before = r.checkpoint();
    let mut out = Vec::with_capacity(items.len());
    let mut seen: HashMap<&str, usize> = crate::keyed::with_capacity(items.len());
    for (i, item) in items.iter().enumerate() {
        let p = ptr(path, i);
        let Some(o) = object(item, &p, r) else {
            continue;
        };
        o.warn_unknown(&["slug", "rate_limits", "usage_limits"], r);
        let slug = o.string("slug", Required, r);
        if let Some(s) = slug {
            if !is_slug(s) {
                r.bad(
                    o.at("slug"),
                    "pattern",
                    format!("slug must have the form owner/model (two non-empty segments, no spaces), got {s:?}"),
                );
            } else if let Some(first) = seen.get(s) {
                r.bad(
                    o.at("slug"),
                    "duplicate",
                    format!("slug {s} already appears at {}", ptr(path, first)),
                );
            } else {
                seen.insert(s, i);
            }
        }
        let rate = o
            .get("rate_limits")
            .map(|v| parse_limits(v, &o.at("rate_limits"), LimitKind::Rate, r));
        let usage = o
            .get("usage_limits")
            .map(|v| parse_limits(v, &o.at("usage_limits"), LimitKind::Usage, r));
        if let Some(s) = slug {
            out.push(ModelConfig {
                slug: s.to_string(),
                rate_limits: rate.flatten(),
                usage_limits: usage.flatten(),
            });
        }
    }
    (!r.failed_since(before)).then_some(out)
}

fn parse_group(v: &Value, path: &str, r: &mut Report) -> Option<BasetenGroup> {
    let before = r.checkpoint();
    let g = object(v, path, r)?;
    g.refuse_near_misses(&model::GROUP_MEMBERS, r);
    let id = g.string("id", Required, r);
    if id == Some("") {
        r.bad(g.at("id"), "min_length", "id must not be empty");
    }
    let md = g.object("metadata", Required, r);
    if let Some(m) = &md {
        m.refuse_near_misses(&model::METADATA_MEMBERS, r);
    }
    let name = md.as_ref().and_then(|m| m.string("name", Optional, r));
    let ext = md
        .as_ref()
        .and_then(|m| m.string("external_entity_id", Required, r));
    let models = match g.get("models") {
        None => Some(Vec::new()),
        Some(m) => parse_models(m, &g.at("models"), r),
    };
    let h = g.object("hierarchy", Required, r);
    if let Some(h) = &h {
        h.refuse_near_misses(&model::HIERARCHY_MEMBERS, r);
    }
    let mode = h
        .as_ref()
        .and_then(|h| enum_of(h, "limit_enforcement", Required, Enforcement::TABLE, r));
    let parent = h
        .as_ref()
        .and_then(|h| h.string("parent_group_id", Optional, r));
    let workspace_id = g.string("workspace_id", Optional, r);
    let deleted = g.boolean("deleted", Optional, r).unwrap_or(false);
    if r.failed_since(before) {
        return None;
    }
    Some(BasetenGroup {
        id: id?.to_string(),
        metadata: Metadata {
            name: name.map(str::to_string),
            external_entity_id: ext?.to_string(),
        },
        models: models?,
        hierarchy: HierarchyConfig {
            limit_enforcement: mode?,
            parent_group_id: parent.map(str::to_string),
        },
        workspace_id: workspace_id.map(str::to_string),
        deleted,
    })
}

fn parse_key(v: &Value, path: &str, r: &mut Report) -> Option<ApiKey> {
    let k = object(v, path, r)?;
    k.refuse_near_misses(&model::KEY_MEMBERS, r);
    let prefix = k.string("prefix", Required, r);
    if prefix == Some("") {
        r.bad(k.at("prefix"), "min_length", "prefix must not be empty");
    }
    let group_id = k.string("group_id", Required, r);
    let name = k.string("name", Optional, r);
    Some(ApiKey {
        prefix: prefix.filter(|p| !p.is_empty())?.to_string(),
        group_id: group_id?.to_string(),
        name: name.map(str::to_string),
    })
}

impl Workspace {
    /// Reads and checks a state `{groups, keys?}` with the default limits.
    pub fn from_json(state: &Value) -> Result<Workspace, GroupgateError> {
        Workspace::from_json_with(state, Limits::DEFAULT)
    }

    /// Reads and checks a state with the given limits. Every problem found is
    /// reported, each at its JSON Pointer in the state.
    pub fn from_json_with(state: &Value, limits: Limits) -> Result<Workspace, GroupgateError> {
        Workspace::read_detailed(state, limits)
    }

    /// Reads and checks a state given as JSON text: straight into the
    /// compact form (no `Value` tree, no typed decoding) when the text is a
    /// well-formed state, through [`Workspace::from_json_with`] otherwise
    /// (same answers).
    pub fn from_json_text(text: &str, limits: Limits) -> Result<Workspace, GroupgateError> {
        if let Some(st) = scan::read(text, limits) {
            return Workspace::assemble(st, limits);
        }
        let state = crate::error::from_json(text, "")?;
        Workspace::from_json_with(&state, limits)
    }

    /// Builds a workspace from typed groups and keys. The same reader as
    /// [`Workspace::from_json_with`]: typed input that passes its checks is
    /// assembled directly, anything else is read as JSON for the issues, so
    /// both entry points answer alike under any limits.
    pub fn build(
        groups: Vec<BasetenGroup>,
        keys: Vec<ApiKey>,
        limits: Limits,
    ) -> Result<Workspace, GroupgateError> {
        if typed_ok(&groups, &keys, limits) {
            return Workspace::assemble(state_of(&groups, &keys), limits);
        }
        let state = serde_json::json!({ "groups": groups, "keys": keys });
        Workspace::read_detailed(&state, limits)
    }

    /// The detailed reader: every shape problem at its pointer, then the
    /// structural checks.
    fn read_detailed(state: &Value, limits: Limits) -> Result<Workspace, GroupgateError> {
        let mut r = Report::with_limits(limits);
        let fail = |r: Report| GroupgateError::new(r.into_issues());
        let Some(o) = object(state, "", &mut r) else {
            return Err(fail(r));
        };
        o.refuse_near_misses(&model::STATE_MEMBERS, &mut r);
        let groups = o.array("groups", Required, &mut r);
        let keys = o.array("keys", Optional, &mut r);
        if let Some(g) = groups {
            super::checks::group_count(g.len(), limits)?;
        }
        let mut st = State::reading();
        for (i, g) in groups.into_iter().flatten().enumerate() {
            if let Some(g) = parse_group(g, &ptr("/groups", i), &mut r) {
                st.push_group(&g);
            }
        }
        for (i, k) in keys.into_iter().flatten().enumerate() {
            if let Some(k) = parse_key(k, &ptr("/keys", i), &mut r) {
                st.push_key(&k);
            }
        }
        if r.has_errors() {
            return Err(fail(r));
        }
        Workspace::assemble(st, limits)
    }
}

/// Typed groups and keys in compact form.
fn state_of(groups: &[BasetenGroup], keys: &[ApiKey]) -> State {
    let mut st = State::reading();
    for g in groups {
        st.push_group(g);
    }
    for k in keys {
        st.push_key(k);
    }
    st
}

/// A group read from JSON (a create's or an update's `next`) by the
/// detailed reader; `None` when it is not a valid group.
pub(crate) fn group_of(v: &Value, limits: Limits) -> Option<BasetenGroup> {
    let mut r = Report::with_limits(limits);
    parse_group(v, "", &mut r).filter(|_| !r.has_errors())
}

/// Whether typed input passes every check `parse_group`, `parse_key` and
/// `parse_models` make (so the fast path accepts exactly what the detailed
/// reader accepts; `the_fast_and_the_detailed_reader_agree` and the fuzz
/// target hold them to it).
fn typed_ok(groups: &[BasetenGroup], keys: &[ApiKey], limits: Limits) -> bool {
    let max = limits.max_string_bytes;
    let short = |s: &str| s.len() <= max;
    let groups_ok = groups.len() <= limits.max_groups
        && groups.iter().all(|g| {
            !g.id.is_empty()
                && short(&g.id)
                && g.metadata.name.as_deref().is_none_or(short)
                && short(&g.metadata.external_entity_id)
                && g.hierarchy.parent_group_id.as_deref().is_none_or(short)
                && g.workspace_id.as_deref().is_none_or(short)
                && models_ok(&g.models, max)
        });
    let keys_ok = keys.iter().all(|k| {
        !k.prefix.is_empty()
            && short(&k.prefix)
            && short(&k.group_id)
            && k.name.as_deref().is_none_or(short)
    });
    groups_ok && keys_ok
}

/// The checks of [`parse_models`] on typed models.
fn models_ok(models: &[ModelConfig], max_bytes: usize) -> bool {
    const SAFE: u64 = (1 << 53) - 1;
    // Distinct slugs: a pairwise scan for the usual handful, a set beyond.
    let distinct = if models.len() <= 8 {
        models
            .iter()
            .enumerate()
            .all(|(i, m)| models[..i].iter().all(|x| x.slug != m.slug))
    } else {
        let mut seen = crate::strset::StrSet::with_capacity(models.len());
        models.iter().all(|m| seen.insert(&m.slug))
    };
    distinct
        && models.iter().all(|m| {
            let rate = m.rate_limits.as_deref().unwrap_or_default();
            let usage = m.usage_limits.as_deref().unwrap_or_default();
            let rate_ok = rate.iter().enumerate().all(|(i, l)| {
                l.unit != LimitUnit::Day && !rate[..i].iter().any(|x| x.limit_type == l.limit_type)
            });
            let usage_ok = usage.iter().enumerate().all(|(i, l)| {
                l.unit == LimitUnit::Day
                    && !usage[..i]
                        .iter()
                        .any(|x| x.limit_type == l.limit_type && x.unit == l.unit)
            });
            m.slug.len() <= max_bytes
                && is_slug(&m.slug)
                && rate_ok
                && usage_ok
                && m.limits().all(|(_, _, l)| l.threshold <= SAFE)
        })
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn slug_pattern() {
        for (s, ok) in [
            ("meta/llama-3.1", true),
            ("a/b", true),
            ("ab", false),
            ("/b", false),
            ("a/", false),
            ("a/b/c", false),
            ("a /b", false),
            ("", false),
        ] {
            assert_eq!(is_slug(s), ok, "{s:?}");
        }
    }

    #[test]
    fn the_fast_and_the_detailed_reader_agree() {
        let g = |extra: Value| {
            let mut v = json!({
                "id": "a",
                "metadata": {"external_entity_id": "e"},
                "models": [{"slug": "a/b", "rate_limits": [{"type": "TOKEN", "unit": "MINUTE", "threshold": 5}]}],
                "hierarchy": {"limit_enforcement": "INDEPENDENT"},
                "effective_models": [],
            });
            if let (Value::Object(m), Value::Object(x)) = (&mut v, extra) {
                m.extend(x);
            }
            json!({ "groups": [v] })
        };
        // Accepted by both (null = absent; unknown members ignored).
        for st in [
            g(json!({})),
            g(json!({"deleted": null, "workspace_id": null})),
            // A saved API response: members no reader reads, none a near miss.
            g(
                json!({"created_at": "2026-01-01T00:00:00Z", "effective_models": [], "deleted_at": null}),
            ),
        ] {
            let mut r = Report::new();
            let slow = parse_group(&st["groups"][0], "/groups/0", &mut r);
            assert!(slow.is_some() && !r.has_errors(), "{st}");
            assert!(Workspace::from_json(&st).is_ok(), "{st}");
            assert!(
                scan::read(&st.to_string(), Limits::DEFAULT).is_some(),
                "{st}"
            );
        }
        // Rejected by the fast reader's checks, reported by the detailed one.
        for (models, code) in [
            (json!([{"slug": "ab"}]), "pattern"),
            (json!([{"slug": "a/b"}, {"slug": "a/b"}]), "duplicate"),
            (
                json!([{"slug": "a/b", "rate_limits": [{"type": "TOKEN", "unit": "DAY", "threshold": 1}]}]),
                "enum",
            ),
            (
                json!([{"slug": "a/b", "usage_limits": [{"type": "TOKEN", "unit": "SECOND", "threshold": 1}]}]),
                "enum",
            ),
            (
                json!([{"slug": "a/b", "rate_limits": [{"type": "TOKEN", "unit": "SECOND", "threshold": -1}]}]),
                "minimum",
            ),
            (
                json!([{"slug": "a/b", "rate_limits": [{"type": "TOKEN", "unit": "SECOND", "threshold": 1.5}]}]),
                "integer",
            ),
        ] {
            let st = g(json!({ "models": models }));
            assert!(
                scan::read(&st.to_string(), Limits::DEFAULT).is_none(),
                "{st}"
            );
            let e = Workspace::from_json(&st).unwrap_err();
            assert_eq!(e.code(), code, "{e}");
            let e = Workspace::from_json_text(&st.to_string(), Limits::DEFAULT).unwrap_err();
            assert_eq!(e.code(), code, "{e}");
        }
        // The typed entry point makes the same checks.
        let bad = BasetenGroup {
            id: "a".into(),
            metadata: Metadata {
                name: None,
                external_entity_id: "e".into(),
            },
            models: vec![ModelConfig {
                slug: "nope".into(),
                rate_limits: None,
                usage_limits: None,
            }],
            hierarchy: HierarchyConfig {
                limit_enforcement: Enforcement::Independent,
                parent_group_id: None,
            },
            workspace_id: None,
            deleted: false,
        };
        let e = Workspace::build(vec![bad], vec![], Limits::DEFAULT).unwrap_err();
        assert_eq!(
            (e.issues[0].path.as_str(), e.code()),
            ("/groups/0/models/0/slug", "pattern")
        );
    }
}
