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
        crate::sort::sort(&mut own.slugs);
        own.slugs.dedup();
        crate::sort::sort_by_key(&mut own.limits, |(k, _)| *k);
        own.limits.dedup_by_key(|(k, _)| *k);
        own
    }
}

/// What a group gets: effective slugs, and for every (slug, key) set on its
/// path from the root (effective or not) the binding bound.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub(crate) struct Effective {
    pub slugs: Vec<u32>,
    pub limits: Vec<(SlugKey, Bound)>,
}

impl Effective {
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
        let hi = self.limits.partition_point(|(k, _)| k.0 <= s);
        &self.limits[lo..hi]
    }
}

/// The effective configuration of a group from its parent's and its own
/// (`me` is the group's index, the source of the bounds it sets).
pub(crate) fn inherit(parent: Option<&Effective>, own: &OwnLimits, me: u32) -> Effective {
    let mine = |t: u64| Bound {
        threshold: t,
        source: me,
    };
    let Some(p) = parent else {
        return Effective {
            slugs: own.slugs.clone(),
            limits: own.limits.iter().map(|&(k, t)| (k, mine(t))).collect(),
        };
    };
    let slugs = own
        .slugs
        .iter()
        .copied()
        .filter(|s| p.has_slug(*s))
        .collect();
    // A sorted merge of the two limit lists.
    let mut limits = Vec::with_capacity(own.limits.len() + p.limits.len());
    let (mut i, mut j) = (0, 0);
    loop {
        match (own.limits.get(i), p.limits.get(j)) {
            (Some(&(k, t)), Some(&(pk, pb))) if k == pk => {
                // Smallest wins; on a tie the nearer group (this one).
                limits.push((k, if t <= pb.threshold { mine(t) } else { pb }));
                i += 1;
                j += 1;
            }
            (Some(&(k, t)), Some(&(pk, _))) if k < pk => {
                limits.push((k, mine(t)));
                i += 1;
            }
            (Some(&(k, t)), None) => {
                limits.push((k, mine(t)));
                i += 1;
            }
            (_, Some(&(pk, pb))) => {
                limits.push((pk, pb));
                j += 1;
            }
            (None, None) => break,
        }
    }
    Effective { slugs, limits }
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
        let e = inherit(Some(&parent), &own, 7);
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
        assert_eq!(
            e.bound((1, k)),
            Some(Bound {
                threshold: 10,
                source: 0
            })
        );
        assert_eq!(
            e.bound((2, k)),
            Some(Bound {
                threshold: 3,
                source: 7
            })
        );
    }
}
