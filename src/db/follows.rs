//! The `follows` table.

use super::{ActorRow, DbError, Store, assembled, now_ms};

#[derive(Debug, Clone, sqlx::FromRow)]
pub struct FollowRow {
    pub id: i64,
    pub follower_id: i64,
    pub followee_id: i64,
    pub ap_id: String,
    pub state: String,
}

const ACTOR_COLUMNS: &str = "a.id, a.ap_id, a.kind, a.username, a.authority, a.is_local, \
    a.display_name, a.summary, a.job_title, a.institution, a.inbox_url, a.shared_inbox_url, \
    a.outbox_url, a.followers_url, a.following_url, a.public_key_id, a.public_key_pem, \
    a.private_key_pem, a.fetched_at, a.created_at, a.updated_at";

impl Store {
    /// Records a follow (or refreshes its id and state when the pair exists).
    pub async fn upsert_follow(
        &self,
        follower_id: i64,
        followee_id: i64,
        ap_id: &str,
        state: &str,
    ) -> Result<FollowRow, DbError> {
        Ok(sqlx::query_as(
            "INSERT INTO follows (follower_id, followee_id, ap_id, state, created_at, updated_at) \
             VALUES ($1, $2, $3, $4, $5, $5) \
             ON CONFLICT (follower_id, followee_id) DO UPDATE SET ap_id = $3, state = $4, updated_at = $5 \
             RETURNING id, follower_id, followee_id, ap_id, state",
        )
        .bind(follower_id)
        .bind(followee_id)
        .bind(ap_id)
        .bind(state)
        .bind(now_ms())
        .fetch_one(self.pool())
        .await?)
    }

    pub async fn follow_by_ap_id(&self, ap_id: &str) -> Result<Option<FollowRow>, DbError> {
        Ok(sqlx::query_as(
            "SELECT id, follower_id, followee_id, ap_id, state FROM follows WHERE ap_id = $1",
        )
        .bind(ap_id)
        .fetch_optional(self.pool())
        .await?)
    }

    pub async fn follow_between(
        &self,
        follower_id: i64,
        followee_id: i64,
    ) -> Result<Option<FollowRow>, DbError> {
        Ok(sqlx::query_as(
            "SELECT id, follower_id, followee_id, ap_id, state FROM follows \
             WHERE follower_id = $1 AND followee_id = $2",
        )
        .bind(follower_id)
        .bind(followee_id)
        .fetch_optional(self.pool())
        .await?)
    }

    pub async fn set_follow_state(&self, id: i64, state: &str) -> Result<(), DbError> {
        sqlx::query("UPDATE follows SET state = $1, updated_at = $2 WHERE id = $3")
            .bind(state)
            .bind(now_ms())
            .bind(id)
            .execute(self.pool())
            .await?;
        Ok(())
    }

    pub async fn delete_follow(&self, id: i64) -> Result<(), DbError> {
        sqlx::query("DELETE FROM follows WHERE id = $1")
            .bind(id)
            .execute(self.pool())
            .await?;
        Ok(())
    }

    /// Accepted followers of an actor.
    pub async fn followers(&self, followee_id: i64) -> Result<Vec<ActorRow>, DbError> {
        Ok(sqlx::query_as(assembled(format!(
            "SELECT {ACTOR_COLUMNS} FROM follows f JOIN actors a ON a.id = f.follower_id \
             WHERE f.followee_id = $1 AND f.state = 'accepted' ORDER BY f.id"
        )))
        .bind(followee_id)
        .fetch_all(self.pool())
        .await?)
    }

    /// Whether the actor with this id has an accepted follower among our local actors.
    pub async fn has_local_follower(&self, followee_ap_id: &str) -> Result<bool, DbError> {
        let found: Option<(i64,)> = sqlx::query_as(
            "SELECT f.id FROM follows f \
             JOIN actors followee ON followee.id = f.followee_id \
             JOIN actors follower ON follower.id = f.follower_id \
             WHERE followee.ap_id = $1 AND f.state = 'accepted' AND follower.is_local = 1 \
             LIMIT 1",
        )
        .bind(followee_ap_id)
        .fetch_optional(self.pool())
        .await?;
        Ok(found.is_some())
    }

    /// Actors this one follows (accepted).
    pub async fn following(&self, follower_id: i64) -> Result<Vec<ActorRow>, DbError> {
        Ok(sqlx::query_as(assembled(format!(
            "SELECT {ACTOR_COLUMNS} FROM follows f JOIN actors a ON a.id = f.followee_id \
             WHERE f.follower_id = $1 AND f.state = 'accepted' ORDER BY f.id"
        )))
        .bind(follower_id)
        .fetch_all(self.pool())
        .await?)
    }
}
