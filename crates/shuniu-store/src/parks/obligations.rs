//! Quarterly reports of service hours against a venue's obligation, and the summaries
//! per quarter.

use std::collections::BTreeMap;

use chrono::{DateTime, Utc};
use serde::Serialize;
use serde_json::json;
use shuniu_domain::audit::Outcome;
use shuniu_domain::parks::{ObligationReportData, Quarter};
use uuid::Uuid;

use super::{count, unknown_organization};
use crate::audit::append_in_tx;
use crate::{Result, Store, StoreError, WriteCtx, on_pool};

/// A stored obligation report.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct ObligationReport {
    pub id: Uuid,
    pub venue_id: Uuid,
    pub organization_name: String,
    pub data: ObligationReportData,
    pub reported_by: String,
    pub reported_at: DateTime<Utc>,
}

/// A venue's obligation in one quarter: what was expected and what was reported.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct ObligationSummary {
    pub quarter: Quarter,
    pub target_hours: i64,
    pub delivered_hours: i64,
    pub residents_served: i64,
    pub reports: Vec<ObligationReport>,
}

const REPORT_SELECT: &str = "SELECT r.id, r.venue_id, r.organization_id, o.name AS organization_name, r.year, \
    r.quarter, r.service_hours, r.residents_served, r.note, r.reported_by, r.reported_at \
    FROM obligation_reports r JOIN organizations o ON o.id = r.organization_id";

#[derive(sqlx::FromRow)]
struct ReportRow {
    id: Uuid,
    venue_id: Uuid,
    organization_id: Uuid,
    organization_name: String,
    year: i64,
    quarter: i64,
    service_hours: i64,
    residents_served: i64,
    note: String,
    reported_by: String,
    reported_at: DateTime<Utc>,
}

impl TryFrom<ReportRow> for ObligationReport {
    type Error = StoreError;
    fn try_from(r: ReportRow) -> Result<Self> {
        let bad = || StoreError::Corrupt(format!("corrupt obligation report row {}", r.id));
        Ok(ObligationReport {
            id: r.id,
            venue_id: r.venue_id,
            organization_name: r.organization_name,
            data: ObligationReportData {
                organization_id: r.organization_id,
                quarter: Quarter {
                    year: i32::try_from(r.year).map_err(|_| bad())?,
                    quarter: u8::try_from(r.quarter).map_err(|_| bad())?,
                },
                service_hours: count(r.service_hours, "service_hours", r.id)?,
                residents_served: count(r.residents_served, "residents_served", r.id)?,
                note: r.note,
            },
            reported_by: r.reported_by,
            reported_at: r.reported_at,
        })
    }
}

impl Store {
    /// Records (or replaces) an organization's report for a quarter against a venue's
    /// obligation. `Invalid(organization_id)` for an unknown organization. Audited as
    /// `obligation.report`.
    pub async fn report_obligation(
        &self,
        venue_id: Uuid,
        report: &ObligationReportData,
        ctx: impl Into<WriteCtx>,
    ) -> Result<ObligationReport> {
        let ctx = ctx.into();
        let now = crate::now();
        let share = self.row_lock(" FOR SHARE");
        on_pool!(self, |p| {
            let mut tx = p.begin_with(self.begin_sql()).await?;
            let path: String = sqlx::query_scalar(&format!(
                "SELECT jurisdiction_path FROM venues WHERE id = $1{share}"
            ))
            .bind(venue_id)
            .fetch_optional(&mut *tx)
            .await?
            .ok_or(StoreError::NotFound)?;
            let org_name: String = sqlx::query_scalar(&format!(
                "SELECT name FROM organizations WHERE id = $1{share}"
            ))
            .bind(report.organization_id)
            .fetch_optional(&mut *tx)
            .await?
            .ok_or_else(unknown_organization)?;
            // A second report of the quarter replaces the first and keeps its id.
            let id: Uuid = sqlx::query_scalar(
                "INSERT INTO obligation_reports (id, venue_id, organization_id, year, quarter, service_hours, \
                 residents_served, note, reported_by, reported_at) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10) \
                 ON CONFLICT (venue_id, organization_id, year, quarter) DO UPDATE SET \
                 service_hours = excluded.service_hours, residents_served = excluded.residents_served, \
                 note = excluded.note, reported_by = excluded.reported_by, reported_at = excluded.reported_at \
                 RETURNING id",
            )
            .bind(Uuid::now_v7())
            .bind(venue_id)
            .bind(report.organization_id)
            .bind(i64::from(report.quarter.year))
            .bind(i64::from(report.quarter.quarter))
            .bind(i64::from(report.service_hours))
            .bind(i64::from(report.residents_served))
            .bind(&report.note)
            .bind(&ctx.actor)
            .bind(now)
            .fetch_one(&mut *tx)
            .await?;
            append_in_tx!(
                self,
                tx,
                ctx.event(
                    "obligation.report",
                    format!("venue:{venue_id}"),
                    Outcome::Success,
                    json!({
                        "report_id": id,
                        "organization_id": report.organization_id,
                        "quarter": report.quarter.to_string(),
                        "service_hours": report.service_hours,
                        "residents_served": report.residents_served,
                    })
                    .to_string(),
                    Some(path)
                )
            );
            tx.commit().await?;
            Ok(ObligationReport {
                id,
                venue_id,
                organization_name: org_name,
                data: report.clone(),
                reported_by: ctx.actor.clone(),
                reported_at: now,
            })
        })
    }

    /// The venue's obligation in each of the `quarters`, newest first.
    pub async fn obligation_summaries(
        &self,
        venue_id: Uuid,
        quarters: &[Quarter],
    ) -> Result<Vec<ObligationSummary>> {
        let venue = self.venue(venue_id).await?.ok_or(StoreError::NotFound)?;
        let mut wanted: Vec<Quarter> = quarters.to_vec();
        wanted.sort_unstable_by(|a, b| b.cmp(a));
        wanted.dedup();
        let (Some(newest), Some(oldest)) = (wanted.first(), wanted.last()) else {
            return Ok(vec![]);
        };
        let sql = format!(
            "{REPORT_SELECT} WHERE r.venue_id = $1 AND r.year >= $2 AND r.year <= $3 \
             ORDER BY o.name, r.id"
        );
        let rows = on_pool!(self, |p| sqlx::query_as::<_, ReportRow>(&sql)
            .bind(venue_id)
            .bind(i64::from(oldest.year))
            .bind(i64::from(newest.year))
            .fetch_all(p)
            .await)?;
        let mut by_quarter: BTreeMap<Quarter, Vec<ObligationReport>> = BTreeMap::new();
        for r in rows {
            let r = ObligationReport::try_from(r)?;
            by_quarter.entry(r.data.quarter).or_default().push(r);
        }
        let target = i64::from(venue.data.obligation_hours_per_quarter);
        Ok(wanted
            .into_iter()
            .map(|q| {
                let reports = by_quarter.remove(&q).unwrap_or_default();
                ObligationSummary {
                    quarter: q,
                    target_hours: target,
                    delivered_hours: reports
                        .iter()
                        .map(|r| i64::from(r.data.service_hours))
                        .sum(),
                    residents_served: reports
                        .iter()
                        .map(|r| i64::from(r.data.residents_served))
                        .sum(),
                    reports,
                }
            })
            .collect())
    }
}
