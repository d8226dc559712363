//! Samples for migration 20261204000240 (signature schemes, refused relays): a peer known
//! before the upgrade has no scheme yet (draft-cavage is tried first), and a kept relay is
//! read back whole.

use entrepairs::db::Store;
use sqlx::AnyPool;

pub const VERSION: i64 = 20261204000240;

const RAW: &str = r#"{"type":"Announce","id":"https://mairie.example/announces/1"}"#;

pub async fn insert(pool: &AnyPool) {
    sqlx::query(
        "INSERT INTO refused_relays (authority, activity_ap_id, group_ap_id, raw, created_at) \
         VALUES ('tiers.example', 'https://tiers.example/notes/1', \
         'https://mairie.example/groups/accueil', $1, 1700000000000)",
    )
    .bind(RAW)
    .execute(pool)
    .await
    .expect("a refused relay");
}

pub async fn check(store: &Store) {
    assert_eq!(
        store
            .peer_signature_scheme("mairie.example")
            .await
            .expect("scheme"),
        ""
    );
    let kept = store
        .refused_relays_of("tiers.example", 10)
        .await
        .expect("kept");
    assert_eq!(kept.len(), 1);
    assert_eq!(kept[0].raw, RAW);
}
