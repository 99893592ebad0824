//! [`FilePolicy::to_bytes`] / [`FilePolicy::from_bytes`]: a compiled policy
//! as a snapshot (kind `FPOL`, see [`crate::snapshot`]) that loads without
//! parsing any JSON or glob. Bytes from another format version, cut,
//! corrupt or not a snapshot at all are a [`GroupgateError`]; every count
//! and index read back is checked, so no bytes can make a check panic.

use std::collections::HashMap;

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
        w.u32(self.rules.len() as u32);
        for r in &self.rules {
            write_rule(r, &mut w);
        }
        let (start, list) = self.sources.parts();
        w.u32(start.len() as u32);
        start.iter().for_each(|&x| w.u32(x));
        w.u32(list.len() as u32);
        for s in list {
            w.u32(s.rule);
            w.u32(s.pattern);
        }
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
        let n = r.count(19)?;
        let mut rules = Vec::with_capacity(n);
        for _ in 0..n {
            let rule = read_rule(&mut r)?;
            if rule.group as usize >= groups.len() {
                return Err(bad("a rule's group is out of range"));
            }
            if !texts.holds(rule.patterns) {
                return Err(bad("a rule's patterns are out of range"));
            }
            rules.push(rule);
        }
        let start = r.u32s()?;
        let n = r.count(8)?;
        let mut list = Vec::with_capacity(n);
        for _ in 0..n {
            let s = Source {
                rule: r.u32()?,
                pattern: r.u32()?,
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

fn write_rule(r: &Rule, w: &mut Writer) {
    w.u32(r.group);
    w.u32(r.index);
    match &r.id {
        Some(id) => {
            w.u8(1);
            w.str(id);
        }
        None => w.u8(0),
    }
    w.u8(u8::from(r.effect == Effect::Deny));
    w.u8(r.actions);
    w.u32(r.patterns.first);
    w.u32(r.patterns.len);
    w.u32(r.notes.len() as u32);
    for n in &r.notes {
        w.str(&n.path);
        w.u8(NOTE_CODES.iter().position(|c| *c == n.code).unwrap_or(0) as u8);
        w.str(&n.message);
    }
}

fn read_rule(r: &mut Reader) -> Result<Rule, GroupgateError> {
    let group = r.u32()?;
    let index = r.u32()?;
    let id = if flag(r)? {
        Some(r.str()?.to_string())
    } else {
        None
    };
    let effect = if flag(r)? {
        Effect::Deny
    } else {
        Effect::Allow
    };
    let actions = r.u8()?;
    if actions > 0b1111 {
        return Err(bad("unknown actions"));
    }
    let patterns = Patterns {
        first: r.u32()?,
        len: r.u32()?,
    };
    let mut notes = Vec::new();
    for _ in 0..r.count(9)? {
        let path = r.str()?.to_string();
        let code = *NOTE_CODES
            .get(usize::from(r.u8()?))
            .ok_or_else(|| bad("an unknown lint code"))?;
        notes.push(Issue::new(path, code, r.str()?.to_string()));
    }
    Ok(Rule {
        group,
        index,
        id,
        effect,
        actions,
        patterns,
        notes,
    })
}
