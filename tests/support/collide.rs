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

/// `n` distinct 16-byte directory names that the directory trie's table
/// placed at one index before session 20: FxHash (the multiply-rotate step
/// from 0) of (parent 0, name), hashed again by the table's Fx, agreed in
/// the 17 low bits a table of 100,000 indexes by. Made by inverting the
/// steps (the second word is solved for), keeping printable solutions
/// without glob syntax (1 in ~10,000).
#[allow(dead_code)] // tests/bounds.rs only
pub fn one_index(n: usize) -> Vec<String> {
    const K: u64 = 0x51_7c_c1_b7_27_22_0a_95;
    // K's inverse mod 2^64, by Newton's iteration.
    let mut inv = K;
    for _ in 0..6 {
        inv = inv.wrapping_mul(2u64.wrapping_sub(K.wrapping_mul(inv)));
    }
    // Printable, no glob syntax (extglobs included), one table lookup a byte.
    let mut ok = [false; 256];
    for b in 0x21..0x7f_u8 {
        ok[b as usize] = !b"/\\,*?[]{}!()\"".contains(&b);
    }
    let (mut out, mut x) = (std::collections::BTreeSet::new(), 0x9e37_79b9_7f4a_7c15_u64);
    let mut next = || {
        x ^= x << 13;
        x ^= x >> 7;
        x ^= x << 17;
        x
    };
    let mut w1 = [0u8; 8];
    for tries in 0u64.. {
        if out.len() == n {
            break;
        }
        if tries % 4096 == 0 {
            w1 = next().to_le_bytes().map(|b| b'a' + b % 26);
        }
        // The table's hash rotl(key * K, 26): its low 17 bits are bits
        // 38..55 of key * K; pick that product with them zero.
        let product = next() & !(((1u64 << 17) - 1) << 38);
        let key = product.wrapping_mul(inv);
        // key = rotl(state, 26), state = (rotl(w1 * K, 5) ^ w2) * K.
        let state = key.rotate_right(26);
        let w2 = (state.wrapping_mul(inv) ^ u64::from_le_bytes(w1).wrapping_mul(K).rotate_left(5))
            .to_le_bytes();
        if w2.iter().all(|&b| ok[b as usize]) {
            out.insert(String::from_utf8([w1, w2].concat()).expect("ASCII"));
        }
    }
    out.into_iter().collect()
}
