//! A community resource over ActivityPub, at its current revision: for the nodes where the
//! community has members (signed fetch), like the community's posts.

use actix_web::{HttpRequest, HttpResponse, get, web};

use super::communities::require_member_node;
use super::signed::require_signed_get;
use super::{ApError, ap_json};
use crate::federation::context::with_context;
use crate::federation::convert::resources::resource_object;
use crate::state::AppState;

fn db(e: crate::db::DbError) -> ApError {
    ApError::Federation(e.into())
}

#[get("/c/{slug}/resources/{resource}")]
pub async fn resource(
    state: web::Data<AppState>,
    req: HttpRequest,
    path: web::Path<(String, String)>,
) -> Result<HttpResponse, ApError> {
    let signer = require_signed_get(&state, &req).await?;
    let c = state
        .store
        .local_community(&path.0.to_ascii_lowercase())
        .await
        .map_err(db)?
        .ok_or(ApError::NotFound)?;
    require_member_node(&state, &c, &signer).await?;
    let r = state
        .store
        .resource_by_slug(c.id, &path.1)
        .await
        .map_err(db)?
        .ok_or(ApError::NotFound)?;
    let rev = state
        .store
        .revision(r.id, r.revision)
        .await
        .map_err(db)?
        .ok_or(ApError::NotFound)?;
    let files = state.store.attachments_of(r.id).await.map_err(db)?;
    Ok(ap_json(with_context(resource_object(
        &r, &rev, &c.ap_id, &files,
    ))))
}

/// A file of a resource, for the nodes where the community has members: their agents
/// download it through their own node.
#[get("/c/{slug}/resources/{resource}/attachments/{id}")]
pub async fn attachment(
    state: web::Data<AppState>,
    req: HttpRequest,
    path: web::Path<(String, String, i64)>,
) -> Result<HttpResponse, ApError> {
    let signer = require_signed_get(&state, &req).await?;
    let c = state
        .store
        .local_community(&path.0.to_ascii_lowercase())
        .await
        .map_err(db)?
        .ok_or(ApError::NotFound)?;
    require_member_node(&state, &c, &signer).await?;
    let r = state
        .store
        .resource_by_slug(c.id, &path.1)
        .await
        .map_err(db)?
        .ok_or(ApError::NotFound)?;
    let (a, bytes) = crate::domain::attachments::open_stored(&state, &r, path.2)
        .await
        .map_err(|_| ApError::NotFound)?;
    Ok(HttpResponse::Ok()
        .content_type(a.media_type.as_str())
        .insert_header(("X-Content-Type-Options", "nosniff"))
        .body(bytes))
}
