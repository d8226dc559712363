//! Samples for migration 20261122000040 (resources): the survival kit of the `accueil`
//! community written at 20261122000020, with two revisions and an attachment.

use entrepairs::db::Store;
use sqlx::AnyPool;

pub const VERSION: i64 = 20261122000040;

const KIT: &str = "http://upgrade.test/c/accueil/resources/kit";

pub async fn insert(pool: &AnyPool) {
    let (community,): (i64,) = sqlx::query_as("SELECT id FROM communities WHERE slug = 'accueil'")
        .fetch_one(pool)
        .await
        .expect("the community of 20261122000020");
    let (resource,): (i64,) = sqlx::query_as(
        "INSERT INTO resources (ap_id, community_id, slug, kind, title, source, content_html, \
         revision, attributed_to, created_at, updated_at) VALUES ($1, $2, 'kit', 'kit', \
         'Kit de survie', '# Kit v2', '<h3>Kit v2</h3>', 2, 'http://upgrade.test/users/alice', \
         1700000000000, 1700000100000) RETURNING id",
    )
    .bind(KIT)
    .bind(community)
    .fetch_one(pool)
    .await
    .expect("resource");
    sqlx::query(
        "INSERT INTO resource_attachments (resource_id, name, media_type, size_bytes, sha256, \
         uploaded_by, created_at) VALUES ($1, 'fiche.pdf', 'application/pdf', 1200, \
         'ab12', 'http://upgrade.test/users/alice', 1700000000000)",
    )
    .bind(resource)
    .execute(pool)
    .await
    .expect("attachment");
    for (n, text) in [(1_i64, "# Kit"), (2, "# Kit v2")] {
        sqlx::query(
            "INSERT INTO resource_revisions (resource_id, number, author, title, source, summary, \
             created_at) VALUES ($1, $2, 'http://upgrade.test/users/alice', 'Kit de survie', \
             $3, 'Première version', 1700000000000)",
        )
        .bind(resource)
        .bind(n)
        .bind(text)
        .execute(pool)
        .await
        .expect("revision");
    }
}

pub async fn check(store: &Store) {
    let r = store
        .resource_by_ap_id(KIT)
        .await
        .expect("db")
        .expect("resource kept");
    assert_eq!((r.revision, r.source.as_str()), (2, "# Kit v2"));
    let history = store.revisions(r.id).await.expect("db");
    let files = store.attachments_of(r.id).await.expect("db");
    assert_eq!(files[0].name, "fiche.pdf");
    assert_eq!(
        history.iter().map(|v| v.number).collect::<Vec<_>>(),
        vec![2, 1]
    );
}
