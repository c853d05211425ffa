//! Server-rendered pages (askama templates in `templates/`).

use axum::Router;

use crate::AppState;

pub fn router() -> Router<AppState> {
    Router::new()
}
