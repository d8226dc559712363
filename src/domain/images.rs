//! Photos in threads and replies: PNG, JPEG or WebP read from their content, each with its
//! alt text, decoded within bounds (a decompression bomb is refused before its pixels are
//! allocated) and re-encoded from the pixels, which drops EXIF and GPS data, at most
//! `DISPLAY_MAX_WIDTH` wide. The author's node keeps the copy; other nodes fetch it from
//! there through their own node on its first view, check and re-encode it again, and keep it.

use std::io::Cursor;

use image::codecs::jpeg::JpegEncoder;
use image::imageops::FilterType;
use image::{DynamicImage, ImageDecoder, ImageFormat, ImageReader};
use sha2::{Digest, Sha256};

use super::accounts::Account;
use super::communities::{require_member, require_member_node};
use super::error::{DomainError, DomainResult, OrNotFound, Rule};
use crate::db::{PostImageRow, PostRow};
use crate::domain::Ctx;

/// At most this many photos in one post.
pub const MAX_PHOTOS: usize = 4;
/// The width of the copy that is kept and shown.
pub const DISPLAY_MAX_WIDTH: u32 = 1280;
/// A side longer than this is refused before decoding.
pub const MAX_SIDE: u32 = 8000;
/// The memory a decoded image may take (RGBA 8000 × 8000 would be 256 MB).
pub const MAX_DECODED_BYTES: u64 = 128 * 1024 * 1024;
/// The longest alt text.
pub const MAX_ALT: usize = 1500;
/// The types accepted, as written in refusals.
pub const TYPES: &str = "PNG, JPEG, WebP";

/// The form fields of each slot, so that an error is shown next to its own photo.
pub const PHOTO_FIELDS: [&str; MAX_PHOTOS] = ["photo1", "photo2", "photo3", "photo4"];
pub const ALT_FIELDS: [&str; MAX_PHOTOS] = ["alt1", "alt2", "alt3", "alt4"];

/// A photo as sent: its bytes (None when it was over the size limit) and its alt text.
#[derive(Debug, Clone)]
pub struct Photo {
    pub bytes: Option<Vec<u8>>,
    pub alt: String,
}

/// A photo checked and re-encoded, ready to be stored.
#[derive(Debug, Clone)]
pub struct Prepared {
    pub bytes: Vec<u8>,
    pub media_type: &'static str,
    pub width: u32,
    pub height: u32,
    pub alt: String,
}

/// Why pixels were refused (the slot's field is added by the caller).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Refusal {
    /// Not PNG, JPEG or WebP by its content, or not decodable as such.
    NotAnImage,
    /// Wider or taller than `MAX_SIDE`, or more pixels than `MAX_DECODED_BYTES` allows.
    TooManyPixels,
}

impl Refusal {
    fn rule(self) -> Rule {
        match self {
            Refusal::NotAnImage => Rule::OneOf { options: TYPES },
            Refusal::TooManyPixels => Rule::Range {
                min: 1,
                max: i64::from(MAX_SIDE),
            },
        }
    }
}

/// The format of an image from its first bytes, if it is one we take.
pub fn sniff(bytes: &[u8]) -> Option<ImageFormat> {
    match infer::get(bytes)?.mime_type() {
        "image/png" => Some(ImageFormat::Png),
        "image/jpeg" => Some(ImageFormat::Jpeg),
        "image/webp" => Some(ImageFormat::WebP),
        _ => None,
    }
}

/// Decodes within bounds, turns the image upright (the EXIF orientation is read before it
/// is dropped), shrinks it to `DISPLAY_MAX_WIDTH` and encodes it again: JPEG when opaque,
/// PNG when it has transparency. Only pixels survive: no EXIF, GPS or comment. CPU-bound:
/// callers run it on the blocking pool.
pub fn reencode(bytes: &[u8]) -> Result<(Vec<u8>, &'static str, u32, u32), Refusal> {
    let format = sniff(bytes).ok_or(Refusal::NotAnImage)?;
    let mut reader = ImageReader::with_format(Cursor::new(bytes), format);
    let mut limits = image::Limits::default();
    limits.max_image_width = Some(MAX_SIDE);
    limits.max_image_height = Some(MAX_SIDE);
    limits.max_alloc = Some(MAX_DECODED_BYTES);
    reader.limits(limits);
    let refused = |e: image::ImageError| match e {
        image::ImageError::Limits(_) => Refusal::TooManyPixels,
        _ => Refusal::NotAnImage,
    };
    let mut decoder = reader.into_decoder().map_err(refused)?;
    let (w, h) = decoder.dimensions();
    if w == 0 || h == 0 {
        return Err(Refusal::NotAnImage);
    }
    if w > MAX_SIDE || h > MAX_SIDE || decoder.total_bytes() > MAX_DECODED_BYTES {
        return Err(Refusal::TooManyPixels);
    }
    let orientation = decoder.orientation().map_err(refused)?;
    let mut img = DynamicImage::from_decoder(decoder).map_err(refused)?;
    img.apply_orientation(orientation);
    if img.width() > DISPLAY_MAX_WIDTH {
        img = img.resize(DISPLAY_MAX_WIDTH, u32::MAX, FilterType::Triangle);
    }
    let (width, height) = (img.width(), img.height());
    let mut out = Vec::new();
    let media_type = if img.color().has_alpha() {
        DynamicImage::ImageRgba8(img.to_rgba8())
            .write_to(&mut Cursor::new(&mut out), ImageFormat::Png)
            .map_err(refused)?;
        "image/png"
    } else {
        let rgb = DynamicImage::ImageRgb8(img.to_rgb8());
        rgb.write_with_encoder(JpegEncoder::new_with_quality(&mut out, 85))
            .map_err(refused)?;
        "image/jpeg"
    };
    Ok((out, media_type, width, height))
}

async fn reencode_blocking(bytes: Vec<u8>) -> DomainResult<Result<Prepared, Refusal>> {
    tokio::task::spawn_blocking(move || {
        reencode(&bytes).map(|(bytes, media_type, width, height)| Prepared {
            bytes,
            media_type,
            width,
            height,
            alt: String::new(),
        })
    })
    .await
    .map_err(|e| DomainError::Internal(format!("image re-encoding: {e}")))
}

/// The size limit of one photo (the attachments' limit).
pub fn max_bytes(state: &Ctx) -> usize {
    super::attachments::max_bytes(state)
}

/// Checks every photo (alt text, size, type, pixels) and re-encodes them, before anything
/// is written: the first fault is refused, naming its slot's field.
pub async fn prepare(state: &Ctx, photos: Vec<Photo>) -> DomainResult<Vec<Prepared>> {
    if photos.len() > MAX_PHOTOS {
        return Err(DomainError::invalid(
            "photos",
            Rule::Range {
                min: 0,
                max: MAX_PHOTOS as i64,
            },
        ));
    }
    let mut alts = Vec::with_capacity(photos.len());
    for (i, p) in photos.iter().enumerate() {
        let (photo, alt_field) = (PHOTO_FIELDS[i], ALT_FIELDS[i]);
        let alt = super::names::text(alt_field, &p.alt, MAX_ALT)?;
        if alt.is_empty() {
            return Err(DomainError::invalid(alt_field, Rule::TooShort { min: 1 }));
        }
        match &p.bytes {
            None => return Err(DomainError::invalid(photo, Rule::TooLong)),
            Some(b) if b.len() > max_bytes(state) => {
                return Err(DomainError::invalid(photo, Rule::TooLong));
            }
            Some(b) if b.is_empty() => {
                return Err(DomainError::invalid(photo, Rule::TooShort { min: 1 }));
            }
            Some(b) if sniff(b).is_none() => {
                return Err(DomainError::invalid(photo, Refusal::NotAnImage.rule()));
            }
            Some(_) => {}
        }
        alts.push(alt);
    }
    let mut out = Vec::with_capacity(photos.len());
    for (i, (p, alt)) in photos.into_iter().zip(alts).enumerate() {
        let bytes = p.bytes.unwrap_or_default();
        match reencode_blocking(bytes).await? {
            Ok(prepared) => out.push(Prepared { alt, ..prepared }),
            Err(r) => return Err(DomainError::invalid(PHOTO_FIELDS[i], r.rule())),
        }
    }
    Ok(out)
}

fn dir(state: &Ctx) -> std::path::PathBuf {
    state.config.data_dir.join("images")
}

fn sha_of(bytes: &[u8]) -> String {
    Sha256::digest(bytes)
        .iter()
        .map(|b| format!("{b:02x}"))
        .collect()
}

/// Writes the bytes once under their hash (temporary name, then renamed); their hash.
pub async fn store_file(state: &Ctx, bytes: &[u8]) -> DomainResult<String> {
    let sha = sha_of(bytes);
    let dir = dir(state);
    let path = dir.join(&sha);
    let io = |e: std::io::Error| DomainError::Internal(format!("image storage: {e}"));
    if tokio::fs::try_exists(&path).await.map_err(io)? {
        return Ok(sha);
    }
    tokio::fs::create_dir_all(&dir).await.map_err(io)?;
    let tmp = dir.join(format!("{sha}.{}.tmp", uuid::Uuid::now_v7()));
    tokio::fs::write(&tmp, bytes).await.map_err(io)?;
    tokio::fs::rename(&tmp, &path).await.map_err(io)?;
    Ok(sha)
}

async fn read_file(state: &Ctx, sha: &str) -> DomainResult<Vec<u8>> {
    // The hash is ours (hex), never input: it cannot leave the directory.
    if !sha.chars().all(|c| c.is_ascii_hexdigit()) {
        return Err(DomainError::NotFound("image"));
    }
    tokio::fs::read(dir(state).join(sha))
        .await
        .map_err(|e| DomainError::Internal(format!("image {sha}: {e}")))
}

/// The URL where peers fetch the image at `position` (from 1) of a post written here.
pub fn url_of(post_ap_id: &str, position: usize) -> String {
    format!("{post_ap_id}/images/{position}")
}

/// The images of these posts, for pages that show them (the caller checked access).
pub async fn of_posts(state: &Ctx, posts: &[&PostRow]) -> DomainResult<Vec<PostImageRow>> {
    let ids: Vec<i64> = posts.iter().map(|p| p.id).collect();
    Ok(state.store.images_of_posts(&ids).await?)
}

/// An image and its bytes, for a member of the post's community. On a node that does not
/// hold it yet, it is fetched from the post's origin (signed, size-capped, only from an
/// approved node), typed and re-encoded again here, then kept.
pub async fn open(
    state: &Ctx,
    account: &Account,
    id: i64,
) -> DomainResult<(PostImageRow, Vec<u8>)> {
    let img = state.store.post_image(id).await.or_not_found("image")?;
    let p = state
        .store
        .post_by_id(img.post_id)
        .await
        .or_not_found("image")?;
    let c = super::posts::community(state, &p).await?;
    require_member(state, &c, account).await?;
    if let Some(sha) = &img.sha256 {
        let bytes = read_file(state, sha).await?;
        return Ok((img, bytes));
    }
    // Only from the node that wrote the post (the inbox kept no other), never a third one.
    if crate::urls::authority_of_str(&img.url).as_deref() != Some(p.authority.as_str()) {
        return Err(DomainError::NotFound("image"));
    }
    let fetched = state.remote.file(state, &img.url, max_bytes(state)).await?;
    let prepared = reencode_blocking(fetched)
        .await?
        .map_err(|r| DomainError::invalid("image", r.rule()))?;
    let sha = store_file(state, &prepared.bytes).await?;
    let (w, h) = (i64::from(prepared.width), i64::from(prepared.height));
    state
        .store
        .set_post_image_copy(img.id, &sha, prepared.media_type, w, h)
        .await?;
    let img = PostImageRow {
        sha256: Some(sha),
        media_type: prepared.media_type.into(),
        width: w,
        height: h,
        ..img
    };
    Ok((img, prepared.bytes))
}

/// An image of a post written here, for a peer (`authority`, whose signature was verified
/// and which is approved): when the community is hosted here, only nodes where it has a
/// member; when it is hosted elsewhere, the host announced the post to its members' nodes,
/// which this node does not know: any approved node.
pub async fn for_peer(
    state: &Ctx,
    post_ap_id: &str,
    position: i64,
    authority: &str,
) -> DomainResult<(PostImageRow, Vec<u8>)> {
    let p = super::posts::post(state, post_ap_id).await?;
    if p.authority != state.config.authority {
        return Err(DomainError::NotFound("image"));
    }
    let c = super::posts::community(state, &p).await?;
    if c.is_local == 1 {
        require_member_node(state, &c, authority).await?;
    }
    let img = state
        .store
        .post_image_at(p.id, position)
        .await
        .or_not_found("image")?;
    let sha = img.sha256.clone().ok_or(DomainError::NotFound("image"))?;
    let bytes = read_file(state, &sha).await?;
    Ok((img, bytes))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn png(w: u32, h: u32, alpha: bool) -> Vec<u8> {
        let mut out = Vec::new();
        let img = if alpha {
            DynamicImage::new_rgba8(w, h)
        } else {
            DynamicImage::new_rgb8(w, h)
        };
        img.write_to(&mut Cursor::new(&mut out), ImageFormat::Png)
            .expect("png");
        out
    }

    #[test]
    fn pixels_are_kept_and_the_rest_refused() {
        let (bytes, media, w, h) = reencode(&png(2000, 100, false)).expect("png");
        assert_eq!((media, w, h), ("image/jpeg", 1280, 64));
        assert_eq!(sniff(&bytes), Some(ImageFormat::Jpeg));
        let (_, media, w, h) = reencode(&png(10, 20, true)).expect("png");
        assert_eq!((media, w, h), ("image/png", 10, 20));
        let svg = br#"<svg xmlns="http://www.w3.org/2000/svg"><script>alert(1)</script></svg>"#;
        assert_eq!(reencode(svg), Err(Refusal::NotAnImage));
        assert_eq!(reencode(b"%PDF-1.7\n"), Err(Refusal::NotAnImage));
        assert_eq!(reencode(&png(9000, 1, false)), Err(Refusal::TooManyPixels));
        // A JPEG cut short is not an image.
        let (jpeg, ..) = reencode(&png(64, 64, false)).expect("jpeg");
        assert_eq!(reencode(&jpeg[..40]), Err(Refusal::NotAnImage));
    }
}
