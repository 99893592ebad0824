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

/// The spanning tree: each state's children, in CSR form, and the size
/// of each state's subtree.
struct Tree {
    at: Vec<u32>,
    kids: Vec<u32>,
    size: Vec<u32>,
}

/// The tree of `parent` (each state's parent, or `NONE`; a parent
/// precedes its children), which it frees as soon as it can (building
/// holds the whole NFA meanwhile: the peak of memory).
// Out of line, like the passes of `Growing::freeze`.
#[inline(never)]
fn tree(parent: Vec<u32>) -> Tree {
    let n = parent.len();
    let p = &parent[..];
    // Counted two places up, summed, then filled one place up: each
    // state's cursor ends where the next one's children start (no copy
    // of the offsets as cursors).
    let mut at = vec![0u32; n + 2];
    let a = &mut at[..];
    for &q in p {
        if q != NONE {
            a[q as usize + 2] += 1;
        }
    }
    for i in 2..n + 2 {
        a[i] += a[i - 1];
    }
    let mut kids = vec![0u32; a[n + 1] as usize];
    let k = &mut kids[..];
    for (t, &q) in p.iter().enumerate() {
        if q != NONE {
            let c = &mut a[q as usize + 1];
            k[*c as usize] = t as u32;
            *c += 1;
        }
    }
    let mut size = vec![1u32; n];
    let z = &mut size[..];
    for t in (0..n).rev() {
        if p[t] != NONE {
            z[p[t] as usize] += z[t];
        }
    }
    Tree { at, kids, size }
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
pub(super) fn numbers(parent: Vec<u32>) -> Vec<u32> {
    let n = parent.len();
    if n == 0 {
        return Vec::new();
    }
    let Tree { at, mut kids, size } = tree(parent);
    // Slices, not `Vec`s, indexed: a `Vec`'s `Index` stays a call when
    // optimized for size.
    let (at, size) = (&at[..], &size[..]);
    let mut new = vec![NONE; n];
    let nw = &mut new[..];
    nw[0] = 0;
    for s in 0..n {
        let x = nw[s];
        if x == NONE {
            continue;
        }
        let kids = &mut kids[at[s] as usize..at[s + 1] as usize];
        if kids.len() > 1 {
            // Visit order: small ones by number, then large ones by size
            // (largest first); one number per key (a tuple's `cmp` stays
            // calls when optimized for size).
            crate::sort::sort_by_key(kids, |&k| {
                let size = size[k as usize];
                if size <= SMALL {
                    u64::from(k)
                } else {
                    1 << 63 | u64::from(u32::MAX - size) << 32 | u64::from(k)
                }
            });
        }
        let mut next = x + 1;
        for &k in kids.iter() {
            nw[k as usize] = next;
            next += size[k as usize];
        }
    }
    // The tree holds the states reached from the start: the rest follow.
    let mut next = size[0];
    for x in new.iter_mut() {
        if *x == NONE {
            *x = next;
            next += 1;
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
