//! `FilePolicy::from_json` on arbitrary JSON, then checks, explains, batch
//! checks and lint on whatever compiles. Input: one flag byte (bit 0: fold
//! case; bit 1: tiny limits) then JSON: the groups array, or
//! `{"groups": [...], "paths": [...]}`. Every string in the input is also
//! tried as a path and as a group id.
//!
//! Invariants: `check` = `explain().allowed` = `check_many`; an owner is
//! allowed everything; `modify`/`write`/`delete` imply `visible`; the reason
//! agrees with the decision; `lint_json` never fails where `from_json`
//! succeeds; the policy's snapshot (`to_bytes`/`from_bytes`) explains
//! every decision the same.
#![no_main]

use groupgate::files::{Action, FilePolicy, PolicyOptions, Reason};
use groupgate::Limits;
use libfuzzer_sys::fuzz_target;
use serde_json::Value;

fn strings<'a>(v: &'a Value, out: &mut Vec<&'a str>) {
    if out.len() >= 24 {
        return;
    }
    match v {
        Value::String(s) => out.push(s),
        Value::Array(a) => a.iter().for_each(|x| strings(x, out)),
        Value::Object(o) => o.iter().for_each(|(k, x)| {
            out.push(k);
            strings(x, out)
        }),
        _ => {}
    }
}

fuzz_target!(|data: &[u8]| {
    let Some((&flags, json)) = data.split_first() else {
        return;
    };
    let Ok(v) = serde_json::from_slice::<Value>(json) else {
        return;
    };
    let mut options = PolicyOptions {
        case_insensitive: flags & 1 != 0,
        ..Default::default()
    };
    if flags & 2 != 0 {
        options.limits = Limits {
            max_groups: 3,
            max_rules: 4,
            max_glob_bytes: 16,
            max_path_bytes: 16,
            ..Limits::DEFAULT
        };
    }
    let groups = v.get("groups").unwrap_or(&v);
    let lint = FilePolicy::lint_json(groups, options, None::<&[&str]>);
    let policy = match FilePolicy::from_json(groups, options) {
        Ok(p) => p,
        Err(e) => {
            assert!(!e.issues.is_empty());
            // The construction errors, then only near-missed member names.
            assert_eq!(lint[..e.issues.len()], e.issues[..]);
            assert!(lint[e.issues.len()..]
                .iter()
                .all(|i| i.code == "lint.misspelled_member"));
            return;
        }
    };
    // The snapshot of the policy loads and answers the same (below).
    let loaded = FilePolicy::from_bytes(&policy.to_bytes()).expect("own snapshot loads");
    let mut words = Vec::new();
    strings(&v, &mut words);
    words.extend(["a", "src/a.js", ".env", "secrets/.env", "x/y/z", "A/B"]);
    let _ = policy.lint(Some(&words));
    let members: Vec<Vec<&str>> = vec![
        vec![],
        words.clone(),
        words.iter().take(2).copied().collect(),
        words.iter().skip(1).step_by(2).copied().collect(),
    ];
    for ids in &members {
        let member = policy.member(ids);
        let owner = member.permissions().any(|p| p == "owner");
        for action in Action::ALL {
            let batch = policy.check_many(ids, &words, action);
            for (i, path) in words.iter().enumerate() {
                let c = policy.check(ids, path, action);
                let e = policy.explain(ids, path, action);
                match (&c, &e) {
                    (Ok(c), Ok(e)) => {
                        assert_eq!(*c, e.allowed);
                        assert_eq!(&loaded.explain(ids, path, action).unwrap(), e);
                        let allowed_reason =
                            matches!(e.reason, Reason::Owner | Reason::Allow | Reason::Permission);
                        assert_eq!(e.allowed, allowed_reason, "{e:?}");
                        if owner {
                            assert!(c);
                        }
                        if *c && action != Action::Visible {
                            assert!(policy.check(ids, path, Action::Visible).unwrap());
                        }
                        if let Ok(b) = &batch {
                            assert_eq!(b[i], *c);
                        }
                    }
                    (Err(a), Err(b)) => {
                        assert_eq!(a, b);
                        assert!(batch.is_err());
                    }
                    _ => panic!("check {c:?} and explain {e:?} disagree"),
                }
            }
        }
    }
});
