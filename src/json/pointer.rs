//! JSON Pointers (RFC 6901): building one token at a time with escaping,
//! and re-rooting a pointer under another. Every issue path is built here,
//! never with `format!`, so a key holding `/` or `~` stays one token.

/// Appends one reference token to a JSON Pointer, escaping `~` and `/`.
pub fn ptr(base: &str, token: impl std::fmt::Display) -> String {
    // One body for every token type (the generic part is `to_string`).
    escaped(base, &token.to_string())
}

fn escaped(base: &str, token: &str) -> String {
    let mut out = String::with_capacity(base.len() + token.len() + 1);
    out.push_str(base);
    push(&mut out, token);
    out
}

/// Appends one reference token to the pointer `out`, escaping `~` and `/`.
pub fn push(out: &mut String, token: &str) {
    out.push('/');
    for c in token.chars() {
        match c {
            '~' => out.push_str("~0"),
            '/' => out.push_str("~1"),
            c => out.push(c),
        }
    }
}

/// `path` (a pointer relative to some value) moved under `base`, the
/// pointer of that value: `reroot("/context/state", "/groups/0")` is
/// `/context/state/groups/0`. Both are already escaped pointers.
pub fn reroot(base: &str, path: &str) -> String {
    let mut out = String::with_capacity(base.len() + path.len());
    out.push_str(base);
    out.push_str(path);
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn tokens_are_escaped_and_pointers_rerooted() {
        assert_eq!(ptr("/body", "a/b~c"), "/body/a~1b~0c");
        assert_eq!(ptr("", 3), "/3");
        assert_eq!(
            reroot("/context/state", "/groups/0"),
            "/context/state/groups/0"
        );
        assert_eq!(reroot("/body", ""), "/body");
    }
}
