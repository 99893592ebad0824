//! `pattern` and `patternProperties` in Go's regexp (RE2) syntax, matched
//! by a small Thompson automaton (a Pike VM without captures): linear in
//! the text for a given pattern, as RE2 guarantees. Own code rather than a
//! crate: `regex-lite`, the smallest, adds 21.6 KB gzipped to the package,
//! more than the size budget leaves (README, frontier section).
//!
//! Syntax as Go's regexp/syntax (Perl flags): literals and escapes
//! (`\t \n \x41 \x{263a}`, escaped punctuation, `\Q…\E`), `.`, classes
//! (`[a-z]`, `[^…]`, `[[:alpha:]]`, `\d \w \s` and negations, all ASCII as
//! in Go), groups (`(…)`, `(?:…)`, `(?P<n>…)`, `(?<n>…)`), flags `imsU`,
//! repetition (`* + ? {n} {n,} {n,m}`, lazy forms; counts ≤ 1000), anchors
//! `^ $ \A \z \b \B`, alternation. Refused as Go refuses: unknown escapes,
//! backreferences, look-around, nested repetition operators, unbalanced
//! parentheses. Unsupported (valid in Go, not checked here): Unicode
//! classes `\p{…}` and `(?i)` with non-ASCII letters.

mod class;

use class::{negate, normalize, posix, DIGIT, SPACE, WORD};

/// A compiled pattern and the size that prices a match.
#[derive(Debug, Clone)]
pub struct GoRegex {
    prog: Vec<Inst>,
    pub weight: usize,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum RegexError {
    /// Go's `regexp.Compile` refuses it: the server rejects the schema.
    Invalid(String),
    /// Valid in Go, but not checked here.
    Unsupported(String),
}

impl GoRegex {
    /// Instructions in the compiled program (what it holds in memory).
    pub fn size(&self) -> usize {
        self.prog.len()
    }
}

/// The most instructions a pattern may compile to (counted repetitions
/// expand): beyond it the pattern is refused, like Go's size limit.
const MAX_PROG: usize = 50_000;

#[derive(Debug, Clone, Copy, PartialEq)]
enum Look {
    Begin,
    End,
    BeginLine,
    EndLine,
    Word,
    NotWord,
}

#[derive(Debug, Clone)]
enum Inst {
    /// One char in these sorted ranges (or not in them).
    Class(Vec<(char, char)>, bool),
    Split(usize, usize),
    Jmp(usize),
    Look(Look),
    Match,
}

#[derive(Debug, Clone)]
enum Node {
    Class(Vec<(char, char)>, bool),
    Look(Look),
    Cat(Vec<Node>),
    Alt(Vec<Node>),
    Rep(Box<Node>, u32, Option<u32>),
}

#[derive(Clone, Copy, Default)]
struct Flags {
    i: bool,
    m: bool,
    s: bool,
}

fn invalid<T>(msg: impl Into<String>) -> Result<T, RegexError> {
    Err(RegexError::Invalid(msg.into()))
}

struct Parser<'p> {
    s: &'p [char],
    i: usize,
    flags: Flags,
    unsupported: Option<String>,
}

impl Parser<'_> {
    fn peek(&self) -> Option<char> {
        self.s.get(self.i).copied()
    }

    fn eat(&mut self, c: char) -> bool {
        let hit = self.peek() == Some(c);
        self.i += usize::from(hit);
        hit
    }

    fn literal(&mut self, c: char) -> Node {
        // Any non-ASCII char: telling letters apart would need Unicode tables.
        if self.flags.i && !c.is_ascii() {
            self.unsupported = Some(
                "(?i) with non-ASCII letters folds Unicode case in Go; not checked by groupgate"
                    .into(),
            );
        }
        Node::Class(normalize(vec![(c, c)], self.flags.i), false)
    }

    fn alt(&mut self, depth: usize) -> Result<Node, RegexError> {
        if depth > 200 {
            return invalid("expression nests too deeply");
        }
        let mut branches = vec![self.cat(depth)?];
        while self.eat('|') {
            branches.push(self.cat(depth)?);
        }
        Ok(if branches.len() == 1 {
            branches.pop().unwrap_or(Node::Cat(vec![]))
        } else {
            Node::Alt(branches)
        })
    }

    fn cat(&mut self, depth: usize) -> Result<Node, RegexError> {
        let mut items: Vec<Node> = Vec::new();
        while let Some(c) = self.peek() {
            match c {
                '|' | ')' => break,
                '*' | '+' | '?' | '{' => {
                    let Some((min, max)) = self.repeat()? else {
                        self.i += 1;
                        items.push(self.literal('{'));
                        continue;
                    };
                    let Some(last) = items.pop() else {
                        return invalid(format!("missing argument to repetition operator: {c}"));
                    };
                    if matches!(last, Node::Rep(..))
                        && self.s.get(self.i.wrapping_sub(1)) != Some(&')')
                    {
                        return invalid("invalid nested repetition operator");
                    }
                    items.push(Node::Rep(Box::new(last), min, max));
                }
                _ => {
                    if let Some(n) = self.atom(depth)? {
                        items.push(n);
                    }
                }
            }
        }
        Ok(Node::Cat(items))
    }

    /// `* + ? {n} {n,} {n,m}` with an optional lazy `?`; None: `{` is literal.
    fn repeat(&mut self) -> Result<Option<(u32, Option<u32>)>, RegexError> {
        let c = self.s[self.i];
        let r = match c {
            '*' => (0, None),
            '+' => (1, None),
            '?' => (0, Some(1)),
            _ => {
                // Only digits and commas can make a repeat (anything else
                // before the `}` leaves `{` a literal, as Go's parseRepeat
                // does): scanning on to the next `}` read the rest of the
                // pattern at every `{` (100,000 `{`: 43 s).
                let rest: String = self.s[self.i + 1..]
                    .iter()
                    .take_while(|c| c.is_ascii_digit() || **c == ',')
                    .collect();
                let closed = self.s.get(self.i + 1 + rest.chars().count()) == Some(&'}');
                let (a, b) = rest
                    .split_once(',')
                    .map_or((rest.as_str(), None), |(a, b)| (a, Some(b)));
                let num = |t: &str| {
                    (!t.is_empty() && t.bytes().all(|x| x.is_ascii_digit()))
                        .then(|| t.parse::<u32>().unwrap_or(u32::MAX))
                };
                let Some(min) =
                    num(a).filter(|_| closed && b.is_none_or(|b| b.is_empty() || num(b).is_some()))
                else {
                    return Ok(None);
                };
                let max = match b {
                    None => Some(min),
                    Some("") => None,
                    Some(b) => num(b),
                };
                if min > 1000 || max.is_some_and(|m| m > 1000 || m < min) {
                    return invalid(format!("invalid repeat count: {{{rest}}}"));
                }
                self.i += rest.chars().count() + 1;
                (min, max)
            }
        };
        self.i += 1;
        self.eat('?');
        if matches!(self.peek(), Some('*' | '+' | '?')) {
            return invalid("invalid nested repetition operator");
        }
        Ok(Some(r))
    }

    fn atom(&mut self, depth: usize) -> Result<Option<Node>, RegexError> {
        let c = self.s[self.i];
        self.i += 1;
        Ok(Some(match c {
            '(' => return self.group(depth),
            '[' => self.class()?,
            '.' => {
                let nl = if self.flags.s {
                    vec![]
                } else {
                    vec![('\n', '\n')]
                };
                Node::Class(nl, true)
            }
            '^' => Node::Look(if self.flags.m {
                Look::BeginLine
            } else {
                Look::Begin
            }),
            '$' => Node::Look(if self.flags.m {
                Look::EndLine
            } else {
                Look::End
            }),
            '\\' => return self.escape(),
            c => self.literal(c),
        }))
    }

    fn group(&mut self, depth: usize) -> Result<Option<Node>, RegexError> {
        if self.eat('?') {
            if self.eat('P') || self.peek() == Some('<') {
                if !self.eat('<') {
                    return invalid("invalid named capture");
                }
                let name: String = self.s[self.i..].iter().take_while(|c| **c != '>').collect();
                let ok =
                    !name.is_empty() && name.chars().all(|c| c.is_ascii_alphanumeric() || c == '_');
                if !ok || self.s.get(self.i + name.chars().count()) != Some(&'>') {
                    return invalid(format!("invalid named capture: {name}"));
                }
                self.i += name.chars().count() + 1;
            } else {
                // Flags: (?flags) or (?flags:re).
                let mut on = true;
                let mut f = self.flags;
                loop {
                    match self.peek() {
                        Some('i') => f.i = on,
                        Some('m') => f.m = on,
                        Some('s') => f.s = on,
                        Some('U') => {}
                        Some('-') if on => on = false,
                        Some(')') => {
                            self.i += 1;
                            self.flags = f;
                            return Ok(None);
                        }
                        Some(':') => {
                            self.i += 1;
                            let outer = std::mem::replace(&mut self.flags, f);
                            let inner = self.alt(depth + 1)?;
                            self.flags = outer;
                            return self.close(inner);
                        }
                        _ => return invalid("invalid or unsupported Perl syntax"),
                    }
                    self.i += 1;
                }
            }
        }
        let outer = self.flags;
        let inner = self.alt(depth + 1)?;
        self.flags = outer;
        self.close(inner)
    }

    fn close(&mut self, inner: Node) -> Result<Option<Node>, RegexError> {
        if !self.eat(')') {
            return invalid("missing closing )");
        }
        Ok(Some(Node::Cat(vec![inner])))
    }

    /// After `\`: an escape outside a class.
    fn escape(&mut self) -> Result<Option<Node>, RegexError> {
        let Some(c) = self.peek() else {
            return invalid("trailing backslash at end of expression");
        };
        self.i += 1;
        Ok(Some(match c {
            'A' => Node::Look(Look::Begin),
            'z' => Node::Look(Look::End),
            'b' => Node::Look(Look::Word),
            'B' => Node::Look(Look::NotWord),
            'Q' => {
                let rest = &self.s[self.i..];
                let end = rest
                    .windows(2)
                    .position(|w| w == ['\\', 'E'])
                    .unwrap_or(rest.len());
                let lit: Vec<char> = rest[..end].to_vec();
                self.i += end + if end < rest.len() { 2 } else { 0 };
                return Ok(Some(Node::Cat(
                    lit.into_iter().map(|c| self.literal(c)).collect(),
                )));
            }
            _ => {
                self.i -= 1;
                let (ranges, neg) = self.class_escape()?;
                Node::Class(normalize(ranges, self.flags.i), neg)
            }
        }))
    }

    /// An escape that stands for a set of chars (inside or outside classes).
    fn class_escape(&mut self) -> Result<(Vec<(char, char)>, bool), RegexError> {
        let c = self.s[self.i];
        self.i += 1;
        let one = |c: char| Ok((vec![(c, c)], false));
        match c {
            'd' | 'D' => Ok((DIGIT.to_vec(), c == 'D')),
            'w' | 'W' => Ok((WORD.to_vec(), c == 'W')),
            's' | 'S' => Ok((SPACE.to_vec(), c == 'S')),
            'p' | 'P' => {
                self.unsupported =
                    Some("Unicode classes (\\p, \\P) are not checked by groupgate".into());
                // Skip the class name; it matches nothing here.
                if self.eat('{') {
                    while self.peek().is_some_and(|c| c != '}') {
                        self.i += 1;
                    }
                    self.i += 1;
                } else {
                    self.i += 1;
                }
                Ok((vec![], false))
            }
            'a' => one('\x07'),
            'f' => one('\x0c'),
            't' => one('\t'),
            'n' => one('\n'),
            'r' => one('\r'),
            'v' => one('\x0b'),
            '0'..='7' if c == '0' || self.peek().is_some_and(|d| ('0'..='7').contains(&d)) => {
                let mut v = c as u32 - '0' as u32;
                for _ in 0..2 {
                    match self.peek() {
                        Some(d @ '0'..='7') => {
                            v = v * 8 + (d as u32 - '0' as u32);
                            self.i += 1;
                        }
                        _ => break,
                    }
                }
                one(char::from_u32(v).unwrap_or('\0'))
            }
            'x' => {
                let hex: String = if self.eat('{') {
                    let h: String = self.s[self.i..].iter().take_while(|c| **c != '}').collect();
                    self.i += h.chars().count() + 1;
                    h
                } else {
                    let h: String = self.s[self.i..].iter().take(2).collect();
                    self.i += 2;
                    h
                };
                match u32::from_str_radix(&hex, 16).ok().and_then(char::from_u32) {
                    Some(ch) if !hex.is_empty() && hex.len() <= 8 => one(ch),
                    _ => invalid(format!("invalid escape sequence: \\x{hex}")),
                }
            }
            c if c.is_ascii_punctuation() => one(c),
            c => invalid(format!("invalid escape sequence: \\{c}")),
        }
    }

    /// After `[`.
    fn class(&mut self) -> Result<Node, RegexError> {
        let neg = self.eat('^');
        let mut ranges: Vec<(char, char)> = Vec::new();
        let mut first = true;
        loop {
            let Some(c) = self.peek() else {
                return invalid("missing closing ]");
            };
            if c == ']' && !first {
                self.i += 1;
                break;
            }
            first = false;
            if c == '[' && self.s.get(self.i + 1) == Some(&':') {
                let rest: String = self.s[self.i + 2..].iter().take(10).collect();
                if let Some(end) = crate::substr::find(&rest, ":]") {
                    let (name, not) = rest[..end]
                        .strip_prefix('^')
                        .map_or((&rest[..end], false), |n| (n, true));
                    let Some(set) = posix(name) else {
                        return invalid(format!("invalid character class range: [:{name}:]"));
                    };
                    ranges.extend(if not { negate(set) } else { set.to_vec() });
                    self.i += 2 + end + 2;
                    continue;
                }
            }
            let lo = self.class_char(&mut ranges)?;
            let Some(lo) = lo else { continue };
            if self.peek() == Some('-') && self.s.get(self.i + 1).is_some_and(|c| *c != ']') {
                self.i += 1;
                let Some(hi) = self.class_char(&mut ranges)? else {
                    return invalid("invalid character class range");
                };
                if hi < lo {
                    return invalid(format!("invalid character class range: {lo}-{hi}"));
                }
                ranges.push((lo, hi));
            } else {
                ranges.push((lo, lo));
            }
        }
        Ok(Node::Class(normalize(ranges, self.flags.i), neg))
    }

    /// One char of a class, or a class escape added to `ranges` (None).
    fn class_char(&mut self, ranges: &mut Vec<(char, char)>) -> Result<Option<char>, RegexError> {
        let c = self.s[self.i];
        self.i += 1;
        if c != '\\' {
            return Ok(Some(c));
        }
        if self.peek().is_none() {
            return invalid("missing closing ]");
        }
        let (set, neg) = self.class_escape()?;
        if !neg
            && set.len() == 1
            && set[0].0 == set[0].1
            && !matches!(self.s[self.i - 1], 'd' | 'w' | 's')
        {
            return Ok(Some(set[0].0));
        }
        ranges.extend(if neg { negate(&set) } else { set });
        Ok(None)
    }
}

/// Emits `n` into `prog`.
fn emit(n: &Node, prog: &mut Vec<Inst>) -> Result<(), RegexError> {
    if prog.len() > MAX_PROG {
        return invalid("expression too large");
    }
    match n {
        Node::Class(r, neg) => prog.push(Inst::Class(r.clone(), *neg)),
        Node::Look(l) => prog.push(Inst::Look(*l)),
        Node::Cat(items) => {
            for i in items {
                emit(i, prog)?;
            }
        }
        Node::Alt(branches) => {
            let mut jumps = Vec::new();
            for (k, b) in branches.iter().enumerate() {
                if k + 1 < branches.len() {
                    let split = prog.len();
                    prog.push(Inst::Split(split + 1, 0));
                    emit(b, prog)?;
                    jumps.push(prog.len());
                    prog.push(Inst::Jmp(0));
                    let next = prog.len();
                    prog[split] = Inst::Split(split + 1, next);
                } else {
                    emit(b, prog)?;
                }
            }
            let end = prog.len();
            for j in jumps {
                prog[j] = Inst::Jmp(end);
            }
        }
        Node::Rep(inner, min, max) => {
            for _ in 0..*min {
                emit(inner, prog)?;
            }
            match max {
                None => {
                    let split = prog.len();
                    prog.push(Inst::Split(split + 1, 0));
                    emit(inner, prog)?;
                    prog.push(Inst::Jmp(split));
                    let end = prog.len();
                    prog[split] = Inst::Split(split + 1, end);
                }
                Some(max) => {
                    let mut splits = Vec::new();
                    for _ in *min..*max {
                        splits.push(prog.len());
                        prog.push(Inst::Split(0, 0));
                        emit(inner, prog)?;
                    }
                    let end = prog.len();
                    for s in splits {
                        prog[s] = Inst::Split(s + 1, end);
                    }
                }
            }
        }
    }
    Ok(())
}

fn is_word(c: Option<char>) -> bool {
    c.is_some_and(|c| c.is_ascii_alphanumeric() || c == '_')
}

impl GoRegex {
    pub fn compile(pattern: &str) -> Result<GoRegex, RegexError> {
        Self::compile_counted(pattern).0
    }

    /// [`GoRegex::compile`] and the instructions it emitted, also when it
    /// refused the pattern (a counted repetition expands until the size
    /// limit stops it): the work a `regex` format check is charged.
    pub fn compile_counted(pattern: &str) -> (Result<GoRegex, RegexError>, usize) {
        let chars: Vec<char> = pattern.chars().collect();
        let mut p = Parser {
            s: &chars,
            i: 0,
            flags: Flags::default(),
            unsupported: None,
        };
        let ast = match p.alt(0) {
            Ok(ast) => ast,
            Err(e) => return (Err(e), 0),
        };
        if p.i < chars.len() {
            return (invalid("unexpected )"), 0);
        }
        if let Some(u) = p.unsupported {
            return (Err(RegexError::Unsupported(u)), 0);
        }
        let mut prog = Vec::new();
        if let Err(e) = emit(&ast, &mut prog) {
            return (Err(e), prog.len());
        }
        prog.push(Inst::Match);
        let n = prog.len();
        if n > MAX_PROG {
            return (invalid("expression too large"), n);
        }
        (
            Ok(GoRegex {
                weight: prog.len(),
                prog,
            }),
            n,
        )
    }

    /// Go's `MatchString`: a match anywhere (unanchored).
    pub fn is_match(&self, text: &str) -> bool {
        let n = self.prog.len();
        let (mut cur, mut next) = (Vec::with_capacity(n), Vec::with_capacity(n));
        let mut seen = vec![usize::MAX; n];
        let mut prev: Option<char> = None;
        let mut it = text.chars().peekable();
        let mut step = 0usize;
        loop {
            let here = it.peek().copied();
            // Unanchored: a new thread starts at every position.
            if self.add(&mut cur, &mut seen, step, 0, prev, here) {
                return true;
            }
            let Some(c) = it.next() else { return false };
            step += 1;
            next.clear();
            let after = it.peek().copied();
            for &pc in &cur {
                if let Inst::Class(r, neg) = &self.prog[pc] {
                    let inside = r.binary_search_by(|&(a, b)| {
                        if c < a {
                            std::cmp::Ordering::Greater
                        } else if c > b {
                            std::cmp::Ordering::Less
                        } else {
                            std::cmp::Ordering::Equal
                        }
                    });
                    if inside.is_ok() != *neg
                        && self.add(&mut next, &mut seen, step, pc + 1, Some(c), after)
                    {
                        return true;
                    }
                }
            }
            std::mem::swap(&mut cur, &mut next);
            prev = Some(c);
        }
    }

    /// Adds the thread at `pc` and its ε-closure; true when it reaches Match.
    fn add(
        &self,
        list: &mut Vec<usize>,
        seen: &mut [usize],
        step: usize,
        pc: usize,
        prev: Option<char>,
        next: Option<char>,
    ) -> bool {
        let mut stack = vec![pc];
        while let Some(pc) = stack.pop() {
            if seen[pc] == step {
                continue;
            }
            seen[pc] = step;
            match &self.prog[pc] {
                Inst::Match => return true,
                Inst::Jmp(t) => stack.push(*t),
                Inst::Split(a, b) => {
                    stack.push(*b);
                    stack.push(*a);
                }
                Inst::Look(l) => {
                    let ok = match l {
                        Look::Begin => prev.is_none(),
                        Look::End => next.is_none(),
                        Look::BeginLine => prev.is_none_or(|c| c == '\n'),
                        Look::EndLine => next.is_none_or(|c| c == '\n'),
                        Look::Word => is_word(prev) != is_word(next),
                        Look::NotWord => is_word(prev) == is_word(next),
                    };
                    if ok {
                        stack.push(pc + 1);
                    }
                }
                Inst::Class(..) => list.push(pc),
            }
        }
        false
    }
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
        ok("^(cat|dog)s?$", &["cat", "dogs"], &["cats!", "cow"]);
        ok("(?m)^b$", &["a\nb\nc"], &["ab"]);
        ok("^b$", &["b"], &["a\nb"]);
        ok("\\bword\\b", &["a word here"], &["swordfish"]);
        ok("^[\\d_-]+$", &["1_-2"], &["a"]);
        ok("^[^\\s]+$", &["abc"], &["a c"]);
        ok("^a.c$", &["abc", "aéc"], &["a\nc"]);
        ok("(?s)^a.c$", &["a\nc"], &[]);
        ok("^\\x41\\x{263a}$", &["A☺"], &["A"]);
        ok("^a|", &["", "zzz"], &[]);
        ok("^(a*)*$", &["aaa", ""], &["b"]);
        ok("^a+?b*?$", &["aabb"], &["ba"]);
        ok("^(?i:ab)c$", &["ABc"], &["ABC"]);
        ok("^[a-c[:digit:]]{2}$", &["a1", "cb"], &["d1"]);
        ok("^\\.\\*$", &[".*"], &["ab"]);
        ok("^x{2}y{1,}z{0,1}$", &["xxy", "xxyyz"], &["xy", "xxyzz"]);
        ok("a{,3}", &["a{,3}"], &["aaa"]); // not a repeat: literal braces
        for p in ["a**", "[z-a]", ")", "[a", "(?<>a)", "\\q", "x{2}{3}", "*a"] {
            assert!(
                matches!(GoRegex::compile(p), Err(RegexError::Invalid(_))),
                "{p}"
            );
        }
        // Linear time: a pattern that backtracking engines take exponentially.
        let re = GoRegex::compile("^(a+)+$").unwrap();
        let text = format!("{}b", "a".repeat(5_000));
        assert!(!re.is_match(&text));
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
