//! Validation results: [`Issue`], [`Verdict`] and the [`Report`] that
//! validators fill in.
//!
//! A verdict is a value, never an exception: invalid *data* is described,
//! with every body error at once, and the HTTP status the server would answer.

use serde::Serialize;
use serde_json::Value;

/// One finding: where (`path`, a JSON Pointer into the request), what
/// (`code`, a stable machine string), how bad (`severity`) and the human
/// text (`message`); glob errors also say where in the glob (`position`).
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Issue {
    /// A JSON Pointer into the request (or the engine's input).
    pub path: String,
    /// A stable machine string (see README "Codes").
    pub code: &'static str,
    /// Human text.
    pub message: String,
    /// How bad it is.
    pub severity: Severity,
    /// The byte offset in the string at `path` (glob errors: counted in the
    /// whole `patterns` string).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub position: Option<usize>,
}

/// How bad an [`Issue`] is: an error refuses (or is thrown), a warning
/// accompanies an accepted request, a lint finding (codes `lint.*`) points
/// at a rule that does not do what it seems to.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Severity {
    /// Refuses the request (in a verdict) or is thrown.
    Error,
    /// Accompanies an accepted request.
    Warning,
    /// A `lint.*` finding about a rule.
    Lint,
}

impl Issue {
    /// An error, or a lint finding when the code is `lint.*`.
    pub fn new(path: impl Into<String>, code: &'static str, message: impl Into<String>) -> Self {
        Issue {
            path: path.into(),
            code,
            message: message.into(),
            severity: if code.starts_with("lint.") {
                Severity::Lint
            } else {
                Severity::Error
            },
            position: None,
        }
    }

    /// The same issue as a warning (a lint finding stays one).
    pub fn warning(mut self) -> Self {
        if self.severity == Severity::Error {
            self.severity = Severity::Warning;
        }
        self
    }

    /// The same issue with the byte offset it points at.
    pub fn at_byte(mut self, position: Option<usize>) -> Self {
        self.position = position;
        self
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
/// status is the one of the highest-ranked failure present (the smallest).
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum FailureRank {
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

/// SPEC §3's order of failures: the default of [`Report::in_order`]. A
/// dialect whose server checks in another order lists its own.
pub const SPEC_ORDER: &[FailureRank] = &[
    FailureRank::CallerForbidden,
    FailureRank::NotFound,
    FailureRank::OtherWorkspace,
    FailureRank::BadRequest,
    FailureRank::Conflict,
];

/// The old name of [`FailureRank`], kept for existing call sites.
pub type Class = FailureRank;

impl FailureRank {
    /// The HTTP status a failure of this rank answers.
    pub fn status(self) -> u16 {
        match self {
            FailureRank::CallerForbidden | FailureRank::OtherWorkspace => 403,
            FailureRank::NotFound => 404,
            FailureRank::BadRequest => 400,
            FailureRank::Conflict => 409,
        }
    }
}

/// The number of errors a [`Report`] held at some point: a step asks
/// [`Report::failed_since`] whether it added any (instead of counting
/// errors before and after by hand).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Checkpoint(usize);

/// The result of a validation (SPEC §3).
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Verdict {
    /// True when there is no error.
    pub ok: bool,
    /// The HTTP status the server would answer.
    pub status: u16,
    /// Every error, each at its pointer.
    pub errors: Vec<Issue>,
    /// Findings that do not fail the request.
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
    /// Every check ran (`skipped` is empty): `ok && complete` is the
    /// answer the server would give; `ok` alone may rest on missing context.
    pub complete: bool,
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
    errors: Vec<(FailureRank, Issue)>,
    warnings: Vec<Issue>,
    skipped: Vec<&'static str>,
    /// The limits the input is read under (SPEC §4).
    limits: crate::limits::Limits,
    /// Which failure decides the status: the first of this order present
    /// (`None`: [`SPEC_ORDER`]).
    order: Option<&'static [FailureRank]>,
}

impl Report {
    /// A report under the default limits.
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

    /// The same report, its status decided by the first failure of `order`
    /// present (the product's own order, as data; a rank missing from it
    /// comes after all of it).
    pub fn in_order(mut self, order: &'static [FailureRank]) -> Self {
        self.order = Some(order);
        self
    }

    /// The limits the input is read under.
    pub fn limits(&self) -> crate::limits::Limits {
        self.limits
    }

    /// Records an error of the given class.
    pub fn error(
        &mut self,
        class: FailureRank,
        path: impl Into<String>,
        code: &'static str,
        message: impl Into<String>,
    ) {
        self.errors.push((class, Issue::new(path, code, message)));
    }

    /// Records a 400 error (the common case).
    pub fn bad(&mut self, path: impl Into<String>, code: &'static str, message: impl Into<String>) {
        self.error(FailureRank::BadRequest, path, code, message);
    }

    /// Records an existing issue with the given class.
    pub fn push(&mut self, class: FailureRank, issue: Issue) {
        self.errors.push((class, issue));
    }

    /// Records a warning (never fails the request).
    pub fn warn(
        &mut self,
        path: impl Into<String>,
        code: &'static str,
        message: impl Into<String>,
    ) {
        self.warnings
            .push(Issue::new(path, code, message).warning());
    }

    /// Notes that a check was skipped for lack of context (deduplicated).
    pub fn skip(&mut self, check: &'static str) {
        if !self.skipped.contains(&check) {
            self.skipped.push(check);
        }
    }

    /// Marks the errors so far; see [`Report::failed_since`].
    pub fn checkpoint(&self) -> Checkpoint {
        Checkpoint(self.errors.len())
    }

    /// True when an error was recorded after `mark` was taken.
    pub fn failed_since(&self, mark: Checkpoint) -> bool {
        self.errors.len() > mark.0
    }

    /// True when any error was recorded.
    pub fn has_errors(&self) -> bool {
        !self.errors.is_empty()
    }

    /// True when an error of this class was recorded.
    pub fn has(&self, class: FailureRank) -> bool {
        self.errors.iter().any(|(c, _)| *c == class)
    }

    /// The errors so far.
    pub fn errors(&self) -> impl Iterator<Item = &Issue> {
        self.errors.iter().map(|(_, i)| i)
    }

    /// Finishes the report. `success` is the status when there is no error
    /// ([`crate::dialects::Op::success`]); `next` and `changes` are dropped when the
    /// request fails, since the server would not apply it.
    pub fn finish(self, success: u16, next: Option<Value>, changes: Option<Value>) -> Verdict {
        let order = self.order.unwrap_or(SPEC_ORDER);
        let rank = |c: FailureRank| order.iter().position(|o| *o == c).unwrap_or(order.len());
        let first = self
            .errors
            .iter()
            .map(|(c, _)| *c)
            .min_by_key(|c| (rank(*c), *c));
        let ok = first.is_none();
        Verdict {
            ok,
            status: first.map_or(success, FailureRank::status),
            errors: self.errors.into_iter().map(|(_, i)| i).collect(),
            warnings: self.warnings,
            next: if ok { next } else { None },
            changes: if ok { changes } else { None },
            complete: self.skipped.is_empty(),
            skipped: self.skipped,
            response: None,
        }
    }
}

/// JSON Pointer building lives in [`crate::json::pointer`]; kept here for
/// existing `use crate::verdict::ptr` lines.
pub use crate::json::pointer::ptr;

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn status_is_first_class_in_spec_order() {
        let cases: &[(&[FailureRank], u16)] = &[
            (&[], 200),
            (&[FailureRank::Conflict, FailureRank::BadRequest], 400),
            (&[FailureRank::BadRequest, FailureRank::OtherWorkspace], 403),
            (&[FailureRank::OtherWorkspace, FailureRank::NotFound], 404),
            (&[FailureRank::NotFound, FailureRank::CallerForbidden], 403),
            (&[FailureRank::Conflict], 409),
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
    fn a_product_order_decides_instead_of_the_spec_one() {
        const ORDER: &[FailureRank] = &[FailureRank::BadRequest, FailureRank::CallerForbidden];
        let mut r = Report::new().in_order(ORDER);
        r.error(FailureRank::CallerForbidden, "", "forbidden", "x");
        r.bad("/body/name", "required", "x");
        r.error(FailureRank::Conflict, "/body/name", "already_exists", "x");
        assert_eq!(r.finish(200, None, None).status, 400);
        let mut r = Report::new().in_order(ORDER);
        r.error(FailureRank::Conflict, "/body/name", "already_exists", "x");
        r.error(FailureRank::NotFound, "/id", "not_found", "x");
        assert_eq!(
            r.finish(200, None, None).status,
            404,
            "ranks outside the order keep SPEC order among themselves"
        );
    }

    #[test]
    fn a_checkpoint_sees_only_later_errors() {
        let mut r = Report::new();
        r.bad("/a", "x", "x");
        let mark = r.checkpoint();
        assert!(!r.failed_since(mark));
        r.warn("/b", "w", "w");
        assert!(!r.failed_since(mark), "warnings are not failures");
        r.bad("/c", "x", "x");
        assert!(r.failed_since(mark));
    }

    #[test]
    fn issues_say_their_severity_and_verdicts_whether_complete() {
        let mut r = Report::new();
        r.bad("/body/a", "enum", "bad");
        r.warn("/body/b", "cleared", "cleared");
        r.warn("/body/c", "lint.dead", "dead");
        r.skip("caller");
        let v = serde_json::to_value(r.finish(200, None, None)).unwrap();
        assert_eq!(v["errors"][0]["severity"], "error");
        assert_eq!(v["warnings"][0]["severity"], "warning");
        assert_eq!(v["warnings"][1]["severity"], "lint");
        assert_eq!(v["complete"], false);
        assert!(v["errors"][0].get("position").is_none());
        let glob = Issue::new("/pattern", "glob.x", "m").at_byte(Some(3));
        assert_eq!(serde_json::to_value(glob).unwrap()["position"], 3);
        assert!(Report::new().finish(200, None, None).complete);
    }

    #[test]
    fn pointer_tokens_are_escaped() {
        assert_eq!(ptr("/body", "a/b~c"), "/body/a~1b~0c");
        assert_eq!(ptr("", 3), "/3");
    }
}
