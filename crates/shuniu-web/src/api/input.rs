//! Turning a JSON body into the domain's text drafts without ever failing on types.
//!
//! A body is read as a [`serde_json::Value`], never as a typed struct, so that a wrong
//! type (`"staff_full_time": []`), an unknown field or even a body that is not JSON is
//! reported as a field error (`422`) next to every other bad field, instead of a
//! framework `400` that names only the first problem.

use serde_json::{Map, Value};
use shuniu_domain::registry::{ORGANIZATION_FIELDS, OrganizationDraft};
use shuniu_domain::{FieldError, FieldErrors};

/// Fields of the record that the API shows but that a client cannot set.
pub const READ_ONLY_FIELDS: &[&str] = &[
    "id",
    "grade_expires_on",
    "is_demo",
    "status",
    "status_reason",
    "status_changed_on",
    "created_at",
    "updated_at",
];

/// The body as a JSON object, or the reason it is not one (reported as field `body`).
pub fn object(body: &[u8]) -> Result<Map<String, Value>, FieldErrors> {
    if body.iter().all(u8::is_ascii_whitespace) {
        return Err(FieldErrors::single(
            "body",
            FieldError::new(
                "请求体为空，应为JSON对象",
                "is empty: expected a JSON object",
            ),
        ));
    }
    match serde_json::from_slice::<Value>(body) {
        Ok(Value::Object(m)) => Ok(m),
        Ok(_) => Err(FieldErrors::single(
            "body",
            FieldError::new("应为JSON对象", "must be a JSON object"),
        )),
        Err(e) => Err(FieldErrors::single(
            "body",
            FieldError::new(
                format!("不是有效的JSON（第{}行第{}列）", e.line(), e.column()),
                format!(
                    "is not valid JSON (line {}, column {}): {e}",
                    e.line(),
                    e.column()
                ),
            ),
        )),
    }
}

/// How `null` is read: on create it means "not given"; in a `PATCH` it clears the
/// field (JSON merge patch, RFC 7396), which for a required field is then an error.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Mode {
    Create,
    Patch,
}

fn wrong_type_text() -> FieldError {
    FieldError::new("应为字符串", "must be a string")
}

fn wrong_type_count() -> FieldError {
    FieldError::new("应为非负整数", "must be a whole number, 0 or more")
}

/// A string or number as text; anything else is a field error.
pub fn text(errs: &mut FieldErrors, field: &str, v: &Value, mode: Mode) -> Option<String> {
    match v {
        Value::Null => (mode == Mode::Patch).then(String::new),
        Value::String(s) => Some(s.clone()),
        Value::Number(n) => Some(n.to_string()),
        _ => {
            errs.add(field, wrong_type_text());
            None
        }
    }
}

/// A count: an integer (or an integral float like `4.0`) or a string the domain parses.
fn count(errs: &mut FieldErrors, field: &str, v: &Value, mode: Mode) -> Option<String> {
    match v {
        Value::Number(n) => Some(match (n.as_i64(), n.as_u64(), n.as_f64()) {
            (Some(i), _, _) => i.to_string(),
            (_, Some(u), _) => u.to_string(),
            (_, _, Some(f)) if f.fract() == 0.0 && f.abs() < 1e15 => (f as i64).to_string(),
            _ => n.to_string(),
        }),
        Value::Null | Value::String(_) => text(errs, field, v, mode),
        _ => {
            errs.add(field, wrong_type_count());
            None
        }
    }
}

fn domains(errs: &mut FieldErrors, v: &Value, mode: Mode) -> Option<Vec<String>> {
    let bad = || {
        FieldError::new(
            "应为服务领域代码的数组，如 [\"elderly\"]",
            "must be an array of domain codes, e.g. [\"elderly\"]",
        )
    };
    match v {
        Value::Null => (mode == Mode::Patch).then(Vec::new),
        Value::Array(items) => {
            let mut out = Vec::with_capacity(items.len());
            for item in items {
                match item {
                    Value::String(s) => out.push(s.clone()),
                    _ => {
                        errs.add("domains", bad());
                        return None;
                    }
                }
            }
            Some(out)
        }
        _ => {
            errs.add("domains", bad());
            None
        }
    }
}

/// Reports every key that is not one of `allowed`.
pub fn unknown_fields(errs: &mut FieldErrors, body: &Map<String, Value>, allowed: &[&str]) {
    for key in body.keys() {
        if allowed.contains(&key.as_str()) {
            continue;
        }
        let e = if READ_ONLY_FIELDS.contains(&key.as_str()) {
            FieldError::new("只读字段，不能设置", "is read-only")
        } else {
            FieldError::new(
                format!("未知字段，可用字段：{}", allowed.join("、")),
                format!("is not a known field; known fields: {}", allowed.join(", ")),
            )
        };
        errs.add(key, e);
    }
}

/// The draft a JSON object describes, and the problems found while reading it.
/// Fields with a problem are left out of the draft (the domain then adds nothing
/// for them: the first problem found with a field is the one reported).
pub fn organization_draft(
    body: &Map<String, Value>,
    mode: Mode,
) -> (OrganizationDraft, FieldErrors) {
    let mut e = FieldErrors::new();
    unknown_fields(&mut e, body, ORGANIZATION_FIELDS);
    let mut t = |field: &str| body.get(field).and_then(|v| text(&mut e, field, v, mode));
    let mut d = OrganizationDraft {
        name: t("name"),
        legal_form: t("legal_form"),
        uscc: t("uscc"),
        filing_number: t("filing_number"),
        domains: None,
        jurisdiction: t("jurisdiction"),
        address: t("address"),
        founded_on: t("founded_on"),
        legal_representative: t("legal_representative"),
        contact_phone: t("contact_phone"),
        staff_full_time: None,
        staff_part_time: None,
        volunteers: None,
        party_org: t("party_org"),
        party_members: None,
        stage: t("stage"),
        grade: t("grade"),
        grade_awarded_on: t("grade_awarded_on"),
    };
    let mut c = |field: &str| body.get(field).and_then(|v| count(&mut e, field, v, mode));
    d.staff_full_time = c("staff_full_time");
    d.staff_part_time = c("staff_part_time");
    d.volunteers = c("volunteers");
    d.party_members = c("party_members");
    d.domains = body.get("domains").and_then(|v| domains(&mut e, v, mode));
    (d, e)
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn obj(v: Value) -> Map<String, Value> {
        v.as_object().unwrap().clone()
    }

    #[test]
    fn numbers_and_strings_become_text() {
        let (d, e) = organization_draft(
            &obj(
                json!({"name": 12, "staff_full_time": 4.0, "volunteers": "7", "party_members": 2}),
            ),
            Mode::Create,
        );
        assert!(e.is_empty(), "{e}");
        assert_eq!(d.name.as_deref(), Some("12"));
        assert_eq!(d.staff_full_time.as_deref(), Some("4"));
        assert_eq!(d.volunteers.as_deref(), Some("7"));
        assert_eq!(d.party_members.as_deref(), Some("2"));
    }

    #[test]
    fn wrong_types_and_unknown_fields_are_named() {
        let (_, e) = organization_draft(
            &obj(json!({
                "name": true, "staff_full_time": [], "staff_part_time": {"n": 1},
                "domains": "elderly", "id": "x", "colour": "red", "stage": ["growth"]
            })),
            Mode::Create,
        );
        for f in [
            "name",
            "staff_full_time",
            "staff_part_time",
            "domains",
            "id",
            "colour",
            "stage",
        ] {
            assert!(e.get(f).is_some(), "{f} not reported: {e}");
        }
        assert_eq!(e.get("id").unwrap().en, "is read-only");
        let (_, e) = organization_draft(&obj(json!({"domains": ["elderly", 3]})), Mode::Create);
        assert!(e.get("domains").is_some());
    }

    #[test]
    fn null_means_absent_on_create_and_clear_on_patch() {
        let body = obj(json!({"contact_phone": null, "domains": null}));
        let (d, e) = organization_draft(&body, Mode::Create);
        assert!(e.is_empty());
        assert_eq!(d.contact_phone, None);
        assert_eq!(d.domains, None);
        let (d, _) = organization_draft(&body, Mode::Patch);
        assert_eq!(d.contact_phone.as_deref(), Some(""));
        assert_eq!(d.domains, Some(vec![]));
    }

    #[test]
    fn bodies_that_are_not_objects_are_named() {
        for b in [&b""[..], b"  ", b"{", b"[1]", b"name=x", b"\"x\""] {
            let e = object(b).unwrap_err();
            assert!(e.get("body").is_some(), "{:?}", String::from_utf8_lossy(b));
        }
        assert!(object(br#"{"a": 1}"#).is_ok());
    }
}
