//! The interface language: a `lang` cookie (set by the switch) wins, then
//! `Accept-Language`, then Chinese.

use axum::extract::FromRequestParts;
use axum::http::request::Parts;
use shuniu_domain::Lang;

pub const LANG_COOKIE: &str = "lang";

/// The language of this request.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct UiLang(pub Lang);

pub fn lang_of(parts: &Parts) -> Lang {
    let cookie_lang = parts
        .headers
        .get_all(axum::http::header::COOKIE)
        .iter()
        .filter_map(|v| v.to_str().ok())
        .flat_map(|v| v.split(';'))
        .filter_map(|kv| kv.trim().split_once('='))
        .find(|(k, _)| *k == LANG_COOKIE)
        .and_then(|(_, v)| Lang::parse(v));
    cookie_lang
        .or_else(|| {
            parts
                .headers
                .get(axum::http::header::ACCEPT_LANGUAGE)
                .and_then(|v| v.to_str().ok())
                .and_then(Lang::from_accept_language)
        })
        .unwrap_or_default()
}

impl<S: Send + Sync> FromRequestParts<S> for UiLang {
    type Rejection = std::convert::Infallible;
    async fn from_request_parts(parts: &mut Parts, _: &S) -> Result<Self, Self::Rejection> {
        Ok(UiLang(lang_of(parts)))
    }
}
