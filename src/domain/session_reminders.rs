//! Session reminders (issue 15): which reminder an agent registered for a session is owed now
//! (the day before; a week before for those registered earlier), and when it may leave under
//! the agent's preferences and quiet hours. The mail itself is written by `mail::reminders`.

use jiff::tz::TimeZone;

use super::notification_delivery::{Mode, Prefs, quiet_until};
use super::notifications::kind;
use super::{Ctx, DomainResult};
use crate::db::ReminderDueRow;

const DAY_MS: i64 = 24 * 3600 * 1000;
const WEEK_MS: i64 = 7 * DAY_MS;
/// Agents reminded per run: the next run (a poll later) takes the rest.
const BATCH: i64 = 500;

/// The two reminders of a session.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Which {
    /// The day before (from 24 hours before the start).
    Day,
    /// A week before (from 7 days before), for agents registered before then.
    Week,
}

impl Which {
    pub fn as_str(self) -> &'static str {
        match self {
            Which::Day => "day",
            Which::Week => "week",
        }
    }
}

/// The reminder owed at `now` for a session starting at `starts_at` to an agent registered at
/// `registered_at`: none before the week, after the start, or for an agent who registered
/// after the reminder's moment (she has just seen the session). The day's reminder replaces a
/// week's one not sent in time.
pub fn which(now: i64, starts_at: i64, registered_at: i64) -> Option<Which> {
    let left = starts_at - now;
    let (which, from) = if left <= 0 || left > WEEK_MS {
        return None;
    } else if left <= DAY_MS {
        (Which::Day, starts_at - DAY_MS)
    } else {
        (Which::Week, starts_at - WEEK_MS)
    };
    (registered_at <= from).then_some(which)
}

/// When the reminder leaves: now, or at the end of the agent's quiet hours; `None` when the
/// agent does not want reminders, muted the community, or quiet hours last past the start
/// (a reminder after the session is no reminder).
pub fn due_at(
    prefs: &Prefs,
    community_id: i64,
    now: i64,
    starts_at: i64,
    tz: &TimeZone,
) -> Option<i64> {
    if prefs.muted.contains(&community_id) || prefs.mode(kind::SESSION_REMINDER) != Mode::Now {
        return None;
    }
    let at = quiet_until(&prefs.quiet, now, tz).unwrap_or(now);
    (at < starts_at).then_some(at)
}

/// The agents owed a reminder at `now` (a batch; the record of each keeps it from coming
/// back).
pub async fn due(ctx: &Ctx, now: i64) -> DomainResult<Vec<(ReminderDueRow, Which)>> {
    let rows = ctx.store.session_reminders_due(now, BATCH).await?;
    Ok(rows
        .into_iter()
        .filter_map(|r| which(now, r.starts_at, r.registered_at).map(|w| (r, w)))
        .collect())
}

#[cfg(test)]
mod tests {
    use super::*;

    const H: i64 = 3600 * 1000;

    #[test]
    fn a_week_then_a_day_before_for_an_early_registration() {
        let start = 100 * DAY_MS;
        let early = start - 30 * DAY_MS;
        assert_eq!(which(start - WEEK_MS - H, start, early), None);
        assert_eq!(which(start - WEEK_MS, start, early), Some(Which::Week));
        assert_eq!(which(start - 2 * DAY_MS, start, early), Some(Which::Week));
        assert_eq!(which(start - DAY_MS, start, early), Some(Which::Day));
        assert_eq!(which(start - H, start, early), Some(Which::Day));
        assert_eq!(which(start, start, early), None);
    }

    #[test]
    fn a_late_registration_gets_only_the_reminders_after_it() {
        let start = 100 * DAY_MS;
        let three_days_before = start - 3 * DAY_MS;
        assert_eq!(which(start - 2 * DAY_MS, start, three_days_before), None);
        assert_eq!(which(start - H, start, three_days_before), Some(Which::Day));
        // Registered an hour before: she has just seen it.
        assert_eq!(which(start - H / 2, start, start - H), None);
    }

    #[test]
    fn quiet_hours_delay_a_reminder_but_never_past_the_start() {
        let tz = TimeZone::get("Europe/Paris").expect("tz");
        let at = |s: &str| {
            s.parse::<jiff::civil::DateTime>()
                .expect("dt")
                .to_zoned(tz.clone())
                .expect("zoned")
                .timestamp()
                .as_millisecond()
        };
        let p = Prefs::default();
        // Monday 1 March 2027, 20:00, for Tuesday 09:30: at 08:00.
        let start = at("2027-03-02T09:30");
        assert_eq!(
            due_at(&p, 1, at("2027-03-01T20:00"), start, &tz),
            Some(at("2027-03-02T08:00"))
        );
        // For Tuesday 07:30: quiet until after the start, no reminder.
        assert_eq!(
            due_at(&p, 1, at("2027-03-01T20:00"), at("2027-03-02T07:30"), &tz),
            None
        );
        let mut off = Prefs::default();
        off.modes.insert(kind::SESSION_REMINDER.into(), Mode::Off);
        assert_eq!(due_at(&off, 1, at("2027-03-01T10:00"), start, &tz), None);
        let mut muted = Prefs::default();
        muted.muted.push(1);
        assert_eq!(due_at(&muted, 1, at("2027-03-01T10:00"), start, &tz), None);
        assert_eq!(
            due_at(&p, 1, at("2027-03-01T10:00"), start, &tz),
            Some(at("2027-03-01T10:00"))
        );
    }
}
