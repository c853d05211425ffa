//! The demo's history as loaded, on SQLite and on PostgreSQL: memberships on their own
//! dates, recognitions of 2011–2013, grades in round batches (some expired), suspended
//! and deregistered organizations, change registrations, communities, foundations
//! registered by the city, working days throughout.

use std::collections::{BTreeMap, HashMap};

use chrono::{Datelike, NaiveDate, Weekday};
use shuniu_domain::jurisdiction::{Level, XUANWU_STREETS};
use shuniu_domain::registry::{LegalForm, OrgStatus, Organization};
use shuniu_domain::supervision::assessment::{ApplicationStage, GradeSource};
use shuniu_domain::supervision::changes::ChangeStatus;
use shuniu_store::{HubFilter, OrgFilter, Store, both_backends};

fn today() -> NaiveDate {
    NaiveDate::from_ymd_opt(2026, 11, 30).unwrap()
}

fn weekday(d: NaiveDate) -> bool {
    !matches!(d.weekday(), Weekday::Sat | Weekday::Sun)
}

async fn all(store: &Store, filter: &OrgFilter) -> Vec<Organization> {
    let mut out = Vec::new();
    for page in 1.. {
        let p = store.list_organizations(filter, page, 200).await.unwrap();
        let pages = p.pages();
        out.extend(p.items);
        if page >= pages {
            break;
        }
    }
    out
}

/// "玄民〔2013〕31号" → (2013, 31).
fn number(doc: &str) -> (i32, u32) {
    let year = doc.split('〔').nth(1).unwrap()[..4].parse().unwrap();
    let n = doc.split('〕').nth(1).unwrap().trim_end_matches('号');
    (year, n.parse().unwrap())
}

both_backends!(the_demo_tells_a_history, |store: Store| async move {
    let s = shuniu_demo::load(&store, today()).await.unwrap();
    assert!(s.loaded);
    let h = s.history;
    let orgs = all(&store, &OrgFilter::default()).await;
    assert_eq!(orgs.len(), 1379);

    // Founding dates on working days.
    for o in &orgs {
        assert!(
            weekday(o.data.founded_on),
            "{} {}",
            o.data.name,
            o.data.founded_on
        );
    }

    // Recognitions in 2011–2013, on working days; document numbers in date order.
    let hubs = store
        .list_hubs(&HubFilter::default(), 1, 200)
        .await
        .unwrap();
    assert_eq!(hubs.items.len(), 11);
    let mut docs: Vec<(NaiveDate, (i32, u32))> = Vec::new();
    for hub in &hubs.items {
        let r = &hub.recognition;
        assert!(
            (2011..=2013).contains(&r.recognized_on.year()),
            "{} {}",
            hub.organization_name,
            r.recognized_on
        );
        assert!(weekday(r.recognized_on), "{}", hub.organization_name);
        let (year, n) = number(&r.document_number);
        assert_eq!(year, r.recognized_on.year(), "{}", r.document_number);
        docs.push((r.recognized_on, (year, n)));
    }
    docs.sort();
    for w in docs.windows(2) {
        assert!(w[0].1 < w[1].1, "numbers out of date order: {docs:?}");
    }

    // Memberships applied and decided between the hub's recognition and today.
    let mut decided_days = std::collections::BTreeSet::new();
    for hub in &hubs.items {
        let members = store.hub_members(hub.id, None, 1, 200).await.unwrap();
        assert!(!members.items.is_empty(), "{}", hub.organization_name);
        for m in &members.items {
            assert!(
                m.applied_on >= hub.recognition.recognized_on && m.applied_on <= today(),
                "{} in {}: applied {}",
                m.organization_name,
                hub.organization_name,
                m.applied_on
            );
            if let Some(d) = m.decided_on {
                assert!(d >= m.applied_on && d <= today(), "{}", m.organization_name);
                decided_days.insert(d);
            }
        }
    }
    // Not all on one day: a history, not a load date.
    assert!(decided_days.len() > 50, "{} days", decided_days.len());
    assert!(decided_days.iter().next().unwrap().year() <= 2013);

    // Grades in round batches; some expired, their organizations without a current grade.
    assert!(h.grade_awards > 50, "{h:?}");
    assert!(h.grades_expired >= 3, "{h:?}");
    let mut expired_seen = 0;
    let mut batches: BTreeMap<NaiveDate, usize> = BTreeMap::new();
    for o in orgs
        .iter()
        .filter(|o| o.data.legal_form != LegalForm::CommunityFiled)
    {
        for a in store.grade_awards(o.id).await.unwrap() {
            let on = a.award.awarded_on;
            assert!(
                weekday(on) && on.month() == 12 && on.year() % 2 == 1,
                "{on}"
            );
            assert_eq!(on, shuniu_demo::round_award_day(on.year()));
            *batches.entry(on).or_default() += 1;
            if a.award.expires_on <= today() {
                expired_seen += 1;
                assert!(
                    o.data.grade.is_none(),
                    "{} keeps an expired grade",
                    o.data.name
                );
            } else {
                assert_eq!(o.data.grade, Some(a.award.grade), "{}", o.data.name);
            }
            let (year, _) = number(&a.document);
            assert_eq!(year, on.year(), "{}", a.document);
        }
    }
    assert_eq!(expired_seen, h.grades_expired);

    // The latest district round ran through the store: applications, one refused at
    // preliminary review, one below every grade, the rest awarded under one decision.
    assert!(
        h.round_awards > 5 && h.round_applications >= h.round_awards + 2,
        "{h:?}"
    );
    let rounds = store.assessment_rounds_page(1, 20).await.unwrap();
    assert_eq!(rounds.total, 1, "{rounds:?}");
    let round = &rounds.items[0];
    assert_eq!(round.authority_code, "320102");
    assert_eq!(round.year % 2, 1, "a biennial round");
    let apps = store.round_applications(round.id).await.unwrap();
    assert_eq!(apps.len(), h.round_applications);
    let stage = |s: ApplicationStage| apps.iter().filter(|a| a.application.stage == s).count();
    assert_eq!(stage(ApplicationStage::Awarded), h.round_awards);
    assert_eq!(stage(ApplicationStage::Refused), 1);
    assert_eq!(stage(ApplicationStage::NotGraded), 1);
    for a in apps
        .iter()
        .filter(|a| a.application.stage == ApplicationStage::Awarded)
    {
        let awards = store
            .grade_awards(a.application.organization_id)
            .await
            .unwrap();
        let from_round = awards
            .iter()
            .find(|w| w.application_id == Some(a.application.id))
            .expect("the award names its application");
        assert_eq!(from_round.award.source, GradeSource::Assessment);
        assert_eq!(Some(from_round.award.grade), a.application.grade);
        assert!(a.application.applied_on.month() >= 9 && a.application.applied_on.month() <= 10);
    }
    assert!(batches.len() >= 4, "{batches:?}");

    // Suspended and deregistered organizations, with dates and reasons.
    let by_status = |st: OrgStatus| orgs.iter().filter(move |o| o.status == st);
    assert!(by_status(OrgStatus::Suspended).count() >= 1);
    assert!(by_status(OrgStatus::Deregistered).count() >= 1);
    assert_eq!(
        by_status(OrgStatus::Suspended).count(),
        h.suspended - h.reinstated
    );
    assert_eq!(by_status(OrgStatus::Deregistered).count(), h.deregistered);
    for o in orgs.iter().filter(|o| o.status != OrgStatus::Active) {
        let on = o.status_changed_on.expect("a status date");
        assert!(
            weekday(on) && on <= today() && on > o.data.founded_on,
            "{on}"
        );
        assert!(!o.status_reason.as_deref().unwrap_or("").is_empty());
    }
    assert!(h.reinstated >= 1, "{h:?}");

    // Change registrations: some pending in the district's queue, some decided.
    let xuanwu = store.jurisdiction("320102").await.unwrap().unwrap();
    let apps = store
        .change_applications_for_authority(&xuanwu, None)
        .await
        .unwrap();
    let count = |st: ChangeStatus| apps.iter().filter(|a| a.status == st).count();
    assert!(count(ChangeStatus::Submitted) >= 1, "{h:?}");
    assert!(count(ChangeStatus::Approved) >= 1, "{h:?}");
    assert!(count(ChangeStatus::Returned) >= 1, "{h:?}");
    assert_eq!(count(ChangeStatus::Submitted), h.changes_pending);
    for a in &apps {
        if let Some(d) = a.decided_on {
            assert!(weekday(d) && d <= today(), "{d}");
        }
        if a.status == ChangeStatus::Returned {
            assert!(!a.decision_reason.as_deref().unwrap_or("").is_empty());
        }
        if a.status == ChangeStatus::Approved {
            // The approval changed the record.
            let o = orgs.iter().find(|o| o.id == a.organization_id).unwrap();
            let extras = store.registration_extras(o.id).await.unwrap();
            for c in &a.changes {
                let now =
                    shuniu_domain::supervision::changes::current_value(&o.data, &extras, c.field);
                assert_eq!(now, c.to, "{}", o.data.name);
            }
        }
    }

    // Every street has its communities.
    for (code, name, _) in XUANWU_STREETS {
        let communities: Vec<_> = store
            .jurisdiction_children(code)
            .await
            .unwrap()
            .into_iter()
            .filter(|j| j.level == Level::Community)
            .collect();
        assert!(communities.len() >= 3, "{name}: {communities:?}");
        assert!(communities.iter().all(|c| c.name_zh.ends_with("社区")));
    }

    // Foundations are registered by the city.
    let foundations: Vec<_> = orgs
        .iter()
        .filter(|o| o.data.legal_form == LegalForm::Foundation)
        .collect();
    assert!(!foundations.is_empty());
    for o in foundations {
        let authority = store.registration_authority(o).await.unwrap();
        assert_eq!(authority.code.as_str(), "320100", "{}", o.data.name);
        assert_eq!(o.data.uscc.as_ref().unwrap().division(), "320100");
    }

    // Names are unique among what was loaded (the history changed no name).
    let mut names: HashMap<&str, usize> = HashMap::new();
    for o in &orgs {
        *names.entry(o.data.name.as_str()).or_default() += 1;
    }
    assert!(names.values().all(|&n| n == 1));
});
