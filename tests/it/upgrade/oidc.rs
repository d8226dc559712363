//! Samples for migration 20261204000060 (oidc): a sign-in in progress, the provider subject
//! of the foundation samples' account and the ID token of one of its sessions.

use entrepairs::db::Store;
use entrepairs::domain::sessions::token_hash;
use sqlx::AnyPool;

pub const VERSION: i64 = 20261204000060;

const ISSUER: &str = "https://auth.agentconnect.gouv.fr/api/v2";
const SUBJECT: &str = "subject-linked-before-the-upgrade";
const STATE: &str = "state-of-a-sign-in-started-before-the-upgrade";
const SESSION: &str = "session-opened-by-the-provider-before-the-upgrade";
/// Far in the future, so that the rows are still live when checked.
const EXPIRES: i64 = 4_102_444_800_000;

pub async fn insert(pool: &AnyPool) {
    sqlx::query(
        "INSERT INTO oidc_pending (state_hash, nonce, pkce_verifier, next, created_at, expires_at) \
         VALUES ($1, 'nonce', 'verifier', '/', 1700000000000, $2)",
    )
    .bind(token_hash(STATE))
    .bind(EXPIRES)
    .execute(pool)
    .await
    .expect("pending");
    sqlx::query(
        "INSERT INTO oidc_identities (issuer, subject, account_id, siret, created_at) \
         VALUES ($1, $2, (SELECT id FROM accounts WHERE username = 'ines'), '21340301100015', \
         1700000000000)",
    )
    .bind(ISSUER)
    .bind(SUBJECT)
    .execute(pool)
    .await
    .expect("identity");
    sqlx::query(
        "INSERT INTO oidc_sessions (session_hash, id_token, expires_at) VALUES ($1, 'a.b.c', $2)",
    )
    .bind(token_hash(SESSION))
    .bind(EXPIRES)
    .execute(pool)
    .await
    .expect("session hint");
}

pub async fn check(store: &Store) {
    let account = store
        .account_by_username("ines")
        .await
        .expect("db")
        .expect("account");
    assert_eq!(
        store
            .account_id_by_oidc_subject(ISSUER, SUBJECT)
            .await
            .expect("db"),
        Some(account.id)
    );
    let pending = store
        .take_oidc_pending(&token_hash(STATE))
        .await
        .expect("db")
        .expect("a sign-in started before the upgrade finishes after it");
    assert_eq!(pending.pkce_verifier, "verifier");
    assert_eq!(
        store
            .take_oidc_session(&token_hash(SESSION))
            .await
            .expect("db")
            .as_deref(),
        Some("a.b.c")
    );
}
