//! The NFA's states while it is built, in a few shared arrays.
//!
//! A built policy can hold millions of states, most of them links of a
//! chain (a glob's literal text: one edge each, no epsilon edge, no
//! accepted id). A state of three `Vec`s cost 72 bytes and a heap
//! allocation for its one edge, and an edge held its 32-byte set (issue
//! #11: 1,000 distinct 1 KB globs peaked at +246 MB). Here a state is 20
//! bytes: its first edge inline, as (set index, target), and the heads of
//! three lists (more edges, epsilon edges, accepted ids) whose nodes live
//! in one array each. Byte sets are interned, so an edge is two `u32`s.

use super::flat::{ByteSet, Flat};
use super::{order, FxMap};

/// No list node: the end of a list.
const NONE: u32 = u32::MAX;
/// The list heads of a state: more edges, epsilon edges, accepted ids.
const EDGES: usize = 0;
const EPS: usize = 1;
const ACCEPT: usize = 2;

/// Per byte, the index plus one of the set of just that byte (0: none
/// yet).
#[derive(Debug, Clone)]
struct ByteSets([u32; 256]);

impl Default for ByteSets {
    fn default() -> Self {
        ByteSets([0; 256])
    }
}

#[derive(Debug, Clone, Default)]
pub(super) struct Growing {
    /// Per state, its first edge (set, target); target 0: none (no edge
    /// leads to the start).
    first: Vec<[u32; 2]>,
    /// Per state, the newest node of each of its lists.
    heads: Vec<[u32; 3]>,
    /// Edges after the first: (set, target, next node).
    edges: Vec<[u32; 3]>,
    /// Epsilon edges and accepted ids: (value, next node).
    eps: Vec<[u32; 2]>,
    accept: Vec<[u32; 2]>,
    /// The distinct byte sets, and each one's index.
    sets: Vec<ByteSet>,
    set_ids: FxMap<ByteSet, u32>,
    /// The sets of one byte.
    byte_sets: ByteSets,
    /// The indexes plus one (0: not yet) of every byte but `/` and of
    /// every byte.
    anys: [u32; 2],
    /// The set [`Growing::set`] gave last, and its index plus one (0: no
    /// set yet).
    last: (ByteSet, u32),
}

impl Growing {
    /// The start state alone.
    pub(super) fn new() -> Growing {
        let mut g = Growing {
            ..Growing::default()
        };
        g.fresh();
        g
    }

    /// Room for `states` more states and `lists` more nodes of each list
    /// (reserved once rather than grown by doubling: each growth copies
    /// every state, and the copies are most of the memory a cold build
    /// touches; issue 12).
    pub(super) fn reserve(&mut self, states: usize, lists: usize) {
        self.first.reserve(states);
        self.heads.reserve(states);
        self.edges.reserve(lists);
        self.eps.reserve(lists);
        self.accept.reserve(lists);
    }

    /// The number of states.
    pub(super) fn len(&self) -> usize {
        self.first.len()
    }

    /// The number of epsilon edges.
    pub(super) fn eps_len(&self) -> usize {
        self.eps.len()
    }

    pub(super) fn fresh(&mut self) -> u32 {
        self.first.push([0, 0]);
        self.heads.push([NONE; 3]);
        (self.first.len() - 1) as u32
    }

    /// A chain of new states from `from` (which has no edge), one per
    /// byte of `text` (ASCII-lower-cased with `fold`): the last. What a
    /// step per byte builds, in one go (states made in bulk: a glob's own
    /// text is most of the states of a policy).
    pub(super) fn chain(&mut self, from: u32, text: &[u8], fold: bool) -> u32 {
        let n = self.first.len();
        self.first.resize(n + text.len(), [0, 0]);
        self.heads.resize(n + text.len(), [NONE; 3]);
        let mut at = from as usize;
        for (i, &b) in text.iter().enumerate() {
            let set = self.byte(if fold { b.to_ascii_lowercase() } else { b });
            self.first[at] = [set, (n + i) as u32];
            at = n + i;
        }
        at as u32
    }

    /// The index of `set` (interned on first use).
    pub(super) fn set(&mut self, set: ByteSet) -> u32 {
        // A run of one class asks for the same set at each token: a
        // compare, not a 32-byte hash.
        let (last, i) = self.last;
        if i != 0 && last == set {
            return i - 1;
        }
        let i = match set.single() {
            Some(b) => self.byte(b),
            None => self.intern(set),
        };
        self.last = (set, i + 1);
        i
    }

    /// The index of every byte (`slash`) or of every byte but `/`: the
    /// sets of `*` and `**`, asked at each (no 32-byte compare or hash).
    pub(super) fn any(&mut self, slash: bool) -> u32 {
        let k = usize::from(slash);
        if self.anys[k] == 0 {
            let set = if slash {
                ByteSet::ALL
            } else {
                ByteSet::not_slash()
            };
            self.anys[k] = self.intern(set) + 1;
        }
        self.anys[k] - 1
    }

    /// The index of the set of just `b`.
    #[inline(always)]
    pub(super) fn byte(&mut self, b: u8) -> u32 {
        // An array indexed by a byte: no bounds check, and no call but
        // for a byte's first use (a call per byte of text was a fifth of
        // walking a glob in V8's baseline tier, which inlines nothing).
        match self.byte_sets.0[usize::from(b)] {
            0 => self.new_byte(b),
            i => i - 1,
        }
    }

    #[cold]
    #[inline(never)]
    fn new_byte(&mut self, b: u8) -> u32 {
        let i = self.intern(ByteSet::byte(b));
        self.byte_sets.0[usize::from(b)] = i + 1;
        i
    }

    fn intern(&mut self, set: ByteSet) -> u32 {
        let sets = &mut self.sets;
        *self.set_ids.entry(set).or_insert_with(|| {
            sets.push(set);
            sets.len() as u32 - 1
        })
    }

    /// The first edge of `s`, as (set, target); target 0: none.
    #[inline]
    pub(super) fn first(&self, s: u32) -> [u32; 2] {
        // `get`, not a `Vec`'s `Index`: that stays a call when optimized
        // for size, at every step of the builder.
        self.first.get(s as usize).copied().unwrap_or_default()
    }

    /// Has `s` more edges than its first?
    #[inline]
    pub(super) fn more(&self, s: u32) -> bool {
        self.heads.get(s as usize).is_some_and(|h| h[EDGES] != NONE)
    }

    /// The target of `s`'s edge of `set` among the first `few` edges after
    /// its first (newest first); else how many it has after its first, or
    /// `few + 1` when more.
    pub(super) fn find_edge(&self, s: u32, set: u32, few: usize) -> Result<u32, usize> {
        let edges = &self.edges[..];
        let mut at = self.heads.get(s as usize).map_or(NONE, |h| h[EDGES]);
        let mut n = 0;
        while let Some(&[es, to, next]) = edges.get(at as usize) {
            if n == few {
                return Err(few + 1);
            }
            if es == set {
                return Ok(to);
            }
            n += 1;
            at = next;
        }
        Err(n)
    }

    /// Every consuming edge of `s` as (set, target), in `out`.
    pub(super) fn edges_of(&self, s: u32, out: &mut Vec<[u32; 2]>) {
        let [fs, ft] = self.first(s);
        if ft != 0 {
            out.push([fs, ft]);
        }
        let mut at = self.heads.get(s as usize).map_or(NONE, |h| h[EDGES]);
        while let Some(&[es, to, next]) = self.edges.get(at as usize) {
            out.push([es, to]);
            at = next;
        }
    }

    pub(super) fn push_edge(&mut self, s: u32, set: u32, to: u32) {
        let first = &mut self.first[s as usize];
        if first[1] == 0 {
            *first = [set, to];
            return;
        }
        let head = &mut self.heads[s as usize][EDGES];
        self.edges.push([set, to, *head]);
        *head = (self.edges.len() - 1) as u32;
    }

    pub(super) fn push_eps(&mut self, s: u32, to: u32) {
        let head = &mut self.heads[s as usize][EPS];
        self.eps.push([to, *head]);
        *head = (self.eps.len() - 1) as u32;
    }

    /// Adds `id` to what `s` accepts, unless it was the last added.
    pub(super) fn push_accept(&mut self, s: u32, id: u32) {
        let head = &mut self.heads[s as usize][ACCEPT];
        if *head != NONE && self.accept[*head as usize][0] == id {
            return;
        }
        self.accept.push([id, *head]);
        *head = (self.accept.len() - 1) as u32;
    }

    /// The flat arrays with the states numbered by [`order::numbers`]
    /// (shared prefixes consecutive), straight from the lists: each
    /// state's edges, epsilon edges and ids in the order they were added,
    /// each list written to its new place (lists are newest first:
    /// written from their end). Byte sets keep the indexes they were
    /// interned with. Freezing, then renumbering a flat copy, walked
    /// every list twice more and built a third copy (issue 12, cold
    /// start). Each kind of list is freed once copied: the peak is the
    /// lists plus the copy of one kind, as when freezing alone.
    pub(super) fn freeze(self) -> Flat {
        let new = order::numbers(self.parents());
        let new = &new[..];
        let Growing {
            first,
            heads,
            edges,
            eps,
            accept,
            sets,
            ..
        } = self;
        // Edges first: the largest lists, and the first edges go with them.
        let (edges_at, edges) = edge_lists(first, &heads, edges, new);
        let (eps_at, eps) = pairs(&heads, EPS, eps, new, Some(new));
        let (accept_at, accept) = pairs(&heads, ACCEPT, accept, new, None);
        Flat {
            eps_at,
            eps,
            edges_at,
            edges,
            sets,
            accept_at,
            accept,
        }
    }

    /// Each state's parent (see [`order`]): the lowest-numbered state
    /// with an edge to it (or `NONE`).
    // Each pass of freezing apart, out of line: V8's optimizing tier
    // compiles a function with a hot loop whole, in the background, and
    // the freeze inlined was the largest such compile of a cold build
    // (5 KB of body, 15-20 ms of CPU; issue 12).
    #[inline(never)]
    fn parents(&self) -> Vec<u32> {
        let n = self.len();
        let mut parent = vec![NONE; n];
        // Slices, not `Vec`s, indexed: a `Vec`'s `Index` stays a call
        // when optimized for size (here and below).
        let (p, edges, eps) = (&mut parent[..], &self.edges[..], &self.eps[..]);
        for (s, (&[_, ft], &[e, x, _])) in self.first.iter().zip(&self.heads).enumerate() {
            // An edge to a later state without a parent yet: `s` is it.
            let mut see = |t: u32| {
                if let Some(q) = p
                    .get_mut(t as usize)
                    .filter(|q| t as usize > s && **q == NONE)
                {
                    *q = s as u32;
                }
            };
            if ft != 0 {
                see(ft);
            }
            let mut at = e;
            while let Some(&[_, to, next]) = edges.get(at as usize) {
                see(to);
                at = next;
            }
            let mut at = x;
            while let Some(&[to, next]) = eps.get(at as usize) {
                see(to);
                at = next;
            }
        }
        parent
    }
}

/// The lists `k` of (value, next) `nodes` at the states' new numbers
/// `new`, oldest first, values through `map` (states) or as they are
/// (ids): their offsets and values.
#[inline(never)]
fn pairs(
    heads: &[[u32; 3]],
    k: usize,
    nodes: Vec<[u32; 2]>,
    new: &[u32],
    map: Option<&[u32]>,
) -> (Vec<u32>, Vec<u32>) {
    let mut at = vec![0u32; heads.len() + 1];
    let (a, nodes) = (&mut at[..], &nodes[..]);
    for (h, &x) in heads.iter().zip(new) {
        // Most states have no list of either kind: left at 0.
        let (mut len, mut i) = (0, h[k]);
        if i == NONE {
            continue;
        }
        while let Some(&[_, next]) = nodes.get(i as usize) {
            len += 1;
            i = next;
        }
        a[x as usize + 1] = len;
    }
    sums(a);
    let mut out = vec![0u32; nodes.len()];
    let o = &mut out[..];
    for (h, &x) in heads.iter().zip(new) {
        let mut i = h[k];
        if i == NONE {
            continue;
        }
        let mut end = a[x as usize + 1] as usize;
        while let Some(&[v, next]) = nodes.get(i as usize) {
            end -= 1;
            o[end] = map.map_or(v, |m| m[v as usize]);
            i = next;
        }
    }
    (at, out)
}

/// The consuming edges (first edges, then the lists) at the states' new
/// numbers, targets renumbered: their offsets and (set, target) pairs.
#[inline(never)]
fn edge_lists(
    first: Vec<[u32; 2]>,
    heads: &[[u32; 3]],
    nodes: Vec<[u32; 3]>,
    new: &[u32],
) -> (Vec<u32>, Vec<[u32; 2]>) {
    let mut at = vec![0u32; heads.len() + 1];
    let (a, nodes) = (&mut at[..], &nodes[..]);
    let mut total = nodes.len();
    for ((h, f), &x) in heads.iter().zip(&first).zip(new) {
        let (mut len, mut i) = (u32::from(f[1] != 0), h[EDGES]);
        while let Some(&[_, _, next]) = nodes.get(i as usize) {
            len += 1;
            i = next;
        }
        total += usize::from(f[1] != 0);
        a[x as usize + 1] = len;
    }
    sums(a);
    let mut out = vec![[0u32; 2]; total];
    let o = &mut out[..];
    for ((h, &[fs, ft]), &x) in heads.iter().zip(&first).zip(new) {
        if ft != 0 {
            o[a[x as usize] as usize] = [fs, new[ft as usize]];
        }
        let (mut end, mut i) = (a[x as usize + 1] as usize, h[EDGES]);
        while let Some(&[set, to, next]) = nodes.get(i as usize) {
            end -= 1;
            o[end] = [set, new[to as usize]];
            i = next;
        }
    }
    (at, out)
}

/// Lengths at `at[s + 1]` to offsets.
fn sums(at: &mut [u32]) {
    for i in 1..at.len() {
        at[i] += at[i - 1];
    }
}
