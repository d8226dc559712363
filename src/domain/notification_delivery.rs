//! When an agent hears of a notification outside the app: now, at the end of their quiet
//! hours, in their digest, or not at all. One pure function, [`plan`], that every channel
//! (mail now, push later) asks, so that the agent's preferences mean the same everywhere.

use std::collections::BTreeMap;

use jiff::civil::{Time, Weekday};
use jiff::tz::TimeZone;
use jiff::{Timestamp, ToSpan};
use serde::{Deserialize, Serialize};

use super::notifications::kind;

/// How one kind of notification reaches the agent.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, utoipa::ToSchema)]
pub enum Mode {
    /// A message as soon as it happens (outside quiet hours).
    #[serde(rename = "now")]
    Now,
    /// Only in the digest.
    #[serde(rename = "digest")]
    Digest,
    /// Never outside the app.
    #[serde(rename = "off")]
    Off,
}

impl Mode {
    pub fn as_str(self) -> &'static str {
        match self {
            Mode::Now => "now",
            Mode::Digest => "digest",
            Mode::Off => "off",
        }
    }

    pub fn parse(s: &str) -> Option<Mode> {
        match s {
            "now" => Some(Mode::Now),
            "digest" => Some(Mode::Digest),
            "off" => Some(Mode::Off),
            _ => None,
        }
    }
}

/// How often the digest comes.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, utoipa::ToSchema)]
pub enum Digest {
    #[serde(rename = "daily")]
    Daily,
    #[serde(rename = "weekly")]
    Weekly,
    #[serde(rename = "never")]
    Never,
}

impl Digest {
    pub fn as_str(self) -> &'static str {
        match self {
            Digest::Daily => "daily",
            Digest::Weekly => "weekly",
            Digest::Never => "never",
        }
    }

    pub fn parse(s: &str) -> Option<Digest> {
        match s {
            "daily" => Some(Digest::Daily),
            "weekly" => Some(Digest::Weekly),
            "never" => Some(Digest::Never),
            _ => None,
        }
    }
}

/// The agent's right to disconnect: nothing is sent from `start` to `end` (minutes after local
/// midnight, across midnight when `start > end`; none when equal), nor on Saturdays and
/// Sundays when `weekends`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Quiet {
    pub start: u16,
    pub end: u16,
    pub weekends: bool,
}

impl Default for Quiet {
    fn default() -> Self {
        Quiet {
            start: 19 * 60,
            end: 8 * 60,
            weekends: true,
        }
    }
}

/// The preference keys agents choose for, in the order pages list them. The two answers to a
/// membership request share one (`membership_decided`).
pub const PREF_KINDS: [&str; 9] = [
    kind::MENTION,
    kind::REPLY,
    MEMBERSHIP_DECIDED,
    kind::REQUEST,
    kind::INVITED,
    kind::ACTION_OWNER,
    kind::RESOURCE_REFUSED,
    PEER_REQUEST,
    kind::SESSION_REMINDER,
];

/// The preference of both answers to one's membership request.
pub const MEMBERSHIP_DECIDED: &str = "membership_decided";
/// The preference of a federation request waiting for the admins (`kind::PEER_REQUEST`).
pub const PEER_REQUEST: &str = kind::PEER_REQUEST;

/// The preference key that governs a notification kind.
pub fn pref_key(notification_kind: &str) -> &str {
    match notification_kind {
        kind::ACCEPTED | kind::REJECTED => MEMBERSHIP_DECIDED,
        other => other,
    }
}

/// Everything an agent chose; [`Prefs::default`] is what an agent who chose nothing gets.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Prefs {
    /// By preference key; a key absent means [`Mode::Now`].
    pub modes: BTreeMap<String, Mode>,
    pub digest: Digest,
    pub quiet: Quiet,
    /// Communities (ids) the agent hears nothing about outside the app.
    pub muted: Vec<i64>,
}

impl Default for Prefs {
    fn default() -> Self {
        Prefs {
            modes: BTreeMap::new(),
            digest: Digest::Weekly,
            quiet: Quiet::default(),
            muted: Vec::new(),
        }
    }
}

impl Prefs {
    pub fn mode(&self, notification_kind: &str) -> Mode {
        self.modes
            .get(pref_key(notification_kind))
            .copied()
            .unwrap_or(Mode::Now)
    }
}

/// What a channel does with one notification.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Plan {
    /// Send now.
    Now,
    /// Send at this instant (ms): the end of the quiet hours.
    At(i64),
    /// Keep it for the digest.
    Digest,
    /// Nothing outside the app.
    Off,
}

/// The one decision: muted community, then the kind's mode, then the quiet hours (in the
/// node's time zone `tz`).
pub fn plan(
    prefs: &Prefs,
    notification_kind: &str,
    community: Option<i64>,
    now_ms: i64,
    tz: &TimeZone,
) -> Plan {
    if community.is_some_and(|c| prefs.muted.contains(&c)) {
        return Plan::Off;
    }
    match prefs.mode(notification_kind) {
        Mode::Off => Plan::Off,
        Mode::Digest if prefs.digest == Digest::Never => Plan::Off,
        Mode::Digest => Plan::Digest,
        Mode::Now => match quiet_until(&prefs.quiet, now_ms, tz) {
            None => Plan::Now,
            Some(at) => Plan::At(at),
        },
    }
}

fn is_quiet(quiet: &Quiet, at: &jiff::Zoned) -> bool {
    if quiet.weekends && matches!(at.weekday(), Weekday::Saturday | Weekday::Sunday) {
        return true;
    }
    let minute = u16::try_from(i32::from(at.hour()) * 60 + i32::from(at.minute())).unwrap_or(0);
    match quiet.start.cmp(&quiet.end) {
        std::cmp::Ordering::Equal => false,
        std::cmp::Ordering::Less => quiet.start <= minute && minute < quiet.end,
        std::cmp::Ordering::Greater => minute >= quiet.start || minute < quiet.end,
    }
}

/// When the quiet hours around `now_ms` end, or `None` when it is not quiet now. Quiet time
/// only ever ends at `end` or at a midnight (a weekend's end), so those are the candidates.
pub fn quiet_until(quiet: &Quiet, now_ms: i64, tz: &TimeZone) -> Option<i64> {
    let now = Timestamp::from_millisecond(now_ms)
        .ok()?
        .to_zoned(tz.clone());
    if !is_quiet(quiet, &now) {
        return None;
    }
    let end = Time::new(
        i8::try_from(quiet.end / 60).unwrap_or(0),
        i8::try_from(quiet.end % 60).unwrap_or(0),
        0,
        0,
    )
    .ok()?;
    let today = now.date();
    (0..9)
        .filter_map(|d: i64| today.checked_add(d.days()).ok())
        .flat_map(|day| [day.to_datetime(Time::midnight()), day.to_datetime(end)])
        .filter_map(|dt| dt.to_zoned(tz.clone()).ok())
        .filter(|z| z.timestamp() > now.timestamp() && !is_quiet(quiet, z))
        .map(|z| z.timestamp().as_millisecond())
        .min()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn paris() -> TimeZone {
        TimeZone::get("Europe/Paris").expect("tz")
    }

    fn at(s: &str) -> i64 {
        // Wall-clock time in Paris.
        s.parse::<jiff::civil::DateTime>()
            .expect("datetime")
            .to_zoned(paris())
            .expect("zoned")
            .timestamp()
            .as_millisecond()
    }

    #[test]
    fn weekday_daytime_is_now() {
        // Tuesday 1 December 2026, 10:00.
        let p = Prefs::default();
        assert_eq!(
            plan(&p, kind::MENTION, None, at("2026-12-01T10:00"), &paris()),
            Plan::Now
        );
    }

    #[test]
    fn evening_waits_for_the_morning() {
        let p = Prefs::default();
        assert_eq!(
            plan(&p, kind::MENTION, None, at("2026-12-01T21:30"), &paris()),
            Plan::At(at("2026-12-02T08:00"))
        );
        assert_eq!(
            plan(&p, kind::MENTION, None, at("2026-12-02T07:59"), &paris()),
            Plan::At(at("2026-12-02T08:00"))
        );
    }

    #[test]
    fn friday_evening_waits_for_monday() {
        let p = Prefs::default();
        assert_eq!(
            plan(&p, kind::REPLY, None, at("2026-12-04T19:00"), &paris()),
            Plan::At(at("2026-12-07T08:00"))
        );
        assert_eq!(
            plan(&p, kind::REPLY, None, at("2026-12-06T12:00"), &paris()),
            Plan::At(at("2026-12-07T08:00"))
        );
    }

    #[test]
    fn weekends_may_be_allowed_and_quiet_hours_removed() {
        let mut p = Prefs::default();
        p.quiet.weekends = false;
        assert_eq!(
            plan(&p, kind::REPLY, None, at("2026-12-05T12:00"), &paris()),
            Plan::Now
        );
        // Saturday 23:00: Sunday 08:00.
        assert_eq!(
            plan(&p, kind::REPLY, None, at("2026-12-05T23:00"), &paris()),
            Plan::At(at("2026-12-06T08:00"))
        );
        p.quiet.start = 0;
        p.quiet.end = 0;
        assert_eq!(
            plan(&p, kind::REPLY, None, at("2026-12-05T23:00"), &paris()),
            Plan::Now
        );
    }

    #[test]
    fn daytime_quiet_hours() {
        let p = Prefs {
            quiet: Quiet {
                start: 12 * 60,
                end: 14 * 60,
                weekends: false,
            },
            ..Prefs::default()
        };
        assert_eq!(
            plan(&p, kind::MENTION, None, at("2026-12-01T12:30"), &paris()),
            Plan::At(at("2026-12-01T14:00"))
        );
        assert_eq!(
            plan(&p, kind::MENTION, None, at("2026-12-01T21:30"), &paris()),
            Plan::Now
        );
    }

    #[test]
    fn modes_digest_and_mutes() {
        let mut p = Prefs::default();
        p.modes.insert(kind::REPLY.into(), Mode::Digest);
        p.modes.insert(MEMBERSHIP_DECIDED.into(), Mode::Off);
        p.muted.push(7);
        let noon = at("2026-12-01T12:00");
        assert_eq!(plan(&p, kind::REPLY, None, noon, &paris()), Plan::Digest);
        assert_eq!(plan(&p, kind::ACCEPTED, None, noon, &paris()), Plan::Off);
        assert_eq!(plan(&p, kind::REJECTED, None, noon, &paris()), Plan::Off);
        assert_eq!(plan(&p, kind::MENTION, Some(7), noon, &paris()), Plan::Off);
        assert_eq!(plan(&p, kind::MENTION, Some(8), noon, &paris()), Plan::Now);
        p.digest = Digest::Never;
        assert_eq!(plan(&p, kind::REPLY, None, noon, &paris()), Plan::Off);
    }
}
