//! Service parks 服务园 and their spaces: venues lent free to social organizations on
//! condition that they serve residents, offices allocated for a period, shared rooms
//! booked in time slots, and the quarterly report against the obligation.
//!
//! Bookings are made of fixed slots (`BookingRules::slot_minutes`): the store writes
//! one row per (space, slot start) under a primary key, so that no two bookings of a
//! room can overlap on any engine — a plain unique constraint, which distributed
//! Postgres-compatible engines support where exclusion constraints are missing.

use crate::jurisdiction::bad_code_error;
use chrono::{DateTime, Datelike, Duration, FixedOffset, NaiveDate, NaiveTime, TimeZone, Utc};
use serde::{Deserialize, Serialize};
use uuid::Uuid;

use crate::jurisdiction::JurisdictionCode;
use crate::registry::{given, labelled_enum, parse_choice, parse_count, parse_note, parse_text};
use crate::{FieldError, FieldErrors, Lang};

/// Asia/Shanghai: UTC+8 all year (no daylight saving since 1991).
pub fn shanghai() -> FixedOffset {
    FixedOffset::east_opt(8 * 3600).expect("valid offset")
}

labelled_enum!(
    /// Kinds of space in a venue.
    SpaceKind {
        Office = "office", "办公室", "Office";
        ActivityRoom = "activity_room", "活动室", "Activity room";
        MeetingRoom = "meeting_room", "会议室", "Meeting room";
    }
);

impl SpaceKind {
    /// Offices are allocated for a period; the other rooms are booked by the slot.
    pub fn is_bookable(self) -> bool {
        self != SpaceKind::Office
    }
}

/// A venue, validated.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct VenueData {
    pub name: String,
    pub address: String,
    pub jurisdiction: JurisdictionCode,
    pub area_m2: u32,
    /// Who owns the building (e.g. the street office).
    pub owner: String,
    pub free_of_charge: bool,
    /// Terms of the loan as agreed.
    pub terms: String,
    pub utilities_waived: bool,
    /// The obligation attached, e.g. 服务本地居民.
    pub obligation: String,
    /// Service hours to residents expected per quarter from the venue's users (0: none).
    pub obligation_hours_per_quarter: u32,
}

#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct VenueDraft {
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

pub const VENUE_FIELDS: &[&str] = &[
    "name",
    "address",
    "jurisdiction",
    "area_m2",
    "owner",
    "free_of_charge",
    "terms",
    "utilities_waived",
    "obligation",
    "obligation_hours_per_quarter",
];

/// Checkbox and JSON booleans alike: `on`, `true`, `1`, `yes`.
pub fn parse_flag(v: &Option<String>) -> bool {
    matches!(
        given(v).map(str::to_ascii_lowercase).as_deref(),
        Some("on" | "true" | "1" | "yes")
    )
}

fn positive(errs: &mut FieldErrors, field: &str, v: &Option<String>, required: bool) -> u32 {
    if given(v).is_none() {
        if required {
            errs.add(field, FieldError::required());
        }
        return 0;
    }
    let n = parse_count(errs, field, v);
    if n == 0 && errs.get(field).is_none() && required {
        errs.add(field, FieldError::new("应大于0", "must be greater than 0"));
    }
    n
}

impl VenueDraft {
    pub fn validate(&self) -> Result<VenueData, FieldErrors> {
        let mut e = FieldErrors::new();
        let name = parse_text(&mut e, "name", &self.name, 100, true);
        let address = parse_text(&mut e, "address", &self.address, 200, true);
        let jurisdiction = match given(&self.jurisdiction) {
            None => {
                e.add("jurisdiction", FieldError::required());
                None
            }
            Some(s) => JurisdictionCode::parse(s).ok().or_else(|| {
                e.add("jurisdiction", bad_code_error());
                None
            }),
        };
        let area_m2 = positive(&mut e, "area_m2", &self.area_m2, true);
        let owner = parse_text(&mut e, "owner", &self.owner, 100, true);
        let terms = parse_note(&mut e, "terms", &self.terms, 1000, false);
        let obligation = parse_note(&mut e, "obligation", &self.obligation, 500, false);
        let hours = positive(
            &mut e,
            "obligation_hours_per_quarter",
            &self.obligation_hours_per_quarter,
            false,
        );
        if !e.is_empty() {
            return Err(e);
        }
        Ok(VenueData {
            name,
            address,
            jurisdiction: jurisdiction.expect("checked"),
            area_m2,
            owner,
            free_of_charge: parse_flag(&self.free_of_charge),
            terms,
            utilities_waived: parse_flag(&self.utilities_waived),
            obligation,
            obligation_hours_per_quarter: hours,
        })
    }
}

/// A venue as stored.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Venue {
    pub id: Uuid,
    /// The hub that runs it (the street's promotion association), if any.
    pub hub_id: Option<Uuid>,
    pub hub_organization_id: Option<Uuid>,
    pub data: VenueData,
    pub jurisdiction_path: String,
}

/// A space, validated.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct SpaceData {
    pub name: String,
    pub kind: SpaceKind,
    pub capacity: u32,
    pub area_m2: u32,
}

#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct SpaceDraft {
    pub name: Option<String>,
    pub kind: Option<String>,
    pub capacity: Option<String>,
    pub area_m2: Option<String>,
}

impl SpaceDraft {
    pub fn validate(&self) -> Result<SpaceData, FieldErrors> {
        let mut e = FieldErrors::new();
        let name = parse_text(&mut e, "name", &self.name, 100, true);
        let all: Vec<&str> = SpaceKind::ALL.iter().map(|k| k.as_str()).collect();
        let kind = parse_choice(&mut e, "kind", &self.kind, SpaceKind::parse, &all);
        if kind.is_none() && e.get("kind").is_none() {
            e.add("kind", FieldError::required());
        }
        let capacity = positive(&mut e, "capacity", &self.capacity, true);
        let area_m2 = positive(&mut e, "area_m2", &self.area_m2, false);
        if !e.is_empty() {
            return Err(e);
        }
        Ok(SpaceData {
            name,
            kind: kind.expect("checked"),
            capacity,
            area_m2,
        })
    }
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Space {
    pub id: Uuid,
    pub venue_id: Uuid,
    pub data: SpaceData,
}

/// Booking rules; a deployment may change them (settings, not constants).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct BookingRules {
    /// Bookings start and end on multiples of this many minutes (must divide 60).
    pub slot_minutes: u32,
    /// Longest single booking.
    pub max_hours: u32,
    /// How far ahead one may book.
    pub horizon_days: u32,
    /// Opening hours, local time.
    pub opens_at_hour: u32,
    pub closes_at_hour: u32,
}

impl Default for BookingRules {
    fn default() -> Self {
        BookingRules {
            slot_minutes: 30,
            max_hours: 8,
            horizon_days: 90,
            opens_at_hour: 8,
            closes_at_hour: 21,
        }
    }
}

/// A booking request, validated: a whole number of slots, in opening hours, in the
/// future and within the horizon.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct BookingRequest {
    pub starts_at: DateTime<Utc>,
    pub ends_at: DateTime<Utc>,
    pub purpose: String,
    pub attendees: u32,
}

#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct BookingDraft {
    /// Local date `YYYY-MM-DD`.
    pub date: Option<String>,
    /// Local time `HH:MM`.
    pub start: Option<String>,
    pub end: Option<String>,
    pub purpose: Option<String>,
    pub attendees: Option<String>,
}

fn parse_time(e: &mut FieldErrors, field: &str, v: &Option<String>) -> Option<NaiveTime> {
    match given(v) {
        None => {
            e.add(field, FieldError::required());
            None
        }
        Some(s) => NaiveTime::parse_from_str(s, "%H:%M").ok().or_else(|| {
            e.add(
                field,
                FieldError::new("时间格式应为 HH:MM", "must be a time HH:MM"),
            );
            None
        }),
    }
}

impl BookingDraft {
    pub fn validate(
        &self,
        rules: &BookingRules,
        now: DateTime<Utc>,
        capacity: u32,
    ) -> Result<BookingRequest, FieldErrors> {
        let mut e = FieldErrors::new();
        let date = match given(&self.date) {
            None => {
                e.add("date", FieldError::required());
                None
            }
            Some(s) => NaiveDate::parse_from_str(s, "%Y-%m-%d").ok().or_else(|| {
                e.add(
                    "date",
                    FieldError::new("日期格式应为 YYYY-MM-DD", "must be a date YYYY-MM-DD"),
                );
                None
            }),
        };
        let start = parse_time(&mut e, "start", &self.start);
        let end = parse_time(&mut e, "end", &self.end);
        let purpose = parse_text(&mut e, "purpose", &self.purpose, 200, true);
        let attendees = parse_count(&mut e, "attendees", &self.attendees);
        if attendees > capacity && e.get("attendees").is_none() {
            e.add(
                "attendees",
                FieldError::new(
                    format!("超过房间容量（{capacity}人）"),
                    format!("exceeds the room's capacity ({capacity})"),
                ),
            );
        }
        let slot = rules.slot_minutes.max(1);
        for (field, t) in [("start", start), ("end", end)] {
            if let Some(t) = t {
                use chrono::Timelike;
                if t.minute() % slot != 0 || t.second() != 0 {
                    e.add(field, off_slot_boundary(slot));
                }
            }
        }
        if let (Some(s), Some(en)) = (start, end) {
            use chrono::Timelike;
            if en <= s {
                e.add("end", end_not_after_start());
            } else if (en - s) > Duration::hours(i64::from(rules.max_hours)) {
                e.add(
                    "end",
                    FieldError::new(
                        format!("单次预约不超过{}小时", rules.max_hours),
                        format!("a booking lasts at most {} hours", rules.max_hours),
                    ),
                );
            }
            // The field that leaves the opening hours carries the error: a start before
            // opening (or at or after closing) is the start's fault; a start within the
            // hours with an end past closing is the end's.
            if s.hour() < rules.opens_at_hour || s.hour() >= rules.closes_at_hour {
                e.add("start", outside_opening_hours(rules));
            } else if en.hour() > rules.closes_at_hour
                || (en.hour() == rules.closes_at_hour && en.minute() > 0)
            {
                e.add("end", outside_opening_hours(rules));
            }
        }
        let tz = shanghai();
        let at = |d: NaiveDate, t: NaiveTime| {
            tz.from_local_datetime(&d.and_time(t))
                .single()
                .map(|x| x.with_timezone(&Utc))
        };
        let mut times = None;
        if let (Some(d), Some(s), Some(en)) = (date, start, end)
            && let (Some(sa), Some(ea)) = (at(d, s), at(d, en))
        {
            if sa <= now {
                e.add(
                    "date",
                    FieldError::new("不能预约过去的时间", "must be in the future"),
                );
            } else if sa > now + Duration::days(i64::from(rules.horizon_days)) {
                e.add(
                    "date",
                    FieldError::new(
                        format!("最多提前{}天预约", rules.horizon_days),
                        format!("at most {} days ahead", rules.horizon_days),
                    ),
                );
            }
            times = Some((sa, ea));
        }
        if !e.is_empty() {
            return Err(e);
        }
        let (starts_at, ends_at) = times.expect("checked");
        Ok(BookingRequest {
            starts_at,
            ends_at,
            purpose,
            attendees,
        })
    }
}

/// The slot starts a booking occupies: `[starts_at, ends_at)` in steps of the slot.
pub fn slots(
    starts_at: DateTime<Utc>,
    ends_at: DateTime<Utc>,
    slot_minutes: u32,
) -> Vec<DateTime<Utc>> {
    let step = Duration::minutes(i64::from(slot_minutes.max(1)));
    let mut out = Vec::new();
    let mut t = starts_at;
    while t < ends_at {
        out.push(t);
        t += step;
    }
    out
}

labelled_enum!(
    BookingStatus {
        Confirmed = "confirmed", "已确认", "Confirmed";
        Cancelled = "cancelled", "已取消", "Cancelled";
    }
);

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Booking {
    pub id: Uuid,
    /// Human number, e.g. `BK-2026-000123`.
    pub number: String,
    pub space_id: Uuid,
    pub organization_id: Uuid,
    pub organization_name: String,
    pub starts_at: DateTime<Utc>,
    pub ends_at: DateTime<Utc>,
    pub purpose: String,
    pub attendees: u32,
    pub status: BookingStatus,
    /// The account (user name) that booked: what the audit trail and the API name.
    pub booked_by: String,
    /// That account's display name, what pages show people by; `None` when no account
    /// has that name (the shell, the demo loader and other system writes).
    pub booked_by_name: Option<String>,
}

/// An office allocation for a period (inclusive dates), validated.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct AllocationRequest {
    pub organization_id: Uuid,
    pub starts_on: NaiveDate,
    pub ends_on: NaiveDate,
}

#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct AllocationDraft {
    pub organization_id: Option<String>,
    pub starts_on: Option<String>,
    pub ends_on: Option<String>,
}

impl AllocationDraft {
    pub fn validate(&self) -> Result<AllocationRequest, FieldErrors> {
        let mut e = FieldErrors::new();
        let org = match given(&self.organization_id) {
            None => {
                e.add("organization_id", FieldError::required());
                None
            }
            Some(s) => Uuid::parse_str(s).ok().or_else(|| {
                e.add(
                    "organization_id",
                    FieldError::new("不是有效的组织编号", "is not a valid organization id"),
                );
                None
            }),
        };
        let date = |e: &mut FieldErrors, f: &str, v: &Option<String>| match given(v) {
            None => {
                e.add(f, FieldError::required());
                None
            }
            Some(s) => NaiveDate::parse_from_str(s, "%Y-%m-%d").ok().or_else(|| {
                e.add(
                    f,
                    FieldError::new("日期格式应为 YYYY-MM-DD", "must be a date YYYY-MM-DD"),
                );
                None
            }),
        };
        let s = date(&mut e, "starts_on", &self.starts_on);
        let en = date(&mut e, "ends_on", &self.ends_on);
        // Allocations are for years, not millennia: keep dates where both databases
        // and people can read them.
        for (f, d) in [("starts_on", s), ("ends_on", en)] {
            if d.is_some_and(|d| !(1900..=2200).contains(&d.year())) {
                e.add(
                    f,
                    FieldError::new("日期应在1900–2200年之间", "must be between 1900 and 2200"),
                );
            }
        }
        if let (Some(s), Some(en)) = (s, en)
            && en < s
        {
            e.add("ends_on", ends_before_start());
        }
        if !e.is_empty() {
            return Err(e);
        }
        Ok(AllocationRequest {
            organization_id: org.expect("checked"),
            starts_on: s.expect("checked"),
            ends_on: en.expect("checked"),
        })
    }
}

/// Inclusive date ranges overlap.
pub fn periods_overlap(a: (NaiveDate, NaiveDate), b: (NaiveDate, NaiveDate)) -> bool {
    a.0 <= b.1 && b.0 <= a.1
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Allocation {
    pub id: Uuid,
    pub space_id: Uuid,
    pub organization_id: Uuid,
    pub organization_name: String,
    pub starts_on: NaiveDate,
    pub ends_on: NaiveDate,
    pub ended_early_on: Option<NaiveDate>,
}

/// A calendar quarter.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
pub struct Quarter {
    pub year: i32,
    pub quarter: u8,
}

impl Quarter {
    pub fn of(d: NaiveDate) -> Quarter {
        Quarter {
            year: d.year(),
            quarter: (d.month0() / 3 + 1) as u8,
        }
    }
    /// `2026Q3`.
    pub fn parse(s: &str) -> Option<Quarter> {
        let s = s.trim().to_ascii_uppercase();
        let (y, q) = s.split_once('Q')?;
        let year: i32 = y.parse().ok()?;
        let quarter: u8 = q.parse().ok()?;
        ((1..=4).contains(&quarter) && (1990..=2200).contains(&year))
            .then_some(Quarter { year, quarter })
    }
    pub fn first_day(self) -> NaiveDate {
        NaiveDate::from_ymd_opt(self.year, u32::from(self.quarter) * 3 - 2, 1).expect("valid")
    }
}

impl std::fmt::Display for Quarter {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{}Q{}", self.year, self.quarter)
    }
}

/// A report of service delivered to residents against a venue's obligation.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct ObligationReportData {
    pub organization_id: Uuid,
    pub quarter: Quarter,
    pub service_hours: u32,
    pub residents_served: u32,
    pub note: String,
}

#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct ObligationReportDraft {
    pub organization_id: Option<String>,
    /// `2026Q3`
    pub quarter: Option<String>,
    pub service_hours: Option<String>,
    pub residents_served: Option<String>,
    pub note: Option<String>,
}

impl ObligationReportDraft {
    /// A quarter may be reported once it has begun, not ahead.
    pub fn validate(&self, today: NaiveDate) -> Result<ObligationReportData, FieldErrors> {
        let mut e = FieldErrors::new();
        let org = match given(&self.organization_id).map(Uuid::parse_str) {
            None => {
                e.add("organization_id", FieldError::required());
                None
            }
            Some(Ok(u)) => Some(u),
            Some(Err(_)) => {
                e.add(
                    "organization_id",
                    FieldError::new("不是有效的组织编号", "is not a valid organization id"),
                );
                None
            }
        };
        let quarter = match given(&self.quarter) {
            None => {
                e.add("quarter", FieldError::required());
                None
            }
            Some(s) => match Quarter::parse(s) {
                Some(q) if q > Quarter::of(today) => {
                    e.add(
                        "quarter",
                        FieldError::new("不能填报未来的季度", "must not be a future quarter"),
                    );
                    None
                }
                Some(q) => Some(q),
                None => {
                    e.add(
                        "quarter",
                        FieldError::new("季度格式应为 2026Q3", "must be a quarter like 2026Q3"),
                    );
                    None
                }
            },
        };
        if given(&self.service_hours).is_none() {
            e.add("service_hours", FieldError::required());
        }
        let service_hours = parse_count(&mut e, "service_hours", &self.service_hours);
        let residents_served = parse_count(&mut e, "residents_served", &self.residents_served);
        let note = parse_note(&mut e, "note", &self.note, 1000, false);
        if !e.is_empty() {
            return Err(e);
        }
        Ok(ObligationReportData {
            organization_id: org.expect("checked"),
            quarter: quarter.expect("checked"),
            service_hours,
            residents_served,
            note,
        })
    }
}

// Messages of the rules the store asks again where it writes (a request built without
// the form, a record read in the writing transaction): written once, here.

/// A booking's end at or before its start (`end`).
pub fn end_not_after_start() -> FieldError {
    FieldError::new("结束时间须晚于开始时间", "must be after the start")
}

/// A booking time off the room's slot grid (`start`, `end`).
pub fn off_slot_boundary(slot_minutes: u32) -> FieldError {
    FieldError::new(
        format!("须为整{slot_minutes}分钟"),
        format!("must be on a {slot_minutes}-minute boundary"),
    )
}

/// A booking time outside the opening hours (`start` before opening, `end` after
/// closing).
pub fn outside_opening_hours(rules: &BookingRules) -> FieldError {
    FieldError::new(
        format!(
            "开放时间为{}:00–{}:00",
            rules.opens_at_hour, rules.closes_at_hour
        ),
        format!(
            "open {}:00–{}:00",
            rules.opens_at_hour, rules.closes_at_hour
        ),
    )
}

/// An allocation that ends before it starts (`ends_on`).
pub fn ends_before_start() -> FieldError {
    FieldError::new("结束日期不能早于开始日期", "must not be before the start")
}

/// Ending an allocation early, on a day outside it (`ended_on`).
pub fn ended_outside_allocation(before_start: bool) -> FieldError {
    if before_start {
        FieldError::new(
            "不能早于分配开始日期",
            "must not be before the allocation starts",
        )
    } else {
        FieldError::new(
            "不能晚于分配结束日期",
            "must not be after the allocation ends",
        )
    }
}

/// A deregistered organization gets no office and books no room (`organization_id`).
pub fn organization_deregistered() -> FieldError {
    FieldError::new("该组织已注销", "the organization is deregistered")
}

#[cfg(test)]
mod tests {
    use super::*;

    fn now() -> DateTime<Utc> {
        // 2026-11-30 10:00 Shanghai
        Utc.with_ymd_and_hms(2026, 11, 30, 2, 0, 0).unwrap()
    }
    fn booking(date: &str, s: &str, e: &str) -> BookingDraft {
        BookingDraft {
            date: Some(date.into()),
            start: Some(s.into()),
            end: Some(e.into()),
            purpose: Some("邻里议事会".into()),
            attendees: Some("12".into()),
        }
    }

    #[test]
    fn a_booking_is_local_time_converted_to_utc() {
        let r = booking("2026-12-01", "09:00", "10:30")
            .validate(&BookingRules::default(), now(), 30)
            .unwrap();
        assert_eq!(
            r.starts_at,
            Utc.with_ymd_and_hms(2026, 12, 1, 1, 0, 0).unwrap()
        );
        assert_eq!(slots(r.starts_at, r.ends_at, 30).len(), 3);
    }

    #[test]
    fn booking_rules() {
        let rules = BookingRules::default();
        let bad = |d: BookingDraft, field: &str| {
            let e = d.validate(&rules, now(), 30).unwrap_err();
            assert!(e.get(field).is_some(), "{field}: {e}");
        };
        bad(booking("2026-12-01", "09:10", "10:00"), "start");
        bad(booking("2026-12-01", "10:00", "10:00"), "end");
        bad(booking("2026-12-01", "09:00", "18:00"), "end");
        bad(booking("2026-12-01", "06:00", "07:00"), "start");
        // Closing time is the end's fault, not the start's.
        let late = booking("2026-12-01", "20:00", "21:30")
            .validate(&rules, now(), 30)
            .unwrap_err();
        assert!(
            late.get("end").is_some() && late.get("start").is_none(),
            "{late}"
        );
        let early = booking("2026-12-01", "07:00", "08:00")
            .validate(&rules, now(), 30)
            .unwrap_err();
        assert!(
            early.get("start").is_some() && early.get("end").is_none(),
            "{early}"
        );
        bad(booking("2026-11-29", "09:00", "10:00"), "date");
        bad(booking("2027-06-01", "09:00", "10:00"), "date");
        bad(booking("2026-13-01", "09:00", "10:00"), "date");
        let mut d = booking("2026-12-01", "09:00", "10:00");
        d.attendees = Some("31".into());
        bad(d, "attendees");
        assert!(
            booking("2026-12-01", "20:00", "21:00")
                .validate(&rules, now(), 30)
                .is_ok()
        );
    }

    #[test]
    fn slots_tile_the_booking() {
        let s = Utc.with_ymd_and_hms(2026, 12, 1, 1, 0, 0).unwrap();
        let v = slots(s, s + Duration::hours(2), 30);
        assert_eq!(v.len(), 4);
        assert_eq!(v[3], s + Duration::minutes(90));
    }

    #[test]
    fn periods() {
        let d = |m, day| NaiveDate::from_ymd_opt(2026, m, day).unwrap();
        assert!(periods_overlap((d(1, 1), d(6, 30)), (d(6, 30), d(12, 31))));
        assert!(!periods_overlap((d(1, 1), d(6, 29)), (d(6, 30), d(12, 31))));
        let e = AllocationDraft {
            organization_id: Some("x".into()),
            starts_on: Some("2026-06-01".into()),
            ends_on: Some("2026-05-01".into()),
        }
        .validate()
        .unwrap_err();
        assert!(e.get("organization_id").is_some() && e.get("ends_on").is_some());
    }

    #[test]
    fn allocation_dates_stay_in_range() {
        let e = AllocationDraft {
            organization_id: Some(Uuid::nil().to_string()),
            starts_on: Some("1000-01-01".into()),
            ends_on: Some("2999-01-01".into()),
        }
        .validate()
        .unwrap_err();
        assert!(e.get("starts_on").is_some() && e.get("ends_on").is_some());
    }

    #[test]
    fn notes_keep_line_breaks_but_not_other_controls() {
        let mut d = ObligationReportDraft {
            organization_id: Some(Uuid::nil().to_string()),
            quarter: Some("2026Q3".into()),
            service_hours: Some("10".into()),
            note: Some("第一行\n第二行".into()),
            ..Default::default()
        };
        let today = NaiveDate::from_ymd_opt(2026, 11, 30).unwrap();
        assert_eq!(d.validate(today).unwrap().note, "第一行\n第二行");
        d.note = Some("bad\u{0}".into());
        assert!(d.validate(today).unwrap_err().get("note").is_some());
    }

    #[test]
    fn quarters() {
        assert_eq!(
            Quarter::parse("2026q3"),
            Some(Quarter {
                year: 2026,
                quarter: 3
            })
        );
        assert_eq!(Quarter::parse("2026Q5"), None);
        assert_eq!(
            Quarter::of(NaiveDate::from_ymd_opt(2026, 11, 30).unwrap()).to_string(),
            "2026Q4"
        );
        let today = NaiveDate::from_ymd_opt(2026, 11, 30).unwrap();
        let d = ObligationReportDraft {
            organization_id: Some(Uuid::nil().to_string()),
            quarter: Some("2027Q1".into()),
            service_hours: Some("-3".into()),
            ..Default::default()
        };
        let e = d.validate(today).unwrap_err();
        assert!(e.get("quarter").is_some() && e.get("service_hours").is_some());
    }

    #[test]
    fn venue_and_space_drafts() {
        let v = VenueDraft {
            name: Some("梅园新村街道社会组织服务园".into()),
            address: Some("梅园新村34号".into()),
            jurisdiction: Some("320102002000".into()),
            area_m2: Some("400".into()),
            owner: Some("梅园新村街道办事处".into()),
            free_of_charge: Some("on".into()),
            utilities_waived: Some("true".into()),
            obligation: Some("服务本地居民".into()),
            obligation_hours_per_quarter: Some("120".into()),
            ..Default::default()
        }
        .validate()
        .unwrap();
        assert!(v.free_of_charge && v.utilities_waived);
        assert_eq!(v.area_m2, 400);
        let e = VenueDraft::default().validate().unwrap_err();
        for f in ["name", "address", "jurisdiction", "area_m2", "owner"] {
            assert!(e.get(f).is_some(), "{f}");
        }
        let e = SpaceDraft {
            name: Some("活动室".into()),
            kind: Some("ballroom".into()),
            capacity: Some("0".into()),
            area_m2: None,
        }
        .validate()
        .unwrap_err();
        assert!(e.get("kind").is_some() && e.get("capacity").is_some());
    }
}
