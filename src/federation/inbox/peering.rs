//! The federation handshake between instance actors, as it arrives: a request
//! (`Follow` of our instance actor), an answer to ours (`Accept`/`Reject`), its end (`Undo` of
//! the request, `Block`). The decisions and their limits are `domain::peers`.

use super::Activity;
use crate::domain::peers::incoming::{self, IncomingRequest};
use crate::federation::convert::from_as::id_of;
use crate::federation::convert::peering;
use crate::federation::{FederationError, handshake};
use crate::state::AppState;

/// True when `a` is about our instance actor (its object, or the object of its object).
pub fn is_for_instance(state: &AppState, a: &Activity) -> bool {
    let ours = state.urls.instance_actor();
    id_of(&a.object) == Some(ours.as_str())
        || a.object.get("object").and_then(id_of) == Some(ours.as_str())
}

fn from_instance_actor(state: &AppState, a: &Activity) -> bool {
    a.actor == handshake::instance_actor_url(state, &a.authority)
}

/// A `Follow` of our instance actor: a federation request.
pub async fn on_request(state: &AppState, a: &Activity) -> Result<(), FederationError> {
    if !from_instance_actor(state, a) {
        return Err(FederationError::Refused(
            "only an instance actor may ask to federate".into(),
        ));
    }
    if incoming::approve_if_both_asked(state, &a.authority, &a.actor, &a.id).await? {
        return Ok(());
    }
    let claimed = peering::read_request(&a.raw);
    // What the admin can trust: the requester's own actor document, from its origin
    // (the inbox fetched it to verify the signature, but the actors cache keeps only
    // the name; requests are rare and bounded, so fetching it again is cheap).
    let doc = handshake::fetch_instance_actor_doc(state, &a.authority).await?;
    let (inst, kind) = peering::read_actor(&doc);
    incoming::store_request(
        state,
        &IncomingRequest {
            authority: &a.authority,
            actor_ap_id: &a.actor,
            request_ap_id: &a.id,
            claimed: &claimed,
            verified: (&inst, &kind),
        },
    )
    .await?;
    Ok(())
}

/// An `Accept` or `Reject` of our request (`answers_our_request`).
pub async fn on_answer(
    state: &AppState,
    a: &Activity,
    accepted: bool,
) -> Result<(), FederationError> {
    if !from_instance_actor(state, a) {
        return Err(FederationError::Refused(
            "only the instance actor answers a federation request".into(),
        ));
    }
    incoming::answer_received(state, &a.authority, accepted).await?;
    Ok(())
}

/// An `Undo` of their request or a `Block` of our instance actor: the federation ends (or
/// their request is withdrawn).
pub async fn on_end(state: &AppState, a: &Activity) -> Result<(), FederationError> {
    incoming::ended_by_peer(state, &a.authority, &a.kind).await?;
    Ok(())
}

/// Whether `a` (an `Accept` or `Reject`) answers the federation request we sent.
pub async fn answers_our_request(state: &AppState, a: &Activity) -> Result<bool, FederationError> {
    let Some(row) = state.store.peer(&a.authority).await? else {
        return Ok(false);
    };
    Ok(id_of(&a.object).is_some() && id_of(&a.object) == row.request_ap_id.as_deref())
}

/// Whether `a` (an `Undo` or `Block`) from an instance actor withdraws its request or ends
/// federation with us.
pub async fn ends_federation(state: &AppState, a: &Activity) -> Result<bool, FederationError> {
    if !from_instance_actor(state, a) {
        return Ok(false);
    }
    let Some(row) = state.store.peer(&a.authority).await? else {
        return Ok(is_for_instance(state, a));
    };
    let their_request =
        id_of(&a.object).is_some() && id_of(&a.object) == row.request_ap_id.as_deref();
    Ok(is_for_instance(state, a) || their_request)
}
