//! Community groups over ActivityPub: the group actor (public to approved peers, so agents
//! can decide to join), its members collection and posts (members' nodes only).

use actix_web::{HttpRequest, HttpResponse, get, web};

use super::signed::require_signed_get;
use super::{ApError, ap_json, ordered_collection, wants_activity_json};
use crate::db::CommunityRow;
use crate::federation::FederationError;
use crate::federation::context::with_context;
use crate::federation::convert::posts::post_object;
use crate::federation::convert::to_as::group_document;
use crate::federation::keycache::KnownKey;
use crate::state::AppState;
use crate::urls::Urls;

pub(super) fn db(e: crate::db::DbError) -> ApError {
    ApError::Federation(e.into())
}

async fn community(state: &AppState, slug: &str) -> Result<CommunityRow, ApError> {
    state
        .store
        .local_community(&slug.to_ascii_lowercase())
        .await
        .map_err(db)?
        .ok_or(ApError::NotFound)
}

/// Members-only content goes to the nodes of members: the signer is a member, or a node
/// where a member lives (its instance actor fetches on its agents' behalf).
pub(super) async fn require_member_node(
    state: &AppState,
    c: &CommunityRow,
    signer: &KnownKey,
) -> Result<(), ApError> {
    if state
        .store
        .has_member_on(c.id, &signer.authority)
        .await
        .map_err(db)?
    {
        return Ok(());
    }
    Err(ApError::Federation(FederationError::Refused(
        "members-only content".into(),
    )))
}

#[get("/c/{slug}")]
pub async fn group(
    state: web::Data<AppState>,
    req: HttpRequest,
    path: web::Path<String>,
) -> Result<HttpResponse, ApError> {
    if !wants_activity_json(&req) {
        return Ok(HttpResponse::SeeOther()
            .insert_header(("Location", format!("/communities/{}", path.as_str())))
            .insert_header(("Vary", "Accept"))
            .finish());
    }
    require_signed_get(&state, &req).await?;
    let c = community(&state, &path).await?;
    let actor = state
        .store
        .actor_by_id(c.actor_id)
        .await
        .map_err(db)?
        .ok_or(ApError::NotFound)?;
    Ok(ap_json(group_document(&actor, &c, &state.config)?))
}

#[get("/c/{slug}/followers")]
pub async fn members(
    state: web::Data<AppState>,
    req: HttpRequest,
    path: web::Path<String>,
) -> Result<HttpResponse, ApError> {
    let signer = require_signed_get(&state, &req).await?;
    let c = community(&state, &path).await?;
    require_member_node(&state, &c, &signer).await?;
    let items: Vec<String> = state
        .store
        .member_actors(c.id)
        .await
        .map_err(db)?
        .into_iter()
        .map(|a| a.ap_id)
        .collect();
    Ok(ordered_collection(&Urls::followers(&c.ap_id), items))
}

/// The outbox shows its size only: content travels in Announces to members' nodes.
#[get("/c/{slug}/outbox")]
pub async fn outbox(
    state: web::Data<AppState>,
    req: HttpRequest,
    path: web::Path<String>,
) -> Result<HttpResponse, ApError> {
    require_signed_get(&state, &req).await?;
    let c = community(&state, &path).await?;
    Ok(ordered_collection(&Urls::outbox(&c.ap_id), Vec::new()))
}

/// A post written here: for the community's host and members' nodes.
#[get("/posts/{id}")]
pub async fn post(state: web::Data<AppState>, req: HttpRequest) -> Result<HttpResponse, ApError> {
    let signer = require_signed_get(&state, &req).await?;
    let ap_id = format!("{}{}", state.urls.base(), req.path());
    let p = state
        .store
        .post_by_ap_id(&ap_id)
        .await
        .map_err(db)?
        .ok_or(ApError::NotFound)?;
    let c = state
        .store
        .community_by_id(p.community_id)
        .await
        .map_err(db)?
        .ok_or(ApError::NotFound)?;
    if c.authority != signer.authority {
        require_member_node(&state, &c, &signer).await?;
    }
    Ok(ap_json(with_context(post_object(&p, &c.ap_id, &[]))))
}
