//! Follows between persons as they arrive: a remote agent follows or unfollows one of ours,
//! or answers one of our agents' follows.

use super::Activity;
use crate::domain::follows;
use crate::federation::FederationError;
use crate::federation::convert::from_as::id_of;
use crate::federation::fetch::FetchBudget;
use crate::federation::remote;

/// A remote actor follows one of our agents: accepted at once, answered with an Accept.
pub async fn on_follow(
    state: &crate::state::AppState,
    a: &Activity,
    budget: &FetchBudget,
) -> Result<(), FederationError> {
    let target = id_of(&a.object)
        .ok_or_else(|| FederationError::Malformed("Follow without object".into()))?;
    // Only a follow of a local person is stored; spare the fetch of the follower otherwise.
    if !state
        .store
        .actor_by_ap_id(target)
        .await?
        .is_some_and(|r| r.is_local == 1 && r.kind == "Person")
    {
        return Ok(());
    }
    let follower = remote::actor(state, &a.actor, budget).await?;
    Ok(follows::accept_incoming(state, &follower, target, &a.id).await?)
}

/// The followed agent accepts or rejects one of our agents' follows.
pub async fn on_answer(
    state: &crate::state::AppState,
    a: &Activity,
    accepted: bool,
) -> Result<(), FederationError> {
    let follow_id =
        id_of(&a.object).ok_or_else(|| FederationError::Malformed("no object".into()))?;
    Ok(follows::answered(state, follow_id, &a.actor, accepted).await?)
}

/// The follower withdraws its follow (`Undo{Follow}`).
pub async fn on_undo_follow(
    state: &crate::state::AppState,
    a: &Activity,
) -> Result<(), FederationError> {
    let follow_id = id_of(&a.object).unwrap_or_default();
    let target = a.object.get("object").and_then(id_of).unwrap_or_default();
    Ok(follows::withdrawn(state, &a.actor, follow_id, target).await?)
}
