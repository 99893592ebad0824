//! What is wrong with a pattern ([`GlobError`]) or a path ([`PathErrorKind`]).

use std::borrow::Cow;
use std::fmt;

use crate::verdict::Issue;

/// What is wrong with a pattern.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum GlobErrorKind {
    /// The pattern names no path: empty, or only `/` and `.` segments.
    Empty,
    /// The pattern is longer than `max_glob_bytes`.
    TooLong {
        /// The limit it is over, in bytes.
        limit: usize,
    },
    /// A leading `!`: negation is a deny rule's job.
    Negation,
    /// An extglob `@(…) !(…) +(…) *(…) ?(…)`.
    Extglob,
    /// A brace range such as `{1..3}`.
    Range,
    /// A POSIX class such as `[[:alpha:]]`.
    PosixClass,
    /// A `[` without a matching `]`.
    UnclosedClass,
    /// A `/` inside a character class (a class never matches `/`).
    SlashInClass,
    /// A non-ASCII character inside a character class.
    NonAsciiClass,
    /// A class range whose start is after its end (`[z-a]`).
    InvalidRange,
    /// A `{` without a matching `}`.
    UnclosedAlternation,
    /// A `}` without a matching `{`.
    UnopenedAlternation,
    /// The pattern ends with a lone `\`.
    DanglingEscape,
    /// A `..` segment (paths with `..` are rejected, so it never matches).
    ParentSegment,
    /// A NUL character.
    Nul,
    /// A run of three or more stars (`***`): no reference engine reads it
    /// as a globstar, and a permission must not guess.
    StarRun,
    /// A `\` inside a class before anything but `\`: globset reads it as
    /// a member (`[\]]` matches `\]`), picomatch and minimatch as an escape.
    ClassEscape,
    /// A `-` after a range, not last (`[a-c-e]`): globset extends the range
    /// (`a`–`e`), picomatch and minimatch read `a`–`c`, `-`, `e`.
    RangeAfterRange,
    /// Braces without a comma at their level (`{x}`, `a{}b`): globset reads
    /// an alternation of one (`x`), bash and picomatch the text `{x}`.
    SingleAlternative,
}

impl GlobErrorKind {
    /// The stable machine code, `glob.*`.
    pub fn code(self) -> &'static str {
        use GlobErrorKind::*;
        match self {
            Empty => "glob.empty",
            TooLong { .. } => "glob.too_long",
            Negation => "glob.negation",
            Extglob => "glob.extglob",
            Range => "glob.range",
            PosixClass => "glob.posix_class",
            UnclosedClass => "glob.unclosed_class",
            SlashInClass => "glob.slash_in_class",
            NonAsciiClass => "glob.non_ascii_class",
            InvalidRange => "glob.invalid_range",
            UnclosedAlternation => "glob.unclosed_alternation",
            UnopenedAlternation => "glob.unopened_alternation",
            DanglingEscape => "glob.dangling_escape",
            ParentSegment => "glob.parent_segment",
            Nul => "glob.nul",
            StarRun => "glob.star_run",
            ClassEscape => "glob.class_escape",
            RangeAfterRange => "glob.range_after_range",
            SingleAlternative => "glob.single_alternative",
        }
    }

    fn describe(self) -> Cow<'static, str> {
        use GlobErrorKind::*;
        Cow::Borrowed(match self {
            Empty => "the pattern is empty (it would match nothing)",
            TooLong { limit } => {
                return Cow::Owned(format!(
                    "the pattern is longer than the limit max_glob_bytes ({limit} bytes)"
                ))
            }
            Negation => "a leading `!` (negation) is not supported: write a deny rule instead",
            Extglob => "extglobs `@(…) !(…) +(…) *(…) ?(…)` are not supported: use `{a,b}`",
            Range => "brace ranges like `{1..3}` are not supported: list the values, `{1,2,3}`",
            PosixClass => "POSIX classes like `[[:alpha:]]` are not supported: use `[a-zA-Z]`",
            UnclosedClass => "unclosed character class: `[` without a matching `]`",
            SlashInClass => "a character class never matches `/`: remove it from the class",
            NonAsciiClass => "character classes hold ASCII characters only",
            InvalidRange => "invalid range in character class: its start is after its end",
            UnclosedAlternation => "unclosed alternation: `{` without a matching `}`",
            UnopenedAlternation => "unmatched `}`: write `\\}` for a literal brace",
            DanglingEscape => "the pattern ends with a lone `\\`",
            ParentSegment => "a `..` segment can never match (paths with `..` are rejected)",
            Nul => "the pattern contains a NUL character",
            StarRun => "a run of three or more stars is not a glob: write `**` for any number of segments or `*` within one",
            ClassEscape => "`\\` in a class is read two ways: write `]` first, `-` first or last, `\\\\` for `\\`",
            RangeAfterRange => "a `-` after a range is read two ways (`[a-c-e]`): write `-` first or last",
            SingleAlternative => "braces without a comma are read two ways: write the text without braces, or `\\{`…`\\}`",
        })
    }
}

/// A pattern the dialect rejects, with where the problem starts (a byte
/// offset into the pattern) when it is known.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct GlobError {
    /// What is wrong.
    pub kind: GlobErrorKind,
    /// The pattern as written.
    pub pattern: String,
    /// The byte offset where the problem starts, when there is one.
    pub position: Option<usize>,
}

impl GlobError {
    pub(super) fn new(kind: GlobErrorKind, pattern: &str, position: Option<usize>) -> Self {
        GlobError {
            kind,
            pattern: pattern.to_string(),
            position,
        }
    }

    /// The stable machine code, `glob.*`.
    pub fn code(&self) -> &'static str {
        self.kind.code()
    }

    /// The message with the position counted from `offset` (where the
    /// pattern starts in a longer `patterns` string).
    pub fn message_at(&self, offset: usize) -> String {
        let mut msg = format!("invalid glob {:?}: {}", self.pattern, self.kind.describe());
        if let Some(p) = self.position {
            msg.push_str(&format!(" (at byte {})", offset + p));
        }
        msg
    }
}

impl fmt::Display for GlobError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.message_at(0))
    }
}

impl std::error::Error for GlobError {}

/// What is wrong with a path.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum PathErrorKind {
    /// Nothing left after normalization (`""`, `/`, `./`).
    Empty,
    /// Longer than `max_path_bytes`.
    TooLong {
        /// The limit it is over, in bytes.
        limit: usize,
    },
    /// A `..` segment: paths are project-relative.
    ParentSegment,
    /// A NUL character.
    Nul,
}

impl PathErrorKind {
    /// The stable machine code, `path.*`.
    pub fn code(self) -> &'static str {
        match self {
            PathErrorKind::Empty => "path.empty",
            PathErrorKind::TooLong { .. } => "path.too_long",
            PathErrorKind::ParentSegment => "path.parent_segment",
            PathErrorKind::Nul => "path.nul",
        }
    }

    /// What is wrong, in words.
    pub fn message(self) -> String {
        match self {
            PathErrorKind::Empty => "the path is empty".into(),
            PathErrorKind::TooLong { limit } => {
                format!("the path is longer than the limit max_path_bytes ({limit} bytes)")
            }
            PathErrorKind::ParentSegment => {
                "the path has a `..` segment; paths are project-relative".into()
            }
            PathErrorKind::Nul => "the path contains a NUL character".into(),
        }
    }
}

// Into an [`Issue`] at the value's own root (path `""`): the caller re-roots
// it with `crate::json::pointer::reroot`.

impl From<GlobError> for Issue {
    fn from(e: GlobError) -> Issue {
        Issue::new("", e.code(), e.message_at(0))
    }
}

impl From<PathErrorKind> for Issue {
    fn from(k: PathErrorKind) -> Issue {
        Issue::new("", k.code(), k.message())
    }
}
