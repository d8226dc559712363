//! The `deliveries` table: the persistent outgoing queue. Claiming is the one place where the
//! engines differ: PostgreSQL lets several processes share the queue with `SKIP LOCKED`.

use super::{DbError, Store, assembled, now_ms};

#[derive(Debug, Clone, sqlx::FromRow)]
pub struct DeliveryRow {
    pub id: i64,
    pub activity_ap_id: String,
    pub sender_id: i64,
    pub inbox_url: String,
    pub authority: String,
    pub body: String,
    pub state: String,
    pub attempts: i64,
    pub next_attempt_at: i64,
    pub last_error: Option<String>,
    pub last_status: Option<i64>,
    pub created_at: i64,
    pub updated_at: i64,
    /// 1 for the federation handshake, which may reach a peer that is not approved.
    pub handshake: i64,
}

const COLUMNS: &str = "id, activity_ap_id, sender_id, inbox_url, authority, body, state, attempts, \
    next_attempt_at, last_error, last_status, created_at, updated_at, handshake";

impl Store {
    /// Queues one activity for each inbox (already deduplicated by the caller); an
    /// (activity, inbox) pair already queued is not queued twice. Returns how many rows were added.
    pub async fn enqueue_deliveries(
        &self,
        activity_ap_id: &str,
        sender_id: i64,
        body: &str,
        inboxes: &[(String, String)],
        handshake: bool,
    ) -> Result<u64, DbError> {
        let now = now_ms();
        let mut tx = self.begin_write().await?;
        let mut added = 0;
        for (inbox, authority) in inboxes {
            let done = sqlx::query(
                "INSERT INTO deliveries (activity_ap_id, sender_id, inbox_url, authority, body, state, \
                 attempts, next_attempt_at, created_at, updated_at, handshake) \
                 VALUES ($1, $2, $3, $4, $5, 'pending', 0, $6, $6, $6, $7) \
                 ON CONFLICT (activity_ap_id, inbox_url) DO NOTHING",
            )
            .bind(activity_ap_id)
            .bind(sender_id)
            .bind(inbox)
            .bind(authority)
            .bind(body)
            .bind(now)
            .bind(i64::from(handshake))
            .execute(&mut *tx)
            .await?;
            added += done.rows_affected();
        }
        tx.commit().await?;
        Ok(added)
    }

    /// Claims up to `limit` due deliveries for `lease_ms`, in this process's name. A row is
    /// free when it is not claimed, its lease has ended, or the process that claimed it is
    /// gone (no fresh heartbeat in `worker_instances`): a node restarted after a crash, or
    /// another process sharing the PostgreSQL database, takes it over without waiting out the
    /// lease. On PostgreSQL two processes skip each other's rows (`SKIP LOCKED`).
    pub async fn claim_deliveries(
        &self,
        limit: i64,
        lease_ms: i64,
    ) -> Result<Vec<DeliveryRow>, DbError> {
        let now = now_ms();
        let lock = match self.engine() {
            super::Engine::Postgres => "FOR UPDATE SKIP LOCKED",
            super::Engine::Sqlite => "",
        };
        Ok(sqlx::query_as(assembled(format!(
            "UPDATE deliveries SET locked_until = $1, claimed_by = $2 WHERE id IN (\
               SELECT id FROM deliveries WHERE state = 'pending' AND next_attempt_at <= $3 \
               AND (locked_until IS NULL OR locked_until < $3 OR claimed_by IS NULL \
                    OR (claimed_by <> $2 AND claimed_by NOT IN \
                        (SELECT id FROM worker_instances WHERE heartbeat_at >= $4))) \
               ORDER BY next_attempt_at, id LIMIT $5 {lock}) \
             RETURNING {COLUMNS}"
        )))
        .bind(now + lease_ms)
        .bind(self.instance())
        .bind(now)
        .bind(now - super::INSTANCE_STALE_MS)
        .bind(limit)
        .fetch_all(self.pool())
        .await?)
    }

    pub async fn mark_delivered(&self, id: i64, status: i64) -> Result<(), DbError> {
        sqlx::query(
            "UPDATE deliveries SET state = 'delivered', attempts = attempts + 1, last_status = $1, \
             last_error = NULL, locked_until = NULL, updated_at = $2 WHERE id = $3",
        )
        .bind(status)
        .bind(now_ms())
        .bind(id)
        .execute(self.pool())
        .await?;
        Ok(())
    }

    /// Records a failed attempt: retried at `next_attempt_at`, or final when `None`.
    pub async fn mark_attempt_failed(
        &self,
        id: i64,
        error: &str,
        status: Option<i64>,
        next_attempt_at: Option<i64>,
    ) -> Result<(), DbError> {
        let now = now_ms();
        sqlx::query(
            "UPDATE deliveries SET state = $1, attempts = attempts + 1, last_error = $2, \
             last_status = $3, next_attempt_at = $4, locked_until = NULL, updated_at = $5 \
             WHERE id = $6 AND state = 'pending'",
        )
        .bind(if next_attempt_at.is_some() {
            "pending"
        } else {
            "failed"
        })
        .bind(error)
        .bind(status)
        .bind(next_attempt_at.unwrap_or(now))
        .bind(now)
        .bind(id)
        .execute(self.pool())
        .await?;
        Ok(())
    }

    /// Cancels what is still queued for an authority (revocation), except the handshake
    /// activities that tell the peer about it. Returns how many.
    pub async fn cancel_deliveries_to(&self, authority: &str) -> Result<u64, DbError> {
        let done = sqlx::query(
            "UPDATE deliveries SET state = 'cancelled', locked_until = NULL, updated_at = $1 \
             WHERE authority = $2 AND state = 'pending' AND handshake = 0",
        )
        .bind(now_ms())
        .bind(authority)
        .execute(self.pool())
        .await?;
        Ok(done.rows_affected())
    }

    /// Deliveries in a state, newest first (admins look at 'failed' and 'pending').
    pub async fn deliveries_in_state(
        &self,
        state: &str,
        limit: i64,
    ) -> Result<Vec<DeliveryRow>, DbError> {
        Ok(sqlx::query_as(assembled(format!(
            "SELECT {COLUMNS} FROM deliveries WHERE state = $1 ORDER BY updated_at DESC LIMIT $2"
        )))
        .bind(state)
        .bind(limit)
        .fetch_all(self.pool())
        .await?)
    }

    pub async fn count_deliveries(&self, state: &str) -> Result<i64, DbError> {
        let (n,): (i64,) = sqlx::query_as("SELECT COUNT(*) FROM deliveries WHERE state = $1")
            .bind(state)
            .fetch_one(self.pool())
            .await?;
        Ok(n)
    }

    /// Makes pending (and, for one authority, failed) deliveries due now: the admin's
    /// "retry now" once a peer is back. It also releases claims, which a stopped process may
    /// have left until their lease ends; if another process was sending one of them, the peer
    /// receives it twice and deduplicates it by id. Returns how many.
    pub async fn retry_deliveries_now(&self, authority: Option<&str>) -> Result<u64, DbError> {
        let now = now_ms();
        let done = match authority {
            None => sqlx::query(
                "UPDATE deliveries SET next_attempt_at = $1, locked_until = NULL, updated_at = $1 \
                     WHERE state = 'pending'",
            )
            .bind(now)
            .execute(self.pool())
            .await?,
            Some(a) => {
                sqlx::query(
                    "UPDATE deliveries SET state = 'pending', next_attempt_at = $1, \
                     locked_until = NULL, updated_at = $1 \
                     WHERE authority = $2 AND state IN ('pending', 'failed')",
                )
                .bind(now)
                .bind(a)
                .execute(self.pool())
                .await?
            }
        };
        Ok(done.rows_affected())
    }

    /// The soonest time a pending delivery becomes due, to let the worker sleep until then.
    pub async fn next_delivery_due(&self) -> Result<Option<i64>, DbError> {
        let (at,): (Option<i64>,) =
            sqlx::query_as("SELECT MIN(next_attempt_at) FROM deliveries WHERE state = 'pending'")
                .fetch_one(self.pool())
                .await?;
        Ok(at)
    }
}
