//! What the search index reads of the store, on both engines: one record after a write,
//! everything in keyset chunks for a rebuild; and the index's hits as ranked ids, which
//! the service list keeps in their order under its other filters.

use shuniu_domain::registry::ServiceDomain;
use shuniu_domain::services::{ServiceData, ServiceDraft};
use shuniu_store::services::ServiceFilter;
use shuniu_store::{Store, both_backends};

use crate::supervision_support::*;

fn service(name: &str, category: &str) -> ServiceData {
    ServiceDraft {
        name: Some(name.into()),
        category: Some(category.into()),
        target_group: Some("独居老人".into()),
        place_kind: Some("home".into()),
        schedule: Some("每周三 9:00–11:00".into()),
        fee: Some("0".into()),
        ..Default::default()
    }
    .validate()
    .unwrap()
}

both_backends!(records_are_read_for_the_index, |store: Store| async move {
    let mut ids = Vec::new();
    for n in 0..5 {
        ids.push(org(&store, 80 + n).await.id);
    }
    let one = store.organization_for_index(ids[0]).await.unwrap().unwrap();
    assert_eq!(one.status, "active");
    assert!(one.jurisdiction_path.ends_with("320102002000/"));
    assert!(!one.domains.is_empty());
    assert!(
        store
            .organization_for_index(uuid::Uuid::now_v7())
            .await
            .unwrap()
            .is_none()
    );
    // Keyset chunks: every organization once, in id order.
    let mut seen = Vec::new();
    let mut after = None;
    loop {
        let chunk = store.organizations_for_index(after, 2).await.unwrap();
        let Some(last) = chunk.last() else { break };
        after = Some(last.id);
        seen.extend(chunk.iter().map(|o| o.id));
    }
    let mut sorted = ids.clone();
    sorted.sort();
    assert_eq!(seen, sorted);

    let meal = store
        .create_service(ids[0], &service("养老助餐", "elderly"), member())
        .await
        .unwrap();
    let class = store
        .create_service(ids[1], &service("四点半课堂", "children"), member())
        .await
        .unwrap();
    let s = store.service_for_index(meal.id).await.unwrap().unwrap();
    assert_eq!(
        (s.name.as_str(), s.category),
        ("养老助餐", Some(ServiceDomain::Elderly))
    );
    assert_eq!(s.organization_name, one.name);
    assert_eq!(store.services_for_index(None, 10).await.unwrap().len(), 2);

    // Ranked ids keep their order, meet the other filters, and none means nothing.
    let ranked = |ids: Vec<uuid::Uuid>, category: Option<ServiceDomain>| ServiceFilter {
        ids: Some(ids),
        category,
        page: 1,
        per_page: 20,
        ..Default::default()
    };
    let page = public_page(&store, &ranked(vec![class.id, meal.id], None)).await;
    let got: Vec<_> = page.items.iter().map(|l| l.service.id).collect();
    assert_eq!((page.total, got), (2, vec![class.id, meal.id]));
    let page = public_page(
        &store,
        &ranked(vec![meal.id, class.id], Some(ServiceDomain::Elderly)),
    )
    .await;
    assert_eq!(
        page.items.iter().map(|l| l.service.id).collect::<Vec<_>>(),
        vec![meal.id]
    );
    assert_eq!(public_page(&store, &ranked(vec![], None)).await.total, 0);
});
