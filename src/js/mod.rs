//! The JavaScript adapter: converts at the boundary and calls the core.
//! Nothing in here decides anything.
//!
//! The npm package wraps these raw exports (`pkg/core.js`): it turns thrown
//! issue lists into `GroupgateError`s and caches member handles, so that a
//! file check crosses the boundary with one string and two integers.

use serde::Serialize;
use serde_json::Value;
use wasm_bindgen::prelude::*;

use crate::error::GroupgateError;
use crate::files::{Action, FilePolicy, Member, PolicyOptions};
use crate::verdict::Report;

mod workspace;

/// Serializes for JS: objects as plain objects, absent fields left out.
pub(crate) fn to_js<T: Serialize + ?Sized>(v: &T) -> JsValue {
    let ser = serde_wasm_bindgen::Serializer::new()
        .serialize_maps_as_objects(true)
        .serialize_missing_as_null(false);
    v.serialize(&ser).unwrap_or(JsValue::NULL)
}

/// A thrown error: `{ message, issues }`, which the package turns into a
/// `GroupgateError`.
pub(crate) fn error(e: &GroupgateError) -> JsValue {
    #[derive(Serialize)]
    struct Thrown<'a> {
        groupgate: bool,
        message: String,
        issues: &'a [crate::Issue],
    }
    to_js(&Thrown {
        groupgate: true,
        message: e.to_string(),
        issues: &e.issues,
    })
}

/// Reads any JS value as JSON. Values JSON cannot hold (BigInt, symbols,
/// functions) are an error at `path`.
pub(crate) fn from_js(v: JsValue, path: &str) -> Result<Value, GroupgateError> {
    serde_wasm_bindgen::from_value(v).map_err(|e| {
        GroupgateError::one(
            path,
            "type",
            format!("the value cannot be read as JSON: {e}"),
        )
    })
}

#[wasm_bindgen]
pub fn version() -> String {
    crate::version().to_string()
}

#[wasm_bindgen(js_name = globMatch)]
pub fn glob_match(pattern: &str, path: &str) -> Result<bool, JsValue> {
    crate::glob::glob_match(pattern, path).map_err(|e| error(&e))
}

/// Never throws: unreadable input is a 400 verdict.
#[wasm_bindgen]
pub fn validate(dialect: &str, request: JsValue, context: JsValue) -> JsValue {
    let request = match from_js(request, "") {
        Ok(v) => v,
        Err(e) => return unreadable(e),
    };
    let context = match from_js(context, "/context") {
        Ok(v) => v,
        Err(e) => return unreadable(e),
    };
    to_js(&crate::validate(dialect, &request, &context))
}

pub(crate) fn unreadable(e: GroupgateError) -> JsValue {
    let mut r = Report::new();
    for issue in e.issues {
        r.push(crate::verdict::Class::BadRequest, issue);
    }
    to_js(&r.finish(200, None, None))
}

#[wasm_bindgen(js_name = permissionsOf)]
pub fn permissions_of(
    dialect: &str,
    subject: JsValue,
    context: JsValue,
) -> Result<JsValue, JsValue> {
    let subject = from_js(subject, "/subject").map_err(|e| error(&e))?;
    let context = from_js(context, "/context").map_err(|e| error(&e))?;
    crate::permissions_of(dialect, &subject, &context)
        .map(|p| to_js(&p))
        .map_err(|e| error(&e))
}

fn options(v: JsValue) -> Result<PolicyOptions, GroupgateError> {
    if v.is_undefined() || v.is_null() {
        return Ok(PolicyOptions::default());
    }
    // Through JSON, so that unknown option names are reported (reading a
    // struct straight from a JS object skips them).
    let json = from_js(v, "/options")?;
    serde_json::from_value(json)
        .map_err(|e| GroupgateError::one("/options", "type", format!("invalid options: {e}")))
}

/// A compiled [`FilePolicy`] plus the members resolved so far.
#[wasm_bindgen(js_name = RawFilePolicy)]
pub struct RawFilePolicy {
    policy: FilePolicy,
    members: Vec<Member>,
    last_error: Option<GroupgateError>,
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
    pub fn new(groups: JsValue, opts: JsValue) -> Result<RawFilePolicy, JsValue> {
        let groups = from_js(groups, "").map_err(|e| error(&e))?;
        let opts = options(opts).map_err(|e| error(&e))?;
        let policy = FilePolicy::from_json(&groups, opts).map_err(|e| error(&e))?;
        Ok(RawFilePolicy {
            policy,
            members: Vec::new(),
            last_error: None,
        })
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

    pub fn explain(&self, member: u32, path: &str, action_code: u8) -> Result<JsValue, JsValue> {
        let m = self.member_ref(member)?;
        self.policy
            .explain_member(m, path, action(action_code))
            .map(|e| to_js(&e))
            .map_err(|e| error(&e))
    }

    pub fn lint(&self, files: JsValue) -> Result<JsValue, JsValue> {
        let files = lint_files(files)?;
        Ok(to_js(&self.policy.lint(files.as_deref())))
    }

    /// Lints groups that may not compile: their construction errors, or
    /// the lint of the compiled policy.
    #[wasm_bindgen(js_name = lintGroups)]
    pub fn lint_groups(groups: JsValue, opts: JsValue, files: JsValue) -> Result<JsValue, JsValue> {
        let groups = from_js(groups, "").map_err(|e| error(&e))?;
        let opts = options(opts).map_err(|e| error(&e))?;
        let files = lint_files(files)?;
        Ok(to_js(&FilePolicy::lint_json(
            &groups,
            opts,
            files.as_deref(),
        )))
    }
}

fn lint_files(files: JsValue) -> Result<Option<Vec<String>>, JsValue> {
    if files.is_undefined() || files.is_null() {
        return Ok(None);
    }
    serde_wasm_bindgen::from_value::<Vec<String>>(files)
        .map(Some)
        .map_err(|e| {
            error(&GroupgateError::one(
                "/files",
                "type",
                format!("files must be an array of strings: {e}"),
            ))
        })
}
