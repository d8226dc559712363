//! The `action_items` and `action_comments` tables: a community's action plan.

use super::{DbError, Store, assembled};

#[derive(Debug, Clone, sqlx::FromRow)]
pub struct ActionItemRow {
    pub id: i64,
    pub ap_id: String,
    pub community_id: i64,
    pub authority: String,
    pub attributed_to: String,
    pub owner: String,
    pub title: String,
    pub source: String,
    pub content_html: String,
    pub due_on: String,
    pub status: String,
    pub escalated_on: String,
    pub escalated_to: String,
    pub published_at: i64,
    pub updated_at: i64,
    /// The owner's display name and handle parts, when the owner is known here.
    pub owner_name: Option<String>,
    pub owner_username: Option<String>,
    pub owner_authority: Option<String>,
}

/// An item to store or overwrite, already checked and sanitised.
#[derive(Debug, Clone)]
pub struct ActionItemData {
    pub ap_id: String,
    pub authority: String,
    pub attributed_to: String,
    pub owner: String,
    pub title: String,
    pub source: String,
    pub content_html: String,
    pub due_on: String,
    pub status: String,
    pub escalated_on: String,
    pub escalated_to: String,
    pub published_at: i64,
    /// When the origin last changed it: an older Update arriving late is ignored.
    pub updated_at: i64,
}

#[derive(Debug, Clone, sqlx::FromRow)]
pub struct ActionCommentRow {
    pub id: i64,
    pub ap_id: String,
    pub item_id: i64,
    pub attributed_to: String,
    pub source: String,
    pub content_html: String,
    pub published_at: i64,
    pub author_name: Option<String>,
    pub author_username: Option<String>,
    pub author_authority: Option<String>,
}

const ITEM: &str = "i.id, i.ap_id, i.community_id, i.authority, i.attributed_to, i.owner, \
    i.title, i.source, i.content_html, i.due_on, i.status, i.escalated_on, i.escalated_to, \
    i.published_at, i.updated_at, a.display_name AS owner_name, a.username AS owner_username, \
    a.authority AS owner_authority FROM action_items i LEFT JOIN actors a ON a.ap_id = i.owner";

const COMMENT: &str = "m.id, m.ap_id, m.item_id, m.attributed_to, m.source, m.content_html, \
    m.published_at, a.display_name AS author_name, a.username AS author_username, \
    a.authority AS author_authority FROM action_comments m \
    LEFT JOIN actors a ON a.ap_id = m.attributed_to";

impl Store {
    /// Stores a new item; false when that id is already stored.
    pub async fn insert_action_item(
        &self,
        community_id: i64,
        d: &ActionItemData,
    ) -> Result<bool, DbError> {
        let done = sqlx::query(
            "INSERT INTO action_items (ap_id, community_id, authority, attributed_to, owner, \
             title, source, content_html, due_on, status, escalated_on, escalated_to, \
             published_at, updated_at) \
             VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14) \
             ON CONFLICT (ap_id) DO NOTHING",
        )
        .bind(&d.ap_id)
        .bind(community_id)
        .bind(&d.authority)
        .bind(&d.attributed_to)
        .bind(&d.owner)
        .bind(&d.title)
        .bind(&d.source)
        .bind(&d.content_html)
        .bind(&d.due_on)
        .bind(&d.status)
        .bind(&d.escalated_on)
        .bind(&d.escalated_to)
        .bind(d.published_at)
        .bind(d.updated_at.max(d.published_at))
        .execute(self.pool())
        .await?;
        Ok(done.rows_affected() == 1)
    }

    /// Overwrites what may change on an item (everything but its id, author and community),
    /// unless what is stored is newer: in one statement, as two deliveries of Updates may be
    /// applied at the same time.
    pub async fn update_action_item(&self, d: &ActionItemData) -> Result<(), DbError> {
        sqlx::query(
            "UPDATE action_items SET owner = $1, title = $2, source = $3, content_html = $4, \
             due_on = $5, status = $6, escalated_on = $7, escalated_to = $8, updated_at = $9 \
             WHERE ap_id = $10 AND updated_at <= $9",
        )
        .bind(&d.owner)
        .bind(&d.title)
        .bind(&d.source)
        .bind(&d.content_html)
        .bind(&d.due_on)
        .bind(&d.status)
        .bind(&d.escalated_on)
        .bind(&d.escalated_to)
        .bind(d.updated_at)
        .bind(&d.ap_id)
        .execute(self.pool())
        .await?;
        Ok(())
    }

    pub async fn action_item_by_ap_id(
        &self,
        ap_id: &str,
    ) -> Result<Option<ActionItemRow>, DbError> {
        let sql = format!("SELECT {ITEM} WHERE i.ap_id = $1");
        Ok(sqlx::query_as(assembled(sql))
            .bind(ap_id)
            .fetch_optional(self.pool())
            .await?)
    }

    pub async fn action_item_by_id(&self, id: i64) -> Result<Option<ActionItemRow>, DbError> {
        let sql = format!("SELECT {ITEM} WHERE i.id = $1");
        Ok(sqlx::query_as(assembled(sql))
            .bind(id)
            .fetch_optional(self.pool())
            .await?)
    }

    /// The plan of a community: by due date (undated last), then oldest first.
    pub async fn action_items(&self, community_id: i64) -> Result<Vec<ActionItemRow>, DbError> {
        let sql = format!(
            "SELECT {ITEM} WHERE i.community_id = $1 \
             ORDER BY CASE WHEN i.due_on = '' THEN 1 ELSE 0 END, i.due_on, i.published_at, i.id \
             LIMIT 500"
        );
        Ok(sqlx::query_as(assembled(sql))
            .bind(community_id)
            .fetch_all(self.pool())
            .await?)
    }

    /// Deletes an item and its comments.
    pub async fn delete_action_item(&self, ap_id: &str) -> Result<u64, DbError> {
        let done = sqlx::query("DELETE FROM action_items WHERE ap_id = $1")
            .bind(ap_id)
            .execute(self.pool())
            .await?;
        Ok(done.rows_affected())
    }

    /// Stores a comment; false when that id is already stored.
    #[allow(clippy::too_many_arguments)]
    pub async fn insert_action_comment(
        &self,
        ap_id: &str,
        item_id: i64,
        authority: &str,
        attributed_to: &str,
        source: &str,
        content_html: &str,
        published_at: i64,
    ) -> Result<bool, DbError> {
        let done = sqlx::query(
            "INSERT INTO action_comments (ap_id, item_id, authority, attributed_to, source, \
             content_html, published_at) VALUES ($1, $2, $3, $4, $5, $6, $7) \
             ON CONFLICT (ap_id) DO NOTHING",
        )
        .bind(ap_id)
        .bind(item_id)
        .bind(authority)
        .bind(attributed_to)
        .bind(source)
        .bind(content_html)
        .bind(published_at)
        .execute(self.pool())
        .await?;
        Ok(done.rows_affected() == 1)
    }

    pub async fn action_comment_by_ap_id(
        &self,
        ap_id: &str,
    ) -> Result<Option<ActionCommentRow>, DbError> {
        let sql = format!("SELECT {COMMENT} WHERE m.ap_id = $1");
        Ok(sqlx::query_as(assembled(sql))
            .bind(ap_id)
            .fetch_optional(self.pool())
            .await?)
    }

    /// Comments of an item, oldest first.
    pub async fn action_comments(&self, item_id: i64) -> Result<Vec<ActionCommentRow>, DbError> {
        let sql = format!("SELECT {COMMENT} WHERE m.item_id = $1 ORDER BY m.published_at, m.id");
        Ok(sqlx::query_as(assembled(sql))
            .bind(item_id)
            .fetch_all(self.pool())
            .await?)
    }

    /// Purges what a revoked peer's node wrote or hosts: items and comments from
    /// `authority`, and items of communities hosted there, except those whose origin is `ours`.
    pub async fn purge_action_items_of(&self, authority: &str, ours: &str) -> Result<u64, DbError> {
        let comments = sqlx::query("DELETE FROM action_comments WHERE authority = $1")
            .bind(authority)
            .execute(self.pool())
            .await?;
        let items = sqlx::query(
            "DELETE FROM action_items WHERE authority = $1 OR (authority <> $2 AND community_id IN \
             (SELECT c.id FROM communities c JOIN actors a ON a.id = c.actor_id \
             WHERE a.authority = $1))",
        )
        .bind(authority)
        .bind(ours)
        .execute(self.pool())
        .await?;
        Ok(comments.rows_affected() + items.rows_affected())
    }

    pub async fn delete_action_comment(&self, ap_id: &str) -> Result<u64, DbError> {
        let done = sqlx::query("DELETE FROM action_comments WHERE ap_id = $1")
            .bind(ap_id)
            .execute(self.pool())
            .await?;
        Ok(done.rows_affected())
    }
}
