//! The checked workspace: the structural checks of a state (one function
//! per check) and the indexes a preview reads.

use std::collections::{HashMap, HashSet};

use super::effective::{inherit, Bound, Effective, LimitKey, OwnLimits, SlugKey, NEW_GROUP};
use super::model::{
    ApiKey, BasetenGroup, EffectiveLimit, EffectiveModel, Enforcement, LimitKind, ModelConfig,
};
use crate::error::GroupgateError;
use crate::limits::Limits;
use crate::verdict::Issue;

/// A Baseten workspace: groups and keys, validated and precomputed.
#[derive(Debug, Clone, Default)]
pub struct Workspace {
    pub(super) limits: Limits,
    pub(super) groups: Vec<BasetenGroup>,
    pub(super) keys: Vec<ApiKey>,
    /// Every group (deleted ones too) by id.
    pub(super) index: HashMap<String, u32>,
    /// Tree links of live groups (deleted groups have none).
    pub(super) parent: Vec<Option<u32>>,
    pub(super) children: Vec<Vec<u32>>,
    /// Level of each live group; a root is 1.
    pub(super) level: Vec<usize>,
    pub(super) keys_of: Vec<Vec<u32>>,
    pub(super) slugs: Vec<String>,
    pub(super) slug_ids: HashMap<String, u32>,
    pub(super) own: Vec<OwnLimits>,
    pub(super) eff: Vec<Effective>,
    /// CASCADING groups: the largest own threshold per (slug, key) among
    /// strict descendants, with the group that sets it.
    pub(super) below: Vec<Vec<(SlugKey, Bound)>>,
}

impl Workspace {
    /// The structural checks (each its own function below) and the
    /// precomputation, on parsed input.
    pub(super) fn assemble(
        groups: Vec<BasetenGroup>,
        keys: Vec<ApiKey>,
        limits: Limits,
    ) -> Result<Workspace, GroupgateError> {
        check_group_count(groups.len(), limits)?;
        let mut issues = Vec::new();
        let index = index_ids(&groups, &mut issues);
        let parent = link_parents(&groups, &index, &mut issues);
        let level = levels(&groups, &parent, &mut issues);
        check_depth(&groups, &level, limits, &mut issues);
        check_external_ids(&groups, &index, &mut issues);
        let keys_of = index_keys(&groups, &keys, &index, &mut issues);
        if !issues.is_empty() {
            return Err(GroupgateError::new(issues));
        }
        let n = groups.len();
        let mut ws = Workspace {
            limits,
            children: vec![Vec::new(); n],
            parent,
            level,
            keys_of,
            index,
            own: Vec::with_capacity(n),
            eff: vec![Effective::default(); n],
            below: vec![Vec::new(); n],
            slugs: Vec::new(),
            slug_ids: HashMap::new(),
            groups,
            keys,
        };
        ws.precompute();
        let issues = ws.cascade_issues();
        if !issues.is_empty() {
            return Err(GroupgateError::new(issues));
        }
        Ok(ws)
    }

    /// Children, own limits, effective models (top-down) and descendant
    /// maxima (bottom-up).
    fn precompute(&mut self) {
        let n = self.groups.len();
        for i in 0..n {
            if let Some(p) = self.parent[i] {
                self.children[p as usize].push(i as u32);
            }
        }
        for i in 0..n {
            let own = self.own_limits(i);
            self.own.push(own);
        }
        let mut order: Vec<u32> = (0..n as u32)
            .filter(|&i| !self.groups[i as usize].deleted)
            .collect();
        crate::sort::sort_by_key(&mut order, |&i| self.level[i as usize]);
        for &i in &order {
            let i = i as usize;
            self.eff[i] = inherit(
                self.parent[i].map(|p| &self.eff[p as usize]),
                &self.own[i],
                i as u32,
            );
        }
        for &i in order.iter().rev() {
            self.below[i as usize] = self.descendant_maxima(i);
        }
    }

    /// A group's own limits, its slugs interned (none for a deleted group).
    pub(super) fn own_limits(&mut self, i: usize) -> OwnLimits {
        let (slugs, ids) = (&mut self.slugs, &mut self.slug_ids);
        if self.groups[i].deleted {
            OwnLimits::default()
        } else {
            OwnLimits::build(&self.groups[i].models, |s| intern(slugs, ids, s))
        }
    }

    /// For a CASCADING group: the largest own threshold per (slug, key) among
    /// its strict descendants, from its children's own limits and maxima.
    pub(super) fn descendant_maxima(&self, i: u32) -> Vec<(SlugKey, Bound)> {
        let i = i as usize;
        if self.groups[i].hierarchy.limit_enforcement != Enforcement::Cascading {
            return Vec::new();
        }
        let mut all: Vec<(SlugKey, Bound)> = Vec::new();
        for &c in &self.children[i] {
            let at = |t: u64| Bound {
                threshold: t,
                source: c,
            };
            let own = &self.own[c as usize].limits;
            all.extend(own.iter().map(|&(k, t)| (k, at(t))));
            all.extend_from_slice(&self.below[c as usize]);
        }
        // Largest first within a key (the first group on a tie, so the
        // answer does not depend on how the workspace was built), then keep
        // the first of each key.
        crate::sort::sort_by(&mut all, |a, b| {
            a.0.cmp(&b.0)
                .then(b.1.threshold.cmp(&a.1.threshold))
                .then(a.1.source.cmp(&b.1.source))
        });
        all.dedup_by_key(|(k, _)| *k);
        all
    }

    /// A CASCADING state never has a descendant above an ancestor.
    fn cascade_issues(&self) -> Vec<Issue> {
        let mut issues = Vec::new();
        for i in 0..self.groups.len() {
            let g = &self.groups[i];
            if g.deleted || g.hierarchy.limit_enforcement != Enforcement::Cascading {
                continue;
            }
            let Some(p) = self.parent[i] else { continue };
            // The interned own limits answer "all within bounds" without
            // hashing; the detailed walk below runs only to name a fault.
            let pe = &self.eff[p as usize];
            let within = |&(k, t): &(SlugKey, u64)| pe.bound(k).is_none_or(|b| t <= b.threshold);
            if self.own[i].limits.iter().all(within) {
                continue;
            }
            for (mi, m) in g.models.iter().enumerate() {
                let Some(&s) = self.slug_ids.get(&m.slug) else {
                    continue;
                };
                for (kind, li, l) in m.limits() {
                    let key = (s, LimitKey::new(kind, l.limit_type, l.unit));
                    if let Some(b) = self.eff[p as usize].bound(key) {
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
                                    self.groups[b.source as usize].id,
                                    b.threshold
                                ),
                            ));
                        }
                    }
                }
            }
        }
        issues
    }

    /// The limits this workspace was built with.
    pub fn limits(&self) -> Limits {
        self.limits
    }

    /// Every group of the state, in state order (deleted ones included).
    pub fn groups(&self) -> &[BasetenGroup] {
        &self.groups
    }

    /// Every API key of the state, in state order (revoked ones included).
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
    pub(crate) fn effective_of(&self, i: u32) -> &Effective {
        &self.eff[i as usize]
    }
    pub(crate) fn slug_id(&self, s: &str) -> Option<u32> {
        self.slug_ids.get(s).copied()
    }
    /// The largest descendant threshold for a key (CASCADING groups only).
    pub(crate) fn below(&self, i: u32, key: SlugKey) -> Option<Bound> {
        let b = &self.below[i as usize];
        b.binary_search_by_key(&key, |(k, _)| *k)
            .ok()
            .map(|j| b[j].1)
    }
    pub(crate) fn name_of(&self, i: u32) -> Option<&str> {
        (i != NEW_GROUP).then(|| self.groups[i as usize].id.as_str())
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

    /// Renders an `Effective` as effective models, ordered like `models`;
    /// `id_of` maps a slug to its interned id.
    pub(crate) fn render(
        &self,
        eff: &Effective,
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

    fn render_one(&self, eff: &Effective, s: u32, slug: &str) -> EffectiveModel {
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
}

fn intern(slugs: &mut Vec<String>, ids: &mut HashMap<String, u32>, s: &str) -> u32 {
    // Most workspaces use a handful of slugs: a scan beats hashing then.
    if slugs.len() <= 8 {
        if let Some(i) = slugs.iter().position(|x| x == s) {
            return i as u32;
        }
    } else if let Some(&i) = ids.get(s) {
        return i;
    }
    let i = slugs.len() as u32;
    slugs.push(s.to_string());
    ids.insert(s.to_string(), i);
    i
}

/// Over `max_groups`: refused before anything else is read.
fn check_group_count(n: usize, limits: Limits) -> Result<(), GroupgateError> {
    if n <= limits.max_groups {
        return Ok(());
    }
    Err(GroupgateError::one(
        "/groups",
        "limit.groups",
        format!(
            "the state has {n} groups, over the limit max_groups ({})",
            limits.max_groups
        ),
    ))
}

fn gp(i: usize, rest: &str) -> String {
    format!("/groups/{i}{rest}")
}

/// Group ids are unique (deleted groups included).
fn index_ids(groups: &[BasetenGroup], issues: &mut Vec<Issue>) -> HashMap<String, u32> {
    let n = groups.len();
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
    index
}

/// Parent links: the parent exists, is live, has the same mode and the
/// same workspace.
fn link_parents(
    groups: &[BasetenGroup],
    index: &HashMap<String, u32>,
    issues: &mut Vec<Issue>,
) -> Vec<Option<u32>> {
    let mut parent = vec![None; groups.len()];
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
    parent
}

/// Cycles, and each live group's level (a root is 1; 0 = in or under a cycle).
fn levels(groups: &[BasetenGroup], parent: &[Option<u32>], issues: &mut Vec<Issue>) -> Vec<usize> {
    let n = groups.len();
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
                Some(p) if mark[p as usize] == 2 && level[p as usize] > 0 => level[p as usize] + 1,
                Some(_) => 0,
            };
            mark[x] = 2;
        }
    }
    level
}

/// Depth: reported once per branch, at the first level over `max_depth`.
fn check_depth(groups: &[BasetenGroup], level: &[usize], limits: Limits, issues: &mut Vec<Issue>) {
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
}

/// `external_entity_id` is unique among the live groups of a workspace.
fn check_external_ids(
    groups: &[BasetenGroup],
    index: &HashMap<String, u32>,
    issues: &mut Vec<Issue>,
) {
    let n = groups.len();
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
}

/// Keys: unique prefixes, an existing group; each live group's keys.
fn index_keys(
    groups: &[BasetenGroup],
    keys: &[ApiKey],
    index: &HashMap<String, u32>,
    issues: &mut Vec<Issue>,
) -> Vec<Vec<u32>> {
    let n = groups.len();
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
    keys_of
}
