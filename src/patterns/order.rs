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
fn numbers(t: &Tree, n: usize) -> Vec<u32> {
    let mut new = vec![NONE; n];
    let mut next = 0u32;
    let mut stack = vec![0u32];
    let mut kids: Vec<u32> = Vec::new();
    while let Some(s) = stack.pop() {
        new[s as usize] = next;
        next += 1;
        kids.clear();
        kids.extend_from_slice(&t.kids[t.at[s as usize] as usize..t.at[s as usize + 1] as usize]);
        if kids.len() > 1 {
            // Visit order: small ones by number, then large ones by size
            // (largest first); the stack takes them in reverse.
            let size = |k: u32| t.size[k as usize];
            crate::sort::sort_by_key(&mut kids, |&k| {
                if size(k) <= SMALL {
                    (0, 0, k)
                } else {
                    (1, u32::MAX - size(k), k)
                }
            });
        }
        stack.extend(kids.iter().rev());
    }
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
    let mut old = vec![0u32; n];
    for (s, &x) in new.iter().enumerate() {
        old[x as usize] = s as u32;
    }
    let mut g = Flat {
        eps_at: Vec::with_capacity(n + 1),
        eps: Vec::with_capacity(f.eps.len()),
        edges_at: Vec::with_capacity(n + 1),
        edges: Vec::with_capacity(f.edges.len()),
        sets: f.sets.clone(),
        accept_at: Vec::with_capacity(n + 1),
        accept: Vec::with_capacity(f.accept.len()),
    };
    g.eps_at.push(0);
    g.edges_at.push(0);
    g.accept_at.push(0);
    for &s in &old {
        let s = s as usize;
        let eps = &f.eps[f.eps_at[s] as usize..f.eps_at[s + 1] as usize];
        g.eps.extend(eps.iter().map(|&t| new[t as usize]));
        let edges = &f.edges[f.edges_at[s] as usize..f.edges_at[s + 1] as usize];
        g.edges
            .extend(edges.iter().map(|&[set, t]| [set, new[t as usize]]));
        g.accept
            .extend_from_slice(&f.accept[f.accept_at[s] as usize..f.accept_at[s + 1] as usize]);
        g.eps_at.push(g.eps.len() as u32);
        g.edges_at.push(g.edges.len() as u32);
        g.accept_at.push(g.accept.len() as u32);
    }
    g
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
