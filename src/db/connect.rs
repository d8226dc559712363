//! Opening the pool: the SQLite file (created with WAL on first start) or a PostgreSQL server.

use std::path::Path;
use std::str::FromStr;
use std::time::Duration;

use sqlx::any::AnyPoolOptions;
use sqlx::sqlite::{SqliteConnectOptions, SqliteJournalMode};
use sqlx::{ConnectOptions, Executor};

use super::{DatabaseLock, DbError, Engine, Store};

impl Store {
    /// Connects to `url` (`sqlite://PATH` or `postgres://…`), creating the SQLite file and its
    /// folder when missing. Does not migrate.
    pub async fn connect(url: &str) -> Result<Store, DbError> {
        sqlx::any::install_default_drivers();
        let engine = if url.starts_with("sqlite:") {
            Engine::Sqlite
        } else {
            Engine::Postgres
        };
        let (pool_url, lock) = match engine {
            Engine::Sqlite => {
                let (url, lock) = prepare_sqlite(url).await?;
                (url, Some(lock))
            }
            Engine::Postgres => (url.to_owned(), None),
        };
        let options = AnyPoolOptions::new()
            .max_connections(match engine {
                // SQLite has one writer; a few readers are enough on a small VM.
                Engine::Sqlite => 8,
                Engine::Postgres => 16,
            })
            .acquire_timeout(Duration::from_secs(10))
            .after_connect(move |conn, _meta| {
                Box::pin(async move {
                    if engine == Engine::Sqlite {
                        // Not persistent, so set on every connection: NORMAL is durable in WAL
                        // mode across application crashes and much faster than FULL.
                        conn.execute("PRAGMA synchronous = NORMAL").await?;
                        conn.execute("PRAGMA foreign_keys = ON").await?;
                    }
                    Ok(())
                })
            });
        let pool = options
            .connect(&pool_url)
            .await
            .map_err(|e| DbError::Open(e.to_string()))?;
        Ok(Store {
            pool,
            engine,
            _lock: lock,
            instance: uuid::Uuid::now_v7().to_string().into(),
            writer: Default::default(),
        })
    }
}

/// Creates the SQLite file in WAL mode (a persistent setting of the file) and returns the URL
/// the pool opens, with the lock that says the file is in use, taken before the file is
/// touched so that a restore in progress is never raced.
async fn prepare_sqlite(url: &str) -> Result<(String, DatabaseLock), DbError> {
    let options = SqliteConnectOptions::from_str(url)
        .map_err(|e| DbError::Open(format!("malformed SQLite URL: {e}")))?
        .create_if_missing(true)
        .journal_mode(SqliteJournalMode::Wal)
        .busy_timeout(Duration::from_secs(5));
    let path = options.get_filename().to_path_buf();
    if let Some(dir) = path.parent().filter(|d| !d.as_os_str().is_empty()) {
        std::fs::create_dir_all(dir)
            .map_err(|e| DbError::Open(format!("cannot create {}: {e}", dir.display())))?;
        check_writable(dir)?;
    }
    let lock = DatabaseLock::shared(&path)?;
    let conn = options
        .connect()
        .await
        .map_err(|e| DbError::Open(format!("{}: {e}", path.display())))?;
    drop(conn);
    Ok((format!("sqlite://{}?mode=rw", path.display()), lock))
}

fn check_writable(dir: &Path) -> Result<(), DbError> {
    let probe = dir.join(".entrepairs-write-test");
    std::fs::write(&probe, b"")
        .and_then(|_| std::fs::remove_file(&probe))
        .map_err(|e| DbError::Open(format!("{} is not writable: {e}", dir.display())))
}
