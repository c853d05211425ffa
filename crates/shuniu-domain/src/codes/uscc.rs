//! Unified social credit code 统一社会信用代码 (GB 32100-2015).
//!
//! 18 characters: registration authority · type · 6-digit division code ·
//! 9-character organization code (GB 11714, its 9th character a check) · check.
//! A [`Uscc`] value is always valid: the only way to get one is [`Uscc::parse`]
//! (or [`Uscc::assemble`], which computes both check characters).

use std::fmt;
use std::str::FromStr;

use serde::{Deserialize, Serialize};

/// The 31 characters GB 32100 allows, in value order (I, O, Z, S, V are excluded).
pub const USCC_CHARSET: &str = "0123456789ABCDEFGHJKLMNPQRTUWXY";

const USCC_WEIGHTS: [u32; 17] = [
    1, 3, 9, 27, 19, 26, 16, 17, 20, 29, 25, 13, 8, 24, 10, 30, 28,
];
const ORG_CODE_WEIGHTS: [u32; 8] = [3, 7, 9, 10, 5, 8, 4, 2];

/// Why a string is not a unified social credit code.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum UsccError {
    #[error("must be 18 characters, got {0}")]
    Length(usize),
    #[error(
        "character {position} ('{found}') is not allowed: only digits and capitals except I, O, Z, S, V"
    )]
    Charset { position: usize, found: char },
    #[error("characters 3–8 must be a 6-digit division code")]
    Division,
    #[error("organization-code check character (17th) is wrong: expected '{expected}'")]
    OrgCodeCheck { expected: char },
    #[error("check character (18th) is wrong: expected '{expected}'")]
    Check { expected: char },
}

/// A valid unified social credit code.
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize)]
#[serde(transparent)]
pub struct Uscc(String);

fn uscc_value(c: char) -> Option<u32> {
    USCC_CHARSET.find(c).map(|i| i as u32)
}

fn uscc_char(v: u32) -> char {
    USCC_CHARSET.as_bytes()[v as usize] as char
}

/// GB 11714 value of an organization-code character: digits, then A=10 … Z=35.
fn org_code_value(c: char) -> Option<u32> {
    match c {
        '0'..='9' => Some(c as u32 - '0' as u32),
        'A'..='Z' => Some(c as u32 - 'A' as u32 + 10),
        _ => None,
    }
}

/// The GB 11714 check character over the 8 body characters of an organization code.
pub fn org_code_check(body: &str) -> Option<char> {
    let mut sum = 0;
    let mut n = 0;
    for (c, w) in body.chars().zip(ORG_CODE_WEIGHTS) {
        sum += org_code_value(c)? * w;
        n += 1;
    }
    if n != 8 || body.chars().count() != 8 {
        return None;
    }
    Some(match 11 - sum % 11 {
        10 => 'X',
        11 => '0',
        r => char::from_digit(r, 10).expect("r < 10"),
    })
}

/// The GB 32100 check character over the first 17 characters.
pub fn uscc_check(first17: &str) -> Option<char> {
    let mut sum = 0;
    let mut n = 0;
    for (c, w) in first17.chars().zip(USCC_WEIGHTS) {
        sum += uscc_value(c)? * w;
        n += 1;
    }
    if n != 17 || first17.chars().count() != 17 {
        return None;
    }
    Some(uscc_char((31 - sum % 31) % 31))
}

impl Uscc {
    /// Parses a code, trimming surrounding white space and upper-casing letters.
    pub fn parse(input: &str) -> Result<Self, UsccError> {
        let s: String = input.trim().to_ascii_uppercase();
        let chars: Vec<char> = s.chars().collect();
        if chars.len() != 18 {
            return Err(UsccError::Length(chars.len()));
        }
        for (i, &c) in chars.iter().enumerate() {
            if uscc_value(c).is_none() {
                return Err(UsccError::Charset {
                    position: i + 1,
                    found: c,
                });
            }
        }
        if !chars[2..8].iter().all(|c| c.is_ascii_digit()) {
            return Err(UsccError::Division);
        }
        let body: String = chars[8..16].iter().collect();
        let expected = org_code_check(&body).expect("charset checked");
        if chars[16] != expected {
            return Err(UsccError::OrgCodeCheck { expected });
        }
        let expected = uscc_check(&s[..17]).expect("charset checked");
        if chars[17] != expected {
            return Err(UsccError::Check { expected });
        }
        Ok(Uscc(s))
    }

    /// Builds a code from its parts, computing both check characters.
    /// `authority` and `kind` are single characters, `division` 6 digits and
    /// `org_body` the 8 body characters of the organization code (USCC charset).
    pub fn assemble(
        authority: char,
        kind: char,
        division: &str,
        org_body: &str,
    ) -> Result<Self, UsccError> {
        let org_check = org_code_check(org_body).ok_or(UsccError::Length(org_body.len()))?;
        let first17 = format!("{authority}{kind}{division}{org_body}{org_check}");
        let check = uscc_check(&first17).ok_or(UsccError::Length(first17.chars().count()))?;
        Self::parse(&format!("{first17}{check}"))
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }
    /// Registration authority code (5 = civil affairs 民政).
    pub fn authority(&self) -> char {
        self.0.as_bytes()[0] as char
    }
    /// Organization type code under the authority (for civil affairs: 1 social group,
    /// 2 social service institution, 3 foundation, 9 other).
    pub fn kind(&self) -> char {
        self.0.as_bytes()[1] as char
    }
    /// The 6-digit division code of the registering authority.
    pub fn division(&self) -> &str {
        &self.0[2..8]
    }
    /// The 9-character GB 11714 organization code.
    pub fn org_code(&self) -> &str {
        &self.0[8..17]
    }
}

impl fmt::Display for Uscc {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

impl FromStr for Uscc {
    type Err = UsccError;
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        Self::parse(s)
    }
}

impl<'de> Deserialize<'de> for Uscc {
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        let s = String::deserialize(d)?;
        Uscc::parse(&s).map_err(serde::de::Error::custom)
    }
}

impl TryFrom<String> for Uscc {
    type Error = UsccError;
    fn try_from(s: String) -> Result<Self, Self::Error> {
        Self::parse(&s)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn standard_examples_parse() {
        for code in ["91350100M000100Y43", "51100000500002862F"] {
            let u = Uscc::parse(code).unwrap();
            assert_eq!(u.as_str(), code);
        }
        let u = Uscc::parse("51100000500002862F").unwrap();
        assert_eq!(u.authority(), '5');
        assert_eq!(u.kind(), '1');
        assert_eq!(u.division(), "100000");
        assert_eq!(u.org_code(), "500002862");
    }

    #[test]
    fn lowercase_and_spaces_are_normalised() {
        assert_eq!(
            Uscc::parse(" 91350100m000100y43 ").unwrap().as_str(),
            "91350100M000100Y43"
        );
    }

    #[test]
    fn errors_name_the_expected_check_character() {
        assert_eq!(
            Uscc::parse("91350100M000100Y44"),
            Err(UsccError::Check { expected: '3' })
        );
        assert_eq!(
            Uscc::parse("91350100M000100Y53"),
            Err(UsccError::OrgCodeCheck { expected: '4' })
        );
    }

    #[test]
    fn bad_shapes_are_rejected() {
        assert_eq!(Uscc::parse("123"), Err(UsccError::Length(3)));
        assert!(matches!(
            Uscc::parse("91350100M0001O0Y43"),
            Err(UsccError::Charset {
                position: 14,
                found: 'O'
            })
        ));
        assert_eq!(Uscc::parse("9135A100M000100Y43"), Err(UsccError::Division));
    }

    #[test]
    fn assemble_computes_both_checks() {
        let u = Uscc::assemble('9', '1', "350100", "M000100").unwrap_err();
        assert_eq!(u, UsccError::Length(7));
        let u = Uscc::assemble('9', '1', "350100", "M0001000").unwrap();
        assert_eq!(
            u.as_str(),
            "91350100M0001000".to_string() + &u.as_str()[16..]
        );
        let u = Uscc::assemble('5', '1', "100000", "50000286").unwrap();
        assert_eq!(u.as_str(), "51100000500002862F");
    }
}
