//! globset's syntax for a parsed pattern: the reference the tests compare
//! the matcher with (tests only).

use super::canonical::{push_marks, runs};
use super::error::{GlobError, GlobErrorKind};
use super::parse::Parser;
use super::scratch::Bufs;
use super::segments::normalized;
use super::shape::Pattern;
use super::token::Tok;

/// The most globs the reference spells one pattern out into.
const MAX_EXPANSIONS: usize = 64;

fn structural(toks: &[Tok]) -> bool {
    // A branch of `.` or `..` alone is spelled out too (README: a whole
    // segment of it is a `.` segment, dropped, or a `..` one, refused).
    if let [Tok::Text(t)] = toks {
        if matches!(t.as_bytes(), b"." | b"..") {
            return true;
        }
    }
    toks.iter().any(|t| match t {
        Tok::Sep | Tok::Stars => true,
        Tok::Alt(bs, _) => bs.iter().any(|b| structural(b)),
        _ => false,
    })
}

/// Spells out the alternations whose branches hold `/` or `**` (globset
/// reads those differently inside braces) or are `.` or `..`; the others
/// stay for globset.
fn expand(toks: Vec<Tok>, out: &mut Vec<Vec<Tok>>, pattern: &str) -> Result<(), GlobError> {
    let at = toks
        .iter()
        .position(|t| matches!(t, Tok::Alt(bs, _) if bs.iter().any(|b| structural(b))));
    let Some(at) = at else {
        if out.len() >= MAX_EXPANSIONS {
            return Err(GlobError::new(
                GlobErrorKind::TooLong { limit: 0 },
                pattern,
                None,
            ));
        }
        out.push(toks);
        return Ok(());
    };
    let Tok::Alt(branches, _) = &toks[at] else {
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

/// Segments in globset's syntax.
pub(super) fn emit_segments(segments: &[&[Tok]]) -> String {
    let mut globset = String::new();
    let last = segments.len() - 1;
    for (i, seg) in segments.iter().enumerate() {
        let globstar = matches!(seg, [Tok::Stars]);
        if globstar && i == last && i > 0 {
            // `dir/**` also matches `dir` itself.
            globset.push_str("{,/**}");
            continue;
        }
        if i > 0 {
            globset.push('/');
        }
        if globstar {
            globset.push_str("**");
        } else {
            emit_globset(seg, &mut globset);
        }
    }
    globset
}

/// Writes tokens in globset's syntax (which has no escapes inside classes,
/// so class members are ordered where globset reads them literally).
fn emit_globset(toks: &[Tok], out: &mut String) {
    for t in toks {
        match t {
            Tok::Text(s) => {
                for c in s.chars() {
                    if crate::substr::one_of(c, "*?[]{},\\") {
                        out.push('\\');
                    }
                    out.push(c);
                }
            }
            Tok::Star => out.push('*'),
            // `**` inside a segment is `*`; inside braces globset decides.
            Tok::Stars => out.push('*'),
            Tok::Any(n) => push_marks(*n, out),
            Tok::Sep => out.push('/'),
            Tok::Class { negated, set } => emit_class(*negated, set.get(), out),
            Tok::Alt(branches, _) => {
                out.push('{');
                for (i, b) in branches.iter().enumerate() {
                    if i > 0 {
                        out.push(',');
                    }
                    emit_globset(b, out);
                }
                out.push('}');
            }
        }
    }
}

fn emit_class(negated: bool, set: u128, out: &mut String) {
    // globset has no escapes inside classes, so the characters it reads
    // specially go where they are literal: `]` first, `-` last, `!` and `^`
    // never first.
    const SPECIAL: [char; 4] = [']', '-', '!', '^'];
    let has = |c: char| set & (1u128 << c as u32) != 0;
    let mut plain = set;
    for c in SPECIAL {
        plain &= !(1u128 << c as u32);
    }
    if negated {
        // A class never matches `/`.
        plain |= 1u128 << b'/';
    }
    if !negated && set.count_ones() == 1 {
        let c = char::from(set.trailing_zeros() as u8);
        out.push('\\');
        out.push(c);
        return;
    }
    out.push('[');
    if negated {
        out.push('!');
    }
    let mut body = String::new();
    if has(']') {
        body.push(']');
    }
    for (lo, hi) in runs(plain) {
        body.push(lo);
        if hi != lo {
            if hi as u32 > lo as u32 + 1 {
                body.push('-');
            }
            body.push(hi);
        }
    }
    let lead_dash = body.is_empty() && has('-');
    if lead_dash {
        body.push('-');
    }
    for s in ['!', '^'] {
        if has(s) {
            body.push(s);
        }
    }
    if has('-') && !lead_dash {
        body.push('-');
    }
    if !negated && body.starts_with(['!', '^']) {
        // Only `!` and `^`: spelled as an alternation of literals.
        out.truncate(out.len() - 1);
        out.push_str("{\\!,\\^}");
        return;
    }
    out.push_str(&body);
    out.push(']');
}

impl Pattern {
    /// The pattern in globset's syntax (several globs when an alternation
    /// holds `/` or `**`): the reference the tests compare the matcher with.
    pub fn globset_syntax(&self) -> Vec<String> {
        // Recomputed from the source (it parsed once, so it parses again).
        let mut bufs = Bufs::default();
        let mut p = Parser::new(&self.source, &mut bufs);
        let mut expanded = Vec::new();
        let toks = match p.seq(0) {
            Ok(t) => t,
            Err(_) => return Vec::new(),
        };
        if expand(toks, &mut expanded, &self.source).is_err() {
            return Vec::new();
        }
        expanded
            .iter()
            .filter_map(|t| {
                let mut buf = Vec::new();
                let (flat, _) = normalized(t, &self.source, &mut buf).ok()?;
                let segs: Vec<&[Tok]> = flat.split(|t| matches!(t, Tok::Sep)).collect();
                Some(emit_segments(&segs))
            })
            .collect()
    }

    /// The globset `Glob`s of this pattern (tests only: the reference).
    #[cfg(test)]
    pub fn to_globs(&self, case_insensitive: bool) -> Vec<globset::Glob> {
        self.globset_syntax()
            .iter()
            .map(|g| {
                globset::GlobBuilder::new(g)
                    .literal_separator(true)
                    .backslash_escape(true)
                    .empty_alternates(true)
                    .case_insensitive(case_insensitive)
                    .build()
                    .expect("the translation is valid globset syntax")
            })
            .collect()
    }

    /// True when the pattern has no wildcard: it names one path.
    pub fn is_literal(&self) -> bool {
        !self.canonical.contains(['*', '?', '[', '{', '\\'])
    }
}
