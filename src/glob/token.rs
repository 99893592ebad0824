//! The tokens of a glob: what the parser produces, and what the shape
//! analysis ([`super::shape`]) and the automaton builder (through
//! [`super::walk`]) read. A module of its own so that the parser and the
//! shape analysis both import it and never each other.

/// One token of a glob.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub enum Tok {
    /// This literal text (escapes resolved; never empty, never `/`). The
    /// parser makes each run of literal characters one token, so a glob's
    /// literal text costs one token, one walk step and one canonical copy,
    /// not one per byte; consumers still read it as that many characters
    /// (spelled-out alternatives may put two `Text`s side by side).
    Text(Text),
    /// `*`.
    Star,
    /// `**` (or more stars); a globstar only when it is a whole segment.
    Stars,
    /// `?`, this many times in a row (at least once). A run is one token,
    /// as literal text is: 100,000 globs of 1,000 `?`s were 100 million
    /// tokens to parse and walk, 8 s in the package (issue #11).
    Any(u32),
    /// `[...]`: ASCII members as bits; never includes `/`.
    Class {
        /// `[!…]` or `[^…]`.
        negated: bool,
        /// The members, one bit per ASCII code.
        set: Members,
    },
    /// `{a,b}`: the branches (at least two), and whether one holds `/` or
    /// `**` or is exactly `..` (only then are they walked by segment: an
    /// alternation within one segment never empties it, as in globset, and
    /// a `..` branch that ends a segment is refused).
    Alt(Vec<Vec<Tok>>, bool),
    /// `/`.
    Sep,
}

/// Literal text: up to [`INLINE`] bytes inline (most literal runs of real
/// globs are a name or a directory, `config.json`, `src`), longer text on
/// the heap. Reads as `str`. Inline, a token costs no allocation to make,
/// copy or drop: the `Box<str>` of every run was a fifth of a cold build's
/// allocations (issue 12, cold start).
#[derive(Clone)]
pub struct Text(Repr);

/// The most bytes a [`Text`] holds inline (the `Box<str>` variant's 16
/// bytes and its tag round a token up to 32 bytes anyway).
const INLINE: usize = 22;

#[derive(Clone)]
enum Repr {
    Inline { len: u8, bytes: [u8; INLINE] },
    Heap(Box<str>),
}

impl From<&str> for Text {
    #[inline]
    fn from(s: &str) -> Text {
        if s.len() > INLINE {
            return Text(Repr::Heap(s.into()));
        }
        let mut bytes = [0u8; INLINE];
        // A loop, not `copy_from_slice` into `bytes[..len]`: that was
        // three calls in baseline code for every literal token a cold
        // build parses (issue 12).
        let src = s.as_bytes();
        let mut i = 0;
        while i < src.len() {
            bytes[i] = src[i];
            i += 1;
        }
        Text(Repr::Inline {
            len: s.len() as u8,
            bytes,
        })
    }
}

impl Text {
    /// The text's bytes, without the UTF-8 check a `str` of inline bytes
    /// takes (for byte tests: the check was most of a cold build's reads).
    #[inline]
    pub fn as_bytes(&self) -> &[u8] {
        match &self.0 {
            Repr::Inline { len, bytes } => &bytes[..usize::from(*len)],
            Repr::Heap(s) => s.as_bytes(),
        }
    }
}

impl std::ops::Deref for Text {
    type Target = str;
    #[inline]
    fn deref(&self) -> &str {
        match &self.0 {
            // The bytes of a `str` (copied whole in `from`).
            Repr::Inline { len, bytes } => {
                std::str::from_utf8(&bytes[..usize::from(*len)]).unwrap_or("")
            }
            Repr::Heap(s) => s,
        }
    }
}

impl PartialEq for Text {
    fn eq(&self, other: &Text) -> bool {
        **self == **other
    }
}

impl Eq for Text {}

impl std::hash::Hash for Text {
    fn hash<H: std::hash::Hasher>(&self, h: &mut H) {
        (**self).hash(h)
    }
}

impl std::fmt::Debug for Text {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        (**self).fmt(f)
    }
}

/// A class's ASCII members, one bit each: a `u128` kept as two words, so
/// that a token is aligned to 8 bytes, not 16 (a 16-aligned allocation
/// takes the allocator's slow `memalign` path in WASM, for every token
/// list of every glob).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct Members([u64; 2]);

impl Members {
    /// The members as one number.
    pub fn get(self) -> u128 {
        u128::from(self.0[0]) | u128::from(self.0[1]) << 64
    }
}

impl From<u128> for Members {
    fn from(set: u128) -> Members {
        Members([set as u64, (set >> 64) as u64])
    }
}
