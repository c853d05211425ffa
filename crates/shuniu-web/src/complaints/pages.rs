//! Complaint pages: the public form against an organization (`/complaints/new?org=`)
//! and the one reached from a request's private link (`/complaints/about/{token}`,
//! no phone asked: the link verifies it), the confirmation with the private link, the
//! complainant's page, the queue (street officials and dispatchers: overdue and
//! escalated flagged; an organization: its own) and a complaint's page with the
//! organization's answer form and the official's outcome form.

use askama::Template;
use axum::extract::{Path, State};
use axum::http::StatusCode;
use serde::Deserialize;
use shuniu_domain::FieldErrors;
use shuniu_domain::complaints::{
    COMPLAINT_FIELDS, ComplaintAction, ComplaintCategory, ComplaintDraft, ComplaintOutcome,
    ComplaintState, can, is_overdue,
};
use shuniu_store::complaints::{Complaint, ComplaintListing};
use uuid::Uuid;

use crate::auth::Caller;
use crate::complaints::service::{self, ActionDraft, QueueQuery};
use crate::kit::extract::{ApiQuery, CheckedForm, RecordId};
use crate::kit::forms::{Field, SummaryItem};
use crate::kit::labels;
use crate::kit::routes::Routes;
use crate::kit::ui::{Ui, render, see_other};
use crate::kit::paging::links;
use crate::kit::export::filter_query;
use crate::kit::view::{Crumb, Filter, Opt, options};
use crate::{AppError, AppState, PageResult, local_time};

pub fn routes() -> Routes {
    Routes::new()
        .get("/complaints/new", new_form)
        .post("/complaints/new", submit)
        .get("/complaints/about/{token}", about_form)
        .post("/complaints/about/{token}", submit_about)
        .get("/complaints/track/{token}", track)
        .get("/complaints", queue)
        .get("/complaints/{id}", detail)
        .post("/complaints/{id}/actions", act)
}

/// The label scope of the forms and filters (`cmp.f.<name>`).
pub(crate) const SCOPE: &str = "cmp";

#[derive(Template)]
#[template(path = "complaints/form.html")]
struct FormPage {
    ui: Ui,
    crumbs: Vec<Crumb>,
    organization: String,
    organization_id: String,
    action: String,
    verified: bool,
    fields: Vec<Field>,
    summary: Vec<SummaryItem>,
}

/// The complaint form's query: `org`, the organization complained about.
#[derive(Debug, Clone, Default, Deserialize)]
pub struct NewQuery {
    pub org: Option<String>,
}

/// A complaint form as posted: the organization and the draft.
#[derive(Debug, Clone, Default, Deserialize)]
pub struct ComplaintForm {
    pub organization_id: Option<String>,
    pub category: Option<String>,
    pub description: Option<String>,
    pub phone: Option<String>,
}

impl ComplaintForm {
    fn draft(&self) -> ComplaintDraft {
        ComplaintDraft {
            category: self.category.clone(),
            description: self.description.clone(),
            phone: self.phone.clone(),
        }
    }
}

async fn org_name(s: &AppState, id: Option<&str>) -> Result<(Uuid, String), AppError> {
    let id = id
        .and_then(|x| Uuid::parse_str(x.trim()).ok())
        .ok_or(AppError::NotFound)?;
    let org = s.store.organization(id).await?.ok_or(AppError::NotFound)?;
    Ok((id, org.data.name))
}

#[allow(clippy::too_many_arguments)]
async fn form_page(
    ui: &Ui,
    org: (Uuid, String),
    action: String,
    verified: bool,
    typed: &ComplaintForm,
    errors: &FieldErrors,
    status: StatusCode,
) -> PageResult {
    let lang = ui.lang;
    let v = |o: &Option<String>| o.clone().unwrap_or_default();
    let f = |name: &'static str, kind: &'static str| labels::field(ui, SCOPE, name, kind, errors);
    let mut fields = vec![
        f("category", "select").required().options(options(
            ComplaintCategory::ALL,
            ComplaintCategory::as_str,
            |x| x.label(lang).into(),
            &v(&typed.category),
            Some(ui.t("form.choose")),
        )),
        f("description", "textarea")
            .value(&typed.description)
            .required()
            .wide(),
    ];
    if !verified {
        fields.push(
            f("phone", "input")
                .value(&typed.phone)
                .required()
                .tel()
                .hint(ui.t("cmp.hint.phone")),
        );
    }
    let page = FormPage {
        crumbs: vec![Crumb::home(ui)],
        organization_id: org.0.to_string(),
        organization: org.1,
        action,
        verified,
        fields,
        summary: labels::summary(ui, SCOPE, errors, &COMPLAINT_FIELDS),
        ui: ui.clone(),
    };
    Ok(render(status, &page))
}

/// `GET /complaints/new?org={id}`: the public form (no login).
pub async fn new_form(
    State(s): State<AppState>,
    ui: Ui,
    ApiQuery(q): ApiQuery<NewQuery>,
) -> PageResult {
    let org = org_name(&s, q.org.as_deref()).await?;
    let typed = ComplaintForm::default();
    let e = FieldErrors::new();
    form_page(&ui, org, "/complaints/new".into(), false, &typed, &e, StatusCode::OK).await
}

#[derive(Template)]
#[template(path = "complaints/done.html")]
struct DonePage {
    ui: Ui,
    crumbs: Vec<Crumb>,
    number: String,
    link: String,
}

fn done(ui: &Ui, f: &service::Filed) -> PageResult {
    let page = DonePage {
        crumbs: vec![Crumb::home(ui)],
        number: f.complaint.number.clone(),
        link: format!("/complaints/track/{}", f.token),
        ui: ui.clone(),
    };
    Ok(render(StatusCode::OK, &page))
}

/// `POST /complaints/new`: the confirmation with the number and the private link, or
/// the form again naming each problem.
pub async fn submit(
    State(s): State<AppState>,
    ui: Ui,
    caller: Caller,
    CheckedForm(form): CheckedForm<ComplaintForm>,
) -> PageResult {
    let ui = ui.at("/complaints/new");
    let draft = form.draft();
    match service::submit(&s, &caller, &form.organization_id, &draft, FieldErrors::new()).await {
        Ok(f) => done(&ui, &f),
        Err(AppError::Validation(e)) => {
            let org = org_name(&s, form.organization_id.as_deref()).await?;
            let st = StatusCode::UNPROCESSABLE_ENTITY;
            form_page(&ui, org, "/complaints/new".into(), false, &form, &e, st).await
        }
        Err(e) => Err(e.into()),
    }
}

async fn about_org(s: &AppState, token: &str) -> Result<(Uuid, String), AppError> {
    let r = service::request_by_token(s, token).await?;
    let org = s.store.request_handler(r.id).await?.ok_or(AppError::NotFound)?;
    org_name(s, Some(&org.to_string())).await
}

/// `GET /complaints/about/{token}`: the form reached from a request's private link.
pub async fn about_form(
    State(s): State<AppState>,
    ui: Ui,
    Path(token): Path<String>,
) -> PageResult {
    let ui = ui.at("/complaints/about");
    let org = about_org(&s, &token).await?;
    let action = format!("/complaints/about/{token}");
    let (typed, e) = (ComplaintForm::default(), FieldErrors::new());
    form_page(&ui, org, action, true, &typed, &e, StatusCode::OK).await
}

/// `POST /complaints/about/{token}`: files it, the phone verified by the link.
pub async fn submit_about(
    State(s): State<AppState>,
    ui: Ui,
    caller: Caller,
    Path(token): Path<String>,
    CheckedForm(form): CheckedForm<ComplaintForm>,
) -> PageResult {
    let ui = ui.at("/complaints/about");
    let draft = form.draft();
    match service::submit_about_request(&s, &caller, &token, &draft, FieldErrors::new()).await {
        Ok(f) => done(&ui, &f),
        Err(AppError::Validation(e)) => {
            let org = about_org(&s, &token).await?;
            let action = format!("/complaints/about/{token}");
            let st = StatusCode::UNPROCESSABLE_ENTITY;
            form_page(&ui, org, action, true, &form, &e, st).await
        }
        Err(e) => Err(e.into()),
    }
}

/// A complaint's facts, in words, as every page shows them.
pub struct Facts {
    pub number: String,
    pub organization: String,
    pub organization_href: String,
    pub category: &'static str,
    pub description: String,
    pub phone: String,
    pub phone_source: &'static str,
    pub state: &'static str,
    pub filed: String,
    pub due: String,
    pub overdue: bool,
    pub escalated: String,
    pub response: String,
    pub responded: String,
    pub outcome: String,
    pub outcome_text: String,
    pub decided: String,
}

fn facts(ui: &Ui, c: &Complaint, organization: String, phone_in_full: bool) -> Facts {
    let t = |x: Option<chrono::DateTime<chrono::Utc>>| x.map(local_time).unwrap_or_default();
    Facts {
        number: c.number.clone(),
        organization,
        organization_href: format!("/organizations/{}", c.organization_id),
        category: c.data.category.label(ui.lang),
        description: c.data.description.clone(),
        phone: if phone_in_full {
            c.data.phone.to_string()
        } else {
            c.data.phone.masked()
        },
        phone_source: c.data.phone_source.label(ui.lang),
        state: c.state.label(ui.lang),
        filed: local_time(c.filed_at),
        due: local_time(c.due_at),
        overdue: is_overdue(c.state, c.due_at, chrono::Utc::now()),
        escalated: t(c.escalated_at),
        response: c.response.clone().unwrap_or_default(),
        responded: t(c.responded_at),
        outcome: c
            .outcome
            .map(|o| o.label(ui.lang).to_string())
            .unwrap_or_default(),
        outcome_text: c.outcome_text.clone().unwrap_or_default(),
        decided: t(c.decided_at),
    }
}

async fn name_of(s: &AppState, id: Uuid) -> Result<String, AppError> {
    Ok(s.store
        .organization(id)
        .await?
        .map(|o| o.data.name)
        .unwrap_or_default())
}

#[derive(Template)]
#[template(path = "complaints/track.html")]
struct TrackPage {
    ui: Ui,
    crumbs: Vec<Crumb>,
    c: Facts,
}

/// `GET /complaints/track/{token}`: the complainant's page (no login; phone masked).
pub async fn track(State(s): State<AppState>, ui: Ui, Path(token): Path<String>) -> PageResult {
    let ui = ui.at("/complaints/track");
    let c = service::by_token(&s, &token).await?;
    let name = name_of(&s, c.organization_id).await?;
    let page = TrackPage {
        crumbs: vec![Crumb::home(&ui)],
        c: facts(&ui, &c, name, false),
        ui: ui.clone(),
    };
    Ok(render(StatusCode::OK, &page))
}

/// A complaint as a line of the queue.
pub struct QueueLine {
    pub number: String,
    pub href: String,
    pub organization: String,
    pub category: &'static str,
    pub state: &'static str,
    pub overdue: bool,
    pub escalated: bool,
    pub phone: String,
    pub filed: String,
    pub due: String,
}

fn queue_line(ui: &Ui, l: &ComplaintListing, phone_in_full: bool) -> QueueLine {
    let c = &l.complaint;
    QueueLine {
        number: c.number.clone(),
        href: format!("/complaints/{}", c.id),
        organization: l.organization_name.clone(),
        category: c.data.category.label(ui.lang),
        state: c.state.label(ui.lang),
        overdue: is_overdue(c.state, c.due_at, chrono::Utc::now()),
        escalated: c.escalated_at.is_some(),
        phone: if phone_in_full {
            c.data.phone.to_string()
        } else {
            c.data.phone.masked()
        },
        filed: local_time(c.filed_at),
        due: local_time(c.due_at),
    }
}

#[derive(Template)]
#[template(path = "complaints/queue.html")]
struct QueuePage {
    ui: Ui,
    crumbs: Vec<Crumb>,
    filters: Vec<Filter>,
    errors: Vec<String>,
    rows: Vec<QueueLine>,
    summary: String,
    prev: Option<String>,
    next: Option<String>,
}

/// `GET /complaints`: the caller's queue, by state, overdue and escalated.
pub async fn queue(
    State(s): State<AppState>,
    ui: Ui,
    caller: Caller,
    ApiQuery(q): ApiQuery<QueueQuery>,
) -> PageResult {
    let ui = ui.with_nav("complaints");
    service::scope(&s, &caller).await?;
    let lang = ui.lang;
    let v = |o: &Option<String>| o.as_deref().unwrap_or("").trim().to_string();
    let all = ui.t("filter.all");
    let yes_no = |name: &'static str, only: &'static str, cur: &Option<String>| Filter {
        name,
        label: labels::label(lang, SCOPE, name),
        options: vec![
            Opt::new("", all, v(cur).is_empty()),
            Opt::new("1", ui.t(only), v(cur) == "1"),
        ],
    };
    let mut page = QueuePage {
        crumbs: vec![Crumb::home(&ui)],
        filters: vec![
            Filter {
                name: "state",
                label: labels::label(lang, SCOPE, "state"),
                options: options(
                    ComplaintState::ALL,
                    ComplaintState::as_str,
                    |x| x.label(lang).into(),
                    &v(&q.state),
                    Some(all),
                ),
            },
            yes_no("overdue", "cmp.filter.overdue_only", &q.overdue),
            yes_no("escalated", "cmp.filter.escalated_only", &q.escalated),
        ],
        errors: vec![],
        rows: vec![],
        summary: String::new(),
        prev: None,
        next: None,
        ui: ui.clone(),
    };
    match service::queue(&s, &caller, &q).await {
        Ok((scope, p, _)) => {
            page.rows = p
                .items
                .iter()
                .map(|l| queue_line(&ui, l, scope.sees_phone(&caller, l.complaint.organization_id)))
                .collect();
            if p.total.count() > 0 {
                page.summary = ui.tf(
                    "cmp.queue.summary",
                    &[&crate::kit::paging::total_text(&ui, p.total)],
                );
            }
            let filters = filter_query(&[
                ("state", &q.state),
                ("overdue", &q.overdue),
                ("escalated", &q.escalated),
                ("per_page", &q.per_page),
            ]);
            (page.prev, page.next) = links("/complaints", &filters, &p);
            Ok(render(StatusCode::OK, &page))
        }
        Err(AppError::Validation(f)) => {
            page.errors = labels::error_lines(&ui, SCOPE, &f);
            Ok(render(StatusCode::UNPROCESSABLE_ENTITY, &page))
        }
        Err(e) => Err(e.into()),
    }
}

#[derive(Template)]
#[template(path = "complaints/detail.html")]
struct DetailPage {
    ui: Ui,
    crumbs: Vec<Crumb>,
    title: String,
    id: String,
    c: Facts,
    may_answer: bool,
    may_decide: bool,
    outcomes: Vec<Opt>,
    errors: Vec<String>,
}

async fn detail_page(
    s: &AppState,
    ui: &Ui,
    caller: &Caller,
    id: Uuid,
    errors: &FieldErrors,
    status: StatusCode,
) -> PageResult {
    let (c, st) = service::visible(s, caller, id).await?;
    let name = name_of(s, c.organization_id).await?;
    let page = DetailPage {
        crumbs: vec![
            Crumb::home(ui),
            Crumb::new(ui.t("cmp.queue.title"), "/complaints"),
        ],
        title: ui.tf("cmp.detail.title", &[&c.number]),
        id: c.id.to_string(),
        may_answer: st.respondent && can(c.state, ComplaintAction::Answer),
        may_decide: st.decides && c.state.is_open(),
        outcomes: options(
            ComplaintOutcome::ALL,
            ComplaintOutcome::as_str,
            |x| x.label(ui.lang).into(),
            "",
            Some(ui.t("form.choose")),
        ),
        c: facts(ui, &c, name, st.sees_phone),
        errors: labels::error_lines(ui, SCOPE, errors),
        ui: ui.clone(),
    };
    Ok(render(status, &page))
}

/// `GET /complaints/{id}`: for the street official, the dispatcher and the
/// organization complained about (the phone only for the first two).
pub async fn detail(
    State(s): State<AppState>,
    ui: Ui,
    caller: Caller,
    RecordId(id): RecordId,
) -> PageResult {
    let ui = ui.with_nav("complaints");
    detail_page(&s, &ui, &caller, id, &FieldErrors::new(), StatusCode::OK).await
}

/// `POST /complaints/{id}/actions` (form): back to the complaint's page.
pub async fn act(
    State(s): State<AppState>,
    ui: Ui,
    caller: Caller,
    RecordId(id): RecordId,
    CheckedForm(form): CheckedForm<ActionDraft>,
) -> PageResult {
    let ui = ui.with_nav("complaints").at(format!("/complaints/{id}"));
    match service::act(&s, &caller, id, &form, FieldErrors::new()).await {
        Ok(_) => Ok(see_other(&format!("/complaints/{id}"))),
        Err(AppError::Validation(e)) => {
            detail_page(&s, &ui, &caller, id, &e, StatusCode::UNPROCESSABLE_ENTITY).await
        }
        Err(e) => Err(e.into()),
    }
}
