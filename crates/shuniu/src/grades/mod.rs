//! `shuniu grades import`: the registration authority's existing register of grades,
//! from a CSV file, each award recorded as imported with its decision number.
//!
//! Every row is checked — the file, then each row against the registry — before
//! anything is written: a file with one bad row imports nothing and names every bad
//! row. Rows already imported (same organization, date, grade and document) are
//! skipped, so an import that stopped half-way, or ran twice, is simply run again.

mod register;

use std::collections::{BTreeMap, HashMap};
use std::io::Read;
use std::path::{Path, PathBuf};

use chrono::NaiveDate;
use clap::Subcommand;
use shuniu_domain::codes::Uscc;
use shuniu_domain::registry::{Grade, OrgStatus, Organization};
use shuniu_store::supervision::grades::StoredAward;
use shuniu_store::{Store, StoreError};
use uuid::Uuid;

use crate::cli::DbArg;
use crate::users::shell_ctx;
use crate::{Failure, Outcome};
use register::{LineError, RegisterRow};

/// The largest file read: a district's register is a few thousand rows (well under a
/// MiB); the bound keeps a wrong file from filling memory.
pub const MAX_BYTES: u64 = 20 * 1024 * 1024;
/// The most rows read, for the same reason.
pub const MAX_ROWS: usize = 100_000;

#[derive(Debug, Subcommand)]
pub enum GradesCommand {
    /// Import grades from the registration authority's existing register: a CSV file
    /// with a header row and the columns organization (UUID or unified social credit
    /// code), grade (1A–5A), awarded_on (YYYY-MM-DD) and document (the decision number).
    /// Every row is checked first: one bad row and nothing is imported. Rows already
    /// imported are skipped.
    Import {
        #[command(flatten)]
        db: DbArg,
        /// The CSV file (UTF-8; at most 20 MiB and 100,000 rows)
        #[arg(long, value_name = "FILE")]
        file: PathBuf,
        /// Check the file and print what would be imported, without writing anything
        #[arg(long)]
        dry_run: bool,
    },
}

impl GradesCommand {
    pub fn db(&self) -> &DbArg {
        match self {
            GradesCommand::Import { db, .. } => db,
        }
    }
}

pub async fn run(
    store: &Store,
    command: GradesCommand,
    trust: &shuniu_store::trust::TrustSettings,
) -> Outcome {
    match command {
        GradesCommand::Import { file, dry_run, .. } => import(store, &file, dry_run, trust).await,
    }
}

/// One award to write, its organization found.
#[derive(Debug)]
struct Planned {
    row: RegisterRow,
    organization: Organization,
}

/// What an import will do: the awards to write (oldest first), how many rows are
/// already in the register, and the problems that stop it.
#[derive(Debug, Default)]
struct Plan {
    import: Vec<Planned>,
    skipped: usize,
    errors: Vec<LineError>,
}

async fn import(
    store: &Store,
    file: &Path,
    dry_run: bool,
    trust: &shuniu_store::trust::TrustSettings,
) -> Outcome {
    let shown = file.display();
    let bytes = read_bounded(file)?;
    let today = shuniu_web::today();
    let read = register::read(&bytes, today, MAX_ROWS)
        .map_err(|why| Failure::new(format!("cannot import {shown}: {why}")))?;
    drop(bytes);
    let plan = plan(store, read).await?;
    if !plan.errors.is_empty() {
        let mut errors = plan.errors;
        // By line, a line's problems in the order of its columns.
        errors.sort_by_key(|e| {
            let column = register::COLUMNS.iter().position(|c| *c == e.field);
            (e.line, column)
        });
        for e in &errors {
            eprintln!("{e}");
        }
        let lines = {
            let mut l: Vec<u64> = errors.iter().map(|e| e.line).collect();
            l.dedup();
            l.len()
        };
        return Err(Failure::new(format!(
            "{shown}: {} problem(s) on {lines} line(s): nothing was imported",
            errors.len()
        )));
    }
    let organizations = {
        let mut ids: Vec<Uuid> = plan.import.iter().map(|p| p.organization.id).collect();
        ids.sort();
        ids.dedup();
        ids.len()
    };
    let skipped = match plan.skipped {
        0 => String::new(),
        n => format!("; skipped {n} already imported"),
    };
    if dry_run {
        for p in &plan.import {
            println!(
                "line {}: {} {} awarded on {} ({}) to {} [{}]",
                p.row.line,
                if Grade::expiry(p.row.awarded_on) <= today {
                    "expired grade"
                } else {
                    "grade"
                },
                p.row.grade,
                p.row.awarded_on,
                p.row.document,
                p.organization.data.name,
                p.organization.id
            );
        }
        println!(
            "dry run: would import {} grades ({organizations} organizations){skipped}; nothing was written",
            plan.import.len()
        );
        return Ok(());
    }
    let ctx = shell_ctx();
    for (done, p) in plan.import.iter().enumerate() {
        store
            .import_grade(
                p.organization.id,
                p.row.grade,
                p.row.awarded_on,
                &p.row.document,
                &ctx,
            )
            .await
            .map_err(|e| {
                Failure::new(format!(
                    "line {}: cannot import the grade: {}; {done} of {} grades were imported \
                     before it: put it right and run the import again (imported rows are skipped)",
                    p.row.line,
                    store_words(e),
                    plan.import.len()
                ))
            })?;
    }
    // An imported grade whose five years are over stops counting now, as the daily
    // job would make it: the registry's lists never show it as current.
    let expired = store
        .expire_grades(today, &ctx)
        .await
        .map_err(|e| Failure::new(format!("cannot expire past grades: {}", store_words(e))))?;
    // The grades count in the organizations' credibility: recompute theirs.
    let touched: std::collections::BTreeSet<uuid::Uuid> =
        plan.import.iter().map(|p| p.organization.id).collect();
    for id in touched {
        store
            .refresh_credibility(id, trust, today)
            .await
            .map_err(|e| {
                Failure::new(format!("cannot recompute credibility: {}", store_words(e)))
            })?;
    }
    let expired = match expired {
        0 => String::new(),
        n => format!("; {n} grade(s) past their five years no longer count"),
    };
    tracing::info!(file = %shown, imported = plan.import.len(), organizations, skipped = plan.skipped, "grades imported");
    println!(
        "imported {} grades ({organizations} organizations){skipped}{expired}",
        plan.import.len()
    );
    Ok(())
}

/// The file's bytes, refused past [`MAX_BYTES`] — by its size when it has one, and by
/// what is read otherwise (a pipe, a device), so memory stays bounded either way.
fn read_bounded(file: &Path) -> Outcome<Vec<u8>> {
    let shown = file.display();
    let too_big = || {
        Failure::new(format!(
            "cannot import {shown}: it is larger than {} MiB: split it into smaller files",
            MAX_BYTES / (1024 * 1024)
        ))
    };
    let f =
        std::fs::File::open(file).map_err(|e| Failure::new(format!("cannot read {shown}: {e}")))?;
    if f.metadata()
        .is_ok_and(|m| m.is_file() && m.len() > MAX_BYTES)
    {
        return Err(too_big());
    }
    let mut bytes = Vec::new();
    f.take(MAX_BYTES + 1)
        .read_to_end(&mut bytes)
        .map_err(|e| Failure::new(format!("cannot read {shown}: {e}")))?;
    if bytes.len() as u64 > MAX_BYTES {
        return Err(too_big());
    }
    Ok(bytes)
}

/// Checks the rows against the registry and the awards already recorded.
async fn plan(store: &Store, read: register::Register) -> Outcome<Plan> {
    let mut plan = Plan {
        errors: read.errors,
        ..Plan::default()
    };
    // Each organization is looked up once, however many rows name it.
    let mut found: HashMap<String, Result<Organization, String>> = HashMap::new();
    for (line, given) in read.bad_rows_organizations {
        if let Err(why) = organization(store, &mut found, &given).await? {
            plan.errors
                .push(LineError::new(line, "organization", why.clone()));
        }
    }
    let mut by_org: BTreeMap<Uuid, Vec<Planned>> = BTreeMap::new();
    for row in read.rows {
        match organization(store, &mut found, &row.organization).await? {
            Err(why) => plan
                .errors
                .push(LineError::new(row.line, "organization", why.clone())),
            Ok(o) if o.status == OrgStatus::Deregistered => plan.errors.push(LineError::new(
                row.line,
                "organization",
                format!(
                    "{} is deregistered: a deregistered organization holds no grade",
                    o.data.name
                ),
            )),
            Ok(o) => by_org.entry(o.id).or_default().push(Planned {
                row,
                organization: o.clone(),
            }),
        }
    }
    for (id, mut rows) in by_org {
        rows.sort_by_key(|p| (p.row.awarded_on, p.row.line));
        let existing = store.grade_awards(id).await.map_err(|e| {
            Failure::new(format!("cannot read the grade awards: {}", store_words(e)))
        })?;
        let latest = existing.iter().map(|a| a.award.awarded_on).max();
        let mut previous: Option<(u64, NaiveDate)> = None;
        for p in rows {
            let on = p.row.awarded_on;
            if let Some((line, _)) = previous.filter(|(_, prev_on)| *prev_on == on) {
                plan.errors.push(LineError::new(
                    p.row.line,
                    "awarded_on",
                    format!(
                        "line {line} already gives {} a grade awarded on {on}",
                        p.organization.data.name
                    ),
                ));
                continue;
            }
            previous = Some((p.row.line, on));
            if on < p.organization.data.founded_on {
                plan.errors.push(LineError::new(
                    p.row.line,
                    "awarded_on",
                    format!(
                        "{on} is before {} was founded ({})",
                        p.organization.data.name, p.organization.data.founded_on
                    ),
                ));
                continue;
            }
            match check_against(&p.row, &existing, latest) {
                Ok(true) => plan.import.push(p),
                Ok(false) => plan.skipped += 1,
                Err(message) => plan
                    .errors
                    .push(LineError::new(p.row.line, "awarded_on", message)),
            }
        }
    }
    // Oldest first across organizations too, so the audit trail reads as the register.
    plan.import.sort_by_key(|p| (p.row.awarded_on, p.row.line));
    Ok(plan)
}

/// Whether a row is new (`true`), already recorded (`false`, skipped), or contradicts
/// the awards recorded. An award is only ever added after the latest one: writing an
/// earlier one would end ("supersede") a later grade on a date before it began.
fn check_against(
    row: &RegisterRow,
    existing: &[StoredAward],
    latest: Option<NaiveDate>,
) -> Result<bool, String> {
    if let Some(same_day) = existing
        .iter()
        .find(|a| a.award.awarded_on == row.awarded_on)
    {
        return if same_day.award.grade == row.grade && same_day.document == row.document {
            Ok(false)
        } else {
            Err(format!(
                "the organization already has a grade awarded on {}: {} by {}",
                row.awarded_on, same_day.award.grade, same_day.document
            ))
        };
    }
    match latest {
        Some(latest) if row.awarded_on < latest => Err(format!(
            "{} is before the organization's latest grade award ({latest}): only later awards can be imported",
            row.awarded_on
        )),
        _ => Ok(true),
    }
}

/// The organization a row names, by id or unified social credit code, looked up once
/// (`found` keeps the answers); `Err` is the row's problem in words, a failure of the
/// store stops the command.
async fn organization<'a>(
    store: &Store,
    found: &'a mut HashMap<String, Result<Organization, String>>,
    given: &str,
) -> Outcome<&'a Result<Organization, String>> {
    let key = given.to_ascii_uppercase();
    if !found.contains_key(&key) {
        let org = look_up(store, given).await?;
        found.insert(key.clone(), org);
    }
    Ok(&found[&key])
}

async fn look_up(store: &Store, given: &str) -> Outcome<Result<Organization, String>> {
    let looked_up = match Uuid::parse_str(given) {
        Ok(id) => store.organization(id).await,
        Err(_) => match Uscc::parse(given) {
            Ok(code) => store.organization_by_uscc(code.as_str()).await,
            Err(e) => {
                return Ok(Err(format!(
                    "{given:?} is neither an organization id (UUID) nor a unified social credit code ({e})"
                )));
            }
        },
    };
    let org = looked_up.map_err(|e| {
        Failure::new(format!(
            "cannot look up the organizations: {}",
            store_words(e)
        ))
    })?;
    Ok(org.ok_or_else(|| format!("no organization has the id or code {given}")))
}

/// A store error in the words of a command-line user.
fn store_words(e: StoreError) -> String {
    match e {
        StoreError::Invalid(fields) => fields.to_string(),
        other => other.to_string(),
    }
}
