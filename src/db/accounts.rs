//! The `accounts` table: how local agents log in, joined with their actor for display.

use super::error::unique_as;
use super::{DbError, NewActor, Store, assembled, now_ms};

/// A local account with the profile fields of its actor.
#[derive(Debug, Clone, sqlx::FromRow)]
pub struct AccountRow {
    pub id: i64,
    pub actor_id: i64,
    pub username: String,
    pub email: String,
    pub password_hash: Option<String>,
    pub role: String,
    pub disabled_at: Option<i64>,
    pub last_login_at: Option<i64>,
    pub created_at: i64,
    pub display_name: String,
    pub job_title: String,
    pub summary: String,
    pub ap_id: String,
}

/// A new local account; its actor is created in the same transaction.
#[derive(Debug, Clone)]
pub struct NewAccount {
    pub actor: NewActor,
    pub email: String,
    pub password_hash: Option<String>,
    pub role: String,
}

const SELECT: &str = "SELECT ac.id, ac.actor_id, ac.username, ac.email, ac.password_hash, ac.role, \
    ac.disabled_at, ac.last_login_at, ac.created_at, a.display_name, a.job_title, a.summary, a.ap_id \
    FROM accounts ac JOIN actors a ON a.id = ac.actor_id";

impl Store {
    /// Creates the actor and the account together: both or neither.
    pub async fn insert_account(&self, new: &NewAccount) -> Result<AccountRow, DbError> {
        let mut tx = self.begin_write().await?;
        let actor = self
            .insert_actor(&mut *tx, &new.actor)
            .await
            .map_err(|e| match e {
                DbError::Duplicate(_) => DbError::Duplicate("username"),
                other => other,
            })?;
        let now = now_ms();
        let (id,): (i64,) = sqlx::query_as(
            "INSERT INTO accounts (actor_id, username, email, password_hash, role, created_at, \
             updated_at) VALUES ($1, $2, $3, $4, $5, $6, $6) RETURNING id",
        )
        .bind(actor.id)
        .bind(&new.actor.username)
        .bind(&new.email)
        .bind(&new.password_hash)
        .bind(&new.role)
        .bind(now)
        .fetch_one(&mut *tx)
        .await
        .map_err(unique_as("username"))?;
        tx.commit().await?;
        self.account_by_id(id)
            .await?
            .ok_or(DbError::Open("account vanished after insert".into()))
    }

    pub async fn account_by_id(&self, id: i64) -> Result<Option<AccountRow>, DbError> {
        Ok(
            sqlx::query_as(assembled(format!("{SELECT} WHERE ac.id = $1")))
                .bind(id)
                .fetch_optional(self.pool())
                .await?,
        )
    }

    pub async fn account_by_username(&self, username: &str) -> Result<Option<AccountRow>, DbError> {
        Ok(
            sqlx::query_as(assembled(format!("{SELECT} WHERE ac.username = $1")))
                .bind(username)
                .fetch_optional(self.pool())
                .await?,
        )
    }

    pub async fn list_accounts(&self) -> Result<Vec<AccountRow>, DbError> {
        Ok(
            sqlx::query_as(assembled(format!("{SELECT} ORDER BY ac.username")))
                .fetch_all(self.pool())
                .await?,
        )
    }

    pub async fn count_admins(&self) -> Result<i64, DbError> {
        let (n,): (i64,) = sqlx::query_as(
            "SELECT COUNT(*) FROM accounts WHERE role = 'admin' AND disabled_at IS NULL",
        )
        .fetch_one(self.pool())
        .await?;
        Ok(n)
    }

    /// Sets or clears `disabled_at`; a disabled account also loses its sessions.
    pub async fn set_account_disabled(&self, id: i64, disabled: bool) -> Result<(), DbError> {
        let mut tx = self.begin_write().await?;
        sqlx::query("UPDATE accounts SET disabled_at = $1, updated_at = $2 WHERE id = $3")
            .bind(disabled.then(now_ms))
            .bind(now_ms())
            .bind(id)
            .execute(&mut *tx)
            .await?;
        if disabled {
            sqlx::query("DELETE FROM sessions WHERE account_id = $1")
                .bind(id)
                .execute(&mut *tx)
                .await?;
        }
        tx.commit().await?;
        Ok(())
    }

    /// Replaces the password hash and ends every session of the account.
    pub async fn set_password_hash(&self, id: i64, hash: &str) -> Result<(), DbError> {
        let mut tx = self.begin_write().await?;
        sqlx::query("UPDATE accounts SET password_hash = $1, updated_at = $2 WHERE id = $3")
            .bind(hash)
            .bind(now_ms())
            .bind(id)
            .execute(&mut *tx)
            .await?;
        sqlx::query("DELETE FROM sessions WHERE account_id = $1")
            .bind(id)
            .execute(&mut *tx)
            .await?;
        tx.commit().await?;
        Ok(())
    }

    pub async fn set_role(&self, id: i64, role: &str) -> Result<(), DbError> {
        sqlx::query("UPDATE accounts SET role = $1, updated_at = $2 WHERE id = $3")
            .bind(role)
            .bind(now_ms())
            .bind(id)
            .execute(self.pool())
            .await?;
        Ok(())
    }

    pub async fn touch_login(&self, id: i64) -> Result<(), DbError> {
        sqlx::query("UPDATE accounts SET last_login_at = $1 WHERE id = $2")
            .bind(now_ms())
            .bind(id)
            .execute(self.pool())
            .await?;
        Ok(())
    }
}
