//! Memberships as they arrive in the inbox: a Follow or Undo of one of our groups (we host
//! it), and a group's Accept, Reject or Invite for one of our agents (we are a member's node).

use serde_json::Value;

use super::communities;
use super::memberships::admit;
use super::notifications::{self, kind};
use crate::db::ActorRow;
use crate::federation::convert::from_as::{id_of, str_field};
use crate::federation::fetch::FetchBudget;
use crate::federation::inbox::Activity;
use crate::federation::{FederationError, remote};
use crate::state::AppState;

/// Inbox: a Follow of one of our groups.
pub async fn on_follow(
    state: &AppState,
    a: &Activity,
    group: &ActorRow,
    budget: &FetchBudget,
) -> Result<(), FederationError> {
    let Some(c) = state.store.community_by_actor(group.id).await? else {
        return Ok(());
    };
    let who = remote::actor(state, &a.actor, budget).await?;
    if who.kind != "Person" {
        return Err(FederationError::Refused(
            "only persons join communities".into(),
        ));
    }
    let answer: String = str_field(&a.raw, "answer")
        .unwrap_or_default()
        .chars()
        .take(1000)
        .collect();
    admit(state, &c, &who, &a.id, &answer).await?;
    Ok(())
}

/// Inbox: a member leaves one of our groups.
pub async fn on_undo_follow(
    state: &AppState,
    a: &Activity,
    group: &ActorRow,
) -> Result<(), FederationError> {
    let (Some(c), Some(who)) = (
        state.store.community_by_actor(group.id).await?,
        state.store.actor_by_ap_id(&a.actor).await?,
    ) else {
        return Ok(());
    };
    if let Some(m) = state.store.membership(c.id, who.id).await?
        && m.state != "banned"
    {
        state.store.delete_membership(m.id).await?;
    }
    Ok(())
}

/// Inbox: a group answers one of our agents' Follow. Returns false when the Follow is not a
/// membership (a person follow, handled elsewhere).
pub async fn on_answer(state: &AppState, a: &Activity) -> Result<bool, FederationError> {
    let follow_id = id_of(&a.object).unwrap_or_default();
    let Some(m) = state.store.membership_by_follow(follow_id).await? else {
        return Ok(false);
    };
    let c = state
        .store
        .community_by_id(m.community_id)
        .await?
        .ok_or_else(|| FederationError::Malformed("community".into()))?;
    if c.ap_id != a.actor {
        return Err(FederationError::OriginMismatch(
            "only the group may answer a request to join it".into(),
        ));
    }
    let accepted = a.kind == "Accept";
    if accepted {
        state
            .store
            .set_membership(m.id, &m.role, "accepted")
            .await?;
    } else {
        state.store.delete_membership(m.id).await?;
    }
    let what = if accepted {
        kind::ACCEPTED
    } else {
        kind::REJECTED
    };
    notifications::send(state, m.actor_id, what, &c.ap_id, Some(c.id), None).await;
    Ok(true)
}

/// Inbox: a group invites one of our agents.
pub async fn on_invite(
    state: &AppState,
    a: &Activity,
    budget: &FetchBudget,
) -> Result<(), FederationError> {
    let target = a.raw.get("target").and_then(id_of).unwrap_or_default();
    let Some(who) = state
        .store
        .actor_by_ap_id(target)
        .await?
        .filter(|w| w.is_local == 1 && w.kind == "Person")
    else {
        return Ok(());
    };
    let group = remote::actor(state, &a.actor, budget).await?;
    if group.kind != "Group" {
        return Ok(());
    }
    let doc: Value = crate::federation::fetch::fetch_json(state, &group.ap_id, budget).await?;
    let profile = crate::federation::remote::group_profile(&doc);
    let c = communities::cache_remote(state, &group, &profile).await?;
    if state.store.membership(c.id, who.id).await?.is_none() {
        state
            .store
            .upsert_membership(c.id, who.id, "member", "invited", None, "")
            .await?;
    }
    notifications::send(state, who.id, kind::INVITED, &group.ap_id, Some(c.id), None).await;
    Ok(())
}
