//! Baseten's wire types (snake_case on the wire, as Baseten's API).
//!
//! Each enum's strings live in one table (`wire_enum!`): serialization,
//! `name()` and `parse()` all read it, so a spelling cannot drift between
//! them. Nothing here derives serde's typed decoding: the state is read by
//! `read` and `scan` (issue 17: that decoding was ≈ 20 KB gz of the package).

use serde::{Serialize, Serializer};

/// An enum whose wire names are one table: `TABLE`, `name`, `parse` and the
/// `Serialize` impl are generated from the same list.
macro_rules! wire_enum {
    ($(#[$doc:meta])* $name:ident { $($(#[$vdoc:meta])* $variant:ident = $wire:literal),+ $(,)? }) => {
        $(#[$doc])*
        #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
        pub enum $name {
            $($(#[$vdoc])* $variant),+
        }

        impl $name {
            /// Every value with its wire name, in declaration order.
            pub const TABLE: &'static [(&'static str, $name)] = &[$(($wire, $name::$variant)),+];

            /// The wire name.
            pub fn name(self) -> &'static str {
                // TABLE is in declaration order, so the discriminant indexes it.
                Self::TABLE[self as usize].0
            }

            /// The value of a wire name.
            pub fn parse(s: &str) -> Option<$name> {
                Self::TABLE.iter().find(|(n, _)| *n == s).map(|(_, v)| *v)
            }
        }

        impl Serialize for $name {
            fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
                s.serialize_str(self.name())
            }
        }
    };
}

wire_enum! {
    /// `hierarchy.limit_enforcement`.
    Enforcement {
        /// Each group's limits apply to it alone.
        Independent = "INDEPENDENT",
        /// A parent's limits bound its whole subtree.
        Cascading = "CASCADING",
    }
}

wire_enum! {
    /// A limit's `type`.
    LimitType {
        /// Tokens.
        Token = "TOKEN",
        /// Requests.
        Request = "REQUEST",
    }
}

wire_enum! {
    /// A limit's `unit`: SECOND and MINUTE for rate limits, DAY for usage limits.
    LimitUnit {
        /// Per second (rate limits).
        Second = "SECOND",
        /// Per minute (rate limits).
        Minute = "MINUTE",
        /// Per day (usage limits).
        Day = "DAY",
    }
}

wire_enum! {
    /// Which list a limit lives in: `rate_limits` or `usage_limits`.
    LimitKind {
        /// `rate_limits`.
        Rate = "rate",
        /// `usage_limits`.
        Usage = "usage",
    }
}

impl LimitKind {
    /// The member of a model that holds this kind's list.
    pub(crate) fn field(self) -> &'static str {
        match self {
            LimitKind::Rate => "rate_limits",
            LimitKind::Usage => "usage_limits",
        }
    }

    /// The units this kind accepts (`rate_limits`: SECOND, MINUTE; `usage_limits`: DAY).
    pub(crate) fn units(self) -> &'static [(&'static str, LimitUnit)] {
        match self {
            LimitKind::Rate => &LimitUnit::TABLE[..2],
            LimitKind::Usage => &LimitUnit::TABLE[2..],
        }
    }
}

/// `owner/model`: two non-empty segments, no whitespace or control characters.
pub fn is_slug(s: &str) -> bool {
    let b = s.as_bytes();
    // Bytes first, in one pass (a state may hold a million slugs): one
    // `/`, not at either end; printable ASCII answers without decoding
    // characters.
    let (mut slashes, mut slash, mut plain) = (0, 0, true);
    for (i, &c) in b.iter().enumerate() {
        if c == b'/' {
            slashes += 1;
            slash = i;
        }
        plain &= c > b' ' && c < 0x7f;
    }
    if slashes != 1 || slash == 0 || slash + 1 == b.len() {
        return false;
    }
    plain || !s.chars().any(|c| c.is_whitespace() || c.is_control())
}

/// One entry of `rate_limits` / `usage_limits`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub struct Limit {
    /// `type`.
    #[serde(rename = "type")]
    pub limit_type: LimitType,
    /// `unit`.
    pub unit: LimitUnit,
    /// `threshold`.
    pub threshold: u64,
}

/// One entry of a group's `models`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct ModelConfig {
    /// `owner/model`.
    pub slug: String,
    /// `rate_limits`, when given.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub rate_limits: Option<Vec<Limit>>,
    /// `usage_limits`, when given.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub usage_limits: Option<Vec<Limit>>,
}

impl ModelConfig {
    /// Every limit with its kind and index in its list.
    pub(crate) fn limits(&self) -> impl Iterator<Item = (LimitKind, usize, &Limit)> {
        let rate = self.rate_limits.iter().flatten().enumerate();
        let usage = self.usage_limits.iter().flatten().enumerate();
        rate.map(|(i, l)| (LimitKind::Rate, i, l))
            .chain(usage.map(|(i, l)| (LimitKind::Usage, i, l)))
    }
}

/// `metadata`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Metadata {
    /// `name`, optional.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub name: Option<String>,
    /// `external_entity_id`, unique among the workspace's live groups.
    pub external_entity_id: String,
}

/// `hierarchy`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct HierarchyConfig {
    /// `limit_enforcement`.
    pub limit_enforcement: Enforcement,
    /// `parent_group_id`; `None` for a root.
    pub parent_group_id: Option<String>,
}

/// A group as the state describes it (the shape the API returns, minus
/// `effective_models`, which groupgate computes).
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct BasetenGroup {
    /// `id`.
    pub id: String,
    /// `metadata`.
    pub metadata: Metadata,
    /// `models` (absent = none).
    pub models: Vec<ModelConfig>,
    /// `hierarchy`.
    pub hierarchy: HierarchyConfig,
    /// The group's workspace, when the state says.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub workspace_id: Option<String>,
    /// A deleted group: kept so that its id is known, grants nothing.
    #[serde(skip_serializing_if = "is_false")]
    pub deleted: bool,
}

fn is_false(b: &bool) -> bool {
    !*b
}

/// An API key as known client-side: its prefix and its group.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct ApiKey {
    /// The key's public prefix.
    pub prefix: String,
    /// The group the key belongs to.
    pub group_id: String,
    /// A display name.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub name: Option<String>,
}

/// An effective limit: the smallest threshold set on the path from the root,
/// and the group that set it (`None` for a group being created).
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct EffectiveLimit {
    /// `type`.
    #[serde(rename = "type")]
    pub limit_type: LimitType,
    /// `unit`.
    pub unit: LimitUnit,
    /// The binding threshold.
    pub threshold: u64,
    /// The group that sets it.
    pub source_group: Option<String>,
}

/// One model a group (and each of its keys) can use, with its binding limits.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct EffectiveModel {
    /// `owner/model`.
    pub slug: String,
    /// The binding rate limits.
    pub rate_limits: Vec<EffectiveLimit>,
    /// The binding usage limits.
    pub usage_limits: Vec<EffectiveLimit>,
}

/// The longest group id a workspace holds, in bytes. Baseten's ids are the
/// server's own (short: a group is named by them in URLs), and every effective
/// limit repeats its source group's id (`source_group`), so a 60 KB id made
/// `effectiveModels` of 4,000 models answer 240 MB (atk21). A state, a
/// snapshot or `apply`'s `options.id` with a longer id is refused.
pub const MAX_ID_BYTES: usize = 256;

/// The members a state, its groups, their `metadata` and `hierarchy` and an
/// API key are read for: others are skipped (a saved API response carries
/// more), near misses of these refused (`read`; `scan` gives up on them).
/// The state's own members: a near miss (`Keys`) dropped every API key, and
/// an update's `changes` then named no key losing access.
pub(super) const STATE_MEMBERS: [&str; 2] = ["groups", "keys"];
pub(super) const GROUP_MEMBERS: [&str; 6] = [
    "id",
    "metadata",
    "models",
    "hierarchy",
    "workspace_id",
    "deleted",
];
pub(super) const METADATA_MEMBERS: [&str; 2] = ["name", "external_entity_id"];
pub(super) const HIERARCHY_MEMBERS: [&str; 2] = ["limit_enforcement", "parent_group_id"];
pub(super) const KEY_MEMBERS: [&str; 3] = ["prefix", "group_id", "name"];

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_parse_and_serialization_read_the_same_table() {
        for (n, v) in LimitUnit::TABLE {
            assert_eq!(v.name(), *n);
            assert_eq!(LimitUnit::parse(n), Some(*v));
            assert_eq!(serde_json::to_value(v).unwrap(), serde_json::json!(n));
        }
        assert_eq!(Enforcement::parse("cascading"), None);
        assert_eq!(LimitKind::Rate.units().len(), 2);
        assert_eq!(LimitKind::Usage.units(), &[("DAY", LimitUnit::Day)]);
    }

    #[test]
    fn slugs_are_two_non_empty_parts_without_spaces_or_controls() {
        // The rule as first written, character by character.
        let by_chars = |s: &str| {
            let mut parts = s.split('/');
            match (parts.next(), parts.next(), parts.next()) {
                (Some(a), Some(b), None) => {
                    !a.is_empty()
                        && !b.is_empty()
                        && !s.chars().any(|c| c.is_whitespace() || c.is_control())
                }
                _ => false,
            }
        };
        let samples = [
            "org/m",
            "/m",
            "org/",
            "a/b/c",
            "ab",
            "",
            "a b/c",
            "a/\u{7f}",
            "é/ü",
            "a/\u{a0}x",
            "a/\u{2028}",
            "a/\t",
            "~/~",
            "a//b",
        ];
        for s in samples {
            assert_eq!(is_slug(s), by_chars(s), "{s:?}");
        }
    }
}
