//! What our admin decides: ask a neighbour to federate, answer its request, or end it.
//! Each decision changes the peer's state, publishes the handshake step, and is audited.

use super::super::Ctx;
use super::super::changes::{Change, PeerChange};
use super::super::error::{DomainError, DomainResult, OrNotFound, Rule};
use super::{
    APPROVED, MANUAL, MAX_MESSAGE_CHARS, PENDING, Peer, REFUSED, REQUESTED, REVOKED,
    SelfDescription, audit, cut, parse_authority, update,
};
use crate::db::{ActorRow, PeerRow, PeerUpdate};

/// Our own self-description, from the configuration.
fn ourselves(state: &Ctx, message: &str) -> SelfDescription {
    let c = &state.config;
    SelfDescription {
        institution: c.institution_name.clone(),
        kind: c.institution_kind.as_str().to_owned(),
        branch: c.branch.map(|b| b.as_str().to_owned()).unwrap_or_default(),
        contact: c.contact_email.clone().unwrap_or_default(),
        message: message.to_owned(),
    }
}

async fn current(state: &Ctx, authority: &str) -> DomainResult<PeerRow> {
    state.store.peer(authority).await.or_not_found("peer")
}

/// Their instance actor: cached, or fetched through the handshake exception.
async fn their_actor(state: &Ctx, row: &PeerRow) -> DomainResult<ActorRow> {
    if let Some(id) = &row.actor_ap_id
        && let Some(actor) = state.store.actor_by_ap_id(id).await?
    {
        return Ok(actor);
    }
    state.remote.instance_actor(state, &row.authority).await
}

/// Asks `authority` to federate: its admin will see our self-description and `message`.
/// When they already asked us, this approves their request instead.
pub async fn request(state: &Ctx, raw: &str, message: &str, by: &str) -> DomainResult<Peer> {
    let authority = parse_authority(state, raw)?;
    let message = message.trim();
    if message.chars().count() > MAX_MESSAGE_CHARS {
        return Err(DomainError::invalid(
            "message",
            Rule::MaxLength {
                max: MAX_MESSAGE_CHARS,
            },
        ));
    }
    match state.store.peer(&authority).await?.map(|p| p.state) {
        Some(s) if s == APPROVED => {
            return Err(DomainError::Conflict(format!(
                "{authority} is already an approved peer"
            )));
        }
        Some(s) if s == PENDING => return approve(state, &authority, by).await,
        _ => {}
    }
    let theirs = state.remote.instance_actor(state, &authority).await?;
    let id = state.urls.new_activity();
    let peer = update(
        state,
        &authority,
        &PeerUpdate {
            state: REQUESTED,
            decided_by: Some(by),
            actor_ap_id: Some(&theirs.ap_id),
            request_ap_id: Some(&id),
            our_message: Some(message),
            verified_institution: Some(&theirs.institution),
            ..PeerUpdate::default()
        },
    )
    .await?;
    let about_us = ourselves(state, message);
    let change = PeerChange::Requested {
        theirs: Box::new(theirs),
        request_id: id,
        about_us,
    };
    state.publisher.publish(state, Change::Peer(change)).await?;
    audit::record(state, by, "request", &authority, message).await?;
    Ok(peer)
}

/// Answers a pending request: `Accept` (approved) or `Reject` (refused).
async fn answer(state: &Ctx, raw: &str, by: &str, accept: bool) -> DomainResult<Peer> {
    let authority = parse_authority(state, raw)?;
    let row = current(state, &authority).await?;
    if row.state != PENDING {
        return Err(DomainError::Conflict(format!(
            "there is no pending request from {authority}"
        )));
    }
    let request_id = row
        .request_ap_id
        .clone()
        .ok_or(DomainError::NotFound("request"))?;
    let theirs = their_actor(state, &row).await?;
    let (new_state, action) = if accept {
        (APPROVED, "approve")
    } else {
        (REFUSED, "refuse")
    };
    let peer = update(
        state,
        &authority,
        &PeerUpdate {
            state: new_state,
            decided_by: Some(by),
            ..PeerUpdate::default()
        },
    )
    .await?;
    let change = PeerChange::Answered {
        theirs: Box::new(theirs),
        request_id,
        accepted: accept,
    };
    state.publisher.publish(state, Change::Peer(change)).await?;
    audit::record(state, by, action, &authority, "").await?;
    Ok(peer)
}

pub async fn approve(state: &Ctx, authority: &str, by: &str) -> DomainResult<Peer> {
    answer(state, authority, by, true).await
}

pub async fn refuse(state: &Ctx, authority: &str, by: &str) -> DomainResult<Peer> {
    answer(state, authority, by, false).await
}

/// Ends the federation (or withdraws our request): `Undo` of our request when we asked,
/// `Block` when they did; delivery stops both ways and their cached content is purged.
pub async fn revoke(state: &Ctx, raw: &str, by: &str) -> DomainResult<Peer> {
    let authority = parse_authority(state, raw)?;
    let row = current(state, &authority).await?;
    if ![APPROVED, REQUESTED, MANUAL].contains(&row.state.as_str()) {
        return Err(DomainError::Conflict(format!(
            "federation with {authority} is not active (state {})",
            row.state
        )));
    }
    // Known before the purge removes their actor from our cache.
    let theirs = if row.state == MANUAL {
        None
    } else {
        their_actor(state, &row).await.ok()
    };
    let peer = update(
        state,
        &authority,
        &PeerUpdate {
            state: REVOKED,
            decided_by: Some(by),
            ..PeerUpdate::default()
        },
    )
    .await?;
    let purged = cut(state, &authority).await?;
    if let (Some(theirs), Some(request_id)) = (theirs, row.request_ap_id) {
        let change = PeerChange::Ended {
            theirs: Box::new(theirs),
            request_id,
        };
        state.publisher.publish(state, Change::Peer(change)).await?;
    }
    let detail = format!(
        "purged {} actors, {} objects, {} follows",
        purged.actors, purged.objects, purged.follows
    );
    audit::record(state, by, "revoke", &authority, &detail).await?;
    Ok(peer)
}
