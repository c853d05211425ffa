//! Helpers for the page tests: form bodies, seeding through the store, fetching pages
//! in a language, and reading HTML.
#![allow(dead_code)]

pub mod accounts;

use reqwest::StatusCode;
use shuniu_domain::registry::{Organization, OrganizationDraft};

use crate::common::TestApp;

pub const ZH: &str = "zh-CN,zh;q=0.9";
pub const EN: &str = "en-US,en;q=0.9";

/// A valid organization as a form body (`domains` repeated); `n` varies the USCC and name.
pub fn org_form(n: u32) -> Vec<(&'static str, String)> {
    let body = format!("MJ{:06}", n);
    let uscc = shuniu_domain::codes::Uscc::assemble('5', '2', "320102", &body).unwrap();
    vec![
        ("name", format!("测试服务中心{n}")),
        ("legal_form", "social_service_institution".into()),
        ("uscc", uscc.to_string()),
        ("filing_number", "".into()),
        ("domains", "elderly".into()),
        ("domains", "public_welfare".into()),
        ("jurisdiction", "320102002000".into()),
        ("address", "梅园新村34号".into()),
        ("founded_on", "2015-03-01".into()),
        ("legal_representative", "王芳".into()),
        ("contact_phone", "13812348000".into()),
        ("staff_full_time", "4".into()),
        ("staff_part_time", "2".into()),
        ("volunteers", "10".into()),
        ("party_org", "joint_branch".into()),
        ("party_members", "1".into()),
        ("stage", "growth".into()),
        ("grade", "".into()),
        ("grade_awarded_on", "".into()),
    ]
}

/// `form` with `key` set to `value` (all values of a repeated key replaced by one).
pub fn with(
    mut form: Vec<(&'static str, String)>,
    key: &'static str,
    value: &str,
) -> Vec<(&'static str, String)> {
    form.retain(|(k, _)| *k != key);
    form.push((key, value.to_string()));
    form
}

pub fn without(mut form: Vec<(&'static str, String)>, key: &str) -> Vec<(&'static str, String)> {
    form.retain(|(k, _)| *k != key);
    form
}

/// Registers organization `n` directly through the store (not through the page under test).
pub async fn seed(app: &TestApp, n: u32) -> Organization {
    seed_form(app, &org_form(n)).await
}

pub async fn seed_form(app: &TestApp, form: &[(&'static str, String)]) -> Organization {
    let mut d = OrganizationDraft::default();
    let mut domains = Vec::new();
    for (k, v) in form {
        if *k == "domains" {
            domains.push(v.clone());
            continue;
        }
        let v = Some(v.clone());
        match *k {
            "name" => d.name = v,
            "legal_form" => d.legal_form = v,
            "uscc" => d.uscc = v,
            "filing_number" => d.filing_number = v,
            "jurisdiction" => d.jurisdiction = v,
            "address" => d.address = v,
            "founded_on" => d.founded_on = v,
            "legal_representative" => d.legal_representative = v,
            "contact_phone" => d.contact_phone = v,
            "staff_full_time" => d.staff_full_time = v,
            "staff_part_time" => d.staff_part_time = v,
            "volunteers" => d.volunteers = v,
            "party_org" => d.party_org = v,
            "party_members" => d.party_members = v,
            "stage" => d.stage = v,
            "grade" => d.grade = v,
            "grade_awarded_on" => d.grade_awarded_on = v,
            other => panic!("unknown field {other}"),
        }
    }
    d.domains = Some(domains);
    let today = chrono::Utc::now().date_naive();
    let data = d.validate(today).expect("seed data is valid");
    let org = app
        .store
        .create_organization(&data, "test")
        .await
        .expect("seed stored");
    app.index_organization(org.id).await;
    org
}

/// A response read whole.
pub struct Page {
    pub status: StatusCode,
    pub headers: reqwest::header::HeaderMap,
    /// The body with HTML character references decoded, for plain-text assertions.
    pub text: String,
    /// The body as sent.
    pub raw: String,
}

impl Page {
    pub fn location(&self) -> &str {
        self.headers
            .get(reqwest::header::LOCATION)
            .expect("a Location header")
            .to_str()
            .unwrap()
    }
    pub fn assert_html(&self) {
        let ct = self.headers[reqwest::header::CONTENT_TYPE]
            .to_str()
            .unwrap();
        assert!(ct.starts_with("text/html"), "content type {ct}");
        assert!(
            self.raw.starts_with("<!doctype html>"),
            "{}",
            &self.raw[..self.raw.len().min(200)]
        );
    }
    pub fn assert_lang(&self, code: &str) {
        self.assert_html();
        assert!(
            self.raw.contains(&format!("<html lang=\"{code}\">")),
            "expected <html lang=\"{code}\">"
        );
    }
    pub fn has(&self, s: &str) -> bool {
        self.text.contains(s)
    }
    #[track_caller]
    pub fn assert_has(&self, s: &str) {
        assert!(self.text.contains(s), "page lacks {s:?}:\n{}", self.text);
    }
    #[track_caller]
    pub fn assert_lacks(&self, s: &str) {
        assert!(!self.text.contains(s), "page has {s:?}:\n{}", self.text);
    }
    /// The HTML of form field `name` (its wrapper `div`, up to the next field).
    pub fn field(&self, name: &str) -> &str {
        let start = self
            .text
            .find(&format!("id=\"field-{name}\""))
            .unwrap_or_else(|| panic!("no field {name}"));
        let rest = &self.text[start..];
        let end = rest[1..]
            .find("id=\"field-")
            .map(|i| i + 1)
            .unwrap_or(rest.len());
        &rest[..end]
    }
}

/// Decodes the character references askama writes.
pub fn unescape(s: &str) -> String {
    s.replace("&#60;", "<")
        .replace("&#62;", ">")
        .replace("&#34;", "\"")
        .replace("&#39;", "'")
        .replace("&quot;", "\"")
        .replace("&lt;", "<")
        .replace("&gt;", ">")
        .replace("&#38;", "&")
        .replace("&amp;", "&")
}

pub async fn read(res: reqwest::Response) -> Page {
    let status = res.status();
    let headers = res.headers().clone();
    let raw = res.text().await.unwrap();
    Page {
        status,
        headers,
        text: unescape(&raw),
        raw,
    }
}

/// `GET path` with `Accept-Language: accept` (if any).
pub async fn get(app: &TestApp, path: &str, accept: Option<&str>) -> Page {
    let mut req = app.client.get(app.url(path));
    if let Some(a) = accept {
        req = req.header(reqwest::header::ACCEPT_LANGUAGE, a);
    }
    read(req.send().await.unwrap()).await
}

/// `POST path` as an HTML form would (`application/x-www-form-urlencoded`).
pub async fn post(
    app: &TestApp,
    path: &str,
    form: &[(&'static str, String)],
    accept: Option<&str>,
) -> Page {
    let mut req = app.client.post(app.url(path)).form(form);
    if let Some(a) = accept {
        req = req.header(reqwest::header::ACCEPT_LANGUAGE, a);
    }
    read(req.send().await.unwrap()).await
}

/// Number of organizations stored.
pub async fn count(app: &TestApp) -> i64 {
    app.store
        .list_organizations(&Default::default(), 1, 1)
        .await
        .unwrap()
        .total
}
