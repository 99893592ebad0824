//! The file rules of a GoRules group: checking the body's
//! `filePermissions` (shape, globs, lint) and the file decisions a change
//! flips for the group's members.

use serde_json::Value;

use super::state::State;
use crate::keyed::HashMap;

use crate::files::{rule_issues, Action, FilePolicy, PolicyOptions};
use crate::json::pointer::reroot;
use crate::verdict::{ptr, FailureRank, Issue, Report};

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
    warn_unknown_members(rules, base, r);
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
    if strings_only.is_some() || refused {
        let checked = strings_only.as_ref().unwrap_or(rules);
        let issues = rule_issues(checked, base, &r.limits());
        let ok = strings_only.is_none() && issues.is_empty();
        for issue in issues {
            r.push(FailureRank::BadRequest, issue);
        }
        return ok;
    }
    // One compile reads the rules: when it succeeds, `rule_issues` (the
    // same reader) would find nothing, so it runs only on failure, where
    // it reports at the body's pointers. Reading 100,000 rules twice was a
    // third of the call (README Security). A clone, not `json!` (which
    // would serialize the rules anew).
    let group = Value::Array(vec![crate::json::object([
        ("id", Value::from("_")),
        ("filePermissions", rules.clone()),
    ])]);
    let options = PolicyOptions {
        limits: r.limits(),
        ..Default::default()
    };
    let found = match FilePolicy::from_json(&group, options) {
        Ok(policy) => policy.lint(files),
        Err(e) => {
            let issues = rule_issues(rules, base, &r.limits());
            if !issues.is_empty() {
                for issue in issues {
                    r.push(FailureRank::BadRequest, issue);
                }
                return false;
            }
            e.issues
        }
    };
    warn_deny_only(rules, base, r);
    lint_findings(found, base, r)
}

/// The members of a rule the API knows (OpenAPI, create/update-group:
/// `filePermissions.items.properties`).
pub(super) const RULE_MEMBERS: [&str; 4] = ["id", "effect", "actions", "patterns"];

/// Another member of a rule is not refused: the rule schema has no
/// `additionalProperties: false` (OpenAPI 3.0: others are allowed), and
/// the response's rule has just these four, so the server keeps none: a
/// warning, and `next` leaves it out (as for the body's own members).
fn warn_unknown_members(rules: &Value, base: &str, r: &mut Report) {
    for (i, rule) in rules.as_array().into_iter().flatten().enumerate() {
        if let Value::Object(map) = rule {
            let path = ptr(base, i);
            crate::json::read::Obj { map, path }.warn_unknown(&RULE_MEMBERS, r);
        }
    }
}

/// Every rule denies: worth a warning (default deny hides the rest).
fn warn_deny_only(rules: &Value, base: &str, r: &mut Report) {
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
}

/// The engine's findings on the one-group policy, at the body's pointers.
/// True when none is an error.
fn lint_findings(found: Vec<Issue>, base: &str, r: &mut Report) -> bool {
    let mut ok = true;
    for issue in found {
        let path = match issue.path.strip_prefix("/0/filePermissions") {
            Some(rest) => format!("{base}{rest}"),
            None => base.to_string(),
        };
        // Lint findings are warnings; anything else is the rules failing
        // to compile (a limit: `limit.rules`), an error (found by the
        // hostile-input tests: 100,001 rules were a warning and a 201).
        // A capped list's summary keeps its `omitted` count.
        let issue = Issue {
            path,
            position: None,
            ..issue
        };
        if issue.code.starts_with("lint.") {
            r.note(issue);
        } else {
            ok = false;
            r.push(FailureRank::BadRequest, issue);
        }
    }
    ok
}

/// The state's groups (or their replacement) as a file policy; its errors
/// are 400s at their pointers under `/context/state/groups`.
fn compile(st: &State, groups: &Value, r: &mut Report) -> Option<FilePolicy> {
    let options = PolicyOptions {
        limits: r.limits(),
        project_version: st.project_version,
        ..Default::default()
    };
    match FilePolicy::from_json(groups, options) {
        Ok(p) => Some(p),
        Err(e) => {
            for issue in e.issues {
                let path = reroot("/context/state/groups", &issue.path);
                let issue = Issue {
                    path,
                    position: None,
                    ..issue
                };
                r.push(FailureRank::BadRequest, issue);
            }
            None
        }
    }
}

/// bools that flip for the members of group `id` when it is replaced by
/// `replacement` (None: deleted). None when the state's policy is invalid.
pub(super) fn file_flips(
    st: &State,
    (project, id): (Option<&str>, &str),
    replacement: Option<Value>,
    files: &[&str],
    r: &mut Report,
) -> Option<Vec<Value>> {
    let members: Vec<&(&str, Vec<&str>)> = st
        .members
        .iter()
        .filter(|(_, gs)| gs.iter().any(|g| st.spelling(g) == id))
        .collect();
    if members.is_empty() || files.is_empty() {
        return Some(Vec::new());
    }
    let old_groups = st
        .groups_value
        .cloned()
        .unwrap_or_else(|| Value::Array(Vec::new()));
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
    let before = compile(st, &old_groups, r)?;
    let after = compile(st, &Value::Array(new_groups), r)?;
    let (lists, of_member) = views(st, project, &members);
    let mut answers: Vec<Option<Vec<(usize, bool, bool)>>> = vec![None; lists.len()];
    let mut out = Vec::new();
    let (mut spent, mut work, mut cut) = (0usize, 0usize, false);
    let mut text = 0usize;
    'members: for ((member, _), &view) in members.iter().zip(&of_member) {
        if answers[view].is_none() {
            // Members × files is a product of two request sizes: bounded
            // work, the rest reported as skipped (README "gorules").
            spent += files.len();
            if spent > MAX_FLIP_CHECKS || work > MAX_FLIP_WORK {
                cut = true;
                break;
            }
            let group_list = &lists[view];
            answers[view] = Some(view_flips(&before, &after, group_list, files, &mut work));
        }
        for &(f, a, b) in answers[view].iter().flatten() {
            let path = files[f / Action::ALL.len()];
            text += member.len() + path.len();
            if out.len() == MAX_FLIPS || text > MAX_FLIP_TEXT {
                cut = true;
                break 'members;
            }
            let action = Action::ALL[f % Action::ALL.len()];
            out.push(crate::json::object([
                ("member", Value::from(*member)),
                ("path", path.into()),
                ("action", action.name().into()),
                ("before", Value::Bool(a)),
                ("after", Value::Bool(b)),
            ]));
        }
    }
    if cut || work > MAX_FLIP_WORK {
        truncated(r);
    }
    Some(out)
}

/// The distinct group lists of `members` (each sorted, in the project:
/// a member's group of another project grants nothing here, as for a
/// caller, README gorules: resolved by id, in the project) and each
/// member's index among them.
fn views<'a>(
    st: &State<'a>,
    project: Option<&str>,
    members: &[&(&'a str, Vec<&'a str>)],
) -> (Vec<Vec<&'a str>>, Vec<usize>) {
    // Members with the same groups get the same answers: each distinct
    // list is checked once. Keyed by the sorted list written as one string, each id
    // length-prefixed so that two lists never share a key: the crate's
    // `String` to `u32` map type, one hash table less in the WASM.
    let mut views: HashMap<String, u32> = HashMap::default();
    let mut lists: Vec<Vec<&str>> = Vec::new();
    let mut of_member: Vec<usize> = Vec::with_capacity(members.len());
    for (_, groups) in members {
        let mut list: Vec<&str> = Vec::with_capacity(groups.len());
        for &g in groups {
            // The state's spelling: the policy knows the groups by it.
            let g = st.spelling(g);
            if st.group_in(g, project).is_some() || st.group(g).is_none() {
                list.push(g);
            }
        }
        crate::sort::sort(&mut list);
        list.dedup();
        let mut key = String::new();
        for g in &list {
            key.push_str(&g.len().to_string());
            key.push(':');
            key.push_str(g);
        }
        let next = views.len() as u32;
        let view = *views.entry(key).or_insert(next) as usize;
        if view == lists.len() {
            lists.push(list);
        }
        of_member.push(view);
    }
    (lists, of_member)
}

/// At most this many distinct (group list, file) pairs are checked for
/// `changes.files`, and at most [`MAX_FLIPS`] flips are listed: beyond,
/// the list is cut and `changes.files` is in `skipped`. A listed flip
/// costs about 0.9 KB of memory while the verdict is built, and members ×
/// files multiplies two small request sizes: 100,000 flips from an 8 KB
/// request grew WASM memory by 88 MiB, past the README's bound (16 MiB +
/// 64 bytes a request byte); 10,000 stay within its 16 MiB.
pub(super) const MAX_FLIP_CHECKS: usize = 1 << 20;
pub(super) const MAX_FLIPS: usize = 10_000;
/// And at most this many bytes of member ids and paths in the listed
/// flips: each flip repeats its member's id and its file's path, so one
/// member of a 60 KB id over 2,500 files made 10,000 flips of 600 MB from
/// an 85 KB request (a verdict too long for a JavaScript string; atk21).
/// 10,000 flips of UUIDs and 100-byte paths hold 1.4 MB.
pub(super) const MAX_FLIP_TEXT: usize = 2 << 20;
/// And at most this much matching work in all (see
/// [`FilePolicy::check_member_all_metered`]; 40-70 ns a unit): a check
/// costs the globs its path matches that a decision reads. 50,000 distinct
/// globs matching every file (a 550 KB body, `{**,N}`) took 3.3 s over
/// 1,000 files, so the 2^20 checks allowed nearly an hour; those are now
/// read one per group, effect and actions (they match together), but a
/// thousand suffixes of distinct lengths (`**/*a`, `**/*aa`, …) still cost
/// a thousand units a file.
pub(super) const MAX_FLIP_WORK: usize = 1 << 23;

fn truncated(r: &mut Report) {
    r.skip("changes.files");
    r.warn(
        "/context/files",
        "changes.truncated",
        format!("changes.files lists the flips of at most {MAX_FLIP_CHECKS} member-file checks, {MAX_FLIP_WORK} units of matching work and {MAX_FLIPS} flips holding {MAX_FLIP_TEXT} bytes of member ids and paths; the rest were not computed"),
    );
}

/// The flips of one group list over the files: `(file × actions + action,
/// before, after)`.
fn view_flips(
    before: &FilePolicy,
    after: &FilePolicy,
    groups: &[&str],
    files: &[&str],
    work: &mut usize,
) -> Vec<(usize, bool, bool)> {
    let (m0, m1) = (before.member(groups), after.member(groups));
    let mut out = Vec::new();
    for (i, f) in files.iter().enumerate() {
        // Past the budget: the caller reports the list as cut.
        if *work > MAX_FLIP_WORK {
            break;
        }
        // Every action in one check (a bad path fails them all alike).
        let (Ok(a), Ok(b)) = (
            before.check_member_all_metered(&m0, f, work),
            after.check_member_all_metered(&m1, f, work),
        ) else {
            continue;
        };
        for k in 0..Action::ALL.len() {
            if a[k] != b[k] {
                out.push((i * Action::ALL.len() + k, a[k], b[k]));
            }
        }
    }
    out
}
