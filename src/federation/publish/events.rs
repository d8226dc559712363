//! The activities of an [`EventChange`]: the group's Announced `Create`/`Update{Event}`, a
//! member's `Join` and `Leave`, the group's `Accept` or `Reject` of a `Join`, and an
//! animateur's `Create`/`Update`/`Delete{Event}` sent from her own node to the host.

use serde_json::json;

use super::announce::announce;
use crate::db::{CommunityRow, EventRow, ParticipantRow, now_ms};
use crate::domain::changes::EventChange;
use crate::domain::event_time::rfc3339;
use crate::domain::events::Proposal;
use crate::federation::convert::events::event_object;
use crate::federation::convert::to_as::activity;
use crate::federation::{FederationError, outbox};
use crate::state::AppState;

pub async fn publish(state: &AppState, change: EventChange) -> Result<(), FederationError> {
    match change {
        EventChange::Created {
            community,
            event,
            participants,
        } => announce_event(state, &community, &event, &participants, "Create").await,
        EventChange::Updated {
            community,
            event,
            participants,
        } => announce_event(state, &community, &event, &participants, "Update").await,
        EventChange::JoinRequested {
            group,
            event,
            member,
            join_id,
        } => {
            let doc = activity(
                "Join",
                &join_id,
                &member.ap_id,
                json!(event.ap_id),
                &[&group.ap_id],
            );
            outbox::send_to(state, &member, &doc, &group).await
        }
        EventChange::Left {
            group,
            event,
            member,
        } => {
            let doc = activity(
                "Leave",
                &state.urls.new_activity(),
                &member.ap_id,
                json!(event.ap_id),
                &[&group.ap_id],
            );
            outbox::send_to(state, &member, &doc, &group).await
        }
        EventChange::RegistrationAnswered {
            group,
            event,
            participant,
            join_id,
            accepted,
        } => {
            let object = match join_id {
                Some(j) => json!(j),
                None => json!({"type": "Join", "actor": participant.ap_id, "object": event.ap_id}),
            };
            let verb = if accepted { "Accept" } else { "Reject" };
            let doc = activity(
                verb,
                &state.urls.new_activity(),
                &group.ap_id,
                object,
                &[&participant.ap_id],
            );
            outbox::send_to(state, &group, &doc, &participant).await
        }
        EventChange::Proposed {
            group,
            animateur,
            proposal,
        } => {
            let verb = match (&proposal.event, proposal.cancel) {
                (None, _) => "Create",
                (Some(_), false) => "Update",
                (Some(_), true) => "Delete",
            };
            let object = if proposal.cancel {
                json!(proposal.event)
            } else {
                proposed_event(&proposal, &group.ap_id, &animateur.ap_id)
            };
            let doc = activity(
                verb,
                &state.urls.new_activity(),
                &animateur.ap_id,
                object,
                &[&group.ap_id],
            );
            outbox::send_to(state, &animateur, &doc, &group).await
        }
    }
}

/// The `Event` an animateur of another node sends to the host (issue 18): the fields she
/// typed, in the shape the group announces; the host numbers a new one.
fn proposed_event(p: &Proposal, group: &str, animateur: &str) -> serde_json::Value {
    let mut doc = json!({
        "type": "Event",
        "name": p.title,
        "source": {"content": p.source, "mediaType": "text/markdown"},
        "attributedTo": group,
        "audience": group,
        "to": [group],
        "organizer": animateur,
        "startTime": rfc3339(p.start),
        "endTime": rfc3339(p.end),
        "eventKind": p.kind,
    });
    if let Some(id) = &p.event {
        doc["id"] = json!(id);
    }
    if !p.address.is_empty() {
        doc["location"] = json!({
            "type": "Place",
            "name": p.address,
            "address": {"type": "PostalAddress", "streetAddress": p.address},
        });
    }
    if !p.online_url.is_empty() {
        doc["attachment"] = json!([{"type": "Link", "name": "visio", "href": p.online_url}]);
    }
    if let Some(cap) = p.capacity {
        doc["maximumAttendeeCapacity"] = json!(cap);
    }
    if !p.repeat.is_empty() {
        doc["repeat"] = json!(p.repeat);
        doc["repeatCount"] = json!(p.count);
    }
    doc
}

/// The group Announces the session, with who takes part, to its members' nodes.
async fn announce_event(
    state: &AppState,
    c: &CommunityRow,
    e: &EventRow,
    participants: &[ParticipantRow],
    verb: &str,
) -> Result<(), FederationError> {
    let mut doc = event_object(e, &c.ap_id, participants);
    // Each announce is a new version: members' nodes drop an older one arriving late.
    doc["updated"] = json!(rfc3339(now_ms().max(e.updated_at)));
    // A session is created once: its Create's id derives from it, so that a journal replay
    // is the same activity (and Announce). Updates are versions, each its own id.
    let id = if verb == "Create" {
        format!("{}#create", e.ap_id)
    } else {
        state.urls.new_activity()
    };
    let act = activity(verb, &id, &c.ap_id, doc, &[&c.ap_id]);
    Ok(announce(state, c, &act).await?)
}
