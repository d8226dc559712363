//! The `resources` and `resource_revisions` tables: community documents and their history.

use super::{DbError, Store, assembled, now_ms};

#[derive(Debug, Clone, sqlx::FromRow)]
pub struct ResourceRow {
    pub id: i64,
    pub ap_id: String,
    pub community_id: i64,
    pub slug: String,
    pub kind: String,
    pub title: String,
    pub source: String,
    pub content_html: String,
    /// The number of the current revision.
    pub revision: i64,
    pub attributed_to: String,
    pub created_at: i64,
    pub updated_at: i64,
}

#[derive(Debug, Clone, sqlx::FromRow)]
pub struct RevisionRow {
    pub id: i64,
    pub resource_id: i64,
    pub number: i64,
    pub author: String,
    pub title: String,
    pub source: String,
    pub summary: String,
    pub created_at: i64,
    /// The author's display name and handle parts, when the author is known here.
    pub author_name: Option<String>,
    pub author_username: Option<String>,
    pub author_authority: Option<String>,
}

/// A resource to store with its first known revision.
#[derive(Debug, Clone)]
pub struct NewResource<'a> {
    pub ap_id: &'a str,
    pub community_id: i64,
    pub slug: &'a str,
    pub kind: &'a str,
    pub attributed_to: &'a str,
    pub created_at: i64,
}

/// A revision to store, its HTML already sanitised.
#[derive(Debug, Clone)]
pub struct NewRevision<'a> {
    pub number: i64,
    pub author: &'a str,
    pub title: &'a str,
    pub source: &'a str,
    pub content_html: &'a str,
    pub summary: &'a str,
    pub created_at: i64,
}

const COLUMNS: &str = "id, ap_id, community_id, slug, kind, title, source, content_html, \
    revision, attributed_to, created_at, updated_at";
const REV_COLUMNS: &str = "r.id, r.resource_id, r.number, r.author, r.title, r.source, \
    r.summary, r.created_at, a.display_name AS author_name, a.username AS author_username, \
    a.authority AS author_authority";
const REV_FROM: &str = "resource_revisions r LEFT JOIN actors a ON a.ap_id = r.author";

/// How a revision meets the current one.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Expect {
    /// The host: the current revision must be this one, or nothing is written.
    Current(i64),
    /// A member's cache: keep every revision, the highest number is current.
    Cache,
}

impl Store {
    /// Stores a new resource and its first revision in one transaction; false when the
    /// id or the slug is already taken in that community.
    pub async fn insert_resource(
        &self,
        r: &NewResource<'_>,
        rev: &NewRevision<'_>,
    ) -> Result<bool, DbError> {
        let mut tx = self.begin_write().await?;
        let taken: Option<(i64,)> = sqlx::query_as(
            "SELECT id FROM resources WHERE ap_id = $1 OR (community_id = $2 AND slug = $3)",
        )
        .bind(r.ap_id)
        .bind(r.community_id)
        .bind(r.slug)
        .fetch_optional(&mut *tx)
        .await?;
        if taken.is_some() {
            return Ok(false);
        }
        let (id,): (i64,) = sqlx::query_as(
            "INSERT INTO resources (ap_id, community_id, slug, kind, title, source, content_html, \
             revision, attributed_to, created_at, updated_at) \
             VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11) RETURNING id",
        )
        .bind(r.ap_id)
        .bind(r.community_id)
        .bind(r.slug)
        .bind(r.kind)
        .bind(rev.title)
        .bind(rev.source)
        .bind(rev.content_html)
        .bind(rev.number)
        .bind(r.attributed_to)
        .bind(r.created_at)
        .bind(rev.created_at)
        .fetch_one(&mut *tx)
        .await?;
        insert_revision(&mut tx, id, rev).await?;
        tx.commit().await?;
        Ok(true)
    }

    /// Records a revision. On the host (`Expect::Current`) it becomes current only if the
    /// current revision is still the expected one, atomically: false means a conflict and
    /// nothing was written. A cache keeps it and moves forward only.
    pub async fn save_revision(
        &self,
        resource_id: i64,
        expect: Expect,
        rev: &NewRevision<'_>,
    ) -> Result<bool, DbError> {
        let mut tx = self.begin_write().await?;
        let (guard, bound) = match expect {
            Expect::Current(base) => ("revision = $6", base),
            Expect::Cache => ("revision < $6", rev.number),
        };
        let sql = format!(
            "UPDATE resources SET title = $1, source = $2, content_html = $3, revision = $4, \
             updated_at = $5 WHERE id = $7 AND {guard}"
        );
        let done = sqlx::query(assembled(sql))
            .bind(rev.title)
            .bind(rev.source)
            .bind(rev.content_html)
            .bind(rev.number)
            .bind(rev.created_at)
            .bind(bound)
            .bind(resource_id)
            .execute(&mut *tx)
            .await?;
        if done.rows_affected() == 0 && matches!(expect, Expect::Current(_)) {
            return Ok(false);
        }
        insert_revision(&mut tx, resource_id, rev).await?;
        tx.commit().await?;
        Ok(true)
    }

    pub async fn resource_by_ap_id(&self, ap_id: &str) -> Result<Option<ResourceRow>, DbError> {
        let sql = format!("SELECT {COLUMNS} FROM resources WHERE ap_id = $1");
        Ok(sqlx::query_as(assembled(sql))
            .bind(ap_id)
            .fetch_optional(self.pool())
            .await?)
    }

    pub async fn resource_by_slug(
        &self,
        community_id: i64,
        slug: &str,
    ) -> Result<Option<ResourceRow>, DbError> {
        let sql = format!("SELECT {COLUMNS} FROM resources WHERE community_id = $1 AND slug = $2");
        Ok(sqlx::query_as(assembled(sql))
            .bind(community_id)
            .bind(slug)
            .fetch_optional(self.pool())
            .await?)
    }

    /// Resources of a community, the last changed first.
    pub async fn resources_of(&self, community_id: i64) -> Result<Vec<ResourceRow>, DbError> {
        let sql = format!(
            "SELECT {COLUMNS} FROM resources WHERE community_id = $1 \
             ORDER BY updated_at DESC LIMIT 500"
        );
        Ok(sqlx::query_as(assembled(sql))
            .bind(community_id)
            .fetch_all(self.pool())
            .await?)
    }

    /// The history of a resource, newest first.
    pub async fn revisions(&self, resource_id: i64) -> Result<Vec<RevisionRow>, DbError> {
        let sql = format!(
            "SELECT {REV_COLUMNS} FROM {REV_FROM} WHERE r.resource_id = $1 \
             ORDER BY r.number DESC LIMIT 1000"
        );
        Ok(sqlx::query_as(assembled(sql))
            .bind(resource_id)
            .fetch_all(self.pool())
            .await?)
    }

    pub async fn revision(
        &self,
        resource_id: i64,
        number: i64,
    ) -> Result<Option<RevisionRow>, DbError> {
        let sql = format!(
            "SELECT {REV_COLUMNS} FROM {REV_FROM} WHERE r.resource_id = $1 AND r.number = $2"
        );
        Ok(sqlx::query_as(assembled(sql))
            .bind(resource_id)
            .bind(number)
            .fetch_optional(self.pool())
            .await?)
    }

    /// Purges the cached resources of communities hosted on `authority` (a revoked peer);
    /// their history and file lists go with them.
    pub async fn purge_resources_of(&self, authority: &str) -> Result<u64, DbError> {
        let done = sqlx::query(
            "DELETE FROM resources WHERE community_id IN (SELECT c.id FROM communities c \
             JOIN actors a ON a.id = c.actor_id WHERE a.authority = $1 AND c.is_local = 0)",
        )
        .bind(authority)
        .execute(self.pool())
        .await?;
        Ok(done.rows_affected())
    }

    /// Deletes a resource and its history.
    pub async fn delete_resource(&self, ap_id: &str) -> Result<u64, DbError> {
        let done = sqlx::query("DELETE FROM resources WHERE ap_id = $1")
            .bind(ap_id)
            .execute(self.pool())
            .await?;
        Ok(done.rows_affected())
    }
}

async fn insert_revision(
    tx: &mut sqlx::Transaction<'_, sqlx::Any>,
    resource_id: i64,
    rev: &NewRevision<'_>,
) -> Result<(), DbError> {
    sqlx::query(
        "INSERT INTO resource_revisions (resource_id, number, author, title, source, summary, \
         created_at) VALUES ($1, $2, $3, $4, $5, $6, $7) \
         ON CONFLICT (resource_id, number) DO NOTHING",
    )
    .bind(resource_id)
    .bind(rev.number)
    .bind(rev.author)
    .bind(rev.title)
    .bind(rev.source)
    .bind(rev.summary)
    .bind(if rev.created_at > 0 {
        rev.created_at
    } else {
        now_ms()
    })
    .execute(&mut **tx)
    .await?;
    Ok(())
}
