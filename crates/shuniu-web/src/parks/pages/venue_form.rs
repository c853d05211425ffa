//! The venue form: create and edit.

use super::*;

/// The venue form as posted (a checkbox left unchecked sends nothing).
#[derive(Debug, Default, Clone, Deserialize)]
pub struct VenueForm {
    pub hub_id: Option<String>,
    pub name: Option<String>,
    pub address: Option<String>,
    pub jurisdiction: Option<String>,
    pub area_m2: Option<String>,
    pub owner: Option<String>,
    pub free_of_charge: Option<String>,
    pub terms: Option<String>,
    pub utilities_waived: Option<String>,
    pub obligation: Option<String>,
    pub obligation_hours_per_quarter: Option<String>,
}

impl VenueForm {
    /// Every field present: a missing one is empty (an unchecked box is "no").
    pub(super) fn draft(&self) -> VenueDraft {
        let g = |v: &Option<String>| Some(v.clone().unwrap_or_default());
        VenueDraft {
            name: g(&self.name),
            address: g(&self.address),
            jurisdiction: g(&self.jurisdiction),
            area_m2: g(&self.area_m2),
            owner: g(&self.owner),
            free_of_charge: g(&self.free_of_charge),
            terms: g(&self.terms),
            utilities_waived: g(&self.utilities_waived),
            obligation: g(&self.obligation),
            obligation_hours_per_quarter: g(&self.obligation_hours_per_quarter),
        }
    }
    pub(super) fn of(d: &VenueDraft) -> Self {
        VenueForm {
            hub_id: None,
            name: d.name.clone(),
            address: d.address.clone(),
            jurisdiction: d.jurisdiction.clone(),
            area_m2: d.area_m2.clone(),
            owner: d.owner.clone(),
            free_of_charge: d.free_of_charge.clone(),
            terms: d.terms.clone(),
            utilities_waived: d.utilities_waived.clone(),
            obligation: d.obligation.clone(),
            obligation_hours_per_quarter: d.obligation_hours_per_quarter.clone(),
        }
    }
}

#[derive(Template)]
#[template(path = "parks/venue_form.html")]
pub(super) struct VenueFormPage {
    ui: Ui,
    heading: String,
    action: String,
    cancel: String,
    fields: Vec<Field>,
    summary: Vec<SummaryItem>,
}

/// Hubs this caller may create venues for, whether "no hub" is a choice, and whether
/// there are too many to list (over 200: a city's or province's officials), when the
/// hub's id is typed instead.
pub(super) async fn hub_choices(
    s: &AppState,
    caller: &Caller,
) -> Result<(Vec<(Uuid, String)>, bool, bool), AppError> {
    let Some(a) = caller.actor() else {
        return Ok((vec![], false, false));
    };
    match a.role {
        Role::HubStaff => {
            let own = match a.organization_id {
                Some(o) => s.store.hub_of_organization(o).await?,
                None => None,
            };
            Ok((
                own.into_iter()
                    .map(|h| (h.id, h.organization_name))
                    .collect(),
                false,
                false,
            ))
        }
        Role::Official | Role::Admin => {
            let filter = HubFilter {
                path_prefix: a.jurisdiction_path.clone(),
                ..Default::default()
            };
            let page = s.store.list_hubs(&filter, 1, 200).await?;
            if page.total > page.items.len() as i64 {
                return Ok((vec![], true, true));
            }
            Ok((
                page.items
                    .into_iter()
                    .map(|h| (h.id, h.organization_name))
                    .collect(),
                true,
                false,
            ))
        }
        _ => Ok((vec![], false, false)),
    }
}

/// At most this many places in the venue form's list: past it communities are left
/// out, and past it at street level the list is cut (a select must stay usable).
pub(super) const PLACE_CAP: usize = 1000;

/// The venue form's places: the caller's own area and below (an official's node, hub
/// staff's hub jurisdiction; admins the whole tree), down to communities when that fits
/// under [`PLACE_CAP`], else to streets. `current` is kept even when outside that area.
pub(super) async fn venue_places(
    s: &AppState,
    caller: &Caller,
    current: &str,
) -> Result<Vec<Jurisdiction>, AppError> {
    let role = caller.actor().map(|a| a.role);
    let own_code = match role {
        Some(Role::Official) => caller
            .user
            .as_ref()
            .and_then(|u| u.jurisdiction_code.clone()),
        Some(Role::HubStaff) => match caller.user.as_ref().and_then(|u| u.organization_id) {
            Some(o) => s
                .store
                .hub_of_organization(o)
                .await?
                .map(|h| h.recognition.jurisdiction.as_str().to_string()),
            None => None,
        },
        _ => None,
    };
    let roots = match (role, own_code) {
        (Some(Role::Admin), _) => s.store.jurisdiction_roots().await?,
        (_, Some(code)) => s.store.jurisdiction(&code).await?.into_iter().collect(),
        _ => vec![],
    };
    let mut out = Vec::new();
    for r in &roots {
        out.extend(s.store.jurisdiction_subtree(r, Level::Street).await?);
    }
    if out.len() > PLACE_CAP {
        out.truncate(PLACE_CAP);
    } else {
        let mut deep = Vec::new();
        for r in &roots {
            deep.extend(s.store.jurisdiction_subtree(r, Level::Community).await?);
        }
        if deep.len() <= PLACE_CAP {
            out = deep;
        }
    }
    let current = current.trim();
    // Only a well-formed code is looked up: what a form sends may be anything.
    if shuniu_domain::jurisdiction::JurisdictionCode::parse(current).is_ok()
        && !out.iter().any(|j| j.code.as_str() == current)
        && let Some(j) = s.store.jurisdiction(current).await?
    {
        out.insert(0, j);
    }
    Ok(out)
}

pub(super) async fn venue_form_page(
    s: &AppState,
    ui: &Ui,
    caller: &Caller,
    edit: Option<&Venue>,
    form: &VenueForm,
    errors: &FieldErrors,
    status: StatusCode,
) -> PageResult {
    let v = |o: &Option<String>| o.clone().unwrap_or_default();
    let nodes = venue_places(s, caller, &v(&form.jurisdiction)).await?;
    let f = |name, kind| field(ui, name, kind, errors);
    let flag = |name: &'static str, val: &Option<String>| {
        let on = shuniu_domain::parks::parse_flag(val);
        f(name, "checks").options(vec![Opt::new("on", ui.t("park.yes"), on)])
    };
    let mut fields = Vec::new();
    if edit.is_none() {
        let (hubs, none_ok, too_many) = hub_choices(s, caller).await?;
        let current = v(&form.hub_id);
        let mut opts = Vec::new();
        if none_ok {
            opts.push(Opt::new("", ui.t("park.none"), current.trim().is_empty()));
        }
        for (id, name) in hubs {
            let id = id.to_string();
            let sel = current.trim() == id;
            opts.push(Opt::new(id, name, sel));
        }
        let mut hub = if too_many {
            // Too many to list: the hub's id is typed (blank: no hub).
            f("hub_id", "input").value(&form.hub_id)
        } else {
            f("hub_id", "select").options(opts)
        };
        if none_ok {
            hub = hub.hint(ui.t("park.hint.hub_id"));
        }
        fields.push(hub.wide());
    }
    fields.extend([
        f("name", "input").value(&form.name).required().wide(),
        f("address", "input").value(&form.address).required().wide(),
        f("jurisdiction", "select")
            .required()
            .options(jurisdiction_options(
                &nodes,
                ui.lang,
                &v(&form.jurisdiction),
                ui.t("form.choose"),
            )),
        f("area_m2", "input")
            .value(&form.area_m2)
            .required()
            .numeric(),
        f("owner", "input").value(&form.owner).required(),
        flag("free_of_charge", &form.free_of_charge),
        flag("utilities_waived", &form.utilities_waived),
        f("terms", "textarea").value(&form.terms).wide(),
        f("obligation", "input")
            .value(&form.obligation)
            .wide()
            .hint(ui.t("park.hint.obligation")),
        f("obligation_hours_per_quarter", "input")
            .value(&form.obligation_hours_per_quarter)
            .numeric(),
    ]);
    let order = venue_form_fields();
    let (heading, action, cancel) = match edit {
        None => (
            ui.t("park.form.new").to_string(),
            "/venues".to_string(),
            "/venues".to_string(),
        ),
        Some(v) => (
            ui.tf("park.form.edit", &[&v.data.name]),
            format!("/venues/{}/edit", v.id),
            format!("/venues/{}", v.id),
        ),
    };
    Ok(render(
        status,
        &VenueFormPage {
            ui: ui.clone(),
            heading,
            action,
            cancel,
            fields,
            summary: summary(ui, errors, &order),
        },
    ))
}

/// The venue form's fields, in the order of its error summary.
pub(super) fn venue_form_fields() -> Vec<&'static str> {
    let mut order = vec!["hub_id"];
    order.extend_from_slice(VENUE_FIELDS);
    order
}

/// How a failed venue save is shown: the form again with the errors, or an error page.
pub(super) async fn venue_failure(
    s: &AppState,
    ui: &Ui,
    caller: &Caller,
    edit: Option<&Venue>,
    form: &VenueForm,
    e: AppError,
) -> PageResult {
    let AppError::Validation(f) = e else {
        return Err(e.into());
    };
    let status = StatusCode::UNPROCESSABLE_ENTITY;
    venue_form_page(s, ui, caller, edit, form, &f, status).await
}

/// `GET /venues/new`
pub async fn new_venue(State(s): State<AppState>, ui: Ui, caller: Caller) -> PageResult {
    let ui = ui.with_nav("venues");
    svc::may_create_venues(&caller)?;
    let form = VenueForm {
        free_of_charge: Some("on".into()),
        utilities_waived: Some("on".into()),
        obligation_hours_per_quarter: Some("0".into()),
        ..Default::default()
    };
    venue_form_page(
        &s,
        &ui,
        &caller,
        None,
        &form,
        &FieldErrors::new(),
        StatusCode::OK,
    )
    .await
}

/// `POST /venues`
pub async fn create_venue(
    State(s): State<AppState>,
    ui: Ui,
    caller: Caller,
    CheckedForm(form): CheckedForm<VenueForm>,
) -> PageResult {
    let ui = ui.with_nav("venues").at("/venues/new");
    let r = svc::create_venue(
        &s.store,
        &caller,
        form.hub_id.as_deref(),
        &form.draft(),
        FieldErrors::new(),
    )
    .await;
    match r {
        Ok(v) => Ok(see_other(&format!("/venues/{}", v.id))),
        Err(e) => venue_failure(&s, &ui, &caller, None, &form, e).await,
    }
}

pub(super) async fn managed_venue(
    s: &AppState,
    caller: &Caller,
    id: Uuid,
) -> Result<Venue, AppError> {
    let v = svc::get_venue(&s.store, id).await?;
    caller.require(Action::ManageHub, &svc::venue_resource(&v))?;
    Ok(v)
}

/// `GET /venues/{id}/edit`
pub async fn edit_venue(
    State(s): State<AppState>,
    ui: Ui,
    caller: Caller,
    RecordId(id): RecordId,
) -> PageResult {
    let ui = ui.with_nav("venues");
    let v = managed_venue(&s, &caller, id).await?;
    let form = VenueForm::of(&svc::venue_draft(&v.data));
    venue_form_page(
        &s,
        &ui,
        &caller,
        Some(&v),
        &form,
        &FieldErrors::new(),
        StatusCode::OK,
    )
    .await
}

/// `POST /venues/{id}/edit`
pub async fn update_venue(
    State(s): State<AppState>,
    ui: Ui,
    caller: Caller,
    RecordId(id): RecordId,
    CheckedForm(form): CheckedForm<VenueForm>,
) -> PageResult {
    let v = svc::get_venue(&s.store, id).await?;
    let ui = ui.with_nav("venues").at(format!("/venues/{}/edit", v.id));
    match svc::update_venue(&s.store, &caller, v.id, form.draft(), FieldErrors::new()).await {
        Ok(v) => Ok(see_other(&format!("/venues/{}", v.id))),
        Err(e) => venue_failure(&s, &ui, &caller, Some(&v), &form, e).await,
    }
}
