//! One glob against one path (`globMatch`), bit-parallel: the active NFA
//! states are a bitset, and a path byte moves them all at once.
//!
//! The NFA of one glob is numbered in the order it is built, so nearly
//! every consuming edge goes from state `s` to `s + 1` (a literal byte,
//! `?`, a class) or from `s` to itself (`*`, `**`), and so do most
//! epsilon edges (into a star's loop). Those are word-wide shifts and
//! masks (Shift-And over `u64` words); the few other edges (alternation
//! branches, joins) are followed one by one. A byte thus costs
//! `words + other edges` operations: a 1 KB glob is about 40 words, where
//! stepping state by state visits every active state (up to 2,000), and
//! where a DFA would first build (sort, hash, store) each state set it
//! meets. Nothing is kept between calls; the masks take
//! `byte classes × words` words.

use super::dfa::Classes;
use super::nfa::{ByteSet, Nfa};

/// Word-wide epsilon rounds before the edge-by-edge passes.
const ROUNDS: usize = 2;
/// Chain shifts per round (a chain of epsilon edges `s → s + 1` longer
/// than this is left to the passes).
const SHIFTS: usize = 4;

/// The masks of one NFA.
pub struct Bits<'a> {
    nfa: &'a Nfa,
    classes: &'a Classes,
    words: usize,
    /// Per class: states whose edge to `s + 1` takes the class.
    shift: Vec<u64>,
    /// Per class: states whose loop takes the class.
    stay: Vec<u64>,
    /// States with an epsilon edge to `s + 1`.
    chain: Vec<u64>,
    /// Other consuming edges: from, bytes, to.
    jumps: Vec<(u32, ByteSet, u32)>,
    /// Other epsilon edges, by source.
    leaps: Vec<(u32, u32)>,
    /// Every epsilon edge, by source.
    eps: Vec<(u32, u32)>,
    accept: Vec<u64>,
}

#[inline]
fn has(d: &[u64], s: u32) -> bool {
    d[(s / 64) as usize] & (1 << (s % 64)) != 0
}

#[inline]
fn set(d: &mut [u64], s: u32) {
    d[(s / 64) as usize] |= 1 << (s % 64);
}

impl<'a> Bits<'a> {
    /// The masks of `nfa` (its byte classes: `classes`).
    pub fn new(nfa: &'a Nfa, classes: &'a Classes) -> Bits<'a> {
        let n = nfa.states.len();
        let words = n.div_ceil(64);
        let k = classes.len();
        let mut b = Bits {
            nfa,
            classes,
            words,
            shift: vec![0; k * words],
            stay: vec![0; k * words],
            chain: vec![0; words],
            jumps: Vec::new(),
            leaps: Vec::new(),
            eps: Vec::new(),
            accept: vec![0; words],
        };
        for (s, state) in nfa.states.iter().enumerate() {
            let s32 = s as u32;
            for &(bytes, to) in &state.edges {
                let mask = if to == s32 + 1 {
                    &mut b.shift
                } else if to == s32 {
                    &mut b.stay
                } else {
                    b.jumps.push((s32, bytes, to));
                    continue;
                };
                for c in 0..k {
                    if bytes.has(classes.rep(c)) {
                        set(&mut mask[c * words..(c + 1) * words], s32);
                    }
                }
            }
            for &e in &state.eps {
                b.eps.push((s32, e));
                if e == s32 + 1 {
                    set(&mut b.chain, s32);
                } else {
                    b.leaps.push((s32, e));
                }
            }
            if !state.accept.is_empty() {
                set(&mut b.accept, s32);
            }
        }
        b.leaps.sort_unstable();
        b.eps.sort_unstable();
        b
    }

    /// Adds every state reachable by epsilon edges. A few word-wide
    /// rounds (chains shifted, then the leaps by source) settle the
    /// usual globs; a glob whose epsilon paths alternate between chains
    /// and leaps many times (`{,a}*` repeated) is finished by passes
    /// over every epsilon edge in source order, each linear, repeated
    /// only while an edge to an earlier state adds one.
    fn close(&self, d: &mut [u64]) {
        for _ in 0..ROUNDS {
            let mut grew = false;
            for _ in 0..SHIFTS {
                let mut carry = 0;
                let mut more = false;
                for (w, &c) in d.iter_mut().zip(&self.chain) {
                    let x = *w & c;
                    let add = (x << 1) | carry;
                    carry = x >> 63;
                    more |= add & !*w != 0;
                    *w |= add;
                }
                grew |= more;
                if !more {
                    break;
                }
            }
            let mut leapt = false;
            for &(s, t) in &self.leaps {
                if has(d, s) && !has(d, t) {
                    set(d, t);
                    leapt = true;
                }
            }
            if !leapt && !grew {
                return;
            }
        }
        loop {
            let mut back = false;
            for &(s, t) in &self.eps {
                if has(d, s) && !has(d, t) {
                    set(d, t);
                    back |= t < s;
                }
            }
            if !back {
                return;
            }
        }
    }

    /// Calls `hit` with the id of every pattern accepting `path`.
    pub fn run(&self, path: &[u8], hit: &mut impl FnMut(u32)) {
        let w = self.words;
        let mut d = vec![0u64; w];
        let mut next = vec![0u64; w];
        set(&mut d, 0);
        self.close(&mut d);
        for &b in path {
            let c = self.classes.of(b);
            let (shift, stay) = (&self.shift[c * w..][..w], &self.stay[c * w..][..w]);
            let mut carry = 0;
            let mut any = 0;
            for i in 0..w {
                let x = d[i] & shift[i];
                next[i] = (x << 1) | carry | (d[i] & stay[i]);
                carry = x >> 63;
                any |= next[i];
            }
            for &(s, bytes, to) in &self.jumps {
                if has(&d, s) && bytes.has(b) {
                    set(&mut next, to);
                    any = 1;
                }
            }
            if any == 0 {
                return;
            }
            self.close(&mut next);
            std::mem::swap(&mut d, &mut next);
        }
        for (i, (x, a)) in d.iter().zip(&self.accept).enumerate() {
            let mut m = x & a;
            while m != 0 {
                let s = i * 64 + m.trailing_zeros() as usize;
                self.nfa.states[s].accept.iter().for_each(|&id| hit(id));
                m &= m - 1;
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::glob::parse;
    use crate::limits::Limits;
    use crate::patterns::{sim, PatternSetBuilder};

    fn ids(run: impl FnOnce(&mut dyn FnMut(u32))) -> Vec<u32> {
        let mut out = Vec::new();
        run(&mut |id| out.push(id));
        out.sort_unstable();
        out.dedup();
        out
    }

    /// Shapes whose epsilon paths defeat the word-wide rounds (chains and
    /// leaps alternating, nested stars, alternations holding `/` and
    /// `**`) answer as the state-by-state simulation does.
    #[test]
    fn agrees_with_the_simulation() {
        let patterns = [
            "{,a}*".repeat(40) + "b",
            "*{*{*,x},y}z".into(),
            "{a,b/}".repeat(4) + "{,**/}c*",
            "**/{x,y/**/z}?[!q]".into(),
            "a{,b{,c{,d}}}*/**".into(),
            "*a".repeat(60) + "b",
        ];
        let paths = [
            "a".repeat(50) + "b",
            "b".into(),
            "xyz".into(),
            "ab/ab/b/a/c".into(),
            "b/b/b/b/q/r/cde".into(),
            "p/x/y/q/z/ab".into(),
            "abc/d".into(),
            "abcd/e/f".into(),
            "a".repeat(200),
        ];
        let mut b = PatternSetBuilder::new(false);
        for (i, p) in patterns.iter().enumerate() {
            b.add(&parse(p, &Limits::DEFAULT).unwrap(), i as u32);
        }
        let set = b.build();
        let bits = Bits::new(&set.nfa, &set.classes);
        let mut matched = 0;
        for path in &paths {
            let want = ids(|h| sim::run(&set.nfa, path.as_bytes(), &mut |id| h(id)));
            let got = ids(|h| bits.run(path.as_bytes(), &mut |id| h(id)));
            assert_eq!(got, want, "{path}");
            matched += want.len();
        }
        assert!(matched >= 5, "the cases match something: {matched}");
    }
}
