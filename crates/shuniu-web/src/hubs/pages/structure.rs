//! The structure pages: a district's 一核两轴, a street's 1+1+X, naming the core.

use super::*;

/// A text of the diagram (askama escapes it).
pub struct StreetRow {
    pub href: String,
    pub place: String,
    pub hub_href: Option<String>,
    pub hub: String,
    pub members: String,
    pub organizations: String,
    /// Members and organizations in one line (the phone layout's card).
    pub count: String,
    /// A street without a service park (marked on the diagram and its phone layout).
    pub no_park: bool,
}

pub struct IndustryRow {
    pub href: String,
    pub name: String,
    pub base_body: String,
    pub fields: String,
    pub members: String,
}

#[derive(Template)]
#[template(path = "hubs/structure_district.html")]
pub(super) struct DistrictPage {
    ui: Ui,
    code: String,
    name: String,
    diagram: Diagram,
    core: String,
    streets: Vec<StreetRow>,
    industry: Vec<IndustryRow>,
    organizations: String,
    can_set_core: bool,
    core_fields: Vec<Field>,
    summary: Vec<SummaryItem>,
}

pub struct VenueRow {
    pub href: String,
    pub name: String,
    pub address: String,
    pub area: String,
}

pub struct XRow {
    pub href: String,
    pub name: String,
    pub initiating: bool,
}

#[derive(Template)]
#[template(path = "hubs/structure_street.html")]
pub(super) struct StreetPage {
    ui: Ui,
    diagram: Diagram,
    title: String,
    name: String,
    district_href: Option<String>,
    venues: Vec<VenueRow>,
    hub_href: Option<String>,
    hub_name: String,
    hub_members: String,
    members: Vec<XRow>,
    organizations: String,
}

#[derive(Debug, Default, Clone, Deserialize)]
pub struct CoreForm {
    pub name_zh: Option<String>,
    pub name_en: Option<String>,
}

pub(super) fn district_page(
    ui: &Ui,
    caller: &Caller,
    d: &DistrictStructure,
    form: &CoreForm,
    errors: &FieldErrors,
) -> DistrictPage {
    let lang = ui.lang;
    let mut streets: Vec<StreetRow> = d
        .district_hubs
        .iter()
        .map(|h| StreetRow {
            href: format!("/jurisdictions/{}", d.district.code),
            place: format!(
                "{} ({})",
                d.district.name(lang),
                ui.t("structure.district_level")
            ),
            hub_href: Some(format!("/hubs/{}", h.id)),
            hub: h.organization_name.clone(),
            members: fmt_int(h.member_count),
            organizations: fmt_int(d.organizations),
            count: ui.tf("structure.members_n", &[&fmt_int(h.member_count)]),
            no_park: false,
        })
        .collect();
    streets.extend(d.streets.iter().map(|s| {
        StreetRow {
            href: format!("/structure/{}", s.street.code),
            place: s.street.name(lang).to_string(),
            hub_href: s.hub.as_ref().map(|h| format!("/hubs/{}", h.id)),
            hub: s
                .hub
                .as_ref()
                .map(|h| h.organization_name.clone())
                .unwrap_or_else(|| ui.t("structure.no_hub").to_string()),
            members: s
                .hub
                .as_ref()
                .map(|h| fmt_int(h.member_count))
                .unwrap_or_else(|| "—".into()),
            organizations: fmt_int(s.organizations),
            count: match &s.hub {
                Some(h) => ui.tf(
                    "structure.members_orgs",
                    &[&fmt_int(h.member_count), &fmt_int(s.organizations)],
                ),
                None => ui.tf("structure.orgs_n", &[&fmt_int(s.organizations)]),
            },
            no_park: !s.park,
        }
    }));
    let industry = d
        .industry
        .iter()
        .map(|h| IndustryRow {
            href: format!("/hubs/{}", h.id),
            name: h.organization_name.clone(),
            base_body: h.recognition.base_body.clone(),
            fields: labels(lang, &h.recognition.fields(), ServiceDomain::label)
                .join(lang.pick("、", ", ")),
            members: fmt_int(h.member_count),
        })
        .collect();
    let path = &d.district.path;
    let can_set_core = caller
        .decide(
            Action::Recognize,
            &Resource::NewHub {
                jurisdiction_path: Some(path),
            },
        )
        .is_allowed();
    let (zh, en) = match (&form.name_zh, &form.name_en, &d.core) {
        (None, None, Some(c)) => (Some(c.name_zh.clone()), Some(c.name_en.clone())),
        _ => (form.name_zh.clone(), form.name_en.clone()),
    };
    DistrictPage {
        ui: ui.clone(),
        code: d.district.code.to_string(),
        name: d.district.name(lang).to_string(),
        diagram: district_diagram(ui, d),
        core: d
            .core
            .as_ref()
            .map(|c| lang.pick(&c.name_zh, &c.name_en).to_string())
            .unwrap_or_else(|| ui.t("structure.no_core").to_string()),
        streets,
        industry,
        organizations: ui.tf("structure.organizations", &[&fmt_int(d.organizations)]),
        can_set_core,
        core_fields: core_fields(ui, &zh, &en, errors),
        summary: summary(ui, errors, &CORE_FIELDS),
    }
}

const CORE_FIELDS: [&str; 2] = ["name_zh", "name_en"];

/// The form that names the district's core: its two names.
pub(super) fn core_fields(
    ui: &Ui,
    zh: &Option<String>,
    en: &Option<String>,
    errors: &FieldErrors,
) -> Vec<Field> {
    vec![
        field(ui, "name_zh", "input", errors).value(zh).required(),
        field(ui, "name_en", "input", errors).value(en).required(),
    ]
}

pub(super) fn street_page(ui: &Ui, s: &StreetStructure) -> StreetPage {
    let lang = ui.lang;
    StreetPage {
        ui: ui.clone(),
        diagram: street_diagram(ui, s),
        title: ui.tf("structure.street_title", &[s.street.name(lang)]),
        name: s.street.name(lang).to_string(),
        district_href: s.street.parent.as_ref().map(|p| format!("/structure/{p}")),
        venues: s
            .venues
            .iter()
            .map(|v| VenueRow {
                href: format!("/venues/{}", v.id),
                name: v.data.name.clone(),
                address: v.data.address.clone(),
                area: ui.tf("structure.area", &[&fmt_int(v.data.area_m2.into())]),
            })
            .collect(),
        hub_href: s.hub.as_ref().map(|h| format!("/hubs/{}", h.id)),
        hub_name: s
            .hub
            .as_ref()
            .map(|h| h.organization_name.clone())
            .unwrap_or_else(|| ui.t("structure.no_hub").to_string()),
        hub_members: s
            .hub
            .as_ref()
            .map(|h| ui.tf("structure.members_n", &[&fmt_int(h.member_count)]))
            .unwrap_or_default(),
        members: s
            .members
            .iter()
            .map(|m| XRow {
                href: format!("/organizations/{}", m.organization_id),
                name: m.organization_name.clone(),
                initiating: m.initiating,
            })
            .collect(),
        organizations: ui.tf("structure.street_orgs", &[&fmt_int(s.organizations)]),
    }
}

/// `GET /structure/{code}`: a district's 一核两轴 or a street's 1+1+X.
pub async fn structure(
    State(s): State<AppState>,
    ui: Ui,
    caller: Caller,
    PathCode(code): PathCode,
) -> PageResult {
    let ui = ui.with_nav("hubs");
    Ok(match hubs::structure(&s.store, code.trim()).await? {
        Structure::District(d) => render(
            StatusCode::OK,
            &district_page(&ui, &caller, &d, &CoreForm::default(), &FieldErrors::new()),
        ),
        Structure::Street(st) => render(StatusCode::OK, &street_page(&ui, &st)),
    })
}

/// `POST /structure/{code}/core`
pub async fn set_core(
    State(s): State<AppState>,
    ui: Ui,
    caller: Caller,
    PathCode(code): PathCode,
    CheckedForm(form): CheckedForm<CoreForm>,
) -> PageResult {
    let ui = ui.with_nav("hubs").at(format!("/structure/{code}"));
    let code = code.trim().to_string();
    match hubs::set_core(&s.store, &code, &form.name_zh, &form.name_en, &caller).await {
        Ok(_) => Ok(see_other(&format!("/structure/{code}"))),
        Err(AppError::Validation(f)) => match hubs::structure(&s.store, &code).await? {
            Structure::District(d) => Ok(render(
                StatusCode::UNPROCESSABLE_ENTITY,
                &district_page(&ui, &caller, &d, &form, &f),
            )),
            Structure::Street(_) => Err(AppError::NotFound.into()),
        },
        Err(e) => Err(e.into()),
    }
}
