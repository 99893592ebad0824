//! What a parsed pattern matches: simple shapes ([`Piece`]) for the indexes
//! of [`crate::patterns`], segment patterns for the rest.

use std::borrow::Cow;

use super::segments::Segs;
use super::token::Tok;

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
    pub(crate) pieces: Vec<Piece>,
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
    Child {
        /// The directory (literal).
        dir: String,
        /// The name's end (literal).
        suffix: String,
    },
    /// `dir/**/*suffix` (`dir` may be empty: `**/*.md`): anything below
    /// `dir` whose name ends with `suffix`.
    Within {
        /// The directory (literal).
        dir: String,
        /// The name's end (literal).
        suffix: String,
    },
    /// Anything else: the glob's tokens, for the automaton (built by
    /// [`super::walk`], alternatives as branches).
    Glob(Vec<Tok>),
}

/// The most simple pieces one pattern is spelled out into.
const MAX_SHAPE_PIECES: usize = 16;
/// The most bytes spelled out for one pattern (alternatives × its length):
/// past that, spelling out costs more than the automaton it would spare.
const MAX_SHAPE_BYTES: usize = 2048;

/// How many token sequences `toks` spells out to (saturating).
fn alternatives(toks: &[Tok]) -> usize {
    toks.iter().fold(1usize, |n, t| match t {
        Tok::Alt(bs, _) => n.saturating_mul(
            bs.iter()
                .fold(0usize, |m, b| m.saturating_add(alternatives(b))),
        ),
        _ => n,
    })
}

/// Spells out the alternations `which` selects (by their structural
/// flag; `None`: all), nested ones too.
fn spell<'t>(toks: &'t [Tok], which: Option<bool>, out: &mut Vec<Cow<'t, [Tok]>>) {
    let Some(at) = toks.iter().position(|t| selected(t, which)) else {
        out.push(Cow::Borrowed(toks));
        return;
    };
    let Tok::Alt(branches, _) = &toks[at] else {
        return;
    };
    // Each branch with the tokens around it (never a copy of the whole
    // alternation, which is taken apart at once).
    for b in branches {
        let mut next = Vec::with_capacity(toks.len() + b.len());
        next.extend_from_slice(&toks[..at]);
        next.extend_from_slice(b);
        next.extend_from_slice(&toks[at + 1..]);
        spell_owned(next, which, out);
    }
}

/// An alternation [`spell`] spells out.
fn selected(t: &Tok, which: Option<bool>) -> bool {
    matches!(t, Tok::Alt(_, s) if which.is_none_or(|w| w == *s))
}

/// [`spell`] of a list of its own: the last branch of each alternation
/// takes the list itself (one copy per other branch, not two per branch).
fn spell_owned(mut toks: Vec<Tok>, which: Option<bool>, out: &mut Vec<Cow<'_, [Tok]>>) {
    let Some(at) = toks.iter().position(|t| selected(t, which)) else {
        out.push(Cow::Owned(toks));
        return;
    };
    let Tok::Alt(mut branches, _) = std::mem::replace(&mut toks[at], Tok::Sep) else {
        return;
    };
    let last = branches.pop();
    for b in branches {
        let mut next = Vec::with_capacity(toks.len() + b.len());
        next.extend_from_slice(&toks[..at]);
        next.extend(b);
        next.extend_from_slice(&toks[at + 1..]);
        spell_owned(next, which, out);
    }
    if let Some(b) = last {
        toks.splice(at..=at, b).for_each(drop);
        spell_owned(toks, which, out);
    }
}

/// A pattern with alternations as a few simple pieces, onto `out`, when it
/// spells out to at most [`MAX_SHAPE_PIECES`] globs of a simple shape each
/// (so `{src,lib}/*.{js,ts}` goes to the indexes); `false` (and nothing
/// added) when the automaton must take it. Alternations holding `/` or
/// `**` are spelled out first and each result normalized by `segments`
/// (`None`: it is empty, it matches nothing); then the alternatives within
/// each segment, which never empty it (an empty one is dropped). Counted
/// before anything is spelled out; `pool` lends the pieces' strings.
pub(super) fn classify(
    toks: &[Tok],
    len: usize,
    segments: impl for<'t> Fn(&'t [Tok]) -> Option<Segs<'t>>,
    pool: &mut Vec<String>,
    out: &mut Vec<Piece>,
) -> bool {
    let count = alternatives(toks);
    if count > MAX_SHAPE_PIECES || count.saturating_mul(len) > MAX_SHAPE_BYTES {
        return false;
    }
    let start = out.len();
    let mut each = |t: &[Tok]| match segments(t) {
        Some(segs) => spelled(&segs, pool, out),
        None => Some(()),
    };
    let done = if toks.iter().any(|t| matches!(t, Tok::Alt(_, true))) {
        let mut spelled = Vec::with_capacity(count);
        spell(toks, Some(true), &mut spelled);
        spelled.iter().try_for_each(|t| each(t))
    } else {
        // Nothing to spell out first (most alternations stay in a segment).
        each(toks)
    };
    if done.is_none() {
        out.truncate(start);
        return false;
    }
    out.dedup();
    true
}

/// The pieces of normalized segments whose alternations stay within one
/// segment; `None` when one has no simple shape.
fn spelled(segs: &[&[Tok]], pool: &mut Vec<String>, out: &mut Vec<Piece>) -> Option<()> {
    // Each segment's alternatives, one segment after the other: segment
    // `k`'s end at `ends[k]` (two lists, not one per segment).
    let mut flat: Vec<Cow<[Tok]>> = Vec::with_capacity(segs.len() + 2);
    let mut ends = Vec::with_capacity(segs.len());
    for &seg in segs {
        // A segment without alternation is itself, not a copy.
        let before = flat.len();
        spell(seg, None, &mut flat);
        // Empty alternatives dropped.
        let mut k = before;
        while k < flat.len() {
            match flat[k].is_empty() {
                true => drop(flat.remove(k)),
                false => k += 1,
            }
        }
        if flat.len() == before {
            // A segment with only empty alternatives: matches nothing.
            return Some(());
        }
        ends.push(flat.len());
    }
    product(&flat, &ends, pool, out)
}

/// The shape of every combination of the segments' alternatives (see
/// [`spelled`]).
fn product(
    flat: &[Cow<[Tok]>],
    ends: &[usize],
    pool: &mut Vec<String>,
    out: &mut Vec<Piece>,
) -> Option<()> {
    let start = |k: usize| if k == 0 { 0 } else { ends[k - 1] };
    let mut pick: Vec<usize> = (0..ends.len()).map(start).collect();
    let mut segs: Vec<&[Tok]> = Vec::with_capacity(ends.len());
    loop {
        segs.clear();
        segs.extend(pick.iter().map(|&i| &*flat[i]));
        out.push(shape(&segs, pool)?);
        // Next combination (odometer).
        let mut k = ends.len();
        loop {
            if k == 0 {
                return Some(());
            }
            k -= 1;
            pick[k] += 1;
            if pick[k] < ends[k] {
                break;
            }
            pick[k] = start(k);
        }
    }
}

/// A segment made of literal characters only.
fn is_literal(seg: &[Tok]) -> bool {
    seg.iter().all(|t| matches!(t, Tok::Text(_)))
}

/// Literal segments joined by `/` (they are checked first: no string is
/// taken for a pattern without a simple shape), in a string of `pool`.
fn join(segs: &[&[Tok]], pool: &mut Vec<String>) -> Option<String> {
    if !segs.iter().all(|s| is_literal(s)) {
        return None;
    }
    // Emptied by `Scratch::recycle`.
    let mut out = pool.pop().unwrap_or_default();
    for (i, seg) in segs.iter().enumerate() {
        if i > 0 {
            out.push('/');
        }
        seg.iter().for_each(|t| {
            if let Tok::Text(s) = t {
                out.push_str(s);
            }
        });
    }
    Some(out)
}

/// `*suffix`: the literal suffix after one leading `*`.
fn star_suffix(seg: &[Tok], pool: &mut Vec<String>) -> Option<String> {
    match seg {
        [Tok::Star, rest @ ..] => join(&[rest], pool),
        _ => None,
    }
}

/// The simple shape of normalized segments, if they have one (its strings
/// from `pool`).
pub(super) fn shape(segs: &[&[Tok]], pool: &mut Vec<String>) -> Option<Piece> {
    let globstar = |s: &[Tok]| matches!(s, [Tok::Stars]);
    let n = segs.len();
    let last = segs.last()?;
    if let Some(path) = join(segs, pool) {
        return Some(Piece::Exact(path));
    }
    if globstar(last) {
        return join(&segs[..n - 1], pool).map(Piece::Under);
    }
    if let Some(suffix) = star_suffix(last, pool) {
        if n >= 2 && globstar(segs[n - 2]) {
            return Some(Piece::Within {
                dir: join(&segs[..n - 2], pool)?,
                suffix,
            });
        }
        return Some(Piece::Child {
            dir: join(&segs[..n - 1], pool)?,
            suffix,
        });
    }
    if n == 2 && globstar(segs[0]) {
        return join(&segs[1..], pool).map(Piece::Basename);
    }
    None
}
