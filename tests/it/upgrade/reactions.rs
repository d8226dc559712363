//! Samples for migration 20261204000250 (reactions): a « Merci » stored before the upgrade is
//! counted after it, with its author's name.

use entrepairs::db::Store;
use sqlx::AnyPool;

use super::foundation::LOCAL;

pub const VERSION: i64 = 20261204000250;

const LIKE: &str = "http://upgrade.test/likes/1";

pub async fn insert(pool: &AnyPool) {
    sqlx::query(
        "INSERT INTO reactions (community_id, object_ap_id, actor_ap_id, kind, ap_id, created_at) \
         VALUES ((SELECT MIN(id) FROM communities), 'http://upgrade.test/posts/1', $1, 'merci', \
         $2, 1700000000000)",
    )
    .bind(LOCAL)
    .bind(LIKE)
    .execute(pool)
    .await
    .expect("a reaction");
}

pub async fn check(store: &Store) {
    let community = store
        .reaction_community(LIKE)
        .await
        .expect("db")
        .expect("the reaction is kept");
    let all = store.community_reactions(community).await.expect("db");
    let r = all.iter().find(|r| r.ap_id == LIKE).expect("listed");
    assert_eq!(r.kind, "merci");
    assert!(!r.name.is_empty(), "its author is named");
}
