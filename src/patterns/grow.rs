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
use super::FxMap;

/// No list node: the end of a list.
const NONE: u32 = u32::MAX;
/// The list heads of a state: more edges, epsilon edges, accepted ids.
const EDGES: usize = 0;
const EPS: usize = 1;
const ACCEPT: usize = 2;

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
    /// The index of the set of just the byte `b` (`NONE`: not yet one).
    byte_sets: Vec<u32>,
    /// The set [`Growing::set`] gave last, and its index.
    last: Option<(ByteSet, u32)>,
}

impl Growing {
    /// The start state alone.
    pub(super) fn new() -> Growing {
        let mut g = Growing {
            byte_sets: vec![NONE; 256],
            ..Growing::default()
        };
        g.fresh();
        g
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

    /// The index of `set` (interned on first use).
    pub(super) fn set(&mut self, set: ByteSet) -> u32 {
        // A run of `?` or of one class asks for the same set at each
        // token: a compare, not a 32-byte hash.
        if let Some((last, i)) = self.last {
            if last == set {
                return i;
            }
        }
        let i = match set.single() {
            Some(b) => self.byte(b),
            None => self.intern(set),
        };
        self.last = Some((set, i));
        i
    }

    /// The index of the set of just `b`.
    #[inline]
    pub(super) fn byte(&mut self, b: u8) -> u32 {
        match self.byte_sets[usize::from(b)] {
            NONE => {
                let i = self.intern(ByteSet::byte(b));
                self.byte_sets[usize::from(b)] = i;
                i
            }
            i => i,
        }
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
        self.first[s as usize]
    }

    /// Has `s` more edges than its first?
    #[inline]
    pub(super) fn more(&self, s: u32) -> bool {
        self.heads[s as usize][EDGES] != NONE
    }

    /// Every edge of `s`, newest first but the first edge last.
    pub(super) fn each_edge(&self, s: u32, mut f: impl FnMut(u32, u32)) {
        let mut at = self.heads[s as usize][EDGES];
        while at != NONE {
            let [es, et, next] = self.edges[at as usize];
            f(es, et);
            at = next;
        }
        let [fs, ft] = self.first[s as usize];
        if ft != 0 {
            f(fs, ft);
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

    /// The flat arrays: each state's edges, epsilon edges and ids in the
    /// order they were added, sets numbered in the order edges first use
    /// them (as the builder of `Vec`s made them: the same snapshots).
    pub(super) fn freeze(self) -> Flat {
        let n = self.len();
        let mut f = Flat {
            eps_at: Vec::with_capacity(n + 1),
            edges_at: Vec::with_capacity(n + 1),
            accept_at: Vec::with_capacity(n + 1),
            eps: Vec::with_capacity(self.eps.len()),
            edges: Vec::with_capacity(self.edges.len() + n),
            accept: Vec::with_capacity(self.accept.len()),
            ..Flat::default()
        };
        f.eps_at.push(0);
        f.edges_at.push(0);
        f.accept_at.push(0);
        let mut renumber = vec![NONE; self.sets.len()];
        let mut scratch: Vec<[u32; 2]> = Vec::new();
        for s in 0..n as u32 {
            let heads = self.heads[s as usize];
            list(&self.eps, heads[EPS], &mut scratch);
            f.eps.extend(scratch.iter().map(|&[to, _]| to));
            scratch.clear();
            self.each_edge(s, |set, to| scratch.push([set, to]));
            for &[set, to] in scratch.iter().rev() {
                let i = &mut renumber[set as usize];
                if *i == NONE {
                    f.sets.push(self.sets[set as usize]);
                    *i = f.sets.len() as u32 - 1;
                }
                f.edges.push([*i, to]);
            }
            list(&self.accept, heads[ACCEPT], &mut scratch);
            f.accept.extend(scratch.iter().map(|&[id, _]| id));
            f.eps_at.push(f.eps.len() as u32);
            f.edges_at.push(f.edges.len() as u32);
            f.accept_at.push(f.accept.len() as u32);
        }
        f
    }
}

/// The nodes of the list at `head`, oldest first, in `out` (cleared).
fn list(nodes: &[[u32; 2]], head: u32, out: &mut Vec<[u32; 2]>) {
    out.clear();
    let mut at = head;
    while at != NONE {
        out.push(nodes[at as usize]);
        at = nodes[at as usize][1];
    }
    out.reverse();
}
