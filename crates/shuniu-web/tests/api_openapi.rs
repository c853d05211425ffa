//! The OpenAPI document at `/api/openapi.json`: valid, complete, and true to the API.

use crate::common;
use crate::world;

use std::collections::BTreeSet;

use chrono::Datelike;
use common::{TestApp, org_json};
use reqwest::{Method, StatusCode};
use serde_json::{Value, json};
use shuniu_store::WriteCtx;
use uuid::Uuid;

/// Every operation the application serves under `/api/v1`, from the route table.
fn served() -> Vec<(String, String)> {
    shuniu_web::routes()
        .list()
        .into_iter()
        .filter(|(_, p)| p.starts_with("/api/v1"))
        .map(|(m, p)| (p, m.as_str().to_lowercase()))
        .collect()
}

/// Operations anyone may call without a token (public reads).
/// The private token of the complaint the walk reads.
const COMPLAINT_TOKEN: &str = "5555555555555555555555555555555555555555555555555555555555555555";

const PUBLIC: &[(&str, &str)] = &[
    ("/api/v1/organizations", "get"),
    ("/api/v1/organizations.csv", "get"),
    ("/api/v1/organizations/{id}", "get"),
    ("/api/v1/organizations/{id}/history", "get"),
    ("/api/v1/jurisdictions", "get"),
    ("/api/v1/jurisdictions/{code}", "get"),
    ("/api/v1/hubs", "get"),
    ("/api/v1/hubs.csv", "get"),
    ("/api/v1/hubs/{id}", "get"),
    ("/api/v1/hubs/{id}/members", "get"),
    ("/api/v1/hubs/{id}/members.csv", "get"),
    ("/api/v1/organizations/{id}/memberships", "get"),
    ("/api/v1/structure/{code}", "get"),
    ("/api/v1/organizations/{id}/party", "get"),
    ("/api/v1/venues", "get"),
    ("/api/v1/venues.csv", "get"),
    ("/api/v1/venues/{id}", "get"),
    ("/api/v1/venues/{id}/obligations", "get"),
    ("/api/v1/spaces/{id}", "get"),
    ("/api/v1/spaces/{id}/bookings", "get"),
    ("/api/v1/spaces/{id}/allocations", "get"),
    ("/api/v1/bookings/{id}", "get"),
    ("/api/v1/credit-lists", "get"),
    ("/api/v1/credit-lists.csv", "get"),
    ("/api/v1/organizations/{id}/supervision", "get"),
    ("/api/v1/organizations/{id}/credibility", "get"),
    ("/api/v1/organizations/{id}/credit-events", "get"),
    ("/api/v1/organizations/{id}/annual-reports", "get"),
    ("/api/v1/annual-reports/{id}", "get"),
    ("/api/v1/assessment-rounds", "get"),
    ("/api/v1/assessment-rounds/{id}", "get"),
    ("/api/v1/assessment-tables", "get"),
    ("/api/v1/organizations/{id}/grades", "get"),
    ("/api/v1/services", "get"),
    ("/api/v1/services.csv", "get"),
    ("/api/v1/places", "get"),
    ("/api/v1/organizations/{id}/services", "get"),
    ("/api/v1/organizations/{id}/contact", "get"),
    ("/api/v1/hsds/organizations", "get"),
    ("/api/v1/hsds/organizations/{id}", "get"),
    ("/api/v1/hsds/services", "get"),
    ("/api/v1/hsds/services/{id}", "get"),
    ("/api/v1/requests", "post"),
    ("/api/v1/requests/track/{token}", "get"),
    ("/api/v1/requests/track/{token}/confirm", "post"),
    ("/api/v1/complaints", "post"),
    ("/api/v1/complaints/about-request/{token}", "post"),
    ("/api/v1/complaints/track/{token}", "get"),
    ("/api/v1/organizations/{id}/complaints", "get"),
];

/// Operations whose success is not JSON.
const NOT_JSON: &[(&str, &str, &str)] = &[
    ("/api/v1/audit.csv", "get", "text/csv"),
    ("/api/v1/organizations.csv", "get", "text/csv"),
    ("/api/v1/hubs.csv", "get", "text/csv"),
    ("/api/v1/venues.csv", "get", "text/csv"),
    ("/api/v1/services.csv", "get", "text/csv"),
    ("/api/v1/credit-lists.csv", "get", "text/csv"),
    ("/api/v1/instructors.csv", "get", "text/csv"),
    ("/api/v1/hubs/{id}/members.csv", "get", "text/csv"),
    ("/api/v1/coverage/{code}/gaps.csv", "get", "text/csv"),
    ("/api/v1/hubs/{id}/coverage/gaps.csv", "get", "text/csv"),
    ("/api/v1/annual-reports.csv", "get", "text/csv"),
];

pub(crate) async fn document(app: &TestApp) -> Value {
    let resp = app
        .client
        .get(app.url("/api/openapi.json"))
        .send()
        .await
        .unwrap();
    assert_eq!(resp.status(), StatusCode::OK);
    let ct = resp.headers()["content-type"].to_str().unwrap().to_string();
    assert!(ct.starts_with("application/json"), "{ct}");
    let text = resp.text().await.unwrap();
    serde_json::from_str(&text).expect("the document parses as JSON")
}

fn operations(doc: &Value) -> BTreeSet<(String, String)> {
    let mut ops = BTreeSet::new();
    for (path, item) in doc["paths"].as_object().expect("paths") {
        for method in item.as_object().unwrap().keys() {
            if ["get", "post", "put", "patch", "delete", "head", "options"]
                .contains(&method.as_str())
            {
                ops.insert((path.clone(), method.clone()));
            }
        }
    }
    ops
}

fn schema<'a>(doc: &'a Value, name: &str) -> &'a Value {
    let s = &doc["components"]["schemas"][name];
    assert!(s.is_object(), "schema {name} is missing");
    s
}

fn property_names(doc: &Value, name: &str) -> BTreeSet<String> {
    schema(doc, name)["properties"]
        .as_object()
        .unwrap_or_else(|| panic!("{name} has no properties"))
        .keys()
        .cloned()
        .collect()
}

http_test!(
    the_document_is_openapi_3_and_lists_every_operation,
    |app: TestApp| async move {
        let doc = document(&app).await;
        let version = doc["openapi"].as_str().expect("openapi version");
        assert!(version.starts_with("3."), "{version}");
        assert!(doc["info"]["title"].as_str().unwrap().contains("Shuniu"));
        assert!(!doc["info"]["version"].as_str().unwrap().is_empty());
        let served = served();
        let expected: BTreeSet<(String, String)> = served.iter().cloned().collect();
        assert_eq!(operations(&doc), expected);
        // The bearer scheme, and who needs it.
        let scheme = &doc["components"]["securitySchemes"]["bearer"];
        assert_eq!(scheme["type"], "http", "{scheme}");
        assert_eq!(scheme["scheme"], "bearer", "{scheme}");
        // Every operation documents its success and its errors with JSON bodies.
        for (path, method) in &served {
            let (path, method) = (path.as_str(), method.as_str());
            let op = &doc["paths"][path][method];
            let responses = op["responses"].as_object().unwrap();
            assert!(
                responses.keys().any(|k| k.starts_with('2')),
                "{method} {path}: no success response"
            );
            let security = op["security"].as_array().expect("security listed");
            assert!(
                security.iter().any(|s| s.get("bearer").is_some()),
                "{method} {path}: no bearer security"
            );
            let public = PUBLIC.contains(&(path, method));
            let anonymous_ok = security
                .iter()
                .any(|s| s.as_object().is_some_and(|o| o.is_empty()));
            assert_eq!(public, anonymous_ok, "{method} {path}: public?");
            assert!(responses.contains_key("401"), "{method} {path}: no 401");
            if !public {
                assert!(
                    responses.contains_key("403") || path == "/api/v1/me",
                    "{method} {path}: no 403"
                );
            }
            for (code, r) in responses {
                let ct = NOT_JSON
                    .iter()
                    .find(|(p, m, _)| *p == path && *m == method && code.starts_with('2'))
                    .map(|(_, _, ct)| *ct)
                    .unwrap_or("application/json");
                assert!(
                    r["content"][ct]["schema"].is_object(),
                    "{method} {path} {code}: no {ct} schema"
                );
            }
            if path.contains("{id}") || path.contains("{code}") {
                assert!(responses.contains_key("404"), "{method} {path}: no 404");
                let params = op["parameters"].as_array().expect("parameters");
                assert!(params.iter().any(|p| p["in"] == "path"), "{method} {path}");
            }
            if method == "post" || method == "patch" {
                assert!(responses.contains_key("422"), "{method} {path}: no 422");
                assert!(op["requestBody"]["content"]["application/json"].is_object());
            }
        }
        let list = &doc["paths"]["/api/v1/organizations"]["get"]["parameters"];
        let names: BTreeSet<&str> = list
            .as_array()
            .unwrap()
            .iter()
            .map(|p| p["name"].as_str().unwrap())
            .collect();
        for q in [
            "jurisdiction",
            "legal_form",
            "domain",
            "status",
            "stage",
            "grade",
            "q",
            "sort",
            "page",
            "per_page",
        ] {
            assert!(names.contains(q), "list parameter {q} undocumented");
        }
        let param = |name: &str| {
            list.as_array()
                .unwrap()
                .iter()
                .find(|p| p["name"] == name)
                .unwrap()["schema"]
                .clone()
        };
        assert_eq!(param("legal_form")["enum"].as_array().unwrap().len(), 4);
        assert_eq!(param("domain")["enum"].as_array().unwrap().len(), 13);
        assert!(
            param("sort")["enum"]
                .as_array()
                .unwrap()
                .contains(&json!("-staff"))
        );
        assert_eq!(param("per_page")["maximum"], 200);
        assert!(
            param("page")["type"].to_string().contains("integer"),
            "{}",
            param("page")
        );
        // Operation ids are unique (client generators name methods after them).
        let ids: Vec<&str> = served
            .iter()
            .map(|(p, m)| doc["paths"][p][m]["operationId"].as_str().unwrap())
            .collect();
        let unique: BTreeSet<&str> = ids.iter().copied().collect();
        assert_eq!(unique.len(), ids.len(), "{ids:?}");
    }
);

/// The records the admin's calls address, one per path: the shared world, and for each
/// call that changes something a record of its own, so that no call spoils a later one
/// (they run in path order).
struct Targets {
    f: world::Fixture,
    /// A complaint against org A: read and decided by the admin.
    complaint: Uuid,
    /// A service of org A (with A's public contact declared): read, replaced, patched.
    service: Uuid,
    /// An organization in good standing and its service: the open-data reads.
    open_org: Uuid,
    open_service: Uuid,
    /// Organization D: applies to H.
    applicant: Uuid,
    /// Organization G: added to H by the hub side.
    newcomer: Uuid,
    /// Organization F: recognized as an industry hub.
    to_recognize: Uuid,
    /// E's pending application to H: approved.
    pending: Uuid,
    /// An industry hub of its own: revoked.
    to_revoke: Uuid,
    /// The official of Xuanwu, the registration authority: change registration is
    /// theirs to decide (an admin neither applies nor decides).
    authority: reqwest::Client,
    /// A change application of organization J's, submitted by the authority: approved.
    change_application: Uuid,
    /// A listing of organization K's whose cause (a correction order) is put right:
    /// removed on application.
    listing: Uuid,
    /// Org A's report on 2024, filed by the authority: reviewed.
    annual_report: Uuid,
    /// An assessment round of Xuanwu's, an eligible organization to apply to it, and
    /// an application to it (refused); org A holds an imported 4A (lowered).
    round: Uuid,
    assessment_applicant: Uuid,
    assessment_application: Uuid,
    /// A completed request's private token (confirmed) and a submitted request (cancelled).
    request_token: String,
    request: Uuid,
}

impl Targets {
    async fn new(app: &TestApp) -> Targets {
        let f = world::build(app).await;
        let applicant = world::org(app, 4).await;
        let pending_org = world::org(app, 5).await;
        let newcomer = world::org(app, 6).await;
        let to_recognize = world::association(app, 7).await;
        let revoked_org = world::association(app, 8).await;
        let pending = app
            .store
            .apply_membership(f.hub, pending_org, world::today(), WriteCtx::system("test"))
            .await
            .expect("E applies")
            .id;
        let (st, v) = world::admin_post(
            app,
            "/api/v1/hubs",
            &world::industry_json(revoked_org, "区残联"),
        )
        .await;
        assert_eq!(st, 201, "{v}");
        let to_revoke = v["id"].as_str().unwrap().parse().unwrap();
        let authority = app
            .client_as(
                "authority",
                shuniu_domain::access::Role::Official,
                Some("320102"),
                None,
            )
            .await;
        let renamed = world::org(app, 10).await;
        let r = authority
            .post(app.url(&format!(
                "/api/v1/organizations/{renamed}/change-applications"
            )))
            .json(&json!({"changes": {"name": "改名后的服务中心"}, "attachments": ["理事会决议"]}))
            .send()
            .await
            .unwrap();
        assert_eq!(r.status(), StatusCode::CREATED);
        let v: Value = r.json().await.unwrap();
        let change_application = v["id"].as_str().unwrap().parse().unwrap();
        let r = authority
            .post(app.url(&format!("/api/v1/organizations/{}/annual-reports", f.org_a)))
            .json(&crate::api_annual::report_json(2024))
            .send()
            .await
            .unwrap();
        assert_eq!(r.status(), StatusCode::CREATED);
        let v: Value = r.json().await.unwrap();
        let annual_report = v["id"].as_str().unwrap().parse().unwrap();
        let corrected = world::org(app, 11).await;
        let events = app.url(&format!("/api/v1/organizations/{corrected}/credit-events"));
        let r = authority
            .post(&events)
            .json(&json!({"kind": "correction_ordered", "occurred_on": "2026-06-01", "due_on": "2026-07-01", "note": "责令整改"}))
            .send()
            .await
            .unwrap();
        assert_eq!(r.status(), StatusCode::CREATED);
        let v: Value = r.json().await.unwrap();
        let order = v["event"]["id"].as_str().unwrap().to_string();
        let listing = v["listings"]
            .as_array()
            .unwrap()
            .iter()
            .find(|l| l["trigger"] == "correction_not_done")
            .expect("listed for the order")["id"]
            .as_str()
            .unwrap()
            .parse()
            .unwrap();
        let r = authority
            .post(&events)
            .json(&json!({"kind": "correction_done", "occurred_on": "2026-11-20", "refers_to": order, "note": "整改验收"}))
            .send()
            .await
            .unwrap();
        assert_eq!(r.status(), StatusCode::CREATED);
        let round: Uuid = crate::api_assessment::open_round(app, &authority)
            .await
            .parse()
            .unwrap();
        let assessment_applicant = world::org(app, 21).await;
        crate::api_assessment::report_filed(app, assessment_applicant).await;
        let assessed = world::org(app, 22).await;
        crate::api_assessment::report_filed(app, assessed).await;
        let assessment_application = app
            .store
            .apply_for_assessment(
                round,
                assessed,
                shuniu_domain::supervision::assessment::TableKind::ServiceInstitution,
                shuniu_web::today(),
                WriteCtx::system("test"),
            )
            .await
            .expect("22 applies")
            .id;
        app.store
            .import_grade(
                f.org_a,
                shuniu_domain::registry::Grade::A4,
                shuniu_web::today() - chrono::Duration::days(30),
                "玄民〔2026〕3号",
                WriteCtx::system("test"),
            )
            .await
            .expect("A's grade imported");
        let service = app
            .store
            .create_service(
                f.org_a,
                &serde_json::from_value::<shuniu_domain::services::ServiceDraft>(
                    crate::api_services::meal_text(),
                )
                .unwrap()
                .validate()
                .unwrap(),
                WriteCtx::system("test"),
            )
            .await
            .expect("A's service")
            .id;
        let contact = shuniu_domain::services::ContactDraft {
            service_phone: Some("025-84123456".into()),
            service_hours: Some("周一至周五 9:00–17:00".into()),
            address: Some("长江路1号".into()),
        };
        app.store
            .set_public_contact(
                f.org_a,
                &contact.validate().unwrap(),
                WriteCtx::system("test"),
            )
            .await
            .expect("A's contact");
        // A is on the serious list by now, so its services are not open data: the
        // directory is read through an organization in good standing.
        let open_org = world::org(app, 31).await;
        let open_service = app
            .store
            .create_service(
                open_org,
                &serde_json::from_value::<shuniu_domain::services::ServiceDraft>(
                    crate::api_services::meal_text(),
                )
                .unwrap()
                .validate()
                .unwrap(),
                WriteCtx::system("test"),
            )
            .await
            .expect("an open service")
            .id;
        let (request_token, request) = crate::requests_support::seeded(app).await;
        let complaint = app
            .store
            .submit_complaint(
                shuniu_store::complaints::Against::Organization(f.org_a),
                &shuniu_domain::complaints::ComplaintDraft {
                    category: Some("fees".into()),
                    description: Some("收费与公示的标准不一致".into()),
                    phone: Some("13912345678".into()),
                }
                .validate(None)
                .unwrap(),
                &shuniu_domain::requests::token_hash(COMPLAINT_TOKEN),
                &Default::default(),
                chrono::Utc::now(),
                WriteCtx::system("test"),
            )
            .await
            .expect("a complaint against A")
            .id;
        Targets {
            complaint,
            request_token,
            request,
            service,
            open_org,
            open_service,
            round,
            assessment_applicant,
            assessment_application,
            f,
            listing,
            applicant,
            newcomer,
            to_recognize,
            pending,
            to_revoke,
            authority,
            change_application,
            annual_report,
        }
    }

    /// Who makes the call: the admin, but for change registration (the authority's).
    fn caller<'a>(&'a self, path: &str, admin: &'a reqwest::Client) -> &'a reqwest::Client {
        if path.contains("change-applications")
            || path.contains("annual-reports")
            || path.contains("credit-")
            || path.contains("assessment")
            || path.contains("grade-changes")
        {
            &self.authority
        } else {
            admin
        }
    }

    /// The id a documented path addresses.
    fn id(&self, path: &str) -> Uuid {
        let f = &self.f;
        match path {
            "/api/v1/hubs/{id}/revoke" => return self.to_revoke,
            "/api/v1/memberships/{id}/decision" => return self.pending,
            p if p.starts_with("/api/v1/assessment-rounds/{id}") => return self.round,
            p if p.starts_with("/api/v1/assessment-applications/{id}") => {
                return self.assessment_application;
            }
            p if p.starts_with("/api/v1/change-applications/{id}") => {
                return self.change_application;
            }
            p if p.starts_with("/api/v1/annual-reports/{id}") => return self.annual_report,
            p if p.starts_with("/api/v1/spaces/{id}/allocations") => return f.office,
            "/api/v1/credit-listings/{id}/removal" => return self.listing,
            "/api/v1/hsds/services/{id}" => return self.open_service,
            "/api/v1/hsds/organizations/{id}" => return self.open_org,
            p if p.starts_with("/api/v1/requests/{id}") => return self.request,
            p if p.starts_with("/api/v1/complaints/{id}") => return self.complaint,
            _ => {}
        }
        let rest = path.strip_prefix("/api/v1").unwrap_or(path);
        [
            ("/hubs/", f.hub),
            ("/memberships/", f.membership),
            ("/venues/", f.venue),
            ("/spaces/", f.room),
            ("/bookings/", f.booking),
            ("/allocations/", f.allocation),
            ("/organizations/", f.org_a),
        ]
        .into_iter()
        .find(|(prefix, _)| rest.starts_with(prefix))
        .map(|(_, id)| id)
        .unwrap_or_else(|| panic!("no record for {path}"))
    }

    /// A valid body for a write.
    fn body(&self, path: &str, method: &str) -> Option<Value> {
        let f = &self.f;
        let today = world::today();
        let quarter = format!("{}Q{}", today.year(), today.month0() / 3 + 1);
        Some(match (path, method) {
            ("/api/v1/organizations", "post") => org_json(9),
            ("/api/v1/organizations/{id}", "patch") => json!({"volunteers": 12}),
            ("/api/v1/organizations/{id}/status", "post") => {
                json!({"status": "suspended", "reason": "整改"})
            }
            ("/api/v1/organizations/{id}/party", "post") => json!({
                "party_org": "joint_branch", "party_members": 3, "instructor_id": f.instructor
            }),
            ("/api/v1/hubs", "post") => world::industry_json(self.to_recognize, "团区委"),
            ("/api/v1/hubs/{id}/applications", "post") => {
                json!({"organization_id": self.applicant})
            }
            ("/api/v1/hubs/{id}/members", "post") => {
                json!({"organization_id": self.newcomer, "initiating": true})
            }
            ("/api/v1/hubs/{id}/revoke", "post") => json!({"reason": "不再承担枢纽职能"}),
            ("/api/v1/memberships/{id}/decision", "post") => json!({"action": "approve"}),
            ("/api/v1/memberships/{id}/initiating", "post") => json!({"initiating": true}),
            ("/api/v1/structure/{code}/core", "post") => json!({
                "name_zh": "玄武区社会组织党建工作委员会",
                "name_en": "Xuanwu Social Organization Party-Building Work Committee"
            }),
            ("/api/v1/instructors", "post") => json!({
                "name": "王强", "phone": "13712345678", "jurisdiction": world::MEIYUAN,
                "workplace": "梅园新村街道党工委"
            }),
            ("/api/v1/venues", "post") => world::venue_json(f.hub),
            ("/api/v1/venues/{id}", "patch") => json!({"area_m2": 420}),
            ("/api/v1/venues/{id}/spaces", "post") => {
                json!({"name": "活动室二", "kind": "activity_room", "capacity": 20})
            }
            ("/api/v1/venues/{id}/obligations", "post") => json!({
                "organization_id": f.org_c, "quarter": quarter, "service_hours": 10
            }),
            ("/api/v1/spaces/{id}", "patch") => json!({"capacity": 25}),
            ("/api/v1/spaces/{id}/bookings", "post") => world::booking_json(f.org_c, 9, 4),
            ("/api/v1/spaces/{id}/allocations", "post") => json!({
                "organization_id": f.org_c, "starts_on": world::day(200), "ends_on": world::day(300)
            }),
            ("/api/v1/allocations/{id}/end", "post") => json!({"ended_on": world::day(0)}),
            ("/api/v1/bookings/{id}/cancel", "post") => json!({}),
            ("/api/v1/change-applications/{id}/decision", "post") => json!({"action": "approve"}),
            ("/api/v1/organizations/{id}/credit-events", "post") => json!({
                "kind": "warning", "occurred_on": "2026-11-02", "note": "玄民警字〔2026〕1号"
            }),
            ("/api/v1/credit-listings/{id}/removal", "post") => json!({"reason": "已整改"}),
            ("/api/v1/organizations/{id}/change-applications", "post") => json!({
                "changes": {"legal_representative": "李明"}, "attachments": ["会员大会决议"]
            }),
            ("/api/v1/annual-reports/{id}/review", "post") => json!({"outcome": "qualified"}),
            ("/api/v1/organizations/{id}/annual-reports", "post") => {
                crate::api_annual::report_json(2025)
            }
            ("/api/v1/assessment-rounds", "post") => json!({
                "year": today.year(), "title": "玄武区等级评估", "opens_on": world::day(0),
                "closes_on": world::day(30)
            }),
            ("/api/v1/assessment-rounds/{id}/applications", "post") => {
                json!({"organization_id": self.assessment_applicant})
            }
            ("/api/v1/assessment-applications/{id}/decision", "post") => {
                json!({"action": "refuse", "reason": "申报材料不全"})
            }
            ("/api/v1/organizations/{id}/services", "post")
            | ("/api/v1/organizations/{id}/services/{sid}", "put" | "patch") => {
                crate::api_services::meal()
            }
            ("/api/v1/organizations/{id}/contact", "put") => json!({
                "service_phone": "025-84123456", "service_hours": "每天 8:00–20:00", "address": "长江路1号"
            }),
            ("/api/v1/organizations/{id}/grade-changes", "post") => {
                json!({"to": "3A", "reason": "年检基本合格"})
            }
            ("/api/v1/requests", "post") => crate::requests_support::need(),
            ("/api/v1/requests/track/{token}/confirm", "post") => json!({"rating": "5"}),
            ("/api/v1/requests/{id}/actions", "post") => {
                json!({"action": "cancel", "reason": "重复提交"})
            }
            ("/api/v1/complaints", "post") => crate::api_complaints::complaint(f.org_a),
            ("/api/v1/complaints/about-request/{token}", "post") => {
                json!({"category": "attitude", "description": "上门人员态度不好"})
            }
            ("/api/v1/complaints/{id}/actions", "post") => json!({
                "action": "resolve", "outcome": "not_upheld", "outcome_text": "经核实收费与公示一致"
            }),
            (p, "post" | "patch" | "put") => panic!("no body for {method} {p}"),
            _ => return None,
        })
    }
}

http_test!(
    every_documented_operation_is_served_with_a_documented_status,
    |app: TestApp| async move {
        let doc = document(&app).await;
        let t = Targets::new(&app).await;
        for (path, method) in operations(&doc) {
            let url = if path.contains("{id}") {
                path.replace("{id}", &t.id(&path).to_string())
            } else {
                path.clone()
            }
            .replace("{code}", "320102")
            .replace("{sid}", &t.service.to_string())
            .replace(
                "{token}",
                if path.starts_with("/api/v1/complaints/track/") {
                    // The complaint's own private token (see `Targets::new`).
                    COMPLAINT_TOKEN
                } else {
                    &t.request_token
                },
            );
            let body = t.body(&path, &method);
            let m = Method::from_bytes(method.to_uppercase().as_bytes()).unwrap();
            let mut rq = t.caller(&path, &app.client).request(m, app.url(&url));
            if let Some(b) = &body {
                rq = rq.json(b);
            }
            let resp = rq.send().await.unwrap();
            let status = resp.status();
            if !status.is_success() {
                let text = resp.text().await.unwrap_or_default();
                panic!("{method} {url}: {status} {text}");
            }
            let documented = doc["paths"][&path][&method]["responses"]
                .as_object()
                .unwrap();
            assert!(
                documented.contains_key(status.as_str()),
                "{method} {path} answered {status}, which is not documented"
            );
            if let Some((_, _, ct)) = NOT_JSON.iter().find(|(p, m, _)| *p == path && *m == method) {
                let got = resp.headers()["content-type"].to_str().unwrap().to_string();
                assert!(got.starts_with(ct), "{method} {path}: {got}");
                continue;
            }
            let v: Value = resp.json().await.expect("JSON answer");
            assert!(v.is_object() || v.is_array());
        }
        // The writes took: the pending application approved, the dedicated hub revoked.
        let m = app.store.membership(t.pending).await.unwrap().unwrap();
        assert_eq!(m.status.as_str(), "active");
        let h = app.store.hub(t.to_revoke).await.unwrap().unwrap();
        assert_eq!(h.status.as_str(), "revoked");
    }
);

http_test!(
    schemas_match_what_the_api_returns,
    |app: TestApp| async move {
        let doc = document(&app).await;
        let resp = app
            .client
            .post(app.url("/api/v1/organizations"))
            .json(&org_json(1))
            .send()
            .await
            .unwrap();
        let rec: Value = resp.json().await.unwrap();
        let keys: BTreeSet<String> = rec.as_object().unwrap().keys().cloned().collect();
        assert_eq!(property_names(&doc, "OrganizationRecord"), keys);
        let required: BTreeSet<String> = schema(&doc, "OrganizationRecord")["required"]
            .as_array()
            .unwrap()
            .iter()
            .map(|v| v.as_str().unwrap().to_string())
            .collect();
        assert_eq!(required, keys, "every record field is always present");

        // Closed code sets are enumerated from the domain.
        let rec_schema = schema(&doc, "OrganizationRecord");
        let legal_forms = rec_schema["properties"]["legal_form"]["enum"]
            .as_array()
            .unwrap();
        assert_eq!(legal_forms.len(), 4);
        assert!(legal_forms.contains(&json!("community_filed")));
        let domains = rec_schema["properties"]["domains"]["items"]["enum"]
            .as_array()
            .unwrap();
        assert_eq!(domains.len(), 13);
        assert!(
            rec_schema["properties"]["grade"]["enum"]
                .as_array()
                .unwrap()
                .contains(&json!("5A"))
        );

        // Request bodies: what a client may send, and nothing else.
        let create_props = property_names(&doc, "OrganizationCreate");
        let patch_props = property_names(&doc, "OrganizationPatch");
        assert_eq!(create_props, patch_props);
        for read_only in [
            "id",
            "status",
            "created_at",
            "updated_at",
            "is_demo",
            "grade_expires_on",
        ] {
            assert!(
                !create_props.contains(read_only),
                "{read_only} is settable?"
            );
        }
        assert_eq!(
            schema(&doc, "OrganizationCreate")["additionalProperties"],
            false
        );
        assert_eq!(
            property_names(&doc, "StatusChangeRequest"),
            ["effective_on", "reason", "status"]
                .iter()
                .map(|s| s.to_string())
                .collect()
        );

        // The page and the jurisdiction node.
        assert_eq!(
            property_names(&doc, "OrganizationPage"),
            [
                "items",
                "matches",
                "next",
                "page",
                "per_page",
                "prev",
                "total",
                "total_is_lower_bound"
            ]
            .iter()
            .map(|s| s.to_string())
            .collect()
        );
        let (_, node) = {
            let r = app
                .client
                .get(app.url("/api/v1/jurisdictions/320102"))
                .send()
                .await
                .unwrap();
            (r.status(), r.json::<Value>().await.unwrap())
        };
        let node_keys: BTreeSet<String> = node.as_object().unwrap().keys().cloned().collect();
        assert_eq!(property_names(&doc, "JurisdictionNode"), node_keys);
        let child_keys: BTreeSet<String> = node["children"][0]
            .as_object()
            .unwrap()
            .keys()
            .cloned()
            .collect();
        assert_eq!(property_names(&doc, "JurisdictionChild"), child_keys);
        assert!(property_names(&doc, "ErrorBody").contains("fields"));
    }
);

http_test!(
    errors_of_authentication_are_documented_and_served,
    |app: TestApp| async move {
        let doc = document(&app).await;
        for (path, method) in served() {
            let url = path
                .replace("{id}", "01900000-0000-7000-8000-000000000000")
                .replace("{code}", "320102");
            let m = Method::from_bytes(method.to_uppercase().as_bytes()).unwrap();
            // A bad token is a 401 on every operation, documented.
            let resp = app
                .anon
                .request(m.clone(), app.url(&url))
                .bearer_auth("not-a-token")
                .json(&json!({}))
                .send()
                .await
                .unwrap();
            assert_eq!(resp.status(), StatusCode::UNAUTHORIZED, "{method} {path}");
            assert!(
                resp.headers()["www-authenticate"]
                    .to_str()
                    .unwrap()
                    .starts_with("Bearer"),
                "{method} {path}"
            );
            assert_eq!(
                resp.json::<Value>().await.unwrap()["error"],
                "unauthenticated"
            );
            // Anonymous: public reads answer, the rest want a token; each status documented.
            let resp = app
                .anon
                .request(m, app.url(&url))
                .json(&json!({}))
                .send()
                .await
                .unwrap();
            let status = resp.status();
            let public = PUBLIC.contains(&(path.as_str(), method.as_str()));
            if public {
                assert_ne!(status, StatusCode::UNAUTHORIZED, "{method} {path}");
            } else {
                assert_eq!(status, StatusCode::UNAUTHORIZED, "{method} {path}");
            }
            assert!(
                doc["paths"][&path][&method]["responses"]
                    .as_object()
                    .unwrap()
                    .contains_key(status.as_str()),
                "{method} {path} answered {status} anonymously, which is not documented"
            );
        }
    }
);
