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

use crate::patterns::{Fx, FxMap};

/// The most earlier texts one lookup compares.
const CHAIN: usize = 8;
const NONE: u32 = u32::MAX;

#[derive(Default)]
pub(super) struct Dedupe {
    /// Hash -> the latest id with it.
    latest: FxMap<u64, u32>,
    /// Per id: the previous id with the same hash (or [`NONE`]).
    prev: Vec<u32>,
    /// Every id's text, back to back (one allocation for all of them).
    text: String,
    /// Id `i`'s text is `text[at[i]..at[i + 1]]`.
    at: Vec<u32>,
}

impl Dedupe {
    /// The number of ids given.
    pub(super) fn len(&self) -> usize {
        self.prev.len()
    }

    fn text(&self, id: u32) -> &str {
        let (a, b) = (self.at[id as usize], self.at[id as usize + 1]);
        &self.text[a as usize..b as usize]
    }

    /// The id of `canonical`, and whether it is new.
    pub(super) fn id(&mut self, canonical: &str) -> (u32, bool) {
        let mut h = Fx::default();
        h.write(canonical.as_bytes());
        self.id_hashed(canonical, h.finish())
    }

    fn id_hashed(&mut self, canonical: &str, hash: u64) -> (u32, bool) {
        let head = self.latest.get(&hash).copied().unwrap_or(NONE);
        let mut id = head;
        for _ in 0..CHAIN {
            if id == NONE {
                break;
            }
            if self.text(id) == canonical {
                return (id, false);
            }
            id = self.prev[id as usize];
        }
        let id = self.prev.len() as u32;
        self.prev.push(head);
        self.latest.insert(hash, id);
        if self.at.is_empty() {
            self.at.push(0);
        }
        self.text.push_str(canonical);
        self.at.push(self.text.len() as u32);
        (id, true)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn equal_texts_share_an_id_and_others_do_not() {
        let mut d = Dedupe::default();
        assert_eq!(d.id("a/**"), (0, true));
        assert_eq!(d.id("b/*"), (1, true));
        assert_eq!(d.id("a/**"), (0, false));
        assert_eq!(d.id(""), (2, true));
        assert_eq!(d.id(""), (2, false));
        assert_eq!(d.len(), 3);
    }

    /// Texts of one hash (forced here, as an attacker would choose
    /// them) cost at most CHAIN comparisons each; an old text past that
    /// gets a fresh id (sharing lost), never the id of another text.
    #[test]
    fn a_long_chain_is_cut_not_walked() {
        let mut d = Dedupe::default();
        let texts: Vec<String> = (0..3 * CHAIN).map(|i| format!("t{i}")).collect();
        for (i, t) in texts.iter().enumerate() {
            assert_eq!(d.id_hashed(t, 7), (i as u32, true));
        }
        let last = texts.len() as u32 - 1;
        assert_eq!(d.id_hashed(&texts[last as usize], 7), (last, false));
        let (id, new) = d.id_hashed(&texts[0], 7);
        assert!(new && id == last + 1, "{id} {new}");
        assert_eq!(d.text(id), texts[0]);
    }
}
