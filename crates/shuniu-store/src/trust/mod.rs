//! Credibility 可信度 (issue 12 item 8): the store gathers an organization's facts in one
//! read snapshot, asks the domain (`credibility::assess`) and keeps the answer in
//! `credibility`, one row per organization. Writes that change the facts call
//! [`Store::refresh_credibility`] after they commit; the daily job and the demo loader
//! call [`Store::refresh_all_credibility`], which walks the organizations by keyset in
//! chunks and reads each chunk's facts with one query per fact (`IN` lists), so memory
//! stays bounded and the number of queries does not grow with the organizations.
//!
//! Complaints are those filed in the last twelve months (their first response in time,
//! their outcome upheld); the domain counts the part only where there is a complaint
//! or a service record to weigh them against.

mod facts;

use chrono::NaiveDate;
use serde::{Deserialize, Serialize};
use shuniu_domain::credibility::{Band, Credibility, Note, PartScore, Settings, assess};
use shuniu_domain::supervision::credit::CreditSettings;
use uuid::Uuid;

use crate::{Arg, Result, Store, StoreError, bind_args, on_pool};

pub use facts::FactsOf;

/// What a refresh follows: the score's settings (weights, minimum ratings, years of
/// reports) and the annual-report deadline and first supervised year (which reports
/// were due).
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct TrustSettings {
    pub score: Settings,
    pub credit: CreditSettings,
}

/// How many organizations have each band.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize)]
pub struct BandCounts {
    pub high: usize,
    pub fair: usize,
    pub low: usize,
}

/// How many organizations one chunk of [`Store::refresh_all_credibility`] reads.
const CHUNK: usize = 200;

/// The stored breakdown (the score and band are columns of their own).
#[derive(Serialize, Deserialize)]
struct Breakdown {
    parts: Vec<PartScore>,
    cap: Option<Note>,
}

#[derive(sqlx::FromRow)]
struct Row {
    score: i64,
    band: String,
    breakdown: String,
    as_of: NaiveDate,
}

impl TryFrom<Row> for Credibility {
    type Error = StoreError;
    fn try_from(r: Row) -> Result<Self> {
        let b: Breakdown = serde_json::from_str(&r.breakdown)
            .map_err(|_| StoreError::Corrupt("credibility breakdown".into()))?;
        Ok(Credibility {
            score: u8::try_from(r.score)
                .map_err(|_| StoreError::Corrupt("credibility score".into()))?,
            band: Band::parse(&r.band)
                .ok_or_else(|| StoreError::Corrupt("credibility band".into()))?,
            parts: b.parts,
            cap: b.cap,
            as_of: r.as_of,
        })
    }
}

impl Store {
    /// The stored credibility of an organization, if it has been computed.
    pub async fn credibility(&self, organization_id: Uuid) -> Result<Option<Credibility>> {
        let row = on_pool!(self, |p| sqlx::query_as::<_, Row>(
            "SELECT score, band, breakdown, as_of FROM credibility WHERE organization_id = $1"
        )
        .bind(organization_id)
        .fetch_optional(p)
        .await)?;
        row.map(Credibility::try_from).transpose()
    }

    /// How many organizations have each band, as stored (high, fair, low).
    pub async fn credibility_bands(&self) -> Result<BandCounts> {
        let rows: Vec<(String, i64)> = on_pool!(self, |p| sqlx::query_as(
            "SELECT band, COUNT(*) FROM credibility GROUP BY band"
        )
        .fetch_all(p)
        .await)?;
        let mut c = BandCounts::default();
        for (band, n) in rows {
            let n = usize::try_from(n).unwrap_or(0);
            match Band::parse(&band) {
                Some(Band::High) => c.high = n,
                Some(Band::Fair) => c.fair = n,
                Some(Band::Low) => c.low = n,
                None => return Err(StoreError::Corrupt("credibility band".into())),
            }
        }
        Ok(c)
    }

    /// Reads the organization's facts, computes its credibility as of `today` and stores
    /// it. `NotFound` for an unknown organization.
    pub async fn refresh_credibility(
        &self,
        organization_id: Uuid,
        settings: &TrustSettings,
        today: NaiveDate,
    ) -> Result<Credibility> {
        let mut facts = self
            .credibility_facts_of(&[organization_id], settings, today)
            .await?;
        let f = facts.pop().ok_or(StoreError::NotFound)?;
        let c = assess(&f.facts, &settings.score, today);
        self.store_credibility(&[(f.organization_id, &c)]).await?;
        Ok(c)
    }

    /// Recomputes every organization's credibility, in chunks of ids taken by keyset;
    /// answers how many were stored.
    pub async fn refresh_all_credibility(
        &self,
        settings: &TrustSettings,
        today: NaiveDate,
    ) -> Result<usize> {
        let mut after: Option<Uuid> = None;
        let mut done = 0;
        loop {
            let ids: Vec<Uuid> = on_pool!(self, |p| match after {
                None =>
                    sqlx::query_scalar("SELECT id FROM organizations ORDER BY id LIMIT $1")
                        .bind(CHUNK as i64)
                        .fetch_all(p)
                        .await,
                Some(a) =>
                    sqlx::query_scalar(
                        "SELECT id FROM organizations WHERE id > $1 ORDER BY id LIMIT $2"
                    )
                    .bind(a)
                    .bind(CHUNK as i64)
                    .fetch_all(p)
                    .await,
            })?;
            let Some(last) = ids.last().copied() else {
                break;
            };
            let facts = self.credibility_facts_of(&ids, settings, today).await?;
            let scored: Vec<(Uuid, Credibility)> = facts
                .iter()
                .map(|f| (f.organization_id, assess(&f.facts, &settings.score, today)))
                .collect();
            let refs: Vec<(Uuid, &Credibility)> = scored.iter().map(|(id, c)| (*id, c)).collect();
            self.store_credibility(&refs).await?;
            done += scored.len();
            after = Some(last);
            if ids.len() < CHUNK {
                break;
            }
        }
        Ok(done)
    }

    /// Upserts the scores of a chunk in one statement.
    async fn store_credibility(&self, scored: &[(Uuid, &Credibility)]) -> Result<()> {
        if scored.is_empty() {
            return Ok(());
        }
        let now = crate::now();
        let mut args = Vec::with_capacity(scored.len() * 6);
        let mut rows = Vec::with_capacity(scored.len());
        for (i, (id, c)) in scored.iter().enumerate() {
            let breakdown = serde_json::to_string(&Breakdown {
                parts: c.parts.clone(),
                cap: c.cap.clone(),
            })
            .map_err(|e| StoreError::Corrupt(format!("credibility breakdown: {e}")))?;
            let b = i * 6;
            rows.push(format!(
                "(${}, ${}, ${}, ${}, ${}, ${})",
                b + 1,
                b + 2,
                b + 3,
                b + 4,
                b + 5,
                b + 6
            ));
            args.extend([
                Arg::Uuid(*id),
                Arg::Int(i64::from(c.score)),
                Arg::Text(c.band.as_str().into()),
                Arg::Text(breakdown),
                Arg::Date(c.as_of),
                Arg::Time(now),
            ]);
        }
        let sql = format!(
            "INSERT INTO credibility (organization_id, score, band, breakdown, as_of, updated_at) VALUES {} \
             ON CONFLICT (organization_id) DO UPDATE SET score = excluded.score, band = excluded.band, \
             breakdown = excluded.breakdown, as_of = excluded.as_of, updated_at = excluded.updated_at",
            rows.join(", ")
        );
        on_pool!(self, |p| bind_args!(sqlx::query(&sql), &args)
            .execute(p)
            .await
            .map(|_| ()))?;
        Ok(())
    }
}
