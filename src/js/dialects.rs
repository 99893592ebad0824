//! The dialect validators' exports: `validate`, `permissionsOf`, `catalog`.

use wasm_bindgen::prelude::*;

use super::{error, from_json, reserve_heap, to_json};
use crate::error::GroupgateError;
use crate::verdict::Report;

/// Heap bytes set aside per byte of a `validate` context (or a
/// `permissionsOf` one) before it is read. A `Value` tree of small members
/// takes 20-30 bytes a JSON byte (a metaschema `const` of 50,000 small
/// objects: 118 MB for 4.3 MB); at 16 the rest grew 64 KB at a time, with
/// 361 full collections of the caller's JS heap: 4.1 s on a fresh instance,
/// 0.27 s at 32. Within the memory bound (64 a byte, README Security).
const RESERVE_PER_BYTE: usize = 32;

/// An unreadable request is a 400 verdict (as JSON text); an unknown
/// dialect or an unusable context throws. A Baseten context's `state`
/// object may follow the context's text apart, after a NUL (no JSON text
/// holds one: `JSON.stringify` escapes it), as the package gives it.
#[wasm_bindgen]
pub fn validate(dialect: &str, request: &str, context: &str) -> Result<String, JsValue> {
    // The context holds the state and the request the body: the call's
    // memory grows with both.
    reserve_heap(
        context.len().saturating_add(request.len()),
        RESERVE_PER_BYTE,
    );
    let (context, state) = match context.split_once('\0') {
        Some((context, state)) => (context, Some(state)),
        None => (context, None),
    };
    let context = from_json(context, "/context").map_err(|e| error(&e))?;
    let request = match from_json(request, "") {
        Ok(v) => v,
        Err(e) => {
            // The dialect and context are still checked first: they throw.
            crate::dialects::read_context(&context).map_err(|e| error(&e))?;
            dialect.parse::<crate::Dialect>().map_err(|e| error(&e))?;
            return Ok(unreadable(e));
        }
    };
    crate::dialects::validate_text(dialect, &request, &context, state).map_err(|e| error(&e))
}

pub(super) fn unreadable(e: GroupgateError) -> String {
    let mut r = Report::new();
    for issue in e.issues {
        r.push(crate::verdict::Class::BadRequest, issue);
    }
    to_json(&r.finish(200, None, None))
}

/// The closure of a subject's permissions, as JSON text.
#[wasm_bindgen(js_name = permissionsOf)]
pub fn permissions_of(dialect: &str, subject: &str, context: &str) -> Result<String, JsValue> {
    // As in `validate`: a 3.5 MB catalog on a fresh instance grew the heap
    // 64 KB at a time, with 32 full collections of the caller's JS heap,
    // 3.6 s where a grown instance takes 0.65 s.
    reserve_heap(
        context.len().saturating_add(subject.len()),
        RESERVE_PER_BYTE,
    );
    let subject = from_json(subject, "/subject").map_err(|e| error(&e))?;
    let context = from_json(context, "/context").map_err(|e| error(&e))?;
    crate::permissions_of(dialect, &subject, &context)
        .map(|p| to_json(&p))
        .map_err(|e| error(&e))
}

/// The names a dialect knows (roles, permissions, enums) as JSON text;
/// an unknown dialect throws.
#[wasm_bindgen]
pub fn catalog(dialect: &str) -> Result<String, JsValue> {
    let dialect: crate::Dialect = dialect.parse().map_err(|e| error(&e))?;
    Ok(to_json(&crate::catalog(dialect)))
}
