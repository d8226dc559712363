//! Peers: the remote institutions this node federates with, and the states of that relation.
//!
//! - `requested`: our admin asked them (a `Follow` went out); nothing flows yet.
//! - `pending`: they asked us; waits for our admin.
//! - `approved`: both admins agreed (an `Accept` answered a request): traffic flows.
//! - `refused`: one admin said no (`Reject`); a new request starts over.
//! - `revoked`: an approval was withdrawn (`Undo` / `Block`); a new request starts over.
//! - `manual`: a one-sided allow by our admin, for servers of other software.
//! - `denied`: a one-sided block by our admin; even requests are refused.
//!
//! Only `approved` and `manual` let traffic through (the federation layer's `policy`).

pub mod admin;
pub mod audit;
pub mod incoming;

use serde::Serialize;

pub use admin::{approve, refuse, request, revoke};

use super::Ctx;
use super::changes::{Change, PeerChange};
use super::error::{DomainError, DomainResult, OrNotFound, Rule};
use crate::db::{PeerRow, PeerUpdate, Purged};

pub const REQUESTED: &str = "requested";
pub const PENDING: &str = "pending";
pub const APPROVED: &str = "approved";
pub const REFUSED: &str = "refused";
pub const REVOKED: &str = "revoked";
pub const MANUAL: &str = "manual";
pub const DENIED: &str = "denied";

/// Every state, in the order admins see them.
pub const STATES: [&str; 7] = [
    PENDING, REQUESTED, APPROVED, MANUAL, REFUSED, REVOKED, DENIED,
];

/// What an institution says about itself when it asks to federate. Unverified by nature:
/// the receiving admin sees it next to what its node could check.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
pub struct SelfDescription {
    pub institution: String,
    pub kind: String,
    pub branch: String,
    pub contact: String,
    pub message: String,
}

/// Longest message accepted with a request (the admin's free text).
pub const MAX_MESSAGE_CHARS: usize = 2000;

/// A peer as admins see it.
#[derive(Debug, Clone, Serialize, utoipa::ToSchema)]
pub struct Peer {
    pub authority: String,
    pub state: String,
    /// What the other side says about itself (in its request).
    pub institution: String,
    pub kind: String,
    pub branch: String,
    pub contact: String,
    pub message: String,
    /// What its instance actor document (fetched from its origin) says.
    pub verified_institution: String,
    pub verified_kind: String,
    /// The message our admin sent with our request.
    pub our_message: String,
    pub decided_by: Option<String>,
    pub decided_at: Option<i64>,
    pub last_request_at: Option<i64>,
    pub created_at: i64,
    pub updated_at: i64,
}

impl From<PeerRow> for Peer {
    fn from(r: PeerRow) -> Self {
        Peer {
            authority: r.authority,
            state: r.state,
            institution: r.institution,
            kind: r.kind,
            branch: r.branch,
            contact: r.contact,
            message: r.message,
            verified_institution: r.verified_institution,
            verified_kind: r.verified_kind,
            our_message: r.our_message,
            decided_by: r.decided_by,
            decided_at: r.decided_at,
            last_request_at: r.last_request_at,
            created_at: r.created_at,
            updated_at: r.updated_at,
        }
    }
}

/// A remote authority, checked: `host[:port]`, lower case, not ourselves.
pub fn parse_authority(state: &Ctx, raw: &str) -> DomainResult<String> {
    let a = raw.trim().trim_end_matches('/').to_ascii_lowercase();
    let a = a
        .strip_prefix("https://")
        .or_else(|| a.strip_prefix("http://"))
        .unwrap_or(&a)
        .to_owned();
    crate::config::check_authority(&a)
        .map_err(|_| DomainError::invalid("authority", Rule::Authority))?;
    if a == state.config.authority {
        return Err(DomainError::Conflict("this is our own authority".into()));
    }
    Ok(a)
}

/// Lets traffic flow with `authority` without the handshake (a Mastodon or Fedify server).
pub async fn allow(state: &Ctx, authority: &str, by: &str) -> DomainResult<Peer> {
    let authority = parse_authority(state, authority)?;
    let peer = set(state, &authority, MANUAL, by).await?;
    audit::record(state, by, "allow (manual, one-sided)", &authority, "").await?;
    Ok(peer)
}

/// Stops all traffic with `authority`, even its requests, and cancels what was queued.
pub async fn deny(state: &Ctx, authority: &str, by: &str) -> DomainResult<Peer> {
    let authority = parse_authority(state, authority)?;
    let peer = set(state, &authority, DENIED, by).await?;
    state.store.cancel_deliveries_to(&peer.authority).await?;
    forget(state, &peer.authority).await?;
    super::communities::purge_authority(state, &peer.authority).await?;
    audit::record(state, by, "deny", &authority, "").await?;
    Ok(peer)
}

async fn set(state: &Ctx, authority: &str, new_state: &str, by: &str) -> DomainResult<Peer> {
    update(
        state,
        authority,
        &PeerUpdate {
            state: new_state,
            decided_by: Some(by),
            ..PeerUpdate::default()
        },
    )
    .await
}

/// Writes a change of a peer; what federation decided from the old state is read again.
pub(crate) async fn update(state: &Ctx, authority: &str, u: &PeerUpdate<'_>) -> DomainResult<Peer> {
    let row = state.store.upsert_peer(authority, u).await?;
    let authority = authority.to_owned();
    let change = Change::Peer(PeerChange::StateChanged { authority });
    state.publisher.publish(state, change).await?;
    Ok(row.into())
}

/// What ending a federation does on our side, whoever ended it: nothing more is sent (except
/// the handshake activity telling them), and everything cached from them is purged. What our
/// own agents wrote stays.
pub(crate) async fn cut(state: &Ctx, authority: &str) -> DomainResult<Purged> {
    state.store.cancel_deliveries_to(authority).await?;
    // Community posts first: their authors' actor rows go with the purge below.
    super::communities::purge_authority(state, authority).await?;
    let purged = state.store.purge_authority(authority).await?;
    forget(state, authority).await?;
    Ok(purged)
}

/// Nothing known of `authority` (its keys included) may be used any more.
async fn forget(state: &Ctx, authority: &str) -> DomainResult<()> {
    let authority = authority.to_owned();
    let change = Change::Peer(PeerChange::Cut { authority });
    state.publisher.publish(state, change).await
}

pub async fn list(state: &Ctx) -> DomainResult<Vec<Peer>> {
    Ok(state
        .store
        .list_peers()
        .await?
        .into_iter()
        .map(Peer::from)
        .collect())
}

pub async fn get(state: &Ctx, authority: &str) -> DomainResult<Peer> {
    let authority = parse_authority(state, authority)?;
    state
        .store
        .peer(&authority)
        .await?
        .map(Peer::from)
        .or_not_found("peer")
}
