//! Numbering a built NFA's states so that the states a path keeps active
//! together are consecutive: the word steps of [`super::sim`] move 64
//! consecutive states at once, and a DFA state's key is a word per 64 of
//! them.
//!
//! The builder numbers states in the order patterns add them, so the
//! prefix that patterns share is spread out: `*ab…`, `*aab…`, `*aaab…`
//! each extend the shared chain of `a`s by one state, then add their own
//! tail, and a path of `a`s keeps the whole chain active, one state per
//! word (a thousand words where sixteen would do).
//!
//! The new numbering is a depth-first preorder of a spanning tree (each
//! state under the first state with an edge to it), visiting a state's
//! small subtrees first (alternation branches: they stay next to their
//! join, as the builder put them) and then the large ones, largest first
//! (the shared prefix continues at the next number; each pattern's own
//! tail comes after). Linear in the NFA's size (sorting each state's
//! children aside), run once when a set is built.

const NONE: u32 = u32::MAX;

/// Subtrees up to this many states are visited before the larger ones.
const SMALL: u32 = 16;

/// The spanning tree of the `n` states' `parent`s (or `NONE`; a
/// parent precedes its children), in one pass from the last state up:
/// each state's subtree size, and its children as a list (its first
/// child, then each child's next sibling, in order). Counting each
/// state's children, summing them to offsets and filling an array of
/// them took three passes more, and a fourth for the sizes (issue 12,
/// cold start).
struct Tree {
    size: Vec<u32>,
    first: Vec<u32>,
    next: Vec<u32>,
}

// Out of line, like the passes of `Growing::freeze`.
#[inline(never)]
fn tree(n: usize, parent: impl Fn(usize) -> u32) -> Tree {
    let mut size = vec![1u32; n];
    let mut first = vec![NONE; n];
    let mut next = vec![NONE; n];
    // Slices, not `Vec`s, indexed: a `Vec`'s `Index` stays a call when
    // optimized for size (here and below).
    let (z, f, x) = (&mut size[..], &mut first[..], &mut next[..]);
    for t in (0..n).rev() {
        let q = parent(t) as usize;
        if q < t {
            z[q] += z[t];
            x[t] = f[q];
            f[q] = t as u32;
        }
    }
    Tree { size, first, next }
}

/// The new number of each state: preorder, small subtrees first, then
/// the others largest first; states the tree does not reach keep their
/// order after it.
///
/// Top down in the old order rather than by a depth-first walk (a parent
/// precedes its children, see [`tree`]): a state's number is known before
/// its children's, and each child's is its parent's, plus one, plus the
/// sizes of the siblings visited before it. The same numbers as the walk,
/// but every state's children are read in order and nothing waits on a
/// random read before the next one (the walk jumped across the builder's
/// order at every state: most of the time of 1.4 million states, issue 11).
#[inline(never)]
pub(super) fn numbers(n: usize, parent: impl Fn(usize) -> u32) -> Vec<u32> {
    if n == 0 {
        return Vec::new();
    }
    let Tree { size, first, next } = tree(n, parent);
    let (size, first, next) = (&size[..], &first[..], &next[..]);
    let mut new = vec![NONE; n];
    let nw = &mut new[..];
    nw[0] = 0;
    // The children of a state with several, to sort.
    let mut kids: Vec<u32> = Vec::new();
    for s in 0..n {
        let x = nw[s];
        let k = first[s];
        if x == NONE || k == NONE {
            continue;
        }
        if next[k as usize] == NONE {
            // One child (a chain link): right after its parent.
            nw[k as usize] = x + 1;
            continue;
        }
        kids.clear();
        let mut k = k;
        while let Some(&after) = next.get(k as usize) {
            kids.push(k);
            k = after;
        }
        // Visit order: small ones by number, then large ones by size
        // (largest first); one number per key (a tuple's `cmp` stays
        // calls when optimized for size).
        crate::sort::sort_by_key(&mut kids, |&k| {
            let size = size[k as usize];
            if size <= SMALL {
                u64::from(k)
            } else {
                1 << 63 | u64::from(u32::MAX - size) << 32 | u64::from(k)
            }
        });
        let mut at = x + 1;
        for &k in &kids {
            nw[k as usize] = at;
            at += size[k as usize];
        }
    }
    // The tree holds the states reached from the start: the rest (none,
    // as the builder makes states) follow.
    let mut at = size[0];
    if at as usize == n {
        return new;
    }
    for x in new.iter_mut() {
        if *x == NONE {
            *x = at;
            at += 1;
        }
    }
    new
}

#[cfg(test)]
mod tests {
    use crate::glob::parse;
    use crate::limits::Limits;
    use crate::patterns::sim::Stepper;
    use crate::patterns::PatternSetBuilder;

    /// Patterns that each extend a shared chain by one state: after the
    /// renumbering, a path along the chain keeps a few words active, not
    /// one per pattern.
    #[test]
    fn a_shared_prefix_is_consecutive() {
        let mut b = PatternSetBuilder::new(false);
        for k in 1..=200 {
            let p = format!("*{}b?{}", "a".repeat(k), "x".repeat(100));
            b.add(&parse(&p, &Limits::DEFAULT).unwrap(), k as u32);
        }
        let set = b.build();
        assert!(set.nfa.flat.check(201));
        let mut st = Stepper::default();
        let mut cur = Vec::new();
        st.start(&set.nfa, &mut cur).unwrap();
        let mut next = Vec::new();
        for _ in 0..300 {
            st.step(&set.nfa, &cur, b'a', &mut next, usize::MAX)
                .unwrap();
            std::mem::swap(&mut cur, &mut next);
        }
        let states: u32 = cur.iter().map(|w| w.1.count_ones()).sum();
        assert!(states > 200, "{states}");
        assert!(cur.len() <= 5, "{} words active", cur.len());
    }
}
