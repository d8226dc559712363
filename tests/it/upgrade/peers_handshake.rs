//! Samples for migration 20261122000010 (peers handshake): a pending request with what the
//! requester said and what we verified, a queued handshake delivery, an audit entry.

use entrepairs::db::Store;
use sqlx::AnyPool;

pub const VERSION: i64 = 20261122000010;

const PEER: &str = "cdg.example";
const ACTIVITY: &str = "http://upgrade.test/activities/accept-cdg";

pub async fn insert(pool: &AnyPool) {
    sqlx::query(
        "INSERT INTO peers (authority, state, institution, kind, contact, message, actor_ap_id, \
         request_ap_id, created_at, updated_at, branch, verified_institution, verified_kind, \
         our_message, last_request_at) VALUES ($1, 'pending', 'CDG 82', 'cdg', \
         'dsi@cdg.example', 'Bonjour', 'https://cdg.example/actor', \
         'https://cdg.example/activities/1', 1700000000000, 1700000000000, 'fpt', 'CDG 82', \
         'cdg', '', 1700000000000)",
    )
    .bind(PEER)
    .execute(pool)
    .await
    .expect("peer");
    sqlx::query(
        "INSERT INTO deliveries (activity_ap_id, sender_id, inbox_url, authority, body, state, \
         attempts, next_attempt_at, created_at, updated_at, handshake) VALUES ($1, \
         (SELECT MIN(id) FROM actors WHERE is_local = 1), 'https://cdg.example/inbox', $2, '{}', \
         'pending', 0, 1700000000000, 1700000000000, 1700000000000, 1)",
    )
    .bind(ACTIVITY)
    .bind(PEER)
    .execute(pool)
    .await
    .expect("delivery");
    sqlx::query(
        "INSERT INTO federation_audit (at, actor, action, authority, detail) \
         VALUES (1700000000000, 'peer', 'request received', $1, 'Bonjour')",
    )
    .bind(PEER)
    .execute(pool)
    .await
    .expect("audit");
}

pub async fn check(store: &Store) {
    let peer = store.peer(PEER).await.expect("db").expect("peer kept");
    assert_eq!(peer.state, "pending");
    assert_eq!(
        (peer.branch.as_str(), peer.verified_kind.as_str()),
        ("fpt", "cdg")
    );
    assert_eq!(peer.last_request_at, Some(1_700_000_000_000));
    let queued = store.deliveries_in_state("pending", 100).await.expect("db");
    let handshake = queued
        .iter()
        .find(|d| d.activity_ap_id == ACTIVITY)
        .expect("the handshake delivery is kept");
    assert_eq!(handshake.handshake, 1);
    assert!(
        queued
            .iter()
            .filter(|d| d.activity_ap_id != ACTIVITY)
            .all(|d| d.handshake == 0),
        "deliveries queued before this migration are ordinary ones"
    );
    let audit = store.list_audit(10).await.expect("db");
    assert!(
        audit
            .iter()
            .any(|e| e.authority == PEER && e.actor == "peer")
    );
}
