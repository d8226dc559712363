//! Samples for migration 20261204000200 (delivery leases): a delivery claimed by a process
//! that died before the upgrade. After it, the row is still queued with its body, and a
//! starting SQLite node releases the claim at once instead of waiting out the lease.

use entrepairs::db::{Engine, Store};
use sqlx::AnyPool;

use super::foundation::LOCAL;

pub const VERSION: i64 = 20261204000200;

const ACTIVITY: &str = "http://upgrade.test/activities/leased";

pub async fn insert(pool: &AnyPool) {
    sqlx::query(
        "INSERT INTO deliveries (activity_ap_id, sender_id, inbox_url, authority, body, state, \
         attempts, next_attempt_at, locked_until, last_error, last_status, created_at, \
         updated_at) VALUES ($1, (SELECT id FROM actors WHERE ap_id = $2), \
         'https://mairie.example/inbox', 'mairie.example', '{\"type\":\"Create\"}', 'pending', \
         0, 1700000000000, 4102444800000, NULL, NULL, 1700000000000, 1700000000000)",
    )
    .bind(ACTIVITY)
    .bind(LOCAL)
    .execute(pool)
    .await
    .expect("a delivery claimed before the upgrade");
    sqlx::query(
        "INSERT INTO worker_instances (id, started_at, heartbeat_at) \
         VALUES ('gone-before-upgrade', 1700000000000, 1700000000000)",
    )
    .execute(pool)
    .await
    .expect("an instance that is gone");
    sqlx::query(
        "INSERT INTO publish_journal (kind, subject, instance, created_at, attempts) \
         VALUES ('post_created', 'http://upgrade.test/posts/never-stored', 'gone-before-upgrade', \
         1700000000000, 0)",
    )
    .execute(pool)
    .await
    .expect("a journal row");
}

pub async fn check(store: &Store) {
    assert!(store.journal_len().await.expect("journal") >= 1);
    assert!(store.count_deliveries("pending").await.expect("count") >= 1);
    if store.engine() == Engine::Sqlite {
        let released = store.register_instance().await.expect("register");
        assert!(released >= 1, "the old claim is released at start");
        let live = store.live_instances().await.expect("instances");
        assert!(!live.iter().any(|i| i == "gone-before-upgrade"), "{live:?}");
        let claimed = store.claim_deliveries(100, 60_000).await.expect("claim");
        assert!(
            claimed.iter().any(|d| d.activity_ap_id == ACTIVITY),
            "the delivery claimed before the upgrade is sent after it"
        );
    }
}
