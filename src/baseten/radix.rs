//! Linear-time orderings of a state's large lists. The crate's sort is a
//! heapsort over indices (small code, issue 12), which at a million items
//! (10,000 groups of 100 models: the slug index, a root's descendant
//! maxima) spent most of a build; these are byte-wise counting passes.

use std::cmp::Ordering;

/// Sorts by the key's low `bytes` bytes, stably (equal keys keep their
/// order): one counting pass a byte, linear in the length.
pub(super) fn radix_sort(v: &mut Vec<(u64, u32)>, bytes: u32) {
    if v.len() <= 64 {
        crate::sort::sort_by_key(v, |x| x.0);
        return;
    }
    let mut tmp = vec![(0u64, 0u32); v.len()];
    for pass in 0..bytes {
        let shift = pass * 8;
        let mut count = [0usize; 256];
        for x in v.iter() {
            count[((x.0 >> shift) & 0xff) as usize] += 1;
        }
        // A pass whose byte is the same everywhere moves nothing.
        if count.contains(&v.len()) {
            continue;
        }
        let mut sum = 0;
        for c in count.iter_mut() {
            let k = *c;
            *c = sum;
            sum += k;
        }
        for x in v.iter() {
            let b = ((x.0 >> shift) & 0xff) as usize;
            tmp[count[b]] = *x;
            count[b] += 1;
        }
        std::mem::swap(v, &mut tmp);
    }
}

/// Orders `(hash, item)` pairs by hash, then equal hashes by `tie` (a run
/// of equal hashes is rare, but an attacker can make one: it costs a
/// comparison sort of that run, never more).
pub(super) fn sort_by_hash(v: &mut Vec<(u64, u32)>, mut tie: impl FnMut(u32, u32) -> Ordering) {
    radix_sort(v, 8);
    let mut at = 0;
    while at < v.len() {
        let run = v[at..].iter().take_while(|x| x.0 == v[at].0).count();
        if run > 1 {
            crate::sort::sort_by(&mut v[at..at + run], |a, b| tie(a.1, b.1));
        }
        at += run;
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn orders_as_a_stable_comparison_sort() {
        let mut seed = 11u64;
        for n in [0, 3, 64, 65, 1000] {
            let v: Vec<(u64, u32)> = (0..n)
                .map(|i| {
                    seed = seed
                        .wrapping_mul(6364136223846793005)
                        .wrapping_add(1442695040888963407);
                    ((seed >> 40) % 97, i)
                })
                .collect();
            let mut ours = v.clone();
            radix_sort(&mut ours, 8);
            let mut std = v.clone();
            std.sort_by_key(|x| x.0);
            assert_eq!(ours, std, "n={n}");
            let mut ours = v.clone();
            sort_by_hash(&mut ours, |a, b| b.cmp(&a));
            std.sort_by(|a, b| a.0.cmp(&b.0).then(b.1.cmp(&a.1)));
            assert_eq!(ours, std, "n={n}, ties reversed");
        }
    }
}
