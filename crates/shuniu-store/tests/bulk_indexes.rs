//! The indexes a bulk load sets aside (`Store::defer_indexes`), on both engines: the
//! non-unique secondary indexes of the tables a load fills go, the unique ones stay and
//! still refuse a taken code, writes go on, and the indexes come back exactly as the
//! migrations made them — at the load's end, or at the next `migrate` after a load
//! that stopped.

use shuniu_domain::registry::LegalForm;
use shuniu_store::testing::MEIYUAN;
use shuniu_store::{Store, StoreError, both_backends};

use crate::tallies::{data, official};

const FILLED: [&str; 3] = ["organizations", "organization_changes", "audit_log"];

both_backends!(
    set_aside_indexes_come_back_as_they_were,
    |store: Store| async move {
        let before = store.schema_facts_for_tests().await.unwrap();
        let n = store.defer_indexes().await.unwrap();
        assert!(n >= 10, "set aside: {n}");
        // Asked again while they are aside: nothing more to set aside.
        assert_eq!(store.defer_indexes().await.unwrap(), 0);
        let during = store.schema_facts_for_tests().await.unwrap();
        let gone: Vec<_> = before.indexes.difference(&during.indexes).collect();
        assert_eq!(gone.len(), n, "{gone:?}");
        assert!(
            gone.iter()
                .all(|i| !i.unique && FILLED.contains(&i.table.as_str())),
            "{gone:?}"
        );
        assert!(during.indexes.is_subset(&before.indexes));

        // Registrations go on, and a unique code is still refused.
        let first = data(1, LegalForm::SocialGroup, MEIYUAN, &["elderly"], "growth");
        store.create_organization(&first, official()).await.unwrap();
        let mut again = data(2, LegalForm::SocialGroup, MEIYUAN, &["elderly"], "growth");
        again.uscc = first.uscc.clone();
        assert!(matches!(
            store.create_organization(&again, official()).await,
            Err(StoreError::Conflict { .. })
        ));

        assert_eq!(store.restore_deferred_indexes().await.unwrap(), n);
        assert_eq!(store.schema_facts_for_tests().await.unwrap(), before);
        assert_eq!(store.restore_deferred_indexes().await.unwrap(), 0);

        // A load that stopped for good: the next migrate builds them back. Again and
        // again, from whichever pooled connection: one that last saw an index another
        // connection dropped once refused to build it back ("already exists").
        for _ in 0..4 {
            assert_eq!(store.defer_indexes().await.unwrap(), n);
            store.migrate().await.unwrap();
        }
        assert_eq!(store.schema_facts_for_tests().await.unwrap(), before);
        // The rows written while they were aside are found through them.
        let listed = store
            .list_organizations(&shuniu_store::OrgFilter::default(), 1, 10)
            .await
            .unwrap();
        assert_eq!(listed.total, 1);
    }
);
