//! Samples for migration 20261204000230 (digests): a period already sent to an agent is not
//! sent again after the upgrade.

use entrepairs::db::Store;
use sqlx::AnyPool;

pub const VERSION: i64 = 20261204000230;

const PERIOD: &str = "weekly:2023-11-13";

pub async fn insert(pool: &AnyPool) {
    sqlx::query(
        "INSERT INTO digests_sent (account_id, period, mail_id, items, created_at) VALUES \
         ((SELECT id FROM accounts WHERE username = 'ines'), $1, NULL, 0, 1700000000000)",
    )
    .bind(PERIOD)
    .execute(pool)
    .await
    .expect("a digest sent before the upgrade");
}

pub async fn check(store: &Store) {
    let ines = store
        .account_by_username("ines")
        .await
        .expect("db")
        .expect("ines");
    let due = store
        .digest_accounts_due("weekly", PERIOD)
        .await
        .expect("due");
    assert!(
        !due.contains(&ines.id),
        "the period sent before is not sent again"
    );
}
