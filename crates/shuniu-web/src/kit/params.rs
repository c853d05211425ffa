//! Reading query and form parameters as they come (text), shared by every capability.

use shuniu_domain::{FieldError, FieldErrors};

/// The trimmed value, if one was given.
pub fn given(v: &Option<String>) -> Option<&str> {
    v.as_deref().map(str::trim).filter(|s| !s.is_empty())
}

/// The error for a number outside `1..=max`.
pub fn bad_number(max: u32) -> FieldError {
    FieldError::new(
        format!("应为1到{max}之间的整数"),
        format!("must be a whole number from 1 to {max}"),
    )
}

/// A whole number within `1..=max` (`default` when absent); else an error on `field`.
pub fn number(e: &mut FieldErrors, field: &str, v: &Option<String>, default: u32, max: u32) -> u32 {
    match given(v) {
        None => default,
        Some(s) => match s.parse::<u32>() {
            Ok(n) if (1..=max).contains(&n) => n,
            _ => {
                e.add(field, bad_number(max));
                default
            }
        },
    }
}

/// The error for a value that is not one of `codes`.
pub fn choice_error(codes: &[&str]) -> FieldError {
    FieldError::new(
        format!("取值无效，可选：{}", codes.join("、")),
        format!("is not one of: {}", codes.join(", ")),
    )
}
