//! A baseten verdict whose `changes` are not rendered yet, and its two
//! renderings: the Rust API's `Verdict` and the package's JSON text.

use crate::baseten::Changes;
use crate::verdict::Verdict;

/// A verdict whose `changes` are not rendered yet: as a `Value`
/// ([`Outcome::verdict`]) or straight into the verdict's JSON text
/// ([`Outcome::to_json`]).
pub(super) struct Outcome<'w> {
    pub(super) verdict: Verdict,
    pub(super) changes: Option<Changes<'w>>,
}

impl Outcome<'_> {
    pub(crate) fn verdict(self) -> Verdict {
        let mut v = self.verdict;
        if v.changes.is_some() {
            v.changes = self.changes.map(Changes::finish);
        }
        v
    }

    /// The verdict as JSON text, `changes` written without a `Value` tree.
    pub(crate) fn to_json(&self) -> String {
        let text = serde_json::to_string(&self.verdict).unwrap_or_default();
        // `changes` is `null` in `self.verdict` when present: its member is
        // the last `"changes":null` of the text (members after it are
        // `skipped` strings and `complete`; quotes inside strings are escaped).
        const HOLE: &str = "\"changes\":null";
        match (
            &self.changes,
            self.verdict.changes.is_some(),
            text.rfind(HOLE),
        ) {
            (Some(c), true, Some(at)) => {
                let mut out = Vec::with_capacity(text.len());
                out.extend_from_slice(&text.as_bytes()[..at + HOLE.len() - 4]);
                c.write_json(&mut out);
                out.extend_from_slice(&text.as_bytes()[at + HOLE.len()..]);
                // serde_json writes UTF-8, and the cuts are at ASCII bytes.
                String::from_utf8(out).unwrap_or_default()
            }
            _ => text,
        }
    }
}
