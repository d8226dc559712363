//! Registering for a session, as Mobilizon does it: the agent's node sends `Join{Event}` to
//! the group; the host gives a seat while there is one (`Accept`) or puts the agent on the
//! waiting list (no answer yet); `Leave` frees the seat for the first waiting agent, who gets
//! the `Accept` then. The host is the only judge of seats; members' nodes learn every change
//! from the group's `Update{Event}`, which lists participants.

use super::Ctx;
use super::accounts::Account;
use super::accounts::actor_of as me;
use super::changes::{Change, EventChange};
use super::communities::group_of;
use super::error::{DomainError, DomainResult};
use super::events::{self, kind};
use super::membership_state::MembershipState;
use super::notifications;
use crate::db::{CommunityRow, EventRow, now_ms};

fn open_for_registration(e: &EventRow) -> Result<(), &'static str> {
    if e.status == "cancelled" {
        return Err("this session is cancelled");
    }
    if e.ends_at <= now_ms() {
        return Err("this session is over");
    }
    Ok(())
}

/// Registers the agent. On the host the answer is immediate (`accepted` or `waiting`); from
/// a member's node it is `pending` until the group's answer comes back.
pub async fn join(state: &Ctx, account: &Account, id: i64) -> DomainResult<String> {
    let (e, c) = events::readable(state, account, id).await?;
    open_for_registration(&e).map_err(|m| DomainError::Conflict(m.into()))?;
    if state
        .store
        .participation(e.id, &account.actor)
        .await?
        .is_some()
    {
        return Err(DomainError::Conflict(
            "already registered for this session".into(),
        ));
    }
    if c.is_local == 1 {
        // `None`: a concurrent request registered the agent first (and told members' nodes).
        let st = register(state, &c, &e, &account.actor, None).await?;
        return Ok(st.unwrap_or_else(|| "accepted".into()));
    }
    let me = me(state, account).await?;
    let join_id = state.urls.new_activity();
    state
        .store
        .set_participation(e.id, &me.ap_id, "pending", Some(&join_id))
        .await?;
    let change = EventChange::JoinRequested {
        group: group_of(state, &c).await?,
        event: e,
        member: me,
        join_id,
    };
    state
        .publisher
        .publish(state, Change::Event(change))
        .await?;
    Ok("pending".into())
}

/// Unregisters the agent (or takes them off the waiting list).
pub async fn leave(state: &Ctx, account: &Account, id: i64) -> DomainResult<()> {
    let e = events::by_id(state, id).await?;
    let c = events::community_of(state, &e).await?;
    if !state.store.remove_participant(e.id, &account.actor).await? {
        return Err(DomainError::NotFound("registration"));
    }
    if c.is_local == 1 {
        return seat_freed(state, &c, &e).await;
    }
    let change = EventChange::Left {
        group: group_of(state, &c).await?,
        event: e,
        member: me(state, account).await?,
    };
    state.publisher.publish(state, Change::Event(change)).await
}

/// On the host, after a seat was freed: the waiting list moves up and members' nodes hear.
async fn seat_freed(state: &Ctx, c: &CommunityRow, e: &EventRow) -> DomainResult<()> {
    promote(state, c, e).await?;
    let e = events::by_id(state, e.id).await?;
    events::announce(state, c, &e, false).await
}

/// On the host: while seats are free, the first of the waiting list gets one, is notified
/// (here, or by their node) and receives the `Accept` of their Join.
pub(super) async fn promote(state: &Ctx, c: &CommunityRow, e: &EventRow) -> DomainResult<()> {
    if e.capacity.is_none() {
        return Ok(());
    }
    // Capacity is checked in the same statement that gives the seat: a registration landing
    // between a read and a write could otherwise overfill the session.
    while let Some(next) = state.store.promote_first_waiting(e.id).await? {
        notifications::send_to_ap_id(
            state,
            &next,
            kind::SEAT,
            &c.ap_id,
            Some(c.id),
            Some(&e.ap_id),
        )
        .await;
        let join = state.store.join_of(e.id, &next).await?;
        answer(state, c, &next, join, e, true).await?;
    }
    Ok(())
}

/// The group's answer to a remote agent's Join (an agent of this node sees it here).
async fn answer(
    state: &Ctx,
    c: &CommunityRow,
    who: &str,
    join_id: Option<String>,
    e: &EventRow,
    accepted: bool,
) -> DomainResult<()> {
    let Some(participant) = state.store.actor_by_ap_id(who).await? else {
        return Ok(());
    };
    if participant.is_local == 1 {
        return Ok(());
    }
    let change = EventChange::RegistrationAnswered {
        group: group_of(state, c).await?,
        event: e.clone(),
        participant,
        join_id,
        accepted,
    };
    state.publisher.publish(state, Change::Event(change)).await
}

/// The session `event_ap_id` hosted here, with its community.
async fn hosted(state: &Ctx, event_ap_id: &str) -> DomainResult<(EventRow, CommunityRow)> {
    const NONE: DomainError = DomainError::Forbidden("no such session here");
    let e = state
        .store
        .event_by_ap_id(event_ap_id)
        .await?
        .filter(|e| e.authority == state.config.authority)
        .ok_or(NONE)?;
    let c = state
        .store
        .community_by_id(e.community_id)
        .await?
        .ok_or(NONE)?;
    Ok((e, c))
}

/// On the host: `who` (an agent of another node) asks for a seat by the Join `join_id`.
/// Only members may register; a closed session is refused; a full one puts them on the
/// waiting list.
pub async fn registration_received(
    state: &Ctx,
    event_ap_id: &str,
    who: &str,
    join_id: &str,
) -> DomainResult<()> {
    let (e, c) = hosted(state, event_ap_id).await?;
    let member = match state.store.actor_by_ap_id(who).await? {
        Some(m) => state.store.membership(c.id, m.id).await?,
        None => None,
    };
    if member.is_none_or(|m| MembershipState::of(&m) != MembershipState::Accepted) {
        return Err(DomainError::Forbidden(
            "only the community's members may register",
        ));
    }
    if open_for_registration(&e).is_err() {
        return answer(state, &c, who, Some(join_id.into()), &e, false).await;
    }
    register(state, &c, &e, who, Some(join_id)).await.map(drop)
}

/// On the host: gives `who` a seat while there is one, else a waiting-list place; a remote
/// agent given a seat gets the `Accept` of its Join, and members' nodes the new list.
/// `None` when `who` was already registered.
async fn register(
    state: &Ctx,
    c: &CommunityRow,
    e: &EventRow,
    who: &str,
    join_id: Option<&str>,
) -> DomainResult<Option<String>> {
    let Some(st) = state.store.register_participant(e.id, who, join_id).await? else {
        return Ok(None);
    };
    if st == "accepted" {
        answer(state, c, who, join_id.map(Into::into), e, true).await?;
    }
    let e = events::by_id(state, e.id).await?;
    events::announce(state, c, &e, false).await?;
    Ok(Some(st))
}

/// On the host: `who` (an agent of another node) gives up its seat.
pub async fn withdrawal_received(state: &Ctx, event_ap_id: &str, who: &str) -> DomainResult<()> {
    let (e, c) = hosted(state, event_ap_id).await?;
    if !state.store.remove_participant(e.id, who).await? {
        return Ok(());
    }
    seat_freed(state, &c, &e).await
}

/// On a member's node: the group answers `who`'s registration for session `event_id` (they
/// were `was`: pending, or waiting). Only the group answers.
pub async fn registration_answered(
    state: &Ctx,
    event_id: i64,
    who: &str,
    was: &str,
    answerer_ap_id: &str,
    accepted: bool,
) -> DomainResult<()> {
    let Some(e) = state.store.event_by_id(event_id).await? else {
        return Ok(());
    };
    let c = events::community_of(state, &e).await?;
    if c.ap_id != answerer_ap_id {
        return Err(DomainError::Forbidden(
            "only the group answers a registration",
        ));
    }
    if !accepted {
        state.store.remove_participant(e.id, who).await?;
        return Ok(());
    }
    state
        .store
        .set_participation(e.id, who, "accepted", None)
        .await?;
    if was == "waiting" {
        notifications::send_to_ap_id(state, who, kind::SEAT, &c.ap_id, Some(c.id), Some(&e.ap_id))
            .await;
    }
    Ok(())
}
