//! Samples for migration 20261204000270 (photos in posts): a photo of a post, with its
//! description, is still shown with that post after the upgrade.

use entrepairs::db::Store;
use sqlx::AnyPool;

pub const VERSION: i64 = 20261204000270;

const URL: &str = "http://upgrade.test/posts/1/images/0";

pub async fn insert(pool: &AnyPool) {
    sqlx::query(
        "INSERT INTO post_images (post_id, position, url, media_type, width, height, alt, \
         sha256, created_at) VALUES ((SELECT MIN(id) FROM posts), 0, $1, 'image/jpeg', 1280, \
         720, 'L''affiche de la permanence', NULL, 1700000000000)",
    )
    .bind(URL)
    .execute(pool)
    .await
    .expect("a photo");
}

pub async fn check(store: &Store) {
    // The table is new at this version and this is its only sample: its first row.
    let photo = store
        .post_image(1)
        .await
        .expect("db")
        .expect("the photo is kept");
    assert_eq!(photo.url, URL);
    assert_eq!(photo.alt, "L'affiche de la permanence");
    assert_eq!((photo.width, photo.height), (1280, 720));
    let shown = store.images_of_posts(&[photo.post_id]).await.expect("db");
    assert_eq!(shown.len(), 1, "shown with its post");
}
