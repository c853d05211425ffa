//! Downloads of a coverage report's uncovered organizations (CSV streamed, Excel
//! capped): the rows, the headers, who may download, and the audit record — on SQLite
//! and PostgreSQL.

use std::io::Read;

use crate::common;
use crate::coverage_support;
use crate::pages_support;

use common::TestApp;
use coverage_support::*;
use pages_support::*;
use reqwest::StatusCode;
use shuniu_domain::access::Role;
use shuniu_store::AuditFilter;

async fn fetch(c: &reqwest::Client, app: &TestApp, path: &str, lang: &str) -> reqwest::Response {
    c.get(app.url(path))
        .header(reqwest::header::ACCEPT_LANGUAGE, lang)
        .send()
        .await
        .unwrap()
}

/// The names in a CSV body's first column, after the header.
fn csv_names(body: &str) -> Vec<String> {
    let mut r = csv::Reader::from_reader(body.as_bytes());
    let mut names: Vec<String> = r.records().map(|r| r.unwrap()[0].to_string()).collect();
    names.sort();
    names
}

/// The text of every shared string of an Excel file (where its cells' strings live).
fn xlsx_strings(bytes: &[u8]) -> String {
    let mut z = zip::ZipArchive::new(std::io::Cursor::new(bytes)).unwrap();
    let mut s = String::new();
    z.by_name("xl/sharedStrings.xml")
        .unwrap()
        .read_to_string(&mut s)
        .unwrap();
    s
}

fn sorted(mut v: Vec<String>) -> Vec<String> {
    v.sort();
    v
}

http_test!(
    uncovered_lists_download_as_csv_and_excel,
    |app: TestApp| async move {
        let w = build(&app).await;
        // The report links both downloads of the gap shown.
        let p = get(&app, "/coverage/320102?gap=regional_hub", Some(ZH)).await;
        p.assert_has("href=\"/coverage/320102/gaps.csv?gap=regional_hub\"");
        p.assert_has("href=\"/coverage/320102/gaps.xlsx?gap=regional_hub\"");
        p.assert_has("下载 CSV");
        p.assert_has("下载 Excel");
        p.assert_has("Excel 文件最多 100,000 行");

        // CSV: a byte-order mark, the header row in the reader's language, every row.
        let r = fetch(
            &app.client,
            &app,
            "/coverage/320102/gaps.csv?gap=party_organization",
            ZH,
        )
        .await;
        assert_eq!(r.status(), StatusCode::OK);
        let h = r.headers().clone();
        assert_eq!(h["content-type"], "text/csv; charset=utf-8");
        let cd = h["content-disposition"].to_str().unwrap();
        assert!(
            cd.starts_with("attachment; filename=\"shuniu-gaps-320102-party_organization-"),
            "{cd}"
        );
        assert!(cd.ends_with(".csv\""), "{cd}");
        let bytes = r.bytes().await.unwrap();
        assert!(bytes.starts_with("\u{FEFF}".as_bytes()));
        let body = std::str::from_utf8(&bytes[3..]).unwrap();
        assert!(
            body.starts_with("组织名称,统一社会信用代码,辖区,区划代码,党组织\n"),
            "{body}"
        );
        let want = sorted(gap_names(&w.specs, "party_organization", everyone));
        assert!(!want.is_empty());
        assert_eq!(csv_names(body), want);
        // A street's row carries the street's name and code.
        let m1 = w.specs[M1].name;
        if want.iter().any(|n| n == m1) {
            assert!(body.contains(&format!("{m1},")), "{body}");
        }
        assert!(
            body.contains("梅园新村街道,320102002000") || body.contains("新街口街道,320102003000"),
            "{body}"
        );

        // In English, a street's and a hub's lists.
        let r = fetch(
            &app.client,
            &app,
            "/coverage/320102003000/gaps.csv?gap=party_work",
            EN,
        )
        .await;
        let body = r.text().await.unwrap();
        let body = body.trim_start_matches('\u{FEFF}');
        assert!(
            body.starts_with("Organization,Unified social credit code,Area,Area code,"),
            "{body}"
        );
        assert_eq!(
            csv_names(body),
            sorted(gap_names(&w.specs, "party_work", in_street(XINJIEKOU)))
        );
        let hub = format!("/hubs/{}/coverage/gaps.csv?gap=industry_hub", w.hub_m.id);
        let body = fetch(&app.client, &app, &hub, ZH)
            .await
            .text()
            .await
            .unwrap();
        assert_eq!(
            csv_names(body.trim_start_matches('\u{FEFF}')),
            sorted(gap_names(&w.specs, "industry_hub", in_hub_m))
        );

        // Excel: an .xlsx file holding the title, the headers and every name.
        let r = fetch(
            &app.client,
            &app,
            "/coverage/320102/gaps.xlsx?gap=regional_hub",
            ZH,
        )
        .await;
        assert_eq!(r.status(), StatusCode::OK);
        assert_eq!(
            r.headers()["content-type"],
            "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
        );
        let bytes = r.bytes().await.unwrap();
        let strings = xlsx_strings(&bytes);
        assert!(
            strings.contains("覆盖情况：玄武区 · 未加入区域性枢纽"),
            "{strings}"
        );
        assert!(strings.contains("统一社会信用代码"));
        let names = gap_names(&w.specs, "regional_hub", everyone);
        for s in &w.specs {
            let listed = names.iter().any(|n| n == s.name);
            assert_eq!(strings.contains(s.name), listed, "{}", s.name);
        }
        let hub = format!("/hubs/{}/coverage/gaps.xlsx", w.hub_m.id);
        let r = fetch(&app.client, &app, &hub, EN).await;
        assert_eq!(r.status(), StatusCode::OK);
        assert!(xlsx_strings(&r.bytes().await.unwrap()).contains("No party organization"));

        // Each download is in the audit trail, with its gap and format.
        let trail = app
            .store
            .audit_chunk(&AuditFilter::default(), None, 100)
            .await
            .unwrap();
        let exports: Vec<_> = trail
            .iter()
            .filter(|r| r.event.action == "coverage.export")
            .collect();
        assert_eq!(exports.len(), 5);
        assert!(
            exports
                .iter()
                .any(|r| r.event.object == "jurisdiction:320102"
                    && r.event.details.contains("\"regional_hub\"")
                    && r.event.details.contains("\"xlsx\""))
        );
        assert!(
            exports
                .iter()
                .any(|r| r.event.object == format!("hub:{}", w.hub_m.id))
        );
    }
);

http_test!(
    downloads_follow_the_reports_access_rule,
    |app: TestApp| async move {
        let w = build(&app).await;
        // A bad gap is a 422 naming it, and nothing is recorded.
        let r = fetch(
            &app.client,
            &app,
            "/coverage/320102/gaps.csv?gap=everyone",
            ZH,
        )
        .await;
        assert_eq!(r.status(), StatusCode::UNPROCESSABLE_ENTITY);
        let r = app
            .anon
            .get(app.url("/coverage/320102/gaps.csv"))
            .send()
            .await
            .unwrap();
        assert_eq!(r.status(), StatusCode::SEE_OTHER);
        let member = app
            .client_as("member", Role::OrgMember, None, Some(w.id(M1)))
            .await;
        for path in ["/coverage/320102/gaps.csv", "/coverage/320102/gaps.xlsx"] {
            let r = fetch(&member, &app, path, ZH).await;
            assert_eq!(r.status(), StatusCode::FORBIDDEN, "{path}");
        }
        // Hub staff: their own hub's members, not another hub's.
        let staff = app
            .client_as("staff", Role::HubStaff, None, Some(w.hub_m.organization_id))
            .await;
        let own = format!("/hubs/{}/coverage/gaps.csv", w.hub_m.id);
        assert_eq!(fetch(&staff, &app, &own, ZH).await.status(), StatusCode::OK);
        let other = format!("/hubs/{}/coverage/gaps.xlsx", w.hub_i.id);
        assert_eq!(
            fetch(&staff, &app, &other, ZH).await.status(),
            StatusCode::FORBIDDEN
        );
        // An official of another district gets what the report itself answers them.
        let qinhuai = app
            .client_as("qinhuai", Role::Official, Some(QINHUAI), None)
            .await;
        let report = fetch(&qinhuai, &app, "/coverage/320102", ZH).await.status();
        assert!(report.is_client_error(), "{report}");
        let r = fetch(&qinhuai, &app, "/coverage/320102/gaps.csv", ZH).await;
        assert_eq!(r.status(), report);
        for bad in [
            "/coverage/320199/gaps.csv",
            "/coverage/nope/gaps.xlsx",
            "/hubs/nope/coverage/gaps.csv",
        ] {
            assert_eq!(
                fetch(&app.client, &app, bad, ZH).await.status(),
                StatusCode::NOT_FOUND,
                "{bad}"
            );
        }
        let trail = app
            .store
            .audit_chunk(&AuditFilter::default(), None, 100)
            .await
            .unwrap();
        let exports = trail
            .iter()
            .filter(|r| r.event.action == "coverage.export")
            .count();
        assert_eq!(exports, 1, "only the staff's own download");
    }
);
