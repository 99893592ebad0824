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

use super::FxMap;
use crate::glob::{Atom, SegPat};

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
    /// The union of these states (sorted).
    Join(Vec<u32>),
}

/// The NFA; state 0 is the start.
#[derive(Debug, Clone)]
pub struct Nfa {
    /// The states.
    pub states: Vec<State>,
    keys: FxMap<Key, u32>,
}

impl Default for Nfa {
    fn default() -> Self {
        Nfa {
            states: vec![State::default()],
            keys: FxMap::default(),
        }
    }
}

impl Nfa {
    /// An NFA of states read back from a snapshot (keys are for building only).
    pub fn from_states(states: Vec<State>) -> Nfa {
        Nfa {
            states,
            keys: FxMap::default(),
        }
    }

    /// No pattern added.
    pub fn is_empty(&self) -> bool {
        self.states.len() == 1
    }

    fn fresh(&mut self) -> u32 {
        self.states.push(State::default());
        (self.states.len() - 1) as u32
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

    fn join(&mut self, mut from: Vec<u32>) -> u32 {
        from.sort_unstable();
        from.dedup();
        if let [one] = from[..] {
            return one;
        }
        if let Some(&s) = self.keys.get(&Key::Join(from.clone())) {
            return s;
        }
        let to = self.fresh();
        for &f in &from {
            self.states[f as usize].eps.push(to);
        }
        self.keys.insert(Key::Join(from), to);
        to
    }

    /// `(ANY+ /)?` after `from`: zero or more whole segments, each with its `/`.
    fn globstar(&mut self, from: u32) -> u32 {
        if let Some(&s) = self.keys.get(&Key::Globstar(from)) {
            return s;
        }
        let any = self.repeat(from, ByteSet::ALL);
        let slash = self.edge(any, ByteSet::byte(b'/'));
        let to = self.fresh();
        self.states[from as usize].eps.push(to);
        self.states[slash as usize].eps.push(to);
        self.keys.insert(Key::Globstar(from), to);
        to
    }

    fn atoms(&mut self, mut at: u32, atoms: &[Atom], fold: bool) -> u32 {
        for a in atoms {
            at = match a {
                Atom::Byte(b) if fold && b.is_ascii_alphabetic() => {
                    self.edge(at, ByteSet::byte(b.to_ascii_lowercase()))
                }
                Atom::Byte(b) => self.edge(at, ByteSet::byte(*b)),
                Atom::Any => self.edge(at, ByteSet::not_slash()),
                Atom::Star => self.repeat(at, ByteSet::not_slash()),
                Atom::Class { negated, set } => {
                    let set = if fold { fold_class(*set) } else { *set };
                    self.edge(at, ByteSet::class(*negated, set))
                }
                Atom::Alt(branches) => {
                    let ends = branches.iter().map(|b| self.atoms(at, b, fold)).collect();
                    self.join(ends)
                }
            };
        }
        at
    }

    /// Adds the segment patterns of one glob (several when alternatives
    /// holding `/` or `**` were expanded) matching under `id`. With `fold`,
    /// the glob is for ASCII-lower-cased paths.
    ///
    /// Expansions share their common prefix through the keys, and their
    /// common ending (the atoms their last segments end with) is built once,
    /// from a state of its own, so `{a,b/}`×6 followed by a kilobyte costs
    /// the kilobyte once, not 64 times.
    pub fn add(&mut self, pieces: &[&[SegPat]], id: u32, fold: bool) {
        let ends: Option<Vec<&[Atom]>> = pieces
            .iter()
            .map(|segs| match segs.last() {
                Some(SegPat::Seg(atoms)) => Some(atoms.as_slice()),
                _ => None,
            })
            .collect();
        let common = match ends {
            Some(ends) if ends.len() > 1 => common_suffix(&ends),
            _ => 0,
        };
        if common == 0 {
            for segs in pieces {
                let end = self.segments(segs, 0, fold, id);
                self.accept(end, id);
            }
            return;
        }
        let Some(SegPat::Seg(atoms)) = pieces[0].last() else {
            return;
        };
        let tail = self.fresh();
        let end = self.atoms(tail, &atoms[atoms.len() - common..], fold);
        self.accept(end, id);
        for segs in pieces {
            let before = self.segments(segs, common, fold, id);
            self.states[before as usize].eps.push(tail);
        }
    }

    fn accept(&mut self, at: u32, id: u32) {
        let accept = &mut self.states[at as usize].accept;
        if accept.last() != Some(&id) {
            accept.push(id);
        }
    }

    /// Builds `segs` from the start, without the last `skip` atoms of the
    /// last segment (which ends with a [`SegPat::Seg`] when `skip > 0`);
    /// returns the state reached (accepting for a final `dir/**`).
    fn segments(&mut self, segs: &[SegPat], skip: usize, fold: bool, id: u32) -> u32 {
        let mut at = 0u32;
        let last = segs.len().saturating_sub(1);
        // After a `**/` the next segment's `/` is already consumed.
        let mut need_sep = false;
        for (i, seg) in segs.iter().enumerate() {
            match seg {
                SegPat::Globstar if i == last => {
                    if i > 0 {
                        // `dir/**`: `dir` itself, and `dir/` + anything.
                        self.accept(at, id);
                        at = self.edge(at, ByteSet::byte(b'/'));
                    }
                    return self.repeat(at, ByteSet::ALL);
                }
                SegPat::Globstar => {
                    if need_sep {
                        at = self.edge(at, ByteSet::byte(b'/'));
                    }
                    at = self.globstar(at);
                    need_sep = false;
                }
                SegPat::Seg(atoms) => {
                    if need_sep {
                        at = self.edge(at, ByteSet::byte(b'/'));
                    }
                    let keep = if i == last {
                        atoms.len() - skip
                    } else {
                        atoms.len()
                    };
                    at = self.atoms(at, &atoms[..keep], fold);
                    need_sep = true;
                }
            }
        }
        at
    }
}

/// How many atoms every list ends with in common.
fn common_suffix(lists: &[&[Atom]]) -> usize {
    let min = lists.iter().map(|l| l.len()).min().unwrap_or(0);
    (0..min)
        .take_while(|&k| {
            let a = &lists[0][lists[0].len() - 1 - k];
            lists.iter().all(|l| &l[l.len() - 1 - k] == a)
        })
        .count()
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
