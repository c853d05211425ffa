//! The API's downloads (`kit::export`): `/api/v1/organizations.csv` with the list's
//! filters, and the coverage gaps as CSV, with the same access as their JSON twins —
//! on SQLite and PostgreSQL.

use crate::common;
use crate::coverage_support;

use common::{TestApp, org_json};
use coverage_support::*;
use reqwest::StatusCode;
use shuniu_domain::access::Role;

async fn fetch(c: &reqwest::Client, app: &TestApp, path: &str, lang: &str) -> reqwest::Response {
    c.get(app.url(path))
        .header(reqwest::header::ACCEPT_LANGUAGE, lang)
        .send()
        .await
        .unwrap()
}

/// The first column of a CSV body after its header, sorted; and the header.
fn names_and_header(bytes: &[u8]) -> (Vec<String>, Vec<String>) {
    assert!(
        bytes.starts_with("\u{FEFF}".as_bytes()),
        "no byte-order mark"
    );
    let mut r = csv::Reader::from_reader(&bytes[3..]);
    let header = r.headers().unwrap().iter().map(String::from).collect();
    let mut names: Vec<String> = r.records().map(|r| r.unwrap()[0].to_string()).collect();
    names.sort();
    (names, header)
}

http_test!(
    organizations_csv_follows_the_list,
    |app: TestApp| async move {
        for n in 1..=3 {
            let mut o = org_json(n);
            if n == 3 {
                o["jurisdiction"] = "320102003000".into();
                o["name"] = "@SUM(A1)服务中心".into();
            }
            app.create_org(&o).await;
        }
        // The JSON list and the CSV agree, filter applied (public: no token needed).
        let q = "jurisdiction=320102002000";
        let list: serde_json::Value =
            fetch(&app.anon, &app, &format!("/api/v1/organizations?{q}"), "en")
                .await
                .json()
                .await
                .unwrap();
        let r = fetch(
            &app.anon,
            &app,
            &format!("/api/v1/organizations.csv?{q}"),
            "en",
        )
        .await;
        assert_eq!(r.status(), StatusCode::OK);
        assert!(
            r.headers()["content-type"]
                .to_str()
                .unwrap()
                .starts_with("text/csv")
        );
        let (names, header) = names_and_header(&r.bytes().await.unwrap());
        assert_eq!(header[0], "Name");
        assert_eq!(names.len() as i64, list["total"].as_i64().unwrap());
        assert_eq!(names, vec!["测试服务中心1", "测试服务中心2"]);
        // In Chinese, the other legal form, its formula-like name neutralised.
        let r = fetch(
            &app.client,
            &app,
            "/api/v1/organizations.csv?jurisdiction=320102003000",
            "zh-CN",
        )
        .await;
        let (names, header) = names_and_header(&r.bytes().await.unwrap());
        assert_eq!(header[0], "名称");
        assert_eq!(names, vec!["'@SUM(A1)服务中心"]);
        // Bad parameters: 422 naming each, as JSON.
        let r = fetch(
            &app.anon,
            &app,
            "/api/v1/organizations.csv?legal_form=club&grade=9A",
            "en",
        )
        .await;
        assert_eq!(r.status(), StatusCode::UNPROCESSABLE_ENTITY);
        let v: serde_json::Value = r.json().await.unwrap();
        assert!(
            v["fields"]["legal_form"].is_string()
                || v["fields"]["legal_form"].is_object()
                || v["fields"]["legal_form"].is_array(),
            "{v}"
        );
        assert!(!v["fields"]["grade"].is_null(), "{v}");
        let r = fetch(
            &app.anon,
            &app,
            "/api/v1/organizations.csv?jurisdiction=320199",
            "en",
        )
        .await;
        assert_eq!(r.status(), StatusCode::UNPROCESSABLE_ENTITY);
        // Recorded.
        let recs = app.audit_records("list.export").await;
        assert_eq!(recs.items.len(), 2);
    }
);

http_test!(coverage_gaps_csv_as_the_report, |app: TestApp| async move {
    let w = build(&app).await;
    let r = fetch(
        &app.client,
        &app,
        "/api/v1/coverage/320102/gaps.csv?gap=party_organization",
        "en",
    )
    .await;
    assert_eq!(r.status(), StatusCode::OK);
    let (names, header) = names_and_header(&r.bytes().await.unwrap());
    assert_eq!(header[0], "Organization");
    assert_eq!(names, gap_names(&w.specs, "party_organization", everyone));
    let hub = format!(
        "/api/v1/hubs/{}/coverage/gaps.csv?gap=industry_hub",
        w.hub_m.id
    );
    let r = fetch(&app.client, &app, &hub, "zh-CN").await;
    assert_eq!(r.status(), StatusCode::OK);
    let (names, _) = names_and_header(&r.bytes().await.unwrap());
    assert_eq!(names, gap_names(&w.specs, "industry_hub", in_hub_m));
    // Who may not read the report gets what its JSON twin answers.
    let r = fetch(&app.anon, &app, "/api/v1/coverage/320102/gaps.csv", "en").await;
    assert_eq!(r.status(), StatusCode::UNAUTHORIZED);
    let member = app
        .client_as("member", Role::OrgMember, None, Some(w.id(M1)))
        .await;
    for path in [
        "/api/v1/coverage/320102/gaps.csv",
        "/api/v1/coverage/320102/uncovered",
    ] {
        assert_eq!(
            fetch(&member, &app, path, "en").await.status(),
            StatusCode::FORBIDDEN,
            "{path}"
        );
    }
    for bad in [
        "/api/v1/coverage/320199/gaps.csv",
        "/api/v1/hubs/nope/coverage/gaps.csv",
    ] {
        assert_eq!(
            fetch(&app.client, &app, bad, "en").await.status(),
            StatusCode::NOT_FOUND,
            "{bad}"
        );
    }
    let r = fetch(
        &app.client,
        &app,
        "/api/v1/coverage/320102/gaps.csv?gap=nope",
        "en",
    )
    .await;
    assert_eq!(r.status(), StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(app.audit_records("coverage.export").await.items.len(), 2);
});

http_test!(
    instructors_download_masks_as_the_list,
    |app: TestApp| async move {
        let w = build(&app).await;
        // Who keeps the register reads phones in full; an expert reads them masked.
        let r = fetch(
            &app.client,
            &app,
            "/api/v1/instructors.csv?jurisdiction=320102",
            "zh-CN",
        )
        .await;
        assert_eq!(r.status(), StatusCode::OK);
        let body = String::from_utf8(r.bytes().await.unwrap().to_vec()).unwrap();
        assert!(
            body.contains("王党建") && body.contains(INSTRUCTOR_PHONE),
            "{body}"
        );
        let expert = app.client_as("expert", Role::Expert, None, None).await;
        for path in [
            "/api/v1/instructors.csv?jurisdiction=320102",
            "/instructors.csv?jurisdiction=320102",
            "/instructors.xlsx?jurisdiction=320102",
        ] {
            let r = fetch(&expert, &app, path, "zh-CN").await;
            assert_eq!(r.status(), StatusCode::OK, "{path}");
            let bytes = r.bytes().await.unwrap();
            if path.contains(".csv") {
                let body = String::from_utf8(bytes.to_vec()).unwrap();
                assert!(body.contains("王党建"), "{body}");
                assert!(!body.contains(INSTRUCTOR_PHONE), "{body}");
                assert!(body.contains("139****5678"), "{body}");
            } else {
                assert!(bytes.starts_with(b"PK\x03\x04"));
            }
        }
        // The instructors page links the downloads to whoever reads it.
        let page = expert
            .get(app.url("/instructors?jurisdiction=320102"))
            .send()
            .await
            .unwrap()
            .text()
            .await
            .unwrap();
        assert!(
            page.contains("href=\"/instructors.csv?jurisdiction=320102\""),
            "{page}"
        );
        // A member reads no reports: neither the list nor its download.
        let member = app
            .client_as("member", Role::OrgMember, None, Some(w.id(M1)))
            .await;
        assert_eq!(
            fetch(&member, &app, "/api/v1/instructors.csv", "en")
                .await
                .status(),
            StatusCode::FORBIDDEN
        );
        assert_eq!(
            fetch(&member, &app, "/instructors.csv", "en")
                .await
                .status(),
            StatusCode::FORBIDDEN
        );
        assert_eq!(
            fetch(&app.anon, &app, "/api/v1/instructors.csv", "en")
                .await
                .status(),
            StatusCode::UNAUTHORIZED
        );
        let r = fetch(
            &app.client,
            &app,
            "/api/v1/instructors.csv?jurisdiction=nope",
            "en",
        )
        .await;
        assert_eq!(r.status(), StatusCode::UNPROCESSABLE_ENTITY);
    }
);

http_test!(
    hub_members_download_as_the_list,
    |app: TestApp| async move {
        let w = build(&app).await;
        let json: serde_json::Value = fetch(
            &app.anon,
            &app,
            &format!("/api/v1/hubs/{}/members?per_page=200", w.hub_m.id),
            "en",
        )
        .await
        .json()
        .await
        .unwrap();
        let mut want: Vec<String> = json["items"]
            .as_array()
            .unwrap()
            .iter()
            .map(|m| m["organization_name"].as_str().unwrap().to_string())
            .collect();
        want.sort();
        assert!(!want.is_empty());
        let path = format!("/api/v1/hubs/{}/members.csv", w.hub_m.id);
        let r = fetch(&app.anon, &app, &path, "zh-CN").await;
        assert_eq!(r.status(), StatusCode::OK);
        let (names, header) = names_and_header(&r.bytes().await.unwrap());
        assert_eq!(header[0], "成员组织");
        assert_eq!(names, want);
        // Other statuses: not for anonymous callers, as the list.
        let r = fetch(&app.anon, &app, &format!("{path}?status=pending"), "en").await;
        assert_eq!(r.status(), StatusCode::UNAUTHORIZED);
        let r = fetch(&app.client, &app, &format!("{path}?status=pending"), "en").await;
        assert_eq!(r.status(), StatusCode::OK);
        let r = fetch(&app.client, &app, &format!("{path}?status=nope"), "en").await;
        assert_eq!(r.status(), StatusCode::UNPROCESSABLE_ENTITY);
        let r = fetch(
            &app.anon,
            &app,
            &format!("/api/v1/hubs/{}/members.csv", uuid_nil()),
            "en",
        )
        .await;
        assert_eq!(r.status(), StatusCode::NOT_FOUND);
        // The hub's page links its members' downloads.
        let page = app
            .anon
            .get(app.url(&format!("/hubs/{}", w.hub_m.id)))
            .send()
            .await
            .unwrap()
            .text()
            .await
            .unwrap();
        assert!(
            page.contains(&format!("href=\"/hubs/{}/members.csv\"", w.hub_m.id)),
            "{page}"
        );
        let r = fetch(
            &app.anon,
            &app,
            &format!("/hubs/{}/members.xlsx", w.hub_m.id),
            "en",
        )
        .await;
        assert_eq!(r.status(), StatusCode::OK);
        assert!(r.bytes().await.unwrap().starts_with(b"PK\x03\x04"));
    }
);

fn uuid_nil() -> String {
    "00000000-0000-0000-0000-000000000000".into()
}
