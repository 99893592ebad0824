//! The text of every rule pattern of a policy (as written and canonical),
//! in one string with spans: two allocations for the whole policy rather
//! than two per pattern, and a snapshot loads them with one copy and one
//! UTF-8 check. Each text is stored once (issue 11: 100,000 1 KB globs kept
//! 300 MB of copies): a pattern written in its canonical form (most are)
//! has one copy, and a pattern written like an earlier one shares its span.

use crate::patterns::{same, FxMap};

/// A pattern's text: `source` then `canonical`, back to back at `at`; or,
/// with `canonical` [`SAME`], one text that is both.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) struct Span {
    at: u32,
    source: u32,
    canonical: u32,
}

/// The `canonical` length of a span whose source is canonical already.
/// (Not a length: a reader of an older format refuses the span rather than
/// misread it.)
const SAME: u32 = u32::MAX;

impl Span {
    /// The byte ranges of the source and the canonical text.
    fn ranges(self) -> (std::ops::Range<u64>, std::ops::Range<u64>) {
        let (a, m) = (
            u64::from(self.at),
            u64::from(self.at) + u64::from(self.source),
        );
        if self.canonical == SAME {
            (a..m, a..m)
        } else {
            (a..m, m..m + u64::from(self.canonical))
        }
    }
}

/// A rule's patterns: `len` spans from `first`.
#[derive(Debug, Clone, Copy, Default)]
pub(super) struct Patterns {
    pub(super) first: u32,
    pub(super) len: u32,
}

impl Patterns {
    pub(super) fn is_empty(self) -> bool {
        self.len == 0
    }
    pub(super) fn len(self) -> usize {
        self.len as usize
    }
}

/// One pattern's text.
#[derive(Debug, Clone, Copy)]
pub(super) struct Pat<'a> {
    /// As written.
    pub(super) source: &'a str,
    /// Anchored and normalized (see [`crate::glob::Pattern`]).
    pub(super) canonical: &'a str,
}

/// Every pattern's text.
#[derive(Debug, Clone, Default)]
pub(super) struct Texts {
    text: String,
    spans: Vec<Span>,
}

impl Texts {
    /// Sets aside room for about `bytes` of text (a policy's JSON text
    /// bounds its patterns' text, give or take escapes): one allocation,
    /// not a doubling series of copies.
    pub(super) fn reserve(&mut self, bytes: usize) {
        self.text.reserve(bytes);
    }

    /// Adds one pattern's text; returns its span's index.
    pub(super) fn add(&mut self, p: Pat<'_>) -> u32 {
        let at = self.text.len() as u32;
        self.text.push_str(p.source);
        // Most often the very same text (a glob written canonically): no
        // comparison.
        let one = std::ptr::eq(p.canonical, p.source);
        let canonical = if one || same(p.canonical.as_bytes(), p.source.as_bytes()) {
            SAME
        } else {
            self.text.push_str(p.canonical);
            p.canonical.len() as u32
        };
        self.push_span(Span {
            at,
            source: p.source.len() as u32,
            canonical,
        })
    }

    /// Adds a pattern whose text is span `i`'s (no text copied).
    pub(super) fn add_again(&mut self, i: u32) -> u32 {
        let span = self.spans[i as usize];
        self.push_span(span)
    }

    fn push_span(&mut self, s: Span) -> u32 {
        self.spans.push(s);
        self.spans.len() as u32 - 1
    }

    /// Span `i`'s text.
    pub(super) fn pat(&self, i: u32) -> Option<Pat<'_>> {
        let (source, canonical) = self.spans.get(i as usize)?.ranges();
        let cut = |r: std::ops::Range<u64>| self.text.get(r.start as usize..r.end as usize);
        Some(Pat {
            source: cut(source).unwrap_or(""),
            canonical: cut(canonical).unwrap_or(""),
        })
    }

    /// Ends building: gives back room reserved and not used.
    pub(super) fn shrink(&mut self) {
        self.text.shrink_to_fit();
        self.spans.shrink_to_fit();
    }

    /// Pattern `i` of `pats`. Spans are checked when made or loaded; a
    /// bad one would read as empty text, never panic.
    pub(super) fn get(&self, pats: Patterns, i: usize) -> Option<Pat<'_>> {
        if i >= pats.len() {
            return None;
        }
        self.pat(pats.first.checked_add(i as u32)?)
    }

    /// The patterns of `pats`, in order.
    pub(super) fn of(&self, pats: Patterns) -> impl Iterator<Item = Pat<'_>> + Clone {
        (0..pats.len()).filter_map(move |i| self.get(pats, i))
    }

    /// Per span, whether an earlier pattern of its rule (`rules`: each
    /// rule's spans) matches every path it matches: `**`, or `L/**` (`L`
    /// literal, matching `L` and all below it) before a pattern written
    /// `L/…` (the canonical texts; under `caseInsensitive` only as
    /// written). Such a source can neither decide nor be named: its rule's
    /// earlier pattern, of the same group, effect and actions, matches
    /// whenever it does (see `Sources::index`). 100,000 rules (3,333 groups,
    /// 30 kinds) of `**`, `a/**`, `a/a/**`, … 20 levels deep made a check of
    /// `a/a/…/x` read 20 globs of 100,000 sources for a member of every
    /// group: 11.5 ms a check in the package (README: <= 10 ms); now `**`
    /// alone. Empty when no rule has two patterns. Out of line: a policy
    /// of one glob a rule never calls it (see `super::keys`).
    #[inline(never)]
    pub(super) fn dominated(&self, rules: impl Iterator<Item = Patterns>) -> Vec<bool> {
        let (mut out, mut dirs) = (Vec::new(), FxMap::<u64, u32>::default());
        let step =
            |h: u64, b: &u8| (h.rotate_left(5) ^ u64::from(*b)).wrapping_mul(0x517c_c1b7_2722_0a95);
        let text = |span: u32| self.pat(span).map_or("", |p| p.canonical).as_bytes();
        for pats in rules {
            if pats.len < 2 {
                continue;
            }
            if out.is_empty() {
                out = vec![false; self.spans.len()];
            }
            // Per literal `L` of an `L/**` of the rule so far, its span.
            if !dirs.is_empty() {
                dirs = FxMap::default();
            }
            let mut all = false;
            for span in pats.first..pats.first.saturating_add(pats.len) {
                let t = text(span);
                let (mut h, mut over) = (0, all);
                // Read only below a `dir/**` of the rule.
                let below = if all || dirs.is_empty() { &[][..] } else { t };
                for (i, b) in below.iter().enumerate() {
                    if *b == b'/' && !over {
                        let dir = dirs.get(&h).map_or(&[][..], |&s| text(s));
                        over = dir.len() == i + 3 && t.get(..i).is_some_and(|l| dir.starts_with(l));
                    }
                    h = step(h, b);
                }
                if let Some(x) = out.get_mut(span as usize) {
                    *x = over;
                }
                let n = t.len().saturating_sub(3);
                let dir = t.get(..n).filter(|_| n > 0 && t.ends_with(b"/**"));
                let literal = |l: &[u8]| {
                    !l.iter()
                        .any(|b| matches!(b, b'*' | b'?' | b'[' | b']' | b'{' | b'}' | b'\\'))
                };
                if over {
                } else if t == b"**" {
                    all = true;
                } else if let Some(l) = dir.filter(|l| literal(l)) {
                    dirs.insert(l.iter().fold(0, step), span);
                }
            }
        }
        out
    }

    /// Is `pats` a range of spans held here?
    pub(super) fn holds(&self, pats: Patterns) -> bool {
        (pats.first as usize)
            .checked_add(pats.len())
            .is_some_and(|end| end <= self.spans.len())
    }

    /// The text and the spans as `(at, source, canonical)` lengths, for
    /// snapshots (read back as one array of three `u32`s a span).
    pub(super) fn parts(&self) -> (&str, Vec<[u32; 3]>) {
        let spans = self.spans.iter().map(|s| [s.at, s.source, s.canonical]);
        (&self.text, spans.collect())
    }

    /// From parts read back from a snapshot: every span must lie in the
    /// text and cut it at character boundaries. Checked first in one
    /// index loop, then converted in one pass (no push per span).
    pub(super) fn from_parts(text: String, spans: &[[u32; 3]]) -> Option<Texts> {
        let b = text.as_bytes();
        // A UTF-8 continuation byte is 0b10xx_xxxx; the end is a boundary.
        let cut =
            |i: u64| i == b.len() as u64 || b.get(i as usize).is_some_and(|&c| (c as i8) >= -0x40);
        let span = |&[at, source, canonical]: &[u32; 3]| Span {
            at,
            source,
            canonical,
        };
        let mut i = 0;
        while let Some(s) = spans.get(i) {
            let (source, canonical) = span(s).ranges();
            if !(cut(source.start) && cut(source.end) && cut(canonical.start) && cut(canonical.end))
            {
                return None;
            }
            i += 1;
        }
        let spans = spans.iter().map(span).collect();
        Some(Texts { text, spans })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// One copy for a canonical source, none for a repeat, two otherwise;
    /// a snapshot's spans read back the same and are checked against the
    /// text (a one-text span too).
    #[test]
    fn texts_are_stored_once_and_read_back_checked() {
        let pat = |source, canonical| Pat { source, canonical };
        let mut t = Texts::default();
        let a = t.add(pat("a/**", "a/**"));
        let b = t.add(pat("/b//*", "b/*"));
        let c = t.add_again(a);
        assert_eq!(t.text, "a/**/b//*b/*");
        let read = |t: &Texts, i| {
            t.pat(i)
                .map(|p| (p.source.to_owned(), p.canonical.to_owned()))
        };
        let want = |s: &str, c: &str| Some((s.to_owned(), c.to_owned()));
        assert_eq!(read(&t, a), want("a/**", "a/**"));
        assert_eq!(read(&t, b), want("/b//*", "b/*"));
        assert_eq!(read(&t, c), want("a/**", "a/**"));
        assert_eq!(read(&t, 3), None);

        let (text, spans) = t.parts();
        let back = Texts::from_parts(text.to_owned(), &spans).expect("well-formed");
        for i in 0..3 {
            assert_eq!(read(&back, i), read(&t, i));
        }
        for bad in [[9, 4, SAME], [0, 13, SAME], [4, 5, 9]] {
            assert!(
                Texts::from_parts(text.to_owned(), &[bad]).is_none(),
                "{bad:?}"
            );
        }
    }
}
