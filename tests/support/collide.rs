//! Chosen collisions of the keyless word hash that orders the Baseten
//! workspace's id and slug indexes (`src/baseten/store.rs` `hash_bytes`):
//! lookups among them must stay exact and logarithmic.

/// `n` distinct printable strings of one hash under the Baseten indexes'
/// word hash (the multiply-rotate step from the length), with a `/` in the
/// first word when `slug` (slugs are `owner/model`). Joux's multicollision:
/// from each state, 16 blocks of 16 bytes (a printable second word undoing
/// the first, as `tests/bounds/cases.rs` `one_hash` does) reach one next
/// state, so k blocks give 16^k strings of 16k bytes (100,000 slugs of 80
/// bytes) for 16k searches: milliseconds, as the hash has no key to guess.
pub fn one_hash_blocks(n: usize, slug: bool) -> Vec<String> {
    const K: u64 = 0x51_7c_c1_b7_27_22_0a_95;
    const PER: usize = 16;
    let ok = |b: &u8| (0x21..0x7f).contains(b) && !b"/\\\"".contains(b);
    let mut k = 1;
    while PER.pow(k as u32) < n {
        k += 1;
    }
    let (mut state, mut x) = ((16 * k) as u64, 0x9e37_79b9_7f4a_7c15_u64);
    let mut blocks: Vec<Vec<[u8; 16]>> = Vec::with_capacity(k);
    for j in 0..k {
        let mut found: Vec<[u8; 16]> = Vec::new();
        while found.len() < PER {
            x ^= x << 13;
            x ^= x >> 7;
            x ^= x << 17;
            let mut w1 = x.to_le_bytes().map(|b| b'a' + b % 26);
            if slug && j == 0 {
                w1[3] = b'/';
            }
            let h1 = (state.rotate_left(5) ^ u64::from_le_bytes(w1)).wrapping_mul(K);
            let w2 = (h1.rotate_left(5) ^ 0x2d2d).to_le_bytes();
            let block: [u8; 16] = [w1, w2].concat().try_into().expect("16 bytes");
            if w2.iter().all(ok) && !found.contains(&block) {
                found.push(block);
            }
        }
        blocks.push(found);
        state = 0x2d2d_u64.wrapping_mul(K);
    }
    (0..n)
        .map(|i| {
            let bytes: Vec<u8> = (0..k)
                .flat_map(|j| blocks[j][i / PER.pow(j as u32) % PER])
                .collect();
            String::from_utf8(bytes).expect("ASCII")
        })
        .collect()
}
