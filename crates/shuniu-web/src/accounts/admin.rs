//! Account administration (platform admins only): the list of users, creating one
//! with a temporary password, disabling and enabling, resetting a password.

use askama::Template;
use axum::extract::{Query, State};
use axum::http::StatusCode;
use serde::Deserialize;
use shuniu_domain::FieldErrors;
use shuniu_domain::access::Role;
use shuniu_domain::jurisdiction::Level;
use uuid::Uuid;

use crate::accounts::{self, UserDraft};
use crate::auth::Caller;
use crate::kit::extract::{CheckedForm, NoFields, RecordId};
use crate::kit::forms::{Field, SummaryItem, summary};
use crate::kit::ui::{Ui, render, see_other};
use crate::kit::view::{Crumb, jurisdiction_options, options, tree};
use crate::{AppError, AppState, PageResult, local_time};

const PER_PAGE: u32 = 25;

pub struct UserRow {
    pub id: String,
    pub username: String,
    pub display_name: String,
    pub role: &'static str,
    /// The bound jurisdiction's or organization's name, and the organization's page.
    pub binding: String,
    pub binding_href: Option<String>,
    pub state: &'static str,
    pub state_class: &'static str,
    pub disabled: bool,
    pub is_me: bool,
    pub created: String,
}

#[derive(Template)]
#[template(path = "accounts/users.html")]
struct UsersPage {
    ui: Ui,
    rows: Vec<UserRow>,
    summary: String,
    prev: Option<String>,
    next: Option<String>,
    notice: Option<&'static str>,
}

#[derive(Deserialize, Default)]
pub struct UsersQuery {
    cursor: Option<String>,
    page: Option<String>,
    done: Option<String>,
}

/// `GET /admin/users?cursor=` (or `page=N` within the first 10,000)
pub async fn users(
    State(s): State<AppState>,
    ui: Ui,
    caller: Caller,
    q: Result<Query<UsersQuery>, axum::extract::rejection::QueryRejection>,
) -> PageResult {
    let ui = ui.with_nav("users");
    let q = q.map(|Query(q)| q).unwrap_or_default();
    let mut e = FieldErrors::new();
    let paging = crate::kit::paging::asked(&mut e, &q.cursor, &q.page, &None, (PER_PAGE, PER_PAGE));
    if !e.is_empty() {
        return Err(AppError::Validation(e).into());
    }
    let p = accounts::list_users(&s.store, &caller, paging.position().0, PER_PAGE).await?;
    // The page's bindings by name, one query for organizations and one for places.
    let org_ids: Vec<uuid::Uuid> = p.items.iter().filter_map(|u| u.organization_id).collect();
    let codes: Vec<&str> = p
        .items
        .iter()
        .filter_map(|u| u.jurisdiction_code.as_deref())
        .collect();
    let (org_names, places) = (
        s.store.organization_names(&org_ids).await?,
        s.store.jurisdictions_by_codes(&codes).await?,
    );
    let place_names: std::collections::HashMap<&str, &str> = places
        .iter()
        .map(|j| (j.code.as_str(), j.name(ui.lang)))
        .collect();
    let now = chrono::Utc::now();
    let me = caller.user.as_ref().map(|u| u.id);
    let rows = p
        .items
        .iter()
        .map(|u| {
            let locked = u.login.locked_until.is_some_and(|t| t > now);
            let (state, class) = if u.disabled {
                (ui.t("user.state.disabled"), "off")
            } else if locked {
                (ui.t("user.state.locked"), "warn")
            } else if u.must_change_password {
                (ui.t("user.state.must_change"), "warn")
            } else {
                (ui.t("user.state.active"), "ok")
            };
            let (binding, binding_href) = match (&u.jurisdiction_code, u.organization_id) {
                (Some(code), _) => (
                    place_names
                        .get(code.as_str())
                        .map_or_else(|| code.clone(), |n| n.to_string()),
                    None,
                ),
                (None, Some(o)) => (
                    org_names.get(&o).cloned().unwrap_or_else(|| o.to_string()),
                    Some(format!("/organizations/{o}")),
                ),
                (None, None) => ("—".into(), None),
            };
            UserRow {
                id: u.id.to_string(),
                username: u.username.clone(),
                display_name: u.display_name.clone(),
                role: u.role.label(ui.lang),
                binding,
                binding_href,
                state,
                state_class: class,
                disabled: u.disabled,
                is_me: me == Some(u.id),
                created: local_time(u.created_at),
            }
        })
        .collect();
    let (prev, next) = crate::kit::paging::links("/admin/users", "", &p);
    let notice = match q.done.as_deref() {
        Some("created") => Some(ui.t("user.created")),
        Some("disabled") => Some(ui.t("user.disabled_notice")),
        Some("enabled") => Some(ui.t("user.enabled_notice")),
        Some("reset") => Some(ui.t("user.reset_notice")),
        _ => None,
    };
    let page = UsersPage {
        summary: ui.tf(
            "users.summary",
            &[&crate::kit::paging::total_text(&ui, p.total)],
        ),
        ui,
        rows,
        prev,
        next,
        notice,
    };
    Ok(render(StatusCode::OK, &page))
}

#[derive(Template)]
#[template(path = "accounts/user_form.html")]
struct UserFormPage {
    ui: Ui,
    crumbs: Vec<Crumb>,
    fields: Vec<Field>,
    summary: Vec<SummaryItem>,
}

/// The breadcrumbs of a page below the user list.
fn users_crumbs(ui: &Ui) -> Vec<Crumb> {
    vec![Crumb::new(ui.t("users.title"), "/admin/users")]
}

pub(super) const USER_FIELDS: [&str; 6] = [
    "username",
    "display_name",
    "role",
    "jurisdiction",
    "organization",
    "password",
];

#[derive(Deserialize, Default)]
pub struct UserForm {
    username: Option<String>,
    display_name: Option<String>,
    role: Option<String>,
    jurisdiction: Option<String>,
    organization: Option<String>,
    password: Option<String>,
}

impl UserForm {
    fn draft(&self) -> UserDraft {
        UserDraft {
            username: self.username.clone(),
            display_name: self.display_name.clone(),
            role: self.role.clone(),
            jurisdiction: self.jurisdiction.clone(),
            organization: self.organization.clone(),
            password: self.password.clone(),
        }
    }
}

async fn user_form_page(s: &AppState, ui: &Ui, d: &UserDraft, errors: &FieldErrors) -> PageResult {
    let lang = ui.lang;
    let nodes = tree(&s.store, Level::Community).await?;
    let v = |o: &Option<String>| o.clone().unwrap_or_default();
    let f = |name, kind| Field::new(ui, name, kind, errors);
    let mut password = f("password", "input")
        .required()
        .hint(ui.t("hint.temp_password"));
    password.input_type = "password";
    password.autocomplete = "new-password";
    let fields = vec![
        f("username", "input")
            .value(&d.username)
            .required()
            .hint(ui.t("hint.username")),
        f("display_name", "input").value(&d.display_name).required(),
        f("role", "select").required().options(options(
            &Role::ALL,
            Role::as_str,
            |r| r.label(lang).into(),
            &v(&d.role),
            Some(ui.t("form.choose")),
        )),
        f("jurisdiction", "select")
            .hint(ui.t("hint.user_jurisdiction"))
            .options(jurisdiction_options(
                &nodes,
                lang,
                &v(&d.jurisdiction),
                ui.t("form.choose"),
            )),
        f("organization", "input")
            .value(&d.organization)
            .hint(ui.t("hint.user_organization")),
        password,
    ];
    let status = if errors.is_empty() {
        StatusCode::OK
    } else {
        StatusCode::UNPROCESSABLE_ENTITY
    };
    Ok(render(
        status,
        &UserFormPage {
            crumbs: users_crumbs(ui),
            ui: ui.clone().with_nav("users"),
            summary: summary(ui, errors, &USER_FIELDS),
            fields,
        },
    ))
}

/// `GET /admin/users/new`
pub async fn new_user(State(s): State<AppState>, ui: Ui, caller: Caller) -> PageResult {
    accounts::require_admin(&caller)?;
    user_form_page(&s, &ui, &UserDraft::default(), &FieldErrors::new()).await
}

/// `POST /admin/users`: 303 to the list, or the form with its errors.
pub async fn create_user(
    State(s): State<AppState>,
    ui: Ui,
    caller: Caller,
    CheckedForm(f): CheckedForm<UserForm>,
) -> PageResult {
    let ui = ui.at("/admin/users/new");
    accounts::require_admin(&caller)?;
    let draft = f.draft();
    match accounts::create_user(&s, &caller, &draft).await {
        Ok(_) => Ok(see_other("/admin/users?done=created")),
        Err(AppError::Validation(errors)) => user_form_page(&s, &ui, &draft, &errors).await,
        Err(AppError::Conflict { .. }) => {
            let mut errors = FieldErrors::new();
            errors.add(
                "username",
                shuniu_domain::FieldError::new("该用户名已被使用", "is already taken"),
            );
            user_form_page(&s, &ui, &draft, &errors).await
        }
        Err(e) => Err(e.into()),
    }
}

async fn set_disabled(s: &AppState, caller: &Caller, id: Uuid, disabled: bool) -> PageResult {
    accounts::require_admin_over(caller, id)?;
    accounts::set_disabled(&s.store, caller, id, disabled).await?;
    Ok(see_other(if disabled {
        "/admin/users?done=disabled"
    } else {
        "/admin/users?done=enabled"
    }))
}

/// `POST /admin/users/{id}/disable`
pub async fn disable(
    State(s): State<AppState>,
    _: Ui,
    caller: Caller,
    RecordId(id): RecordId,
    CheckedForm(NoFields {}): CheckedForm<NoFields>,
) -> PageResult {
    set_disabled(&s, &caller, id, true).await
}

/// `POST /admin/users/{id}/enable`
pub async fn enable(
    State(s): State<AppState>,
    _: Ui,
    caller: Caller,
    RecordId(id): RecordId,
    CheckedForm(NoFields {}): CheckedForm<NoFields>,
) -> PageResult {
    set_disabled(&s, &caller, id, false).await
}

#[derive(Template)]
#[template(path = "accounts/user_reset.html")]
struct ResetPage {
    ui: Ui,
    crumbs: Vec<Crumb>,
    id: String,
    username: String,
    fields: Vec<Field>,
    summary: Vec<SummaryItem>,
}

#[derive(Deserialize, Default)]
pub struct ResetForm {
    password: Option<String>,
}

async fn reset_page(
    s: &AppState,
    ui: &Ui,
    caller: &Caller,
    id: Uuid,
    errors: &FieldErrors,
) -> PageResult {
    accounts::require_admin_over(caller, id)?;
    let u = s.store.user_by_id(id).await?.ok_or(AppError::NotFound)?;
    let mut password = Field::new(ui, "password", "input", errors)
        .required()
        .hint(ui.t("hint.temp_password"));
    password.input_type = "password";
    password.autocomplete = "new-password";
    let status = if errors.is_empty() {
        StatusCode::OK
    } else {
        StatusCode::UNPROCESSABLE_ENTITY
    };
    Ok(render(
        status,
        &ResetPage {
            crumbs: users_crumbs(ui),
            ui: ui.clone().with_nav("users"),
            id: u.id.to_string(),
            username: u.username,
            fields: vec![password],
            summary: summary(ui, errors, &["password"]),
        },
    ))
}

/// `GET /admin/users/{id}/password`
pub async fn reset_form(
    State(s): State<AppState>,
    ui: Ui,
    caller: Caller,
    RecordId(id): RecordId,
) -> PageResult {
    reset_page(&s, &ui, &caller, id, &FieldErrors::new()).await
}

/// `POST /admin/users/{id}/password`: a temporary password, changed at next sign-in.
pub async fn reset(
    State(s): State<AppState>,
    ui: Ui,
    caller: Caller,
    RecordId(id): RecordId,
    CheckedForm(f): CheckedForm<ResetForm>,
) -> PageResult {
    accounts::require_admin_over(&caller, id)?;
    let password = f.password.as_deref().unwrap_or("");
    match accounts::reset_password(&s, &caller, id, password).await {
        Ok(()) => Ok(see_other("/admin/users?done=reset")),
        Err(AppError::Validation(errors)) => reset_page(&s, &ui, &caller, id, &errors).await,
        Err(e) => Err(e.into()),
    }
}
