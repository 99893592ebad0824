//! What a parsed pattern matches: simple shapes ([`Piece`]) for the indexes
//! of [`crate::patterns`], segment patterns for the rest.

use super::error::{GlobError, GlobErrorKind};
use super::parse::Tok;

/// A parsed pattern of the dialect.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Pattern {
    /// The pattern as written.
    pub source: String,
    /// The pattern after anchoring and segment normalization, in the
    /// dialect's own syntax (`/src//*` becomes `src/*`).
    pub canonical: String,
    /// What the pattern matches, as simple shapes where it has one (for the
    /// indexes of [`crate::patterns`]) and segment patterns for the rest. A
    /// path matches the pattern when it matches any piece.
    pub pieces: Vec<Piece>,
}

/// One matching piece of a pattern. Strings are literal (no wildcards).
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub enum Piece {
    /// `a/b.txt`: exactly this path.
    Exact(String),
    /// `dir/**` (or `**` with an empty `dir`): `dir` and everything below.
    Under(String),
    /// `**/name`: any path whose last segment is `name`.
    Basename(String),
    /// `dir/*suffix` (`dir` may be empty: `*.md`): a direct child of `dir`
    /// whose name ends with `suffix`.
    Child { dir: String, suffix: String },
    /// `dir/**/*suffix` (`dir` may be empty: `**/*.md`): anything below
    /// `dir` whose name ends with `suffix`.
    Within { dir: String, suffix: String },
    /// Anything else: segment patterns matched one path segment at a time.
    Segments(Vec<SegPat>),
}

/// One segment of a pattern the indexes cannot hold.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub enum SegPat {
    /// `**`: any number of segments, zero included.
    Globstar,
    /// One segment, matched by this atom sequence.
    Seg(Vec<Atom>),
}

/// One step of a segment pattern. Matching is on bytes, as globset's is.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub enum Atom {
    /// This byte.
    Byte(u8),
    /// `?`: one byte.
    Any,
    /// `*`: any run of bytes.
    Star,
    /// `[...]`: one byte of (or, negated, not of) an ASCII set.
    Class {
        /// `[!…]` or `[^…]`.
        negated: bool,
        /// The members, one bit per ASCII code.
        set: u128,
    },
    /// `{a,b}` within one segment: any of these atom sequences. Kept as
    /// branches of the automaton, never spelled out.
    Alt(Vec<Vec<Atom>>),
}

/// The most simple pieces one pattern is classified into.
const MAX_SHAPE_PIECES: usize = 16;

/// The pattern as simple pieces, when every combination of its segments'
/// alternatives has a simple shape (at most [`MAX_SHAPE_PIECES`]).
fn classify(alts: &[Vec<Vec<Tok>>]) -> Option<Vec<Piece>> {
    let count = alts
        .iter()
        .try_fold(1usize, |n, a| n.checked_mul(a.len()))?;
    if count > MAX_SHAPE_PIECES {
        return None;
    }
    let mut out = Vec::with_capacity(count);
    let mut pick = vec![0usize; alts.len()];
    loop {
        let segs: Vec<Vec<Tok>> = alts.iter().zip(&pick).map(|(a, &i)| a[i].clone()).collect();
        out.push(shape(&segs)?);
        // Next combination (odometer).
        let mut k = alts.len();
        loop {
            if k == 0 {
                return Some(out);
            }
            k -= 1;
            pick[k] += 1;
            if pick[k] < alts[k].len() {
                break;
            }
            pick[k] = 0;
        }
    }
}

/// Expands every alternation, nested ones too; false past `limit`.
fn expand_every(toks: Vec<Tok>, out: &mut Vec<Vec<Tok>>, limit: usize) -> bool {
    let Some(at) = toks.iter().position(|t| matches!(t, Tok::Alt(_))) else {
        out.push(toks);
        return out.len() <= limit;
    };
    let Tok::Alt(branches) = &toks[at] else {
        return false;
    };
    branches.iter().all(|b| {
        let mut next = toks[..at].to_vec();
        next.extend(b.iter().cloned());
        next.extend(toks[at + 1..].iter().cloned());
        expand_every(next, out, limit)
    })
}

/// Segments as matcher atoms; alternations stay branches.
pub(super) fn compile(segs: &[Vec<Tok>]) -> Vec<SegPat> {
    segs.iter()
        .map(|s| {
            if s.as_slice() == [Tok::Stars] {
                SegPat::Globstar
            } else {
                SegPat::Seg(atoms(s))
            }
        })
        .collect()
}

/// How many token sequences `toks` spells out to (saturating).
fn alternatives(toks: &[Tok]) -> usize {
    toks.iter().fold(1usize, |n, t| match t {
        Tok::Alt(bs) => n.saturating_mul(
            bs.iter()
                .fold(0usize, |m, b| m.saturating_add(alternatives(b))),
        ),
        _ => n,
    })
}

fn atoms(toks: &[Tok]) -> Vec<Atom> {
    let mut out = Vec::new();
    for t in toks {
        match t {
            Tok::Lit(c) => {
                let mut buf = [0u8; 4];
                out.extend(c.encode_utf8(&mut buf).bytes().map(Atom::Byte));
            }
            // `**` inside a segment is `*`.
            Tok::Star | Tok::Stars => {
                if out.last() != Some(&Atom::Star) {
                    out.push(Atom::Star);
                }
            }
            Tok::Any => out.push(Atom::Any),
            Tok::Class { negated, set } => out.push(Atom::Class {
                negated: *negated,
                set: *set,
            }),
            Tok::Alt(branches) => out.push(Atom::Alt(branches.iter().map(|b| atoms(b)).collect())),
            // Split away before this point.
            Tok::Sep => {}
        }
    }
    out
}

/// The segments as simple pieces when their alternatives spell out to a
/// few simple shapes: `Some(vec![])` when an alternative empties a segment
/// in every combination (it matches nothing), `None` when the automaton
/// must take them.
pub(super) fn classify_small(segs: &[Vec<Tok>]) -> Option<Vec<Piece>> {
    // Count before spelling anything out: a long segment with many
    // alternations must not be copied once per alternative.
    let mut count = 1usize;
    for seg in segs {
        count = count.saturating_mul(alternatives(seg));
        if count > MAX_SHAPE_PIECES {
            return None;
        }
    }
    let mut alts = Vec::with_capacity(segs.len());
    for seg in segs {
        let mut list = Vec::new();
        if !expand_every(seg.clone(), &mut list, MAX_SHAPE_PIECES) {
            return None;
        }
        // Path segments are never empty, as in globset.
        list.retain(|l| !l.is_empty());
        list.dedup();
        if list.is_empty() {
            return Some(Vec::new());
        }
        alts.push(list);
    }
    classify(&alts)
}

/// The text of a segment made of literal characters only.
fn literal(seg: &[Tok]) -> Option<String> {
    seg.iter()
        .map(|t| match t {
            Tok::Lit(c) if *c != '/' => Some(*c),
            _ => None,
        })
        .collect()
}

/// `*suffix`: the literal suffix after one leading `*`.
fn star_suffix(seg: &[Tok]) -> Option<String> {
    match seg {
        [Tok::Star, rest @ ..] => literal(rest),
        _ => None,
    }
}

/// The simple shape of normalized segments, if they have one.
pub(super) fn shape(segs: &[Vec<Tok>]) -> Option<Piece> {
    let globstar = |s: &Vec<Tok>| s.as_slice() == [Tok::Stars];
    // Each segment's literal text, computed once.
    let lits: Vec<Option<String>> = segs.iter().map(|s| literal(s)).collect();
    let dir = |range: &[Option<String>]| -> Option<String> {
        let mut out = String::new();
        for (i, l) in range.iter().enumerate() {
            if i > 0 {
                out.push('/');
            }
            out.push_str(l.as_deref()?);
        }
        Some(out)
    };
    let n = segs.len();
    let last = segs.last()?;
    if let Some(path) = dir(&lits) {
        return Some(Piece::Exact(path));
    }
    if globstar(last) {
        return dir(&lits[..n - 1]).map(Piece::Under);
    }
    if let Some(suffix) = star_suffix(last) {
        if n >= 2 && globstar(&segs[n - 2]) {
            return Some(Piece::Within {
                dir: dir(&lits[..n - 2])?,
                suffix,
            });
        }
        return Some(Piece::Child {
            dir: dir(&lits[..n - 1])?,
            suffix,
        });
    }
    if n == 2 && globstar(&segs[0]) {
        return lits[1].clone().map(Piece::Basename);
    }
    None
}

/// The most globs one pattern may expand into.
const MAX_EXPANSIONS: usize = 64;

fn structural(toks: &[Tok]) -> bool {
    toks.iter().any(|t| match t {
        Tok::Sep | Tok::Stars => true,
        Tok::Alt(bs) => bs.iter().any(|b| structural(b)),
        _ => false,
    })
}

/// Expands the alternations whose branches hold `/` or `**`.
pub(super) fn expand(
    toks: Vec<Tok>,
    out: &mut Vec<Vec<Tok>>,
    pattern: &str,
) -> Result<(), GlobError> {
    let at = toks
        .iter()
        .position(|t| matches!(t, Tok::Alt(bs) if bs.iter().any(|b| structural(b))));
    let Some(at) = at else {
        if out.len() >= MAX_EXPANSIONS {
            return Err(GlobError::new(
                GlobErrorKind::TooManyAlternatives,
                pattern,
                None,
            ));
        }
        out.push(toks);
        return Ok(());
    };
    let Tok::Alt(branches) = &toks[at] else {
        return Ok(());
    };
    for b in branches {
        let mut next = toks[..at].to_vec();
        next.extend(b.iter().cloned());
        next.extend(toks[at + 1..].iter().cloned());
        expand(next, out, pattern)?;
    }
    Ok(())
}
