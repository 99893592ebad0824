//! One small sort for the whole crate. std's sorts are fast, but every
//! element type instantiates its own 3–6 KB of quicksort, driftsort and
//! small-sort networks: 46 KB of the shipped WASM for 13 types (issue 12:
//! size). This one is a few hundred bytes per type, O(n log n) in the worst
//! case (heapsort over indices), and stable: equal elements keep their
//! order, so it answers exactly as `sort_by` and as any `sort_unstable*`
//! whose equal elements are indistinguishable.

use std::cmp::Ordering;

/// Below this length, [`sort_by`] sorts by insertion, in place (no
/// allocation).
const SMALL: usize = 20;

/// Sorts `v` by `cmp`, stably.
pub fn sort_by<T, F: FnMut(&T, &T) -> Ordering>(v: &mut [T], mut cmp: F) {
    let n = v.len();
    if n <= SMALL {
        for i in 1..n {
            let mut j = i;
            while j > 0 && cmp(&v[j - 1], &v[j]) == Ordering::Greater {
                v.swap(j - 1, j);
                j -= 1;
            }
        }
        return;
    }
    heap_by(v, cmp);
}

/// [`sort_by`] of more than [`SMALL`] elements. Out of line: a caller that
/// sorts only short lists never compiles it (V8 compiles a WASM function
/// whole on its first call; issue 12, cold start).
#[inline(never)]
fn heap_by<T, F: FnMut(&T, &T) -> Ordering>(v: &mut [T], mut cmp: F) {
    let n = v.len();
    // Heapsort the positions under a total order (ties by position: stable),
    // then move each element once to where it belongs.
    let mut perm: Vec<usize> = (0..n).collect();
    let mut less = |a: usize, b: usize| cmp(&v[a], &v[b]).then(a.cmp(&b)) == Ordering::Less;
    let sift = |perm: &mut [usize],
                mut root: usize,
                end: usize,
                less: &mut dyn FnMut(usize, usize) -> bool| loop {
        let mut child = 2 * root + 1;
        if child >= end {
            break;
        }
        if child + 1 < end && less(perm[child], perm[child + 1]) {
            child += 1;
        }
        if !less(perm[root], perm[child]) {
            break;
        }
        perm.swap(root, child);
        root = child;
    };
    for root in (0..n / 2).rev() {
        sift(&mut perm, root, n, &mut less);
    }
    for end in (1..n).rev() {
        perm.swap(0, end);
        sift(&mut perm, 0, end, &mut less);
    }
    // dest[k]: the final position of the element now at k.
    let mut dest = vec![0usize; n];
    for (p, &k) in perm.iter().enumerate() {
        dest[k] = p;
    }
    for i in 0..n {
        while dest[i] != i {
            let d = dest[i];
            v.swap(i, d);
            dest.swap(i, d);
        }
    }
}

/// Sorts `v` in ascending order.
pub fn sort<T: Ord>(v: &mut [T]) {
    sort_by(v, T::cmp);
}

/// Sorts values whose equal elements are indistinguishable (ids, pairs of
/// ids) in place, without allocating: what std's `sort_unstable` answers,
/// in a few hundred bytes per type instead of its 2–3 KB. An insertion
/// sort first, given 4 moves an element (a list nearly in order costs
/// little more than a pass), then, past them, a heapsort: O(n log n) in
/// the worst case. The sets a DFA state sorts come out of a step nearly
/// in order (words move forward together: 2.5 moves for a set of 57
/// words), and the heapsort of each took 20 M of the 43 M instructions of
/// a check of a 4 KB path naming 100,000 `**/*secretN_*` rules.
pub fn sort_unstable<T: Copy + Ord>(v: &mut [T]) {
    let n = v.len();
    let mut budget = 4 * n;
    let mut i = 1;
    while i < n {
        let x = v[i];
        let mut j = i;
        while j > 0 && v[j - 1] > x {
            v[j] = v[j - 1];
            j -= 1;
        }
        v[j] = x;
        match budget.checked_sub(i - j) {
            Some(left) => budget = left,
            None => break,
        }
        i += 1;
    }
    if i >= n {
        return;
    }
    let sift = |v: &mut [T], mut root: usize, end: usize| loop {
        let mut child = 2 * root + 1;
        if child >= end {
            break;
        }
        if child + 1 < end && v[child] < v[child + 1] {
            child += 1;
        }
        if v[root] >= v[child] {
            break;
        }
        v.swap(root, child);
        root = child;
    };
    for root in (0..n / 2).rev() {
        sift(v, root, n);
    }
    for end in (1..n).rev() {
        v.swap(0, end);
        sift(v, 0, end);
    }
}

/// Sorts `v` by the key `f` gives, stably.
pub fn sort_by_key<T, K: Ord, F: FnMut(&T) -> K>(v: &mut [T], mut f: F) {
    sort_by(v, |a, b| f(a).cmp(&f(b)));
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn answers_as_std_stable_sort() {
        let mut seed = 7u64;
        for n in [0, 1, 2, 5, 19, 20, 21, 64, 1000] {
            for modulus in [3u64, 1000] {
                let v: Vec<(u64, usize)> = (0..n)
                    .map(|i| {
                        seed = seed
                            .wrapping_mul(6364136223846793005)
                            .wrapping_add(1442695040888963407);
                        ((seed >> 33) % modulus, i)
                    })
                    .collect();
                let (mut ours, mut std) = (v.clone(), v.clone());
                sort_by_key(&mut ours, |e| e.0);
                std.sort_by_key(|e| e.0);
                assert_eq!(ours, std, "n={n}");
                let mut whole = v.clone();
                sort(&mut whole);
                let mut in_place = v.clone();
                sort_unstable(&mut in_place);
                let mut expected = v;
                expected.sort();
                assert_eq!(whole, expected);
                assert_eq!(in_place, expected);
            }
        }
    }

    /// `sort_unstable` answers as std's sort: nearly sorted lists
    /// (the insertion sort alone) and random ones (the heapsort past its
    /// budget), short and long, with repeats.
    #[test]
    fn sorts_nearly_sorted_lists_as_std() {
        let mut seed = 11u64;
        for n in [0, 1, 20, 21, 33, 256, 1000, 5000] {
            for top in [1u32, 200, u32::MAX] {
                let v: Vec<u32> = (0..n)
                    .map(|_| {
                        seed = seed
                            .wrapping_mul(6364136223846793005)
                            .wrapping_add(1442695040888963407);
                        (seed >> 32) as u32 % top
                    })
                    .collect();
                let mut expected = v.clone();
                expected.sort();
                // Nearly sorted: every 8th pair swapped.
                let mut near = expected.clone();
                for i in (1..n).step_by(8) {
                    near.swap(i - 1, i);
                }
                for mut v in [v.clone(), near] {
                    sort_unstable(&mut v);
                    assert_eq!(v, expected, "n={n} top={top}");
                }
            }
        }
    }

    /// A list nearly in order (every 8th pair swapped) costs about a
    /// comparison an element, not the heapsort's 2 log2(n): the sets of
    /// NFA words a step builds come out so (README "Limits": a 4 KB path
    /// naming 100,000 `**/*secretN_*` rules spent half its check in the
    /// heapsort, 9.2 ms in the package).
    #[test]
    fn a_nearly_sorted_list_costs_a_pass() {
        thread_local!(static COMPARED: std::cell::Cell<usize> = const { std::cell::Cell::new(0) });
        #[derive(Clone, Copy, PartialEq, Eq)]
        struct Counted(u32);
        impl PartialOrd for Counted {
            fn partial_cmp(&self, other: &Self) -> Option<Ordering> {
                Some(self.cmp(other))
            }
        }
        impl Ord for Counted {
            fn cmp(&self, other: &Self) -> Ordering {
                COMPARED.with(|c| c.set(c.get() + 1));
                self.0.cmp(&other.0)
            }
        }
        let n = 1000u32;
        let mut v: Vec<Counted> = (0..n).map(Counted).collect();
        for i in (1..n as usize).step_by(8) {
            v.swap(i - 1, i);
        }
        sort_unstable(&mut v);
        assert!(v.windows(2).all(|w| w[0].0 < w[1].0));
        let compared = COMPARED.with(|c| c.get());
        assert!(compared < 2 * n as usize, "{compared} comparisons");
    }
}
