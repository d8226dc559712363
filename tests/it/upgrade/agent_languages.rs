//! Samples for migration 20261204000280 (agent languages, thread views): a language chosen
//! and a thread seen before the upgrade are read after it.

use entrepairs::db::Store;
use sqlx::AnyPool;

pub const VERSION: i64 = 20261204000280;

const THREAD: &str = "http://upgrade.test/posts/1";

pub async fn insert(pool: &AnyPool) {
    sqlx::query(
        "INSERT INTO agent_languages (account_id, language) \
         VALUES ((SELECT id FROM accounts WHERE username = 'ines'), 'en')",
    )
    .execute(pool)
    .await
    .expect("a language");
    sqlx::query(
        "INSERT INTO thread_views (account_id, thread_ap_id, seen_post_id) \
         VALUES ((SELECT id FROM accounts WHERE username = 'ines'), $1, 7)",
    )
    .bind(THREAD)
    .execute(pool)
    .await
    .expect("a thread view");
}

pub async fn check(store: &Store) {
    let ines = store
        .account_by_username("ines")
        .await
        .expect("db")
        .expect("ines");
    assert_eq!(
        store.agent_language(ines.id).await.expect("db").as_deref(),
        Some("en")
    );
    assert_eq!(
        store.thread_seen(ines.id, THREAD).await.expect("db"),
        Some(7)
    );
}
