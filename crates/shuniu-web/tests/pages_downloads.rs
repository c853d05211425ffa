//! Downloads of lists from their pages (`kit::export`): the organization list as CSV
//! and Excel with the page's filters, the header in the reader's language, formula
//! injection neutralised, the links on the page, and the audit record — on SQLite and
//! PostgreSQL.

use std::io::Read;

use crate::common;
use crate::pages_support;

use common::{TestApp, org_json};
use pages_support::*;
use reqwest::StatusCode;

async fn fetch(c: &reqwest::Client, app: &TestApp, path: &str, lang: &str) -> reqwest::Response {
    c.get(app.url(path))
        .header(reqwest::header::ACCEPT_LANGUAGE, lang)
        .send()
        .await
        .unwrap()
}

/// The rows of a CSV body (after the byte-order mark), header first.
fn csv_rows(bytes: &[u8]) -> Vec<Vec<String>> {
    assert!(
        bytes.starts_with("\u{FEFF}".as_bytes()),
        "no byte-order mark"
    );
    let mut r = csv::ReaderBuilder::new()
        .has_headers(false)
        .from_reader(&bytes[3..]);
    r.records()
        .map(|r| r.unwrap().iter().map(String::from).collect())
        .collect()
}

/// Two organizations in Meiyuan Xincun (one named like a formula) and one in Xinjiekou.
async fn seed_list(app: &TestApp) {
    let mut a = org_json(1);
    a["name"] = "=HYPERLINK(\"http://x\")互助会".into();
    app.create_org(&a).await;
    app.create_org(&org_json(2)).await;
    let mut c = org_json(3);
    c["jurisdiction"] = "320102003000".into();
    app.create_org(&c).await;
}

http_test!(
    organization_list_downloads_with_its_filters,
    |app: TestApp| async move {
        seed_list(&app).await;
        // The list links both downloads, with its filters, to everyone (it is public).
        let p = get(
            &app,
            "/organizations?jurisdiction=320102002000&page=1",
            Some(ZH),
        )
        .await;
        p.assert_has("href=\"/organizations.csv?jurisdiction=320102002000\"");
        p.assert_has("href=\"/organizations.xlsx?jurisdiction=320102002000\"");
        p.assert_has("下载 CSV");
        let anon = fetch(&app.anon, &app, "/organizations", EN).await;
        let html = anon.text().await.unwrap();
        assert!(html.contains("href=\"/organizations.csv\""), "{html}");
        assert!(html.contains("Download Excel"));

        // CSV in Chinese: the header, the street's two rows, the formula neutralised.
        let r = fetch(
            &app.client,
            &app,
            "/organizations.csv?jurisdiction=320102002000",
            ZH,
        )
        .await;
        assert_eq!(r.status(), StatusCode::OK);
        assert_eq!(r.headers()["content-type"], "text/csv; charset=utf-8");
        let cd = r.headers()["content-disposition"]
            .to_str()
            .unwrap()
            .to_string();
        assert!(
            cd.starts_with("attachment; filename=\"shuniu-organizations-")
                && cd.ends_with(".csv\""),
            "{cd}"
        );
        let rows = csv_rows(&r.bytes().await.unwrap());
        assert_eq!(rows[0][0], "名称", "{rows:?}");
        assert_eq!(rows[0][3], "所属辖区", "{rows:?}");
        assert_eq!(rows.len(), 3, "{rows:?}");
        let names: Vec<&str> = rows[1..].iter().map(|r| r[0].as_str()).collect();
        assert!(names.contains(&"测试服务中心2"), "{names:?}");
        assert!(
            names.contains(&"'=HYPERLINK(\"http://x\")互助会"),
            "{names:?}"
        );
        assert!(rows[1..].iter().all(|r| r[4] == "320102002000"), "{rows:?}");
        assert!(rows[1..].iter().all(|r| r[3] == "梅园新村街道"), "{rows:?}");

        // In English, the whole district: three rows.
        let r = fetch(
            &app.anon,
            &app,
            "/organizations.csv?jurisdiction=320102",
            EN,
        )
        .await;
        assert_eq!(r.status(), StatusCode::OK);
        let rows = csv_rows(&r.bytes().await.unwrap());
        assert_eq!(rows[0][0], "Name", "{rows:?}");
        assert_eq!(rows.len(), 4, "{rows:?}");
        assert!(rows.iter().any(|r| r[0] == "测试服务中心3"));

        // A bad filter: 422, as the API's list.
        let r = fetch(&app.client, &app, "/organizations.csv?legal_form=club", EN).await;
        assert_eq!(r.status(), StatusCode::UNPROCESSABLE_ENTITY);

        // Excel: a zip file holding the rows and the title.
        let r = fetch(
            &app.client,
            &app,
            "/organizations.xlsx?jurisdiction=320102002000",
            ZH,
        )
        .await;
        assert_eq!(r.status(), StatusCode::OK);
        assert!(
            r.headers()["content-type"]
                .to_str()
                .unwrap()
                .contains("spreadsheetml")
        );
        let bytes = r.bytes().await.unwrap();
        assert!(bytes.starts_with(b"PK\x03\x04"));
        let mut z = zip::ZipArchive::new(std::io::Cursor::new(&bytes[..])).unwrap();
        let mut s = String::new();
        z.by_name("xl/sharedStrings.xml")
            .unwrap()
            .read_to_string(&mut s)
            .unwrap();
        assert!(s.contains("测试服务中心2"), "{s}");
        assert!(!s.contains("测试服务中心3"), "{s}");

        // Each download is in the audit trail, with the list and the format.
        let recs = app.audit_records("list.export").await.items;
        assert_eq!(recs.len(), 3, "the 422 is not a download");
        assert!(recs.iter().all(|r| r.event.object == "list:organizations"));
        assert!(
            recs.iter()
                .any(|r| r.event.details.contains("\"format\":\"xlsx\"")
                    && r.event.details.contains("jurisdiction=320102002000"))
        );
        assert!(recs.iter().any(|r| r.event.role == "anonymous"));
    }
);

// A download compressed on the way (the browser asks for gzip) arrives whole.
http_test!(
    downloads_stream_whole_under_gzip,
    |app: TestApp| async move {
        for n in 1..=5 {
            app.create_org(&org_json(n)).await;
        }
        let r = app
            .anon
            .get(app.url("/organizations.csv"))
            .header(reqwest::header::ACCEPT_ENCODING, "gzip")
            .send()
            .await
            .unwrap();
        assert_eq!(r.status(), StatusCode::OK);
        assert_eq!(r.headers()["content-encoding"], "gzip");
        let bytes = r.bytes().await.unwrap();
        let mut text = Vec::new();
        flate2::read::GzDecoder::new(&bytes[..])
            .read_to_end(&mut text)
            .unwrap();
        assert_eq!(csv_rows(&text).len(), 6);
    }
);

/// When every export slot is taken, a download is told to come back (503, Retry-After).
mod slots {
    use super::*;

    async fn run(backend: shuniu_store::testing::TestBackend) {
        let (app, state) =
            common::spawn_app_with_auth(backend, shuniu_web::auth::AuthSettings::default()).await;
        let mut held = Vec::new();
        while let Ok(p) = state.exports.take() {
            held.push(p);
        }
        let r = fetch(&app.anon, &app, "/organizations.csv", EN).await;
        assert_eq!(r.status(), StatusCode::SERVICE_UNAVAILABLE);
        assert!(r.headers().contains_key("retry-after"));
        let r = fetch(&app.client, &app, "/api/v1/organizations.csv", EN).await;
        assert_eq!(r.status(), StatusCode::SERVICE_UNAVAILABLE);
        assert!(r.headers().contains_key("retry-after"));
        drop(held);
        let r = fetch(&app.anon, &app, "/organizations.csv", EN).await;
        assert_eq!(r.status(), StatusCode::OK);
    }

    #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
    async fn sqlite() {
        run(shuniu_store::testing::TestBackend::Sqlite).await;
    }
    #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
    async fn postgres() {
        run(shuniu_store::testing::TestBackend::Postgres).await;
    }
}

// The other public lists: their downloads answer the header in
// the reader's language and refuse a bad filter as the page does.
http_test!(public_lists_download_alike, |app: TestApp| async move {
    for (list, zh, en, bad) in [
        ("/hubs", "枢纽组织", "Hub", "kind=nope"),
        ("/venues", "场地", "Venue", "hub=nope"),
        ("/services", "服务名称", "Service", "category=nope"),
        ("/credit-lists", "社会组织", "Organization", "list=nope"),
    ] {
        for (lang, head) in [(ZH, zh), (EN, en)] {
            let r = fetch(
                &app.anon,
                &app,
                &format!("{list}.csv?jurisdiction=320102"),
                lang,
            )
            .await;
            assert_eq!(r.status(), StatusCode::OK, "{list}");
            let rows = csv_rows(&r.bytes().await.unwrap());
            assert!(rows[0][0].starts_with(head), "{list}: {:?}", rows[0]);
        }
        let r = fetch(&app.anon, &app, &format!("{list}.xlsx"), EN).await;
        assert_eq!(r.status(), StatusCode::OK, "{list}");
        assert!(r.bytes().await.unwrap().starts_with(b"PK\x03\x04"));
        let r = fetch(&app.anon, &app, &format!("{list}.csv?{bad}"), EN).await;
        assert_eq!(r.status(), StatusCode::UNPROCESSABLE_ENTITY, "{list}");
    }
    let recs = app.audit_records("list.export").await.items;
    assert_eq!(recs.len(), 12);
    for list in ["hubs", "venues", "services", "credit_lists"] {
        assert!(
            recs.iter()
                .any(|r| r.event.object == format!("list:{list}")),
            "{list}"
        );
    }
});
