//! Memberships as they arrive: a Follow or Undo of one of our groups (we host it), and a
//! group's Accept, Reject or Invite for one of our agents (we are a member's node). Issue 18:
//! a remote animateur's Accept or Reject of a request (we host the group), and the group's
//! `Add`/`Remove` naming one of our agents animateur (we are her node).

use serde_json::Value;

use super::Activity;
use crate::db::{ActorRow, MembershipRow};
use crate::domain::{communities, memberships};
use crate::federation::convert::from_as::{id_of, str_field};
use crate::federation::fetch::{FetchBudget, fetch_json};
use crate::federation::{FederationError, remote};
use crate::state::AppState;

/// A Follow of one of our groups: a request to join, with the answer to its question.
pub async fn on_follow(
    state: &AppState,
    a: &Activity,
    group: &ActorRow,
    budget: &FetchBudget,
) -> Result<(), FederationError> {
    if state.store.community_by_actor(group.id).await?.is_none() {
        return Ok(());
    }
    let who = remote::actor(state, &a.actor, budget).await?;
    let answer = str_field(&a.raw, "answer").unwrap_or_default();
    memberships::request_received(state, group, &who, &a.id, answer).await?;
    Ok(())
}

/// A member leaves one of our groups.
pub async fn on_undo_follow(
    state: &AppState,
    a: &Activity,
    group: &ActorRow,
) -> Result<(), FederationError> {
    Ok(memberships::withdrawn(state, group, &a.actor).await?)
}

/// A group answers one of our agents' Follows (`m`, found by the classification).
pub async fn on_answer(
    state: &AppState,
    a: &Activity,
    m: &MembershipRow,
) -> Result<(), FederationError> {
    Ok(memberships::answered(state, m, &a.actor, a.kind == "Accept").await?)
}

/// A group invites one of our agents: the group's community is cached from its own document.
pub async fn on_invite(
    state: &AppState,
    a: &Activity,
    budget: &FetchBudget,
) -> Result<(), FederationError> {
    let target = a.raw.get("target").and_then(id_of).unwrap_or_default();
    // Spare the fetches when the invitation is for no agent of ours.
    if !state
        .store
        .actor_by_ap_id(target)
        .await?
        .is_some_and(|w| w.is_local == 1 && w.kind == "Person")
    {
        return Ok(());
    }
    let group = remote::actor(state, &a.actor, budget).await?;
    if group.kind != "Group" {
        return Ok(());
    }
    let doc: Value = fetch_json(state, &group.ap_id, budget).await?;
    let profile = remote::group_profile(&doc);
    let c = communities::cache_remote(state, &group, &profile).await?;
    Ok(memberships::invitation_received(state, &c, target).await?)
}

/// Inbox of the host (issue 18): an agent of another node answers the pending request `m` to
/// join one of our communities. The domain checks that she is one of its animateurs.
pub async fn on_animateur_decision(
    state: &AppState,
    a: &Activity,
    m: &MembershipRow,
) -> Result<(), FederationError> {
    let c = state
        .store
        .community_by_id(m.community_id)
        .await?
        .ok_or_else(|| FederationError::NotHeld("community".into()))?;
    let who = state
        .store
        .actor_by_ap_id(&a.actor)
        .await?
        .ok_or_else(|| FederationError::Refused("not an animateur of this community".into()))?;
    let follow = m.follow_ap_id.as_deref().unwrap_or_default();
    Ok(memberships::receive_decision(state, &c, &who, follow, a.kind == "Accept").await?)
}

/// Inbox of a member's node (issue 18): a group we know names one of our agents animateur
/// (`Add` to its moderators) or takes the role back (`Remove`). Only the group itself may.
pub async fn on_role(state: &AppState, a: &Activity) -> Result<(), FederationError> {
    let target = a.raw.get("target").and_then(id_of).unwrap_or_default();
    if target != format!("{}/moderators", a.actor) {
        return Ok(());
    }
    let Some(c) = state.store.community_by_ap_id(&a.actor).await? else {
        return Ok(());
    };
    if c.is_local == 1 {
        return Err(FederationError::OriginMismatch(
            "a group hosted here is not named by another node".into(),
        ));
    }
    let who = id_of(&a.object).unwrap_or_default();
    Ok(memberships::role_received(state, &c, who, a.kind == "Add").await?)
}
