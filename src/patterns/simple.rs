//! The simple patterns while a set is built, flattened into a [`Trie`] by
//! one sort.
//!
//! A tree of nodes with a hash map per field cost a handful of heap
//! allocations per pattern (a boxed key per segment looked up, a `Vec`
//! per name) and as many frees when dropped: a seventh of the
//! allocations of building 1,000 mixed rules, and allocating is dear in
//! WASM (issue 12, cold start). Here the builder keeps a few arrays:
//! directory nodes interned by (parent, segment), and one *item* per map
//! entry to write but subdirectories (an `under` id, a file's id, a
//! suffix). [`Simple::build`] sorts the items by node, field, key (a number
//! of the key's first bytes, then its bytes) and arrival, and each node's
//! subdirectories by key, which is the trie's layout ([`Trie::check`]'s
//! order): one pass writes the arrays. A subdirectory is no item: the node
//! says it all, and 2,000 globs 500 directories deep (a million nodes)
//! held 80 bytes a node in items and their sorted copy.

use std::cmp::Ordering;
use std::hash::Hasher;

use super::trie::{back_cmp, prefix, Trie, NO_LINK};
use super::{ext, Fx, FxMap};
use crate::glob::Piece;

/// The fields of a node, in the trie's layout order (its subdirectories,
/// written from the nodes, come first).
const UNDER: u8 = 1;
const FILE: u8 = 2;
const CHILD: u8 = 3;
const WITHIN: u8 = 4;

/// The node number of the `**/name` patterns' map: after every node.
const BASENAME: u32 = u32::MAX;
const NONE: u32 = u32::MAX;

/// One thing to write into the trie.
#[derive(Clone, Copy, Default)]
struct Item {
    /// node << 8 | field, then the [`prefix`] of the key: the sort order
    /// but for ties of long keys (broken by their bytes) and arrival. Two
    /// `u64`s: a `u128` shift is a library call in WASM.
    place: u64,
    prefix: u64,
    /// The key's span in `text` (a segment, a name, an extension).
    key: [u32; 2],
    /// A bucket's suffix in `text`.
    suffix: [u32; 2],
    /// A subdirectory's node, or a pattern id.
    value: u32,
}

/// The simple patterns added so far.
#[derive(Debug, Default)]
pub(super) struct Simple {
    /// Segments, names and suffixes, back to back (ASCII-lower-cased when
    /// the set folds case).
    text: Vec<u8>,
    /// Per node but the root (node 0): its parent, its segment's span in
    /// `text`, and the previous node of the same hash (or [`NONE`]).
    nodes: Vec<[u32; 4]>,
    /// Hash of (parent, segment) -> the latest node with it.
    latest: FxMap<u64, u32>,
    items: Vec<Item>,
    /// Nodes of a hash passed over for another (parent, segment): Fx is
    /// no defence against chosen collisions (16-byte names of one hash
    /// are found by the thousand a second), and 20,000 such names took
    /// 4.4 s to build in the package (100,000: minutes); counted as work.
    passed: usize,
}

impl std::fmt::Debug for Item {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "Item({:x}, {})", self.place, self.value)
    }
}

impl Simple {
    /// Room for about `n` items, `n / 2` directories and their text (a
    /// rule adds an item or two, and a directory to a few).
    pub(super) fn reserve(&mut self, n: usize) {
        self.items.reserve(n);
        self.nodes.reserve(n / 2);
        self.latest.reserve(n / 2);
        self.text.reserve(4 * n);
    }

    /// The directories added so far, three units each: a directory new
    /// to the trie costs about three automaton states to build (0.65 µs
    /// in the package, 200 bytes at its peak); and a unit per node a
    /// lookup passed over.
    pub(super) fn work(&self) -> usize {
        3 * self.nodes.len() + self.passed
    }

    /// Adds a simple piece under `id` (its literal parts ASCII-lower-cased
    /// with `fold`).
    pub(super) fn add(&mut self, piece: &Piece, id: u32, fold: bool) {
        let (dir, field, key, suffix) = match piece {
            // A byte search: `rsplit_once` and `split` run a generic
            // searcher, calls per character in V8's baseline tier.
            Piece::Exact(p) => match p.bytes().rposition(|b| b == b'/') {
                Some(i) => (&p[..i], FILE, &p[i + 1..], ""),
                None => ("", FILE, p.as_str(), ""),
            },
            Piece::Under(d) => (d.as_str(), UNDER, "", ""),
            Piece::Basename(n) => ("", FILE, n.as_str(), ""),
            Piece::Child { dir, suffix } => (dir.as_str(), CHILD, ext(suffix), suffix.as_str()),
            Piece::Within { dir, suffix } => (dir.as_str(), WITHIN, ext(suffix), suffix.as_str()),
            Piece::Glob(_) => return,
        };
        let node = match piece {
            Piece::Basename(_) => BASENAME,
            _ => self.node(dir, fold),
        };
        let suffix = self.push(suffix.as_bytes(), fold);
        // The extension is the suffix's end: no copy of its own.
        let key = match field {
            CHILD | WITHIN => [suffix[0] + suffix[1] - key.len() as u32, key.len() as u32],
            _ => self.push(key.as_bytes(), fold),
        };
        self.item(node, field, key, suffix, id);
    }

    fn item(&mut self, node: u32, field: u8, key: [u32; 2], suffix: [u32; 2], value: u32) {
        let prefix = prefix(self.span(key));
        self.items.push(Item {
            place: u64::from(node) << 8 | u64::from(field),
            prefix,
            key,
            suffix,
            value,
        });
    }

    /// Node `c`'s segment (its span in `text`).
    fn node_key(&self, c: u32) -> [u32; 2] {
        match self.nodes.get((c as usize).wrapping_sub(1)) {
            Some(&[_, at, len, _]) => [at, len],
            None => [0, 0],
        }
    }

    fn span(&self, [at, len]: [u32; 2]) -> &[u8] {
        &self.text[at as usize..(at + len) as usize]
    }

    /// Appends `bytes` (folded with `fold`) to the text: their span.
    fn push(&mut self, bytes: &[u8], fold: bool) -> [u32; 2] {
        let at = self.text.len();
        self.text.extend_from_slice(bytes);
        if fold {
            self.text[at..].make_ascii_lowercase();
        }
        [at as u32, bytes.len() as u32]
    }

    /// The node of `dir` (a relative path), made on the way as needed.
    fn node(&mut self, dir: &str, fold: bool) -> u32 {
        if dir.is_empty() {
            return 0;
        }
        let b = dir.as_bytes();
        let (mut node, mut start) = (0, 0);
        // `0..len + 1`, not `0..=len`: an inclusive range's `next` stays a
        // call in size-optimized builds, one per byte of every rule's
        // directory in a cold build's baseline code (issue 12).
        for i in 0..b.len() + 1 {
            if b.get(i).is_none_or(|&c| c == b'/') {
                node = self.child(node, &b[start..i], fold);
                start = i + 1;
            }
        }
        node
    }

    /// The subdirectory `seg` of `parent`, made if new.
    fn child(&mut self, parent: u32, seg: &[u8], fold: bool) -> u32 {
        let span = self.push(seg, fold);
        let mut h = Fx::default();
        h.write_u32(parent);
        h.write(self.span(span));
        let hash = h.finish();
        let latest = self.latest.get(&hash).copied().unwrap_or(NONE);
        let mut n = latest;
        while let Some(&[p, at, len, prev]) = self.nodes.get(n.wrapping_sub(1) as usize) {
            if p == parent && self.span([at, len]) == self.span(span) {
                // Known: its segment is in the text already.
                self.text.truncate(span[0] as usize);
                return n;
            }
            self.passed += 1;
            n = prev;
        }
        self.nodes.push([parent, span[0], span[1], latest]);
        let n = self.nodes.len() as u32;
        self.latest.insert(hash, n);
        n
    }

    /// The trie of the pieces added.
    pub(super) fn build(mut self) -> Trie {
        // Its room serves the sorted items and the trie: 2,000 globs 500
        // directories deep (2 MB) took 212 MB of WASM memory, 160 MB so,
        // 137 MB with subdirectories written from the nodes (no item, no
        // sorted copy: 80 bytes a node fewer).
        self.latest = FxMap::default();
        let items = self.sorted();
        let subdirs = self.subdirs();
        let mut t = Trie::default();
        // At most an entry, an id or a suffix per item, an entry per
        // subdirectory, and their text.
        t.entries.reserve(items.len() + self.nodes.len());
        t.prefixes.reserve(items.len() + self.nodes.len());
        t.ids.reserve(items.len());
        t.suffixes.reserve(items.len());
        t.text.reserve(self.text.len());
        t.nodes.reserve(self.nodes.len() + 1);
        let mut w = Writer {
            s: &self,
            t,
            items: &items,
            i: 0,
            subdirs: &subdirs,
        };
        if !items.is_empty() {
            for n in 0..=self.nodes.len() as u32 {
                w.node(n);
            }
        }
        w.t.basename = w.map(BASENAME, FILE);
        w.t.up.resize(w.t.suffixes.len(), NO_LINK);
        w.t
    }

    /// Each node's subdirectories in the trie's order, by key (their
    /// [`prefix`], then their bytes): node `p`'s are
    /// `order[at[p]..at[p + 1]]` (a counting sort by parent, 8 bytes a
    /// node; segments of one parent are distinct, so the key decides).
    #[inline(never)]
    fn subdirs(&self) -> Subdirs {
        let n = self.nodes.len();
        // `at[p]` counts `p`'s, then (summed) ends them; `at[n + 1]`, none
        // of a parent (a node's children come after it), ends them all.
        let mut at = vec![0u32; n + 2];
        for &[parent, ..] in &self.nodes {
            at[parent as usize] += 1;
        }
        for i in 1..at.len() {
            at[i] += at[i - 1];
        }
        // Filled from the back, in node order: `at[p]` moves down to the
        // start of `p`'s.
        let mut order = vec![0u32; n];
        for (i, &[parent, ..]) in self.nodes.iter().enumerate().rev() {
            let k = &mut at[parent as usize];
            *k -= 1;
            order[*k as usize] = i as u32 + 1;
        }
        // A group of several is sorted as items (of one place), by the
        // items' sort: numbers compared first, a key's bytes only on a tie.
        let (mut keyed, mut buf): (Vec<Item>, Vec<Item>) = (Vec::new(), Vec::new());
        for w in at.windows(2) {
            let group = &mut order[w[0] as usize..w[1] as usize];
            if group.len() < 2 {
                continue;
            }
            buf.resize(buf.len().max(group.len()), Item::default());
            keyed.clear();
            for &c in group.iter() {
                let key = self.node_key(c);
                let prefix = prefix(self.span(key));
                keyed.push(Item {
                    prefix,
                    key,
                    value: c,
                    ..Item::default()
                });
            }
            self.merge_sort(&mut keyed, &mut buf);
            for (k, g) in group.iter_mut().enumerate() {
                *g = keyed.get(k).map_or(*g, |it| it.value);
            }
        }
        Subdirs { at, order }
    }

    /// The items in the trie's order: by node (a counting sort, in
    /// arrival order), then each node's by field and key, stably (ids in
    /// the order they were added). A node has a few items: one sort of
    /// them all compared twice as many pairs, each a 48-byte move.
    // Out of line, like the passes of `Growing::freeze` (V8 compiles a
    // hot loop's function whole).
    #[inline(never)]
    fn sorted(&mut self) -> Vec<Item> {
        let items = std::mem::take(&mut self.items);
        let Some(&fill) = items.first() else {
            return items;
        };
        // Node numbers, the `**/name` map last.
        let last = self.nodes.len() + 1;
        let slot = |it: &Item| ((it.place >> 8) as usize).min(last);
        let mut at = vec![0u32; last + 2];
        let a = &mut at[..];
        for it in &items {
            a[slot(it) + 1] += 1;
        }
        for i in 1..a.len() {
            a[i] += a[i - 1];
        }
        let mut out = vec![fill; items.len()];
        let o = &mut out[..];
        let mut next = a.to_vec();
        for it in &items {
            let k = &mut next[slot(it)];
            o[*k as usize] = *it;
            *k += 1;
        }
        drop(items);
        let widest = a.windows(2).map(|w| w[1] - w[0]).max().unwrap_or(0);
        let mut buf = vec![fill; widest as usize];
        for w in a.windows(2) {
            let group = &mut o[w[0] as usize..w[1] as usize];
            if group.len() > 1 {
                self.merge_sort(group, &mut buf);
            }
        }
        out
    }

    /// Sorts `v` by [`Simple::after`], stably: runs merged pairwise
    /// through `buf` (at least as long), bottom up.
    /// The crate's sort heapsorts positions through a `dyn` compare above
    /// 20 items: the directories of one node (a thousand rules under
    /// `src/`) made it most of the cost of flattening the trie.
    fn merge_sort(&self, v: &mut [Item], buf: &mut [Item]) {
        let n = v.len();
        let buf = &mut buf[..n];
        // An even number of passes ends in `v`: with an odd one, the
        // first pass goes from a copy.
        let mut width = 1;
        let mut in_v = n.next_power_of_two().trailing_zeros() & 1 == 0;
        if !in_v {
            buf.copy_from_slice(v);
        }
        while width < n {
            if in_v {
                self.merge_runs(v, buf, width);
            } else {
                self.merge_runs(buf, v, width);
            }
            in_v = !in_v;
            width *= 2;
        }
    }

    /// Merges each pair of sorted runs of `width` of `src` into `dst`.
    fn merge_runs(&self, src: &[Item], dst: &mut [Item], width: usize) {
        let n = src.len();
        let mut lo = 0;
        while lo < n {
            let mid = (lo + width).min(n);
            let hi = (lo + 2 * width).min(n);
            let (mut i, mut j) = (lo, mid);
            for d in &mut dst[lo..hi] {
                // The left run's item on a tie: stable.
                let left = j >= hi || (i < mid && !self.after(&src[i], &src[j]));
                if left {
                    *d = src[i];
                    i += 1;
                } else {
                    *d = src[j];
                    j += 1;
                }
            }
            lo = hi;
        }
    }

    /// Does `a` go after `b`? By place, key prefix, key bytes, then a
    /// bucket's suffixes read backwards (the order a check's binary search
    /// reads, see [`Trie::up`]).
    fn after(&self, a: &Item, b: &Item) -> bool {
        // Numbers first (a tuple's `cmp` stays calls when optimized for size).
        if a.place != b.place {
            return a.place > b.place;
        }
        if a.prefix != b.prefix {
            return a.prefix > b.prefix;
        }
        let by_suffix = || back_cmp(self.span(a.suffix), self.span(b.suffix));
        self.span(a.key).cmp(self.span(b.key)).then_with(by_suffix) == Ordering::Greater
    }
}

/// Each node's subdirectories, sorted (see [`Simple::subdirs`]).
struct Subdirs {
    at: Vec<u32>,
    order: Vec<u32>,
}

/// Writes the sorted items into the trie's arrays.
struct Writer<'a> {
    s: &'a Simple,
    t: Trie,
    items: &'a [Item],
    /// The next item to write.
    i: usize,
    subdirs: &'a Subdirs,
}

impl Writer<'_> {
    /// The next item, if it belongs to `node`'s `field`.
    #[inline(always)]
    fn next(&self, node: u32, field: u8) -> Option<Item> {
        let it = *self.items.get(self.i)?;
        (it.place == u64::from(node) << 8 | u64::from(field)).then_some(it)
    }

    fn node(&mut self, n: u32) {
        let [d0, d1] = self.dirs(n);
        let u0 = self.t.ids.len() as u32;
        while let Some(it) = self.next(n, UNDER) {
            self.t.ids.push(it.value);
            self.i += 1;
        }
        let u1 = self.t.ids.len() as u32;
        let [f0, f1] = self.map(n, FILE);
        let [c0, c1] = self.map(n, CHILD);
        let [w0, w1] = self.map(n, WITHIN);
        self.t.nodes.push([d0, d1, u0, u1, f0, f1, c0, c1, w0, w1]);
    }

    /// The entries of `node`'s subdirectories; their range.
    fn dirs(&mut self, node: u32) -> [u32; 2] {
        let lo = self.t.entries.len() as u32;
        let at = &self.subdirs.at;
        let (from, to) = match at.get(node as usize..node as usize + 2) {
            Some(&[from, to]) => (from as usize, to as usize),
            _ => (0, 0),
        };
        for &c in self.subdirs.order.get(from..to).unwrap_or_default() {
            self.entry(self.s.node_key(c), [c, c + 1]);
        }
        [lo, self.t.entries.len() as u32]
    }

    /// Writes an entry: its key (a span of the builder's text) and value.
    fn entry(&mut self, key: [u32; 2], [a, b]: [u32; 2]) {
        let key = self.s.span(key);
        let at = self.t.text.len() as u32;
        self.t.text.extend_from_slice(key);
        self.t.prefixes.push(prefix(key));
        self.t.entries.push([at, key.len() as u32, a, b]);
    }

    /// The entries of `node`'s `field` (a map), items of one key as one
    /// entry; their range.
    fn map(&mut self, node: u32, field: u8) -> [u32; 2] {
        let lo = self.t.entries.len() as u32;
        while let Some(first) = self.next(node, field) {
            let value = self.values(node, field, first);
            self.entry(first.key, value);
        }
        [lo, self.t.entries.len() as u32]
    }

    /// The values of the items of `first`'s key: ids of a file (their
    /// range in `ids`) or suffixes of a bucket (in `suffixes`).
    fn values(&mut self, node: u32, field: u8, first: Item) -> [u32; 2] {
        let key = self.s.span(first.key);
        let lo = match field {
            FILE => self.t.ids.len(),
            _ => self.t.suffixes.len(),
        } as u32;
        while let Some(it) = self.next(node, field) {
            if it.prefix != first.prefix || self.s.span(it.key) != key {
                break;
            }
            self.i += 1;
            if field == FILE {
                self.t.ids.push(it.value);
            } else {
                let s = self.s.span(it.suffix);
                let at = self.t.text.len() as u32;
                self.t.text.extend_from_slice(s);
                self.t.suffixes.push([at, s.len() as u32, it.value]);
            }
        }
        let hi = match field {
            FILE => self.t.ids.len(),
            _ => self.t.suffixes.len(),
        } as u32;
        // A bucket of one suffix has no links (`build` fills them in).
        if field != FILE && hi - lo > 1 {
            let mut up = std::mem::take(&mut self.t.up);
            up.resize(self.t.suffixes.len(), NO_LINK);
            self.t.link(&mut up, lo, hi);
            self.t.up = up;
        }
        [lo, hi]
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Many items per node and field, keys repeated and sharing their
    /// first eight bytes: in the order of a stable sort by node, field,
    /// key and suffix read backwards (ids of one suffix as added).
    #[test]
    fn items_sort_stably() {
        let mut s = Simple::default();
        for i in 0..300u32 {
            let dir = ["d", "d/e", "f"][i as usize % 3];
            let name = format!("longname{}", (i * 37) % 23);
            s.add(&Piece::Exact(format!("{dir}/{name}/x")), i, false);
            s.add(&Piece::Exact(format!("{dir}/{name}")), i, false);
            let ext = ["md", "rs", "longext0", "longext1"][i as usize % 4];
            let suffix = format!("{}.{ext}", i % 5);
            s.add(
                &Piece::Child {
                    dir: dir.into(),
                    suffix,
                },
                i,
                false,
            );
        }
        let mut want = s.items.clone();
        let key = |it: &Item| {
            let back: Vec<u8> = s.span(it.suffix).iter().rev().copied().collect();
            (it.place, s.span(it.key).to_vec(), back)
        };
        want.sort_by_key(key);
        let got = s.sorted();
        assert_eq!(got.len(), want.len());
        for (g, w) in got.iter().zip(&want) {
            assert_eq!((g.place, g.key, g.value), (w.place, w.key, w.value));
        }
    }

    /// A node's subdirectories (no items: written from the nodes) come out
    /// in the trie's order, by key bytes, whatever the order they were
    /// made in; keys sharing their first eight bytes, or a prefix of one
    /// another, included. Each names its own node.
    #[test]
    fn subdirectories_are_written_in_key_order() {
        let mut s = Simple::default();
        let names: Vec<String> = (0..300u32)
            .map(|i| match (i * 7919) % 300 % 4 {
                0 => format!("longname{}", (i * 37) % 300),
                1 => format!("longnam{}", i % 10),
                2 => format!("d{i}"),
                _ => "longname".repeat(1 + (i as usize % 3)),
            })
            .collect();
        for (i, name) in names.iter().enumerate() {
            s.add(&Piece::Exact(format!("top/{name}/x")), i as u32, false);
            s.add(&Piece::Exact(format!("{name}/y")), i as u32, false);
        }
        let t = s.build();
        let key = |e: usize| {
            let [at, len, ..] = t.entries[e];
            t.text[at as usize..(at + len) as usize].to_vec()
        };
        let dirs = |n: usize| t.nodes[n][0] as usize..t.nodes[n][1] as usize;
        let mut want: Vec<Vec<u8>> = names.iter().map(|n| n.as_bytes().to_vec()).collect();
        want.push(b"top".to_vec());
        want.sort();
        want.dedup();
        let root: Vec<Vec<u8>> = dirs(0).map(key).collect();
        assert_eq!(root, want);
        let top = dirs(0)
            .find(|&e| key(e) == b"top")
            .map(|e| t.entries[e][2])
            .unwrap();
        let under_top: Vec<Vec<u8>> = dirs(top as usize).map(key).collect();
        want.retain(|k| k != b"top");
        assert_eq!(under_top, want);
        for e in dirs(0)
            .chain(dirs(top as usize))
            .filter(|&e| key(e) != b"top")
        {
            let [_, _, child, end] = t.entries[e];
            assert_eq!(end, child + 1);
            // Each subdirectory holds its own file (`x` or `y`).
            let files = t.nodes[child as usize][4]..t.nodes[child as usize][5];
            assert_eq!(files.len(), 1, "{:?}", String::from_utf8_lossy(&key(e)));
        }
    }
}
