//! JSON text into a `Value`, every number as written.
//!
//! serde_json without its `float_roundtrip` feature (+9.6 KB gzipped)
//! reads a decimal whose digits pass 2^53 or whose exponent passes 22 with
//! two roundings: about one in five of the doubles `JSON.stringify` writes
//! came back one unit in the last place off, so a Frontier `maximum` of
//! 948.1254568373223 let 948.1254568373224 through and a Baseten threshold
//! of 94.00000000000001 was read as the whole 94 (two wrong 200s, atkw12).
//! When the text holds such a number, every number the tree holds as a
//! float is read again, at its place, with core's correctly rounded parser
//! (already in the module). Integers serde_json holds exactly are left be.

use serde_json::{Number, Value};

/// `serde_json::from_str`, every float correctly rounded.
pub fn from_str(text: &str) -> Result<Value, serde_json::Error> {
    let mut value: Value = serde_json::from_str(text)?;
    if may_round_twice(text.as_bytes()) {
        Walk { text, at: 0 }.value(Some(&mut value));
    }
    Ok(value)
}

/// Whether `text` may hold a number serde_json rounds twice: one with 16
/// or more digits, or an exponent (strings skipped: ids and hashes are
/// full of digits and `1e`).
fn may_round_twice(b: &[u8]) -> bool {
    let (mut digits, mut i) = (0, 0);
    while let Some(&c) = b.get(i) {
        i += 1;
        match c {
            b'"' => {
                while let Some(&c) = b.get(i) {
                    i += if c == b'\\' { 2 } else { 1 };
                    if c == b'"' {
                        break;
                    }
                }
                digits = 0;
            }
            b'0'..=b'9' => {
                digits += 1;
                if digits >= 16 {
                    return true;
                }
            }
            b'.' => {}
            b'e' | b'E' if digits > 0 => return true,
            _ => digits = 0,
        }
    }
    false
}

/// A walk of text serde_json has read (so well formed, at most 128 deep),
/// beside the tree it made. Members are walked in order, so of a member
/// given twice, whose value the tree holds, the last walk writes last.
struct Walk<'t> {
    text: &'t str,
    at: usize,
}

impl Walk<'_> {
    fn peek(&mut self) -> u8 {
        let b = self.text.as_bytes();
        while b
            .get(self.at)
            .is_some_and(|c| matches!(c, b' ' | b'\t' | b'\n' | b'\r'))
        {
            self.at += 1;
        }
        b.get(self.at).copied().unwrap_or(0)
    }

    /// The value at `at`, written into `v` (`None`: a place the tree does
    /// not hold, walked only to pass it).
    fn value(&mut self, v: Option<&mut Value>) {
        match self.peek() {
            b'{' => {
                self.at += 1;
                let mut map = match v {
                    Some(Value::Object(m)) => Some(m),
                    _ => None,
                };
                while self.peek() != b'}' {
                    let key = self.string();
                    self.peek();
                    self.at += 1; // ':'
                    let child = match (&mut map, key) {
                        (Some(m), Some(k)) => m.get_mut(k.as_str()),
                        _ => None,
                    };
                    self.value(child);
                    if self.peek() == b',' {
                        self.at += 1;
                    }
                }
                self.at += 1;
            }
            b'[' => {
                self.at += 1;
                let mut items = match v {
                    Some(Value::Array(a)) => Some(a.iter_mut()),
                    _ => None,
                };
                while self.peek() != b']' {
                    self.value(items.as_mut().and_then(Iterator::next));
                    if self.peek() == b',' {
                        self.at += 1;
                    }
                }
                self.at += 1;
            }
            b'"' => {
                self.string();
            }
            _ => {
                let b = self.text.as_bytes();
                let start = self.at;
                while b
                    .get(self.at)
                    .is_some_and(|c| c.is_ascii_alphanumeric() || matches!(c, b'-' | b'+' | b'.'))
                {
                    self.at += 1;
                }
                if let Some(n) = v.filter(|v| v.is_f64()) {
                    let near = n.as_f64().unwrap_or_default();
                    let exact = nearest(&self.text[start..self.at], near);
                    if let Some(x) = Number::from_f64(exact).filter(|_| exact != near) {
                        *n = Value::Number(x);
                    }
                }
            }
        }
    }

    /// The string at `at` (a member's key), decoded when it holds an
    /// escape; `None` if it cannot be (it was read once already).
    fn string(&mut self) -> Option<String> {
        let b = self.text.as_bytes();
        let start = self.at;
        self.at += 1;
        let mut escaped = false;
        while let Some(&c) = b.get(self.at) {
            self.at += 1;
            match c {
                b'\\' => {
                    escaped = true;
                    self.at += 1;
                }
                b'"' => break,
                _ => {}
            }
        }
        let raw = self.text.get(start..self.at)?;
        if escaped {
            // As a `Value`: a reader of `String` would be a second copy of
            // serde_json's parser in the module.
            match serde_json::from_str(raw) {
                Ok(Value::String(s)) => Some(s),
                _ => None,
            }
        } else {
            raw.get(1..raw.len() - 1).map(str::to_string)
        }
    }
}

/// The double nearest the JSON number `token`, given `near`, serde_json's
/// reading of it (at most a unit in the last place off): `near` or a
/// neighbour, chosen by comparing the decimal with the midpoints between
/// them exactly (ties to even), in 128-bit integers. That holds a decimal
/// of at most 19 significant digits times 10^±27, every double
/// `JSON.stringify` writes from about 1e-10 to 1e27; any other is left as
/// serde_json reads it (core's parser, which reads all, costs 20 KB
/// gzipped; big integers, time that long tokens could multiply).
fn nearest(token: &str, near: f64) -> f64 {
    if near == 0.0 || !near.is_finite() {
        return near;
    }
    let Some((digits, exp10)) = decimal(token) else {
        return near;
    };
    let mut x = near.abs();
    for _ in 0..2 {
        let up = f64::from_bits(x.to_bits() + 1);
        if up.is_finite() && above_mid(digits, exp10, x) {
            x = up;
        } else {
            break;
        }
    }
    for _ in 0..2 {
        let down = f64::from_bits(x.to_bits().saturating_sub(1));
        if down < x && !above_mid(digits, exp10, down) {
            x = down;
        } else {
            break;
        }
    }
    if near < 0.0 {
        -x
    } else {
        x
    }
}

/// The significant digits of a JSON number as an integer, and the power
/// of ten it is multiplied by; `None` past 19 digits or 10^±27.
fn decimal(token: &str) -> Option<(u64, i32)> {
    let b = token.as_bytes();
    let e = b.iter().position(|&c| c == b'e' || c == b'E');
    let mut exp: i32 = 0;
    for &c in e.map_or(&[][..], |e| &b[e + 1..]) {
        if c.is_ascii_digit() {
            exp = exp * 10 + i32::from(c - b'0');
            if exp > 1_000 {
                return None;
            }
        }
    }
    if e.is_some_and(|e| b.get(e + 1) == Some(&b'-')) {
        exp = -exp;
    }
    let (mut digits, mut count, mut zeros, mut point) = (0u64, 0, 0, false);
    for &c in &b[..e.unwrap_or(b.len())] {
        match c {
            b'.' => point = true,
            b'0' if count == 0 => exp -= i32::from(point),
            b'0'..=b'9' => {
                // Trailing zeros wait: they count only if a digit follows.
                if c == b'0' {
                    zeros += 1;
                } else {
                    for _ in 0..=zeros {
                        count += 1;
                        if count > 19 {
                            return None;
                        }
                        digits *= 10;
                    }
                    digits += u64::from(c - b'0');
                    zeros = 0;
                }
                exp -= i32::from(point);
            }
            _ => {}
        }
    }
    // The zeros that ended the digits, back into the exponent.
    exp += zeros;
    (exp.abs() <= 27).then_some((digits, exp))
}

/// Whether `digits` × 10^`exp10` is above the midpoint of the double `lo`
/// and the next (at the midpoint: whether the next is even).
fn above_mid(digits: u64, exp10: i32, lo: f64) -> bool {
    // lo = m × 2^k exactly; the midpoint (2m + 1) × 2^(k - 1).
    let bits = lo.to_bits();
    let (biased, frac) = ((bits >> 52) as i32, bits & ((1 << 52) - 1));
    let (m, k) = if biased == 0 {
        (frac, -1074)
    } else {
        (frac | 1 << 52, biased - 1075)
    };
    let mid = u128::from(2 * m + 1);
    let five = |n: i32| u128::from(5u64.pow(n.unsigned_abs()));
    // digits × 5^e10 × 2^e10 against mid × 2^(k - 1), each side < 2^128.
    let (left, right, shift) = if exp10 >= 0 {
        (u128::from(digits) * five(exp10), mid, k - 1 - exp10)
    } else {
        (u128::from(digits), mid * five(exp10), k - 1 - exp10)
    };
    // left against right × 2^shift.
    let order = if shift >= 0 {
        if shift >= 128 || right.leading_zeros() < shift as u32 {
            std::cmp::Ordering::Less
        } else {
            left.cmp(&(right << shift))
        }
    } else if -shift >= 128 || left.leading_zeros() < (-shift) as u32 {
        std::cmp::Ordering::Greater
    } else {
        (left << -shift).cmp(&right)
    };
    match order {
        std::cmp::Ordering::Greater => true,
        std::cmp::Ordering::Less => false,
        std::cmp::Ordering::Equal => bits & 1 == 1,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn floats_are_read_as_written() {
        // Doubles JSON.stringify writes; serde_json's default parser reads
        // some of them one unit off.
        let mut off = 0;
        for t in [
            "948.1254568373224",
            "94.00000000000001",
            "0.9999999999999999",
            "956.0000000000001",
        ] {
            let v = from_str(&format!(r#"{{"a": [{{"x": {t}}}]}}"#)).unwrap();
            assert_eq!(
                v["a"][0]["x"].as_f64(),
                Some(t.parse::<f64>().unwrap()),
                "{t}"
            );
            off += usize::from(serde_json::from_str::<f64>(t).ok() != t.parse().ok());
        }
        assert!(
            off > 0,
            "serde_json reads these right: the test shows nothing"
        );
    }

    #[test]
    fn nearest_is_cores_parse() {
        // Random doubles as JSON.stringify would write them (shortest, and
        // in 17 digits), neighbours' midpoints, long and tiny decimals.
        let mut seed = 0x9e37_79b9_7f4a_7c15u64;
        let mut next = || {
            seed ^= seed << 13;
            seed ^= seed >> 7;
            seed ^= seed << 17;
            seed
        };
        let mut tokens = vec![
            "4.9406564584124654e-324".to_string(),
            "2.2250738585072011e-308".to_string(),
            "1.7976931348623157e308".to_string(),
            "9007199254740993".to_string(),
            "0.".to_string() + &"3".repeat(2000),
            "1".to_string() + &"0".repeat(1000) + "e-1000",
            "123456789012345678901234567890e-40".to_string(),
            // Ties (to even): 2^53 + 1 and 2^53 + 3, and 2^54 + 2 written
            // with a fraction and an exponent.
            "9007199254740993.0".to_string(),
            "9007199254740995".to_string(),
            "1.8014398509481986e16".to_string(),
            "1500000000000000000000000000.0e-3".to_string(),
        ];
        for _ in 0..20_000 {
            let x = f64::from_bits(next() >> 1);
            if !x.is_finite() || x == 0.0 {
                continue;
            }
            tokens.push(format!("{x:e}"));
            tokens.push(format!("{x:.16e}"));
            let up = f64::from_bits(x.to_bits() + 1);
            if up.is_finite() {
                // The exact midpoint, in 40 digits: a tie or next to one.
                tokens.push(format!("{:.40e}", (x + up) / 2.0));
            }
            let mid = f64::from_bits(
                (next() % (0x4590_0000_0000_0000 - 0x3dd0_0000_0000_0000)) + 0x3dd0_0000_0000_0000,
            );
            tokens.push(format!("{mid}"));
            tokens.push(format!("{mid:e}"));
            let small = (next() % 1_000_000_000_000) as f64 / 1e4;
            tokens.push(format!("{small}"));
            tokens.push(format!("{}", small + 0.00000000000001));
        }
        let mut exact = 0;
        for t in tokens {
            let Ok(near) = serde_json::from_str::<f64>(&t) else {
                continue;
            };
            let want: f64 = t.parse().unwrap();
            if decimal(&t).is_some() {
                exact += 1;
                assert_eq!(nearest(&t, near).to_bits(), want.to_bits(), "{t}");
            } else {
                assert_eq!(nearest(&t, near), near, "{t}: left as serde_json reads it");
            }
        }
        assert!(exact > 40_000, "{exact} tokens in range");
    }

    #[test]
    fn the_last_of_a_repeated_member_counts() {
        let v = from_str(r#"{"x": {"y": 948.1254568373224, "z": 1.5}, "x": {"y": 2.5}, "k\u0065y": [94.00000000000001, "s"]}"#).unwrap();
        assert_eq!(v["x"], serde_json::json!({"y": 2.5}));
        assert_eq!(v["key"][0].as_f64(), Some(94.00000000000001));
        let v = from_str(r#"{"x": 2.5, "x": 948.1254568373224}"#).unwrap();
        assert_eq!(v["x"].as_f64(), Some(948.1254568373224));
        let v = from_str(r#"{"x": 948.1254568373224, "x": 2.5}"#).unwrap();
        assert_eq!(v["x"].as_f64(), Some(2.5));
    }

    #[test]
    fn digits_in_strings_cost_no_walk() {
        assert!(!may_round_twice(
            br#"{"id": "1e5", "h": "12345678901234567890", "q": "\"1e"}"#
        ));
        assert!(may_round_twice(br#"{"id": "\\", "x": 1e5}"#));
        assert!(may_round_twice(b"[0.1234567890123456]"));
        assert!(!may_round_twice(b"[0.5, 123456789012345, -7]"));
    }

    #[test]
    fn integers_keep_their_kind() {
        let v = from_str(r#"[9007199254740993, -9007199254740993, 18446744073709551615, 1e2, -0, 123456789012345678901234]"#).unwrap();
        let want: Value = serde_json::from_str(r#"[9007199254740993, -9007199254740993, 18446744073709551615, 1e2, -0, 123456789012345678901234]"#).unwrap();
        for (got, want) in v.as_array().unwrap().iter().zip(want.as_array().unwrap()) {
            assert_eq!(got.is_f64(), want.is_f64());
            assert_eq!(got.as_u64(), want.as_u64());
            assert_eq!(got.as_i64(), want.as_i64());
        }
        assert!(v[5].is_f64(), "past u64: a float, as serde_json reads it");
    }
}
