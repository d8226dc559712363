//! iCalendar (RFC 5545) feeds of sessions, as Outlook and Thunderbird subscribe to them:
//! times in UTC (`…Z`, no VTIMEZONE needed); the `icalendar` crate escapes text, folds lines
//! at 75 octets and ends them with CRLF.

use icalendar::{Calendar, Component, Event, EventLike, EventStatus, Property};
use jiff::Timestamp;

/// One session as a calendar shows it.
#[derive(Debug, Clone)]
pub struct IcsEvent {
    pub uid: String,
    pub stamp: i64,
    pub start: i64,
    pub end: i64,
    pub summary: String,
    pub description: String,
    pub location: String,
    pub url: String,
    pub cancelled: bool,
    pub sequence: i64,
}

/// A UTC DATE-TIME (`20261201T083000Z`, RFC 5545 §3.3.5 form 2). Formatted here because the
/// crate's typed setters (`starts`, `timestamp`) take `chrono` values and our times are
/// `jiff`; the crate still writes the property.
fn utc(ms: i64) -> String {
    Timestamp::from_millisecond(ms)
        .map(|t| t.strftime("%Y%m%dT%H%M%SZ").to_string())
        .unwrap_or_default()
}

/// The one thing the crate leaves to us: it escapes `\\ ; , \n` in TEXT values but passes
/// carriage returns and other control characters through, and a bare CR (browsers send
/// textarea lines as CRLF) would cut the content line for calendar clients. TEXT excludes
/// controls anyway (§3.3.11), so they are dropped, newlines kept for the crate to escape.
fn plain(s: &str) -> String {
    s.chars()
        .filter(|&c| c == '\n' || !c.is_control())
        .collect()
}

fn vevent(e: &IcsEvent) -> Event {
    let mut ev = Event::new();
    ev.uid(&plain(&e.uid))
        .add_property("DTSTAMP", utc(e.stamp))
        .add_property("DTSTART", utc(e.start))
        .add_property("DTEND", utc(e.end))
        .sequence(u32::try_from(e.sequence.max(0)).unwrap_or(u32::MAX))
        .summary(&plain(&e.summary))
        .status(if e.cancelled {
            EventStatus::Cancelled
        } else {
            EventStatus::Confirmed
        });
    if !e.description.is_empty() {
        ev.description(&plain(&e.description));
    }
    if !e.location.is_empty() {
        ev.location(&plain(&e.location));
    }
    if !e.url.is_empty() {
        ev.url(&e.url);
    }
    ev.done()
}

/// A VCALENDAR named `name` with the given sessions.
pub fn calendar(name: &str, events: &[IcsEvent]) -> String {
    // `Calendar::empty` and our own header: `Calendar::new` would say `PRODID:ICALENDAR-RS`,
    // and `Calendar::name` also writes RFC 7986 `NAME`, which the crate does not escape.
    let mut cal = Calendar::empty();
    for (key, value) in [
        ("VERSION", "2.0"),
        ("PRODID", "-//entrepairs//séances//FR"),
        ("CALSCALE", "GREGORIAN"),
        ("METHOD", "PUBLISH"),
    ] {
        cal.append_property(Property::new(key, value));
    }
    cal.append_property(Property::new("X-WR-CALNAME", plain(name)));
    cal.extend(events.iter().map(vevent));
    cal.to_string()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn text_is_escaped_and_long_lines_are_folded_on_character_boundaries() {
        let e = IcsEvent {
            uid: "https://b.example/events/1".into(),
            stamp: 0,
            start: 1_796_113_800_000,
            end: 1_796_122_800_000,
            summary: "Séance; ordre du jour, suite".into(),
            description: "é".repeat(100),
            location: String::new(),
            url: String::new(),
            cancelled: true,
            sequence: 2,
        };
        let ics = calendar("Accueil", &[e]);
        assert!(ics.contains("SUMMARY:Séance\\; ordre du jour\\, suite\r\n"));
        assert!(ics.contains("STATUS:CANCELLED\r\n"));
        assert!(ics.contains("DTSTART:20261201T083000Z\r\n"));
        assert!(ics.lines().all(|l| l.len() <= 76), "folded (plus the CR)");
        let unfolded = ics.replace("\r\n ", "");
        assert!(unfolded.contains(&format!("DESCRIPTION:{}", "é".repeat(100))));
    }

    #[test]
    fn carriage_returns_and_control_characters_never_reach_the_feed() {
        let e = IcsEvent {
            uid: "https://b.example/events/2".into(),
            stamp: 0,
            start: 0,
            end: 0,
            summary: "Club\u{7} accueil".into(),
            description: "ligne 1\r\nligne 2".into(),
            location: String::new(),
            url: String::new(),
            cancelled: false,
            sequence: 0,
        };
        let ics = calendar("Accueil", &[e]);
        assert!(
            ics.contains("\r\nDESCRIPTION:ligne 1\\nligne 2\r\n"),
            "{ics}"
        );
        assert!(ics.contains("\r\nSUMMARY:Club accueil\r\n"), "{ics}");
        assert!(ics.contains("\r\nSTATUS:CONFIRMED\r\n"), "{ics}");
        assert_eq!(ics.matches('\r').count(), ics.matches("\r\n").count());
        assert_eq!(ics.matches('\n').count(), ics.matches("\r\n").count());
    }
}
