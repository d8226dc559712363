//! iCalendar (RFC 5545) feeds of sessions, as Outlook and Thunderbird subscribe to them:
//! times in UTC (`…Z`, no VTIMEZONE needed), text escaped, lines folded at 75 octets, CRLF.

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

fn utc(ms: i64) -> String {
    Timestamp::from_millisecond(ms)
        .map(|t| t.strftime("%Y%m%dT%H%M%SZ").to_string())
        .unwrap_or_default()
}

/// Escapes a TEXT value (RFC 5545 §3.3.11).
fn escape(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for c in s.chars() {
        match c {
            '\\' => out.push_str("\\\\"),
            ';' => out.push_str("\\;"),
            ',' => out.push_str("\\,"),
            '\n' => out.push_str("\\n"),
            '\r' => {}
            c if c.is_control() => {}
            c => out.push(c),
        }
    }
    out
}

/// Appends one content line, folded so that no line exceeds 75 octets (§3.1), never
/// inside a UTF-8 character.
fn line(out: &mut String, name: &str, value: &str) {
    let full = format!("{name}:{value}");
    let mut width = 0;
    for c in full.chars() {
        let n = c.len_utf8();
        if width + n > 75 {
            out.push_str("\r\n ");
            width = 1;
        }
        out.push(c);
        width += n;
    }
    out.push_str("\r\n");
}

/// A VCALENDAR named `name` with the given sessions.
pub fn calendar(name: &str, events: &[IcsEvent]) -> String {
    let mut out = String::new();
    line(&mut out, "BEGIN", "VCALENDAR");
    line(&mut out, "VERSION", "2.0");
    line(&mut out, "PRODID", "-//entrepairs//séances//FR");
    line(&mut out, "CALSCALE", "GREGORIAN");
    line(&mut out, "METHOD", "PUBLISH");
    line(&mut out, "X-WR-CALNAME", &escape(name));
    for e in events {
        line(&mut out, "BEGIN", "VEVENT");
        line(&mut out, "UID", &escape(&e.uid));
        line(&mut out, "DTSTAMP", &utc(e.stamp));
        line(&mut out, "DTSTART", &utc(e.start));
        line(&mut out, "DTEND", &utc(e.end));
        line(&mut out, "SEQUENCE", &e.sequence.to_string());
        line(&mut out, "SUMMARY", &escape(&e.summary));
        if !e.description.is_empty() {
            line(&mut out, "DESCRIPTION", &escape(&e.description));
        }
        if !e.location.is_empty() {
            line(&mut out, "LOCATION", &escape(&e.location));
        }
        if !e.url.is_empty() {
            line(&mut out, "URL", &e.url);
        }
        let status = if e.cancelled {
            "CANCELLED"
        } else {
            "CONFIRMED"
        };
        line(&mut out, "STATUS", status);
        line(&mut out, "END", "VEVENT");
    }
    line(&mut out, "END", "VCALENDAR");
    out
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
}
