//! Samples for migration 20261122000003 (invitations): a live one-time link for the
//! foundation samples' account.

use entrepairs::db::Store;
use entrepairs::domain::sessions::token_hash;
use sqlx::AnyPool;

pub const VERSION: i64 = 20261122000003;

const LINK: &str = "invitation-link-sent-before-the-upgrade";
/// Far in the future, so that the link is still live when checked.
const EXPIRES: i64 = 4_102_444_800_000;

pub async fn insert(pool: &AnyPool) {
    sqlx::query(
        "INSERT INTO invitations (token_hash, account_id, created_by, created_at, expires_at, \
         used_at) VALUES ($1, (SELECT id FROM accounts WHERE username = 'ines'), 'admin', \
         1700000000000, $2, NULL)",
    )
    .bind(token_hash(LINK))
    .bind(EXPIRES)
    .execute(pool)
    .await
    .expect("invitation");
}

pub async fn check(store: &Store) {
    let account = store
        .account_by_username("ines")
        .await
        .expect("db")
        .expect("account");
    let invitation = store
        .live_invitation(&token_hash(LINK))
        .await
        .expect("db")
        .expect("a link sent before the upgrade still works after it");
    assert_eq!(invitation.account_id, account.id);
    assert_eq!(invitation.expires_at, EXPIRES);
}
