//! Test support: the whole app on port 0 over a fresh database (zero2prod style).
#![allow(dead_code)]

use shuniu_domain::access::Role;
use shuniu_store::accounts::NewUser;
use shuniu_store::testing::{TestBackend, fresh_store};
use shuniu_store::{Store, WriteCtx};

pub struct TestApp {
    /// `http://127.0.0.1:PORT`
    pub addr: String,
    pub store: Store,
    /// Signed in as the platform admin (an API token sent on every request).
    pub client: reqwest::Client,
    /// Nobody signed in.
    pub anon: reqwest::Client,
    /// The app's search index (in memory, one per app).
    pub search: shuniu_web::kit::search::SearchIndex,
}

impl TestApp {
    /// Indexes organization `id` as the app's own writes do (for data seeded through
    /// the store).
    pub async fn index_organization(&self, id: uuid::Uuid) {
        shuniu_web::kit::search::organization_written(&self.store, &self.search, id)
            .await
            .expect("index the organization");
    }

    /// Rebuilds the app's search index from the store (after seeding through the store).
    pub async fn reindex(&self) {
        shuniu_web::kit::search::rebuild(&self.store, &self.search)
            .await
            .expect("rebuild the search index");
    }

    pub fn url(&self, path: &str) -> String {
        format!("{}{}", self.addr, path)
    }

    /// A client signed in as a new user of `role`, bound to a jurisdiction code
    /// (officials) or an organization (hub staff, members): it sends an API token (the
    /// API) and a session cookie with its CSRF token in `X-CSRF-Token` (pages), as a
    /// script that signed in both ways would.
    pub async fn client_as(
        &self,
        username: &str,
        role: Role,
        jurisdiction: Option<&str>,
        organization: Option<uuid::Uuid>,
    ) -> reqwest::Client {
        self.client_as_named(username, username, role, jurisdiction, organization)
            .await
    }

    /// `client_as`, for an account whose display name differs from its user name (what
    /// pages show people by).
    pub async fn client_as_named(
        &self,
        username: &str,
        display_name: &str,
        role: Role,
        jurisdiction: Option<&str>,
        organization: Option<uuid::Uuid>,
    ) -> reqwest::Client {
        let (user, token) = self
            .user_with_token(username, display_name, role, jurisdiction, organization)
            .await;
        let session = shuniu_web::auth::random_token();
        let csrf = shuniu_web::auth::random_token();
        self.store
            .create_session(&shuniu_web::auth::token_hash(&session), user.id, &csrf)
            .await
            .expect("create test session");
        client_with(&self.addr, &token, Some((&session, &csrf)))
    }

    /// A client that sends only an API token, of a new user of `role`.
    pub async fn token_only_as(&self, username: &str, role: Role) -> (reqwest::Client, String) {
        let (_, token) = self
            .user_with_token(username, username, role, None, None)
            .await;
        (client_with(&self.addr, &token, None), token)
    }

    /// A new user of `role` and an API token of theirs (valid for a day).
    async fn user_with_token(
        &self,
        username: &str,
        display_name: &str,
        role: Role,
        jurisdiction: Option<&str>,
        organization: Option<uuid::Uuid>,
    ) -> (shuniu_store::accounts::User, String) {
        let user = self
            .store
            .create_user(
                &NewUser {
                    display_name: display_name.to_string(),
                    jurisdiction_code: jurisdiction.map(String::from),
                    organization_id: organization,
                    // Token-authenticated test users never log in with a password.
                    ..shuniu_store::testing::new_user(username, role, "$argon2id$not-a-hash")
                },
                WriteCtx::system("test"),
            )
            .await
            .expect("create test user");
        let token = shuniu_web::auth::random_token();
        self.store
            .create_api_token(
                user.id,
                "test",
                &shuniu_web::auth::token_hash(&token),
                chrono::Utc::now() + chrono::Duration::days(1),
                WriteCtx::system("test"),
            )
            .await
            .expect("create test token");
        (user, token)
    }

    /// `POST path` with a JSON body, as the admin.
    pub async fn post_json(&self, path: &str, body: &serde_json::Value) -> reqwest::Response {
        self.client
            .post(self.url(path))
            .json(body)
            .send()
            .await
            .expect("the app answers")
    }

    /// Registers an organization as the admin and returns the record.
    pub async fn create_org(&self, body: &serde_json::Value) -> serde_json::Value {
        let r = self.post_json("/api/v1/organizations", body).await;
        assert_eq!(r.status(), reqwest::StatusCode::CREATED);
        r.json().await.expect("a JSON record")
    }

    /// The audit records of `action` (exact, or a prefix ending in `.`), newest first.
    pub async fn audit_records(
        &self,
        action: &str,
    ) -> shuniu_store::Page<shuniu_domain::audit::AuditRecord> {
        self.store
            .audit_page(
                &shuniu_store::AuditFilter {
                    action: Some(action.into()),
                    ..Default::default()
                },
                1,
                100,
            )
            .await
            .expect("read the audit trail")
    }
}

fn client_with(addr: &str, token: &str, session: Option<(&str, &str)>) -> reqwest::Client {
    let mut headers = reqwest::header::HeaderMap::new();
    headers.insert(
        reqwest::header::AUTHORIZATION,
        format!("Bearer {token}").parse().unwrap(),
    );
    // The session cookie goes in the cookie jar, with the cookies the app sets.
    let jar = std::sync::Arc::new(reqwest::cookie::Jar::default());
    if let Some((session, csrf)) = session {
        jar.add_cookie_str(
            &format!("shuniu_session={session}; Path=/"),
            &addr.parse().unwrap(),
        );
        headers.insert("x-csrf-token", csrf.parse().unwrap());
    }
    reqwest::Client::builder()
        .redirect(reqwest::redirect::Policy::none())
        .cookie_provider(jar)
        .default_headers(headers)
        .build()
        .unwrap()
}

/// Serves the application of `state` on port 0, with an admin's client ready.
async fn serve(state: shuniu_web::AppState) -> TestApp {
    let store = state.store.clone();
    let search = state.search.clone();
    let app = shuniu_web::app_from_state(state);
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0")
        .await
        .expect("bind port 0");
    let addr = format!("http://{}", listener.local_addr().unwrap());
    tokio::spawn(async move {
        axum::serve(
            listener,
            app.into_make_service_with_connect_info::<std::net::SocketAddr>(),
        )
        .await
        .expect("server runs");
    });
    let anon = reqwest::Client::builder()
        .redirect(reqwest::redirect::Policy::none())
        .cookie_store(true)
        .build()
        .unwrap();
    let mut app = TestApp {
        addr,
        store,
        client: anon.clone(),
        anon,
        search,
    };
    app.client = app.client_as("admin", Role::Admin, None, None).await;
    app
}

pub async fn spawn_app(backend: TestBackend) -> TestApp {
    let store = fresh_store(backend).await;
    serve(shuniu_web::AppState::new(
        store,
        shuniu_web::auth::AuthSettings::default(),
        shuniu_domain::parks::BookingRules::default(),
    ))
    .await
}

/// Like [`spawn_app`], but with the security settings `auth`; also returns the app's
/// state (its throttles and hasher), for tests that need to hold on to them.
pub async fn spawn_app_with_auth(
    backend: TestBackend,
    auth: shuniu_web::auth::AuthSettings,
) -> (TestApp, shuniu_web::AppState) {
    let store = fresh_store(backend).await;
    let state = shuniu_web::AppState::new(
        store.clone(),
        auth,
        shuniu_domain::parks::BookingRules::default(),
    );
    let app = serve(state.clone()).await;
    (app, state)
}

/// Like [`spawn_app`], but the app runs with the room-booking rules `booking`
/// (what `shuniu serve` passes from its configuration).
pub async fn spawn_app_with_booking(
    backend: TestBackend,
    booking: shuniu_domain::parks::BookingRules,
) -> TestApp {
    let store = fresh_store(backend).await;
    serve(shuniu_web::AppState::new(
        store,
        shuniu_web::auth::AuthSettings::default(),
        booking,
    ))
    .await
}

/// Like [`spawn_app`], but assessments are scored by the indicator tables `tables`
/// (what `shuniu serve` passes from its `assessment_tables` setting).
pub async fn spawn_app_with_tables(
    backend: TestBackend,
    tables: shuniu_domain::supervision::tables::IndicatorTables,
) -> TestApp {
    let store = fresh_store(backend).await;
    let mut state = shuniu_web::AppState::new(
        store.clone(),
        shuniu_web::auth::AuthSettings::default(),
        shuniu_domain::parks::BookingRules::default(),
    );
    state.assessment_tables = std::sync::Arc::new(tables);
    serve(state).await
}

/// Declares an HTTP test once and runs it against both backends:
/// `http_test!(name, |app: TestApp| async move { ... });`
#[macro_export]
macro_rules! http_test {
    ($name:ident, $body:expr) => {
        mod $name {
            #[allow(unused_imports)]
            use super::*;
            #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
            async fn sqlite() {
                let app =
                    $crate::common::spawn_app(shuniu_store::testing::TestBackend::Sqlite).await;
                ($body)(app).await;
            }
            #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
            async fn postgres() {
                let app =
                    $crate::common::spawn_app(shuniu_store::testing::TestBackend::Postgres).await;
                ($body)(app).await;
            }
        }
    };
}

/// A valid organization payload (JSON); `n` varies the USCC and name.
pub fn org_json(n: u32) -> serde_json::Value {
    let body = format!("MJ{:06}", n);
    let uscc = shuniu_domain::codes::Uscc::assemble('5', '2', "320102", &body).unwrap();
    serde_json::json!({
        "name": format!("测试服务中心{n}"),
        "legal_form": "social_service_institution",
        "uscc": uscc.as_str(),
        "domains": ["elderly", "public_welfare"],
        "jurisdiction": "320102002000",
        "address": "梅园新村34号",
        "founded_on": "2015-03-01",
        "legal_representative": "王芳",
        "contact_phone": "13812348000",
        "staff_full_time": 4,
        "staff_part_time": 2,
        "volunteers": 10,
        "party_org": "joint_branch",
        "party_members": 1,
        "stage": "growth"
    })
}
