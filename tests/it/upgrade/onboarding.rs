//! Samples for migration 20261204000050 (onboarding): the communities samples' `accueil`
//! opened to the public, and a join link shared before the upgrade with one use spent.

use entrepairs::db::Store;
use sqlx::AnyPool;

pub const VERSION: i64 = 20261204000050;

const TOKEN: &str = "join-link-printed-before-the-upgrade";
/// Far in the future, so that the link is still good when checked.
const EXPIRES: i64 = 4_102_444_800_000;

pub async fn insert(pool: &AnyPool) {
    sqlx::query(
        "INSERT INTO community_public_pages (community_id, enabled_by, enabled_at) \
         VALUES ((SELECT id FROM communities WHERE slug = 'accueil'), 'ines', 1700000000000)",
    )
    .execute(pool)
    .await
    .expect("public page");
    sqlx::query(
        "INSERT INTO community_links (community_id, token, created_by, created_at, expires_at, \
         max_uses, uses) VALUES ((SELECT id FROM communities WHERE slug = 'accueil'), $1, \
         'ines', 1700000000000, $2, 30, 1)",
    )
    .bind(TOKEN)
    .bind(EXPIRES)
    .execute(pool)
    .await
    .expect("join link");
}

pub async fn check(store: &Store) {
    let community = store
        .local_community("accueil")
        .await
        .expect("db")
        .expect("the communities samples' accueil");
    assert!(
        store.public_page_open(community.id).await.expect("db"),
        "a public page opened before the upgrade stays open"
    );
    let link = store
        .community_link(TOKEN)
        .await
        .expect("db")
        .expect("a printed join link still works after the upgrade");
    assert_eq!(link.community_id, community.id);
    assert_eq!(
        (link.max_uses, link.uses, link.revoked_at),
        (Some(30), 1, None)
    );
    assert!(store.spend_community_link(link.id).await.expect("db"));
}
