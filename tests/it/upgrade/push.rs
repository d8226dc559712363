//! Samples for migration 20261204000130 (Web Push): the node's VAPID key, a device and a push
//! waiting for it survive the upgrade and are read back through the store.

use entrepairs::db::Store;
use sqlx::AnyPool;

pub const VERSION: i64 = 20261204000130;

const ENDPOINT: &str = "https://push.example/send/upgrade-device";

pub async fn insert(pool: &AnyPool) {
    sqlx::query(
        "INSERT INTO push_keys (id, private_key, public_key, created_at) \
         VALUES (1, 'cHJpdmF0ZQ==', 'BPublicKeyOfTheNode', 1700000000000)",
    )
    .execute(pool)
    .await
    .expect("key");
    sqlx::query(
        "INSERT INTO push_subscriptions (account_id, endpoint, p256dh, auth, label, created_at) \
         VALUES ((SELECT MIN(id) FROM accounts), $1, 'BKey', 'QXV0aA', 'Firefox · Android', \
         1700000000000)",
    )
    .bind(ENDPOINT)
    .execute(pool)
    .await
    .expect("device");
    sqlx::query(
        "INSERT INTO push_outbox (subscription_id, title, link, state, attempts, \
         next_attempt_at, created_at, updated_at) VALUES ((SELECT MIN(id) FROM \
         push_subscriptions), 'Nouvelle réponse', 'https://upgrade.test/notifications', \
         'queued', 0, 1700000000000, 1700000000000, 1700000000000)",
    )
    .execute(pool)
    .await
    .expect("queued push");
}

pub async fn check(store: &Store) {
    let key = store.push_key().await.expect("db").expect("the node's key");
    assert_eq!(key.public_key, "BPublicKeyOfTheNode");
    let first = store
        .list_accounts()
        .await
        .expect("db")
        .iter()
        .map(|a| a.id)
        .min()
        .expect("an account");
    let devices = store.push_subscriptions_of(first).await.expect("db");
    assert_eq!(devices.len(), 1);
    assert_eq!(devices[0].endpoint, ENDPOINT);
    let waiting = store
        .pushes_of_subscription(devices[0].id)
        .await
        .expect("db");
    assert_eq!(waiting.len(), 1);
}
