//! Obligation reports and the quarterly summaries.

use super::*;

both_backends!(
    obligation_reports_and_summaries,
    |store: Store| async move {
        let (venue, _, _) = park(&store).await;
        let a = new_org(&store, 1, "甲机构").await;
        let b = new_org(&store, 2, "乙机构").await;
        let q3 = Quarter {
            year: 2026,
            quarter: 3,
        };
        let q4 = Quarter {
            year: 2026,
            quarter: 4,
        };
        let q1 = Quarter {
            year: 2027,
            quarter: 1,
        };
        let report = |o: Uuid, q: Quarter, hours: u32, served: u32| ObligationReportData {
            organization_id: o,
            quarter: q,
            service_hours: hours,
            residents_served: served,
            note: format!("{q} 社区服务"),
        };
        let first = store
            .report_obligation(venue, &report(a, q3, 50, 200), "alice")
            .await
            .unwrap();
        assert_eq!(first.organization_name, "甲机构");
        assert_eq!(first.reported_by, "alice");
        // Reporting the same quarter again replaces the report (and keeps its id).
        let replaced = store
            .report_obligation(venue, &report(a, q3, 70, 260), "bob")
            .await
            .unwrap();
        assert_eq!(replaced.id, first.id);
        store
            .report_obligation(venue, &report(b, q3, 40, 100), "t")
            .await
            .unwrap();
        store
            .report_obligation(venue, &report(b, q4, 30, 90), "t")
            .await
            .unwrap();
        // Another venue's report does not count here.
        let other = store
            .create_venue(None, &venue_data("锁金村工作站", SUOJIN), "t")
            .await
            .unwrap();
        store
            .report_obligation(other.id, &report(a, q4, 999, 999), "t")
            .await
            .unwrap();

        let sums = store
            .obligation_summaries(venue, &[q3, q1, q4])
            .await
            .unwrap();
        let quarters: Vec<Quarter> = sums.iter().map(|s| s.quarter).collect();
        assert_eq!(quarters, vec![q1, q4, q3]);
        assert!(sums.iter().all(|s| s.target_hours == 120));
        assert_eq!(
            sums.iter()
                .map(|s| (s.delivered_hours, s.residents_served, s.reports.len()))
                .collect::<Vec<_>>(),
            vec![(0, 0, 0), (30, 90, 1), (110, 360, 2)]
        );
        let q3_reports = &sums[2].reports;
        let mine = q3_reports
            .iter()
            .find(|r| r.data.organization_id == a)
            .unwrap();
        assert_eq!(mine.data, report(a, q3, 70, 260));
        assert_eq!(mine.reported_by, "bob");

        match store
            .report_obligation(venue, &report(Uuid::now_v7(), q3, 1, 1), "t")
            .await
        {
            Err(StoreError::Invalid(e)) => assert!(e.get("organization_id").is_some()),
            r => panic!("expected Invalid(organization_id), got {r:?}"),
        }
        assert!(matches!(
            store
                .report_obligation(Uuid::now_v7(), &report(a, q3, 1, 1), "t")
                .await,
            Err(StoreError::NotFound)
        ));
        assert!(
            store
                .obligation_summaries(venue, &[])
                .await
                .unwrap()
                .is_empty()
        );
        let audits = audited(&store, "obligation.report").await;
        assert_eq!(audits.len(), 5);
        assert!(
            audits
                .iter()
                .filter(|r| r.event.object == format!("venue:{venue}"))
                .count()
                == 4
        );
        chain_is_clean(&store).await;
    }
);
