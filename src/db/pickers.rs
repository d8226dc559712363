//! What the pickers by name read: the persons this node may name (its own agents, and those
//! of active peers it has cached) and the institutions' names of its peers.

use super::{ActorRow, DbError, Store, actors::COLUMNS_OF_A, assembled};

/// A person this node may offer in a picker, at most this many (the filter by name runs in
/// Rust, on normalised words, the same on both engines).
const MAX_CANDIDATES: i64 = 5000;

impl Store {
    /// Local agents with an enabled account, and cached persons of active peers.
    pub async fn picker_persons(&self) -> Result<Vec<ActorRow>, DbError> {
        let sql = format!(
            "SELECT {COLUMNS_OF_A} FROM actors a WHERE a.kind = 'Person' AND ( \
             (a.is_local = 1 AND EXISTS (SELECT 1 FROM accounts ac WHERE ac.actor_id = a.id \
             AND ac.disabled_at IS NULL)) \
             OR (a.is_local = 0 AND a.authority IN (SELECT p.authority FROM peers p \
             WHERE p.state IN ('approved', 'manual')))) \
             ORDER BY a.display_name, a.username LIMIT $1"
        );
        Ok(sqlx::query_as(assembled(sql))
            .bind(MAX_CANDIDATES)
            .fetch_all(self.pool())
            .await?)
    }

    /// Persons an agent may mention: the accepted members of `community_id` (none when
    /// negative) and those with a directory entry shown here, among local agents with an
    /// enabled account and cached persons of active peers (never an unapproved node's).
    pub async fn mention_persons(&self, community_id: i64) -> Result<Vec<ActorRow>, DbError> {
        let sql = format!(
            "SELECT {COLUMNS_OF_A} FROM actors a WHERE a.kind = 'Person' AND ( \
             (a.is_local = 1 AND EXISTS (SELECT 1 FROM accounts ac WHERE ac.actor_id = a.id \
             AND ac.disabled_at IS NULL)) \
             OR (a.is_local = 0 AND a.authority IN (SELECT p.authority FROM peers p \
             WHERE p.state IN ('approved', 'manual')))) \
             AND (EXISTS (SELECT 1 FROM memberships m WHERE m.actor_id = a.id \
             AND m.community_id = $1 AND m.state = 'accepted') \
             OR EXISTS (SELECT 1 FROM directory_entries d WHERE d.actor_id = a.id \
             AND d.visibility <> 'hidden')) \
             ORDER BY a.display_name, a.username LIMIT $2"
        );
        Ok(sqlx::query_as(assembled(sql))
            .bind(community_id)
            .bind(MAX_CANDIDATES)
            .fetch_all(self.pool())
            .await?)
    }

    /// The authorities of active peers with the institution's name as known: checked on
    /// its instance actor first, then as it described itself, then the cached instance
    /// actor's name (any of them may be empty).
    pub async fn peer_names(&self) -> Result<Vec<(String, String)>, DbError> {
        Ok(sqlx::query_as(
            "SELECT p.authority, COALESCE(NULLIF(p.verified_institution, ''), \
             NULLIF(p.institution, ''), (SELECT MAX(a.display_name) FROM actors a \
             WHERE a.authority = p.authority AND a.kind = 'Application'), '') \
             FROM peers p WHERE p.state IN ('approved', 'manual')",
        )
        .fetch_all(self.pool())
        .await?)
    }

    /// A cached person of another node, by `username` and `authority`.
    pub async fn cached_person(
        &self,
        username: &str,
        authority: &str,
    ) -> Result<Option<ActorRow>, DbError> {
        let sql = format!(
            "SELECT {COLUMNS_OF_A} FROM actors a WHERE a.kind = 'Person' AND a.is_local = 0 \
             AND a.username = $1 AND a.authority = $2"
        );
        Ok(sqlx::query_as(assembled(sql))
            .bind(username)
            .bind(authority)
            .fetch_optional(self.pool())
            .await?)
    }
}
