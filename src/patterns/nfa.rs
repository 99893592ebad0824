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

pub use super::flat::{ByteSet, Flat};
use super::grow::{Growing, NONE};
use super::{same, Fx, FxMap};
use crate::glob::{walk, Builder, Tok};

/// A state's edges after its first that a step scans before it looks
/// them up in [`Nfa::wide`] (where they are once there are more).
const FEW: usize = 8;

/// What a hash-consed state is reached by, as the high bits of its key
/// (the low 32 bits: the set's index; the top 32: the state it is from).
/// A byte of the set ([`Nfa::wide`]).
const EDGE: u64 = 0;
/// Any number of bytes of the set (a self-loop).
const LOOP: u64 = 1 << 30;
/// `**/` from a state: zero or more whole segments.
const GLOBSTAR: u64 = 2 << 30;

/// A key of [`Nfa::keys`]: a `u64`, where an enum of a state and a 32-byte
/// set took 40 bytes (and hashed in six steps).
fn key(kind: u64, from: u32, set: u32) -> u64 {
    u64::from(from) << 32 | kind | u64::from(set)
}

/// The NFA; state 0 is the start.
#[derive(Debug, Clone)]
pub struct Nfa {
    /// The states while building; [`Nfa::freeze`] moves them to `flat`.
    states: Growing,
    /// The states of the built NFA, which matching reads.
    pub flat: Flat,
    /// `flat.accept` with each state's list narrowed for decisions (see
    /// [`Nfa::narrow`]): its kept ids first, then `u32::MAX`es; `None`
    /// when nothing was dropped.
    narrowed: Option<Vec<u32>>,
    /// Hash-consed states by [`key`].
    keys: FxMap<u64, u32>,
    /// The consuming edges of states with more than [`FEW`] after their
    /// first, by [`key`]`(EDGE, from, set)` (self-loops never).
    wide: FxMap<u64, u32>,
    /// The union of these states (sorted) -> its join state; apart from
    /// [`Key`] so a lookup borrows the sorted list (no allocation).
    joins: FxMap<Box<[u32]>, u32>,
    /// Scratch for [`Nfa::join`].
    sorted: Vec<u32>,
    /// Long literal runs walked so far (see [`Runs`]).
    runs: Runs,
    /// Steps from states with several edges so far (see [`Nfa::work`]).
    branching: usize,
    /// Long runs of `?` walked so far: (state << 32 | length) -> the state
    /// after them.
    marks: FxMap<u64, u32>,
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
            states: Growing::new(),
            ..Nfa::from_flat(Flat::default())
        }
    }
}

impl Nfa {
    /// A built NFA read back from a snapshot (checked with [`Flat::check`]).
    pub fn from_flat(flat: Flat) -> Nfa {
        Nfa {
            states: Growing::default(),
            flat,
            narrowed: None,
            keys: FxMap::default(),
            wide: FxMap::default(),
            joins: FxMap::default(),
            sorted: Vec::new(),
            runs: Runs::default(),
            branching: 0,
            marks: FxMap::default(),
        }
    }

    /// Ends building: the states move to flat arrays, and the maps that
    /// only building needs are dropped.
    // Out of line: run once per policy (see `PatternSetBuilder::build`).
    #[inline(never)]
    pub fn freeze(&mut self) {
        let f = std::mem::take(&mut self.states).freeze();
        self.flat = f;
        self.keys = FxMap::default();
        self.wide = FxMap::default();
        self.joins = FxMap::default();
        self.runs = Runs::default();
        self.marks = FxMap::default();
    }

    /// Room for about `n` new edges from branching states, `n / 2` loops,
    /// `4 n` states and `n` nodes of each list (see
    /// [`super::PatternSetBuilder::reserve`]).
    pub fn reserve(&mut self, n: usize) {
        self.wide.reserve(n);
        self.keys.reserve(n / 2);
        self.states.reserve(4 * n, n);
    }

    /// The building's work so far: a unit per state and per epsilon edge
    /// (what freezing and numbering the automaton walk), and one per step
    /// from a state with several edges (a lookup in [`Nfa::wide`], about
    /// the cost of a new state). Globs that share structure cost their
    /// branching steps and the edges into their joins, though they add
    /// few states: 10,000 lists of 140 names after one `*` add 3.2
    /// million states, 1.4 million epsilon edges and take 6 million such
    /// steps (issue #11).
    pub fn work(&self) -> usize {
        self.states.len() + self.states.eps_len() + self.branching
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
    #[cfg(test)]
    pub fn edges(&self, s: u32) -> impl Iterator<Item = (ByteSet, u32)> + '_ {
        let f = &self.flat;
        let edges = &f.edges[f.edges_at[s as usize] as usize..f.edges_at[s as usize + 1] as usize];
        // Indexes are checked when built or loaded; a bad one matches nothing.
        edges
            .iter()
            .map(|&[set, to]| (f.sets.get(set as usize).copied().unwrap_or_default(), to))
    }

    /// The ids accepted at state `s`.
    #[inline]
    pub fn accept(&self, s: u32) -> &[u32] {
        let f = &self.flat;
        &f.accept[f.accept_at[s as usize] as usize..f.accept_at[s as usize + 1] as usize]
    }

    /// The ids accepting in state `s`, with `narrowed` those
    /// [`Nfa::narrow`] kept.
    pub fn accepts_of(&self, s: u32, narrowed: bool) -> &[u32] {
        let all = self.accept(s);
        let at = self.flat.accept_at[s as usize] as usize;
        match self
            .narrowed
            .as_ref()
            .and_then(|n| n.get(at..at + all.len()))
        {
            Some(list) if narrowed => super::trie::kept(list),
            _ => all,
        }
    }

    /// Narrows each state's list of two or more accepting ids, which all
    /// match whenever the state is active at a path's end (see
    /// [`super::Narrow`]): once, after building or loading, not at each
    /// automaton state a path first ends in. A path naming `**/*sN_*` rules
    /// ends in a state of its own, and each such check narrowed the 500,000
    /// `{*/**,N}` of a policy anew (12.9 ms a check in the package).
    pub fn narrow(&mut self, mut keep: super::Narrow) {
        let f = &self.flat;
        self.narrowed = super::trie::narrowed(&f.accept, &f.accept_at, &mut keep);
    }

    /// The state after `from` and the byte `b`.
    fn byte(&mut self, from: u32, b: u8) -> u32 {
        let set = self.states.byte(b);
        self.step(from, set)
    }

    /// The state after `from` and a byte of the set of index `set`. Most
    /// states have one edge (a link of a chain): it is inline in the
    /// state, so a chain is built with no hashing at all (issue #11: a
    /// hash map of every edge cost most of building a million-state
    /// chain). The edges of a state with more are scanned, or looked up
    /// in [`Nfa::wide`] when there are many.
    fn step(&mut self, from: u32, set: u32) -> u32 {
        let [fs, ft] = self.states.first(from);
        // A self-loop (a `*`) is the first edge of its state and leads
        // back to it: never "a byte of the set, then".
        let first = ft != 0 && ft != from;
        if first && fs == set {
            return ft;
        }
        // The edges after the first: a few are scanned, more are also
        // indexed (most branching states have a handful of edges; a hash
        // map insert per edge was most of the cost of building them).
        let mut listed = 0;
        if self.states.more(from) {
            self.branching += 1;
            match self.states.find_edge(from, set, FEW) {
                Ok(to) => return to,
                Err(n) => listed = n,
            }
            if listed > FEW {
                if let Some(&to) = self.wide.get(&key(EDGE, from, set)) {
                    return to;
                }
            }
        }
        let to = self.states.fresh(from);
        self.states.push_edge(from, set, to);
        if listed == FEW {
            self.index(from);
        } else if listed > FEW {
            self.wide.insert(key(EDGE, from, set), to);
        }
        to
    }

    /// Indexes every consuming edge of `from` (but a self-loop) in
    /// [`Nfa::wide`]: it has just got more than [`FEW`] after its first.
    #[cold]
    #[inline(never)]
    fn index(&mut self, from: u32) {
        let mut edges = Vec::new();
        self.states.edges_of(from, &mut edges);
        for [set, to] in edges {
            if to != from {
                self.wide.insert(key(EDGE, from, set), to);
            }
        }
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
        for (i, &b) in text.iter().enumerate() {
            let b = if fold { b.to_ascii_lowercase() } else { b };
            // Text many globs share: one load per byte, here rather than
            // in a call.
            let set = self.states.byte(b);
            at = match self.states.first(at) {
                [s, to] if to != 0 && to != at && s == set => to,
                // No edge at all: the rest is a chain of new states.
                [_, 0] if !self.states.more(at) => {
                    at = self.states.chain(at, &text[i..], fold);
                    break;
                }
                _ => self.step(at, set),
            };
        }
        if let Some(hash) = hash {
            self.runs.add(hash, key, at, text);
        }
        at
    }

    /// The state after `from` and `n` bytes but `/`: chain links, each
    /// found inline; a long run is remembered by (state, length), so the
    /// kilobyte of `?`s many globs share costs a lookup, not a step a byte
    /// (as a long literal run does, see [`Runs`]).
    fn marks(&mut self, from: u32, n: u32) -> u32 {
        let long = n as usize >= Runs::MIN;
        let k = u64::from(from) << 32 | u64::from(n);
        if long {
            if let Some(&to) = self.marks.get(&k) {
                return to;
            }
        }
        let set = self.states.any(false);
        let to = (0..n).fold(from, |at, _| self.step(at, set));
        if long {
            self.marks.insert(k, to);
        }
        to
    }

    fn edge(&mut self, from: u32, set: ByteSet) -> u32 {
        let set = self.states.set(set);
        self.step(from, set)
    }

    /// Any number of bytes of every byte (`slash`) or every byte but `/`
    /// from `from`: its loop state.
    fn repeat(&mut self, from: u32, slash: bool) -> u32 {
        let set = self.states.any(slash);
        if let Some(&s) = self.keys.get(&key(LOOP, from, set)) {
            return s;
        }
        let to = self.states.fresh(from);
        self.states.push_edge(to, set, to);
        self.states.push_eps(from, to);
        self.keys.insert(key(LOOP, from, set), to);
        to
    }

    fn join(&mut self, from: &[u32]) -> u32 {
        let mut sorted = std::mem::take(&mut self.sorted);
        sorted.clear();
        sorted.extend_from_slice(from);
        crate::sort::sort_unstable(&mut sorted);
        sorted.dedup();
        let to = match sorted[..] {
            [one] => one,
            _ => match self.joins.get(&sorted[..]) {
                Some(&s) => s,
                None => {
                    // Made by the lowest (none: no edge into it).
                    let to = self.states.fresh(sorted.first().copied().unwrap_or(NONE));
                    for &f in &sorted {
                        self.states.push_eps(f, to);
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
        if let Some(&s) = self.keys.get(&key(GLOBSTAR, from, 0)) {
            return s;
        }
        let any = self.repeat(from, true);
        let slash = self.byte(any, b'/');
        // `from` precedes `slash`, made after it.
        let to = self.states.fresh(from);
        self.states.push_eps(from, to);
        self.states.push_eps(slash, to);
        self.keys.insert(key(GLOBSTAR, from, 0), to);
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
        self.states.push_accept(at, id);
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
            // A run of `?`s: chain links, each found inline (no hashing).
            Tok::Any(n) => self.nfa.marks(at, *n),
            Tok::Star | Tok::Stars => self.nfa.repeat(at, false),
            Tok::Class { negated, set } => {
                let set = set.get();
                let set = if self.fold { fold_class(set) } else { set };
                self.nfa.edge(at, ByteSet::class(*negated, set))
            }
            // The walk passes none of these.
            Tok::Text(_) | Tok::Sep | Tok::Alt(..) => at,
        }
    }
    fn text(&mut self, at: u32, text: &[u8]) -> u32 {
        self.nfa.text(at, text, self.fold)
    }
    fn slash(&mut self, at: u32) -> u32 {
        self.nfa.byte(at, b'/')
    }
    fn globstar(&mut self, at: u32) -> u32 {
        self.nfa.globstar(at)
    }
    fn rest(&mut self, at: u32) -> u32 {
        self.nfa.repeat(at, true)
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
    for c in b'A'..b'Z' + 1 {
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

    /// Freezing numbers the states from the parents recorded as they are
    /// made: each must be the lowest state with an edge to it, whatever
    /// the globs (chains, branches, loops, joins, globstars, runs).
    #[test]
    fn recorded_parents_are_the_lowest_predecessors() {
        let globs = [
            "a*b?c/**/d",
            "{a,b/}{c,d/}x",
            "*{x,y}.md",
            "a/{b,c/**}/d",
            "{**/,}y.rs",
            "[a-c]*/{,a/}z",
            "x/**/**/{a,**}/y",
            "*aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa?",
            "*aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaab",
            "??????????????????????????????????*",
            "a{b,c{d,e}}f*",
            "[!a]?{s,t,u,v,w,x,y,z,0,1,2,3}*q",
        ];
        let limits = crate::limits::Limits::DEFAULT;
        for fold in [false, true] {
            let mut nfa = Nfa::default();
            for (i, g) in globs.iter().enumerate() {
                let pat = crate::glob::parse(g, &limits).unwrap();
                for piece in &pat.pieces {
                    if let crate::glob::Piece::Glob(toks) = piece {
                        nfa.add(toks, i as u32, fold);
                    }
                }
                assert!(nfa.states.parents_are_lowest(), "after {g}");
            }
        }
    }

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
