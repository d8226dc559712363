//! The `directory_entries` table: local agents' entries (with their visibility choices) and
//! the cache of remote ones (only what their origin shows the circle).

use super::{DbError, Store, assembled, now_ms};

/// An entry with the actor it describes.
#[derive(Debug, Clone, sqlx::FromRow)]
pub struct DirectoryRow {
    pub actor_id: i64,
    pub ap_id: String,
    pub username: String,
    pub authority: String,
    pub is_local: i64,
    pub display_name: String,
    pub job_title: String,
    pub institution: String,
    pub visibility: String,
    pub branch: String,
    pub service: String,
    pub phone: String,
    pub phone_visibility: String,
    pub email: String,
    pub email_visibility: String,
    /// One skill per line.
    pub skills: String,
    pub mobility: i64,
    pub mobility_visibility: String,
    pub updated_at: i64,
    /// 1 when the agent offers to welcome newcomers of their métier (a peer mentor).
    pub welcomes_newcomers: i64,
}

/// What is stored for an entry, already validated.
#[derive(Debug, Clone, Default)]
pub struct DirectoryValues {
    pub visibility: String,
    pub branch: String,
    pub service: String,
    pub phone: String,
    pub phone_visibility: String,
    pub email: String,
    pub email_visibility: String,
    pub skills: String,
    pub mobility: bool,
    pub mobility_visibility: String,
    /// The agent offers to welcome newcomers of their métier from other institutions.
    pub welcomes_newcomers: bool,
    /// Normalised name, métier, institution, service and skills, for the search.
    pub search_text: String,
}

pub(super) const COLUMNS: &str = "d.actor_id, a.ap_id, a.username, a.authority, a.is_local, \
    a.display_name, a.job_title, a.institution, d.visibility, d.branch, d.service, d.phone, \
    d.phone_visibility, d.email, d.email_visibility, d.skills, d.mobility, \
    d.mobility_visibility, d.updated_at, d.welcomes_newcomers";

/// Entries that may be shown to this node's agents: not hidden, and not of a disabled
/// local account.
pub(super) const SHOWN: &str = "d.visibility <> 'hidden' AND NOT EXISTS (SELECT 1 FROM accounts ac \
    WHERE ac.actor_id = d.actor_id AND ac.disabled_at IS NOT NULL)";

impl Store {
    pub async fn upsert_directory_entry(
        &self,
        actor_id: i64,
        v: &DirectoryValues,
    ) -> Result<(), DbError> {
        sqlx::query(
            "INSERT INTO directory_entries (actor_id, visibility, branch, service, phone, \
             phone_visibility, email, email_visibility, skills, mobility, mobility_visibility, \
             search_text, updated_at, welcomes_newcomers) VALUES ($1, $2, $3, $4, $5, $6, $7, \
             $8, $9, $10, $11, $12, $13, $14) ON CONFLICT (actor_id) DO UPDATE SET \
             visibility = $2, branch = $3, service = $4, phone = $5, phone_visibility = $6, \
             email = $7, email_visibility = $8, skills = $9, mobility = $10, \
             mobility_visibility = $11, search_text = $12, updated_at = $13, \
             welcomes_newcomers = $14",
        )
        .bind(actor_id)
        .bind(&v.visibility)
        .bind(&v.branch)
        .bind(&v.service)
        .bind(&v.phone)
        .bind(&v.phone_visibility)
        .bind(&v.email)
        .bind(&v.email_visibility)
        .bind(&v.skills)
        .bind(i64::from(v.mobility))
        .bind(&v.mobility_visibility)
        .bind(&v.search_text)
        .bind(now_ms())
        .bind(i64::from(v.welcomes_newcomers))
        .execute(self.pool())
        .await?;
        Ok(())
    }

    pub async fn delete_directory_entry(&self, actor_id: i64) -> Result<(), DbError> {
        sqlx::query("DELETE FROM directory_entries WHERE actor_id = $1")
            .bind(actor_id)
            .execute(self.pool())
            .await?;
        Ok(())
    }

    /// An entry whatever its visibility (the owner's form, the domain's checks).
    pub async fn directory_entry(&self, actor_id: i64) -> Result<Option<DirectoryRow>, DbError> {
        let sql = format!(
            "SELECT {COLUMNS} FROM directory_entries d JOIN actors a ON a.id = d.actor_id \
             WHERE d.actor_id = $1"
        );
        Ok(sqlx::query_as(assembled(sql))
            .bind(actor_id)
            .fetch_optional(self.pool())
            .await?)
    }

    /// Every entry's searched parts and current search text, a batch after `after` (actor
    /// id), for the startup pass that stems them again when the stemmer changed.
    pub async fn directory_search_sources(
        &self,
        after: i64,
        limit: i64,
    ) -> Result<Vec<DirectorySearchSource>, DbError> {
        Ok(sqlx::query_as(
            "SELECT d.actor_id, a.display_name, a.username, a.job_title, a.institution, \
             d.service, d.skills, d.search_text FROM directory_entries d \
             JOIN actors a ON a.id = d.actor_id WHERE d.actor_id > $1 \
             ORDER BY d.actor_id LIMIT $2",
        )
        .bind(after)
        .bind(limit)
        .fetch_all(self.pool())
        .await?)
    }

    pub async fn set_directory_search_text(
        &self,
        actor_id: i64,
        text: &str,
    ) -> Result<(), DbError> {
        sqlx::query("UPDATE directory_entries SET search_text = $1 WHERE actor_id = $2")
            .bind(text)
            .bind(actor_id)
            .execute(self.pool())
            .await?;
        Ok(())
    }

    /// Shown entries whose search text has a word starting with each of `words`
    /// (normalised: letters and digits only, so no LIKE wildcard), by name.
    pub async fn search_directory(
        &self,
        words: &[String],
        limit: i64,
    ) -> Result<Vec<DirectoryRow>, DbError> {
        let words: Vec<&String> = words
            .iter()
            .filter(|w| !w.is_empty() && w.chars().all(char::is_alphanumeric))
            .collect();
        let mut sql = format!(
            "SELECT {COLUMNS} FROM directory_entries d JOIN actors a ON a.id = d.actor_id \
             WHERE {SHOWN}"
        );
        for i in 0..words.len() {
            sql.push_str(&format!(" AND d.search_text LIKE ${}", i + 2));
        }
        sql.push_str(" ORDER BY a.display_name, a.username LIMIT $1");
        let mut q = sqlx::query_as(assembled(sql)).bind(limit);
        for w in words {
            q = q.bind(format!("% {w}%"));
        }
        Ok(q.fetch_all(self.pool()).await?)
    }

    /// Local entries shown to the circle: what a newly approved peer is sent.
    pub async fn local_circle_entries(&self) -> Result<Vec<DirectoryRow>, DbError> {
        let sql = format!(
            "SELECT {COLUMNS} FROM directory_entries d JOIN actors a ON a.id = d.actor_id \
             WHERE {SHOWN} AND a.is_local = 1 AND d.visibility = 'circle'"
        );
        Ok(sqlx::query_as(assembled(sql))
            .fetch_all(self.pool())
            .await?)
    }

    /// True when `actor_id` is a local agent whose account is disabled.
    pub async fn actor_account_disabled(&self, actor_id: i64) -> Result<bool, DbError> {
        let row: Option<(i64,)> = sqlx::query_as(
            "SELECT id FROM accounts WHERE actor_id = $1 AND disabled_at IS NOT NULL",
        )
        .bind(actor_id)
        .fetch_optional(self.pool())
        .await?;
        Ok(row.is_some())
    }
}

/// What the directory search text is made of, with the text as stored.
#[derive(Debug, Clone, sqlx::FromRow)]
pub struct DirectorySearchSource {
    pub actor_id: i64,
    pub display_name: String,
    pub username: String,
    pub job_title: String,
    pub institution: String,
    pub service: String,
    pub skills: String,
    pub search_text: String,
}
