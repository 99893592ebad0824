//! Go's standard-library parsers that gojsonschema's formats call, ported
//! for their yes/no answer only: `net.ParseIP` (via `netip.ParseAddr`),
//! `net/url.Parse` and `net/mail.ParseAddress` (Go 1.26, the version
//! Frontier's go.mod names). Simplification: RFC 2047 encoded words in
//! display names are kept as text (Go refuses unknown charsets there).

/// `net.ParseIP(s) != nil`: IPv4 dotted quad or IPv6, no zone.
pub fn parse_ip(s: &str) -> bool {
    match s.bytes().find(|b| matches!(b, b'.' | b':' | b'%')) {
        Some(b'.') => ipv4(s),
        Some(b':') => !s.as_bytes().contains(&b'%') && ipv6(s),
        _ => false,
    }
}

/// Four decimal fields 0–255, no leading zeros.
fn ipv4(s: &str) -> bool {
    let fields: Vec<&str> = s.split('.').collect();
    fields.len() == 4
        && fields.iter().all(|f| {
            !f.is_empty()
                && f.len() <= 3
                && f.bytes().all(|b| b.is_ascii_digit())
                && (f.len() == 1 || !f.starts_with('0'))
                && f.parse::<u16>().is_ok_and(|v| v <= 255)
        })
}

/// `netip.parseIPv6`: groups of 1–4 hex digits, one `::`, an optional
/// embedded IPv4 in the last 32 bits.
fn ipv6(s: &str) -> bool {
    let mut rest = s;
    let mut ellipsis = false;
    let mut n = 0; // bytes filled
    if let Some(r) = rest.strip_prefix("::") {
        ellipsis = true;
        rest = r;
        if rest.is_empty() {
            return true;
        }
    }
    while n < 16 {
        let digits = rest.bytes().take_while(u8::is_ascii_hexdigit).count();
        if digits == 0 || digits > 4 {
            return false;
        }
        if rest.as_bytes().get(digits) == Some(&b'.') {
            let fits = if n + 4 < 16 {
                ellipsis
            } else {
                n + 4 == 16 && !ellipsis
            };
            return fits && ipv4(rest);
        }
        n += 2;
        rest = &rest[digits..];
        if rest.is_empty() {
            break;
        }
        let Some(r) = rest.strip_prefix(':') else {
            return false;
        };
        if r.is_empty() {
            return false;
        }
        rest = r;
        if let Some(r) = rest.strip_prefix(':') {
            if ellipsis {
                return false;
            }
            ellipsis = true;
            rest = r;
            if rest.is_empty() {
                break;
            }
        }
    }
    rest.is_empty() && if n < 16 { ellipsis } else { !ellipsis }
}

/// What the formats need from a parsed URL.
pub struct Url {
    pub has_scheme: bool,
    pub path: String,
}

/// `url.Parse(s)` succeeds.
pub fn parse_url(raw: &str) -> Option<Url> {
    let (u, frag) = raw.split_once('#').unwrap_or((raw, ""));
    unescape(frag, Mode::Other)?;
    if u.bytes().any(|b| b < 0x20 || b == 0x7f) {
        return None;
    }
    if u == "*" {
        return Some(Url {
            has_scheme: false,
            path: "*".into(),
        });
    }
    let (scheme, rest) = scheme(u)?;
    let rest = match rest.strip_suffix('?') {
        Some(r) if rest.matches('?').count() == 1 => r,
        _ => rest.split_once('?').map_or(rest, |(a, _)| a),
    };
    if !rest.starts_with('/') {
        if !scheme.is_empty() {
            // Opaque: "mailto:x@y".
            return Some(Url {
                has_scheme: true,
                path: String::new(),
            });
        }
        if rest
            .split('/')
            .next()
            .is_some_and(|seg| seg.as_bytes().contains(&b':'))
        {
            return None;
        }
    }
    let mut path = rest;
    if (!scheme.is_empty() || !rest.starts_with("///")) && rest.starts_with("//") {
        let auth = &rest[2..];
        let (auth, p) = auth.find('/').map_or((auth, ""), |i| auth.split_at(i));
        authority(auth)?;
        path = p;
    }
    unescape(path, Mode::Other)?;
    Some(Url {
        has_scheme: !scheme.is_empty(),
        path: path.to_string(),
    })
}

/// Go's `getScheme`: `(scheme, rest)`, or None for "missing protocol scheme".
fn scheme(raw: &str) -> Option<(&str, &str)> {
    for (i, c) in raw.bytes().enumerate() {
        match c {
            b'a'..=b'z' | b'A'..=b'Z' => {}
            b'0'..=b'9' | b'+' | b'-' | b'.' if i > 0 => {}
            b':' if i == 0 => return None,
            b':' => return Some((&raw[..i], &raw[i + 1..])),
            _ => return Some(("", raw)),
        }
    }
    Some(("", raw))
}

fn authority(auth: &str) -> Option<()> {
    let (user, host) = match crate::substr::rfind(auth, "@") {
        Some(i) => (Some(&auth[..i]), &auth[i + 1..]),
        None => (None, auth),
    };
    host_ok(host)?;
    if let Some(u) = user {
        let valid = u
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || crate::substr::one_of(c, "-._:~!$&'()*+,;=%@"));
        if !valid {
            return None;
        }
        unescape(u, Mode::Other)?;
    }
    Some(())
}

fn port_ok(p: &str) -> bool {
    p.is_empty()
        || p.strip_prefix(':')
            .is_some_and(|d| d.bytes().all(|b| b.is_ascii_digit()))
}

fn host_ok(host: &str) -> Option<()> {
    if host.starts_with('[') {
        let end = crate::substr::rfind(host, "]")?;
        if !port_ok(&host[end + 1..]) {
            return None;
        }
        let inner = &host[1..end];
        let (addr, zone) = match crate::substr::find(inner, "%25") {
            Some(z) => (&inner[..z], Some(&inner[z..])),
            None => (inner, None),
        };
        // Go ≥ 1.25 requires a bracketed host to be an IPv6 address.
        if !(ipv6(addr) && addr.as_bytes().contains(&b':')) {
            return None;
        }
        unescape(addr, Mode::Host)?;
        if let Some(z) = zone {
            unescape(z, Mode::Zone)?;
        }
        return unescape(&host[end..], Mode::Host);
    }
    if let Some(i) = crate::substr::rfind(host, ":") {
        if !port_ok(&host[i..]) {
            return None;
        }
    }
    unescape(host, Mode::Host)
}

#[derive(PartialEq, Clone, Copy)]
enum Mode {
    Host,
    Zone,
    Other,
}

fn host_byte_ok(c: u8) -> bool {
    c.is_ascii_alphanumeric() || b"-_.~!$&'()*+,;=:[]<>\"".contains(&c)
}

/// Go's `unescape` error checks: well-formed `%XX`; in hosts only
/// allowed bytes and no escaped ASCII (except `%25`).
fn unescape(s: &str, mode: Mode) -> Option<()> {
    let b = s.as_bytes();
    let mut i = 0;
    while i < b.len() {
        if b[i] == b'%' {
            if i + 2 >= b.len() || !b[i + 1].is_ascii_hexdigit() || !b[i + 2].is_ascii_hexdigit() {
                return None;
            }
            let v = u8::from_str_radix(&s[i + 1..i + 3], 16).ok()?;
            let pct25 = &s[i..i + 3] == "%25";
            if mode == Mode::Host && v < 0x80 && !pct25 {
                return None;
            }
            if mode == Mode::Zone && !pct25 && v != b' ' && v < 0x80 && !host_byte_ok(v) {
                return None;
            }
            i += 3;
        } else {
            if mode != Mode::Other && b[i] < 0x80 && !host_byte_ok(b[i]) {
                return None;
            }
            i += 1;
        }
    }
    Some(())
}

/// `mail.ParseAddress(s)` succeeds.
pub fn parse_address(s: &str) -> bool {
    let mut p = Mail { s };
    let Some(n) = p.address(true) else {
        return false;
    };
    p.skip_cfws() && p.s.is_empty() && n == 1
}

fn is_vchar(c: char) -> bool {
    ('!'..='~').contains(&c) || !c.is_ascii()
}

fn is_atext(c: char, dot: bool) -> bool {
    match c {
        '.' => dot,
        '(' | ')' | '<' | '>' | '[' | ']' | ':' | ';' | '@' | '\\' | ',' | '"' => false,
        c => is_vchar(c),
    }
}

/// Go's `addrParser`; each method restores nothing on failure unless it
/// says so (as in Go, only `addr_spec` backtracks).
struct Mail<'a> {
    s: &'a str,
}

impl<'a> Mail<'a> {
    fn skip_space(&mut self) {
        self.s = self.s.trim_start_matches([' ', '\t']);
    }

    fn consume(&mut self, c: char) -> bool {
        match self.s.strip_prefix(c) {
            Some(r) => {
                self.s = r;
                true
            }
            None => false,
        }
    }

    /// Returns how many addresses were read (a group may hold several).
    fn address(&mut self, group: bool) -> Option<usize> {
        self.skip_space();
        if self.s.is_empty() {
            return None;
        }
        let saved = self.s;
        if self.addr_spec().is_some() {
            self.skip_space();
            if self.s.starts_with('(') {
                self.consume('(');
                self.comment()?;
            }
            return Some(1);
        }
        self.s = saved;
        let mut name_atext = true;
        if !self.s.starts_with('<') {
            let phrase = self.phrase()?;
            name_atext = phrase.chars().all(|c| is_atext(c, true));
        }
        self.skip_space();
        if group && self.consume(':') {
            return self.group_list();
        }
        let _ = name_atext; // Go picks an error message with it.
        if !self.consume('<') {
            return None;
        }
        self.addr_spec()?;
        self.consume('>').then_some(1)
    }

    fn group_list(&mut self) -> Option<usize> {
        self.skip_space();
        if self.consume(';') {
            return self.skip_cfws().then_some(0);
        }
        let mut n = 0;
        loop {
            self.skip_space();
            n += self.address(false)?;
            if !self.skip_cfws() {
                return None;
            }
            if self.consume(';') {
                return self.skip_cfws().then_some(n);
            }
            if !self.consume(',') {
                return None;
            }
        }
    }

    fn addr_spec(&mut self) -> Option<()> {
        let orig = self.s;
        let ok = (|| {
            self.skip_space();
            if self.s.is_empty() {
                return None;
            }
            if self.s.starts_with('"') {
                if self.quoted()?.is_empty() {
                    return None;
                }
            } else {
                self.atom(true, false)?;
            }
            if !self.consume('@') {
                return None;
            }
            self.skip_space();
            if self.s.is_empty() {
                return None;
            }
            if self.s.starts_with('[') {
                self.domain_literal()
            } else {
                self.atom(true, false).map(|_| ())
            }
        })();
        if ok.is_none() {
            self.s = orig;
        }
        ok
    }

    fn atom(&mut self, dot: bool, permissive: bool) -> Option<&'a str> {
        let n: usize = self
            .s
            .chars()
            .take_while(|c| is_atext(*c, dot))
            .map(char::len_utf8)
            .sum();
        if n == 0 {
            return None;
        }
        let (atom, rest) = self.s.split_at(n);
        if !permissive
            && (atom.starts_with('.') || crate::substr::contains(atom, "..") || atom.ends_with('.'))
        {
            return None;
        }
        self.s = rest;
        Some(atom)
    }

    fn quoted(&mut self) -> Option<String> {
        let mut out = String::new();
        let mut escaped = false;
        let mut it = self.s.char_indices().skip(1);
        loop {
            let (i, c) = it.next()?;
            if escaped {
                if !is_vchar(c) && c != ' ' && c != '\t' {
                    return None;
                }
                out.push(c);
                escaped = false;
            } else if c == '"' {
                self.s = &self.s[i + 1..];
                return Some(out);
            } else if c == '\\' {
                escaped = true;
            } else if is_vchar(c) || c == ' ' || c == '\t' {
                out.push(c);
            } else {
                return None;
            }
        }
    }

    fn domain_literal(&mut self) -> Option<()> {
        self.consume('[');
        let end = self.s.find(']')?;
        let text = &self.s[..end];
        if !text.chars().all(|c| is_vchar(c) && c != '[' && c != '\\') || !parse_ip(text) {
            return None;
        }
        self.s = &self.s[end + 1..];
        Some(())
    }

    fn phrase(&mut self) -> Option<String> {
        let mut words: Vec<String> = Vec::new();
        loop {
            if !words.is_empty() && !self.skip_cfws() {
                return None;
            }
            self.skip_space();
            if self.s.is_empty() {
                break;
            }
            let word = if self.s.starts_with('"') {
                self.quoted()
            } else {
                self.atom(true, true).map(str::to_string)
            };
            match word {
                Some(w) => words.push(w),
                None => break,
            }
        }
        (!words.is_empty()).then(|| crate::substr::join(&words, " "))
    }

    /// After '(' : up to the matching ')'.
    fn comment(&mut self) -> Option<()> {
        let mut depth = 1;
        let b = self.s.as_bytes();
        let mut i = 0;
        while i < b.len() && depth > 0 {
            match b[i] {
                b'\\' if i + 1 < b.len() => i += 1,
                b'(' => depth += 1,
                b')' => depth -= 1,
                _ => {}
            }
            i += 1;
        }
        self.s = &self.s[i..];
        (depth == 0).then_some(())
    }

    fn skip_cfws(&mut self) -> bool {
        self.skip_space();
        while self.consume('(') {
            if self.comment().is_none() {
                return false;
            }
            self.skip_space();
        }
        true
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn go_parsers() {
        for ok in [
            "a@b",
            "a.b@c.d",
            "\"a b\"@c",
            "A <a@b>",
            "\"A\" <a@b>",
            "a@b (A)",
            "a@[1.2.3.4]",
            "g: a@b;",
            "é@b",
            " a@b ",
        ] {
            assert!(parse_address(ok), "mail accepts {ok:?}");
        }
        for bad in [
            "",
            "a",
            "a@",
            "@b",
            "a@b c",
            "a..b@c",
            ".a@b",
            "a@b.",
            "A <a@b",
            "a@[1.2.3]",
            "g: a@b, c@d;",
            "g: ;",
            "a@b (x",
        ] {
            assert!(!parse_address(bad), "mail rejects {bad:?}");
        }
        for ok in [
            "http://x",
            "https://u:p@h:80/p?q#f",
            "mailto:a@b",
            "urn:isbn:1",
            "/rel",
            "rel/x",
            "",
            "#f",
            "http://[::1]:8/",
            "*",
            "//h/p",
        ] {
            assert!(parse_url(ok).is_some(), "url accepts {ok:?}");
        }
        for bad in [
            ":x",
            "a:b/c".trim_start_matches('a'),
            "http://h:x/",
            "http://[::1/",
            "%zz",
            "http://a b/",
            "x\u{1}",
            "http://[1.2.3.4]/",
            "1a:b",
        ] {
            assert!(parse_url(bad).is_none(), "url rejects {bad:?}");
        }
        assert!(!parse_url("rel").unwrap().has_scheme && parse_url("x:y").unwrap().has_scheme);
    }
}
