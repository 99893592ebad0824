//! The JS `Workspace`: Baseten state compiled once, previewed many times.

use wasm_bindgen::prelude::*;

use super::{error, from_js, to_js, unreadable};
use crate::hierarchy::Workspace;

#[wasm_bindgen(js_name = RawWorkspace)]
pub struct RawWorkspace {
    inner: Workspace,
}

#[wasm_bindgen(js_class = RawWorkspace)]
impl RawWorkspace {
    /// Validates and indexes `{groups, keys?}`; throws the state's issues.
    pub fn from(state: JsValue) -> Result<RawWorkspace, JsValue> {
        let state = from_js(state, "").map_err(|e| error(&e))?;
        let inner = Workspace::from_json(&state).map_err(|e| error(&e))?;
        Ok(RawWorkspace { inner })
    }

    #[wasm_bindgen(js_name = effectiveModels)]
    pub fn effective_models(&self, group_id: &str) -> Result<JsValue, JsValue> {
        self.inner
            .effective_models(group_id)
            .map(|m| to_js(&m))
            .map_err(|e| error(&e))
    }

    /// Never throws: unreadable input is a 400 verdict.
    pub fn preview(&self, request: JsValue, caller: JsValue) -> JsValue {
        let request = match from_js(request, "") {
            Ok(v) => v,
            Err(e) => return unreadable(e),
        };
        if caller.is_undefined() || caller.is_null() {
            return to_js(&self.inner.preview(&request));
        }
        match from_js(caller, "/context/caller") {
            Ok(c) => to_js(&self.inner.preview_as(&request, &c)),
            Err(e) => unreadable(e),
        }
    }
}
