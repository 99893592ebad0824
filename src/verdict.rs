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
    /// On the one summary issue that ends a long run of one code: how many
    /// more issues of that code the verdict does not list (see
    /// [`ISSUES_PER_CODE`]).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub omitted: Option<usize>,
}

/// A verdict lists at most this many errors, and this many warnings, of one
/// code; the rest are counted in one summary issue (`omitted`). Why: one
/// issue costs a few hundred bytes, so a request of 100,000 failing items
/// would otherwise cost more memory than the request itself, and no reader
/// (form, CI log) needs the 101st identical finding to act.
pub const ISSUES_PER_CODE: usize = 100;

/// `issues` listed as a verdict lists them: at most [`ISSUES_PER_CODE`] of
/// one code and severity, then one summary issue counting the rest (a list
/// already capped comes back the same).
pub fn capped(issues: Vec<Issue>) -> Vec<Issue> {
    if issues.len() <= ISSUES_PER_CODE {
        return issues;
    }
    let mut r = Report::new();
    for issue in issues {
        r.push(FailureRank::BadRequest, issue);
    }
    r.into_issues()
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
            omitted: None,
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
    /// Issues per (code, severity), listed or not ([`ISSUES_PER_CODE`]).
    tallies: Vec<Tally>,
    /// Every error recorded, listed or not.
    error_count: usize,
    /// The ranks of the errors that are counted but not listed.
    omitted_ranks: Vec<FailureRank>,
}

/// How many issues of one code and severity a [`Report`] saw; past the
/// cap only the count and the first unlisted pointer are kept.
#[derive(Debug)]
struct Tally {
    code: &'static str,
    severity: Severity,
    seen: usize,
    first_omitted: String,
}

impl Report {
    /// True when the issue is to be listed; counts it either way.
    fn listed(&mut self, issue: &Issue) -> bool {
        let i = match self
            .tallies
            .iter()
            .position(|t| t.code == issue.code && t.severity == issue.severity)
        {
            Some(i) => i,
            None => {
                self.tallies.push(Tally {
                    code: issue.code,
                    severity: issue.severity,
                    seen: 0,
                    first_omitted: String::new(),
                });
                self.tallies.len() - 1
            }
        };
        let t = &mut self.tallies[i];
        // Another report's summary (a nested check, an engine error carried
        // into a verdict) brings its count, and is itself not listed.
        let (n, summary) = issue.omitted.map_or((1, false), |n| (n, true));
        if t.seen < ISSUES_PER_CODE + 1 && (summary || t.seen == ISSUES_PER_CODE) {
            t.first_omitted = issue.path.clone();
        }
        t.seen += n;
        !summary && t.seen <= ISSUES_PER_CODE
    }

    /// The summary issue of each code past the cap, of one severity list.
    fn summaries(&self, errors: bool) -> impl Iterator<Item = Issue> + '_ {
        self.tallies
            .iter()
            .filter(move |t| t.seen > ISSUES_PER_CODE && (t.severity == Severity::Error) == errors)
            .map(|t| {
                let n = t.seen - ISSUES_PER_CODE;
                Issue {
                    path: t.first_omitted.clone(),
                    code: t.code,
                    message: format!(
                        "{n} more issues of code {}, from this one on, are not listed (at most {ISSUES_PER_CODE} of a code are)",
                        t.code
                    ),
                    severity: t.severity,
                    position: None,
                    omitted: Some(n),
                }
            })
    }
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
        self.push(class, Issue::new(path, code, message));
    }

    /// Records a 400 error (the common case).
    pub fn bad(&mut self, path: impl Into<String>, code: &'static str, message: impl Into<String>) {
        self.error(FailureRank::BadRequest, path, code, message);
    }

    /// Records a 400 error of `code`, worded by `issue` only if the report
    /// keeps its words: past [`ISSUES_PER_CODE`] of the code (and the first
    /// unlisted one, whose path the summary names) it is counted, not
    /// worded (a pointer and a message each: 500,000 refused globs spent
    /// half a second on words no one reads; atk22).
    pub fn bad_lazy(&mut self, code: &'static str, issue: impl FnOnce() -> Issue) {
        let tally = self
            .tallies
            .iter_mut()
            .find(|t| t.code == code && t.severity == Severity::Error);
        match tally {
            Some(t) if t.seen > ISSUES_PER_CODE => {
                t.seen += 1;
                self.error_count += 1;
                if !self.omitted_ranks.contains(&FailureRank::BadRequest) {
                    self.omitted_ranks.push(FailureRank::BadRequest);
                }
            }
            _ => self.push(FailureRank::BadRequest, issue()),
        }
    }

    /// Records an existing issue with the given class.
    pub fn push(&mut self, class: FailureRank, issue: Issue) {
        self.error_count += 1;
        if self.listed(&issue) {
            self.errors.push((class, issue));
        } else if !self.omitted_ranks.contains(&class) {
            self.omitted_ranks.push(class);
        }
    }

    /// Records a warning (never fails the request).
    pub fn warn(
        &mut self,
        path: impl Into<String>,
        code: &'static str,
        message: impl Into<String>,
    ) {
        self.note(Issue::new(path, code, message));
    }

    /// Records an existing issue as a warning (a lint finding stays one).
    pub fn note(&mut self, issue: Issue) {
        let issue = issue.warning();
        if self.listed(&issue) {
            self.warnings.push(issue);
        }
    }

    /// Notes that a check was skipped for lack of context (deduplicated).
    pub fn skip(&mut self, check: &'static str) {
        if !self.skipped.contains(&check) {
            self.skipped.push(check);
        }
    }

    /// Marks the errors so far; see [`Report::failed_since`].
    pub fn checkpoint(&self) -> Checkpoint {
        Checkpoint(self.error_count)
    }

    /// True when an error was recorded after `mark` was taken.
    pub fn failed_since(&self, mark: Checkpoint) -> bool {
        self.error_count > mark.0
    }

    /// True when any error was recorded.
    pub fn has_errors(&self) -> bool {
        self.error_count > 0
    }

    /// True when an error of this class was recorded.
    pub fn has(&self, class: FailureRank) -> bool {
        self.omitted_ranks.contains(&class) || self.errors.iter().any(|(c, _)| *c == class)
    }

    /// The errors listed so far (see [`ISSUES_PER_CODE`]; tests read them).
    #[cfg(test)]
    pub fn errors(&self) -> impl Iterator<Item = &Issue> {
        self.errors.iter().map(|(_, i)| i)
    }

    /// Every issue recorded, as a thrown [`crate::GroupgateError`] lists
    /// them: those listed, then one summary per code past the cap (see
    /// [`ISSUES_PER_CODE`]).
    pub fn into_issues(mut self) -> Vec<Issue> {
        let mut issues: Vec<Issue> = std::mem::take(&mut self.errors)
            .into_iter()
            .map(|(_, i)| i)
            .collect();
        issues.extend(self.summaries(true));
        issues.extend(self.summaries(false));
        issues
    }

    /// Finishes the report. `success` is the status when there is no error
    /// ([`crate::dialects::Op::success`]); `next` and `changes` are dropped when the
    /// request fails, since the server would not apply it.
    pub fn finish(mut self, success: u16, next: Option<Value>, changes: Option<Value>) -> Verdict {
        let order = self.order.unwrap_or(SPEC_ORDER);
        let rank = |c: FailureRank| order.iter().position(|o| *o == c).unwrap_or(order.len());
        let first = self
            .errors
            .iter()
            .map(|(c, _)| *c)
            .chain(self.omitted_ranks.iter().copied())
            .min_by_key(|c| (rank(*c), *c));
        let ok = first.is_none();
        let mut errors: Vec<Issue> = std::mem::take(&mut self.errors)
            .into_iter()
            .map(|(_, i)| i)
            .collect();
        errors.extend(self.summaries(true));
        let mut warnings = std::mem::take(&mut self.warnings);
        warnings.extend(self.summaries(false));
        Verdict {
            ok,
            status: first.map_or(success, FailureRank::status),
            errors,
            warnings,
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
    fn a_long_run_of_one_code_is_listed_up_to_the_cap_then_counted() {
        let mut r = Report::new();
        let mark = r.checkpoint();
        for i in 0..ISSUES_PER_CODE + 50 {
            r.error(FailureRank::Conflict, format!("/body/a/{i}"), "enum", "bad");
            r.warn(format!("/body/w/{i}"), "duplicate", "twice");
        }
        let past = r.checkpoint();
        // An unlisted error still fails a step and still ranks the status.
        r.error(FailureRank::NotFound, "/body/a/x", "enum", "bad");
        assert!(r.failed_since(past) && r.failed_since(mark));
        assert!(r.has(FailureRank::NotFound));
        r.bad("/body/b", "type", "other code, listed");
        let v = r.finish(200, None, None);
        assert_eq!((v.ok, v.status, v.complete), (false, 404, true));
        assert_eq!(v.errors[0].path, "/body/a/0", "the first error stays first");
        assert_eq!(v.errors.len(), ISSUES_PER_CODE + 2);
        assert_eq!(v.errors[ISSUES_PER_CODE].code, "type");
        let sum = v.errors.last().unwrap();
        assert_eq!((sum.code, sum.omitted), ("enum", Some(51)));
        assert_eq!(sum.path, format!("/body/a/{ISSUES_PER_CODE}"));
        let w = v.warnings.last().unwrap();
        assert_eq!(
            (w.severity, w.omitted, v.warnings.len()),
            (Severity::Warning, Some(50), ISSUES_PER_CODE + 1)
        );
        assert!(v.errors[..ISSUES_PER_CODE]
            .iter()
            .all(|i| i.omitted.is_none()));
    }

    #[test]
    fn a_summary_carried_into_another_report_keeps_its_count() {
        let mut inner = Report::new();
        for i in 0..ISSUES_PER_CODE + 40 {
            inner.bad(format!("/0/{i}"), "enum", "bad");
        }
        let mut outer = Report::new();
        outer.bad("/first", "enum", "bad");
        for issue in inner.finish(200, None, None).errors {
            outer.push(FailureRank::BadRequest, issue);
        }
        let v = outer.finish(200, None, None);
        assert_eq!(v.errors.len(), ISSUES_PER_CODE + 1);
        let sum = v.errors.last().unwrap();
        assert_eq!((sum.omitted, sum.path.as_str()), (Some(41), "/0/99"));
    }

    #[test]
    fn pointer_tokens_are_escaped() {
        assert_eq!(ptr("/body", "a/b~c"), "/body/a~1b~0c");
        assert_eq!(ptr("", 3), "/3");
    }
}
