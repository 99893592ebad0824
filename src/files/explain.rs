//! The text of a decision: [`FilePolicy::explain`].

use super::policy::{Decision, FilePolicy};
use super::{Action, Explanation, Reason};

impl FilePolicy {
    pub(super) fn explanation(&self, d: Decision, path: &str, action: Action) -> Explanation {
        let rule = d
            .source
            .map(|s| (&self.rules[s.rule as usize], s.pattern as usize));
        let group_id = rule.map(|(r, _)| self.groups[r.group as usize].id.clone());
        let pattern = rule
            .and_then(|(r, p)| self.texts.get(r.patterns, p))
            .map(|p| p.source.to_string());
        let act = action.name();
        let rule_text = || match (rule, &group_id, &pattern) {
            (Some((r, _)), Some(g), Some(p)) => {
                format!("rule {} of group {g:?} (pattern {p:?})", r.index)
            }
            _ => String::new(),
        };
        let message = match d.reason {
            Reason::Owner => format!("{act} {path}: allowed, the member holds owner"),
            Reason::NotVisible => {
                format!("{act} {path}: denied, the file is not visible to the member")
            }
            Reason::MissingPermission => format!(
                "{act} {path}: denied, missing permission {}",
                d.permission.unwrap_or_default()
            ),
            Reason::Permission => match d.permission {
                Some(p) => format!(
                    "{act} {path}: allowed by permission {p}; the member's groups have no file rules"
                ),
                None => format!(
                    "{act} {path}: allowed, a v2 project needs no permission for it and the member's groups have no file rules"
                ),
            },
            Reason::Deny => format!("{act} {path}: denied by {}", rule_text()),
            Reason::Allow => format!("{act} {path}: allowed by {}", rule_text()),
            Reason::DefaultDeny => {
                format!("{act} {path}: denied by default, no rule of the member's groups matches")
            }
        };
        Explanation {
            allowed: d.allowed,
            reason: d.reason,
            message,
            group_id,
            rule_index: rule.map(|(r, _)| r.index as usize),
            rule_id: d
                .source
                .and_then(|s| self.extras.id(s.rule))
                .map(str::to_string),
            effect: rule.map(|(r, _)| r.effect),
            pattern,
            permission: d.permission,
            unknown_groups: Vec::new(),
        }
    }
}
