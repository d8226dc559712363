//! Photos in posts on the web: the post form's photo slots (multipart, each file read up to
//! the size limit), refusals shown in French next to their slot, the images a page shows
//! (with their width and height, so nothing moves as they load) and the route that serves
//! them to members, from this node's own copy.

use actix_multipart::Multipart;
use actix_web::http::header;
use actix_web::{HttpResponse, get, web};
use futures_util::StreamExt;

use super::FieldErrors;
use super::i18n::images::{ImageStrings, strings};
use super::{WebError, WebResult};
use crate::db::{PostImageRow, PostRow};
use crate::domain::images::{self, ALT_FIELDS, MAX_PHOTOS, PHOTO_FIELDS, Photo};
use crate::domain::{DomainError, Rule};
use crate::http::auth::WebSession;
use crate::state::AppState;

/// What a post form with photos sent.
#[derive(Default)]
pub struct PostForm {
    pub csrf: String,
    pub title: String,
    pub body: String,
    /// Each slot: the bytes (None over the limit), whether a file was chosen, the alt text.
    pub slots: [(Option<Vec<u8>>, bool, String); MAX_PHOTOS],
}

impl PostForm {
    /// The photos chosen, in slot order; a slot without a file is skipped (its alt text
    /// alone means nothing).
    pub fn photos(&self) -> Vec<Photo> {
        self.slots
            .iter()
            .filter(|(_, chosen, _)| *chosen)
            .map(|(bytes, _, alt)| Photo {
                bytes: bytes.clone(),
                alt: alt.clone(),
            })
            .collect()
    }

    /// The alt texts typed, to give back after a refusal.
    pub fn alts(&self) -> Vec<String> {
        self.slots.iter().map(|(_, _, a)| a.clone()).collect()
    }
}

const TEXT_MAX: usize = 100 * 1024;

/// Reads the form: text fields up to `TEXT_MAX`, each file up to `max` (the rest read and
/// dropped), the whole up to a hard bound (then: malformed, None).
pub async fn read_post_form(mut form: Multipart, max: usize) -> Option<PostForm> {
    let hard = max
        .saturating_mul(MAX_PHOTOS)
        .saturating_add(2 * 1024 * 1024);
    let mut seen = 0usize;
    let mut out = PostForm::default();
    while let Some(field) = form.next().await {
        let mut field = field.ok()?;
        let name = field.name().unwrap_or_default().to_owned();
        let slot = PHOTO_FIELDS.iter().position(|f| *f == name);
        if let Some(i) = slot {
            // An empty file input sends a part without a file name.
            out.slots[i].1 = field
                .content_disposition()
                .and_then(|d| d.get_filename())
                .is_some_and(|n| !n.is_empty());
            out.slots[i].0 = Some(Vec::new());
        }
        let mut value = Vec::new();
        while let Some(chunk) = field.next().await {
            let chunk = chunk.ok()?;
            seen = seen.saturating_add(chunk.len());
            if seen > hard {
                return None;
            }
            match slot {
                Some(i) => {
                    let bytes = &mut out.slots[i].0;
                    match bytes {
                        Some(b) if b.len() + chunk.len() <= max => b.extend_from_slice(&chunk),
                        _ => *bytes = None,
                    }
                }
                None if value.len() + chunk.len() <= TEXT_MAX => value.extend_from_slice(&chunk),
                None => return None,
            }
        }
        let text = || String::from_utf8_lossy(&value).into_owned();
        match name.as_str() {
            "csrf_token" => out.csrf = text(),
            "title" => out.title = text(),
            "body" => out.body = text(),
            other => {
                if let Some(i) = ALT_FIELDS.iter().position(|f| *f == other) {
                    out.slots[i].2 = text();
                }
            }
        }
    }
    Some(out)
}

/// A size in words: "2,5 Mio", "12 Kio".
pub fn size_words(bytes: usize) -> String {
    const MIB: f64 = 1024.0 * 1024.0;
    let b = bytes as f64;
    if b >= MIB {
        format!("{:.1} Mio", b / MIB).replace('.', ",")
    } else {
        format!("{} Kio", (b / 1024.0).ceil())
    }
}

/// A refusal of a photo slot, in words next to its field; None for other errors.
pub fn field_errors(state: &AppState, e: &DomainError) -> Option<FieldErrors> {
    let DomainError::Invalid { field, rule } = e else {
        return None;
    };
    let s = strings(crate::http::web::language::current(&state.config.locale));
    let message = if ALT_FIELDS.contains(field) {
        s.alt_missing.to_owned()
    } else if PHOTO_FIELDS.contains(field) {
        match rule {
            Rule::TooLong => format!("{} {}.", s.too_large, size_words(images::max_bytes(state))),
            Rule::TooShort { .. } => s.empty.to_owned(),
            Rule::Range { .. } => s.too_many_pixels.to_owned(),
            _ => s.not_an_image.to_owned(),
        }
    } else if *field == "photos" {
        s.too_many.to_owned()
    } else {
        return None;
    };
    let message = if ALT_FIELDS.contains(field) && matches!(rule, Rule::MaxLength { .. }) {
        format!("{message} ({} caractères au plus)", images::MAX_ALT)
    } else {
        format!("{message} {}", s.choose_again)
    };
    Some(FieldErrors::single(field, message))
}

/// An image as a page shows it.
#[derive(Debug, Clone)]
pub struct ImageView {
    pub src: String,
    pub alt: String,
    pub width: i64,
    pub height: i64,
}

impl From<&PostImageRow> for ImageView {
    fn from(i: &PostImageRow) -> Self {
        // The sender's size may be missing: a square keeps a place until the copy is made.
        let (width, height) = if i.width > 0 && i.height > 0 {
            (i.width, i.height)
        } else {
            (640, 640)
        };
        ImageView {
            src: format!("/images/{}", i.id),
            alt: i.alt.clone(),
            width,
            height,
        }
    }
}

/// The images of these posts, by post id (the caller checked the agent may read them).
pub async fn views_of(
    state: &AppState,
    posts: &[&PostRow],
) -> WebResult<std::collections::HashMap<String, Vec<ImageView>>> {
    let rows = images::of_posts(state, posts).await?;
    let mut out: std::collections::HashMap<String, Vec<ImageView>> = Default::default();
    for p in posts {
        let list: Vec<ImageView> = rows
            .iter()
            .filter(|r| r.post_id == p.id)
            .map(ImageView::from)
            .collect();
        if !list.is_empty() {
            out.insert(p.ap_id.clone(), list);
        }
    }
    Ok(out)
}

/// The form's photo slots as the template draws them.
pub struct SlotView {
    pub n: usize,
    pub photo_field: &'static str,
    pub alt_field: &'static str,
    pub alt: String,
}

/// What a post form needs to draw its photo slots.
pub struct PhotoFields {
    pub s: &'static ImageStrings,
    pub max_size: String,
    pub first: SlotView,
    pub more: Vec<SlotView>,
}

impl PhotoFields {
    pub fn new(state: &AppState, typed_alts: &[String]) -> Self {
        let mut slots: Vec<SlotView> = (0..MAX_PHOTOS)
            .map(|i| SlotView {
                n: i + 1,
                photo_field: PHOTO_FIELDS[i],
                alt_field: ALT_FIELDS[i],
                alt: typed_alts.get(i).cloned().unwrap_or_default(),
            })
            .collect();
        let more = slots.split_off(1);
        let first = slots.pop().unwrap_or(SlotView {
            n: 1,
            photo_field: PHOTO_FIELDS[0],
            alt_field: ALT_FIELDS[0],
            alt: String::new(),
        });
        PhotoFields {
            s: strings(crate::http::web::language::current(&state.config.locale)),
            max_size: size_words(images::max_bytes(state)),
            first,
            more,
        }
    }
}

/// A photo, for a member of its post's community: this node's copy (fetched from the
/// post's node on its first view when the post was written elsewhere).
#[get("/images/{id}")]
pub async fn serve(
    state: web::Data<AppState>,
    session: WebSession,
    path: web::Path<i64>,
) -> WebResult<HttpResponse> {
    let (img, bytes) = images::open(&state, &session.0.account, *path)
        .await
        .map_err(|e| match e {
            DomainError::Invalid { .. } => WebError::NotFound,
            other => other.into(),
        })?;
    Ok(HttpResponse::Ok()
        .content_type(img.media_type.as_str())
        .insert_header((header::X_CONTENT_TYPE_OPTIONS, "nosniff"))
        .insert_header((header::CACHE_CONTROL, "private, max-age=86400"))
        .insert_header((header::CONTENT_SECURITY_POLICY, "default-src 'none'"))
        .body(bytes))
}
