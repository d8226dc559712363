//! Receiving: an activity whose signature was verified is checked for origin
//! (`origin`), deduplicated by id, classified once into what it is about (`classify`), and
//! handed to the one handler for that (`dispatch` below). Handlers translate the protocol
//! into typed domain calls; unknown types are accepted and ignored.

mod actions;
mod announce;
pub mod backfill;
mod classify;
mod departures;
pub mod directory;
mod events;
mod follows;
mod memberships;
mod notes;
mod origin;
pub mod peering;
mod polls;
mod resources;
mod to_group;
// Issue 19: reactions.
mod reactions;

use serde_json::Value;

use super::FederationError;
use super::fetch::FetchBudget;
use super::keycache::KnownKey;
use crate::db::{HotWrite, ReceivedWrite};
use crate::state::AppState;
pub use classify::{Answered, Concept, Incoming, concept_of};
pub use origin::check_origin;

/// Largest activity body accepted by an inbox.
pub const MAX_BODY_BYTES: usize = 1024 * 1024;

/// An activity after the origin checks: its fields can be trusted to come from `signer`.
#[derive(Debug)]
pub struct Activity {
    pub id: String,
    pub kind: String,
    pub actor: String,
    pub authority: String,
    /// The object: embedded only when it comes from the signer's own authority; otherwise
    /// reduced to its id, to be dereferenced from its origin.
    pub object: Value,
    pub raw: Value,
}

/// Processes a verified activity once. A replayed id is acknowledged and ignored.
#[tracing::instrument(skip_all, fields(id, kind, actor = %signer.actor_ap_id, peer = %signer.authority))]
pub async fn receive(
    state: &AppState,
    signer: &KnownKey,
    body: &[u8],
) -> Result<(), FederationError> {
    let doc: Value = serde_json::from_slice(body)
        .map_err(|e| FederationError::Malformed(format!("JSON: {e}")))?;
    let activity = check_origin(doc, signer)?;
    let span = tracing::Span::current();
    span.record("id", activity.id.as_str());
    span.record("kind", activity.kind.as_str());
    // A replay costs one read; the record itself is written with the activity's effect
    // where it can be (a stored note: one write), or before the handler runs otherwise.
    if state.store.was_received(&activity.id).await? {
        tracing::debug!("already received");
        return Ok(());
    }
    let receipt = ReceivedWrite {
        ap_id: activity.id.clone(),
        authority: activity.authority.clone(),
        kind: activity.kind.clone(),
    };
    let budget = FetchBudget::default();
    let result = match classify::classify(state, &activity).await {
        Ok(Incoming::DirectNote) => {
            return match notes::on_create(state, &activity, receipt.clone()).await {
                Ok(Some(_)) => Ok(()),
                Ok(None) => record(state, &receipt).await.map(|_| ()),
                Err(FederationError::NotHeld(what)) => {
                    tracing::debug!(%what, "ignored: not held here");
                    record(state, &receipt).await.map(|_| ())
                }
                Err(e) => {
                    tracing::info!(error = %e, "activity refused");
                    Err(e)
                }
            };
        }
        Ok(incoming) => {
            if !record(state, &receipt).await? {
                tracing::debug!("already received");
                return Ok(());
            }
            dispatch(state, &activity, incoming, &budget).await
        }
        Err(FederationError::NotHeld(what)) => {
            tracing::debug!(%what, "ignored: not held here");
            return record(state, &receipt).await.map(|_| ());
        }
        Err(e) => {
            tracing::info!(error = %e, "activity refused");
            return Err(e);
        }
    };
    let result = match result {
        // About something we do not hold (gone, or never ours): nothing to do, and nothing
        // a retry would change (202).
        Err(FederationError::NotHeld(what)) => {
            tracing::debug!(%what, "ignored: not held here");
            return Ok(());
        }
        other => other,
    };
    if let Err(e) = &result {
        // Let the sender's retry be processed: the failure may be ours (database) or passing.
        let _ = state.store.forget_received(&activity.id).await;
        tracing::info!(error = %e, "activity refused");
    }
    result
}

/// Records the activity's id; false when it was already there (a replay racing this one).
async fn record(state: &AppState, r: &ReceivedWrite) -> Result<bool, FederationError> {
    Ok(state
        .store
        .write_grouped(HotWrite::Received(r.clone()))
        .await?)
}

/// The one dispatch table: each kind of incoming activity has one handler.
async fn dispatch(
    state: &AppState,
    a: &Activity,
    incoming: Incoming,
    budget: &FetchBudget,
) -> Result<(), FederationError> {
    match incoming {
        Incoming::PeerRequest => peering::on_request(state, a).await,
        Incoming::PeerAnswer { accepted } => peering::on_answer(state, a, accepted).await,
        Incoming::PeerEnd => peering::on_end(state, a).await,
        Incoming::NotApproved => Err(FederationError::NotApproved(a.authority.clone())),
        Incoming::FollowGroup(group) => memberships::on_follow(state, a, &group, budget).await,
        Incoming::FollowAgent => follows::on_follow(state, a, budget).await,
        Incoming::UndoFollowGroup(group) => memberships::on_undo_follow(state, a, &group).await,
        Incoming::UndoFollowAgent => follows::on_undo_follow(state, a).await,
        Incoming::Answer(Answered::ResourceEdit) => resources::on_reject(state, a).await,
        Incoming::Answer(Answered::Membership(m)) => memberships::on_answer(state, a, &m).await,
        Incoming::Answer(Answered::AnimateurDecision(m)) => {
            memberships::on_animateur_decision(state, a, &m).await
        }
        Incoming::Answer(Answered::Participation {
            event_id,
            actor,
            state: was,
        }) => events::on_answer(state, a, event_id, &actor, &was).await,
        Incoming::Answer(Answered::Follow { accepted }) => {
            follows::on_answer(state, a, accepted).await
        }
        Incoming::PersonDeleted => departures::on_delete_person(state, a).await,
        Incoming::PersonUpdated => directory::on_update_person(state, a).await,
        Incoming::ToGroup(group) => to_group::on_to_group(state, a, &group).await,
        // Taken by `receive` before the table: it writes its receipt with the note.
        Incoming::DirectNote => Ok(()),
        Incoming::DeleteNote => notes::on_delete(state, a).await,
        Incoming::Announce => {
            let result = announce::on_announce(state, a, budget).await;
            // Refused only for the inner activity's node: kept, to replay if it is allowed.
            if let Err(FederationError::NotApproved(origin)) = &result
                && *origin != a.authority
            {
                backfill::note_refused(state, a, origin).await?;
            }
            result
        }
        Incoming::Join => events::on_join(state, a).await,
        Incoming::Leave => events::on_leave(state, a).await,
        Incoming::Invite => memberships::on_invite(state, a, budget).await,
        Incoming::Role => memberships::on_role(state, a).await,
        Incoming::Ignored => {
            tracing::debug!(kind = %a.kind, "ignored activity");
            Ok(())
        }
    }
}
