//! The shortcuts taken for the bounds answer exactly as the paths they
//! replace: `check_member_all` (one match for four actions, used by
//! GoRules `changes.files`) is `check_member` per action.

use groupgate::files::Action;
use groupgate::{FilePolicy, PolicyOptions};
use serde_json::json;

#[test]
fn check_member_all_is_check_member_for_each_action() {
    let rules = |g: usize| {
        json!([
            {"effect": "allow", "actions": ["visible", "modify"], "patterns": format!("src/**,**/*.md,d{g}/**")},
            {"effect": "deny", "actions": ["modify"], "patterns": "**/secret*"},
            {"effect": "allow", "actions": ["delete", "visible"], "patterns": "src/*/tmp/**"},
            {"effect": "deny", "actions": ["visible"], "patterns": "src/hidden/**"},
        ])
    };
    let groups = json!([
        {"id": "a", "permissions": ["documents"], "filePermissions": rules(0)},
        {"id": "b", "permissions": ["documents", "documents:edit-content"], "filePermissions": rules(1)},
        {"id": "c", "permissions": ["owner"]},
        {"id": "d", "permissions": ["documents"]},
    ]);
    let policy = FilePolicy::from_json(&groups, PolicyOptions::default()).expect("compiles");
    let paths = [
        "src/a.rs",
        "src/x/tmp/y",
        "src/hidden/k.md",
        "d0/secret.txt",
        "d1/x",
        "README.md",
        "other/secret.md",
        "",
        "a/../b",
        "/abs",
        "src//x",
    ];
    let members: [&[&str]; 6] = [&["a"], &["b"], &["a", "b"], &["c"], &["d"], &["zz"]];
    for ids in members {
        let m = policy.member(ids);
        for p in paths {
            let each: Vec<_> = Action::ALL
                .iter()
                .map(|&a| policy.check_member(&m, p, a))
                .collect();
            match policy.check_member_all(&m, p) {
                Ok(all) => {
                    let each: Vec<bool> = each.into_iter().map(|r| r.expect("same path")).collect();
                    assert_eq!(all.to_vec(), each, "{ids:?} {p:?}");
                }
                Err(e) => assert!(
                    each.iter().all(|r| r.as_ref().err() == Some(&e)),
                    "{ids:?} {p:?}"
                ),
            }
        }
    }
}
