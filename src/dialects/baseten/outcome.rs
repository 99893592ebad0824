//! A baseten verdict whose `changes` are not rendered yet, and its two
//! renderings: the Rust API's `Verdict` and the package's JSON text.

use crate::baseten::Changes;
use crate::verdict::Verdict;

/// A verdict whose `changes` are not rendered yet: as a `Value`
/// ([`Outcome::verdict`]) or straight into the verdict's JSON text
/// ([`Outcome::into_json`]).
pub(in crate::dialects) struct Outcome<'w> {
    pub(super) verdict: Verdict,
    pub(super) changes: Option<Changes<'w>>,
}

impl Outcome<'_> {
    /// Renders `changes` now, so that the workspace may change afterwards.
    pub(crate) fn render(self) -> Rendered {
        let changes = self.changes.map(|c| {
            let mut text = Vec::new();
            c.write_json(&mut text);
            text
        });
        Rendered {
            verdict: self.verdict,
            changes,
        }
    }

    pub(crate) fn verdict(self) -> Verdict {
        self.render().into_verdict()
    }

    pub(crate) fn into_json(self) -> String {
        self.render().to_json()
    }
}

/// A verdict with its `changes` as JSON text (`verdict.changes` is `null`
/// in their place while ok).
pub(crate) struct Rendered {
    pub(crate) verdict: Verdict,
    changes: Option<Vec<u8>>,
}

impl Rendered {
    /// The verdict, `changes` read back from their text.
    pub(crate) fn into_verdict(self) -> Verdict {
        let mut v = self.verdict;
        if v.changes.is_some() {
            v.changes = self
                .changes
                // Read as text: the crate's one JSON text reader (a
                // slice reader would be a second copy of the parser).
                .and_then(|t| String::from_utf8(t).ok())
                .and_then(|t| crate::json::exact::from_str(&t).ok());
        }
        v
    }

    /// The verdict as JSON text, the `changes` text spliced in.
    pub(crate) fn to_json(&self) -> String {
        let text = serde_json::to_string(&self.verdict).unwrap_or_default();
        // `changes` is `null` in `self.verdict` when present: its member is
        // the last `"changes":null` of the text (members after it are
        // `skipped` strings and `complete`; quotes inside strings are escaped).
        const HOLE: &str = "\"changes\":null";
        // Searched only when there are changes to splice in: a create's
        // verdict has none, and its text can be 35 MB (a root of 100,000
        // models with limits), which the search read whole.
        let (Some(c), true) = (&self.changes, self.verdict.changes.is_some()) else {
            return text;
        };
        let Some(at) = crate::substr::rfind(&text, HOLE) else {
            return text;
        };
        let mut out = Vec::with_capacity(text.len() + c.len());
        out.extend_from_slice(&text.as_bytes()[..at + HOLE.len() - 4]);
        out.extend_from_slice(c);
        out.extend_from_slice(&text.as_bytes()[at + HOLE.len()..]);
        // serde_json and the changes writer write UTF-8, and the cuts are
        // at ASCII bytes.
        String::from_utf8(out).unwrap_or_default()
    }
}
