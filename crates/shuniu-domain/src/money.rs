//! Money in integer fen (分): ¥1 = 100 fen. Never floating point.

use std::fmt;

use serde::{Deserialize, Serialize};

#[derive(
    Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Default, Serialize, Deserialize,
)]
#[serde(transparent)]
pub struct Fen(pub i64);

impl Fen {
    pub const fn yuan(y: i64) -> Fen {
        Fen(y * 100)
    }
    pub fn checked_add(self, o: Fen) -> Option<Fen> {
        self.0.checked_add(o.0).map(Fen)
    }
    pub fn checked_sub(self, o: Fen) -> Option<Fen> {
        self.0.checked_sub(o.0).map(Fen)
    }
    /// Parses `50000`, `50000.5`, `¥50,000.00` (yuan) into fen; at most 2 decimals.
    pub fn parse_yuan(s: &str) -> Option<Fen> {
        let s: String = s
            .trim()
            .trim_start_matches(['¥', '￥'])
            .chars()
            .filter(|c| *c != ',')
            .collect();
        let (neg, s) = match s.strip_prefix('-') {
            Some(r) => (true, r.to_string()),
            None => (false, s),
        };
        let (int, frac) = s.split_once('.').unwrap_or((&s, ""));
        if int.is_empty()
            || !int.bytes().all(|c| c.is_ascii_digit())
            || frac.len() > 2
            || !frac.bytes().all(|c| c.is_ascii_digit())
        {
            return None;
        }
        let frac_fen: i64 = format!("{frac:0<2}").parse().ok()?;
        let v = int
            .parse::<i64>()
            .ok()?
            .checked_mul(100)?
            .checked_add(frac_fen)?;
        Some(Fen(if neg { -v } else { v }))
    }
}

impl fmt::Display for Fen {
    /// `¥50,000.00`
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let sign = if self.0 < 0 { "-" } else { "" };
        let abs = self.0.unsigned_abs();
        let int = (abs / 100).to_string();
        let mut grouped = String::new();
        for (i, c) in int.chars().enumerate() {
            if i > 0 && (int.len() - i).is_multiple_of(3) {
                grouped.push(',');
            }
            grouped.push(c);
        }
        write!(f, "{sign}¥{grouped}.{:02}", abs % 100)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    #[test]
    fn display_and_parse() {
        assert_eq!(Fen::yuan(50_000).to_string(), "¥50,000.00");
        assert_eq!(Fen(-1234567).to_string(), "-¥12,345.67");
        assert_eq!(Fen::parse_yuan("¥50,000"), Some(Fen::yuan(50_000)));
        assert_eq!(Fen::parse_yuan("10000.5"), Some(Fen(1_000_050)));
        assert_eq!(Fen::parse_yuan("1.234"), None);
        assert_eq!(Fen::parse_yuan("abc"), None);
    }
}
