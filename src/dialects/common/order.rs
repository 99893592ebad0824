//! A product's check order as data. Each dialect names its pipeline's
//! steps and lists them in the order its server runs them (a `const ORDER`);
//! errors are tagged with the step that finds them, and the first failing
//! step of that order decides the status. Every error is still listed: a
//! form shows them all, the status is the server's.

use crate::verdict::{FailureRank, Issue, Report, ISSUES_PER_CODE};

/// Errors tagged with the step (`S`, the dialect's own step names) that
/// finds them, waiting for [`Staged::into_report`].
#[derive(Debug)]
pub struct Staged<S> {
    found: Vec<(S, FailureRank, Issue)>,
    /// Errors added per code: past the verdict's cap the message is never
    /// shown (the report only counts it), so it is not kept.
    per_code: Vec<(&'static str, usize)>,
}

/// The issue `Staged::add` keeps, counted in `per_code` (one body for every
/// dialect's step type `S`).
fn kept(
    per_code: &mut Vec<(&'static str, usize)>,
    path: String,
    code: &'static str,
    message: String,
) -> Issue {
    let seen = match per_code.iter_mut().find(|c| c.0 == code) {
        Some(c) => {
            c.1 += 1;
            c.1
        }
        None => {
            per_code.push((code, 1));
            1
        }
    };
    // 50,000 failing items would keep 50,000 messages (README Security).
    let message = if seen <= ISSUES_PER_CODE {
        message
    } else {
        String::new()
    };
    Issue::new(path, code, message)
}

impl<S> Default for Staged<S> {
    fn default() -> Self {
        Staged {
            found: Vec::new(),
            per_code: Vec::new(),
        }
    }
}

impl<S: Copy + Eq> Staged<S> {
    /// Records an error found by `step`, with the rank (status) it has when
    /// `step` is the first failing one.
    pub fn add(
        &mut self,
        step: S,
        rank: FailureRank,
        path: impl Into<String>,
        code: &'static str,
        message: impl Into<String>,
    ) {
        let issue = kept(&mut self.per_code, path.into(), code, message.into());
        self.found.push((step, rank, issue));
    }

    /// Moves the errors into `r`. Errors already in `r` come from steps
    /// that run before all of `order` (decoding, field rules) and keep
    /// deciding the status; otherwise the first step of `order` with an
    /// error does. Later steps' errors are listed with the weakest rank, so
    /// they never decide the status. A step missing from `order` runs last.
    pub fn into_report(self, order: &[S], r: &mut Report) {
        let position = |s: S| order.iter().position(|o| *o == s).unwrap_or(order.len());
        let first = if r.has_errors() {
            None
        } else {
            self.found.iter().map(|e| position(e.0)).min()
        };
        for (step, rank, issue) in self.found {
            let decides = Some(position(step)) == first;
            r.push(if decides { rank } else { FailureRank::Conflict }, issue);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[derive(Debug, Clone, Copy, PartialEq, Eq)]
    enum Step {
        Authorize,
        Handler,
    }

    fn status(order: &[Step], earlier_error: bool) -> u16 {
        let mut r = Report::new();
        if earlier_error {
            r.bad("/body/name", "pattern", "decoded first");
        }
        let mut staged = Staged::default();
        staged.add(
            Step::Handler,
            FailureRank::BadRequest,
            "/body/metadata",
            "type",
            "m",
        );
        staged.add(
            Step::Authorize,
            FailureRank::CallerForbidden,
            "",
            "forbidden",
            "f",
        );
        staged.into_report(order, &mut r);
        let v = r.finish(200, None, None);
        assert_eq!(
            v.errors.len(),
            2 + usize::from(earlier_error),
            "every error is listed"
        );
        v.status
    }

    #[test]
    fn the_first_failing_step_of_the_order_decides() {
        assert_eq!(status(&[Step::Authorize, Step::Handler], false), 403);
        assert_eq!(status(&[Step::Handler, Step::Authorize], false), 400);
        assert_eq!(status(&[Step::Handler, Step::Authorize], true), 400);
        assert_eq!(status(&[Step::Authorize, Step::Handler], true), 400);
    }
}
