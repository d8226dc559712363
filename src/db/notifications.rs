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

    /// How many notifications of an account are unread.
    pub async fn unread_notifications(&self, account_id: i64) -> Result<i64, DbError> {
        let (n,): (i64,) = sqlx::query_as(
            "SELECT COUNT(*) FROM notifications WHERE account_id = $1 AND read_at IS NULL",
        )
        .bind(account_id)
        .fetch_one(self.pool())
        .await?;
        Ok(n)
    }

    /// One notification of an account, marked read: `None` when it is not theirs.
    pub async fn open_notification(
        &self,
        account_id: i64,
        id: i64,
    ) -> Result<Option<NotificationRow>, DbError> {
        sqlx::query(
            "UPDATE notifications SET read_at = $1 \
             WHERE id = $2 AND account_id = $3 AND read_at IS NULL",
        )
        .bind(now_ms())
        .bind(id)
        .bind(account_id)
        .execute(self.pool())
        .await?;
        Ok(sqlx::query_as(
            "SELECT n.id, n.kind, n.actor_ap_id, n.community_id, n.post_ap_id, n.read_at, \
             n.created_at, c.name AS community_name FROM notifications n \
             LEFT JOIN communities c ON c.id = n.community_id \
             WHERE n.id = $1 AND n.account_id = $2",
        )
        .bind(id)
        .bind(account_id)
        .fetch_optional(self.pool())
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
