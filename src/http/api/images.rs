//! Photos through the API: a reply with photos (`multipart/form-data`: `body`, and for each
//! photo `photo1`…`photo4` with its alt text `alt1`…`alt4`), checked like the web form's.

use actix_multipart::Multipart;
use actix_web::{HttpResponse, post, web};
use serde::Serialize;
use utoipa::ToSchema;

use super::community_json::PostJson;
use crate::db::PostImageRow;
use crate::domain::{DomainError, images, posts};
use crate::http::auth::ApiCaller;
use crate::http::error::{ApiError, ApiResult};
use crate::http::web::images::read_post_form;
use crate::state::AppState;

/// A photo of a post.
#[derive(Serialize, ToSchema)]
pub struct ImageJson {
    pub id: i64,
    /// Where this node serves it to logged-in members.
    pub url: String,
    pub alt: String,
    pub media_type: String,
    pub width: i64,
    pub height: i64,
}

impl From<&PostImageRow> for ImageJson {
    fn from(i: &PostImageRow) -> Self {
        ImageJson {
            id: i.id,
            url: format!("/images/{}", i.id),
            alt: i.alt.clone(),
            media_type: i.media_type.clone(),
            width: i.width,
            height: i.height,
        }
    }
}

/// A post and its photos.
#[derive(Serialize, ToSchema)]
pub struct PostWithImagesJson {
    pub post: PostJson,
    pub images: Vec<ImageJson>,
}

/// Replies to the thread of a post with photos (PNG, JPEG or WebP, each up to the node's
/// attachment limit, alt text required). 201; 422 naming the field (`alt1`, `photo2`…) for
/// a missing alt text, a file too large, not an image or with too many pixels: nothing is
/// published.
#[utoipa::path(
    operation_id = "communities_reply_with_photos",
    tag = "communities",
    security(("api_token" = [])),
    request_body(content_type = "multipart/form-data", description = "Fields `body`, `photo1`…`photo4` (files) and `alt1`…`alt4`"),
    responses(
        (status = 201, description = "The reply and its photos", body = PostWithImagesJson),
    ),
)]
#[post("/posts/{id}/replies/photos")]
pub async fn reply_with_photos(
    state: web::Data<AppState>,
    caller: ApiCaller,
    path: web::Path<i64>,
    form: Multipart,
) -> ApiResult<HttpResponse> {
    let form = read_post_form(form, images::max_bytes(&state))
        .await
        .ok_or_else(|| ApiError::BadRequest("malformed multipart body".into()))?;
    let p = state
        .store
        .post_by_id(*path)
        .await
        .map_err(DomainError::from)?
        .ok_or(DomainError::NotFound("post"))?;
    let r = posts::reply_with_photos(
        &state,
        &caller.0,
        &p.thread_ap_id,
        &form.body,
        form.photos(),
    )
    .await?;
    let imgs = images::of_posts(&state, &[&r]).await?;
    Ok(HttpResponse::Created().json(PostWithImagesJson {
        post: PostJson::from(&r),
        images: imgs.iter().map(ImageJson::from).collect(),
    }))
}
