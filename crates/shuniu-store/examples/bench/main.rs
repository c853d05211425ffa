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

use std::time::Instant;

use chrono::NaiveDate;
use shuniu_domain::codes::uscc::USCC_CHARSET;
use shuniu_domain::codes::{FilingNumber, Uscc};
use shuniu_domain::jurisdiction::{JurisdictionCode, Level, child_of};
use shuniu_domain::registry::{Grade, LegalForm, OrganizationData, PartyOrg, ServiceDomain, Stage};
use shuniu_store::{OrgFilter, OrgSort, Store};
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

mod reads;
mod setup;

use reads::reads;
use setup::{Loaded, Setup, found, hubs_parks_party};
