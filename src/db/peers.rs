//! The `peers` table: remote authorities and whether federation with them is on.

use super::{DbError, Store, assembled, now_ms};

#[derive(Debug, Clone, sqlx::FromRow)]
pub struct PeerRow {
    pub id: i64,
    pub authority: String,
    pub state: String,
    pub institution: String,
    pub kind: String,
    pub contact: String,
    pub message: String,
    pub actor_ap_id: Option<String>,
    pub request_ap_id: Option<String>,
    pub decided_by: Option<String>,
    pub decided_at: Option<i64>,
    pub created_at: i64,
    pub updated_at: i64,
    pub branch: String,
    pub verified_institution: String,
    pub verified_kind: String,
    pub our_message: String,
    pub last_request_at: Option<i64>,
}

const COLUMNS: &str = "id, authority, state, institution, kind, contact, message, actor_ap_id, \
    request_ap_id, decided_by, decided_at, created_at, updated_at, branch, verified_institution, \
    verified_kind, our_message, last_request_at";

/// What changes about a peer.
#[derive(Debug, Clone, Default)]
pub struct PeerUpdate<'a> {
    pub state: &'a str,
    pub decided_by: Option<&'a str>,
    pub institution: Option<&'a str>,
    pub kind: Option<&'a str>,
    pub contact: Option<&'a str>,
    pub message: Option<&'a str>,
    pub actor_ap_id: Option<&'a str>,
    pub request_ap_id: Option<&'a str>,
    pub branch: Option<&'a str>,
    pub verified_institution: Option<&'a str>,
    pub verified_kind: Option<&'a str>,
    pub our_message: Option<&'a str>,
    /// Set when this change records a request received from the peer.
    pub requested_now: bool,
}

impl Store {
    pub async fn peer(&self, authority: &str) -> Result<Option<PeerRow>, DbError> {
        Ok(sqlx::query_as(assembled(format!(
            "SELECT {COLUMNS} FROM peers WHERE authority = $1"
        )))
        .bind(authority)
        .fetch_optional(self.pool())
        .await?)
    }

    pub async fn list_peers(&self) -> Result<Vec<PeerRow>, DbError> {
        Ok(sqlx::query_as(assembled(format!(
            "SELECT {COLUMNS} FROM peers ORDER BY state, authority"
        )))
        .fetch_all(self.pool())
        .await?)
    }

    pub async fn count_peers_in_state(&self, state: &str) -> Result<i64, DbError> {
        let (n,): (i64,) = sqlx::query_as("SELECT COUNT(*) FROM peers WHERE state = $1")
            .bind(state)
            .fetch_one(self.pool())
            .await?;
        Ok(n)
    }

    /// Creates the peer or changes its state; fields left `None` keep their value.
    pub async fn upsert_peer(
        &self,
        authority: &str,
        u: &PeerUpdate<'_>,
    ) -> Result<PeerRow, DbError> {
        let now = now_ms();
        let decided_at = u.decided_by.map(|_| now);
        let requested_at = u.requested_now.then_some(now);
        Ok(sqlx::query_as(assembled(format!(
            "INSERT INTO peers (authority, state, institution, kind, contact, message, actor_ap_id, \
             request_ap_id, decided_by, decided_at, created_at, updated_at, branch, \
             verified_institution, verified_kind, our_message, last_request_at) \
             VALUES ($1, $2, COALESCE($3, ''), COALESCE($4, ''), COALESCE($5, ''), COALESCE($6, ''), \
             $7, $8, $9, $10, $11, $11, COALESCE($12, ''), COALESCE($13, ''), COALESCE($14, ''), \
             COALESCE($15, ''), $16) \
             ON CONFLICT (authority) DO UPDATE SET state = $2, \
             institution = COALESCE($3, peers.institution), kind = COALESCE($4, peers.kind), \
             contact = COALESCE($5, peers.contact), message = COALESCE($6, peers.message), \
             actor_ap_id = COALESCE($7, peers.actor_ap_id), \
             request_ap_id = COALESCE($8, peers.request_ap_id), \
             decided_by = COALESCE($9, peers.decided_by), \
             decided_at = COALESCE($10, peers.decided_at), updated_at = $11, \
             branch = COALESCE($12, peers.branch), \
             verified_institution = COALESCE($13, peers.verified_institution), \
             verified_kind = COALESCE($14, peers.verified_kind), \
             our_message = COALESCE($15, peers.our_message), \
             last_request_at = COALESCE($16, peers.last_request_at) \
             RETURNING {COLUMNS}"
        )))
        .bind(authority)
        .bind(u.state)
        .bind(u.institution)
        .bind(u.kind)
        .bind(u.contact)
        .bind(u.message)
        .bind(u.actor_ap_id)
        .bind(u.request_ap_id)
        .bind(u.decided_by)
        .bind(decided_at)
        .bind(now)
        .bind(u.branch)
        .bind(u.verified_institution)
        .bind(u.verified_kind)
        .bind(u.our_message)
        .bind(requested_at)
        .fetch_one(self.pool())
        .await?)
    }
}

/// What a purge removed, for the audit log.
#[derive(Debug, Default, Clone, Copy)]
pub struct Purged {
    pub actors: u64,
    pub objects: u64,
    pub follows: u64,
}

impl Store {
    /// Removes everything cached from `authority` in one transaction: follows involving its
    /// actors, its objects, the ids of activities received from it, and its actors. Local
    /// rows (what our own agents wrote) are never touched.
    pub async fn purge_authority(&self, authority: &str) -> Result<Purged, DbError> {
        let mut tx = self.begin_write().await?;
        let follows = sqlx::query(
            "DELETE FROM follows WHERE follower_id IN \
             (SELECT id FROM actors WHERE authority = $1 AND is_local = 0) \
             OR followee_id IN (SELECT id FROM actors WHERE authority = $1 AND is_local = 0)",
        )
        .bind(authority)
        .execute(&mut *tx)
        .await?
        .rows_affected();
        let objects = sqlx::query("DELETE FROM objects WHERE authority = $1")
            .bind(authority)
            .execute(&mut *tx)
            .await?
            .rows_affected();
        sqlx::query("DELETE FROM received_activities WHERE authority = $1")
            .bind(authority)
            .execute(&mut *tx)
            .await?;
        let actors = sqlx::query("DELETE FROM actors WHERE authority = $1 AND is_local = 0")
            .bind(authority)
            .execute(&mut *tx)
            .await?
            .rows_affected();
        tx.commit().await?;
        Ok(Purged {
            actors,
            objects,
            follows,
        })
    }
}

/// The HTTP signature scheme a peer accepts, as deliveries learn it (issue 14).
impl Store {
    /// The scheme `authority` accepted last: '' when not known yet (or no such peer).
    pub async fn peer_signature_scheme(&self, authority: &str) -> Result<String, DbError> {
        let row: Option<(String,)> =
            sqlx::query_as("SELECT signature_scheme FROM peers WHERE authority = $1")
                .bind(authority)
                .fetch_optional(self.pool())
                .await?;
        Ok(row.map(|(s,)| s).unwrap_or_default())
    }

    /// Remembers the scheme `authority` accepted; nothing for an authority without a row.
    pub async fn set_peer_signature_scheme(
        &self,
        authority: &str,
        scheme: &str,
    ) -> Result<(), DbError> {
        sqlx::query("UPDATE peers SET signature_scheme = $1 WHERE authority = $2")
            .bind(scheme)
            .bind(authority)
            .execute(self.pool())
            .await?;
        Ok(())
    }
}

/// A group's Announce refused only because the inner activity's node was not allowed.
#[derive(Debug, Clone, sqlx::FromRow)]
pub struct RefusedRelayRow {
    pub id: i64,
    pub authority: String,
    pub activity_ap_id: String,
    pub group_ap_id: String,
    pub raw: String,
}

/// Refused relays, kept for a later backfill (issue 14).
impl Store {
    /// Keeps the refused Announce, unless `max_per_authority` are already kept for that
    /// authority (a flood from a group cannot fill the disk) or this one already is. True
    /// when it was kept.
    pub async fn note_refused_relay(
        &self,
        authority: &str,
        activity_ap_id: &str,
        group_ap_id: &str,
        raw: &str,
        max_per_authority: i64,
    ) -> Result<bool, DbError> {
        let (kept,): (i64,) =
            sqlx::query_as("SELECT COUNT(*) FROM refused_relays WHERE authority = $1")
                .bind(authority)
                .fetch_one(self.pool())
                .await?;
        if kept >= max_per_authority {
            return Ok(false);
        }
        let done = sqlx::query(
            "INSERT INTO refused_relays (authority, activity_ap_id, group_ap_id, raw, created_at) \
             VALUES ($1, $2, $3, $4, $5) ON CONFLICT (activity_ap_id) DO NOTHING",
        )
        .bind(authority)
        .bind(activity_ap_id)
        .bind(group_ap_id)
        .bind(raw)
        .bind(now_ms())
        .execute(self.pool())
        .await?;
        Ok(done.rows_affected() == 1)
    }

    /// The oldest `limit` refused relays whose inner activity is from `authority`.
    pub async fn refused_relays_of(
        &self,
        authority: &str,
        limit: i64,
    ) -> Result<Vec<RefusedRelayRow>, DbError> {
        Ok(sqlx::query_as(
            "SELECT id, authority, activity_ap_id, group_ap_id, raw FROM refused_relays \
             WHERE authority = $1 ORDER BY id LIMIT $2",
        )
        .bind(authority)
        .bind(limit)
        .fetch_all(self.pool())
        .await?)
    }

    pub async fn forget_refused_relay(&self, id: i64) -> Result<(), DbError> {
        sqlx::query("DELETE FROM refused_relays WHERE id = $1")
            .bind(id)
            .execute(self.pool())
            .await?;
        Ok(())
    }

    /// Forgets every refused relay from `authority` (it was denied or revoked).
    pub async fn forget_refused_relays_of(&self, authority: &str) -> Result<u64, DbError> {
        let done = sqlx::query("DELETE FROM refused_relays WHERE authority = $1")
            .bind(authority)
            .execute(self.pool())
            .await?;
        Ok(done.rows_affected())
    }
}
