//! Linear-time orderings of a state's large lists. The crate's sort is a
//! heapsort over indices (small code, issue 12), which at a million items
//! (10,000 groups of 100 models: the slug index, a root's descendant
//! maxima) spent most of a build; these are byte-wise counting passes.

use std::cmp::Ordering;

/// Sorts by the key's low `bytes` bytes (at most 8), stably (equal keys
/// keep their order): one pass counts every byte, then one moving pass a
/// byte, linear in the length.
pub(super) fn radix_sort(v: &mut Vec<(u64, u32)>, bytes: u32) {
    if v.len() <= 64 {
        crate::sort::sort_by_key(v, |x| x.0);
        return;
    }
    // All the counts at once: one read of the keys, not one a byte.
    let mut counts = [[0u32; 256]; 8];
    for x in v.iter() {
        let mut k = x.0;
        for count in counts.iter_mut() {
            count[(k & 0xff) as usize] += 1;
            k >>= 8;
        }
    }
    let mut tmp = vec![(0u64, 0u32); v.len()];
    for (pass, count) in counts.iter_mut().take(bytes as usize).enumerate() {
        let shift = pass * 8;
        // A pass whose byte is the same everywhere moves nothing.
        if count.contains(&(v.len() as u32)) {
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
            tmp[count[b] as usize] = *x;
            count[b] += 1;
        }
        std::mem::swap(v, &mut tmp);
    }
}

/// Orders `(hash, item)` pairs by hash, then equal hashes by `tie` (a run
/// of equal hashes is rare, but an attacker can make one: it costs a
/// comparison sort of that run, never more).
pub(super) fn sort_by_hash(v: &mut Vec<(u64, u32)>, tie: &mut dyn FnMut(u32, u32) -> Ordering) {
    radix_sort(v, 8);
    for run in v.chunk_by_mut(|a, b| a.0 == b.0) {
        if run.len() > 1 {
            crate::sort::sort_by(run, |a, b| tie(a.1, b.1));
        }
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
            sort_by_hash(&mut ours, &mut |a, b| b.cmp(&a));
            std.sort_by(|a, b| a.0.cmp(&b.0).then(b.1.cmp(&a.1)));
            assert_eq!(ours, std, "n={n}, ties reversed");
        }
    }
}
