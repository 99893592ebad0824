//! Lint findings of a compiled policy: [`FilePolicy::lint`].

use crate::keyed::{HashMap, HashSet};

use serde_json::Value;

use super::extras::Kept;
use super::policy::{too_complex, FilePolicy, Rule};
use super::texts::Pat;
use super::{Effect, PolicyOptions};
use crate::glob::normalize_path;
use crate::patterns::{Hit, ListKey};
use crate::verdict::{ptr, Issue, ISSUES_PER_CODE};

/// The rules of the globs some file matches, for `lint.matches_nothing`.
struct Marks<'p> {
    policy: &'p FilePolicy,
    /// By rule: matched by some file.
    hit: Vec<bool>,
    /// By glob: its rules are marked (a glob may stand for any number of
    /// rule patterns, `"**,**,…"`, and match every file).
    marked: Vec<bool>,
    /// The lists of ids already read: 10,000 globs `{**,N}` all match
    /// every file, and reading them at each of 100,000 files took 6.5 s.
    lists: HashSet<ListKey>,
}

impl Hit for Marks<'_> {
    fn id(&mut self, id: u32) {
        if let Some(m) = self.marked.get_mut(id as usize).filter(|m| !**m) {
            *m = true;
            for s in self.policy.sources.of(id) {
                self.hit[s.rule as usize] = true;
            }
        }
    }

    fn fresh(&mut self, key: ListKey) -> bool {
        self.lists.insert(key)
    }
}

/// Deny rule indexes by (group, canonical pattern).
type DenyIndex<'a> = HashMap<(u32, &'a str), Vec<u32>>;

/// The work `lint.shadowed` may spend per rule and per pattern of the
/// policy (a candidate deny read, a pair of patterns compared). Unbounded,
/// the search was quadratic: 10,000 denies of `**` for another action
/// beside 10,000 allows took 19.5 s in the package, an allow and a deny of
/// 4,000 patterns each (420 KB) 0.8 s a pair.
const SHADOW_WORK: usize = 64;

impl FilePolicy {
    /// Dead rules (no actions or no patterns), shadowed allows (every pattern
    /// and action of an allow also denied by a rule of the same group), and,
    /// given project files, rules that match none of them.
    /// At most [`ISSUES_PER_CODE`] issues of one code are listed, then one
    /// summary issue with the count of the rest (as a verdict lists them).
    pub fn lint<P: AsRef<str>>(&self, files: Option<&[P]>) -> Vec<Issue> {
        // One body for every `P` (its callers pass `String`s and `&str`s:
        // two copies of it in the WASM).
        let files: Option<Vec<&str>> = files.map(|f| f.iter().map(AsRef::as_ref).collect());
        self.lint_paths(files.as_deref())
    }

    fn lint_paths(&self, files: Option<&[&str]>) -> Vec<Issue> {
        let mut out = Listing::default();
        let denies = self.deny_index();
        let mut budget = self.shadow_budget();
        for (i, rule) in self.rules.iter().enumerate() {
            let notes = self.extras.notes_of(i as u32);
            for n in notes {
                out.push(n.code(), || self.note_issue(rule, n));
            }
            if self.options.case_insensitive {
                self.non_ascii_case(rule, &mut out);
            }
            self.invisible(rule, &mut out);
            if rule.actions == 0 || rule.patterns.is_empty() {
                let what = if rule.actions == 0 {
                    "actions"
                } else {
                    "patterns"
                };
                out.push("lint.dead", || {
                    let message = format!("the rule has no {what}, so it matches nothing");
                    Issue::new(rule_path(rule), "lint.dead", message)
                });
                continue;
            }
            if rule.effect == Effect::Allow {
                if let Some(deny) = self.shadowing_deny(&denies, rule, &mut budget) {
                    out.push("lint.shadowed", || {
                        let message = format!(
                            "every file this allow matches is denied by rule {} of the same group",
                            deny.index
                        );
                        Issue::new(rule_path(rule), "lint.shadowed", message)
                    });
                }
            }
        }
        if let Some(files) = files {
            let mut marks = Marks {
                policy: self,
                hit: vec![false; self.rules.len()],
                marked: vec![false; self.sources.len()],
                lists: HashSet::default(),
            };
            // A file too complex to match leaves every rule unjudged.
            let mut judged = true;
            let work = self.options.limits.max_match_work;
            for (i, f) in files.iter().enumerate() {
                match normalize_path(f, self.options.limits.max_path_bytes) {
                    Ok(p) => {
                        let matched = self.set.matches(&p, work, &mut marks);
                        if let Err(e) = matched {
                            judged = false;
                            too_complex(&ptr("/files", i))(e)
                                .issues
                                .into_iter()
                                .for_each(|issue| out.add(issue));
                        }
                    }
                    Err(k) => out.push(k.code(), || {
                        Issue::new(ptr("/files", i), k.code(), k.message())
                    }),
                }
            }
            for (rule, hit) in self.rules.iter().zip(marks.hit) {
                if judged && !hit && rule.actions != 0 && !rule.patterns.is_empty() {
                    out.push("lint.matches_nothing", || {
                        Issue::new(
                            ptr(&rule_path(rule), "patterns"),
                            "lint.matches_nothing",
                            "no pattern of the rule matches any of the given files",
                        )
                    });
                }
            }
        }
        self.duplicate_ids(&mut out);
        out.finish()
    }

    /// `lint.non_ascii_case`: under `caseInsensitive`, a pattern holding a
    /// non-ASCII letter that has case. Folding is ASCII-only, as in globset
    /// (`(?-u)(?i)`), where picomatch and minimatch fold `Å` and `å`: an
    /// author who expects that has a narrower deny than they wrote.
    fn non_ascii_case(&self, rule: &Rule, out: &mut Listing) {
        for k in 0..rule.patterns.len as usize {
            let glob = self.texts.get(rule.patterns, k).map_or("", |p| p.source);
            // Worded at once (rare: no closure to instantiate for it).
            if let Some(c) = glob.chars().find(|&c| has_case(c)) {
                let message = format!(
                    "caseInsensitive folds ASCII letters only: `{c}` in {glob:?} matches only itself, not its other case; list both if meant (`{{Å,å}}`)"
                );
                let at = ptr(&rule_path(rule), "patterns");
                out.add(Issue::new(at, "lint.non_ascii_case", message));
            }
        }
    }

    /// `lint.invisible`: a pattern holding a character that is not shown
    /// (see [`is_invisible`]). A path must hold it too for the pattern to
    /// match, so a deny pasted with one protects none of the paths its
    /// author sees. Read from the texts at lint time: the build never looks.
    fn invisible(&self, rule: &Rule, out: &mut Listing) {
        for k in 0..rule.patterns.len as usize {
            let glob = self.texts.get(rule.patterns, k).map_or("", |p| p.source);
            if let Some(c) = glob.chars().find(|&c| is_invisible(c)) {
                let message = format!(
                    "{glob:?} holds {c:?}, which is not shown: only paths holding it match; remove it"
                );
                let at = ptr(&rule_path(rule), "patterns");
                out.add(Issue::new(at, "lint.invisible", message));
            }
        }
    }

    /// `lint.duplicate_id`: a rule id used before in the same group.
    fn duplicate_ids(&self, out: &mut Listing) {
        // The last rule index by (group, id), in the deny index's table type
        // (a `u32` value would be one more hash table in the WASM).
        let mut seen: DenyIndex = HashMap::default();
        for (i, id) in self.extras.ids() {
            let rule = &self.rules[i as usize];
            let last = seen.entry((rule.group, id)).or_default();
            let previous = last.pop();
            last.push(rule.index);
            if let Some(first) = previous {
                out.push("lint.duplicate_id", || {
                    let message =
                        format!("rule id {id:?} is also used by rule {first} of the same group");
                    Issue::new(ptr(&rule_path(rule), "id"), "lint.duplicate_id", message)
                });
            }
        }
    }

    /// The issue of a lint note of `rule`, worded now if the build found it.
    pub(super) fn note_issue(&self, rule: &Rule, note: &Kept) -> Issue {
        let note = match note {
            Kept::Found(note) => *note,
            Kept::Worded(issue) => return (**issue).clone(),
        };
        let mut at = ptr(&rule_path(rule), "patterns");
        if let Some(item) = note.item {
            at = ptr(&at, item);
        }
        let text = |k: u32| {
            self.texts
                .get(rule.patterns, k as usize)
                .map_or("", |p| p.source)
        };
        let message = note.message(text(note.pattern), text(note.pattern + 1));
        Issue::new(at, note.code(), message)
    }

    /// A deny of the same group covering every action and pattern of
    /// `allow`: the first in rule order among the denies that cover its
    /// first pattern (found by lookups), read within `budget` (a unit per
    /// candidate and per pair of patterns compared).
    fn shadowing_deny<'a>(
        &'a self,
        index: &DenyIndex<'a>,
        allow: &Rule,
        budget: &mut usize,
    ) -> Option<&'a Rule> {
        let first = self
            .texts
            .of(allow.patterns)
            .next()
            .filter(|_| *budget > 0)?;
        let mut keys = vec![first.canonical, "**"];
        let mut covering: Vec<String> = vec![format!("{}/**", first.canonical)];
        for (i, _) in first.canonical.match_indices('/') {
            covering.push(format!("{}/**", &first.canonical[..i]));
        }
        keys.extend(covering.iter().map(String::as_str));
        let mut candidates: Vec<u32> = Vec::new();
        for k in keys {
            if let Some(list) = index.get(&(allow.group, k)) {
                let n = list.len().min(*budget);
                candidates.extend_from_slice(&list[..n]);
                *budget -= n;
            }
        }
        // Runs in rule order, one a key: sort_unstable's insertion pass.
        crate::sort::sort_unstable(&mut candidates);
        candidates.dedup();
        // Each pair of patterns compared costs a unit; spent, no more
        // allow is shadowed (a covering pattern found then still is one).
        candidates
            .into_iter()
            .map(|i| &self.rules[i as usize])
            .find(|d| {
                d.actions & allow.actions == allow.actions
                    && self.texts.of(allow.patterns).all(|p| {
                        *budget > 0
                            && self.texts.of(d.patterns).any(|dp| {
                                *budget = budget.saturating_sub(1);
                                covers(dp, p)
                            })
                    })
            })
    }

    /// The work `lint.shadowed` may spend: [`SHADOW_WORK`] per rule and
    /// per pattern.
    fn shadow_budget(&self) -> usize {
        let patterns: usize = self.rules.iter().map(|r| r.patterns.len()).sum();
        SHADOW_WORK.saturating_mul(self.rules.len() + patterns)
    }

    /// The deny rules by (group, canonical pattern).
    fn deny_index(&self) -> DenyIndex<'_> {
        let mut index: DenyIndex = HashMap::default();
        for (i, rule) in self.rules.iter().enumerate() {
            if rule.effect != Effect::Deny {
                continue;
            }
            for p in self.texts.of(rule.patterns) {
                let list = index.entry((rule.group, p.canonical)).or_default();
                if list.last() != Some(&(i as u32)) {
                    list.push(i as u32);
                }
            }
        }
        index
    }

    /// Lints groups that may not even compile: the construction errors, or
    /// when they compile, [`FilePolicy::lint`]; then members whose name is
    /// a near miss of one the readers read (`lint.misspelled_member`: a
    /// misspelled `filePermissions` would drop the group's rules unseen).
    pub fn lint_json<P: AsRef<str>>(
        groups: &Value,
        options: PolicyOptions,
        files: Option<&[P]>,
    ) -> Vec<Issue> {
        let mut issues = match FilePolicy::from_json(groups, options) {
            Ok(p) => p.lint(files),
            Err(e) => e.issues,
        };
        // Listed 100 at most, as every lint code.
        let mut misses = Listing::default();
        super::members::near_misses(groups, &mut |i| misses.add(i));
        issues.extend(misses.finish());
        issues
    }
}

/// The pointer of `rule`: groups compile in input order, so a group's
/// index is its position (as the reader's pointers).
fn rule_path(rule: &Rule) -> String {
    ptr(&ptr(&ptr("", rule.group), "filePermissions"), rule.index)
}

/// The blocks of the scripts with case (Latin, Greek, Cyrillic, Armenian,
/// Georgian, Cherokee, Glagolitic, Coptic, the letterlike `Ω` `K` `Å`,
/// Roman numerals, circled and fullwidth letters; U+0080 up, BMP only:
/// picomatch's and minimatch's RegExp folds no other). Blocks, not
/// Unicode's case tables (1.5 KB gzipped in the package): a few
/// punctuation marks inside them (`×`, `÷` are left out) also count.
const CASED: [(u16, u16); 24] = [
    (0xB5, 0xB5),
    (0xC0, 0xD6),
    (0xD8, 0xF6),
    (0xF8, 0x29E),
    (0x345, 0x345),
    (0x370, 0x3FF),
    (0x400, 0x52F),
    (0x531, 0x587),
    (0x10A0, 0x10FF),
    (0x13A0, 0x13FD),
    (0x1C80, 0x1CBF),
    (0x1E00, 0x1FFC),
    (0x2126, 0x2126),
    (0x212A, 0x212B),
    (0x2132, 0x2132),
    (0x214E, 0x214E),
    (0x2160, 0x2184),
    (0x24B6, 0x24E9),
    (0x2C00, 0x2D2D),
    (0xA640, 0xA69B),
    (0xA722, 0xA7F6),
    (0xAB53, 0xABBF),
    (0xFF21, 0xFF3A),
    (0xFF41, 0xFF5A),
];

/// Is `c` a letter of a script with case (see [`CASED`])?
fn has_case(c: char) -> bool {
    let c = c as u32;
    c >= 0xB5
        && CASED
            .iter()
            .any(|&(lo, hi)| u32::from(lo) <= c && c <= u32::from(hi))
}

/// The characters `lint.invisible` names: Unicode's
/// `Default_Ignorable_Code_Point` in the BMP (the soft hyphen, zero-width
/// space, the bidirectional controls of "Trojan Source" (CVE-2021-42574),
/// the word joiner, the byte order mark, fillers), but for those that emoji
/// and scripts use inside names: the joiners U+200C and U+200D and the
/// variation selectors U+180B-180D, U+180F and U+FE00-FE0F. (Past the BMP
/// the property holds format controls of shorthand and music, the tags of
/// flag emoji and more variation selectors: left out.)
fn is_invisible(c: char) -> bool {
    matches!(
        c,
        '\u{AD}'
            | '\u{34F}'
            | '\u{61C}'
            | '\u{115F}'..='\u{1160}'
            | '\u{17B4}'..='\u{17B5}'
            | '\u{180E}'
            | '\u{200B}'
            | '\u{200E}'..='\u{200F}'
            | '\u{202A}'..='\u{202E}'
            | '\u{2060}'..='\u{206F}'
            | '\u{3164}'
            | '\u{FEFF}'
            | '\u{FFA0}'
            | '\u{FFF0}'..='\u{FFF8}'
    )
}

/// Lint's issues, at most [`ISSUES_PER_CODE`] of a code listed: past the
/// cap an issue is counted and not even worded (100,000 rules sharing one
/// id were 2.15 s and 99,999 issues; issue 11). The summary is a verdict's
/// (README "Verdicts"): its `path` the first not listed, its `omitted` the
/// count, so `validate("gorules")` carries the count into its own cap.
#[derive(Default)]
struct Listing {
    out: Vec<Issue>,
    /// (code, issues seen, the first not listed).
    tallies: Vec<(&'static str, usize, Option<Issue>)>,
}

impl Listing {
    /// Lists the issue `make` words, or counts it past the cap.
    fn push(&mut self, code: &'static str, make: impl FnOnce() -> Issue) {
        let i = match self.tallies.iter().position(|t| t.0 == code) {
            Some(i) => i,
            None => {
                self.tallies.push((code, 0, None));
                self.tallies.len() - 1
            }
        };
        let t = &mut self.tallies[i];
        t.1 += 1;
        if t.1 <= ISSUES_PER_CODE {
            self.out.push(make());
        } else if t.1 == ISSUES_PER_CODE + 1 {
            t.2 = Some(make());
        }
    }

    fn add(&mut self, issue: Issue) {
        self.push(issue.code, || issue);
    }

    /// The listed issues, then a summary of each code past the cap.
    fn finish(mut self) -> Vec<Issue> {
        for (code, seen, first) in self.tallies {
            if let Some(first) = first {
                let n = seen - ISSUES_PER_CODE;
                self.out.push(Issue {
                    message: format!(
                        "{n} more issues of code {code}, from this one on, are not listed (lint lists {ISSUES_PER_CODE} per code)"
                    ),
                    omitted: Some(n),
                    position: None,
                    ..first
                });
            }
        }
        self.out
    }
}

/// Does glob `d` match every path `p` matches? Decided on the syntax:
/// equal patterns, `**`, or `X/**` over a pattern under the literal `X`.
fn covers(d: Pat, p: Pat) -> bool {
    if d.canonical == p.canonical || d.canonical == "**" {
        return true;
    }
    match d.canonical.strip_suffix("/**") {
        Some(prefix) if !prefix.contains(['*', '?', '[', '{', '\\']) => {
            p.canonical == prefix
                || p.canonical
                    .strip_prefix(prefix)
                    .is_some_and(|rest| rest.starts_with('/'))
        }
        _ => false,
    }
}
