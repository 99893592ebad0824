//! The `baseten` dialect (SPEC §1). Placeholder until its validator lands.

use serde_json::Value;

use super::{Context, Request};
use crate::error::GroupgateError;
use crate::verdict::{Report, Verdict};

pub fn validate(req: &Request, _ctx: &Context) -> Verdict {
    let mut r = Report::new();
    r.bad("", "unsupported", "the baseten validator is not built yet");
    r.finish(req.op.success(), None, None)
}

pub fn permissions_of(_subject: &Value, _ctx: &Context) -> Result<Vec<String>, GroupgateError> {
    Err(GroupgateError::one(
        "",
        "unsupported",
        "the baseten catalog is not built yet",
    ))
}
