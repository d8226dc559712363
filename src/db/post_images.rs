//! The `post_images` table: the photos of threads and replies, in order (the bytes are in
//! the data directory under `images/`, named by their SHA-256).

use super::{DbError, Store};

#[derive(Debug, Clone, sqlx::FromRow)]
pub struct PostImageRow {
    pub id: i64,
    pub post_id: i64,
    pub position: i64,
    /// Where peers fetch it: ours for an image written here, the origin's otherwise.
    pub url: String,
    pub media_type: String,
    pub width: i64,
    pub height: i64,
    pub alt: String,
    /// The stored display copy; None on a node that has not fetched it yet.
    pub sha256: Option<String>,
    pub created_at: i64,
}

/// An image to record with a post.
#[derive(Debug, Clone)]
pub struct NewPostImage {
    pub url: String,
    pub media_type: String,
    pub width: i64,
    pub height: i64,
    pub alt: String,
    pub sha256: Option<String>,
}

const COLUMNS: &str =
    "id, post_id, position, url, media_type, width, height, alt, sha256, created_at";

impl Store {
    /// Records the images of a post, in order (positions from 1), in one transaction.
    pub async fn insert_post_images(
        &self,
        post_id: i64,
        images: &[NewPostImage],
        now: i64,
    ) -> Result<(), DbError> {
        let mut tx = self.begin_write().await?;
        for (i, img) in images.iter().enumerate() {
            sqlx::query(
                "INSERT INTO post_images (post_id, position, url, media_type, width, height, \
                 alt, sha256, created_at) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9)",
            )
            .bind(post_id)
            .bind(i64::try_from(i).unwrap_or(0) + 1)
            .bind(&img.url)
            .bind(&img.media_type)
            .bind(img.width)
            .bind(img.height)
            .bind(&img.alt)
            .bind(img.sha256.as_deref())
            .bind(now)
            .execute(&mut *tx)
            .await?;
        }
        tx.commit().await?;
        Ok(())
    }

    /// The images of the posts named, in order.
    pub async fn images_of_posts(&self, post_ids: &[i64]) -> Result<Vec<PostImageRow>, DbError> {
        if post_ids.is_empty() {
            return Ok(Vec::new());
        }
        // Ids are our integers, never input text: listed in the statement.
        let ids = post_ids
            .iter()
            .map(i64::to_string)
            .collect::<Vec<_>>()
            .join(",");
        let sql = format!(
            "SELECT {COLUMNS} FROM post_images WHERE post_id IN ({ids}) \
             ORDER BY post_id, position"
        );
        Ok(sqlx::query_as(super::assembled(sql))
            .fetch_all(self.pool())
            .await?)
    }

    pub async fn post_image(&self, id: i64) -> Result<Option<PostImageRow>, DbError> {
        let sql = format!("SELECT {COLUMNS} FROM post_images WHERE id = $1");
        Ok(sqlx::query_as(super::assembled(sql))
            .bind(id)
            .fetch_optional(self.pool())
            .await?)
    }

    pub async fn post_image_at(
        &self,
        post_id: i64,
        position: i64,
    ) -> Result<Option<PostImageRow>, DbError> {
        let sql = format!("SELECT {COLUMNS} FROM post_images WHERE post_id = $1 AND position = $2");
        Ok(sqlx::query_as(super::assembled(sql))
            .bind(post_id)
            .bind(position)
            .fetch_optional(self.pool())
            .await?)
    }

    /// On a node that fetched an image from its origin: the copy it now keeps, as decoded.
    pub async fn set_post_image_copy(
        &self,
        id: i64,
        sha256: &str,
        media_type: &str,
        width: i64,
        height: i64,
    ) -> Result<(), DbError> {
        sqlx::query(
            "UPDATE post_images SET sha256 = $1, media_type = $2, width = $3, height = $4 \
             WHERE id = $5",
        )
        .bind(sha256)
        .bind(media_type)
        .bind(width)
        .bind(height)
        .bind(id)
        .execute(self.pool())
        .await?;
        Ok(())
    }
}
