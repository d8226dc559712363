//! Joining and leaving communities per FEP-1b12: joining is a `Follow` of the group, which
//! the host `Accept`s at once (open), after an animateur's approval (on request), or only for
//! invited agents (by invitation). Leaving is an `Undo`; a ban removes and refuses.

use super::Ctx;
use super::accounts::Account;
use super::accounts::actor_of as me;
use super::changes::{Change, MembershipChange};
use super::communities::{JoinMode, group_of};
use super::error::{DomainError, DomainResult};
use super::names;
use super::notifications::{self, kind};
use crate::db::{ActorRow, CommunityRow, MembershipRow};

pub use super::membership_decisions::{
    ban, decide, invitation_received, invite, propose_decision, receive_decision, role_received,
    set_role,
};
pub use super::membership_state::{MembershipState, Role};

/// Asks to join. Returns the membership as this node knows it: `accepted` at once for a
/// local open community, `pending` while a remote host has not answered.
pub async fn join(
    state: &Ctx,
    account: &Account,
    c: &CommunityRow,
    answer: &str,
) -> DomainResult<MembershipRow> {
    let answer = names::text("answer", answer, 1000)?;
    let me = me(state, account).await?;
    if let Some(m) = state.store.membership(c.id, me.id).await? {
        match MembershipState::of(&m) {
            MembershipState::Banned => {
                return Err(DomainError::Forbidden(
                    "you were banned from this community",
                ));
            }
            MembershipState::Accepted => return Ok(m),
            MembershipState::Pending | MembershipState::Invited => {}
        }
    }
    let follow_id = state.urls.new_activity();
    if c.is_local == 1 {
        let state_now = admit(state, c, &me, &follow_id, &answer).await?;
        return state
            .store
            .membership(c.id, me.id)
            .await?
            .ok_or(DomainError::Forbidden(match state_now {
                Admission::Refused => "this community is joined by invitation only",
                _ => "membership refused",
            }));
    }
    let m = state
        .store
        .upsert_membership(
            c.id,
            me.id,
            Role::Member.as_str(),
            MembershipState::Pending.as_str(),
            Some(&follow_id),
            &answer,
        )
        .await?;
    let change = MembershipChange::Requested {
        group: group_of(state, c).await?,
        member: me,
        follow_id,
        answer,
    };
    state
        .publisher
        .publish(state, Change::Membership(change))
        .await?;
    Ok(m)
}

/// What the host decided on a Follow.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Admission {
    Accepted,
    Pending,
    Refused,
}

/// The host's rule for a Follow of its group by `who` (local or remote): records the
/// membership and tells a remote follower the answer.
pub(crate) async fn admit(
    state: &Ctx,
    c: &CommunityRow,
    who: &ActorRow,
    follow_id: &str,
    answer: &str,
) -> DomainResult<Admission> {
    let existing = state.store.membership(c.id, who.id).await?;
    let role = existing.as_ref().map_or(Role::Member, Role::of);
    let decision = match existing.as_ref().map(MembershipState::of) {
        Some(MembershipState::Banned) => Admission::Refused,
        Some(MembershipState::Accepted | MembershipState::Invited) => Admission::Accepted,
        _ => match JoinMode::parse(&c.join_mode) {
            Ok(JoinMode::Open) => Admission::Accepted,
            Ok(JoinMode::Request) => Admission::Pending,
            Ok(JoinMode::Invitation) | Err(_) => Admission::Refused,
        },
    };
    match decision {
        Admission::Accepted => {
            state
                .store
                .upsert_membership(
                    c.id,
                    who.id,
                    role.as_str(),
                    MembershipState::Accepted.as_str(),
                    Some(follow_id),
                    answer,
                )
                .await?;
            tell(state, c, who, follow_id, true).await?;
        }
        Admission::Pending => {
            state
                .store
                .upsert_membership(
                    c.id,
                    who.id,
                    Role::Member.as_str(),
                    MembershipState::Pending.as_str(),
                    Some(follow_id),
                    answer,
                )
                .await?;
            for a in state.store.members(c.id, "accepted").await? {
                if Role::parse(&a.role).runs_community() {
                    notifications::send(
                        state,
                        a.actor_id,
                        kind::REQUEST,
                        &who.ap_id,
                        Some(c.id),
                        None,
                    )
                    .await;
                }
            }
        }
        Admission::Refused => tell(state, c, who, follow_id, false).await?,
    }
    Ok(decision)
}

/// Tells a remote agent the host's answer to its Follow (an agent of this node sees it).
pub(crate) async fn tell(
    state: &Ctx,
    c: &CommunityRow,
    who: &ActorRow,
    follow_id: &str,
    accepted: bool,
) -> DomainResult<()> {
    if who.is_local == 1 {
        return Ok(());
    }
    let (group, member, follow_id) = (group_of(state, c).await?, who.clone(), follow_id.into());
    let change = if accepted {
        MembershipChange::Admitted {
            group,
            member,
            follow_id,
        }
    } else {
        MembershipChange::Refused {
            group,
            member,
            follow_id,
        }
    };
    state
        .publisher
        .publish(state, Change::Membership(change))
        .await
}

/// Leaves a community (an owner cannot: the community would have no one to run it).
pub async fn leave(state: &Ctx, account: &Account, c: &CommunityRow) -> DomainResult<()> {
    let me = me(state, account).await?;
    let m = state
        .store
        .membership(c.id, me.id)
        .await?
        .ok_or(DomainError::NotFound("membership"))?;
    if Role::of(&m) == Role::Owner && c.is_local == 1 {
        return Err(DomainError::Conflict(
            "the owner cannot leave the community".into(),
        ));
    }
    if MembershipState::of(&m) == MembershipState::Banned {
        return Err(DomainError::Forbidden(
            "you were banned from this community",
        ));
    }
    state.store.delete_membership(m.id).await?;
    if c.is_local == 0 {
        let change = MembershipChange::Left {
            group: group_of(state, c).await?,
            member: me,
            follow_id: m.follow_ap_id,
        };
        state
            .publisher
            .publish(state, Change::Membership(change))
            .await?;
    }
    Ok(())
}

/// On the host: `who` (of another node) asks to join the community of `group`. Only persons
/// join; the answer to the community's question is kept to its first 1000 characters.
pub async fn request_received(
    state: &Ctx,
    group: &ActorRow,
    who: &ActorRow,
    follow_id: &str,
    answer: &str,
) -> DomainResult<Admission> {
    let Some(c) = state.store.community_by_actor(group.id).await? else {
        return Ok(Admission::Refused);
    };
    if who.kind != "Person" {
        return Err(DomainError::Forbidden("only persons join communities"));
    }
    let answer: String = answer.chars().take(1000).collect();
    admit(state, &c, who, follow_id, &answer).await
}

/// On the host: a member of another node leaves. A ban stays, so the agent cannot come back.
pub async fn withdrawn(state: &Ctx, group: &ActorRow, who_ap_id: &str) -> DomainResult<()> {
    let (Some(c), Some(who)) = (
        state.store.community_by_actor(group.id).await?,
        state.store.actor_by_ap_id(who_ap_id).await?,
    ) else {
        return Ok(());
    };
    if let Some(m) = state.store.membership(c.id, who.id).await?
        && MembershipState::of(&m) != MembershipState::Banned
    {
        state.store.delete_membership(m.id).await?;
    }
    Ok(())
}

/// On a member's node: the group answers one of our agents' requests to join. Only the
/// group may answer; the agent is notified either way.
pub async fn answered(
    state: &Ctx,
    m: &MembershipRow,
    answerer_ap_id: &str,
    accepted: bool,
) -> DomainResult<()> {
    let c = state
        .store
        .community_by_id(m.community_id)
        .await?
        .ok_or(DomainError::NotFound("community"))?;
    if c.ap_id != answerer_ap_id {
        return Err(DomainError::Forbidden(
            "only the group may answer a request to join it",
        ));
    }
    let what = if accepted {
        // The role as stored now: the group's `Add` naming her animateur may have arrived
        // first (issue 18).
        let role = state
            .store
            .membership(m.community_id, m.actor_id)
            .await?
            .map_or_else(|| m.role.clone(), |now| now.role);
        state
            .store
            .set_membership(m.id, &role, MembershipState::Accepted.as_str())
            .await?;
        kind::ACCEPTED
    } else {
        state.store.delete_membership(m.id).await?;
        kind::REJECTED
    };
    notifications::send(state, m.actor_id, what, &c.ap_id, Some(c.id), None).await;
    Ok(())
}
