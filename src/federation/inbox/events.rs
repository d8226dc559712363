//! Sessions as they arrive: a member's `Join` or `Leave` on the host, the group's answer to
//! one of our agents' Joins, and the group's Announced `Create`/`Update`/`Delete{Event}` on a
//! member's node.

use serde_json::Value;

use super::Activity;
use crate::db::{CommunityRow, NewEvent, now_ms};
use crate::domain::{event_cache, participation};
use crate::federation::FederationError;
use crate::federation::convert::events::read_event;
use crate::federation::convert::from_as::{id_of, kind_of};
use crate::state::AppState;

/// The session a Join or Leave is about.
fn session(a: &Activity) -> Result<&str, FederationError> {
    id_of(&a.object)
        .ok_or_else(|| FederationError::Malformed(format!("{} without a session", a.kind)))
}

/// Inbox of the host: a member asks for a seat.
pub async fn on_join(state: &AppState, a: &Activity) -> Result<(), FederationError> {
    let event = session(a)?;
    Ok(participation::registration_received(state, event, &a.actor, &a.id).await?)
}

/// Inbox of the host: a participant leaves.
pub async fn on_leave(state: &AppState, a: &Activity) -> Result<(), FederationError> {
    let event = session(a)?;
    Ok(participation::withdrawal_received(state, event, &a.actor).await?)
}

/// Inbox of a member's node: the group's answer to `who`'s Join of session `event_id` (found
/// by the classification; `was` is the registration's state before).
pub async fn on_answer(
    state: &AppState,
    a: &Activity,
    event_id: i64,
    who: &str,
    was: &str,
) -> Result<(), FederationError> {
    let accepted = a.kind == "Accept";
    Ok(participation::registration_answered(state, event_id, who, was, &a.actor, accepted).await?)
}

/// A group Announced `verb` of a session of its community `c`: sessions come from their
/// group only, and their ids from its node.
pub async fn on_announced(
    state: &AppState,
    c: &CommunityRow,
    verb: &str,
    inner_actor: &str,
    object: &Value,
) -> Result<(), FederationError> {
    match verb {
        "Create" | "Update" if kind_of(object) == Some("Event") => {}
        "Delete" => {
            if inner_actor != c.ap_id {
                return Err(FederationError::OriginMismatch(
                    "only the group deletes a session".into(),
                ));
            }
            let id = id_of(object).unwrap_or_default();
            return Ok(event_cache::remove_announced(state, c, id).await?);
        }
        _ => return Ok(()),
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
    let new = NewEvent {
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
        updated_at: ev.updated_at.unwrap_or_else(now_ms),
    };
    Ok(event_cache::store_announced(state, c, &new, &ev.participants, &ev.attended).await?)
}
