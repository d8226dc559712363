//! Opening a community to newcomers: the public page switch and the join links.

use super::{DbError, Store, now_ms};

#[derive(Debug, Clone, sqlx::FromRow)]
pub struct CommunityLinkRow {
    pub id: i64,
    pub community_id: i64,
    pub token: String,
    pub created_by: String,
    pub created_at: i64,
    pub expires_at: i64,
    pub max_uses: Option<i64>,
    pub uses: i64,
    pub revoked_at: Option<i64>,
}

const COLS: &str = "id, community_id, token, created_by, created_at, expires_at, max_uses, \
    uses, revoked_at";

impl Store {
    pub async fn set_public_page(
        &self,
        community_id: i64,
        by: &str,
        open: bool,
    ) -> Result<(), DbError> {
        if open {
            sqlx::query(
                "INSERT INTO community_public_pages (community_id, enabled_by, enabled_at) \
                 VALUES ($1, $2, $3) ON CONFLICT (community_id) DO NOTHING",
            )
            .bind(community_id)
            .bind(by)
            .bind(now_ms())
            .execute(self.pool())
            .await?;
        } else {
            sqlx::query("DELETE FROM community_public_pages WHERE community_id = $1")
                .bind(community_id)
                .execute(self.pool())
                .await?;
        }
        Ok(())
    }

    pub async fn public_page_open(&self, community_id: i64) -> Result<bool, DbError> {
        let row: Option<(i64,)> = sqlx::query_as(
            "SELECT community_id FROM community_public_pages WHERE community_id = $1",
        )
        .bind(community_id)
        .fetch_optional(self.pool())
        .await?;
        Ok(row.is_some())
    }

    pub async fn insert_community_link(
        &self,
        community_id: i64,
        token: &str,
        by: &str,
        expires_at: i64,
        max_uses: Option<i64>,
    ) -> Result<CommunityLinkRow, DbError> {
        let sql = format!(
            "INSERT INTO community_links (community_id, token, created_by, created_at, \
             expires_at, max_uses) VALUES ($1, $2, $3, $4, $5, $6) RETURNING {COLS}"
        );
        Ok(sqlx::query_as(super::assembled(sql))
            .bind(community_id)
            .bind(token)
            .bind(by)
            .bind(now_ms())
            .bind(expires_at)
            .bind(max_uses)
            .fetch_one(self.pool())
            .await?)
    }

    pub async fn community_links(
        &self,
        community_id: i64,
    ) -> Result<Vec<CommunityLinkRow>, DbError> {
        Ok(sqlx::query_as(super::assembled(format!(
            "SELECT {COLS} FROM community_links WHERE community_id = $1 ORDER BY id DESC"
        )))
        .bind(community_id)
        .fetch_all(self.pool())
        .await?)
    }

    pub async fn community_link(&self, token: &str) -> Result<Option<CommunityLinkRow>, DbError> {
        Ok(sqlx::query_as(super::assembled(format!(
            "SELECT {COLS} FROM community_links WHERE token = $1"
        )))
        .bind(token)
        .fetch_optional(self.pool())
        .await?)
    }

    /// Spends one use if the link is still good: one statement, so two agents never take
    /// the last use together.
    pub async fn spend_community_link(&self, id: i64) -> Result<bool, DbError> {
        let done = sqlx::query(
            "UPDATE community_links SET uses = uses + 1 WHERE id = $1 AND revoked_at IS NULL \
             AND expires_at > $2 AND (max_uses IS NULL OR uses < max_uses)",
        )
        .bind(id)
        .bind(now_ms())
        .execute(self.pool())
        .await?;
        Ok(done.rows_affected() == 1)
    }

    pub async fn revoke_community_link(&self, community_id: i64, id: i64) -> Result<(), DbError> {
        sqlx::query(
            "UPDATE community_links SET revoked_at = $1 WHERE id = $2 AND community_id = $3 \
             AND revoked_at IS NULL",
        )
        .bind(now_ms())
        .bind(id)
        .bind(community_id)
        .execute(self.pool())
        .await?;
        Ok(())
    }
}
