//! Accounts, scope and audit through the JSON API: 401 vs 403 vs 404, masking of
//! personal data by role, `/api/v1/me`, and the audit trail (browse, scope, CSV
//! export, verify). Every test runs on both backends.

use crate::common;

use common::{TestApp, org_json};
use reqwest::StatusCode;
use serde_json::{Value, json};
use shuniu_domain::access::Role;
use shuniu_store::WriteCtx;

const UNKNOWN_ID: &str = "01900000-0000-7000-8000-000000000000";
const XUANWU: &str = "320000/320100/320102/";
const QINHUAI: &str = "320000/320100/320104/";

async fn create(app: &TestApp, body: &Value) -> Value {
    app.create_org(body).await
}

async fn get(client: &reqwest::Client, url: String) -> (StatusCode, Value) {
    let resp = client.get(url).send().await.unwrap();
    let status = resp.status();
    (status, resp.json().await.unwrap_or(Value::Null))
}

/// A bearer client for a token made directly in the store.
fn bearer(token: &str) -> reqwest::Client {
    let mut h = reqwest::header::HeaderMap::new();
    h.insert(
        reqwest::header::AUTHORIZATION,
        format!("Bearer {token}").parse().unwrap(),
    );
    reqwest::Client::builder()
        .default_headers(h)
        .build()
        .unwrap()
}

async fn assert_401(resp: reqwest::Response, what: &str) {
    assert_eq!(resp.status(), StatusCode::UNAUTHORIZED, "{what}");
    let www = resp
        .headers()
        .get("www-authenticate")
        .unwrap_or_else(|| panic!("{what}: no WWW-Authenticate"))
        .to_str()
        .unwrap()
        .to_string();
    assert!(www.starts_with("Bearer"), "{what}: {www}");
    let v: Value = resp.json().await.unwrap();
    assert_eq!(v["error"], "unauthenticated", "{what}");
}

http_test!(
    bad_credentials_are_401_with_a_bearer_challenge,
    |app: TestApp| async move {
        let a = create(&app, &org_json(1)).await;
        let id = a["id"].as_str().unwrap();
        // No token where an account is needed.
        for (method, path) in [
            ("GET", "/api/v1/me".to_string()),
            ("GET", "/api/v1/audit".to_string()),
            ("GET", "/api/v1/audit.csv".to_string()),
            ("GET", "/api/v1/audit/verify".to_string()),
            ("POST", "/api/v1/organizations".to_string()),
            ("PATCH", format!("/api/v1/organizations/{id}")),
            ("PATCH", format!("/api/v1/organizations/{UNKNOWN_ID}")),
            ("POST", format!("/api/v1/organizations/{id}/status")),
        ] {
            let m = reqwest::Method::from_bytes(method.as_bytes()).unwrap();
            let resp = app
                .anon
                .request(m, app.url(&path))
                .json(&json!({"volunteers": 1}))
                .send()
                .await
                .unwrap();
            assert_401(resp, &format!("anonymous {method} {path}")).await;
        }
        // Public reads need no token…
        let (s, _) = get(&app.anon, app.url(&format!("/api/v1/organizations/{id}"))).await;
        assert_eq!(s, StatusCode::OK);

        // …but a bad one is never taken for anonymous: malformed, unknown, expired,
        // revoked, or of a disabled account.
        let user = app
            .store
            .create_user(
                &shuniu_store::accounts::NewUser {
                    username: shuniu_domain::accounts::Username::parse("tok.user").unwrap(),
                    display_name: "tok".into(),
                    role: Role::Expert,
                    jurisdiction_code: None,
                    organization_id: None,
                    password_hash: "$argon2id$not-a-hash".into(),
                    must_change_password: false,
                },
                WriteCtx::system("test"),
            )
            .await
            .unwrap();
        let mk = |days: i64| {
            let store = app.store.clone();
            async move {
                let token = shuniu_web::auth::random_token();
                let t = store
                    .create_api_token(
                        user.id,
                        "t",
                        &shuniu_web::auth::token_hash(&token),
                        chrono::Utc::now() + chrono::Duration::days(days),
                        WriteCtx::system("test"),
                    )
                    .await
                    .unwrap();
                (token, t.id)
            }
        };
        let (good, _) = mk(1).await;
        let (expired, _) = mk(-1).await;
        let (revoked, revoked_id) = mk(1).await;
        let (s, me) = get(&bearer(&good), app.url("/api/v1/me")).await;
        assert_eq!(s, StatusCode::OK);
        assert_eq!(me["username"], "tok.user");
        app.store
            .revoke_api_token(revoked_id, WriteCtx::system("test"))
            .await
            .unwrap();
        let unknown = shuniu_web::auth::random_token();
        for (label, client) in [
            ("unknown", bearer(&unknown)),
            ("expired", bearer(&expired)),
            ("revoked", bearer(&revoked)),
            ("malformed", bearer("")),
        ] {
            for path in [
                "/api/v1/me".to_string(),
                "/api/v1/organizations".to_string(),
                format!("/api/v1/organizations/{id}"),
                "/api/v1/jurisdictions/320102".to_string(),
            ] {
                let resp = client.get(app.url(&path)).send().await.unwrap();
                assert_401(resp, &format!("{label} token on {path}")).await;
            }
        }
        let basic = app
            .anon
            .get(app.url("/api/v1/me"))
            .header("authorization", "Basic YWRtaW46YWRtaW4=")
            .send()
            .await
            .unwrap();
        assert_401(basic, "basic auth").await;
        app.store
            .set_user_disabled(user.id, true, WriteCtx::system("test"))
            .await
            .unwrap();
        let resp = bearer(&good)
            .get(app.url("/api/v1/me"))
            .send()
            .await
            .unwrap();
        assert_401(resp, "token of a disabled account").await;

        // A session cookie does not authenticate the API.
        let sid = shuniu_web::auth::random_token();
        let admin = app.store.user_by_username("admin").await.unwrap().unwrap();
        app.store
            .create_session(&shuniu_web::auth::token_hash(&sid), admin.id, "c")
            .await
            .unwrap();
        let resp = app
            .anon
            .get(app.url("/api/v1/me"))
            .header("cookie", format!("shuniu_session={sid}"))
            .send()
            .await
            .unwrap();
        assert_401(resp, "session cookie on the API").await;
    }
);

http_test!(
    forbidden_is_403_and_unknown_is_404,
    |app: TestApp| async move {
        let a = create(&app, &org_json(1)).await;
        let id = a["id"].as_str().unwrap();
        let expert = app.client_as("ex.pert", Role::Expert, None, None).await;
        let qinhuai = app
            .client_as("qh.official", Role::Official, Some("320104"), None)
            .await;
        let xuanwu = app
            .client_as("xw.official", Role::Official, Some("320102"), None)
            .await;
        let patch = json!({"volunteers": 30});
        for (who, client) in [("expert", &expert), ("qinhuai", &qinhuai)] {
            // A known record the caller may read but not change: 403.
            let resp = client
                .patch(app.url(&format!("/api/v1/organizations/{id}")))
                .json(&patch)
                .send()
                .await
                .unwrap();
            assert_eq!(resp.status(), StatusCode::FORBIDDEN, "{who}");
            assert_eq!(resp.json::<Value>().await.unwrap()["error"], "forbidden");
            let resp = client
                .post(app.url(&format!("/api/v1/organizations/{id}/status")))
                .json(&json!({"status": "suspended", "reason": "整改"}))
                .send()
                .await
                .unwrap();
            assert_eq!(resp.status(), StatusCode::FORBIDDEN, "{who}");
            // An unknown one: 404, whatever the caller's rights.
            let resp = client
                .patch(app.url(&format!("/api/v1/organizations/{UNKNOWN_ID}")))
                .json(&patch)
                .send()
                .await
                .unwrap();
            assert_eq!(resp.status(), StatusCode::NOT_FOUND, "{who}");
            assert_eq!(resp.json::<Value>().await.unwrap()["error"], "not_found");
            // Reading stays allowed.
            let (s, _) = get(client, app.url(&format!("/api/v1/organizations/{id}"))).await;
            assert_eq!(s, StatusCode::OK);
        }
        // Registering outside one's jurisdiction: 403, nothing written.
        let resp = qinhuai
            .post(app.url("/api/v1/organizations"))
            .json(&org_json(2))
            .send()
            .await
            .unwrap();
        assert_eq!(resp.status(), StatusCode::FORBIDDEN);
        let resp = xuanwu
            .post(app.url("/api/v1/organizations"))
            .json(&org_json(3))
            .send()
            .await
            .unwrap();
        assert_eq!(resp.status(), StatusCode::CREATED);
        // The official in scope may edit; nothing changed by the refused calls.
        let resp = xuanwu
            .patch(app.url(&format!("/api/v1/organizations/{id}")))
            .json(&patch)
            .send()
            .await
            .unwrap();
        assert_eq!(resp.status(), StatusCode::OK);
        let history: Value = app
            .client
            .get(app.url(&format!("/api/v1/organizations/{id}/history")))
            .send()
            .await
            .unwrap()
            .json()
            .await
            .unwrap();
        assert_eq!(history.as_array().unwrap().len(), 2, "{history}");
        assert_eq!(history[0]["actor"], "xw.official");
        // Denials are in the audit trail.
        let denied = app.audit_records("access.denied").await;
        let actors: Vec<&str> = denied
            .items
            .iter()
            .map(|r| r.event.actor.as_str())
            .collect();
        assert!(actors.contains(&"ex.pert"), "{actors:?}");
        assert!(actors.contains(&"qh.official"), "{actors:?}");
        assert!(
            denied
                .items
                .iter()
                .all(|r| r.event.outcome.as_str() == "failure")
        );
    }
);

http_test!(
    phones_are_masked_unless_the_role_needs_them,
    |app: TestApp| async move {
        let a = create(&app, &org_json(1)).await;
        let id = a["id"].as_str().unwrap().to_string();
        let a_id: uuid::Uuid = id.parse().unwrap();
        let other = create(&app, &org_json(2)).await;
        let other_id: uuid::Uuid = other["id"].as_str().unwrap().parse().unwrap();
        // A change of the phone, in the history.
        let resp = app
            .client
            .patch(app.url(&format!("/api/v1/organizations/{id}")))
            .json(&json!({"contact_phone": "13912345678"}))
            .send()
            .await
            .unwrap();
        assert_eq!(resp.status(), StatusCode::OK);
        let full = "13912345678";
        let masked = "139****5678";
        let clients = vec![
            ("anonymous", app.anon.clone(), false),
            (
                "expert",
                app.client_as("ex.pert", Role::Expert, None, None).await,
                false,
            ),
            (
                "official out of scope",
                app.client_as("qh.off", Role::Official, Some("320104"), None)
                    .await,
                false,
            ),
            (
                "hub staff of another organization",
                app.client_as("hub.staff", Role::HubStaff, None, Some(other_id))
                    .await,
                false,
            ),
            (
                "member of another organization",
                app.client_as("om.member", Role::OrgMember, None, Some(other_id))
                    .await,
                false,
            ),
            ("admin", app.client.clone(), true),
            (
                "official in scope",
                app.client_as("xw.off", Role::Official, Some("320102"), None)
                    .await,
                true,
            ),
            (
                "official of the street",
                app.client_as("my.off", Role::Official, Some("320102002000"), None)
                    .await,
                true,
            ),
            (
                "member of the organization",
                app.client_as("am.member", Role::OrgMember, None, Some(a_id))
                    .await,
                true,
            ),
        ];
        for (who, client, sees) in clients {
            let want = if sees { full } else { masked };
            let (s, rec) = get(&client, app.url(&format!("/api/v1/organizations/{id}"))).await;
            assert_eq!(s, StatusCode::OK, "{who}");
            assert_eq!(rec["contact_phone"], want, "{who}: record");
            let (_, page) = get(&client, app.url("/api/v1/organizations?sort=name")).await;
            let item = page["items"]
                .as_array()
                .unwrap()
                .iter()
                .find(|i| i["id"] == id.as_str())
                .unwrap()
                .clone();
            assert_eq!(item["contact_phone"], want, "{who}: list");
            let (s, history) = get(
                &client,
                app.url(&format!("/api/v1/organizations/{id}/history")),
            )
            .await;
            assert_eq!(s, StatusCode::OK, "{who}");
            let change = &history[0]["changes"]["contact_phone"];
            let (from, to) = if sees {
                ("13812348000", full)
            } else {
                ("138****8000", masked)
            };
            assert_eq!(change["from"], from, "{who}: history {change}");
            assert_eq!(change["to"], to, "{who}: history {change}");
            // The full number appears nowhere in what a masked caller gets about A.
            if !sees {
                for body in [rec.to_string(), item.to_string(), history.to_string()] {
                    assert!(!body.contains(full), "{who}: {body}");
                    assert!(!body.contains("13812348000"), "{who}: {body}");
                }
            }
        }
    }
);

http_test!(
    me_names_the_account_and_its_bindings,
    |app: TestApp| async move {
        let a = create(&app, &org_json(1)).await;
        let a_id: uuid::Uuid = a["id"].as_str().unwrap().parse().unwrap();
        let (s, me) = get(&app.client, app.url("/api/v1/me")).await;
        assert_eq!(s, StatusCode::OK);
        assert_eq!(me["username"], "admin");
        assert_eq!(me["role"], "admin");
        assert_eq!(me["bindings"]["jurisdiction"], Value::Null);
        let official = app
            .client_as("xw.off", Role::Official, Some("320102"), None)
            .await;
        let (_, me) = get(&official, app.url("/api/v1/me")).await;
        assert_eq!(me["role"], "official");
        assert_eq!(me["bindings"]["jurisdiction"], "320102");
        assert_eq!(me["bindings"]["jurisdiction_path"], XUANWU);
        let member = app
            .client_as("am.member", Role::OrgMember, None, Some(a_id))
            .await;
        let (_, me) = get(&member, app.url("/api/v1/me")).await;
        assert_eq!(me["role"], "org_member");
        assert_eq!(me["bindings"]["organization"], a["id"]);
        // Nothing secret in it.
        let text = me.to_string();
        assert!(!text.contains("argon2"), "{text}");
        assert!(!text.contains("password_hash"), "{text}");
    }
);

/// Org A in Xuanwu, org B in Qinhuai (registered by the admin), a few changes each.
async fn two_districts(app: &TestApp) -> (String, String) {
    let a = create(app, &org_json(1)).await;
    let mut b = org_json(2);
    b["jurisdiction"] = json!("320104");
    b["uscc"] = json!(
        shuniu_domain::codes::Uscc::assemble('5', '2', "320104", "MJ000002")
            .unwrap()
            .as_str()
    );
    let b = create(app, &b).await;
    for id in [&a["id"], &b["id"]] {
        let resp = app
            .client
            .patch(app.url(&format!("/api/v1/organizations/{}", id.as_str().unwrap())))
            .json(&json!({"volunteers": 40}))
            .send()
            .await
            .unwrap();
        assert_eq!(resp.status(), StatusCode::OK);
    }
    (
        a["id"].as_str().unwrap().to_string(),
        b["id"].as_str().unwrap().to_string(),
    )
}

fn paths_of(page: &Value) -> Vec<String> {
    page["items"]
        .as_array()
        .unwrap()
        .iter()
        .map(|i| i["jurisdiction_path"].as_str().unwrap_or("").to_string())
        .collect()
}

http_test!(
    officials_browse_the_audit_trail_of_their_jurisdiction_only,
    |app: TestApp| async move {
        let (a, b) = two_districts(&app).await;
        let xuanwu = app
            .client_as("xw.off", Role::Official, Some("320102"), None)
            .await;
        let qinhuai = app
            .client_as("qh.off", Role::Official, Some("320104"), None)
            .await;
        // The admin sees everything.
        let (s, all) = get(&app.client, app.url("/api/v1/audit?action=organization.")).await;
        assert_eq!(s, StatusCode::OK, "{all}");
        assert_eq!(all["total"], 4, "{all}");
        let objects: Vec<&str> = all["items"]
            .as_array()
            .unwrap()
            .iter()
            .map(|i| i["object"].as_str().unwrap())
            .collect();
        assert!(objects.iter().any(|o| o.ends_with(&a)), "{objects:?}");
        assert!(objects.iter().any(|o| o.ends_with(&b)), "{objects:?}");
        // Each official: only records within their subtree; the other's are invisible.
        for (client, mine, theirs, other_id) in [
            (&xuanwu, XUANWU, QINHUAI, &b),
            (&qinhuai, QINHUAI, XUANWU, &a),
        ] {
            let (s, page) = get(client, app.url("/api/v1/audit?per_page=500")).await;
            assert_eq!(s, StatusCode::OK, "{page}");
            for p in paths_of(&page) {
                assert!(p.starts_with(mine), "{p} is outside {mine}");
                assert!(!p.starts_with(theirs));
            }
            assert!(!page.to_string().contains(other_id.as_str()));
            let (_, orgs) = get(client, app.url("/api/v1/audit?action=organization.")).await;
            assert_eq!(orgs["total"], 2, "{orgs}");
        }
        // An official of Qinhuai sees zero of Xuanwu's records, whatever the filter.
        let (_, none) = get(
            &qinhuai,
            app.url("/api/v1/audit?action=organization.update&actor=admin&per_page=500"),
        )
        .await;
        assert!(paths_of(&none).iter().all(|p| !p.starts_with(XUANWU)));
        assert_eq!(none["total"], 1);

        // Filters.
        let (_, f) = get(
            &app.client,
            app.url("/api/v1/audit?actor=admin&action=organization.update"),
        )
        .await;
        assert_eq!(f["total"], 2, "{f}");
        assert!(
            f["items"]
                .as_array()
                .unwrap()
                .iter()
                .all(|i| i["action"] == "organization.update")
        );
        let (_, f) = get(&app.client, app.url("/api/v1/audit?outcome=failure")).await;
        assert_eq!(f["total"], 0, "{f}");
        let (_, f) = get(
            &app.client,
            app.url("/api/v1/audit?to=2000-01-01T00:00:00Z"),
        )
        .await;
        assert_eq!(f["total"], 0, "{f}");
        let (_, f) = get(
            &app.client,
            app.url("/api/v1/audit?from=2000-01-01T08:00:00%2B08:00&action=organization.&per_page=1&page=2"),
        )
        .await;
        assert_eq!(f["total"], 4, "{f}");
        assert_eq!(f["items"].as_array().unwrap().len(), 1);
        assert_eq!(f["page"], 2);
        // Newest first, and the record's shape.
        let items = all["items"].as_array().unwrap();
        assert!(items[0]["seq"].as_i64() > items[1]["seq"].as_i64());
        assert!(items[0]["details"].is_object(), "{}", items[0]);
        assert_eq!(items[0]["hash"].as_str().unwrap().len(), 64);

        // Bad parameters: 422 naming each.
        let (s, e) = get(
            &app.client,
            app.url("/api/v1/audit?outcome=maybe&from=yesterday&to=2026-13-01&page=0&per_page=501"),
        )
        .await;
        assert_eq!(s, StatusCode::UNPROCESSABLE_ENTITY);
        for f in ["outcome", "from", "to", "page", "per_page"] {
            assert!(e["fields"][f].is_string(), "{f}: {e}");
        }
        // Roles without the right: 403; no token: 401 (even with bad parameters).
        for role in [Role::Expert, Role::OrgMember, Role::HubStaff] {
            let org = (role != Role::Expert).then(|| a.parse().unwrap());
            let c = app
                .client_as(
                    &format!("u.{}", role.as_str().replace('_', "")),
                    role,
                    None,
                    org,
                )
                .await;
            let (s, _) = get(&c, app.url("/api/v1/audit")).await;
            assert_eq!(s, StatusCode::FORBIDDEN, "{role:?}");
            let (s, _) = get(&c, app.url("/api/v1/audit.csv")).await;
            assert_eq!(s, StatusCode::FORBIDDEN, "{role:?}");
        }
        let (s, _) = get(&app.anon, app.url("/api/v1/audit?outcome=maybe")).await;
        assert_eq!(s, StatusCode::UNAUTHORIZED);
    }
);

fn csv_rows(text: &str) -> Vec<csv::StringRecord> {
    let text = text.strip_prefix('\u{feff}').expect("a byte-order mark");
    let mut r = csv::Reader::from_reader(text.as_bytes());
    assert_eq!(
        r.headers().unwrap().iter().collect::<Vec<_>>(),
        [
            "seq",
            "at",
            "actor",
            "role",
            "source",
            "action",
            "object",
            "outcome",
            "details",
            "jurisdiction_path",
            "prev_hash",
            "hash"
        ]
    );
    r.records().map(|x| x.unwrap()).collect()
}

http_test!(
    the_csv_export_matches_the_filters_and_is_itself_audited,
    |app: TestApp| async move {
        let (_, b) = two_districts(&app).await;
        let resp = app
            .client
            .get(app.url("/api/v1/audit.csv?action=organization."))
            .send()
            .await
            .unwrap();
        assert_eq!(resp.status(), StatusCode::OK);
        let ct = resp.headers()["content-type"].to_str().unwrap().to_string();
        assert!(ct.starts_with("text/csv"), "{ct}");
        assert!(
            resp.headers()["content-disposition"]
                .to_str()
                .unwrap()
                .starts_with("attachment")
        );
        let rows = csv_rows(&resp.text().await.unwrap());
        assert_eq!(rows.len(), 4);
        assert!(rows.iter().all(|r| r[5].starts_with("organization.")));
        // The details survive the CSV quoting: a reference to the change audited (its
        // id and digest), which the organization's history holds.
        let details: Value = serde_json::from_str(&rows[0][8]).unwrap();
        assert_eq!(details["sha256"].as_str().unwrap().len(), 64, "{details}");
        let org = rows[0][6].strip_prefix("organization:").unwrap();
        let (_, history) = get(
            &app.client,
            app.url(&format!("/api/v1/organizations/{org}/history")),
        )
        .await;
        let change = history
            .as_array()
            .unwrap()
            .iter()
            .find(|c| c["id"] == details["change"])
            .unwrap_or_else(|| panic!("{details} not in {history}"));
        assert_eq!(change["changes"]["volunteers"]["to"], 40, "{change}");

        // The export is recorded, with its filter, by whom.
        let (_, ex) = get(&app.client, app.url("/api/v1/audit?action=audit.export")).await;
        assert_eq!(ex["total"], 1, "{ex}");
        let rec = &ex["items"][0];
        assert_eq!(rec["actor"], "admin");
        assert_eq!(rec["outcome"], "success");
        assert_eq!(rec["details"]["filter"]["action"], "organization.");

        // An official's export: their subtree only, and their export in their trail.
        let xuanwu = app
            .client_as("xw.off", Role::Official, Some("320102"), None)
            .await;
        let text = xuanwu
            .get(app.url("/api/v1/audit.csv"))
            .send()
            .await
            .unwrap()
            .text()
            .await
            .unwrap();
        let rows = csv_rows(&text);
        assert!(!rows.is_empty());
        assert!(rows.iter().all(|r| r[9].starts_with(XUANWU)), "{text}");
        assert!(!text.contains(&b));
        let (_, ex) = get(&xuanwu, app.url("/api/v1/audit?action=audit.export")).await;
        assert_eq!(ex["total"], 1, "{ex}");
        assert_eq!(ex["items"][0]["actor"], "xw.off");

        // Bad filters: 422 before anything is exported or recorded.
        let (s, _) = get(&app.client, app.url("/api/v1/audit.csv?from=soon")).await;
        assert_eq!(s, StatusCode::UNPROCESSABLE_ENTITY);
        let (_, ex) = get(&app.client, app.url("/api/v1/audit?action=audit.export")).await;
        assert_eq!(ex["total"], 2, "{ex}");
    }
);

http_test!(
    a_large_export_streams_every_record_once,
    |app: TestApp| async move {
        // More than one chunk of the export (1,000 records per round trip).
        let ctx = WriteCtx::system("bulk");
        for _ in 0..1_205 {
            app.store
                .audit(ctx.event_for_tests("bulk.event"))
                .await
                .unwrap();
        }
        let text = app
            .client
            .get(app.url("/api/v1/audit.csv?action=bulk."))
            .send()
            .await
            .unwrap()
            .text()
            .await
            .unwrap();
        let rows = csv_rows(&text);
        assert_eq!(rows.len(), 1_205);
        let seqs: Vec<i64> = rows.iter().map(|r| r[0].parse().unwrap()).collect();
        assert!(
            seqs.windows(2).all(|w| w[0] > w[1]),
            "newest first, no repeats"
        );
    }
);

http_test!(
    verify_reports_the_chain_and_its_first_break,
    |app: TestApp| async move {
        two_districts(&app).await;
        let (s, v) = get(&app.client, app.url("/api/v1/audit/verify")).await;
        assert_eq!(s, StatusCode::OK, "{v}");
        assert_eq!(v["first_break"], Value::Null, "{v}");
        let n = v["verified"].as_i64().unwrap();
        assert!(n >= 6, "{v}");
        // Officials browse their part of the trail but do not verify the whole.
        let official = app
            .client_as("xw.off", Role::Official, Some("320102"), None)
            .await;
        let (s, _) = get(&official, app.url("/api/v1/audit/verify")).await;
        assert_eq!(s, StatusCode::FORBIDDEN);
        let (s, _) = get(&app.anon, app.url("/api/v1/audit/verify")).await;
        assert_eq!(s, StatusCode::UNAUTHORIZED);
        // Someone with database access alters record 3.
        app.store.disable_audit_guard_for_tests().await;
        app.store
            .execute_raw_for_tests("UPDATE audit_log SET details = '{}' WHERE seq = 3")
            .await
            .unwrap();
        let (s, v) = get(&app.client, app.url("/api/v1/audit/verify")).await;
        assert_eq!(s, StatusCode::OK);
        assert_eq!(v["first_break"]["seq"], 3, "{v}");
        assert!(v["first_break"]["problem"].as_str().unwrap().len() > 3);
        assert_eq!(v["first_break"]["kind"], "altered", "{v}");
        assert_eq!(v["verified"], 2);
    }
);

http_test!(
    tokens_never_appear_in_the_audit_trail_or_answers,
    |app: TestApp| async move {
        let token = shuniu_web::auth::random_token();
        let admin = app.store.user_by_username("admin").await.unwrap().unwrap();
        app.store
            .create_api_token(
                admin.id,
                "ci",
                &shuniu_web::auth::token_hash(&token),
                chrono::Utc::now() + chrono::Duration::days(1),
                WriteCtx::system("test"),
            )
            .await
            .unwrap();
        let client = bearer(&token);
        let (s, _) = get(&client, app.url("/api/v1/me")).await;
        assert_eq!(s, StatusCode::OK);
        // A wrong token is recorded (without itself).
        let wrong = shuniu_web::auth::random_token();
        let resp = bearer(&wrong)
            .get(app.url("/api/v1/audit"))
            .send()
            .await
            .unwrap();
        assert_eq!(resp.status(), StatusCode::UNAUTHORIZED);
        let body = resp.text().await.unwrap();
        assert!(!body.contains(&wrong));
        let (_, trail) = get(&client, app.url("/api/v1/audit?per_page=500")).await;
        let text = trail.to_string();
        assert!(
            text.contains("api.unauthenticated"),
            "a failed API authentication is recorded: {text}"
        );
        let csv = client
            .get(app.url("/api/v1/audit.csv"))
            .send()
            .await
            .unwrap()
            .text()
            .await
            .unwrap();
        for secret in [&token, &wrong] {
            let hash = shuniu_web::auth::token_hash(secret);
            for (what, hay) in [("audit JSON", &text), ("audit CSV", &csv)] {
                assert!(!hay.contains(secret.as_str()), "token in the {what}");
                assert!(!hay.contains(&hash), "token hash in the {what}");
            }
        }
    }
);

http_test!(
    a_flood_of_bad_tokens_is_recorded_once_with_its_count_pending,
    |app: TestApp| async move {
        for _ in 0..6 {
            let resp = bearer(&shuniu_web::auth::random_token())
                .get(app.url("/api/v1/me"))
                .send()
                .await
                .unwrap();
            assert_eq!(resp.status(), StatusCode::UNAUTHORIZED);
        }
        let (s, page) = get(
            &app.client,
            app.url("/api/v1/audit?action=api.unauthenticated&per_page=50"),
        )
        .await;
        assert_eq!(s, StatusCode::OK, "{page}");
        let items = page["items"].as_array().unwrap();
        assert_eq!(items.len(), 1, "one record per source and minute: {page}");
        let details = items[0]["details"].to_string();
        assert!(details.contains("unrecorded_failures_before"), "{details}");
    }
);
