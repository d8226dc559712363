//! The `events`, `event_participants` and `calendar_tokens` tables: community sessions, who
//! registered (or waits), and the secret of each agent's personal calendar feed.

use super::{DbError, Store, assembled, now_ms};

#[derive(Debug, Clone, sqlx::FromRow)]
pub struct EventRow {
    pub id: i64,
    pub ap_id: String,
    pub community_id: i64,
    pub authority: String,
    pub organizer: String,
    pub kind: String,
    pub title: String,
    pub source: String,
    pub content_html: String,
    pub starts_at: i64,
    pub ends_at: i64,
    pub address: String,
    pub online_url: String,
    pub capacity: Option<i64>,
    pub status: String,
    pub series: Option<String>,
    pub sequence: i64,
    pub created_at: i64,
    pub updated_at: i64,
    /// Seats taken (participants in state `accepted`).
    pub accepted: i64,
}

/// An event to store or to refresh, already validated and sanitised.
#[derive(Debug, Clone)]
pub struct NewEvent<'a> {
    pub ap_id: &'a str,
    pub community_id: i64,
    pub authority: &'a str,
    pub organizer: &'a str,
    pub kind: &'a str,
    pub title: &'a str,
    pub source: &'a str,
    pub content_html: &'a str,
    pub starts_at: i64,
    pub ends_at: i64,
    pub address: &'a str,
    pub online_url: &'a str,
    pub capacity: Option<i64>,
    pub status: &'a str,
    pub series: Option<&'a str>,
    pub sequence: i64,
    /// When the origin last changed it (a cache keeps the origin's time, to ignore a late
    /// older update).
    pub updated_at: i64,
}

#[derive(Debug, Clone, sqlx::FromRow)]
pub struct ParticipantRow {
    pub actor_ap_id: String,
    pub state: String,
    pub created_at: i64,
    pub display_name: Option<String>,
    pub username: Option<String>,
    pub authority: Option<String>,
    pub institution: Option<String>,
    /// When an animateur marked the agent present (the host's clock), if they came.
    pub attended_at: Option<i64>,
}

pub(super) const COLUMNS: &str = "e.id, e.ap_id, e.community_id, e.authority, e.organizer, e.kind, e.title, \
    e.source, e.content_html, e.starts_at, e.ends_at, e.address, e.online_url, e.capacity, \
    e.status, e.series, e.sequence, e.created_at, e.updated_at, \
    (SELECT COUNT(*) FROM event_participants p WHERE p.event_id = e.id AND p.state = 'accepted') \
    AS accepted";

impl Store {
    /// Stores an event, or refreshes it when its id is known (a cache on a member's node).
    pub async fn upsert_event(&self, e: &NewEvent<'_>) -> Result<EventRow, DbError> {
        let now = now_ms();
        sqlx::query(
            "INSERT INTO events (ap_id, community_id, authority, organizer, kind, title, source, \
             content_html, starts_at, ends_at, address, online_url, capacity, status, series, \
             sequence, created_at, updated_at) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, \
             $11, $12, $13, $14, $15, $16, $17, $18) ON CONFLICT (ap_id) DO UPDATE SET \
             kind = $5, title = $6, source = $7, content_html = $8, starts_at = $9, \
             ends_at = $10, address = $11, online_url = $12, capacity = $13, status = $14, \
             sequence = $16, updated_at = $18",
        )
        .bind(e.ap_id)
        .bind(e.community_id)
        .bind(e.authority)
        .bind(e.organizer)
        .bind(e.kind)
        .bind(e.title)
        .bind(e.source)
        .bind(e.content_html)
        .bind(e.starts_at)
        .bind(e.ends_at)
        .bind(e.address)
        .bind(e.online_url)
        .bind(e.capacity)
        .bind(e.status)
        .bind(e.series)
        .bind(e.sequence)
        .bind(now)
        .bind(e.updated_at)
        .execute(self.pool())
        .await?;
        match self.event_by_ap_id(e.ap_id).await? {
            Some(row) => Ok(row),
            None => Err(DbError::Sqlx(sqlx::Error::RowNotFound)),
        }
    }

    pub async fn event_by_ap_id(&self, ap_id: &str) -> Result<Option<EventRow>, DbError> {
        let sql = format!("SELECT {COLUMNS} FROM events e WHERE e.ap_id = $1");
        Ok(sqlx::query_as(assembled(sql))
            .bind(ap_id)
            .fetch_optional(self.pool())
            .await?)
    }

    pub async fn event_by_id(&self, id: i64) -> Result<Option<EventRow>, DbError> {
        let sql = format!("SELECT {COLUMNS} FROM events e WHERE e.id = $1");
        Ok(sqlx::query_as(assembled(sql))
            .bind(id)
            .fetch_optional(self.pool())
            .await?)
    }

    /// Events of a community ending after `after`, soonest first.
    pub async fn community_events(
        &self,
        community_id: i64,
        after: i64,
    ) -> Result<Vec<EventRow>, DbError> {
        let sql = format!(
            "SELECT {COLUMNS} FROM events e WHERE e.community_id = $1 AND e.ends_at > $2 \
             ORDER BY e.starts_at, e.id LIMIT 500"
        );
        Ok(sqlx::query_as(assembled(sql))
            .bind(community_id)
            .bind(after)
            .fetch_all(self.pool())
            .await?)
    }

    /// The community's events that ended between `since` and `before`, latest first: the
    /// sessions an animateur still records attendance and a report for.
    pub async fn community_past_events(
        &self,
        community_id: i64,
        since: i64,
        before: i64,
    ) -> Result<Vec<EventRow>, DbError> {
        let sql = format!(
            "SELECT {COLUMNS} FROM events e WHERE e.community_id = $1 AND e.ends_at > $2 \
             AND e.ends_at <= $3 ORDER BY e.starts_at DESC, e.id DESC LIMIT 50"
        );
        Ok(sqlx::query_as(assembled(sql))
            .bind(community_id)
            .bind(since)
            .bind(before)
            .fetch_all(self.pool())
            .await?)
    }

    /// Events `actor` registered for or waits for, ending after `after`, soonest first.
    pub async fn events_of_participant(
        &self,
        actor: &str,
        after: i64,
    ) -> Result<Vec<EventRow>, DbError> {
        let sql = format!(
            "SELECT {COLUMNS} FROM events e WHERE e.ends_at > $2 AND e.id IN \
             (SELECT event_id FROM event_participants WHERE actor_ap_id = $1) \
             ORDER BY e.starts_at, e.id LIMIT 500"
        );
        Ok(sqlx::query_as(assembled(sql))
            .bind(actor)
            .bind(after)
            .fetch_all(self.pool())
            .await?)
    }

    pub async fn set_event_status(&self, id: i64, status: &str) -> Result<(), DbError> {
        sqlx::query(
            "UPDATE events SET status = $1, sequence = sequence + 1, updated_at = $2 \
             WHERE id = $3",
        )
        .bind(status)
        .bind(now_ms())
        .bind(id)
        .execute(self.pool())
        .await?;
        Ok(())
    }

    pub async fn delete_event(&self, id: i64) -> Result<(), DbError> {
        sqlx::query("DELETE FROM events WHERE id = $1")
            .bind(id)
            .execute(self.pool())
            .await?;
        Ok(())
    }

    /// Participants and waiting list, in registration order.
    pub async fn participants(&self, event_id: i64) -> Result<Vec<ParticipantRow>, DbError> {
        Ok(sqlx::query_as(
            "SELECT p.actor_ap_id, p.state, p.created_at, a.display_name, a.username, \
             a.authority, a.institution, p.attended_at FROM event_participants p \
             LEFT JOIN actors a ON a.ap_id = p.actor_ap_id \
             WHERE p.event_id = $1 ORDER BY p.created_at, p.id",
        )
        .bind(event_id)
        .fetch_all(self.pool())
        .await?)
    }

    pub async fn participation(
        &self,
        event_id: i64,
        actor: &str,
    ) -> Result<Option<String>, DbError> {
        let row: Option<(String,)> = sqlx::query_as(
            "SELECT state FROM event_participants WHERE event_id = $1 AND actor_ap_id = $2",
        )
        .bind(event_id)
        .bind(actor)
        .fetch_optional(self.pool())
        .await?;
        Ok(row.map(|(s,)| s))
    }

    /// Registers `actor` on the host: a seat while there is one, else the waiting list.
    /// The transaction first writes the event row, which serialises registrations for one
    /// session on both engines, so two agents never take the last seat together. Returns
    /// the state, or `None` when the actor was already registered.
    pub async fn register_participant(
        &self,
        event_id: i64,
        actor: &str,
        join_ap_id: Option<&str>,
    ) -> Result<Option<String>, DbError> {
        let mut tx = self.begin_write().await?;
        sqlx::query("UPDATE events SET sequence = sequence WHERE id = $1")
            .bind(event_id)
            .execute(&mut *tx)
            .await?;
        let done = sqlx::query(
            "INSERT INTO event_participants (event_id, actor_ap_id, state, join_ap_id, created_at, \
             updated_at) SELECT e.id, $2, CASE WHEN e.capacity IS NULL OR (SELECT COUNT(*) FROM \
             event_participants p WHERE p.event_id = e.id AND p.state = 'accepted') < e.capacity \
             THEN 'accepted' ELSE 'waiting' END, $4, $3, $3 FROM events e WHERE e.id = $1 \
             ON CONFLICT (event_id, actor_ap_id) DO NOTHING",
        )
        .bind(event_id)
        .bind(actor)
        .bind(now_ms())
        .bind(join_ap_id)
        .execute(&mut *tx)
        .await?;
        tx.commit().await?;
        if done.rows_affected() == 0 {
            return Ok(None);
        }
        self.participation(event_id, actor).await
    }

    /// Records a participation as this node knows it (a pending Join, an answer).
    pub async fn set_participation(
        &self,
        event_id: i64,
        actor: &str,
        state: &str,
        join_ap_id: Option<&str>,
    ) -> Result<(), DbError> {
        let now = now_ms();
        sqlx::query(
            "INSERT INTO event_participants (event_id, actor_ap_id, state, join_ap_id, \
             created_at, updated_at) VALUES ($1, $2, $3, $5, $4, $4) \
             ON CONFLICT (event_id, actor_ap_id) \
             DO UPDATE SET state = $3, updated_at = $4, \
             join_ap_id = COALESCE($5, event_participants.join_ap_id)",
        )
        .bind(event_id)
        .bind(actor)
        .bind(state)
        .bind(now)
        .bind(join_ap_id)
        .execute(self.pool())
        .await?;
        Ok(())
    }

    /// Removes a participation; false when there was none.
    pub async fn remove_participant(&self, event_id: i64, actor: &str) -> Result<bool, DbError> {
        let done =
            sqlx::query("DELETE FROM event_participants WHERE event_id = $1 AND actor_ap_id = $2")
                .bind(event_id)
                .bind(actor)
                .execute(self.pool())
                .await?;
        Ok(done.rows_affected() > 0)
    }

    /// The participation a Join activity created: (event id, actor, state, join id).
    pub async fn participation_by_join(
        &self,
        join_ap_id: &str,
    ) -> Result<Option<(i64, String, String)>, DbError> {
        Ok(sqlx::query_as(
            "SELECT event_id, actor_ap_id, state FROM event_participants WHERE join_ap_id = $1",
        )
        .bind(join_ap_id)
        .fetch_optional(self.pool())
        .await?)
    }

    /// The Join activity of a participation, when known.
    pub async fn join_of(&self, event_id: i64, actor: &str) -> Result<Option<String>, DbError> {
        let row: Option<(Option<String>,)> = sqlx::query_as(
            "SELECT join_ap_id FROM event_participants WHERE event_id = $1 AND actor_ap_id = $2",
        )
        .bind(event_id)
        .bind(actor)
        .fetch_optional(self.pool())
        .await?;
        Ok(row.and_then(|(j,)| j))
    }

    /// Gives a freed seat to the first of the waiting list, if a seat is still free when
    /// the write happens: one conditional `UPDATE` in a transaction that first writes the
    /// event row, as `register_participant` does, so a registration landing at the same
    /// moment waits for it (SQLite's write lock, PostgreSQL's row lock) and the session is
    /// never overfilled. The promoted agent, or `None`.
    pub async fn promote_first_waiting(&self, event_id: i64) -> Result<Option<String>, DbError> {
        let mut tx = self.begin_write().await?;
        sqlx::query("UPDATE events SET sequence = sequence WHERE id = $1")
            .bind(event_id)
            .execute(&mut *tx)
            .await?;
        let promoted: Option<(String,)> = sqlx::query_as(
            "UPDATE event_participants SET state = 'accepted', updated_at = $2 \
             WHERE id = (SELECT w.id FROM event_participants w WHERE w.event_id = $1 \
             AND w.state = 'waiting' ORDER BY w.created_at, w.id LIMIT 1) \
             AND (SELECT COUNT(*) FROM event_participants a WHERE a.event_id = $1 \
             AND a.state = 'accepted') < (SELECT e.capacity FROM events e WHERE e.id = $1) \
             RETURNING actor_ap_id",
        )
        .bind(event_id)
        .bind(now_ms())
        .fetch_optional(&mut *tx)
        .await?;
        tx.commit().await?;
        Ok(promoted.map(|(a,)| a))
    }

    /// Replaces the cached participants of an event with the host's list, keeping this
    /// node's Joins still waiting for an answer, in one transaction.
    pub async fn replace_participants(
        &self,
        event_id: i64,
        list: &[(String, String)],
    ) -> Result<(), DbError> {
        let now = now_ms();
        let mut tx = self.begin_write().await?;
        // Write first: the transaction takes the write lock before reading (SQLite would
        // otherwise fail to upgrade a stale read snapshot; PostgreSQL locks the event row),
        // so two refreshes of one session never interleave.
        sqlx::query("UPDATE events SET sequence = sequence WHERE id = $1")
            .bind(event_id)
            .execute(&mut *tx)
            .await?;
        let old: Vec<(String, String, Option<String>)> = sqlx::query_as(
            "SELECT actor_ap_id, state, join_ap_id FROM event_participants WHERE event_id = $1",
        )
        .bind(event_id)
        .fetch_all(&mut *tx)
        .await?;
        let join_of = |actor: &str| {
            old.iter()
                .find(|(a, _, _)| a == actor)
                .and_then(|(_, _, j)| j.clone())
        };
        sqlx::query("DELETE FROM event_participants WHERE event_id = $1")
            .bind(event_id)
            .execute(&mut *tx)
            .await?;
        // Registration order is the list's order: it ranks the waiting list here too.
        for (i, (actor, state)) in list.iter().enumerate() {
            sqlx::query(
                "INSERT INTO event_participants (event_id, actor_ap_id, state, join_ap_id, \
                 created_at, updated_at) VALUES ($1, $2, $3, $4, $5, $6)",
            )
            .bind(event_id)
            .bind(actor)
            .bind(state)
            .bind(join_of(actor))
            .bind(i64::try_from(i).unwrap_or(0))
            .bind(now)
            .execute(&mut *tx)
            .await?;
        }
        for (actor, _, join) in old.iter().filter(|(_, s, _)| s == "pending") {
            if !list.iter().any(|(a, _)| a == actor) {
                sqlx::query(
                    "INSERT INTO event_participants (event_id, actor_ap_id, state, join_ap_id, \
                     created_at, updated_at) VALUES ($1, $2, 'pending', $3, $4, $4)",
                )
                .bind(event_id)
                .bind(actor)
                .bind(join)
                .bind(now)
                .execute(&mut *tx)
                .await?;
            }
        }
        tx.commit().await?;
        Ok(())
    }

    /// Sets (or replaces) the hash of an account's personal calendar secret.
    pub async fn set_calendar_token(&self, account_id: i64, hash: &str) -> Result<(), DbError> {
        sqlx::query(
            "INSERT INTO calendar_tokens (account_id, token_hash, created_at) VALUES ($1, $2, $3) \
             ON CONFLICT (account_id) DO UPDATE SET token_hash = $2, created_at = $3",
        )
        .bind(account_id)
        .bind(hash)
        .bind(now_ms())
        .execute(self.pool())
        .await?;
        Ok(())
    }

    /// The account whose calendar secret hashes to `hash`.
    pub async fn calendar_account(&self, hash: &str) -> Result<Option<i64>, DbError> {
        let row: Option<(i64,)> =
            sqlx::query_as("SELECT account_id FROM calendar_tokens WHERE token_hash = $1")
                .bind(hash)
                .fetch_optional(self.pool())
                .await?;
        Ok(row.map(|(a,)| a))
    }

    pub async fn has_calendar_token(&self, account_id: i64) -> Result<bool, DbError> {
        let row: Option<(i64,)> =
            sqlx::query_as("SELECT account_id FROM calendar_tokens WHERE account_id = $1")
                .bind(account_id)
                .fetch_optional(self.pool())
                .await?;
        Ok(row.is_some())
    }

    /// When federation with `authority` is revoked: the sessions cached from its
    /// communities, and its agents' registrations for ours, leave this node.
    pub async fn purge_events_of(&self, authority: &str, ours: &str) -> Result<u64, DbError> {
        let events = sqlx::query("DELETE FROM events WHERE authority = $1 AND authority <> $2")
            .bind(authority)
            .bind(ours)
            .execute(self.pool())
            .await?;
        let people = sqlx::query("DELETE FROM event_participants WHERE actor_ap_id LIKE $1")
            .bind(format!("%://{authority}/%"))
            .execute(self.pool())
            .await?;
        Ok(events.rows_affected() + people.rows_affected())
    }
}
