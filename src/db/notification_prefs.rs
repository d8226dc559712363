//! The tables of what agents want to hear outside the app: `notification_settings`,
//! `notification_kind_prefs`, `notification_mutes`, and the one-click `unsubscribe_tokens`.

use super::{DbError, Store, now_ms};

/// An agent's stored settings; `None` from the store means the defaults.
#[derive(Debug, Clone, sqlx::FromRow)]
pub struct NotificationSettingsRow {
    pub digest: String,
    pub quiet_start: i64,
    pub quiet_end: i64,
    pub quiet_weekends: i64,
    pub digest_sent_at: Option<i64>,
}

/// Everything at once, as the domain saves it.
pub struct NotificationPrefsWrite<'a> {
    pub digest: &'a str,
    pub quiet_start: i64,
    pub quiet_end: i64,
    pub quiet_weekends: bool,
    pub modes: &'a [(&'a str, &'a str)],
    pub muted: &'a [i64],
}

/// A spent or live unsubscribe link.
#[derive(Debug, Clone, sqlx::FromRow)]
pub struct UnsubscribeRow {
    pub id: i64,
    pub account_id: i64,
    pub target: String,
    pub used_at: Option<i64>,
}

impl Store {
    pub async fn notification_settings(
        &self,
        account_id: i64,
    ) -> Result<Option<NotificationSettingsRow>, DbError> {
        Ok(sqlx::query_as(
            "SELECT digest, quiet_start, quiet_end, quiet_weekends, digest_sent_at \
             FROM notification_settings WHERE account_id = $1",
        )
        .bind(account_id)
        .fetch_optional(self.pool())
        .await?)
    }

    pub async fn notification_modes(
        &self,
        account_id: i64,
    ) -> Result<Vec<(String, String)>, DbError> {
        Ok(sqlx::query_as(
            "SELECT kind, mode FROM notification_kind_prefs WHERE account_id = $1 ORDER BY kind",
        )
        .bind(account_id)
        .fetch_all(self.pool())
        .await?)
    }

    pub async fn notification_mutes(&self, account_id: i64) -> Result<Vec<i64>, DbError> {
        let rows: Vec<(i64,)> = sqlx::query_as(
            "SELECT community_id FROM notification_mutes WHERE account_id = $1 \
             ORDER BY community_id",
        )
        .bind(account_id)
        .fetch_all(self.pool())
        .await?;
        Ok(rows.into_iter().map(|(id,)| id).collect())
    }

    /// Replaces every preference of the account in one transaction.
    pub async fn save_notification_prefs(
        &self,
        account_id: i64,
        p: &NotificationPrefsWrite<'_>,
    ) -> Result<(), DbError> {
        let now = now_ms();
        let mut tx = self.begin_write().await?;
        sqlx::query(
            "INSERT INTO notification_settings (account_id, digest, quiet_start, quiet_end, \
             quiet_weekends, updated_at) VALUES ($1, $2, $3, $4, $5, $6) \
             ON CONFLICT (account_id) DO UPDATE SET digest = $2, quiet_start = $3, \
             quiet_end = $4, quiet_weekends = $5, updated_at = $6",
        )
        .bind(account_id)
        .bind(p.digest)
        .bind(p.quiet_start)
        .bind(p.quiet_end)
        .bind(i64::from(p.quiet_weekends))
        .bind(now)
        .execute(&mut *tx)
        .await?;
        sqlx::query("DELETE FROM notification_kind_prefs WHERE account_id = $1")
            .bind(account_id)
            .execute(&mut *tx)
            .await?;
        for (kind, mode) in p.modes {
            sqlx::query(
                "INSERT INTO notification_kind_prefs (account_id, kind, mode) VALUES ($1, $2, $3)",
            )
            .bind(account_id)
            .bind(*kind)
            .bind(*mode)
            .execute(&mut *tx)
            .await?;
        }
        sqlx::query("DELETE FROM notification_mutes WHERE account_id = $1")
            .bind(account_id)
            .execute(&mut *tx)
            .await?;
        for community in p.muted {
            sqlx::query(
                "INSERT INTO notification_mutes (account_id, community_id) VALUES ($1, $2)",
            )
            .bind(account_id)
            .bind(*community)
            .execute(&mut *tx)
            .await?;
        }
        tx.commit().await?;
        Ok(())
    }

    pub async fn insert_unsubscribe_token(
        &self,
        token_hash: &str,
        account_id: i64,
        target: &str,
    ) -> Result<(), DbError> {
        sqlx::query(
            "INSERT INTO unsubscribe_tokens (token_hash, account_id, target, created_at) \
             VALUES ($1, $2, $3, $4)",
        )
        .bind(token_hash)
        .bind(account_id)
        .bind(target)
        .bind(now_ms())
        .execute(self.pool())
        .await?;
        Ok(())
    }

    pub async fn unsubscribe_token(
        &self,
        token_hash: &str,
    ) -> Result<Option<UnsubscribeRow>, DbError> {
        Ok(sqlx::query_as(
            "SELECT id, account_id, target, used_at FROM unsubscribe_tokens WHERE token_hash = $1",
        )
        .bind(token_hash)
        .fetch_optional(self.pool())
        .await?)
    }

    /// Spends a link; false when it was spent meanwhile.
    pub async fn spend_unsubscribe_token(&self, id: i64) -> Result<bool, DbError> {
        let done = sqlx::query(
            "UPDATE unsubscribe_tokens SET used_at = $1 WHERE id = $2 AND used_at IS NULL",
        )
        .bind(now_ms())
        .bind(id)
        .execute(self.pool())
        .await?;
        Ok(done.rows_affected() == 1)
    }
}

impl Store {
    /// The enabled local account of an actor, if any: who a notification mail goes to.
    pub async fn enabled_account_of_actor(
        &self,
        actor_id: i64,
    ) -> Result<Option<super::AccountRow>, DbError> {
        Ok(sqlx::query_as(
            "SELECT ac.id, ac.actor_id, ac.username, ac.email, ac.password_hash, ac.role, \
             ac.disabled_at, ac.last_login_at, ac.created_at, a.display_name, a.job_title, \
             a.summary, a.ap_id FROM accounts ac JOIN actors a ON a.id = ac.actor_id \
             WHERE ac.actor_id = $1 AND ac.disabled_at IS NULL",
        )
        .bind(actor_id)
        .fetch_optional(self.pool())
        .await?)
    }
}
