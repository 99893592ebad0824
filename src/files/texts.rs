//! The text of every rule pattern of a policy (as written and canonical),
//! in one string with spans: two allocations for the whole policy rather
//! than two per pattern, and a snapshot loads them with one copy and one
//! UTF-8 check.

/// A pattern's text: `source` then `canonical`, back to back at `at`.
#[derive(Debug, Clone, Copy)]
pub(super) struct Span {
    at: u32,
    source: u32,
    canonical: u32,
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
    /// Adds one rule's patterns.
    pub(super) fn push<'p>(&mut self, pats: impl IntoIterator<Item = Pat<'p>>) -> Patterns {
        let first = self.spans.len() as u32;
        for p in pats {
            self.spans.push(Span {
                at: self.text.len() as u32,
                source: p.source.len() as u32,
                canonical: p.canonical.len() as u32,
            });
            self.text.push_str(p.source);
            self.text.push_str(p.canonical);
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
        let s = self.spans.get(pats.first as usize + i)?;
        let (a, m) = (s.at as usize, s.at as usize + s.source as usize);
        let e = m + s.canonical as usize;
        Some(Pat {
            source: self.text.get(a..m).unwrap_or(""),
            canonical: self.text.get(m..e).unwrap_or(""),
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

    /// The text and the spans as `(at, source, canonical)` lengths, for
    /// snapshots (read back flat: three `u32`s a span).
    pub(super) fn parts(&self) -> (&str, impl Iterator<Item = [u32; 3]> + '_) {
        let spans = self.spans.iter().map(|s| [s.at, s.source, s.canonical]);
        (&self.text, spans)
    }

    /// From parts read back from a snapshot: every span must lie in the
    /// text and cut it at character boundaries.
    pub(super) fn from_parts(text: String, spans: &[u32]) -> Option<Texts> {
        let cut = |i: u64| i <= text.len() as u64 && text.is_char_boundary(i as usize);
        let mut out = Vec::with_capacity(spans.len() / 3);
        for s in spans.chunks_exact(3) {
            let (at, source, canonical) = (s[0], s[1], s[2]);
            let m = u64::from(at) + u64::from(source);
            if !(cut(u64::from(at)) && cut(m) && cut(m + u64::from(canonical))) {
                return None;
            }
            out.push(Span {
                at,
                source,
                canonical,
            });
        }
        Some(Texts { text, spans: out })
    }
}
