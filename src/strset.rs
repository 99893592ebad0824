//! The crate's set of borrowed strings: a `HashMap<&str, usize>` with unused
//! values, not a `HashSet<&str>`. The map is a table type the crate already
//! instantiates (positions by id in the dialects and readers); a
//! `HashSet<&str>` was one more copy of hashbrown's generic code in the WASM
//! (its own rehash, insert and probe: about 1 KB raw).

use crate::keyed::HashMap;

/// A set of `&str` (see the module docs).
#[derive(Debug, Default)]
pub(crate) struct StrSet<'a>(HashMap<&'a str, usize>);

impl<'a> StrSet<'a> {
    /// An empty set.
    pub(crate) fn new() -> Self {
        Self(HashMap::default())
    }

    /// An empty set with room for `n` strings.
    pub(crate) fn with_capacity(n: usize) -> Self {
        Self(crate::keyed::with_capacity(n))
    }

    /// Adds `s`; `true` when it was not there yet (as `HashSet::insert`).
    pub(crate) fn insert(&mut self, s: &'a str) -> bool {
        self.0.insert(s, 0).is_none()
    }
}

#[cfg(test)]
mod tests {
    use super::StrSet;

    #[test]
    fn insert_answers_whether_the_string_is_new() {
        let mut s = StrSet::with_capacity(2);
        assert!(s.insert("a"));
        assert!(s.insert("b"));
        assert!(!s.insert("a"));
        let mut t = StrSet::new();
        assert!(t.insert(""));
        assert!(!t.insert(""));
    }
}
