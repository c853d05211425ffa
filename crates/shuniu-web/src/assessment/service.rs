//! Assessment 评估 and grades, shared by pages and API: parse what came in, ask the
//! domain (`authority_decides`, `may_submit`, `IndicatorTable`, `GradeChange`) and
//! call the store, which checks eligibility, stages and the notice period.

use std::collections::BTreeMap;

use chrono::NaiveDate;
use shuniu_domain::access::Role;
use shuniu_domain::registry::{Grade, LegalForm, Organization};
use shuniu_domain::supervision::assessment::{GradeChange, TableKind, effective_grade};
use shuniu_domain::supervision::authority_decides;
use shuniu_domain::supervision::changes::may_submit;
use shuniu_domain::supervision::registration::authority_path;
use shuniu_domain::supervision::tables::IndicatorTables;
use shuniu_domain::{FieldError, FieldErrors};
use shuniu_store::supervision::assessment::{
    AssessmentApplication, AssessmentRound, NewRound, RoundApplication,
};
use shuniu_store::supervision::grades::StoredAward;
use shuniu_store::{KeyPage, Store};
use uuid::Uuid;

use crate::auth::Caller;
use crate::kit::params::{choice_error, given};
use crate::{AppError, AppState, registry, today};

fn required() -> FieldError {
    FieldError::required()
}

fn bad_date() -> FieldError {
    FieldError::new("日期格式应为 YYYY-MM-DD", "must be a date YYYY-MM-DD")
}

fn date(e: &mut FieldErrors, field: &str, v: Option<&str>) -> Option<NaiveDate> {
    match v.map(str::trim).filter(|s| !s.is_empty()) {
        None => None,
        Some(s) => NaiveDate::parse_from_str(s, "%Y-%m-%d")
            .map_err(|_| e.add(field, bad_date()))
            .ok(),
    }
}

fn whole(e: &mut FieldErrors, field: &str, v: Option<&str>, max: u32) -> Option<u32> {
    match v.map(str::trim).filter(|s| !s.is_empty()) {
        None => None,
        Some(s) => match s.parse::<u32>() {
            Ok(n) if n <= max => Some(n),
            _ => {
                e.add(field, crate::kit::params::bad_number(max));
                None
            }
        },
    }
}

/// A round as typed (pages and API alike: text values).
#[derive(Debug, Default, Clone)]
pub struct RoundInput {
    pub year: Option<String>,
    pub title: Option<String>,
    pub opens_on: Option<String>,
    pub closes_on: Option<String>,
    pub notice_days: Option<String>,
}

impl RoundInput {
    pub fn parse(&self) -> Result<NewRound, FieldErrors> {
        let mut e = FieldErrors::new();
        let year = match whole(&mut e, "year", self.year.as_deref(), 2100) {
            Some(y) if y >= 1990 => Some(y as i32),
            Some(_) => {
                e.add(
                    "year",
                    FieldError::new("年度应在1990至2100之间", "must be from 1990 to 2100"),
                );
                None
            }
            None => {
                if e.get("year").is_none() {
                    e.add("year", required());
                }
                None
            }
        };
        let title = given(&self.title).map(str::to_string);
        match &title {
            None => e.add("title", required()),
            Some(t) if t.chars().count() > 200 => e.add(
                "title",
                FieldError::new("不能超过200个字", "must be at most 200 characters"),
            ),
            _ => {}
        }
        let opens_on = date(&mut e, "opens_on", self.opens_on.as_deref());
        let closes_on = date(&mut e, "closes_on", self.closes_on.as_deref());
        for (f, v) in [
            ("opens_on", &self.opens_on),
            ("closes_on", &self.closes_on),
        ] {
            if given(v).is_none() {
                e.add(f, required());
            }
        }
        if let (Some(o), Some(c)) = (opens_on, closes_on)
            && c < o
        {
            e.add(
                "closes_on",
                FieldError::new("截止日期早于开始日期", "is before the opening date"),
            );
        }
        let notice_days = match whole(&mut e, "notice_days", self.notice_days.as_deref(), 60) {
            Some(0) => {
                e.add(
                    "notice_days",
                    FieldError::new("公示期至少1天", "must be at least 1 day"),
                );
                None
            }
            Some(n) => Some(n),
            None if e.get("notice_days").is_none() => Some(7),
            None => None,
        };
        match (year, title, opens_on, closes_on, notice_days) {
            (Some(year), Some(title), Some(opens_on), Some(closes_on), Some(notice_days))
                if e.is_empty() =>
            {
                Ok(NewRound {
                    year,
                    title,
                    opens_on,
                    closes_on,
                    notice_days,
                })
            }
            _ => Err(e),
        }
    }
}

/// Whether this caller opens rounds: an official of a node (their node is the authority).
pub fn opens_rounds(caller: &Caller) -> bool {
    caller
        .user
        .as_ref()
        .is_some_and(|u| u.role == Role::Official && u.jurisdiction_code.is_some())
}

/// Opens a round of the calling official's own node as the registration authority.
pub async fn open_round(
    store: &Store,
    caller: &Caller,
    input: &RoundInput,
    mut found: FieldErrors,
) -> Result<AssessmentRound, AppError> {
    let Some(user) = &caller.user else {
        return Err(AppError::Unauthenticated);
    };
    if !opens_rounds(caller) {
        return Err(AppError::Forbidden);
    }
    let code = user.jurisdiction_code.as_deref().unwrap_or_default();
    let j = store.jurisdiction(code).await?.ok_or(AppError::Forbidden)?;
    AppError::unless_allowed(authority_decides(caller.actor().as_ref(), &j.path))?;
    let new = match input.parse() {
        Ok(n) if found.is_empty() => n,
        Ok(_) => return Err(found.into()),
        Err(e) => {
            for (k, v) in e.0 {
                found.add(&k, v);
            }
            return Err(found.into());
        }
    };
    Ok(store.open_assessment_round(&j, &new, caller.ctx()).await?)
}

/// Paging of the rounds.
#[derive(Debug, Clone, Default, serde::Deserialize, utoipa::IntoParams)]
#[into_params(parameter_in = Query)]
pub struct RoundsQuery {
    /// Where the page starts: the `next` or `prev` of a page read before (opaque).
    /// Takes precedence over `page`.
    #[param(value_type = Option<String>, max_length = 512)]
    pub cursor: Option<String>,
    /// 1-based page number within the first 10,000 (past them, follow `next`).
    #[param(value_type = Option<u32>, minimum = 1, maximum = 1000000)]
    pub page: Option<String>,
    /// Items per page, 1–200 (default 20).
    #[param(value_type = Option<u32>, minimum = 1, maximum = 200)]
    pub per_page: Option<String>,
}

/// A page of rounds, newest first, by cursor (or by a number within the first
/// 10,000), and the page's number when it has one.
pub async fn rounds(
    store: &Store,
    q: &RoundsQuery,
) -> Result<(KeyPage<AssessmentRound>, Option<u32>), AppError> {
    let mut e = FieldErrors::new();
    let paging = crate::kit::paging::asked(&mut e, &q.cursor, &q.page, &q.per_page, (20, 200));
    if !e.is_empty() {
        return Err(AppError::Validation(e));
    }
    let (at, number) = paging.position();
    let page = store.assessment_rounds_keyset(at, paging.per_page).await?;
    Ok((page, number))
}

/// A round and its applications (public: the notice 公示 is public by nature).
pub async fn round(
    store: &Store,
    id: Uuid,
) -> Result<(AssessmentRound, Vec<RoundApplication>), AppError> {
    let round = store.assessment_round(id).await?.ok_or(AppError::NotFound)?;
    let apps = store.round_applications(id).await?;
    Ok((round, apps))
}

/// Whether this caller decides in this round (the authority's own official).
pub fn decides(caller: &Caller, round: &AssessmentRound) -> bool {
    authority_decides(caller.actor().as_ref(), &round.authority_path).is_allowed()
}

/// The indicator table for an organization's legal form (or the one asked for).
pub fn table_kind(form: LegalForm, asked: Option<&str>) -> Result<TableKind, FieldErrors> {
    if let Some(a) = asked.map(str::trim).filter(|s| !s.is_empty()) {
        return TableKind::parse(a).ok_or_else(|| {
            let codes: Vec<&str> = TableKind::ALL.iter().map(|t| t.as_str()).collect();
            FieldErrors::single("table", choice_error(&codes))
        });
    }
    Ok(TableKind::for_form(form))
}

fn unknown_org() -> FieldErrors {
    FieldErrors::single(
        "organization",
        FieldError::new("没有这个社会组织", "names no organization"),
    )
}

/// An organization applies for a round (its own staff, or an official over it).
pub async fn apply(
    store: &Store,
    caller: &Caller,
    round_id: Uuid,
    organization: Option<&str>,
    table: Option<&str>,
) -> Result<AssessmentApplication, AppError> {
    let round = store
        .assessment_round(round_id)
        .await?
        .ok_or(AppError::NotFound)?;
    if caller.user.is_none() {
        return Err(AppError::Unauthenticated);
    }
    let Some(org_id) = organization.map(str::trim).filter(|s| !s.is_empty()) else {
        return Err(FieldErrors::single("organization", required()).into());
    };
    let org_id = Uuid::parse_str(org_id).map_err(|_| unknown_org())?;
    let Some(org) = store.organization(org_id).await? else {
        return Err(unknown_org().into());
    };
    let path = registry::path_of(store, &org).await?;
    AppError::unless_allowed(may_submit(caller.actor().as_ref(), org.id, &path))?;
    let kind = table_kind(org.data.legal_form, table)?;
    Ok(store
        .apply_for_assessment(round.id, org.id, kind, today(), caller.ctx())
        .await?)
}

/// A decision on an application, as typed.
#[derive(Debug, Default, Clone)]
pub struct DecisionInput {
    pub action: Option<String>,
    pub reason: Option<String>,
    /// Area code → points, as typed.
    pub scores: BTreeMap<String, String>,
    pub bonus: Option<String>,
    pub starts_on: Option<String>,
    pub awarded_on: Option<String>,
    pub document: Option<String>,
}

pub const ACTIONS: [&str; 5] = ["refuse", "score", "close", "notice", "award"];

fn not_after_today(e: &mut FieldErrors, field: &str, d: Option<NaiveDate>) -> NaiveDate {
    match d {
        Some(d) if d > today() => {
            e.add(
                field,
                FieldError::new("不能晚于今天", "must not be after today"),
            );
            d
        }
        Some(d) => d,
        None => today(),
    }
}

/// The authority's decision on one application: refuse, score (by the table `tables`
/// hold for the round's authority), close ungraded, start the notice, award after it.
/// Only the round's authority official (`authority_decides`).
pub async fn decide(
    s: &AppState,
    tables: &IndicatorTables,
    caller: &Caller,
    id: Uuid,
    input: &DecisionInput,
    mut e: FieldErrors,
) -> Result<(AssessmentApplication, AssessmentRound), AppError> {
    let store = &s.store;
    let app = store
        .assessment_application(id)
        .await?
        .ok_or(AppError::NotFound)?;
    let round = store
        .assessment_round(app.round_id)
        .await?
        .ok_or(AppError::NotFound)?;
    AppError::unless_allowed(authority_decides(
        caller.actor().as_ref(),
        &round.authority_path,
    ))?;
    let action = given(&input.action);
    let ctx = caller.ctx();
    let done = match action {
        None => {
            e.add("action", required());
            return Err(e.into());
        }
        Some("refuse") => {
            let reason = given(&input.reason);
            if reason.is_none() {
                e.add("reason", required());
            }
            match reason {
                Some(r) if e.is_empty() => store.refuse_assessment(id, r, ctx).await?,
                _ => return Err(e.into()),
            }
        }
        Some("score") => {
            // The locality's table for the round's authority, else the built-in one.
            let table = tables
                .table_for(&round.authority_code, app.table_kind)
                .table;
            let mut scores = BTreeMap::new();
            for a in &table.areas {
                match whole(
                    &mut e,
                    &a.code,
                    input.scores.get(&a.code).map(String::as_str),
                    a.points,
                ) {
                    Some(n) => {
                        scores.insert(a.code.clone(), n);
                    }
                    None if e.get(&a.code).is_none() => e.add(&a.code, required()),
                    None => {}
                }
            }
            for k in input.scores.keys() {
                if !table.areas.iter().any(|a| &a.code == k) {
                    e.add(
                        k,
                        FieldError::new("不是本评估表的指标", "is not an area of this table"),
                    );
                }
            }
            let bonus =
                whole(&mut e, "bonus", input.bonus.as_deref(), table.max_bonus).unwrap_or(0);
            if !e.is_empty() {
                return Err(e.into());
            }
            store
                .score_assessment(id, &table, &scores, bonus, ctx)
                .await?
        }
        Some("close") if e.is_empty() => store.close_ungraded(id, ctx).await?,
        Some("close") => return Err(e.into()),
        Some("notice") => {
            let d = date(&mut e, "starts_on", input.starts_on.as_deref());
            let d = not_after_today(&mut e, "starts_on", d);
            if !e.is_empty() {
                return Err(e.into());
            }
            store.start_assessment_notice(id, d, ctx).await?
        }
        Some("award") => {
            let d = date(&mut e, "awarded_on", input.awarded_on.as_deref());
            let d = not_after_today(&mut e, "awarded_on", d);
            let doc = given(&input.document);
            if doc.is_none() {
                e.add("document", required());
            }
            let Some(doc) = doc.filter(|_| e.is_empty()) else {
                return Err(e.into());
            };
            store
                .award_assessment_grade(id, d, doc, ctx)
                .await
                .map_err(|err| match err {
                    // The domain names the notice period on the award date.
                    shuniu_store::StoreError::Invalid(mut f) => {
                        if let Some(v) = f.0.remove("award_on") {
                            f.add("awarded_on", v);
                        }
                        AppError::Validation(f)
                    }
                    other => other.into(),
                })?;
            store
                .assessment_application(id)
                .await?
                .ok_or(AppError::NotFound)?
        }
        Some(_) => {
            e.add("action", choice_error(&ACTIONS));
            return Err(e.into());
        }
    };
    // An award changes the grade the credibility score judges.
    s.refresh_credibility(done.organization_id).await;
    Ok((done, round))
}

/// An organization and its registration authority's path (404 for an unknown id).
pub async fn organization(store: &Store, id: Uuid) -> Result<(Organization, String), AppError> {
    let org = registry::get(store, id).await?;
    let path = registry::path_of(store, &org).await?;
    let auth = authority_path(org.data.legal_form, &path);
    Ok((org, auth))
}

/// An organization's grade awards, oldest first (public), with the one in force today.
pub async fn grades_of(
    store: &Store,
    org_id: Uuid,
) -> Result<(Organization, Vec<StoredAward>, Option<Uuid>), AppError> {
    let (org, _) = organization(store, org_id).await?;
    let awards = store.grade_awards(org.id).await?;
    let plain: Vec<_> = awards.iter().map(|a| a.award.clone()).collect();
    let current = effective_grade(&plain, today()).cloned();
    let current_id = awards
        .iter()
        .find(|a| Some(&a.award) == current.as_ref())
        .map(|a| a.id);
    Ok((org, awards, current_id))
}

/// Whether this caller may lower or withdraw this organization's grade.
pub fn changes_grades(caller: &Caller, authority_path: &str) -> bool {
    authority_decides(caller.actor().as_ref(), authority_path).is_allowed()
}

/// Lowers (`to` given) or withdraws the grade in force, with a reason: the
/// registration authority's own official only.
pub async fn change_grade(
    s: &AppState,
    caller: &Caller,
    org_id: Uuid,
    to: Option<&str>,
    reason: Option<&str>,
) -> Result<Vec<StoredAward>, AppError> {
    let store = &s.store;
    let (org, auth) = organization(store, org_id).await?;
    AppError::unless_allowed(authority_decides(caller.actor().as_ref(), &auth))?;
    let awards = store.grade_awards(org.id).await?;
    let plain: Vec<_> = awards.iter().map(|a| a.award.clone()).collect();
    let Some(current) = effective_grade(&plain, today()).map(|a| a.grade) else {
        return Err(FieldErrors::single(
            "to",
            FieldError::new(
                "该组织没有有效的评估等级",
                "the organization holds no grade in force",
            ),
        )
        .into());
    };
    let change = GradeChange::parse(current, to, reason)?;
    let changed = store
        .change_grade(org.id, &change, today(), caller.ctx())
        .await?;
    s.refresh_credibility(org.id).await;
    Ok(changed)
}

/// The grade codes, highest first (for the lowering form).
pub fn grades_below(g: Grade) -> Vec<Grade> {
    [Grade::A5, Grade::A4, Grade::A3, Grade::A2, Grade::A1]
        .into_iter()
        .filter(|x| *x < g)
        .collect()
}
