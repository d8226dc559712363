//! « Mes notifications »: what an agent chooses to hear outside the app, read and saved
//! whole. The rule that applies them is [`super::notification_delivery::plan`].

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};

use super::accounts::Account;
use super::error::{DomainError, DomainResult, Rule};
use super::notification_delivery::{Digest, Mode, PREF_KINDS, Prefs, Quiet};
use crate::db::NotificationPrefsWrite;
use crate::domain::Ctx;

/// The preferences as the API and the page show them, and as they are saved.
#[derive(Debug, Clone, Serialize, Deserialize, utoipa::ToSchema)]
pub struct NotificationPrefs {
    /// One mode per kind of notification: `now`, `digest` or `off`. A kind left out keeps
    /// `now` when saving.
    #[serde(default)]
    pub kinds: BTreeMap<String, Mode>,
    /// `daily`, `weekly` or `never`.
    pub digest: Digest,
    pub quiet_hours: QuietHours,
    /// Communities (as their pages name them: `slug`, or `slug@host` when hosted elsewhere)
    /// the agent hears nothing about outside the app.
    #[serde(default)]
    pub muted_communities: Vec<String>,
}

/// No message between `start` and `end` (`HH:MM`, the node's time zone; equal: none), nor at
/// weekends when `weekends`.
#[derive(Debug, Clone, Serialize, Deserialize, utoipa::ToSchema)]
pub struct QuietHours {
    pub start: String,
    pub end: String,
    pub weekends: bool,
}

/// What `plan` needs, read from the store (the defaults when the agent chose nothing).
pub async fn load(ctx: &Ctx, account_id: i64) -> DomainResult<Prefs> {
    let mut prefs = Prefs::default();
    if let Some(row) = ctx.store.notification_settings(account_id).await? {
        prefs.digest = Digest::parse(&row.digest).unwrap_or(Digest::Weekly);
        prefs.quiet = Quiet {
            start: minutes(row.quiet_start),
            end: minutes(row.quiet_end),
            weekends: row.quiet_weekends != 0,
        };
    }
    for (kind, mode) in ctx.store.notification_modes(account_id).await? {
        if let Some(mode) = Mode::parse(&mode) {
            prefs.modes.insert(kind, mode);
        }
    }
    prefs.muted = ctx.store.notification_mutes(account_id).await?;
    Ok(prefs)
}

fn minutes(stored: i64) -> u16 {
    u16::try_from(stored.clamp(0, 24 * 60 - 1)).unwrap_or(0)
}

fn hhmm(m: u16) -> String {
    format!("{:02}:{:02}", m / 60, m % 60)
}

fn parse_hhmm(field: &'static str, s: &str) -> DomainResult<u16> {
    let bad = || {
        DomainError::invalid(
            field,
            Rule::OneOf {
                options: "HH:MM, 00:00 to 23:59",
            },
        )
    };
    let (h, m) = s.trim().split_once(':').ok_or_else(bad)?;
    let (h, m): (u16, u16) = (h.parse().map_err(|_| bad())?, m.parse().map_err(|_| bad())?);
    if h > 23 || m > 59 {
        return Err(bad());
    }
    Ok(h * 60 + m)
}

/// The agent's preferences, every kind listed.
pub async fn show(ctx: &Ctx, account: &Account) -> DomainResult<NotificationPrefs> {
    let prefs = load(ctx, account.id).await?;
    let communities = ctx
        .store
        .communities_of(account.actor_id, "accepted")
        .await?;
    Ok(NotificationPrefs {
        kinds: PREF_KINDS
            .iter()
            .map(|k| ((*k).to_owned(), prefs.mode(k)))
            .collect(),
        digest: prefs.digest,
        quiet_hours: QuietHours {
            start: hhmm(prefs.quiet.start),
            end: hhmm(prefs.quiet.end),
            weekends: prefs.quiet.weekends,
        },
        muted_communities: communities
            .iter()
            .filter(|c| prefs.muted.contains(&c.id))
            .map(|c| c.handle())
            .collect(),
    })
}

/// Replaces the agent's preferences. Everything is checked before anything is written: an
/// unknown kind, a time that is not one or a community the agent is not a member of refuses
/// the whole.
pub async fn save(
    ctx: &Ctx,
    account: &Account,
    input: &NotificationPrefs,
) -> DomainResult<NotificationPrefs> {
    if let Some(unknown) = input
        .kinds
        .keys()
        .find(|k| !PREF_KINDS.contains(&k.as_str()))
    {
        tracing::debug!(kind = %unknown, "unknown notification kind");
        return Err(DomainError::invalid("kinds", Rule::Choice));
    }
    let start = parse_hhmm("quiet_hours.start", &input.quiet_hours.start)?;
    let end = parse_hhmm("quiet_hours.end", &input.quiet_hours.end)?;
    let communities = ctx
        .store
        .communities_of(account.actor_id, "accepted")
        .await?;
    let mut muted = Vec::new();
    for handle in &input.muted_communities {
        let c = communities
            .iter()
            .find(|c| &c.handle() == handle)
            .ok_or_else(|| DomainError::invalid("muted_communities", Rule::NotMember))?;
        if !muted.contains(&c.id) {
            muted.push(c.id);
        }
    }
    let prefs = Prefs {
        modes: input.kinds.clone(),
        digest: input.digest,
        quiet: Quiet {
            start,
            end,
            weekends: input.quiet_hours.weekends,
        },
        muted,
    };
    store(ctx, account.id, &prefs).await?;
    show(ctx, account).await
}

/// Writes checked preferences whole (a kind at `now` is the default and not stored).
pub(super) async fn store(ctx: &Ctx, account_id: i64, prefs: &Prefs) -> DomainResult<()> {
    let modes: Vec<(&str, &str)> = prefs
        .modes
        .iter()
        .filter(|(_, m)| **m != Mode::Now)
        .map(|(k, m)| (k.as_str(), m.as_str()))
        .collect();
    Ok(ctx
        .store
        .save_notification_prefs(
            account_id,
            &NotificationPrefsWrite {
                digest: prefs.digest.as_str(),
                quiet_start: i64::from(prefs.quiet.start),
                quiet_end: i64::from(prefs.quiet.end),
                quiet_weekends: prefs.quiet.weekends,
                modes: &modes,
                muted: &prefs.muted,
            },
        )
        .await?)
}
