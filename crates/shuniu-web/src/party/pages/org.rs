//! An organization's party building: its page and form.

use super::*;

pub struct InstructorLine {
    pub name: String,
    pub workplace: String,
    pub phone: String,
}

#[derive(Template)]
#[template(path = "party/party_org.html")]
pub(super) struct PartyPage {
    ui: Ui,
    crumbs: Vec<Crumb>,
    title: String,
    id: String,
    party_org: &'static str,
    party_members: String,
    instructor: Option<InstructorLine>,
    org_covered: bool,
    work_covered: bool,
    can_edit: bool,
    fields: Vec<Field>,
    summary: Vec<SummaryItem>,
    banner: Option<String>,
    no_instructors: bool,
}

pub(super) async fn party_view(
    s: &AppState,
    ui: &Ui,
    caller: &Caller,
    id: Uuid,
    typed: Option<&PartyBuildingDraft>,
    errors: &FieldErrors,
    banner: Option<String>,
) -> Result<PartyPage, AppError> {
    let v = party::view(&s.store, caller, id).await?;
    let lang = ui.lang;
    let d = &v.org.data;
    let mut fields = vec![];
    let mut no_instructors = false;
    if v.can_edit {
        let stored = PartyBuildingDraft {
            party_org: Some(d.party_org.as_str().into()),
            party_members: Some(d.party_members.to_string()),
            instructor_id: v.instructor.as_ref().map(|i| i.id.to_string()),
        };
        let draft = typed.unwrap_or(&stored);
        let s_ = |o: &Option<String>| o.clone().unwrap_or_default();
        let mut choices = party::instructor_choices(&s.store, &v.scope).await?;
        // The select holds the district's first 200 by name: keep the assigned one
        // selectable, or saving the form would silently unassign them.
        if let Some(i) = &v.instructor
            && !choices.iter().any(|c| c.id == i.id)
        {
            choices.push(i.clone());
        }
        no_instructors = choices.is_empty();
        let current = s_(&draft.instructor_id);
        let mut opts = vec![Opt::new(
            "",
            ui.t("cov.party.no_instructor"),
            current.trim().is_empty(),
        )];
        for i in &choices {
            let text = if i.data.workplace.is_empty() {
                i.data.name.clone()
            } else {
                format!("{}（{}）", i.data.name, i.data.workplace)
            };
            opts.push(Opt::new(
                i.id.to_string(),
                text,
                i.id.to_string() == current.trim(),
            ));
        }
        let members = labels::field(ui, COV, "party_members", "input", errors)
            .value(&draft.party_members)
            .numeric()
            .hint(ui.t("cov.party.hint.members"));
        fields = vec![
            labels::field(ui, COV, "party_org", "select", errors)
                .required()
                .options(options(
                    PartyOrg::ALL,
                    PartyOrg::as_str,
                    |x| x.label(lang).into(),
                    &s_(&draft.party_org),
                    None,
                )),
            members,
            labels::field(ui, COV, "instructor_id", "select", errors)
                .options(opts)
                .hint(ui.t("cov.party.hint.instructor"))
                .wide(),
        ];
    }
    let instructor = v.instructor.as_ref().map(|i| InstructorLine {
        name: i.data.name.clone(),
        workplace: i.data.workplace.clone(),
        phone: v.instructor_phone().unwrap_or_default(),
    });
    Ok(PartyPage {
        crumbs: vec![
            Crumb::home(ui),
            Crumb::organizations(ui),
            Crumb::new(d.name.clone(), format!("/organizations/{}", v.org.id)),
        ],
        ui: ui.clone(),
        title: ui.tf("cov.party.title", &[&d.name]),
        id: v.org.id.to_string(),
        party_org: d.party_org.label(lang),
        party_members: d.party_members.to_string(),
        org_covered: org_covered(d.party_org),
        work_covered: work_covered(d.party_org, v.instructor.is_some()),
        instructor,
        can_edit: v.can_edit,
        fields,
        summary: labels::summary(ui, COV, errors, &PARTY_FIELDS),
        banner,
        no_instructors,
    })
}

/// `GET /organizations/{id}/party`
pub(super) async fn party_page(
    State(s): State<AppState>,
    ui: Ui,
    caller: Caller,
    RecordId(id): RecordId,
) -> PageResult {
    let ui = ui.with_nav("orgs");
    let page = party_view(&s, &ui, &caller, id, None, &FieldErrors::new(), None).await?;
    Ok(render(StatusCode::OK, &page))
}

/// `POST /organizations/{id}/party` (form): 303 back to the page, or the form again.
pub(super) async fn party_post(
    State(s): State<AppState>,
    ui: Ui,
    caller: Caller,
    RecordId(id): RecordId,
    CheckedForm(draft): CheckedForm<PartyBuildingDraft>,
) -> PageResult {
    let ui = ui.with_nav("orgs");
    let (errors, banner, status) =
        match party::set(&s.store, &caller, id, &draft, FieldErrors::new()).await {
            Ok(o) => return Ok(see_other(&format!("/organizations/{}/party", o.id))),
            Err(AppError::Validation(f)) => (f, None, StatusCode::UNPROCESSABLE_ENTITY),
            Err(AppError::State(_)) => (
                FieldErrors::new(),
                Some(ui.t("cov.party.state_conflict").to_string()),
                StatusCode::CONFLICT,
            ),
            Err(e) => return Err(e.into()),
        };
    let page = party_view(&s, &ui, &caller, id, Some(&draft), &errors, banner).await?;
    Ok(render(status, &page))
}
