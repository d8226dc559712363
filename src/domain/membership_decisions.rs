//! What animateurs decide about members, on the community's host: approve or refuse a
//! request, invite an agent of any approved node, ban a member, name an animateur.

use serde_json::json;

use super::accounts::Account;
use super::communities::{group_of, require_animateur, unreachable};
use super::error::{DomainError, DomainResult};
use super::memberships::answer_follow;
use super::notifications::{self, kind};
use crate::db::{ActorRow, CommunityRow};
use crate::federation::convert::to_as::activity;
use crate::federation::fetch::FetchBudget;
use crate::federation::{outbox, remote};
use crate::state::AppState;

/// An animateur approves or refuses a pending request.
pub async fn decide(
    state: &AppState,
    animateur: &Account,
    c: &CommunityRow,
    member_ap_id: &str,
    approve: bool,
) -> DomainResult<()> {
    require_animateur(state, c, animateur).await?;
    let who = state
        .store
        .actor_by_ap_id(member_ap_id)
        .await?
        .ok_or(DomainError::NotFound("request"))?;
    let m = state
        .store
        .membership(c.id, who.id)
        .await?
        .filter(|m| m.state == "pending")
        .ok_or(DomainError::NotFound("request"))?;
    let follow_id = m.follow_ap_id.clone().unwrap_or_default();
    let group = group_of(state, c).await?;
    if approve {
        state
            .store
            .set_membership(m.id, "member", "accepted")
            .await?;
        answer_follow(state, &group, &who, &follow_id, "Accept").await?;
    } else {
        state.store.delete_membership(m.id).await?;
        answer_follow(state, &group, &who, &follow_id, "Reject").await?;
    }
    let what = if approve {
        kind::ACCEPTED
    } else {
        kind::REJECTED
    };
    notifications::send(state, who.id, what, &group.ap_id, Some(c.id), None).await;
    Ok(())
}

/// An animateur invites an agent (`user@authority`); the agent then joins as usual and the
/// host accepts at once, whatever the join mode.
pub async fn invite(
    state: &AppState,
    animateur: &Account,
    c: &CommunityRow,
    handle: &str,
) -> DomainResult<ActorRow> {
    require_animateur(state, c, animateur).await?;
    let who = remote::resolve(state, handle, &FetchBudget::default())
        .await
        .map_err(unreachable)?;
    if let Some(m) = state.store.membership(c.id, who.id).await?
        && matches!(m.state.as_str(), "accepted" | "banned")
    {
        return Err(DomainError::Conflict(
            "this agent is already a member or banned".into(),
        ));
    }
    state
        .store
        .upsert_membership(c.id, who.id, "member", "invited", None, "")
        .await?;
    let group = group_of(state, c).await?;
    notifications::send(state, who.id, kind::INVITED, &group.ap_id, Some(c.id), None).await;
    if who.is_local == 0 {
        let invite = activity(
            "Invite",
            &state.urls.new_activity(),
            &group.ap_id,
            json!(group.ap_id),
            &[&who.ap_id],
        );
        let mut invite = invite;
        invite["target"] = json!(who.ap_id);
        outbox::send(state, &group, &invite, std::slice::from_ref(&who))
            .await
            .map_err(unreachable)?;
    }
    Ok(who)
}

/// An animateur bans a member: removed, refused from now on, told by a Reject.
pub async fn ban(
    state: &AppState,
    animateur: &Account,
    c: &CommunityRow,
    member_ap_id: &str,
) -> DomainResult<()> {
    let mine = require_animateur(state, c, animateur).await?;
    let who = state
        .store
        .actor_by_ap_id(member_ap_id)
        .await?
        .ok_or(DomainError::NotFound("member"))?;
    if who.id == mine.actor_id {
        return Err(DomainError::Conflict("one cannot ban oneself".into()));
    }
    let m = state
        .store
        .upsert_membership(c.id, who.id, "member", "banned", None, "")
        .await?;
    let group = group_of(state, c).await?;
    let follow = m.follow_ap_id.unwrap_or_else(|| state.urls.new_activity());
    answer_follow(state, &group, &who, &follow, "Reject").await
}

/// Role changes by the owner or an animateur: make a member animateur, or back.
pub async fn set_role(
    state: &AppState,
    animateur: &Account,
    c: &CommunityRow,
    member_ap_id: &str,
    animateur_role: bool,
) -> DomainResult<()> {
    require_animateur(state, c, animateur).await?;
    let who = state
        .store
        .actor_by_ap_id(member_ap_id)
        .await?
        .ok_or(DomainError::NotFound("member"))?;
    let m = state
        .store
        .membership(c.id, who.id)
        .await?
        .filter(|m| m.state == "accepted" && m.role != "owner")
        .ok_or(DomainError::NotFound("member"))?;
    let role = if animateur_role {
        "animateur"
    } else {
        "member"
    };
    Ok(state.store.set_membership(m.id, role, "accepted").await?)
}
