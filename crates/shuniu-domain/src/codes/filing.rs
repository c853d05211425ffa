//! Filing number 备案编号 of a community social organization that is only filed with a
//! street (no USCC). Shuniu's format: the 12-digit street code, the filing year and a
//! sequence number: `320102002000-2011-0007`.

use std::fmt;

use serde::Serialize;

#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum FilingNumberError {
    #[error("must look like 320102002000-2011-0007 (street code, year, 4-digit sequence)")]
    Format,
}

#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize)]
#[serde(transparent)]
pub struct FilingNumber(String);

impl FilingNumber {
    pub fn parse(input: &str) -> Result<Self, FilingNumberError> {
        let s = input.trim();
        let parts: Vec<&str> = s.split('-').collect();
        let digits = |x: &str, n: usize| x.len() == n && x.bytes().all(|c| c.is_ascii_digit());
        match parts.as_slice() {
            [street, year, seq]
                if digits(street, 12)
                    && digits(year, 4)
                    && ("1949".."2100").contains(year)
                    && digits(seq, 4)
                    && *seq != "0000" =>
            {
                Ok(FilingNumber(s.to_string()))
            }
            _ => Err(FilingNumberError::Format),
        }
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }

    /// The street the organization is filed with.
    pub fn street_code(&self) -> &str {
        &self.0[..12]
    }
}

impl fmt::Display for FilingNumber {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn shapes() {
        let f = FilingNumber::parse(" 320102002000-2011-0007 ").unwrap();
        assert_eq!(f.as_str(), "320102002000-2011-0007");
        assert_eq!(f.street_code(), "320102002000");
        for bad in [
            "",
            "320102002000-2011-0000",
            "32010200200-2011-0007",
            "320102002000-1800-0007",
            "320102002000-2011-007",
            "320102002000/2011/0007",
        ] {
            assert!(FilingNumber::parse(bad).is_err(), "{bad}");
        }
    }
}
