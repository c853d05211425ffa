//! One way to look up a form field's label, for fields, error summaries and error
//! lines alike. A field of the site-wide vocabulary is `field.<name>`; a capability
//! whose names would clash (or read differently on one form) gives its form a scope,
//! and its labels are `<scope>.f.<name>`. A missing label reads as the field's name and
//! fails the tests ([`assert_labelled`] in each capability's tests).

use shuniu_domain::{FieldErrors, Lang};

use crate::kit::capability::message_index;
use crate::kit::forms::{Field, SummaryItem};
use crate::kit::ui::Ui;

/// The labels of the site-wide vocabulary (`field.<name>`).
pub const SITE: &str = "";

/// The message key of `name`'s label in `scope`.
pub fn key(scope: &str, name: &str) -> String {
    if scope.is_empty() {
        format!("field.{name}")
    } else {
        format!("{scope}.f.{name}")
    }
}

/// The label of field (or query parameter) `name` in `scope`: its `<scope>.f.<name>`
/// message, else the site's `field.<name>` (`page`, `jurisdiction` …); a missing one
/// reads as the name itself.
pub fn label<'a>(lang: Lang, scope: &str, name: &'a str) -> &'a str {
    label_in(lang, &[scope, SITE], name)
}

/// The label of `name` in the first of `scopes` that has one (the one lookup behind
/// [`label`], for a form whose words come from the site first).
pub fn label_in<'a>(lang: Lang, scopes: &[&str], name: &'a str) -> &'a str {
    let index = message_index();
    match scopes.iter().find_map(|s| index.get(key(s, name).as_str())) {
        Some((zh, en)) => lang.pick(zh, en),
        None => {
            tracing::warn!(?scopes, name, "missing field label");
            name
        }
    }
}

/// A form control of `scope`, labelled, with its error from `errors`.
pub fn field(
    ui: &Ui,
    scope: &str,
    name: &'static str,
    kind: &'static str,
    errors: &FieldErrors,
) -> Field {
    let mut f = Field::new(ui, name, kind, errors);
    f.label = label(ui.lang, scope, name);
    f
}

/// The error summary of a form of `scope`, its entries in `order`.
pub fn summary(ui: &Ui, scope: &str, errors: &FieldErrors, order: &[&str]) -> Vec<SummaryItem> {
    let mut items = crate::kit::forms::summary(ui, errors, order);
    for i in &mut items {
        i.label = label(ui.lang, scope, &i.name).to_string();
    }
    items
}

/// The errors as lines `label: message` (a list's bad filters), in the errors' order.
pub fn error_lines(ui: &Ui, scope: &str, errors: &FieldErrors) -> Vec<String> {
    summary(ui, scope, errors, &[])
        .into_iter()
        .map(|s| format!("{}{}{}", s.label, ui.t("punct.colon"), s.message))
        .collect()
}

/// For tests: every name of `names` has a label in `scope`, in both languages, as a
/// field, in the error summary and in error lines (not empty, not the name or the key).
#[cfg(test)]
pub fn assert_labelled(scope: &str, names: &[&'static str]) {
    crate::kit::capability::install(crate::capabilities());
    let mut errors = FieldErrors::new();
    for n in names {
        errors.add(n, shuniu_domain::FieldError::new("错", "wrong"));
    }
    for lang in [Lang::Zh, Lang::En] {
        let ui = Ui::new(lang, "/");
        let bad = |l: &str, n: &str| l.trim().is_empty() || l == n || l == key(scope, n);
        for n in names {
            let f = field(&ui, scope, n, "input", &errors);
            assert!(
                !bad(f.label, n),
                "no label for {} ({lang:?})",
                key(scope, n)
            );
        }
        let items = summary(&ui, scope, &errors, names);
        assert_eq!(items.len(), names.len());
        for i in &items {
            assert!(!bad(&i.label, &i.name), "summary: {}", key(scope, &i.name));
        }
        for line in error_lines(&ui, scope, &errors) {
            assert!(
                names
                    .iter()
                    .all(|n| !line.starts_with(&format!("{n}{}", ui.t("punct.colon")))),
                "{line}"
            );
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn scoped_and_site_labels() {
        crate::kit::capability::install(crate::capabilities());
        assert_eq!(label(Lang::En, SITE, "name"), "Name");
        assert_eq!(key("cov", "gap"), "cov.f.gap");
        assert_eq!(label(Lang::En, "cov", "no_such_field"), "no_such_field");
    }
}
