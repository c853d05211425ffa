//! Database and backup files are private to their owner (mode 0600): they hold
//! personal data and password hashes. (SQLite only: PostgreSQL keeps its own files.)
#![cfg(unix)]

use std::os::unix::fs::PermissionsExt;

use shuniu_store::Store;

fn mode(path: &std::path::Path) -> u32 {
    std::fs::metadata(path).unwrap().permissions().mode() & 0o777
}

#[tokio::test]
async fn sqlite_database_wal_and_backup_files_are_owner_only() {
    let dir = std::env::temp_dir().join(format!("shuniu-modes-{}", uuid::Uuid::now_v7().simple()));
    std::fs::create_dir_all(&dir).unwrap();
    let db = dir.join("data.db");
    let store = Store::connect(&format!("sqlite://{}", db.display()))
        .await
        .unwrap();
    store.migrate().await.unwrap();
    assert_eq!(mode(&db), 0o600, "database file");
    let wal = dir.join("data.db-wal");
    if wal.exists() {
        assert_eq!(mode(&wal), 0o600, "write-ahead log");
    }
    let backup = dir.join("copy.db");
    store.backup_sqlite(backup.to_str().unwrap()).await.unwrap();
    assert_eq!(mode(&backup), 0o600, "backup file");
    assert!(std::fs::metadata(&backup).unwrap().len() > 0, "a real copy");
    // An existing target is refused, not overwritten.
    assert!(store.backup_sqlite(backup.to_str().unwrap()).await.is_err());
    store.close().await;
    let _ = std::fs::remove_dir_all(&dir);
}
