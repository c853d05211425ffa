//! Registry benchmark at province scale. Prints timings; asserts nothing about speed.
//!
//!   cargo run --release -p shuniu-store --example bench -- [ORGS] [DB_URL]
//!
//!   cargo run --release -p shuniu-store --example bench -- [ORGS] [DB_URL] --reuse
//!
//! Defaults: 1,000,000 organizations into a fresh `sqlite:///tmp/shuniu-bench.db`.
//! `--reuse` times the queries against a database a previous run loaded (it must hold
//! ORGS organizations): no loading, and the timed writes that cannot repeat (one more
//! booking, membership, the revocations) are left out.
//! For PostgreSQL pass e.g. `postgres://postgres@127.0.0.1:5432/shuniu_bench`
//! (the database must exist and be empty). The data: Jiangsu's reference tree plus
//! 10 synthetic streets under each Nanjing district and 10 communities under each of
//! those, organizations spread over all of them.

use std::collections::{HashMap, HashSet};
use std::time::Instant;

use chrono::{Duration, NaiveDate, TimeZone, Utc};
use shuniu_domain::codes::uscc::USCC_CHARSET;
use shuniu_domain::codes::{FilingNumber, Uscc};
use shuniu_domain::hubs::{HubFunction, HubKind, HubLevel, MembershipStatus, Recognition};
use shuniu_domain::jurisdiction::{JurisdictionCode, Level, child_of};
use shuniu_domain::parks::{BookingRequest, SpaceData, SpaceKind, VenueData};
use shuniu_domain::party::{InstructorData, PartyBuilding};
use shuniu_domain::registry::{Grade, LegalForm, OrganizationData, PartyOrg, ServiceDomain, Stage};
use shuniu_store::{CoverageScope, Gap, HubFilter, OrgFilter, OrgSort, Store};
use uuid::Uuid;

fn body_for(mut n: u64) -> String {
    // 8 characters over the USCC charset, leading 'B' so it never collides with demo data.
    let cs: Vec<char> = USCC_CHARSET.chars().collect();
    let mut out = vec!['0'; 7];
    for slot in out.iter_mut().rev() {
        *slot = cs[(n % 31) as usize];
        n /= 31;
    }
    format!("B{}", out.into_iter().collect::<String>())
}

fn org(i: u64, place: &str, is_street_level: bool) -> OrganizationData {
    let filed = is_street_level && i.is_multiple_of(3);
    let form = if filed {
        LegalForm::CommunityFiled
    } else {
        [
            LegalForm::SocialServiceInstitution,
            LegalForm::SocialGroup,
            LegalForm::SocialServiceInstitution,
            LegalForm::Foundation,
        ][(i % 4) as usize]
    };
    let domains = vec![
        ServiceDomain::ALL[(i % 13) as usize],
        ServiceDomain::ALL[((i / 13) % 13) as usize],
    ];
    let mut domains: Vec<_> = domains.into_iter().collect();
    domains.sort();
    domains.dedup();
    OrganizationData {
        name: format!("基准测试机构{i:07}"),
        legal_form: form,
        uscc: form
            .uscc_kind()
            .map(|k| Uscc::assemble('5', k, &place[..6], &body_for(i)).unwrap()),
        filing_number: filed.then(|| {
            FilingNumber::parse(&format!("{}-2015-{:04}", &place[..12], i % 9999 + 1)).unwrap()
        }),
        domains,
        jurisdiction: JurisdictionCode::parse(place).unwrap(),
        address: "某路1号".into(),
        founded_on: NaiveDate::from_ymd_opt(
            2000 + (i % 25) as i32,
            1 + (i % 12) as u32,
            1 + (i % 28) as u32,
        )
        .unwrap(),
        legal_representative: "张三".into(),
        contact_phone: None,
        staff_full_time: (i % 7) as u32,
        staff_part_time: (i % 5) as u32,
        volunteers: (i % 40) as u32,
        party_org: PartyOrg::None,
        party_members: 0,
        stage: Stage::ALL[(i % 4) as usize],
        grade: i.is_multiple_of(10).then_some(Grade::A3),
        grade_awarded_on: i
            .is_multiple_of(10)
            .then(|| NaiveDate::from_ymd_opt(2025, 1, 1).unwrap()),
        is_demo: false,
    }
}

async fn time<T>(label: &str, runs: u32, mut f: impl AsyncFnMut() -> T) -> T {
    let mut all = Vec::new();
    let mut out = None;
    for _ in 0..runs {
        let t = Instant::now();
        out = Some(f().await);
        all.push(t.elapsed().as_secs_f64() * 1000.0);
    }
    all.sort_by(f64::total_cmp);
    println!(
        "{label:<58} best {:>9.2} ms   median {:>9.2} ms   mean {:>9.2} ms   ({runs} runs)",
        all[0],
        all[all.len() / 2],
        all.iter().sum::<f64>() / f64::from(runs)
    );
    out.expect("runs > 0")
}

#[tokio::main]
async fn main() {
    let reuse = std::env::args().any(|a| a == "--reuse");
    let args: Vec<String> = std::env::args().filter(|a| a != "--reuse").collect();
    let n: u64 = args
        .get(1)
        .map(|s| s.parse().expect("ORGS is a number"))
        .unwrap_or(1_000_000);
    let url = args.get(2).cloned().unwrap_or_else(|| {
        let p = "/tmp/shuniu-bench.db";
        for suffix in ["", "-wal", "-shm"] {
            if !reuse {
                let _ = std::fs::remove_file(format!("{p}{suffix}"));
            }
        }
        format!("sqlite://{p}")
    });
    let store = Store::connect(&url).await.expect("connect");
    let t = Instant::now();
    store.migrate().await.expect("migrate");
    println!(
        "backend {} · {n} organizations{}",
        store.backend_name(),
        if reuse { " · reused database" } else { "" }
    );
    if reuse {
        println!(
            "{:<58} {:>9.1} s",
            "migrate (pending migrations of the reused database)",
            t.elapsed().as_secs_f64()
        );
        let province = store.jurisdiction("320000").await.unwrap().unwrap();
        let held = store.subtree_stats(&province).await.unwrap().organizations;
        assert_eq!(
            held as u64, n,
            "--reuse needs a database a previous run loaded with {n} organizations"
        );
    }

    // Synthetic streets and communities under every Nanjing district.
    let mut places: Vec<(String, bool)> = Vec::new();
    for d in store.jurisdiction_children("320100").await.unwrap() {
        let existing = store.jurisdiction_children(d.code.as_str()).await.unwrap();
        let mut streets = existing.clone();
        let missing = if reuse {
            0
        } else {
            10u32.saturating_sub(existing.len() as u32)
        };
        for s in 0..missing {
            let code = format!("{}{:03}000", d.code, 100 + s);
            let st = child_of(
                &d,
                JurisdictionCode::parse(&code).unwrap(),
                &format!("街道{code}"),
                &format!("Street {code}"),
            )
            .unwrap();
            store.add_jurisdiction(&st).await.unwrap();
            streets.push(st);
        }
        for st in &streets {
            places.push((st.code.to_string(), true));
            if reuse {
                for cm in store.jurisdiction_children(st.code.as_str()).await.unwrap() {
                    places.push((cm.code.to_string(), true));
                }
                continue;
            }
            for c in 1..=10u32 {
                let code = format!("{}{:03}", &st.code.as_str()[..9], c);
                let cm = child_of(
                    st,
                    JurisdictionCode::parse(&code).unwrap(),
                    &format!("社区{code}"),
                    &format!("Community {code}"),
                )
                .unwrap();
                store.add_jurisdiction(&cm).await.unwrap();
                places.push((code, true));
            }
        }
    }
    assert_eq!(
        places.iter().filter(|p| p.0.len() == 12).count(),
        places.len()
    );
    println!("{} streets and communities", places.len());

    let t = Instant::now();
    let batch = 5_000u64;
    let mut i = if reuse { n } else { 0 };
    // ids[k] is organization k, registered at places[k % places.len()].
    let mut ids: Vec<Uuid> = Vec::with_capacity(n as usize);
    while i < n {
        let items: Vec<_> = (i..(i + batch).min(n))
            .map(|k| {
                let (place, street) = &places[(k % places.len() as u64) as usize];
                org(k, place, *street)
            })
            .collect();
        let made = store
            .create_organizations(&items, "bench")
            .await
            .expect("insert batch");
        ids.extend(made.into_iter().map(|o| o.id));
        i += batch;
    }
    let secs = t.elapsed().as_secs_f64();
    if !reuse {
        println!(
            "{:<58} {:>9.1} s    ({:.0} orgs/s)",
            "insert (batches of 5,000, with domains, history, counters)",
            secs,
            n as f64 / secs
        );
    }

    let province = store.jurisdiction("320000").await.unwrap().unwrap();
    let xuanwu = store.jurisdiction("320102").await.unwrap().unwrap();
    let street = store
        .jurisdiction_children("320104")
        .await
        .unwrap()
        .remove(0);
    let stats = time("subtree_stats(province) — counters", 20, async || {
        store.subtree_stats(&province).await.unwrap()
    })
    .await;
    assert_eq!(stats.organizations as u64, n);
    time(
        "subtree_stats_under(province) — whole tree for home page",
        20,
        async || store.subtree_stats_under(&province).await.unwrap().len(),
    )
    .await;
    time("jurisdiction_subtree(province, street)", 20, async || {
        store
            .jurisdiction_subtree(&province, Level::Street)
            .await
            .unwrap()
            .len()
    })
    .await;
    let list = |f: OrgFilter, page: u32| {
        let store = store.clone();
        async move { store.list_organizations(&f, page, 20).await.unwrap().total }
    };
    time("list: all, page 1 by name (with total)", 10, async || {
        list(OrgFilter::default(), 1).await
    })
    .await;
    time("list: district subtree, page 1 by name", 10, async || {
        list(
            OrgFilter {
                jurisdiction: Some(xuanwu.code.to_string()),
                ..Default::default()
            },
            1,
        )
        .await
    })
    .await;
    time("list: one street, page 1", 10, async || {
        list(
            OrgFilter {
                jurisdiction: Some(street.code.to_string()),
                ..Default::default()
            },
            1,
        )
        .await
    })
    .await;
    time("list: district + domain elderly", 10, async || {
        list(
            OrgFilter {
                jurisdiction: Some(xuanwu.code.to_string()),
                domain: Some(ServiceDomain::Elderly),
                ..Default::default()
            },
            1,
        )
        .await
    })
    .await;
    time(
        "list: province + grade 3A, newest founded first",
        10,
        async || {
            list(
                OrgFilter {
                    grade: Some(Grade::A3),
                    sort: OrgSort::FoundedDesc,
                    ..Default::default()
                },
                1,
            )
            .await
        },
    )
    .await;
    time("list: district, name search \"00123\"", 10, async || {
        list(
            OrgFilter {
                jurisdiction: Some(xuanwu.code.to_string()),
                q: Some("00123".into()),
                ..Default::default()
            },
            1,
        )
        .await
    })
    .await;
    time("list: exact USCC lookup via q", 10, async || {
        let code = Uscc::assemble('5', '2', "320102", &body_for(2))
            .map(|u| u.to_string())
            .unwrap_or_default();
        list(
            OrgFilter {
                q: Some(code),
                ..Default::default()
            },
            1,
        )
        .await
    })
    .await;
    time("list: district, page 200", 10, async || {
        list(
            OrgFilter {
                jurisdiction: Some(xuanwu.code.to_string()),
                ..Default::default()
            },
            200,
        )
        .await
    })
    .await;
    let some = store
        .list_organizations(&OrgFilter::default(), 1, 1)
        .await
        .unwrap()
        .items
        .remove(0);
    time("organization(id)", 50, async || {
        store.organization(some.id).await.unwrap().is_some()
    })
    .await;
    time("organization_history(id)", 50, async || {
        store.organization_history(some.id).await.unwrap().len()
    })
    .await;
    let mut d = some.data.clone();
    time(
        "update_organization (edit, history, counters)",
        50,
        async || {
            d.volunteers += 1;
            store
                .update_organization(some.id, &d, "bench")
                .await
                .unwrap()
                .data
                .volunteers
        },
    )
    .await;
    let (setup, writes) = if reuse {
        (found(&store, &places).await, None)
    } else {
        let w = hubs_parks_party(&store, n, &places, &ids).await;
        (w.setup.clone(), Some(w))
    };
    reads(&store, n, &setup, writes.as_ref()).await;
}

/// What the reads need from the hubs, parks and party set-up.
#[derive(Clone)]
struct Setup {
    /// The first street: its hub runs the venue.
    street0: String,
    street0_org: Uuid,
    street_hub: Uuid,
    /// Industry hub 0, the one with the most members.
    big_hub: Uuid,
    rooms: Vec<Uuid>,
}

/// What the timed writes at the end need (a fresh load only).
struct Loaded {
    setup: Setup,
    places: Vec<(String, bool)>,
    ids: Vec<Uuid>,
    hub_orgs: HashSet<usize>,
    regional: HashMap<String, Uuid>,
    industry: Vec<Uuid>,
    streets: Vec<(String, usize)>,
}

/// The set-up of a previous run, found again in a reused database.
async fn found(store: &Store, places: &[(String, bool)]) -> Setup {
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
async fn hubs_parks_party(
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

/// Issue 4's reads, then (after a fresh load) the timed writes that cannot repeat.
async fn reads(store: &Store, n: u64, setup: &Setup, loaded: Option<&Loaded>) {
    let Setup {
        street0,
        street0_org,
        street_hub,
        big_hub,
        rooms,
    } = setup;
    let day = NaiveDate::from_ymd_opt(2026, 1, 15).unwrap();
    let start0 = Utc.with_ymd_and_hms(2026, 1, 1, 0, 0, 0).unwrap();
    let province = store.jurisdiction("320000").await.unwrap().unwrap();
    let city = store.jurisdiction("320100").await.unwrap().unwrap();
    let district = store.jurisdiction(&street0[..6]).await.unwrap().unwrap();
    let dist = CoverageScope::Subtree(district.path.clone());
    let prov = CoverageScope::Subtree(province.path.clone());
    let cov = time("party_coverage(district)", 10, async || {
        store.party_coverage(&dist).await.unwrap()
    })
    .await;
    assert!(cov.organizations.total > 0);
    time("hub_coverage(district)", 10, async || {
        store.hub_coverage(&dist).await.unwrap()
    })
    .await;
    let cov = time("party_coverage(province)", 5, async || {
        store.party_coverage(&prov).await.unwrap()
    })
    .await;
    assert_eq!(cov.organizations.total as u64, n);
    let hc = time("hub_coverage(province)", 5, async || {
        store.hub_coverage(&prov).await.unwrap()
    })
    .await;
    println!(
        "    province: party org {}/{}, regional hub {}, industry hub {}",
        cov.organizations.covered,
        cov.organizations.total,
        hc.regional.covered,
        hc.industry.covered
    );
    time(
        "coverage_by_child(district) — its streets",
        10,
        async || store.coverage_by_child(&district).await.unwrap().len(),
    )
    .await;
    time("coverage_by_child(city) — its districts", 5, async || {
        store.coverage_by_child(&city).await.unwrap().len()
    })
    .await;
    for (label, scope, gap, page) in [
        (
            "uncovered(district, party_work), page 1",
            &dist,
            Gap::PartyWork,
            1,
        ),
        (
            "uncovered(district, party_work), page 50",
            &dist,
            Gap::PartyWork,
            50,
        ),
        (
            "uncovered(district, regional_hub), page 1",
            &dist,
            Gap::RegionalHub,
            1,
        ),
        (
            "uncovered(province, regional_hub), page 1",
            &prov,
            Gap::RegionalHub,
            1,
        ),
        (
            "uncovered(province, regional_hub), page 50",
            &prov,
            Gap::RegionalHub,
            50,
        ),
        (
            "uncovered(province, party_organization), page 1",
            &prov,
            Gap::PartyOrganization,
            1,
        ),
    ] {
        time(label, 5, async || {
            store.uncovered(scope, gap, page, 20).await.unwrap().total
        })
        .await;
    }
    let big = store.hub(*big_hub).await.unwrap().unwrap();
    let hub_scope = CoverageScope::Hub(big.id);
    let hc = time(
        &format!("party_coverage(hub with {} members)", big.member_count),
        10,
        async || store.party_coverage(&hub_scope).await.unwrap(),
    )
    .await;
    assert_eq!(hc.organizations.total, big.member_count);
    time("hub_coverage(same hub)", 10, async || {
        store.hub_coverage(&hub_scope).await.unwrap()
    })
    .await;
    time("uncovered(same hub, party_work), page 1", 10, async || {
        store
            .uncovered(&hub_scope, Gap::PartyWork, 1, 20)
            .await
            .unwrap()
            .total
    })
    .await;
    let ds = time("district_structure(district)", 10, async || {
        store
            .district_structure(district.code.as_str())
            .await
            .unwrap()
            .unwrap()
    })
    .await;
    assert!(ds.streets.iter().all(|s| s.hub.is_some()));
    let ss = time("street_structure(street with hub, venue)", 10, async || {
        store.street_structure(street0).await.unwrap().unwrap()
    })
    .await;
    assert!(ss.hub.is_some() && !ss.venues.is_empty());
    time(
        &format!("hub_members(big hub), page 1 of {}", big.member_count),
        10,
        async || {
            store
                .hub_members(big.id, None, 1, 20)
                .await
                .unwrap()
                .items
                .len()
        },
    )
    .await;
    let late = u32::try_from(big.member_count / 20).unwrap().max(1);
    time(
        &format!("hub_members(big hub), page {late}"),
        10,
        async || {
            store
                .hub_members(big.id, None, late, 20)
                .await
                .unwrap()
                .items
                .len()
        },
    )
    .await;
    time("hub_members(street hub, active), page 1", 10, async || {
        store
            .hub_members(*street_hub, Some(MembershipStatus::Active), 1, 20)
            .await
            .unwrap()
            .total
    })
    .await;
    time("list_hubs(all), page 1", 10, async || {
        store
            .list_hubs(&HubFilter::default(), 1, 20)
            .await
            .unwrap()
            .total
    })
    .await;
    time("list_hubs(district, industry), page 1", 10, async || {
        store
            .list_hubs(
                &HubFilter {
                    path_prefix: Some(district.path.clone()),
                    kind: Some(HubKind::Industry),
                    include_revoked: false,
                },
                1,
                20,
            )
            .await
            .unwrap()
            .total
    })
    .await;
    time(
        "memberships_of(street hub's organization)",
        20,
        async || store.memberships_of(*street0_org).await.unwrap().len(),
    )
    .await;
    let week_from = start0 + Duration::days(60);
    let got = time("bookings_between(room, one week)", 20, async || {
        store
            .bookings_between(rooms[0], week_from, week_from + Duration::days(7))
            .await
            .unwrap()
            .len()
    })
    .await;
    assert_eq!(got, 28);
    time("instructors(district), page 1", 10, async || {
        store
            .instructors(&district.path, 1, 20)
            .await
            .unwrap()
            .items
            .len()
    })
    .await;
    let Some(Loaded {
        places,
        ids,
        hub_orgs,
        regional,
        industry,
        streets,
        ..
    }) = loaded
    else {
        println!("(reused database: the writes that cannot repeat are left out)");
        return;
    };
    let p = places.len();
    let street_of = |code: &str| format!("{}000", &code[..9]);
    let request = |day: i64, hour: i64| BookingRequest {
        starts_at: start0 + Duration::days(day) + Duration::hours(hour),
        ends_at: start0 + Duration::days(day) + Duration::hours(hour) + Duration::minutes(90),
        purpose: "活动".into(),
        attendees: 20,
    };
    let mut next = 0i64;
    time(
        "book_space (one more, 90 min on a 30-min grid)",
        20,
        async || {
            next += 1;
            store
                .book_space(
                    rooms[1],
                    ids[next as usize],
                    &request(400 + next, 1),
                    30,
                    "bench",
                )
                .await
                .unwrap()
                .number
        },
    )
    .await;
    let mut k = p + 1000;
    time("add_member (one more, regional)", 20, async || {
        k += 5;
        while hub_orgs.contains(&k) || k % 5 == 1 {
            k += 1;
        }
        let hub = regional[&street_of(&places[k % p].0)];
        store
            .add_member(hub, ids[k], false, day, "bench")
            .await
            .unwrap()
            .status
    })
    .await;
    // Revocations end every live membership and clear the members' counters: one run each.
    let (last_street, _) = streets.last().unwrap().clone();
    let last = regional[&last_street];
    time(
        "revoke_hub(street hub, members' counters cleared)",
        1,
        async || {
            store
                .revoke_hub(last, "bench", day, "bench")
                .await
                .unwrap()
                .member_count
        },
    )
    .await;
    time("revoke_hub(industry hub)", 1, async || {
        store
            .revoke_hub(industry[19], "bench", day, "bench")
            .await
            .unwrap()
            .member_count
    })
    .await;
}
