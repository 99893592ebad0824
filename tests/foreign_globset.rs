//! globset 0.4.21's own hand-written cases (src/glob.rs `matches!`,
//! `nmatches!`, `syntaxerr!`), vendored as data in
//! `tests/foreign/globset/cases.json` by `tests/foreign/extract-globset.mjs`,
//! run through our public Rust API: `glob_match_with`, and a one-rule and a
//! two-rule `FilePolicy` that must answer as `glob_match` does.
//!
//! Every row ends in exactly one class, or the test fails:
//! - agree: our answer is upstream's;
//! - skipped by a named rule: an upstream option our dialect does not have
//!   and on which the row's answer depends (the pinned globset answers the
//!   row differently with our setting), a row upstream compiles only off
//!   unix, or a path our normalization changes into another question;
//! - refused by a code: we reject the pattern or the path with a named
//!   error that README documents, for the reason README gives;
//! - documented difference: our answer differs, and a README statement
//!   (the id names it) explains it exactly: the pinned globset, asked the
//!   question rewritten as that statement says, gives our answer;
//! - known bug: listed in [`KNOWN_BUGS`] with its `BUG` line in REQUESTS.md.
//!
//! Whatever the class, an answer of ours must be README's promise: globset
//! (literal separator, backslash escapes, empty alternatives) asked the
//! normalized question with the dialect's documented rewrites.

use std::collections::BTreeMap;

use globset::{ErrorKind, GlobBuilder};
use groupgate::files::{Action, FilePolicy, PolicyOptions};
use groupgate::{glob_match_with, GlobOptions};
use serde::Deserialize;
use serde_json::json;

/// Rows whose answer contradicts README, by upstream source line, each with
/// the `BUG` line in /work/wt/REQUESTS.md; the integrator empties it when fixing.
const KNOWN_BUGS: &[(&str, &str)] = &[];

#[derive(Deserialize)]
struct Data {
    defaults: Opts,
    rows: Vec<Row>,
}

#[derive(Deserialize, Clone, Copy, Default)]
struct Opts {
    casei: Option<bool>,
    litsep: Option<bool>,
    bsesc: Option<bool>,
    ealtre: Option<bool>,
}

#[derive(Deserialize)]
struct Row {
    name: String,
    kind: String,
    source: String,
    cfg: Option<String>,
    pattern: String,
    path: Option<String>,
    options: Option<Opts>,
    expected: Option<bool>,
    error: Option<String>,
}

/// globset's options, all set.
#[derive(Clone, Copy, PartialEq, Debug)]
struct Eff {
    casei: bool,
    litsep: bool,
    bsesc: bool,
    ealtre: bool,
}

impl Eff {
    fn of(row: Opts, defaults: Opts) -> Eff {
        let pick = |r: Option<bool>, d: Option<bool>| r.or(d).expect("defaults are all set");
        Eff {
            casei: pick(row.casei, defaults.casei),
            litsep: pick(row.litsep, defaults.litsep),
            bsesc: pick(row.bsesc, defaults.bsesc),
            ealtre: pick(row.ealtre, defaults.ealtre),
        }
    }

    /// Our dialect, with the row's case folding (the one option we have).
    fn dialect(self) -> Eff {
        Eff {
            casei: self.casei,
            litsep: true,
            bsesc: true,
            ealtre: true,
        }
    }
}

/// The pinned globset's answer.
fn globset(pattern: &str, path: &str, o: Eff) -> Result<bool, ErrorKind> {
    let glob = GlobBuilder::new(pattern)
        .case_insensitive(o.casei)
        .literal_separator(o.litsep)
        .backslash_escape(o.bsesc)
        .empty_alternates(o.ealtre)
        .build()
        .map_err(|e| e.kind().clone())?;
    Ok(glob.compile_matcher().is_match(path))
}

/// README: "a leading `/` or `./` is dropped, `//` collapsed, `.` segments
/// and a trailing `/` removed" (paths and patterns alike).
fn normalized(s: &str) -> String {
    let segs: Vec<&str> = s
        .split('/')
        .filter(|x| !x.is_empty() && *x != ".")
        .collect();
    segs.join("/")
}

/// A rewrite of the question that a README statement makes.
struct Rewrite {
    /// The class the row is counted in when this rewrite explains it.
    id: &'static str,
    /// Text README must contain: the statement the id names.
    readme: &'static str,
    /// Is this a documented difference (else a skip rule)?
    difference: bool,
    apply: fn(&str, &str) -> (String, String),
}

const REWRITES: &[Rewrite] = &[
    Rewrite {
        id: "rule path.normalized",
        readme: "a leading `/` or `./` is dropped, `//`\ncollapsed, `.` segments and a trailing `/` removed",
        difference: false,
        apply: |pat, path| (pat.to_string(), normalized(path)),
    },
    Rewrite {
        id: "pattern-normalized",
        readme: "| leading `/` or `./`, `//`, trailing `/` in patterns | dropped or collapsed",
        difference: true,
        apply: |pat, path| (normalized(pat), path.to_string()),
    },
    Rewrite {
        id: "dir-globstar-matches-dir",
        readme: "| `dir/**` | `dir` itself and everything below it |",
        difference: true,
        apply: |pat, path| (dir_globstar(pat), path.to_string()),
    },
    Rewrite {
        id: "brace-without-comma-is-literal",
        readme: "| `{x}` (no comma) | the literal text `{x}`",
        difference: true,
        apply: |pat, path| (literal_braces(pat), path.to_string()),
    },
];

/// `dir/**` also matches `dir`: globset's `dir{,/**}`.
fn dir_globstar(pat: &str) -> String {
    match pat.strip_suffix("/**") {
        Some(dir) if !dir.is_empty() && !dir.ends_with('/') => format!("{dir}{{,/**}}"),
        _ => pat.to_string(),
    }
}

/// `{x}` with no comma at its level is the literal text: escaped braces.
fn literal_braces(pat: &str) -> String {
    let chars: Vec<char> = pat.chars().collect();
    let mut literal = vec![false; chars.len()];
    let mut open: Vec<(usize, bool)> = Vec::new();
    let mut i = 0;
    while i < chars.len() {
        match chars[i] {
            '\\' => i += 1,
            '[' => i = class_end(&chars, i).unwrap_or(i),
            '{' => open.push((i, false)),
            ',' => {
                if let Some(top) = open.last_mut() {
                    top.1 = true;
                }
            }
            '}' => {
                if let Some((at, comma)) = open.pop() {
                    if !comma {
                        literal[at] = true;
                        literal[i] = true;
                    }
                }
            }
            _ => {}
        }
        i += 1;
    }
    let mut out = String::new();
    for (c, lit) in chars.iter().zip(literal) {
        if lit {
            out.push('\\');
        }
        out.push(*c);
    }
    out
}

/// The index of the `]` closing the class opened at `open` (globset's
/// reading: a `]` right after `[`, `[!` or `[^` is a member).
fn class_end(chars: &[char], open: usize) -> Option<usize> {
    let mut i = open + 1;
    if matches!(chars.get(i), Some('!' | '^')) {
        i += 1;
    }
    if chars.get(i) == Some(&']') {
        i += 1;
    }
    (i..chars.len()).find(|&j| chars[j] == ']')
}

/// README's promise for a question: every rewrite applied, then globset
/// with the dialect's options.
fn promise(pattern: &str, path: &str, d: Eff) -> Option<bool> {
    let (mut pat, mut p) = (pattern.to_string(), path.to_string());
    for r in REWRITES {
        (pat, p) = (r.apply)(&pat, &p);
    }
    globset(&pat, &p, d).ok()
}

/// Why README says a pattern is refused with `code` (the error table, or
/// the syntax table's sentence for `glob.slash_in_class`).
fn pattern_refusal_documented(code: &str, pattern: &str, upstream: Option<&ErrorKind>) -> bool {
    let chars: Vec<char> = pattern.chars().collect();
    let class_has_slash = (0..chars.len()).any(|i| {
        chars[i] == '['
            && (i == 0 || chars[i - 1] != '\\')
            && class_end(&chars, i).is_some_and(|e| chars[i + 1..e].contains(&'/'))
    });
    match code {
        "glob.unclosed_class" => matches!(upstream, Some(ErrorKind::UnclosedClass)),
        "glob.invalid_range" => matches!(upstream, Some(ErrorKind::InvalidRange(..))),
        "glob.unclosed_alternation" => matches!(upstream, Some(ErrorKind::UnclosedAlternates)),
        "glob.unopened_alternation" => matches!(upstream, Some(ErrorKind::UnopenedAlternates)),
        "glob.slash_in_class" => class_has_slash,
        "glob.star_run" => pattern.contains("***"),
        "glob.empty" => normalized(pattern).is_empty(),
        "glob.negation" => pattern.starts_with('!'),
        "glob.posix_class" => pattern.contains("[[:"),
        _ => false,
    }
}

/// README: a path with a `..` segment, a NUL, or an empty one is rejected.
fn path_refusal_documented(code: &str, path: &str) -> bool {
    match code {
        "path.parent_segment" => path.split('/').any(|s| s == ".."),
        "path.nul" => path.contains('\0'),
        "path.empty" => normalized(path).is_empty(),
        _ => false,
    }
}

fn policy(rules: serde_json::Value, casei: bool) -> Result<FilePolicy, String> {
    let groups = json!([{"id": "g", "permissions": ["documents"], "filePermissions": rules}]);
    let options = PolicyOptions {
        case_insensitive: casei,
        ..Default::default()
    };
    FilePolicy::from_json(&groups, options).map_err(|e| e.code().to_string())
}

/// The one-rule (allow the glob) and two-rule (allow `**`, deny the glob)
/// policies' answers, as "the glob matches" (or the error code).
fn policy_answers(pattern: &str, path: &str, casei: bool) -> [Result<bool, String>; 2] {
    let allow = json!([{"effect": "allow", "actions": ["visible"], "patterns": [pattern]}]);
    let deny = json!([
        {"effect": "allow", "actions": ["visible"], "patterns": ["**"]},
        {"effect": "deny", "actions": ["visible"], "patterns": [pattern]},
    ]);
    let check = |p: FilePolicy| {
        p.check(&["g"], path, Action::Visible)
            .map_err(|e| e.code().to_string())
    };
    [
        policy(allow, casei).and_then(check),
        policy(deny, casei).and_then(check).map(|allowed| !allowed),
    ]
}

/// README: `[abc]` is "one ASCII character of the class", so `P` with its
/// last letter or digit `c` written `[c]` is `P`. A class is never a
/// simple shape (a trie entry: a literal path, `dir/**`, `**/name`,
/// `dir/*.ext`, `dir/**/*.ext`), so this asks the automaton the question
/// the trie may have answered: the two must agree.
fn automaton_route(
    pattern: &str,
    path: &str,
    casei: bool,
    ours: &Result<bool, String>,
) -> Option<String> {
    let chars: Vec<char> = pattern.chars().collect();
    let mut last = None;
    let mut i = 0;
    while i < chars.len() {
        match chars[i] {
            '\\' => i += 1,
            '[' => i = class_end(&chars, i).unwrap_or(chars.len()),
            c if c.is_ascii_alphanumeric() => last = Some(i),
            _ => {}
        }
        i += 1;
    }
    let at = last?;
    let classed: String = chars[..at]
        .iter()
        .chain(['[', chars[at], ']'].iter())
        .chain(&chars[at + 1..])
        .collect();
    let options = GlobOptions {
        case_insensitive: casei,
    };
    let got = glob_match_with(&classed, path, options).map_err(|e| e.code().to_string());
    (got != *ours).then(|| format!("{classed:?} (automaton) says {got:?}, {pattern:?} {ours:?}"))
}

/// How one row ended.
enum Class {
    Agree,
    /// Agree, on a pattern or path that normalization rewrote first.
    AgreeNormalized,
    Skipped(String),
    Refused(String),
    Difference(&'static str),
    KnownBug,
}

/// A `matches!` / `nmatches!` row.
fn match_row(row: &Row, defaults: Opts, readme: &str) -> Result<Class, String> {
    if row.cfg.as_deref() == Some("not(unix)") {
        return Ok(Class::Skipped("rule cfg.not_unix".into()));
    }
    let path = row.path.as_deref().expect("match rows have a path");
    let expected = row.expected.expect("match rows expect an answer");
    let eff = Eff::of(row.options.unwrap_or_default(), defaults);
    if globset(&row.pattern, path, eff) != Ok(expected) {
        return Err("the pinned globset does not give the row's answer: bad data".into());
    }
    let d = eff.dialect();
    if globset(&row.pattern, path, d) != Ok(expected) {
        return Ok(Class::Skipped(option_rule(&row.pattern, path, eff)));
    }
    let ours = glob_match_with(
        &row.pattern,
        path,
        GlobOptions {
            case_insensitive: d.casei,
        },
    )
    .map_err(|e| e.code().to_string());
    for (kind, answer) in
        ["one-rule", "two-rule"]
            .iter()
            .zip(policy_answers(&row.pattern, path, d.casei))
    {
        if answer != ours {
            return Err(format!(
                "{kind} FilePolicy says {answer:?}, glob_match {ours:?}"
            ));
        }
    }
    if let Some(err) = automaton_route(&row.pattern, path, d.casei, &ours) {
        return Err(err);
    }
    let ours = match ours {
        Ok(b) => b,
        Err(code) => return refusal(&code, &row.pattern, path, readme),
    };
    let promised = promise(&row.pattern, path, d);
    if promised != Some(ours) {
        return Err(format!("ours {ours}, README's promise {promised:?}"));
    }
    if ours == expected {
        let changed = normalized(&row.pattern) != row.pattern || normalized(path) != path;
        return Ok(if changed {
            Class::AgreeNormalized
        } else {
            Class::Agree
        });
    }
    for r in REWRITES {
        let (pat, p) = (r.apply)(&row.pattern, path);
        if globset(&pat, &p, d) == Ok(ours) {
            if !readme.contains(r.readme) {
                return Err(format!("README no longer says {:?} ({})", r.readme, r.id));
            }
            return Ok(if r.difference {
                Class::Difference(r.id)
            } else {
                Class::Skipped(r.id.into())
            });
        }
    }
    Err(format!(
        "ours {ours}, upstream {expected}, no README statement explains it"
    ))
}

/// The skip rule for a row whose answer changes with our options: the
/// first option that alone changes it.
fn option_rule(pattern: &str, path: &str, eff: Eff) -> String {
    let d = eff.dialect();
    let want = globset(pattern, path, eff);
    let flips = [
        (
            "literal_separator",
            eff.litsep,
            Eff {
                litsep: d.litsep,
                ..eff
            },
        ),
        (
            "backslash_escape",
            eff.bsesc,
            Eff {
                bsesc: d.bsesc,
                ..eff
            },
        ),
        (
            "empty_alternates",
            eff.ealtre,
            Eff {
                ealtre: d.ealtre,
                ..eff
            },
        ),
    ];
    for (name, value, flipped) in flips {
        if flipped != eff && globset(pattern, path, flipped) != want {
            return format!("rule option.{name}={value}");
        }
    }
    "rule option.combined".into()
}

/// A refusal is counted only when README documents the code for this input.
fn refusal(code: &str, pattern: &str, path: &str, readme: &str) -> Result<Class, String> {
    let documented = readme.contains(&format!("`{code}`"))
        && if code.starts_with("path.") {
            path_refusal_documented(code, path)
        } else {
            pattern_refusal_documented(code, pattern, None)
        };
    if documented {
        Ok(Class::Refused(code.to_string()))
    } else {
        Err(format!(
            "refused with {code}, which README does not promise here"
        ))
    }
}

/// A `syntaxerr!` row: we must refuse the pattern with the code README's
/// error table gives for globset's error kind.
fn syntax_row(row: &Row, readme: &str) -> Result<Class, String> {
    let upstream = GlobBuilder::new(&row.pattern)
        .build()
        .map(|_| ())
        .map_err(|e| e.kind().clone());
    let Err(kind) = upstream else {
        return Err("the pinned globset accepts the pattern: bad data".into());
    };
    if Some(format!("{kind:?}").split('(').next().unwrap_or("")) != row.error.as_deref() {
        return Err(format!("the pinned globset says {kind:?}: bad data"));
    }
    let code = match glob_match_with(&row.pattern, "a", GlobOptions::default()) {
        Ok(b) => {
            return Err(format!(
                "accepted (answers {b}), globset refuses with {kind:?}"
            ))
        }
        Err(e) => e.code().to_string(),
    };
    for (which, answer) in
        ["one-rule", "two-rule"]
            .iter()
            .zip(policy_answers(&row.pattern, "a", false))
    {
        if answer != Err(code.clone()) {
            return Err(format!(
                "{which} FilePolicy says {answer:?}, glob_match {code}"
            ));
        }
    }
    if readme.contains(&format!("`{code}`"))
        && pattern_refusal_documented(&code, &row.pattern, Some(&kind))
    {
        Ok(Class::Refused(code))
    } else {
        Err(format!(
            "refused with {code}, README gives another code for {kind:?}"
        ))
    }
}

#[test]
fn globset_cases() {
    let root = env!("CARGO_MANIFEST_DIR");
    let text = std::fs::read_to_string(format!("{root}/tests/foreign/globset/cases.json"))
        .expect("run tests/foreign/extract-globset.mjs");
    let data: Data = serde_json::from_str(&text).expect("cases.json");
    let readme = std::fs::read_to_string(format!("{root}/README.md")).expect("README.md");
    let mut counts: BTreeMap<String, usize> = BTreeMap::new();
    let mut failures = Vec::new();
    for row in &data.rows {
        let class = match row.kind.as_str() {
            "syntaxerr" => syntax_row(row, &readme),
            _ => match_row(row, data.defaults, &readme),
        };
        let bug = KNOWN_BUGS.iter().find(|(src, _)| *src == row.source);
        let class = match (class, bug) {
            (Err(_), Some(_)) => Class::KnownBug,
            (Ok(_), Some((src, _))) => {
                failures.push(format!("{src}: listed in KNOWN_BUGS but passes; remove it"));
                continue;
            }
            (Ok(c), None) => c,
            (Err(why), None) => {
                failures.push(format!(
                    "{} {} {:?} {:?}: {why}",
                    row.source, row.name, row.pattern, row.path
                ));
                continue;
            }
        };
        let key = match class {
            Class::Agree => "in-dialect agree".to_string(),
            Class::AgreeNormalized => {
                "in-dialect agree (after normalizing pattern or path)".to_string()
            }
            Class::Skipped(rule) => format!("skipped by {rule}"),
            Class::Refused(code) => format!("refused by {code}"),
            Class::Difference(id) => format!("documented difference {id}"),
            Class::KnownBug => "known bug".to_string(),
        };
        if std::env::var_os("GLOBSET_ROWS").is_some() {
            eprintln!(
                "{} {} {:?} {:?}: {key}",
                row.source, row.name, row.pattern, row.path
            );
        }
        *counts.entry(key).or_default() += 1;
    }
    eprintln!("globset 0.4.21 cases: {} rows read", data.rows.len());
    for (k, n) in &counts {
        eprintln!("  {n:4}  {k}");
    }
    assert!(
        failures.is_empty(),
        "{} rows fail:\n{}",
        failures.len(),
        failures.join("\n")
    );
    assert_eq!(counts.values().sum::<usize>(), data.rows.len());
}

/// All accepted rows' globs in ONE policy (a group per glob, so the
/// automaton shares their states): each group must answer as `glob_match`.
#[test]
fn one_policy_of_every_glob_agrees() {
    let root = env!("CARGO_MANIFEST_DIR");
    let text = std::fs::read_to_string(format!("{root}/tests/foreign/globset/cases.json")).unwrap();
    let data: Data = serde_json::from_str(&text).unwrap();
    for casei in [false, true] {
        let mut globs: Vec<&str> = Vec::new();
        let mut questions = Vec::new();
        for row in data.rows.iter().filter(|r| r.kind != "syntaxerr") {
            let path = row.path.as_deref().unwrap();
            let options = GlobOptions {
                case_insensitive: casei,
            };
            let Ok(ours) = glob_match_with(&row.pattern, path, options) else {
                continue;
            };
            let at = globs
                .iter()
                .position(|g| *g == row.pattern)
                .unwrap_or_else(|| {
                    globs.push(&row.pattern);
                    globs.len() - 1
                });
            questions.push((at, path, ours, &row.source));
        }
        let groups: Vec<_> = globs
            .iter()
            .enumerate()
            .map(|(i, g)| {
                json!({"id": format!("g{i}"), "permissions": ["documents"], "filePermissions": [
                {"effect": "allow", "actions": ["visible"], "patterns": [g]}]})
            })
            .collect();
        let options = PolicyOptions {
            case_insensitive: casei,
            ..Default::default()
        };
        let p = FilePolicy::from_json(&json!(groups), options).expect("every glob was accepted");
        assert!(questions.len() > 100, "{} questions", questions.len());
        for (at, path, ours, source) in questions {
            let got = p.check(&[format!("g{at}")], path, Action::Visible).unwrap();
            assert_eq!(got, ours, "{source} {:?} {path:?} casei {casei}", globs[at]);
        }
    }
}
