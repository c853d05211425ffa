//! Recognizing a hub: the form.

use super::*;

#[derive(Debug, Clone, Default, Deserialize)]
pub struct RecognitionForm {
    pub organization_id: Option<String>,
    pub kind: Option<String>,
    pub level: Option<String>,
    pub jurisdiction: Option<String>,
    pub base_body: Option<String>,
    #[serde(default)]
    pub fields: Vec<String>,
    pub recognizing_body: Option<String>,
    pub document_number: Option<String>,
    pub recognized_on: Option<String>,
    #[serde(default)]
    pub functions: Vec<String>,
}

impl RecognitionForm {
    pub(super) fn input(&self) -> RecognitionInput {
        RecognitionInput {
            organization_id: self.organization_id.clone(),
            draft: RecognitionDraft {
                kind: self.kind.clone(),
                level: self.level.clone(),
                jurisdiction: self.jurisdiction.clone(),
                base_body: self.base_body.clone(),
                fields: self.fields.clone(),
                recognizing_body: self.recognizing_body.clone(),
                document_number: self.document_number.clone(),
                recognized_on: self.recognized_on.clone(),
                functions: self.functions.clone(),
            },
        }
    }
}

#[derive(Template)]
#[template(path = "hubs/hub_form.html")]
pub(super) struct FormPage {
    ui: Ui,
    org_name: Option<String>,
    fields: Vec<Field>,
    summary: Vec<SummaryItem>,
}

pub(super) async fn form_page(
    s: &AppState,
    ui: &Ui,
    form: &RecognitionForm,
    errors: &FieldErrors,
    status: StatusCode,
) -> PageResult {
    let nodes = tree(&s.store, Level::Street).await?;
    let org_name = match form
        .organization_id
        .as_deref()
        .and_then(|x| Uuid::parse_str(x.trim()).ok())
    {
        Some(id) => s
            .store
            .organization(id)
            .await
            .ok()
            .flatten()
            .map(|o| o.data.name),
        None => None,
    };
    let page = FormPage {
        ui: ui.clone(),
        org_name,
        fields: recognition_fields(ui, form, errors, &nodes),
        summary: summary(ui, errors, shuniu_domain::hubs::RECOGNITION_FIELDS),
    };
    Ok(render(status, &page))
}

/// The controls of the recognition form, `nodes` the places to choose from.
pub(super) fn recognition_fields(
    ui: &Ui,
    form: &RecognitionForm,
    errors: &FieldErrors,
    nodes: &[shuniu_domain::jurisdiction::Jurisdiction],
) -> Vec<Field> {
    let lang = ui.lang;
    let v = |o: &Option<String>| o.clone().unwrap_or_default();
    let f = |name, kind| field(ui, name, kind, errors);
    let checks = |all: Vec<(&'static str, &'static str)>, chosen: &[String]| -> Vec<Opt> {
        all.into_iter()
            .map(|(c, l)| Opt::new(c, l, chosen.iter().any(|x| x.trim() == c)))
            .collect()
    };
    vec![
        f("organization_id", "input")
            .value(&form.organization_id)
            .required()
            .wide()
            .hint(ui.t("hubs.hint.organization_id")),
        f("kind", "radios").required().options(options(
            HubKind::ALL,
            HubKind::as_str,
            |x| x.label(lang).into(),
            &v(&form.kind),
            None,
        )),
        f("level", "select").required().options(options(
            HubLevel::ALL,
            HubLevel::as_str,
            |x| x.label(lang).into(),
            &v(&form.level),
            Some(ui.t("form.choose")),
        )),
        f("jurisdiction", "select")
            .required()
            .hint(ui.t("hubs.hint.jurisdiction"))
            .options(jurisdiction_options(
                nodes,
                lang,
                &v(&form.jurisdiction),
                ui.t("form.choose"),
            )),
        f("base_body", "input")
            .value(&form.base_body)
            .wide()
            .hint(ui.t("hubs.hint.base_body")),
        f("fields", "checks")
            .wide()
            .hint(ui.t("hubs.hint.fields"))
            .options(checks(
                ServiceDomain::ALL
                    .iter()
                    .map(|d| (d.as_str(), d.label(lang)))
                    .collect(),
                &form.fields,
            )),
        f("recognizing_body", "input")
            .value(&form.recognizing_body)
            .required(),
        f("document_number", "input")
            .value(&form.document_number)
            .required(),
        f("recognized_on", "input")
            .value(&form.recognized_on)
            .required()
            .date(),
        f("functions", "checks").required().wide().options(checks(
            HubFunction::ALL
                .iter()
                .map(|d| (d.as_str(), d.label(lang)))
                .collect(),
            &form.functions,
        )),
    ]
}

#[derive(Debug, Default, Deserialize)]
pub struct NewQuery {
    pub organization: Option<String>,
}

/// `GET /hubs/new?organization=<id>`
pub async fn new(
    State(s): State<AppState>,
    ui: Ui,
    caller: Caller,
    q: Result<Query<NewQuery>, QueryRejection>,
) -> PageResult {
    let ui = ui.with_nav("hubs");
    caller.require(
        Action::Recognize,
        &Resource::NewHub {
            jurisdiction_path: None,
        },
    )?;
    let org = q.ok().and_then(|Query(q)| q.organization);
    let mut form = RecognitionForm {
        organization_id: org,
        recognized_on: Some(today().to_string()),
        functions: HubFunction::ALL.iter().map(|f| f.as_str().into()).collect(),
        ..Default::default()
    };
    // Prefill the place from the organization's own registration.
    if let Some(id) = form
        .organization_id
        .as_deref()
        .and_then(|x| Uuid::parse_str(x.trim()).ok())
        && let Ok(Some(o)) = s.store.organization(id).await
    {
        form.jurisdiction = Some(o.data.jurisdiction.to_string());
    }
    form_page(&s, &ui, &form, &FieldErrors::new(), StatusCode::OK).await
}

/// `POST /hubs` (form): 303 to the new hub, or the form again with every error.
pub async fn create(
    State(s): State<AppState>,
    ui: Ui,
    caller: Caller,
    CheckedForm(form): CheckedForm<RecognitionForm>,
) -> PageResult {
    let ui = ui.with_nav("hubs").at("/hubs/new");
    match hubs::recognize(&s.store, &form.input(), FieldErrors::new(), &caller).await {
        Ok(h) => Ok(see_other(&format!("/hubs/{}", h.id))),
        Err(AppError::Validation(f)) => {
            form_page(&s, &ui, &form, &f, StatusCode::UNPROCESSABLE_ENTITY).await
        }
        Err(e) => Err(e.into()),
    }
}
