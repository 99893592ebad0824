//! `Workspace::to_bytes` / `Workspace::from_bytes`: the workspace as a
//! versioned, checksummed snapshot (the shared envelope of
//! [`crate::snapshot`], kind `WKSP`).
//!
//! The payload holds the source of truth only: the limits, the groups and
//! the keys, in a compact binary form with slugs listed once. Loading
//! decodes them and runs the same checks and precomputation as
//! [`Workspace::build`], so a snapshot can never make a workspace answer
//! differently from the state it was taken of, whatever its bytes say.
//!
//! Payload (integers little-endian, strings length-prefixed):
//! limits (6 × u64) · slugs (count, str…) · groups (count, group…) ·
//! keys (count, key…). A group: flags u8 (1 name, 2 workspace, 4 parent,
//! 8 deleted, 16 CASCADING), id, [name], external id, [workspace],
//! [parent], models (count, model…). A model: slug index u32, flags u8
//! (1 rate list, 2 usage list), then each present list as count and
//! limits (type u8, unit u8, threshold u64). A key: flags u8 (1 name),
//! prefix, group id, [name].

use std::collections::HashMap;

use super::model::{
    ApiKey, BasetenGroup, Enforcement, HierarchyConfig, Limit, LimitType, LimitUnit, Metadata,
    ModelConfig,
};
use super::tree::Workspace;
use crate::error::GroupgateError;
use crate::snapshot::{bad, open, seal, Reader, Writer};

const KIND: &[u8; 4] = b"WKSP";
const VERSION: u16 = 1;

impl Workspace {
    /// The workspace as snapshot bytes (see [`Workspace::from_bytes`]).
    pub fn to_bytes(&self) -> Vec<u8> {
        let mut w = Writer::default();
        w.limits(&self.limits);
        let mut slug_ids: HashMap<&str, u32> = HashMap::new();
        let mut slugs: Vec<&str> = Vec::new();
        for m in self.groups.iter().flat_map(|g| &g.models) {
            slug_ids.entry(&m.slug).or_insert_with(|| {
                slugs.push(&m.slug);
                slugs.len() as u32 - 1
            });
        }
        w.u32(slugs.len() as u32);
        for s in &slugs {
            w.str(s);
        }
        w.u32(self.groups.len() as u32);
        for g in &self.groups {
            write_group(&mut w, g, &slug_ids);
        }
        w.u32(self.keys.len() as u32);
        for k in &self.keys {
            w.u8(u8::from(k.name.is_some()));
            w.str(&k.prefix);
            w.str(&k.group_id);
            if let Some(n) = &k.name {
                w.str(n);
            }
        }
        seal(KIND, VERSION, &w.bytes)
    }

    /// Loads a workspace from [`Workspace::to_bytes`] output. Foreign,
    /// truncated, corrupt or other-version bytes are a [`GroupgateError`]
    /// (`snapshot.*` at `/bytes`); the decoded state passes the same checks
    /// as [`Workspace::from_json`] (so its issues, if any, are the state's).
    pub fn from_bytes(bytes: &[u8]) -> Result<Workspace, GroupgateError> {
        let mut r = Reader::new(open(KIND, VERSION, bytes)?);
        let limits = r.limits()?;
        let n = r.count(4)?;
        let slugs: Vec<&str> = (0..n).map(|_| r.str()).collect::<Result<_, _>>()?;
        let n = r.count(13)?;
        if n > limits.max_groups {
            // A workspace never holds more; refused before decoding them.
            return Err(bad("more groups than the snapshot's max_groups"));
        }
        let groups = (0..n)
            .map(|_| read_group(&mut r, &slugs))
            .collect::<Result<Vec<_>, _>>()?;
        let n = r.count(9)?;
        let keys = (0..n)
            .map(|_| {
                let flags = r.u8()?;
                Ok(ApiKey {
                    prefix: r.str()?.to_string(),
                    group_id: r.str()?.to_string(),
                    name: if flags & 1 != 0 {
                        Some(r.str()?.to_string())
                    } else {
                        None
                    },
                })
            })
            .collect::<Result<Vec<_>, GroupgateError>>()?;
        r.finish()?;
        Workspace::build(groups, keys, limits)
    }
}

fn write_group(w: &mut Writer, g: &BasetenGroup, slug_ids: &HashMap<&str, u32>) {
    let flag = |on: bool, bit: u8| if on { bit } else { 0 };
    w.u8(flag(g.metadata.name.is_some(), 1)
        | flag(g.workspace_id.is_some(), 2)
        | flag(g.hierarchy.parent_group_id.is_some(), 4)
        | flag(g.deleted, 8)
        | flag(g.hierarchy.limit_enforcement == Enforcement::Cascading, 16));
    w.str(&g.id);
    let optional = [
        g.metadata.name.as_deref(),
        Some(g.metadata.external_entity_id.as_str()),
        g.workspace_id.as_deref(),
        g.hierarchy.parent_group_id.as_deref(),
    ];
    for s in optional.into_iter().flatten() {
        w.str(s);
    }
    w.u32(g.models.len() as u32);
    for m in &g.models {
        w.u32(slug_ids.get(m.slug.as_str()).copied().unwrap_or(u32::MAX));
        w.u8(flag(m.rate_limits.is_some(), 1) | flag(m.usage_limits.is_some(), 2));
        for list in [&m.rate_limits, &m.usage_limits].into_iter().flatten() {
            w.u32(list.len() as u32);
            for l in list {
                w.u8(l.limit_type as u8);
                w.u8(l.unit as u8);
                w.u64(l.threshold);
            }
        }
    }
}

fn read_group(r: &mut Reader, slugs: &[&str]) -> Result<BasetenGroup, GroupgateError> {
    let flags = r.u8()?;
    let opt = |bit: u8, r: &mut Reader| -> Result<Option<String>, GroupgateError> {
        Ok(if flags & bit != 0 {
            Some(r.str()?.to_string())
        } else {
            None
        })
    };
    let id = r.str()?.to_string();
    let name = opt(1, r)?;
    let external_entity_id = r.str()?.to_string();
    let workspace_id = opt(2, r)?;
    let parent_group_id = opt(4, r)?;
    let n = r.count(5)?;
    let models = (0..n)
        .map(|_| read_model(r, slugs))
        .collect::<Result<_, _>>()?;
    Ok(BasetenGroup {
        id,
        metadata: Metadata {
            name,
            external_entity_id,
        },
        models,
        hierarchy: HierarchyConfig {
            limit_enforcement: if flags & 16 != 0 {
                Enforcement::Cascading
            } else {
                Enforcement::Independent
            },
            parent_group_id,
        },
        workspace_id,
        deleted: flags & 8 != 0,
    })
}

fn read_model(r: &mut Reader, slugs: &[&str]) -> Result<ModelConfig, GroupgateError> {
    let slug = slugs
        .get(r.u32()? as usize)
        .ok_or_else(|| bad("a slug index is out of range"))?;
    let flags = r.u8()?;
    let list = |bit: u8, r: &mut Reader| -> Result<Option<Vec<Limit>>, GroupgateError> {
        if flags & bit == 0 {
            return Ok(None);
        }
        let n = r.count(10)?;
        (0..n)
            .map(|_| {
                let t = LimitType::TABLE.get(r.u8()? as usize);
                let u = LimitUnit::TABLE.get(r.u8()? as usize);
                match (t, u) {
                    (Some(&(_, limit_type)), Some(&(_, unit))) => Ok(Limit {
                        limit_type,
                        unit,
                        threshold: r.u64()?,
                    }),
                    _ => Err(bad("a limit type or unit is out of range")),
                }
            })
            .collect::<Result<_, _>>()
            .map(Some)
    };
    Ok(ModelConfig {
        slug: slug.to_string(),
        rate_limits: list(1, r)?,
        usage_limits: list(2, r)?,
    })
}
