//! The glob dialect of file permissions (SPEC §2): globset's semantics
//! (with `literal_separator`), parsed here and matched by [`crate::patterns`].
//!
//! | syntax | matches |
//! |---|---|
//! | `*` | any run of characters within one segment (never `/`), dotfiles included |
//! | `?` | one byte within a segment (never `/`) |
//! | `[abc]`, `[a-z]`, `[!a]`, `[^a]` | one ASCII character of (or not of) the class, never `/` |
//! | `**` as a whole segment | any number of segments, zero included: `a/**/b` matches `a/b` |
//! | `dir/**` | `dir` itself and everything below it |
//! | `**` inside a segment | the same as `*` |
//! | `{a,b}`, `x{,.bak}` | alternation, nested allowed, empty alternatives allowed |
//! | `{x}` (no comma) | the literal text `{x}` |
//! | `\c` | the character `c` literally |
//!
//! Patterns and paths are project-relative: a leading `/` or `./` is
//! dropped, `//` collapsed, `.` segments and a trailing `/` removed. A path
//! with a `..` segment or a NUL, or an empty one, is rejected.
//!
//! Rejected with a named [`GlobErrorKind`], never read as a literal: a
//! leading `!`, extglobs `@( !( +( *( ?(`, ranges `{1..3}`, POSIX classes
//! `[[:alpha:]]`.

use std::borrow::Cow;
use std::fmt;

use crate::limits::Limits;

/// What is wrong with a pattern.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum GlobErrorKind {
    Empty,
    TooLong {
        limit: usize,
    },
    Negation,
    Extglob,
    Range,
    PosixClass,
    UnclosedClass,
    SlashInClass,
    NonAsciiClass,
    InvalidRange,
    UnclosedAlternation,
    UnopenedAlternation,
    DanglingEscape,
    ParentSegment,
    Nul,
    TooManyAlternatives,
    /// globset refused the translated pattern (should not happen).
    Internal,
}

impl GlobErrorKind {
    /// The stable machine code, `glob.*`.
    pub fn code(self) -> &'static str {
        use GlobErrorKind::*;
        match self {
            Empty => "glob.empty",
            TooLong { .. } => "glob.too_long",
            Negation => "glob.negation",
            Extglob => "glob.extglob",
            Range => "glob.range",
            PosixClass => "glob.posix_class",
            UnclosedClass => "glob.unclosed_class",
            SlashInClass => "glob.slash_in_class",
            NonAsciiClass => "glob.non_ascii_class",
            InvalidRange => "glob.invalid_range",
            UnclosedAlternation => "glob.unclosed_alternation",
            UnopenedAlternation => "glob.unopened_alternation",
            DanglingEscape => "glob.dangling_escape",
            ParentSegment => "glob.parent_segment",
            Nul => "glob.nul",
            TooManyAlternatives => "glob.too_many_alternatives",
            Internal => "glob.internal",
        }
    }

    fn describe(self) -> Cow<'static, str> {
        use GlobErrorKind::*;
        Cow::Borrowed(match self {
            Empty => "the pattern is empty (it would match nothing)",
            TooLong { limit } => {
                return Cow::Owned(format!(
                    "the pattern is longer than the limit max_glob_bytes ({limit} bytes)"
                ))
            }
            Negation => "a leading `!` (negation) is not supported: write a deny rule instead",
            Extglob => "extglobs `@(…) !(…) +(…) *(…) ?(…)` are not supported: use `{a,b}`",
            Range => "brace ranges like `{1..3}` are not supported: list the values, `{1,2,3}`",
            PosixClass => "POSIX classes like `[[:alpha:]]` are not supported: use `[a-zA-Z]`",
            UnclosedClass => "unclosed character class: `[` without a matching `]`",
            SlashInClass => "a character class never matches `/`: remove it from the class",
            NonAsciiClass => "character classes hold ASCII characters only",
            InvalidRange => "invalid range in character class: its start is after its end",
            UnclosedAlternation => "unclosed alternation: `{` without a matching `}`",
            UnopenedAlternation => "unmatched `}`: write `\\}` for a literal brace",
            DanglingEscape => "the pattern ends with a lone `\\`",
            ParentSegment => "a `..` segment can never match (paths with `..` are rejected)",
            Nul => "the pattern contains a NUL character",
            TooManyAlternatives => "the alternations spell out too many alternatives (at most 64 holding `/` or `**`, 256 within one segment)",
            Internal => "the pattern could not be compiled",
        })
    }
}

/// A pattern the dialect rejects, with where the problem starts (a byte
/// offset into the pattern) when it is known.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct GlobError {
    pub kind: GlobErrorKind,
    pub pattern: String,
    pub position: Option<usize>,
}

impl GlobError {
    fn new(kind: GlobErrorKind, pattern: &str, position: Option<usize>) -> Self {
        GlobError {
            kind,
            pattern: pattern.to_string(),
            position,
        }
    }

    pub fn code(&self) -> &'static str {
        self.kind.code()
    }

    /// The message with the position counted from `offset` (where the
    /// pattern starts in a longer `patterns` string).
    pub fn message_at(&self, offset: usize) -> String {
        let mut msg = format!("invalid glob {:?}: {}", self.pattern, self.kind.describe());
        if let Some(p) = self.position {
            msg.push_str(&format!(" (at byte {})", offset + p));
        }
        msg
    }
}

impl fmt::Display for GlobError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.message_at(0))
    }
}

impl std::error::Error for GlobError {}

/// What is wrong with a path.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum PathErrorKind {
    Empty,
    TooLong { limit: usize },
    ParentSegment,
    Nul,
}

impl PathErrorKind {
    pub fn code(self) -> &'static str {
        match self {
            PathErrorKind::Empty => "path.empty",
            PathErrorKind::TooLong { .. } => "path.too_long",
            PathErrorKind::ParentSegment => "path.parent_segment",
            PathErrorKind::Nul => "path.nul",
        }
    }

    pub fn message(self) -> String {
        match self {
            PathErrorKind::Empty => "the path is empty".into(),
            PathErrorKind::TooLong { limit } => {
                format!("the path is longer than the limit max_path_bytes ({limit} bytes)")
            }
            PathErrorKind::ParentSegment => {
                "the path has a `..` segment; paths are project-relative".into()
            }
            PathErrorKind::Nul => "the path contains a NUL character".into(),
        }
    }
}

/// Normalizes a project-relative path: drops a leading `/` or `./`, `.`
/// segments and a trailing `/`, collapses `//`. Borrows when nothing changes.
pub fn normalize_path(path: &str, max_bytes: usize) -> Result<Cow<'_, str>, PathErrorKind> {
    if path.len() > max_bytes {
        return Err(PathErrorKind::TooLong { limit: max_bytes });
    }
    // One pass over the bytes: is every segment a plain name?
    let bytes = path.as_bytes();
    let mut clean = !bytes.is_empty();
    let mut start = 0;
    let mut check = |seg: &[u8]| -> Result<(), PathErrorKind> {
        match seg {
            b".." => return Err(PathErrorKind::ParentSegment),
            b"" | b"." => clean = false,
            _ => {}
        }
        Ok(())
    };
    for (i, &c) in bytes.iter().enumerate() {
        if c == b'/' {
            check(&bytes[start..i])?;
            start = i + 1;
        } else if c == 0 {
            return Err(PathErrorKind::Nul);
        }
    }
    check(&bytes[start..])?;
    if clean {
        return Ok(Cow::Borrowed(path));
    }
    let mut out = String::with_capacity(path.len());
    for seg in path.split('/').filter(|s| !s.is_empty() && *s != ".") {
        if !out.is_empty() {
            out.push('/');
        }
        out.push_str(seg);
    }
    if out.is_empty() {
        return Err(PathErrorKind::Empty);
    }
    Ok(Cow::Owned(out))
}

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
    /// One segment, matched by any of these atom sequences.
    Seg(Vec<Vec<Atom>>),
}

/// One step of a segment pattern. Matching is on bytes, as globset's is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Atom {
    Byte(u8),
    /// `?`: one byte.
    Any,
    /// `*`: any run of bytes.
    Star,
    /// `[...]`: one byte of (or, negated, not of) an ASCII set.
    Class {
        negated: bool,
        set: u128,
    },
}

#[derive(Debug, Clone, PartialEq, Eq)]
enum Tok {
    Lit(char),
    Star,
    /// `**` (or more stars); a globstar only when it is a whole segment.
    Stars,
    Any,
    /// ASCII members as bits; never includes `/`.
    Class {
        negated: bool,
        set: u128,
    },
    Alt(Vec<Vec<Tok>>),
    Sep,
}

struct Parser<'a> {
    src: &'a str,
    chars: Vec<(usize, char)>,
    i: usize,
}

impl<'a> Parser<'a> {
    fn err(&self, kind: GlobErrorKind, pos: usize) -> GlobError {
        GlobError::new(kind, self.src, Some(pos))
    }

    fn peek(&self, k: usize) -> Option<char> {
        self.chars.get(self.i + k).map(|&(_, c)| c)
    }

    /// Parses tokens until the end, or (inside braces) until `,` or `}`.
    fn seq(&mut self, depth: usize) -> Result<Vec<Tok>, GlobError> {
        let mut out = Vec::new();
        while let Some(&(pos, c)) = self.chars.get(self.i) {
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
                    self.i += 2;
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
                    self.i += 1;
                }
            }
        }
        Ok(out)
    }

    /// `{a,b}`: at `{`. A group without a top-level comma is literal text.
    fn alternation(&mut self, depth: usize) -> Result<Vec<Tok>, GlobError> {
        let open = self.chars[self.i].0;
        let start = self.i;
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
            return Ok(vec![Tok::Alt(branches)]);
        }
        // `{x}`: literal braces around x, as in bash and picomatch; but
        // `{1..3}` is a range, which we refuse rather than misread.
        let inner: String = self.chars[start + 1..self.i - 1]
            .iter()
            .map(|&(_, c)| c)
            .collect();
        if is_brace_range(&inner) {
            return Err(self.err(GlobErrorKind::Range, open));
        }
        let mut toks = vec![Tok::Lit('{')];
        toks.extend(branches.pop().unwrap_or_default());
        toks.push(Tok::Lit('}'));
        Ok(toks)
    }

    /// `[...]`: at `[`.
    fn class(&mut self) -> Result<Tok, GlobError> {
        let open = self.chars[self.i].0;
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
            let Some(&(pos, c)) = self.chars.get(self.i) else {
                return Err(self.err(GlobErrorKind::UnclosedClass, open));
            };
            self.i += 1;
            match c {
                ']' if !first => break,
                '[' if self.peek(0) == Some(':') => {
                    return Err(self.err(GlobErrorKind::PosixClass, pos));
                }
                '\\' => {
                    let Some(&(p2, e)) = self.chars.get(self.i) else {
                        return Err(self.err(GlobErrorKind::UnclosedClass, open));
                    };
                    self.i += 1;
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
    let mut p = Parser {
        src: pattern,
        chars: pattern.char_indices().collect(),
        i: 0,
    };
    let toks = p.seq(0)?;

    let canonical_segments = segments(&toks, pattern)?;
    let mut canonical = String::new();
    for (i, seg) in canonical_segments.iter().enumerate() {
        if i > 0 {
            canonical.push('/');
        }
        emit_canonical(seg, &mut canonical);
    }
    // Most patterns have no alternation: their segments are final.
    if !toks.iter().any(|t| matches!(t, Tok::Alt(_))) {
        let piece = shape(&canonical_segments).unwrap_or_else(|| {
            let alts: Vec<Vec<Vec<Tok>>> =
                canonical_segments.into_iter().map(|s| vec![s]).collect();
            Piece::Segments(compile(&alts))
        });
        return Ok(Pattern {
            source: pattern.to_string(),
            canonical,
            pieces: vec![piece],
        });
    }
    // Alternatives holding `/` or `**` change the segment structure: such
    // patterns are matched as several, one per alternative.
    let mut expanded = Vec::new();
    expand(toks, &mut expanded, pattern)?;
    let mut pieces = Vec::with_capacity(expanded.len());
    for toks in &expanded {
        let segs = match segments(toks, pattern) {
            Ok(s) => s,
            // An alternative that empties the pattern matches nothing.
            Err(e) if e.kind == GlobErrorKind::Empty => continue,
            Err(e) => return Err(e),
        };
        // Alternatives inside a segment, spelled out; an alternative that
        // empties a segment can never match (path segments are not empty),
        // as in globset.
        let mut alts = Vec::with_capacity(segs.len());
        for seg in &segs {
            let mut list = Vec::new();
            if !expand_every(seg.clone(), &mut list, MAX_SEGMENT_ALTERNATIVES) {
                return Err(GlobError::new(
                    GlobErrorKind::TooManyAlternatives,
                    pattern,
                    None,
                ));
            }
            list.retain(|l| !l.is_empty());
            list.dedup();
            alts.push(list);
        }
        if alts.iter().any(Vec::is_empty) {
            continue;
        }
        pieces.extend(classify(&alts).unwrap_or_else(|| vec![Piece::Segments(compile(&alts))]));
    }
    pieces.dedup();
    Ok(Pattern {
        source: pattern.to_string(),
        canonical,
        pieces,
    })
}

/// The most alternatives one segment may spell out to.
const MAX_SEGMENT_ALTERNATIVES: usize = 256;
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

/// Segments (each a list of alternatives) as matcher atoms.
fn compile(alts: &[Vec<Vec<Tok>>]) -> Vec<SegPat> {
    alts.iter()
        .map(|a| {
            if a.len() == 1 && a[0] == [Tok::Stars] {
                return SegPat::Globstar;
            }
            SegPat::Seg(
                a.iter()
                    .map(|toks| {
                        let mut atoms = Vec::new();
                        for t in toks {
                            match t {
                                Tok::Lit(c) => {
                                    let mut buf = [0u8; 4];
                                    atoms.extend(c.encode_utf8(&mut buf).bytes().map(Atom::Byte));
                                }
                                // `**` inside a segment is `*`.
                                Tok::Star | Tok::Stars => {
                                    if atoms.last() != Some(&Atom::Star) {
                                        atoms.push(Atom::Star);
                                    }
                                }
                                Tok::Any => atoms.push(Atom::Any),
                                Tok::Class { negated, set } => atoms.push(Atom::Class {
                                    negated: *negated,
                                    set: *set,
                                }),
                                // Expanded or split away before this point.
                                Tok::Alt(_) | Tok::Sep => {}
                            }
                        }
                        atoms
                    })
                    .collect(),
            )
        })
        .collect()
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
fn shape(segs: &[Vec<Tok>]) -> Option<Piece> {
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
fn expand(toks: Vec<Tok>, out: &mut Vec<Vec<Tok>>, pattern: &str) -> Result<(), GlobError> {
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

/// Splits tokens into segments at top-level separators, normalized as paths
/// are: empty and `.` segments dropped, repeated `**` segments merged.
fn segments(toks: &[Tok], pattern: &str) -> Result<Vec<Vec<Tok>>, GlobError> {
    let mut out: Vec<Vec<Tok>> = Vec::new();
    for seg in toks.split(|t| *t == Tok::Sep) {
        match seg {
            [] | [Tok::Lit('.')] => {}
            [Tok::Lit('.'), Tok::Lit('.')] => {
                return Err(GlobError::new(GlobErrorKind::ParentSegment, pattern, None))
            }
            [Tok::Stars] if out.last().is_some_and(|l| l.as_slice() == [Tok::Stars]) => {}
            _ => out.push(seg.to_vec()),
        }
    }
    if out.is_empty() {
        return Err(GlobError::new(GlobErrorKind::Empty, pattern, None));
    }
    Ok(out)
}

/// Segments in globset's syntax.
fn emit_segments(segments: &[Vec<Tok>]) -> String {
    let mut globset = String::new();
    let last = segments.len() - 1;
    for (i, seg) in segments.iter().enumerate() {
        let globstar = matches!(seg.as_slice(), [Tok::Stars]);
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

fn emit_canonical(toks: &[Tok], out: &mut String) {
    for t in toks {
        match t {
            Tok::Lit(c) => {
                // A `(` after `*?@+!` would read as an extglob (found by
                // fuzzing: the canonical form of `\!(` was `!(`).
                let extglob = *c == '(' && out.ends_with(['*', '?', '@', '+', '!']);
                if "*?[]{},\\".contains(*c) || (*c == '!' && out.is_empty()) || extglob {
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
            Tok::Alt(branches) => {
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

/// Writes tokens in globset's syntax (which has no escapes inside classes,
/// so class members are ordered where globset reads them literally).
fn emit_globset(toks: &[Tok], out: &mut String) {
    for t in toks {
        match t {
            Tok::Lit(c) => {
                if "*?[]{},\\".contains(*c) {
                    out.push('\\');
                }
                out.push(*c);
            }
            Tok::Star => out.push('*'),
            // `**` inside a segment is `*`; inside braces globset decides.
            Tok::Stars => out.push('*'),
            Tok::Any => out.push('?'),
            Tok::Sep => out.push('/'),
            Tok::Class { negated, set } => emit_class(*negated, *set, out),
            Tok::Alt(branches) => {
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

/// Maximal runs of consecutive members of an ASCII set.
fn runs(set: u128) -> Vec<(char, char)> {
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

impl Pattern {
    /// The pattern in globset's syntax (several globs when an alternation
    /// holds `/` or `**`): the reference the tests compare the matcher with.
    pub fn globset_syntax(&self) -> Vec<String> {
        // Recomputed from the source (it parsed once, so it parses again).
        let mut p = Parser {
            src: &self.source,
            chars: self.source.char_indices().collect(),
            i: 0,
        };
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
            .filter_map(|t| segments(t, &self.source).ok())
            .map(|segs| emit_segments(&segs))
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

/// Splits a `patterns` string into globs: at newlines, and at commas outside
/// `{}` and `[]`. Pieces are trimmed; empty ones are dropped. Returns each
/// glob with its byte offset in `s`.
pub fn split_patterns(s: &str) -> Vec<(usize, &str)> {
    let mut out = Vec::new();
    let (mut braces, mut in_class, mut escaped) = (0usize, false, false);
    let mut start = 0;
    let mut push = |from: usize, to: usize| {
        let piece = &s[from..to];
        let trimmed = piece.trim();
        if !trimmed.is_empty() {
            let lead = piece.len() - piece.trim_start().len();
            out.push((from + lead, trimmed));
        }
    };
    for (i, c) in s.char_indices() {
        if escaped {
            escaped = false;
            continue;
        }
        match c {
            '\\' => escaped = true,
            '\n' | '\r' => {
                push(start, i);
                start = i + 1;
                (braces, in_class) = (0, false);
            }
            '[' if !in_class => in_class = true,
            ']' if in_class => in_class = false,
            '{' if !in_class => braces += 1,
            '}' if !in_class => braces = braces.saturating_sub(1),
            ',' if braces == 0 && !in_class => {
                push(start, i);
                start = i + 1;
            }
            _ => {}
        }
    }
    push(start, s.len());
    out
}

/// Does `pattern` match `path`? (the dialect of this module; SPEC §6
/// `globMatch`). Errors name what is wrong with the pattern or the path.
pub fn glob_match(pattern: &str, path: &str) -> Result<bool, crate::GroupgateError> {
    let limits = Limits::DEFAULT;
    let pat = parse(pattern, &limits).map_err(|e| glob_error(&e, "/pattern"))?;
    let path = normalize_path(path, limits.max_path_bytes)
        .map_err(|k| crate::GroupgateError::one("/path", k.code(), k.message()))?;
    // Through the same pattern set as file rules, so that globMatch and the
    // conformance tests exercise the code that decides.
    let mut builder = crate::patterns::PatternSetBuilder::new(false);
    builder
        .add(&pat, 0)
        .map_err(|e| glob_error(&e, "/pattern"))?;
    let set = builder.build().map_err(|e| glob_error(&e, "/pattern"))?;
    let mut hit = false;
    set.matches(&path, |_| hit = true);
    Ok(hit)
}

/// A glob error as a [`crate::GroupgateError`] at `path`.
pub fn glob_error(e: &GlobError, path: &str) -> crate::GroupgateError {
    let issue = crate::Issue::new(path, e.code(), e.to_string()).at_byte(e.position);
    crate::GroupgateError::new(vec![issue])
}

#[cfg(test)]
mod tests {
    use super::*;

    fn m(p: &str, path: &str) -> bool {
        glob_match(p, path).unwrap_or_else(|e| panic!("{p}: {e}"))
    }

    #[test]
    fn matching_table() {
        // (pattern, path, matches)
        let cases: &[(&str, &str, bool)] = &[
            ("*.json", "a.json", true),
            ("*.json", "a/b.json", false),
            ("*", ".env", true),
            ("secrets/*", "secrets/.env", true),
            ("secrets/*", "secrets/a/b", false),
            ("a/**", "a", true),
            ("a/**", "a/b/c", true),
            ("a/**", "ab", false),
            ("a/**/b", "a/b", true),
            ("a/**/b", "a/x/y/b", true),
            ("**/b", "b", true),
            ("**/b", "x/y/b", true),
            ("**", "x/y/.z", true),
            ("src/*/**", "src/x", true),
            ("src/*/**", "src/x/y", true),
            ("?.md", "a.md", true),
            ("?.md", "/.md", false),
            ("a?b", "a/b", false),
            ("[ab].txt", "b.txt", true),
            ("[!a].txt", "b.txt", true),
            ("[^a].txt", "a.txt", false),
            ("a[!x]b", "a/b", false),
            ("a[+-0]b", "a/b", false),
            ("a[+-0]b", "a.b", true),
            ("[]]", "]", true),
            ("[!]]", "a", true),
            ("[a-]", "-", true),
            ("[-!]", "!", true),
            ("[!-^]", "a", true),
            ("[\\]]", "]", true),
            ("x{,.bak}", "x", true),
            ("x{,.bak}", "x.bak", true),
            ("*.{js,ts}", "a.ts", true),
            ("{a,b{c,d}}", "bd", true),
            ("{x}", "{x}", true),
            ("\\*", "*", true),
            ("\\*", "a", false),
            ("/src/*", "src/a", true),
            ("./src/*", "src/a", true),
            ("src//*", "src/a", true),
            ("src/*", "/src/a", true),
            ("src/*", "./src//a", true),
            ("a**b", "axyb", true),
            ("a**b", "a/b", false),
            ("Docs/*", "docs/a", false),
            ("a/./b", "a/b", true),
            ("dir/", "dir", true),
            // repeated globstars are one
            ("x/**/**", "x", true),
            ("a/**/**/b", "a/b", true),
            // `**` and `/` inside alternatives keep their meaning
            ("{a,**}/x", "q/r/x", true),
            ("x/{a,**}", "x/q/r", true),
            ("x/{a,**}/y", "x/p/q/y", true),
            ("secrets/{keys,**}", "secrets/a/b", true),
            ("{src/a,b}/c", "src/a/c", true),
            ("a/{b,c/**}", "a/c", true),
        ];
        for &(p, path, want) in cases {
            assert_eq!(m(p, path), want, "{p} vs {path}");
        }
    }

    #[test]
    fn rejected_features_have_named_errors() {
        let cases: &[(&str, &str, Option<usize>)] = &[
            ("!foo", "glob.negation", Some(0)),
            ("a/@(x|y)", "glob.extglob", Some(2)),
            ("!(x)", "glob.extglob", Some(0)),
            ("+(x)", "glob.extglob", Some(0)),
            ("a*(x)", "glob.extglob", Some(1)),
            ("?(x)", "glob.extglob", Some(0)),
            ("f{1..3}", "glob.range", Some(1)),
            ("[[:alpha:]]", "glob.posix_class", Some(1)),
            ("a[bc", "glob.unclosed_class", Some(1)),
            ("a{b,c", "glob.unclosed_alternation", Some(1)),
            ("a}b", "glob.unopened_alternation", Some(1)),
            ("a\\", "glob.dangling_escape", Some(1)),
            ("a/../b", "glob.parent_segment", None),
            ("", "glob.empty", None),
            ("/", "glob.empty", None),
            ("[/]", "glob.slash_in_class", Some(1)),
            ("[z-a]", "glob.invalid_range", Some(1)),
            ("[é]", "glob.non_ascii_class", Some(1)),
        ];
        for &(p, code, pos) in cases {
            let err = parse(p, &Limits::DEFAULT).expect_err(p);
            assert_eq!(err.code(), code, "{p}");
            assert_eq!(err.position, pos, "{p}");
            assert!(err.to_string().contains(&format!("{p:?}")), "{err}");
        }
        let long = "a".repeat(1025);
        assert_eq!(
            parse(&long, &Limits::DEFAULT).unwrap_err().code(),
            "glob.too_long"
        );
    }

    #[test]
    fn paths_are_normalized_or_rejected() {
        let ok: &[(&str, &str)] = &[
            ("a/b", "a/b"),
            ("/a/b", "a/b"),
            ("./a//b/", "a/b"),
            ("a/./b", "a/b"),
        ];
        for &(p, want) in ok {
            assert_eq!(normalize_path(p, 4096).unwrap(), want);
        }
        let bad: &[(&str, &str)] = &[
            ("", "path.empty"),
            ("/", "path.empty"),
            ("a/../b", "path.parent_segment"),
            ("..", "path.parent_segment"),
            ("a\0b", "path.nul"),
        ];
        for &(p, code) in bad {
            assert_eq!(normalize_path(p, 4096).unwrap_err().code(), code, "{p:?}");
        }
        assert_eq!(
            normalize_path(&"a".repeat(5000), 4096).unwrap_err().code(),
            "path.too_long"
        );
    }

    #[test]
    fn splitting_patterns() {
        let cases: &[(&str, &[&str])] = &[
            ("a,b", &["a", "b"]),
            ("a\nb\r\nc", &["a", "b", "c"]),
            ("*.{js,ts}, docs/**", &["*.{js,ts}", "docs/**"]),
            ("[,]x,y", &["[,]x", "y"]),
            ("a\\,b", &["a\\,b"]),
            (" , \n", &[]),
        ];
        for &(s, want) in cases {
            let got: Vec<&str> = split_patterns(s).into_iter().map(|(_, p)| p).collect();
            assert_eq!(got, want, "{s:?}");
        }
        assert_eq!(split_patterns("a, b")[1], (3, "b"));
    }

    #[test]
    fn canonical_form_is_anchored() {
        let p = parse("/src//*.rs", &Limits::DEFAULT).unwrap();
        assert_eq!(p.canonical, "src/*.rs");
        assert!(!p.is_literal());
        assert!(parse("a/b.txt", &Limits::DEFAULT).unwrap().is_literal());
    }
}
