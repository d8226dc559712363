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

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn dates_are_shown_in_paris_time() {
        // 2026-07-14 10:00 UTC is noon in Paris (summer time).
        let ms = 1_784_023_200_000;
        assert_eq!(datetime(ms, "Europe/Paris", "fr"), "14/07/2026 à 12:00");
        assert_eq!(datetime(ms, "UTC", "en"), "2026-07-14 10:00");
    }
}
