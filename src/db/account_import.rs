//! What a bulk import of accounts reads in one go and writes one line at a time, each line in
//! its own transaction (actor, account, directory entry, memberships, invitation).

use super::error::unique_as;
use super::{DbError, DirectoryValues, NewActor, Store, now_ms};

/// An existing account as the import compares it with a line.
#[derive(Debug, Clone, sqlx::FromRow)]
pub struct ImportedAccountRow {
    pub account_id: i64,
    pub actor_id: i64,
    pub username: String,
    pub email: String,
    pub display_name: String,
    pub job_title: String,
    pub service: Option<String>,
}

/// A local community and the local agents it already counts (any state but banned is kept).
#[derive(Debug, Clone, sqlx::FromRow)]
pub struct ImportMembershipRow {
    pub slug: String,
    pub actor_id: i64,
}

/// What one line writes for a new agent.
pub struct ImportNew<'a> {
    pub actor: &'a NewActor,
    pub email: &'a str,
    pub entry: &'a DirectoryValues,
    /// (community id, Follow id minted for the membership)
    pub memberships: &'a [(i64, String)],
    /// (token hash, created by, expires at)
    pub invitation: Option<(&'a str, &'a str, i64)>,
}

impl Store {
    /// Every local account with its directory service, for comparing a whole file at once.
    pub async fn import_accounts(&self) -> Result<Vec<ImportedAccountRow>, DbError> {
        Ok(sqlx::query_as(
            "SELECT ac.id AS account_id, ac.actor_id, ac.username, ac.email, a.display_name, \
             a.job_title, d.service FROM accounts ac JOIN actors a ON a.id = ac.actor_id \
             LEFT JOIN directory_entries d ON d.actor_id = ac.actor_id",
        )
        .fetch_all(self.pool())
        .await?)
    }

    /// Contact emails written in local directory entries, by actor.
    pub async fn import_contact_emails(&self) -> Result<Vec<(i64, String)>, DbError> {
        Ok(sqlx::query_as(
            "SELECT d.actor_id, d.email FROM directory_entries d JOIN actors a \
             ON a.id = d.actor_id WHERE a.is_local = 1 AND d.email <> ''",
        )
        .fetch_all(self.pool())
        .await?)
    }

    /// Every name a local actor holds (agents, groups, the instance actor).
    pub async fn local_usernames(&self) -> Result<Vec<String>, DbError> {
        let rows: Vec<(String,)> = sqlx::query_as("SELECT username FROM actors WHERE is_local = 1")
            .fetch_all(self.pool())
            .await?;
        Ok(rows.into_iter().map(|(u,)| u).collect())
    }

    /// Local communities' slugs and ids.
    pub async fn local_community_slugs(&self) -> Result<Vec<(String, i64)>, DbError> {
        Ok(
            sqlx::query_as("SELECT slug, id FROM communities WHERE is_local = 1")
                .fetch_all(self.pool())
                .await?,
        )
    }

    /// Memberships of local communities, whatever their state.
    pub async fn local_memberships(&self) -> Result<Vec<ImportMembershipRow>, DbError> {
        Ok(sqlx::query_as(
            "SELECT c.slug, m.actor_id FROM memberships m JOIN communities c \
             ON c.id = m.community_id WHERE c.is_local = 1",
        )
        .fetch_all(self.pool())
        .await?)
    }

    /// One new agent, all or nothing. Returns the new actor's id.
    pub async fn import_create(&self, new: &ImportNew<'_>) -> Result<(i64, i64), DbError> {
        let mut tx = self.begin_write().await?;
        let actor = self.insert_actor(&mut *tx, new.actor).await?;
        let now = now_ms();
        let (account_id,): (i64,) = sqlx::query_as(
            "INSERT INTO accounts (actor_id, username, email, password_hash, role, created_at, \
             updated_at) VALUES ($1, $2, $3, NULL, 'agent', $4, $4) RETURNING id",
        )
        .bind(actor.id)
        .bind(&new.actor.username)
        .bind(new.email)
        .bind(now)
        .fetch_one(&mut *tx)
        .await
        .map_err(unique_as("username"))?;
        insert_entry(&mut tx, actor.id, new.entry, now).await?;
        add_memberships(&mut tx, actor.id, new.memberships, now).await?;
        if let Some((hash, by, expires_at)) = new.invitation {
            sqlx::query(
                "INSERT INTO invitations (token_hash, account_id, created_by, created_at, \
                 expires_at) VALUES ($1, $2, $3, $4, $5)",
            )
            .bind(hash)
            .bind(account_id)
            .bind(by)
            .bind(now)
            .bind(expires_at)
            .execute(&mut *tx)
            .await?;
        }
        tx.commit().await?;
        Ok((account_id, actor.id))
    }

    /// An existing agent's name, métier, service and new memberships, all or nothing.
    pub async fn import_update(
        &self,
        actor_id: i64,
        display_name: &str,
        job_title: &str,
        entry: &DirectoryValues,
        memberships: &[(i64, String)],
    ) -> Result<(), DbError> {
        let now = now_ms();
        let mut tx = self.begin_write().await?;
        sqlx::query(
            "UPDATE actors SET display_name = $1, job_title = $2, updated_at = $3 WHERE id = $4",
        )
        .bind(display_name)
        .bind(job_title)
        .bind(now)
        .bind(actor_id)
        .execute(&mut *tx)
        .await?;
        // An entry the agent already filled keeps their choices: only the service changes.
        let updated = sqlx::query(
            "UPDATE directory_entries SET service = $1, updated_at = $2 WHERE actor_id = $3",
        )
        .bind(&entry.service)
        .bind(now)
        .bind(actor_id)
        .execute(&mut *tx)
        .await?;
        if updated.rows_affected() == 0 {
            insert_entry(&mut tx, actor_id, entry, now).await?;
        }
        add_memberships(&mut tx, actor_id, memberships, now).await?;
        tx.commit().await?;
        Ok(())
    }
}

async fn insert_entry(
    tx: &mut sqlx::Transaction<'_, sqlx::Any>,
    actor_id: i64,
    v: &DirectoryValues,
    now: i64,
) -> Result<(), DbError> {
    sqlx::query(
        "INSERT INTO directory_entries (actor_id, visibility, branch, service, phone, \
         phone_visibility, email, email_visibility, skills, mobility, mobility_visibility, \
         search_text, updated_at) VALUES ($1, $2, $3, $4, '', $5, '', $6, '', 0, $7, $8, $9)",
    )
    .bind(actor_id)
    .bind(&v.visibility)
    .bind(&v.branch)
    .bind(&v.service)
    .bind(&v.phone_visibility)
    .bind(&v.email_visibility)
    .bind(&v.mobility_visibility)
    .bind(&v.search_text)
    .bind(now)
    .execute(&mut **tx)
    .await?;
    Ok(())
}

async fn add_memberships(
    tx: &mut sqlx::Transaction<'_, sqlx::Any>,
    actor_id: i64,
    memberships: &[(i64, String)],
    now: i64,
) -> Result<(), DbError> {
    for (community_id, follow_id) in memberships {
        // An agent already known to the community (pending, invited, banned) keeps their
        // state: the import adds, it never overrides an animateur's decision.
        sqlx::query(
            "INSERT INTO memberships (community_id, actor_id, role, state, follow_ap_id, answer, \
             created_at, updated_at) VALUES ($1, $2, 'member', 'accepted', $3, '', $4, $4) \
             ON CONFLICT (community_id, actor_id) DO NOTHING",
        )
        .bind(community_id)
        .bind(actor_id)
        .bind(follow_id)
        .bind(now)
        .execute(&mut **tx)
        .await?;
    }
    Ok(())
}
