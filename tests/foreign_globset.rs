//! globset 0.4.21's own hand-written cases (src/glob.rs `matches!`,
//! `nmatches!`, `syntaxerr!`; src/lib.rs's set tests' `is_match`,
//! `matches`, `matches_all` calls), vendored as data in
//! `tests/foreign/globset/cases.json` by `tests/foreign/extract-globset.mjs`,
//! run through our public Rust API: `glob_match_with`; a one-rule and a
//! two-rule `FilePolicy` that must answer as `glob_match` does; the same
//! question asked of the automaton (see [`automaton_route`]); and, for the
//! sets, one policy holding every glob of the set.
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

use globset::GlobBuilder;
use groupgate::files::{Action, FilePolicy, PolicyOptions};
use groupgate::{glob_match_with, GlobOptions};
use serde::Deserialize;
use serde_json::json;

#[path = "support/globset_rules.rs"]
mod rules;
use rules::*;

/// Rows whose answer contradicts README, by upstream source line, each with
/// the `BUG` line in /work/wt/REQUESTS.md; the integrator empties it when fixing.
const KNOWN_BUGS: &[(&str, &str)] = &[];

#[derive(Deserialize)]
struct Data {
    defaults: Opts,
    rows: Vec<Row>,
    classes: Vec<ClassRow>,
    regexes: Vec<RegexRow>,
    sets: Vec<SetRow>,
}

/// A `toregex!` row of src/glob.rs: the regex globset compiles the glob to
/// (after its `(?-u)`), under the row's options (`unccls`:
/// `allow_unclosed_class`, an option only these rows set).
#[derive(Deserialize)]
struct RegexRow {
    name: String,
    source: String,
    pattern: String,
    regex: String,
    options: RegexOpts,
}

#[derive(Deserialize, Clone, Copy)]
struct RegexOpts {
    #[serde(flatten)]
    glob: Opts,
    unccls: Option<bool>,
}

/// A `syntax!` row of src/glob.rs whose tokens are one class: upstream
/// states what the class holds (`]` first, `-` at an end, `[!!]`).
#[derive(Deserialize)]
struct ClassRow {
    name: String,
    source: String,
    pattern: String,
    negated: bool,
    ranges: Vec<(char, char)>,
}

/// One `is_match` / `matches` / `matches_all` call of a src/lib.rs test.
#[derive(Deserialize)]
struct SetRow {
    name: String,
    source: String,
    api: String,
    globs: Vec<SetGlob>,
    path: String,
    expected: serde_json::Value,
}

#[derive(Deserialize)]
struct SetGlob {
    pattern: String,
    options: Opts,
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
    let explains = |r: &Rewrite| {
        let (pat, p) = (r.apply)(&row.pattern, path);
        globset(&pat, &p, d) == Ok(ours)
    };
    explained(
        readme,
        explains,
        format!("ours {ours}, upstream {expected}"),
    )
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
        let key = label(class);
        if std::env::var_os("GLOBSET_ROWS").is_some() {
            eprintln!(
                "{} {} {:?} {:?}: {key}",
                row.source, row.name, row.pattern, row.path
            );
        }
        *counts.entry(key).or_default() += 1;
    }
    for row in &data.sets {
        let class = set_row(row, data.defaults, &readme);
        let key = match class {
            Ok(c) => format!("set {}", label(c)),
            Err(why) => {
                failures.push(format!("{} {} {:?}: {why}", row.source, row.name, row.path));
                continue;
            }
        };
        if std::env::var_os("GLOBSET_ROWS").is_some() {
            eprintln!(
                "{} {} {} {:?}: {key}",
                row.source, row.name, row.api, row.path
            );
        }
        *counts.entry(key).or_default() += 1;
    }
    eprintln!(
        "globset 0.4.21 cases: {} rows read ({} glob rows of src/glob.rs, {} set rows of src/lib.rs)",
        data.rows.len() + data.sets.len(),
        data.rows.len(),
        data.sets.len()
    );
    for (k, n) in &counts {
        eprintln!("  {n:4}  {k}");
    }
    assert!(
        failures.is_empty(),
        "{} rows fail:\n{}",
        failures.len(),
        failures.join("\n")
    );
    assert_eq!(
        counts.values().sum::<usize>(),
        data.rows.len() + data.sets.len()
    );
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

/// A set's answer from its globs' answers, as globset's `api` gives it.
fn combine(api: &str, each: &[bool]) -> serde_json::Value {
    match api {
        "is_match" => json!(each.iter().any(|&b| b)),
        "matches_all" => json!(each.iter().all(|&b| b)),
        _ => json!((0..each.len()).filter(|&i| each[i]).collect::<Vec<_>>()),
    }
}

/// Each glob's answer from ONE policy holding them all (a group per glob,
/// a policy per case mode), and the set's `is_match` from one allow rule
/// holding every glob (`patterns: []` for an empty set: matches nothing).
fn set_policy_answers(globs: &[(&str, bool)], path: &str) -> Result<(Vec<bool>, bool), String> {
    let mut each = vec![false; globs.len()];
    for casei in [false, true] {
        let groups: Vec<_> = (0..globs.len())
            .filter(|&i| globs[i].1 == casei)
            .map(|i| {
                json!({"id": format!("g{i}"), "permissions": ["documents"], "filePermissions": [
                {"effect": "allow", "actions": ["visible"], "patterns": [globs[i].0]}]})
            })
            .collect();
        let options = PolicyOptions {
            case_insensitive: casei,
            ..Default::default()
        };
        let p = FilePolicy::from_json(&json!(groups), options).map_err(|e| e.code().to_string())?;
        for i in (0..globs.len()).filter(|&i| globs[i].1 == casei) {
            each[i] = p
                .check(&[format!("g{i}")], path, Action::Visible)
                .map_err(|e| e.code().to_string())?;
        }
    }
    let casei = globs.first().is_some_and(|g| g.1);
    let any = if globs.iter().all(|g| g.1 == casei) {
        let patterns: Vec<&str> = globs.iter().map(|g| g.0).collect();
        let allow = json!([{"effect": "allow", "actions": ["visible"], "patterns": patterns}]);
        policy(allow, casei)?
            .check(&["g"], path, Action::Visible)
            .map_err(|e| e.code().to_string())?
    } else {
        each.iter().any(|&b| b)
    };
    Ok((each, any))
}

/// The pinned globset's SET answer (a set may answer where its globs'
/// matchers do not: `**/..` against `parent/..`).
fn upstream_set(globs: &[(&str, Eff)], api: &str, path: &str) -> serde_json::Value {
    let mut b = globset::GlobSetBuilder::new();
    for (g, e) in globs {
        let glob = GlobBuilder::new(g)
            .case_insensitive(e.casei)
            .literal_separator(e.litsep)
            .backslash_escape(e.bsesc)
            .empty_alternates(e.ealtre)
            .build()
            .expect("upstream globs build");
        b.add(glob);
    }
    let set = b.build().expect("upstream sets build");
    match api {
        "is_match" => json!(set.is_match(path)),
        "matches_all" => json!(set.matches_all(path)),
        _ => json!(set.matches(path)),
    }
}

/// A set row: the rules of [`match_row`], glob by glob, on the set's
/// answer. A glob we refuse is dropped from the set when upstream says it
/// does not match the path (the set's answer is then the rest's, indexes
/// renumbered), else the row is refused by its code.
fn set_row(row: &SetRow, defaults: Opts, readme: &str) -> Result<Class, String> {
    let mut globs: Vec<(&str, Eff)> = row
        .globs
        .iter()
        .map(|g| (g.pattern.as_str(), Eff::of(g.options, defaults)))
        .collect();
    if upstream_set(&globs, &row.api, &row.path) != row.expected {
        return Err("the pinned globset does not give the row's answer: bad data".into());
    }
    for (g, e) in &globs {
        if globset(g, &row.path, *e) != globset(g, &row.path, e.dialect()) {
            return Ok(Class::Skipped(option_rule(g, &row.path, *e)));
        }
    }
    let mut expected = row.expected.clone();
    let mut dropped = None;
    for i in (0..globs.len()).rev() {
        let (g, e) = globs[i];
        let Err(err) = glob_match_with(
            g,
            "a",
            GlobOptions {
                case_insensitive: e.casei,
            },
        ) else {
            continue;
        };
        let refused = refusal(err.code(), g, &row.path, readme)?;
        if row.api == "matches_all" || globset(g, &row.path, e) != Ok(false) {
            return Ok(refused);
        }
        globs.remove(i);
        dropped = Some(err.code());
        if let Some(ix) = expected.as_array() {
            let left = ix
                .iter()
                .filter_map(|v| v.as_u64())
                .filter(|&v| v != i as u64);
            expected = json!(left
                .map(|v| if v > i as u64 { v - 1 } else { v })
                .collect::<Vec<_>>());
        }
    }
    let class = set_answer(&globs, &row.api, &row.path, &expected, readme)?;
    Ok(match (dropped, class) {
        (Some(code), Class::Agree | Class::AgreeNormalized) => {
            Class::Refused(format!("{code} (that glob dropped, the rest agree)"))
        }
        (_, class) => class,
    })
}

/// Our answer to a set row (each glob through `glob_match_with`, the
/// shared policy, README's promise), classed against `expected`.
fn set_answer(
    globs: &[(&str, Eff)],
    api: &str,
    path: &str,
    expected: &serde_json::Value,
    readme: &str,
) -> Result<Class, String> {
    let mut each = Vec::new();
    for (g, e) in globs {
        match glob_match_with(
            g,
            path,
            GlobOptions {
                case_insensitive: e.casei,
            },
        ) {
            Ok(b) => each.push(b),
            Err(err) => return refusal(err.code(), g, path, readme),
        }
    }
    let cased: Vec<(&str, bool)> = globs.iter().map(|(g, e)| (*g, e.casei)).collect();
    let answers = set_policy_answers(&cased, path);
    let want = Ok((each.clone(), each.iter().any(|&b| b)));
    match answers {
        Err(code) if globs.is_empty() => return refusal(&code, "", path, readme),
        a if a != want => return Err(format!("the shared policy says {a:?}, glob_match {want:?}")),
        _ => {}
    }
    let ours = combine(api, &each);
    let ask = |rewrite: &dyn Fn(&str) -> (String, String)| {
        let each: Option<Vec<bool>> = globs
            .iter()
            .map(|(g, e)| {
                let (pat, p) = rewrite(g);
                globset(&pat, &p, e.dialect()).ok()
            })
            .collect();
        each.map(|e| combine(api, &e))
    };
    let promised = globs
        .iter()
        .map(|(g, e)| promise(g, path, e.dialect()))
        .collect::<Option<Vec<_>>>();
    if promised.map(|p| combine(api, &p)) != Some(ours.clone()) {
        return Err(format!("ours {each:?}, not README's promise"));
    }
    if ours == *expected {
        let changed = normalized(path) != path || globs.iter().any(|(g, _)| normalized(g) != *g);
        return Ok(if changed {
            Class::AgreeNormalized
        } else {
            Class::Agree
        });
    }
    let explains = |r: &Rewrite| ask(&|g| (r.apply)(g, path)) == Some(ours.clone());
    explained(
        readme,
        explains,
        format!("ours {ours}, upstream {expected}"),
    )
}

/// A class's name in the counts.
fn label(class: Class) -> String {
    match class {
        Class::Agree => "in-dialect agree".to_string(),
        Class::AgreeNormalized => {
            "in-dialect agree (after normalizing pattern or path)".to_string()
        }
        Class::Skipped(rule) => format!("skipped by {rule}"),
        Class::Refused(code) => format!("refused by {code}"),
        Class::Difference(id) => format!("documented difference {id}"),
        Class::KnownBug => "known bug".to_string(),
    }
}

/// Every README statement a rewrite stands for is in README, whether or
/// not a row needs it today.
#[test]
fn every_rewrite_names_readme_text() {
    let readme =
        std::fs::read_to_string(concat!(env!("CARGO_MANIFEST_DIR"), "/README.md")).unwrap();
    for r in REWRITES {
        assert!(
            squash(&readme).contains(&squash(r.readme)),
            "{}: {:?}",
            r.id,
            r.readme
        );
    }
}

/// Case folding beyond ASCII, as globset 0.4.21 does it: none. Its regex
/// starts `(?-u)` then `(?i)` (ripgrep@55f2f69:crates/globset/src/glob.rs:696-698)
/// and writes a non-ASCII character as its UTF-8 bytes `\xNN`
/// (glob.rs:788-809, `char_to_escaped_literal`; its own `re11`, glob.rs:1387,
/// `☃` → `\xe2\x98\x83`), and with Unicode off the regex crate folds ASCII
/// letters only. So K (U+212A KELVIN SIGN) is not `k`, ſ (U+017F) not `s`,
/// İ (U+0130) not `i`, and non-ASCII letters not each other. README:
/// `caseInsensitive` "folds ASCII case". A deny globset would apply and we
/// would not is a wrong grant: each row goes through the pinned globset,
/// `glob_match_with`, an allow rule and a deny rule, and all must give the
/// row's answer. (picomatch's and minimatch's `nocase`, a RegExp `i` without
/// `u`, do not fold these to ASCII either; they do fold `Å`/`å`, `Σ`/`σ`:
/// README's minimatch table.)
const FOLDS: &[(&str, &str, bool)] = &[
    ("k", "\u{212A}", false),
    ("K", "\u{212A}", false),
    ("\u{212A}", "k", false),
    ("\u{212A}", "K", false),
    ("\u{212A}", "\u{212A}", true),
    ("*.KEY", "a.\u{212A}ey", false),
    ("s", "\u{17F}", false),
    ("\u{17F}", "S", false),
    ("secret/**", "\u{17F}ecret/x", false),
    ("SECRET/**", "secret/x", true),
    ("i", "\u{130}", false),
    ("\u{130}", "i", false),
    ("I", "\u{131}", false),
    ("\u{131}", "I", false),
    ("ss", "\u{DF}", false),
    ("\u{DF}", "ss", false),
    ("\u{DF}", "\u{1E9E}", false),
    ("\u{1E9E}", "\u{DF}", false),
    ("\u{E5}", "\u{C5}", false),
    ("\u{C5}", "\u{E5}", false),
    ("\u{212B}", "\u{E5}", false),
    ("\u{3C3}", "\u{3A3}", false),
    ("\u{3C2}", "\u{3C3}", false),
    ("[a-z]", "\u{212A}", false),
    ("[k]", "\u{212A}", false),
    ("[!k]", "\u{212A}", false),
    ("?", "\u{212A}", false),
    ("???", "\u{212A}", true),
    ("k", "K", true),
    ("[!k]", "K", false),
    ("[a-z]", "Q", true),
];

#[test]
fn case_folding_beyond_ascii_is_globsets() {
    let re = GlobBuilder::new("\u{212A}")
        .case_insensitive(true)
        .build()
        .unwrap();
    assert_eq!(
        re.regex(),
        r"(?-u)(?i)^\xe2\x84\xaa$",
        "globset's folding changed"
    );
    let d = Eff {
        casei: true,
        ..DIALECT
    };
    for &(pattern, path, expected) in FOLDS {
        let ours = glob_match_with(
            pattern,
            path,
            GlobOptions {
                case_insensitive: true,
            },
        )
        .map_err(|e| e.code().to_string());
        let up = globset(pattern, path, d).map_err(|e| format!("{e:?}"));
        let [allow, deny] = policy_answers(pattern, path, true);
        assert_eq!(
            [up, ours, allow, deny],
            [Ok(expected), Ok(expected), Ok(expected), Ok(expected)],
            "{pattern:?} {path:?}: globset, glob_match_with, allow rule, deny rule"
        );
    }
}

/// Every one-class `syntax!` row of src/glob.rs (cls1-cls21): upstream's
/// tokens say which characters the class holds, so `x[...]y` against
/// `x{c}y` for every printable ASCII `c`, with and without case folding
/// (globset folds a class's ASCII letters before negating it), must match
/// exactly those, through the pinned globset (with `literal_separator`),
/// `glob_match_with`, an allow rule and a deny rule, except that ours never
/// matches `/` (README: a class "never `/` (a range spanning `/` leaves it
/// out)"; globset's negated classes and `[--z]` do match it).
#[test]
fn globset_class_rows() {
    let root = env!("CARGO_MANIFEST_DIR");
    let text = std::fs::read_to_string(format!("{root}/tests/foreign/globset/cases.json")).unwrap();
    let data: Data = serde_json::from_str(&text).unwrap();
    assert_eq!(data.classes.len(), 21, "cls1-cls21 of src/glob.rs");
    let mut asked = 0;
    for row in &data.classes {
        let pattern = format!("x{}y", row.pattern);
        for casei in [false, true] {
            let holds = |c: char| {
                let folded = [c, c.to_ascii_lowercase(), c.to_ascii_uppercase()];
                let n = if casei { 3 } else { 1 };
                let any = row
                    .ranges
                    .iter()
                    .any(|&(lo, hi)| folded[..n].iter().any(|f| (lo..=hi).contains(f)));
                any != row.negated
            };
            let rules = json!([
                {"id": "allow", "permissions": ["documents"], "filePermissions": [
                    {"effect": "allow", "actions": ["visible"], "patterns": [pattern]}]},
                {"id": "deny", "permissions": ["documents"], "filePermissions": [
                    {"effect": "allow", "actions": ["visible"], "patterns": ["**"]},
                    {"effect": "deny", "actions": ["visible"], "patterns": [pattern]}]},
            ]);
            let options = PolicyOptions {
                case_insensitive: casei,
                ..Default::default()
            };
            let p = FilePolicy::from_json(&rules, options).expect("the class is accepted");
            let eff = Eff {
                casei,
                litsep: true,
                bsesc: true,
                ealtre: true,
            };
            for c in ' '..='~' {
                let path = format!("x{c}y");
                let want = holds(c);
                let at = format!(
                    "{} {} {pattern:?} {path:?} casei {casei}",
                    row.source, row.name
                );
                assert_eq!(globset(&pattern, &path, eff), Ok(want), "{at}: bad data");
                let ours = want && c != '/';
                let got = glob_match_with(
                    &pattern,
                    &path,
                    GlobOptions {
                        case_insensitive: casei,
                    },
                );
                assert_eq!(got.ok(), Some(ours), "{at}: glob_match_with");
                let allow = p.check(&["allow"], &path, Action::Visible).unwrap();
                let denied = !p.check(&["deny"], &path, Action::Visible).unwrap();
                assert_eq!((allow, denied), (ours, ours), "{at}: allow rule, deny rule");
                asked += 1;
            }
        }
    }
    eprintln!(
        "globset class rows: {} classes, {asked} questions",
        data.classes.len()
    );
}

/// Spellings globset reads otherwise than picomatch, minimatch and bash,
/// so that any reading gives some authors a narrower deny than they wrote:
/// README refuses them (SPEC §2: where the reference engines disagree, a
/// pattern is refused with a named error, never guessed). Found by asking
/// both the watch list of this suite and README's globset table (conf7).
/// globset's class parser (ripgrep@55f2f69:crates/globset/src/glob.rs:982-1071)
/// has no escape (`\` is a member: `[\]]` is the class `\` then a literal
/// `]`, `[\-a]` the range `\`-`a`) and lets a `-` after a range extend that
/// range (`add_to_last_range`, glob.rs:988-1002, called at 1049-1057 on the
/// last range, whole or not: `[a-c-e]` is `[a-e]`); its braces are an
/// alternation whatever the number of branches (`push_alternate` /
/// `pop_alternate`, glob.rs:859-873; its own `matchalt8`, glob.rs:1501:
/// `{foo}` matches `foo`). picomatch 4 and minimatch 10 read `\` in a class
/// as an escape and `[a-c-e]` as a-c, `-`, `e`; picomatch and bash read
/// `{foo}` as text (tests/js/foreign-picomatch.test.mjs pins their side).
/// [pattern, a path globset matches, one it does not, code, byte].
/// Our dialect as globset options, case-sensitive.
const DIALECT: Eff = Eff {
    casei: false,
    litsep: true,
    bsesc: true,
    ealtre: true,
};

const READ_APART: &[(&str, &str, &str, &str, usize)] = &[
    (r"[\]]", r"\]", "]", "glob.class_escape", 1),
    (r"[\-a]", "_", "-", "glob.class_escape", 1),
    (r"x[a\]]", r"xa]", "x]", "glob.class_escape", 3),
    ("[a-c-e]", "d", "-", "glob.range_after_range", 4),
    ("[!a-c-e]", "-", "d", "glob.range_after_range", 5),
    ("[+---0]", ".", "a", "glob.range_after_range", 4),
    ("{foo}", "foo", "{foo}", "glob.single_alternative", 0),
    ("a{}b", "ab", "a{}b", "glob.single_alternative", 1),
    ("{{a,b}}", "a", "{a}", "glob.single_alternative", 0),
    (
        "users/{id}/**",
        "users/id/x",
        "users/{id}/x",
        "glob.single_alternative",
        6,
    ),
    ("x/{a,{b}}", "x/b", "x/{b}", "glob.single_alternative", 5),
];

#[test]
fn spellings_globset_reads_otherwise_are_refused() {
    for &(pattern, theirs, not_theirs, code, byte) in READ_APART {
        assert_eq!(
            (
                globset(pattern, theirs, DIALECT),
                globset(pattern, not_theirs, DIALECT)
            ),
            (Ok(true), Ok(false)),
            "{pattern:?}: globset's reading changed"
        );
        for path in [theirs, not_theirs] {
            let e = glob_match_with(pattern, path, GlobOptions::default()).unwrap_err();
            let issue = &e.issues[0];
            assert_eq!(
                (issue.code, issue.position),
                (code, Some(byte)),
                "{pattern:?}"
            );
            let err = Err(code.to_string());
            let [allow, deny] = policy_answers(pattern, path, false);
            assert_eq!(
                [allow, deny],
                [err.clone(), err],
                "{pattern:?}: allow, deny rule"
            );
        }
    }
}

/// What all the engines read alike stays accepted: `\\` in a class, `]`
/// first, `-` at an end, escaped braces, braces with a comma (globset,
/// ours and README's promise agree on each).
const READ_ALIKE: &[(&str, &str, bool)] = &[
    (r"[\\]", r"\", true),
    (r"[\\-a]", "_", true),
    ("[]]", "]", true),
    ("[]-]", "-", true),
    ("[a-c-]", "-", true),
    ("[a-c-]", "d", false),
    ("[-a-c]", "b", true),
    ("[---a]", "a", true),
    ("[---a]", "b", false),
    (r"\{foo\}", "{foo}", true),
    (r"\{foo\}", "foo", false),
    ("{a,b}", "b", true),
    ("x{,.bak}", "x", true),
    ("x{,.bak}", "x.bak", true),
];

#[test]
fn spellings_read_alike_are_accepted() {
    for &(pattern, path, want) in READ_ALIKE {
        let ours = glob_match_with(pattern, path, GlobOptions::default())
            .map_err(|e| e.code().to_string());
        let [allow, deny] = policy_answers(pattern, path, false);
        assert_eq!(
            (globset(pattern, path, DIALECT), ours, allow, deny),
            (Ok(want), Ok(want), Ok(want), Ok(want)),
            "{pattern:?} {path:?}: globset, ours, allow rule, deny rule"
        );
    }
}

/// One glob's answers to REGEX_PROBES (or the code it is refused with).
type Answers = Vec<Result<bool, String>>;

/// Paths every `toregex!` row's glob is asked of: the letters and
/// separators of those globs, nested and not, normalized forms, the
/// literal text of the unclosed-class rows.
const REGEX_PROBES: &[&str] = &[
    "a", "b", "c", "d", "x", "A", "ab", "aab", "abb", "ba", "aXb", "a.b", "abc", "xyz", "a/b",
    "a/a/b", "a/x/b", "a/x/y/b", "a/x", "x/a", "x/b", "x/y", "x/y/b", ".a", "x/.a", "/a", "a/",
    "/", "\u{2603}", "+", "*", "[", "[abc", "[]", "[][", "[!", "[!]", "[xyz", "{a}", "a/b/c",
];

/// Every `toregex!` row of src/glob.rs (globset's regex for a glob). The
/// pinned globset must still compile the row's glob to the row's regex;
/// then each glob is asked every REGEX_PROBES path with our options
/// (`glob_match_with`, an allow rule and a deny rule, which must agree), and
/// our answer must be README's promise (globset in our dialect on the
/// normalized question with the documented rewrites) or a refusal README
/// gives for it; and globs upstream compiles to ONE regex, with its
/// default options and with ours (`**/**` and `**`, `a/**/**/b` and
/// `a/**/b`, ...; not `**` and `*`, alike only across `/`), must answer
/// alike. The
/// `allow_unclosed_class` rows (an option we do not have: `[abc` as
/// literal text) must be refused as README's `glob.unclosed_class` or
/// `glob.unclosed_alternation`.
#[test]
fn globset_regex_rows() {
    let root = env!("CARGO_MANIFEST_DIR");
    let text = std::fs::read_to_string(format!("{root}/tests/foreign/globset/cases.json")).unwrap();
    let data: Data = serde_json::from_str(&text).unwrap();
    let readme = std::fs::read_to_string(format!("{root}/README.md")).unwrap();
    assert_eq!(data.regexes.len(), 50, "the toregex! rows of src/glob.rs");
    let mut counts: BTreeMap<String, usize> = BTreeMap::new();
    // Globs upstream compiles to one regex, and to one regex in our dialect.
    let mut alike: BTreeMap<(String, String), Vec<(&str, Answers)>> = BTreeMap::new();
    for row in &data.regexes {
        let e = Eff::of(row.options.glob, data.defaults);
        let unccls = row.options.unccls.unwrap_or(false);
        let upstream = GlobBuilder::new(&row.pattern)
            .case_insensitive(e.casei)
            .literal_separator(e.litsep)
            .backslash_escape(e.bsesc)
            .empty_alternates(e.ealtre)
            .allow_unclosed_class(unccls)
            .build()
            .expect("upstream builds its toregex! globs");
        let at = format!("{} {} {:?}", row.source, row.name, row.pattern);
        assert_eq!(
            upstream.regex(),
            format!("(?-u){}", row.regex),
            "{at}: bad data"
        );
        let options = GlobOptions {
            case_insensitive: e.casei,
        };
        let mut answers = Vec::new();
        for path in REGEX_PROBES {
            let ours =
                glob_match_with(&row.pattern, path, options).map_err(|e| e.code().to_string());
            // An empty glob is dropped from a rule (README: "empty pieces dropped").
            if !row.pattern.is_empty() {
                let [allow, deny] = policy_answers(&row.pattern, path, e.casei);
                assert_eq!(
                    [&allow, &deny],
                    [&ours, &ours],
                    "{at} {path:?}: allow, deny rule"
                );
            }
            let class = match &ours {
                Err(code) if unccls => {
                    let kind = GlobBuilder::new(&row.pattern)
                        .build()
                        .err()
                        .map(|e| e.kind().clone());
                    assert!(
                        matches!(
                            code.as_str(),
                            "glob.unclosed_class" | "glob.unclosed_alternation"
                        ) && pattern_refusal_documented(code, &row.pattern, kind.as_ref()),
                        "{at} {path:?}: {code}, not the refusal README gives"
                    );
                    format!("refused by {code} (option allow_unclosed_class=true)")
                }
                _ if unccls => {
                    panic!("{at} {path:?}: answered {ours:?}; README refuses an unclosed class")
                }
                Err(code) => match refusal(code, &row.pattern, path, &readme) {
                    Ok(c) => label(c),
                    Err(why) => panic!("{at} {path:?}: {why}"),
                },
                Ok(b) => {
                    let promised = promise(&row.pattern, path, e.dialect());
                    assert_eq!(
                        promised,
                        Some(*b),
                        "{at} {path:?}: ours {b}, README's promise"
                    );
                    "answered as README promises".to_string()
                }
            };
            *counts.entry(class).or_default() += 1;
            answers.push(ours);
        }
        if !unccls {
            let d = e.dialect();
            let dialect = GlobBuilder::new(&row.pattern)
                .case_insensitive(d.casei)
                .literal_separator(d.litsep)
                .build()
                .map(|g| g.regex().to_string())
                .unwrap_or_default();
            alike
                .entry((row.regex.clone(), dialect))
                .or_default()
                .push((&row.pattern, answers));
        }
    }
    for ((regex, _), globs) in &alike {
        for (pattern, answers) in &globs[1..] {
            assert_eq!(
                answers, &globs[0].1,
                "{pattern:?} and {:?} (upstream: both {regex})",
                globs[0].0
            );
        }
    }
    let groups: Vec<usize> = alike.values().map(Vec::len).filter(|&n| n > 1).collect();
    assert!(groups.len() >= 5, "{groups:?}");
    eprintln!(
        "globset toregex! rows: {} globs, {} questions; {} groups of globs compiled alike ({} globs)",
        data.regexes.len(),
        data.regexes.len() * REGEX_PROBES.len(),
        groups.len(),
        groups.iter().sum::<usize>()
    );
    for (k, n) in &counts {
        eprintln!("  {n:5}  {k}");
    }
}
