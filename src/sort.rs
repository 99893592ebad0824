//! One small sort for the whole crate. std's sorts are fast, but every
//! element type instantiates its own 3–6 KB of quicksort, driftsort and
//! small-sort networks: 46 KB of the shipped WASM for 13 types (issue 12:
//! size). This one is a few hundred bytes per type, O(n log n) in the worst
//! case (heapsort over indices), and stable: equal elements keep their
//! order, so it answers exactly as `sort_by` and as any `sort_unstable*`
//! whose equal elements are indistinguishable.

use std::cmp::Ordering;

/// Below this length, an insertion sort in place (no allocation): the sets
/// a DFA state sorts are this small.
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
/// ids) in place, without allocating: an insertion sort up to [`SMALL`]
/// (the sets a DFA state or an NFA join sorts), a heapsort above, O(n log n)
/// in the worst case. What std's `sort_unstable` answers, in a few hundred
/// bytes per type instead of its 2–3 KB.
pub fn sort_unstable<T: Copy + Ord>(v: &mut [T]) {
    let n = v.len();
    if n <= SMALL {
        for i in 1..n {
            let x = v[i];
            let mut j = i;
            while j > 0 && v[j - 1] > x {
                v[j] = v[j - 1];
                j -= 1;
            }
            v[j] = x;
        }
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
}
