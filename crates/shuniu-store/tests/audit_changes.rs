//! The audit record of a registry write refers to the change it audits (the change's id
//! and the SHA-256 of its text) instead of carrying a second copy; verification
//! recomputes the digest, so rewriting the history under the trail is a break. Writes
//! in bulk (`create_organizations` of thousands) chain and count like single ones.

use chrono::NaiveDate;
use shuniu_domain::audit::{BreakKind, ChangeRef};
use shuniu_domain::codes::Uscc;
use shuniu_domain::registry::{OrgStatus, OrganizationData, OrganizationDraft, StatusChange};
use shuniu_store::{AuditFilter, Store, WriteCtx, both_backends};

fn org(n: u32, place: &str) -> OrganizationData {
    OrganizationDraft {
        name: Some(format!("引用测试机构{n}")),
        legal_form: Some("social_service_institution".into()),
        uscc: Some(
            Uscc::assemble('5', '2', "320102", &format!("MB{n:06}"))
                .unwrap()
                .to_string(),
        ),
        domains: Some(vec!["elderly".into(), "public_welfare".into()]),
        jurisdiction: Some(place.into()),
        address: Some("某路2号".into()),
        founded_on: Some("2015-03-02".into()),
        legal_representative: Some("王芳".into()),
        staff_full_time: Some("3".into()),
        stage: Some("growth".into()),
        ..Default::default()
    }
    .validate(NaiveDate::from_ymd_opt(2026, 11, 26).unwrap())
    .unwrap()
}

fn ctx() -> WriteCtx {
    WriteCtx::new("alice", "official", "10.0.0.7")
}

async fn raw(store: &Store, sql: &str) {
    store.execute_raw_for_tests(sql).await.unwrap();
}

/// Runs `sql` under the trail, then expects verification to stop at record `seq`: the
/// change it refers to altered.
async fn tampering_found_at(store: &Store, sql: &str, seq: i64) {
    raw(store, sql).await;
    let r = store.audit_verify().await.unwrap();
    let b = r.first_break.expect("the tampering is found");
    assert_eq!(
        (b.kind, b.seq, r.verified),
        (BreakKind::ChangeAltered, seq, seq - 1)
    );
}

/// Three registrations in one call, an edit and a suspension: five records.
async fn story(store: &Store) -> Vec<uuid::Uuid> {
    let made = store
        .create_organizations(
            &[
                org(1, "320102002000"),
                org(2, "320102003000"),
                org(3, "320102"),
            ],
            ctx(),
        )
        .await
        .unwrap();
    let ids: Vec<_> = made.iter().map(|o| o.id).collect();
    let mut d = org(1, "320102002000");
    d.volunteers = 40;
    store.update_organization(ids[0], &d, ctx()).await.unwrap();
    let change = StatusChange {
        status: OrgStatus::Suspended,
        reason: "整改".into(),
        effective_on: NaiveDate::from_ymd_opt(2026, 11, 1).unwrap(),
    };
    store.change_status(ids[1], &change, ctx()).await.unwrap();
    ids
}

both_backends!(
    audit_records_refer_to_the_changes_they_audit,
    |store: Store| async move {
        let ids = story(&store).await;
        let page = store
            .audit_page(&AuditFilter::default(), 1, 50)
            .await
            .unwrap();
        assert_eq!(page.total, 5);
        for rec in &page.items {
            let reference = ChangeRef::parse(&rec.event.details)
                .unwrap_or_else(|| panic!("not a reference: {}", rec.event.details));
            // No second copy of the record in the trail.
            assert!(!rec.event.details.contains("引用测试机构"));
            let org: uuid::Uuid = rec.event.object["organization:".len()..].parse().unwrap();
            let history = store.organization_history(org).await.unwrap();
            let change = history
                .iter()
                .find(|c| c.id == reference.change)
                .expect("the change referred to is in the organization's history");
            assert_eq!(reference.sha256.len(), 64);
            if change.action == "created" {
                // Stored compact, read as set from nothing.
                assert_eq!(change.changes["name"]["from"], serde_json::Value::Null);
                assert!(
                    change.changes["name"]["to"]
                        .as_str()
                        .unwrap()
                        .starts_with("引用测试机构")
                );
                assert!(change.changes.get("filing_number").is_none());
            }
        }
        let edit = store.organization_history(ids[0]).await.unwrap();
        assert_eq!(edit[0].changes["volunteers"]["to"], 40);
        let r = store.audit_verify().await.unwrap();
        assert_eq!((r.verified, r.first_break), (5, None));
    }
);

both_backends!(
    verify_finds_a_change_rewritten_under_the_trail,
    |store: Store| async move {
        story(&store).await;
        tampering_found_at(
            &store,
            "UPDATE organization_changes SET changes = '{\"volunteers\":{\"from\":0,\"to\":4}}' WHERE action = 'updated'",
            4,
        )
        .await;
        // A change removed is found the same way.
        raw(
            &store,
            "DELETE FROM organization_changes WHERE action = 'created'",
        )
        .await;
        let b = store.audit_verify().await.unwrap().first_break.unwrap();
        assert_eq!((b.kind, b.seq), (BreakKind::ChangeAltered, 1));
    }
);

both_backends!(
    registrations_in_bulk_chain_and_count_like_single_ones,
    |store: Store| async move {
        // More rows than one multi-row statement takes, over several places.
        let places = ["320102", "320102002000", "320102003000", "320104"];
        let items: Vec<_> = (0..2_500)
            .map(|n| org(100 + n, places[n as usize % places.len()]))
            .collect();
        let made = store.create_organizations(&items, ctx()).await.unwrap();
        assert_eq!(made.len(), 2_500);
        let one = store.organization(made[2_499].id).await.unwrap().unwrap();
        assert_eq!(one.data, items[2_499]);
        assert_eq!(
            store.stats_counters().await.unwrap(),
            store.recount_by_jurisdiction().await.unwrap()
        );
        assert_eq!(store.stats_counters().await.unwrap()["320104"].0, 625);
        let r = store.audit_verify().await.unwrap();
        assert_eq!((r.verified, r.first_break), (2_500, None));
        // All or none: a batch with a taken code writes nothing.
        let again = vec![org(9_000, "320102"), org(100, "320102")];
        assert!(store.create_organizations(&again, ctx()).await.is_err());
        assert!(
            store
                .organization_by_uscc(again[0].uscc.as_ref().unwrap().as_str())
                .await
                .unwrap()
                .is_none()
        );
        assert_eq!(store.audit_verify().await.unwrap().verified, 2_500);
    }
);

/// The stored texts of an organization's changes by action, oldest first.
async fn stored(store: &Store, id: uuid::Uuid, action: &str) -> Vec<String> {
    let id = shuniu_store::testing::uuid_literal(store, id);
    store
        .texts_for_tests(&format!(
            "SELECT changes FROM organization_changes WHERE organization_id = {id} AND action = '{action}' ORDER BY changed_at"
        ))
        .await
}

both_backends!(
    a_registration_keeps_no_copy_of_the_record_until_a_registered_field_changes,
    |store: Store| async move {
        let made = store
            .create_organizations(&[org(1, "320102002000"), org(2, "320102")], ctx())
            .await
            .unwrap();
        let (a, b) = (made[0].id, made[1].id);
        // Stored once: in the row; no change is written.
        assert!(stored(&store, a, "created").await.is_empty());
        let registered = store.organization_history(a).await.unwrap();
        assert_eq!(registered[0].action, "created");
        assert_eq!(
            (registered[0].id, registered[0].actor.as_str()),
            (a, "alice")
        );
        assert_eq!(registered[0].changed_at, made[0].created_at);
        assert_eq!(registered[0].changes["volunteers"]["to"], 0);
        assert_eq!(registered[0].changes["name"]["to"], "引用测试机构1");

        // A status change touches no registered field: still nothing written.
        let change = StatusChange {
            status: OrgStatus::Suspended,
            reason: "整改".into(),
            effective_on: NaiveDate::from_ymd_opt(2026, 11, 1).unwrap(),
        };
        store.change_status(b, &change, ctx()).await.unwrap();
        assert!(stored(&store, b, "created").await.is_empty());

        // The first edit writes what was registered, then changes the row.
        let mut d = org(1, "320102002000");
        d.volunteers = 40;
        d.name = "引用测试机构一号".into();
        store.update_organization(a, &d, ctx()).await.unwrap();
        let kept = stored(&store, a, "created").await;
        assert!(kept[0].contains("\"volunteers\":0"), "{kept:?}");
        assert!(kept[0].contains("引用测试机构1\""), "{kept:?}");
        let history = store.organization_history(a).await.unwrap();
        assert_eq!(history.len(), 2);
        // The creation reads as it did before the edit.
        assert_eq!(history[1].changes, registered[0].changes);
        assert_eq!(
            (history[1].id, &history[1].actor, history[1].changed_at),
            (a, &registered[0].actor, registered[0].changed_at)
        );
        assert_eq!(history[0].changes["volunteers"]["to"], 40);
        let r = store.audit_verify().await.unwrap();
        assert_eq!((r.verified, r.first_break), (4, None));
    }
);

both_backends!(
    the_database_refuses_a_registered_field_changed_before_the_creation_is_kept,
    |store: Store| async move {
        let made = store
            .create_organizations(&[org(1, "320102002000")], ctx())
            .await
            .unwrap();
        let id = shuniu_store::testing::uuid_literal(&store, made[0].id);
        let refused = store
            .execute_raw_for_tests(&format!(
                "UPDATE organizations SET volunteers = 5 WHERE id = {id}"
            ))
            .await;
        assert!(
            refused.is_err(),
            "a writer that forgot to keep the creation"
        );
        // Columns that are not registered facts are not guarded.
        raw(
            &store,
            &format!("UPDATE organizations SET status_reason = 'x' WHERE id = {id}"),
        )
        .await;
        // Once written, the row may change.
        raw(
            &store,
            &format!(
                "INSERT INTO organization_changes (id, organization_id, changed_at, actor, action, changes) \
                 VALUES ({id}, {id}, '2026-11-26T08:00:00Z', 'alice', 'created', '{{}}')"
            ),
        )
        .await;
        raw(
            &store,
            &format!("UPDATE organizations SET volunteers = 5 WHERE id = {id}"),
        )
        .await;
        assert_eq!(
            store
                .organization(made[0].id)
                .await
                .unwrap()
                .unwrap()
                .data
                .volunteers,
            5
        );
    }
);

both_backends!(
    verify_finds_a_registered_field_rewritten_under_an_unkept_creation,
    |store: Store| async move {
        story(&store).await;
        assert_eq!(store.audit_verify().await.unwrap().first_break, None);
        // Someone with DDL rights drops the guard and rewrites the third registration.
        let drop = match store.dialect() {
            shuniu_store::Dialect::Postgres => {
                "DROP TRIGGER organizations_creation_kept ON organizations"
            }
            shuniu_store::Dialect::Sqlite => "DROP TRIGGER organizations_creation_kept",
        };
        raw(&store, drop).await;
        tampering_found_at(
            &store,
            "UPDATE organizations SET name = '改名机构' WHERE name = '引用测试机构3'",
            3,
        )
        .await;
    }
);

both_backends!(
    writers_racing_on_one_record_keep_its_creation_once,
    |store: Store| async move {
        let made = store
            .create_organizations(&[org(1, "320102002000")], ctx())
            .await
            .unwrap();
        let id = made[0].id;
        let before = store.organization_history(id).await.unwrap();
        let edits: Vec<_> = (1..=8u32)
            .map(|n| {
                let store = store.clone();
                tokio::spawn(async move {
                    let mut d = org(1, "320102002000");
                    d.volunteers = n;
                    store.update_organization(id, &d, ctx()).await
                })
            })
            .collect();
        for edit in edits {
            edit.await.unwrap().unwrap();
        }
        let history = store.organization_history(id).await.unwrap();
        assert_eq!(history.last().unwrap().changes, before[0].changes);
        let kept = stored(&store, id, "created").await;
        assert!(kept[0].contains("\"volunteers\":0"), "{kept:?}");
        let r = store.audit_verify().await.unwrap();
        assert_eq!((r.verified, r.first_break), (9, None));
    }
);
