//! Credit lists (MCA Order 60, 2018): the abnormal activity list 活动异常名录 and the
//! serious illegal and dishonest list 严重违法失信名单, with their triggers, dates and
//! removal rules (DOMAIN.md §5), decided by one pure function, [`supervise`], that the
//! daily job `shuniu supervise` and the writing events call.
//!
//! Reading of the rules: an abnormal listing is removed on application within 5
//! working days once its cause is corrected, and automatically 6 months after listing
//! *if the cause has been corrected by then*; a cause never corrected keeps the
//! organization listed, and after 2 years on the abnormal list it goes onto the serious
//! list. Serious listings are removed only on application, after 2 years without a new
//! event, by an official's decision.

use std::collections::BTreeMap;

use chrono::{Duration, NaiveDate};
use serde::{Deserialize, Serialize};
use uuid::Uuid;

use crate::Lang;
use crate::money::Fen;
use crate::registry::{LegalForm, add_years, labelled_enum};

use super::annual::AnnualSettings;
use super::{Refusal, add_months, add_working_days};

labelled_enum!(
    /// The two credit lists.
    ListKind {
        Abnormal = "abnormal", "活动异常名录", "Abnormal activity list";
        Serious = "serious", "严重违法失信名单", "Serious illegal and dishonest list";
    }
);

labelled_enum!(
    /// Why an organization is listed.
    Trigger {
        LateAnnualReport = "late_annual_report", "未按规定时限报送年度工作报告", "Annual report not filed on time";
        NoPartyOrganization = "no_party_organization", "未按照有关规定设立党组织", "Party organization not set up as required";
        CorrectionNotDone = "correction_not_done", "未按期完成责令整改", "Ordered corrections not done on time";
        WarningOrSmallFine = "warning_or_small_fine", "受到警告或者不满5万元罚款处罚", "Warning or a fine under ¥50,000";
        Unreachable = "unreachable", "通过登记的住所无法与其取得联系", "Unreachable at the registered address";
        AbnormalTwoYears = "abnormal_two_years", "被列入活动异常名录满2年", "Two years on the abnormal activity list";
        FalseChangeRegistration = "false_change_registration", "弄虚作假办理变更登记，被撤销变更登记", "Falsified change registration, revoked";
        OrderedToSuspend = "ordered_to_suspend", "受到限期停止活动行政处罚", "Ordered to suspend activities";
        LargeFine = "large_fine", "受到5万元以上罚款处罚", "Fine of ¥50,000 or more";
        RepeatedPenalties = "repeated_penalties", "3年内2次以上受到警告或者不满5万元罚款处罚", "Two or more warnings or small fines within 3 years";
        CourtDishonestDebtor = "court_dishonest_debtor", "被司法机关纳入失信被执行人名单", "On the courts' list of dishonest debtors";
        RegistrationRevoked = "registration_revoked", "被撤销登记或吊销登记证书", "Registration revoked";
    }
);

impl Trigger {
    pub fn list(self) -> ListKind {
        use Trigger::*;
        match self {
            LateAnnualReport | NoPartyOrganization | CorrectionNotDone | WarningOrSmallFine
            | Unreachable => ListKind::Abnormal,
            _ => ListKind::Serious,
        }
    }
    /// The legal basis recorded with every listing. The Order is named with the list's
    /// chapter; the exact article is left to the locality's own citation practice.
    pub fn legal_basis(self) -> (&'static str, &'static str) {
        match self.list() {
            ListKind::Abnormal => (
                "《社会组织信用信息管理办法》（民政部令第60号）关于列入活动异常名录的规定",
                "Measures for the Management of Social Organizations' Credit Information (MCA Order 60): abnormal activity list",
            ),
            ListKind::Serious => (
                "《社会组织信用信息管理办法》（民政部令第60号）关于列入严重违法失信名单的规定",
                "Measures for the Management of Social Organizations' Credit Information (MCA Order 60): serious illegal and dishonest list",
            ),
        }
    }
}

/// Something recorded about an organization (by an official, or by the system).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum EventKind {
    Warning,
    Fine { amount: Fen },
    SuspendOrder,
    Revocation,
    CourtDishonestDebtor,
    FalseChangeRevoked,
    CorrectionOrdered { due: NaiveDate },
    CorrectionDone { order: Uuid },
    Unreachable,
    Reachable,
    PartyOrgMissing,
    PartyOrgSetUp,
}

impl EventKind {
    /// A penalty or finding that counts as a "new event" against removal from the
    /// serious list.
    pub fn is_adverse(&self) -> bool {
        !matches!(
            self,
            EventKind::CorrectionDone { .. } | EventKind::Reachable | EventKind::PartyOrgSetUp
        )
    }
    pub fn code(&self) -> &'static str {
        match self {
            EventKind::Warning => "warning",
            EventKind::Fine { .. } => "fine",
            EventKind::SuspendOrder => "suspend_order",
            EventKind::Revocation => "revocation",
            EventKind::CourtDishonestDebtor => "court_dishonest_debtor",
            EventKind::FalseChangeRevoked => "false_change_revoked",
            EventKind::CorrectionOrdered { .. } => "correction_ordered",
            EventKind::CorrectionDone { .. } => "correction_done",
            EventKind::Unreachable => "unreachable",
            EventKind::Reachable => "reachable",
            EventKind::PartyOrgMissing => "party_org_missing",
            EventKind::PartyOrgSetUp => "party_org_set_up",
        }
    }
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct CreditEvent {
    pub id: Uuid,
    pub on: NaiveDate,
    pub kind: EventKind,
}

/// One listing. `(list, trigger, cause)` identifies it: the same cause is never listed
/// twice (the store holds this as a unique key, so concurrent runs list once).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Listing {
    pub list: ListKind,
    pub trigger: Trigger,
    /// `year:2025`, `event:<uuid>`, `listing:<trigger>:<cause>`.
    pub cause: String,
    pub listed_on: NaiveDate,
    pub removed_on: Option<NaiveDate>,
}

impl Listing {
    pub fn is_on(&self, date: NaiveDate) -> bool {
        self.listed_on <= date && self.removed_on.is_none_or(|r| date < r)
    }
    fn key(&self) -> (ListKind, Trigger, &str) {
        (self.list, self.trigger, &self.cause)
    }
}

/// The thresholds of Order 60, as settings.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct CreditSettings {
    pub annual: AnnualSettings,
    /// First report year this system supervises (earlier years are not judged).
    pub from_year: i32,
    pub large_fine: Fen,
    pub auto_removal_months: u32,
    pub abnormal_to_serious_years: i32,
    pub repeat_window_years: i32,
    pub repeat_count: usize,
    pub serious_removal_years: i32,
    pub removal_working_days: u32,
}

impl Default for CreditSettings {
    fn default() -> Self {
        CreditSettings {
            annual: AnnualSettings::default(),
            from_year: 2012,
            large_fine: Fen::yuan(50_000),
            auto_removal_months: 6,
            abnormal_to_serious_years: 2,
            repeat_window_years: 3,
            repeat_count: 2,
            serious_removal_years: 2,
            removal_working_days: 5,
        }
    }
}

/// What supervision needs to know about one organization.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct CreditFacts {
    pub legal_form: Option<LegalForm>,
    pub founded_on: NaiveDate,
    /// When a deregistered organization stopped: no report is due after it.
    pub deregistered_on: Option<NaiveDate>,
    /// Report year → the day it was filed.
    pub reports_filed: BTreeMap<i32, NaiveDate>,
    pub events: Vec<CreditEvent>,
    pub listings: Vec<Listing>,
}

/// One change to the lists, with its reason (bilingual) and legal basis.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub enum ListingChange {
    List {
        list: ListKind,
        trigger: Trigger,
        cause: String,
        on: NaiveDate,
        reason_zh: String,
        reason_en: String,
    },
    Remove {
        list: ListKind,
        trigger: Trigger,
        cause: String,
        on: NaiveDate,
        reason_zh: String,
        reason_en: String,
    },
}

impl ListingChange {
    pub fn on(&self) -> NaiveDate {
        match self {
            ListingChange::List { on, .. } | ListingChange::Remove { on, .. } => *on,
        }
    }
}

fn list(trigger: Trigger, cause: String, on: NaiveDate, zh: String, en: String) -> ListingChange {
    ListingChange::List {
        list: trigger.list(),
        trigger,
        cause,
        on,
        reason_zh: format!("{}：{zh}", trigger.label(Lang::Zh)),
        reason_en: format!("{}: {en}", trigger.label(Lang::En)),
    }
}

/// When the cause of an abnormal listing was put right (`None`: not yet, as of `today`).
pub fn corrected_on(l: &Listing, f: &CreditFacts, today: NaiveDate) -> Option<NaiveDate> {
    let event_id = l
        .cause
        .strip_prefix("event:")
        .and_then(|s| Uuid::parse_str(s).ok());
    let event = event_id.and_then(|id| f.events.iter().find(|e| e.id == id));
    let after = |kind: fn(&EventKind) -> bool, from: NaiveDate| {
        f.events
            .iter()
            .filter(|e| kind(&e.kind) && e.on >= from && e.on <= today)
            .map(|e| e.on)
            .min()
    };
    match l.trigger {
        Trigger::LateAnnualReport => {
            let year: i32 = l.cause.strip_prefix("year:")?.parse().ok()?;
            f.reports_filed.get(&year).copied().filter(|d| *d <= today)
        }
        // A penalty is served once it is imposed.
        Trigger::WarningOrSmallFine => Some(l.listed_on),
        Trigger::CorrectionNotDone => f
            .events
            .iter()
            .filter(|e| e.on <= today)
            .filter(|e| matches!(e.kind, EventKind::CorrectionDone { order } if Some(order) == event_id))
            .map(|e| e.on)
            .min(),
        Trigger::Unreachable => after(|k| *k == EventKind::Reachable, event?.on),
        Trigger::NoPartyOrganization => after(|k| *k == EventKind::PartyOrgSetUp, event?.on),
        _ => None,
    }
}

/// New abnormal listings due by `today`.
fn abnormal_triggers(f: &CreditFacts, today: NaiveDate, s: &CreditSettings) -> Vec<ListingChange> {
    let mut out = Vec::new();
    // Filed community organizations report to their street, not under Order 60.
    if f.legal_form != Some(LegalForm::CommunityFiled) {
        for year in s.annual.years_due(f.founded_on, s.from_year, today) {
            let due = s.annual.due_on(year);
            if f.deregistered_on.is_some_and(|d| d <= due) {
                continue;
            }
            if f.reports_filed.get(&year).is_none_or(|filed| *filed > due) {
                out.push(list(
                    Trigger::LateAnnualReport,
                    format!("year:{year}"),
                    due + Duration::days(1),
                    format!("{year}年度工作报告未在{due}前报送"),
                    format!("the report on {year} was not filed by {due}"),
                ));
            }
        }
    }
    for e in f.events.iter().filter(|e| e.on <= today) {
        let cause = format!("event:{}", e.id);
        match &e.kind {
            EventKind::Warning => out.push(list(
                Trigger::WarningOrSmallFine,
                cause,
                e.on,
                format!("{}受到警告", e.on),
                format!("warned on {}", e.on),
            )),
            EventKind::Fine { amount } if *amount < s.large_fine => out.push(list(
                Trigger::WarningOrSmallFine,
                cause,
                e.on,
                format!("{}被处以{amount}罚款", e.on),
                format!("fined {amount} on {}", e.on),
            )),
            EventKind::Unreachable => out.push(list(
                Trigger::Unreachable,
                cause,
                e.on,
                format!("{}通过登记的住所无法取得联系", e.on),
                format!("not reachable at its registered address on {}", e.on),
            )),
            EventKind::PartyOrgMissing => out.push(list(
                Trigger::NoPartyOrganization,
                cause,
                e.on,
                format!("{}查实未按规定设立党组织", e.on),
                format!("found on {} without the party organization required", e.on),
            )),
            EventKind::CorrectionOrdered { due } if *due < today => {
                let done = f.events.iter().any(|d| {
                    matches!(d.kind, EventKind::CorrectionDone { order } if order == e.id)
                        && d.on <= *due
                });
                if !done {
                    out.push(list(
                        Trigger::CorrectionNotDone,
                        cause,
                        *due + Duration::days(1),
                        format!("{}责令整改，期限{due}，未按期完成", e.on),
                        format!("ordered on {} to correct by {due}; not done", e.on),
                    ));
                }
            }
            _ => {}
        }
    }
    out
}

/// Automatic removals from the abnormal list due by `today`.
fn abnormal_removals(f: &CreditFacts, today: NaiveDate, s: &CreditSettings) -> Vec<ListingChange> {
    let mut out = Vec::new();
    for l in f
        .listings
        .iter()
        .filter(|l| l.list == ListKind::Abnormal && l.removed_on.is_none())
    {
        let six = add_months(l.listed_on, s.auto_removal_months);
        if let Some(fixed) = corrected_on(l, f, today) {
            let on = six.max(fixed);
            if on <= today {
                out.push(ListingChange::Remove {
                    list: l.list,
                    trigger: l.trigger,
                    cause: l.cause.clone(),
                    on,
                    reason_zh: format!(
                        "列入满{}个月且已于{fixed}履行相关义务，自动移出",
                        s.auto_removal_months
                    ),
                    reason_en: format!(
                        "{} months on the list and corrected on {fixed}: removed automatically",
                        s.auto_removal_months
                    ),
                });
            }
        }
    }
    out
}

/// New serious listings due by `today`.
fn serious_triggers(f: &CreditFacts, today: NaiveDate, s: &CreditSettings) -> Vec<ListingChange> {
    let mut out = Vec::new();
    for l in f.listings.iter().filter(|l| l.list == ListKind::Abnormal) {
        let mark = add_years(l.listed_on, s.abnormal_to_serious_years);
        if mark <= today && l.removed_on.is_none_or(|r| r > mark) {
            out.push(list(
                Trigger::AbnormalTwoYears,
                format!("listing:{}:{}", l.trigger, l.cause),
                mark,
                format!(
                    "自{}起列入活动异常名录（{}）满{}年",
                    l.listed_on,
                    l.trigger.label(Lang::Zh),
                    s.abnormal_to_serious_years
                ),
                format!(
                    "on the abnormal list since {} ({}) for {} years",
                    l.listed_on,
                    l.trigger.label(Lang::En),
                    s.abnormal_to_serious_years
                ),
            ));
        }
    }
    let small = |k: &EventKind| match k {
        EventKind::Warning => true,
        EventKind::Fine { amount } => *amount < s.large_fine,
        _ => false,
    };
    for e in f.events.iter().filter(|e| e.on <= today) {
        let cause = format!("event:{}", e.id);
        let (zh, en) = (format!("{}", e.on), format!("{}", e.on));
        let t = match &e.kind {
            EventKind::SuspendOrder => Some(Trigger::OrderedToSuspend),
            EventKind::Revocation => Some(Trigger::RegistrationRevoked),
            EventKind::CourtDishonestDebtor => Some(Trigger::CourtDishonestDebtor),
            EventKind::FalseChangeRevoked => Some(Trigger::FalseChangeRegistration),
            EventKind::Fine { amount } if *amount >= s.large_fine => Some(Trigger::LargeFine),
            k if small(k) => {
                let since = add_years(e.on, -s.repeat_window_years);
                let n = f
                    .events
                    .iter()
                    .filter(|o| small(&o.kind) && o.on > since && (o.on, o.id) <= (e.on, e.id))
                    .count();
                (n >= s.repeat_count).then_some(Trigger::RepeatedPenalties)
            }
            _ => None,
        };
        if let Some(t) = t {
            out.push(list(
                t,
                cause,
                e.on,
                format!("{zh}记录"),
                format!("recorded {en}"),
            ));
        }
    }
    out
}

/// Applies changes to the facts, as the store does to its rows (for the fixpoint and
/// for tests). Listing an already-listed cause or removing a removed one changes nothing.
pub fn apply(f: &mut CreditFacts, changes: &[ListingChange]) {
    for c in changes {
        match c {
            ListingChange::List {
                list,
                trigger,
                cause,
                on,
                ..
            } => {
                if !f
                    .listings
                    .iter()
                    .any(|l| l.key() == (*list, *trigger, cause.as_str()))
                {
                    f.listings.push(Listing {
                        list: *list,
                        trigger: *trigger,
                        cause: cause.clone(),
                        listed_on: *on,
                        removed_on: None,
                    });
                }
            }
            ListingChange::Remove {
                list,
                trigger,
                cause,
                on,
                ..
            } => {
                if let Some(l) = f.listings.iter_mut().find(|l| {
                    l.key() == (*list, *trigger, cause.as_str()) && l.removed_on.is_none()
                }) {
                    l.removed_on = Some(*on);
                }
            }
        }
    }
}

/// Keeps only the changes that would change something (new causes, listings still on).
fn effective(f: &CreditFacts, changes: Vec<ListingChange>) -> Vec<ListingChange> {
    let mut seen = std::collections::BTreeSet::new();
    changes
        .into_iter()
        .filter(|c| match c {
            ListingChange::List {
                list,
                trigger,
                cause,
                ..
            } => {
                !f.listings
                    .iter()
                    .any(|l| l.key() == (*list, *trigger, cause.as_str()))
                    && seen.insert((*list, *trigger, cause.clone()))
            }
            ListingChange::Remove { .. } => true,
        })
        .collect()
}

/// Every listing and removal the rules call for by `today`, given what is already
/// listed. Idempotent: after applying its answer, it answers nothing. Listings are
/// dated by their cause (a report due on 31 May is listed on 1 June), so a job that
/// did not run for a while catches up with the dates it would have used.
pub fn supervise(facts: &CreditFacts, today: NaiveDate, s: &CreditSettings) -> Vec<ListingChange> {
    let mut f = facts.clone();
    let mut out = Vec::new();
    // Each pass can enable the next (a listing → its 2-year mark); the passes stop when
    // nothing changes. Every pass adds or closes at least one listing, of which there
    // are finitely many.
    for _ in 0..64 {
        let mut pass = effective(&f, abnormal_triggers(&f, today, s));
        apply(&mut f, &pass);
        let removals = abnormal_removals(&f, today, s);
        apply(&mut f, &removals);
        pass.extend(removals);
        let serious = effective(&f, serious_triggers(&f, today, s));
        apply(&mut f, &serious);
        pass.extend(serious);
        if pass.is_empty() {
            break;
        }
        out.extend(pass);
    }
    out
}

/// Whether the organization is on `list` on `date`.
pub fn is_listed(listings: &[Listing], list: ListKind, date: NaiveDate) -> bool {
    listings.iter().any(|l| l.list == list && l.is_on(date))
}

/// An application to be removed from the abnormal list: allowed once the cause is put
/// right; the authority then removes it within 5 working days (the date returned).
pub fn check_abnormal_removal(
    l: &Listing,
    f: &CreditFacts,
    applied_on: NaiveDate,
    s: &CreditSettings,
) -> Result<NaiveDate, Refusal> {
    if l.list != ListKind::Abnormal || l.removed_on.is_some() {
        return Err(Refusal::new(
            "not_listed",
            "该记录不在活动异常名录中",
            "this listing is not on the abnormal activity list",
        ));
    }
    match corrected_on(l, f, applied_on) {
        Some(_) => Ok(add_working_days(applied_on, s.removal_working_days)),
        None => Err(Refusal::new(
            "not_corrected",
            "列入事由尚未纠正（如补报年度报告、完成整改），暂不能移出",
            "the cause is not yet put right (report filed, corrections done): it cannot be removed yet",
        )),
    }
}

/// An application to be removed from the serious list: after 2 years on it with no
/// new adverse event since listing.
pub fn check_serious_removal(
    l: &Listing,
    f: &CreditFacts,
    applied_on: NaiveDate,
    s: &CreditSettings,
) -> Result<(), Refusal> {
    if l.list != ListKind::Serious || l.removed_on.is_some() {
        return Err(Refusal::new(
            "not_listed",
            "该记录不在严重违法失信名单中",
            "this listing is not on the serious list",
        ));
    }
    let mark = add_years(l.listed_on, s.serious_removal_years);
    if applied_on < mark {
        return Err(Refusal::new(
            "serious_two_years",
            format!(
                "列入满{}年（{mark}）后方可申请移出",
                s.serious_removal_years
            ),
            format!(
                "removal may be applied for after {} years on the list ({mark})",
                s.serious_removal_years
            ),
        ));
    }
    if f.events
        .iter()
        .any(|e| e.kind.is_adverse() && e.on > l.listed_on && e.on <= applied_on)
    {
        return Err(Refusal::new(
            "new_event",
            "列入后又有新的违法失信记录",
            "a new adverse event was recorded after listing",
        ));
    }
    Ok(())
}

#[cfg(test)]
#[path = "credit_tests.rs"]
mod tests;
