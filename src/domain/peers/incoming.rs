//! What the other side does: ask us (`Follow` to our instance actor), answer our request
//! (`Accept` / `Reject`), end the federation (`Undo` of its request, `Block`). Requests are
//! bounded before any work is done, and stored for our admin.

use super::super::error::{DomainError, DomainResult};
use super::audit::{self, BY_PEER};
use super::{DENIED, PENDING, Peer, REQUESTED, update};
use crate::db::PeerUpdate;
use crate::federation::convert::peering::SelfDescription;
use crate::state::AppState;

/// Requests waiting for our admin, at most: beyond, new ones are refused (429) until the
/// admin decides. Bounds what strangers can make us store.
pub const MAX_PENDING: i64 = 100;

/// The gate for a handshake activity from an authority the policy refuses, before any fetch:
/// a request is admitted unless we denied the authority and within the limits; an answer
/// only when we asked; a withdrawal only while something is in progress.
pub async fn admit(state: &AppState, authority: &str, kind: &str) -> DomainResult<()> {
    let st = state.store.peer(authority).await?.map(|p| p.state);
    let st = st.as_deref();
    match kind {
        "Follow" => {
            if st == Some(DENIED) {
                return Err(DomainError::Forbidden("this institution is denied"));
            }
            state
                .fed
                .requests
                .check(authority)
                .map_err(|s| DomainError::RateLimited {
                    retry_after_secs: s,
                })?;
            check_pending_bound(state, st).await
        }
        "Accept" | "Reject" if st == Some(REQUESTED) => Ok(()),
        "Undo" | "Block" if matches!(st, Some(REQUESTED | PENDING)) => Ok(()),
        _ => Err(DomainError::Forbidden("not an approved peer")),
    }
}

async fn check_pending_bound(state: &AppState, current: Option<&str>) -> DomainResult<()> {
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
pub async fn store_request(state: &AppState, r: &IncomingRequest<'_>) -> DomainResult<Peer> {
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
    Ok(peer)
}
