//! Shuniu's web layer. Handlers parse the request, call the capability service (which
//! calls the domain and the store), and render HTML or JSON from the same result.
//!
//! Layout: `registry` (and later one module per capability) holds the service code that
//! pages and API share; `pages/` renders HTML; `api/` answers JSON under `/api/v1` and
//! documents itself at `/api/openapi.json`.

use std::net::SocketAddr;

use axum::Router;
use shuniu_store::Store;

pub mod api;
pub mod error;
pub mod i18n;
pub mod pages;
pub mod registry;

pub use error::AppError;

/// What every handler can reach.
#[derive(Clone)]
pub struct AppState {
    pub store: Store,
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
    let state = AppState { store };
    Router::new()
        .route("/healthz", axum::routing::get(healthz))
        .merge(pages::router())
        .merge(api::router())
        .fallback(pages::not_found)
        .layer(tower_http::trace::TraceLayer::new_for_http())
        .with_state(state)
}

async fn healthz(
    axum::extract::State(s): axum::extract::State<AppState>,
) -> Result<&'static str, AppError> {
    s.store.ping().await?;
    Ok("ok")
}

/// Serves `app` on `listener` until the process is told to stop.
pub async fn serve(listener: tokio::net::TcpListener, store: Store) -> std::io::Result<()> {
    let addr: SocketAddr = listener.local_addr()?;
    tracing::info!(%addr, backend = store.backend_name(), "serving");
    axum::serve(listener, app(store))
        .with_graceful_shutdown(async {
            let _ = tokio::signal::ctrl_c().await;
        })
        .await
}
