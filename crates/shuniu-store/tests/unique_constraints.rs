//! The tables of unique constraints name what the schema holds: a renamed index would
//! otherwise answer a duplicate with a bare conflict on `id` instead of its field.

use shuniu_store::{Store, both_backends};

both_backends!(
    every_listed_unique_constraint_exists,
    |store: Store| async move {
        let listed = shuniu_store::unique_constraints_for_tests();
        assert!(listed.len() >= 9, "{listed:?}");
        for (pg, sqlite) in listed {
            assert!(
                store.has_unique_for_tests(pg, sqlite).await,
                "no unique constraint {pg} / {sqlite} on {}",
                store.backend_name()
            );
        }
    }
);
