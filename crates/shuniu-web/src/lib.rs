//! Shuniu's web layer. Handlers parse the request, call the capability service (which
//! calls the domain and the store), and render HTML or JSON from the same result.
//!
//! Layout: one folder per capability (`registry/`, `jurisdictions/`, `accounts/`,
//! `audit/`, `hubs/`, `parks/`, `party/`), each with its service, pages, API, words and
//! view helpers, exporting one `Capability`; `kit/` holds what every capability uses;
//! `auth`, `hashing`, `throttle` and `guard` are the shared security infrastructure.
//! [`capabilities`] is the one list that assembles them.

use std::net::SocketAddr;
use std::sync::LazyLock;

use axum::Router;
use shuniu_domain::parks::BookingRules;
use shuniu_store::Store;

pub mod auth;
pub mod guard;
pub mod hashing;
pub mod kit;
pub mod throttle;

pub use kit::error::{PageError, PageResult};
pub use kit::{AppError, AppState, Capability, local_time, today};

/// Declares the capability modules and [`capabilities`], the one list of them, so that
/// adding a capability is one name in the call below.
macro_rules! capabilities {
    ($($cap:ident),* $(,)?) => {
        $(pub mod $cap;)*

        /// Every capability of the application, in the order their OpenAPI tags, words
        /// and organization-page sections appear.
        pub fn capabilities() -> &'static [Capability] {
            static ALL: &[Capability] = &[$($cap::CAPABILITY),*];
            ALL
        }
    };
}

capabilities!(
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

/// The whole application: pages, API, health check.
pub fn app(store: Store) -> Router {
    app_with(store, auth::AuthSettings::default())
}

/// Every route of the application (pages and API), in one table: the kit's own, the
/// OpenAPI document, the health check, and every capability's.
pub fn routes() -> kit::routes::Routes {
    capabilities().iter().fold(
        kit::ui::routes()
            .get("/api/openapi.json", openapi_json)
            .get("/healthz", healthz),
        |all, c| all.merge((c.routes)()),
    )
}

/// The OpenAPI document: the kit's frame and every capability's part, merged in order.
static OPENAPI_JSON: LazyLock<String> = LazyLock::new(|| {
    let mut doc = kit::api::base_doc();
    for c in capabilities() {
        doc.merge((c.openapi)());
    }
    kit::api::finish(&doc)
});

async fn openapi_json() -> impl axum::response::IntoResponse {
    (
        [(axum::http::header::CONTENT_TYPE, "application/json")],
        OPENAPI_JSON.as_str(),
    )
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
        kit::capability::install(capabilities());
        AppState {
            store,
            booking,
            supervision: Default::default(),
            complaints: Default::default(),
            requests: Default::default(),
            credibility: Default::default(),
            assessment_tables: Default::default(),
            auth_failures: Default::default(),
            csrf_key: std::sync::Arc::new(random_key()),
            hashing: std::sync::Arc::new(hashing::PasswordHashing::new(auth.hashing)),
            login_throttle: std::sync::Arc::new(throttle::LoginThrottle::new(auth.login_limits)),
            unknown_logins: Default::default(),
            exports: Default::default(),
            denials: Default::default(),
            search: kit::search::in_memory(),
            auth,
        }
    }
}

/// The application over a given state (tests hold on to its parts).
pub fn app_from_state(state: AppState) -> Router {
    let router = Router::new()
        .merge(routes().into_router())
        .merge(kit::api::fallback())
        .fallback(kit::ui::not_found)
        .layer(axum::middleware::from_fn_with_state(
            state.clone(),
            kit::ui::record_denials,
        ))
        .layer(axum::middleware::from_fn_with_state(
            state.clone(),
            guard::guard,
        ));
    with_security_headers(router)
        .layer(axum::middleware::from_fn(no_store_for_callers))
        .layer(compression())
        .layer(axum::middleware::from_fn(
            kit::abandoned::finish_when_abandoned,
        ))
        .layer(tower_http::trace::TraceLayer::new_for_http())
        .with_state(state)
}

/// HTML, JSON, CSV and the stylesheet compress several-fold, and phones on mobile
/// networks are most of the residents: gzip or brotli, as the browser accepts, for
/// answers above 512 bytes (below that the headers cost more than they save; images
/// are compressed already).
fn compression()
-> tower_http::compression::CompressionLayer<impl tower_http::compression::Predicate> {
    use tower_http::compression::Predicate;
    use tower_http::compression::predicate::{NotForContentType, SizeAbove};
    tower_http::compression::CompressionLayer::new().compress_when(
        SizeAbove::new(512)
            .and(NotForContentType::IMAGES)
            .and(NotForContentType::SSE)
            .and(NotForContentType::GRPC),
    )
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
    serve_state(listener, AppState::new(store, settings, booking)).await
}

/// Serves the application over `state` (the binary sets its supervision settings).
pub async fn serve_state(
    listener: tokio::net::TcpListener,
    state: AppState,
) -> std::io::Result<()> {
    let addr: SocketAddr = listener.local_addr()?;
    tracing::info!(%addr, backend = state.store.backend_name(), "serving");
    axum::serve(
        listener,
        app_from_state(state).into_make_service_with_connect_info::<SocketAddr>(),
    )
    .with_graceful_shutdown(async {
        let _ = tokio::signal::ctrl_c().await;
    })
    .await
}
