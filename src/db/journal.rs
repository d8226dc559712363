//! `publish_journal`: the write-ahead record of a change other nodes must hear about. The
//! domain writes it before storing the change and removes it once the deliveries are
//! queued; a row left behind (the process died in between, or queuing failed) is replayed.

use super::{DbError, Store, now_ms};

#[derive(Debug, Clone, sqlx::FromRow)]
pub struct JournalRow {
    pub id: i64,
    /// What to replay: `post_created`, `note_published`.
    pub kind: String,
    /// The ActivityPub id of what the change is about.
    pub subject: String,
    pub instance: String,
    pub created_at: i64,
    pub attempts: i64,
}

impl Store {
    /// Records that `subject` is about to change (`kind`); returns the row's id.
    pub async fn journal_intent(&self, kind: &str, subject: &str) -> Result<i64, DbError> {
        let (id,): (i64,) = sqlx::query_as(
            "INSERT INTO publish_journal (kind, subject, instance, created_at) \
             VALUES ($1, $2, $3, $4) RETURNING id",
        )
        .bind(kind)
        .bind(subject)
        .bind(self.instance())
        .bind(now_ms())
        .fetch_one(self.pool())
        .await?;
        Ok(id)
    }

    /// The change is sent (or there is nothing to send): forgotten.
    pub async fn journal_done(&self, id: i64) -> Result<(), DbError> {
        sqlx::query("DELETE FROM publish_journal WHERE id = $1")
            .bind(id)
            .execute(self.pool())
            .await?;
        Ok(())
    }

    /// A replay failed: counted, and tried again later.
    pub async fn journal_failed(&self, id: i64) -> Result<(), DbError> {
        sqlx::query("UPDATE publish_journal SET attempts = attempts + 1 WHERE id = $1")
            .bind(id)
            .execute(self.pool())
            .await?;
        Ok(())
    }

    /// The rows to replay: those of processes that are gone (no fresh heartbeat) and those
    /// older than `older_than_ms` (a request still running holds its own row meanwhile).
    pub async fn journal_to_replay(
        &self,
        older_than_ms: i64,
        limit: i64,
    ) -> Result<Vec<JournalRow>, DbError> {
        let now = now_ms();
        Ok(sqlx::query_as(
            "SELECT id, kind, subject, instance, created_at, attempts FROM publish_journal \
             WHERE created_at < $1 OR (instance <> $2 AND instance NOT IN \
               (SELECT id FROM worker_instances WHERE heartbeat_at >= $3)) \
             ORDER BY id LIMIT $4",
        )
        .bind(now - older_than_ms)
        .bind(self.instance())
        .bind(now - super::INSTANCE_STALE_MS)
        .bind(limit)
        .fetch_all(self.pool())
        .await?)
    }

    pub async fn journal_len(&self) -> Result<i64, DbError> {
        let (n,): (i64,) = sqlx::query_as("SELECT COUNT(*) FROM publish_journal")
            .fetch_one(self.pool())
            .await?;
        Ok(n)
    }
}
