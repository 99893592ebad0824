//! One regression test per fuzz finding (`./dev fuzz`, targets in `fuzz/`).
//! Each test names the target that found it and replays the input.

use groupgate::glob;
use groupgate::{glob_match, Limits};

/// The invariants the `glob` target checks, for one pattern and path.
fn glob_invariants(pattern: &str, path: &str) {
    let Ok(p) = glob::parse(pattern, &Limits::DEFAULT) else {
        assert!(glob_match(pattern, path).is_err());
        return;
    };
    let m = glob_match(pattern, path).unwrap();
    let c = glob_match(&p.canonical, path)
        .unwrap_or_else(|e| panic!("canonical {:?} of {pattern:?}: {e}", p.canonical));
    assert_eq!(c, m, "canonical {:?} of {pattern:?}", p.canonical);
}

/// glob: `\/` was a literal-slash token inside one segment, whose canonical
/// form `/` did not parse. An escaped slash is a separator like any other.
#[test]
fn escaped_slash_is_a_separator() {
    assert_eq!(
        glob::parse("\\/", &Limits::DEFAULT).unwrap_err().code(),
        "glob.empty"
    );
    assert!(glob_match("a\\/b", "a/b").unwrap());
    assert!(!glob_match("a\\/b", "a").unwrap());
    assert_eq!(
        glob::parse("a\\//*", &Limits::DEFAULT).unwrap().canonical,
        "a/*"
    );
    glob_invariants("a\\/b", "a/b");
    glob_invariants("\\/*", ".*");
}

/// glob: `\` + NUL was a literal NUL, accepted although no path can hold
/// one (and its canonical form did not parse). It is `glob.nul`.
#[test]
fn escaped_nul_is_rejected() {
    let e = glob::parse("\\\0\u{4}a", &Limits::DEFAULT).unwrap_err();
    assert_eq!((e.code(), e.position), ("glob.nul", Some(1)));
    assert_eq!(glob_match("a\\\0", "a").unwrap_err().code(), "glob.nul");
}

/// glob (an invariant of the target, not a bug): folding case can lose a
/// match through a negated class. Folded, `[!A]` means "neither `A` nor
/// `a`", so `[!]{},-^]` (whose range `,-^` holds `A`–`Z`) does not match
/// `a` case-insensitively, while it does case-sensitively.
#[test]
fn folding_case_applies_to_negated_classes_too() {
    use groupgate::files::{Action, FilePolicy, PolicyOptions};
    use serde_json::json;
    let policy = |pattern: &str, case_insensitive: bool| {
        let groups = json!([{"id": "g", "permissions": ["documents"], "filePermissions": [
            {"effect": "allow", "actions": ["visible"], "patterns": [pattern]}]}]);
        let options = PolicyOptions {
            case_insensitive,
            ..Default::default()
        };
        FilePolicy::from_json(&groups, options).unwrap()
    };
    for (pattern, path, sensitive, folded) in [
        ("[!]{},-^]", "a", true, false),
        ("[!A]", "a", true, false),
        ("[!A]", "b", true, true),
        ("[^a]", "A", true, false),
        ("[A]", "a", false, true),
    ] {
        let got = |ci| {
            policy(pattern, ci)
                .check(&["g"], path, Action::Visible)
                .unwrap()
        };
        assert_eq!(
            (got(false), got(true)),
            (sensitive, folded),
            "{pattern} {path}"
        );
        assert_eq!(glob_match(pattern, path).unwrap(), sensitive);
    }
}

/// glob: `\!(` is a literal `!(`, but the canonical form wrote it `!(`,
/// which reads as an extglob. The same for `*\(`, `?\(`, `\@(`, `\+(`.
#[test]
fn canonical_form_never_makes_an_extglob() {
    for (pattern, path) in [
        ("?\u{fffd}-(!\\e!f\\!(!", "a"),
        ("a\\!(b)", "a!(b)"),
        ("a\\@(b)", "a@(b)"),
        ("a\\+(b)", "a+(b)"),
        ("*\\(b)", "x(b)"),
        ("?\\(b)", "x(b)"),
        ("**\\(b)", "x(b)"),
        ("{a,*}(b)", "a(b)"),
    ] {
        glob_invariants(pattern, path);
    }
    assert!(glob_match("a\\!(b)", "a!(b)").unwrap());
    assert!(glob_match("*\\(b)", "x(b)").unwrap());
}

/// glob: U+0001 was the parser's marker for an escaped `-` inside a class,
/// so a literal U+0001 member vanished (`[\u{1}]` matched nothing and its
/// canonical form `[]` did not parse). An escape inside a class is now
/// refused (README: `glob.class_escape`); `-` is a member first or last.
#[test]
fn a_control_character_is_an_ordinary_class_member() {
    for pattern in ["[\u{1}]", "[\u{1}b]", "[a\u{1}-]", "[-\u{1}]"] {
        assert!(glob_match(pattern, "\u{1}").unwrap(), "{pattern}");
        glob_invariants(pattern, "\u{1}");
    }
    assert!(!glob_match("[!\u{1}]", "\u{1}").unwrap());
    for pattern in ["[\\\u{1}]", "[a\\-\u{1}]", "[a\\-z]"] {
        let e = glob_match(pattern, "-").unwrap_err();
        assert_eq!(e.code(), "glob.class_escape", "{pattern}");
    }
    assert!(glob_match("[az-]", "-").unwrap());
    assert!(!glob_match("[az-]", "b").unwrap());
    assert!(glob_match("[a-z]", "b").unwrap());
}

/// glob: a one-rule `FilePolicy` refused a path that `glob_match` answered:
/// a 0.3 KB glob of repeated `{…/**…}` alternatives keeps hundreds of
/// states active a byte, past `maxMatchWork` (384 units a byte under
/// session 6's count of what a new state costs); the policy fails closed
/// with `path.too_complex` (crash-c6a3e354). Since session 38 `glob_match`
/// runs the policy's automaton under the same budget: both refuse such a
/// path, or both give the same answer.
#[test]
fn glob_match_refuses_what_a_one_rule_policy_refuses() {
    use groupgate::files::{Action, FilePolicy, PolicyOptions};
    let pattern = "{/*/**/*/**,,*\u{fffd}/////#,**,p./a/'//.,/';\u{fffd}}{,'/,/.,/'*//'%/,/.}{,a/a//.,/';\u{fffd}}{,'/,/.,/'*///#,**,p./a/'//.,/';\u{fffd}}{,'/,/.,/'*//'%/,/.}{,a/a//.,/';\u{fffd}}{,'/,/.,/'*//'%/,/zzzzzzz\u{f}\u{f}\u{f}\u{f}\u{f}\u{f}\u{f}\u{f}\u{f}\u{f}\u{f}\u{fffd}\u{fffd}\u{fffd}\u{fffd}\u{fffd}\u{fffd}\u{fffd}\u{fffd}\u{fffd}\u{fffd}\u{fffd}\u{fffd}\u{fffd}\u{fffd}\u{fffd}\u{fffd}\u{fffd}\u{fffd}\u{fffd}/,/.,/';\u{fffd}}{,a//,/.,/.,/';\u{fffd}}{,,/.,/'*//}/";
    let path = "\u{fffd}///'%/,/zzzzzzz\u{f}\u{f}\u{f}\u{f}\u{f}\u{f}\u{f}\u{f}\u{f}\u{f}\u{f}\u{fffd}\u{fffd}\u{fffd}\u{fffd}\u{fffd}\u{fffd}\u{fffd}\u{fffd}\u{fffd}\u{fffd}\u{fffd}\u{fffd}\u{fffd}\u{fffd}\u{fffd}\u{fffd}\u{fffd}\u{fffd}\u{fffd}/,/.,/';\u{fffd}}{,a//,/.,/.,/';\u{fffd}}{,,/.,/'*//}/\u{fffd}\u{fffd}/2///zn/";
    let groups = serde_json::json!([{ "id": "g", "permissions": ["documents:view-content"],
        "filePermissions": [{ "effect": "allow", "actions": ["visible"], "patterns": [pattern] }] }]);
    let policy = FilePolicy::from_json(&groups, PolicyOptions::default()).unwrap();
    let code = |e: groupgate::GroupgateError| e.code();
    let by_policy = policy.check(&["g"], path, Action::Visible).map_err(code);
    assert_eq!(by_policy, Err("path.too_complex"));
    assert_eq!(glob_match(pattern, path).map_err(code), by_policy);
    // Its first bytes alone are answered, alike.
    let short = &path[..8];
    let by_policy = policy.check(&["g"], short, Action::Visible).map_err(code);
    assert!(by_policy.is_ok());
    assert_eq!(glob_match(pattern, short).map_err(code), by_policy);
}

/// workspace_bytes: a payload changed and sealed again (the target's second
/// mode) cleared group `c`'s deleted flag and left it at level 0, no link.
/// The load's climb accepted it (a link-less group may be at level 0 or 1),
/// `apply` created a group under `c` at level 1, and that workspace's own
/// snapshot was refused ("a tree link is inconsistent"). A load now holds
/// every live group to a climb ending at level 1, and a deleted one to
/// level 0 with no link: these bytes are refused.
#[test]
fn workspace_bytes_a_live_group_at_level_zero_is_refused() {
    use groupgate::snapshot::{open, seal};
    use groupgate::Workspace;
    // The target's seed workspace.
    let state: serde_json::Value =
        serde_json::from_str(include_str!("../fuzz/workspace_seed.json")).unwrap();
    let seed = Workspace::from_json(&state).unwrap().to_bytes();
    // The input after its mode byte: runs of non-zero bytes at their offsets
    // (292 bytes), XORed into the payload as the target does.
    let mut rest = vec![0u8; 292];
    let runs: [(usize, &[u8]); 5] = [
        (
            0,
            &[
                55, 55, 55, 55, 55, 55, 55, 55, 55, 56, 31, 31, 31, 31, 31, 31, 31,
            ],
        ),
        (24, &[31, 55, 55, 55, 55]),
        (
            163,
            &[
                185, 185, 185, 185, 185, 185, 55, 55, 55, 111, 100, 121, 31, 31, 31, 31, 31, 31, 31,
            ],
        ),
        (189, &[31, 55, 55, 55, 55]),
        (286, &[79, 98, 111, 100, 121, 79]),
    ];
    for (at, run) in runs {
        rest[at..at + run.len()].copy_from_slice(run);
    }
    let mut payload = open(b"WKSP", 4, &seed).unwrap().to_vec();
    for (i, x) in rest.iter().enumerate() {
        let n = payload.len();
        payload[i % n] ^= x;
    }
    let e = Workspace::from_bytes(&seal(b"WKSP", 4, &payload)).unwrap_err();
    assert_eq!(e.code(), "snapshot.corrupt", "{e}");
    assert!(e.to_string().contains("a tree link is inconsistent"), "{e}");
}
