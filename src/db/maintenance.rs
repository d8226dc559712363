//! What admin commands and the periodic maintenance need from storage: migration state,
//! SQLite online backups, inspecting or checkpointing a SQLite file that no node has open,
//! and pruning rows that are done with.

use std::path::{Path, PathBuf};
use std::str::FromStr;
use std::time::Duration;

use sqlx::sqlite::{SqliteConnectOptions, SqliteConnection};
use sqlx::{ConnectOptions, Connection};

use super::{DbError, Engine, SQLITE_MIGRATIONS, Store};

/// The SQLite database file a `sqlite:` URL names; `None` for PostgreSQL.
pub fn sqlite_file(url: &str) -> Option<PathBuf> {
    if !url.starts_with("sqlite:") {
        return None;
    }
    SqliteConnectOptions::from_str(url)
        .ok()
        .map(|o| o.get_filename().to_path_buf())
}

/// Migrations applied to the database compared with those this binary carries.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct MigrationStatus {
    /// Versions this binary knows.
    pub known: Vec<i64>,
    /// Versions successfully applied.
    pub applied: Vec<i64>,
}

impl MigrationStatus {
    /// Known but not applied: `entrepairs migrate` (or the next start) applies them.
    pub fn pending(&self) -> Vec<i64> {
        without(&self.known, &self.applied)
    }

    /// Applied but unknown: the database was written by a newer entrepairs.
    pub fn unknown(&self) -> Vec<i64> {
        without(&self.applied, &self.known)
    }
}

fn without(a: &[i64], b: &[i64]) -> Vec<i64> {
    a.iter().copied().filter(|v| !b.contains(v)).collect()
}

impl Store {
    /// Which migrations are applied; an error when the database cannot be read or has never
    /// been migrated.
    pub async fn migration_status(&self) -> Result<MigrationStatus, DbError> {
        let mut applied = self.applied_versions().await?;
        applied.sort_unstable();
        Ok(MigrationStatus {
            known: self.migrator().iter().map(|m| m.version).collect(),
            applied,
        })
    }

    /// Writes a consistent copy of the SQLite database to `dest` while the node keeps
    /// serving (`VACUUM INTO` reads one snapshot). `dest` must not exist. The path is bound
    /// as a parameter, never spliced into the SQL.
    pub async fn backup_into(&self, dest: &Path) -> Result<(), DbError> {
        if self.engine != Engine::Sqlite {
            return Err(DbError::Open("online backup is for SQLite only".into()));
        }
        let dest = dest
            .to_str()
            .ok_or_else(|| DbError::Open(format!("{} is not UTF-8", dest.display())))?;
        sqlx::query("VACUUM INTO $1")
            .bind(dest)
            .execute(self.pool())
            .await?;
        Ok(())
    }
}

/// Rows older than these instants (milliseconds) are pruned by [`Store::prune`].
#[derive(Debug, Clone, Copy)]
pub struct PruneBefore {
    /// Deliveries delivered (or cancelled) before this; failed ones stay for the admin.
    pub delivered: i64,
    /// Received activity ids (deduplication) recorded before this.
    pub received: i64,
    /// Notifications read before this; unread ones stay.
    pub notifications: i64,
    /// Federation audit entries written before this.
    pub audit: i64,
}

/// How many rows [`Store::prune`] removed, per table.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct PrunedRows {
    pub deliveries: u64,
    pub received: u64,
    pub notifications: u64,
    pub audit: u64,
}

impl Store {
    /// Deletes what is done with: each statement on its own, as each table is independent.
    pub async fn prune(&self, before: PruneBefore) -> Result<PrunedRows, DbError> {
        let run = |sql: &'static str, at: i64| async move {
            Ok::<u64, DbError>(
                sqlx::query(sql)
                    .bind(at)
                    .execute(self.pool())
                    .await?
                    .rows_affected(),
            )
        };
        Ok(PrunedRows {
            deliveries: run(
                "DELETE FROM deliveries WHERE state IN ('delivered', 'cancelled') \
                 AND updated_at < $1",
                before.delivered,
            )
            .await?,
            received: run(
                "DELETE FROM received_activities WHERE received_at < $1",
                before.received,
            )
            .await?,
            notifications: run(
                "DELETE FROM notifications WHERE read_at IS NOT NULL AND read_at < $1",
                before.notifications,
            )
            .await?,
            audit: run("DELETE FROM federation_audit WHERE at < $1", before.audit).await?,
        })
    }
}

/// What a SQLite file holds, as far as `admin restore` cares.
#[derive(Debug, Clone)]
pub struct SqliteFileReport {
    /// `PRAGMA integrity_check` lines: exactly `["ok"]` for a sound file.
    pub integrity: Vec<String>,
    /// Migrations of this binary's SQLite folder and those the file records as applied;
    /// `None` when it has no `_sqlx_migrations` table (not an entrepairs database).
    pub migrations: Option<MigrationStatus>,
}

/// Opens `path` (which must exist) on its own connection and reports on it. An error means
/// the file is not a SQLite database at all.
pub async fn inspect_sqlite_file(path: &Path) -> Result<SqliteFileReport, DbError> {
    let mut conn = open_file(path).await?;
    let integrity: Vec<(String,)> = sqlx::query_as("PRAGMA integrity_check")
        .fetch_all(&mut conn)
        .await?;
    let has_table: Option<(String,)> = sqlx::query_as(
        "SELECT name FROM sqlite_master WHERE type = 'table' AND name = '_sqlx_migrations'",
    )
    .fetch_optional(&mut conn)
    .await?;
    let migrations = match has_table {
        None => None,
        Some(_) => {
            let rows: Vec<(i64,)> = sqlx::query_as(
                "SELECT version FROM _sqlx_migrations WHERE success = 1 ORDER BY version",
            )
            .fetch_all(&mut conn)
            .await?;
            Some(MigrationStatus {
                known: SQLITE_MIGRATIONS.iter().map(|m| m.version).collect(),
                applied: rows.into_iter().map(|(v,)| v).collect(),
            })
        }
    };
    conn.close().await?;
    Ok(SqliteFileReport {
        integrity: integrity.into_iter().map(|(l,)| l).collect(),
        migrations,
    })
}

/// Moves everything the write-ahead log holds into the database file and empties the log,
/// so that the file alone is the whole database (before it is moved aside).
pub async fn checkpoint_sqlite_file(path: &Path) -> Result<(), DbError> {
    let mut conn = open_file(path).await?;
    sqlx::query("PRAGMA wal_checkpoint(TRUNCATE)")
        .execute(&mut conn)
        .await?;
    conn.close().await?;
    Ok(())
}

async fn open_file(path: &Path) -> Result<SqliteConnection, DbError> {
    SqliteConnectOptions::new()
        .filename(path)
        .create_if_missing(false)
        .busy_timeout(Duration::from_secs(5))
        .connect()
        .await
        .map_err(|e| DbError::Open(format!("{}: {e}", path.display())))
}
