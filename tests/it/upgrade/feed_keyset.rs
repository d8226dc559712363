//! Samples for migration 20261122000070 (feed keyset index): a reply published in the same
//! millisecond as the communities sample's thread; after the upgrade the feed pages through
//! both, one per page, by (published_at, id).

use entrepairs::db::Store;
use sqlx::AnyPool;

pub const VERSION: i64 = 20261122000070;

const REPLY: &str = "http://upgrade.test/posts/kit-reply";

pub async fn insert(pool: &AnyPool) {
    sqlx::query(
        "INSERT INTO posts (ap_id, community_id, kind, authority, attributed_to, thread_ap_id, \
         in_reply_to, title, source, content_html, pinned, locked, published_at, updated_at) \
         SELECT $1, community_id, 'Note', authority, attributed_to, ap_id, ap_id, '', 'Merci', \
         '<p>Merci</p>', 0, 0, published_at, updated_at FROM posts WHERE ap_id = $2",
    )
    .bind(REPLY)
    .bind("http://upgrade.test/posts/kit")
    .execute(pool)
    .await
    .expect("reply");
}

pub async fn check(store: &Store) {
    let reply = store
        .post_by_ap_id(REPLY)
        .await
        .expect("db")
        .expect("reply kept");
    let member = store
        .members(reply.community_id, "accepted")
        .await
        .expect("db")
        .into_iter()
        .next()
        .expect("the sample member");
    let first = store
        .feed(member.actor_id, (i64::MAX, i64::MAX), 1)
        .await
        .expect("db");
    assert_eq!(first.len(), 1);
    let next = store
        .feed(member.actor_id, (first[0].published_at, first[0].id), 1)
        .await
        .expect("db");
    assert_eq!(
        next.len(),
        1,
        "the post of the same millisecond is on the next page"
    );
    assert_ne!(next[0].ap_id, first[0].ap_id);
    assert_eq!(next[0].published_at, first[0].published_at);
}
