//! The `actors` table: our own persons, groups and instance actor, and cached remote ones.

use super::error::unique_as;
use super::{DbError, Store, assembled, now_ms};

/// An actor as stored.
#[derive(Debug, Clone, sqlx::FromRow)]
pub struct ActorRow {
    pub id: i64,
    pub ap_id: String,
    pub kind: String,
    pub username: String,
    pub authority: String,
    pub is_local: i64,
    pub display_name: String,
    pub summary: String,
    pub job_title: String,
    pub institution: String,
    pub inbox_url: String,
    pub shared_inbox_url: Option<String>,
    pub outbox_url: Option<String>,
    pub followers_url: Option<String>,
    pub following_url: Option<String>,
    pub public_key_id: String,
    pub public_key_pem: String,
    pub private_key_pem: Option<String>,
    pub fetched_at: Option<i64>,
    pub created_at: i64,
    pub updated_at: i64,
}

/// What is needed to insert or refresh an actor.
#[derive(Debug, Clone)]
pub struct NewActor {
    pub ap_id: String,
    pub kind: String,
    pub username: String,
    pub authority: String,
    pub is_local: bool,
    pub display_name: String,
    pub summary: String,
    pub job_title: String,
    pub institution: String,
    pub inbox_url: String,
    pub shared_inbox_url: Option<String>,
    pub outbox_url: Option<String>,
    pub followers_url: Option<String>,
    pub following_url: Option<String>,
    pub public_key_id: String,
    pub public_key_pem: String,
    pub private_key_pem: Option<String>,
}

const COLUMNS: &str = "id, ap_id, kind, username, authority, is_local, display_name, summary, \
    job_title, institution, inbox_url, shared_inbox_url, outbox_url, followers_url, \
    following_url, public_key_id, public_key_pem, private_key_pem, fetched_at, created_at, \
    updated_at";

/// [`COLUMNS`] of an actor aliased `a` in a join.
pub(super) const COLUMNS_OF_A: &str = "a.id, a.ap_id, a.kind, a.username, a.authority, \
    a.is_local, a.display_name, a.summary, a.job_title, a.institution, a.inbox_url, \
    a.shared_inbox_url, a.outbox_url, a.followers_url, a.following_url, a.public_key_id, \
    a.public_key_pem, a.private_key_pem, a.fetched_at, a.created_at, a.updated_at";

impl Store {
    /// Inserts a new actor; a duplicate `ap_id` or (authority, username, kind) is an error.
    pub async fn insert_actor<'c, E>(&self, exec: E, a: &NewActor) -> Result<ActorRow, DbError>
    where
        E: sqlx::Executor<'c, Database = sqlx::Any>,
    {
        let now = now_ms();
        let sql = format!(
            "INSERT INTO actors (ap_id, kind, username, authority, is_local, display_name, \
             summary, job_title, institution, inbox_url, shared_inbox_url, outbox_url, \
             followers_url, following_url, public_key_id, public_key_pem, private_key_pem, \
             fetched_at, created_at, updated_at) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, \
             $10, $11, $12, $13, $14, $15, $16, $17, $18, $19, $19) RETURNING {COLUMNS}"
        );
        sqlx::query_as(assembled(sql))
            .bind(&a.ap_id)
            .bind(&a.kind)
            .bind(&a.username)
            .bind(&a.authority)
            .bind(i64::from(a.is_local))
            .bind(&a.display_name)
            .bind(&a.summary)
            .bind(&a.job_title)
            .bind(&a.institution)
            .bind(&a.inbox_url)
            .bind(&a.shared_inbox_url)
            .bind(&a.outbox_url)
            .bind(&a.followers_url)
            .bind(&a.following_url)
            .bind(&a.public_key_id)
            .bind(&a.public_key_pem)
            .bind(&a.private_key_pem)
            .bind((!a.is_local).then_some(now))
            .bind(now)
            .fetch_one(exec)
            .await
            .map_err(unique_as("actor"))
    }

    pub async fn actor_by_id(&self, id: i64) -> Result<Option<ActorRow>, DbError> {
        let sql = format!("SELECT {COLUMNS} FROM actors WHERE id = $1");
        Ok(sqlx::query_as(assembled(sql))
            .bind(id)
            .fetch_optional(self.pool())
            .await?)
    }

    pub async fn actor_by_ap_id(&self, ap_id: &str) -> Result<Option<ActorRow>, DbError> {
        let sql = format!("SELECT {COLUMNS} FROM actors WHERE ap_id = $1");
        Ok(sqlx::query_as(assembled(sql))
            .bind(ap_id)
            .fetch_optional(self.pool())
            .await?)
    }

    /// A local actor by its username and kind (`Person`, `Group`, `Application`). The person
    /// of a deleted account (no account row) is not found: it is no longer served.
    pub async fn local_actor(
        &self,
        username: &str,
        kind: &str,
    ) -> Result<Option<ActorRow>, DbError> {
        let sql = format!(
            "SELECT {COLUMNS} FROM actors WHERE is_local = 1 AND username = $1 AND kind = $2 \
             AND (kind <> 'Person' OR EXISTS (SELECT 1 FROM accounts WHERE actor_id = actors.id))"
        );
        Ok(sqlx::query_as(assembled(sql))
            .bind(username)
            .bind(kind)
            .fetch_optional(self.pool())
            .await?)
    }

    /// Caches a remote actor, or refreshes the cached copy (its key may have rotated).
    pub async fn upsert_remote_actor(&self, a: &NewActor) -> Result<ActorRow, DbError> {
        let now = now_ms();
        let sql = format!(
            "INSERT INTO actors (ap_id, kind, username, authority, is_local, display_name, \
             summary, job_title, institution, inbox_url, shared_inbox_url, outbox_url, \
             followers_url, following_url, public_key_id, public_key_pem, private_key_pem, \
             fetched_at, created_at, updated_at) VALUES ($1, $2, $3, $4, 0, $5, $6, $7, $8, $9, \
             $10, $11, $12, $13, $14, $15, NULL, $16, $16, $16) \
             ON CONFLICT (ap_id) DO UPDATE SET kind = $2, username = $3, display_name = $5, \
             summary = $6, job_title = $7, institution = $8, inbox_url = $9, \
             shared_inbox_url = $10, outbox_url = $11, followers_url = $12, following_url = $13, \
             public_key_id = $14, public_key_pem = $15, fetched_at = $16, updated_at = $16 \
             WHERE actors.is_local = 0 RETURNING {COLUMNS}"
        );
        sqlx::query_as(assembled(sql))
            .bind(&a.ap_id)
            .bind(&a.kind)
            .bind(&a.username)
            .bind(&a.authority)
            .bind(&a.display_name)
            .bind(&a.summary)
            .bind(&a.job_title)
            .bind(&a.institution)
            .bind(&a.inbox_url)
            .bind(&a.shared_inbox_url)
            .bind(&a.outbox_url)
            .bind(&a.followers_url)
            .bind(&a.following_url)
            .bind(&a.public_key_id)
            .bind(&a.public_key_pem)
            .bind(now)
            .fetch_one(self.pool())
            .await
            .map_err(unique_as("actor"))
    }

    /// Stores the key pair of a local actor that has none yet; false when another request
    /// stored one first (the caller re-reads the row). Portable: both engines run it as is.
    pub async fn set_pending_actor_keys(
        &self,
        id: i64,
        private_pem: &str,
        public_pem: &str,
    ) -> Result<bool, DbError> {
        let done = sqlx::query(
            "UPDATE actors SET private_key_pem = $1, public_key_pem = $2, updated_at = $3 \
             WHERE id = $4 AND is_local = 1 AND private_key_pem IS NULL",
        )
        .bind(private_pem)
        .bind(public_pem)
        .bind(now_ms())
        .bind(id)
        .execute(self.pool())
        .await?;
        Ok(done.rows_affected() == 1)
    }

    pub async fn actor_by_key_id(&self, key_id: &str) -> Result<Option<ActorRow>, DbError> {
        let sql = format!("SELECT {COLUMNS} FROM actors WHERE public_key_id = $1");
        Ok(sqlx::query_as(assembled(sql))
            .bind(key_id)
            .fetch_optional(self.pool())
            .await?)
    }

    /// Counts local persons (NodeInfo usage).
    pub async fn count_local_persons(&self) -> Result<i64, DbError> {
        let (n,): (i64,) =
            sqlx::query_as("SELECT COUNT(*) FROM actors WHERE is_local = 1 AND kind = 'Person'")
                .fetch_one(self.pool())
                .await?;
        Ok(n)
    }

    /// Changes what a local agent shows of themselves.
    pub async fn update_actor_profile(
        &self,
        id: i64,
        display_name: &str,
        job_title: &str,
        summary: &str,
    ) -> Result<(), DbError> {
        sqlx::query(
            "UPDATE actors SET display_name = $1, job_title = $2, summary = $3, updated_at = $4 \
             WHERE id = $5",
        )
        .bind(display_name)
        .bind(job_title)
        .bind(summary)
        .bind(now_ms())
        .bind(id)
        .execute(self.pool())
        .await?;
        Ok(())
    }
}
