//! Peers: the remote institutions this node federates with. This part: the admin's
//! one-sided allowlist (`manual`), for peers of any software; the mutual handshake builds on it.

use serde::Serialize;

use super::error::{DomainError, DomainResult, Rule};
use crate::db::{PeerRow, PeerUpdate};
use crate::state::AppState;

/// A peer as admins see it.
#[derive(Debug, Clone, Serialize)]
pub struct Peer {
    pub authority: String,
    pub state: String,
    pub institution: String,
    pub kind: String,
    pub contact: String,
    pub message: String,
    pub decided_by: Option<String>,
    pub decided_at: Option<i64>,
    pub updated_at: i64,
}

impl From<PeerRow> for Peer {
    fn from(r: PeerRow) -> Self {
        Peer {
            authority: r.authority,
            state: r.state,
            institution: r.institution,
            kind: r.kind,
            contact: r.contact,
            message: r.message,
            decided_by: r.decided_by,
            decided_at: r.decided_at,
            updated_at: r.updated_at,
        }
    }
}

/// A remote authority, checked: `host[:port]`, lower case, not ourselves.
pub fn parse_authority(state: &AppState, raw: &str) -> DomainResult<String> {
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
pub async fn allow(state: &AppState, authority: &str, by: &str) -> DomainResult<Peer> {
    set(state, authority, "manual", by).await
}

/// Stops all traffic with `authority` and cancels what was queued for it.
pub async fn deny(state: &AppState, authority: &str, by: &str) -> DomainResult<Peer> {
    let peer = set(state, authority, "denied", by).await?;
    state.store.cancel_deliveries_to(&peer.authority).await?;
    state.fed.keys.forget_authority(&peer.authority);
    super::communities::purge_authority(state, &peer.authority).await?;
    Ok(peer)
}

async fn set(state: &AppState, authority: &str, new_state: &str, by: &str) -> DomainResult<Peer> {
    let authority = parse_authority(state, authority)?;
    let row = state
        .store
        .upsert_peer(
            &authority,
            &PeerUpdate {
                state: new_state,
                decided_by: Some(by),
                ..PeerUpdate::default()
            },
        )
        .await?;
    state.fed.policy.invalidate(&authority);
    tracing::info!(%authority, state = new_state, by, "peer decision");
    Ok(row.into())
}

pub async fn list(state: &AppState) -> DomainResult<Vec<Peer>> {
    Ok(state
        .store
        .list_peers()
        .await?
        .into_iter()
        .map(Peer::from)
        .collect())
}
