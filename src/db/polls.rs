//! The `polls`, `poll_options` and `poll_votes` tables: a poll thread's settings, its
//! choices with their totals, and the votes this node holds.

use super::{DbError, Store, now_ms};

#[derive(Debug, Clone, sqlx::FromRow)]
pub struct PollRow {
    pub post_id: i64,
    pub multiple: i64,
    pub anonymous: i64,
    pub results: String,
    pub dates: i64,
    pub end_time: i64,
    pub voters_count: i64,
    pub counted_at: i64,
}

#[derive(Debug, Clone, sqlx::FromRow)]
pub struct PollOptionRow {
    pub position: i64,
    pub name: String,
    pub total: i64,
}

#[derive(Debug, Clone, sqlx::FromRow)]
pub struct PollVoteRow {
    pub ap_id: String,
    pub voter: String,
    pub option_name: String,
    pub voted_at: i64,
}

/// A poll to store with its options.
#[derive(Debug, Clone)]
pub struct NewPoll<'a> {
    pub post_id: i64,
    pub multiple: bool,
    pub anonymous: bool,
    pub results: &'a str,
    pub dates: bool,
    pub end_time: i64,
    pub options: &'a [String],
}

const POLL: &str =
    "post_id, multiple, anonymous, results, dates, end_time, voters_count, counted_at";
const VOTE: &str = "ap_id, voter, option_name, voted_at";

impl Store {
    /// Stores a poll and its options in one transaction; a poll already stored is kept.
    pub async fn insert_poll(&self, p: &NewPoll<'_>) -> Result<(), DbError> {
        let mut tx = self.begin_write().await?;
        let done = sqlx::query(
            "INSERT INTO polls (post_id, multiple, anonymous, results, dates, end_time) \
             VALUES ($1, $2, $3, $4, $5, $6) ON CONFLICT (post_id) DO NOTHING",
        )
        .bind(p.post_id)
        .bind(i64::from(p.multiple))
        .bind(i64::from(p.anonymous))
        .bind(p.results)
        .bind(i64::from(p.dates))
        .bind(p.end_time)
        .execute(&mut *tx)
        .await?;
        if done.rows_affected() == 1 {
            for (i, name) in p.options.iter().enumerate() {
                sqlx::query(
                    "INSERT INTO poll_options (post_id, position, name) VALUES ($1, $2, $3)",
                )
                .bind(p.post_id)
                .bind(i as i64)
                .bind(name)
                .execute(&mut *tx)
                .await?;
            }
        }
        tx.commit().await?;
        Ok(())
    }

    pub async fn poll(&self, post_id: i64) -> Result<Option<PollRow>, DbError> {
        Ok(sqlx::query_as(super::assembled(format!(
            "SELECT {POLL} FROM polls WHERE post_id = $1"
        )))
        .bind(post_id)
        .fetch_optional(self.pool())
        .await?)
    }

    pub async fn poll_options(&self, post_id: i64) -> Result<Vec<PollOptionRow>, DbError> {
        Ok(sqlx::query_as(
            "SELECT position, name, total FROM poll_options WHERE post_id = $1 ORDER BY position",
        )
        .bind(post_id)
        .fetch_all(self.pool())
        .await?)
    }

    /// The votes held for a poll, oldest first.
    pub async fn poll_votes(&self, post_id: i64) -> Result<Vec<PollVoteRow>, DbError> {
        Ok(sqlx::query_as(super::assembled(format!(
            "SELECT {VOTE} FROM poll_votes WHERE post_id = $1 ORDER BY voted_at, id"
        )))
        .bind(post_id)
        .fetch_all(self.pool())
        .await?)
    }

    /// One voter's votes in a poll.
    pub async fn poll_votes_of(
        &self,
        post_id: i64,
        voter: &str,
    ) -> Result<Vec<PollVoteRow>, DbError> {
        Ok(sqlx::query_as(super::assembled(format!(
            "SELECT {VOTE} FROM poll_votes WHERE post_id = $1 AND voter = $2 ORDER BY id"
        )))
        .bind(post_id)
        .bind(voter)
        .fetch_all(self.pool())
        .await?)
    }

    /// A vote by its `Note` id, with the poll's post id.
    pub async fn poll_vote_by_ap_id(
        &self,
        ap_id: &str,
    ) -> Result<Option<(i64, PollVoteRow)>, DbError> {
        let row: Option<(i64, String, String, String, i64)> = sqlx::query_as(
            "SELECT post_id, ap_id, voter, option_name, voted_at FROM poll_votes WHERE ap_id = $1",
        )
        .bind(ap_id)
        .fetch_optional(self.pool())
        .await?;
        Ok(row.map(|(post_id, ap_id, voter, option_name, voted_at)| {
            (
                post_id,
                PollVoteRow {
                    ap_id,
                    voter,
                    option_name,
                    voted_at,
                },
            )
        }))
    }

    /// Records a vote; false when this voter already chose this option or the id is taken.
    pub async fn insert_poll_vote(
        &self,
        post_id: i64,
        ap_id: &str,
        voter: &str,
        option: &str,
    ) -> Result<bool, DbError> {
        let done = sqlx::query(
            "INSERT INTO poll_votes (post_id, ap_id, voter, option_name, voted_at) \
             VALUES ($1, $2, $3, $4, $5) ON CONFLICT DO NOTHING",
        )
        .bind(post_id)
        .bind(ap_id)
        .bind(voter)
        .bind(option)
        .bind(now_ms())
        .execute(self.pool())
        .await?;
        Ok(done.rows_affected() == 1)
    }

    /// Moves a vote to another option.
    pub async fn change_poll_vote(&self, ap_id: &str, option: &str) -> Result<bool, DbError> {
        let done =
            sqlx::query("UPDATE poll_votes SET option_name = $1, voted_at = $2 WHERE ap_id = $3")
                .bind(option)
                .bind(now_ms())
                .bind(ap_id)
                .execute(self.pool())
                .await?;
        Ok(done.rows_affected() == 1)
    }

    pub async fn delete_poll_vote(&self, ap_id: &str) -> Result<bool, DbError> {
        let done = sqlx::query("DELETE FROM poll_votes WHERE ap_id = $1")
            .bind(ap_id)
            .execute(self.pool())
            .await?;
        Ok(done.rows_affected() == 1)
    }

    /// Counts the votes held into the options' totals and the voters' count (on the host,
    /// where every vote is held), in one transaction.
    pub async fn recount_poll(&self, post_id: i64) -> Result<(), DbError> {
        let mut tx = self.begin_write().await?;
        sqlx::query(
            "UPDATE poll_options SET total = (SELECT COUNT(*) FROM poll_votes v \
             WHERE v.post_id = poll_options.post_id AND v.option_name = poll_options.name) \
             WHERE post_id = $1",
        )
        .bind(post_id)
        .execute(&mut *tx)
        .await?;
        sqlx::query(
            "UPDATE polls SET voters_count = (SELECT COUNT(DISTINCT voter) FROM poll_votes v \
             WHERE v.post_id = polls.post_id), counted_at = $2 WHERE post_id = $1",
        )
        .bind(post_id)
        .bind(now_ms())
        .execute(&mut *tx)
        .await?;
        tx.commit().await?;
        Ok(())
    }

    /// Totals as the host announced them (on a member's node): each known option's total
    /// and the voters' count, counted at `counted_at` by the host; older totals than those
    /// held (deliveries may arrive out of order) are ignored.
    pub async fn set_poll_totals(
        &self,
        post_id: i64,
        totals: &[(String, i64)],
        voters: i64,
        counted_at: i64,
    ) -> Result<(), DbError> {
        let mut tx = self.begin_write().await?;
        let newer = sqlx::query(
            "UPDATE polls SET voters_count = $1, counted_at = $2 \
             WHERE post_id = $3 AND counted_at <= $2",
        )
        .bind(voters)
        .bind(counted_at)
        .bind(post_id)
        .execute(&mut *tx)
        .await?;
        if newer.rows_affected() == 0 {
            return Ok(());
        }
        for (name, total) in totals {
            sqlx::query("UPDATE poll_options SET total = $1 WHERE post_id = $2 AND name = $3")
                .bind(total)
                .bind(post_id)
                .bind(name)
                .execute(&mut *tx)
                .await?;
        }
        tx.commit().await?;
        Ok(())
    }
}
