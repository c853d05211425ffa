//! Turning a JSON body into the domain's text drafts, strictly and without ever
//! failing half-way.
//!
//! A body is read as a [`serde_json::Value`], never as a typed struct, so that a wrong
//! type (`"staff_full_time": []`), an unknown field or even a body that is not JSON is
//! reported as a field error (`422`) next to every other bad field, instead of a
//! framework `400` that names only the first problem. Reading is strict: a field
//! documented as a string must be a JSON string, a count a JSON integer, a flag a JSON
//! boolean — nothing is coerced (`{"reason": 0}` is a `422`, not the text `"0"`); a key
//! given twice is refused (which of the two a lenient parser keeps is a guess); and text
//! with control characters (other than line breaks and tabs) is refused before it can
//! reach a database that would choke on it (PostgreSQL refuses `\0` in text).

use serde::de::{self, Deserializer, MapAccess, SeqAccess, Visitor};
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

/// Marks the serde error raised for a key given twice, so that it can be reported on
/// that key.
const DUPLICATE_MARK: &str = "\u{1}duplicate:";

/// A JSON value whose objects, at every depth, have each key once.
struct NoDuplicates(Value);

impl<'de> serde::Deserialize<'de> for NoDuplicates {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        d.deserialize_any(NoDuplicatesVisitor).map(NoDuplicates)
    }
}

struct NoDuplicatesVisitor;

impl<'de> Visitor<'de> for NoDuplicatesVisitor {
    type Value = Value;
    fn expecting(&self, f: &mut std::fmt::Formatter) -> std::fmt::Result {
        f.write_str("a JSON value")
    }
    fn visit_bool<E>(self, v: bool) -> Result<Value, E> {
        Ok(Value::Bool(v))
    }
    fn visit_i64<E>(self, v: i64) -> Result<Value, E> {
        Ok(Value::from(v))
    }
    fn visit_u64<E>(self, v: u64) -> Result<Value, E> {
        Ok(Value::from(v))
    }
    fn visit_f64<E>(self, v: f64) -> Result<Value, E> {
        Ok(serde_json::Number::from_f64(v).map_or(Value::Null, Value::Number))
    }
    fn visit_str<E>(self, v: &str) -> Result<Value, E> {
        Ok(Value::String(v.to_string()))
    }
    fn visit_string<E>(self, v: String) -> Result<Value, E> {
        Ok(Value::String(v))
    }
    fn visit_unit<E>(self) -> Result<Value, E> {
        Ok(Value::Null)
    }
    fn visit_none<E>(self) -> Result<Value, E> {
        Ok(Value::Null)
    }
    fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<Value, A::Error> {
        let mut items = Vec::new();
        while let Some(NoDuplicates(v)) = seq.next_element()? {
            items.push(v);
        }
        Ok(Value::Array(items))
    }
    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<Value, A::Error> {
        let mut out = Map::new();
        while let Some(key) = map.next_key::<String>()? {
            if out.contains_key(&key) {
                return Err(de::Error::custom(format!("{DUPLICATE_MARK}{key}")));
            }
            let NoDuplicates(v) = map.next_value()?;
            out.insert(key, v);
        }
        Ok(Value::Object(out))
    }
}

/// The body as a JSON object, or the reason it is not one (reported as field `body`,
/// or on the key that was given twice).
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
    match serde_json::from_slice::<NoDuplicates>(body) {
        Ok(NoDuplicates(Value::Object(m))) => Ok(m),
        Ok(_) => Err(FieldErrors::single(
            "body",
            FieldError::new("应为JSON对象", "must be a JSON object"),
        )),
        Err(e) => {
            let text = e.to_string();
            if let Some(rest) = text.split_once(DUPLICATE_MARK).map(|(_, r)| r) {
                // serde_json appends " at line L column C" to a custom error.
                let key = rest.rsplit_once(" at line ").map_or(rest, |(k, _)| k);
                return Err(FieldErrors::single(
                    key,
                    FieldError::new(
                        "重复出现：每个字段只能给出一次",
                        "is given more than once: give each field once",
                    ),
                ));
            }
            Err(FieldErrors::single(
                "body",
                FieldError::new(
                    format!("不是有效的JSON（第{}行第{}列）", e.line(), e.column()),
                    format!(
                        "is not valid JSON (line {}, column {}): {e}",
                        e.line(),
                        e.column()
                    ),
                ),
            ))
        }
    }
}

/// How `null` is read: on create it means "not given"; in a `PATCH` it clears the
/// field (JSON merge patch, RFC 7396), which for a required field is then an error.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Mode {
    Create,
    Patch,
}

/// What JSON type a field must have.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Kind {
    /// A JSON string.
    Text,
    /// A JSON integer (the domain checks its range).
    Count,
    /// `true` or `false`.
    Flag,
}

/// Text people may type: line breaks and tabs, but no other control character.
pub fn has_control_chars(s: &str) -> bool {
    s.chars()
        .any(|c| c.is_control() && !matches!(c, '\n' | '\r' | '\t'))
}

/// The error for text with control characters.
pub fn control_chars_error() -> FieldError {
    FieldError::new("含有控制字符", "contains control characters")
}

/// A field's value as the text the domain parses, if it has the JSON type of `kind`;
/// otherwise (or for text with control characters) a field error.
pub fn value(
    errs: &mut FieldErrors,
    field: &str,
    v: &Value,
    kind: Kind,
    mode: Mode,
) -> Option<String> {
    let wrong = match (kind, v) {
        (_, Value::Null) => return (mode == Mode::Patch).then(String::new),
        (Kind::Text, Value::String(s)) if has_control_chars(s) => control_chars_error(),
        (Kind::Text, Value::String(s)) => return Some(s.clone()),
        (Kind::Count, Value::Number(n)) => {
            return Some(match (n.as_i64(), n.as_u64(), n.as_f64()) {
                (Some(i), _, _) => i.to_string(),
                (_, Some(u), _) => u.to_string(),
                // `4.0` is the integer 4 in JSON's number model; `4.5` the domain refuses.
                (_, _, Some(f)) if f.fract() == 0.0 && f.abs() < 1e15 => (f as i64).to_string(),
                _ => n.to_string(),
            });
        }
        (Kind::Flag, Value::Bool(b)) => return Some(b.to_string()),
        (Kind::Text, _) => FieldError::new("应为字符串", "must be a string"),
        (Kind::Count, _) => FieldError::new("应为整数", "must be a whole number"),
        (Kind::Flag, _) => FieldError::new("应为 true 或 false", "must be true or false"),
    };
    errs.add(field, wrong);
    None
}

/// A string field (see [`value`]).
pub fn text(errs: &mut FieldErrors, field: &str, v: &Value, mode: Mode) -> Option<String> {
    value(errs, field, v, Kind::Text, mode)
}

/// A count field (see [`value`]).
pub fn count(errs: &mut FieldErrors, field: &str, v: &Value, mode: Mode) -> Option<String> {
    value(errs, field, v, Kind::Count, mode)
}

/// An array of strings (codes); anything else, a single string included, is named.
pub fn text_list(
    errs: &mut FieldErrors,
    field: &str,
    v: &Value,
    mode: Mode,
) -> Option<Vec<String>> {
    let bad = |errs: &mut FieldErrors| {
        errs.add(
            field,
            FieldError::new("应为字符串数组", "must be an array of strings"),
        )
    };
    match v {
        Value::Null => (mode == Mode::Patch).then(Vec::new),
        Value::Array(items) => {
            let mut out = Vec::with_capacity(items.len());
            for item in items {
                match item {
                    Value::String(s) if has_control_chars(s) => {
                        errs.add(field, control_chars_error());
                        return None;
                    }
                    Value::String(s) => out.push(s.clone()),
                    _ => {
                        bad(errs);
                        return None;
                    }
                }
            }
            Some(out)
        }
        _ => {
            bad(errs);
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

/// A body that must be an object of only `allowed` keys: the object (empty when the
/// body is not one) and the problems found so far, for the handler to add its own to.
pub fn fields_of(body: &[u8], allowed: &[&str]) -> (Map<String, Value>, FieldErrors) {
    match object(body) {
        Ok(b) => {
            let mut e = FieldErrors::new();
            unknown_fields(&mut e, &b, allowed);
            (b, e)
        }
        Err(e) => (Map::new(), e),
    }
}

/// Text field `k` of `body`, if given (a value of another type is named in `errs`).
pub fn text_of(errs: &mut FieldErrors, body: &Map<String, Value>, k: &str) -> Option<String> {
    body.get(k).and_then(|v| text(errs, k, v, Mode::Create))
}

/// Whole-number field `k` of `body`, as text for the domain to parse, if given.
pub fn count_of(errs: &mut FieldErrors, body: &Map<String, Value>, k: &str) -> Option<String> {
    body.get(k).and_then(|v| count(errs, k, v, Mode::Create))
}

/// A body of text fields only (a decision's `{action, reason}`, a review's
/// `{outcome, reasons}`): each named field's text and the problems found.
pub fn texts<const N: usize>(body: &[u8], names: [&str; N]) -> ([Option<String>; N], FieldErrors) {
    let (b, mut e) = fields_of(body, &names);
    let values = names.map(|k| text_of(&mut e, &b, k));
    (values, e)
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
    d.domains = body
        .get("domains")
        .and_then(|v| text_list(&mut e, "domains", v, mode));
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
    fn strings_and_integers_are_read_as_they_are() {
        let (d, e) = organization_draft(
            &obj(
                json!({"name": "一家圆", "staff_full_time": 4.0, "volunteers": 7, "party_members": 2}),
            ),
            Mode::Create,
        );
        assert!(e.is_empty(), "{e}");
        assert_eq!(d.name.as_deref(), Some("一家圆"));
        assert_eq!(d.staff_full_time.as_deref(), Some("4"));
        assert_eq!(d.volunteers.as_deref(), Some("7"));
        assert_eq!(d.party_members.as_deref(), Some("2"));
    }

    #[test]
    fn nothing_is_coerced_from_another_json_type() {
        let (_, e) = organization_draft(
            &obj(json!({"name": 12, "address": 12345, "volunteers": "7", "staff_part_time": true})),
            Mode::Create,
        );
        assert_eq!(e.get("name").unwrap().en, "must be a string");
        assert_eq!(e.get("address").unwrap().en, "must be a string");
        assert_eq!(e.get("volunteers").unwrap().en, "must be a whole number");
        assert_eq!(
            e.get("staff_part_time").unwrap().en,
            "must be a whole number"
        );
        let mut errs = FieldErrors::new();
        assert_eq!(
            value(&mut errs, "reason", &json!(0), Kind::Text, Mode::Create),
            None
        );
        assert_eq!(
            value(&mut errs, "free", &json!("true"), Kind::Flag, Mode::Create),
            None
        );
        assert_eq!(
            value(&mut errs, "ok", &json!(false), Kind::Flag, Mode::Create).as_deref(),
            Some("false")
        );
        assert_eq!(
            text_list(&mut errs, "fields", &json!("elderly"), Mode::Create),
            None
        );
        for f in ["reason", "free", "fields"] {
            assert!(errs.get(f).is_some(), "{f} not reported: {errs}");
        }
    }

    #[test]
    fn control_characters_are_refused_but_line_breaks_kept() {
        let mut errs = FieldErrors::new();
        assert_eq!(
            text(&mut errs, "name", &json!("a\u{0}b"), Mode::Create),
            None
        );
        assert_eq!(
            text(&mut errs, "note", &json!("x\u{7}"), Mode::Create),
            None
        );
        assert_eq!(
            text_list(&mut errs, "domains", &json!(["elderly\u{0}"]), Mode::Create),
            None
        );
        assert_eq!(errs.get("name").unwrap().en, "contains control characters");
        assert!(errs.get("note").is_some() && errs.get("domains").is_some());
        let mut ok = FieldErrors::new();
        assert_eq!(
            text(
                &mut ok,
                "reason",
                &json!("第一行\r\n第二行\t"),
                Mode::Create
            )
            .as_deref(),
            Some("第一行\r\n第二行\t")
        );
        assert!(ok.is_empty());
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

    #[test]
    fn a_key_given_twice_is_named() {
        let e = object(br#"{"name": "a", "reason": "x", "name": "b"}"#).unwrap_err();
        assert_eq!(
            e.get("name").unwrap().en,
            "is given more than once: give each field once"
        );
        // At any depth.
        let e = object(br#"{"x": [{"k": 1, "k": 2}]}"#).unwrap_err();
        assert!(e.get("k").is_some(), "{e}");
        let m = object(br#"{"a": {"b": [1, 2.5, null, true, "s"]}}"#).unwrap();
        assert_eq!(m["a"]["b"], json!([1, 2.5, null, true, "s"]));
    }
}
