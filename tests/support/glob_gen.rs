//! The generator and oracle of tests/glob_differential.rs: globs as syntax
//! trees of README's grammar ("The glob dialect"), rendered in our dialect
//! and, with README's decisions applied by rule, in globset's syntax.

use globset::GlobBuilder;

pub struct Rng(pub u64);

impl Rng {
    pub fn next(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9E37_79B9_7F4A_7C15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        z ^ (z >> 31)
    }
    pub fn below(&mut self, n: usize) -> usize {
        (self.next() % n as u64) as usize
    }
    pub fn pick<'a, T>(&mut self, xs: &'a [T]) -> &'a T {
        &xs[self.below(xs.len())]
    }
    pub fn chance(&mut self, percent: usize) -> bool {
        self.below(100) < percent
    }
}

#[derive(Clone, Debug)]
pub enum Node {
    Lit(String),
    Star,
    Stars,
    Any,
    Class {
        negated: bool,
        set: u128,
    },
    Alt(Vec<Vec<Node>>),
    /// `{x}` with no comma: written `\{x\}`, the literal text `{x}`; or
    /// (`true`) as `{x}`, which README refuses (`glob.single_alternative`).
    Braced(Vec<Node>, bool),
    Sep,
}

pub const LITS: &[&str] = &[
    "a",
    "b",
    "ab",
    "src",
    "src1",
    "srcx",
    ".",
    ".env",
    "x.md",
    "md",
    "A",
    "B",
    "Src",
    "é",
    "É",
    "-",
    "!",
    "^",
    "]",
    "$",
    "aaaa",
    "aaab",
    "+",
    "shared-prefix-of-many-rules-1",
    "shared-prefix-of-many-rules-2",
    "shared-prefix",
    "md.md",
    "..x",
    "x.",
    "é.md",
    "SRC",
    ",",
    "x y",
    "a,b",
    "(x)",
    "(",
    "\\",
    "*",
    "?",
    "[",
    "{a}",
    "a*b",
];

/// The simple shapes the trie holds (README: `a/b.txt`, `dir/**`,
/// `**/name`, `dir/*.ext`, `dir/**/*.ext`), with their parts drawn from
/// [`LITS`], sometimes an extra node inserted anywhere.
pub fn gen_shape(r: &mut Rng) -> Vec<Node> {
    let mut dir = Vec::new();
    for i in 0..r.below(3) {
        if i > 0 || r.chance(10) {
            dir.push(Node::Sep);
        }
        dir.push(Node::Lit(r.pick(LITS).to_string()));
    }
    let sep_after_dir = |d: &[Node]| {
        if d.is_empty() {
            vec![]
        } else {
            vec![Node::Sep]
        }
    };
    let ext = Node::Lit(format!(".{}", r.pick(LITS)));
    let name = Node::Lit(r.pick(LITS).to_string());
    let mut t = dir.clone();
    match r.below(5) {
        0 => {
            t.extend(sep_after_dir(&dir));
            t.push(name);
        }
        1 => {
            t.extend(sep_after_dir(&dir));
            t.push(Node::Stars);
        }
        2 => t = vec![Node::Stars, Node::Sep, name],
        3 => {
            t.extend(sep_after_dir(&dir));
            t.extend([Node::Star, ext]);
        }
        _ => {
            t.extend(sep_after_dir(&dir));
            t.extend([Node::Stars, Node::Sep, Node::Star, ext]);
        }
    }
    if r.chance(10) {
        t.push(Node::Sep);
    }
    if r.chance(40) {
        let at = r.below(t.len() + 1);
        let extra = gen_seq(r, 1, 1);
        for (k, n) in extra.into_iter().enumerate() {
            t.insert(at + k, n);
        }
    }
    t
}

/// Class ranges; `+-0` spans `/`, `Z-a` spans the case boundary.
pub const RANGES: [(u8, u8); 6] = [
    (b'+', b'0'),
    (b'a', b'c'),
    (b'A', b'Z'),
    (b'0', b'9'),
    (b'x', b'z'),
    (b'Z', b'a'),
];

pub fn gen_class(r: &mut Rng) -> Node {
    const POOL: &[u8] = b"abcAZz09.-]!^_\\*{},?[";
    let mut set = 0u128;
    for _ in 0..1 + r.below(3) {
        if r.chance(30) {
            let (lo, hi) = *r.pick(&RANGES);
            for c in lo..=hi {
                set |= 1 << c;
            }
        } else {
            set |= 1 << r.pick(POOL);
        }
    }
    Node::Class {
        negated: r.chance(30),
        set,
    }
}

pub fn gen_seq(r: &mut Rng, depth: usize, len: usize) -> Vec<Node> {
    let mut out = Vec::new();
    for _ in 0..len {
        let n = match r.below(if depth < 2 { 10 } else { 8 }) {
            0..=2 => Node::Lit(r.pick(LITS).to_string()),
            // Never two star nodes in a row: `*` `*` would spell `**`.
            3 | 4 if matches!(out.last(), Some(Node::Star | Node::Stars)) => continue,
            3 => Node::Star,
            4 => Node::Stars,
            5 => Node::Any,
            6 => gen_class(r),
            7 => Node::Sep,
            _ => {
                let k = 1 + r.below(3);
                if k == 1 {
                    let l = r.below(3);
                    let bare = r.chance(25);
                    out.push(Node::Braced(gen_seq(r, depth + 1, l), bare));
                    continue;
                }
                let branches = (0..k)
                    .map(|_| {
                        let l = r.below(3);
                        gen_seq(r, depth + 1, l)
                    })
                    .collect();
                Node::Alt(branches)
            }
        };
        out.push(n);
    }
    out
}

/// Our dialect's spelling of a class: ranges kept as ranges, `]` first,
/// `-` first or last, `\\` for `\`, `!` and `^` never first unless negated
/// (README: no other escape in a class); a class only `!`/`^` can spell is
/// written as escaped text. At times a member escaped anyway, or a `-`
/// after a range: refusals README names, returned.
pub fn dialect_class(r: &mut Rng, negated: bool, set: u128, out: &mut String) -> Vec<&'static str> {
    let mut refusals = Vec::new();
    let mut members: Vec<u8> = (0u8..128).filter(|&c| set & (1 << c) != 0).collect();
    let take = |members: &mut Vec<u8>, c: u8| {
        let had = members.contains(&c);
        members.retain(|&m| m != c);
        had
    };
    let mut close = take(&mut members, b']');
    let mut dash = take(&mut members, b'-');
    let mut body = String::new();
    for (lo, hi) in RANGES {
        let has = |c: u8| members.contains(&c) || (c == b'-' && dash) || (c == b']' && close);
        // A range spanning `/` must be written as one (README: it leaves `/` out).
        if (lo..=hi).all(has) && (r.chance(70) || lo == b'+') {
            body.push_str(&format!("{}-{}", lo as char, hi as char));
            members.retain(|c| !(lo..=hi).contains(c));
            dash &= !(lo..=hi).contains(&b'-');
            close &= !(lo..=hi).contains(&b']');
            if r.chance(2) {
                body.push_str("-q");
                refusals.push("glob.range_after_range");
            }
        }
    }
    // A `!` or `^` must not lead an unnegated class.
    let leads = |b: &str, m: &[u8]| {
        let first = b.bytes().next().or(m.first().copied());
        matches!(first, Some(b'!' | b'^'))
    };
    if !negated && !close && leads(&body, &members) {
        if let Some(i) = members.iter().position(|&c| !matches!(c, b'!' | b'^')) {
            members.swap(0, i);
        }
    }
    let dash_first = dash && (r.chance(50) || (!negated && !close && leads(&body, &members)));
    if !negated && !close && !dash_first && leads(&body, &members) {
        // Only `!` and `^`: escaped text, one or an alternation of two.
        let alts: Vec<String> = members
            .iter()
            .map(|&c| format!("\\{}", c as char))
            .collect();
        match alts.len() {
            1 => out.push_str(&alts[0]),
            _ => out.push_str(&format!("{{{}}}", alts.join(","))),
        }
        return refusals;
    }
    out.push('[');
    if negated {
        out.push(if r.chance(50) { '!' } else { '^' });
    }
    if close {
        out.push(']');
    }
    if dash_first && !close {
        out.push('-');
    }
    out.push_str(&body);
    for c in members {
        let c = c as char;
        if c == '\\' {
            out.push('\\');
        } else if r.chance(2) {
            out.push('\\');
            refusals.push("glob.class_escape");
        }
        out.push(c);
    }
    if dash && (!dash_first || close) {
        out.push('-');
    }
    out.push(']');
    refusals
}

/// Renders `nodes` in our dialect; returns the refusals README names for
/// the spellings chosen (a class member escaped, bare `{x}`), if any.
pub fn render(r: &mut Rng, nodes: &[Node], in_alt: bool, out: &mut String) -> Vec<&'static str> {
    let mut refusals = Vec::new();
    for n in nodes {
        match n {
            Node::Lit(s) => {
                for c in s.chars() {
                    let special = matches!(c, '*' | '?' | '[' | ']' | '{' | '}' | ',' | '\\');
                    let start = out.is_empty() && matches!(c, '!');
                    if special || start || (in_alt && c == ',') || (c != '/' && r.chance(4)) {
                        out.push('\\');
                    }
                    out.push(c);
                }
            }
            Node::Star => out.push('*'),
            Node::Stars => out.push_str("**"),
            Node::Any => out.push('?'),
            Node::Class { negated, set } => refusals.extend(dialect_class(r, *negated, *set, out)),
            Node::Sep => out.push('/'),
            Node::Alt(bs) => {
                out.push('{');
                for (i, b) in bs.iter().enumerate() {
                    if i > 0 {
                        out.push(',');
                    }
                    refusals.extend(render(r, b, true, out));
                }
                out.push('}');
            }
            Node::Braced(b, bare) => {
                out.push_str(if *bare { "{" } else { "\\{" });
                refusals.extend(render(r, b, in_alt, out));
                out.push_str(if *bare { "}" } else { "\\}" });
                if *bare {
                    refusals.push("glob.single_alternative");
                }
            }
        }
    }
    refusals
}

/// `\{x\}` is the literal text `{x}`.
pub fn desugar(nodes: &[Node]) -> Vec<Node> {
    let mut out = Vec::new();
    for n in nodes {
        match n {
            Node::Braced(b, _) => {
                out.push(Node::Lit("{".into()));
                out.extend(desugar(b));
                out.push(Node::Lit("}".into()));
            }
            Node::Alt(bs) => out.push(Node::Alt(bs.iter().map(|b| desugar(b)).collect())),
            n => out.push(n.clone()),
        }
    }
    out
}

pub fn structural(nodes: &[Node]) -> bool {
    // README: a branch of `.` or `..` alone is spelled out (a whole segment
    // of it is a `.` segment, dropped, or a `..` one, refused).
    matches!(literal(nodes).as_deref(), Some("." | ".."))
        || nodes.iter().any(|n| match n {
            Node::Sep | Node::Stars => true,
            Node::Alt(bs) => bs.iter().any(|b| structural(b)),
            _ => false,
        })
}

/// README: alternatives holding `/` or `**` (or only `.` or `..`) are
/// branches across segments: spelled out here (the others stay alternations of their segment).
pub fn expand(nodes: &[Node], out: &mut Vec<Vec<Node>>) {
    let at = nodes
        .iter()
        .position(|n| matches!(n, Node::Alt(bs) if bs.iter().any(|b| structural(b))));
    let Some(at) = at else {
        out.push(nodes.to_vec());
        return;
    };
    let Node::Alt(bs) = &nodes[at] else {
        unreachable!()
    };
    for b in bs {
        let mut next = nodes[..at].to_vec();
        next.extend(b.iter().cloned());
        next.extend(nodes[at + 1..].iter().cloned());
        expand(&next, out);
    }
}

pub fn fold_set(set: u128) -> u128 {
    let mut s = set;
    for c in b'a'..=b'z' {
        let u = c - 32;
        if set & (1 << c) != 0 || set & (1 << u) != 0 {
            s |= (1 << c) | (1 << u);
        }
    }
    s
}

pub fn globset_class(negated: bool, set: u128, out: &mut String) {
    // globset reads no escape in a class: `]` first, `-` last, `!`/`^` not
    // first; a class never matches `/` (README), so a negated one holds it.
    let mut set = set & !(1 << b'/');
    if negated {
        set |= 1 << b'/';
    }
    let has = |c: u8| set & (1 << c) != 0;
    let plain: Vec<u8> = (0u8..128)
        .filter(|&c| has(c) && !matches!(c, b']' | b'-' | b'!' | b'^'))
        .collect();
    if !negated && plain.is_empty() && !has(b']') {
        // Only `-`, `!`, `^`: an alternation of escaped literals.
        let alts: Vec<String> = [b'-', b'!', b'^']
            .iter()
            .filter(|&&c| has(c))
            .map(|&c| format!("\\{}", c as char))
            .collect();
        out.push_str(&format!("{{{}}}", alts.join(",")));
        return;
    }
    out.push('[');
    if negated {
        out.push('!');
    }
    if has(b']') {
        out.push(']');
    }
    for c in plain {
        out.push(c as char);
    }
    for c in [b'!', b'^', b'-'] {
        if has(c) {
            out.push(c as char);
        }
    }
    out.push(']');
}

pub fn globset_nodes(nodes: &[Node], fold: bool, out: &mut String) {
    for n in nodes {
        match n {
            Node::Lit(s) => {
                for c in s.chars() {
                    let c = if fold { c.to_ascii_lowercase() } else { c };
                    if "*?[]{},\\!^-".contains(c) {
                        out.push('\\');
                    }
                    out.push(c);
                }
            }
            // Stars glued to anything are one `*` (a run of them too).
            Node::Star | Node::Stars => {
                // A `*` before is a wildcard unless an odd run of backslashes
                // escapes it.
                let before = out
                    .strip_suffix('*')
                    .map(|b| b.len() - b.trim_end_matches('\\').len());
                if before.is_none_or(|n| n % 2 == 1) {
                    out.push('*')
                }
            }
            Node::Any => out.push('?'),
            Node::Class { negated, set } => {
                let set = if fold { fold_set(*set) } else { *set };
                globset_class(*negated, set, out)
            }
            Node::Sep | Node::Braced(..) => unreachable!("split off, desugared"),
            Node::Alt(bs) => {
                out.push('{');
                for (i, b) in bs.iter().enumerate() {
                    if i > 0 {
                        out.push(',');
                    }
                    globset_nodes(b, fold, out);
                }
                out.push('}');
            }
        }
    }
}

/// The literal text of a segment made of literals only.
pub fn literal(seg: &[Node]) -> Option<String> {
    seg.iter()
        .map(|n| match n {
            Node::Lit(s) => Some(s.clone()),
            _ => None,
        })
        .collect()
}

/// One spelled-out branch in globset's syntax, or None if it normalizes
/// to nothing.
pub fn globset_branch(nodes: &[Node], fold: bool) -> Option<String> {
    let mut segs: Vec<&[Node]> = nodes
        .split(|n| matches!(n, Node::Sep))
        .filter(|s| !matches!(literal(s).as_deref(), Some("" | ".")))
        .collect();
    // README: repeated globstar segments are one (`x/**/**` = `x/**`).
    segs.dedup_by(|a, b| matches!((a, b), ([Node::Stars], [Node::Stars])));
    let last = segs.len().checked_sub(1)?;
    let mut g = String::new();
    for (i, seg) in segs.iter().enumerate() {
        let globstar = matches!(seg, [Node::Stars]);
        if globstar && i == last && i > 0 {
            g.push_str("{,/**}");
            continue;
        }
        if i > 0 {
            g.push('/');
        }
        if globstar {
            g.push_str("**");
        } else {
            globset_nodes(seg, fold, &mut g);
        }
    }
    Some(g)
}

pub struct Oracle {
    pub globs: Vec<globset::GlobMatcher>,
    pub fold: bool,
    /// A spelled-out branch has a `..` segment (README: `glob.parent_segment`).
    pub parent: bool,
}

impl Oracle {
    pub fn new(tree: &[Node], fold: bool) -> Option<Oracle> {
        let mut branches = Vec::new();
        expand(&desugar(tree), &mut branches);
        if branches.len() > 64 {
            return None;
        }
        let mut globs = Vec::new();
        let parent = branches.iter().any(|b| {
            b.split(|n| matches!(n, Node::Sep))
                .any(|s| literal(s).as_deref() == Some(".."))
        });
        for b in branches {
            let Some(g) = globset_branch(&b, fold) else {
                continue;
            };
            let glob = GlobBuilder::new(&g)
                .literal_separator(true)
                .backslash_escape(true)
                .empty_alternates(true)
                .build()
                .unwrap_or_else(|e| panic!("oracle spelling {g:?}: {e}"));
            globs.push(glob.compile_matcher());
        }
        Some(Oracle {
            globs,
            fold,
            parent,
        })
    }
    pub fn matches(&self, path: &str) -> bool {
        let p = if self.fold {
            path.to_ascii_lowercase()
        } else {
            path.to_string()
        };
        self.globs.iter().any(|g| g.is_match(&p))
    }
}

/// A path drawn from the tree's shape (a random branch of each choice).
pub fn instance(r: &mut Rng, nodes: &[Node], out: &mut String) {
    for n in nodes {
        match n {
            Node::Lit(s) => {
                if r.chance(10) {
                    out.push_str(&s.to_uppercase());
                } else {
                    out.push_str(s);
                }
            }
            Node::Star => out.push_str(r.pick::<&str>(&["", "a", ".x", "é", "ab", "b/c"])),
            Node::Stars => out.push_str(r.pick::<&str>(&[
                "",
                "x",
                "x/y",
                "a/",
                "/a",
                "q.md",
                "a/b/c/d/e/f/g/h/i",
            ])),
            Node::Any => out.push_str(r.pick::<&str>(&["a", "é", ".", "Z", "/"])),
            Node::Class { set, .. } => {
                let c = if r.chance(70) && *set != 0 {
                    let ms: Vec<u8> = (0u8..128).filter(|&c| set & (1 << c) != 0).collect();
                    *r.pick(&ms) as char
                } else {
                    *r.pick(&['a', 'q', 'Z', '/', '.', 'é', '5'])
                };
                out.push(c);
            }
            Node::Sep => out.push('/'),
            Node::Alt(bs) => {
                let b = r.pick(bs).clone();
                instance(r, &b, out);
            }
            Node::Braced(b, _) => {
                out.push('{');
                instance(r, b, out);
                out.push('}');
            }
        }
    }
}

pub fn normalized_path(p: &str) -> Option<String> {
    let segs: Vec<&str> = p
        .split('/')
        .filter(|s| !s.is_empty() && *s != ".")
        .collect();
    if segs.is_empty() || segs.contains(&"..") {
        return None;
    }
    Some(segs.join("/"))
}

/// Paths as written (a leading `/` or `./`, `//`, `.` segments, a trailing
/// `/` at times) with their normalized form (README: the same path).
pub fn paths_for(r: &mut Rng, trees: &[Vec<Node>], n: usize) -> (Vec<String>, Vec<String>) {
    let (mut raw, mut norm) = (Vec::new(), Vec::new());
    while raw.len() < n {
        let t = r.pick(trees).clone();
        let mut p = String::new();
        instance(r, &t, &mut p);
        match r.below(8) {
            0 => p.push_str("/z"),
            1 => p = format!("z/{p}"),
            2 => {
                p.pop();
            }
            3 => p = p.to_ascii_uppercase(),
            _ => {}
        }
        let Some(n) = normalized_path(&p) else {
            continue;
        };
        if r.chance(20) {
            p = format!(
                "{}{p}{}",
                r.pick(&["/", "./", "", "././"]),
                r.pick(&["/", "", "/."])
            );
        } else if r.chance(70) {
            p = n.clone();
        }
        raw.push(p);
        norm.push(n);
    }
    (raw, norm)
}

/// The index of the last character of a class's opening at `i` (`[`,
/// then `!` or `^`, then a `]` that is a member, as the glob reads it).
fn class_open(chars: &[char], mut i: usize) -> usize {
    if matches!(chars.get(i + 1), Some('!' | '^')) {
        i += 1;
    }
    if chars.get(i + 1) == Some(&']') {
        i += 1;
    }
    i
}

/// The pattern with its last plain ASCII letter written `[c]`.
pub fn classed(pattern: &str) -> Option<String> {
    let chars: Vec<char> = pattern.chars().collect();
    let (mut last, mut i, mut in_class) = (None, 0, false);
    while i < chars.len() {
        match chars[i] {
            '\\' => i += 1,
            '[' if !in_class => {
                in_class = true;
                i = class_open(&chars, i);
            }
            ']' if in_class => in_class = false,
            c if c.is_ascii_alphabetic() && !in_class => last = Some(i),
            _ => {}
        }
        i += 1;
    }
    let at = last?;
    let mut s: String = chars[..at].iter().collect();
    s.push('[');
    s.push(chars[at]);
    s.push(']');
    s.extend(&chars[at + 1..]);
    Some(s)
}

/// Does the glob as written hold an extglob opener (`@(`, `!(`, `+(`, `*(`,
/// `?(` with the operator unescaped and outside a class)? README refuses
/// those with `glob.extglob`.
pub fn has_extglob(g: &str) -> bool {
    let chars: Vec<char> = g.chars().collect();
    let (mut i, mut in_class, mut op) = (0, false, false);
    while i < chars.len() {
        let c = chars[i];
        let was_op = op;
        op = false;
        match c {
            '\\' => i += 1,
            '[' if !in_class => {
                in_class = true;
                i = class_open(&chars, i);
            }
            ']' if in_class => in_class = false,
            '(' if !in_class && was_op => return true,
            '@' | '!' | '+' | '*' | '?' if !in_class => op = true,
            _ => {}
        }
        i += 1;
    }
    false
}
