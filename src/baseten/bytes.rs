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
//! UTF-8 bytes) · then arrays of u32 words (each a blob, below): groups (13
//! words each: id, name, ext, workspace, parent and models spans as start
//! and length, flags), models (5: slug, rate span, usage span), limits (3:
//! type | unit << 8, threshold low, high), keys (6: prefix, group, name
//! spans), slugs (2: span), slug order, id order, parents, levels, then the
//! pools children, keys, own slugs, own limits (4 words an item: slug, key,
//! threshold low, high), effective slugs, effective bounds and descendant
//! maxima (5: slug, key, threshold low, high, source), each pool as its
//! items (list after list, in group order) and each list's length. An
//! absent optional span starts at `u32::MAX`. Each array is one
//! length-prefixed blob of little-endian words.

use super::bytes_check::{self, Loaded};
use super::effective::{Bound, LimitKey, SlugKey};
use super::model::{Limit, LimitKind, LimitType, LimitUnit};
use super::store::{GroupRec, KeyRec, ModelRec, Pool, Span};
use super::tree::Workspace;
use crate::error::GroupgateError;
use crate::snapshot::{bad, open, seal, Reader, Writer};

const KIND: &[u8; 4] = b"WKSP";
const VERSION: u16 = 2;

/// An array of `n` records of `each` words, as one length-prefixed blob
/// of little-endian words (so that a load reads it in place, one pass).
fn words(w: &mut Writer, n: usize, each: usize, mut f: impl FnMut(usize, &mut Vec<u32>)) {
    let mut v = Vec::with_capacity(n * each);
    for i in 0..n {
        f(i, &mut v);
    }
    let blob: Vec<u8> = v.iter().flat_map(|x| x.to_le_bytes()).collect();
    w.bytes(&blob);
}

fn span(v: &mut Vec<u32>, s: Span) {
    v.push(s.start);
    v.push(s.len);
}

/// A pool as its items, list after list in group order (compacted), and
/// each list's length.
fn pool<T: Copy>(w: &mut Writer, p: &Pool<T>, each: usize, f: impl Fn(&T, &mut Vec<u32>)) {
    let items: Vec<T> = (0..p.spans.len() as u32)
        .flat_map(|i| p.get(i).iter().copied())
        .collect();
    words(w, items.len(), each, |i, v| f(&items[i], v));
    words(w, p.spans.len(), 1, |i, v| {
        v.push(p.get(i as u32).len() as u32)
    });
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
        let limits_list = checked(&mut r, 3, limit_ok, limit)?;
        let keys = records(&mut r, 6, |c| KeyRec {
            prefix: sp(c),
            group: sp(&c[2..]),
            name: sp(&c[4..]),
        })?;
        let slugs = records(&mut r, 2, sp)?;
        let [slug_order, by_id, parent, level] = [(); 4].map(|_| u32s(&mut r));
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
            own: any_pool(&mut r, 4, key_ok, |c| ((c[0], key(c[1])), wide(&c[2..])))?,
            eff_slugs: u32_pool(&mut r)?,
            eff: any_pool(&mut r, 5, key_ok, bound)?,
            below: any_pool(&mut r, 5, key_ok, bound)?,
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

fn limit_ok(c: &[u32]) -> bool {
    ((c[0] & 0xff) as usize) < LimitType::TABLE.len()
        && ((c[0] >> 8) as usize) < LimitUnit::TABLE.len()
}

fn limit(c: &[u32]) -> Limit {
    let t = LimitType::TABLE.get((c[0] & 0xff) as usize);
    let u = LimitUnit::TABLE.get((c[0] >> 8) as usize);
    Limit {
        limit_type: t.map_or(LimitType::Token, |x| x.1),
        unit: u.map_or(LimitUnit::Second, |x| x.1),
        threshold: wide(&c[1..]),
    }
}

fn key_ok(c: &[u32]) -> bool {
    byte(c[1]).and_then(LimitKey::from_byte).is_some()
}

/// A key byte (checked by `key_ok` first).
fn key(x: u32) -> LimitKey {
    byte(x)
        .and_then(LimitKey::from_byte)
        .unwrap_or_else(|| LimitKey::new(LimitKind::Rate, LimitType::Token, LimitUnit::Second))
}

fn bound(c: &[u32]) -> (SlugKey, Bound) {
    let b = Bound {
        threshold: wide(&c[2..]),
        source: c[4],
    };
    ((c[0], key(c[1])), b)
}

/// A blob of little-endian words, `each` to a record; `ok` checks each
/// record before any is decoded.
fn blob(
    r: &mut Reader,
    each: usize,
    ok: impl Fn(&[u32]) -> bool,
) -> Result<Vec<u32>, GroupgateError> {
    let raw = r.bytes()?;
    if raw.len() % (4 * each) != 0 {
        return Err(bad("an array does not hold whole records"));
    }
    let words: Vec<u32> = raw
        .chunks_exact(4)
        .map(|c| u32::from_le_bytes([c[0], c[1], c[2], c[3]]))
        .collect();
    if !words.chunks_exact(each).all(ok) {
        return Err(bad("a record holds a value out of range"));
    }
    Ok(words)
}

/// `each`-word records checked by `ok`, then decoded by `f`.
fn checked<T>(
    r: &mut Reader,
    each: usize,
    ok: impl Fn(&[u32]) -> bool,
    f: impl Fn(&[u32]) -> T,
) -> Result<Vec<T>, GroupgateError> {
    Ok(blob(r, each, ok)?.chunks_exact(each).map(f).collect())
}

fn records<T>(
    r: &mut Reader,
    each: usize,
    f: impl Fn(&[u32]) -> T,
) -> Result<Vec<T>, GroupgateError> {
    checked(r, each, |_| true, f)
}

fn u32s(r: &mut Reader) -> Result<Vec<u32>, GroupgateError> {
    blob(r, 1, |_| true)
}

/// A pool: its items (checked by `ok`, decoded by `f`), then each list's
/// length (the lists follow one another; their total must be the item
/// count).
fn any_pool<T: Copy>(
    r: &mut Reader,
    each: usize,
    ok: impl Fn(&[u32]) -> bool,
    f: impl Fn(&[u32]) -> T,
) -> Result<Pool<T>, GroupgateError> {
    let items = checked(r, each, ok, f)?;
    let lens = u32s(r)?;
    let mut spans = Vec::with_capacity(lens.len());
    let mut at = 0usize;
    for &len in &lens {
        spans.push(Span {
            start: at as u32,
            len,
        });
        at += len as usize;
        if at > items.len() {
            return Err(bad("a pool's lists run past its items"));
        }
    }
    if at != items.len() {
        return Err(bad("a pool's lists do not add up to its items"));
    }
    Ok(Pool::from_parts(items, spans))
}

fn u32_pool(r: &mut Reader) -> Result<Pool<u32>, GroupgateError> {
    any_pool(r, 1, |_| true, |c| c[0])
}
