//! Downloads of a hub's members (`/hubs/{id}/members.csv|xlsx`,
//! `/api/v1/hubs/{id}/members.csv`), on the shared export kit, under the list's own
//! rule: active members are public; other statuses only for who sees them on the page.

use serde::Deserialize;
use shuniu_domain::Lang;
use shuniu_domain::hubs::MembershipStatus;
use shuniu_store::{After, Store};
use uuid::Uuid;

use crate::auth::Caller;
use crate::hubs;
use crate::kit::api::access::ApiCaller;
use crate::kit::api::error::ErrorBody;
use crate::kit::export::{self, CHUNK_ROWS, Chunk, ListDownload, Spec};
use crate::kit::extract::RecordId;
use crate::kit::ui::Ui;
use crate::{AppError, AppState};


const HEADER: [&str; 5] = [
    "hubs.col.organization",
    "hubs.col.membership",
    "hubs.initiating",
    "hubs.col.applied_on",
    "hubs.col.decided_on",
];

/// Query of a members download: the list's status filter.
#[derive(Debug, Default, Deserialize, utoipa::IntoParams)]
#[into_params(parameter_in = Query)]
pub struct MembersDownloadQuery {
    /// A membership status; anonymous callers and callers outside the hub get `active` only.
    pub status: Option<String>,
}


/// A hub's members' downloads, under the list's rule.
pub struct HubMembers;

impl ListDownload for HubMembers {
    type Path = RecordId;
    type Query = MembersDownloadQuery;
    type ApiWho = ApiCaller;
    type Filter = (Uuid, Option<MembershipStatus>);
    type Cursor = After;

    async fn prepare(
        s: &AppState,
        ui: &Ui,
        caller: &Caller,
        RecordId(id): RecordId,
        q: MembersDownloadQuery,
    ) -> Result<(Spec, Self::Filter), AppError> {
        let hub = hubs::get(&s.store, id).await?;
        // Access and the status filter answer (401/403/422) before any record is written.
        hubs::members(&s.store, caller, &hub, &q.status, (&None, &None), &Some("1".into()))
            .await?;
        let visible = hubs::visible_status(caller, &hub, hubs::parse_status(&q.status)?)?;
        let status = q.status.filter(|x| !x.trim().is_empty());
        let filter = export::filter_query(&[("status", &status)]);
        let widths = [36.0, 12.0, 10.0, 12.0, 12.0];
        let title = format!("{} · {}", hub.organization_name, ui.t("hubs.members"));
        let spec = Spec {
            stem: format!("hub-{}-members", hub.id),
            object: format!("hub:{}", hub.id),
            ..Spec::list(ui, "hub_members", title, &HEADER, &widths, &filter)
        };
        let id = hub.id;
        Ok((spec, (id, visible)))
    }

    async fn chunk(
        store: Store,
        (hub, status): (Uuid, Option<MembershipStatus>),
        after: Option<After>,
        lang: Lang,
    ) -> Result<Chunk<After>, AppError> {
        let p = store
            .hub_members_chunk(hub, status, after.as_ref(), CHUNK_ROWS)
            .await?;
        let yes = lang.pick("是", "yes");
        let rows = p
            .items
            .iter()
            .map(|m| {
                vec![
                    m.organization_name.clone(),
                    m.status.label(lang).to_string(),
                    if m.initiating { yes.to_string() } else { String::new() },
                    m.applied_on.to_string(),
                    m.decided_on.map(|d| d.to_string()).unwrap_or_default(),
                ]
            })
            .collect();
        Ok(Chunk { rows, next: p.next })
    }
}

/// A hub's members as CSV. Public for active members; other statuses for the hub
/// side, officials over it, experts and admins (served by
/// `kit::export::api_csv::<HubMembers>`).
#[utoipa::path(
    get,
    path = "/api/v1/hubs/{id}/members.csv",
    operation_id = "download_hub_members",
    tag = "hubs",
    params(("id" = uuid::Uuid, Path, description = "Hub id"), MembersDownloadQuery),
    security((), ("bearer" = [])),
    responses(
        export::CsvResponses,
        (status = 401, description = "Invalid token, or a non-active status asked for anonymously", body = ErrorBody),
        (status = 403, description = "The caller may not see memberships of that status", body = ErrorBody),
        (status = 404, description = "No such hub", body = ErrorBody),
        (status = 422, description = "A bad status, named", body = ErrorBody),
    )
)]
#[allow(dead_code)] // documents the operation
pub fn api_csv() {}
