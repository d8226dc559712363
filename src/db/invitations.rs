//! The `invitations` table: one-time links to choose a password.

use super::{DbError, Store, now_ms};

#[derive(Debug, Clone, sqlx::FromRow)]
pub struct InvitationRow {
    pub id: i64,
    pub account_id: i64,
    pub expires_at: i64,
    pub used_at: Option<i64>,
}

impl Store {
    pub async fn insert_invitation(
        &self,
        token_hash: &str,
        account_id: i64,
        by: &str,
        expires_at: i64,
    ) -> Result<(), DbError> {
        sqlx::query(
            "INSERT INTO invitations (token_hash, account_id, created_by, created_at, expires_at) \
             VALUES ($1, $2, $3, $4, $5)",
        )
        .bind(token_hash)
        .bind(account_id)
        .bind(by)
        .bind(now_ms())
        .bind(expires_at)
        .execute(self.pool())
        .await?;
        Ok(())
    }

    /// A usable invitation: not used, not expired.
    pub async fn live_invitation(
        &self,
        token_hash: &str,
    ) -> Result<Option<InvitationRow>, DbError> {
        Ok(sqlx::query_as(
            "SELECT id, account_id, expires_at, used_at FROM invitations \
             WHERE token_hash = $1 AND used_at IS NULL AND expires_at > $2",
        )
        .bind(token_hash)
        .bind(now_ms())
        .fetch_optional(self.pool())
        .await?)
    }

    /// Sets the password and spends the invitation in one transaction: a link works once.
    pub async fn accept_invitation(
        &self,
        id: i64,
        account_id: i64,
        password_hash: &str,
    ) -> Result<bool, DbError> {
        let now = now_ms();
        let mut tx = self.begin_write().await?;
        let spent =
            sqlx::query("UPDATE invitations SET used_at = $1 WHERE id = $2 AND used_at IS NULL")
                .bind(now)
                .bind(id)
                .execute(&mut *tx)
                .await?;
        if spent.rows_affected() != 1 {
            return Ok(false);
        }
        sqlx::query("UPDATE accounts SET password_hash = $1, updated_at = $2 WHERE id = $3")
            .bind(password_hash)
            .bind(now)
            .bind(account_id)
            .execute(&mut *tx)
            .await?;
        tx.commit().await?;
        Ok(true)
    }
}
