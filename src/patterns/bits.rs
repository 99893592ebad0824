//! One glob against one path (`globMatch`), bit-parallel: the active NFA
//! states are a bitset, and a path byte moves them all at once.
//!
//! The NFA of one glob is numbered in the order it is built, so nearly
//! every consuming edge goes from state `s` to `s + 1` (a literal byte,
//! `?`, a class) or from `s` to itself (`*`, `**`), and so do most
//! epsilon edges (into a star's loop). Those are word-wide shifts and
//! masks (Shift-And over `u64` words); other edges of one distance
//! (alternation branches, joins), when there are more of them than words,
//! are masks shifted by that distance, and the rest are followed one by
//! one. The epsilon closure takes a few word-wide rounds, then (for
//! globs whose epsilon paths alternate many times) linear passes over
//! the epsilon edges in source order. A step also remembers, per byte
//! class, its last set before and after, so a path that keeps its active
//! set costs a comparison per byte.
//!
//! Cost per byte: at most `words × (masks + rounds)` plus the edges
//! followed one by one, never backtracking; a 1 KB glob is about 40
//! words, where stepping state by state visits every active state (up to
//! 2,000) and a DFA would first build (sort, hash, store) each state set
//! it meets. Nothing is kept between calls.

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
    /// Other consuming edges of one forward distance, as per-class
    /// masks, where that is cheaper than following them one by one.
    jump_hops: Vec<Hop>,
    /// Other consuming edges: from, bytes, to.
    jumps: Vec<(u32, ByteSet, u32)>,
    /// Other epsilon edges of one forward distance, as masks.
    leap_hops: Vec<Hop>,
    /// Other epsilon edges, by source.
    leaps: Vec<(u32, u32)>,
    /// Every epsilon edge, by source.
    eps: Vec<(u32, u32)>,
    accept: Vec<u64>,
}

/// Edges `s → s + delta` as a mask of sources (per class for consuming ones).
struct Hop {
    delta: u32,
    masks: Vec<u64>,
}

/// Groups the forward edges of one distance into masks when there are
/// more of them than words (a mask costs a pass over the words, an edge
/// one test); returns the rest.
fn hops(
    edges: Vec<(u32, ByteSet, u32)>,
    classes: Option<&Classes>,
    words: usize,
) -> (Vec<Hop>, Vec<(u32, ByteSet, u32)>) {
    let mut deltas: Vec<u32> = edges
        .iter()
        .filter(|e| e.2 > e.0)
        .map(|e| e.2 - e.0)
        .collect();
    crate::sort::sort_unstable(&mut deltas);
    let count = |d: u32| deltas.partition_point(|&x| x <= d) - deltas.partition_point(|&x| x < d);
    let k = classes.map_or(1, Classes::len);
    let mut out: Vec<Hop> = Vec::new();
    let mut rest = Vec::new();
    for (s, bytes, t) in edges {
        if t <= s || count(t - s) <= words {
            rest.push((s, bytes, t));
            continue;
        }
        let hop = match out.iter().position(|h| h.delta == t - s) {
            Some(i) => &mut out[i],
            None => {
                out.push(Hop {
                    delta: t - s,
                    masks: vec![0; k * words],
                });
                out.last_mut().expect("just pushed")
            }
        };
        for c in 0..k {
            if classes.is_none_or(|cl| bytes.has(cl.rep(c))) {
                set(&mut hop.masks[c * words..(c + 1) * words], s);
            }
        }
    }
    (out, rest)
}

/// `dst |= (src & mask) << delta`, over words.
fn hop(src: &[u64], mask: &[u64], delta: u32, dst: &mut [u64]) -> u64 {
    let (q, r) = ((delta / 64) as usize, delta % 64);
    let mut any = 0;
    for i in 0..src.len().saturating_sub(q) {
        let x = src[i] & mask[i];
        if x == 0 {
            continue;
        }
        dst[i + q] |= x << r;
        if r > 0 && i + q + 1 < dst.len() {
            dst[i + q + 1] |= x >> (64 - r);
        }
        any |= x;
    }
    any
}

/// [`hop`] within one set; whether it added a state.
fn hop_within(d: &mut [u64], mask: &[u64], delta: u32) -> bool {
    let (q, r) = ((delta / 64) as usize, delta % 64);
    let mut grew = false;
    for i in 0..d.len().saturating_sub(q) {
        let x = d[i] & mask[i];
        if x == 0 {
            continue;
        }
        let lo = x << r;
        grew |= lo & !d[i + q] != 0;
        d[i + q] |= lo;
        if r > 0 && i + q + 1 < d.len() {
            let hi = x >> (64 - r);
            grew |= hi & !d[i + q + 1] != 0;
            d[i + q + 1] |= hi;
        }
    }
    grew
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
        let n = nfa.len();
        let words = n.div_ceil(64);
        let k = classes.len();
        let mut b = Bits {
            nfa,
            classes,
            words,
            shift: vec![0; k * words],
            stay: vec![0; k * words],
            chain: vec![0; words],
            jump_hops: Vec::new(),
            jumps: Vec::new(),
            leap_hops: Vec::new(),
            leaps: Vec::new(),
            eps: Vec::new(),
            accept: vec![0; words],
        };
        for s32 in 0..n as u32 {
            for (bytes, to) in nfa.edges(s32) {
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
            for &e in nfa.eps(s32) {
                b.eps.push((s32, e));
                if e == s32 + 1 {
                    set(&mut b.chain, s32);
                } else {
                    b.leaps.push((s32, e));
                }
            }
            if !nfa.accept(s32).is_empty() {
                set(&mut b.accept, s32);
            }
        }
        crate::sort::sort_unstable(&mut b.eps);
        let (hops_j, jumps) = hops(std::mem::take(&mut b.jumps), Some(classes), words);
        let leaps = std::mem::take(&mut b.leaps);
        let leaps = leaps
            .into_iter()
            .map(|(s, t)| (s, ByteSet::ALL, t))
            .collect();
        let (hops_l, leaps) = hops(leaps, None, words);
        b.jump_hops = hops_j;
        b.jumps = jumps;
        b.leap_hops = hops_l;
        b.leaps = leaps.into_iter().map(|(s, _, t)| (s, t)).collect();
        crate::sort::sort_unstable(&mut b.leaps);
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
            for h in &self.leap_hops {
                leapt |= hop_within(d, &h.masks, h.delta);
            }
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

    /// The set after `d` reads `b` (of class `c`), in `next`; false
    /// when it is empty.
    fn step(&self, d: &[u64], b: u8, c: usize, next: &mut [u64]) -> bool {
        let w = self.words;
        let (shift, stay) = (&self.shift[c * w..][..w], &self.stay[c * w..][..w]);
        let mut carry = 0;
        let mut any = 0;
        for i in 0..w {
            let x = d[i] & shift[i];
            next[i] = (x << 1) | carry | (d[i] & stay[i]);
            carry = x >> 63;
            any |= next[i];
        }
        for h in &self.jump_hops {
            any |= hop(d, &h.masks[c * w..][..w], h.delta, next);
        }
        for &(s, bytes, to) in &self.jumps {
            if has(d, s) && bytes.has(b) {
                set(next, to);
                any = 1;
            }
        }
        if any == 0 {
            return false;
        }
        self.close(next);
        true
    }

    /// Calls `hit` with the id of every pattern accepting `path`.
    pub fn run(&self, path: &[u8], hit: &mut impl FnMut(u32)) {
        let w = self.words;
        let mut d = vec![0u64; w];
        let mut next = vec![0u64; w];
        set(&mut d, 0);
        self.close(&mut d);
        // Per byte class, the last step taken (set before, set after): a
        // path that keeps its active set (`a`×4096 against stars) costs
        // a comparison per byte, not a closure.
        let mut memo = vec![0u64; 2 * w * self.classes.len()];
        let mut known = vec![false; self.classes.len()];
        for &b in path {
            let c = self.classes.of(b);
            let (before, after) = memo[2 * w * c..][..2 * w].split_at_mut(w);
            if known[c] && *before == *d {
                d.copy_from_slice(after);
                continue;
            }
            if !self.step(&d, b, c, &mut next) {
                return;
            }
            before.copy_from_slice(&d);
            after.copy_from_slice(&next);
            known[c] = true;
            std::mem::swap(&mut d, &mut next);
        }
        for (i, (x, a)) in d.iter().zip(&self.accept).enumerate() {
            let mut m = x & a;
            while m != 0 {
                let s = i * 64 + m.trailing_zeros() as usize;
                self.nfa.accept(s as u32).iter().for_each(|&id| hit(id));
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
    use crate::patterns::sim::{self, ids};
    use crate::patterns::PatternSetBuilder;

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
            // many edges of one distance: masks (`Hop`s), not edges
            format!("*{}c", "{a,b}{,a}".repeat(40)),
            format!("*{}c", "{,a}?".repeat(40)),
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
            (0..300u32)
                .map(|i| {
                    if (i.wrapping_mul(2654435761) >> 7) & 1 == 1 {
                        'a'
                    } else {
                        'b'
                    }
                })
                .collect::<String>()
                + "c",
            "ab".repeat(60) + "c",
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
