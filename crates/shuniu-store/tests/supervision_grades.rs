//! Assessment and grades on both engines: a grade only from an award after the notice
//! (or an import), eligibility named, lowering and withdrawal, expiry clears the
//! registry's grade so lists and filters stop counting it.

use std::collections::BTreeMap;

use shuniu_domain::money::Fen;
use shuniu_domain::registry::Grade;
use shuniu_domain::supervision::annual::ReportContents;
use shuniu_domain::supervision::assessment::{
    ApplicationStage, GradeChange, GradeSource, IndicatorTable, TableKind,
};
use shuniu_domain::supervision::credit::CreditSettings;
use shuniu_store::supervision::assessment::NewRound;
use shuniu_store::{OrgFilter, Store, StoreError, WriteCtx, both_backends};

use crate::supervision_support::*;

fn contents() -> ReportContents {
    ReportContents {
        activities: "助老".into(),
        income: Fen::yuan(1),
        expenditure: Fen::yuan(1),
        net_assets: Fen::yuan(1),
        donations: Fen(0),
        government_funding: Fen(0),
        staff_full_time: 1,
        staff_part_time: 0,
        volunteers: 0,
        party_building: String::new(),
        major_events: String::new(),
    }
}

both_backends!(
    a_round_awards_a_grade_after_the_notice,
    |store: Store| async move {
        let o = org(&store, 70).await;
        let xuanwu = store.jurisdiction("320102").await.unwrap().unwrap();
        let round = store
            .open_assessment_round(
                &xuanwu,
                &NewRound {
                    year: 2026,
                    title: "玄武区2026年度社会组织等级评估".into(),
                    opens_on: d(2026, 3, 1),
                    closes_on: d(2026, 4, 30),
                    notice_days: 7,
                },
                official(),
            )
            .await
            .unwrap();
        // No report on last year: not eligible, and the rule is named.
        let refused = store
            .apply_for_assessment(
                round.id,
                o.id,
                TableKind::ServiceInstitution,
                d(2026, 3, 10),
                member(),
            )
            .await;
        match refused {
            Err(StoreError::Invalid(e)) => assert!(
                e.get("organization")
                    .unwrap()
                    .en
                    .contains("annual inspection"),
                "{e}"
            ),
            other => panic!("{other:?}"),
        }
        let settings = CreditSettings {
            from_year: 2025,
            ..Default::default()
        };
        let r = store
            .file_annual_report(o.id, 2025, &contents(), d(2026, 3, 2), &settings, member())
            .await
            .unwrap();
        store
            .review_annual_report(
                r.id,
                &shuniu_domain::supervision::annual::Review::parse(Some("qualified"), None)
                    .unwrap(),
                d(2026, 3, 5),
                official(),
            )
            .await
            .unwrap();
        let app = store
            .apply_for_assessment(
                round.id,
                o.id,
                TableKind::ServiceInstitution,
                d(2026, 3, 10),
                member(),
            )
            .await
            .unwrap();
        assert!(
            store
                .apply_for_assessment(
                    round.id,
                    o.id,
                    TableKind::ServiceInstitution,
                    d(2026, 3, 11),
                    member()
                )
                .await
                .is_err(),
            "one application per round"
        );
        // The round takes applications from its opening to its closing day only.
        let open = store
            .open_rounds_of(&round.authority_path, d(2026, 3, 10))
            .await
            .unwrap();
        assert_eq!(open.iter().map(|r| r.id).collect::<Vec<_>>(), [round.id]);
        let after = store
            .open_rounds_of(&round.authority_path, d(2026, 5, 1))
            .await
            .unwrap();
        assert!(after.is_empty(), "{after:?}");
        let mine = store.applications_of(o.id).await.unwrap();
        assert_eq!(
            mine.iter()
                .map(|m| (m.application.id, m.round_year, m.round_title.as_str()))
                .collect::<Vec<_>>(),
            [(app.id, 2026, "玄武区2026年度社会组织等级评估")]
        );
        let table = IndicatorTable::jiangsu_default(TableKind::ServiceInstitution);
        let scores: BTreeMap<String, u32> = table
            .areas
            .iter()
            .map(|a| (a.code.clone(), a.points * 9 / 10))
            .collect();
        let scored = store
            .score_assessment(app.id, &table, &scores, 0, official())
            .await
            .unwrap();
        assert_eq!(
            (scored.stage, scored.total, scored.grade),
            (ApplicationStage::Scored, Some(900), Some(Grade::A4))
        );
        // No award before the notice, nor during it.
        assert!(
            store
                .award_assessment_grade(app.id, d(2026, 6, 1), "玄民〔2026〕30号", official())
                .await
                .is_err()
        );
        store
            .start_assessment_notice(app.id, d(2026, 6, 1), official())
            .await
            .unwrap();
        assert!(matches!(
            store
                .award_assessment_grade(app.id, d(2026, 6, 7), "玄民〔2026〕30号", official())
                .await,
            Err(StoreError::Invalid(_))
        ));
        let award = store
            .award_assessment_grade(app.id, d(2026, 6, 8), "玄民〔2026〕30号", official())
            .await
            .unwrap();
        assert_eq!(award.award.expires_on, d(2031, 6, 8));
        let after = store.organization(o.id).await.unwrap().unwrap();
        assert_eq!(
            (after.data.grade, after.data.grade_awarded_on),
            (Some(Grade::A4), Some(d(2026, 6, 8)))
        );
        assert_eq!(
            store
                .assessment_application(app.id)
                .await
                .unwrap()
                .unwrap()
                .stage,
            ApplicationStage::Awarded
        );
        assert!(store.audit_verify().await.unwrap().first_break.is_none());
    }
);

both_backends!(
    grades_are_lowered_withdrawn_and_expire,
    |store: Store| async move {
        let o = org(&store, 71).await;
        store
            .import_grade(
                o.id,
                Grade::A5,
                d(2020, 12, 1),
                "玄民〔2020〕50号",
                official(),
            )
            .await
            .unwrap();
        let awards = store
            .change_grade(
                o.id,
                &GradeChange::parse(Grade::A5, Some("3A"), Some("列入活动异常名录")).unwrap(),
                d(2024, 1, 5),
                official(),
            )
            .await
            .unwrap();
        assert_eq!(awards.len(), 2);
        assert_eq!(awards[1].award.source, GradeSource::Lowered);
        assert_eq!(
            awards[1].award.expires_on,
            d(2025, 12, 1),
            "lowering keeps the expiry"
        );
        assert_eq!(
            store.organization(o.id).await.unwrap().unwrap().data.grade,
            Some(Grade::A3)
        );
        // Expiry clears the registry's grade: filters stop counting it.
        let ctx = WriteCtx::system("supervise");
        assert_eq!(store.expire_grades(d(2025, 11, 30), &ctx).await.unwrap(), 0);
        assert_eq!(store.expire_grades(d(2025, 12, 1), &ctx).await.unwrap(), 1);
        assert_eq!(
            store.expire_grades(d(2025, 12, 1), &ctx).await.unwrap(),
            0,
            "idempotent"
        );
        let filter = OrgFilter {
            grade: Some(Grade::A3),
            ..Default::default()
        };
        assert_eq!(
            store
                .list_organizations(&filter, 1, 10)
                .await
                .unwrap()
                .total,
            0
        );
        // Withdrawal.
        let p = org(&store, 72).await;
        store
            .import_grade(
                p.id,
                Grade::A4,
                d(2023, 6, 1),
                "玄民〔2023〕8号",
                official(),
            )
            .await
            .unwrap();
        store
            .change_grade(
                p.id,
                &GradeChange::parse(Grade::A4, None, Some("严重违法失信")).unwrap(),
                d(2024, 6, 1),
                official(),
            )
            .await
            .unwrap();
        assert_eq!(
            store.organization(p.id).await.unwrap().unwrap().data.grade,
            None
        );
        assert!(
            store
                .change_grade(
                    p.id,
                    &GradeChange::parse(Grade::A4, None, Some("x")).unwrap(),
                    d(2024, 6, 2),
                    official()
                )
                .await
                .is_err(),
            "nothing left to withdraw"
        );
        // A grade written before award rows existed expires too, and is kept as an import.
        let mut legacy = org_data(73, MEIYUAN);
        legacy.grade = Some(Grade::A2);
        legacy.grade_awarded_on = Some(d(2015, 3, 1));
        let l = store
            .create_organization(&legacy, "registrar")
            .await
            .unwrap();
        assert_eq!(store.expire_grades(d(2026, 1, 1), &ctx).await.unwrap(), 1);
        let kept = store.grade_awards(l.id).await.unwrap();
        assert_eq!((kept.len(), kept[0].award.source), (1, GradeSource::Import));
    }
);
