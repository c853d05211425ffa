//! An organization's public supervision record — listings, annual reports, grade
//! awards — read in one snapshot, so that a page never shows a listing without the
//! report that removed it, or a grade and its lowering half-applied.

use uuid::Uuid;

use super::annual::{AnnualReport, REPORT_COLUMNS, ReportRow};
use super::credit::{LISTING_COLUMNS, ListingRow, StoredListing};
use super::grades::{AWARD_COLUMNS, AwardRow, StoredAward};
use crate::{Result, Store, StoreError, on_pool};

/// What the public may read of an organization's supervision, as of one moment.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SupervisionRecord {
    /// Every listing, oldest first.
    pub listings: Vec<StoredListing>,
    /// Reports, newest year first.
    pub reports: Vec<AnnualReport>,
    /// Grade awards, oldest first.
    pub awards: Vec<StoredAward>,
}

impl Store {
    /// The organization's listings, reports and grade awards in one read-only snapshot
    /// (SQLite: one transaction; PostgreSQL: `REPEATABLE READ`).
    pub async fn supervision_record(&self, organization_id: Uuid) -> Result<SupervisionRecord> {
        let listings_sql = format!(
            "SELECT {LISTING_COLUMNS} FROM credit_listings WHERE organization_id = $1 ORDER BY listed_on, id"
        );
        let reports_sql = format!(
            "SELECT {REPORT_COLUMNS} FROM annual_reports WHERE organization_id = $1 ORDER BY year DESC"
        );
        let awards_sql = format!(
            "SELECT {AWARD_COLUMNS} FROM grade_awards WHERE organization_id = $1 ORDER BY awarded_on, id"
        );
        let (listings, reports, awards) = on_pool!(self, |p| {
            let mut tx = p.begin_with(self.read_snapshot_sql()).await?;
            let listings = sqlx::query_as::<_, ListingRow>(&listings_sql)
                .bind(organization_id)
                .fetch_all(&mut *tx)
                .await?;
            let reports = sqlx::query_as::<_, ReportRow>(&reports_sql)
                .bind(organization_id)
                .fetch_all(&mut *tx)
                .await?;
            let awards = sqlx::query_as::<_, AwardRow>(&awards_sql)
                .bind(organization_id)
                .fetch_all(&mut *tx)
                .await?;
            tx.commit().await?;
            Ok::<_, StoreError>((listings, reports, awards))
        })?;
        Ok(SupervisionRecord {
            listings: listings
                .into_iter()
                .map(StoredListing::try_from)
                .collect::<Result<_>>()?,
            reports: reports
                .into_iter()
                .map(AnnualReport::try_from)
                .collect::<Result<_>>()?,
            awards: awards
                .into_iter()
                .map(StoredAward::try_from)
                .collect::<Result<_>>()?,
        })
    }
}
