//! The digest (issue 15): once a day or once a week, at a fixed hour in the node's time zone,
//! what happened in every community the agent is an accepted member of, on this node or on
//! another (members' nodes keep a copy of what their communities publish). Only those
//! communities are read, muted ones left out, so the digest never tells what the agent may not
//! read. This module decides who is due and what goes in; `mail/digest.rs` writes the message.

use std::collections::HashMap;

use jiff::ToSpan;
use jiff::civil::{Date, Time, Weekday};
use jiff::tz::TimeZone;

use super::accounts::Account;
use super::error::DomainResult;
use super::notification_delivery::{Digest, Mode, Prefs, quiet_until};
use crate::db::{
    CommunityRow, DigestActionRow, DigestEventRow, DigestNoticeRow, DigestResourceRow,
    DigestThreadRow,
};
use crate::domain::Ctx;

/// The local time digests leave at (08:00: when the default quiet hours end).
pub const HOUR: i8 = 8;
/// How far ahead the digest lists sessions with free seats.
const SESSIONS_AHEAD_DAYS: i64 = 14;
/// How far ahead it lists the agent's action items due.
const ACTIONS_AHEAD_DAYS: i64 = 7;

/// One digest run: a rhythm and the instant it became due.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Period {
    pub rhythm: Digest,
    /// `daily:YYYY-MM-DD` or `weekly:YYYY-MM-DD` (that Monday): one digest per agent and key.
    pub key: String,
    /// The local date it is due on, at [`HOUR`].
    pub day: Date,
    /// That instant (ms): the end of what it tells.
    pub at: i64,
}

fn at_hour(day: Date, tz: &TimeZone) -> Option<i64> {
    let time = Time::new(HOUR, 0, 0, 0).ok()?;
    Some(
        day.to_datetime(time)
            .to_zoned(tz.clone())
            .ok()?
            .timestamp()
            .as_millisecond(),
    )
}

/// The latest period of `rhythm` due at `now_ms`: today's (or yesterday's before [`HOUR`]) for
/// daily, the latest Monday's for weekly. `None` for [`Digest::Never`].
pub fn current(rhythm: Digest, now_ms: i64, tz: &TimeZone) -> Option<Period> {
    let now = jiff::Timestamp::from_millisecond(now_ms)
        .ok()?
        .to_zoned(tz.clone());
    let mut day = now.date();
    if at_hour(day, tz)? > now_ms {
        day = day.yesterday().ok()?;
    }
    let prefix = match rhythm {
        Digest::Never => return None,
        Digest::Daily => "daily",
        Digest::Weekly => {
            let back = i64::from(day.weekday().to_monday_zero_offset());
            day = day.checked_sub(back.days()).ok()?;
            "weekly"
        }
    };
    Some(Period {
        rhythm,
        key: format!("{prefix}:{day}"),
        day,
        at: at_hour(day, tz)?,
    })
}

fn weekend(day: Date) -> bool {
    matches!(day.weekday(), Weekday::Saturday | Weekday::Sunday)
}

/// Where the agent's digest of `period` starts (ms), or `None` when it is not sent to them
/// (a daily digest on a weekend they keep quiet: Monday's covers it). Weekly: the week before.
/// Daily: since the previous day they get one.
pub fn since(period: &Period, prefs: &Prefs, tz: &TimeZone) -> Option<i64> {
    match period.rhythm {
        Digest::Never => None,
        Digest::Weekly => at_hour(period.day.checked_sub(7.days()).ok()?, tz),
        Digest::Daily => {
            if prefs.quiet.weekends && weekend(period.day) {
                return None;
            }
            let mut day = period.day.yesterday().ok()?;
            while prefs.quiet.weekends && weekend(day) {
                day = day.yesterday().ok()?;
            }
            at_hour(day, tz)
        }
    }
}

/// When the digest may leave: now, or when the agent's quiet hours end.
pub fn due_at(prefs: &Prefs, now_ms: i64, tz: &TimeZone) -> i64 {
    quiet_until(&prefs.quiet, now_ms, tz).unwrap_or(now_ms)
}

/// The node's time zone (UTC if the setting names none jiff knows; the config checks it).
pub fn timezone(ctx: &Ctx) -> TimeZone {
    TimeZone::get(&ctx.config.timezone).unwrap_or(TimeZone::UTC)
}

/// Accounts without a digest of the current `rhythm` period yet.
pub async fn due(
    ctx: &Ctx,
    rhythm: Digest,
    now_ms: i64,
) -> DomainResult<Option<(Period, Vec<i64>)>> {
    let Some(period) = current(rhythm, now_ms, &timezone(ctx)) else {
        return Ok(None);
    };
    let accounts = ctx
        .store
        .digest_accounts_due(rhythm.as_str(), &period.key)
        .await?;
    Ok(Some((period, accounts)))
}

/// What happened in one community.
#[derive(Debug, Clone, Default)]
pub struct Section {
    pub community: Option<CommunityRow>,
    pub new_threads: Vec<DigestThreadRow>,
    pub replied_threads: Vec<DigestThreadRow>,
    pub resources: Vec<DigestResourceRow>,
    pub sessions: Vec<DigestEventRow>,
    pub actions: Vec<DigestActionRow>,
}

impl Section {
    fn len(&self) -> usize {
        self.new_threads.len()
            + self.replied_threads.len()
            + self.resources.len()
            + self.sessions.len()
            + self.actions.len()
    }
}

/// One agent's digest: a section per community with news, and the notifications they chose
/// to read here.
#[derive(Debug, Clone)]
pub struct Content {
    pub since: i64,
    pub until: i64,
    pub sections: Vec<Section>,
    pub notices: Vec<DigestNoticeRow>,
    /// Display names of the authors named, by ActivityPub id.
    pub names: HashMap<String, String>,
}

impl Content {
    /// How many items it tells; none: no mail.
    pub fn items(&self) -> usize {
        self.sections.iter().map(Section::len).sum::<usize>() + self.notices.len()
    }

    /// The display name of an author, or their id's last segment.
    pub fn name_of(&self, ap_id: &str) -> String {
        self.names.get(ap_id).cloned().unwrap_or_else(|| {
            ap_id
                .rsplit('/')
                .next()
                .unwrap_or(ap_id)
                .trim_start_matches('@')
                .to_owned()
        })
    }
}

/// Reads the agent's digest for `[since, until)`; sessions and action items to come are
/// counted from `until`.
pub async fn build(
    ctx: &Ctx,
    account: &Account,
    prefs: &Prefs,
    since: i64,
    until: i64,
) -> DomainResult<Content> {
    let store = &ctx.store;
    let me = account.actor_id;
    let communities: Vec<CommunityRow> = store
        .communities_of(me, "accepted")
        .await?
        .into_iter()
        .filter(|c| !prefs.muted.contains(&c.id))
        .collect();
    let mut sections: Vec<Section> = communities
        .into_iter()
        .map(|c| Section {
            community: Some(c),
            ..Section::default()
        })
        .collect();
    let index: HashMap<i64, usize> = sections
        .iter()
        .enumerate()
        .filter_map(|(i, s)| s.community.as_ref().map(|c| (c.id, i)))
        .collect();
    let slot = |community_id: i64| index.get(&community_id).copied();

    for t in store
        .digest_new_threads(me, &account.actor, since, until)
        .await?
    {
        if let Some(i) = slot(t.community_id) {
            sections[i].new_threads.push(t);
        }
    }
    for t in store
        .digest_followed_threads(me, &account.actor, since, until)
        .await?
    {
        if let Some(i) = slot(t.community_id) {
            sections[i].replied_threads.push(t);
        }
    }
    for r in store.digest_resources(me, since, until).await? {
        if let Some(i) = slot(r.community_id) {
            sections[i].resources.push(r);
        }
    }
    let ahead = until + SESSIONS_AHEAD_DAYS * 24 * 3_600_000;
    for e in store.digest_open_sessions(me, until, ahead).await? {
        if let Some(i) = slot(e.community_id) {
            sections[i].sessions.push(e);
        }
    }
    let tz = timezone(ctx);
    let by = jiff::Timestamp::from_millisecond(until + ACTIONS_AHEAD_DAYS * 24 * 3_600_000)
        .map(|t| t.to_zoned(tz.clone()).date().to_string())
        .unwrap_or_default();
    for a in store.digest_actions_due(me, &account.actor, &by).await? {
        if let Some(i) = slot(a.community_id) {
            sections[i].actions.push(a);
        }
    }
    sections.retain(|s| s.len() > 0);

    // The notifications the agent asked to read in the digest rather than at once, from
    // communities they still hear of.
    let notices: Vec<DigestNoticeRow> = store
        .digest_notifications(account.id, since, until)
        .await?
        .into_iter()
        .filter(|n| prefs.mode(&n.kind) == Mode::Digest)
        .filter(|n| n.community_id.is_none_or(|c| !prefs.muted.contains(&c)))
        .collect();

    let mut names = HashMap::new();
    // Collected first: an iterator over borrowed rows held across the awaits below would
    // make this future not `Send` for the worker.
    let authors: Vec<String> = sections
        .iter()
        .flat_map(|s| s.new_threads.iter().chain(&s.replied_threads))
        .map(|t| t.attributed_to.clone())
        .chain(notices.iter().map(|n| n.actor_ap_id.clone()))
        .collect();
    for ap_id in authors {
        if names.contains_key(&ap_id) {
            continue;
        }
        if let Some(a) = store.actor_by_ap_id(&ap_id).await? {
            let name = if a.display_name.is_empty() {
                a.username
            } else {
                a.display_name
            };
            names.insert(ap_id, name);
        }
    }
    Ok(Content {
        since,
        until,
        sections,
        notices,
        names,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn paris() -> TimeZone {
        TimeZone::get("Europe/Paris").expect("tz")
    }

    fn at(s: &str) -> i64 {
        s.parse::<jiff::civil::DateTime>()
            .expect("datetime")
            .to_zoned(paris())
            .expect("zoned")
            .timestamp()
            .as_millisecond()
    }

    #[test]
    fn weekly_is_due_from_monday_eight_and_covers_the_week_before() {
        // Tuesday 8 December 2026.
        let p = current(Digest::Weekly, at("2026-12-08T15:00"), &paris()).expect("period");
        assert_eq!(p.key, "weekly:2026-12-07");
        assert_eq!(p.at, at("2026-12-07T08:00"));
        assert_eq!(
            since(&p, &Prefs::default(), &paris()),
            Some(at("2026-11-30T08:00"))
        );
        // Monday 07:59 is still the week before's.
        let p = current(Digest::Weekly, at("2026-12-07T07:59"), &paris()).expect("period");
        assert_eq!(p.key, "weekly:2026-11-30");
        assert!(current(Digest::Never, at("2026-12-07T09:00"), &paris()).is_none());
    }

    #[test]
    fn daily_skips_quiet_weekends_and_monday_covers_them() {
        let prefs = Prefs::default();
        let sat = current(Digest::Daily, at("2026-12-05T09:00"), &paris()).expect("period");
        assert_eq!(sat.key, "daily:2026-12-05");
        assert_eq!(since(&sat, &prefs, &paris()), None);
        let mon = current(Digest::Daily, at("2026-12-07T08:00"), &paris()).expect("period");
        assert_eq!(since(&mon, &prefs, &paris()), Some(at("2026-12-04T08:00")));
        let tue = current(Digest::Daily, at("2026-12-08T07:00"), &paris()).expect("period");
        assert_eq!(tue.key, "daily:2026-12-07");
        let mut open = prefs.clone();
        open.quiet.weekends = false;
        assert_eq!(since(&sat, &open, &paris()), Some(at("2026-12-04T08:00")));
    }

    #[test]
    fn a_digest_waits_for_the_end_of_custom_quiet_hours() {
        let mut prefs = Prefs::default();
        prefs.quiet.end = 9 * 60;
        assert_eq!(
            due_at(&prefs, at("2026-12-07T08:00"), &paris()),
            at("2026-12-07T09:00")
        );
        assert_eq!(
            due_at(&Prefs::default(), at("2026-12-07T08:00"), &paris()),
            at("2026-12-07T08:00")
        );
    }
}
