//! File permissions (SPEC §2): allow/deny glob rules of GoRules groups,
//! compiled once into a [`FilePolicy`] and queried many times.
//!
//! The decision for a member (a set of groups), a path and an action:
//! 1. a member holding `owner` is allowed everything;
//! 2. `modify`, `write` and `delete` also require `visible`;
//! 3. the coarse permission of the action must be held
//!    (`visible` ← `documents:view-content`, `modify` ← `documents:edit-content`,
//!    `write`/`delete` ← `documents:full`);
//! 4. when none of the member's groups has a file rule, that is all;
//!    otherwise the rules of the member's groups whose actions include the
//!    action and whose patterns match the path decide: any deny → denied,
//!    else any allow → allowed, else denied (default deny). Rule order never
//!    matters.
//!
//! Every pattern of every rule goes into one [`PatternSet`]; a check asks it
//! which patterns match and looks only at those, never looping over rules.
//!
//! Layout: `rules` (the one reader of rule JSON), `policy` (compile and
//! decide), `explain` (the text of a decision), `lint` (findings).

mod batch;
mod bytes;
mod dedupe;
mod explain;
mod extras;
mod groups;
mod lint;
mod members;
mod notes;
mod policy;
mod rules;
mod scan;
mod sources;
mod texts;

use serde::{Deserialize, Serialize};

use crate::limits::Limits;

pub use policy::{FilePolicy, Member};
pub use rules::rule_issues;

/// A file action of GoRules file permissions.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Action {
    /// See the file (its coarse permission: `documents:view-content`).
    Visible,
    /// Edit the file's content (`documents:edit-content`).
    Modify,
    /// Write the file (`documents:full`).
    Write,
    /// Delete the file (`documents:full`).
    Delete,
}

impl Action {
    /// Every action, in order.
    pub const ALL: [Action; 4] = [
        Action::Visible,
        Action::Modify,
        Action::Write,
        Action::Delete,
    ];

    /// The action's name in rules and calls (`visible`, `modify`, …).
    pub fn name(self) -> &'static str {
        match self {
            Action::Visible => "visible",
            Action::Modify => "modify",
            Action::Write => "write",
            Action::Delete => "delete",
        }
    }

    /// The action named `s`, if any.
    pub fn parse(s: &str) -> Option<Action> {
        // A byte match: no call per name compared (issue 12, cold start).
        match s.as_bytes() {
            b"visible" => Some(Action::Visible),
            b"modify" => Some(Action::Modify),
            b"write" => Some(Action::Write),
            b"delete" => Some(Action::Delete),
            _ => None,
        }
    }

    pub(crate) fn bit(self) -> u8 {
        1 << self as u8
    }

    /// The coarse GoRules permission the action needs in a project of
    /// `version` (SPEC §2 step 4), if any: see [`ProjectVersion`].
    pub fn coarse_permission_in(self, version: ProjectVersion) -> Option<&'static str> {
        match (version, self) {
            (ProjectVersion::V1, a) => Some(a.coarse_permission()),
            (ProjectVersion::V2, Action::Visible) => None,
            (ProjectVersion::V2, _) => Some("branches:create"),
        }
    }

    /// The coarse GoRules permission the action needs in a v1 project
    /// (SPEC §2 step 4).
    pub fn coarse_permission(self) -> &'static str {
        match self {
            Action::Visible => "documents:view-content",
            Action::Modify => "documents:edit-content",
            Action::Write | Action::Delete => "documents:full",
        }
    }
}

/// Whether a rule allows or denies.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Effect {
    /// The rule grants what it matches.
    Allow,
    /// The rule refuses what it matches (deny wins over allow).
    Deny,
}

/// Options of a [`FilePolicy`].
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "camelCase", default, deny_unknown_fields)]
pub struct PolicyOptions {
    /// Fold ASCII case when matching.
    pub case_insensitive: bool,
    /// The limits the groups are read under.
    pub limits: Limits,
    /// The GoRules project version: which permissions gate file actions.
    pub project_version: ProjectVersion,
}

/// A GoRules project's version (decided: README "File permissions").
///
/// The GoRules docs label the `documents*` permissions "v1" (Standard
/// projects) and `branches*` "v2" (Git-like, the default for new
/// projects), and say nothing of how file rules meet either. Decided:
/// - `v1` (the default here, the behaviour of earlier releases):
///   `visible` needs `documents:view-content`, `modify`
///   `documents:edit-content`, `write`/`delete` `documents:full`;
/// - `v2`: the documents permissions do not exist, so `visible` needs no
///   permission (project membership) and `modify`/`write`/`delete` need
///   `branches:create` (changes are made on a branch). File rules then
///   restrict both as in v1.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub enum ProjectVersion {
    /// Standard projects: the documents permissions gate file actions.
    #[default]
    #[serde(rename = "v1")]
    V1,
    /// Git-like projects: see the type's docs.
    #[serde(rename = "v2")]
    V2,
}

impl ProjectVersion {
    /// Every version, in order.
    pub const ALL: [ProjectVersion; 2] = [ProjectVersion::V1, ProjectVersion::V2];

    /// The JSON spelling.
    pub fn name(self) -> &'static str {
        match self {
            ProjectVersion::V1 => "v1",
            ProjectVersion::V2 => "v2",
        }
    }
}

/// Why a decision came out as it did.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize)]
pub enum Reason {
    /// The member holds `owner`: everything is allowed.
    #[serde(rename = "owner")]
    Owner,
    /// The path is not visible to the member, so no other action is allowed.
    #[serde(rename = "not visible")]
    NotVisible,
    /// The member lacks the action's coarse permission.
    #[serde(rename = "missing permission")]
    MissingPermission,
    /// No file rule in the member's groups: the coarse permission decided.
    #[serde(rename = "permission")]
    Permission,
    /// A deny rule of the member's groups matched.
    #[serde(rename = "deny")]
    Deny,
    /// An allow rule matched, and no deny.
    #[serde(rename = "allow")]
    Allow,
    /// The member's groups have file rules, and none matched.
    #[serde(rename = "default deny")]
    DefaultDeny,
}

/// An explained decision (SPEC §2, `explain`).
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct Explanation {
    /// The decision.
    pub allowed: bool,
    /// Why.
    pub reason: Reason,
    /// The decision in one sentence.
    pub message: String,
    /// The deciding rule's group.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub group_id: Option<String>,
    /// The deciding rule's index in its group's `filePermissions`.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub rule_index: Option<usize>,
    /// The deciding rule's `id`, if it has one.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub rule_id: Option<String>,
    /// The deciding rule's effect.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub effect: Option<Effect>,
    /// The deciding glob, as written.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub pattern: Option<String>,
    /// The permission that decided (`owner`, or the action's coarse one).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub permission: Option<&'static str>,
    /// Group ids of the member the policy does not know (they contribute
    /// nothing; often a typo or a stale id).
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub unknown_groups: Vec<String>,
}

impl Explanation {
    /// Names group ids the policy does not know: every one in
    /// `unknown_groups`, the first [`UNKNOWN_NAMED`] in the message (then
    /// "and N more"): a message naming 100,000 ids made each `explain` of
    /// such a member cost 54 ms in the package.
    pub fn with_unknown(mut self, ids: Vec<String>) -> Self {
        let mut quoted: Vec<String> = ids
            .iter()
            .take(UNKNOWN_NAMED)
            .map(|id| format!("{id:?}"))
            .collect();
        let more = ids.len() - quoted.len();
        if more > 0 {
            quoted.push(format!("and {more} more"));
        }
        match quoted.as_slice() {
            [] => {}
            [one] => self.message.push_str(&format!(
                "; the policy has no group {one} (it contributes nothing)"
            )),
            _ => self.message.push_str(&format!(
                "; the policy has no groups {} (they contribute nothing)",
                crate::substr::join(&quoted, ", ")
            )),
        }
        self.unknown_groups = ids;
        self
    }
}

/// How many unknown group ids an explanation's message names.
pub const UNKNOWN_NAMED: usize = 16;

/// A group as the Rust API takes it (the JSON form is the same, camelCase).
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct GroupSpec {
    /// The group's id (unique in a policy).
    pub id: String,
    /// GoRules permissions (`documents`, `owner`, …).
    #[serde(default)]
    pub permissions: Vec<String>,
    /// File rules, in order.
    #[serde(default)]
    pub file_permissions: Vec<RuleSpec>,
}

/// A file rule as the Rust API takes it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct RuleSpec {
    /// An optional id, named by `explain`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub id: Option<String>,
    /// Allow or deny.
    pub effect: Effect,
    /// The actions the rule is about.
    #[serde(default)]
    pub actions: Vec<Action>,
    /// Globs; each may itself hold several (see [`crate::glob::split_patterns`]).
    #[serde(default)]
    pub patterns: Vec<String>,
}

/// Of `rules` (their texts: `texts`), a rule's key and whether a source
/// is dominated by an earlier pattern of its rule (see
/// [`texts::Texts::dominated`]), for [`sources::Sources`].
fn keys<'r>(
    rules: &'r [policy::Rule],
    texts: &texts::Texts,
) -> (
    impl Fn(u32) -> Option<sources::Key> + 'r,
    impl Fn(sources::Source) -> bool + 'r,
) {
    // Only a rule of two patterns or more has any (a policy of one glob a
    // rule then does not even compile the pass: V8 compiles a WASM
    // function whole on its first call; issue 12, cold start).
    let over = if rules.iter().any(|r| r.patterns.len >= 2) {
        texts.dominated(rules.iter().map(|r| r.patterns))
    } else {
        Vec::new()
    };
    let key = |i: u32| rules.get(i as usize).map(policy::Rule::key);
    let dominated = move |s: sources::Source| {
        let at = |r: &policy::Rule| over.get((r.patterns.first + s.pattern) as usize);
        !over.is_empty() && rules.get(s.rule as usize).and_then(at) == Some(&true)
    };
    (key, dominated)
}
