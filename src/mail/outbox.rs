//! The mail outbox and its worker: messages are queued in the database, then claimed, sent,
//! and retried with the delivery queue's backoff. A permanent refusal (5xx) fails that message
//! only; an unreachable relay or a 4xx retries it. Nothing is lost when the relay is down or the
//! node restarts, and a claimed message is never handed to the relay twice by this node.

use std::time::Duration;

use lettre::message::Mailbox;
use tokio::task::JoinSet;

use super::message;
use super::transport::{SendOutcome, Transport};
use crate::db::{DbError, MailRow, NewMail};
use crate::domain::Ctx;
use crate::federation::delivery::backoff_ms;
use crate::state::AppState;

/// Messages sent at once; the relay's connection pool bounds the connections.
const CONCURRENCY: i64 = 16;
/// How long a claim lasts: longer than the transport's timeout.
const LEASE_MS: i64 = 120_000;
/// About five days with the delivery backoff (a minute, doubling, capped at a day).
pub const MAX_ATTEMPTS: i64 = 12;

/// The node's way to the relay and the worker's wake-up.
pub struct Mailer {
    /// `None` without `smtp_url`: mail stays queued.
    pub transport: Option<Transport>,
    pub wakeup: tokio::sync::Notify,
}

impl Mailer {
    pub fn new(config: &crate::config::Config) -> Mailer {
        let transport = config.mail.relay.as_ref().and_then(|relay| {
            Transport::new(relay)
                .map_err(|e| tracing::error!(error = %e, "the SMTP relay cannot be set up"))
                .ok()
        });
        Mailer {
            transport,
            wakeup: tokio::sync::Notify::new(),
        }
    }

    /// A mailer that queues and never sends: the federation layer's rebuilt views of a node,
    /// whose own worker sends what they queue.
    pub fn queue_only() -> Mailer {
        Mailer {
            transport: None,
            wakeup: tokio::sync::Notify::new(),
        }
    }

    /// Whether mail leaves this node: pages say so when it does not.
    pub fn sends(&self) -> bool {
        self.transport.is_some()
    }
}

/// A message written and ready to queue.
pub struct Outgoing {
    pub kind: &'static str,
    pub to: Mailbox,
    pub subject: String,
    pub text: String,
    pub html: String,
}

/// Queues one message and wakes the worker.
pub async fn queue(state: &AppState, mail: Outgoing) -> Result<i64, DbError> {
    let now = state.clock.now_ms();
    queue_at(state, &state.mail, mail, now, None).await
}

/// Queues one message to leave at `due_at` (ms, the domain's clock), with its one-click
/// unsubscribe link if any, and wakes the worker.
pub async fn queue_at(
    ctx: &Ctx,
    mailer: &Mailer,
    mail: Outgoing,
    due_at: i64,
    unsubscribe_url: Option<&str>,
) -> Result<i64, DbError> {
    let message_id = message::new_message_id(&ctx.config.mail);
    let id = ctx
        .store
        .enqueue_mail(&NewMail {
            kind: mail.kind,
            to_address: &mail.to.to_string(),
            subject: &message::header_safe(&mail.subject),
            body_text: &mail.text,
            body_html: &mail.html,
            message_id: &message_id,
            due_at,
            unsubscribe_url,
            attachment_ics: None,
        })
        .await?;
    crate::metrics::mail_queued();
    mailer.wakeup.notify_one();
    Ok(id)
}

/// What a drain did.
#[derive(Debug, Default, Clone, Copy, PartialEq, Eq)]
pub struct MailStats {
    pub sent: u64,
    pub retried: u64,
    pub failed: u64,
}

/// Sends every message due now, until none is left (or nothing can be sent: no relay).
pub async fn drain(state: &AppState) -> Result<MailStats, DbError> {
    let mut stats = MailStats::default();
    let Some(transport) = state.mail.transport.clone() else {
        return Ok(stats);
    };
    loop {
        let now = state.clock.now_ms();
        let batch = state
            .store
            .claim_mail_at(now, CONCURRENCY, LEASE_MS)
            .await?;
        if batch.is_empty() {
            return Ok(stats);
        }
        let mut tasks = JoinSet::new();
        for row in batch {
            let state = state.clone();
            let transport = transport.clone();
            tasks.spawn(async move {
                let outcome = match message::build(&state.config.mail, &row) {
                    Ok(m) => transport.send(m).await,
                    Err(e) => SendOutcome::Refused(e),
                };
                record(&state, &row, outcome).await
            });
        }
        while let Some(done) = tasks.join_next().await {
            match done {
                Ok(Ok(Recorded::Sent)) => stats.sent += 1,
                Ok(Ok(Recorded::Retried)) => stats.retried += 1,
                Ok(Ok(Recorded::Failed)) => stats.failed += 1,
                Ok(Err(e)) => tracing::error!(error = %e, "recording a mail failed"),
                Err(e) => tracing::error!(error = %e, "a mail task panicked"),
            }
        }
    }
}

enum Recorded {
    Sent,
    Retried,
    Failed,
}

#[tracing::instrument(skip_all, fields(mail = row.id, kind = %row.kind, attempt = row.attempts + 1))]
async fn record(
    state: &AppState,
    row: &MailRow,
    outcome: SendOutcome,
) -> Result<Recorded, DbError> {
    let store = &state.store;
    Ok(match outcome {
        SendOutcome::Sent => {
            store.mark_mail_sent(row.id).await?;
            crate::metrics::mail_sent();
            Recorded::Sent
        }
        SendOutcome::Retry(error) if row.attempts + 1 < MAX_ATTEMPTS => {
            tracing::info!(%error, "mail will be retried");
            let next = state.clock.now_ms() + backoff_ms(row.attempts);
            store
                .mark_mail_attempt_failed(row.id, &error, Some(next))
                .await?;
            crate::metrics::mail_failed(false);
            Recorded::Retried
        }
        SendOutcome::Retry(error) | SendOutcome::Refused(error) => {
            tracing::warn!(%error, "mail failed for good");
            store.mark_mail_attempt_failed(row.id, &error, None).await?;
            crate::metrics::mail_failed(true);
            Recorded::Failed
        }
    })
}

/// The background worker: queues the digests and session reminders due and drains, then sleeps until woken by a queued message or until the
/// next one is due (at most `poll`). Stops between two drains when `stop` turns true.
pub async fn run_worker(state: AppState, poll: Duration, stop: tokio::sync::watch::Receiver<bool>) {
    let state = &state;
    crate::worker::run(
        "mail",
        poll,
        stop,
        &state.mail.wakeup,
        // The digests due are queued first (a cheap look once they are: each period is
        // recorded per agent), then everything due is sent.
        move || async move {
            if let Err(e) = super::digest::run_due(state, &state.mail).await {
                tracing::error!(error = %e, "digests not queued");
            }
            if let Err(e) = super::reminders::run_due(state, &state.mail).await {
                tracing::error!(error = %e, "session reminders not queued");
            }
            drain(state).await
        },
        // Without a relay nothing is sent: no hurry to wake for what is due.
        move || async move {
            match state.store.next_mail_due().await {
                Ok(Some(at)) if state.mail.sends() => Some(at),
                _ => None,
            }
        },
    )
    .await
}
