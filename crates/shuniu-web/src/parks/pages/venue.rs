//! A venue's page: its spaces, office allocations, obligation summaries, and the forms on it.

use super::*;

pub struct Fact {
    pub label: &'static str,
    pub value: String,
}

pub struct SpaceRow {
    pub href: String,
    pub name: String,
    pub kind: &'static str,
    pub capacity: u32,
    pub area: String,
    pub bookable: bool,
}

pub struct AllocRow {
    pub id: String,
    pub office: String,
    pub org: String,
    pub org_href: String,
    pub period: String,
    pub note: String,
    pub can_end: bool,
}

pub struct SumRow {
    pub quarter: String,
    pub target: i64,
    pub delivered: i64,
    pub residents: i64,
    pub reports: usize,
    /// Bar width, 0–100 (% of the target delivered).
    pub pct: i64,
    pub met: bool,
}

/// The fields of the venue page's forms, in the order of their error summaries.
pub(super) const SPACE_FIELDS: &[&str] = &["name", "kind", "capacity", "area_m2"];
pub(super) const ALLOC_FIELDS: &[&str] = &["space", "organization_id", "starts_on", "ends_on"];
pub(super) const REPORT_FIELDS: &[&str] = &[
    "organization_id",
    "quarter",
    "service_hours",
    "residents_served",
    "note",
];

/// The three forms of the venue page: which one failed, with what was typed.
#[derive(Default)]
pub(super) struct VenueForms {
    space: SpaceDraft,
    space_errors: FieldErrors,
    alloc: AllocationDraft,
    alloc_space: Option<String>,
    alloc_errors: FieldErrors,
    report: ObligationReportDraft,
    report_errors: FieldErrors,
}

#[derive(Template)]
#[template(path = "parks/venue_detail.html")]
pub(super) struct VenuePage {
    ui: Ui,
    id: String,
    name: String,
    facts: Vec<Fact>,
    can_manage: bool,
    can_report: bool,
    spaces: Vec<SpaceRow>,
    allocations: Vec<AllocRow>,
    has_target: bool,
    sums: Vec<SumRow>,
    space_fields: Vec<Field>,
    space_summary: Vec<SummaryItem>,
    alloc_fields: Vec<Field>,
    alloc_summary: Vec<SummaryItem>,
    has_offices: bool,
    alloc_action: String,
    report_fields: Vec<Field>,
    report_summary: Vec<SummaryItem>,
    report_for: Option<String>,
}

/// Organizations a manager may pick: the hub itself and its active members. `None`
/// when the hub has more members than a select should hold (200): the id is typed then.
pub(super) async fn org_choices(
    s: &AppState,
    v: &Venue,
) -> Result<Option<Vec<(Uuid, String)>>, AppError> {
    let mut out = Vec::new();
    if let Some(hub_id) = v.hub_id {
        if let Some(h) = s.store.hub(hub_id).await? {
            out.push((h.organization_id, h.organization_name));
        }
        let members = s
            .store
            .hub_members(hub_id, Some(MembershipStatus::Active), 1, 200)
            .await?;
        if members.total > members.items.len() as i64 {
            return Ok(None);
        }
        out.extend(
            members
                .items
                .into_iter()
                .map(|m| (m.organization_id, m.organization_name)),
        );
    }
    Ok(Some(out))
}

/// The organization chooser: a select of `choices`, or an id to type when there are none.
pub(super) fn org_field(
    ui: &Ui,
    errors: &FieldErrors,
    current: &Option<String>,
    choices: &[(Uuid, String)],
) -> Field {
    if choices.is_empty() {
        return field(ui, "organization_id", "input", errors)
            .value(current)
            .required()
            .hint(ui.t("park.hint.org_id"));
    }
    let cur = current.clone().unwrap_or_default();
    let mut opts = vec![Opt::new("", ui.t("form.choose"), cur.trim().is_empty())];
    for (id, name) in choices {
        let id = id.to_string();
        let sel = cur.trim() == id;
        opts.push(Opt::new(id, name.clone(), sel));
    }
    field(ui, "organization_id", "select", errors)
        .required()
        .options(opts)
}

/// The caller's own organization, named, if they act for one.
pub(super) async fn own_org(
    s: &AppState,
    caller: &Caller,
) -> Result<Option<(Uuid, String)>, AppError> {
    let Some(org) = caller.actor().and_then(|a| a.organization_id) else {
        return Ok(None);
    };
    Ok(s.store
        .organization(org)
        .await?
        .map(|o| (o.id, o.data.name)))
}

pub(super) async fn venue_page(
    s: &AppState,
    ui: &Ui,
    caller: &Caller,
    id: Uuid,
    forms: VenueForms,
) -> Result<VenuePage, AppError> {
    let v = svc::get_venue(&s.store, id).await?;
    caller.require(Action::Read, &svc::venue_resource(&v))?;
    let lang = ui.lang;
    let can_manage = svc::can_manage(caller, &v);
    let own = own_org(s, caller).await?;
    let own_may_report = match &own {
        Some((org, _)) if !can_manage => {
            svc::require_book(&s.store, caller, &v, *org).await.is_ok()
        }
        _ => false,
    };
    let can_report = can_manage || own_may_report;
    let d = &v.data;
    let jname = match s.store.jurisdiction(d.jurisdiction.as_str()).await? {
        Some(j) => j.name(lang).to_string(),
        None => d.jurisdiction.to_string(),
    };
    let hub_name = match v.hub_id {
        Some(h) => s.store.hub(h).await?.map(|h| h.organization_name),
        None => None,
    };
    let dash = |x: &str| {
        if x.trim().is_empty() {
            "—".to_string()
        } else {
            x.to_string()
        }
    };
    let facts = vec![
        Fact {
            label: label(lang, "address"),
            value: d.address.clone(),
        },
        Fact {
            label: label(lang, "jurisdiction"),
            value: jname,
        },
        Fact {
            label: ui.t("park.detail.hub"),
            value: hub_name.unwrap_or_else(|| "—".into()),
        },
        Fact {
            label: label(lang, "area_m2"),
            value: fmt_int(i64::from(d.area_m2)),
        },
        Fact {
            label: label(lang, "owner"),
            value: d.owner.clone(),
        },
        Fact {
            label: label(lang, "free_of_charge"),
            value: yes_no(ui, d.free_of_charge).into(),
        },
        Fact {
            label: label(lang, "utilities_waived"),
            value: yes_no(ui, d.utilities_waived).into(),
        },
        Fact {
            label: label(lang, "terms"),
            value: dash(&d.terms),
        },
        Fact {
            label: label(lang, "obligation"),
            value: dash(&d.obligation),
        },
        Fact {
            label: label(lang, "obligation_hours_per_quarter"),
            value: d.obligation_hours_per_quarter.to_string(),
        },
    ];
    let spaces = s.store.spaces_of(v.id).await?;
    let space_rows = spaces
        .iter()
        .map(|sp| SpaceRow {
            href: format!("/spaces/{}", sp.id),
            name: sp.data.name.clone(),
            kind: sp.data.kind.label(lang),
            capacity: sp.data.capacity,
            area: if sp.data.area_m2 == 0 {
                "—".into()
            } else {
                fmt_int(i64::from(sp.data.area_m2))
            },
            bookable: sp.data.kind.is_bookable(),
        })
        .collect();
    let space_name = |sid: Uuid| {
        spaces
            .iter()
            .find(|x| x.id == sid)
            .map(|x| x.data.name.clone())
            .unwrap_or_default()
    };
    let allocations = s
        .store
        .allocations_of_venue(v.id, today())
        .await?
        .into_iter()
        .map(|a| AllocRow {
            id: a.id.to_string(),
            office: space_name(a.space_id),
            org: a.organization_name.clone(),
            org_href: format!("/organizations/{}", a.organization_id),
            period: format!(
                "{} – {}",
                view::date(lang, a.starts_on),
                view::date(lang, a.ends_on)
            ),
            note: a
                .ended_early_on
                .map(|e| ui.tf("park.detail.ended_early", &[&view::date(lang, e)]))
                .unwrap_or_default(),
            can_end: can_manage && a.ended_early_on.is_none(),
        })
        .collect();
    let sums = s
        .store
        .obligation_summaries(v.id, &svc::last_quarters(4))
        .await?
        .iter()
        .map(|x| SumRow {
            quarter: view::quarter(lang, x.quarter.year, x.quarter.quarter),
            target: x.target_hours,
            delivered: x.delivered_hours,
            residents: x.residents_served,
            reports: x.reports.len(),
            pct: if x.target_hours > 0 {
                (x.delivered_hours * 100 / x.target_hours).clamp(0, 100)
            } else {
                0
            },
            met: x.target_hours > 0 && x.delivered_hours >= x.target_hours,
        })
        .collect();
    // Forms, with what was typed and the errors of the one that failed.
    let f = &forms;
    let se = &f.space_errors;
    let kind_cur = f.space.kind.clone().unwrap_or_default();
    let kinds = SpaceKind::ALL
        .iter()
        .map(|k| Opt::new(k.as_str(), k.label(lang), kind_cur.trim() == k.as_str()))
        .collect();
    let space_fields = vec![
        field(ui, "name", "input", se)
            .value(&f.space.name)
            .required(),
        field(ui, "kind", "select", se).required().options(kinds),
        field(ui, "capacity", "input", se)
            .value(&f.space.capacity)
            .required()
            .numeric(),
        field(ui, "area_m2", "input", se)
            .value(&f.space.area_m2)
            .numeric(),
    ];
    let choices = if can_manage {
        org_choices(s, &v).await?.unwrap_or_default()
    } else {
        vec![]
    };
    let ae = &f.alloc_errors;
    let offices: Vec<&Space> = spaces
        .iter()
        .filter(|x| x.data.kind == SpaceKind::Office)
        .collect();
    let cur_space = f.alloc_space.clone().unwrap_or_default();
    let mut office_opts = vec![];
    for o in &offices {
        let id = o.id.to_string();
        let sel = cur_space.trim() == id;
        office_opts.push(Opt::new(id, o.data.name.clone(), sel));
    }
    let mut space_field = field(ui, "space_id", "select", ae)
        .required()
        .options(office_opts);
    space_field.error = ae.get("space").map(|e| e.message(lang).to_string());
    let alloc_fields = vec![
        space_field,
        org_field(ui, ae, &f.alloc.organization_id, &choices),
        date_input(
            field(ui, "starts_on", "input", ae)
                .value(&f.alloc.starts_on)
                .required(),
        ),
        date_input(
            field(ui, "ends_on", "input", ae)
                .value(&f.alloc.ends_on)
                .required(),
        ),
    ];
    let re = &f.report_errors;
    let mut report_fields = Vec::new();
    let mut report_for = None;
    if can_manage {
        report_fields.push(org_field(ui, re, &f.report.organization_id, &choices));
    } else if let Some((_, name)) = &own {
        report_for = Some(name.clone());
    }
    let quarter = f
        .report
        .quarter
        .clone()
        .or_else(|| Some(shuniu_domain::parks::Quarter::of(today()).to_string()));
    report_fields.extend([
        field(ui, "quarter", "input", re)
            .value(&quarter)
            .required()
            .hint(ui.t("park.hint.quarter")),
        field(ui, "service_hours", "input", re)
            .value(&f.report.service_hours)
            .required()
            .numeric(),
        field(ui, "residents_served", "input", re)
            .value(&f.report.residents_served)
            .numeric(),
        field(ui, "note", "textarea", re)
            .value(&f.report.note)
            .wide(),
    ]);
    Ok(VenuePage {
        ui: ui.clone(),
        id: v.id.to_string(),
        name: d.name.clone(),
        facts,
        can_manage,
        can_report,
        spaces: space_rows,
        allocations,
        has_target: d.obligation_hours_per_quarter > 0,
        sums,
        space_fields,
        space_summary: summary(ui, se, SPACE_FIELDS),
        alloc_fields,
        alloc_summary: summary(ui, ae, ALLOC_FIELDS),
        has_offices: !offices.is_empty(),
        alloc_action: offices
            .first()
            .map(|o| format!("/spaces/{}/allocations", o.id))
            .unwrap_or_default(),
        report_fields,
        report_summary: summary(ui, re, REPORT_FIELDS),
        report_for,
    })
}

/// `GET /venues/{id}`
pub async fn detail(
    State(s): State<AppState>,
    ui: Ui,
    caller: Caller,
    RecordId(id): RecordId,
) -> PageResult {
    let ui = ui.with_nav("venues");
    let p = venue_page(&s, &ui, &caller, id, VenueForms::default()).await?;
    Ok(render(StatusCode::OK, &p))
}

/// The venue page again with a failed form's errors (422/409).
pub(super) async fn venue_again(
    s: &AppState,
    ui: &Ui,
    caller: &Caller,
    venue_id: Uuid,
    forms: VenueForms,
    status: StatusCode,
) -> PageResult {
    let p = venue_page(s, ui, caller, venue_id, forms).await?;
    Ok(render(status, &p))
}

/// The status and errors a failed form write shows with its form (a validation
/// failure, 422, or a conflict, 409, on its field); any other error is the error page's.
pub(super) fn form_errors(
    e: AppError,
    conflict_msg: &str,
) -> Result<(StatusCode, FieldErrors), AppError> {
    match e {
        AppError::Validation(f) => Ok((StatusCode::UNPROCESSABLE_ENTITY, f)),
        AppError::Conflict { field } => Ok((
            StatusCode::CONFLICT,
            FieldErrors::single(
                &field,
                shuniu_domain::FieldError::new(conflict_msg, conflict_msg),
            ),
        )),
        other => Err(other),
    }
}

#[derive(Debug, Default, Clone, Deserialize)]
pub struct SpaceForm {
    pub name: Option<String>,
    pub kind: Option<String>,
    pub capacity: Option<String>,
    pub area_m2: Option<String>,
}

/// `POST /venues/{id}/spaces`
pub async fn add_space(
    State(s): State<AppState>,
    ui: Ui,
    caller: Caller,
    RecordId(vid): RecordId,
    CheckedForm(form): CheckedForm<SpaceForm>,
) -> PageResult {
    let ui = ui.with_nav("venues").at(format!("/venues/{vid}"));
    let draft = SpaceDraft {
        name: form.name,
        kind: form.kind,
        capacity: form.capacity,
        area_m2: form.area_m2,
    };
    match svc::add_space(&s.store, &caller, vid, &draft, FieldErrors::new()).await {
        Ok(_) => Ok(see_other(&format!("/venues/{vid}#spaces"))),
        Err(e) => {
            let (status, errs) = form_errors(e, ui.t("error.409.text"))?;
            let forms = VenueForms {
                space: draft,
                space_errors: errs,
                ..Default::default()
            };
            venue_again(&s, &ui, &caller, vid, forms, status).await
        }
    }
}

#[derive(Debug, Default, Clone, Deserialize)]
pub struct AllocForm {
    pub space_id: Option<String>,
    pub organization_id: Option<String>,
    pub starts_on: Option<String>,
    pub ends_on: Option<String>,
}

/// `POST /spaces/{id}/allocations` (the venue page's form posts to its office).
pub async fn allocate(
    State(s): State<AppState>,
    ui: Ui,
    caller: Caller,
    RecordId(sid): RecordId,
    CheckedForm(form): CheckedForm<AllocForm>,
) -> PageResult {
    let (mut space, v) = svc::get_space(&s.store, sid).await?;
    let ui = ui.with_nav("venues").at(format!("/venues/{}", v.id));
    // The venue page's form names the office in its body; it must be of the same venue.
    if let Some(chosen) = form
        .space_id
        .as_deref()
        .and_then(|x| Uuid::parse_str(x.trim()).ok())
        && chosen != space.id
    {
        let (other, ov) = svc::get_space(&s.store, chosen).await?;
        if ov.id != v.id {
            return Err(AppError::NotFound.into());
        }
        space = other;
    }
    let draft = AllocationDraft {
        organization_id: form.organization_id.clone(),
        starts_on: form.starts_on.clone(),
        ends_on: form.ends_on.clone(),
    };
    match svc::allocate_office(&s.store, &caller, space.id, &draft, FieldErrors::new()).await {
        Ok(_) => Ok(see_other(&format!("/venues/{}#allocations", v.id))),
        Err(e) => {
            let (status, errs) = form_errors(e, ui.t("error.409.text"))?;
            let forms = VenueForms {
                alloc: draft,
                alloc_space: Some(space.id.to_string()),
                alloc_errors: errs,
                ..Default::default()
            };
            venue_again(&s, &ui, &caller, v.id, forms, status).await
        }
    }
}

#[derive(Debug, Default, Clone, Deserialize)]
pub struct EndForm {
    pub ended_on: Option<String>,
}

/// `POST /allocations/{id}/end`
pub async fn end_allocation(
    State(s): State<AppState>,
    _: Ui,
    caller: Caller,
    RecordId(aid): RecordId,
    CheckedForm(form): CheckedForm<EndForm>,
) -> PageResult {
    let a = svc::end_allocation(&s.store, &caller, aid, form.ended_on.as_deref()).await?;
    let (_, v) = svc::get_space(&s.store, a.space_id).await?;
    Ok(see_other(&format!("/venues/{}#allocations", v.id)))
}

#[derive(Debug, Default, Clone, Deserialize)]
pub struct ReportForm {
    pub organization_id: Option<String>,
    pub quarter: Option<String>,
    pub service_hours: Option<String>,
    pub residents_served: Option<String>,
    pub note: Option<String>,
}

/// `POST /venues/{id}/reports`
pub async fn report(
    State(s): State<AppState>,
    ui: Ui,
    caller: Caller,
    RecordId(vid): RecordId,
    CheckedForm(form): CheckedForm<ReportForm>,
) -> PageResult {
    let ui = ui.with_nav("venues").at(format!("/venues/{vid}"));
    let draft = ObligationReportDraft {
        organization_id: form.organization_id,
        quarter: form.quarter,
        service_hours: form.service_hours,
        residents_served: form.residents_served,
        note: form.note,
    };
    match svc::report(
        &s.store,
        &caller,
        vid,
        &draft,
        FieldErrors::new(),
        &s.booking,
    )
    .await
    {
        Ok(_) => Ok(see_other(&format!("/venues/{vid}#obligations"))),
        Err(e) => {
            let (status, errs) = form_errors(e, ui.t("error.409.text"))?;
            let forms = VenueForms {
                report: draft,
                report_errors: errs,
                ..Default::default()
            };
            venue_again(&s, &ui, &caller, vid, forms, status).await
        }
    }
}
