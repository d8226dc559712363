//! Samples for migration 20261204000170 (private messages): a conversation of the foundation
//! samples' agent with a remote person, its reader rows, and her preference.

use entrepairs::db::Store;
use sqlx::AnyPool;

use super::foundation::LOCAL;

pub const VERSION: i64 = 20261204000170;

const MESSAGE: &str = "http://upgrade.test/users/ines/messages/before-the-upgrade";
const OTHER: &str = "https://ailleurs.test/users/paul";

pub async fn insert(pool: &AnyPool) {
    let participants = format!("{LOCAL}\n{OTHER}");
    sqlx::query(
        "INSERT INTO messages (ap_id, conversation, participants, author, authority, \
         content_html, in_reply_to, published_at, created_at) \
         VALUES ($1, 'conversation-before-the-upgrade', $2, $3, 'upgrade.test', \
         '<p>Bonjour Paul</p>', NULL, 1700000000000, 1700000000000)",
    )
    .bind(MESSAGE)
    .bind(&participants)
    .bind(LOCAL)
    .execute(pool)
    .await
    .expect("message");
    for reader in [LOCAL, OTHER] {
        sqlx::query(
            "INSERT INTO message_readers (message_id, actor) \
             SELECT id, $2 FROM messages WHERE ap_id = $1",
        )
        .bind(MESSAGE)
        .bind(reader)
        .execute(pool)
        .await
        .expect("reader");
    }
    sqlx::query(
        "INSERT INTO message_preferences (account_id, institution_only, updated_at) \
         SELECT id, 1, 1700000000000 FROM accounts WHERE username = 'ines'",
    )
    .execute(pool)
    .await
    .expect("preference");
}

pub async fn check(store: &Store) {
    let m = store
        .message_for(MESSAGE, LOCAL)
        .await
        .expect("db")
        .expect("ines still reads her message");
    assert_eq!(m.content_html, "<p>Bonjour Paul</p>");
    let conversations = store.conversations_of(LOCAL).await.expect("db");
    assert_eq!(conversations.len(), 1);
    assert_eq!(
        conversations[0].conversation,
        "conversation-before-the-upgrade"
    );
    let account = store
        .account_by_username("ines")
        .await
        .expect("db")
        .expect("account");
    assert!(
        store
            .messages_institution_only(account.id)
            .await
            .expect("db")
    );
}
