//! Dates as agents read them: French format, in the node's time zone.

use jiff::Timestamp;
use jiff::tz::TimeZone;

/// `22/11/2026 à 14:05` (or `22/11/2026 14:05` in English) for a time in milliseconds.
pub fn datetime(ms: i64, timezone: &str, lang: &str) -> String {
    let tz = TimeZone::get(timezone).unwrap_or(TimeZone::UTC);
    match Timestamp::from_millisecond(ms) {
        Ok(ts) => {
            let zoned = ts.to_zoned(tz);
            if lang == "fr" {
                zoned.strftime("%d/%m/%Y à %H:%M").to_string()
            } else {
                zoned.strftime("%Y-%m-%d %H:%M").to_string()
            }
        }
        Err(_) => String::new(),
    }
}

const WEEKDAYS_FR: [&str; 7] = [
    "lundi", "mardi", "mercredi", "jeudi", "vendredi", "samedi", "dimanche",
];
const MONTHS_FR: [&str; 12] = [
    "janvier",
    "février",
    "mars",
    "avril",
    "mai",
    "juin",
    "juillet",
    "août",
    "septembre",
    "octobre",
    "novembre",
    "décembre",
];

/// A session's time as people say it: `mardi 5 janvier 2027, 14:00 – 16:00` (the end's date
/// only when it is another day), `Tuesday 5 January 2027, 14:00 – 16:00` in English.
pub fn span(start_ms: i64, end_ms: i64, timezone: &str, lang: &str) -> String {
    let tz = TimeZone::get(timezone).unwrap_or(TimeZone::UTC);
    let (Ok(start), Ok(end)) = (
        Timestamp::from_millisecond(start_ms),
        Timestamp::from_millisecond(end_ms),
    ) else {
        return String::new();
    };
    let (start, end) = (start.to_zoned(tz.clone()), end.to_zoned(tz));
    let day = |z: &jiff::Zoned| {
        if lang == "fr" {
            let weekday =
                WEEKDAYS_FR[usize::from(z.weekday().to_monday_zero_offset().unsigned_abs())];
            let month = MONTHS_FR[usize::from(z.month().unsigned_abs()).saturating_sub(1)];
            let first = if z.day() == 1 {
                "1er".to_owned()
            } else {
                z.day().to_string()
            };
            format!("{weekday} {first} {month} {}", z.year())
        } else {
            z.strftime("%A %-d %B %Y").to_string()
        }
    };
    let hour = |z: &jiff::Zoned| z.strftime("%H:%M").to_string();
    if start.date() == end.date() {
        format!("{}, {} – {}", day(&start), hour(&start), hour(&end))
    } else {
        format!(
            "{}, {} – {}, {}",
            day(&start),
            hour(&start),
            day(&end),
            hour(&end)
        )
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_session_says_its_weekday_and_month_in_words() {
        // 2027-01-05 13:00 UTC is 14:00 in Paris, a Tuesday.
        let start = 1_799_154_000_000;
        let end = start + 2 * 3_600_000;
        assert_eq!(
            span(start, end, "Europe/Paris", "fr"),
            "mardi 5 janvier 2027, 14:00 – 16:00"
        );
        assert_eq!(
            span(start, end + 86_400_000, "Europe/Paris", "fr"),
            "mardi 5 janvier 2027, 14:00 – mercredi 6 janvier 2027, 16:00"
        );
    }

    #[test]
    fn dates_are_shown_in_paris_time() {
        // 2026-07-14 10:00 UTC is noon in Paris (summer time).
        let ms = 1_784_023_200_000;
        assert_eq!(datetime(ms, "Europe/Paris", "fr"), "14/07/2026 à 12:00");
        assert_eq!(datetime(ms, "UTC", "en"), "2026-07-14 10:00");
    }
}
