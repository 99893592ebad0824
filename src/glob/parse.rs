//! The tokenizer and parser of the dialect, and the canonical form.

use super::error::{GlobError, GlobErrorKind};
use super::shape::{classify, shape, Pattern, Piece};
use super::token::Tok;
use super::walk::{walk, Check};
use crate::limits::Limits;

pub(super) struct Parser<'a> {
    pub(super) src: &'a str,

    pub(super) i: usize,
}

impl<'a> Parser<'a> {
    fn err(&self, kind: GlobErrorKind, pos: usize) -> GlobError {
        GlobError::new(kind, self.src, Some(pos))
    }

    /// The character at byte `i` (always a character boundary).
    fn at(&self, i: usize) -> Option<char> {
        match *self.src.as_bytes().get(i)? {
            b if b.is_ascii() => Some(char::from(b)),
            _ => self.src.get(i..)?.chars().next(),
        }
    }

    /// The character `k` (0 or 1) characters after the current one.
    fn peek(&self, k: usize) -> Option<char> {
        let c = self.at(self.i)?;
        if k == 0 {
            Some(c)
        } else {
            self.at(self.i + c.len_utf8())
        }
    }

    /// Parses tokens until the end, or (inside braces) until `,` or `}`.
    pub(super) fn seq(&mut self, depth: usize) -> Result<Vec<Tok>, GlobError> {
        // At the top, about one token per character.
        let mut out = Vec::with_capacity(if depth == 0 { self.src.len() } else { 0 });
        while let Some(c) = self.at(self.i) {
            let pos = self.i;
            match c {
                ',' | '}' if depth > 0 => return Ok(out),
                '}' => return Err(self.err(GlobErrorKind::UnopenedAlternation, pos)),
                '\0' => return Err(self.err(GlobErrorKind::Nul, pos)),
                '\\' => {
                    let Some(next) = self.peek(1) else {
                        return Err(self.err(GlobErrorKind::DanglingEscape, pos));
                    };
                    // An escaped `/` is still a separator (paths hold no
                    // other kind of slash) and an escaped NUL is still a NUL
                    // (found by fuzzing: neither had a canonical form).
                    match next {
                        '/' => out.push(Tok::Sep),
                        '\0' => return Err(self.err(GlobErrorKind::Nul, pos + 1)),
                        c => out.push(Tok::Lit(c)),
                    }
                    self.i += 1 + next.len_utf8();
                }
                '*' | '?' | '@' | '+' | '!' if self.peek(1) == Some('(') => {
                    return Err(self.err(GlobErrorKind::Extglob, pos));
                }
                '*' => {
                    let mut n = 0;
                    while self.peek(0) == Some('*') {
                        n += 1;
                        self.i += 1;
                    }
                    if self.peek(0) == Some('(') {
                        return Err(self.err(GlobErrorKind::Extglob, pos));
                    }
                    if n >= 3 {
                        return Err(self.err(GlobErrorKind::StarRun, pos));
                    }
                    out.push(if n >= 2 { Tok::Stars } else { Tok::Star });
                }
                '?' => {
                    out.push(Tok::Any);
                    self.i += 1;
                }
                '[' => out.push(self.class()?),
                '{' => out.extend(self.alternation(depth)?),
                '/' => {
                    out.push(Tok::Sep);
                    self.i += 1;
                }
                c => {
                    out.push(Tok::Lit(c));
                    self.i += c.len_utf8();
                }
            }
        }
        Ok(out)
    }

    /// `{a,b}`: at `{`. A group without a top-level comma is literal text.
    fn alternation(&mut self, depth: usize) -> Result<Vec<Tok>, GlobError> {
        let open = self.i;
        self.i += 1;
        let mut branches = vec![self.seq(depth + 1)?];
        loop {
            match self.peek(0) {
                Some(',') => {
                    self.i += 1;
                    branches.push(self.seq(depth + 1)?);
                }
                Some('}') => {
                    self.i += 1;
                    break;
                }
                _ => return Err(self.err(GlobErrorKind::UnclosedAlternation, open)),
            }
        }
        if branches.len() > 1 {
            // Whether a branch can change the segments (`/`, a `**`), found
            // here once for every level of nesting.
            let structural = branches
                .iter()
                .flatten()
                .any(|t| matches!(t, Tok::Sep | Tok::Stars | Tok::Alt(_, true)));
            return Ok(vec![Tok::Alt(branches, structural)]);
        }
        // `{x}`: literal braces around x, as in bash and picomatch; but
        // `{1..3}` is a range, which we refuse rather than misread.
        // Both braces are one byte.
        let inner = &self.src[open + 1..self.i - 1];
        if is_brace_range(inner) {
            return Err(self.err(GlobErrorKind::Range, open));
        }
        let mut toks = vec![Tok::Lit('{')];
        toks.extend(branches.pop().unwrap_or_default());
        toks.push(Tok::Lit('}'));
        Ok(toks)
    }

    /// `[...]`: at `[`.
    fn class(&mut self) -> Result<Tok, GlobError> {
        let open = self.i;
        self.i += 1;
        let negated = matches!(self.peek(0), Some('!' | '^'));
        if negated {
            self.i += 1;
        }
        // `None` follows an escaped `-`: it is a member, never a range marker.
        // (Not a sentinel character: found by fuzzing, `[\u{1}]` was empty.)
        let mut members: Vec<(usize, Option<char>)> = Vec::new();
        let mut first = true;
        loop {
            let Some(c) = self.at(self.i) else {
                return Err(self.err(GlobErrorKind::UnclosedClass, open));
            };
            let pos = self.i;
            self.i += c.len_utf8();
            match c {
                ']' if !first => break,
                '[' if self.peek(0) == Some(':') => {
                    return Err(self.err(GlobErrorKind::PosixClass, pos));
                }
                '\\' => {
                    let Some(e) = self.at(self.i) else {
                        return Err(self.err(GlobErrorKind::UnclosedClass, open));
                    };
                    let p2 = self.i;
                    self.i += e.len_utf8();
                    members.push((p2, Some(e)));
                    if e == '-' {
                        members.push((p2, None));
                    }
                }
                c => members.push((pos, Some(c))),
            }
            first = false;
        }
        // Build ranges: `a-z`; a `-` first or last is literal.
        let mut ranges: Vec<(char, char)> = Vec::new();
        let mut k = 0;
        while k < members.len() {
            let (pos, Some(c)) = members[k] else {
                k += 1;
                continue;
            };
            if c == '/' {
                return Err(self.err(GlobErrorKind::SlashInClass, pos));
            }
            if !c.is_ascii() {
                return Err(self.err(GlobErrorKind::NonAsciiClass, pos));
            }
            let range_to = match members.get(k + 1) {
                Some((_, Some('-'))) => members.get(k + 2).and_then(|&(p, c)| Some((p, c?))),
                _ => None,
            };
            if let Some((p_hi, hi)) = range_to {
                if !hi.is_ascii() {
                    return Err(self.err(GlobErrorKind::NonAsciiClass, p_hi));
                }
                if hi < c {
                    return Err(self.err(GlobErrorKind::InvalidRange, pos));
                }
                ranges.push((c, hi));
                k += 3;
            } else {
                ranges.push((c, c));
                k += 1;
            }
        }
        // A class never matches `/`: ranges spanning it lose it.
        let mut set = 0u128;
        for (lo, hi) in ranges {
            for c in lo as u32..=hi as u32 {
                set |= 1u128 << c;
            }
        }
        set &= !(1u128 << b'/');
        // Non-empty: `]` first is a member, and a lone `/` is an error above.
        Ok(Tok::Class { negated, set })
    }
}

/// `1..3`, `a..z`, `01..10..2`: a bash brace range.
fn is_brace_range(inner: &str) -> bool {
    let parts: Vec<&str> = inner.split("..").collect();
    (parts.len() == 2 || parts.len() == 3)
        && parts.iter().all(|p| {
            let p = p.strip_prefix('-').unwrap_or(p);
            !p.is_empty() && p.chars().all(|c| c.is_ascii_alphanumeric())
        })
}

/// Parses a pattern of the dialect, without compiling it.
pub fn parse(pattern: &str, limits: &Limits) -> Result<Pattern, GlobError> {
    if pattern.len() > limits.max_glob_bytes {
        return Err(GlobError::new(
            GlobErrorKind::TooLong {
                limit: limits.max_glob_bytes,
            },
            pattern,
            None,
        ));
    }
    if pattern.starts_with('!') && !pattern.starts_with("!(") {
        return Err(GlobError::new(GlobErrorKind::Negation, pattern, Some(0)));
    }
    let mut p = Parser { src: pattern, i: 0 };
    let toks = p.seq(0)?;

    let canonical_segments = segments(&toks, pattern)?;
    let mut canonical = String::with_capacity(pattern.len() + 8);
    for (i, seg) in canonical_segments.iter().enumerate() {
        if i > 0 {
            canonical.push('/');
        }
        emit_canonical(seg, &mut canonical);
    }
    // Most patterns have no alternation: their segments are final.
    let piece = if !toks.iter().any(|t| matches!(t, Tok::Alt(..))) {
        shape(&canonical_segments).map(|p| vec![p])
    } else {
        // A `..` segment one alternative spells out is refused, as a
        // written one is.
        // (It takes two dots to spell one out.)
        if pattern.bytes().filter(|&b| b == b'.').nth(1).is_some() {
            walk(&toks, &mut Check)
                .map_err(|_| GlobError::new(GlobErrorKind::ParentSegment, pattern, None))?;
        }
        // Errors other than `..` were found in the whole pattern above; an
        // alternative that empties it matches nothing.
        classify(&toks, pattern.len(), |t| segments(t, pattern).ok())
    };
    Ok(Pattern {
        source: pattern.to_string(),
        canonical,
        pieces: piece.unwrap_or_else(|| vec![Piece::Glob(toks)]),
    })
}

/// Splits tokens into segments at top-level separators, normalized as paths
/// are: empty and `.` segments dropped, repeated `**` segments merged.
pub(super) fn segments<'t>(toks: &'t [Tok], pattern: &str) -> Result<Vec<&'t [Tok]>, GlobError> {
    let mut out: Vec<&[Tok]> = Vec::new();
    for seg in toks.split(|t| *t == Tok::Sep) {
        match seg {
            [] | [Tok::Lit('.')] => {}
            [Tok::Lit('.'), Tok::Lit('.')] => {
                return Err(GlobError::new(GlobErrorKind::ParentSegment, pattern, None))
            }
            [Tok::Stars] if out.last() == Some(&&[Tok::Stars][..]) => {}
            _ => out.push(seg),
        }
    }
    if out.is_empty() {
        return Err(GlobError::new(GlobErrorKind::Empty, pattern, None));
    }
    Ok(out)
}

fn emit_canonical(toks: &[Tok], out: &mut String) {
    for t in toks {
        match t {
            Tok::Lit(c) => {
                let escape = match c {
                    '*' | '?' | '[' | ']' | '{' | '}' | ',' | '\\' => true,
                    '!' => out.is_empty(),
                    // A `(` after `*?@+!` would read as an extglob (found by
                    // fuzzing: the canonical form of `\!(` was `!(`).
                    '(' => out.ends_with(['*', '?', '@', '+', '!']),
                    _ => false,
                };
                if escape {
                    out.push('\\');
                }
                out.push(*c);
            }
            Tok::Star => out.push('*'),
            Tok::Stars => out.push_str("**"),
            Tok::Any => out.push('?'),
            Tok::Sep => out.push('/'),
            Tok::Class { negated, set } => {
                out.push('[');
                if *negated {
                    out.push('!');
                }
                for (lo, hi) in runs(*set) {
                    for (k, c) in [lo, hi].into_iter().enumerate() {
                        if k == 1 && lo == hi {
                            break;
                        }
                        if k == 1 {
                            out.push('-');
                        }
                        if "]\\-!^".contains(c) {
                            out.push('\\');
                        }
                        out.push(c);
                    }
                }
                out.push(']');
            }
            Tok::Alt(branches, _) => {
                out.push('{');
                for (i, b) in branches.iter().enumerate() {
                    if i > 0 {
                        out.push(',');
                    }
                    emit_canonical(b, out);
                }
                out.push('}');
            }
        }
    }
}

/// Maximal runs of consecutive members of an ASCII set.
pub(super) fn runs(set: u128) -> Vec<(char, char)> {
    let mut out = Vec::new();
    let mut c = 0u32;
    while c < 128 {
        if set & (1u128 << c) == 0 {
            c += 1;
            continue;
        }
        let lo = c;
        while c + 1 < 128 && set & (1u128 << (c + 1)) != 0 {
            c += 1;
        }
        out.push((char::from(lo as u8), char::from(c as u8)));
        c += 1;
    }
    out
}
