//! Samples for migration 20261204000300 (session reminders): a reminder sent before the
//! upgrade is not sent again after it.

use entrepairs::db::Store;
use sqlx::AnyPool;

pub const VERSION: i64 = 20261204000300;

/// The session of the events sample.
const EVENT: &str = "http://upgrade.test/events/decembre";

pub async fn insert(pool: &AnyPool) {
    sqlx::query(
        "INSERT INTO session_reminders_sent (account_id, event_id, which, mail_id, created_at) \
         VALUES ((SELECT id FROM accounts WHERE username = 'ines'), (SELECT id FROM events \
         WHERE ap_id = $1), 'day', NULL, 1700000000000)",
    )
    .bind(EVENT)
    .execute(pool)
    .await
    .expect("a reminder sent before the upgrade");
}

pub async fn check(store: &Store) {
    let ines = store
        .account_by_username("ines")
        .await
        .expect("db")
        .expect("ines");
    let event = store
        .event_by_ap_id(EVENT)
        .await
        .expect("db")
        .expect("the session");
    let again = store
        .record_session_reminder(ines.id, event.id, "day", None)
        .await
        .expect("db");
    assert!(!again, "the reminder recorded before is not sent again");
}
