//! The text of every rule pattern of a policy (as written and canonical),
//! in one string with spans: two allocations for the whole policy rather
//! than two per pattern, and a snapshot loads them with one copy and one
//! UTF-8 check. A canonical form equal to its source (most patterns) is
//! not stored again: its span is the source's.

/// A pattern's text: the source's start and end in the text, then the
/// canonical form's (plain numbers, so a snapshot loads them in one copy).
type Span = [u32; 4];

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
    /// Adds one rule's patterns.
    pub(super) fn push<'p>(&mut self, pats: impl IntoIterator<Item = Pat<'p>>) -> Patterns {
        let first = self.spans.len() as u32;
        for p in pats {
            let at = self.text.len() as u32;
            self.text.push_str(p.source);
            let end = self.text.len() as u32;
            if p.canonical != p.source {
                self.text.push_str(p.canonical);
            }
            let (c_at, c_end) = match p.canonical == p.source {
                true => (at, end),
                false => (end, self.text.len() as u32),
            };
            self.spans.push([at, end, c_at, c_end]);
        }
        Patterns {
            first,
            len: self.spans.len() as u32 - first,
        }
    }

    /// Pattern `i` of `pats`. Spans are checked when made or loaded; a
    /// bad one would read as empty text, never panic.
    pub(super) fn get(&self, pats: Patterns, i: usize) -> Option<Pat<'_>> {
        if i >= pats.len() {
            return None;
        }
        let &[a, b, c, d] = self.spans.get(pats.first as usize + i)?;
        let text = |lo: u32, hi: u32| self.text.get(lo as usize..hi as usize).unwrap_or("");
        Some(Pat {
            source: text(a, b),
            canonical: text(c, d),
        })
    }

    /// The patterns of `pats`, in order.
    pub(super) fn of(&self, pats: Patterns) -> impl Iterator<Item = Pat<'_>> + Clone {
        (0..pats.len()).filter_map(move |i| self.get(pats, i))
    }

    /// Is `pats` a range of spans held here?
    pub(super) fn holds(&self, pats: Patterns) -> bool {
        (pats.first as usize)
            .checked_add(pats.len())
            .is_some_and(|end| end <= self.spans.len())
    }

    /// The text and the spans, for snapshots.
    pub(super) fn parts(&self) -> (&str, &[Span]) {
        (&self.text, &self.spans)
    }

    /// From parts read back from a snapshot: every span must lie in the
    /// text, in order, and cut it at character boundaries.
    pub(super) fn from_parts(text: String, spans: Vec<Span>) -> Option<Texts> {
        let b = text.as_bytes();
        // A UTF-8 continuation byte is 0b10xx_xxxx; the end is a boundary.
        let cut = |i: u32| b.get(i as usize).is_none_or(|&c| (c as i8) >= -0x40);
        let len = b.len() as u64;
        let mut i = 0;
        while let Some(&[s0, s1, c0, c1]) = spans.get(i) {
            let ok = s0 <= s1 && c0 <= c1 && u64::from(s1.max(c1)) <= len;
            if !(ok && cut(s0) && cut(s1) && cut(c0) && cut(c1)) {
                return None;
            }
            i += 1;
        }
        Some(Texts { text, spans })
    }
}
