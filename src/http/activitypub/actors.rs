//! Actor documents and their collections. The instance actor is public, a person's public
//! key document too (unsigned GET); everything else needs a signed GET from an approved peer
//! (authorized fetch). Browsers get the HTML page.

use actix_web::{HttpRequest, HttpResponse, get, web};

use super::fetched::{Fetched, Person};
use super::signed::is_signed;
use super::{ApError, ap_json, ordered_collection, page_for_browsers};
use crate::domain::{accounts, actor_keys, directory, follows, instance};
use crate::federation::convert::to_as::{actor_document, public_actor_document};
use crate::state::AppState;
use crate::urls::Urls;

#[get("/actor")]
pub async fn instance_actor(state: web::Data<AppState>) -> Result<HttpResponse, ApError> {
    let actor = actor_keys::ensure(&state, instance::ensure(&state).await?).await?;
    Ok(ap_json(actor_document(&actor, &state.config)?))
}

#[get("/users/{username}")]
pub async fn person(
    state: web::Data<AppState>,
    req: HttpRequest,
    path: web::Path<String>,
) -> Result<HttpResponse, ApError> {
    if let Some(page) = page_for_browsers(&req, || format!("/profiles/{}", path.as_str())) {
        return Ok(page);
    }
    if !is_signed(&req) {
        let actor = accounts::local_person(&state, path.as_str()).await?;
        // The first serving of an agent's key makes it.
        let actor = actor_keys::ensure(&state, actor).await?;
        return Ok(ap_json(public_actor_document(&actor)));
    }
    let Person(actor) = Fetched::<Person>::of(&state, &req).await?.object;
    let actor = actor_keys::ensure(&state, actor).await?;
    let mut doc = actor_document(&actor, &state.config)?;
    // Only what the agent shows the circle: the same fields as the directory's Update.
    let (entry, disabled) = directory::for_circle(&state, actor.id).await?;
    crate::federation::convert::directory::decorate(&mut doc, entry.as_ref(), disabled);
    Ok(ap_json(doc))
}

#[get("/users/{username}/followers")]
pub async fn followers(
    state: web::Data<AppState>,
    get: Fetched<Person>,
) -> Result<HttpResponse, ApError> {
    let Person(actor) = get.object;
    let items = follows::followers_of(&state, &actor).await?;
    Ok(ordered_collection(&Urls::followers(&actor.ap_id), items))
}

#[get("/users/{username}/following")]
pub async fn following(
    state: web::Data<AppState>,
    get: Fetched<Person>,
) -> Result<HttpResponse, ApError> {
    let Person(actor) = get.object;
    let items = follows::following_of(&state, &actor).await?;
    Ok(ordered_collection(&Urls::following(&actor.ap_id), items))
}

/// The outbox lists nothing: what agents write lives in communities, announced by them.
#[get("/users/{username}/outbox")]
pub async fn outbox(get: Fetched<Person>) -> Result<HttpResponse, ApError> {
    let Person(actor) = get.object;
    Ok(ordered_collection(&Urls::outbox(&actor.ap_id), Vec::new()))
}
