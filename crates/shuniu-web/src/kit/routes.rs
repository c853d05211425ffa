//! The route table. Pages and API register their routes here, and the table both
//! builds the router and lists `(method, path)` — so a test can walk every route the
//! application serves (the access-matrix test), and a new route cannot escape it.

use std::collections::BTreeMap;

use axum::Router;
use axum::handler::Handler;
use axum::http::Method;
use axum::routing::{MethodFilter, MethodRouter};

use crate::AppState;

#[derive(Default)]
pub struct Routes {
    paths: BTreeMap<String, MethodRouter<AppState>>,
    list: Vec<(Method, String)>,
}

impl Routes {
    pub fn new() -> Self {
        Self::default()
    }

    fn on<H, T>(mut self, method: Method, filter: MethodFilter, path: &str, handler: H) -> Self
    where
        H: Handler<T, AppState>,
        T: 'static,
    {
        let mr = self.paths.remove(path).unwrap_or_default();
        self.paths.insert(path.to_string(), mr.on(filter, handler));
        self.list.push((method, path.to_string()));
        self
    }

    pub fn get<H: Handler<T, AppState>, T: 'static>(self, path: &str, h: H) -> Self {
        self.on(Method::GET, MethodFilter::GET, path, h)
    }
    pub fn post<H: Handler<T, AppState>, T: 'static>(self, path: &str, h: H) -> Self {
        self.on(Method::POST, MethodFilter::POST, path, h)
    }
    pub fn put<H: Handler<T, AppState>, T: 'static>(self, path: &str, h: H) -> Self {
        self.on(Method::PUT, MethodFilter::PUT, path, h)
    }
    pub fn patch<H: Handler<T, AppState>, T: 'static>(self, path: &str, h: H) -> Self {
        self.on(Method::PATCH, MethodFilter::PATCH, path, h)
    }
    pub fn delete<H: Handler<T, AppState>, T: 'static>(self, path: &str, h: H) -> Self {
        self.on(Method::DELETE, MethodFilter::DELETE, path, h)
    }

    pub fn merge(mut self, other: Routes) -> Self {
        for (path, mr) in other.paths {
            let merged = match self.paths.remove(&path) {
                Some(mine) => mine.merge(mr),
                None => mr,
            };
            self.paths.insert(path, merged);
        }
        self.list.extend(other.list);
        self
    }

    /// Every `(method, path)` served, in registration order.
    pub fn list(&self) -> Vec<(Method, String)> {
        self.list.clone()
    }

    pub fn into_router(self) -> Router<AppState> {
        self.paths
            .into_iter()
            .fold(Router::new(), |r, (path, mr)| r.route(&path, mr))
    }
}
