//! One NFA over path bytes for every pattern the indexes cannot hold.
//!
//! States are hash-consed by what they mean: the state reached from state
//! `s` by consuming a byte of set `B` is the same state whichever pattern
//! asks for it, and so are the loop of a `*`, the join after an
//! alternation and the join after a `**`. Patterns therefore share their
//! common prefixes (`*/t4/x` and `*/t5/y` share `*/t`), which keeps the
//! set of states active at once proportional to the distinct prefixes a
//! path can be in, not to the number of rules. Alternations are branches
//! that meet again in one join state: never a product of expansions, so
//! the NFA is linear in the total size of the patterns.
//!
//! The invariant that makes the sharing sound: a keyed state is reachable
//! only through its key (one predecessor, one step), so its meaning ("`s`
//! was active, then a byte of `B`") does not depend on which pattern made
//! it, and an epsilon edge added from it to a new join state (whose
//! meaning is the union of its predecessors) never lets another pattern
//! match more than it means.

use std::hash::Hasher;

use super::{same, Fx, FxMap};
use crate::glob::{walk, Builder, Tok};

/// A set of bytes, one bit each.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default)]
pub struct ByteSet(pub [u64; 4]);

impl ByteSet {
    /// Every byte.
    pub const ALL: ByteSet = ByteSet([u64::MAX; 4]);

    /// Every byte but `/`.
    pub fn not_slash() -> ByteSet {
        let mut s = ByteSet::ALL;
        s.0[0] &= !(1u64 << b'/');
        s
    }

    /// Just `b`.
    pub fn byte(b: u8) -> ByteSet {
        let mut s = ByteSet::default();
        s.0[usize::from(b >> 6)] |= 1u64 << (b & 63);
        s
    }

    /// The same set (word by word: `==` on the array is a `memcmp` call
    /// in size-optimized builds, the hot step of building literal text).
    #[inline]
    fn is(&self, other: &ByteSet) -> bool {
        let (a, b) = (&self.0, &other.0);
        a[0] == b[0] && a[1] == b[1] && a[2] == b[2] && a[3] == b[3]
    }

    /// The one member, if there is exactly one.
    fn single(&self) -> Option<u8> {
        let ones: u32 = self.0.iter().map(|w| w.count_ones()).sum();
        let word = self.0.iter().position(|&w| w != 0)?;
        (ones == 1).then(|| (word * 64) as u8 + self.0[word].trailing_zeros() as u8)
    }

    /// Is `b` a member?
    #[inline]
    pub fn has(&self, b: u8) -> bool {
        self.0[usize::from(b >> 6)] & (1u64 << (b & 63)) != 0
    }

    /// A glob class: ASCII members (or, negated, every byte but them);
    /// never `/`.
    fn class(negated: bool, set: u128) -> ByteSet {
        let lo = [set as u64, (set >> 64) as u64, 0, 0];
        let mut s = if negated {
            ByteSet([!lo[0], !lo[1], u64::MAX, u64::MAX])
        } else {
            ByteSet(lo)
        };
        s.0[0] &= !(1u64 << b'/');
        s
    }
}

/// Up to this many edges, a state's one-byte edges are found by a scan.
const NARROW: usize = 8;

/// One NFA state.
#[derive(Debug, Clone, Default)]
pub struct State {
    /// Epsilon edges.
    pub eps: Vec<u32>,
    /// Consuming edges: a byte of the set leads to the state.
    pub edges: Vec<(ByteSet, u32)>,
    /// Ids of the patterns that match when the path ends here.
    pub accept: Vec<u32>,
}

#[derive(Debug, Clone, PartialEq, Eq, Hash)]
enum Key {
    /// Consume one byte of the set.
    Edge(u32, ByteSet),
    /// Any number of bytes of the set (a self-loop).
    Loop(u32, ByteSet),
    /// `**/` from a state: zero or more whole segments.
    Globstar(u32),
}

/// The states of a built NFA in flat arrays: state `s`'s epsilon edges
/// are `eps[eps_at[s]..eps_at[s + 1]]`, its edges and accepted ids
/// likewise. Seven arrays for any number of states, so a snapshot loads
/// them with seven allocations and checks them in one pass ([`Flat::check`]).
#[derive(Debug, Clone, Default)]
pub struct Flat {
    pub eps_at: Vec<u32>,
    pub eps: Vec<u32>,
    pub edges_at: Vec<u32>,
    /// Consuming edges: (byte set index in `sets`, target). An index, not
    /// the set: a policy has a few dozen distinct sets and tens of
    /// thousands of edges (8 bytes each rather than 40, and a snapshot
    /// loads them in one copy).
    pub edges: Vec<[u32; 2]>,
    /// The distinct byte sets of the edges.
    pub sets: Vec<ByteSet>,
    pub accept_at: Vec<u32>,
    pub accept: Vec<u32>,
}

/// Do the offsets `at` start at 0, never decrease and end at `len`?
fn offsets(at: &[u32], states: usize, len: usize) -> bool {
    at.len() == states + 1
        && at.first() == Some(&0)
        && at.windows(2).all(|w| w[0] <= w[1])
        && at.last().map(|&e| e as usize) == Some(len)
}

impl Flat {
    /// Is this a well-formed automaton of at least one state (the start),
    /// every edge leading to a state, every accepted id below `ids`?
    pub fn check(&self, ids: u32) -> bool {
        let n = self.eps_at.len().saturating_sub(1);
        n > 0
            && offsets(&self.eps_at, n, self.eps.len())
            && offsets(&self.edges_at, n, self.edges.len())
            && offsets(&self.accept_at, n, self.accept.len())
            && self.eps.iter().all(|&t| (t as usize) < n)
            && self
                .edges
                .iter()
                .all(|&[set, t]| (set as usize) < self.sets.len() && (t as usize) < n)
            && self.accept.iter().all(|&id| id < ids)
    }
}

/// The NFA; state 0 is the start.
#[derive(Debug, Clone)]
pub struct Nfa {
    /// The states while building; [`Nfa::freeze`] moves them to `flat`.
    states: Vec<State>,
    /// The states of the built NFA, which matching reads.
    pub flat: Flat,
    keys: FxMap<Key, u32>,
    /// The keys of one-byte edges (most edges: literal text), apart
    /// because a short key hashes in two steps where a [`Key`] takes six.
    bytes: FxMap<(u32, u8), u32>,
    /// Per state, its first one-byte edge as `target << 8 | byte` (0:
    /// none; no edge leads to the start): literal text shared by many
    /// globs (a common prefix) is found in one load per byte.
    solo: Vec<u64>,
    /// The union of these states (sorted) -> its join state; apart from
    /// [`Key`] so a lookup borrows the sorted list (no allocation).
    joins: FxMap<Box<[u32]>, u32>,
    /// Scratch for [`Nfa::join`].
    sorted: Vec<u32>,
    /// Long literal runs walked so far (see [`Runs`]).
    runs: Runs,
}

/// Literal runs of at least [`Runs::MIN`] bytes already walked: from a
/// state, the same text always ends in the same state, so a run many globs
/// share (a kilobyte after `*`) costs a hash and a compare, not a step per
/// byte. Found by [`Fx`] hash and checked by comparing the text; a lookup
/// compares at most [`Runs::CHAIN`] entries of one hash (chosen collisions
/// cost bounded work and fall back to stepping, which answers the same).
#[derive(Debug, Clone, Default)]
struct Runs {
    /// Hash -> the latest entry with it.
    latest: FxMap<u64, u32>,
    /// (from state << 1 | fold, to, text start, text end, previous entry
    /// of the hash or `u32::MAX`).
    list: Vec<[u32; 5]>,
    text: Vec<u8>,
}

impl Runs {
    const MIN: usize = 32;
    const CHAIN: usize = 4;

    fn hash(key: u32, text: &[u8]) -> u64 {
        let mut h = Fx::default();
        h.write_u32(key);
        h.write(text);
        h.finish()
    }

    fn find(&self, hash: u64, key: u32, text: &[u8]) -> Option<u32> {
        let mut e = *self.latest.get(&hash)?;
        for _ in 0..Self::CHAIN {
            let [k, to, a, b, prev] = *self.list.get(e as usize)?;
            if k == key
                && self
                    .text
                    .get(a as usize..b as usize)
                    .is_some_and(|t| same(t, text))
            {
                return Some(to);
            }
            e = prev;
        }
        None
    }

    fn add(&mut self, hash: u64, key: u32, to: u32, text: &[u8]) {
        let prev = self.latest.get(&hash).copied().unwrap_or(u32::MAX);
        let a = self.text.len() as u32;
        self.text.extend_from_slice(text);
        self.latest.insert(hash, self.list.len() as u32);
        self.list.push([key, to, a, self.text.len() as u32, prev]);
    }
}

impl Default for Nfa {
    fn default() -> Self {
        Nfa {
            states: vec![State::default()],
            flat: Flat::default(),
            keys: FxMap::default(),
            bytes: FxMap::default(),
            solo: vec![0],
            joins: FxMap::default(),
            sorted: Vec::new(),
            runs: Runs::default(),
        }
    }
}

impl Nfa {
    /// A built NFA read back from a snapshot (checked with [`Flat::check`]).
    pub fn from_flat(flat: Flat) -> Nfa {
        Nfa {
            states: Vec::new(),
            flat,
            keys: FxMap::default(),
            bytes: FxMap::default(),
            solo: Vec::new(),
            joins: FxMap::default(),
            sorted: Vec::new(),
            runs: Runs::default(),
        }
    }

    /// Ends building: the states move to flat arrays, and the maps that
    /// only building needs are dropped.
    // Out of line: run once per policy (see `PatternSetBuilder::build`).
    #[inline(never)]
    pub fn freeze(&mut self) {
        let states = std::mem::take(&mut self.states);
        let n = states.len();
        let mut f = Flat {
            eps_at: Vec::with_capacity(n + 1),
            edges_at: Vec::with_capacity(n + 1),
            accept_at: Vec::with_capacity(n + 1),
            ..Flat::default()
        };
        f.eps_at.push(0);
        f.edges_at.push(0);
        f.accept_at.push(0);
        let mut sets: FxMap<ByteSet, u32> = FxMap::default();
        for s in states {
            f.eps.extend_from_slice(&s.eps);
            for (set, to) in s.edges {
                let i = *sets.entry(set).or_insert_with(|| {
                    f.sets.push(set);
                    f.sets.len() as u32 - 1
                });
                f.edges.push([i, to]);
            }
            f.accept.extend_from_slice(&s.accept);
            f.eps_at.push(f.eps.len() as u32);
            f.edges_at.push(f.edges.len() as u32);
            f.accept_at.push(f.accept.len() as u32);
        }
        self.flat = f;
        self.keys = FxMap::default();
        self.bytes = FxMap::default();
        self.solo = Vec::new();
        self.joins = FxMap::default();
        self.runs = Runs::default();
    }

    /// The number of states while building.
    pub fn building_len(&self) -> usize {
        self.states.len()
    }

    /// The number of states of the built NFA.
    pub fn len(&self) -> usize {
        self.flat.eps_at.len().saturating_sub(1)
    }

    /// No pattern added (or not built).
    pub fn is_empty(&self) -> bool {
        self.len() <= 1
    }

    /// The epsilon edges of state `s`.
    #[inline]
    pub fn eps(&self, s: u32) -> &[u32] {
        let f = &self.flat;
        &f.eps[f.eps_at[s as usize] as usize..f.eps_at[s as usize + 1] as usize]
    }

    /// The consuming edges of state `s`: (byte set, target).
    #[inline]
    pub fn edges(&self, s: u32) -> impl Iterator<Item = (ByteSet, u32)> + '_ {
        let f = &self.flat;
        let edges = &f.edges[f.edges_at[s as usize] as usize..f.edges_at[s as usize + 1] as usize];
        // Indexes are checked when built or loaded; a bad one matches nothing.
        edges
            .iter()
            .map(|&[set, to]| (f.sets.get(set as usize).copied().unwrap_or_default(), to))
    }

    /// How many consuming edges state `s` has.
    #[inline]
    pub fn edge_count(&self, s: u32) -> usize {
        let f = &self.flat;
        (f.edges_at[s as usize + 1] - f.edges_at[s as usize]) as usize
    }

    /// The ids accepted at state `s`.
    #[inline]
    pub fn accept(&self, s: u32) -> &[u32] {
        let f = &self.flat;
        &f.accept[f.accept_at[s as usize] as usize..f.accept_at[s as usize + 1] as usize]
    }

    fn fresh(&mut self) -> u32 {
        self.states.push(State::default());
        self.solo.push(0);
        (self.states.len() - 1) as u32
    }

    /// The state after `from` and the byte `b`. Most states have a few
    /// edges: those are scanned (no hashing, no second copy of the edge);
    /// a state with more than [`NARROW`] gets its one-byte edges indexed.
    fn byte(&mut self, from: u32, b: u8) -> u32 {
        let solo = self.solo[from as usize];
        if solo != 0 && solo as u8 == b {
            return (solo >> 8) as u32;
        }
        let set = ByteSet::byte(b);
        let edges = &self.states[from as usize].edges;
        let found = if edges.len() <= NARROW {
            edges.iter().find(|e| e.0.is(&set)).map(|e| e.1)
        } else {
            self.bytes.get(&(from, b)).copied()
        };
        if let Some(to) = found {
            return to;
        }
        let to = self.fresh();
        if solo == 0 {
            self.solo[from as usize] = u64::from(to) << 8 | u64::from(b);
        }
        let edges = &mut self.states[from as usize].edges;
        edges.push((set, to));
        if edges.len() == NARROW + 1 {
            for &(s, t) in edges.iter() {
                if let Some(b) = s.single() {
                    self.bytes.entry((from, b)).or_insert(t);
                }
            }
        } else if edges.len() > NARROW {
            self.bytes.insert((from, b), to);
        }
        to
    }

    /// The state after `from` and literal `text` (ASCII-lower-cased with
    /// `fold`).
    fn text(&mut self, from: u32, text: &[u8], fold: bool) -> u32 {
        let key = from << 1 | u32::from(fold);
        let hash = if text.len() >= Runs::MIN {
            let hash = Runs::hash(key, text);
            if let Some(to) = self.runs.find(hash, key, text) {
                return to;
            }
            Some(hash)
        } else {
            None
        };
        let mut at = from;
        for &b in text {
            let b = if fold { b.to_ascii_lowercase() } else { b };
            // Text many globs share: one load per byte, here rather than
            // in a call.
            let solo = self.solo[at as usize];
            at = if solo != 0 && solo as u8 == b {
                (solo >> 8) as u32
            } else {
                self.byte(at, b)
            };
        }
        if let Some(hash) = hash {
            self.runs.add(hash, key, at, text);
        }
        at
    }

    fn edge(&mut self, from: u32, set: ByteSet) -> u32 {
        if let Some(&s) = self.keys.get(&Key::Edge(from, set)) {
            return s;
        }
        let to = self.fresh();
        self.states[from as usize].edges.push((set, to));
        self.keys.insert(Key::Edge(from, set), to);
        to
    }

    fn repeat(&mut self, from: u32, set: ByteSet) -> u32 {
        if let Some(&s) = self.keys.get(&Key::Loop(from, set)) {
            return s;
        }
        let to = self.fresh();
        self.states[to as usize].edges.push((set, to));
        self.states[from as usize].eps.push(to);
        self.keys.insert(Key::Loop(from, set), to);
        to
    }

    fn join(&mut self, from: &[u32]) -> u32 {
        let mut sorted = std::mem::take(&mut self.sorted);
        sorted.clear();
        sorted.extend_from_slice(from);
        sorted.sort_unstable();
        sorted.dedup();
        let to = match sorted[..] {
            [one] => one,
            _ => match self.joins.get(&sorted[..]) {
                Some(&s) => s,
                None => {
                    let to = self.fresh();
                    for &f in &sorted {
                        self.states[f as usize].eps.push(to);
                    }
                    self.joins.insert(sorted[..].into(), to);
                    to
                }
            },
        };
        self.sorted = sorted;
        to
    }

    /// `(ANY+ /)?` after `from`: zero or more whole segments, each with its `/`.
    fn globstar(&mut self, from: u32) -> u32 {
        if let Some(&s) = self.keys.get(&Key::Globstar(from)) {
            return s;
        }
        let any = self.repeat(from, ByteSet::ALL);
        let slash = self.byte(any, b'/');
        let to = self.fresh();
        self.states[from as usize].eps.push(to);
        self.states[slash as usize].eps.push(to);
        self.keys.insert(Key::Globstar(from), to);
        to
    }

    /// Adds one glob's tokens as a pattern matching under `id`. With
    /// `fold`, the glob is for ASCII-lower-cased paths.
    pub fn add(&mut self, toks: &[Tok], id: u32, fold: bool) {
        // A `..` the walk finds was refused by the parser: nothing to add.
        let _ = walk(
            toks,
            &mut Adder {
                nfa: self,
                id,
                fold,
            },
        );
    }

    fn add_accept(&mut self, at: u32, id: u32) {
        let accept = &mut self.states[at as usize].accept;
        if accept.last() != Some(&id) {
            accept.push(id);
        }
    }
}

/// The walk's steps as states of the NFA, accepting for one pattern.
struct Adder<'n> {
    nfa: &'n mut Nfa,
    id: u32,
    fold: bool,
}

impl Builder for Adder<'_> {
    fn start(&mut self) -> u32 {
        0
    }
    fn step(&mut self, at: u32, tok: &Tok) -> u32 {
        match tok {
            Tok::Any => self.nfa.edge(at, ByteSet::not_slash()),
            Tok::Star | Tok::Stars => self.nfa.repeat(at, ByteSet::not_slash()),
            Tok::Class { negated, set } => {
                let set = set.get();
                let set = if self.fold { fold_class(set) } else { set };
                self.nfa.edge(at, ByteSet::class(*negated, set))
            }
            // The walk passes none of these.
            Tok::Text(_) | Tok::Sep | Tok::Alt(..) => at,
        }
    }
    fn text(&mut self, at: u32, text: &str) -> u32 {
        self.nfa.text(at, text.as_bytes(), self.fold)
    }
    fn slash(&mut self, at: u32) -> u32 {
        self.nfa.byte(at, b'/')
    }
    fn globstar(&mut self, at: u32) -> u32 {
        self.nfa.globstar(at)
    }
    fn rest(&mut self, at: u32) -> u32 {
        self.nfa.repeat(at, ByteSet::ALL)
    }
    fn join(&mut self, ats: &[u32]) -> u32 {
        self.nfa.join(ats)
    }
    fn accept(&mut self, at: u32) {
        self.nfa.add_accept(at, self.id);
    }
}

/// A class closed under ASCII case (so `[^A]` refuses `a` too, as
/// globset's `(?i)` does), for lower-cased paths.
fn fold_class(set: u128) -> u128 {
    let mut folded = set;
    for c in b'A'..=b'Z' {
        let (u, l) = (1u128 << c, 1u128 << (c + 32));
        if set & (u | l) != 0 {
            folded |= l;
        }
    }
    folded
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A snapshot's arrays are checked in one pass: each broken invariant
    /// the matchers rely on is refused.
    #[test]
    fn flat_check_refuses_every_broken_invariant() {
        let good = || Flat {
            eps_at: vec![0, 1, 1],
            eps: vec![1],
            edges_at: vec![0, 1, 1],
            edges: vec![[0, 1]],
            sets: vec![ByteSet::byte(b'a')],
            accept_at: vec![0, 0, 1],
            accept: vec![3],
        };
        assert!(good().check(4));
        assert!(!good().check(3), "an id out of range");
        let broken: [fn(&mut Flat); 8] = [
            |f| f.eps[0] = 2,
            |f| f.edges[0][1] = 9,
            |f| f.edges[0][0] = 1,
            |f| f.eps_at = vec![1, 1, 1],
            |f| f.edges_at = vec![0, 1, 0],
            |f| f.accept_at = vec![0, 0, 2],
            |f| {
                f.accept_at.pop();
            },
            |f| *f = Flat::default(),
        ];
        for (i, b) in broken.iter().enumerate() {
            let mut f = good();
            b(&mut f);
            assert!(!f.check(4), "case {i}");
        }
    }
}
