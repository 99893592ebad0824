//! The file rules of a GoRules group: checking the body's
//! `filePermissions` (shape, globs, lint) and the file decisions a change
//! flips for the group's members.

use serde_json::{json, Value};

use super::state::State;
use crate::files::{rule_issues, Action, FilePolicy, PolicyOptions};
use crate::verdict::{ptr, Class, Issue, Report};

/// Checks `filePermissions` of the body: its shape and globs (the file
/// engine's codes), `patterns` a string as the API says, then (unless the
/// caller is refused) the lint findings as warnings. True when the rules
/// compile.
pub(super) fn check_rules(
    rules: &Value,
    files: Option<&[&str]>,
    refused: bool,
    r: &mut Report,
) -> bool {
    let base = "/body/filePermissions";
    // The GoRules API types `patterns` as a string; a `FilePolicy` accepts
    // arrays as a convenience, the server would not. The arrays are
    // reported here and left out of the engine's checks.
    let mut strings_only: Option<Value> = None;
    for (i, rule) in rules.as_array().into_iter().flatten().enumerate() {
        if let Some(Value::Array(_)) = rule.get("patterns") {
            r.bad(
                ptr(&ptr(base, i), "patterns"),
                "type",
                "patterns is a string in the GoRules API (globs separated by commas or newlines), not an array",
            );
            strings_only.get_or_insert_with(|| rules.clone())[i]["patterns"] = Value::Null;
        }
    }
    let checked = strings_only.as_ref().unwrap_or(rules);
    let mut ok = strings_only.is_none();
    for issue in rule_issues(checked, base, &r.limits()) {
        ok = false;
        r.push(Class::BadRequest, issue);
    }
    if !ok || refused {
        return ok;
    }
    let list = rules.as_array().map_or(&[][..], Vec::as_slice);
    let allows = list
        .iter()
        .any(|rule| rule.get("effect").and_then(Value::as_str) == Some("allow"));
    if !list.is_empty() && !allows {
        r.warn(
            base,
            "rules.deny_only",
            "every rule denies: once a member's groups have file rules, files no rule allows are denied (default deny), so members see only what another of their groups allows",
        );
    }
    let group = json!([{"id": "_", "filePermissions": rules}]);
    let options = PolicyOptions {
        limits: r.limits(),
        ..Default::default()
    };
    for issue in FilePolicy::lint_json(&group, options, files) {
        let path = match issue.path.strip_prefix("/0/filePermissions") {
            Some(rest) => format!("{base}{rest}"),
            None => base.to_string(),
        };
        // Lint findings are warnings; anything else is the rules failing
        // to compile (a limit: `limit.rules`), an error (found by the
        // hostile-input tests: 100,001 rules were a warning and a 201).
        if issue.code.starts_with("lint.") {
            r.warn(path, issue.code, issue.message);
        } else {
            ok = false;
            r.bad(path, issue.code, issue.message);
        }
    }
    ok
}

/// Decisions that flip for the members of group `id` when it is replaced by
/// `replacement` (None: deleted). None when the state's policy is invalid.
pub(super) fn file_flips(
    st: &State,
    id: &str,
    replacement: Option<Value>,
    files: &[&str],
    r: &mut Report,
) -> Option<Vec<Value>> {
    let members: Vec<&(&str, Vec<&str>)> = st
        .members
        .iter()
        .filter(|(_, gs)| gs.contains(&id))
        .collect();
    if members.is_empty() || files.is_empty() {
        return Some(Vec::new());
    }
    let old_groups = st.groups_value.cloned().unwrap_or_else(|| json!([]));
    let mut new_groups: Vec<Value> = Vec::new();
    for g in old_groups.as_array().into_iter().flatten() {
        if g.get("id").and_then(Value::as_str) == Some(id) {
            if let Some(rep) = &replacement {
                new_groups.push(rep.clone());
            }
        } else {
            new_groups.push(g.clone());
        }
    }
    let compile = |groups: &Value, r: &mut Report| match FilePolicy::from_json(
        groups,
        PolicyOptions {
            limits: r.limits(),
            project_version: st.project_version,
            ..Default::default()
        },
    ) {
        Ok(p) => Some(p),
        Err(e) => {
            for issue in e.issues {
                r.push(
                    Class::BadRequest,
                    Issue::new(
                        format!("/context/state/groups{}", issue.path),
                        issue.code,
                        issue.message,
                    ),
                );
            }
            None
        }
    };
    let before = compile(&old_groups, r)?;
    let after = compile(&Value::Array(new_groups), r)?;
    let mut out = Vec::new();
    for (member, groups) in members {
        let (m0, m1) = (before.member(groups), after.member(groups));
        for f in files {
            for action in Action::ALL {
                let (Ok(a), Ok(b)) = (
                    before.check_member(&m0, f, action),
                    after.check_member(&m1, f, action),
                ) else {
                    continue;
                };
                if a != b {
                    out.push(json!({"member": member, "path": f, "action": action.name(), "before": a, "after": b}));
                }
            }
        }
    }
    Some(out)
}
