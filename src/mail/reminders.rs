//! Session reminder mail (issue 15): for each agent owed a reminder
//! (`domain::session_reminders`), writes the message with the session's `.ics` attached (the
//! same file as the session page's) and queues it in the transaction that records the
//! reminder: once per agent, session and reminder, whatever restarts.

use super::message;
use super::messages::{Parts, write};
use super::outbox::Mailer;
use crate::db::{NewMail, ReminderDueRow};
use crate::domain::notifications::kind;
use crate::domain::session_reminders::{self, Which};
use crate::domain::{
    Ctx, DomainError, DomainResult, accounts, calendars, digests, notification_prefs, unsubscribe,
};
use crate::http::web::format;
use crate::http::web::i18n::{notify, reminders};

/// What a run did.
#[derive(Debug, Default, Clone, Copy, PartialEq, Eq)]
pub struct ReminderStats {
    /// Reminders queued.
    pub queued: u64,
    /// Reminders recorded without a mail (turned off, muted, quiet past the start).
    pub skipped: u64,
}

/// Queues every reminder owed at the domain's clock, and wakes the mail worker. Without a
/// relay nothing is queued (except in the demo, which keeps its mail).
pub async fn run_due(ctx: &Ctx, mailer: &Mailer) -> DomainResult<ReminderStats> {
    let mut stats = ReminderStats::default();
    if !mailer.sends() && !ctx.config.mail.demo {
        return Ok(stats);
    }
    let now = ctx.clock.now_ms();
    for (row, which) in session_reminders::due(ctx, now).await? {
        match one(ctx, &row, which, now).await {
            Ok(Some(true)) => stats.queued += 1,
            Ok(Some(false)) => stats.skipped += 1,
            Ok(None) => {}
            // One agent's failure (a row gone meanwhile) does not hold back the others.
            Err(e) => tracing::warn!(error = %e, account = row.account_id, event = row.event_id,
                "session reminder not queued"),
        }
    }
    if stats.queued > 0 {
        mailer.wakeup.notify_one();
    }
    Ok(stats)
}

/// One agent's reminder: `Some(true)` queued, `Some(false)` recorded without mail, `None`
/// already recorded elsewhere.
async fn one(
    ctx: &Ctx,
    row: &ReminderDueRow,
    which: Which,
    now: i64,
) -> DomainResult<Option<bool>> {
    let store = &ctx.store;
    let account = accounts::by_id(ctx, row.account_id).await?;
    let event = store
        .event_by_id(row.event_id)
        .await?
        .ok_or(DomainError::NotFound("event"))?;
    let prefs = notification_prefs::load(ctx, account.id).await?;
    let tz = digests::timezone(ctx);
    let due = session_reminders::due_at(&prefs, event.community_id, now, event.starts_at, &tz);
    let to = message::recipient(&account.display_name, &account.email);
    let (Some(due_at), Some(to)) = (due, to) else {
        let recorded = store
            .record_session_reminder(account.id, event.id, which.as_str(), None)
            .await?;
        return Ok(recorded.then_some(false));
    };
    // The agent's language, not the node's.
    let lang = crate::domain::languages::for_agent(ctx, account.id).await;
    let r = reminders::strings(lang);
    let n = notify::strings(lang);
    let when = format::span(event.starts_at, event.ends_at, &ctx.config.timezone, lang);
    let subject = r
        .subject
        .replace("{title}", &message::header_safe(&event.title))
        .replace("{when}", &when);
    let base = ctx.urls.base().trim_end_matches('/').to_owned();
    let link = format!("{base}/sessions/{}", event.id);
    let mut before = vec![r.intro.to_owned(), format!("{} : {when}", r.when)];
    if !event.address.is_empty() {
        before.push(format!("{} : {}", r.place, event.address));
    }
    if !event.online_url.is_empty() {
        before.push(format!("{} : {}", r.online, event.online_url));
    }
    if let Some(c) = store.community_by_id(event.community_id).await? {
        before.push(format!("{} : {}", r.community, c.name));
    }
    before.push(r.attached.to_owned());
    let token = unsubscribe::issue(ctx, account.id, kind::SESSION_REMINDER).await?;
    let unsubscribe_url = format!("{base}/unsubscribe/{token}");
    let after = vec![
        r.cannot_come.to_owned(),
        n.mail_why.to_owned(),
        format!("{} : {unsubscribe_url}", n.mail_unsubscribe),
        format!("{} : {base}/profile/notifications", n.unsub_manage),
    ];
    let written = write(
        ctx,
        Parts {
            kind: "session_reminder",
            lang,
            to,
            subject: &subject,
            before,
            action: r.action,
            link: &link,
            after,
        },
    )
    .map_err(|e| DomainError::Internal(e.to_string()))?;
    let ics = calendars::one(ctx, &event);
    let message_id = message::new_message_id(&ctx.config.mail);
    let mail = NewMail {
        kind: written.kind,
        to_address: &written.to.to_string(),
        subject: &message::header_safe(&written.subject),
        body_text: &written.text,
        body_html: &written.html,
        message_id: &message_id,
        due_at,
        unsubscribe_url: Some(&unsubscribe_url),
        attachment_ics: Some(&ics),
    };
    let recorded = store
        .record_session_reminder(account.id, event.id, which.as_str(), Some(&mail))
        .await?;
    if recorded {
        crate::metrics::mail_queued();
    }
    Ok(recorded.then_some(true))
}
