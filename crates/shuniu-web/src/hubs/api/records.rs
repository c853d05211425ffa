//! What the hubs API reads and writes: records and the documented request bodies.

use super::*;
pub use crate::kit::api::records::PlaceRecord;

pub(super) fn micros(t: DateTime<Utc>) -> DateTime<Utc> {
    t.trunc_subsecs(6)
}

/// A hub: a registered organization holding a recognition 认定.
#[derive(Debug, Clone, Serialize, Deserialize, ToSchema)]
pub struct HubRecord {
    pub id: Uuid,
    /// The organization holding the recognition.
    pub organization_id: Uuid,
    #[schema(example = "梅园新村街道社会组织发展促进会")]
    pub organization_name: String,
    /// `regional` (horizontal axis) or `industry` (vertical axis).
    #[schema(example = "regional")]
    pub kind: String,
    /// `province`, `city`, `district` or `street`.
    #[schema(example = "street")]
    pub level: String,
    /// Jurisdiction code the hub is bound to.
    #[schema(example = "320102002000")]
    pub jurisdiction: String,
    /// Industry hubs: the people's organization or association it is built on.
    pub base_body: String,
    /// Industry hubs: the fields (service domain codes) it leads.
    pub fields: Vec<String>,
    pub recognizing_body: String,
    pub document_number: String,
    pub recognized_on: NaiveDate,
    /// `political_guidance`, `cultivation`, `centralized_services`, `comprehensive_management`.
    pub functions: Vec<String>,
    /// `recognized` or `revoked`.
    pub status: String,
    #[schema(required)]
    pub revoked_on: Option<NaiveDate>,
    #[schema(required)]
    pub revoke_reason: Option<String>,
    /// Active members.
    pub member_count: i64,
}

impl From<&Hub> for HubRecord {
    fn from(h: &Hub) -> Self {
        let r = &h.recognition;
        HubRecord {
            id: h.id,
            organization_id: h.organization_id,
            organization_name: h.organization_name.clone(),
            kind: r.kind.as_str().into(),
            level: r.level.as_str().into(),
            jurisdiction: r.jurisdiction.to_string(),
            base_body: r.base_body.clone(),
            fields: r.fields().iter().map(|f| f.as_str().to_string()).collect(),
            recognizing_body: r.recognizing_body.clone(),
            document_number: r.document_number.clone(),
            recognized_on: r.recognized_on,
            functions: r
                .functions()
                .iter()
                .map(|f| f.as_str().to_string())
                .collect(),
            status: h.status.as_str().into(),
            revoked_on: h.revoked_on,
            revoke_reason: h.revoke_reason.clone(),
            member_count: h.member_count,
        }
    }
}

#[derive(Debug, Serialize, Deserialize, ToSchema)]
pub struct HubPage {
    pub items: Vec<HubRecord>,
    #[serde(flatten)]
    pub paging: crate::kit::paging::PageInfo,
}

/// One organization's membership of one hub.
#[derive(Debug, Clone, Serialize, Deserialize, ToSchema)]
pub struct MembershipRecord {
    pub id: Uuid,
    pub hub_id: Uuid,
    pub hub_organization_id: Uuid,
    pub hub_name: String,
    /// `regional` or `industry`.
    pub hub_kind: String,
    pub organization_id: Uuid,
    pub organization_name: String,
    /// `pending`, `active`, `rejected`, `suspended`, `left`, `withdrawn`.
    #[schema(example = "active")]
    pub status: String,
    /// 发起单位: one of the organizations that founded the hub.
    pub initiating: bool,
    #[schema(required)]
    pub reason: Option<String>,
    pub applied_on: NaiveDate,
    #[schema(required)]
    pub decided_on: Option<NaiveDate>,
}

impl From<&Membership> for MembershipRecord {
    fn from(m: &Membership) -> Self {
        MembershipRecord {
            id: m.id,
            hub_id: m.hub_id,
            hub_organization_id: m.hub_organization_id,
            hub_name: m.hub_name.clone(),
            hub_kind: m.hub_kind.as_str().into(),
            organization_id: m.organization_id,
            organization_name: m.organization_name.clone(),
            status: m.status.as_str().into(),
            initiating: m.initiating,
            reason: m.reason.clone(),
            applied_on: m.applied_on,
            decided_on: m.decided_on,
        }
    }
}

/// One page of a hub's memberships.
#[derive(Debug, Serialize, Deserialize, ToSchema)]
pub struct MembershipPage {
    pub items: Vec<MembershipRecord>,
    #[serde(flatten)]
    pub paging: crate::kit::paging::PageInfo,
}

impl MembershipPage {
    pub fn new(p: &KeyPage<Membership>, number: Option<u32>) -> Self {
        MembershipPage {
            items: p.items.iter().map(MembershipRecord::from).collect(),
            paging: crate::kit::paging::PageInfo::of(p, number),
        }
    }
}

/// One step of a membership's history.
#[derive(Debug, Serialize, Deserialize, ToSchema)]
pub struct MembershipEventRecord {
    pub id: Uuid,
    pub at: DateTime<Utc>,
    pub actor: String,
    /// `apply`, `add`, `approve`, `reject`, `suspend`, … `initiating`, `hub_revoked`.
    pub action: String,
    #[schema(required)]
    pub from_status: Option<String>,
    pub to_status: String,
    #[schema(required)]
    pub reason: Option<String>,
}

impl From<&MembershipEvent> for MembershipEventRecord {
    fn from(e: &MembershipEvent) -> Self {
        MembershipEventRecord {
            id: e.id,
            at: micros(e.at),
            actor: e.actor.clone(),
            action: e.action.clone(),
            from_status: e.from_status.map(|s| s.as_str().to_string()),
            to_status: e.to_status.as_str().into(),
            reason: e.reason.clone(),
        }
    }
}

/// A membership with its history, oldest step first.
#[derive(Debug, Serialize, Deserialize, ToSchema)]
pub struct MembershipDetail {
    pub membership: MembershipRecord,
    pub history: Vec<MembershipEventRecord>,
}

/// The district's core 核 (its social-organization party-building work committee).
#[derive(Debug, Serialize, Deserialize, ToSchema)]
pub struct CoreRecord {
    pub jurisdiction: String,
    pub name_zh: String,
    pub name_en: String,
}

impl From<&HubCore> for CoreRecord {
    fn from(c: &HubCore) -> Self {
        CoreRecord {
            jurisdiction: c.jurisdiction.to_string(),
            name_zh: c.name_zh.clone(),
            name_en: c.name_en.clone(),
        }
    }
}

/// A street on the horizontal axis: its regional hub and its organizations.
#[derive(Debug, Serialize, Deserialize, ToSchema)]
pub struct StreetAxisRecord {
    pub street: PlaceRecord,
    #[schema(required)]
    pub hub: Option<HubRecord>,
    /// Live organizations registered in the street.
    pub organizations: i64,
}

/// 一核两轴 of a district, from live data.
#[derive(Debug, Serialize, Deserialize, ToSchema)]
pub struct DistrictStructureRecord {
    /// Always `district`.
    #[schema(example = "district")]
    pub level: String,
    pub district: PlaceRecord,
    #[schema(required)]
    pub core: Option<CoreRecord>,
    /// Regional hubs bound to the district itself.
    pub district_hubs: Vec<HubRecord>,
    /// Horizontal axis: every street with its regional hub.
    pub streets: Vec<StreetAxisRecord>,
    /// Vertical axis: industry hubs leading organizations of the district.
    pub industry: Vec<HubRecord>,
    pub organizations: i64,
}

impl From<&DistrictStructure> for DistrictStructureRecord {
    fn from(d: &DistrictStructure) -> Self {
        DistrictStructureRecord {
            level: "district".into(),
            district: PlaceRecord::from(&d.district),
            core: d.core.as_ref().map(CoreRecord::from),
            district_hubs: d.district_hubs.iter().map(HubRecord::from).collect(),
            streets: d
                .streets
                .iter()
                .map(|s| StreetAxisRecord {
                    street: PlaceRecord::from(&s.street),
                    hub: s.hub.as_ref().map(HubRecord::from),
                    organizations: s.organizations,
                })
                .collect(),
            industry: d.industry.iter().map(HubRecord::from).collect(),
            organizations: d.organizations,
        }
    }
}

/// A service park 服务园 in a street view.
#[derive(Debug, Serialize, Deserialize, ToSchema)]
pub struct VenueSummary {
    pub id: Uuid,
    pub name: String,
    pub address: String,
    pub area_m2: u32,
    #[schema(required)]
    pub hub_id: Option<Uuid>,
}

/// 1+1+X of a street: service park(s), the association (regional hub), its members.
#[derive(Debug, Serialize, Deserialize, ToSchema)]
pub struct StreetStructureRecord {
    /// Always `street`.
    #[schema(example = "street")]
    pub level: String,
    pub street: PlaceRecord,
    pub venues: Vec<VenueSummary>,
    #[schema(required)]
    pub hub: Option<HubRecord>,
    /// Active members, initiating units first.
    pub members: Vec<MembershipRecord>,
    pub organizations: i64,
}

impl From<&StreetStructure> for StreetStructureRecord {
    fn from(s: &StreetStructure) -> Self {
        StreetStructureRecord {
            level: "street".into(),
            street: PlaceRecord::from(&s.street),
            venues: s
                .venues
                .iter()
                .map(|v| VenueSummary {
                    id: v.id,
                    name: v.data.name.clone(),
                    address: v.data.address.clone(),
                    area_m2: v.data.area_m2,
                    hub_id: v.hub_id,
                })
                .collect(),
            hub: s.hub.as_ref().map(HubRecord::from),
            members: s.members.iter().map(MembershipRecord::from).collect(),
            organizations: s.organizations,
        }
    }
}

/// A district's 一核两轴 or a street's 1+1+X (told apart by `level`).
#[derive(Debug, Serialize, Deserialize, ToSchema)]
#[serde(untagged)]
pub enum StructureRecord {
    District(Box<DistrictStructureRecord>),
    Street(Box<StreetStructureRecord>),
}

/// A recognition 认定. Every bad field is reported at once (`422`).
#[derive(Debug, Deserialize, ToSchema)]
pub struct HubCreate {
    pub organization_id: Uuid,
    /// `regional` or `industry`.
    pub kind: String,
    /// `province`, `city`, `district`, `street`; a regional hub's level matches its jurisdiction.
    pub level: String,
    /// Regional: the street or district served. Industry: the recognizing body's jurisdiction.
    pub jurisdiction: String,
    /// Industry hubs: required.
    pub base_body: Option<String>,
    /// Industry hubs: at least one service domain code; regional: none.
    pub fields: Option<Vec<String>>,
    pub recognizing_body: String,
    pub document_number: String,
    /// Not in the future.
    pub recognized_on: NaiveDate,
    /// At least one.
    pub functions: Vec<String>,
}

#[derive(Debug, Deserialize, ToSchema)]
pub struct RevokeRequest {
    #[schema(max_length = 500)]
    pub reason: String,
    /// Defaults to today (Asia/Shanghai).
    pub revoked_on: Option<NaiveDate>,
}

#[derive(Debug, Deserialize, ToSchema)]
pub struct MemberAdd {
    pub organization_id: Uuid,
    /// Mark as an initiating unit 发起单位.
    pub initiating: Option<bool>,
}

#[derive(Debug, Deserialize, ToSchema)]
pub struct ApplicationRequest {
    pub organization_id: Uuid,
}

#[derive(Debug, Deserialize, ToSchema)]
pub struct DecisionRequest {
    /// `approve`, `reject`, `suspend`, `reinstate`, `remove` (hub side); `withdraw`, `leave` (member side).
    pub action: String,
    /// Required for `reject`, `suspend` and `remove`.
    pub reason: Option<String>,
}

#[derive(Debug, Deserialize, ToSchema)]
pub struct InitiatingRequest {
    pub initiating: bool,
}

#[derive(Debug, Deserialize, ToSchema)]
pub struct CoreRequest {
    #[schema(example = "玄武区社会组织党建工作委员会")]
    pub name_zh: String,
    pub name_en: String,
}
