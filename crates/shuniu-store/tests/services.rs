//! The service catalogue and public contacts on both engines: writes with their
//! places checked, the public list filtered and paged in the database, organizations
//! that may not offer services left out, keyset pages for open data.

use shuniu_domain::registry::{ServiceDomain, StatusChange};
use shuniu_domain::services::{ContactDraft, ServiceData, ServiceDraft, ServiceStatus};
use shuniu_store::services::ServiceFilter;
use shuniu_store::{Store, StoreError, both_backends};
use uuid::Uuid;

use crate::supervision_support::*;

fn service(
    name: &str,
    category: &str,
    place_kind: &str,
    jurisdiction: Option<&str>,
) -> ServiceData {
    ServiceDraft {
        name: Some(name.into()),
        category: Some(category.into()),
        target_group: Some("辖区居民".into()),
        place_kind: Some(place_kind.into()),
        jurisdiction: jurisdiction.map(Into::into),
        schedule: Some("每周三 9:00–11:00".into()),
        fee: Some("12.50".into()),
        ..Default::default()
    }
    .validate()
    .unwrap()
}

fn filter(category: Option<ServiceDomain>, path: Option<&str>) -> ServiceFilter {
    ServiceFilter {
        category,
        jurisdiction_path: path.map(Into::into),
        page: 1,
        per_page: 50,
        ..Default::default()
    }
}

both_backends!(
    services_are_written_listed_and_hidden_with_standing,
    |store: Store| async move {
        let a = org(&store, 70).await;
        let b = org(&store, 71).await;
        let meal = store
            .create_service(
                a.id,
                &service("助餐配送", "elderly", "home", None),
                member(),
            )
            .await
            .unwrap();
        assert_eq!(meal.data.fee.0, 1250);
        assert_eq!(meal.jurisdiction_code, MEIYUAN);
        store
            .create_service(
                b.id,
                &service("四点半课堂", "children", "community", Some("320102002000")),
                member(),
            )
            .await
            .unwrap();
        // An unknown community is the field's error, not a failure.
        let err = store
            .create_service(
                a.id,
                &service("x", "elderly", "community", Some("320102999999")),
                member(),
            )
            .await
            .unwrap_err();
        assert!(
            matches!(&err, StoreError::Invalid(e) if e.get("jurisdiction").is_some()),
            "{err:?}"
        );

        let all = public_page(&store, &filter(None, None)).await;
        assert_eq!(all.total, 2);
        let elderly = public_page(
            &store,
            &filter(Some(ServiceDomain::Elderly), Some("320000/320100/320102/")),
        )
        .await;
        assert_eq!(elderly.total, 1);
        assert_eq!(elderly.items[0].organization_name, a.data.name);
        let elsewhere = public_page(&store, &filter(None, Some("320000/320100/320104/"))).await;
        assert_eq!(elsewhere.total, 0);

        // Edited: visible at once; ended services leave the public list, not the org's own.
        let mut ended = meal.data.clone();
        ended.status = ServiceStatus::Ended;
        let u = store
            .update_service(meal.id, a.id, &ended, member())
            .await
            .unwrap();
        assert_eq!(u.data.status, ServiceStatus::Ended);
        assert_eq!(public_page(&store, &filter(None, None)).await.total, 1);
        assert_eq!(
            store
                .services_of_page(a.id, shuniu_store::At::Cursor(None), 20)
                .await
                .unwrap()
                .total
                .count(),
            1
        );
        // One ended service: gone from the public view, still in the catalogue's.
        assert!(store.public_service(meal.id).await.unwrap().is_none());
        let own = store.service_listing(meal.id).await.unwrap().unwrap();
        assert_eq!(own.service.data.status, ServiceStatus::Ended);
        assert!(
            store
                .service_listing(Uuid::now_v7())
                .await
                .unwrap()
                .is_none()
        );
        // Another organization's service id is not this one's to edit.
        let err = store
            .update_service(meal.id, b.id, &ended, member())
            .await
            .unwrap_err();
        assert!(matches!(err, StoreError::NotFound));

        // A suspended organization's services are not listed (the standing rule).
        store
            .change_status(
                b.id,
                &StatusChange::parse(Some("suspended"), Some("责令暂停活动"), None, today())
                    .unwrap(),
                "official",
            )
            .await
            .unwrap();
        assert_eq!(public_page(&store, &filter(None, None)).await.total, 0);
        assert!(
            store
                .public_services_after(None, 10)
                .await
                .unwrap()
                .is_empty()
        );
    }
);

both_backends!(
    open_data_pages_by_id_and_contacts_are_replaced_whole,
    |store: Store| async move {
        let a = org(&store, 72).await;
        for i in 0..5 {
            store
                .create_service(
                    a.id,
                    &service(&format!("服务{i}"), "employment", "home", None),
                    member(),
                )
                .await
                .unwrap();
        }
        let first = store.public_services_after(None, 3).await.unwrap();
        assert_eq!(first.len(), 3);
        let rest = store
            .public_services_after(Some(first[2].service.id), 3)
            .await
            .unwrap();
        assert_eq!(rest.len(), 2);
        assert!(rest.iter().all(|r| r.service.id > first[2].service.id));

        assert_eq!(store.public_contact(a.id).await.unwrap(), None);
        let c = ContactDraft {
            service_phone: Some("025-84123456".into()),
            service_hours: Some("周一至周五 9:00–17:00".into()),
            address: Some("长江路1号".into()),
        }
        .validate()
        .unwrap();
        store.set_public_contact(a.id, &c, member()).await.unwrap();
        let mut c2 = c.clone();
        c2.service_hours = "每天 8:00–20:00".into();
        store
            .set_public_contact(a.id, &c2, official())
            .await
            .unwrap();
        assert_eq!(store.public_contact(a.id).await.unwrap(), Some(c2));
    }
);
