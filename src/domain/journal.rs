//! The publish journal (issue 13, finding 11): a change that other nodes must hear about is
//! recorded before it is stored and forgotten once its deliveries are queued. What a crash
//! (or a failure to queue) leaves behind is replayed here: the change is rebuilt from what
//! is stored and published again. Replaying is idempotent because the activities of these
//! changes have ids derived from the object's id and the queue keeps one row per
//! (activity, inbox): a change queued just before the crash is not queued twice.

use super::Ctx;
use super::changes::Change;
use super::error::DomainResult;

/// A thread or a reply written here (`posts::write`).
pub const POST_CREATED: &str = "post_created";
/// A note to the author's followers (`notes::publish`).
pub const NOTE_PUBLISHED: &str = "note_published";
/// A thread or reply edited here (`posts::edit`): replayed as the post is now.
pub const POST_EDITED: &str = "post_edited";
/// A thread or reply deleted here by its author or an animateur (`posts::delete`); the
/// subject is `posts::DeletedSubject` as JSON, since the post is gone.
pub const POST_DELETED: &str = "post_deleted";
/// A session created here (`events::create`, one entry per date of a series).
pub const EVENT_CREATED: &str = "event_created";
/// A session edited or cancelled here (`events::update`, `events::cancel`): replayed as the
/// session is now.
pub const EVENT_UPDATED: &str = "event_updated";

/// A row of a request still running is left alone for this long.
pub const REPLAY_AFTER_MS: i64 = 30_000;
/// A row that cannot be replayed (its author or community vanished) is given up after this
/// many tries, with its cause in the log.
const MAX_REPLAYS: i64 = 20;

/// Replays what interrupted processes (or failed queuing) left; returns how many changes
/// were published again.
pub async fn replay(ctx: &Ctx) -> DomainResult<u64> {
    let mut replayed = 0;
    for row in ctx.store.journal_to_replay(REPLAY_AFTER_MS, 500).await? {
        let post = |c: Option<super::changes::PostChange>| c.map(Change::Post);
        let change = match row.kind.as_str() {
            POST_CREATED => super::posts::created_change(ctx, &row.subject)
                .await
                .map(post),
            NOTE_PUBLISHED => super::notes::published_change(ctx, &row.subject)
                .await
                .map(post),
            POST_EDITED => super::posts::edited_change(ctx, &row.subject)
                .await
                .map(post),
            POST_DELETED => super::posts::deleted_change(ctx, &row.subject)
                .await
                .map(post),
            EVENT_CREATED => super::events::journalled_change(ctx, &row.subject, true).await,
            EVENT_UPDATED => super::events::journalled_change(ctx, &row.subject, false).await,
            other => {
                tracing::error!(kind = other, "unknown journal entry dropped");
                Ok(None)
            }
        };
        let outcome = match change {
            // Never stored (the request failed or died before): nothing to send.
            Ok(None) => Ok(false),
            Ok(Some(c)) => ctx.publisher.publish(ctx, c).await.map(|()| true),
            Err(e) => Err(e),
        };
        match outcome {
            Ok(sent) => {
                ctx.store.journal_done(row.id).await?;
                replayed += u64::from(sent);
            }
            Err(e) if row.attempts + 1 >= MAX_REPLAYS => {
                tracing::error!(subject = %row.subject, error = %e, "journal entry given up");
                ctx.store.journal_done(row.id).await?;
            }
            Err(e) => {
                tracing::warn!(subject = %row.subject, error = %e, "journal replay will be retried");
                ctx.store.journal_failed(row.id).await?;
            }
        }
    }
    if replayed > 0 {
        tracing::info!(replayed, "interrupted changes queued again");
    }
    Ok(replayed)
}
