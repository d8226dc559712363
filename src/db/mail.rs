//! The `mail_outbox` table: every message waits here until the relay took it. Claiming is
//! engine-specific as for deliveries: PostgreSQL lets several processes share it (`SKIP LOCKED`).

use super::{DbError, Store, assembled, now_ms};

#[derive(Debug, Clone, sqlx::FromRow)]
pub struct MailRow {
    pub id: i64,
    pub kind: String,
    pub to_address: String,
    pub subject: String,
    pub body_text: String,
    pub body_html: String,
    pub message_id: String,
    pub state: String,
    pub attempts: i64,
    pub next_attempt_at: i64,
    pub last_error: Option<String>,
    pub created_at: i64,
    pub sent_at: Option<i64>,
    /// The one-click unsubscribe link (`List-Unsubscribe`), on notification and digest mail.
    pub unsubscribe_url: Option<String>,
    /// A calendar file sent as a text/calendar attachment (a session reminder).
    pub attachment_ics: Option<String>,
}

/// A message to queue: its parts are already written and checked.
#[derive(Debug, Clone)]
pub struct NewMail<'a> {
    pub kind: &'a str,
    pub to_address: &'a str,
    pub subject: &'a str,
    pub body_text: &'a str,
    pub body_html: &'a str,
    pub message_id: &'a str,
    /// When it may leave (ms): now, or later (the end of the recipient's quiet hours).
    pub due_at: i64,
    pub unsubscribe_url: Option<&'a str>,
    pub attachment_ics: Option<&'a str>,
}

const COLUMNS: &str = "id, kind, to_address, subject, body_text, body_html, message_id, state, \
    attempts, next_attempt_at, last_error, created_at, sent_at, unsubscribe_url, attachment_ics";

impl Store {
    pub async fn enqueue_mail(&self, mail: &NewMail<'_>) -> Result<i64, DbError> {
        let mut tx = self.begin_write().await?;
        let id = insert_mail(&mut tx, mail).await?;
        tx.commit().await?;
        Ok(id)
    }

    /// Claims up to `limit` due messages for `lease_ms`; a worker that dies leaves them to be
    /// claimed again when the lease ends.
    pub async fn claim_mail(&self, limit: i64, lease_ms: i64) -> Result<Vec<MailRow>, DbError> {
        self.claim_mail_at(now_ms(), limit, lease_ms).await
    }

    /// Same, for what is due at `now` (the domain's clock: a test moves it).
    pub async fn claim_mail_at(
        &self,
        now: i64,
        limit: i64,
        lease_ms: i64,
    ) -> Result<Vec<MailRow>, DbError> {
        super::claim_due_at(self, now, "mail_outbox", "queued", COLUMNS, limit, lease_ms).await
    }

    pub async fn mark_mail_sent(&self, id: i64) -> Result<(), DbError> {
        let now = now_ms();
        sqlx::query(
            "UPDATE mail_outbox SET state = 'sent', attempts = attempts + 1, last_error = NULL, \
             locked_until = NULL, sent_at = $1, updated_at = $1 WHERE id = $2",
        )
        .bind(now)
        .bind(id)
        .execute(self.pool())
        .await?;
        Ok(())
    }

    /// A failed attempt: tried again at `next_attempt_at`, or failed for good when `None`.
    pub async fn mark_mail_attempt_failed(
        &self,
        id: i64,
        error: &str,
        next_attempt_at: Option<i64>,
    ) -> Result<(), DbError> {
        let now = now_ms();
        sqlx::query(
            "UPDATE mail_outbox SET state = $1, attempts = attempts + 1, last_error = $2, \
             next_attempt_at = $3, locked_until = NULL, updated_at = $4 \
             WHERE id = $5 AND state = 'queued'",
        )
        .bind(if next_attempt_at.is_some() {
            "queued"
        } else {
            "failed"
        })
        .bind(error)
        .bind(next_attempt_at.unwrap_or(now))
        .bind(now)
        .bind(id)
        .execute(self.pool())
        .await?;
        Ok(())
    }

    /// The admin's "retry now": queued and failed messages become due at once. A message a
    /// worker is sending keeps its claim, so it is never sent twice by this. Returns how many.
    pub async fn retry_mail_now(&self) -> Result<u64, DbError> {
        let now = now_ms();
        let done = sqlx::query(
            "UPDATE mail_outbox SET state = 'queued', next_attempt_at = $1, updated_at = $1 \
             WHERE state IN ('queued', 'failed') AND (locked_until IS NULL OR locked_until < $1)",
        )
        .bind(now)
        .execute(self.pool())
        .await?;
        Ok(done.rows_affected())
    }

    /// Messages in a state, newest first.
    pub async fn mail_in_state(&self, state: &str, limit: i64) -> Result<Vec<MailRow>, DbError> {
        Ok(sqlx::query_as(assembled(format!(
            "SELECT {COLUMNS} FROM mail_outbox WHERE state = $1 ORDER BY id DESC LIMIT $2"
        )))
        .bind(state)
        .bind(limit)
        .fetch_all(self.pool())
        .await?)
    }

    /// Every message, newest first: the demo's page of what would have been sent.
    pub async fn recent_mail(&self, limit: i64) -> Result<Vec<MailRow>, DbError> {
        Ok(sqlx::query_as(assembled(format!(
            "SELECT {COLUMNS} FROM mail_outbox ORDER BY id DESC LIMIT $1"
        )))
        .bind(limit)
        .fetch_all(self.pool())
        .await?)
    }

    pub async fn count_mail(&self, state: &str) -> Result<i64, DbError> {
        let (n,): (i64,) = sqlx::query_as("SELECT COUNT(*) FROM mail_outbox WHERE state = $1")
            .bind(state)
            .fetch_one(self.pool())
            .await?;
        Ok(n)
    }

    pub async fn next_mail_due(&self) -> Result<Option<i64>, DbError> {
        let (at,): (Option<i64>,) =
            sqlx::query_as("SELECT MIN(next_attempt_at) FROM mail_outbox WHERE state = 'queued'")
                .fetch_one(self.pool())
                .await?;
        Ok(at)
    }
}

/// Queues `mail` inside a transaction that records why it was sent (a digest's period, a
/// session's reminder), so that both are written or neither.
pub(super) async fn insert_mail(
    tx: &mut sqlx::Transaction<'static, sqlx::Any>,
    mail: &NewMail<'_>,
) -> Result<i64, DbError> {
    let now = now_ms();
    let (id,): (i64,) = sqlx::query_as(
        "INSERT INTO mail_outbox (kind, to_address, subject, body_text, body_html, message_id, \
         state, attempts, next_attempt_at, created_at, updated_at, unsubscribe_url, \
         attachment_ics) \
         VALUES ($1, $2, $3, $4, $5, $6, 'queued', 0, $8, $7, $7, $9, $10) RETURNING id",
    )
    .bind(mail.kind)
    .bind(mail.to_address)
    .bind(mail.subject)
    .bind(mail.body_text)
    .bind(mail.body_html)
    .bind(mail.message_id)
    .bind(now)
    .bind(mail.due_at)
    .bind(mail.unsubscribe_url)
    .bind(mail.attachment_ics)
    .fetch_one(&mut **tx)
    .await?;
    Ok(id)
}
