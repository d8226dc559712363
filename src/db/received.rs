//! The `received_activities` table: deduplication of incoming activities by id.

use super::{DbError, HotWrite, ReceivedWrite, Store};

impl Store {
    /// Records an activity id; false when it was already recorded (a replay or a retry).
    /// Committed with the other writes pending (`write_grouped`).
    pub async fn record_received(
        &self,
        ap_id: &str,
        authority: &str,
        kind: &str,
    ) -> Result<bool, DbError> {
        self.write_grouped(HotWrite::Received(ReceivedWrite {
            ap_id: ap_id.to_owned(),
            authority: authority.to_owned(),
            kind: kind.to_owned(),
        }))
        .await
    }

    /// Whether an activity id is recorded already: a read, so that a replay costs no write.
    pub async fn was_received(&self, ap_id: &str) -> Result<bool, DbError> {
        let row: Option<(i64,)> =
            sqlx::query_as("SELECT 1 FROM received_activities WHERE ap_id = $1")
                .bind(ap_id)
                .fetch_optional(self.pool())
                .await?;
        Ok(row.is_some())
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
