//! Joining and leaving communities per FEP-1b12: joining is a `Follow` of the group, which
//! the host `Accept`s at once (open), after an animateur's approval (on request), or only for
//! invited agents (by invitation). Leaving is an `Undo`; a ban removes and refuses.

use serde_json::{Value, json};

use super::accounts::Account;
use super::communities::{self, group_of, require_animateur, unreachable};
use super::error::{DomainError, DomainResult};
use super::names;
use super::notifications::{self, kind};
use crate::db::{ActorRow, CommunityRow, MembershipRow};
use crate::federation::convert::from_as::{id_of, str_field};
use crate::federation::convert::to_as::activity;
use crate::federation::fetch::FetchBudget;
use crate::federation::inbox::Activity;
use crate::federation::{FederationError, outbox, remote};
use crate::state::AppState;

async fn me(state: &AppState, account: &Account) -> DomainResult<ActorRow> {
    state
        .store
        .actor_by_id(account.actor_id)
        .await?
        .ok_or(DomainError::NotFound("actor"))
}

/// Asks to join. Returns the membership as this node knows it: `accepted` at once for a
/// local open community, `pending` while a remote host has not answered.
pub async fn join(
    state: &AppState,
    account: &Account,
    c: &CommunityRow,
    answer: &str,
) -> DomainResult<MembershipRow> {
    let answer = names::text("answer", answer, 1000)?;
    let me = me(state, account).await?;
    if let Some(m) = state.store.membership(c.id, me.id).await? {
        match m.state.as_str() {
            "banned" => {
                return Err(DomainError::Forbidden(
                    "you were banned from this community",
                ));
            }
            "accepted" => return Ok(m),
            _ => {}
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
        .upsert_membership(c.id, me.id, "member", "pending", Some(&follow_id), &answer)
        .await?;
    let group = group_of(state, c).await?;
    let mut follow = activity(
        "Follow",
        &follow_id,
        &me.ap_id,
        json!(group.ap_id),
        &[&group.ap_id],
    );
    if !answer.is_empty() {
        follow["answer"] = json!(answer);
    }
    outbox::send(state, &me, &follow, std::slice::from_ref(&group))
        .await
        .map_err(unreachable)?;
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
/// membership and answers a remote follower.
async fn admit(
    state: &AppState,
    c: &CommunityRow,
    who: &ActorRow,
    follow_id: &str,
    answer: &str,
) -> DomainResult<Admission> {
    let existing = state.store.membership(c.id, who.id).await?;
    let role = existing
        .as_ref()
        .map_or("member", |m| m.role.as_str())
        .to_owned();
    let decision = match existing.as_ref().map(|m| m.state.as_str()) {
        Some("banned") => Admission::Refused,
        Some("accepted") | Some("invited") => Admission::Accepted,
        _ => match c.join_mode.as_str() {
            "open" => Admission::Accepted,
            "request" => Admission::Pending,
            _ => Admission::Refused,
        },
    };
    let group = group_of(state, c).await?;
    match decision {
        Admission::Accepted => {
            state
                .store
                .upsert_membership(c.id, who.id, &role, "accepted", Some(follow_id), answer)
                .await?;
            answer_follow(state, &group, who, follow_id, "Accept").await?;
        }
        Admission::Pending => {
            state
                .store
                .upsert_membership(c.id, who.id, "member", "pending", Some(follow_id), answer)
                .await?;
            for a in state.store.members(c.id, "accepted").await? {
                if matches!(a.role.as_str(), "owner" | "animateur") {
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
        Admission::Refused => answer_follow(state, &group, who, follow_id, "Reject").await?,
    }
    Ok(decision)
}

/// Sends the group's Accept or Reject of a Follow to a remote follower.
async fn answer_follow(
    state: &AppState,
    group: &ActorRow,
    who: &ActorRow,
    follow_id: &str,
    answer: &str,
) -> DomainResult<()> {
    if who.is_local == 1 {
        return Ok(());
    }
    let doc = activity(
        answer,
        &state.urls.new_activity(),
        &group.ap_id,
        json!({"type": "Follow", "id": follow_id, "actor": who.ap_id, "object": group.ap_id}),
        &[&who.ap_id],
    );
    outbox::send(state, group, &doc, std::slice::from_ref(who))
        .await
        .map_err(unreachable)?;
    Ok(())
}

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

/// Leaves a community (an owner cannot: the community would have no one to run it).
pub async fn leave(state: &AppState, account: &Account, c: &CommunityRow) -> DomainResult<()> {
    let me = me(state, account).await?;
    let m = state
        .store
        .membership(c.id, me.id)
        .await?
        .ok_or(DomainError::NotFound("membership"))?;
    if m.role == "owner" && c.is_local == 1 {
        return Err(DomainError::Conflict(
            "the owner cannot leave the community".into(),
        ));
    }
    if m.state == "banned" {
        return Err(DomainError::Forbidden(
            "you were banned from this community",
        ));
    }
    state.store.delete_membership(m.id).await?;
    if c.is_local == 0 {
        let group = group_of(state, c).await?;
        let undo = activity(
            "Undo",
            &state.urls.new_activity(),
            &me.ap_id,
            json!({"type": "Follow", "id": m.follow_ap_id, "actor": me.ap_id, "object": group.ap_id}),
            &[&group.ap_id],
        );
        outbox::send(state, &me, &undo, std::slice::from_ref(&group))
            .await
            .map_err(unreachable)?;
    }
    Ok(())
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
    let c = communities::cache_remote(state, &group, &doc).await?;
    if state.store.membership(c.id, who.id).await?.is_none() {
        state
            .store
            .upsert_membership(c.id, who.id, "member", "invited", None, "")
            .await?;
    }
    notifications::send(state, who.id, kind::INVITED, &group.ap_id, Some(c.id), None).await;
    Ok(())
}
