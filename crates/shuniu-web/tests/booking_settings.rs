//! The room-booking rules are settings (`shuniu_web::app_with_settings`): a deployment
//! with other opening hours, horizon and longest booking is held to them by the API and
//! shown them by the calendar — on SQLite and PostgreSQL.

use crate::common;
use crate::parks_support;

use common::TestApp;
use parks_support::*;
use serde_json::Value;
use shuniu_domain::access::Role;
use shuniu_domain::parks::BookingRules;
use shuniu_store::testing::TestBackend;

/// A locality whose rooms open early and close at noon, bookable two weeks ahead for
/// at most two hours. The slot stays the default (the store's fixed grid).
fn morning_rules() -> BookingRules {
    BookingRules {
        opens_at_hour: 6,
        closes_at_hour: 12,
        horizon_days: 14,
        max_hours: 2,
        ..BookingRules::default()
    }
}

fn fields_of(v: &Value) -> Vec<String> {
    let mut f: Vec<String> = v["fields"]
        .as_object()
        .map(|m| m.keys().cloned().collect())
        .unwrap_or_default();
    f.sort();
    f
}

/// Runs `$body` on an app with [`morning_rules`], once per backend.
macro_rules! morning_test {
    ($name:ident, $body:expr) => {
        mod $name {
            use super::*;
            #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
            async fn sqlite() {
                let app =
                    common::spawn_app_with_booking(TestBackend::Sqlite, morning_rules()).await;
                ($body)(app).await;
            }
            #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
            async fn postgres() {
                let app =
                    common::spawn_app_with_booking(TestBackend::Postgres, morning_rules()).await;
                ($body)(app).await;
            }
        }
    };
}

morning_test!(
    custom_rules_decide_what_may_be_booked,
    |app: TestApp| async move {
        let p = park(&app).await;
        let member = app
            .client_as("member_a", Role::OrgMember, None, Some(p.member_a))
            .await;
        let date = day(3);
        let url = format!("/api/v1/spaces/{}/bookings", p.room);
        let book = |start: &str, end: &str, date: &str| {
            let body = booking(p.member_a, date, start, end, "晨练指导");
            let (app, member, url) = (&app, &member, &url);
            async move { post_json(app, member, url, &body).await }
        };

        // 13:00–14:00 lies within the default hours (8–21) but after this noon closing:
        // refused, naming the start, with the configured hours in the message.
        let (st, v) = book("13:00", "14:00", &date).await;
        assert_eq!(st, 422, "{v}");
        assert_eq!(fields_of(&v), vec!["start"], "{v}");
        let text = v.to_string();
        assert!(
            text.contains("6:00–12:00") && !text.contains("8:00–21:00"),
            "{v}"
        );
        // 06:00–07:00 lies before the default opening but within these hours: accepted.
        let (st, v) = book("06:00", "07:00", &date).await;
        assert_eq!(st, 201, "{v}");
        assert_eq!(v["local_start"], format!("{date} 06:00"));
        assert_eq!(v["local_end"], format!("{date} 07:00"));
        // Up to the closing hour is fine; past it is not, and that is the end's fault.
        let (st, v) = book("11:00", "12:00", &date).await;
        assert_eq!(st, 201, "{v}");
        let (st, v) = book("11:00", "12:30", &day(4)).await;
        assert_eq!(st, 422, "{v}");
        assert_eq!(fields_of(&v), vec!["end"], "{v}");

        // The longest booking is two hours here (the default allows eight).
        let (st, v) = book("07:00", "10:00", &date).await;
        assert_eq!(st, 422, "{v}");
        assert_eq!(fields_of(&v), vec!["end"], "{v}");
        let (st, v) = book("07:00", "09:00", &date).await;
        assert_eq!(st, 201, "{v}");

        // Two weeks ahead at most (the default allows ninety days).
        let (st, v) = book("09:00", "10:00", &day(30)).await;
        assert_eq!(st, 422, "{v}");
        assert_eq!(fields_of(&v), vec!["date"], "{v}");
        let text = v.to_string();
        assert!(text.contains("14 days") || text.contains("14天"), "{v}");

        // Exactly the three accepted bookings were written.
        let (st, list) = get_json(
            &app,
            &app.anon,
            &format!("{url}?from={}&to={}", day(0), day(40)),
        )
        .await;
        assert_eq!(st, 200);
        assert_eq!(list.as_array().map(Vec::len), Some(3), "{list}");
    }
);

morning_test!(
    the_calendar_grid_follows_the_hours,
    |app: TestApp| async move {
        let p = park(&app).await;
        let date = day(3);
        let r = app
            .anon
            .get(app.url(&format!("/spaces/{}?week={date}", p.room)))
            .header("accept-language", "en")
            .send()
            .await
            .unwrap();
        assert_eq!(r.status(), 200);
        let html = r.text().await.unwrap();
        let slot = |t: &str| html.contains(&format!("data-date=\"{date}\" data-time=\"{t}\""));
        // One row per 30-minute slot from 06:00 to 11:30, none outside.
        for t in ["06:00", "06:30", "09:00", "11:30"] {
            assert!(slot(t), "no {t} slot");
        }
        for t in ["05:30", "12:00", "20:30"] {
            assert!(!slot(t), "a {t} slot outside the hours");
        }
        assert!(html.contains("Open 6:00–12:00, 30-minute slots"), "{html}");
    }
);
