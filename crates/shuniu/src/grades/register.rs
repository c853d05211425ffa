//! Reading the register file: bytes → rows whose every field parsed, and the problems
//! of those that did not, by line. Pure: no store, no clock (the caller passes `today`).

use std::collections::HashMap;
use std::fmt;

use chrono::NaiveDate;
use shuniu_domain::registry::Grade;

/// The columns a register file must have (other columns, e.g. a name kept for the
/// reader, are ignored).
pub const COLUMNS: [&str; 4] = ["organization", "grade", "awarded_on", "document"];

/// The longest decision number accepted: a document number is a short reference, so a
/// longer cell is a column mix-up (a name or a note), not a number.
const DOCUMENT_MAX_CHARS: usize = 200;

/// The earliest award date accepted: grades were first awarded long after 1990 (the
/// assessment rounds' own lower bound), so an earlier date is a typo (`0021-05-01`).
const EARLIEST_YEAR: i32 = 1990;

/// One problem of the file: `line N: field: message`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct LineError {
    pub line: u64,
    pub field: String,
    pub message: String,
}

impl LineError {
    pub fn new(line: u64, field: &str, message: impl Into<String>) -> LineError {
        LineError {
            line,
            field: field.into(),
            message: message.into(),
        }
    }
}

impl fmt::Display for LineError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "line {}: {}: {}", self.line, self.field, self.message)
    }
}

/// A row whose fields each parsed; whether its organization exists is asked later.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RegisterRow {
    pub line: u64,
    /// As written: an organization id (UUID) or a unified social credit code.
    pub organization: String,
    pub grade: Grade,
    pub awarded_on: NaiveDate,
    pub document: String,
}

/// The file read: the good rows and every problem found.
#[derive(Debug, Default)]
pub struct Register {
    pub rows: Vec<RegisterRow>,
    pub errors: Vec<LineError>,
    /// The organization named by each bad row (line, as written), so that it too is
    /// looked up and every problem of the row is named at once.
    pub bad_rows_organizations: Vec<(u64, String)>,
}

/// Why a file is not read at all (as opposed to rows that are bad).
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Unreadable {
    NotUtf8 { line: u64 },
    TooManyRows { max: usize },
}

impl fmt::Display for Unreadable {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Unreadable::NotUtf8 { line } => write!(
                f,
                "it is not UTF-8 text (line {line}): save it as \"CSV UTF-8\" (a spreadsheet's GBK export is not read)"
            ),
            Unreadable::TooManyRows { max } => {
                write!(
                    f,
                    "it has more than {max} rows: split it into smaller files"
                )
            }
        }
    }
}

/// Reads a register file: a header row naming [`COLUMNS`] (any order, any case), then
/// one award a row. A UTF-8 byte-order mark (what spreadsheets write) is skipped; a row
/// with every cell empty (what spreadsheets leave at the end) is no row. Rows past
/// `max_rows` make the file unreadable, so what is held stays bounded.
pub fn read(bytes: &[u8], today: NaiveDate, max_rows: usize) -> Result<Register, Unreadable> {
    let bytes = bytes.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(bytes);
    let text = std::str::from_utf8(bytes).map_err(|e| Unreadable::NotUtf8 {
        line: 1 + bytes[..e.valid_up_to()]
            .iter()
            .filter(|b| **b == b'\n')
            .count() as u64,
    })?;
    let mut reader = csv::ReaderBuilder::new()
        .flexible(true)
        .trim(csv::Trim::All)
        .from_reader(text.as_bytes());
    let mut out = Register::default();
    let header = match reader.headers() {
        Ok(h) => h.clone(),
        Err(e) => {
            out.errors.push(LineError::new(1, "header", e.to_string()));
            return Ok(out);
        }
    };
    let Some(at) = columns(&header, &mut out.errors) else {
        return Ok(out);
    };
    let mut n = 0;
    let mut lines = LineCounter::new(text);
    for record in reader.records() {
        let record = match record {
            Ok(r) => r,
            Err(e) => {
                let line = e.position().map_or(0, |p| lines.line_at(p.byte()));
                out.errors.push(LineError::new(line, "row", e.to_string()));
                continue;
            }
        };
        if record.iter().all(str::is_empty) {
            continue;
        }
        n += 1;
        if n > max_rows {
            return Err(Unreadable::TooManyRows { max: max_rows });
        }
        let line = record.position().map_or(0, |p| lines.line_at(p.byte()));
        let cell = |i: usize| record.get(i).unwrap_or("");
        match row(
            line,
            [cell(at[0]), cell(at[1]), cell(at[2]), cell(at[3])],
            today,
            &mut out.errors,
        ) {
            Some(row) => out.rows.push(row),
            None if !cell(at[0]).is_empty() => out
                .bad_rows_organizations
                .push((line, cell(at[0]).to_string())),
            None => {}
        }
    }
    Ok(out)
}

/// Line numbers of the rows, as an editor shows them. The reader's own line count
/// is one short after a CRLF line end (the record starts at its `\n`), so the line is
/// counted from the byte where the record starts, past any line ends; rows come in
/// order, so each byte is looked at once.
struct LineCounter<'a> {
    text: &'a [u8],
    at: usize,
    line: u64,
}

impl<'a> LineCounter<'a> {
    fn new(text: &'a str) -> Self {
        LineCounter {
            text: text.as_bytes(),
            at: 0,
            line: 1,
        }
    }

    fn line_at(&mut self, byte: u64) -> u64 {
        let mut start = usize::try_from(byte)
            .unwrap_or(usize::MAX)
            .min(self.text.len());
        while start < self.text.len() && matches!(self.text[start], b'\r' | b'\n') {
            start += 1;
        }
        if start > self.at {
            self.line += self.text[self.at..start]
                .iter()
                .filter(|b| **b == b'\n')
                .count() as u64;
            self.at = start;
        }
        self.line
    }
}

/// The position of each of [`COLUMNS`] in the header, or the header's problems.
fn columns(header: &csv::StringRecord, errors: &mut Vec<LineError>) -> Option<[usize; 4]> {
    let mut seen: HashMap<String, usize> = HashMap::new();
    for (i, name) in header.iter().enumerate() {
        let name = name.to_ascii_lowercase();
        if COLUMNS.contains(&name.as_str()) && seen.insert(name.clone(), i).is_some() {
            errors.push(LineError::new(
                1,
                "header",
                format!("the column {name} appears twice"),
            ));
        }
    }
    let mut at = [0; 4];
    for (slot, name) in at.iter_mut().zip(COLUMNS) {
        match seen.get(name) {
            Some(i) => *slot = *i,
            None => errors.push(LineError::new(
                1,
                "header",
                format!(
                    "no column {name}: the first row must name the columns {}",
                    COLUMNS.join(", ")
                ),
            )),
        }
    }
    errors.is_empty().then_some(at)
}

/// One row's cells (in [`COLUMNS`] order), each checked; every bad cell is named.
fn row(
    line: u64,
    [organization, grade, awarded_on, document]: [&str; 4],
    today: NaiveDate,
    errors: &mut Vec<LineError>,
) -> Option<RegisterRow> {
    let before = errors.len();
    let mut bad = |field: &str, message: String| errors.push(LineError::new(line, field, message));
    if organization.is_empty() {
        bad("organization", "is required".into());
    }
    let grade = match parse_grade(grade) {
        Some(g) => Some(g),
        None if grade.is_empty() => {
            bad("grade", "is required".into());
            None
        }
        None => {
            bad(
                "grade",
                format!("{grade:?} is not a grade: expected 1A, 2A, 3A, 4A or 5A"),
            );
            None
        }
    };
    let awarded_on = match NaiveDate::parse_from_str(awarded_on, "%Y-%m-%d") {
        _ if awarded_on.is_empty() => {
            bad("awarded_on", "is required".into());
            None
        }
        Err(_) => {
            bad(
                "awarded_on",
                format!("{awarded_on:?} is not a date: expected YYYY-MM-DD"),
            );
            None
        }
        Ok(d) if d > today => {
            bad(
                "awarded_on",
                format!("{d} is in the future (today is {today})"),
            );
            None
        }
        Ok(d) if d < NaiveDate::from_ymd_opt(EARLIEST_YEAR, 1, 1).expect("a date") => {
            bad(
                "awarded_on",
                format!("{d} is before {EARLIEST_YEAR}, when no grades were awarded"),
            );
            None
        }
        Ok(d) => Some(d),
    };
    if document.is_empty() {
        bad(
            "document",
            "is required (the authority's decision number)".into(),
        );
    } else if document.chars().count() > DOCUMENT_MAX_CHARS {
        bad(
            "document",
            format!("must be at most {DOCUMENT_MAX_CHARS} characters"),
        );
    } else if document.chars().any(char::is_control) {
        bad("document", "must not contain control characters".into());
    }
    if errors.len() > before {
        return None;
    }
    Some(RegisterRow {
        line,
        organization: organization.to_string(),
        grade: grade?,
        awarded_on: awarded_on?,
        document: document.to_string(),
    })
}

/// A grade as registers write it: the domain's codes (`1A`…`5A`) in either case, also
/// as letters (`AAAA`) and with the word 级 (`4A级`), as paper registers print them.
pub fn parse_grade(s: &str) -> Option<Grade> {
    let s = s.trim();
    let s = s
        .strip_suffix('级')
        .unwrap_or(s)
        .trim()
        .to_ascii_uppercase();
    if let Some(g) = Grade::parse(&s) {
        return Some(g);
    }
    let n = s.len();
    (n >= 1 && s.bytes().all(|b| b == b'A'))
        .then(|| Grade::parse(&format!("{n}A")))
        .flatten()
}

#[cfg(test)]
#[path = "register_tests.rs"]
mod tests;
