//! Glob compile + match. Input: `pattern 0xFF path` (0xFF never occurs in
//! UTF-8, so it is a clean separator; invalid UTF-8 is read lossily).
//!
//! Invariants beyond "no panic":
//! * `glob::parse` and `glob_match` accept the same patterns;
//! * `glob_match` equals the decision of a one-rule `FilePolicy`, refusals
//!   included: both refuse a path with `path.too_complex` (past
//!   `maxMatchWork`) or neither does (they run the same automaton under the
//!   same budget since session 38);
//! * folding case never loses a match (negated classes aside);
//! * the canonical form of a pattern parses and matches the same paths;
//! * `split_patterns` offsets point at the pieces they return.
#![no_main]

use groupgate::files::{Action, FilePolicy, PolicyOptions};
use groupgate::glob::{self, normalize_path};
use groupgate::{glob_match, Limits};
use libfuzzer_sys::fuzz_target;
use serde_json::json;

/// One allow rule with `pattern` (array patterns are not split, only
/// trimmed); `None` when the policy refuses the path as too complex.
fn policy_match(pattern: &str, path: &str, case_insensitive: bool) -> Option<bool> {
    let groups = json!([{ "id": "g", "permissions": ["documents:view-content"],
        "filePermissions": [{ "effect": "allow", "actions": ["visible"], "patterns": [pattern] }] }]);
    let options = PolicyOptions {
        case_insensitive,
        ..Default::default()
    };
    let policy = FilePolicy::from_json(&groups, options)
        .unwrap_or_else(|e| panic!("accepted pattern {pattern:?} does not compile: {e}"));
    match policy.check(&["g"], path, Action::Visible) {
        Ok(allowed) => Some(allowed),
        Err(e) if e.issues.iter().all(|i| i.code == "path.too_complex") => None,
        Err(e) => panic!("check of {pattern:?} on {path:?}: {e}"),
    }
}

fuzz_target!(|data: &[u8]| {
    let (pat, path) = match data.iter().position(|&b| b == 0xFF) {
        Some(i) => (&data[..i], &data[i + 1..]),
        None => (data, &b"a/b.json"[..]),
    };
    let pat = String::from_utf8_lossy(pat);
    let path = String::from_utf8_lossy(path);
    let limits = Limits::DEFAULT;

    for (offset, piece) in glob::split_patterns(&pat) {
        assert_eq!(&pat[offset..offset + piece.len()], piece);
    }

    let direct = glob_match(&pat, &path);
    let Ok(p) = glob::parse(&pat, &limits) else {
        assert!(
            direct.is_err(),
            "parse rejects {pat:?} but glob_match accepts it"
        );
        return;
    };
    if normalize_path(&path, limits.max_path_bytes).is_err() {
        assert!(direct.is_err());
        return;
    }
    let m = match direct {
        Ok(m) => m,
        Err(e) if e.code() == "path.too_complex" => {
            if pat.trim() == pat {
                assert_eq!(
                    policy_match(&pat, &path, false),
                    None,
                    "glob_match refuses {pat:?} {path:?}, a one-rule policy answers"
                );
            }
            return;
        }
        Err(e) => panic!("glob_match({pat:?}, {path:?}): {e}"),
    };

    // The canonical form means the same thing (its automaton may differ,
    // and so may its work: it may be refused where the pattern is not).
    if p.canonical.len() <= limits.max_glob_bytes {
        match glob_match(&p.canonical, &path) {
            Ok(c) => assert_eq!(c, m, "canonical {:?} of {pat:?} on {path:?}", p.canonical),
            Err(e) if e.code() == "path.too_complex" => {}
            Err(e) => panic!("canonical {:?} of {pat:?} does not parse: {e}", p.canonical),
        }
    }

    if pat.trim() == pat {
        assert_eq!(
            policy_match(&pat, &path, false),
            Some(m),
            "FilePolicy vs glob_match on {pat:?} {path:?}"
        );
        // Folding case never loses a match, except through a negated class:
        // folded, `[!A]` excludes `a` as well.
        if m && !(pat.contains("[!") || pat.contains("[^")) {
            assert!(
                policy_match(&pat, &path, true) != Some(false),
                "case folding lost a match: {pat:?} {path:?}"
            );
        }
    }
});
