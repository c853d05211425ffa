//! Plausible service reports: hours of service and people served over a period are
//! bounded by what the people doing it and the place it happens in can physically
//! deliver. A report beyond the bounds is refused with the bound it broke.

use chrono::NaiveDate;
use serde::{Deserialize, Serialize};

use crate::{FieldError, FieldErrors};

/// The bounds (a setting).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct ServiceBounds {
    /// Hours one person can serve in a day.
    pub hours_per_person_day: u32,
    /// People one hour of service can reach (a lecture, a group activity).
    pub people_per_service_hour: u32,
    /// Shortest visit counted at a venue, in minutes.
    pub min_visit_minutes: u32,
}

impl Default for ServiceBounds {
    fn default() -> Self {
        ServiceBounds {
            hours_per_person_day: 10,
            people_per_service_hour: 30,
            min_visit_minutes: 60,
        }
    }
}

/// Where the service happened, when at a venue.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct VenueCapacity {
    /// People the venue holds at once (its spaces' capacities together).
    pub people_at_once: u32,
    /// Hours a day it is open.
    pub open_hours_per_day: u32,
}

/// One report: over `[from, to]` (inclusive), by an organization with `serving`
/// people (staff and volunteers), possibly at a venue.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct ServiceClaim {
    pub from: NaiveDate,
    pub to: NaiveDate,
    pub service_hours: u32,
    pub people_served: u32,
    pub serving: u32,
    pub venue: Option<VenueCapacity>,
}

/// The largest plausible figures for a claim: `(hours, people)`.
pub fn bounds(c: &ServiceClaim, b: &ServiceBounds) -> (u64, u64) {
    let days = u64::try_from((c.to - c.from).num_days() + 1).unwrap_or(0);
    let hours = u64::from(c.serving) * days * u64::from(b.hours_per_person_day);
    let by_hours = u64::from(c.service_hours) * u64::from(b.people_per_service_hour);
    let people = match c.venue {
        Some(v) => {
            let visits_per_day = u64::from(v.people_at_once) * u64::from(v.open_hours_per_day) * 60
                / u64::from(b.min_visit_minutes.max(1));
            by_hours.min(visits_per_day * days)
        }
        None => by_hours,
    };
    (hours, people)
}

/// Checks a claim; errors on `service_hours` / `residents_served` name the bound.
pub fn check_plausible(c: &ServiceClaim, b: &ServiceBounds) -> Result<(), FieldErrors> {
    let mut e = FieldErrors::new();
    if c.to < c.from {
        e.add(
            "period",
            FieldError::new("结束日期早于开始日期", "ends before it begins"),
        );
        return Err(e);
    }
    let (max_hours, max_people) = bounds(c, b);
    if u64::from(c.service_hours) > max_hours {
        e.add(
            "service_hours",
            FieldError::new(
                format!(
                    "{}名服务人员在该期间最多可提供{max_hours}小时服务（每人每天不超过{}小时）",
                    c.serving, b.hours_per_person_day
                ),
                format!(
                    "{} people can serve at most {max_hours} hours in this period ({} hours a day each)",
                    c.serving, b.hours_per_person_day
                ),
            ),
        );
    }
    if u64::from(c.people_served) > max_people {
        let (zh, en) = match c.venue {
            Some(v) => (
                format!(
                    "按服务时长和场地容量（同时容纳{}人、每天开放{}小时），该期间最多服务{max_people}人次",
                    v.people_at_once, v.open_hours_per_day
                ),
                format!(
                    "the hours reported and the venue ({} people at once, open {} hours a day) allow at most {max_people} people served",
                    v.people_at_once, v.open_hours_per_day
                ),
            ),
            None => (
                format!(
                    "按服务时长（每小时最多{}人次），最多服务{max_people}人次",
                    b.people_per_service_hour
                ),
                format!(
                    "the hours reported allow at most {max_people} people served ({} per hour)",
                    b.people_per_service_hour
                ),
            ),
        };
        e.add("residents_served", FieldError::new(zh, en));
    }
    if e.is_empty() { Ok(()) } else { Err(e) }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::supervision::testkit::d;
    use proptest::prelude::*;

    fn quarter(hours: u32, people: u32, serving: u32) -> ServiceClaim {
        ServiceClaim {
            from: d(2026, 7, 1),
            to: d(2026, 9, 30),
            service_hours: hours,
            people_served: people,
            serving,
            venue: Some(VenueCapacity {
                people_at_once: 60,
                open_hours_per_day: 10,
            }),
        }
    }

    #[test]
    fn the_reports_of_the_issue_are_refused() {
        let e =
            check_plausible(&quarter(5_000, 999_999, 3), &ServiceBounds::default()).unwrap_err();
        assert!(e.get("service_hours").unwrap().en.contains("2760"), "{e}");
        assert!(e.get("residents_served").is_some());
        assert!(check_plausible(&quarter(600, 4_000, 3), &ServiceBounds::default()).is_ok());
    }

    #[test]
    fn the_venue_bounds_people_served() {
        let mut c = quarter(2_000, 55_000, 20);
        c.venue = Some(VenueCapacity {
            people_at_once: 10,
            open_hours_per_day: 8,
        });
        // 10 people × 8 visits a day × 92 days = 7,360.
        assert_eq!(bounds(&c, &ServiceBounds::default()).1, 7_360);
        assert!(check_plausible(&c, &ServiceBounds::default()).is_err());
        c.venue = None;
        assert!(check_plausible(&c, &ServiceBounds::default()).is_ok());
        c.to = d(2026, 6, 1);
        assert!(
            check_plausible(&c, &ServiceBounds::default())
                .unwrap_err()
                .get("period")
                .is_some()
        );
    }

    proptest! {
        /// Whatever is accepted lies within the bounds, and the bounds themselves are
        /// always accepted.
        #[test]
        fn accepted_means_within_bounds(hours in 0u32..100_000, people in 0u32..2_000_000, serving in 0u32..200, days in 0i64..400) {
            let c = ServiceClaim { to: d(2026, 1, 1) + chrono::Duration::days(days), ..quarter(hours, people, serving) };
            let c = ServiceClaim { from: d(2026, 1, 1), ..c };
            let b = ServiceBounds::default();
            let (h, p) = bounds(&c, &b);
            prop_assert_eq!(check_plausible(&c, &b).is_ok(), u64::from(hours) <= h && u64::from(people) <= p);
        }
    }
}
