//! The language each agent chose (`agent_languages`): read per request and per mail.

use super::{DbError, Store, now_ms};

impl Store {
    /// The language the agent chose, when she chose one.
    pub async fn agent_language(&self, account_id: i64) -> Result<Option<String>, DbError> {
        let row: Option<(String,)> =
            sqlx::query_as("SELECT language FROM agent_languages WHERE account_id = $1")
                .bind(account_id)
                .fetch_optional(self.pool())
                .await?;
        Ok(row.map(|r| r.0))
    }

    /// The language the local agent behind this actor chose (push notifications know the actor).
    pub async fn actor_language(&self, actor_id: i64) -> Result<Option<String>, DbError> {
        let row: Option<(String,)> = sqlx::query_as(
            "SELECT l.language FROM accounts a \
             JOIN agent_languages l ON l.account_id = a.id WHERE a.actor_id = $1",
        )
        .bind(actor_id)
        .fetch_optional(self.pool())
        .await?;
        Ok(row.map(|r| r.0))
    }

    /// The language chosen by the agent whose live session this token hash opens: one query
    /// per page, before any handler runs.
    pub async fn session_language(&self, token_hash: &str) -> Result<Option<String>, DbError> {
        let row: Option<(String,)> = sqlx::query_as(
            "SELECT l.language FROM sessions s \
             JOIN agent_languages l ON l.account_id = s.account_id \
             WHERE s.token_hash = $1 AND s.expires_at > $2",
        )
        .bind(token_hash)
        .bind(now_ms())
        .fetch_optional(self.pool())
        .await?;
        Ok(row.map(|r| r.0))
    }

    /// Records the agent's choice; `None` forgets it (the browser decides again).
    pub async fn set_agent_language(
        &self,
        account_id: i64,
        language: Option<&str>,
    ) -> Result<(), DbError> {
        sqlx::query("DELETE FROM agent_languages WHERE account_id = $1")
            .bind(account_id)
            .execute(self.pool())
            .await?;
        if let Some(language) = language {
            sqlx::query("INSERT INTO agent_languages (account_id, language) VALUES ($1, $2)")
                .bind(account_id)
                .bind(language)
                .execute(self.pool())
                .await?;
        }
        Ok(())
    }
}
