//! For each compiled glob of a policy, the rule patterns it stands for
//! (identical patterns share one glob): one flat list with a start offset
//! per glob, so a loaded snapshot holds two arrays, not a list per glob.

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
}

impl Sources {
    /// From `(glob id, source)` pairs for globs below `globs` (a counting
    /// sort: the sources of each glob keep their order).
    pub(super) fn from_pairs(globs: usize, pairs: &[(u32, Source)]) -> Sources {
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
        Sources { start, list }
    }

    /// The sources of glob `id` (none for an id out of range).
    #[inline]
    pub(super) fn of(&self, id: u32) -> &[Source] {
        let i = id as usize;
        match (self.start.get(i), self.start.get(i + 1)) {
            (Some(&a), Some(&b)) => self.list.get(a as usize..b as usize).unwrap_or(&[]),
            _ => &[],
        }
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
    /// decrease and end at the list's length.
    pub(super) fn from_parts(start: Vec<u32>, list: Vec<Source>) -> Option<Sources> {
        let ok = start.first() == Some(&0)
            && start.windows(2).all(|w| w[0] <= w[1])
            && start.last().map(|&e| e as usize) == Some(list.len());
        ok.then_some(Sources { start, list })
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
