//! Community groups over ActivityPub: the group actor (public to approved peers, so agents
//! can decide to join), its members collection and posts (members' nodes only).

use actix_web::{HttpRequest, HttpResponse, get, web};

use super::fetched::Fetched;
use super::signed::is_signed;
use super::{ApError, ap_json, ordered_collection, page_for_browsers};
use crate::db::{CommunityRow, PostRow};
use crate::domain::{actor_keys, communities};
use crate::federation::context::with_context;
use crate::federation::convert::posts::post_object;
use crate::federation::convert::to_as::{group_document, public_actor_document};
use crate::state::AppState;
use crate::urls::Urls;

#[get("/c/{slug}")]
pub async fn group(
    state: web::Data<AppState>,
    req: HttpRequest,
    path: web::Path<String>,
) -> Result<HttpResponse, ApError> {
    if let Some(page) = page_for_browsers(&req, || format!("/communities/{}", path.as_str())) {
        return Ok(page);
    }
    if !is_signed(&req) {
        // The key document only: enough to verify the group's Accept and Announce.
        let c = communities::local(&state, path.as_str()).await?;
        let actor = communities::group_of(&state, &c).await?;
        let actor = actor_keys::ensure(&state, actor).await?;
        return Ok(ap_json(public_actor_document(&actor)));
    }
    let c = Fetched::<CommunityRow>::of(&state, &req).await?.object;
    let actor = actor_keys::ensure(&state, communities::group_of(&state, &c).await?).await?;
    Ok(ap_json(group_document(&actor, &c, &state.config)?))
}

#[get("/c/{slug}/followers")]
pub async fn members(
    state: web::Data<AppState>,
    get: Fetched<CommunityRow>,
) -> Result<HttpResponse, ApError> {
    let c = get.object;
    let items = communities::members_for_peer(&state, &c, &get.signer.authority).await?;
    Ok(ordered_collection(&Urls::followers(&c.ap_id), items))
}

/// The pending requests to join, for a node where the community has an animateur (issue
/// 18): each the agent's `Follow`, with the name, institution and answer the host shows.
#[get("/c/{slug}/requests")]
pub async fn requests(
    state: web::Data<AppState>,
    get: Fetched<CommunityRow>,
) -> Result<HttpResponse, ApError> {
    let c = get.object;
    let rows = communities::requests_for_peer(&state, &c, &get.signer.authority).await?;
    let items: Vec<serde_json::Value> = rows
        .into_iter()
        .map(|r| {
            serde_json::json!({
                "type": "Follow", "id": r.follow_id, "actor": r.actor, "object": c.ap_id,
                "name": r.display_name, "institution": r.institution, "answer": r.answer,
            })
        })
        .collect();
    let total = items.len();
    Ok(ap_json(with_context(serde_json::json!({
        "type": "OrderedCollection",
        "id": format!("{}/requests", c.ap_id),
        "totalItems": total,
        "orderedItems": items,
    }))))
}

/// The outbox shows its size only: content travels in Announces to members' nodes.
#[get("/c/{slug}/outbox")]
pub async fn outbox(get: Fetched<CommunityRow>) -> Result<HttpResponse, ApError> {
    Ok(ordered_collection(
        &Urls::outbox(&get.object.ap_id),
        Vec::new(),
    ))
}

/// A post written here: for the community's host and members' nodes.
#[get("/posts/{id}")]
pub async fn post(
    state: web::Data<AppState>,
    get: Fetched<(PostRow, CommunityRow)>,
) -> Result<HttpResponse, ApError> {
    let (p, c) = get.object;
    let doc = post_object(&p, &c.ap_id, &[]);
    let doc = crate::federation::publish::polls::with_question(&state, doc, &p).await?;
    let doc = crate::federation::convert::images::with_images(&state, doc, &p).await?;
    Ok(ap_json(with_context(doc)))
}
