//! What the other side does: ask us (`Follow` to our instance actor), answer our request
//! (`Accept` / `Reject`), end the federation (`Undo` of its request, `Block`). Requests are
//! bounded before any work is done, and stored for our admin.

use super::super::Ctx;
use super::super::changes::{Change, PeerChange};
use super::super::error::{DomainError, DomainResult};
use super::audit::{self, BY_PEER};
use super::{
    APPROVED, DENIED, MANUAL, PENDING, Peer, REFUSED, REQUESTED, REVOKED, SelfDescription, cut,
    update,
};
use crate::db::PeerUpdate;

/// Requests waiting for our admin, at most: beyond, new ones are refused (429) until the
/// admin decides. Bounds what strangers can make us store.
pub const MAX_PENDING: i64 = 100;

/// The gate for a handshake activity from an authority the policy refuses, before any fetch:
/// a request is admitted unless we denied the authority and within the limits; an answer
/// only when we asked; a withdrawal only while something is in progress.
///
/// `count` counts a request against the federation layer's rate limits (`Err(seconds)` when
/// one is reached). It runs after the denial check, so a denied authority uses none of the
/// budget that others share, and before the bound on pending requests.
pub async fn admit(
    state: &Ctx,
    authority: &str,
    kind: &str,
    count: impl FnOnce(&str) -> Result<(), u64>,
) -> DomainResult<()> {
    let st = state.store.peer(authority).await?.map(|p| p.state);
    let st = st.as_deref();
    match kind {
        "Follow" => {
            if st == Some(DENIED) {
                return Err(DomainError::Forbidden("this institution is denied"));
            }
            count(authority).map_err(|s| DomainError::RateLimited {
                retry_after_secs: s,
            })?;
            check_pending_bound(state, st).await
        }
        "Accept" | "Reject" if st == Some(REQUESTED) => Ok(()),
        "Undo" | "Block" if matches!(st, Some(REQUESTED | PENDING)) => Ok(()),
        _ => Err(DomainError::Forbidden("not an approved peer")),
    }
}

async fn check_pending_bound(state: &Ctx, current: Option<&str>) -> DomainResult<()> {
    if current == Some(PENDING) {
        return Ok(());
    }
    if state.store.count_peers_in_state(PENDING).await? >= MAX_PENDING {
        return Err(DomainError::RateLimited {
            retry_after_secs: 3600,
        });
    }
    Ok(())
}

/// A request as the admin will see it.
pub struct IncomingRequest<'a> {
    pub authority: &'a str,
    pub actor_ap_id: &'a str,
    pub request_ap_id: &'a str,
    pub claimed: &'a SelfDescription,
    /// Institution name and kind read from its instance actor document.
    pub verified: (&'a str, &'a str),
}

/// Stores a request for our admin (`pending`), within the bound on pending requests. A
/// refused or revoked peer asking again shows up as a new request.
pub async fn store_request(state: &Ctx, r: &IncomingRequest<'_>) -> DomainResult<Peer> {
    let current = state.store.peer(r.authority).await?.map(|p| p.state);
    if current.as_deref() == Some(DENIED) {
        return Err(DomainError::Forbidden("this institution is denied"));
    }
    check_pending_bound(state, current.as_deref()).await?;
    let peer = update(
        state,
        r.authority,
        &PeerUpdate {
            state: PENDING,
            institution: Some(&r.claimed.institution),
            kind: Some(&r.claimed.kind),
            branch: Some(&r.claimed.branch),
            contact: Some(&r.claimed.contact),
            message: Some(&r.claimed.message),
            verified_institution: Some(r.verified.0),
            verified_kind: Some(r.verified.1),
            actor_ap_id: Some(r.actor_ap_id),
            request_ap_id: Some(r.request_ap_id),
            requested_now: true,
            ..PeerUpdate::default()
        },
    )
    .await?;
    audit::record(
        state,
        BY_PEER,
        "request received",
        r.authority,
        &r.claimed.message,
    )
    .await?;
    // The admins decide: each hears of it (in the app, and by mail per their choices).
    for admin in state.store.list_accounts().await? {
        if admin.role == "admin" && admin.disabled_at.is_none() {
            crate::domain::notifications::send(
                state,
                admin.actor_id,
                crate::domain::notifications::kind::PEER_REQUEST,
                r.actor_ap_id,
                None,
                None,
            )
            .await;
        }
    }
    Ok(peer)
}

/// A request from a peer that we asked too, or that our admin allowed by hand, or that lost
/// its state: each side said yes, so it is approved and answered at once. `false` when it
/// must wait for our admin instead ([`store_request`]).
pub async fn approve_if_both_asked(
    state: &Ctx,
    authority: &str,
    actor_ap_id: &str,
    request_ap_id: &str,
) -> DomainResult<bool> {
    let current = state.store.peer(authority).await?.map(|p| p.state);
    if !matches!(current.as_deref(), Some(APPROVED | REQUESTED | MANUAL)) {
        return Ok(false);
    }
    update(
        state,
        authority,
        &PeerUpdate {
            state: APPROVED,
            decided_by: Some(BY_PEER),
            actor_ap_id: Some(actor_ap_id),
            ..PeerUpdate::default()
        },
    )
    .await?;
    if let Some(theirs) = state.store.actor_by_ap_id(actor_ap_id).await? {
        let change = PeerChange::Answered {
            theirs: Box::new(theirs),
            request_id: request_ap_id.to_owned(),
            accepted: true,
        };
        state.publisher.publish(state, Change::Peer(change)).await?;
    }
    audit::record(
        state,
        BY_PEER,
        "request received, approved (both asked)",
        authority,
        "",
    )
    .await?;
    Ok(true)
}

/// They answered our request: approved (federation is active both ways) or refused. Only
/// while our request is waiting; a late or repeated answer changes nothing.
pub async fn answer_received(state: &Ctx, authority: &str, accepted: bool) -> DomainResult<()> {
    let Some(row) = state.store.peer(authority).await? else {
        return Ok(());
    };
    if row.state != REQUESTED {
        return Ok(());
    }
    let (new_state, action) = if accepted {
        (APPROVED, "approved by peer")
    } else {
        (REFUSED, "refused by peer")
    };
    update(
        state,
        authority,
        &PeerUpdate {
            state: new_state,
            decided_by: Some(BY_PEER),
            ..PeerUpdate::default()
        },
    )
    .await?;
    audit::record(state, BY_PEER, action, authority, "").await?;
    if accepted {
        let authority = authority.to_owned();
        let change = PeerChange::AcceptedOurRequest { authority };
        state.publisher.publish(state, Change::Peer(change)).await?;
    }
    Ok(())
}

/// They withdrew their request or ended the federation (`how`: the activity's type, for the
/// audit): while anything was in progress, it is revoked and their content purged.
pub async fn ended_by_peer(state: &Ctx, authority: &str, how: &str) -> DomainResult<()> {
    let Some(row) = state.store.peer(authority).await? else {
        return Ok(());
    };
    if ![APPROVED, PENDING, REQUESTED].contains(&row.state.as_str()) {
        return Ok(());
    }
    update(
        state,
        authority,
        &PeerUpdate {
            state: REVOKED,
            decided_by: Some(BY_PEER),
            ..PeerUpdate::default()
        },
    )
    .await?;
    let purged = cut(state, authority).await?;
    let detail = format!(
        "{how}; purged {} actors, {} objects, {} follows",
        purged.actors, purged.objects, purged.follows
    );
    audit::record(state, BY_PEER, "revoked by peer", authority, &detail).await
}
