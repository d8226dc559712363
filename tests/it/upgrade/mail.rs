//! Samples for migration 20261204000010 (mail): a queued message and a live password reset
//! link for the foundation samples' account, read back through the store.

use entrepairs::db::Store;
use entrepairs::domain::sessions::token_hash;
use sqlx::AnyPool;

pub const VERSION: i64 = 20261204000010;

const LINK: &str = "reset-link-sent-before-the-upgrade";
/// Far in the future, so that the link is still live when checked.
const EXPIRES: i64 = 4_102_444_800_000;

pub async fn insert(pool: &AnyPool) {
    sqlx::query(
        "INSERT INTO mail_outbox (kind, to_address, subject, body_text, body_html, message_id, \
         state, attempts, next_attempt_at, created_at, updated_at) VALUES ('password_reset', \
         'ines@upgrade.test', 'Votre nouveau mot de passe', 'Bonjour', '<p>Bonjour</p>', \
         '<sample@upgrade.test>', 'queued', 0, 1700000000000, 1700000000000, 1700000000000)",
    )
    .execute(pool)
    .await
    .expect("mail");
    sqlx::query(
        "INSERT INTO password_resets (token_hash, account_id, expires_at, used_at, created_at) \
         VALUES ($1, (SELECT id FROM accounts WHERE username = 'ines'), $2, NULL, 1700000000000)",
    )
    .bind(token_hash(LINK))
    .bind(EXPIRES)
    .execute(pool)
    .await
    .expect("reset");
}

pub async fn check(store: &Store) {
    let queued = store.mail_in_state("queued", 10).await.expect("db");
    assert_eq!(queued.len(), 1);
    assert_eq!(queued[0].message_id, "<sample@upgrade.test>");
    let account = store
        .account_by_username("ines")
        .await
        .expect("db")
        .expect("account");
    let id = store
        .live_password_reset(&token_hash(LINK))
        .await
        .expect("db")
        .expect("a reset link sent before the upgrade still works after it");
    assert_eq!(id, account.id);
}
