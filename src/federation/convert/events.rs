//! Community sessions as ActivityStreams `Event`s, both directions, in the shape Mobilizon
//! publishes: `startTime`, `endTime`, `location` (a `Place` with a `PostalAddress`),
//! `maximumAttendeeCapacity`, `remainingAttendeeCapacity`, `participantCount`, `joinMode`,
//! `ical:status`, attributed to the group. The host also lists who registered
//! (`participants`), so members' nodes can show it without asking, and, once an animateur
//! marked attendance, who came (`"attended": true` on a participant): how an agent's own node
//! learns it may give them an attestation (`docs/federation.md`).

use serde_json::{Value, json};

use super::from_as::{Origin, id_of, kind_of, origin, str_field};
use crate::db::{EventRow, ParticipantRow};
use crate::domain::event_time::rfc3339;
use crate::domain::notes::sanitize;
use crate::federation::FederationError;

/// Largest participant list read from a peer.
const MAX_PARTICIPANTS: usize = 5_000;

/// The `Event` object of a session of the community whose group is `group`.
pub fn event_object(e: &EventRow, group: &str, participants: &[ParticipantRow]) -> Value {
    let listed: Vec<Value> = participants
        .iter()
        .filter(|p| p.state != "pending")
        .map(|p| match p.attended_at {
            Some(_) => json!({"id": p.actor_ap_id, "state": p.state, "attended": true}),
            None => json!({"id": p.actor_ap_id, "state": p.state}),
        })
        .collect();
    let mut doc = json!({
        "type": "Event",
        "id": e.ap_id,
        "name": e.title,
        "content": e.content_html,
        "mediaType": "text/html",
        "attributedTo": group,
        "audience": group,
        "to": [group],
        "organizer": e.organizer,
        "startTime": rfc3339(e.starts_at),
        "endTime": rfc3339(e.ends_at),
        "published": rfc3339(e.created_at),
        "updated": rfc3339(e.updated_at),
        "joinMode": "free",
        "ical:status": if e.status == "cancelled" { "CANCELLED" } else { "CONFIRMED" },
        "eventKind": e.kind,
        "participantCount": e.accepted,
        "sequence": e.sequence,
        "isOnline": !e.online_url.is_empty(),
        "participants": listed,
    });
    if !e.source.is_empty() {
        doc["source"] = json!({"content": e.source, "mediaType": "text/markdown"});
    }
    if !e.address.is_empty() {
        doc["location"] = json!({
            "type": "Place",
            "name": e.address,
            "address": {"type": "PostalAddress", "streetAddress": e.address},
        });
    }
    if !e.online_url.is_empty() {
        doc["attachment"] = json!([{"type": "Link", "name": "visio", "href": e.online_url}]);
    }
    if let Some(cap) = e.capacity {
        doc["maximumAttendeeCapacity"] = json!(cap);
        doc["remainingAttendeeCapacity"] = json!((cap - e.accepted).max(0));
    }
    if let Some(s) = &e.series {
        doc["series"] = json!(s);
    }
    doc
}

/// An event read from its host, its HTML sanitised and its values checked.
#[derive(Debug, Clone)]
pub struct IncomingEvent {
    pub id: String,
    pub authority: String,
    pub attributed_to: String,
    pub organizer: String,
    pub kind: String,
    pub title: String,
    pub source: String,
    pub content_html: String,
    pub starts_at: i64,
    pub ends_at: i64,
    pub address: String,
    pub online_url: String,
    pub capacity: Option<i64>,
    pub status: String,
    pub series: Option<String>,
    pub sequence: i64,
    /// The `updated` time of this version (the host's clock).
    pub updated_at: Option<i64>,
    /// (actor id, `accepted` or `waiting`), in registration order.
    pub participants: Vec<(String, String)>,
    /// The participants the host marked present.
    pub attended: Vec<String>,
}

fn time(doc: &Value, name: &str) -> Option<i64> {
    str_field(doc, name)
        .and_then(|t| t.parse::<jiff::Timestamp>().ok())
        .map(|t| t.as_millisecond())
}

fn text(v: Option<&str>, max: usize) -> String {
    v.unwrap_or_default().chars().take(max).collect()
}

/// Reads an `Event`; its id must be on the node of the group it is attributed to.
pub fn read_event(doc: &Value) -> Result<IncomingEvent, FederationError> {
    let bad = |m: &str| FederationError::Malformed(format!("event: {m}"));
    if kind_of(doc) != Some("Event") {
        return Err(bad("not an Event"));
    }
    let Origin {
        id,
        authority,
        attributed_to,
    } = origin(doc, "event")?;
    let starts_at = time(doc, "startTime").ok_or_else(|| bad("no startTime"))?;
    let ends_at = time(doc, "endTime").ok_or_else(|| bad("no endTime"))?;
    if ends_at <= starts_at {
        return Err(bad("endTime is not after startTime"));
    }
    let capacity = match doc.get("maximumAttendeeCapacity") {
        None | Some(Value::Null) => None,
        Some(v) => match v.as_i64() {
            Some(n) if n > 0 => Some(n),
            _ => return Err(bad("maximumAttendeeCapacity must be a positive integer")),
        },
    };
    let status = match str_field(doc, "ical:status") {
        Some("CANCELLED") => "cancelled",
        _ => "confirmed",
    };
    let kind = str_field(doc, "eventKind")
        .filter(|k| matches!(*k, "atelier" | "formation"))
        .unwrap_or("seance");
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
        .filter(|u| u.starts_with("https://") || u.starts_with("http://"))
        .unwrap_or_default();
    let participants: Vec<(String, String)> = doc
        .get("participants")
        .and_then(Value::as_array)
        .map(|list| {
            list.iter()
                .filter_map(|p| {
                    let who = str_field(p, "id")?;
                    match str_field(p, "state")? {
                        s @ ("accepted" | "waiting") => Some((who.to_owned(), s.to_owned())),
                        _ => None,
                    }
                })
                .take(MAX_PARTICIPANTS)
                .collect()
        })
        .unwrap_or_default();
    // Only a listed participant can have come: a mark on anyone else is dropped.
    let attended = doc
        .get("participants")
        .and_then(Value::as_array)
        .map(|list| {
            list.iter()
                .filter(|p| p.get("attended").and_then(Value::as_bool) == Some(true))
                .filter_map(|p| str_field(p, "id"))
                .filter(|who| participants.iter().any(|(a, _)| a == who))
                .map(str::to_owned)
                .take(MAX_PARTICIPANTS)
                .collect()
        })
        .unwrap_or_default();
    Ok(IncomingEvent {
        id: id.to_owned(),
        authority,
        attributed_to: attributed_to.to_owned(),
        organizer: text(doc.get("organizer").and_then(id_of), 500),
        kind: kind.to_owned(),
        title: text(str_field(doc, "name"), 200),
        source: text(
            doc.get("source").and_then(|s| str_field(s, "content")),
            20_000,
        ),
        content_html: sanitize(&text(str_field(doc, "content"), 100_000)),
        starts_at,
        ends_at,
        address: text(Some(address), 500),
        online_url: text(Some(online_url), 500),
        capacity,
        status: status.to_owned(),
        series: str_field(doc, "series").map(|s| text(Some(s), 100)),
        sequence: doc.get("sequence").and_then(Value::as_i64).unwrap_or(0),
        updated_at: time(doc, "updated"),
        participants,
        attended,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn sample() -> Value {
        json!({
            "type": "Event", "id": "https://b.example/events/1", "name": "Séance de décembre",
            "attributedTo": "https://b.example/c/accueil",
            "startTime": "2026-12-01T08:30:00Z", "endTime": "2026-12-01T11:00:00Z",
            "content": "<p>ok<script>x</script></p>", "maximumAttendeeCapacity": 12,
            "location": {"type": "Place", "name": "Mairie",
                "address": {"type": "PostalAddress", "streetAddress": "5 place de la Liberté"}},
            "ical:status": "CANCELLED",
            "participants": [{"id": "https://a.example/users/alice", "state": "accepted",
                "attended": true},
                {"id": "https://c.example/users/chloe", "state": "owner"}],
        })
    }

    #[test]
    fn a_mobilizon_shaped_event_is_read_and_sanitised() {
        let e = read_event(&sample()).expect("event");
        assert_eq!(e.content_html, "<p>ok</p>");
        assert_eq!(e.address, "5 place de la Liberté");
        assert_eq!(e.capacity, Some(12));
        assert_eq!(e.status, "cancelled");
        assert_eq!(e.ends_at - e.starts_at, 150 * 60 * 1000);
        assert_eq!(e.participants.len(), 1, "unknown states are dropped");
        assert_eq!(e.attended, vec!["https://a.example/users/alice".to_owned()]);
    }

    #[test]
    fn an_event_with_bad_times_capacity_or_origin_is_refused() {
        let mut d = sample();
        d["endTime"] = json!("2026-12-01T08:00:00Z");
        assert!(read_event(&d).is_err());
        let mut d = sample();
        d["maximumAttendeeCapacity"] = json!(0);
        assert!(read_event(&d).is_err());
        let mut d = sample();
        d["attributedTo"] = json!("https://c.example/c/accueil");
        assert!(matches!(
            read_event(&d),
            Err(FederationError::OriginMismatch(_))
        ));
    }
}
