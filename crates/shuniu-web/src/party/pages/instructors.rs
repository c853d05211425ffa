//! The instructors: the list and the form.

use super::*;

pub struct InstructorRow {
    pub name: String,
    pub phone: String,
    pub jurisdiction: String,
    pub workplace: String,
    pub organizations: String,
}

#[derive(Template)]
#[template(path = "party/party_instructors.html")]
pub(super) struct InstructorsPage {
    ui: Ui,
    place: String,
    code: String,
    places: Vec<Opt>,
    rows: Vec<InstructorRow>,
    count_line: String,
    prev: Option<String>,
    next: Option<String>,
    can_manage: bool,
    fields: Vec<Field>,
    summary: Vec<SummaryItem>,
}

pub(super) async fn instructors_view(
    s: &AppState,
    ui: &Ui,
    caller: &Caller,
    q: &InstructorQuery,
    typed: Option<&InstructorDraft>,
    errors: &FieldErrors,
) -> Result<InstructorsPage, AppError> {
    let l = party::instructors(&s.store, caller, q).await?;
    let lang = ui.lang;
    let nodes = tree(&s.store, Level::Street).await?;
    let names: HashMap<&str, &str> = nodes
        .iter()
        .map(|j| (j.code.as_str(), j.name(lang)))
        .collect();
    let code = l.jurisdiction.code.to_string();
    let rows = l
        .page
        .items
        .iter()
        .map(|i| InstructorRow {
            name: i.data.name.clone(),
            phone: i
                .data
                .phone
                .as_ref()
                .map(|p| {
                    if l.can_manage {
                        p.to_string()
                    } else {
                        p.masked()
                    }
                })
                .unwrap_or_default(),
            jurisdiction: names
                .get(i.data.jurisdiction.as_str())
                .map(|n| n.to_string())
                .unwrap_or_else(|| i.data.jurisdiction.to_string()),
            workplace: i.data.workplace.clone(),
            organizations: fmt_int(i.organizations),
        })
        .collect();
    let pages = l.page.pages().max(1);
    let href = |n: u32| format!("/instructors?jurisdiction={code}&page={n}");
    let mut fields = vec![];
    if l.can_manage {
        let blank = InstructorDraft {
            jurisdiction: Some(code.clone()),
            ..Default::default()
        };
        let d = typed.unwrap_or(&blank);
        let mut phone = field(ui, "phone", "input", errors).value(&d.phone);
        phone.input_type = "tel";
        phone.autocomplete = "tel";
        // Only nodes the caller keeps instructors for are offered.
        let mine: Vec<Jurisdiction> = nodes
            .iter()
            .filter(|j| {
                caller
                    .decide(
                        Action::ManageInstructors,
                        &Resource::Jurisdiction { path: &j.path },
                    )
                    .is_allowed()
            })
            .cloned()
            .collect();
        fields = vec![
            field(ui, "name", "input", errors).value(&d.name).required(),
            phone,
            field(ui, "jurisdiction", "select", errors)
                .required()
                .options(jurisdiction_options(
                    &mine,
                    lang,
                    d.jurisdiction.as_deref().unwrap_or_default(),
                    ui.t("form.choose"),
                )),
            field(ui, "workplace", "input", errors).value(&d.workplace),
        ];
    }
    Ok(InstructorsPage {
        ui: ui.clone(),
        place: l.jurisdiction.name(lang).to_string(),
        code: code.clone(),
        places: jurisdiction_options(&nodes, lang, &code, ui.t("form.choose")),
        rows,
        count_line: ui.tf(
            "cov.instr.summary",
            &[
                &fmt_int(l.page.total),
                &l.page.page.to_string(),
                &pages.to_string(),
            ],
        ),
        prev: (l.page.page > 1).then(|| href((l.page.page - 1).min(pages))),
        next: (l.page.page < pages).then(|| href(l.page.page + 1)),
        can_manage: l.can_manage,
        fields,
        summary: summary(ui, errors, &["name", "phone", "jurisdiction", "workplace"]),
    })
}

/// `GET /instructors?jurisdiction=`
pub(super) async fn instructors_page(
    State(s): State<AppState>,
    ui: Ui,
    caller: Caller,
    q: Result<Query<InstructorQuery>, axum::extract::rejection::QueryRejection>,
) -> Response {
    let Ok(Query(q)) = q else {
        return error_page(&ui, &AppError::BadRequest("query".into()));
    };
    match instructors_view(&s, &ui, &caller, &q, None, &FieldErrors::new()).await {
        Ok(p) => render(StatusCode::OK, &p),
        Err(AppError::Validation(f)) => {
            // A bad filter: the caller's own list, with the problem named.
            let mut page =
                match instructors_view(&s, &ui, &caller, &Default::default(), None, &f).await {
                    Ok(p) => p,
                    Err(e) => return error_page(&ui, &e),
                };
            page.summary = summary(&ui, &f, &["jurisdiction", "page", "per_page"]);
            render(StatusCode::UNPROCESSABLE_ENTITY, &page)
        }
        Err(e) => error_page(&ui, &e),
    }
}

/// `POST /instructors` (form): 303 to the list of its jurisdiction, or the form again.
pub(super) async fn instructors_post(
    State(s): State<AppState>,
    ui: Ui,
    caller: Caller,
    form: Result<CsrfForm<InstructorDraft>, ()>,
) -> Response {
    let ui = ui.at("/instructors");
    let Ok(CsrfForm(draft, token)) = form else {
        return error_page(&ui, &AppError::BadRequest("form".into()));
    };
    if let Err(e) = check_csrf(&caller, token.as_deref()) {
        return error_page(&ui, &e);
    }
    match party::create_instructor(&s.store, &caller, &draft, FieldErrors::new()).await {
        Ok(i) => see_other(&format!(
            "/instructors?jurisdiction={}",
            i.data.jurisdiction
        )),
        Err(AppError::Validation(f)) => {
            let q = InstructorQuery {
                jurisdiction: draft.jurisdiction.clone(),
                ..Default::default()
            };
            let page = match instructors_view(&s, &ui, &caller, &q, Some(&draft), &f).await {
                Ok(p) => Ok(p),
                Err(AppError::Validation(_)) => {
                    instructors_view(&s, &ui, &caller, &Default::default(), Some(&draft), &f).await
                }
                Err(e) => Err(e),
            };
            match page {
                Ok(p) => render(StatusCode::UNPROCESSABLE_ENTITY, &p),
                Err(e) => error_page(&ui, &e),
            }
        }
        Err(e) => error_page(&ui, &e),
    }
}
