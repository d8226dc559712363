//! Attendance marks on `event_participants` (`attended_at`, `attended_by`): the host's
//! record of who came, the copy members' nodes keep, and an agent's attended sessions.

use super::{DbError, EventRow, Store, assembled, now_ms};

impl Store {
    /// On the host: sets the session's attendance to exactly `present` (actor ids), marked by
    /// `by`, in one transaction. `walk_ins` (members who had not registered) get a seat row
    /// in state `accepted` first. Participants not listed lose their mark.
    pub async fn mark_attendance(
        &self,
        event_id: i64,
        present: &[String],
        walk_ins: &[String],
        by: &str,
    ) -> Result<(), DbError> {
        let now = now_ms();
        let mut tx = self.begin_write().await?;
        // Write the event row first, as registrations do, so marks and seats never interleave.
        sqlx::query("UPDATE events SET sequence = sequence WHERE id = $1")
            .bind(event_id)
            .execute(&mut *tx)
            .await?;
        for who in walk_ins {
            sqlx::query(
                "INSERT INTO event_participants (event_id, actor_ap_id, state, created_at, \
                 updated_at) VALUES ($1, $2, 'accepted', $3, $3) \
                 ON CONFLICT (event_id, actor_ap_id) DO NOTHING",
            )
            .bind(event_id)
            .bind(who)
            .bind(now)
            .execute(&mut *tx)
            .await?;
        }
        sqlx::query(
            "UPDATE event_participants SET attended_at = NULL, attended_by = NULL \
             WHERE event_id = $1",
        )
        .bind(event_id)
        .execute(&mut *tx)
        .await?;
        for who in present {
            sqlx::query(
                "UPDATE event_participants SET attended_at = $3, attended_by = $4 \
                 WHERE event_id = $1 AND actor_ap_id = $2",
            )
            .bind(event_id)
            .bind(who)
            .bind(now)
            .bind(by)
            .execute(&mut *tx)
            .await?;
        }
        // The change is news for members' nodes: their copy is refreshed by `updated_at`.
        sqlx::query("UPDATE events SET updated_at = $2 WHERE id = $1")
            .bind(event_id)
            .bind(now)
            .execute(&mut *tx)
            .await?;
        tx.commit().await?;
        Ok(())
    }

    /// On a member's node: copies the host's marks (`present`, actor ids) onto the cached
    /// participants, after `replace_participants`.
    pub async fn copy_attendance(
        &self,
        event_id: i64,
        present: &[String],
        at: i64,
    ) -> Result<(), DbError> {
        let mut tx = self.begin_write().await?;
        sqlx::query(
            "UPDATE event_participants SET attended_at = NULL, attended_by = NULL \
             WHERE event_id = $1",
        )
        .bind(event_id)
        .execute(&mut *tx)
        .await?;
        for who in present {
            sqlx::query(
                "UPDATE event_participants SET attended_at = $3 \
                 WHERE event_id = $1 AND actor_ap_id = $2",
            )
            .bind(event_id)
            .bind(who)
            .bind(at)
            .execute(&mut *tx)
            .await?;
        }
        tx.commit().await?;
        Ok(())
    }

    /// Whether `actor` was marked present at the session.
    pub async fn attended(&self, event_id: i64, actor: &str) -> Result<bool, DbError> {
        let row: Option<(i64,)> = sqlx::query_as(
            "SELECT event_id FROM event_participants WHERE event_id = $1 AND actor_ap_id = $2 \
             AND attended_at IS NOT NULL",
        )
        .bind(event_id)
        .bind(actor)
        .fetch_optional(self.pool())
        .await?;
        Ok(row.is_some())
    }

    /// Sessions `actor` was marked present at, most recent first.
    pub async fn attended_events(&self, actor: &str) -> Result<Vec<EventRow>, DbError> {
        let sql = format!(
            "SELECT {} FROM events e WHERE e.status = 'confirmed' AND e.id IN \
             (SELECT event_id FROM event_participants WHERE actor_ap_id = $1 \
             AND attended_at IS NOT NULL) ORDER BY e.starts_at DESC, e.id DESC LIMIT 500",
            super::events::COLUMNS
        );
        Ok(sqlx::query_as(assembled(sql))
            .bind(actor)
            .fetch_all(self.pool())
            .await?)
    }
}
