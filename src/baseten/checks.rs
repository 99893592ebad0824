//! The structural checks of a state, one function per check, each issue at
//! its JSON Pointer (the messages are the state reader's contract: tests/
//! baseten.rs and tests/cases/baseten.json hold them).

use super::effective::LimitKey;
use super::model::{LimitKind, MAX_ID_BYTES};
use super::radix::sort_by_hash;
use super::store::{enforcement as mode_name, hash_bytes, State, CASCADING, DELETED, NONE};
use super::tree::{group_lists, Workspace};
use crate::error::GroupgateError;
use crate::limits::Limits;
use crate::permissions::Quoted;
use crate::verdict::Issue;

impl Workspace {
    /// The structural checks (`checks`) and the precomputation, on a
    /// parsed state.
    pub(super) fn assemble(mut st: State, limits: Limits) -> Result<Workspace, GroupgateError> {
        st.seal_slugs();
        group_count(st.groups.len(), limits)?;
        let mut issues = Vec::new();
        long_ids(&st, &mut issues);
        let (by_id, id_hash, dup) = index_ids(&st, &mut issues);
        let mut ws = Workspace {
            limits,
            st,
            by_id,
            id_hash,
            ..Workspace::default()
        };
        ws.parent = link_parents(&ws, &dup, &mut issues);
        ws.level = levels(&ws, &mut issues);
        depth(&ws, limits, &mut issues);
        external_ids(&ws.st, &dup, &mut issues);
        ws.keys_of = index_keys(&ws, &dup, &mut issues);
        if !issues.is_empty() {
            return Err(GroupgateError::new(issues));
        }
        ws.precompute();
        let issues = ws.cascade_issues();
        if !issues.is_empty() {
            return Err(GroupgateError::new(issues));
        }
        Ok(ws)
    }

    /// A CASCADING state never has a descendant above an ancestor.
    fn cascade_issues(&self) -> Vec<Issue> {
        let mut issues = Vec::new();
        for i in 0..self.st.groups.len() as u32 {
            let g = &self.st.groups[i as usize];
            let p = self.parent[i as usize];
            if g.flags & DELETED != 0 || g.flags & CASCADING == 0 || p == NONE {
                continue;
            }
            // The interned own limits answer "all within bounds" without
            // walking the models; the walk below runs only to name a fault.
            if self.within_ancestors(i, p) {
                continue;
            }
            cascade_faults(self, i, p, &mut issues);
        }
        issues
    }

    /// Whether each own limit of `i` is within the bound on the path from
    /// `p` up ([`Workspace::path_bound`]): within the smallest threshold
    /// is within each, so one sorted intersection an ancestor, each search
    /// in the rest of its list (a search up the chain a limit was 5 % of
    /// reading 10,000 groups of 100 models).
    fn within_ancestors(&self, i: u32, p: u32) -> bool {
        let mut at = Some(p);
        while let Some(g) = at {
            let mut theirs = self.own.get(g);
            for &(k, t) in self.own.get(i) {
                theirs = &theirs[theirs.partition_point(|&(x, _)| x < k)..];
                if theirs.first().is_some_and(|&(x, b)| x == k && t > b) {
                    return false;
                }
            }
            at = self.parent_of(g);
        }
        true
    }
}

/// Over `max_groups`: refused before anything else is read.
pub(super) fn group_count(n: usize, limits: Limits) -> Result<(), GroupgateError> {
    match limits.over_max_groups(n, "groups") {
        None => Ok(()),
        Some(message) => Err(GroupgateError::one("/groups", "limit.groups", message)),
    }
}

/// Ids over [`MAX_ID_BYTES`] (each limit repeats its source's id). The
/// message spells the bound out: no formatting code for one number.
const _: () = assert!(MAX_ID_BYTES == 256);
fn long_ids(st: &State, issues: &mut Vec<Issue>) {
    for i in 0..st.groups.len() as u32 {
        if st.id_bytes(i).len() > MAX_ID_BYTES {
            issues.push(Issue::new(
                gp(i, "/id"),
                "max_length",
                "id is over 256 bytes, the most a Baseten group id holds",
            ));
        }
    }
}

fn gp(i: u32, rest: &str) -> String {
    format!("/groups/{i}{rest}")
}

/// The id index: groups ordered by (hash of id, id), the first of each id
/// only; `dup[i]` marks a group whose id an earlier group has. Group ids
/// are unique (deleted groups included).
pub(super) fn index_ids(st: &State, issues: &mut Vec<Issue>) -> (Vec<u32>, Vec<u64>, Vec<bool>) {
    let n = st.groups.len();
    let mut order: Vec<(u64, u32)> = (0..n as u32)
        .map(|i| (hash_bytes(st.id_bytes(i)), i))
        .collect();
    // Equal hashes: by id, then position (so the first of an id leads).
    sort_by_hash(&mut order, &mut |a, b| {
        st.id_bytes(a).cmp(st.id_bytes(b)).then(a.cmp(&b))
    });
    let mut dup = vec![false; n];
    let mut found = Vec::new();
    let (mut by_id, mut hashes) = (Vec::with_capacity(n), Vec::with_capacity(n));
    for (j, &(h, i)) in order.iter().enumerate() {
        match by_id.last() {
            Some(&first)
                if j > 0 && order[j - 1].0 == h && st.id_bytes(first) == st.id_bytes(i) =>
            {
                dup[i as usize] = true;
                found.push((
                    i,
                    Issue::new(
                        gp(i, "/id"),
                        "state.duplicate_id",
                        format!("group id {} is already used at /groups/{first}", st.id(i)),
                    ),
                ));
            }
            _ => {
                by_id.push(i);
                hashes.push(h);
            }
        }
    }
    // In state order, as a walk of the groups reports them.
    crate::sort::sort_by_key(&mut found, |x| x.0);
    issues.extend(found.into_iter().map(|x| x.1));
    (by_id, hashes, dup)
}

/// `guess`, when it is the group the id index gives for `id` (one string
/// comparison instead of a hash and a search).
fn near(ws: &Workspace, dup: &[bool], id: &str, guess: u32) -> Option<u32> {
    let g = guess as usize;
    (g < dup.len() && !dup[g] && ws.st.id_bytes(guess) == id.as_bytes()).then_some(guess)
}

/// Parent links: the parent exists, is live, has the same mode and the
/// same workspace.
pub(super) fn link_parents(ws: &Workspace, dup: &[bool], issues: &mut Vec<Issue>) -> Vec<u32> {
    let st = &ws.st;
    let mut parent = vec![NONE; st.groups.len()];
    let mut last = NONE;
    for (i, g) in st.groups.iter().enumerate() {
        let Some(pid) = st.text.opt(g.parent) else {
            continue;
        };
        if g.flags & DELETED != 0 || dup[i] {
            continue;
        }
        // The group's own id is read for a message only.
        let i = i as u32;
        // The pointer is built only when there is something to report.
        let at = || gp(i, "/hierarchy/parent_group_id");
        // Siblings are usually listed together: try the last parent first.
        let found = near(ws, dup, pid, last).or_else(|| ws.lookup(pid));
        last = found.unwrap_or(NONE);
        match found {
            None => issues.push(Issue::new(
                at(),
                "state.dangling_parent",
                format!("group {}: parent group {pid} does not exist", st.id(i)),
            )),
            Some(p) if st.groups[p as usize].flags & DELETED != 0 => issues.push(Issue::new(
                at(),
                "state.deleted_parent",
                format!(
                    "group {}: parent group {pid} is deleted (deletes are recursive)",
                    st.id(i)
                ),
            )),
            Some(p) => {
                parent[i as usize] = p;
                same_mode_and_workspace(st, i, p, pid, issues);
            }
        }
    }
    parent
}

fn same_mode_and_workspace(st: &State, i: u32, p: u32, pid: &str, issues: &mut Vec<Issue>) {
    let (g, pg) = (st.groups[i as usize], st.groups[p as usize]);
    let (mine, theirs) = (mode_name(g.flags), mode_name(pg.flags));
    if mine != theirs {
        issues.push(Issue::new(
            gp(i, "/hierarchy/limit_enforcement"),
            "state.mixed_enforcement",
            format!(
                "group {} is {} but its parent {pid} is {}; a child's mode must equal its parent's",
                st.id(i),
                mine.name(),
                theirs.name()
            ),
        ));
    }
    if let (Some(a), Some(b)) = (st.text.opt(g.ws), st.text.opt(pg.ws)) {
        if a != b {
            issues.push(Issue::new(
                gp(i, "/workspace_id"),
                "state.cross_workspace",
                format!(
                    "group {} is in workspace {a} but its parent {pid} is in workspace {}",
                    st.id(i),
                    Quoted(b)
                ),
            ));
        }
    }
}

/// Cycles, and each live group's level (a root is 1; 0 = in or under a
/// cycle, or deleted).
pub(super) fn levels(ws: &Workspace, issues: &mut Vec<Issue>) -> Vec<u32> {
    let (st, parent) = (&ws.st, &ws.parent);
    let n = st.groups.len();
    let mut level = vec![0u32; n];
    let mut mark = vec![0u8; n]; // 0 new, 1 on the current path, 2 done
    let mut path = Vec::new();
    for start in 0..n {
        if mark[start] != 0 || st.groups[start].flags & DELETED != 0 {
            continue;
        }
        path.clear();
        let mut cur = start;
        loop {
            match mark[cur] {
                2 => break,
                1 => {
                    cycle(st, &path, cur, issues);
                    break;
                }
                _ => {
                    mark[cur] = 1;
                    path.push(cur);
                    match parent[cur] {
                        NONE => break,
                        p => cur = p as usize,
                    }
                }
            }
        }
        for &x in path.iter().rev() {
            level[x] = match parent[x] {
                NONE => 1,
                p if mark[p as usize] == 2 && level[p as usize] > 0 => level[p as usize] + 1,
                _ => 0,
            };
            mark[x] = 2;
        }
    }
    level
}

fn cycle(st: &State, path: &[usize], cur: usize, issues: &mut Vec<Issue>) {
    let pos = path.iter().position(|&x| x == cur).unwrap_or(0);
    let mut names: Vec<&str> = path[pos..].iter().map(|&x| st.id(x as u32)).collect();
    names.push(st.id(cur as u32));
    // Reported at the member whose parent link closes the cycle.
    let at = path.last().copied().unwrap_or(cur) as u32;
    issues.push(Issue::new(
        gp(at, "/hierarchy/parent_group_id"),
        "state.cycle",
        format!(
            "parent links form a cycle: {} (each group's parent follows it)",
            crate::substr::join(&names, " → ")
        ),
    ));
}

/// Depth: reported once per branch, at the first level over `max_depth`.
pub(super) fn depth(ws: &Workspace, limits: Limits, issues: &mut Vec<Issue>) {
    for (i, &l) in ws.level.iter().enumerate() {
        if l as usize == limits.max_depth.saturating_add(1) {
            issues.push(Issue::new(
                gp(i as u32, "/hierarchy/parent_group_id"),
                "state.depth",
                format!(
                    "group {} is at level {l}, over the limit max_depth ({}); a root is level 1",
                    ws.st.id(i as u32),
                    limits.max_depth
                ),
            ));
        }
    }
}

/// An item's key for [`repeats`]: (workspace, text), or `None`: not checked.
type Key<'a> = Option<(Option<&'a [u8]>, &'a [u8])>;

/// For each item of `0..n` whose key (`None`: not checked) an earlier
/// item has, the first item of that key (`NONE` for the others). The
/// duplicate checks of the caller's strings: a sort by (hash, key, item),
/// not a hash table. [`hash_bytes`] is keyless, so an attacker can make a
/// run of equal hashes; a run costs a comparison sort of it, never a
/// quadratic table (SipHash in a table cost several times the sort).
fn repeats<'a>(n: usize, key: &dyn Fn(u32) -> Key<'a>) -> Vec<u32> {
    // 32 bits of hash: half the passes of the sort; equal ones are rare
    // (and then ordered by key).
    let mut order: Vec<(u64, u32)> = (0..n as u32)
        .filter_map(|i| {
            let (ws, k) = key(i)?;
            let h = hash_bytes(k) ^ ws.map_or(0, |w| hash_bytes(w).rotate_left(7));
            Some((h as u32 as u64, i))
        })
        .collect();
    sort_by_hash(&mut order, &mut |a, b| key(a).cmp(&key(b)).then(a.cmp(&b)));
    let mut first_of = vec![NONE; n];
    for run in order.chunk_by(|a, b| a.0 == b.0) {
        let mut first = run[0].1;
        for &(_, i) in &run[1..] {
            if key(first) == key(i) {
                first_of[i as usize] = first;
            } else {
                first = i;
            }
        }
    }
    first_of
}

/// `external_entity_id` is unique among the live groups of a workspace.
pub(super) fn external_ids(st: &State, dup: &[bool], issues: &mut Vec<Issue>) {
    // Deleted groups free their external id; duplicate ids are reported
    // already.
    let key = |i: u32| {
        let g = &st.groups[i as usize];
        (g.flags & DELETED == 0 && !dup[i as usize]).then(|| {
            let ws = (!g.ws.is_none()).then(|| st.text.bytes(g.ws));
            (ws, st.text.bytes(g.ext))
        })
    };
    for (i, &first) in repeats(st.groups.len(), &key).iter().enumerate() {
        if first == NONE {
            continue;
        }
        issues.push(Issue::new(
            gp(i as u32, "/metadata/external_entity_id"),
            "state.duplicate_external_entity_id",
            format!(
                "external_entity_id {} is already used by group {} (/groups/{first})",
                st.text.get(st.groups[i].ext),
                Quoted(st.id(first))
            ),
        ));
    }
}

/// Keys: unique prefixes, an existing group; each live group's keys.
pub(super) fn index_keys(
    ws: &Workspace,
    dup: &[bool],
    issues: &mut Vec<Issue>,
) -> super::store::Pool<u32> {
    let st = &ws.st;
    let key = |i: u32| Some((None, st.text.bytes(st.keys[i as usize].prefix)));
    let repeated = repeats(st.keys.len(), &key);
    let mut owner = vec![NONE; st.keys.len()];
    for (i, k) in st.keys.iter().enumerate() {
        // Read for a message only.
        let prefix = || st.text.get(k.prefix);
        if repeated[i] != NONE {
            issues.push(Issue::new(
                format!("/keys/{i}/prefix"),
                "state.duplicate_prefix",
                format!(
                    "key prefix {} is already used at /keys/{}",
                    prefix(),
                    repeated[i]
                ),
            ));
        }
        let group = st.text.get(k.group);
        // Keys are usually listed in the order of their groups.
        let guess = owner
            .get(i.wrapping_sub(1))
            .map_or(0, |&g| g.wrapping_add(1));
        let found = near(ws, dup, group, guess)
            .or_else(|| near(ws, dup, group, i as u32))
            .or_else(|| ws.lookup(group));
        match found {
            None => issues.push(Issue::new(
                format!("/keys/{i}/group_id"),
                "state.dangling_key",
                format!("key {}: group {group} does not exist", prefix()),
            )),
            // A key of a deleted group is revoked: kept, but grants nothing.
            Some(g) if st.groups[g as usize].flags & DELETED != 0 => {}
            Some(g) => owner[i] = g,
        }
    }
    group_lists(st.groups.len(), &owner)
}

/// Names every limit of CASCADING group `i` above its parent's bound.
pub(super) fn cascade_faults(ws: &Workspace, i: u32, p: u32, issues: &mut Vec<Issue>) {
    let st = &ws.st;
    for (mi, m) in st.model_recs(i).iter().enumerate() {
        let lists = [(LimitKind::Rate, m.rate), (LimitKind::Usage, m.usage)];
        for (kind, span) in lists {
            let list = st.limit_list(span).unwrap_or(&[]);
            for (li, l) in list.iter().enumerate() {
                let key = (m.slug, LimitKey::new(kind, l.limit_type, l.unit));
                let Some(b) = ws.path_bound(p, key) else {
                    continue;
                };
                if l.threshold <= b.threshold {
                    continue;
                }
                issues.push(Issue::new(
                    format!("/groups/{i}/models/{mi}/{}/{li}/threshold", kind.field()),
                    "state.cascade",
                    format!(
                        "CASCADING group {}: {} {} threshold {} is above ancestor group {}'s {}",
                        Quoted(st.id(i)),
                        st.slug(m.slug),
                        key.1.describe(),
                        l.threshold,
                        Quoted(st.id(b.source)),
                        b.threshold
                    ),
                ));
            }
        }
    }
}
