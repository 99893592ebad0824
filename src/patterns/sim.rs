//! Running the [`Nfa`] directly: sets of active states, one step per path
//! byte, no automaton built. The lazy DFA of [`super::dfa`] builds its
//! states with these steps, and falls back to them when its cache
//! thrashes (stepping costs less than building states nobody reuses).
//!
//! Cost: per path byte, the edges of the active states plus their epsilon
//! edges, each state visited once (a mark bit per NFA state); never
//! backtracking, so `n` bytes cost at most `n` × the NFA's size. Memory:
//! one bit per NFA state and two active sets.

use super::nfa::Nfa;

/// Scratch for stepping: a bit per NFA state, clear between uses.
#[derive(Debug, Default)]
pub struct Marks {
    bits: Vec<u64>,
}

impl Marks {
    /// Marks `s`; false when it was marked already.
    #[inline]
    fn mark(&mut self, s: u32) -> bool {
        let (w, bit) = ((s / 64) as usize, 1u64 << (s % 64));
        let fresh = self.bits[w] & bit == 0;
        self.bits[w] |= bit;
        fresh
    }

    /// Sizes the bits for `nfa` (once: they are cleared after each use).
    fn fit(&mut self, nfa: &Nfa) {
        let words = nfa.len().div_ceil(64);
        if self.bits.len() < words {
            self.bits.resize(words, 0);
        }
    }

    /// Clears the bits of `set` (cheaper than clearing every word when
    /// the NFA is large and the set small).
    fn unmark(&mut self, set: &[u32]) {
        for &s in set {
            self.bits[(s / 64) as usize] = 0;
        }
    }
}

/// Adds to `out` the states reachable by epsilon edges from its members
/// at `from..`, each once (`out`'s members are marked in `m`).
fn close(nfa: &Nfa, out: &mut Vec<u32>, from: usize, m: &mut Marks) {
    let mut i = from;
    while let Some(&s) = out.get(i) {
        for &e in nfa.eps(s) {
            if m.mark(e) {
                out.push(e);
            }
        }
        i += 1;
    }
}

/// The start set: state 0 and its closure, in `out` (unsorted).
pub fn start(nfa: &Nfa, out: &mut Vec<u32>, m: &mut Marks) {
    m.fit(nfa);
    out.clear();
    out.push(0);
    m.mark(0);
    close(nfa, out, 0, m);
    m.unmark(out);
}

/// The set after `set` reads byte `b`, closed, in `out` (unsorted).
pub fn step(nfa: &Nfa, set: &[u32], b: u8, out: &mut Vec<u32>, m: &mut Marks) {
    m.fit(nfa);
    out.clear();
    for &s in set {
        for (bytes, to) in nfa.edges(s) {
            if bytes.has(b) && m.mark(*to) {
                out.push(*to);
            }
        }
    }
    close(nfa, out, 0, m);
    m.unmark(out);
}

/// Runs `path` from the active set `cur` (taken as scratch) and calls
/// `hit` with the id of every pattern accepting at the end.
pub fn run_from(
    nfa: &Nfa,
    cur: &mut Vec<u32>,
    path: &[u8],
    m: &mut Marks,
    hit: &mut impl FnMut(u32),
) {
    let mut next = Vec::with_capacity(cur.len());
    for &b in path {
        if cur.is_empty() {
            return;
        }
        step(nfa, cur, b, &mut next, m);
        std::mem::swap(cur, &mut next);
    }
    for &s in cur.iter() {
        nfa.accept(s).iter().for_each(|&id| hit(id));
    }
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
    let mut m = Marks::default();
    let mut cur = Vec::new();
    start(nfa, &mut cur, &mut m);
    run_from(nfa, &mut cur, path, &mut m, hit);
}

#[cfg(test)]
mod tests {
    use crate::patterns::{glob_match, PatternSetBuilder};
    use crate::{glob::parse, limits::Limits};

    /// The simulation, the lazy DFA and the bit-parallel run answer alike
    /// (and as globset), on
    /// the shapes that blew up before (long literals after stars, many
    /// stars, alternations holding `/`).
    #[test]
    fn one_shot_and_cached_agree() {
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
            let (mut stepped, mut cached, mut bits) = (false, false, false);
            super::run(&set.nfa, path.as_bytes(), &mut |_| stepped = true);
            set.matches(path, |_| cached = true);
            set.matches_once(path, |_| bits = true);
            assert_eq!(
                (stepped, cached, bits),
                (*want, *want, *want),
                "{pattern} vs {path}"
            );
        }
    }
}
