//! Exact decimal numbers, as gojsonschema compares them (`big.Rat` of the
//! number's JSON text). Instance numbers reach Frontier as protobuf `Struct`
//! values, i.e. `float64`; their JSON text is the shortest decimal that
//! round-trips, which is what [`Decimal::of`] reads from an `f64`.

use std::cmp::Ordering;

use serde_json::Number;

/// `(-1)^neg × mant × 10^exp`, `mant` without trailing zeros (0 has exp 0);
/// 64 bits hold every `u64`/`i64` and every shortest `f64` (≤ 17 digits).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Decimal {
    neg: bool,
    mant: u64,
    exp: i32,
}

fn digits(m: u64) -> i32 {
    if m == 0 {
        1
    } else {
        m.ilog10() as i32 + 1
    }
}

impl Decimal {
    fn new(neg: bool, mut mant: u64, mut exp: i32) -> Decimal {
        if mant == 0 {
            return Decimal {
                neg: false,
                mant: 0,
                exp: 0,
            };
        }
        while mant.is_multiple_of(10) {
            mant /= 10;
            exp += 1;
        }
        Decimal { neg, mant, exp }
    }

    /// The exact value of a schema number: integers as written, others as
    /// the shortest decimal of their `f64`.
    pub fn of(n: &Number) -> Option<Decimal> {
        if let Some(u) = n.as_u64() {
            return Some(Decimal::new(false, u, 0));
        }
        if let Some(i) = n.as_i64() {
            return Some(Decimal::new(i < 0, i.unsigned_abs(), 0));
        }
        n.as_f64().and_then(Decimal::of_f64)
    }

    /// The shortest round-tripping decimal of `f` (Go's `json.Marshal`).
    pub fn of_f64(f: f64) -> Option<Decimal> {
        if !f.is_finite() {
            return None;
        }
        // serde_json prints the shortest round-trip digits (ryu): "-1.25e-7",
        // "0.1", "1e21"; core's float formatting would add its own tables.
        let text = serde_json::Number::from_f64(f)?.to_string();
        let (mantissa, exp) = text.split_once(['e', 'E']).unwrap_or((&text, "0"));
        let exp: i32 = exp.trim_start_matches('+').parse().ok()?;
        let neg = mantissa.starts_with('-');
        let mantissa = mantissa.trim_start_matches('-');
        let (int, frac) = mantissa.split_once('.').unwrap_or((mantissa, ""));
        let mant: u64 = format!("{int}{frac}").parse().ok()?;
        Some(Decimal::new(neg, mant, exp - frac.len() as i32))
    }

    /// The instance number as Frontier sees it: through `float64`.
    pub fn of_instance(n: &Number) -> Option<Decimal> {
        n.as_f64().and_then(Decimal::of_f64)
    }

    pub fn is_integer(&self) -> bool {
        self.exp >= 0
    }

    pub fn is_positive(&self) -> bool {
        !self.neg && self.mant != 0
    }

    fn cmp_magnitude(&self, other: &Decimal) -> Ordering {
        if self.mant == 0 || other.mant == 0 {
            return self.mant.cmp(&other.mant);
        }
        let (la, lb) = (digits(self.mant), digits(other.mant));
        match (la + self.exp).cmp(&(lb + other.exp)) {
            Ordering::Equal => {}
            o => return o,
        }
        // Same magnitude: align the digit strings (both ≤ 20 digits).
        let (a, b) = (self.mant.to_string(), other.mant.to_string());
        let width = a.len().max(b.len());
        format!("{a:0<width$}").cmp(&format!("{b:0<width$}"))
    }

    /// True when `self / m` is an integer (`m` > 0).
    pub fn is_multiple_of(&self, m: &Decimal) -> bool {
        if self.mant == 0 {
            return true;
        }
        let d = self.exp - m.exp;
        if d >= 0 {
            // b / gcd(a, b) must divide 10^d.
            let mut rest = m.mant / gcd(self.mant, m.mant);
            for p in [2u64, 5] {
                let mut n = 0;
                while rest.is_multiple_of(p) {
                    rest /= p;
                    n += 1;
                }
                if n > d {
                    return false;
                }
            }
            rest == 1
        } else {
            let scale = 10u64.checked_pow(d.unsigned_abs());
            match scale.and_then(|s| s.checked_mul(m.mant)) {
                Some(div) => self.mant.is_multiple_of(div),
                None => false,
            }
        }
    }
}

fn gcd(mut a: u64, mut b: u64) -> u64 {
    while b != 0 {
        (a, b) = (b, a % b);
    }
    a
}

impl PartialOrd for Decimal {
    fn partial_cmp(&self, other: &Self) -> Option<Ordering> {
        Some(self.cmp(other))
    }
}

impl Ord for Decimal {
    fn cmp(&self, other: &Self) -> Ordering {
        match (self.neg, other.neg) {
            (false, true) => Ordering::Greater,
            (true, false) => Ordering::Less,
            (false, false) => self.cmp_magnitude(other),
            (true, true) => other.cmp_magnitude(self),
        }
    }
}

impl std::fmt::Display for Decimal {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        let sign = if self.neg { "-" } else { "" };
        // Zeros written one by one: `str::repeat` had no other caller.
        let zeros =
            |f: &mut std::fmt::Formatter<'_>, n: usize| (0..n).try_for_each(|_| f.write_str("0"));
        if self.exp >= 0 && self.exp < 21 {
            write!(f, "{sign}{}", self.mant)?;
            zeros(f, self.exp as usize)
        } else if self.exp < 0 && -self.exp < 21 {
            let s = self.mant.to_string();
            let cut = -self.exp as usize;
            if s.len() > cut {
                write!(f, "{sign}{}.{}", &s[..s.len() - cut], &s[s.len() - cut..])
            } else {
                write!(f, "{sign}0.")?;
                zeros(f, cut - s.len())?;
                f.write_str(&s)
            }
        } else {
            write!(f, "{sign}{}e{}", self.mant, self.exp)
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn d(f: f64) -> Decimal {
        Decimal::of_f64(f).unwrap()
    }

    #[test]
    fn exact_decimal_arithmetic() {
        assert!(d(0.3).is_multiple_of(&d(0.1)), "0.3 / 0.1 is 3 in decimal");
        assert!(!d(0.35).is_multiple_of(&d(0.1)));
        assert!(!d(1e300).is_multiple_of(&d(3.0)) && d(3e300).is_multiple_of(&d(3.0)));
        assert!(d(10.0).is_multiple_of(&d(2.5)));
        assert!(d(1.0).is_multiple_of(&d(1e-30)));
        assert!(!d(1e-30).is_multiple_of(&d(1.0)));
        assert!(d(-0.0).is_multiple_of(&d(7.0)));
        assert!(d(0.1) < d(0.2) && d(-2.0) < d(-1.5) && d(100.0) > d(99.99));
        assert_eq!(d(1e21).to_string(), "1e21");
        assert_eq!(d(0.001).to_string(), "0.001");
        assert_eq!(d(-12.5).to_string(), "-12.5");
        assert_eq!(d(1500.0).to_string(), "1500");
        assert_eq!(d(-0.05).to_string(), "-0.05");
        assert_eq!(d(1e20).to_string(), "100000000000000000000");
        assert!(d(2.0).is_integer() && !d(2.5).is_integer() && d(1e300).is_integer());
    }
}
