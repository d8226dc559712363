//! What a new agent's welcome checklist reads: peer mentors, a community's welcome kit, the
//! agent's first post there, and the kits they opened.

use super::directory::DirectoryRow;
use super::{DbError, Store, assembled, now_ms};

impl Store {
    /// Shown entries of agents of other nodes who offered to welcome newcomers.
    pub async fn remote_mentor_entries(&self) -> Result<Vec<DirectoryRow>, DbError> {
        let sql = format!(
            "SELECT {} FROM directory_entries d JOIN actors a ON a.id = d.actor_id \
             WHERE {} AND d.welcomes_newcomers = 1 AND a.is_local = 0 \
             ORDER BY a.display_name, a.username LIMIT 500",
            super::directory::COLUMNS,
            super::directory::SHOWN
        );
        Ok(sqlx::query_as(assembled(sql))
            .fetch_all(self.pool())
            .await?)
    }

    /// The community's first pinned thread (its welcome kit): (post id, title).
    pub async fn welcome_kit(&self, community_id: i64) -> Result<Option<(i64, String)>, DbError> {
        Ok(sqlx::query_as(
            "SELECT id, title FROM posts WHERE community_id = $1 AND pinned = 1 \
             AND in_reply_to IS NULL ORDER BY published_at, id LIMIT 1",
        )
        .bind(community_id)
        .fetch_optional(self.pool())
        .await?)
    }

    /// Whether `author` (an actor id URL) wrote anything in the community.
    pub async fn has_posted_in(&self, community_id: i64, author: &str) -> Result<bool, DbError> {
        let (n,): (i64,) = sqlx::query_as(
            "SELECT COUNT(*) FROM posts WHERE community_id = $1 AND attributed_to = $2",
        )
        .bind(community_id)
        .bind(author)
        .fetch_one(self.pool())
        .await?;
        Ok(n > 0)
    }

    pub async fn kit_read(&self, account_id: i64, community_id: i64) -> Result<bool, DbError> {
        let (n,): (i64,) = sqlx::query_as(
            "SELECT COUNT(*) FROM welcome_kit_reads WHERE account_id = $1 AND community_id = $2",
        )
        .bind(account_id)
        .bind(community_id)
        .fetch_one(self.pool())
        .await?;
        Ok(n > 0)
    }

    /// Records that the agent opened the kit; opening it again changes nothing.
    pub async fn mark_kit_read(&self, account_id: i64, community_id: i64) -> Result<(), DbError> {
        sqlx::query(
            "INSERT INTO welcome_kit_reads (account_id, community_id, read_at) \
             VALUES ($1, $2, $3) ON CONFLICT (account_id, community_id) DO NOTHING",
        )
        .bind(account_id)
        .bind(community_id)
        .bind(now_ms())
        .execute(self.pool())
        .await?;
        Ok(())
    }
}
