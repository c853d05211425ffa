//! HTTP tests of party building and coverage under `/api/v1` on SQLite and PostgreSQL:
//! coverage figures of a district, its streets and hubs computed from a small world,
//! the lists of organizations not covered and their paging, who may see and change
//! what, and the instructor register.

use crate::common;
use crate::coverage_support;

use common::TestApp;
use coverage_support::*;
use reqwest::{Method, StatusCode};
use serde_json::{Value, json};
use shuniu_domain::access::Role;
use shuniu_domain::party::Share;

async fn call(
    app: &TestApp,
    c: &reqwest::Client,
    method: Method,
    path: &str,
    body: Option<&Value>,
) -> (StatusCode, Value) {
    let mut rq = c.request(method, app.url(path));
    if let Some(b) = body {
        rq = rq.json(b);
    }
    let resp = rq.send().await.expect("request sent");
    let status = resp.status();
    let text = resp.text().await.unwrap();
    let v = serde_json::from_str(&text)
        .unwrap_or_else(|e| panic!("{path}: not JSON ({e}): {text:?} ({status})"));
    (status, v)
}

async fn get(app: &TestApp, c: &reqwest::Client, path: &str) -> (StatusCode, Value) {
    call(app, c, Method::GET, path, None).await
}

async fn post(app: &TestApp, c: &reqwest::Client, path: &str, b: &Value) -> (StatusCode, Value) {
    call(app, c, Method::POST, path, Some(b)).await
}

fn bad_fields(v: &Value) -> Vec<String> {
    assert_eq!(v["error"], "validation_failed", "{v}");
    let mut f: Vec<String> = v["fields"].as_object().unwrap().keys().cloned().collect();
    f.sort();
    f
}

#[track_caller]
fn assert_share(v: &Value, s: Share, what: &str) {
    assert_eq!(v["covered"], s.covered, "{what}: {v}");
    assert_eq!(v["total"], s.total, "{what}: {v}");
    assert_eq!(v["permille"], s.permille(), "{what}: {v}");
    assert_eq!(v["percent"], s.percent_text(), "{what}: {v}");
}

/// The four figures of a report (`party` and `hubs`) against the model.
#[track_caller]
fn assert_figures(v: &Value, e: [Share; 4], what: &str) {
    assert_share(&v["party"]["organizations"], e[0], what);
    assert_share(&v["party"]["work"], e[1], what);
    assert_share(&v["hubs"]["regional"], e[2], what);
    assert_share(&v["hubs"]["industry"], e[3], what);
}

/// Every name of an uncovered list, walking its pages `per_page` at a time.
async fn all_uncovered(app: &TestApp, base: &str, gap: &str, per_page: u32) -> (i64, Vec<String>) {
    let mut names = Vec::new();
    let mut page = 1;
    loop {
        let sep = if base.contains('?') { '&' } else { '?' };
        let (st, v) = get(
            app,
            &app.client,
            &format!("{base}{sep}gap={gap}&page={page}&per_page={per_page}"),
        )
        .await;
        assert_eq!(st, StatusCode::OK, "{v}");
        let list = if v.get("uncovered").is_some() {
            v["uncovered"].clone()
        } else {
            v
        };
        assert_eq!(list["gap"], gap);
        assert_eq!(list["page"], page);
        assert_eq!(list["per_page"], per_page);
        let items = list["items"].as_array().unwrap();
        let total = list["total"].as_i64().unwrap();
        let pages = (total as u32).div_ceil(per_page);
        if page <= pages {
            let expect = if page < pages {
                per_page as usize
            } else {
                total as usize - (pages as usize - 1) * per_page as usize
            };
            assert_eq!(items.len(), expect, "page {page} of {gap}");
        } else {
            assert!(items.is_empty(), "past the last page of {gap}");
            names.sort();
            let mut dedup = names.clone();
            dedup.dedup();
            assert_eq!(dedup.len(), names.len(), "an organization on two pages");
            return (total, names);
        }
        for it in items {
            assert!(it["id"].as_str().is_some());
            names.push(it["name"].as_str().unwrap().to_string());
        }
        page += 1;
    }
}

http_test!(
    district_and_street_coverage_follow_the_data,
    |app: TestApp| async move {
        let w = build(&app).await;
        let (st, v) = get(&app, &app.client, "/api/v1/coverage/320102").await;
        assert_eq!(st, StatusCode::OK, "{v}");
        assert_eq!(v["jurisdiction"]["code"], XUANWU);
        assert_eq!(v["jurisdiction"]["level"], "district");
        assert_figures(&v, expected(&w.specs, everyone), "Xuanwu");
        // One row per street, in code order, each with its own figures.
        let children = v["children"].as_array().unwrap();
        let codes: Vec<&str> = children
            .iter()
            .map(|c| c["jurisdiction"]["code"].as_str().unwrap())
            .collect();
        let mut sorted = codes.clone();
        sorted.sort();
        assert_eq!(codes, sorted);
        assert!(
            codes.contains(&MEIYUAN) && codes.contains(&XINJIEKOU),
            "{codes:?}"
        );
        for c in children {
            let code = c["jurisdiction"]["code"].as_str().unwrap();
            let street: &'static str = match code {
                MEIYUAN => MEIYUAN,
                XINJIEKOU => XINJIEKOU,
                _ => "",
            };
            assert_figures(c, expected(&w.specs, in_street(street)), code);
        }
        // A street on its own agrees with its row.
        let (st, v) = get(&app, &app.client, "/api/v1/coverage/320102002000").await;
        assert_eq!(st, StatusCode::OK, "{v}");
        assert_eq!(v["jurisdiction"]["level"], "street");
        assert_figures(&v, expected(&w.specs, in_street(MEIYUAN)), "Meiyuan");
        // The deregistered organization is counted nowhere.
        let (_, v) = get(&app, &app.client, "/api/v1/coverage/320102003000").await;
        let live_x = w
            .specs
            .iter()
            .filter(|s| s.street == XINJIEKOU && s.live)
            .count();
        assert_eq!(v["party"]["organizations"]["total"], live_x as i64);

        // Unknown or malformed codes name nothing.
        for bad in ["320199", "320102999000", "abc", "3201020020001"] {
            let (st, v) = get(&app, &app.client, &format!("/api/v1/coverage/{bad}")).await;
            assert_eq!(st, StatusCode::NOT_FOUND, "{bad}: {v}");
            let (st, _) = get(
                &app,
                &app.client,
                &format!("/api/v1/coverage/{bad}/uncovered"),
            )
            .await;
            assert_eq!(st, StatusCode::NOT_FOUND, "{bad}");
        }
    }
);

http_test!(
    uncovered_lists_are_complete_and_paged,
    |app: TestApp| async move {
        let w = build(&app).await;
        for gap in [
            "party_organization",
            "party_work",
            "regional_hub",
            "industry_hub",
        ] {
            let want = gap_names(&w.specs, gap, everyone);
            let (total, names) =
                all_uncovered(&app, "/api/v1/coverage/320102/uncovered", gap, 2).await;
            assert_eq!(total, want.len() as i64, "{gap}");
            assert_eq!(names, want, "{gap}");
            let want = gap_names(&w.specs, gap, in_street(XINJIEKOU));
            let (_, names) =
                all_uncovered(&app, "/api/v1/coverage/320102003000/uncovered", gap, 1).await;
            assert_eq!(names, want, "{gap} in Xinjiekou");
        }
        // The default gap is the party organization; items carry the party facts.
        let (st, v) = get(&app, &app.client, "/api/v1/coverage/320102/uncovered").await;
        assert_eq!(st, StatusCode::OK, "{v}");
        assert_eq!(v["gap"], "party_organization");
        assert_eq!(v["per_page"], 20);
        for it in v["items"].as_array().unwrap() {
            assert_eq!(it["party_org"], "none", "{it}");
            assert!(it.get("contact_phone").is_none(), "no personal data: {it}");
        }
        // A bad gap or page is named.
        let (st, v) = get(
            &app,
            &app.client,
            "/api/v1/coverage/320102/uncovered?gap=everyone",
        )
        .await;
        assert_eq!(st, StatusCode::UNPROCESSABLE_ENTITY);
        assert_eq!(bad_fields(&v), ["gap"]);
        assert!(
            v["fields"]["gap"]
                .as_str()
                .unwrap()
                .contains("party_organization"),
            "{v}"
        );
        let (st, v) = get(
            &app,
            &app.client,
            "/api/v1/coverage/320102/uncovered?gap=nope&page=0&per_page=999",
        )
        .await;
        assert_eq!(st, StatusCode::UNPROCESSABLE_ENTITY);
        assert_eq!(bad_fields(&v), ["gap", "page", "per_page"]);
    }
);

http_test!(
    hub_coverage_counts_active_members,
    |app: TestApp| async move {
        let w = build(&app).await;
        for (hub, pick, kind) in [
            (&w.hub_m, in_hub_m as fn(usize, &Spec) -> bool, "regional"),
            (&w.hub_i, in_hub_i as fn(usize, &Spec) -> bool, "industry"),
        ] {
            let base = format!("/api/v1/hubs/{}/coverage", hub.id);
            let (st, v) = get(&app, &app.client, &base).await;
            assert_eq!(st, StatusCode::OK, "{v}");
            assert_eq!(v["hub"]["id"], hub.id.to_string());
            assert_eq!(v["hub"]["kind"], kind);
            assert_eq!(
                v["hub"]["member_count"],
                w.specs.iter().filter(|s| pick(0, s)).count() as i64
            );
            assert!(v["uncovered"].is_null(), "{v}");
            assert_figures(&v, expected(&w.specs, pick), kind);
            for gap in [
                "party_organization",
                "party_work",
                "regional_hub",
                "industry_hub",
            ] {
                let (total, names) = all_uncovered(&app, &base, gap, 1).await;
                let want = gap_names(&w.specs, gap, pick);
                assert_eq!(total, want.len() as i64);
                assert_eq!(names, want, "{kind} {gap}");
            }
            let (st, v) = get(&app, &app.client, &format!("{base}?gap=x")).await;
            assert_eq!(st, StatusCode::UNPROCESSABLE_ENTITY);
            assert_eq!(bad_fields(&v), ["gap"]);
        }
        // An organization id is not a hub id; nor is garbage.
        for bad in [w.id(M1).to_string(), "not-a-uuid".into()] {
            let (st, _) = get(&app, &app.client, &format!("/api/v1/hubs/{bad}/coverage")).await;
            assert_eq!(st, StatusCode::NOT_FOUND, "{bad}");
        }
    }
);

http_test!(
    coverage_reports_are_for_officials_experts_and_hub_staff,
    |app: TestApp| async move {
        let w = build(&app).await;
        let hub_m = format!("/api/v1/hubs/{}/coverage", w.hub_m.id);
        let hub_i = format!("/api/v1/hubs/{}/coverage", w.hub_i.id);
        let district = "/api/v1/coverage/320102";
        let street = "/api/v1/coverage/320102002000/uncovered?gap=party_work";
        // Anonymous: sign in first, everywhere.
        for p in [district, street, hub_m.as_str(), "/api/v1/instructors"] {
            let (st, v) = get(&app, &app.anon, p).await;
            assert_eq!(st, StatusCode::UNAUTHORIZED, "{p}");
            assert_eq!(v["error"], "unauthenticated");
        }
        let xuanwu = app
            .client_as("xw_official", Role::Official, Some(XUANWU), None)
            .await;
        let meiyuan = app
            .client_as("my_official", Role::Official, Some(MEIYUAN), None)
            .await;
        let qinhuai = app
            .client_as("qh_official", Role::Official, Some(QINHUAI), None)
            .await;
        let expert = app.client_as("expert", Role::Expert, None, None).await;
        let member = app
            .client_as("member", Role::OrgMember, None, Some(w.id(M1)))
            .await;
        let staff = app
            .client_as(
                "hub_staff",
                Role::HubStaff,
                None,
                Some(w.hub_m.organization_id),
            )
            .await;
        let cases: Vec<(&reqwest::Client, &str, StatusCode)> = vec![
            (&xuanwu, district, StatusCode::OK),
            (&xuanwu, street, StatusCode::OK),
            (&xuanwu, hub_m.as_str(), StatusCode::OK),
            (&xuanwu, hub_i.as_str(), StatusCode::OK),
            (&meiyuan, district, StatusCode::FORBIDDEN),
            (&meiyuan, street, StatusCode::OK),
            (&meiyuan, hub_m.as_str(), StatusCode::OK),
            (&meiyuan, hub_i.as_str(), StatusCode::FORBIDDEN),
            (&qinhuai, district, StatusCode::FORBIDDEN),
            (&qinhuai, street, StatusCode::FORBIDDEN),
            (&qinhuai, hub_m.as_str(), StatusCode::FORBIDDEN),
            (&expert, district, StatusCode::OK),
            (&expert, hub_i.as_str(), StatusCode::OK),
            (&member, district, StatusCode::FORBIDDEN),
            (&member, hub_m.as_str(), StatusCode::FORBIDDEN),
            (&staff, hub_m.as_str(), StatusCode::OK),
            (&staff, hub_i.as_str(), StatusCode::FORBIDDEN),
            (&staff, district, StatusCode::FORBIDDEN),
        ];
        for (c, path, want) in cases {
            let (st, v) = get(&app, c, path).await;
            assert_eq!(st, want, "{path}: {v}");
            if want == StatusCode::FORBIDDEN {
                assert_eq!(v["error"], "forbidden");
                assert!(v.get("party").is_none());
            }
        }
        // The Meiyuan official sees their street's figures, equal to the admin's.
        let (_, mine) = get(&app, &meiyuan, "/api/v1/coverage/320102002000").await;
        let (_, admin) = get(&app, &app.client, "/api/v1/coverage/320102002000").await;
        assert_eq!(mine, admin);
    }
);

http_test!(
    party_facts_are_public_and_kept_by_officials_and_hub_staff,
    |app: TestApp| async move {
        let w = build(&app).await;
        let path = |i: usize| format!("/api/v1/organizations/{}/party", w.id(i));
        // Public read; the instructor's phone masked for the public, full for an official.
        let (st, v) = get(&app, &app.anon, &path(M3)).await;
        assert_eq!(st, StatusCode::OK, "{v}");
        assert_eq!(v["party_org"], "none");
        assert_eq!(v["organization_covered"], false);
        assert_eq!(v["work_covered"], true);
        assert_eq!(v["instructor"]["id"], w.instructor.id.to_string());
        assert_eq!(v["instructor"]["name"], "王党建");
        assert_eq!(v["instructor"]["phone"], "139****5678");
        let xuanwu = app
            .client_as("xw_official", Role::Official, Some(XUANWU), None)
            .await;
        let (_, v) = get(&app, &xuanwu, &path(M3)).await;
        assert_eq!(v["instructor"]["phone"], INSTRUCTOR_PHONE);
        let (st, v) = get(&app, &app.anon, &path(M2)).await;
        assert_eq!(st, StatusCode::OK);
        assert_eq!(v["party_org"], "joint_branch");
        assert!(v["instructor"].is_null());
        let (st, _) = get(
            &app,
            &app.anon,
            "/api/v1/organizations/01900000-0000-7000-8000-000000000000/party",
        )
        .await;
        assert_eq!(st, StatusCode::NOT_FOUND);

        // An official sets a joint branch: the record and the figures follow.
        let before = expected(&w.specs, everyone);
        let (st, v) = post(
            &app,
            &xuanwu,
            &path(X2),
            &json!({"party_org": "joint_branch", "party_members": 1, "instructor_id": null}),
        )
        .await;
        assert_eq!(st, StatusCode::OK, "{v}");
        assert_eq!(v["party_org"], "joint_branch");
        assert_eq!(v["party_members"], 1);
        assert_eq!(v["organization_covered"], true);
        let (_, r) = get(&app, &app.client, "/api/v1/coverage/320102").await;
        assert_eq!(
            r["party"]["organizations"]["covered"],
            before[0].covered + 1
        );
        let (_, names) =
            all_uncovered(&app, "/api/v1/coverage/320102/uncovered", "party_work", 20).await;
        assert!(!names.contains(&w.specs[X2].name.to_string()), "{names:?}");
        let history = app.store.organization_history(w.id(X2)).await.unwrap();
        assert!(
            history.iter().any(|h| h.changes.get("party_org").is_some()),
            "the change is in the history: {history:?}"
        );

        // Staff of a hub the organization belongs to assign an instructor (counts as strings).
        let staff = app
            .client_as(
                "hub_staff",
                Role::HubStaff,
                None,
                Some(w.hub_m.organization_id),
            )
            .await;
        let (st, v) = post(
            &app,
            &staff,
            &path(M1),
            &json!({"party_org": "none", "party_members": 0, "instructor_id": w.instructor.id}),
        )
        .await;
        assert_eq!(st, StatusCode::OK, "{v}");
        assert_eq!(v["instructor"]["id"], w.instructor.id.to_string());
        assert_eq!(v["work_covered"], true);
        let i = app
            .store
            .instructor(w.instructor.id)
            .await
            .unwrap()
            .unwrap();
        let assigned = w.specs.iter().filter(|s| s.instructor && s.live).count() as i64 + 1;
        assert_eq!(i.organizations, assigned);

        // Refused: not a member of their hub, their own hub, an unrelated member, anonymous.
        let member = app
            .client_as("member", Role::OrgMember, None, Some(w.id(M3)))
            .await;
        let change = json!({"party_org": "none", "party_members": 0});
        for (c, i, want) in [
            (&staff, X1, StatusCode::FORBIDDEN),
            (&staff, HUB_M, StatusCode::FORBIDDEN),
            (&member, M1, StatusCode::FORBIDDEN),
            (&member, M3, StatusCode::FORBIDDEN),
            (&app.anon, X1, StatusCode::UNAUTHORIZED),
        ] {
            let before = app.store.organization(w.id(i)).await.unwrap().unwrap();
            let inst = app.store.instructor_of(w.id(i)).await.unwrap();
            let (st, v) = post(&app, c, &path(i), &change).await;
            assert_eq!(st, want, "{}: {v}", w.specs[i].name);
            let after = app.store.organization(w.id(i)).await.unwrap().unwrap();
            assert_eq!(after.data.party_org, before.data.party_org);
            assert_eq!(after.data.party_members, before.data.party_members);
            assert_eq!(app.store.instructor_of(w.id(i)).await.unwrap(), inst);
        }

        // Bad input: every field named, nothing written.
        let bad: Vec<(Value, Vec<&str>)> = vec![
            (
                json!({"party_org": "own_branch", "party_members": 2}),
                vec!["party_members"],
            ),
            (json!({"party_members": 1}), vec!["party_org"]),
            (
                json!({"party_org": "cell", "party_members": -1, "colour": "red"}),
                vec!["colour", "party_members", "party_org"],
            ),
            (
                json!({"party_org": "none", "instructor_id": "01900000-0000-7000-8000-000000000000"}),
                vec!["instructor_id"],
            ),
            (
                json!({"party_org": "none", "instructor_id": w.qinhuai_instructor.id}),
                vec!["instructor_id"],
            ),
            (
                json!({"party_org": "none", "instructor_id": "x"}),
                vec!["instructor_id"],
            ),
            (
                json!({"party_org": "none", "party_members": []}),
                vec!["party_members"],
            ),
        ];
        for (body, fields) in bad {
            let before = app.store.organization(w.id(X1)).await.unwrap().unwrap();
            let (st, v) = post(&app, &xuanwu, &path(X1), &body).await;
            assert_eq!(st, StatusCode::UNPROCESSABLE_ENTITY, "{body}: {v}");
            assert_eq!(bad_fields(&v), fields, "{body}");
            let after = app.store.organization(w.id(X1)).await.unwrap().unwrap();
            assert_eq!(after.data.party_org, before.data.party_org);
            assert_eq!(after.data.party_members, before.data.party_members);
        }
        let resp = xuanwu
            .post(app.url(&path(X1)))
            .header("content-type", "application/json")
            .body("{")
            .send()
            .await
            .unwrap();
        assert_eq!(resp.status(), StatusCode::UNPROCESSABLE_ENTITY);
        assert!(bad_fields(&resp.json().await.unwrap()).contains(&"body".to_string()));
        // A deregistered organization keeps its last facts.
        let (st, v) = post(&app, &xuanwu, &path(X3), &change).await;
        assert_eq!(st, StatusCode::CONFLICT, "{v}");
    }
);

/// Instructors in the whole tree (Jiangsu and below).
async fn count(app: &TestApp) -> i64 {
    app.store
        .instructors("320000/", 1, 200)
        .await
        .unwrap()
        .total
}

http_test!(
    officials_keep_the_instructor_register,
    |app: TestApp| async move {
        let w = build(&app).await;
        let xuanwu = app
            .client_as("xw_official", Role::Official, Some(XUANWU), None)
            .await;
        let expert = app.client_as("expert", Role::Expert, None, None).await;
        let member = app
            .client_as("member", Role::OrgMember, None, Some(w.id(M1)))
            .await;
        let good = json!({
            "name": "李指导", "phone": "13800001111",
            "jurisdiction": "320102007000", "workplace": "锁金村街道社会组织党建工作站"
        });
        let n0 = count(&app).await;
        let (st, v) = post(&app, &xuanwu, "/api/v1/instructors", &good).await;
        assert_eq!(st, StatusCode::CREATED, "{v}");
        assert_eq!(v["name"], "李指导");
        assert_eq!(v["phone"], "13800001111");
        assert_eq!(v["jurisdiction"], "320102007000");
        assert_eq!(v["organizations"], 0);
        assert_eq!(count(&app).await, n0 + 1);

        // Refused or invalid: nothing written.
        let mut elsewhere = good.clone();
        elsewhere["jurisdiction"] = json!("320104");
        let cases: Vec<(&reqwest::Client, Value, StatusCode, Vec<&str>)> = vec![
            (
                &xuanwu,
                json!({"phone": "12345"}),
                StatusCode::UNPROCESSABLE_ENTITY,
                vec!["jurisdiction", "name", "phone"],
            ),
            (
                &xuanwu,
                json!({"name": "张", "jurisdiction": "320102999000"}),
                StatusCode::UNPROCESSABLE_ENTITY,
                vec!["jurisdiction"],
            ),
            (
                &xuanwu,
                json!({"name": "张", "jurisdiction": "320102", "age": 3}),
                StatusCode::UNPROCESSABLE_ENTITY,
                vec!["age"],
            ),
            (&xuanwu, elsewhere, StatusCode::FORBIDDEN, vec![]),
            (&expert, good.clone(), StatusCode::FORBIDDEN, vec![]),
            (&member, good.clone(), StatusCode::FORBIDDEN, vec![]),
            (&app.anon, good.clone(), StatusCode::UNAUTHORIZED, vec![]),
        ];
        for (c, body, want, fields) in cases {
            let (st, v) = post(&app, c, "/api/v1/instructors", &body).await;
            assert_eq!(st, want, "{body}: {v}");
            if !fields.is_empty() {
                assert_eq!(bad_fields(&v), fields, "{body}");
            }
            assert_eq!(count(&app).await, n0 + 1, "{body}");
        }

        // The list of a subtree: phones full for those who keep it, masked for experts.
        let (st, v) = get(&app, &xuanwu, "/api/v1/instructors?jurisdiction=320102").await;
        assert_eq!(st, StatusCode::OK, "{v}");
        assert_eq!(v["jurisdiction"]["code"], XUANWU);
        let names: Vec<&str> = v["items"]
            .as_array()
            .unwrap()
            .iter()
            .map(|i| i["name"].as_str().unwrap())
            .collect();
        assert_eq!(v["total"], 2, "{names:?}");
        assert!(names.contains(&"王党建") && names.contains(&"李指导"));
        assert!(!names.contains(&"秦指导"));
        let wang = v["items"]
            .as_array()
            .unwrap()
            .iter()
            .find(|i| i["name"] == "王党建")
            .unwrap();
        assert_eq!(wang["phone"], INSTRUCTOR_PHONE);
        assert_eq!(
            wang["organizations"],
            w.specs.iter().filter(|s| s.instructor && s.live).count() as i64
        );
        // An official's own jurisdiction is the default.
        let (_, mine) = get(&app, &xuanwu, "/api/v1/instructors").await;
        assert_eq!(mine["total"], 2);
        let (st, v) = get(&app, &expert, "/api/v1/instructors?jurisdiction=320102").await;
        assert_eq!(st, StatusCode::OK);
        let wang = v["items"]
            .as_array()
            .unwrap()
            .iter()
            .find(|i| i["name"] == "王党建")
            .unwrap();
        assert_eq!(wang["phone"], "139****5678");
        let (st, v) = get(
            &app,
            &xuanwu,
            "/api/v1/instructors?jurisdiction=320102&per_page=1&page=2",
        )
        .await;
        assert_eq!(st, StatusCode::OK);
        assert_eq!(v["items"].as_array().unwrap().len(), 1);
        assert_eq!(v["total"], 2);
        // By cursor: the first page's `next` is page 2, whose `prev` is page 1.
        let one = "/api/v1/instructors?jurisdiction=320102&per_page=1";
        let (_, first) = get(&app, &xuanwu, one).await;
        let next = first["next"].as_str().unwrap();
        let (_, second) = get(&app, &xuanwu, &format!("{one}&cursor={next}")).await;
        assert_eq!(second["items"], v["items"]);
        assert!(
            second["next"].is_null() && second["page"].is_null(),
            "{second}"
        );
        let prev = second["prev"].as_str().unwrap();
        let (_, back) = get(&app, &xuanwu, &format!("{one}&cursor={prev}")).await;
        assert_eq!(back["items"], first["items"]);
        for (c, q, want) in [
            (&member, "", StatusCode::FORBIDDEN),
            (&xuanwu, "?jurisdiction=320104", StatusCode::FORBIDDEN),
            (
                &xuanwu,
                "?jurisdiction=abc",
                StatusCode::UNPROCESSABLE_ENTITY,
            ),
            (
                &xuanwu,
                "?jurisdiction=320102999000",
                StatusCode::UNPROCESSABLE_ENTITY,
            ),
            (&xuanwu, "?page=0", StatusCode::UNPROCESSABLE_ENTITY),
        ] {
            let (st, v) = get(&app, c, &format!("/api/v1/instructors{q}")).await;
            assert_eq!(st, want, "{q}: {v}");
        }
    }
);
