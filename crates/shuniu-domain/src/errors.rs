//! Field-level validation errors, shared by the UI (inline messages) and the API (`422`).

use std::collections::BTreeMap;

use serde::Serialize;

use crate::Lang;

/// One bad field: a bilingual message.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct FieldError {
    pub zh: String,
    pub en: String,
}

impl FieldError {
    pub fn new(zh: impl Into<String>, en: impl Into<String>) -> Self {
        FieldError {
            zh: zh.into(),
            en: en.into(),
        }
    }
    pub fn message(&self, lang: Lang) -> &str {
        lang.pick(&self.zh, &self.en)
    }
    pub fn required() -> Self {
        FieldError::new("必填", "is required")
    }
    /// A jurisdiction code that names no node of the tree.
    pub fn unknown_jurisdiction() -> Self {
        FieldError::new("没有这个行政区划", "is not a known jurisdiction")
    }
    /// An organization id that names no registered organization.
    pub fn unknown_organization() -> Self {
        FieldError::new("没有这个社会组织", "is not a known organization")
    }
}

/// Every bad field of one input, keyed by the field's name.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
#[serde(transparent)]
pub struct FieldErrors(pub BTreeMap<String, FieldError>);

impl FieldErrors {
    pub fn new() -> Self {
        Self::default()
    }
    pub fn add(&mut self, field: &str, e: FieldError) {
        // The first problem found with a field is the one worth telling.
        self.0.entry(field.to_string()).or_insert(e);
    }
    pub fn is_empty(&self) -> bool {
        self.0.is_empty()
    }
    pub fn get(&self, field: &str) -> Option<&FieldError> {
        self.0.get(field)
    }
    pub fn single(field: &str, e: FieldError) -> Self {
        let mut f = Self::new();
        f.add(field, e);
        f
    }
    /// Adds every problem of `other` (a field keeps its first problem).
    pub fn absorb(&mut self, other: FieldErrors) {
        for (k, v) in other.0 {
            self.add(&k, v);
        }
    }

    /// `parsed`'s value when neither it nor `self` (problems found before, e.g. by the
    /// body's parser) has one; else every problem, `self`'s first.
    pub fn or_parsed<T>(mut self, parsed: Result<T, FieldErrors>) -> Result<T, FieldErrors> {
        match parsed {
            Ok(v) if self.is_empty() => Ok(v),
            Ok(_) => Err(self),
            Err(e) => {
                self.absorb(e);
                Err(self)
            }
        }
    }

    /// Messages in one language, as the API answers them.
    pub fn in_lang(&self, lang: Lang) -> BTreeMap<String, String> {
        self.0
            .iter()
            .map(|(k, v)| (k.clone(), v.message(lang).to_string()))
            .collect()
    }
}

impl std::fmt::Display for FieldErrors {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        for (i, (k, v)) in self.0.iter().enumerate() {
            if i > 0 {
                f.write_str("; ")?;
            }
            write!(f, "{k}: {}", v.en)?;
        }
        Ok(())
    }
}

impl std::error::Error for FieldErrors {}
