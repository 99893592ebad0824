//! The JavaScript adapter: converts at the boundary and calls the core.
//! Nothing in here decides anything.
//!
//! Structured values cross as JSON text: `pkg/core.js` calls `JSON.stringify`
//! on the way in and `JSON.parse` on the way out. Both are native and fast,
//! one string crosses instead of one call per field, and `serde_json`'s
//! parser bounds nesting depth, so hostile input is an error, never a stack
//! overflow. Errors are thrown as JSON text `{message, issues}`, which the
//! package turns into a `GroupgateError`. File checks cross with one string
//! and two integers.

use std::cell::Cell;

use serde::Serialize;
use serde_json::Value;
use wasm_bindgen::prelude::*;

use crate::error::GroupgateError;
use crate::files::{Action, FilePolicy, Member, PolicyOptions};
use crate::glob::PathErrorKind;

// The dialect validators and Baseten's `Workspace`: left out of the
// file-permissions-only build (`--no-default-features`, the package's
// `groupgate/files` entry), whose .wasm is then less than half the size.
#[cfg(feature = "dialects")]
mod dialects;
mod grow;
mod options;
#[cfg(feature = "dialects")]
mod workspace;

/// JSON text for JS.
pub(crate) fn to_json<T: Serialize + ?Sized>(v: &T) -> String {
    serde_json::to_string(v).unwrap_or_else(|_| "null".to_string())
}

/// A thrown error: JSON text `{ message, issues }`.
pub(crate) fn error(e: &GroupgateError) -> JsValue {
    #[derive(Serialize)]
    struct Thrown<'a> {
        message: String,
        issues: &'a [crate::Issue],
    }
    JsValue::from_str(&to_json(&Thrown {
        message: e.to_string(),
        issues: &e.issues,
    }))
}

/// The same for the groups of a `FilePolicy`: compiling them keeps about
/// this much per byte of rules.
const RESERVE_PER_RULE_BYTE: usize = 12;
/// The most set aside at once (a bigger call grows the heap as it goes).
const RESERVE_MAX: usize = 512 << 20;
/// The reservation takes blocks this size while the heap has them free
/// (freed, they serve any later call: a bigger one grows only by what they
/// lack, never by the sum); what the heap lacks is then taken in one block.
const RESERVE_BLOCK: usize = 4 << 20;

/// Grows the WASM heap by what reading `input_bytes` of JSON (a `validate`
/// context, or a policy's groups) and working on it takes, `per_byte` each,
/// before the work starts, in at most two `memory.grow`s. (`Workspace.from` reads its text
/// without a `Value` tree and needs about 6 bytes per byte: it grows as it
/// goes, which keeps the memory a cold call adds proportional to its input.) The allocator
/// grows memory 64 KB at a time and V8 charges about a millisecond per
/// `memory.grow`: a fresh instance reading a 10,000-group state grew 2,600
/// times and took 10 s, where a grown one takes 0.5 s; each grow also lets
/// V8 collect the caller's JS heap (a full collection of a 200 MB heap each
/// time: 100,000 1 KB rules took 30 of them, 0.8 s, growing in 4 MB steps). The blocks are freed
/// at once, so the call's allocations reuse them; a failed reservation is
/// harmless (the call grows as it goes).
pub(crate) fn reserve_heap(input_bytes: usize, per_byte: usize) {
    if input_bytes < 64 << 10 {
        return;
    }
    let want = input_bytes.saturating_mul(per_byte).min(RESERVE_MAX);
    let mut blocks: Vec<Vec<u8>> = Vec::with_capacity(want.div_ceil(RESERVE_BLOCK));
    let mut got = 0;
    let mut grown = false;
    while got < want {
        let pages = core::arch::wasm32::memory_size(0);
        // The last block is what is left: the reservation grows with the
        // input, not in 4 MB steps (the bounds suite checks the ratio).
        let size = if grown {
            want - got
        } else {
            RESERVE_BLOCK.min(want - got)
        };
        let mut block = Vec::new();
        if block.try_reserve_exact(size).is_err() {
            break;
        }
        grown = core::arch::wasm32::memory_size(0) != pages;
        got += block.capacity();
        blocks.push(block);
    }
    // black_box: an allocation nobody reads may be optimized away.
    drop(std::hint::black_box(blocks));
}

pub(crate) use crate::error::from_json;

/// The WASM memory, for the package's zero-copy path passing.
#[wasm_bindgen(js_name = wasmMemory)]
pub fn wasm_memory() -> JsValue {
    wasm_bindgen::memory()
}

/// Seeds the hash keys of the crate's maps of input names (`keyed`) with
/// 128 random bits: the package calls it once, at instantiation.
#[wasm_bindgen(js_name = seedHashKeys)]
pub fn seed_hash_keys(a: u32, b: u32, c: u32, d: u32) {
    crate::keyed::seed([
        u64::from(a) << 32 | u64::from(b),
        u64::from(c) << 32 | u64::from(d),
    ]);
}

/// The crate version.
#[wasm_bindgen]
pub fn version() -> String {
    crate::version().to_string()
}

/// Does the glob match the path? Throws for a pattern outside the dialect.
/// `options` is JSON text: `null` or an object; unknown keys are refused.
#[wasm_bindgen(js_name = globMatch)]
pub fn glob_match(pattern: &str, path: &str, options: &str) -> Result<bool, JsValue> {
    let options = match from_json(options, "/options").map_err(|e| error(&e))? {
        Value::Null => crate::GlobOptions::default(),
        Value::Object(o) => options::glob(&o).map_err(|e| error(&e))?,
        _ => {
            return Err(error(&GroupgateError::one(
                "/options",
                "type",
                "options must be an object",
            )))
        }
    };
    crate::glob_match_with(pattern, path, options).map_err(|e| error(&e))
}

fn options(text: &str) -> Result<PolicyOptions, GroupgateError> {
    // No options (the package sends `null`): the JSON reader, in a function
    // of its own, stays out of a cold build, so V8 does not compile it on
    // a first call (issue 12).
    if text == "null" {
        return Ok(PolicyOptions::default());
    }
    options_json(text)
}

/// Options that do not read: the groups' own error first, as always.
/// Out of line: a build never compiles it (issue 12, cold start).
#[cold]
#[inline(never)]
fn bad_options(text: &str, e: GroupgateError) -> Result<FilePolicy, GroupgateError> {
    from_json(text, "").and(Err(e))
}

#[inline(never)]
fn options_json(text: &str) -> Result<PolicyOptions, GroupgateError> {
    match from_json(text, "/options")? {
        Value::Null => Ok(PolicyOptions::default()),
        // Objects only (serde would have read a struct from an array).
        Value::Object(o) => options::policy(&o),
        _ => Err(GroupgateError::one(
            "/options",
            "type",
            "options must be an object",
        )),
    }
}

thread_local! {
    /// The groups' JSON text of the `FilePolicy` being constructed (see
    /// [`RawFilePolicy::text_buffer`]); taken, so a trap loses it and
    /// nothing else.
    static TEXT: Cell<Vec<u8>> = const { Cell::new(Vec::new()) };
}

/// A compiled [`FilePolicy`] plus the members resolved so far.
///
/// Every method takes `&self`: wasm-bindgen guards an object with a borrow
/// flag that a WebAssembly trap (out of memory) would leave set, so a `&mut
/// self` method that trapped once would make every later call fail with
/// "recursive use of an object". Shared borrows survive a trap. What changes
/// between calls lives in `Cell`s, taken and put back around each use: a
/// trap loses at most that state (the package then resets its caches).
#[wasm_bindgen(js_name = RawFilePolicy)]
pub struct RawFilePolicy {
    policy: FilePolicy,
    members: Cell<Vec<Resolved>>,
    last_error: Cell<Option<GroupgateError>>,
    /// Where the package writes a path (UTF-8, with `TextEncoder.encodeInto`)
    /// before `checkInput`/`explainInput`: a check then allocates nothing
    /// on either side.
    input: Cell<Vec<u8>>,
}

/// A member handle's target: the member and the ids the policy does not know.
struct Resolved {
    member: Member,
    unknown: Vec<String>,
}

const ACTIONS: [Action; 4] = Action::ALL;

fn action(code: u8) -> Action {
    ACTIONS
        .get(code as usize)
        .copied()
        .unwrap_or(Action::Visible)
}

fn unknown_handle() -> GroupgateError {
    GroupgateError::one("", "internal", "unknown member handle")
}

#[wasm_bindgen(js_class = RawFilePolicy)]
impl RawFilePolicy {
    /// Room for `len` bytes of the groups' JSON text, keeping the first
    /// `keep` bytes written so far; returns its address. The package writes
    /// the text there with `TextEncoder.encodeInto`, then calls
    /// [`RawFilePolicy::from_text`]: no UTF-8 copy on the JS heap and no
    /// second copy into WASM (for 100,000 1 KB rules, 16 ms where encoding
    /// and copying took 200; issue 11).
    #[wasm_bindgen(js_name = textBuffer)]
    pub fn text_buffer(len: usize, keep: usize) -> usize {
        let old = TEXT.take();
        // Zeroed: memory fresh from `memory.grow` is zero already, so the
        // allocator skips the clearing.
        let mut buf = vec![0u8; len];
        let keep = keep.min(len).min(old.len());
        buf[..keep].copy_from_slice(&old[..keep]);
        drop(old);
        let at = buf.as_mut_ptr() as usize;
        TEXT.set(buf);
        at
    }

    /// Compiles the groups whose JSON text (`len` UTF-8 bytes) the package
    /// wrote to [`RawFilePolicy::text_buffer`], with options (JSON text or
    /// `null`).
    #[wasm_bindgen(js_name = fromText)]
    pub fn from_text(len: usize, opts: &str) -> Result<RawFilePolicy, JsValue> {
        let buf = TEXT.take();
        reserve_heap(len, RESERVE_PER_RULE_BYTE);
        let text = std::str::from_utf8(buf.get(..len).unwrap_or_default())
            .map_err(|_| GroupgateError::one("", "type", "the groups are not UTF-8 text"))
            .map_err(|e| error(&e))?;
        // Unreadable groups are reported before bad options, as always.
        let policy = match options(opts) {
            Ok(opts) => FilePolicy::from_json_text(text, opts),
            Err(e) => bad_options(text, e),
        }
        .map_err(|e| error(&e))?;
        Ok(RawFilePolicy {
            policy,
            members: Cell::default(),
            last_error: Cell::default(),
            input: Cell::default(),
        })
    }

    /// A policy saved by `toBytes` (see [`FilePolicy::from_bytes`]).
    #[wasm_bindgen(js_name = fromBytes)]
    pub fn from_bytes(bytes: &[u8]) -> Result<RawFilePolicy, JsValue> {
        // The loaded policy is about the snapshot's size: one grow of the
        // heap, not one per array.
        reserve_heap(bytes.len(), 1);
        let policy = FilePolicy::from_bytes(bytes).map_err(|e| error(&e))?;
        Ok(RawFilePolicy {
            policy,
            members: Cell::default(),
            last_error: Cell::default(),
            input: Cell::default(),
        })
    }

    /// The compiled policy as bytes (see [`FilePolicy::to_bytes`]).
    #[wasm_bindgen(js_name = toBytes)]
    pub fn to_bytes(&self) -> Vec<u8> {
        self.policy.to_bytes()
    }

    /// The policy's `maxPathBytes` (a number: it may exceed 2^32).
    #[wasm_bindgen(js_name = maxPathBytes)]
    pub fn max_path_bytes(&self) -> f64 {
        self.policy.options().limits.max_path_bytes as f64
    }

    /// Resolves group ids joined by NUL (`count` of them) to a member handle.
    /// Ids never contain NUL, so a count mismatch means a bad id.
    pub fn member(&self, joined: &str, count: u32) -> Result<u32, JsValue> {
        let ids: Vec<&str> = if count == 0 {
            Vec::new()
        } else {
            joined.split('\0').collect()
        };
        if ids.len() != count as usize {
            return Err(error(&GroupgateError::one(
                "/groupIds",
                "pattern",
                "a group id contains a NUL character",
            )));
        }
        let resolved = Resolved {
            member: self.policy.member(&ids),
            unknown: self.policy.unknown_ids(&ids),
        };
        let mut members = self.members.take();
        members.push(resolved);
        let handle = (members.len() - 1) as u32;
        self.members.set(members);
        Ok(handle)
    }

    /// Forgets every member handle.
    #[wasm_bindgen(js_name = clearMembers)]
    pub fn clear_members(&self) {
        self.members.take();
    }

    /// Makes the input buffer at least `bytes` long; returns its address in
    /// WASM memory (stable until the next `reserve` or `release`).
    pub fn reserve(&self, bytes: usize) -> usize {
        let mut input = self.input.take();
        if input.len() < bytes {
            input.resize(bytes, 0);
        }
        let at = input.as_ptr() as usize;
        self.input.set(input);
        at
    }

    /// Frees the input buffer (after a long path, so its memory is reused).
    pub fn release(&self) {
        self.input.take();
    }

    /// 1 allowed, 0 denied, -1 error (then `takeError`) for the first `len`
    /// bytes of the input buffer. `len` over the policy's `maxPathBytes` is
    /// the package saying the path is too long (it wrote nothing then).
    #[wasm_bindgen(js_name = checkInput)]
    pub fn check_input(&self, member: u32, len: f64, action_code: u8) -> i32 {
        let result = self.with_input(member, len, |m, path| {
            self.policy
                .check_member(&m.member, path, action(action_code))
        });
        match result {
            Ok(b) => b as i32,
            Err(e) => {
                self.last_error.set(Some(e));
                -1
            }
        }
    }

    /// [`RawFilePolicy::check_input`]'s explanation, naming the group ids
    /// the policy does not know.
    #[wasm_bindgen(js_name = explainInput)]
    pub fn explain_input(&self, member: u32, len: f64, action_code: u8) -> Result<String, JsValue> {
        self.with_input(member, len, |m, path| {
            let e = self
                .policy
                .explain_member(&m.member, path, action(action_code))?;
            Ok(to_json(&e.with_unknown(m.unknown.clone())))
        })
        .map_err(|e| error(&e))
    }

    /// Runs `f` on a member and the path in the input buffer.
    fn with_input<T>(
        &self,
        member: u32,
        len: f64,
        f: impl FnOnce(&Resolved, &str) -> Result<T, GroupgateError>,
    ) -> Result<T, GroupgateError> {
        let limit = self.policy.options().limits.max_path_bytes;
        if len > limit as f64 {
            let e = PathErrorKind::TooLong { limit };
            return Err(GroupgateError::one("/path", e.code(), e.message()));
        }
        let members = self.members.take();
        let input = self.input.take();
        let result = match (members.get(member as usize), input.get(..len as usize)) {
            (Some(m), Some(bytes)) => match std::str::from_utf8(bytes) {
                Ok(path) => f(m, path),
                Err(_) => Err(GroupgateError::one(
                    "/path",
                    "type",
                    "the path is not UTF-8",
                )),
            },
            _ => Err(unknown_handle()),
        };
        self.members.set(members);
        self.input.set(input);
        result
    }

    /// The error of the last call that answered -1.
    #[wasm_bindgen(js_name = takeError)]
    pub fn take_error(&self) -> JsValue {
        error(&self.last_error.take().unwrap_or_else(unknown_handle))
    }

    /// Paths joined by NUL; one byte per path (1 allowed, 0 denied).
    #[wasm_bindgen(js_name = checkMany)]
    pub fn check_many(
        &self,
        member: u32,
        joined: &str,
        count: u32,
        action_code: u8,
    ) -> Result<Vec<u8>, JsValue> {
        let members = self.members.take();
        let result = match members.get(member as usize) {
            Some(m) => self.check_joined(&m.member, joined, count, action(action_code)),
            None => Err(unknown_handle()),
        };
        self.members.set(members);
        result.map_err(|e| error(&e))
    }

    fn check_joined(
        &self,
        m: &Member,
        joined: &str,
        count: u32,
        action: Action,
    ) -> Result<Vec<u8>, GroupgateError> {
        let paths: Vec<&str> = if count == 0 {
            Vec::new()
        } else {
            joined.split('\0').collect()
        };
        // Paths never contain NUL: more pieces than paths would shift every
        // answer after the extra NUL onto another path.
        if paths.len() != count as usize {
            return Err(GroupgateError::one(
                "/paths",
                "path.nul",
                "a path contains a NUL character",
            ));
        }
        let mut out = Vec::with_capacity(paths.len());
        for (i, p) in paths.into_iter().enumerate() {
            let allowed = self.policy.check_member(m, p, action).map_err(|mut e| {
                for issue in &mut e.issues {
                    issue.path = crate::verdict::ptr("/paths", i);
                }
                e
            })?;
            out.push(allowed as u8);
        }
        Ok(out)
    }

    /// The policy's lint, given project files (JSON text or `null`).
    pub fn lint(&self, files: &str) -> Result<String, JsValue> {
        let files = lint_files(files)?;
        Ok(to_json(&self.policy.lint(files.as_deref())))
    }

    /// Lints groups that may not compile: their construction errors, or
    /// the lint of the compiled policy.
    #[wasm_bindgen(js_name = lintGroups)]
    pub fn lint_groups(groups: &str, opts: &str, files: &str) -> Result<String, JsValue> {
        let groups = from_json(groups, "").map_err(|e| error(&e))?;
        let opts = options(opts).map_err(|e| error(&e))?;
        let files = lint_files(files)?;
        Ok(to_json(&FilePolicy::lint_json(
            &groups,
            opts,
            files.as_deref(),
        )))
    }
}

fn lint_files(files: &str) -> Result<Option<Vec<String>>, JsValue> {
    let files = from_json(files, "/files").map_err(|e| error(&e))?;
    if files.is_null() {
        return Ok(None);
    }
    options::strings(files).map(Some).map_err(|e| {
        error(&GroupgateError::one(
            "/files",
            "type",
            format!("files must be an array of strings: {e}"),
        ))
    })
}
