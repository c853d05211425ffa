//! The structure views: 一核两轴 of a district, 1+1+X of a street.

use super::*;

/// Inserts a venue the way the parks store would (it is not ours to call here).
pub(super) async fn venue(store: &Store, name: &str, street: &str, hub: Option<Uuid>) {
    let id = Uuid::now_v7();
    let lit = |u: Uuid| shuniu_store::testing::uuid_literal(store, u);
    let hub = hub.map(lit).unwrap_or_else(|| "NULL".into());
    let path = format!("{XUANWU_PATH}{street}/");
    let t = if store.dialect() == shuniu_store::Dialect::Postgres {
        "TRUE"
    } else {
        "1"
    };
    let sql = format!(
        "INSERT INTO venues (id, shard_key, hub_id, name, address, jurisdiction_code, jurisdiction_path, area_m2, \
         owner, free_of_charge, terms, utilities_waived, obligation, obligation_hours_per_quarter, created_at, updated_at) \
         VALUES ({}, '{XUANWU}', {hub}, '{name}', '梅园新村34号', '{street}', '{path}', 400, '街道办事处', {t}, '无偿使用', {t}, \
         '服务本地居民', 120, '2026-11-30T00:00:00Z', '2026-11-30T00:00:00Z')",
        lit(id)
    );
    store.execute_raw_for_tests(&sql).await.unwrap();
}

both_backends!(district_and_street_structure, |store: Store| async move {
    store
        .set_hub_core(
            &HubCore {
                jurisdiction: JurisdictionCode::parse(XUANWU).unwrap(),
                name_zh: "玄武区社会组织党建工作委员会".into(),
                name_en: "Xuanwu Social Organization Party Committee".into(),
            },
            ctx(),
        )
        .await
        .unwrap();
    assert_eq!(
        invalid_field(
            store
                .set_hub_core(
                    &HubCore {
                        jurisdiction: JurisdictionCode::parse(MEIYUAN).unwrap(),
                        name_zh: "x".into(),
                        name_en: "x".into(),
                    },
                    ctx(),
                )
                .await
        ),
        "jurisdiction"
    );
    let meiyuan_hub = store
        .recognize_hub(org(&store, 1, MEIYUAN).await, &regional(MEIYUAN), ctx())
        .await
        .unwrap();
    let suojin_hub = store
        .recognize_hub(org(&store, 2, SUOJIN).await, &regional(SUOJIN), ctx())
        .await
        .unwrap();
    let district_ind = store
        .recognize_hub(
            org(&store, 3, XUANWU).await,
            &industry(XUANWU, "区残联"),
            ctx(),
        )
        .await
        .unwrap();
    let city_ind = store
        .recognize_hub(
            org(&store, 4, NANJING).await,
            &industry(NANJING, "市总工会"),
            ctx(),
        )
        .await
        .unwrap();
    // Another district's industry hub is not on Xuanwu's vertical axis.
    store
        .recognize_hub(
            org(&store, 5, QINHUAI).await,
            &industry(QINHUAI, "秦淮区妇联"),
            ctx(),
        )
        .await
        .unwrap();
    let members: Vec<Uuid> = {
        let mut v = Vec::new();
        for n in 0..3 {
            v.push(org(&store, 20 + n, MEIYUAN).await);
        }
        v
    };
    store
        .add_member(meiyuan_hub.id, members[2], false, today(), ctx())
        .await
        .unwrap();
    store
        .add_member(meiyuan_hub.id, members[0], false, today(), ctx())
        .await
        .unwrap();
    store
        .add_member(meiyuan_hub.id, members[1], true, today(), ctx())
        .await
        .unwrap();
    org(&store, 30, XINJIEKOU).await;

    let d = store.district_structure(XUANWU).await.unwrap().unwrap();
    assert_eq!(
        d.core.as_ref().unwrap().name_zh,
        "玄武区社会组织党建工作委员会"
    );
    assert_eq!(d.streets.len(), 7);
    assert_eq!(d.streets[0].street.code.as_str(), MEIYUAN);
    assert_eq!(d.streets[0].hub.as_ref().unwrap().id, meiyuan_hub.id);
    assert_eq!(d.streets[0].hub.as_ref().unwrap().member_count, 3);
    // Meiyuan: the hub's organization and three members.
    assert_eq!(d.streets[0].organizations, 4);
    assert_eq!(d.streets[1].organizations, 1);
    assert!(d.streets[1].hub.is_none());
    let suojin = d
        .streets
        .iter()
        .find(|s| s.street.code.as_str() == SUOJIN)
        .unwrap();
    assert_eq!(suojin.hub.as_ref().unwrap().id, suojin_hub.id);
    assert!(d.district_hubs.is_empty());
    let mut industry_ids: Vec<Uuid> = d.industry.iter().map(|h| h.id).collect();
    industry_ids.sort();
    let mut expected = vec![district_ind.id, city_ind.id];
    expected.sort();
    assert_eq!(industry_ids, expected);
    // Two street hubs' organizations, the district's industry hub, 3 members, Xinjiekou's one.
    assert_eq!(d.organizations, 7);
    assert!(store.district_structure(MEIYUAN).await.unwrap().is_none());
    assert!(store.district_structure("320199").await.unwrap().is_none());

    venue(&store, "社区活动室", MEIYUAN, None).await;
    venue(&store, "梅园新村34号", MEIYUAN, Some(meiyuan_hub.id)).await;
    venue(&store, "锁金村工作站", SUOJIN, Some(suojin_hub.id)).await;
    let s = store.street_structure(MEIYUAN).await.unwrap().unwrap();
    assert_eq!(s.hub.as_ref().unwrap().id, meiyuan_hub.id);
    assert_eq!(
        s.venues
            .iter()
            .map(|v| v.data.name.as_str())
            .collect::<Vec<_>>(),
        vec!["梅园新村34号", "社区活动室"]
    );
    assert_eq!(
        s.venues[0].hub_organization_id,
        Some(meiyuan_hub.organization_id)
    );
    assert_eq!(s.venues[0].data.area_m2, 400);
    // Initiating units first, then by name.
    assert_eq!(
        s.members
            .iter()
            .map(|m| m.organization_id)
            .collect::<Vec<_>>(),
        vec![members[1], members[0], members[2]]
    );
    assert_eq!(s.organizations, 4);
    let x = store.street_structure(XINJIEKOU).await.unwrap().unwrap();
    assert!(x.hub.is_none() && x.members.is_empty() && x.venues.is_empty());
    assert_eq!(x.organizations, 1);
    assert!(store.street_structure(XUANWU).await.unwrap().is_none());
    assert_eq!(audit_count(&store, "hub.core").await, 1);
});
