//! [`GroupgateError`]: what the engine throws when its own configuration
//! (rules, state, options) is invalid. Invalid *requests* are never errors:
//! they are verdicts (see [`crate::verdict`]).

use crate::glob::{GlobError, PathErrorKind};
use crate::schema::SchemaError;
use crate::verdict::Issue;

/// An error carrying every issue found, each with a code and JSON-pointer path.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct GroupgateError {
    /// Every problem found, each at its JSON Pointer (never empty).
    pub issues: Vec<Issue>,
}

impl GroupgateError {
    /// An error of several issues (at least one).
    pub fn new(issues: Vec<Issue>) -> Self {
        debug_assert!(!issues.is_empty());
        GroupgateError { issues }
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
            [first, rest @ ..] => write!(f, "{first} (and {} more)", rest.len()),
        }
    }
}

impl std::error::Error for GroupgateError {}

// Conversions of the layers' own error shapes into an [`Issue`] at the
// value's own root (path `""`): the caller re-roots it with
// `crate::json::pointer::reroot`, so call sites stop converting by hand.

impl From<GlobError> for Issue {
    fn from(e: GlobError) -> Issue {
        Issue::new("", e.code(), e.message_at(0))
    }
}

impl From<PathErrorKind> for Issue {
    fn from(k: PathErrorKind) -> Issue {
        Issue::new("", k.code(), k.message())
    }
}

impl From<SchemaError> for Issue {
    fn from(e: SchemaError) -> Issue {
        Issue::new(e.path, e.code, e.detail)
    }
}

impl From<Issue> for GroupgateError {
    fn from(issue: Issue) -> GroupgateError {
        GroupgateError {
            issues: vec![issue],
        }
    }
}
