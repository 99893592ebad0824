//! The checked workspace: the compact state ([`State`]) and the indexes a
//! preview reads, every per-group list in a [`Pool`]. The structural checks
//! (and `Workspace::assemble`, which runs them) live in `checks`.

use super::effective::{inherit_into, Bound, EffRef, Effective, OwnLimits, OwnRef, SlugKey};
use super::effective::{LimitKey, NEW_GROUP};
use super::model::{ApiKey, BasetenGroup, EffectiveLimit, EffectiveModel, LimitKind};
use super::store::{find_indexed, GroupRef, Pool, State, CASCADING, DELETED, NONE};
use crate::error::GroupgateError;
use crate::limits::Limits;
use crate::patterns::FxMap;

/// A Baseten workspace: groups and keys, validated and precomputed.
#[derive(Debug, Clone, Default)]
pub struct Workspace {
    pub(super) limits: Limits,
    pub(super) st: State,
    /// Every group (deleted ones too) ordered by (hash of id, id): the id
    /// index, `id_hash` alongside.
    pub(super) by_id: Vec<u32>,
    pub(super) id_hash: Vec<u64>,
    /// Tree links of live groups (`NONE`: a root, or a deleted group).
    pub(super) parent: Vec<u32>,
    /// Level of each live group; a root is 1, a deleted group 0.
    pub(super) level: Vec<u32>,
    pub(super) children: Pool<u32>,
    pub(super) keys_of: Pool<u32>,
    /// Own slugs and limits, interned and sorted.
    pub(super) own_slugs: Pool<u32>,
    pub(super) own: Pool<(SlugKey, u64)>,
    /// Effective slugs and bounds.
    pub(super) eff_slugs: Pool<u32>,
    pub(super) eff: Pool<(SlugKey, Bound)>,
    /// CASCADING groups: the largest own threshold per (slug, key) among
    /// strict descendants, with the group that sets it.
    pub(super) below: Pool<(SlugKey, Bound)>,
}

impl Workspace {
    /// Children, own limits, effective models (top-down) and descendant
    /// maxima (bottom-up).
    pub(super) fn precompute(&mut self) {
        let n = self.st.groups.len();
        self.children = group_lists(n, &self.parent);
        let models = self.st.models.len();
        self.own_slugs = Pool::with_capacity(n, models);
        self.own = Pool::with_capacity(n, models * 2);
        let mut own = OwnLimits::default();
        for i in 0..n as u32 {
            self.own_limits_into(i, &mut own);
            self.own_slugs.push(&own.slugs);
            self.own.push(&own.limits);
        }
        // Top-down by level (a counting sort: levels are small).
        let order = self.by_level();
        self.eff_slugs = Pool::empty(n);
        self.eff = Pool::empty(n);
        let mut e = Effective::default();
        for &i in &order {
            let p = self.parent[i as usize];
            let parent = (p != NONE).then(|| self.effective_of(p));
            inherit_into(parent, self.own_of(i), i, &mut e);
            self.eff_slugs.set(i, &e.slugs);
            self.eff.set(i, &e.limits);
        }
        self.below = Pool::empty(n);
        let mut scratch = Vec::new();
        for &i in order.iter().rev() {
            self.descendant_maxima(i, &mut scratch);
            self.below.set(i, &scratch);
        }
    }

    /// Live groups, roots first, then level by level.
    fn by_level(&self) -> Vec<u32> {
        let top = self.level.iter().copied().max().unwrap_or(0) as usize;
        let mut start = vec![0usize; top + 2];
        for &l in &self.level {
            start[l as usize + 1] += 1;
        }
        for l in 1..start.len() {
            start[l] += start[l - 1];
        }
        let mut out = vec![0u32; self.level.len()];
        for (i, &l) in self.level.iter().enumerate() {
            out[start[l as usize]] = i as u32;
            start[l as usize] += 1;
        }
        // Level 0 (deleted, or under a cycle, which never gets here) first: dropped.
        let dead = self.level.iter().filter(|&&l| l == 0).count();
        out.drain(..dead);
        out
    }

    /// Group `i`'s own limits, its slugs interned (none for a deleted group).
    pub(super) fn own_limits_into(&self, i: u32, out: &mut OwnLimits) {
        out.slugs.clear();
        out.limits.clear();
        if self.st.groups[i as usize].flags & DELETED != 0 {
            return;
        }
        for m in self.st.model_recs(i) {
            out.slugs.push(m.slug);
            for (kind, span) in [(LimitKind::Rate, m.rate), (LimitKind::Usage, m.usage)] {
                for l in self.st.limit_list(span).unwrap_or(&[]) {
                    let key = LimitKey::new(kind, l.limit_type, l.unit);
                    out.limits.push(((m.slug, key), l.threshold));
                }
            }
        }
        out.finish();
    }

    /// For a CASCADING group: the largest own threshold per (slug, key) among
    /// its strict descendants, from its children's own limits and maxima.
    pub(super) fn descendant_maxima(&self, i: u32, all: &mut Vec<(SlugKey, Bound)>) {
        all.clear();
        if self.st.groups[i as usize].flags & CASCADING == 0 {
            return;
        }
        for &c in self.children.get(i) {
            let at = |t: u64| Bound {
                threshold: t,
                source: c,
            };
            all.extend(self.own.get(c).iter().map(|&(k, t)| (k, at(t))));
            all.extend_from_slice(self.below.get(c));
        }
        keep_largest(all);
    }

    /// The limits this workspace was built with.
    pub fn limits(&self) -> Limits {
        self.limits
    }

    /// How many groups the state has (deleted ones included).
    pub fn group_count(&self) -> usize {
        self.st.groups.len()
    }

    /// Every group of the state, in state order (deleted ones included),
    /// built from the compact form.
    pub fn groups(&self) -> Vec<BasetenGroup> {
        (0..self.st.groups.len() as u32)
            .map(|i| self.st.group(i))
            .collect()
    }

    /// Every API key of the state, in state order (revoked ones included).
    pub fn keys(&self) -> Vec<ApiKey> {
        (0..self.st.keys.len() as u32)
            .map(|k| self.st.key(k))
            .collect()
    }

    /// A live (not deleted) group by id.
    pub fn group(&self, id: &str) -> Option<GroupRef<'_>> {
        self.lookup(id)
            .map(|i| self.get(i))
            .filter(|g| !g.deleted())
    }

    /// The effective models of a live group (SPEC §1.1), in the order of the
    /// group's own `models` list. An unknown or deleted group is `not_found`
    /// at `/groupId`, the argument as the package names it (its own checks
    /// of the argument say so; before session 25 this one said `/group_id`).
    pub fn effective_models(&self, group_id: &str) -> Result<Vec<EffectiveModel>, GroupgateError> {
        match self.lookup(group_id) {
            Some(i) if !self.get(i).deleted() => {
                let slugs: Vec<u32> = self.st.model_recs(i).iter().map(|m| m.slug).collect();
                Ok(self.render(self.effective_of(i), &slugs, &|s| {
                    self.st.slug(s).to_string()
                }))
            }
            Some(_) => Err(GroupgateError::one(
                "/groupId",
                "not_found",
                format!("group {group_id} has been deleted"),
            )),
            None => Err(GroupgateError::one(
                "/groupId",
                "not_found",
                format!("no group {group_id} in this workspace"),
            )),
        }
    }

    pub(crate) fn lookup(&self, id: &str) -> Option<u32> {
        find_indexed(&self.id_hash, &self.by_id, id.as_bytes(), |i| {
            self.st.id_bytes(i)
        })
    }
    pub(crate) fn get(&self, i: u32) -> GroupRef<'_> {
        GroupRef { st: &self.st, i }
    }
    pub(crate) fn parent_of(&self, i: u32) -> Option<u32> {
        Some(self.parent[i as usize]).filter(|&p| p != NONE)
    }
    pub(crate) fn level_of(&self, i: u32) -> usize {
        self.level[i as usize] as usize
    }
    pub(crate) fn own_of(&self, i: u32) -> OwnRef<'_> {
        OwnRef {
            slugs: self.own_slugs.get(i),
            limits: self.own.get(i),
        }
    }
    pub(crate) fn effective_of(&self, i: u32) -> EffRef<'_> {
        EffRef {
            slugs: self.eff_slugs.get(i),
            limits: self.eff.get(i),
        }
    }
    pub(crate) fn slug_id(&self, s: &str) -> Option<u32> {
        self.st.slug_id(s)
    }
    /// The binding bound of a key on the path from the root to group `i`
    /// (the smallest own threshold; a tie goes to the nearer group),
    /// whether or not the slug is effective there: what a CASCADING child
    /// of `i` may not exceed. Read from the own limits up the chain (at
    /// most `max_depth` groups, a binary search each) rather than stored
    /// per group, which cost children × inherited limits.
    pub(crate) fn path_bound(&self, i: u32, key: SlugKey) -> Option<Bound> {
        let mut best: Option<Bound> = None;
        let mut at = Some(i);
        while let Some(g) = at {
            let own = self.own.get(g);
            if let Ok(j) = own.binary_search_by_key(&key, |(k, _)| *k) {
                let t = own[j].1;
                if best.is_none_or(|b| t < b.threshold) {
                    best = Some(Bound {
                        threshold: t,
                        source: g,
                    });
                }
            }
            at = self.parent_of(g);
        }
        best
    }
    /// The largest descendant threshold for a key (CASCADING groups only).
    pub(crate) fn below(&self, i: u32, key: SlugKey) -> Option<Bound> {
        let b = self.below.get(i);
        b.binary_search_by_key(&key, |(k, _)| *k)
            .ok()
            .map(|j| b[j].1)
    }
    pub(crate) fn name_of(&self, i: u32) -> Option<&str> {
        (i != NEW_GROUP).then(|| self.st.id(i))
    }
    /// A live group whose external_entity_id is `ext`, in workspace `ws`
    /// (a group naming no workspace is in every one), and whether it is
    /// surely in `ws`: with `ws` unknown, a group of a named workspace may
    /// be in another (false). A sure match is preferred.
    pub(crate) fn external_id_taken(
        &self,
        ext: &str,
        ws: Option<&str>,
    ) -> Option<(GroupRef<'_>, bool)> {
        let mut unsure = None;
        for i in 0..self.st.groups.len() as u32 {
            let g = self.get(i);
            if g.deleted() || g.external_entity_id() != ext {
                continue;
            }
            match (ws, g.workspace_id()) {
                (Some(a), Some(b)) if a != b => {}
                (None, Some(_)) => unsure = unsure.or(Some(g)),
                _ => return Some((g, true)),
            }
        }
        unsure.map(|g| (g, false))
    }

    /// Renders an effective configuration as effective models, ordered like
    /// `slugs` (a group's models' slug ids); `name` gives an id's slug.
    pub(crate) fn render(
        &self,
        eff: EffRef,
        slugs: &[u32],
        name: &dyn Fn(u32) -> String,
    ) -> Vec<EffectiveModel> {
        let mut out = Vec::with_capacity(eff.slugs.len());
        // A set, not a scan: a group may have 100,000 models. (A map with
        // unused values: the crate's `u64` to `u32` table type, one hash
        // table less in the WASM than a `HashSet<u32>`.)
        let mut done: FxMap<u64, u32> = FxMap::default();
        done.reserve(slugs.len());
        for &s in slugs {
            if eff.has_slug(s) && done.insert(u64::from(s), 0).is_none() {
                out.push(self.render_one(eff, s, name(s)));
            }
        }
        out
    }

    fn render_one(&self, eff: EffRef, s: u32, slug: String) -> EffectiveModel {
        let mut em = EffectiveModel {
            slug,
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
}

/// Sorts bounds by key and keeps the largest threshold of each (the first
/// group on a tie, so the answer does not depend on how the workspace was
/// built, nor on the order equal keys are sorted in). A root's list holds
/// every limit below it (a million at 10,000 groups of 100 models): a long
/// list is ordered by a radix sort; a short one, the usual, in place (no
/// allocation a group).
fn keep_largest(all: &mut Vec<(SlugKey, Bound)>) {
    if all.len() > 1 {
        let pack = |k: SlugKey| (u64::from(k.0) << 8) | u64::from(k.1.byte());
        let mut order: Vec<(u64, u32)> = (0..all.len() as u32)
            .map(|j| (pack(all[j as usize].0), j))
            .collect();
        super::radix::radix_sort(&mut order, 5);
        *all = order.iter().map(|&(_, j)| all[j as usize]).collect();
    }
    let mut kept: usize = 0;
    for r in 0..all.len() {
        let (k, b) = all[r];
        match kept.checked_sub(1).map(|w| &mut all[w]) {
            Some((lk, lb)) if *lk == k => {
                if (b.threshold, std::cmp::Reverse(b.source))
                    > (lb.threshold, std::cmp::Reverse(lb.source))
                {
                    *lb = b;
                }
            }
            _ => {
                all[kept] = (k, b);
                kept += 1;
            }
        }
    }
    all.truncate(kept);
}

/// One list per group: item `x` goes to group `owner[x]` (dropped when
/// that is `NONE` or out of range), each list in item order. A counting
/// sort in plain loops: a snapshot load runs it over every group.
pub(super) fn group_lists(n: usize, owner: &[u32]) -> Pool<u32> {
    // Slot `n` counts the dropped items.
    let mut next = vec![0u32; n + 1];
    for &g in owner {
        next[(g as usize).min(n)] += 1;
    }
    let mut spans = vec![super::store::Span::default(); n];
    let mut at = 0u32;
    for (s, f) in spans.iter_mut().zip(&mut next) {
        *s = super::store::Span { start: at, len: *f };
        at += *f;
        *f = s.start;
    }
    let mut items = vec![0u32; at as usize];
    for (x, &g) in owner.iter().enumerate() {
        if let Some(f) = next.get_mut(g as usize).filter(|_| (g as usize) < n) {
            items[*f as usize] = x as u32;
            *f += 1;
        }
    }
    Pool::from_parts(items, spans)
}
