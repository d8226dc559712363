//! Samples for migration 20261122000060 (directory and search): the foundation's agent's
//! directory entry and a search document of the communities' thread.

use entrepairs::db::Store;
use sqlx::AnyPool;

pub const VERSION: i64 = 20261122000060;

pub async fn insert(pool: &AnyPool) {
    let (person,): (i64,) = sqlx::query_as(
        "SELECT a.id FROM actors a JOIN accounts ac ON ac.actor_id = a.id ORDER BY a.id LIMIT 1",
    )
    .fetch_one(pool)
    .await
    .expect("the foundation's agent");
    sqlx::query(
        "INSERT INTO directory_entries (actor_id, visibility, branch, service, phone, \
         phone_visibility, email, email_visibility, skills, mobility, mobility_visibility, \
         search_text, updated_at) VALUES ($1, 'circle', 'fpt', 'Accueil', '05 63 00 00 00', \
         'node', 'a@mairie.test', 'circle', 'Accueil du public', 1, 'circle', \
         'alice accueil', 1700000000000)",
    )
    .bind(person)
    .execute(pool)
    .await
    .expect("directory entry");
    sqlx::query(
        "INSERT INTO search_docs (kind, ap_id, community_id, actor_id, title, body, url, \
         published_at, terms) VALUES ('directory', 'http://upgrade.test/users/sample', NULL, \
         $1, 'Alice', 'Accueil', '/directory/1', 1700000000000, 'alic accueil')",
    )
    .bind(person)
    .execute(pool)
    .await
    .expect("search doc");
}

pub async fn check(store: &Store) {
    let person = store.list_accounts().await.expect("db")[0].actor_id;
    let e = store
        .directory_entry(person)
        .await
        .expect("read")
        .expect("the entry survived");
    assert_eq!(e.service, "Accueil");
    assert_eq!(e.phone_visibility, "node");
    check_index(store).await;
}

/// The index answers through the engine's own full-text search after the upgrade.
pub async fn check_index(store: &Store) {
    let person = store.list_accounts().await.expect("db")[0].actor_id;
    let hits = store
        .search(&["accueil".into()], person, 10)
        .await
        .expect("search");
    assert!(hits.iter().any(|h| h.kind == "directory"), "{hits:?}");
}
