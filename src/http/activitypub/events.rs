//! A session hosted here, as an ActivityStreams `Event`: for the nodes of the community's
//! members only (members-only content, like posts).

use actix_web::{HttpRequest, HttpResponse, get, web};

use super::signed::require_signed_get;
use super::{ApError, ap_json};
use crate::federation::FederationError;
use crate::federation::context::with_context;
use crate::federation::convert::events::event_object;
use crate::state::AppState;

fn db(e: crate::db::DbError) -> ApError {
    ApError::Federation(e.into())
}

#[get("/events/{id}")]
pub async fn event(state: web::Data<AppState>, req: HttpRequest) -> Result<HttpResponse, ApError> {
    let signer = require_signed_get(&state, &req).await?;
    let ap_id = format!("{}{}", state.urls.base(), req.path());
    let e = state
        .store
        .event_by_ap_id(&ap_id)
        .await
        .map_err(db)?
        .ok_or(ApError::NotFound)?;
    let c = state
        .store
        .community_by_id(e.community_id)
        .await
        .map_err(db)?
        .ok_or(ApError::NotFound)?;
    let member_node = state
        .store
        .has_member_on(c.id, &signer.authority)
        .await
        .map_err(db)?;
    if !member_node {
        return Err(ApError::Federation(FederationError::Refused(
            "members-only content".into(),
        )));
    }
    let participants = state.store.participants(e.id).await.map_err(db)?;
    Ok(ap_json(with_context(event_object(
        &e,
        &c.ap_id,
        &participants,
    ))))
}
