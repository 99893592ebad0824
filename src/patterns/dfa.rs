//! A lazy DFA over the [`Nfa`]: each DFA state is a set of NFA states (as
//! `(word, bits)` pairs), built the first time a path needs it (by a step
//! of [`sim`]) and kept
//! in a cache of bounded size that is cleared when full (the
//! regex-automata way). The ids of the patterns matching when a path ends
//! in a state are gathered the first time a path ends there.
//!
//! Cost of one path of `n` bytes: `n` table lookups when the states are
//! cached. A byte that needs a new state costs one word step of [`sim`]
//! (the NFA 64 states at a time) plus hashing and storing the set, both
//! proportional to its words, not its states: a 1 KB glob's literal
//! run, `?`s, classes or stars active at once are at most ~16 words, so
//! the first check of a fresh policy against a 4 KB path builds at most
//! 4,096 states of that size (measured in the package: 1 KB star denies
//! 0.6 ms, `*a???…` against random a/b 2.9 ms, at 64 to 100,000 rules).
//! The bound is `n` × (the words active at once + the edges of words with
//! few active states), never more than `n` × the NFA's size; it grows
//! with the rules only where each rule keeps its own states active (a
//! path naming many `*name*aaa…` rules), so the work is capped: a path
//! earns `maxMatchWork` a byte (see [`Stepper::step`]), each transition
//! stores the work of its step and a path pays it again when it takes
//! the transition from the cache (lazily, see [`Cache::run`]), so a path
//! is refused or answered whatever the cache holds. When the
//! cache fills twice during one path, the rest of the path is stepped
//! without storing states ([`Stepper::run_from`]), so a path that
//! thrashes the cache costs no more than the plain simulation.
//!
//! Memory: everything the cache holds (state sets, transitions, answers,
//! the hash table) is counted by capacity and never exceeds
//! [`CACHE_BYTES`]; growing a table briefly holds its old copy too.
//! Besides: the NFA's edges indexed by word (for words a path reached;
//! at most a mask per NFA edge, kept across clears) and three words of
//! scratch per 64 NFA states.

use std::hash::{BuildHasher, Hasher};
use std::mem::size_of;
use std::sync::atomic::{AtomicU32, Ordering};

use super::hit::{Hit, DFA_ACCEPTS};
use super::nfa::{ByteSet, Nfa};
use super::sim::{answer_balance, Set, Stepper, TooComplex};
use super::FxKeyed;

/// The most memory the cache of one pattern set holds before it is cleared.
pub const CACHE_BYTES: usize = 4 << 20;

/// How often one path may fill the cache before the rest of it is
/// simulated (regex-automata gives up after a few clears, too).
const CLEARS_PER_PATH: u32 = 2;

const UNKNOWN: u32 = u32::MAX;
/// Marks a transition whose work is over the limit (state ids stay far
/// below: the cache holds at most a few hundred thousand states); as
/// [`UNKNOWN`] has it too, one comparison tells a plain lookup apart.
const HEAVY: u32 = 1 << 31;
const DEAD: u32 = 0;
const START: u32 = 1;

/// Byte classes: bytes no NFA edge tells apart share a class, so a DFA
/// state's row has one entry per class, not per byte.
#[derive(Debug, Clone)]
pub struct Classes {
    of: [u8; 256],
    /// A member of each class.
    rep: Vec<u8>,
}

impl Default for Classes {
    /// One class: no edge tells bytes apart.
    fn default() -> Self {
        Classes {
            of: [0; 256],
            rep: vec![0],
        }
    }
}

impl Classes {
    /// How many classes.
    #[cfg(test)]
    pub fn len(&self) -> usize {
        self.rep.len()
    }

    /// A member of class `c`.
    #[cfg(test)]
    pub fn rep(&self, c: usize) -> u8 {
        self.rep[c]
    }

    /// The class of `b`.
    #[cfg(test)]
    pub fn of(&self, b: u8) -> usize {
        usize::from(self.of[usize::from(b)])
    }

    /// The coarsest classes that respect every edge of `nfa`. This scans
    /// the whole NFA, so it runs when a set is built (never at a check).
    pub fn new(nfa: &Nfa) -> Classes {
        // The builder interns its sets: each is there once.
        Classes::of_sets(&nfa.flat.sets)
    }

    /// The coarsest classes that tell apart the members and non-members of
    /// each of `sets` (a snapshot holds its distinct edge sets).
    // Out of line: one copy for building and loading a snapshot.
    #[inline(never)]
    pub fn of_sets(sets: &[ByteSet]) -> Classes {
        let mut of = [0u8; 256];
        let mut count = 1usize;
        for set in sets {
            if count == 256 {
                break;
            }
            // Most sets are one byte (a literal's): it leaves its class
            // unless alone there, a compare per byte (the split below, per
            // set, was a sixth of building a policy's automaton).
            if let Some(b) = set.single() {
                let c = of[usize::from(b)];
                if of.iter().filter(|&&o| o == c).count() > 1 {
                    of[usize::from(b)] = count as u8;
                    count += 1;
                }
                continue;
            }
            // Each existing class splits into members and non-members.
            let mut remap = [u16::MAX; 512];
            let mut next = 0usize;
            // Not a `u8` range: its `next` stays a call when optimized
            // for size (256 calls a set).
            for (b, o) in of.iter_mut().enumerate() {
                let key = usize::from(*o) * 2 + usize::from(set.has(b as u8));
                if remap[key] == u16::MAX {
                    remap[key] = next as u16;
                    next += 1;
                }
                *o = remap[key] as u8;
            }
            count = next;
        }
        let mut rep = vec![0u8; count];
        for b in (0..256).rev() {
            rep[usize::from(of[b])] = b as u8;
        }
        Classes { of, rep }
    }
}

/// A DFA state: its NFA states, and (once asked) its answers.
#[derive(Debug, Clone, Copy)]
struct Slot {
    /// Range of its NFA states in `elems`.
    set: (u32, u32),
    /// Range in `accepts` of the pattern ids it gives a check (the NFA's
    /// lists as narrowed, see [`Nfa::narrow`]), or `UNKNOWN` before asked.
    accept: (u32, u32),
    /// How many ids those are (what a check's answer costs, see
    /// [`super::sim::answer_balance`]), or `UNKNOWN` before counted.
    weight: u32,
    /// How many ids it gives lint (the lists unnarrowed), or `UNKNOWN`.
    all: u32,
    hash: u64,
}

/// Narrows ids that always match together (two or more: a list of the
/// trie, a run of its equal suffixes, the ids one NFA state accepts) to
/// those the caller reads: pushes the ones to keep. Given once, after a
/// build or a load (see [`super::PatternSet::narrow`]).
pub type Narrow<'a> = &'a dyn Fn(&[u32], &mut Vec<u32>);

/// The cache: DFA states and their transitions.
#[derive(Debug)]
pub struct Cache {
    classes: Classes,
    /// `trans[state * classes + class]`: the next state, or [`UNKNOWN`].
    trans: Vec<u32>,
    /// `work[state * classes + class]`: the work that step took, charged
    /// again each time a path takes it from the cache (so a path is
    /// refused or answered whatever the cache holds).
    work: Vec<u32>,
    /// The work of the start set, charged to every path.
    start_work: usize,
    slots: Vec<Slot>,
    /// The NFA states of every DFA state, one after the other (as
    /// [`Set`]s: `(word, bits)` by word).
    elems: Vec<(u32, u64)>,
    accepts: Vec<u32>,
    /// Open addressing by set hash: DFA state ids, [`UNKNOWN`] when free.
    table: Vec<u32>,
    /// The most bytes held: [`CACHE_BYTES`] (tests use less).
    limit: usize,
    /// The NFA's edges by word, and the scratch of a step (not cached:
    /// proportional to the NFA, kept when the cache is cleared).
    sim: Stepper,
    /// The set being built.
    next: Set,
    /// Set when the start set took more work than the limit (then every
    /// path is refused: the start is where each one begins).
    start_refused: Option<TooComplex>,
    /// Names this cache's states until it is cleared, unlike any other
    /// cache's in the process (see [`Cache::answer`]).
    generation: u32,
}

/// The next [`Cache::generation`].
static GENERATIONS: AtomicU32 = AtomicU32::new(0);

/// The hash of a set: one multiply per `(word, bits)` (the derived
/// `Hash` takes two and a length), a step that builds a new state hashes
/// every word of it. Keyed and mixed as the crate's tables are
/// ([`FxKeyed`]): the cache's table indexes by the low bits, and which
/// sets a path reaches is the caller's to choose.
fn hash_set(set: &[(u32, u64)]) -> u64 {
    let mut h = FxKeyed::default().build_hasher();
    for &(w, x) in set {
        h.write_u64(x ^ u64::from(w).rotate_left(40));
    }
    h.finish()
}

/// The capacity `v` grows to for `extra` more items: doubled, or with
/// `tight` (when doubling would not fit the cache) by an eighth, so a cache
/// fills its bytes instead of clearing at the last power of two that fits
/// (8,192 states of 28 classes in 2.7 of its 4 MiB).
fn grown<T>(v: &Vec<T>, extra: usize, tight: bool) -> usize {
    let (need, cap) = (v.len() + extra, v.capacity());
    if need <= cap {
        cap
    } else if tight {
        need.max(cap + cap / 8)
    } else {
        need.max(cap * 2).max(8)
    }
}

/// Empties `v` for a new fill of the cache: keeps its capacity if the
/// last fill used at least a quarter of it.
fn renew<T>(v: &mut Vec<T>) {
    if v.len() * 4 < v.capacity() {
        *v = Vec::new();
    } else {
        v.clear();
    }
}

/// The bytes `v` grows by for `extra` more items (see [`grown`]).
fn growth<T>(v: &Vec<T>, extra: usize, tight: bool) -> usize {
    (grown(v, extra, tight) - v.capacity()) * size_of::<T>()
}

/// Grows `v` as [`growth`] counts.
fn reserve<T>(v: &mut Vec<T>, extra: usize, tight: bool) {
    let want = grown(v, extra, tight);
    if want > v.capacity() {
        v.reserve_exact(want - v.len());
    }
}

impl Cache {
    /// An empty cache for `nfa`, whose steps take at most `work` units
    /// of work each (see [`Stepper::step`]).
    pub fn new(nfa: &Nfa, classes: Classes, work: usize) -> Cache {
        Cache::with_limit(nfa, classes, CACHE_BYTES, work)
    }

    /// An empty cache holding at most `limit` bytes.
    fn with_limit(nfa: &Nfa, classes: Classes, limit: usize, work: usize) -> Cache {
        let mut c = Cache {
            limit,
            classes,
            trans: Vec::new(),
            work: Vec::new(),
            start_work: 0,
            slots: Vec::new(),
            elems: Vec::new(),
            accepts: Vec::new(),
            table: Vec::new(),
            sim: Stepper::with_limit(work),
            next: Vec::new(),
            start_refused: None,
            generation: 0,
        };
        c.reset(nfa);
        c
    }

    /// The limit of work of its steps.
    pub fn work_limit(&self) -> usize {
        self.sim.limit()
    }

    /// Every byte the cache holds (its scratch aside).
    pub fn held(&self) -> usize {
        self.trans.capacity() * 4
            + self.work.capacity() * 4
            + self.slots.capacity() * size_of::<Slot>()
            + self.elems.capacity() * size_of::<(u32, u64)>()
            + self.accepts.capacity() * 4
            + self.table.capacity() * 4
    }

    fn reset(&mut self, nfa: &Nfa) {
        self.generation = GENERATIONS.fetch_add(1, Ordering::Relaxed);
        // Kept for the next fill, so that it does not grow them again (a
        // cache churning through 4 MiB grew from nothing at each clear);
        // dropped when the fill that just ended used under a quarter of one:
        // capacities count as held, and the proportions of the next states
        // may differ (bigger sets, more rows).
        renew(&mut self.trans);
        renew(&mut self.work);
        renew(&mut self.slots);
        renew(&mut self.elems);
        renew(&mut self.accepts);
        renew(&mut self.table);
        let mut set = std::mem::take(&mut self.next);
        set.clear();
        // Both fit in any cache: an empty set and the start set are small
        // next to CACHE_BYTES (the start set is the NFA's first states).
        let _ = self.insert(&set);
        // A refused start keeps the empty set in its place (never used).
        match self.sim.start(nfa, &mut set) {
            Ok(work) => (self.start_work, self.start_refused) = (work, None),
            Err(e) => self.start_refused = Some(e),
        }
        let _ = self.insert(&set);
        self.next = set;
    }

    fn find(&self, set: &[(u32, u64)], hash: u64) -> Option<u32> {
        if self.table.is_empty() {
            return None;
        }
        let mask = self.table.len() - 1;
        let mut i = hash as usize & mask;
        loop {
            let id = self.table[i];
            if id == UNKNOWN {
                return None;
            }
            let slot = self.slots[id as usize];
            if slot.hash == hash && &self.elems[slot.set.0 as usize..slot.set.1 as usize] == set {
                return Some(id);
            }
            i = (i + 1) & mask;
        }
    }

    /// Stores `set` as a new state; `None` when it does not fit.
    fn insert(&mut self, set: &[(u32, u64)]) -> Option<u32> {
        let n = self.classes.rep.len();
        let id = self.slots.len();
        // The table stays at most half full.
        let table = if (id + 1) * 2 > self.table.len() {
            (self.table.len() * 2).max(64)
        } else {
            self.table.len()
        };
        let more = |tight| {
            growth(&self.trans, n, tight) * 2
                + growth(&self.slots, 1, tight)
                + growth(&self.elems, set.len(), tight)
                + table.saturating_sub(self.table.capacity()) * 4
        };
        let held = self.held();
        let tight = held + more(false) > self.limit;
        if tight && held + more(true) > self.limit && id > START as usize {
            return None;
        }
        reserve(&mut self.trans, n, tight);
        reserve(&mut self.work, n, tight);
        reserve(&mut self.slots, 1, tight);
        reserve(&mut self.elems, set.len(), tight);
        let start = self.elems.len() as u32;
        self.elems.extend_from_slice(set);
        self.trans.extend(std::iter::repeat_n(UNKNOWN, n));
        self.work.extend(std::iter::repeat_n(0, n));
        let hash = hash_set(set);
        self.slots.push(Slot {
            set: (start, self.elems.len() as u32),
            accept: (UNKNOWN, UNKNOWN),
            weight: UNKNOWN,
            all: UNKNOWN,
            hash,
        });
        if table != self.table.len() {
            self.rehash(table);
        } else {
            self.place(id as u32);
        }
        Some(id as u32)
    }

    fn place(&mut self, id: u32) {
        let mask = self.table.len() - 1;
        let mut i = self.slots[id as usize].hash as usize & mask;
        while self.table[i] != UNKNOWN {
            i = (i + 1) & mask;
        }
        self.table[i] = id;
    }

    fn rehash(&mut self, size: usize) {
        self.table.clear();
        self.table.resize(size, UNKNOWN);
        for id in 0..self.slots.len() as u32 {
            self.place(id);
        }
    }

    /// The state after `from` on bytes of `class`, built if needed. May
    /// clear the cache, so only the returned id stays valid. `None` when
    /// the path has cleared the cache too often: the set is then in
    /// `self.next`, for the caller to simulate from. A step over the
    /// limit of work is an error and stores nothing, so a cached
    /// transition never skips a step that would be refused.
    fn step(
        &mut self,
        nfa: &Nfa,
        from: u32,
        class: usize,
        clears: &mut u32,
        balance: &mut usize,
    ) -> Result<Option<u32>, TooComplex> {
        let b = self.classes.rep[class];
        let (lo, hi) = self.slots[from as usize].set;
        let mut next = std::mem::take(&mut self.next);
        let set = &self.elems[lo as usize..hi as usize];
        let work = match self.sim.step(nfa, set, b, &mut next, *balance) {
            Ok(work) => work,
            Err(e) => {
                self.next = next;
                return Err(e);
            }
        };
        *balance -= work;
        let hash = hash_set(&next);
        let found = self.find(&next, hash);
        let id = match found {
            Some(id) => Some(id),
            None => self.insert(&next),
        };
        let id = match id {
            Some(id) => id,
            None if *clears >= CLEARS_PER_PATH => {
                self.next = next;
                return Ok(None);
            }
            None => {
                *clears += 1;
                self.reset(nfa);
                let id = self.insert(&next);
                self.next = next;
                return Ok(id);
            }
        };
        self.next = next;
        let at = from as usize * self.classes.rep.len() + class;
        // A step over the limit is marked: a path taking it from the
        // cache settles its balance first (see `Cache::run`).
        self.trans[at] = if work > self.sim.limit() {
            id | HEAVY
        } else {
            id
        };
        self.work[at] = u32::try_from(work).unwrap_or(u32::MAX);
        Ok(Some(id))
    }

    /// Calls `hit` with the id of every pattern matching `path` (with
    /// `narrowed`, as the NFA's lists were narrowed); an error when the
    /// path runs out of work (see [`super::sim::BURST`]): a check's `hit`
    /// is not called then, lint's may have been (those ids are no answer).
    ///
    /// A step within the limit never runs a path out of work (it earns
    /// the limit first and holds at least nothing), so cached steps
    /// within the limit are taken as plain table lookups and charged
    /// later: before a heavy or unknown step, [`Cache::settle`] replays
    /// them from the table (nothing was stored meanwhile) for the exact
    /// balance. A path is charged the same whatever the cache holds.
    // Not inlined into its caller (one per `hit` type): with one call site
    // there it was, +0.8 KB of gzipped WASM.
    #[inline(never)]
    pub fn run(
        &mut self,
        nfa: &Nfa,
        path: &[u8],
        narrowed: bool,
        hit: &mut impl Hit,
    ) -> Result<(), TooComplex> {
        if let Some(e) = self.start_refused {
            return Err(e);
        }
        self.sim.narrowed = narrowed;
        let too_complex = TooComplex {
            limit: self.sim.limit(),
        };
        let credit = self.sim.credit();
        let balance = credit.checked_sub(self.start_work).ok_or(too_complex)?;
        // The balance after `path[..at.0]`, which ended in state `at.1`.
        let mut settled = (0, START, balance);
        let n = self.classes.rep.len();
        let mut s = START;
        let mut clears = 0;
        for (i, &b) in path.iter().enumerate() {
            let class = usize::from(self.classes.of[usize::from(b)]);
            let mut next = self.trans[s as usize * n + class];
            if next >= HEAVY {
                let mut balance = self.settle(path, settled, i);
                balance = balance.saturating_add(self.sim.limit()).min(credit);
                if next != UNKNOWN {
                    let work = self.work[s as usize * n + class] as usize;
                    balance = balance.checked_sub(work).ok_or(too_complex)?;
                    next &= !HEAVY;
                } else {
                    match self.step(nfa, s, class, &mut clears, &mut balance)? {
                        Some(id) => next = id & !HEAVY,
                        None => {
                            let (r, ids) = self.simulate(nfa, &path[i + 1..], balance);
                            ids.into_iter().for_each(|id| hit.id(id));
                            return r;
                        }
                    }
                }
                settled = (i + 1, next, balance);
            }
            s = next;
            if s == DEAD {
                return Ok(());
            }
        }
        // The answer is charged like a step (see `answer_balance`): one
        // within the limit needs no settled balance.
        let (limit, weight) = (self.sim.limit(), self.slots[s as usize].weight);
        let balance = if narrowed && weight != UNKNOWN && weight as usize <= limit {
            limit
        } else {
            let balance = self.settle(path, settled, path.len());
            answer_balance(balance, limit, credit)
        };
        self.answer(nfa, s, narrowed, balance, hit)
    }

    /// Runs the rest of a path that cleared the cache too often from the
    /// set in `self.next`, storing nothing; the ids accepting at its end
    /// (the automaton's lists as narrowed, see [`Nfa::narrow`]: narrowing
    /// their union too, with nothing cached, read as much as the check
    /// then spares). One copy, not one per caller's `hit` type.
    #[inline(never)]
    fn simulate(
        &mut self,
        nfa: &Nfa,
        rest: &[u8],
        balance: usize,
    ) -> (Result<(), TooComplex>, Vec<u32>) {
        let mut cur = std::mem::take(&mut self.next);
        let mut ids = Vec::new();
        let r = self
            .sim
            .run_from(nfa, &mut cur, rest, &mut |id| ids.push(id), balance);
        self.next = cur;
        (r, ids)
    }

    /// The balance at `path[..to]`, from the one `settled` at an earlier
    /// byte, through cached steps within the limit: each earns the limit
    /// (up to the path's credit) and pays its stored work.
    fn settle(&self, path: &[u8], settled: (usize, u32, usize), to: usize) -> usize {
        let (from, mut s, mut balance) = settled;
        let (n, limit, credit) = (self.classes.rep.len(), self.sim.limit(), self.sim.credit());
        for &b in &path[from..to] {
            let at = s as usize * n + usize::from(self.classes.of[usize::from(b)]);
            balance = balance.saturating_add(limit).min(credit) - self.work[at] as usize;
            s = self.trans[at];
        }
        balance
    }

    /// Calls `hit` with the ids of the patterns accepting in `s`: with
    /// `narrowed` (a check), from the NFA's narrowed lists, gathered once
    /// and kept when they fit in the cache; without (lint and tests,
    /// which want every id), all of them, gathered at each call. Refused when the state accepts more
    /// ids than `balance` (see [`super::sim::answer_balance`]), whatever
    /// the cache holds.
    fn answer(
        &mut self,
        nfa: &Nfa,
        s: u32,
        narrowed: bool,
        balance: usize,
        hit: &mut impl Hit,
    ) -> Result<(), TooComplex> {
        let slot = self.slots[s as usize];
        // The weight is a check's (lint reads more, and counts at each call).
        if narrowed && slot.weight != UNKNOWN && slot.weight as usize > balance {
            return Err(TooComplex {
                limit: self.sim.limit(),
            });
        }
        if !narrowed {
            return self.answer_all(nfa, s, balance, hit);
        }
        if slot.accept.0 == UNKNOWN {
            let set = &self.elems[slot.set.0 as usize..slot.set.1 as usize];
            let mut ids = Vec::new();
            let n = self
                .sim
                .accepts(nfa, set, balance, &mut |id| ids.push(id))?;
            self.slots[s as usize].weight = u32::try_from(n).unwrap_or(UNKNOWN - 1);
            if self.held() + growth(&self.accepts, ids.len(), false) > self.limit {
                ids.into_iter().for_each(|id| hit.id(id));
                return Ok(());
            }
            let start = self.accepts.len() as u32;
            reserve(&mut self.accepts, ids.len(), false);
            self.accepts.extend_from_slice(&ids);
            self.slots[s as usize].accept = (start, self.accepts.len() as u32);
        }
        let (lo, hi) = self.slots[s as usize].accept;
        self.accepts[lo as usize..hi as usize]
            .iter()
            .for_each(|&id| hit.id(id));
        Ok(())
    }

    /// [`Cache::answer`] for lint: every id, straight from the NFA's lists;
    /// ids given before a refusal are no answer. A `hit` that read the
    /// state before skips it (the state's ids are the same until the cache
    /// is cleared: its generation is in the key): 1,000 globs `{*,aN}/**`
    /// that all match every file made each of 100,000 files read 1,000
    /// lists, 13 s of `lint` (an attacker's pass, session 37). Charged as
    /// read either way: a path's answer costs the same whatever the caller
    /// read before.
    fn answer_all(
        &mut self,
        nfa: &Nfa,
        s: u32,
        balance: usize,
        hit: &mut impl Hit,
    ) -> Result<(), TooComplex> {
        let slot = self.slots[s as usize];
        let read = hit.fresh([DFA_ACCEPTS, s, self.generation]);
        if !read && slot.all != UNKNOWN {
            return match slot.all as usize > balance {
                true => Err(TooComplex {
                    limit: self.sim.limit(),
                }),
                false => Ok(()),
            };
        }
        let set = &self.elems[slot.set.0 as usize..slot.set.1 as usize];
        let n = self.sim.accepts(nfa, set, balance, hit)?;
        self.slots[s as usize].all = u32::try_from(n).unwrap_or(UNKNOWN - 1);
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::glob::parse;
    use crate::limits::Limits;
    use crate::patterns::sim::{self, ids as hits};
    use crate::patterns::PatternSetBuilder;

    fn nfa_of(patterns: &[&str]) -> Nfa {
        let mut b = PatternSetBuilder::new(false);
        for (i, p) in patterns.iter().enumerate() {
            b.add(&parse(p, &Limits::DEFAULT).unwrap(), i as u32);
        }
        b.build().nfa
    }

    /// A cache far too small for the paths: it clears, falls back to the
    /// simulation, never holds more than its limit, and answers as the
    /// simulation does.
    #[test]
    fn a_thrashing_cache_stays_in_its_limit_and_agrees() {
        let star = format!("*{}{}c", "a".repeat(300), "{a,b}".repeat(4));
        let nfa = nfa_of(&[&star, "*a*b*", "**/x?/**", "{a,b/}{a,b/}*{c,d}", "*a"]);
        let paths: Vec<String> = vec![
            "a".repeat(1000),
            format!("{}bbbc", "a".repeat(400)),
            format!("{}c", "a".repeat(305)),
            "ab/b/x1/y".into(),
            "b/b/zzc".into(),
            "aab".into(),
        ];
        for limit in [1 << 10, 64 << 10, CACHE_BYTES] {
            let mut cache = Cache::with_limit(&nfa, Classes::new(&nfa), limit, usize::MAX);
            for _ in 0..2 {
                for p in &paths {
                    let want = hits(|h| sim::run(&nfa, p.as_bytes(), &mut |id| h(id)));
                    let got = hits(|h| {
                        cache
                            .run(&nfa, p.as_bytes(), false, &mut |id| h(id))
                            .unwrap()
                    });
                    assert_eq!(got, want, "{p} at limit {limit}");
                    // (a 1 KB limit is under the two states always kept)
                    if limit > 1 << 10 {
                        assert!(cache.held() <= limit, "{} > {limit}", cache.held());
                    }
                }
            }
        }
    }

    /// The accounting counts what the cache holds: a long star glob's
    /// growing state sets (a word per 64 of its states) are measured,
    /// and the cache stays under 4 MiB.
    #[test]
    fn held_bytes_count_the_state_sets() {
        let star = format!("*{}?", "a".repeat(1000));
        let nfa = nfa_of(&[&star]);
        let mut cache = Cache::new(&nfa, Classes::new(&nfa), usize::MAX);
        cache
            .run(&nfa, "a".repeat(1200).as_bytes(), false, &mut |_| {})
            .unwrap();
        // About 1,000 states of 8 words each on average.
        assert!(cache.elems.len() > 1000 * 8, "{}", cache.elems.len());
        assert!(cache.held() >= cache.elems.len() * 12 + cache.trans.len() * 4);
        assert!(cache.held() <= CACHE_BYTES);
    }

    /// The simulation's answer, or its refusal, for `path` under `limit`:
    /// every byte's step charged as it is taken (the reference for the
    /// cache, which charges cached steps lazily).
    fn simulated(nfa: &Nfa, path: &[u8], limit: usize) -> Result<Vec<u32>, TooComplex> {
        let mut st = Stepper::with_limit(limit);
        let mut cur = Vec::new();
        let balance = st.credit().checked_sub(st.start(nfa, &mut cur)?);
        let balance = balance.ok_or(TooComplex { limit })?;
        let mut ids = Vec::new();
        st.run_from(nfa, &mut cur, path, &mut |id| ids.push(id), balance)?;
        crate::sort::sort_unstable(&mut ids);
        ids.dedup();
        Ok(ids)
    }

    /// README "Security" (maxMatchWork): a path is refused or answered as
    /// the plain simulation does, whatever the cache holds. Paths naming
    /// more and more infix rules (each name keeps a star active: steps
    /// over the limit), sharing prefixes (cached steps within the limit,
    /// charged lazily, then new or heavy ones), on a fresh cache each and
    /// on one cache warmed by all of them, in both orders.
    #[test]
    fn refusals_do_not_depend_on_the_cache() {
        let patterns: Vec<String> = (0..120).map(|i| format!("**/*secret{i}_*")).collect();
        let nfa = nfa_of(&patterns.iter().map(String::as_str).collect::<Vec<_>>());
        let names = |k: usize, from: usize| -> String {
            (0..k)
                .map(|j| format!("secret{}_", (from + j * 37) % 120))
                .collect()
        };
        let mut paths: Vec<String> = Vec::new();
        for k in [1, 4, 8, 16, 24, 32, 48, 64, 96] {
            for tail in ["", "x", "/secret3_", "xyz/secret5_zz"] {
                paths.push(format!("ops/keys/{}{tail}", names(k, 0)));
                paths.push(format!("ops/keys/{}{}{tail}", names(k, 0), names(k, 7)));
                paths.push(format!("a/{}/{}{tail}", names(k, 3), names(2 * k, 11)));
            }
        }
        // k names said again and again (the same states: cached, and
        // within the limit or just over it), then m new ones: whether the
        // new ones fit depends on what the repeats left.
        for k in [2, 4, 8, 12, 16, 24, 32] {
            for r in [1, 3, 8] {
                for m in [8, 16, 32, 64] {
                    paths.push(format!("ops/{}{}", names(k, 0).repeat(r), names(m, 50)));
                }
            }
        }
        for limit in (16..=160).step_by(16) {
            let want: Vec<_> = paths
                .iter()
                .map(|p| simulated(&nfa, p.as_bytes(), limit))
                .collect();
            let refused = want.iter().filter(|w| w.is_err()).count();
            assert!(
                refused > 4 && refused + 4 < paths.len(),
                "{refused} at {limit}"
            );
            let run = |cache: &mut Cache, p: &str| {
                let mut ids = Vec::new();
                let r = cache.run(&nfa, p.as_bytes(), false, &mut |id| ids.push(id));
                ids.sort_unstable();
                ids.dedup();
                r.map(|()| ids)
            };
            let mut warm = Cache::new(&nfa, Classes::new(&nfa), limit);
            let order: Vec<usize> = (0..paths.len()).chain((0..paths.len()).rev()).collect();
            for &i in &order {
                let mut fresh = Cache::new(&nfa, Classes::new(&nfa), limit);
                assert_eq!(
                    run(&mut fresh, &paths[i]),
                    want[i],
                    "fresh, {limit}: {}",
                    paths[i]
                );
                assert_eq!(
                    run(&mut warm, &paths[i]),
                    want[i],
                    "warm, {limit}: {}",
                    paths[i]
                );
            }
        }
    }

    #[test]
    fn classes_split_every_edge_set() {
        let nfa = nfa_of(&["a[b-d]?/x*"]);
        let c = Classes::new(&nfa);
        let class = |b: u8| c.of[usize::from(b)];
        assert_ne!(class(b'a'), class(b'b'));
        assert_eq!(class(b'b'), class(b'c'));
        assert_ne!(class(b'/'), class(b'q'));
        assert_eq!(class(b'q'), class(b'z'));
        assert_eq!(
            c.rep.len(),
            c.of.iter().max().map_or(1, |&m| usize::from(m) + 1)
        );
    }

    /// Classes are the bytes of one membership in every set, whatever mix
    /// of one-byte and wider sets.
    #[test]
    fn classes_are_the_membership_signatures() {
        let mut seed = 11u64;
        let mut rand = || {
            seed = seed
                .wrapping_mul(6364136223846793005)
                .wrapping_add(1442695040888963407);
            seed >> 33
        };
        for round in 0..200 {
            let sets: Vec<ByteSet> = (0..rand() % 300)
                .map(|_| match rand() % 3 {
                    0 if round % 2 == 0 => ByteSet([rand() << 40, rand(), 0, rand() << 31]),
                    _ => ByteSet::byte(rand() as u8),
                })
                .collect();
            let c = Classes::of_sets(&sets);
            let signature = |b: u8| sets.iter().map(|s| s.has(b)).collect::<Vec<_>>();
            // The same class exactly when the same membership.
            let sigs: Vec<Vec<bool>> = (0..=255u8).map(signature).collect();
            let mut seen = sigs.clone();
            seen.sort();
            seen.dedup();
            let id: Vec<usize> = sigs
                .iter()
                .map(|s| seen.binary_search(s).unwrap())
                .collect();
            for x in 0..=255u8 {
                for y in 0..=255u8 {
                    let same = c.of(x) == c.of(y);
                    assert_eq!(
                        same,
                        id[x as usize] == id[y as usize],
                        "round {round}: {x}, {y}"
                    );
                }
            }
            assert_eq!(c.len(), seen.len());
            for k in 0..c.len() {
                assert_eq!(c.of(c.rep(k)), k);
            }
        }
    }
}
