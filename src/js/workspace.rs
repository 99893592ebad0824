//! The JS `Workspace`: Baseten state compiled once, previewed many times.

use wasm_bindgen::prelude::*;

use super::dialects::unreadable;
use super::{error, from_json, to_json};
use crate::baseten::{ApplyOptions, Workspace};
use crate::error::GroupgateError;
use crate::limits::Limits;

/// `{limits?}`: the limits of the workspace, the defaults for what is not given.
fn workspace_limits(text: &str) -> Result<Limits, GroupgateError> {
    match from_json(text, "/options")? {
        serde_json::Value::Null => Ok(Limits::DEFAULT),
        serde_json::Value::Object(o) => super::options::workspace(&o),
        _ => Err(GroupgateError::one(
            "/options",
            "type",
            "options must be an object",
        )),
    }
}

/// Heap bytes set aside per byte of state text before it is read (the
/// compact form takes about 2 bytes a byte, its build more: a state of
/// 10,000 groups of 100 distinct models is 92 MB of text, +201 MB kept).
/// Grown as it went, memory grew in thousands of small steps, and V8 may
/// collect the caller's JS heap at each: 5.1 s for a first build of that
/// state, 1.3 s once memory had grown (README, Baseten).
const RESERVE_PER_STATE_BYTE: usize = 4;
/// The same per byte of a `preview` or `apply` request (its `Value` tree,
/// the `next` group and the `changes` text), as `validate` sets aside per
/// byte of context. An update of 100,000 models in a fresh process took
/// 6.2 s (5 s of it V8 collecting the caller's heap at each of the
/// allocator's small grows), 0.5 s once memory had grown; with this, ≈ 2.5 s
/// (48 took 1.5 s, but its steps broke the bounds suite's linear memory
/// growth: `preview / 100,000 duplicate models`).
const RESERVE_PER_REQUEST_BYTE: usize = 16;

thread_local! {
    /// The state input buffer of [`RawWorkspace::input`].
    static INPUT: std::cell::Cell<Vec<u8>> = const { std::cell::Cell::new(Vec::new()) };
}

#[wasm_bindgen(js_name = RawWorkspace)]
pub struct RawWorkspace {
    inner: Workspace,
}

#[wasm_bindgen(js_class = RawWorkspace)]
impl RawWorkspace {
    /// Makes the state input buffer at least `bytes` long (its content
    /// kept); returns its address in WASM memory, where the package writes
    /// the state's UTF-8 with `TextEncoder.encodeInto` (`TextEncoder.encode`
    /// allocates a copy first: ≈ 2 ms of a 3 MB state).
    pub fn input(bytes: usize) -> usize {
        INPUT.with(|c| {
            let mut input = c.take();
            if input.len() < bytes {
                // The buffer and the build's working memory in one
                // `memory.grow` (see RESERVE_PER_STATE_BYTE).
                super::reserve_heap(bytes, 1 + RESERVE_PER_STATE_BYTE);
                // Zeroed by the allocator, not byte by byte (`resize` wrote
                // the 3 MB of a 10,000-group state in a loop: 4% of a build).
                let mut grown = vec![0u8; bytes];
                grown[..input.len()].copy_from_slice(&input);
                input = grown;
            }
            let at = input.as_ptr() as usize;
            c.set(input);
            at
        })
    }

    /// Validates and indexes `{groups, keys?}` from the first `len` bytes
    /// of the input buffer (the JSON text as UTF-8; the buffer is freed);
    /// throws the state's issues. `options` is JSON text `{limits?}` (SPEC
    /// §4), `null` when absent. Bytes, not a string: passing a string walks
    /// it in JS a character at a time (≈ 9 ms for a 3 MB state).
    #[wasm_bindgen(js_name = fromInput)]
    pub fn from_input(len: usize, options: &str) -> Result<RawWorkspace, JsValue> {
        let input = INPUT.with(std::cell::Cell::take);
        let limits = workspace_limits(options).map_err(|e| error(&e))?;
        let state = std::str::from_utf8(input.get(..len).unwrap_or(&input)).map_err(|_| {
            error(&GroupgateError::one(
                "",
                "type",
                "the state is not UTF-8 text",
            ))
        })?;
        // Straight from the text into the compact form (no Value tree).
        let inner = Workspace::from_json_text(state, limits).map_err(|e| error(&e))?;
        Ok(RawWorkspace { inner })
    }

    #[wasm_bindgen(js_name = effectiveModels)]
    pub fn effective_models(&self, group_id: &str) -> Result<String, JsValue> {
        self.inner
            .effective_models(group_id)
            .map(|m| to_json(&m))
            .map_err(|e| error(&e))
    }

    /// Unreadable requests are a 400 verdict; a caller that is not an
    /// object throws, as `validate` does for `context.caller`. `caller` is
    /// JSON text, `null` when absent; `summary` asks for the summary form
    /// of `changes` with that many entries per list.
    pub fn preview(
        &self,
        request: &str,
        caller: &str,
        summary: Option<u32>,
    ) -> Result<String, JsValue> {
        super::reserve_heap(request.len(), RESERVE_PER_REQUEST_BYTE);
        let caller = from_json(caller, "/context/caller").map_err(|e| error(&e))?;
        let request = match from_json(request, "") {
            Ok(v) => v,
            Err(e) => return Ok(unreadable(e)),
        };
        self.inner
            .preview_json(&request, Some(&caller), summary.map(|n| n as usize))
            .map_err(|e| error(&e))
    }

    /// The workspace as snapshot bytes.
    #[wasm_bindgen(js_name = toBytes)]
    pub fn to_bytes(&self) -> Vec<u8> {
        self.inner.to_bytes()
    }

    /// A workspace from `toBytes` output; throws `snapshot.*` issues.
    #[wasm_bindgen(js_name = fromBytes)]
    pub fn from_bytes(bytes: &[u8]) -> Result<RawWorkspace, JsValue> {
        let inner = Workspace::from_bytes(bytes).map_err(|e| error(&e))?;
        Ok(RawWorkspace { inner })
    }

    /// Previews and, when accepted, applies in place. `options` is JSON text
    /// `{caller?, id?, summary?}` (already checked by core.js). Throws for
    /// an unusable `id`; unreadable requests are a 400 verdict.
    pub fn apply(&mut self, request: &str, options: &str) -> Result<String, JsValue> {
        super::reserve_heap(request.len(), RESERVE_PER_REQUEST_BYTE);
        let request = match from_json(request, "") {
            Ok(v) => v,
            Err(e) => return Ok(unreadable(e)),
        };
        let options = from_json(options, "/options").map_err(|e| error(&e))?;
        let caller = options.get("caller").filter(|c| !c.is_null());
        let opts = ApplyOptions {
            caller,
            id: options.get("id").and_then(serde_json::Value::as_str),
            summary: options
                .get("summary")
                .and_then(serde_json::Value::as_u64)
                .map(|n| usize::try_from(n).unwrap_or(usize::MAX)),
        };
        self.inner.apply_json(&request, opts).map_err(|e| error(&e))
    }
}
