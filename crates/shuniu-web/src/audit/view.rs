//! An audit record as the page shows it: the event, role and object in the page's
//! language (words from `shuniu_domain::audit::kinds`), the object linked to its page,
//! and the details as labelled fields, never raw JSON. A code this version does not
//! know (older records) is shown as it is stored; nothing in a record fails the page.

use std::collections::HashMap;

use serde_json::Value;
use shuniu_domain::Lang;
use shuniu_domain::audit::kinds::{self, EventGroup, KINDS};
use shuniu_domain::audit::{AuditRecord, Outcome};
use uuid::Uuid;

use crate::kit::messages::field_label;
use crate::kit::ui::Ui;
use crate::kit::view::Opt;
use crate::local_time;

/// What a record names, in words, with a link when it has a page.
pub struct ObjectView {
    /// The kind in words (`社会组织`), or the stored text when unknown.
    pub kind: String,
    /// The object's name, when the page could look it up (organizations).
    pub name: Option<String>,
    /// The object's id or name, as stored.
    pub id: String,
    pub href: Option<String>,
}

/// What the page looked up for its rows: the actors' display names and the names of
/// the organizations the records name.
#[derive(Default)]
pub struct Names {
    pub users: HashMap<String, String>,
    pub organizations: HashMap<Uuid, String>,
}

/// Details keys whose values are organization ids (shown by name when known).
const ORGANIZATION_KEYS: [&str; 2] = ["organization", "organization_id"];

/// The organizations `records` name — their object (`organization:<id>`), or an
/// organization key of their details — to look their names up.
pub fn organization_ids(records: &[AuditRecord]) -> Vec<Uuid> {
    let mut ids = Vec::new();
    for r in records {
        if let Some(id) = r.event.object.strip_prefix("organization:") {
            ids.extend(Uuid::parse_str(id).ok());
        }
        if let Ok(Value::Object(m)) = serde_json::from_str::<Value>(&r.event.details) {
            for key in ORGANIZATION_KEYS {
                let v = m.get(key);
                let plain = v.and_then(Value::as_str);
                let changed = v.and_then(|v| v.get("to")).and_then(Value::as_str);
                ids.extend(plain.or(changed).and_then(|s| Uuid::parse_str(s).ok()));
            }
        }
    }
    ids
}

/// One labelled value of a record's details.
pub struct DetailField {
    pub label: String,
    pub value: String,
}

pub struct AuditRow {
    pub seq: i64,
    pub at: String,
    /// The account's display name, else the stored actor.
    pub actor_name: String,
    /// The stored actor (user name), shown under the display name when they differ.
    pub actor: String,
    pub role: String,
    /// The event in words, or its code when this version does not know it.
    pub event: String,
    pub known_event: bool,
    pub object: ObjectView,
    pub ok: bool,
    pub source: String,
    pub fields: Vec<DetailField>,
}

/// One group of the event filter (`<optgroup>`).
pub struct EventGroupOpts {
    pub label: &'static str,
    pub options: Vec<Opt>,
}

/// The event filter: the named events by capability, and — when the address asks for
/// something else (a prefix such as `login`, or an old code) — that value, kept so the
/// filter shows what the list is filtered by.
pub fn event_filter(lang: Lang, selected: &str) -> (Vec<EventGroupOpts>, Option<Opt>) {
    let groups = EventGroup::ALL
        .iter()
        .map(|g| EventGroupOpts {
            label: g.label(lang),
            options: KINDS
                .iter()
                .filter(|k| k.group == *g)
                .map(|k| Opt::new(k.code, k.label(lang), k.code == selected))
                .collect(),
        })
        .collect();
    let other = (!selected.is_empty() && kinds::kind(selected).is_none())
        .then(|| Opt::new(selected, selected, true));
    (groups, other)
}

/// The page of each object kind that has one, by its id.
fn href(kind: &str, id: &str, ui: &Ui) -> Option<String> {
    let uuid = || Uuid::parse_str(id).ok();
    let page = |prefix: &str| uuid().map(|u| format!("/{prefix}/{u}"));
    match kind {
        "organization" => page("organizations"),
        "hub" => page("hubs"),
        "membership" => page("memberships"),
        "venue" => page("venues"),
        "space" => page("spaces"),
        "annual_report" => page("annual-reports"),
        "assessment_application" => page("assessment-applications"),
        "assessment_round" => page("assessment-rounds"),
        "structure" | "hub_core" if !id.is_empty() && id.bytes().all(|b| b.is_ascii_digit()) => {
            Some(format!("/structure/{id}"))
        }
        "annual_reports" => Some("/annual-reports".into()),
        "assessment_rounds" => Some("/assessment-rounds".into()),
        "change_applications" | "change_application" => Some("/change-applications".into()),
        "credit_listing" => Some("/credit-lists".into()),
        "instructor" => Some("/instructors".into()),
        // The accounts list is the platform admin's page only.
        "user" | "token" if ui.me.as_ref().is_some_and(|m| m.is_admin) => {
            Some("/admin/users".into())
        }
        _ => None,
    }
}

pub fn object(stored: &str, ui: &Ui, names: &Names) -> ObjectView {
    let (kind, id) = stored.split_once(':').unwrap_or((stored, ""));
    match kinds::object_label(kind, ui.lang) {
        Some(words) => ObjectView {
            kind: words.to_string(),
            name: match kind {
                "organization" => Uuid::parse_str(id)
                    .ok()
                    .and_then(|u| names.organizations.get(&u).cloned()),
                _ => None,
            },
            id: id.to_string(),
            href: href(kind, id, ui),
        },
        None => ObjectView {
            kind: stored.to_string(),
            name: None,
            id: String::new(),
            href: None,
        },
    }
}

/// What the details are read with: the page's language and the organizations' names.
#[derive(Clone, Copy)]
pub struct Words<'a> {
    pub lang: Lang,
    pub organizations: &'a HashMap<Uuid, String>,
}

/// `retention_days` → `Retention days`: the words of a key nobody labelled.
fn humanise(key: &str) -> String {
    let text = key.replace('_', " ");
    let mut chars = text.chars();
    match chars.next() {
        Some(c) => c.to_uppercase().chain(chars).collect(),
        None => text,
    }
}

/// The label of a details key: the audit's own words, an organization field's label
/// (the changes of an edit), else the key made readable.
fn key_label(key: &str, lang: Lang) -> String {
    if let Some(words) = kinds::detail_label(key, lang) {
        return words.to_string();
    }
    let field = field_label(lang, key);
    if field != key {
        return field.to_string();
    }
    humanise(key)
}

/// A value under `key` in a line: words for coded values (roles, forms, event codes …)
/// and yes/no, local time for timestamps, and nested values compact (`a → b`,
/// `key: value; …`).
fn value_text(key: &str, v: &Value, w: Words, depth: u8) -> String {
    let lang = w.lang;
    match v {
        Value::Null => "—".into(),
        Value::Bool(b) => match b {
            true => lang.pick("是", "Yes").into(),
            false => lang.pick("否", "No").into(),
        },
        Value::Number(n) => n.to_string(),
        Value::String(s) => {
            if let Some(words) =
                kinds::value_label(key, s, lang).or_else(|| kinds::request_label(s, lang))
            {
                words.to_string()
            } else if let Some(name) = ORGANIZATION_KEYS
                .contains(&key)
                .then(|| Uuid::parse_str(s).ok())
                .flatten()
                .and_then(|u| w.organizations.get(&u))
            {
                name.clone()
            } else if let Ok(t) = chrono::DateTime::parse_from_rfc3339(s) {
                local_time(t.with_timezone(&chrono::Utc))
            } else {
                s.clone()
            }
        }
        Value::Array(items) => items
            .iter()
            .map(|i| value_text(key, i, w, depth + 1))
            .collect::<Vec<_>>()
            .join(lang.pick("、", ", ")),
        Value::Object(m) => {
            if let (Some(from), Some(to), 2) = (m.get("from"), m.get("to"), m.len()) {
                let to = value_text(key, to, w, depth + 1);
                // A value set where there was none reads as the value alone.
                if from.is_null() {
                    return to;
                }
                return format!("{} → {to}", value_text(key, from, w, depth + 1));
            }
            if depth > 2 {
                return v.to_string();
            }
            m.iter()
                .filter(|(_, v)| !v.is_null())
                .map(|(k, v)| {
                    let sep = lang.pick("：", ": ");
                    format!("{}{sep}{}", key_label(k, lang), value_text(k, v, w, depth + 1))
                })
                .collect::<Vec<_>>()
                .join(lang.pick("；", "; "))
        }
    }
}

/// The details as labelled fields: one per key of a JSON object; other text as one
/// field; nothing for an empty object.
pub fn detail_fields(details: &str, w: Words) -> Vec<DetailField> {
    let lang = w.lang;
    match serde_json::from_str::<Value>(details) {
        Ok(Value::Object(m)) => m
            .iter()
            .map(|(k, v)| DetailField {
                label: key_label(k, lang),
                value: value_text(k, v, w, 0),
            })
            .collect(),
        _ if details.trim().is_empty() => vec![],
        _ => vec![DetailField {
            label: lang.pick("详情", "Details").into(),
            value: details.to_string(),
        }],
    }
}

/// One row of the page.
pub fn row(r: &AuditRecord, ui: &Ui, names: &Names) -> AuditRow {
    let e = &r.event;
    let lang = ui.lang;
    let event = kinds::event_label(&e.action, lang);
    AuditRow {
        seq: r.seq,
        at: local_time(e.at),
        actor_name: names
            .users
            .get(&e.actor).cloned().unwrap_or_else(|| e.actor.clone()),
        actor: e.actor.clone(),
        role: kinds::role_label(&e.role, lang).map_or_else(|| e.role.clone(), String::from),
        event: event.map_or_else(|| e.action.clone(), String::from),
        known_event: event.is_some(),
        object: object(&e.object, ui, names),
        ok: e.outcome == Outcome::Success,
        source: e.source.clone(),
        fields: detail_fields(
            &e.details,
            Words {
                lang,
                organizations: &names.organizations,
            },
        ),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn in_zh() -> Words<'static> {
        words(Lang::Zh)
    }
    fn in_en() -> Words<'static> {
        words(Lang::En)
    }
    fn words(lang: Lang) -> Words<'static> {
        static NONE: std::sync::OnceLock<HashMap<Uuid, String>> = std::sync::OnceLock::new();
        Words {
            lang,
            organizations: NONE.get_or_init(HashMap::new),
        }
    }

    #[test]
    fn details_are_labelled_fields_in_the_page_language() {
        // Organization fields are labelled by the site's messages.
        crate::kit::capability::install(crate::capabilities());
        let d = r#"{"name":{"from":"甲","to":"乙"},"reason":"wrong_password","retention_days":180,"odd_key":1,
                    "legal_representative":{"from":"李","to":"王"},"role":{"from":null,"to":"org_member"},
                    "disabled":{"from":false,"to":true},"action":"organization.update","none":null}"#;
        let zh = detail_fields(d, in_zh());
        let pairs: Vec<(&str, &str)> = zh.iter().map(|f| (f.label.as_str(), f.value.as_str())).collect();
        assert!(pairs.contains(&("理由", "密码错误")), "{pairs:?}");
        assert!(pairs.contains(&("已停用", "否 → 是")), "{pairs:?}");
        assert!(pairs.contains(&("操作", "修改组织信息")), "{pairs:?}");
        assert!(pairs.contains(&("保留天数", "180")), "{pairs:?}");
        assert!(pairs.contains(&("None", "—")), "{pairs:?}");
        // An organization field by its form label, a key nobody labelled made readable.
        let legal = crate::kit::messages::field_label(Lang::Zh, "legal_representative");
        assert!(pairs.contains(&(legal, "李 → 王")) && !legal.is_ascii(), "{pairs:?}");
        assert!(pairs.contains(&("Odd key", "1")), "{pairs:?}");
        // Codes read as words; a value set where there was none reads alone.
        let role = shuniu_domain::access::Role::OrgMember.label(Lang::Zh);
        assert!(pairs.iter().any(|(_, v)| *v == role), "{pairs:?}");
        let en = detail_fields(d, in_en());
        assert!(en.iter().any(|f| f.label == "Disabled" && f.value == "No → Yes"));
        assert!(detail_fields("{}", in_zh()).is_empty());
        assert!(detail_fields("", in_zh()).is_empty());
        let odd = detail_fields("not json", in_en());
        assert_eq!((odd[0].label.as_str(), odd[0].value.as_str()), ("Details", "not json"));
    }

    #[test]
    fn nested_values_are_compact_and_times_local() {
        crate::kit::capability::install(crate::capabilities());
        let d = r#"{"filter":{"actor":"bob","outcome":null,"action":"login."},"locked_until":"2026-11-30T16:30:00Z"}"#;
        let f = detail_fields(d, in_en());
        let filter = f.iter().find(|f| f.label == "Filter").unwrap();
        assert_eq!(filter.value, "Action: login.; Actor: bob");
        let until = f.iter().find(|f| f.label == "Locked until").unwrap();
        assert_eq!(until.value, "2026-12-01 00:30");
    }

    #[test]
    fn organizations_in_details_read_by_name() {
        let id = Uuid::now_v7();
        let orgs: HashMap<Uuid, String> = [(id, "梅园社工".to_string())].into();
        let w = Words {
            lang: Lang::Zh,
            organizations: &orgs,
        };
        let d = format!(r#"{{"organization_id":{{"from":null,"to":"{id}"}},"hub_id":"{id}"}}"#);
        let f = detail_fields(&d, w);
        assert!(f.iter().any(|f| f.label == "社会组织" && f.value == "梅园社工"));
        // Only organization keys: another id stays as stored.
        assert!(f.iter().any(|f| f.value == id.to_string()));
    }

    #[test]
    fn objects_are_named_and_linked() {
        let ui = Ui::new(Lang::Zh, "/audit");
        let id = Uuid::now_v7();
        let no = Names::default();
        let names = Names {
            organizations: [(id, "梅园社工".to_string())].into(),
            ..Names::default()
        };
        let o = object(&format!("organization:{id}"), &ui, &names);
        assert_eq!((o.kind.as_str(), o.href), ("社会组织", Some(format!("/organizations/{id}"))));
        let o = object(&format!("assessment_application:{id}"), &ui, &no);
        assert_eq!(o.href, Some(format!("/assessment-applications/{id}")));
        let o = object("structure:320102", &ui, &no);
        assert_eq!(o.href.as_deref(), Some("/structure/320102"));
        // A malformed id has no link; an unknown kind reads as stored.
        assert_eq!(object("organization:../../x", &ui, &no).href, None);
        let o = object("gizmo:7", &ui, &no);
        assert_eq!((o.kind.as_str(), o.href), ("gizmo:7", None));
        // Users link to the accounts list only for the admin who has it.
        assert_eq!(object("user:alice", &ui, &no).href, None);
    }

    #[test]
    fn the_filter_offers_every_kind_once_and_keeps_other_values() {
        let (groups, other) = event_filter(Lang::Zh, "login.success");
        let n: usize = groups.iter().map(|g| g.options.len()).sum();
        assert_eq!(n, KINDS.len());
        let selected: Vec<_> = groups.iter().flat_map(|g| &g.options).filter(|o| o.selected).collect();
        assert_eq!(selected.len(), 1);
        assert_eq!(selected[0].label, "登录成功");
        assert!(other.is_none());
        let (_, other) = event_filter(Lang::En, "login");
        assert!(other.is_some_and(|o| o.value == "login" && o.selected));
    }
}
