//! Samples for migration 20261122000050 (action plan): an item of the `accueil` community,
//! escalated, with a comment; and a thread given a category and tags.

use entrepairs::db::Store;
use sqlx::AnyPool;

pub const VERSION: i64 = 20261122000050;

const ITEM: &str = "http://upgrade.test/actions/badge";

pub async fn insert(pool: &AnyPool) {
    let (community,): (i64,) = sqlx::query_as("SELECT id FROM communities ORDER BY id LIMIT 1")
        .fetch_one(pool)
        .await
        .expect("the community of the earlier samples");
    let (item,): (i64,) = sqlx::query_as(
        "INSERT INTO action_items (ap_id, community_id, authority, attributed_to, owner, title, \
         source, content_html, due_on, status, escalated_on, escalated_to, published_at, \
         updated_at) VALUES ($1, $2, 'upgrade.test', 'http://upgrade.test/users/alice', '', \
         'Badges visiteurs', 'Trop peu', '<p>Trop peu</p>', '2027-01-31', 'in_progress', \
         '2026-11-20', 'Secrétaire général', 1700000000000, 1700000000000) RETURNING id",
    )
    .bind(ITEM)
    .bind(community)
    .fetch_one(pool)
    .await
    .expect("item");
    sqlx::query(
        "INSERT INTO action_comments (ap_id, item_id, authority, attributed_to, source, \
         content_html, published_at) VALUES ('http://upgrade.test/actions/c1', $1, \
         'upgrade.test', 'http://upgrade.test/users/alice', 'Relancé', '<p>Relancé</p>', \
         1700000000000)",
    )
    .bind(item)
    .execute(pool)
    .await
    .expect("comment");
    sqlx::query("UPDATE posts SET category = 'veille', tags = ' rh '")
        .execute(pool)
        .await
        .expect("post kinds");
}

pub async fn check(store: &Store) {
    let item = store
        .action_item_by_ap_id(ITEM)
        .await
        .expect("db")
        .expect("item kept");
    assert_eq!(
        (item.status.as_str(), item.escalated_to.as_str()),
        ("in_progress", "Secrétaire général")
    );
    assert_eq!(store.action_comments(item.id).await.expect("db").len(), 1);
    let kit = store
        .post_by_ap_id("http://upgrade.test/posts/kit")
        .await
        .expect("db")
        .expect("thread kept");
    assert_eq!(
        (kit.category.as_str(), kit.tags.as_str()),
        ("veille", " rh ")
    );
}
