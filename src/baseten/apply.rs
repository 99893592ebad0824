//! In-place changes of a [`Workspace`] (what `Workspace::apply` does once
//! the preview accepts a request).

use super::effective::{inherit_into, Effective, OwnLimits};
use super::model::{BasetenGroup, ModelConfig};
use super::store::{hash, ModelRec, Span, State, Text, DELETED, NONE};
use super::tree::Workspace;

/// Options of [`Workspace::apply`] (and the summary form of previews).
#[derive(Debug, Clone, Copy, Default)]
pub struct ApplyOptions<'a> {
    /// The caller (`{scope, workspace_id?}`), so that the 403 checks run.
    pub caller: Option<&'a serde_json::Value>,
    /// The id a created group gets (the server assigns it; default
    /// `new-<n>`, n from the group count + 1, deleted groups included, to
    /// the first id no group has, live or deleted).
    pub id: Option<&'a str>,
    /// The summary form of `changes` with the first `n` entries per list.
    pub summary: Option<usize>,
}

// --- in-place changes (`Workspace::apply`) ----------------------------------
//
// Each keeps every index as a fresh build of the changed state would have it
// (the property test `apply_sequences_equal_fresh_builds` holds them to it),
// recomputing only what the change can move: the effective models of the
// changed subtree (stopping where they come out unchanged) and the
// descendant maxima of the ancestors.

impl Workspace {
    /// Group `i` gets new `models` and, when given, a new name.
    pub(crate) fn set_group(&mut self, i: u32, models: Vec<ModelConfig>, name: Option<String>) {
        self.st.dead += self.dead_weight(i, name.is_some());
        let span = self.st.push_models(&models);
        let name = name.map(|n| self.st.text.push(&n));
        let g = &mut self.st.groups[i as usize];
        g.models = span;
        if let Some(n) = name {
            g.name = n;
        }
        self.set_own(i);
        self.refresh(i);
        self.refresh_ancestors(self.parent_of(i));
        let live = self.st.models.len() + self.st.limits.len() + self.st.text.buf.len();
        if self.st.dead > live / 2 + 4096 {
            self.st.compact();
        }
    }

    /// What replacing group `i`'s models (and name) leaves unreferenced.
    fn dead_weight(&self, i: u32, name: bool) -> usize {
        let recs = self.st.model_recs(i);
        let limits: usize = recs
            .iter()
            .map(|m| m.rate.len as usize + m.usage.len as usize)
            .sum();
        let name = if name {
            self.st.groups[i as usize].name.len as usize
        } else {
            0
        };
        recs.len() + limits + name
    }

    fn set_own(&mut self, i: u32) {
        let mut own = OwnLimits::default();
        self.own_limits_into(i, &mut own);
        self.own_slugs.set(i, &own.slugs);
        self.own.set(i, &own.limits);
    }

    /// Appends a new live group (already checked: its parent is live).
    pub(crate) fn add_group(&mut self, g: BasetenGroup) -> u32 {
        let i = self.st.groups.len() as u32;
        let parent = g
            .hierarchy
            .parent_group_id
            .as_deref()
            .and_then(|p| self.lookup(p));
        let h = hash(&g.id);
        let st = &self.st;
        let at = self
            .by_id
            .iter()
            .zip(&self.id_hash)
            .position(|(&j, &hj)| (hj, st.id(j)) > (h, g.id.as_str()))
            .unwrap_or(self.by_id.len());
        self.by_id.insert(at, i);
        self.id_hash.insert(at, h);
        self.st.push_group(&g);
        self.parent.push(parent.unwrap_or(NONE));
        let level = parent.map_or(1, |p| self.level[p as usize] + 1);
        self.level.push(level);
        for pool in [
            &mut self.children,
            &mut self.keys_of,
            &mut self.own_slugs,
            &mut self.eff_slugs,
        ] {
            pool.push(&[]);
        }
        self.own.push(&[]);
        self.eff.push(&[]);
        self.below.push(&[]);
        self.set_own(i);
        if let Some(p) = parent {
            let mut kids = self.children.get(p).to_vec();
            kids.push(i);
            self.children.set(p, &kids);
        }
        self.refresh(i);
        self.refresh_ancestors(parent);
        i
    }

    /// Deletes group `i` and its subtree (deletes are recursive); their
    /// keys stay, revoked.
    pub(crate) fn remove_subtree(&mut self, i: u32) {
        let parent = self.parent_of(i);
        if let Some(p) = parent {
            let kids: Vec<u32> = self
                .children
                .get(p)
                .iter()
                .copied()
                .filter(|&c| c != i)
                .collect();
            self.children.set(p, &kids);
        }
        let mut stack = vec![i];
        while let Some(g) = stack.pop() {
            stack.extend_from_slice(self.children.get(g));
            self.st.groups[g as usize].flags |= DELETED;
            self.parent[g as usize] = NONE;
            self.level[g as usize] = 0;
            for pool in [
                &mut self.children,
                &mut self.keys_of,
                &mut self.own_slugs,
                &mut self.eff_slugs,
            ] {
                pool.set(g, &[]);
            }
            self.own.set(g, &[]);
            self.eff.set(g, &[]);
            self.below.set(g, &[]);
        }
        self.refresh_ancestors(parent);
    }

    /// Recomputes the effective models under `i`, top-down, not descending
    /// where a group's come out unchanged.
    fn refresh(&mut self, i: u32) {
        let mut stack = vec![i];
        let mut new = Effective::default();
        while let Some(g) = stack.pop() {
            let parent = self.parent_of(g).map(|p| self.effective_of(p));
            inherit_into(parent, self.own_of(g), g, &mut new);
            if new.view() == self.effective_of(g) && g != i {
                continue;
            }
            self.eff_slugs.set(g, &new.slugs);
            self.eff.set(g, &new.limits);
            stack.extend_from_slice(self.children.get(g));
        }
    }

    /// Recomputes the descendant maxima from `from` up to the root.
    fn refresh_ancestors(&mut self, mut from: Option<u32>) {
        let mut scratch = Vec::new();
        while let Some(a) = from {
            self.descendant_maxima(a, &mut scratch);
            self.below.set(a, &scratch);
            from = self.parent_of(a);
        }
    }
}

impl State {
    /// Copies what the groups, keys and slugs refer to into fresh arrays
    /// (same order, so every index stays): a long run of `apply` keeps the
    /// state within about twice its live size.
    pub(crate) fn compact(&mut self) {
        let mut text = Text::default();
        let mut models = Vec::with_capacity(self.models.len() / 2);
        let mut limits = Vec::with_capacity(self.limits.len() / 2);
        let old = &self.text;
        let mut keep = |s: Span| {
            if s.is_none() {
                s
            } else {
                text.push(old.get(s))
            }
        };
        for s in &mut self.slugs {
            *s = keep(*s);
        }
        for k in &mut self.keys {
            (k.prefix, k.group, k.name) = (keep(k.prefix), keep(k.group), keep(k.name));
        }
        for g in &mut self.groups {
            (g.id, g.name, g.ext) = (keep(g.id), keep(g.name), keep(g.ext));
            (g.ws, g.parent) = (keep(g.ws), keep(g.parent));
            let start = models.len() as u32;
            for m in self.models.get(g.models.range()).unwrap_or(&[]) {
                let mut list = |s: Span| {
                    if s.is_none() {
                        return s;
                    }
                    // As `State::limit_list` reads it: a list out of place
                    // (only a forged snapshot has one) is a present, empty one.
                    let l = self.limits.get(s.range()).unwrap_or(&[]);
                    let at = limits.len() as u32;
                    limits.extend_from_slice(l);
                    Span {
                        start: at,
                        len: l.len() as u32,
                    }
                };
                let (rate, usage) = (list(m.rate), list(m.usage));
                models.push(ModelRec {
                    slug: m.slug,
                    rate,
                    usage,
                });
            }
            g.models = Span {
                start,
                len: models.len() as u32 - start,
            };
        }
        (self.text, self.models, self.limits, self.dead) = (text, models, limits, 0);
    }
}
