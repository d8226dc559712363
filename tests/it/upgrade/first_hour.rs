//! Samples for migration 20261204000110 (the first hour): the directory entry written before
//! it does not offer mentoring after the upgrade, and a welcome kit read at that schema is
//! still known as read.

use entrepairs::db::Store;
use sqlx::AnyPool;

pub const VERSION: i64 = 20261204000110;

pub async fn insert(pool: &AnyPool) {
    sqlx::query(
        "INSERT INTO welcome_kit_reads (account_id, community_id, read_at) \
         VALUES ((SELECT MIN(id) FROM accounts), (SELECT MIN(id) FROM communities), \
         1700000000000)",
    )
    .execute(pool)
    .await
    .expect("kit read");
}

pub async fn check(store: &Store) {
    let accounts = store.list_accounts().await.expect("db");
    let entry = store
        .directory_entry(accounts[0].actor_id)
        .await
        .expect("db")
        .expect("the entry survived");
    assert_eq!(
        entry.welcomes_newcomers, 0,
        "nobody offers mentoring unasked"
    );
    let first = accounts.iter().map(|a| a.id).min().expect("an account");
    let community = store
        .list_communities()
        .await
        .expect("db")
        .iter()
        .map(|c| c.id)
        .min()
        .expect("a community");
    assert!(store.kit_read(first, community).await.expect("db"));
}
