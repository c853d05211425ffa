//! The facts of the score, read for a set of organizations in one snapshot: one query
//! per kind of fact, each an `IN` list over the set and an index on the organization.

use std::collections::{BTreeMap, BTreeSet, HashMap};

use chrono::{DateTime, Datelike, NaiveDate, Utc};
use shuniu_domain::credibility::{Facts, ReportFact};
use shuniu_domain::registry::{Grade, LegalForm, OrgStatus, add_years};
use shuniu_domain::supervision::annual::ReviewOutcome;
use uuid::Uuid;

use super::TrustSettings;
use crate::{Arg, Result, Store, StoreError, bind_args, on_pool};

/// One organization's facts.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FactsOf {
    pub organization_id: Uuid,
    pub facts: Facts,
}

type OrgTuple = (
    Uuid,
    String,
    String,
    NaiveDate,
    Option<String>,
    Option<NaiveDate>,
    Option<NaiveDate>,
);
type AllocationTuple = (Uuid, Uuid, i64, NaiveDate, NaiveDate);

fn corrupt(what: &str) -> StoreError {
    StoreError::Corrupt(format!("corrupt {what} in the credibility facts"))
}

/// The four quarters before today's, oldest first: (year, quarter, first day, last day).
fn last_quarters(today: NaiveDate) -> Vec<(i32, u8, NaiveDate, NaiveDate)> {
    let mut y = today.year();
    let mut q = (today.month0() / 3) as u8 + 1;
    let mut out = Vec::with_capacity(4);
    for _ in 0..4 {
        if q == 1 {
            y -= 1;
            q = 4;
        } else {
            q -= 1;
        }
        let first = NaiveDate::from_ymd_opt(y, u32::from(q) * 3 - 2, 1).expect("a quarter");
        let next = if q == 4 {
            NaiveDate::from_ymd_opt(y + 1, 1, 1)
        } else {
            NaiveDate::from_ymd_opt(y, u32::from(q) * 3 + 1, 1)
        }
        .expect("a quarter");
        out.push((y, q, first, next.pred_opt().expect("a day")));
    }
    out.reverse();
    out
}

impl Store {
    /// One organization's facts as of `today` (`NotFound` if unknown).
    pub async fn credibility_facts(
        &self,
        organization_id: Uuid,
        settings: &TrustSettings,
        today: NaiveDate,
    ) -> Result<Facts> {
        self.credibility_facts_of(&[organization_id], settings, today)
            .await?
            .pop()
            .map(|f| f.facts)
            .ok_or(StoreError::NotFound)
    }

    /// The facts of these organizations (unknown ids are left out), read in one
    /// read-only snapshot, so that no fact is from before a write and another from after.
    pub async fn credibility_facts_of(
        &self,
        ids: &[Uuid],
        settings: &TrustSettings,
        today: NaiveDate,
    ) -> Result<Vec<FactsOf>> {
        if ids.is_empty() {
            return Ok(Vec::new());
        }
        let n = ids.len();
        let list: Vec<String> = (1..=n).map(|i| format!("${i}")).collect();
        let list = list.join(", ");
        let with = |extra: Vec<Arg>| -> Vec<Arg> {
            ids.iter().map(|u| Arg::Uuid(*u)).chain(extra).collect()
        };
        let k = n + 1;
        let report_years = settings.score.report_years.max(1) as i32;
        let first_year = today.year() - report_years - 1;
        let five_years_ago = add_years(today, -5);
        let year_ago: DateTime<Utc> = add_years(today, -1)
            .and_hms_opt(0, 0, 0)
            .expect("midnight")
            .and_utc();
        let quarters = last_quarters(today);
        let (q_first, q_last) = (quarters[0].2, quarters[3].3);

        let orgs_sql = format!(
            "SELECT id, status, legal_form, founded_on, grade, grade_awarded_on, status_changed_on FROM organizations WHERE id IN ({list})"
        );
        let reports_sql = format!(
            "SELECT organization_id, year, late, outcome FROM annual_reports WHERE organization_id IN ({list}) AND year >= ${k}"
        );
        let awards_sql = format!(
            "SELECT organization_id, grade, awarded_on, expires_on FROM grade_awards \
             WHERE organization_id IN ({list}) AND ended_on IS NULL AND awarded_on <= ${k} AND expires_on > ${k}"
        );
        let listings_sql = format!(
            "SELECT organization_id, list_kind, listed_on, removed_on FROM credit_listings \
             WHERE organization_id IN ({list}) AND listed_on <= ${k} AND (removed_on IS NULL OR removed_on > ${})",
            k + 1
        );
        let ratings_sql = format!(
            "SELECT assigned_org, CAST(COUNT(rating) AS BIGINT), CAST(COALESCE(SUM(rating), 0) AS BIGINT), \
             CAST(COALESCE(SUM(CASE WHEN state_since >= ${k} THEN 1 ELSE 0 END), 0) AS BIGINT) \
             FROM resident_requests WHERE assigned_org IN ({list}) AND state IN ('completed','confirmed') \
             GROUP BY assigned_org"
        );
        // Complaints of the last twelve months: how many, how many first answered
        // before their due time, how many upheld (the rule of `complaint_facts`).
        let complaints_sql = format!(
            "SELECT organization_id, CAST(COUNT(*) AS BIGINT), \
             CAST(COALESCE(SUM(CASE WHEN responded_at IS NOT NULL AND responded_at < due_at THEN 1 ELSE 0 END), 0) AS BIGINT), \
             CAST(COALESCE(SUM(CASE WHEN outcome = 'upheld' THEN 1 ELSE 0 END), 0) AS BIGINT) \
             FROM complaints WHERE organization_id IN ({list}) AND filed_at >= ${k} \
             GROUP BY organization_id"
        );
        let contacts_sql = format!(
            "SELECT organization_id, service_phone, service_hours, address FROM organization_contacts WHERE organization_id IN ({list})"
        );
        let services_sql = format!(
            "SELECT DISTINCT organization_id FROM services WHERE organization_id IN ({list}) AND status = 'active'"
        );
        let allocations_sql = format!(
            "SELECT a.organization_id, v.id, v.obligation_hours_per_quarter, a.starts_on, \
             COALESCE(a.ended_early_on, a.ends_on) FROM office_allocations a \
             JOIN spaces s ON s.id = a.space_id JOIN venues v ON v.id = s.venue_id \
             WHERE a.organization_id IN ({list}) AND v.obligation_hours_per_quarter > 0 \
             AND a.starts_on <= ${k} AND COALESCE(a.ended_early_on, a.ends_on) >= ${}",
            k + 1
        );
        let obligation_reports_sql = format!(
            "SELECT organization_id, venue_id, year, quarter, service_hours FROM obligation_reports \
             WHERE organization_id IN ({list}) AND year >= ${k}"
        );

        let (
            orgs,
            reports,
            awards,
            listings,
            ratings,
            complaints,
            contacts,
            services,
            allocations,
            delivered,
        ) = on_pool!(self, |p| {
            let mut tx = p.begin_with(self.read_snapshot_sql()).await?;
            let orgs: Vec<OrgTuple> = bind_args!(sqlx::query_as(&orgs_sql), &with(vec![]))
                .fetch_all(&mut *tx)
                .await?;
            let reports: Vec<(Uuid, i64, bool, Option<String>)> = bind_args!(
                sqlx::query_as(&reports_sql),
                &with(vec![Arg::Int(i64::from(first_year))])
            )
            .fetch_all(&mut *tx)
            .await?;
            let awards: Vec<(Uuid, String, NaiveDate, NaiveDate)> =
                bind_args!(sqlx::query_as(&awards_sql), &with(vec![Arg::Date(today)]))
                    .fetch_all(&mut *tx)
                    .await?;
            let listings: Vec<(Uuid, String, NaiveDate, Option<NaiveDate>)> = bind_args!(
                sqlx::query_as(&listings_sql),
                &with(vec![Arg::Date(today), Arg::Date(five_years_ago)])
            )
            .fetch_all(&mut *tx)
            .await?;
            let ratings: Vec<(Uuid, i64, i64, i64)> = bind_args!(
                sqlx::query_as(&ratings_sql),
                &with(vec![Arg::Time(year_ago)])
            )
            .fetch_all(&mut *tx)
            .await?;
            let complaints: Vec<(Uuid, i64, i64, i64)> = bind_args!(
                sqlx::query_as(&complaints_sql),
                &with(vec![Arg::Time(year_ago)])
            )
            .fetch_all(&mut *tx)
            .await?;
            let contacts: Vec<(Uuid, String, String, String)> =
                bind_args!(sqlx::query_as(&contacts_sql), &with(vec![]))
                    .fetch_all(&mut *tx)
                    .await?;
            let services: Vec<Uuid> = bind_args!(sqlx::query_scalar(&services_sql), &with(vec![]))
                .fetch_all(&mut *tx)
                .await?;
            let allocations: Vec<AllocationTuple> = bind_args!(
                sqlx::query_as(&allocations_sql),
                &with(vec![Arg::Date(q_last), Arg::Date(q_first)])
            )
            .fetch_all(&mut *tx)
            .await?;
            let delivered: Vec<(Uuid, Uuid, i64, i64, i64)> = bind_args!(
                sqlx::query_as(&obligation_reports_sql),
                &with(vec![Arg::Int(i64::from(q_first.year()))])
            )
            .fetch_all(&mut *tx)
            .await?;
            tx.commit().await?;
            Ok::<_, StoreError>((
                orgs,
                reports,
                awards,
                listings,
                ratings,
                complaints,
                contacts,
                services,
                allocations,
                delivered,
            ))
        })?;

        let mut reports_of: HashMap<Uuid, BTreeMap<i32, ReportFact>> = HashMap::new();
        for (org, year, late, outcome) in reports {
            let year = i32::try_from(year).map_err(|_| corrupt("report year"))?;
            let outcome = outcome
                .map(|o| ReviewOutcome::parse(&o).ok_or_else(|| corrupt("report outcome")))
                .transpose()?;
            reports_of.entry(org).or_default().insert(
                year,
                ReportFact {
                    year,
                    filed: true,
                    late,
                    outcome,
                },
            );
        }
        let mut award_of: HashMap<Uuid, (Grade, NaiveDate, NaiveDate)> = HashMap::new();
        for (org, grade, awarded_on, expires_on) in awards {
            let grade = Grade::parse(&grade).ok_or_else(|| corrupt("grade"))?;
            let newer = award_of.get(&org).is_none_or(|a| a.1 < awarded_on);
            if newer {
                award_of.insert(org, (grade, awarded_on, expires_on));
            }
        }
        // (serious now, abnormal now, ended within five years)
        let mut lists_of: HashMap<Uuid, (bool, bool, u32)> = HashMap::new();
        for (org, kind, _listed_on, removed_on) in listings {
            let e = lists_of.entry(org).or_default();
            match (removed_on, kind.as_str()) {
                (Some(r), _) if r <= today => e.2 += 1,
                (_, "serious") => e.0 = true,
                (_, "abnormal") => e.1 = true,
                _ => return Err(corrupt("list kind")),
            }
        }
        let ratings_of: HashMap<Uuid, (i64, i64, i64)> = ratings
            .into_iter()
            .map(|(o, c, s, y)| (o, (c, s, y)))
            .collect();
        let complaints_of: HashMap<Uuid, (i64, i64, i64)> = complaints
            .into_iter()
            .map(|(o, n, in_time, upheld)| (o, (n, in_time, upheld)))
            .collect();
        let contacts_of: HashMap<Uuid, (String, String, String)> = contacts
            .into_iter()
            .map(|(o, a, b, c)| (o, (a, b, c)))
            .collect();
        let services: BTreeSet<Uuid> = services.into_iter().collect();
        let mut hours: HashMap<(Uuid, Uuid, i32, u8), i64> = HashMap::new();
        for (org, venue, year, quarter, h) in delivered {
            let year = i32::try_from(year).map_err(|_| corrupt("obligation year"))?;
            let quarter = u8::try_from(quarter).map_err(|_| corrupt("obligation quarter"))?;
            *hours.entry((org, venue, year, quarter)).or_default() += h;
        }
        // Each (venue, quarter) an organization held an office with an obligation is one
        // obligation due; kept when the hours reported reach the venue's target.
        let mut obligations_of: HashMap<Uuid, BTreeMap<(Uuid, i32, u8), bool>> = HashMap::new();
        for (org, venue, target, starts_on, ends_on) in allocations {
            for &(y, q, first, last) in &quarters {
                if starts_on <= last && ends_on >= first {
                    let got = hours.get(&(org, venue, y, q)).copied().unwrap_or(0);
                    let kept = obligations_of.entry(org).or_default();
                    let e = kept.entry((venue, y, q)).or_insert(false);
                    *e = *e || got >= target;
                }
            }
        }

        let count = |v: i64| u32::try_from(v.max(0)).unwrap_or(u32::MAX);
        let mut out = Vec::with_capacity(orgs.len());
        for (id, status, legal_form, founded_on, grade, grade_awarded_on, status_changed_on) in orgs
        {
            let status = OrgStatus::parse(&status).ok_or_else(|| corrupt("status"))?;
            let legal_form = LegalForm::parse(&legal_form).ok_or_else(|| corrupt("legal form"))?;
            // Filed community organizations report to their street, not under Order 60
            // (as the credit rules say): no year is due, what they filed still counts.
            let community_filed = legal_form == LegalForm::CommunityFiled;
            // The years due: every supervised year whose deadline has passed (while the
            // organization existed), and any later year already filed; newest first.
            let deregistered_on = (status == OrgStatus::Deregistered)
                .then_some(status_changed_on)
                .flatten();
            let filed = reports_of.remove(&id).unwrap_or_default();
            let mut years: BTreeSet<i32> = settings
                .credit
                .annual
                .years_due(founded_on, settings.credit.from_year, today)
                .into_iter()
                .filter(|_| !community_filed)
                .filter(|y| deregistered_on.is_none_or(|d| d > settings.credit.annual.due_on(*y)))
                .collect();
            years.extend(filed.keys().filter(|y| **y >= settings.credit.from_year));
            let reports: Vec<ReportFact> = years
                .iter()
                .rev()
                .take(report_years as usize)
                .map(|y| {
                    filed.get(y).cloned().unwrap_or(ReportFact {
                        year: *y,
                        filed: false,
                        late: false,
                        outcome: None,
                    })
                })
                .collect();
            let grade = match award_of.get(&id) {
                Some((g, _, expires)) => Some((*g, *expires)),
                None => match (grade, grade_awarded_on) {
                    (Some(g), Some(on)) => Some((
                        Grade::parse(&g).ok_or_else(|| corrupt("grade"))?,
                        Grade::expiry(on),
                    )),
                    _ => None,
                },
            };
            let (on_serious_list, on_abnormal_list, past_listings) =
                lists_of.get(&id).copied().unwrap_or_default();
            let (ratings_count, ratings_sum, completed) =
                ratings_of.get(&id).copied().unwrap_or_default();
            let (complaints, in_time, upheld) = complaints_of.get(&id).copied().unwrap_or_default();
            let contact = contacts_of.get(&id);
            let filled = |s: &str| !s.trim().is_empty();
            let obligations = obligations_of.get(&id).map(|m| {
                let kept = m.values().filter(|k| **k).count() as u32;
                (kept, m.len() as u32)
            });
            out.push(FactsOf {
                organization_id: id,
                facts: Facts {
                    status,
                    community_filed,
                    reports,
                    grade,
                    on_serious_list,
                    on_abnormal_list,
                    past_listings,
                    ratings_count: count(ratings_count),
                    ratings_sum: count(ratings_sum),
                    completed_requests: count(completed),
                    complaints: count(complaints),
                    complaints_answered_in_time: count(in_time),
                    complaints_upheld: count(upheld),
                    discloses_phone: contact.is_some_and(|c| filled(&c.0)),
                    discloses_hours: contact.is_some_and(|c| filled(&c.1)),
                    discloses_address: contact.is_some_and(|c| filled(&c.2)),
                    lists_services: services.contains(&id),
                    obligations,
                },
            });
        }
        Ok(out)
    }
}
