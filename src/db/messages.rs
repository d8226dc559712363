//! The `messages`, `message_readers` and `message_preferences` tables: private messages
//! between persons, kept only where a participant lives.

use super::{DbError, Store, now_ms};

#[derive(Debug, Clone, sqlx::FromRow)]
pub struct MessageRow {
    pub id: i64,
    pub ap_id: String,
    pub conversation: String,
    /// The sorted ids of the participants, one a line.
    pub participants: String,
    pub author: String,
    pub authority: String,
    pub content_html: String,
    pub in_reply_to: Option<String>,
    pub published_at: i64,
}

/// A conversation as one reader sees it: its latest message.
#[derive(Debug, Clone, sqlx::FromRow)]
pub struct ConversationRow {
    pub conversation: String,
    pub participants: String,
    pub last_at: i64,
    pub count: i64,
}

/// A message to store, its HTML already sanitised.
#[derive(Debug, Clone)]
pub struct NewMessage<'a> {
    pub ap_id: &'a str,
    pub conversation: &'a str,
    pub participants: &'a str,
    pub author: &'a str,
    pub authority: &'a str,
    pub content_html: &'a str,
    pub in_reply_to: Option<&'a str>,
    pub published_at: i64,
    /// Who may read it here.
    pub readers: &'a [String],
}

const COLUMNS: &str = "m.id, m.ap_id, m.conversation, m.participants, m.author, m.authority, \
                       m.content_html, m.in_reply_to, m.published_at";

impl Store {
    /// Stores a message and its readers in one transaction; an id already held is left as it
    /// is (false), so a replayed delivery changes nothing.
    pub async fn insert_message(&self, m: &NewMessage<'_>) -> Result<bool, DbError> {
        let mut tx = self.begin_write().await?;
        let done = sqlx::query(
            "INSERT INTO messages (ap_id, conversation, participants, author, authority, \
             content_html, in_reply_to, published_at, created_at) \
             VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9) ON CONFLICT (ap_id) DO NOTHING",
        )
        .bind(m.ap_id)
        .bind(m.conversation)
        .bind(m.participants)
        .bind(m.author)
        .bind(m.authority)
        .bind(m.content_html)
        .bind(m.in_reply_to)
        .bind(m.published_at)
        .bind(now_ms())
        .execute(&mut *tx)
        .await?;
        if done.rows_affected() == 0 {
            return Ok(false);
        }
        for reader in m.readers {
            sqlx::query(
                "INSERT INTO message_readers (message_id, actor) \
                 SELECT id, $2 FROM messages WHERE ap_id = $1 ON CONFLICT DO NOTHING",
            )
            .bind(m.ap_id)
            .bind(reader)
            .execute(&mut *tx)
            .await?;
        }
        tx.commit().await?;
        Ok(true)
    }

    /// A message `reader` may read.
    pub async fn message_for(
        &self,
        ap_id: &str,
        reader: &str,
    ) -> Result<Option<MessageRow>, DbError> {
        Ok(sqlx::query_as(super::assembled(format!(
            "SELECT {COLUMNS} FROM messages m JOIN message_readers r ON r.message_id = m.id \
             WHERE m.ap_id = $1 AND r.actor = $2"
        )))
        .bind(ap_id)
        .bind(reader)
        .fetch_optional(self.pool())
        .await?)
    }

    /// The messages of a conversation that `reader` may read, oldest first.
    pub async fn conversation_messages(
        &self,
        conversation: &str,
        reader: &str,
    ) -> Result<Vec<MessageRow>, DbError> {
        Ok(sqlx::query_as(super::assembled(format!(
            "SELECT {COLUMNS} FROM messages m JOIN message_readers r ON r.message_id = m.id \
             WHERE m.conversation = $1 AND r.actor = $2 ORDER BY m.published_at, m.id"
        )))
        .bind(conversation)
        .bind(reader)
        .fetch_all(self.pool())
        .await?)
    }

    /// The conversations `reader` takes part in, the most recent first.
    pub async fn conversations_of(&self, reader: &str) -> Result<Vec<ConversationRow>, DbError> {
        Ok(sqlx::query_as(
            "SELECT m.conversation, m.participants, MAX(m.published_at) AS last_at, \
             COUNT(*) AS count FROM messages m JOIN message_readers r ON r.message_id = m.id \
             WHERE r.actor = $1 GROUP BY m.conversation, m.participants \
             ORDER BY last_at DESC LIMIT 200",
        )
        .bind(reader)
        .fetch_all(self.pool())
        .await?)
    }

    /// Deletes a message of `author`; false when there was none of theirs with that id.
    pub async fn delete_message_of(&self, ap_id: &str, author: &str) -> Result<bool, DbError> {
        let done = sqlx::query("DELETE FROM messages WHERE ap_id = $1 AND author = $2")
            .bind(ap_id)
            .bind(author)
            .execute(self.pool())
            .await?;
        Ok(done.rows_affected() == 1)
    }

    /// Forgets the messages written on `authority` (a revoked peer); how many.
    pub async fn purge_messages_of(&self, authority: &str) -> Result<u64, DbError> {
        Ok(sqlx::query("DELETE FROM messages WHERE authority = $1")
            .bind(authority)
            .execute(self.pool())
            .await?
            .rows_affected())
    }

    /// How many messages this node holds with this id (0 or 1): what tests and checks read.
    pub async fn count_messages_with(&self, ap_id: &str) -> Result<i64, DbError> {
        Ok(
            sqlx::query_scalar("SELECT COUNT(*) FROM messages WHERE ap_id = $1")
                .bind(ap_id)
                .fetch_one(self.pool())
                .await?,
        )
    }

    /// Whether the account accepts messages only from its own institution.
    pub async fn messages_institution_only(&self, account_id: i64) -> Result<bool, DbError> {
        let flag: Option<i64> = sqlx::query_scalar(
            "SELECT institution_only FROM message_preferences WHERE account_id = $1",
        )
        .bind(account_id)
        .fetch_optional(self.pool())
        .await?;
        Ok(flag == Some(1))
    }

    /// Whether the local agent behind `actor_id` refuses messages from other institutions.
    pub async fn actor_refuses_outside_messages(&self, actor_id: i64) -> Result<bool, DbError> {
        let flag: Option<i64> = sqlx::query_scalar(
            "SELECT p.institution_only FROM message_preferences p \
             JOIN accounts a ON a.id = p.account_id WHERE a.actor_id = $1",
        )
        .bind(actor_id)
        .fetch_optional(self.pool())
        .await?;
        Ok(flag == Some(1))
    }

    pub async fn set_messages_institution_only(
        &self,
        account_id: i64,
        only: bool,
    ) -> Result<(), DbError> {
        sqlx::query(
            "INSERT INTO message_preferences (account_id, institution_only, updated_at) \
             VALUES ($1, $2, $3) ON CONFLICT (account_id) DO UPDATE \
             SET institution_only = $2, updated_at = $3",
        )
        .bind(account_id)
        .bind(i64::from(only))
        .bind(now_ms())
        .execute(self.pool())
        .await?;
        Ok(())
    }
}
