//! The Baseten group tree: state validation and effective models (SPEC §1.1).
//!
//! A [`Workspace`] is built once from the state (`{groups, keys?}`), checked
//! (dangling parents, cycles, depth, mixed enforcement, duplicates), and
//! precomputed: children are indexed and every group's effective models are
//! computed once. A preview then recomputes only the subtree under the changed
//! group, and stops descending as soon as a child's inputs are unchanged.
//!
//! Internally slugs are interned (`u32`) and limit keys packed (`LKey`), so
//! the per-group work of a preview is a merge of two small sorted vectors.

use std::collections::{HashMap, HashSet};

use serde::{Deserialize, Serialize};
use serde_json::{json, Value};

use crate::error::GroupgateError;
use crate::input::{object, type_error, Obj, Optional, Required};
use crate::limits::Limits;
use crate::verdict::{ptr, Issue, Report, Verdict};

// ---------------------------------------------------------------------------
// Public data types (snake_case on the wire, as Baseten's API).

/// `hierarchy.limit_enforcement`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "SCREAMING_SNAKE_CASE")]
pub enum Enforcement {
    Independent,
    Cascading,
}

impl Enforcement {
    pub fn name(self) -> &'static str {
        match self {
            Enforcement::Independent => "INDEPENDENT",
            Enforcement::Cascading => "CASCADING",
        }
    }
}

/// A limit's `type`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "SCREAMING_SNAKE_CASE")]
pub enum LimitType {
    Token = 0,
    Request = 1,
}

/// A limit's `unit`: SECOND and MINUTE for rate limits, DAY for usage limits.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "SCREAMING_SNAKE_CASE")]
pub enum LimitUnit {
    Second = 0,
    Minute = 1,
    Day = 2,
}

/// Which list a limit lives in: `rate_limits` or `usage_limits`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum LimitKind {
    Rate = 0,
    Usage = 1,
}

impl LimitType {
    pub fn name(self) -> &'static str {
        match self {
            LimitType::Token => "TOKEN",
            LimitType::Request => "REQUEST",
        }
    }
}

impl LimitUnit {
    pub fn name(self) -> &'static str {
        match self {
            LimitUnit::Second => "SECOND",
            LimitUnit::Minute => "MINUTE",
            LimitUnit::Day => "DAY",
        }
    }
}

impl LimitKind {
    pub fn name(self) -> &'static str {
        match self {
            LimitKind::Rate => "rate",
            LimitKind::Usage => "usage",
        }
    }
    pub(crate) fn field(self) -> &'static str {
        match self {
            LimitKind::Rate => "rate_limits",
            LimitKind::Usage => "usage_limits",
        }
    }
}

/// One entry of `rate_limits` / `usage_limits`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct Limit {
    #[serde(rename = "type")]
    pub limit_type: LimitType,
    pub unit: LimitUnit,
    pub threshold: u64,
}

/// One entry of a group's `models`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ModelConfig {
    pub slug: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub rate_limits: Option<Vec<Limit>>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub usage_limits: Option<Vec<Limit>>,
}

impl ModelConfig {
    /// Every limit with its kind and index in its list.
    pub(crate) fn limits(&self) -> impl Iterator<Item = (LimitKind, usize, &Limit)> {
        let rate = self.rate_limits.iter().flatten().enumerate();
        let usage = self.usage_limits.iter().flatten().enumerate();
        rate.map(|(i, l)| (LimitKind::Rate, i, l))
            .chain(usage.map(|(i, l)| (LimitKind::Usage, i, l)))
    }
}

/// `metadata`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Metadata {
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub name: Option<String>,
    pub external_entity_id: String,
}

/// `hierarchy`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct HierarchyConfig {
    pub limit_enforcement: Enforcement,
    #[serde(default)]
    pub parent_group_id: Option<String>,
}

/// A group as the state describes it (the shape the API returns, minus
/// `effective_models`, which groupgate computes).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct BasetenGroup {
    pub id: String,
    pub metadata: Metadata,
    #[serde(default)]
    pub models: Vec<ModelConfig>,
    pub hierarchy: HierarchyConfig,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub workspace_id: Option<String>,
    #[serde(default, skip_serializing_if = "is_false")]
    pub deleted: bool,
}

fn is_false(b: &bool) -> bool {
    !*b
}

/// An API key as known client-side: its prefix and its group.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ApiKey {
    pub prefix: String,
    pub group_id: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub name: Option<String>,
}

/// An effective limit: the smallest threshold set on the path from the root,
/// and the group that set it (`None` for a group being created).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct EffectiveLimit {
    #[serde(rename = "type")]
    pub limit_type: LimitType,
    pub unit: LimitUnit,
    pub threshold: u64,
    pub source_group: Option<String>,
}

/// One model a group (and each of its keys) can use, with its binding limits.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct EffectiveModel {
    pub slug: String,
    pub rate_limits: Vec<EffectiveLimit>,
    pub usage_limits: Vec<EffectiveLimit>,
}

// ---------------------------------------------------------------------------
// Internal, compact representation.

/// A limit key (kind, type, unit) packed in a byte; ordering = output order.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub(crate) struct LKey(u8);

impl LKey {
    pub(crate) fn new(kind: LimitKind, t: LimitType, u: LimitUnit) -> LKey {
        LKey(((kind as u8) << 3) | ((t as u8) << 2) | u as u8)
    }
    pub(crate) fn kind(self) -> LimitKind {
        if self.0 >> 3 == 0 {
            LimitKind::Rate
        } else {
            LimitKind::Usage
        }
    }
    pub(crate) fn limit_type(self) -> LimitType {
        if (self.0 >> 2) & 1 == 0 {
            LimitType::Token
        } else {
            LimitType::Request
        }
    }
    pub(crate) fn unit(self) -> LimitUnit {
        match self.0 & 3 {
            0 => LimitUnit::Second,
            1 => LimitUnit::Minute,
            _ => LimitUnit::Day,
        }
    }
    /// "TOKEN/MINUTE rate limit"
    pub(crate) fn describe(self) -> String {
        format!(
            "{}/{} {} limit",
            self.limit_type().name(),
            self.unit().name(),
            self.kind().name()
        )
    }
}

/// The index used for a group that does not exist yet (a create preview).
pub(crate) const NEW: u32 = u32::MAX;

pub(crate) type Key = (u32, LKey);

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) struct Bound {
    pub threshold: u64,
    pub source: u32,
}

/// A group's own configuration, interned and sorted.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub(crate) struct Own {
    slugs: Vec<u32>,
    limits: Vec<(Key, u64)>,
}

impl Own {
    pub(crate) fn build(models: &[ModelConfig], mut id: impl FnMut(&str) -> u32) -> Own {
        let mut own = Own::default();
        for m in models {
            let s = id(&m.slug);
            own.slugs.push(s);
            for (kind, _, l) in m.limits() {
                own.limits
                    .push(((s, LKey::new(kind, l.limit_type, l.unit)), l.threshold));
            }
        }
        own.slugs.sort_unstable();
        own.slugs.dedup();
        own.limits.sort_unstable_by_key(|(k, _)| *k);
        own.limits.dedup_by_key(|(k, _)| *k);
        own
    }
}

/// What a group gets: effective slugs, and for every (slug, key) set on its
/// path from the root (effective or not) the binding bound.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub(crate) struct Eff {
    pub slugs: Vec<u32>,
    pub limits: Vec<(Key, Bound)>,
}

impl Eff {
    pub(crate) fn bound(&self, key: Key) -> Option<Bound> {
        self.limits
            .binary_search_by_key(&key, |(k, _)| *k)
            .ok()
            .map(|i| self.limits[i].1)
    }
    pub(crate) fn has_slug(&self, s: u32) -> bool {
        self.slugs.binary_search(&s).is_ok()
    }
    /// The bounds of one slug (a contiguous run of the sorted list).
    fn bounds_of(&self, s: u32) -> &[(Key, Bound)] {
        let lo = self.limits.partition_point(|(k, _)| k.0 < s);
        let hi = self.limits.partition_point(|(k, _)| k.0 <= s);
        &self.limits[lo..hi]
    }
}

/// The effective configuration of a group from its parent's and its own.
pub(crate) fn derive(parent: Option<&Eff>, own: &Own, me: u32) -> Eff {
    let Some(p) = parent else {
        return Eff {
            slugs: own.slugs.clone(),
            limits: own
                .limits
                .iter()
                .map(|&(k, t)| {
                    (
                        k,
                        Bound {
                            threshold: t,
                            source: me,
                        },
                    )
                })
                .collect(),
        };
    };
    let mut slugs = Vec::with_capacity(own.slugs.len().min(p.slugs.len()));
    let (mut i, mut j) = (0, 0);
    while i < own.slugs.len() && j < p.slugs.len() {
        match own.slugs[i].cmp(&p.slugs[j]) {
            std::cmp::Ordering::Less => i += 1,
            std::cmp::Ordering::Greater => j += 1,
            std::cmp::Ordering::Equal => {
                slugs.push(own.slugs[i]);
                i += 1;
                j += 1;
            }
        }
    }
    let mut limits = Vec::with_capacity(own.limits.len() + p.limits.len());
    let (mut i, mut j) = (0, 0);
    while i < own.limits.len() || j < p.limits.len() {
        let mine = own.limits.get(i);
        let theirs = p.limits.get(j);
        match (mine, theirs) {
            (Some(&(k, t)), Some(&(pk, pb))) if k == pk => {
                // Smallest wins; on a tie the nearer group (this one).
                limits.push((
                    k,
                    if t <= pb.threshold {
                        Bound {
                            threshold: t,
                            source: me,
                        }
                    } else {
                        pb
                    },
                ));
                i += 1;
                j += 1;
            }
            (Some(&(k, t)), Some(&(pk, _))) if k < pk => {
                limits.push((
                    k,
                    Bound {
                        threshold: t,
                        source: me,
                    },
                ));
                i += 1;
            }
            (Some(&(k, t)), None) => {
                limits.push((
                    k,
                    Bound {
                        threshold: t,
                        source: me,
                    },
                ));
                i += 1;
            }
            (_, Some(&(pk, pb))) => {
                limits.push((pk, pb));
                j += 1;
            }
            (None, None) => break,
        }
    }
    Eff { slugs, limits }
}

// ---------------------------------------------------------------------------
// Parsing (shared by the state reader and the request validator).

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
                format!("{key} must be one of {}, got {s:?}", names.join(", ")),
            );
            None
        }
    }
}

pub(crate) const ENFORCEMENTS: &[(&str, Enforcement)] = &[
    ("INDEPENDENT", Enforcement::Independent),
    ("CASCADING", Enforcement::Cascading),
];
pub(crate) const TYPES: &[(&str, LimitType)] =
    &[("TOKEN", LimitType::Token), ("REQUEST", LimitType::Request)];
pub(crate) const RATE_UNITS: &[(&str, LimitUnit)] =
    &[("SECOND", LimitUnit::Second), ("MINUTE", LimitUnit::Minute)];
pub(crate) const USAGE_UNITS: &[(&str, LimitUnit)] = &[("DAY", LimitUnit::Day)];

/// `owner/model`: two non-empty segments, no whitespace or control characters.
pub fn is_slug(s: &str) -> bool {
    let mut parts = s.split('/');
    match (parts.next(), parts.next(), parts.next()) {
        (Some(a), Some(b), None) => {
            !a.is_empty()
                && !b.is_empty()
                && !s.chars().any(|c| c.is_whitespace() || c.is_control())
        }
        _ => false,
    }
}

fn parse_limits(v: &Value, path: &str, kind: LimitKind, r: &mut Report) -> Option<Vec<Limit>> {
    let Value::Array(items) = v else {
        type_error(r, path, "an array", v);
        return None;
    };
    let before = r.errors().count();
    let mut out = Vec::with_capacity(items.len());
    let mut seen: Vec<(LimitType, LimitUnit, usize)> = Vec::new();
    for (i, item) in items.iter().enumerate() {
        let p = ptr(path, i);
        let Some(o) = object(item, &p, r) else {
            continue;
        };
        o.warn_unknown(&["type", "unit", "threshold"], r);
        let t = enum_of(&o, "type", Required, TYPES, r);
        let units = match kind {
            LimitKind::Rate => RATE_UNITS,
            LimitKind::Usage => USAGE_UNITS,
        };
        let u = enum_of(&o, "unit", Required, units, r);
        let threshold = match o.integer("threshold", Required, r) {
            Some(n) if n >= 1 => Some(n as u64),
            Some(n) => {
                r.bad(
                    o.at("threshold"),
                    "minimum",
                    format!("threshold must be at least 1, got {n}"),
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
    (r.errors().count() == before).then_some(out)
}

/// Reads a `models` list at `path`: slugs (`pattern`, `duplicate`) and limit
/// shapes. `None` when any error was reported.
pub(crate) fn parse_models(v: &Value, path: &str, r: &mut Report) -> Option<Vec<ModelConfig>> {
    let Value::Array(items) = v else {
        type_error(r, path, "an array", v);
        return None;
    };
    let before = r.errors().count();
    let mut out = Vec::with_capacity(items.len());
    let mut seen: HashMap<&str, usize> = HashMap::with_capacity(items.len());
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
    (r.errors().count() == before).then_some(out)
}

fn parse_group(v: &Value, path: &str, r: &mut Report) -> Option<BasetenGroup> {
    let before = r.errors().count();
    let g = object(v, path, r)?;
    let id = g.string("id", Required, r);
    if id == Some("") {
        r.bad(g.at("id"), "min_length", "id must not be empty");
    }
    let md = g.object("metadata", Required, r);
    let name = md.as_ref().and_then(|m| m.string("name", Optional, r));
    let ext = md
        .as_ref()
        .and_then(|m| m.string("external_entity_id", Required, r));
    let models = match g.get("models") {
        None => Some(Vec::new()),
        Some(m) => parse_models(m, &g.at("models"), r),
    };
    let h = g.object("hierarchy", Required, r);
    let mode = h
        .as_ref()
        .and_then(|h| enum_of(h, "limit_enforcement", Required, ENFORCEMENTS, r));
    let parent = h
        .as_ref()
        .and_then(|h| h.string("parent_group_id", Optional, r));
    let workspace_id = g.string("workspace_id", Optional, r);
    let deleted = g.boolean("deleted", Optional, r).unwrap_or(false);
    if r.errors().count() != before {
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

// ---------------------------------------------------------------------------
// The workspace.

/// A Baseten workspace: groups and keys, validated and precomputed.
#[derive(Debug, Clone, Default)]
pub struct Workspace {
    limits: Limits,
    groups: Vec<BasetenGroup>,
    keys: Vec<ApiKey>,
    /// Every group (deleted ones too) by id.
    index: HashMap<String, u32>,
    /// Tree links of live groups (deleted groups have none).
    parent: Vec<Option<u32>>,
    children: Vec<Vec<u32>>,
    /// Level of each live group; a root is 1.
    level: Vec<usize>,
    keys_of: Vec<Vec<u32>>,
    slugs: Vec<String>,
    slug_ids: HashMap<String, u32>,
    own: Vec<Own>,
    eff: Vec<Eff>,
    /// CASCADING groups: the largest own threshold per (slug, key) among
    /// strict descendants, with the group that sets it.
    below: Vec<Vec<(Key, Bound)>>,
}

impl Workspace {
    /// Reads and checks a state `{groups, keys?}` with the default limits.
    pub fn from_json(state: &Value) -> Result<Workspace, GroupgateError> {
        Workspace::from_json_with(state, Limits::DEFAULT)
    }

    /// Reads and checks a state with the given limits. Every problem found is
    /// reported, each at its JSON Pointer in the state.
    pub fn from_json_with(state: &Value, limits: Limits) -> Result<Workspace, GroupgateError> {
        // Fast path: a typed read plus the shape checks the detailed reader
        // makes. Anything off falls through to the detailed reader, which
        // reports every problem at its pointer.
        if let Some((groups, keys)) = fast_read(state, limits) {
            return Workspace::assemble(groups, keys, limits);
        }
        let mut r = Report::with_limits(limits);
        let fail = |r: Report| GroupgateError::new(r.errors().cloned().collect());
        let Some(o) = object(state, "", &mut r) else {
            return Err(fail(r));
        };
        let groups = o.array("groups", Required, &mut r);
        let keys = o.array("keys", Optional, &mut r);
        if let Some(g) = groups {
            if g.len() > limits.max_groups {
                return Err(GroupgateError::one(
                    "/groups",
                    "limit.groups",
                    format!(
                        "the state has {} groups, over the limit max_groups ({})",
                        g.len(),
                        limits.max_groups
                    ),
                ));
            }
        }
        let mut parsed = Vec::new();
        for (i, g) in groups.into_iter().flatten().enumerate() {
            if let Some(g) = parse_group(g, &ptr("/groups", i), &mut r) {
                parsed.push(g);
            }
        }
        let mut parsed_keys = Vec::new();
        for (i, k) in keys.into_iter().flatten().enumerate() {
            if let Some(k) = parse_key(k, &ptr("/keys", i), &mut r) {
                parsed_keys.push(k);
            }
        }
        if r.has_errors() {
            return Err(fail(r));
        }
        Workspace::assemble(parsed, parsed_keys, limits)
    }

    /// Builds a workspace from typed groups and keys (same checks as
    /// [`Workspace::from_json`] after parsing).
    pub fn build(
        groups: Vec<BasetenGroup>,
        keys: Vec<ApiKey>,
        limits: Limits,
    ) -> Result<Workspace, GroupgateError> {
        let mut issues = Vec::new();
        for (i, g) in groups.iter().enumerate() {
            // Typed input skips the JSON reader: re-check the shapes it checks
            // (through the JSON reader when something is off, for its issues).
            if models_ok(&g.models, limits.max_string_bytes) {
                continue;
            }
            let mut r = Report::new();
            let v = serde_json::to_value(&g.models).unwrap_or(Value::Null);
            parse_models(&v, &format!("/groups/{i}/models"), &mut r);
            issues.extend(r.errors().cloned());
        }
        if !issues.is_empty() {
            return Err(GroupgateError::new(issues));
        }
        Workspace::assemble(groups, keys, limits)
    }

    /// The structural checks and the precomputation, on parsed input.
    fn assemble(
        groups: Vec<BasetenGroup>,
        keys: Vec<ApiKey>,
        limits: Limits,
    ) -> Result<Workspace, GroupgateError> {
        let mut issues = Vec::new();
        let n = groups.len();
        if n > limits.max_groups {
            return Err(GroupgateError::one(
                "/groups",
                "limit.groups",
                format!(
                    "the state has {n} groups, over the limit max_groups ({})",
                    limits.max_groups
                ),
            ));
        }
        let gp = |i: usize, rest: &str| format!("/groups/{i}{rest}");

        let mut index: HashMap<String, u32> = HashMap::with_capacity(n);
        for (i, g) in groups.iter().enumerate() {
            if let Some(first) = index.get(&g.id) {
                issues.push(Issue::new(
                    gp(i, "/id"),
                    "state.duplicate_id",
                    format!("group id {} is already used at /groups/{first}", g.id),
                ));
            } else {
                index.insert(g.id.clone(), i as u32);
            }
        }

        let mut parent = vec![None; n];
        for (i, g) in groups.iter().enumerate() {
            if g.deleted || index.get(&g.id) != Some(&(i as u32)) {
                continue;
            }
            let Some(pid) = &g.hierarchy.parent_group_id else {
                continue;
            };
            let at = gp(i, "/hierarchy/parent_group_id");
            match index.get(pid) {
                None => issues.push(Issue::new(
                    at,
                    "state.dangling_parent",
                    format!("group {}: parent group {pid} does not exist", g.id),
                )),
                Some(&p) if groups[p as usize].deleted => issues.push(Issue::new(
                    at,
                    "state.deleted_parent",
                    format!(
                        "group {}: parent group {pid} is deleted (deletes are recursive)",
                        g.id
                    ),
                )),
                Some(&p) => {
                    let pg = &groups[p as usize];
                    parent[i] = Some(p);
                    if pg.hierarchy.limit_enforcement != g.hierarchy.limit_enforcement {
                        issues.push(Issue::new(
                            gp(i, "/hierarchy/limit_enforcement"),
                            "state.mixed_enforcement",
                            format!(
                                "group {} is {} but its parent {pid} is {}; a child's mode must equal its parent's",
                                g.id,
                                g.hierarchy.limit_enforcement.name(),
                                pg.hierarchy.limit_enforcement.name()
                            ),
                        ));
                    }
                    if let (Some(a), Some(b)) = (&g.workspace_id, &pg.workspace_id) {
                        if a != b {
                            issues.push(Issue::new(
                                gp(i, "/workspace_id"),
                                "state.cross_workspace",
                                format!(
                                    "group {} is in workspace {a} but its parent {pid} is in workspace {b}",
                                    g.id
                                ),
                            ));
                        }
                    }
                }
            }
        }

        // Cycles and levels (0 = unknown: in or under a cycle).
        let mut level = vec![0usize; n];
        let mut mark = vec![0u8; n]; // 0 new, 1 on the current path, 2 done
        for start in 0..n {
            if mark[start] != 0 || groups[start].deleted {
                continue;
            }
            let mut path = Vec::new();
            let mut cur = start;
            loop {
                match mark[cur] {
                    2 => break,
                    1 => {
                        let pos = path.iter().position(|&x| x == cur).unwrap_or(0);
                        let mut names: Vec<&str> = path[pos..]
                            .iter()
                            .map(|&x: &usize| groups[x].id.as_str())
                            .collect();
                        names.push(groups[cur].id.as_str());
                        // Reported at the member whose parent link closes the cycle.
                        let at = path.last().copied().unwrap_or(cur);
                        issues.push(Issue::new(
                            gp(at, "/hierarchy/parent_group_id"),
                            "state.cycle",
                            format!(
                                "parent links form a cycle: {} (each group's parent follows it)",
                                names.join(" → ")
                            ),
                        ));
                        break;
                    }
                    _ => {
                        mark[cur] = 1;
                        path.push(cur);
                        match parent[cur] {
                            Some(p) => cur = p as usize,
                            None => break,
                        }
                    }
                }
            }
            for &x in path.iter().rev() {
                level[x] = match parent[x] {
                    None => 1,
                    Some(p) if mark[p as usize] == 2 && level[p as usize] > 0 => {
                        level[p as usize] + 1
                    }
                    Some(_) => 0,
                };
                mark[x] = 2;
            }
        }
        for (i, g) in groups.iter().enumerate() {
            if level[i] == limits.max_depth.saturating_add(1) {
                issues.push(Issue::new(
                    gp(i, "/hierarchy/parent_group_id"),
                    "state.depth",
                    format!(
                        "group {} is at level {}, over the limit max_depth ({}); a root is level 1",
                        g.id, level[i], limits.max_depth
                    ),
                ));
            }
        }

        let mut ext: HashMap<(Option<&str>, &str), usize> = HashMap::with_capacity(n);
        for (i, g) in groups.iter().enumerate() {
            // Deleted groups free their external id; duplicate ids are
            // reported already.
            if g.deleted || index.get(&g.id) != Some(&(i as u32)) {
                continue;
            }
            let k = (
                g.workspace_id.as_deref(),
                g.metadata.external_entity_id.as_str(),
            );
            if let Some(first) = ext.get(&k) {
                issues.push(Issue::new(
                    gp(i, "/metadata/external_entity_id"),
                    "state.duplicate_external_entity_id",
                    format!(
                        "external_entity_id {} is already used by group {} (/groups/{first})",
                        k.1, groups[*first].id
                    ),
                ));
            } else {
                ext.insert(k, i);
            }
        }

        let mut keys_of = vec![Vec::new(); n];
        let mut prefixes: HashMap<&str, usize> = HashMap::with_capacity(keys.len());
        for (i, k) in keys.iter().enumerate() {
            if let Some(first) = prefixes.get(k.prefix.as_str()) {
                issues.push(Issue::new(
                    format!("/keys/{i}/prefix"),
                    "state.duplicate_prefix",
                    format!("key prefix {} is already used at /keys/{first}", k.prefix),
                ));
            } else {
                prefixes.insert(&k.prefix, i);
            }
            match index.get(&k.group_id) {
                None => issues.push(Issue::new(
                    format!("/keys/{i}/group_id"),
                    "state.dangling_key",
                    format!("key {}: group {} does not exist", k.prefix, k.group_id),
                )),
                // A key of a deleted group is revoked: kept, but grants nothing.
                Some(&g) if groups[g as usize].deleted => {}
                Some(&g) => keys_of[g as usize].push(i as u32),
            }
        }
        if !issues.is_empty() {
            return Err(GroupgateError::new(issues));
        }

        let mut ws = Workspace {
            limits,
            children: vec![Vec::new(); n],
            parent,
            level,
            keys_of,
            index,
            own: Vec::with_capacity(n),
            eff: vec![Eff::default(); n],
            below: vec![Vec::new(); n],
            slugs: Vec::new(),
            slug_ids: HashMap::new(),
            groups,
            keys,
        };
        for i in 0..n {
            if let Some(p) = ws.parent[i] {
                ws.children[p as usize].push(i as u32);
            }
        }
        for i in 0..n {
            let (slugs, ids) = (&mut ws.slugs, &mut ws.slug_ids);
            let own = if ws.groups[i].deleted {
                Own::default()
            } else {
                Own::build(&ws.groups[i].models, |s| intern(slugs, ids, s))
            };
            ws.own.push(own);
        }
        // Top-down in level order.
        let mut order: Vec<u32> = (0..n as u32)
            .filter(|&i| !ws.groups[i as usize].deleted)
            .collect();
        order.sort_by_key(|&i| ws.level[i as usize]);
        for &i in &order {
            let i = i as usize;
            let e = derive(
                ws.parent[i].map(|p| &ws.eff[p as usize]),
                &ws.own[i],
                i as u32,
            );
            ws.eff[i] = e;
        }
        // Bottom-up: descendant maxima for CASCADING trees.
        for &i in order.iter().rev() {
            let i = i as usize;
            if ws.groups[i].hierarchy.limit_enforcement != Enforcement::Cascading
                || ws.children[i].is_empty()
            {
                continue;
            }
            let mut all: Vec<(Key, Bound)> = Vec::new();
            for &c in &ws.children[i] {
                let c = c as usize;
                all.extend(ws.own[c].limits.iter().map(|&(k, t)| {
                    (
                        k,
                        Bound {
                            threshold: t,
                            source: c as u32,
                        },
                    )
                }));
                all.extend_from_slice(&ws.below[c]);
            }
            // Largest first within a key, then keep the first of each key.
            all.sort_unstable_by(|a, b| a.0.cmp(&b.0).then(b.1.threshold.cmp(&a.1.threshold)));
            all.dedup_by_key(|(k, _)| *k);
            ws.below[i] = all;
        }
        // A CASCADING state never has a descendant above an ancestor.
        let mut issues = Vec::new();
        for &i in &order {
            let i = i as usize;
            let g = &ws.groups[i];
            if g.hierarchy.limit_enforcement != Enforcement::Cascading {
                continue;
            }
            let Some(p) = ws.parent[i] else { continue };
            for (mi, m) in g.models.iter().enumerate() {
                let Some(&s) = ws.slug_ids.get(&m.slug) else {
                    continue;
                };
                for (kind, li, l) in m.limits() {
                    let key = (s, LKey::new(kind, l.limit_type, l.unit));
                    if let Some(b) = ws.eff[p as usize].bound(key) {
                        if l.threshold > b.threshold {
                            issues.push(Issue::new(
                                format!("/groups/{i}/models/{mi}/{}/{li}/threshold", kind.field()),
                                "state.cascade",
                                format!(
                                    "CASCADING group {}: {} {} threshold {} is above ancestor group {}'s {}",
                                    g.id,
                                    m.slug,
                                    key.1.describe(),
                                    l.threshold,
                                    ws.groups[b.source as usize].id,
                                    b.threshold
                                ),
                            ));
                        }
                    }
                }
            }
        }
        if !issues.is_empty() {
            return Err(GroupgateError::new(issues));
        }
        Ok(ws)
    }

    /// The limits this workspace was built with.
    pub fn limits(&self) -> Limits {
        self.limits
    }

    /// Every group of the state, in state order (deleted ones included).
    pub fn groups(&self) -> &[BasetenGroup] {
        &self.groups
    }

    pub fn keys(&self) -> &[ApiKey] {
        &self.keys
    }

    /// A live (not deleted) group by id.
    pub fn group(&self, id: &str) -> Option<&BasetenGroup> {
        self.index
            .get(id)
            .map(|&i| &self.groups[i as usize])
            .filter(|g| !g.deleted)
    }

    /// The effective models of a live group (SPEC §1.1), in the order of the
    /// group's own `models` list.
    pub fn effective_models(&self, group_id: &str) -> Result<Vec<EffectiveModel>, GroupgateError> {
        match self.index.get(group_id) {
            Some(&i) if !self.groups[i as usize].deleted => {
                let i = i as usize;
                Ok(self.render(&self.eff[i], &self.groups[i].models, &|s| self.slug_id(s)))
            }
            Some(_) => Err(GroupgateError::one(
                "/group_id",
                "not_found",
                format!("group {group_id} has been deleted"),
            )),
            None => Err(GroupgateError::one(
                "/group_id",
                "not_found",
                format!("no group {group_id} in this workspace"),
            )),
        }
    }

    /// Previews a request against this state: the same verdict as
    /// `validate("baseten", request, {state})`.
    pub fn preview(&self, request: &Value) -> Verdict {
        crate::dialects::baseten::preview(self, request, None)
    }

    /// Like [`Workspace::preview`], with a caller (`{scope, workspace_id?}`)
    /// so that the 403 checks run too.
    pub fn preview_as(&self, request: &Value, caller: &Value) -> Verdict {
        crate::dialects::baseten::preview(self, request, Some(caller))
    }

    // --- crate-internal queries used by the validator -----------------------

    pub(crate) fn lookup(&self, id: &str) -> Option<u32> {
        self.index.get(id).copied()
    }
    pub(crate) fn get(&self, i: u32) -> &BasetenGroup {
        &self.groups[i as usize]
    }
    pub(crate) fn parent_of(&self, i: u32) -> Option<u32> {
        self.parent[i as usize]
    }
    pub(crate) fn level_of(&self, i: u32) -> usize {
        self.level[i as usize]
    }
    pub(crate) fn eff_of(&self, i: u32) -> &Eff {
        &self.eff[i as usize]
    }
    pub(crate) fn slug_id(&self, s: &str) -> Option<u32> {
        self.slug_ids.get(s).copied()
    }
    /// The largest descendant threshold for a key (CASCADING groups only).
    pub(crate) fn below(&self, i: u32, key: Key) -> Option<Bound> {
        let b = &self.below[i as usize];
        b.binary_search_by_key(&key, |(k, _)| *k)
            .ok()
            .map(|j| b[j].1)
    }
    pub(crate) fn name_of(&self, i: u32) -> Option<&str> {
        (i != NEW).then(|| self.groups[i as usize].id.as_str())
    }
    /// Live groups whose external_entity_id is `ext`, in workspace `ws`
    /// (`None` on either side matches any workspace).
    pub(crate) fn external_id_taken(&self, ext: &str, ws: Option<&str>) -> Option<&BasetenGroup> {
        self.groups.iter().find(|g| {
            !g.deleted
                && g.metadata.external_entity_id == ext
                && match (ws, g.workspace_id.as_deref()) {
                    (Some(a), Some(b)) => a == b,
                    _ => true,
                }
        })
    }

    /// Renders an `Eff` as effective models, ordered like `models`;
    /// `id_of` maps a slug to its interned id.
    pub(crate) fn render(
        &self,
        eff: &Eff,
        models: &[ModelConfig],
        id_of: &dyn Fn(&str) -> Option<u32>,
    ) -> Vec<EffectiveModel> {
        let mut out = Vec::with_capacity(eff.slugs.len());
        let mut done: HashSet<u32> = HashSet::with_capacity(models.len());
        for m in models {
            let Some(s) = id_of(&m.slug) else { continue };
            if eff.has_slug(s) && done.insert(s) {
                out.push(self.render_one(eff, s, &m.slug));
            }
        }
        out
    }

    fn render_one(&self, eff: &Eff, s: u32, slug: &str) -> EffectiveModel {
        let mut em = EffectiveModel {
            slug: slug.to_string(),
            rate_limits: Vec::new(),
            usage_limits: Vec::new(),
        };
        for &((_, k), b) in eff.bounds_of(s) {
            let l = EffectiveLimit {
                limit_type: k.limit_type(),
                unit: k.unit(),
                threshold: b.threshold,
                source_group: self.name_of(b.source).map(str::to_string),
            };
            match k.kind() {
                LimitKind::Rate => em.rate_limits.push(l),
                LimitKind::Usage => em.usage_limits.push(l),
            }
        }
        em
    }

    // --- preview computations -------------------------------------------------

    /// `next` and `changes` of an update of group `i` to `models` (and
    /// optionally a new name).
    pub(crate) fn update_effects(
        &self,
        i: u32,
        models: Option<&[ModelConfig]>,
        name: Option<&str>,
    ) -> (Value, Value) {
        let g = &self.groups[i as usize];
        let mut local = Local::new(self);
        let models = models.unwrap_or(&g.models);
        let own = Own::build(models, |s| local.id(s));
        let parent = self.parent[i as usize].map(|p| &self.eff[p as usize]);
        let new_eff = derive(parent, &own, i);

        let mut next_group = g.clone();
        next_group.models = models.to_vec();
        if let Some(n) = name {
            next_group.metadata.name = Some(n.to_string());
        }
        let em = self.render(&new_eff, models, &|s| local.lookup(s));
        let next = with_effective(&next_group, em, None);

        let mut groups_out = Vec::new();
        let mut keys_out = Vec::new();
        let mut stack: Vec<(u32, Eff)> = vec![(i, new_eff)];
        while let Some((gi, new)) = stack.pop() {
            let old = &self.eff[gi as usize];
            if *old == new {
                continue; // this subtree is unchanged
            }
            if let Some(entry) = self.diff(gi, old, &new, &local) {
                let (gained, lost) = (&entry.1, &entry.2);
                if !gained.is_empty() || !lost.is_empty() {
                    for &k in &self.keys_of[gi as usize] {
                        let key = &self.keys[k as usize];
                        keys_out.push(obj([
                            ("prefix", Value::String(key.prefix.clone())),
                            ("group_id", Value::String(key.group_id.clone())),
                            ("gained", strs(gained)),
                            ("lost", strs(lost)),
                        ]));
                    }
                }
                groups_out.push(entry.0);
            }
            for &c in self.children[gi as usize].iter().rev() {
                let ce = derive(Some(&new), &self.own[c as usize], c);
                stack.push((c, ce));
            }
        }
        let changes = obj([
            ("groups", Value::Array(groups_out)),
            ("keys", Value::Array(keys_out)),
        ]);
        (next, changes)
    }

    /// `next` and `changes` of creating a group under `parent`.
    pub(crate) fn create_effects(
        &self,
        group: &BasetenGroup,
        parent: Option<u32>,
    ) -> (Value, Value) {
        let mut local = Local::new(self);
        let own = Own::build(&group.models, |s| local.id(s));
        let new_eff = derive(parent.map(|p| &self.eff[p as usize]), &own, NEW);
        let em = self.render(&new_eff, &group.models, &|s| local.lookup(s));
        let next = with_effective(group, em, Some(Value::Null));
        let entry = self
            .diff(NEW, &Eff::default(), &new_eff, &local)
            .map(|e| e.0);
        let changes = obj([
            ("groups", Value::Array(entry.into_iter().collect())),
            ("keys", Value::Array(Vec::new())),
        ]);
        (next, changes)
    }

    /// `changes` of deleting group `i`: its subtree (preorder) and their keys.
    pub(crate) fn delete_effects(&self, i: u32) -> Value {
        let mut removed = Vec::new();
        let mut revoked = Vec::new();
        let mut stack = vec![i];
        while let Some(g) = stack.pop() {
            removed.push(self.groups[g as usize].id.as_str());
            for &k in &self.keys_of[g as usize] {
                revoked.push(self.keys[k as usize].prefix.as_str());
            }
            stack.extend(self.children[g as usize].iter().rev());
        }
        json!({ "removed_groups": removed, "revoked_keys": revoked })
    }

    /// One `changes.groups` entry, with the gained and lost slugs; `None`
    /// when nothing visible changed.
    fn diff(
        &self,
        gi: u32,
        old: &Eff,
        new: &Eff,
        local: &Local,
    ) -> Option<(Value, Vec<String>, Vec<String>)> {
        let mut gained: Vec<String> = new
            .slugs
            .iter()
            .filter(|s| !old.has_slug(**s))
            .map(|&s| local.name(s).to_string())
            .collect();
        let mut lost: Vec<String> = old
            .slugs
            .iter()
            .filter(|s| !new.has_slug(**s))
            .map(|&s| local.name(s).to_string())
            .collect();
        gained.sort_unstable();
        lost.sort_unstable();
        let mut limits = Vec::new();
        let mut slugs: Vec<u32> = new.slugs.clone();
        slugs.sort_by(|a, b| local.name(*a).cmp(local.name(*b)));
        for s in slugs {
            let before = if old.has_slug(s) {
                old.bounds_of(s)
            } else {
                &[]
            };
            let after = new.bounds_of(s);
            let mut keys: Vec<LKey> = before.iter().chain(after).map(|((_, k), _)| *k).collect();
            keys.sort_unstable();
            keys.dedup();
            for k in keys {
                let find = |list: &[(Key, Bound)]| {
                    list.iter().find(|((_, lk), _)| *lk == k).map(|(_, b)| *b)
                };
                let (o, n) = (find(before), find(after));
                if o != n {
                    let show = |b: Option<Bound>| match b {
                        None => Value::Null,
                        Some(b) => obj([
                            ("threshold", Value::from(b.threshold)),
                            (
                                "source_group",
                                self.name_of(b.source).map_or(Value::Null, Value::from),
                            ),
                        ]),
                    };
                    limits.push(obj([
                        ("slug", Value::from(local.name(s))),
                        ("kind", Value::from(k.kind().name())),
                        ("type", Value::from(k.limit_type().name())),
                        ("unit", Value::from(k.unit().name())),
                        ("old", show(o)),
                        ("new", show(n)),
                    ]));
                }
            }
        }
        if gained.is_empty() && lost.is_empty() && limits.is_empty() {
            return None;
        }
        let entry = obj([
            ("id", self.name_of(gi).map_or(Value::Null, Value::from)),
            ("gained", strs(&gained)),
            ("lost", strs(&lost)),
            ("limits", Value::Array(limits)),
        ]);
        Some((entry, gained, lost))
    }
}

/// The state read with serde, when it passes every check `parse_group` and
/// `parse_key` make (so both readers agree on valid input).
fn fast_read(state: &Value, limits: Limits) -> Option<(Vec<BasetenGroup>, Vec<ApiKey>)> {
    let Value::Object(o) = state else { return None };
    let groups = match o.get("groups") {
        Some(g @ Value::Array(a)) if a.len() <= limits.max_groups => {
            Vec::<BasetenGroup>::deserialize(g).ok()?
        }
        _ => return None,
    };
    let keys = match o.get("keys") {
        None | Some(Value::Null) => Vec::new(),
        Some(k) => Vec::<ApiKey>::deserialize(k).ok()?,
    };
    let max = limits.max_string_bytes;
    let short = |s: &str| s.len() <= max;
    let groups_ok = groups.iter().all(|g| {
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
    (groups_ok && keys_ok).then_some((groups, keys))
}

/// The checks of [`parse_models`] on typed models.
fn models_ok(models: &[ModelConfig], max_bytes: usize) -> bool {
    const SAFE: u64 = (1 << 53) - 1;
    let mut slugs: HashSet<&str> = HashSet::with_capacity(models.len());
    models.iter().all(|m| {
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
            && slugs.insert(&m.slug)
            && rate_ok
            && usage_ok
            && m.limits()
                .all(|(_, _, l)| (1..=SAFE).contains(&l.threshold))
    })
}

/// A JSON object from owned members (no re-serialization, unlike `json!`
/// with `Value` members).
fn obj<const N: usize>(members: [(&str, Value); N]) -> Value {
    Value::Object(
        members
            .into_iter()
            .map(|(k, v)| (k.to_string(), v))
            .collect(),
    )
}

fn strs(items: &[String]) -> Value {
    Value::Array(items.iter().cloned().map(Value::String).collect())
}

fn intern(slugs: &mut Vec<String>, ids: &mut HashMap<String, u32>, s: &str) -> u32 {
    if let Some(&i) = ids.get(s) {
        return i;
    }
    let i = slugs.len() as u32;
    slugs.push(s.to_string());
    ids.insert(s.to_string(), i);
    i
}

/// Slug ids for a preview: the workspace's, plus ids for slugs it has never
/// seen (numbered after the workspace's).
pub(crate) struct Local<'w> {
    ws: &'w Workspace,
    extra: Vec<String>,
}

impl<'w> Local<'w> {
    fn new(ws: &'w Workspace) -> Self {
        Local {
            ws,
            extra: Vec::new(),
        }
    }
    fn id(&mut self, s: &str) -> u32 {
        if let Some(i) = self.ws.slug_id(s) {
            return i;
        }
        let base = self.ws.slugs.len();
        match self.extra.iter().position(|x| x == s) {
            Some(j) => (base + j) as u32,
            None => {
                self.extra.push(s.to_string());
                (base + self.extra.len() - 1) as u32
            }
        }
    }
    fn lookup(&self, s: &str) -> Option<u32> {
        let base = self.ws.slugs.len();
        self.ws.slug_id(s).or_else(|| {
            self.extra
                .iter()
                .position(|x| x == s)
                .map(|j| (base + j) as u32)
        })
    }
    fn name(&self, i: u32) -> &str {
        let base = self.ws.slugs.len();
        let i = i as usize;
        if i < base {
            &self.ws.slugs[i]
        } else {
            self.extra.get(i - base).map_or("", String::as_str)
        }
    }
}

/// A group as JSON with its `effective_models`; `id` overrides the id (a
/// create has none yet).
fn with_effective(g: &BasetenGroup, em: Vec<EffectiveModel>, id: Option<Value>) -> Value {
    let mut v = serde_json::to_value(g).unwrap_or(Value::Null);
    if let Value::Object(m) = &mut v {
        if let Some(id) = id {
            m.insert("id".into(), id);
        }
        m.insert(
            "effective_models".into(),
            serde_json::to_value(em).unwrap_or(Value::Array(Vec::new())),
        );
    }
    v
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn limit_keys_round_trip() {
        for kind in [LimitKind::Rate, LimitKind::Usage] {
            for t in [LimitType::Token, LimitType::Request] {
                for u in [LimitUnit::Second, LimitUnit::Minute, LimitUnit::Day] {
                    let k = LKey::new(kind, t, u);
                    assert_eq!((k.kind(), k.limit_type(), k.unit()), (kind, t, u));
                }
            }
        }
    }

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
    fn smallest_threshold_wins_and_ties_go_to_the_nearest_group() {
        let k = LKey::new(LimitKind::Rate, LimitType::Token, LimitUnit::Minute);
        let parent = Eff {
            slugs: vec![0, 1],
            limits: vec![
                (
                    (0, k),
                    Bound {
                        threshold: 10,
                        source: 0,
                    },
                ),
                (
                    (1, k),
                    Bound {
                        threshold: 10,
                        source: 0,
                    },
                ),
            ],
        };
        let own = Own {
            slugs: vec![0, 2],
            limits: vec![((0, k), 10), ((2, k), 3)],
        };
        let e = derive(Some(&parent), &own, 7);
        assert_eq!(
            e.slugs,
            [0],
            "slug 2 is not the parent's, slug 1 not the child's"
        );
        assert_eq!(
            e.bound((0, k)),
            Some(Bound {
                threshold: 10,
                source: 7
            })
        );
        assert_eq!(
            e.bound((1, k)),
            Some(Bound {
                threshold: 10,
                source: 0
            })
        );
        assert_eq!(
            e.bound((2, k)),
            Some(Bound {
                threshold: 3,
                source: 7
            })
        );
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
        ] {
            let mut r = Report::new();
            let slow = parse_group(&st["groups"][0], "/groups/0", &mut r);
            assert!(slow.is_some() && !r.has_errors(), "{st}");
            assert!(Workspace::from_json(&st).is_ok(), "{st}");
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
                json!([{"slug": "a/b", "rate_limits": [{"type": "TOKEN", "unit": "SECOND", "threshold": 0}]}]),
                "minimum",
            ),
            (
                json!([{"slug": "a/b", "rate_limits": [{"type": "TOKEN", "unit": "SECOND", "threshold": 1.5}]}]),
                "integer",
            ),
        ] {
            let st = g(json!({ "models": models }));
            assert!(fast_read(&st, Limits::DEFAULT).is_none(), "{st}");
            let e = Workspace::from_json(&st).unwrap_err();
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
