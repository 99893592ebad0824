//! The fast path of [`FilePolicy::from_json_text`]: groups read straight
//! from the JSON text into the compiler, with no `Value` tree (issue 12,
//! cold start: serde_json's `Value` reader was a quarter of what V8 had to
//! optimize in a cold build, and the tree most of the heap of a large one).
//!
//! It accepts what the `Value` reader accepts without an error, and words
//! the errors that come from the steps the two readers share — a glob that
//! does not parse, a duplicate group id — reading on as that reader does, so
//! a large policy with one bad glob is read and compiled once (a refused
//! last glob after 50,000 1 KB denies was read twice: 2.1 s in the package
//! against 1.0 s). It gives up (`None`) on anything else — malformed JSON, a
//! wrong type, an unknown permission or action, a bad effect, an over-long
//! string, a repeated member (serde_json keeps the last; we leave that to
//! it), a limit after another error — so that those errors are found and
//! worded by that one reader. Rules are compiled with the same steps
//! ([`Build`], [`Globs`]), so lint notes and errors are the same. Giving up
//! costs time only, never an answer (`tests/files_text.rs` holds the two
//! readers to it).

use super::policy::Build;
use super::rules::{Globs, RuleSpecParsed};
use super::{Action, Effect, FilePolicy, PolicyOptions};
use crate::error::GroupgateError;
use crate::glob::Parsed;
use crate::json::scan::{Lex, Str};
use crate::limits::Limits;
use crate::permissions::GoRulesPerms;
use crate::verdict::{ptr, Report};

impl FilePolicy {
    /// [`FilePolicy::from_json`] of JSON text: the same policy and the same
    /// errors, read straight from the text when it is well-formed and its
    /// only errors are globs or group ids (this module), through a `Value`
    /// otherwise. Past
    /// `maxAutomatonStates` the error is this module's own (the same
    /// `limit.automaton`, but alone: later rules are not read), so a
    /// refused policy is not built twice.
    pub fn from_json_text(
        text: &str,
        options: PolicyOptions,
    ) -> Result<FilePolicy, GroupgateError> {
        match read(text, options) {
            Ok(policy) => Ok(policy),
            Err(Some(e)) => Err(e),
            Err(None) => judged(text, options),
        }
    }
}

/// [`FilePolicy::from_json_text`] through a `Value`, which words every
/// error. Out of line: a valid policy never compiles it (V8 compiles a
/// WASM function whole, on its first call; issue 12, cold start).
#[cold]
#[inline(never)]
fn judged(text: &str, options: PolicyOptions) -> Result<FilePolicy, GroupgateError> {
    let groups = crate::error::from_json(text, "")?;
    FilePolicy::from_json(&groups, options)
}

/// The policy of `text`; its glob and group-id errors; the error past
/// `maxAutomatonStates`; or `None` when the `Value` reader must judge it.
pub(super) fn read(
    text: &str,
    options: PolicyOptions,
) -> Result<FilePolicy, Option<GroupgateError>> {
    let limits = options.limits;
    let mut s = Scan {
        limits,
        r: Report::with_limits(limits),
        // Room for a group per 256 bytes of JSON (a group with rules
        // takes more), at most 1,024: a common policy's map of group ids
        // is never rehashed, so a build does not compile its growth (V8
        // compiles a WASM function on its first call; issue 12).
        b: Build::new((text.len() / 256).min(1024), options),
        rules: 0,
        last_rules: 0,
        g: Globs::default(),
        judged: false,
    };
    s.b.reserve(text.len());
    match groups(&mut s, text) {
        Some(()) if !s.r.has_errors() => Ok(s.b.finish()),
        Some(()) => Err(Some(refused(s.r))),
        // A limit met after other errors: the `Value` reader stops where
        // it meets it, and words it (the two stop alike only when the
        // limit is the first error).
        None if s.g.stopped(&limits) && !s.judged => Err(Some(refused(s.r))),
        None => Err(None),
    }
}

/// The policy's errors: those of its globs and group ids, or the one past
/// a limit (out of line: rare).
#[cold]
#[inline(never)]
fn refused(r: Report) -> GroupgateError {
    GroupgateError::new(r.finish(200, None, None).errors)
}

/// Reads the groups of `text` into `s.b`; `None` at the first problem.
fn groups(s: &mut Scan, text: &str) -> Option<()> {
    let limits = s.limits;
    let mut lx = Lex::new(text);
    lx.eat(b'[')?;
    let mut gi = 0;
    lx.items(|lx| {
        (gi < limits.max_groups).then_some(())?;
        s.group(lx, gi)?;
        gi += 1;
        Some(())
    })?;
    lx.end()
}

/// A rule's `effect`. Out of line, as [`read_actions`] and
/// [`Scan::rule_id`]: V8's optimizing tier compiles the hot `Scan::rule`
/// whole, its callees apart (issue 12, cold start).
#[inline(never)]
fn read_effect(lx: &mut Lex) -> Option<Effect> {
    let s = lx.string()?;
    match lx.raw(s) {
        b"allow" => Some(Effect::Allow),
        b"deny" => Some(Effect::Deny),
        _ => None,
    }
}

/// A rule's `actions` (`null` or a list) as bits.
#[inline(never)]
fn read_actions(lx: &mut Lex) -> Option<u8> {
    let mut actions = 0u8;
    lx.null_or_items(|lx| {
        let s = lx.string()?;
        let a = Action::parse(lx.get(s))?;
        actions |= a.bit();
        Some(())
    })?;
    Some(actions)
}

/// Which members of an object were seen (a repeated one gives up).
#[derive(Default)]
struct Seen(u8);

impl Seen {
    fn first(&mut self, bit: u8) -> Option<()> {
        let fresh = self.0 & (1 << bit) == 0;
        self.0 |= 1 << bit;
        fresh.then_some(())
    }
}

struct Scan {
    limits: Limits,
    /// The errors of globs and group ids (any other gives up).
    r: Report,
    b: Build,
    /// Rules read so far (over `max_rules` gives up).
    rules: usize,
    /// How many rules the last group with a rule list had.
    last_rules: usize,
    /// The rule being read's globs (and the build's glob buffers).
    g: Globs,
    /// An error other than a limit was met (a limit after it gives up).
    judged: bool,
}

impl Scan {
    /// A string within `max_string_bytes`.
    fn text<'l>(&self, lx: &'l mut Lex) -> Option<&'l str> {
        let s: Str = lx.string()?;
        let v = lx.get(s);
        (v.len() <= self.limits.max_string_bytes).then_some(v)
    }

    /// Group `gi`: `{id, permissions?, filePermissions?, …}`.
    fn group(&mut self, lx: &mut Lex, gi: usize) -> Option<()> {
        let mut seen = Seen::default();
        let (mut id, mut perms) = (None, GoRulesPerms::EMPTY);
        // Room for as many rules as the last group had (groups are often
        // alike; up to a few dozen: no large reservation a small group
        // would hold): fewer copies of growing lists of large items.
        let room = self.last_rules.min(64);
        let (mut rules, mut has_rules) = (Vec::with_capacity(room), false);
        lx.eat(b'{')?;
        lx.members(|lx, k| match lx.raw(k) {
            b"id" => {
                seen.first(0)?;
                let v = self.text(lx)?;
                (!v.is_empty() && !v.as_bytes().contains(&b'\0')).then_some(())?;
                id = Some(v.to_string());
                Some(())
            }
            b"permissions" => {
                seen.first(1)?;
                lx.null_or_items(|lx| {
                    let s = lx.string()?;
                    perms = perms.union(GoRulesPerms::of(lx.get(s))?);
                    Some(())
                })
            }
            b"filePermissions" => {
                seen.first(2)?;
                lx.null_or_items(|lx| {
                    let rule = self.rule(lx, gi, rules.len())?;
                    rules.push(rule);
                    Some(())
                })?;
                has_rules = !rules.is_empty();
                self.last_rules = rules.len();
                Some(())
            }
            _ => lx.skip(1),
        })?;
        let at = || ptr(&ptr("", gi), "id");
        self.b
            .group(id?, perms, has_rules, rules, &at, &mut self.r)?;
        self.judged |= self.r.has_errors();
        Some(())
    }

    /// Rule `i` of group `gi`: `{id?, effect, actions?, patterns?, …}`.
    /// Out of line, like `read_rule`: V8 optimizes a hot WASM function whole.
    #[inline(never)]
    fn rule(&mut self, lx: &mut Lex, gi: usize, i: usize) -> Option<RuleSpecParsed> {
        self.rules += 1;
        (self.rules <= self.limits.max_rules && !self.g.over(&self.limits)).then_some(())?;
        let mut seen = Seen::default();
        let (mut id, mut effect, mut actions) = (None, None, 0u8);
        let rpath = || ptr(&ptr(&ptr("", gi), "filePermissions"), i);
        let ppath = || ptr(&rpath(), "patterns");
        lx.eat(b'{')?;
        lx.members(|lx, k| match lx.raw(k) {
            b"id" => {
                seen.first(0)?;
                id = self.rule_id(lx)?;
                Some(())
            }
            b"effect" => {
                seen.first(1)?;
                effect = Some(read_effect(lx)?);
                Some(())
            }
            b"actions" => {
                seen.first(2)?;
                actions = read_actions(lx)?;
                Some(())
            }
            b"patterns" => {
                seen.first(3)?;
                self.patterns(lx, &ppath)
            }
            _ => lx.skip(1),
        })?;
        let (ids, notes) = self.g.take();
        Some(RuleSpecParsed {
            index: i as u32,
            id,
            effect: effect?,
            actions,
            ids,
            notes,
        })
    }

    /// A rule's `id`: `null` or a string. Out of line, so the hot `rule`
    /// that V8 optimizes whole stays small (issue 12, cold start).
    #[inline(never)]
    fn rule_id(&self, lx: &mut Lex) -> Option<Option<String>> {
        if lx.null()? {
            return Some(None);
        }
        Some(Some(self.text(lx)?.to_string()))
    }

    /// A rule's `patterns`: `null`, a string or an array of strings. A
    /// glob that does not parse is reported and reading goes on; a limit
    /// stops it.
    #[inline(never)]
    fn patterns(&mut self, lx: &mut Lex, ppath: &dyn Fn() -> String) -> Option<()> {
        let Scan {
            limits,
            r,
            b,
            g,
            judged,
            ..
        } = self;
        let compile = &mut |p: Parsed<'_>| b.compile(p);
        match lx.peek()? {
            b'n' => lx.null().map(drop),
            b'"' => {
                let s = lx.string()?;
                let v = lx.get(s);
                (v.len() <= limits.max_string_bytes).then_some(())?;
                g.add_text(v, ppath, limits, r, compile);
                goes_on(g, r, limits, judged)
            }
            _ => {
                lx.eat(b'[')?;
                let mut k = 0;
                lx.items(|lx| {
                    let s = lx.string()?;
                    let v = lx.get(s);
                    (v.len() <= limits.max_string_bytes).then_some(())?;
                    let at = || ptr(&ppath(), k);
                    g.add_item(v, k, &at, limits, r, compile);
                    k += 1;
                    goes_on(g, r, limits, judged)
                })
            }
        }
    }
}

/// `None` past a limit; else notes whether an error was reported (a limit
/// after one gives up: see [`read`]).
fn goes_on(g: &Globs, r: &Report, limits: &Limits, judged: &mut bool) -> Option<()> {
    let limited = g.stopped(limits);
    *judged |= !limited && r.has_errors();
    (!limited).then_some(())
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Actions are read by name as the `Value` reader reads them.
    #[test]
    fn actions_by_name() {
        for a in Action::ALL {
            let text = format!("[\"{}\"]", a.name());
            assert_eq!(read_actions(&mut Lex::new(&text)), Some(a.bit()), "{a:?}");
        }
        assert_eq!(read_actions(&mut Lex::new(r#"["view"]"#)), None);
        assert_eq!(read_actions(&mut Lex::new("null")), Some(0));
    }

    /// The common case takes the fast path, its glob and group-id errors
    /// too; what it does not judge does not.
    #[test]
    fn common_texts_are_read_here_and_the_rest_handed_on() {
        let read = |t: &str| match read(t, PolicyOptions::default()) {
            Ok(_) => "built",
            Err(Some(_)) => "refused",
            Err(None) => "handed on",
        };
        assert_eq!(
            read(
                r#" [{"id":"g","name":"G","meta":{"n":[1,-2.5,true,null]},"permissions":["owner"],
               "filePermissions":[{"id":"r","effect":"deny","actions":["visible"],"patterns":"a/**, \u00e9\\,x"},
               {"effect":"allow","patterns":["*.md"],"note":"x"}]}, {"id":"h"}] "#
            ),
            "built"
        );
        for t in [
            r#"[{"id":"g","filePermissions":[{"effect":"allow","patterns":"[a-"}]}]"#,
            r#"[{"id":"g","filePermissions":[{"effect":"allow","patterns":["!a","b"]}]},{"id":"h"}]"#,
            r#"[{"id":"g"},{"id":"g"}]"#,
        ] {
            assert_eq!(read(t), "refused", "{t}");
        }
        for t in [
            r#"[{"id":"g","id":"g"}]"#,
            r#"[{"id":"g","n":1e3}]"#,
            r#"[{"id":"g","filePermissions":[{"effect":"allow","patterns":"[a-"}]},{"id":5}]"#,
            r#"[{"id":"g"}]]"#,
        ] {
            assert_eq!(read(t), "handed on", "{t}");
        }
    }
}
