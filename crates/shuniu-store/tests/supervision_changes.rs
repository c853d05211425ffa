//! Change registration on both engines: submit, decide once, approval writes the
//! record with its history and audit; names are unique per authority.

use std::sync::Arc;

use shuniu_domain::money::Fen;
use shuniu_domain::supervision::changes::{
    ChangeDecision, ChangeDraft, ChangeStatus, RegistrationExtras,
};
use shuniu_store::{Store, StoreError, both_backends};

use crate::supervision_support::*;

fn draft(pairs: &[(&str, &str)]) -> ChangeDraft {
    ChangeDraft {
        changes: pairs
            .iter()
            .map(|(k, v)| (k.to_string(), v.to_string()))
            .collect(),
        attachments: vec!["理事会决议（2026年11月）".into()],
        note: None,
    }
}

both_backends!(
    approval_changes_the_record_and_keeps_the_history,
    |store: Store| async move {
        let o = org(&store, 1).await;
        let extras = store.registration_extras(o.id).await.unwrap();
        assert_eq!(extras, RegistrationExtras::default());
        let req = draft(&[
            ("legal_representative", "李四"),
            ("registered_capital", "30000"),
            ("business_scope", "居家养老、心理慰藉"),
        ])
        .validate(&o.data, &extras, today())
        .unwrap();
        let app = store
            .submit_change_application(o.id, &req, today(), member())
            .await
            .unwrap();
        assert_eq!(app.status, ChangeStatus::Submitted);
        assert_eq!(app.authority_path, "320000/320100/320102/");
        // A second open application is refused: its "from" values could go stale.
        let again = store
            .submit_change_application(o.id, &req, today(), member())
            .await;
        assert!(matches!(again, Err(StoreError::Invalid(e)) if e.get("changes").is_some()));
        // Nothing changed yet.
        assert_eq!(
            store
                .organization(o.id)
                .await
                .unwrap()
                .unwrap()
                .data
                .legal_representative,
            "王芳"
        );
        let approved = store
            .decide_change_application(
                app.id,
                &ChangeDecision::parse(Some("approve"), None).unwrap(),
                today(),
                official(),
            )
            .await
            .unwrap();
        assert_eq!(approved.status, ChangeStatus::Approved);
        let after = store.organization(o.id).await.unwrap().unwrap();
        assert_eq!(after.data.legal_representative, "李四");
        let ex = store.registration_extras(o.id).await.unwrap();
        assert_eq!(ex.registered_capital, Some(Fen::yuan(30_000)));
        assert_eq!(ex.business_scope, "居家养老、心理慰藉");
        let history: Vec<String> = store
            .organization_history(o.id)
            .await
            .unwrap()
            .into_iter()
            .map(|h| h.action)
            .collect();
        for a in [
            "change_application.submitted",
            "change_registration",
            "change_application.approved",
        ] {
            assert!(history.contains(&a.to_string()), "{a} in {history:?}");
        }
        // Decided once.
        let twice = store
            .decide_change_application(
                app.id,
                &ChangeDecision::parse(Some("return"), Some("材料不全")).unwrap(),
                today(),
                official(),
            )
            .await;
        assert!(matches!(twice, Err(StoreError::State(_))));
        assert_eq!(store.change_applications_of(o.id).await.unwrap().len(), 1);
        let authority = store.registration_authority(&after).await.unwrap();
        assert_eq!(authority.code.as_str(), "320102");
        assert_eq!(
            store
                .change_applications_for_authority(&authority, Some(ChangeStatus::Approved))
                .await
                .unwrap()
                .len(),
            1
        );
        assert!(
            store
                .change_applications_for_authority(&authority, Some(ChangeStatus::Submitted))
                .await
                .unwrap()
                .is_empty()
        );
        // The desk's counts come from the database, not from a capped list.
        for (status, n) in [
            (Some(ChangeStatus::Approved), 1),
            (Some(ChangeStatus::Submitted), 0),
            (None, 1),
        ] {
            assert_eq!(
                store
                    .count_change_applications_for_authority(&authority, status)
                    .await
                    .unwrap(),
                n,
                "{status:?}"
            );
        }
        assert_eq!(
            store
                .change_applications_head(&authority, None, 1)
                .await
                .unwrap()
                .len(),
            1
        );
        assert!(store.audit_verify().await.unwrap().first_break.is_none());
    }
);

both_backends!(
    a_returned_application_changes_nothing_and_a_move_moves_the_counters,
    |store: Store| async move {
        let o = org(&store, 2).await;
        let ex = store.registration_extras(o.id).await.unwrap();
        let req = draft(&[("address", "长江路1号")])
            .validate(&o.data, &ex, today())
            .unwrap();
        let app = store
            .submit_change_application(o.id, &req, today(), member())
            .await
            .unwrap();
        let r = store
            .decide_change_application(
                app.id,
                &ChangeDecision::parse(Some("return"), Some("住所证明不全")).unwrap(),
                today(),
                official(),
            )
            .await
            .unwrap();
        assert_eq!(r.status, ChangeStatus::Returned);
        assert_eq!(r.decision_reason.as_deref(), Some("住所证明不全"));
        assert_eq!(
            store
                .organization(o.id)
                .await
                .unwrap()
                .unwrap()
                .data
                .address,
            o.data.address
        );
        // Now a move to another street of the same district.
        let req = draft(&[("jurisdiction", "320102007000")])
            .validate(&o.data, &ex, today())
            .unwrap();
        let app = store
            .submit_change_application(o.id, &req, today(), member())
            .await
            .unwrap();
        store
            .decide_change_application(
                app.id,
                &ChangeDecision::parse(Some("approve"), None).unwrap(),
                today(),
                official(),
            )
            .await
            .unwrap();
        assert_eq!(
            store
                .organization(o.id)
                .await
                .unwrap()
                .unwrap()
                .data
                .jurisdiction
                .as_str(),
            "320102007000"
        );
        assert_eq!(
            store.recount_by_jurisdiction().await.unwrap(),
            store.stats_counters().await.unwrap()
        );
    }
);

both_backends!(
    names_are_unique_per_authority_and_the_holder_is_named,
    |store: Store| async move {
        let a = org(&store, 3).await;
        let mut same = org_data(4, MEIYUAN);
        same.name = a.data.name.clone();
        match store.create_organization(&same, "registrar").await {
            Err(StoreError::Conflict { field }) => assert_eq!(field, "name"),
            other => panic!("{other:?}"),
        }
        let e = store
            .name_taken_error(MEIYUAN, &a.data.name, None)
            .await
            .unwrap()
            .unwrap();
        assert!(e.get("name").unwrap().zh.contains(&a.data.name));
        // Another district's authority may register the same name.
        let mut elsewhere = org_data(5, "320104");
        elsewhere.name = a.data.name.clone();
        elsewhere.uscc =
            Some(shuniu_domain::codes::Uscc::assemble('5', '2', "320104", "MT000005").unwrap());
        store
            .create_organization(&elsewhere, "registrar")
            .await
            .unwrap();
        // A rename onto a taken name is refused at approval.
        let b = org(&store, 6).await;
        let ex = store.registration_extras(b.id).await.unwrap();
        let req = draft(&[("name", a.data.name.as_str())])
            .validate(&b.data, &ex, today())
            .unwrap();
        let app = store
            .submit_change_application(b.id, &req, today(), member())
            .await
            .unwrap();
        let r = store
            .decide_change_application(
                app.id,
                &ChangeDecision::parse(Some("approve"), None).unwrap(),
                today(),
                official(),
            )
            .await;
        assert!(matches!(r, Err(StoreError::Conflict { field }) if field == "name"));
        assert_eq!(
            store
                .change_application(app.id)
                .await
                .unwrap()
                .unwrap()
                .status,
            ChangeStatus::Submitted,
            "a failed approval leaves the application open"
        );
    }
);

both_backends!(
    two_concurrent_decisions_decide_once,
    |store: Store| async move {
        let store = Arc::new(store);
        for n in 0..4u32 {
            let o = org(&store, 10 + n).await;
            let ex = store.registration_extras(o.id).await.unwrap();
            let req = draft(&[("legal_representative", "赵六")])
                .validate(&o.data, &ex, today())
                .unwrap();
            let app = store
                .submit_change_application(o.id, &req, today(), member())
                .await
                .unwrap();
            let mut tasks = Vec::new();
            for action in ["approve", "return"] {
                let s = store.clone();
                tasks.push(tokio::spawn(async move {
                    s.decide_change_application(
                        app.id,
                        &ChangeDecision::parse(Some(action), Some("并发测试")).unwrap(),
                        today(),
                        official(),
                    )
                    .await
                }));
            }
            let mut ok = 0;
            for t in tasks {
                match t.await.unwrap() {
                    Ok(_) => ok += 1,
                    Err(StoreError::State(_)) => {}
                    Err(e) => panic!("{e:?}"),
                }
            }
            assert_eq!(ok, 1, "exactly one decision lands");
            let decided = store.change_application(app.id).await.unwrap().unwrap();
            let rep = store
                .organization(o.id)
                .await
                .unwrap()
                .unwrap()
                .data
                .legal_representative;
            assert_eq!(decided.status == ChangeStatus::Approved, rep == "赵六");
        }
        assert!(store.audit_verify().await.unwrap().first_break.is_none());
    }
);
