//! The `session_reminders_sent` table: which reminder (`day`, `week`) each agent got for
//! each session, recorded with its queued mail in one transaction.

use super::mail::{NewMail, insert_mail};
use super::{DbError, Store, now_ms};

/// A day and a week, in ms.
const DAY_MS: i64 = 24 * 3600 * 1000;
const WEEK_MS: i64 = 7 * DAY_MS;

/// A local agent registered (seat given) for a confirmed session starting within a week, whose
/// reminder for this moment is not recorded yet.
#[derive(Debug, Clone, sqlx::FromRow)]
pub struct ReminderDueRow {
    pub account_id: i64,
    pub event_id: i64,
    pub starts_at: i64,
    /// When the agent registered (ms).
    pub registered_at: i64,
}

impl Store {
    /// Agents to remind at `now`: the day before a session (registered before that day
    /// began), or a week before (registered before that week began), not yet recorded.
    pub async fn session_reminders_due(
        &self,
        now: i64,
        limit: i64,
    ) -> Result<Vec<ReminderDueRow>, DbError> {
        Ok(sqlx::query_as(
            "SELECT a.id AS account_id, e.id AS event_id, e.starts_at, \
                    p.created_at AS registered_at \
             FROM event_participants p \
             JOIN events e ON e.id = p.event_id \
             JOIN actors ac ON ac.ap_id = p.actor_ap_id \
             JOIN accounts a ON a.actor_id = ac.id \
             WHERE p.state = 'accepted' AND e.status = 'confirmed' AND a.disabled_at IS NULL \
               AND e.starts_at > $1 AND e.starts_at <= $1 + $3 \
               AND p.created_at <= e.starts_at - CASE WHEN e.starts_at <= $1 + $2 \
                   THEN $2 ELSE $3 END \
               AND NOT EXISTS (SELECT 1 FROM session_reminders_sent r \
                   WHERE r.account_id = a.id AND r.event_id = e.id \
                   AND r.which = CASE WHEN e.starts_at <= $1 + $2 THEN 'day' ELSE 'week' END) \
             ORDER BY e.starts_at, a.id LIMIT $4",
        )
        .bind(now)
        .bind(DAY_MS)
        .bind(WEEK_MS)
        .bind(limit)
        .fetch_all(self.pool())
        .await?)
    }

    /// Records reminder `which` of a session for an agent, with its mail when one is sent.
    /// `false` when it was already recorded (another process, a run before a restart): then
    /// nothing is queued.
    pub async fn record_session_reminder(
        &self,
        account_id: i64,
        event_id: i64,
        which: &str,
        mail: Option<&NewMail<'_>>,
    ) -> Result<bool, DbError> {
        let mut tx = self.begin_write().await?;
        let claimed = sqlx::query(
            "INSERT INTO session_reminders_sent (account_id, event_id, which, mail_id, \
             created_at) VALUES ($1, $2, $3, NULL, $4) \
             ON CONFLICT (account_id, event_id, which) DO NOTHING",
        )
        .bind(account_id)
        .bind(event_id)
        .bind(which)
        .bind(now_ms())
        .execute(&mut *tx)
        .await?;
        if claimed.rows_affected() == 0 {
            tx.rollback().await?;
            return Ok(false);
        }
        if let Some(mail) = mail {
            let id = insert_mail(&mut tx, mail).await?;
            sqlx::query(
                "UPDATE session_reminders_sent SET mail_id = $1 \
                 WHERE account_id = $2 AND event_id = $3 AND which = $4",
            )
            .bind(id)
            .bind(account_id)
            .bind(event_id)
            .bind(which)
            .execute(&mut *tx)
            .await?;
        }
        tx.commit().await?;
        Ok(true)
    }
}
