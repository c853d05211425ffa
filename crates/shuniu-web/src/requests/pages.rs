//! Resident-request pages: the public form and its confirmation, the private link's
//! page (status, history in words, the confirm-and-rate form), the queue and a
//! request's page (candidates with reasons, the assign form, the organization's
//! accept / decline / complete forms).

use askama::Template;
use axum::extract::{Path, State};
use axum::http::StatusCode;
use shuniu_domain::FieldErrors;
use shuniu_domain::jurisdiction::{Jurisdiction, Level};
use shuniu_domain::registry::ServiceDomain;
use shuniu_domain::requests::{
    RATING_FIELDS, REQUEST_FIELDS, RatingDraft, RequestDraft, RequestState, Transition,
};
use shuniu_store::requests::{RequestListing, ResidentRequest};
use uuid::Uuid;

use crate::auth::Caller;
use crate::kit::extract::{ApiQuery, CheckedForm, RecordId};
use crate::kit::forms::{Field, SummaryItem};
use crate::kit::labels;
use crate::kit::routes::Routes;
use crate::kit::ui::{Ui, render, see_other};
use crate::kit::paging::links;
use crate::kit::export::filter_query;
use crate::kit::view::{Crumb, Filter, Opt, data_node, jurisdiction_options, options};
use crate::requests::service::{self, ActionDraft, QueueQuery};
use crate::{AppError, AppState, PageResult, local_time};

pub fn routes() -> Routes {
    Routes::new()
        .get("/requests/new", new_form)
        .post("/requests/new", submit)
        .get("/requests/track/{token}", track)
        .post("/requests/track/{token}", confirm)
        .get("/requests", queue)
        .get("/requests/{id}", detail)
        .post("/requests/{id}/actions", act)
}

/// The label scope of the forms and filters (`req.f.<name>`).
pub(crate) const SCOPE: &str = "req";

#[derive(Template)]
#[template(path = "requests/form.html")]
struct FormPage {
    ui: Ui,
    crumbs: Vec<Crumb>,
    fields: Vec<Field>,
    summary: Vec<SummaryItem>,
}

/// The streets and communities of the deployment's district, grouped by street.
async fn communities(s: &AppState) -> Result<Vec<Jurisdiction>, AppError> {
    let Some(node) = data_node(&s.store).await? else {
        return Ok(vec![]);
    };
    Ok(s.store
        .jurisdiction_subtree(&node, Level::Community)
        .await?
        .into_iter()
        .filter(|j| matches!(j.level, Level::Street | Level::Community))
        .collect())
}

async fn form_page(
    s: &AppState,
    ui: &Ui,
    typed: &RequestDraft,
    errors: &FieldErrors,
    status: StatusCode,
) -> PageResult {
    let lang = ui.lang;
    let v = |o: &Option<String>| o.clone().unwrap_or_default();
    let f = |name: &'static str, kind: &'static str| labels::field(ui, SCOPE, name, kind, errors);
    let nodes = communities(s).await?;
    let page = FormPage {
        crumbs: vec![Crumb::home(ui)],
        fields: vec![
            f("category", "select").required().options(options(
                ServiceDomain::ALL,
                ServiceDomain::as_str,
                |x| x.label(lang).into(),
                &v(&typed.category),
                Some(ui.t("form.choose")),
            )),
            f("community", "select")
                .required()
                .options(jurisdiction_options(
                    &nodes,
                    lang,
                    &v(&typed.community),
                    ui.t("form.choose"),
                ))
                .hint(ui.t("req.hint.community")),
            f("description", "textarea")
                .value(&typed.description)
                .required()
                .wide(),
            f("phone", "input")
                .value(&typed.phone)
                .required()
                .hint(ui.t("req.hint.phone")),
        ],
        summary: labels::summary(ui, SCOPE, errors, &REQUEST_FIELDS),
        ui: ui.clone(),
    };
    Ok(render(status, &page))
}

/// `GET /requests/new`: the public form (no login).
pub async fn new_form(State(s): State<AppState>, ui: Ui) -> PageResult {
    let ui = ui.with_nav("request_new");
    form_page(&s, &ui, &RequestDraft::default(), &FieldErrors::new(), StatusCode::OK).await
}

#[derive(Template)]
#[template(path = "requests/done.html")]
struct DonePage {
    ui: Ui,
    crumbs: Vec<Crumb>,
    number: String,
    link: String,
}

/// `POST /requests/new`: the confirmation with the number and the private link, or
/// the form again naming each problem.
pub async fn submit(
    State(s): State<AppState>,
    ui: Ui,
    caller: Caller,
    CheckedForm(form): CheckedForm<RequestDraft>,
) -> PageResult {
    let ui = ui.with_nav("request_new").at("/requests/new");
    match service::submit(&s, &caller, &form, FieldErrors::new()).await {
        Ok(r) => {
            let page = DonePage {
                crumbs: vec![Crumb::home(&ui)],
                number: r.request.number.clone(),
                link: format!("/requests/track/{}", r.token),
                ui: ui.clone(),
            };
            Ok(render(StatusCode::OK, &page))
        }
        Err(AppError::Validation(e)) => {
            form_page(&s, &ui, &form, &e, StatusCode::UNPROCESSABLE_ENTITY).await
        }
        Err(e) => Err(e.into()),
    }
}

/// A line of a request's history, in words.
pub struct HistoryLine {
    pub at: String,
    pub what: String,
    pub organization: String,
    pub reason: String,
}

async fn history(s: &AppState, ui: &Ui, id: Uuid) -> Result<Vec<HistoryLine>, AppError> {
    Ok(s.store
        .request_events(id)
        .await?
        .into_iter()
        .map(|e| HistoryLine {
            at: local_time(e.at),
            what: match Transition::parse(&e.transition) {
                Some(t) => t.label(ui.lang).to_string(),
                None => shuniu_domain::audit::kinds::event_label("request.submit", ui.lang)
                    .unwrap_or_default()
                    .to_string(),
            },
            organization: e.organization_name.unwrap_or_default(),
            reason: e.reason,
        })
        .collect())
}

#[derive(Template)]
#[template(path = "requests/track.html")]
struct TrackPage {
    ui: Ui,
    crumbs: Vec<Crumb>,
    number: String,
    category: &'static str,
    community: String,
    description: String,
    phone: String,
    state: &'static str,
    history: Vec<HistoryLine>,
    rating: String,
    comment: String,
    can_rate: bool,
    /// The complaint form about the organization that handled it (none: no one yet).
    complain: String,
    action: String,
    fields: Vec<Field>,
    summary: Vec<SummaryItem>,
}

async fn community_name(s: &AppState, ui: &Ui, r: &ResidentRequest) -> Result<String, AppError> {
    Ok(s.store
        .jurisdiction(r.data.community.as_str())
        .await?
        .map(|j| j.name(ui.lang).to_string())
        .unwrap_or_default())
}

async fn track_page(
    s: &AppState,
    ui: &Ui,
    token: &str,
    typed: &RatingDraft,
    errors: &FieldErrors,
    status: StatusCode,
) -> PageResult {
    let r = service::by_token(s, token).await?;
    let f = |name: &'static str, kind: &'static str| labels::field(ui, SCOPE, name, kind, errors);
    let stars: Vec<Opt> = (1..=5)
        .map(|n| {
            let n = n.to_string();
            let sel = typed.rating.as_deref() == Some(n.as_str());
            Opt::new(n.clone(), n, sel)
        })
        .collect();
    let page = TrackPage {
        crumbs: vec![Crumb::home(ui)],
        number: r.number.clone(),
        category: r.data.category.label(ui.lang),
        community: community_name(s, ui, &r).await?,
        description: r.data.description.clone(),
        phone: r.data.phone.masked(),
        state: r.state.label(ui.lang),
        history: history(s, ui, r.id).await?,
        rating: r.rating.map(|x| x.to_string()).unwrap_or_default(),
        comment: r.rating_comment.clone().unwrap_or_default(),
        can_rate: r.state == RequestState::Completed,
        complain: match s.store.request_handler(r.id).await? {
            Some(_) => format!("/complaints/about/{token}"),
            None => String::new(),
        },
        action: format!("/requests/track/{token}"),
        fields: vec![
            f("rating", "radios").required().options(stars),
            f("comment", "textarea").value(&typed.comment).wide(),
        ],
        summary: labels::summary(ui, SCOPE, errors, &RATING_FIELDS),
        ui: ui.clone(),
    };
    Ok(render(status, &page))
}

/// `GET /requests/track/{token}`: the resident's page (no login; the phone masked).
pub async fn track(State(s): State<AppState>, ui: Ui, Path(token): Path<String>) -> PageResult {
    let ui = ui.at("/requests/track");
    track_page(&s, &ui, &token, &RatingDraft::default(), &FieldErrors::new(), StatusCode::OK).await
}

/// `POST /requests/track/{token}`: confirm and rate.
pub async fn confirm(
    State(s): State<AppState>,
    ui: Ui,
    caller: Caller,
    Path(token): Path<String>,
    CheckedForm(form): CheckedForm<RatingDraft>,
) -> PageResult {
    let ui = ui.at("/requests/track");
    match service::confirm(&s, &caller, &token, &form, FieldErrors::new()).await {
        Ok(_) => Ok(see_other(&format!("/requests/track/{token}"))),
        Err(AppError::Validation(e)) => {
            track_page(&s, &ui, &token, &form, &e, StatusCode::UNPROCESSABLE_ENTITY).await
        }
        Err(e) => Err(e.into()),
    }
}

/// A request as a line of the queue.
pub struct QueueLine {
    pub number: String,
    pub href: String,
    pub category: &'static str,
    pub community: String,
    pub state: &'static str,
    pub overdue: bool,
    pub assigned: String,
    pub created: String,
}

pub fn queue_line(s: &AppState, ui: &Ui, l: &RequestListing) -> QueueLine {
    let r = &l.request;
    QueueLine {
        number: r.number.clone(),
        href: format!("/requests/{}", r.id),
        category: r.data.category.label(ui.lang),
        community: ui
            .lang
            .pick(&l.community_name_zh, &l.community_name_en)
            .to_string(),
        state: r.state.label(ui.lang),
        overdue: service::limits(s).overdue(r.state, r.state_since, chrono::Utc::now()),
        assigned: l.assigned_name.clone().unwrap_or_default(),
        created: local_time(r.created_at),
    }
}

#[derive(Template)]
#[template(path = "requests/queue.html")]
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

/// `GET /requests`: the caller's queue, by state and overdue.
pub async fn queue(
    State(s): State<AppState>,
    ui: Ui,
    caller: Caller,
    ApiQuery(q): ApiQuery<QueueQuery>,
) -> PageResult {
    let ui = ui.with_nav("requests");
    service::scope(&s, &caller).await?;
    let lang = ui.lang;
    let v = |o: &Option<String>| o.as_deref().unwrap_or("").trim().to_string();
    let all = ui.t("filter.all");
    let mut page = QueuePage {
        crumbs: vec![Crumb::home(&ui)],
        filters: vec![
            Filter {
                name: "state",
                label: labels::label(lang, SCOPE, "state"),
                options: options(
                    RequestState::ALL,
                    RequestState::as_str,
                    |x| x.label(lang).into(),
                    &v(&q.state),
                    Some(all),
                ),
            },
            Filter {
                name: "overdue",
                label: labels::label(lang, SCOPE, "overdue"),
                options: vec![
                    Opt::new("", all, v(&q.overdue).is_empty()),
                    Opt::new("1", ui.t("req.filter.overdue_only"), v(&q.overdue) == "1"),
                ],
            },
        ],
        errors: vec![],
        rows: vec![],
        summary: String::new(),
        prev: None,
        next: None,
        ui: ui.clone(),
    };
    match service::queue(&s, &caller, &q).await {
        Ok((p, _)) => {
            page.rows = p.items.iter().map(|l| queue_line(&s, &ui, l)).collect();
            if p.total.count() > 0 {
                page.summary = ui.tf(
                    "req.queue.summary",
                    &[&crate::kit::paging::total_text(&ui, p.total)],
                );
            }
            let filters = filter_query(&[
                ("state", &q.state),
                ("overdue", &q.overdue),
                ("per_page", &q.per_page),
            ]);
            (page.prev, page.next) = links("/requests", &filters, &p);
            Ok(render(StatusCode::OK, &page))
        }
        Err(AppError::Validation(f)) => {
            page.errors = labels::error_lines(&ui, SCOPE, &f);
            Ok(render(StatusCode::UNPROCESSABLE_ENTITY, &page))
        }
        Err(e) => Err(e.into()),
    }
}

/// A candidate as a line of the assign table.
pub struct CandidateLine {
    pub id: String,
    pub name: String,
    pub score: i64,
    pub reasons: String,
}

#[derive(Template)]
#[template(path = "requests/detail.html")]
struct DetailPage {
    ui: Ui,
    crumbs: Vec<Crumb>,
    title: String,
    id: String,
    category: &'static str,
    community: String,
    description: String,
    phone: String,
    state: &'static str,
    overdue: bool,
    assigned: String,
    history: Vec<HistoryLine>,
    candidates: Vec<CandidateLine>,
    may_assign: bool,
    may_cancel: bool,
    may_close: bool,
    may_accept: bool,
    may_complete: bool,
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
    let (r, st) = service::visible(s, caller, id).await?;
    use shuniu_domain::requests::can;
    let candidates = if st.dispatcher && can(r.state, Transition::Assign) {
        s.store
            .request_candidates(&r, 1, 20)
            .await?
            .items
            .into_iter()
            .map(|c| CandidateLine {
                id: c.facts.organization_id.to_string(),
                name: c.facts.name.clone(),
                score: c.score,
                // The stored credibility score first, as a number, then the reasons.
                reasons: c
                    .facts
                    .credibility
                    .map(|x| ui.tf("req.reason.credibility", &[&x.to_string()]))
                    .into_iter()
                    .chain(c.reasons.iter().map(|x| x.label(ui.lang).to_string()))
                    .collect::<Vec<_>>()
                    .join(ui.lang.pick("；", "; ")),
            })
            .collect()
    } else {
        vec![]
    };
    let assigned = match r.assigned_org {
        Some(o) => s
            .store
            .organization(o)
            .await?
            .map(|x| x.data.name)
            .unwrap_or_default(),
        None => String::new(),
    };
    let page = DetailPage {
        crumbs: vec![
            Crumb::home(ui),
            Crumb::new(ui.t("req.queue.title"), "/requests"),
        ],
        title: ui.tf("req.detail.title", &[&r.number]),
        id: r.id.to_string(),
        category: r.data.category.label(ui.lang),
        community: community_name(s, ui, &r).await?,
        description: r.data.description.clone(),
        // Only the dispatcher and the assignee reach this page at all.
        phone: r.data.phone.to_string(),
        state: r.state.label(ui.lang),
        overdue: service::limits(s).overdue(r.state, r.state_since, chrono::Utc::now()),
        assigned,
        history: history(s, ui, r.id).await?,
        candidates,
        may_assign: st.dispatcher && can(r.state, Transition::Assign),
        may_cancel: st.dispatcher && can(r.state, Transition::Cancel),
        may_close: st.dispatcher && can(r.state, Transition::Close),
        may_accept: st.assignee && can(r.state, Transition::Accept),
        may_complete: st.assignee && can(r.state, Transition::Complete),
        errors: labels::error_lines(ui, SCOPE, errors),
        ui: ui.clone(),
    };
    Ok(render(status, &page))
}

/// `GET /requests/{id}`: for the dispatcher and the assigned organization.
pub async fn detail(
    State(s): State<AppState>,
    ui: Ui,
    caller: Caller,
    RecordId(id): RecordId,
) -> PageResult {
    let ui = ui.with_nav("requests");
    detail_page(&s, &ui, &caller, id, &FieldErrors::new(), StatusCode::OK).await
}

/// `POST /requests/{id}/actions` (form): back to the request's page.
pub async fn act(
    State(s): State<AppState>,
    ui: Ui,
    caller: Caller,
    RecordId(id): RecordId,
    CheckedForm(form): CheckedForm<ActionDraft>,
) -> PageResult {
    let ui = ui.with_nav("requests").at(format!("/requests/{id}"));
    match service::act(&s, &caller, id, &form, FieldErrors::new()).await {
        Ok(_) => Ok(see_other(&format!("/requests/{id}"))),
        Err(AppError::Validation(e)) => {
            detail_page(&s, &ui, &caller, id, &e, StatusCode::UNPROCESSABLE_ENTITY).await
        }
        Err(e) => Err(e.into()),
    }
}
