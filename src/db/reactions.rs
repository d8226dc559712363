//! Reactions (« Merci », « +1 », « Bravo ») on posts and resources: one row per agent,
//! object and kind, found again by the id of the activity that made it.

use super::{DbError, Store};

/// One reaction, with its author's name as known here (empty when not cached).
#[derive(Debug, Clone, sqlx::FromRow)]
pub struct ReactionRow {
    pub object_ap_id: String,
    pub actor_ap_id: String,
    pub kind: String,
    pub ap_id: String,
    pub name: String,
}

/// What a new reaction is.
pub struct NewReaction<'a> {
    pub community_id: i64,
    pub object: &'a str,
    pub actor: &'a str,
    pub kind: &'a str,
    pub ap_id: &'a str,
    pub at: i64,
}

impl Store {
    /// Stores a reaction; false when the agent had already reacted so to this object, or
    /// the activity is known (nothing written).
    pub async fn insert_reaction(&self, r: &NewReaction<'_>) -> Result<bool, DbError> {
        let done = sqlx::query(
            "INSERT INTO reactions (community_id, object_ap_id, actor_ap_id, kind, ap_id, \
             created_at) VALUES ($1, $2, $3, $4, $5, $6) ON CONFLICT DO NOTHING",
        )
        .bind(r.community_id)
        .bind(r.object)
        .bind(r.actor)
        .bind(r.kind)
        .bind(r.ap_id)
        .bind(r.at)
        .execute(self.pool())
        .await?;
        Ok(done.rows_affected() == 1)
    }

    /// The activity id of `actor`'s reaction `kind` to `object`, if any.
    pub async fn reaction_of(
        &self,
        object: &str,
        actor: &str,
        kind: &str,
    ) -> Result<Option<String>, DbError> {
        let row: Option<(String,)> = sqlx::query_as(
            "SELECT ap_id FROM reactions WHERE object_ap_id = $1 AND actor_ap_id = $2 \
             AND kind = $3",
        )
        .bind(object)
        .bind(actor)
        .bind(kind)
        .fetch_optional(self.pool())
        .await?;
        Ok(row.map(|(id,)| id))
    }

    /// Removes the reaction made by activity `ap_id`, only if `actor` made it; the object
    /// it was about when one was removed.
    pub async fn delete_reaction(
        &self,
        ap_id: &str,
        actor: &str,
    ) -> Result<Option<String>, DbError> {
        let row: Option<(String,)> = sqlx::query_as(
            "DELETE FROM reactions WHERE ap_id = $1 AND actor_ap_id = $2 RETURNING object_ap_id",
        )
        .bind(ap_id)
        .bind(actor)
        .fetch_optional(self.pool())
        .await?;
        Ok(row.map(|(o,)| o))
    }

    /// The community of the reaction made by activity `ap_id`.
    pub async fn reaction_community(&self, ap_id: &str) -> Result<Option<i64>, DbError> {
        let row: Option<(i64,)> =
            sqlx::query_as("SELECT community_id FROM reactions WHERE ap_id = $1")
                .bind(ap_id)
                .fetch_optional(self.pool())
                .await?;
        Ok(row.map(|(c,)| c))
    }

    /// Every reaction in a community, oldest first, with the names of their authors.
    pub async fn community_reactions(
        &self,
        community_id: i64,
    ) -> Result<Vec<ReactionRow>, DbError> {
        Ok(sqlx::query_as(
            "SELECT r.object_ap_id, r.actor_ap_id, r.kind, r.ap_id, \
             COALESCE(NULLIF(a.display_name, ''), a.username, '') AS name \
             FROM reactions r LEFT JOIN actors a ON a.ap_id = r.actor_ap_id \
             WHERE r.community_id = $1 ORDER BY r.id",
        )
        .bind(community_id)
        .fetch_all(self.pool())
        .await?)
    }
}
