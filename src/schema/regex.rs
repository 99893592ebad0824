//! `pattern` and `patternProperties` in Go's regexp (RE2) syntax, run by
//! `regex-lite`: both are linear-time automata with the same core syntax and
//! ASCII-only `\d \w \s \b` (as in Go). Where the two syntaxes differ, this
//! module translates (`\Q…\E`) or refuses what Go refuses (flags other than
//! `imsU`, repeat counts over 1000). What regex-lite cannot express (Unicode
//! classes `\p{…}`, Unicode case folding under `(?i)`) is *unsupported*:
//! the caller warns instead of guessing.

use regex_lite::{Regex, RegexBuilder};

/// A compiled pattern and the size that prices a match (see the validator's
/// work budget).
#[derive(Debug, Clone)]
pub struct GoRegex {
    re: Regex,
    pub weight: usize,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum RegexError {
    /// Go's `regexp.Compile` refuses it: the server rejects the schema.
    Invalid(String),
    /// Valid in Go, but not checked here.
    Unsupported(String),
}

/// Compiled programs stay small: a pattern whose automaton exceeds this is
/// refused with a structured error instead of using unbounded memory.
const SIZE_LIMIT: usize = 1 << 20;

impl GoRegex {
    pub fn compile(pattern: &str) -> Result<GoRegex, RegexError> {
        let translated = translate(pattern)?;
        let re = RegexBuilder::new(&translated)
            .size_limit(SIZE_LIMIT)
            .nest_limit(250)
            .build()
            .map_err(|e| RegexError::Invalid(first_line(&e.to_string())))?;
        Ok(GoRegex {
            re,
            weight: pattern.len().max(1),
        })
    }

    /// Go's `MatchString`: a match anywhere (unanchored).
    pub fn is_match(&self, text: &str) -> bool {
        self.re.is_match(text)
    }
}

fn first_line(s: &str) -> String {
    s.lines().last().unwrap_or(s).trim().to_string()
}

/// Go syntax → regex-lite syntax.
fn translate(p: &str) -> Result<String, RegexError> {
    let chars: Vec<char> = p.chars().collect();
    let mut out = String::with_capacity(p.len());
    let mut i = 0;
    let mut class = false; // inside [...]
    let mut fold = false; // (?i) seen
    while i < chars.len() {
        let c = chars[i];
        match c {
            '\\' => {
                let Some(&n) = chars.get(i + 1) else {
                    return Err(RegexError::Invalid(
                        "trailing backslash at end of expression".into(),
                    ));
                };
                match n {
                    'Q' => {
                        // \Q...\E: literal text (Go), escaped for regex-lite.
                        let rest: String = chars[i + 2..].iter().collect();
                        let (lit, closed) = match rest.find("\\E") {
                            Some(end) => (&rest[..end], 2),
                            None => (rest.as_str(), 0),
                        };
                        out.push_str(&regex_lite::escape(lit));
                        i += 2 + lit.chars().count() + closed;
                        continue;
                    }
                    'p' | 'P' => {
                        return Err(RegexError::Unsupported(
                            "Unicode classes (\\p, \\P) are not checked by groupgate".into(),
                        ))
                    }
                    'C' => return Err(RegexError::Invalid("invalid escape sequence: \\C".into())),
                    _ => {}
                }
                out.push(c);
                out.push(n);
                i += 2;
                continue;
            }
            '[' if !class => {
                class = true;
                out.push(c);
                i += 1;
                // A ']' right after '[' or '[^' is a literal.
                if chars.get(i) == Some(&'^') {
                    out.push('^');
                    i += 1;
                }
                if chars.get(i) == Some(&']') {
                    out.push_str("\\]");
                    i += 1;
                }
                continue;
            }
            '[' if class && chars.get(i + 1) == Some(&':') => {
                // [:alpha:] inside a class: copy through the closing ":]".
                let rest: String = chars[i..].iter().collect();
                if let Some(end) = rest.find(":]") {
                    out.push_str(&rest[..end + 2]);
                    i += rest[..end + 2].chars().count();
                    continue;
                }
            }
            ']' if class => class = false,
            '(' if !class && chars.get(i + 1) == Some(&'?') => {
                let flags: String = chars[i + 2..]
                    .iter()
                    .take_while(|c| c.is_ascii_alphabetic() || **c == '-')
                    .collect();
                let next = chars.get(i + 2 + flags.chars().count());
                let is_group_name = flags.starts_with('P') || chars.get(i + 2) == Some(&'<');
                if !is_group_name && matches!(next, Some(':') | Some(')')) {
                    if flags.chars().any(|f| !"imsU-".contains(f)) {
                        return Err(RegexError::Invalid(format!(
                            "invalid or unsupported Perl syntax: (?{flags}"
                        )));
                    }
                    fold |= flags.split('-').next().is_some_and(|on| on.contains('i'));
                }
            }
            '{' if !class => {
                let rest: String = chars[i + 1..].iter().take(24).collect();
                if let Some(end) = rest.find('}') {
                    let body = &rest[..end];
                    let mut parts = body.splitn(2, ',');
                    let nums: Vec<&str> = parts.by_ref().collect();
                    let counts = nums
                        .iter()
                        .all(|n| n.is_empty() || n.bytes().all(|b| b.is_ascii_digit()))
                        && !nums[0].is_empty();
                    if counts
                        && nums
                            .iter()
                            .any(|n| !n.is_empty() && n.parse::<u32>().map_or(true, |v| v > 1000))
                    {
                        return Err(RegexError::Invalid(format!(
                            "invalid repeat count: {{{body}}}"
                        )));
                    }
                }
            }
            _ => {}
        }
        out.push(c);
        i += 1;
    }
    if fold && !p.is_ascii() {
        return Err(RegexError::Unsupported(
            "(?i) with non-ASCII letters folds Unicode case in Go; not checked by groupgate".into(),
        ));
    }
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn ok(p: &str, yes: &[&str], no: &[&str]) {
        let re = GoRegex::compile(p).unwrap_or_else(|e| panic!("{p}: {e:?}"));
        for s in yes {
            assert!(re.is_match(s), "{p} should match {s:?}");
        }
        for s in no {
            assert!(!re.is_match(s), "{p} should not match {s:?}");
        }
    }

    #[test]
    fn go_syntax() {
        ok("^[0-9]+$", &["123"], &["12a", ""]);
        ok("a", &["xay"], &["b"]); // unanchored, as Go's MatchString
        ok("^\\d+$", &["42"], &["٤٢"]); // \d is ASCII in Go
        ok("^\\Qa.b\\E$", &["a.b"], &["axb"]);
        ok("^\\Qa.b$", &["a.b$"], &["a.b", "xa.b$"]);
        ok("^[]a]+$", &["]a"], &["b"]);
        ok("^[^]a]$", &["b"], &["]"]);
        ok("^[[:alpha:]]+$", &["abc"], &["a1"]);
        ok("(?i)^abc$", &["ABC"], &["abd"]);
        ok("^(?P<x>a)(?<y>b)$", &["ab"], &["ba"]);
        ok("^a{2,1000}$", &["aa"], &["a"]);
        let invalid = [
            "(",
            "a{1001}",
            "a{2,1001}",
            "(?x)a",
            "a\\",
            "(?=a)",
            "\\1",
            "\\C",
        ];
        for p in invalid {
            assert!(
                matches!(GoRegex::compile(p), Err(RegexError::Invalid(_))),
                "{p}"
            );
        }
        for p in ["\\p{Greek}", "\\PL", "(?i)é"] {
            assert!(
                matches!(GoRegex::compile(p), Err(RegexError::Unsupported(_))),
                "{p}"
            );
        }
    }
}
