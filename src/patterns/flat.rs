//! The byte sets of the NFA's edges, and the built NFA's flat arrays:
//! apart from the builder (`nfa`, `grow`), which both use them.

/// A set of bytes, one bit each.
#[derive(Debug, Clone, Copy, Eq, Default)]
pub struct ByteSet(pub [u64; 4]);

/// Word by word: the derived `==` of the array is a `memcmp` call in
/// size-optimized builds, and the builder compares a set at every `?`.
impl PartialEq for ByteSet {
    #[inline]
    fn eq(&self, o: &ByteSet) -> bool {
        let (a, b) = (&self.0, &o.0);
        (a[0] ^ b[0]) | (a[1] ^ b[1]) | (a[2] ^ b[2]) | (a[3] ^ b[3]) == 0
    }
}

impl ByteSet {
    /// Every byte.
    pub const ALL: ByteSet = ByteSet([u64::MAX; 4]);

    /// Every byte but `/`.
    pub fn not_slash() -> ByteSet {
        let mut s = ByteSet::ALL;
        s.0[0] &= !(1u64 << b'/');
        s
    }

    /// Just `b`.
    pub fn byte(b: u8) -> ByteSet {
        let mut s = ByteSet::default();
        s.0[usize::from(b >> 6)] |= 1u64 << (b & 63);
        s
    }

    /// The one member, if there is exactly one.
    pub(super) fn single(&self) -> Option<u8> {
        let ones: u32 = self.0.iter().map(|w| w.count_ones()).sum();
        let word = self.0.iter().position(|&w| w != 0)?;
        (ones == 1).then(|| (word * 64) as u8 + self.0[word].trailing_zeros() as u8)
    }

    /// Is `b` a member?
    #[inline]
    pub fn has(&self, b: u8) -> bool {
        self.0[usize::from(b >> 6)] & (1u64 << (b & 63)) != 0
    }

    /// A glob class: ASCII members (or, negated, every byte but them);
    /// never `/`.
    pub(super) fn class(negated: bool, set: u128) -> ByteSet {
        let lo = [set as u64, (set >> 64) as u64, 0, 0];
        let mut s = if negated {
            ByteSet([!lo[0], !lo[1], u64::MAX, u64::MAX])
        } else {
            ByteSet(lo)
        };
        s.0[0] &= !(1u64 << b'/');
        s
    }
}

/// The states of a built NFA in flat arrays: state `s`'s epsilon edges
/// are `eps[eps_at[s]..eps_at[s + 1]]`, its edges and accepted ids
/// likewise. Seven arrays for any number of states, so a snapshot loads
/// them with seven allocations and checks them in one pass ([`Flat::check`]).
#[derive(Debug, Clone, Default)]
pub struct Flat {
    pub eps_at: Vec<u32>,
    pub eps: Vec<u32>,
    pub edges_at: Vec<u32>,
    /// Consuming edges: (byte set index in `sets`, target). An index, not
    /// the set: a policy has a few dozen distinct sets and tens of
    /// thousands of edges (8 bytes each rather than 40, and a snapshot
    /// loads them in one copy).
    pub edges: Vec<[u32; 2]>,
    /// The distinct byte sets of the edges.
    pub sets: Vec<ByteSet>,
    pub accept_at: Vec<u32>,
    pub accept: Vec<u32>,
}

/// Do the offsets `at` start at 0, never decrease and end at `len`?
fn offsets(at: &[u32], states: usize, len: usize) -> bool {
    at.len() == states + 1
        && at.first() == Some(&0)
        && at.windows(2).all(|w| w[0] <= w[1])
        && at.last().map(|&e| e as usize) == Some(len)
}

impl Flat {
    /// Is this a well-formed automaton of at least one state (the start),
    /// every edge leading to a state, every accepted id below `ids`?
    pub fn check(&self, ids: u32) -> bool {
        let n = self.eps_at.len().saturating_sub(1);
        n > 0
            && offsets(&self.eps_at, n, self.eps.len())
            && offsets(&self.edges_at, n, self.edges.len())
            && offsets(&self.accept_at, n, self.accept.len())
            && self.eps.iter().all(|&t| (t as usize) < n)
            && self
                .edges
                .iter()
                .all(|&[set, t]| (set as usize) < self.sets.len() && (t as usize) < n)
            && self.accept.iter().all(|&id| id < ids)
    }
}
