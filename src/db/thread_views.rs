//! What each agent last saw of each thread (`thread_views`), for unread markers.

use super::{DbError, Store};

impl Store {
    /// The highest post id of the thread the agent saw, if she ever opened it.
    pub async fn thread_seen(
        &self,
        account_id: i64,
        thread_ap_id: &str,
    ) -> Result<Option<i64>, DbError> {
        let row: Option<(i64,)> = sqlx::query_as(
            "SELECT seen_post_id FROM thread_views WHERE account_id = $1 AND thread_ap_id = $2",
        )
        .bind(account_id)
        .bind(thread_ap_id)
        .fetch_optional(self.pool())
        .await?;
        Ok(row.map(|r| r.0))
    }

    /// Records what she saw; never goes back (two tabs, an older one reloaded).
    pub async fn mark_thread_seen(
        &self,
        account_id: i64,
        thread_ap_id: &str,
        post_id: i64,
    ) -> Result<(), DbError> {
        sqlx::query(
            "INSERT INTO thread_views (account_id, thread_ap_id, seen_post_id) \
             VALUES ($1, $2, $3) \
             ON CONFLICT (account_id, thread_ap_id) DO UPDATE SET seen_post_id = \
             CASE WHEN excluded.seen_post_id > thread_views.seen_post_id \
             THEN excluded.seen_post_id ELSE thread_views.seen_post_id END",
        )
        .bind(account_id)
        .bind(thread_ap_id)
        .bind(post_id)
        .execute(self.pool())
        .await?;
        Ok(())
    }

    /// Replies of the thread by others than `actor` that arrived after post `after`.
    pub async fn new_replies(
        &self,
        thread_ap_id: &str,
        after: i64,
        actor: &str,
    ) -> Result<i64, DbError> {
        let row: (i64,) = sqlx::query_as(
            "SELECT COUNT(*) FROM posts WHERE thread_ap_id = $1 AND ap_id <> $1 \
             AND id > $2 AND attributed_to <> $3",
        )
        .bind(thread_ap_id)
        .bind(after)
        .bind(actor)
        .fetch_one(self.pool())
        .await?;
        Ok(row.0)
    }
}
