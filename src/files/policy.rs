//! Compiling groups into a [`FilePolicy`] and deciding checks.

use crate::keyed::HashMap;

use serde_json::Value;

use super::dedupe::{Dedupe, Twin};
use super::extras::{Extras, Kept};
use super::groups::{group_id, group_permissions, within_limits};
use super::notes::Note;
use super::rules::{read_rules, Compiled, Globs, RuleSpecParsed};
use super::sources::{by_group, narrowest, of_group, Key, ReadOnce, Source, Sources};
use super::texts::{Pat, Patterns, Texts};
use super::{keys, Action, Effect, Explanation, GroupSpec, PolicyOptions, Reason};
use crate::error::GroupgateError;
use crate::glob::{normalize_path, Parsed};
use crate::input::object;
use crate::patterns::{same, PatternSet, PatternSetBuilder, TooComplex};
use crate::permissions::GoRulesPerms;
use crate::verdict::{ptr, Report};

#[derive(Debug, Clone)]
pub(super) struct Group {
    pub(super) id: String,
    /// Closure of the group's permissions.
    pub(super) perms: GoRulesPerms,
    /// Whether the group has any file rule (even one that matches nothing).
    pub(super) has_rules: bool,
}

/// A rule, as plain data: its id and lint notes are in
/// [`FilePolicy::extras`].
#[derive(Debug, Clone, Copy)]
pub(super) struct Rule {
    pub(super) group: u32,
    /// Index in the group's `filePermissions`.
    pub(super) index: u32,
    pub(super) effect: Effect,
    pub(super) actions: u8,
    /// Spans of [`FilePolicy::texts`].
    pub(super) patterns: Patterns,
}

impl Rule {
    /// Its group, effect and actions (see [`Sources::index`]).
    pub(super) fn key(&self) -> Key {
        let kind = u32::from(self.effect == Effect::Deny) | u32::from(self.actions) << 1;
        (self.group, kind)
    }
}

/// A resolved set of groups, ready for checks.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Member {
    /// Bit *i* set when the member is in group *i*.
    pub(super) groups: Vec<u64>,
    pub(super) perms: GoRulesPerms,
    pub(super) owner: bool,
    /// Bit *a* set when the member holds action *a*'s coarse permission.
    pub(super) coarse: u8,
    pub(super) has_rules: bool,
}

impl Member {
    /// The number of the policy's groups the member is in.
    fn held(&self) -> usize {
        self.groups.iter().map(|w| w.count_ones() as usize).sum()
    }

    fn contains(&self, group: u32) -> bool {
        self.groups
            .get(group as usize / 64)
            .is_some_and(|w| w & (1 << (group % 64)) != 0)
    }

    /// The closure of the member's GoRules permissions.
    pub fn permissions(&self) -> impl Iterator<Item = &'static str> {
        self.perms.names()
    }
}

/// The first matching deny and allow for one action.
type Found = (Option<Source>, Option<Source>);

/// A decision without its text: what [`FilePolicy::check`] computes.
#[derive(Debug, Clone, Copy)]
pub(super) struct Decision {
    pub(super) allowed: bool,
    pub(super) reason: Reason,
    /// The deciding glob source, for rule reasons.
    pub(super) source: Option<Source>,
    pub(super) permission: Option<&'static str>,
}

/// A compiled file-permission policy.
#[derive(Debug, Clone)]
pub struct FilePolicy {
    pub(super) groups: Vec<Group>,
    pub(super) by_id: HashMap<String, u32>,
    pub(super) rules: Vec<Rule>,
    /// The rules' ids and lint notes.
    pub(super) extras: Extras,
    /// For pattern *i* of `set`, the rule patterns it stands for (identical
    /// patterns share one glob).
    pub(super) sources: Sources,
    /// The text of every rule's patterns.
    pub(super) texts: Texts,
    pub(super) set: PatternSet,
    pub(super) options: PolicyOptions,
}

impl FilePolicy {
    /// Compiles typed groups (see [`FilePolicy::from_json`] for the rules).
    pub fn new(groups: &[GroupSpec], options: PolicyOptions) -> Result<FilePolicy, GroupgateError> {
        let v = serde_json::to_value(groups).map_err(|e| {
            GroupgateError::one("", "type", format!("groups could not be read: {e}"))
        })?;
        FilePolicy::from_json(&v, options)
    }

    /// Compiles `[{id, permissions?, filePermissions?}]`. Every invalid rule,
    /// unknown permission or duplicate group id is reported at once, at its
    /// pointer (`/0/filePermissions/2/patterns`). Other members of a group
    /// (a whole GoRules group object, say) are ignored.
    pub fn from_json(groups: &Value, options: PolicyOptions) -> Result<FilePolicy, GroupgateError> {
        let mut r = Report::with_limits(options.limits);
        let policy = Self::build(groups, options, &mut r);
        match policy {
            Some(p) if !r.has_errors() => Ok(p),
            _ => Err(GroupgateError::new(r.finish(200, None, None).errors)),
        }
    }

    fn build(groups: &Value, options: PolicyOptions, r: &mut Report) -> Option<FilePolicy> {
        let limits = options.limits;
        let items = within_limits(groups, &limits, r)?;
        let mut b = Build::new(items.len(), options);
        let mut globs = Globs::default();
        for (gi, item) in items.iter().enumerate() {
            let gpath = ptr("", gi);
            let Some(o) = object(item, &gpath, r) else {
                continue;
            };
            let id = group_id(o.get("id"), &o.at("id"), &limits, r);
            let perms = group_permissions(&o, r);
            let rule_list = o.get("filePermissions").unwrap_or(&Value::Null);
            let has_rules = rule_list.as_array().is_some_and(|a| !a.is_empty());
            let at = o.at("filePermissions");
            let rules = read_rules(rule_list, &at, &limits, r, &mut globs, &mut |p| {
                b.compile(p)
            });
            if globs.stopped(&limits) {
                // Refused (limit.globs, limit.automaton): this group and
                // later ones are not added, as the text scanner stops.
                break;
            }
            let Some(id) = id else { continue };
            b.group(id, perms, has_rules, rules, &|| o.at("id"), r)?;
        }
        if r.has_errors() {
            return None;
        }
        Some(b.finish())
    }

    /// Adds a group's rules (and where each of their globs comes from);
    /// `None` past `max_rules`.
    fn push_rules(
        &mut self,
        group: u32,
        mut rules: Vec<RuleSpecParsed>,
        pairs: &mut Vec<(u32, Source)>,
        spans: &mut u32,
        r: &mut Report,
    ) -> Option<()> {
        let max = self.options.limits.max_rules;
        // By reference: moving each rule's parts out of the `Vec` copied
        // all of them, a hundred instructions a rule (issue 12).
        for spec in &mut rules {
            if self.rules.len() >= max {
                return over_rules(max, r);
            }
            let rule = self.rules.len() as u32;
            // Once: `Ids` derefs through a call.
            let ids: &[u32] = &spec.ids;
            for (pi, &id) in ids.iter().enumerate() {
                let source = Source {
                    rule,
                    pattern: pi as u32,
                };
                pairs.push((id, source));
            }
            if spec.id.is_some() || !spec.notes.is_empty() {
                extras(&mut self.extras, rule, &mut spec.id, &mut spec.notes);
            }
            let first = *spans;
            let len = ids.len() as u32;
            *spans += len;
            self.rules.push(Rule {
                group,
                index: spec.index,
                effect: spec.effect,
                actions: spec.actions,
                // Its patterns' texts were added as they compiled, in order.
                patterns: Patterns { first, len },
            });
        }
        Some(())
    }

    /// The options the policy was compiled with.
    pub fn options(&self) -> PolicyOptions {
        self.options
    }

    /// Number of groups and rules.
    pub fn len(&self) -> (usize, usize) {
        (self.groups.len(), self.rules.len())
    }

    /// No group at all.
    pub fn is_empty(&self) -> bool {
        self.groups.is_empty()
    }

    /// Resolves a member's groups. Ids the policy does not know contribute
    /// nothing (no permission, no rule).
    pub fn member<S: AsRef<str>>(&self, group_ids: &[S]) -> Member {
        let mut m = Member {
            groups: vec![0; self.groups.len().div_ceil(64)],
            perms: GoRulesPerms::EMPTY,
            owner: false,
            coarse: 0,
            has_rules: false,
        };
        for id in group_ids {
            if let Some(&g) = self.by_id.get(id.as_ref()) {
                let group = &self.groups[g as usize];
                m.groups[g as usize / 64] |= 1 << (g % 64);
                m.perms = m.perms.union(group.perms);
                m.has_rules |= group.has_rules;
            }
        }
        m.owner = m.perms.has("owner");
        for a in Action::ALL {
            match a.coarse_permission_in(self.options.project_version) {
                Some(p) if !m.perms.has(p) => {}
                _ => m.coarse |= a.bit(),
            }
        }
        m
    }

    pub(super) fn path<'p>(
        &self,
        path: &'p str,
    ) -> Result<std::borrow::Cow<'p, str>, GroupgateError> {
        normalize_path(path, self.options.limits.max_path_bytes)
            .map_err(|k| GroupgateError::one("/path", k.code(), k.message()))
    }

    /// May a member of `group_ids` perform `action` on `path`?
    pub fn check<S: AsRef<str>>(
        &self,
        group_ids: &[S],
        path: &str,
        action: Action,
    ) -> Result<bool, GroupgateError> {
        self.check_member(&self.member(group_ids), path, action)
    }

    /// [`FilePolicy::check`] for a resolved member.
    pub fn check_member(
        &self,
        member: &Member,
        path: &str,
        action: Action,
    ) -> Result<bool, GroupgateError> {
        let path = self.path(path)?;
        Ok(self
            .decide(member, &path, action)
            .map_err(too_complex("/path"))?
            .allowed)
    }

    /// One decision per path, in order. A bad path fails the whole batch,
    /// naming its index.
    pub fn check_many<S: AsRef<str>, P: AsRef<str>>(
        &self,
        group_ids: &[S],
        paths: &[P],
        action: Action,
    ) -> Result<Vec<bool>, GroupgateError> {
        let member = self.member(group_ids);
        paths
            .iter()
            .enumerate()
            .map(|(i, p)| {
                let path = normalize_path(p.as_ref(), self.options.limits.max_path_bytes)
                    .map_err(|k| GroupgateError::one(ptr("/paths", i), k.code(), k.message()))?;
                let d = self.decide(&member, &path, action);
                Ok(d.map_err(too_complex(&ptr("/paths", i)))?.allowed)
            })
            .collect()
    }

    /// The decision with its reason and the deciding group, rule and pattern.
    pub fn explain<S: AsRef<str>>(
        &self,
        group_ids: &[S],
        path: &str,
        action: Action,
    ) -> Result<Explanation, GroupgateError> {
        let e = self.explain_member(&self.member(group_ids), path, action)?;
        Ok(e.with_unknown(self.unknown_ids(group_ids)))
    }

    /// The ids (first occurrence, in order) of no group of this policy.
    pub fn unknown_ids<S: AsRef<str>>(&self, group_ids: &[S]) -> Vec<String> {
        // Hashed: a list scan made 100,000 unknown ids take 28 s.
        let mut seen = crate::strset::StrSet::new();
        let mut out: Vec<String> = Vec::new();
        for id in group_ids.iter().map(AsRef::as_ref) {
            if !self.by_id.contains_key(id) && seen.insert(id) {
                out.push(id.to_owned());
            }
        }
        out
    }

    /// [`FilePolicy::explain`] for a resolved member.
    pub fn explain_member(
        &self,
        member: &Member,
        path: &str,
        action: Action,
    ) -> Result<Explanation, GroupgateError> {
        let path = self.path(path)?;
        let d = self
            .decide(member, &path, action)
            .map_err(too_complex("/path"))?;
        Ok(self.explanation(d, &path, action))
    }

    /// Narrows the pattern set's lists of globs that match together to
    /// those a decision reads ([`narrowest`]): after building or loading.
    pub(super) fn narrow(&mut self) {
        let (rules, sources) = (&self.rules, &self.sources);
        let key = |i: u32| rules.get(i as usize).map(Rule::key);
        self.set
            .narrow(&|ids: &[u32], out: &mut Vec<u32>| narrowest(sources, ids, key, out));
    }

    fn decide(&self, member: &Member, path: &str, action: Action) -> Result<Decision, TooComplex> {
        // One pass over the matching patterns serves both the action and its
        // `visible` prerequisite.
        let mask = action.bit() | Action::Visible.bit();
        let found = self.found(member, path, mask, &mut 0)?;
        Ok(self.decide_found(member, action, &found))
    }

    pub(super) fn decide_found(
        &self,
        member: &Member,
        action: Action,
        found: &[Found; 4],
    ) -> Decision {
        if member.owner {
            return Decision {
                allowed: true,
                reason: Reason::Owner,
                source: None,
                permission: Some("owner"),
            };
        }
        let one = |a: Action| {
            let coarse = a.coarse_permission_in(self.options.project_version);
            if member.coarse & a.bit() == 0 {
                return Decision {
                    allowed: false,
                    reason: Reason::MissingPermission,
                    source: None,
                    permission: coarse,
                };
            }
            if !member.has_rules {
                return Decision {
                    allowed: true,
                    reason: Reason::Permission,
                    source: None,
                    permission: coarse,
                };
            }
            let (allowed, reason, source) = match found[a as usize] {
                (Some(d), _) => (false, Reason::Deny, Some(d)),
                (None, Some(al)) => (true, Reason::Allow, Some(al)),
                (None, None) => (false, Reason::DefaultDeny, None),
            };
            Decision {
                allowed,
                reason,
                source,
                permission: None,
            }
        };
        if action != Action::Visible {
            let visible = one(Action::Visible);
            if !visible.allowed {
                return Decision {
                    allowed: false,
                    reason: Reason::NotVisible,
                    ..visible
                };
            }
        }
        one(action)
    }

    /// For each action in `mask`, the first (in policy order) matching deny
    /// and allow of the member's groups (none when rules do not decide);
    /// an error when the path takes the automaton more than
    /// `maxMatchWork` per byte (no partial answer). Adds the matching
    /// work to `spent` (see [`FilePolicy::check_member_all_metered`]).
    pub(super) fn found(
        &self,
        member: &Member,
        path: &str,
        mask: u8,
        spent: &mut usize,
    ) -> Result<[Found; 4], TooComplex> {
        if member.owner || !member.has_rules || member.coarse & mask == 0 {
            return Ok([(None, None); 4]);
        }
        {
            let mut found: [Found; 4] = [(None, None); 4];
            let earlier = |a: Option<Source>, b: Source| {
                a.is_none_or(|a| (b.rule, b.pattern) < (a.rule, a.pattern))
            };
            let work = self.options.limits.max_match_work;
            let mut take = |src: Source| {
                let rule = &self.rules[src.rule as usize];
                let actions = rule.actions & mask;
                if actions == 0 || !member.contains(rule.group) {
                    return;
                }
                for a in Action::ALL {
                    if actions & a.bit() == 0 {
                        continue;
                    }
                    let (deny, allow) = &mut found[a as usize];
                    match rule.effect {
                        Effect::Deny if earlier(*deny, src) => *deny = Some(src),
                        Effect::Allow if earlier(*allow, src) => *allow = Some(src),
                        _ => {}
                    }
                }
            };
            let mut once = ReadOnce::default();
            self.set.matches_narrowed(path, work, |id| {
                let list = self.sources.deciding(id);
                if !once.first(id, list) {
                    return;
                }
                if !by_group(|| member.held(), list) {
                    *spent += 1 + list.len();
                    list.iter().for_each(|&src| take(src));
                    return;
                }
                *spent += 1 + member.held();
                for (w, &word) in member.groups.iter().enumerate() {
                    let mut bits = word;
                    while bits != 0 {
                        let group = w as u32 * 64 + bits.trailing_zeros();
                        bits &= bits - 1;
                        let group_of = |rule: u32| self.rules.get(rule as usize).map(|r| r.group);
                        of_group(list, group, group_of)
                            .iter()
                            .for_each(|&src| take(src));
                    }
                }
            })?;
            Ok(found)
        }
    }
}

/// A rule's id and lint notes into `extras` (rules are added in order, so
/// these always succeed). Out of line, as [`duplicate`] and
/// [`over_rules`]: most rules have neither, and V8 compiles a WASM
/// function whole on its first call (issue 12, cold start).
#[inline(never)]
fn extras(extras: &mut Extras, rule: u32, id: &mut Option<String>, notes: &mut Vec<Note>) {
    if let Some(id) = id.take() {
        extras.set_id(rule, id);
    }
    for note in std::mem::take(notes) {
        extras.add_note(rule, Kept::Found(note));
    }
}

/// A group id met before, reported at `id_at`.
#[cold]
#[inline(never)]
fn duplicate(id: &str, id_at: &dyn Fn() -> String, r: &mut Report) {
    let message = format!("duplicate group id {id:?}");
    r.bad(id_at(), "duplicate", message);
}

/// More rules than `max_rules` (`max`): reported; `None` stops the build.
#[cold]
#[inline(never)]
fn over_rules(max: usize, r: &mut Report) -> Option<()> {
    let message = format!("more file rules than the limit max_rules ({max})");
    r.bad("", "limit.rules", message);
    None
}

/// The error of a path whose match takes more than `maxMatchWork` (see
/// [`crate::limits::Limits::max_match_work`]), at `at`.
pub(super) fn too_complex(at: &str) -> impl Fn(TooComplex) -> GroupgateError + '_ {
    move |e| e.error(at)
}

/// A policy being compiled group by group: the one compiling step of the
/// `Value` reader ([`FilePolicy::from_json`]) and the text scanner
/// (`super::scan`).
pub(super) struct Build {
    policy: FilePolicy,
    builder: PatternSetBuilder,
    dedupe: Dedupe,
    /// Where each glob id comes from.
    pairs: Vec<(u32, Source)>,
    /// The texts' spans given to rules so far.
    spans: u32,
    /// Past `maxAutomatonStates`: nothing more is compiled.
    full: bool,
    /// The `/`s of every glob compiled, repeats included (see
    /// [`Build::within_automaton_limit`]).
    slashes: usize,
}

impl Build {
    pub(super) fn new(groups: usize, options: PolicyOptions) -> Build {
        Build {
            policy: FilePolicy {
                groups: Vec::with_capacity(groups),
                by_id: crate::keyed::with_capacity(groups),
                rules: Vec::new(),
                extras: Extras::default(),
                sources: Sources::default(),
                texts: Texts::default(),
                set: PatternSet::default(),
                options,
            },
            builder: PatternSetBuilder::new(options.case_insensitive),
            dedupe: Dedupe::default(),
            pairs: Vec::new(),
            spans: 0,
            full: false,
            slashes: 0,
        }
    }

    /// Sets aside room for the patterns' text of `json_bytes` of rules.
    pub(super) fn reserve(&mut self, json_bytes: usize) {
        self.policy.texts.reserve(json_bytes);
        self.builder.reserve(json_bytes);
        // A rule takes some 70 bytes of JSON: room for them and their
        // globs' sources, at most a few thousand (grown by doubling, each
        // growth a copy).
        let rules = (json_bytes / 64).min(4096);
        self.policy.rules.reserve(rules);
        self.pairs.reserve(rules);
        self.dedupe.reserve(rules);
    }

    /// Compiles a glob as soon as it parses and keeps its text, nothing
    /// else (identical globs, across rules and groups, share one id and,
    /// written alike, one text). Past `maxAutomatonStates`, an error.
    pub(super) fn compile(&mut self, pat: Parsed<'_>) -> Compiled {
        if self.full {
            return Err(None);
        }
        // Globs of up to 32 bytes are not read for it: at most 16 `/`s
        // each (1.6 million in 100,000 rules, a fraction of the budget),
        // and a cold build reads no byte more (callgrind, the mixed 1,000
        // rules: +141,000 instructions a build when every glob was read).
        if pat.source.len() > 32 {
            self.slashes += pat.source.bytes().filter(|&b| b == b'/').count();
        }
        let texts = &mut self.policy.texts;
        let found = self.dedupe.find(pat.canonical, texts);
        let again = match found {
            Twin::Old { span, .. } => texts
                .pat(span)
                .is_some_and(|p| same(p.source.as_bytes(), pat.source.as_bytes()))
                .then_some(span),
            Twin::New { .. } => None,
        };
        let span = match again {
            Some(earlier) => texts.add_again(earlier),
            None => texts.add(Pat {
                source: pat.source,
                canonical: pat.canonical,
            }),
        };
        let id = match found {
            Twin::Old { id, .. } => id,
            Twin::New { hash } => {
                let id = self.dedupe.add(hash, span);
                self.builder.add_pieces(pat.pieces, id);
                id
            }
        };
        self.within_automaton_limit().map(|()| id)
    }

    /// Checked after each glob: one glob adds at most a few units per
    /// byte of `maxGlobBytes`, so the builder never does much more than
    /// the limit, whatever the rules (the construction bound, issue #11;
    /// the units: [`PatternSetBuilder::work`]). Each `/` counts too, a
    /// repeated glob's included (a segment costs about a state: 1 KB globs
    /// 500 directories deep took 24 s and 3.9 GB at 40,000 rules).
    fn within_automaton_limit(&mut self) -> Result<(), Option<String>> {
        let max = self.policy.options.limits.max_automaton_states;
        if self.builder.work().saturating_add(self.slashes) <= max {
            return Ok(());
        }
        self.full = true;
        Err(Some(format!(
            "building the policy's patterns takes more than the limit maxAutomatonStates \
             ({max} units) at this glob (README \"Limits\" says what a unit counts); raise \
             limits.maxAutomatonStates or give rules shared prefixes, fewer alternatives and \
             fewer directories"
        )))
    }

    /// Adds a group (a repeated id is reported at `id_at`); `None` past
    /// `max_rules`.
    pub(super) fn group(
        &mut self,
        id: String,
        perms: GoRulesPerms,
        has_rules: bool,
        rules: Vec<RuleSpecParsed>,
        id_at: &dyn Fn() -> String,
        r: &mut Report,
    ) -> Option<()> {
        let group = self.policy.groups.len() as u32;
        if self.policy.by_id.insert(id.clone(), group).is_some() {
            duplicate(&id, id_at, r);
            return Some(());
        }
        self.policy.groups.push(Group {
            id,
            perms: perms.closure(),
            has_rules,
        });
        self.policy
            .push_rules(group, rules, &mut self.pairs, &mut self.spans, r)
    }

    /// The policy (ids of globs in rules that were not kept, for errors,
    /// have no source).
    pub(super) fn finish(mut self) -> FilePolicy {
        let (key, over) = keys(&self.policy.rules, &self.policy.texts);
        self.policy.sources = Sources::from_pairs(self.dedupe.len(), &self.pairs, key, over);
        self.policy.texts.shrink();
        self.policy.set = self.builder.build();
        self.policy.narrow();
        self.policy
    }
}
