//! The fast path of [`super::Workspace::from_json_text`]: the state read
//! straight from JSON text into the compact form ([`State`]), with no
//! `Value` tree and no typed decoding (issue 17).
//!
//! It accepts exactly what the detailed reader (`read`) accepts without an
//! issue, and gives up (`None`) on anything else — malformed JSON, a wrong
//! type, a bad enum, slug or threshold, a duplicate member, an over-long
//! string, a deep unknown value, or an escape it would have to judge — so
//! that every error is found and worded by that one reader. Giving up costs
//! time only, never an answer (`fast_and_detailed_readers_agree` and the
//! workspace fuzz target hold the two to it).

use super::model::{self, is_slug, Enforcement, Limit, LimitKind, LimitType, LimitUnit};
use super::store::{flags, GroupRec, KeyRec, ModelRec, Span, State};
use crate::json::read::near_miss;
use crate::json::scan::{self, Lex, Str};
use crate::limits::Limits;

/// The largest threshold this scanner reads itself (16 digits, no
/// overflow check); a larger one, up to 2^63 - 1, or any other number form
/// goes to the detailed reader (`json::read`), which decides it.
const SAFE: u64 = (1 << 53) - 1;

/// The state of `text`, or `None` when the detailed reader must judge it.
pub(super) fn read(text: &str, limits: Limits) -> Option<State> {
    let mut s = Scan {
        lx: Lex::new(text),
        st: State::reading(),
        max: limits.max_string_bytes,
        lister: Vec::new(),
    };
    // Sized from the text (a group takes ≈ 300 bytes of it), so that the
    // arrays rarely grow while read.
    let n = text.len();
    s.st.text.buf.reserve(n / 4);
    s.st.groups.reserve(n / 512);
    s.st.keys.reserve(n / 512);
    s.st.models.reserve(n / 128);
    s.st.limits.reserve(n / 256);
    s.state(limits.max_groups)?;
    Some(s.st)
}

/// The lexer (its steps and position, through `Deref`) with the state
/// being read.
struct Scan<'a> {
    lx: Lex<'a>,
    st: State,
    max: usize,
    /// By slug id: 1 + the group that last listed it (0: none yet).
    lister: Vec<u32>,
}

impl<'a> std::ops::Deref for Scan<'a> {
    type Target = Lex<'a>;
    fn deref(&self) -> &Lex<'a> {
        &self.lx
    }
}

impl<'a> AsMut<Lex<'a>> for Scan<'a> {
    fn as_mut(&mut self) -> &mut Lex<'a> {
        &mut self.lx
    }
}

impl std::ops::DerefMut for Scan<'_> {
    fn deref_mut(&mut self) -> &mut Self::Target {
        &mut self.lx
    }
}

/// Which members of an object were seen (a repeated one gives up).
struct Seen(u32);

impl Seen {
    fn first(&mut self, bit: usize) -> Option<()> {
        let m = 1u32 << bit;
        let fresh = self.0 & m == 0;
        self.0 |= m;
        fresh.then_some(())
    }
}

impl<'a> Scan<'a> {
    /// A string within `max_string_bytes`, into the arena.
    fn text(&mut self) -> Option<Span> {
        let s = self.string()?;
        let v: &str = match s {
            Str::Src(a, b) => self.lx.src.get(a..b).unwrap_or_default(),
            Str::Buf => &self.lx.buf,
        };
        if v.len() > self.max {
            return None;
        }
        Some(self.st.text.push(v))
    }
    /// A string or `null` (absent).
    fn opt_text(&mut self) -> Option<Span> {
        if self.null()? {
            return Some(Span::NONE);
        }
        self.text()
    }
    /// One of `table`'s names.
    fn enumerated<T: Copy>(&mut self, table: &[(&str, T)]) -> Option<T> {
        let s = self.string()?;
        let v = self.get(s);
        table.iter().find(|(n, _)| *n == v).map(|(_, t)| *t)
    }
    /// A threshold: a plain integer from 0 to [`SAFE`] (else `None`: the
    /// detailed reader's).
    fn threshold(&mut self) -> Option<u64> {
        self.peek()?;
        let start = self.at;
        let mut n: u64 = 0;
        while let Some(&c) = self.b.get(self.at).filter(|c| c.is_ascii_digit()) {
            // At most 16 digits (checked below): no overflow.
            n = n.wrapping_mul(10).wrapping_add(u64::from(c - b'0'));
            self.at += 1;
        }
        let len = self.at - start;
        let leading_zero = len > 1 && self.b[start] == b'0';
        let fraction = matches!(self.b.get(self.at), Some(b'.' | b'e' | b'E'));
        (len > 0 && len <= 16 && !leading_zero && !fraction && n <= SAFE).then_some(n)
    }

    /// The members of an object whose `{` was read: `f` reads each value
    /// after its key (the key is in `Str`).
    fn members(&mut self, f: impl FnMut(&mut Self, Str) -> Option<()>) -> Option<()> {
        scan::members(self, f)
    }
    /// The items of an array whose `[` was read.
    fn items(&mut self, f: impl FnMut(&mut Self) -> Option<()>) -> Option<()> {
        scan::items(self, f)
    }
    /// Skips a member the reader does not read, and gives up on a near
    /// miss of one it does (`workspaceId`): the `Value` reader refuses it
    /// at its pointer.
    fn unknown(&mut self, k: Str, known: &[&str]) -> Option<()> {
        if near_miss(self.get(k), known).is_some() {
            return None;
        }
        self.skip(1)
    }
    /// An object: `{` then its members.
    fn object(&mut self, f: impl FnMut(&mut Self, Str) -> Option<()>) -> Option<()> {
        self.eat(b'{')?;
        self.members(f)
    }
    /// An array: `[` then its items.
    fn array(&mut self, f: impl FnMut(&mut Self) -> Option<()>) -> Option<()> {
        self.eat(b'[')?;
        self.items(f)
    }

    /// `{groups, keys?}` and nothing after it.
    fn state(&mut self, max_groups: usize) -> Option<()> {
        let mut seen = Seen(0);
        self.object(|s, k| match s.raw(k) {
            b"groups" => {
                seen.first(0)?;
                s.array(|s| s.group())?;
                (s.st.groups.len() <= max_groups).then_some(())
            }
            b"keys" => {
                seen.first(1)?;
                if s.null()? {
                    return Some(());
                }
                s.array(|s| s.key())
            }
            _ => s.unknown(k, &model::STATE_MEMBERS),
        })?;
        (seen.0 & 1 != 0 && self.peek().is_none()).then_some(())
    }

    fn group(&mut self) -> Option<()> {
        let mut g = GroupRec {
            id: Span::NONE,
            name: Span::NONE,
            ext: Span::NONE,
            ws: Span::NONE,
            parent: Span::NONE,
            models: Span::default(),
            flags: 0,
        };
        let (mut mode, mut deleted) = (None, false);
        let mut seen = Seen(0);
        g.models.start = self.st.models.len() as u32;
        self.object(|s, k| match s.raw(k) {
            b"id" => {
                seen.first(0)?;
                g.id = s.text().filter(|id| id.len > 0)?;
                Some(())
            }
            b"metadata" => {
                seen.first(1)?;
                (g.name, g.ext) = s.metadata()?;
                Some(())
            }
            b"models" => {
                seen.first(2)?;
                if !s.null()? {
                    g.models.len = s.models()?;
                }
                Some(())
            }
            b"hierarchy" => {
                seen.first(3)?;
                (mode, g.parent) = s.hierarchy()?;
                Some(())
            }
            b"workspace_id" => {
                seen.first(4)?;
                g.ws = s.opt_text()?;
                Some(())
            }
            b"deleted" => {
                seen.first(5)?;
                deleted = match s.peek()? {
                    b't' => s.literal(b"true").map(|_| true)?,
                    b'f' => s.literal(b"false").map(|_| false)?,
                    _ => s.literal(b"null").map(|_| false)?,
                };
                Some(())
            }
            _ => s.unknown(k, &model::GROUP_MEMBERS),
        })?;
        if g.id.is_none() || g.ext.is_none() {
            return None;
        }
        g.flags = flags(deleted, mode?);
        self.st.groups.push(g);
        Some(())
    }

    /// `{name?, external_entity_id}`.
    fn metadata(&mut self) -> Option<(Span, Span)> {
        let (mut name, mut ext) = (Span::NONE, Span::NONE);
        let mut seen = Seen(0);
        self.object(|s, k| match s.raw(k) {
            b"name" => {
                seen.first(0)?;
                name = s.opt_text()?;
                Some(())
            }
            b"external_entity_id" => {
                seen.first(1)?;
                ext = s.text()?;
                Some(())
            }
            _ => s.unknown(k, &model::METADATA_MEMBERS),
        })?;
        Some((name, ext))
    }

    /// `{limit_enforcement, parent_group_id?}`.
    fn hierarchy(&mut self) -> Option<(Option<Enforcement>, Span)> {
        let (mut mode, mut parent) = (None, Span::NONE);
        let mut seen = Seen(0);
        self.object(|s, k| match s.raw(k) {
            b"limit_enforcement" => {
                seen.first(0)?;
                mode = Some(s.enumerated(Enforcement::TABLE)?);
                Some(())
            }
            b"parent_group_id" => {
                seen.first(1)?;
                parent = s.opt_text()?;
                Some(())
            }
            _ => s.unknown(k, &model::HIERARCHY_MEMBERS),
        })?;
        Some((Some(mode?), parent))
    }

    /// A group's `models`: appended to the state; returns how many.
    fn models(&mut self) -> Option<u32> {
        let first = self.st.models.len();
        // Duplicates: each slug's last lister (a group may list 100,000
        // models; a scan was quadratic, a set a group cost a hash table a
        // group and a hash a model).
        let mark = self.st.groups.len() as u32 + 1;
        self.array(|s| {
            let m = s.model()?;
            let at = m.slug as usize;
            if at >= s.lister.len() {
                // Doubled, not one slug at a time (a million new slugs).
                s.lister.resize(2 * s.st.slugs.len(), 0);
            }
            let last = s.lister.get_mut(at)?;
            if *last == mark {
                return None;
            }
            *last = mark;
            s.st.models.push(m);
            Some(())
        })?;
        Some((self.st.models.len() - first) as u32)
    }

    /// `{slug, rate_limits?, usage_limits?}`.
    fn model(&mut self) -> Option<ModelRec> {
        let mut m = ModelRec {
            slug: u32::MAX,
            rate: Span::NONE,
            usage: Span::NONE,
        };
        let mut seen = Seen(0);
        self.object(|s, k| match s.raw(k) {
            b"slug" => {
                seen.first(0)?;
                let v = s.string()?;
                let slug: &str = match v {
                    Str::Src(a, b) => s.lx.src.get(a..b).unwrap_or_default(),
                    Str::Buf => &s.lx.buf,
                };
                // A slug seen before was checked then.
                let max = s.max;
                m.slug = s.st.intern_if(slug, |x| x.len() <= max && is_slug(x))?;
                Some(())
            }
            b"rate_limits" => {
                seen.first(1)?;
                m.rate = s.limits(LimitKind::Rate)?;
                Some(())
            }
            b"usage_limits" => {
                seen.first(2)?;
                m.usage = s.limits(LimitKind::Usage)?;
                Some(())
            }
            _ => s.skip(1),
        })?;
        (m.slug != u32::MAX).then_some(m)
    }

    /// A limit list of `kind` (`null`: not given).
    fn limits(&mut self, kind: LimitKind) -> Option<Span> {
        if self.null()? {
            return Some(Span::NONE);
        }
        let start = self.st.limits.len();
        self.array(|s| {
            let l = s.limit(kind)?;
            // Rate limits: one per type; usage limits: one per (type, unit).
            let dup = s.st.limits[start..].iter().any(|x| {
                x.limit_type == l.limit_type && (kind == LimitKind::Rate || x.unit == l.unit)
            });
            if dup {
                return None;
            }
            s.st.limits.push(l);
            Some(())
        })?;
        Some(Span {
            start: start as u32,
            len: (self.st.limits.len() - start) as u32,
        })
    }

    /// `{type, unit, threshold}`.
    fn limit(&mut self, kind: LimitKind) -> Option<Limit> {
        let start = self.at;
        if let Some(l) = self.plain_limit(kind) {
            return Some(l);
        }
        self.at = start;
        let (mut t, mut u, mut n) = (None, None, None);
        let mut seen = Seen(0);
        self.object(|s, k| match s.raw(k) {
            b"type" => {
                seen.first(0)?;
                t = Some(s.enumerated(LimitType::TABLE)?);
                Some(())
            }
            b"unit" => {
                seen.first(1)?;
                u = Some(s.enumerated::<LimitUnit>(kind.units())?);
                Some(())
            }
            b"threshold" => {
                seen.first(2)?;
                n = Some(s.threshold()?);
                Some(())
            }
            _ => s.skip(1),
        })?;
        Some(Limit {
            limit_type: t?,
            unit: u?,
            threshold: n?,
        })
    }

    /// A limit as `JSON.stringify` writes one, `{"type":"…","unit":"…",
    /// "threshold":N}`, read without the member matcher (a million models
    /// may each have one); `None` on any other form, which [`Scan::limit`]
    /// then reads from the start (this form it would accept alike).
    fn plain_limit(&mut self, kind: LimitKind) -> Option<Limit> {
        self.peek()?;
        self.literal(b"{\"type\":\"")?;
        let limit_type = self.name(LimitType::TABLE)?;
        self.literal(b",\"unit\":\"")?;
        let unit = self.name(kind.units())?;
        self.literal(b",\"threshold\":")?;
        let threshold = self.threshold()?;
        self.literal(b"}")?;
        Some(Limit {
            limit_type,
            unit,
            threshold,
        })
    }
    /// One of `table`'s names and the quote that closes it.
    fn name<T: Copy>(&mut self, table: &[(&str, T)]) -> Option<T> {
        let rest = self.b.get(self.at..)?;
        let (n, t) = table
            .iter()
            .find(|(n, _)| rest.get(n.len()) == Some(&b'"') && rest.starts_with(n.as_bytes()))?;
        self.at += n.len() + 1;
        Some(*t)
    }

    /// `{prefix, group_id, name?}`.
    fn key(&mut self) -> Option<()> {
        let (mut prefix, mut group, mut name) = (Span::NONE, Span::NONE, Span::NONE);
        let mut seen = Seen(0);
        self.object(|s, k| match s.raw(k) {
            b"prefix" => {
                seen.first(0)?;
                prefix = s.text().filter(|p| p.len > 0)?;
                Some(())
            }
            b"group_id" => {
                seen.first(1)?;
                group = s.text()?;
                Some(())
            }
            b"name" => {
                seen.first(2)?;
                name = s.opt_text()?;
                Some(())
            }
            _ => s.unknown(k, &model::KEY_MEMBERS),
        })?;
        if prefix.is_none() || group.is_none() {
            return None;
        }
        self.st.keys.push(KeyRec {
            prefix,
            group,
            name,
        });
        Some(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn gives_up_on_what_the_detailed_reader_must_judge() {
        let ok = r#"{"groups":[{"id":"a","metadata":{"external_entity_id":"e"},"hierarchy":{"limit_enforcement":"CASCADING"}}]}"#;
        assert!(read(ok, Limits::DEFAULT).is_some());
        for bad in [
            ok.replace("\"a\"", "\"\""),
            ok.replace("CASCADING", "cascading"),
            ok.replace("\"e\"", "null"),
            ok.replace("}]}", "},]}"),
            format!("{ok} 1"),
        ] {
            assert!(read(&bad, Limits::DEFAULT).is_none(), "{bad}");
        }
    }

    #[test]
    fn a_plain_limit_reads_as_any_other_form() {
        // The form `plain_limit` reads and forms just off it (order,
        // spacing, an escape, a longer name, a wrong unit, a fraction, a
        // member more or twice): the same limit, or the same giving up.
        for (limit, want) in [
            (r#"{"type":"TOKEN","unit":"MINUTE","threshold":5}"#, Some(5)),
            (r#"{"unit":"MINUTE","type":"TOKEN","threshold":6}"#, Some(6)),
            (
                r#" { "type":"TOKEN","unit":"MINUTE","threshold": 7 }"#,
                Some(7),
            ),
            (
                r#"{"type":"TOK\u0045N","unit":"MINUTE","threshold":8}"#,
                Some(8),
            ),
            (
                r#"{"type":"TOKEN","unit":"MINUTE","threshold":9,"x":1}"#,
                Some(9),
            ),
            (r#"{"type":"TOKENS","unit":"MINUTE","threshold":5}"#, None),
            (r#"{"type":"TOKEN","unit":"MINUTES","threshold":5}"#, None),
            (r#"{"type":"TOKEN","unit":"DAY","threshold":5}"#, None),
            (r#"{"type":"TOKEN","unit":"MINUTE","threshold":5.0}"#, None),
            (
                r#"{"type":"TOKEN","unit":"MINUTE","threshold":5,"unit":"MINUTE"}"#,
                None,
            ),
            (r#"{"type":"TOKEN","unit":"MINUTE"}"#, None),
        ] {
            let text = format!(
                r#"{{"groups":[{{"id":"a","metadata":{{"external_entity_id":"e"}},"models":[{{"slug":"a/b","rate_limits":[{limit}]}}],"hierarchy":{{"limit_enforcement":"CASCADING"}}}}]}}"#
            );
            let want = want.map(|threshold| {
                vec![Limit {
                    limit_type: LimitType::Token,
                    unit: LimitUnit::Minute,
                    threshold,
                }]
            });
            assert_eq!(
                read(&text, Limits::DEFAULT).map(|st| st.limits),
                want,
                "{limit}"
            );
        }
    }
}
