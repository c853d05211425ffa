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
    crumbs: Vec<Crumb>,
    place: String,
    places: Vec<Opt>,
    rows: Vec<InstructorRow>,
    count_line: String,
    prev: Option<String>,
    next: Option<String>,
    can_manage: bool,
    /// The register of the jurisdiction as CSV and Excel.
    downloads: crate::kit::export::Links,
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
    let (prev, next) =
        crate::kit::paging::links("/instructors", &format!("jurisdiction={code}"), &l.page);
    let mut fields = vec![];
    if l.can_manage {
        let blank = InstructorDraft {
            jurisdiction: Some(code.clone()),
            ..Default::default()
        };
        let d = typed.unwrap_or(&blank);
        let mut phone = labels::field(ui, COV, "phone", "input", errors).value(&d.phone);
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
            labels::field(ui, COV, "name", "input", errors)
                .value(&d.name)
                .required(),
            phone,
            labels::field(ui, COV, "jurisdiction", "select", errors)
                .required()
                .options(jurisdiction_options(
                    &mine,
                    lang,
                    d.jurisdiction.as_deref().unwrap_or_default(),
                    ui.t("form.choose"),
                )),
            labels::field(ui, COV, "workplace", "input", errors).value(&d.workplace),
        ];
    }
    Ok(InstructorsPage {
        crumbs: vec![
            Crumb::home(ui),
            Crumb::new(
                l.jurisdiction.name(lang),
                format!("/coverage/{}", l.jurisdiction.code),
            ),
        ],
        ui: ui.clone(),
        place: l.jurisdiction.name(lang).to_string(),
        places: jurisdiction_options(&nodes, lang, &code, ui.t("form.choose")),
        rows,
        count_line: ui.tf(
            "cov.instr.count",
            &[&crate::kit::paging::total_text(ui, l.page.total)],
        ),
        prev,
        next,
        can_manage: l.can_manage,
        downloads: crate::kit::export::Links::new(
            ui,
            "/instructors",
            &format!("jurisdiction={code}"),
        ),
        fields,
        summary: labels::summary(ui, COV, errors, &INSTRUCTOR_FIELDS),
    })
}

/// `GET /instructors?jurisdiction=`
pub(super) async fn instructors_page(
    State(s): State<AppState>,
    ui: Ui,
    caller: Caller,
    q: Result<Query<InstructorQuery>, axum::extract::rejection::QueryRejection>,
) -> PageResult {
    let Query(q) = q.map_err(|_| AppError::BadRequest("query".into()))?;
    match instructors_view(&s, &ui, &caller, &q, None, &FieldErrors::new()).await {
        Ok(p) => Ok(render(StatusCode::OK, &p)),
        Err(AppError::Validation(f)) => {
            // A bad filter: the caller's own list, with the problem named.
            let mut page =
                instructors_view(&s, &ui, &caller, &Default::default(), None, &f).await?;
            page.summary = labels::summary(&ui, COV, &f, &INSTRUCTOR_QUERY);
            Ok(render(StatusCode::UNPROCESSABLE_ENTITY, &page))
        }
        Err(e) => Err(e.into()),
    }
}

/// `POST /instructors` (form): 303 to the list of its jurisdiction, or the form again.
pub(super) async fn instructors_post(
    State(s): State<AppState>,
    ui: Ui,
    caller: Caller,
    CheckedForm(draft): CheckedForm<InstructorDraft>,
) -> PageResult {
    let ui = ui.at("/instructors");
    match party::create_instructor(&s.store, &caller, &draft, FieldErrors::new()).await {
        Ok(i) => Ok(see_other(&format!(
            "/instructors?jurisdiction={}",
            i.data.jurisdiction
        ))),
        Err(AppError::Validation(f)) => {
            let q = InstructorQuery {
                jurisdiction: draft.jurisdiction.clone(),
                ..Default::default()
            };
            let page = match instructors_view(&s, &ui, &caller, &q, Some(&draft), &f).await {
                Err(AppError::Validation(_)) => {
                    instructors_view(&s, &ui, &caller, &Default::default(), Some(&draft), &f).await
                }
                page => page,
            }?;
            Ok(render(StatusCode::UNPROCESSABLE_ENTITY, &page))
        }
        Err(e) => Err(e.into()),
    }
}
