//! Contact phone numbers: a mainland mobile (`^1[3-9]\d{9}$`, optional +86) or a
//! landline with area code (`025-84123456`).

use std::fmt;

use serde::Serialize;

#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum PhoneError {
    #[error(
        "not a mobile number (1[3-9] and 9 digits) or a landline with area code (025-84123456)"
    )]
    Format,
}

#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize)]
#[serde(transparent)]
pub struct Phone(String);

impl Phone {
    /// Parses and normalises: spaces dropped, `+86`/`86` prefix removed from mobiles,
    /// landlines kept as `area-number`.
    pub fn parse(input: &str) -> Result<Self, PhoneError> {
        let s: String = input.chars().filter(|c| !c.is_whitespace()).collect();
        if !s.is_ascii() {
            return Err(PhoneError::Format);
        }
        let mobile = s
            .strip_prefix("+86")
            .or_else(|| s.strip_prefix("0086"))
            .unwrap_or(&s);
        let mobile = mobile.strip_prefix('-').unwrap_or(mobile);
        let b = mobile.as_bytes();
        if b.len() == 11
            && b[0] == b'1'
            && (b'3'..=b'9').contains(&b[1])
            && b.iter().all(u8::is_ascii_digit)
        {
            return Ok(Phone(mobile.to_string()));
        }
        // Landline: 0 + 2–3 digit area code, then 7–8 digits, with or without a hyphen.
        let (area, number) = match s.split_once('-') {
            Some((a, n)) => (a.to_string(), n.to_string()),
            None if s.starts_with('0') && (s.len() == 11 || s.len() == 12) => {
                // 3-digit area codes (010, 020–029) are followed by 8 digits.
                let area_len = if s.len() == 11
                    && s.as_bytes()
                        .get(1)
                        .is_some_and(|c| *c == b'1' || *c == b'2')
                {
                    3
                } else {
                    s.len() - 8
                };
                (s[..area_len].to_string(), s[area_len..].to_string())
            }
            None => return Err(PhoneError::Format),
        };
        let digits = |x: &str| !x.is_empty() && x.bytes().all(|c| c.is_ascii_digit());
        if digits(&area)
            && area.starts_with('0')
            && (3..=4).contains(&area.len())
            && digits(&number)
            && (7..=8).contains(&number.len())
            && !number.starts_with('0')
        {
            return Ok(Phone(format!("{area}-{number}")));
        }
        Err(PhoneError::Format)
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }

    pub fn is_mobile(&self) -> bool {
        self.0.starts_with('1')
    }

    /// `138****8000` for mobiles, `025-****3456` for landlines.
    pub fn masked(&self) -> String {
        if self.is_mobile() {
            super::mask_middle(&self.0, 3, 4)
        } else {
            let (area, number) = self.0.split_once('-').expect("landlines keep a hyphen");
            format!("{area}-{}", super::mask_middle(number, 0, 4))
        }
    }
}

impl fmt::Display for Phone {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn mobiles() {
        assert_eq!(Phone::parse("13812348000").unwrap().as_str(), "13812348000");
        assert_eq!(
            Phone::parse("+86 138 1234 8000").unwrap().as_str(),
            "13812348000"
        );
        assert_eq!(Phone::parse("13812348000").unwrap().masked(), "138****8000");
        assert!(Phone::parse("12812348000").is_err());
        assert!(Phone::parse("1381234800").is_err());
        assert!(Phone::parse("1381234800a").is_err());
    }

    #[test]
    fn landlines() {
        assert_eq!(
            Phone::parse("025-84123456").unwrap().as_str(),
            "025-84123456"
        );
        assert_eq!(
            Phone::parse("02584123456").unwrap().as_str(),
            "025-84123456"
        );
        assert_eq!(
            Phone::parse("0516-8123456").unwrap().as_str(),
            "0516-8123456"
        );
        assert_eq!(
            Phone::parse("025-84123456").unwrap().masked(),
            "025-****3456"
        );
        assert!(Phone::parse("25-84123456").is_err());
        assert!(Phone::parse("025-0412345").is_err());
        assert!(Phone::parse("").is_err());
    }
}
