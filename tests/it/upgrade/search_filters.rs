//! Samples for migration 20261204000180 (search filters): a document indexed by the first
//! stemmer, which the startup pass finds to stem again, its title and body intact.

use entrepairs::db::Store;
use sqlx::AnyPool;

pub const VERSION: i64 = 20261204000180;

pub async fn insert(pool: &AnyPool) {
    sqlx::query(
        "INSERT INTO search_docs (kind, ap_id, community_id, actor_id, title, body, url, \
         published_at, terms, stemmer) VALUES ('resource', 'http://upgrade.test/r/usagers', \
         NULL, NULL, 'Usagers', 'Accueil des usagers', '/r/usagers', 1700000000000, \
         'usager accueil de usager', 1)",
    )
    .execute(pool)
    .await
    .expect("search doc of the first stemmer");
}

pub async fn check(store: &Store) {
    let stale = store.stale_search_docs(2, 1000).await.expect("stale");
    assert!(
        stale
            .iter()
            .any(|d| d.title == "Usagers" && d.body == "Accueil des usagers"),
        "{stale:?}"
    );
}
