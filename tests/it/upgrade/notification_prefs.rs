//! Samples for migration 20261204000120 (notification preferences): an agent's choices and a
//! live unsubscribe link, read back through the store; mail queued earlier has no unsubscribe
//! link.

use entrepairs::db::Store;
use entrepairs::domain::sessions::token_hash;
use sqlx::AnyPool;

pub const VERSION: i64 = 20261204000120;

const LINK: &str = "unsubscribe-link-sent-before-the-upgrade";

pub async fn insert(pool: &AnyPool) {
    let account = "(SELECT id FROM accounts WHERE username = 'ines')";
    for sql in [
        format!(
            "INSERT INTO notification_settings (account_id, digest, quiet_start, quiet_end, \
             quiet_weekends, updated_at) VALUES ({account}, 'daily', 1200, 420, 0, 1700000000000)"
        ),
        format!(
            "INSERT INTO notification_kind_prefs (account_id, kind, mode) \
             VALUES ({account}, 'reply', 'digest')"
        ),
        format!(
            "INSERT INTO notification_mutes (account_id, community_id) \
             VALUES ({account}, (SELECT MIN(id) FROM communities))"
        ),
    ] {
        sqlx::query(sqlx::AssertSqlSafe(sql))
            .execute(pool)
            .await
            .expect("prefs");
    }
    sqlx::query(sqlx::AssertSqlSafe(format!(
        "INSERT INTO unsubscribe_tokens (token_hash, account_id, target, created_at) \
         VALUES ($1, {account}, 'mention', 1700000000000)"
    )))
    .bind(token_hash(LINK))
    .execute(pool)
    .await
    .expect("token");
}

pub async fn check(store: &Store) {
    let account = store
        .account_by_username("ines")
        .await
        .expect("db")
        .expect("account");
    let settings = store
        .notification_settings(account.id)
        .await
        .expect("db")
        .expect("settings");
    assert_eq!(settings.digest, "daily");
    assert_eq!((settings.quiet_start, settings.quiet_end), (1200, 420));
    let modes = store.notification_modes(account.id).await.expect("db");
    assert_eq!(modes, vec![("reply".to_owned(), "digest".to_owned())]);
    assert_eq!(
        store
            .notification_mutes(account.id)
            .await
            .expect("db")
            .len(),
        1
    );
    let link = store
        .unsubscribe_token(&token_hash(LINK))
        .await
        .expect("db")
        .expect("the link still works after the upgrade");
    assert_eq!(link.target, "mention");
    assert!(link.used_at.is_none());
    for m in store.mail_in_state("queued", 10).await.expect("db") {
        assert!(m.unsubscribe_url.is_none());
    }
}
