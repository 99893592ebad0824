//! The buffers one build's globs are parsed into, kept from glob to glob
//! (issue 12, cold start: a glob's token list, canonical text, pieces and
//! their strings were a dozen allocations each, most of a cold build's, and
//! dlmalloc in WASM is slow), and the borrowed view of a parsed glob
//! ([`Parsed`]) that the policy's build reads.

use super::shape::Piece;
use super::token::Tok;

/// A parsed glob, borrowed from its text and a [`Scratch`]: valid until the
/// scratch parses the next one (the build copies what it keeps).
#[derive(Debug, Clone, Copy)]
pub struct Parsed<'a> {
    /// The pattern as written.
    pub source: &'a str,
    /// Its canonical form (see [`super::Pattern::canonical`]): `source`
    /// itself when they are the same.
    pub canonical: &'a str,
    /// What it matches (see [`super::Pattern`]).
    pub(crate) pieces: &'a [Piece],
    /// The glob holds a byte a lint note looks for (`(`, `\\`, a `]`
    /// outside a class or before `+`): see `files::notes` (found by the
    /// tokenizer, which stops at each).
    pub(crate) hints: bool,
}

/// Buffers for parsing globs one after the other.
#[derive(Default)]
pub struct Scratch {
    /// The parser's buffers (with the emptied token lists, for the next
    /// glob's tokens).
    pub(super) bufs: Bufs,
    /// The last glob's tokens normalized, when they differ from its tokens.
    pub(super) norm: Vec<Tok>,
    /// The last glob's canonical form, when it differs from its source.
    pub(super) canonical: String,
    /// The last glob's pieces.
    pub(super) pieces: Vec<Piece>,
    /// Emptied strings, for the next pieces' texts.
    pub(super) strings: Vec<String>,
}

/// The parser's buffers, kept from glob to glob (see [`Scratch`]).
#[derive(Default)]
pub(super) struct Bufs {
    /// Literal-run buffers of finished `seq`s, for the next ones (one per
    /// nesting level, not one per alternative).
    pub(super) runs: Vec<String>,
    /// Emptied token lists, for the next glob's tokens.
    pub(super) lists: Vec<Vec<Tok>>,
}

/// The most emptied buffers of each kind kept: enough for the pieces of
/// one glob, a bounded amount of memory whatever the rules.
const KEEP: usize = 8;

impl Scratch {
    /// Empties the last glob's pieces into the pools.
    pub(super) fn recycle(&mut self) {
        for piece in self.pieces.drain(..) {
            match piece {
                Piece::Glob(t) => keep(&mut self.bufs.lists, t),
                Piece::Exact(s) | Piece::Under(s) | Piece::Basename(s) => {
                    keep(&mut self.strings, s)
                }
                Piece::Child { dir, suffix } | Piece::Within { dir, suffix } => {
                    keep(&mut self.strings, dir);
                    keep(&mut self.strings, suffix);
                }
            }
        }
    }

    /// An empty token list.
    pub(super) fn tokens(&mut self) -> Vec<Tok> {
        self.bufs.lists.pop().unwrap_or_default()
    }

    /// Returns a token list to the pool.
    pub(super) fn give_back(&mut self, toks: Vec<Tok>) {
        keep(&mut self.bufs.lists, toks);
    }
}

/// Keeps an emptied buffer (up to [`KEEP`] of them).
fn keep<T: Clear>(pool: &mut Vec<T>, mut b: T) {
    if pool.len() < KEEP {
        b.clear();
        pool.push(b);
    }
}

/// What [`keep`] empties.
trait Clear {
    fn clear(&mut self);
}

impl Clear for String {
    fn clear(&mut self) {
        String::clear(self)
    }
}

impl Clear for Vec<Tok> {
    fn clear(&mut self) {
        Vec::clear(self)
    }
}
