//! Indicator tables as a per-locality setting (issue 9, item 4), on both engines: an
//! app given a table for Xuanwu's social service institutions scores Xuanwu's rounds
//! by it — its areas are the ones asked, its cut-offs give the grade — while Qinhuai's
//! rounds keep the built-in table; the tables in force are public and named.

use chrono::{Datelike, Duration};
use reqwest::StatusCode;
use serde_json::{Value, json};
use shuniu_domain::access::Role;
use shuniu_domain::supervision::tables::{AreaSpec, IndicatorTables, TableSpec, TablesFile};
use shuniu_store::testing::TestBackend;
use uuid::Uuid;

use crate::api_assessment::{decide, eligible_org, official, open_round, report_filed, send};
use crate::common::{self, TestApp, org_json};

/// Xuanwu's table for social service institutions: 100 points in two areas, 5 bonus
/// points, 5A from 90 and 3A from 70 (no 4A).
fn xuanwu_tables() -> IndicatorTables {
    let area = |code: &str, zh: &str, en: &str, points| AreaSpec {
        code: code.into(),
        zh: zh.into(),
        en: en.into(),
        points,
    };
    IndicatorTables::from_file(&TablesFile {
        table: vec![TableSpec {
            kind: "service_institution".into(),
            authority: Some("320102".into()),
            areas: vec![
                area("governance", "内部治理", "Governance", 60),
                area("services", "服务成效", "Services", 40),
            ],
            max_bonus: 5,
            max_total: 100,
            cutoffs: [("5A".to_string(), 90), ("3A".to_string(), 70)]
                .into_iter()
                .collect(),
        }],
    })
    .unwrap()
}

/// Runs `$body` on an app with [`xuanwu_tables`], once per backend.
macro_rules! tables_test {
    ($name:ident, $body:expr) => {
        mod $name {
            use super::*;
            #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
            async fn sqlite() {
                let app = common::spawn_app_with_tables(TestBackend::Sqlite, xuanwu_tables()).await;
                ($body)(app).await;
            }
            #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
            async fn postgres() {
                let app =
                    common::spawn_app_with_tables(TestBackend::Postgres, xuanwu_tables()).await;
                ($body)(app).await;
            }
        }
    };
}

fn codes(v: &Value, key: &str) -> Vec<String> {
    v[key]
        .as_array()
        .unwrap_or_else(|| panic!("no {key}: {v}"))
        .iter()
        .map(|a| a["code"].as_str().unwrap().to_string())
        .collect()
}

/// A social service institution registered in Qinhuai (320104), eligible, with a
/// client of its own member.
async fn qinhuai_org(app: &TestApp, n: u32) -> (String, reqwest::Client) {
    let mut body = org_json(n);
    let uscc =
        shuniu_domain::codes::Uscc::assemble('5', '2', "320104", &format!("MJ{n:06}")).unwrap();
    body["uscc"] = json!(uscc.as_str());
    body["jurisdiction"] = json!("320104");
    let org = app.create_org(&body).await;
    let id = org["id"]
        .as_str()
        .unwrap_or_else(|| panic!("{org}"))
        .to_string();
    let uuid: Uuid = id.parse().unwrap();
    report_filed(app, uuid).await;
    let member = app
        .client_as(&format!("member_{n}"), Role::OrgMember, None, Some(uuid))
        .await;
    (id, member)
}

/// Opens a round of the official's node and applies for `org`; the application's id.
async fn applied(
    app: &TestApp,
    authority: &reqwest::Client,
    round: Option<String>,
    org: &str,
    member: &reqwest::Client,
) -> String {
    let round =
        match round {
            Some(r) => r,
            None => {
                let (st, v) = send(authority.post(app.url("/api/v1/assessment-rounds")).json(
                    &json!({
                        "year": shuniu_web::today().year(),
                        "title": "秦淮区社会组织等级评估",
                        "opens_on": (shuniu_web::today() - Duration::days(30)).to_string(),
                        "closes_on": (shuniu_web::today() + Duration::days(30)).to_string(),
                    }),
                ))
                .await;
                assert_eq!(st, StatusCode::CREATED, "{v}");
                v["id"].as_str().unwrap().to_string()
            }
        };
    let (st, a) = send(
        member
            .post(app.url(&format!("/api/v1/assessment-rounds/{round}/applications")))
            .json(&json!({"organization_id": org})),
    )
    .await;
    assert_eq!(st, StatusCode::CREATED, "{a}");
    assert_eq!(a["table"], "service_institution");
    a["id"].as_str().unwrap().to_string()
}

tables_test!(
    a_locality_table_scores_its_authoritys_rounds_only,
    |app: TestApp| async move {
        let xuanwu = official(&app, "official_xw", "320102").await;
        let qinhuai = official(&app, "official_qh", "320104").await;

        // Xuanwu: the areas asked are the setting's, the grade is by its cut-offs.
        let (org, member) = eligible_org(&app, 1, true).await;
        let round = open_round(&app, &xuanwu).await;
        let id = applied(&app, &xuanwu, Some(round), &org, &member).await;
        let built_in = json!({
            "basic_conditions": 90,
            "party_building": 90,
            "internal_governance": 220,
            "work_performance": 360,
            "social_evaluation": 130
        });
        let (st, v) = decide(
            &app,
            &xuanwu,
            &id,
            json!({"action": "score", "scores": built_in.clone()}),
        )
        .await;
        assert_eq!(st, StatusCode::UNPROCESSABLE_ENTITY, "{v}");
        for f in ["governance", "services", "basic_conditions"] {
            assert!(v["fields"][f].is_string(), "{f}: {v}");
        }
        // Over an area's points, over the bonus: named.
        let (st, v) = decide(
            &app,
            &xuanwu,
            &id,
            json!({"action": "score", "scores": {"governance": 61, "services": 10}, "bonus": 6}),
        )
        .await;
        assert_eq!(st, StatusCode::UNPROCESSABLE_ENTITY, "{v}");
        for f in ["governance", "bonus"] {
            assert!(v["fields"][f].is_string(), "{f}: {v}");
        }
        // 50 + 30 + 5 = 85: 3A under this table (from 70); the built-in one grades
        // nothing below 500.
        let (st, v) = decide(
            &app,
            &xuanwu,
            &id,
            json!({"action": "score", "scores": {"governance": 50, "services": 30}, "bonus": 5}),
        )
        .await;
        assert_eq!(st, StatusCode::OK, "{v}");
        assert_eq!(v["total"], 85);
        assert_eq!(v["grade"], "3A");
        assert_eq!(v["scores"], json!({"governance": 50, "services": 30}));

        // Qinhuai: the built-in table.
        let (org, member) = qinhuai_org(&app, 2).await;
        let id = applied(&app, &qinhuai, None, &org, &member).await;
        let (st, v) = decide(
            &app,
            &qinhuai,
            &id,
            json!({"action": "score", "scores": {"governance": 50, "services": 30}}),
        )
        .await;
        assert_eq!(st, StatusCode::UNPROCESSABLE_ENTITY, "{v}");
        assert!(v["fields"]["basic_conditions"].is_string(), "{v}");
        let (st, v) = decide(
            &app,
            &qinhuai,
            &id,
            json!({"action": "score", "scores": built_in, "bonus": 10}),
        )
        .await;
        assert_eq!(st, StatusCode::OK, "{v}");
        assert_eq!(v["total"], 900);
        assert_eq!(v["grade"], "4A");
    }
);

tables_test!(
    the_tables_in_force_are_public_and_named,
    |app: TestApp| async move {
        let get = |q: &str| {
            app.anon
                .get(app.url(&format!("/api/v1/assessment-tables{q}")))
        };
        let (st, v) = send(get("?authority=320102&kind=service_institution")).await;
        assert_eq!(st, StatusCode::OK, "{v}");
        let items = v["items"].as_array().unwrap();
        assert_eq!(items.len(), 1, "{v}");
        let t = &items[0];
        assert_eq!(t["authority"], "320102");
        assert_eq!(t["source"], "setting");
        assert_eq!(codes(t, "areas"), ["governance", "services"]);
        assert_eq!(t["max_total"], 100);
        assert_eq!(
            t["cutoffs"],
            json!([{"grade": "5A", "min_total": 90}, {"grade": "3A", "min_total": 70}])
        );
        // A street of Xuanwu is served by Xuanwu's table too.
        let (_, v) = send(get("?authority=320102002000&kind=service_institution")).await;
        assert_eq!(v["items"][0]["authority"], "320102", "{v}");

        // Another district, and another kind: the built-in tables, one per kind.
        let (st, v) = send(get("?authority=320104")).await;
        assert_eq!(st, StatusCode::OK, "{v}");
        let items = v["items"].as_array().unwrap();
        assert_eq!(items.len(), 5, "{v}");
        for t in items {
            assert_eq!(t["source"], "built_in", "{t}");
            assert_eq!(t["authority"], Value::Null);
            assert_eq!(t["max_total"], 1000);
        }

        // Without an authority: the setting and every built-in table (six).
        let (_, v) = send(get("")).await;
        let all = v["items"].as_array().unwrap();
        assert_eq!(all.len(), 6, "{v}");
        assert_eq!(
            all.iter().filter(|t| t["source"] == "setting").count(),
            1,
            "{v}"
        );

        // Bad values are named.
        for (q, field) in [
            ("?kind=museum", "kind"),
            ("?authority=32a102", "authority"),
            ("?authority=320199", "authority"),
        ] {
            let (st, v) = send(get(q)).await;
            assert_eq!(st, StatusCode::UNPROCESSABLE_ENTITY, "{q}: {v}");
            assert!(v["fields"][field].is_string(), "{q}: {v}");
        }
    }
);
