//! The digest's reads and its one write: who is due for a period, what happened in the
//! communities an agent is an accepted member of (local or cached from other nodes), and the
//! `digests_sent` row written with the queued mail in one transaction.

use super::{DbError, NewMail, Store, now_ms};

/// A value bound after the agent's actor id in a digest read.
enum Arg<'a> {
    Int(i64),
    Text(&'a str),
}

/// A thread (new, or with new replies) for the digest.
#[derive(Debug, Clone, sqlx::FromRow)]
pub struct DigestThreadRow {
    pub id: i64,
    pub community_id: i64,
    pub title: String,
    pub attributed_to: String,
    /// New replies in the period (0 for a new thread).
    pub replies: i64,
}

/// A resource created or revised in the period.
#[derive(Debug, Clone, sqlx::FromRow)]
pub struct DigestResourceRow {
    pub community_id: i64,
    pub slug: String,
    pub title: String,
    pub revision: i64,
    pub created_at: i64,
}

/// A coming session with a free seat.
#[derive(Debug, Clone, sqlx::FromRow)]
pub struct DigestEventRow {
    pub id: i64,
    pub community_id: i64,
    pub title: String,
    pub starts_at: i64,
    /// Seats left; `None` without a limit.
    pub free: Option<i64>,
}

/// An open action item given to the agent, due soon or late.
#[derive(Debug, Clone, sqlx::FromRow)]
pub struct DigestActionRow {
    pub id: i64,
    pub community_id: i64,
    pub title: String,
    pub due_on: String,
}

/// A notification the agent chose to read in the digest.
#[derive(Debug, Clone, sqlx::FromRow)]
pub struct DigestNoticeRow {
    pub kind: String,
    pub actor_ap_id: String,
    pub community_id: Option<i64>,
    pub post_ap_id: Option<String>,
}

/// Communities the agent is an accepted member of: every digest query joins on this.
const MEMBER_OF: &str = "JOIN memberships m ON m.community_id = x.community_id \
     AND m.actor_id = $1 AND m.state = 'accepted'";

impl Store {
    /// Enabled accounts with an address whose digest comes at `rhythm` (`daily`, `weekly`;
    /// no settings row means weekly) and that have no row for `period` yet.
    pub async fn digest_accounts_due(
        &self,
        rhythm: &str,
        period: &str,
    ) -> Result<Vec<i64>, DbError> {
        let rows: Vec<(i64,)> = sqlx::query_as(
            "SELECT a.id FROM accounts a \
             LEFT JOIN notification_settings s ON s.account_id = a.id \
             WHERE a.disabled_at IS NULL AND a.email <> '' \
             AND COALESCE(s.digest, 'weekly') = $1 \
             AND NOT EXISTS (SELECT 1 FROM digests_sent d \
                             WHERE d.account_id = a.id AND d.period = $2) \
             ORDER BY a.id",
        )
        .bind(rhythm)
        .bind(period)
        .fetch_all(self.pool())
        .await?;
        Ok(rows.into_iter().map(|(id,)| id).collect())
    }

    /// The one runner of the digest's reads in the agent's communities: `sql` joins on
    /// [`MEMBER_OF`] (`$1`, the agent's actor id) and takes `args` as `$2`, `$3`...
    async fn member_rows<R>(
        &self,
        sql: String,
        actor_id: i64,
        args: &[Arg<'_>],
    ) -> Result<Vec<R>, DbError>
    where
        R: for<'r> sqlx::FromRow<'r, sqlx::any::AnyRow> + Send + Unpin,
    {
        let mut query = sqlx::query_as(super::assembled(sql)).bind(actor_id);
        for arg in args {
            query = match arg {
                Arg::Int(v) => query.bind(*v),
                Arg::Text(v) => query.bind(*v),
            };
        }
        Ok(query.fetch_all(self.pool()).await?)
    }

    /// Threads others opened in `[since, until)` in the agent's communities.
    pub async fn digest_new_threads(
        &self,
        actor_id: i64,
        actor_ap_id: &str,
        since: i64,
        until: i64,
    ) -> Result<Vec<DigestThreadRow>, DbError> {
        self.member_rows(
            format!(
                "SELECT x.id, x.community_id, x.title, x.attributed_to, CAST(0 AS BIGINT) AS replies \
                 FROM posts x {MEMBER_OF} \
                 WHERE x.ap_id = x.thread_ap_id AND x.published_at >= $2 AND x.published_at < $3 \
                 AND x.attributed_to <> $4 \
                 ORDER BY x.community_id, x.published_at LIMIT 500"
            ),
            actor_id,
            &[Arg::Int(since), Arg::Int(until), Arg::Text(actor_ap_id)],
        )
        .await
    }

    /// Threads the agent wrote in that others replied to in `[since, until)`, with how many
    /// replies; threads opened in the period are left to [`Self::digest_new_threads`].
    pub async fn digest_followed_threads(
        &self,
        actor_id: i64,
        actor_ap_id: &str,
        since: i64,
        until: i64,
    ) -> Result<Vec<DigestThreadRow>, DbError> {
        self.member_rows(
            format!(
                "SELECT t.id, t.community_id, t.title, t.attributed_to, COUNT(*) AS replies \
                 FROM posts x JOIN posts t ON t.ap_id = x.thread_ap_id {MEMBER_OF} \
                 WHERE x.ap_id <> x.thread_ap_id AND x.published_at >= $2 AND x.published_at < $3 \
                 AND x.attributed_to <> $4 AND t.published_at < $2 \
                 AND EXISTS (SELECT 1 FROM posts mine WHERE mine.thread_ap_id = x.thread_ap_id \
                             AND mine.attributed_to = $4) \
                 GROUP BY t.id, t.community_id, t.title, t.attributed_to \
                 ORDER BY t.community_id, t.id LIMIT 500"
            ),
            actor_id,
            &[Arg::Int(since), Arg::Int(until), Arg::Text(actor_ap_id)],
        )
        .await
    }

    /// Resources created or revised in `[since, until)` in the agent's communities.
    pub async fn digest_resources(
        &self,
        actor_id: i64,
        since: i64,
        until: i64,
    ) -> Result<Vec<DigestResourceRow>, DbError> {
        self.member_rows(
            format!(
                "SELECT x.community_id, x.slug, x.title, x.revision, x.created_at \
                 FROM resources x {MEMBER_OF} \
                 WHERE x.updated_at >= $2 AND x.updated_at < $3 \
                 ORDER BY x.community_id, x.title LIMIT 500"
            ),
            actor_id,
            &[Arg::Int(since), Arg::Int(until)],
        )
        .await
    }

    /// Confirmed sessions starting in `[from, to)` in the agent's communities with a seat
    /// left (or no limit).
    pub async fn digest_open_sessions(
        &self,
        actor_id: i64,
        from: i64,
        to: i64,
    ) -> Result<Vec<DigestEventRow>, DbError> {
        self.member_rows(
            format!(
                "SELECT x.id, x.community_id, x.title, x.starts_at, \
                 x.capacity - (SELECT COUNT(*) FROM event_participants p \
                               WHERE p.event_id = x.id AND p.state = 'accepted') AS free \
                 FROM events x {MEMBER_OF} \
                 WHERE x.status = 'confirmed' AND x.starts_at >= $2 AND x.starts_at < $3 \
                 AND (x.capacity IS NULL OR x.capacity > (SELECT COUNT(*) FROM event_participants p \
                      WHERE p.event_id = x.id AND p.state = 'accepted')) \
                 ORDER BY x.starts_at LIMIT 200"
            ),
            actor_id,
            &[Arg::Int(from), Arg::Int(to)],
        )
        .await
    }

    /// Open action items owned by the agent (`owner` = their id) due on or before `by`
    /// (`YYYY-MM-DD`).
    pub async fn digest_actions_due(
        &self,
        actor_id: i64,
        actor_ap_id: &str,
        by: &str,
    ) -> Result<Vec<DigestActionRow>, DbError> {
        self.member_rows(
            format!(
                "SELECT x.id, x.community_id, x.title, x.due_on FROM action_items x {MEMBER_OF} \
                 WHERE x.owner = $2 AND x.status IN ('proposed', 'in_progress') \
                 AND x.due_on <> '' AND x.due_on <= $3 ORDER BY x.due_on LIMIT 200"
            ),
            actor_id,
            &[Arg::Text(actor_ap_id), Arg::Text(by)],
        )
        .await
    }

    /// The agent's notifications of `[since, until)`, oldest first.
    pub async fn digest_notifications(
        &self,
        account_id: i64,
        since: i64,
        until: i64,
    ) -> Result<Vec<DigestNoticeRow>, DbError> {
        Ok(sqlx::query_as(
            "SELECT kind, actor_ap_id, community_id, post_ap_id FROM notifications \
                 WHERE account_id = $1 AND created_at >= $2 AND created_at < $3 \
                 ORDER BY created_at LIMIT 500",
        )
        .bind(account_id)
        .bind(since)
        .bind(until)
        .fetch_all(self.pool())
        .await?)
    }

    /// Records the agent's digest of `period` and queues its mail (if any) in one
    /// transaction. `None` when the period was already recorded: nothing is queued.
    pub async fn record_digest(
        &self,
        account_id: i64,
        period: &str,
        items: i64,
        mail: Option<&NewMail<'_>>,
    ) -> Result<Option<Option<i64>>, DbError> {
        let now = now_ms();
        let mut tx = self.begin_write().await?;
        let claimed = sqlx::query(
            "INSERT INTO digests_sent (account_id, period, mail_id, items, created_at) \
                 VALUES ($1, $2, NULL, $3, $4) ON CONFLICT (account_id, period) DO NOTHING",
        )
        .bind(account_id)
        .bind(period)
        .bind(items)
        .bind(now)
        .execute(&mut *tx)
        .await?;
        if claimed.rows_affected() == 0 {
            tx.rollback().await?;
            return Ok(None);
        }
        let mut mail_id = None;
        if let Some(mail) = mail {
            let id = super::mail::insert_mail(&mut tx, mail).await?;
            sqlx::query(
                "UPDATE digests_sent SET mail_id = $1 WHERE account_id = $2 AND period = $3",
            )
            .bind(id)
            .bind(account_id)
            .bind(period)
            .execute(&mut *tx)
            .await?;
            mail_id = Some(id);
        }
        tx.commit().await?;
        Ok(Some(mail_id))
    }
}
