//! Validation results: [`Issue`], [`Verdict`] and the [`Report`] that
//! validators fill in.
//!
//! A verdict is a value, never an exception: invalid *data* is described,
//! with every body error at once, and the HTTP status the server would answer.

use serde::Serialize;
use serde_json::Value;

/// One finding: where (`path`, a JSON Pointer into the request), what
/// (`code`, a stable machine string) and the human text (`message`).
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Issue {
    pub path: String,
    pub code: &'static str,
    pub message: String,
}

impl Issue {
    pub fn new(path: impl Into<String>, code: &'static str, message: impl Into<String>) -> Self {
        Issue {
            path: path.into(),
            code,
            message: message.into(),
        }
    }
}

impl std::fmt::Display for Issue {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        if self.path.is_empty() {
            write!(f, "{} ({})", self.message, self.code)
        } else {
            write!(f, "{}: {} ({})", self.path, self.message, self.code)
        }
    }
}

/// Why a request fails, in the order SPEC §3 ranks them: the verdict's
/// status is the one of the first class present.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Class {
    /// 403: the caller lacks the permission.
    CallerForbidden,
    /// 404: the target is missing or deleted.
    NotFound,
    /// 403: the target lives in another workspace.
    OtherWorkspace,
    /// 400: the body (or params) is invalid.
    BadRequest,
    /// 409: a conflict with existing state (duplicate name, …).
    Conflict,
}

impl Class {
    pub fn status(self) -> u16 {
        match self {
            Class::CallerForbidden | Class::OtherWorkspace => 403,
            Class::NotFound => 404,
            Class::BadRequest => 400,
            Class::Conflict => 409,
        }
    }
}

/// The result of a validation (SPEC §3).
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Verdict {
    pub ok: bool,
    pub status: u16,
    pub errors: Vec<Issue>,
    pub warnings: Vec<Issue>,
    /// The resource as the server would return it after the change.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub next: Option<Value>,
    /// What the change does beyond the resource itself.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub changes: Option<Value>,
    /// Checks that could not run because the context lacked what they need
    /// (for example `"caller"` without `context.caller`).
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub skipped: Vec<&'static str>,
    /// The server's own response body, where it differs from `next` (for
    /// example Apinizer's `{"success": true}`); only on an accepted request.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub response: Option<Value>,
}

impl Verdict {
    /// Sets [`Verdict::response`] when the request is accepted (a refused
    /// request gets the error, not the success body).
    pub fn with_response(mut self, body: Value) -> Self {
        if self.ok {
            self.response = Some(body);
        }
        self
    }
}

/// Collects issues while a validator runs, then becomes a [`Verdict`].
#[derive(Debug, Default)]
pub struct Report {
    errors: Vec<(Class, Issue)>,
    warnings: Vec<Issue>,
    skipped: Vec<&'static str>,
    /// The limits the input is read under (SPEC §4).
    limits: crate::limits::Limits,
}

impl Report {
    pub fn new() -> Self {
        Self::default()
    }

    /// A report whose readers apply `limits` (string length, paths, globs).
    pub fn with_limits(limits: crate::limits::Limits) -> Self {
        Report {
            limits,
            ..Self::default()
        }
    }

    /// The limits the input is read under.
    pub fn limits(&self) -> crate::limits::Limits {
        self.limits
    }

    /// Records an error of the given class.
    pub fn error(
        &mut self,
        class: Class,
        path: impl Into<String>,
        code: &'static str,
        message: impl Into<String>,
    ) {
        self.errors.push((class, Issue::new(path, code, message)));
    }

    /// Records a 400 error (the common case).
    pub fn bad(&mut self, path: impl Into<String>, code: &'static str, message: impl Into<String>) {
        self.error(Class::BadRequest, path, code, message);
    }

    /// Records an existing issue with the given class.
    pub fn push(&mut self, class: Class, issue: Issue) {
        self.errors.push((class, issue));
    }

    pub fn warn(
        &mut self,
        path: impl Into<String>,
        code: &'static str,
        message: impl Into<String>,
    ) {
        self.warnings.push(Issue::new(path, code, message));
    }

    /// Notes that a check was skipped for lack of context (deduplicated).
    pub fn skip(&mut self, check: &'static str) {
        if !self.skipped.contains(&check) {
            self.skipped.push(check);
        }
    }

    pub fn has_errors(&self) -> bool {
        !self.errors.is_empty()
    }

    /// True when an error of this class was recorded.
    pub fn has(&self, class: Class) -> bool {
        self.errors.iter().any(|(c, _)| *c == class)
    }

    pub fn errors(&self) -> impl Iterator<Item = &Issue> {
        self.errors.iter().map(|(_, i)| i)
    }

    /// Finishes the report. `success` is the status when there is no error
    /// ([`crate::dialects::Op::success`]); `next` and `changes` are dropped when the
    /// request fails, since the server would not apply it.
    pub fn finish(self, success: u16, next: Option<Value>, changes: Option<Value>) -> Verdict {
        let first = self.errors.iter().map(|(c, _)| *c).min();
        let ok = first.is_none();
        Verdict {
            ok,
            status: first.map_or(success, Class::status),
            errors: self.errors.into_iter().map(|(_, i)| i).collect(),
            warnings: self.warnings,
            next: if ok { next } else { None },
            changes: if ok { changes } else { None },
            skipped: self.skipped,
            response: None,
        }
    }
}

/// Appends one reference token to a JSON Pointer, escaping `~` and `/`
/// (RFC 6901).
pub fn ptr(base: &str, token: impl std::fmt::Display) -> String {
    let token = token.to_string();
    let mut out = String::with_capacity(base.len() + token.len() + 1);
    out.push_str(base);
    out.push('/');
    for c in token.chars() {
        match c {
            '~' => out.push_str("~0"),
            '/' => out.push_str("~1"),
            c => out.push(c),
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn status_is_first_class_in_spec_order() {
        let cases: &[(&[Class], u16)] = &[
            (&[], 200),
            (&[Class::Conflict, Class::BadRequest], 400),
            (&[Class::BadRequest, Class::OtherWorkspace], 403),
            (&[Class::OtherWorkspace, Class::NotFound], 404),
            (&[Class::NotFound, Class::CallerForbidden], 403),
            (&[Class::Conflict], 409),
        ];
        for (classes, status) in cases {
            let mut r = Report::new();
            for c in *classes {
                r.error(*c, "", "x", "x");
            }
            let v = r.finish(200, Some(Value::Null), None);
            assert_eq!(v.status, *status, "{classes:?}");
            assert_eq!(v.ok, classes.is_empty());
            assert_eq!(v.next.is_some(), classes.is_empty());
            assert_eq!(v.errors.len(), classes.len(), "all errors are kept");
        }
    }

    #[test]
    fn pointer_tokens_are_escaped() {
        assert_eq!(ptr("/body", "a/b~c"), "/body/a~1b~0c");
        assert_eq!(ptr("", 3), "/3");
    }
}
