//! Samples for migration 20261204000160 (attendance): the December session's participant
//! marked present; the mark and the agent's attended sessions read back at the head.

use entrepairs::db::Store;
use sqlx::AnyPool;

pub const VERSION: i64 = 20261204000160;

const EVENT: &str = "http://upgrade.test/events/decembre";

pub async fn insert(pool: &AnyPool) {
    sqlx::query(
        "UPDATE event_participants SET attended_at = 1796122800000, \
         attended_by = 'http://upgrade.test/users/animateur' \
         WHERE event_id = (SELECT id FROM events WHERE ap_id = $1)",
    )
    .bind(EVENT)
    .execute(pool)
    .await
    .expect("attendance mark");
}

pub async fn check(store: &Store) {
    let e = store
        .event_by_ap_id(EVENT)
        .await
        .expect("db")
        .expect("event kept");
    let people = store.participants(e.id).await.expect("db");
    let p = people.first().expect("participant kept");
    assert_eq!(p.attended_at, Some(1796122800000), "mark kept");
    assert!(store.attended(e.id, &p.actor_ap_id).await.expect("db"));
    let attended = store.attended_events(&p.actor_ap_id).await.expect("db");
    assert_eq!(attended.len(), 1);
}
