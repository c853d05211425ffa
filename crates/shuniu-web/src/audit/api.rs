//! `/api/v1/audit`: browse, export and verify the tamper-evident audit trail.
//!
//! Admins see the whole trail; officials only the records of their jurisdiction's
//! subtree (the store filters by `jurisdiction_path`). Other roles: `403`; no token:
//! `401`. Verifying the whole chain is for admins only.

use crate::kit::api::responses::NeedsToken;
use crate::kit::paging::Asked;
use crate::kit::params::given;
use axum::Json;
use axum::extract::rejection::QueryRejection;
use axum::extract::{Query, State};
use axum::http::{HeaderMap, header};
use axum::response::{IntoResponse, Response};
use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};
use shuniu_domain::access::{Action, Resource, Role};
use shuniu_domain::Lang;
use shuniu_domain::audit::{AuditRecord, Outcome, kinds};
use shuniu_domain::{FieldError, FieldErrors};
use shuniu_store::AuditFilter;
use utoipa::ToSchema;

use crate::auth::Caller;
use crate::kit::api::access::{ApiCaller, note_denial};
use crate::kit::api::error::ErrorBody;
use crate::{AppError, AppState};

/// The OpenAPI part of the audit trail, merged into `/api/openapi.json`.
#[derive(utoipa::OpenApi)]
#[openapi(paths(list, export, verify), tags((name = "audit", description = "The tamper-evident audit trail (admins; officials: their jurisdiction)")))]
struct Doc;

pub fn doc() -> utoipa::openapi::OpenApi {
    <Doc as utoipa::OpenApi>::openapi()
}

/// Filters of the audit trail (all optional), as they come.
#[derive(Debug, Clone, Default, Deserialize, utoipa::IntoParams)]
#[into_params(parameter_in = Query)]
pub struct AuditQuery {
    /// Exact user name of the actor (`-` for anonymous callers).
    pub actor: Option<String>,
    /// Exact action (`organization.update`), or a prefix ending in `.` (`organization.`).
    pub action: Option<String>,
    /// `success` or `failure`.
    #[param(value_type = Option<String>, pattern = "^(success|failure)$")]
    pub outcome: Option<String>,
    /// Records at or after this time (RFC 3339, e.g. `2026-01-01T00:00:00+08:00`).
    #[param(value_type = Option<String>, format = DateTime)]
    pub from: Option<String>,
    /// Records before this time (RFC 3339).
    #[param(value_type = Option<String>, format = DateTime)]
    pub to: Option<String>,
    /// Where the page starts: the `next` or `prev` of a page read before (opaque).
    /// Takes precedence over `page`; ignored by the CSV export.
    #[param(value_type = Option<String>, max_length = 512)]
    pub cursor: Option<String>,
    /// 1-based page number within the first 10,000 records (past them, follow `next`;
    /// ignored by the CSV export).
    #[param(value_type = Option<u32>, minimum = 1, maximum = 1000000)]
    pub page: Option<String>,
    /// Records per page, 1–500 (default 50; ignored by the CSV export).
    #[param(value_type = Option<u32>, minimum = 1, maximum = 500)]
    pub per_page: Option<String>,
}

impl AuditQuery {
    /// The filter (without the caller's scope) and where the page starts; every bad
    /// parameter is named (`422`).
    pub fn parse(&self) -> Result<(AuditFilter, Asked), FieldErrors> {
        let mut e = FieldErrors::new();
        let mut text = |field: &str, v: &Option<String>| {
            let s = given(v)?;
            if s.chars().count() > 100 {
                e.add(
                    field,
                    FieldError::new("不能超过100个字符", "must be at most 100 characters"),
                );
                return None;
            }
            Some(s.to_string())
        };
        let actor = text("actor", &self.actor);
        let action = text("action", &self.action);
        let outcome = given(&self.outcome).and_then(|s| {
            let o = Outcome::parse(s);
            if o.is_none() {
                e.add(
                    "outcome",
                    FieldError::new(
                        "取值无效，可选：success、failure",
                        "is not one of: success, failure",
                    ),
                );
            }
            o
        });
        let mut time = |field: &str, v: &Option<String>| {
            let s = given(v)?;
            match DateTime::parse_from_rfc3339(s) {
                Ok(t) => Some(t.with_timezone(&Utc)),
                Err(_) => {
                    e.add(
                        field,
                        FieldError::new(
                            "应为 RFC 3339 时间，如 2026-01-01T00:00:00+08:00",
                            "must be an RFC 3339 time, e.g. 2026-01-01T00:00:00+08:00",
                        ),
                    );
                    None
                }
            }
        };
        let from = time("from", &self.from);
        let to = time("to", &self.to);
        let asked = crate::kit::paging::asked(
            &mut e,
            &self.cursor,
            &self.page,
            &self.per_page,
            (50, 500),
        );
        if !e.is_empty() {
            return Err(e);
        }
        Ok((
            AuditFilter {
                path_prefix: None,
                actor,
                action,
                outcome,
                from,
                to,
            },
            asked,
        ))
    }
}

/// The part of the trail this caller may read: the whole trail for admins, an
/// official's jurisdiction subtree otherwise (`None` = everything).
fn scope(caller: &Caller) -> Result<Option<String>, AppError> {
    caller.require(Action::ReadAudit, &Resource::AuditTrail)?;
    let user = caller.user.as_ref().ok_or(AppError::Unauthenticated)?;
    if user.role == Role::Admin {
        return Ok(None);
    }
    // Anyone else the policy lets read the trail reads their own subtree only.
    user.jurisdiction_path
        .clone()
        .map(Some)
        .ok_or(AppError::Forbidden)
}

/// The scoped filter for this request: authorization first (`401`/`403`), then the
/// parameters (`422`); with where the page starts.
async fn filter_for(
    s: &AppState,
    caller: &Caller,
    q: Result<Query<AuditQuery>, QueryRejection>,
    what: &str,
) -> Result<(AuditFilter, Asked), AppError> {
    let prefix = note_denial(s, caller, what, "audit_log".into(), scope(caller)).await?;
    let Query(q) = q.map_err(crate::kit::extract::bad_query)?;
    let (mut filter, asked) = q.parse()?;
    filter.path_prefix = prefix;
    Ok((filter, asked))
}

/// One record of the audit trail.
#[derive(Debug, Serialize, Deserialize, ToSchema)]
pub struct AuditEntry {
    /// Position in the chain, from 1.
    pub seq: i64,
    pub at: DateTime<Utc>,
    /// User name, `-` for anonymous callers, or the shell's name.
    pub actor: String,
    #[schema(example = "official")]
    pub role: String,
    /// Source address of the request.
    #[schema(example = "127.0.0.1")]
    pub source: String,
    #[schema(example = "organization.update")]
    pub action: String,
    /// The event in words, in the caller's language (`Accept-Language`, English by
    /// default); `null` for a kind this version does not write (older records).
    #[schema(required, example = "Organization edited")]
    pub event_label: Option<String>,
    /// The role in words, in the same language; `null` for a role this version does not know.
    #[schema(required, example = "Government official")]
    pub role_label: Option<String>,
    #[schema(example = "organization:01920000-0000-7000-8000-000000000000")]
    pub object: String,
    /// `success` or `failure`.
    #[schema(example = "success")]
    pub outcome: String,
    /// Details (JSON). A registry write's record refers to the change it audits,
    /// `{"change": <id>, "sha256": <digest>}`: the change itself is in the organization's
    /// history (`GET /api/v1/organizations/{id}/history`), and `audit verify` checks the
    /// digest. Other records carry their own details.
    #[schema(value_type = Object)]
    pub details: serde_json::Value,
    /// The jurisdiction the record belongs to, if any.
    #[schema(required, example = "320000/320100/320102/320102002000/")]
    pub jurisdiction_path: Option<String>,
    /// Hash of the previous record (the chain).
    pub prev_hash: String,
    /// HMAC-SHA-256 over this record and `prev_hash`.
    pub hash: String,
}

impl AuditEntry {
    /// The record as the API answers it, its words in `lang`.
    fn new(r: AuditRecord, lang: Lang) -> Self {
        let e = r.event;
        AuditEntry {
            seq: r.seq,
            at: e.at,
            event_label: kinds::event_label(&e.action, lang).map(String::from),
            role_label: kinds::role_label(&e.role, lang).map(String::from),
            actor: e.actor,
            role: e.role,
            source: e.source,
            action: e.action,
            object: e.object,
            outcome: e.outcome.as_str().into(),
            details: serde_json::from_str(&e.details)
                .unwrap_or(serde_json::Value::String(e.details)),
            jurisdiction_path: e.jurisdiction_path,
            prev_hash: r.prev_hash,
            hash: r.hash,
        }
    }
}

/// One page of the audit trail, newest first.
#[derive(Debug, Serialize, Deserialize, ToSchema)]
pub struct AuditPage {
    pub items: Vec<AuditEntry>,
    #[serde(flatten)]
    pub paging: crate::kit::paging::PageInfo,
}

/// Browse the audit trail, newest first (admins: all of it; officials: their
/// jurisdiction's subtree).
#[utoipa::path(
    get,
    path = "/api/v1/audit",
    operation_id = "list_audit_records",
    tag = "audit",
    params(AuditQuery),
    security(("bearer" = [])),
    responses(
        (status = 200, description = "One page of matching records", body = AuditPage),
        NeedsToken,
        (status = 403, description = "The caller's role may not read the audit trail", body = ErrorBody),
        (status = 422, description = "A filter or paging parameter is bad; each is named in `fields`: a `cursor` that is not one of this list's, a `page` past the first 10,000 records (follow `next` instead)", body = ErrorBody),
    )
)]
pub async fn list(
    State(s): State<AppState>,
    ApiCaller(caller): ApiCaller,
    headers: HeaderMap,
    q: Result<Query<AuditQuery>, QueryRejection>,
) -> Result<Json<AuditPage>, AppError> {
    let (filter, asked) = filter_for(&s, &caller, q, "audit.read").await?;
    let (at, number) = asked.position();
    let p = s.store.audit_keyset(&filter, at, asked.per_page).await?;
    // English unless the caller prefers Chinese, as the API's messages.
    let lang = headers
        .get(header::ACCEPT_LANGUAGE)
        .and_then(|v| v.to_str().ok())
        .and_then(Lang::from_accept_language)
        .unwrap_or(Lang::En);
    let paging = crate::kit::paging::PageInfo::of(&p, number);
    Ok(Json(AuditPage {
        items: p.items.into_iter().map(|r| AuditEntry::new(r, lang)).collect(),
        paging,
    }))
}

const CSV_HEADER: [&str; 12] = [
    "seq",
    "at",
    "actor",
    "role",
    "source",
    "action",
    "object",
    "outcome",
    "details",
    "jurisdiction_path",
    "prev_hash",
    "hash",
];

/// Records fetched per database round trip of the export.
const CHUNK: u32 = 1000;

/// A cell that a spreadsheet would read as a formula is prefixed with `'`.
fn cell(s: &str) -> std::borrow::Cow<'_, str> {
    let risky = match s.chars().next() {
        Some('=' | '+' | '@' | '\t' | '\r') => true,
        Some('-') => s.len() > 1,
        _ => false,
    };
    if risky {
        format!("'{s}").into()
    } else {
        s.into()
    }
}

fn csv_chunk(rows: &[AuditRecord], header: bool) -> Result<Vec<u8>, csv::Error> {
    let mut out = Vec::new();
    if header {
        // A byte-order mark, so that spreadsheets read the Chinese text as UTF-8.
        out.extend_from_slice("\u{feff}".as_bytes());
    }
    let mut w = csv::WriterBuilder::new()
        .has_headers(false)
        .from_writer(out);
    if header {
        w.write_record(CSV_HEADER)?;
    }
    for r in rows {
        let e = &r.event;
        let seq = r.seq.to_string();
        let at = e.at.format("%Y-%m-%dT%H:%M:%S%.6fZ").to_string();
        let path = e.jurisdiction_path.clone().unwrap_or_default();
        w.write_record([
            seq.as_str(),
            at.as_str(),
            &cell(&e.actor),
            &cell(&e.role),
            &cell(&e.source),
            &cell(&e.action),
            &cell(&e.object),
            e.outcome.as_str(),
            &cell(&e.details),
            &path,
            &r.prev_hash,
            &r.hash,
        ])?;
    }
    w.into_inner().map_err(|e| csv::Error::from(e.into_error()))
}

/// Export the audit trail as CSV (same filters and scope as the list), newest first,
/// streamed. The export itself is recorded (`audit.export`).
#[utoipa::path(
    get,
    path = "/api/v1/audit.csv",
    operation_id = "export_audit_records",
    tag = "audit",
    params(AuditQuery),
    security(("bearer" = [])),
    responses(
        (status = 200, description = "UTF-8 CSV with a header row: seq, at, actor, role, source, action, object, outcome, details, jurisdiction_path, prev_hash, hash",
            content_type = "text/csv", body = String),
        NeedsToken,
        (status = 403, description = "The caller's role may not read the audit trail", body = ErrorBody),
        (status = 422, description = "A filter parameter is bad; each is named in `fields`", body = ErrorBody),
    )
)]
pub async fn export(
    State(s): State<AppState>,
    ApiCaller(caller): ApiCaller,
    q: Result<Query<AuditQuery>, QueryRejection>,
) -> Result<Response, AppError> {
    let (filter, _) = filter_for(&s, &caller, q, "audit.export").await?;
    let details = serde_json::json!({
        "format": "csv",
        "filter": {
            "scope": filter.path_prefix,
            "actor": filter.actor,
            "action": filter.action,
            "outcome": filter.outcome,
            "from": filter.from,
            "to": filter.to,
        }
    });
    s.store
        .audit(caller.event(
            "audit.export",
            "audit_log".into(),
            Outcome::Success,
            details.to_string(),
        ))
        .await?;
    let body = crate::audit::export::csv_body(s.store.clone(), filter, CHUNK, csv_chunk).await?;
    Ok((
        [
            (header::CONTENT_TYPE, "text/csv; charset=utf-8"),
            (
                header::CONTENT_DISPOSITION,
                "attachment; filename=\"shuniu-audit.csv\"",
            ),
            (header::CACHE_CONTROL, "no-store"),
        ],
        body,
    )
        .into_response())
}

/// Where the chain first breaks.
#[derive(Debug, Serialize, Deserialize, ToSchema)]
pub struct ChainBreakBody {
    /// The first record that is not what the chain says it should be.
    pub seq: i64,
    /// What was found: `missing` (a record deleted), `disordered`, `unlinked` (inserted
    /// or reordered), `altered`, `cut_at_end`, `forged_head` (the head rewritten without
    /// the key), `forged_anchor` (the start moved without the key), `past_head` (a record
    /// appended without the key), `checkpoint_lost`.
    #[schema(example = "altered")]
    pub kind: String,
    #[schema(example = "hash mismatch: the record was altered")]
    pub problem: String,
}

/// The result of verifying the whole chain.
#[derive(Debug, Serialize, Deserialize, ToSchema)]
pub struct VerifyResult {
    /// Sequence number of the last record verified.
    pub verified: i64,
    /// `null` when the whole chain verifies.
    #[schema(required)]
    pub first_break: Option<ChainBreakBody>,
}

/// Verify the whole audit chain and report the first record that was altered,
/// deleted or inserted. Platform admins only.
#[utoipa::path(
    get,
    path = "/api/v1/audit/verify",
    operation_id = "verify_audit_chain",
    tag = "audit",
    security(("bearer" = [])),
    responses(
        (status = 200, description = "How far the chain verifies, and where it first breaks", body = VerifyResult),
        NeedsToken,
        (status = 403, description = "Only platform admins verify the whole chain", body = ErrorBody),
    )
)]
pub async fn verify(
    State(s): State<AppState>,
    ApiCaller(caller): ApiCaller,
) -> Result<Json<VerifyResult>, AppError> {
    // The chain spans every jurisdiction: the policy keeps verifying to admins.
    let whole = caller.require(Action::VerifyAudit, &Resource::AuditTrail);
    note_denial(&s, &caller, "audit.verify", "audit_log".into(), whole).await?;
    let r = s.store.audit_verify().await?;
    Ok(Json(VerifyResult {
        verified: r.verified,
        first_break: r.first_break.map(|b| ChainBreakBody {
            seq: b.seq,
            kind: serde_json::to_value(b.kind)
                .ok()
                .and_then(|v| v.as_str().map(String::from))
                .unwrap_or_default(),
            problem: b.problem,
        }),
    }))
}
