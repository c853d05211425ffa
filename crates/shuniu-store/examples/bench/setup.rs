//! The benchmark's data set: the jurisdiction tree's organizations, then hubs, parks and
//! party building over them.

use std::collections::{HashMap, HashSet};
use std::time::Instant;

use chrono::{Duration, NaiveDate, TimeZone, Utc};
use shuniu_domain::hubs::{HubFunction, HubKind, HubLevel, Recognition};
use shuniu_domain::jurisdiction::JurisdictionCode;
use shuniu_domain::parks::{BookingRequest, SpaceData, SpaceKind, VenueData};
use shuniu_domain::party::{InstructorData, PartyBuilding};
use shuniu_domain::registry::{PartyOrg, ServiceDomain};
use shuniu_store::{HubFilter, Store};
use uuid::Uuid;

/// What the reads need from the hubs, parks and party set-up.
#[derive(Clone)]
pub(crate) struct Setup {
    /// The first street: its hub runs the venue.
    pub(crate) street0: String,
    pub(crate) street0_org: Uuid,
    pub(crate) street_hub: Uuid,
    /// Industry hub 0, the one with the most members.
    pub(crate) big_hub: Uuid,
    pub(crate) rooms: Vec<Uuid>,
}

/// What the timed writes at the end need (a fresh load only).
pub(crate) struct Loaded {
    pub(crate) setup: Setup,
    pub(crate) places: Vec<(String, bool)>,
    pub(crate) ids: Vec<Uuid>,
    pub(crate) hub_orgs: HashSet<usize>,
    pub(crate) regional: HashMap<String, Uuid>,
    pub(crate) industry: Vec<Uuid>,
    pub(crate) streets: Vec<(String, usize)>,
}

/// The set-up of a previous run, found again in a reused database.
pub(crate) async fn found(store: &Store, places: &[(String, bool)]) -> Setup {
    let street0 = places
        .iter()
        .find(|(c, _)| c.ends_with("000"))
        .expect("a street")
        .0
        .clone();
    let ss = store.street_structure(&street0).await.unwrap().unwrap();
    let hub = ss.hub.expect("the first street has its hub");
    let rooms = store
        .spaces_of(ss.venues.first().expect("the first street has a venue").id)
        .await
        .unwrap()
        .into_iter()
        .filter(|s| s.data.kind != SpaceKind::Office)
        .map(|s| s.id)
        .collect();
    let big_hub = store
        .list_hubs(
            &HubFilter {
                path_prefix: None,
                kind: Some(HubKind::Industry),
                include_revoked: false,
            },
            1,
            100,
        )
        .await
        .unwrap()
        .items
        .into_iter()
        .max_by_key(|h| h.member_count)
        .expect("industry hubs")
        .id;
    Setup {
        street0,
        street0_org: hub.organization_id,
        street_hub: hub.id,
        big_hub,
        rooms,
    }
}

/// Issue 4 at scale: a regional hub in every street, 20 industry hubs, memberships for a
/// large share of the organizations, party facts, a venue with bookings; then the reads.
pub(crate) async fn hubs_parks_party(
    store: &Store,
    n: u64,
    places: &[(String, bool)],
    ids: &[Uuid],
) -> Loaded {
    let p = places.len();
    let day = NaiveDate::from_ymd_opt(2026, 1, 15).unwrap();
    let street_of = |code: &str| format!("{}000", &code[..9]);
    // A street's own place index holds its first organization: that one is its hub.
    let streets: Vec<(String, usize)> = places
        .iter()
        .enumerate()
        .filter(|(_, (c, _))| c.ends_with("000"))
        .map(|(i, (c, _))| (c.clone(), i))
        .collect();
    assert!(n as usize > 2 * p, "need more organizations than places");
    let t = Instant::now();
    let mut hub_orgs: HashSet<usize> = HashSet::new();
    let mut regional: HashMap<String, Uuid> = HashMap::new();
    for (code, k) in &streets {
        let r = Recognition {
            kind: HubKind::Regional,
            level: HubLevel::Street,
            jurisdiction: JurisdictionCode::parse(code).unwrap(),
            base_body: String::new(),
            fields_mask: 0,
            recognizing_body: "区民政局".into(),
            document_number: format!("民〔2026〕{k}号"),
            recognized_on: day,
            functions_mask: HubFunction::mask(HubFunction::ALL),
        };
        let hub = store.recognize_hub(ids[*k], &r, "bench").await.unwrap();
        regional.insert(code.clone(), hub.id);
        hub_orgs.insert(*k);
    }
    // Industry hubs: one per district, the rest at city level; their organizations are
    // ones that join nothing below, so hub-to-hub joins later cannot close a cycle.
    let districts: Vec<String> = {
        let mut d: Vec<String> = streets.iter().map(|(c, _)| c[..6].to_string()).collect();
        d.dedup();
        d
    };
    let mut industry: Vec<Uuid> = Vec::new();
    let mut k = p;
    while industry.len() < 20 {
        if k % 5 != 1 && k % 25 != 2 && k % 25 != 4 {
            let i = industry.len();
            let (code, level) = match districts.get(i) {
                Some(d) => (d.clone(), HubLevel::District),
                None => ("320100".to_string(), HubLevel::City),
            };
            let r = Recognition {
                kind: HubKind::Industry,
                level,
                jurisdiction: JurisdictionCode::parse(&code).unwrap(),
                base_body: format!("行业协会{i}"),
                fields_mask: ServiceDomain::mask(&[ServiceDomain::ALL[i % 13]]),
                recognizing_body: "民政局".into(),
                document_number: format!("民〔2026〕I{i}号"),
                recognized_on: day,
                functions_mask: HubFunction::mask(HubFunction::ALL),
            };
            industry.push(store.recognize_hub(ids[k], &r, "bench").await.unwrap().id);
            hub_orgs.insert(k);
        }
        k += 1;
    }
    println!(
        "{:<58} {:>9.1} s    ({} regional, {} industry)",
        "recognize hubs",
        t.elapsed().as_secs_f64(),
        regional.len(),
        industry.len()
    );

    // Memberships: every 5th organization in its street's regional hub; every 25th in
    // an industry hub; another 25th all in industry hub 0 (the big one).
    let t = Instant::now();
    let mut added = 0u64;
    for k in 0..n as usize {
        if hub_orgs.contains(&k) {
            continue;
        }
        let hub = if k % 5 == 1 {
            regional[&street_of(&places[k % p].0)]
        } else if k % 25 == 2 {
            industry[(k / 25) % 20]
        } else if k % 25 == 4 {
            industry[0]
        } else {
            continue;
        };
        let initiating = added < 200 && k % 7 == 0;
        store
            .add_member(hub, ids[k], initiating, day, "bench")
            .await
            .unwrap();
        added += 1;
    }
    // Every street's hub joins an industry hub (runs the cycle check over its members).
    for (i, (_, k)) in streets.iter().enumerate() {
        store
            .add_member(industry[i % 20], ids[*k], false, day, "bench")
            .await
            .unwrap();
        added += 1;
    }
    let secs = t.elapsed().as_secs_f64();
    println!(
        "{:<58} {:>9.1} s    ({added} memberships, {:.0}/s)",
        "add_member (one audited transaction each)",
        secs,
        added as f64 / secs
    );

    // Party building: an instructor per street; every 20th organization gets a party
    // organization and its street's instructor, another 20th the instructor only.
    let t = Instant::now();
    let mut instructors: HashMap<String, Uuid> = HashMap::new();
    for (code, _) in &streets {
        let i = store
            .create_instructor(
                &InstructorData {
                    name: format!("指导员{code}"),
                    phone: None,
                    jurisdiction: JurisdictionCode::parse(code).unwrap(),
                    workplace: format!("{code}党建工作站"),
                },
                "bench",
            )
            .await
            .unwrap();
        instructors.insert(code.clone(), i.id);
    }
    let mut set = 0u64;
    for k in 0..n as usize {
        let party = match k % 20 {
            3 => PartyBuilding {
                party_org: if k % 40 == 3 {
                    PartyOrg::OwnBranch
                } else {
                    PartyOrg::JointBranch
                },
                party_members: 3,
                instructor_id: Some(instructors[&street_of(&places[k % p].0)]),
            },
            7 => PartyBuilding {
                party_org: PartyOrg::None,
                party_members: 0,
                instructor_id: Some(instructors[&street_of(&places[k % p].0)]),
            },
            _ => continue,
        };
        store
            .set_party_building(ids[k], &party, "bench")
            .await
            .unwrap();
        set += 1;
    }
    let secs = t.elapsed().as_secs_f64();
    println!(
        "{:<58} {:>9.1} s    ({set} organizations, {:.0}/s)",
        "set_party_building (audited, with history)",
        secs,
        set as f64 / secs
    );

    // A venue run by the first street's hub: an office and three rooms; 1,000 bookings
    // per room, four 90-minute bookings a day.
    let (street0, street0_k) = streets[0].clone();
    let venue = store
        .create_venue(
            Some(regional[&street0]),
            &VenueData {
                name: "基准服务园".into(),
                address: "某路2号".into(),
                jurisdiction: JurisdictionCode::parse(&street0).unwrap(),
                area_m2: 1200,
                owner: "街道办事处".into(),
                free_of_charge: true,
                terms: "无偿使用".into(),
                utilities_waived: true,
                obligation: "服务本地居民".into(),
                obligation_hours_per_quarter: 20,
            },
            "bench",
        )
        .await
        .unwrap();
    let mut rooms = Vec::new();
    for (i, kind) in [
        SpaceKind::Office,
        SpaceKind::ActivityRoom,
        SpaceKind::ActivityRoom,
        SpaceKind::MeetingRoom,
    ]
    .into_iter()
    .enumerate()
    {
        let s = store
            .add_space(
                venue.id,
                &SpaceData {
                    name: format!("房间{i}"),
                    kind,
                    capacity: 30,
                    area_m2: 40,
                },
                "bench",
            )
            .await
            .unwrap();
        if kind != SpaceKind::Office {
            rooms.push(s.id);
        }
    }
    // 09:00, 11:00, 14:00, 16:00 Shanghai are 01:00, 03:00, 06:00, 08:00 UTC.
    let start0 = Utc.with_ymd_and_hms(2026, 1, 1, 0, 0, 0).unwrap();
    let request = |day: i64, hour: i64| BookingRequest {
        starts_at: start0 + Duration::days(day) + Duration::hours(hour),
        ends_at: start0 + Duration::days(day) + Duration::hours(hour) + Duration::minutes(90),
        purpose: "活动".into(),
        attendees: 20,
    };
    let t = Instant::now();
    let mut booked = 0u64;
    for (r, room) in rooms.iter().enumerate() {
        for j in 0..1000i64 {
            let org = ids[(j as usize * 7 + r) % n as usize];
            store
                .book_space(
                    *room,
                    org,
                    &request(j / 4, [1, 3, 6, 8][(j % 4) as usize]),
                    30,
                    "bench",
                )
                .await
                .unwrap();
            booked += 1;
        }
    }
    let secs = t.elapsed().as_secs_f64();
    println!(
        "{:<58} {:>9.1} s    ({booked} bookings, {:.0}/s)",
        "book_space (slots claimed, audited)",
        secs,
        booked as f64 / secs
    );

    let setup = Setup {
        street0: street0.clone(),
        street0_org: ids[street0_k],
        street_hub: regional[&street0],
        big_hub: industry[0],
        rooms,
    };
    Loaded {
        setup,
        places: places.to_vec(),
        ids: ids.to_vec(),
        hub_orgs,
        regional,
        industry,
        streets,
    }
}
