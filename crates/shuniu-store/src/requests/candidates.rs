//! The dispatcher's candidates for a request, ranked in SQL: organizations that offer an
//! active service in the request's category placed in its district and that may offer
//! services (`OFFERS`, the standing rule), with their proximity (same community 3,
//! street 2, district 1), declared capacity, open load and the stored credibility score
//! (joined from `credibility`, which already weighs the grade, the credit lists and the
//! ratings; those are read too, as reasons) — one query, paged in the database. The
//! score is the domain's (`requests::score`, the same weights), so the reasons shown
//! match the order.

use shuniu_domain::jurisdiction::{district_path, subtree_range};
use shuniu_domain::registry::Grade;
use shuniu_domain::requests::{Candidate, CandidateFacts, reasons, weights};
use uuid::Uuid;

use super::ResidentRequest;
use crate::services::OFFERS;
use crate::{Arg, Page, Paging, Result, Store, StoreError};

/// A page of candidates.
pub type CandidatePage = Page<Candidate>;

#[derive(sqlx::FromRow)]
struct Row {
    id: Uuid,
    name: String,
    jurisdiction_path: String,
    grade: Option<String>,
    services: i64,
    proximity: i64,
    capacity: i64,
    open_requests: i64,
    abnormal: i64,
    rating_x10: Option<i64>,
    credibility: Option<i64>,
    score: i64,
}

impl Store {
    /// The request's candidates, best first (score, then name, then id).
    pub async fn request_candidates(
        &self,
        r: &ResidentRequest,
        page: u32,
        per_page: u32,
    ) -> Result<CandidatePage> {
        use weights::*;
        let paging = Paging::new(page, per_page, 100);
        let (dlo, dhi) = subtree_range(&district_path(&r.street_path));
        let (slo, shi) = subtree_range(&r.street_path);
        let args = vec![
            Arg::Text(r.data.category.as_str().into()),
            Arg::Text(dlo),
            Arg::Text(dhi),
            Arg::Text(r.community_path.clone()),
            Arg::Text(slo),
            Arg::Text(shi),
        ];
        // One row per organization offering the category in the district.
        let base = format!(
            "SELECT o.id, o.name, o.jurisdiction_path, o.grade, COUNT(*) AS services, \
             MAX(CASE WHEN s.jurisdiction_path = $4 OR o.jurisdiction_path = $4 THEN 3 \
                      WHEN (s.jurisdiction_path >= $5 AND s.jurisdiction_path < $6) \
                        OR (o.jurisdiction_path >= $5 AND o.jurisdiction_path < $6) THEN 2 ELSE 1 END) AS proximity, \
             SUM(COALESCE(s.capacity, 0)) AS capacity \
             FROM services s JOIN organizations o ON o.id = s.organization_id \
             WHERE s.category = $1 AND s.status = 'active' AND s.jurisdiction_path >= $2 \
             AND s.jurisdiction_path < $3 AND {OFFERS} \
             GROUP BY o.id, o.name, o.jurisdiction_path, o.grade"
        );
        let facts = "SELECT c.id, c.name, c.jurisdiction_path, c.grade, \
             CAST(c.services AS BIGINT) AS services, CAST(c.proximity AS BIGINT) AS proximity, \
             CAST(c.capacity AS BIGINT) AS capacity, \
             (SELECT COUNT(*) FROM resident_requests q WHERE q.assigned_org = c.id \
                AND q.state IN ('assigned','accepted')) AS open_requests, \
             CAST(CASE WHEN EXISTS (SELECT 1 FROM credit_listings l WHERE l.organization_id = c.id \
                AND l.list_kind = 'abnormal' AND l.removed_on IS NULL) THEN 1 ELSE 0 END AS BIGINT) AS abnormal, \
             (SELECT CAST(AVG(q.rating * 10) AS BIGINT) FROM resident_requests q \
                WHERE q.assigned_org = c.id AND q.rating IS NOT NULL) AS rating_x10, \
             cr.score AS credibility \
             FROM c LEFT JOIN credibility cr ON cr.organization_id = c.id";
        let score = format!(
            "f.proximity * {PER_PROXIMITY} \
             + CASE WHEN f.capacity > 0 THEN {CAPACITY} ELSE 0 END \
             - CASE WHEN f.open_requests * {PER_OPEN_REQUEST} > {MAX_LOAD_PENALTY} THEN {MAX_LOAD_PENALTY} \
                    ELSE f.open_requests * {PER_OPEN_REQUEST} END \
             + COALESCE(f.credibility, 0) * {CREDIBILITY} / 100"
        );
        let list = format!(
            "WITH c AS ({base}), f AS ({facts}) \
             SELECT f.*, CAST({score} AS BIGINT) AS score FROM f ORDER BY score DESC, f.name, f.id"
        );
        let count = format!("WITH c AS ({base}) SELECT COUNT(*) FROM c");
        self.paged::<Row, _>(paging, (&count, &args), (&list, &args), |row| {
            let grade = match &row.grade {
                None => None,
                Some(g) => Some(
                    Grade::parse(g)
                        .ok_or_else(|| StoreError::Corrupt(format!("corrupt grade {g}")))?,
                ),
            };
            let n = |x: i64| u32::try_from(x.max(0)).unwrap_or(u32::MAX);
            let facts = CandidateFacts {
                organization_id: row.id,
                name: row.name,
                path: row.jurisdiction_path,
                services: n(row.services),
                proximity: u8::try_from(row.proximity.clamp(1, 3)).unwrap_or(1),
                capacity: n(row.capacity),
                open_requests: n(row.open_requests),
                grade,
                on_abnormal_list: row.abnormal == 1,
                rating_x10: row.rating_x10.map(n),
                credibility: row
                    .credibility
                    .map(|c| u8::try_from(c.clamp(0, 100)).unwrap_or(0)),
            };
            Ok(Candidate {
                reasons: reasons(&facts),
                score: row.score,
                facts,
            })
        })
        .await
    }
}
