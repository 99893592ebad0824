//! The reader of a glob's classes (`[...]`), a part of the tokenizer
//! ([`Parser`]) of its own.

use super::canonical::class_as_written;
use super::error::{GlobError, GlobErrorKind};
use super::parse::Parser;
use super::token::Tok;

impl Parser<'_> {
    /// `[...]`: at `[`.
    #[inline(never)]
    pub(super) fn class(&mut self) -> Result<Tok, GlobError> {
        let open = self.i;
        self.i += 1;
        let negated = matches!(self.peek(0), Some('!' | '^'));
        if negated {
            self.i += 1;
        }
        let set = match self.plain_range(negated) {
            Some(set) => set,
            None => self.general(open, negated)?,
        };
        // Non-empty: `]` first is a member, and a lone `/` is an error.
        Ok(Tok::Class {
            negated,
            set: set.into(),
        })
    }

    /// The members of any class (from after its `[` and `!`; `open`: at
    /// its `[`), noting whether it is written canonically and may carry a
    /// lint note. Out of line: a policy whose classes are all plain
    /// ranges never has V8 compile it (issue 12, cold start).
    #[inline(never)]
    fn general(&mut self, open: usize, negated: bool) -> Result<u128, GlobError> {
        let set = self.class_set(open, &mut Vec::new())?;
        // Most classes are written as the canonical form writes them
        // (`[0-9]`): then the glob may still be.
        let written = self.src.as_bytes().get(open..self.i).unwrap_or_default();
        self.rewritten |= !class_as_written(written, negated, set);
        // Only a class holding `(` or `\\`, or a `]` before a `+`, can
        // carry a lint note (see `files::notes`).
        self.hints |= class_hints(self.src.as_bytes(), open, self.i);
        Ok(set)
    }

    /// The members of a class that is one range of digits or of letters of
    /// one case (`[0-9]`, `[a-c]`: most classes), read at once, after its
    /// `[` (and `!`); `None` for any other. Such a class is written as the
    /// canonical form writes it (`[^…]` is not: `[!…]`) and carries no lint
    /// hint (unless a `+` follows): the general reader, its member list
    /// and the spelling check are skipped (issue 12, cold start).
    fn plain_range(&mut self, negated: bool) -> Option<u128> {
        let bytes = self.src.as_bytes();
        let at = self.i;
        let [lo, b'-', hi, b']'] = *bytes.get(at..at + 4)? else {
            return None;
        };
        let kind = |b: u8| match b {
            b'0'..=b'9' => 1,
            b'a'..=b'z' => 2,
            b'A'..=b'Z' => 3,
            _ => 0,
        };
        let plain = kind(lo) != 0 && kind(lo) == kind(hi) && lo < hi;
        let caret = negated && matches!(bytes.get(at - 1), Some(b'^'));
        if !plain || caret || matches!(bytes.get(at + 4), Some(b'+')) {
            return None;
        }
        self.i = at + 4;
        Some(span(char::from(lo), char::from(hi)))
    }

    /// A class's members from after its `[` (and `!`) to its `]`, as a
    /// set of ASCII codes (`members`: an empty buffer, for them as read).
    /// Spellings the reference engines read apart are refused (SPEC §2):
    /// `\` before anything but `\`, a `-` after a range but last.
    fn class_set(
        &mut self,
        open: usize,
        members: &mut Vec<(usize, char)>,
    ) -> Result<u128, GlobError> {
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
                // `\\` is `\` to every engine (globset: `\` twice).
                '\\' if self.peek(0) == Some('\\') => {
                    self.i += 1;
                    members.push((pos, c));
                }
                '\\' if self.peek(0).is_some() => {
                    return Err(self.err(GlobErrorKind::ClassEscape, pos));
                }
                c => members.push((pos, c)),
            }
            first = false;
        }
        // Ranges: `a-z`; a `-` first or last is literal. A class never
        // matches `/`: ranges spanning it lose it.
        let mut set = 0u128;
        let mut k = 0;
        while let Some(&(pos, c)) = members.get(k) {
            if c == '/' {
                return Err(self.err(GlobErrorKind::SlashInClass, pos));
            }
            if !c.is_ascii() {
                return Err(self.err(GlobErrorKind::NonAsciiClass, pos));
            }
            let range_to = match members.get(k + 1) {
                Some((_, '-')) => members.get(k + 2),
                _ => None,
            };
            if let Some(&(p_hi, hi)) = range_to {
                if !hi.is_ascii() {
                    return Err(self.err(GlobErrorKind::NonAsciiClass, p_hi));
                }
                if hi < c {
                    return Err(self.err(GlobErrorKind::InvalidRange, pos));
                }
                set |= span(c, hi);
                k += 3;
                if let (Some(&(dash, '-')), Some(_)) = (members.get(k), members.get(k + 1)) {
                    return Err(self.err(GlobErrorKind::RangeAfterRange, dash));
                }
            } else {
                set |= span(c, c);
                k += 1;
            }
        }
        Ok(set & !(1u128 << b'/'))
    }
}

/// Whether the class written at `bytes[from..to]` holds a byte a lint
/// note looks for: `(`, `\\`, or a `]` before a `+` (its own closing `]`
/// too). Every class has a `]`: most globs with one need no note.
fn class_hints(bytes: &[u8], from: usize, to: usize) -> bool {
    let mut k = from;
    while k < to {
        match bytes.get(k) {
            Some(b'(' | b'\\') => return true,
            Some(b']') if matches!(bytes.get(k + 1), Some(b'+')) => return true,
            _ => k += 1,
        }
    }
    false
}

/// The ASCII codes `lo..=hi` as a set (a mask, not a bit per code).
fn span(lo: char, hi: char) -> u128 {
    let (lo, hi) = (lo as u32, hi as u32);
    (u128::MAX >> (127 - (hi - lo))) << lo
}

#[cfg(test)]
mod tests {
    use crate::glob::parse::Parser;
    use crate::glob::scratch::Bufs;

    /// A one-range class read at once reads as the general reader reads
    /// it: the same members, end, canonical spelling and lint hint, for
    /// every pair of printable ASCII bounds.
    #[test]
    fn plain_ranges_read_as_any_class() {
        let mut bufs = (Bufs::default(), Bufs::default());
        for lo in b'!'..=b'~' {
            for hi in b'!'..=b'~' {
                for (neg, after) in [("", ""), ("!", "+"), ("^", "x"), ("", "+"), ("!", "")] {
                    let (lo, hi) = (char::from(lo), char::from(hi));
                    let glob = format!("a[{neg}{lo}-{hi}]{after}");
                    let mut fast = Parser::new(&glob, &mut bufs.0);
                    fast.i = 1;
                    let got = fast.class().map_err(|e| (e.code(), e.position));
                    let mut slow = Parser::new(&glob, &mut bufs.1);
                    // (`[!-!]` is a negated class too.)
                    let negated = matches!(glob.as_bytes()[2], b'!' | b'^');
                    slow.i = 2 + usize::from(negated);
                    let want = slow.general(1, negated);
                    let want = want.map_err(|e| (e.code(), e.position));
                    let got = got.map(|t| match t {
                        crate::glob::Tok::Class { set, .. } => set.get(),
                        _ => unreachable!(),
                    });
                    assert_eq!(got, want, "{glob}");
                    let flags = |p: &Parser| (p.i, p.rewritten, p.hints);
                    assert_eq!(flags(&fast), flags(&slow), "{glob}");
                }
            }
        }
    }
}
