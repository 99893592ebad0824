//! `Workspace::from_json` + `preview` / `preview_as` / `effective_models`.
//! Input: JSON `{"state": ..., "request": ..., "caller": ...}`.
//!
//! Invariants: a preview is the very verdict `validate("baseten", request,
//! {state, caller}).unwrap()` gives (when the context is usable); a child's effective slugs are a subset of its
//! parent's, and its limits never exceed theirs; the JSON-text reader
//! answers as the value reader (same workspace or the same issues); a
//! snapshot of the workspace answers the same preview; `preview_json` prints
//! what serializing the preview prints.
#![no_main]

use groupgate::{validate, Workspace};
use libfuzzer_sys::fuzz_target;
use serde_json::{json, Value};

fuzz_target!(|data: &[u8]| {
    let Ok(v) = serde_json::from_slice::<Value>(data) else {
        return;
    };
    let state = v.get("state").unwrap_or(&v);
    let built = Workspace::from_json(state);
    // Both readers meet the same text: a Value printed and re-read must
    // hold the same floats (fuzz finding 4cf25eca; the fuzz crate turns on
    // serde_json's float_roundtrip, as the engine's readers are exact).
    let source = state.to_string();
    let reread: Value = serde_json::from_str(&source).expect("printed JSON parses");
    let from_value = Workspace::from_json(&reread);
    let text = Workspace::from_json_text(&source, groupgate::Limits::DEFAULT);
    match (&from_value, &text) {
        (Ok(a), Ok(b)) => assert_eq!(a.groups(), b.groups(), "text reader differs"),
        (Err(a), Err(b)) => assert_eq!(a.issues, b.issues, "text reader differs"),
        _ => panic!(
            "text reader differs: {:?} vs {:?}",
            from_value.is_ok(),
            text.is_ok()
        ),
    }
    let Ok(ws) = built else {
        let verdict = validate(
            "baseten",
            v.get("request").unwrap_or(&Value::Null),
            &json!({ "state": state }),
        );
        // A state that is not an object is a context error, not a verdict.
        if let Ok(verdict) = verdict {
            assert!(!verdict.ok || verdict.errors.is_empty());
        }
        return;
    };
    let request = v.get("request").unwrap_or(&Value::Null);
    let caller = v.get("caller").filter(|c| !c.is_null());
    let got = match caller {
        Some(c) => ws.preview_as(request, c),
        None => ws.preview(request),
    };
    let mut ctx = json!({ "state": state });
    if let Some(c) = caller {
        ctx["caller"] = c.clone();
    }
    // A caller that is not an object is a context error for validate; the
    // preview reports it in its verdict instead, so there is nothing to compare.
    if let Ok(want) = validate("baseten", request, &ctx) {
        assert_eq!(got, want, "preview differs from validate");
    }
    let back = Workspace::from_bytes(&ws.to_bytes()).expect("a snapshot loads");
    let again = match caller {
        Some(c) => back.preview_as(request, c),
        None => back.preview(request),
    };
    assert_eq!(again, got, "the snapshot answers differently");
    let printed = serde_json::to_string(&got).expect("verdict serializes");
    // The package's path (changes written as text) prints the same verdict,
    // or refuses a caller that is not an object, as validate does.
    match ws.preview_json(request, caller, None) {
        Ok(text) => assert_eq!(text, printed, "preview_json differs"),
        Err(e) => assert!(
            caller.is_some_and(|c| !c.is_object()) && e.code() == "type",
            "preview_json refused {e}"
        ),
    }

    for g in ws.groups() {
        let Ok(models) = ws.effective_models(&g.id) else {
            continue;
        };
        let Some(pid) = g.hierarchy.parent_group_id.as_deref() else {
            continue;
        };
        let Ok(parent) = ws.effective_models(pid) else {
            continue;
        };
        for m in &models {
            let p = parent
                .iter()
                .find(|p| p.slug == m.slug)
                .unwrap_or_else(|| panic!("{} has {} but its parent {pid} does not", g.id, m.slug));
            let pairs = [
                (&m.rate_limits, &p.rate_limits),
                (&m.usage_limits, &p.usage_limits),
            ];
            for (mine, theirs) in pairs {
                for l in mine {
                    if let Some(pl) = theirs
                        .iter()
                        .find(|pl| (pl.limit_type, pl.unit) == (l.limit_type, l.unit))
                    {
                        assert!(
                            l.threshold <= pl.threshold,
                            "{} above its parent {pid}",
                            g.id
                        );
                    } else {
                        // A limit the parent lacks is the child's own.
                        assert_eq!(l.source_group.as_deref(), Some(g.id.as_str()));
                    }
                }
                // Every limit of the parent binds the child too.
                for pl in theirs {
                    assert!(
                        mine.iter()
                            .any(|l| (l.limit_type, l.unit) == (pl.limit_type, pl.unit)),
                        "{} lost its parent's {:?}/{:?} limit on {}",
                        g.id,
                        pl.limit_type,
                        pl.unit,
                        m.slug
                    );
                }
            }
        }
    }
});
