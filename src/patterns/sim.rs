//! Running the [`Nfa`] directly, 64 states at a time: an active set is a
//! list of `(word, bits)` pairs (state `s` is bit `s % 64` of word
//! `s / 64`), and one path byte moves a whole word of states at once. The
//! lazy DFA of [`super::dfa`] builds its states with these steps (its
//! states are these sets), and falls back to them when its cache thrashes.
//!
//! Why words: the NFA numbers states in the order they are built, so a
//! glob's literal run, `?`s, classes and stars are consecutive states
//! whose edges go to `s + 1` (or loop on `s`). The `a`s of
//! `*aaaa…` active after a path of `a`s are one word per 64 of them,
//! each moved by one shift, where a state-by-state step visited each (a
//! 1 KB glob: ~16 words against ~1,000 states, in the step and in the
//! DFA state's key, hash and comparison alike).
//!
//! The edges of a word's 64 states are indexed the first time a step
//! meets the word ([`Index`]): consuming edges grouped by (distance, byte
//! set) into masks, epsilon edges by distance (each merged into a recent
//! entry of the same key, no sort: most words are one glob's run of
//! states). A word with few active states and many masks is stepped state
//! by state instead, so a step never costs more than the state-by-state
//! one plus a constant per word.
//!
//! Cost of one step: for each active word, `min(masks, active states ×
//! their edges)`, then the epsilon closure (each state reached once, a
//! mask per epsilon distance of each word it reaches), then sorting the
//! reached words. Never backtracking: `n` bytes cost at most `n` × the
//! NFA's size, and `n` × (the active words + the edges of sparse
//! words) in practice. A step counts that work as it goes and stops when
//! the path has no work left ([`TooComplex`]): a path earns
//! `maxMatchWork` units a byte (384 by default) and starts with
//! [`BURST`] bytes' worth, so many rules each keeping a long run of
//! states alive cannot make a check cost `n` × the whole NFA. A unit is
//! about 5 ns in the package on every shape measured: a word and each
//! mask of it, or, in a sparse word, each state and each of its edges
//! (a state costs about what a mask does), a word closed over and each
//! epsilon mask, and each word of the set built (sorted here, hashed and
//! stored or compared by the DFA). Counting only a sparse word's edges
//! and not the set built made a step that builds a new DFA state from a
//! wide set cost 13–70 ns a unit (an attacker's pass: 1,000
//! `**/*secretN_*` rules against a 4 KB name made of their names).
//!
//! Memory: the index holds at most a mask per edge and a header per word
//! of the NFA (no more than the NFA's own arrays, built only for words a
//! path reached), plus three words of scratch per 64 NFA states.

use super::hit::{narrowed_kind, Hit, NFA_ACCEPTS};
use super::nfa::{ByteSet, Nfa};

/// An active set of states: `(word, bits)` by increasing word, no zero
/// bits (so equal sets are equal lists: the DFA's keys).
pub type Set = Vec<(u32, u64)>;

const NONE: u32 = u32::MAX;

/// A path earns the limit's work per byte and holds at most this many
/// bytes' worth, which it starts with: a policy whose start set or first
/// steps are wide (many different patterns, one short path) is answered,
/// while a path that keeps more than the limit active byte after byte is
/// refused within a few dozen bytes of it (cheap bytes before do not
/// bank more). The most a path of `n` bytes can spend is `(n + BURST)` ×
/// the limit.
pub const BURST: usize = 32;

/// Consuming edges `s → s + delta` taking one byte set (`sets[set]` of
/// the NFA: 16 bytes a move, where the set inline took 48, and a step
/// reads every move of each active word), for the states of one word in
/// `mask`.
#[derive(Debug, Clone, Copy)]
struct Move {
    mask: u64,
    delta: u32,
    set: u32,
}

/// An edge to an earlier state (only a crafted snapshot has them: the
/// builder's edges all go forward or loop); `set` is `None` for epsilon.
#[derive(Debug, Clone, Copy)]
struct Back {
    from: u32,
    set: Option<ByteSet>,
    to: u32,
}

/// The edges of one word of states: ranges of the index's arrays.
#[derive(Debug, Clone, Copy)]
struct Word {
    /// States where some pattern accepts.
    accept: u64,
    /// `moves.0` is [`NONE`] until the word is indexed.
    moves: (u32, u32),
    /// Epsilon edges forward: (distance, sources).
    leaps: (u32, u32),
    back: (u32, u32),
}

const UNINDEXED: Word = Word {
    accept: 0,
    moves: (NONE, NONE),
    leaps: (0, 0),
    back: (0, 0),
};

/// The NFA's edges by word, built word by word, on demand.
#[derive(Debug, Default)]
struct Index {
    words: Vec<Word>,
    moves: Vec<Move>,
    leaps: Vec<(u32, u64)>,
    back: Vec<Back>,
}

/// The set being built (the arrays; [`Buf`] works on them).
#[derive(Debug, Default)]
struct Scratch {
    /// Per word, its states with epsilon edges, read from the NFA's
    /// offsets when a set first reaches the word (see [`Buf::add`]; bit
    /// `w` of `known` says it was): only those are queued for the
    /// closure, so a run of literal or `?` states costs nothing there.
    eps: Vec<u64>,
    known: Vec<u64>,
    dense: Vec<u64>,
    pending: Vec<u64>,
    touched: Vec<u32>,
    queue: Vec<u32>,
}

impl Scratch {
    fn buf<'a>(&'a mut self, eps_at: &'a [u32]) -> Buf<'a> {
        Buf {
            eps_at,
            eps: self.eps.as_mut_slice(),
            known: self.known.as_mut_slice(),
            dense: self.dense.as_mut_slice(),
            pending: self.pending.as_mut_slice(),
            touched: self.touched.as_mut_slice(),
            queue: self.queue.as_mut_slice(),
            touched_len: 0,
            queue_len: 0,
        }
    }
}

/// The set being built, as slices (a step indexes them directly: at
/// opt-level "z" indexing a `Vec` is a call). `touched` and `queue` are
/// stacks of words: a word is in each at most once at a time, so one
/// slot per NFA word is enough.
struct Buf<'a> {
    /// The NFA's epsilon offsets, for [`Scratch::eps`] of a word not read yet.
    eps_at: &'a [u32],
    /// See [`Scratch::eps`].
    eps: &'a mut [u64],
    known: &'a mut [u64],
    /// The set, dense; its nonzero words are `touched[..touched_len]`.
    dense: &'a mut [u64],
    /// States reached but not yet closed over; their words are
    /// `queue[..queue_len]`.
    pending: &'a mut [u64],
    touched: &'a mut [u32],
    queue: &'a mut [u32],
    touched_len: usize,
    queue_len: usize,
}

/// The NFA's edges by word and the scratch of a step.
#[derive(Debug)]
pub struct Stepper {
    index: Index,
    scratch: Scratch,
    /// The most work one step may take ([`Stepper::step`]).
    limit: usize,
    /// Whether [`Stepper::accepts`] reads the narrowed lists (see
    /// [`Nfa::accepts_of`]): set by the run that asks.
    pub narrowed: bool,
}

impl Default for Stepper {
    fn default() -> Self {
        Stepper::with_limit(usize::MAX)
    }
}

/// A step that would take more than the stepper's limit of work: the
/// states active at once are too many (a path that keeps many patterns'
/// long runs of states alive, see [`Stepper::step`]).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct TooComplex {
    /// The limit the step would have gone over.
    pub limit: usize,
}

impl TooComplex {
    /// The error of a path refused at `at` (a JSON pointer).
    pub fn error(self, at: &str) -> crate::error::GroupgateError {
        crate::error::GroupgateError::one(
            at,
            "path.too_complex",
            format!(
                "matching this path takes more than maxMatchWork ({}) units of work per \
                 byte (after a start allowance of 32 bytes' worth): it keeps the states of too \
                 many patterns active at once (long runs after `*`, each started by the path), \
                 or ends where more distinct patterns match at once than that allows (a unit \
                 each); raise limits.maxMatchWork (a unit costs up to about 5 ns of CPU) or give such \
                 rules a literal directory prefix",
                self.limit
            ),
        )
    }
}

/// Entries of a word looked back at for one with the same key: a glob's
/// run of states (`abba…`, `???`) alternates between a few byte sets.
const LOOKBACK: usize = 4;

/// Adds `bit` to the mask of a recent entry of `v[from..]` with the key
/// of `x`, or pushes `x`. Merging only saves masks (a step ORs them all),
/// so the search is short: no sort when a path first meets a word.
fn merge<T: Copy, K: PartialEq>(
    v: &mut Vec<T>,
    from: usize,
    x: T,
    key: impl Fn(&T) -> K,
    mask: fn(&mut T) -> &mut u64,
) {
    let k = key(&x);
    let lo = v.len().saturating_sub(LOOKBACK).max(from);
    let bit = *mask(&mut { x });
    match v[lo..].iter_mut().rev().find(|e| key(e) == k) {
        Some(e) => *mask(e) |= bit,
        None => v.push(x),
    }
}

fn range(from: usize, to: usize) -> (u32, u32) {
    (from as u32, to as u32)
}

#[inline(always)]
fn slice<T>(v: &[T], r: (u32, u32)) -> &[T] {
    &v[r.0 as usize..r.1 as usize]
}

impl Index {
    /// The edges of word `w`, indexed the first time (which sets its
    /// entry of `eps`).
    #[inline(always)]
    fn word(&mut self, nfa: &Nfa, w: usize, eps: &mut [u64]) -> Word {
        let word = self.words.as_slice()[w];
        if word.moves.0 != NONE {
            return word;
        }
        self.index(nfa, w, eps)
    }

    fn index(&mut self, nfa: &Nfa, w: usize, eps: &mut [u64]) -> Word {
        let (m0, l0, b0) = (self.moves.len(), self.leaps.len(), self.back.len());
        let lo = w * 64;
        let (mut accept, mut closing) = (0, 0);
        for s in lo..(lo + 64).min(nfa.len()) {
            let (s32, bit) = (s as u32, 1u64 << (s - lo));
            let f = &nfa.flat;
            let edges = &f.edges[f.edges_at[s] as usize..f.edges_at[s + 1] as usize];
            for &[id, to] in edges {
                // Indexes are checked when built or loaded; a bad one
                // matches nothing (as in `Nfa::edges`).
                let set = f.sets.get(id as usize).copied().unwrap_or_default();
                if to >= s32 {
                    let m = Move {
                        set: id,
                        delta: to - s32,
                        mask: bit,
                    };
                    merge(
                        &mut self.moves,
                        m0,
                        m,
                        |m| (m.delta, m.set),
                        |m| &mut m.mask,
                    );
                } else {
                    let set = Some(set);
                    self.back.push(Back { from: s32, set, to });
                }
            }
            for &to in nfa.eps(s32) {
                closing |= bit;
                if to > s32 {
                    merge(&mut self.leaps, l0, (to - s32, bit), |l| l.0, |l| &mut l.1);
                } else if to < s32 {
                    let set = None;
                    self.back.push(Back { from: s32, set, to });
                }
            }
            if !nfa.accept(s32).is_empty() {
                accept |= bit;
            }
        }
        let word = Word {
            accept,
            moves: range(m0, self.moves.len()),
            leaps: range(l0, self.leaps.len()),
            back: range(b0, self.back.len()),
        };
        self.words[w] = word;
        eps[w] = closing;
        word
    }
}

impl Buf<'_> {
    /// Reads which states of word `w` have epsilon edges (from the NFA's
    /// offsets) into [`Scratch::eps`], the first time a set reaches it.
    /// Out of line: called once per word a step reaches.
    #[inline(never)]
    fn learn(&mut self, w: usize) {
        if self
            .known
            .get(w / 64)
            .is_none_or(|k| k & (1 << (w % 64)) != 0)
        {
            return;
        }
        let at = self.eps_at.get(w * 64..).unwrap_or_default();
        let mut bits = 0;
        for (i, p) in at.windows(2).take(64).enumerate() {
            if p[0] < p[1] {
                bits |= 1 << i;
            }
        }
        if let (Some(e), Some(k)) = (self.eps.get_mut(w), self.known.get_mut(w / 64)) {
            *e = bits;
            *k |= 1 << (w % 64);
        }
    }

    /// Adds the states `bits` of word `w` to the set being built.
    #[inline(always)]
    fn add(&mut self, w: usize, bits: u64) {
        let had = self.dense[w];
        let new = bits & !had;
        if new == 0 {
            return;
        }
        if had == 0 {
            self.touched[self.touched_len] = w as u32;
            self.touched_len += 1;
            // Known before the word is first queued, never "all of
            // them": what a step queues, and so its work, must not depend
            // on which words earlier paths indexed (a fresh policy refused
            // a path a warm one answered; README: refused or answered
            // whatever the cache holds).
            self.learn(w);
        }
        self.dense[w] = had | new;
        let closing = new & self.eps[w];
        if closing == 0 {
            return;
        }
        if self.pending[w] == 0 {
            self.queue[self.queue_len] = w as u32;
            self.queue_len += 1;
        }
        self.pending[w] |= closing;
    }

    /// The next word with pending states.
    #[inline(always)]
    fn pop(&mut self) -> Option<usize> {
        self.queue_len = self.queue_len.checked_sub(1)?;
        Some(self.queue[self.queue_len] as usize)
    }

    /// Adds the states `bits` of word `w`, each moved `delta` forward.
    #[inline(always)]
    fn add_moved(&mut self, w: usize, bits: u64, delta: u32) {
        let (q, r) = ((delta / 64) as usize, delta % 64);
        // A bit shifted out lands in the next word: every target is a
        // state, so each word written to exists.
        let lo = bits << r;
        if lo != 0 {
            self.add(w + q, lo);
        }
        if r > 0 && bits >> (64 - r) != 0 {
            self.add(w + q + 1, bits >> (64 - r));
        }
    }

    #[inline(always)]
    fn add_state(&mut self, s: u32) {
        self.add((s / 64) as usize, 1 << (s % 64));
    }

    /// Drops the set being built (a step refused halfway): the scratch
    /// arrays are zero again for the next step.
    fn discard(&mut self) {
        for &w in &self.touched[..self.touched_len] {
            self.dense[w as usize] = 0;
        }
        for &w in &self.queue[..self.queue_len] {
            self.pending[w as usize] = 0;
        }
        self.touched_len = 0;
        self.queue_len = 0;
    }

    /// Moves the set built into `out` (by word) and clears it.
    fn collect(&mut self, out: &mut Set) {
        let touched = &mut self.touched[..self.touched_len];
        crate::sort::sort_unstable(touched);
        out.clear();
        out.reserve(touched.len());
        let dense = &mut self.dense;
        out.extend(
            touched
                .iter()
                .map(|&w| (w, std::mem::take(&mut dense[w as usize]))),
        );
        self.touched_len = 0;
    }
}

impl Stepper {
    /// A stepper whose paths earn `limit` units of work a byte (see
    /// [`BURST`]).
    pub fn with_limit(limit: usize) -> Stepper {
        Stepper {
            index: Index::default(),
            scratch: Scratch::default(),
            limit,
            narrowed: false,
        }
    }

    /// The most work one step may take.
    pub fn limit(&self) -> usize {
        self.limit
    }

    /// Sizes the per-word arrays for `nfa` (once).
    fn fit(&mut self, nfa: &Nfa) {
        let words = nfa.len().div_ceil(64).max(1);
        if self.index.words.len() < words {
            self.index.words.resize(words, UNINDEXED);
            let sc = &mut self.scratch;
            sc.eps.resize(words, 0);
            sc.known.resize(words.div_ceil(64), 0);
            sc.dense.resize(words, 0);
            sc.pending.resize(words, 0);
            sc.touched.resize(words, 0);
            sc.queue.resize(words, 0);
        }
    }

    /// The start set: state 0 and its closure, in `out`.
    /// Returns the work it took (charged to every path: each begins there).
    pub fn start(&mut self, nfa: &Nfa, out: &mut Set) -> Result<usize, TooComplex> {
        self.fit(nfa);
        let credit = self.credit();
        let mut buf = self.scratch.buf(&nfa.flat.eps_at);
        buf.add(0, 1);
        let mut work = 0;
        close(
            &mut self.index,
            &mut buf,
            nfa,
            &mut work,
            credit,
            self.limit,
        )?;
        buf.collect(out);
        Ok(work)
    }

    /// The work a path may spend before its first byte: [`BURST`] bytes'
    /// worth of the limit.
    pub fn credit(&self) -> usize {
        self.limit.saturating_mul(BURST)
    }

    /// The set after `set` reads byte `b`, closed, in `out`, and the
    /// work it took; an error (and `out` untouched) when the step would
    /// take more than `allowance` (what the path has left, see
    /// [`BURST`]). A unit of work is an active word stepped, a mask of
    /// it tried (a state or edge of a sparse word), a word closed over
    /// and each of its epsilon masks, or a word of the set built: the
    /// count depends on `set` and the class of `b` only, so a cache that
    /// stores it with the transition charges a path the same whatever it
    /// holds.
    pub fn step(
        &mut self,
        nfa: &Nfa,
        set: &[(u32, u64)],
        b: u8,
        out: &mut Set,
        allowance: usize,
    ) -> Result<usize, TooComplex> {
        self.fit(nfa);
        let (ix, limit) = (&mut self.index, self.limit);
        let mut buf = self.scratch.buf(&nfa.flat.eps_at);
        let mut work = 0usize;
        for &(w32, x) in set {
            let w = w32 as usize;
            let word = ix.word(nfa, w, buf.eps);
            let masks = (word.moves.1 - word.moves.0) as usize;
            let sparse = (x.count_ones() as usize) * 2 < masks;
            work += 1 + (word.back.1 - word.back.0) as usize;
            if sparse {
                // Counted as it goes (one pass over the states' edges);
                // checked after the word, so a step stops within a word.
                work += step_states(nfa, &mut buf, w, x, b);
                if work > allowance {
                    buf.discard();
                    return Err(TooComplex { limit });
                }
                continue;
            }
            work += masks;
            if work > allowance {
                buf.discard();
                return Err(TooComplex { limit });
            }
            for m in slice(&ix.moves, word.moves) {
                let y = x & m.mask;
                if y != 0 && nfa.flat.sets.get(m.set as usize).is_some_and(|s| s.has(b)) {
                    buf.add_moved(w, y, m.delta);
                }
            }
            for e in slice(&ix.back, word.back) {
                if x & (1 << (e.from % 64)) != 0 && e.set.is_some_and(|s| s.has(b)) {
                    buf.add_state(e.to);
                }
            }
        }
        close(ix, &mut buf, nfa, &mut work, allowance, limit)?;
        buf.collect(out);
        Ok(work)
    }

    /// Calls `hit` with the id of every pattern accepting in `set`, and
    /// says how many: a unit of work each, refused past `balance` (after
    /// at most `balance` ids; those given are then no answer). 500,000
    /// distinct globs accepting together (`{*/**,N}`) took a first check
    /// 13 ms in the package; a path's last state now reads at most its
    /// work left, [`BURST`] bytes' worth at most (see [`answer_balance`]).
    pub fn accepts(
        &mut self,
        nfa: &Nfa,
        set: &[(u32, u64)],
        balance: usize,
        hit: &mut impl Hit,
    ) -> Result<usize, TooComplex> {
        let mut n = 0usize;
        for &(w, x) in set {
            let mut m = x & self
                .index
                .word(nfa, w as usize, &mut self.scratch.eps)
                .accept;
            while m != 0 {
                let s = w * 64 + m.trailing_zeros();
                // Charged by the ids read: a check reads the lists as
                // narrowed when the policy was built or loaded, lint all.
                let ids = nfa.accepts_of(s, self.narrowed);
                n += ids.len();
                if n > balance {
                    return Err(TooComplex { limit: self.limit });
                }
                // Charged above whether read or not: a path's answer costs
                // the same whatever the caller read before.
                if hit.fresh([NFA_ACCEPTS | narrowed_kind(self.narrowed), s, 0]) {
                    ids.iter().for_each(|&id| hit.id(id));
                }
                m &= m - 1;
            }
        }
        Ok(n)
    }

    /// Runs `path` from the active set `cur` (taken as scratch) and calls
    /// `hit` with the id of every pattern accepting at the end.
    /// `balance` is the work the path may still spend (see [`BURST`]).
    pub fn run_from(
        &mut self,
        nfa: &Nfa,
        cur: &mut Set,
        path: &[u8],
        hit: &mut impl FnMut(u32),
        mut balance: usize,
    ) -> Result<(), TooComplex> {
        let mut next = Vec::with_capacity(cur.len());
        for &b in path {
            if cur.is_empty() {
                return Ok(());
            }
            balance = balance.saturating_add(self.limit).min(self.credit());
            balance -= self.step(nfa, cur, b, &mut next, balance)?;
            std::mem::swap(cur, &mut next);
        }
        let balance = answer_balance(balance, self.limit, self.credit());
        self.accepts(nfa, cur, balance, hit).map(|_| ())
    }
}

/// The work a path's answer may spend, after the last byte left
/// `balance`: like a byte, the answer earns the limit (up to the credit)
/// and pays for what it reads (a unit an accepted id), so an answer of at
/// most `limit` ids never refuses a path (the DFA then need not settle its
/// lazily charged steps).
pub fn answer_balance(balance: usize, limit: usize, credit: usize) -> usize {
    balance.saturating_add(limit).min(credit)
}

/// Adds every state reachable by epsilon edges from the pending ones,
/// counting a unit of `work` per word closed over and per epsilon mask
/// of it; an error (the set discarded) past `limit`.
fn close(
    ix: &mut Index,
    buf: &mut Buf,
    nfa: &Nfa,
    work: &mut usize,
    allowance: usize,
    limit: usize,
) -> Result<(), TooComplex> {
    while let Some(w) = buf.pop() {
        let p = std::mem::take(&mut buf.pending[w]);
        let word = ix.word(nfa, w, buf.eps);
        *work += 1 + (word.leaps.1 - word.leaps.0 + word.back.1 - word.back.0) as usize;
        if *work > allowance {
            buf.discard();
            return Err(TooComplex { limit });
        }
        for &(delta, mask) in slice(&ix.leaps, word.leaps) {
            if p & mask != 0 {
                buf.add_moved(w, p & mask, delta);
            }
        }
        for e in slice(&ix.back, word.back) {
            if e.set.is_none() && p & (1 << (e.from % 64)) != 0 {
                buf.add_state(e.to);
            }
        }
    }
    // The words of the set built: sorted here, then hashed and compared
    // or copied by the DFA that stores it.
    *work += buf.touched_len;
    if *work > allowance {
        buf.discard();
        return Err(TooComplex { limit });
    }
    Ok(())
}

/// A step of the states `x` of word `w` one by one, from the NFA's own
/// edges (a word with a few active states among many masks); returns
/// its work: a unit per state and per edge tried.
fn step_states(nfa: &Nfa, sc: &mut Buf, w: usize, mut x: u64, b: u8) -> usize {
    let f = &nfa.flat;
    let (at, edges, sets) = (f.edges_at.as_slice(), f.edges.as_slice(), f.sets.as_slice());
    let mut work = 0;
    while x != 0 {
        let s = w * 64 + x.trailing_zeros() as usize;
        x &= x - 1;
        let mine = &edges[at[s] as usize..at[s + 1] as usize];
        work += 1 + mine.len();
        for &[set, to] in mine {
            // A bad set index (checked when built or loaded) matches nothing.
            if sets.get(set as usize).is_some_and(|set| set.has(b)) {
                sc.add_state(to);
            }
        }
    }
    work
}

/// The ids a run reports, sorted, each once (for tests comparing runs).
#[cfg(test)]
pub fn ids(run: impl FnOnce(&mut dyn FnMut(u32))) -> Vec<u32> {
    let mut out = Vec::new();
    run(&mut |id| out.push(id));
    out.sort_unstable();
    out.dedup();
    out
}

/// Calls `hit` with the id of every pattern of `nfa` matching `path`.
#[cfg(test)]
pub fn run(nfa: &Nfa, path: &[u8], hit: &mut impl FnMut(u32)) {
    let mut st = Stepper::default();
    let mut cur = Vec::new();
    let limitless = "a stepper without a limit";
    st.start(nfa, &mut cur).expect(limitless);
    st.run_from(nfa, &mut cur, path, hit, usize::MAX)
        .expect(limitless);
}

/// The state-by-state simulation the word steps replace: the reference
/// they are tested against.
#[cfg(test)]
pub fn run_states(nfa: &Nfa, path: &[u8], hit: &mut impl FnMut(u32)) {
    let close = |set: &mut Vec<u32>| {
        let mut i = 0;
        while let Some(&s) = set.get(i) {
            for &e in nfa.eps(s) {
                if !set.contains(&e) {
                    set.push(e);
                }
            }
            i += 1;
        }
    };
    let mut cur = vec![0];
    close(&mut cur);
    for &b in path {
        let mut next = Vec::new();
        for &s in &cur {
            for (set, to) in nfa.edges(s) {
                if set.has(b) && !next.contains(&to) {
                    next.push(to);
                }
            }
        }
        close(&mut next);
        cur = next;
    }
    cur.iter()
        .for_each(|&s| nfa.accept(s).iter().for_each(|&id| hit(id)));
}

#[cfg(test)]
mod tests {
    use super::ids;
    use crate::patterns::{glob_match, PatternSetBuilder};
    use crate::{glob::parse, limits::Limits};

    /// The simulation, the lazy DFA and `globMatch` answer alike (and as
    /// globset), on the shapes that blew up before (long literals after
    /// stars, many stars, alternations holding `/`) and on epsilon paths
    /// that alternate many times (`{,a}*` repeated, nested stars,
    /// alternations holding `/` and `**`).
    #[test]
    fn simulation_and_cached_agree() {
        let star = format!("*{}{}c1", "a".repeat(976), "{a,b}".repeat(8));
        let stars = format!("{}b", "*a".repeat(500));
        let braces = format!("{}{}x1", "{a,b/}".repeat(6), "{a,b}".repeat(8));
        let cases: &[(&str, String, bool)] = &[
            (&star, "a".repeat(1024), false),
            (&star, format!("{}c1", "a".repeat(990)), true),
            (&star, format!("b{}bac1", "a".repeat(982)), true),
            (&star, format!("{}c1", "a".repeat(983)), false),
            (&stars, "a".repeat(512), false),
            (&stars, format!("{}b", "a".repeat(500)), true),
            (&stars, format!("{}b", "a".repeat(499)), false),
            (&stars, format!("{}/b", "a".repeat(600)), false),
            (&braces, format!("{}x", "a/".repeat(2047)), false),
            (&braces, format!("ab/ab/b/a{}x1", "b".repeat(8)), true),
            (&braces, format!("ab/ab/b/a{}x1", "b".repeat(7)), false),
            ("**/x?/*.{rs,md}", "a/b/x1/c.md".into(), true),
            ("**/x?/*.{rs,md}", "x12/c.md".into(), false),
            (&"{,a}*".repeat(40), format!("{}b", "a".repeat(50)), true),
            ("*{*{*,x},y}z", "xyz".into(), true),
            ("*{*{*,x},y}z", "xy".into(), false),
            (
                "{a,b/}{a,b/}{a,b/}{a,b/}{,**/}c*",
                "ab/ab/b/a/c".into(),
                true,
            ),
            (
                "{a,b/}{a,b/}{a,b/}{a,b/}{,**/}c*",
                "ab/ab/b/a/d".into(),
                false,
            ),
            (
                "{a,b/}{a,b/}{a,b/}{a,b/}{,**/}c*",
                "b/b/b/b/q/r/cde".into(),
                true,
            ),
            ("**/{x,y/**/z}?[!q]", "p/x/y/q/zab".into(), true),
            ("**/{x,y/**/z}?[!q]", "p/x/y/q/zaq".into(), false),
            ("a{,b{,c{,d}}}*/**", "abcd/e/f".into(), true),
            ("a{,b{,c{,d}}}*/**", "abcd".into(), true),
            ("a{,b{,c{,d}}}*/**", "b/c".into(), false),
        ];
        for (pattern, path, want) in cases {
            assert_eq!(
                glob_match(pattern, path).unwrap(),
                *want,
                "{pattern} vs {path}"
            );
            let mut b = PatternSetBuilder::new(false);
            b.add(&parse(pattern, &Limits::DEFAULT).unwrap(), 0);
            let set = b.build();
            if set.nfa.is_empty() {
                continue;
            }
            let (mut stepped, mut cached) = (false, false);
            super::run(&set.nfa, path.as_bytes(), &mut |_| stepped = true);
            set.matches(path, usize::MAX, &mut |_| cached = true)
                .unwrap();
            assert_eq!((stepped, cached), (*want, *want), "{pattern} vs {path}");
        }
    }

    /// Word steps answer as state-by-state steps on shapes of every
    /// kind: literal runs and stars (masks), prefixes shared by many
    /// patterns (edges far apart, sparse words stepped state by state),
    /// alternations and globstars (epsilon edges of many distances).
    #[test]
    fn word_steps_agree_with_state_steps() {
        let mut patterns: Vec<String> = vec![
            format!("*{}{}c", "a".repeat(200), "{a,b}".repeat(4)),
            format!("{}b", "*a".repeat(70)),
            format!("*a{}", "?".repeat(150)),
            "**/{x,y/**/z}?[!q]".into(),
            "{a,b/}".repeat(4) + "{,**/}c*",
            format!("*{}c", "{a,b}{,a}".repeat(30)),
        ];
        // Patterns sharing a prefix, each branching off the last one's
        // chain: the chain's states are a pattern's length apart.
        patterns.extend((1..40).map(|k| format!("*{}b{}", "a".repeat(k), "x".repeat(80))));
        let mut b = PatternSetBuilder::new(false);
        for (i, p) in patterns.iter().enumerate() {
            b.add(&parse(p, &Limits::DEFAULT).unwrap(), i as u32);
        }
        let set = b.build();
        let mut paths: Vec<String> = vec![
            "a".repeat(300),
            "a".repeat(150) + "ab" + &"x".repeat(80),
            "a".repeat(20) + "b" + &"x".repeat(80),
            "p/x/y/q/z/ab".into(),
            "ab/ab/b/a/c".into(),
            "ab".repeat(70) + "c",
        ];
        paths.push(
            (0..400u32)
                .map(|i| {
                    if (i.wrapping_mul(2654435761) >> 7) & 1 == 1 {
                        'a'
                    } else {
                        'b'
                    }
                })
                .collect(),
        );
        let mut matched = 0;
        for path in &paths {
            let want = ids(|h| super::run_states(&set.nfa, path.as_bytes(), &mut |id| h(id)));
            let got = ids(|h| super::run(&set.nfa, path.as_bytes(), &mut |id| h(id)));
            assert_eq!(got, want, "{path}");
            matched += want.len();
        }
        assert!(matched >= 4, "the cases match something: {matched}");
    }
}
