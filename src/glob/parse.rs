//! The tokenizer and parser of the dialect, and the canonical form.

use super::canonical::canonical;
use super::error::{GlobError, GlobErrorKind};
use super::path::{byte_table, run_end, ByteTable};
use super::scratch::{Bufs, Parsed, Scratch};
use super::segments::{normalized, segments};
use super::shape::{classify, shape, Pattern, Piece};
use super::token::Tok;
use super::walk::{walk, Check};
use crate::limits::Limits;

pub(super) struct Parser<'a> {
    pub(super) src: &'a str,
    pub(super) i: usize,
    /// Buffers lent by the caller (borrowed, so the parser has nothing to
    /// drop: one function fewer for V8 to compile on a cold build).
    bufs: &'a mut Bufs,
    /// A byte a lint note looks for (`(`, `\\`, a `]` outside a class or
    /// before `+`) was read: the notes need no pass of their own over most
    /// globs (issue 12, cold start).
    pub(super) hints: bool,
    /// An alternation was read.
    alternated: bool,
    /// Literal text holds a byte the canonical form may escape (only the
    /// tokenizer's special bytes can be one: plain runs are copied as they
    /// are, without a second look).
    escapable: bool,
    /// An escape or a class was read: the canonical form may spell the
    /// glob differently (else it is the source, see [`canonical`]).
    pub(super) rewritten: bool,
    /// A `/` first, last or before `/` or `.`, or `**/**`, was read: a
    /// segment may be dropped or refused. Without one (nor an escape, nor
    /// a `.` first) the segment check has nothing to find, and most globs
    /// skip it (issue 12, cold start).
    droppable: bool,
}

impl<'a> Parser<'a> {
    pub(super) fn new(src: &'a str, bufs: &'a mut Bufs) -> Self {
        Parser {
            src,
            i: 0,
            bufs,
            hints: false,
            alternated: false,
            escapable: false,
            rewritten: false,
            droppable: false,
        }
    }

    #[cold]
    #[inline(never)]
    pub(super) fn err(&self, kind: GlobErrorKind, pos: usize) -> GlobError {
        GlobError::new(kind, self.src, Some(pos))
    }

    /// The character at byte `i` (always a character boundary).
    pub(super) fn at(&self, i: usize) -> Option<char> {
        match *self.src.as_bytes().get(i)? {
            b if b.is_ascii() => Some(char::from(b)),
            _ => self.src.get(i..)?.chars().next(),
        }
    }

    /// A run of `?`s: one token (joined to a run just before it).
    fn marks(&mut self, out: &mut Vec<Tok>, run: &mut String) -> Result<(), GlobError> {
        let rest = self.src.as_bytes().get(self.i..).unwrap_or_default();
        let n = rest.iter().take_while(|&&b| b == b'?').count();
        // `??(x)` is `?` then the extglob `?(x)`: refused like `?(x)`
        // (picomatch reads it so), never `?`, `?` and a literal `(x)`.
        if matches!(rest.get(n), Some(b'(')) {
            return Err(self.err(GlobErrorKind::Extglob, self.i + n - 1));
        }
        self.i += n;
        let n = n as u32;
        match (run.is_empty(), out.last_mut()) {
            (true, Some(Tok::Any(m))) => *m = m.saturating_add(n),
            _ => push(out, run, Tok::Any(n)),
        }
        Ok(())
    }

    /// The character `k` (0 or 1) characters after the current one.
    pub(super) fn peek(&self, k: usize) -> Option<char> {
        let c = self.at(self.i)?;
        if k == 0 {
            Some(c)
        } else {
            self.at(self.i + c.len_utf8())
        }
    }

    /// Parses tokens until the end, or (inside braces) until `,` or `}`.
    pub(super) fn seq(&mut self, depth: usize) -> Result<Vec<Tok>, GlobError> {
        // A list of an earlier glob's (see `Scratch::recycle`).
        let mut out = self.bufs.list();
        self.seq_into(depth, &mut out).map(|()| out)
    }

    /// [`Parser::seq`] onto `out`.
    fn seq_into(&mut self, depth: usize, out: &mut Vec<Tok>) -> Result<(), GlobError> {
        // The literal text read since the last other token: one `Text`.
        let mut run = self.bufs.runs.pop().unwrap_or_default();
        run.clear();
        let done = self.tokens(depth, out, &mut run);
        flush(out, &mut run);
        self.bufs.runs.push(run);
        done
    }

    /// [`Parser::seq`]'s loop. Literal runs and `/` only: every other
    /// token is read out of line by [`Parser::special`] (and the rare ones,
    /// errors, escapes, extglob checks, literal punctuation, by
    /// [`Parser::other`]). V8 charges a loop's whole body to its tier-up
    /// budget on every turn, and tiers a hot loop up by compiling its
    /// function whole: with the stars, `?` and classes inline, workerd
    /// compiled this in the first build of 1,000 rules (issue 12, cold start).
    fn tokens(
        &mut self,
        depth: usize,
        out: &mut Vec<Tok>,
        run: &mut String,
    ) -> Result<(), GlobError> {
        let bytes = self.src.as_bytes();
        while let Some(&b) = bytes.get(self.i) {
            if !special(b) {
                self.literal(depth, out, run);
            } else if b == b'/' {
                let pos = self.i;
                let next = bytes.get(pos + 1);
                self.droppable |= pos == 0 || matches!(next, None | Some(b'/' | b'.'));
                push(out, run, Tok::Sep);
                self.i += 1;
            } else if self.special(b, depth, out, run)? {
                break;
            }
        }
        Ok(())
    }

    /// The special byte `b` (not `/`) at the current position: a token
    /// read, or `true` at the `,` or `}` that ends a brace's branch.
    #[inline(never)]
    fn special(
        &mut self,
        b: u8,
        depth: usize,
        out: &mut Vec<Tok>,
        run: &mut String,
    ) -> Result<bool, GlobError> {
        let (bytes, pos) = (self.src.as_bytes(), self.i);
        // Neither a star nor an extglob's `(` after this (`*` or `**`)?
        // Bytes ahead by `matches!`, not `== Some(&b'…')`: an `Option`'s
        // `==` is a call in baseline code, per glob character (issue 12).
        let ends = |k: usize| !matches!(bytes.get(pos + k), Some(b'*' | b'('));
        match b {
            b',' | b'}' if depth > 0 => return Ok(true),
            b'*' if ends(1) => {
                push(out, run, Tok::Star);
                self.i += 1;
            }
            b'*' if matches!(bytes.get(pos + 1), Some(b'*')) && ends(2) => {
                self.droppable |= pos >= 3 && bytes.get(pos - 3..pos) == Some(b"**/");
                push(out, run, Tok::Stars);
                self.i += 2;
            }
            b'?' if !matches!(bytes.get(pos + 1), Some(b'(')) => self.marks(out, run)?,
            b'[' => {
                let class = self.class()?;
                push(out, run, class);
            }
            b'{' => self.alternation(depth, out, run)?,
            _ => self.other(b, pos, out, run)?,
        }
        Ok(false)
    }

    /// A run of plain bytes at once (a special byte is ASCII, so the run
    /// ends on a character boundary). Out of line, as are the other tokens
    /// but `/` and stars: V8 tiers [`Parser::tokens`] up on the work done
    /// in its own body, and compiles it whole (issue 12, cold start).
    #[inline(never)]
    fn literal(&mut self, depth: usize, out: &mut Vec<Tok>, run: &mut String) {
        let (src, bytes, pos) = (self.src, self.src.as_bytes(), self.i);
        let end = run_end(bytes, pos, &SPECIALS);
        let text = src.get(pos..end).unwrap_or_default();
        self.i = end;
        // A run that a token ends (most: a name before `/`, `*` or the
        // end) is one token as it is, without the run buffer.
        let ends = match bytes.get(end) {
            None | Some(b'/' | b'*' | b'?' | b'[') => true,
            Some(b',' | b'}') => depth > 0,
            _ => false,
        };
        if ends && run.is_empty() {
            out.push(Tok::Text(text.into()));
        } else {
            run.push_str(text);
        }
    }

    /// The special byte `b` at `pos` that [`Parser::tokens`] leaves: an
    /// error, an escape, a run of stars that is one, an extglob, or
    /// punctuation read literally.
    #[cold]
    #[inline(never)]
    fn other(
        &mut self,
        b: u8,
        pos: usize,
        out: &mut Vec<Tok>,
        run: &mut String,
    ) -> Result<(), GlobError> {
        self.hints |= matches!(b, b'\\' | b']' | b'(');
        match b {
            b'}' => return Err(self.err(GlobErrorKind::UnopenedAlternation, pos)),
            b'\0' => return Err(self.err(GlobErrorKind::Nul, pos)),
            b'\\' => {
                let Some(next) = self.peek(1) else {
                    return Err(self.err(GlobErrorKind::DanglingEscape, pos));
                };
                self.rewritten = true;
                // An escaped `/` is still a separator (paths hold no
                // other kind of slash) and an escaped NUL is still a NUL
                // (found by fuzzing: neither had a canonical form).
                match next {
                    '/' => push(out, run, Tok::Sep),
                    '\0' => return Err(self.err(GlobErrorKind::Nul, pos + 1)),
                    c => {
                        run.push(c);
                        self.escapable = true;
                    }
                }
                self.i += 1 + next.len_utf8();
            }
            b'*' | b'?' | b'@' | b'+' | b'!' if self.peek(1) == Some('(') => {
                return Err(self.err(GlobErrorKind::Extglob, pos));
            }
            b'@' | b'+' | b'!' => {
                run.push(char::from(b));
                self.escapable |= b == b'!';
                self.i += 1;
            }
            b'*' => {
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
                let t = if n >= 2 { Tok::Stars } else { Tok::Star };
                push(out, run, t);
            }
            // A `,` at the top level, `]`, `(`.
            _ => {
                run.push(char::from(b));
                self.escapable = true;
                self.i += 1;
            }
        }
        Ok(())
    }

    /// `{a,b}`: at `{`, onto `out` (after `run`). A group without a
    /// top-level comma is refused ([`Parser::braced`]). Out of line,
    /// as is [`Parser::class`]: globs without one never compile it, and
    /// the tokenizer's hot loop stays small (issue 12, cold start).
    #[inline(never)]
    fn alternation(
        &mut self,
        depth: usize,
        out: &mut Vec<Tok>,
        run: &mut String,
    ) -> Result<(), GlobError> {
        let open = self.i;
        self.i += 1;
        // Most alternations have two branches: one allocation for both.
        let mut branches = Vec::with_capacity(2);
        branches.push(self.seq(depth + 1)?);
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
            // here once for every level of nesting; or spell a `..` segment
            // (`x/{..,y}`), refused as a written one is only when walked by
            // segment (as text it was accepted: an attacker's pass, session 31),
            // or a `.` one (`{.,tmp}/x`), dropped as a written one is only
            // when walked by segment (as text it matched nothing, and a deny
            // so written did not deny `x`: an attacker's pass, session 37).
            let structural = branches.iter().any(|b| match &b[..] {
                [Tok::Text(t)] if matches!(t.as_bytes(), b".." | b".") => true,
                b => b
                    .iter()
                    .any(|t| matches!(t, Tok::Sep | Tok::Stars | Tok::Alt(_, true))),
            });
            self.alternated = true;
            push(out, run, Tok::Alt(branches, structural));
            return Ok(());
        }
        Err(self.braced(open))
    }

    /// `{x}` (`x` the group's one branch, the group at `open`): refused,
    /// since the engines read it apart (`{1..3}`: a range, refused too).
    #[cold]
    #[inline(never)]
    fn braced(&self, open: usize) -> GlobError {
        // Both braces are one byte.
        let inner = &self.src[open + 1..self.i - 1];
        let kind = match is_brace_range(inner) {
            true => GlobErrorKind::Range,
            false => GlobErrorKind::SingleAlternative,
        };
        self.err(kind, open)
    }
}

/// The bytes the tokenizer must look at (every other byte is literal
/// text), for skipping runs of literal text.
static SPECIALS: ByteTable = byte_table(b",}\0\\*?@+![{/](");

#[inline]
fn special(b: u8) -> bool {
    SPECIALS[b as usize]
}

/// Ends the literal run (if any) as one token.
fn flush(out: &mut Vec<Tok>, run: &mut String) {
    if !run.is_empty() {
        // The buffer stays for the next run: one exact allocation per run.
        out.push(Tok::Text(run.as_str().into()));
        run.clear();
    }
}

/// Pushes a token after the literal run before it (which is ended by a
/// call only when there is one).
fn push(out: &mut Vec<Tok>, run: &mut String, t: Tok) {
    if !run.is_empty() {
        flush(out, run);
    }
    out.push(t);
}

/// `1..3`, `a..z`, `01..10..2`: a bash brace range.
fn is_brace_range(inner: &str) -> bool {
    let parts: Vec<&str> = crate::substr::split(inner, "..");
    (parts.len() == 2 || parts.len() == 3)
        && parts.iter().all(|p| {
            let p = p.strip_prefix('-').unwrap_or(p);
            !p.is_empty() && p.chars().all(|c| c.is_ascii_alphanumeric())
        })
}

/// Parses a pattern of the dialect, without compiling it.
pub fn parse(pattern: &str, limits: &Limits) -> Result<Pattern, GlobError> {
    let mut scratch = Scratch::default();
    let p = parse_with(pattern, limits, &mut scratch)?;
    let canonical = p.canonical.to_string();
    Ok(Pattern {
        source: pattern.to_string(),
        canonical,
        pieces: std::mem::take(&mut scratch.pieces),
    })
}

/// [`parse`] into `scratch`'s buffers (the last glob's are reused): a
/// build's globs cost no allocation each, but for the texts and tokens
/// the automaton keeps (issue 12, cold start).
pub fn parse_with<'a>(
    pattern: &'a str,
    limits: &Limits,
    scratch: &'a mut Scratch,
) -> Result<Parsed<'a>, GlobError> {
    scratch.recycle();
    if pattern.len() > limits.max_glob_bytes || matches!(pattern.as_bytes().first(), Some(b'!')) {
        return Err(refused(pattern, limits));
    }
    let mut toks = scratch.tokens();
    let mut p = Parser::new(pattern, &mut scratch.bufs);
    p.seq_into(0, &mut toks)?;
    let first = pattern.as_bytes().first();
    let (flat, dropped) = if p.droppable || p.rewritten || matches!(first, None | Some(b'.')) {
        normalized(&toks, pattern, &mut scratch.norm)?
    } else {
        debug_assert_eq!(
            segments(&toks, pattern, None).ok(),
            Some(false),
            "{pattern}"
        );
        (&toks[..], false)
    };
    let (rewritten, hints) = (p.rewritten || p.escapable, p.hints);
    let out = &mut scratch.canonical;
    let same = canonical(pattern, rewritten, p.escapable, dropped, flat, out);
    let (pool, out) = (&mut scratch.strings, &mut scratch.pieces);
    let simple = pieces(pattern, p.alternated, &toks, flat, pool, out)?;
    if simple {
        scratch.give_back(toks);
    } else {
        scratch.pieces.push(Piece::Glob(toks));
    }
    Ok(Parsed {
        source: pattern,
        canonical: if same { pattern } else { &scratch.canonical },
        pieces: &scratch.pieces,
        hints,
    })
}

/// A glob refused before it is read: too long, or a negation.
#[cold]
#[inline(never)]
fn refused(pattern: &str, limits: &Limits) -> GlobError {
    if pattern.len() > limits.max_glob_bytes {
        let limit = limits.max_glob_bytes;
        return GlobError::new(GlobErrorKind::TooLong { limit }, pattern, None);
    }
    match pattern.starts_with("!(") {
        true => GlobError::new(GlobErrorKind::Extglob, pattern, Some(0)),
        false => GlobError::new(GlobErrorKind::Negation, pattern, Some(0)),
    }
}

/// The simple pieces of a parsed glob (`flat`: its tokens normalized)
/// onto `out`; `false` when the automaton must take its tokens.
fn pieces(
    pattern: &str,
    alternated: bool,
    toks: &[Tok],
    flat: &[Tok],
    pool: &mut Vec<String>,
    out: &mut Vec<Piece>,
) -> Result<bool, GlobError> {
    // Most patterns have no alternation: their segments are final.
    if !alternated {
        return Ok(shape(flat, &[], pool).map(|p| out.push(p)).is_some());
    }
    alt_pieces(pattern, toks, flat, pool, out)
}

/// [`pieces`] of a glob with alternations. Out of line: the hot `parse_with`
/// that V8's optimizing tier compiles whole stays small, and a policy
/// without alternations never compiles this (issue 12, cold start).
#[inline(never)]
fn alt_pieces(
    pattern: &str,
    toks: &[Tok],
    flat: &[Tok],
    pool: &mut Vec<String>,
    out: &mut Vec<Piece>,
) -> Result<bool, GlobError> {
    // A `..` segment one alternative spells out is refused, as a
    // written one is.
    // (It takes two dots to spell one out. Found with `find`, which
    // scans a word at a time: a filtered byte iterator stepped each byte
    // through a call in WASM, a third of compiling 1 KB globs.)
    if pattern
        .find('.')
        .is_some_and(|i| pattern.as_bytes()[i + 1..].contains(&b'.'))
    {
        walk(toks, &mut Check)
            .map_err(|_| GlobError::new(GlobErrorKind::ParentSegment, pattern, None))?;
    }
    // Errors other than `..` were found in the whole pattern above; an
    // alternative that empties it matches nothing.
    Ok(classify(toks, flat, pattern, pool, out))
}
