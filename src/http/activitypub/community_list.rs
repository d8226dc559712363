//! The communities hosted here as a collection for approved peers: each group's document,
//! as `/c/{slug}` serves it, so that their agents find a community by its name.

use actix_web::{HttpResponse, get, web};

use super::fetched::Fetched;
use super::{ApError, ap_json};
use crate::federation::convert::{to_as, to_as::group_document};
use crate::state::AppState;

#[get("/federation/communities")]
pub async fn collection(
    state: web::Data<AppState>,
    _: Fetched<()>,
) -> Result<HttpResponse, ApError> {
    let id = format!("{}/federation/communities", state.urls.base());
    let mut items = Vec::new();
    for c in state
        .store
        .list_communities()
        .await
        .map_err(crate::domain::DomainError::from)?
    {
        if c.is_local != 1 {
            continue;
        }
        if let Some(actor) = state
            .store
            .actor_by_id(c.actor_id)
            .await
            .map_err(crate::domain::DomainError::from)?
        {
            let actor = crate::domain::actor_keys::ensure(&state, actor).await?;
            items.push(group_document(&actor, &c, &state.config)?);
        }
    }
    let mut doc = to_as::collection(&id, None, items.len());
    doc["orderedItems"] = serde_json::Value::Array(items);
    Ok(ap_json(doc))
}
