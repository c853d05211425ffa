//! Indicator tables as a per-locality setting (issue 9, item 4): a settings file holds
//! tables, each for one kind of organization and either every authority or the
//! authorities under a jurisdiction-code prefix. Scoring asks [`IndicatorTables::table_for`]
//! with the round's authority; a locality that sets nothing scores by
//! [`IndicatorTable::jiangsu_default`].
//!
//! The file is read by the binary; here it is only text already parsed into
//! [`TablesFile`], checked whole so that a bad table stops the start, not a scoring.

use std::collections::{BTreeMap, BTreeSet};

use serde::{Deserialize, Serialize};

use crate::registry::Grade;

use super::assessment::{Area, IndicatorTable, TableKind};

/// One table as the settings file writes it.
#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct TableSpec {
    /// A [`TableKind`] code.
    pub kind: String,
    /// A jurisdiction-code prefix (`"3201"`: every authority in Nanjing; `"320102"`:
    /// Xuanwu and its streets); absent: every authority.
    pub authority: Option<String>,
    pub areas: Vec<AreaSpec>,
    pub max_bonus: u32,
    pub max_total: u32,
    /// Grade (`"5A"` … `"1A"`) → the lowest total that earns it.
    pub cutoffs: BTreeMap<String, u32>,
}

/// An area as the settings file writes it (unknown keys refused, so a typo is named).
#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct AreaSpec {
    pub code: String,
    pub zh: String,
    pub en: String,
    pub points: u32,
}

/// The whole settings file: `[[table]]` entries.
#[derive(Debug, Clone, Default, PartialEq, Eq, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct TablesFile {
    #[serde(default)]
    pub table: Vec<TableSpec>,
}

/// Where a table in force comes from.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum TableSource {
    /// The locality's settings file.
    Setting,
    /// [`IndicatorTable::jiangsu_default`]: nothing set for this kind.
    BuiltIn,
}

impl TableSource {
    pub fn as_str(self) -> &'static str {
        match self {
            TableSource::Setting => "setting",
            TableSource::BuiltIn => "built_in",
        }
    }
}

/// A table and whom it serves: the authorities under `authority` (a code prefix), or
/// every authority when `None`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct LocalTable {
    pub authority: Option<String>,
    pub source: TableSource,
    pub table: IndicatorTable,
}

/// The checked tables of a locality's setting. Empty (the default): every authority
/// scores by the built-in tables.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct IndicatorTables {
    tables: Vec<LocalTable>,
}

/// Area codes become field names of the scoring form and API beside these, so an area
/// may not take one of them (its error would be read as the other field's).
pub const RESERVED_AREA_CODES: [&str; 7] = [
    "bonus",
    "action",
    "reason",
    "scores",
    "starts_on",
    "awarded_on",
    "document",
];

fn authority_ok(a: &str) -> bool {
    (2..=12).contains(&a.len()) && a.bytes().all(|b| b.is_ascii_digit())
}

impl TableSpec {
    /// The table this entry describes, checked; the error says what is wrong (the
    /// caller names the entry).
    pub fn to_table(&self) -> Result<LocalTable, String> {
        let kind = TableKind::parse(&self.kind).ok_or_else(|| {
            let codes: Vec<&str> = TableKind::ALL.iter().map(|k| k.as_str()).collect();
            format!("kind {:?} is not one of {}", self.kind, codes.join(", "))
        })?;
        let authority = match self.authority.as_deref().map(str::trim) {
            None => None,
            Some(a) if authority_ok(a) => Some(a.to_string()),
            Some(a) => {
                return Err(format!(
                    "authority {a:?} is not a jurisdiction-code prefix (2 to 12 digits)"
                ));
            }
        };
        let mut cutoffs = Vec::new();
        for (g, &min) in &self.cutoffs {
            let grade = Grade::parse(&g.to_ascii_uppercase())
                .ok_or_else(|| format!("cut-off {g:?} is not a grade (5A, 4A, 3A, 2A, 1A)"))?;
            cutoffs.push((grade, min));
        }
        // Highest grade first, as the table keeps them; `check` then asks the totals
        // to fall with the grades.
        cutoffs.sort_by_key(|c| std::cmp::Reverse(c.0));
        let table = IndicatorTable {
            kind,
            areas: self
                .areas
                .iter()
                .map(|a| Area {
                    code: a.code.trim().to_string(),
                    zh: a.zh.trim().to_string(),
                    en: a.en.trim().to_string(),
                    points: a.points,
                })
                .collect(),
            max_total: self.max_total,
            max_bonus: self.max_bonus,
            cutoffs,
        };
        table.check()?;
        Ok(LocalTable {
            authority,
            source: TableSource::Setting,
            table,
        })
    }
}

impl IndicatorTables {
    /// Checks every table of the file; the first bad one is named by its place, kind
    /// and authority. Two tables for the same kind and authority are refused (which
    /// one would apply is not obvious).
    pub fn from_file(file: &TablesFile) -> Result<IndicatorTables, String> {
        let mut tables: Vec<LocalTable> = Vec::new();
        let mut seen = BTreeSet::new();
        for (i, spec) in file.table.iter().enumerate() {
            let name = format!(
                "table {} ({}, {})",
                i + 1,
                spec.kind,
                match &spec.authority {
                    Some(a) => format!("authority {a}"),
                    None => "every authority".into(),
                }
            );
            let t = spec.to_table().map_err(|e| format!("{name}: {e}"))?;
            if !seen.insert((t.table.kind, t.authority.clone())) {
                return Err(format!(
                    "{name}: a table for this kind and authority is already set"
                ));
            }
            tables.push(t);
        }
        Ok(IndicatorTables { tables })
    }

    /// The tables the setting holds, in file order.
    pub fn entries(&self) -> &[LocalTable] {
        &self.tables
    }

    /// The table that scores an application of `kind` in a round of the authority
    /// `authority_code`: the set table with the longest prefix of the code, else the
    /// set table for every authority, else the built-in one.
    pub fn table_for(&self, authority_code: &str, kind: TableKind) -> LocalTable {
        self.tables
            .iter()
            .filter(|t| t.table.kind == kind)
            .filter(|t| {
                t.authority
                    .as_deref()
                    .is_none_or(|p| authority_code.starts_with(p))
            })
            .max_by_key(|t| t.authority.as_ref().map_or(0, |p| p.len() + 1))
            .cloned()
            .unwrap_or_else(|| LocalTable {
                authority: None,
                source: TableSource::BuiltIn,
                table: IndicatorTable::jiangsu_default(kind),
            })
    }

    /// The tables in force: for an authority, the one per kind that scores there; for
    /// none, every set table and the built-in one of each kind without a table for every
    /// authority. `kind` narrows either to one kind.
    pub fn in_force(&self, authority: Option<&str>, kind: Option<TableKind>) -> Vec<LocalTable> {
        let kinds: Vec<TableKind> = match kind {
            Some(k) => vec![k],
            None => TableKind::ALL.to_vec(),
        };
        let mut out = Vec::new();
        for k in kinds {
            match authority {
                Some(code) => out.push(self.table_for(code, k)),
                None => {
                    let mut set: Vec<&LocalTable> =
                        self.tables.iter().filter(|t| t.table.kind == k).collect();
                    set.sort_by(|a, b| a.authority.cmp(&b.authority));
                    if set.first().is_none_or(|t| t.authority.is_some()) {
                        out.push(LocalTable {
                            authority: None,
                            source: TableSource::BuiltIn,
                            table: IndicatorTable::jiangsu_default(k),
                        });
                    }
                    out.extend(set.into_iter().cloned());
                }
            }
        }
        out
    }
}

#[cfg(test)]
#[path = "tables_tests.rs"]
mod tests;
