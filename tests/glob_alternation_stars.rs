//! A `**` in a segment that also holds an alternation is glued to it
//! (`{,}**` reads as `*`, as globset reads it and as the automaton's walk
//! does): found by atk3's differential test (session 11), where the
//! simple-shape index read `{,}**/a` as the globstar `**/a` (it matched
//! `x/y/a` and `a`) while `{,}**/a/**` read it as `*`.

use groupgate::files::{Action, FilePolicy, PolicyOptions};
use groupgate::glob_match;
use serde_json::json;

const PATHS: &[&str] = &[
    "a", "x/a", "x/y/a", "b", "x/b", "x/y/b", "r.md", "x/r.md", "x/y/r.md", "x", "x/y",
];

#[test]
fn stars_beside_an_alternation_are_one_star() {
    let cases: &[(&str, &str)] = &[
        ("{,}**/a", "*/a"),
        ("**{,}/b", "*/b"),
        ("{,}**/*.md", "*/*.md"),
        ("{,}**", "*"),
        ("x/{,}**", "x/*"),
        ("x/**{,}", "x/*"),
        ("{,}**/a/**", "*/a/**"),
    ];
    for &(glob, same) in cases {
        let policy = |p: &str| {
            let groups = json!([{"id": "g", "permissions": ["documents"], "filePermissions": [
                {"effect": "allow", "actions": ["visible"], "patterns": [p]}]}]);
            FilePolicy::from_json(&groups, PolicyOptions::default()).expect("valid policy")
        };
        let (a, b) = (policy(glob), policy(same));
        for path in PATHS {
            let want = glob_match(same, path).unwrap();
            assert_eq!(glob_match(glob, path).unwrap(), want, "{glob} {path}");
            let g = ["g"];
            assert_eq!(
                a.check(&g, path, Action::Visible).unwrap(),
                want,
                "policy {glob} {path}"
            );
            assert_eq!(
                b.check(&g, path, Action::Visible).unwrap(),
                want,
                "policy {same} {path}"
            );
        }
    }
}
