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
    inline: [&'t [Tok]; INLINE],
    heap: Vec<&'t [Tok]>,
}

impl<'t> Segs<'t> {
    fn new() -> Self {
        Segs {
            len: 0,
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
pub(super) fn segments<'t>(toks: &'t [Tok], pattern: &str) -> Result<Segs<'t>, GlobError> {
    let mut out = Segs::new();
    // The last segment kept is `**`.
    let mut globstar = false;
    let mut start = 0;
    for end in 0..=toks.len() {
        if toks.get(end).is_some_and(|t| !matches!(t, Tok::Sep)) {
            continue;
        }
        let seg = &toks[start..end];
        start = end + 1;
        let stars = matches!(seg, [Tok::Stars]);
        let drop = match seg {
            [] => true,
            _ if stars => globstar,
            // Only a segment starting with a dot can be `.` or `..`.
            [Tok::Text(s), ..] if s.as_bytes().first() == Some(&b'.') => match dots(seg) {
                Some(1) => true,
                Some(2) => return Err(GlobError::new(GlobErrorKind::ParentSegment, pattern, None)),
                _ => false,
            },
            _ => false,
        };
        if !drop {
            out.push(seg);
            globstar = stars;
        }
    }
    if out.len == 0 {
        return Err(GlobError::new(GlobErrorKind::Empty, pattern, None));
    }
    Ok(out)
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
