//! Form widgets every capability's forms use: a form body with its CSRF token, one
//! control with its label, value and error ([`Field`]), and the error summary.

use axum::body::Body;
use axum::extract::{FromRequest, Request};
use axum_extra::extract::Form;
use serde::de::DeserializeOwned;
use shuniu_domain::FieldErrors;

use crate::auth::CSRF_FIELD;
use crate::kit::messages::field_label;
use crate::kit::ui::Ui;
use crate::kit::view::Opt;
use crate::today;

/// A form body and the `_csrf` token it carried (every state-changing form has one).
pub struct CsrfForm<T>(pub T, pub Option<String>);

/// The raw value of `_csrf` in a urlencoded body (tokens are hex: nothing to decode).
fn csrf_of(body: &[u8]) -> Option<String> {
    std::str::from_utf8(body)
        .ok()?
        .split('&')
        .filter_map(|kv| kv.split_once('='))
        .find(|(k, _)| *k == CSRF_FIELD)
        .map(|(_, v)| v.to_string())
}

impl<S: Send + Sync, T: DeserializeOwned> FromRequest<S> for CsrfForm<T> {
    type Rejection = ();
    async fn from_request(req: Request, state: &S) -> Result<Self, Self::Rejection> {
        let (parts, body) = req.into_parts();
        let bytes = axum::body::to_bytes(body, 1 << 20).await.map_err(|_| ())?;
        let token = csrf_of(&bytes);
        let req = Request::from_parts(parts, Body::from(bytes));
        let Form(t) = Form::<T>::from_request(req, state).await.map_err(|_| ())?;
        Ok(CsrfForm(t, token))
    }
}

/// One form control with its label, value, choices and error.
pub struct Field {
    pub name: &'static str,
    pub label: &'static str,
    /// `input`, `select`, `checks`, `radios` or `textarea`.
    pub kind: &'static str,
    /// For `input`: `text`, `date` or `tel`.
    pub input_type: &'static str,
    pub inputmode: &'static str,
    pub autocomplete: &'static str,
    pub value: String,
    pub options: Vec<Opt>,
    pub error: Option<String>,
    pub hint: Option<&'static str>,
    pub required: bool,
    pub wide: bool,
    pub max: String,
}

impl Field {
    pub fn new(ui: &Ui, name: &'static str, kind: &'static str, errors: &FieldErrors) -> Self {
        Field {
            name,
            label: field_label(ui.lang, name),
            kind,
            input_type: "text",
            inputmode: "",
            autocomplete: "off",
            value: String::new(),
            options: vec![],
            error: errors.get(name).map(|e| e.message(ui.lang).to_string()),
            hint: None,
            required: false,
            wide: false,
            max: String::new(),
        }
    }
    pub fn value(mut self, v: &Option<String>) -> Self {
        self.value = v.clone().unwrap_or_default();
        self
    }
    pub fn required(mut self) -> Self {
        self.required = true;
        self
    }
    pub fn wide(mut self) -> Self {
        self.wide = true;
        self
    }
    pub fn hint(mut self, h: &'static str) -> Self {
        self.hint = Some(h);
        self
    }
    pub fn options(mut self, o: Vec<Opt>) -> Self {
        self.options = o;
        self
    }
    pub fn numeric(mut self) -> Self {
        self.inputmode = "numeric";
        self
    }
    pub fn tel(mut self) -> Self {
        self.input_type = "tel";
        self.autocomplete = "tel";
        self
    }
    /// A date picker, unless what was typed is not a date (then it is kept as text).
    pub fn date(mut self) -> Self {
        let v = self.value.trim();
        if v.is_empty() || chrono::NaiveDate::parse_from_str(v, "%Y-%m-%d").is_ok() {
            self.input_type = "date";
        }
        self.max = today().to_string();
        self
    }
    /// `aria-describedby`: the hint and the error, when present.
    pub fn described_by(&self) -> String {
        let mut ids = Vec::new();
        if self.hint.is_some() {
            ids.push(format!("hint-{}", self.name));
        }
        if self.error.is_some() {
            ids.push(format!("err-{}", self.name));
        }
        ids.join(" ")
    }
}

pub struct Group {
    pub title: &'static str,
    pub fields: Vec<Field>,
}

/// An entry of the error summary at the top of a form.
pub struct SummaryItem {
    pub name: String,
    pub label: String,
    pub message: String,
}

pub fn summary(ui: &Ui, errors: &FieldErrors, order: &[&str]) -> Vec<SummaryItem> {
    let mut keys: Vec<&String> = errors.0.keys().collect();
    keys.sort_by_key(|k| order.iter().position(|f| f == k).unwrap_or(usize::MAX));
    keys.into_iter()
        .map(|k| SummaryItem {
            name: k.clone(),
            label: field_label(ui.lang, k).to_string(),
            message: errors.0[k].message(ui.lang).to_string(),
        })
        .collect()
}
