//! The `api_tokens` table: personal tokens for `/api/v1`, stored by hash.

use super::{DbError, Store, assembled, now_ms};

#[derive(Debug, Clone, sqlx::FromRow)]
pub struct TokenRow {
    pub id: i64,
    pub account_id: i64,
    pub name: String,
    pub prefix: String,
    pub created_at: i64,
    pub last_used_at: Option<i64>,
    pub revoked_at: Option<i64>,
}

const COLUMNS: &str = "id, account_id, name, prefix, created_at, last_used_at, revoked_at";

impl Store {
    pub async fn insert_token(
        &self,
        account_id: i64,
        name: &str,
        token_hash: &str,
        prefix: &str,
    ) -> Result<TokenRow, DbError> {
        Ok(sqlx::query_as(assembled(format!(
            "INSERT INTO api_tokens (account_id, name, token_hash, prefix, created_at) \
             VALUES ($1, $2, $3, $4, $5) RETURNING {COLUMNS}"
        )))
        .bind(account_id)
        .bind(name)
        .bind(token_hash)
        .bind(prefix)
        .bind(now_ms())
        .fetch_one(self.pool())
        .await?)
    }

    /// The unrevoked token with this hash; marks it used.
    pub async fn use_token(&self, token_hash: &str) -> Result<Option<TokenRow>, DbError> {
        let row: Option<TokenRow> = sqlx::query_as(assembled(format!(
            "SELECT {COLUMNS} FROM api_tokens WHERE token_hash = $1 AND revoked_at IS NULL"
        )))
        .bind(token_hash)
        .fetch_optional(self.pool())
        .await?;
        if let Some(t) = &row {
            sqlx::query("UPDATE api_tokens SET last_used_at = $1 WHERE id = $2")
                .bind(now_ms())
                .bind(t.id)
                .execute(self.pool())
                .await?;
        }
        Ok(row)
    }

    pub async fn list_tokens(&self, account_id: i64) -> Result<Vec<TokenRow>, DbError> {
        Ok(sqlx::query_as(assembled(format!(
            "SELECT {COLUMNS} FROM api_tokens WHERE account_id = $1 ORDER BY created_at DESC"
        )))
        .bind(account_id)
        .fetch_all(self.pool())
        .await?)
    }

    /// Revokes a token of this account; false when there is no such token.
    pub async fn revoke_token(&self, account_id: i64, id: i64) -> Result<bool, DbError> {
        let done = sqlx::query(
            "UPDATE api_tokens SET revoked_at = $1 \
             WHERE id = $2 AND account_id = $3 AND revoked_at IS NULL",
        )
        .bind(now_ms())
        .bind(id)
        .bind(account_id)
        .execute(self.pool())
        .await?;
        Ok(done.rows_affected() == 1)
    }
}
