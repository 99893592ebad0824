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

use super::nfa::Flat;

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

/// Each state under the lowest-numbered state with an edge to it (the
/// builder's edges all go forward, so a parent precedes its children).
fn tree(f: &Flat, n: usize) -> Tree {
    let mut parent = vec![NONE; n];
    for s in 0..n {
        let (s32, e, d) = (s as u32, &f.eps_at, &f.edges_at);
        let targets = f.eps[e[s] as usize..e[s + 1] as usize].iter().chain(
            f.edges[d[s] as usize..d[s + 1] as usize]
                .iter()
                .map(|x| &x[1]),
        );
        for &t in targets {
            if t > s32 && parent[t as usize] == NONE {
                parent[t as usize] = s32;
            }
        }
    }
    let mut at = vec![0u32; n + 1];
    for &p in &parent {
        if p != NONE {
            at[p as usize + 1] += 1;
        }
    }
    for i in 0..n {
        at[i + 1] += at[i];
    }
    let mut fill = at.clone();
    let mut kids = vec![0u32; at[n] as usize];
    for (t, &p) in parent.iter().enumerate() {
        if p != NONE {
            kids[fill[p as usize] as usize] = t as u32;
            fill[p as usize] += 1;
        }
    }
    let mut size = vec![1u32; n];
    for t in (0..n).rev() {
        if parent[t] != NONE {
            size[parent[t] as usize] += size[t];
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
fn numbers(t: &Tree, n: usize) -> Vec<u32> {
    let mut new = vec![NONE; n];
    new[0] = 0;
    let mut kids: Vec<u32> = Vec::new();
    for s in 0..n {
        let at = new[s];
        if at == NONE {
            continue;
        }
        kids.clear();
        kids.extend_from_slice(&t.kids[t.at[s] as usize..t.at[s + 1] as usize]);
        if kids.len() > 1 {
            // Visit order: small ones by number, then large ones by size
            // (largest first).
            let size = |k: u32| t.size[k as usize];
            crate::sort::sort_by_key(&mut kids, |&k| {
                if size(k) <= SMALL {
                    (0, 0, k)
                } else {
                    (1, u32::MAX - size(k), k)
                }
            });
        }
        let mut next = at + 1;
        for &k in &kids {
            new[k as usize] = next;
            next += t.size[k as usize];
        }
    }
    // The tree holds the states reached from the start: the rest follow.
    let mut next = t.size[0];
    for x in new.iter_mut() {
        if *x == NONE {
            *x = next;
            next += 1;
        }
    }
    new
}

/// `f` with its states renumbered (state 0 stays the start).
pub fn renumber(f: Flat) -> Flat {
    let n = f.eps_at.len().saturating_sub(1);
    if n <= 2 {
        return f;
    }
    let new = numbers(&tree(&f, n), n);
    let (eps_at, eps) = permute(&f.eps_at, &f.eps, &new, |t| new[t as usize]);
    let (edges_at, edges) = permute(&f.edges_at, &f.edges, &new, |[set, t]| {
        [set, new[t as usize]]
    });
    let (accept_at, accept) = permute(&f.accept_at, &f.accept, &new, |id| id);
    Flat {
        eps_at,
        eps,
        edges_at,
        edges,
        sets: f.sets,
        accept_at,
        accept,
    }
}

/// The lists `items[at[s]..at[s + 1]]` of each state `s` at its new
/// number `new[s]`, each item through `map`: the new offsets from the
/// list lengths, then each list copied to its place, the states in their
/// old order (sequential reads, scattered writes: gathering in the new
/// order waited on two random reads a state).
fn permute<T: Copy>(
    at: &[u32],
    items: &[T],
    new: &[u32],
    map: impl Fn(T) -> T,
) -> (Vec<u32>, Vec<T>) {
    let n = new.len();
    let mut to = vec![0u32; n + 1];
    for (s, &x) in new.iter().enumerate() {
        to[x as usize + 1] = at[s + 1] - at[s];
    }
    for i in 0..n {
        to[i + 1] += to[i];
    }
    let mut out = items.to_vec();
    for (s, &x) in new.iter().enumerate() {
        let list = &items[at[s] as usize..at[s + 1] as usize];
        let start = to[x as usize] as usize;
        for (o, &item) in out[start..start + list.len()].iter_mut().zip(list) {
            *o = map(item);
        }
    }
    (to, out)
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
