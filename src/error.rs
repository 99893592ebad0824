//! [`GroupgateError`]: what the engine throws when its own configuration
//! (rules, state, options) is invalid. Invalid *requests* are never errors:
//! they are verdicts (see [`crate::verdict`]).

use crate::verdict::Issue;

/// An error carrying every issue found, each with a code and JSON-pointer path.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct GroupgateError {
    pub issues: Vec<Issue>,
}

impl GroupgateError {
    pub fn new(issues: Vec<Issue>) -> Self {
        debug_assert!(!issues.is_empty());
        GroupgateError { issues }
    }

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
