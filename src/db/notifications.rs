//! The `notifications` table.

use super::{DbError, Store, now_ms};

#[derive(Debug, Clone, sqlx::FromRow)]
pub struct NotificationRow {
    pub id: i64,
    pub kind: String,
    pub actor_ap_id: String,
    pub community_id: Option<i64>,
    pub post_ap_id: Option<String>,
    pub read_at: Option<i64>,
    pub created_at: i64,
    pub community_name: Option<String>,
}

impl Store {
    /// Notifies the local account of actor `actor_id`; nothing when the actor is remote.
    pub async fn notify(
        &self,
        actor_id: i64,
        kind: &str,
        from: &str,
        community_id: Option<i64>,
        post: Option<&str>,
    ) -> Result<(), DbError> {
        sqlx::query(
            "INSERT INTO notifications (account_id, kind, actor_ap_id, community_id, post_ap_id, \
             created_at) SELECT id, $2, $3, $4, $5, $6 FROM accounts WHERE actor_id = $1",
        )
        .bind(actor_id)
        .bind(kind)
        .bind(from)
        .bind(community_id)
        .bind(post)
        .bind(now_ms())
        .execute(self.pool())
        .await?;
        Ok(())
    }

    /// The newest notifications of an account.
    pub async fn notifications(&self, account_id: i64) -> Result<Vec<NotificationRow>, DbError> {
        Ok(sqlx::query_as(
            "SELECT n.id, n.kind, n.actor_ap_id, n.community_id, n.post_ap_id, n.read_at, \
             n.created_at, c.name AS community_name FROM notifications n \
             LEFT JOIN communities c ON c.id = n.community_id \
             WHERE n.account_id = $1 ORDER BY n.created_at DESC, n.id DESC LIMIT 100",
        )
        .bind(account_id)
        .fetch_all(self.pool())
        .await?)
    }

    pub async fn mark_notifications_read(&self, account_id: i64) -> Result<(), DbError> {
        sqlx::query(
            "UPDATE notifications SET read_at = $1 WHERE account_id = $2 AND read_at IS NULL",
        )
        .bind(now_ms())
        .bind(account_id)
        .execute(self.pool())
        .await?;
        Ok(())
    }
}
