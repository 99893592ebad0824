//! The slug table used while a state is read: slug ids by name, without a
//! `String` a slug (a million distinct slugs are 10,000 groups of 100
//! models, inside the limits) and hashing each name once. The hash is the
//! crate's maps' (`keyed`: SipHash with secret keys); the sorted index
//! (`State::slug_order`) is built once the state is read.

use std::hash::BuildHasher;

/// A slot: the hash's high half, then the id (one read tells a probe
/// whether to compare names); `EMPTY` is free.
const EMPTY: u64 = u64::MAX;

fn slot(h: u64, id: u32) -> u64 {
    (h & !0xffff_ffff) | u64::from(id)
}

#[derive(Debug, Clone, Default)]
pub(crate) struct SlugTable {
    keys: crate::keyed::Keyed,
    /// Open addressing, a power of two at least twice the ids held.
    slots: Vec<u64>,
    /// The hash of each id from `first` on (ids are dense).
    hashes: Vec<u64>,
    first: u32,
}

impl SlugTable {
    /// A table of the ids from `first` on (those below are in the sorted
    /// index: an update adds its new slugs here, then merges them there).
    pub(crate) fn from(first: u32) -> SlugTable {
        SlugTable {
            first,
            ..SlugTable::default()
        }
    }
    /// The first id this table holds.
    pub(crate) fn first(&self) -> u32 {
        self.first
    }
    pub(crate) fn hash(&self, name: &[u8]) -> u64 {
        self.keys.hash_one(name)
    }

    /// The id whose name hashes to `h` and for which `same` holds.
    pub(crate) fn find(&self, h: u64, mut same: impl FnMut(u32) -> bool) -> Option<u32> {
        if self.slots.is_empty() {
            return None;
        }
        let mask = self.slots.len() - 1;
        let mut at = h as usize & mask;
        let tag = h & !0xffff_ffff;
        loop {
            match self.slots[at] {
                EMPTY => return None,
                x if x & !0xffff_ffff == tag && same(x as u32) => return Some(x as u32),
                _ => at = (at + 1) & mask,
            }
        }
    }

    /// Adds the next id (`first` + the ids held), whose name hashes to `h`.
    pub(crate) fn insert(&mut self, h: u64) {
        self.hashes.push(h);
        if self.slots.len() < 2 * self.hashes.len() {
            let size = (4 * self.hashes.len()).next_power_of_two().max(16);
            self.slots = vec![EMPTY; size];
            for at in 0..self.hashes.len() {
                self.place(at);
            }
        } else {
            self.place(self.hashes.len() - 1);
        }
    }

    fn place(&mut self, at: usize) {
        let mask = self.slots.len() - 1;
        let h = self.hashes[at];
        let id = self.first + at as u32;
        let mut i = h as usize & mask;
        while self.slots[i] != EMPTY {
            i = (i + 1) & mask;
        }
        self.slots[i] = slot(h, id);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn finds_what_was_inserted_and_nothing_else() {
        let names: Vec<String> = (0..1000).map(|i| format!("org/m{i}")).collect();
        let mut t = SlugTable::default();
        for n in &names {
            let h = t.hash(n.as_bytes());
            assert_eq!(t.find(h, |id| names[id as usize] == *n), None);
            t.insert(h);
        }
        for (i, n) in names.iter().enumerate() {
            let h = t.hash(n.as_bytes());
            assert_eq!(t.find(h, |id| names[id as usize] == *n), Some(i as u32));
        }
        let h = t.hash(b"org/other");
        assert_eq!(t.find(h, |id| names[id as usize] == "org/other"), None);
    }
}
