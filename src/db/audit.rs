//! The `federation_audit` table: every federation decision, by us or by the other side.

use super::{DbError, Store, now_ms};

#[derive(Debug, Clone, sqlx::FromRow, serde::Serialize, utoipa::ToSchema)]
pub struct AuditRow {
    pub id: i64,
    pub at: i64,
    pub actor: String,
    pub action: String,
    pub authority: String,
    pub detail: String,
}

impl Store {
    pub async fn insert_audit(
        &self,
        actor: &str,
        action: &str,
        authority: &str,
        detail: &str,
    ) -> Result<(), DbError> {
        sqlx::query(
            "INSERT INTO federation_audit (at, actor, action, authority, detail) \
             VALUES ($1, $2, $3, $4, $5)",
        )
        .bind(now_ms())
        .bind(actor)
        .bind(action)
        .bind(authority)
        .bind(detail)
        .execute(self.pool())
        .await?;
        Ok(())
    }

    /// The newest `limit` entries, newest first.
    pub async fn list_audit(&self, limit: i64) -> Result<Vec<AuditRow>, DbError> {
        Ok(sqlx::query_as(
            "SELECT id, at, actor, action, authority, detail FROM federation_audit \
             ORDER BY id DESC LIMIT $1",
        )
        .bind(limit)
        .fetch_all(self.pool())
        .await?)
    }
}
