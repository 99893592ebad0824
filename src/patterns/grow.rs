//! The NFA's states while it is built, in a few shared arrays.
//!
//! A built policy can hold millions of states, most of them links of a
//! chain (a glob's literal text: one edge each, no epsilon edge, no
//! accepted id). A state of three `Vec`s cost 72 bytes and a heap
//! allocation for its one edge, and an edge held its 32-byte set (issue
//! #11: 1,000 distinct 1 KB globs peaked at +246 MB). Here a state is 20
//! bytes: its first edge inline, as (set index, target), its parent, and
//! the heads of two lists (more edges, accepted ids) whose nodes live in
//! one array each, as do its epsilon edges; each node names its state.
//! Byte sets are interned, so an edge is two `u32`s.

use std::hash::Hasher;

use super::flat::{ByteSet, Flat};
use super::{order, Fx, FxMap};

/// No list node: the end of a list (and no parent).
pub(super) const NONE: u32 = u32::MAX;
/// A state's fields: its first edge (set, target; target 0: none, no
/// edge leads to the start), the newest node of its more edges and of
/// its accepted ids (or `NONE`), and its parent: the state that made it
/// (see [`order`]). Every edge into a state is added when it is made
/// (the builder never adds one into an older state but a `*`'s
/// self-loop), from older states, the lowest first; `NONE` for the start.
const SET: usize = 0;
const TO: usize = 1;
const EDGES: usize = 2;
const ACCEPT: usize = 3;
const PARENT: usize = 4;
/// The sets of one hash a lookup compares (see [`Growing::intern`]).
const SET_CHAIN: usize = 8;
/// A state with no edge, list or parent yet.
const BARE: [u32; 5] = [0, 0, NONE, NONE, NONE];

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
    /// The states' fields ([`SET`] to [`PARENT`]): one array, so that a
    /// new state is one push.
    states: Vec<[u32; 5]>,
    /// Edges after the first: (set, target, next node of the state,
    /// state).
    edges: Vec<[u32; 4]>,
    /// Epsilon edges and accepted ids: (value, state), oldest first
    /// (freezing writes each state's in the order they were added, with
    /// no list to walk).
    eps: Vec<[u32; 2]>,
    accept: Vec<[u32; 2]>,
    /// The distinct byte sets; by [`Fx`] hash, the latest index with it,
    /// and per set the previous index of its hash (or `NONE`). Keyed by
    /// the hash, not the set: the automaton's other maps are of `u64`
    /// keys, and a map of sets was a map type of its own, its code
    /// compiled by V8 on a policy's first build (issue 12, cold start).
    sets: Vec<ByteSet>,
    set_ids: FxMap<u64, u32>,
    set_prev: Vec<u32>,
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
        let mut g = Growing::default();
        g.fresh(NONE);
        g
    }

    /// Room for `states` more states and `lists` more nodes of each list
    /// (reserved once rather than grown by doubling: each growth copies
    /// every state, and the copies are most of the memory a cold build
    /// touches; issue 12).
    pub(super) fn reserve(&mut self, states: usize, lists: usize) {
        self.states.reserve(states);
        self.edges.reserve(lists);
        self.eps.reserve(lists);
        self.accept.reserve(lists);
    }

    /// The number of states.
    pub(super) fn len(&self) -> usize {
        self.states.len()
    }

    /// The number of epsilon edges.
    pub(super) fn eps_len(&self) -> usize {
        self.eps.len()
    }

    /// A new state, made by `parent` (the first state with an edge to it).
    pub(super) fn fresh(&mut self, parent: u32) -> u32 {
        self.states.push([0, 0, NONE, NONE, parent]);
        (self.states.len() - 1) as u32
    }

    /// A chain of new states from `from` (which has no edge), one per
    /// byte of `text` (ASCII-lower-cased with `fold`): the last. What a
    /// step per byte builds, in one go (states made in bulk: a glob's own
    /// text is most of the states of a policy).
    pub(super) fn chain(&mut self, from: u32, text: &[u8], fold: bool) -> u32 {
        let n = self.states.len();
        self.states.resize(n + text.len(), BARE);
        let mut at = from as usize;
        for (i, &b) in text.iter().enumerate() {
            let set = self.byte(if fold { b.to_ascii_lowercase() } else { b });
            let s = &mut self.states[..];
            (s[at][SET], s[at][TO]) = (set, (n + i) as u32);
            s[n + i][PARENT] = at as u32;
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

    /// A lookup compares at most [`SET_CHAIN`] sets of one hash: past
    /// that (chosen collisions) the set is added again, an equal set
    /// under another index, which matches the same bytes.
    fn intern(&mut self, set: ByteSet) -> u32 {
        let mut h = Fx::default();
        set.0.iter().for_each(|&w| h.add(w));
        let hash = h.finish();
        let latest = self.set_ids.get(&hash).copied().unwrap_or(NONE);
        let mut i = latest;
        for _ in 0..SET_CHAIN {
            match self.sets.get(i as usize) {
                Some(s) if *s == set => return i,
                Some(_) => i = self.set_prev.get(i as usize).copied().unwrap_or(NONE),
                None => break,
            }
        }
        let i = self.sets.len() as u32;
        self.sets.push(set);
        self.set_prev.push(latest);
        self.set_ids.insert(hash, i);
        i
    }

    /// The first edge of `s`, as (set, target); target 0: none.
    #[inline]
    pub(super) fn first(&self, s: u32) -> [u32; 2] {
        // `get`, not a `Vec`'s `Index`: that stays a call when optimized
        // for size, at every step of the builder.
        self.states
            .get(s as usize)
            .map_or([0, 0], |s| [s[SET], s[TO]])
    }

    /// Has `s` more edges than its first?
    #[inline]
    pub(super) fn more(&self, s: u32) -> bool {
        self.states
            .get(s as usize)
            .is_some_and(|h| h[EDGES] != NONE)
    }

    /// The target of `s`'s edge of `set` among the first `few` edges after
    /// its first (newest first); else how many it has after its first, or
    /// `few + 1` when more.
    pub(super) fn find_edge(&self, s: u32, set: u32, few: usize) -> Result<u32, usize> {
        let edges = &self.edges[..];
        let mut at = self.states.get(s as usize).map_or(NONE, |h| h[EDGES]);
        let mut n = 0;
        while let Some(&[es, to, next, _]) = edges.get(at as usize) {
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
        let mut at = self.states.get(s as usize).map_or(NONE, |h| h[EDGES]);
        while let Some(&[es, to, next, _]) = self.edges.get(at as usize) {
            out.push([es, to]);
            at = next;
        }
    }

    pub(super) fn push_edge(&mut self, s: u32, set: u32, to: u32) {
        let state = &mut self.states[s as usize];
        if state[TO] == 0 {
            (state[SET], state[TO]) = (set, to);
            return;
        }
        let head = &mut state[EDGES];
        self.edges.push([set, to, *head, s]);
        *head = (self.edges.len() - 1) as u32;
    }

    pub(super) fn push_eps(&mut self, s: u32, to: u32) {
        self.eps.push([to, s]);
    }

    /// Adds `id` to what `s` accepts, unless it was the last added.
    pub(super) fn push_accept(&mut self, s: u32, id: u32) {
        let head = &mut self.states[s as usize][ACCEPT];
        if *head != NONE && self.accept[*head as usize][0] == id {
            return;
        }
        self.accept.push([id, s]);
        *head = (self.accept.len() - 1) as u32;
    }

    /// Is each state's recorded parent the lowest-numbered state with an
    /// edge (consuming or epsilon, but a self-loop) to it, as
    /// [`order`] needs?
    #[cfg(test)]
    pub(super) fn parents_are_lowest(&self) -> bool {
        let mut lowest = vec![NONE; self.len()];
        let mut see = |s: u32, t: u32| {
            if s != t {
                lowest[t as usize] = lowest[t as usize].min(s);
            }
        };
        for (s, st) in self.states.iter().enumerate() {
            if st[TO] != 0 {
                see(s as u32, st[TO]);
            }
        }
        self.edges.iter().for_each(|&[_, to, _, s]| see(s, to));
        self.eps.iter().for_each(|&[to, s]| see(s, to));
        lowest
            .iter()
            .zip(&self.states)
            .all(|(&l, st)| l == st[PARENT])
    }

    /// The flat arrays with the states numbered by [`order::numbers`]
    /// (shared prefixes consecutive): each state's edges, epsilon edges
    /// and ids in the order they were added. The nodes of a kind are in
    /// the order they were added and name their state, so each kind is
    /// counted and written in a pass over its nodes, not over every
    /// state's lists (most states have none: a chain link), and the
    /// states' parents were kept as they were made, not found by a pass
    /// over every list (issue 12, cold start). Byte sets keep the
    /// indexes they were interned with. Each kind of list is freed once
    /// copied: the peak is the lists plus the copy of one kind.
    pub(super) fn freeze(self) -> Flat {
        let Growing {
            states,
            edges,
            eps,
            accept,
            sets,
            ..
        } = self;
        let new = order::numbers(states.len(), |s| states[s][PARENT]);
        let new = &new[..];
        // Edges first: the largest lists, and the first edges go with them.
        let (edges_at, edges) = edge_lists(states, edges, new);
        let (eps_at, eps) = pairs(eps, new, Some(new));
        let (accept_at, accept) = pairs(accept, new, None);
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
}

/// The (value, state) `nodes` (oldest first) by the states' new numbers
/// `new`, values through `map` (states) or as they are (ids): their
/// offsets and values.
#[inline(never)]
fn pairs(nodes: Vec<[u32; 2]>, new: &[u32], map: Option<&[u32]>) -> (Vec<u32>, Vec<u32>) {
    let n = new.len();
    // Counted two places up, summed, then written one place up: each
    // state's cursor ends where the next one's values start (no copy of
    // the offsets as cursors).
    let mut at = vec![0u32; n + 2];
    let a = &mut at[..];
    for &[_, s] in &nodes {
        a[new[s as usize] as usize + 2] += 1;
    }
    sums(a);
    let mut out = vec![0u32; nodes.len()];
    let o = &mut out[..];
    for &[v, s] in &nodes {
        let c = &mut a[new[s as usize] as usize + 1];
        o[*c as usize] = map.map_or(v, |m| m[v as usize]);
        *c += 1;
    }
    at.pop();
    (at, out)
}

/// The consuming edges (each state's first edge, then its others, oldest
/// first) at the states' new numbers, targets renumbered: their offsets
/// and (set, target) pairs.
#[inline(never)]
fn edge_lists(
    states: Vec<[u32; 5]>,
    nodes: Vec<[u32; 4]>,
    new: &[u32],
) -> (Vec<u32>, Vec<[u32; 2]>) {
    let n = new.len();
    // Counted and written as in `pairs`.
    let mut at = vec![0u32; n + 2];
    let a = &mut at[..];
    let mut total = nodes.len();
    for (&[_, ft, ..], &x) in states.iter().zip(new) {
        if ft != 0 {
            a[x as usize + 2] += 1;
            total += 1;
        }
    }
    for &[_, _, _, s] in &nodes {
        a[new[s as usize] as usize + 2] += 1;
    }
    sums(a);
    let mut out = vec![[0u32; 2]; total];
    let o = &mut out[..];
    for (&[fs, ft, ..], &x) in states.iter().zip(new) {
        if ft != 0 {
            let c = &mut a[x as usize + 1];
            o[*c as usize] = [fs, new[ft as usize]];
            *c += 1;
        }
    }
    drop(states);
    for &[set, to, _, s] in &nodes {
        let c = &mut a[new[s as usize] as usize + 1];
        o[*c as usize] = [set, new[to as usize]];
        *c += 1;
    }
    at.pop();
    (at, out)
}

/// Counts to running sums, in place.
fn sums(at: &mut [u32]) {
    for i in 1..at.len() {
        at[i] += at[i - 1];
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Sets whose hashes collide (chosen: the hash is invertible) cost a
    /// bounded lookup each: past [`SET_CHAIN`], an equal set is added
    /// again rather than every set of the hash compared.
    #[test]
    fn colliding_sets_are_compared_a_bounded_number_of_times() {
        const K: u64 = 0x51_7c_c1_b7_27_22_0a_95;
        // K's inverse modulo 2^64 (Newton's iteration).
        let mut inv: u64 = 1;
        for _ in 0..6 {
            inv = inv.wrapping_mul(2u64.wrapping_sub(K.wrapping_mul(inv)));
        }
        let target = 0x1234_5678_9abc_def0u64;
        let set = |w0: u64| {
            // After the second word the state is `target`, whatever `w0`.
            let h1 = w0.wrapping_mul(K);
            ByteSet([w0, h1.rotate_left(5) ^ target.wrapping_mul(inv), 0, 0])
        };
        let hash = |s: ByteSet| {
            let mut h = Fx::default();
            s.0.iter().for_each(|&w| h.add(w));
            h.finish()
        };
        assert_eq!(hash(set(3)), hash(set(5)));
        let mut g = Growing::new();
        let n = 3 * SET_CHAIN as u64;
        let ids: Vec<u32> = (1..=n).map(|w| g.intern(set(w))).collect();
        assert_eq!(g.sets.len(), n as usize, "each set is new");
        // The latest ones are found; the oldest, past the chain, is added again.
        assert_eq!(g.intern(set(n)), ids[n as usize - 1]);
        let again = g.intern(set(1));
        assert_ne!(again, ids[0]);
        assert!(g.sets[again as usize] == g.sets[ids[0] as usize]);
    }
}
