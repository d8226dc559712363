//! Storage: the only module that speaks SQL. One code path for SQLite and PostgreSQL through
//! sqlx's `Any` driver; engine-specific SQL is confined to the places that name [`Engine`].

mod accounts;
mod actions;
mod actors;
mod attachments;
mod audit;
mod communities;
mod connect;
mod deliveries;
mod departures;
mod directory;
mod error;
mod events;
mod follows;
mod invitations;
mod lock;
mod mail;
mod maintenance;
mod notifications;
mod objects;
mod oidc;
mod password_resets;
mod peers;
mod pickers;
mod posts;
mod received;
mod reports;
mod resources;
mod search;
mod sessions;
mod tokens;
// Issue 16: bulk import of accounts.
mod account_import;
mod community_welcome;
// Issue 18: polls.
mod polls;
// Issue 15: notification preferences.
mod notification_prefs;
// Issue 18: attendance at sessions.
mod attendance;
mod first_hour;
// Issue 15: Web Push.
mod push;

pub use account_import::{ImportMembershipRow, ImportNew, ImportedAccountRow};
pub use accounts::{AccountRow, NewAccount};
pub use actions::{ActionCommentRow, ActionItemData, ActionItemRow};
pub use actors::{ActorRow, NewActor};
pub use attachments::AttachmentRow;
pub use audit::AuditRow;
pub use communities::{CommunityRow, MemberRow, MembershipRow, NewCommunity};
pub use community_welcome::CommunityLinkRow;
pub use deliveries::DeliveryRow;
pub use directory::{DirectoryRow, DirectorySearchSource, DirectoryValues};
pub use error::DbError;
pub use events::{EventRow, NewEvent, ParticipantRow};
pub use follows::FollowRow;
pub use invitations::InvitationRow;
pub use lock::DatabaseLock;
pub use mail::{MailRow, NewMail};
pub use maintenance::{
    MigrationStatus, SqliteFileReport, checkpoint_sqlite_file, inspect_sqlite_file, sqlite_file,
};
pub use maintenance::{PruneBefore, PrunedRows};
pub use notification_prefs::{NotificationPrefsWrite, NotificationSettingsRow, UnsubscribeRow};
pub use notifications::NotificationRow;
pub use objects::{NewObject, ObjectRow};
pub use oidc::OidcPendingRow;
pub use peers::{PeerRow, PeerUpdate, Purged, RefusedRelayRow};
pub use polls::{NewPoll, PollOptionRow, PollRow, PollVoteRow};
pub use posts::{NewPost, PostRow};
pub use push::{NewPushSubscription, PushKeyRow, PushRow, PushSubscriptionRow};
pub use reports::ReportRow;
pub use resources::{Expect, NewResource, NewRevision, ResourceRow, RevisionRow};
pub use search::{NewSearchDoc, SearchFilter, SearchHitRow, StaleSearchDoc, UnindexedPost};
pub use sessions::SessionRow;
pub use tokens::TokenRow;

// Issue 14: private messages between persons.
mod messages;
pub use messages::{ConversationRow, MessageRow, NewMessage};
// Issue 13: delivering processes (leases, heartbeats) and the publish journal.
mod instances;
mod journal;
pub use instances::INSTANCE_STALE_MS;
pub use journal::JournalRow;
// Issue 19: reactions.
mod reactions;
pub use reactions::{NewReaction, ReactionRow};
// Issue 19: photos in posts.
mod post_images;
pub use post_images::{NewPostImage, PostImageRow};

// Issue 20: group commit of the inbox's hot writes.
mod group_commit;
pub use group_commit::{HotWrite, ObjectWrite, ReceivedWrite};

use sqlx::AnyPool;

/// The two supported engines.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Engine {
    Sqlite,
    Postgres,
}

impl Engine {
    pub fn name(self) -> &'static str {
        match self {
            Engine::Sqlite => "sqlite",
            Engine::Postgres => "postgres",
        }
    }
}

/// A connection pool and the engine behind it. Cheap to clone.
#[derive(Clone, Debug)]
pub struct Store {
    pool: AnyPool,
    engine: Engine,
    /// SQLite only: held while this store (or a clone) lives; see `lock`.
    _lock: Option<DatabaseLock>,
    /// This process's name in `worker_instances` and `deliveries.claimed_by`: a fresh one per
    /// connection, so a restarted node is a new instance.
    instance: std::sync::Arc<str>,
    /// The inbox's hot writes, committed in groups (issue 20).
    writer: std::sync::Arc<group_commit::GroupWriter>,
}

static SQLITE_MIGRATIONS: sqlx::migrate::Migrator = sqlx::migrate!("./migrations/sqlite");
static POSTGRES_MIGRATIONS: sqlx::migrate::Migrator = sqlx::migrate!("./migrations/postgres");

impl Store {
    pub fn engine(&self) -> Engine {
        self.engine
    }

    /// This process's instance id (see `instances`).
    pub fn instance(&self) -> &str {
        &self.instance
    }

    /// The pool, for the storage modules of this crate.
    pub(crate) fn pool(&self) -> &AnyPool {
        &self.pool
    }

    /// Writes `write` with the others pending, in one transaction; returns once committed
    /// (see `group_commit`).
    pub async fn write_grouped(&self, write: HotWrite) -> Result<bool, DbError> {
        self.writer.write(&self.pool, self.engine, write).await
    }

    /// A transaction that writes. SQLite takes its write lock at `BEGIN IMMEDIATE`, waiting
    /// up to the busy timeout: a deferred transaction that reads and then writes fails at once
    /// with "database is locked" when another connection wrote in between (SQLite will not
    /// wait there, to avoid a deadlock), which under load reached agents and peers as 500s.
    pub(crate) async fn begin_write(
        &self,
    ) -> Result<sqlx::Transaction<'static, sqlx::Any>, sqlx::Error> {
        match self.engine {
            Engine::Sqlite => self.pool.begin_with("BEGIN IMMEDIATE").await,
            Engine::Postgres => self.pool.begin().await,
        }
    }

    fn migrator(&self) -> &'static sqlx::migrate::Migrator {
        match self.engine {
            Engine::Sqlite => &SQLITE_MIGRATIONS,
            Engine::Postgres => &POSTGRES_MIGRATIONS,
        }
    }

    /// Applies pending migrations; returns how many ran.
    pub async fn migrate(&self) -> Result<usize, DbError> {
        let before = self.applied_versions().await.unwrap_or_default().len();
        self.migrator().run(&self.pool).await?;
        let after = self.applied_versions().await?.len();
        Ok(after.saturating_sub(before))
    }

    /// True when the database answers and every migration this binary knows has been applied.
    pub async fn is_ready(&self) -> bool {
        match self.applied_versions().await {
            Ok(applied) => self.migrator().iter().all(|m| applied.contains(&m.version)),
            Err(_) => false,
        }
    }

    async fn applied_versions(&self) -> Result<Vec<i64>, DbError> {
        let rows: Vec<(i64,)> =
            sqlx::query_as("SELECT version FROM _sqlx_migrations WHERE success = $1")
                .bind(true)
                .fetch_all(&self.pool)
                .await?;
        Ok(rows.into_iter().map(|(v,)| v).collect())
    }

    /// Closes every connection (tests, graceful shutdown).
    pub async fn close(&self) {
        self.pool.close().await;
    }
}

/// Marks SQL assembled with `format!` from this module's constant column lists (never from
/// input, which is always bound as a parameter) as safe for sqlx.
/// Claims up to `limit` rows of a queue table (`mail_outbox`, `push_outbox`) in state `ready`
/// that are due at `now` (the domain's clock: quiet hours end at its 08:00), for `lease_ms`: a
/// worker that dies leaves them to be claimed again when the lease ends. On PostgreSQL, two
/// processes skip each other's rows; SQLite runs one write transaction at a time, so the
/// UPDATE is atomic on its own.
pub(crate) async fn claim_due_at<R>(
    store: &Store,
    now: i64,
    table: &str,
    ready: &str,
    columns: &str,
    limit: i64,
    lease_ms: i64,
) -> Result<Vec<R>, DbError>
where
    R: for<'r> sqlx::FromRow<'r, sqlx::any::AnyRow> + Send + Unpin,
{
    let lock = match store.engine() {
        Engine::Postgres => "FOR UPDATE SKIP LOCKED",
        Engine::Sqlite => "",
    };
    Ok(sqlx::query_as(assembled(format!(
        "UPDATE {table} SET locked_until = $1 WHERE id IN (\
           SELECT id FROM {table} WHERE state = '{ready}' AND next_attempt_at <= $2 \
           AND (locked_until IS NULL OR locked_until < $2) \
           ORDER BY next_attempt_at, id LIMIT $3 {lock}) \
         RETURNING {columns}"
    )))
    .bind(now + lease_ms)
    .bind(now)
    .bind(limit)
    .fetch_all(store.pool())
    .await?)
}

pub(crate) fn assembled(sql: String) -> sqlx::AssertSqlSafe<String> {
    sqlx::AssertSqlSafe(sql)
}

/// Milliseconds since the Unix epoch: the one time representation in storage.
pub fn now_ms() -> i64 {
    let now = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .unwrap_or_default();
    i64::try_from(now.as_millis()).unwrap_or(i64::MAX)
}

// Issue 15: the digest.
mod digests;
pub use digests::{
    DigestActionRow, DigestEventRow, DigestNoticeRow, DigestResourceRow, DigestThreadRow,
};

// Issue 20: the home feed's labels, one statement per page.
mod feed_labels;
// Issue 15: session reminders.
mod session_reminders;
pub use session_reminders::ReminderDueRow;
// Issue 19: the language each agent chose.
mod languages;
// Issue 19: unread markers.
mod thread_views;
