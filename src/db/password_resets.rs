//! The `password_resets` table: one-hour, single-use links, kept as token hashes.

use super::{DbError, Store, now_ms};

impl Store {
    pub async fn insert_password_reset(
        &self,
        token_hash: &str,
        account_id: i64,
        expires_at: i64,
    ) -> Result<(), DbError> {
        sqlx::query(
            "INSERT INTO password_resets (token_hash, account_id, expires_at, created_at) \
             VALUES ($1, $2, $3, $4)",
        )
        .bind(token_hash)
        .bind(account_id)
        .bind(expires_at)
        .bind(now_ms())
        .execute(self.pool())
        .await?;
        Ok(())
    }

    /// The account a link is for, while it is unused and unexpired.
    pub async fn live_password_reset(&self, token_hash: &str) -> Result<Option<i64>, DbError> {
        let row: Option<(i64,)> = sqlx::query_as(
            "SELECT account_id FROM password_resets WHERE token_hash = $1 AND used_at IS NULL \
             AND expires_at > $2",
        )
        .bind(token_hash)
        .bind(now_ms())
        .fetch_optional(self.pool())
        .await?;
        Ok(row.map(|(id,)| id))
    }

    /// Spends the link and sets the password in one transaction; every other link of the
    /// account dies with it and its sessions end. False when the link was spent meanwhile.
    pub async fn use_password_reset(
        &self,
        token_hash: &str,
        account_id: i64,
        password_hash: &str,
    ) -> Result<bool, DbError> {
        let now = now_ms();
        let mut tx = self.begin_write().await?;
        let spent = sqlx::query(
            "UPDATE password_resets SET used_at = $1 WHERE token_hash = $2 AND account_id = $3 \
             AND used_at IS NULL AND expires_at > $1",
        )
        .bind(now)
        .bind(token_hash)
        .bind(account_id)
        .execute(&mut *tx)
        .await?;
        if spent.rows_affected() != 1 {
            return Ok(false);
        }
        sqlx::query(
            "UPDATE password_resets SET used_at = $1 WHERE account_id = $2 AND used_at IS NULL",
        )
        .bind(now)
        .bind(account_id)
        .execute(&mut *tx)
        .await?;
        sqlx::query("UPDATE accounts SET password_hash = $1, updated_at = $2 WHERE id = $3")
            .bind(password_hash)
            .bind(now)
            .bind(account_id)
            .execute(&mut *tx)
            .await?;
        sqlx::query("DELETE FROM sessions WHERE account_id = $1")
            .bind(account_id)
            .execute(&mut *tx)
            .await?;
        tx.commit().await?;
        Ok(true)
    }
}

impl Store {
    /// The enabled account with this email address (case does not matter), if one has it.
    pub async fn enabled_account_by_email(&self, email: &str) -> Result<Option<i64>, DbError> {
        let row: Option<(i64,)> = sqlx::query_as(
            "SELECT id FROM accounts WHERE LOWER(email) = LOWER($1) AND disabled_at IS NULL \
             ORDER BY id LIMIT 1",
        )
        .bind(email)
        .fetch_optional(self.pool())
        .await?;
        Ok(row.map(|(id,)| id))
    }
}
