//! The `objects` table: notes received or published, with their origin.

use super::{DbError, HotWrite, ObjectWrite, Store};

#[derive(Debug, Clone, sqlx::FromRow)]
pub struct ObjectRow {
    pub id: i64,
    pub ap_id: String,
    pub kind: String,
    pub authority: String,
    pub attributed_to: String,
    pub content_html: String,
    pub in_reply_to: Option<String>,
    pub published_at: i64,
}

/// A new object, already sanitised.
#[derive(Debug, Clone)]
pub struct NewObject<'a> {
    pub ap_id: &'a str,
    pub kind: &'a str,
    pub authority: &'a str,
    pub attributed_to: &'a str,
    pub content_html: &'a str,
    pub in_reply_to: Option<&'a str>,
    pub published_at: i64,
}

impl NewObject<'_> {
    /// The owned form the group writer takes.
    pub fn to_write(&self) -> ObjectWrite {
        ObjectWrite {
            ap_id: self.ap_id.to_owned(),
            kind: self.kind.to_owned(),
            authority: self.authority.to_owned(),
            attributed_to: self.attributed_to.to_owned(),
            content_html: self.content_html.to_owned(),
            in_reply_to: self.in_reply_to.map(str::to_owned),
            published_at: self.published_at,
        }
    }
}

const COLUMNS: &str =
    "id, ap_id, kind, authority, attributed_to, content_html, in_reply_to, published_at";

impl Store {
    /// Inserts an object; an existing id is left as it is (false). Committed with the other
    /// writes pending (`write_grouped`).
    pub async fn insert_object(&self, o: &NewObject<'_>) -> Result<bool, DbError> {
        self.write_grouped(HotWrite::Object(o.to_write())).await
    }

    pub async fn object_by_ap_id(&self, ap_id: &str) -> Result<Option<ObjectRow>, DbError> {
        Ok(sqlx::query_as(super::assembled(format!(
            "SELECT {COLUMNS} FROM objects WHERE ap_id = $1"
        )))
        .bind(ap_id)
        .fetch_optional(self.pool())
        .await?)
    }

    pub async fn objects_by_author(&self, attributed_to: &str) -> Result<Vec<ObjectRow>, DbError> {
        Ok(sqlx::query_as(super::assembled(format!(
            "SELECT {COLUMNS} FROM objects WHERE attributed_to = $1 ORDER BY published_at DESC"
        )))
        .bind(attributed_to)
        .fetch_all(self.pool())
        .await?)
    }

    /// Deletes a note of `attributed_to`; false when there was none of theirs with that id.
    pub async fn delete_object_of(
        &self,
        ap_id: &str,
        attributed_to: &str,
    ) -> Result<bool, DbError> {
        let done = sqlx::query("DELETE FROM objects WHERE ap_id = $1 AND attributed_to = $2")
            .bind(ap_id)
            .bind(attributed_to)
            .execute(self.pool())
            .await?;
        Ok(done.rows_affected() > 0)
    }
}
