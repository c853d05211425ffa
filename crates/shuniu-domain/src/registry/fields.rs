//! The form fields' parsers every draft uses: each reads one field as typed, adds what
//! is wrong with it to the draft's errors under the field's name, and returns the value
//! (or a neutral one) so that the draft goes on to check the rest.

use chrono::{Datelike, NaiveDate};

use crate::codes::Phone;
use crate::{FieldError, FieldErrors};

pub(crate) fn given(v: &Option<String>) -> Option<&str> {
    v.as_deref().map(str::trim).filter(|s| !s.is_empty())
}

pub(crate) fn parse_count(errs: &mut FieldErrors, field: &str, v: &Option<String>) -> u32 {
    match given(v) {
        None => 0,
        Some(s) => match s.parse::<i64>() {
            Ok(n) if n < 0 => {
                errs.add(field, FieldError::new("不能为负数", "must not be negative"));
                0
            }
            Ok(n) if n > 1_000_000 => {
                errs.add(field, FieldError::new("数值过大", "is too large"));
                0
            }
            Ok(n) => n as u32,
            Err(_) => {
                errs.add(field, FieldError::new("应为整数", "must be a whole number"));
                0
            }
        },
    }
}

pub(crate) fn parse_date(
    errs: &mut FieldErrors,
    field: &str,
    v: &str,
    today: NaiveDate,
) -> Option<NaiveDate> {
    match NaiveDate::parse_from_str(v, "%Y-%m-%d") {
        Err(_) => {
            errs.add(
                field,
                FieldError::new("日期格式应为 YYYY-MM-DD", "must be a date YYYY-MM-DD"),
            );
            None
        }
        Ok(d) if d > today => {
            errs.add(
                field,
                FieldError::new("不能晚于今天", "must not be in the future"),
            );
            None
        }
        Ok(d) if d.year() < 1900 => {
            errs.add(field, FieldError::new("日期过早", "is too early"));
            None
        }
        Ok(d) => Some(d),
    }
}

pub(crate) fn parse_text(
    errs: &mut FieldErrors,
    field: &str,
    v: &Option<String>,
    max: usize,
    required: bool,
) -> String {
    match given(v) {
        None if required => {
            errs.add(field, FieldError::required());
            String::new()
        }
        None => String::new(),
        Some(s) if s.chars().count() > max => {
            errs.add(
                field,
                FieldError::new(
                    format!("不能超过{max}个字"),
                    format!("must be at most {max} characters"),
                ),
            );
            String::new()
        }
        Some(s) if s.chars().any(|c| c.is_control()) => {
            errs.add(
                field,
                FieldError::new("含有控制字符", "contains control characters"),
            );
            String::new()
        }
        Some(s) => s.to_string(),
    }
}

/// Like [`parse_text`], for text typed in a multi-line box (reasons, notes, terms):
/// line breaks and tabs are kept; other control characters are refused.
pub(crate) fn parse_note(
    errs: &mut FieldErrors,
    field: &str,
    v: &Option<String>,
    max: usize,
    required: bool,
) -> String {
    let single_line = v.as_ref().map(|s| s.replace(['\n', '\r', '\t'], " "));
    let checked = parse_text(errs, field, &single_line, max, required);
    if checked.is_empty() {
        return checked;
    }
    given(v).map(str::to_string).unwrap_or_default()
}

/// A phone number (mobile or landline): `None` when blank — with `required` when it
/// is — or when it is not a phone number.
pub(crate) fn parse_phone(
    errs: &mut FieldErrors,
    field: &str,
    v: &Option<String>,
    required: bool,
) -> Option<Phone> {
    let Some(s) = given(v) else {
        if required {
            errs.add(field, FieldError::required());
        }
        return None;
    };
    Phone::parse(s).ok().or_else(|| {
        errs.add(
            field,
            FieldError::new("电话号码格式不对", "is not a valid phone number"),
        );
        None
    })
}

/// The codes of every value of an enumeration (`Kind::ALL`, `Kind::as_str`), for the
/// message that lists what a choice may be.
pub(crate) fn codes<T: Copy>(all: &[T], code: fn(T) -> &'static str) -> Vec<&'static str> {
    all.iter().map(|x| code(*x)).collect()
}

/// A choice that must be made: `required` when blank, else as [`parse_choice`].
pub(crate) fn required_choice<T>(
    errs: &mut FieldErrors,
    field: &str,
    v: &Option<String>,
    parse: impl Fn(&str) -> Option<T>,
    allowed: &[&str],
) -> Option<T> {
    if given(v).is_none() {
        errs.add(field, FieldError::required());
        return None;
    }
    parse_choice(errs, field, v, parse, allowed)
}

pub(crate) fn parse_choice<T>(
    errs: &mut FieldErrors,
    field: &str,
    v: &Option<String>,
    parse: impl Fn(&str) -> Option<T>,
    allowed: &[&str],
) -> Option<T> {
    let s = given(v)?;
    let r = parse(s);
    if r.is_none() {
        errs.add(
            field,
            FieldError::new(
                format!("取值无效，可选：{}", allowed.join("、")),
                format!("is not one of: {}", allowed.join(", ")),
            ),
        );
    }
    r
}
