//! Login failures are counted in the database, one statement per failure: parallel
//! wrong passwords are all counted, exactly one of them locks the account, and the
//! right password cannot reset a lock in force — on both backends.

use chrono::Duration;
use shuniu_domain::access::Role;
use shuniu_domain::accounts::{LockoutPolicy, LoginState};
use shuniu_store::{Store, WriteCtx, both_backends};

async fn member(store: &Store, name: &str) -> uuid::Uuid {
    store
        .create_user(
            &shuniu_store::testing::new_user(name, Role::Expert, "$argon2id$fake"),
            WriteCtx::system("test"),
        )
        .await
        .unwrap()
        .id
}

both_backends!(
    parallel_failures_are_all_counted,
    |store: Store| async move {
        let id = member(&store, "guessed").await;
        let policy = LockoutPolicy::default();
        let now = shuniu_store::now();
        let tasks: Vec<_> = (0..40)
            .map(|_| {
                let store = store.clone();
                tokio::spawn(async move { store.record_login_failure(id, now, policy).await })
            })
            .collect();
        let mut counts = vec![];
        for t in tasks {
            let s = t.await.unwrap().unwrap().expect("the user exists");
            counts.push(s.failures);
        }
        counts.sort_unstable();
        assert_eq!(
            counts,
            (1..=40).collect::<Vec<u32>>(),
            "each failure counted once"
        );
        let locking = counts.iter().filter(|n| policy.locks_at(**n)).count();
        assert_eq!(locking, 1, "exactly one failure locks the account");
        let stored: LoginState = store.user_by_id(id).await.unwrap().unwrap().login.into();
        assert_eq!(stored.failures, 40);
        assert_eq!(stored.locked_until, Some(now + policy.lock_for));
        // The right password does not open the lock…
        assert!(!store.record_login_success(id, now).await.unwrap());
        let after: LoginState = store.user_by_id(id).await.unwrap().unwrap().login.into();
        assert_eq!(after, stored);
        // …until it has expired; then it resets the count.
        let later = now + policy.lock_for;
        assert!(store.record_login_success(id, later).await.unwrap());
        let reset: LoginState = store.user_by_id(id).await.unwrap().unwrap().login.into();
        assert_eq!(reset, LoginState::default());
        assert!(
            store
                .record_login_failure(uuid::Uuid::now_v7(), now, policy)
                .await
                .unwrap()
                .is_none()
        );
    }
);

both_backends!(
    the_statements_follow_the_domain_rules,
    |store: Store| async move {
        let id = member(&store, "stepwise").await;
        let policy = LockoutPolicy {
            max_failures: 3,
            lock_for: Duration::minutes(10),
        };
        let t0 = shuniu_store::now();
        let mut expected = LoginState::default();
        // Failures up to the lock, during it, after it expired; a success in between.
        let steps = [0, 1, 2, 3, 4, 11, 12, 30, 45, 46];
        for (i, minute) in steps.into_iter().enumerate() {
            let now = t0 + Duration::minutes(minute);
            if i == 7 {
                let ok = store.record_login_success(id, now).await.unwrap();
                let rule = expected.after_success(now);
                assert_eq!(ok, rule.is_some(), "success at minute {minute}");
                expected = rule.unwrap_or(expected);
            } else {
                let got = store.record_login_failure(id, now, policy).await.unwrap();
                expected = expected.after_failure(now, policy);
                assert_eq!(got, Some(expected), "failure at minute {minute}");
            }
            let stored: LoginState = store.user_by_id(id).await.unwrap().unwrap().login.into();
            assert_eq!(stored, expected, "minute {minute}");
        }
    }
);

both_backends!(
    a_disabled_account_is_not_reset_by_the_right_password,
    |store: Store| async move {
        let id = member(&store, "switched.off").await;
        store
            .set_user_disabled(id, true, WriteCtx::system("test"))
            .await
            .unwrap();
        assert!(
            !store
                .record_login_success(id, shuniu_store::now())
                .await
                .unwrap()
        );
    }
);
