//! Sessions as they arrive: a member's `Join` or `Leave` on the host, the group's answer to
//! one of our agents' Joins, and the group's Announced `Create`/`Update`/`Delete{Event}` on a
//! member's node; on the host, an animateur of another node's `Create`/`Update`/`Delete` of
//! a session (issue 18), which the domain authorizes.

use serde_json::Value;

use super::Activity;
use crate::db::{CommunityRow, NewEvent, now_ms};
use crate::domain::events::{self, EventInput};
use crate::domain::{event_cache, participation};
use crate::federation::FederationError;
use crate::federation::convert::events::read_event;
use crate::federation::convert::from_as::{id_of, kind_of, str_field};
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

/// Inbox of the host (issue 18): `member` (an accepted member, checked by the group's inbox)
/// schedules (`Create`), edits (`Update`) or cancels (`Delete`) a session of `c`. The domain
/// checks that she is one of its animateurs; the input passes the host's own checks.
pub async fn on_animateur(
    state: &AppState,
    a: &Activity,
    c: &CommunityRow,
    member: &crate::db::ActorRow,
) -> Result<(), FederationError> {
    let (event, cancel, input) = match a.kind.as_str() {
        "Delete" => (id_of(&a.object), true, EventInput::default()),
        "Create" | "Update" => {
            let input = proposed_input(&a.object)?;
            let event = if a.kind == "Update" {
                Some(id_of(&a.object).ok_or_else(|| {
                    FederationError::Malformed("an edit names its session".into())
                })?)
            } else {
                None
            };
            (event, false, input)
        }
        _ => return Ok(()),
    };
    if cancel && event.is_none() {
        return Err(FederationError::Malformed(
            "a cancellation names its session".into(),
        ));
    }
    Ok(events::receive_proposal(state, c, member, event, cancel, &input).await?)
}

/// What an animateur typed, read back from her node's `Event` (the host checks it as a form).
fn proposed_input(doc: &Value) -> Result<EventInput, FederationError> {
    if kind_of(doc) != Some("Event") {
        return Err(FederationError::Malformed("not an Event".into()));
    }
    let text = |v: Option<&str>, max: usize| -> String {
        v.unwrap_or_default().chars().take(max).collect()
    };
    let address = doc
        .get("location")
        .map(|l| {
            l.get("address")
                .and_then(|a| str_field(a, "streetAddress").or_else(|| a.as_str()))
                .or_else(|| str_field(l, "name"))
                .unwrap_or_default()
        })
        .unwrap_or_default();
    let online_url = doc
        .get("attachment")
        .and_then(Value::as_array)
        .and_then(|a| a.iter().find_map(|l| str_field(l, "href")))
        .unwrap_or_default();
    let number = |name: &str| match doc.get(name) {
        Some(Value::Number(n)) => n.to_string(),
        Some(Value::String(s)) => s.chars().take(20).collect(),
        _ => String::new(),
    };
    Ok(EventInput {
        title: text(str_field(doc, "name"), 1_000),
        description: text(
            doc.get("source").and_then(|s| str_field(s, "content")),
            40_000,
        ),
        kind: text(str_field(doc, "eventKind"), 40),
        start: text(str_field(doc, "startTime"), 60),
        end: text(str_field(doc, "endTime"), 60),
        address: text(Some(address), 1_000),
        online_url: text(Some(online_url), 1_000),
        capacity: number("maximumAttendeeCapacity"),
        repeat: text(str_field(doc, "repeat"), 40),
        count: number("repeatCount"),
    })
}
