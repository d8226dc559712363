//! Samples for migration 20261122000002 (federation): peers, follows, received activity ids,
//! objects, the delivery queue. They refer to the foundation samples' actors.

use entrepairs::db::Store;
use sqlx::AnyPool;

use super::foundation::{LOCAL, REMOTE};

pub const VERSION: i64 = 20261122000002;

const PEER: &str = "mairie.example";
const FOLLOW: &str = "https://mairie.example/follows/1";
const RECEIVED: &str = "https://mairie.example/activities/42";
const NOTE: &str = "https://mairie.example/notes/7";
const ACTIVITY: &str = "http://upgrade.test/activities/9";
const BODY: &str = r#"{"type":"Create","id":"http://upgrade.test/activities/9"}"#;

pub async fn insert(pool: &AnyPool) {
    sqlx::query(
        "INSERT INTO peers (authority, state, institution, kind, contact, message, actor_ap_id, \
         request_ap_id, decided_by, decided_at, created_at, updated_at) VALUES ($1, 'approved', \
         'Mairie voisine', 'mairie', 'dsi@mairie.example', 'Bonjour', $2, $3, 'admin', \
         1700000000010, 1700000000000, 1700000000010)",
    )
    .bind(PEER)
    .bind("https://mairie.example/actor")
    .bind("https://mairie.example/follows/instance")
    .execute(pool)
    .await
    .expect("peer");
    sqlx::query(
        "INSERT INTO follows (follower_id, followee_id, ap_id, state, created_at, updated_at) \
         VALUES ((SELECT id FROM actors WHERE ap_id = $1), \
         (SELECT id FROM actors WHERE ap_id = $2), $3, 'accepted', 1700000000000, 1700000000000)",
    )
    .bind(REMOTE)
    .bind(LOCAL)
    .bind(FOLLOW)
    .execute(pool)
    .await
    .expect("follow");
    sqlx::query(
        "INSERT INTO received_activities (ap_id, authority, kind, received_at) \
         VALUES ($1, $2, 'Create', 1700000000000)",
    )
    .bind(RECEIVED)
    .bind(PEER)
    .execute(pool)
    .await
    .expect("received");
    sqlx::query(
        "INSERT INTO objects (ap_id, kind, authority, attributed_to, content_html, in_reply_to, \
         published_at, created_at) VALUES ($1, 'Note', $2, $3, '<p>Réunion jeudi</p>', NULL, \
         1700000000000, 1700000000001)",
    )
    .bind(NOTE)
    .bind(PEER)
    .bind(REMOTE)
    .execute(pool)
    .await
    .expect("object");
    sqlx::query(
        "INSERT INTO deliveries (activity_ap_id, sender_id, inbox_url, authority, body, state, \
         attempts, next_attempt_at, locked_until, last_error, last_status, created_at, \
         updated_at) VALUES ($1, (SELECT id FROM actors WHERE ap_id = $2), $3, $4, $5, \
         'pending', 2, 1700000000000, NULL, 'HTTP 503', 503, 1700000000000, 1700000000000)",
    )
    .bind(ACTIVITY)
    .bind(LOCAL)
    .bind("https://mairie.example/inbox")
    .bind(PEER)
    .bind(BODY)
    .execute(pool)
    .await
    .expect("delivery");
}

pub async fn check(store: &Store) {
    let peer = store.peer(PEER).await.expect("db").expect("peer kept");
    assert_eq!(peer.state, "approved");
    assert_eq!(peer.institution, "Mairie voisine");
    assert_eq!(peer.decided_by.as_deref(), Some("admin"));
    assert_eq!(peer.decided_at, Some(1_700_000_000_010));

    let local = store
        .actor_by_ap_id(LOCAL)
        .await
        .expect("db")
        .expect("local");
    let remote = store
        .actor_by_ap_id(REMOTE)
        .await
        .expect("db")
        .expect("remote");
    let follow = store
        .follow_by_ap_id(FOLLOW)
        .await
        .expect("db")
        .expect("follow kept");
    assert_eq!(
        (
            follow.follower_id,
            follow.followee_id,
            follow.state.as_str()
        ),
        (remote.id, local.id, "accepted")
    );
    assert_eq!(
        store.followers(local.id).await.expect("db").len(),
        1,
        "the remote agent still follows"
    );

    assert!(
        !store
            .record_received(RECEIVED, PEER, "Create")
            .await
            .expect("db"),
        "an activity received before the upgrade is still recognised as a replay"
    );

    let note = store
        .object_by_ap_id(NOTE)
        .await
        .expect("db")
        .expect("object kept");
    assert_eq!(note.content_html, "<p>Réunion jeudi</p>");
    assert_eq!(note.attributed_to, REMOTE);

    let claimed = store.claim_deliveries(10, 60_000).await.expect("claim");
    let pending = claimed
        .iter()
        .find(|d| d.activity_ap_id == ACTIVITY)
        .expect("a delivery queued before the upgrade is still sent after it");
    assert_eq!(pending.body, BODY);
    assert_eq!(pending.attempts, 2);
    assert_eq!(pending.sender_id, local.id);
    assert_eq!(pending.last_status, Some(503));
}
