//! Sessions on a member's node: the group's Announced Create/Update/Delete{Event} refresh
//! the cached session and its participants, and notify this node's agents of what concerns
//! them (a cancellation, an edit, a seat freed for them).

use serde_json::Value;

use super::events::{self, kind};
use super::notifications;
use crate::db::{CommunityRow, NewEvent, now_ms};
use crate::federation::FederationError;
use crate::federation::convert::events::read_event;
use crate::federation::convert::from_as::{id_of, kind_of};
use crate::federation::fetch::FetchBudget;
use crate::federation::remote;
use crate::state::AppState;

/// Applies an activity the group Announced, when it is about a session. False when it is
/// about something else (a post).
pub async fn on_announced(
    state: &AppState,
    c: &CommunityRow,
    verb: &str,
    inner_actor: &str,
    object: &Value,
) -> Result<bool, FederationError> {
    match verb {
        "Create" | "Update" if kind_of(object) == Some("Event") => {}
        "Delete" => {
            let id = id_of(object).unwrap_or_default();
            let Some(e) = state
                .store
                .event_by_ap_id(id)
                .await?
                .filter(|e| e.community_id == c.id)
            else {
                return Ok(false);
            };
            if inner_actor != c.ap_id {
                return Err(FederationError::OriginMismatch(
                    "only the group deletes a session".into(),
                ));
            }
            state.store.delete_event(e.id).await?;
            return Ok(true);
        }
        _ => return Ok(false),
    }
    if inner_actor != c.ap_id {
        return Err(FederationError::OriginMismatch(
            "sessions come from their group".into(),
        ));
    }
    let ev = read_event(object)?;
    if ev.attributed_to != c.ap_id {
        return Err(FederationError::OriginMismatch(
            "a session of another community".into(),
        ));
    }
    let old = state.store.event_by_ap_id(&ev.id).await?;
    if old.as_ref().is_some_and(|o| o.community_id != c.id) {
        return Err(FederationError::Refused(
            "the session belongs to another community".into(),
        ));
    }
    let updated_at = ev.updated_at.unwrap_or_else(now_ms);
    if old.as_ref().is_some_and(|o| o.updated_at > updated_at) {
        // An older version delivered after a newer one.
        return Ok(true);
    }
    let before = match &old {
        Some(o) => state.store.participants(o.id).await?,
        None => Vec::new(),
    };
    let e = state
        .store
        .upsert_event(&NewEvent {
            ap_id: &ev.id,
            community_id: c.id,
            authority: &ev.authority,
            organizer: &ev.organizer,
            kind: &ev.kind,
            title: &ev.title,
            source: &ev.source,
            content_html: &ev.content_html,
            starts_at: ev.starts_at,
            ends_at: ev.ends_at,
            address: &ev.address,
            online_url: &ev.online_url,
            capacity: ev.capacity,
            status: &ev.status,
            series: ev.series.as_deref(),
            sequence: ev.sequence,
            updated_at,
        })
        .await?;
    state
        .store
        .replace_participants(e.id, &ev.participants)
        .await?;
    remember_people(state, &ev.participants).await?;
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
        events::notify(state, c, &e, what)
            .await
            .map_err(|e| FederationError::Refused(e.to_string()))?;
    }
    for (who, st) in &ev.participants {
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
    Ok(true)
}

/// Caches the participants this node does not know yet, so pages show names, not URLs.
async fn remember_people(
    state: &AppState,
    people: &[(String, String)],
) -> Result<(), FederationError> {
    let budget = FetchBudget::new(10);
    for (who, _) in people {
        remote::remember(state, who, &budget).await?;
    }
    Ok(())
}
