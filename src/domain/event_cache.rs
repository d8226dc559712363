//! Sessions on a member's node: what the group announces refreshes the cached session and
//! its participants, and this node's agents hear what concerns them (a cancellation, an
//! edit, a seat freed for them).

use super::Ctx;
use super::error::{DomainError, DomainResult};
use super::events::{self, kind};
use super::notifications;
use crate::db::{CommunityRow, NewEvent};

/// Largest number of unknown participants fetched for one announce.
const MAX_FETCHED: usize = 10;

/// Stores a version of a session of community `c` that its group announced, with its
/// participants (actor id, `accepted` or `waiting`). A version older than the cached one is
/// ignored; a session of another community is refused. `attended` are the participants the
/// host marked present: this node's agents may then download their attestation here.
pub async fn store_announced(
    state: &Ctx,
    c: &CommunityRow,
    new: &NewEvent<'_>,
    participants: &[(String, String)],
    attended: &[String],
) -> DomainResult<()> {
    let old = state.store.event_by_ap_id(new.ap_id).await?;
    if old.as_ref().is_some_and(|o| o.community_id != c.id) {
        return Err(DomainError::Forbidden(
            "the session belongs to another community",
        ));
    }
    if old.as_ref().is_some_and(|o| o.updated_at > new.updated_at) {
        // An older version delivered after a newer one.
        return Ok(());
    }
    let before = match &old {
        Some(o) => state.store.participants(o.id).await?,
        None => Vec::new(),
    };
    let e = state
        .store
        .upsert_event(&NewEvent {
            community_id: c.id,
            ..new.clone()
        })
        .await?;
    state.store.replace_participants(e.id, participants).await?;
    state
        .store
        .copy_attendance(e.id, attended, e.updated_at)
        .await?;
    remember_people(state, participants).await?;
    super::search::index_event(state, &e.ap_id).await;
    let was_cancelled = old.as_ref().is_some_and(|o| o.status == "cancelled");
    // Registrations do not bump the sequence; a cancellation or an edit does.
    let edited = old
        .as_ref()
        .is_some_and(|o| e.sequence > o.sequence && e.status == "confirmed");
    let what = if e.status == "cancelled" && !was_cancelled && old.is_some() {
        Some(kind::CANCELLED)
    } else if edited {
        Some(kind::CHANGED)
    } else {
        None
    };
    if let Some(what) = what {
        events::notify(state, c, &e, what).await?;
    }
    for (who, st) in participants {
        let waited = before
            .iter()
            .any(|p| p.actor_ap_id == *who && p.state == "waiting");
        if st == "accepted" && waited {
            notifications::send_to_ap_id(
                state,
                who,
                kind::SEAT,
                &c.ap_id,
                Some(c.id),
                Some(&e.ap_id),
            )
            .await;
        }
    }
    Ok(())
}

/// The group removed one of its sessions.
pub async fn remove_announced(state: &Ctx, c: &CommunityRow, ap_id: &str) -> DomainResult<()> {
    if let Some(e) = state
        .store
        .event_by_ap_id(ap_id)
        .await?
        .filter(|e| e.community_id == c.id)
    {
        state.store.delete_event(e.id).await?;
    }
    Ok(())
}

/// Caches the participants this node does not know yet, so pages show names, not URLs.
async fn remember_people(state: &Ctx, people: &[(String, String)]) -> DomainResult<()> {
    let mut fetched = 0;
    for (who, _) in people {
        if fetched < MAX_FETCHED && state.store.actor_by_ap_id(who).await?.is_none() {
            fetched += 1;
            if let Err(e) = state.remote.actor(state, who).await {
                tracing::info!(participant = %who, error = %e, "participant not fetched");
            }
        }
    }
    Ok(())
}
