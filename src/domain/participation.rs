//! Registering for a session, as Mobilizon does it: the agent's node sends `Join{Event}` to
//! the group; the host gives a seat while there is one (`Accept`) or puts the agent on the
//! waiting list (no answer yet); `Leave` frees the seat for the first waiting agent, who gets
//! the `Accept` then. The host is the only judge of seats; members' nodes learn every change
//! from the group's `Update{Event}`, which lists participants.

use super::accounts::actor_of as me;
use serde_json::{Value, json};

use super::accounts::Account;
use super::communities::{group_of, unreachable};
use super::error::{DomainError, DomainResult};
use super::events::{self, kind};
use super::notifications;
use crate::db::{ActorRow, CommunityRow, EventRow, now_ms};
use crate::federation::convert::from_as::id_of;
use crate::federation::convert::to_as::activity;
use crate::federation::inbox::Activity;
use crate::federation::{FederationError, outbox};
use crate::state::AppState;

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
pub async fn join(state: &AppState, account: &Account, id: i64) -> DomainResult<String> {
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
        let st = state
            .store
            .register_participant(e.id, &account.actor, None)
            .await?
            .unwrap_or_else(|| "accepted".into());
        let e = events::by_id(state, e.id).await?;
        events::publish(state, &c, &e, "Update").await?;
        return Ok(st);
    }
    let me = me(state, account).await?;
    let join_id = state.urls.new_activity();
    state
        .store
        .set_participation(e.id, &me.ap_id, "pending", Some(&join_id))
        .await?;
    let doc = activity("Join", &join_id, &me.ap_id, json!(e.ap_id), &[&c.ap_id]);
    send_to_group(state, &c, &me, &doc).await?;
    Ok("pending".into())
}

/// Unregisters the agent (or takes them off the waiting list).
pub async fn leave(state: &AppState, account: &Account, id: i64) -> DomainResult<()> {
    let e = events::by_id(state, id).await?;
    let c = events::community_of(state, &e).await?;
    if !state.store.remove_participant(e.id, &account.actor).await? {
        return Err(DomainError::NotFound("registration"));
    }
    if c.is_local == 1 {
        promote(state, &c, &e).await?;
        let e = events::by_id(state, e.id).await?;
        return events::publish(state, &c, &e, "Update").await;
    }
    let me = me(state, account).await?;
    let doc = activity(
        "Leave",
        &state.urls.new_activity(),
        &me.ap_id,
        json!(e.ap_id),
        &[&c.ap_id],
    );
    send_to_group(state, &c, &me, &doc).await
}

async fn send_to_group(
    state: &AppState,
    c: &CommunityRow,
    me: &ActorRow,
    doc: &Value,
) -> DomainResult<()> {
    let group = group_of(state, c).await?;
    outbox::send(state, me, doc, std::slice::from_ref(&group))
        .await
        .map_err(unreachable)?;
    Ok(())
}

/// On the host: while seats are free, the first of the waiting list gets one, is notified
/// (here, or by their node) and receives the `Accept` of their Join.
pub(super) async fn promote(state: &AppState, c: &CommunityRow, e: &EventRow) -> DomainResult<()> {
    let Some(cap) = e.capacity else {
        return Ok(());
    };
    loop {
        let now = events::by_id(state, e.id).await?;
        if now.accepted >= cap {
            return Ok(());
        }
        let Some(next) = state.store.first_waiting(e.id).await? else {
            return Ok(());
        };
        state
            .store
            .set_participation(e.id, &next, "accepted", None)
            .await?;
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
        answer(state, c, &next, join.as_deref(), e, "Accept").await?;
    }
}

/// Sends the group's `Accept` or `Reject` of a remote agent's Join.
async fn answer(
    state: &AppState,
    c: &CommunityRow,
    who: &str,
    join_id: Option<&str>,
    e: &EventRow,
    verb: &str,
) -> DomainResult<()> {
    let Some(target) = state.store.actor_by_ap_id(who).await? else {
        return Ok(());
    };
    if target.is_local == 1 {
        return Ok(());
    }
    let group = group_of(state, c).await?;
    let object = match join_id {
        Some(j) => json!(j),
        None => json!({"type": "Join", "actor": who, "object": e.ap_id}),
    };
    let doc = activity(
        verb,
        &state.urls.new_activity(),
        &group.ap_id,
        object,
        &[who],
    );
    outbox::send(state, &group, &doc, std::slice::from_ref(&target))
        .await
        .map_err(unreachable)?;
    Ok(())
}

/// The hosted session a Join or Leave is about, with its community.
async fn hosted(
    state: &AppState,
    a: &Activity,
) -> Result<(EventRow, CommunityRow), FederationError> {
    let id = id_of(&a.object)
        .ok_or_else(|| FederationError::Malformed(format!("{} without a session", a.kind)))?;
    let e = state
        .store
        .event_by_ap_id(id)
        .await?
        .filter(|e| e.authority == state.config.authority)
        .ok_or_else(|| FederationError::Refused("no such session here".into()))?;
    let c = state
        .store
        .community_by_id(e.community_id)
        .await?
        .ok_or_else(|| FederationError::Refused("no such session here".into()))?;
    Ok((e, c))
}

fn domain(e: DomainError) -> FederationError {
    match e {
        DomainError::Db(d) => FederationError::Db(d),
        other => FederationError::Refused(other.to_string()),
    }
}

/// Inbox of the host: a member asks for a seat.
pub async fn on_join(state: &AppState, a: &Activity) -> Result<(), FederationError> {
    let (e, c) = hosted(state, a).await?;
    let member = match state.store.actor_by_ap_id(&a.actor).await? {
        Some(m) => state.store.membership(c.id, m.id).await?,
        None => None,
    };
    if member.is_none_or(|m| m.state != "accepted") {
        return Err(FederationError::Refused(
            "only the community's members may register".into(),
        ));
    }
    if open_for_registration(&e).is_err() {
        return answer(state, &c, &a.actor, Some(&a.id), &e, "Reject")
            .await
            .map_err(domain);
    }
    let Some(st) = state
        .store
        .register_participant(e.id, &a.actor, Some(&a.id))
        .await?
    else {
        return Ok(());
    };
    if st == "accepted" {
        answer(state, &c, &a.actor, Some(&a.id), &e, "Accept")
            .await
            .map_err(domain)?;
    }
    let e = events::by_id(state, e.id).await.map_err(domain)?;
    events::publish(state, &c, &e, "Update")
        .await
        .map_err(domain)
}

/// Inbox of the host: a participant leaves.
pub async fn on_leave(state: &AppState, a: &Activity) -> Result<(), FederationError> {
    let (e, c) = hosted(state, a).await?;
    if !state.store.remove_participant(e.id, &a.actor).await? {
        return Ok(());
    }
    promote(state, &c, &e).await.map_err(domain)?;
    let e = events::by_id(state, e.id).await.map_err(domain)?;
    events::publish(state, &c, &e, "Update")
        .await
        .map_err(domain)
}

/// Inbox of a member's node: the group's answer to one of our agents' Joins. False when the
/// activity answers something else.
pub async fn on_answer(state: &AppState, a: &Activity) -> Result<bool, FederationError> {
    let Some(join_id) = id_of(&a.object) else {
        return Ok(false);
    };
    let Some((event_id, who, was)) = state.store.participation_by_join(join_id).await? else {
        return Ok(false);
    };
    let Some(e) = state.store.event_by_id(event_id).await? else {
        return Ok(false);
    };
    let c = state
        .store
        .community_by_id(e.community_id)
        .await?
        .ok_or_else(|| FederationError::Malformed("community".into()))?;
    if c.ap_id != a.actor {
        return Err(FederationError::OriginMismatch(
            "only the group answers a registration".into(),
        ));
    }
    if a.kind == "Accept" {
        state
            .store
            .set_participation(e.id, &who, "accepted", None)
            .await?;
        if was == "waiting" {
            notifications::send_to_ap_id(
                state,
                &who,
                kind::SEAT,
                &c.ap_id,
                Some(c.id),
                Some(&e.ap_id),
            )
            .await;
        }
    } else {
        state.store.remove_participant(e.id, &who).await?;
    }
    Ok(true)
}
