//! What animateurs decide about members, on the community's host: approve or refuse a
//! request, invite an agent of any approved node, ban a member, name an animateur; and an
//! invitation as a member's node receives it.

use super::Ctx;
use super::accounts::Account;
use super::changes::{Change, MembershipChange};
use super::communities::{group_of, require_animateur};
use super::error::{DomainError, DomainResult};
use super::membership_state::{MembershipState, Role};
use super::memberships::tell;
use super::notifications::{self, kind};
use crate::db::{ActorRow, CommunityRow};

/// An animateur approves or refuses a pending request.
pub async fn decide(
    state: &Ctx,
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
        .filter(|m| MembershipState::of(m) == MembershipState::Pending)
        .ok_or(DomainError::NotFound("request"))?;
    apply_decision(state, c, &who, &m, approve).await
}

/// Approves or refuses the pending request `m` of `who`: stored, told to the agent's node,
/// the agent notified.
async fn apply_decision(
    state: &Ctx,
    c: &CommunityRow,
    who: &ActorRow,
    m: &crate::db::MembershipRow,
    approve: bool,
) -> DomainResult<()> {
    let follow_id = m.follow_ap_id.clone().unwrap_or_default();
    let group = group_of(state, c).await?;
    if approve {
        state
            .store
            .set_membership(
                m.id,
                Role::Member.as_str(),
                MembershipState::Accepted.as_str(),
            )
            .await?;
    } else {
        state.store.delete_membership(m.id).await?;
    }
    tell(state, c, who, &follow_id, approve).await?;
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
    state: &Ctx,
    animateur: &Account,
    c: &CommunityRow,
    handle: &str,
) -> DomainResult<ActorRow> {
    require_animateur(state, c, animateur).await?;
    let who = state.remote.resolve(state, handle).await?;
    if let Some(m) = state.store.membership(c.id, who.id).await?
        && matches!(
            MembershipState::of(&m),
            MembershipState::Accepted | MembershipState::Banned
        )
    {
        return Err(DomainError::Conflict(
            "this agent is already a member or banned".into(),
        ));
    }
    state
        .store
        .upsert_membership(
            c.id,
            who.id,
            Role::Member.as_str(),
            MembershipState::Invited.as_str(),
            None,
            "",
        )
        .await?;
    let group = group_of(state, c).await?;
    notifications::send(state, who.id, kind::INVITED, &group.ap_id, Some(c.id), None).await;
    if who.is_local == 0 {
        let change = MembershipChange::Invited {
            group,
            member: who.clone(),
        };
        state
            .publisher
            .publish(state, Change::Membership(change))
            .await?;
    }
    Ok(who)
}

/// On a member's node: the group of community `c` (cached) invites `who_ap_id`, one of our
/// agents, who is notified. An agent who already has a membership keeps it.
pub async fn invitation_received(
    state: &Ctx,
    c: &CommunityRow,
    who_ap_id: &str,
) -> DomainResult<()> {
    let Some(who) = state
        .store
        .actor_by_ap_id(who_ap_id)
        .await?
        .filter(|w| w.is_local == 1 && w.kind == "Person")
    else {
        return Ok(());
    };
    if state.store.membership(c.id, who.id).await?.is_none() {
        state
            .store
            .upsert_membership(
                c.id,
                who.id,
                Role::Member.as_str(),
                MembershipState::Invited.as_str(),
                None,
                "",
            )
            .await?;
    }
    notifications::send(state, who.id, kind::INVITED, &c.ap_id, Some(c.id), None).await;
    Ok(())
}

/// An animateur bans a member: removed, refused from now on, told by a Reject.
pub async fn ban(
    state: &Ctx,
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
    // A community is never left without its owner, and animateurs answer to the owner only.
    if let Some(theirs) = state.store.membership(c.id, who.id).await? {
        match Role::of(&theirs) {
            Role::Owner => {
                return Err(DomainError::Forbidden(
                    "the owner of a community cannot be banned",
                ));
            }
            Role::Animateur if Role::of(&mine) != Role::Owner => {
                return Err(DomainError::Forbidden("only the owner bans an animateur"));
            }
            _ => {}
        }
    }
    let m = state
        .store
        .upsert_membership(
            c.id,
            who.id,
            Role::Member.as_str(),
            MembershipState::Banned.as_str(),
            None,
            "",
        )
        .await?;
    let follow = m.follow_ap_id.unwrap_or_else(|| state.urls.new_activity());
    tell(state, c, &who, &follow, false).await
}

/// Role changes by the owner or an animateur: make a member animateur, or back.
pub async fn set_role(
    state: &Ctx,
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
        .filter(|m| {
            MembershipState::of(m) == MembershipState::Accepted && Role::of(m) != Role::Owner
        })
        .ok_or(DomainError::NotFound("member"))?;
    let role = if animateur_role {
        Role::Animateur
    } else {
        Role::Member
    };
    state
        .store
        .set_membership(m.id, role.as_str(), MembershipState::Accepted.as_str())
        .await?;
    if who.is_local == 0 {
        // Her own node offers her the animateurs' buttons once it knows (issue 18).
        let change = MembershipChange::RoleSet {
            group: group_of(state, c).await?,
            member: who,
            animateur: animateur_role,
        };
        state
            .publisher
            .publish(state, Change::Membership(change))
            .await?;
    }
    Ok(())
}

/// On a member's node: the group of community `c` (cached) names one of our agents
/// animateur, or takes the role back; the owner stays owner.
pub async fn role_received(
    state: &Ctx,
    c: &CommunityRow,
    who_ap_id: &str,
    animateur: bool,
) -> DomainResult<()> {
    let Some(who) = state
        .store
        .actor_by_ap_id(who_ap_id)
        .await?
        .filter(|w| w.is_local == 1 && w.kind == "Person")
    else {
        return Err(DomainError::NotFound("member"));
    };
    // The group's Accept of her request may still be on its way (deliveries are not
    // ordered): the role is kept on a pending membership too, and the Accept keeps it.
    let m = state
        .store
        .membership(c.id, who.id)
        .await?
        .filter(|m| {
            matches!(
                MembershipState::of(m),
                MembershipState::Accepted | MembershipState::Pending
            )
        })
        .ok_or(DomainError::NotFound("member"))?;
    let role = if animateur {
        Role::Animateur
    } else {
        Role::Member
    };
    if Role::of(&m) != Role::Owner {
        state
            .store
            .set_membership(m.id, role.as_str(), &m.state)
            .await?;
    }
    Ok(())
}

/// Issue 18, on an animateur's own node: she answers a request to join a community hosted
/// elsewhere. Her node sends her decision to the host, which checks her role and decides;
/// the request is the agent's `Follow` (`follow_id`), as the host listed it.
pub async fn propose_decision(
    state: &Ctx,
    animateur: &Account,
    c: &CommunityRow,
    follow_id: &str,
    approve: bool,
) -> DomainResult<()> {
    if c.is_local == 1 {
        return Err(DomainError::Conflict(
            "requests to a community hosted here are answered here".into(),
        ));
    }
    super::communities::require_coanimateur(state, c, animateur).await?;
    if !follow_id.starts_with("https://") && !follow_id.starts_with("http://") {
        return Err(DomainError::NotFound("request"));
    }
    let me = state
        .store
        .actor_by_id(animateur.actor_id)
        .await?
        .ok_or(DomainError::NotFound("agent"))?;
    let change = MembershipChange::DecisionProposed {
        group: group_of(state, c).await?,
        animateur: me,
        follow_id: follow_id.to_owned(),
        approve,
    };
    state
        .publisher
        .publish(state, Change::Membership(change))
        .await
}

/// On the host: an animateur of another node answers the request `follow_id` to join `c`.
/// Her role is checked here, then the request is decided as if she had clicked on the host.
pub async fn receive_decision(
    state: &Ctx,
    c: &CommunityRow,
    animateur: &ActorRow,
    follow_id: &str,
    approve: bool,
) -> DomainResult<()> {
    super::communities::require_animateur_actor(state, c, animateur).await?;
    let m = state
        .store
        .membership_by_follow(follow_id)
        .await?
        .filter(|m| m.community_id == c.id && MembershipState::of(m) == MembershipState::Pending)
        .ok_or(DomainError::NotFound("request"))?;
    let who = state
        .store
        .actor_by_id(m.actor_id)
        .await?
        .ok_or(DomainError::NotFound("request"))?;
    apply_decision(state, c, &who, &m, approve).await
}
