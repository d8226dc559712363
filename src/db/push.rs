//! The Web Push tables: the node's VAPID key pair, the agents' devices (`push_subscriptions`)
//! and the `push_outbox`, claimed like mail (`claim_due_at`).

use super::{DbError, Store, assembled, now_ms};

#[derive(Debug, Clone, sqlx::FromRow)]
pub struct PushKeyRow {
    /// PKCS#8 document, base64 (standard alphabet).
    pub private_key: String,
    /// The uncompressed P-256 point, base64url without padding (the browser's
    /// `applicationServerKey` and the `k=` of the VAPID header).
    pub public_key: String,
}

#[derive(Debug, Clone, sqlx::FromRow)]
pub struct PushSubscriptionRow {
    pub id: i64,
    pub account_id: i64,
    pub endpoint: String,
    pub p256dh: String,
    pub auth: String,
    pub label: String,
    pub created_at: i64,
    pub last_push_at: Option<i64>,
}

#[derive(Debug, Clone)]
pub struct NewPushSubscription<'a> {
    pub account_id: i64,
    pub endpoint: &'a str,
    pub p256dh: &'a str,
    pub auth: &'a str,
    pub label: &'a str,
}

#[derive(Debug, Clone, sqlx::FromRow)]
pub struct PushRow {
    pub id: i64,
    pub subscription_id: i64,
    pub title: String,
    pub link: String,
    pub state: String,
    pub attempts: i64,
    pub next_attempt_at: i64,
    pub last_error: Option<String>,
    pub created_at: i64,
    pub sent_at: Option<i64>,
}

const SUB_COLUMNS: &str = "id, account_id, endpoint, p256dh, auth, label, created_at, last_push_at";
const PUSH_COLUMNS: &str = "id, subscription_id, title, link, state, attempts, next_attempt_at, \
    last_error, created_at, sent_at";

impl Store {
    /// The node's VAPID key pair, if made.
    pub async fn push_key(&self) -> Result<Option<PushKeyRow>, DbError> {
        Ok(
            sqlx::query_as("SELECT private_key, public_key FROM push_keys WHERE id = 1")
                .fetch_optional(self.pool())
                .await?,
        )
    }

    /// Stores a key pair unless one is there already (two processes starting at once keep
    /// the first), then returns the one kept.
    pub async fn insert_push_key(
        &self,
        private_key: &str,
        public_key: &str,
    ) -> Result<PushKeyRow, DbError> {
        sqlx::query(
            "INSERT INTO push_keys (id, private_key, public_key, created_at) VALUES (1, $1, $2, $3) \
             ON CONFLICT (id) DO NOTHING",
        )
        .bind(private_key)
        .bind(public_key)
        .bind(now_ms())
        .execute(self.pool())
        .await?;
        Ok(
            sqlx::query_as("SELECT private_key, public_key FROM push_keys WHERE id = 1")
                .fetch_one(self.pool())
                .await?,
        )
    }

    /// Registers a device; an endpoint already known (the same browser subscribing again,
    /// perhaps for another account) is replaced, with what was waiting for it.
    pub async fn upsert_push_subscription(
        &self,
        sub: &NewPushSubscription<'_>,
    ) -> Result<PushSubscriptionRow, DbError> {
        let mut tx = self.begin_write().await?;
        sqlx::query("DELETE FROM push_subscriptions WHERE endpoint = $1")
            .bind(sub.endpoint)
            .execute(&mut *tx)
            .await?;
        let row = sqlx::query_as(assembled(format!(
            "INSERT INTO push_subscriptions (account_id, endpoint, p256dh, auth, label, created_at) \
             VALUES ($1, $2, $3, $4, $5, $6) RETURNING {SUB_COLUMNS}"
        )))
        .bind(sub.account_id)
        .bind(sub.endpoint)
        .bind(sub.p256dh)
        .bind(sub.auth)
        .bind(sub.label)
        .bind(now_ms())
        .fetch_one(&mut *tx)
        .await?;
        tx.commit().await?;
        Ok(row)
    }

    pub async fn push_subscriptions_of(
        &self,
        account_id: i64,
    ) -> Result<Vec<PushSubscriptionRow>, DbError> {
        Ok(sqlx::query_as(assembled(format!(
            "SELECT {SUB_COLUMNS} FROM push_subscriptions WHERE account_id = $1 ORDER BY id"
        )))
        .bind(account_id)
        .fetch_all(self.pool())
        .await?)
    }

    pub async fn push_subscription(&self, id: i64) -> Result<Option<PushSubscriptionRow>, DbError> {
        Ok(sqlx::query_as(assembled(format!(
            "SELECT {SUB_COLUMNS} FROM push_subscriptions WHERE id = $1"
        )))
        .bind(id)
        .fetch_optional(self.pool())
        .await?)
    }

    /// Deletes a device of `account_id` (with its waiting pushes); false when it is not theirs.
    pub async fn delete_push_subscription(
        &self,
        account_id: i64,
        id: i64,
    ) -> Result<bool, DbError> {
        let mut tx = self.begin_write().await?;
        sqlx::query(
            "DELETE FROM push_outbox WHERE subscription_id IN \
             (SELECT id FROM push_subscriptions WHERE id = $1 AND account_id = $2)",
        )
        .bind(id)
        .bind(account_id)
        .execute(&mut *tx)
        .await?;
        let done = sqlx::query("DELETE FROM push_subscriptions WHERE id = $1 AND account_id = $2")
            .bind(id)
            .bind(account_id)
            .execute(&mut *tx)
            .await?;
        tx.commit().await?;
        Ok(done.rows_affected() == 1)
    }

    /// Deletes a device whose push service said it is gone (404/410), with its waiting pushes.
    pub async fn forget_push_subscription(&self, id: i64) -> Result<(), DbError> {
        let mut tx = self.begin_write().await?;
        sqlx::query("DELETE FROM push_outbox WHERE subscription_id = $1")
            .bind(id)
            .execute(&mut *tx)
            .await?;
        sqlx::query("DELETE FROM push_subscriptions WHERE id = $1")
            .bind(id)
            .execute(&mut *tx)
            .await?;
        tx.commit().await?;
        Ok(())
    }

    /// Queues one push for each device of the local account of actor `actor_id`; returns how
    /// many (none for a remote actor or an agent without devices).
    pub async fn enqueue_push_for_actor(
        &self,
        actor_id: i64,
        title: &str,
        link: &str,
        due_at: i64,
    ) -> Result<u64, DbError> {
        let now = now_ms();
        let done = sqlx::query(
            "INSERT INTO push_outbox (subscription_id, title, link, state, attempts, \
             next_attempt_at, created_at, updated_at) \
             SELECT s.id, $2, $3, 'queued', 0, $5, $4, $4 FROM push_subscriptions s \
             JOIN accounts a ON a.id = s.account_id WHERE a.actor_id = $1",
        )
        .bind(actor_id)
        .bind(title)
        .bind(link)
        .bind(now)
        .bind(due_at)
        .execute(self.pool())
        .await?;
        Ok(done.rows_affected())
    }

    /// Claims pushes due at `now` (the domain's clock: quiet hours end at its 08:00).
    pub async fn claim_push_at(
        &self,
        now: i64,
        limit: i64,
        lease_ms: i64,
    ) -> Result<Vec<PushRow>, DbError> {
        super::claim_due_at(
            self,
            now,
            "push_outbox",
            "queued",
            PUSH_COLUMNS,
            limit,
            lease_ms,
        )
        .await
    }

    pub async fn mark_push_sent(&self, id: i64, subscription_id: i64) -> Result<(), DbError> {
        let now = now_ms();
        sqlx::query(
            "UPDATE push_outbox SET state = 'sent', attempts = attempts + 1, last_error = NULL, \
             locked_until = NULL, sent_at = $1, updated_at = $1 WHERE id = $2",
        )
        .bind(now)
        .bind(id)
        .execute(self.pool())
        .await?;
        sqlx::query("UPDATE push_subscriptions SET last_push_at = $1 WHERE id = $2")
            .bind(now)
            .bind(subscription_id)
            .execute(self.pool())
            .await?;
        Ok(())
    }

    /// A failed attempt: tried again at `next_attempt_at`, or failed for good when `None`.
    pub async fn mark_push_attempt_failed(
        &self,
        id: i64,
        error: &str,
        next_attempt_at: Option<i64>,
    ) -> Result<(), DbError> {
        let now = now_ms();
        sqlx::query(
            "UPDATE push_outbox SET state = $1, attempts = attempts + 1, last_error = $2, \
             next_attempt_at = $3, locked_until = NULL, updated_at = $4 \
             WHERE id = $5 AND state = 'queued'",
        )
        .bind(if next_attempt_at.is_some() {
            "queued"
        } else {
            "failed"
        })
        .bind(error)
        .bind(next_attempt_at.unwrap_or(now))
        .bind(now)
        .bind(id)
        .execute(self.pool())
        .await?;
        Ok(())
    }

    /// Pushes of an account's devices, newest first (tests, the admin).
    pub async fn pushes_of_subscription(
        &self,
        subscription_id: i64,
    ) -> Result<Vec<PushRow>, DbError> {
        Ok(sqlx::query_as(assembled(format!(
            "SELECT {PUSH_COLUMNS} FROM push_outbox WHERE subscription_id = $1 ORDER BY id DESC"
        )))
        .bind(subscription_id)
        .fetch_all(self.pool())
        .await?)
    }

    pub async fn next_push_due(&self) -> Result<Option<i64>, DbError> {
        let (at,): (Option<i64>,) =
            sqlx::query_as("SELECT MIN(next_attempt_at) FROM push_outbox WHERE state = 'queued'")
                .fetch_one(self.pool())
                .await?;
        Ok(at)
    }
}
