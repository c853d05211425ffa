//! How the hubs pages name a field: the kit's one label lookup (`kit::labels`) in the
//! hubs scope for forms, and the site's words for the hub list's query parameters.

use shuniu_domain::{FieldErrors, Lang};

use crate::kit::forms::{Field, SummaryItem};
use crate::kit::labels;
use crate::kit::ui::Ui;

/// The message scope of the hubs forms' labels: `hubs.f.<name>`.
const SCOPE: &str = "hubs";

/// Whose words name a field first: a form's fields are this capability's
/// (`hubs.f.<name>`, else the site's); the hub list's query parameters are the site's
/// (`field.<name>`: `jurisdiction`, `page`, `per_page`), else this capability's.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Scope {
    Form,
    Query,
}

/// The label of the field `name` in `lang`. A name with no label reads as itself, which
/// the tests below fail.
pub fn label(lang: Lang, scope: Scope, name: &str) -> &str {
    match scope {
        Scope::Form => labels::label(lang, SCOPE, name),
        Scope::Query => labels::label_in(lang, &[labels::SITE, SCOPE], name),
    }
}

/// A control of a hubs form.
pub fn field(ui: &Ui, name: &'static str, kind: &'static str, errors: &FieldErrors) -> Field {
    labels::field(ui, SCOPE, name, kind, errors)
}

/// The error summary of a hubs form, in `order`.
pub fn summary(ui: &Ui, errors: &FieldErrors, order: &[&str]) -> Vec<SummaryItem> {
    labels::summary(ui, SCOPE, errors, order)
}

/// Every label of every hubs form, and of the hub list's query errors, is found: none is
/// empty or reads as its name, in either language.
#[cfg(test)]
mod tests {
    use shuniu_domain::{FieldError, FieldErrors, Lang};

    use super::super::detail::{MemberForm, RevokeForm, add_form, revoke_form};
    use super::super::recognition::{RecognitionForm, recognition_fields};
    use super::super::structure::core_fields;
    use super::*;
    use crate::kit::capability::install;

    /// An error on each of `names`.
    fn errors_on(names: &[&str]) -> FieldErrors {
        let mut e = FieldErrors::new();
        for n in names {
            e.add(n, FieldError::new("错", "wrong"));
        }
        e
    }

    fn assert_named(what: &str, name: &str, label: &str) {
        assert!(
            !label.trim().is_empty()
                && label != name
                && !label.contains(".f.")
                && !label.starts_with("field."),
            "{what}: the field {name} has no label ({label:?})"
        );
    }

    fn check(what: &str, fields: &[Field], summary: &[SummaryItem], expected: usize) {
        for f in fields {
            assert_named(what, f.name, f.label);
        }
        assert_eq!(
            summary.len(),
            expected,
            "{what}: one summary entry per error"
        );
        for i in summary {
            assert_named(what, &i.name, &i.label);
        }
    }

    #[test]
    fn every_hubs_form_field_has_a_label() {
        install(crate::capabilities());
        for lang in [Lang::Zh, Lang::En] {
            let ui = Ui::new(lang, "/");

            let names = shuniu_domain::hubs::RECOGNITION_FIELDS;
            let errors = errors_on(names);
            let fields = recognition_fields(&ui, &RecognitionForm::default(), &errors, &[]);
            assert_eq!(fields.len(), names.len());
            check(
                "recognition",
                &fields,
                &summary(&ui, &errors, names),
                names.len(),
            );

            let names = ["organization_id", "hub", "initiating"];
            let errors = errors_on(&names);
            let (fields, items) = add_form(&ui, &MemberForm::default(), &errors);
            check("add member", &fields, &items, names.len());

            let names = ["reason", "revoked_on"];
            let errors = errors_on(&names);
            let (fields, items) = revoke_form(&ui, &RevokeForm::default(), &errors);
            check("revoke", &fields, &items, names.len());

            let names = ["name_zh", "name_en"];
            let errors = errors_on(&names);
            let fields = core_fields(&ui, &None, &None, &errors);
            check("core", &fields, &summary(&ui, &errors, &names), names.len());

            // The membership page's decision errors and the hub list's query errors.
            for name in ["action", "reason"] {
                assert_named("decision", name, label(lang, Scope::Form, name));
            }
            for name in ["kind", "jurisdiction", "page", "per_page", "status"] {
                assert_named("hub list", name, label(lang, Scope::Query, name));
            }
        }
    }
}
