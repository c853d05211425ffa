//! The audit trail browser and its CSV export. Admins see every record; officials
//! only records within their jurisdiction's subtree. Times are Asia/Shanghai.

use askama::Template;
use axum::extract::{Query, State};
use axum::http::{HeaderValue, StatusCode, header};
use axum::response::IntoResponse;
use chrono::{DateTime, NaiveDate, TimeZone, Utc};
use chrono_tz::Asia::Shanghai;
use serde::Deserialize;
use shuniu_domain::access::{Action, Resource, Role};
use shuniu_domain::audit::{AuditRecord, Outcome};
use shuniu_domain::{FieldError, FieldErrors};
use shuniu_store::AuditFilter;

use crate::audit::view::{self, AuditRow, EventGroupOpts};
use crate::auth::Caller;
use crate::kit::labels;
use crate::kit::paging::PageLink;
use crate::kit::ui::{Ui, render};
use crate::kit::view::Opt;
use crate::{AppError, AppState, PageResult};

const PER_PAGE: u32 = 50;
const CHUNK: u32 = 500;

/// The label scope of the filters (`audit.f.<name>`), and the filters.
const AUDIT: &str = "audit";
#[cfg(test)]
const FILTERS: [&str; 5] = ["actor", "action", "outcome", "from", "to"];

/// The filters as typed (query string).
#[derive(Debug, Clone, Default, Deserialize)]
pub struct AuditQuery {
    pub actor: Option<String>,
    pub action: Option<String>,
    pub outcome: Option<String>,
    pub from: Option<String>,
    pub to: Option<String>,
    pub page: Option<String>,
    /// Where the page starts: a `next` or `prev` link's cursor.
    pub cursor: Option<String>,
}

fn local_midnight(d: NaiveDate) -> DateTime<Utc> {
    let naive = d.and_hms_opt(0, 0, 0).unwrap_or_default();
    Shanghai
        .from_local_datetime(&naive)
        .earliest()
        .map(|t| t.with_timezone(&Utc))
        .unwrap_or_else(|| Utc.from_utc_datetime(&naive))
}

impl AuditQuery {
    fn clean(v: &Option<String>) -> Option<String> {
        v.as_deref()
            .map(str::trim)
            .filter(|v| !v.is_empty())
            .map(str::to_string)
    }

    /// The store's filter, scoped to what `caller` may read.
    pub fn filter(&self, caller: &Caller) -> Result<AuditFilter, AppError> {
        caller.require(Action::ReadAudit, &Resource::AuditTrail)?;
        let mut errors = FieldErrors::new();
        let date = |name: &str, v: &Option<String>, errors: &mut FieldErrors| {
            Self::clean(v).and_then(|s| match NaiveDate::parse_from_str(&s, "%Y-%m-%d") {
                Ok(d) => Some(d),
                Err(_) => {
                    errors.add(
                        name,
                        FieldError::new("日期格式为 年-月-日", "must be a date YYYY-MM-DD"),
                    );
                    None
                }
            })
        };
        let from = date("from", &self.from, &mut errors);
        let to = date("to", &self.to, &mut errors);
        let outcome = match Self::clean(&self.outcome) {
            None => None,
            Some(o) => match Outcome::parse(&o) {
                Some(o) => Some(o),
                None => {
                    errors.add(
                        "outcome",
                        FieldError::new("结果只能是成功或失败", "must be success or failure"),
                    );
                    None
                }
            },
        };
        if !errors.is_empty() {
            return Err(AppError::Validation(errors));
        }
        // `login` means every `login.…` action; `login.failure` means just that one.
        let action =
            Self::clean(&self.action).map(|a| if a.contains('.') { a } else { format!("{a}.") });
        let path_prefix = match caller.user.as_ref() {
            Some(u) if u.role == Role::Admin => None,
            // Officials: their subtree only; an official without one sees nothing.
            Some(u) => Some(
                u.jurisdiction_path
                    .clone()
                    .unwrap_or_else(|| "\u{1}none/".into()),
            ),
            None => return Err(AppError::Unauthenticated),
        };
        Ok(AuditFilter {
            path_prefix,
            actor: Self::clean(&self.actor).map(|a| a.to_ascii_lowercase()),
            action,
            outcome,
            from: from.map(local_midnight),
            // Inclusive: up to the end of that local day.
            to: to.and_then(|d| d.succ_opt()).map(local_midnight),
        })
    }

    /// The filters as a query string (`key=value` joined by `&`, without the paging).
    fn query_string(&self) -> String {
        crate::kit::export::filter_query(&[
            ("actor", &self.actor),
            ("action", &self.action),
            ("outcome", &self.outcome),
            ("from", &self.from),
            ("to", &self.to),
        ])
    }
}

#[derive(Template)]
#[template(path = "audit/audit.html")]
struct AuditPage {
    ui: Ui,
    q: AuditQuery,
    outcomes: Vec<Opt>,
    /// The named events by capability, and a value asked for that is not one of them.
    events: Vec<EventGroupOpts>,
    other_event: Option<Opt>,
    errors: Vec<String>,
    rows: Vec<AuditRow>,
    summary: String,
    scope: String,
    prev: Option<String>,
    next: Option<String>,
    pages: Vec<PageLink>,
    csv_href: String,
}

/// `GET /audit`
pub async fn browse(
    State(s): State<AppState>,
    ui: Ui,
    caller: Caller,
    q: Result<Query<AuditQuery>, axum::extract::rejection::QueryRejection>,
) -> PageResult {
    let ui = ui.with_nav("audit");
    let Query(q) = q.map_err(|_| AppError::BadRequest("query".into()))?;
    caller.require(Action::ReadAudit, &Resource::AuditTrail)?;
    let outcome = AuditQuery::clean(&q.outcome).unwrap_or_default();
    let outcomes = vec![
        Opt::new("", ui.t("filter.all"), outcome.is_empty()),
        Opt::new("success", ui.t("audit.success"), outcome == "success"),
        Opt::new("failure", ui.t("audit.failure"), outcome == "failure"),
    ];
    let (events, other_event) =
        view::event_filter(ui.lang, &AuditQuery::clean(&q.action).unwrap_or_default());
    let scope = match caller.user.as_ref() {
        Some(u) if u.role == Role::Official => {
            let code = u.jurisdiction_code.clone().unwrap_or_default();
            let name = match s.store.jurisdiction(&code).await {
                Ok(Some(j)) => j.name(ui.lang).to_string(),
                _ => code,
            };
            ui.tf("audit.scope_official", &[&name])
        }
        _ => ui.t("audit.scope_all").to_string(),
    };
    let base = q.query_string();
    let mut page = AuditPage {
        ui: ui.clone(),
        q: q.clone(),
        outcomes,
        events,
        other_event,
        errors: vec![],
        rows: vec![],
        summary: String::new(),
        scope,
        prev: None,
        next: None,
        pages: vec![],
        csv_href: format!("/audit.csv?{base}"),
    };
    let filter = match q.filter(&caller) {
        Ok(f) => f,
        Err(AppError::Validation(f)) => {
            page.errors = labels::error_lines(&ui, AUDIT, &f);
            return Ok(render(StatusCode::UNPROCESSABLE_ENTITY, &page));
        }
        Err(e) => return Err(e.into()),
    };
    let mut bad = FieldErrors::new();
    let asked = crate::kit::paging::asked(&mut bad, &q.cursor, &q.page, &None, (PER_PAGE, PER_PAGE));
    if !bad.is_empty() {
        page.errors = labels::error_lines(&ui, AUDIT, &bad);
        return Ok(render(StatusCode::UNPROCESSABLE_ENTITY, &page));
    }
    let (at, _) = asked.position();
    let p = match s.store.audit_keyset(&filter, at, PER_PAGE).await {
        Ok(p) => p,
        Err(shuniu_store::StoreError::Invalid(f)) => {
            page.errors = labels::error_lines(&ui, AUDIT, &f);
            return Ok(render(StatusCode::UNPROCESSABLE_ENTITY, &page));
        }
        Err(e) => return Err(AppError::from(e).into()),
    };
    let actors: Vec<String> = p.items.iter().map(|r| r.event.actor.clone()).collect();
    let names = view::Names {
        users: s.store.display_names(&actors).await?,
        organizations: s
            .store
            .organization_names(&view::organization_ids(&p.items))
            .await?,
    };
    page.rows = p.items.iter().map(|r| view::row(r, &ui, &names)).collect();
    page.summary = ui.tf(
        "audit.count",
        &[&crate::kit::paging::total_text(&ui, p.total)],
    );
    (page.prev, page.next) = crate::kit::paging::links("/audit", &base, &p);
    Ok(render(StatusCode::OK, &page))
}

/// A cell a spreadsheet would not run as a formula.
fn cell(s: &str) -> String {
    let risky = s.starts_with(['=', '+', '@', '\t', '\r']) || (s.starts_with('-') && s.len() > 1);
    if risky {
        format!("'{s}")
    } else {
        s.to_string()
    }
}

const CSV_HEADER: [&str; 11] = [
    "seq",
    "time_asia_shanghai",
    "actor",
    "role",
    "source",
    "action",
    "object",
    "outcome",
    "details",
    "jurisdiction_path",
    "hash",
];

fn csv_rows(records: &[AuditRecord], header: bool) -> Result<Vec<u8>, csv::Error> {
    let mut w = csv::Writer::from_writer(Vec::new());
    if header {
        w.write_record(CSV_HEADER)?;
    }
    for r in records {
        let e = &r.event;
        w.write_record([
            r.seq.to_string(),
            e.at.with_timezone(&Shanghai)
                .format("%Y-%m-%d %H:%M:%S%:z")
                .to_string(),
            cell(&e.actor),
            cell(&e.role),
            cell(&e.source),
            cell(&e.action),
            cell(&e.object),
            e.outcome.as_str().to_string(),
            cell(&e.details),
            e.jurisdiction_path.clone().unwrap_or_default(),
            r.hash.clone(),
        ])?;
    }
    w.into_inner().map_err(|e| e.into_error().into())
}

/// `GET /audit.csv` (same filters): streamed in chunks, newest first; the export is
/// itself recorded in the trail before the first row is sent.
pub async fn export(
    State(s): State<AppState>,
    _: Ui,
    caller: Caller,
    q: Result<Query<AuditQuery>, axum::extract::rejection::QueryRejection>,
) -> PageResult {
    let Query(q) = q.map_err(|_| AppError::BadRequest("query".into()))?;
    let filter = q.filter(&caller)?;
    let details = serde_json::json!({ "filter": &filter, "format": "csv" });
    s.store
        .audit(caller.event(
            "audit.export",
            "audit_log".into(),
            Outcome::Success,
            details.to_string(),
        ))
        .await?;
    let body = crate::audit::export::csv_body(s.store.clone(), filter, CHUNK, csv_rows).await?;
    let name = format!(
        "attachment; filename=\"shuniu-audit-{}.csv\"",
        Utc::now().with_timezone(&Shanghai).format("%Y%m%d-%H%M%S")
    );
    let mut res = (
        [
            (header::CONTENT_TYPE, "text/csv; charset=utf-8"),
            (header::CACHE_CONTROL, "no-store"),
        ],
        body,
    )
        .into_response();
    if let Ok(v) = HeaderValue::from_str(&name) {
        res.headers_mut().insert(header::CONTENT_DISPOSITION, v);
    }
    Ok(res)
}

#[cfg(test)]
mod label_tests {
    #[test]
    fn every_filter_has_a_label() {
        crate::kit::labels::assert_labelled(super::AUDIT, &super::FILTERS);
    }
}
