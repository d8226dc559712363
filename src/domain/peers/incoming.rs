//! What the other side does: ask us (`Follow` to our instance actor), answer our request
//! (`Accept` / `Reject`), end the federation (`Undo` of its request, `Block`). Requests are
//! bounded before any work is done, and stored for our admin.

use super::super::error::{DomainError, DomainResult};
use super::audit::{self, BY_PEER};
use super::{APPROVED, DENIED, MANUAL, PENDING, Peer, REFUSED, REQUESTED, REVOKED, cut, update};
use crate::db::PeerUpdate;
use crate::domain::instance;
use crate::federation::convert::from_as::id_of;
use crate::federation::convert::peering::{self, SelfDescription};
use crate::federation::inbox::Activity;
use crate::federation::{FederationError, handshake};
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

/// True when `a` is about our instance actor (its object, or the object of its object).
pub fn is_for_instance(state: &AppState, a: &Activity) -> bool {
    let ours = state.urls.instance_actor();
    id_of(&a.object) == Some(ours.as_str())
        || a.object.get("object").and_then(id_of) == Some(ours.as_str())
}

fn from_instance_actor(state: &AppState, a: &Activity) -> bool {
    a.actor == handshake::instance_actor_url(state, &a.authority)
}

/// A `Follow` of our instance actor: a federation request.
pub async fn on_request(state: &AppState, a: &Activity) -> Result<(), FederationError> {
    if !from_instance_actor(state, a) {
        return Err(FederationError::Refused(
            "only an instance actor may ask to federate".into(),
        ));
    }
    let current = state.store.peer(&a.authority).await?.map(|p| p.state);
    match current.as_deref() {
        // Both admins asked (crossing requests), or our admin already allowed them by hand,
        // or they lost their state: each side said yes, so answer yes.
        Some(APPROVED | REQUESTED | MANUAL) => {
            update(
                state,
                &a.authority,
                &PeerUpdate {
                    state: APPROVED,
                    decided_by: Some(BY_PEER),
                    actor_ap_id: Some(&a.actor),
                    ..PeerUpdate::default()
                },
            )
            .await?;
            let me = instance::ensure(state).await?;
            let doc = peering::answer(
                "Accept",
                &state.urls.new_activity(),
                &me.ap_id,
                &a.actor,
                &a.id,
            );
            if let Some(theirs) = state.store.actor_by_ap_id(&a.actor).await? {
                handshake::send(state, &doc, &theirs).await?;
            }
            audit::record(
                state,
                BY_PEER,
                "request received, approved (both asked)",
                &a.authority,
                "",
            )
            .await?;
            Ok(())
        }
        _ => {
            let claimed = peering::read_request(&a.raw);
            // What the admin can trust: the requester's own actor document, from its origin
            // (the inbox fetched it to verify the signature, but the actors cache keeps only
            // the name; requests are rare and bounded, so fetching it again is cheap).
            let doc = handshake::fetch_instance_actor_doc(state, &a.authority).await?;
            let (inst, kind) = peering::read_actor(&doc);
            store_request(
                state,
                &IncomingRequest {
                    authority: &a.authority,
                    actor_ap_id: &a.actor,
                    request_ap_id: &a.id,
                    claimed: &claimed,
                    verified: (&inst, &kind),
                },
            )
            .await?;
            Ok(())
        }
    }
}

/// An `Accept` or `Reject` of our request. False when it answers something else.
pub async fn on_answer(
    state: &AppState,
    a: &Activity,
    accepted: bool,
) -> Result<bool, FederationError> {
    let Some(row) = state.store.peer(&a.authority).await? else {
        return Ok(false);
    };
    if id_of(&a.object).is_none() || id_of(&a.object) != row.request_ap_id.as_deref() {
        return Ok(false);
    }
    if !from_instance_actor(state, a) {
        return Err(FederationError::Refused(
            "only the instance actor answers a federation request".into(),
        ));
    }
    if row.state == REQUESTED {
        let (new_state, action) = if accepted {
            (APPROVED, "approved by peer")
        } else {
            (REFUSED, "refused by peer")
        };
        update(
            state,
            &a.authority,
            &PeerUpdate {
                state: new_state,
                decided_by: Some(BY_PEER),
                ..PeerUpdate::default()
            },
        )
        .await?;
        audit::record(state, BY_PEER, action, &a.authority, "").await?;
        if accepted {
            crate::domain::directory::on_peer_approved(state, &a.authority).await;
        }
    }
    Ok(true)
}

/// An `Undo` of their request or a `Block` of our instance actor: the federation ends (or
/// their request is withdrawn). False when it is about something else.
pub async fn on_end(state: &AppState, a: &Activity) -> Result<bool, FederationError> {
    if !from_instance_actor(state, a) {
        return Ok(false);
    }
    let Some(row) = state.store.peer(&a.authority).await? else {
        return Ok(is_for_instance(state, a));
    };
    let their_request =
        id_of(&a.object).is_some() && id_of(&a.object) == row.request_ap_id.as_deref();
    if !is_for_instance(state, a) && !their_request {
        return Ok(false);
    }
    if [APPROVED, PENDING, REQUESTED].contains(&row.state.as_str()) {
        update(
            state,
            &a.authority,
            &PeerUpdate {
                state: REVOKED,
                decided_by: Some(BY_PEER),
                ..PeerUpdate::default()
            },
        )
        .await?;
        let purged = cut(state, &a.authority).await?;
        let detail = format!(
            "{}; purged {} actors, {} objects, {} follows",
            a.kind, purged.actors, purged.objects, purged.follows
        );
        audit::record(state, BY_PEER, "revoked by peer", &a.authority, &detail).await?;
    }
    Ok(true)
}
