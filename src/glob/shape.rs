//! What a parsed pattern matches: simple shapes ([`Piece`]) for the indexes
//! of [`crate::patterns`], segment patterns for the rest.

use std::borrow::Cow;

use super::segments::normalized;
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
        // Not `Vec::splice`: its drain-and-fill code (1 KB of WASM) has
        // no other use in the crate.
        let tail = toks.split_off(at + 1);
        toks.truncate(at);
        toks.extend(b);
        toks.extend(tail);
        spell_owned(toks, which, out);
    }
}

/// A pattern with alternations as a few simple pieces, onto `out`, when it
/// spells out to at most [`MAX_SHAPE_PIECES`] globs of a simple shape each
/// (so `{src,lib}/*.{js,ts}` goes to the indexes); `false` (and nothing
/// added) when the automaton must take it. Alternations holding `/` or
/// `**` are spelled out first and each result normalized (see `segments`;
/// an error: it is empty, it matches nothing); then the alternatives within
/// each segment, which never empty it (an empty one is dropped). Counted
/// before anything is spelled out; `pool` lends the pieces' strings.
/// `flat`: `toks` normalized, as the parse found them.
pub(super) fn classify(
    toks: &[Tok],
    flat: &[Tok],
    pattern: &str,
    pool: &mut Vec<String>,
    out: &mut Vec<Piece>,
) -> bool {
    let count = alternatives(toks);
    if count > MAX_SHAPE_PIECES || count.saturating_mul(pattern.len()) > MAX_SHAPE_BYTES {
        return false;
    }
    let start = out.len();
    let mut buf = Vec::new();
    let mut each = |t: &[Tok]| match normalized(t, pattern, &mut buf) {
        Ok((flat, _)) => spelled(flat, pool, out),
        Err(_) => Some(()),
    };
    let done = if toks.iter().any(|t| matches!(t, Tok::Alt(_, true))) {
        let mut spelled = Vec::with_capacity(count);
        spell(toks, Some(true), &mut spelled);
        spelled.iter().try_for_each(|t| each(t))
    } else {
        // Nothing to spell out first (most alternations stay in a segment),
        // and the parse checked the segments: not again (the check then
        // runs, and V8 compiles it, only for a glob that may drop a
        // segment; issue 12, cold start).
        spelled(flat, pool, out)
    };
    if done.is_none() {
        out.truncate(start);
        return false;
    }
    out.dedup();
    true
}

/// The pieces of normalized tokens whose alternations stay within one
/// segment; `None` when one has no simple shape.
fn spelled(toks: &[Tok], pool: &mut Vec<String>, out: &mut Vec<Piece>) -> Option<()> {
    // One pass: is every alternation's branch one literal text
    // (`{src,lib}`, `*.{js,ts}`: most alternations), and does one share
    // its segment with a `**` (an alternation opens its segment: `{,}**`
    // is `*`, not a globstar; no shape then, as in `segmented`)?
    let (mut alt, mut stars, mut stuck, mut one_word) = (false, false, false, true);
    for t in toks {
        match t {
            Tok::Sep => (alt, stars) = (false, false),
            Tok::Alt(bs, _) => {
                alt = true;
                one_word &= bs.iter().all(|b| matches!(b[..], [Tok::Text(_)]));
            }
            Tok::Stars => stars = true,
            _ => {}
        }
        stuck |= alt && stars;
    }
    match (one_word, stuck) {
        (false, _) => segmented(toks, pool, out),
        (true, true) => None,
        (true, false) => words(toks, pool, out),
    }
}

/// [`spelled`], segment by segment: each segment's alternatives spelled
/// out, then their [`product`]. Out of line: most alternations are single
/// words ([`words`]), so a build of them never compiles this (V8 compiles
/// a WASM function whole on its first call; issue 12, cold start).
#[cold]
#[inline(never)]
fn segmented(toks: &[Tok], pool: &mut Vec<String>, out: &mut Vec<Piece>) -> Option<()> {
    // Each segment's alternatives, one segment after the other: segment
    // `k`'s end at `ends[k]` (two lists, not one per segment).
    let mut flat: Vec<Cow<[Tok]>> = Vec::with_capacity(4);
    let mut ends = Vec::with_capacity(4);
    for seg in toks.split(|t| matches!(t, Tok::Sep)) {
        // An alternation opens its segment (`{,}**` is `*`, not a
        // globstar): the automaton reads such a `**` as the walk does.
        let alt = seg.iter().any(|t| matches!(t, Tok::Alt(..)));
        if alt && seg.iter().any(|t| matches!(t, Tok::Stars)) {
            return None;
        }
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

/// [`spelled`] of tokens whose every alternation is of single words (no
/// `**` beside one): no branch empties its segment, and each combination
/// is the tokens themselves with a word picked per alternation, which
/// [`shape`] reads in place (no list per segment alternative, no tokens
/// copied: half the instructions of spelling out `{src,lib}/*.{js,ts}`;
/// issue 12, cold start). The same pieces in the same order as
/// [`segmented`].
fn words(toks: &[Tok], pool: &mut Vec<String>, out: &mut Vec<Piece>) -> Option<()> {
    // Each alternation's word, by index: an odometer, the last one turning
    // fastest (as `spell` and `product` order them).
    let mut pick = vec![0u32; toks.len()];
    let pick = &mut pick[..];
    loop {
        out.push(shape(toks, pick, pool)?);
        let mut i = toks.len();
        loop {
            if i == 0 {
                return Some(());
            }
            i -= 1;
            let Tok::Alt(bs, _) = &toks[i] else {
                continue;
            };
            pick[i] += 1;
            if (pick[i] as usize) < bs.len() {
                break;
            }
            pick[i] = 0;
        }
    }
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
    // One combination's tokens, segments joined by separators (room for
    // the longest at once).
    let most = flat.iter().map(|f| f.len()).sum::<usize>() + ends.len();
    let mut toks: Vec<Tok> = Vec::with_capacity(most);
    loop {
        toks.clear();
        for (k, &i) in pick.iter().enumerate() {
            if k > 0 {
                toks.push(Tok::Sep);
            }
            toks.extend_from_slice(&flat[i]);
        }
        out.push(shape(&toks, &[], pool)?);
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

/// Literal tokens `from..to` (texts, separators, and alternations with
/// their word of `pick`, see [`words`]) as one text, a separator as `/`,
/// in a string of `pool`. Bytes, checked once as a whole (a `str` of each
/// token was a UTF-8 check each; issue 12, cold start).
fn text(toks: &[Tok], pick: &[u32], from: usize, to: usize, pool: &mut Vec<String>) -> String {
    // Emptied by `Scratch::recycle`.
    let mut out = pool.pop().unwrap_or_default().into_bytes();
    let mut i = from;
    while let Some(t) = toks.get(i).filter(|_| i < to) {
        i += 1;
        match t {
            Tok::Text(s) => out.extend_from_slice(s.as_bytes()),
            // A one-word alternation's picked word (see `words`).
            Tok::Alt(bs, _) => {
                let word = pick.get(i - 1).and_then(|&k| bs.get(k as usize)?.first());
                if let Some(Tok::Text(s)) = word {
                    out.extend_from_slice(s.as_bytes());
                }
            }
            // (Not `push`: one more function for V8 to compile.)
            _ => out.extend_from_slice(b"/"),
        }
    }
    // The texts' bytes are UTF-8, and so is their join.
    // A match, not `unwrap_or_default`: no generic function for it in the
    // .wasm (issue 12: size).
    #[allow(clippy::manual_unwrap_or_default)]
    match String::from_utf8(out) {
        Ok(s) => s,
        Err(_) => String::new(),
    }
}

/// The simple shape of normalized tokens (see `segments`), if they have
/// one (its strings from `pool`). One pass finds the wildcards (a simple
/// shape has at most two: a `**` segment and a leading `*`) and the last
/// two separators; strings are taken only for a shape found (issue 12,
/// cold start: a list of segments, and a scan per candidate shape).
/// `pick`: each alternation's word (see [`words`]; empty when there is
/// none).
pub(super) fn shape(toks: &[Tok], pick: &[u32], pool: &mut Vec<String>) -> Option<Piece> {
    let (mut wild, mut n) = ([0usize; 2], 0);
    let (mut last, mut prev) = (None, None);
    let mut i = 0;
    while let Some(t) = toks.get(i) {
        match t {
            // An alternation here is one of words, one picked (see
            // `words`): literal text.
            Tok::Text(_) | Tok::Alt(..) => {}
            Tok::Sep => (prev, last) = (last, Some(i)),
            _ if n == wild.len() => return None,
            _ => {
                wild[n] = i;
                n += 1;
            }
        }
        i += 1;
    }
    piece(toks, pick, pool, (&wild[..n], last, prev))
}

/// [`shape`]'s piece, from where its scan found the wildcards and the last
/// two separators. Out of line: V8's optimizing tier compiled `shape`, a
/// loop called per glob, on every cold start; the loop alone is small.
#[inline(never)]
fn piece(
    toks: &[Tok],
    pick: &[u32],
    pool: &mut Vec<String>,
    (wild, last, prev): (&[usize], Option<usize>, Option<usize>),
) -> Option<Piece> {
    let n = wild.len();
    if n == 0 {
        return Some(Piece::Exact(text(toks, pick, 0, toks.len(), pool)));
    }
    // The last segment from `start`; `dir` the segments before it.
    let start = last.map_or(0, |s| s + 1);
    let (end, dir) = (toks.len(), last.unwrap_or(0));
    match (n, toks.get(start)?) {
        // `dir/**`
        (1, Tok::Stars) if toks.len() == start + 1 => {
            Some(Piece::Under(text(toks, pick, 0, dir, pool)))
        }
        // `dir/*suffix`
        (1, Tok::Star) if wild[0] == start => Some(Piece::Child {
            dir: text(toks, pick, 0, dir, pool),
            suffix: text(toks, pick, start + 1, end, pool),
        }),
        // `dir/**/*suffix`: the `**` a whole segment just before the last.
        (2, Tok::Star) if wild[1] == start => {
            let stars = prev.map_or(0, |p| p + 1);
            let whole = wild[0] == stars && last == Some(stars + 1);
            (whole && matches!(toks[stars], Tok::Stars)).then(|| Piece::Within {
                dir: text(toks, pick, 0, prev.unwrap_or(0), pool),
                suffix: text(toks, pick, start + 1, end, pool),
            })
        }
        // `**/name`
        (1, _) if matches!(toks[0], Tok::Stars) && last == Some(1) => {
            Some(Piece::Basename(text(toks, pick, 2, end, pool)))
        }
        _ => None,
    }
}

#[cfg(test)]
mod tests {
    use super::Piece;
    use crate::glob::parse;
    use crate::limits::Limits;

    /// The shapes the indexes take, read off the normalized tokens; every
    /// other glob goes to the automaton.
    #[test]
    fn simple_shapes() {
        let s = |x: &str| x.to_string();
        let exact = |x: &str| Piece::Exact(s(x));
        let under = |x: &str| Piece::Under(s(x));
        let child = |d: &str, x: &str| Piece::Child {
            dir: s(d),
            suffix: s(x),
        };
        let within = |d: &str, x: &str| Piece::Within {
            dir: s(d),
            suffix: s(x),
        };
        let cases: Vec<(&str, Vec<Piece>)> = vec![
            ("a/b.txt", vec![exact("a/b.txt")]),
            ("./a/./b/", vec![exact("a/b")]),
            ("**", vec![under("")]),
            ("dir/**", vec![under("dir")]),
            ("a//b/**/**", vec![under("a/b")]),
            ("*.md", vec![child("", ".md")]),
            ("/src//*.rs", vec![child("src", ".rs")]),
            ("src/*", vec![child("src", "")]),
            ("**/*.md", vec![within("", ".md")]),
            ("a/b/**/*.md", vec![within("a/b", ".md")]),
            ("a/**/**/*.md", vec![within("a", ".md")]),
            ("**/name", vec![Piece::Basename(s("name"))]),
            (
                "{src,lib}/*.{js,ts}",
                vec![
                    child("src", ".js"),
                    child("src", ".ts"),
                    child("lib", ".js"),
                    child("lib", ".ts"),
                ],
            ),
            ("x/{a,b/c}", vec![exact("x/a"), exact("x/b/c")]),
            (
                "{a,b{c,d}}/*{.js,}",
                vec![
                    child("a", ".js"),
                    child("a", ""),
                    child("bc", ".js"),
                    child("bc", ""),
                    child("bd", ".js"),
                    child("bd", ""),
                ],
            ),
            ("{a,a}/x{,}", vec![exact("a/x")]),
            ("a/{,}", vec![]),
        ];
        for (glob, want) in cases {
            assert_eq!(
                parse(glob, &Limits::DEFAULT).unwrap().pieces,
                want,
                "{glob}"
            );
        }
        // Alternations of words are spelled out (in place) as segment by
        // segment spells them.
        for glob in [
            "{src,lib}/c1/*.{js,ts}",
            "rules/t3/**/*.{json,yaml}",
            "{a,a}/x{y,y}",
            "{a,b}/{c,d}/{e,f}",
            "x{a,b}y/*{.c,.h}",
            "**/{a,b}",
            "{a,b}/**",
            "{a,b}*/x",
            "*{a,b}",
            "x/{a,b}**",
            "{.,..}/x",
            "{a,b}/*/x",
        ] {
            let mut bufs = crate::glob::scratch::Bufs::default();
            let toks = crate::glob::parse::Parser::new(glob, &mut bufs)
                .seq(0)
                .unwrap();
            let (mut a, mut b) = (Vec::new(), Vec::new());
            let wa = super::spelled(&toks, &mut Vec::new(), &mut a);
            let wb = super::segmented(&toks, &mut Vec::new(), &mut b);
            assert_eq!((wa.is_some(), &a), (wb.is_some(), &b), "{glob}");
        }
        for glob in [
            "a/*/b",
            "*/x",
            "**/*.[ch]",
            "a**b",
            "**b",
            "a/**/b/*.js",
            "**/a/b",
            "*.j?",
            "**/**b",
            "*/**",
            "**/x/**",
            "a/*/*.js",
        ] {
            let pieces = parse(glob, &Limits::DEFAULT).unwrap().pieces;
            assert!(matches!(pieces[..], [Piece::Glob(_)]), "{glob}: {pieces:?}");
        }
    }
}
