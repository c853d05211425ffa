//! Places residents know, on both engines: names indexed by their character bigrams
//! (a fragment of two or more characters is a lookup of its grams, one character a
//! prefix range), community names matched the same way, and the public service list
//! sorted nearest-first (same community, same street, the rest of the district) in
//! the database.

use shuniu_domain::jurisdiction::{Jurisdiction, JurisdictionCode, Level};
use shuniu_domain::places::{Nearness, PlaceNameKind};
use shuniu_domain::services::ServiceDraft;
use shuniu_store::services::ServiceFilter;
use shuniu_store::{After, Store, both_backends};

use crate::supervision_support::*;
use crate::walk::chunk_keys;

const MEIYUAN_PATH: &str = "320000/320100/320102/320102002000/";
const XINJIEKOU: &str = "320102003000";

/// Adds community `code` named `name` under street `street`.
async fn community(store: &Store, street: &str, code: &str, name: &str) -> Jurisdiction {
    let parent = store.jurisdiction(street).await.unwrap().unwrap();
    let j = Jurisdiction {
        path: format!("{}{code}/", parent.path),
        parent: Some(parent.code.clone()),
        code: JurisdictionCode::parse(code).unwrap(),
        name_zh: format!("{name}社区"),
        name_en: format!("{name} Community"),
        level: Level::Community,
    };
    store.add_jurisdiction(&j).await.unwrap();
    j
}

/// Two communities of Meiyuan street and one of Xinjiekou, with their places.
async fn places(store: &Store) -> (Jurisdiction, Jurisdiction, Jurisdiction) {
    let meiyuan = community(store, MEIYUAN, "320102002001", "梅园新村").await;
    let dabei = community(store, MEIYUAN, "320102002002", "大悲巷").await;
    let gu = community(store, XINJIEKOU, "320102003002", "估衣廊").await;
    let n = |j: &Jurisdiction, name: &str, kind| (j.code.to_string(), name.to_string(), kind);
    let names = vec![
        n(&meiyuan, "梅园新村", PlaceNameKind::Compound),
        n(&meiyuan, "汉府新村", PlaceNameKind::Compound),
        n(&dabei, "长江路", PlaceNameKind::Road),
        n(&dabei, "总统府", PlaceNameKind::Landmark),
        n(&gu, "珠江路", PlaceNameKind::Road),
        n(&meiyuan, "珠江路", PlaceNameKind::Road),
    ];
    assert_eq!(store.add_place_names(&names).await.unwrap(), 6);
    // Adding again adds nothing.
    assert_eq!(store.add_place_names(&names).await.unwrap(), 0);
    let xuanwu = store.jurisdiction("320102").await.unwrap().unwrap();
    assert_eq!(store.index_community_names(&xuanwu).await.unwrap(), 3);
    assert_eq!(store.index_community_names(&xuanwu).await.unwrap(), 0);
    (meiyuan, dabei, gu)
}

both_backends!(
    fragments_find_places_by_their_bigrams,
    |store: Store| async move {
        let (meiyuan, dabei, gu) = places(&store).await;
        // A name of n characters has n-1 grams (distinct), each in the index.
        assert_eq!(store.place_gram_count("汉府新村").await.unwrap(), 3);
        assert_eq!(store.place_gram_count("梅园新村社区").await.unwrap(), 5);

        // A road: its community, street and district.
        let hits = store.find_places("长江路", 10).await.unwrap();
        assert_eq!(hits.len(), 1);
        let h = &hits[0];
        assert_eq!(h.name, "长江路");
        assert_eq!(h.kind, PlaceNameKind::Road);
        assert_eq!(h.community.as_ref().unwrap().code, dabei.code);
        assert_eq!(h.street.as_ref().unwrap().name_zh, "梅园新村街道");
        assert_eq!(h.district.as_ref().unwrap().code.as_str(), "320102");

        // Two characters; the road passes two communities: both, in tree order.
        let hits = store.find_places("珠江", 10).await.unwrap();
        let codes: Vec<_> = hits
            .iter()
            .map(|h| h.community.as_ref().unwrap().code.clone())
            .collect();
        assert_eq!(codes, vec![meiyuan.code.clone(), gu.code.clone()]);

        // A compound, and the community's own name: one answer per community.
        let hits = store.find_places("梅园新村", 10).await.unwrap();
        assert_eq!(hits.len(), 1);
        assert_eq!(hits[0].community.as_ref().unwrap().code, meiyuan.code);
        let hits = store.find_places("汉府", 10).await.unwrap();
        assert_eq!(hits[0].kind, PlaceNameKind::Compound);
        let hits = store.find_places("大悲巷社区", 10).await.unwrap();
        assert_eq!(hits[0].kind, PlaceNameKind::Community);

        // All grams present, the fragment not: no answer (新村 and 梅园 apart).
        assert!(store.find_places("新村梅园", 10).await.unwrap().is_empty());
        // Unknown; one character is a prefix.
        assert!(store.find_places("火星路", 10).await.unwrap().is_empty());
        let hits = store.find_places("总", 10).await.unwrap();
        assert_eq!(hits.len(), 1);
        assert_eq!(hits[0].name, "总统府");
        assert!(store.find_places("府", 10).await.unwrap().is_empty());
        // The limit holds.
        assert_eq!(store.find_places("珠江路", 1).await.unwrap().len(), 1);
    }
);

both_backends!(services_sort_nearest_first, |store: Store| async move {
    let (meiyuan, dabei, gu) = places(&store).await;
    let org = org(&store, 80).await;
    let add = |name: &'static str, at: String| {
        let store = store.clone();
        async move {
            let d = ServiceDraft {
                name: Some(name.into()),
                category: Some("elderly".into()),
                target_group: Some("辖区居民".into()),
                place_kind: Some("community".into()),
                jurisdiction: Some(at),
                schedule: Some("每周三".into()),
                fee: Some("0".into()),
                ..Default::default()
            }
            .validate()
            .unwrap();
            store.create_service(org.id, &d, member()).await.unwrap();
        }
    };
    // Names sort the other way round from nearness.
    add("甲 估衣廊", gu.code.to_string()).await;
    add("乙 大悲巷", dabei.code.to_string()).await;
    add("丙 梅园新村", meiyuan.code.to_string()).await;
    add("丁 梅园新村街道", MEIYUAN.to_string()).await;
    add("戊 鼓楼", "320106".to_string()).await;

    let f = ServiceFilter {
        near: Some(meiyuan.path.clone()),
        page: 1,
        per_page: 3,
        ..Default::default()
    };
    let p = public_page(&store, &f).await;
    // Kept to the district: the Gulou service is not counted.
    assert_eq!(p.total, 4);
    let got: Vec<_> = p
        .items
        .iter()
        .map(|l| (l.service.data.name.as_str(), l.nearness))
        .collect();
    assert_eq!(
        got,
        vec![
            ("丙 梅园新村", Some(Nearness::SameCommunity)),
            ("丁 梅园新村街道", Some(Nearness::SameStreet)),
            ("乙 大悲巷", Some(Nearness::SameStreet)),
        ]
    );
    let p2 = public_page(
        &store,
        &ServiceFilter {
            page: 2,
            ..f.clone()
        },
    )
    .await;
    assert_eq!(p2.items.len(), 1);
    assert_eq!(p2.items[0].nearness, Some(Nearness::SameDistrict));
    // With a category filter too, the counts bind what they use.
    let p3 = public_page(
        &store,
        &ServiceFilter {
            category: Some(shuniu_domain::registry::ServiceDomain::Elderly),
            ..f.clone()
        },
    )
    .await;
    assert_eq!(p3.total, 4);
    // Without a community: no nearness, every place.
    let all = public_page(
        &store,
        &ServiceFilter {
            page: 1,
            per_page: 10,
            ..Default::default()
        },
    )
    .await;
    assert_eq!(all.total, 5);
    assert!(all.items.iter().all(|l| l.nearness.is_none()));
    // A download walks the list in the same order (nearest first, or by place), in
    // chunks of any size, every service once.
    for f in [
        ServiceFilter {
            per_page: 200,
            ..f.clone()
        },
        ServiceFilter {
            page: 1,
            per_page: 200,
            ..Default::default()
        },
    ] {
        let expected: Vec<_> = public_page(&store, &f)
            .await
            .items
            .iter()
            .map(|l| l.service.id)
            .collect();
        for limit in [1, 2, 500] {
            let chunk = async |after: Option<After>| {
                store
                    .public_services_chunk(&f, after.as_ref(), limit)
                    .await
                    .unwrap()
            };
            let got = chunk_keys(chunk, |l| l.service.id).await;
            assert_eq!(got, expected, "{:?} by {limit}", f.near);
        }
    }
    let _ = MEIYUAN_PATH;
});
