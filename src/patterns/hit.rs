//! Where a matcher puts the ids it finds.

/// What receives the ids of the patterns matching a path. A closure
/// `FnMut(u32)` takes them one at a time. A caller that reads many paths
/// against one set and needs each id only once (lint marking the rules that
/// match some file) also says, per list of ids that always match together
/// (a trie list, a suffix chain, an NFA state's accepts), whether to read it:
/// such a list has the same ids at every path, so once read it can be
/// skipped, and 10,000 globs that all match every file cost a lookup a
/// file, not 10,000 ids.
pub trait Hit {
    /// One id.
    fn id(&mut self, id: u32);

    /// Whether to read the list `key` names (its ids depend on the key
    /// alone, for the life of the set). Always, unless overridden.
    #[inline(always)]
    fn fresh(&mut self, _key: ListKey) -> bool {
        true
    }
}

impl<F: FnMut(u32)> Hit for F {
    #[inline(always)]
    fn id(&mut self, id: u32) {
        self(id)
    }
}

/// Names a list of ids: its kind (with whether it was read narrowed) and
/// two numbers that fix its ids within the set.
pub type ListKey = [u32; 3];

/// The kinds of [`ListKey`]; a narrowed read adds [`NARROWED`].
pub(super) const TRIE_RANGE: u32 = 0;
pub(super) const SUFFIX_CHAIN: u32 = 1;
pub(super) const NFA_ACCEPTS: u32 = 2;
/// A DFA state's accepts: its state and its cache's generation (see
/// `Cache::answer_all`), read unnarrowed.
pub(super) const DFA_ACCEPTS: u32 = 3;
pub(super) const NARROWED: u32 = 4;

/// [`NARROWED`] for a narrowed read, else nothing.
#[inline(always)]
pub(super) fn narrowed_kind(narrowed: bool) -> u32 {
    if narrowed {
        NARROWED
    } else {
        0
    }
}
