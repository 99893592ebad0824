//! In-place changes of a [`Workspace`] (what `Workspace::apply` does once
//! the preview accepts a request).

use super::effective::{inherit, Effective, OwnLimits};
use super::model::{BasetenGroup, ModelConfig};
use super::tree::Workspace;

/// Options of [`Workspace::apply`] (and the summary form of previews).
#[derive(Debug, Clone, Copy, Default)]
pub struct ApplyOptions<'a> {
    /// The caller (`{scope, workspace_id?}`), so that the 403 checks run.
    pub caller: Option<&'a serde_json::Value>,
    /// The id a created group gets (the server assigns it; default
    /// `new-<n>`, the first such id not in use).
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
        let g = &mut self.groups[i as usize];
        g.models = models;
        if name.is_some() {
            g.metadata.name = name;
        }
        self.own[i as usize] = self.own_limits(i as usize);
        self.refresh(i);
        self.refresh_ancestors(self.parent[i as usize]);
    }

    /// Appends a new live group (already checked: its parent is live).
    pub(crate) fn add_group(&mut self, g: BasetenGroup) -> u32 {
        let i = self.groups.len() as u32;
        let parent = g
            .hierarchy
            .parent_group_id
            .as_deref()
            .and_then(|p| self.index.get(p).copied());
        self.index.insert(g.id.clone(), i);
        self.groups.push(g);
        self.parent.push(parent);
        self.children.push(Vec::new());
        self.level
            .push(parent.map_or(1, |p| self.level[p as usize] + 1));
        self.keys_of.push(Vec::new());
        let own = self.own_limits(i as usize);
        self.own.push(own);
        self.eff.push(Effective::default());
        self.below.push(Vec::new());
        if let Some(p) = parent {
            self.children[p as usize].push(i);
        }
        self.refresh(i);
        self.refresh_ancestors(parent);
        i
    }

    /// Deletes group `i` and its subtree (deletes are recursive); their
    /// keys stay, revoked.
    pub(crate) fn remove_subtree(&mut self, i: u32) {
        let parent = self.parent[i as usize];
        if let Some(p) = parent {
            self.children[p as usize].retain(|&c| c != i);
        }
        let mut stack = vec![i];
        while let Some(g) = stack.pop() {
            let g = g as usize;
            stack.append(&mut self.children[g]);
            self.groups[g].deleted = true;
            self.parent[g] = None;
            self.level[g] = 0;
            self.keys_of[g].clear();
            self.own[g] = OwnLimits::default();
            self.eff[g] = Effective::default();
            self.below[g].clear();
        }
        self.refresh_ancestors(parent);
    }

    /// Recomputes the effective models under `i`, top-down, not descending
    /// where a group's come out unchanged.
    fn refresh(&mut self, i: u32) {
        let mut stack = vec![i];
        while let Some(g) = stack.pop() {
            let gu = g as usize;
            let new = inherit(
                self.parent[gu].map(|p| &self.eff[p as usize]),
                &self.own[gu],
                g,
            );
            if new == self.eff[gu] && g != i {
                continue;
            }
            self.eff[gu] = new;
            stack.extend(self.children[gu].iter().copied());
        }
    }

    /// Recomputes the descendant maxima from `from` up to the root.
    fn refresh_ancestors(&mut self, mut from: Option<u32>) {
        while let Some(a) = from {
            self.below[a as usize] = self.descendant_maxima(a);
            from = self.parent[a as usize];
        }
    }
}
