//! A glob's tokens split into segments, normalized as paths are.

use super::error::{GlobError, GlobErrorKind};
use super::token::Tok;

/// Checks the segments of `toks` (split at top-level separators) as paths
/// are normalized: empty and `.` segments dropped, repeated `**` segments
/// merged, a `..` segment or no segment left an error. With `out`, the
/// kept segments are copied there, joined by separators. Returns whether a
/// segment was dropped (then the glob is not written in its canonical
/// form, and its normalized tokens differ from `toks`).
/// One index loop over the tokens, with no list of segments: most globs
/// drop none, and their tokens are their normalized form (a list of
/// slices per glob, and a range iterator stepping through a call per
/// token, were a tenth of a cold build's front end; issue 12).
pub(super) fn segments(
    toks: &[Tok],
    pattern: &str,
    mut out: Option<&mut Vec<Tok>>,
) -> Result<bool, GlobError> {
    // The last segment kept is `**`.
    let (mut globstar, mut dropped, mut kept) = (false, false, false);
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
            [Tok::Text(s), ..] if matches!(s.as_bytes().first(), Some(b'.')) => match dots(seg) {
                Some(1) => true,
                Some(2) => return Err(refused(GlobErrorKind::ParentSegment, pattern)),
                _ => false,
            },
            _ => false,
        };
        if drop {
            dropped = true;
        } else {
            if let Some(out) = out.as_deref_mut() {
                if kept {
                    out.push(Tok::Sep);
                }
                out.extend_from_slice(seg);
            }
            (kept, globstar) = (true, stars);
        }
        if end >= toks.len() {
            break;
        }
        end += 1;
        start = end;
    }
    if !kept {
        return Err(refused(GlobErrorKind::Empty, pattern));
    }
    Ok(dropped)
}

/// `toks` normalized (see [`segments`]): `toks` itself when no segment is
/// dropped (most globs), else a copy in `buf`; and whether one was.
pub(super) fn normalized<'a>(
    toks: &'a [Tok],
    pattern: &str,
    buf: &'a mut Vec<Tok>,
) -> Result<(&'a [Tok], bool), GlobError> {
    if !segments(toks, pattern, None)? {
        return Ok((toks, false));
    }
    buf.clear();
    segments(toks, pattern, Some(buf))?;
    Ok((buf, true))
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
