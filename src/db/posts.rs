//! The `posts` table: threads and replies of communities.

use super::{DbError, Store, assembled, now_ms};

#[derive(Debug, Clone, sqlx::FromRow)]
pub struct PostRow {
    pub id: i64,
    pub ap_id: String,
    pub community_id: i64,
    pub kind: String,
    pub authority: String,
    pub attributed_to: String,
    pub thread_ap_id: String,
    pub in_reply_to: Option<String>,
    pub title: String,
    pub source: String,
    pub content_html: String,
    pub pinned: i64,
    pub locked: i64,
    pub published_at: i64,
    pub updated_at: i64,
    /// `discussion`, `veille` or `mobilite` (threads; replies keep the default).
    pub category: String,
    /// Hashtags, each surrounded by spaces (` rh paie `).
    pub tags: String,
    /// A mobility offer's application deadline, `YYYY-MM-DD` or empty.
    pub deadline: String,
    /// The author's display name and handle parts, when the author is known here.
    pub author_name: Option<String>,
    pub author_username: Option<String>,
    pub author_authority: Option<String>,
}

/// A post to store, already sanitised.
#[derive(Debug, Clone)]
pub struct NewPost<'a> {
    pub ap_id: &'a str,
    pub community_id: i64,
    pub kind: &'a str,
    pub authority: &'a str,
    pub attributed_to: &'a str,
    pub thread_ap_id: &'a str,
    pub in_reply_to: Option<&'a str>,
    pub title: &'a str,
    pub source: &'a str,
    pub content_html: &'a str,
    pub published_at: i64,
    pub category: &'a str,
    pub tags: &'a str,
    pub deadline: &'a str,
}

pub(super) const COLUMNS: &str = "p.id, p.ap_id, p.community_id, p.kind, p.authority, p.attributed_to, \
    p.thread_ap_id, p.in_reply_to, p.title, p.source, p.content_html, p.pinned, p.locked, \
    p.published_at, p.updated_at, p.category, p.tags, p.deadline, \
    a.display_name AS author_name, a.username AS author_username, \
    a.authority AS author_authority";
pub(super) const FROM: &str = "posts p LEFT JOIN actors a ON a.ap_id = p.attributed_to";

/// Up to this many communities, the feed merges per-community index reads.
const MERGED_COMMUNITIES: usize = 100;

impl Store {
    /// Stores a post; an id already stored is left as it is (false): a post comes back to
    /// its author's node in the group's Announce.
    pub async fn insert_post(&self, p: &NewPost<'_>) -> Result<bool, DbError> {
        let done = sqlx::query(
            "INSERT INTO posts (ap_id, community_id, kind, authority, attributed_to, thread_ap_id, \
             in_reply_to, title, source, content_html, published_at, updated_at, category, tags, \
             deadline) \
             VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $11, $12, $13, $14) \
             ON CONFLICT (ap_id) DO NOTHING",
        )
        .bind(p.ap_id)
        .bind(p.community_id)
        .bind(p.kind)
        .bind(p.authority)
        .bind(p.attributed_to)
        .bind(p.thread_ap_id)
        .bind(p.in_reply_to)
        .bind(p.title)
        .bind(p.source)
        .bind(p.content_html)
        .bind(p.published_at)
        .bind(p.category)
        .bind(p.tags)
        .bind(p.deadline)
        .execute(self.pool())
        .await?;
        Ok(done.rows_affected() == 1)
    }

    pub async fn post_by_ap_id(&self, ap_id: &str) -> Result<Option<PostRow>, DbError> {
        let sql = format!("SELECT {COLUMNS} FROM {FROM} WHERE p.ap_id = $1");
        Ok(sqlx::query_as(assembled(sql))
            .bind(ap_id)
            .fetch_optional(self.pool())
            .await?)
    }

    pub async fn post_by_id(&self, id: i64) -> Result<Option<PostRow>, DbError> {
        let sql = format!("SELECT {COLUMNS} FROM {FROM} WHERE p.id = $1");
        Ok(sqlx::query_as(assembled(sql))
            .bind(id)
            .fetch_optional(self.pool())
            .await?)
    }

    pub async fn update_post(
        &self,
        ap_id: &str,
        title: &str,
        source: &str,
        html: &str,
    ) -> Result<(), DbError> {
        sqlx::query(
            "UPDATE posts SET title = $1, source = $2, content_html = $3, updated_at = $4 \
             WHERE ap_id = $5",
        )
        .bind(title)
        .bind(source)
        .bind(html)
        .bind(now_ms())
        .bind(ap_id)
        .execute(self.pool())
        .await?;
        Ok(())
    }

    /// Deletes a post, and its replies when it opens a thread.
    pub async fn delete_post(&self, ap_id: &str) -> Result<u64, DbError> {
        let done = sqlx::query("DELETE FROM posts WHERE ap_id = $1 OR thread_ap_id = $1")
            .bind(ap_id)
            .execute(self.pool())
            .await?;
        Ok(done.rows_affected())
    }

    pub async fn set_post_flags(
        &self,
        ap_id: &str,
        pinned: bool,
        locked: bool,
    ) -> Result<(), DbError> {
        sqlx::query("UPDATE posts SET pinned = $1, locked = $2 WHERE ap_id = $3")
            .bind(i64::from(pinned))
            .bind(i64::from(locked))
            .bind(ap_id)
            .execute(self.pool())
            .await?;
        Ok(())
    }

    /// Threads of a community: pinned first, then the newest.
    pub async fn threads(&self, community_id: i64) -> Result<Vec<PostRow>, DbError> {
        let sql = format!(
            "SELECT {COLUMNS} FROM {FROM} WHERE p.community_id = $1 AND p.kind = 'Page' \
             ORDER BY p.pinned DESC, p.published_at DESC LIMIT 200"
        );
        Ok(sqlx::query_as(assembled(sql))
            .bind(community_id)
            .fetch_all(self.pool())
            .await?)
    }

    /// Threads of one category in a community, newest first.
    pub async fn threads_of_category(
        &self,
        community_id: i64,
        category: &str,
    ) -> Result<Vec<PostRow>, DbError> {
        let sql = format!(
            "SELECT {COLUMNS} FROM {FROM} WHERE p.community_id = $1 AND p.kind = 'Page' \
             AND p.category = $2 ORDER BY p.published_at DESC LIMIT 200"
        );
        Ok(sqlx::query_as(assembled(sql))
            .bind(community_id)
            .bind(category)
            .fetch_all(self.pool())
            .await?)
    }

    /// Replies of a thread, oldest first.
    pub async fn replies(&self, thread_ap_id: &str) -> Result<Vec<PostRow>, DbError> {
        let sql = format!(
            "SELECT {COLUMNS} FROM {FROM} WHERE p.thread_ap_id = $1 AND p.kind = 'Note' \
             ORDER BY p.published_at, p.id"
        );
        Ok(sqlx::query_as(assembled(sql))
            .bind(thread_ap_id)
            .fetch_all(self.pool())
            .await?)
    }

    /// Authors who took part in a thread (to notify them of a reply).
    pub async fn thread_participants(&self, thread_ap_id: &str) -> Result<Vec<String>, DbError> {
        let rows: Vec<(String,)> =
            sqlx::query_as("SELECT DISTINCT attributed_to FROM posts WHERE thread_ap_id = $1")
                .bind(thread_ap_id)
                .fetch_all(self.pool())
                .await?;
        Ok(rows.into_iter().map(|(a,)| a).collect())
    }

    /// The home feed: posts of the communities where `actor_id` is an accepted member,
    /// newest first, strictly older than `before` = (published_at, id) of the previous
    /// page's last post; `id` breaks ties within a millisecond.
    ///
    /// Each community's newest `limit` posts are read by the `posts_community_recent` index
    /// and only those (at most communities × limit rows) are merged and sorted: cost follows
    /// the page size, not the posts of all the agent's communities.
    pub async fn feed(
        &self,
        actor_id: i64,
        before: (i64, i64),
        limit: i64,
    ) -> Result<Vec<PostRow>, DbError> {
        let communities: Vec<(i64,)> = sqlx::query_as(
            "SELECT community_id FROM memberships WHERE actor_id = $1 AND state = 'accepted' \
             ORDER BY community_id",
        )
        .bind(actor_id)
        .fetch_all(self.pool())
        .await?;
        if communities.is_empty() {
            return Ok(Vec::new());
        }
        // A row comparison is what both engines turn into an index range on
        // (community_id, published_at, id); PostgreSQL then merges the sorted reads.
        let older = "(published_at, id) < ($1, $2)";
        // SQLite caps compound SELECTs at 500 terms; past a few dozen communities one
        // filtered scan is as good as the merge.
        let sql = if communities.len() <= MERGED_COMMUNITIES {
            let parts: Vec<String> = (0..communities.len())
                .map(|i| {
                    format!(
                        "SELECT * FROM (SELECT * FROM posts WHERE community_id = ${} AND {older} \
                         ORDER BY published_at DESC, id DESC LIMIT $3) AS c{i}",
                        i + 4
                    )
                })
                .collect();
            // The page is cut before the authors are joined: 30 lookups, not communities × 30.
            format!(
                "SELECT {COLUMNS} FROM (SELECT * FROM ({}) AS t \
                 ORDER BY published_at DESC, id DESC LIMIT $3) AS p \
                 LEFT JOIN actors a ON a.ap_id = p.attributed_to \
                 ORDER BY p.published_at DESC, p.id DESC",
                parts.join(" UNION ALL ")
            )
        } else {
            format!(
                "SELECT {COLUMNS} FROM {FROM} WHERE p.community_id IN (SELECT community_id FROM \
                 memberships WHERE actor_id = $4 AND state = 'accepted') AND \
                 (p.published_at, p.id) < ($1, $2) \
                 ORDER BY p.published_at DESC, p.id DESC LIMIT $3"
            )
        };
        let mut q = sqlx::query_as(assembled(sql))
            .bind(before.0)
            .bind(before.1)
            .bind(limit);
        if communities.len() <= MERGED_COMMUNITIES {
            for (c,) in &communities {
                q = q.bind(*c);
            }
        } else {
            q = q.bind(actor_id);
        }
        Ok(q.fetch_all(self.pool()).await?)
    }

    /// Purges what a revoked peer's node wrote or hosts: posts from `authority`, and posts of
    /// communities hosted there, except those whose origin is `ours`.
    pub async fn purge_posts_of(&self, authority: &str, ours: &str) -> Result<u64, DbError> {
        let done = sqlx::query(
            "DELETE FROM posts WHERE authority = $1 OR (authority <> $2 AND community_id IN \
             (SELECT c.id FROM communities c JOIN actors a ON a.id = c.actor_id \
             WHERE a.authority = $1))",
        )
        .bind(authority)
        .bind(ours)
        .execute(self.pool())
        .await?;
        Ok(done.rows_affected())
    }
}
