//! `/glossary`: the hub model's terms in both languages, one line each, reviewed once so
//! that every page translates them the same way (`terms.rs` is the one list). It is the
//! site's own page, not a capability's: the footer of every page links to it.

use askama::Template;
use axum::http::StatusCode;
use axum::response::Response;

use crate::kit::ui::{Ui, render};
use crate::kit::view::Crumb;

mod terms;

pub use terms::{TERMS, Term};

/// A term as the page shows it: the page's language first, the other one beside it.
pub struct Row {
    pub term: &'static str,
    pub other: &'static str,
    pub meaning: &'static str,
}

#[derive(Template)]
#[template(path = "kit/glossary.html")]
struct GlossaryPage {
    ui: Ui,
    crumbs: Vec<Crumb>,
    rows: Vec<Row>,
    /// The `lang` of the other language's column, so that it is read out in its own.
    other_lang: &'static str,
}

pub async fn page(ui: Ui) -> Response {
    let ui = ui.with_nav("glossary");
    let lang = ui.lang;
    let rows = TERMS
        .iter()
        .map(|t| Row {
            term: lang.pick(t.zh, t.en),
            other: lang.pick(t.en, t.zh),
            meaning: lang.pick(t.zh_meaning, t.en_meaning),
        })
        .collect();
    let page = GlossaryPage {
        crumbs: vec![Crumb::home(&ui)],
        other_lang: lang.pick("en", "zh-CN"),
        rows,
        ui,
    };
    render(StatusCode::OK, &page)
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Each term is given once, in both languages, each in its own (the same check as the
    /// interface words), and the terms the model is built on are all there.
    #[test]
    fn every_term_is_given_once_in_both_languages() {
        let mut seen = std::collections::HashSet::new();
        for t in TERMS {
            assert!(seen.insert(t.zh), "{} twice", t.zh);
            for (zh, en) in [(t.zh, t.en), (t.zh_meaning, t.en_meaning)] {
                let found = crate::kit::words_tests::problems(t.zh, zh, en);
                assert!(found.is_empty(), "{found:?}");
            }
        }
        for must in [
            "枢纽型社会组织",
            "一核两轴",
            "1+1+X",
            "依托",
            "认定",
            "孵化",
            "年报 / 年检",
            "评估等级",
            "活动异常名录",
            "严重违法失信名单",
            "业务主管单位",
            "登记管理机关",
            "社区",
            "街道",
        ] {
            assert!(seen.contains(must), "{must} is missing");
        }
    }
}
