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
    /// Token lists of earlier globs, for the next glob's tokens and
    /// branches (emptied when taken).
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
                Piece::Glob(t) => keep_tokens(&mut self.bufs.lists, t),
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
        self.bufs.list()
    }

    /// Returns a token list to the pool.
    pub(super) fn give_back(&mut self, toks: Vec<Tok>) {
        keep_tokens(&mut self.bufs.lists, toks);
    }
}

/// Keeps an emptied string (up to [`KEEP`] of them).
fn keep(pool: &mut Vec<String>, mut b: String) {
    if pool.len() < KEEP {
        b.clear();
        pool.push(b);
    }
}

/// The most token lists kept: a glob's own and its alternations' branches'
/// (`{a,b/}`×6 `{a,b}`×8 has 28; a glob's branches join the pool whole,
/// so it may hold one glob's more).
const KEEP_LISTS: usize = 64;

/// Keeps a token list and its alternations' branch lists (emptied when
/// taken, [`Bufs::list`]) for the parser's next branches: 100,000 brace
/// globs of 14 alternations each allocated and freed 2.8 million branch
/// lists. Nested alternations' lists are freed with their branch.
fn keep_tokens(pool: &mut Vec<Vec<Tok>>, mut toks: Vec<Tok>) {
    if pool.len() < KEEP_LISTS {
        for t in &mut toks {
            if let Tok::Alt(branches, _) = t {
                pool.append(branches);
            }
        }
        pool.push(toks);
    }
}

impl Bufs {
    /// An empty token list, from the pool when it has one.
    #[inline(never)]
    pub(super) fn list(&mut self) -> Vec<Tok> {
        let mut toks = self.lists.pop().unwrap_or_default();
        toks.clear();
        toks
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::glob::parse_with;
    use crate::limits::Limits;

    #[test]
    fn a_globs_branch_lists_serve_the_next_globs_branches() {
        let bomb = "{a,b/}".repeat(6) + &"{a,b}".repeat(8) + "x";
        let mut s = Scratch::default();
        parse_with(&bomb, &Limits::DEFAULT, &mut s).expect("a glob");
        s.recycle();
        // Its own list and its 28 branches' (each was freed, and the next
        // glob's allocated anew).
        assert_eq!(s.bufs.lists.len(), 29);
        parse_with(&bomb, &Limits::DEFAULT, &mut s).expect("a glob");
        assert_eq!(s.bufs.lists.len(), 0, "every list taken again");
        // A taken list is empty, whatever it held.
        s.recycle();
        assert!((0..29).all(|_| s.bufs.list().is_empty()));
    }
}
