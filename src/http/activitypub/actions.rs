//! Action items and their comments written here, for the community's host and members'
//! nodes (signed fetch); other nodes are refused, as for posts.

use actix_web::{HttpRequest, HttpResponse, get, web};
use serde_json::json;

use super::communities::{db, require_member_node};
use super::signed::require_signed_get;
use super::{ApError, ap_json};
use crate::federation::context::with_context;
use crate::federation::convert::actions::item_object;
use crate::state::AppState;

#[get("/actions/{id}")]
pub async fn action(state: web::Data<AppState>, req: HttpRequest) -> Result<HttpResponse, ApError> {
    let signer = require_signed_get(&state, &req).await?;
    let ap_id = format!("{}{}", state.urls.base(), req.path());
    let (item, comment) = match state.store.action_item_by_ap_id(&ap_id).await.map_err(db)? {
        Some(i) => (i, None),
        None => {
            let m = state
                .store
                .action_comment_by_ap_id(&ap_id)
                .await
                .map_err(db)?
                .ok_or(ApError::NotFound)?;
            let i = state
                .store
                .action_item_by_id(m.item_id)
                .await
                .map_err(db)?
                .ok_or(ApError::NotFound)?;
            (i, Some(m))
        }
    };
    let c = state
        .store
        .community_by_id(item.community_id)
        .await
        .map_err(db)?
        .ok_or(ApError::NotFound)?;
    if c.authority != signer.authority {
        require_member_node(&state, &c, &signer).await?;
    }
    let doc = match comment {
        None => item_object(&item, &c.ap_id),
        Some(m) => json!({
            "type": "Note", "id": m.ap_id, "attributedTo": m.attributed_to,
            "audience": c.ap_id, "to": [c.ap_id], "inReplyTo": item.ap_id,
            "content": m.content_html, "mediaType": "text/html",
        }),
    };
    Ok(ap_json(with_context(doc)))
}
