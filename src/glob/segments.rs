//! A glob's tokens split into segments, normalized as paths are.

use super::error::{GlobError, GlobErrorKind};
use super::token::Tok;

/// The segments held without an allocation (most globs have a few).
const INLINE: usize = 8;

/// A glob's segments: the first [`INLINE`] in place, more on the heap
/// (a `Vec` per glob was one of a cold build's allocations per rule;
/// issue 12). Reads as a slice.
pub(super) struct Segs<'t> {
    len: usize,
    /// A segment was dropped (empty, `.`, a repeated `**`): the glob is
    /// not written in its canonical form.
    pub(super) dropped: bool,
    inline: [&'t [Tok]; INLINE],
    heap: Vec<&'t [Tok]>,
}

impl<'t> Segs<'t> {
    pub(super) fn new() -> Self {
        Segs {
            len: 0,
            dropped: false,
            inline: [&[]; INLINE],
            heap: Vec::new(),
        }
    }

    fn push(&mut self, seg: &'t [Tok]) {
        if self.len < INLINE {
            self.inline[self.len] = seg;
        } else {
            if self.heap.is_empty() {
                self.heap.extend_from_slice(&self.inline);
            }
            self.heap.push(seg);
        }
        self.len += 1;
    }
}

impl<'t> std::ops::Deref for Segs<'t> {
    type Target = [&'t [Tok]];
    fn deref(&self) -> &[&'t [Tok]] {
        match self.len <= INLINE {
            true => &self.inline[..self.len],
            false => &self.heap,
        }
    }
}

/// Splits tokens into segments at top-level separators, normalized as paths
/// are: empty and `.` segments dropped, repeated `**` segments merged.
/// One index loop over the tokens (a range iterator stepped through a call
/// per token in WASM's baseline tier; issue 12, cold start).
pub(super) fn segments<'t>(toks: &'t [Tok], pattern: &str) -> Result<Segs<'t>, GlobError> {
    let mut out = Segs::new();
    segments_into(toks, pattern, &mut out).map(|()| out)
}

/// [`segments`] into `out` (new): a glob's segments are not copied on
/// their way back (a few hundred bytes of `Result` per glob).
pub(super) fn segments_into<'t>(
    toks: &'t [Tok],
    pattern: &str,
    out: &mut Segs<'t>,
) -> Result<(), GlobError> {
    // The last segment kept is `**`.
    let mut globstar = false;
    let (mut start, mut end) = (0, 0);
    loop {
        while toks.get(end).is_some_and(|t| !matches!(t, Tok::Sep)) {
            end += 1;
        }
        let seg = toks.get(start..end).unwrap_or_default();
        let stars = matches!(seg, [Tok::Stars]);
        let drop = match seg {
            [] => true,
            _ if stars => globstar,
            // Only a segment starting with a dot can be `.` or `..`.
            [Tok::Text(s), ..] if s.as_bytes().first() == Some(&b'.') => match dots(seg) {
                Some(1) => true,
                Some(2) => return Err(refused(GlobErrorKind::ParentSegment, pattern)),
                _ => false,
            },
            _ => false,
        };
        if drop {
            out.dropped = true;
        } else {
            out.push(seg);
            globstar = stars;
        }
        if end >= toks.len() {
            break;
        }
        end += 1;
        start = end;
    }
    if out.len == 0 {
        return Err(refused(GlobErrorKind::Empty, pattern));
    }
    Ok(())
}

/// A glob refused for its segments (out of line: rare).
#[cold]
#[inline(never)]
fn refused(kind: GlobErrorKind, pattern: &str) -> GlobError {
    GlobError::new(kind, pattern, None)
}

/// The segment's text when it is only dots (`.` or `..`, spelled out
/// alternatives may split it into two tokens): how many.
fn dots(seg: &[Tok]) -> Option<usize> {
    let mut n = 0;
    for t in seg {
        match t {
            Tok::Text(s) if s.as_bytes().iter().all(|&b| b == b'.') => n += s.as_bytes().len(),
            _ => return None,
        }
    }
    Some(n)
}
