//! Inheritance: a group's effective models from its parent's and its own.
//!
//! Slugs are interned (`u32`) and limit keys packed ([`LimitKey`]), so the
//! per-group work is a merge of two small sorted vectors ([`inherit`]).
//! Rules (README, Baseten): effective slugs are the group's own slugs that
//! its parent has effectively; for each (slug, kind, type, unit) the smallest
//! threshold on the path from the root binds, a tie going to the nearer group.

use super::model::{LimitKind, LimitType, LimitUnit, ModelConfig};

/// A limit key (kind, type, unit) packed in a byte; ordering = output order.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub(crate) struct LimitKey(u8);

impl LimitKey {
    pub(crate) fn new(kind: LimitKind, t: LimitType, u: LimitUnit) -> LimitKey {
        LimitKey(((kind as u8) << 3) | ((t as u8) << 2) | u as u8)
    }
    pub(crate) fn kind(self) -> LimitKind {
        if self.0 >> 3 == 0 {
            LimitKind::Rate
        } else {
            LimitKind::Usage
        }
    }
    pub(crate) fn limit_type(self) -> LimitType {
        if (self.0 >> 2) & 1 == 0 {
            LimitType::Token
        } else {
            LimitType::Request
        }
    }
    pub(crate) fn unit(self) -> LimitUnit {
        match self.0 & 3 {
            0 => LimitUnit::Second,
            1 => LimitUnit::Minute,
            _ => LimitUnit::Day,
        }
    }
    /// The packed byte (a snapshot stores it).
    pub(crate) fn byte(self) -> u8 {
        self.0
    }
    /// A packed byte back, if it names a kind, type and unit.
    pub(crate) fn from_byte(b: u8) -> Option<LimitKey> {
        (b >> 4 == 0 && b & 3 != 3).then_some(LimitKey(b))
    }
    /// "TOKEN/MINUTE rate limit"
    pub(crate) fn describe(self) -> String {
        format!(
            "{}/{} {} limit",
            self.limit_type().name(),
            self.unit().name(),
            self.kind().name()
        )
    }
}

/// The index used for a group that does not exist yet (a create preview).
pub(crate) const NEW_GROUP: u32 = u32::MAX;

pub(crate) type SlugKey = (u32, LimitKey);

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) struct Bound {
    pub threshold: u64,
    pub source: u32,
}

/// A group's own configuration, interned and sorted.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub(crate) struct OwnLimits {
    pub(super) slugs: Vec<u32>,
    pub(super) limits: Vec<(SlugKey, u64)>,
}

impl OwnLimits {
    pub(crate) fn build(models: &[ModelConfig], mut id: impl FnMut(&str) -> u32) -> OwnLimits {
        let mut own = OwnLimits::default();
        for m in models {
            let s = id(&m.slug);
            own.slugs.push(s);
            for (kind, _, l) in m.limits() {
                own.limits
                    .push(((s, LimitKey::new(kind, l.limit_type, l.unit)), l.threshold));
            }
        }
        own.finish();
        own
    }
    /// Sorts and dedups what was pushed.
    pub(crate) fn finish(&mut self) {
        // Slug ids are given in order of first use, so a state's lists are
        // often sorted already: checking costs a pass, sorting 100 items
        // many (10,000 groups of 100 models spent 10% of a build here).
        // Strictly increasing: sorted, and nothing to drop.
        if !self.slugs.is_sorted_by(|a, b| a < b) {
            crate::sort::sort(&mut self.slugs);
            self.slugs.dedup();
        }
        if !self.limits.is_sorted_by(|a, b| a.0 < b.0) {
            crate::sort::sort_by_key(&mut self.limits, |(k, _)| *k);
            self.limits.dedup_by_key(|(k, _)| *k);
        }
    }
    pub(crate) fn view(&self) -> OwnRef<'_> {
        OwnRef {
            slugs: &self.slugs,
            limits: &self.limits,
        }
    }
}

/// A group's own configuration, read in place.
#[derive(Debug, Clone, Copy)]
pub(crate) struct OwnRef<'a> {
    pub slugs: &'a [u32],
    pub limits: &'a [(SlugKey, u64)],
}

/// What a group gets: effective slugs, and for every (slug, key) of an
/// effective slug set on its path from the root the binding bound.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub(crate) struct Effective {
    pub slugs: Vec<u32>,
    pub limits: Vec<(SlugKey, Bound)>,
}

impl Effective {
    pub(crate) fn view(&self) -> EffRef<'_> {
        EffRef {
            slugs: &self.slugs,
            limits: &self.limits,
        }
    }
}

/// An effective configuration read in place (a workspace's pools, or an
/// [`Effective`] of a preview).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) struct EffRef<'a> {
    pub slugs: &'a [u32],
    pub limits: &'a [(SlugKey, Bound)],
}

impl EffRef<'_> {
    #[cfg(test)]
    pub(crate) fn bound(&self, key: SlugKey) -> Option<Bound> {
        self.limits
            .binary_search_by_key(&key, |(k, _)| *k)
            .ok()
            .map(|i| self.limits[i].1)
    }
    pub(crate) fn has_slug(&self, s: u32) -> bool {
        self.slugs.binary_search(&s).is_ok()
    }
    /// The bounds of one slug (a contiguous run of the sorted list).
    pub(super) fn bounds_of(&self, s: u32) -> &[(SlugKey, Bound)] {
        let lo = self.limits.partition_point(|(k, _)| k.0 < s);
        let hi = self.limits.partition_point(|(k, _)| k.0 <= s).max(lo);
        &self.limits[lo..hi]
    }
}

/// The effective configuration of a group from its parent's and its own
/// (`me` is the group's index, the source of the bounds it sets).
pub(crate) fn inherit(parent: Option<EffRef>, own: OwnRef, me: u32) -> Effective {
    let mut out = Effective::default();
    inherit_into(parent, own, me, &mut out);
    out
}

/// [`inherit`] into `out` (cleared first; its buffers are reused).
///
/// Only the bounds of effective slugs are kept: a descendant's effective
/// slugs are among this group's, so no answer reads the others, and
/// keeping them made every child hold a copy of its ancestors' limits (a
/// root of 10,000 models over 9,999 children: 100 million entries, an
/// out-of-memory trap). The cascade checks, which do compare against an
/// ancestor's limit on a slug that is not effective, read the chain of own
/// limits instead ([`super::Workspace::path_bound`]). The work is per
/// effective slug (a binary search in the parent's list), never per entry
/// of the parent's.
pub(crate) fn inherit_into(parent: Option<EffRef>, own: OwnRef, me: u32, out: &mut Effective) {
    let mine = |t: u64| Bound {
        threshold: t,
        source: me,
    };
    out.slugs.clear();
    out.limits.clear();
    let Some(p) = parent else {
        out.slugs.extend_from_slice(own.slugs);
        out.limits
            .extend(own.limits.iter().map(|&(k, t)| (k, mine(t))));
        return;
    };
    out.slugs
        .extend(own.slugs.iter().copied().filter(|s| p.has_slug(*s)));
    let mut rest = own.limits;
    for &s in &out.slugs {
        // `own.limits` is sorted by slug like `out.slugs`: take s's run.
        let skip = rest.partition_point(|(k, _)| k.0 < s);
        let run = rest[skip..].partition_point(|(k, _)| k.0 == s);
        let (mine_of_s, after) = rest[skip..].split_at(run);
        rest = after;
        merge(mine_of_s, p.bounds_of(s), me, &mut out.limits);
    }
}

/// A sorted merge of one slug's own limits and its parent's bounds: the
/// smallest threshold wins, a tie the nearer group (this one, `me`).
fn merge(
    own: &[(SlugKey, u64)],
    parent: &[(SlugKey, Bound)],
    me: u32,
    out: &mut Vec<(SlugKey, Bound)>,
) {
    let mine = |t: u64| Bound {
        threshold: t,
        source: me,
    };
    let (mut i, mut j) = (0, 0);
    loop {
        match (own.get(i), parent.get(j)) {
            (Some(&(k, t)), Some(&(pk, pb))) if k == pk => {
                out.push((k, if t <= pb.threshold { mine(t) } else { pb }));
                i += 1;
                j += 1;
            }
            (Some(&(k, t)), Some(&(pk, _))) if k < pk => {
                out.push((k, mine(t)));
                i += 1;
            }
            (Some(&(k, t)), None) => {
                out.push((k, mine(t)));
                i += 1;
            }
            (_, Some(&(pk, pb))) => {
                out.push((pk, pb));
                j += 1;
            }
            (None, None) => break,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn limit_keys_round_trip() {
        for kind in [LimitKind::Rate, LimitKind::Usage] {
            for t in [LimitType::Token, LimitType::Request] {
                for u in [LimitUnit::Second, LimitUnit::Minute, LimitUnit::Day] {
                    let k = LimitKey::new(kind, t, u);
                    assert_eq!((k.kind(), k.limit_type(), k.unit()), (kind, t, u));
                }
            }
        }
    }
    #[test]
    fn smallest_threshold_wins_and_ties_go_to_the_nearest_group() {
        let k = LimitKey::new(LimitKind::Rate, LimitType::Token, LimitUnit::Minute);
        let parent = Effective {
            slugs: vec![0, 1],
            limits: vec![
                (
                    (0, k),
                    Bound {
                        threshold: 10,
                        source: 0,
                    },
                ),
                (
                    (1, k),
                    Bound {
                        threshold: 10,
                        source: 0,
                    },
                ),
            ],
        };
        let own = OwnLimits {
            slugs: vec![0, 2],
            limits: vec![((0, k), 10), ((2, k), 3)],
        };
        let e = inherit(Some(parent.view()), own.view(), 7);
        let e = e.view();
        assert_eq!(
            e.slugs,
            [0],
            "slug 2 is not the parent's, slug 1 not the child's"
        );
        assert_eq!(
            e.bound((0, k)),
            Some(Bound {
                threshold: 10,
                source: 7
            })
        );
        // Slugs that are not effective keep no bounds: no descendant can
        // have them effectively (the cascade checks read the own limits).
        assert_eq!(e.bound((1, k)), None);
        assert_eq!(e.bound((2, k)), None);
    }
}
