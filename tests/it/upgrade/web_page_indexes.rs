//! Samples for migration 20261204000320 (indexes of the pages' lookups): a second pinned
//! thread by another author, before the communities sample's kit (the feed sample keeps the
//! newest posts); after the upgrade the lookups the new indexes serve answer as before (the
//! welcome kit is the first pinned thread, « has posted » per author, threads still pinned
//! first then newest) and the feed's labels are read in one statement each.

use entrepairs::db::Store;
use sqlx::AnyPool;

pub const VERSION: i64 = 20261204000320;

const KIT: &str = "http://upgrade.test/posts/kit";
const EARLIER: &str = "http://upgrade.test/posts/earlier-pinned";

pub async fn insert(pool: &AnyPool) {
    sqlx::query(
        "INSERT INTO posts (ap_id, community_id, kind, authority, attributed_to, thread_ap_id, \
         in_reply_to, title, source, content_html, pinned, locked, published_at, updated_at) \
         SELECT $1, community_id, 'Page', authority, 'http://upgrade.test/users/bob', $1, NULL, \
         'Horaires', 'Horaires', '<p>Horaires</p>', 1, 0, published_at - 500, updated_at - 500 \
         FROM posts WHERE ap_id = $2",
    )
    .bind(EARLIER)
    .bind(KIT)
    .execute(pool)
    .await
    .expect("earlier pinned thread");
}

pub async fn check(store: &Store) {
    let kit = store
        .post_by_ap_id(KIT)
        .await
        .expect("db")
        .expect("the kit");
    let earlier = store
        .post_by_ap_id(EARLIER)
        .await
        .expect("db")
        .expect("the earlier pinned thread");
    let c = kit.community_id;
    let (kit_id, title) = store
        .welcome_kit(c)
        .await
        .expect("db")
        .expect("a welcome kit");
    assert_eq!(
        (kit_id, title.as_str()),
        (earlier.id, "Horaires"),
        "the first pinned"
    );
    assert!(
        store
            .has_posted_in(c, &kit.attributed_to)
            .await
            .expect("db")
    );
    assert!(
        store
            .has_posted_in(c, "http://upgrade.test/users/bob")
            .await
            .expect("db")
    );
    assert!(
        !store
            .has_posted_in(c, "http://upgrade.test/users/nobody")
            .await
            .expect("db")
    );
    let threads: Vec<i64> = store
        .threads(c)
        .await
        .expect("db")
        .iter()
        .filter(|p| p.pinned == 1)
        .map(|p| p.id)
        .collect();
    assert_eq!(&threads[..2], &[kit.id, earlier.id], "pinned, newest first");
    let names = store.community_names(&[c, -1]).await.expect("db");
    assert_eq!(names.len(), 1);
    assert!(!names[&c].is_empty());
    let ids = store
        .post_ids_by_ap_id(&[KIT, EARLIER, "http://upgrade.test/posts/none"])
        .await
        .expect("db");
    assert_eq!((ids[KIT], ids[EARLIER], ids.len()), (kit.id, earlier.id, 2));
}
