//! The photos of a post as ActivityStreams, both directions, in Mastodon's shape:
//! `attachment: [{type: "Image", mediaType, url, name: alt, width, height}]`. Mastodon
//! itself sends `Document` for media; both are read, for PNG, JPEG and WebP only.

use serde_json::{Value, json};

use super::from_as::{kind_of, plain_text, str_field};
use crate::db::{NewPostImage, PostImageRow, PostRow};
use crate::domain::images::{MAX_ALT, MAX_PHOTOS, MAX_SIDE};
use crate::federation::FederationError;
use crate::state::AppState;

/// Adds the `attachment` list of a post's images (none: nothing added).
pub fn attach(doc: &mut Value, images: &[PostImageRow]) {
    if images.is_empty() {
        return;
    }
    doc["attachment"] = images
        .iter()
        .map(|i| {
            json!({
                "type": "Image",
                "mediaType": i.media_type,
                "url": i.url,
                "name": i.alt,
                "width": i.width,
                "height": i.height,
            })
        })
        .collect();
}

/// The document of a post with its images, read from what is stored.
pub async fn with_images(
    state: &AppState,
    mut doc: Value,
    post: &PostRow,
) -> Result<Value, FederationError> {
    let images = state.store.images_of_posts(&[post.id]).await?;
    attach(&mut doc, &images);
    Ok(doc)
}

/// The images of a Note or Page: each needs a URL and an image type we take; the alt text
/// is its `name` (empty when the sender gave none), the size is the sender's word, bounded,
/// until this node fetches the image and measures it.
pub fn read_images(doc: &Value) -> Vec<NewPostImage> {
    let Some(list) = doc.get("attachment") else {
        return Vec::new();
    };
    let items: Vec<&Value> = match list {
        Value::Array(a) => a.iter().collect(),
        Value::Object(_) => vec![list],
        _ => Vec::new(),
    };
    let side = |v: &Value, k: &str| {
        v.get(k)
            .and_then(Value::as_i64)
            .unwrap_or(0)
            .clamp(0, i64::from(MAX_SIDE))
    };
    items
        .into_iter()
        .filter(|a| matches!(kind_of(a), Some("Image" | "Document")))
        .filter_map(|a| {
            let media_type = str_field(a, "mediaType")?;
            if !matches!(media_type, "image/png" | "image/jpeg" | "image/webp") {
                return None;
            }
            let url = match a.get("url")? {
                Value::String(s) => s.as_str(),
                Value::Object(o) => o.get("href").and_then(Value::as_str)?,
                Value::Array(v) => v.first().and_then(|l| match l {
                    Value::String(s) => Some(s.as_str()),
                    other => other.get("href").and_then(Value::as_str),
                })?,
                _ => return None,
            };
            Some(NewPostImage {
                url: url.chars().take(2000).collect(),
                media_type: media_type.to_owned(),
                width: side(a, "width"),
                height: side(a, "height"),
                alt: plain_text(str_field(a, "name").unwrap_or_default())
                    .chars()
                    .filter(|c| !c.is_control())
                    .take(MAX_ALT)
                    .collect(),
                sha256: None,
            })
        })
        .take(MAX_PHOTOS)
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn mastodon_media_is_read_with_its_alt_text() {
        let note = json!({"attachment": [
            {"type": "Document", "mediaType": "image/jpeg", "url": "https://m.example/a.jpg",
             "name": "Une affiche", "width": 640, "height": 480, "blurhash": "x"},
            {"type": "Document", "mediaType": "image/svg+xml", "url": "https://m.example/a.svg"},
            {"type": "Document", "mediaType": "video/mp4", "url": "https://m.example/a.mp4"},
            {"type": "Image", "mediaType": "image/png", "url": {"href": "https://m.example/b.png"},
             "width": 99999}
        ]});
        let got = read_images(&note);
        assert_eq!(got.len(), 2);
        assert_eq!(got[0].alt, "Une affiche");
        assert_eq!((got[0].width, got[0].height), (640, 480));
        assert_eq!(got[1].url, "https://m.example/b.png");
        assert_eq!(
            (got[1].alt.as_str(), got[1].width),
            ("", i64::from(MAX_SIDE))
        );
    }
}
