//! The `oidc_*` tables: sign-ins in progress, provider subjects of accounts, ID tokens of sessions.

use super::{DbError, Store, now_ms};

/// A sign-in started here and not yet finished.
#[derive(Debug, Clone, sqlx::FromRow)]
pub struct OidcPendingRow {
    pub nonce: String,
    pub pkce_verifier: String,
    pub next: String,
    pub expires_at: i64,
}

impl Store {
    pub async fn insert_oidc_pending(
        &self,
        state_hash: &str,
        row: &OidcPendingRow,
    ) -> Result<(), DbError> {
        // Old rows of abandoned sign-ins go as new ones come: the table stays small.
        sqlx::query("DELETE FROM oidc_pending WHERE expires_at <= $1")
            .bind(now_ms())
            .execute(self.pool())
            .await?;
        sqlx::query(
            "INSERT INTO oidc_pending (state_hash, nonce, pkce_verifier, next, created_at, expires_at) \
             VALUES ($1, $2, $3, $4, $5, $6)",
        )
        .bind(state_hash)
        .bind(&row.nonce)
        .bind(&row.pkce_verifier)
        .bind(&row.next)
        .bind(now_ms())
        .bind(row.expires_at)
        .execute(self.pool())
        .await?;
        Ok(())
    }

    /// Removes and returns the sign-in of this state in one statement: two callbacks with
    /// the same state cannot both get it.
    pub async fn take_oidc_pending(
        &self,
        state_hash: &str,
    ) -> Result<Option<OidcPendingRow>, DbError> {
        Ok(sqlx::query_as(
            "DELETE FROM oidc_pending WHERE state_hash = $1 \
             RETURNING nonce, pkce_verifier, next, expires_at",
        )
        .bind(state_hash)
        .fetch_optional(self.pool())
        .await?)
    }

    pub async fn account_id_by_oidc_subject(
        &self,
        issuer: &str,
        subject: &str,
    ) -> Result<Option<i64>, DbError> {
        let row: Option<(i64,)> = sqlx::query_as(
            "SELECT account_id FROM oidc_identities WHERE issuer = $1 AND subject = $2",
        )
        .bind(issuer)
        .bind(subject)
        .fetch_optional(self.pool())
        .await?;
        Ok(row.map(|r| r.0))
    }

    pub async fn insert_oidc_identity(
        &self,
        issuer: &str,
        subject: &str,
        account_id: i64,
        siret: Option<&str>,
    ) -> Result<(), DbError> {
        sqlx::query(
            "INSERT INTO oidc_identities (issuer, subject, account_id, siret, created_at) \
             VALUES ($1, $2, $3, $4, $5)",
        )
        .bind(issuer)
        .bind(subject)
        .bind(account_id)
        .bind(siret)
        .bind(now_ms())
        .execute(self.pool())
        .await?;
        Ok(())
    }

    /// Local accounts with this address, compared without case (a provider may capitalise).
    pub async fn account_ids_by_email(&self, email: &str) -> Result<Vec<i64>, DbError> {
        let rows: Vec<(i64,)> =
            sqlx::query_as("SELECT id FROM accounts WHERE LOWER(email) = LOWER($1) ORDER BY id")
                .bind(email)
                .fetch_all(self.pool())
                .await?;
        Ok(rows.into_iter().map(|r| r.0).collect())
    }

    pub async fn insert_oidc_session(
        &self,
        session_hash: &str,
        id_token: &str,
        expires_at: i64,
    ) -> Result<(), DbError> {
        sqlx::query("DELETE FROM oidc_sessions WHERE expires_at <= $1")
            .bind(now_ms())
            .execute(self.pool())
            .await?;
        sqlx::query(
            "INSERT INTO oidc_sessions (session_hash, id_token, expires_at) VALUES ($1, $2, $3)",
        )
        .bind(session_hash)
        .bind(id_token)
        .bind(expires_at)
        .execute(self.pool())
        .await?;
        Ok(())
    }

    /// Removes and returns the ID token of a session, when it was opened by the provider.
    pub async fn take_oidc_session(&self, session_hash: &str) -> Result<Option<String>, DbError> {
        let row: Option<(String,)> =
            sqlx::query_as("DELETE FROM oidc_sessions WHERE session_hash = $1 RETURNING id_token")
                .bind(session_hash)
                .fetch_optional(self.pool())
                .await?;
        Ok(row.map(|r| r.0))
    }
}

impl Store {
    /// Whether the account is already linked to an identity at this issuer.
    pub async fn oidc_issuer_linked(&self, account_id: i64, issuer: &str) -> Result<bool, DbError> {
        let row: Option<(i64,)> = sqlx::query_as(
            "SELECT account_id FROM oidc_identities WHERE account_id = $1 AND issuer = $2 LIMIT 1",
        )
        .bind(account_id)
        .bind(issuer)
        .fetch_optional(self.pool())
        .await?;
        Ok(row.is_some())
    }
}
