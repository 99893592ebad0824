//! For each compiled glob of a policy, the rule patterns it stands for
//! (identical patterns share one glob): one flat list with a start offset
//! per glob, so a loaded snapshot holds two arrays, not a list per glob.

use crate::patterns::FxMap;

/// Where a compiled glob comes from: pattern `pattern` of rule `rule`.
#[derive(Debug, Clone, Copy)]
pub(super) struct Source {
    pub(super) rule: u32,
    pub(super) pattern: u32,
}

/// Glob id -> its sources, in the order they were added.
#[derive(Debug, Clone, Default)]
pub(super) struct Sources {
    /// Sources of glob `i` are `list[start[i]..start[i + 1]]`;
    /// `start.len()` is the number of globs + 1.
    start: Vec<u32>,
    list: Vec<Source>,
    /// The sources a decision reads, when fewer than `list` (see
    /// [`Sources::deciding`]): offsets and list as above.
    deciding: Option<(Vec<u32>, Vec<Source>)>,
}

/// A rule's group and what else a decision reads of it: its effect and
/// actions as one number below 32 (see [`Sources::index`]).
pub(super) type Key = (u32, u32);

impl Sources {
    /// From `(glob id, source)` pairs for globs below `globs` (a counting
    /// sort: the sources of each glob keep their order), indexed by `key`
    /// (see [`Sources::index`]).
    pub(super) fn from_pairs(
        globs: usize,
        pairs: &[(u32, Source)],
        key: impl Fn(u32) -> Option<Key>,
        dominated: impl Fn(Source) -> bool,
    ) -> Sources {
        let mut start = vec![0u32; globs + 1];
        for &(id, _) in pairs {
            start[id as usize + 1] += 1;
        }
        for i in 0..globs {
            start[i + 1] += start[i];
        }
        let mut at = start.clone();
        let mut list = vec![
            Source {
                rule: 0,
                pattern: 0
            };
            pairs.len()
        ];
        for &(id, s) in pairs {
            list[at[id as usize] as usize] = s;
            at[id as usize] += 1;
        }
        Sources {
            start,
            list,
            deciding: None,
        }
        .index(key, dominated)
    }

    /// Finds the sources a decision reads: of a glob's sources from rules
    /// of one group with one effect and the same actions, only the first
    /// (`key` gives a rule's group and those as a number below 32). Every
    /// later one matches exactly when the first does and comes after it,
    /// so it can neither decide nor be the rule an explanation names. A
    /// glob's sources can be any number (`"**,**,…"`: 21,845 in one 64 KB
    /// `patterns` string, and as many in each rule), and a check read them
    /// all: 50 such rules (3 MB) took 33 ms a check, and `validate
    /// ("gorules")` of them over 100 files 4.5 s. Now a glob holds at most
    /// 32 per group for a check. `list` stays whole for lint, which names
    /// every rule a file matches. Nor does a decision read a source
    /// `dominated` by an earlier pattern of its rule that matches whenever
    /// it does (`Texts::dominated`).
    fn index(
        mut self,
        key: impl Fn(u32) -> Option<Key>,
        dominated: impl Fn(Source) -> bool,
    ) -> Sources {
        let mut start = Vec::new();
        let mut list = Vec::new();
        let mut dropped = false;
        for w in self.start.windows(2) {
            start.push(list.len() as u32);
            let (mut group, mut seen) = (u32::MAX, 0u32);
            for &s in self.list.get(w[0] as usize..w[1] as usize).unwrap_or(&[]) {
                if let Some((g, k)) = key(s.rule) {
                    if g != group {
                        (group, seen) = (g, 0);
                    }
                    let bit = 1u32 << (k % 32);
                    if seen & bit != 0 || dominated(s) {
                        seen |= bit;
                        dropped = true;
                        continue;
                    }
                    seen |= bit;
                }
                list.push(s);
            }
        }
        start.push(list.len() as u32);
        // Most policies drop nothing: no second list then.
        self.deciding = dropped.then_some((start, list));
        self
    }

    /// The sources of glob `id` a decision reads (see [`Sources::index`]).
    #[inline]
    pub(super) fn deciding(&self, id: u32) -> &[Source] {
        let (start, list) = self.deciding_parts();
        slice(start, list, id)
    }

    /// The offsets and list [`Sources::deciding`] reads.
    fn deciding_parts(&self) -> (&[u32], &[Source]) {
        match &self.deciding {
            Some((start, list)) => (start, list),
            None => (&self.start, &self.list),
        }
    }

    /// The sources of glob `id` (none for an id out of range).
    #[inline]
    pub(super) fn of(&self, id: u32) -> &[Source] {
        slice(&self.start, &self.list, id)
    }

    /// The number of globs.
    pub(super) fn len(&self) -> usize {
        self.start.len().saturating_sub(1)
    }

    /// The offsets and the flat list, for snapshots.
    pub(super) fn parts(&self) -> (&[u32], &[Source]) {
        (&self.start, &self.list)
    }

    /// From parts read back from a snapshot: `start` must begin at 0, never
    /// decrease and end at the list's length; indexed by `key` (see
    /// [`Sources::index`]).
    pub(super) fn from_parts(
        start: Vec<u32>,
        list: Vec<Source>,
        key: impl Fn(u32) -> Option<Key>,
        dominated: impl Fn(Source) -> bool,
    ) -> Option<Sources> {
        let ok = start.first() == Some(&0)
            && start.windows(2).all(|w| w[0] <= w[1])
            && start.last().map(|&e| e as usize) == Some(list.len());
        ok.then(|| {
            Sources {
                start,
                list,
                deciding: None,
            }
            .index(key, dominated)
        })
    }
}

/// Of globs that always match together (`ids`: the ones a state of the
/// automaton accepts), pushes to `out` those a decision reads: per `key`
/// of a source (group, effect and actions), the glob with the earliest
/// such source (by rule, then pattern). A decision takes, per action, the
/// earliest deny and allow of the member's groups: a source of a dropped
/// glob has an earlier one of its key among the kept, which matches
/// whenever it does, so it can neither decide nor be named. Distinct globs
/// that all match (`{**,0}`, `{**,1}`, …: 500,000 in a 5.9 MB policy) made
/// every check read each: 25 ms a check. A glob of more than [`BY_GROUP`]
/// sources is kept unread (keeping more never changes a decision): a
/// check reads of it only the member's groups ([`by_group`]), and reading
/// every one here, at a state's first answer and for any member, cost
/// more than the checks (4 globs in 100,000 rules of distinct groups and
/// kinds: 11-19 ms the first check in the package). At most [`BY_GROUP`]
/// sources read per id.
pub(super) fn narrowest(
    sources: &Sources,
    ids: &[u32],
    key: impl Fn(u32) -> Option<Key>,
    out: &mut Vec<u32>,
) {
    // Key -> index in `best` of (rule, pattern, glob): its earliest
    // source so far (a map of `u32`s, as the automaton's: one map type in
    // the WASM). The rule of the last source and its key's index are kept
    // aside: such lists run through a rule's globs (2,000 in a 60 KB
    // string), and a first check narrowing 500,000 took 10 ms in WASM.
    let mut at: FxMap<u64, u32> = FxMap::default();
    let mut best: Vec<(u32, u32, u32)> = Vec::new();
    let (mut rule, mut i) = (u32::MAX, 0);
    let (start, list) = sources.deciding_parts();
    for &id in ids {
        let list = slice(start, list, id);
        if list.len() > BY_GROUP {
            out.push(id);
            continue;
        }
        for s in list {
            if s.rule != rule {
                let Some((g, k)) = key(s.rule) else {
                    // Not a rule of this policy: kept, as without narrowing.
                    out.push(id);
                    rule = u32::MAX;
                    continue;
                };
                let k = u64::from(g) << 32 | u64::from(k);
                i = match at.get(&k) {
                    Some(&i) => i as usize,
                    None => {
                        at.insert(k, best.len() as u32);
                        best.push((u32::MAX, u32::MAX, id));
                        best.len() - 1
                    }
                };
                rule = s.rule;
            }
            if let Some(b) = best.get_mut(i) {
                if (s.rule, s.pattern) < (b.0, b.1) {
                    *b = (s.rule, s.pattern, id);
                }
            }
        }
    }
    out.extend(best.iter().map(|&(_, _, id)| id));
    crate::sort::sort_unstable(out);
    out.dedup();
}

/// The sources of glob `id` in `list` by the offsets `start` (none for an
/// id out of range).
#[inline]
fn slice<'a>(start: &[u32], list: &'a [Source], id: u32) -> &'a [Source] {
    let i = id as usize;
    match (start.get(i), start.get(i + 1)) {
        (Some(&a), Some(&b)) => list.get(a as usize..b as usize).unwrap_or(&[]),
        _ => &[],
    }
}

/// A glob standing for more rules than this, and more than this many times
/// the member's groups, has the sources of the member's groups looked up
/// rather than every source read.
const BY_GROUP: usize = 32;

/// Whether a glob stands for so many rules (the same pattern in many
/// groups: `**` allowed in each of 10,000 groups) that looking up the
/// groups a member holds (`held`, counted only for such a glob) in its
/// sources costs less than reading them all (a check took 18 µs at 10,000
/// groups).
pub(super) fn by_group(held: impl FnOnce() -> usize, list: &[Source]) -> bool {
    list.len() > BY_GROUP && held() * BY_GROUP < list.len()
}

/// The globs of many sources a check has read. One glob can stand in up to
/// 16 lists of the trie that all match a path (`{,a/,a/a/,a/a/a/}{**,**/*x,
/// **/*ax,**/*aax}` and `a/a/a/aax`: four `dir/**` ranges, twelve suffix
/// runs), and a check read its sources once per list: for a member of
/// all 3,333 groups of 100,000 rules (distinct groups and kinds) holding
/// two such globs, 19-22 ms every check in the package. A glob of at most
/// [`BY_GROUP`] sources is read again rather than looked up.
#[derive(Default)]
pub(super) struct ReadOnce(FxMap<u64, u32>);

impl ReadOnce {
    /// Whether to read glob `id`, whose sources are `list`: not if it has
    /// many and was read.
    pub(super) fn first(&mut self, id: u32, list: &[Source]) -> bool {
        list.len() <= BY_GROUP || self.0.insert(u64::from(id), 0).is_none()
    }
}

/// The sources of `list` from rules of `group`, `group_of` giving a rule's
/// group: a glob's sources are in rule order and rules in group order (a
/// crafted snapshot out of that order answers as its arrays say, without
/// failing, as any re-sealed bytes may).
pub(super) fn of_group(
    list: &[Source],
    group: u32,
    group_of: impl Fn(u32) -> Option<u32>,
) -> &[Source] {
    // The first source from a rule of `g` or a later group.
    let first_of = |g: u32| {
        let (mut lo, mut hi) = (0, list.len());
        while lo < hi {
            let mid = lo + (hi - lo) / 2;
            if group_of(list[mid].rule).unwrap_or(u32::MAX) < g {
                lo = mid + 1;
            } else {
                hi = mid;
            }
        }
        lo
    };
    let (lo, hi) = (first_of(group), first_of(group.saturating_add(1)));
    list.get(lo..hi).unwrap_or(&[])
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A decision reads the first source of each (group, effect and
    /// actions) of a glob, in order; lint still reads them all.
    #[test]
    fn a_decision_reads_one_source_per_group_and_kind() {
        // Rules 0..6: (group, key).
        let keys = [(0, 2), (0, 2), (0, 3), (1, 2), (1, 2), (0, 2), (1, 4)];
        let key = |rule: u32| keys.get(rule as usize).copied();
        let src = |rule, pattern| Source { rule, pattern };
        let pairs = [
            (0, src(0, 0)),
            (0, src(0, 1)),
            (0, src(1, 0)),
            (0, src(2, 0)),
            (0, src(3, 0)),
            (0, src(4, 0)),
            (0, src(6, 0)),
            (1, src(5, 0)),
            (1, src(6, 0)),
        ];
        let s = Sources::from_pairs(2, &pairs, key, |_| false);
        let got = |l: &[Source]| l.iter().map(|s| (s.rule, s.pattern)).collect::<Vec<_>>();
        assert_eq!(got(s.deciding(0)), [(0, 0), (2, 0), (3, 0), (6, 0)]);
        assert_eq!(got(s.deciding(1)), [(5, 0), (6, 0)]);
        assert_eq!(s.of(0).len(), 7);
        assert!(s.deciding(2).is_empty());
        // Nothing to drop: no second list.
        let once = Sources::from_pairs(2, &pairs[..1], key, |_| false);
        assert!(once.deciding.is_none());
        assert_eq!(got(once.deciding(0)), [(0, 0)]);
        let (start, list) = s.parts();
        let back = Sources::from_parts(start.to_vec(), list.to_vec(), key, |_| false).unwrap();
        assert_eq!(got(back.deciding(0)), got(s.deciding(0)));
    }
}
