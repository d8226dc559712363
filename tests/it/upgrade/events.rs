//! Samples for migration 20261122000030 (events): a session of the `accueil` community, a
//! participant and a personal calendar secret.

use entrepairs::db::Store;
use sqlx::AnyPool;

pub const VERSION: i64 = 20261122000030;

const EVENT: &str = "http://upgrade.test/events/decembre";

pub async fn insert(pool: &AnyPool) {
    let (community, account, person): (i64, i64, String) = sqlx::query_as(
        "SELECT c.id, ac.id, a.ap_id FROM communities c, accounts ac JOIN actors a \
         ON a.id = ac.actor_id ORDER BY c.id, ac.id LIMIT 1",
    )
    .fetch_one(pool)
    .await
    .expect("a community and an agent");
    let (event,): (i64,) = sqlx::query_as(
        "INSERT INTO events (ap_id, community_id, authority, organizer, kind, title, source, \
         content_html, starts_at, ends_at, address, online_url, capacity, status, series, \
         sequence, created_at, updated_at) VALUES ($1, $2, 'upgrade.test', $3, 'seance', \
         'Séance de décembre', 'Ordre du jour', '<p>Ordre du jour</p>', 1796113800000, \
         1796122800000, 'Mairie', '', 12, 'confirmed', 'serie-1', 0, 1700000000000, \
         1700000000000) RETURNING id",
    )
    .bind(EVENT)
    .bind(community)
    .bind(&person)
    .fetch_one(pool)
    .await
    .expect("event");
    sqlx::query(
        "INSERT INTO event_participants (event_id, actor_ap_id, state, join_ap_id, created_at, \
         updated_at) VALUES ($1, $2, 'accepted', NULL, 1700000000000, 1700000000000)",
    )
    .bind(event)
    .bind(&person)
    .execute(pool)
    .await
    .expect("participant");
    sqlx::query(
        "INSERT INTO calendar_tokens (account_id, token_hash, created_at) \
         VALUES ($1, 'hash-of-the-secret', 1700000000000)",
    )
    .bind(account)
    .execute(pool)
    .await
    .expect("calendar token");
}

pub async fn check(store: &Store) {
    let e = store
        .event_by_ap_id(EVENT)
        .await
        .expect("db")
        .expect("event kept");
    assert_eq!(
        (e.title.as_str(), e.capacity, e.accepted),
        ("Séance de décembre", Some(12), 1)
    );
    assert!(
        store
            .calendar_account("hash-of-the-secret")
            .await
            .expect("db")
            .is_some(),
        "calendar secret kept"
    );
}
