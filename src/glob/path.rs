//! Project-relative paths and `patterns` strings.

use std::borrow::Cow;

use super::PathErrorKind;

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

/// Bytes as a set: `stops[b]` is true for a member. Never a letter, a
/// digit or a non-ASCII byte (checked when made), so [`run_end`] can pass
/// eight of those at a time by arithmetic.
pub(crate) type ByteTable = [bool; 256];

/// A [`ByteTable`] of `members` (ASCII punctuation and controls only).
pub(crate) const fn byte_table(members: &[u8]) -> ByteTable {
    let mut t = [false; 256];
    let mut k = 0;
    while k < members.len() {
        let b = members[k];
        assert!(b.is_ascii() && !b.is_ascii_alphanumeric());
        t[b as usize] = true;
        k += 1;
    }
    t
}

/// Eight bytes at a time: is every byte a letter, a digit or non-ASCII
/// (never a [`ByteTable`] member)? Each test puts a byte's answer in its
/// high bit; no sum carries into the next byte (the high bits are cleared
/// first).
#[inline(always)]
fn plain_word(w: u64) -> bool {
    const LO: u64 = 0x0101_0101_0101_0101;
    const HI: u64 = 0x8080_8080_8080_8080;
    let a = w & !HI;
    // `lo <= b <= hi`: `b + (0x80 - lo)` reaches the high bit, `b + (0x7f - hi)` does not.
    let within = |b: u64, lo: u64, hi: u64| (b + LO * (0x80 - lo)) & !(b + LO * (0x7f - hi));
    let digit = within(a, 0x30, 0x39);
    let letter = within(a | (LO * 0x20), 0x61, 0x7a);
    (w | digit | letter) & HI == HI
}

/// Where the run of bytes from `i` that are not in `stops` ends: words of
/// letters and digits are passed by arithmetic, other words by eight table
/// lookups with one branch (the tokenizer, the splitter and the lint hint
/// each skip kilobytes of plain glob text; a branch per byte was a tenth of
/// compiling 1 KB globs in WASM, issue 11). One function for every table:
/// on a cold start the engine compiles it once.
#[inline(never)]
pub(crate) fn run_end(bytes: &[u8], mut i: usize, stops: &ByteTable) -> usize {
    let stop = |b: u8| stops[b as usize];
    while let Some(w) = bytes.get(i..i + 8) {
        let w = <[u8; 8]>::try_from(w).unwrap_or([0; 8]);
        if !plain_word(u64::from_le_bytes(w)) {
            let any = stop(w[0]) | stop(w[1]) | stop(w[2]) | stop(w[3]);
            if any | stop(w[4]) | stop(w[5]) | stop(w[6]) | stop(w[7]) {
                break;
            }
        }
        i += 8;
    }
    while bytes.get(i).is_some_and(|&b| !stop(b)) {
        i += 1;
    }
    i
}

/// The bytes [`split_patterns`] looks at.
static SPLIT: ByteTable = byte_table(b"\\\n\r[]{},");

/// Splits a `patterns` string into globs: at newlines, and at commas outside
/// `{}` and `[]`. Pieces are trimmed; empty ones are dropped. Returns each
/// glob with its byte offset in `s`.
pub fn split_patterns(s: &str) -> Vec<(usize, &str)> {
    let mut out = Vec::new();
    let (mut braces, mut in_class) = (0usize, false);
    let mut start = 0;
    let mut push = |from: usize, to: usize| {
        let piece = &s[from..to];
        let trimmed = piece.trim();
        if !trimmed.is_empty() {
            let lead = piece.len() - piece.trim_start().len();
            out.push((from + lead, trimmed));
        }
    };
    // Bytes: every separator and bracket is ASCII, and no byte of a
    // multi-byte character is (an escaped one skips its first byte only).
    // Runs of other bytes are skipped in a tight loop.
    let bytes = s.as_bytes();
    let mut i = 0;
    while i < bytes.len() {
        let c = bytes[i];
        i += 1;
        match c {
            b'\\' => i += 1,
            b'\n' | b'\r' => {
                push(start, i - 1);
                start = i;
                (braces, in_class) = (0, false);
            }
            b'[' if !in_class => {
                // As the glob reads a class: a `]` right after `[`, `[!`
                // or `[^` is a member (`[],]` holds `,`), not its end.
                in_class = true;
                i += usize::from(matches!(bytes.get(i), Some(b'!' | b'^')));
                i += usize::from(matches!(bytes.get(i), Some(b']')));
            }
            b']' if in_class => in_class = false,
            b'{' if !in_class => braces += 1,
            b'}' if !in_class => braces = braces.saturating_sub(1),
            b',' if braces == 0 && !in_class => {
                push(start, i - 1);
                start = i;
            }
            _ => i = run_end(bytes, i, &SPLIT),
        }
    }
    push(start, s.len());
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The word test never passes a byte of a table: every byte value, at
    /// every place of a word of letters, stops the run where a byte-by-byte
    /// scan stops.
    #[test]
    fn run_end_stops_where_a_byte_scan_stops() {
        let tables = [
            byte_table(b"\\\n\r[]{},"),
            byte_table(b",}\0\\*?@+![{/]("),
            byte_table(b"(]\\"),
        ];
        for stops in &tables {
            for b in 0..=255u8 {
                for at in 0..20 {
                    let mut text = b"aZ09zA9mq".repeat(3);
                    text.insert(at, b);
                    let want = (0..text.len())
                        .find(|&k| stops[text[k] as usize])
                        .unwrap_or(text.len());
                    for from in [0, 1, 7] {
                        assert_eq!(
                            run_end(&text, from.min(want), stops),
                            want,
                            "byte {b} at {at} from {from}"
                        );
                    }
                }
            }
        }
    }
}
