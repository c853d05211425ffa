//! The interface language: a `lang` cookie (set by the switch) wins, then
//! `Accept-Language`, then Chinese.

use axum::extract::FromRequestParts;
use axum::http::request::Parts;
use shuniu_domain::Lang;

pub const LANG_COOKIE: &str = "lang";
/// The display mode the 长辈版 switch remembers: `elder` (large type, strong contrast,
/// large targets) or `standard`.
pub const DISPLAY_COOKIE: &str = "display";

/// The value of cookie `name` in this request, if any.
fn cookie<'p>(parts: &'p Parts, name: &str) -> Option<&'p str> {
    parts
        .headers
        .get_all(axum::http::header::COOKIE)
        .iter()
        .filter_map(|v| v.to_str().ok())
        .flat_map(|v| v.split(';'))
        .filter_map(|kv| kv.trim().split_once('='))
        .find(|(k, _)| *k == name)
        .map(|(_, v)| v)
}

/// Whether this browser chose the elderly mode (长辈版).
pub fn elder_of(parts: &Parts) -> bool {
    cookie(parts, DISPLAY_COOKIE) == Some("elder")
}

/// The language of this request.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct UiLang(pub Lang);

pub fn lang_of(parts: &Parts) -> Lang {
    let cookie_lang = cookie(parts, LANG_COOKIE).and_then(Lang::parse);
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

/// The resident's community the 找社区 page remembers (`/where`), a jurisdiction code;
/// lists of services sort nearest to it. No sign-in needed.
pub const PLACE_COOKIE: &str = "place";

/// The community code this browser chose, if any (not checked against the tree).
#[derive(Debug, Clone, Default)]
pub struct HomePlace(pub Option<String>);

impl<S: Send + Sync> FromRequestParts<S> for HomePlace {
    type Rejection = std::convert::Infallible;
    async fn from_request_parts(parts: &mut Parts, _: &S) -> Result<Self, Self::Rejection> {
        Ok(HomePlace(
            cookie(parts, PLACE_COOKIE)
                .filter(|c| !c.is_empty() && c.len() <= 12 && c.bytes().all(|b| b.is_ascii_digit()))
                .map(str::to_string),
        ))
    }
}
