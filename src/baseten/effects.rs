//! What a change does: `next` and the `changes` diff of an update, create or
//! delete, computed over the subtree that changes only.

use std::collections::HashMap;

use serde_json::Value;

use super::effective::{inherit, Bound, Effective, LimitKey, OwnLimits, SlugKey, NEW_GROUP};
use super::model::{BasetenGroup, EffectiveModel, ModelConfig};
use super::tree::Workspace;

/// Where `changes` entries go: every one, or (the summary form, `cap`) the
/// first `cap` of each list plus counts, so a UI never receives rows it
/// will not render. Entries past the cap are counted, not built.
pub(crate) struct Changes {
    cap: Option<usize>,
    lists: Vec<(&'static str, Vec<Value>, usize)>,
    counts: Vec<(&'static str, usize)>,
}

impl Changes {
    /// `lists` names the entry lists, in output order.
    pub(crate) fn new(cap: Option<usize>, lists: &[&'static str]) -> Changes {
        Changes {
            cap,
            lists: lists.iter().map(|&n| (n, Vec::new(), 0)).collect(),
            counts: Vec::new(),
        }
    }

    /// Adds an entry to list `l`; `entry` runs only if it will be shown.
    fn push(&mut self, l: usize, entry: impl FnOnce() -> Value) {
        let (_, items, count) = &mut self.lists[l];
        if self.cap.is_none_or(|c| items.len() < c) {
            items.push(entry());
        }
        *count += 1;
    }

    /// Adds `n` to a summary count that is not a list's length.
    fn count(&mut self, name: &'static str, n: usize) {
        match self.counts.iter_mut().find(|(k, _)| *k == name) {
            Some((_, c)) => *c += n,
            None => self.counts.push((name, n)),
        }
    }

    /// The `changes` value: `{list…}`, plus `summary` and `truncated` in
    /// the summary form.
    pub(crate) fn finish(self) -> Value {
        let mut out = serde_json::Map::new();
        let mut summary = serde_json::Map::new();
        let mut truncated = false;
        for (name, items, count) in self.lists {
            truncated |= items.len() < count;
            summary.insert(name.to_string(), Value::from(count));
            out.insert(name.to_string(), Value::Array(items));
        }
        if self.cap.is_some() {
            for (name, n) in self.counts {
                summary.insert(name.to_string(), Value::from(n));
            }
            out.insert("summary".into(), Value::Object(summary));
            out.insert("truncated".into(), Value::Bool(truncated));
        }
        Value::Object(out)
    }
}

/// One group's visible change: gained and lost slugs (interned, in name
/// order), moved limits. Rendered as JSON only when shown.
struct GroupDiff {
    gained: Vec<u32>,
    lost: Vec<u32>,
    limits: Vec<LimitMove>,
}

/// A binding limit that moved: (slug, key) from `old` to `new`.
struct LimitMove {
    slug: u32,
    key: LimitKey,
    old: Option<Bound>,
    new: Option<Bound>,
}

impl Workspace {
    /// `next` and `changes` of an update of group `i` to `models` (and
    /// optionally a new name); `cap` asks for the summary form.
    pub(crate) fn update_effects(
        &self,
        i: u32,
        models: Option<&[ModelConfig]>,
        name: Option<&str>,
        cap: Option<usize>,
    ) -> (Value, Value) {
        let g = &self.groups[i as usize];
        let mut local = PreviewSlugs::new(self);
        let models = models.unwrap_or(&g.models);
        let own = OwnLimits::build(models, |s| local.id(s));
        let parent = self.parent[i as usize].map(|p| &self.eff[p as usize]);
        let new_eff = inherit(parent, &own, i);

        let mut next_group = g.clone();
        next_group.models = models.to_vec();
        if let Some(n) = name {
            next_group.metadata.name = Some(n.to_string());
        }
        let em = self.render(&new_eff, models, &|s| local.lookup(s));
        let next = with_effective(&next_group, em, None);

        let mut out = Changes::new(cap, &["groups", "keys"]);
        let mut stack: Vec<(u32, Effective)> = vec![(i, new_eff)];
        while let Some((gi, new)) = stack.pop() {
            let old = &self.eff[gi as usize];
            if *old == new {
                continue; // this subtree is unchanged
            }
            if let Some(d) = self.diff(old, &new, &local) {
                if !d.gained.is_empty() || !d.lost.is_empty() {
                    for &k in &self.keys_of[gi as usize] {
                        let key = &self.keys[k as usize];
                        out.push(1, || {
                            obj([
                                ("prefix", Value::String(key.prefix.clone())),
                                ("group_id", Value::String(key.group_id.clone())),
                                ("gained", names(&d.gained, &local)),
                                ("lost", names(&d.lost, &local)),
                            ])
                        });
                    }
                }
                self.push_group(&mut out, gi, d, &local);
            }
            for &c in self.children[gi as usize].iter().rev() {
                let ce = inherit(Some(&new), &self.own[c as usize], c);
                stack.push((c, ce));
            }
        }
        (next, out.finish())
    }

    /// Counts one group's diff and adds its `changes.groups` entry.
    fn push_group(&self, out: &mut Changes, gi: u32, d: GroupDiff, local: &PreviewSlugs) {
        out.count("gained", usize::from(!d.gained.is_empty()));
        out.count("lost", usize::from(!d.lost.is_empty()));
        out.count("limits", d.limits.len());
        out.push(0, || {
            obj([
                ("id", self.name_of(gi).map_or(Value::Null, Value::from)),
                ("gained", names(&d.gained, local)),
                ("lost", names(&d.lost, local)),
                ("limits", self.moves(&d.limits, local)),
            ])
        });
    }

    /// `next` and `changes` of creating a group under `parent`. The id and
    /// `created_at` are the server's to assign: `null` here.
    pub(crate) fn create_effects(
        &self,
        group: &BasetenGroup,
        parent: Option<u32>,
        cap: Option<usize>,
    ) -> (Value, Value) {
        let mut local = PreviewSlugs::new(self);
        let own = OwnLimits::build(&group.models, |s| local.id(s));
        let new_eff = inherit(parent.map(|p| &self.eff[p as usize]), &own, NEW_GROUP);
        let em = self.render(&new_eff, &group.models, &|s| local.lookup(s));
        let mut next = with_effective(group, em, Some(Value::Null));
        if let Value::Object(m) = &mut next {
            m.insert("created_at".into(), Value::Null);
        }
        let mut out = Changes::new(cap, &["groups", "keys"]);
        if let Some(d) = self.diff(&Effective::default(), &new_eff, &local) {
            self.push_group(&mut out, NEW_GROUP, d, &local);
        }
        (next, out.finish())
    }

    /// `changes` of deleting group `i`: its subtree (preorder) and their keys.
    pub(crate) fn delete_effects(&self, i: u32, cap: Option<usize>) -> Value {
        let mut out = Changes::new(cap, &["removed_groups", "revoked_keys"]);
        let mut stack = vec![i];
        while let Some(g) = stack.pop() {
            out.push(0, || Value::from(self.groups[g as usize].id.as_str()));
            for &k in &self.keys_of[g as usize] {
                out.push(1, || Value::from(self.keys[k as usize].prefix.as_str()));
            }
            stack.extend(self.children[g as usize].iter().rev());
        }
        out.finish()
    }

    /// One `changes.groups` entry, with the gained and lost slugs; `None`
    /// when nothing visible changed.
    fn diff(&self, old: &Effective, new: &Effective, local: &PreviewSlugs) -> Option<GroupDiff> {
        let by_name = |a: &u32, b: &u32| local.name(*a).cmp(local.name(*b));
        let mut gained: Vec<u32> = new
            .slugs
            .iter()
            .copied()
            .filter(|s| !old.has_slug(*s))
            .collect();
        let mut lost: Vec<u32> = old
            .slugs
            .iter()
            .copied()
            .filter(|s| !new.has_slug(*s))
            .collect();
        crate::sort::sort_by(&mut gained, by_name);
        crate::sort::sort_by(&mut lost, by_name);
        let mut limits = Vec::new();
        let mut slugs: Vec<u32> = new.slugs.clone();
        crate::sort::sort_by(&mut slugs, by_name);
        for s in slugs {
            let before = if old.has_slug(s) {
                old.bounds_of(s)
            } else {
                &[]
            };
            let after = new.bounds_of(s);
            let mut keys: Vec<LimitKey> =
                before.iter().chain(after).map(|((_, k), _)| *k).collect();
            crate::sort::sort(&mut keys);
            keys.dedup();
            for key in keys {
                let find = |list: &[(SlugKey, Bound)]| {
                    list.iter().find(|((_, lk), _)| *lk == key).map(|(_, b)| *b)
                };
                let (old, new) = (find(before), find(after));
                if old != new {
                    limits.push(LimitMove {
                        slug: s,
                        key,
                        old,
                        new,
                    });
                }
            }
        }
        if gained.is_empty() && lost.is_empty() && limits.is_empty() {
            return None;
        }
        Some(GroupDiff {
            gained,
            lost,
            limits,
        })
    }

    /// `changes.groups[].limits`.
    fn moves(&self, moves: &[LimitMove], local: &PreviewSlugs) -> Value {
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
        let one = |m: &LimitMove| {
            obj([
                ("slug", Value::from(local.name(m.slug))),
                ("kind", Value::from(m.key.kind().name())),
                ("type", Value::from(m.key.limit_type().name())),
                ("unit", Value::from(m.key.unit().name())),
                ("old", show(m.old)),
                ("new", show(m.new)),
            ])
        };
        Value::Array(moves.iter().map(one).collect())
    }
}
/// A JSON object from owned members (no re-serialization, unlike `json!`
/// with `Value` members).
fn obj<const N: usize>(members: [(&str, Value); N]) -> Value {
    // Inserted one by one: collecting would sort a temporary vector first.
    let mut m = serde_json::Map::new();
    for (k, v) in members {
        m.insert(k.to_string(), v);
    }
    Value::Object(m)
}

/// Slug names as a JSON array.
fn names(ids: &[u32], local: &PreviewSlugs) -> Value {
    Value::Array(ids.iter().map(|&s| Value::from(local.name(s))).collect())
}
/// Slug ids for a preview: the workspace's, plus ids for slugs it has never
/// seen (numbered after the workspace's).
pub(crate) struct PreviewSlugs<'w> {
    ws: &'w Workspace,
    extra: Vec<String>,
    /// `extra` by name (hashed: a request may bring many new slugs).
    extra_ids: HashMap<String, u32>,
}

impl<'w> PreviewSlugs<'w> {
    fn new(ws: &'w Workspace) -> Self {
        PreviewSlugs {
            ws,
            extra: Vec::new(),
            extra_ids: HashMap::new(),
        }
    }
    fn id(&mut self, s: &str) -> u32 {
        if let Some(i) = self.lookup(s) {
            return i;
        }
        let i = (self.ws.slugs.len() + self.extra.len()) as u32;
        self.extra.push(s.to_string());
        self.extra_ids.insert(s.to_string(), i);
        i
    }
    fn lookup(&self, s: &str) -> Option<u32> {
        self.ws
            .slug_id(s)
            .or_else(|| self.extra_ids.get(s).copied())
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
