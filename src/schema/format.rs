//! `format`, asserted as gojsonschema v1.2.0 does (format_checkers.go): the
//! same names, each checked the way its Go function decides (`time.Parse`
//! layouts, `net.ParseIP`, `net/url.Parse`, `net/mail.ParseAddress`, the
//! library's own regular expressions). Unknown names always pass.

use super::net;
use super::regex::{GoRegex, RegexError};

/// The formats gojsonschema knows.
pub const KNOWN: [&str; 17] = [
    "date",
    "time",
    "date-time",
    "hostname",
    "email",
    "idn-email",
    "ipv4",
    "ipv6",
    "uri",
    "uri-reference",
    "iri",
    "iri-reference",
    "uri-template",
    "uuid",
    "regex",
    "json-pointer",
    "relative-json-pointer",
];

pub fn is_known(name: &str) -> bool {
    KNOWN.contains(&name)
}

/// True when the string `s` has format `name` (unknown formats pass).
pub fn check(name: &str, s: &str) -> bool {
    match name {
        "date" => date(s),
        "time" => time(s, true) || time(s, false),
        // gojsonschema tries "15:04:05", "15:04:05Z07:00", "2006-01-02",
        // RFC3339 and RFC3339Nano: a bare date or time is a date-time.
        "date-time" => time(s, false) || time(s, true) || date(s) || date_time(s),
        "hostname" => hostname(s),
        "email" | "idn-email" => net::parse_address(s),
        "ipv4" => net::parse_ip(s) && s.as_bytes().contains(&b'.'),
        "ipv6" => net::parse_ip(s) && s.as_bytes().contains(&b':'),
        "uri" | "iri" => {
            !s.as_bytes().contains(&b'\\') && net::parse_url(s).is_some_and(|u| u.has_scheme)
        }
        "uri-reference" | "iri-reference" => {
            !s.as_bytes().contains(&b'\\') && net::parse_url(s).is_some()
        }
        "uri-template" => {
            !s.as_bytes().contains(&b'\\')
                && net::parse_url(s).is_some_and(|u| balanced_braces(&u.path))
        }
        "uuid" => uuid(s),
        "regex" => s.is_empty() || !matches!(GoRegex::compile(s), Err(RegexError::Invalid(_))),
        "json-pointer" => json_pointer(s),
        "relative-json-pointer" => relative_json_pointer(s),
        _ => true,
    }
}

/// [`check`] and the work it did beyond reading the text: a `regex` value
/// is compiled, and a counted repetition expands (`(a{1000}){49}` is 49,000
/// instructions), so its instructions are the work.
pub fn check_costed(format: &str, s: &str) -> (bool, usize) {
    if format == "regex" && !s.is_empty() {
        let (compiled, work) = GoRegex::compile_counted(s);
        return (!matches!(compiled, Err(RegexError::Invalid(_))), work);
    }
    (check(format, s), 0)
}

/// A cursor over ASCII input, for Go's `time.Parse`.
struct Cur<'a> {
    s: &'a [u8],
}

impl Cur<'_> {
    fn lit(&mut self, c: u8) -> Option<()> {
        (self.s.first() == Some(&c)).then(|| self.s = &self.s[1..])
    }

    /// Go's `getnum`: two digits, or one when not `fixed`.
    fn num(&mut self, fixed: bool) -> Option<u32> {
        let d = |i: usize| {
            self.s
                .get(i)
                .filter(|c| c.is_ascii_digit())
                .map(|c| u32::from(c - b'0'))
        };
        let a = d(0)?;
        match d(1) {
            Some(b) => {
                self.s = &self.s[2..];
                Some(a * 10 + b)
            }
            None if !fixed => {
                self.s = &self.s[1..];
                Some(a)
            }
            None => None,
        }
    }

    fn year(&mut self) -> Option<u32> {
        let y = self
            .s
            .get(..4)
            .filter(|y| y.iter().all(u8::is_ascii_digit))?;
        self.s = &self.s[4..];
        Some(y.iter().fold(0, |a, c| a * 10 + u32::from(c - b'0')))
    }

    /// `.123` or `,123` after the seconds (Go accepts both).
    fn fraction(&mut self) {
        if self.s.len() >= 2 && matches!(self.s[0], b'.' | b',') && self.s[1].is_ascii_digit() {
            let n = 1 + self.s[1..]
                .iter()
                .take_while(|c| c.is_ascii_digit())
                .count();
            self.s = &self.s[n..];
        }
    }

    /// `Z07:00`: `Z`, or `±hh:mm` with hh ≤ 24 and mm ≤ 60 (Go's ranges).
    fn zone(&mut self) -> Option<()> {
        if self.lit(b'Z').is_some() {
            return Some(());
        }
        if self.s.len() < 6 || !matches!(self.s[0], b'+' | b'-') || self.s[3] != b':' {
            return None;
        }
        let mut h = Cur { s: &self.s[1..3] };
        let mut m = Cur { s: &self.s[4..6] };
        let (hh, mm) = (h.num(true)?, m.num(true)?);
        self.s = &self.s[6..];
        (hh <= 24 && mm <= 60).then_some(())
    }

    fn clock(&mut self) -> Option<()> {
        let h = self.num(false)?;
        self.lit(b':')?;
        let m = self.num(true)?;
        self.lit(b':')?;
        let s = self.num(true)?;
        self.fraction();
        (h < 24 && m < 60 && s < 60).then_some(())
    }

    fn date(&mut self) -> Option<()> {
        let y = self.year()?;
        self.lit(b'-')?;
        let m = self.num(true)?;
        self.lit(b'-')?;
        let d = self.num(true)?;
        ((1..=12).contains(&m) && d >= 1 && d <= days_in(m, y)).then_some(())
    }

    fn end(&self) -> Option<()> {
        self.s.is_empty().then_some(())
    }
}

fn days_in(month: u32, year: u32) -> u32 {
    match month {
        2 if year.is_multiple_of(4) && (!year.is_multiple_of(100) || year.is_multiple_of(400)) => {
            29
        }
        2 => 28,
        4 | 6 | 9 | 11 => 30,
        _ => 31,
    }
}

fn date(s: &str) -> bool {
    let mut c = Cur { s: s.as_bytes() };
    c.date().and_then(|_| c.end()).is_some()
}

/// `15:04:05`, or with `zoned` `15:04:05Z07:00`.
fn time(s: &str, zoned: bool) -> bool {
    let mut c = Cur { s: s.as_bytes() };
    c.clock()
        .and_then(|_| if zoned { c.zone() } else { Some(()) })
        .and_then(|_| c.end())
        .is_some()
}

/// RFC3339 (and RFC3339Nano) through Go's general layout parser.
fn date_time(s: &str) -> bool {
    let mut c = Cur { s: s.as_bytes() };
    c.date()
        .and_then(|_| c.lit(b'T'))
        .and_then(|_| c.clock())
        .and_then(|_| c.zone())
        .and_then(|_| c.end())
        .is_some()
}

/// gojsonschema's `rxHostname` and `len < 256`.
fn hostname(s: &str) -> bool {
    s.len() < 256
        && s.split('.').all(|label| {
            let b = label.as_bytes();
            (1..=63).contains(&b.len())
                && b.iter().all(|c| c.is_ascii_alphanumeric() || *c == b'-')
                && b[0] != b'-'
                && b[b.len() - 1] != b'-'
        })
}

/// `^[a-f0-9]{8}-[a-f0-9]{4}-[a-f0-9]{4}-[a-f0-9]{4}-[a-f0-9]{12}$`
/// (lower case only in v1.2.0).
fn uuid(s: &str) -> bool {
    let groups: Vec<&str> = s.split('-').collect();
    groups.len() == 5
        && groups.iter().zip([8, 4, 4, 4, 12]).all(|(g, n)| {
            g.len() == n
                && g.bytes()
                    .all(|c| c.is_ascii_digit() || (b'a'..=b'f').contains(&c))
        })
}

/// `^(?:/(?:[^~/]|~0|~1)*)*$`
fn json_pointer(s: &str) -> bool {
    (s.is_empty() || s.starts_with('/')) && escapes_ok(s)
}

fn escapes_ok(s: &str) -> bool {
    let b = s.as_bytes();
    b.iter()
        .enumerate()
        .all(|(i, c)| *c != b'~' || matches!(b.get(i + 1), Some(b'0' | b'1')))
}

/// `^(?:0|[1-9][0-9]*)(?:#|(?:/(?:[^~/]|~0|~1)*)*)$`
fn relative_json_pointer(s: &str) -> bool {
    let n = s.bytes().take_while(u8::is_ascii_digit).count();
    let (num, rest) = s.split_at(n);
    !num.is_empty() && (num == "0" || !num.starts_with('0')) && (rest == "#" || json_pointer(rest))
}

/// `^([^{]*({[^}]*})?)*$`: every `{` closed by a `}` before the next `{`.
fn balanced_braces(path: &str) -> bool {
    let mut open = false;
    for c in path.chars() {
        match c {
            '{' if open => return false,
            '{' => open = true,
            '}' if open => open = false,
            _ => {}
        }
    }
    !open
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn formats_as_go_decides() {
        let cases: &[(&str, &[&str], &[&str])] = &[
            (
                "date",
                &["2024-02-29", "0000-01-01"],
                &[
                    "2023-02-29",
                    "2024-1-01",
                    "2024-13-01",
                    "24-01-01",
                    "2024-01-01T00:00:00Z",
                ],
            ),
            (
                "time",
                &[
                    "23:59:59",
                    "1:02:03",
                    "10:00:00.5",
                    "10:00:00Z",
                    "10:00:00+05:30",
                    "10:00:00,5-24:00",
                ],
                &[
                    "24:00:00",
                    "10:60:00",
                    "10:00:60",
                    "10:00",
                    "10:00:00z",
                    "10:00:00+5:30",
                ],
            ),
            (
                "date-time",
                &[
                    "2024-01-01T10:00:00Z",
                    "2024-01-01T10:00:00.123456789+01:00",
                    "2024-01-01",
                    "10:00:00",
                    "2024-01-01T1:00:00Z",
                ],
                &[
                    "2024-01-01 10:00:00Z",
                    "2024-01-01T10:00:00",
                    "2024-01-01t10:00:00Z",
                    "x",
                ],
            ),
            (
                "hostname",
                &["a", "example.com", "a-b.c9"],
                &["", "-a.com", "a-.com", "a..b", "a.", "a_b", &"a".repeat(64)],
            ),
            (
                "uuid",
                &["123e4567-e89b-12d3-a456-426614174000"],
                &[
                    "123E4567-E89B-12D3-A456-426614174000",
                    "123e4567e89b12d3a456426614174000",
                ],
            ),
            (
                "json-pointer",
                &["", "/a/b", "/~0~1", "/"],
                &["a", "/~2", "/~"],
            ),
            (
                "relative-json-pointer",
                &["0", "1#", "12/a"],
                &["01", "#", "-1", "1~"],
            ),
            ("regex", &["", "^a+$", "\\p{L}"], &["(", "a{1001}"]),
            (
                "ipv4",
                &["1.2.3.4", "::ffff:1.2.3.4"],
                &["1.2.3", "1.2.3.256", "01.2.3.4", "1.2.3.4%x", "::1"],
            ),
            (
                "ipv6",
                &["::1", "::", "1:2:3:4:5:6:7:8", "::ffff:1.2.3.4", "1::"],
                &[
                    "1.2.3.4",
                    ":::",
                    "1:2:3:4:5:6:7:8:9",
                    "12345::",
                    "fe80::1%eth0",
                    "1::2::3",
                ],
            ),
            ("unknown-format", &["anything"], &[]),
        ];
        for (name, yes, no) in cases {
            for s in *yes {
                assert!(check(name, s), "{name} accepts {s:?}");
            }
            for s in *no {
                assert!(!check(name, s), "{name} rejects {s:?}");
            }
        }
    }
}
