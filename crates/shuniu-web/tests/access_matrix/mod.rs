//! The access matrix: EVERY route the application serves (taken from the route table
//! itself, `shuniu_web::routes().list()`) × every role × in-scope, out-of-scope and
//! unknown records, each answered with the status an explicit expectation function
//! says. Each capability's expectations are in its own file here (`registry.rs`,
//! `hubs.rs` …, keyed by `Capability::name`; the kit's own routes in `site.rs`), and a
//! route is judged by the file of the capability that serves it. A route, or a
//! capability, the expectations do not know fails the test, so a new route cannot
//! escape the matrix.

use std::collections::HashMap;
use std::sync::LazyLock;

use crate::common;
use crate::world;

mod site;

use common::{TestApp, org_json};
use reqwest::{Method, StatusCode};
use serde_json::{Value, json};
use shuniu_domain::access::Role;

/// Who calls.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Who {
    Anonymous,
    Admin,
    /// Official of 320102 (Xuanwu): org A is in scope.
    OfficialXuanwu,
    /// Official of 320104 (Qinhuai): org A is out of scope.
    OfficialQinhuai,
    /// Hub staff bound to hub organization H, Meiyuan's regional hub (A is not a
    /// member of H; C is).
    HubStaff,
    /// Organization member bound to A.
    MemberOfA,
    Expert,
}

const EVERYONE: [Who; 7] = [
    Who::Anonymous,
    Who::Admin,
    Who::OfficialXuanwu,
    Who::OfficialQinhuai,
    Who::HubStaff,
    Who::MemberOfA,
    Who::Expert,
];

/// Which record a path parameter names.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Rec {
    /// The path has no parameter.
    NoParam,
    /// Org A (in Xuanwu / Meiyuan 320102002000), jurisdiction 320102, `en`, `style.css`;
    /// hub H, C's membership of H, H's venue, its meeting room, C's office allocation
    /// and C's booking of the room (see `param_value`).
    Known,
    /// A well-formed id, code or name that names nothing.
    Unknown,
}

/// An acceptable answer.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Exp {
    /// Exactly this status (a 303 must then not go to the login page).
    Status(u16),
    /// Sign in first: `401` with `WWW-Authenticate: Bearer` under `/api/`, a `303` to
    /// `/login` on pages.
    Login,
}

use Exp::{Login, Status};

const OK: Exp = Status(200);
const CREATED: Exp = Status(201);
const REDIRECT: Exp = Status(303);
const FORBIDDEN: Exp = Status(403);
const NOT_FOUND: Exp = Status(404);
const UNPROCESSABLE: Exp = Status(422);

fn is_official(w: Who) -> bool {
    matches!(w, Who::OfficialXuanwu | Who::OfficialQinhuai)
}
/// May edit org A: admins, the official over Meiyuan, A's own member.
fn edits_a(w: Who) -> bool {
    matches!(w, Who::Admin | Who::OfficialXuanwu | Who::MemberOfA)
}
/// May change A's status: admins and the official over it.
fn rules_a(w: Who) -> bool {
    matches!(w, Who::Admin | Who::OfficialXuanwu)
}
/// May register an organization at all (somewhere in scope).
fn registers(w: Who) -> bool {
    w == Who::Admin || is_official(w)
}
/// May register in Meiyuan.
fn registers_in_xuanwu(w: Who) -> bool {
    matches!(w, Who::Admin | Who::OfficialXuanwu)
}
fn reads_audit(w: Who) -> bool {
    w == Who::Admin || is_official(w)
}
/// May recognize hubs somewhere (`NewHub` anywhere): admins and officials.
fn recognizes(w: Who) -> bool {
    w == Who::Admin || is_official(w)
}
/// May recognize (or revoke) in Meiyuan / name Xuanwu's core: admins, the official over it.
fn recognizes_in_xuanwu(w: Who) -> bool {
    matches!(w, Who::Admin | Who::OfficialXuanwu)
}
/// Runs hub H (its members, venue, spaces, offices, bookings): admins, the official
/// over Meiyuan, H's staff.
fn runs_h(w: Who) -> bool {
    matches!(w, Who::Admin | Who::OfficialXuanwu | Who::HubStaff)
}
/// May read C's membership of H: those who run H, and experts.
fn reads_membership(w: Who) -> bool {
    runs_h(w) || w == Who::Expert
}
/// May act for H itself as a member-to-be (apply): admins and H's own staff.
fn acts_for_h(w: Who) -> bool {
    matches!(w, Who::Admin | Who::HubStaff)
}
/// Reads the coverage reports of Xuanwu: admins, the official over it, experts.
fn reports_on_xuanwu(w: Who) -> bool {
    matches!(w, Who::Admin | Who::OfficialXuanwu | Who::Expert)
}
/// Reads reports somewhere (each official on their own node): admins, officials, experts.
fn reads_reports(w: Who) -> bool {
    matches!(w, Who::Admin | Who::Expert) || is_official(w)
}
/// Keeps instructors somewhere: admins and officials.
fn keeps_instructors(w: Who) -> bool {
    w == Who::Admin || is_official(w)
}
/// Keeps org A's party facts (A is in no hub): admins, the official over it.
fn keeps_party_of_a(w: Who) -> bool {
    matches!(w, Who::Admin | Who::OfficialXuanwu)
}
/// May create venues somewhere: admins, officials, hub staff (for their hub).
fn creates_venues(w: Who) -> bool {
    matches!(w, Who::Admin | Who::HubStaff) || is_official(w)
}
/// Books H's room for C (or reports for C): those who run H (no caller is C's own).
fn books_for_c(w: Who) -> bool {
    runs_h(w)
}

/// An API call that needs an account: anonymous → login; an unknown record → 404;
/// then the policy: `ok` when allowed, 403 when not.
fn api(who: Who, known: bool, allowed: bool, ok: Exp) -> Option<Vec<Exp>> {
    Some(vec![match who {
        Who::Anonymous => Login,
        _ if !known => NOT_FOUND,
        _ if allowed => ok,
        _ => FORBIDDEN,
    }])
}

/// A page that needs an account: anonymous → login (for an unknown record a 404 reveals
/// nothing either); unknown → 404; allowed → 200; else 403.
fn page(who: Who, known: bool, allowed: bool) -> Option<Vec<Exp>> {
    match who {
        Who::Anonymous if known => Some(vec![Login]),
        Who::Anonymous => Some(vec![Login, NOT_FOUND]),
        _ if !known => Some(vec![NOT_FOUND]),
        _ if allowed => Some(vec![OK]),
        _ => Some(vec![FORBIDDEN]),
    }
}

/// A record the caller may not read is not there for them: `403` becomes `404`
/// (issue 10: only what the caller may see is refused with 403).
fn hidden_unless(reads: bool, e: Option<Vec<Exp>>) -> Option<Vec<Exp>> {
    e.map(|v| {
        v.into_iter()
            .map(|x| {
                if !reads && x == FORBIDDEN {
                    NOT_FOUND
                } else {
                    x
                }
            })
            .collect()
    })
}

/// A form post: anonymous → login or refused (no CSRF token; an unknown record may say
/// 404); unknown → 404; allowed → `ok`; else 403.
fn form(who: Who, known: bool, allowed: bool, ok: Exp) -> Option<Vec<Exp>> {
    match who {
        Who::Anonymous => Some(vec![Login, Status(401), FORBIDDEN, NOT_FOUND]),
        _ if !known => Some(vec![NOT_FOUND]),
        _ if allowed => Some(vec![ok]),
        _ => Some(vec![FORBIDDEN]),
    }
}

/// Each capability's expectations, in its own file, by `Capability::name`: a new
/// capability adds `access_matrix/<name>.rs` and one line here (the test fails until
/// it does).
/// Declares each capability's file of expectations and the list of them (keyed by the
/// capability's name): a new capability adds one name here.
macro_rules! expectations {
    ($($cap:ident),* $(,)?) => {
        $(mod $cap;)*
        const EXPECTATIONS: &[(&str, Expect)] = &[$((stringify!($cap), $cap::expect)),*];
    };
}

expectations!(
    registry,
    jurisdictions,
    accounts,
    audit,
    hubs,
    parks,
    party,
    places,
    supervision,
    credit,
    annual,
    assessment,
    services,
    requests,
    complaints,
    trust,
    workbench
);

type Expect = fn(&str, &str, Who, Rec) -> Option<Vec<Exp>>;

/// Which capability serves `(method, path)`, from each capability's own routes.
static OWNERS: LazyLock<HashMap<(String, String), &'static str>> = LazyLock::new(|| {
    let mut owners = HashMap::new();
    for c in shuniu_web::capabilities() {
        for (m, p) in (c.routes)().list() {
            owners.insert((m.as_str().to_string(), p), c.name);
        }
    }
    owners
});

/// What `method path` must answer to `who` about `rec`: the expectations of the
/// capability that serves the route, or the kit's own (`site`). `None`: the route is
/// not known — the test fails, naming it.
fn expect(method: &Method, path: &str, who: Who, rec: Rec) -> Option<Vec<Exp>> {
    let m = method.as_str();
    match OWNERS.get(&(m.to_string(), path.to_string())) {
        Some(name) => EXPECTATIONS
            .iter()
            .find(|(n, _)| n == name)
            .and_then(|(_, f)| f(m, path, who, rec)),
        None => site::expect(m, path, who, rec),
    }
}

struct World {
    app: TestApp,
    clients: Vec<(Who, reqwest::Client)>,
    f: world::Fixture,
    /// An account that only the admin routes act on.
    victim_user: String,
    /// A spare API token of A's member (not the one its client uses).
    member_spare_token: String,
    next_uscc: std::cell::Cell<u32>,
    /// Fresh bookings made so far (each cancel case cancels its own).
    next_slot: std::cell::Cell<u32>,
}

const UNKNOWN_ID: &str = "01900000-0000-7000-8000-000000000000";

/// The value of a path parameter for a record.
fn param_value(w: &World, path: &str, name: &str, rec: Rec) -> String {
    let unknown = rec == Rec::Unknown;
    match name {
        // Ids of accounts and tokens name the member's account; others org A.
        "id" if unknown => UNKNOWN_ID.into(),
        "id" if path.starts_with("/admin/users/") => w.victim_user.clone(),
        "id" if path.starts_with("/account/tokens/") => w.member_spare_token.clone(),
        "id" => {
            let f = &w.f;
            let rest = path.strip_prefix("/api/v1").unwrap_or(path);
            let id = if rest.starts_with("/hubs/") {
                f.hub
            } else if rest.starts_with("/memberships/") {
                f.membership
            } else if rest.starts_with("/venues/") {
                f.venue
            } else if rest.starts_with("/spaces/") {
                f.room
            } else if rest.starts_with("/bookings/") {
                f.booking
            } else if rest.starts_with("/allocations/") {
                f.allocation
            } else {
                f.org_a
            };
            id.to_string()
        }
        // The world holds no service: a service id names nothing either way.
        "sid" => UNKNOWN_ID.into(),
        "code" if unknown => "999999".into(),
        "code" => "320102".into(),
        "lang" if unknown => "xx".into(),
        "lang" => "en".into(),
        "mode" if unknown => "huge".into(),
        "mode" => "elder".into(),
        "file" if unknown => "nope.css".into(),
        "file" => "style.css".into(),
        // No resident request has this token.
        "token" if !unknown => "0".repeat(64),
        _ if unknown => "unknown".into(),
        other => panic!("no value for path parameter {{{other}}} of {path}"),
    }
}

fn params_of(path: &str) -> Vec<String> {
    path.split('/')
        .filter_map(|seg| seg.strip_prefix('{').and_then(|s| s.strip_suffix('}')))
        .map(String::from)
        .collect()
}

fn fill(w: &World, path: &str, rec: Rec) -> String {
    let mut out = path.to_string();
    for p in params_of(path) {
        out = out.replace(&format!("{{{p}}}"), &param_value(w, path, &p, rec));
    }
    out
}

/// The URL of a case. Cancelling a booking cannot be made invalid: each case with a
/// known record gets a fresh booking of C's to cancel, so the cases stay independent.
async fn url_of(w: &World, path: &str, rec: Rec) -> String {
    if rec == Rec::Known && path.ends_with("/bookings/{id}/cancel") {
        let n = w.next_slot.get();
        w.next_slot.set(n + 1);
        let b = world::book(&w.app, &w.f, 8 + i64::from(n / 20), n % 20).await;
        return path.replace("{id}", &b.to_string());
    }
    fill(w, path, rec)
}

fn json_form(v: &Value) -> Body {
    let mut f = org_form(v);
    f.push(("_csrf".into(), "0".repeat(64)));
    Body::Form(f)
}

/// An organization as a form (repeated `domains`).
fn org_form(v: &Value) -> Vec<(String, String)> {
    let mut form = Vec::new();
    for (k, v) in v.as_object().unwrap() {
        match v {
            Value::Array(items) => {
                for i in items {
                    form.push((k.clone(), i.as_str().unwrap().to_string()));
                }
            }
            Value::String(s) => form.push((k.clone(), s.clone())),
            other => form.push((k.clone(), other.to_string())),
        }
    }
    form
}

enum Body {
    None,
    Json(Value),
    Form(Vec<(String, String)>),
}

/// A valid-looking request body for a write route.
fn body_for(w: &World, method: &Method, path: &str) -> Body {
    let fresh = || {
        let n = w.next_uscc.get();
        w.next_uscc.set(n + 1);
        org_json(n)
    };
    match (method.as_str(), path) {
        ("GET", _) => Body::None,
        ("POST", "/api/v1/organizations") => Body::Json(fresh()),
        ("PATCH", "/api/v1/organizations/{id}") => Body::Json(json!({"volunteers": 12})),
        ("POST", p) if p.starts_with("/api/") && p.ends_with("/status") => {
            Body::Json(json!({"status": "not-a-status", "reason": "整改"}))
        }
        ("POST", "/organizations") => Body::Form(org_form(&fresh())),
        // Org A's own values: an allowed edit succeeds and changes nothing.
        ("POST", "/organizations/{id}/edit") => Body::Form(org_form(&org_json(1))),
        ("POST", "/organizations/{id}/status") => Body::Form(vec![
            ("status".into(), "not-a-status".into()),
            ("reason".into(), "整改".into()),
        ]),
        // ---- issue 4 (see `expect` for why each body is what it is) ----
        ("POST", "/api/v1/hubs") => Body::Json(world::regional_json(w.f.org_a, world::MEIYUAN)),
        ("POST", "/hubs") => json_form(&world::regional_json(w.f.org_a, world::MEIYUAN)),
        ("POST", "/api/v1/hubs/{id}/applications") => {
            Body::Json(json!({"organization_id": w.f.org_h}))
        }
        ("POST", "/hubs/{id}/applications") => {
            json_form(&json!({"organization_id": w.f.org_h.to_string()}))
        }
        ("POST", "/api/v1/memberships/{id}/decision") => {
            Body::Json(json!({"action": "not-an-action"}))
        }
        ("POST", "/memberships/{id}/decision") => json_form(&json!({"action": "not-an-action"})),
        ("POST", "/api/v1/memberships/{id}/initiating") => Body::Json(json!({"initiating": false})),
        ("POST", "/api/v1/organizations/{id}/party") => {
            Body::Json(json!({"party_org": "not-a-type"}))
        }
        ("POST", "/organizations/{id}/party") => json_form(&json!({"party_org": "not-a-type"})),
        ("PATCH", "/api/v1/venues/{id}") => Body::Json(json!({"area_m2": "lots"})),
        ("PATCH", "/api/v1/spaces/{id}") => Body::Json(json!({"capacity": "many"})),
        ("POST", "/api/v1/allocations/{id}/end") => Body::Json(json!({"ended_on": "someday"})),
        ("POST", "/allocations/{id}/end") => json_form(&json!({"ended_on": "someday"})),
        ("POST", "/api/v1/spaces/{id}/bookings") => {
            Body::Json(json!({"organization_id": w.f.org_c, "date": "someday"}))
        }
        ("POST", "/spaces/{id}/bookings") => json_form(&json!({
            "organization_id": w.f.org_c.to_string(), "date": "someday"
        })),
        ("POST", "/api/v1/venues/{id}/obligations") => {
            Body::Json(json!({"organization_id": w.f.org_c, "quarter": "someday"}))
        }
        ("POST", "/venues/{id}/reports") => json_form(&json!({
            "organization_id": w.f.org_c.to_string(), "quarter": "someday"
        })),
        ("POST", "/login") => Body::Form(vec![
            ("username".into(), "nobody".into()),
            ("password".into(), "Wrong-Password-1".into()),
        ]),
        (_, p) if p.starts_with("/api/") => Body::Json(json!({})),
        _ => Body::Form(vec![("_csrf".into(), "0".repeat(64))]),
    }
}

async fn world(app: TestApp) -> World {
    let f = world::build(&app).await;
    let a_id = f.org_a;
    let hub_id = f.org_h;
    let mut clients = vec![
        (Who::Anonymous, app.anon.clone()),
        (Who::Admin, app.client.clone()),
    ];
    clients.push((
        Who::OfficialXuanwu,
        app.client_as("xuanwu.official", Role::Official, Some("320102"), None)
            .await,
    ));
    clients.push((
        Who::OfficialQinhuai,
        app.client_as("qinhuai.official", Role::Official, Some("320104"), None)
            .await,
    ));
    clients.push((
        Who::HubStaff,
        app.client_as("hub.staff", Role::HubStaff, None, Some(hub_id))
            .await,
    ));
    clients.push((
        Who::MemberOfA,
        app.client_as("a.member", Role::OrgMember, None, Some(a_id))
            .await,
    ));
    clients.push((
        Who::Expert,
        app.client_as("an.expert", Role::Expert, None, None).await,
    ));
    let member = app
        .store
        .user_by_username("a.member")
        .await
        .unwrap()
        .unwrap();
    let spare = app
        .store
        .create_api_token(
            member.id,
            "spare",
            &shuniu_web::auth::token_hash(&shuniu_web::auth::random_token()),
            chrono::Utc::now() + chrono::Duration::days(1),
            shuniu_store::WriteCtx::system("test"),
        )
        .await
        .unwrap();
    app.client_as("victim.user", Role::Expert, None, None).await;
    let victim_user = app
        .store
        .user_by_username("victim.user")
        .await
        .unwrap()
        .unwrap()
        .id
        .to_string();
    World {
        app,
        clients,
        f,
        victim_user,
        member_spare_token: spare.id.to_string(),
        next_uscc: std::cell::Cell::new(1000),
        next_slot: std::cell::Cell::new(0),
    }
}

fn matches(exp: Exp, status: StatusCode, location: &str, api: bool, www: Option<&str>) -> bool {
    match exp {
        Status(303) => status.as_u16() == 303 && !location.starts_with("/login"),
        Status(s) => status.as_u16() == s,
        Login if api => {
            status == StatusCode::UNAUTHORIZED && www.is_some_and(|h| h.starts_with("Bearer"))
        }
        Login => status == StatusCode::SEE_OTHER && location.starts_with("/login"),
    }
}

http_test!(
    every_route_x_every_role_x_every_record_answers_as_expected,
    |app: TestApp| async move {
        let w = world(app).await;
        let mut routes = shuniu_web::routes().list();
        // Pages run on the clients' sessions, which signing out ends: sign out last.
        routes.sort_by_key(|(m, p)| m == Method::POST && p == "/logout");
        assert!(
            routes.len() >= 20,
            "the route table looks empty: {routes:?}"
        );
        let mut failures = Vec::new();
        let mut checked = 0;
        for (method, path) in &routes {
            let method = Method::from_bytes(method.as_str().as_bytes()).unwrap();
            let recs: &[Rec] = if params_of(path).is_empty() {
                &[Rec::NoParam]
            } else {
                &[Rec::Known, Rec::Unknown]
            };
            for &rec in recs {
                for (who, client) in &w.clients {
                    let Some(expected) = expect(&method, path, *who, rec) else {
                        failures.push(format!(
                            "{method} {path}: no expectation for {who:?} / {rec:?} — \
                             add the route to `expect`"
                        ));
                        continue;
                    };
                    let url = w.app.url(&url_of(&w, path, rec).await);
                    let mut rq = client.request(method.clone(), &url);
                    rq = match body_for(&w, &method, path) {
                        Body::None => rq,
                        Body::Json(v) => rq.json(&v),
                        Body::Form(f) => rq.form(&f),
                    };
                    let resp = rq.send().await.unwrap();
                    let status = resp.status();
                    let location = resp
                        .headers()
                        .get("location")
                        .and_then(|v| v.to_str().ok())
                        .unwrap_or("")
                        .to_string();
                    let www = resp
                        .headers()
                        .get("www-authenticate")
                        .and_then(|v| v.to_str().ok())
                        .map(String::from);
                    let api = path.starts_with("/api/");
                    checked += 1;
                    if !expected
                        .iter()
                        .any(|e| matches(*e, status, &location, api, www.as_deref()))
                    {
                        let body = resp.text().await.unwrap_or_default();
                        let snippet: String = if api {
                            body.chars().take(160).collect()
                        } else {
                            String::new()
                        };
                        failures.push(format!(
                            "{method} {url} as {who:?} ({rec:?}): expected one of {expected:?}, \
                             got {status} (location {location:?}) {snippet}"
                        ));
                    } else if api && status.as_u16() >= 400 {
                        // API errors are JSON with an error code.
                        let v: Value = resp.json().await.unwrap_or(Value::Null);
                        if !v["error"].is_string() {
                            failures.push(format!(
                                "{method} {url} as {who:?}: error answer is not JSON: {v}"
                            ));
                        }
                    }
                }
            }
        }
        eprintln!("{} routes, {checked} cases", routes.len());
        assert!(
            failures.is_empty(),
            "{} of {checked} cases failed:\n{}",
            failures.len(),
            failures.join("\n")
        );
        // Every write was refused or invalid (or a no-op, or cancelled its own fresh
        // booking): the world is as it was.
        let (store, f) = (&w.app.store, &w.f);
        let hub = store.hub(f.hub).await.unwrap().unwrap();
        assert_eq!(hub.status.as_str(), "recognized");
        let members = store.hub_members(f.hub, None, 1, 50).await.unwrap();
        assert_eq!(members.total, 1, "only C is in H");
        let m = store.membership(f.membership).await.unwrap().unwrap();
        assert_eq!((m.status.as_str(), m.initiating), ("active", false));
        let b = store.booking(f.booking).await.unwrap().unwrap();
        assert_eq!(b.status.as_str(), "confirmed");
        let a = store.allocation(f.allocation).await.unwrap().unwrap();
        assert_eq!(a.ended_early_on, None);
        let org_a = store.organization(f.org_a).await.unwrap().unwrap();
        assert_eq!(org_a.data.party_org.as_str(), "joint_branch");
        let venue = store.venue(f.venue).await.unwrap().unwrap();
        assert_eq!(venue.data.area_m2, 400);
        assert_eq!(store.spaces_of(f.venue).await.unwrap().len(), 2);
    }
);

/// The expectation function knows every route in the table (so the test above cannot
/// pass by skipping one), and it rejects a route it was never told about.
#[test]
fn the_expectation_function_covers_the_whole_route_table() {
    for (method, path) in shuniu_web::routes().list() {
        let method = Method::from_bytes(method.as_str().as_bytes()).unwrap();
        for who in EVERYONE {
            for rec in [Rec::NoParam, Rec::Known, Rec::Unknown] {
                assert!(
                    expect(&method, &path, who, rec).is_some(),
                    "{method} {path} has no expectation for {who:?}/{rec:?}"
                );
            }
        }
    }
    // Every capability has its expectations.
    for c in shuniu_web::capabilities() {
        assert!(
            EXPECTATIONS.iter().any(|(n, _)| *n == c.name),
            "capability {} has no access-matrix expectations",
            c.name
        );
    }
    assert!(
        expect(
            &Method::DELETE,
            "/api/v1/organizations/{id}",
            Who::Admin,
            Rec::Known
        )
        .is_none()
    );
    assert!(expect(&Method::GET, "/api/v1/new-thing", Who::Admin, Rec::NoParam).is_none());
    // Nor does a prefix of a known route stand for the routes below it.
    assert!(expect(&Method::DELETE, "/api/v1/hubs/{id}", Who::Admin, Rec::Known).is_none());
    assert!(
        expect(
            &Method::GET,
            "/api/v1/hubs/{id}/secrets",
            Who::Admin,
            Rec::Known
        )
        .is_none()
    );
}
