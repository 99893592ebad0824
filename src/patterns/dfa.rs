//! A lazy DFA over the [`Nfa`]: each DFA state is a set of NFA states,
//! built the first time a path needs it and kept in a cache of bounded
//! size that is cleared when full (the regex-automata way). Each state
//! holds the ids of the patterns that match when the path ends there.
//!
//! Cost of one path of `n` bytes: `n` table lookups when the states are
//! cached; at worst (every byte a new state, or the cache thrashing)
//! `n` × the size of the NFA's active set, which the NFA's prefix
//! sharing keeps to the distinct prefixes the path can be in, and which
//! is never more than the NFA (linear in the total pattern size).
//! Memory: the cache never holds more than [`CACHE_BYTES`].

use std::hash::{BuildHasher, BuildHasherDefault};

use super::nfa::{ByteSet, Nfa};
use super::{Fx, FxMap};

/// The most memory the cache of one pattern set holds before it is cleared.
pub const CACHE_BYTES: usize = 4 << 20;

const UNKNOWN: u32 = u32::MAX;
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

impl Classes {
    /// The coarsest classes that respect every edge of `nfa`.
    pub fn new(nfa: &Nfa) -> Classes {
        // Split classes by each distinct edge set, refining a partition.
        let mut sets: Vec<ByteSet> = nfa
            .states
            .iter()
            .flat_map(|s| s.edges.iter().map(|e| e.0))
            .collect();
        sets.sort_unstable_by_key(|s| s.0);
        sets.dedup();
        let mut of = [0u8; 256];
        let mut count = 1usize;
        for set in &sets {
            // Each existing class splits into members and non-members.
            let mut remap = [u16::MAX; 512];
            let mut next = 0usize;
            for b in 0..=255u8 {
                let key = usize::from(of[b as usize]) * 2 + usize::from(set.has(b));
                if remap[key] == u16::MAX {
                    remap[key] = next as u16;
                    next += 1;
                }
                of[b as usize] = remap[key] as u8;
            }
            count = next;
            if count == 256 {
                break;
            }
        }
        let mut rep = vec![0u8; count];
        for b in (0..=255u8).rev() {
            rep[of[b as usize] as usize] = b;
        }
        Classes { of, rep }
    }
}

/// The cache: DFA states and their transitions.
#[derive(Debug)]
pub struct Cache {
    classes: Classes,
    /// `trans[state * classes + class]`: the next state, or [`UNKNOWN`].
    trans: Vec<u32>,
    /// The NFA states of each DFA state.
    sets: Vec<Box<[u32]>>,
    /// Per DFA state, its range in `accepts`.
    accept_at: Vec<(u32, u32)>,
    accepts: Vec<u32>,
    /// By the hash of its NFA set: the first DFA state with that hash;
    /// `same_hash` chains the others (sets are stored once, in `sets`).
    ids: FxMap<u64, u32>,
    same_hash: Vec<u32>,
    bytes: usize,
    /// Scratch for closures.
    mark: Vec<u32>,
    generation: u32,
    stack: Vec<u32>,
}

impl Cache {
    /// An empty cache for `nfa`.
    pub fn new(nfa: &Nfa, classes: Classes) -> Cache {
        let mut c = Cache {
            classes,
            trans: Vec::new(),
            sets: Vec::new(),
            accept_at: Vec::new(),
            accepts: Vec::new(),
            ids: FxMap::default(),
            same_hash: Vec::new(),
            bytes: 0,
            mark: vec![0; nfa.states.len()],
            generation: 0,
            stack: Vec::new(),
        };
        c.reset(nfa);
        c
    }

    fn reset(&mut self, nfa: &Nfa) {
        self.trans.clear();
        self.sets.clear();
        self.accept_at.clear();
        self.accepts.clear();
        self.ids.clear();
        self.same_hash.clear();
        self.bytes = 0;
        self.insert(nfa, Vec::new());
        let start = self.closure(nfa, &[0]);
        self.insert(nfa, start);
    }

    /// The epsilon closure of `from`, sorted.
    fn closure(&mut self, nfa: &Nfa, from: &[u32]) -> Vec<u32> {
        self.generation = self.generation.wrapping_add(1);
        if self.generation == 0 {
            self.mark.iter_mut().for_each(|m| *m = 0);
            self.generation = 1;
        }
        let g = self.generation;
        let mut out = Vec::new();
        self.stack.clear();
        self.stack.extend_from_slice(from);
        while let Some(s) = self.stack.pop() {
            if self.mark[s as usize] == g {
                continue;
            }
            self.mark[s as usize] = g;
            out.push(s);
            self.stack.extend_from_slice(&nfa.states[s as usize].eps);
        }
        out.sort_unstable();
        out
    }

    fn insert(&mut self, nfa: &Nfa, set: Vec<u32>) -> u32 {
        let id = self.sets.len() as u32;
        let start = self.accepts.len() as u32;
        for &s in &set {
            self.accepts
                .extend_from_slice(&nfa.states[s as usize].accept);
        }
        self.accept_at.push((start, self.accepts.len() as u32));
        let n = self.classes.rep.len();
        self.trans.extend(std::iter::repeat_n(UNKNOWN, n));
        self.bytes += n * 4 + set.len() * 4 + 64 + (self.accepts.len() - start as usize) * 4;
        let h = hash(&set);
        let prev = self.ids.insert(h, id).unwrap_or(UNKNOWN);
        self.same_hash.push(prev);
        self.sets.push(set.into());
        id
    }

    fn find(&self, set: &[u32]) -> Option<u32> {
        let mut at = *self.ids.get(&hash(set))?;
        while at != UNKNOWN {
            if *self.sets[at as usize] == *set {
                return Some(at);
            }
            at = self.same_hash[at as usize];
        }
        None
    }

    /// The state after `from` on bytes of `class`, built if needed. May
    /// clear the cache, so only the returned id stays valid.
    fn step(&mut self, nfa: &Nfa, from: u32, class: usize) -> u32 {
        let b = self.classes.rep[class];
        let mut next = Vec::new();
        for &s in self.sets[from as usize].iter() {
            for (set, to) in &nfa.states[s as usize].edges {
                if set.has(b) {
                    next.push(*to);
                }
            }
        }
        let next = self.closure(nfa, &next);
        if let Some(id) = self.find(&next) {
            self.trans[from as usize * self.classes.rep.len() + class] = id;
            return id;
        }
        if self.bytes > CACHE_BYTES {
            self.reset(nfa);
            return self.insert(nfa, next);
        }
        let id = self.insert(nfa, next);
        self.trans[from as usize * self.classes.rep.len() + class] = id;
        id
    }

    /// Calls `hit` with the id of every pattern matching `path`.
    pub fn run(&mut self, nfa: &Nfa, path: &[u8], hit: &mut impl FnMut(u32)) {
        let n = self.classes.rep.len();
        let mut s = START;
        for &b in path {
            let class = usize::from(self.classes.of[usize::from(b)]);
            let mut next = self.trans[s as usize * n + class];
            if next == UNKNOWN {
                next = self.step(nfa, s, class);
            }
            s = next;
            if s == DEAD {
                return;
            }
        }
        let (lo, hi) = self.accept_at[s as usize];
        for &id in &self.accepts[lo as usize..hi as usize] {
            hit(id);
        }
    }
}

fn hash(set: &[u32]) -> u64 {
    BuildHasherDefault::<Fx>::default().hash_one(set)
}
