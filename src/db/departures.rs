//! What an agent's departure (account deletion) changes in storage: their posts go or are
//! handed to a nameless "former agent" id, and what named them is removed.

use super::{ActorRow, DbError, PostRow, Store, assembled, now_ms};

impl Store {
    /// Posts written by `author`, oldest first.
    pub async fn posts_by_author(&self, author: &str) -> Result<Vec<PostRow>, DbError> {
        let sql = format!(
            "SELECT {} FROM {} WHERE p.attributed_to = $1 ORDER BY p.published_at, p.id",
            super::posts::COLUMNS,
            super::posts::FROM
        );
        Ok(sqlx::query_as(assembled(sql))
            .bind(author)
            .fetch_all(self.pool())
            .await?)
    }

    /// Hands every post, note, report, resource revision and action item of `author` to
    /// `former` (a nameless id), and frees their session seats, in one transaction. Returns
    /// the posts changed.
    pub async fn reattribute(&self, author: &str, former: &str) -> Result<u64, DbError> {
        let mut tx = self.begin_write().await?;
        let done = sqlx::query("UPDATE posts SET attributed_to = $2 WHERE attributed_to = $1")
            .bind(author)
            .bind(former)
            .execute(&mut *tx)
            .await?;
        sqlx::query("UPDATE objects SET attributed_to = $2 WHERE attributed_to = $1")
            .bind(author)
            .bind(former)
            .execute(&mut *tx)
            .await?;
        sqlx::query("UPDATE reports SET reporter = $2 WHERE reporter = $1")
            .bind(author)
            .bind(former)
            .execute(&mut *tx)
            .await?;
        // Shared work outlives its authors in both choices: a guide's history and a plan
        // belong to the community, so they are handed over, never deleted.
        for sql in [
            "UPDATE resources SET attributed_to = $2 WHERE attributed_to = $1",
            "UPDATE resource_revisions SET author = $2 WHERE author = $1",
            "UPDATE action_items SET attributed_to = $2 WHERE attributed_to = $1",
            "UPDATE action_comments SET attributed_to = $2 WHERE attributed_to = $1",
        ] {
            sqlx::query(sql)
                .bind(author)
                .bind(former)
                .execute(&mut *tx)
                .await?;
        }
        for sql in [
            "UPDATE action_items SET owner = '' WHERE owner = $1",
            "DELETE FROM event_participants WHERE actor_ap_id = $1",
        ] {
            sqlx::query(sql).bind(author).execute(&mut *tx).await?;
        }
        tx.commit().await?;
        Ok(done.rows_affected())
    }

    /// Deletes every post and note of `author` stored here. Returns the posts deleted.
    pub async fn delete_writings_of(&self, author: &str) -> Result<u64, DbError> {
        let mut tx = self.begin_write().await?;
        let done = sqlx::query("DELETE FROM posts WHERE attributed_to = $1")
            .bind(author)
            .execute(&mut *tx)
            .await?;
        sqlx::query("DELETE FROM objects WHERE attributed_to = $1")
            .bind(author)
            .execute(&mut *tx)
            .await?;
        tx.commit().await?;
        Ok(done.rows_affected())
    }

    /// Forgets a remote actor: the cached profile, and with it (cascade) their memberships
    /// and follows; the notifications they caused. Their posts are handled before.
    pub async fn forget_remote_actor(&self, ap_id: &str) -> Result<bool, DbError> {
        let mut tx = self.begin_write().await?;
        sqlx::query("DELETE FROM notifications WHERE actor_ap_id = $1")
            .bind(ap_id)
            .execute(&mut *tx)
            .await?;
        let done = sqlx::query("DELETE FROM actors WHERE ap_id = $1 AND is_local = 0")
            .bind(ap_id)
            .execute(&mut *tx)
            .await?;
        tx.commit().await?;
        Ok(done.rows_affected() > 0)
    }

    /// Ends a local account. The actor row stays, emptied of its profile, so that the
    /// activities still queued in its name can be signed and its id is never reused; without
    /// an account it is no longer served (see `local_actor`). Memberships, follows both ways,
    /// notifications about it, the account, its sessions and tokens go.
    pub async fn close_account(&self, account_id: i64, actor: &ActorRow) -> Result<(), DbError> {
        let mut tx = self.begin_write().await?;
        for sql in [
            "DELETE FROM memberships WHERE actor_id = $1",
            "DELETE FROM follows WHERE follower_id = $1 OR followee_id = $1",
            "DELETE FROM directory_entries WHERE actor_id = $1",
            "DELETE FROM search_docs WHERE actor_id = $1",
        ] {
            sqlx::query(sql).bind(actor.id).execute(&mut *tx).await?;
        }
        sqlx::query("DELETE FROM notifications WHERE actor_ap_id = $1")
            .bind(&actor.ap_id)
            .execute(&mut *tx)
            .await?;
        sqlx::query(
            "UPDATE actors SET display_name = '', summary = '', job_title = '', updated_at = $2 \
             WHERE id = $1",
        )
        .bind(actor.id)
        .bind(now_ms())
        .execute(&mut *tx)
        .await?;
        sqlx::query("DELETE FROM accounts WHERE id = $1")
            .bind(account_id)
            .execute(&mut *tx)
            .await?;
        tx.commit().await?;
        Ok(())
    }

    /// One known actor per shared inbox on the peers we may talk to: enough to reach, once
    /// each, every node that may have cached one of our agents (a node that stored a post
    /// has fetched its author, and we know the authors of the posts we store).
    pub async fn peer_shared_inbox_actors(&self) -> Result<Vec<ActorRow>, DbError> {
        let sql = format!(
            "SELECT {} FROM actors a WHERE a.id IN (SELECT MIN(x.id) FROM actors x \
             JOIN peers p ON p.authority = x.authority \
             WHERE p.state IN ('approved', 'manual') AND x.is_local = 0 \
             AND x.shared_inbox_url IS NOT NULL GROUP BY x.shared_inbox_url)",
            super::actors::COLUMNS_OF_A
        );
        Ok(sqlx::query_as(assembled(sql))
            .fetch_all(self.pool())
            .await?)
    }
}
