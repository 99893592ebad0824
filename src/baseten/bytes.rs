//! `Workspace::to_bytes` / `Workspace::from_bytes`: the workspace as a
//! versioned, checksummed snapshot (the shared envelope of
//! [`crate::snapshot`], kind `WKSP`).
//!
//! Format version 2 stores the loaded form itself (issue 17): the string
//! arena, the flat group / model / limit / key records, the id and slug
//! indexes, the tree links and every per-group pool (children, keys, own
//! limits, effective models, descendant maxima). Loading reads these arrays
//! and checks them in one linear pass (`bytes_check`), with no parsing of
//! groups and no re-assembly. Version 1 snapshots (the state only) are
//! refused with `snapshot.version`: take the snapshot again.
//!
//! Payload (integers little-endian): limits (6 × u64) · text (length,
//! UTF-8 bytes) · then u32 arrays, each a count and its words: groups (13
//! words each: id, name, ext, workspace, parent and models spans as start
//! and length, flags), models (5: slug, rate span, usage span), limits (3:
//! type | unit << 8, threshold low, high), keys (6: prefix, group, name
//! spans), slugs (2: span), slug order, id order, parents, levels, then the
//! pools children, keys, own slugs, own limits (4 words an item: slug, key,
//! threshold low, high), effective slugs, effective bounds and descendant
//! maxima (5: slug, key, threshold low, high, source), each pool as its
//! items and its spans. An absent optional span starts at `u32::MAX`.

use super::bytes_check::{self, Loaded};
use super::effective::{Bound, LimitKey, SlugKey};
use super::model::{Limit, LimitType, LimitUnit};
use super::store::{GroupRec, KeyRec, ModelRec, Pool, Span};
use super::tree::Workspace;
use crate::error::GroupgateError;
use crate::snapshot::{bad, open, seal, Reader, Writer};

const KIND: &[u8; 4] = b"WKSP";
const VERSION: u16 = 2;

fn words(w: &mut Writer, n: usize, each: usize, mut f: impl FnMut(usize, &mut Vec<u32>)) {
    let mut v = Vec::with_capacity(n * each);
    for i in 0..n {
        f(i, &mut v);
    }
    w.u32(v.len() as u32);
    w.bytes.reserve(v.len() * 4);
    for x in v {
        w.bytes.extend_from_slice(&x.to_le_bytes());
    }
}

fn span(v: &mut Vec<u32>, s: Span) {
    v.push(s.start);
    v.push(s.len);
}

fn pool<T: Copy>(w: &mut Writer, p: &Pool<T>, each: usize, f: impl Fn(&T, &mut Vec<u32>)) {
    words(w, p.items.len(), each, |i, v| f(&p.items[i], v));
    words(w, p.spans.len(), 2, |i, v| span(v, p.spans[i]));
}

fn bound_words((k, b): &(SlugKey, Bound), v: &mut Vec<u32>) {
    v.extend([
        k.0,
        u32::from(k.1.byte()),
        b.threshold as u32,
        (b.threshold >> 32) as u32,
        b.source,
    ]);
}

impl Workspace {
    /// The workspace as snapshot bytes (see [`Workspace::from_bytes`]).
    pub fn to_bytes(&self) -> Vec<u8> {
        let mut w = Writer::default();
        let st = &self.st;
        w.limits(&self.limits);
        w.str(&st.text.buf);
        words(&mut w, st.groups.len(), 13, |i, v| {
            let g = &st.groups[i];
            for s in [g.id, g.name, g.ext, g.ws, g.parent, g.models] {
                span(v, s);
            }
            v.push(u32::from(g.flags));
        });
        words(&mut w, st.models.len(), 5, |i, v| {
            let m = &st.models[i];
            v.push(m.slug);
            span(v, m.rate);
            span(v, m.usage);
        });
        words(&mut w, st.limits.len(), 3, |i, v| {
            let l = &st.limits[i];
            v.push(l.limit_type as u32 | (l.unit as u32) << 8);
            v.extend([l.threshold as u32, (l.threshold >> 32) as u32]);
        });
        words(&mut w, st.keys.len(), 6, |i, v| {
            let k = &st.keys[i];
            for s in [k.prefix, k.group, k.name] {
                span(v, s);
            }
        });
        words(&mut w, st.slugs.len(), 2, |i, v| span(v, st.slugs[i]));
        for list in [&st.slug_order, &self.by_id, &self.parent, &self.level] {
            words(&mut w, list.len(), 1, |i, v| v.push(list[i]));
        }
        for p in [&self.children, &self.keys_of, &self.own_slugs] {
            pool(&mut w, p, 1, |&x, v| v.push(x));
        }
        pool(&mut w, &self.own, 4, |((s, k), t), v| {
            v.extend([*s, u32::from(k.byte()), *t as u32, (*t >> 32) as u32]);
        });
        pool(&mut w, &self.eff_slugs, 1, |&x, v| v.push(x));
        pool(&mut w, &self.eff, 5, bound_words);
        pool(&mut w, &self.below, 5, bound_words);
        seal(KIND, VERSION, &w.bytes)
    }

    /// Loads a workspace from [`Workspace::to_bytes`] output. Foreign,
    /// truncated, corrupt or other-version bytes are a [`GroupgateError`]
    /// (`snapshot.*` at `/bytes`); every index, span, order and tree link is
    /// checked before the workspace answers anything.
    pub fn from_bytes(bytes: &[u8]) -> Result<Workspace, GroupgateError> {
        let mut r = Reader::new(open(KIND, VERSION, bytes)?);
        let limits = r.limits()?;
        let text = r.str()?.to_string();
        let groups = records(&mut r, 13, group_rec)?;
        let models = records(&mut r, 5, |c| ModelRec {
            slug: c[0],
            rate: sp(&c[1..]),
            usage: sp(&c[3..]),
        })?;
        let limits_list = try_records(&mut r, 3, limit)?;
        let keys = records(&mut r, 6, |c| KeyRec {
            prefix: sp(c),
            group: sp(&c[2..]),
            name: sp(&c[4..]),
        })?;
        let slugs = records(&mut r, 2, sp)?;
        let [slug_order, by_id, parent, level] = [(); 4].map(|_| r.u32s());
        let loaded = Loaded {
            limits,
            text,
            groups,
            models,
            limits_list,
            keys,
            slugs,
            slug_order: slug_order?,
            by_id: by_id?,
            parent: parent?,
            level: level?,
            children: u32_pool(&mut r)?,
            keys_of: u32_pool(&mut r)?,
            own_slugs: u32_pool(&mut r)?,
            own: any_pool(&mut r, 4, |c| {
                Some(((c[0], LimitKey::from_byte(byte(c[1])?)?), wide(&c[2..])))
            })?,
            eff_slugs: u32_pool(&mut r)?,
            eff: any_pool(&mut r, 5, bound)?,
            below: any_pool(&mut r, 5, bound)?,
        };
        r.finish()?;
        bytes_check::check(loaded)
    }
}

fn sp(c: &[u32]) -> Span {
    Span {
        start: c[0],
        len: c[1],
    }
}

fn wide(c: &[u32]) -> u64 {
    u64::from(c[0]) | u64::from(c[1]) << 32
}

fn byte(x: u32) -> Option<u8> {
    u8::try_from(x).ok()
}

fn group_rec(c: &[u32]) -> GroupRec {
    GroupRec {
        id: sp(c),
        name: sp(&c[2..]),
        ext: sp(&c[4..]),
        ws: sp(&c[6..]),
        parent: sp(&c[8..]),
        models: sp(&c[10..]),
        // Checked with the rest: anything over 3 is refused there.
        flags: byte(c[12]).unwrap_or(u8::MAX),
    }
}

fn limit(c: &[u32]) -> Option<Limit> {
    let t = LimitType::TABLE.get((c[0] & 0xff) as usize)?.1;
    let u = LimitUnit::TABLE.get((c[0] >> 8) as usize)?.1;
    Some(Limit {
        limit_type: t,
        unit: u,
        threshold: wide(&c[1..]),
    })
}

fn bound(c: &[u32]) -> Option<(SlugKey, Bound)> {
    let key = LimitKey::from_byte(byte(c[1])?)?;
    let b = Bound {
        threshold: wide(&c[2..]),
        source: c[4],
    };
    Some(((c[0], key), b))
}

/// A u32 array of `each`-word records.
fn records<T>(
    r: &mut Reader,
    each: usize,
    f: impl Fn(&[u32]) -> T,
) -> Result<Vec<T>, GroupgateError> {
    try_records(r, each, |c| Some(f(c)))
}

fn try_records<T>(
    r: &mut Reader,
    each: usize,
    f: impl Fn(&[u32]) -> Option<T>,
) -> Result<Vec<T>, GroupgateError> {
    let v = r.u32s()?;
    if v.len() % each != 0 {
        return Err(bad("an array does not hold whole records"));
    }
    v.chunks_exact(each)
        .map(|c| f(c).ok_or_else(|| bad("a record holds a value out of range")))
        .collect()
}

fn spans(r: &mut Reader) -> Result<Vec<Span>, GroupgateError> {
    records(r, 2, sp)
}

fn u32_pool(r: &mut Reader) -> Result<Pool<u32>, GroupgateError> {
    let items = r.u32s()?;
    Ok(Pool::from_parts(items, spans(r)?))
}

fn any_pool<T: Copy>(
    r: &mut Reader,
    each: usize,
    f: impl Fn(&[u32]) -> Option<T>,
) -> Result<Pool<T>, GroupgateError> {
    let items = try_records(r, each, f)?;
    Ok(Pool::from_parts(items, spans(r)?))
}
