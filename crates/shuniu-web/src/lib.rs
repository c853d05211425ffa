//! Shuniu's web layer. Handlers parse the request, call the capability service (which
//! calls the domain and the store), and render HTML or JSON from the same result.
//!
//! Layout: `registry` (and later one module per capability) holds the service code that
//! pages and API share; `pages/` renders HTML; `api/` answers JSON under `/api/v1` and
//! documents itself at `/api/openapi.json`.

use std::net::SocketAddr;

use axum::Router;
use shuniu_domain::parks::BookingRules;
use shuniu_store::Store;

pub mod accounts;
pub mod api;
pub mod audit_export;
pub mod auth;
pub mod error;
pub mod extract;
pub mod guard;
pub mod hashing;
pub mod hubs;
pub mod i18n;
pub mod pages;
pub mod params;
pub mod parks;
pub mod party;
pub mod registry;
pub mod routes;
pub mod throttle;

pub use error::{AppError, PageError, PageResult};

/// What every handler can reach.
#[derive(Clone)]
pub struct AppState {
    pub store: Store,
    pub auth: auth::AuthSettings,
    /// Room-booking rules (opening hours, horizon, longest booking): settings. The
    /// slot size stays the default 30 minutes: the store claims slots on that grid.
    pub booking: BookingRules,
    /// Keeps failed API authentications from flooding the audit trail.
    pub auth_failures: std::sync::Arc<auth::FailureThrottle>,
    /// Keeps refused requests (403, and 404 outside the caller's scope) from flooding
    /// the audit trail.
    pub denials: std::sync::Arc<auth::FailureThrottle>,
    /// Signs the login form's CSRF tokens: random per process (a restart only makes
    /// open login forms ask again).
    pub csrf_key: std::sync::Arc<[u8; 32]>,
    /// Bounds the password hashes computed at once, and their memory.
    pub hashing: std::sync::Arc<hashing::PasswordHashing>,
    /// Failed sign-ins per source address and per account name.
    pub login_throttle: std::sync::Arc<throttle::LoginThrottle>,
    /// Keeps failed sign-ins with unknown names from flooding the audit trail.
    pub unknown_logins: std::sync::Arc<auth::FailureThrottle>,
}

/// Today's date in Asia/Shanghai: dates people type are local dates.
pub fn today() -> chrono::NaiveDate {
    chrono::Utc::now()
        .with_timezone(&chrono_tz::Asia::Shanghai)
        .date_naive()
}

/// Formats a stored UTC time for people: Asia/Shanghai, minutes.
pub fn local_time(t: chrono::DateTime<chrono::Utc>) -> String {
    t.with_timezone(&chrono_tz::Asia::Shanghai)
        .format("%Y-%m-%d %H:%M")
        .to_string()
}

/// The whole application: pages, API, health check.
pub fn app(store: Store) -> Router {
    app_with(store, auth::AuthSettings::default())
}

/// Every route of the application (pages and API), in one table.
pub fn routes() -> routes::Routes {
    pages::routes()
        .merge(api::routes())
        .get("/healthz", healthz)
}

/// The application with explicit security settings (default booking rules).
pub fn app_with(store: Store, auth: auth::AuthSettings) -> Router {
    app_with_settings(store, auth, BookingRules::default())
}

/// The application with explicit security settings and room-booking rules.
pub fn app_with_settings(store: Store, auth: auth::AuthSettings, booking: BookingRules) -> Router {
    app_from_state(AppState::new(store, auth, booking))
}

impl AppState {
    /// The state of a new application: fresh throttles, a fresh CSRF key.
    pub fn new(store: Store, auth: auth::AuthSettings, booking: BookingRules) -> AppState {
        AppState {
            store,
            booking,
            auth_failures: Default::default(),
            csrf_key: std::sync::Arc::new(random_key()),
            hashing: std::sync::Arc::new(hashing::PasswordHashing::new(auth.hashing)),
            login_throttle: std::sync::Arc::new(throttle::LoginThrottle::new(auth.login_limits)),
            unknown_logins: Default::default(),
            denials: Default::default(),
            auth,
        }
    }
}

/// The application over a given state (tests hold on to its parts).
pub fn app_from_state(state: AppState) -> Router {
    let router = Router::new()
        .merge(routes().into_router())
        .merge(api::fallback())
        .fallback(pages::not_found)
        .layer(axum::middleware::from_fn_with_state(
            state.clone(),
            pages::record_denials,
        ))
        .layer(axum::middleware::from_fn_with_state(
            state.clone(),
            guard::guard,
        ));
    with_security_headers(router)
        .layer(axum::middleware::from_fn(no_store_for_callers))
        .layer(tower_http::trace::TraceLayer::new_for_http())
        .with_state(state)
}

/// `Cache-Control: no-store` on every answer to a request that carried credentials (a
/// session cookie or an `Authorization` header): what a signed-in caller sees is theirs
/// and must stay out of shared and browser caches. Static assets are the exception.
async fn no_store_for_callers(
    req: axum::extract::Request,
    next: axum::middleware::Next,
) -> axum::response::Response {
    use axum::http::{HeaderValue, header};
    let credentials = req.headers().contains_key(header::AUTHORIZATION)
        || req
            .headers()
            .get_all(header::COOKIE)
            .iter()
            .filter_map(|v| v.to_str().ok())
            .any(|v| v.contains(auth::SESSION_COOKIE));
    let personal = credentials && !req.uri().path().starts_with("/static/");
    let mut res = next.run(req).await;
    if personal {
        res.headers_mut()
            .insert(header::CACHE_CONTROL, HeaderValue::from_static("no-store"));
    }
    res
}

fn random_key() -> [u8; 32] {
    use rand::RngCore;
    let mut k = [0u8; 32];
    rand::rngs::OsRng.fill_bytes(&mut k);
    k
}

/// Security headers on every response: a CSP without inline script, no framing,
/// no MIME sniffing, no referrer leaking paths to other sites.
fn with_security_headers(router: Router<AppState>) -> Router<AppState> {
    use axum::http::{HeaderValue, header};
    use tower_http::set_header::SetResponseHeaderLayer as H;
    router
        .layer(H::if_not_present(
            header::CONTENT_SECURITY_POLICY,
            HeaderValue::from_static(
                "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; \
                 form-action 'self'; frame-ancestors 'none'; base-uri 'none'; object-src 'none'",
            ),
        ))
        .layer(H::if_not_present(
            header::X_CONTENT_TYPE_OPTIONS,
            HeaderValue::from_static("nosniff"),
        ))
        .layer(H::if_not_present(
            header::REFERRER_POLICY,
            HeaderValue::from_static("same-origin"),
        ))
        .layer(H::if_not_present(
            header::X_FRAME_OPTIONS,
            HeaderValue::from_static("DENY"),
        ))
}

async fn healthz(
    axum::extract::State(s): axum::extract::State<AppState>,
) -> Result<&'static str, AppError> {
    s.store.ping().await?;
    Ok("ok")
}

/// Serves `app` on `listener` until the process is told to stop.
pub async fn serve(listener: tokio::net::TcpListener, store: Store) -> std::io::Result<()> {
    serve_with(listener, store, auth::AuthSettings::default()).await
}

/// Serves with explicit security settings; the peer address reaches the audit trail.
pub async fn serve_with(
    listener: tokio::net::TcpListener,
    store: Store,
    settings: auth::AuthSettings,
) -> std::io::Result<()> {
    serve_with_settings(listener, store, settings, BookingRules::default()).await
}

/// Serves with explicit security settings and room-booking rules.
pub async fn serve_with_settings(
    listener: tokio::net::TcpListener,
    store: Store,
    settings: auth::AuthSettings,
    booking: BookingRules,
) -> std::io::Result<()> {
    let addr: SocketAddr = listener.local_addr()?;
    tracing::info!(%addr, backend = store.backend_name(), "serving");
    axum::serve(
        listener,
        app_with_settings(store, settings, booking)
            .into_make_service_with_connect_info::<SocketAddr>(),
    )
    .with_graceful_shutdown(async {
        let _ = tokio::signal::ctrl_c().await;
    })
    .await
}
