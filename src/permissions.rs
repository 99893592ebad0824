//! Permission machinery: which names exist and what each implies.
//!
//! The products' tables live in [`crate::catalogs`] (data only); here they
//! become a [`Catalog`] whose [`Catalog::closure`] applies every implication
//! transitively, or a [`RoleCatalog`] (roles + permissions, extensible by
//! `context.catalog`). The GoRules tree also has a bit-set form,
//! [`GoRulesPerms`], because file checks consult it on every call.

use std::collections::BTreeSet;

use crate::keyed::HashMap;

use crate::error::GroupgateError;
use crate::verdict::{ptr, Issue};

// The tables used to live here; these re-exports keep the old paths working.
pub use crate::catalogs::apinizer::{
    APINIZER_CATEGORIES, APINIZER_IMPLIES, APINIZER_OPAQUE_ROLES, APINIZER_ROLES,
};
pub use crate::catalogs::conductor::{
    CONDUCTOR_ACCESS_KINDS, CONDUCTOR_ACCESS_TARGETS, CONDUCTOR_OPAQUE_ROLES, CONDUCTOR_ROLES,
};
pub use crate::catalogs::frontier::{FRONTIER_PERMISSIONS, FRONTIER_ROLES};
pub use crate::catalogs::gorules::{GORULES_PERMISSIONS, GORULES_TREE};

/// A set of permission names with direct implications between them.
#[derive(Debug, Clone, Default)]
pub struct Catalog {
    /// Each name's position in `entries`: the crate's `String` to `u32`
    /// map type, one hash table less in the WASM (issue 12: size).
    index: HashMap<String, u32>,
    /// Names with their direct implications, in the order the names were
    /// first inserted (table order), for listings such as [`crate::catalog`].
    entries: Vec<(String, Vec<String>)>,
}

impl Catalog {
    /// Builds a catalog from `(name, implied names)` rows.
    pub fn from_table(rows: &[(&str, &[&str])]) -> Self {
        let mut c = Catalog::default();
        for (name, implied) in rows {
            c.insert(name, implied.iter().map(|s| s.to_string()).collect());
        }
        c
    }

    /// Adds (or replaces) a name and its direct implications.
    pub fn insert(&mut self, name: &str, implied: Vec<String>) {
        match self.index.get(name) {
            Some(&i) => self.entries[i as usize].1 = implied,
            None => {
                self.index
                    .insert(name.to_string(), self.entries.len() as u32);
                self.entries.push((name.to_string(), implied));
            }
        }
    }

    /// True when `name` is in the catalog.
    pub fn contains(&self, name: &str) -> bool {
        self.index.contains_key(name)
    }

    /// Every name, in table order (first insertion).
    pub fn names(&self) -> impl Iterator<Item = &str> {
        self.entries.iter().map(|(n, _)| n.as_str())
    }

    fn implied(&self, name: &str) -> Option<&[String]> {
        let i = *self.index.get(name)?;
        Some(&self.entries[i as usize].1)
    }

    /// Every name reachable from `start` (including the start names), sorted.
    /// Names unknown to the catalog are kept as they are.
    pub fn closure<'a>(&self, start: impl IntoIterator<Item = &'a str>) -> BTreeSet<String> {
        let mut out = BTreeSet::new();
        let mut stack: Vec<&str> = start.into_iter().collect();
        while let Some(name) = stack.pop() {
            if out.insert(name.to_string()) {
                if let Some(implied) = self.implied(name) {
                    stack.extend(implied.iter().map(String::as_str));
                }
            }
        }
        out
    }
}

/// A set of GoRules permissions as bits (bit *i* = `GORULES_PERMISSIONS[i]`).
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Hash)]
pub struct GoRulesPerms(u32);

impl GoRulesPerms {
    /// No permission.
    pub const EMPTY: GoRulesPerms = GoRulesPerms(0);

    /// The bit of one permission name, if it is in the enum.
    pub fn of(name: &str) -> Option<GoRulesPerms> {
        GORULES_PERMISSIONS
            .iter()
            // The length first, inline: `==` of two `&str`s is three nested
            // calls in baseline code, for every name of the catalog (issue
            // 12: a cold build reads a group's permissions this way).
            .position(|p| p.len() == name.len() && *p == name)
            .map(|i| GoRulesPerms(1 << i))
    }

    /// Both sets.
    pub fn union(self, other: GoRulesPerms) -> GoRulesPerms {
        GoRulesPerms(self.0 | other.0)
    }

    /// True when every permission of `other` is in `self`.
    pub fn contains(self, other: GoRulesPerms) -> bool {
        self.0 & other.0 == other.0
    }

    /// True when `name` is a GoRules permission in the set.
    pub fn has(self, name: &str) -> bool {
        GoRulesPerms::of(name).is_some_and(|p| self.contains(p))
    }

    /// Applies the tree until nothing changes (the tree is tiny and acyclic).
    pub fn closure(self) -> GoRulesPerms {
        let mut bits = self;
        loop {
            let mut next = bits;
            for (parent, children) in GORULES_TREE {
                if GoRulesPerms::of(parent).is_some_and(|p| bits.contains(p)) {
                    for c in *children {
                        next = next.union(GoRulesPerms::of(c).unwrap_or_default());
                    }
                }
            }
            if next == bits {
                return bits;
            }
            bits = next;
        }
    }

    /// The names in the set, in the seed's order.
    pub fn names(self) -> impl Iterator<Item = &'static str> {
        GORULES_PERMISSIONS
            .iter()
            .enumerate()
            .filter(move |(i, _)| self.0 & (1 << i) != 0)
            .map(|(_, n)| *n)
    }
}

/// A dialect's roles (role → permissions, in a meaningful order) and
/// permissions (permission → implied permissions), built from the tables
/// of [`crate::catalogs`] and optionally extended by `context.catalog`:
///
/// ```json
/// { "roles": { "MY_ROLE": ["CREATE_SECRET"] },
///   "permissions": { "X+MANAGE": ["X+VIEW"] } }
/// ```
///
/// A catalog role replaces a built-in role of the same name; the permissions
/// it names become known permissions. A catalog permission is added (or its
/// implications replaced).
#[derive(Debug, Clone, Default)]
pub struct RoleCatalog {
    /// Each role's position in `expansions` (the crate's `String` to `u32`
    /// map type, as in [`Catalog`]).
    roles: HashMap<String, u32>,
    /// Each role's permissions (`None`: not public), by position.
    expansions: Vec<Option<Vec<String>>>,
    /// Role names in table order (first insertion).
    role_order: Vec<String>,
    perms: Catalog,
    /// [`RoleCatalog::expected_roles`], built on first use: every unknown
    /// role of a request quotes it, so it is computed once per catalog, not
    /// once per role (10,000 catalog roles × 100,000 unknown roles).
    expected: std::cell::OnceCell<String>,
}

/// At most this many names are quoted where a message lists what is allowed
/// (the built-in catalogs fit whole); the rest are counted.
pub const QUOTED_NAMES: usize = 16;

/// The most bytes of one name a message quotes; a longer name is cut at a
/// character boundary and ends in "…". Names come from the caller's catalog
/// or state (up to `maxStringBytes`, 64 KB) and are quoted once per issue:
/// 16 catalog names of 60 KB made each unknown role's message 1 MB.
pub const QUOTED_NAME_BYTES: usize = 64;
const CUT: &str = "…";

/// A name a message quotes though the issue is not its own (an ancestor,
/// the first holder of a value): cut at [`QUOTED_NAME_BYTES`] with "…",
/// so a 64 KB name quoted by each of 100,000 issues costs 64 bytes each.
pub struct Quoted<'a>(pub &'a str);

impl std::fmt::Display for Quoted<'_> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        let name = self.0;
        let mut end = name.len().min(QUOTED_NAME_BYTES);
        while !name.is_char_boundary(end) {
            end -= 1;
        }
        f.write_str(&name[..end])?;
        f.write_str(if end < name.len() { CUT } else { "" })
    }
}

/// `names` joined with ", ", each as [`Quoted`] writes it.
pub fn join_quoted(names: &[&str]) -> String {
    use std::fmt::Write;
    let mut out = String::new();
    for (i, n) in names.iter().enumerate() {
        let sep = if i > 0 { ", " } else { "" };
        let _ = write!(out, "{sep}{}", Quoted(n));
    }
    out
}

/// `names`, sorted, joined with ", "; beyond [`QUOTED_NAMES`] only the first
/// of them in sorted order and "and N more", so a message stays short
/// however large `context.catalog` is. Linear in the names (the first 16
/// kept while scanning, not a full sort).
pub fn quoted_names(mut names: Vec<&str>) -> String {
    let more = names.len().saturating_sub(QUOTED_NAMES);
    if more > 0 {
        // The first QUOTED_NAMES, kept sorted while scanning: O(n · 16),
        // without std's selection code in the WASM (issue 12: size).
        let mut first: Vec<&str> = Vec::with_capacity(QUOTED_NAMES + 1);
        for name in names {
            if first.len() == QUOTED_NAMES && first.last().is_some_and(|l| name >= *l) {
                continue;
            }
            let at = first.partition_point(|f| *f <= name);
            first.insert(at, name);
            first.truncate(QUOTED_NAMES);
        }
        names = first;
    }
    crate::sort::sort(&mut names);
    let mut out = join_quoted(&names);
    if more > 0 {
        out.push_str(&format!(" and {more} more"));
    }
    out
}

impl RoleCatalog {
    /// From tables: roles with public expansions, roles without
    /// (`opaque`), and permission implications. Every permission a role
    /// names is a known permission.
    pub fn from_tables(
        roles: &[(&str, &[&str])],
        opaque: &[&str],
        perms: &[(&str, &[&str])],
    ) -> Self {
        let mut c = RoleCatalog {
            perms: Catalog::from_table(perms),
            ..RoleCatalog::default()
        };
        for (name, list) in roles {
            c.add_role(name, list.iter().map(|s| s.to_string()).collect());
        }
        for name in opaque {
            c.set_role(name, None);
        }
        c
    }

    fn add_role(&mut self, name: &str, perms: Vec<String>) {
        for p in &perms {
            if !self.perms.contains(p) {
                self.perms.insert(p, Vec::new());
            }
        }
        self.set_role(name, Some(perms));
    }

    fn set_role(&mut self, name: &str, perms: Option<Vec<String>>) {
        if self.put_role(name, perms) {
            self.role_order.push(name.to_string());
        }
    }

    /// Adds or replaces a role without listing it in [`RoleCatalog::roles`];
    /// true when the role is new.
    fn put_role(&mut self, name: &str, perms: Option<Vec<String>>) -> bool {
        self.expected.take();
        match self.roles.get(name) {
            Some(&i) => {
                self.expansions[i as usize] = perms;
                false
            }
            None => {
                self.roles
                    .insert(name.to_string(), self.expansions.len() as u32);
                self.expansions.push(perms);
                true
            }
        }
    }

    /// Every role with its permissions (`None`: not public), in table order.
    pub fn roles(&self) -> impl Iterator<Item = (&str, Option<&[String]>)> {
        self.role_order
            .iter()
            .map(|n| (n.as_str(), self.role(n).flatten()))
    }

    /// Every known permission, in table order.
    pub fn permissions(&self) -> impl Iterator<Item = &str> {
        self.perms.names()
    }

    /// Merges `context.catalog` (shape above) over the tables. Problems are
    /// reported as issues under `base` (`/context/catalog`).
    pub fn merge_json(&mut self, catalog: &serde_json::Value, base: &str) -> Vec<Issue> {
        use serde_json::Value;
        let mut issues = Vec::new();
        let Value::Object(top) = catalog else {
            issues.push(Issue::new(base, "type", "expected an object"));
            return issues;
        };
        for (key, v) in top {
            let at = ptr(base, key);
            let (is_roles, map) = match (key.as_str(), v) {
                ("roles", Value::Object(m)) => (true, m),
                ("permissions", Value::Object(m)) => (false, m),
                (_, Value::Null) => continue,
                ("roles" | "permissions", _) => {
                    issues.push(Issue::new(at, "type", "expected an object of name → names"));
                    continue;
                }
                _ => {
                    issues.push(Issue::new(
                        at,
                        "unknown_field",
                        format!("unknown catalog member {key}; expected roles or permissions"),
                    ));
                    continue;
                }
            };
            for (name, list) in map {
                let at = ptr(&at, name);
                let names = match list {
                    Value::Array(items) => {
                        let mut names = Vec::with_capacity(items.len());
                        for (i, item) in items.iter().enumerate() {
                            match item {
                                Value::String(s) if !s.is_empty() => names.push(s.clone()),
                                _ => issues.push(Issue::new(
                                    ptr(&at, i),
                                    "type",
                                    "expected a non-empty string",
                                )),
                            }
                        }
                        names
                    }
                    _ => {
                        issues.push(Issue::new(at, "type", "expected an array of names"));
                        continue;
                    }
                };
                if name.is_empty() {
                    issues.push(Issue::new(
                        at,
                        "required",
                        "a catalog name can not be empty",
                    ));
                } else if is_roles {
                    self.add_role(name, names);
                } else {
                    for p in &names {
                        if !self.perms.contains(p) {
                            self.perms.insert(p, Vec::new());
                        }
                    }
                    self.perms.insert(name, names);
                }
            }
        }
        issues
    }

    /// True when `name` is a role of the catalog.
    pub fn is_role(&self, name: &str) -> bool {
        self.roles.contains_key(name)
    }

    /// `Some(None)` for a role whose expansion is not public.
    pub fn role(&self, name: &str) -> Option<Option<&[String]>> {
        let i = *self.roles.get(name)?;
        Some(self.expansions[i as usize].as_deref())
    }

    /// True when `name` is a known permission.
    pub fn is_permission(&self, name: &str) -> bool {
        self.perms.contains(name)
    }

    /// The permissions of some roles, in role order then table order,
    /// without duplicates (unknown and opaque roles give nothing).
    pub fn expand<'a>(&self, roles: impl IntoIterator<Item = &'a str>) -> Vec<String> {
        // Hashed: a catalog role may name 100,000 permissions (a Vec scan
        // per permission was quadratic), and a role repeated is read once.
        let mut out: Vec<String> = Vec::new();
        let mut seen = crate::strset::StrSet::new();
        let mut roles_seen = crate::strset::StrSet::new();
        for role in roles {
            if !roles_seen.insert(role) {
                continue;
            }
            if let Some(Some(perms)) = self.role(role) {
                for p in perms {
                    if seen.insert(p) {
                        out.push(p.clone());
                    }
                }
            }
        }
        out
    }

    /// The implication closure of some permissions, sorted.
    pub fn closure<'a>(&self, perms: impl IntoIterator<Item = &'a str>) -> BTreeSet<String> {
        self.perms.closure(perms)
    }

    /// The known role names for an "expected one of …" message: sorted,
    /// at most [`QUOTED_NAMES`] of them, the rest counted ([`quoted_names`]).
    pub fn expected_roles(&self) -> &str {
        self.expected
            .get_or_init(|| quoted_names(self.roles.keys().map(String::as_str).collect()))
    }
}

/// The built-in Conductor catalog.
#[inline(never)] // two callers (validator, `catalog`): one copy
pub fn conductor_catalog() -> RoleCatalog {
    RoleCatalog::from_tables(CONDUCTOR_ROLES, CONDUCTOR_OPAQUE_ROLES, &[])
}

/// The built-in Frontier catalog.
#[inline(never)] // two callers (validator, `catalog`): one copy
pub fn frontier_catalog() -> RoleCatalog {
    RoleCatalog::from_tables(FRONTIER_ROLES, &[], FRONTIER_PERMISSIONS)
}

/// The built-in Apinizer catalog: every `CATEGORY+ACTION` of
/// [`APINIZER_CATEGORIES`], each action implying the category's `VIEW`,
/// plus [`APINIZER_IMPLIES`].
#[inline(never)] // two callers (validator, `catalog`): one copy
pub fn apinizer_catalog() -> RoleCatalog {
    let mut c = RoleCatalog::default();
    for (category, actions) in APINIZER_CATEGORIES {
        let view = format!("{category}+VIEW");
        for action in *actions {
            let name = format!("{category}+{action}");
            let mut implied = Vec::new();
            if *action != "VIEW" {
                implied.push(view.clone());
            }
            if let Some((_, extra)) = APINIZER_IMPLIES.iter().find(|(n, _)| *n == name) {
                implied.extend(extra.iter().map(|s| s.to_string()));
            }
            c.perms.insert(&name, implied);
        }
    }
    for (name, perms) in APINIZER_ROLES {
        c.add_role(name, perms.iter().map(|s| s.to_string()).collect());
    }
    for name in APINIZER_OPAQUE_ROLES {
        // Known but not listed among the catalog's roles.
        c.put_role(name, None);
    }
    c
}

/// The GoRules catalog in generic form (no roles; the permission tree).
#[inline(never)] // two callers (validator, `catalog`): one copy
pub fn gorules_catalog() -> RoleCatalog {
    let mut c = RoleCatalog::default();
    // The enum first, so that listings keep the seed's order.
    for p in GORULES_PERMISSIONS {
        c.perms.insert(p, Vec::new());
    }
    for (name, implied) in GORULES_TREE {
        c.perms
            .insert(name, implied.iter().map(|s| s.to_string()).collect());
    }
    c
}

/// A `permissionsOf` subject (SPEC §6): `{groups?, roles?, permissions?}`,
/// each an array of names, read with each name's pointer (`/roles/0`).
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Subject {
    /// Group ids, each with its pointer (`/groups/0`).
    pub groups: Vec<(String, String)>,
    /// Role names, each with its pointer.
    pub roles: Vec<(String, String)>,
    /// Permission names, each with its pointer.
    pub permissions: Vec<(String, String)>,
}

impl Subject {
    /// Reads a subject; every problem is an issue of the error (`type`,
    /// `unknown_field`).
    pub fn from_json(v: &serde_json::Value) -> Result<Subject, GroupgateError> {
        use serde_json::Value;
        let Value::Object(map) = v else {
            return Err(GroupgateError::one(
                "",
                "type",
                format!(
                    "a subject is an object {{groups?, roles?, permissions?}}, got {}",
                    crate::json::read::type_name(v)
                ),
            ));
        };
        let mut s = Subject::default();
        let mut issues = Vec::new();
        for (key, value) in map {
            let at = ptr("", key);
            let list = match key.as_str() {
                "groups" => &mut s.groups,
                "roles" => &mut s.roles,
                "permissions" => &mut s.permissions,
                _ => {
                    issues.push(Issue::new(
                        at,
                        "unknown_field",
                        format!(
                            "unknown subject member {key}; expected groups, roles or permissions"
                        ),
                    ));
                    continue;
                }
            };
            match value {
                Value::Null => {}
                Value::Array(items) => {
                    for (i, item) in items.iter().enumerate() {
                        match item {
                            Value::String(name) => list.push((ptr(&at, i), name.clone())),
                            other => issues.push(Issue::new(
                                ptr(&at, i),
                                "type",
                                format!(
                                    "expected a string, got {}",
                                    crate::json::read::type_name(other)
                                ),
                            )),
                        }
                    }
                }
                other => issues.push(Issue::new(
                    at,
                    "type",
                    format!(
                        "expected an array of strings, got {}",
                        crate::json::read::type_name(other)
                    ),
                )),
            }
        }
        if issues.is_empty() {
            Ok(s)
        } else {
            Err(GroupgateError::new(issues))
        }
    }
}

impl RoleCatalog {
    /// The sorted closure of some roles and permissions, each given with its
    /// pointer; unknown names are `unknown_role` / `unknown_permission`
    /// issues of the error (the codes of every dialect, README §Codes). Roles without
    /// a public expansion give nothing.
    pub fn resolve(
        &self,
        roles: &[(String, String)],
        perms: &[(String, String)],
    ) -> Result<Vec<String>, GroupgateError> {
        // Past the cap an issue is counted, not kept: each message quotes
        // the catalog's names, and 100,000 unknown roles kept every one.
        let mut issues = crate::verdict::Report::new();
        use crate::verdict::FailureRank::BadRequest;
        let mut known: Vec<&str> = Vec::new();
        for (path, role) in roles {
            if self.is_role(role) {
                known.push(role);
            } else {
                issues.push(
                    BadRequest,
                    Issue::new(
                        path.clone(),
                        "unknown_role",
                        format!(
                            "unknown role {role:?}; expected one of {}",
                            self.expected_roles()
                        ),
                    ),
                );
            }
        }
        // One expansion of the distinct roles (a role listed 100,000 times
        // is expanded once).
        let mut start = self.expand(known);
        for (path, p) in perms {
            if self.is_permission(p) {
                start.push(p.clone());
            } else {
                issues.push(
                    BadRequest,
                    Issue::new(
                        path.clone(),
                        "unknown_permission",
                        format!("unknown permission {p:?}"),
                    ),
                );
            }
        }
        if issues.has_errors() {
            return Err(GroupgateError::new(issues.into_issues()));
        }
        Ok(self
            .closure(start.iter().map(String::as_str))
            .into_iter()
            .collect())
    }

    /// [`RoleCatalog::merge_json`] for engine configuration: issues become
    /// a thrown error.
    pub fn merged(mut self, catalog: Option<&serde_json::Value>) -> Result<Self, GroupgateError> {
        if let Some(c) = catalog {
            let issues = self.merge_json(c, "/context/catalog");
            if !issues.is_empty() {
                return Err(GroupgateError::new(issues));
            }
        }
        Ok(self)
    }

    /// [`RoleCatalog::merge_json`] for a validator: problems with
    /// `context.catalog` are 400s in the verdict.
    pub fn with_context(
        mut self,
        catalog: Option<&serde_json::Value>,
        r: &mut crate::verdict::Report,
    ) -> Self {
        if let Some(c) = catalog {
            for issue in self.merge_json(c, "/context/catalog") {
                r.push(crate::verdict::FailureRank::BadRequest, issue);
            }
        }
        self
    }

    /// `permissionsOf` where subjects hold roles and permissions but no
    /// groups (`why` says where permissions come from instead).
    pub fn permissions_of_roles(
        self,
        subject: &serde_json::Value,
        why: &str,
    ) -> Result<Vec<String>, GroupgateError> {
        self.subject_permissions(Subject::from_json(subject)?, why)
    }

    /// [`RoleCatalog::permissions_of_roles`] of a subject already read.
    pub fn subject_permissions(self, s: Subject, why: &str) -> Result<Vec<String>, GroupgateError> {
        if let Some((path, _)) = s.groups.first() {
            return Err(GroupgateError::new(vec![Issue::new(
                path.clone(),
                "unsupported",
                why,
            )]));
        }
        self.resolve(&s.roles, &s.permissions)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn closure(names: &[&str]) -> Vec<&'static str> {
        names
            .iter()
            .map(|n| GoRulesPerms::of(n).unwrap())
            .fold(GoRulesPerms::EMPTY, GoRulesPerms::union)
            .closure()
            .names()
            .collect()
    }

    #[test]
    fn quoted_names_are_the_smallest_sorted_with_duplicates() {
        // Against a full sort: reversed, shuffled-ish and repeated names.
        let names: Vec<String> = (0..40).map(|i| format!("r{:02}", (i * 7) % 23)).collect();
        let mut all: Vec<&str> = names.iter().map(String::as_str).collect();
        let got = quoted_names(all.clone());
        all.sort();
        let want = format!("{} and 24 more", all[..QUOTED_NAMES].join(", "));
        assert_eq!(got, want);
        assert_eq!(quoted_names(vec!["b", "a"]), "a, b");
    }

    #[test]
    fn gorules_tree_implications() {
        let cases: &[(&[&str], &[&str])] = &[
            (&["owner"], &GORULES_PERMISSIONS),
            (
                &["documents"],
                &[
                    "documents",
                    "documents:full",
                    "documents:view-content",
                    "documents:edit-content",
                    "documents:edit-view",
                ],
            ),
            (
                &["documents:edit-content"],
                &["documents:view-content", "documents:edit-content"],
            ),
            (
                &["releases"],
                &[
                    "releases",
                    "releases:manage",
                    "releases:deploy",
                    "releases:delete",
                ],
            ),
            (&["project:manage"], &["project:manage"]),
        ];
        for (input, want) in cases {
            assert_eq!(closure(input), *want, "{input:?}");
        }
    }

    #[test]
    fn generic_closure_is_transitive_and_keeps_unknown_names() {
        let c = Catalog::from_table(GORULES_TREE);
        let got = c.closure(["documents:full", "custom"]);
        assert!(got.contains("documents:view-content"));
        assert!(got.contains("custom"));
        assert!(!got.contains("documents"));
    }

    #[test]
    fn conductor_roles_expand_in_seed_order_and_union() {
        let c = conductor_catalog();
        let admin = c.expand(["ADMIN"]);
        assert_eq!(admin.len(), 16);
        assert_eq!(admin[0], "AUTHORIZATION_MANAGEMENT");
        assert_eq!(admin[15], "SCHEDULE_MANAGEMENT");
        assert_eq!(c.role("WORKFLOW_MANAGER"), Some(None));
        assert_eq!(c.role("NOPE"), None);
        let both = c.expand(["METADATA_API", "METADATA_MANAGER", "WORKER"]);
        assert_eq!(both.len(), 9, "{both:?}");
    }

    #[test]
    fn apinizer_actions_imply_view() {
        let c = apinizer_catalog();
        let got = c.closure(["API_MANAGEMENT+DEPLOY_UNDEPLOY"]);
        assert!(got.contains("API_MANAGEMENT+VIEW"));
        assert!(!got.contains("API_MANAGEMENT+MANAGE"));
        let got = c.closure(["API_MANAGEMENT+MANAGE"]);
        for p in ["API_MANAGEMENT+VIEW", "SECRETS+MANAGE", "SECRETS+VIEW"] {
            assert!(got.contains(p), "{p}");
        }
        assert!(!c.is_permission("AUDIT+MANAGE"));
    }

    #[test]
    fn frontier_roles_and_permissions() {
        let c = frontier_catalog();
        let perms = c.expand(["app_organization_owner"]);
        let all = c.closure(perms.iter().map(String::as_str));
        for p in [
            "app_organization_groupcreate",
            "app_group_update",
            "app_group_delete",
        ] {
            assert!(all.contains(p), "{p}");
        }
        let member = c.closure(c.expand(["app_group_member"]).iter().map(String::as_str));
        assert_eq!(member.into_iter().collect::<Vec<_>>(), ["app_group_get"]);
    }

    #[test]
    fn catalog_json_merges_and_reports_bad_shapes() {
        let mut c = conductor_catalog();
        let issues = c.merge_json(
            &serde_json::json!({"roles": {"MY_ROLE": ["CREATE_SECRET", "NEW_PERM"], "BAD": "x"}, "other": 1}),
            "/context/catalog",
        );
        assert_eq!(c.expand(["MY_ROLE"]), ["CREATE_SECRET", "NEW_PERM"]);
        assert!(c.is_permission("NEW_PERM"));
        let paths: Vec<_> = issues.iter().map(|i| (i.path.as_str(), i.code)).collect();
        assert_eq!(
            paths,
            [
                ("/context/catalog/other", "unknown_field"),
                ("/context/catalog/roles/BAD", "type")
            ]
        );
        assert_eq!(c.merge_json(&serde_json::json!([]), "/c")[0].code, "type");
    }

    /// A catalog of `n` roles `R0..`, built through `context.catalog`.
    fn big_catalog(n: usize) -> RoleCatalog {
        let roles: serde_json::Map<String, serde_json::Value> = (0..n)
            .map(|i| (format!("R{i:05}"), serde_json::json!(["P"])))
            .collect();
        conductor_catalog()
            .merged(Some(&serde_json::json!({ "roles": roles })))
            .unwrap()
    }

    #[test]
    fn expected_roles_quote_a_few_sorted_names_and_count_the_rest_once() {
        let c = big_catalog(10_000);
        let listed = c.expected_roles();
        // The 16 smallest names in sorted order (ADMIN… sort before R…).
        let mut all: Vec<&str> = c.roles().map(|(n, _)| n).collect();
        crate::sort::sort(&mut all);
        let more = all.len() - QUOTED_NAMES;
        assert_eq!(
            listed,
            format!("{} and {more} more", all[..QUOTED_NAMES].join(", "))
        );
        // Built once per catalog: a second message quotes the same string
        // (not a new sort of 10,000 names per unknown role).
        assert!(std::ptr::eq(listed, c.expected_roles()));
        // The built-in catalog is quoted whole, and a merge refreshes it.
        let builtin = conductor_catalog();
        assert!(!builtin.expected_roles().contains("more"));
        assert!(builtin.expected_roles().starts_with("ADMIN, "));
        let mut grown = builtin.clone();
        grown.merge_json(&serde_json::json!({"roles": {"AAA": []}}), "/c");
        assert!(grown.expected_roles().starts_with("AAA, ADMIN, "));
    }

    #[test]
    fn unknown_role_messages_stay_bounded_as_the_catalog_grows() {
        // permissionsOf with 97 unknown roles: the messages' total size does
        // not grow with the catalog (it listed every role: +32 MB at 10,000).
        let subject =
            serde_json::json!({"roles": (0..97).map(|i| format!("X{i}")).collect::<Vec<_>>()});
        let s = Subject::from_json(&subject).unwrap();
        let bytes = |n| -> usize {
            let err = big_catalog(n).resolve(&s.roles, &[]).unwrap_err();
            assert_eq!(err.issues.len(), 97);
            err.issues.iter().map(|i| i.message.len()).sum()
        };
        let (small, large) = (bytes(1_000), bytes(10_000));
        assert!(large <= small + 97 * 2, "{small} -> {large}");
        assert!(large < 97 * 400, "{large}");
    }

    #[test]
    fn subjects_are_read_strictly_and_resolved() {
        let s = Subject::from_json(&serde_json::json!({"roles": ["USER"], "permissions": ["X"]}))
            .unwrap();
        let err = conductor_catalog()
            .resolve(&s.roles, &s.permissions)
            .unwrap_err();
        assert_eq!(
            (err.issues[0].path.as_str(), err.code()),
            ("/permissions/0", "unknown_permission")
        );
        let err = Subject::from_json(&serde_json::json!({"roles": [1], "x": []})).unwrap_err();
        let got: Vec<_> = err
            .issues
            .iter()
            .map(|i| (i.path.as_str(), i.code))
            .collect();
        assert_eq!(got, [("/roles/0", "type"), ("/x", "unknown_field")]);
        assert_eq!(
            Subject::from_json(&serde_json::json!(1))
                .unwrap_err()
                .code(),
            "type"
        );
        let s = Subject::from_json(&serde_json::json!({"roles": ["WORKER", "USER_READ_ONLY"]}))
            .unwrap();
        assert_eq!(
            conductor_catalog().resolve(&s.roles, &[]).unwrap(),
            Vec::<String>::new()
        );
    }
}
