//! `worker_instances`: the processes that deliver from this database, each with a heartbeat,
//! so that the claims of a process that is gone are taken over at once rather than when
//! their lease ends.

use super::{DbError, Engine, Store, now_ms};

/// A process whose heartbeat is older than this is gone: its claims may be taken over.
/// The heartbeat beats every third of it.
pub const INSTANCE_STALE_MS: i64 = 10_000;

impl Store {
    /// Registers this process as a delivering instance. On SQLite one process serves the
    /// file (the documented deployment), so every other instance is a previous run of this
    /// node that did not stop cleanly: forgotten, and its claims released at once. On
    /// PostgreSQL other processes may be alive: their claims are taken over when their
    /// heartbeat stops (see `claim_deliveries`). Returns how many claims were released.
    pub async fn register_instance(&self) -> Result<u64, DbError> {
        let now = now_ms();
        let mut tx = self.begin_write().await?;
        let released = if self.engine() == Engine::Sqlite {
            sqlx::query("DELETE FROM worker_instances WHERE id <> $1")
                .bind(self.instance())
                .execute(&mut *tx)
                .await?;
            sqlx::query(
                "UPDATE deliveries SET locked_until = NULL, claimed_by = NULL \
                 WHERE state = 'pending' AND locked_until IS NOT NULL",
            )
            .execute(&mut *tx)
            .await?
            .rows_affected()
        } else {
            0
        };
        sqlx::query(
            "INSERT INTO worker_instances (id, started_at, heartbeat_at) VALUES ($1, $2, $2) \
             ON CONFLICT (id) DO UPDATE SET heartbeat_at = $2",
        )
        .bind(self.instance())
        .bind(now)
        .execute(&mut *tx)
        .await?;
        tx.commit().await?;
        Ok(released)
    }

    /// Says this process is alive; also forgets instances gone for long (an hour), whose
    /// claims have long been taken over.
    pub async fn heartbeat_instance(&self) -> Result<(), DbError> {
        let now = now_ms();
        sqlx::query(
            "INSERT INTO worker_instances (id, started_at, heartbeat_at) VALUES ($1, $2, $2) \
             ON CONFLICT (id) DO UPDATE SET heartbeat_at = $2",
        )
        .bind(self.instance())
        .bind(now)
        .execute(self.pool())
        .await?;
        sqlx::query("DELETE FROM worker_instances WHERE heartbeat_at < $1")
            .bind(now - 3_600_000)
            .execute(self.pool())
            .await?;
        Ok(())
    }

    /// A clean stop: this process's claims are released and its row removed, so that
    /// another process (or the restarted node) sends them at once.
    pub async fn retire_instance(&self) -> Result<(), DbError> {
        let mut tx = self.begin_write().await?;
        sqlx::query(
            "UPDATE deliveries SET locked_until = NULL, claimed_by = NULL \
             WHERE claimed_by = $1 AND state = 'pending'",
        )
        .bind(self.instance())
        .execute(&mut *tx)
        .await?;
        sqlx::query("DELETE FROM worker_instances WHERE id = $1")
            .bind(self.instance())
            .execute(&mut *tx)
            .await?;
        tx.commit().await?;
        Ok(())
    }

    /// The instances alive now (heartbeat fresh), for the admin and tests.
    pub async fn live_instances(&self) -> Result<Vec<String>, DbError> {
        let rows: Vec<(String,)> =
            sqlx::query_as("SELECT id FROM worker_instances WHERE heartbeat_at >= $1 ORDER BY id")
                .bind(now_ms() - INSTANCE_STALE_MS)
                .fetch_all(self.pool())
                .await?;
        Ok(rows.into_iter().map(|(id,)| id).collect())
    }
}
