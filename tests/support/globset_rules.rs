//! The rules tests/foreign_globset.rs sorts globset's own cases by: our
//! dialect as globset options, README's rewrites of a question, README's
//! refusals (shared by its glob rows and its set rows).

use globset::{ErrorKind, GlobBuilder};
use serde::Deserialize;

#[derive(Deserialize, Clone, Copy, Default)]
pub struct Opts {
    pub casei: Option<bool>,
    pub litsep: Option<bool>,
    pub bsesc: Option<bool>,
    pub ealtre: Option<bool>,
}

/// globset's options, all set.
#[derive(Clone, Copy, PartialEq, Debug)]
pub struct Eff {
    pub casei: bool,
    pub litsep: bool,
    pub bsesc: bool,
    pub ealtre: bool,
}

impl Eff {
    pub fn of(row: Opts, defaults: Opts) -> Eff {
        let pick = |r: Option<bool>, d: Option<bool>| r.or(d).expect("defaults are all set");
        Eff {
            casei: pick(row.casei, defaults.casei),
            litsep: pick(row.litsep, defaults.litsep),
            bsesc: pick(row.bsesc, defaults.bsesc),
            ealtre: pick(row.ealtre, defaults.ealtre),
        }
    }

    /// Our dialect, with the row's case folding (the one option we have).
    pub fn dialect(self) -> Eff {
        Eff {
            casei: self.casei,
            litsep: true,
            bsesc: true,
            ealtre: true,
        }
    }
}

/// The pinned globset's answer.
pub fn globset(pattern: &str, path: &str, o: Eff) -> Result<bool, ErrorKind> {
    let glob = GlobBuilder::new(pattern)
        .case_insensitive(o.casei)
        .literal_separator(o.litsep)
        .backslash_escape(o.bsesc)
        .empty_alternates(o.ealtre)
        .build()
        .map_err(|e| e.kind().clone())?;
    Ok(glob.compile_matcher().is_match(path))
}

/// README: "a leading `/` or `./` is dropped, `//` collapsed, `.` segments
/// and a trailing `/` removed" (paths and patterns alike).
pub fn normalized(s: &str) -> String {
    let segs: Vec<&str> = s
        .split('/')
        .filter(|x| !x.is_empty() && *x != ".")
        .collect();
    segs.join("/")
}

/// A rewrite of the question that a README statement makes.
pub struct Rewrite {
    /// The class the row is counted in when this rewrite explains it.
    pub id: &'static str,
    /// Text README must contain: the statement the id names.
    pub readme: &'static str,
    /// Is this a documented difference (else a skip rule)?
    pub difference: bool,
    pub apply: fn(&str, &str) -> (String, String),
}

pub const REWRITES: &[Rewrite] = &[
    Rewrite {
        id: "rule path.normalized",
        readme: "a leading `/` or `./` is dropped, `//` collapsed, `.` segments and a trailing `/` removed",
        difference: false,
        apply: |pat, path| (pat.to_string(), normalized(path)),
    },
    Rewrite {
        id: "pattern-normalized",
        readme: "| leading `/` or `./`, `//`, trailing `/` in patterns | dropped or collapsed",
        difference: true,
        apply: |pat, path| (normalized(pat), path.to_string()),
    },
    Rewrite {
        id: "rule repeated-globstar",
        readme: "Repeated globstar segments are one (`x/**/**` = `x/**`).",
        difference: false,
        apply: |pat, path| (one_globstar(pat), path.to_string()),
    },
    Rewrite {
        id: "dir-globstar-matches-dir",
        readme: "| `dir/**` | `dir` itself and everything below it |",
        difference: true,
        apply: |pat, path| (dir_globstar(pat), path.to_string()),
    },
];

/// Repeated `**` segments as one (globset compiles them alike too: its
/// `toregex!` rows re15-re27), so that `x/**/**` is `x/**` also for the
/// `dir/**` rewrite after this one.
pub fn one_globstar(pat: &str) -> String {
    let mut segs: Vec<&str> = Vec::new();
    for s in pat.split('/') {
        if !(s == "**" && segs.last() == Some(&"**")) {
            segs.push(s);
        }
    }
    segs.join("/")
}

/// `dir/**` also matches `dir`: globset's `dir{,/**}`.
pub fn dir_globstar(pat: &str) -> String {
    match pat.strip_suffix("/**") {
        Some(dir) if !dir.is_empty() && !dir.ends_with('/') => format!("{dir}{{,/**}}"),
        _ => pat.to_string(),
    }
}

/// The braces with no comma at their level (`{x}`, `a{}b`, the outer
/// pair of `{{a,b}}`): globset reads an alternation of one, bash and
/// picomatch the text; README refuses them (`glob.single_alternative`).
pub fn has_single_alternative(pat: &str) -> bool {
    let chars: Vec<char> = pat.chars().collect();
    let mut open: Vec<bool> = Vec::new();
    let mut i = 0;
    while i < chars.len() {
        match chars[i] {
            '\\' => i += 1,
            '[' => i = class_end(&chars, i).unwrap_or(i),
            '{' => open.push(false),
            ',' => {
                if let Some(top) = open.last_mut() {
                    *top = true;
                }
            }
            '}' if open.pop() == Some(false) => return true,
            _ => {}
        }
        i += 1;
    }
    false
}

/// The bodies of a pattern's classes (between `[`, `[!` or `[^` and the
/// closing `]`, globset's reading: see [`class_end`]).
fn class_bodies(pat: &str) -> Vec<Vec<char>> {
    let chars: Vec<char> = pat.chars().collect();
    let mut out = Vec::new();
    let mut i = 0;
    while i < chars.len() {
        match chars[i] {
            '\\' => i += 1,
            '[' => {
                let Some(end) = class_end(&chars, i) else {
                    break;
                };
                let skip = usize::from(matches!(chars.get(i + 1), Some('!' | '^')));
                out.push(chars[i + 1 + skip..end].to_vec());
                i = end;
            }
            _ => {}
        }
        i += 1;
    }
    out
}

/// README: a `\` inside a class before anything but `\` is refused
/// (`glob.class_escape`; globset reads it as a member).
/// (globset's body of `[\\]]` is `\\`, then a literal `]`.)
pub fn has_class_escape(pat: &str) -> bool {
    class_bodies(pat).iter().any(|b| {
        let mut k = 0;
        while k < b.len() {
            if b[k] == '\\' && b.get(k + 1) != Some(&'\\') {
                return true;
            }
            k += 1 + usize::from(b[k] == '\\');
        }
        false
    })
}

/// README: a `-` right after a range, not last in the class, is refused
/// (`glob.range_after_range`; globset extends the range).
pub fn has_range_after_range(pat: &str) -> bool {
    class_bodies(pat).iter().any(|b| {
        // From the second member on (a `-` first is a member).
        let mut k = 1;
        while k + 1 < b.len() {
            if b[k] == '-' {
                if b.get(k + 2) == Some(&'-') && k + 3 < b.len() {
                    return true;
                }
                k += 2;
            }
            k += 1;
        }
        false
    })
}

/// The index of the `]` closing the class opened at `open` (globset's
/// reading: a `]` right after `[`, `[!` or `[^` is a member).
pub fn class_end(chars: &[char], open: usize) -> Option<usize> {
    let mut i = open + 1;
    if matches!(chars.get(i), Some('!' | '^')) {
        i += 1;
    }
    if chars.get(i) == Some(&']') {
        i += 1;
    }
    (i..chars.len()).find(|&j| chars[j] == ']')
}

/// README's promise for a question: every rewrite applied, then globset
/// with the dialect's options.
pub fn promise(pattern: &str, path: &str, d: Eff) -> Option<bool> {
    let (mut pat, mut p) = (pattern.to_string(), path.to_string());
    for r in REWRITES {
        (pat, p) = (r.apply)(&pat, &p);
    }
    globset(&pat, &p, d).ok()
}

/// Why README says a pattern is refused with `code` (the error table, or
/// the syntax table's sentence for `glob.slash_in_class`).
pub fn pattern_refusal_documented(code: &str, pattern: &str, upstream: Option<&ErrorKind>) -> bool {
    let chars: Vec<char> = pattern.chars().collect();
    let class_has_slash = (0..chars.len()).any(|i| {
        chars[i] == '['
            && (i == 0 || chars[i - 1] != '\\')
            && class_end(&chars, i).is_some_and(|e| chars[i + 1..e].contains(&'/'))
    });
    match code {
        "glob.unclosed_class" => matches!(upstream, Some(ErrorKind::UnclosedClass)),
        "glob.invalid_range" => matches!(upstream, Some(ErrorKind::InvalidRange(..))),
        "glob.unclosed_alternation" => matches!(upstream, Some(ErrorKind::UnclosedAlternates)),
        "glob.unopened_alternation" => matches!(upstream, Some(ErrorKind::UnopenedAlternates)),
        "glob.slash_in_class" => class_has_slash,
        "glob.star_run" => pattern.contains("***"),
        "glob.empty" => normalized(pattern).is_empty(),
        "glob.parent_segment" => pattern.split('/').any(|s| s == ".."),
        "glob.negation" => pattern.starts_with('!'),
        "glob.posix_class" => pattern.contains("[[:"),
        "glob.class_escape" => has_class_escape(pattern),
        "glob.range_after_range" => has_range_after_range(pattern),
        "glob.single_alternative" => has_single_alternative(pattern),
        _ => false,
    }
}

/// README: a path with a `..` segment, a NUL, or an empty one is rejected.
pub fn path_refusal_documented(code: &str, path: &str) -> bool {
    match code {
        "path.parent_segment" => path.split('/').any(|s| s == ".."),
        "path.nul" => path.contains('\0'),
        "path.empty" => normalized(path).is_empty(),
        _ => false,
    }
}

/// How one row ended.
pub enum Class {
    Agree,
    /// Agree, on a pattern or path that normalization rewrote first.
    AgreeNormalized,
    Skipped(String),
    Refused(String),
    Difference(&'static str),
    KnownBug,
}

/// The skip rule for a row whose answer changes with our options: the
/// first option that alone changes it.
pub fn option_rule(pattern: &str, path: &str, eff: Eff) -> String {
    let d = eff.dialect();
    let want = globset(pattern, path, eff);
    let flips = [
        (
            "literal_separator",
            eff.litsep,
            Eff {
                litsep: d.litsep,
                ..eff
            },
        ),
        (
            "backslash_escape",
            eff.bsesc,
            Eff {
                bsesc: d.bsesc,
                ..eff
            },
        ),
        (
            "empty_alternates",
            eff.ealtre,
            Eff {
                ealtre: d.ealtre,
                ..eff
            },
        ),
    ];
    for (name, value, flipped) in flips {
        if flipped != eff && globset(pattern, path, flipped) != want {
            return format!("rule option.{name}={value}");
        }
    }
    "rule option.combined".into()
}

/// A refusal is counted only when README documents the code for this input.
pub fn refusal(code: &str, pattern: &str, path: &str, readme: &str) -> Result<Class, String> {
    let documented = readme.contains(&format!("`{code}`"))
        && if code.starts_with("path.") {
            path_refusal_documented(code, path)
        } else {
            pattern_refusal_documented(code, pattern, None)
        };
    if documented {
        Ok(Class::Refused(code.to_string()))
    } else {
        Err(format!(
            "refused with {code}, which README does not promise here"
        ))
    }
}

/// The class of an answer of ours that is not upstream's: the first README
/// rewrite of the question under which globset gives our answer
/// (`explains`), once README is checked to still say it.
pub fn explained(
    readme: &str,
    explains: impl Fn(&Rewrite) -> bool,
    mismatch: String,
) -> Result<Class, String> {
    let Some(r) = REWRITES.iter().find(|r| explains(r)) else {
        return Err(format!("{mismatch}, no README statement explains it"));
    };
    if !squash(readme).contains(&squash(r.readme)) {
        return Err(format!("README no longer says {:?} ({})", r.readme, r.id));
    }
    Ok(if r.difference {
        Class::Difference(r.id)
    } else {
        Class::Skipped(r.id.into())
    })
}

/// Text with every run of white space one space (README is rewrapped).
pub fn squash(text: &str) -> String {
    text.split_whitespace().collect::<Vec<_>>().join(" ")
}
