//! Members a policy's readers skip whose name is a near miss of one they
//! read (`FilePermissions`, `file_permissions`, `pattern`): every reader
//! skips unknown members (GoRules groups carry many more), so a misspelled
//! `filePermissions` would drop a group's rules, denies included, without
//! a word. [`FilePolicy::lint_json`](super::FilePolicy) reports them.

use serde_json::Value;

use crate::json::read::near_miss;
use crate::verdict::{ptr, Issue};

/// The members a group is read for.
const GROUP: [&str; 3] = ["id", "permissions", "filePermissions"];
/// The members a rule is read for.
const RULE: [&str; 4] = ["id", "effect", "actions", "patterns"];

/// `lint.misspelled_member` for each near-missed member of `groups` (an
/// array of group objects; anything else has none), in input order.
pub(super) fn near_misses(groups: &Value, out: &mut impl FnMut(Issue)) {
    let Some(groups) = groups.as_array() else {
        return;
    };
    for (gi, group) in groups.iter().enumerate() {
        let gpath = ptr("", gi);
        misses(group, &gpath, &GROUP, out);
        let rules = group.get("filePermissions").and_then(Value::as_array);
        for (ri, rule) in rules.into_iter().flatten().enumerate() {
            misses(rule, &ptr(&ptr(&gpath, "filePermissions"), ri), &RULE, out);
        }
    }
}

fn misses(object: &Value, path: &str, known: &[&str], out: &mut impl FnMut(Issue)) {
    let Some(members) = object.as_object() else {
        return;
    };
    for key in members.keys() {
        if let Some(meant) = near_miss(key, known) {
            out(Issue::new(
                ptr(path, key),
                "lint.misspelled_member",
                format!(
                    "{key:?} is not read (members are case-sensitive): did you mean {meant:?}?"
                ),
            ));
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn near_misses_are_named_and_known_members_are_not() {
        let groups = serde_json::json!([
            {"id": "g", "FilePermissions": [], "permission": ["owner"], "name": "x",
             "filePermissions": [{"effect": "deny", "pattern": "a/**", "Actions": ["visible"], "note": 1}]},
            "not an object",
            {"id": "h", "file_permissions": null}
        ]);
        let mut got = Vec::new();
        near_misses(&groups, &mut |i| got.push((i.path, i.code)));
        let want = [
            "/0/FilePermissions",
            "/0/permission",
            "/0/filePermissions/0/Actions",
            "/0/filePermissions/0/pattern",
            "/2/file_permissions",
        ];
        let mut paths: Vec<&str> = got.iter().map(|(p, _)| p.as_str()).collect();
        paths.sort_unstable();
        let mut want = want.to_vec();
        want.sort_unstable();
        assert_eq!(paths, want);
        assert!(got.iter().all(|(_, c)| *c == "lint.misspelled_member"));
    }
}
