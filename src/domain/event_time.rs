//! Times of sessions: what an agent types (a wall-clock time in the node's time zone, or an
//! RFC 3339 instant from the API) becomes UTC milliseconds; a monthly series becomes the
//! start of each of its sessions, at the same wall-clock time whatever the DST change.

use jiff::civil::{Date, DateTime, Weekday};
use jiff::tz::TimeZone;
use jiff::{Timestamp, ToSpan};

use super::error::{DomainError, DomainResult, Rule};

/// How the sessions of a series follow each other.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Repeat {
    /// Same weekday and rank in the month as the first: "every first Tuesday".
    MonthlyWeekday,
    /// Same day of the month (the last day when a month is shorter).
    MonthlyDay,
}

impl Repeat {
    pub fn parse(s: &str) -> DomainResult<Option<Self>> {
        match s {
            "" | "none" => Ok(None),
            "monthly_weekday" => Ok(Some(Self::MonthlyWeekday)),
            "monthly_day" => Ok(Some(Self::MonthlyDay)),
            _ => Err(DomainError::invalid("repeat", Rule::Choice)),
        }
    }
}

fn tz(name: &str) -> TimeZone {
    TimeZone::get(name).unwrap_or(TimeZone::UTC)
}

fn bad_date(field: &'static str) -> DomainError {
    DomainError::invalid(field, Rule::DateTime)
}

/// Parses `2026-12-01T09:30` (a wall-clock time in `timezone`, as an HTML `datetime-local`
/// field sends it) or an RFC 3339 instant (`2026-12-01T08:30:00Z`).
pub fn parse(field: &'static str, raw: &str, timezone: &str) -> DomainResult<i64> {
    let raw = raw.trim();
    if raw.is_empty() || raw.len() > 40 {
        return Err(bad_date(field));
    }
    if let Ok(ts) = raw.parse::<Timestamp>() {
        return Ok(ts.as_millisecond());
    }
    let dt: DateTime = raw.parse().map_err(|_| bad_date(field))?;
    let zoned = dt.to_zoned(tz(timezone)).map_err(|_| bad_date(field))?;
    Ok(zoned.timestamp().as_millisecond())
}

/// The wall-clock value of a time in `timezone`, for a `datetime-local` field.
pub fn local_input(ms: i64, timezone: &str) -> String {
    Timestamp::from_millisecond(ms)
        .map(|t| {
            t.to_zoned(tz(timezone))
                .strftime("%Y-%m-%dT%H:%M")
                .to_string()
        })
        .unwrap_or_default()
}

/// RFC 3339 in UTC, for ActivityStreams and the API.
pub fn rfc3339(ms: i64) -> String {
    Timestamp::from_millisecond(ms)
        .map(|t| t.to_string())
        .unwrap_or_default()
}

/// Start and end of each of `count` monthly sessions, the first at `start`..`end`.
pub fn series(
    start: i64,
    end: i64,
    repeat: Repeat,
    count: usize,
    timezone: &str,
) -> DomainResult<Vec<(i64, i64)>> {
    let zone = tz(timezone);
    let first = Timestamp::from_millisecond(start)
        .map_err(|_| bad_date("start"))?
        .to_zoned(zone.clone());
    let length = end - start;
    let day = first.date();
    let rank = (day.day() - 1) / 7 + 1;
    let mut out = Vec::with_capacity(count);
    for i in 0..count {
        let months = i64::try_from(i).unwrap_or(0);
        let month_start = day
            .first_of_month()
            .checked_add(months.months())
            .map_err(|_| bad_date("start"))?;
        let date = match repeat {
            Repeat::MonthlyDay => day
                .checked_add(months.months())
                .map_err(|_| bad_date("start"))?,
            Repeat::MonthlyWeekday => nth_weekday(month_start, rank, day.weekday())?,
        };
        let local = date.to_datetime(first.time());
        let at = local
            .to_zoned(zone.clone())
            .map_err(|_| bad_date("start"))?
            .timestamp()
            .as_millisecond();
        out.push((at, at + length));
    }
    Ok(out)
}

/// The `rank`-th `weekday` of the month of `month_start`; the last one when the month has
/// fewer (a "fifth Tuesday" series falls on the last Tuesday).
fn nth_weekday(month_start: Date, rank: i8, weekday: Weekday) -> DomainResult<Date> {
    match month_start.nth_weekday_of_month(rank, weekday) {
        Ok(d) => Ok(d),
        Err(_) => month_start
            .nth_weekday_of_month(-1, weekday)
            .map_err(|_| bad_date("start")),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const PARIS: &str = "Europe/Paris";

    #[test]
    fn a_wall_clock_time_is_read_in_paris_and_stored_in_utc() {
        // 1 December 2026, 9:30 in Paris (winter, UTC+1) is 8:30 UTC.
        let ms = parse("start", "2026-12-01T09:30", PARIS).expect("parsed");
        assert_eq!(rfc3339(ms), "2026-12-01T08:30:00Z");
        assert_eq!(local_input(ms, PARIS), "2026-12-01T09:30");
        let utc = parse("start", "2026-12-01T08:30:00Z", PARIS).expect("instant");
        assert_eq!(utc, ms);
        for bad in ["", "demain", "2026-13-01T09:30", "2026-12-01 25:00"] {
            assert!(parse("start", bad, PARIS).is_err(), "{bad:?}");
        }
    }

    #[test]
    fn every_first_tuesday_keeps_the_paris_time_across_the_dst_change() {
        let start = parse("start", "2027-02-02T09:30", PARIS).expect("start");
        let end = parse("end", "2027-02-02T12:00", PARIS).expect("end");
        let s = series(start, end, Repeat::MonthlyWeekday, 3, PARIS).expect("series");
        let shown: Vec<_> = s.iter().map(|(a, _)| local_input(*a, PARIS)).collect();
        // First Tuesdays of February, March and April 2027; summer time starts on 28 March.
        assert_eq!(
            shown,
            ["2027-02-02T09:30", "2027-03-02T09:30", "2027-04-06T09:30"]
        );
        assert_eq!(rfc3339(s[2].0), "2027-04-06T07:30:00Z");
        assert!(s.iter().all(|(a, b)| b - a == 150 * 60 * 1000));
    }

    #[test]
    fn same_day_of_month_falls_back_to_the_last_day_of_short_months() {
        let start = parse("start", "2027-01-31T14:00", PARIS).expect("start");
        let s = series(start, start + 3_600_000, Repeat::MonthlyDay, 2, PARIS).expect("series");
        assert_eq!(local_input(s[1].0, PARIS), "2027-02-28T14:00");
    }
}
