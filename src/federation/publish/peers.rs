//! The activities of a [`PeerChange`]: the handshake between instance actors (`Follow`,
//! `Accept`/`Reject`, `Undo`/`Block`, delivered even to a peer that is not approved), and
//! what federation keeps in memory about the peer, read again after each decision.

use crate::domain::changes::PeerChange;
use crate::domain::instance;
use crate::federation::convert::peering;
use crate::federation::inbox::backfill;
use crate::federation::{FederationError, authority_of_str, handshake};
use crate::state::AppState;

pub async fn publish(state: &AppState, change: PeerChange) -> Result<(), FederationError> {
    match change {
        PeerChange::StateChanged { authority } => {
            state.fed.policy.invalidate(&authority);
            // Allowed now: what groups relayed from it and we refused is replayed (bounded).
            // The admin's decision stands even if that fails; the rest waits for the next one.
            if let Err(e) = backfill::replay(state, &authority).await {
                tracing::warn!(%authority, error = %e, "backfill after a peer decision failed");
            }
            Ok(())
        }
        PeerChange::Cut { authority } => {
            state.fed.policy.invalidate(&authority);
            state.fed.keys.forget_authority(&authority);
            // Relays kept for a backfill are that peer's content too: purged with it.
            state.store.forget_refused_relays_of(&authority).await?;
            Ok(())
        }
        PeerChange::Requested {
            theirs,
            request_id,
            about_us,
        } => {
            let me = instance::ensure(state).await?;
            let doc = peering::request(&request_id, &me.ap_id, &theirs.ap_id, &about_us);
            handshake::send(state, &doc, &theirs).await
        }
        PeerChange::Answered {
            theirs,
            request_id,
            accepted,
        } => {
            let me = instance::ensure(state).await?;
            let kind = if accepted { "Accept" } else { "Reject" };
            let id = state.urls.new_activity();
            let doc = peering::answer(kind, &id, &me.ap_id, &theirs.ap_id, &request_id);
            handshake::send(state, &doc, &theirs).await
        }
        PeerChange::Ended { theirs, request_id } => {
            let me = instance::ensure(state).await?;
            let id = state.urls.new_activity();
            // Our own request is withdrawn; theirs can only be refused from now on.
            let ours =
                authority_of_str(&request_id).as_deref() == Some(state.config.authority.as_str());
            let doc = if ours {
                peering::undo(&id, &me.ap_id, &theirs.ap_id, &request_id)
            } else {
                peering::block(&id, &me.ap_id, &theirs.ap_id)
            };
            handshake::send(state, &doc, &theirs).await
        }
        PeerChange::AcceptedOurRequest { authority } => {
            crate::federation::inbox::directory::on_peer_approved(state, &authority).await;
            Ok(())
        }
    }
}
