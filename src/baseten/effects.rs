//! What a change does: `next` and the `changes` diff of an update, create or
//! delete, computed over the subtree that changes only.

use serde_json::{json, Value};

use super::effective::{inherit, Bound, Effective, LimitKey, OwnLimits, SlugKey, NEW_GROUP};
use super::model::{BasetenGroup, EffectiveModel, ModelConfig};
use super::tree::Workspace;

impl Workspace {
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

        let mut groups_out = Vec::new();
        let mut keys_out = Vec::new();
        let mut stack: Vec<(u32, Effective)> = vec![(i, new_eff)];
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
                let ce = inherit(Some(&new), &self.own[c as usize], c);
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
        let mut local = PreviewSlugs::new(self);
        let own = OwnLimits::build(&group.models, |s| local.id(s));
        let new_eff = inherit(parent.map(|p| &self.eff[p as usize]), &own, NEW_GROUP);
        let em = self.render(&new_eff, &group.models, &|s| local.lookup(s));
        let next = with_effective(group, em, Some(Value::Null));
        let entry = self
            .diff(NEW_GROUP, &Effective::default(), &new_eff, &local)
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
        old: &Effective,
        new: &Effective,
        local: &PreviewSlugs,
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
            let mut keys: Vec<LimitKey> =
                before.iter().chain(after).map(|((_, k), _)| *k).collect();
            keys.sort_unstable();
            keys.dedup();
            for k in keys {
                let find = |list: &[(SlugKey, Bound)]| {
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
/// Slug ids for a preview: the workspace's, plus ids for slugs it has never
/// seen (numbered after the workspace's).
pub(crate) struct PreviewSlugs<'w> {
    ws: &'w Workspace,
    extra: Vec<String>,
}

impl<'w> PreviewSlugs<'w> {
    fn new(ws: &'w Workspace) -> Self {
        PreviewSlugs {
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
