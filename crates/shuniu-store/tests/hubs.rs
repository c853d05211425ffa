//! Hubs and memberships: the same stories on SQLite and PostgreSQL.

use chrono::NaiveDate;
use shuniu_domain::codes::Uscc;
use shuniu_domain::hubs::{
    HubCore, HubKind, HubStatus, MembershipDecision, MembershipStatus, Recognition,
    RecognitionDraft,
};
use shuniu_domain::jurisdiction::{JurisdictionCode, Level};
use shuniu_domain::registry::{OrganizationData, OrganizationDraft};
use shuniu_store::{AuditFilter, HubFilter, Store, StoreError, WriteCtx, both_backends};
use uuid::Uuid;

const JIANGSU: &str = "320000";
const NANJING: &str = "320100";
const XUANWU: &str = "320102";
const QINHUAI: &str = "320104";
const MEIYUAN: &str = "320102002000";
const XINJIEKOU: &str = "320102003000";
const SUOJIN: &str = "320102007000";
const XUANWU_PATH: &str = "320000/320100/320102/";

fn today() -> NaiveDate {
    NaiveDate::from_ymd_opt(2026, 11, 30).unwrap()
}

fn ctx() -> WriteCtx {
    WriteCtx::new("official", "official", "10.0.0.9")
}

fn org_data(n: u32, name: &str, jurisdiction: &str) -> OrganizationData {
    OrganizationDraft {
        name: Some(name.into()),
        legal_form: Some("social_group".into()),
        uscc: Some(
            Uscc::assemble('5', '1', "320102", &format!("HB{n:06}"))
                .unwrap()
                .to_string(),
        ),
        domains: Some(vec!["public_welfare".into()]),
        jurisdiction: Some(jurisdiction.into()),
        address: Some("梅园新村34号".into()),
        founded_on: Some("2011-12-20".into()),
        legal_representative: Some("王芳".into()),
        stage: Some("growth".into()),
        ..Default::default()
    }
    .validate(today())
    .unwrap()
}

async fn org(store: &Store, n: u32, jurisdiction: &str) -> Uuid {
    store
        .create_organization(
            &org_data(n, &format!("枢纽测试组织{n:02}"), jurisdiction),
            ctx(),
        )
        .await
        .unwrap()
        .id
}

fn level_of(code: &str) -> Level {
    match code {
        JIANGSU => Level::Province,
        c if c.len() == 12 => Level::Street,
        c if c.ends_with("0000") => Level::Province,
        c if c.ends_with("00") => Level::City,
        _ => Level::District,
    }
}

fn regional(code: &str) -> Recognition {
    let level = level_of(code);
    RecognitionDraft {
        kind: Some("regional".into()),
        level: Some(level.as_str().into()),
        jurisdiction: Some(code.into()),
        recognizing_body: Some("玄武区民政局".into()),
        document_number: Some(format!("玄民〔2012〕{code}号")),
        recognized_on: Some("2012-03-01".into()),
        functions: vec!["cultivation".into(), "centralized_services".into()],
        ..Default::default()
    }
    .validate(today(), Some(level))
    .unwrap()
}

fn industry(code: &str, base_body: &str) -> Recognition {
    let level = level_of(code);
    RecognitionDraft {
        kind: Some("industry".into()),
        level: Some(level.as_str().into()),
        jurisdiction: Some(code.into()),
        base_body: Some(base_body.into()),
        fields: vec!["disability".into()],
        recognizing_body: Some("玄武区民政局".into()),
        document_number: Some(format!("玄民〔2013〕{base_body}号")),
        recognized_on: Some("2013-05-01".into()),
        functions: vec!["political_guidance".into()],
    }
    .validate(today(), Some(level))
    .unwrap()
}

fn decision(action: &str, reason: Option<&str>) -> MembershipDecision {
    MembershipDecision::parse(Some(action), reason).unwrap()
}

/// The field an `Invalid` error names (panics on any other outcome).
fn invalid_field<T: std::fmt::Debug>(r: Result<T, StoreError>) -> String {
    match r {
        Err(StoreError::Invalid(e)) => {
            assert_eq!(e.0.len(), 1, "one field expected: {e}");
            e.0.keys().next().unwrap().clone()
        }
        other => panic!("expected Invalid, got {other:?}"),
    }
}

/// (member_count of the hub, regional hub of the organization, its industry hub count)
async fn counters(store: &Store, hub: Uuid, org: Uuid) -> (i64, Option<Uuid>, i64) {
    let h = store.hub(hub).await.unwrap().unwrap();
    let (regional, industry) = store.hub_coverage_counters(org).await.unwrap().unwrap();
    (h.member_count, regional, industry)
}

async fn consistent(store: &Store) {
    let bad = store.hub_counter_mismatches().await.unwrap();
    assert!(bad.is_empty(), "counters drifted: {bad:?}");
}

async fn audit_count(store: &Store, action: &str) -> i64 {
    store
        .audit_page(
            &AuditFilter {
                action: Some(action.into()),
                ..Default::default()
            },
            1,
            1,
        )
        .await
        .unwrap()
        .total
}

both_backends!(recognize_list_and_revoke, |store: Store| async move {
    let a = org(&store, 1, MEIYUAN).await;
    let b = org(&store, 2, XUANWU).await;
    let hub = store
        .recognize_hub(a, &regional(MEIYUAN), ctx())
        .await
        .unwrap();
    assert_eq!(hub.status, HubStatus::Recognized);
    assert_eq!(hub.organization_name, "枢纽测试组织01");
    assert_eq!(
        hub.jurisdiction_path,
        format!("{XUANWU_PATH}{MEIYUAN}/").as_str()
    );
    assert_eq!(store.hub(hub.id).await.unwrap().unwrap(), hub);
    assert_eq!(store.hub_of_organization(a).await.unwrap().unwrap(), hub);
    assert!(store.hub_of_organization(b).await.unwrap().is_none());
    let ind = store
        .recognize_hub(b, &industry(XUANWU, "玄武区残疾人联合会"), ctx())
        .await
        .unwrap();
    assert_eq!(ind.recognition.kind, HubKind::Industry);

    // Regional first, then industry; filters by subtree and kind.
    let all = store
        .list_hubs(
            &HubFilter {
                path_prefix: Some(XUANWU_PATH.into()),
                ..Default::default()
            },
            1,
            20,
        )
        .await
        .unwrap();
    assert_eq!(all.total, 2);
    assert_eq!(
        all.items.iter().map(|h| h.id).collect::<Vec<_>>(),
        vec![hub.id, ind.id]
    );
    let paged = store.list_hubs(&HubFilter::default(), 2, 1).await.unwrap();
    assert_eq!((paged.total, paged.items.len()), (2, 1));
    assert_eq!(paged.items[0].id, ind.id);
    let only_industry = store
        .list_hubs(
            &HubFilter {
                kind: Some(HubKind::Industry),
                ..Default::default()
            },
            1,
            20,
        )
        .await
        .unwrap();
    assert_eq!(only_industry.items.len(), 1);
    assert_eq!(only_industry.items[0].id, ind.id);
    let elsewhere = store
        .list_hubs(
            &HubFilter {
                path_prefix: Some(format!("320000/320100/{QINHUAI}/")),
                ..Default::default()
            },
            1,
            20,
        )
        .await
        .unwrap();
    assert_eq!(elsewhere.total, 0);

    let revoked = store
        .revoke_hub(hub.id, "重组", today(), ctx())
        .await
        .unwrap();
    assert_eq!(revoked.status, HubStatus::Revoked);
    assert_eq!(revoked.revoked_on, Some(today()));
    assert_eq!(store.hub(hub.id).await.unwrap().unwrap(), revoked);
    assert!(store.hub_of_organization(a).await.unwrap().is_none());
    let standing = store.list_hubs(&HubFilter::default(), 1, 20).await.unwrap();
    assert_eq!(standing.total, 1);
    let history = store
        .list_hubs(
            &HubFilter {
                include_revoked: true,
                ..Default::default()
            },
            1,
            20,
        )
        .await
        .unwrap();
    assert_eq!(history.total, 2);
    assert!(matches!(
        store.revoke_hub(hub.id, "again", today(), ctx()).await,
        Err(StoreError::State(_))
    ));
    // The street's place is free again, and the organization may be recognized anew.
    let again = store
        .recognize_hub(a, &regional(MEIYUAN), ctx())
        .await
        .unwrap();
    assert_ne!(again.id, hub.id);

    assert_eq!(audit_count(&store, "hub.recognize").await, 3);
    assert_eq!(audit_count(&store, "hub.revoke").await, 1);
    let v = store.audit_verify().await.unwrap();
    assert!(v.first_break.is_none());
    assert_eq!(v.verified, 2 + 3 + 1);
});

both_backends!(one_regional_hub_per_street, |store: Store| async move {
    let a = org(&store, 1, MEIYUAN).await;
    let b = org(&store, 2, MEIYUAN).await;
    store
        .recognize_hub(a, &regional(MEIYUAN), ctx())
        .await
        .unwrap();
    assert_eq!(
        invalid_field(store.recognize_hub(b, &regional(MEIYUAN), ctx()).await),
        "jurisdiction"
    );
    // An organization holds one standing recognition.
    assert_eq!(
        invalid_field(
            store
                .recognize_hub(a, &industry(XUANWU, "团区委"), ctx())
                .await
        ),
        "organization_id"
    );
    // B may still be an industry hub.
    store
        .recognize_hub(b, &industry(XUANWU, "团区委"), ctx())
        .await
        .unwrap();
    assert!(matches!(
        store
            .recognize_hub(Uuid::now_v7(), &regional(SUOJIN), ctx())
            .await,
        Err(StoreError::NotFound)
    ));
    let mut unknown = regional(SUOJIN);
    unknown.jurisdiction = JurisdictionCode::parse("320102099000").unwrap();
    let c = org(&store, 3, SUOJIN).await;
    assert_eq!(
        invalid_field(store.recognize_hub(c, &unknown, ctx()).await),
        "jurisdiction"
    );
    assert_eq!(audit_count(&store, "hub.recognize").await, 2);
});

both_backends!(
    regional_hub_organization_lies_in_its_jurisdiction,
    |store: Store| async move {
        let suojin_org = org(&store, 1, SUOJIN).await;
        assert_eq!(
            invalid_field(
                store
                    .recognize_hub(suojin_org, &regional(MEIYUAN), ctx())
                    .await
            ),
            "organization_id"
        );
        // A district-level regional hub may be held by an organization of one of its streets.
        let meiyuan_org = org(&store, 2, MEIYUAN).await;
        let hub = store
            .recognize_hub(meiyuan_org, &regional(XUANWU), ctx())
            .await
            .unwrap();
        assert_eq!(hub.jurisdiction_path, XUANWU_PATH);
        // Industry hubs are not bound that way.
        store
            .recognize_hub(suojin_org, &industry(NANJING, "市残联"), ctx())
            .await
            .unwrap();
    }
);

both_backends!(
    membership_lifecycle_keeps_counters_and_history,
    |store: Store| async move {
        let a = org(&store, 1, MEIYUAN).await;
        let m = org(&store, 2, MEIYUAN).await;
        let n = org(&store, 3, MEIYUAN).await;
        let hub = store
            .recognize_hub(a, &regional(MEIYUAN), ctx())
            .await
            .unwrap();
        let ms = store
            .apply_membership(hub.id, m, today(), ctx())
            .await
            .unwrap();
        assert_eq!(ms.status, MembershipStatus::Pending);
        assert_eq!(ms.hub_name, "枢纽测试组织01");
        assert_eq!(ms.organization_name, "枢纽测试组织02");
        assert_eq!(store.membership(ms.id).await.unwrap().unwrap(), ms);
        assert_eq!(counters(&store, hub.id, m).await, (0, None, 0));

        let steps = [
            ("approve", None, MembershipStatus::Active, (1, Some(hub.id))),
            (
                "suspend",
                Some("未按时年检"),
                MembershipStatus::Suspended,
                (0, None),
            ),
            (
                "reinstate",
                None,
                MembershipStatus::Active,
                (1, Some(hub.id)),
            ),
            ("leave", None, MembershipStatus::Left, (0, None)),
        ];
        for (action, reason, status, (count, regional_hub)) in steps {
            let after = store
                .decide_membership(ms.id, &decision(action, reason), today(), ctx())
                .await
                .unwrap();
            assert_eq!(after.status, status, "{action}");
            assert_eq!(after.reason.as_deref(), reason);
            assert_eq!(store.membership(ms.id).await.unwrap().unwrap(), after);
            assert_eq!(
                counters(&store, hub.id, m).await,
                (count, regional_hub, 0),
                "after {action}"
            );
            consistent(&store).await;
        }
        // A closed membership takes no more decisions.
        assert!(matches!(
            store
                .decide_membership(ms.id, &decision("approve", None), today(), ctx())
                .await,
            Err(StoreError::State(_))
        ));
        let history = store.membership_history(ms.id).await.unwrap();
        let actions: Vec<_> = history.iter().map(|e| e.action.as_str()).collect();
        assert_eq!(
            actions,
            ["apply", "approve", "suspend", "reinstate", "leave"]
        );
        assert_eq!(history[0].from_status, None);
        assert_eq!(history[0].to_status, MembershipStatus::Pending);
        assert_eq!(history[2].from_status, Some(MembershipStatus::Active));
        assert_eq!(history[2].to_status, MembershipStatus::Suspended);
        assert_eq!(history[2].reason.as_deref(), Some("未按时年检"));
        assert!(history.iter().all(|e| e.actor == "official"));

        // Rejected with a reason.
        let other = store
            .apply_membership(hub.id, n, today(), ctx())
            .await
            .unwrap();
        let rejected = store
            .decide_membership(
                other.id,
                &decision("reject", Some("业务范围不符")),
                today(),
                ctx(),
            )
            .await
            .unwrap();
        assert_eq!(rejected.status, MembershipStatus::Rejected);
        assert_eq!(rejected.reason.as_deref(), Some("业务范围不符"));
        assert_eq!(counters(&store, hub.id, n).await, (0, None, 0));

        // Having left, M may join again: directly, as an initiating unit.
        let back = store
            .add_member(hub.id, m, true, today(), ctx())
            .await
            .unwrap();
        assert_eq!(back.status, MembershipStatus::Active);
        assert!(back.initiating);
        assert_eq!(counters(&store, hub.id, m).await, (1, Some(hub.id), 0));
        let n2 = store
            .add_member(hub.id, n, false, today(), ctx())
            .await
            .unwrap();
        let unmarked = store.set_initiating(back.id, false, ctx()).await.unwrap();
        assert!(!unmarked.initiating);
        store.set_initiating(n2.id, true, ctx()).await.unwrap();
        assert!(matches!(
            store.set_initiating(ms.id, true, ctx()).await,
            Err(StoreError::State(_))
        ));
        // Initiating units first, then by name.
        let members = store
            .hub_members(hub.id, Some(MembershipStatus::Active), 1, 10)
            .await
            .unwrap();
        assert_eq!(members.total, 2);
        assert_eq!(
            members.items.iter().map(|x| x.id).collect::<Vec<_>>(),
            vec![n2.id, back.id]
        );
        let everyone = store.hub_members(hub.id, None, 1, 2).await.unwrap();
        assert_eq!((everyone.total, everyone.items.len()), (4, 2));
        let of_m = store.memberships_of(m).await.unwrap();
        assert_eq!(
            of_m.iter().map(|x| x.id).collect::<Vec<_>>(),
            vec![back.id, ms.id]
        );
        assert_eq!(store.active_hub_org_ids(m).await.unwrap(), vec![a]);
        assert_eq!(store.hub(hub.id).await.unwrap().unwrap().member_count, 2);
        consistent(&store).await;

        // Every write is in the chain, under the member organization's jurisdiction.
        let writes = store
            .audit_page(
                &AuditFilter {
                    action: Some("membership.".into()),
                    path_prefix: Some(format!("{XUANWU_PATH}{MEIYUAN}/")),
                    ..Default::default()
                },
                1,
                50,
            )
            .await
            .unwrap();
        // apply, 4 decisions, apply, reject, 2 adds, 2 initiating marks.
        assert_eq!(writes.total, 11);
        assert_eq!(audit_count(&store, "membership.suspend").await, 1);
        assert_eq!(audit_count(&store, "membership.initiating").await, 2);
        let v = store.audit_verify().await.unwrap();
        assert!(v.first_break.is_none());
        assert_eq!(v.verified, 3 + 1 + 11);
    }
);

both_backends!(
    one_regional_hub_per_organization_any_number_of_industry_hubs,
    |store: Store| async move {
        let m = org(&store, 1, MEIYUAN).await;
        let street_hub = store
            .recognize_hub(org(&store, 2, MEIYUAN).await, &regional(MEIYUAN), ctx())
            .await
            .unwrap();
        let district_hub = store
            .recognize_hub(org(&store, 3, XUANWU).await, &regional(XUANWU), ctx())
            .await
            .unwrap();
        let i1 = store
            .recognize_hub(
                org(&store, 4, XUANWU).await,
                &industry(XUANWU, "区残联"),
                ctx(),
            )
            .await
            .unwrap();
        let i2 = store
            .recognize_hub(
                org(&store, 5, XUANWU).await,
                &industry(XUANWU, "区妇联"),
                ctx(),
            )
            .await
            .unwrap();
        let i3 = store
            .recognize_hub(
                org(&store, 6, NANJING).await,
                &industry(NANJING, "市总工会"),
                ctx(),
            )
            .await
            .unwrap();
        let first = store
            .apply_membership(street_hub.id, m, today(), ctx())
            .await
            .unwrap();
        // A pending regional application already holds the one place.
        assert_eq!(
            invalid_field(
                store
                    .apply_membership(district_hub.id, m, today(), ctx())
                    .await
            ),
            "hub"
        );
        store
            .decide_membership(first.id, &decision("approve", None), today(), ctx())
            .await
            .unwrap();
        assert_eq!(
            invalid_field(
                store
                    .add_member(district_hub.id, m, false, today(), ctx())
                    .await
            ),
            "hub"
        );
        for (n, h) in [&i1, &i2, &i3].into_iter().enumerate() {
            store
                .add_member(h.id, m, false, today(), ctx())
                .await
                .unwrap();
            let (_, regional_hub, industry_hubs) = counters(&store, h.id, m).await;
            assert_eq!(regional_hub, Some(street_hub.id));
            assert_eq!(industry_hubs, n as i64 + 1);
        }
        // But each hub only once.
        assert_eq!(
            invalid_field(store.apply_membership(i1.id, m, today(), ctx()).await),
            "hub"
        );
        let left = store
            .memberships_of(m)
            .await
            .unwrap()
            .into_iter()
            .find(|x| x.hub_id == i2.id)
            .unwrap();
        store
            .decide_membership(left.id, &decision("leave", None), today(), ctx())
            .await
            .unwrap();
        assert_eq!(
            counters(&store, i2.id, m).await,
            (0, Some(street_hub.id), 2)
        );
        let mut hubs = store.active_hub_org_ids(m).await.unwrap();
        hubs.sort();
        let mut expected = vec![
            street_hub.organization_id,
            i1.organization_id,
            i3.organization_id,
        ];
        expected.sort();
        assert_eq!(hubs, expected);
        consistent(&store).await;
    }
);

both_backends!(
    regional_hub_takes_only_organizations_within_it,
    |store: Store| async move {
        let hub = store
            .recognize_hub(org(&store, 1, MEIYUAN).await, &regional(MEIYUAN), ctx())
            .await
            .unwrap();
        let suojin = org(&store, 2, SUOJIN).await;
        assert_eq!(
            invalid_field(store.apply_membership(hub.id, suojin, today(), ctx()).await),
            "hub"
        );
        assert_eq!(
            invalid_field(
                store
                    .add_member(hub.id, suojin, false, today(), ctx())
                    .await
            ),
            "hub"
        );
        // A community below the street is within it.
        let street = store.jurisdiction(MEIYUAN).await.unwrap().unwrap();
        let community = shuniu_domain::jurisdiction::child_of(
            &street,
            JurisdictionCode::parse("320102002001").unwrap(),
            "梅园新村社区",
            "Meiyuan Xincun Community",
        )
        .unwrap();
        store.add_jurisdiction(&community).await.unwrap();
        let local = org(&store, 3, "320102002001").await;
        store
            .apply_membership(hub.id, local, today(), ctx())
            .await
            .unwrap();
        assert!(matches!(
            store
                .apply_membership(Uuid::now_v7(), local, today(), ctx())
                .await,
            Err(StoreError::NotFound)
        ));
        assert!(matches!(
            store
                .apply_membership(hub.id, Uuid::now_v7(), today(), ctx())
                .await,
            Err(StoreError::NotFound)
        ));
        assert_eq!(audit_count(&store, "membership.apply").await, 1);
    }
);

both_backends!(a_hub_is_not_its_own_member, |store: Store| async move {
    let a = org(&store, 1, MEIYUAN).await;
    let hub = store
        .recognize_hub(a, &regional(MEIYUAN), ctx())
        .await
        .unwrap();
    assert_eq!(
        invalid_field(store.apply_membership(hub.id, a, today(), ctx()).await),
        "hub"
    );
    assert_eq!(
        invalid_field(store.add_member(hub.id, a, true, today(), ctx()).await),
        "hub"
    );
    assert!(store.memberships_of(a).await.unwrap().is_empty());
});

both_backends!(membership_cycles_are_refused, |store: Store| async move {
    let a = org(&store, 1, MEIYUAN).await;
    let b = org(&store, 2, MEIYUAN).await;
    let c = org(&store, 3, MEIYUAN).await;
    let hub_a = store
        .recognize_hub(a, &regional(MEIYUAN), ctx())
        .await
        .unwrap();
    let hub_b = store
        .recognize_hub(b, &industry(XUANWU, "团区委"), ctx())
        .await
        .unwrap();
    let hub_c = store
        .recognize_hub(c, &industry(XUANWU, "区妇联"), ctx())
        .await
        .unwrap();
    // A's organization is (pending) a member of B's hub: B may not join A's.
    store
        .apply_membership(hub_b.id, a, today(), ctx())
        .await
        .unwrap();
    assert_eq!(
        invalid_field(store.apply_membership(hub_a.id, b, today(), ctx()).await),
        "hub"
    );
    // Transitively: A in B, B in C; C may not join A.
    store
        .add_member(hub_c.id, b, false, today(), ctx())
        .await
        .unwrap();
    assert_eq!(
        invalid_field(store.add_member(hub_a.id, c, false, today(), ctx()).await),
        "hub"
    );
    // Once A leaves B's hub, the chain is broken and C may join A.
    let ab = store
        .memberships_of(a)
        .await
        .unwrap()
        .into_iter()
        .find(|m| m.hub_id == hub_b.id)
        .unwrap();
    store
        .decide_membership(ab.id, &decision("withdraw", None), today(), ctx())
        .await
        .unwrap();
    store
        .add_member(hub_a.id, c, false, today(), ctx())
        .await
        .unwrap();
    consistent(&store).await;
});

both_backends!(
    revoking_a_hub_ends_its_memberships,
    |store: Store| async move {
        let hub = store
            .recognize_hub(org(&store, 1, MEIYUAN).await, &regional(MEIYUAN), ctx())
            .await
            .unwrap();
        let ind = store
            .recognize_hub(
                org(&store, 2, XUANWU).await,
                &industry(XUANWU, "区残联"),
                ctx(),
            )
            .await
            .unwrap();
        let m1 = org(&store, 3, MEIYUAN).await;
        let m2 = org(&store, 4, MEIYUAN).await;
        let m3 = org(&store, 5, MEIYUAN).await;
        let a1 = store
            .add_member(hub.id, m1, true, today(), ctx())
            .await
            .unwrap();
        let a2 = store
            .apply_membership(hub.id, m2, today(), ctx())
            .await
            .unwrap();
        let a3 = store
            .add_member(hub.id, m3, false, today(), ctx())
            .await
            .unwrap();
        store
            .decide_membership(a3.id, &decision("suspend", Some("整改")), today(), ctx())
            .await
            .unwrap();
        store
            .add_member(ind.id, m1, false, today(), ctx())
            .await
            .unwrap();
        assert_eq!(counters(&store, hub.id, m1).await, (1, Some(hub.id), 1));

        store
            .revoke_hub(hub.id, "不再履行枢纽职能", today(), ctx())
            .await
            .unwrap();
        for id in [a1.id, a2.id, a3.id] {
            let m = store.membership(id).await.unwrap().unwrap();
            assert_eq!(m.status, MembershipStatus::Left);
            assert_eq!(m.reason.as_deref(), Some("hub recognition revoked"));
            let last = store.membership_history(id).await.unwrap().pop().unwrap();
            assert_eq!(last.action, "hub_revoked");
            assert_eq!(last.to_status, MembershipStatus::Left);
        }
        assert_eq!(counters(&store, hub.id, m1).await, (0, None, 1));
        assert_eq!(
            invalid_field(store.apply_membership(hub.id, m2, today(), ctx()).await),
            "hub"
        );
        store
            .revoke_hub(ind.id, "撤销", today(), ctx())
            .await
            .unwrap();
        assert_eq!(counters(&store, ind.id, m1).await, (0, None, 0));
        assert!(store.active_hub_org_ids(m1).await.unwrap().is_empty());
        // The organizations are free to join another regional hub.
        let district = store
            .recognize_hub(org(&store, 6, XUANWU).await, &regional(XUANWU), ctx())
            .await
            .unwrap();
        store
            .add_member(district.id, m1, false, today(), ctx())
            .await
            .unwrap();
        assert_eq!(
            counters(&store, district.id, m1).await,
            (1, Some(district.id), 0)
        );
        consistent(&store).await;
        assert!(store.audit_verify().await.unwrap().first_break.is_none());
    }
);

both_backends!(
    concurrent_regional_applications_admit_one,
    |store: Store| async move {
        let x = org(&store, 1, MEIYUAN).await;
        // Every regional hub that contains X: province, city, district, street.
        let mut hubs = Vec::new();
        for (n, code) in [JIANGSU, NANJING, XUANWU, MEIYUAN].into_iter().enumerate() {
            let holder = org(&store, 10 + n as u32, code).await;
            hubs.push(
                store
                    .recognize_hub(holder, &regional(code), ctx())
                    .await
                    .unwrap(),
            );
        }
        // Two attempts on each (an application and a direct add): eight at once.
        let mut tasks = Vec::new();
        for (i, hub) in hubs.iter().cycle().take(8).enumerate() {
            let store = store.clone();
            let hub_id = hub.id;
            tasks.push(tokio::spawn(async move {
                if i < 4 {
                    store.apply_membership(hub_id, x, today(), ctx()).await
                } else {
                    store.add_member(hub_id, x, false, today(), ctx()).await
                }
            }));
        }
        let mut won = Vec::new();
        for t in tasks {
            match t.await.unwrap() {
                Ok(m) => won.push(m),
                Err(StoreError::Invalid(e)) => assert!(e.get("hub").is_some(), "{e}"),
                Err(e) => panic!("expected a clear Invalid, got {e:?}"),
            }
        }
        assert_eq!(won.len(), 1, "exactly one regional membership");
        let m = &won[0];
        let live: Vec<_> = store
            .memberships_of(x)
            .await
            .unwrap()
            .into_iter()
            .filter(|m| m.status.is_live())
            .collect();
        assert_eq!(live.len(), 1);
        assert_eq!(live[0].id, m.id);
        let (count, regional_hub, _) = counters(&store, m.hub_id, x).await;
        if m.status == MembershipStatus::Active {
            assert_eq!((count, regional_hub), (1, Some(m.hub_id)));
        } else {
            assert_eq!((count, regional_hub), (0, None));
        }
        for h in &hubs {
            if h.id != m.hub_id {
                assert_eq!(store.hub(h.id).await.unwrap().unwrap().member_count, 0);
            }
        }
        consistent(&store).await;
        let writes = audit_count(&store, "membership.apply").await
            + audit_count(&store, "membership.add").await;
        assert_eq!(writes, 1);
        assert!(store.audit_verify().await.unwrap().first_break.is_none());
    }
);

both_backends!(concurrent_approvals_apply_once, |store: Store| async move {
    let hub = store
        .recognize_hub(org(&store, 1, MEIYUAN).await, &regional(MEIYUAN), ctx())
        .await
        .unwrap();
    let m = org(&store, 2, MEIYUAN).await;
    let pending = store
        .apply_membership(hub.id, m, today(), ctx())
        .await
        .unwrap();
    let mut tasks = Vec::new();
    for _ in 0..8 {
        let store = store.clone();
        let id = pending.id;
        tasks.push(tokio::spawn(async move {
            store
                .decide_membership(id, &decision("approve", None), today(), ctx())
                .await
        }));
    }
    let mut ok = 0;
    for t in tasks {
        match t.await.unwrap() {
            Ok(x) => {
                assert_eq!(x.status, MembershipStatus::Active);
                ok += 1;
            }
            Err(StoreError::State(_)) => {}
            Err(e) => panic!("expected State, got {e:?}"),
        }
    }
    assert_eq!(ok, 1);
    assert_eq!(counters(&store, hub.id, m).await, (1, Some(hub.id), 0));
    let approvals = store
        .membership_history(pending.id)
        .await
        .unwrap()
        .into_iter()
        .filter(|e| e.action == "approve")
        .count();
    assert_eq!(approvals, 1);
    assert_eq!(audit_count(&store, "membership.approve").await, 1);
    consistent(&store).await;
});

/// Inserts a venue the way the parks store would (it is not ours to call here).
async fn venue(store: &Store, name: &str, street: &str, hub: Option<Uuid>) {
    let id = Uuid::now_v7();
    let lit = |u: Uuid| match store.backend_name() {
        "postgres" => format!("'{u}'"),
        _ => format!("X'{}'", u.simple()),
    };
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

// Province-scale reads: the hubs over a place by ancestor path (what an organization
// there may join), hubs by id in one query, and a revoke whose events are inserted in
// batches (more members than one batch).
both_backends!(
    hubs_over_a_place_by_ids_and_a_large_revoke,
    |store: Store| async move {
        let ids =
            |v: Vec<shuniu_domain::hubs::Hub>| v.into_iter().map(|h| h.id).collect::<Vec<_>>();
        let mei = store
            .recognize_hub(org(&store, 1, MEIYUAN).await, &regional(MEIYUAN), ctx())
            .await
            .unwrap();
        let xin = store
            .recognize_hub(org(&store, 2, XINJIEKOU).await, &regional(XINJIEKOU), ctx())
            .await
            .unwrap();
        let dis = store
            .recognize_hub(
                org(&store, 3, XUANWU).await,
                &industry(XUANWU, "区残联"),
                ctx(),
            )
            .await
            .unwrap();
        let qin = store
            .recognize_hub(
                org(&store, 4, QINHUAI).await,
                &industry(QINHUAI, "秦淮区残联"),
                ctx(),
            )
            .await
            .unwrap();
        let mei_path = format!("{XUANWU_PATH}{MEIYUAN}/");
        // Regional first, then by path: the sibling street's and the other district's are not over it.
        assert_eq!(
            ids(store.hubs_over_path(&mei_path, 10).await.unwrap()),
            vec![mei.id, dis.id]
        );
        assert_eq!(
            ids(store.hubs_over_path(XUANWU_PATH, 10).await.unwrap()),
            vec![dis.id]
        );
        assert_eq!(
            ids(store.hubs_over_path(&mei_path, 1).await.unwrap()),
            vec![mei.id]
        );
        assert!(store.hubs_over_path("", 10).await.unwrap().is_empty());

        let mut got = ids(store
            .hubs_by_ids(&[qin.id, mei.id, Uuid::now_v7(), mei.id, xin.id])
            .await
            .unwrap());
        got.sort();
        let mut want = vec![qin.id, mei.id, xin.id];
        want.sort();
        assert_eq!(got, want);
        assert!(store.hubs_by_ids(&[]).await.unwrap().is_empty());

        let mut members = Vec::new();
        for n in 0..130 {
            let o = org(&store, 100 + n, MEIYUAN).await;
            let m = store
                .add_member(mei.id, o, false, today(), ctx())
                .await
                .unwrap();
            members.push(m.id);
        }
        assert_eq!(store.hub(mei.id).await.unwrap().unwrap().member_count, 130);
        store
            .revoke_hub(mei.id, "撤销", today(), ctx())
            .await
            .unwrap();
        for id in &members {
            let history = store.membership_history(*id).await.unwrap();
            assert_eq!(history.len(), 2, "add, then the revoke");
            let last = &history[1];
            assert_eq!(last.action, "hub_revoked");
            assert_eq!(last.from_status, Some(MembershipStatus::Active));
            assert_eq!(last.to_status, MembershipStatus::Left);
            assert_eq!(last.reason.as_deref(), Some("hub recognition revoked"));
            assert_eq!(last.actor, "official");
        }
        // Revoked: no longer over the place, still found by id.
        assert_eq!(
            ids(store.hubs_over_path(&mei_path, 10).await.unwrap()),
            vec![dis.id]
        );
        let revoked = store.hubs_by_ids(&[mei.id]).await.unwrap();
        assert_eq!(revoked[0].status, HubStatus::Revoked);
        consistent(&store).await;
    }
);
