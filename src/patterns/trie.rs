//! The directory trie of the simple patterns (see [`crate::glob::Piece`])
//! in flat arrays: the form a check reads is the form a snapshot stores,
//! so a load copies five arrays and checks them in one pass, with no map
//! to fill and no key to hash.
//!
//! Every map of the trie (a node's subdirectories, its literal files, its
//! suffix buckets; the basenames) is a range of *entries* sorted by key,
//! found by binary search. An entry is four `u32`s: the key's span in
//! `text` and a value range (a node for a subdirectory, ids for a file or
//! basename, suffixes for a bucket); beside it, in an array of its own,
//! the key's first eight bytes as a number ([`prefix`]), so that the
//! search compares numbers and reads a key's text only on a tie (a
//! snapshot does not store these numbers: [`Trie::check`] computes them
//! from the keys it checks anyway). A node is ten `u32`s: five ranges.

use super::ext;
use super::hit::{narrowed_kind, Hit, SUFFIX_CHAIN, TRIE_RANGE};

/// The first eight bytes of `key` as a big-endian number, zero-padded:
/// ordering by it never contradicts ordering by the bytes (a tie needs
/// the bytes).
#[inline(always)]
pub(super) fn prefix(key: &[u8]) -> u64 {
    if let Some(&[b0, b1, b2, b3, b4, b5, b6, b7]) = key.get(..8) {
        return u64::from_be_bytes([b0, b1, b2, b3, b4, b5, b6, b7]);
    }
    // An index loop: the zip of iterators stays calls when optimized for size.
    let mut p = 0u64;
    let mut i = 0;
    while i < key.len() {
        p |= u64::from(key[i]) << (56 - 8 * i);
        i += 1;
    }
    p
}

/// A node's ranges: `[lo, hi)` pairs at these offsets of its record.
const DIRS: usize = 0;
const UNDER: usize = 2;
const FILES: usize = 4;
const CHILD: usize = 6;
const WITHIN: usize = 8;
/// `u32`s per node.
const NODE: usize = 10;

/// The trie; node 0 is the root (none when the set has no simple pattern).
#[derive(Debug, Default, Clone)]
pub(super) struct Trie {
    /// Every key and suffix, back to back.
    pub(super) text: Vec<u8>,
    /// Entries: key at, key length, value lo, value hi.
    pub(super) entries: Vec<[u32; 4]>,
    /// The [`prefix`] of each entry's key.
    pub(super) prefixes: Vec<u64>,
    /// Nodes: the entry ranges of `dirs`, `files`, `child`, `within` and
    /// the id range of `under` (see the offsets above).
    pub(super) nodes: Vec<[u32; NODE]>,
    /// Pattern ids.
    pub(super) ids: Vec<u32>,
    /// Suffixes: text at, length, pattern id; each bucket sorted by its
    /// suffixes read backwards (see [`Trie::up`]).
    pub(super) suffixes: Vec<[u32; 3]>,
    /// Per suffix, the next one of its bucket that it ends with (an equal
    /// one first, then the longest shorter one), or [`NO_LINK`]; computed,
    /// not stored in snapshots.
    pub(super) up: Vec<u32>,
    /// The entry range of `**/name` patterns, by name.
    pub(super) basename: [u32; 2],
    /// `ids` with each id range narrowed for decisions (see
    /// [`Trie::narrow`]): its kept ids first, then [`NO_LINK`]s; `None`
    /// when nothing was dropped. Computed, not stored in snapshots.
    pub(super) narrowed: Option<Vec<u32>>,
    /// Per suffix, its id and link narrowed alike: a run of equal
    /// suffixes (which match together) keeps its kept ones on the chain,
    /// the others skipped (the run's last, where walks enter, has id
    /// [`NO_LINK`] when dropped). `None` when nothing was dropped.
    pub(super) narrowed_chains: Option<(Vec<u32>, Vec<u32>)>,
}

impl Trie {
    /// Node `n`'s range at `field`.
    #[inline]
    fn range(&self, n: usize, field: usize) -> [u32; 2] {
        match self.nodes.get(n).and_then(|r| r.get(field..field + 2)) {
            Some(&[lo, hi]) => [lo, hi],
            _ => [0, 0],
        }
    }

    #[inline]
    fn key(&self, e: usize) -> &[u8] {
        match self.entries.get(e) {
            Some(&[at, len, ..]) => self.span(at, len).unwrap_or(&[]),
            _ => &[],
        }
    }

    /// The value range of `key` in the map of entries `[lo, hi)`.
    #[inline]
    fn get(&self, [mut lo, mut hi]: [u32; 2], key: &[u8]) -> Option<[u32; 2]> {
        let want = prefix(key);
        while lo < hi {
            let mid = lo + (hi - lo) / 2;
            let p = *self.prefixes.get(mid as usize)?;
            match p.cmp(&want).then_with(|| self.key(mid as usize).cmp(key)) {
                std::cmp::Ordering::Less => lo = mid + 1,
                std::cmp::Ordering::Greater => hi = mid,
                std::cmp::Ordering::Equal => {
                    let &[_, _, a, b] = self.entries.get(mid as usize)?;
                    return Some([a, b]);
                }
            }
        }
        None
    }

    #[inline]
    fn ids(&self, [lo, hi]: [u32; 2], narrowed: bool, hit: &mut impl Hit) {
        let ids = match &self.narrowed {
            Some(n) if narrowed => n,
            _ => &self.ids,
        };
        if lo >= hi || !hit.fresh([TRIE_RANGE | narrowed_kind(narrowed), lo, hi]) {
            return;
        }
        for &id in kept(ids.get(lo as usize..hi as usize).unwrap_or(&[])) {
            hit.id(id);
        }
    }

    /// Narrows the id ranges read with `narrowed` (see
    /// [`super::PatternSet::narrow`]): `keep` gets each range of two or
    /// more ids (which match exactly the same paths) and pushes the ones
    /// to keep. The ranges tile `ids` in layout order (a node's `under`,
    /// then its files, each node in turn, then the basenames); if they do
    /// not (only a crafted snapshot), none is narrowed.
    pub(super) fn narrow(&mut self, mut keep: impl FnMut(&[u32], &mut Vec<u32>)) {
        // The ranges' ends, in layout order; each must start at the last.
        let (mut starts, mut tiled) = (vec![0], true);
        let mut add = |[lo, hi]: [u32; 2]| {
            tiled &= starts.last() == Some(&lo) && hi >= lo;
            starts.push(hi);
        };
        let entries = |[a, b]: [u32; 2]| self.entries.get(a as usize..b as usize).unwrap_or(&[]);
        for n in 0..self.nodes.len() {
            add(self.range(n, UNDER));
            entries(self.range(n, FILES))
                .iter()
                .for_each(|e| add([e[2], e[3]]));
        }
        entries(self.basename)
            .iter()
            .for_each(|e| add([e[2], e[3]]));
        if !tiled {
            return;
        }
        self.narrowed = narrowed(&self.ids, &starts, &mut keep);
        self.narrow_chains(&mut keep);
    }

    /// [`Trie::narrow`] for the runs of equal suffixes of every bucket.
    /// Within a run the suffixes are alike, so the kept ids move to its
    /// first entries ([`narrowed`]); walks enter a run at its last entry,
    /// which then links straight to the last kept one.
    fn narrow_chains(&mut self, keep: &mut impl FnMut(&[u32], &mut Vec<u32>)) {
        let n = self.suffixes.len();
        // Most tries have no run: nothing to copy then (and the rest not
        // even compiled: V8 compiles a WASM function whole on its first
        // call; issue 12, cold start).
        if let Some(first) = (1..n).find(|&i| self.joins(i)) {
            self.narrow_runs(first, keep);
        }
    }

    /// Whether suffix `i` joins a run: equal texts, each linked to the one
    /// before it (lengths first: most suffixes linked so are longer).
    fn joins(&self, i: usize) -> bool {
        i > 0
            && self.up.get(i) == Some(&(i as u32 - 1))
            && self.suffixes[i - 1][1] == self.suffixes[i][1]
            && self.suffix(i as u32 - 1) == self.suffix(i as u32)
    }

    /// [`Trie::narrow_chains`] of a trie whose first run joins at `first`.
    #[inline(never)]
    fn narrow_runs(&mut self, first: usize, keep: &mut impl FnMut(&[u32], &mut Vec<u32>)) {
        let n = self.suffixes.len();
        let joins = |i: usize| self.joins(i);
        let ids: Vec<u32> = self.suffixes.iter().map(|s| s[2]).collect();
        // Where each run starts (one-suffix runs too: the runs tile).
        let mut starts: Vec<u32> = (0..first as u32).collect();
        starts.extend((first..n).filter(|&i| !joins(i)).map(|i| i as u32));
        starts.push(n as u32);
        let Some(ids) = narrowed(&ids, &starts, keep) else {
            return;
        };
        let mut up = self.up.clone();
        for w in starts.windows(2) {
            let (i, j) = (w[0] as usize, w[1] as usize);
            if ids[j - 1] == NO_LINK {
                let k = kept(&ids[i..j]).len();
                up[j - 1] = if k > 0 {
                    (i + k - 1) as u32
                } else {
                    self.up[i]
                };
            }
        }
        self.narrowed_chains = Some((ids, up));
    }

    /// Calls `hit` for every suffix of the buckets `map` that `name` ends
    /// with (the bucket of its extension, and the one of no extension).
    /// With `narrowed`, the chains [`Trie::narrow`] narrowed.
    fn suffixes(
        &self,
        map: [u32; 2],
        name: &str,
        name_ext: &str,
        narrowed: bool,
        hit: &mut impl Hit,
    ) {
        if map[0] >= map[1] {
            return;
        }
        let (ids, up) = match &self.narrowed_chains {
            Some((ids, up)) if narrowed => (Some(ids), up),
            _ => (None, &self.up),
        };
        let mut scan = |r: Option<[u32; 2]>| {
            let Some(r) = r else { return };
            let (mut e, shared) = self.last_end(r, name.as_bytes());
            // The chain's ids depend on where it starts and on how many
            // last bytes of the name it may read, nothing else.
            let key = [SUFFIX_CHAIN | narrowed_kind(narrowed), e, shared as u32];
            if e == NO_LINK || !hit.fresh(key) {
                return;
            }
            while let Some(&[_, len, id]) = self.suffixes.get(e as usize) {
                let id = ids.map_or(id, |ids| ids.get(e as usize).copied().unwrap_or(NO_LINK));
                if len as usize <= shared && id != NO_LINK {
                    hit.id(id);
                }
                // Links go back, within the bucket (see [`Trie::link`]).
                e = match up.get(e as usize) {
                    Some(&up) if up < e && up >= r[0] => up,
                    _ => NO_LINK,
                };
            }
        };
        scan(self.get(map, name_ext.as_bytes()));
        if !name_ext.is_empty() {
            scan(self.get(map, b""));
        }
    }

    /// The last suffix of the bucket `[lo, hi)` not after `name` (both
    /// read backwards, the bucket's order) and how many last bytes they
    /// share; [`NO_LINK`] when there is none. Every suffix `name` ends
    /// with is one that suffix ends with too (it would sort between them
    /// otherwise), so they are on its chain of links ([`Trie::up`]): the
    /// ones no longer than what it shares with `name`. A chain holds a
    /// suffix per length (a glob's ≤ 1 KB) besides equal ones, which all
    /// match: a check no longer reads the whole bucket (32,000
    /// `**/*aaa…xN.js` rules: 12 ms a check in the package).
    #[inline(never)]
    fn last_end(&self, [mut lo, mut hi]: [u32; 2], name: &[u8]) -> (u32, usize) {
        let first = lo;
        while lo < hi {
            let mid = lo + (hi - lo) / 2;
            if back_cmp(self.suffix(mid), name).is_gt() {
                hi = mid;
            } else {
                lo = mid + 1;
            }
        }
        if lo == first {
            return (NO_LINK, 0);
        }
        (lo - 1, back_shared(self.suffix(lo - 1), name))
    }

    /// Links the suffixes `[lo, hi)` of one bucket into `up` (see
    /// [`Trie::up`]; `up` holds [`NO_LINK`] there): in the bucket's order,
    /// the suffixes a suffix ends with come before it, and every one
    /// between them ends with them too, so they are on the chain of the
    /// one before it. Each suffix a walk passes over is one no later
    /// suffix ends with, so it is passed over once: linear in the bucket.
    #[inline(never)]
    pub(super) fn link(&self, up: &mut [u32], lo: u32, hi: u32) {
        for i in lo + 1..hi {
            let s = self.suffix(i);
            let mut top = i - 1;
            while let Some(&next) = up.get(top as usize) {
                let t = self.suffix(top);
                if back_shared(s, t) == t.len() {
                    break;
                }
                top = next;
            }
            if let Some(x) = up.get_mut(i as usize) {
                *x = top;
            }
        }
    }

    /// The text of suffix `e`.
    #[inline]
    fn suffix(&self, e: u32) -> &[u8] {
        match self.suffixes.get(e as usize) {
            Some(&[at, len, _]) => self.span(at, len).unwrap_or(&[]),
            None => &[],
        }
    }

    /// Calls `hit` with the id of every simple pattern matching the path
    /// `dirs/name`: walks its directories down the trie once.
    /// With `narrowed`, the ids [`Trie::narrow`] kept.
    pub(super) fn matches(&self, dirs: &str, name: &str, narrowed: bool, hit: &mut impl Hit) {
        let name_ext = ext(name);
        if !self.nodes.is_empty() {
            // Every directory from the root down to the parent: `dir/**`,
            // `dir/**/*suffix` and the other patterns anchored there apply.
            let mut node = Some(0);
            let mut segs = dirs.split('/').filter(|s| !s.is_empty());
            while let Some(n) = node {
                self.ids(self.range(n, UNDER), narrowed, hit);
                self.suffixes(self.range(n, WITHIN), name, name_ext, narrowed, hit);
                match segs.next() {
                    Some(seg) => {
                        node = self
                            .get(self.range(n, DIRS), seg.as_bytes())
                            .map(|r| r[0] as usize)
                    }
                    None => break,
                }
            }
            // `node` is the parent directory's node, if any pattern names it.
            if let Some(parent) = node.filter(|_| segs.next().is_none()) {
                if let Some(ids) = self.get(self.range(parent, FILES), name.as_bytes()) {
                    self.ids(ids, narrowed, hit);
                }
                self.suffixes(self.range(parent, CHILD), name, name_ext, narrowed, hit);
                // `path/**` matches `path` itself.
                if let Some([own, _]) = self.get(self.range(parent, DIRS), name.as_bytes()) {
                    self.ids(self.range(own as usize, UNDER), narrowed, hit);
                }
            }
        }
        if let Some(ids) = self.get(self.basename, name.as_bytes()) {
            self.ids(ids, narrowed, hit);
        }
    }
}

/// What an entry's value range points at.
#[derive(Clone, Copy, PartialEq)]
enum Value {
    /// A node (`[node, node + 1]`).
    Node,
    /// Pattern ids.
    Ids,
    /// Suffixes, all ending with the entry's key as their extension.
    Bucket,
}

/// Checks the arrays of a loaded trie in one pass over each, and
/// computes the key prefixes.
struct Checker<'t> {
    t: &'t Trie,
    /// The next entry and suffix a range must start at (ranges tile both
    /// arrays in layout order, so each item is checked once).
    entry: u32,
    suffix: u32,
    /// Pattern ids are below this.
    ids: u32,
    /// The prefix of each entry, filled as entries are checked.
    prefixes: Vec<u64>,
    /// The links of the suffixes, filled as buckets are checked.
    up: Vec<u32>,
}

impl Trie {
    /// The text span `[at, at + len)`, if it lies in the text.
    #[inline(always)]
    fn span(&self, at: u32, len: u32) -> Option<&[u8]> {
        let at = at as usize;
        self.text.get(at..at.checked_add(len as usize)?)
    }
}

/// The position of the first `.` in `s`. Index loops here and in
/// [`tail_is`]: `contains` and `ends_with` stay calls (to `memchr`,
/// `memcmp`) when optimized for size, and these bytes are short.
#[inline(always)]
fn dot(s: &[u8]) -> Option<usize> {
    let mut i = 0;
    while let Some(&c) = s.get(i) {
        if c == b'.' {
            return Some(i);
        }
        i += 1;
    }
    None
}

/// Does `s` end with `tail`?
#[inline(always)]
fn tail_is(s: &[u8], tail: &[u8]) -> bool {
    let Some(from) = s.len().checked_sub(tail.len()) else {
        return false;
    };
    let mut i = 0;
    while let Some(&c) = tail.get(i) {
        if s.get(from + i) != Some(&c) {
            return false;
        }
        i += 1;
    }
    true
}

/// `ids` with each range between `starts` (offsets) of two or more ids
/// narrowed by `keep` (see [`super::Narrow`]): its kept ids first, then
/// [`NO_LINK`]s (see [`kept`]); `None` when nothing was dropped. The
/// trie's id lists and the automaton's accept lists alike.
pub(super) fn narrowed(
    ids: &[u32],
    starts: &[u32],
    keep: &mut impl FnMut(&[u32], &mut Vec<u32>),
) -> Option<Vec<u32>> {
    let mut narrowed: Option<Vec<u32>> = None;
    let mut kept = Vec::new();
    // Most lists hold one id: two compares each (a pass over every state
    // of the NFA at each snapshot load).
    let mut lo = starts.first().map_or(0, |&s| s as usize);
    for &hi in starts.get(1..).unwrap_or(&[]) {
        let range = lo..hi as usize;
        lo = hi as usize;
        if range.end < range.start + 2 {
            continue;
        }
        let Some(list) = ids.get(range.clone()) else {
            continue;
        };
        kept.clear();
        keep(list, &mut kept);
        if kept.len() < list.len() {
            // Copied at the first list that drops any (most drop none).
            let n = narrowed.get_or_insert_with(|| ids.to_vec());
            let at = &mut n[range];
            at.fill(NO_LINK);
            at[..kept.len()].copy_from_slice(&kept);
        }
    }
    narrowed
}

/// A range of a [`narrowed`] list: its ids up to the first [`NO_LINK`].
#[inline]
pub(super) fn kept(list: &[u32]) -> &[u32] {
    let end = list.iter().position(|&id| id == NO_LINK);
    &list[..end.unwrap_or(list.len())]
}

/// No link (see [`Trie::up`]).
pub(super) const NO_LINK: u32 = u32::MAX;

/// `a` against `b`, both read from their last byte backwards.
pub(super) fn back_cmp(a: &[u8], b: &[u8]) -> std::cmp::Ordering {
    let n = back_shared(a, b) + 1;
    // The bytes before the shared tail; a text that ends there comes first.
    match (a.len().checked_sub(n), b.len().checked_sub(n)) {
        (Some(i), Some(j)) => a[i].cmp(&b[j]),
        (i, j) => i.is_some().cmp(&j.is_some()),
    }
}

/// How many last bytes `a` and `b` share.
fn back_shared(a: &[u8], b: &[u8]) -> usize {
    let (mut i, mut j) = (a.len(), b.len());
    while i > 0 && j > 0 && a[i - 1] == b[j - 1] {
        i -= 1;
        j -= 1;
    }
    a.len() - i
}

const OUT_OF_TEXT: &str = "a key or suffix lies outside the trie's text";
const OUT_OF_PLACE: &str = "a range of the trie is out of place";
const OTHER_EXTENSION: &str = "a suffix is filed under another extension";

impl Checker<'_> {
    /// A map: entries `[lo, hi)` from the next one, keys in strictly
    /// increasing order, each value in range.
    fn map(&mut self, [lo, hi]: [u32; 2], value: Value) -> Result<(), &'static str> {
        let t = self.t;
        if lo != self.entry || hi < lo {
            return Err(OUT_OF_PLACE);
        }
        let list = t
            .entries
            .get(lo as usize..hi as usize)
            .ok_or(OUT_OF_PLACE)?;
        let mut prev: Option<(u64, &[u8])> = None;
        let mut i = 0;
        while let Some(&[at, len, a, b]) = list.get(i) {
            i += 1;
            let key = t.span(at, len).ok_or(OUT_OF_TEXT)?;
            let p = prefix(key);
            // In order: by prefix, and by the text only on a tie.
            if prev.is_some_and(|(q, k)| q > p || (q == p && k >= key)) {
                return Err("the keys of a map are out of order or appear twice");
            }
            prev = Some((p, key));
            // By index: a push is a call in the size-optimized build.
            if let Some(x) = self.prefixes.get_mut(lo as usize + i - 1) {
                *x = p;
            }
            let ok = match value {
                Value::Node => b == a.wrapping_add(1) && (a as usize) < t.nodes.len(),
                Value::Ids => a <= b && b as usize <= t.ids.len(),
                Value::Bucket => {
                    self.bucket(key, a, b)?;
                    true
                }
            };
            if !ok {
                return Err(OUT_OF_PLACE);
            }
        }
        self.entry = hi;
        Ok(())
    }

    /// A bucket: suffixes `[lo, hi)` from the next one, each in the text,
    /// with the bucket's extension (else a check would never look there),
    /// in order (else its binary search would miss some) and a pattern id
    /// below `ids`.
    #[inline(always)]
    fn bucket(&mut self, key: &[u8], lo: u32, hi: u32) -> Result<(), &'static str> {
        let t = self.t;
        if lo != self.suffix || hi < lo {
            return Err(OUT_OF_PLACE);
        }
        let list = t
            .suffixes
            .get(lo as usize..hi as usize)
            .ok_or(OUT_OF_PLACE)?;
        // A suffix has extension `key` when it ends with `.key` (`key`
        // without a dot); the empty key when it has no dot or ends with one
        // (`*.`: the text after its last dot is empty).
        if dot(key).is_some() {
            return Err(OTHER_EXTENSION);
        }
        let mut i = 0;
        let mut prev: &[u8] = &[];
        while let Some(&[at, len, id]) = list.get(i) {
            i += 1;
            let s = t.span(at, len).ok_or(OUT_OF_TEXT)?;
            let ok = match key.len() {
                0 => dot(s).is_none() || s.last() == Some(&b'.'),
                k => s.len() > k && dot(&s[s.len() - k - 1..]) == Some(0) && tail_is(s, key),
            };
            if !ok {
                return Err(OTHER_EXTENSION);
            }
            // In the order a check's binary search reads (see `last_end`).
            if back_cmp(prev, s).is_gt() {
                return Err("the suffixes of a bucket are out of order");
            }
            prev = s;
            if id >= self.ids {
                return Err("a pattern id is out of range");
            }
        }
        t.link(&mut self.up, lo, hi);
        self.suffix = hi;
        Ok(())
    }
}

impl Trie {
    /// Checks a trie read back (entries, nodes, ids, suffixes, basename
    /// range) for pattern ids below `ids`, and computes its key prefixes:
    /// every range in its array, the entries of every map sorted (binary
    /// search finds every key), every suffix in the bucket of its
    /// extension, every entry and suffix owned by exactly one map or
    /// bucket (so each is checked once). Subdirectory links may form any
    /// graph: a walk takes one step per path segment. The error says what
    /// is wrong.
    // Out of line, so that the loop over the nodes tiers up alone (see
    // `FilePolicy::from_bytes`).
    #[inline(never)]
    pub(super) fn checked(mut self, ids: u32) -> Result<Trie, &'static str> {
        let mut c = Checker {
            t: &self,
            entry: 0,
            suffix: 0,
            ids,
            prefixes: vec![0; self.entries.len()],
            up: vec![NO_LINK; self.suffixes.len()],
        };
        let maps = [
            (DIRS, Value::Node),
            (FILES, Value::Ids),
            (CHILD, Value::Bucket),
            (WITHIN, Value::Bucket),
        ];
        for n in 0..self.nodes.len() {
            for (field, value) in maps {
                let r = self.range(n, field);
                // Most maps are empty: no call for those.
                if r != [c.entry, c.entry] {
                    c.map(r, value)?;
                }
            }
            let [lo, hi] = self.range(n, UNDER);
            if lo > hi || hi as usize > self.ids.len() {
                return Err(OUT_OF_PLACE);
            }
        }
        c.map(self.basename, Value::Ids)?;
        if c.entry as usize != self.entries.len() || c.suffix as usize != self.suffixes.len() {
            return Err(OUT_OF_PLACE);
        }
        if self.ids.iter().any(|&i| i >= ids) {
            return Err("a pattern id is out of range");
        }
        (self.prefixes, self.up) = (c.prefixes, c.up);
        Ok(self)
    }
}

#[cfg(test)]
mod tests {
    use super::super::simple::Simple;
    use super::*;
    use crate::glob::Piece;

    /// Suffixes of one bucket that end with one another, repeat, and
    /// share long tails: the chain from the binary search finds exactly
    /// the ones that match (by the pieces' meaning), in a built trie and
    /// in one read back; a bucket out of order is refused when loaded.
    #[test]
    fn suffix_chains_find_every_match() {
        let mut seed = 7u64;
        let mut rand = |n: u64| {
            seed = seed
                .wrapping_mul(6364136223846793005)
                .wrapping_add(1442695040888963407);
            (seed >> 33) % n
        };
        let word = |rand: &mut dyn FnMut(u64) -> u64| -> String {
            (0..rand(6))
                .map(|_| ["a", "b", "ab", "."][rand(4) as usize])
                .collect()
        };
        for round in 0..100 {
            let mut s = Simple::default();
            // (id, `**/` before the name, in `d`, suffix)
            let mut all = Vec::new();
            for id in 0..(1 + rand(80)) as u32 {
                let tail = [".md", ".rs", "", "a.md"][rand(4) as usize];
                let suffix = format!("{}{tail}", word(&mut rand));
                let (within, in_d) = (rand(2) == 0, rand(2) == 0);
                let dir = if in_d { "d" } else { "" }.to_string();
                let suffix2 = suffix.clone();
                let piece = if within {
                    Piece::Within {
                        dir,
                        suffix: suffix2,
                    }
                } else {
                    Piece::Child {
                        dir,
                        suffix: suffix2,
                    }
                };
                s.add(&piece, id, false);
                all.push((id, within, in_d, suffix));
            }
            let built = s.build();
            let mut loaded = built.clone();
            loaded.up.clear();
            let loaded = loaded.checked(u32::MAX).expect("a valid trie");
            assert_eq!(loaded.up, built.up);
            // A bucket in another order is refused (the binary search
            // would miss suffixes).
            let mut other = built.clone();
            let mut moved = false;
            for n in 0..other.nodes.len() {
                for field in [CHILD, WITHIN] {
                    let [lo, hi] = other.range(n, field);
                    for e in lo..hi {
                        let [_, _, a, b] = other.entries[e as usize];
                        let (a, b) = (a as usize, b as usize);
                        moved |=
                            (a + 1..b).any(|i| built.suffix(i as u32) != built.suffix(a as u32));
                        other.suffixes[a..b].reverse();
                    }
                }
            }
            assert_eq!(other.checked(u32::MAX).is_err(), moved, "round {round}");
            for _ in 0..40 {
                let name = format!("{}{}", word(&mut rand), word(&mut rand));
                for dirs in ["", "d", "d/e", "x"] {
                    let mut want: Vec<u32> = all
                        .iter()
                        .filter(|(_, within, in_d, x)| {
                            let place = match (*within, *in_d) {
                                (false, false) => dirs.is_empty(),
                                (false, true) => dirs == "d",
                                (true, false) => true,
                                (true, true) => dirs == "d" || dirs.starts_with("d/"),
                            };
                            place && name.ends_with(x.as_str())
                        })
                        .map(|&(id, ..)| id)
                        .collect();
                    want.sort_unstable();
                    for t in [&built, &loaded] {
                        let mut got = Vec::new();
                        t.matches(dirs, &name, false, &mut |id| got.push(id));
                        got.sort_unstable();
                        assert_eq!(got, want, "round {round}: {name:?} in {dirs:?}");
                    }
                }
            }
        }
    }
}
