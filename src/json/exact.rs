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
/// or more digits, or an exponent. A string that looks so only costs a
/// walk.
fn may_round_twice(b: &[u8]) -> bool {
    let mut digits = 0;
    for (i, &c) in b.iter().enumerate() {
        match c {
            b'0'..=b'9' => {
                digits += 1;
                if digits >= 16 {
                    return true;
                }
            }
            b'.' => {}
            b'e' | b'E' if i > 0 && b[i - 1].is_ascii_digit() => return true,
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
/// them exactly, in big integers (ties to even). core's correctly rounded
/// parser would do it too, but costs 20 KB gzipped.
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
        if up.is_finite() && above_mid(&digits, exp10, x, up) {
            x = up;
        } else {
            break;
        }
    }
    for _ in 0..2 {
        let down = f64::from_bits(x.to_bits() - 1);
        if x.to_bits() > 0 && !above_mid(&digits, exp10, down, x) {
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

/// Digits kept of a decimal: beyond them, whether any is not zero (a
/// last digit 1) settles every comparison with a midpoint of doubles
/// (whose decimals have at most 767 significant digits).
const KEPT_DIGITS: usize = 800;

/// The significant digits of a JSON number (values 0-9) and the power of
/// ten they are multiplied by; `None` for an exponent beyond any double.
fn decimal(token: &str) -> Option<(Vec<u8>, i64)> {
    let b = token.as_bytes();
    let e = b.iter().position(|&c| c == b'e' || c == b'E');
    let mantissa = &b[..e.unwrap_or(b.len())];
    let mut exp = 0i64;
    for &c in e.map_or(&[][..], |e| &b[e + 1..]) {
        if c.is_ascii_digit() {
            exp = exp * 10 + i64::from(c - b'0');
            if exp > 100_000 {
                return None;
            }
        }
    }
    if e.is_some_and(|e| b.get(e + 1) == Some(&b'-')) {
        exp = -exp;
    }
    let mut digits = Vec::new();
    let (mut exp10, mut point, mut sticky) = (exp, false, false);
    for &c in mantissa {
        match c {
            b'.' => point = true,
            b'0'..=b'9' => {
                if digits.is_empty() && c == b'0' {
                    exp10 -= i64::from(point);
                } else if digits.len() < KEPT_DIGITS {
                    digits.push(c - b'0');
                    exp10 -= i64::from(point);
                } else {
                    sticky |= c != b'0';
                    exp10 += i64::from(!point);
                }
            }
            _ => {}
        }
    }
    if sticky {
        digits.push(1);
        exp10 -= 1;
    }
    Some((digits, exp10))
}

/// Whether `digits` × 10^`exp10` is above the midpoint of the adjacent
/// doubles `lo` < `hi` (at the midpoint: whether `hi` is even).
fn above_mid(digits: &[u8], exp10: i64, lo: f64, hi: f64) -> bool {
    // lo = m × 2^k exactly; the midpoint (2m + 1) × 2^(k - 1).
    let bits = lo.to_bits();
    let (biased, frac) = ((bits >> 52) as i64, bits & ((1 << 52) - 1));
    let (m, k) = if biased == 0 {
        (frac, -1074)
    } else {
        (frac | 1 << 52, biased - 1075)
    };
    let mut left = Big::default();
    for &d in digits {
        left.mul_add(10, u32::from(d));
    }
    let mut right = Big::default();
    let mid = 2 * m + 1;
    right.mul_add(1 << 16, (mid >> 48) as u32);
    right.mul_add(1 << 16, (mid >> 32) as u32 & 0xffff);
    right.mul_add(1 << 16, (mid >> 16) as u32 & 0xffff);
    right.mul_add(1 << 16, mid as u32 & 0xffff);
    // digits × 10^e10 against mid × 2^(k - 1), in integers.
    let (mut shift_left, mut shift_right) = (0i64, k - 1);
    if exp10 >= 0 {
        left.pow5(exp10);
        shift_left += exp10;
    } else {
        right.pow5(-exp10);
        shift_right -= exp10;
    }
    let s = shift_left - shift_right;
    if s >= 0 {
        left.shl(s);
    } else {
        right.shl(-s);
    }
    match left.cmp(&right) {
        std::cmp::Ordering::Greater => true,
        std::cmp::Ordering::Less => false,
        std::cmp::Ordering::Equal => hi.to_bits() & 1 == 0,
    }
}

/// A non-negative big integer, 32-bit limbs, least significant first.
#[derive(Default)]
struct Big(Vec<u32>);

impl Big {
    fn mul_add(&mut self, mul: u32, add: u32) {
        let mut carry = u64::from(add);
        for limb in &mut self.0 {
            let v = u64::from(*limb) * u64::from(mul) + carry;
            *limb = v as u32;
            carry = v >> 32;
        }
        if carry > 0 {
            self.0.push(carry as u32);
        }
    }

    fn pow5(&mut self, mut n: i64) {
        while n > 0 {
            let step = n.min(13);
            self.mul_add(5u32.pow(step as u32), 0);
            n -= step;
        }
    }

    fn shl(&mut self, n: i64) {
        let (words, bits) = ((n / 32) as usize, (n % 32) as u32);
        if bits > 0 {
            self.mul_add(1 << bits, 0);
        }
        let mut v = vec![0; words + self.0.len()];
        v[words..].copy_from_slice(&self.0);
        self.0 = v;
    }

    fn cmp(&self, other: &Big) -> std::cmp::Ordering {
        let trim = |v: &[u32]| v.len() - v.iter().rev().take_while(|&&l| l == 0).count();
        let (a, b) = (&self.0[..trim(&self.0)], &other.0[..trim(&other.0)]);
        a.len()
            .cmp(&b.len())
            .then_with(|| a.iter().rev().cmp(b.iter().rev()))
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
            let small = (next() % 1_000_000_000_000) as f64 / 1e4;
            tokens.push(format!("{small}"));
            tokens.push(format!("{}", small + 0.00000000000001));
        }
        for t in tokens {
            let Ok(near) = serde_json::from_str::<f64>(&t) else {
                continue;
            };
            let want: f64 = t.parse().unwrap();
            assert_eq!(nearest(&t, near).to_bits(), want.to_bits(), "{t}");
        }
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
    fn integers_keep_their_kind() {
        let v = from_str(r#"[9007199254740993, -9007199254740993, 18446744073709551615, 1e2, -0, 123456789012345678901234]"#).unwrap();
        let want: Value = serde_json::from_str(r#"[9007199254740993, -9007199254740993, 18446744073709551615, 1e2, -0, 123456789012345678901234]"#).unwrap();
        for (got, want) in v.as_array().unwrap().iter().zip(want.as_array().unwrap()) {
            assert_eq!(got.is_f64(), want.is_f64());
            assert_eq!(got.as_u64(), want.as_u64());
            assert_eq!(got.as_i64(), want.as_i64());
        }
        assert_eq!(v[5].as_f64(), Some(1.2345678901234568e23));
    }
}
