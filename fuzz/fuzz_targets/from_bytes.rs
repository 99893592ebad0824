//! `FilePolicy::from_bytes` on arbitrary bytes. First byte even: the bytes
//! as given (almost always refused by the envelope); odd: the rest re-sealed
//! as a valid envelope of this version, so the payload reader itself meets
//! every value. Invariant: an error or a policy whose checks, explains and
//! lint answer without panicking, and whose own snapshot loads again.
#![no_main]

use groupgate::files::{Action, FilePolicy};
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let Some((&mode, rest)) = data.split_first() else {
        return;
    };
    let bytes = if mode & 1 == 1 {
        groupgate::snapshot::seal(b"FPOL", 6, rest)
    } else {
        rest.to_vec()
    };
    let Ok(policy) = FilePolicy::from_bytes(&bytes) else {
        return;
    };
    let paths = ["a", "src/a.js", ".env", "x/y/z", "A/B", "rules/q/t7/a/b"];
    let ids = ["a", "b", "g", "owners"];
    for action in Action::ALL {
        for p in paths {
            // A snapshot's own limits may refuse a path (e.g. max_path_bytes
            // 0): then check and explain must refuse it alike.
            match policy.check(&ids, p, action) {
                Ok(c) => assert_eq!(policy.explain(&ids, p, action).unwrap().allowed, c),
                Err(_) => assert!(policy.explain(&ids, p, action).is_err()),
            }
        }
    }
    let _ = policy.lint(Some(&paths));
    FilePolicy::from_bytes(&policy.to_bytes()).expect("a loaded policy's snapshot loads");
});
