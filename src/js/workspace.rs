//! The JS `Workspace`: Baseten state compiled once, previewed many times.

use wasm_bindgen::prelude::*;

use super::{error, from_json, to_json, unreadable};
use crate::baseten::Workspace;
use crate::error::GroupgateError;
use crate::limits::Limits;

/// `{limits?}`: the limits of the workspace, the defaults for what is not given.
fn workspace_limits(text: &str) -> Result<Limits, GroupgateError> {
    #[derive(serde::Deserialize)]
    #[serde(deny_unknown_fields)]
    struct Options {
        #[serde(default)]
        limits: Limits,
    }
    match from_json(text, "/options")? {
        serde_json::Value::Null => Ok(Limits::DEFAULT),
        // Objects only: serde would read a struct from an array, positionally.
        json if !json.is_object() || json.get("limits").is_some_and(|l| !l.is_object()) => {
            Err(GroupgateError::one(
                "/options",
                "type",
                "options must be an object, and limits too",
            ))
        }
        json => serde_json::from_value::<Options>(json)
            .map(|o| o.limits)
            .map_err(|e| GroupgateError::one("/options", "type", format!("invalid options: {e}"))),
    }
}

#[wasm_bindgen(js_name = RawWorkspace)]
pub struct RawWorkspace {
    inner: Workspace,
}

#[wasm_bindgen(js_class = RawWorkspace)]
impl RawWorkspace {
    /// Validates and indexes `{groups, keys?}`; throws the state's issues.
    /// `options` is JSON text `{limits?}` (SPEC §4), `null` when absent.
    pub fn from(state: &str, options: &str) -> Result<RawWorkspace, JsValue> {
        let state = from_json(state, "").map_err(|e| error(&e))?;
        let limits = workspace_limits(options).map_err(|e| error(&e))?;
        let inner = Workspace::from_json_with(&state, limits).map_err(|e| error(&e))?;
        Ok(RawWorkspace { inner })
    }

    #[wasm_bindgen(js_name = effectiveModels)]
    pub fn effective_models(&self, group_id: &str) -> Result<String, JsValue> {
        self.inner
            .effective_models(group_id)
            .map(|m| to_json(&m))
            .map_err(|e| error(&e))
    }

    /// Never throws: unreadable input is a 400 verdict. `caller` is JSON
    /// text, `null` when absent.
    pub fn preview(&self, request: &str, caller: &str) -> String {
        let request = match from_json(request, "") {
            Ok(v) => v,
            Err(e) => return unreadable(e),
        };
        match from_json(caller, "/context/caller") {
            Ok(serde_json::Value::Null) => to_json(&self.inner.preview(&request)),
            Ok(c) => to_json(&self.inner.preview_as(&request, &c)),
            Err(e) => unreadable(e),
        }
    }
}
