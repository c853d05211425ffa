//! `GET /my`: the signed-in person's desk. Each panel is one paged read (five rows and
//! the total), so the page costs a handful of queries whatever the jurisdiction's size.

use askama::Template;
use axum::extract::State;
use axum::http::StatusCode;
use shuniu_domain::access::Role;
use shuniu_domain::hubs::MembershipStatus;
use shuniu_domain::supervision::changes::ChangeStatus;
use shuniu_domain::supervision::credit::ListKind;
use shuniu_store::accounts::User;
use shuniu_store::At;

use crate::auth::Caller;
use crate::kit::routes::Routes;
use crate::kit::ui::{Ui, render};
use crate::kit::view::{self, Crumb, fmt_int, pct};
use crate::{AppError, AppState, PageResult, local_time, today};

/// How many rows a panel shows; its link leads to the whole list.
const ROWS: u32 = 5;

/// Where a panel's read starts: the first keyset page of its list, whose total stops
/// at 10,000 and whose read stops at the page.
const FIRST: shuniu_store::At<'static> = shuniu_store::At::Cursor(None);

pub fn routes() -> Routes {
    Routes::new().get("/my", desk)
}

/// One line of a panel: a link and a note beside it.
pub struct Line {
    pub href: String,
    pub text: String,
    pub note: String,
}

/// A panel of the desk: a heading, its count, up to [`ROWS`] lines (or what it says
/// when there are none) and links onwards.
pub struct Panel {
    pub title: &'static str,
    pub count: Option<String>,
    pub lines: Vec<Line>,
    pub empty: Option<&'static str>,
    pub links: Vec<(String, &'static str)>,
}

impl Panel {
    fn new(ui: &Ui, title: &'static str, empty: &'static str) -> Panel {
        Panel {
            title: ui.t(title),
            count: None,
            lines: vec![],
            empty: (!empty.is_empty()).then(|| ui.t(empty)),
            links: vec![],
        }
    }
    fn counted(mut self, ui: &Ui, total: i64) -> Panel {
        self.count = Some(ui.tf("my.count", &[&fmt_int(total)]));
        self
    }
    /// The count of a keyset list: "10,000+" when its count stopped.
    fn counted_total(mut self, ui: &Ui, total: shuniu_store::Total) -> Panel {
        self.count = Some(ui.tf(
            "my.count",
            &[&crate::kit::paging::total_text(ui, total)],
        ));
        self
    }
    fn line(mut self, href: String, text: impl Into<String>, note: impl Into<String>) -> Panel {
        self.lines.push(Line {
            href,
            text: text.into(),
            note: note.into(),
        });
        self
    }
    fn link(mut self, ui: &Ui, href: impl Into<String>, label: &'static str) -> Panel {
        self.links.push((href.into(), ui.t(label)));
        self
    }
}

#[derive(Template)]
#[template(path = "workbench/desk.html")]
struct DeskPage {
    ui: Ui,
    crumbs: Vec<Crumb>,
    intro: &'static str,
    panels: Vec<Panel>,
}

/// `GET /my`: anonymous callers are asked to sign in.
pub async fn desk(State(s): State<AppState>, ui: Ui, caller: Caller) -> PageResult {
    let ui = ui.with_nav("my");
    let Some(user) = &caller.user else {
        return Err(AppError::Unauthenticated.into());
    };
    let mut panels = match user.role {
        Role::OrgMember => member_panels(&s, &ui, user).await?,
        Role::HubStaff => hub_panels(&s, &ui, user).await?,
        Role::Official => official_panels(&s, &ui, &caller, user).await?,
        Role::Expert => expert_panels(&s, &ui).await?,
        Role::Admin => admin_panels(&s, &ui).await?,
    };
    panels.extend(resident_panels(&s, &ui, &caller).await?);
    let intro = match user.role {
        Role::OrgMember => "my.intro.org_member",
        Role::HubStaff => "my.intro.hub_staff",
        Role::Official => "my.intro.official",
        Role::Expert => "my.intro.expert",
        Role::Admin => "my.intro.admin",
    };
    let page = DeskPage {
        crumbs: vec![Crumb::home(&ui)],
        intro: ui.t(intro),
        panels,
        ui,
    };
    Ok(render(StatusCode::OK, &page))
}

/// An account bound to nothing (made before its binding was set) sees why its desk is
/// empty instead of an error.
fn unbound(ui: &Ui) -> Vec<Panel> {
    vec![Panel::new(ui, "my.org", "my.unbound")]
}

async fn member_panels(s: &AppState, ui: &Ui, user: &User) -> Result<Vec<Panel>, AppError> {
    let lang = ui.lang;
    let Some(org_id) = user.organization_id else {
        return Ok(unbound(ui));
    };
    let Some(org) = s.store.organization(org_id).await? else {
        return Ok(unbound(ui));
    };
    let org_href = format!("/organizations/{org_id}");
    let mine = Panel::new(ui, "my.org", "")
        .line(
            org_href.clone(),
            org.data.name.clone(),
            org.status.label_for(org.data.legal_form, lang),
        )
        .link(ui, format!("{org_href}/edit"), "my.org.edit")
        .link(ui, format!("{org_href}/annual-reports/new"), "my.org.report")
        .link(ui, format!("{org_href}/services/new"), "my.org.service");

    let bookings = s
        .store
        .bookings_page(org_id, chrono::Utc::now(), FIRST, ROWS)
        .await?;
    let mut coming =
        Panel::new(ui, "my.bookings", "my.bookings.none").counted_total(ui, bookings.total);
    for b in &bookings.items {
        coming = coming.line(
            format!("/bookings/{}", b.id),
            format!("{} · {}", local_time(b.starts_at), b.purpose),
            b.number.clone(),
        );
    }
    let coming = coming.link(ui, "/venues", "my.bookings.book");

    let reports = s.store.annual_reports_of(org_id).await?;
    let mut filed = Panel::new(ui, "my.reports", "my.reports.none");
    for r in reports.iter().take(ROWS as usize) {
        let mut note = match r.outcome {
            Some(o) => o.label(lang).to_string(),
            None => ui.t("my.reports.pending").to_string(),
        };
        if r.late {
            note = format!("{note} · {}", ui.t("my.reports.late"));
        }
        filed = filed.line(format!("/annual-reports/{}", r.id), r.year.to_string(), note);
    }
    let filed = filed.link(ui, format!("{org_href}/annual-reports/new"), "my.org.report");

    let memberships = s.store.memberships_of(org_id).await?;
    let mut hubs = Panel::new(ui, "my.hubs", "my.hubs.none");
    for m in memberships.iter().filter(|m| m.status.is_live()) {
        hubs = hubs.line(
            format!("/hubs/{}", m.hub_id),
            m.hub_name.clone(),
            m.status.label(lang),
        );
    }
    let hubs = hubs.link(ui, "/hubs", "my.hubs.find");
    Ok(vec![mine, coming, filed, hubs])
}

async fn hub_panels(s: &AppState, ui: &Ui, user: &User) -> Result<Vec<Panel>, AppError> {
    let Some(org_id) = user.organization_id else {
        return Ok(unbound(ui));
    };
    let Some(hub) = s.store.hub_of_organization(org_id).await? else {
        return Ok(vec![
            Panel::new(ui, "my.hub", "my.hub.none").link(
                ui,
                format!("/organizations/{org_id}"),
                "my.org",
            ),
        ]);
    };
    let hub_href = format!("/hubs/{}", hub.id);
    let mine = Panel::new(ui, "my.hub", "")
        .line(
            hub_href.clone(),
            hub.organization_name.clone(),
            ui.tf("my.hub.members", &[&fmt_int(hub.member_count)]),
        )
        .link(ui, format!("{hub_href}/coverage"), "my.hub.coverage");

    let pending = s
        .store
        .hub_members_keyset(hub.id, Some(MembershipStatus::Pending), FIRST, ROWS)
        .await?;
    let mut applications = Panel::new(ui, "my.applications", "my.applications.none")
        .counted_total(ui, pending.total);
    for m in &pending.items {
        applications = applications.line(
            format!("/memberships/{}", m.id),
            m.organization_name.clone(),
            view::date(ui.lang, m.applied_on),
        );
    }
    let applications = applications.link(ui, hub_href.clone(), "my.all");

    let venues = s.store.venues_page(None, Some(hub.id), FIRST, ROWS).await?;
    let mut places =
        Panel::new(ui, "my.venues", "my.venues.none").counted_total(ui, venues.total);
    for v in &venues.items {
        places = places.line(
            format!("/venues/{}", v.id),
            v.data.name.clone(),
            v.data.address.clone(),
        );
    }
    Ok(vec![mine, applications, places])
}

async fn official_panels(
    s: &AppState,
    ui: &Ui,
    caller: &Caller,
    user: &User,
) -> Result<Vec<Panel>, AppError> {
    let lang = ui.lang;
    let (Some(code), Some(path)) = (&user.jurisdiction_code, &user.jurisdiction_path) else {
        return Ok(unbound(ui));
    };
    let (total, changes) = crate::supervision::service::queue_head(
        &s.store,
        caller,
        Some(ChangeStatus::Submitted),
        ROWS,
    )
    .await?;
    let mut to_decide = Panel::new(ui, "my.changes", "my.changes.none").counted(ui, total);
    for (a, name) in changes.iter().take(ROWS as usize) {
        to_decide = to_decide.line(
            format!("/organizations/{}", a.organization_id),
            name.clone(),
            local_time(a.submitted_at),
        );
    }
    let to_decide = to_decide.link(ui, "/change-applications?status=submitted", "my.all");

    let filter = crate::annual::service::QueueQuery {
        outcome: Some("pending".into()),
        per_page: Some(ROWS.to_string()),
        ..Default::default()
    }
    .parse()?;
    let (reports, _) = crate::annual::service::queue(&s.store, caller, &filter).await?;
    let mut to_review =
        Panel::new(ui, "my.annual", "my.annual.none").counted_total(ui, reports.total);
    for q in &reports.items {
        let mut note = q.report.year.to_string();
        if q.report.late {
            note = format!("{note} · {}", ui.t("my.reports.late"));
        }
        to_review = to_review.line(
            format!("/annual-reports/{}", q.report.id),
            q.organization_name.clone(),
            note,
        );
    }
    let to_review = to_review.link(ui, "/annual-reports?outcome=pending", "my.all");

    let listed = s
        .store
        .credit_list_keyset(ListKind::Abnormal, Some(path), At::Cursor(None), ROWS)
        .await?;
    let mut watch = Panel::new(ui, "my.abnormal", "my.abnormal.none").counted_total(ui, listed.total);
    for e in &listed.items {
        watch = watch.line(
            format!("/organizations/{}", e.listing.organization_id),
            e.organization_name.clone(),
            view::date(lang, e.listing.listed_on),
        );
    }
    let watch = watch.link(
        ui,
        format!("/credit-lists?list=abnormal&jurisdiction={}", pct(code)),
        "my.all",
    );

    let rounds = s.store.open_rounds_of(path, today()).await?;
    let mut open = Panel::new(ui, "my.rounds", "my.rounds.none");
    for r in rounds.iter().take(ROWS as usize) {
        open = open.line(
            format!("/assessment-rounds/{}", r.id),
            r.title.clone(),
            ui.tf("my.due", &[&view::date(lang, r.closes_on)]),
        );
    }
    let open = open
        .link(ui, format!("/coverage/{}", pct(code)), "my.coverage.open")
        .link(ui, "/assessment-rounds", "my.rounds.recent");
    Ok(vec![to_decide, to_review, watch, open])
}

/// The latest assessment rounds, every round's page open to read.
async fn rounds_panel(s: &AppState, ui: &Ui) -> Result<Panel, AppError> {
    let lang = ui.lang;
    let rounds = s
        .store
        .assessment_rounds_keyset(At::Cursor(None), ROWS)
        .await?;
    let mut panel = Panel::new(ui, "my.rounds.recent", "my.rounds.none").counted_total(ui, rounds.total);
    for r in &rounds.items {
        panel = panel.line(
            format!("/assessment-rounds/{}", r.id),
            r.title.clone(),
            ui.tf("my.due", &[&view::date(lang, r.closes_on)]),
        );
    }
    Ok(panel.link(ui, "/assessment-rounds", "my.all"))
}

async fn expert_panels(s: &AppState, ui: &Ui) -> Result<Vec<Panel>, AppError> {
    let coverage =
        Panel::new(ui, "my.coverage", "").link(ui, "/coverage", "my.coverage.open");
    Ok(vec![rounds_panel(s, ui).await?, coverage])
}

async fn admin_panels(s: &AppState, ui: &Ui) -> Result<Vec<Panel>, AppError> {
    let platform = Panel::new(ui, "my.admin", "")
        .link(ui, "/admin/users", "nav.users")
        .link(ui, "/audit", "nav.audit")
        .link(ui, "/coverage", "my.coverage.open");
    Ok(vec![platform, rounds_panel(s, ui).await?])
}

/// Residents' requests and complaints in the caller's queues (a street's, an
/// organization's): the newest five of each, with their state.
async fn resident_panels(s: &AppState, ui: &Ui, caller: &Caller) -> Result<Vec<Panel>, AppError> {
    if !crate::requests::service::has_queue(caller) {
        return Ok(vec![]);
    }
    let five = Some(ROWS.to_string());
    let rq = crate::requests::service::QueueQuery {
        per_page: five.clone(),
        ..Default::default()
    };
    let (page, _) = crate::requests::service::queue(s, caller, &rq).await?;
    let mut requests = Panel::new(ui, "req.panel.title", "req.queue.empty").counted_total(ui, page.total);
    for l in &page.items {
        let r = &l.request;
        requests = requests.line(
            format!("/requests/{}", r.id),
            r.number.clone(),
            r.state.label(ui.lang),
        );
    }
    requests = requests.link(ui, "/requests", "req.panel.all");
    let cq = crate::complaints::service::QueueQuery {
        per_page: five,
        ..Default::default()
    };
    let (_, page, _) = crate::complaints::service::queue(s, caller, &cq).await?;
    let mut complaints =
        Panel::new(ui, "cmp.panel.title", "cmp.queue.empty").counted_total(ui, page.total);
    let now = chrono::Utc::now();
    for l in &page.items {
        let c = &l.complaint;
        let mut note = format!("{} · {}", l.organization_name, c.state.label(ui.lang));
        if shuniu_domain::complaints::is_overdue(c.state, c.due_at, now) {
            note = format!("{note} · {}", ui.t("cmp.overdue"));
        }
        complaints = complaints.line(format!("/complaints/{}", c.id), c.number.clone(), note);
    }
    complaints = complaints.link(ui, "/complaints", "cmp.panel.all");
    Ok(vec![requests, complaints])
}
