//! Resident ID number 居民身份证号码 (GB 11643): 17 digits and a check character.

use std::fmt;

use serde::Serialize;

const WEIGHTS: [u32; 17] = [7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2];
const CHECKS: [char; 11] = ['1', '0', 'X', '9', '8', '7', '6', '5', '4', '3', '2'];

#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum ResidentIdError {
    #[error("must be 17 digits followed by a digit or X")]
    Format,
    #[error("check character is wrong: expected '{expected}'")]
    Check { expected: char },
}

#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize)]
#[serde(transparent)]
pub struct ResidentId(String);

/// The check character over 17 digits.
pub fn resident_id_check(first17: &str) -> Option<char> {
    if first17.len() != 17 || !first17.bytes().all(|c| c.is_ascii_digit()) {
        return None;
    }
    let sum: u32 = first17
        .bytes()
        .zip(WEIGHTS)
        .map(|(c, w)| u32::from(c - b'0') * w)
        .sum();
    Some(CHECKS[(sum % 11) as usize])
}

impl ResidentId {
    pub fn parse(input: &str) -> Result<Self, ResidentIdError> {
        let s = input.trim().to_ascii_uppercase();
        if s.len() != 18 || !s.is_ascii() {
            return Err(ResidentIdError::Format);
        }
        let expected = resident_id_check(&s[..17]).ok_or(ResidentIdError::Format)?;
        let last = s.as_bytes()[17] as char;
        if !(last.is_ascii_digit() || last == 'X') {
            return Err(ResidentIdError::Format);
        }
        if last != expected {
            return Err(ResidentIdError::Check { expected });
        }
        Ok(ResidentId(s))
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }

    /// `320102********1234`
    pub fn masked(&self) -> String {
        super::mask_middle(&self.0, 6, 4)
    }
}

impl fmt::Display for ResidentId {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn known_number() {
        // The GB 11643 worked example.
        assert!(ResidentId::parse("11010519491231002X").is_ok());
        assert_eq!(
            ResidentId::parse("110105194912310021"),
            Err(ResidentIdError::Check { expected: 'X' })
        );
        assert_eq!(
            ResidentId::parse("11010519491231002X").unwrap().masked(),
            "110105********002X"
        );
        assert_eq!(
            ResidentId::parse("1101051949"),
            Err(ResidentIdError::Format)
        );
    }
}
