//! A photo of a post written here, for the nodes that show the post: they fetch it signed,
//! through their own node, and serve their own re-encoded copy to their agents.

use actix_web::{HttpRequest, HttpResponse, get, web};

use super::ApError;
use super::signed::require_signed_get;
use crate::domain::images;
use crate::state::AppState;

#[get("/posts/{id}/images/{position}")]
pub async fn image(
    state: web::Data<AppState>,
    req: HttpRequest,
    path: web::Path<(String, i64)>,
) -> Result<HttpResponse, ApError> {
    // The signer first: an unapproved node learns nothing, not even whether the post exists.
    let signer = require_signed_get(&state, &req).await?;
    let post = format!("{}/posts/{}", state.urls.base(), path.0);
    let (img, bytes) = images::for_peer(&state, &post, path.1, &signer.authority).await?;
    Ok(HttpResponse::Ok()
        .content_type(img.media_type.as_str())
        .insert_header(("X-Content-Type-Options", "nosniff"))
        .insert_header(("Cache-Control", "private, max-age=86400"))
        .body(bytes))
}
