//! Conformance stories for accounts, sessions, tokens and the audit trail, on both backends.

use chrono::{Duration, NaiveDate, Utc};
use shuniu_domain::access::Role;
use shuniu_domain::accounts::LoginState;
use shuniu_domain::audit::{AuditEvent, BreakKind, CheckpointError, CheckpointFinding, Outcome};
use shuniu_domain::codes::Uscc;
use shuniu_domain::registry::{OrganizationData, OrganizationDraft};
use shuniu_store::accounts::NewUser;
use shuniu_store::{AuditFilter, Store, StoreError, WriteCtx, both_backends};

fn org(n: u32, street: &str) -> OrganizationData {
    OrganizationDraft {
        name: Some(format!("审计测试机构{n}")),
        legal_form: Some("social_group".into()),
        uscc: Some(
            Uscc::assemble('5', '1', "320102", &format!("MA{n:06}"))
                .unwrap()
                .to_string(),
        ),
        domains: Some(vec!["elderly".into()]),
        jurisdiction: Some(street.into()),
        address: Some("某路1号".into()),
        founded_on: Some("2012-01-15".into()),
        legal_representative: Some("李华".into()),
        stage: Some("growth".into()),
        ..Default::default()
    }
    .validate(NaiveDate::from_ymd_opt(2026, 11, 26).unwrap())
    .unwrap()
}

fn ctx() -> WriteCtx {
    WriteCtx::new("alice", "official", "10.0.0.7")
}

fn user(name: &str, role: Role) -> NewUser {
    NewUser {
        display_name: name.to_uppercase(),
        must_change_password: true,
        ..shuniu_store::testing::new_user(name, role, "$argon2id$fake")
    }
}

/// Runs raw SQL the way an attacker with database access would.
async fn raw(store: &Store, sql: &str) -> Result<(), String> {
    store
        .execute_raw_for_tests(sql)
        .await
        .map_err(|e| e.to_string())
}

/// A trail of records, with the append-only triggers removed as an attacker with DDL
/// rights would: what the tamper tests start from.
async fn trail_open_to_tampering(store: &Store) {
    make_trail(store).await;
    store.disable_audit_guard_for_tests().await;
}

async fn make_trail(store: &Store) -> Vec<uuid::Uuid> {
    let mut ids = vec![];
    for n in 0..4 {
        ids.push(
            store
                .create_organization(&org(n, "320102002000"), ctx())
                .await
                .unwrap()
                .id,
        );
    }
    let mut d = org(0, "320102002000");
    d.staff_full_time = 9;
    store.update_organization(ids[0], &d, ctx()).await.unwrap();
    ids
}

both_backends!(
    writes_are_audited_in_a_verifiable_chain,
    |store: Store| async move {
        make_trail(&store).await;
        let page = store
            .audit_page(&AuditFilter::default(), 1, 50)
            .await
            .unwrap();
        assert_eq!(page.total, 5);
        let newest = &page.items[0];
        assert_eq!(newest.seq, 5);
        assert_eq!(newest.event.action, "organization.update");
        assert_eq!(newest.event.actor, "alice");
        assert_eq!(newest.event.source, "10.0.0.7");
        // The record refers to the change it audits (see `audit_changes`).
        let details: serde_json::Value = serde_json::from_str(&newest.event.details).unwrap();
        let change: uuid::Uuid = details["change"].as_str().unwrap().parse().unwrap();
        let object = newest.event.object.strip_prefix("organization:").unwrap();
        let history = store
            .organization_history(object.parse().unwrap())
            .await
            .unwrap();
        assert_eq!(history[0].id, change);
        assert_eq!(history[0].changes["staff_full_time"]["from"], 0);
        assert_eq!(history[0].changes["staff_full_time"]["to"], 9);
        assert_eq!(
            newest.event.jurisdiction_path.as_deref(),
            Some("320000/320100/320102/320102002000/")
        );
        let report = store.audit_verify().await.unwrap();
        assert_eq!(report.verified, 5);
        assert_eq!(report.first_break, None);
        // Filters.
        let f = AuditFilter {
            action: Some("organization.".into()),
            ..Default::default()
        };
        assert_eq!(store.audit_page(&f, 1, 50).await.unwrap().total, 5);
        let f = AuditFilter {
            action: Some("organization.update".into()),
            ..Default::default()
        };
        assert_eq!(store.audit_page(&f, 1, 50).await.unwrap().total, 1);
        let f = AuditFilter {
            path_prefix: Some("320000/320100/320104/".into()),
            ..Default::default()
        };
        assert_eq!(store.audit_page(&f, 1, 50).await.unwrap().total, 0);
        let f = AuditFilter {
            path_prefix: Some("320000/320100/320102/".into()),
            actor: Some("alice".into()),
            ..Default::default()
        };
        assert_eq!(store.audit_page(&f, 1, 50).await.unwrap().total, 5);
        let f = AuditFilter {
            from: Some(Utc::now() + Duration::hours(1)),
            ..Default::default()
        };
        assert_eq!(store.audit_page(&f, 1, 50).await.unwrap().total, 0);
        let chunk = store
            .audit_chunk(&AuditFilter::default(), Some(3), 10)
            .await
            .unwrap();
        assert_eq!(chunk.iter().map(|r| r.seq).collect::<Vec<_>>(), [2, 1]);
    }
);

both_backends!(
    the_database_refuses_edits_to_the_trail,
    |store: Store| async move {
        make_trail(&store).await;
        assert!(
            raw(
                &store,
                "UPDATE audit_log SET actor = 'mallory' WHERE seq = 2"
            )
            .await
            .is_err()
        );
        assert!(
            raw(&store, "DELETE FROM audit_log WHERE seq = 2")
                .await
                .is_err()
        );
        assert_eq!(store.audit_verify().await.unwrap().first_break, None);
    }
);

both_backends!(verify_finds_an_altered_record, |store: Store| async move {
    trail_open_to_tampering(&store).await;
    raw(&store, "UPDATE audit_log SET details = '{}' WHERE seq = 3")
        .await
        .unwrap();
    let r = store.audit_verify().await.unwrap();
    let b = r.first_break.expect("alteration found");
    assert_eq!(b.seq, 3);
    assert!(b.problem.contains("altered"), "{}", b.problem);
    assert_eq!(r.verified, 2);
});

both_backends!(verify_finds_a_deleted_record, |store: Store| async move {
    trail_open_to_tampering(&store).await;
    raw(&store, "DELETE FROM audit_log WHERE seq = 2")
        .await
        .unwrap();
    let b = store
        .audit_verify()
        .await
        .unwrap()
        .first_break
        .expect("deletion found");
    assert_eq!(b.seq, 2);
});

both_backends!(verify_finds_an_inserted_record, |store: Store| async move {
    trail_open_to_tampering(&store).await;
    // Make room at 3 and insert a record that copies record 3's links.
    raw(
        &store,
        "UPDATE audit_log SET seq = seq + 100 WHERE seq >= 3",
    )
    .await
    .unwrap();
    raw(
        &store,
        "UPDATE audit_log SET seq = seq - 99 WHERE seq >= 103",
    )
    .await
    .unwrap();
    raw(&store, "INSERT INTO audit_log (seq, at, actor, role, source, action, object, outcome, details, jurisdiction_path, hash) \
                 SELECT 3, at, 'mallory', role, source, 'organization.update', object, outcome, details, jurisdiction_path, hash FROM audit_log WHERE seq = 4")
        .await
        .unwrap();
    let b = store
        .audit_verify()
        .await
        .unwrap()
        .first_break
        .expect("insertion found");
    assert_eq!(b.seq, 3);
});

both_backends!(
    verify_finds_records_cut_off_the_end,
    |store: Store| async move {
        trail_open_to_tampering(&store).await;
        raw(&store, "DELETE FROM audit_log WHERE seq = 5")
            .await
            .unwrap();
        let b = store
            .audit_verify()
            .await
            .unwrap()
            .first_break
            .expect("truncation found");
        assert_eq!(b.seq, 5);
    }
);

both_backends!(verify_needs_the_key, |store: Store| async move {
    make_trail(&store).await;
    let other = store.clone().with_audit_key(b"another key");
    assert_eq!(
        other.audit_verify().await.unwrap().first_break.unwrap().seq,
        1
    );
});

both_backends!(
    purge_past_retention_keeps_the_rest_verifiable,
    |store: Store| async move {
        make_trail(&store).await;
        let cutoff = Utc::now() + Duration::seconds(1);
        tokio::time::sleep(std::time::Duration::from_millis(1100)).await;
        store
            .audit(ctx().event_for_tests("login.success"))
            .await
            .unwrap();
        // Each record follows the previous one's hash (not stored: read from it), the
        // first follows the chain's zero start.
        let before = store
            .audit_page(&AuditFilter::default(), 1, 50)
            .await
            .unwrap()
            .items;
        assert_eq!(before.len(), 6);
        for pair in before.windows(2) {
            assert_eq!(pair[0].prev_hash, pair[1].hash, "record {}", pair[0].seq);
        }
        assert_eq!(before[5].prev_hash, "0".repeat(64));
        assert_eq!(store.audit_purge_before(cutoff).await.unwrap(), 5);
        let page = store
            .audit_page(&AuditFilter::default(), 1, 50)
            .await
            .unwrap();
        assert_eq!(page.total, 1);
        assert_eq!(page.items[0].seq, 6);
        // With its predecessor purged, the first record follows the purge anchor.
        assert_eq!(page.items[0].prev_hash, before[1].hash);
        let r = store.audit_verify().await.unwrap();
        assert_eq!((r.verified, r.first_break), (6, None));
    }
);

both_backends!(
    parallel_writers_keep_one_gapless_chain,
    |store: Store| async move {
        let mut tasks = vec![];
        for n in 0..12 {
            let s = store.clone();
            tasks.push(tokio::spawn(async move {
                if n % 2 == 0 {
                    s.create_organization(&org(100 + n, "320102007000"), ctx())
                        .await
                        .map(|_| ())
                        .unwrap();
                } else {
                    s.audit(ctx().event_for_tests("login.failure"))
                        .await
                        .map(|_| ())
                        .unwrap();
                }
            }));
        }
        for t in tasks {
            t.await.unwrap();
        }
        let r = store.audit_verify().await.unwrap();
        assert_eq!((r.verified, r.first_break), (12, None));
    }
);

both_backends!(
    accounts_bindings_sessions_and_tokens,
    |store: Store| async move {
        // Bindings are required and must exist.
        let mut off = user("official1", Role::Official);
        match store.create_user(&off, ctx()).await {
            Err(StoreError::Invalid(f)) => assert!(f.get("jurisdiction").is_some()),
            other => panic!("{other:?}"),
        }
        off.jurisdiction_code = Some("320199".into());
        assert!(matches!(
            store.create_user(&off, ctx()).await,
            Err(StoreError::Invalid(_))
        ));
        off.jurisdiction_code = Some("320102".into());
        let o = store.create_user(&off, ctx()).await.unwrap();
        assert_eq!(
            o.jurisdiction_path.as_deref(),
            Some("320000/320100/320102/")
        );
        assert_eq!(o.actor().role, Role::Official);
        let mut m = user("member1", Role::OrgMember);
        assert!(matches!(
            store.create_user(&m, ctx()).await,
            Err(StoreError::Invalid(_))
        ));
        let org_id = store
            .create_organization(&org(1, "320102002000"), ctx())
            .await
            .unwrap()
            .id;
        m.organization_id = Some(org_id);
        let m = store.create_user(&m, ctx()).await.unwrap();
        assert_eq!(m.organization_id, Some(org_id));
        // Unique names.
        match store
            .create_user(&user("member1", Role::Expert), ctx())
            .await
        {
            Err(StoreError::Conflict { field }) => assert_eq!(field, "username"),
            other => panic!("{other:?}"),
        }
        assert_eq!(
            store
                .user_by_username(" MEMBER1 ")
                .await
                .unwrap()
                .unwrap()
                .id,
            m.id
        );
        assert_eq!(store.list_users(1, 10).await.unwrap().total, 2);

        // Lockout state round-trips.
        let locked = LoginState {
            failures: 0,
            locked_until: Some(Utc::now() + Duration::minutes(15)),
        };
        store.set_login_state(m.id, locked).await.unwrap();
        let back: LoginState = store.user_by_id(m.id).await.unwrap().unwrap().login.into();
        assert!(back.is_locked(Utc::now()));

        // Sessions end server-side; a password change ends the others.
        store.create_session("h1", m.id, "csrf1").await.unwrap();
        store.create_session("h2", m.id, "csrf2").await.unwrap();
        assert_eq!(
            store.session("h1").await.unwrap().unwrap().0.csrf_token,
            "csrf1"
        );
        store.end_session("h1").await.unwrap();
        assert!(store.session("h1").await.unwrap().is_none());
        store.create_session("h3", m.id, "csrf3").await.unwrap();
        store
            .set_password(m.id, "$argon2id$new", false, Some("h3"), ctx())
            .await
            .unwrap();
        assert!(store.session("h2").await.unwrap().is_none());
        assert!(store.session("h3").await.unwrap().is_some());
        assert_eq!(
            store.password_hash(m.id).await.unwrap().as_deref(),
            Some("$argon2id$new")
        );

        // Tokens: live, expired, revoked; disabling a user revokes them.
        let now = Utc::now();
        let t = store
            .create_api_token(m.id, "ci", "th1", now + Duration::days(30), ctx())
            .await
            .unwrap();
        store
            .create_api_token(m.id, "old", "th2", now - Duration::days(1), ctx())
            .await
            .unwrap();
        assert_eq!(
            store.api_token_user("th1", now).await.unwrap().unwrap().id,
            m.id
        );
        assert!(store.api_token_user("th2", now).await.unwrap().is_none());
        assert!(store.api_token_user("nope", now).await.unwrap().is_none());
        store.revoke_api_token(t.id, ctx()).await.unwrap();
        assert!(store.api_token_user("th1", now).await.unwrap().is_none());
        assert!(matches!(
            store.revoke_api_token(t.id, ctx()).await,
            Err(StoreError::NotFound)
        ));
        store
            .create_api_token(m.id, "new", "th3", now + Duration::days(30), ctx())
            .await
            .unwrap();
        store.set_user_disabled(m.id, true, ctx()).await.unwrap();
        assert!(store.api_token_user("th3", now).await.unwrap().is_none());
        assert!(store.session("h3").await.unwrap().is_none());
        assert_eq!(store.api_tokens_of(m.id).await.unwrap().len(), 3);

        // Every account change is in the trail, and the trail verifies.
        let f = AuditFilter {
            action: Some("user.".into()),
            ..Default::default()
        };
        assert_eq!(store.audit_page(&f, 1, 50).await.unwrap().total, 4);
        let f = AuditFilter {
            action: Some("token.".into()),
            ..Default::default()
        };
        assert_eq!(store.audit_page(&f, 1, 50).await.unwrap().total, 4);
        assert_eq!(store.audit_verify().await.unwrap().first_break, None);
        let _ = AuditEvent::now_micros();
        let _ = Outcome::Success;
    }
);

// The chain on a live system, and its two ends.

both_backends!(
    verify_is_right_while_writes_go_on,
    |store: Store| async move {
        for _ in 0..40 {
            store
                .audit(ctx().event_for_tests("login.success"))
                .await
                .unwrap();
        }
        let stop = std::sync::Arc::new(std::sync::atomic::AtomicBool::new(false));
        let writer = {
            let (store, stop) = (store.clone(), stop.clone());
            tokio::spawn(async move {
                let mut n = 0;
                // Bounded: stops when told, or after this many appends.
                while n < 100_000 && !stop.load(std::sync::atomic::Ordering::SeqCst) {
                    store
                        .audit(ctx().event_for_tests("login.failure"))
                        .await
                        .unwrap();
                    n += 1;
                }
                n
            })
        };
        for i in 0..20 {
            let r = store.audit_verify().await.unwrap();
            assert_eq!(r.first_break, None, "verification {i} while writing");
            assert!(r.verified >= 40 && r.verified == r.head_seq, "{r:?}");
        }
        stop.store(true, std::sync::atomic::Ordering::SeqCst);
        let appended = writer.await.unwrap();
        let r = store.audit_verify().await.unwrap();
        assert_eq!((r.verified, r.first_break), (40 + appended, None));
    }
);

both_backends!(
    cutting_the_end_and_rewriting_the_head_is_found,
    |store: Store| async move {
        trail_open_to_tampering(&store).await;
        raw(&store, "DELETE FROM audit_log WHERE seq > 3")
            .await
            .unwrap();
        raw(
            &store,
            "UPDATE audit_head SET seq = 3, hash = (SELECT hash FROM audit_log WHERE seq = 3) WHERE id = 1",
        )
        .await
        .unwrap();
        let r = store.audit_verify().await.unwrap();
        let b = r.first_break.expect("the cut is found");
        assert_eq!((b.kind, b.seq), (BreakKind::ForgedHead, 4), "{}", b.problem);
        assert!(b.problem.contains("head"), "{}", b.problem);
        assert_eq!(r.verified, 3);
    }
);

both_backends!(
    cutting_the_start_and_moving_the_anchor_is_found,
    |store: Store| async move {
        make_trail(&store).await;
        // The anchor moved up onto record 2, then (the purge flag lets the delete
        // through, as a purge would) records 1 and 2 cut off.
        raw(
            &store,
            "UPDATE audit_head SET base_seq = 2, base_hash = (SELECT hash FROM audit_log WHERE seq = 2) WHERE id = 1",
        )
        .await
        .unwrap();
        let allow = match store.dialect() {
            shuniu_store::Dialect::Postgres => {
                "SET shuniu.audit_purge = 'on'; DELETE FROM audit_log WHERE seq <= 2"
            }
            shuniu_store::Dialect::Sqlite => {
                "UPDATE audit_purge SET active = 1; DELETE FROM audit_log WHERE seq <= 2"
            }
        };
        raw(&store, allow).await.unwrap();
        let b = store
            .audit_verify()
            .await
            .unwrap()
            .first_break
            .expect("the cut is found");
        assert_eq!(
            (b.kind, b.seq),
            (BreakKind::ForgedAnchor, 3),
            "{}",
            b.problem
        );
        assert!(b.problem.contains("anchor"), "{}", b.problem);
    }
);

both_backends!(a_record_past_the_head_is_found, |store: Store| async move {
    make_trail(&store).await;
    raw(&store, "INSERT INTO audit_log (seq, at, actor, role, source, action, object, outcome, details, jurisdiction_path, hash) \
                 SELECT 6, at, 'mallory', role, source, action, object, outcome, details, jurisdiction_path, hash FROM audit_log WHERE seq = 5")
        .await
        .unwrap();
    let b = store
        .audit_verify()
        .await
        .unwrap()
        .first_break
        .expect("found");
    assert_eq!((b.kind, b.seq), (BreakKind::PastHead, 6));
});

both_backends!(
    a_checkpoint_proves_the_chain_still_reaches_it,
    |store: Store| async move {
        make_trail(&store).await;
        // Someone with database access keeps a copy of the head as it is now…
        raw(
            &store,
            "CREATE TABLE saved_head AS SELECT seq, hash, head_mac FROM audit_head",
        )
        .await
        .unwrap();
        for _ in 0..2 {
            store
                .audit(ctx().event_for_tests("login.success"))
                .await
                .unwrap();
        }
        let (r, line) = store.audit_checkpoint().await.unwrap();
        assert_eq!((r.verified, r.first_break), (7, None));
        let line = line.expect("an intact chain is checkpointed");
        assert!(
            line.starts_with("shuniu-audit-checkpoint v1 seq=7 hash="),
            "{line}"
        );
        let cp = store.audit_checkpoint_parse(&line).unwrap();
        store
            .audit(ctx().event_for_tests("login.success"))
            .await
            .unwrap();
        let r = store.audit_verify_since(&cp).await.unwrap();
        assert_eq!(
            (r.verified, r.first_break, r.checkpoint),
            (8, None, Some(CheckpointFinding::Contained))
        );

        // …and later cuts the chain back to it: the old head is genuinely sealed, so
        // only the checkpoint kept outside the database tells.
        store.disable_audit_guard_for_tests().await;
        raw(&store, "DELETE FROM audit_log WHERE seq > 5")
            .await
            .unwrap();
        raw(
            &store,
            "UPDATE audit_head SET seq = (SELECT seq FROM saved_head), hash = (SELECT hash FROM saved_head), \
             head_mac = (SELECT head_mac FROM saved_head) WHERE id = 1",
        )
        .await
        .unwrap();
        assert_eq!(store.audit_verify().await.unwrap().first_break, None);
        let r = store.audit_verify_since(&cp).await.unwrap();
        let b = r
            .first_break
            .expect("the cut below the checkpoint is found");
        assert_eq!(
            (b.kind, b.seq),
            (BreakKind::CheckpointLost, 6),
            "{}",
            b.problem
        );
        assert_eq!(r.verified, 5);
    }
);

both_backends!(
    a_checkpoint_purged_by_retention_is_reported,
    |store: Store| async move {
        make_trail(&store).await;
        let line = store.audit_checkpoint().await.unwrap().1.unwrap();
        let cp = store.audit_checkpoint_parse(&line).unwrap();
        assert_eq!(
            store
                .audit_purge_before(Utc::now() + Duration::hours(1))
                .await
                .unwrap(),
            5
        );
        store
            .audit(ctx().event_for_tests("audit.purge"))
            .await
            .unwrap();
        let r = store.audit_verify_since(&cp).await.unwrap();
        assert_eq!(
            (r.verified, r.first_break, r.checkpoint),
            (
                6,
                None,
                Some(CheckpointFinding::PurgedByRetention { anchor_seq: 5 })
            )
        );
    }
);

both_backends!(forged_checkpoints_are_refused, |store: Store| async move {
    make_trail(&store).await;
    let line = store.audit_checkpoint().await.unwrap().1.unwrap();
    let other = store.clone().with_audit_key(b"another key");
    assert_eq!(
        other.audit_checkpoint_parse(&line),
        Err(CheckpointError::BadMac)
    );
    let forged = line.replace("seq=5", "seq=4");
    assert_eq!(
        store.audit_checkpoint_parse(&forged),
        Err(CheckpointError::BadMac)
    );
    // A broken chain is not checkpointed.
    store.disable_audit_guard_for_tests().await;
    raw(&store, "UPDATE audit_log SET details = '{}' WHERE seq = 2")
        .await
        .unwrap();
    let (r, line) = store.audit_checkpoint().await.unwrap();
    assert_eq!(r.first_break.unwrap().kind, BreakKind::Altered);
    assert_eq!(line, None);
});

both_backends!(
    ends_are_sealed_once_when_an_existing_database_is_upgraded,
    |store: Store| async move {
        make_trail(&store).await;
        // A database from before the MACs: the columns and the migration's record gone.
        raw(
            &store,
            "ALTER TABLE audit_head DROP COLUMN head_mac; ALTER TABLE audit_head DROP COLUMN base_mac; \
             DELETE FROM _sqlx_migrations WHERE version = 20261130140000",
        )
        .await
        .unwrap();
        store.migrate().await.unwrap();
        let r = store.audit_verify().await.unwrap();
        assert_eq!((r.verified, r.first_break), (5, None));
        // A MAC cleared later is a break, and a later migrate does not vouch for it again.
        raw(&store, "UPDATE audit_head SET head_mac = NULL")
            .await
            .unwrap();
        store.migrate().await.unwrap();
        let b = store.audit_verify().await.unwrap().first_break.unwrap();
        assert_eq!(b.kind, BreakKind::ForgedHead);
    }
);

both_backends!(
    display_names_name_the_accounts_among_actors,
    |store: Store| async move {
        store
            .create_user(&user("carol", Role::Admin), "root")
            .await
            .unwrap();
        store
            .create_user(&user("dave", Role::Expert), "root")
            .await
            .unwrap();
        let actors: Vec<String> = ["carol", "-", "dave", "carol", "root"]
            .iter()
            .map(|s| s.to_string())
            .collect();
        let names = store.display_names(&actors).await.unwrap();
        assert_eq!(names.len(), 2, "{names:?}");
        assert_eq!(names["carol"], "CAROL");
        assert_eq!(names["dave"], "DAVE");
        assert!(store.display_names(&[]).await.unwrap().is_empty());
    }
);
