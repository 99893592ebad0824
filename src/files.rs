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

use std::collections::HashMap;

use serde::{Deserialize, Serialize};
use serde_json::Value;

use crate::error::GroupgateError;
use crate::glob::{self, normalize_path, split_patterns, Pattern};
use crate::input::{object, string, type_name, Optional};
use crate::limits::Limits;
use crate::patterns::{PatternSet, PatternSetBuilder};
use crate::permissions::{GoRulesPerms, GORULES_PERMISSIONS};
use crate::verdict::{ptr, Issue, Report};

/// A file action of GoRules file permissions.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Action {
    Visible,
    Modify,
    Write,
    Delete,
}

impl Action {
    pub const ALL: [Action; 4] = [
        Action::Visible,
        Action::Modify,
        Action::Write,
        Action::Delete,
    ];

    pub fn name(self) -> &'static str {
        match self {
            Action::Visible => "visible",
            Action::Modify => "modify",
            Action::Write => "write",
            Action::Delete => "delete",
        }
    }

    pub fn parse(s: &str) -> Option<Action> {
        Action::ALL.into_iter().find(|a| a.name() == s)
    }

    fn bit(self) -> u8 {
        1 << self as u8
    }

    /// The coarse GoRules permission the action needs (SPEC §2 step 4).
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
    Allow,
    Deny,
}

/// Options of a [`FilePolicy`].
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "camelCase", default, deny_unknown_fields)]
pub struct PolicyOptions {
    /// Fold ASCII case when matching.
    pub case_insensitive: bool,
    pub limits: Limits,
}

/// Why a decision came out as it did.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize)]
pub enum Reason {
    #[serde(rename = "owner")]
    Owner,
    #[serde(rename = "not visible")]
    NotVisible,
    #[serde(rename = "missing permission")]
    MissingPermission,
    /// No file rule in the member's groups: the coarse permission decided.
    #[serde(rename = "permission")]
    Permission,
    #[serde(rename = "deny")]
    Deny,
    #[serde(rename = "allow")]
    Allow,
    #[serde(rename = "default deny")]
    DefaultDeny,
}

/// An explained decision (SPEC §2, `explain`).
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct Explanation {
    pub allowed: bool,
    pub reason: Reason,
    /// The decision in one sentence.
    pub message: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub group_id: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub rule_index: Option<usize>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub rule_id: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub effect: Option<Effect>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub pattern: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub permission: Option<&'static str>,
    /// Group ids of the member the policy does not know (they contribute
    /// nothing; often a typo or a stale id).
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub unknown_groups: Vec<String>,
}

impl Explanation {
    /// Names group ids the policy does not know, in the message too.
    pub fn with_unknown(mut self, ids: Vec<String>) -> Self {
        let quoted: Vec<String> = ids.iter().map(|id| format!("{id:?}")).collect();
        match quoted.as_slice() {
            [] => {}
            [one] => self.message.push_str(&format!(
                "; the policy has no group {one} (it contributes nothing)"
            )),
            _ => self.message.push_str(&format!(
                "; the policy has no groups {} (they contribute nothing)",
                quoted.join(", ")
            )),
        }
        self.unknown_groups = ids;
        self
    }
}

#[derive(Debug, Clone)]
struct Group {
    id: String,
    /// Closure of the group's permissions.
    perms: GoRulesPerms,
    /// Whether the group has any file rule (even one that matches nothing).
    has_rules: bool,
}

#[derive(Debug, Clone)]
struct Rule {
    group: u32,
    /// Index in the group's `filePermissions`.
    index: u32,
    id: Option<String>,
    effect: Effect,
    actions: u8,
    patterns: Vec<Pattern>,
}

/// Where a compiled glob comes from.
#[derive(Debug, Clone, Copy)]
struct Source {
    rule: u32,
    pattern: u32,
}

/// A resolved set of groups, ready for checks.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Member {
    /// Bit *i* set when the member is in group *i*.
    groups: Vec<u64>,
    perms: GoRulesPerms,
    owner: bool,
    /// Bit *a* set when the member holds action *a*'s coarse permission.
    coarse: u8,
    has_rules: bool,
}

impl Member {
    fn contains(&self, group: u32) -> bool {
        self.groups
            .get(group as usize / 64)
            .is_some_and(|w| w & (1 << (group % 64)) != 0)
    }

    /// The closure of the member's GoRules permissions.
    pub fn permissions(&self) -> impl Iterator<Item = &'static str> {
        self.perms.names()
    }
}

/// The first matching deny and allow for one action.
type Found = (Option<Source>, Option<Source>);

/// A decision without its text: what [`FilePolicy::check`] computes.
#[derive(Debug, Clone, Copy)]
struct Decision {
    allowed: bool,
    reason: Reason,
    /// The deciding glob source, for rule reasons.
    source: Option<Source>,
    permission: Option<&'static str>,
}

/// A compiled file-permission policy.
#[derive(Debug, Clone)]
pub struct FilePolicy {
    groups: Vec<Group>,
    by_id: HashMap<String, u32>,
    rules: Vec<Rule>,
    /// For pattern *i* of `set`, the rule patterns it stands for (identical
    /// patterns share one glob).
    sources: Vec<Vec<Source>>,
    set: PatternSet,
    options: PolicyOptions,
}

/// A group as the Rust API takes it (the JSON form is the same, camelCase).
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct GroupSpec {
    pub id: String,
    #[serde(default)]
    pub permissions: Vec<String>,
    #[serde(default)]
    pub file_permissions: Vec<RuleSpec>,
}

/// A file rule as the Rust API takes it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct RuleSpec {
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub id: Option<String>,
    pub effect: Effect,
    #[serde(default)]
    pub actions: Vec<Action>,
    /// Globs; each may itself hold several (see [`glob::split_patterns`]).
    #[serde(default)]
    pub patterns: Vec<String>,
}

/// Reads a `filePermissions` array at `base`, reporting every problem.
fn read_rules(v: &Value, base: &str, limits: &Limits, r: &mut Report) -> Vec<RuleSpecParsed> {
    let items = match v {
        Value::Null => return Vec::new(),
        Value::Array(a) => a,
        other => {
            crate::input::type_error(r, base, "an array", other);
            return Vec::new();
        }
    };
    let mut out = Vec::with_capacity(items.len());
    for (i, item) in items.iter().enumerate() {
        let path = ptr(base, i);
        let Some(o) = object(item, &path, r) else {
            continue;
        };
        let id = o.string("id", Optional, r).map(str::to_string);
        let effect = match o.get("effect") {
            None => {
                r.bad(
                    o.at("effect"),
                    "required",
                    "effect is required (allow or deny)",
                );
                None
            }
            Some(Value::String(s)) if s == "allow" => Some(Effect::Allow),
            Some(Value::String(s)) if s == "deny" => Some(Effect::Deny),
            Some(other) => {
                r.bad(
                    o.at("effect"),
                    "enum",
                    format!("effect must be allow or deny, got {}", short(other)),
                );
                None
            }
        };
        let mut actions = 0u8;
        if let Some(list) = o.array("actions", Optional, r) {
            for (k, a) in list.iter().enumerate() {
                match a.as_str().and_then(Action::parse) {
                    Some(a) => actions |= a.bit(),
                    None => r.bad(
                        ptr(&o.at("actions"), k),
                        "enum",
                        format!(
                            "action must be visible, modify, write or delete, got {}",
                            short(a)
                        ),
                    ),
                }
            }
        }
        let mut patterns = Vec::new();
        let ppath = o.at("patterns");
        let mut add =
            |text: &str, at: &str, offset: usize, r: &mut Report| match glob::parse(text, limits) {
                Ok(p) => patterns.push(p),
                Err(e) => r.push(
                    crate::verdict::Class::BadRequest,
                    Issue::new(at, e.code(), e.message_at(offset))
                        .at_byte(e.position.map(|p| p + offset)),
                ),
            };
        match o.get("patterns") {
            None => {}
            Some(v @ Value::String(_)) => {
                // Within the string-length limit, like every string field.
                for (offset, piece) in string(v, &ppath, r).map(split_patterns).unwrap_or_default()
                {
                    add(piece, &ppath, offset, r);
                }
            }
            Some(Value::Array(list)) => {
                for (k, item) in list.iter().enumerate() {
                    let at = ptr(&ppath, k);
                    if let Some(s) = string(item, &at, r) {
                        if !s.trim().is_empty() {
                            add(s.trim(), &at, 0, r);
                        }
                    }
                }
            }
            Some(other) => {
                crate::input::type_error(r, &ppath, "a string or an array of strings", other)
            }
        }
        if let Some(effect) = effect {
            out.push(RuleSpecParsed {
                index: i as u32,
                id,
                effect,
                actions,
                patterns,
            });
        }
    }
    out
}

struct RuleSpecParsed {
    index: u32,
    id: Option<String>,
    effect: Effect,
    actions: u8,
    patterns: Vec<Pattern>,
}

/// A short rendering of a JSON value for messages.
fn short(v: &Value) -> String {
    match v {
        Value::String(s) if s.len() <= 40 => format!("{s:?}"),
        other => type_name(other).to_string(),
    }
}

/// The problems of a GoRules `filePermissions` array at `base` (for request
/// validators): enums, types and glob errors, each at its pointer.
pub fn rule_issues(rules: &Value, base: &str, limits: &Limits) -> Vec<Issue> {
    let mut r = Report::with_limits(*limits);
    read_rules(rules, base, limits, &mut r);
    r.finish(200, None, None).errors
}

impl FilePolicy {
    /// Compiles typed groups (see [`FilePolicy::from_json`] for the rules).
    pub fn new(groups: &[GroupSpec], options: PolicyOptions) -> Result<FilePolicy, GroupgateError> {
        let v = serde_json::to_value(groups).map_err(|e| {
            GroupgateError::one("", "type", format!("groups could not be read: {e}"))
        })?;
        FilePolicy::from_json(&v, options)
    }

    /// Compiles `[{id, permissions?, filePermissions?}]`. Every invalid rule,
    /// unknown permission or duplicate group id is reported at once, at its
    /// pointer (`/0/filePermissions/2/patterns`). Other members of a group
    /// (a whole GoRules group object, say) are ignored.
    pub fn from_json(groups: &Value, options: PolicyOptions) -> Result<FilePolicy, GroupgateError> {
        let mut r = Report::with_limits(options.limits);
        let policy = Self::build(groups, options, &mut r);
        match policy {
            Some(p) if !r.has_errors() => Ok(p),
            _ => Err(GroupgateError::new(r.finish(200, None, None).errors)),
        }
    }

    fn build(groups: &Value, options: PolicyOptions, r: &mut Report) -> Option<FilePolicy> {
        let limits = options.limits;
        let Value::Array(items) = groups else {
            crate::input::type_error(r, "", "an array of groups", groups);
            return None;
        };
        if items.len() > limits.max_groups {
            r.bad(
                "",
                "limit.groups",
                format!(
                    "{} groups is over the limit max_groups ({})",
                    items.len(),
                    limits.max_groups
                ),
            );
            return None;
        }
        // Count the rules before reading any: over the limit fails at once.
        let total: usize = items
            .iter()
            .filter_map(|g| g.get("filePermissions")?.as_array().map(Vec::len))
            .sum();
        if total > limits.max_rules {
            r.bad(
                "",
                "limit.rules",
                format!(
                    "{total} file rules is over the limit max_rules ({})",
                    limits.max_rules
                ),
            );
            return None;
        }
        let mut policy = FilePolicy {
            groups: Vec::with_capacity(items.len()),
            by_id: HashMap::with_capacity(items.len()),
            rules: Vec::new(),
            sources: Vec::new(),
            set: PatternSet::default(),
            options,
        };
        let mut builder = PatternSetBuilder::new(options.case_insensitive);
        let mut pattern_index: HashMap<String, usize> = HashMap::new();
        for (gi, item) in items.iter().enumerate() {
            let gpath = ptr("", gi);
            let Some(o) = object(item, &gpath, r) else {
                continue;
            };
            let id = match o.get("id") {
                Some(Value::String(s)) if s.is_empty() => {
                    r.bad(o.at("id"), "required", "id must not be empty");
                    None
                }
                Some(Value::String(s)) if s.len() > limits.max_string_bytes => {
                    r.bad(
                        o.at("id"),
                        "max_length",
                        format!(
                            "string is {} bytes, over the limit max_string_bytes ({})",
                            s.len(),
                            limits.max_string_bytes
                        ),
                    );
                    None
                }
                Some(Value::String(s)) if s.contains('\0') => {
                    r.bad(o.at("id"), "pattern", "id must not contain NUL");
                    None
                }
                Some(Value::String(s)) => Some(s.clone()),
                Some(other) => {
                    crate::input::type_error(r, &o.at("id"), "a string", other);
                    None
                }
                None => {
                    r.bad(o.at("id"), "required", "id is required");
                    None
                }
            };
            let mut perms = GoRulesPerms::EMPTY;
            if let Some(list) = o.array("permissions", Optional, r) {
                for (k, p) in list.iter().enumerate() {
                    match p.as_str().and_then(GoRulesPerms::of) {
                        Some(bit) => perms = perms.union(bit),
                        None => r.bad(
                            ptr(&o.at("permissions"), k),
                            "enum",
                            format!(
                                "unknown permission {}; expected one of {}",
                                short(p),
                                GORULES_PERMISSIONS.join(", ")
                            ),
                        ),
                    }
                }
            }
            let rule_list = o.get("filePermissions").unwrap_or(&Value::Null);
            let has_rules = rule_list.as_array().is_some_and(|a| !a.is_empty());
            let rules = read_rules(rule_list, &o.at("filePermissions"), &limits, r);
            let Some(id) = id else { continue };
            let group = policy.groups.len() as u32;
            if policy.by_id.insert(id.clone(), group).is_some() {
                r.bad(
                    o.at("id"),
                    "duplicate",
                    format!("duplicate group id {id:?}"),
                );
                continue;
            }
            policy.groups.push(Group {
                id,
                perms: perms.closure(),
                has_rules,
            });
            for spec in rules {
                if policy.rules.len() >= limits.max_rules {
                    r.bad(
                        "",
                        "limit.rules",
                        format!(
                            "more file rules than the limit max_rules ({})",
                            limits.max_rules
                        ),
                    );
                    return None;
                }
                let rule = policy.rules.len() as u32;
                for (pi, pat) in spec.patterns.iter().enumerate() {
                    let source = Source {
                        rule,
                        pattern: pi as u32,
                    };
                    // Identical patterns (across rules and groups) share one entry.
                    if let Some(&i) = pattern_index.get(&pat.canonical) {
                        policy.sources[i].push(source);
                        continue;
                    }
                    let id = policy.sources.len();
                    if let Err(e) = builder.add(pat, id as u32) {
                        r.bad(
                            ptr(&ptr(&o.at("filePermissions"), spec.index), "patterns"),
                            e.code(),
                            e.to_string(),
                        );
                        continue;
                    }
                    pattern_index.insert(pat.canonical.clone(), id);
                    policy.sources.push(vec![source]);
                }
                policy.rules.push(Rule {
                    group,
                    index: spec.index,
                    id: spec.id,
                    effect: spec.effect,
                    actions: spec.actions,
                    patterns: spec.patterns,
                });
            }
        }
        if r.has_errors() {
            return None;
        }
        match builder.build() {
            Ok(set) => policy.set = set,
            Err(e) => {
                r.bad(
                    "",
                    "glob.internal",
                    format!("the patterns could not be compiled: {e}"),
                );
                return None;
            }
        }
        Some(policy)
    }

    /// The options the policy was compiled with.
    pub fn options(&self) -> PolicyOptions {
        self.options
    }

    /// Number of groups and rules.
    pub fn len(&self) -> (usize, usize) {
        (self.groups.len(), self.rules.len())
    }

    pub fn is_empty(&self) -> bool {
        self.groups.is_empty()
    }

    /// Resolves a member's groups. Ids the policy does not know contribute
    /// nothing (no permission, no rule).
    pub fn member<S: AsRef<str>>(&self, group_ids: &[S]) -> Member {
        let mut m = Member {
            groups: vec![0; self.groups.len().div_ceil(64)],
            perms: GoRulesPerms::EMPTY,
            owner: false,
            coarse: 0,
            has_rules: false,
        };
        for id in group_ids {
            if let Some(&g) = self.by_id.get(id.as_ref()) {
                let group = &self.groups[g as usize];
                m.groups[g as usize / 64] |= 1 << (g % 64);
                m.perms = m.perms.union(group.perms);
                m.has_rules |= group.has_rules;
            }
        }
        m.owner = m.perms.has("owner");
        for a in Action::ALL {
            if m.perms.has(a.coarse_permission()) {
                m.coarse |= a.bit();
            }
        }
        m
    }

    fn path<'p>(&self, path: &'p str) -> Result<std::borrow::Cow<'p, str>, GroupgateError> {
        normalize_path(path, self.options.limits.max_path_bytes)
            .map_err(|k| GroupgateError::one("/path", k.code(), k.message()))
    }

    /// May a member of `group_ids` perform `action` on `path`?
    pub fn check<S: AsRef<str>>(
        &self,
        group_ids: &[S],
        path: &str,
        action: Action,
    ) -> Result<bool, GroupgateError> {
        self.check_member(&self.member(group_ids), path, action)
    }

    /// [`FilePolicy::check`] for a resolved member.
    pub fn check_member(
        &self,
        member: &Member,
        path: &str,
        action: Action,
    ) -> Result<bool, GroupgateError> {
        let path = self.path(path)?;
        Ok(self.decide(member, &path, action).allowed)
    }

    /// One decision per path, in order. A bad path fails the whole batch,
    /// naming its index.
    pub fn check_many<S: AsRef<str>, P: AsRef<str>>(
        &self,
        group_ids: &[S],
        paths: &[P],
        action: Action,
    ) -> Result<Vec<bool>, GroupgateError> {
        let member = self.member(group_ids);
        paths
            .iter()
            .enumerate()
            .map(|(i, p)| {
                let path = normalize_path(p.as_ref(), self.options.limits.max_path_bytes)
                    .map_err(|k| GroupgateError::one(ptr("/paths", i), k.code(), k.message()))?;
                Ok(self.decide(&member, &path, action).allowed)
            })
            .collect()
    }

    /// The decision with its reason and the deciding group, rule and pattern.
    pub fn explain<S: AsRef<str>>(
        &self,
        group_ids: &[S],
        path: &str,
        action: Action,
    ) -> Result<Explanation, GroupgateError> {
        let e = self.explain_member(&self.member(group_ids), path, action)?;
        Ok(e.with_unknown(self.unknown_ids(group_ids)))
    }

    /// The ids (first occurrence, in order) of no group of this policy.
    pub fn unknown_ids<S: AsRef<str>>(&self, group_ids: &[S]) -> Vec<String> {
        let mut out: Vec<String> = Vec::new();
        for id in group_ids.iter().map(AsRef::as_ref) {
            if !self.by_id.contains_key(id) && !out.iter().any(|o| o == id) {
                out.push(id.to_owned());
            }
        }
        out
    }

    /// [`FilePolicy::explain`] for a resolved member.
    pub fn explain_member(
        &self,
        member: &Member,
        path: &str,
        action: Action,
    ) -> Result<Explanation, GroupgateError> {
        let path = self.path(path)?;
        let d = self.decide(member, &path, action);
        Ok(self.explanation(d, &path, action))
    }

    fn decide(&self, member: &Member, path: &str, action: Action) -> Decision {
        if member.owner {
            return Decision {
                allowed: true,
                reason: Reason::Owner,
                source: None,
                permission: Some("owner"),
            };
        }
        // One pass over the matching patterns serves both the action and its
        // `visible` prerequisite.
        let mask = action.bit() | Action::Visible.bit();
        let found = if member.has_rules && member.coarse & mask != 0 {
            self.matching_rules(member, path, mask)
        } else {
            [(None, None); 4]
        };
        let one = |a: Action| {
            let coarse = a.coarse_permission();
            if member.coarse & a.bit() == 0 {
                return Decision {
                    allowed: false,
                    reason: Reason::MissingPermission,
                    source: None,
                    permission: Some(coarse),
                };
            }
            if !member.has_rules {
                return Decision {
                    allowed: true,
                    reason: Reason::Permission,
                    source: None,
                    permission: Some(coarse),
                };
            }
            let (allowed, reason, source) = match found[a as usize] {
                (Some(d), _) => (false, Reason::Deny, Some(d)),
                (None, Some(al)) => (true, Reason::Allow, Some(al)),
                (None, None) => (false, Reason::DefaultDeny, None),
            };
            Decision {
                allowed,
                reason,
                source,
                permission: None,
            }
        };
        if action != Action::Visible {
            let visible = one(Action::Visible);
            if !visible.allowed {
                return Decision {
                    allowed: false,
                    reason: Reason::NotVisible,
                    ..visible
                };
            }
        }
        one(action)
    }

    /// For each action in `mask`, the first (in policy order) matching deny
    /// and allow of the member's groups.
    fn matching_rules(&self, member: &Member, path: &str, mask: u8) -> [Found; 4] {
        {
            let mut found: [Found; 4] = [(None, None); 4];
            let earlier = |a: Option<Source>, b: Source| {
                a.is_none_or(|a| (b.rule, b.pattern) < (a.rule, a.pattern))
            };
            self.set.matches(path, |id| {
                for &src in &self.sources[id as usize] {
                    let rule = &self.rules[src.rule as usize];
                    let actions = rule.actions & mask;
                    if actions == 0 || !member.contains(rule.group) {
                        continue;
                    }
                    for a in Action::ALL {
                        if actions & a.bit() == 0 {
                            continue;
                        }
                        let (deny, allow) = &mut found[a as usize];
                        match rule.effect {
                            Effect::Deny if earlier(*deny, src) => *deny = Some(src),
                            Effect::Allow if earlier(*allow, src) => *allow = Some(src),
                            _ => {}
                        }
                    }
                }
            });
            found
        }
    }

    fn explanation(&self, d: Decision, path: &str, action: Action) -> Explanation {
        let rule = d
            .source
            .map(|s| (&self.rules[s.rule as usize], s.pattern as usize));
        let group_id = rule.map(|(r, _)| self.groups[r.group as usize].id.clone());
        let pattern = rule
            .and_then(|(r, p)| r.patterns.get(p))
            .map(|p| p.source.clone());
        let act = action.name();
        let rule_text = || match (rule, &group_id, &pattern) {
            (Some((r, _)), Some(g), Some(p)) => {
                format!("rule {} of group {g:?} (pattern {p:?})", r.index)
            }
            _ => String::new(),
        };
        let message = match d.reason {
            Reason::Owner => format!("{act} {path}: allowed, the member holds owner"),
            Reason::NotVisible => {
                format!("{act} {path}: denied, the file is not visible to the member")
            }
            Reason::MissingPermission => format!(
                "{act} {path}: denied, missing permission {}",
                d.permission.unwrap_or_default()
            ),
            Reason::Permission => format!(
                "{act} {path}: allowed by permission {}; the member's groups have no file rules",
                d.permission.unwrap_or_default()
            ),
            Reason::Deny => format!("{act} {path}: denied by {}", rule_text()),
            Reason::Allow => format!("{act} {path}: allowed by {}", rule_text()),
            Reason::DefaultDeny => {
                format!("{act} {path}: denied by default, no rule of the member's groups matches")
            }
        };
        Explanation {
            allowed: d.allowed,
            reason: d.reason,
            message,
            group_id,
            rule_index: rule.map(|(r, _)| r.index as usize),
            rule_id: rule.and_then(|(r, _)| r.id.clone()),
            effect: rule.map(|(r, _)| r.effect),
            pattern,
            permission: d.permission,
            unknown_groups: Vec::new(),
        }
    }

    /// Dead rules (no actions or no patterns), shadowed allows (every pattern
    /// and action of an allow also denied by a rule of the same group), and,
    /// given project files, rules that match none of them.
    pub fn lint<P: AsRef<str>>(&self, files: Option<&[P]>) -> Vec<Issue> {
        let mut out = Vec::new();
        // Groups compile in input order, so a group's index is its position.
        let rule_path = |r: &Rule| ptr(&ptr(&ptr("", r.group), "filePermissions"), r.index);
        for rule in &self.rules {
            if rule.actions == 0 || rule.patterns.is_empty() {
                let what = if rule.actions == 0 {
                    "actions"
                } else {
                    "patterns"
                };
                out.push(Issue::new(
                    rule_path(rule),
                    "lint.dead",
                    format!("the rule has no {what}, so it matches nothing"),
                ));
                continue;
            }
            if rule.effect == Effect::Allow {
                if let Some(deny) = self.shadowing_deny(rule) {
                    out.push(Issue::new(
                        rule_path(rule),
                        "lint.shadowed",
                        format!(
                            "every file this allow matches is denied by rule {} of the same group",
                            deny.index
                        ),
                    ));
                }
            }
        }
        if let Some(files) = files {
            let mut hit = vec![false; self.rules.len()];
            for (i, f) in files.iter().enumerate() {
                match normalize_path(f.as_ref(), self.options.limits.max_path_bytes) {
                    Ok(p) => {
                        self.set.matches(&p, |id| {
                            for s in &self.sources[id as usize] {
                                hit[s.rule as usize] = true;
                            }
                        });
                    }
                    Err(k) => out.push(Issue::new(ptr("/files", i), k.code(), k.message())),
                }
            }
            for (rule, hit) in self.rules.iter().zip(hit) {
                if !hit && rule.actions != 0 && !rule.patterns.is_empty() {
                    out.push(Issue::new(
                        ptr(&rule_path(rule), "patterns"),
                        "lint.matches_nothing",
                        "no pattern of the rule matches any of the given files",
                    ));
                }
            }
        }
        let mut seen: HashMap<(u32, &str), u32> = HashMap::new();
        for rule in &self.rules {
            if let Some(id) = rule.id.as_deref() {
                if let Some(first) = seen.insert((rule.group, id), rule.index) {
                    out.push(Issue::new(
                        ptr(&rule_path(rule), "id"),
                        "lint.duplicate_id",
                        format!("rule id {id:?} is also used by rule {first} of the same group"),
                    ));
                }
            }
        }
        out
    }

    /// A deny of the same group covering every action and pattern of `allow`.
    fn shadowing_deny(&self, allow: &Rule) -> Option<&Rule> {
        let denies: Vec<&Rule> = self
            .rules
            .iter()
            .filter(|r| r.group == allow.group && r.effect == Effect::Deny)
            .collect();
        // One deny covering it all is the useful thing to name.
        denies.iter().copied().find(|d| {
            d.actions & allow.actions == allow.actions
                && allow
                    .patterns
                    .iter()
                    .all(|p| d.patterns.iter().any(|dp| covers(dp, p)))
        })
    }

    /// Lints groups that may not even compile: the construction errors, or
    /// when they compile, [`FilePolicy::lint`].
    pub fn lint_json<P: AsRef<str>>(
        groups: &Value,
        options: PolicyOptions,
        files: Option<&[P]>,
    ) -> Vec<Issue> {
        match FilePolicy::from_json(groups, options) {
            Ok(p) => p.lint(files),
            Err(e) => e.issues,
        }
    }
}

/// Does glob `d` match every path `p` matches? Decided on the syntax:
/// equal patterns, `**`, or `X/**` over a pattern under the literal `X`.
fn covers(d: &Pattern, p: &Pattern) -> bool {
    if d.canonical == p.canonical || d.canonical == "**" {
        return true;
    }
    match d.canonical.strip_suffix("/**") {
        Some(prefix) if !prefix.contains(['*', '?', '[', '{', '\\']) => {
            p.canonical == prefix
                || p.canonical
                    .strip_prefix(prefix)
                    .is_some_and(|rest| rest.starts_with('/'))
        }
        _ => false,
    }
}
