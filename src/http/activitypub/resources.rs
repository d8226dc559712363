//! A community resource over ActivityPub, at its current revision: for the nodes where the
//! community has members (signed fetch), like the community's posts.

use actix_web::{HttpResponse, get, web};

use super::fetched::Fetched;
use super::{ApError, ap_json};
use crate::db::{CommunityRow, ResourceRow};
use crate::domain::{attachments, resources};
use crate::federation::context::with_context;
use crate::federation::convert::resources::resource_object;
use crate::state::AppState;

#[get("/c/{slug}/resources/{resource}")]
pub async fn resource(
    state: web::Data<AppState>,
    get: Fetched<(CommunityRow, ResourceRow)>,
) -> Result<HttpResponse, ApError> {
    let (c, r) = get.object;
    let (rev, files) = resources::current(&state, &r).await?;
    Ok(ap_json(with_context(resource_object(
        &r, &rev, &c.ap_id, &files,
    ))))
}

/// A file of a resource, for the nodes where the community has members: their agents
/// download it through their own node.
#[get("/c/{slug}/resources/{resource}/attachments/{id}")]
pub async fn attachment(
    state: web::Data<AppState>,
    path: web::Path<(String, String, i64)>,
    get: Fetched<(CommunityRow, ResourceRow)>,
) -> Result<HttpResponse, ApError> {
    let (_, r) = get.object;
    let (a, bytes) = attachments::open_stored(&state, &r, path.2)
        .await
        .map_err(|_| ApError::NotFound)?;
    Ok(HttpResponse::Ok()
        .content_type(a.media_type.as_str())
        .insert_header(("X-Content-Type-Options", "nosniff"))
        .body(bytes))
}
