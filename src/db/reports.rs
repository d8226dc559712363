//! The `reports` table: posts reported (Flag) to a community's animateurs.

use super::{DbError, Store, now_ms};

#[derive(Debug, Clone, sqlx::FromRow)]
pub struct ReportRow {
    pub id: i64,
    pub ap_id: String,
    pub community_id: i64,
    pub post_ap_id: String,
    pub reporter: String,
    pub reason: String,
    pub state: String,
    pub created_at: i64,
}

impl Store {
    /// Records a report; a replayed id is ignored.
    pub async fn insert_report(
        &self,
        ap_id: &str,
        community_id: i64,
        post: &str,
        reporter: &str,
        reason: &str,
    ) -> Result<(), DbError> {
        sqlx::query(
            "INSERT INTO reports (ap_id, community_id, post_ap_id, reporter, reason, state, \
             created_at) VALUES ($1, $2, $3, $4, $5, 'open', $6) ON CONFLICT (ap_id) DO NOTHING",
        )
        .bind(ap_id)
        .bind(community_id)
        .bind(post)
        .bind(reporter)
        .bind(reason)
        .bind(now_ms())
        .execute(self.pool())
        .await?;
        Ok(())
    }

    /// Open reports of a community, oldest first.
    pub async fn open_reports(&self, community_id: i64) -> Result<Vec<ReportRow>, DbError> {
        Ok(sqlx::query_as(
            "SELECT id, ap_id, community_id, post_ap_id, reporter, reason, state, created_at \
             FROM reports WHERE community_id = $1 AND state = 'open' ORDER BY created_at",
        )
        .bind(community_id)
        .fetch_all(self.pool())
        .await?)
    }

    pub async fn close_report(&self, community_id: i64, id: i64) -> Result<bool, DbError> {
        let done =
            sqlx::query("UPDATE reports SET state = 'closed' WHERE id = $1 AND community_id = $2")
                .bind(id)
                .bind(community_id)
                .execute(self.pool())
                .await?;
        Ok(done.rows_affected() == 1)
    }
}
