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

use serde::Serialize;
use serde_json::Value;
use wasm_bindgen::prelude::*;

use crate::error::GroupgateError;
use crate::files::{Action, FilePolicy, Member, PolicyOptions};
use crate::verdict::Report;

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

/// Reads JSON text produced by `JSON.stringify`; an error names `path`.
pub(crate) fn from_json(text: &str, path: &str) -> Result<Value, GroupgateError> {
    serde_json::from_str(text).map_err(|e| {
        GroupgateError::one(
            path,
            "type",
            format!("the value cannot be read as JSON: {e}"),
        )
    })
}

/// The WASM memory, for the package's zero-copy path passing.
#[wasm_bindgen(js_name = wasmMemory)]
pub fn wasm_memory() -> JsValue {
    wasm_bindgen::memory()
}

#[wasm_bindgen]
pub fn version() -> String {
    crate::version().to_string()
}

/// `options` is JSON text: `null` or an object; unknown keys are refused.
#[wasm_bindgen(js_name = globMatch)]
pub fn glob_match(pattern: &str, path: &str, options: &str) -> Result<bool, JsValue> {
    let options = match from_json(options, "/options").map_err(|e| error(&e))? {
        Value::Null => crate::GlobOptions::default(),
        json if !json.is_object() => {
            return Err(error(&GroupgateError::one(
                "/options",
                "type",
                "options must be an object",
            )))
        }
        json => serde_json::from_value(json).map_err(|e| {
            error(&GroupgateError::one(
                "/options",
                "type",
                format!("invalid options: {e}"),
            ))
        })?,
    };
    crate::glob_match_with(pattern, path, options).map_err(|e| error(&e))
}

/// Never throws: unreadable input is a 400 verdict (as JSON text).
#[wasm_bindgen]
pub fn validate(dialect: &str, request: &str, context: &str) -> String {
    let request = match from_json(request, "") {
        Ok(v) => v,
        Err(e) => return unreadable(e),
    };
    let context = match from_json(context, "/context") {
        Ok(v) => v,
        Err(e) => return unreadable(e),
    };
    to_json(&crate::validate(dialect, &request, &context))
}

pub(crate) fn unreadable(e: GroupgateError) -> String {
    let mut r = Report::new();
    for issue in e.issues {
        r.push(crate::verdict::Class::BadRequest, issue);
    }
    to_json(&r.finish(200, None, None))
}

#[wasm_bindgen(js_name = permissionsOf)]
pub fn permissions_of(dialect: &str, subject: &str, context: &str) -> Result<String, JsValue> {
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

fn options(text: &str) -> Result<PolicyOptions, GroupgateError> {
    match from_json(text, "/options")? {
        Value::Null => Ok(PolicyOptions::default()),
        // Objects only: serde would read a struct from an array, positionally.
        json if !json.is_object() || json.get("limits").is_some_and(|l| !l.is_object()) => {
            Err(GroupgateError::one(
                "/options",
                "type",
                "options must be an object, and limits too",
            ))
        }
        json => serde_json::from_value(json)
            .map_err(|e| GroupgateError::one("/options", "type", format!("invalid options: {e}"))),
    }
}

/// A compiled [`FilePolicy`] plus the members resolved so far.
#[wasm_bindgen(js_name = RawFilePolicy)]
pub struct RawFilePolicy {
    policy: FilePolicy,
    members: Vec<Member>,
    last_error: Option<GroupgateError>,
    /// Where the package writes a path (UTF-8, with `TextEncoder.encodeInto`)
    /// before `checkInput`: a check then allocates nothing on either side.
    input: Vec<u8>,
}

const ACTIONS: [Action; 4] = Action::ALL;

fn action(code: u8) -> Action {
    ACTIONS
        .get(code as usize)
        .copied()
        .unwrap_or(Action::Visible)
}

#[wasm_bindgen(js_class = RawFilePolicy)]
impl RawFilePolicy {
    #[wasm_bindgen(constructor)]
    pub fn new(groups: &str, opts: &str) -> Result<RawFilePolicy, JsValue> {
        let groups = from_json(groups, "").map_err(|e| error(&e))?;
        let opts = options(opts).map_err(|e| error(&e))?;
        let policy = FilePolicy::from_json(&groups, opts).map_err(|e| error(&e))?;
        Ok(RawFilePolicy {
            policy,
            members: Vec::new(),
            last_error: None,
            input: Vec::new(),
        })
    }

    /// A policy saved by `toBytes` (see [`FilePolicy::from_bytes`]).
    #[wasm_bindgen(js_name = fromBytes)]
    pub fn from_bytes(bytes: &[u8]) -> Result<RawFilePolicy, JsValue> {
        let policy = FilePolicy::from_bytes(bytes).map_err(|e| error(&e))?;
        Ok(RawFilePolicy {
            policy,
            members: Vec::new(),
            last_error: None,
            input: Vec::new(),
        })
    }

    /// The compiled policy as bytes (see [`FilePolicy::to_bytes`]).
    #[wasm_bindgen(js_name = toBytes)]
    pub fn to_bytes(&self) -> Vec<u8> {
        self.policy.to_bytes()
    }

    /// Resolves group ids joined by NUL (`count` of them) to a member handle.
    /// Ids never contain NUL, so a count mismatch means a bad id.
    pub fn member(&mut self, joined: &str, count: u32) -> Result<u32, JsValue> {
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
        self.members.push(self.policy.member(&ids));
        Ok((self.members.len() - 1) as u32)
    }

    fn member_ref(&self, member: u32) -> Result<&Member, JsValue> {
        self.members.get(member as usize).ok_or_else(|| {
            error(&GroupgateError::one(
                "",
                "internal",
                "unknown member handle",
            ))
        })
    }

    #[wasm_bindgen(js_name = clearMembers)]
    pub fn clear_members(&mut self) {
        self.members.clear();
    }

    /// 1 allowed, 0 denied, -1 error (then `takeError`).
    pub fn check(&mut self, member: u32, path: &str, action_code: u8) -> i32 {
        let Some(m) = self.members.get(member as usize) else {
            return -1;
        };
        match self.policy.check_member(m, path, action(action_code)) {
            Ok(b) => b as i32,
            Err(e) => {
                self.last_error = Some(e);
                -1
            }
        }
    }

    /// Makes the input buffer at least `bytes` long; returns its address in
    /// WASM memory (stable until the next `reserve`).
    pub fn reserve(&mut self, bytes: usize) -> usize {
        if self.input.len() < bytes {
            self.input.resize(bytes, 0);
        }
        self.input.as_ptr() as usize
    }

    /// [`RawFilePolicy::check`] on the first `len` bytes of the input buffer.
    #[wasm_bindgen(js_name = checkInput)]
    pub fn check_input(&mut self, member: u32, len: usize, action_code: u8) -> i32 {
        let (Some(m), Some(bytes)) = (self.members.get(member as usize), self.input.get(..len))
        else {
            return -1;
        };
        let result = match std::str::from_utf8(bytes) {
            Ok(path) => self.policy.check_member(m, path, action(action_code)),
            Err(_) => Err(GroupgateError::one(
                "/path",
                "type",
                "the path is not UTF-8",
            )),
        };
        match result {
            Ok(b) => b as i32,
            Err(e) => {
                self.last_error = Some(e);
                -1
            }
        }
    }

    #[wasm_bindgen(js_name = takeError)]
    pub fn take_error(&mut self) -> JsValue {
        let e = self
            .last_error
            .take()
            .unwrap_or_else(|| GroupgateError::one("", "internal", "unknown member handle"));
        error(&e)
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
        let m = self.member_ref(member)?;
        let mut out = Vec::with_capacity(count as usize);
        if count > 0 {
            for (i, p) in joined.split('\0').enumerate() {
                let allowed = self
                    .policy
                    .check_member(m, p, action(action_code))
                    .map_err(|mut e| {
                        for issue in &mut e.issues {
                            issue.path = crate::verdict::ptr("/paths", i);
                        }
                        error(&e)
                    })?;
                out.push(allowed as u8);
            }
        }
        Ok(out)
    }

    pub fn explain(&self, member: u32, path: &str, action_code: u8) -> Result<String, JsValue> {
        let m = self.member_ref(member)?;
        self.policy
            .explain_member(m, path, action(action_code))
            .map(|e| to_json(&e))
            .map_err(|e| error(&e))
    }

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
    serde_json::from_value::<Vec<String>>(files)
        .map(Some)
        .map_err(|e| {
            error(&GroupgateError::one(
                "/files",
                "type",
                format!("files must be an array of strings: {e}"),
            ))
        })
}
