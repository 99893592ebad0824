//! `Workspace::from_bytes` on arbitrary bytes, and on mutated snapshots.
//!
//! Invariants: no panic; bytes either load or are refused with issues; a
//! loaded workspace round-trips (`to_bytes` then `from_bytes` answers the
//! same) and answers previews without panicking; `apply` changes it in
//! place without panicking (the snapshot stores the pools `apply` rewrites).
//! The first byte picks the mode: raw bytes, a real snapshot with the rest
//! of the input XORed in (the envelope's checks), or its payload XORed and
//! sealed again (every structural check of the payload).
#![no_main]

use groupgate::snapshot::{open, seal};
use groupgate::Workspace;
use libfuzzer_sys::fuzz_target;
use serde_json::json;

/// The seed workspace (`fuzz/workspace_seed.json`, which
/// `tests/fuzz_findings.rs` replays findings against): three groups, one
/// deleted, and a key.
fn seed() -> Vec<u8> {
    let state =
        serde_json::from_str(include_str!("../workspace_seed.json")).expect("the seed parses");
    Workspace::from_json(&state).unwrap().to_bytes()
}

fuzz_target!(|data: &[u8]| {
    let bytes = match data.split_first() {
        Some((mode, rest)) if mode % 3 == 1 => {
            let mut b = seed();
            for (i, x) in rest.iter().enumerate() {
                let n = b.len();
                b[i % n] ^= x;
            }
            b
        }
        // The payload changed and sealed again: past the checksum, so that
        // every check of the load meets forged values.
        Some((mode, rest)) if mode % 3 == 2 => {
            let sealed = seed();
            let mut p = open(b"WKSP", 4, &sealed).expect("the seed opens").to_vec();
            for (i, x) in rest.iter().enumerate() {
                let n = p.len();
                p[i % n] ^= x;
            }
            seal(b"WKSP", 4, &p)
        }
        _ => data.to_vec(),
    };
    let Ok(ws) = Workspace::from_bytes(&bytes) else {
        return;
    };
    let again = Workspace::from_bytes(&ws.to_bytes()).expect("a snapshot of a snapshot loads");
    assert_eq!(again.groups(), ws.groups());
    for g in ws.groups() {
        let req = json!({"op": "update", "params": {"group_id": g.id}, "body": {"models": []}});
        assert_eq!(ws.preview(&req), again.preview(&req));
    }
    let mut w = ws;
    for g in w.groups().into_iter().take(4) {
        let models = json!([{"slug": "o/m", "rate_limits": [{"type": "TOKEN", "unit": "MINUTE", "threshold": 1}]}]);
        for req in [
            json!({"op": "update", "params": {"group_id": g.id}, "body": {"models": models}}),
            json!({"op": "create", "body": {"metadata": {"external_entity_id": "new"}, "models": models,
                   "hierarchy": {"parent_group_id": g.id}}}),
            json!({"op": "delete", "params": {"group_id": g.id}}),
        ] {
            let _ = w.apply(&req, groupgate::hierarchy::ApplyOptions::default());
        }
    }
    let _ = Workspace::from_bytes(&w.to_bytes()).expect("a snapshot after apply loads");
});
