//! The one reader of GoRules `filePermissions` JSON.

use serde_json::Value;

use super::notes::{self, Note};
use super::{Action, Effect};
use crate::glob::{self, split_patterns, GlobError, Parsed, Scratch};
use crate::input::{object, string, type_name, Obj, Optional};
use crate::limits::Limits;
use crate::verdict::{ptr, Issue, Report};

/// Reads a `filePermissions` array at `base`, reporting every problem.
/// `compile` sees each glob right after it parses and returns its id (the
/// policy compiles it then, so a rule list's expansions are never all in
/// memory at once; see [`RuleSpecParsed::ids`]).
pub(super) fn read_rules(
    v: &Value,
    base: &str,
    limits: &Limits,
    r: &mut Report,
    g: &mut Globs,
    compile: &mut dyn FnMut(Parsed<'_>) -> Compiled,
) -> Vec<RuleSpecParsed> {
    let items = match v {
        Value::Null => return Vec::new(),
        Value::Array(a) => a,
        other => {
            crate::input::type_error(r, base, "an array", other);
            return Vec::new();
        }
    };
    let mut out = Vec::with_capacity(items.len());
    for (i, item) in items.iter().enumerate() {
        if let Some(rule) = read_rule(item, i, base, g, limits, r, compile) {
            out.push(rule);
        }
        // A refusal (a limit) stops the reading, as the text reader stops,
        // so it costs what was built, not the parsing of every later glob.
        if g.stopped(limits) {
            break;
        }
    }
    out
}

/// One rule (`None` without an effect; its problems are reported). Out of
/// line: `read_rules` runs once per group, and V8's optimizing tier compiles
/// a hot WASM function whole (issue 12, cold start): only this per-rule body
/// should be hot (./dev build keeps one-caller functions apart too).
#[inline(never)]
fn read_rule(
    item: &Value,
    i: usize,
    base: &str,
    g: &mut Globs,
    limits: &Limits,
    r: &mut Report,
    compile: &mut dyn FnMut(Parsed<'_>) -> Compiled,
) -> Option<RuleSpecParsed> {
    let o = object(item, &ptr(base, i), r)?;
    let id = o.string("id", Optional, r).map(str::to_string);
    let effect = read_effect(&o, r);
    let actions = read_actions(&o, r);
    read_patterns(&o, g, limits, r, compile);
    let (ids, notes) = g.take();
    Some(RuleSpecParsed {
        index: i as u32,
        id,
        effect: effect?,
        actions,
        ids,
        notes,
    })
}

fn read_effect(o: &Obj, r: &mut Report) -> Option<Effect> {
    match o.get("effect") {
        None => r.bad(
            o.at("effect"),
            "required",
            "effect is required (allow or deny)",
        ),
        Some(Value::String(s)) if s == "allow" => return Some(Effect::Allow),
        Some(Value::String(s)) if s == "deny" => return Some(Effect::Deny),
        Some(other) => r.bad(
            o.at("effect"),
            "enum",
            format!("effect must be allow or deny, got {}", short(other)),
        ),
    }
    None
}

/// The rule's actions as bits.
fn read_actions(o: &Obj, r: &mut Report) -> u8 {
    let mut actions = 0u8;
    let Some(list) = o.array("actions", Optional, r) else {
        return actions;
    };
    for (k, a) in list.iter().enumerate() {
        match a.as_str().and_then(Action::parse) {
            Some(a) => actions |= a.bit(),
            None => r.bad(
                ptr(&o.at("actions"), k),
                "enum",
                format!(
                    "action must be visible, modify, write or delete, got {}",
                    short(a)
                ),
            ),
        }
    }
    actions
}

/// The rule's globs (a string split at commas and newlines, or an array),
/// each compiled as it parses; with their ids and the lint notes.
fn read_patterns(
    o: &Obj,
    g: &mut Globs,
    limits: &Limits,
    r: &mut Report,
    compile: &mut dyn FnMut(Parsed<'_>) -> Compiled,
) {
    // Pointers are built only when there is something to report.
    let ppath = || o.at("patterns");
    let max = limits.max_string_bytes;
    match o.get("patterns") {
        None => {}
        Some(Value::String(text)) if text.len() <= max => {
            g.add_text(text, &ppath, limits, r, compile);
        }
        Some(Value::Array(list)) => {
            for (k, item) in list.iter().enumerate() {
                let at = || ptr(&ppath(), k);
                let s = match item {
                    Value::String(s) if s.len() <= max => s.as_str(),
                    _ => match string(item, &at(), r) {
                        Some(s) => s,
                        None => continue,
                    },
                };
                g.add_item(s, k as u32, &at, limits, r, compile);
            }
        }
        // Within the string-length limit, like every string field.
        Some(v @ Value::String(_)) => {
            string(v, &ppath(), r);
        }
        Some(other) => {
            crate::input::type_error(r, &ppath(), "a string or an array of strings", other)
        }
    }
}

/// A rule's globs as they are read: their ids and lint notes (one reading
/// of a `patterns` text for the `Value` reader and the text scanner,
/// `super::scan`). The globs themselves go to `compile` as they parse and
/// are not kept here: a group's rules are all read before they are added,
/// and 100,000 parsed 1 KB globs held 200 MB until then (issue 11). One
/// per build: its scratch buffers serve every glob (issue 12, cold start).
#[derive(Default)]
pub(super) struct Globs {
    ids: Ids,
    notes: Vec<Note>,
    scratch: Scratch,
    /// Globs read in this build, refused ones too (`max_globs`).
    read: usize,
    /// A glob's compile failed: past `maxAutomatonStates` (reported).
    full: bool,
}

impl Globs {
    /// Past `max_globs` (`limit.globs` reported): nothing more is read.
    pub(super) fn over(&self, limits: &Limits) -> bool {
        self.read > limits.max_globs
    }

    /// Past `max_globs` or `maxAutomatonStates` (reported): the policy is
    /// refused, and nothing more need be read.
    pub(super) fn stopped(&self, limits: &Limits) -> bool {
        self.full || self.over(limits)
    }

    /// The ids and notes of the rule just read (the next rule starts empty).
    pub(super) fn take(&mut self) -> (Ids, Vec<Note>) {
        (
            std::mem::take(&mut self.ids),
            std::mem::take(&mut self.notes),
        )
    }

    /// A `patterns` string (within the length limit) at `ppath`: split at
    /// commas and newlines.
    pub(super) fn add_text(
        &mut self,
        text: &str,
        ppath: &dyn Fn() -> String,
        limits: &Limits,
        r: &mut Report,
        compile: &mut dyn FnMut(Parsed<'_>) -> Compiled,
    ) {
        if self.over(limits) {
            return;
        }
        let pieces = split_patterns(text);
        notes::split_notes(text, &pieces, self.ids.len() as u32, &mut self.notes);
        for (offset, piece) in pieces {
            self.add(piece, None, ppath, offset, limits, r, compile);
        }
    }

    /// One string (within the length limit) of a `patterns` array: item
    /// `item`, at `at`.
    pub(super) fn add_item(
        &mut self,
        s: &str,
        item: u32,
        at: &dyn Fn() -> String,
        limits: &Limits,
        r: &mut Report,
        compile: &mut dyn FnMut(Parsed<'_>) -> Compiled,
    ) {
        let s = trim(s);
        if !s.is_empty() {
            self.add(s, Some(item), at, 0, limits, r, compile);
        }
    }

    /// One glob (`item`: its index in a `patterns` array): its lint notes
    /// (only a glob that parses: one with an error fails the policy), then
    /// the glob compiled.
    #[allow(clippy::too_many_arguments)]
    fn add(
        &mut self,
        text: &str,
        item: Option<u32>,
        at: &dyn Fn() -> String,
        offset: usize,
        limits: &Limits,
        r: &mut Report,
        compile: &mut dyn FnMut(Parsed<'_>) -> Compiled,
    ) {
        // Counted before it is parsed: a glob costs its reading whatever
        // it is (tiny globs by the thousand a rule, `a,a,…`, ran at about
        // a microsecond each: 45 s for 100 MB; atk22).
        self.read += 1;
        if self.read > limits.max_globs {
            return over_globs(self.read, at, limits, r);
        }
        let p = match glob::parse_with(text, limits, &mut self.scratch) {
            Ok(p) => p,
            Err(e) => return unparsed(e, at, offset, r),
        };
        let pattern = self.ids.len() as u32;
        notes::parsed_notes(text, p.hints, pattern, item, &mut self.notes);
        match compile(p) {
            Ok(id) => self.ids.push(id),
            Err(message) => self.full_at(message, at, r),
        }
    }

    /// Past `maxAutomatonStates`: no more globs; the error at the glob
    /// that crossed the limit (`message`), none for later ones.
    #[cold]
    #[inline(never)]
    fn full_at(&mut self, message: Option<String>, at: &dyn Fn() -> String, r: &mut Report) {
        self.full = true;
        if let Some(message) = message {
            r.bad(at(), "limit.automaton", message);
        }
    }
}

/// Glob number `read` past `max_globs`: the error at the first one.
/// Out of line, as [`unparsed`] and [`Globs::full_at`]: V8 compiles a
/// WASM function whole on its first call, and a valid policy never runs
/// these (issue 12, cold start).
#[cold]
#[inline(never)]
fn over_globs(read: usize, at: &dyn Fn() -> String, limits: &Limits, r: &mut Report) {
    if read == limits.max_globs + 1 {
        let max = limits.max_globs;
        r.bad(
            at(),
            "limit.globs",
            format!("more globs than the limit max_globs ({max})"),
        );
    }
}

/// A glob that does not parse (`e`; `offset`: where it starts in its
/// string), reported at `at`.
#[cold]
#[inline(never)]
fn unparsed(e: GlobError, at: &dyn Fn() -> String, offset: usize, r: &mut Report) {
    r.bad_lazy(e.code(), || {
        let issue = Issue::new(at(), e.code(), e.message_at(offset));
        issue.at_byte(e.position.map(|p| p + offset))
    });
}

/// The ids of a rule's globs: most rules have one or two, held in place
/// (a `Vec` per rule was one allocation per rule of a cold build; issue
/// 12). Reads as a slice.
#[derive(Default)]
pub(super) struct Ids {
    len: u32,
    inline: [u32; 2],
    heap: Vec<u32>,
}

impl Ids {
    fn push(&mut self, id: u32) {
        let n = self.len as usize;
        if n < self.inline.len() {
            self.inline[n] = id;
        } else {
            if self.heap.is_empty() {
                self.heap.extend_from_slice(&self.inline);
            }
            self.heap.push(id);
        }
        self.len += 1;
    }
}

impl std::ops::Deref for Ids {
    type Target = [u32];
    fn deref(&self) -> &[u32] {
        match self.heap.is_empty() {
            true => &self.inline[..self.len as usize],
            false => &self.heap,
        }
    }
}

/// `s.trim()`, with no search when `s` starts and ends with ASCII that is
/// not white space (most globs: `str::trim` is a generic Unicode search,
/// slow in V8's baseline tier where a cold build runs; issue 12).
fn trim(s: &str) -> &str {
    let plain =
        |b: Option<&u8>| b.is_some_and(|&b| b.is_ascii() && !b.is_ascii_whitespace() && b != 0x0b);
    match plain(s.as_bytes().first()) && plain(s.as_bytes().last()) {
        true => s,
        false => s.trim(),
    }
}

/// What compiling a glob gives: its id, or (past `maxAutomatonStates`)
/// the error's message for the glob that crossed the limit and `None` for
/// every later one (one error, not one per glob).
pub(super) type Compiled = Result<u32, Option<String>>;

pub(super) struct RuleSpecParsed {
    pub(super) index: u32,
    pub(super) id: Option<String>,
    pub(super) effect: Effect,
    pub(super) actions: u8,
    /// What `compile` returned for each pattern (as many as parsed; their
    /// texts are the policy's next spans, in order).
    pub(super) ids: Ids,
    /// Lint warnings about how the patterns are written.
    pub(super) notes: Vec<Note>,
}

/// A short rendering of a JSON value for messages.
pub(super) fn short(v: &Value) -> String {
    match v {
        Value::String(s) if s.len() <= 40 => format!("{s:?}"),
        other => type_name(other).to_string(),
    }
}

/// The problems of a GoRules `filePermissions` array at `base` (for request
/// validators): enums, types and glob errors, each at its pointer.
pub fn rule_issues(rules: &Value, base: &str, limits: &Limits) -> Vec<Issue> {
    let mut r = Report::with_limits(*limits);
    read_rules(
        rules,
        base,
        limits,
        &mut r,
        &mut Globs::default(),
        &mut |_| Ok(0),
    );
    r.finish(200, None, None).errors
}

#[cfg(test)]
mod tests {
    /// The quick trim is `str::trim`, Unicode white space included.
    #[test]
    fn trim_is_str_trim() {
        for s in [
            "",
            " ",
            "a",
            " a",
            "a ",
            "\ta\n",
            "\x0ba\x0b",
            "\x0ca",
            "a\r",
            "\u{85}a",
            "a\u{a0}",
            "\u{3000}a\u{2028}",
            "é",
            "\u{1c}a\u{1f}",
            "**/*.md",
        ] {
            assert_eq!(super::trim(s), s.trim(), "{s:?}");
        }
    }
}
