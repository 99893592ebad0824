//! Rule ids and lint notes, kept apart from [`super::policy::Rule`]: few
//! rules have either, and without them a rule is plain data (a snapshot
//! loads the rules in one loop, and freeing a policy frees no list per
//! rule).

use super::notes::Note;
use crate::verdict::Issue;

/// A rule's lint note as kept: found by the build (worded when asked), or
/// read from a snapshot (worded already).
#[derive(Debug, Clone)]
pub(super) enum Kept {
    Found(Note),
    Worded(Box<Issue>),
}

impl Kept {
    pub(super) fn code(&self) -> &'static str {
        match self {
            Kept::Found(note) => note.code(),
            Kept::Worded(issue) => issue.code,
        }
    }
}

/// The ids and notes of a policy's rules, by rule index.
#[derive(Debug, Clone, Default)]
pub(super) struct Extras {
    /// (rule, id), rules increasing.
    ids: Vec<(u32, String)>,
    /// The rule of each note, not decreasing (parallel to `notes`).
    note_rules: Vec<u32>,
    notes: Vec<Kept>,
}

impl Extras {
    /// Sets the id of rule `rule`; `false` (and nothing set) unless `rule`
    /// comes after every rule given an id so far.
    pub(super) fn set_id(&mut self, rule: u32, id: String) -> bool {
        let ok = self.ids.last().is_none_or(|&(last, _)| last < rule);
        if ok {
            self.ids.push((rule, id));
        }
        ok
    }

    /// Adds a note of rule `rule`; `false` (and nothing added) when `rule`
    /// comes before the rule of the last note.
    pub(super) fn add_note(&mut self, rule: u32, note: Kept) -> bool {
        let ok = self.note_rules.last().is_none_or(|&last| last <= rule);
        if ok {
            self.note_rules.push(rule);
            self.notes.push(note);
        }
        ok
    }

    /// The id of rule `rule`.
    pub(super) fn id(&self, rule: u32) -> Option<&str> {
        let i = self.ids.binary_search_by_key(&rule, |&(r, _)| r).ok()?;
        Some(&self.ids[i].1)
    }

    /// Every (rule, id), in rule order.
    pub(super) fn ids(&self) -> impl Iterator<Item = (u32, &str)> {
        self.ids.iter().map(|(r, id)| (*r, id.as_str()))
    }

    /// The notes of rule `rule`, in the order they were added.
    pub(super) fn notes_of(&self, rule: u32) -> &[Kept] {
        let lo = self.note_rules.partition_point(|&r| r < rule);
        let hi = self.note_rules.partition_point(|&r| r <= rule);
        &self.notes[lo..hi]
    }

    /// Every (rule, note), in rule order.
    pub(super) fn notes(&self) -> impl Iterator<Item = (u32, &Kept)> {
        self.note_rules.iter().copied().zip(&self.notes)
    }
}
