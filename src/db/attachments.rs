//! The `resource_attachments` table: files attached to resources (their bytes are in the
//! data directory, named by their SHA-256).

use super::{DbError, Store};

#[derive(Debug, Clone, sqlx::FromRow)]
pub struct AttachmentRow {
    pub id: i64,
    pub resource_id: i64,
    pub name: String,
    pub media_type: String,
    pub size_bytes: i64,
    pub sha256: String,
    pub uploaded_by: String,
    pub created_at: i64,
    /// On a member's node: where the host serves the file. None: the file is stored here.
    pub url: Option<String>,
}

const COLUMNS: &str =
    "id, resource_id, name, media_type, size_bytes, sha256, uploaded_by, created_at, url";

impl Store {
    pub async fn insert_attachment(&self, a: &AttachmentRow) -> Result<i64, DbError> {
        let mut tx = self.begin_write().await?;
        let id = insert(&mut tx, a).await?;
        tx.commit().await?;
        Ok(id)
    }

    /// On a member's node: adds the host's files of a resource not listed yet (by `url`).
    /// The host never removes a file, so adding is right whatever order announces come in.
    pub async fn add_remote_attachments(
        &self,
        resource_id: i64,
        rows: &[AttachmentRow],
    ) -> Result<(), DbError> {
        let mut tx = self.begin_write().await?;
        for a in rows {
            let known: Option<(i64,)> = sqlx::query_as(
                "SELECT id FROM resource_attachments WHERE resource_id = $1 AND url = $2",
            )
            .bind(resource_id)
            .bind(a.url.as_deref())
            .fetch_optional(&mut *tx)
            .await?;
            if known.is_none() {
                insert(&mut tx, a).await?;
            }
        }
        tx.commit().await?;
        Ok(())
    }

    pub async fn attachments_of(&self, resource_id: i64) -> Result<Vec<AttachmentRow>, DbError> {
        let sql = format!(
            "SELECT {COLUMNS} FROM resource_attachments WHERE resource_id = $1 ORDER BY id"
        );
        Ok(sqlx::query_as(super::assembled(sql))
            .bind(resource_id)
            .fetch_all(self.pool())
            .await?)
    }

    pub async fn attachment(
        &self,
        resource_id: i64,
        id: i64,
    ) -> Result<Option<AttachmentRow>, DbError> {
        let sql = format!(
            "SELECT {COLUMNS} FROM resource_attachments WHERE resource_id = $1 AND id = $2"
        );
        Ok(sqlx::query_as(super::assembled(sql))
            .bind(resource_id)
            .bind(id)
            .fetch_optional(self.pool())
            .await?)
    }
}

async fn insert(
    tx: &mut sqlx::Transaction<'_, sqlx::Any>,
    a: &AttachmentRow,
) -> Result<i64, DbError> {
    let (id,): (i64,) = sqlx::query_as(
        "INSERT INTO resource_attachments (resource_id, name, media_type, size_bytes, sha256, \
         uploaded_by, created_at, url) VALUES ($1, $2, $3, $4, $5, $6, $7, $8) RETURNING id",
    )
    .bind(a.resource_id)
    .bind(&a.name)
    .bind(&a.media_type)
    .bind(a.size_bytes)
    .bind(&a.sha256)
    .bind(&a.uploaded_by)
    .bind(a.created_at)
    .bind(a.url.as_deref())
    .fetch_one(&mut **tx)
    .await?;
    Ok(id)
}
