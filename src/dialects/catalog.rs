//! [`catalog`]: what a dialect knows by name — its roles, permissions and
//! the values of its enums — for forms and consoles that must not keep a
//! copy of their own.
//!
//! Every list is read from the table the validators use (the built-in
//! [`crate::permissions`] catalogs, the dialects' own enum tables), so a
//! role or value added there appears here with no second edit; a test
//! checks that each listed name is accepted and an unlisted one refused.

use serde::ser::SerializeMap;
use serde::{Serialize, Serializer};

use super::Dialect;
use crate::permissions::{
    apinizer_catalog, conductor_catalog, frontier_catalog, gorules_catalog, RoleCatalog,
};

/// A dialect's names (`catalog(dialect)` in JS).
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct DialectCatalog {
    /// The dialect's name.
    pub dialect: &'static str,
    /// Every permission name the dialect accepts, in table order.
    pub permissions: Vec<String>,
    /// Built-in roles, in table order.
    pub roles: Vec<RoleEntry>,
    /// Each enum of the request and context, by name (for example
    /// `fileAction`), with its values in table order.
    pub enums: Enums,
}

/// Enum name → values, in the dialect's order; a JSON object on the wire.
/// (A list rather than a map: a sorted map would cost the WASM build a
/// sort routine for five short lists.)
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Enums(pub Vec<(&'static str, Vec<String>)>);

impl Enums {
    /// The values of one enum.
    pub fn get(&self, name: &str) -> Option<&[String]> {
        self.0
            .iter()
            .find(|(n, _)| *n == name)
            .map(|(_, v)| v.as_slice())
    }

    /// Every enum with its values.
    pub fn iter(&self) -> impl Iterator<Item = (&'static str, &[String])> {
        self.0.iter().map(|(n, v)| (*n, v.as_slice()))
    }
}

impl Serialize for Enums {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        let mut map = s.serialize_map(Some(self.0.len()))?;
        for (name, values) in &self.0 {
            map.serialize_entry(name, values)?;
        }
        map.end()
    }
}

/// One built-in role of a [`DialectCatalog`].
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct RoleEntry {
    /// The role's name.
    pub name: String,
    /// The permissions the role grants (empty when they are not public).
    pub permissions: Vec<String>,
    /// Why the list is what it is, where that needs saying.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub note: Option<&'static str>,
}

/// Said of a role that exists but whose expansion is not public.
const OPAQUE: &str =
    "the product does not publish this role's permissions: it expands to nothing unless context.catalog.roles describes it";

/// The roles, permissions and enum values of `dialect` (built-in tables;
/// `context.catalog` extensions are per request and not included).
pub fn catalog(dialect: Dialect) -> DialectCatalog {
    let (roles, permissions, enums) = match dialect {
        Dialect::Baseten => baseten(),
        Dialect::Frontier => from_roles(&frontier_catalog(), Vec::new()),
        Dialect::Apinizer => from_roles(
            &apinizer_catalog(),
            vec![("method", names(&super::apinizer::APINIZER_METHODS))],
        ),
        Dialect::Conductor => from_roles(
            &conductor_catalog(),
            vec![
                (
                    "accessTarget",
                    names(crate::catalogs::conductor::CONDUCTOR_ACCESS_TARGETS),
                ),
                (
                    "accessKind",
                    names(crate::catalogs::conductor::CONDUCTOR_ACCESS_KINDS),
                ),
            ],
        ),
        Dialect::Gorules => from_roles(&gorules_catalog(), gorules_enums()),
    };
    DialectCatalog {
        dialect: dialect.name(),
        permissions,
        roles,
        enums: Enums(enums),
    }
}

type EnumRows = Vec<(&'static str, Vec<String>)>;

// `String::from`, not `to_string`: the latter goes through `Display` and
// costs the WASM build a formatter per call site.
fn names(list: &[&str]) -> Vec<String> {
    list.iter().map(|s| String::from(*s)).collect()
}

fn wire<T>(table: &[(&str, T)]) -> Vec<String> {
    table.iter().map(|(n, _)| String::from(*n)).collect()
}

fn from_roles(c: &RoleCatalog, enums: EnumRows) -> (Vec<RoleEntry>, Vec<String>, EnumRows) {
    let roles = c
        .roles()
        .map(|(name, perms)| RoleEntry {
            name: String::from(name),
            permissions: perms.map_or_else(Vec::new, <[String]>::to_vec),
            note: perms.is_none().then_some(OPAQUE),
        })
        .collect();
    (roles, c.permissions().map(String::from).collect(), enums)
}

fn gorules_enums() -> EnumRows {
    use crate::files::{Action, Effect, ProjectVersion};
    // The match is exhaustive, so a new effect cannot be forgotten here.
    let effects = [Effect::Allow, Effect::Deny]
        .iter()
        .map(|e| match e {
            Effect::Allow => String::from("allow"),
            Effect::Deny => String::from("deny"),
        })
        .collect();
    vec![
        (
            "fileAction",
            Action::ALL.iter().map(|a| String::from(a.name())).collect(),
        ),
        ("effect", effects),
        (
            "projectVersion",
            ProjectVersion::ALL
                .iter()
                .map(|v| String::from(v.name()))
                .collect(),
        ),
    ]
}

/// Baseten's roles are its API-key scopes; `model:<slug>` permissions come
/// from group membership and are not listed (they are not a fixed set).
fn baseten() -> (Vec<RoleEntry>, Vec<String>, EnumRows) {
    use super::baseten::SCOPES;
    use crate::baseten::{Enforcement, LimitKind, LimitType};
    let roles = SCOPES
        .iter()
        .map(|(name, perms)| RoleEntry {
            name: String::from(*name),
            permissions: names(perms),
            note: None,
        })
        .collect();
    let mut permissions: Vec<String> = Vec::new();
    for p in SCOPES.iter().flat_map(|(_, perms)| perms.iter()) {
        if !permissions.iter().any(|q| q == p) {
            permissions.push(String::from(*p));
        }
    }
    let enums = vec![
        ("rateLimitType", wire(LimitType::TABLE)),
        ("rateLimitUnit", wire(LimitKind::Rate.units())),
        ("usageLimitUnit", wire(LimitKind::Usage.units())),
        ("limitEnforcement", wire(Enforcement::TABLE)),
        ("scope", wire(SCOPES)),
    ];
    (roles, permissions, enums)
}
