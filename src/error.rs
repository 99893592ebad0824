//! [`GroupgateError`]: what the engine throws when its own configuration
//! (rules, state, options) is invalid. Invalid *requests* are never errors:
//! they are verdicts (see [`crate::verdict`]).

use crate::verdict::Issue;

/// An error carrying every issue found, each with a code and JSON-pointer path.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct GroupgateError {
    /// Every problem found, each at its JSON Pointer (never empty).
    pub issues: Vec<Issue>,
}

/// Reads JSON text (as `JSON.stringify` writes it, floats read exactly);
/// text that is not JSON is a `type` error at `path`.
pub fn from_json(text: &str, path: &str) -> Result<serde_json::Value, GroupgateError> {
    crate::json::exact::from_str(text).map_err(|e| {
        GroupgateError::one(
            path,
            "type",
            format!("the value cannot be read as JSON: {e}"),
        )
    })
}

impl GroupgateError {
    /// An error of several issues (at least one), listed as a verdict
    /// lists them: past [`crate::verdict::ISSUES_PER_CODE`] of one code,
    /// one summary issue counts the rest (100,000 bad catalog entries
    /// would otherwise make 100,000 issue objects in JavaScript).
    pub fn new(issues: Vec<Issue>) -> Self {
        debug_assert!(!issues.is_empty());
        GroupgateError {
            issues: crate::verdict::capped(issues),
        }
    }

    /// An error of one issue.
    pub fn one(path: impl Into<String>, code: &'static str, message: impl Into<String>) -> Self {
        GroupgateError {
            issues: vec![Issue::new(path, code, message)],
        }
    }

    /// The code of the first issue.
    pub fn code(&self) -> &'static str {
        self.issues.first().map_or("error", |i| i.code)
    }
}

impl std::fmt::Display for GroupgateError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self.issues.as_slice() {
            [] => f.write_str("groupgate error"),
            [one] => write!(f, "{one}"),
            // A summary issue stands for the `omitted` issues it counts.
            [first, rest @ ..] => {
                let more: usize = rest.iter().map(|i| i.omitted.unwrap_or(1)).sum();
                write!(f, "{first} (and {more} more)")
            }
        }
    }
}

impl std::error::Error for GroupgateError {}

// Each layer converts its own error shape into an [`Issue`] next to that
// shape (`glob/error.rs`, `schema/mod.rs`): this module knows none of them.

impl From<Issue> for GroupgateError {
    fn from(issue: Issue) -> GroupgateError {
        GroupgateError {
            issues: vec![issue],
        }
    }
}
