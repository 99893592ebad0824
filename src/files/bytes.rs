//! [`FilePolicy::to_bytes`] / [`FilePolicy::from_bytes`]: a compiled policy
//! as a snapshot (kind `FPOL`, see [`crate::snapshot`]) that loads without
//! parsing any JSON or glob. Bytes from another format version, cut,
//! corrupt or not a snapshot at all are a [`GroupgateError`]; every count
//! and index read back is checked, so no bytes can make a check panic.

use std::collections::HashMap;

use super::extras::Extras;
use super::policy::{FilePolicy, Group, Rule};
use super::sources::{Source, Sources};
use super::texts::{Patterns, Texts};
use super::{Effect, PolicyOptions, ProjectVersion};
use crate::error::GroupgateError;
use crate::patterns::PatternSet;
use crate::permissions::GoRulesPerms;
use crate::snapshot::{self, bad, Reader, Writer};
use crate::verdict::Issue;

const KIND: &[u8; 4] = b"FPOL";
/// The format version; a change of layout bumps it.
const VERSION: u16 = 3;
/// The codes a rule's lint notes may carry (codes are static strings).
const NOTE_CODES: [&str; 3] = [
    "lint.trailing_slash",
    "lint.regex_syntax",
    "lint.comma_split",
];

impl FilePolicy {
    /// The compiled policy as bytes, for [`FilePolicy::from_bytes`].
    pub fn to_bytes(&self) -> Vec<u8> {
        let mut w = Writer::default();
        write_options(&self.options, &mut w);
        w.u32(self.groups.len() as u32);
        for g in &self.groups {
            w.str(&g.id);
            w.u8(u8::from(g.has_rules));
            let names: Vec<&str> = g.perms.names().collect();
            w.u32(names.len() as u32);
            names.iter().for_each(|n| w.str(n));
        }
        // Pattern texts: one string, then (at, source, canonical) lengths.
        let (text, spans) = self.texts.parts();
        w.str(text);
        let spans: Vec<[u32; 3]> = spans.collect();
        w.u32(spans.len() as u32 * 3);
        spans.iter().flatten().for_each(|&x| w.u32(x));
        write_rules(&self.rules, &self.extras, &mut w);
        let (start, list) = self.sources.parts();
        w.u32s(start);
        let pairs: Vec<u32> = list.iter().flat_map(|s| [s.rule, s.pattern]).collect();
        w.u32s(&pairs);
        self.set.write(&mut w);
        snapshot::seal(KIND, VERSION, &w.bytes)
    }

    /// Loads a policy saved by [`FilePolicy::to_bytes`] (of this format
    /// version). Errors: `snapshot.foreign`, `snapshot.version`,
    /// `snapshot.truncated`, `snapshot.corrupt`, at `/bytes`.
    pub fn from_bytes(bytes: &[u8]) -> Result<FilePolicy, GroupgateError> {
        let mut r = Reader::new(snapshot::open(KIND, VERSION, bytes)?);
        let options = read_options(&mut r)?;
        let n = r.count(9)?;
        let mut groups = Vec::with_capacity(n);
        let mut by_id = HashMap::with_capacity(n);
        for i in 0..n {
            let id = r.str()?.to_string();
            let has_rules = flag(&mut r)?;
            let mut perms = GoRulesPerms::EMPTY;
            for _ in 0..r.count(4)? {
                let bit = GoRulesPerms::of(r.str()?).ok_or_else(|| bad("an unknown permission"))?;
                perms = perms.union(bit);
            }
            if by_id.insert(id.clone(), i as u32).is_some() {
                return Err(bad("a group id appears twice"));
            }
            groups.push(Group {
                id,
                perms,
                has_rules,
            });
        }
        let texts = read_texts(&mut r)?;
        let (rules, extras) = read_rules(&mut r, groups.len(), &texts)?;
        let start = r.u32s()?;
        let pairs = r.u32s()?;
        let mut list = Vec::with_capacity(pairs.len() / 2);
        for s in pairs.chunks(2) {
            let s = match *s {
                [rule, pattern] => Source { rule, pattern },
                _ => return Err(bad("a pattern source is cut")),
            };
            let ok = rules
                .get(s.rule as usize)
                .is_some_and(|rule: &Rule| (s.pattern as usize) < rule.patterns.len());
            if !ok {
                return Err(bad("a pattern source is out of range"));
            }
            list.push(s);
        }
        let sources = Sources::from_parts(start, list)
            .ok_or_else(|| bad("the pattern sources are out of order"))?;
        let set = PatternSet::read(&mut r, sources.len() as u32)?;
        r.finish()?;
        Ok(FilePolicy {
            groups,
            by_id,
            rules,
            extras,
            sources,
            texts,
            set,
            options,
        })
    }
}

fn flag(r: &mut Reader) -> Result<bool, GroupgateError> {
    match r.u8()? {
        0 => Ok(false),
        1 => Ok(true),
        _ => Err(bad("a flag is neither 0 nor 1")),
    }
}

fn write_options(o: &PolicyOptions, w: &mut Writer) {
    w.u8(u8::from(o.case_insensitive));
    w.u8(match o.project_version {
        ProjectVersion::V1 => 1,
        ProjectVersion::V2 => 2,
    });
    w.limits(&o.limits);
}

fn read_options(r: &mut Reader) -> Result<PolicyOptions, GroupgateError> {
    let case_insensitive = flag(r)?;
    let project_version = match r.u8()? {
        1 => ProjectVersion::V1,
        2 => ProjectVersion::V2,
        _ => return Err(bad("an unknown project version")),
    };
    Ok(PolicyOptions {
        case_insensitive,
        project_version,
        limits: r.limits()?,
    })
}

/// Reads what `to_bytes` wrote for [`Texts`].
fn read_texts(r: &mut Reader) -> Result<Texts, GroupgateError> {
    let text = r.str()?.to_string();
    let spans = r.u32s()?;
    if spans.len() % 3 != 0 {
        return Err(bad("a pattern's text span is cut"));
    }
    Texts::from_parts(text, &spans).ok_or_else(|| bad("a pattern's text is out of range"))
}

/// `u32`s per rule in the rules array: group, index, first pattern,
/// pattern count, flags (bit 0 deny, bits 1..5 the actions).
const RULE: usize = 5;

/// The rules as one `u32` array, then the ids of the rules that have one
/// and the lint notes (few: most rules have neither), each by rule index.
fn write_rules(rules: &[Rule], extras: &Extras, w: &mut Writer) {
    let mut fixed = Vec::with_capacity(rules.len() * RULE);
    for r in rules {
        let flags = u32::from(r.effect == Effect::Deny) | u32::from(r.actions) << 1;
        fixed.extend_from_slice(&[r.group, r.index, r.patterns.first, r.patterns.len, flags]);
    }
    w.u32s(&fixed);
    w.u32(extras.ids().count() as u32);
    for (i, id) in extras.ids() {
        w.u32(i);
        w.str(id);
    }
    w.u32(extras.notes().count() as u32);
    for (i, n) in extras.notes() {
        w.u32(i);
        w.str(&n.path);
        w.u8(NOTE_CODES.iter().position(|c| *c == n.code).unwrap_or(0) as u8);
        w.str(&n.message);
    }
}

/// Reads what [`write_rules`] wrote, for `groups` groups and `texts`.
fn read_rules(
    r: &mut Reader,
    groups: usize,
    texts: &Texts,
) -> Result<(Vec<Rule>, Extras), GroupgateError> {
    let fixed = r.u32s()?;
    if !fixed.len().is_multiple_of(RULE) {
        return Err(bad("a rule is cut"));
    }
    let mut rules = Vec::with_capacity(fixed.len() / RULE);
    for f in fixed.chunks_exact(RULE) {
        let patterns = Patterns {
            first: f[2],
            len: f[3],
        };
        if f[0] as usize >= groups {
            return Err(bad("a rule's group is out of range"));
        }
        if !texts.holds(patterns) {
            return Err(bad("a rule's patterns are out of range"));
        }
        if f[4] > 0b1_1111 {
            return Err(bad("unknown actions"));
        }
        rules.push(Rule {
            group: f[0],
            index: f[1],
            effect: if f[4] & 1 == 1 {
                Effect::Deny
            } else {
                Effect::Allow
            },
            actions: (f[4] >> 1) as u8,
            patterns,
        });
    }
    // Ids, then notes, each at an increasing rule index (an id once).
    let mut extras = Extras::default();
    for _ in 0..r.count(8)? {
        let i = r.u32()?;
        let id = r.str()?.to_string();
        if i as usize >= rules.len() || !extras.set_id(i, id) {
            return Err(bad("a rule id is out of place"));
        }
    }
    for _ in 0..r.count(13)? {
        let i = r.u32()?;
        let path = r.str()?.to_string();
        let code = *NOTE_CODES
            .get(usize::from(r.u8()?))
            .ok_or_else(|| bad("an unknown lint code"))?;
        let message = r.str()?.to_string();
        if i as usize >= rules.len() || !extras.add_note(i, Issue::new(path, code, message)) {
            return Err(bad("a lint note is out of place"));
        }
    }
    Ok((rules, extras))
}
