//! The `received_activities` table: deduplication of incoming activities by id.

use super::{DbError, Store, now_ms};

impl Store {
    /// Records an activity id; false when it was already recorded (a replay or a retry).
    pub async fn record_received(
        &self,
        ap_id: &str,
        authority: &str,
        kind: &str,
    ) -> Result<bool, DbError> {
        let done = sqlx::query(
            "INSERT INTO received_activities (ap_id, authority, kind, received_at) \
             VALUES ($1, $2, $3, $4) ON CONFLICT (ap_id) DO NOTHING",
        )
        .bind(ap_id)
        .bind(authority)
        .bind(kind)
        .bind(now_ms())
        .execute(self.pool())
        .await?;
        Ok(done.rows_affected() == 1)
    }

    /// Forgets an id, so that an activity whose processing failed can be retried by its sender.
    pub async fn forget_received(&self, ap_id: &str) -> Result<(), DbError> {
        sqlx::query("DELETE FROM received_activities WHERE ap_id = $1")
            .bind(ap_id)
            .execute(self.pool())
            .await?;
        Ok(())
    }

    pub async fn count_received(&self) -> Result<i64, DbError> {
        let (n,): (i64,) = sqlx::query_as("SELECT COUNT(*) FROM received_activities")
            .fetch_one(self.pool())
            .await?;
        Ok(n)
    }
}
