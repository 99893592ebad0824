//! `Workspace::to_bytes` / `Workspace::from_bytes`: the workspace as a
//! versioned, checksummed snapshot (the shared envelope of
//! [`crate::snapshot`], kind `WKSP`).
//!
//! Format version 4 stores the loaded form itself (issue 17), as arrays of
//! little-endian words that a load reads in one pass: the string arena, the
//! flat group / model / limit / key records, the id and slug indexes (with
//! the id hashes), the tree links and the per-group pools (keys, own
//! limits, effective models, descendant maxima). Children are not stored:
//! they are rebuilt from the parent links in one counting pass, which costs
//! what checking stored ones would. A load checks what a later call relies
//! on to stay in bounds and to end (`bytes_check`): every index that
//! addresses an array, and tree links that climb one level at a time. The
//! derived data (orders, names, effective models) is trusted to the
//! checksum (README, Baseten: a snapshot is an artifact you produced).
//! Versions 1 (the state only), 2 (the same form, decoded record by
//! record and checked in full: ≈ 7 ms at 10,000 groups in Node) and 3
//! (whose effective bounds also held every inherited limit of a slug that
//! is not effective, children × inherited limits: issue 11) are refused
//! with `snapshot.version`: take the snapshot again.
//!
//! The state is stored compacted (its strings, models and limits in
//! record order, as `State::compact` lays them out), so a span is stored
//! as its length alone (`u32::MAX`: absent) and a load lays the spans out
//! again with running cursors.
//!
//! Payload (integers little-endian): limits (6 × u64) · text (length,
//! UTF-8 bytes) · then arrays, each a byte length and that many bytes of
//! u32 words: slugs (1 word: length), keys (3: prefix, group, name
//! lengths), groups (7: id, name, ext, workspace and parent lengths, model
//! count, flags), models (3: slug, rate and usage list lengths), limits (3:
//! type | unit << 8, threshold low, high), slug order, id order, id hashes
//! (2: low, high), parents, levels, then the pools keys, own slugs, own
//! limits (4 words an item: slug, key, threshold low, high), effective
//! slugs, effective bounds and descendant maxima (5: slug, key, threshold
//! low, high, source), each pool as its items (list after list, in group
//! order) and each list's length.

use super::bytes_check;
use super::effective::{Bound, LimitKey, SlugKey};
use super::model::{Limit, LimitKind, LimitType, LimitUnit};
use super::store::{GroupRec, KeyRec, ModelRec, Pool, Span, State, Text, NONE};
use super::tree::{group_lists, Workspace};
use crate::error::GroupgateError;
use crate::snapshot::{bad, open, Reader, Writer};

const KIND: &[u8; 4] = b"WKSP";
const VERSION: u16 = 4;

/// An array of `n` records, each written by `f` as words.
fn words(w: &mut Writer, n: usize, each: usize, mut f: impl FnMut(usize, &mut Vec<u32>)) {
    let mut v = Vec::with_capacity(n * each);
    for i in 0..n {
        f(i, &mut v);
    }
    list(w, &v);
}

/// A `u32` array as one length-prefixed blob of little-endian words (so
/// that a load reads records straight from the payload).
fn list(w: &mut Writer, v: &[u32]) {
    let blob: Vec<u8> = v.iter().flat_map(|x| x.to_le_bytes()).collect();
    w.bytes(&blob);
}

/// A span's length, `NONE` for an absent one (its start is implied).
fn len(s: Span) -> u32 {
    if s.is_none() {
        NONE
    } else {
        s.len
    }
}

/// Where the next span of an array starts, as a load lays them out again.
struct Cursor(u32);

impl Cursor {
    #[inline(always)]
    fn next(&mut self, len: u32) -> Span {
        if len == NONE {
            return Span::NONE;
        }
        let start = self.0;
        self.0 = start.wrapping_add(len);
        Span { start, len }
    }
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
        let mut w = Writer::enveloped();
        // Compacted, the state's strings, models and limits lie in record
        // order, so each span is stored as its length alone.
        let mut st = self.st.clone();
        st.compact();
        let st = &st;
        w.limits(&self.limits);
        w.str(&st.text.buf);
        words(&mut w, st.slugs.len(), 1, |i, v| v.push(len(st.slugs[i])));
        words(&mut w, st.keys.len(), 3, |i, v| {
            let k = &st.keys[i];
            v.extend([k.prefix, k.group, k.name].map(len));
        });
        words(&mut w, st.groups.len(), 7, |i, v| {
            let g = &st.groups[i];
            v.extend([g.id, g.name, g.ext, g.ws, g.parent, g.models].map(len));
            v.push(u32::from(g.flags));
        });
        words(&mut w, st.models.len(), 3, |i, v| {
            let m = &st.models[i];
            v.extend([m.slug, len(m.rate), len(m.usage)]);
        });
        words(&mut w, st.limits.len(), 3, |i, v| {
            let l = &st.limits[i];
            v.push(l.limit_type as u32 | (l.unit as u32) << 8);
            v.extend([l.threshold as u32, (l.threshold >> 32) as u32]);
        });
        list(&mut w, &st.slug_order);
        list(&mut w, &self.by_id);
        words(&mut w, self.id_hash.len(), 2, |i, v| {
            v.extend([self.id_hash[i] as u32, (self.id_hash[i] >> 32) as u32]);
        });
        list(&mut w, &self.parent);
        list(&mut w, &self.level);
        for p in [&self.keys_of, &self.own_slugs] {
            pool(&mut w, p, 1, |&x, v| v.push(x));
        }
        pool(&mut w, &self.own, 4, |((s, k), t), v| {
            v.extend([*s, u32::from(k.byte()), *t as u32, (*t >> 32) as u32]);
        });
        pool(&mut w, &self.eff_slugs, 1, |&x, v| v.push(x));
        pool(&mut w, &self.eff, 5, bound_words);
        pool(&mut w, &self.below, 5, bound_words);
        w.seal(KIND, VERSION)
    }

    /// Loads a workspace from [`Workspace::to_bytes`] output. Foreign,
    /// truncated, corrupt or other-version bytes are a [`GroupgateError`]
    /// (`snapshot.*` at `/bytes`); every index a later call follows is
    /// checked before the workspace answers anything.
    pub fn from_bytes(bytes: &[u8]) -> Result<Workspace, GroupgateError> {
        let mut r = Reader::new(open(KIND, VERSION, bytes)?);
        let limits = r.limits()?;
        let text = r.str()?.to_string();
        // Spans from lengths: the text, models and limits are read in the
        // order `to_bytes` laid them out (a forged length only misplaces a
        // span; every span is read through a total accessor).
        let mut t = Cursor(0);
        let slugs = records(&mut r, |c: &[u8; 4]| t.next(at(c, 0)))?;
        let keys = records(&mut r, |c: &[u8; 12]| KeyRec {
            prefix: t.next(at(c, 0)),
            group: t.next(at(c, 1)),
            name: t.next(at(c, 2)),
        })?;
        let (mut m, mut l) = (Cursor(0), Cursor(0));
        let groups = records(&mut r, |c: &[u8; 28]| GroupRec {
            id: t.next(at(c, 0)),
            name: t.next(at(c, 1)),
            ext: t.next(at(c, 2)),
            ws: t.next(at(c, 3)),
            parent: t.next(at(c, 4)),
            models: m.next(at(c, 5)),
            // Two flag bits; other bits are dropped (the checksum guards them).
            flags: (at(c, 6) & 3) as u8,
        })?;
        let models = records(&mut r, |c: &[u8; 12]| ModelRec {
            slug: at(c, 0),
            rate: l.next(at(c, 1)),
            usage: l.next(at(c, 2)),
        })?;
        let limits_list = records(&mut r, limit)?;
        let st = State {
            text: Text { buf: text },
            groups,
            models,
            limits: limits_list
                .into_iter()
                .collect::<Option<_>>()
                .ok_or_else(|| bad("a limit's type or unit is out of range"))?,
            keys,
            slugs,
            slug_order: u32s(&mut r)?,
            slug_hash: Vec::new(),
            reading: None,
            dead: 0,
        };
        let mut ws = Workspace {
            limits,
            st,
            by_id: u32s(&mut r)?,
            id_hash: records(&mut r, |c: &[u8; 8]| wide(at(c, 0), at(c, 1)))?,
            parent: u32s(&mut r)?,
            level: u32s(&mut r)?,
            children: Pool::default(),
            keys_of: u32_pool(&mut r)?,
            own_slugs: u32_pool(&mut r)?,
            own: pool_of(&mut r, |c: &[u8; 16]| {
                ((at(c, 0), key(at(c, 1))), wide(at(c, 2), at(c, 3)))
            })?,
            eff_slugs: u32_pool(&mut r)?,
            eff: pool_of(&mut r, bound)?,
            below: pool_of(&mut r, bound)?,
        };
        r.finish()?;
        bytes_check::check(&ws)?;
        // Checked links: each live group's parent is in range.
        let n = ws.st.groups.len();
        ws.children = group_lists(n, &ws.parent);
        ws.st.hash_slug_order();
        Ok(ws)
    }
}

#[inline(always)]
fn wide(lo: u32, hi: u32) -> u64 {
    u64::from(lo) | u64::from(hi) << 32
}

/// A limit record; `None` when no enum names its type or unit.
#[inline(always)]
fn limit(c: &[u8; 12]) -> Option<Limit> {
    let tu = at(c, 0);
    let t = LimitType::TABLE.get((tu & 0xff) as usize)?;
    let u = LimitUnit::TABLE.get((tu >> 8) as usize)?;
    Some(Limit {
        limit_type: t.1,
        unit: u.1,
        threshold: wide(at(c, 1), at(c, 2)),
    })
}

/// A packed limit key; a byte no key has reads as the first key (the
/// checksum guards the values; this keeps any forged one in bounds).
#[inline(always)]
fn key(x: u32) -> LimitKey {
    u8::try_from(x)
        .ok()
        .and_then(LimitKey::from_byte)
        .unwrap_or_else(|| LimitKey::new(LimitKind::Rate, LimitType::Token, LimitUnit::Second))
}

#[inline(always)]
fn bound(c: &[u8; 20]) -> (SlugKey, Bound) {
    let b = Bound {
        threshold: wide(at(c, 2), at(c, 3)),
        source: at(c, 4),
    };
    ((at(c, 0), key(at(c, 1))), b)
}

/// Word `k` of a record (little-endian; one load once inlined).
#[inline(always)]
fn at<const B: usize>(c: &[u8; B], k: usize) -> u32 {
    u32::from_le_bytes([c[4 * k], c[4 * k + 1], c[4 * k + 2], c[4 * k + 3]])
}

/// An array of `B`-byte records, decoded by `f` straight from the payload.
#[inline(always)]
fn records<const B: usize, T>(
    r: &mut Reader,
    f: impl FnMut(&[u8; B]) -> T,
) -> Result<Vec<T>, GroupgateError> {
    let (recs, rest) = r.bytes()?.as_chunks::<B>();
    if !rest.is_empty() {
        return Err(bad("an array does not hold whole records"));
    }
    Ok(recs.iter().map(f).collect())
}

/// A `u32` array, copied in bulk.
fn u32s(r: &mut Reader) -> Result<Vec<u32>, GroupgateError> {
    let raw = r.bytes()?;
    if raw.len() % 4 != 0 {
        return Err(bad("an array does not hold whole words"));
    }
    let mut out = vec![0u32; raw.len() / 4];
    bytemuck::cast_slice_mut::<u32, u8>(&mut out).copy_from_slice(raw);
    if cfg!(target_endian = "big") {
        out.iter_mut().for_each(|x| *x = u32::from_le(*x));
    }
    Ok(out)
}

/// A pool from its items and each list's length (the lists follow one
/// another; their total must be the item count, so every list is in range).
fn lists<T: Copy>(items: Vec<T>, lens: Vec<u32>) -> Result<Pool<T>, GroupgateError> {
    let mut at = 0u64;
    let spans = lens
        .iter()
        .map(|&len| {
            let start = at as u32;
            at += u64::from(len);
            Span { start, len }
        })
        .collect();
    if at != items.len() as u64 {
        return Err(bad("a pool's lists do not add up to its items"));
    }
    Ok(Pool::from_parts(items, spans))
}

fn pool_of<const B: usize, T: Copy>(
    r: &mut Reader,
    f: impl Fn(&[u8; B]) -> T,
) -> Result<Pool<T>, GroupgateError> {
    let items = records(r, f)?;
    lists(items, u32s(r)?)
}

fn u32_pool(r: &mut Reader) -> Result<Pool<u32>, GroupgateError> {
    let items = u32s(r)?;
    lists(items, u32s(r)?)
}
