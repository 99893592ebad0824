//! Identical globs of a policy share one compiled id: canonical text -> id.
//!
//! The text is hashed with [`Fx`] (a kilobyte glob hashes in 128 steps;
//! SipHash took about a sixth of building a policy of such globs in WASM).
//! Fx is no defence against chosen collisions, so flooding is bounded
//! instead: the ids of one hash form a chain, and a lookup compares at
//! most [`CHAIN`] of them, past which the glob gets a fresh id. Sharing
//! only saves work (a decision takes the earliest matching rule, whatever
//! the ids), so a glob that misses its twin still decides the same.

use std::hash::Hasher;

use super::texts::Texts;
use crate::patterns::{same, Fx, FxMap};

/// The most earlier texts one lookup compares.
const CHAIN: usize = 8;
const NONE: u32 = u32::MAX;

#[derive(Default)]
pub(super) struct Dedupe {
    /// Hash -> the latest id with it.
    latest: FxMap<u64, u32>,
    /// Per id: the previous id with the same hash (or [`NONE`]), and the
    /// span of its text in the policy's [`Texts`] (the text is stored
    /// there once, not here again).
    ids: Vec<(u32, u32)>,
}

impl Dedupe {
    /// The number of ids given.
    pub(super) fn len(&self) -> usize {
        self.ids.len()
    }

    /// Room for `n` more ids: the map is not grown glob by glob (each
    /// growth rehashes every id so far).
    pub(super) fn reserve(&mut self, n: usize) {
        self.latest.reserve(n);
        self.ids.reserve(n);
    }

    /// The id of `canonical` with the span of an earlier pattern of that
    /// text, or `None`: a new text, whose id is [`Dedupe::add`]'s.
    pub(super) fn find(&self, canonical: &str, texts: &Texts) -> Twin {
        let mut h = Fx::default();
        h.write(canonical.as_bytes());
        self.find_hashed(canonical, h.finish(), texts)
    }

    fn find_hashed(&self, canonical: &str, hash: u64, texts: &Texts) -> Twin {
        let mut id = self.latest.get(&hash).copied().unwrap_or(NONE);
        for _ in 0..CHAIN {
            let Some(&(prev, span)) = self.ids.get(id as usize) else {
                break;
            };
            let earlier = texts.pat(span).map_or("", |p| p.canonical);
            if same(earlier.as_bytes(), canonical.as_bytes()) {
                return Twin::Old { id, span };
            }
            id = prev;
        }
        Twin::New { hash }
    }

    /// A new id for the text of `span` (hashed by [`Dedupe::find`]).
    pub(super) fn add(&mut self, hash: u64, span: u32) -> u32 {
        let id = self.ids.len() as u32;
        let head = self.latest.insert(hash, id).unwrap_or(NONE);
        self.ids.push((head, span));
        id
    }
}

/// What [`Dedupe::find`] found: the twin of a text, or none.
pub(super) enum Twin {
    /// An earlier glob of this canonical text: its id and its text's span.
    Old { id: u32, span: u32 },
    /// None: the text's hash, for [`Dedupe::add`].
    New { hash: u64 },
}

#[cfg(test)]
mod tests {
    use super::super::texts::Pat;
    use super::*;

    /// Finds `t` or adds it (as the build does), with its text in `texts`.
    fn id(d: &mut Dedupe, texts: &mut Texts, t: &str, hash: Option<u64>) -> (u32, bool) {
        let found = match hash {
            Some(h) => d.find_hashed(t, h, texts),
            None => d.find(t, texts),
        };
        match found {
            Twin::Old { id, .. } => (id, false),
            Twin::New { hash } => {
                let span = texts.add(Pat {
                    source: t,
                    canonical: t,
                });
                (d.add(hash, span), true)
            }
        }
    }

    #[test]
    fn equal_texts_share_an_id_and_others_do_not() {
        let (mut d, mut t) = (Dedupe::default(), Texts::default());
        assert_eq!(id(&mut d, &mut t, "a/**", None), (0, true));
        assert_eq!(id(&mut d, &mut t, "b/*", None), (1, true));
        assert_eq!(id(&mut d, &mut t, "a/**", None), (0, false));
        assert_eq!(id(&mut d, &mut t, "", None), (2, true));
        assert_eq!(id(&mut d, &mut t, "", None), (2, false));
        assert_eq!(d.len(), 3);
    }

    /// Texts of one hash (forced here, as an attacker would choose
    /// them) cost at most CHAIN comparisons each; an old text past that
    /// gets a fresh id (sharing lost), never the id of another text.
    #[test]
    fn a_long_chain_is_cut_not_walked() {
        let (mut d, mut t) = (Dedupe::default(), Texts::default());
        let texts: Vec<String> = (0..3 * CHAIN).map(|i| format!("t{i}")).collect();
        for (i, s) in texts.iter().enumerate() {
            assert_eq!(id(&mut d, &mut t, s, Some(7)), (i as u32, true));
        }
        let last = texts.len() as u32 - 1;
        assert_eq!(
            id(&mut d, &mut t, &texts[last as usize], Some(7)),
            (last, false)
        );
        let (new_id, new) = id(&mut d, &mut t, &texts[0], Some(7));
        assert!(new && new_id == last + 1, "{new_id} {new}");
        let span = d.ids[new_id as usize].1;
        assert_eq!(t.pat(span).unwrap().canonical, texts[0]);
    }
}
