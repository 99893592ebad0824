//! [`FilePolicy::to_bytes`] / [`FilePolicy::from_bytes`]: a compiled policy
//! as a snapshot (kind `FPOL`, see [`crate::snapshot`]) that loads without
//! parsing any JSON or glob. Bytes from another format version, cut,
//! corrupt or not a snapshot at all are a [`GroupgateError`]; every count
//! and index read back is checked, so no bytes can make a check panic.

use crate::keyed::HashMap;

use super::extras::{Extras, Kept};
use super::keys;
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
/// The format version; a change of layout bumps it (4: arrays padded to
/// four bytes, trie entries without their key prefixes, spans of texts
/// stored once, the options hold `maxMatchWork` and `maxAutomatonStates`;
/// 5: a bucket of suffixes in the order a check's binary search reads;
/// 6: the same layout, compiled with a `.` alternative of a whole segment
/// dropped as a `.` segment (session 37): a version 5 snapshot of a deny
/// `{.,tmp}/x` holds one that does not deny `x`, so it is refused).
const VERSION: u16 = 6;
/// The codes a rule's lint notes may carry (codes are static strings).
const NOTE_CODES: [&str; 3] = [
    "lint.trailing_slash",
    "lint.regex_syntax",
    "lint.comma_split",
];

impl FilePolicy {
    /// The compiled policy as bytes, for [`FilePolicy::from_bytes`].
    pub fn to_bytes(&self) -> Vec<u8> {
        let mut w = Writer::enveloped();
        write_options(&self.options, &mut w);
        w.u32(self.groups.len() as u32);
        for g in &self.groups {
            w.str(&g.id);
            w.u8(u8::from(g.has_rules));
            let names: Vec<&str> = g.perms.names().collect();
            w.u32(names.len() as u32);
            names.iter().for_each(|n| w.str(n));
        }
        // Pattern texts: one string, then the spans.
        let (text, spans) = self.texts.parts();
        w.str(text);
        w.words(&spans);
        write_rules(self, &mut w);
        let (start, list) = self.sources.parts();
        w.u32s(start);
        let pairs: Vec<[u32; 2]> = list.iter().map(|s| [s.rule, s.pattern]).collect();
        w.words(&pairs);
        self.set.write(&mut w);
        w.seal(KIND, VERSION)
    }

    /// Loads a policy saved by [`FilePolicy::to_bytes`] (of this format
    /// version). Errors: `snapshot.foreign`, `snapshot.version`,
    /// `snapshot.truncated`, `snapshot.corrupt`, at `/bytes`.
    ///
    /// Each array is read and checked by a function of its own, out of
    /// line: a WASM engine compiles a function that loops long with its
    /// optimizing tier, in the background, and a first load in a fresh
    /// process paid 16 ms CPU for this function with every step inlined.
    pub fn from_bytes(bytes: &[u8]) -> Result<FilePolicy, GroupgateError> {
        let mut r = Reader::new(snapshot::open(KIND, VERSION, bytes)?);
        let options = read_options(&mut r)?;
        let (groups, by_id) = read_groups(&mut r)?;
        let texts = read_texts(&mut r)?;
        let (rules, extras) = read_rules(&mut r, groups.len(), &texts)?;
        let sources = read_sources(&mut r, &rules, &texts)?;
        let set = PatternSet::read(&mut r, sources.len() as u32)?;
        r.finish()?;
        let mut policy = FilePolicy {
            groups,
            by_id,
            rules,
            extras,
            sources,
            texts,
            set,
            options,
        };
        policy.narrow();
        Ok(policy)
    }
}

type Groups = (Vec<Group>, HashMap<String, u32>);

#[inline(never)]
fn read_groups(r: &mut Reader) -> Result<Groups, GroupgateError> {
    let n = r.count(9)?;
    let mut groups = Vec::with_capacity(n);
    let mut by_id = crate::keyed::with_capacity(n);
    for i in 0..n {
        let id = r.str()?.to_string();
        let has_rules = flag(r)?;
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
    Ok((groups, by_id))
}

/// Reads the sources of the pattern set's globs, each a pattern of one of
/// `rules` (their texts: `texts`).
#[inline(never)]
fn read_sources(r: &mut Reader, rules: &[Rule], texts: &Texts) -> Result<Sources, GroupgateError> {
    let start = r.u32s()?;
    let pairs = r.words::<2>()?;
    let in_range = |&[rule, pattern]: &[u32; 2]| {
        rules
            .get(rule as usize)
            .is_some_and(|rule: &Rule| pattern < rule.patterns.len)
    };
    if !pairs.iter().all(in_range) {
        return Err(bad("a pattern source is out of range"));
    }
    let list = pairs
        .iter()
        .map(|&[rule, pattern]| Source { rule, pattern });
    let (key, dominated) = keys(rules, texts);
    Sources::from_parts(start, list.collect(), key, dominated)
        .ok_or_else(|| bad("the pattern sources are out of order"))
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
    w.u64(o.limits.max_match_work as u64);
    w.u64(o.limits.max_automaton_states as u64);
}

fn read_options(r: &mut Reader) -> Result<PolicyOptions, GroupgateError> {
    let case_insensitive = flag(r)?;
    let project_version = match r.u8()? {
        1 => ProjectVersion::V1,
        2 => ProjectVersion::V2,
        _ => return Err(bad("an unknown project version")),
    };
    let mut limits = r.limits()?;
    limits.max_match_work = usize::try_from(r.u64()?).unwrap_or(usize::MAX);
    // Kept so a reloaded policy reports the limit it was built under.
    limits.max_automaton_states = usize::try_from(r.u64()?).unwrap_or(usize::MAX);
    Ok(PolicyOptions {
        case_insensitive,
        project_version,
        limits,
    })
}

/// Reads what `to_bytes` wrote for [`Texts`].
#[inline(never)]
fn read_texts(r: &mut Reader) -> Result<Texts, GroupgateError> {
    let text = r.str()?.to_string();
    let spans = r.words()?;
    Texts::from_parts(text, &spans).ok_or_else(|| bad("a pattern's text is out of range"))
}

/// `u32`s per rule in the rules array: group, index, first pattern,
/// pattern count, flags (bit 0 deny, bits 1..5 the actions).
const RULE: usize = 5;

/// The rules as one `u32` array, then the ids of the rules that have one
/// and the lint notes (few: most rules have neither), each by rule index.
fn write_rules(policy: &FilePolicy, w: &mut Writer) {
    let (rules, extras) = (&policy.rules, &policy.extras);
    let fixed: Vec<[u32; RULE]> = rules
        .iter()
        .map(|r| {
            let flags = u32::from(r.effect == Effect::Deny) | u32::from(r.actions) << 1;
            [r.group, r.index, r.patterns.first, r.patterns.len, flags]
        })
        .collect();
    w.words(&fixed);
    w.u32(extras.ids().count() as u32);
    for (i, id) in extras.ids() {
        w.u32(i);
        w.str(id);
    }
    w.u32(extras.notes().count() as u32);
    for (i, n) in extras.notes() {
        let n = policy.note_issue(&rules[i as usize], n);
        w.u32(i);
        w.str(&n.path);
        w.u8(NOTE_CODES.iter().position(|c| *c == n.code).unwrap_or(0) as u8);
        w.str(&n.message);
    }
}

/// Reads what [`write_rules`] wrote, for `groups` groups and `texts`.
#[inline(never)]
fn read_rules(
    r: &mut Reader,
    groups: usize,
    texts: &Texts,
) -> Result<(Vec<Rule>, Extras), GroupgateError> {
    let fixed = r.words::<RULE>()?;
    // Checked first, then converted in one pass (no push per rule).
    let ok = |f: &[u32; RULE]| {
        (f[0] as usize) < groups
            && texts.holds(Patterns {
                first: f[2],
                len: f[3],
            })
            && f[4] <= 0b1_1111
    };
    if !fixed.iter().all(ok) {
        return Err(bad("a rule's group, patterns or actions are out of range"));
    }
    let rule = |&[group, index, first, len, flags]: &[u32; RULE]| Rule {
        group,
        index,
        effect: match flags & 1 {
            1 => Effect::Deny,
            _ => Effect::Allow,
        },
        actions: (flags >> 1) as u8,
        patterns: Patterns { first, len },
    };
    let rules: Vec<Rule> = fixed.iter().map(rule).collect();
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
        if i as usize >= rules.len()
            || !extras.add_note(i, Kept::Worded(Box::new(Issue::new(path, code, message))))
        {
            return Err(bad("a lint note is out of place"));
        }
    }
    Ok((rules, extras))
}
