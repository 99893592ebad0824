//! What a change does: `next` and the `changes` diff of an update, create or
//! delete, computed over the subtree that changes only.

use serde_json::Value;

use super::changes::{Changes, GroupDiff, LimitMove, PreviewSlugs, Row};

use super::effective::{
    inherit, Bound, EffRef, Effective, LimitKey, OwnLimits, SlugKey, NEW_GROUP,
};
use super::model::{BasetenGroup, EffectiveModel, ModelConfig};
use super::tree::Workspace;

impl Workspace {
    /// `next` and `changes` of an update of group `i` to `models` (and
    /// optionally a new name); `cap` asks for the summary form.
    pub(crate) fn update_effects(
        &self,
        i: u32,
        models: Option<&[ModelConfig]>,
        name: Option<&str>,
        cap: Option<usize>,
    ) -> (Value, Changes<'_>) {
        let mut next_group = self.st.group(i);
        if let Some(m) = models {
            next_group.models = m.to_vec();
        }
        if let Some(n) = name {
            next_group.metadata.name = Some(n.to_string());
        }
        let models = &next_group.models;
        let mut local = PreviewSlugs::new(self);
        let own = OwnLimits::build(models, |s| local.id(s));
        let parent = self.parent_of(i).map(|p| self.effective_of(p));
        let new_eff = inherit(parent, own.view(), i);
        let em = render_with(self, &new_eff, models, &local);
        let next = with_effective(&next_group, em, None);

        let mut out = Changes::new(self, local, cap, &["groups", "keys"]);
        let mut stack: Vec<(u32, Effective)> = vec![(i, new_eff)];
        while let Some((gi, new)) = stack.pop() {
            let old = self.effective_of(gi);
            if old == new.view() {
                continue; // this subtree is unchanged
            }
            if let Some(d) = self.diff(old, new.view(), &out.local) {
                let slugs_moved = !d.gained.is_empty() || !d.lost.is_empty();
                out.diffs.push(d);
                let diff = out.diffs.len() - 1;
                if slugs_moved {
                    for &key in self.keys_of.get(gi) {
                        out.push(1, Row::Key { key, diff });
                    }
                }
                push_group(&mut out, gi, diff);
            }
            for &c in self.children.get(gi).iter().rev() {
                let ce = inherit(Some(new.view()), self.own_of(c), c);
                stack.push((c, ce));
            }
        }
        (next, out)
    }

    /// `next` and `changes` of creating a group under `parent`. The id is
    /// the server's to assign: `null` here.
    pub(crate) fn create_effects(
        &self,
        group: &BasetenGroup,
        parent: Option<u32>,
        cap: Option<usize>,
    ) -> (Value, Changes<'_>) {
        let mut local = PreviewSlugs::new(self);
        let own = OwnLimits::build(&group.models, |s| local.id(s));
        let new_eff = inherit(parent.map(|p| self.effective_of(p)), own.view(), NEW_GROUP);
        let em = render_with(self, &new_eff, &group.models, &local);
        let next = with_effective(group, em, Some(Value::Null));
        let diff = self.diff(Effective::default().view(), new_eff.view(), &local);
        let mut out = Changes::new(self, local, cap, &["groups", "keys"]);
        if let Some(d) = diff {
            out.diffs.push(d);
            push_group(&mut out, NEW_GROUP, 0);
        }
        (next, out)
    }

    /// `changes` of deleting group `i`: its subtree (preorder) and their keys.
    pub(crate) fn delete_effects(&self, i: u32, cap: Option<usize>) -> Changes<'_> {
        let local = PreviewSlugs::new(self);
        let mut out = Changes::new(self, local, cap, &["removed_groups", "revoked_keys"]);
        let mut stack = vec![i];
        while let Some(g) = stack.pop() {
            out.push(0, Row::Name(self.st.id(g)));
            for &k in self.keys_of.get(g) {
                out.push(
                    1,
                    Row::Name(self.st.text.get(self.st.keys[k as usize].prefix)),
                );
            }
            stack.extend(self.children.get(g).iter().rev());
        }
        out
    }

    /// One `changes.groups` entry, with the gained and lost slugs; `None`
    /// when nothing visible changed.
    fn diff(&self, old: EffRef, new: EffRef, local: &PreviewSlugs) -> Option<GroupDiff> {
        // Sorted by name, each name looked up once (not at every compare).
        let by_name = |ids: &mut dyn Iterator<Item = u32>| -> Vec<u32> {
            let mut named: Vec<(&str, u32)> = ids.map(|s| (local.name(s), s)).collect();
            crate::sort::sort_by(&mut named, |a, b| a.0.cmp(b.0));
            named.into_iter().map(|(_, s)| s).collect()
        };
        let slugs = by_name(&mut new.slugs.iter().copied());
        // The gained are the new slugs the old set lacks: already in order.
        let gained: Vec<u32> = slugs
            .iter()
            .copied()
            .filter(|s| !old.has_slug(*s))
            .collect();
        let lost = by_name(&mut old.slugs.iter().copied().filter(|s| !new.has_slug(*s)));
        let mut limits = Vec::new();
        for &s in &slugs {
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
}

/// [`Workspace::render`] of a preview's models, slugs named by `local`.
fn render_with(
    ws: &Workspace,
    eff: &Effective,
    models: &[ModelConfig],
    local: &PreviewSlugs,
) -> Vec<EffectiveModel> {
    let ids: Vec<u32> = models
        .iter()
        .filter_map(|m| local.lookup(&m.slug))
        .collect();
    ws.render(eff.view(), &ids, &|s| local.name(s).to_string())
}

/// Counts one group's diff and adds its `changes.groups` row.
fn push_group(out: &mut Changes, group: u32, diff: usize) {
    let d = &out.diffs[diff];
    let counts = [
        ("gained", usize::from(!d.gained.is_empty())),
        ("lost", usize::from(!d.lost.is_empty())),
        ("limits", d.limits.len()),
    ];
    for (name, n) in counts {
        out.count(name, n);
    }
    out.push(0, Row::Group { group, diff });
}

/// A group as JSON with its `effective_models`; `id` overrides the id (a
/// create has none yet).
fn with_effective(g: &BasetenGroup, em: Vec<EffectiveModel>, id: Option<Value>) -> Value {
    let mut v = serde_json::to_value(g).unwrap_or(Value::Null);
    if let Value::Object(m) = &mut v {
        if let Some(id) = id {
            m.insert("id".into(), id);
        }
        // `GroupV1` requires `created_at` (BT-OAS), in a create's answer and
        // an update's ("same shape returned by Create a group"): the
        // server's clock, which the state does not carry, so `null`.
        m.insert("created_at".into(), Value::Null);
        // `GroupMetadataV1.name` defaults to null (BT-OAS): the response
        // carries it as `null` when the group has none.
        if let Some(Value::Object(md)) = m.get_mut("metadata") {
            if !md.contains_key("name") {
                md.insert("name".into(), Value::Null);
            }
        }
        // The models "after persistence" hold both lists, `[]` when not
        // given (docs.baseten.co get-a-group example: `"usage_limits": []`).
        if let Some(Value::Array(models)) = m.get_mut("models") {
            for model in models.iter_mut().filter_map(Value::as_object_mut) {
                for list in ["rate_limits", "usage_limits"] {
                    if !model.contains_key(list) {
                        model.insert(list.into(), Value::Array(Vec::new()));
                    }
                }
            }
        }
        m.insert(
            "effective_models".into(),
            serde_json::to_value(em).unwrap_or(Value::Array(Vec::new())),
        );
    }
    v
}
