//! Hash maps of names from the input (group ids, slugs, roles, schema
//! strings), hashed with secret keys so that no one can choose names that
//! collide. std's maps key SipHash from the platform's randomness, and
//! WebAssembly has none: std then keys it from two addresses (rust-lang/rust
//! `library/std/src/sys/random/unsupported.rs`), the same in every
//! instance, so names colliding in a table's index bits could be
//! found once, offline, and would make every map of them quadratic. The
//! package seeds the keys when the module is instantiated ([`seed`], from
//! `js/core.js` `seedHashKeys`: `/dev/urandom` in Node, else
//! `crypto.getRandomValues`, else `Math.random`); natively they come from
//! std's `RandomState`, which the OS keys.

use std::collections::hash_map::{DefaultHasher, RandomState};
use std::hash::{BuildHasher, Hasher};
use std::sync::OnceLock;

static KEYS: OnceLock<[u64; 2]> = OnceLock::new();

/// Sets the keys of every map built from now on. The first call wins (a
/// map keeps the keys it was built with); the JS adapter makes it before
/// any other call.
#[cfg_attr(not(target_arch = "wasm32"), allow(dead_code))]
pub fn seed(keys: [u64; 2]) {
    let _ = KEYS.set(keys);
}

fn keys() -> [u64; 2] {
    *KEYS.get_or_init(|| {
        let s = RandomState::new();
        [s.hash_one(0u8), s.hash_one(1u8)]
    })
}

/// A secret word for the tables that hash with a cheaper step than SipHash
/// (`patterns::FxMap`), derived from the keys.
pub(crate) fn word() -> u64 {
    static WORD: OnceLock<u64> = OnceLock::new();
    *WORD.get_or_init(|| Keyed.hash_one(0x5eed_u64))
}

/// SipHash-1-3 (std's `DefaultHasher`, whose own keys are zero) from the
/// state that absorbing the two secret keys leaves: a start no one can
/// compute without the 128 bits of key, as SipHash's keyed start is,
/// without a hasher of our own. The keys are absorbed once, into one start
/// every map copies per hash (absorbing them per hash was two compressions
/// a name, 7 % of reading a state of a million slugs); the maps hold no
/// state of their own.
#[derive(Debug, Clone, Copy, Default)]
pub(crate) struct Keyed;

impl BuildHasher for Keyed {
    type Hasher = DefaultHasher;
    fn build_hasher(&self) -> DefaultHasher {
        static START: OnceLock<DefaultHasher> = OnceLock::new();
        START.get_or_init(|| absorbed(keys())).clone()
    }
}

/// SipHash-1-3 having absorbed `keys`.
fn absorbed([k0, k1]: [u64; 2]) -> DefaultHasher {
    let mut h = DefaultHasher::new();
    h.write_u64(k0);
    h.write_u64(k1);
    h
}

/// A `HashMap` with [`Keyed`] hashing.
pub(crate) type HashMap<K, V> = std::collections::HashMap<K, V, Keyed>;
/// A `HashSet` with [`Keyed`] hashing.
pub(crate) type HashSet<T> = std::collections::HashSet<T, Keyed>;

/// An empty [`HashMap`] with room for `n` entries.
pub(crate) fn with_capacity<K, V>(n: usize) -> HashMap<K, V> {
    HashMap::with_capacity_and_hasher(n, Keyed)
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::hash::Hash;

    /// Hashing from the start `keys` leave, as [`Keyed`] does from the
    /// secret ones.
    #[derive(Clone)]
    struct Start(DefaultHasher);

    impl BuildHasher for Start {
        type Hasher = DefaultHasher;
        fn build_hasher(&self) -> DefaultHasher {
            self.0.clone()
        }
    }

    fn start(keys: [u64; 2]) -> Start {
        Start(absorbed(keys))
    }

    /// Names whose hashes share their low 12 bits under one pair of keys
    /// (a table's index bits, found by search as an attacker would with
    /// known keys) spread under another pair.
    #[test]
    fn names_colliding_under_some_keys_spread_under_others() {
        let (known, other) = (start([1, 2]), start([3, 4]));
        let low = |k: &Start, s: &str| k.hash_one(s) & 0xfff;
        let target = low(&known, "n0");
        let names: Vec<String> = (0..)
            .map(|i| format!("n{i}"))
            .filter(|s| low(&known, s) == target)
            .take(16)
            .collect();
        let mut buckets: Vec<u64> = names.iter().map(|s| low(&other, s)).collect();
        buckets.sort_unstable();
        buckets.dedup();
        // 16 random draws of 4,096 buckets: two alike 1 time in 34, three
        // pairs alike about 1 in 100,000 (one bucket for all: 1 in 2^180).
        assert!(buckets.len() >= 14, "{buckets:?}");
        // The same keys hash alike; a map built with them finds its names.
        assert_eq!(known.hash_one("x"), start([1, 2]).hash_one("x"));
        let mut m: std::collections::HashMap<&str, usize, Start> =
            std::collections::HashMap::with_hasher(known);
        m.extend(names.iter().map(|s| (s.as_str(), s.len())));
        assert!(names.iter().all(|s| m.get(s.as_str()) == Some(&s.len())));
    }

    /// Every hash of the crate's maps starts from the secret keys absorbed:
    /// the hash of a hasher that absorbs them itself, first.
    #[test]
    fn a_hash_starts_from_the_absorbed_keys() {
        for name in ["x", "org/m1", ""] {
            let mut h = DefaultHasher::new();
            h.write_u64(keys()[0]);
            h.write_u64(keys()[1]);
            name.hash(&mut h);
            assert_eq!(Keyed.hash_one(name), h.finish(), "{name:?}");
            let mut plain = DefaultHasher::new();
            name.hash(&mut plain);
            assert_ne!(Keyed.hash_one(name), plain.finish(), "{name:?} unkeyed");
        }
    }
}
